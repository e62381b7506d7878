#include "config.h"

/* ir.c - construction of the OWG IR, name tables, distribution means,
 * expression evaluation and typing, and the shortest round-trip format of
 * a double. */

#include "ir.h"

#include "../runtime/owgrt_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

owg_graph *owg_ir_new(const char *name)
{
	owg_graph *g = owg_xcalloc(1, sizeof *g);
	owg_arena_init(&g->arena);
	g->name = owg_arena_strdup(&g->arena, name ? name : "");
	return g;
}

void owg_ir_free(owg_graph *g)
{
	if (!g)
		return;
	OWG_VEC_FREE(g->nodes);
	OWG_VEC_FREE(g->flows);
	OWG_VEC_FREE(g->fabrics);
	owg_arena_free(&g->arena);
	free(g);
}

static owg_node *add_node(owg_graph *g, owg_node_kind kind, const char *name,
			  uint32_t region, uint32_t arm)
{
	owg_node n;
	memset(&n, 0, sizeof n);
	n.id = (uint32_t)g->nodes.n;
	n.kind = kind;
	n.name = owg_arena_strdup(&g->arena, name ? name : "");
	n.loc = OWG_LOC_NONE;
	n.region = region;
	n.arm = arm;
	n.tb_kind = OWG_TB_GENERAL;
	n.peas = 1;
	n.time.kind = OWG_DIST_CONST;
	n.count.kind = OWG_DIST_CONST;
	n.count.a = 1;
	n.loop_kind = OWG_LOOP_COUNT;
	n.count_node = OWG_NONE;
	n.count_out = 0;
	OWG_VEC_PUSH(g->nodes, n);
	return &g->nodes.v[g->nodes.n - 1];
}

owg_node *owg_ir_add_tb(owg_graph *g, const char *name, uint32_t region, uint32_t arm)
{
	return add_node(g, OWG_NODE_TB, name, region, arm);
}

owg_node *owg_ir_add_cb(owg_graph *g, owg_cb_kind kind, const char *name,
			uint32_t region, uint32_t arm)
{
	owg_node *n = add_node(g, OWG_NODE_CB, name, region, arm);
	n->cb_kind = kind;
	owg_ir_set_arms(g, n, 0, false);
	return n;
}

void owg_ir_add_flow(owg_graph *g, uint32_t src, uint32_t dst, double bytes)
{
	owg_flow f = {src, dst, bytes};
	OWG_VEC_PUSH(g->flows, f);
}

owg_expr *owg_ir_expr(owg_graph *g, owg_expr_kind kind)
{
	owg_expr *e = owg_arena_alloc(&g->arena, sizeof *e);
	e->kind = kind;
	e->type = kind == OWG_EX_BOOL ? OWG_TYPE_BOOL : OWG_TYPE_F64;
	return e;
}

void owg_ir_set_arms(owg_graph *g, owg_node *cb, uint32_t ncases, bool has_default)
{
	owg_arm_kind k[2];
	size_t n = 0;
	switch (cb->cb_kind) {
	case OWG_CB_ENTRY: k[0] = OWG_ARM_SEQ; n = 1; break;
	case OWG_CB_BRANCH: k[0] = OWG_ARM_THEN; k[1] = OWG_ARM_ELSE; n = 2; break;
	case OWG_CB_LOOP: k[0] = OWG_ARM_BODY; k[1] = OWG_ARM_REPEAT; n = 2; break;
	case OWG_CB_FORK: k[0] = OWG_ARM_ITEM; n = 1; break;
	case OWG_CB_EXIT: k[0] = OWG_ARM_TAKEN; k[1] = OWG_ARM_CONT; n = 2; break;
	case OWG_CB_SWITCH: n = (size_t)ncases + (has_default ? 1 : 0); break;
	}
	cb->narms = (uint32_t)n;
	cb->arms = n ? owg_arena_alloc(&g->arena, n * sizeof *cb->arms) : NULL;
	for (size_t i = 0; i < n; i++) {
		if (cb->cb_kind == OWG_CB_SWITCH)
			cb->arms[i].kind = i < ncases ? OWG_ARM_CASE : OWG_ARM_DEFAULT;
		else
			cb->arms[i].kind = k[i];
		cb->arms[i].value = 0;
		cb->arms[i].prob = NAN;
	}
}

/* --- names --- */

const char *owg_type_name(owg_type t)
{
	switch (t) {
	case OWG_TYPE_I64: return "i64";
	case OWG_TYPE_F64: return "f64";
	case OWG_TYPE_BOOL: return "bool";
	}
	return "?";
}

const char *owg_tb_kind_name(owg_tb_kind k)
{
	switch (k) {
	case OWG_TB_AI: return "ai";
	case OWG_TB_GENERAL: return "general";
	}
	return "?";
}

const char *owg_cb_kind_name(owg_cb_kind k)
{
	switch (k) {
	case OWG_CB_ENTRY: return "entry";
	case OWG_CB_BRANCH: return "branch";
	case OWG_CB_SWITCH: return "switch";
	case OWG_CB_LOOP: return "loop";
	case OWG_CB_FORK: return "fork";
	case OWG_CB_EXIT: return "exit";
	}
	return "?";
}

const char *owg_arm_kind_name(owg_arm_kind k)
{
	switch (k) {
	case OWG_ARM_SEQ: return "seq";
	case OWG_ARM_THEN: return "then";
	case OWG_ARM_ELSE: return "else";
	case OWG_ARM_CASE: return "case";
	case OWG_ARM_DEFAULT: return "default";
	case OWG_ARM_BODY: return "body";
	case OWG_ARM_REPEAT: return "repeat";
	case OWG_ARM_ITEM: return "item";
	case OWG_ARM_TAKEN: return "taken";
	case OWG_ARM_CONT: return "cont";
	}
	return "?";
}

const char *owg_dist_kind_name(owg_dist_kind k)
{
	switch (k) {
	case OWG_DIST_CONST: return "const";
	case OWG_DIST_MEANSD: return "meansd";
	case OWG_DIST_NORMAL: return "normal";
	case OWG_DIST_LOGNORMAL: return "lognormal";
	case OWG_DIST_UNIFORM: return "uniform";
	case OWG_DIST_EXP: return "exponential";
	case OWG_DIST_POISSON: return "poisson";
	case OWG_DIST_GEOMETRIC: return "geometric";
	case OWG_DIST_EMPIRICAL: return "empirical";
	}
	return "?";
}

const char *owg_op_name(owg_op op)
{
	switch (op) {
	case OWG_OP_ADD: return "+";
	case OWG_OP_SUB: return "-";
	case OWG_OP_MUL: return "*";
	case OWG_OP_DIV: return "/";
	case OWG_OP_MOD: return "%";
	case OWG_OP_LT: return "<";
	case OWG_OP_LE: return "<=";
	case OWG_OP_GT: return ">";
	case OWG_OP_GE: return ">=";
	case OWG_OP_EQ: return "==";
	case OWG_OP_NE: return "!=";
	case OWG_OP_AND: return "&&";
	case OWG_OP_OR: return "||";
	case OWG_OP_NOT: return "!";
	case OWG_OP_NEG: return "-";
	}
	return "?";
}

/* --- distributions and expressions --- */

double owg_dist_mean(const owg_dist *d)
{
	switch (d->kind) {
	case OWG_DIST_CONST:
	case OWG_DIST_MEANSD:
	case OWG_DIST_NORMAL:
	case OWG_DIST_EXP:
	case OWG_DIST_POISSON:
	case OWG_DIST_GEOMETRIC:
		return d->a;
	case OWG_DIST_LOGNORMAL:
		return d->a * exp(d->b * d->b / 2);
	case OWG_DIST_UNIFORM:
		return (d->a + d->b) / 2;
	case OWG_DIST_EMPIRICAL: {
		if (d->nsamples == 0 || !d->samples)
			return 0;
		double s = 0;
		for (uint32_t i = 0; i < d->nsamples; i++)
			s += d->samples[i];
		return s / d->nsamples;
	}
	}
	return 0;
}

double owg_expr_eval(const owg_expr *e,
		     double (*lookup)(void *ctx, uint32_t node, uint32_t out), void *ctx)
{
	switch (e->kind) {
	case OWG_EX_NUM:
		return e->u.num;
	case OWG_EX_BOOL:
		return e->u.b ? 1.0 : 0.0;
	case OWG_EX_OUT:
		return lookup ? lookup(ctx, e->u.ref.node, e->u.ref.out) : 0.0;
	case OWG_EX_UNARY: {
		double x = owg_expr_eval(e->u.sub.l, lookup, ctx);
		return e->op == OWG_OP_NOT ? (x == 0 ? 1.0 : 0.0) : -x;
	}
	case OWG_EX_BINARY:
		break;
	}
	double l = owg_expr_eval(e->u.sub.l, lookup, ctx);
	if (e->op == OWG_OP_AND)
		return l != 0 && owg_expr_eval(e->u.sub.r, lookup, ctx) != 0 ? 1.0 : 0.0;
	if (e->op == OWG_OP_OR)
		return l != 0 || owg_expr_eval(e->u.sub.r, lookup, ctx) != 0 ? 1.0 : 0.0;
	double r = owg_expr_eval(e->u.sub.r, lookup, ctx);
	switch (e->op) {
	case OWG_OP_ADD: return l + r;
	case OWG_OP_SUB: return l - r;
	case OWG_OP_MUL: return l * r;
	case OWG_OP_DIV: return r == 0 ? 0.0 : l / r;
	case OWG_OP_MOD: return r == 0 ? 0.0 : fmod(l, r);
	case OWG_OP_LT: return l < r ? 1.0 : 0.0;
	case OWG_OP_LE: return l <= r ? 1.0 : 0.0;
	case OWG_OP_GT: return l > r ? 1.0 : 0.0;
	case OWG_OP_GE: return l >= r ? 1.0 : 0.0;
	case OWG_OP_EQ: return l == r ? 1.0 : 0.0;
	case OWG_OP_NE: return l != r ? 1.0 : 0.0;
	default: return 0.0;
	}
}

static bool num_is_int(double x)
{
	return x == floor(x) && fabs(x) < 9007199254740992.0; /* 2^53 */
}

void owg_ir_expr_type(const owg_graph *g, owg_expr *e)
{
	switch (e->kind) {
	case OWG_EX_NUM:
		e->type = num_is_int(e->u.num) ? OWG_TYPE_I64 : OWG_TYPE_F64;
		return;
	case OWG_EX_BOOL:
		e->type = OWG_TYPE_BOOL;
		return;
	case OWG_EX_OUT: {
		uint32_t n = e->u.ref.node, o = e->u.ref.out;
		e->type = OWG_TYPE_F64;
		if (n < g->nodes.n && g->nodes.v[n].kind == OWG_NODE_TB &&
		    o < g->nodes.v[n].nouts)
			e->type = g->nodes.v[n].outs[o].type;
		return;
	}
	case OWG_EX_UNARY:
		if (e->u.sub.l)
			owg_ir_expr_type(g, e->u.sub.l);
		if (e->op == OWG_OP_NOT)
			e->type = OWG_TYPE_BOOL;
		else if (!e->u.sub.l)
			e->type = OWG_TYPE_F64;
		else /* -b is the integer -1 or 0, not a boolean */
			e->type = e->u.sub.l->type == OWG_TYPE_BOOL ? OWG_TYPE_I64
								   : e->u.sub.l->type;
		return;
	case OWG_EX_BINARY:
		break;
	}
	if (e->u.sub.l)
		owg_ir_expr_type(g, e->u.sub.l);
	if (e->u.sub.r)
		owg_ir_expr_type(g, e->u.sub.r);
	switch (e->op) {
	case OWG_OP_ADD:
	case OWG_OP_SUB:
	case OWG_OP_MUL:
	case OWG_OP_MOD:
		e->type = e->u.sub.l && e->u.sub.r && e->u.sub.l->type == OWG_TYPE_I64 &&
				  e->u.sub.r->type == OWG_TYPE_I64
			? OWG_TYPE_I64
			: OWG_TYPE_F64;
		return;
	case OWG_OP_DIV:
		e->type = OWG_TYPE_F64;
		return;
	default:
		e->type = OWG_TYPE_BOOL;
		return;
	}
}

/* --- numbers --- */

void owg_fmt_double(char *buf, size_t n, double x)
{
	owgrt_fmt_double(buf, n, x);
}

bool owg_c_identifier(const char *s)
{
	if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}
