#include "config.h"

/* owgrt_model.c - see owgrt_model.h. */

#include "owgrt_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "owgrt_grow.h"

#define NONE OWGRT_NONE

uint32_t owgrt_model_slot(const owgrt_model *m, uint32_t n)
{
	const owgrt_node *x = &m->p->nodes[n];
	return m->base[x->region] + x->arm;
}

typedef struct edge {
	uint32_t a, b;
} edge;

static int by_edge(const void *x, const void *y)
{
	const edge *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* The edge a -> b between the members of the lowest block holding both;
 * false when there is none (both in one member, or in different arms of
 * one control node). */
static bool lift(const owgrt_model *m, const uint32_t *depth, uint32_t a, uint32_t b, edge *e)
{
	const owgrt_node *nodes = m->p->nodes;
	while (depth[a] > depth[b])
		a = nodes[a].region;
	while (depth[b] > depth[a])
		b = nodes[b].region;
	while (a != b && owgrt_model_slot(m, a) != owgrt_model_slot(m, b)) {
		a = nodes[a].region;
		b = nodes[b].region;
	}
	if (a == b)
		return false;
	*e = (edge){a, b};
	return true;
}

typedef struct edges {
	edge *v;
	size_t n, cap;
} edges;

static bool add_lifted(edges *es, const owgrt_model *m, const uint32_t *depth, uint32_t a, uint32_t b)
{
	if (!owgrt_grow((void **)&es->v, &es->cap, es->n + 1, sizeof *es->v))
		return false;
	if (lift(m, depth, a, b, &es->v[es->n]))
		es->n++;
	return true;
}

/* Edges from the tasks a predicate reads to its control node: the operands
 * of an expression come before it, so its subtree is a range ending at
 * the root; the loader bounds the depth. */
static bool add_reads(edges *es, const owgrt_model *m, const uint32_t *depth, uint32_t root, uint32_t cb)
{
	const owgrt_expr *ex = m->p->exprs;
	uint32_t stack[1024];
	size_t sp = 0;
	stack[sp++] = root;
	while (sp) {
		const owgrt_expr *e = &ex[stack[--sp]];
		if (e->kind == OWGRT_EX_OUT) {
			if (!add_lifted(es, m, depth, e->node, cb))
				return false;
		} else if ((e->kind == OWGRT_EX_UNARY || e->kind == OWGRT_EX_BINARY) && sp + 2 <= 1024) {
			stack[sp++] = e->l;
			if (e->kind == OWGRT_EX_BINARY)
				stack[sp++] = e->r;
		}
	}
	return true;
}

/* Arm probabilities: what owgc's branch-freq decided (the analysis; the
 * simulator requires it), so that compile-time predictions and runs agree. */
static void arm_probs(const owgrt_model *m, uint32_t n)
{
	const owgrt_node *x = &m->p->nodes[n];
	const owgrt_cb_freq *cf = &m->p->analysis.cb[n];
	if (x->cb_kind == OWGRT_CB_LOOP)
		m->repeat[n] = cf->repeat;
	else if (cf->arm && cf->narms == x->narms)
		for (uint32_t a = 0; a < x->narms; a++)
			m->prob[m->base[n] + a] = cf->arm[a];
}

bool owgrt_model_build(owgrt_model *m, const owgrt_program *p)
{
	uint32_t nn = p->nnodes;
	memset(m, 0, sizeof *m);
	m->p = p;
	m->nn = nn;
	m->base = calloc(nn + 1, sizeof *m->base);
	m->midx = calloc(nn + 1, sizeof *m->midx);
	m->repeat = calloc(nn + 1, sizeof *m->repeat);
	uint32_t *depth = calloc(nn + 1, sizeof *depth);
	if (!m->base || !m->midx || !m->repeat || !depth) {
		free(depth);
		return false;
	}
	for (uint32_t i = 0; i < nn; i++) {
		m->base[i] = m->nslots;
		if (p->nodes[i].kind == OWGRT_NODE_CONTROL)
			m->nslots += p->nodes[i].narms;
		depth[i] = i ? depth[p->nodes[i].region] + 1 : 0;
	}
	m->kid_start = calloc(m->nslots + 2, sizeof *m->kid_start);
	m->kid = malloc((nn + 1) * sizeof *m->kid);
	m->prob = calloc(m->nslots + 1, sizeof *m->prob);
	uint32_t *fill = calloc(m->nslots + 1, sizeof *fill);
	edges es = {0};
	bool ok = m->kid_start && m->kid && m->prob && fill;
	for (uint32_t i = 1; ok && i < nn; i++)
		m->kid_start[owgrt_model_slot(m, i) + 1]++;
	for (uint32_t s = 0; ok && s < m->nslots; s++)
		m->kid_start[s + 1] += m->kid_start[s];
	for (uint32_t i = 1; ok && i < nn; i++) {
		uint32_t s = owgrt_model_slot(m, i);
		m->midx[i] = fill[s];
		m->kid[m->kid_start[s] + fill[s]++] = i;
	}
	for (uint32_t k = 0; ok && k < p->nflows; k++)
		ok = add_lifted(&es, m, depth, p->flows[k].src, p->flows[k].dst);
	for (uint32_t i = 0; ok && i < nn; i++) {
		const owgrt_node *n = &p->nodes[i];
		if (n->kind != OWGRT_NODE_CONTROL)
			continue;
		arm_probs(m, i);
		if (n->pred != NONE && !(n->cb_kind == OWGRT_CB_LOOP && n->loop_kind == OWGRT_LOOP_WHILE))
			ok = add_reads(&es, m, depth, n->pred, i);
		if (ok && n->cb_kind == OWGRT_CB_FORK && n->count_node != NONE)
			ok = add_lifted(&es, m, depth, n->count_node, i);
	}
	free(fill);
	free(depth);
	if (ok && es.n)
		qsort(es.v, es.n, sizeof *es.v, by_edge);
	m->succ_start = calloc(nn + 2, sizeof *m->succ_start);
	m->succ = malloc((es.n + 1) * sizeof *m->succ);
	m->npred = calloc(nn + 1, sizeof *m->npred);
	ok = ok && m->succ_start && m->succ && m->npred;
	for (size_t k = 0, j = 0; ok && k < es.n; k++) {
		if (k && es.v[k].a == es.v[k - 1].a && es.v[k].b == es.v[k - 1].b)
			continue; /* one edge per pair */
		m->succ[j++] = es.v[k].b;
		m->succ_start[es.v[k].a + 1]++;
		m->npred[es.v[k].b]++;
	}
	for (uint32_t i = 0; ok && i < nn; i++)
		m->succ_start[i + 1] += m->succ_start[i];
	free(es.v);

	m->in_start = calloc(nn + 2, sizeof *m->in_start);
	m->in_flow = malloc((p->nflows + 1) * sizeof *m->in_flow);
	uint32_t *fl = calloc(nn + 1, sizeof *fl);
	ok = ok && m->in_start && m->in_flow && fl;
	for (uint32_t k = 0; ok && k < p->nflows; k++)
		m->in_start[p->flows[k].dst + 1]++;
	for (uint32_t i = 0; ok && i < nn; i++)
		m->in_start[i + 1] += m->in_start[i];
	for (uint32_t k = 0; ok && k < p->nflows; k++) {
		uint32_t d = p->flows[k].dst;
		m->in_flow[m->in_start[d] + fl[d]++] = k;
	}
	free(fl);
	return ok;
}

void owgrt_model_free(owgrt_model *m)
{
	free(m->base);
	free(m->kid_start);
	free(m->kid);
	free(m->midx);
	free(m->succ_start);
	free(m->succ);
	free(m->npred);
	free(m->in_start);
	free(m->in_flow);
	free(m->prob);
	free(m->repeat);
}


uint32_t owgrt_model_pick_arm(const double *prob, uint32_t n, owgrt_rng *r)
{
	double u = owgrt_rng_uniform(r), acc = 0;
	for (uint32_t a = 0; a < n; a++) {
		acc += prob[a];
		if (u < acc)
			return a;
	}
	return NONE;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double quantile(const double *sorted, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);
	return n ? sorted[k ? k - 1 : 0] : 0;
}

void owgrt_latency_summary(double *v, size_t n, double *mean, double *p50, double *p95, double *p99)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	*mean = n ? sum / (double)n : 0;
	qsort(v, n, sizeof *v, cmp_double);
	*p50 = quantile(v, n, 0.50);
	*p95 = quantile(v, n, 0.95);
	*p99 = quantile(v, n, 0.99);
}
