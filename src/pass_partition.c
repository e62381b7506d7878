#include "config.h"

/* pass_partition.c - lays both bindings out on the fabric.
 *
 * The tasks go in the order of their data flows (a topological order of
 * the flow graph, ties by id), and their units along the curve through the
 * usable PEAs (owg_curve: chiplet by chiplet, cluster by cluster), so that
 * a producer and its consumers land on the same or neighbouring clusters.
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

static void lay_out(owg_graph *g, owg_plan *p, owg_binding *b, const uint32_t *order, size_t ntasks,
		    const uint32_t *curve, size_t ncurve)
{
	uint64_t total = 0;
	for (size_t j = 0; j < ntasks; j++)
		total += owg_unit_size(g, p, b, order[j]);
	/* discriminate made sure it fits */
	uint64_t slack = ncurve - total;
	b->peas = owg_arena_alloc(&g->arena, (total + 1) * sizeof *b->peas);
	b->npeas = total;
	uint64_t at = 0, used = 0;
	for (size_t j = 0; j < ntasks; j++) {
		uint32_t t = order[j];
		uint32_t size = owg_unit_size(g, p, b, t);
		at = used + slack * j / ntasks; /* gaps spread evenly */
		b->first[t] = (uint32_t)used;
		for (uint32_t k = 0; k < size; k++)
			b->peas[used + k] = curve[at + k];
		b->home[t] = owg_fabric_cluster_of(&p->fabric, curve[at < ncurve ? at : ncurve - 1]);
		used += size;
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
