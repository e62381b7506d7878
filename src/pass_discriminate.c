#include "config.h"

/* pass_discriminate.c - the compile-time half of discriminate
 * dual-scheduling: which tasks get dedicated PEAs, and how many.
 *
 * A task that is steady (time-stats) and stable (branch-freq) is pinned:
 * it gets replicas, each on `peas` PEAs, enough to serve its expected load
 * at the target rate R with every replica busy at most OWG_REPLICA_UTIL of
 * the time: ceil(R x E[executions] x E[time] / OWG_REPLICA_UTIL), at least
 * one.  Every other task is elastic: it runs on the elastic pools, which
 * are sized for the OWG_POOL_Z quantile of its demand, the number of busy
 * PEAs it keeps.  That demand is modelled as shot noise: requests arrive
 * at rate R and each execution holds `peas` PEAs for its time, so the mean
 * is R p E[N] E[T] and the variance R p^2 E[T] (E[N] + Var[N]) (the
 * executions of a request overlapping, which errs on the side of larger
 * pools).
 *
 * The static binding a conventional compiler emits pins every task the
 * same way, replicas by expected load.  With --rate both bindings are
 * sized for it.  Otherwise each binding gets the highest rate at which
 * it fits, starting from the rate at which the expected load fills
 * OWG_DEFAULT_LOAD of the usable PEAs: the static binding is not made
 * smaller because the discriminating one's pools are large.  The plan's
 * rate is the discriminating binding's. */

#include <math.h>
#include <stdlib.h>

#include "fabric.h"
#include "pass_internal.h"
#include "place_internal.h"

static uint32_t replicas_for(double busy)
{
	double r = ceil(busy / OWG_REPLICA_UTIL - 1e-9);
	return r < 1 ? 1 : r > 1e9 ? 1000000000u : (uint32_t)r;
}

typedef struct need {
	uint64_t octopus, fixed; /* PEAs each binding needs */
	uint32_t worst;          /* the task with the largest unit in the static binding */
} need;

/* Sizes both bindings at rate R; returns what they need. */
static need size_at(const owg_graph *g, owg_plan *p, double rate)
{
	need nd = {0, 0, OWG_NONE};
	uint64_t worst = 0;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		const owg_freq_stats *f = &g->an.freq[i];
		const owg_time_stats *t = &g->an.time[i];
		double busy = rate * f->mean * t->mean; /* replicas busy on average */
		p->demand_mean[i] = busy * n->peas;
		p->demand_var[i] = rate * (double)n->peas * n->peas * t->mean * (f->mean + f->var);
		uint32_t r = replicas_for(busy);
		p->fixed.replicas[i] = r;
		p->octopus.replicas[i] = p->pinned[i] ? r : 0;
		uint64_t fixed = (uint64_t)r * n->peas;
		nd.fixed += fixed;
		nd.octopus += owg_unit_size(g, p, &p->octopus, (uint32_t)i);
		if (fixed > worst) {
			worst = fixed;
			nd.worst = (uint32_t)i;
		}
	}
	return nd;
}

/* The tasks with the largest PEA demand, for "does not fit" messages. */
static void name_largest(owg_pass_ctx *ctx, const owg_plan *p, bool one_replica)
{
	const owg_graph *g = ctx->g;
	uint32_t best[3] = {OWG_NONE, OWG_NONE, OWG_NONE};
	uint64_t bv[3] = {0, 0, 0};
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		uint64_t v = one_replica ? n->peas : (uint64_t)p->fixed.replicas[i] * n->peas;
		for (int k = 0; k < 3; k++)
			if (v > bv[k]) {
				for (int j = 2; j > k; j--) {
					bv[j] = bv[j - 1];
					best[j] = best[j - 1];
				}
				bv[k] = v;
				best[k] = (uint32_t)i;
				break;
			}
	}
	for (int k = 0; k < 3 && best[k] != OWG_NONE; k++) {
		const owg_node *n = &g->nodes.v[best[k]];
		if (one_replica)
			owg_diag_note(ctx->diag, n->loc, "'%s' needs %u PEAs", n->name, (unsigned)n->peas);
		else
			owg_diag_note(ctx->diag, n->loc, "'%s' needs %u replicas of %u PEAs", n->name,
				      (unsigned)p->fixed.replicas[best[k]], (unsigned)n->peas);
	}
}

/* The highest rate from `start` down (by 3%) at which one binding fits
 * (fixed: the static one, else the discriminating one); 0 when only one
 * replica of each task does. */
static double fitting_rate(const owg_graph *g, owg_plan *p, double start, uint64_t usable, bool fixed)
{
	double rate = start;
	for (int it = 0; it < 2000; it++) {
		need nd = size_at(g, p, rate);
		if ((fixed ? nd.fixed : nd.octopus) <= usable)
			return rate;
		rate *= 0.97;
	}
	return 0;
}

bool owg_pass_discriminate(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	if (!g->an.time || !g->an.freq || !g->an.pea_time) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'discriminate' needs the analysis passes first");
		return false;
	}
	size_t nn = g->nodes.n;
	const owg_fabric *f = &ctx->fabric;
	owg_plan *p = owg_arena_alloc(&g->arena, sizeof *p);
	p->fabric = *f;
	p->width = owg_fabric_width(f);
	p->height = owg_fabric_height(f);
	p->cwidth = owg_fabric_cluster_cols(f);
	p->cheight = owg_fabric_cluster_rows(f);
	p->seed = ctx->opts->seed;
	p->opt = ctx->opts->opt;
	p->pinned = owg_arena_alloc(&g->arena, nn * sizeof *p->pinned + 1);
	p->demand_mean = owg_arena_alloc(&g->arena, nn * sizeof *p->demand_mean + 1);
	p->demand_var = owg_arena_alloc(&g->arena, nn * sizeof *p->demand_var + 1);
	owg_binding *bs[2] = {&p->octopus, &p->fixed};
	for (int k = 0; k < 2; k++) {
		bs[k]->replicas = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
		bs[k]->first = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
		bs[k]->home = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
	}
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		p->pinned[i] = n->kind == OWG_NODE_TB && !g->an.time[i].is_volatile && !g->an.freq[i].is_bursty;
	}
	g->plan = p;

	uint64_t usable = owg_fabric_usable_peas(f);
	const char *fname = f->name ? f->name : "?";
	/* one replica of every task is the least any binding needs */
	need least = size_at(g, p, 0);
	if (least.fixed > usable) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE,
			       "workflow '%s' does not fit fabric '%s': one PEA array per task needs %llu PEAs, "
			       "the fabric has %llu usable; use a larger fabric (--fabric=chiplet, --fabric=wafer) "
			       "or give the largest tasks fewer PEAs",
			       g->name, fname, (unsigned long long)least.fixed, (unsigned long long)usable);
		name_largest(ctx, p, true);
		return false;
	}
	double w = g->an.total_pea_time;
	double rate = ctx->opts->rate;
	need nd;
	if (rate > 0) {
		nd = size_at(g, p, rate);
		if (nd.fixed > usable || nd.octopus > usable) {
			/* the highest rate that fits, for the message */
			double lo = 0, hi = rate;
			for (int it = 0; it < 60; it++) {
				double mid = (lo + hi) / 2;
				need m = size_at(g, p, mid);
				if (m.fixed <= usable && m.octopus <= usable)
					lo = mid;
				else
					hi = mid;
			}
			size_at(g, p, rate);
			owg_diag_error(ctx->diag, OWG_LOC_NONE,
				       "workflow '%s' does not fit fabric '%s' at --rate=%g: the static binding needs "
				       "%llu PEAs and the discriminating one %llu (pinned replicas and elastic pools), "
				       "the fabric has %llu usable; lower --rate (at most %.4g fits) or use a larger "
				       "fabric",
				       g->name, fname, rate, (unsigned long long)nd.fixed, (unsigned long long)nd.octopus,
				       (unsigned long long)usable, lo);
			name_largest(ctx, p, false);
			return false;
		}
	} else {
		double start = w > 0 ? OWG_DEFAULT_LOAD * (double)usable / w : 1;
		double fixed_rate = fitting_rate(g, p, start, usable, true);
		rate = fitting_rate(g, p, start, usable, false);
		/* the static binding's replicas at its own rate, then the
		 * discriminating binding's at the plan's */
		size_at(g, p, fixed_rate);
		uint32_t *fixed = owg_arena_alloc(&g->arena, nn * sizeof *fixed + 1);
		for (size_t i = 0; i < nn; i++)
			fixed[i] = p->fixed.replicas[i];
		size_at(g, p, rate);
		for (size_t i = 0; i < nn; i++)
			p->fixed.replicas[i] = fixed[i];
	}
	p->rate = rate;
	return true;
}
