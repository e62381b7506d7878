#include "config.h"

/* svg.c - the placement as a picture (--emit=svg).
 *
 * One standalone SVG 1.1 document: a text block (workflow, fabric, rate,
 * tasks pinned and elastic), then the mesh of the fabric twice, for the
 * octopus binding and for the static one, each a heat map of expected
 * utilisation, and a legend.
 *
 * Load: the definitions of --report's placement section (report.c): a
 * pinned task's expected busy PEAs (plan->demand_mean) spread evenly over
 * its replicas' PEAs; the elastic tasks' demand spread over the pools in
 * proportion to their size, that is evenly over all pool PEAs.  A cell's
 * utilisation is its busy PEAs over its usable (not defective) PEAs.
 *
 * Cells: one per PEA when the mesh is at most PEA_VIEW_MAX PEAs across and
 * down, else one per cluster; when even the clusters are more than
 * CELLS_MAX across or down, one per square block of clusters, so that the
 * document stays a few MB at most (about 2 MB for the wafer preset).  A
 * mesh of fewer than CLUSTERS_MIN clusters across and down (a large
 * flat-N is one cluster) gets square blocks of PEAs instead, at most
 * CELLS_MAX across and down.  Per-cell statistics (min, mean, max) leave
 * out cells without a usable PEA; otherwise, with a cell per cluster, they
 * are --report's cluster load.
 *
 * Drawing: the fill is the utilisation on a viridis scale (nine stops,
 * interpolated in sRGB as the legend's gradient is), clamped at 100% with
 * a red corner mark above; PEAs that hold neither a task nor a pool are
 * light grey, defective ones grey with a cross (a cluster with defective
 * PEAs gets the cross only).  Pinned PEAs are hatched and every replica of
 * a pinned task is outlined in black; in a cluster cell the hatched part
 * is the share of its usable PEAs that are pinned, and the outline goes
 * around the clusters holding pinned PEAs.  Cluster and chiplet
 * boundaries are white lines, the chiplet ones thicker, drawn when they
 * are at least LINE_GAP_MIN pixels apart.  Small meshes get a tooltip per
 * cell (<title>).
 *
 * Cells are the only elements written as `<rect x=` (tests count them).
 * Coordinates are integers or have one decimal; the output depends only
 * on the graph. */

#include "svg.h"

#include "fabric.h"
#include "plan.h"
#include "source.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PEA_VIEW_MAX 64      /* PEAs across and down for per-PEA cells */
#define CELLS_MAX 128        /* cells across and down, at most */
#define CLUSTERS_MIN 16      /* fewer clusters across and down: blocks of PEAs */
#define PANEL_PX 512         /* the longer side of a mesh, about */
#define CELL_PX_MIN 4
#define CELL_PX_MAX 48
#define TITLED_CELLS_MAX 4096 /* tooltips per cell up to this many cells */
#define LINE_GAP_MIN 12      /* boundary lines closer than this are left out */
#define NAME_MAX_CHARS 80    /* longer names are cut, with an ellipsis */
#define OVERLOAD 1.0005      /* utilisation shown as more than 100.0% */

enum {
	MARGIN = 24,
	HEADER_H = 96,   /* the text block */
	TITLE_H = 92,    /* a panel's title lines */
	PANEL_GAP = 48,
	PANEL_MIN_W = 440,
	LEGEND_W = 340,
	LEGEND_H = 560,
};

#define UNUSED_FILL "#ececec"
#define DEFECT_FILL "#9e9e9e"
#define OVER_FILL "#e31a1c"

typedef enum view_kind {
	VIEW_PEA,      /* a cell per PEA */
	VIEW_CLUSTER,  /* a cell per cluster */
	VIEW_CLUSTERS, /* a cell per square block of clusters */
	VIEW_PEAS,     /* a cell per square block of PEAs (clusters too few to draw) */
} view_kind;

typedef struct cell {
	double busy; /* expected busy PEAs at the plan's rate */
	uint32_t peas, defective, pinned, pooled;
	uint32_t task, replica; /* PEA view: the pinned task and its replica, else OWG_NONE */
} cell;

typedef struct svg {
	FILE *out;
	const owg_graph *g;
	const owg_plan *p;
	uint32_t w, h;       /* PEAs across and down */
	uint32_t gw, gh;     /* PEAs per cluster across and down */
	uint32_t ccols, crows; /* clusters across and down */
	uint32_t chw, chh;   /* PEAs per chiplet across and down */
	view_kind view;
	uint32_t block;      /* clusters (VIEW_CLUSTERS) or PEAs (VIEW_PEAS) per cell side, else 1 */
	uint32_t cw, ch;     /* PEAs per cell across and down */
	uint32_t cols, rows; /* cells */
	uint32_t s;          /* pixels per cell side */
	uint32_t slot_w;     /* width of a panel: max(cols * s, PANEL_MIN_W) */
	/* cells between boundary lines across [0] and down [1]; 0: not drawn */
	uint32_t cluster_lines[2], chiplet_lines[2];
	bool titled;         /* a tooltip per cell */
	uint64_t *defects;   /* distinct defective PEAs inside the mesh, ascending */
	size_t ndefects;
} svg;

/* --- text --- */

/* Character data or an attribute value: the five XML specials as
 * references, control characters as '?', bytes that are not well-formed
 * UTF-8 and U+FFFE, U+FFFF (not XML characters) as U+FFFD; cut after
 * NAME_MAX_CHARS characters with an ellipsis. */
static void xml_text(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	for (size_t chars = 0; *s; chars++) {
		if (chars == NAME_MAX_CHARS) {
			fputs("\xe2\x80\xa6", out);
			return;
		}
		unsigned char c = *s;
		if (c >= 0x80) {
			size_t k = owg_utf8_len(s, strnlen((const char *)s, 4)); /* source.h */
			if (k == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
				fputs("\xef\xbf\xbd", out);
			else if (k)
				fwrite(s, 1, k, out);
			else
				fputs("\xef\xbf\xbd", out);
			s += k ? k : 1;
			continue;
		}
		s++;
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: putc(c < 0x20 || c == 0x7f ? '?' : c, out);
		}
	}
}

/* --- colour --- */

/* viridis at 0, 1/8, ..., 1 */
static const unsigned char stops[9][3] = {
	{0x44, 0x01, 0x54}, {0x47, 0x2c, 0x7a}, {0x3b, 0x51, 0x8b}, {0x2c, 0x71, 0x8e}, {0x21, 0x90, 0x8d},
	{0x27, 0xad, 0x81}, {0x5c, 0xc8, 0x63}, {0xaa, 0xdc, 0x32}, {0xfd, 0xe7, 0x25},
};

/* The colour of utilisation u (0 to 1, clamped) as #rrggbb. */
static void colour(char buf[8], double u)
{
	if (!(u > 0))
		u = 0; /* NaN too */
	if (u > 1)
		u = 1;
	double f = u * 8;
	int i = (int)f;
	if (i > 7)
		i = 7;
	double t = f - i;
	int rgb[3];
	for (int k = 0; k < 3; k++)
		rgb[k] = (int)lround(stops[i][k] + t * (stops[i + 1][k] - stops[i][k]));
	snprintf(buf, 8, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

/* --- the cells of a binding --- */

static uint32_t cell_of(const svg *v, uint64_t q)
{
	uint32_t x = (uint32_t)(q % v->w), y = (uint32_t)(q / v->w);
	return y / v->ch * v->cols + x / v->cw;
}

static uint32_t usable(const cell *e)
{
	return e->peas > e->defective ? e->peas - e->defective : 0;
}

/* Usable PEAs with neither a task nor a pool. */
static uint32_t unused(const cell *e)
{
	uint32_t used = e->pinned + e->pooled;
	return usable(e) > used ? usable(e) - used : 0;
}

static double util(const cell *e)
{
	return usable(e) ? e->busy / usable(e) : 0;
}

/* Expected busy PEAs per cell (report.c's cluster_load, per PEA). */
static cell *fill_cells(const svg *v, const owg_binding *b)
{
	const owg_graph *g = v->g;
	const owg_plan *p = v->p;
	uint64_t mesh = (uint64_t)v->w * v->h;
	cell *c = owg_xcalloc((size_t)v->cols * v->rows, sizeof *c);
	for (uint32_t r = 0; r < v->rows; r++)
		for (uint32_t k = 0; k < v->cols; k++) {
			cell *e = &c[(size_t)r * v->cols + k];
			uint64_t x0 = (uint64_t)k * v->cw, y0 = (uint64_t)r * v->ch;
			uint64_t x1 = x0 + v->cw < v->w ? x0 + v->cw : v->w;
			uint64_t y1 = y0 + v->ch < v->h ? y0 + v->ch : v->h;
			e->peas = (uint32_t)((x1 - x0) * (y1 - y0));
			e->task = e->replica = OWG_NONE;
		}
	for (size_t i = 0; i < v->ndefects; i++)
		c[cell_of(v, v->defects[i])].defective++;

	double elastic = 0;
	for (size_t t = 0; t < g->nodes.n; t++) {
		const owg_node *n = &g->nodes.v[t];
		if (n->kind != OWG_NODE_TB)
			continue;
		uint64_t size = (uint64_t)b->replicas[t] * n->peas;
		double d = isfinite(p->demand_mean[t]) && p->demand_mean[t] > 0 ? p->demand_mean[t] : 0;
		if (!size) {
			elastic += d;
			continue;
		}
		if (b->first[t] > b->npeas || size > b->npeas - b->first[t])
			continue; /* not a legal plan: plan_verify says so */
		for (uint64_t k = 0; k < size; k++) {
			uint32_t q = b->peas[b->first[t] + k];
			if (q >= mesh)
				continue;
			cell *e = &c[cell_of(v, q)];
			e->busy += d / (double)size;
			e->pinned++;
			if (v->view == VIEW_PEA) {
				e->task = (uint32_t)t;
				e->replica = (uint32_t)(k / n->peas);
			}
		}
	}
	uint32_t nc = p->cwidth * p->cheight;
	uint64_t pooled = 0;
	for (uint32_t cl = 0; cl < nc; cl++)
		pooled += b->pool_size[cl];
	for (uint32_t cl = 0; cl < nc && pooled; cl++) {
		if (b->pool_first[cl] > b->npeas || b->pool_size[cl] > b->npeas - b->pool_first[cl])
			continue;
		for (uint32_t k = 0; k < b->pool_size[cl]; k++) {
			uint32_t q = b->peas[b->pool_first[cl] + k];
			if (q >= mesh)
				continue;
			cell *e = &c[cell_of(v, q)];
			e->busy += elastic / (double)pooled;
			e->pooled++;
		}
	}
	return c;
}

/* --- pieces of a panel --- */

static const char *cell_noun(const svg *v)
{
	return v->view == VIEW_PEA ? "PEA" : v->view == VIEW_CLUSTER ? "cluster" : "cell";
}

/* The last of the n things in block k of `block` things each. */
static uint32_t last(uint32_t k, uint32_t block, uint32_t n)
{
	uint64_t end = (uint64_t)(k + 1) * block;
	return (uint32_t)(end < n ? end : n) - 1;
}

/* PEAs down in the cells of row r (the last row may be short). */
static uint32_t cell_h(const svg *v, uint32_t r)
{
	return r + 1 < v->rows ? v->ch : v->h - r * v->ch;
}

static void cell_title(const svg *v, const owg_binding *b, const cell *e, uint32_t k, uint32_t r)
{
	FILE *out = v->out;
	double u = 100 * util(e);
	fputs("<title>", out);
	if (v->view == VIEW_PEA) {
		fprintf(out, "PEA (%u, %u) in cluster (%u, %u): ", k, r, k / v->gw, r / v->gh);
		if (e->defective) {
			fputs("defective", out);
		} else if (e->task != OWG_NONE) {
			xml_text(out, v->g->nodes.v[e->task].name);
			fprintf(out, ", replica %u of %u, pinned; %.1f%% busy", e->replica + 1,
				(unsigned)b->replicas[e->task], u);
		} else if (e->pooled) {
			fprintf(out, "elastic pool; %.1f%% busy", u);
		} else {
			fputs("unused", out);
		}
	} else {
		if (v->view == VIEW_CLUSTER)
			fprintf(out, "cluster (%u, %u)", k, r);
		else if (v->view == VIEW_CLUSTERS)
			fprintf(out, "clusters (%u-%u, %u-%u)", k * v->block, last(k, v->block, v->ccols), r * v->block,
				last(r, v->block, v->crows));
		else
			fprintf(out, "PEAs (%u-%u, %u-%u)", k * v->cw, k * v->cw + e->peas / cell_h(v, r) - 1,
				r * v->ch, r * v->ch + cell_h(v, r) - 1);
		fprintf(out, ": %.1f%% busy; %u PEAs: %u pinned, %u in the pool, %u unused, %u defective", u,
			(unsigned)e->peas, (unsigned)e->pinned, (unsigned)e->pooled,
			(unsigned)unused(e), (unsigned)e->defective);
	}
	fputs("</title>", out);
}

static void draw_cells(const svg *v, const owg_binding *b, const cell *c)
{
	FILE *out = v->out;
	char fill[8];
	fputs("<g shape-rendering=\"crispEdges\">\n", out);
	for (uint32_t r = 0; r < v->rows; r++)
		for (uint32_t k = 0; k < v->cols; k++) {
			const cell *e = &c[(size_t)r * v->cols + k];
			if (!usable(e))
				strcpy(fill, DEFECT_FILL);
			else if (!e->pinned && !e->pooled)
				strcpy(fill, UNUSED_FILL);
			else
				colour(fill, util(e));
			fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\"", k * v->s,
				r * v->s, v->s, v->s, fill);
			if (v->titled) {
				putc('>', out);
				cell_title(v, b, e, k, r);
				fputs("</rect>\n", out);
			} else {
				fputs("/>\n", out);
			}
		}
	fputs("</g>\n", out);
}

/* Pixels of cell e to hatch, from the bottom: its share of pinned PEAs. */
static uint32_t hatch_height(const svg *v, const cell *e)
{
	if (!e->pinned || !usable(e))
		return 0;
	if (v->view == VIEW_PEA || e->pinned >= usable(e))
		return v->s;
	uint32_t hh = (uint32_t)ceil((double)e->pinned / usable(e) * v->s);
	return hh < 1 ? 1 : hh > v->s ? v->s : hh;
}

/* One path of rectangles, runs of cells with the same height merged. */
static void draw_hatch(const svg *v, const cell *c)
{
	FILE *out = v->out;
	bool any = false;
	for (uint32_t r = 0; r < v->rows; r++)
		for (uint32_t k = 0; k < v->cols;) {
			uint32_t hh = hatch_height(v, &c[(size_t)r * v->cols + k]), run = 1;
			while (k + run < v->cols && hatch_height(v, &c[(size_t)r * v->cols + k + run]) == hh)
				run++;
			if (hh) {
				if (!any)
					fputs("<path fill=\"url(#hatch)\" d=\"", out);
				any = true;
				fprintf(out, "M%u %uh%uv%uh-%uz", k * v->s, r * v->s + v->s - hh, run * v->s, hh, run * v->s);
			}
			k += run;
		}
	if (any)
		fputs("\"/>\n", out);
}

/* Are cells a and b (either may be NULL: outside the mesh) on different
 * sides of an outline?  PEA view: one outline per replica of a pinned
 * task; cluster view: around the cells holding pinned PEAs. */
static bool outlined_edge(const svg *v, const cell *a, const cell *b)
{
	bool ga = a && a->pinned, gb = b && b->pinned;
	if (ga != gb)
		return true;
	if (!ga || v->view != VIEW_PEA)
		return false;
	return a->task != b->task || a->replica != b->replica;
}

static void outline_path(const svg *v, const cell *c, const char *cls)
{
	FILE *out = v->out;
	bool any = false;
	/* horizontal edges, on the line above row r */
	for (uint32_t r = 0; r <= v->rows; r++)
		for (uint32_t k = 0; k < v->cols;) {
			const cell *a = r ? &c[(size_t)(r - 1) * v->cols + k] : NULL;
			const cell *b = r < v->rows ? &c[(size_t)r * v->cols + k] : NULL;
			if (!outlined_edge(v, a, b)) {
				k++;
				continue;
			}
			uint32_t run = 1;
			while (k + run < v->cols &&
			       outlined_edge(v, r ? &c[(size_t)(r - 1) * v->cols + k + run] : NULL,
					     r < v->rows ? &c[(size_t)r * v->cols + k + run] : NULL))
				run++;
			if (!any)
				fprintf(out, "<path class=\"%s\" d=\"", cls);
			any = true;
			fprintf(out, "M%u %uh%u", k * v->s, r * v->s, run * v->s);
			k += run;
		}
	/* vertical edges, on the line left of column k */
	for (uint32_t k = 0; k <= v->cols; k++)
		for (uint32_t r = 0; r < v->rows;) {
			const cell *a = k ? &c[(size_t)r * v->cols + k - 1] : NULL;
			const cell *b = k < v->cols ? &c[(size_t)r * v->cols + k] : NULL;
			if (!outlined_edge(v, a, b)) {
				r++;
				continue;
			}
			uint32_t run = 1;
			while (r + run < v->rows &&
			       outlined_edge(v, k ? &c[(size_t)(r + run) * v->cols + k - 1] : NULL,
					     k < v->cols ? &c[(size_t)(r + run) * v->cols + k] : NULL))
				run++;
			if (!any)
				fprintf(out, "<path class=\"%s\" d=\"", cls);
			any = true;
			fprintf(out, "M%u %uv%u", k * v->s, r * v->s, run * v->s);
			r += run;
		}
	if (any)
		fputs("\"/>\n", out);
}

/* Black on a white casing, to show on every colour. */
static void draw_outlines(const svg *v, const cell *c)
{
	outline_path(v, c, "casing");
	outline_path(v, c, "outline");
}

/* A cross over every cell with defective PEAs, and a red corner on every
 * cell above 100%. */
static void draw_marks(const svg *v, const cell *c)
{
	FILE *out = v->out;
	double in = v->s >= 12 ? v->s * 0.22 : v->s * 0.1, d = v->s - 2 * in;
	for (int pass = 0; pass < 2; pass++) {
		bool any = false;
		for (uint32_t r = 0; r < v->rows; r++)
			for (uint32_t k = 0; k < v->cols; k++) {
				const cell *e = &c[(size_t)r * v->cols + k];
				if (!e->defective)
					continue;
				if (!any)
					fprintf(out, "<path class=\"%s\" d=\"", pass ? "cross" : "halo");
				any = true;
				fprintf(out, "M%.1f %.1fl%.1f %.1fm%.1f 0l%.1f %.1f", k * v->s + in, r * v->s + in, d, d, -d,
					d, -d);
			}
		if (any)
			fputs("\"/>\n", out);
	}
	bool any = false;
	for (uint32_t r = 0; r < v->rows; r++)
		for (uint32_t k = 0; k < v->cols; k++) {
			const cell *e = &c[(size_t)r * v->cols + k];
			if (!usable(e) || util(e) <= OVERLOAD)
				continue;
			if (!any)
				fputs("<path fill=\"" OVER_FILL "\" d=\"", out);
			any = true;
			fprintf(out, "M%.1f %uH%uV%.1fz", k * v->s + v->s * 0.4, r * v->s, (k + 1) * v->s,
				r * v->s + v->s * 0.6);
		}
	if (any)
		fputs("\"/>\n", out);
}

/* Boundary lines thin enough to leave most of the cells they cross visible. */
static double cluster_width(const svg *v)
{
	return v->s >= 16 ? 1.5 : 1;
}

static double chiplet_width(const svg *v)
{
	return v->s >= 16 ? 4 : v->s >= 8 ? 3 : 1.6;
}

/* Lines every every[0] cells across and every[1] down (0: none). */
static void draw_lines(const svg *v, const uint32_t every[2], const char *cls, double width)
{
	if (!every[0] && !every[1])
		return;
	FILE *out = v->out;
	fprintf(out, "<path class=\"%s\" stroke-width=\"%.1f\" d=\"", cls, width);
	for (uint32_t k = every[0]; every[0] && k < v->cols; k += every[0])
		fprintf(out, "M%u 0v%u", k * v->s, v->rows * v->s);
	for (uint32_t r = every[1]; every[1] && r < v->rows; r += every[1])
		fprintf(out, "M0 %uh%u", r * v->s, v->cols * v->s);
	fputs("\"/>\n", out);
}

/* --- a panel: title lines and the mesh of one binding --- */

static void panel(const svg *v, const owg_binding *b, const char *name, const char *what, uint32_t ox,
		  uint32_t oy)
{
	FILE *out = v->out;
	cell *c = fill_cells(v, b);
	size_t n = (size_t)v->cols * v->rows;
	uint64_t pinned = 0, pooled = 0, free_peas = 0;
	/* utilisation over the cells with usable PEAs */
	double lo = 0, hi = 0, sum = 0;
	size_t busiest = 0, counted = 0;
	for (size_t i = 0; i < n; i++) {
		pinned += c[i].pinned;
		pooled += c[i].pooled;
		free_peas += unused(&c[i]);
		if (!usable(&c[i]))
			continue;
		double u = util(&c[i]);
		if (!counted++ || u < lo)
			lo = u;
		if (counted == 1 || u > hi) {
			hi = u;
			busiest = i;
		}
		sum += u;
	}
	fprintf(out, "<g id=\"%s\" transform=\"translate(%u,%u)\">\n", name, ox, oy);
	fprintf(out, "<text class=\"h2\" y=\"20\">%s binding <tspan class=\"what\">%s</tspan></text>\n", name,
		what);
	fprintf(out, "<text y=\"44\">%llu PEAs pinned, %llu in elastic pools, %llu unused</text>\n",
		(unsigned long long)pinned, (unsigned long long)pooled, (unsigned long long)free_peas);
	fprintf(out, "<text y=\"63\">expected traffic %.4g byte-hops per request</text>\n", b->traffic);
	fprintf(out, "<text y=\"82\">utilisation per %s: min %.1f%%, mean %.1f%%, max %.1f%% at (%u, %u)</text>\n",
		cell_noun(v), 100 * lo, counted ? 100 * sum / (double)counted : 0.0, 100 * hi, (unsigned)(busiest % v->cols),
		(unsigned)(busiest / v->cols));
	fprintf(out, "<g transform=\"translate(0,%d)\"%s>\n", TITLE_H, v->s < 8 ? " class=\"small\"" : "");
	draw_cells(v, b, c);
	draw_hatch(v, c);
	draw_lines(v, v->cluster_lines, "cluster", cluster_width(v));
	draw_lines(v, v->chiplet_lines, "chiplet", chiplet_width(v));
	draw_outlines(v, c);
	draw_marks(v, c);
	fprintf(out, "<rect class=\"frame\" fill=\"none\" width=\"%u\" height=\"%u\"/>\n", v->cols * v->s, v->rows * v->s);
	fputs("</g>\n</g>\n", out);
	free(c);
}

/* --- legend --- */

static void swatch_text(FILE *out, int y, const char *line1, const char *line2)
{
	fprintf(out, "<text x=\"46\" y=\"%d\">%s</text>\n", y + 13, line1);
	if (line2)
		fprintf(out, "<text x=\"46\" y=\"%d\" class=\"note\">%s</text>\n", y + 29, line2);
}

static void legend(const svg *v, uint32_t ox, uint32_t oy)
{
	FILE *out = v->out;
	char fill[8];
	bool pea = v->view == VIEW_PEA;
	fprintf(out, "<g id=\"legend\" transform=\"translate(%u,%u)\">\n", ox, oy);
	fputs("<text class=\"h2\" y=\"20\">Expected utilisation</text>\n"
	      "<text y=\"40\" class=\"note\">busy PEAs / usable PEAs of a cell, at the planned rate</text>\n",
	      out);
	/* the colour bar, 0% at the bottom, and the mark above 100% */
	int bar_y = 88, bar_h = 200;
	fprintf(out, "<path fill=\"" OVER_FILL "\" d=\"M0 %dl12 -16l12 16z\"/>\n", bar_y - 10);
	fprintf(out, "<text x=\"34\" y=\"%d\">above 100%%: colour clamped, red corner</text>\n",
		bar_y - 14);
	fprintf(out, "<rect class=\"frame\" y=\"%d\" width=\"24\" height=\"%d\" fill=\"url(#scale)\"/>\n", bar_y,
		bar_h);
	for (int t = 0; t <= 4; t++) {
		int y = bar_y + bar_h - t * bar_h / 4;
		fprintf(out, "<path class=\"tick\" d=\"M24 %dh6\"/><text x=\"34\" y=\"%d\">%d%%</text>\n", y, y + 4,
			25 * t);
	}

	int y = bar_y + bar_h + 26;
	colour(fill, 0.7);
	fprintf(out, "<rect class=\"frame\" y=\"%d\" width=\"18\" height=\"18\" fill=\"%s\"/>\n", y, fill);
	swatch_text(out, y, pea ? "elastic pool PEA (octopus binding only)" : "plain: no pinned PEAs",
		    pea ? "elastic tasks share the pools of all clusters" : "elastic pool or unused PEAs only");
	y += 44;
	fprintf(out, "<rect y=\"%d\" width=\"18\" height=\"18\" fill=\"%s\"/>\n", y, fill);
	if (pea) {
		fprintf(out, "<rect y=\"%d\" width=\"18\" height=\"18\" fill=\"url(#hatch)\"/>\n", y);
		fprintf(out, "<rect class=\"casing\" y=\"%d\" width=\"18\" height=\"18\"/>\n", y);
		fprintf(out, "<rect class=\"outline\" y=\"%d\" width=\"18\" height=\"18\"/>\n", y);
		swatch_text(out, y, "pinned PEA (hatched)", "black outline: one replica of a pinned task");
	} else {
		fprintf(out, "<rect y=\"%d\" width=\"18\" height=\"8\" fill=\"url(#hatch)\"/>\n", y + 10);
		fprintf(out, "<rect class=\"casing\" y=\"%d\" width=\"18\" height=\"18\"/>\n", y);
		fprintf(out, "<rect class=\"outline\" y=\"%d\" width=\"18\" height=\"18\"/>\n", y);
		swatch_text(out, y, "hatched part: share of pinned PEAs",
			    "black outline: around the cells holding pinned PEAs");
	}
	y += 44;
	fprintf(out, "<rect class=\"frame\" y=\"%d\" width=\"18\" height=\"18\" fill=\"" UNUSED_FILL "\"/>\n", y);
	swatch_text(out, y, pea ? "unused PEA: no task, no pool" : "unused: no task, no pool", NULL);
	y += 30;
	fprintf(out, "<rect class=\"frame\" y=\"%d\" width=\"18\" height=\"18\" fill=\"%s\"/>\n", y,
		pea ? DEFECT_FILL : fill);
	fprintf(out, "<path class=\"halo\" d=\"M4 %dl10 10m-10 0l10 -10\"/>", y + 4);
	fprintf(out, "<path class=\"cross\" d=\"M4 %dl10 10m-10 0l10 -10\"/>\n", y + 4);
	swatch_text(out, y, pea ? "defective PEA" : "cell with defective PEAs",
		    pea ? NULL : "grey: every PEA of the cell defective");
	y += pea ? 30 : 44;
	if (v->cluster_lines[0] || v->cluster_lines[1]) {
		fprintf(out, "<rect y=\"%d\" width=\"36\" height=\"18\" fill=\"%s\"/>", y, fill);
		fprintf(out, "<path class=\"cluster\" stroke-width=\"%.1f\" d=\"M18 %dv18\"/>\n", cluster_width(v), y);
		swatch_text(out, y, "cluster boundary", NULL);
		y += 30;
	}
	if (v->chiplet_lines[0] || v->chiplet_lines[1]) {
		fprintf(out, "<rect y=\"%d\" width=\"36\" height=\"18\" fill=\"%s\"/>", y, fill);
		fprintf(out, "<path class=\"chiplet\" stroke-width=\"%.1f\" d=\"M18 %dv18\"/>\n", chiplet_width(v), y);
		swatch_text(out, y, "chiplet boundary", NULL);
		y += 30;
	}
	y += 10;
	if (pea)
		fprintf(out, "<text y=\"%d\">one cell: one PEA</text>\n", y);
	else if (v->view == VIEW_CLUSTER)
		fprintf(out, "<text y=\"%d\">one cell: one cluster of %ux%u PEAs</text>\n", y, (unsigned)v->gw,
			(unsigned)v->gh);
	else if (v->view == VIEW_CLUSTERS)
		fprintf(out, "<text y=\"%d\">one cell: %ux%u clusters (%ux%u PEAs)</text>\n", y,
			(unsigned)v->block, (unsigned)v->block, (unsigned)v->cw, (unsigned)v->ch);
	else
		fprintf(out, "<text y=\"%d\">one cell: %ux%u PEAs</text>\n", y, (unsigned)v->cw, (unsigned)v->ch);
	if (v->titled)
		fprintf(out, "<text y=\"%d\" class=\"note\">hover over a cell for its figures</text>\n", y + 18);
	fputs("</g>\n", out);
}

/* --- the document --- */

static void prologue(const svg *v, uint32_t width, uint32_t height, uint32_t hatch)
{
	FILE *out = v->out;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\">\n", width, height, width, height);
	fputs("<title>", out);
	xml_text(out, v->g->name);
	fputs(": expected load of the placement on fabric ", out);
	xml_text(out, v->p->fabric.name ? v->p->fabric.name : "?");
	fputs("</title>\n", out);
	fputs("<style type=\"text/css\"><![CDATA[\n"
	      "text{font-family:DejaVu Sans,Verdana,Arial,sans-serif;font-size:13px;fill:#222}\n"
	      ".h1{font-size:20px;font-weight:bold}\n"
	      ".h2{font-size:16px;font-weight:bold}\n"
	      ".what{font-weight:normal;fill:#555}\n"
	      ".note{font-size:11px;fill:#555}\n"
	      ".frame{stroke:#333;stroke-width:1}\n"
	      ".tick{stroke:#333;stroke-width:1}\n"
	      ".cluster,.chiplet{fill:none;stroke:#fff}\n"
	      ".casing{fill:none;stroke:#fff;stroke-width:4;stroke-linecap:square}\n"
	      ".outline{fill:none;stroke:#000;stroke-width:2;stroke-linecap:square}\n"
	      ".small .casing{stroke-width:2.6}\n"
	      ".small .outline{stroke-width:1.2}\n"
	      ".halo{fill:none;stroke:#fff;stroke-width:2.6}\n"
	      ".cross{fill:none;stroke:#000;stroke-width:1.2}\n"
	      "]]></style>\n",
	      out);
	fputs("<defs>\n<linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n", out);
	for (int i = 0; i < 9; i++)
		fprintf(out, "<stop offset=\"%.3f\" stop-color=\"#%02x%02x%02x\"/>\n", i / 8.0, stops[i][0], stops[i][1],
			stops[i][2]);
	fputs("</linearGradient>\n", out);
	/* stripes at 45 degrees, dark and light so that they show on every colour */
	fprintf(out, "<pattern id=\"hatch\" width=\"%u\" height=\"%u\" patternUnits=\"userSpaceOnUse\" "
		"patternTransform=\"rotate(45)\">\n"
		"<rect width=\"1\" height=\"%u\" fill=\"#000\" fill-opacity=\"0.55\"/>\n"
		"<rect width=\"1\" height=\"%u\" x=\"1\" fill=\"#fff\" fill-opacity=\"0.5\"/>\n"
		"</pattern>\n</defs>\n",
		hatch, hatch, hatch, hatch);
}

static void header(const svg *v)
{
	FILE *out = v->out;
	const owg_plan *p = v->p;
	const owg_fabric *f = &p->fabric;
	const owg_graph *g = v->g;
	size_t pinned = 0, elastic = 0;
	for (size_t t = 0; t < g->nodes.n; t++)
		if (g->nodes.v[t].kind == OWG_NODE_TB)
			p->pinned[t] ? pinned++ : elastic++;
	uint64_t peas = (uint64_t)v->w * v->h;
	fprintf(out, "<g id=\"header\" transform=\"translate(%d,%d)\">\n<text class=\"h1\" y=\"20\">", MARGIN, MARGIN);
	xml_text(out, g->name);
	fputs(": expected load of the placement on fabric ", out);
	xml_text(out, f->name ? f->name : "?");
	fputs("</text>\n<text y=\"46\">fabric ", out);
	xml_text(out, f->name ? f->name : "?");
	if (f->flat)
		fprintf(out, ": %llu identical PEAs, %ux%u (flat: communication costs nothing)",
			(unsigned long long)peas, (unsigned)v->w, (unsigned)v->h);
	else
		fprintf(out, ": %ux%u PEAs, %ux%u chiplets of %ux%u clusters of %ux%u PEAs", (unsigned)v->w,
			(unsigned)v->h, (unsigned)f->grid_w[OWG_FAB_PACKAGE], (unsigned)f->grid_h[OWG_FAB_PACKAGE],
			(unsigned)f->grid_w[OWG_FAB_CHIPLET], (unsigned)f->grid_h[OWG_FAB_CHIPLET], (unsigned)v->gw,
			(unsigned)v->gh);
	fprintf(out, "; %llu usable, %llu defective</text>\n", (unsigned long long)(peas - v->ndefects),
		(unsigned long long)v->ndefects);
	fprintf(out, "<text y=\"66\">sized for %.6g requests/s (-O%d, seed %llu); tasks: %zu pinned (steady and "
		"stable), %zu elastic</text>\n", p->rate, p->opt, (unsigned long long)p->seed, pinned, elastic);
	fputs("</g>\n", out);
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Cells between boundary lines `peas` PEAs apart on a side of `cells`
 * cells of `side` PEAs, or 0 when the lines would fall inside cells, on
 * every cell edge, closer than LINE_GAP_MIN, or nowhere inside the mesh. */
static uint32_t line_every(const svg *v, uint64_t peas, uint32_t side, uint32_t cells)
{
	if (peas % side)
		return 0;
	uint64_t every = peas / side;
	if (every < 2 || every * v->s < LINE_GAP_MIN || every >= cells)
		return 0;
	return (uint32_t)every;
}

static void no_plan(const owg_graph *g, FILE *out)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"720\" height=\"64\" "
	      "viewBox=\"0 0 720 64\">\n<text x=\"24\" y=\"38\" font-family=\"sans-serif\" font-size=\"14\">",
	      out);
	xml_text(out, g->name);
	fputs(": no placement (choose a fabric with --fabric)</text>\n</svg>\n", out);
}

void owg_svg_write(const owg_graph *g, FILE *out)
{
	const owg_plan *p = g->plan;
	if (!p || !p->width || !p->height) {
		no_plan(g, out);
		return;
	}
	svg v = {.out = out, .g = g, .p = p, .w = p->width, .h = p->height};
	const owg_fabric *f = &p->fabric;
	v.gw = f->grid_w[OWG_FAB_CLUSTER] ? f->grid_w[OWG_FAB_CLUSTER] : 1;
	v.gh = f->grid_h[OWG_FAB_CLUSTER] ? f->grid_h[OWG_FAB_CLUSTER] : 1;
	v.chw = v.gw * (f->grid_w[OWG_FAB_CHIPLET] ? f->grid_w[OWG_FAB_CHIPLET] : 1);
	v.chh = v.gh * (f->grid_h[OWG_FAB_CHIPLET] ? f->grid_h[OWG_FAB_CHIPLET] : 1);
	v.ccols = (v.w + v.gw - 1) / v.gw;
	v.crows = (v.h + v.gh - 1) / v.gh;
	uint32_t cmost = v.ccols > v.crows ? v.ccols : v.crows, most = v.w > v.h ? v.w : v.h;
	v.block = 1;
	v.cw = v.ch = 1;
	if (v.w <= PEA_VIEW_MAX && v.h <= PEA_VIEW_MAX) {
		v.view = VIEW_PEA;
	} else if (cmost >= CLUSTERS_MIN) {
		v.block = (cmost + CELLS_MAX - 1) / CELLS_MAX;
		v.view = v.block > 1 ? VIEW_CLUSTERS : VIEW_CLUSTER;
		v.cw = (uint32_t)((uint64_t)v.block * v.gw < v.w ? v.block * v.gw : v.w);
		v.ch = (uint32_t)((uint64_t)v.block * v.gh < v.h ? v.block * v.gh : v.h);
	} else {
		/* a flat fabric, or huge clusters: blocks of PEAs */
		v.block = (most + CELLS_MAX - 1) / CELLS_MAX;
		v.view = v.block > 1 ? VIEW_PEAS : VIEW_PEA;
		v.cw = v.block < v.w ? v.block : v.w;
		v.ch = v.block < v.h ? v.block : v.h;
	}
	v.cols = (v.w + v.cw - 1) / v.cw;
	v.rows = (v.h + v.ch - 1) / v.ch;
	uint32_t cells = v.cols > v.rows ? v.cols : v.rows;
	v.s = PANEL_PX / cells;
	v.s = v.s < CELL_PX_MIN ? CELL_PX_MIN : v.s > CELL_PX_MAX ? CELL_PX_MAX : v.s;
	v.titled = (uint64_t)v.cols * v.rows <= TITLED_CELLS_MAX;
	v.slot_w = v.cols * v.s > PANEL_MIN_W ? v.cols * v.s : PANEL_MIN_W;
	v.chiplet_lines[0] = line_every(&v, v.chw, v.cw, v.cols);
	v.chiplet_lines[1] = line_every(&v, v.chh, v.ch, v.rows);
	v.cluster_lines[0] = line_every(&v, v.gw, v.cw, v.cols);
	v.cluster_lines[1] = line_every(&v, v.gh, v.ch, v.rows);
	for (int i = 0; i < 2; i++)
		if (v.cluster_lines[i] == v.chiplet_lines[i])
			v.cluster_lines[i] = 0;

	/* distinct defects inside the mesh (a fabric block may repeat one) */
	if (f->ndefects && f->defects) {
		v.defects = owg_xmalloc(f->ndefects * sizeof *v.defects);
		for (uint32_t i = 0; i < f->ndefects; i++)
			if (f->defects[i][0] < v.w && f->defects[i][1] < v.h)
				v.defects[v.ndefects++] = (uint64_t)f->defects[i][1] * v.w + f->defects[i][0];
		qsort(v.defects, v.ndefects, sizeof *v.defects, cmp_u64);
		size_t n = 0;
		for (size_t i = 0; i < v.ndefects; i++)
			if (!n || v.defects[i] != v.defects[n - 1])
				v.defects[n++] = v.defects[i];
		v.ndefects = n;
	}

	uint32_t mesh_h = v.rows * v.s;
	uint32_t width = MARGIN + 2 * (v.slot_w + PANEL_GAP) + LEGEND_W + MARGIN;
	uint32_t body = mesh_h + TITLE_H > LEGEND_H ? mesh_h + TITLE_H : LEGEND_H;
	uint32_t height = MARGIN + HEADER_H + body + MARGIN;
	uint32_t hatch = v.s >= 16 ? 8 : v.s >= 8 ? 6 : 4;
	prologue(&v, width, height, hatch);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", out);
	header(&v);
	uint32_t top = MARGIN + HEADER_H;
	panel(&v, &p->octopus, "octopus", "(discriminating)",
	      MARGIN, top);
	panel(&v, &p->fixed, "static", "(conventional: every task pinned)", MARGIN + v.slot_w + PANEL_GAP, top);
	legend(&v, MARGIN + 2 * (v.slot_w + PANEL_GAP), top);
	fputs("</svg>\n", out);
	free(v.defects);
}
