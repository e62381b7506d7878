#include "config.h"

/* ir_verify.c - checks every structural invariant of the OWG IR and
 * reports each violation.  Linear in the size of the graph and iterative
 * (10^6 nodes in a chain of regions must not exhaust the stack); only the
 * walk over an expression recurses, and expression depth is bounded by
 * whoever built it (the front end, the IR reader). */

#include "ir.h"

#include "diag.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct vr {
	const owg_graph *g;
	owg_diag *diag;
	unsigned n;
	uint32_t *pre, *size; /* preorder interval of every node in the region tree */
} vr;

/* --- reporting --- */

static void vreport(vr *v, owg_loc loc, const char *prefix, const char *fmt, va_list ap)
{
	v->n++;
	if (!v->diag)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	owg_diag_error(v->diag, loc, "%s%s", prefix, msg);
}

static void gerr(vr *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gerr(vr *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(v, OWG_LOC_NONE, "IR: ", fmt, ap);
	va_end(ap);
}

/* A printable, bounded copy of a name. */
static const char *shown(const char *s, char *buf, size_t n)
{
	size_t i = 0;
	if (!s)
		s = "";
	for (; s[i] && i + 4 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (s[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static void nerr(vr *v, const owg_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void nerr(vr *v, const owg_node *n, const char *fmt, ...)
{
	char prefix[160], name[112];
	snprintf(prefix, sizeof prefix, "IR: node %%%u '%s': ", (unsigned)n->id,
		 shown(n->name, name, sizeof name));
	va_list ap;
	va_start(ap, fmt);
	vreport(v, n->loc, prefix, fmt, ap);
	va_end(ap);
}

static void ferr(vr *v, const owg_fabric *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ferr(vr *v, const owg_fabric *f, const char *fmt, ...)
{
	char prefix[160], name[112];
	snprintf(prefix, sizeof prefix, "IR: fabric '%s': ", shown(f->name, name, sizeof name));
	va_list ap;
	va_start(ap, fmt);
	vreport(v, f->loc, prefix, fmt, ap);
	va_end(ap);
}

typedef struct numbuf {
	char s[40];
} numbuf;

static numbuf num(double x)
{
	numbuf b;
	owg_fmt_double(b.s, sizeof b.s, x);
	return b;
}

/* --- a set of names --- */

typedef struct strset {
	const char **key;
	uint32_t *val;
	size_t cap;
} strset;

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void set_init(strset *t, size_t n)
{
	t->cap = 16;
	while (t->cap < 2 * n)
		t->cap *= 2;
	t->key = owg_xcalloc(t->cap, sizeof *t->key);
	t->val = owg_xmalloc(t->cap * sizeof *t->val);
}

static void set_free(strset *t)
{
	free(t->key);
	free(t->val);
}

/* Inserts s with value id; returns the value of an equal key already
 * there, or OWG_NONE. */
static uint32_t set_add(strset *t, const char *s, uint32_t id)
{
	for (size_t h = hash_str(s) & (t->cap - 1);; h = (h + 1) & (t->cap - 1)) {
		if (!t->key[h]) {
			t->key[h] = s;
			t->val[h] = id;
			return OWG_NONE;
		}
		if (strcmp(t->key[h], s) == 0)
			return t->val[h];
	}
}

/* --- the region tree --- */

static bool valid_node(const owg_graph *g, uint32_t id)
{
	return id < g->nodes.n;
}

/* The parent used for governance: the region when it is a valid earlier
 * node, else none (the node is a root of its own tree). */
static uint32_t parent_of(const owg_graph *g, size_t i)
{
	uint32_t r = g->nodes.v[i].region;
	return r < i ? r : OWG_NONE;
}

/* Preorder numbering without child lists: regions precede their members,
 * so one backward pass sums subtree sizes and one forward pass hands every
 * child the next free slot of its parent's interval. */
static void build_tree(vr *v)
{
	const owg_graph *g = v->g;
	size_t n = g->nodes.n;
	v->pre = owg_xmalloc(n * sizeof *v->pre);
	v->size = owg_xmalloc(n * sizeof *v->size);
	uint32_t *next = owg_xmalloc(n * sizeof *next);
	for (size_t i = 0; i < n; i++)
		v->size[i] = 1;
	for (size_t i = n; i-- > 0;) {
		uint32_t p = parent_of(g, i);
		if (p != OWG_NONE)
			v->size[p] += v->size[i];
	}
	uint32_t root_next = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t p = parent_of(g, i);
		if (p == OWG_NONE) {
			v->pre[i] = root_next;
			root_next += v->size[i];
		} else {
			v->pre[i] = next[p];
			next[p] += v->size[i];
		}
		next[i] = v->pre[i] + 1;
	}
	free(next);
}

/* Is b inside a's region (transitively), a != b? */
static bool governs(const vr *v, uint32_t a, uint32_t b)
{
	return a != b && v->pre[a] < v->pre[b] && v->pre[b] < v->pre[a] + v->size[a];
}

/* --- distributions --- */

static void check_value(vr *v, const owg_node *n, const char *what, const char *role, double x)
{
	if (!isfinite(x))
		nerr(v, n, "%s: %s %s is not finite", what, role, num(x).s);
	else if (x < 0)
		nerr(v, n, "%s: negative %s %s", what, role, num(x).s);
}

static void check_dist(vr *v, const owg_node *n, const char *what, const owg_dist *d, bool time)
{
	switch (d->kind) {
	case OWG_DIST_CONST:
		check_value(v, n, what, "value", d->a);
		break;
	case OWG_DIST_MEANSD:
	case OWG_DIST_NORMAL:
		check_value(v, n, what, "mean", d->a);
		check_value(v, n, what, "standard deviation", d->b);
		break;
	case OWG_DIST_LOGNORMAL:
		check_value(v, n, what, "median", d->a);
		check_value(v, n, what, "lognormal sigma", d->b);
		break;
	case OWG_DIST_UNIFORM:
		check_value(v, n, what, "low", d->a);
		check_value(v, n, what, "high", d->b);
		if (d->a > d->b)
			nerr(v, n, "%s: uniform low %s is greater than high %s", what, num(d->a).s,
			     num(d->b).s);
		break;
	case OWG_DIST_POISSON:
	case OWG_DIST_GEOMETRIC:
		if (time) {
			nerr(v, n, "%s: %s is a count distribution, not a time", what,
			     owg_dist_kind_name(d->kind));
			return;
		}
		/* fall through */
	case OWG_DIST_EXP:
		check_value(v, n, what, "mean", d->a);
		break;
	case OWG_DIST_EMPIRICAL:
		if (d->nsamples == 0 || !d->samples) {
			nerr(v, n, "%s: empirical distribution without samples", what);
			return;
		}
		for (uint32_t i = 0; i < d->nsamples; i++) {
			double x = d->samples[i];
			if (!isfinite(x) || x < 0) {
				nerr(v, n, "%s: sample %u is %s (must be finite and >= 0)", what,
				     (unsigned)i, num(x).s);
				return;
			}
		}
		break;
	default:
		nerr(v, n, "%s: invalid distribution kind %d", what, (int)d->kind);
		return;
	}
	if (!time && !(owg_dist_mean(d) <= OWG_MAX_COUNT))
		nerr(v, n, "%s: mean %s is above the largest count, %u", what, num(owg_dist_mean(d)).s,
		     OWG_MAX_COUNT);
}

/* --- expressions --- */

static bool numeric(owg_type t)
{
	return t == OWG_TYPE_I64 || t == OWG_TYPE_F64;
}

static bool valid_type(owg_type t)
{
	return t == OWG_TYPE_I64 || t == OWG_TYPE_F64 || t == OWG_TYPE_BOOL;
}

/* Checks e below CB n; returns false if the expression is malformed (so
 * that its types are not compared). */
static bool check_expr(vr *v, const owg_node *n, const owg_expr *e, bool no_governed)
{
	const owg_graph *g = v->g;
	if (!e) {
		nerr(v, n, "predicate has a missing operand");
		return false;
	}
	if (!valid_type(e->type)) {
		nerr(v, n, "predicate has an invalid type %d", (int)e->type);
		return false;
	}
	switch (e->kind) {
	case OWG_EX_NUM:
		if (!isfinite(e->u.num)) {
			nerr(v, n, "predicate literal %s is not finite", num(e->u.num).s);
			return false;
		}
		return true;
	case OWG_EX_BOOL:
		return true;
	case OWG_EX_OUT: {
		uint32_t t = e->u.ref.node, o = e->u.ref.out;
		if (!valid_node(g, t) || g->nodes.v[t].kind != OWG_NODE_TB) {
			nerr(v, n, "predicate reads %%%u, which is not a task", (unsigned)t);
			return false;
		}
		if (o >= g->nodes.v[t].nouts) {
			nerr(v, n, "predicate reads output %u of %%%u, which has %u outputs",
			     (unsigned)o, (unsigned)t, (unsigned)g->nodes.v[t].nouts);
			return false;
		}
		if (no_governed && governs(v, (uint32_t)(n - g->nodes.v), t)) {
			char name[112];
			nerr(v, n, "predicate reads %%%u '%s', which the %s governs", (unsigned)t,
			     shown(g->nodes.v[t].name, name, sizeof name),
			     owg_cb_kind_name(n->cb_kind));
		}
		return true;
	}
	case OWG_EX_UNARY:
		if (e->op != OWG_OP_NOT && e->op != OWG_OP_NEG) {
			nerr(v, n, "predicate has an invalid unary operator %d", (int)e->op);
			return false;
		}
		return check_expr(v, n, e->u.sub.l, no_governed);
	case OWG_EX_BINARY: {
		if ((unsigned)e->op > OWG_OP_OR) {
			nerr(v, n, "predicate has an invalid binary operator %d", (int)e->op);
			return false;
		}
		bool l = check_expr(v, n, e->u.sub.l, no_governed);
		bool r = check_expr(v, n, e->u.sub.r, no_governed);
		return l && r;
	}
	}
	nerr(v, n, "predicate has an invalid expression kind %d", (int)e->kind);
	return false;
}

/* Do the stored types agree with owg_ir_expr_type's rules? (e is well formed.) */
static bool types_agree(const owg_graph *g, const owg_expr *e)
{
	owg_type want;
	switch (e->kind) {
	case OWG_EX_NUM:
		want = e->u.num == floor(e->u.num) && fabs(e->u.num) < 9007199254740992.0
			? OWG_TYPE_I64
			: OWG_TYPE_F64;
		break;
	case OWG_EX_BOOL:
		want = OWG_TYPE_BOOL;
		break;
	case OWG_EX_OUT:
		want = g->nodes.v[e->u.ref.node].outs[e->u.ref.out].type;
		break;
	case OWG_EX_UNARY:
		if (!types_agree(g, e->u.sub.l))
			return false;
		want = e->op == OWG_OP_NOT ? OWG_TYPE_BOOL
		       : e->u.sub.l->type == OWG_TYPE_BOOL ? OWG_TYPE_I64
							   : e->u.sub.l->type;
		break;
	default:
		if (!types_agree(g, e->u.sub.l) || !types_agree(g, e->u.sub.r))
			return false;
		switch (e->op) {
		case OWG_OP_ADD:
		case OWG_OP_SUB:
		case OWG_OP_MUL:
		case OWG_OP_MOD:
			want = e->u.sub.l->type == OWG_TYPE_I64 && e->u.sub.r->type == OWG_TYPE_I64
				? OWG_TYPE_I64
				: OWG_TYPE_F64;
			break;
		case OWG_OP_DIV:
			want = OWG_TYPE_F64;
			break;
		default:
			want = OWG_TYPE_BOOL;
		}
	}
	return e->type == want;
}

/* --- nodes --- */

static bool is_ident(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static void check_region(vr *v, const owg_node *n, size_t i)
{
	const owg_graph *g = v->g;
	uint32_t r = n->region;
	if (r == OWG_NONE) {
		nerr(v, n, "has no region (only the entry may have none)");
		return;
	}
	if (!valid_node(g, r)) {
		nerr(v, n, "region %%%u does not exist", (unsigned)r);
		return;
	}
	if (r >= i)
		nerr(v, n, "region %%%u does not come before the node", (unsigned)r);
	const owg_node *rn = &g->nodes.v[r];
	if (rn->kind != OWG_NODE_CB) {
		nerr(v, n, "region %%%u is not a control block", (unsigned)r);
		return;
	}
	if (n->arm >= rn->narms || !rn->arms) {
		nerr(v, n, "arm %u of region %%%u does not exist (it has %u arms)",
		     (unsigned)n->arm, (unsigned)r, (unsigned)rn->narms);
		return;
	}
	owg_arm_kind k = rn->arms[n->arm].kind;
	if (k == OWG_ARM_REPEAT)
		nerr(v, n, "is governed by the repeat arm of %%%u (it has no members)", (unsigned)r);
	else if (k == OWG_ARM_TAKEN)
		nerr(v, n, "is governed by the taken arm of %%%u (it has no members)", (unsigned)r);
}

static void check_tb(vr *v, const owg_node *n)
{
	if (n->tb_kind != OWG_TB_AI && n->tb_kind != OWG_TB_GENERAL)
		nerr(v, n, "invalid task kind %d", (int)n->tb_kind);
	if (n->peas < 1)
		nerr(v, n, "needs at least 1 PEA");
	check_dist(v, n, "time", &n->time, true);
	if (n->kernel && !owg_c_identifier(n->kernel))
		nerr(v, n, "kernel name is not a C identifier");
	if (n->nouts && !n->outs) {
		nerr(v, n, "has %u outputs but no output table", (unsigned)n->nouts);
		return;
	}
	for (uint32_t o = 0; o < n->nouts; o++) {
		char name[112];
		if (!is_ident(n->outs[o].name))
			nerr(v, n, "output name '%s' is not an identifier",
			     shown(n->outs[o].name, name, sizeof name));
		if (!valid_type(n->outs[o].type))
			nerr(v, n, "output '%s' has an invalid type %d",
			     shown(n->outs[o].name, name, sizeof name), (int)n->outs[o].type);
	}
	if (n->nouts > 1) {
		strset t;
		set_init(&t, n->nouts);
		for (uint32_t o = 0; o < n->nouts; o++) {
			char name[112];
			if (n->outs[o].name && set_add(&t, n->outs[o].name, o) != OWG_NONE)
				nerr(v, n, "output '%s' is declared twice",
				     shown(n->outs[o].name, name, sizeof name));
		}
		set_free(&t);
	}
	if (!isfinite(n->config_bytes) || n->config_bytes < 0)
		nerr(v, n, "configuration size %s must be finite and >= 0", num(n->config_bytes).s);
}

/* "a branch", "an exit" */
static const char *article(owg_cb_kind k)
{
	return k == OWG_CB_ENTRY || k == OWG_CB_EXIT ? "an" : "a";
}

static const char *arms_expected(owg_cb_kind k)
{
	switch (k) {
	case OWG_CB_ENTRY: return "(seq)";
	case OWG_CB_BRANCH: return "(then) (else)";
	case OWG_CB_SWITCH: return "at least one (case), optionally a (default) last";
	case OWG_CB_LOOP: return "(body) (repeat)";
	case OWG_CB_FORK: return "(item)";
	case OWG_CB_EXIT: return "(taken) (cont)";
	}
	return "?";
}

static bool arms_canonical(const owg_node *n)
{
	static const owg_arm_kind want[][2] = {
		[OWG_CB_ENTRY] = {OWG_ARM_SEQ},
		[OWG_CB_BRANCH] = {OWG_ARM_THEN, OWG_ARM_ELSE},
		[OWG_CB_LOOP] = {OWG_ARM_BODY, OWG_ARM_REPEAT},
		[OWG_CB_FORK] = {OWG_ARM_ITEM},
		[OWG_CB_EXIT] = {OWG_ARM_TAKEN, OWG_ARM_CONT},
	};
	if (n->narms && !n->arms)
		return false;
	if (n->cb_kind == OWG_CB_SWITCH) {
		if (n->narms == 0)
			return false;
		for (uint32_t i = 0; i < n->narms; i++) {
			owg_arm_kind k = n->arms[i].kind;
			if (k != OWG_ARM_CASE && !(k == OWG_ARM_DEFAULT && i == n->narms - 1))
				return false;
		}
		return true;
	}
	uint32_t count = n->cb_kind == OWG_CB_ENTRY || n->cb_kind == OWG_CB_FORK ? 1 : 2;
	if (n->narms != count)
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (n->arms[i].kind != want[n->cb_kind][i])
			return false;
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void check_probs(vr *v, const owg_node *n)
{
	double sum = 0;
	uint32_t declared = 0;
	for (uint32_t i = 0; i < n->narms; i++) {
		const owg_arm *a = &n->arms[i];
		if (isnan(a->prob))
			continue;
		if (!(a->prob >= 0 && a->prob <= 1)) {
			nerr(v, n, "arm %u (%s): probability %s is outside [0, 1]", (unsigned)i,
			     owg_arm_kind_name(a->kind), num(a->prob).s);
			return;
		}
		sum += a->prob;
		declared++;
	}
	const char *kind = owg_cb_kind_name(n->cb_kind);
	if ((n->cb_kind == OWG_CB_BRANCH || n->cb_kind == OWG_CB_EXIT ||
	     n->cb_kind == OWG_CB_SWITCH) &&
	    declared == n->narms && declared > 0) {
		if (fabs(sum - 1) > 1e-9)
			nerr(v, n, "%s probabilities sum to %s, not 1", kind, num(sum).s);
	} else if (n->cb_kind == OWG_CB_SWITCH && declared > 0 && sum > 1 + 1e-9) {
		nerr(v, n, "declared switch probabilities sum to %s, more than 1", num(sum).s);
	}
}

static void check_cases(vr *v, const owg_node *n)
{
	uint32_t ncases = 0;
	for (uint32_t i = 0; i < n->narms; i++)
		if (n->arms[i].kind == OWG_ARM_CASE) {
			if (!isfinite(n->arms[i].value)) {
				nerr(v, n, "case value %s is not finite", num(n->arms[i].value).s);
				return;
			}
			ncases++;
		}
	if (ncases < 2)
		return;
	double *vals = owg_xmalloc(ncases * sizeof *vals);
	uint32_t k = 0;
	for (uint32_t i = 0; i < n->narms; i++)
		if (n->arms[i].kind == OWG_ARM_CASE)
			vals[k++] = n->arms[i].value;
	qsort(vals, ncases, sizeof *vals, cmp_double);
	for (uint32_t i = 1; i < ncases; i++)
		if (vals[i] == vals[i - 1]) {
			nerr(v, n, "duplicate case value %s", num(vals[i]).s);
			break;
		}
	free(vals);
}

static void check_pred(vr *v, const owg_node *n)
{
	const owg_expr *p = n->pred;
	owg_cb_kind k = n->cb_kind;
	bool loop_while = k == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE;
	if (!p) {
		if (loop_while)
			nerr(v, n, "a while loop needs a predicate");
		if (k == OWG_CB_BRANCH || k == OWG_CB_EXIT) {
			bool declared = false;
			for (uint32_t i = 0; n->arms && i < n->narms; i++)
				declared |= !isnan(n->arms[i].prob);
			if (!declared)
				nerr(v, n, "%s %s needs a predicate or a probability",
				     article(k), owg_cb_kind_name(k));
		}
		return;
	}
	if (k == OWG_CB_ENTRY || k == OWG_CB_FORK || (k == OWG_CB_LOOP && !loop_while)) {
		nerr(v, n, "%s %s takes no predicate", article(k),
		     k == OWG_CB_LOOP ? "counted loop" : owg_cb_kind_name(k));
		return;
	}
	if (!check_expr(v, n, p, !loop_while))
		return;
	if (!types_agree(v->g, p)) {
		nerr(v, n, "predicate types are stale (recompute them with owg_ir_expr_type)");
		return;
	}
	if ((loop_while || k == OWG_CB_BRANCH || k == OWG_CB_EXIT) && p->type != OWG_TYPE_BOOL)
		nerr(v, n, "predicate is %s, not bool", owg_type_name(p->type));
	if (k == OWG_CB_SWITCH && !numeric(p->type))
		nerr(v, n, "switch selector is %s, not a number", owg_type_name(p->type));
}

static void check_fork_count(vr *v, const owg_node *n)
{
	const owg_graph *g = v->g;
	uint32_t t = n->count_node;
	if (t == OWG_NONE)
		return;
	if (!valid_node(g, t) || g->nodes.v[t].kind != OWG_NODE_TB) {
		nerr(v, n, "count node %%%u is not a task", (unsigned)t);
		return;
	}
	const owg_node *tb = &g->nodes.v[t];
	if (n->count_out >= tb->nouts) {
		nerr(v, n, "count output %u of %%%u does not exist (it has %u outputs)",
		     (unsigned)n->count_out, (unsigned)t, (unsigned)tb->nouts);
		return;
	}
	char name[112];
	if (!numeric(tb->outs[n->count_out].type))
		nerr(v, n, "count output %%%u.%s is %s, not a number", (unsigned)t,
		     shown(tb->outs[n->count_out].name, name, sizeof name),
		     owg_type_name(tb->outs[n->count_out].type));
	if (governs(v, (uint32_t)(n - g->nodes.v), t))
		nerr(v, n, "count node %%%u '%s' is governed by the fork", (unsigned)t,
		     shown(tb->name, name, sizeof name));
}

static void check_cb(vr *v, const owg_node *n)
{
	if ((unsigned)n->cb_kind > OWG_CB_EXIT) {
		nerr(v, n, "invalid control block kind %d", (int)n->cb_kind);
		return;
	}
	const char *kind = owg_cb_kind_name(n->cb_kind);
	if (!arms_canonical(n)) {
		nerr(v, n, "arms are not canonical for %s %s (expected %s)",
		     article(n->cb_kind), kind, arms_expected(n->cb_kind));
	} else {
		check_probs(v, n);
		check_cases(v, n);
	}
	bool loop_while = false;
	if (n->cb_kind == OWG_CB_LOOP) {
		if (n->loop_kind == OWG_LOOP_WHILE)
			loop_while = true;
		else if (n->loop_kind == OWG_LOOP_COUNT)
			check_dist(v, n, "trips", &n->count, false);
		else
			nerr(v, n, "invalid loop kind %d", (int)n->loop_kind);
	}
	if (n->max_trips > OWG_MAX_COUNT)
		nerr(v, n, "trip bound %u is above the largest count, %u", (unsigned)n->max_trips, OWG_MAX_COUNT);
	if (n->max_trips > 0 && !loop_while)
		nerr(v, n, "a trip bound ('max') only applies to a while loop");
	if (n->cb_kind == OWG_CB_FORK) {
		check_dist(v, n, "count", &n->count, false);
		check_fork_count(v, n);
	}
	check_pred(v, n);
}

static void check_nodes(vr *v)
{
	const owg_graph *g = v->g;
	size_t nn = g->nodes.n;
	strset names;
	set_init(&names, nn);
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->id != i)
			nerr(v, n, "id does not match its position %zu", i);
		if (!n->name || !*n->name) {
			nerr(v, n, "empty name");
		} else {
			uint32_t prev = set_add(&names, n->name, (uint32_t)i);
			if (prev != OWG_NONE)
				nerr(v, n, "name already used by node %%%u", (unsigned)prev);
		}
		if (n->kind != OWG_NODE_TB && n->kind != OWG_NODE_CB) {
			nerr(v, n, "invalid node kind %d", (int)n->kind);
			continue;
		}
		bool entry = n->kind == OWG_NODE_CB && n->cb_kind == OWG_CB_ENTRY;
		if (i == 0) {
			if (!entry)
				nerr(v, n, "node %%0 must be the entry");
			if (n->region != OWG_NONE)
				nerr(v, n, "the entry must have no region (found %%%u)",
				     (unsigned)n->region);
		} else {
			if (entry)
				nerr(v, n, "only node %%0 may be an entry");
			check_region(v, n, i);
		}
		if (n->kind == OWG_NODE_TB)
			check_tb(v, n);
		else
			check_cb(v, n);
	}
	set_free(&names);
}

/* --- flows --- */

static bool is_tb(const owg_graph *g, uint32_t id)
{
	return valid_node(g, id) && g->nodes.v[id].kind == OWG_NODE_TB;
}

/* Reports one cycle of the flow graph, found by an iterative DFS. */
static void check_acyclic(vr *v)
{
	const owg_graph *g = v->g;
	size_t nn = g->nodes.n, nf = g->flows.n;
	uint32_t *start = owg_xcalloc(nn + 1, sizeof *start);
	for (size_t k = 0; k < nf; k++) {
		const owg_flow *f = &g->flows.v[k];
		if (is_tb(g, f->src) && is_tb(g, f->dst) && f->src != f->dst)
			start[f->src + 1]++;
	}
	for (size_t i = 0; i < nn; i++)
		start[i + 1] += start[i];
	uint32_t *adj = owg_xmalloc((start[nn] + 1) * sizeof *adj);
	uint32_t *fill = owg_xmalloc((nn + 1) * sizeof *fill);
	memcpy(fill, start, (nn + 1) * sizeof *fill);
	for (size_t k = 0; k < nf; k++) {
		const owg_flow *f = &g->flows.v[k];
		if (is_tb(g, f->src) && is_tb(g, f->dst) && f->src != f->dst)
			adj[fill[f->src]++] = f->dst;
	}
	unsigned char *color = owg_xcalloc(nn ? nn : 1, 1); /* 0 white, 1 on stack, 2 done */
	uint32_t *stack = owg_xmalloc((nn + 1) * sizeof *stack);
	uint32_t *edge = fill; /* reused: next edge to look at, per node */
	memcpy(edge, start, (nn + 1) * sizeof *edge);
	bool found = false;
	for (size_t s = 0; s < nn && !found; s++) {
		if (color[s] || start[s] == start[s + 1])
			continue;
		size_t sp = 0;
		stack[sp++] = (uint32_t)s;
		color[s] = 1;
		while (sp && !found) {
			uint32_t u = stack[sp - 1];
			if (edge[u] == start[u + 1]) {
				color[u] = 2;
				sp--;
				continue;
			}
			uint32_t w = adj[edge[u]++];
			if (color[w] == 0) {
				color[w] = 1;
				stack[sp++] = w;
			} else if (color[w] == 1) {
				size_t b = sp;
				while (stack[b - 1] != w)
					b--;
				b--; /* stack[b] == w */
				char msg[1200];
				size_t len = 0, count = sp - b;
				for (size_t k = b; k <= sp; k++) {
					uint32_t id = k == sp ? w : stack[k];
					char name[48];
					int m;
					if (k - b == 8 && k < sp) {
						m = snprintf(msg + len, sizeof msg - len,
							     " -> ... (%zu tasks)", count);
						k = sp - 1;
					} else {
						m = snprintf(msg + len, sizeof msg - len, "%s%%%u '%s'",
							     k == b ? "" : " -> ", (unsigned)id,
							     shown(g->nodes.v[id].name, name, sizeof name));
					}
					len += m > 0 ? (size_t)m : 0;
					if (len >= sizeof msg)
						len = sizeof msg - 1;
				}
				gerr(v, "flow cycle: %s", msg);
				found = true;
			}
		}
	}
	free(stack);
	free(color);
	free(fill);
	free(adj);
	free(start);
}

static void check_flows(vr *v)
{
	const owg_graph *g = v->g;
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *f = &g->flows.v[k];
		char pre[64];
		snprintf(pre, sizeof pre, "flow %zu (%%%u -> %%%u)", k, (unsigned)f->src,
			 (unsigned)f->dst);
		if (!is_tb(g, f->src))
			gerr(v, "%s: source %%%u is not a task", pre, (unsigned)f->src);
		if (!is_tb(g, f->dst))
			gerr(v, "%s: destination %%%u is not a task", pre, (unsigned)f->dst);
		if (f->src == f->dst)
			gerr(v, "%s: a task cannot flow into itself", pre);
		if (!isfinite(f->bytes) || f->bytes < 0)
			gerr(v, "%s: size %s must be finite and >= 0", pre, num(f->bytes).s);
	}
	if (g->flows.n)
		check_acyclic(v);
}

/* --- fabrics --- */

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static void check_fabrics(vr *v)
{
	static const char *const level[OWG_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};
	const owg_graph *g = v->g;
	strset names;
	set_init(&names, g->fabrics.n);
	for (size_t k = 0; k < g->fabrics.n; k++) {
		const owg_fabric *f = &g->fabrics.v[k];
		if (!f->name || !*f->name)
			ferr(v, f, "empty name");
		else if (set_add(&names, f->name, (uint32_t)k) != OWG_NONE)
			ferr(v, f, "name already used by another fabric");
		bool dims_ok = true;
		for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++)
			if (f->grid_w[l] < 1 || f->grid_h[l] < 1) {
				ferr(v, f, "%s grid %ux%u must be at least 1x1", level[l],
				     (unsigned)f->grid_w[l], (unsigned)f->grid_h[l]);
				dims_ok = false;
			}
		for (int l = 0; l < OWG_FAB_LEVELS; l++) {
			if (!isfinite(f->hop_latency[l]) || f->hop_latency[l] < 0)
				ferr(v, f, "%s hop latency %s must be finite and >= 0", level[l],
				     num(f->hop_latency[l]).s);
			if (!isfinite(f->link_bandwidth[l]) || !(f->link_bandwidth[l] > 0))
				ferr(v, f, "%s link bandwidth %s must be finite and > 0", level[l],
				     num(f->link_bandwidth[l]).s);
		}
		if (!isfinite(f->reconfig_bandwidth) || !(f->reconfig_bandwidth > 0))
			ferr(v, f, "reconfiguration bandwidth %s must be finite and > 0",
			     num(f->reconfig_bandwidth).s);
		if (!isfinite(f->control_latency) || f->control_latency < 0)
			ferr(v, f, "control latency %s must be finite and >= 0",
			     num(f->control_latency).s);
		if (f->ndefects && !f->defects) {
			ferr(v, f, "has %u defects but no defect table", (unsigned)f->ndefects);
			continue;
		}
		if (!dims_ok)
			continue;
		uint64_t w = 1, h = 1;
		for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++) {
			w = mul_sat(w, f->grid_w[l]);
			h = mul_sat(h, f->grid_h[l]);
		}
		for (uint32_t d = 0; d < f->ndefects; d++)
			if (f->defects[d][0] >= w || f->defects[d][1] >= h)
				ferr(v, f, "defect (%u, %u) is outside the %llux%llu PEA grid",
				     (unsigned)f->defects[d][0], (unsigned)f->defects[d][1],
				     (unsigned long long)w, (unsigned long long)h);
	}
	set_free(&names);
}

/* --- analysis annotations: finite, in range, probabilities that add up --- */

static bool finite_nonneg(double x)
{
	return isfinite(x) && x >= 0;
}

static void check_time_annot(vr *v, const owg_node *n, const owg_time_stats *t)
{
	if (!finite_nonneg(t->mean) || !finite_nonneg(t->sd) || !finite_nonneg(t->cv) ||
	    !finite_nonneg(t->p50) || !finite_nonneg(t->p95) || !finite_nonneg(t->p99))
		nerr(v, n, "time statistics must be finite and >= 0");
	else if (t->p50 > t->p95 || t->p95 > t->p99)
		nerr(v, n, "time quantiles out of order (p50 %s, p95 %s, p99 %s)", num(t->p50).s, num(t->p95).s,
		     num(t->p99).s);
	if (t->outliers > t->samples)
		nerr(v, n, "%u outliers of %u samples", (unsigned)t->outliers, (unsigned)t->samples);
}

static void check_cb_annot(vr *v, const owg_node *n, const owg_cb_freq *c)
{
	if ((unsigned)c->source > OWG_PROB_HEURISTIC)
		nerr(v, n, "invalid probability source %d", (int)c->source);
	if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
		if (!(c->repeat >= 0 && c->repeat <= 1))
			nerr(v, n, "repeat probability %s is not in [0, 1]", num(c->repeat).s);
		if (!finite_nonneg(c->trips_mean) || !finite_nonneg(c->trips_var))
			nerr(v, n, "trip statistics must be finite and >= 0");
		else if (c->trips_mean > OWG_MAX_COUNT)
			nerr(v, n, "mean trips %s above the largest count, %u", num(c->trips_mean).s, OWG_MAX_COUNT);
		return;
	}
	if (!c->arm) {
		nerr(v, n, "no arm probabilities");
		return;
	}
	double sum = 0;
	for (uint32_t a = 0; a < n->narms; a++) {
		if (!(c->arm[a] >= 0 && c->arm[a] <= 1)) {
			nerr(v, n, "arm %u probability %s is not in [0, 1]", (unsigned)a, num(c->arm[a]).s);
			return;
		}
		sum += c->arm[a];
	}
	/* a switch without a default may take no arm */
	bool may_skip = n->cb_kind == OWG_CB_SWITCH && !(n->narms && n->arms[n->narms - 1].kind == OWG_ARM_DEFAULT);
	if (sum > 1 + 1e-9 || (!may_skip && sum < 1 - 1e-9))
		nerr(v, n, "arm probabilities add up to %s, not 1", num(sum).s);
}

static void check_analysis(vr *v)
{
	const owg_graph *g = v->g;
	const owg_analysis *an = &g->an;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (an->time && n->kind == OWG_NODE_TB)
			check_time_annot(v, n, &an->time[i]);
		if (an->freq && (!finite_nonneg(an->freq[i].mean) || !finite_nonneg(an->freq[i].var)))
			nerr(v, n, "executions per request must be finite and >= 0");
		if (an->cb && n->kind == OWG_NODE_CB && n->cb_kind != OWG_CB_ENTRY)
			check_cb_annot(v, n, &an->cb[i]);
		if (an->pea_time && n->kind == OWG_NODE_TB && !finite_nonneg(an->pea_time[i]))
			nerr(v, n, "PEA-time must be finite and >= 0");
	}
	if (an->pea_time && (!finite_nonneg(an->critical_path) || !finite_nonneg(an->total_pea_time) ||
			     !finite_nonneg(an->lb_latency) || !finite_nonneg(an->max_throughput)))
		gerr(v, "the bounds must be finite and >= 0");
}

unsigned owg_ir_verify(const owg_graph *g, struct owg_diag *diag)
{
	vr v = {g, diag, 0, NULL, NULL};
	if (g->nodes.n == 0) {
		gerr(&v, "the graph has no nodes (node %%0 must be the entry)");
	} else if (g->nodes.n >= OWG_NONE) {
		gerr(&v, "too many nodes (%zu)", g->nodes.n);
		return v.n;
	} else {
		build_tree(&v);
		check_nodes(&v);
		free(v.pre);
		free(v.size);
	}
	check_flows(&v);
	check_fabrics(&v);
	if (g->nodes.n && g->nodes.n < OWG_NONE)
		check_analysis(&v);
	return v.n;
}
