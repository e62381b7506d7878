#include "config.h"

/* test_llvm.c - the object backend (backends/llvm/): the module of a
 * workflow, compiled in memory by MCJIT at -O0 and -O2, read through
 * runtime/owgrt.h's owgrt_image as a program would.
 *
 * Thousands of random predicates (every operator; literals with 0, -0
 * and huge values; outputs bound to 0, -0, negatives, NaN and infinities)
 * must give what owg_expr_eval gives, bit for bit (any NaN equals any
 * NaN); division and remainder by zero, NOT of NaN and AND/OR with NaN
 * are checked by name.  Then the image (kernels in order of first use,
 * predicate nodes, the placement bytes), the entry's argument order, the
 * emitted text and object, and the errors. */

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../backends/owgp_write.h"
#include "../../runtime/owgrt.h"
#include "compile.h"
#include "ir.h"
#include "llvm/llvm_emit.h"
#include "unit.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

/* --- doubles and random numbers --- */

static bool same(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static uint64_t rng_state;

static uint64_t next(void) /* splitmix64 */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(next() % n);
}

static double from_bits(uint64_t b)
{
	double x;
	memcpy(&x, &b, sizeof x);
	return x;
}

/* Values that make the arithmetic interesting. */
static const double edge[] = {0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -7.0, 0.1, 1e16, -1e16,
			      9007199254740993.0, 1e308, -1e308, 1.7976931348623157e308, 1e-308, 5e-324,
			      -5e-324, 123456789.25, 4.0, 1e-3};

/* A literal: finite, never NaN (the language has none). */
static double literal(void)
{
	switch (below(4)) {
	case 0:
	case 1: return edge[below(sizeof edge / sizeof *edge)];
	case 2: return (double)(int32_t)below(21) - 10;
	default: {
		double x;
		do
			x = from_bits(next());
		while (!isfinite(x));
		return x;
	}
	}
}

/* An output's value: anything, NaN and infinities included. */
static double any_value(void)
{
	switch (below(8)) {
	case 0: return NAN;
	case 1: return below(2) ? INFINITY : -INFINITY;
	case 2: return -NAN;
	case 3: return from_bits(next()); /* NaN payloads, subnormals, ... */
	default: return literal();
	}
}

/* --- a small graph: outputs on nodes 1, 4 and the last, control nodes
 * with predicates between them --- */

enum { NSLOTS = 6 };
static const uint32_t out_node[NSLOTS] = {1, 1, 1, 4, 4, UINT32_MAX /* the last node */};
static const uint32_t out_idx[NSLOTS] = {0, 1, 2, 0, 1, 0};

typedef struct binding {
	const owg_graph *g;
	const double *outs; /* by slot */
} binding;

static double lookup(void *ctx, uint32_t node, uint32_t out)
{
	const binding *b = ctx;
	uint32_t slot = 0;
	for (uint32_t i = 0; i < node; i++)
		slot += b->g->nodes.v[i].nouts;
	return b->outs[slot + out];
}

static void add_outs(owg_graph *g, owg_node *n, uint32_t k)
{
	n->nouts = k;
	n->outs = owg_arena_alloc(&g->arena, k * sizeof *n->outs);
	for (uint32_t i = 0; i < k; i++) {
		n->outs[i].name = owg_arena_printf(&g->arena, "o%u", i);
		n->outs[i].type = i == 2 ? OWG_TYPE_BOOL : OWG_TYPE_F64;
	}
}

static owg_expr *leaf_out(owg_graph *g, uint32_t last, uint32_t k)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_OUT);
	e->u.ref.node = out_node[k] == UINT32_MAX ? last : out_node[k];
	e->u.ref.out = out_idx[k];
	return e;
}

static owg_expr *num(owg_graph *g, double x)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_NUM);
	e->u.num = x;
	return e;
}

static owg_expr *unary(owg_graph *g, owg_op op, owg_expr *l)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_UNARY);
	e->op = op;
	e->u.sub.l = l;
	return e;
}

static owg_expr *binary(owg_graph *g, owg_op op, owg_expr *l, owg_expr *r)
{
	owg_expr *e = owg_ir_expr(g, OWG_EX_BINARY);
	e->op = op;
	e->u.sub.l = l;
	e->u.sub.r = r;
	return e;
}

static owg_expr *random_expr(owg_graph *g, uint32_t last, int depth)
{
	uint32_t pick = depth <= 0 ? below(10) : below(20);
	if (pick < 4)
		return leaf_out(g, last, below(NSLOTS));
	if (pick < 7)
		return num(g, literal());
	if (pick < 8) {
		owg_expr *e = owg_ir_expr(g, OWG_EX_BOOL);
		e->u.b = below(2);
		return e;
	}
	if (pick < 10)
		return num(g, edge[below(2)]); /* 0 and -0, often */
	if (pick < 13)
		return unary(g, below(2) ? OWG_OP_NOT : OWG_OP_NEG, random_expr(g, last, depth - 1));
	return binary(g, (owg_op)below(OWG_OP_OR + 1), random_expr(g, last, depth - 1),
		      random_expr(g, last, depth - 1));
}

/* The graph "t w" (symbols owg_*_t_w): entry, a (3 outs, kernel k_a), the
 * first predicate, b (kernel k_b), c (2 outs, k_a again), then npreds - 1
 * control nodes of every kind, one without a predicate, and d (1 out,
 * k_d).  make(g, d's id, i) is the predicate of the i-th. */
static owg_graph *pred_graph(uint32_t npreds, owg_expr *(*make)(owg_graph *g, uint32_t last, uint32_t i))
{
	static const owg_cb_kind kinds[] = {OWG_CB_BRANCH, OWG_CB_LOOP, OWG_CB_SWITCH, OWG_CB_EXIT};
	owg_graph *g = owg_ir_new("t w");
	uint32_t last = 5 + npreds; /* d's id */
	owg_ir_add_cb(g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_node *a = owg_ir_add_tb(g, "a", 0, 0);
	a->kernel = "k_a";
	add_outs(g, a, 3);
	owg_ir_add_cb(g, OWG_CB_BRANCH, "p0", 0, 0)->pred = make(g, last, 0);
	owg_ir_add_tb(g, "b", 0, 0)->kernel = "k_b";
	owg_node *c = owg_ir_add_tb(g, "c", 0, 0);
	c->kernel = "k_a";
	add_outs(g, c, 2);
	owg_ir_add_cb(g, OWG_CB_BRANCH, "nopred", 0, 0);
	for (uint32_t i = 1; i < npreds; i++) {
		char name[32];
		snprintf(name, sizeof name, "p%u", i);
		owg_ir_add_cb(g, kinds[i % 4], name, 0, 0)->pred = make(g, last, i);
	}
	owg_node *d = owg_ir_add_tb(g, "d", 0, 0);
	d->kernel = "k_d";
	add_outs(g, d, 1);
	ck_assert_uint_eq(d->id, last);
	return g;
}

static owg_expr *make_random(owg_graph *g, uint32_t last, uint32_t i)
{
	return random_expr(g, last, 1 + (int)below(5));
}

/* --- the JIT's external symbols --- */

static int fake_kernel(owgrt_task *t)
{
	(void)t;
	return 0;
}
static int fake_kernel2(owgrt_task *t)
{
	(void)t;
	return 1;
}

static struct {
	const owgrt_image *img;
	const owgrt_exec_opts *o;
	owgrt_exec **out;
	char *err;
	size_t err_size;
} seen;

static int fake_open(const owgrt_image *img, const owgrt_exec_opts *o, owgrt_exec **out, char *err, size_t err_size)
{
	seen.img = img;
	seen.o = o;
	seen.out = out;
	seen.err = err;
	seen.err_size = err_size;
	return 42;
}

static void *resolve(const char *name)
{
	if (!strcmp(name, "owgrt_exec_open"))
		return (void *)(uintptr_t)fake_open;
	if (!strcmp(name, "k_b"))
		return (void *)(uintptr_t)fake_kernel2;
	if (!strcmp(name, "not_resolved"))
		return NULL;
	return (void *)(uintptr_t)fake_kernel;
}

static const unsigned char owgp_bytes[37] = "\x89OWP not really a placement binary";

static owg_llvm_jit *jit(const owg_graph *g, unsigned opt)
{
	char err[1024] = "";
	owg_llvm_jit *j = owg_llvm_jit_new(g, owgp_bytes, sizeof owgp_bytes, opt, resolve, err, sizeof err);
	ck_assert_msg(j != NULL, "JIT at -O%u: %s", opt, err);
	return j;
}

/* Every predicate of g, compiled at -O0 and -O2, against owg_expr_eval
 * for nbind random bindings of the outputs; returns the predicates run. */
static unsigned check_all(const owg_graph *g, unsigned nbind)
{
	double outs[NSLOTS];
	unsigned runs = 0;
	for (unsigned opt = 0; opt <= 2; opt += 2) {
		owg_llvm_jit *j = jit(g, opt);
		const owgrt_image *img = owg_llvm_jit_symbol(j, "owg_image_t_w");
		ck_assert_ptr_nonnull(img);
		for (unsigned b = 0; b < nbind; b++) {
			for (unsigned k = 0; k < NSLOTS; k++)
				outs[k] = any_value();
			binding bd = {g, outs};
			for (uint32_t p = 0; p < img->npreds; p++) {
				const owg_node *n = &g->nodes.v[img->pred_nodes[p]];
				double want = owg_expr_eval(n->pred, lookup, &bd);
				double got = img->preds[p](outs);
				if (!same(want, got))
					ck_abort_msg("-O%u, node %u (%s): JIT %a, owg_expr_eval %a; outs %a %a %a %a %a %a", opt,
						     n->id, n->name, got, want, outs[0], outs[1], outs[2], outs[3], outs[4],
						     outs[5]);
			}
			runs += img->npreds;
		}
		owg_llvm_jit_free(j);
	}
	return runs;
}

/* --- tests --- */

START_TEST(test_random_predicates)
{
	/* 8 graphs of 400 predicates: 3200 expressions, each at -O0 and -O2
	 * against 12 bindings */
	rng_state = 20261129u + (uint64_t)_i;
	owg_graph *g = pred_graph(400, make_random);
	unsigned runs = check_all(g, 12);
	ck_assert_uint_eq(runs, 2 * 12 * 400);
	owg_ir_free(g);
}
END_TEST

/* The cases owg(5) defines, by name: expected value, then the JIT must
 * agree with it and with owg_expr_eval. */
typedef struct named_case {
	const char *what;
	owg_op op;
	double l, r; /* r unused for NOT and NEG */
	double want;
} named_case;

static const named_case named[] = {
	{"5 / 0", OWG_OP_DIV, 5, 0, 0},
	{"5 / -0", OWG_OP_DIV, 5, -0.0, 0},
	{"-5 / 0", OWG_OP_DIV, -5, 0, 0},
	{"NaN / 0", OWG_OP_DIV, NAN, 0, 0},
	{"inf / 0", OWG_OP_DIV, INFINITY, 0, 0},
	{"0 / 0", OWG_OP_DIV, 0, 0, 0},
	{"1 / inf", OWG_OP_DIV, 1, INFINITY, 0},
	{"-1 / inf", OWG_OP_DIV, -1, INFINITY, -0.0},
	{"7 / 2", OWG_OP_DIV, 7, 2, 3.5},
	{"5 % 0", OWG_OP_MOD, 5, 0, 0},
	{"5 % -0", OWG_OP_MOD, 5, -0.0, 0},
	{"NaN % 0", OWG_OP_MOD, NAN, 0, 0},
	{"inf % 0", OWG_OP_MOD, INFINITY, 0, 0},
	{"-7 % 3", OWG_OP_MOD, -7, 3, -1},
	{"7 % -3", OWG_OP_MOD, 7, -3, 1},
	{"5.5 % inf", OWG_OP_MOD, 5.5, INFINITY, 5.5},
	{"-0 % 5", OWG_OP_MOD, -0.0, 5, -0.0},
	{"inf % 3", OWG_OP_MOD, INFINITY, 3, NAN},
	{"1e308 % 3", OWG_OP_MOD, 1e308, 3, 2},
	{"!NaN", OWG_OP_NOT, NAN, 0, 0},
	{"!0", OWG_OP_NOT, 0, 0, 1},
	{"!-0", OWG_OP_NOT, -0.0, 0, 1},
	{"!inf", OWG_OP_NOT, INFINITY, 0, 0},
	{"-0 negated", OWG_OP_NEG, 0, 0, -0.0},
	{"NaN && 1", OWG_OP_AND, NAN, 1, 1},
	{"1 && NaN", OWG_OP_AND, 1, NAN, 1},
	{"NaN && 0", OWG_OP_AND, NAN, 0, 0},
	{"0 && NaN", OWG_OP_AND, 0, NAN, 0},
	{"NaN && NaN", OWG_OP_AND, NAN, NAN, 1},
	{"-0 && 1", OWG_OP_AND, -0.0, 1, 0},
	{"NaN || 0", OWG_OP_OR, NAN, 0, 1},
	{"0 || NaN", OWG_OP_OR, 0, NAN, 1},
	{"0 || -0", OWG_OP_OR, 0, -0.0, 0},
	{"NaN == NaN", OWG_OP_EQ, NAN, NAN, 0},
	{"NaN != NaN", OWG_OP_NE, NAN, NAN, 1},
	{"NaN < 1", OWG_OP_LT, NAN, 1, 0},
	{"NaN >= 1", OWG_OP_GE, NAN, 1, 0},
	{"0 == -0", OWG_OP_EQ, 0, -0.0, 1},
	{"0 <= -0", OWG_OP_LE, 0, -0.0, 1},
	{"inf > 1e308", OWG_OP_GT, INFINITY, 1e308, 1},
	{"inf - inf", OWG_OP_SUB, INFINITY, INFINITY, NAN},
	{"-0 + -0", OWG_OP_ADD, -0.0, -0.0, -0.0},
	{"-0 + 0", OWG_OP_ADD, -0.0, 0, 0},
	{"1e308 * 10", OWG_OP_MUL, 1e308, 10, INFINITY},
};
enum { NNAMED = sizeof named / sizeof *named };

/* Each case three times: both operands outputs (a.0, a.1), both literals
 * (LLVM folds them), and the left an output, the right a literal. */
static owg_expr *make_named(owg_graph *g, uint32_t last, uint32_t i)
{
	const named_case *c = &named[i / 3];
	unsigned form = i % 3;
	owg_expr *l = form == 1 ? num(g, c->l) : leaf_out(g, last, 0);
	owg_expr *r = form == 0 ? leaf_out(g, last, 1) : num(g, c->r);
	/* no NaN literal in the language: inf - inf */
	if (isnan(c->l) && form == 1)
		l = binary(g, OWG_OP_SUB, num(g, INFINITY), num(g, INFINITY));
	if (isnan(c->r) && form != 0)
		r = binary(g, OWG_OP_SUB, num(g, INFINITY), num(g, INFINITY));
	if (c->op == OWG_OP_NOT || c->op == OWG_OP_NEG)
		return unary(g, c->op, l);
	return binary(g, c->op, l, r);
}

START_TEST(test_named_cases)
{
	owg_graph *g = pred_graph(3 * NNAMED, make_named);
	for (unsigned opt = 0; opt <= 3; opt++) {
		owg_llvm_jit *j = jit(g, opt);
		const owgrt_image *img = owg_llvm_jit_symbol(j, "owg_image_t_w");
		ck_assert_ptr_nonnull(img);
		ck_assert_uint_eq(img->npreds, 3 * NNAMED);
		for (uint32_t p = 0; p < img->npreds; p++) {
			const named_case *c = &named[p / 3];
			double outs[NSLOTS] = {c->l, c->r, 0, 0, 0, 0};
			binding bd = {g, outs};
			const owg_node *n = &g->nodes.v[img->pred_nodes[p]];
			double ref = owg_expr_eval(n->pred, lookup, &bd);
			double got = img->preds[p](outs);
			ck_assert_msg(same(ref, c->want), "owg_expr_eval: %s (form %u) is %a, not %a", c->what, p % 3, ref,
				      c->want);
			ck_assert_msg(same(got, c->want), "-O%u: %s (form %u) is %a, not %a", opt, c->what, p % 3, got,
				      c->want);
		}
		owg_llvm_jit_free(j);
	}
	owg_ir_free(g);
}
END_TEST

static owg_expr *make_simple(owg_graph *g, uint32_t last, uint32_t i)
{
	/* p_i: d.0 > i */
	return binary(g, OWG_OP_GT, leaf_out(g, last, 5), num(g, i));
}

START_TEST(test_image)
{
	owg_graph *g = pred_graph(3, make_simple);
	owg_llvm_jit *j = jit(g, 1);
	const owgrt_image *img = owg_llvm_jit_symbol(j, "owg_image_t_w");
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->abi, OWGRT_IMAGE_ABI);
	ck_assert_str_eq(img->name, "t w");
	ck_assert_uint_eq(img->reserved, 0);
	/* the placement binary, aligned, byte for byte */
	ck_assert_uint_eq(img->owgp_size, sizeof owgp_bytes);
	ck_assert_int_eq(memcmp(img->owgp, owgp_bytes, sizeof owgp_bytes), 0);
	ck_assert_uint_eq((uintptr_t)img->owgp % 16, 0);
	ck_assert_ptr_eq(owg_llvm_jit_symbol(j, "owg_owgp_t_w"), img->owgp);
	/* distinct kernels in order of first use */
	ck_assert_uint_eq(img->nkernels, 3);
	ck_assert_str_eq(img->kernel_names[0], "k_a");
	ck_assert_str_eq(img->kernel_names[1], "k_b");
	ck_assert_str_eq(img->kernel_names[2], "k_d");
	ck_assert_int_eq(img->kernels[0](NULL), 0);
	ck_assert_int_eq(img->kernels[1](NULL), 1);
	ck_assert_ptr_eq((void *)(uintptr_t)img->kernels[1], (void *)(uintptr_t)fake_kernel2);
	/* predicates in node id order; the control node without one is left out */
	ck_assert_uint_eq(img->npreds, 3);
	ck_assert_uint_eq(img->pred_nodes[0], 2);
	ck_assert_uint_eq(img->pred_nodes[1], 6);
	ck_assert_uint_eq(img->pred_nodes[2], 7);
	double outs[NSLOTS] = {0, 0, 0, 0, 0, 1.5};
	ck_assert(img->preds[0](outs) == 1.0);
	ck_assert(img->preds[1](outs) == 1.0);
	ck_assert(img->preds[2](outs) == 0.0);
	/* the entry passes its arguments on in owgrt_exec_open's order */
	int (*open)(owgrt_exec **, const owgrt_exec_opts *, char *, size_t) =
		(int (*)(owgrt_exec **, const owgrt_exec_opts *, char *, size_t))(uintptr_t)owg_llvm_jit_symbol(
			j, "owg_t_w_open");
	ck_assert_ptr_nonnull((void *)(uintptr_t)open);
	owgrt_exec *ex;
	owgrt_exec_opts o;
	char err[77];
	ck_assert_int_eq(open(&ex, &o, err, sizeof err), 42);
	ck_assert_ptr_eq(seen.img, img);
	ck_assert_ptr_eq(seen.o, &o);
	ck_assert_ptr_eq(seen.out, &ex);
	ck_assert_ptr_eq(seen.err, err);
	ck_assert_uint_eq(seen.err_size, sizeof err);
	owg_llvm_jit_free(j);
	owg_ir_free(g);
}
END_TEST

static owg_expr *make_none(owg_graph *g, uint32_t last, uint32_t i)
{
	return NULL;
}

START_TEST(test_image_empty)
{
	/* no predicates, no kernels: null arrays */
	owg_graph *g = pred_graph(1, make_none);
	for (size_t i = 0; i < g->nodes.n; i++)
		g->nodes.v[i].kernel = NULL;
	owg_llvm_jit *j = jit(g, 0);
	const owgrt_image *img = owg_llvm_jit_symbol(j, "owg_image_t_w");
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->nkernels, 0);
	ck_assert_uint_eq(img->npreds, 0);
	ck_assert_ptr_null(img->kernel_names);
	ck_assert_ptr_null(img->kernels);
	ck_assert_ptr_null(img->pred_nodes);
	ck_assert_ptr_null(img->preds);
	owg_llvm_jit_free(j);
	owg_ir_free(g);
}
END_TEST

/* A compiled, placed example: its one predicate (if match.score > 0.62,
 * whatever the example says) agrees with owg_expr_eval. */
START_TEST(test_example)
{
	compiled c = compile_file(TOP_SRCDIR "/examples/face_recognition.owg");
	ck_assert_msg(c.g != NULL, "%s", c.diags);
	ck_assert(place_graph(c.g, "default", 0));
	char *bytes = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&bytes, &size);
	ck_assert(owg_owgp_write(c.g, m));
	fclose(m);
	char err[1024] = "";
	owg_llvm_jit *j = owg_llvm_jit_new(c.g, (unsigned char *)bytes, size, 2, resolve, err, sizeof err);
	ck_assert_msg(j != NULL, "%s", err);
	const owgrt_image *img = owg_llvm_jit_symbol(j, "owg_image_face_recognition");
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->owgp_size, size);
	ck_assert_int_eq(memcmp(img->owgp, bytes, size), 0);
	ck_assert_uint_ge(img->npreds, 1);
	uint32_t nslots = 0;
	for (size_t i = 0; i < c.g->nodes.n; i++)
		nslots += c.g->nodes.v[i].nouts;
	double *outs = calloc(nslots + 1, sizeof *outs);
	rng_state = 7;
	for (unsigned t = 0; t < 200; t++) {
		for (uint32_t k = 0; k < nslots; k++)
			outs[k] = t < 100 ? (double)below(100) / 100 : any_value();
		binding bd = {c.g, outs};
		for (uint32_t p = 0; p < img->npreds; p++) {
			double want = owg_expr_eval(c.g->nodes.v[img->pred_nodes[p]].pred, lookup, &bd);
			ck_assert(same(img->preds[p](outs), want));
		}
	}
	free(outs);
	owg_llvm_jit_free(j);
	free(bytes);
	compiled_free(&c);
}
END_TEST

static char *emit(const owg_graph *g, const char *triple, owg_llvm_kind kind, size_t *size, char *err, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	owg_llvm_opts o = {.triple = triple, .opt = 2};
	bool ok = owg_llvm_emit(g, owgp_bytes, sizeof owgp_bytes, &o, kind, m, err, n);
	fclose(m);
	if (size)
		*size = len;
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

START_TEST(test_emit)
{
	owg_graph *g = pred_graph(2, make_simple);
	char err[1024] = "";
	char *ir = emit(g, "aarch64-linux-gnu", OWG_LLVM_IR, NULL, err, sizeof err);
	ck_assert_msg(ir != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(ir, "target triple = \"aarch64-unknown-linux-gnu\""));
	ck_assert_ptr_nonnull(strstr(ir, "section \".owgp\", align 16"));
	ck_assert_ptr_nonnull(strstr(ir, "@owg_image_t_w = constant %owgrt_image { i32 1, i32 3, i32 2, i32 0,"));
	ck_assert_ptr_nonnull(strstr(ir, "define internal double @owg_t_w_pred_2("));
	ck_assert_ptr_nonnull(strstr(ir, "declare i32 @k_d(i8*)"));
	ck_assert_ptr_nonnull(strstr(ir, "define i32 @owg_t_w_open("));
	free(ir);
	size_t size;
	char *obj = emit(g, NULL, OWG_LLVM_OBJ, &size, err, sizeof err);
	ck_assert_msg(obj != NULL, "%s", err);
	ck_assert_uint_gt(size, 64);
	ck_assert_int_eq(memcmp(obj, "\177ELF", 4), 0);
	ck_assert_int_eq(obj[16], 1); /* e_type ET_REL */
	free(obj);
	char *s = emit(g, "i386-linux-gnu", OWG_LLVM_ASM, NULL, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(s, "owg_t_w_open:"));
	free(s);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_errors)
{
	char err[1024] = "";
	ck_assert_ptr_null(owg_llvm_check_target("x86_64-linux-gnu"));
	ck_assert_ptr_null(owg_llvm_check_target("aarch64-linux-gnu"));
	char *why = owg_llvm_check_target("nonsense-arch");
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "x86-64"));
	ck_assert_ptr_nonnull(strstr(why, "aarch64"));
	free(why);

	/* a kernel named like a symbol of the object */
	owg_graph *g = pred_graph(2, make_simple);
	g->nodes.v[3].kernel = "owg_image_t_w";
	ck_assert_ptr_null(emit(g, NULL, OWG_LLVM_IR, NULL, err, sizeof err));
	ck_assert_str_eq(err, "kernel symbol 'owg_image_t_w' clashes with a symbol of the workflow's object");
	g->nodes.v[3].kernel = "owgrt_exec_open";
	ck_assert_ptr_null(emit(g, NULL, OWG_LLVM_IR, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "'owgrt_exec_open'"));
	g->nodes.v[3].kernel = "k_b";
	/* a predicate reading an output that is not there: an internal error, no crash */
	g->nodes.v[2].pred->u.sub.l->u.ref.out = 9;
	ck_assert_ptr_null(emit(g, NULL, OWG_LLVM_OBJ, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "internal error"));
	owg_ir_free(g);
	/* a target LLVM cannot write objects for */
	g = pred_graph(1, make_simple);
	ck_assert_ptr_null(emit(g, "nvptx64-nvidia-cuda", OWG_LLVM_OBJ, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "LLVM cannot emit"));
	/* a missing symbol for the JIT */
	g->nodes.v[1].kernel = "not_resolved";
	ck_assert_ptr_null(owg_llvm_jit_new(g, NULL, 0, 0, resolve, err, sizeof err));
	ck_assert_str_eq(err, "unresolved symbol 'not_resolved'");
	owg_ir_free(g);
}
END_TEST

START_TEST(test_mangle)
{
	owg_graph *g = pred_graph(1, make_simple);
	g->name = "face-rec.v2 ü";
	char err[1024] = "";
	char *ir = emit(g, NULL, OWG_LLVM_IR, NULL, err, sizeof err);
	ck_assert_msg(ir != NULL, "%s", err);
	/* every byte outside [A-Za-z0-9_] becomes '_' (ü is two) */
	ck_assert_ptr_nonnull(strstr(ir, "@owg_image_face_rec_v2___ = constant"));
	ck_assert_ptr_nonnull(strstr(ir, "@owg_owgp_face_rec_v2___ = constant"));
	ck_assert_ptr_nonnull(strstr(ir, "define i32 @owg_face_rec_v2____open("));
	ck_assert_ptr_nonnull(strstr(ir, "c\"face-rec.v2 \\C3\\BC\\00\""));
	free(ir);
	owg_ir_free(g);
}
END_TEST

Suite *suite_llvm(void)
{
	Suite *s = suite_create("llvm");
	TCase *tc = tcase_create("predicates");
	/* JIT compilation at -O2 under the sanitizers takes its time */
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_random_predicates, 0, 8);
	tcase_add_test(tc, test_named_cases);
	tcase_add_test(tc, test_example);
	suite_add_tcase(s, tc);
	tc = tcase_create("module");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_image);
	tcase_add_test(tc, test_image_empty);
	tcase_add_test(tc, test_emit);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_mangle);
	suite_add_tcase(s, tc);
	return s;
}
