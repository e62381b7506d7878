#include "config.h"

/* test_ir_verify.c - one test per rule of the verifier: build a valid
 * graph, break one thing, expect the specific message. */

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ir.h"
#include "unit.h"


/* --- a valid graph ---
 *
 *   %0 entry
 *   %1 tb src (n:i64 x:f64 ok:bool)
 *   %2 branch br pred (%1.x > 0.5)      then p 0.4, else p 0.6
 *   %3   tb a                           in %2.0
 *   %4 switch sw pred %1.n              case 0 p 0.5, case 1 p 0.3, default p 0.2
 *   %5   tb b                           in %4.2
 *   %6 loop lc trips 3
 *   %7   tb c (m:i64)                   in %6.0
 *   %8 loop lw while pred %9.more max 5 (reads its own body: allowed)
 *   %9   tb d (more:bool)               in %8.0
 *   %10 fork fk count 2 of %1.n
 *   %11  tb e                           in %10.0
 *   %12 exit ex pred %1.ok              taken p 0.1, cont
 *   %13  tb f                           in %12.1
 *   flows 1->3->5->7->9->11->13; one fabric. */

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

static void set_outs(owg_graph *g, owg_node *n, uint32_t count, const owg_out *o)
{
	n->nouts = count;
	n->outs = owg_arena_alloc(&g->arena, count * sizeof *n->outs);
	memcpy(n->outs, o, count * sizeof *o);
}

static owg_node *node(owg_graph *g, uint32_t id)
{
	return &g->nodes.v[id];
}

static void retype(owg_graph *g)
{
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_CB && g->nodes.v[i].pred)
			owg_ir_expr_type(g, g->nodes.v[i].pred);
}

static owg_graph *make_valid(void)
{
	owg_graph *g = owg_ir_new("wf");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *n = owg_ir_add_tb(g, "src", 0, 0);
	set_outs(g, n, 3,
		 (owg_out[]){{"n", OWG_TYPE_I64}, {"x", OWG_TYPE_F64}, {"ok", OWG_TYPE_BOOL}});
	n->time = (owg_dist){OWG_DIST_NORMAL, 1e-3, 1e-4, 0, NULL};
	owg_expr *p = ex_bin(g, OWG_OP_GT, ex_out(g, 1, 1), ex_num(g, 0.5));
	n = owg_ir_add_cb(g, OWG_CB_BRANCH, "br", 0, 0);
	n->pred = p;
	n->arms[0].prob = 0.4;
	n->arms[1].prob = 0.6;
	owg_ir_add_tb(g, "a", 2, 0);
	p = ex_out(g, 1, 0);
	n = owg_ir_add_cb(g, OWG_CB_SWITCH, "sw", 0, 0);
	owg_ir_set_arms(g, n, 2, true);
	n->pred = p;
	n->arms[1].value = 1;
	n->arms[0].prob = 0.5;
	n->arms[1].prob = 0.3;
	n->arms[2].prob = 0.2;
	owg_ir_add_tb(g, "b", 4, 2);
	n = owg_ir_add_cb(g, OWG_CB_LOOP, "lc", 0, 0);
	n->count = (owg_dist){OWG_DIST_CONST, 3, 0, 0, NULL};
	n = owg_ir_add_tb(g, "c", 6, 0);
	set_outs(g, n, 1, (owg_out[]){{"m", OWG_TYPE_I64}});
	p = ex_out(g, 9, 0);
	n = owg_ir_add_cb(g, OWG_CB_LOOP, "lw", 0, 0);
	n->loop_kind = OWG_LOOP_WHILE;
	n->pred = p;
	n->max_trips = 5;
	n = owg_ir_add_tb(g, "d", 8, 0);
	set_outs(g, n, 1, (owg_out[]){{"more", OWG_TYPE_BOOL}});
	n = owg_ir_add_cb(g, OWG_CB_FORK, "fk", 0, 0);
	n->count = (owg_dist){OWG_DIST_CONST, 2, 0, 0, NULL};
	n->count_node = 1;
	n->count_out = 0;
	owg_ir_add_tb(g, "e", 10, 0);
	p = ex_out(g, 1, 2);
	n = owg_ir_add_cb(g, OWG_CB_EXIT, "ex", 0, 0);
	n->pred = p;
	n->arms[0].prob = 0.1;
	owg_ir_add_tb(g, "f", 12, 1);
	for (uint32_t i = 1; i + 2 <= 13; i += 2)
		owg_ir_add_flow(g, i, i + 2, 1024);
	owg_fabric f;
	memset(&f, 0, sizeof f);
	f.name = "fab";
	f.loc = OWG_LOC_NONE;
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f.grid_w[l] = f.grid_h[l] = l == OWG_FAB_PACKAGE || l == OWG_FAB_PEA ? 1 : 4;
		f.hop_latency[l] = (l + 1) * 1e-9;
		f.link_bandwidth[l] = 1e9;
	}
	f.reconfig_bandwidth = 1e9;
	f.control_latency = 2e-8;
	f.ndefects = 1;
	f.defects = owg_arena_alloc(&g->arena, sizeof *f.defects);
	f.defects[0][0] = 15;
	f.defects[0][1] = 2;
	OWG_VEC_PUSH(g->fabrics, f);
	retype(g);
	return g;
}

/* Runs the verifier; returns its count and, in *msgs, the diagnostics. */
static unsigned verify(const owg_graph *g, char **msgs)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	FILE *out = tmpfile();
	ck_assert_ptr_nonnull(out);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_diag_set_max_errors(d, 0);
	unsigned n = owg_ir_verify(g, d);
	ck_assert_uint_eq(owg_diag_errors(d), n);
	fflush(out);
	long len = ftell(out);
	rewind(out);
	*msgs = malloc((size_t)len + 1);
	ck_assert_uint_eq(fread(*msgs, 1, (size_t)len, out), (size_t)len);
	(*msgs)[len] = '\0';
	fclose(out);
	owg_diag_free(d);
	owg_src_free(&sm);
	/* Without a diagnostics engine the count is the same. */
	ck_assert_uint_eq(owg_ir_verify(g, NULL), n);
	return n;
}

/* Expects exactly `count` violations, one of them `want`; frees g. */
static void expect_n(owg_graph *g, unsigned count, const char *want)
{
	char *msgs;
	unsigned n = verify(g, &msgs);
	char line[512];
	snprintf(line, sizeof line, "error: %s\n", want);
	ck_assert_msg(strstr(msgs, line) != NULL, "wanted \"%s\", got:\n%s", want, msgs);
	ck_assert_msg(n == count, "%u violations, wanted %u:\n%s", n, count, msgs);
	free(msgs);
	owg_ir_free(g);
}

static void expect1(owg_graph *g, const char *want)
{
	expect_n(g, 1, want);
}

static void expect_valid(owg_graph *g)
{
	char *msgs;
	unsigned n = verify(g, &msgs);
	ck_assert_msg(n == 0, "%s", msgs);
	ck_assert_str_eq(msgs, "");
	free(msgs);
	owg_ir_free(g);
}

/* --- tests --- */

START_TEST(test_valid)
{
	expect_valid(make_valid());
	/* A branch may have only a probability, a switch only some. */
	owg_graph *g = make_valid();
	node(g, 2)->pred = NULL;
	node(g, 4)->arms[2].prob = NAN;
	node(g, 4)->pred = NULL;
	expect_valid(g);
	/* The minimal graph. */
	g = owg_ir_new("");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	expect_valid(g);
}
END_TEST

START_TEST(test_entry_rules)
{
	owg_graph *g = owg_ir_new("wf");
	expect1(g, "IR: the graph has no nodes (node %0 must be the entry)");
	g = owg_ir_new("wf");
	owg_ir_add_tb(g, "t", OWG_NONE, 0);
	expect1(g, "IR: node %0 't': node %0 must be the entry");
	g = make_valid();
	owg_ir_add_cb(g, OWG_CB_ENTRY, "e2", 0, 0);
	expect1(g, "IR: node %14 'e2': only node %0 may be an entry");
	g = make_valid();
	node(g, 0)->region = 0;
	expect1(g, "IR: node %0 'entry': the entry must have no region (found %0)");
}
END_TEST

START_TEST(test_dense_ids)
{
	owg_graph *g = make_valid();
	node(g, 3)->id = 7;
	expect1(g, "IR: node %7 'a': id does not match its position 3");
}
END_TEST

START_TEST(test_regions)
{
	owg_graph *g = make_valid();
	node(g, 3)->region = OWG_NONE;
	expect1(g, "IR: node %3 'a': has no region (only the entry may have none)");
	g = make_valid();
	node(g, 3)->region = 99;
	expect1(g, "IR: node %3 'a': region %99 does not exist");
	g = make_valid();
	node(g, 3)->region = 4;
	expect1(g, "IR: node %3 'a': region %4 does not come before the node");
	g = make_valid();
	node(g, 3)->region = 1;
	expect1(g, "IR: node %3 'a': region %1 is not a control block");
	g = make_valid();
	node(g, 5)->region = 7;
	node(g, 5)->name = "embed";
	expect_n(g, 2, "IR: node %5 'embed': region %7 is not a control block");
	g = make_valid();
	node(g, 5)->region = 7;
	expect_n(g, 2, "IR: node %5 'b': region %7 does not come before the node");
	g = make_valid();
	node(g, 3)->arm = 2;
	expect1(g, "IR: node %3 'a': arm 2 of region %2 does not exist (it has 2 arms)");
	g = make_valid();
	node(g, 7)->arm = 1;
	expect1(g, "IR: node %7 'c': is governed by the repeat arm of %6 (it has no members)");
	g = make_valid();
	node(g, 13)->arm = 0;
	expect1(g, "IR: node %13 'f': is governed by the taken arm of %12 (it has no members)");
}
END_TEST

START_TEST(test_names)
{
	owg_graph *g = make_valid();
	node(g, 3)->name = "";
	expect1(g, "IR: node %3 '': empty name");
	g = make_valid();
	node(g, 5)->name = "a";
	expect1(g, "IR: node %5 'a': name already used by node %3");
	g = make_valid();
	node(g, 5)->name = "bad\nname";
	expect_valid(g); /* any bytes; only shown sanitised */
}
END_TEST

START_TEST(test_tb_fields)
{
	owg_graph *g = make_valid();
	node(g, 3)->peas = 0;
	expect1(g, "IR: node %3 'a': needs at least 1 PEA");
	g = make_valid();
	node(g, 3)->tb_kind = (owg_tb_kind)9;
	expect1(g, "IR: node %3 'a': invalid task kind 9");
	g = make_valid();
	node(g, 3)->kernel = "";
	expect1(g, "IR: node %3 'a': kernel name is not a C identifier");
	g = make_valid();
	node(g, 3)->kernel = "lib.detect";
	expect1(g, "IR: node %3 'a': kernel name is not a C identifier");
	g = make_valid();
	node(g, 3)->config_bytes = -1;
	expect1(g, "IR: node %3 'a': configuration size -1 must be finite and >= 0");
	g = make_valid();
	node(g, 3)->config_bytes = NAN;
	expect1(g, "IR: node %3 'a': configuration size nan must be finite and >= 0");
}
END_TEST

static owg_graph *with_time(owg_dist d)
{
	owg_graph *g = make_valid();
	node(g, 3)->time = d;
	return g;
}

START_TEST(test_time_dists)
{
	double neg[] = {1, -1};
	double ok[] = {1, 2};
	expect1(with_time((owg_dist){OWG_DIST_CONST, NAN, 0, 0, NULL}),
		"IR: node %3 'a': time: value nan is not finite");
	expect1(with_time((owg_dist){OWG_DIST_CONST, -1, 0, 0, NULL}),
		"IR: node %3 'a': time: negative value -1");
	expect1(with_time((owg_dist){OWG_DIST_NORMAL, 1, -1, 0, NULL}),
		"IR: node %3 'a': time: negative standard deviation -1");
	expect1(with_time((owg_dist){OWG_DIST_MEANSD, INFINITY, 1, 0, NULL}),
		"IR: node %3 'a': time: mean inf is not finite");
	expect1(with_time((owg_dist){OWG_DIST_UNIFORM, 2, 1, 0, NULL}),
		"IR: node %3 'a': time: uniform low 2 is greater than high 1");
	expect1(with_time((owg_dist){OWG_DIST_LOGNORMAL, 1, -0.5, 0, NULL}),
		"IR: node %3 'a': time: negative lognormal sigma -0.5");
	expect1(with_time((owg_dist){OWG_DIST_EXP, -2, 0, 0, NULL}),
		"IR: node %3 'a': time: negative mean -2");
	expect1(with_time((owg_dist){OWG_DIST_EMPIRICAL, 0, 0, 0, NULL}),
		"IR: node %3 'a': time: empirical distribution without samples");
	expect1(with_time((owg_dist){OWG_DIST_EMPIRICAL, 0, 0, 2, neg}),
		"IR: node %3 'a': time: sample 1 is -1 (must be finite and >= 0)");
	expect1(with_time((owg_dist){OWG_DIST_POISSON, 1, 0, 0, NULL}),
		"IR: node %3 'a': time: poisson is a count distribution, not a time");
	expect1(with_time((owg_dist){OWG_DIST_GEOMETRIC, 1, 0, 0, NULL}),
		"IR: node %3 'a': time: geometric is a count distribution, not a time");
	expect1(with_time((owg_dist){(owg_dist_kind)99, 1, 0, 0, NULL}),
		"IR: node %3 'a': time: invalid distribution kind 99");
	expect_valid(with_time((owg_dist){OWG_DIST_EMPIRICAL, 0, 0, 2, ok}));
	expect_valid(with_time((owg_dist){OWG_DIST_UNIFORM, 1, 1, 0, NULL}));
	expect_valid(with_time((owg_dist){OWG_DIST_LOGNORMAL, 0, 0, 0, NULL}));
}
END_TEST

START_TEST(test_outputs)
{
	owg_graph *g = make_valid();
	set_outs(g, node(g, 3), 2, (owg_out[]){{"v", OWG_TYPE_I64}, {"v", OWG_TYPE_F64}});
	expect1(g, "IR: node %3 'a': output 'v' is declared twice");
	g = make_valid();
	set_outs(g, node(g, 3), 1, (owg_out[]){{"9x", OWG_TYPE_I64}});
	expect1(g, "IR: node %3 'a': output name '9x' is not an identifier");
	g = make_valid();
	set_outs(g, node(g, 3), 1, (owg_out[]){{"v", (owg_type)5}});
	expect1(g, "IR: node %3 'a': output 'v' has an invalid type 5");
	/* Many outputs: the duplicate check is a hash, not a quadratic scan. */
	g = make_valid();
	owg_out *many = malloc(20000 * sizeof *many);
	char (*names)[16] = malloc(20000 * sizeof *names);
	for (int i = 0; i < 20000; i++) {
		snprintf(names[i], sizeof names[i], "o%d", i % 19999);
		many[i] = (owg_out){names[i], OWG_TYPE_I64};
	}
	set_outs(g, node(g, 3), 20000, many);
	expect1(g, "IR: node %3 'a': output 'o0' is declared twice");
	free(many);
	free(names);
}
END_TEST

START_TEST(test_arms_canonical)
{
	owg_graph *g = make_valid();
	node(g, 2)->arms[1].kind = OWG_ARM_THEN;
	expect1(g, "IR: node %2 'br': arms are not canonical for a branch (expected (then) (else))");
	g = make_valid();
	node(g, 6)->narms = 1;
	expect1(g, "IR: node %6 'lc': arms are not canonical for a loop (expected (body) (repeat))");
	g = make_valid();
	node(g, 4)->arms[0].kind = OWG_ARM_DEFAULT;
	expect1(g, "IR: node %4 'sw': arms are not canonical for a switch (expected at least one "
		   "(case), optionally a (default) last)");
	g = make_valid();
	node(g, 0)->arms[0].kind = OWG_ARM_BODY;
	expect1(g, "IR: node %0 'entry': arms are not canonical for an entry (expected (seq))");
	g = make_valid();
	node(g, 10)->narms = 0;
	expect_n(g, 2, "IR: node %10 'fk': arms are not canonical for a fork (expected (item))");
	g = make_valid();
	node(g, 12)->arms[0].kind = OWG_ARM_CONT;
	node(g, 13)->arm = 1;
	expect1(g, "IR: node %12 'ex': arms are not canonical for an exit (expected (taken) (cont))");
	g = make_valid();
	node(g, 3)->cb_kind = (owg_cb_kind)42; /* ignored on a task */
	expect_valid(g);
	g = make_valid();
	node(g, 6)->cb_kind = (owg_cb_kind)42;
	expect1(g, "IR: node %6 'lc': invalid control block kind 42");
	g = make_valid();
	node(g, 3)->kind = (owg_node_kind)3; /* and its flows are not tasks' */
	expect_n(g, 3, "IR: node %3 'a': invalid node kind 3");
}
END_TEST

START_TEST(test_probabilities)
{
	owg_graph *g = make_valid();
	node(g, 2)->arms[0].prob = 1.5;
	expect1(g, "IR: node %2 'br': arm 0 (then): probability 1.5 is outside [0, 1]");
	g = make_valid();
	node(g, 2)->arms[1].prob = -INFINITY;
	expect1(g, "IR: node %2 'br': arm 1 (else): probability -inf is outside [0, 1]");
	g = make_valid();
	node(g, 2)->arms[1].prob = 0.5;
	expect1(g, "IR: node %2 'br': branch probabilities sum to 0.9, not 1");
	g = make_valid();
	node(g, 2)->arms[1].prob = 0.6 + 1e-12; /* within 1e-9 */
	expect_valid(g);
	g = make_valid();
	node(g, 4)->arms[1].prob = 0.25;
	node(g, 4)->arms[2].prob = 0.5;
	expect1(g, "IR: node %4 'sw': switch probabilities sum to 1.25, not 1");
	g = make_valid();
	node(g, 4)->arms[0].prob = 0.75;
	node(g, 4)->arms[1].prob = 0.5;
	node(g, 4)->arms[2].prob = NAN;
	expect1(g, "IR: node %4 'sw': declared switch probabilities sum to 1.25, more than 1");
	g = make_valid();
	node(g, 12)->arms[0].prob = 0.25;
	node(g, 12)->arms[1].prob = 0.5;
	expect1(g, "IR: node %12 'ex': exit probabilities sum to 0.75, not 1");
	g = make_valid();
	node(g, 8)->arms[1].prob = 2;
	expect1(g, "IR: node %8 'lw': arm 1 (repeat): probability 2 is outside [0, 1]");
}
END_TEST

START_TEST(test_cases)
{
	owg_graph *g = make_valid();
	node(g, 4)->arms[1].value = 0;
	expect1(g, "IR: node %4 'sw': duplicate case value 0");
	g = make_valid();
	node(g, 4)->arms[1].value = NAN;
	expect1(g, "IR: node %4 'sw': case value nan is not finite");
}
END_TEST

START_TEST(test_loops)
{
	owg_graph *g = make_valid();
	node(g, 6)->count = (owg_dist){OWG_DIST_CONST, -1, 0, 0, NULL};
	expect1(g, "IR: node %6 'lc': trips: negative value -1");
	g = make_valid();
	node(g, 6)->count = (owg_dist){OWG_DIST_POISSON, 2.5, 0, 0, NULL};
	expect_valid(g);
	g = make_valid();
	node(g, 6)->max_trips = 3;
	expect1(g, "IR: node %6 'lc': a trip bound ('max') only applies to a while loop");
	g = make_valid();
	node(g, 6)->pred = ex_out(g, 1, 2);
	retype(g);
	expect1(g, "IR: node %6 'lc': a counted loop takes no predicate");
	g = make_valid();
	node(g, 8)->pred = NULL;
	expect1(g, "IR: node %8 'lw': a while loop needs a predicate");
	g = make_valid();
	node(g, 8)->pred = ex_out(g, 1, 1);
	retype(g);
	expect1(g, "IR: node %8 'lw': predicate is f64, not bool");
	g = make_valid();
	node(g, 8)->loop_kind = (owg_loop_kind)7;
	expect_n(g, 3, "IR: node %8 'lw': invalid loop kind 7");
}
END_TEST

START_TEST(test_predicates)
{
	owg_graph *g = make_valid();
	node(g, 2)->pred = NULL;
	node(g, 2)->arms[0].prob = NAN;
	node(g, 2)->arms[1].prob = NAN;
	expect1(g, "IR: node %2 'br': a branch needs a predicate or a probability");
	g = make_valid();
	node(g, 12)->pred = NULL;
	node(g, 12)->arms[0].prob = NAN;
	expect1(g, "IR: node %12 'ex': an exit needs a predicate or a probability");
	g = make_valid();
	node(g, 2)->pred = ex_out(g, 1, 1);
	retype(g);
	expect1(g, "IR: node %2 'br': predicate is f64, not bool");
	g = make_valid();
	node(g, 4)->pred = ex_out(g, 1, 2);
	retype(g);
	expect1(g, "IR: node %4 'sw': switch selector is bool, not a number");
	g = make_valid();
	node(g, 10)->pred = ex_out(g, 1, 2);
	retype(g);
	expect1(g, "IR: node %10 'fk': a fork takes no predicate");
	g = make_valid();
	node(g, 0)->pred = ex_out(g, 1, 2);
	retype(g);
	expect1(g, "IR: node %0 'entry': an entry takes no predicate");
	g = make_valid();
	node(g, 2)->pred->type = OWG_TYPE_F64;
	expect1(g, "IR: node %2 'br': predicate types are stale (recompute them with "
		   "owg_ir_expr_type)");
}
END_TEST

START_TEST(test_expr_refs)
{
	owg_graph *g = make_valid();
	node(g, 2)->pred->u.sub.l->u.ref.node = 99;
	expect1(g, "IR: node %2 'br': predicate reads %99, which is not a task");
	g = make_valid();
	node(g, 2)->pred->u.sub.l->u.ref.node = 0;
	expect1(g, "IR: node %2 'br': predicate reads %0, which is not a task");
	g = make_valid();
	node(g, 2)->pred->u.sub.l->u.ref.out = 7;
	expect1(g, "IR: node %2 'br': predicate reads output 7 of %1, which has 3 outputs");
	g = make_valid();
	node(g, 2)->pred->u.sub.r->u.num = INFINITY;
	expect1(g, "IR: node %2 'br': predicate literal inf is not finite");
	g = make_valid();
	node(g, 2)->pred->u.sub.r = NULL;
	expect1(g, "IR: node %2 'br': predicate has a missing operand");
	g = make_valid();
	node(g, 2)->pred->op = (owg_op)40;
	expect1(g, "IR: node %2 'br': predicate has an invalid binary operator 40");
}
END_TEST

START_TEST(test_governed_reads)
{
	/* A branch must not read a task it governs, even through a loop. */
	owg_graph *g = make_valid();
	set_outs(g, node(g, 3), 1, (owg_out[]){{"v", OWG_TYPE_F64}});
	node(g, 2)->pred->u.sub.l = ex_out(g, 3, 0);
	retype(g);
	expect1(g, "IR: node %2 'br': predicate reads %3 'a', which the branch governs");
	g = make_valid();
	node(g, 6)->region = 2;
	node(g, 2)->pred->u.sub.l = ex_out(g, 7, 0);
	retype(g);
	expect1(g, "IR: node %2 'br': predicate reads %7 'c', which the branch governs");
	g = make_valid();
	set_outs(g, node(g, 5), 1, (owg_out[]){{"k", OWG_TYPE_I64}});
	node(g, 4)->pred = ex_out(g, 5, 0);
	retype(g);
	expect1(g, "IR: node %4 'sw': predicate reads %5 'b', which the switch governs");
	g = make_valid();
	set_outs(g, node(g, 13), 1, (owg_out[]){{"k", OWG_TYPE_BOOL}});
	node(g, 12)->pred = ex_out(g, 13, 0);
	retype(g);
	expect1(g, "IR: node %12 'ex': predicate reads %13 'f', which the exit governs");
	/* A while loop may, even through a nested loop: its predicate runs
	 * after its body. */
	g = make_valid();
	owg_ir_add_cb(g, OWG_CB_LOOP, "inner", 8, 0);
	owg_node *deep = owg_ir_add_tb(g, "deep", 14, 0);
	set_outs(g, deep, 1, (owg_out[]){{"z", OWG_TYPE_I64}});
	node(g, 8)->pred = ex_bin(g, OWG_OP_AND, ex_out(g, 9, 0),
				  ex_bin(g, OWG_OP_GT, ex_out(g, 15, 0), ex_num(g, 1)));
	retype(g);
	expect_valid(g);
}
END_TEST

START_TEST(test_fork_count)
{
	owg_graph *g = make_valid();
	node(g, 10)->count_node = 2;
	expect1(g, "IR: node %10 'fk': count node %2 is not a task");
	g = make_valid();
	node(g, 10)->count_node = 1000;
	expect1(g, "IR: node %10 'fk': count node %1000 is not a task");
	g = make_valid();
	node(g, 10)->count_out = 9;
	expect1(g, "IR: node %10 'fk': count output 9 of %1 does not exist (it has 3 outputs)");
	g = make_valid();
	node(g, 10)->count_out = 2;
	expect1(g, "IR: node %10 'fk': count output %1.ok is bool, not a number");
	g = make_valid();
	set_outs(g, node(g, 11), 1, (owg_out[]){{"k", OWG_TYPE_I64}});
	node(g, 10)->count_node = 11;
	expect1(g, "IR: node %10 'fk': count node %11 'e' is governed by the fork");
	g = make_valid();
	node(g, 10)->count = (owg_dist){OWG_DIST_UNIFORM, -2, 1, 0, NULL};
	expect1(g, "IR: node %10 'fk': count: negative low -2");
	g = make_valid();
	node(g, 10)->count_node = OWG_NONE;
	node(g, 10)->count = (owg_dist){OWG_DIST_GEOMETRIC, 2, 0, 0, NULL};
	expect_valid(g);
}
END_TEST

START_TEST(test_flows)
{
	owg_graph *g = make_valid();
	owg_ir_add_flow(g, 0, 3, 1);
	expect1(g, "IR: flow 6 (%0 -> %3): source %0 is not a task");
	g = make_valid();
	owg_ir_add_flow(g, 3, 99, 1);
	expect1(g, "IR: flow 6 (%3 -> %99): destination %99 is not a task");
	g = make_valid();
	owg_ir_add_flow(g, 3, 3, 1);
	expect1(g, "IR: flow 6 (%3 -> %3): a task cannot flow into itself");
	g = make_valid();
	g->flows.v[2].bytes = -1;
	expect1(g, "IR: flow 2 (%5 -> %7): size -1 must be finite and >= 0");
	g = make_valid();
	g->flows.v[2].bytes = INFINITY;
	expect1(g, "IR: flow 2 (%5 -> %7): size inf must be finite and >= 0");
	g = make_valid();
	owg_ir_add_flow(g, 13, 3, 1);
	expect1(g, "IR: flow cycle: %3 'a' -> %5 'b' -> %7 'c' -> %9 'd' -> %11 'e' -> %13 'f' -> "
		   "%3 'a'");
	/* Two flows between the same tasks and a diamond are fine. */
	g = make_valid();
	owg_ir_add_flow(g, 1, 3, 1);
	owg_ir_add_flow(g, 1, 13, 1);
	expect_valid(g);
}
END_TEST

START_TEST(test_long_cycle)
{
	owg_graph *g = owg_ir_new("wf");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	for (int i = 1; i <= 20; i++) {
		char name[16];
		snprintf(name, sizeof name, "t%d", i);
		owg_ir_add_tb(g, name, 0, 0);
	}
	for (uint32_t i = 1; i < 20; i++)
		owg_ir_add_flow(g, i, i + 1, 1);
	owg_ir_add_flow(g, 20, 5, 1);
	expect1(g, "IR: flow cycle: %5 't5' -> %6 't6' -> %7 't7' -> %8 't8' -> %9 't9' -> "
		   "%10 't10' -> %11 't11' -> %12 't12' -> ... (16 tasks) -> %5 't5'");
}
END_TEST

START_TEST(test_fabrics)
{
	owg_graph *g = make_valid();
	g->fabrics.v[0].grid_w[OWG_FAB_CLUSTER] = 0;
	expect1(g, "IR: fabric 'fab': cluster grid 0x4 must be at least 1x1");
	g = make_valid();
	g->fabrics.v[0].grid_h[OWG_FAB_PACKAGE] = 0;
	expect1(g, "IR: fabric 'fab': package grid 1x0 must be at least 1x1");
	g = make_valid();
	g->fabrics.v[0].hop_latency[OWG_FAB_CHIPLET] = NAN;
	expect1(g, "IR: fabric 'fab': chiplet hop latency nan must be finite and >= 0");
	g = make_valid();
	g->fabrics.v[0].link_bandwidth[OWG_FAB_PEA] = 0;
	expect1(g, "IR: fabric 'fab': pea link bandwidth 0 must be finite and > 0");
	g = make_valid();
	g->fabrics.v[0].link_bandwidth[OWG_FAB_PACKAGE] = INFINITY;
	expect1(g, "IR: fabric 'fab': package link bandwidth inf must be finite and > 0");
	g = make_valid();
	g->fabrics.v[0].reconfig_bandwidth = -1;
	expect1(g, "IR: fabric 'fab': reconfiguration bandwidth -1 must be finite and > 0");
	g = make_valid();
	g->fabrics.v[0].control_latency = -1e-9;
	expect1(g, "IR: fabric 'fab': control latency -1e-09 must be finite and >= 0");
	g = make_valid();
	g->fabrics.v[0].defects[0][0] = 16;
	expect1(g, "IR: fabric 'fab': defect (16, 2) is outside the 16x16 PEA grid");
	g = make_valid();
	g->fabrics.v[0].defects[0][1] = 4000000000u;
	expect1(g, "IR: fabric 'fab': defect (15, 4000000000) is outside the 16x16 PEA grid");
	g = make_valid();
	g->fabrics.v[0].name = "";
	expect1(g, "IR: fabric '': empty name");
	g = make_valid();
	OWG_VEC_PUSH(g->fabrics, g->fabrics.v[0]);
	expect1(g, "IR: fabric 'fab': name already used by another fabric");
	/* Huge grids do not overflow the defect check. */
	g = make_valid();
	for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++)
		g->fabrics.v[0].grid_w[l] = g->fabrics.v[0].grid_h[l] = UINT32_MAX;
	g->fabrics.v[0].defects[0][0] = UINT32_MAX;
	expect_valid(g);
}
END_TEST

/* Every violation is reported, not only the first. */
START_TEST(test_reports_all)
{
	owg_graph *g = make_valid();
	node(g, 3)->peas = 0;
	node(g, 5)->name = "a";
	g->flows.v[0].bytes = -1;
	g->fabrics.v[0].control_latency = NAN;
	char *msgs;
	ck_assert_uint_eq(verify(g, &msgs), 4);
	ck_assert_ptr_nonnull(strstr(msgs, "needs at least 1 PEA"));
	ck_assert_ptr_nonnull(strstr(msgs, "name already used"));
	ck_assert_ptr_nonnull(strstr(msgs, "size -1"));
	ck_assert_ptr_nonnull(strstr(msgs, "control latency nan"));
	free(msgs);
	owg_ir_free(g);
}
END_TEST

/* 10^6 nodes in one chain of regions and one chain of flows: no recursion. */
START_TEST(test_million_nodes)
{
	enum { N = 1000000 };
	owg_graph *g = owg_ir_new("big");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	char name[16];
	for (uint32_t i = 1; i < N / 2; i++) {
		snprintf(name, sizeof name, "l%u", i);
		owg_node *n = owg_ir_add_cb(g, OWG_CB_LOOP, name, i - 1, 0);
		n->count.a = 1;
	}
	uint32_t inner = N / 2 - 1;
	for (uint32_t i = N / 2; i < N; i++) {
		snprintf(name, sizeof name, "t%u", i);
		owg_ir_add_tb(g, name, inner, 0);
		if (i > N / 2)
			owg_ir_add_flow(g, i - 1, i, 8);
	}
	/* The outermost loop's trips read nothing; a branch at the top reads
	 * the deepest task: fine, it does not govern it. */
	ck_assert_uint_eq(owg_ir_verify(g, NULL), 0);
	owg_ir_add_flow(g, N - 1, N / 2, 8);
	ck_assert_uint_eq(owg_ir_verify(g, NULL), 1);
	owg_ir_free(g);
}
END_TEST

Suite *suite_ir_verify(void)
{
	Suite *s = suite_create("ir_verify");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_entry_rules);
	tcase_add_test(tc, test_dense_ids);
	tcase_add_test(tc, test_regions);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_tb_fields);
	tcase_add_test(tc, test_time_dists);
	tcase_add_test(tc, test_outputs);
	tcase_add_test(tc, test_arms_canonical);
	tcase_add_test(tc, test_probabilities);
	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_loops);
	tcase_add_test(tc, test_predicates);
	tcase_add_test(tc, test_expr_refs);
	tcase_add_test(tc, test_governed_reads);
	tcase_add_test(tc, test_fork_count);
	tcase_add_test(tc, test_flows);
	tcase_add_test(tc, test_long_cycle);
	tcase_add_test(tc, test_fabrics);
	tcase_add_test(tc, test_reports_all);
	suite_add_tcase(s, tc);
	tc = tcase_create("scale");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_million_nodes);
	suite_add_tcase(s, tc);
	return s;
}
