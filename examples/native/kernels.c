/* kernels.c - the kernels of vision.owg: real image processing on
 * synthetic frames, whose cost depends on what is in the frame.
 *
 *   vision_decode   draws frame `id` (deterministic: the same id, the same
 *                   frame) with a number of bright blobs that depends on
 *                   the phase of the stream: quiet nights, rush hours
 *   vision_denoise  a 5x5 box blur (constant cost)
 *   vision_detect   threshold, connected components (flood fill) and
 *                   peaks inside each; cost grows with the bright pixels;
 *                   sets the output `objects` that the workflow's foreach
 *                   and branch read
 *   vision_measure  one object (the foreach item owgrt_task_index says):
 *                   area, centroid, shape, class; cost grows with its box
 *   vision_alert    a crowded frame: the occupied cells of an 8x8 grid
 *   vision_report   after the foreach and the branch: sums up the request
 *
 * Pixels go from kernel to kernel as task data: a kernel fills the buffer
 * owgrt_task_output gives it, and the tasks after it find that buffer with
 * owgrt_task_data.  Results for main.c go into the request's vision_job
 * (owgrt_task_input); the items of the foreach run at the same time, each
 * writing only its own obj[k].
 *
 * A kernel returns 0, or non-zero to report a failure: the runtime then
 * runs the execution again elsewhere.  These fail only on a bug or when
 * out of memory. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vision.h"

#define S VISION_SIDE
#define NPIX ((size_t)S * S)

#define THRESHOLD 120 /* a blurred pixel this bright belongs to an object */
#define MIN_AREA  12  /* smaller components are noise */
#define PEAK      150 /* a local maximum this bright is a peak */
#define PEAK_R    4   /* ... of the 9x9 pixels around it */
#define NOISE     255 /* label of bright pixels that are not an object */

/* What detect puts out. */
struct detect_out {
	uint32_t n; /* objects */
	struct box {
		uint16_t x0, y0, x1, y1; /* inclusive */
		uint32_t area;
		uint32_t peaks;
	} box[VISION_MAX_OBJECTS];
	uint8_t label[NPIX]; /* 0 background, k + 1 object k, NOISE */
};

/* --- the stream --- */

static const char *const phase_names[VISION_PHASES] = { "night", "day", "rush", "evening" };
static const char *const class_names[VISION_CLASSES] = { "speck", "round", "long", "pair" };

/* Blobs per frame and their radius, per phase: [min, max]. */
static const struct { uint32_t blobs[2], radius[2]; } phase_model[VISION_PHASES] = {
	[VISION_NIGHT]   = { { 0, 2 },  { 3, 6 } },
	[VISION_DAY]     = { { 2, 6 },  { 4, 10 } },
	[VISION_RUSH]    = { { 7, 18 }, { 6, 18 } },
	[VISION_EVENING] = { { 3, 10 }, { 4, 12 } },
};

unsigned vision_phase(uint64_t id)
{
	return (unsigned)(id / VISION_PHASE_LEN % VISION_PHASES);
}

const char *vision_phase_name(unsigned phase)
{
	return phase < VISION_PHASES ? phase_names[phase] : "?";
}

const char *vision_class_name(unsigned cls)
{
	return cls < VISION_CLASSES ? class_names[cls] : "?";
}

/* splitmix64: a small generator with a 64-bit state. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint32_t between(uint64_t *s, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(((next(s) >> 32) * (uint64_t)(hi - lo + 1)) >> 32);
}

static double unit(uint64_t *s)
{
	return (double)(next(s) >> 11) * 0x1p-53;
}

/* --- the kernels --- */

int vision_decode(owgrt_task *t)
{
	struct vision_job *job = owgrt_task_input(t);
	uint8_t *f = owgrt_task_output(t, NPIX);
	if (job == NULL || f == NULL)
		return 1;
	uint64_t s = job->id * 0x2545f4914f6cdd1du + 7;
	unsigned ph = vision_phase(job->id);

	/* A dim, noisy background with isolated hot pixels. */
	for (size_t i = 0; i < NPIX; i += 8) {
		uint64_t r = next(&s);
		for (unsigned k = 0; k < 8; k++)
			f[i + k] = (uint8_t)(24 + (r >> (8 * k) & 0xff) % 48);
	}
	for (size_t i = 0; i < NPIX / 512; i++)
		f[next(&s) % NPIX] = 255;

	/* Blobs: ellipses, brightest at the centre, at any angle. */
	uint32_t nblobs = between(&s, phase_model[ph].blobs[0], phase_model[ph].blobs[1]);
	for (uint32_t b = 0; b < nblobs; b++) {
		double a = between(&s, phase_model[ph].radius[0], phase_model[ph].radius[1]);
		double bax = a * (0.35 + 0.65 * unit(&s)); /* the other semi-axis */
		double th = 3.14159265358979 * unit(&s);
		double c = cos(th), sn = sin(th);
		int cx = (int)between(&s, 0, S - 1), cy = (int)between(&s, 0, S - 1);
		int r = (int)a + 1;
		for (int y = cy - r; y <= cy + r; y++) {
			if (y < 0 || y >= S)
				continue;
			for (int x = cx - r; x <= cx + r; x++) {
				if (x < 0 || x >= S)
					continue;
				double u = ((x - cx) * c + (y - cy) * sn) / a;
				double v = (-(x - cx) * sn + (y - cy) * c) / bax;
				double d2 = u * u + v * v;
				if (d2 > 1)
					continue;
				uint8_t val = (uint8_t)(235 - 70 * d2);
				uint8_t *p = &f[(size_t)y * S + (size_t)x];
				if (val > *p)
					*p = val;
			}
		}
	}
	job->blobs = nblobs;
	return 0;
}

/* i clamped to a row or column: the border pixels repeat outwards. */
static size_t edge(ptrdiff_t i)
{
	return i < 0 ? 0 : i >= S ? S - 1 : (size_t)i;
}

int vision_denoise(owgrt_task *t)
{
	size_t size;
	const uint8_t *in = owgrt_task_data(t, "decode", &size);
	uint8_t *out = owgrt_task_output(t, NPIX);
	uint16_t *h = malloc(NPIX * sizeof *h);
	if (in == NULL || size != NPIX || out == NULL || h == NULL) {
		free(h);
		return 1;
	}
	/* A 5x5 box blur, separable: sums of 5 along each row, then of 5 of
	 * those down each column. */
	for (size_t y = 0; y < S; y++) {
		const uint8_t *p = in + y * S;
		for (ptrdiff_t x = 0; x < S; x++)
			h[y * S + (size_t)x] = (uint16_t)(p[edge(x - 2)] + p[edge(x - 1)] + p[x] +
			                                  p[edge(x + 1)] + p[edge(x + 2)]);
	}
	for (ptrdiff_t y = 0; y < S; y++) {
		const uint16_t *r0 = h + edge(y - 2) * S, *r1 = h + edge(y - 1) * S, *r2 = h + (size_t)y * S,
		               *r3 = h + edge(y + 1) * S, *r4 = h + edge(y + 2) * S;
		for (size_t x = 0; x < S; x++)
			out[(size_t)y * S + x] = (uint8_t)((r0[x] + r1[x] + r2[x] + r3[x] + r4[x] + 12) / 25);
	}
	free(h);
	return 0;
}

/* Whether pixel (x, y) of f is a peak: bright, and the maximum of the
 * (2 PEAK_R + 1)^2 pixels around it (on a plateau, the first of it in
 * reading order).  detect tests every pixel of every object. */
static int is_peak(const uint8_t *f, int x, int y)
{
	uint8_t v = f[(size_t)y * S + (size_t)x];
	if (v < PEAK)
		return 0;
	for (int dy = -PEAK_R; dy <= PEAK_R; dy++)
		for (int dx = -PEAK_R; dx <= PEAK_R; dx++) {
			int nx = x + dx, ny = y + dy;
			if ((dx == 0 && dy == 0) || nx < 0 || nx >= S || ny < 0 || ny >= S)
				continue;
			uint8_t w = f[(size_t)ny * S + (size_t)nx];
			if (w > v || (w == v && (dy < 0 || (dy == 0 && dx < 0))))
				return 0;
		}
	return 1;
}

int vision_detect(owgrt_task *t)
{
	struct vision_job *job = owgrt_task_input(t);
	size_t size;
	const uint8_t *f = owgrt_task_data(t, "denoise", &size);
	struct detect_out *d = owgrt_task_output(t, sizeof *d);
	uint32_t *queue = malloc(NPIX * sizeof *queue);
	if (job == NULL || f == NULL || size != NPIX || d == NULL || queue == NULL) {
		free(queue);
		return 1;
	}
	memset(d, 0, sizeof *d);

	/* Connected components of the bright pixels (4-neighbours), each by a
	 * breadth-first fill; the queue keeps the component's pixels. */
	for (size_t start = 0; start < NPIX; start++) {
		if (f[start] < THRESHOLD || d->label[start] != 0)
			continue;
		uint8_t lab = d->n < VISION_MAX_OBJECTS ? (uint8_t)(d->n + 1) : NOISE;
		size_t head = 0, tail = 0;
		queue[tail++] = (uint32_t)start;
		d->label[start] = lab;
		struct box bx = { S, S, 0, 0, 0, 0 };
		while (head < tail) {
			uint32_t i = queue[head++];
			int x = (int)(i % S), y = (int)(i / S);
			if (x < bx.x0) bx.x0 = (uint16_t)x;
			if (x > bx.x1) bx.x1 = (uint16_t)x;
			if (y < bx.y0) bx.y0 = (uint16_t)y;
			if (y > bx.y1) bx.y1 = (uint16_t)y;
			bx.peaks += (uint32_t)is_peak(f, x, y);
			const int nx[4] = { x - 1, x + 1, x, x }, ny[4] = { y, y, y - 1, y + 1 };
			for (int k = 0; k < 4; k++) {
				if (nx[k] < 0 || nx[k] >= S || ny[k] < 0 || ny[k] >= S)
					continue;
				uint32_t j = (uint32_t)ny[k] * S + (uint32_t)nx[k];
				if (f[j] >= THRESHOLD && d->label[j] == 0) {
					d->label[j] = lab;
					queue[tail++] = j;
				}
			}
		}
		bx.area = (uint32_t)tail;
		if (lab != NOISE && bx.area >= MIN_AREA) {
			d->box[d->n++] = bx;
		} else if (lab != NOISE) {
			for (size_t q = 0; q < tail; q++)
				d->label[queue[q]] = NOISE;
		}
	}
	free(queue);
	job->objects = d->n;
	return owgrt_task_set(t, "objects", (double)d->n) == OWGRT_OK ? 0 : 1;
}

int vision_measure(owgrt_task *t)
{
	struct vision_job *job = owgrt_task_input(t);
	uint64_t k = owgrt_task_index(t);
	size_t size, fsize;
	const struct detect_out *d = owgrt_task_data(t, "detect", &size);
	const uint8_t *f = owgrt_task_data(t, "denoise", &fsize);
	if (job == NULL || d == NULL || size != sizeof *d || f == NULL || fsize != NPIX || k >= d->n)
		return 1;
	const struct box *bx = &d->box[k];
	uint8_t lab = (uint8_t)(k + 1);

	/* Moments of the object's pixels, weighted by their brightness. */
	double m = 0, mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
	uint32_t area = 0;
	for (int y = bx->y0; y <= bx->y1; y++)
		for (int x = bx->x0; x <= bx->x1; x++) {
			size_t i = (size_t)y * S + (size_t)x;
			if (d->label[i] != lab)
				continue;
			double w = f[i];
			area++;
			m += w;
			mx += w * x;
			my += w * y;
			mxx += w * x * x;
			myy += w * y * y;
			mxy += w * x * y;
		}
	if (area == 0 || m <= 0)
		return 1;
	double cx = mx / m, cy = my / m;
	double sxx = mxx / m - cx * cx, syy = myy / m - cy * cy, sxy = mxy / m - cx * cy;
	/* The axes of the object: the eigenvalues of its covariance. */
	double tr = sxx + syy, det = sxx * syy - sxy * sxy;
	double disc = sqrt(fmax(tr * tr / 4 - det, 0));
	double l1 = tr / 2 + disc, l2 = fmax(tr / 2 - disc, 1e-9);
	double elongation = sqrt(l1 / l2);

	struct vision_object *o = &job->obj[k];
	o->area = area;
	o->cx = (uint16_t)(cx + 0.5);
	o->cy = (uint16_t)(cy + 0.5);
	o->cls = area < 40 ? VISION_SPECK
	       : bx->peaks >= 2 ? VISION_PAIR
	       : elongation > 1.8 ? VISION_LONG : VISION_ROUND;
	o->done = 1;
	return 0;
}

int vision_alert(owgrt_task *t)
{
	struct vision_job *job = owgrt_task_input(t);
	size_t size;
	const struct detect_out *d = owgrt_task_data(t, "detect", &size);
	uint32_t *out = owgrt_task_output(t, sizeof *out);
	if (job == NULL || d == NULL || size != sizeof *d || out == NULL)
		return 1;
	/* How crowded: the cells of an 8x8 grid that objects cover a tenth of. */
	enum { CELLS = 8, CELL = S / CELLS };
	uint32_t covered[CELLS * CELLS] = { 0 };
	for (int y = 0; y < S; y++)
		for (int x = 0; x < S; x++) {
			uint8_t l = d->label[(size_t)y * S + (size_t)x];
			if (l != 0 && l != NOISE)
				covered[(y / CELL) * CELLS + x / CELL]++;
		}
	uint32_t cells = 0;
	for (int c = 0; c < CELLS * CELLS; c++)
		cells += covered[c] * 10 >= CELL * CELL;
	*out = cells;
	job->crowd_cells = cells;
	job->alerted = 1;
	return 0;
}

int vision_report(owgrt_task *t)
{
	struct vision_job *job = owgrt_task_input(t);
	if (job == NULL)
		return 1;
	/* After the foreach and the branch: every item has run, and alert's
	 * data is there when the branch was taken. */
	double objects = owgrt_task_get(t, "detect", "objects");
	size_t size;
	job->seen_objects = isfinite(objects) && objects >= 0 ? (uint32_t)objects : UINT32_MAX;
	job->seen_alert = owgrt_task_data(t, "alert", &size) != NULL;
	uint32_t measured = 0, classes[VISION_CLASSES] = { 0 };
	for (uint32_t k = 0; k < job->objects && k < VISION_MAX_OBJECTS; k++)
		if (job->obj[k].done) {
			measured++;
			classes[job->obj[k].cls]++;
		}
	job->measured = measured;
	memcpy(job->classes, classes, sizeof classes);
	job->reported = 1;
	return 0;
}
