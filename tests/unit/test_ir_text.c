#include "config.h"

/* test_ir_text.c - the text form: exact printing, the golden files'
 * round trip, quantities, error messages with their positions, and
 * hostile inputs (random bytes, mutations, truncations, huge lines, deep
 * parentheses). */

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ir.h"
#include "quantity.h"
#include "unit.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree (-DTOP_SRCDIR=\"\\\"$(abs_top_srcdir)\\\"\")"
#endif


/* --- helpers --- */

static char *slurp_file(FILE *f, size_t *len)
{
	fflush(f);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

static char *print_str(const owg_graph *g, void (*pr)(const owg_graph *, FILE *), size_t *len)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	pr(g, f);
	char *s = slurp_file(f, len);
	fclose(f);
	return s;
}

static char *read_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	char *s = slurp_file(f, len);
	fclose(f);
	return s;
}

/* Reads text (an exact-size copy, so that an over-read is caught by the
 * sanitizers) as file "t.owgir"; returns the graph and, in *msgs, what
 * the diagnostics engine printed. */
static owg_graph *read_text(const char *text, size_t len, char **msgs)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	uint32_t file = owg_src_add(&sm, "t.owgir", text, len);
	FILE *out = msgs ? tmpfile() : fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(out);
	owg_diag *d = owg_diag_new(&sm, out);
	char *copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	owg_graph *g = owg_ir_read(copy, len, file, d);
	free(copy);
	if (msgs)
		*msgs = slurp_file(out, NULL);
	fclose(out);
	owg_diag_free(d);
	owg_src_free(&sm);
	return g;
}

static owg_graph *read_str(const char *text, char **msgs)
{
	return read_text(text, strlen(text), msgs);
}

/* --- a hand-built graph prints exactly --- */

static owg_out *outs(owg_graph *g, owg_node *n, uint32_t count)
{
	n->nouts = count;
	n->outs = owg_arena_alloc(&g->arena, count * sizeof *n->outs);
	return n->outs;
}

static owg_expr *ex_out(owg_graph *g, uint32_t node, uint32_t o)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_OUT);
	e->u.ref.node = node;
	e->u.ref.out = o;
	return e;
}

static owg_expr *ex_num(owg_graph *g, double x)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_NUM);
	e->u.num = x;
	return e;
}

static owg_expr *ex_bin(owg_graph *g, owg_op op, owg_expr *l, owg_expr *r)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_BINARY);
	e->op = op;
	e->u.sub.l = l;
	e->u.sub.r = r;
	return e;
}

static owg_expr *ex_un(owg_graph *g, owg_op op, owg_expr *x)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_UNARY);
	e->op = op;
	e->u.sub.l = x;
	return e;
}

static const char face_text[] =
	"owgir 1\n"
	"workflow \"face_recognition\"\n"
	"node %0 entry \"entry\" arms (seq)\n"
	"node %1 tb \"decode\" in %0.0 general peas 1 time 600us\n"
	"node %2 tb \"detect\" in %0.0 ai peas 4 time normal(3ms, 900us) kernel \"detect_faces\" out faces:i64\n"
	"node %3 fork \"foreach0\" in %0.0 count poisson(2.3) of %2.faces arms (item)\n"
	"node %4 tb \"embed\" in %3.0 ai peas 2 time meansd(1.1ms, 200us)\n"
	"node %5 tb \"match\" in %3.0 general peas 1 time lognormal(400us, 0.5) out score:f64 config 64KiB\n"
	"node %6 branch \"if0\" in %0.0 pred (%5.score > 0.8) arms (then p 0.15) (else)\n"
	"node %7 tb \"alert\" in %6.0 general peas 1 time 50us out ok:bool\n"
	"node %8 loop \"judge\" in %0.0 while pred ((%7.ok == 0) && true) max 4 arms (body) (repeat p 0.35)\n"
	"node %9 loop \"loop1\" in %0.0 trips uniform(1, 5) arms (body) (repeat)\n"
	"node %10 switch \"sw\" in %0.0 pred %2.faces arms (case 0 p 0.5) (case 1 p 0.3) (default p 0.2)\n"
	"node %11 exit \"exit0\" in %0.0 pred (%2.faces < 1) arms (taken p 0.1) (cont)\n"
	"node %12 tb \"x\\\"y\\\\z\\n\\t\\x01\\x7f\xc3\xa9\" in %9.0 general peas 1 time 2.2389906096453737us\n"
	"flow %1 -> %2 600KiB\n"
	"flow %4 -> %5 2KiB\n"
	"fabric \"mychip\" cluster 4x4 chiplet 4x4 package 1x1 hop pea 1ns 64GiB/s hop cluster 2ns "
	"32GiB/s hop chiplet 10ns 16GiB/s hop package 40ns 8GiB/s reconfig 8GiB/s control 20ns "
	"defect 3,4 defect 10,2\n";

static owg_graph *build_face(void)
{
	const double KiB = 1024, GiB = 1024.0 * 1024 * 1024;
	owg_graph *g = owg_ir_new("face_recognition");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *n = owg_ir_add_tb(g, "decode", 0, 0);
	n->time.a = 600e-6; /* what "600us" reads as: the double nearest 0.0006 */
	n = owg_ir_add_tb(g, "detect", 0, 0);
	n->tb_kind = OWG_TB_AI;
	n->peas = 4;
	n->time = (owg_dist){OWG_DIST_NORMAL, 3e-3, 900e-6, 0, NULL};
	n->kernel = "detect_faces";
	outs(g, n, 1)[0] = (owg_out){"faces", OWG_TYPE_I64};
	n = owg_ir_add_cb(g, OWG_CB_FORK, "foreach0", 0, 0);
	n->count = (owg_dist){OWG_DIST_POISSON, 2.3, 0, 0, NULL};
	n->count_node = 2;
	n->count_out = 0;
	n = owg_ir_add_tb(g, "embed", 3, 0);
	n->tb_kind = OWG_TB_AI;
	n->peas = 2;
	n->time = (owg_dist){OWG_DIST_MEANSD, 1.1e-3, 200e-6, 0, NULL};
	n = owg_ir_add_tb(g, "match", 3, 0);
	n->time = (owg_dist){OWG_DIST_LOGNORMAL, 400e-6, 0.5, 0, NULL};
	outs(g, n, 1)[0] = (owg_out){"score", OWG_TYPE_F64};
	n->config_bytes = 64 * KiB;
	owg_expr *p = ex_bin(g, OWG_OP_GT, ex_out(g, 5, 0), ex_num(g, 0.8));
	n = owg_ir_add_cb(g, OWG_CB_BRANCH, "if0", 0, 0);
	n->pred = p;
	n->arms[0].prob = 0.15;
	n = owg_ir_add_tb(g, "alert", 6, 0);
	n->time.a = 50e-6;
	outs(g, n, 1)[0] = (owg_out){"ok", OWG_TYPE_BOOL};
	owg_expr *t = owg_ir_expr(g, OWG_EX_BOOL);
	t->u.b = true;
	p = ex_bin(g, OWG_OP_AND, ex_bin(g, OWG_OP_EQ, ex_out(g, 7, 0), ex_num(g, 0)), t);
	n = owg_ir_add_cb(g, OWG_CB_LOOP, "judge", 0, 0);
	n->loop_kind = OWG_LOOP_WHILE;
	n->pred = p;
	n->max_trips = 4;
	n->arms[1].prob = 0.35;
	n = owg_ir_add_cb(g, OWG_CB_LOOP, "loop1", 0, 0);
	n->count = (owg_dist){OWG_DIST_UNIFORM, 1, 5, 0, NULL};
	p = ex_out(g, 2, 0);
	n = owg_ir_add_cb(g, OWG_CB_SWITCH, "sw", 0, 0);
	owg_ir_set_arms(g, n, 2, true);
	n->pred = p;
	n->arms[1].value = 1;
	n->arms[0].prob = 0.5;
	n->arms[1].prob = 0.3;
	n->arms[2].prob = 0.2;
	p = ex_bin(g, OWG_OP_LT, ex_out(g, 2, 0), ex_num(g, 1));
	n = owg_ir_add_cb(g, OWG_CB_EXIT, "exit0", 0, 0);
	n->pred = p;
	n->arms[0].prob = 0.1;
	n = owg_ir_add_tb(g, "x\"y\\z\n\t\x01\x7f\xc3\xa9", 9, 0);
	n->time.a = 2.2389906096453737e-06;
	owg_ir_add_flow(g, 1, 2, 600 * KiB);
	owg_ir_add_flow(g, 4, 5, 2 * KiB);
	owg_fabric f;
	memset(&f, 0, sizeof f);
	f.name = "mychip";
	f.loc = OWG_LOC_NONE;
	f.grid_w[OWG_FAB_PEA] = f.grid_h[OWG_FAB_PEA] = 1;
	f.grid_w[OWG_FAB_CLUSTER] = f.grid_h[OWG_FAB_CLUSTER] = 4;
	f.grid_w[OWG_FAB_CHIPLET] = f.grid_h[OWG_FAB_CHIPLET] = 4;
	f.grid_w[OWG_FAB_PACKAGE] = f.grid_h[OWG_FAB_PACKAGE] = 1;
	const double lat[] = {1e-9, 2e-9, 10e-9, 40e-9}, bw[] = {64, 32, 16, 8};
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f.hop_latency[l] = lat[l];
		f.link_bandwidth[l] = bw[l] * GiB;
	}
	f.reconfig_bandwidth = 8 * GiB;
	f.control_latency = 20e-9;
	f.ndefects = 2;
	f.defects = owg_arena_alloc(&g->arena, 2 * sizeof *f.defects);
	f.defects[0][0] = 3, f.defects[0][1] = 4;
	f.defects[1][0] = 10, f.defects[1][1] = 2;
	OWG_VEC_PUSH(g->fabrics, f);
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_CB && g->nodes.v[i].pred)
			owg_ir_expr_type(g, g->nodes.v[i].pred);
	return g;
}

START_TEST(test_print_exact)
{
	owg_graph *g = build_face();
	char *s = print_str(g, owg_ir_print, NULL);
	ck_assert_str_eq(s, face_text);
	ck_assert_uint_eq(owg_ir_verify(g, NULL), 0);
	free(s);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_read_fields)
{
	char *msgs;
	owg_graph *g = read_str(face_text, &msgs);
	ck_assert_msg(g != NULL, "%s", msgs);
	ck_assert_str_eq(msgs, "");
	free(msgs);
	owg_graph *want = build_face();
	ck_assert_str_eq(g->name, want->name);
	ck_assert_uint_eq(g->nodes.n, want->nodes.n);
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *a = &g->nodes.v[i], *b = &want->nodes.v[i];
		ck_assert_uint_eq(a->id, i);
		ck_assert_str_eq(a->name, b->name);
		ck_assert_int_eq(a->kind, b->kind);
		ck_assert_uint_eq(a->region, b->region);
		ck_assert_uint_eq(a->arm, b->arm);
		ck_assert_uint_eq(a->loc.file, OWG_NOFILE);
		if (a->kind == OWG_NODE_TB) {
			ck_assert_int_eq(a->tb_kind, b->tb_kind);
			ck_assert_uint_eq(a->peas, b->peas);
			ck_assert_int_eq(a->time.kind, b->time.kind);
			ck_assert(a->time.a == b->time.a && a->time.b == b->time.b);
			ck_assert(a->config_bytes == b->config_bytes);
			ck_assert_uint_eq(a->nouts, b->nouts);
			for (uint32_t o = 0; o < a->nouts; o++) {
				ck_assert_str_eq(a->outs[o].name, b->outs[o].name);
				ck_assert_int_eq(a->outs[o].type, b->outs[o].type);
			}
		} else {
			ck_assert_int_eq(a->cb_kind, b->cb_kind);
			ck_assert_uint_eq(a->narms, b->narms);
			ck_assert_uint_eq(a->count_node, b->count_node);
			ck_assert_uint_eq(a->max_trips, b->max_trips);
			ck_assert_int_eq(a->loop_kind, b->loop_kind);
			ck_assert_int_eq(!a->pred, !b->pred);
			if (a->pred)
				ck_assert_int_eq(a->pred->type, b->pred->type);
		}
	}
	ck_assert(g->nodes.v[10].pred->kind == OWG_EX_OUT);
	ck_assert_int_eq(g->nodes.v[10].pred->type, OWG_TYPE_I64);
	ck_assert_int_eq(g->nodes.v[8].pred->type, OWG_TYPE_BOOL);
	ck_assert(isnan(g->nodes.v[6].arms[1].prob));
	ck_assert(g->nodes.v[6].arms[0].prob == 0.15);
	ck_assert(g->nodes.v[2].kernel && strcmp(g->nodes.v[2].kernel, "detect_faces") == 0);
	ck_assert_ptr_null(g->nodes.v[1].kernel);
	ck_assert_uint_eq(g->flows.n, 2);
	ck_assert(g->flows.v[0].bytes == 600 * 1024);
	ck_assert_uint_eq(g->fabrics.n, 1);
	const owg_fabric *f = &g->fabrics.v[0];
	ck_assert_uint_eq(f->grid_w[OWG_FAB_PEA], 1);
	ck_assert_uint_eq(f->grid_w[OWG_FAB_CLUSTER], 4);
	ck_assert_uint_eq(f->ndefects, 2);
	ck_assert_uint_eq(f->defects[1][0], 10);
	ck_assert(f->link_bandwidth[OWG_FAB_PEA] == 64.0 * 1024 * 1024 * 1024);
	ck_assert(f->control_latency == 20e-9);
	owg_ir_free(want);
	owg_ir_free(g);
}
END_TEST

/* DOT and JSON: the shapes, edges and fields other tools rely on. */
START_TEST(test_exports)
{
	owg_graph *g = build_face();
	char *dot = print_str(g, owg_ir_print_dot, NULL);
	static const char *const dot_want[] = {
		"digraph \"face_recognition\" {\n",
		"\tn0 [shape=diamond, label=\"entry\\nentry\"];\n",
		"\tn2 [shape=box, label=\"detect\\nai, 4 PEAs\\n3ms\"];\n",
		"\tn1 [shape=box, label=\"decode\\ngeneral, 1 PEA\\n600us\"];\n",
		"\tn12 [shape=box, label=\"x\\\"y\\\\z????\xc3\xa9\\ngeneral, 1 PEA\\n2.239us\"];\n",
		"\tn6 [shape=diamond, label=\"branch\\nif0\"];\n",
		"\tn6 -> n7 [style=dashed, label=\"then p=0.15\"];\n",
		"\tn10 -> n10 [style=dashed, label=\"repeat p=0.35\"];\n",
		"\tn8 -> n8 [style=dashed, label=\"repeat p=0.35\"];\n",
		"\tn9 -> n9 [style=dashed, label=\"repeat\"];\n",
		"\tn9 -> n12 [style=dashed, label=\"body\"];\n",
		"\tn1 -> n2 [label=\"600KiB\"];\n",
		"}\n",
	};
	for (size_t i = 0; i < sizeof dot_want / sizeof *dot_want; i++) {
		if (i == 7) /* the switch has no repeat arm */
			ck_assert_ptr_null(strstr(dot, dot_want[i]));
		else
			ck_assert_msg(strstr(dot, dot_want[i]) != NULL, "missing %s in\n%s", dot_want[i], dot);
	}
	char *json = print_str(g, owg_ir_print_json, NULL);
	static const char *const json_want[] = {
		"{\"owgir\":1,\"workflow\":\"face_recognition\",\n\"nodes\":[\n",
		"\"time\":{\"kind\":\"normal\",\"a\":0.003,\"b\":0.0009}",
		"\"kernel\":\"detect_faces\",\"outs\":[{\"name\":\"faces\",\"type\":\"i64\"}]",
		"\"arms\":[{\"kind\":\"then\",\"value\":0,\"prob\":0.15},{\"kind\":\"else\",\"value\":0,\"prob\":null}]",
		"\"pred\":{\"kind\":\"binary\",\"type\":\"bool\",\"op\":\">\",\"lhs\":{\"kind\":\"out\",\"type\":\"f64\",\"node\":5,\"out\":0,\"name\":\"score\"},\"rhs\":{\"kind\":\"num\",\"type\":\"f64\",\"value\":0.8}}",
		"\"name\":\"x\\\"y\\\\z\\n\\t\\u0001\x7f\xc3\xa9\"",
		"\"count_node\":2,\"count_out\":0}",
		"\"region\":null",
		"\"loc\":null",
		"\n\"flows\":[\n{\"src\":1,\"dst\":2,\"bytes\":614400},\n{\"src\":4,\"dst\":5,\"bytes\":2048}\n],",
		"\"defects\":[[3,4],[10,2]]}\n]}\n",
	};
	for (size_t i = 0; i < sizeof json_want / sizeof *json_want; i++)
		ck_assert_msg(strstr(json, json_want[i]) != NULL, "missing %s in\n%s", json_want[i], json);
	free(dot);
	free(json);
	/* Non-finite numbers are null, bad UTF-8 is replaced, nothing crashes on
	 * a broken graph. */
	g->nodes.v[1].time.a = NAN;
	g->nodes.v[2].name = "\xff\xc3";
	g->nodes.v[3].count_node = 77;
	g->nodes.v[6].pred->u.sub.l->u.ref.node = 99;
	g->flows.v[0].bytes = INFINITY;
	json = print_str(g, owg_ir_print_json, NULL);
	ck_assert_ptr_nonnull(strstr(json, "\"time\":{\"kind\":\"const\",\"a\":null,"));
	ck_assert_ptr_nonnull(strstr(json, "\"name\":\"\\ufffd\\ufffd\""));
	ck_assert_ptr_nonnull(strstr(json, "\"bytes\":null"));
	ck_assert_ptr_nonnull(strstr(json, "\"node\":99,\"out\":0,\"name\":null"));
	dot = print_str(g, owg_ir_print_dot, NULL);
	char *ir = print_str(g, owg_ir_print, NULL);
	ck_assert_ptr_nonnull(strstr(ir, "pred (%99.#0 > 0.8)"));
	ck_assert_ptr_nonnull(strstr(ir, "time nans"));
	ck_assert_ptr_null(read_str(ir, NULL));
	free(ir);
	free(dot);
	free(json);
	owg_ir_free(g);
}
END_TEST

/* --- golden files --- */

static int golden_count;

static void roundtrip(const char *path)
{
	size_t len;
	char *text = read_path(path, &len);
	char *msgs;
	owg_graph *g = read_text(text, len, &msgs);
	ck_assert_msg(g != NULL, "%s: %s", path, msgs);
	free(msgs);
	ck_assert_msg(owg_ir_verify(g, NULL) == 0, "%s does not verify", path);
	size_t plen;
	char *p = print_str(g, owg_ir_print, &plen);
	ck_assert_msg(plen == len && memcmp(p, text, len) == 0, "%s: printed:\n%s", path, p);
	/* The exports are deterministic. */
	char *d1 = print_str(g, owg_ir_print_dot, NULL), *d2 = print_str(g, owg_ir_print_dot, NULL);
	char *j1 = print_str(g, owg_ir_print_json, NULL), *j2 = print_str(g, owg_ir_print_json, NULL);
	ck_assert_str_eq(d1, d2);
	ck_assert_str_eq(j1, j2);
	ck_assert(strncmp(j1, "{\"owgir\":1,\"workflow\":", 22) == 0);
	ck_assert(strstr(j1, "nan") == NULL && strstr(j1, "inf") == NULL);
	ck_assert(strncmp(d1, "digraph \"", 9) == 0);
	free(d1), free(d2), free(j1), free(j2);
	free(p);
	free(text);
	owg_ir_free(g);
	golden_count++;
}

START_TEST(test_golden_roundtrip)
{
	const char *dir = TOP_SRCDIR "/tests/golden";
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *de;
	golden_count = 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 7 || strcmp(de->d_name + n - 6, ".owgir") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		roundtrip(path);
	}
	closedir(d);
	ck_assert_int_ge(golden_count, 3);
}
END_TEST

/* Spaces, tabs, blank lines and comments are accepted; the print is canonical. */
START_TEST(test_lenient_layout)
{
	const char *text = "; a comment\n"
			   "\n"
			   "  owgir\t1   ; version\n"
			   "workflow  \"w;x\"\n"
			   "\t\n"
			   "node %0 entry \"entry\" arms ( seq )\n"
			   "node %1 tb \"t\" in %0.0 general peas 1 time normal( 1ms ,2ms )out n:i64;x\n"
			   "node %2 branch \"b\" in %0.0 pred ( %1.n  >  -3 ) arms (then p 0.5)(else p 0.5)\n"
			   "node %3 branch \"c\" in %0.0 pred ( - 3) arms (then) (else)\n"
			   "fabric \"f\" cluster 1x1 chiplet 1x1 package 1x1 hop pea 1ns 1B/s hop cluster 1ns "
			   "1B/s hop chiplet 1ns 1B/s hop package 1ns 1B/s reconfig 1B/s control 1ns "
			   "defect 0 , 0";
	char *msgs;
	owg_graph *g = read_str(text, &msgs);
	ck_assert_msg(g != NULL, "%s", msgs);
	free(msgs);
	char *p = print_str(g, owg_ir_print, NULL);
	ck_assert_str_eq(p,
			 "owgir 1\n"
			 "workflow \"w;x\"\n"
			 "node %0 entry \"entry\" arms (seq)\n"
			 "node %1 tb \"t\" in %0.0 general peas 1 time normal(1ms, 2ms) out n:i64\n"
			 "node %2 branch \"b\" in %0.0 pred (%1.n > -3) arms (then p 0.5) (else p 0.5)\n"
			 "node %3 branch \"c\" in %0.0 pred (-3) arms (then) (else)\n"
			 "fabric \"f\" cluster 1x1 chiplet 1x1 package 1x1 hop pea 1ns 1B/s hop cluster "
			 "1ns 1B/s hop chiplet 1ns 1B/s hop package 1ns 1B/s reconfig 1B/s control 1ns "
			 "defect 0,0\n");
	free(p);
	owg_ir_free(g);
}
END_TEST

/* "-3" is a literal, "(-3)" the negation of 3, "(--3)" the negation of -3. */
START_TEST(test_unary_minus_forms)
{
	owg_graph *g = owg_ir_new("w");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_expr *preds[] = {
		ex_num(g, -3),
		ex_un(g, OWG_OP_NEG, ex_num(g, 3)),
		ex_un(g, OWG_OP_NEG, ex_num(g, -3)),
		ex_un(g, OWG_OP_NEG, ex_num(g, 0)),
		ex_un(g, OWG_OP_NEG, ex_num(g, -0.0)),
		ex_bin(g, OWG_OP_SUB, ex_num(g, -3), ex_num(g, -1e-300)),
		ex_un(g, OWG_OP_NEG, ex_un(g, OWG_OP_NEG, ex_num(g, 2.5))),
		ex_un(g, OWG_OP_NOT, ex_un(g, OWG_OP_NOT, ex_num(g, -2.5))),
	};
	const char *const want[] = {"-3",   "(-3)",           "(--3)",     "(-0)",
				    "(--0)", "(-3 - -1e-300)", "(-(-2.5))", "(!(!-2.5))"};
	size_t np = sizeof preds / sizeof *preds;
	for (size_t i = 0; i < np; i++) {
		owg_node *n = owg_ir_add_cb(g, OWG_CB_SWITCH, "", 0, 0);
		owg_ir_set_arms(g, n, 1, false);
		n->pred = preds[i];
		owg_ir_expr_type(g, n->pred);
	}
	char *p = print_str(g, owg_ir_print, NULL);
	for (size_t i = 0; i < np; i++) {
		char line[128];
		snprintf(line, sizeof line, "node %%%zu switch \"\" in %%0.0 pred %s arms (case 0)\n",
			 i + 1, want[i]);
		ck_assert_msg(strstr(p, line) != NULL, "missing %s in\n%s", line, p);
	}
	char *msgs;
	owg_graph *h = read_str(p, &msgs);
	ck_assert_msg(h != NULL, "%s", msgs);
	free(msgs);
	for (size_t i = 0; i < np; i++) {
		const owg_expr *a = h->nodes.v[i + 1].pred, *b = preds[i];
		ck_assert_int_eq(a->kind, b->kind);
		ck_assert_int_eq(a->type, b->type);
		if (a->kind == OWG_EX_UNARY) {
			ck_assert_int_eq(a->op, b->op);
			a = a->u.sub.l, b = b->u.sub.l;
			ck_assert_int_eq(a->kind, b->kind);
		}
		if (a->kind == OWG_EX_NUM)
			ck_assert(memcmp(&a->u.num, &b->u.num, sizeof(double)) == 0);
	}
	char *q = print_str(h, owg_ir_print, NULL);
	ck_assert_str_eq(p, q);
	free(p);
	free(q);
	owg_ir_free(h);
	owg_ir_free(g);
}
END_TEST

/* --- quantities --- */

static const char *ftime(double x)
{
	static char buf[48];
	owg_fmt_time(buf, sizeof buf, x);
	return buf;
}

static const char *fsize(double x)
{
	static char buf[48];
	owg_fmt_size(buf, sizeof buf, x);
	return buf;
}

START_TEST(test_quantities)
{
	ck_assert_str_eq(ftime(0), "0s");
	ck_assert_str_eq(ftime(-0.0), "0s");
	ck_assert_str_eq(ftime(1.5), "1.5s");
	ck_assert_str_eq(ftime(86400), "86400s");
	ck_assert_str_eq(ftime(3 * 1e-3), "3ms");
	ck_assert_str_eq(ftime(600 * 1e-6), "600us");
	ck_assert_str_eq(ftime(1 * 1e-9), "1ns");
	ck_assert_str_eq(ftime(0.5 * 1e-9), "0.5ns");
	ck_assert_str_eq(ftime(-2 * 1e-3), "-2ms");
	ck_assert_str_eq(ftime(1e-3 * 1e-3), "1us");
	/* Decimal: the text is the shortest decimal of x with its point moved. */
	ck_assert_str_eq(ftime(0.0009), "900us");
	ck_assert_str_eq(ftime(2e-4), "200us");
	ck_assert_str_eq(ftime(1.1e-3), "1.1ms");
	ck_assert_str_eq(ftime(0.1 + 0.2), "300.00000000000004ms");
	ck_assert_str_eq(fsize(0), "0B");
	ck_assert_str_eq(fsize(-0.0), "0B");
	ck_assert_str_eq(fsize(1), "1B");
	ck_assert_str_eq(fsize(1023), "1023B");
	ck_assert_str_eq(fsize(1024), "1KiB");
	ck_assert_str_eq(fsize(1536), "1.5KiB");
	ck_assert_str_eq(fsize(0.5), "0.5B");
	ck_assert_str_eq(fsize(3.0 * 1024 * 1024 * 1024 * 1024), "3TiB");
	ck_assert_str_eq(fsize(4096.0 * 1024 * 1024 * 1024 * 1024), "4096TiB");
	ck_assert_str_eq(fsize(-2048), "-2KiB");
}
END_TEST

/* Times print as their shortest decimal moved into a unit (the decimal
 * point shifts; nothing is divided), so every double has an exact text. */
START_TEST(test_seconds_fallback)
{
	const double xs[] = {2.2389906096453737e-06, 4.9523445195296525e-06,
			     8.5169714030423069e-05, 5.2074701176991077e-08,
			     2.7738681075972818e-12, 0.0002, 0.1 + 0.2};
	const char *want[] = {"2.2389906096453737us", "4.9523445195296525us",
			      "85.16971403042307us", "52.07470117699108ns",
			      "0.002773868107597282ns", "200us", "300.00000000000004ms"};
	for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
		if (want[i])
			ck_assert_str_eq(ftime(xs[i]), want[i]);
		owg_graph *g = owg_ir_new("w");
		owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
		owg_node *n = owg_ir_add_tb(g, "t", 0, 0);
		n->time = (owg_dist){OWG_DIST_UNIFORM, xs[i], xs[i] * 3, 0, NULL};
		n->config_bytes = xs[i];
		owg_ir_add_flow(g, 1, 1, xs[i] * 1e9);
		char *p = print_str(g, owg_ir_print, NULL);
		owg_graph *h = read_str(p, NULL);
		ck_assert_msg(h != NULL, "%s", p);
		const owg_node *m = &h->nodes.v[1];
		ck_assert_msg(memcmp(&m->time.a, &xs[i], sizeof(double)) == 0, "%s", p);
		double b = xs[i] * 3;
		ck_assert(memcmp(&m->time.b, &b, sizeof(double)) == 0);
		ck_assert(memcmp(&m->config_bytes, &xs[i], sizeof(double)) == 0);
		ck_assert(h->flows.v[0].bytes == xs[i] * 1e9);
		free(p);
		owg_ir_free(h);
		owg_ir_free(g);
	}
	/* Extremes and random quantities of every magnitude read back bit for bit. */
	static const double extremes[] = {5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
					  1e59, 1.5e25, 123456789e15, 1e-40, 1.2345e-31};
	uint64_t s = 88172645463325252u;
	for (int i = 0; i < 5000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double x = (double)(s >> 11) / 9007199254740992.0 * pow(10, (int)(s % 600) - 300);
		if (i < (int)(sizeof extremes / sizeof *extremes))
			x = extremes[i];
		char t[48], z[48];
		owg_fmt_time(t, sizeof t, x);
		owg_fmt_size(z, sizeof z, x);
		char text[256];
		snprintf(text, sizeof text,
			 "owgir 1\nworkflow \"w\"\nnode %%0 entry \"e\" arms (seq)\n"
			 "node %%1 tb \"t\" in %%0.0 ai peas 1 time %s config %s\n",
			 t, z);
		owg_graph *h = read_str(text, NULL);
		ck_assert_msg(h != NULL, "%s", text);
		ck_assert_msg(h->nodes.v[1].time.a == x, "%s", text);
		ck_assert_msg(h->nodes.v[1].config_bytes == x, "%s", text);
		owg_ir_free(h);
	}
}
END_TEST

/* --- errors --- */

#define HDR "owgir 1\nworkflow \"w\"\nnode %0 entry \"entry\" arms (seq)\n"

static void expect_error(const char *text, const char *want)
{
	char *msgs;
	owg_graph *g = read_str(text, &msgs);
	ck_assert_msg(g == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(msgs, want) != NULL, "wanted \"%s\", got:\n%s", want, msgs);
	free(msgs);
}

START_TEST(test_errors)
{
	expect_error(HDR "node %1 tb \"a\" on %0.0 general peas 1 time 1us\n",
		     "t.owgir:4:16: error: expected 'in' after node name\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 99999999999 time 1us\n",
		     "t.owgir:4:37: error: number too large (at most 4294967295)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time gamma(1ms, 2ms)\n",
		     "t.owgir:4:44: error: unknown distribution 'gamma'\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 5 ms\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1e+400s\n",
		     "t.owgir:4:44: error: number out of range\n");
	/* Only the printer's number syntax. */
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 01 time 1s\n",
		     "t.owgir:4:37: error: expected a PEA count after 'peas'\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1E+3s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1e3.5s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1.s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time +1s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time .5s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 branch \"b\" in %0.0 arms (then p 00.5) (else)\n",
		     "t.owgir:4:41: error: expected a probability after 'p'\n");
	expect_error(HDR "node %01 tb \"a\" in %0.0 general peas 1 time 1s\n",
		     "t.owgir:4:6: error: expected a node id '%N' after 'node'\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 0x10s\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time nans\n",
		     "t.owgir:4:44: error: expected a time (with a unit: s, ms, us, ns)\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1us out 2x:i64\n",
		     "t.owgir:4:52: error: expected an output 'NAME:TYPE' after 'out'\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1us out x:i32\n",
		     "t.owgir:4:54: error: expected an output type: i64, f64 or bool\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1us extra\n",
		     "t.owgir:4:48: error: unexpected 'extra' at end of line\n");
	expect_error(HDR "node %2 tb \"a\" in %0.0 general peas 1 time 1us\n",
		     "t.owgir:4:6: error: node id %2 out of order (expected %1)\n");
	expect_error(HDR "node %1 branch \"b\" in %0.0 pred (%0.x > 1) arms (then) (else)\n",
		     "t.owgir:4:34: error: node %0 is not a task and has no outputs\n");
	expect_error(HDR "node %1 branch \"b\" in %0.0 pred (%7.x > 1) arms (then) (else)\n",
		     "t.owgir:4:34: error: reference to undefined node %7\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time 1us out x:f64\n"
			 "node %2 branch \"b\" in %0.0 pred (%1.y > 1) arms (then) (else)\n",
		     "t.owgir:5:34: error: task %1 has no output 'y'\n");
	expect_error(HDR "node %1 branch \"b\" in %0.0 pred (1 ? 2) arms (then) (else)\n",
		     "t.owgir:4:36: error: expected a binary operator\n");
	expect_error(HDR "node %1 branch \"b\" in %0.0 pred (1 > 2 arms (then) (else)\n",
		     "t.owgir:4:40: error: expected ')' after operand\n");
	expect_error(HDR "node %1 loop \"l\" in %0.0 pred true arms (body) (repeat)\n",
		     "t.owgir:4:26: error: expected 'while' or 'trips' in a loop\n");
	expect_error(HDR "node %1 loop \"l\" in %0.0 while max 0 arms (body) (repeat)\n",
		     "t.owgir:4:36: error: trip bound must be at least 1\n");
	expect_error(HDR "node %1 switch \"s\" in %0.0 arms (case) (default)\n",
		     "t.owgir:4:38: error: expected a case value\n");
	expect_error(HDR "node %1 switch \"s\" in %0.0 arms (case 1 p) (default)\n",
		     "t.owgir:4:42: error: expected a probability after 'p'\n");
	expect_error(HDR "node %1 switch \"s\" in %0.0 arms (cse 1)\n",
		     "t.owgir:4:34: error: expected an arm kind\n");
	expect_error(HDR "node %1 fork \"f\" in %0.0 count 2 of %0 arms (item)\n",
		     "t.owgir:4:37: error: expected an output reference '%NODE.NAME'\n");
	expect_error(HDR "node %1 blob \"f\" in %0.0\n",
		     "t.owgir:4:9: error: expected a node kind (tb, entry, branch, switch, loop, fork, "
		     "exit)\n");
	expect_error(HDR "node %1 tb \"a\n", "t.owgir:4:12: error: unterminated string\n");
	expect_error("owgir 1\nworkflow \"a\\qb\"\n", "t.owgir:2:12: error: invalid escape sequence\n");
	expect_error("owgir 1\nworkflow \"a\\x41\"\n",
		     "t.owgir:2:12: error: invalid escape sequence (write the character itself)\n");
	expect_error("owgir 1\nworkflow \"a\\x00\"\n", "t.owgir:2:12: error: NUL character in string\n");
	expect_error("owgir 1\nworkflow \"a\\x0a\"\n",
		     "t.owgir:2:12: error: invalid escape sequence (write \\n)\n");
	expect_error("owgir 1\nworkflow \"a\\x1B\"\n", "t.owgir:2:12: error: invalid escape sequence\n");
	expect_error("owgir 1\nworkflow \"a\tb\"\n",
		     "t.owgir:2:12: error: control character in string (write it as \\xHH)\n");
	expect_error("owgir 1\nworkflow w\n", "t.owgir:2:10: error: expected a workflow name string\n");
	expect_error("owgir 1\nnode %0 entry \"e\" arms (seq)\n",
		     "t.owgir:2:1: error: expected 'workflow' after the header\n");
	expect_error("hello\n", "t.owgir:1:1: error: not an OWG IR file: expected 'owgir 1'\n");
	expect_error("owgir 2\n", "t.owgir:1:7: error: unsupported OWG IR version '2' (expected 1)\n");
	expect_error("", "error: empty input: expected 'owgir 1'\n");
	expect_error("; only a comment\n\n", "error: empty input: expected 'owgir 1'\n");
	expect_error("owgir 1\n", "error: missing 'workflow' line\n");
	expect_error(HDR "flow %0 -> %0 1B\nnode %1 tb \"a\" in %0.0 general peas 1 time 1us\n",
		     "t.owgir:5:1: error: nodes must come before flows and fabrics\n");
	expect_error(HDR "flow %0 => %0 1B\n", "t.owgir:4:9: error: expected '->' after the source node\n");
	expect_error(HDR "flow %0 -> %0 1Kib\n",
		     "t.owgir:4:15: error: expected a size (with a unit: B, KiB, MiB, GiB, TiB)\n");
	expect_error(HDR "fabric \"f\" cluster 4 chiplet 1x1\n",
		     "t.owgir:4:20: error: expected a grid 'WxH'\n");
	expect_error(HDR "frob\n", "t.owgir:4:1: error: expected 'node', 'flow', 'fabric', an analysis annotation or a plan line\n");
	expect_error(HDR "node %1 tb \"a\" in %0.0 general peas 1 time "
			 "1234567890123456789012345678901234567890123456789012345678901234567890s\n",
		     "t.owgir:4:44: error: number too long\n");
}
END_TEST

/* All errors of a file are reported, not only the first. */
START_TEST(test_errors_all_reported)
{
	char *msgs;
	owg_graph *g = read_str(HDR "node %1 tb \"a\" in %0.0 general peas x time 1us\n"
				    "node %2 tb \"b\" in %0.0 general peas 1 time 1us\n"
				    "node %3 tb \"c\" in %0.0 general peas 1 time 1 us\n"
				    "flow %1 -> %2 1B\n"
				    "flow %2 -> %3 3\n",
				&msgs);
	ck_assert_ptr_null(g);
	ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:4:37: error: expected a PEA count after 'peas'\n"));
	ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:6:44: error: expected a time"));
	ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:8:15: error: expected a size"));
	ck_assert_ptr_null(strstr(msgs, "t.owgir:5:"));
	ck_assert_ptr_null(strstr(msgs, "t.owgir:7:"));
	free(msgs);
}
END_TEST

START_TEST(test_deep_nesting)
{
	/* 1000 levels are fine, 1001 are not, 10^6 do not crash. */
	size_t depths[] = {1000, 1001, 1000000};
	for (size_t k = 0; k < 3; k++) {
		size_t depth = depths[k];
		size_t cap = 200 + 16 * depth;
		char *text = malloc(cap);
		ck_assert_ptr_nonnull(text);
		size_t n = (size_t)snprintf(text, cap, "%snode %%1 branch \"b\" in %%0.0 pred ", HDR);
		for (size_t i = 0; i < depth; i++)
			text[n++] = '(';
		n += (size_t)snprintf(text + n, cap - n, "1 > 0)");
		for (size_t i = 1; i < depth; i++) {
			memcpy(text + n, " && true)", 9);
			n += 9;
		}
		n += (size_t)snprintf(text + n, cap - n, " arms (then) (else)\n");
		char *msgs;
		owg_graph *g = read_text(text, n, &msgs);
		if (depth <= 1000) {
			ck_assert_msg(g != NULL, "%s", msgs);
			ck_assert_int_eq(g->nodes.v[1].pred->type, OWG_TYPE_BOOL);
		} else {
			ck_assert_ptr_null(g);
			ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:4:1033: error: expression nested too deeply\n"));
		}
		free(msgs);
		owg_ir_free(g);
		free(text);
	}
}
END_TEST

/* --- hostile input --- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/* Whatever reads must print, verify and export without trouble, and its
 * print must read back and print the same. */
static void check_any(const char *text, size_t len)
{
	owg_graph *g = read_text(text, len, NULL);
	if (!g)
		return;
	owg_ir_verify(g, NULL);
	FILE *null = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(null);
	owg_ir_print_dot(g, null);
	owg_ir_print_json(g, null);
	fclose(null);
	size_t n1, n2;
	char *p1 = print_str(g, owg_ir_print, &n1);
	char *msgs;
	owg_graph *h = read_text(p1, n1, &msgs);
	ck_assert_msg(h != NULL, "printed text does not read back:\n%s\n%s", p1, msgs);
	free(msgs);
	char *p2 = print_str(h, owg_ir_print, &n2);
	ck_assert_msg(n1 == n2 && memcmp(p1, p2, n1) == 0, "unstable:\n%s\n%s", p1, p2);
	free(p1);
	free(p2);
	owg_ir_free(h);
	owg_ir_free(g);
}

static char *golden(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/golden/%s", TOP_SRCDIR, name);
	return read_path(path, len);
}

START_TEST(test_random_bytes)
{
	rng_state = 0x2545f4914f6cdd1du;
	char buf[2048];
	for (int i = 0; i < 500; i++) {
		size_t n = rnd() % sizeof buf;
		for (size_t k = 0; k < n; k++)
			buf[k] = (char)rnd();
		if (i % 2) /* a valid start, then garbage */
			memcpy(buf, HDR, n < sizeof HDR - 1 ? n : sizeof HDR - 1);
		check_any(buf, n);
	}
}
END_TEST

START_TEST(test_mutations)
{
	size_t len;
	char *text = golden("constructs.owgir", &len);
	static const char *const pieces[] = {
		"(", ")", " ", "\n", "\"", "\\", ";", ",", "%", ".", "-", "0", "9", "e", "%1.n",
		"%99", "1e308", "4294967296", "p", "case", "arms", "in", "trips", "\x00", "\xff",
		"normal(", "1us", "KiB", "/s", "x", "true", "(!", "(-",
	};
	rng_state = 0x9e3779b97f4a7c15u;
	char *buf = malloc(len + 64);
	ck_assert_ptr_nonnull(buf);
	for (int i = 0; i < 3000; i++) {
		memcpy(buf, text, len);
		size_t n = len;
		int edits = 1 + (int)(rnd() % 3);
		for (int e = 0; e < edits; e++) {
			size_t at = rnd() % (n + 1);
			switch (rnd() % 3) {
			case 0: /* delete a few bytes */
				if (at < n) {
					size_t k = 1 + rnd() % 8;
					if (k > n - at)
						k = n - at;
					memmove(buf + at, buf + at + k, n - at - k);
					n -= k;
				}
				break;
			case 1: { /* insert a piece */
				const char *p = pieces[rnd() % (sizeof pieces / sizeof *pieces)];
				size_t k = *p ? strlen(p) : 1;
				if (n + k > len + 64)
					break;
				memmove(buf + at + k, buf + at, n - at);
				memcpy(buf + at, p, k);
				n += k;
				break;
			}
			default: /* replace a byte */
				if (at < n)
					buf[at] = (char)rnd();
			}
		}
		check_any(buf, n);
	}
	free(buf);
	free(text);
}
END_TEST

START_TEST(test_truncations)
{
	size_t len;
	char *text = golden("constructs.owgir", &len);
	unsigned ok = 0;
	for (size_t n = 0; n <= len; n++) {
		owg_graph *g = read_text(text, n, NULL);
		if (g) {
			ok++;
			owg_ir_verify(g, NULL);
			owg_ir_free(g);
		}
	}
	/* The whole file reads; prefixes ending inside a node do not all read. */
	ck_assert_uint_ge(ok, 1);
	ck_assert_uint_lt(ok, len / 2);
	free(text);
}
END_TEST

START_TEST(test_huge_lines)
{
	const size_t big = 10u << 20;
	char *text = malloc(big + 256);
	ck_assert_ptr_nonnull(text);
	/* A 10 MB name reads. */
	size_t n = (size_t)sprintf(text, "owgir 1\nworkflow \"");
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"\nnode %%0 entry \"entry\" arms (seq)\n");
	owg_graph *g = read_text(text, n, NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(strlen(g->name), big);
	owg_ir_free(g);
	/* A 10 MB number, a 10 MB word, 10 MB of NULs, 10 MB of spaces. */
	const char fills[] = {'7', 'z', '\0', ' ', '('};
	for (size_t f = 0; f < sizeof fills; f++) {
		n = (size_t)sprintf(text, "%snode %%1 tb \"t\" in %%0.0 ai peas ", HDR);
		memset(text + n, fills[f], big);
		n += big;
		n += (size_t)sprintf(text + n, " time 1s\n");
		char *msgs;
		g = read_text(text, n, &msgs);
		ck_assert_ptr_null(g);
		ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:4:"));
		free(msgs);
	}
	free(text);
}
END_TEST

START_TEST(test_nul_and_binary)
{
	static const char a[] = "owgir 1\0\nworkflow \"w\"\n";
	char *msgs;
	ck_assert_ptr_null(read_text(a, sizeof a - 1, &msgs));
	ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:1:7: error: unsupported OWG IR version '1?' (expected 1)\n"));
	free(msgs);
	static const char b[] = "owgir 1\nworkflow \"w\0\"\n";
	ck_assert_ptr_null(read_text(b, sizeof b - 1, &msgs));
	ck_assert_ptr_nonnull(strstr(msgs, "t.owgir:2:12: error: control character in string"));
	free(msgs);
	static const char c[] = "owgir 1\r\nworkflow \"w\"\r\n";
	ck_assert_ptr_null(read_text(c, sizeof c - 1, &msgs));
	free(msgs);
	/* Without a final newline, the last line still counts. */
	owg_graph *g = read_str("owgir 1\nworkflow \"w\"\nnode %0 entry \"e\" arms (seq)", &msgs);
	ck_assert_msg(g != NULL, "%s", msgs);
	free(msgs);
	owg_ir_free(g);
}
END_TEST

Suite *suite_ir_text(void)
{
	Suite *s = suite_create("ir_text");
	TCase *tc = tcase_create("print");
	tcase_add_test(tc, test_print_exact);
	tcase_add_test(tc, test_read_fields);
	tcase_add_test(tc, test_exports);
	tcase_add_test(tc, test_golden_roundtrip);
	tcase_add_test(tc, test_lenient_layout);
	tcase_add_test(tc, test_unary_minus_forms);
	tcase_add_test(tc, test_quantities);
	tcase_add_test(tc, test_seconds_fallback);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_errors_all_reported);
	tcase_add_test(tc, test_deep_nesting);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_huge_lines);
	tcase_add_test(tc, test_nul_and_binary);
	suite_add_tcase(s, tc);
	return s;
}
