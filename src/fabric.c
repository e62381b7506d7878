/* fabric.c - the fabric model: built-in presets, geometry and costs (see
 * fabric.h), and the resolution of --fabric=NAME|FILE.
 *
 * The presets' figures are estimates of the order of magnitude of
 * published spatial accelerators and wafer-scale systems, not the data
 * sheet of any one machine:
 *  - a hop between neighbouring PEAs of a cluster takes about one cycle at
 *    about 1 GHz (1 ns) over a wide (512-bit) link, 64 GiB/s: the
 *    single-cycle neighbour links of CGRAs (Plasticine, Cerebras'
 *    fabric, Tenstorrent's Tensix grid) are of that order;
 *  - a hop between clusters of a chip goes through a router of a mesh
 *    network-on-chip, a few cycles per hop (4 ns) over a narrower
 *    link (32 GiB/s);
 *  - a hop between chiplets of a package crosses a die-to-die interface
 *    (UCIe, AMD's Infinity Fabric, Intel's EMIB): some 15 to 25 ns more
 *    and a fraction of the on-chip bandwidth (20 ns, 16 GiB/s per link);
 *    between dies of one wafer, wired across the scribe lines as on
 *    Cerebras' WSE, less (16 ns, 32 GiB/s);
 *  - between packages, boards and cables: 64 ns, 8 GiB/s (never crossed
 *    by a preset, which is one package, but shown and kept in the IR);
 *  - loading a configuration into a PEA streams at 8 GiB/s, and the
 *    control plane answers in 20 ns.
 * The on-chip figures are the language's defaults (fabric blocks, see
 * owg(5)), so a fabric block that gives only grids is like `default`. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fabric.h"
#include "parse.h"
#include "../runtime/owgrt_mesh.h"
#include "../runtime/owgrt_rng.h"
#include "sema.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define NS 1e-9

/* flat-N: N from 1 to FLAT_MAX (a grid side is at most 2^20). */
#define FLAT_MAX 1048576u

/* --- presets --- */

typedef struct preset {
	const char *name;
	const char *top;  /* what the top level's grid holds: "chiplets", "dies" */
	uint32_t w[OWG_FAB_LEVELS], h[OWG_FAB_LEVELS]; /* [CLUSTER..PACKAGE] as in owg_fabric */
	double hop[OWG_FAB_LEVELS];                    /* seconds */
	double bw[OWG_FAB_LEVELS];                     /* bytes per second */
	double reconfig, control;
	uint32_t ndefects; /* placed by the generator from `seed` */
	uint64_t seed;
	const char *models;
} preset;

static const preset presets[] = {
	{"default", "chiplets", {1, 4, 4, 1}, {1, 4, 4, 1},
	 {1 * NS, 4 * NS, 16 * NS, 64 * NS}, {64 * GIB, 32 * GIB, 16 * GIB, 8 * GIB},
	 8 * GIB, 20 * NS, 0, 0,
	 "a single chip: one 16x16 mesh of PEAs (used when no fabric is chosen)"},
	{"chiplet", "chiplets", {1, 4, 4, 2}, {1, 4, 4, 2},
	 {1 * NS, 4 * NS, 20 * NS, 64 * NS}, {64 * GIB, 32 * GIB, 16 * GIB, 8 * GIB},
	 8 * GIB, 20 * NS, 0, 0,
	 "a package of four chiplets with slower die-to-die links"},
	/* 0.1% of 262,144 PEAs, rounded down */
	{"wafer", "dies", {1, 4, 8, 16}, {1, 4, 8, 16},
	 {1 * NS, 4 * NS, 16 * NS, 64 * NS}, {64 * GIB, 32 * GIB, 32 * GIB, 8 * GIB},
	 8 * GIB, 20 * NS, 262, UINT64_C(0x6f77672d77616672) /* "owg-wafr" */,
	 "a wafer-scale system, with defective PEAs that placement skips"},
};
enum { NPRESETS = sizeof presets / sizeof *presets };

static const char *const preset_names[] = {"default", "chiplet", "wafer"};
#define PRESET_LIST "default, chiplet, wafer, flat-N"

static int cmp_defect(const void *pa, const void *pb)
{
	const uint32_t *a = pa, *b = pb;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return a[0] < b[0] ? -1 : a[0] > b[0];
}

static void fill_preset(const preset *p, owg_fabric *f, owg_arena *a)
{
	memset(f, 0, sizeof *f);
	f->name = p->name;
	f->loc = OWG_LOC_NONE;
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f->grid_w[l] = p->w[l];
		f->grid_h[l] = p->h[l];
		f->hop_latency[l] = p->hop[l];
		f->link_bandwidth[l] = p->bw[l];
	}
	f->reconfig_bandwidth = p->reconfig;
	f->control_latency = p->control;
	if (!p->ndefects)
		return;
	/* Distinct PEAs drawn uniformly from a fixed seed: owgrt_rng_below is
	 * exact integer arithmetic, so the map is the same everywhere. */
	uint32_t w = owg_fabric_width(f), h = owg_fabric_height(f);
	owgrt_rng r;
	owgrt_rng_seed(&r, p->seed);
	f->defects = owg_arena_alloc(a, p->ndefects * sizeof *f->defects);
	uint32_t n = 0;
	while (n < p->ndefects) {
		uint64_t q = owgrt_rng_below(&r, (uint64_t)w * h);
		uint32_t x = (uint32_t)(q % w), y = (uint32_t)(q / w);
		bool dup = false;
		for (uint32_t i = 0; i < n && !dup; i++)
			dup = f->defects[i][0] == x && f->defects[i][1] == y;
		if (dup)
			continue;
		f->defects[n][0] = x;
		f->defects[n][1] = y;
		n++;
	}
	qsort(f->defects, n, sizeof *f->defects, cmp_defect);
	f->ndefects = n;
}

/* The most square w x h == n with w >= h. */
static void flat_shape(uint32_t n, uint32_t *w, uint32_t *h)
{
	uint32_t best = 1;
	for (uint32_t d = 1; (uint64_t)d * d <= n; d++)
		if (n % d == 0)
			best = d;
	*h = best;
	*w = n / best;
}

static void fill_flat(uint32_t n, owg_fabric *f, owg_arena *a)
{
	memset(f, 0, sizeof *f);
	f->name = owg_arena_printf(a, "flat-%" PRIu32, n);
	f->loc = OWG_LOC_NONE;
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f->grid_w[l] = f->grid_h[l] = 1;
		f->hop_latency[l] = 0;
		/* unused (flat costs nothing) but valid for the IR verifier */
		f->link_bandwidth[l] = presets[0].bw[l];
	}
	flat_shape(n, &f->grid_w[OWG_FAB_CLUSTER], &f->grid_h[OWG_FAB_CLUSTER]);
	f->reconfig_bandwidth = presets[0].reconfig;
	f->control_latency = 0;
	f->flat = true;
}

typedef enum flat_parse {
	FLAT_NOT,     /* not "flat-..." */
	FLAT_OK,
	FLAT_BADNUM,  /* "flat-x", "flat-" */
	FLAT_RANGE,   /* "flat-0", "flat-2000000" */
} flat_parse;

static flat_parse parse_flat(const char *name, uint32_t *n)
{
	if (strncmp(name, "flat-", 5))
		return FLAT_NOT;
	const char *s = name + 5;
	if (!*s)
		return FLAT_BADNUM;
	uint64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return FLAT_BADNUM;
		if (v <= FLAT_MAX)
			v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < 1 || v > FLAT_MAX)
		return FLAT_RANGE;
	*n = (uint32_t)v;
	return FLAT_OK;
}

static void flat_error(flat_parse k, const char *name, char *err, size_t err_size)
{
	if (k == FLAT_RANGE)
		snprintf(err, err_size, "invalid fabric '%s': flat-N takes a PEA count N from 1 to %u", name,
			 FLAT_MAX);
	else
		snprintf(err, err_size, "invalid fabric '%s': flat-N takes a PEA count N, as in 'flat-64'", name);
}

/* A preset name `name` probably meant, told apart by case or a missing
 * dash ("Wafer", "FLAT-16", "flat16"); buf holds it.  NULL if none. */
static const char *case_hint(const char *name, char *buf, size_t size)
{
	size_t len = strlen(name);
	if (len + 2 > size)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	if (!strncmp(buf, "flat", 4) && buf[4] != '-') {
		const char *rest = buf + 4 + (buf[4] == '_' || buf[4] == ' ');
		memmove(buf + 5, rest, strlen(rest) + 1);
		buf[4] = '-';
	}
	uint32_t n;
	if (!strcmp(buf, name))
		return NULL;
	if (parse_flat(buf, &n) == FLAT_OK)
		return buf;
	for (size_t i = 0; i < NPRESETS; i++)
		if (!strcmp(buf, preset_names[i]))
			return preset_names[i];
	return NULL;
}

static void set_err(char *err, size_t err_size, const char *msg)
{
	if (err && err_size)
		snprintf(err, err_size, "%s", msg);
}

bool owg_fabric_preset(const char *name, owg_fabric *f, owg_arena *a, char *err, size_t err_size)
{
	char msg[512], buf[300];
	for (size_t i = 0; i < NPRESETS; i++)
		if (!strcmp(name, presets[i].name)) {
			fill_preset(&presets[i], f, a);
			return true;
		}
	uint32_t n;
	flat_parse k = parse_flat(name, &n);
	if (k == FLAT_OK) {
		fill_flat(n, f, a);
		return true;
	}
	if (k != FLAT_NOT) {
		flat_error(k, name, msg, sizeof msg);
		set_err(err, err_size, msg);
		return false;
	}
	const char *hint = case_hint(name, buf, sizeof buf);
	if (!hint)
		hint = owg_suggest(name, preset_names, NPRESETS);
	if (hint)
		snprintf(msg, sizeof msg, "unknown fabric preset '%.256s'; did you mean '%s'? (presets: " PRESET_LIST ")",
			 name, hint);
	else
		snprintf(msg, sizeof msg, "unknown fabric preset '%.256s' (presets: " PRESET_LIST ")", name);
	set_err(err, err_size, msg);
	return false;
}

static uint32_t sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* --- printing --- */

/* 262144 -> "262,144" */
static const char *grouped(uint64_t v, char *buf, size_t size)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < n && o + 1 < size; i++) {
		if (i && (n - i) % 3 == 0 && o + 2 < size)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *fmt_time(double s, char *buf, size_t size)
{
	static const struct { double scale; const char *unit; } u[] = {
		{1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}, {1e-12, "ps"}};
	size_t i = 0;
	while (i + 1 < sizeof u / sizeof *u && s < u[i].scale * 0.9995)
		i++;
	if (s == 0)
		i = 3;
	snprintf(buf, size, "%.4g %s", s / u[i].scale, u[i].unit);
	return buf;
}

static const char *fmt_rate(double bps, char *buf, size_t size)
{
	static const char *const unit[] = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s", "PiB/s"};
	size_t i = 0;
	double v = bps;
	while (i + 1 < sizeof unit / sizeof *unit && v >= 1024 * 0.9995) {
		v /= 1024;
		i++;
	}
	snprintf(buf, size, "%.4g %s", v, unit[i]);
	return buf;
}

void owg_fabric_list(FILE *out)
{
	char pb[32];
	fprintf(out, "%-9s %-42s %13s  %-11s  %s\n", "NAME", "HIERARCHY", "PEAS", "DEFECTS", "MODELS");
	for (size_t i = 0; i < NPRESETS; i++) {
		const preset *p = &presets[i];
		char hier[128], def[32];
		snprintf(hier, sizeof hier, "%ux%u %s of %ux%u clusters of %ux%u PEAs", p->w[OWG_FAB_PACKAGE],
			 p->h[OWG_FAB_PACKAGE], p->top, p->w[OWG_FAB_CHIPLET], p->h[OWG_FAB_CHIPLET],
			 p->w[OWG_FAB_CLUSTER], p->h[OWG_FAB_CLUSTER]);
		uint64_t peas = 1;
		for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++)
			peas *= (uint64_t)p->w[l] * p->h[l];
		if (p->ndefects)
			snprintf(def, sizeof def, "%u defects", p->ndefects);
		else
			snprintf(def, sizeof def, "no defects");
		char peas_s[40];
		snprintf(peas_s, sizeof peas_s, "%s PEAs", grouped(peas, pb, sizeof pb));
		fprintf(out, "%-9s %-42s %13s  %-11s  %s\n", p->name, hier, peas_s, def, p->models);
	}
	fprintf(out, "%-9s %-42s %13s  %-11s  %s\n", "flat-N", "N identical PEAs (N = 1 to 1,048,576)", "N PEAs",
		"no defects", "the \"P identical processors\" model: communication costs nothing");
}

void owg_fabric_info(const owg_fabric *f, FILE *out)
{
	static const char *const lname[OWG_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};
	static const char *const lwhat[OWG_FAB_LEVELS] = {
		"between PEAs of a cluster", "between clusters of a chiplet", "between chiplets",
		"between packages"};
	char b1[64], b2[64], b3[64];
	const uint32_t *gw = f->grid_w, *gh = f->grid_h;
	fprintf(out, "fabric %s\n", f->name ? f->name : "(unnamed)");
	fprintf(out, "  hierarchy        %ux%u chiplets of %ux%u clusters of %ux%u PEAs\n", gw[OWG_FAB_PACKAGE],
		gh[OWG_FAB_PACKAGE], gw[OWG_FAB_CHIPLET], gh[OWG_FAB_CHIPLET], gw[OWG_FAB_CLUSTER],
		gh[OWG_FAB_CLUSTER]);
	fprintf(out, "    package        %ux%u chiplets\n", gw[OWG_FAB_PACKAGE], gh[OWG_FAB_PACKAGE]);
	fprintf(out, "    chiplet        %ux%u clusters (%ux%u PEAs)\n", gw[OWG_FAB_CHIPLET], gh[OWG_FAB_CHIPLET],
		sat32((uint64_t)gw[OWG_FAB_CHIPLET] * gw[OWG_FAB_CLUSTER]),
		sat32((uint64_t)gh[OWG_FAB_CHIPLET] * gh[OWG_FAB_CLUSTER]));
	fprintf(out, "    cluster        %ux%u PEAs (one TBU, one CBU)\n", gw[OWG_FAB_CLUSTER],
		gh[OWG_FAB_CLUSTER]);
	fprintf(out, "  mesh             %ux%u PEAs, %ux%u clusters, %ux%u chiplets\n", owg_fabric_width(f),
		owg_fabric_height(f), owg_fabric_cluster_cols(f), owg_fabric_cluster_rows(f),
		gw[OWG_FAB_PACKAGE], gh[OWG_FAB_PACKAGE]);
	uint64_t peas = owg_fabric_peas(f), usable = owg_fabric_usable_peas(f);
	fprintf(out, "  PEAs             %s (%s defective, %s usable)\n", grouped(peas, b1, sizeof b1),
		grouped(peas - usable, b2, sizeof b2), grouped(usable, b3, sizeof b3));
	if (f->ndefects && f->defects) {
		enum { SHOW = 8 };
		fprintf(out, "  defects          ");
		for (uint32_t i = 0; i < f->ndefects && i < SHOW; i++)
			fprintf(out, "%s(%u, %u)", i ? " " : "", f->defects[i][0], f->defects[i][1]);
		if (f->ndefects > SHOW)
			fprintf(out, " and %u more", f->ndefects - SHOW);
		fputc('\n', out);
	}
	fprintf(out, "  hop latency and link bandwidth per level\n");
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		char lat[40];
		snprintf(lat, sizeof lat, "%s,", fmt_time(f->hop_latency[l], b1, sizeof b1));
		fprintf(out, "    %-14s %-9s %-11s %s\n", lname[l], lat, fmt_rate(f->link_bandwidth[l], b2, sizeof b2),
			lwhat[l]);
	}
	fprintf(out, "  reconfiguration  %s per PEA\n", fmt_rate(f->reconfig_bandwidth, b1, sizeof b1));
	fprintf(out, "  control latency  %s\n", fmt_time(f->control_latency, b1, sizeof b1));
	if (f->flat)
		fprintf(out, "  flat             yes: %s identical PEAs; transfers, reconfiguration and "
			     "control cost nothing\n", grouped(peas, b1, sizeof b1));
	else
		fprintf(out, "  flat             no\n");
}

/* The runtime's view of f's mesh (runtime/owgrt_mesh.h), which holds the
 * one implementation of the costs and of cluster numbering. */
static owgrt_mesh mesh_of(const owg_fabric *f)
{
	_Static_assert((int)OWG_FAB_LEVELS == (int)OWGRT_FAB_LEVELS && (int)OWG_FAB_CLUSTER == (int)OWGRT_FAB_CLUSTER,
		       "the fabric levels in the same order");
	owgrt_mesh m;
	owgrt_mesh_init(&m, f->grid_w, f->grid_h, f->hop_latency, f->link_bandwidth, f->reconfig_bandwidth, f->flat);
	return m;
}

/* --- geometry --- */

uint32_t owg_fabric_width(const owg_fabric *f)
{
	return sat32((uint64_t)f->grid_w[OWG_FAB_CLUSTER] * f->grid_w[OWG_FAB_CHIPLET] *
		     f->grid_w[OWG_FAB_PACKAGE]);
}

uint32_t owg_fabric_height(const owg_fabric *f)
{
	return sat32((uint64_t)f->grid_h[OWG_FAB_CLUSTER] * f->grid_h[OWG_FAB_CHIPLET] *
		     f->grid_h[OWG_FAB_PACKAGE]);
}

uint64_t owg_fabric_peas(const owg_fabric *f)
{
	return (uint64_t)owg_fabric_width(f) * owg_fabric_height(f);
}

uint32_t owg_fabric_cluster_cols(const owg_fabric *f)
{
	return sat32((uint64_t)f->grid_w[OWG_FAB_CHIPLET] * f->grid_w[OWG_FAB_PACKAGE]);
}

uint32_t owg_fabric_cluster_rows(const owg_fabric *f)
{
	return sat32((uint64_t)f->grid_h[OWG_FAB_CHIPLET] * f->grid_h[OWG_FAB_PACKAGE]);
}

uint32_t owg_fabric_clusters(const owg_fabric *f)
{
	return sat32((uint64_t)owg_fabric_cluster_cols(f) * owg_fabric_cluster_rows(f));
}

uint32_t owg_fabric_cluster_of(const owg_fabric *f, uint32_t p)
{
	owgrt_mesh m = mesh_of(f);
	return owgrt_mesh_cluster_of(&m, p);
}

uint32_t owg_fabric_chiplet_of(const owg_fabric *f, uint32_t p)
{
	uint32_t w = owg_fabric_width(f);
	uint32_t x = p % w, y = p / w;
	uint32_t cw = f->grid_w[OWG_FAB_CLUSTER] * f->grid_w[OWG_FAB_CHIPLET];
	uint32_t ch = f->grid_h[OWG_FAB_CLUSTER] * f->grid_h[OWG_FAB_CHIPLET];
	return y / ch * f->grid_w[OWG_FAB_PACKAGE] + x / cw;
}

uint8_t *owg_fabric_defect_map(const owg_fabric *f)
{
	if (!f->ndefects || !f->defects)
		return NULL;
	uint32_t w = owg_fabric_width(f), h = owg_fabric_height(f);
	uint8_t *map = owg_xcalloc((size_t)w * h, 1);
	for (uint32_t i = 0; i < f->ndefects; i++)
		if (f->defects[i][0] < w && f->defects[i][1] < h)
			map[(size_t)f->defects[i][1] * w + f->defects[i][0]] = 1;
	return map;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

uint64_t owg_fabric_usable_peas(const owg_fabric *f)
{
	uint64_t peas = owg_fabric_peas(f);
	if (!f->ndefects || !f->defects)
		return peas;
	/* distinct defects inside the mesh (a fabric block may repeat one) */
	uint32_t w = owg_fabric_width(f), h = owg_fabric_height(f);
	uint64_t *ps = owg_xmalloc(f->ndefects * sizeof *ps);
	size_t n = 0;
	for (uint32_t i = 0; i < f->ndefects; i++)
		if (f->defects[i][0] < w && f->defects[i][1] < h)
			ps[n++] = (uint64_t)f->defects[i][1] * w + f->defects[i][0];
	qsort(ps, n, sizeof *ps, cmp_u64);
	uint64_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += i == 0 || ps[i] != ps[i - 1];
	free(ps);
	return peas - bad;
}

/* --- costs: the runtime's (runtime/owgrt_mesh.h), one implementation --- */


uint32_t owg_fabric_hops(const owg_fabric *f, uint32_t a, uint32_t b)
{
	owgrt_mesh m = mesh_of(f);
	return owgrt_mesh_hops(&m, a, b);
}

double owg_fabric_transfer_time(const owg_fabric *f, uint32_t a, uint32_t b, double bytes)
{
	owgrt_mesh m = mesh_of(f);
	return owgrt_mesh_transfer_time(&m, a, b, bytes);
}

double owg_fabric_reconfig_time(const owg_fabric *f, double bytes)
{
	owgrt_mesh m = mesh_of(f);
	return owgrt_mesh_reconfig_time(&m, bytes);
}

/* --- resolution of --fabric --- */

static void copy_fabric(const owg_fabric *src, owg_arena *a, owg_fabric *out)
{
	*out = *src;
	out->name = owg_arena_strdup(a, src->name ? src->name : "");
	out->defects = NULL;
	if (src->ndefects && src->defects) {
		out->defects = owg_arena_alloc(a, src->ndefects * sizeof *out->defects);
		memcpy(out->defects, src->defects, src->ndefects * sizeof *out->defects);
	} else {
		out->ndefects = 0;
	}
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* The first fabric block of the file `path` (.owg source or .owgir IR). */
static bool fabric_from_file(const char *path, owg_srcmgr *sm, owg_diag *diag, owg_arena *a, owg_fabric *out)
{
	const char *err = NULL;
	uint32_t id = owg_src_load(sm, path, &err);
	if (id == OWG_NOFILE) {
		owg_diag_fatal(diag, "cannot read fabric file '%s': %s", path, err);
		return false;
	}
	unsigned errors0 = owg_diag_errors(diag);
	bool found = false;
	if (has_suffix(path, ".owgir")) {
		const owg_source *src = owg_src_get(sm, id);
		owg_graph *g = owg_ir_read(src->text, src->len, id, diag);
		if (g && !owg_ir_verify(g, diag) && g->fabrics.n) {
			copy_fabric(&g->fabrics.v[0], a, out);
			found = true;
		}
		if (g)
			owg_ir_free(g);
	} else {
		owg_arena tmp;
		owg_arena_init(&tmp);
		ast_file *file = owg_parse(&tmp, diag, sm, id);
		owg_fabric *fabs = NULL;
		size_t n = 0;
		if (file && owg_diag_errors(diag) == errors0 &&
		    owg_sema_lower_fabrics(diag, &file, 1, a, &fabs, &n) && n) {
			*out = fabs[0];
			found = true;
		}
		owg_arena_free(&tmp);
	}
	if (owg_diag_errors(diag) != errors0)
		return false;
	if (!found)
		owg_diag_fatal(diag, "'%s' defines no fabric", path);
	return found;
}

bool owg_fabric_resolve(const char *spec, const owg_graph *g, owg_srcmgr *sm, owg_diag *diag, owg_arena *a,
			owg_fabric *out)
{
	char err[512];
	if (!spec) {
		if (g && g->fabrics.n) {
			copy_fabric(&g->fabrics.v[0], a, out);
			return true;
		}
		return owg_fabric_preset("default", out, a, err, sizeof err);
	}
	for (size_t i = 0; g && i < g->fabrics.n; i++)
		if (g->fabrics.v[i].name && !strcmp(g->fabrics.v[i].name, spec)) {
			copy_fabric(&g->fabrics.v[i], a, out);
			return true;
		}
	if (owg_fabric_preset(spec, out, a, err, sizeof err))
		return true;
	struct stat st;
	if (*spec && stat(spec, &st) == 0)
		return fabric_from_file(spec, sm, diag, a, out);
	uint32_t n;
	flat_parse k = parse_flat(spec, &n);
	if (k != FLAT_NOT) {
		owg_diag_fatal(diag, "%s", err);
		return false;
	}
	/* did you mean: a preset or a fabric of the input */
	char buf[300];
	const char *hint = case_hint(spec, buf, sizeof buf);
	if (!hint) {
		size_t nc = NPRESETS + (g ? g->fabrics.n : 0);
		const char **cands = owg_xmalloc(nc * sizeof *cands);
		for (size_t i = 0; i < NPRESETS; i++)
			cands[i] = preset_names[i];
		for (size_t i = NPRESETS; i < nc; i++)
			cands[i] = g->fabrics.v[i - NPRESETS].name;
		hint = owg_suggest(spec, cands, nc);
		free(cands);
	}
	if (hint)
		owg_diag_fatal(diag, "unknown fabric '%s' (not a preset, a fabric of the input or a file); did you "
			       "mean '%s'? Presets: " PRESET_LIST "; see owgc --list-fabrics", spec, hint);
	else
		owg_diag_fatal(diag, "unknown fabric '%s' (not a preset, a fabric of the input or a file). "
			       "Presets: " PRESET_LIST "; see owgc --list-fabrics", spec);
	return false;
}
