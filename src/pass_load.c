#include "config.h"

/* pass_load.c - what a request costs, and the bounds that follow.
 *
 * PEA-time of a task per request: E[executions] x E[time] x PEAs.  The
 * total over all tasks, W, bounds throughput: P PEAs finish at most P / W
 * requests per second.
 *
 * The critical path: the longest path of the graph whose edges are the
 * flows, a control block to every node it governs, and a task to the
 * control block whose predicate (or fork count) reads it; a task weighs
 * E[time] times the product, over the blocks that govern it, of the
 * probability of its arm, the mean trips of a loop, and for a fork the
 * probability that there is at least one item (items run side by side).
 * Each path's expected length is at most the expected latency (a sum of
 * expectations is at most the expectation of the maximum), so with
 * unlimited PEAs and free transfers no request is faster on average;
 * with P PEAs, none is faster than W / P either: lb-latency is the larger. */

#include <math.h>
#include <stdlib.h>

#include "dist.h"
#include "fabric.h"
#include "pass_internal.h"

typedef struct edges {
	uint32_t *head;  /* per node: first edge index + 1, 0 = none */
	uint32_t *next;  /* per edge */
	uint32_t *to;
	size_t n, cap;
} edges;

static void add_edge(edges *e, uint32_t from, uint32_t to)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->next = owg_xrealloc(e->next, e->cap * sizeof *e->next);
		e->to = owg_xrealloc(e->to, e->cap * sizeof *e->to);
	}
	e->to[e->n] = to;
	e->next[e->n] = e->head[from];
	e->head[from] = (uint32_t)++e->n;
}

static void reads(edges *e, const owg_expr *x, uint32_t cb)
{
	if (!x)
		return;
	if (x->kind == OWG_EX_OUT)
		add_edge(e, x->u.ref.node, cb);
	else if (x->kind == OWG_EX_UNARY || x->kind == OWG_EX_BINARY) {
		reads(e, x->u.sub.l, cb);
		reads(e, x->u.sub.r, cb);
	}
}

/* Sequential weight of each node's arm: see the header comment. */
static void path_weights(const owg_graph *g, double *seq)
{
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->region == OWG_NONE) {
			seq[i] = 1;
			continue;
		}
		const owg_node *r = &g->nodes.v[n->region];
		const owg_cb_freq *c = &g->an.cb[n->region];
		double x = 1;
		if (r->cb_kind == OWG_CB_LOOP)
			x = c->trips_mean;
		else if (r->cb_kind == OWG_CB_FORK)
			x = owg_count_prob_positive(&r->count);
		else if (r->cb_kind != OWG_CB_ENTRY)
			x = c->arm[n->arm];
		seq[i] = seq[n->region] * x;
	}
}

bool owg_pass_load(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	size_t nn = g->nodes.n;
	if (!g->an.time || !g->an.freq) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'load' needs 'time-stats' and 'branch-freq' first");
		return false;
	}
	owg_analysis *an = &g->an;
	an->pea_time = owg_arena_alloc(&g->arena, nn * sizeof *an->pea_time + 1);
	an->critical = owg_arena_alloc(&g->arena, nn * sizeof *an->critical + 1);
	an->total_pea_time = 0;
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		an->pea_time[i] = an->freq[i].mean * an->time[i].mean * n->peas;
		an->total_pea_time += an->pea_time[i];
	}

	edges e = {owg_xcalloc(nn + 1, sizeof(uint32_t)), NULL, NULL, 0, 0};
	uint32_t *indeg = owg_xcalloc(nn + 1, sizeof *indeg);
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->region != OWG_NONE)
			add_edge(&e, n->region, (uint32_t)i);
		if (n->kind != OWG_NODE_CB)
			continue;
		if (!(n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE))
			reads(&e, n->pred, (uint32_t)i); /* a do-while reads its body after a trip */
		if (n->cb_kind == OWG_CB_FORK && n->count_node != OWG_NONE)
			add_edge(&e, n->count_node, (uint32_t)i);
	}
	for (size_t i = 0; i < g->flows.n; i++)
		add_edge(&e, g->flows.v[i].src, g->flows.v[i].dst);
	for (size_t k = 0; k < e.n; k++)
		indeg[e.to[k]]++;

	/* longest path in topological order (Kahn) */
	double *seq = owg_xmalloc((nn + 1) * sizeof *seq);
	double *dist = owg_xcalloc(nn + 1, sizeof *dist);
	uint32_t *pred = owg_xmalloc((nn + 1) * sizeof *pred);
	uint32_t *queue = owg_xmalloc((nn + 1) * sizeof *queue);
	path_weights(g, seq);
	size_t qh = 0, qt = 0;
	for (size_t i = 0; i < nn; i++) {
		pred[i] = OWG_NONE;
		if (!indeg[i])
			queue[qt++] = (uint32_t)i;
	}
	uint32_t best = OWG_NONE;
	while (qh < qt) {
		uint32_t u = queue[qh++];
		const owg_node *n = &g->nodes.v[u];
		if (n->kind == OWG_NODE_TB)
			dist[u] += seq[u] * an->time[u].mean;
		if (best == OWG_NONE || dist[u] > dist[best])
			best = u;
		for (uint32_t k = e.head[u]; k; k = e.next[k - 1]) {
			uint32_t v = e.to[k - 1];
			if (pred[v] == OWG_NONE || dist[u] > dist[v]) {
				dist[v] = dist[u];
				pred[v] = u;
			}
			if (--indeg[v] == 0)
				queue[qt++] = v;
		}
	}
	bool ok = qt == nn;
	if (!ok)
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "pass 'load': the graph has a cycle (run with --verify-each)");
	an->critical_path = best == OWG_NONE ? 0 : dist[best];
	for (uint32_t v = best; ok && v != OWG_NONE; v = pred[v])
		an->critical[v] = g->nodes.v[v].kind == OWG_NODE_TB && an->time[v].mean > 0 && seq[v] > 0;

	uint64_t usable = owg_fabric_usable_peas(&ctx->fabric);
	an->peas = ctx->opts->peas ? ctx->opts->peas : usable > UINT32_MAX ? UINT32_MAX : (uint32_t)usable;
	if (an->peas == 0)
		an->peas = 1; /* a fabric whose every PEA is defective: placement will refuse it */
	double per_pea = an->total_pea_time / an->peas;
	an->lb_latency = an->critical_path > per_pea ? an->critical_path : per_pea;
	/* 0 stands for "no bound": a workflow whose tasks take no time */
	an->max_throughput = an->total_pea_time > 0 ? an->peas / an->total_pea_time : 0;

	free(e.head);
	free(e.next);
	free(e.to);
	free(indeg);
	free(seq);
	free(dist);
	free(pred);
	free(queue);
	return ok;
}
