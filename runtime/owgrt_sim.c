#include "config.h"

/* owgrt_sim.c - see owgrt_sim.h and runtime/DESIGN-sim.md.
 *
 * The model, computed once per program: the members of every block (arm
 * of a control node), per member its successors in its block's DAG (flows
 * and predicate reads lifted to the lowest block holding both ends), the
 * flows into every task, and the probabilities of every arm.  A run keeps
 * block instances (one per arm execution: a trip, an item) with a
 * countdown per member, control instances, and one event queue ordered by
 * (time, sequence number), so that runs are deterministic. */

#include "owgrt_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owgrt_dist.h"
#include "owgrt_mesh.h"
#include "owgrt_rng.h"

#define NONE OWGRT_NONE
/* the stream of request arrivals: (seed, request, ARRIVALS, 0) */
#define ARRIVALS 0xA77A77A7u

/* A growable array: false when memory runs out. */
static bool grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *p = realloc(*v, c * elem);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* --- the model --- */

typedef struct model {
	const owgrt_program *p;
	uint32_t nn, nslots;
	uint32_t *base;               /* per node: its first slot (control nodes) */
	uint32_t *kid_start, *kid;    /* per slot: its members, kid[kid_start[s] .. kid_start[s + 1]) */
	uint32_t *midx;               /* per node: its index among its block's members */
	uint32_t *succ_start, *succ;  /* per node: its successors in its block */
	uint32_t *npred;              /* per node: its predecessors in its block */
	uint32_t *in_start, *in_flow; /* per task: the flows into it */
	double *prob;                 /* per slot: the probability of the arm (branch, switch, exit) */
	double *repeat;               /* per node: while loops' repeat probability */
} model;

static uint32_t slot_of(const model *m, uint32_t n)
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
static bool lift(const model *m, const uint32_t *depth, uint32_t a, uint32_t b, edge *e)
{
	const owgrt_node *nodes = m->p->nodes;
	while (depth[a] > depth[b])
		a = nodes[a].region;
	while (depth[b] > depth[a])
		b = nodes[b].region;
	while (a != b && slot_of(m, a) != slot_of(m, b)) {
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

static bool add_lifted(edges *es, const model *m, const uint32_t *depth, uint32_t a, uint32_t b)
{
	if (!grow((void **)&es->v, &es->cap, es->n + 1, sizeof *es->v))
		return false;
	if (lift(m, depth, a, b, &es->v[es->n]))
		es->n++;
	return true;
}

/* Edges from the tasks a predicate reads to its control node: the operands
 * of an expression come before it, so its subtree is a range ending at
 * the root; the loader bounds the depth. */
static bool add_reads(edges *es, const model *m, const uint32_t *depth, uint32_t root, uint32_t cb)
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
static void arm_probs(const model *m, uint32_t n)
{
	const owgrt_node *x = &m->p->nodes[n];
	const owgrt_cb_freq *cf = &m->p->analysis.cb[n];
	if (x->cb_kind == OWGRT_CB_LOOP)
		m->repeat[n] = cf->repeat;
	else if (cf->arm && cf->narms == x->narms)
		for (uint32_t a = 0; a < x->narms; a++)
			m->prob[m->base[n] + a] = cf->arm[a];
}

static bool build_model(model *m, const owgrt_program *p)
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
		m->kid_start[slot_of(m, i) + 1]++;
	for (uint32_t s = 0; ok && s < m->nslots; s++)
		m->kid_start[s + 1] += m->kid_start[s];
	for (uint32_t i = 1; ok && i < nn; i++) {
		uint32_t s = slot_of(m, i);
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

static void free_model(model *m)
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

/* --- run state --- */

typedef struct request {
	double arrival;
	double *fin;     /* per node: finish of its latest execution in this request (-1: none yet) */
	uint32_t *pea;   /* per node: the first PEA of that execution */
	uint32_t *execs; /* per node: executions so far (the common-random-numbers index) */
} request;

typedef struct block {
	uint32_t slot, req, owner; /* owner: the control instance, NONE for a request's top block */
	uint32_t left;             /* members not finished */
	uint32_t *wait;            /* per member: predecessors not finished */
	double *ideal;             /* per member: ideal start */
	double ideal_end;          /* the largest ideal finish of its members */
} block;

typedef struct cinst { /* one execution of a control node */
	uint32_t node, req, parent; /* parent: its block instance */
	uint64_t left;              /* count loops: trips to go; forks: items not finished */
	uint64_t trips;             /* loops: trips so far (count loops: all of them) */
	uint32_t exec;              /* the node's execution index in the request */
	double ideal;               /* ideal finish so far */
	owgrt_rng rng;
} cinst;

enum { EV_ARRIVE, EV_TASK_DONE, EV_RESOLVED };

typedef struct event {
	double t;
	uint64_t seq;
	uint32_t kind, a, b, pea; /* ARRIVE: a request; TASK_DONE: a = block, b = task; RESOLVED: a = control instance */
	double ideal;             /* TASK_DONE: the task's ideal finish */
} event;

typedef struct sim {
	const owgrt_program *p;
	const owgrt_sim_opts *o;
	model m;
	owgrt_mesh mesh;
	double *free_at;      /* per replica unit: when it is free (static policy) */
	uint32_t *first_unit; /* per task: its first replica unit */
	uint32_t *order;      /* per task, from first_unit: its replicas as a min-heap on (free_at, replica) */
	request *reqs;
	block *blocks;
	size_t nblocks, cap_blocks;
	uint32_t *free_blocks;
	size_t nfree_blocks, cap_free_blocks;
	cinst *cis;
	size_t ncis, cap_cis;
	uint32_t *free_cis;
	size_t nfree_cis, cap_free_cis;
	event *heap;
	size_t nheap, cap_heap;
	uint64_t seq;
	double *latency;
	double max_ideal;
	owgrt_sim_stats *st;
	bool oom;
} sim;

static void push(sim *s, event e)
{
	if (!grow((void **)&s->heap, &s->cap_heap, s->nheap + 1, sizeof *s->heap)) {
		s->oom = true;
		return;
	}
	e.seq = s->seq++;
	size_t i = s->nheap++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		event *u = &s->heap[up];
		if (u->t < e.t || (u->t == e.t && u->seq < e.seq))
			break;
		s->heap[i] = *u;
		i = up;
	}
	s->heap[i] = e;
}

static event pop(sim *s)
{
	event top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const event *best = &last;
		if (l < n && (s->heap[l].t < best->t || (s->heap[l].t == best->t && s->heap[l].seq < best->seq))) {
			m = l;
			best = &s->heap[l];
		}
		if (r < n && (s->heap[r].t < best->t || (s->heap[r].t == best->t && s->heap[r].seq < best->seq)))
			m = r;
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

static uint32_t new_block(sim *s)
{
	if (s->nfree_blocks)
		return s->free_blocks[--s->nfree_blocks];
	if (!grow((void **)&s->blocks, &s->cap_blocks, s->nblocks + 1, sizeof *s->blocks)) {
		s->oom = true;
		return NONE;
	}
	memset(&s->blocks[s->nblocks], 0, sizeof *s->blocks);
	return (uint32_t)s->nblocks++;
}

static void free_block(sim *s, uint32_t b)
{
	free(s->blocks[b].wait);
	free(s->blocks[b].ideal);
	s->blocks[b].wait = NULL;
	s->blocks[b].ideal = NULL;
	if (!grow((void **)&s->free_blocks, &s->cap_free_blocks, s->nfree_blocks + 1, sizeof *s->free_blocks))
		s->oom = true;
	else
		s->free_blocks[s->nfree_blocks++] = b;
}

static uint32_t new_cinst(sim *s)
{
	if (s->nfree_cis)
		return s->free_cis[--s->nfree_cis];
	if (!grow((void **)&s->cis, &s->cap_cis, s->ncis + 1, sizeof *s->cis)) {
		s->oom = true;
		return NONE;
	}
	return (uint32_t)s->ncis++;
}

static void free_cinst(sim *s, uint32_t c)
{
	if (!grow((void **)&s->free_cis, &s->cap_free_cis, s->nfree_cis + 1, sizeof *s->free_cis))
		s->oom = true;
	else
		s->free_cis[s->nfree_cis++] = c;
}

static void member_ready(sim *s, uint32_t b, uint32_t n, double now);
static void member_done(sim *s, uint32_t b, uint32_t n, double ideal_fin, double now);
static void arm_done(sim *s, uint32_t c, double ideal_end, double now);

/* Opens block `slot` for request r; NONE when it has no members (then it
 * is done at once). */
static uint32_t open_block(sim *s, uint32_t slot, uint32_t r, uint32_t owner, double ideal_start, double now)
{
	const model *m = &s->m;
	uint32_t k = m->kid_start[slot + 1] - m->kid_start[slot];
	if (k == 0)
		return NONE;
	uint32_t b = new_block(s);
	if (b == NONE)
		return NONE;
	block *bl = &s->blocks[b];
	bl->slot = slot;
	bl->req = r;
	bl->owner = owner;
	bl->left = k;
	bl->ideal_end = ideal_start;
	bl->wait = malloc(k * sizeof *bl->wait);
	bl->ideal = malloc(k * sizeof *bl->ideal);
	if (!bl->wait || !bl->ideal) {
		s->oom = true;
		return b;
	}
	for (uint32_t i = 0; i < k; i++) {
		bl->wait[i] = m->npred[m->kid[m->kid_start[slot] + i]];
		bl->ideal[i] = ideal_start;
	}
	for (uint32_t i = 0; i < k && !s->oom; i++) {
		uint32_t n = m->kid[m->kid_start[slot] + i];
		if (s->blocks[b].wait[i] == 0)
			member_ready(s, b, n, now);
	}
	return b;
}

static double elapsed_transfer(const sim *s, const request *rq, uint32_t t, uint32_t pea, double now)
{
	double ready = now;
	for (uint32_t k = s->m.in_start[t]; k < s->m.in_start[t + 1]; k++) {
		const owgrt_flow *f = &s->p->flows[s->m.in_flow[k]];
		if (rq->fin[f->src] < 0)
			continue; /* the producer did not run in this request */
		double at = rq->fin[f->src] + owgrt_mesh_transfer_time(&s->mesh, rq->pea[f->src], pea, f->bytes);
		ready = at > ready ? at : ready;
	}
	return ready;
}

static bool unit_before(const sim *s, uint32_t base, uint32_t x, uint32_t y)
{
	double fx = s->free_at[base + x], fy = s->free_at[base + y];
	return fx < fy || (fx == fy && x < y);
}

/* The replica at the top of t's heap got busier: restore the heap, in
 * O(log replicas) so that dispatch does not grow with the fabric. */
static void sift_top(sim *s, uint32_t t, uint32_t reps)
{
	uint32_t base = s->first_unit[t], *h = &s->order[base];
	for (uint32_t i = 0;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < reps && unit_before(s, base, h[l], h[m]))
			m = l;
		if (r < reps && unit_before(s, base, h[r], h[m]))
			m = r;
		if (m == i)
			return;
		uint32_t tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* The static policy: the replica of t that frees up first. */
static void dispatch(sim *s, uint32_t b, uint32_t t, double now)
{
	const owgrt_program *p = s->p;
	const owgrt_node *n = &p->nodes[t];
	const owgrt_binding *bd = &p->plan->fixed;
	block *bl = &s->blocks[b];
	request *rq = &s->reqs[bl->req];
	uint32_t reps = bd->replicas[t], best = s->order[s->first_unit[t]];
	uint32_t pea = bd->peas[bd->first[t] + best * n->peas];
	double start = elapsed_transfer(s, rq, t, pea, now);
	double *fa = &s->free_at[s->first_unit[t] + best];
	start = *fa > start ? *fa : start;
	owgrt_rng rng;
	owgrt_rng_stream(&rng, s->o->seed, bl->req, t, rq->execs[t]++);
	double dur = owgrt_time_sample(&n->time, &rng);
	*fa = start + dur;
	sift_top(s, t, reps);
	s->st->busy_pea_seconds += dur * n->peas;
	s->st->tasks_run++;
	const owgrt_sim_observer *ob = s->o->observer;
	if (ob && ob->task)
		ob->task(ob->ctx, bl->req, t, rq->execs[t] - 1, &bd->peas[bd->first[t] + best * n->peas], n->peas, now,
			 start, start + dur, false);
	event e = {start + dur, 0, EV_TASK_DONE, b, t, pea, bl->ideal[s->m.midx[t]] + dur};
	push(s, e);
}

static void member_ready(sim *s, uint32_t b, uint32_t n, double now)
{
	const owgrt_node *x = &s->p->nodes[n];
	if (x->kind == OWGRT_NODE_TASK) {
		dispatch(s, b, n, now);
		return;
	}
	uint32_t c = new_cinst(s);
	if (c == NONE)
		return;
	block *bl = &s->blocks[b];
	cinst *ci = &s->cis[c];
	memset(ci, 0, sizeof *ci);
	ci->node = n;
	ci->req = bl->req;
	ci->parent = b;
	ci->ideal = bl->ideal[s->m.midx[n]];
	ci->exec = s->reqs[bl->req].execs[n]++;
	owgrt_rng_stream(&ci->rng, s->o->seed, bl->req, n, ci->exec);
	double lat = s->p->plan->fabric->flat ? 0 : s->p->plan->fabric->control_latency;
	event e = {now + lat, 0, EV_RESOLVED, c, 0, 0, 0};
	push(s, e);
}

static void observe_control(const sim *s, const cinst *ci, uint64_t outcome, double now)
{
	const owgrt_sim_observer *ob = s->o->observer;
	if (ob && ob->control)
		ob->control(ob->ctx, ci->req, ci->node, ci->exec, outcome, now);
}

static uint32_t pick(const double *prob, uint32_t n, owgrt_rng *r)
{
	double u = owgrt_rng_uniform(r), acc = 0;
	for (uint32_t a = 0; a < n; a++) {
		acc += prob[a];
		if (u < acc)
			return a;
	}
	return NONE; /* a switch without a default whose cases left a share */
}

/* Runs the arms a control instance opens now; finishes it when nothing is
 * left to wait for. */
static void resolve(sim *s, uint32_t c, double now)
{
	cinst *ci = &s->cis[c];
	const owgrt_node *x = &s->p->nodes[ci->node];
	uint32_t base = s->m.base[ci->node];
	double ideal = ci->ideal;
	switch (x->cb_kind) {
	case OWGRT_CB_LOOP:
		if (x->loop_kind == OWGRT_LOOP_WHILE) {
			ci->trips = 1;
			ci->left = 1;
		} else {
			ci->left = owgrt_count_sample(&x->count, &ci->rng);
			ci->trips = ci->left;
		}
		if (ci->left == 0) {
			observe_control(s, ci, 0, now);
			break;
		}
		if (open_block(s, base, ci->req, c, ideal, now) == NONE && !s->oom)
			arm_done(s, c, ideal, now);
		return;
	case OWGRT_CB_FORK: {
		uint64_t k = owgrt_count_sample(&x->count, &ci->rng);
		observe_control(s, ci, k, now);
		if (k == 0)
			break;
		ci->left = k;
		uint64_t empty = 0;
		for (uint64_t i = 0; i < k && !s->oom; i++)
			empty += open_block(s, base, ci->req, c, ideal, now) == NONE;
		ci = &s->cis[c];
		ci->left -= empty;
		if (ci->left == 0)
			break;
		return;
	}
	default: {
		uint32_t arm = pick(&s->m.prob[base], x->narms, &ci->rng);
		observe_control(s, ci, arm, now);
		if (arm == NONE || (x->cb_kind == OWGRT_CB_EXIT && arm == 0))
			break; /* no arm, or the exit was taken */
		ci->left = 1;
		if (open_block(s, base + arm, ci->req, c, ideal, now) != NONE || s->oom)
			return;
		break;
	}
	}
	ci = &s->cis[c];
	uint32_t parent = ci->parent, node = ci->node;
	double fin = ci->ideal;
	free_cinst(s, c);
	member_done(s, parent, node, fin, now);
}

/* One arm execution of control instance c finished (ideal end given). */
static void arm_done(sim *s, uint32_t c, double ideal_end, double now)
{
	for (;;) {
		cinst *ci = &s->cis[c];
		const owgrt_node *x = &s->p->nodes[ci->node];
		ci->ideal = ideal_end > ci->ideal ? ideal_end : ci->ideal;
		bool again = false;
		if (x->cb_kind == OWGRT_CB_LOOP && x->loop_kind == OWGRT_LOOP_WHILE) {
			again = (x->max_trips == 0 || ci->trips < x->max_trips) &&
				owgrt_rng_uniform(&ci->rng) < s->m.repeat[ci->node];
			ci->trips += again;
		} else if (x->cb_kind == OWGRT_CB_LOOP) {
			again = --ci->left > 0;
		} else if (--ci->left > 0) {
			return; /* fork items still running */
		}
		if (!again) {
			if (x->cb_kind == OWGRT_CB_LOOP)
				observe_control(s, ci, ci->trips, now);
			break;
		}
		/* the next trip starts where this one ended, ideally too */
		if (open_block(s, s->m.base[ci->node], ci->req, c, ci->ideal, now) != NONE || s->oom)
			return;
		ideal_end = s->cis[c].ideal; /* an empty trip: done at once */
	}
	cinst *ci = &s->cis[c];
	uint32_t parent = ci->parent, node = ci->node;
	double fin = ci->ideal;
	free_cinst(s, c);
	member_done(s, parent, node, fin, now);
}

static void request_done(sim *s, uint32_t r, double ideal_end, double now)
{
	request *rq = &s->reqs[r];
	const owgrt_sim_observer *ob = s->o->observer;
	if (ob && ob->request)
		ob->request(ob->ctx, r, rq->arrival, now, rq->execs);
	s->latency[s->st->requests++] = now - rq->arrival;
	if (ob && ob->progress && (s->st->requests % (s->o->requests / 100 + 1) == 0 || s->st->requests == s->o->requests))
		ob->progress(ob->ctx, s->st->requests, s->o->requests);
	s->max_ideal = ideal_end > s->max_ideal ? ideal_end : s->max_ideal;
	s->st->last_finish = now > s->st->last_finish ? now : s->st->last_finish;
	free(rq->fin);
	free(rq->pea);
	free(rq->execs);
	rq->fin = NULL;
	rq->pea = NULL;
	rq->execs = NULL;
}

static void member_done(sim *s, uint32_t b, uint32_t n, double ideal_fin, double now)
{
	const model *m = &s->m;
	block *bl = &s->blocks[b];
	if (ideal_fin > bl->ideal_end)
		bl->ideal_end = ideal_fin;
	for (uint32_t k = m->succ_start[n]; k < m->succ_start[n + 1]; k++) {
		uint32_t v = m->succ[k], i = m->midx[v];
		bl = &s->blocks[b];
		if (ideal_fin > bl->ideal[i])
			bl->ideal[i] = ideal_fin;
		if (--bl->wait[i] == 0)
			member_ready(s, b, v, now);
	}
	bl = &s->blocks[b];
	if (--bl->left > 0)
		return;
	uint32_t owner = bl->owner, r = bl->req;
	double end = bl->ideal_end;
	free_block(s, b);
	if (owner == NONE)
		request_done(s, r, end, now);
	else
		arm_done(s, owner, end, now);
}

static bool start_request(sim *s, uint32_t r, double now)
{
	request *rq = &s->reqs[r];
	uint32_t nn = s->p->nnodes;
	rq->fin = malloc(nn * sizeof *rq->fin);
	rq->pea = calloc(nn, sizeof *rq->pea);
	rq->execs = calloc(nn, sizeof *rq->execs);
	if (!rq->fin || !rq->pea || !rq->execs)
		return false;
	for (uint32_t i = 0; i < nn; i++)
		rq->fin[i] = -1;
	if (open_block(s, 0, r, NONE, rq->arrival, now) == NONE && !s->oom)
		request_done(s, r, rq->arrival, now); /* a workflow without tasks */
	return !s->oom;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double quantile(const double *sorted, uint64_t n, double q)
{
	uint64_t k = (uint64_t)ceil(q * (double)n);
	return n ? sorted[k ? k - 1 : 0] : 0;
}

static void set_err(char *err, size_t n, const char *msg)
{
	if (err && n)
		snprintf(err, n, "%s", msg);
}

static void free_sim(sim *s)
{
	free_model(&s->m);
	free(s->free_at);
	free(s->first_unit);
	free(s->order);
	if (s->reqs)
		for (uint64_t r = 0; r < s->o->requests; r++) {
			free(s->reqs[r].fin);
			free(s->reqs[r].pea);
			free(s->reqs[r].execs);
		}
	free(s->reqs);
	for (size_t b = 0; b < s->nblocks; b++) {
		free(s->blocks[b].wait);
		free(s->blocks[b].ideal);
	}
	free(s->blocks);
	free(s->free_blocks);
	free(s->cis);
	free(s->free_cis);
	free(s->heap);
	free(s->latency);
}

const char *owgrt_policy_name(owgrt_policy p)
{
	static const char *const names[OWGRT_POLICIES] = {"static", "reactive", "steal", "octopus"};
	return p < OWGRT_POLICIES ? names[p] : "?";
}

bool owgrt_policy_parse(const char *name, owgrt_policy *out)
{
	for (int i = 0; i < OWGRT_POLICIES; i++)
		if (!strcmp(name, owgrt_policy_name((owgrt_policy)i))) {
			*out = (owgrt_policy)i;
			return true;
		}
	return false;
}

void owgrt_sim_opts_init(owgrt_sim_opts *o)
{
	memset(o, 0, sizeof *o);
	o->requests = 1000;
	o->seed = 1;
	o->policy = OWGRT_POLICY_STATIC;
	o->octopus = OWGRT_OCTO_ALL;
	o->tuning = (owgrt_tuning){2, 10, 2, 0.25};
}

int owgrt_simulate(const owgrt_program *p, const owgrt_sim_opts *o, owgrt_sim_stats *st, char *err, size_t err_size)
{
	if (!p || !o || !st) {
		set_err(err, err_size, "owgrt_simulate: a NULL argument");
		return OWGRT_EINVAL;
	}
	if (!p->plan) {
		set_err(err, err_size, "the program has no placement: compile it with owgc (which writes one by default)");
		return OWGRT_EINVAL;
	}
	if (!p->analysis.cb || !p->analysis.time) {
		set_err(err, err_size, "the program has no analysis (branch probabilities, time statistics): "
			"compile it with owgc, whose pipeline adds it");
		return OWGRT_EINVAL;
	}
	if (o->requests == 0 || o->requests > UINT32_MAX || !(o->rate >= 0) || isinf(o->rate)) {
		set_err(err, err_size, "requests must be from 1 to 4294967295 and the rate finite and >= 0");
		return OWGRT_EINVAL;
	}
	if (o->policy != OWGRT_POLICY_STATIC || o->nfaults || o->phases) {
		set_err(err, err_size, "this build simulates the static policy only, without phases or faults");
		return OWGRT_EINVAL;
	}
	memset(st, 0, sizeof *st);
	sim s;
	memset(&s, 0, sizeof s);
	s.p = p;
	s.o = o;
	s.st = st;
	const owgrt_fabric *f = p->plan->fabric;
	owgrt_mesh_init(&s.mesh, f->grid_w, f->grid_h, f->hop_latency, f->link_bandwidth, f->reconfig_bandwidth, f->flat);
	bool ok = build_model(&s.m, p);
	/* replica units of the static binding */
	s.first_unit = calloc(p->nnodes + 1, sizeof *s.first_unit);
	uint64_t units = 0;
	for (uint32_t i = 0; ok && s.first_unit && i < p->nnodes; i++) {
		s.first_unit[i] = (uint32_t)units;
		units += p->plan->fixed.replicas[i];
	}
	s.free_at = calloc(units + 1, sizeof *s.free_at);
	s.order = malloc((units + 1) * sizeof *s.order);
	for (uint32_t i = 0; s.order && s.first_unit && i < p->nnodes; i++)
		for (uint32_t r = 0; r < p->plan->fixed.replicas[i]; r++)
			s.order[s.first_unit[i] + r] = r; /* all free at 0: in index order, a heap */
	s.reqs = calloc(o->requests, sizeof *s.reqs);
	s.latency = calloc(o->requests, sizeof *s.latency);
	ok = ok && s.first_unit && s.free_at && s.order && s.reqs && s.latency;
	for (uint32_t i = 0; ok && i < p->nnodes; i++)
		if (p->nodes[i].kind == OWGRT_NODE_TASK && p->plan->fixed.replicas[i] == 0) {
			set_err(err, err_size, "the static binding leaves a task without a replica");
			free_sim(&s);
			return OWGRT_EFORMAT;
		}

	/* arrivals: request 0 at time 0, then exponential gaps at the rate */
	double t = 0;
	for (uint64_t r = 0; ok && r < o->requests; r++) {
		if (r && o->rate > 0) {
			owgrt_rng rng;
			owgrt_rng_stream(&rng, o->seed, r, ARRIVALS, 0);
			t += -log(owgrt_rng_uniform_pos(&rng)) / o->rate;
		}
		s.reqs[r].arrival = t;
		event e = {t, 0, EV_ARRIVE, (uint32_t)r, 0, 0, 0};
		push(&s, e);
	}
	while (ok && s.nheap && !s.oom) {
		event e = pop(&s);
		st->events++;
		switch (e.kind) {
		case EV_ARRIVE:
			ok = start_request(&s, e.a, e.t);
			break;
		case EV_TASK_DONE: {
			request *rq = &s.reqs[s.blocks[e.a].req];
			rq->fin[e.b] = e.t;
			rq->pea[e.b] = e.pea;
			member_done(&s, e.a, e.b, e.ideal, e.t);
			break;
		}
		case EV_RESOLVED:
			resolve(&s, e.a, e.t);
			break;
		}
	}
	if (!ok || s.oom) {
		set_err(err, err_size, "out of memory");
		free_sim(&s);
		return OWGRT_ENOMEM;
	}

	uint64_t peas = (uint64_t)p->plan->width * p->plan->height;
	peas = peas > f->ndefects ? peas - f->ndefects : 1;
	st->peas = peas > UINT32_MAX ? UINT32_MAX : (uint32_t)peas;
	st->first_arrival = 0;
	st->makespan = st->last_finish;
	double work = st->busy_pea_seconds / (double)peas;
	st->lb = s.max_ideal > work ? s.max_ideal : work;
	st->throughput = st->makespan > 0 ? (double)st->requests / st->makespan : 0;
	st->utilisation = st->makespan > 0 ? st->busy_pea_seconds / ((double)peas * st->makespan) : 0;
	double sum = 0;
	for (uint64_t r = 0; r < st->requests; r++)
		sum += s.latency[r];
	st->latency_mean = st->requests ? sum / (double)st->requests : 0;
	qsort(s.latency, st->requests, sizeof *s.latency, cmp_double);
	st->latency_p50 = quantile(s.latency, st->requests, 0.50);
	st->latency_p95 = quantile(s.latency, st->requests, 0.95);
	st->latency_p99 = quantile(s.latency, st->requests, 0.99);
	free_sim(&s);
	return OWGRT_OK;
}
