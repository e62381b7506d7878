#include "config.h"

/* pass_branch_freq.c - how often everything runs.
 *
 * 1. Per control block, what one execution does: the probability of each
 *    arm (branch, switch, exit), of repeating (while loop), and the mean
 *    and variance of its trips or items (loops, forks).  From the profile
 *    when it saw the block run, smoothed by PRIOR_WEIGHT pseudo-executions
 *    of the model; else from the declared model; else from the static
 *    heuristic below, with a warning that names the block.
 * 2. Per node, its executions per request N.  Every node runs inside one
 *    arm of one control block, so N = X_1 + ... + X_M, where M is the
 *    block's own count and X_i what its i-th execution gives the arm
 *    (Bernoulli(p) for an arm taken with probability p, the trips of a
 *    loop body, the items of a fork), independent of each other and of M.
 *    Hence, exactly, E[N] = E[M] E[X] and Var[N] = E[M] Var[X] +
 *    Var[M] E[X]^2, from the entry (N = 1) down, in id order (a block's id
 *    is below its members').
 *
 * The static heuristic: a branch is taken half the time; the cases of a
 * switch without a probability share what the others leave, equally (all
 * of it when none has one); an exit is taken one time in ten (an exit is
 * the exceptional path); a while loop repeats with probability 0.5. */

#include <math.h>
#include <string.h>

#include "dist.h"
#include "pass_internal.h"
#include "profile.h"

#define PRIOR_WEIGHT 1.0
#define HEURISTIC_BRANCH 0.5
#define HEURISTIC_EXIT 0.1
#define HEURISTIC_REPEAT 0.5
/* A while loop that would never end is taken to repeat at most this often. */
#define MAX_REPEAT (1 - 1e-9)

/* Arm probabilities of a branch, switch or exit from the declared model:
 * undeclared arms share the rest equally.  Returns false when nothing was
 * declared (the heuristic decides). */
static bool declared_arms(const owg_node *n, double *p)
{
	double sum = 0;
	uint32_t undeclared = 0;
	for (uint32_t a = 0; a < n->narms; a++) {
		if (isnan(n->arms[a].prob))
			undeclared++;
		else
			sum += n->arms[a].prob;
	}
	if (undeclared == n->narms)
		return false;
	double share = undeclared && sum < 1 ? (1 - sum) / undeclared : 0;
	double total = 0;
	for (uint32_t a = 0; a < n->narms; a++) {
		p[a] = isnan(n->arms[a].prob) ? share : n->arms[a].prob;
		total += p[a];
	}
	for (uint32_t a = 0; a < n->narms && total > 0; a++)
		p[a] /= total; /* a model read from IR text may not sum to exactly 1 */
	return true;
}

static void heuristic_arms(const owg_node *n, double *p)
{
	if (n->cb_kind == OWG_CB_BRANCH || n->cb_kind == OWG_CB_EXIT) {
		p[0] = n->cb_kind == OWG_CB_BRANCH ? HEURISTIC_BRANCH : HEURISTIC_EXIT;
		p[1] = 1 - p[0];
		return;
	}
	for (uint32_t a = 0; a < n->narms; a++)
		p[a] = 1.0 / n->narms;
}

static void warn_heuristic(owg_pass_ctx *ctx, const owg_node *n, const double *p, double repeat)
{
	switch (n->cb_kind) {
	case OWG_CB_BRANCH:
		owg_diag_warning(ctx->diag, OWG_W_MISSING_PROBABILITY, n->loc,
				 "branch '%s' has no probability and no profile; assuming it is taken %g of the "
				 "time (say how often with 'p 0.3')", n->name, p[0]);
		break;
	case OWG_CB_EXIT:
		owg_diag_warning(ctx->diag, OWG_W_MISSING_PROBABILITY, n->loc,
				 "exit '%s' has no probability and no profile; assuming it is taken %g of the "
				 "time (say how often with 'p 0.1')", n->name, p[0]);
		break;
	case OWG_CB_SWITCH:
		owg_diag_warning(ctx->diag, OWG_W_MISSING_PROBABILITY, n->loc,
				 "switch '%s' has no probabilities and no profile; assuming its %u cases are "
				 "equally likely (give each case a 'p')", n->name, n->narms);
		break;
	default:
		owg_diag_warning(ctx->diag, OWG_W_MISSING_PROBABILITY, n->loc,
				 "loop '%s' has no repeat probability and no profile; assuming it repeats with "
				 "probability %g (say how often with 'p 0.3')", n->name, repeat);
		break;
	}
}

/* Trips of a do-while loop that repeats with probability q, at most max
 * times (0: unbounded): P(T >= k) = q^(k-1) for 1 <= k <= max. */
static void while_trips(double q, uint32_t max, double *mean, double *var)
{
	if (max == 0) {
		*mean = 1 / (1 - q);
		*var = q / ((1 - q) * (1 - q));
		return;
	}
	/* E[T] = sum P(T >= k), E[T^2] = sum (2k - 1) P(T >= k) */
	double e1 = 0, e2 = 0, tail = 1;
	for (uint32_t k = 1; k <= max && tail > 0; k++) {
		e1 += tail;
		e2 += (2.0 * k - 1) * tail;
		tail *= q;
		if (tail < 1e-300)
			break;
	}
	*mean = e1;
	*var = e2 - e1 * e1 > 0 ? e2 - e1 * e1 : 0;
}

/* What one execution of CB n does; returns false if the heuristic had to
 * decide. */
static bool cb_model(owg_pass_ctx *ctx, const owg_node *n, owg_cb_freq *c, const owg_cb_freq *old)
{
	owg_graph *g = ctx->g;
	const owg_prof_entry *pc = ctx->profile ? owg_prof_get(ctx->profile, n->id) : NULL;
	bool keep_old = !ctx->profile && old && old->source == OWG_PROB_PROFILE;
	bool loop_while = n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE;
	bool counted = (n->cb_kind == OWG_CB_LOOP && !loop_while) || n->cb_kind == OWG_CB_FORK;
	c->source = OWG_PROB_DECLARED;
	if (counted) {
		double m, v;
		owg_count_moments(&n->count, &m, &v);
		if (pc && pc->runs > 0) {
			/* smoothed moments: PRIOR_WEIGHT executions with the model's */
			double w = (double)pc->runs + PRIOR_WEIGHT;
			double e1 = ((double)pc->items_sum + PRIOR_WEIGHT * m) / w;
			double e2 = ((double)pc->items_sumsq + PRIOR_WEIGHT * (v + m * m)) / w;
			m = e1;
			v = e2 - e1 * e1 > 0 ? e2 - e1 * e1 : 0;
			c->source = OWG_PROB_PROFILE;
		} else if (keep_old) {
			*c = *old;
			return true;
		}
		c->trips_mean = m;
		c->trips_var = v;
		return true;
	}
	if (loop_while) {
		double q = n->arms[1].prob;
		bool known = !isnan(q);
		if (!known && n->pred && n->pred->kind == OWG_EX_BOOL) {
			q = n->pred->u.b; /* a constant condition decides by itself */
			known = true;
		}
		if (!known)
			q = HEURISTIC_REPEAT;
		if (pc && pc->runs > 0) {
			/* per trip, arms[0] counts the tests that ended the loop, arms[1] the repeats */
			double trips = (double)(pc->arms[0] + pc->arms[1]);
			q = ((double)pc->arms[1] + PRIOR_WEIGHT * q) / (trips + PRIOR_WEIGHT);
			c->source = OWG_PROB_PROFILE;
			known = true;
		} else if (keep_old) {
			*c = *old;
			return true;
		} else if (!known) {
			c->source = OWG_PROB_HEURISTIC;
		}
		if (q > MAX_REPEAT && n->max_trips == 0)
			q = MAX_REPEAT;
		c->repeat = q;
		while_trips(q, n->max_trips, &c->trips_mean, &c->trips_var);
		return known;
	}
	c->arm = owg_arena_alloc(&g->arena, n->narms * sizeof *c->arm);
	if (keep_old && old->arm) {
		memcpy(c->arm, old->arm, n->narms * sizeof *c->arm);
		c->source = OWG_PROB_PROFILE;
		return true;
	}
	bool known = declared_arms(n, c->arm);
	if (!known) {
		heuristic_arms(n, c->arm);
		c->source = OWG_PROB_HEURISTIC;
	}
	if (pc && pc->runs > 0) {
		double w = (double)pc->runs + PRIOR_WEIGHT;
		for (uint32_t a = 0; a < n->narms; a++)
			c->arm[a] = ((double)pc->arms[a] + PRIOR_WEIGHT * c->arm[a]) / w;
		c->source = OWG_PROB_PROFILE;
		known = true;
	}
	return known;
}

/* Mean and variance of what one execution of CB c gives its arm a. */
static void arm_gives(const owg_node *c, const owg_cb_freq *f, uint32_t a, double *m, double *v)
{
	switch (c->cb_kind) {
	case OWG_CB_ENTRY:
		*m = 1;
		*v = 0;
		return;
	case OWG_CB_LOOP:
	case OWG_CB_FORK:
		*m = f->trips_mean;
		*v = f->trips_var;
		return;
	default:
		*m = f->arm[a];
		*v = f->arm[a] * (1 - f->arm[a]);
		return;
	}
}

bool owg_pass_branch_freq(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	size_t nn = g->nodes.n;
	owg_cb_freq *old = g->an.cb;
	owg_cb_freq *cb = owg_arena_alloc(&g->arena, nn * sizeof *cb + 1);
	owg_freq_stats *fr = owg_arena_alloc(&g->arena, nn * sizeof *fr + 1);
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind == OWG_NODE_CB && n->cb_kind != OWG_CB_ENTRY &&
		    !cb_model(ctx, n, &cb[i], old ? &old[i] : NULL))
			warn_heuristic(ctx, n, cb[i].arm, cb[i].repeat);
	}
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->region == OWG_NONE) {
			fr[i].mean = 1; /* the entry: once per request */
			fr[i].var = 0;
		} else {
			const owg_freq_stats *m = &fr[n->region];
			double xm, xv;
			arm_gives(&g->nodes.v[n->region], &cb[n->region], n->arm, &xm, &xv);
			fr[i].mean = m->mean * xm;
			fr[i].var = m->mean * xv + m->var * xm * xm;
		}
		if (!isfinite(fr[i].mean) || !isfinite(fr[i].var)) {
			owg_diag_error(ctx->diag, n->loc, "'%s' would run about %g times per request: the trip "
				       "counts of the loops around it multiply beyond any fabric", n->name, fr[i].mean);
			return false;
		}
		fr[i].is_bursty = fr[i].mean > 0 && sqrt(fr[i].var) / fr[i].mean > ctx->opts->burst_threshold;
	}
	g->an.cb = cb;
	g->an.freq = fr;
	return true;
}
