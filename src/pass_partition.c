#include "config.h"

/* pass_partition.c - lays both bindings out on the fabric.
 *
 * The tasks go in the order of their data flows (a topological order of
 * the flow graph, ties by id), and their units along the curve through the
 * usable PEAs (owg_curve: chiplet by chiplet, cluster by cluster), so that
 * a producer and its consumers land on the same or neighbouring clusters.
 * When every task has several replicas and the fabric several chiplets,
 * the curve is cut into lanes, each with its share of every task's
 * replicas in that order: a pipeline per lane.
 * The PEAs left over are spread evenly between the units rather than left
 * at the end, which balances the expected load over the clusters and
 * chiplets and leaves every region headroom (the octopus binding turns it
 * into elastic pools). */

#include <stdlib.h>
#include <string.h>

#include "fabric.h"
#include "pass_internal.h"
#include "place_internal.h"

/* Tasks in a topological order of the flows, ties by id. */
static uint32_t *flow_order(const owg_graph *g, size_t *n)
{
	size_t nn = g->nodes.n;
	uint32_t *indeg = owg_xcalloc(nn + 1, sizeof *indeg);
	uint32_t *start = owg_xcalloc(nn + 2, sizeof *start), *succ = owg_xmalloc((g->flows.n + 1) * sizeof *succ);
	for (size_t k = 0; k < g->flows.n; k++) {
		indeg[g->flows.v[k].dst]++;
		start[g->flows.v[k].src + 1]++;
	}
	for (size_t i = 0; i < nn; i++)
		start[i + 1] += start[i];
	uint32_t *fill = owg_xcalloc(nn + 1, sizeof *fill);
	for (size_t k = 0; k < g->flows.n; k++) {
		uint32_t s = g->flows.v[k].src;
		succ[start[s] + fill[s]++] = g->flows.v[k].dst;
	}
	/* a min-heap of ready ids keeps the order close to the program's */
	uint32_t *heap = owg_xmalloc((nn + 1) * sizeof *heap), *out = owg_xmalloc((nn + 1) * sizeof *out);
	size_t hn = 0, m = 0;
	for (size_t i = 0; i < nn; i++)
		if (!indeg[i] && g->nodes.v[i].kind == OWG_NODE_TB) {
			heap[hn++] = (uint32_t)i; /* ids ascending: already a heap */
		}
	while (hn) {
		uint32_t u = heap[0];
		heap[0] = heap[--hn];
		for (size_t i = 0;;) { /* sift down */
			size_t l = 2 * i + 1, r = l + 1, s = i;
			if (l < hn && heap[l] < heap[s])
				s = l;
			if (r < hn && heap[r] < heap[s])
				s = r;
			if (s == i)
				break;
			uint32_t tmp = heap[i];
			heap[i] = heap[s];
			heap[s] = tmp;
			i = s;
		}
		out[m++] = u;
		for (uint32_t k = start[u]; k < start[u + 1]; k++) {
			uint32_t v = succ[k];
			if (--indeg[v] == 0) {
				size_t i = hn++;
				heap[i] = v;
				while (i > 0 && heap[(i - 1) / 2] > heap[i]) { /* sift up */
					uint32_t tmp = heap[i];
					heap[i] = heap[(i - 1) / 2];
					heap[(i - 1) / 2] = tmp;
					i = (i - 1) / 2;
				}
			}
		}
	}
	free(indeg);
	free(start);
	free(succ);
	free(fill);
	free(heap);
	*n = m; /* every task: the verifier rules out flow cycles */
	return out;
}

/* Replicas of task t in lane l of L: a proportional share. */
static uint32_t share_lo(uint32_t replicas, uint32_t l, uint32_t lanes)
{
	return (uint32_t)((uint64_t)replicas * l / lanes);
}

/* Task t's unit in pieces: its replicas of `peas` PEAs, or for an
 * elastic task its pool share, PEA by PEA. */
static uint32_t pieces(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t, uint32_t *w)
{
	uint32_t r = b->replicas[t], size = owg_unit_size(g, p, b, t);
	*w = r ? size / r : 1;
	return r ? r : size;
}

/* PEAs lane l of `lanes` needs: its share of every task's pieces. */
static uint64_t lane_need(const owg_graph *g, const owg_plan *p, const owg_binding *b, const uint32_t *order,
			  size_t ntasks, uint32_t l, uint32_t lanes)
{
	uint64_t need = 0;
	for (size_t j = 0; j < ntasks; j++) {
		uint32_t w, n = pieces(g, p, b, order[j], &w);
		need += (uint64_t)(share_lo(n, l + 1, lanes) - share_lo(n, l, lanes)) * w;
	}
	return need;
}

/* Lanes: the curve cut into segments, each holding a proportional share of
 * every task's replicas in flow order, so that a request's data moves
 * within its lane instead of between the regions of whole tasks (on a
 * wafer, thousands of replicas per task).  One lane per chiplet at most,
 * no more lanes than the task with the fewest replicas has, and only as
 * many as fit. */
static uint32_t lane_count(const owg_graph *g, const owg_plan *p, const owg_binding *b, const uint32_t *order,
			   size_t ntasks, size_t ncurve)
{
	const owg_fabric *f = &p->fabric;
	uint64_t lanes = (uint64_t)f->grid_w[OWG_FAB_PACKAGE] * f->grid_h[OWG_FAB_PACKAGE];
	for (size_t j = 0; j < ntasks; j++)
		if (b->replicas[order[j]] && b->replicas[order[j]] < lanes)
			lanes = b->replicas[order[j]];
	for (; lanes > 1; lanes--) {
		bool fits = true;
		for (uint32_t l = 0; l < lanes && fits; l++)
			fits = lane_need(g, p, b, order, ntasks, l, (uint32_t)lanes) <=
			       ncurve * (l + 1) / lanes - ncurve * l / lanes;
		if (fits)
			break;
	}
	return lanes ? (uint32_t)lanes : 1;
}

static void lay_out(owg_graph *g, owg_plan *p, owg_binding *b, const uint32_t *order, size_t ntasks,
		    const uint32_t *curve, size_t ncurve)
{
	uint64_t total = 0;
	for (size_t j = 0; j < ntasks; j++) {
		b->first[order[j]] = (uint32_t)total;
		total += owg_unit_size(g, p, b, order[j]);
	}
	/* discriminate made sure it fits */
	b->peas = owg_arena_alloc(&g->arena, (total + 1) * sizeof *b->peas);
	b->npeas = total;
	uint32_t lanes = lane_count(g, p, b, order, ntasks, ncurve);
	for (uint32_t l = 0; l < lanes; l++) {
		uint64_t lo = ncurve * l / lanes, len = ncurve * (l + 1) / lanes - lo;
		uint64_t slack = len - lane_need(g, p, b, order, ntasks, l, lanes), used = 0;
		for (size_t j = 0; j < ntasks; j++) {
			uint32_t t = order[j], w, all = pieces(g, p, b, t, &w);
			uint32_t r0 = share_lo(all, l, lanes), n = (share_lo(all, l + 1, lanes) - r0) * w;
			uint64_t at = lo + used + slack * j / ntasks; /* gaps spread evenly */
			for (uint32_t k = 0; k < n; k++)
				b->peas[b->first[t] + (uint64_t)r0 * w + k] = curve[at + k];
			/* home: where its first replica lies; an elastic task's
			 * work starts in lane j mod lanes */
			if ((b->replicas[t] && r0 == 0 && n) || (!b->replicas[t] && j % lanes == l))
				b->home[t] = owg_fabric_cluster_of(&p->fabric, curve[at < ncurve ? at : ncurve - 1]);
			used += n;
		}
	}
}

bool owg_pass_partition(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	owg_plan *p = g->plan;
	if (!p) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'partition' needs 'discriminate' first");
		return false;
	}
	size_t ntasks, ncurve;
	uint32_t *order = flow_order(g, &ntasks);
	uint32_t *curve = owg_curve(&p->fabric, &ncurve);
	lay_out(g, p, &p->octopus, order, ntasks, curve, ncurve);
	lay_out(g, p, &p->fixed, order, ntasks, curve, ncurve);
	free(order);
	free(curve);
	return true;
}
