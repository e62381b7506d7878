/* sema_eval.c - values of constant expressions (with units), distributions
 * and predicates. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sema_internal.h"

static value bad(void)
{
	return (value){.ok = false};
}

static value num(double x, owg_dim d)
{
	return (value){.dim = d, .num = x, .ok = true};
}

static bool numeric(owg_dim d)
{
	return d == OWG_DIM_NONE || d == OWG_DIM_TIME || d == OWG_DIM_SIZE || d == OWG_DIM_RATE;
}

value sema_sym_value(sema *S, sym *s, owg_loc use)
{
	s->used = true;
	if (s->param_used)
		*s->param_used = true;
	if (s->state == EVAL_DONE)
		return s->val;
	if (s->state == EVAL_BUSY) {
		owg_diag_error(S->diag, use, "'%s' is defined in terms of itself", s->name);
		owg_diag_note(S->diag, s->loc, "'%s' declared here", s->name);
		s->val = bad();
		s->state = EVAL_DONE;
		return s->val;
	}
	s->state = EVAL_BUSY;
	value v = s->arg ? sema_eval(S, s->arg_scope, s->arg) : sema_eval(S, s->sc, s->expr);
	if (s->state == EVAL_BUSY) {
		s->val = v;
		s->state = EVAL_DONE;
	}
	return s->val;
}

static value eval_path(sema *S, scope *sc, const ast_expr *e)
{
	sym *s = sema_lookup(sc, e->parts[0].s);
	if (!s) {
		sema_unknown(S, sc, &e->parts[0], "name");
		return bad();
	}
	if (s->kind != SYM_CONST && s->kind != SYM_PARAM) {
		static const char *const what[] = {"a constant", "a parameter", "a task", "a sub-workflow instance",
						   "a label", "a workflow", "a fabric"};
		owg_diag_error(S->diag, e->loc, "'%s' is %s; a value is needed here", s->name, what[s->kind]);
		if (s->kind == SYM_TASK)
			owg_diag_note(S->diag, e->loc, "task outputs can be read in predicates only ('if (%s.x > 1)')",
				      s->name);
		return bad();
	}
	if (e->nparts > 1) {
		owg_diag_error(S->diag, e->parts[1].loc, "'%s' is a value and has no member '%s'", s->name,
			       e->parts[1].s);
		return bad();
	}
	return sema_sym_value(S, s, e->loc);
}

static value binary(sema *S, const ast_expr *e, value l, value r)
{
	if (!l.ok || !r.ok)
		return bad();
	ast_op op = e->op;
	const char *ops = ast_op_spelling(op);
	if (op == AST_OP_AND || op == AST_OP_OR) {
		if (l.dim != OWG_DIM_BOOL || r.dim != OWG_DIM_BOOL) {
			owg_diag_error(S->diag, e->loc, "'%s' needs two truth values, not %s and %s", ops,
				       owg_dim_name(l.dim), owg_dim_name(r.dim));
			return bad();
		}
		value v = {.dim = OWG_DIM_BOOL, .ok = true};
		v.b = op == AST_OP_AND ? (l.b && r.b) : (l.b || r.b);
		return v;
	}
	if (op >= AST_OP_LT && op <= AST_OP_NE) {
		bool eq = op == AST_OP_EQ || op == AST_OP_NE;
		if (l.dim != r.dim || (!numeric(l.dim) && !(eq && l.dim == OWG_DIM_BOOL))) {
			owg_diag_error(S->diag, e->loc, "cannot compare %s with %s", owg_dim_name(l.dim),
				       owg_dim_name(r.dim));
			return bad();
		}
		double a = l.dim == OWG_DIM_BOOL ? l.b : l.num, b = r.dim == OWG_DIM_BOOL ? r.b : r.num;
		value v = {.dim = OWG_DIM_BOOL, .ok = true};
		switch (op) {
		case AST_OP_LT: v.b = a < b; break;
		case AST_OP_LE: v.b = a <= b; break;
		case AST_OP_GT: v.b = a > b; break;
		case AST_OP_GE: v.b = a >= b; break;
		case AST_OP_EQ: v.b = a == b; break;
		default: v.b = a != b; break;
		}
		return v;
	}
	if (!numeric(l.dim) || !numeric(r.dim)) {
		owg_diag_error(S->diag, e->loc, "'%s' needs numbers, not %s and %s", ops, owg_dim_name(l.dim),
			       owg_dim_name(r.dim));
		return bad();
	}
	owg_dim d = OWG_DIM_NONE;
	bool fits = true;
	switch (op) {
	case AST_OP_ADD:
	case AST_OP_SUB:
	case AST_OP_MOD:
		fits = l.dim == r.dim;
		d = l.dim;
		break;
	case AST_OP_MUL:
		if (l.dim == OWG_DIM_NONE)
			d = r.dim;
		else if (r.dim == OWG_DIM_NONE)
			d = l.dim;
		else if ((l.dim == OWG_DIM_TIME && r.dim == OWG_DIM_RATE) ||
			 (l.dim == OWG_DIM_RATE && r.dim == OWG_DIM_TIME))
			d = OWG_DIM_SIZE;
		else
			fits = false;
		break;
	default: /* DIV */
		if (r.dim == OWG_DIM_NONE)
			d = l.dim;
		else if (l.dim == r.dim)
			d = OWG_DIM_NONE;
		else if (l.dim == OWG_DIM_SIZE && r.dim == OWG_DIM_TIME)
			d = OWG_DIM_RATE;
		else if (l.dim == OWG_DIM_SIZE && r.dim == OWG_DIM_RATE)
			d = OWG_DIM_TIME;
		else
			fits = false;
		break;
	}
	if (!fits) {
		owg_diag_error(S->diag, e->loc, "cannot apply '%s' to %s and %s", ops, owg_dim_name(l.dim),
			       owg_dim_name(r.dim));
		return bad();
	}
	double x;
	switch (op) {
	case AST_OP_ADD: x = l.num + r.num; break;
	case AST_OP_SUB: x = l.num - r.num; break;
	case AST_OP_MUL: x = l.num * r.num; break;
	case AST_OP_DIV: x = r.num == 0 ? 0 : l.num / r.num; break; /* defined as 0, see owg(5) */
	default: x = r.num == 0 ? 0 : fmod(l.num, r.num); break;
	}
	if (!isfinite(x)) {
		owg_diag_error(S->diag, e->loc, "the value of this expression is too large");
		return bad();
	}
	return num(x, d);
}

value sema_eval(sema *S, scope *sc, const ast_expr *e)
{
	switch (e->kind) {
	case AST_NUM:
		return num(e->num, e->dim);
	case AST_BOOL:
		return (value){.dim = OWG_DIM_BOOL, .b = e->b, .ok = true};
	case AST_STR:
		return (value){.dim = OWG_DIM_STRING, .str = e->str, .ok = true};
	case AST_PATH:
		return eval_path(S, sc, e);
	case AST_CALL:
		owg_diag_error(S->diag, e->loc, "'%s(...)' is a distribution; a single value is needed here",
			       e->callee);
		return bad();
	case AST_PM:
		owg_diag_error(S->diag, e->loc, "'+-' describes a distribution; a single value is needed here");
		return bad();
	case AST_UNARY: {
		value v = sema_eval(S, sc, e->l);
		if (!v.ok)
			return v;
		if (e->op == AST_OP_NOT) {
			if (v.dim != OWG_DIM_BOOL) {
				owg_diag_error(S->diag, e->loc, "'!' needs a truth value, not %s", owg_dim_name(v.dim));
				return bad();
			}
			v.b = !v.b;
			return v;
		}
		if (!numeric(v.dim)) {
			owg_diag_error(S->diag, e->loc, "'-' needs a number, not %s", owg_dim_name(v.dim));
			return bad();
		}
		v.num = -v.num;
		return v;
	}
	case AST_BINARY:
		return binary(S, e, sema_eval(S, sc, e->l), sema_eval(S, sc, e->r));
	}
	return bad();
}

/* --- distributions --- */

static const char *const dist_names[] = {"normal", "lognormal", "uniform", "exponential",
					 "poisson", "geometric", "empirical", "mean"};

static bool quantity(sema *S, scope *sc, const ast_expr *e, owg_dim want, const char *what, double *out)
{
	value v = sema_eval(S, sc, e);
	if (!v.ok)
		return false;
	if (v.dim != want) {
		if (want == OWG_DIM_TIME && v.dim == OWG_DIM_NONE)
			owg_diag_error(S->diag, e->loc, "%s has no unit; write it as a time, e.g. '%gms'", what,
				       v.num);
		else
			owg_diag_error(S->diag, e->loc, "%s must be %s, not %s", what, owg_dim_name(want),
				       owg_dim_name(v.dim));
		return false;
	}
	if (v.num < 0) {
		owg_diag_error(S->diag, e->loc, "%s must not be negative", what);
		return false;
	}
	*out = v.num;
	return true;
}

static bool nargs(sema *S, const ast_expr *e, uint32_t n, const char *shape)
{
	if (e->nargs == n)
		return true;
	owg_diag_error(S->diag, e->loc, "'%s' takes %u argument%s: %s", e->callee, n, n == 1 ? "" : "s", shape);
	return false;
}

static bool dist_model(sema *S, scope *sc, const ast_expr *e, owg_dim want, const char *what, owg_dist *d)
{
	bool counts = want == OWG_DIM_NONE;
	if (e->kind == AST_PM) {
		d->kind = OWG_DIST_MEANSD;
		return quantity(S, sc, e->l, want, what, &d->a) &&
		       quantity(S, sc, e->r, want, "a standard deviation", &d->b);
	}
	if (e->kind != AST_CALL) {
		d->kind = OWG_DIST_CONST;
		if (!quantity(S, sc, e, want, what, &d->a))
			return false;
		if (counts && d->a != floor(d->a)) {
			owg_diag_error(S->diag, e->loc, "%s must be a whole number, not %g", what, d->a);
			return false;
		}
		return true;
	}
	const char *f = e->callee;
	const ast_expr *a0 = e->args, *a1 = a0 ? a0->next : NULL;
	if (!strcmp(f, "normal") || !strcmp(f, "uniform") || !strcmp(f, "lognormal")) {
		bool logn = f[0] == 'l';
		d->kind = f[0] == 'n' ? OWG_DIST_NORMAL : logn ? OWG_DIST_LOGNORMAL : OWG_DIST_UNIFORM;
		const char *shape = f[0] == 'n' ? "normal(mean, sd)" : logn ? "lognormal(median, sigma)"
									 : "uniform(low, high)";
		if (!nargs(S, e, 2, shape))
			return false;
		if (!quantity(S, sc, a0, want, f[0] == 'u' ? "the lower bound" : logn ? "the median" : "the mean",
			      &d->a))
			return false;
		if (logn) {
			if (!quantity(S, sc, a1, OWG_DIM_NONE, "sigma (the spread of the logarithm)", &d->b))
				return false;
		} else if (!quantity(S, sc, a1, want, f[0] == 'u' ? "the upper bound" : "the standard deviation",
				     &d->b)) {
			return false;
		}
		if (d->kind == OWG_DIST_UNIFORM && d->a > d->b) {
			owg_diag_error(S->diag, e->loc, "uniform(low, high) needs low <= high");
			return false;
		}
		return true;
	}
	if (!strcmp(f, "exponential")) {
		d->kind = OWG_DIST_EXP;
		return nargs(S, e, 1, "exponential(mean)") && quantity(S, sc, a0, want, "the mean", &d->a);
	}
	if (!strcmp(f, "poisson") || !strcmp(f, "geometric") || !strcmp(f, "mean")) {
		if (!counts) {
			owg_diag_error(S->diag, e->loc, "'%s' describes counts, not %s; use normal, lognormal, "
				       "uniform, exponential or empirical", f, what);
			return false;
		}
		d->kind = f[0] == 'g' ? OWG_DIST_GEOMETRIC : OWG_DIST_POISSON;
		return nargs(S, e, 1, "one mean") && quantity(S, sc, a0, want, "the mean", &d->a);
	}
	if (!strcmp(f, "empirical")) {
		d->kind = OWG_DIST_EMPIRICAL;
		if (e->nargs == 0) {
			owg_diag_error(S->diag, e->loc, "'empirical' needs at least one sample");
			return false;
		}
		d->samples = owg_arena_alloc(S->arena, e->nargs * sizeof *d->samples);
		for (const ast_expr *a = e->args; a; a = a->next)
			if (!quantity(S, sc, a, want, "a sample", &d->samples[d->nsamples++]))
				return false;
		return true;
	}
	const char *hint = owg_suggest(f, dist_names, sizeof dist_names / sizeof *dist_names);
	owg_loc callee_loc = {e->loc.file, e->loc.begin, e->loc.begin + (uint32_t)strlen(f)};
	if (hint)
		owg_diag_error(S->diag, callee_loc, "unknown distribution '%s'; did you mean '%s'?", f, hint);
	else
		owg_diag_error(S->diag, callee_loc,
			       "unknown distribution '%s' (known: normal, lognormal, uniform, exponential, "
			       "empirical%s)", f, counts ? ", poisson, geometric, mean" : "");
	return false;
}

bool sema_dist(sema *S, scope *sc, const ast_expr *e, owg_dim want, const char *what, owg_dist *d)
{
	memset(d, 0, sizeof *d);
	if (!dist_model(S, sc, e, want, what, d))
		return false;
	/* trip and item counts are bounded like 'max', so that the expected
	 * executions of a task stay far from overflow */
	double mean = owg_dist_mean(d);
	if (want == OWG_DIM_NONE && !(mean <= OWG_MAX_COUNT)) {
		owg_diag_error(S->diag, e->loc, "%s has a mean of %g; at most %u is supported", what, mean,
			       OWG_MAX_COUNT);
		return false;
	}
	return true;
}

double sema_prob(sema *S, scope *sc, const ast_expr *e)
{
	if (!e)
		return NAN;
	value v = sema_eval(S, sc, e);
	if (!v.ok)
		return NAN;
	if (v.dim != OWG_DIM_NONE) {
		owg_diag_error(S->diag, e->loc, "a probability is a plain number, not %s", owg_dim_name(v.dim));
		return NAN;
	}
	if (v.num < 0 || v.num > 1) {
		owg_diag_error(S->diag, e->loc, "probability %g is outside [0, 1]", v.num);
		return NAN;
	}
	return v.num;
}

/* --- task references --- */

sym *sema_task(sema *S, scope *sc, const ast_expr *path, const char *role)
{
	scope *at = sc;
	for (uint32_t i = 0; i < path->nparts; i++) {
		const ast_name *n = &path->parts[i];
		sym *s = i == 0 ? sema_lookup(at, n->s) : owg_symtab_get(&at->names, n->s);
		if (!s) {
			sema_unknown(S, at, n, i == 0 ? "task" : "task or instance");
			return NULL;
		}
		if (s->kind == SYM_TASK) {
			if (i + 1 != path->nparts) {
				owg_diag_error(S->diag, path->parts[i + 1].loc,
					       "'%s' is a task; %s names a task, not one of its outputs", s->name, role);
				return NULL;
			}
			return s;
		}
		if (s->kind == SYM_INST && i + 1 < path->nparts) {
			/* an instance that could not be expanded was reported already */
			if (!s->inst)
				return NULL;
			at = s->inst;
			continue;
		}
		if (s->kind == SYM_INST)
			owg_diag_error(S->diag, path->loc,
				       "%s needs a task, and '%s' is a whole sub-workflow; name one of its tasks, "
				       "e.g. '%s.<task>'", role, s->name, s->name);
		else {
			static const char *const what[] = {"a constant", "a parameter", "a task", "an instance",
							   "a control block label", "a workflow", "a fabric"};
			owg_diag_error(S->diag, path->loc, "%s needs a task, but '%s' is %s", role, s->name,
				       what[s->kind]);
		}
		return NULL;
	}
	return NULL;
}

bool sema_output(sema *S, scope *sc, const ast_expr *path, sym **task, uint32_t *out)
{
	if (path->nparts < 2) {
		sym *s = sema_lookup(sc, path->parts[0].s);
		if (s && s->kind == SYM_TASK) {
			owg_diag_error(S->diag, path->loc, "'%s' is a task; read one of its outputs, e.g. '%s.%s'",
				       s->name, s->name,
				       s->stmt->outs ? s->stmt->outs->name.s : "result");
			return false;
		}
		if (!s)
			sema_unknown(S, sc, &path->parts[0], "name");
		else
			owg_diag_error(S->diag, path->loc, "'%s' is not a task output", s->name);
		return false;
	}
	ast_expr head = *path;
	head.nparts--;
	head.loc.end = path->parts[head.nparts - 1].loc.end;
	sym *t = sema_task(S, sc, &head, "an output reference");
	if (!t)
		return false;
	const ast_name *on = &path->parts[path->nparts - 1];
	uint32_t i = 0;
	const char *names[64];
	size_t nn = 0;
	for (const ast_out *o = t->stmt->outs; o; o = o->next, i++) {
		if (!strcmp(o->name.s, on->s)) {
			*task = t;
			*out = i;
			t->out_used[i] = true;
			return true;
		}
		if (nn < 64)
			names[nn++] = o->name.s;
	}
	const char *hint = owg_suggest(on->s, names, nn);
	if (hint)
		owg_diag_error(S->diag, on->loc, "task '%s' has no output '%s'; did you mean '%s'?", t->name, on->s,
			       hint);
	else
		owg_diag_error(S->diag, on->loc, "task '%s' has no output '%s'", t->name, on->s);
	owg_diag_note(S->diag, t->loc, "'%s' declared here%s", t->name,
		      t->stmt->outs ? "" : "; declare outputs with 'out name: i64;'");
	return false;
}

/* --- predicates --- */

static owg_expr *lit(sema *S, value v, const ast_expr *at)
{
	owg_expr *x;
	if (v.dim == OWG_DIM_BOOL) {
		x = owg_ir_expr(S->g, OWG_EX_BOOL);
		x->u.b = v.b;
	} else if (v.dim == OWG_DIM_NONE) {
		x = owg_ir_expr(S->g, OWG_EX_NUM);
		x->u.num = v.num;
	} else {
		owg_diag_error(S->diag, at->loc,
			       "predicates work on plain numbers and truth values; this is %s", owg_dim_name(v.dim));
		return NULL;
	}
	owg_ir_expr_type(S->g, x);
	return x;
}

static bool is_bool(const owg_expr *x)
{
	return x->type == OWG_TYPE_BOOL;
}

static owg_expr *pred(sema *S, scope *sc, const ast_expr *e)
{
	switch (e->kind) {
	case AST_NUM:
	case AST_BOOL:
	case AST_STR:
	case AST_CALL:
	case AST_PM: {
		value v = sema_eval(S, sc, e);
		return v.ok ? lit(S, v, e) : NULL;
	}
	case AST_PATH: {
		sym *s = sema_lookup(sc, e->parts[0].s);
		if (s && (s->kind == SYM_CONST || s->kind == SYM_PARAM)) {
			value v = sema_eval(S, sc, e);
			return v.ok ? lit(S, v, e) : NULL;
		}
		sym *t;
		uint32_t o;
		if (!sema_output(S, sc, e, &t, &o))
			return NULL;
		owg_expr *x = owg_ir_expr(S->g, OWG_EX_OUT);
		x->u.ref.node = t->node;
		x->u.ref.out = o;
		owg_ir_expr_type(S->g, x);
		return x;
	}
	case AST_UNARY: {
		owg_expr *a = pred(S, sc, e->l);
		if (!a)
			return NULL;
		if ((e->op == AST_OP_NOT) != is_bool(a)) {
			owg_diag_error(S->diag, e->loc, "'%s' needs %s", ast_op_spelling(e->op),
				       e->op == AST_OP_NOT ? "a truth value, not a number" : "a number, not a truth value");
			return NULL;
		}
		owg_expr *x = owg_ir_expr(S->g, OWG_EX_UNARY);
		x->op = e->op == AST_OP_NOT ? OWG_OP_NOT : OWG_OP_NEG;
		x->u.sub.l = a;
		owg_ir_expr_type(S->g, x);
		return x;
	}
	case AST_BINARY: {
		owg_expr *a = pred(S, sc, e->l), *b = pred(S, sc, e->r);
		if (!a || !b)
			return NULL;
		ast_op op = e->op;
		bool logic = op == AST_OP_AND || op == AST_OP_OR;
		bool eq = op == AST_OP_EQ || op == AST_OP_NE;
		bool ok = logic ? is_bool(a) && is_bool(b)
			  : eq  ? is_bool(a) == is_bool(b)
				: !is_bool(a) && !is_bool(b);
		if (!ok) {
			const char *ta = is_bool(a) ? "a truth value" : "a number";
			const char *tb = is_bool(b) ? "a truth value" : "a number";
			if (logic)
				owg_diag_error(S->diag, e->loc, "'%s' needs two truth values, not %s and %s",
					       ast_op_spelling(op), ta, tb);
			else if (eq || op >= AST_OP_LT)
				owg_diag_error(S->diag, e->loc, "cannot compare %s with %s", ta, tb);
			else
				owg_diag_error(S->diag, e->loc, "'%s' needs numbers, not %s and %s",
					       ast_op_spelling(op), ta, tb);
			return NULL;
		}
		static const owg_op map[] = {OWG_OP_ADD, OWG_OP_SUB, OWG_OP_MUL, OWG_OP_DIV, OWG_OP_MOD,
					     OWG_OP_LT,  OWG_OP_LE,  OWG_OP_GT,  OWG_OP_GE,  OWG_OP_EQ,
					     OWG_OP_NE,  OWG_OP_AND, OWG_OP_OR};
		owg_expr *x = owg_ir_expr(S->g, OWG_EX_BINARY);
		x->op = map[op];
		x->u.sub.l = a;
		x->u.sub.r = b;
		owg_ir_expr_type(S->g, x);
		return x;
	}
	}
	return NULL;
}

owg_expr *sema_pred(sema *S, scope *sc, const ast_expr *e, bool want_bool)
{
	owg_expr *x = pred(S, sc, e);
	if (!x)
		return NULL;
	if (want_bool && !is_bool(x)) {
		owg_diag_error(S->diag, e->loc, "a condition must be a truth value; compare it, e.g. '(... > 0)'");
		return NULL;
	}
	if (!want_bool && is_bool(x)) {
		owg_diag_error(S->diag, e->loc, "a switch selects on a number, not a truth value; use 'if'");
		return NULL;
	}
	return x;
}
