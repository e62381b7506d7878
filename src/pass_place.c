#include "config.h"

/* pass_place.c - improves the layout of partition by moves.
 *
 * Two kinds of moves keep the layout legal by construction: a unit of one
 * PEA goes to a PEA near one of the tasks it exchanges data with, free or
 * held by another one-PEA unit (then the two swap); any other unit swaps
 * its PEAs with a unit of the same size (two replica sets of equal PEA
 * count, or two elastic reservations).  A move is kept when it lowers the
 * traffic cost (bytes x executions x hops between the centres of the
 * units).  At -O2 and up the radius around the partner shrinks from a
 * sixteenth of the mesh to one PEA over the run: long moves first, then
 * fine ones; -O1 makes fine moves only.  (Simulated
 * annealing was tried and lost to this descent against Scotch: see
 * bench/RESULTS.md.)  The effort is a move budget, not a time: -O0 none,
 * -O1 8, -O2 64 and -O3 256 moves per unit; the moves come from the
 * portable PRNG seeded with --seed, so the same input and seed give the
 * same placement on every machine. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fabric.h"
#include "pass_internal.h"
#include "place_internal.h"
#include "../runtime/owgrt_rng.h"

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

/* Cost change if one-PEA unit u moved to (x, y). */
static double move_delta(const adj *a, const double *cx, const double *cy, uint32_t u, double x, double y)
{
	double d = 0;
	for (uint32_t k = a->start[u]; k < a->start[u + 1]; k++) {
		uint32_t w = a->other[k];
		if (w == u)
			continue;
		d += a->weight[k] * ((fabs(x - cx[w]) + fabs(y - cy[w])) - dist(cx, cy, u, w));
	}
	return d;
}

static int by_size(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return (*a > *b) - (*a < *b);
}

static void improve(owg_graph *g, owg_plan *p, owg_binding *b, const adj *a, owgrt_rng *rng, uint64_t budget_per_unit)
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

	/* who holds each PEA: a task, FREE, or BLOCKED (defective) */
	enum { FREE = UINT32_MAX, BLOCKED = UINT32_MAX - 1 };
	uint64_t npeas = (uint64_t)p->width * p->height;
	uint32_t *owner = owg_xmalloc((npeas + 1) * sizeof *owner);
	uint8_t *defect = owg_fabric_defect_map(&p->fabric);
	for (uint64_t q = 0; q < npeas; q++)
		owner[q] = defect && defect[q] ? BLOCKED : FREE;
	free(defect);
	uint32_t *ones = owg_xmalloc((nu + 1) * sizeof *ones);
	size_t nones = 0;
	for (size_t i = 0; i < nu; i++) {
		uint32_t t = (uint32_t)keys[i], size = (uint32_t)(keys[i] >> 32);
		for (uint32_t k = 0; k < size; k++)
			owner[b->peas[b->first[t] + k]] = t;
		if (size == 1 && a->start[t + 1] > a->start[t])
			ones[nones++] = t;
	}
	bool others = nones < nu;

	uint64_t moves = budget_per_unit * nu;
	/* -O2 and up start with long moves: a sixteenth of the mesh */
	double reach = p->opt >= 2 ? (p->width > p->height ? p->width : p->height) / 16.0 : 0;
	for (uint64_t m = 0; m < moves; m++) {
		if (nones && (!others || owgrt_rng_below(rng, 4) != 0)) {
			/* a one-PEA unit goes next to a random partner */
			uint32_t u = ones[owgrt_rng_below(rng, nones)];
			uint32_t k = a->start[u] + (uint32_t)owgrt_rng_below(rng, a->start[u + 1] - a->start[u]);
			uint32_t w = a->other[k];
			/* within a radius that shrinks to 1 over the run */
			uint32_t r = (uint32_t)(1 + reach * (1 - (double)m / (double)moves));
			int64_t x = (int64_t)llround(cx[w]) + (int64_t)owgrt_rng_below(rng, 2 * r + 1) - r;
			int64_t y = (int64_t)llround(cy[w]) + (int64_t)owgrt_rng_below(rng, 2 * r + 1) - r;
			if (x < 0 || y < 0 || x >= p->width || y >= p->height)
				continue;
			uint32_t q = (uint32_t)y * p->width + (uint32_t)x, v = owner[q];
			if (v == BLOCKED || v == u || (v != FREE && owg_unit_size(g, p, b, v) != 1))
				continue;
			double d;
			if (v == FREE)
				d = move_delta(a, cx, cy, u, (double)x, (double)y);
			else
				d = swap_delta(a, cx, cy, u, v);
			if (!(d < 0))
				continue;
			uint32_t from = b->peas[b->first[u]];
			b->peas[b->first[u]] = q;
			owner[q] = u;
			owner[from] = v;
			if (v != FREE) {
				b->peas[b->first[v]] = from;
				b->home[v] = b->home[u];
				cx[v] = cx[u];
				cy[v] = cy[u];
			}
			b->home[u] = owg_fabric_cluster_of(&p->fabric, q);
			cx[u] = (double)x;
			cy[u] = (double)y;
			continue;
		}
		size_t i = owgrt_rng_below(rng, nu);
		if (glen[i] < 2)
			continue;
		size_t j = gstart[i] + owgrt_rng_below(rng, glen[i]);
		uint32_t u = (uint32_t)keys[i], v = (uint32_t)keys[j];
		if (u == v)
			continue;
		if (!(swap_delta(a, cx, cy, u, v) < 0))
			continue;
		uint32_t s = (uint32_t)(keys[i] >> 32);
		for (uint32_t k = 0; k < s; k++) {
			uint32_t tmp = b->peas[b->first[u] + k];
			b->peas[b->first[u] + k] = b->peas[b->first[v] + k];
			b->peas[b->first[v] + k] = tmp;
			owner[b->peas[b->first[u] + k]] = u;
			owner[b->peas[b->first[v] + k]] = v;
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
	free(owner);
	free(ones);
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
	owgrt_rng rng;
	owgrt_rng_stream(&rng, p->seed, 0x706c616365u /* "place" */, 0, 0);
	improve(g, p, &p->octopus, &a, &rng, per_unit);
	owgrt_rng_stream(&rng, p->seed, 0x706c616365u, 1, 0);
	improve(g, p, &p->fixed, &a, &rng, per_unit);
	free(a.start);
	free(a.other);
	free(a.weight);
	return true;
}
