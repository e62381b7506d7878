#include "config.h"

/* test_owgp.c - the placement binary: the writer (backends/owgp_write.c),
 * the loader (libowgrt), the importer (src/owgp_import.c) and the plan
 * lines of the IR text.
 *
 * The golden IR files, with and without a hand-made plan, go through
 * write -> load -> import -> print and must print as the original; two
 * writes give the same bytes; every single-bit flip and every truncation
 * of an example binary is refused; hostile files whose CRC is recomputed
 * after the damage exercise the structural checks one by one. */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../../backends/owgp_write.h"
#include "../../runtime/owgrt.h"
#include "diag.h"
#include "ir.h"
#include "owgp_import.h"
#include "plan.h"
#include "unit.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

/* --- helpers --- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* IR text into a graph (NULL on errors; their text in *msgs when given). */
static owg_graph *read_ir(const char *text, size_t len, char **msgs)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	uint32_t file = owg_src_add(&sm, "t.owgir", text, len);
	char *buf = NULL;
	size_t blen = 0;
	FILE *out = open_memstream(&buf, &blen);
	ck_assert_ptr_nonnull(out);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_graph *g = owg_ir_read(text, len, file, d);
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
	if (msgs)
		*msgs = buf;
	else
		free(buf);
	return g;
}

static owg_graph *read_golden(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/tests/golden/%s", TOP_SRCDIR, name);
	size_t len;
	char *text = slurp(path, &len);
	owg_graph *g = read_ir(text, len, NULL);
	ck_assert_msg(g != NULL, "%s does not read", name);
	free(text);
	return g;
}

static char *print_ir(const owg_graph *g)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(m);
	owg_ir_print(g, m);
	ck_assert_int_eq(fclose(m), 0);
	return buf;
}

typedef struct bin {
	uint8_t *p;
	size_t n;
} bin;

static bin write_bin(const owg_graph *g)
{
	bin b = {NULL, 0};
	FILE *m = open_memstream((char **)&b.p, &b.n);
	ck_assert_ptr_nonnull(m);
	ck_assert(owg_owgp_write(g, m));
	ck_assert_int_eq(fclose(m), 0);
	return b;
}

static bin copy_bin(bin b)
{
	bin c = {malloc(b.n + 64), b.n};
	ck_assert_ptr_nonnull(c.p);
	memcpy(c.p, b.p, b.n);
	return c;
}

/* Loads b (an exact-size copy, so that the sanitizers see an over-read). */
static int load_bin(bin b, owgrt_program **p, char *err, size_t err_size)
{
	uint8_t *copy = malloc(b.n ? b.n : 1);
	ck_assert_ptr_nonnull(copy);
	if (b.n)
		memcpy(copy, b.p, b.n);
	int rc = owgrt_load(copy, b.n, p, err, err_size);
	free(copy);
	return rc;
}

/* A plan like the one owgc makes for the `default` fabric (16x16 PEAs in
 * 4x4 clusters): every task of at most 16 PEAs pinned with one replica on
 * consecutive PEAs, except the first task, elastic, whose home cluster has
 * a pool of 3 PEAs; larger tasks are elastic.  The static binding pins
 * every task that fits.  The PEA arrays are in the canonical order of the
 * text reader (tasks by id, then pools). */
static void attach_plan(owg_graph *g)
{
	owg_plan *p = owg_arena_alloc(&g->arena, sizeof *p);
	owg_fabric *f = &p->fabric;
	f->name = "default";
	f->loc = OWG_LOC_NONE;
	uint32_t grid[OWG_FAB_LEVELS] = {1, 4, 4, 1};
	double hop[OWG_FAB_LEVELS] = {1e-9, 2e-9, 10e-9, 40e-9};
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f->grid_w[l] = f->grid_h[l] = grid[l];
		f->hop_latency[l] = hop[l];
		f->link_bandwidth[l] = 64.0 * (1 << 30) / (1 << l);
	}
	f->reconfig_bandwidth = 8.0 * (1 << 30);
	f->control_latency = 20e-9;
	f->ndefects = 1;
	f->defects = owg_arena_alloc(&g->arena, sizeof *f->defects);
	f->defects[0][0] = f->defects[0][1] = 15;
	p->width = p->height = 16;
	p->cwidth = p->cheight = 4;
	p->rate = 1234.5;
	p->seed = UINT64_C(0x8000000000000005);
	p->opt = 2;
	size_t nn = g->nodes.n;
	p->pinned = owg_arena_alloc(&g->arena, nn + 1);
	p->demand_mean = owg_arena_alloc(&g->arena, (nn + 1) * sizeof(double));
	p->demand_var = owg_arena_alloc(&g->arena, (nn + 1) * sizeof(double));
	owg_binding *b[2] = {&p->octopus, &p->fixed};
	for (int k = 0; k < 2; k++) {
		b[k]->replicas = owg_arena_alloc(&g->arena, (nn + 1) * 4);
		b[k]->first = owg_arena_alloc(&g->arena, (nn + 1) * 4);
		b[k]->home = owg_arena_alloc(&g->arena, (nn + 1) * 4);
		b[k]->pool_first = owg_arena_alloc(&g->arena, 16 * 4);
		b[k]->pool_size = owg_arena_alloc(&g->arena, 16 * 4);
		b[k]->peas = owg_arena_alloc(&g->arena, 256 * 4);
		b[k]->traffic = k ? 23456.5 : 12345.678;
	}
	bool elastic_done = false;
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		p->demand_mean[i] = 0.25 * (double)i;
		p->demand_var[i] = 1.0 / 3;
		for (int k = 0; k < 2; k++) {
			owg_binding *bd = b[k];
			bool fits = n->peas <= 16 && bd->npeas + n->peas <= 200;
			bool elastic = !fits || (k == 0 && !elastic_done);
			if (k == 0 && !elastic)
				p->pinned[i] = true;
			if (elastic) {
				bd->home[i] = k == 0 && !elastic_done ? 15 : 0;
				continue;
			}
			uint32_t pea = (uint32_t)bd->npeas;
			bd->replicas[i] = 1;
			bd->first[i] = pea;
			bd->home[i] = (pea / 16 / 4) * 4 + pea % 16 / 4;
			for (uint32_t q = 0; q < n->peas; q++)
				bd->peas[bd->npeas++] = pea + q;
		}
		elastic_done = true;
	}
	/* the pool of cluster 15: PEAs (12,12), (13,12), (14,12); as the plan
	 * pass does, empty pools start where the pool before ends, elastic
	 * tasks at their home pool */
	for (uint32_t c = 0; c < 16; c++)
		p->octopus.pool_first[c] = (uint32_t)p->octopus.npeas;
	p->octopus.pool_size[15] = 3;
	for (uint32_t q = 0; q < 3; q++)
		p->octopus.peas[p->octopus.npeas++] = 12 * 16 + 12 + q;
	for (size_t i = 0; i < nn; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB && !p->octopus.replicas[i])
			p->octopus.first[i] = p->octopus.pool_first[p->octopus.home[i]];
	g->plan = p;
}

static owg_graph *golden_with_plan(const char *name)
{
	owg_graph *g = read_golden(name);
	attach_plan(g);
	return g;
}

/* write -> load -> import -> print is the original's print; writing the
 * import gives the same bytes; the printed text reads back (plan lines
 * included) to a graph that prints and writes the same. */
static void check_round_trip(owg_graph *g)
{
	char *text = print_ir(g);
	bin b = write_bin(g);
	owgrt_program *p;
	char err[512];
	int rc = load_bin(b, &p, err, sizeof err);
	ck_assert_msg(rc == OWGRT_OK, "load: %s", err);
	ck_assert_uint_eq(p->nnodes, g->nodes.n);
	ck_assert(!p->plan == !g->plan);
	owg_graph *g2 = owg_owgp_import(p, err, sizeof err);
	ck_assert_ptr_nonnull(g2);
	char *text2 = print_ir(g2);
	ck_assert_str_eq(text2, text);
	bin b2 = write_bin(g2);
	ck_assert_uint_eq(b2.n, b.n);
	ck_assert(memcmp(b2.p, b.p, b.n) == 0);

	char *msgs = NULL;
	owg_graph *g3 = read_ir(text, strlen(text), &msgs);
	ck_assert_msg(g3 != NULL, "the printed IR does not read back:\n%s", msgs);
	char *text3 = print_ir(g3);
	ck_assert_str_eq(text3, text);
	bin b3 = write_bin(g3);
	ck_assert_uint_eq(b3.n, b.n);
	ck_assert(memcmp(b3.p, b.p, b.n) == 0);

	free(b3.p);
	free(text3);
	free(msgs);
	owg_ir_free(g3);
	free(b2.p);
	free(text2);
	owg_ir_free(g2);
	owgrt_program_free(p);
	free(b.p);
	free(text);
}

static const char *const goldens[] = {"minimal.owgir", "face_recognition.owgir", "constructs.owgir"};

/* --- the round trip --- */

/* With OWGP_CORPUS_DIR set, the binaries are also written there: the
 * seeds of tests/fuzz/corpus_owgp. */
static void save_seed(const owg_graph *g, const char *name, const char *suffix)
{
	const char *dir = getenv("OWGP_CORPUS_DIR");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%.*s%s.owgp", dir, (int)(strcspn(name, ".")), name, suffix);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	bin b = write_bin(g);
	ck_assert_uint_eq(fwrite(b.p, 1, b.n, f), b.n);
	ck_assert_int_eq(fclose(f), 0);
	free(b.p);
}

START_TEST(test_golden_round_trip)
{
	for (size_t i = 0; i < sizeof goldens / sizeof *goldens; i++) {
		owg_graph *g = read_golden(goldens[i]);
		check_round_trip(g);
		save_seed(g, goldens[i], "");
		attach_plan(g);
		check_round_trip(g);
		save_seed(g, goldens[i], "-plan");
		owg_ir_free(g);
	}
}
END_TEST

START_TEST(test_plan_text)
{
	owg_graph *g = golden_with_plan("face_recognition.owgir");
	char *text = print_ir(g);
	const char *plan = strstr(text, "\nplan ");
	ck_assert_ptr_nonnull(plan);
	ck_assert_str_eq(plan + 1,
		"plan rate 1234.5 seed 9223372036854775813 opt 2 mesh 16x16 clusters 4x4 fabric \"default\" "
		"cluster 4x4 chiplet 4x4 package 1x1 hop pea 1ns 64GiB/s hop cluster 2ns 32GiB/s "
		"hop chiplet 10ns 16GiB/s hop package 40ns 8GiB/s reconfig 8GiB/s control 20ns defect 15,15\n"
		"elastic %1 home 15 demand 0.25 0.3333333333333333\n"
		"pin %2 replicas 1 home 0 demand 0.5 0.3333333333333333 peas 0 1 2 3\n"
		"pin %4 replicas 1 home 1 demand 1 0.3333333333333333 peas 4 5\n"
		"pin %5 replicas 1 home 1 demand 1.25 0.3333333333333333 peas 6\n"
		"pin %7 replicas 1 home 1 demand 1.75 0.3333333333333333 peas 7\n"
		"pool 15 peas 204 205 206\n"
		"traffic 12345.678\n"
		"static %1 replicas 1 home 0 peas 0\n"
		"static %2 replicas 1 home 0 peas 1 2 3 4\n"
		"static %4 replicas 1 home 1 peas 5 6\n"
		"static %5 replicas 1 home 1 peas 7\n"
		"static %7 replicas 1 home 2 peas 8\n"
		"static traffic 23456.5\n");
	free(text);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_deterministic)
{
	for (size_t i = 0; i < sizeof goldens / sizeof *goldens; i++) {
		owg_graph *g = golden_with_plan(goldens[i]);
		bin a = write_bin(g), b = write_bin(g);
		ck_assert_uint_eq(a.n, b.n);
		ck_assert(memcmp(a.p, b.p, a.n) == 0);
		ck_assert_uint_eq(a.n % 8, 0);
		free(a.p);
		free(b.p);
		owg_ir_free(g);
	}
}
END_TEST

START_TEST(test_contents)
{
	owg_graph *g = golden_with_plan("face_recognition.owgir");
	bin b = write_bin(g);
	owgrt_program *p;
	char err[256];
	ck_assert_int_eq(load_bin(b, &p, err, sizeof err), OWGRT_OK);
	ck_assert_uint_eq(p->version_major, 1);
	ck_assert_str_eq(p->name, "face_recognition");
	ck_assert_uint_eq(p->nnodes, 8);
	ck_assert_int_eq(p->nodes[0].kind, OWGRT_NODE_CONTROL);
	ck_assert_int_eq(p->nodes[0].cb_kind, OWGRT_CB_ENTRY);
	ck_assert_uint_eq(p->nodes[0].region, OWGRT_NONE);
	const owgrt_node *detect = &p->nodes[2];
	ck_assert_str_eq(detect->kernel, "detect_faces");
	ck_assert_uint_eq(detect->peas, 4);
	ck_assert_int_eq(detect->time.kind, OWGRT_DIST_NORMAL);
	ck_assert_uint_eq(detect->nouts, 1);
	ck_assert_str_eq(detect->outs[0].name, "faces");
	ck_assert_ptr_null(p->nodes[1].kernel);
	const owgrt_node *fork = &p->nodes[3];
	ck_assert(fork->has_count);
	ck_assert_uint_eq(fork->count_node, 2);
	const owgrt_node *br = &p->nodes[6];
	ck_assert_uint_ne(br->pred, OWGRT_NONE);
	ck_assert_int_eq(p->exprs[br->pred].kind, OWGRT_EX_BINARY);
	ck_assert_int_eq(p->exprs[br->pred].op, OWGRT_OP_GT);
	ck_assert_uint_lt(p->exprs[br->pred].l, br->pred);
	ck_assert_uint_eq(p->nflows, 4);
	ck_assert_uint_eq(p->nfabrics, 1);
	ck_assert_uint_eq(p->fabrics[0].ndefects, 2);
	ck_assert(p->has_analysis);
	ck_assert_ptr_nonnull(p->analysis.time);
	ck_assert_ptr_nonnull(p->plan);
	const owgrt_plan *pl = p->plan;
	ck_assert_str_eq(pl->fabric->name, "default");
	ck_assert_uint_eq(pl->width, 16);
	ck_assert_uint_eq(pl->nclusters, 16);
	ck_assert(!pl->pinned[1]);
	ck_assert(pl->pinned[2]);
	ck_assert_uint_eq(pl->octopus.pool_size[15], 3);
	ck_assert_uint_eq(pl->octopus.peas[pl->octopus.pool_first[15]], 204);
	ck_assert_uint_eq(pl->fixed.replicas[1], 1);
	ck_assert_uint_eq(pl->seed, UINT64_C(0x8000000000000005));
	ck_assert_uint_eq(pl->octopus.first[1], 8); /* elastic: its home pool */
	ck_assert(pl->demand_mean[4] == 1.0);
	owgrt_program_free(p);
	free(b.p);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_absent_sections)
{
	owg_graph *g = owg_ir_new("bare");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *t = owg_ir_add_tb(g, "t", 0, 0);
	t->time.a = 0.001;
	bin b = write_bin(g);
	owgrt_program *p;
	char err[256];
	ck_assert_int_eq(load_bin(b, &p, err, sizeof err), OWGRT_OK);
	ck_assert(!p->has_analysis);
	ck_assert_ptr_null(p->analysis.time);
	ck_assert_ptr_null(p->analysis.freq);
	ck_assert_ptr_null(p->analysis.cb);
	ck_assert_ptr_null(p->analysis.pea_time);
	ck_assert_ptr_null(p->plan);
	owgrt_program_free(p);
	free(b.p);
	owg_ir_free(g);

	/* minimal.owgir: executions and bounds only */
	g = read_golden("minimal.owgir");
	b = write_bin(g);
	ck_assert_int_eq(load_bin(b, &p, err, sizeof err), OWGRT_OK);
	ck_assert_ptr_null(p->analysis.time);
	ck_assert_ptr_nonnull(p->analysis.freq);
	ck_assert_ptr_nonnull(p->analysis.pea_time);
	ck_assert_uint_eq(p->analysis.peas, 256);
	owgrt_program_free(p);
	free(b.p);
	owg_ir_free(g);
}
END_TEST

/* --- corruption: the CRC catches every single-bit flip --- */

static bin example(void)
{
	owg_graph *g = golden_with_plan("face_recognition.owgir");
	bin b = write_bin(g);
	owg_ir_free(g);
	return b;
}

START_TEST(test_bit_flips)
{
	bin b = example();
	ck_assert_uint_gt(b.n, 1000);
	ck_assert_uint_lt(b.n, 8192);
	uint8_t *copy = malloc(b.n);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, b.p, b.n);
	for (size_t i = 0; i < b.n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			copy[i] ^= (uint8_t)(1u << bit);
			owgrt_program *p = (owgrt_program *)1;
			char err[256];
			int rc = owgrt_load(copy, b.n, &p, err, sizeof err);
			ck_assert_msg(rc != OWGRT_OK, "flip of bit %d of byte %zu loads", bit, i);
			ck_assert_ptr_null(p);
			ck_assert_msg(err[0] != '\0', "flip of bit %d of byte %zu: no message", bit, i);
			copy[i] ^= (uint8_t)(1u << bit);
		}
	}
	free(copy);
	free(b.p);
}
END_TEST

START_TEST(test_truncations)
{
	bin b = example();
	for (size_t n = 0; n < b.n; n++) {
		owgrt_program *p;
		char err[256];
		bin t = {b.p, n};
		int rc = load_bin(t, &p, err, sizeof err);
		ck_assert_msg(rc == OWGRT_EFORMAT, "a truncation to %zu bytes gives %d", n, rc);
		ck_assert_msg(err[0] != '\0', "a truncation to %zu bytes: no message", n);
		if (n >= 48)
			ck_assert_msg(strstr(err, "truncated") != NULL, "%zu bytes: %s", n, err);
	}
	free(b.p);
}
END_TEST

/* --- hostile files: damage, then a correct CRC --- */

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t g64(const uint8_t *p)
{
	return g32(p) | (uint64_t)g32(p + 4) << 32;
}

static void s32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void s64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void fix_crc(bin b)
{
	s32(b.p + 40, 0);
	s32(b.p + 40, (uint32_t)crc32(0L, b.p, (uInt)b.n));
}

/* The table entry of section id. */
static uint8_t *entry(bin b, const char *id)
{
	uint32_t n = g32(b.p + 24);
	uint64_t t = g64(b.p + 32);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = b.p + t + 32 * i;
		if (memcmp(e, id, 4) == 0)
			return e;
	}
	ck_abort_msg("no section %s", id);
	return NULL;
}

/* Record i of section id. */
static uint8_t *record(bin b, const char *id, uint32_t i)
{
	uint8_t *e = entry(b, id);
	ck_assert_uint_lt(i, g32(e + 24));
	return b.p + g64(e + 8) + (uint64_t)i * g32(e + 28);
}

/* The damaged copy must be refused with `code` and a message containing
 * `want`. */
static void refused(bin d, int code, const char *want)
{
	owgrt_program *p;
	char err[512];
	int rc = load_bin(d, &p, err, sizeof err);
	ck_assert_msg(rc == code, "expected status %d, got %d (%s) for '%s'", code, rc, err, want);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err, want) != NULL, "expected '%s' in: %s", want, err);
	free(d.p);
}

static void loads(bin d)
{
	owgrt_program *p;
	char err[512];
	int rc = load_bin(d, &p, err, sizeof err);
	ck_assert_msg(rc == OWGRT_OK, "%s", err);
	owgrt_program_free(p);
	free(d.p);
}

START_TEST(test_hostile_header)
{
	bin b = example(), d;

	d = copy_bin(b); /* a bad version, CRC fixed */
	d.p[8] = 2;
	fix_crc(d);
	refused(d, OWGRT_EVERSION, "format version 2.0 is newer than this loader's 1.0");
	d = copy_bin(b);
	d.p[8] = 0;
	refused(d, OWGRT_EVERSION, "format version 0.0 is not supported");

	d = copy_bin(b); /* a newer minor loads */
	d.p[10] = 7;
	fix_crc(d);
	loads(d);

	d = copy_bin(b); /* a huge section count */
	s32(d.p + 24, 0xffffffffu);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "4294967295 sections, more than the 256 allowed");

	d = copy_bin(b); /* a table past the end */
	s64(d.p + 32, d.n - 8);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "the section table");

	d = copy_bin(b);
	s32(d.p + 44, 1);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "reserved");

	d = copy_bin(b);
	s32(d.p + 28, 1);
	fix_crc(d);
	refused(d, OWGRT_EVERSION, "unknown flags");

	d = copy_bin(b); /* a wrong CRC */
	d.p[40] ^= 1;
	refused(d, OWGRT_ECHECKSUM, "checksum mismatch");

	d = copy_bin(b); /* trailing bytes */
	memset(d.p + d.n, 0, 8);
	d.n += 8;
	refused(d, OWGRT_EFORMAT, "trailing");
	d = copy_bin(b); /* non-zero bytes after the last section */
	memset(d.p + d.n, 0, 8);
	d.p[d.n + 3] = 1;
	d.n += 8;
	s64(d.p + 16, d.n);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "after the last section) is not zero");

	/* magic numbers */
	d = copy_bin(b);
	memcpy(d.p, "owgir 1\n", 8);
	refused(d, OWGRT_EFORMAT, "IR text");
	d = copy_bin(b); /* CR LF -> LF */
	memmove(d.p + 4, d.p + 5, d.n - 5);
	d.n--;
	refused(d, OWGRT_EFORMAT, "CR LF into LF");
	d = copy_bin(b);
	d.p[0] &= 0x7f;
	refused(d, OWGRT_EFORMAT, "7-bit");
	d = copy_bin(b);
	d.p[1] = 'X';
	refused(d, OWGRT_EFORMAT, "bad magic");
	d = copy_bin(b);
	d.n = 0;
	refused(d, OWGRT_EFORMAT, "empty");
	free(b.p);
}
END_TEST

START_TEST(test_hostile_table)
{
	bin b = example(), d;

	d = copy_bin(b); /* a count too large for the section's size */
	s32(entry(d, "NODE") + 24, g32(entry(d, "NODE") + 24) + 1);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section NODE: 448 bytes are not 9 records of 56 bytes");

	d = copy_bin(b); /* a huge count, size to match: past the end */
	s32(entry(d, "FLOW") + 24, 0x10000000u);
	s64(entry(d, "FLOW") + 16, (uint64_t)0x10000000u * 16);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section FLOW: 4294967296 bytes at offset");

	d = copy_bin(b); /* an offset past the end */
	s64(entry(d, "NODE") + 8, d.n + 8);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "go past the end of the file");

	d = copy_bin(b); /* an offset that wraps */
	s64(entry(d, "NODE") + 8, UINT64_MAX - 7);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "go past the end of the file");

	d = copy_bin(b); /* overlapping sections */
	s64(entry(d, "NODE") + 8, g64(entry(d, "ARMS") + 8));
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "overlaps section");

	d = copy_bin(b); /* a section over the table */
	s64(entry(d, "NODE") + 8, 48);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "overlaps");

	d = copy_bin(b); /* misaligned */
	s64(entry(d, "NODE") + 8, g64(entry(d, "NODE") + 8) + 4);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "not a multiple of 8");

	d = copy_bin(b); /* ids out of order */
	uint64_t t = g64(d.p + 32);
	uint8_t tmp[32];
	memcpy(tmp, d.p + t, 32);
	memcpy(d.p + t, d.p + t + 32, 32);
	memcpy(d.p + t + 32, tmp, 32);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "ids must be sorted");

	d = copy_bin(b); /* a record size too small */
	s32(entry(d, "FLOW") + 28, 8);
	s32(entry(d, "FLOW") + 24, g32(entry(d, "FLOW") + 24) * 2);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "records of 8 bytes, expected at least 16");

	d = copy_bin(b); /* a required section renamed away */
	memcpy(entry(d, "FLOW"), "FLOX", 4);
	fix_crc(d);
	refused(d, OWGRT_EVERSION, "section FLOX: unknown section marked required");

	d = copy_bin(b); /* ... and when it is not required, FLOW is missing */
	s32(entry(d, "FLOW") + 4, 0);
	memcpy(entry(d, "FLOW"), "FLOX", 4);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section FLOW is missing");

	d = copy_bin(b); /* a group incomplete */
	memcpy(entry(d, "PNOD"), "PZZZ", 4);
	s32(entry(d, "PZZZ") + 4, 0);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section PNOD is missing");
	free(b.p);
}
END_TEST

/* The example with one more section, `id`, appended with its own copy of
 * the table (the old table's bytes zeroed). */
static bin with_extra_section(bin b, const char *id, uint32_t flags)
{
	uint32_t n = g32(b.p + 24);
	uint64_t t = g64(b.p + 32);
	bin d = {calloc(1, b.n + 32 * (n + 1) + 16), 0};
	ck_assert_ptr_nonnull(d.p);
	memcpy(d.p, b.p, b.n);
	uint8_t *table = d.p + b.n;
	uint32_t k = 0;
	bool placed = false;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = b.p + t + 32 * i;
		if (!placed && memcmp(id, e, 4) < 0) {
			memcpy(table + 32 * k, id, 4);
			s32(table + 32 * k + 4, flags);
			s64(table + 32 * k + 8, b.n + 32 * (n + 1));
			s64(table + 32 * k + 16, 16);
			s32(table + 32 * k + 24, 2);
			s32(table + 32 * k + 28, 8);
			k++;
			placed = true;
		}
		memcpy(table + 32 * k++, e, 32);
	}
	ck_assert(placed);
	memset(d.p + t, 0, 32 * n);
	memset(d.p + b.n + 32 * (n + 1), 0xab, 16);
	d.n = b.n + 32 * (n + 1) + 16;
	s32(d.p + 24, n + 1);
	s64(d.p + 32, b.n);
	s64(d.p + 16, d.n);
	fix_crc(d);
	return d;
}

START_TEST(test_forward_compatibility)
{
	bin b = example();
	loads(with_extra_section(b, "NEXT", 0));
	refused(with_extra_section(b, "NEXT", 1), OWGRT_EVERSION, "section NEXT: unknown section marked required");
	refused(with_extra_section(b, "GRPI", 1), OWGRT_EVERSION, "section GRPI");
	free(b.p);
}
END_TEST

START_TEST(test_hostile_records)
{
	bin b = example(), d;

	d = copy_bin(b); /* a string without NUL */
	uint8_t *strs = d.p + g64(entry(d, "STRS") + 8);
	strs[g64(entry(d, "STRS") + 16) - 1] = 'x';
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section STRS: the last string has no terminating NUL");

	d = copy_bin(b); /* invalid UTF-8 */
	strs = d.p + g64(entry(d, "STRS") + 8);
	strs[0] = 0xc0;
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section STRS: invalid UTF-8 at byte 0");

	d = copy_bin(b); /* a string offset out of range */
	s32(record(d, "NODE", 1) + 4, 0xfffffff0u);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section NODE: node 1: name: string offset 4294967280 out of range");

	d = copy_bin(b); /* a string used twice */
	s32(record(d, "NODE", 1) + 4, g32(record(d, "NODE", 2) + 4));
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "used twice");

	d = copy_bin(b); /* a node index out of range */
	s32(record(d, "NODE", 3) + 8, 40);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section NODE: node 3: region 40 out of range (8 nodes)");

	d = copy_bin(b); /* a region after its member */
	s32(record(d, "NODE", 4) + 8, 6);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section NODE: node 4: region 6 does not come before it");

	d = copy_bin(b); /* a task as region */
	s32(record(d, "NODE", 4) + 8, 2);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "region 2 is not a control node");

	d = copy_bin(b); /* an arm out of range */
	s32(record(d, "NODE", 4) + 12, 5);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 4: arm 5 of region 3 out of range (1 arms)");

	d = copy_bin(b); /* an invalid node kind */
	record(d, "NODE", 2)[0] = 7;
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 2: invalid kind 7");

	d = copy_bin(b); /* node 0 a task */
	record(d, "NODE", 0)[0] = 0;
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 0");

	d = copy_bin(b); /* an expression child after its parent */
	uint32_t root = g32(record(d, "NODE", 6) + 24);
	s32(record(d, "EXPR", root) + 8, root);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section EXPR: expression 2: operand 2 does not come before it");

	d = copy_bin(b); /* an expression used twice (a DAG) */
	s32(record(d, "EXPR", root) + 8, g32(record(d, "EXPR", root) + 4));
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "expression 0 is used more than once");

	d = copy_bin(b); /* a predicate out of range */
	s32(record(d, "NODE", 6) + 24, 3);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 6: predicate 3 out of range (3 expressions)");

	d = copy_bin(b); /* an output reference out of range */
	s32(record(d, "EXPR", 0) + 8, 9);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "expression 0: output 9 of node 5 out of range (1 outputs)");

	d = copy_bin(b); /* a non-finite distribution parameter */
	s64(record(d, "DIST", 0) + 16, UINT64_C(0x7ff8000000000000));
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section DIST: distribution 0: parameters nan");

	d = copy_bin(b); /* a distribution out of order */
	s32(record(d, "NODE", 1) + 20, 1);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 1: time distribution 1, expected 0");

	d = copy_bin(b); /* a flow to a control node */
	s32(record(d, "FLOW", 0) + 4, 3);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section FLOW: flow 0: destination 3 is not a task");

	d = copy_bin(b); /* a defect outside the mesh */
	s32(record(d, "DEFS", 0), 16);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "defect 0 (16, 4) of fabric 0 is outside its 16x16 PEA mesh");

	d = copy_bin(b); /* a probability above 1 */
	uint32_t arms = g32(record(d, "NODE", 6) + 16);
	s64(record(d, "ARMS", arms) + 16, UINT64_C(0x4000000000000000)); /* 2.0 */
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "probability 2 outside [0, 1]");

	d = copy_bin(b); /* a reserved byte */
	record(d, "OUTS", 0)[6] = 1;
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "reserved field not zero");

	d = copy_bin(b); /* analysis: a control node's time statistics */
	record(d, "ATIM", 3)[0] = 1;
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section ATIM: node 3: a control node's record is not zero");
	free(b.p);
}
END_TEST

START_TEST(test_hostile_plan)
{
	bin b = example(), d;

	d = copy_bin(b); /* a PEA outside the mesh */
	s32(record(d, "PEAS", 0), 256);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section PEAS: entry 0: PEA 256 outside the 16x16 mesh");

	d = copy_bin(b); /* replicas past the PEA array */
	s32(record(d, "PNOD", 2) + 4, 1000);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 2: octopus binding: 1000 replicas of 4 PEAs from entry 0 go past");

	d = copy_bin(b); /* replicas whose product overflows 32 bits */
	s32(record(d, "PNOD", 2) + 4, 0x40000001u);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "go past");

	d = copy_bin(b); /* more entries in ranges than in the array */
	s32(record(d, "PNOD", 4) + 4, 2);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "an entry belongs to one task or pool");

	d = copy_bin(b); /* a home cluster out of range */
	s32(record(d, "PNOD", 2) + 24, 16);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "node 2: fixed binding: home cluster 16 out of range (16 clusters)");

	d = copy_bin(b); /* a pool past the array */
	s32(record(d, "PCLU", 15) + 4, 100);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "cluster 15: octopus binding: pool of 100 PEAs");

	d = copy_bin(b); /* a mesh that does not match the fabric */
	s32(record(d, "PLAN", 0), 17);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section PLAN: mesh 17x16 PEAs in 4x4 clusters, but the fabric has 16x16");

	d = copy_bin(b); /* an -O level */
	s32(record(d, "PLAN", 0) + 16, 0xffffffffu);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "optimisation level -1");

	d = copy_bin(b); /* a control node with replicas */
	s32(record(d, "PNOD", 3) + 4, 1);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section PNOD: node 3: a control node's record is not zero");

	d = copy_bin(b); /* PEA counts that do not add up */
	s32(record(d, "PLAN", 0) + 56, 1);
	fix_crc(d);
	refused(d, OWGRT_EFORMAT, "section PEAS");
	free(b.p);
}
END_TEST

/* A branch whose predicate is `depth` nested negations of true. */
static owg_graph *deep_graph(unsigned depth)
{
	owg_graph *g = owg_ir_new("deep");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *br = owg_ir_add_cb(g, OWG_CB_BRANCH, "br", 0, 0);
	owg_expr *e = owg_ir_expr(g, OWG_EX_BOOL);
	e->u.b = true;
	for (unsigned i = 0; i < depth; i++) {
		owg_expr *u = owg_ir_expr(g, OWG_EX_UNARY);
		u->op = OWG_OP_NOT;
		u->type = OWG_TYPE_BOOL;
		u->u.sub.l = e;
		e = u;
	}
	br->pred = e;
	return g;
}

START_TEST(test_expression_depth)
{
	owgrt_program *p;
	char err[256];
	owg_graph *g = deep_graph(1000);
	bin b = write_bin(g);
	ck_assert_int_eq(load_bin(b, &p, err, sizeof err), OWGRT_OK);
	ck_assert_uint_eq(p->nexprs, 1001);
	owg_graph *g2 = owg_owgp_import(p, err, sizeof err);
	char *t1 = print_ir(g), *t2 = print_ir(g2);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	owg_ir_free(g2);
	owgrt_program_free(p);
	free(b.p);
	owg_ir_free(g);

	g = deep_graph(1001);
	b = write_bin(g);
	refused(b, OWGRT_EFORMAT, "expression 1001: nested deeper than 1000 operators");
	owg_ir_free(g);
}
END_TEST

/* --- files and arguments --- */

START_TEST(test_load_file)
{
	bin b = example();
	char path[] = "/tmp/owgp_test_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, b.p, b.n), (ssize_t)b.n);
	close(fd);
	owgrt_program *p;
	char err[512];
	ck_assert_int_eq(owgrt_load_file(path, &p, err, sizeof err), OWGRT_OK);
	ck_assert_uint_eq(p->nnodes, 8);
	owgrt_program_free(p);

	FILE *f = fopen(path, "r+b"); /* corrupt one byte: the message names the file */
	ck_assert_ptr_nonnull(f);
	fseek(f, 100, SEEK_SET);
	fputc(b.p[100] ^ 0x10, f);
	fclose(f);
	ck_assert_int_eq(owgrt_load_file(path, &p, err, sizeof err), OWGRT_ECHECKSUM);
	ck_assert_ptr_null(p);
	ck_assert(strncmp(err, path, strlen(path)) == 0);
	unlink(path);

	ck_assert_int_eq(owgrt_load_file(path, &p, err, sizeof err), OWGRT_EIO);
	ck_assert(strstr(err, "cannot open") != NULL);
	ck_assert_int_eq(owgrt_load_file("/", &p, err, sizeof err), OWGRT_EIO);
	free(b.p);
}
END_TEST

START_TEST(test_arguments)
{
	bin b = example();
	owgrt_program *p;
	char err[8]; /* short: the message is cut, NUL-terminated */
	ck_assert_int_eq(owgrt_load(b.p, b.n, NULL, err, sizeof err), OWGRT_EINVAL);
	ck_assert_uint_lt(strlen(err), sizeof err);
	ck_assert_int_eq(owgrt_load(NULL, 5, &p, err, sizeof err), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_load(b.p, b.n - 1, &p, NULL, 0), OWGRT_EFORMAT);
	ck_assert_int_eq(owgrt_load(b.p, b.n, &p, NULL, 0), OWGRT_OK);
	owgrt_program_free(p);
	owgrt_program_free(NULL);
	ck_assert_str_eq(owgrt_strerror(OWGRT_ECHECKSUM), "placement binary checksum mismatch");
	ck_assert_str_eq(owgrt_strerror(-5), "unknown status");
	ck_assert(owg_owgp_is_binary((const char *)b.p, b.n));
	ck_assert(!owg_owgp_is_binary((const char *)b.p, 7));
	ck_assert(!owg_owgp_is_binary("owgir 1\n", 8));
	ck_assert_ptr_null(owg_owgp_import(NULL, err, sizeof err));
	free(b.p);
}
END_TEST

/* --- the plan lines of the IR text --- */

static const char plan_base[] =
	"owgir 1\n"
	"workflow \"w\"\n"
	"node %0 entry \"entry\" arms (seq)\n"
	"node %1 tb \"a\" in %0.0 general peas 2 time 1ms\n"
	"node %2 tb \"b\" in %0.0 general peas 1 time 1ms\n"
	"plan rate 10 seed 1 opt 1 mesh 4x2 clusters 2x1 fabric \"f\" cluster 2x2 chiplet 2x1 package 1x1 "
	"hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop package 1ns 1GiB/s "
	"reconfig 1GiB/s control 1ns\n";

/* plan_base + lines: NULL if it does not read, with the messages. */
static owg_graph *read_plan(const char *lines, char **msgs)
{
	size_t n = strlen(plan_base) + strlen(lines) + 1;
	char *text = malloc(n);
	ck_assert_ptr_nonnull(text);
	snprintf(text, n, "%s%s", plan_base, lines);
	owg_graph *g = read_ir(text, strlen(text), msgs);
	free(text);
	return g;
}

static void plan_error(const char *lines, const char *want)
{
	char *msgs = NULL;
	owg_graph *g = read_plan(lines, &msgs);
	ck_assert_msg(g == NULL, "accepted:\n%s", lines);
	ck_assert_msg(strstr(msgs, want) != NULL, "expected '%s' in:\n%s", want, msgs);
	free(msgs);
}

static const char plan_ok[] = "pin %1 replicas 2 home 0 demand 1.5 0 peas 0 1 4 5\n"
			      "elastic %2 home 1 demand 0.25 0.125\n"
			      "pool 1 peas 2 3\n"
			      "traffic 5.5\n"
			      "static %1 replicas 1 home 0 peas 0 1\n"
			      "static %2 replicas 3 home 1 peas 2 3 6\n"
			      "static traffic 7\n";

START_TEST(test_plan_text_read)
{
	char *msgs = NULL;
	owg_graph *g = read_plan(plan_ok, &msgs);
	ck_assert_msg(g != NULL, "%s", msgs);
	free(msgs);
	const owg_plan *p = g->plan;
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->width, 4);
	ck_assert_uint_eq(p->octopus.npeas, 6);
	ck_assert_uint_eq(p->octopus.replicas[1], 2);
	ck_assert(p->pinned[1] && !p->pinned[2]);
	ck_assert_uint_eq(p->octopus.pool_first[1], 4);
	ck_assert_uint_eq(p->octopus.pool_first[0], 4); /* empty: where the next starts */
	ck_assert_uint_eq(p->octopus.first[2], 4);      /* elastic: its home pool */
	ck_assert(p->demand_mean[1] == 1.5 && p->demand_var[2] == 0.125);
	ck_assert_uint_eq(p->fixed.first[2], 2);
	char *text = print_ir(g);
	ck_assert_str_eq(strstr(text, "\npin ") + 1, plan_ok);
	free(text);
	check_round_trip(g);
	owg_ir_free(g);

	/* any order reads, the print is canonical */
	g = read_plan("static traffic 7\nstatic %2 replicas 3 home 1 peas 2 3 6\npool 1 peas 2 3\n"
		      "elastic %2 home 1 demand 0.25 0.125\ntraffic 5.5\nstatic %1 replicas 1 home 0 peas 0 1\n"
		      "pin %1 replicas 2 home 0 demand 1.5 0 peas 0 1 4 5\n", NULL);
	ck_assert_ptr_nonnull(g);
	text = print_ir(g);
	ck_assert_str_eq(strstr(text, "\npin ") + 1, plan_ok);
	free(text);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_plan_text_errors)
{
	plan_error("pin %1 replicas 2 home 0 demand 0 0 peas 0 1 4\nelastic %2 home 1 demand 0 0\ntraffic 1\n"
		   "static %1 home 0\nstatic %2 home 0\nstatic traffic 1\n",
		   "expected 4 PEA ids (2 replicas of 2 PEAs), found 3");
	plan_error("pin %1 home 2 demand 0 0\n", "cluster 2 is outside the 2x1 clusters of the mesh");
	plan_error("pin %1 replicas 1 home 0 demand 0 0 peas 0 8\n", "PEA 8 is outside the 4x2 mesh");
	plan_error("pin %1 replicas 0 home 0 demand 0 0\n", "0 replicas are written by leaving 'replicas' out");
	plan_error("pin %0 home 0 demand 0 0\n", "only tasks are placed");
	plan_error("pin %9 home 0 demand 0 0\n", "plan line of an undefined node");
	plan_error("pin %1 home 0 demand 0 0\nelastic %1 home 0 demand 0 0\n", "a second 'pin' or 'elastic' line for this task");
	plan_error("pool 1 peas\n", "a pool has at least one PEA");
	plan_error("elastic %2 home 1 peas\n", "expected 'demand'");
	plan_error("elastic %2 home 1 demand 1 -1\n", "a variance is not negative");
	plan_error("pool 1 peas 1\npool 1 peas 2\n", "a second pool for cluster 1");
	plan_error("traffic -1\n", "a negative value here is not possible");
	plan_error("traffic 1\ntraffic 1\n", "a second 'traffic' line");
	plan_error("pin %1 home 0 demand 0 0\nelastic %2 home 1 demand 0 0\ntraffic 1\nstatic %1 home 0\nstatic traffic 1\n",
		   "the plan has no 'static' line for task %2");
	plan_error("pin %1 home 0 demand 0 0\nstatic %1 home 0\nstatic %2 home 0\ntraffic 1\nstatic traffic 1\n",
		   "the plan has no 'pin' or 'elastic' line for task %2");
	plan_error("pin %1 home 0 demand 0 0\nelastic %2 home 1 demand 0 0\nstatic %1 home 0\nstatic %2 home 0\nstatic traffic 1\n",
		   "the plan has no 'traffic' line");
	plan_error("node %3 tb \"c\" in %0.0 general peas 1 time 1ms\n", "the plan comes last");
	plan_error("plan rate 1 seed 1 opt 1 mesh 1x1 clusters 1x1 fabric \"g\" cluster 1x1 chiplet 1x1 "
		   "package 1x1 hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop package "
		   "1ns 1GiB/s reconfig 1GiB/s control 1ns\n",
		   "repeated 'plan' line");

	/* the 'plan' line itself */
	static const char *const bad_plans[][2] = {
		{"plan rate 1 seed 1 opt 4 mesh", "the -O level is 0, 1, 2 or 3"},
		{"plan rate 1 seed 18446744073709551616 opt", "expected a seed"},
		{"plan rate -1 seed", "a negative value here is not possible"},
		{"plan rate 1 seed 1 opt 1 mesh 4x4 clusters 2x1 fabric \"f\" cluster 2x2 chiplet 2x1 package "
		 "1x1 hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop package 1ns 1GiB/s "
		 "reconfig 1GiB/s control 1ns", "the fabric's mesh is 4x2 PEAs, not 4x4"},
		{"plan rate 1 seed 1 opt 1 mesh 4x2 clusters 1x1 fabric \"f\" cluster 2x2 chiplet 2x1 package "
		 "1x1 hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop package 1ns 1GiB/s "
		 "reconfig 1GiB/s control 1ns", "the fabric's mesh is 2x1 clusters, not 1x1"},
		{"plan rate 1 seed 1 opt 1 mesh 32768x16384 clusters 32768x16384 fabric \"f\" cluster 1x1 chiplet "
		 "32768x16384 package 1x1 hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop "
		 "package 1ns 1GiB/s reconfig 1GiB/s control 1ns", "a plan's mesh has 1 to 268435456 PEAs"},
		{"plan rate 1 seed 1 opt 1 mesh 2048x1024 clusters 2048x1024 fabric \"f\" cluster 1x1 chiplet "
		 "2048x1024 package 1x1 hop pea 1ns 1GiB/s hop cluster 1ns 1GiB/s hop chiplet 1ns 1GiB/s hop "
		 "package 1ns 1GiB/s reconfig 1GiB/s control 1ns", "a plan's mesh has at most 1048576 clusters"},
	};
	for (size_t i = 0; i < sizeof bad_plans / sizeof *bad_plans; i++) {
		char text[2048];
		snprintf(text, sizeof text,
			 "owgir 1\nworkflow \"w\"\nnode %%0 entry \"entry\" arms (seq)\n%s\n", bad_plans[i][0]);
		char *msgs = NULL;
		owg_graph *g = read_ir(text, strlen(text), &msgs);
		ck_assert_msg(g == NULL, "accepted: %s", bad_plans[i][0]);
		ck_assert_msg(strstr(msgs, bad_plans[i][1]) != NULL, "expected '%s' in:\n%s", bad_plans[i][1],
			      msgs);
		free(msgs);
	}
	/* a plan line before the plan */
	char *msgs = NULL;
	const char *early = "owgir 1\nworkflow \"w\"\nnode %0 entry \"entry\" arms (seq)\npin %0 home 0\n";
	ck_assert_ptr_null(read_ir(early, strlen(early), &msgs));
	ck_assert(strstr(msgs, "'pin' before the 'plan' line") != NULL);
	free(msgs);
	/* a 'bounds' line without 'load' lines (used to crash the reader) */
	const char *bounds = "owgir 1\nworkflow \"w\"\nnode %0 entry \"entry\" arms (seq)\n"
			     "node %1 tb \"t\" in %0.0 general peas 1 time 1s\n"
			     "bounds peas 1 critical-path 1s pea-time 1s lb-latency 1s max-throughput 1\n";
	ck_assert_ptr_null(read_ir(bounds, strlen(bounds), &msgs));
	ck_assert(strstr(msgs, "'load' annotations are missing for node %1") != NULL);
	free(msgs);
}
END_TEST

Suite *suite_owgp(void)
{
	Suite *s = suite_create("owgp");
	TCase *tc = tcase_create("round_trip");
	tcase_add_test(tc, test_golden_round_trip);
	tcase_add_test(tc, test_plan_text);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_contents);
	tcase_add_test(tc, test_absent_sections);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bit_flips);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_hostile_header);
	tcase_add_test(tc, test_hostile_table);
	tcase_add_test(tc, test_forward_compatibility);
	tcase_add_test(tc, test_hostile_records);
	tcase_add_test(tc, test_hostile_plan);
	tcase_add_test(tc, test_expression_depth);
	suite_add_tcase(s, tc);
	tc = tcase_create("api");
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("ir_text");
	tcase_add_test(tc, test_plan_text_read);
	tcase_add_test(tc, test_plan_text_errors);
	suite_add_tcase(s, tc);
	return s;
}
