#include "config.h"

/* pass_place.c - improves the layout of partition by moves.
 *
 * A move swaps the PEAs of two units of the same size (two replica sets
 * of equal PEA count, or two elastic reservations), which keeps the
 * layout legal by construction.  It is kept when it lowers the traffic
 * cost (bytes x executions x hops between the centres of the units); at
 * -O2 and -O3 also, with the Metropolis probability, when it raises it a
 * little, under a temperature that falls geometrically (simulated
 * annealing).  The effort is a move budget, not a time: -O0 none, -O1 8,
 * -O2 64 and -O3 256 moves per unit; the moves come from the portable
 * PRNG seeded with --seed, so the same input and seed give the same
 * placement on every machine. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fabric.h"
#include "pass_internal.h"
#include "place_internal.h"
#include "rng.h"

typedef struct adj {
	uint32_t *start; /* per node: edges[start[t] .. start[t + 1]) */
	uint32_t *other;
	double *weight;  /* bytes x executions of the consumer */
} adj;

static adj build_adj(const owg_graph *g)
{
	size_t nn = g->nodes.n, ne = g->flows.n;
	adj a = {owg_xcalloc(nn + 2, sizeof(uint32_t)), owg_xmalloc((2 * ne + 1) * sizeof(uint32_t)),
		 owg_xmalloc((2 * ne + 1) * sizeof(double))};
	for (size_t k = 0; k < ne; k++) {
		a.start[g->flows.v[k].src + 1]++;
		a.start[g->flows.v[k].dst + 1]++;
	}
	for (size_t i = 0; i < nn; i++)
		a.start[i + 1] += a.start[i];
	uint32_t *fill = owg_xcalloc(nn + 1, sizeof *fill);
	for (size_t k = 0; k < ne; k++) {
		const owg_flow *f = &g->flows.v[k];
		double w = f->bytes * g->an.freq[f->dst].mean;
		uint32_t i = a.start[f->src] + fill[f->src]++;
		a.other[i] = f->dst;
		a.weight[i] = w;
		i = a.start[f->dst] + fill[f->dst]++;
		a.other[i] = f->src;
		a.weight[i] = w;
	}
	free(fill);
	return a;
}

static double dist(const double *cx, const double *cy, uint32_t a, uint32_t b)
{
	return fabs(cx[a] - cx[b]) + fabs(cy[a] - cy[b]);
}

/* Cost change if u took v's centre and v took u's. */
static double swap_delta(const adj *a, const double *cx, const double *cy, uint32_t u, uint32_t v)
{
	double d = 0;
	for (uint32_t k = a->start[u]; k < a->start[u + 1]; k++) {
		uint32_t w = a->other[k];
		if (w == v || w == u)
			continue;
		d += a->weight[k] * ((fabs(cx[v] - cx[w]) + fabs(cy[v] - cy[w])) - dist(cx, cy, u, w));
	}
	for (uint32_t k = a->start[v]; k < a->start[v + 1]; k++) {
		uint32_t w = a->other[k];
		if (w == v || w == u)
			continue;
		d += a->weight[k] * ((fabs(cx[u] - cx[w]) + fabs(cy[u] - cy[w])) - dist(cx, cy, v, w));
	}
	return d;
}

static int by_size(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return (*a > *b) - (*a < *b);
}

static void improve(owg_graph *g, owg_plan *p, owg_binding *b, const adj *a, owg_rng *rng, uint64_t budget_per_unit)
{
	size_t nn = g->nodes.n;
	/* units grouped by size: key = size << 32 | task, sorted */
	uint64_t *keys = owg_xmalloc((nn + 1) * sizeof *keys);
	size_t nu = 0;
	for (size_t i = 0; i < nn; i++) {
		uint32_t s = owg_unit_size(g, p, b, (uint32_t)i);
		if (s)
			keys[nu++] = (uint64_t)s << 32 | i;
	}
	qsort(keys, nu, sizeof *keys, by_size);
	/* group[i]: the first index of i's size group; gsize: its length */
	uint32_t *gstart = owg_xmalloc((nu + 1) * sizeof *gstart), *glen = owg_xmalloc((nu + 1) * sizeof *glen);
	for (size_t i = 0; i < nu;) {
		size_t j = i;
		while (j < nu && keys[j] >> 32 == keys[i] >> 32)
			j++;
		for (size_t k = i; k < j; k++) {
			gstart[k] = (uint32_t)i;
			glen[k] = (uint32_t)(j - i);
		}
		i = j;
	}
	double *cx = owg_xmalloc((nn + 1) * sizeof *cx), *cy = owg_xmalloc((nn + 1) * sizeof *cy);
	for (size_t i = 0; i < nn; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB)
			owg_unit_centre(g, p, b, (uint32_t)i, &cx[i], &cy[i]);

	uint64_t moves = budget_per_unit * nu;
	bool anneal = p->opt >= 2;
	/* the starting temperature: the mean cost change of a sample of moves */
	double temp = 0;
	if (anneal && nu > 1) {
		double sum = 0;
		int ns = 0;
		for (int k = 0; k < 200; k++) {
			size_t i = owg_rng_below(rng, nu);
			if (glen[i] < 2)
				continue;
			size_t j = gstart[i] + owg_rng_below(rng, glen[i]);
			sum += fabs(swap_delta(a, cx, cy, (uint32_t)keys[i], (uint32_t)keys[j]));
			ns++;
		}
		temp = ns ? sum / ns : 0;
	}
	double cool = moves ? pow(1e-4, 1.0 / (double)moves) : 1; /* down to 1e-4 of the start */
	for (uint64_t m = 0; m < moves; m++, temp *= cool) {
		size_t i = owg_rng_below(rng, nu);
		if (glen[i] < 2)
			continue;
		size_t j = gstart[i] + owg_rng_below(rng, glen[i]);
		uint32_t u = (uint32_t)keys[i], v = (uint32_t)keys[j];
		if (u == v)
			continue;
		double d = swap_delta(a, cx, cy, u, v);
		if (!(d < 0 || (anneal && temp > 0 && owg_rng_uniform(rng) < exp(-d / temp))))
			continue;
		uint32_t s = (uint32_t)(keys[i] >> 32);
		for (uint32_t k = 0; k < s; k++) {
			uint32_t tmp = b->peas[b->first[u] + k];
			b->peas[b->first[u] + k] = b->peas[b->first[v] + k];
			b->peas[b->first[v] + k] = tmp;
		}
		uint32_t th = b->home[u];
		b->home[u] = b->home[v];
		b->home[v] = th;
		double tx = cx[u], ty = cy[u];
		cx[u] = cx[v];
		cy[u] = cy[v];
		cx[v] = tx;
		cy[v] = ty;
	}
	free(keys);
	free(gstart);
	free(glen);
	free(cx);
	free(cy);
}

bool owg_pass_place(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	owg_plan *p = g->plan;
	if (!p || !p->fixed.peas) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'place' needs 'partition' first");
		return false;
	}
	static const uint64_t budget[] = {0, 8, 64, 256};
	uint64_t per_unit = budget[p->opt < 0 ? 0 : p->opt > 3 ? 3 : p->opt];
	if (per_unit == 0)
		return true;
	adj a = build_adj(g);
	owg_rng rng;
	owg_rng_stream(&rng, p->seed, 0x706c616365u /* "place" */, 0, 0);
	improve(g, p, &p->octopus, &a, &rng, per_unit);
	owg_rng_stream(&rng, p->seed, 0x706c616365u, 1, 0);
	improve(g, p, &p->fixed, &a, &rng, per_unit);
	free(a.start);
	free(a.other);
	free(a.weight);
	return true;
}
