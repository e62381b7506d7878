/* sema.c - instantiation of the main workflow into the OWG IR.
 *
 * Three walks per workflow instance:
 *  1. declare: every name of the workflow (tasks, params, consts,
 *     instances, labels) into its scope, so order of use does not matter;
 *  2. place: build the block tree of control statements and decide where
 *     each task runs: in the block of its first use (a flow or a bare
 *     mention), else where it is declared.  A statement after `exit` lives
 *     in the exit's continuation block;
 *  3. emit: nodes in pre-order of the block tree (a control block before
 *     its members), then control-block details, task properties and flows,
 *     once every node has its id.
 * Then whole-graph checks: data cycles, unreachable and unused things. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sema_internal.h"

static const char *const sym_what[] = {"constant", "parameter", "task", "instance",
				       "label", "workflow", "fabric"};

/* --- scopes --- */

sym *sema_lookup(scope *sc, const char *name)
{
	for (; sc; sc = sc->parent) {
		sym *s = owg_symtab_get(&sc->names, name);
		if (s)
			return s;
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sema_unknown(sema *S, scope *sc, const ast_name *n, const char *what)
{
	enum { MAXC = 4096 };
	const char **cands = owg_xmalloc(MAXC * sizeof *cands);
	size_t nc = 0;
	for (scope *s = sc; s && nc < MAXC; s = s->parent)
		nc += owg_symtab_keys(&s->names, cands + nc, MAXC - nc);
	/* deterministic: suggest the alphabetically first among equals */
	qsort(cands, nc, sizeof *cands, cmp_str);
	const char *hint = owg_suggest(n->s, cands, nc);
	if (hint)
		owg_diag_error(S->diag, n->loc, "unknown %s '%s'; did you mean '%s'?", what, n->s, hint);
	else
		owg_diag_error(S->diag, n->loc, "unknown %s '%s'", what, n->s);
	if (hint) {
		sym *h = sema_lookup(sc, hint);
		if (h && h->loc.file != OWG_NOFILE)
			owg_diag_note(S->diag, h->loc, "'%s' declared here", hint);
	}
	free(cands);
}


static scope *new_scope(sema *S, scope *parent, const char *prefix, const ast_item *wf)
{
	scope *sc = owg_xcalloc(1, sizeof *sc);
	sc->parent = parent;
	sc->prefix = prefix;
	sc->wf = wf;
	OWG_VEC_PUSH(S->scopes, sc);
	return sc;
}

static block *new_block(sema *S, block *parent, bool top)
{
	block *b = owg_xcalloc(1, sizeof *b);
	b->parent = parent;
	b->top = top;
	OWG_VEC_PUSH(S->blocks, b);
	return b;
}

static sym *declare(sema *S, scope *sc, sym_kind kind, const ast_name *n)
{
	sym *s = owg_arena_alloc(S->arena, sizeof *s);
	s->kind = kind;
	s->name = n->s;
	s->loc = n->loc;
	s->sc = sc;
	s->node = OWG_NONE;
	if ((kind == SYM_TASK || kind == SYM_LABEL) && !*sc->prefix && !strcmp(n->s, "entry")) {
		/* node 0 of the IR, where every request starts, has that name */
		owg_diag_error(S->diag, n->loc, "'entry' is the name of the node where a request starts; "
			       "give this %s another name", kind == SYM_TASK ? "task" : "control block");
		/* declared all the same, so that its uses raise no more errors */
	}
	sym *had = owg_symtab_put(&sc->names, n->s, s);
	if (had != s) {
		owg_diag_error(S->diag, n->loc, "redefinition of '%s'", n->s);
		owg_diag_note(S->diag, had->loc, "'%s' was declared here as a %s", n->s, sym_what[had->kind]);
		return NULL;
	}
	if (sc->parent && kind != SYM_LABEL) {
		sym *outer = sema_lookup(sc->parent, n->s);
		if (outer && outer->kind == SYM_CONST &&
		    owg_diag_warning(S->diag, OWG_W_SHADOW, n->loc, "'%s' hides the constant of the same name",
				     n->s))
			owg_diag_note(S->diag, outer->loc, "the constant is declared here");
	}
	OWG_VEC_PUSH(sc->order, s);
	return s;
}

/* --- walk 1: declarations --- */

static void declare_stmts(sema *S, scope *sc, const ast_stmt *st);

/* Use flags of a statement (a param, or a task's outputs), shared by every
 * instance of its workflow: a thing is unused only if no instance uses it. */
static bool *usage_flags(sema *S, const ast_stmt *st)
{
	bool *flags = owg_u64map_get(&S->usage, (uintptr_t)st);
	if (!flags) {
		uint32_t n = 1;
		for (const ast_out *o = st->kind == AST_TASK ? st->outs : NULL; o; o = o->next)
			n++;
		flags = owg_arena_alloc(S->arena, n);
		owg_u64map_put(&S->usage, (uintptr_t)st, flags);
	}
	return flags;
}

static void declare_stmt(sema *S, scope *sc, const ast_stmt *st)
{
	sym *s;
	if (st->kind >= AST_IF && st->label.s && (s = declare(S, sc, SYM_LABEL, &st->label)))
		s->stmt = st;
	switch (st->kind) {
	case AST_TASK:
		if ((s = declare(S, sc, SYM_TASK, &st->name))) {
			s->stmt = st;
			s->out_used = usage_flags(S, st);
		}
		break;
	case AST_PARAM:
	case AST_CONST:
		if ((s = declare(S, sc, st->kind == AST_PARAM ? SYM_PARAM : SYM_CONST, &st->name))) {
			s->stmt = st;
			s->expr = st->value;
			s->param_used = usage_flags(S, st);
			if (st->kind == AST_CONST)
				s->used = true; /* constants are not reported as unused */
		}
		break;
	case AST_USE:
		if ((s = declare(S, sc, SYM_INST, &st->name)))
			s->stmt = st;
		break;
	case AST_IF:
		declare_stmts(S, sc, st->body);
		declare_stmts(S, sc, st->orelse);
		break;
	case AST_SWITCH:
		for (const ast_case *c = st->cases; c; c = c->next)
			declare_stmts(S, sc, c->body);
		break;
	case AST_LOOP:
	case AST_FOREACH:
		declare_stmts(S, sc, st->body);
		break;
	default:
		break;
	}
}

static void declare_stmts(sema *S, scope *sc, const ast_stmt *st)
{
	for (; st; st = st->next)
		declare_stmt(S, sc, st);
}

/* --- walk 2: blocks and placement --- */

enum how { BY_DECL, BY_USE, BY_MENTION };

static void place(sema *S, sym *s, block *b, enum how how, owg_loc at)
{
	if (s->home) {
		if (!s->tentative || how == BY_DECL) {
			if (how == BY_DECL && !b->top && s->home != b) {
				owg_diag_error(S->diag, at, "task '%s' is declared inside this block but runs "
					       "before it", s->name);
				owg_diag_note(S->diag, s->placed_at, "its first use, here, decided where it runs");
			} else if (how == BY_MENTION && s->home != b) {
				owg_diag_error(S->diag, at, "%s '%s' already runs elsewhere; a task runs in one place only",
					       sym_what[s->kind], s->name);
				owg_diag_note(S->diag, s->placed_at, "its first use, here, decided where it runs");
			}
			return;
		}
		if (s->home == b) {
			s->tentative = false;
			s->placed_at = at;
			return;
		}
		s->home->members.v[s->member].dead = true;
	}
	s->home = b;
	s->tentative = how == BY_DECL && b->top;
	s->placed_at = at;
	s->member = b->members.n;
	member m = {s->kind == SYM_TASK ? M_TASK : M_INST, s, NULL, false};
	OWG_VEC_PUSH(b->members, m);
}

static cbrec *new_cb(sema *S, scope *sc, block *b, const ast_stmt *st, owg_cb_kind kind, uint32_t narms)
{
	cbrec *cb = owg_arena_alloc(S->arena, sizeof *cb);
	cb->stmt = st;
	cb->sc = sc;
	cb->kind = kind;
	cb->narms = narms;
	cb->arms = owg_arena_alloc(S->arena, narms * sizeof *cb->arms);
	cb->node = OWG_NONE;
	for (uint32_t i = 0; i < narms; i++)
		cb->arms[i] = new_block(S, b, false);
	member m = {M_CB, NULL, cb, false};
	OWG_VEC_PUSH(b->members, m);
	OWG_VEC_PUSH(sc->cbs, cb);
	return cb;
}

static void place_stmts(sema *S, scope *sc, block *b, const ast_stmt *st);

static void place_path(sema *S, scope *sc, block *b, const ast_expr *path, enum how how)
{
	sym *s = sema_lookup(sc, path->parts[0].s);
	if (!s || (s->kind != SYM_TASK && s->kind != SYM_INST) || s->sc != sc)
		return; /* reported when flows and mentions are resolved */
	if (path->nparts == 1)
		place(S, s, b, how, path->loc);
}

/* A decision reads its inputs before it is taken: the tasks whose outputs
 * its header reads run before it, in the enclosing block. */
static void place_reads(sema *S, scope *sc, block *b, const ast_expr *e)
{
	if (!e)
		return;
	if (e->kind == AST_PATH && e->nparts >= 2) {
		sym *s = owg_symtab_get(&sc->names, e->parts[0].s);
		if (s && s->kind == SYM_TASK)
			place(S, s, b, BY_USE, e->parts[0].loc);
	} else if (e->kind == AST_UNARY || e->kind == AST_BINARY) {
		place_reads(S, sc, b, e->l);
		place_reads(S, sc, b, e->r);
	}
}

static void place_stmt(sema *S, scope *sc, block *b, const ast_stmt *st)
{
	/* a do-while loop reads outputs of its own body: those stay inside */
	if (st->kind >= AST_IF && !(st->kind == AST_LOOP && st->is_while))
		place_reads(S, sc, b, st->cond);
	sym *s;
	switch (st->kind) {
	case AST_TASK:
	case AST_USE:
		s = owg_symtab_get(&sc->names, st->name.s);
		if (s && s->stmt == st)
			place(S, s, b, BY_DECL, st->name.loc);
		break;
	case AST_FLOW:
		for (const ast_expr *p = st->endpoints; p; p = p->next)
			place_path(S, sc, b, p, BY_USE);
		OWG_VEC_PUSH(sc->flows, st);
		break;
	case AST_MENTION: {
		s = sema_lookup(sc, st->endpoints->parts[0].s);
		if (!s) {
			sema_unknown(S, sc, &st->endpoints->parts[0], "task");
		} else if (st->endpoints->nparts == 1 && (s->kind == SYM_TASK || s->kind == SYM_INST) &&
			   s->sc == sc) {
			place(S, s, b, BY_MENTION, st->loc);
		} else if (s->kind == SYM_TASK || s->kind == SYM_INST) {
			owg_diag_error(S->diag, st->loc,
				       "only a task or instance of this workflow can be placed by naming it; "
				       "'%s' belongs to another workflow", s->name);
		} else {
			owg_diag_error(S->diag, st->loc, "'%s' is a %s; a statement names a task or instance to "
				       "run it here", s->name, sym_what[s->kind]);
		}
		break;
	}
	case AST_IF: {
		cbrec *cb = new_cb(S, sc, b, st, OWG_CB_BRANCH, 2);
		place_stmts(S, sc, cb->arms[0], st->body);
		place_stmts(S, sc, cb->arms[1], st->orelse);
		break;
	}
	case AST_SWITCH: {
		uint32_t n = 0;
		for (const ast_case *c = st->cases; c; c = c->next)
			n++;
		cbrec *cb = new_cb(S, sc, b, st, OWG_CB_SWITCH, n);
		n = 0;
		for (const ast_case *c = st->cases; c; c = c->next)
			place_stmts(S, sc, cb->arms[n++], c->body);
		break;
	}
	case AST_LOOP:
	case AST_FOREACH: {
		cbrec *cb = new_cb(S, sc, b, st, st->kind == AST_LOOP ? OWG_CB_LOOP : OWG_CB_FORK, 1);
		place_stmts(S, sc, cb->arms[0], st->body);
		break;
	}
	default:
		break;
	}
}

static void place_stmts(sema *S, scope *sc, block *b, const ast_stmt *st)
{
	for (; st; st = st->next) {
		if (st->kind == AST_EXIT) {
			place_reads(S, sc, b, st->cond);
			/* arms: taken (empty), cont: the rest of this list */
			cbrec *cb = new_cb(S, sc, b, st, OWG_CB_EXIT, 2);
			cb->arms[1]->top = b->top;
			b = cb->arms[1]; /* a loop, not a call: a block may hold 10^5 exits */
			continue;
		}
		place_stmt(S, sc, b, st);
	}
}

/* --- instantiation --- */

static void bind_args(sema *S, scope *caller, scope *sc, const ast_item *wf, const ast_arg *args)
{
	for (const ast_arg *a = args; a; a = a->next) {
		sym *p = owg_symtab_get(&sc->names, a->name.s);
		if (!p || p->kind != SYM_PARAM) {
			const char *names[256];
			size_t n = 0;
			for (size_t i = 0; i < sc->order.n && n < 256; i++)
				if (sc->order.v[i]->kind == SYM_PARAM)
					names[n++] = sc->order.v[i]->name;
			const char *hint = owg_suggest(a->name.s, names, n);
			if (hint)
				owg_diag_error(S->diag, a->name.loc,
					       "workflow '%s' has no parameter '%s'; did you mean '%s'?", wf->name.s,
					       a->name.s, hint);
			else
				owg_diag_error(S->diag, a->name.loc, "workflow '%s' has no parameter '%s'",
					       wf->name.s, a->name.s);
			continue;
		}
		if (p->arg) {
			owg_diag_error(S->diag, a->name.loc, "parameter '%s' given twice", a->name.s);
			continue;
		}
		p->arg = a->value;
		p->arg_scope = caller;
	}
}

static void expand_instances(sema *S, scope *sc);

/* Declares and places one instance of workflow wf, running in block top. */
static scope *expand(sema *S, scope *caller, const ast_item *wf, const char *prefix, block *top,
		     const ast_arg *args)
{
	scope *sc = new_scope(S, S->globals, prefix, wf);
	sc->caller = caller;
	sc->depth = caller ? caller->depth + 1 : 0;
	declare_stmts(S, sc, wf->body);
	bind_args(S, caller, sc, wf, args);
	place_stmts(S, sc, top, wf->body);
	expand_instances(S, sc);
	return sc;
}

static void expand_instances(sema *S, scope *sc)
{
	for (size_t i = 0; i < sc->order.n; i++) {
		sym *inst = sc->order.v[i];
		if (inst->kind != SYM_INST || !inst->home)
			continue;
		const ast_stmt *st = inst->stmt;
		sym *w = sema_lookup(S->globals, st->kindname.s);
		if (!w || w->kind != SYM_WORKFLOW) {
			if (!w)
				sema_unknown(S, S->globals, &st->kindname, "workflow");
			else
				owg_diag_error(S->diag, st->kindname.loc, "'%s' is a %s, not a workflow", w->name,
					       sym_what[w->kind]);
			continue;
		}
		w->used = true;
		bool cycle = false;
		for (scope *up = sc; up; up = up->caller)
			cycle |= up->wf == w->item;
		if (cycle || sc->depth >= 32) {
			owg_diag_error(S->diag, st->kindname.loc,
				       cycle ? "workflow '%s' uses itself (through this instance)"
					     : "sub-workflows nested more than 32 deep at '%s'",
				       w->name);
			continue;
		}
		inst->body = new_block(S, inst->home, true);
		const char *prefix = owg_arena_printf(S->arena, "%s%s.", sc->prefix, inst->name);
		inst->inst = expand(S, sc, w->item, prefix, inst->body, st->args);
	}
}

/* --- walk 3: emission --- */

static const char *const auto_names[] = {"entry", "if", "switch", "loop", "foreach", "exit"};

static const char *cb_name(sema *S, cbrec *cb)
{
	if (cb->stmt->label.s)
		return owg_arena_printf(S->arena, "%s%s", cb->sc->prefix, cb->stmt->label.s);
	for (;;) {
		char buf[32];
		snprintf(buf, sizeof buf, "%s%u", auto_names[cb->kind], cb->sc->counters[cb->kind]++);
		if (!owg_symtab_get(&cb->sc->names, buf))
			return owg_arena_printf(S->arena, "%s%s", cb->sc->prefix, buf);
	}
}

/* Iterative pre-order emission of the block tree (deep nesting must not
 * exhaust the C stack). */
typedef struct frame {
	block *b;
	size_t i;
	uint32_t region, arm;
} frame;

static void emit(sema *S, block *root)
{
	OWG_VEC(frame) stack = {0};
	frame f0 = {root, 0, 0, 0};
	OWG_VEC_PUSH(stack, f0);
	while (stack.n) {
		frame *f = &stack.v[stack.n - 1];
		if (f->i == f->b->members.n) {
			stack.n--;
			continue;
		}
		member m = f->b->members.v[f->i++];
		uint32_t region = f->region, arm = f->arm;
		if (m.dead)
			continue;
		if (m.kind == M_TASK) {
			const char *name = *m.s->sc->prefix ? owg_arena_printf(S->arena, "%s%s", m.s->sc->prefix, m.s->name)
							     : m.s->name; /* the main workflow's tasks */
			owg_node *n = owg_ir_add_tb(S->g, name, region, arm);
			n->loc = m.s->loc;
			m.s->node = n->id;
		} else if (m.kind == M_INST) {
			if (m.s->body) {
				frame nf = {m.s->body, 0, region, arm};
				OWG_VEC_PUSH(stack, nf);
			}
		} else {
			cbrec *cb = m.cb;
			owg_node *n = owg_ir_add_cb(S->g, cb->kind, cb_name(S, cb), region, arm);
			n->loc = cb->stmt->loc;
			cb->node = n->id;
			uint32_t ncases = cb->kind == OWG_CB_SWITCH ? cb->narms : 0;
			bool has_default = false;
			if (cb->kind == OWG_CB_SWITCH) {
				for (const ast_case *c = cb->stmt->cases; c; c = c->next)
					has_default |= c->is_default;
				ncases -= has_default;
			}
			owg_ir_set_arms(S->g, n, ncases, has_default);
			/* push arms in reverse so that arm 0 is emitted first; a switch's
			 * default is its last IR arm wherever it was written */
			uint32_t next_case = ncases;
			const ast_case *c = cb->kind == OWG_CB_SWITCH ? cb->stmt->cases : NULL;
			uint32_t *ir_arm = owg_arena_alloc(S->arena, cb->narms * sizeof *ir_arm);
			for (uint32_t a = 0, k = 0; a < cb->narms; a++, c = c ? c->next : NULL)
				ir_arm[a] = c && c->is_default ? next_case : c ? k++ : a;
			for (uint32_t a = cb->narms; a-- > 0;) {
				frame nf = {cb->arms[a], 0, cb->node, ir_arm[a]};
				OWG_VEC_PUSH(stack, nf);
			}
		}
	}
	OWG_VEC_FREE(stack);
}

/* --- control block details --- */

static bool const_bool(const owg_expr *x, bool *v)
{
	if (!x || x->kind != OWG_EX_BOOL)
		return false;
	*v = x->u.b;
	return true;
}

static void finish_branch(sema *S, cbrec *cb, owg_node *n)
{
	const ast_stmt *st = cb->stmt;
	if (st->cond)
		n->pred = sema_pred(S, cb->sc, st->cond, true);
	double p = sema_prob(S, cb->sc, st->prob);
	bool fixed;
	if (isnan(p) && !st->prob && const_bool(n->pred, &fixed))
		p = fixed; /* a constant condition decides by itself */
	if (!isnan(p)) {
		n->arms[0].prob = p;
		n->arms[1].prob = 1 - p;
	}
}

static void finish_switch(sema *S, cbrec *cb, owg_node *n)
{
	const ast_stmt *st = cb->stmt;
	if (st->cond)
		n->pred = sema_pred(S, cb->sc, st->cond, false);
	uint32_t ncases = n->narms - (n->narms && n->arms[n->narms - 1].kind == OWG_ARM_DEFAULT);
	uint32_t k = 0, declared = 0, ndefault = 0;
	double sum = 0;
	owg_symtab seen = {0};
	for (const ast_case *c = st->cases; c; c = c->next) {
		owg_arm *arm;
		if (c->is_default) {
			if (ndefault++) {
				owg_diag_error(S->diag, c->loc, "switch '%s' has more than one default", n->name);
				continue;
			}
			arm = &n->arms[ncases];
		} else {
			arm = &n->arms[k];
			if (st->cond && !c->value) {
				owg_diag_error(S->diag, c->loc, "this case needs a value: the switch selects on '%s'",
					       "its selector");
			} else if (!st->cond && c->value) {
				owg_diag_error(S->diag, c->value->loc,
					       "a switch without a selector chooses by probability only; write "
					       "'case p 0.5 { ... }'");
			} else if (c->value) {
				value v = sema_eval(S, cb->sc, c->value);
				if (v.ok && v.dim != OWG_DIM_NONE)
					owg_diag_error(S->diag, c->value->loc, "a case value is a plain number, not %s",
						       owg_dim_name(v.dim));
				else if (v.ok) {
					arm->value = v.num;
					char *key = owg_arena_printf(S->arena, "%.17g", v.num);
					const ast_case *had = owg_symtab_put(&seen, key, (void *)c);
					if (had != c) {
						owg_diag_error(S->diag, c->value->loc, "duplicate case value %g", v.num);
						owg_diag_note(S->diag, had->loc, "first used here");
					}
				}
			} else {
				arm->value = k;
			}
			k++;
		}
		arm->prob = sema_prob(S, cb->sc, c->prob);
		if (!isnan(arm->prob)) {
			declared++;
			sum += arm->prob;
		} else if (!st->cond && !c->prob) {
			owg_diag_error(S->diag, c->loc,
				       "a switch without a selector needs a probability on every case ('p 0.5')");
		}
	}
	owg_symtab_free(&seen);
	if (!st->cases)
		owg_diag_error(S->diag, st->loc, "switch '%s' has no cases", n->name);
	if (declared == n->narms && n->narms && fabs(sum - 1) > 1e-9)
		owg_diag_error(S->diag, st->loc, "the probabilities of switch '%s' add up to %g, not 1", n->name,
			       sum);
	else if (declared < n->narms && sum > 1 + 1e-9)
		owg_diag_error(S->diag, st->loc,
			       "the probabilities of switch '%s' already add up to %g before the cases without one",
			       n->name, sum);
}

static uint32_t whole(sema *S, scope *sc, const ast_expr *e, const char *what, uint32_t max)
{
	value v = sema_eval(S, sc, e);
	if (!v.ok)
		return 0;
	if (v.dim != OWG_DIM_NONE || v.num != floor(v.num) || v.num < 1 || v.num > max) {
		owg_diag_error(S->diag, e->loc, "%s must be a whole number from 1 to %u", what, max);
		return 0;
	}
	return (uint32_t)v.num;
}

static void finish_loop(sema *S, cbrec *cb, owg_node *n)
{
	const ast_stmt *st = cb->stmt;
	if (!st->is_while) {
		n->loop_kind = OWG_LOOP_COUNT;
		sema_dist(S, cb->sc, st->cond, OWG_DIM_NONE, "the trip count", &n->count);
		return;
	}
	n->loop_kind = OWG_LOOP_WHILE;
	n->pred = sema_pred(S, cb->sc, st->cond, true);
	n->arms[1].prob = sema_prob(S, cb->sc, st->prob);
	if (st->max)
		n->max_trips = whole(S, cb->sc, st->max, "'max'", OWG_MAX_COUNT);
	bool always;
	if (!st->max && ((const_bool(n->pred, &always) && always) || n->arms[1].prob == 1)) {
		owg_diag_error(S->diag, st->loc, "loop '%s' never ends: %s and it has no 'max'", n->name,
			       n->arms[1].prob == 1 ? "it repeats with probability 1" : "its condition is always true");
		owg_diag_note(S->diag, st->cond->loc, "add 'max N' after the condition to bound it");
	} else if (!st->prob && const_bool(n->pred, &always)) {
		n->arms[1].prob = always; /* a constant condition decides by itself */
	}
}

static void finish_fork(sema *S, cbrec *cb, owg_node *n)
{
	const ast_stmt *st = cb->stmt;
	const ast_expr *src = st->cond;
	n->count_node = OWG_NONE;
	bool output = false;
	if (src->kind == AST_PATH) {
		sym *s = sema_lookup(cb->sc, src->parts[0].s);
		output = !s || (s->kind != SYM_CONST && s->kind != SYM_PARAM);
	}
	if (!output) {
		if (st->count) {
			owg_diag_error(S->diag, st->count->loc,
				       "'~' gives the count model of a task output; here the count is already given");
			return;
		}
		sema_dist(S, cb->sc, src, OWG_DIM_NONE, "the number of items", &n->count);
		return;
	}
	sym *t;
	uint32_t o;
	if (!sema_output(S, cb->sc, src, &t, &o))
		return;
	const ast_out *out = t->stmt->outs;
	for (uint32_t i = 0; i < o; i++)
		out = out->next;
	if (!strcmp(out->type.s, "bool"))
		owg_diag_error(S->diag, src->loc, "foreach needs a number of items; '%s' is a truth value",
			       out->name.s);
	n->count_node = t->node;
	n->count_out = o;
	if (!st->count) {
		owg_diag_error(S->diag, src->loc,
			       "foreach over a task output needs a count model: add '~ mean(2.5)' with the "
			       "average number of items");
		return;
	}
	sema_dist(S, cb->sc, st->count, OWG_DIM_NONE, "the number of items", &n->count);
}

static void finish_exit(sema *S, cbrec *cb, owg_node *n)
{
	const ast_stmt *st = cb->stmt;
	if (st->cond)
		n->pred = sema_pred(S, cb->sc, st->cond, true);
	double p = st->cond || st->prob ? sema_prob(S, cb->sc, st->prob) : 1.0;
	bool fixed;
	if (isnan(p) && !st->prob && const_bool(n->pred, &fixed))
		p = fixed; /* a constant condition decides by itself */
	if (!isnan(p)) {
		n->arms[0].prob = p;
		n->arms[1].prob = 1 - p;
	}
}

static void finish_cb(sema *S, cbrec *cb)
{
	if (cb->node == OWG_NONE)
		return;
	owg_node *n = &S->g->nodes.v[cb->node];
	switch (cb->kind) {
	case OWG_CB_BRANCH: finish_branch(S, cb, n); break;
	case OWG_CB_SWITCH: finish_switch(S, cb, n); break;
	case OWG_CB_LOOP: finish_loop(S, cb, n); break;
	case OWG_CB_FORK: finish_fork(S, cb, n); break;
	case OWG_CB_EXIT: finish_exit(S, cb, n); break;
	case OWG_CB_ENTRY: break;
	}
}

/* --- tasks --- */

static const char *const prop_names[] = {"peas", "time", "kernel", "config"};
static const char *const type_names[] = {"i64", "f64", "bool"};

static void finish_task(sema *S, sym *s)
{
	const ast_stmt *st = s->stmt;
	owg_node *n = &S->g->nodes.v[s->node];
	scope *sc = s->sc;
	if (!strcmp(st->kindname.s, "ai"))
		n->tb_kind = OWG_TB_AI;
	else if (!strcmp(st->kindname.s, "general"))
		n->tb_kind = OWG_TB_GENERAL;
	else {
		static const char *const kinds[] = {"ai", "general"};
		const char *hint = owg_suggest(st->kindname.s, kinds, 2);
		owg_diag_error(S->diag, st->kindname.loc, "unknown task kind '%s'; %s%s%s", st->kindname.s,
			       hint ? "did you mean '" : "a task is 'ai' or 'general'", hint ? hint : "",
			       hint ? "'?" : "");
	}
	n->peas = 1;
	const ast_prop *seen[4] = {0};
	for (const ast_prop *p = st->props; p; p = p->next) {
		size_t k = 0;
		while (k < 4 && strcmp(p->name.s, prop_names[k]))
			k++;
		if (k == 4) {
			const char *hint = owg_suggest(p->name.s, prop_names, 4);
			owg_diag_error(S->diag, p->name.loc, "unknown task property '%s'%s%s%s", p->name.s,
				       hint ? "; did you mean '" : " (a task has peas, time, kernel, config and out)",
				       hint ? hint : "", hint ? "'?" : "");
			continue;
		}
		if (seen[k]) {
			owg_diag_error(S->diag, p->name.loc, "'%s' given twice for task '%s'", p->name.s, s->name);
			owg_diag_note(S->diag, seen[k]->name.loc, "first given here");
			continue;
		}
		seen[k] = p;
		value v;
		switch (k) {
		case 0:
			v = sema_eval(S, sc, p->value);
			if (v.ok && (v.dim != OWG_DIM_NONE || v.num != floor(v.num) || v.num < 1 || v.num > 1 << 20))
				owg_diag_error(S->diag, p->value->loc,
					       "'peas' is the number of PEAs a task needs: a whole number from 1 to %d",
					       1 << 20);
			else if (v.ok)
				n->peas = (uint32_t)v.num;
			break;
		case 1:
			sema_dist(S, sc, p->value, OWG_DIM_TIME, "the execution time", &n->time);
			break;
		case 2:
			v = sema_eval(S, sc, p->value);
			if (v.ok && (v.dim != OWG_DIM_STRING || !owg_c_identifier(v.str)))
				owg_diag_error(S->diag, p->value->loc,
					       "'kernel' names a C function: a string such as \"detect_faces\"");
			else if (v.ok)
				n->kernel = owg_arena_strdup(S->arena, v.str); /* the graph outlives the syntax tree */
			break;
		case 3:
			v = sema_eval(S, sc, p->value);
			if (v.ok && (v.dim != OWG_DIM_SIZE || v.num < 0))
				owg_diag_error(S->diag, p->value->loc,
					       "'config' is the configuration size: a size such as 64KiB");
			else if (v.ok)
				n->config_bytes = v.num;
			break;
		}
	}
	if (!seen[1]) {
		owg_diag_error(S->diag, s->loc, "task '%s' has no execution time", s->name);
		owg_diag_note(S->diag, s->loc, "add one, e.g. 'time 1ms;' or 'time normal(3ms, 1ms);'");
	}
	uint32_t nouts = 0;
	for (const ast_out *o = st->outs; o; o = o->next)
		nouts++;
	n->outs = owg_arena_alloc(S->arena, nouts * sizeof *n->outs);
	for (const ast_out *o = st->outs; o; o = o->next) {
		owg_out *out = &n->outs[n->nouts];
		out->name = owg_arena_strdup(S->arena, o->name.s);
		size_t k = 0;
		while (k < 3 && strcmp(o->type.s, type_names[k]))
			k++;
		if (k == 3) {
			const char *hint = owg_suggest(o->type.s, type_names, 3);
			owg_diag_error(S->diag, o->type.loc, "unknown type '%s'; %s%s%s", o->type.s,
				       hint ? "did you mean '" : "outputs are i64, f64 or bool", hint ? hint : "",
				       hint ? "'?" : "");
			k = 0;
		}
		out->type = (owg_type)k;
		for (uint32_t j = 0; j < n->nouts; j++)
			if (!strcmp(n->outs[j].name, out->name)) {
				owg_diag_error(S->diag, o->name.loc, "output '%s' declared twice", out->name);
				break;
			}
		n->nouts++;
	}
}

/* --- flows --- */

static void finish_flows(sema *S, scope *sc, owg_u64map *pairs)
{
	for (size_t i = 0; i < sc->flows.n; i++) {
		const ast_stmt *st = sc->flows.v[i];
		double bytes = 0;
		if (st->value) {
			value v = sema_eval(S, sc, st->value);
			if (v.ok && v.dim != OWG_DIM_SIZE) {
				if (v.dim == OWG_DIM_NONE)
					owg_diag_error(S->diag, st->value->loc,
						       "a flow size needs a unit: write '%gKiB' or '%gB'", v.num, v.num);
				else
					owg_diag_error(S->diag, st->value->loc, "a flow size must be a size, not %s",
						       owg_dim_name(v.dim));
			} else if (v.ok && v.num < 0) {
				owg_diag_error(S->diag, st->value->loc, "a flow size must not be negative");
			} else if (v.ok) {
				bytes = v.num;
			}
		} else {
			owg_diag_warning(S->diag, OWG_W_UNSIZED_FLOW, st->loc,
					 "flow has no size; it orders the tasks but carries no data "
					 "(add ': 64KiB' to say how much it carries)");
		}
		sym *prev = NULL;
		for (const ast_expr *p = st->endpoints; p; p = p->next) {
			sym *t = sema_task(S, sc, p, "a flow");
			if (t && t->node == OWG_NONE)
				t = NULL; /* part of an instance that failed */
			if (prev && t) {
				if (prev == t) {
					owg_diag_error(S->diag, p->loc, "task '%s' flows into itself", t->name);
				} else {
					uint64_t key = (uint64_t)prev->node << 32 | t->node; /* never 0: node 0 is the entry */
					const ast_stmt *had = owg_u64map_put(pairs, key, (void *)st);
					if (had != st) {
						owg_diag_error(S->diag, p->loc, "flow from '%s' to '%s' declared twice",
							       prev->name, t->name);
						owg_diag_note(S->diag, had->loc, "first declared here");
					} else {
						owg_ir_add_flow(S->g, prev->node, t->node, bytes);
						owg_loc at = {p->loc.file, st->loc.begin, p->loc.end};
						OWG_VEC_PUSH(S->flow_locs, at);
					}
				}
			}
			prev = t;
		}
	}
}

/* --- whole-graph checks --- */

/* Kahn's algorithm; if some nodes remain, walk from one of them along
 * remaining flows until a node repeats: that is a cycle to report. */
static void check_cycles(sema *S)
{
	owg_graph *g = S->g;
	size_t nn = g->nodes.n, nf = g->flows.n;
	uint32_t *indeg = owg_xcalloc(nn, sizeof *indeg), *first = owg_xmalloc((nn + 1) * sizeof *first);
	uint32_t *adj = owg_xmalloc((nf ? nf : 1) * sizeof *adj), *queue = owg_xmalloc(nn * sizeof *queue);
	memset(first, 0, (nn + 1) * sizeof *first);
	for (size_t i = 0; i < nf; i++) {
		first[g->flows.v[i].src + 1]++;
		indeg[g->flows.v[i].dst]++;
	}
	for (size_t i = 0; i < nn; i++)
		first[i + 1] += first[i];
	uint32_t *fill = owg_xmalloc((nn + 1) * sizeof *fill);
	memcpy(fill, first, (nn + 1) * sizeof *fill);
	for (size_t i = 0; i < nf; i++)
		adj[fill[g->flows.v[i].src]++] = (uint32_t)i;
	size_t qh = 0, qt = 0;
	for (size_t i = 0; i < nn; i++)
		if (!indeg[i])
			queue[qt++] = (uint32_t)i;
	while (qh < qt) {
		uint32_t u = queue[qh++];
		for (uint32_t k = first[u]; k < first[u + 1]; k++)
			if (!--indeg[g->flows.v[adj[k]].dst])
				queue[qt++] = g->flows.v[adj[k]].dst;
	}
	if (qt < nn) {
		uint32_t u = 0;
		while (!indeg[u])
			u++;
		/* follow remaining flows; mark the step at which each node was seen */
		uint32_t *seen = owg_xcalloc(nn, sizeof *seen), *via = owg_xmalloc(nn * sizeof *via);
		uint32_t step = 1;
		while (!seen[u]) {
			seen[u] = step++;
			for (uint32_t k = first[u]; k < first[u + 1]; k++) {
				uint32_t v = g->flows.v[adj[k]].dst;
				if (indeg[v]) {
					via[u] = adj[k];
					u = v;
					break;
				}
			}
		}
		owg_diag_error(S->diag, S->flow_locs.v[via[u]], "data flows form a cycle through '%s'",
			       g->nodes.v[u].name);
		uint32_t v = u;
		do {
			const owg_flow *f = &g->flows.v[via[v]];
			owg_diag_note(S->diag, S->flow_locs.v[via[v]], "'%s' flows into '%s' here",
				      g->nodes.v[f->src].name, g->nodes.v[f->dst].name);
			v = f->dst;
		} while (v != u);
		free(seen);
		free(via);
	}
	free(indeg);
	free(first);
	free(fill);
	free(adj);
	free(queue);
}

/* emit() numbers nodes in pre-order, so everything a control block governs
 * (directly or through nested blocks) is the id range (cb, end[cb]]. */
static bool governs(const uint32_t *end, uint32_t cb, uint32_t n)
{
	return n > cb && n <= end[cb];
}

static bool reads_governed(const uint32_t *end, const owg_node *cb, const owg_expr *x, uint32_t *bad)
{
	if (!x)
		return false;
	switch (x->kind) {
	case OWG_EX_OUT:
		*bad = x->u.ref.node;
		return governs(end, cb->id, x->u.ref.node);
	case OWG_EX_UNARY:
		return reads_governed(end, cb, x->u.sub.l, bad);
	case OWG_EX_BINARY:
		return reads_governed(end, cb, x->u.sub.l, bad) || reads_governed(end, cb, x->u.sub.r, bad);
	default:
		return false;
	}
}

static void check_control(sema *S)
{
	const owg_graph *g = S->g;
	uint32_t *end = owg_xmalloc((g->nodes.n + 1) * sizeof *end);
	for (size_t i = 0; i < g->nodes.n; i++)
		end[i] = (uint32_t)i;
	for (size_t i = g->nodes.n; i-- > 0;) {
		uint32_t r = g->nodes.v[i].region;
		if (r != OWG_NONE && end[r] < end[i])
			end[r] = end[i];
	}
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_CB || (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE))
			continue;
		uint32_t bad = OWG_NONE;
		bool r = reads_governed(end, n, n->pred, &bad);
		if (!r && n->cb_kind == OWG_CB_FORK && n->count_node != OWG_NONE && governs(end, n->id, n->count_node)) {
			r = true;
			bad = n->count_node;
		}
		if (r) {
			owg_diag_error(S->diag, n->loc, "'%s' decides whether '%s' runs, so it cannot read its output",
				       n->name, g->nodes.v[bad].name);
			owg_diag_note(S->diag, g->nodes.v[bad].loc,
				      "'%s' runs inside '%s' because of its first use; use it before '%s' to run it first",
				      g->nodes.v[bad].name, n->name, n->name);
		}
	}
	free(end);
}

/* Arms that can never be taken, and the tasks inside them. */
static bool arm_dead(const owg_node *cb, uint32_t arm)
{
	const owg_arm *a = &cb->arms[arm];
	if (a->prob == 0)
		return true;
	bool v;
	switch (cb->cb_kind) {
	case OWG_CB_BRANCH:
		return const_bool(cb->pred, &v) && v != (arm == 0);
	case OWG_CB_EXIT:
		return const_bool(cb->pred, &v) && v != (arm == 0);
	case OWG_CB_LOOP:
	case OWG_CB_FORK:
		return cb->count.kind == OWG_DIST_CONST && cb->count.a == 0 &&
		       (cb->cb_kind == OWG_CB_FORK || cb->loop_kind == OWG_LOOP_COUNT);
	default:
		return false;
	}
}

static void check_unreachable(sema *S)
{
	const owg_graph *g = S->g;
	size_t nn = g->nodes.n;
	uint32_t *why = owg_xmalloc(nn * sizeof *why); /* the CB that makes it dead, or NONE */
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		why[i] = OWG_NONE;
		if (n->region == OWG_NONE)
			continue;
		/* regions come before their members, so why[region] is known */
		if (why[n->region] != OWG_NONE)
			why[i] = why[n->region];
		else if (arm_dead(&g->nodes.v[n->region], n->arm))
			why[i] = n->region;
		if (n->kind == OWG_NODE_TB && why[i] != OWG_NONE &&
		    owg_diag_warning(S->diag, OWG_W_UNREACHABLE, n->loc, "task '%s' can never run", n->name))
			owg_diag_note(S->diag, g->nodes.v[why[i]].loc, "because '%s' never gets there",
				      g->nodes.v[why[i]].name);
	}
	free(why);
}

static void check_unused(sema *S)
{
	for (size_t k = 0; k < S->scopes.n; k++) {
		scope *sc = S->scopes.v[k];
		bool first = sc->wf != NULL;
		for (size_t j = 0; j < k && first; j++)
			first = S->scopes.v[j]->wf != sc->wf; /* report a workflow used twice once */
		if (!first)
			continue;
		for (size_t i = 0; i < sc->order.n; i++) {
			sym *s = sc->order.v[i];
			if (s->kind == SYM_PARAM && !*s->param_used)
				owg_diag_warning(S->diag, OWG_W_UNUSED_PARAM, s->loc, "parameter '%s' is never used",
						 s->name);
			if (s->kind != SYM_TASK || s->node == OWG_NONE)
				continue;
			uint32_t j = 0;
			for (const ast_out *o = s->stmt->outs; o; o = o->next, j++)
				if (!s->out_used[j])
					owg_diag_warning(S->diag, OWG_W_UNUSED_OUTPUT, o->name.loc,
							 "output '%s' of task '%s' is never read", o->name.s, s->name);
		}
	}
	const owg_graph *g = S->g;
	bool *touched = owg_xcalloc(g->nodes.n ? g->nodes.n : 1, 1);
	for (size_t i = 0; i < g->flows.n; i++)
		touched[g->flows.v[i].src] = touched[g->flows.v[i].dst] = true;
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB && !touched[i])
			owg_diag_warning(S->diag, OWG_W_UNUSED_TASK, g->nodes.v[i].loc,
					 "task '%s' has no flows in or out", g->nodes.v[i].name);
	free(touched);
}

/* --- fabrics --- */

static const char *const level_names[] = {"pea", "cluster", "chiplet", "package"};
static const char *const fab_props[] = {"cluster", "chiplet", "package", "wafer", "hop",
					"reconfig", "control", "defect"};
enum { NFABPROPS = sizeof fab_props / sizeof *fab_props };

static bool fab_quantity(sema *S, const ast_expr *e, owg_dim want, const char *what, double *out)
{
	if (e->kind != AST_NUM || e->dim != want || e->num < 0) {
		owg_diag_error(S->diag, e->loc, "%s must be %s%s", what, owg_dim_name(want),
			       want == OWG_DIM_TIME ? " such as 2ns" : want == OWG_DIM_RATE ? " such as 32GiB/s" : "");
		return false;
	}
	*out = e->num;
	return true;
}

static void lower_fabric(sema *S, const ast_item *it)
{
	owg_fabric f = {0};
	f.name = owg_arena_strdup(S->arena, it->name.s); /* the syntax tree may die first */
	f.loc = it->loc;
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		f.grid_w[l] = f.grid_h[l] = 1;
		f.hop_latency[l] = 1e-9 * (1 << (2 * l));
		f.link_bandwidth[l] = 64.0 * (1u << 30) / (1 << l);
	}
	f.grid_w[OWG_FAB_CLUSTER] = f.grid_h[OWG_FAB_CLUSTER] = 4;
	f.reconfig_bandwidth = 8.0 * (1u << 30);
	f.control_latency = 20e-9;
	OWG_VEC(uint32_t) defects = {0};
	const ast_fabprop *grid_set[OWG_FAB_LEVELS] = {0};
	bool ok = true;
	for (const ast_fabprop *p = it->fab; p; p = p->next) {
		size_t k = 0;
		while (k < NFABPROPS && strcmp(p->name.s, fab_props[k]))
			k++;
		if (k == NFABPROPS) {
			const char *hint = owg_suggest(p->name.s, fab_props, NFABPROPS);
			owg_diag_error(S->diag, p->name.loc, "unknown fabric property '%s'%s%s%s", p->name.s,
				       hint ? "; did you mean '" : " (known: cluster, chiplet, package, wafer, hop, "
								   "reconfig, control, defect)",
				       hint ? hint : "", hint ? "'?" : "");
			ok = false;
			continue;
		}
		const ast_expr *a = p->args, *b = a ? a->next : NULL, *c = b ? b->next : NULL;
		if (k <= 3) { /* cluster/chiplet/package/wafer WxH */
			if (p->nargs != 1 || a->kind != AST_CALL) {
				owg_diag_error(S->diag, p->loc, "'%s' takes a grid such as '4x4'", p->name.s);
				ok = false;
				continue;
			}
			int level = k == 0 ? OWG_FAB_CLUSTER : k == 1 ? OWG_FAB_CHIPLET : OWG_FAB_PACKAGE;
			if (grid_set[level]) {
				owg_diag_error(S->diag, p->name.loc, "the %s grid of fabric '%s' is given twice",
					       level == OWG_FAB_PACKAGE ? "chiplet ('package' or 'wafer')"
					       : level == OWG_FAB_CHIPLET ? "cluster ('chiplet')" : "PEA ('cluster')",
					       f.name);
				owg_diag_note(S->diag, grid_set[level]->name.loc, "first given here");
				ok = false;
				continue;
			}
			grid_set[level] = p;
			f.grid_w[level] = (uint32_t)a->args->num;
			f.grid_h[level] = (uint32_t)a->args->next->num;
		} else if (k == 4) { /* hop LEVEL latency bandwidth */
			size_t l = 0;
			if (p->nargs != 3 || a->kind != AST_PATH) {
				owg_diag_error(S->diag, p->loc, "'hop' takes a level, a latency and a bandwidth: "
					       "'hop cluster 2ns 32GiB/s'");
				ok = false;
				continue;
			}
			while (l < OWG_FAB_LEVELS && strcmp(a->parts[0].s, level_names[l]))
				l++;
			if (l == OWG_FAB_LEVELS) {
				const char *hint = owg_suggest(a->parts[0].s, level_names, OWG_FAB_LEVELS);
				owg_diag_error(S->diag, a->loc, "unknown level '%s'%s%s%s", a->parts[0].s,
					       hint ? "; did you mean '" : " (levels: pea, cluster, chiplet, package)",
					       hint ? hint : "", hint ? "'?" : "");
				ok = false;
				continue;
			}
			ok &= fab_quantity(S, b, OWG_DIM_TIME, "a hop latency", &f.hop_latency[l]);
			ok &= fab_quantity(S, c, OWG_DIM_RATE, "a link bandwidth", &f.link_bandwidth[l]);
			if (ok && f.link_bandwidth[l] <= 0) {
				owg_diag_error(S->diag, c->loc, "a link bandwidth must be positive");
				ok = false;
			}
		} else if (k == 5 || k == 6) {
			if (p->nargs != 1) {
				owg_diag_error(S->diag, p->loc, "'%s' takes one value", p->name.s);
				ok = false;
			} else if (k == 5) {
				ok &= fab_quantity(S, a, OWG_DIM_RATE, "the reconfiguration bandwidth",
						   &f.reconfig_bandwidth);
				if (ok && f.reconfig_bandwidth <= 0) {
					owg_diag_error(S->diag, a->loc, "the reconfiguration bandwidth must be positive");
					ok = false;
				}
			} else {
				ok &= fab_quantity(S, a, OWG_DIM_TIME, "the control-plane latency", &f.control_latency);
			}
		} else { /* defect X, Y */
			if (p->nargs != 2 || a->kind != AST_NUM || b->kind != AST_NUM || a->dim || b->dim ||
			    a->num < 0 || b->num < 0 || a->num != floor(a->num) || b->num != floor(b->num) ||
			    a->num > 1e9 || b->num > 1e9) {
				owg_diag_error(S->diag, p->loc, "'defect' takes the x and y of a PEA: 'defect 3, 7'");
				ok = false;
				continue;
			}
			OWG_VEC_PUSH(defects, (uint32_t)a->num);
			OWG_VEC_PUSH(defects, (uint32_t)b->num);
		}
	}
	uint64_t w = 1, h = 1;
	for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++) {
		w *= f.grid_w[l];
		h *= f.grid_h[l];
	}
	if (w * h > (1u << 28)) {
		owg_diag_error(S->diag, it->loc, "fabric '%s' has %llu PEAs; at most %u are supported", f.name,
			       (unsigned long long)(w * h), 1u << 28);
		ok = false;
	}
	f.ndefects = (uint32_t)(defects.n / 2);
	f.defects = owg_arena_alloc(S->arena, (f.ndefects ? f.ndefects : 1) * sizeof *f.defects);
	for (uint32_t i = 0; i < f.ndefects; i++) {
		f.defects[i][0] = defects.v[2 * i];
		f.defects[i][1] = defects.v[2 * i + 1];
		if (f.defects[i][0] >= w || f.defects[i][1] >= h) {
			owg_diag_error(S->diag, it->loc, "fabric '%s': defect (%u, %u) lies outside its %llux%llu PEAs",
				       f.name, f.defects[i][0], f.defects[i][1], (unsigned long long)w,
				       (unsigned long long)h);
			ok = false;
		}
	}
	OWG_VEC_FREE(defects);
	if (ok)
		OWG_VEC_PUSH(S->g->fabrics, f);
}

/* --- entry point --- */

static void declare_globals(sema *S, ast_file *const *files, size_t nfiles)
{
	for (size_t i = 0; i < nfiles; i++) {
		for (const ast_item *it = files[i]->items; it; it = it->next) {
			sym *s;
			switch (it->kind) {
			case AST_ITEM_CONST:
				if ((s = declare(S, S->globals, SYM_CONST, &it->name))) {
					s->expr = it->value;
					s->item = it;
					s->used = true;
				}
				break;
			case AST_ITEM_WORKFLOW:
				if ((s = declare(S, S->globals, SYM_WORKFLOW, &it->name)))
					s->item = it;
				break;
			case AST_ITEM_FABRIC:
				if ((s = declare(S, S->globals, SYM_FABRIC, &it->name)))
					s->item = it;
				break;
			case AST_ITEM_IMPORT:
				break;
			}
		}
	}
}

/* Marks the workflows that some workflow uses (they are not main candidates). */
static const ast_item *pick_main(sema *S, ast_file *const *files, size_t nfiles)
{
	const owg_sema_opts *o = S->opts;
	if (o->workflow) {
		sym *w = owg_symtab_get(&S->globals->names, o->workflow);
		if (w && w->kind == SYM_WORKFLOW)
			return w->item;
		ast_name n = {o->workflow, OWG_LOC_NONE};
		const char *names[1024];
		size_t k = 0;
		for (size_t i = 0; i < nfiles; i++)
			for (const ast_item *it = files[i]->items; it && k < 1024; it = it->next)
				if (it->kind == AST_ITEM_WORKFLOW)
					names[k++] = it->name.s;
		const char *hint = owg_suggest(n.s, names, k);
		owg_diag_fatal(S->diag, "no workflow named '%s'%s%s%s", o->workflow, hint ? "; did you mean '" : "",
			       hint ? hint : "", hint ? "'?" : "");
		return NULL;
	}
	/* the main workflow is the one of the first file that no other uses */
	for (size_t i = 0; i < nfiles; i++)
		for (const ast_use_ref *u = files[i]->uses; u; u = u->next) {
			sym *w = owg_symtab_get(&S->globals->names, u->stmt->kindname.s);
			if (w)
				w->used = true;
		}
	const ast_item *found = NULL;
	unsigned n = 0;
	for (const ast_item *it = files[0]->items; it; it = it->next) {
		sym *w = it->kind == AST_ITEM_WORKFLOW ? owg_symtab_get(&S->globals->names, it->name.s) : NULL;
		if (w && w->item == it && !w->used) {
			if (n++ == 0)
				found = it;
		}
	}
	if (n == 1)
		return found;
	if (n == 0) {
		owg_diag_fatal(S->diag, "%s defines no workflow to compile (one that no other workflow uses)",
			       "the input");
		return NULL;
	}
	owg_diag_fatal(S->diag, "the input defines %u workflows that could be the main one; choose with "
		       "--workflow=NAME", n);
	for (const ast_item *it = files[0]->items; it; it = it->next) {
		sym *w = it->kind == AST_ITEM_WORKFLOW ? owg_symtab_get(&S->globals->names, it->name.s) : NULL;
		if (w && w->item == it && !w->used)
			owg_diag_note(S->diag, it->name.loc, "candidate '%s'", it->name.s);
	}
	return NULL;
}

static void apply_overrides(sema *S, scope *sc)
{
	for (size_t i = 0; i < S->opts->noverrides; i++) {
		const owg_override *o = &S->opts->overrides[i];
		sym *p = owg_symtab_get(&sc->names, o->name);
		if (!p || p->kind != SYM_PARAM) {
			const char *names[256];
			size_t n = 0;
			for (size_t j = 0; j < sc->order.n && n < 256; j++)
				if (sc->order.v[j]->kind == SYM_PARAM)
					names[n++] = sc->order.v[j]->name;
			const char *hint = owg_suggest(o->name, names, n);
			owg_diag_error(S->diag, o->loc, "-D %s: workflow '%s' has no parameter '%s'%s%s%s", o->name,
				       sc->wf->name.s, o->name, hint ? "; did you mean '" : "", hint ? hint : "",
				       hint ? "'?" : "");
			continue;
		}
		p->arg = o->value;
		p->arg_scope = S->globals;
	}
}

static void free_sema(sema *S)
{
	for (size_t i = 0; i < S->scopes.n; i++) {
		scope *sc = S->scopes.v[i];
		owg_symtab_free(&sc->names);
		OWG_VEC_FREE(sc->order);
		OWG_VEC_FREE(sc->cbs);
		OWG_VEC_FREE(sc->flows);
		free(sc);
	}
	OWG_VEC_FREE(S->scopes);
	for (size_t i = 0; i < S->blocks.n; i++) {
		OWG_VEC_FREE(S->blocks.v[i]->members);
		free(S->blocks.v[i]);
	}
	OWG_VEC_FREE(S->blocks);
	OWG_VEC_FREE(S->flow_locs);
	owg_u64map_free(&S->usage);
}

/* Instantiates wf into g; used for the main workflow and, to check them,
 * for the other workflows of the main file that nothing uses. */
static void lower_workflow(sema *S, const ast_item *wf, bool main)
{
	owg_node *entry = owg_ir_add_cb(S->g, OWG_CB_ENTRY, "entry", OWG_NONE, 0);
	owg_ir_set_arms(S->g, entry, 0, false);
	entry->loc = wf->loc;
	block *root = new_block(S, NULL, true);
	scope *sc = new_scope(S, S->globals, "", wf);
	declare_stmts(S, sc, wf->body);
	if (main)
		apply_overrides(S, sc);
	place_stmts(S, sc, root, wf->body);
	expand_instances(S, sc);
	if (owg_diag_capped(S->diag))
		return;
	emit(S, root);
	/* every node has its id now: fill in the details */
	for (size_t k = 0; k < S->scopes.n; k++) {
		scope *s = S->scopes.v[k];
		for (size_t i = 0; i < s->order.n; i++)
			if (s->order.v[i]->kind == SYM_TASK && s->order.v[i]->node != OWG_NONE)
				finish_task(S, s->order.v[i]);
	}
	/* predicates need the output types of every task */
	for (size_t k = 0; k < S->scopes.n; k++)
		for (size_t i = 0; i < S->scopes.v[k]->cbs.n; i++)
			finish_cb(S, S->scopes.v[k]->cbs.v[i]);
	owg_u64map pairs = {0};
	for (size_t k = 0; k < S->scopes.n; k++)
		finish_flows(S, S->scopes.v[k], &pairs);
	owg_u64map_free(&pairs);
	check_cycles(S);
	check_control(S);
	check_unreachable(S);
	check_unused(S);
}

owg_graph *owg_sema_lower(owg_diag *diag, ast_file *const *files, size_t nfiles, const owg_sema_opts *opts)
{
	unsigned errors0 = owg_diag_errors(diag);
	sema S = {0};
	S.diag = diag;
	S.opts = opts;
	owg_graph *scratch = owg_ir_new("");
	S.g = scratch;
	S.arena = &scratch->arena;
	S.globals = new_scope(&S, NULL, "", NULL);
	declare_globals(&S, files, nfiles);
	const ast_item *main_wf = pick_main(&S, files, nfiles);
	owg_graph *g = NULL;
	if (main_wf) {
		g = owg_ir_new(main_wf->name.s);
		S.g = g;
		S.arena = &g->arena;
		lower_workflow(&S, main_wf, true);
		for (size_t i = 0; i < nfiles; i++)
			for (const ast_item *it = files[i]->items; it; it = it->next)
				if (it->kind == AST_ITEM_FABRIC)
					lower_fabric(&S, it);
	}
	/* other workflows of the main file that nothing uses: check them too */
	for (const ast_item *it = files[0]->items; it && !owg_diag_capped(diag); it = it->next) {
		sym *w = it->kind == AST_ITEM_WORKFLOW ? owg_symtab_get(&S.globals->names, it->name.s) : NULL;
		if (!w || w->item != it || w->used || it == main_wf || !main_wf)
			continue;
		sema T = S;
		T.g = owg_ir_new(it->name.s);
		T.arena = &T.g->arena;
		memset(&T.scopes, 0, sizeof T.scopes);
		memset(&T.blocks, 0, sizeof T.blocks);
		memset(&T.flow_locs, 0, sizeof T.flow_locs);
		memset(&T.usage, 0, sizeof T.usage);
		lower_workflow(&T, it, false);
		free_sema(&T);
		owg_ir_free(T.g);
	}
	free_sema(&S);
	owg_ir_free(scratch);
	if (g && owg_diag_errors(diag) != errors0) {
		owg_ir_free(g);
		g = NULL;
	}
	return g;
}

bool owg_sema_lower_fabrics(owg_diag *diag, ast_file *const *files, size_t nfiles, owg_arena *a,
			    owg_fabric **out, size_t *n)
{
	unsigned errors0 = owg_diag_errors(diag);
	sema S = {0};
	S.diag = diag;
	owg_graph *scratch = owg_ir_new("");
	S.g = scratch;
	S.arena = &scratch->arena;
	S.globals = new_scope(&S, NULL, "", NULL);
	declare_globals(&S, files, nfiles); /* reports fabrics defined twice */
	S.arena = a;                        /* the defect tables outlive the scratch graph */
	for (size_t i = 0; i < nfiles; i++)
		for (const ast_item *it = files[i]->items; it; it = it->next)
			if (it->kind == AST_ITEM_FABRIC)
				lower_fabric(&S, it);
	*n = scratch->fabrics.n;
	*out = owg_arena_alloc(a, (*n ? *n : 1) * sizeof **out);
	if (*n)
		memcpy(*out, scratch->fabrics.v, *n * sizeof **out);
	free_sema(&S);
	owg_ir_free(scratch);
	return owg_diag_errors(diag) == errors0;
}
