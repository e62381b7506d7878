#include "config.h"

/* owgrt_sim.c - see owgrt_sim.h and runtime/DESIGN-sim.md.
 *
 * The model (owgrt_model.h) is computed once per program.  A run keeps
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
#include "owgrt_grow.h"
#include "owgrt_model.h"
#include "owgrt_rng.h"
#include "owgrt_sched.h"

#define NONE OWGRT_NONE
/* the stream of request arrivals: (seed, request, ARRIVALS, 0) */
#define ARRIVALS 0xA77A77A7u

typedef owgrt_model model;

/* --- run state --- */

typedef struct request {
	double arrival;
	uint32_t phase;  /* OWGRT_NONE: no phases */
	double *fin;     /* per node: finish of its latest execution in this request (-1: none yet) */
	uint32_t *pea;   /* per node: the first PEA of that execution */
	uint32_t *execs; /* per node: executions so far (the common-random-numbers index) */
	uint32_t last_pea; /* where its latest task ran (OWGRT_NONE: none yet) */
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

typedef struct job { /* one task execution, from ready to finished */
	uint32_t block, node, req, exec;
	uint32_t gen;      /* bumped when a failure cuts it short: its pending event is void */
	uint32_t npeas;
	const uint32_t *peas; /* the scheduler core's, valid while it runs */
	double dur, bound, start;
} job;

enum { EV_ARRIVE, EV_TASK_DONE, EV_RESOLVED, EV_FAIL };

typedef struct event {
	double t;
	uint64_t seq;
	uint32_t kind, a, gen; /* ARRIVE: a = request; TASK_DONE: a = job; RESOLVED: a = control instance; FAIL: a = fault */
} event;

typedef struct sim {
	const owgrt_program *p;
	const owgrt_sim_opts *o;
	const owgrt_sim_observer *ob;
	model m;
	owgrt_mesh mesh;
	owgrt_sched *sc;
	double *link_free; /* per mesh link: when it is free (x links row by row, then y links column by column) */
	request *reqs;
	block *blocks;
	size_t nblocks, cap_blocks;
	uint32_t *free_blocks;
	size_t nfree_blocks, cap_free_blocks;
	cinst *cis;
	size_t ncis, cap_cis;
	uint32_t *free_cis;
	size_t nfree_cis, cap_free_cis;
	job *jobs;
	size_t njobs, cap_jobs;
	uint32_t *free_jobs;
	size_t nfree_jobs, cap_free_jobs;
	event *heap;
	size_t nheap, cap_heap;
	event *res; /* the resolution FIFO: a ring */
	size_t res_head, nres, cap_res;
	uint64_t next_arrival;
	uint64_t seq;
	double *latency;
	double max_ideal;
	owgrt_sim_stats *st;
	bool oom, fatal, half_done;
} sim;

static bool before(const event *a, const event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* The heap of pending task completions and faults: 4-ary, half the depth
 * of a binary heap and its children on one or two cache lines. */
static void push(sim *s, event e)
{
	if (!owgrt_grow((void **)&s->heap, &s->cap_heap, s->nheap + 1, sizeof *s->heap)) {
		s->oom = true;
		return;
	}
	e.seq = s->seq++;
	size_t i = s->nheap++;
	while (i > 0) {
		size_t up = (i - 1) / 4;
		if (!before(&e, &s->heap[up]))
			break;
		s->heap[i] = s->heap[up];
		i = up;
	}
	s->heap[i] = e;
}

static event pop(sim *s)
{
	event top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;
	for (;;) {
		size_t first = 4 * i + 1, m = i;
		const event *best = &last;
		for (size_t k = first; k < first + 4 && k < n; k++)
			if (before(&s->heap[k], best)) {
				m = k;
				best = &s->heap[k];
			}
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

/* Control resolutions all take the same latency from a clock that never
 * goes back: they come due in the order they are made, so a FIFO ring
 * holds them instead of the heap. */
static void push_resolved(sim *s, double t, uint32_t c)
{
	if (s->nres == s->cap_res &&
	    !owgrt_ring_grow((void **)&s->res, &s->cap_res, &s->res_head, s->nres, sizeof *s->res, 64)) {
		s->oom = true;
		return;
	}
	s->res[(s->res_head + s->nres++) % s->cap_res] = (event){t, s->seq++, EV_RESOLVED, c, 0};
}

/* The next event of the three sources: arrivals (in s->reqs, in time
 * order), the resolution FIFO and the heap; at equal times the one made
 * first (arrivals before everything). */
static bool next_event(sim *s, event *e)
{
	const event *r = s->nres ? &s->res[s->res_head] : NULL, *h = s->nheap ? &s->heap[0] : NULL;
	if (s->next_arrival < s->o->requests) {
		double t = s->reqs[s->next_arrival].arrival;
		if ((!r || t <= r->t) && (!h || t <= h->t)) {
			*e = (event){t, 0, EV_ARRIVE, (uint32_t)s->next_arrival++, 0};
			return true;
		}
	}
	if (r && (!h || before(r, h))) {
		*e = *r;
		s->res_head = (s->res_head + 1) % s->cap_res;
		s->nres--;
		return true;
	}
	if (h) {
		*e = pop(s);
		return true;
	}
	return false;
}

/* A slot of a free-listed table (blocks, control instances, jobs). */
static uint32_t take_slot(sim *s, void **v, size_t *n, size_t *cap, uint32_t *fl, size_t *nfl, size_t elem)
{
	if (*nfl)
		return fl[--*nfl];
	if (!owgrt_grow(v, cap, *n + 1, elem)) {
		s->oom = true;
		return NONE;
	}
	memset((char *)*v + *n * elem, 0, elem);
	return (uint32_t)(*n)++;
}

static void give_slot(sim *s, uint32_t **fl, size_t *nfl, size_t *cap, uint32_t x)
{
	if (!owgrt_grow((void **)fl, cap, *nfl + 1, sizeof **fl))
		s->oom = true;
	else
		(*fl)[(*nfl)++] = x;
}

static uint32_t new_block(sim *s)
{
	return take_slot(s, (void **)&s->blocks, &s->nblocks, &s->cap_blocks, s->free_blocks, &s->nfree_blocks,
			 sizeof *s->blocks);
}

static void free_block(sim *s, uint32_t b)
{
	free(s->blocks[b].ideal); /* wait lives in the same allocation */
	s->blocks[b].wait = NULL;
	s->blocks[b].ideal = NULL;
	give_slot(s, &s->free_blocks, &s->nfree_blocks, &s->cap_free_blocks, b);
}

static uint32_t new_cinst(sim *s)
{
	return take_slot(s, (void **)&s->cis, &s->ncis, &s->cap_cis, s->free_cis, &s->nfree_cis, sizeof *s->cis);
}

static void free_cinst(sim *s, uint32_t c)
{
	give_slot(s, &s->free_cis, &s->nfree_cis, &s->cap_free_cis, c);
}

static void member_ready(sim *s, uint32_t b, uint32_t n, double now);
static void member_done(sim *s, uint32_t b, uint32_t n, double ideal_fin, double now);
static void arm_done(sim *s, uint32_t c, double ideal_end, double now);

/* Opens block `slot` for request r; NONE when it has no members (then it
 * is done at once).  Its tasks are announced to the scheduler core first
 * (proactive scheduling: they will be ready soon). */
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
	/* one allocation: the ideal starts, then the countdowns */
	bl->ideal = malloc(k * (sizeof *bl->ideal + sizeof *bl->wait));
	if (!bl->ideal) {
		s->oom = true;
		return b;
	}
	bl->wait = (uint32_t *)(bl->ideal + k);
	for (uint32_t i = 0; i < k; i++) {
		uint32_t n = m->kid[m->kid_start[slot] + i];
		bl->wait[i] = m->npred[n];
		bl->ideal[i] = ideal_start;
		if (s->p->nodes[n].kind == OWGRT_NODE_TASK)
			owgrt_sched_expect(s->sc, n, s->reqs[r].last_pea, now);
	}
	for (uint32_t i = 0; i < k && !s->oom; i++) {
		uint32_t n = m->kid[m->kid_start[slot] + i];
		if (s->blocks[b].wait[i] == 0)
			member_ready(s, b, n, now);
	}
	return b;
}

/* --- the mesh's links: one transfer at a time each --- */

/* Visits the links of the x-then-y route from a to b: with `set` false
 * returns the latest time one of them is busy until; with it true marks
 * them busy until `until`. */
static double route(sim *s, uint32_t a, uint32_t b, bool set, double until)
{
	uint64_t w = s->mesh.width, h = s->mesh.height;
	uint64_t xa = a % w, ya = a / w, xb = b % w, yb = b / w;
	double latest = 0;
	for (uint64_t x = xa; x != xb; x = xb > xa ? x + 1 : x - 1) {
		double *l = &s->link_free[ya * (w - 1) + (xb > xa ? x : x - 1)];
		if (set)
			*l = until;
		else if (*l > latest)
			latest = *l;
	}
	/* y links column by column, so that a route's are contiguous too */
	for (uint64_t y = ya; y != yb; y = yb > ya ? y + 1 : y - 1) {
		double *l = &s->link_free[h * (w - 1) + xb * (h - 1) + (yb > ya ? y : y - 1)];
		if (set)
			*l = until;
		else if (*l > latest)
			latest = *l;
	}
	return latest;
}

/* When `bytes` sent from PEA a at `at` arrive at PEA b: the route's links
 * carry them one transfer after another, each for bytes / bandwidth. */
static double transfer(sim *s, uint32_t a, uint32_t b, double bytes, double at)
{
	if (s->mesh.flat || a == b)
		return at;
	s->st->bytes_moved += bytes;
	double stream, t = owgrt_mesh_transfer_split(&s->mesh, a, b, bytes, &stream);
	double busy = route(s, a, b, false, 0);
	double go = busy > at ? busy : at;
	route(s, a, b, true, go + stream);
	return go + t;
}

/* --- task executions --- */

/* The phase request r runs in; NULL for a stationary stream. */
static const owgrt_phase *phase_of(const sim *s, uint32_t r)
{
	return s->reqs[r].phase == NONE ? NULL : &s->o->phases->v[s->reqs[r].phase];
}

static uint32_t new_job(sim *s)
{
	return take_slot(s, (void **)&s->jobs, &s->njobs, &s->cap_jobs, s->free_jobs, &s->nfree_jobs, sizeof *s->jobs);
}

/* Hands the core's decisions to the mesh: data moves from where each
 * producer ran (at once when staged, else when the destination is known)
 * and the task computes when its data and configuration are there. */
static void drain(sim *s, double now)
{
	size_t n;
	const owgrt_sched_dispatch *d = owgrt_sched_take(s->sc, &n);
	for (size_t i = 0; i < n; i++) {
		job *jb = &s->jobs[d[i].job];
		request *rq = &s->reqs[jb->req];
		uint32_t to = d[i].peas[0];
		double start = d[i].config_ready > now ? d[i].config_ready : now;
		for (uint32_t k = s->m.in_start[jb->node]; k < s->m.in_start[jb->node + 1]; k++) {
			const owgrt_flow *f = &s->p->flows[s->m.in_flow[k]];
			double fin = rq->fin[f->src];
			if (fin < 0)
				continue; /* the producer did not run in this request */
			double at = transfer(s, rq->pea[f->src], to, f->bytes, d[i].staged || fin > now ? fin : now);
			start = at > start ? at : start;
		}
		jb->peas = d[i].peas;
		jb->npeas = d[i].npeas;
		jb->bound = now;
		jb->start = start;
		push(s, (event){start + jb->dur, 0, EV_TASK_DONE, d[i].job, jb->gen});
	}
	const owgrt_sim_observer *ob = s->ob;
	const uint32_t *mv = owgrt_sched_take_moves(s->sc, &n);
	for (size_t i = 0; ob && ob->migrate && i < n; i++)
		ob->migrate(ob->ctx, mv[3 * i], mv[3 * i + 1], mv[3 * i + 2], now);
	if (owgrt_sched_oom(s->sc))
		s->oom = true;
}

/* The PEA holding the first input of task t in request r, to start the
 * search for a place near its data. */
static uint32_t near_pea(const sim *s, const request *rq, uint32_t t)
{
	for (uint32_t k = s->m.in_start[t]; k < s->m.in_start[t + 1]; k++) {
		uint32_t src = s->p->flows[s->m.in_flow[k]].src;
		if (rq->fin[src] >= 0)
			return rq->pea[src];
	}
	return NONE;
}

static void task_ready(sim *s, uint32_t b, uint32_t t, double now)
{
	uint32_t j = new_job(s);
	if (j == NONE)
		return;
	const block *bl = &s->blocks[b];
	request *rq = &s->reqs[bl->req];
	job *jb = &s->jobs[j];
	jb->block = b;
	jb->node = t;
	jb->req = bl->req;
	jb->exec = rq->execs[t]++;
	owgrt_rng rng;
	owgrt_rng_stream(&rng, s->o->seed, bl->req, t, jb->exec);
	const owgrt_phase *ph = phase_of(s, bl->req);
	jb->dur = owgrt_time_sample(&s->p->nodes[t].time, &rng) * (ph ? ph->time[t] : 1);
	if (!owgrt_sched_ready(s->sc, j, t, near_pea(s, rq, t), rq->arrival, now))
		s->oom = true;
	drain(s, now);
}

static void report_task(const sim *s, const job *jb, double end, bool lost)
{
	const owgrt_sim_observer *ob = s->ob;
	if (ob && ob->task)
		ob->task(ob->ctx, jb->req, jb->node, jb->exec, jb->peas, jb->npeas, jb->bound,
			 jb->start < end ? jb->start : end, end, lost);
}

static void task_done(sim *s, uint32_t j, double now)
{
	job *jb = &s->jobs[j];
	request *rq = &s->reqs[jb->req];
	const owgrt_node *n = &s->p->nodes[jb->node];
	s->st->busy_pea_seconds += jb->dur * n->peas;
	s->st->tasks_run++;
	rq->fin[jb->node] = now;
	rq->pea[jb->node] = jb->peas[0];
	rq->last_pea = jb->peas[0];
	report_task(s, jb, now, false);
	uint32_t b = jb->block, t = jb->node;
	double ideal = s->blocks[b].ideal[s->m.midx[t]] + jb->dur;
	if (!owgrt_sched_finished(s->sc, j, now))
		s->oom = true;
	give_slot(s, &s->free_jobs, &s->nfree_jobs, &s->cap_free_jobs, j);
	drain(s, now);
	member_done(s, b, t, ideal, now);
}

static void fail_pea(sim *s, uint32_t pea, double now)
{
	bool fatal;
	uint32_t j = owgrt_sched_fail(s->sc, pea, now, &fatal);
	const owgrt_sim_observer *ob = s->ob;
	if (ob && ob->fail)
		ob->fail(ob->ctx, pea, now);
	if (j != NONE) {
		/* the execution is lost; it runs again, with the same sampled
		 * time (common random numbers), wherever the core puts it */
		job *jb = &s->jobs[j];
		s->st->tasks_lost++;
		report_task(s, jb, now, true);
		jb->gen++;
		if (!owgrt_sched_ready(s->sc, j, jb->node, near_pea(s, &s->reqs[jb->req], jb->node), s->reqs[jb->req].arrival, now))
			s->oom = true;
	}
	drain(s, now);
	s->fatal |= fatal;
}

static void member_ready(sim *s, uint32_t b, uint32_t n, double now)
{
	const owgrt_node *x = &s->p->nodes[n];
	if (x->kind == OWGRT_NODE_TASK) {
		task_ready(s, b, n, now);
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
	s->st->control_messages++;
	push_resolved(s, now + lat, c);
}

static void observe_control(const sim *s, const cinst *ci, uint64_t outcome, double now)
{
	const owgrt_sim_observer *ob = s->ob;
	if (ob && ob->control)
		ob->control(ob->ctx, ci->req, ci->node, ci->exec, outcome, now);
}

/* A sampled trip or item count, scaled by the request's phase. */
static uint64_t phase_count(const sim *s, const cinst *ci, uint64_t k)
{
	const owgrt_phase *ph = phase_of(s, ci->req);
	return ph && ph->count[ci->node] != 1 ? (uint64_t)llround((double)k * ph->count[ci->node]) : k;
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
			ci->left = phase_count(s, ci, owgrt_count_sample(&x->count, &ci->rng));
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
		uint64_t k = phase_count(s, ci, owgrt_count_sample(&x->count, &ci->rng));
		observe_control(s, ci, k, now);
		if (k == 0)
			break;
		ci->left = k;
		uint64_t empty = 0;
		uint32_t req = ci->req; /* opening blocks may move s->cis */
		for (uint64_t i = 0; i < k && !s->oom; i++)
			empty += open_block(s, base, req, c, ideal, now) == NONE;
		ci = &s->cis[c];
		ci->left -= empty;
		if (ci->left == 0)
			break;
		return;
	}
	default: {
		const owgrt_phase *ph = phase_of(s, ci->req);
		const double *prob = ph && ph->arm[ci->node] ? ph->arm[ci->node] : &s->m.prob[base];
		uint32_t arm = owgrt_model_pick_arm(prob, x->narms, &ci->rng);
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
			const owgrt_phase *ph = phase_of(s, ci->req);
			double repeat = ph && !isnan(ph->repeat[ci->node]) ? ph->repeat[ci->node] : s->m.repeat[ci->node];
			again = (x->max_trips == 0 || ci->trips < x->max_trips) && owgrt_rng_uniform(&ci->rng) < repeat;
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
	const owgrt_sim_observer *ob = s->ob;
	if (ob && ob->request)
		ob->request(ob->ctx, r, rq->arrival, now, rq->execs);
	s->latency[s->st->requests++] = now - rq->arrival;
	if (ob && ob->progress && (s->st->requests % (s->o->requests / 100 + 1) == 0 || s->st->requests == s->o->requests))
		ob->progress(ob->ctx, s->st->requests, s->o->requests);
	s->max_ideal = ideal_end > s->max_ideal ? ideal_end : s->max_ideal;
	s->st->last_finish = now > s->st->last_finish ? now : s->st->last_finish;
	free(rq->fin); /* pea and execs live in the same allocation */
	rq->fin = NULL;
	rq->pea = NULL;
	rq->execs = NULL;
	if (!s->half_done && s->st->requests * 2 >= s->o->requests) {
		s->half_done = true; /* "mid-run" failures happen now */
		for (uint32_t i = 0; i < s->o->nfaults; i++)
			if (s->o->faults[i].at_half)
				fail_pea(s, s->o->faults[i].pea, now);
	}
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
	/* one allocation: finish times, then PEAs and execution counts */
	rq->fin = malloc(nn * (sizeof *rq->fin + sizeof *rq->pea + sizeof *rq->execs));
	if (!rq->fin)
		return false;
	rq->last_pea = NONE;
	rq->pea = (uint32_t *)(rq->fin + nn);
	rq->execs = rq->pea + nn;
	memset(rq->pea, 0, nn * (sizeof *rq->pea + sizeof *rq->execs));
	for (uint32_t i = 0; i < nn; i++)
		rq->fin[i] = -1;
	if (open_block(s, 0, r, NONE, rq->arrival, now) == NONE && !s->oom)
		request_done(s, r, rq->arrival, now); /* a workflow without tasks */
	return !s->oom;
}

static void set_err(char *err, size_t n, const char *msg)
{
	if (err && n)
		snprintf(err, n, "%s", msg);
}

static void free_sim(sim *s)
{
	owgrt_model_free(&s->m);
	owgrt_sched_free(s->sc);
	free(s->link_free);
	if (s->reqs)
		for (uint64_t r = 0; r < s->o->requests; r++) {
			free(s->reqs[r].fin);
		}
	free(s->reqs);
	for (size_t b = 0; b < s->nblocks; b++) {
		free(s->blocks[b].ideal);
	}
	free(s->blocks);
	free(s->free_blocks);
	free(s->cis);
	free(s->free_cis);
	free(s->jobs);
	free(s->free_jobs);
	free(s->heap);
	free(s->res);
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
	o->tuning = (owgrt_tuning){8, 5, 16, 0.25}; /* the best of bench/runtime.sh tune */
}

/* Options the simulator cannot run with: a message, or NULL. */
static const char *check_opts(const owgrt_program *p, const owgrt_sim_opts *o)
{
	if (!p->plan)
		return "the program has no placement: compile it with owgc (which writes one by default)";
	if (!p->analysis.cb || !p->analysis.time)
		return "the program has no analysis (branch probabilities, time statistics): "
		       "compile it with owgc, whose pipeline adds it";
	if (o->requests == 0 || o->requests > UINT32_MAX || !(o->rate >= 0) || isinf(o->rate))
		return "requests must be from 1 to 4294967295 and the rate finite and >= 0";
	if (o->policy >= OWGRT_POLICIES)
		return "unknown policy";
	const owgrt_tuning *t = &o->tuning;
	if (!(t->reactive_threshold >= 0 && t->reactive_threshold <= 1e9) ||
	    !(t->reactive_cooldown >= 0 && t->reactive_cooldown <= 1e9) || t->steal_hops < 1 || t->steal_hops > 16 ||
	    !(t->diffusion_margin >= 0 && t->diffusion_margin <= 1))
		return "tuning out of range: thresholds and cooldowns from 0 to 1e9, steal hops from 1 to 16, "
		       "the diffusion margin from 0 to 1";
	if (o->phases && (o->phases->nnodes != p->nnodes || o->phases->n == 0))
		return "the phases were read for another program";
	if (o->nfaults && !o->faults)
		return "faults: a NULL array";
	for (uint32_t i = 0; i < o->nfaults; i++)
		if (o->faults[i].pea >= (uint64_t)p->plan->width * p->plan->height ||
		    !(o->faults[i].at_half || (o->faults[i].time >= 0 && o->faults[i].time < 1e300)))
			return "a fault names a PEA outside the fabric or a time that is not finite and >= 0";
	return NULL;
}

/* Everything a run allocates up front: the model, the core, the links. */
static int set_up(sim *s, const owgrt_program *p, const owgrt_sim_opts *o, owgrt_sim_stats *st, char *err,
		  size_t err_size)
{
	memset(s, 0, sizeof *s);
	s->p = p;
	s->o = o;
	s->ob = o->observer;
	s->st = st;
	const owgrt_fabric *f = p->plan->fabric;
	owgrt_mesh_init(&s->mesh, f->grid_w, f->grid_h, f->hop_latency, f->link_bandwidth, f->reconfig_bandwidth,
			f->flat);
	if (!owgrt_model_build(&s->m, p)) {
		set_err(err, err_size, "out of memory");
		return OWGRT_ENOMEM;
	}
	char why[256] = "out of memory";
	s->sc = owgrt_sched_new(p, o, why, sizeof why);
	if (!s->sc) {
		set_err(err, err_size, why);
		return strcmp(why, "out of memory") ? OWGRT_EFORMAT : OWGRT_ENOMEM;
	}
	if (!f->flat)
		s->link_free = calloc(2 * (size_t)s->mesh.width * s->mesh.height + 1, sizeof *s->link_free);
	s->reqs = calloc(o->requests, sizeof *s->reqs);
	s->latency = calloc(o->requests, sizeof *s->latency);
	if ((!f->flat && !s->link_free) || !s->reqs || !s->latency) {
		set_err(err, err_size, "out of memory");
		return OWGRT_ENOMEM;
	}
	return OWGRT_OK;
}

static void finish_stats(sim *s, owgrt_sim_stats *st)
{
	const owgrt_sched_counts *c = owgrt_sched_counters(s->sc, st->last_finish);
	st->peas = c->usable_peas;
	st->failed_peas = c->failed_peas;
	st->migrations = c->migrations;
	st->reconfigurations = c->reconfigurations;
	st->control_messages += c->control_messages;
	st->idle_backlog_pea_seconds = c->idle_backlog_pea_seconds;
	st->first_arrival = 0;
	st->makespan = st->last_finish;
	double peas = st->peas ? st->peas : 1;
	double work = st->busy_pea_seconds / peas;
	st->lb = s->max_ideal > work ? s->max_ideal : work;
	st->throughput = st->makespan > 0 ? (double)st->requests / st->makespan : 0;
	st->utilisation = st->makespan > 0 ? st->busy_pea_seconds / (peas * st->makespan) : 0;
	st->idle_with_backlog = st->makespan > 0 ? st->idle_backlog_pea_seconds / (peas * st->makespan) : 0;
	owgrt_latency_summary(s->latency, st->requests, &st->latency_mean, &st->latency_p50, &st->latency_p95,
			      &st->latency_p99);
}

int owgrt_simulate(const owgrt_program *p, const owgrt_sim_opts *o, owgrt_sim_stats *st, char *err, size_t err_size)
{
	if (!p || !o || !st) {
		set_err(err, err_size, "owgrt_simulate: a NULL argument");
		return OWGRT_EINVAL;
	}
	const char *bad = check_opts(p, o);
	if (bad) {
		set_err(err, err_size, bad);
		return OWGRT_EINVAL;
	}
	memset(st, 0, sizeof *st);
	sim s;
	int rc = set_up(&s, p, o, st, err, err_size);
	if (rc != OWGRT_OK) {
		free_sim(&s);
		return rc;
	}
	/* arrivals: request 0 at time 0, then exponential gaps at the rate */
	double t = 0;
	for (uint64_t r = 0; r < o->requests; r++) {
		if (r && o->rate > 0) {
			owgrt_rng rng;
			owgrt_rng_stream(&rng, o->seed, r, ARRIVALS, 0);
			t += -log(owgrt_rng_uniform_pos(&rng)) / o->rate;
		}
		s.reqs[r].arrival = t;
		s.reqs[r].phase = o->phases ? owgrt_phase_of(o->phases, r, o->requests) : NONE;
	}
	for (uint32_t i = 0; i < o->nfaults; i++)
		if (!o->faults[i].at_half)
			push(&s, (event){o->faults[i].time, 0, EV_FAIL, i, 0});
	/* arrivals come in time order: they wait in s.reqs, not in the heap
	 * (which then holds only what is in flight); at equal times an
	 * arrival goes first */
	bool ok = true;
	event e;
	while (ok && !s.oom && !s.fatal && next_event(&s, &e)) {
		st->events++;
		switch (e.kind) {
		case EV_ARRIVE:
			ok = start_request(&s, e.a, e.t);
			break;
		case EV_TASK_DONE:
			if (s.jobs[e.a].gen == e.gen)
				task_done(&s, e.a, e.t);
			break;
		case EV_RESOLVED:
			resolve(&s, e.a, e.t);
			break;
		case EV_FAIL:
			fail_pea(&s, o->faults[e.a].pea, e.t);
			break;
		}
	}
	/* work left waiting when the events ran out: failures left a task
	 * nothing to run on */
	if (!s.oom && ok && st->requests < o->requests)
		s.fatal = true;
	if (s.fatal) {
		if (owgrt_sched_counters(s.sc, 0)->failed_peas || !(st->requests < o->requests))
			set_err(err, err_size, "PEA failures left a task without PEAs wide enough to run it anywhere");
		else /* no failure explains it */
			snprintf(err, err_size,
				 "internal error: %llu of %llu requests were left waiting with nothing to start "
				 "them (a bug of the scheduler core: please report it with the .owgp and the options)",
				 (unsigned long long)(o->requests - st->requests), (unsigned long long)o->requests);
		free_sim(&s);
		return OWGRT_EINVAL;
	}
	if (!ok || s.oom) {
		set_err(err, err_size, "out of memory");
		free_sim(&s);
		return OWGRT_ENOMEM;
	}
	finish_stats(&s, st);
	free_sim(&s);
	return OWGRT_OK;
}
