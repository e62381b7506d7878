#include "config.h"

/* pass_plan.c - finishes the plan: the expected traffic of both bindings,
 * the elastic pools of the octopus binding (every usable PEA that no pinned
 * replica holds joins the pool of its cluster: the reservations made room
 * for the demand where it is expected, the rest is headroom), and the
 * legality check of both bindings (plan_verify.c). */

#include <stdlib.h>
#include <string.h>

#include "fabric.h"
#include "pass_internal.h"
#include "place_internal.h"

static void make_pools(owg_graph *g, owg_plan *p)
{
	owg_binding *b = &p->octopus;
	size_t nn = g->nodes.n;
	uint32_t nclusters = owg_fabric_clusters(&p->fabric);
	uint64_t total = owg_fabric_peas(&p->fabric);
	uint8_t *taken = owg_fabric_defect_map(&p->fabric); /* defective or pinned: not in a pool */
	if (!taken)
		taken = owg_xcalloc(total + 1, 1);
	uint32_t *peas = owg_arena_alloc(&g->arena, (total + 1) * sizeof *peas);
	size_t n = 0;
	for (size_t t = 0; t < nn; t++) {
		if (g->nodes.v[t].kind != OWG_NODE_TB || !b->replicas[t])
			continue;
		uint32_t size = b->replicas[t] * g->nodes.v[t].peas;
		for (uint32_t k = 0; k < size; k++)
			taken[b->peas[b->first[t] + k]] = 1;
		memcpy(peas + n, b->peas + b->first[t], size * sizeof *peas);
		b->first[t] = (uint32_t)n;
		n += size;
	}
	/* pools, cluster by cluster, PEAs in id order */
	uint32_t *count = owg_xcalloc(nclusters + 1, sizeof *count);
	for (uint64_t q = 0; q < total; q++)
		if (!taken[q])
			count[owg_fabric_cluster_of(&p->fabric, (uint32_t)q)]++;
	b->pool_first = owg_arena_alloc(&g->arena, (nclusters + 1) * sizeof(uint32_t));
	b->pool_size = owg_arena_alloc(&g->arena, (nclusters + 1) * sizeof(uint32_t));
	for (uint32_t c = 0; c < nclusters; c++) {
		b->pool_first[c] = (uint32_t)n;
		n += count[c];
	}
	for (uint64_t q = 0; q < total; q++)
		if (!taken[q]) {
			uint32_t c = owg_fabric_cluster_of(&p->fabric, (uint32_t)q);
			peas[b->pool_first[c] + b->pool_size[c]++] = (uint32_t)q;
		}
	for (size_t t = 0; t < nn; t++)
		if (g->nodes.v[t].kind == OWG_NODE_TB && !b->replicas[t])
			b->first[t] = b->pool_first[b->home[t]]; /* elastic: its home pool */
	b->peas = peas;
	b->npeas = n;
	free(taken);
	free(count);
}

bool owg_pass_plan(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	owg_plan *p = g->plan;
	if (!p || !p->fixed.peas) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'plan' needs 'partition' first");
		return false;
	}
	p->octopus.traffic = owg_binding_traffic(g, p, &p->octopus);
	p->fixed.traffic = owg_binding_traffic(g, p, &p->fixed);
	make_pools(g, p);
	uint32_t nclusters = owg_fabric_clusters(&p->fabric);
	p->fixed.pool_first = owg_arena_alloc(&g->arena, (nclusters + 1) * sizeof(uint32_t));
	p->fixed.pool_size = owg_arena_alloc(&g->arena, (nclusters + 1) * sizeof(uint32_t));
	if (owg_plan_verify(g, ctx->diag)) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "internal error: the placement of '%s' is not legal", g->name);
		return false;
	}
	return true;
}
