#include "config.h"

/* test_ir.c - construction of the IR, arms, names, distribution means,
 * expression evaluation and types, owg_fmt_double. */

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "unit.h"


START_TEST(test_new_free)
{
	owg_graph *g = owg_ir_new("wf");
	ck_assert_str_eq(g->name, "wf");
	ck_assert_uint_eq(g->nodes.n, 0);
	ck_assert_uint_eq(g->flows.n, 0);
	ck_assert_uint_eq(g->fabrics.n, 0);
	owg_ir_free(g);
	g = owg_ir_new(NULL);
	ck_assert_str_eq(g->name, "");
	owg_ir_free(g);
	owg_ir_free(NULL);
}
END_TEST

START_TEST(test_add_nodes)
{
	owg_graph *g = owg_ir_new("wf");
	owg_node *e = owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	ck_assert_uint_eq(e->id, 0);
	ck_assert_int_eq(e->kind, OWG_NODE_CB);
	ck_assert_uint_eq(e->region, OWG_NONE);
	owg_node *t = owg_ir_add_tb(g, "task", 0, 0);
	ck_assert_uint_eq(t->id, 1);
	ck_assert_int_eq(t->kind, OWG_NODE_TB);
	ck_assert_str_eq(t->name, "task");
	ck_assert_uint_eq(t->region, 0);
	ck_assert_uint_eq(t->arm, 0);
	ck_assert_uint_eq(t->peas, 1);
	ck_assert_int_eq(t->time.kind, OWG_DIST_CONST);
	ck_assert(t->time.a == 0);
	ck_assert_ptr_null(t->kernel);
	ck_assert_uint_eq(t->nouts, 0);
	ck_assert(t->config_bytes == 0);
	ck_assert_uint_eq(t->loc.file, OWG_NOFILE);
	owg_node *f = owg_ir_add_cb(g, OWG_CB_FORK, "fork", 0, 0);
	ck_assert_uint_eq(f->id, 2);
	ck_assert_uint_eq(f->count_node, OWG_NONE);
	ck_assert_ptr_null(f->pred);
	ck_assert_uint_eq(f->max_trips, 0);
	ck_assert_uint_eq(g->nodes.n, 3);
	/* The name is copied. */
	char name[] = "mutable";
	owg_node *m = owg_ir_add_tb(g, name, 0, 0);
	name[0] = 'X';
	ck_assert_str_eq(m->name, "mutable");
	owg_ir_add_flow(g, 1, 3, 1024);
	ck_assert_uint_eq(g->flows.n, 1);
	ck_assert_uint_eq(g->flows.v[0].src, 1);
	ck_assert_uint_eq(g->flows.v[0].dst, 3);
	ck_assert(g->flows.v[0].bytes == 1024);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_many_nodes)
{
	owg_graph *g = owg_ir_new("wf");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	for (uint32_t i = 1; i < 10000; i++) {
		owg_node *n = owg_ir_add_tb(g, "t", 0, 0);
		ck_assert_uint_eq(n->id, i);
	}
	for (uint32_t i = 0; i < 10000; i++)
		ck_assert_uint_eq(g->nodes.v[i].id, i);
	owg_ir_free(g);
}
END_TEST

static void expect_arms(const owg_node *n, const owg_arm_kind *k, uint32_t count)
{
	ck_assert_uint_eq(n->narms, count);
	for (uint32_t i = 0; i < count; i++) {
		ck_assert_int_eq(n->arms[i].kind, k[i]);
		ck_assert(isnan(n->arms[i].prob));
		ck_assert(n->arms[i].value == 0);
	}
}

START_TEST(test_arms)
{
	owg_graph *g = owg_ir_new("wf");
	owg_node *n = owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_SEQ}, 1);
	n = owg_ir_add_cb(g, OWG_CB_BRANCH, "b", 0, 0);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_THEN, OWG_ARM_ELSE}, 2);
	n = owg_ir_add_cb(g, OWG_CB_LOOP, "l", 0, 0);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_BODY, OWG_ARM_REPEAT}, 2);
	n = owg_ir_add_cb(g, OWG_CB_FORK, "f", 0, 0);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_ITEM}, 1);
	n = owg_ir_add_cb(g, OWG_CB_EXIT, "x", 0, 0);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_TAKEN, OWG_ARM_CONT}, 2);
	n = owg_ir_add_cb(g, OWG_CB_SWITCH, "s", 0, 0);
	ck_assert_uint_eq(n->narms, 0);
	owg_ir_set_arms(g, n, 3, true);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_CASE, OWG_ARM_CASE, OWG_ARM_CASE, OWG_ARM_DEFAULT}, 4);
	owg_ir_set_arms(g, n, 2, false);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_CASE, OWG_ARM_CASE}, 2);
	owg_ir_set_arms(g, n, 0, true);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_DEFAULT}, 1);
	/* Resetting arms of another kind ignores the case count. */
	n = owg_ir_add_cb(g, OWG_CB_BRANCH, "b2", 0, 0);
	n->arms[0].prob = 0.5;
	owg_ir_set_arms(g, n, 7, true);
	expect_arms(n, (owg_arm_kind[]){OWG_ARM_THEN, OWG_ARM_ELSE}, 2);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(owg_type_name(OWG_TYPE_I64), "i64");
	ck_assert_str_eq(owg_type_name(OWG_TYPE_F64), "f64");
	ck_assert_str_eq(owg_type_name(OWG_TYPE_BOOL), "bool");
	ck_assert_str_eq(owg_type_name((owg_type)99), "?");
	ck_assert_str_eq(owg_tb_kind_name(OWG_TB_AI), "ai");
	ck_assert_str_eq(owg_tb_kind_name(OWG_TB_GENERAL), "general");
	ck_assert_str_eq(owg_tb_kind_name((owg_tb_kind)7), "?");
	static const char *const cbs[] = {"entry", "branch", "switch", "loop", "fork", "exit"};
	for (int i = 0; i <= OWG_CB_EXIT; i++)
		ck_assert_str_eq(owg_cb_kind_name((owg_cb_kind)i), cbs[i]);
	ck_assert_str_eq(owg_cb_kind_name((owg_cb_kind)-1), "?");
	static const char *const arms[] = {"seq",  "then",   "else", "case",  "default",
					   "body", "repeat", "item", "taken", "cont"};
	for (int i = 0; i <= OWG_ARM_CONT; i++)
		ck_assert_str_eq(owg_arm_kind_name((owg_arm_kind)i), arms[i]);
	ck_assert_str_eq(owg_arm_kind_name((owg_arm_kind)42), "?");
	static const char *const dists[] = {"const",   "meansd",      "normal",
					    "lognormal", "uniform",   "exponential",
					    "poisson", "geometric",   "empirical"};
	for (int i = 0; i <= OWG_DIST_EMPIRICAL; i++)
		ck_assert_str_eq(owg_dist_kind_name((owg_dist_kind)i), dists[i]);
	ck_assert_str_eq(owg_dist_kind_name((owg_dist_kind)42), "?");
	static const char *const ops[] = {"+", "-", "*",  "/",  "%",  "<", "<=", ">",
					  ">=", "==", "!=", "&&", "||", "!", "-"};
	for (int i = 0; i <= OWG_OP_NEG; i++)
		ck_assert_str_eq(owg_op_name((owg_op)i), ops[i]);
	ck_assert_str_eq(owg_op_name((owg_op)42), "?");
}
END_TEST

START_TEST(test_dist_mean)
{
	owg_dist d = {OWG_DIST_CONST, 3, 99, 0, NULL};
	ck_assert_double_eq(owg_dist_mean(&d), 3);
	d.kind = OWG_DIST_MEANSD;
	ck_assert_double_eq(owg_dist_mean(&d), 3);
	d.kind = OWG_DIST_NORMAL;
	ck_assert_double_eq(owg_dist_mean(&d), 3);
	d = (owg_dist){OWG_DIST_LOGNORMAL, 2, 0.5, 0, NULL};
	ck_assert_double_eq(owg_dist_mean(&d), 2 * exp(0.125));
	d = (owg_dist){OWG_DIST_UNIFORM, 1, 5, 0, NULL};
	ck_assert_double_eq(owg_dist_mean(&d), 3);
	d = (owg_dist){OWG_DIST_EXP, 0.25, 0, 0, NULL};
	ck_assert_double_eq(owg_dist_mean(&d), 0.25);
	d.kind = OWG_DIST_POISSON;
	ck_assert_double_eq(owg_dist_mean(&d), 0.25);
	d.kind = OWG_DIST_GEOMETRIC;
	ck_assert_double_eq(owg_dist_mean(&d), 0.25);
	double s[] = {1, 2, 6};
	d = (owg_dist){OWG_DIST_EMPIRICAL, 0, 0, 3, s};
	ck_assert_double_eq(owg_dist_mean(&d), 3);
	d.nsamples = 0;
	ck_assert_double_eq(owg_dist_mean(&d), 0);
}
END_TEST

/* --- expressions --- */

static owg_expr *num(owg_graph *g, double x)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_NUM);
	e->u.num = x;
	return e;
}

static owg_expr *boolean(owg_graph *g, bool b)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_BOOL);
	e->u.b = b;
	return e;
}

static owg_expr *out(owg_graph *g, uint32_t node, uint32_t o)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_OUT);
	e->u.ref.node = node;
	e->u.ref.out = o;
	return e;
}

static owg_expr *bin(owg_graph *g, owg_op op, owg_expr *l, owg_expr *r)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_BINARY);
	e->op = op;
	e->u.sub.l = l;
	e->u.sub.r = r;
	return e;
}

static owg_expr *un(owg_graph *g, owg_op op, owg_expr *x)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_UNARY);
	e->op = op;
	e->u.sub.l = x;
	return e;
}

typedef struct lookup_ctx {
	unsigned calls;
	double value;
} lookup_ctx;

static double lookup(void *ctx, uint32_t node, uint32_t o)
{
	lookup_ctx *c = ctx;
	c->calls++;
	return c->value + node * 100 + o;
}

static double ev(const owg_expr *e)
{
	return owg_expr_eval(e, NULL, NULL);
}

START_TEST(test_expr_eval)
{
	owg_graph *g = owg_ir_new("wf");
	ck_assert_double_eq(ev(bin(g, OWG_OP_ADD, num(g, 2), num(g, 3))), 5);
	ck_assert_double_eq(ev(bin(g, OWG_OP_SUB, num(g, 2), num(g, 3))), -1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_MUL, num(g, 2.5), num(g, 4))), 10);
	ck_assert_double_eq(ev(bin(g, OWG_OP_DIV, num(g, 7), num(g, 2))), 3.5);
	ck_assert_double_eq(ev(bin(g, OWG_OP_MOD, num(g, 7.5), num(g, 2))), 1.5);
	ck_assert_double_eq(ev(bin(g, OWG_OP_MOD, num(g, -7), num(g, 3))), -1); /* fmod */
	/* Division and remainder by zero give 0. */
	ck_assert_double_eq(ev(bin(g, OWG_OP_DIV, num(g, 7), num(g, 0))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_DIV, num(g, 7), num(g, -0.0))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_DIV, num(g, 0), num(g, 0))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_MOD, num(g, 7), num(g, 0))), 0);
	/* Comparisons give 1 or 0. */
	ck_assert_double_eq(ev(bin(g, OWG_OP_LT, num(g, 1), num(g, 2))), 1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_LT, num(g, 2), num(g, 2))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_LE, num(g, 2), num(g, 2))), 1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_GT, num(g, 3), num(g, 2))), 1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_GE, num(g, 1), num(g, 2))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_EQ, num(g, 2), num(g, 2))), 1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_NE, num(g, 2), num(g, 2))), 0);
	/* Logic: any non-zero is true, results are 1 or 0. */
	ck_assert_double_eq(ev(bin(g, OWG_OP_AND, num(g, 5), num(g, -2))), 1);
	ck_assert_double_eq(ev(bin(g, OWG_OP_AND, num(g, 5), num(g, 0))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_OR, num(g, 0), num(g, 0))), 0);
	ck_assert_double_eq(ev(bin(g, OWG_OP_OR, num(g, 0), num(g, 3))), 1);
	ck_assert_double_eq(ev(un(g, OWG_OP_NOT, num(g, 0))), 1);
	ck_assert_double_eq(ev(un(g, OWG_OP_NOT, num(g, 0.5))), 0);
	ck_assert_double_eq(ev(un(g, OWG_OP_NEG, num(g, 0.5))), -0.5);
	ck_assert_double_eq(ev(boolean(g, true)), 1);
	ck_assert_double_eq(ev(boolean(g, false)), 0);
	/* Outputs come from the lookup; && and || short-circuit. */
	lookup_ctx c = {0, 1000};
	ck_assert_double_eq(owg_expr_eval(out(g, 2, 1), lookup, &c), 1201);
	ck_assert_uint_eq(c.calls, 1);
	c.calls = 0;
	ck_assert_double_eq(owg_expr_eval(bin(g, OWG_OP_AND, boolean(g, false), out(g, 1, 0)),
					  lookup, &c), 0);
	ck_assert_double_eq(owg_expr_eval(bin(g, OWG_OP_OR, num(g, 2), out(g, 1, 0)), lookup, &c), 1);
	ck_assert_uint_eq(c.calls, 0);
	ck_assert_double_eq(owg_expr_eval(bin(g, OWG_OP_OR, num(g, 0), out(g, 1, 0)), lookup, &c), 1);
	ck_assert_uint_eq(c.calls, 1);
	/* (x.a > 1000) && !(x.a / 0) */
	c.calls = 0;
	owg_expr *e = bin(g, OWG_OP_AND, bin(g, OWG_OP_GT, out(g, 0, 3), num(g, 1000)),
			  un(g, OWG_OP_NOT, bin(g, OWG_OP_DIV, out(g, 0, 3), num(g, 0))));
	ck_assert_double_eq(owg_expr_eval(e, lookup, &c), 1);
	ck_assert_uint_eq(c.calls, 2);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_expr_type)
{
	owg_graph *g = owg_ir_new("wf");
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *t = owg_ir_add_tb(g, "t", 0, 0);
	t->nouts = 3;
	t->outs = owg_arena_alloc(&g->arena, 3 * sizeof *t->outs);
	t->outs[0] = (owg_out){"n", OWG_TYPE_I64};
	t->outs[1] = (owg_out){"x", OWG_TYPE_F64};
	t->outs[2] = (owg_out){"ok", OWG_TYPE_BOOL};
	struct {
		owg_expr *e;
		owg_type want;
	} cases[] = {
		{num(g, 3), OWG_TYPE_I64},
		{num(g, -3), OWG_TYPE_I64},
		{num(g, 0.5), OWG_TYPE_F64},
		{num(g, 9007199254740991.0), OWG_TYPE_I64},
		{num(g, 9007199254740992.0), OWG_TYPE_F64},
		{num(g, 1e300), OWG_TYPE_F64},
		{boolean(g, true), OWG_TYPE_BOOL},
		{out(g, 1, 0), OWG_TYPE_I64},
		{out(g, 1, 1), OWG_TYPE_F64},
		{out(g, 1, 2), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_ADD, num(g, 1), out(g, 1, 0)), OWG_TYPE_I64},
		{bin(g, OWG_OP_SUB, num(g, 1), out(g, 1, 1)), OWG_TYPE_F64},
		{bin(g, OWG_OP_MUL, num(g, 1.5), num(g, 2)), OWG_TYPE_F64},
		{bin(g, OWG_OP_MOD, out(g, 1, 0), num(g, 2)), OWG_TYPE_I64},
		{bin(g, OWG_OP_ADD, boolean(g, true), num(g, 2)), OWG_TYPE_F64},
		{bin(g, OWG_OP_DIV, num(g, 4), num(g, 2)), OWG_TYPE_F64},
		{un(g, OWG_OP_NEG, num(g, 4)), OWG_TYPE_I64},
		{un(g, OWG_OP_NEG, out(g, 1, 1)), OWG_TYPE_F64},
		{un(g, OWG_OP_NEG, boolean(g, true)), OWG_TYPE_I64},
		{un(g, OWG_OP_NOT, num(g, 4)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_LT, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_LE, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_GT, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_GE, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_EQ, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_NE, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_AND, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		{bin(g, OWG_OP_OR, num(g, 1), num(g, 2)), OWG_TYPE_BOOL},
		/* Out of range reference: F64 (the verifier reports it). */
		{out(g, 7, 0), OWG_TYPE_F64},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cases[i].e->type = (owg_type)77;
		owg_ir_expr_type(g, cases[i].e);
		ck_assert_msg(cases[i].e->type == cases[i].want, "case %zu: type %d, want %d", i,
			      (int)cases[i].e->type, (int)cases[i].want);
	}
	/* Bottom-up: inner nodes are typed too. */
	owg_expr *inner = bin(g, OWG_OP_ADD, out(g, 1, 0), num(g, 1));
	owg_expr *e = bin(g, OWG_OP_GT, inner, num(g, 2));
	inner->type = OWG_TYPE_BOOL;
	owg_ir_expr_type(g, e);
	ck_assert_int_eq(inner->type, OWG_TYPE_I64);
	ck_assert_int_eq(e->type, OWG_TYPE_BOOL);
	owg_ir_free(g);
}
END_TEST

/* --- numbers --- */

static const char *fmt(double x)
{
	static char buf[64];
	owg_fmt_double(buf, sizeof buf, x);
	return buf;
}

START_TEST(test_fmt_double)
{
	ck_assert_str_eq(fmt(0), "0");
	ck_assert_str_eq(fmt(-0.0), "-0");
	ck_assert_str_eq(fmt(3), "3");
	ck_assert_str_eq(fmt(-42), "-42");
	ck_assert_str_eq(fmt(0.1), "0.1");
	ck_assert_str_eq(fmt(0.15), "0.15");
	ck_assert_str_eq(fmt(1.0 / 3), "0.3333333333333333");
	ck_assert_str_eq(fmt(0.1 + 0.2), "0.30000000000000004");
	ck_assert_str_eq(fmt(123456789012345.0), "123456789012345");
	ck_assert_str_eq(fmt(1e15), "1e+15");
	ck_assert_str_eq(fmt(9007199254740993.0), "9007199254740992");
	ck_assert_str_eq(fmt(1e-7), "1e-07");
	ck_assert_str_eq(fmt(1e300), "1e+300");
	ck_assert(strtod(fmt(5e-324), NULL) == 5e-324);
	ck_assert_str_eq(fmt(NAN), "nan");
	ck_assert_str_eq(fmt(INFINITY), "inf");
	ck_assert_str_eq(fmt(-INFINITY), "-inf");
	/* A small buffer truncates but does not overflow. */
	char small[4] = "xyz";
	owg_fmt_double(small, sizeof small, 0.1234);
	ck_assert_uint_le(strlen(small), 3);
	owg_fmt_double(small, 0, 1);
	ck_assert_str_eq(small, "0.1");
}
END_TEST

START_TEST(test_fmt_double_roundtrip)
{
	uint64_t s = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 20000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double x;
		memcpy(&x, &s, sizeof x);
		if (!isfinite(x))
			continue;
		char buf[40];
		owg_fmt_double(buf, sizeof buf, x);
		double y = strtod(buf, NULL);
		ck_assert_msg(memcmp(&x, &y, sizeof x) == 0, "%s", buf);
		/* And it is the shortest of the three precisions. */
		char p15[40];
		snprintf(p15, sizeof p15, "%.15g", x);
		if (strtod(p15, NULL) == x)
			ck_assert_str_eq(buf, p15);
	}
}
END_TEST

Suite *suite_ir(void)
{
	Suite *s = suite_create("ir");
	TCase *tc = tcase_create("construction");
	tcase_add_test(tc, test_new_free);
	tcase_add_test(tc, test_add_nodes);
	tcase_add_test(tc, test_many_nodes);
	tcase_add_test(tc, test_arms);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("semantics");
	tcase_add_test(tc, test_dist_mean);
	tcase_add_test(tc, test_expr_eval);
	tcase_add_test(tc, test_expr_type);
	suite_add_tcase(s, tc);
	tc = tcase_create("numbers");
	tcase_add_test(tc, test_fmt_double);
	tcase_add_test(tc, test_fmt_double_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
