#include "config.h"

/* owgrt_exec.c - the host executor: a workflow's requests on worker
 * threads, with the user's kernels and owgc's compiled predicates (API:
 * owgrt.h, "native execution"; semantics: runtime/DESIGN-sim.md, whose
 * block model it shares with the simulator through owgrt_model.h).
 *
 * One lock guards everything but the kernels: the requests, their block
 * and control instances, the scopes of outputs, the scheduler core and
 * the threads' queues.  A worker takes a job from its queue, runs the
 * kernel unlocked, then, locked again, commits what the kernel put out,
 * tells the core, and advances the request: members become ready,
 * control blocks resolve (predicates read the request's outputs), and
 * the core's dispatches go to the queues of the threads that serve their
 * PEAs.  Time is the monotonic clock since the executor opened. */

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "owgrt.h"
#include "owgrt_dist.h"
#include "owgrt_grow.h"
#include "owgrt_model.h"
#include "owgrt_rng.h"
#include "owgrt_sched.h"
#include "owgrt_sim.h"

#define NONE OWGRT_NONE
#define MAX_THREADS 1024
/* a fork whose count output exceeds this stops the run (no silent cap) */
#define MAX_ITEMS 1000000u
/* owgrt_exec_run keeps at most this many requests per thread in flight */
#define WINDOW_PER_THREAD 64

/* What a request's tasks have put out, as its predicates and kernels see
 * it: the request's own, or a fork item's (a copy of its parent's, taken
 * when the item opened). */
typedef struct scope {
	double *vals;  /* per output slot; NaN: not set */
	void **data;   /* per node: the latest execution's buffer */
	size_t *size;
} scope;

typedef struct request {
	uint64_t id;
	void *input;
	double arrival;
	uint32_t top_scope;
	uint32_t *execs; /* per node: executions so far */
	uint32_t *pea;   /* per node: the first PEA of its latest execution, NONE: none yet */
	uint32_t last_pea;
	void **garbage;  /* buffers put out, freed when the request completes */
	size_t ngarbage, cap_garbage;
	bool live;
} request;

typedef struct block {
	uint32_t slot, req, owner, scope; /* owner: the control instance, NONE for the top block */
	uint32_t left;
	uint32_t *wait;  /* per member: predecessors not finished */
	uint64_t index;  /* the trip or item it runs */
	bool own_scope;  /* a fork item's */
} block;

typedef struct cinst {
	uint32_t node, req, parent, exec;
	uint64_t left, trips;
	owgrt_rng rng;
} cinst;

struct owgrt_task { /* a job: one task execution from ready to finished */
	owgrt_exec *ex;
	uint64_t rid, index; /* the request's id; the trip or item */
	void *input;         /* the request's */
	uint32_t block, node, req, exec;
	uint32_t attempt, thread, npeas;
	const uint32_t *peas;
	double *outv;    /* its scalar outputs, committed when it succeeds */
	void *data;      /* its buffer, idem */
	size_t size;
};

typedef struct worker {
	owgrt_exec *ex;
	pthread_t tid;
	pthread_cond_t cv;
	uint32_t *q; /* a ring of jobs */
	size_t head, n, cap;
	bool sleeping;
	double busy; /* seconds between waking and sleeping: kernels and the executor's work */
	double mark; /* since when it has been busy uncounted; < 0: since it woke, not read yet */
	double kmean; /* its kernels' recent mean time, seconds (0 at first: it batches) */
} worker;

/* A table with a free list (blocks, control instances, jobs, scopes, requests). */
typedef struct table {
	void *v;
	size_t n, cap, elem;
	uint32_t *fl;
	size_t nfl, capfl;
} table;

struct named {
	const char *name;
	uint32_t node;
};

struct owgrt_exec {
	owgrt_program *p;
	owgrt_model m;
	owgrt_sched *sc;
	owgrt_exec_opts o;
	owgrt_kernel_fn *kernel; /* per node */
	owgrt_pred_fn *pred;     /* per node */
	uint32_t *out_base;      /* per node: its first output slot */
	uint32_t nouts;
	struct named *by_name;   /* tasks sorted by name, for owgrt_task_data/get */
	uint32_t ntasks;
	uint32_t *thread_of;     /* per PEA */
	owgrt_profile *prof;

	pthread_mutex_t mu;
	pthread_cond_t done_cv;
	worker *w;
	uint32_t nthreads;
	bool stop;
	struct timespec t0;

	table reqs, blocks, cis, jobs, scopes;
	double now;           /* the latest time the core was told */
	uint64_t submitted, completed;
	double first_arrival, last_finish;
	double *latency;
	size_t nlat, cap_lat;
	uint64_t tasks_run, tasks_failed;
	uint32_t queued, running; /* jobs in the threads' queues; jobs taken and not yet done with */
	/* wait_until's: the requests in flight it waits for, and how many
	 * threads wait (completions wake them only when they are due) */
	uint64_t wake_below;
	uint32_t waiters;
	int status; /* the run's: OWGRT_OK until it stops on an error */
	char err[256];
};

static void set_err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t n, const char *fmt, ...)
{
	if (!err || !n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

/* Stops the run on its first error (the lock is held). */
static void fail_run(owgrt_exec *ex, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail_run(owgrt_exec *ex, int status, const char *fmt, ...)
{
	if (ex->status != OWGRT_OK)
		return;
	ex->status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ex->err, sizeof ex->err, fmt, ap);
	va_end(ap);
	pthread_cond_broadcast(&ex->done_cv);
}

static void oom(owgrt_exec *ex)
{
	fail_run(ex, OWGRT_ENOMEM, "out of memory");
}

static double now_of(const owgrt_exec *ex)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - ex->t0.tv_sec) + (double)(t.tv_nsec - ex->t0.tv_nsec) * 1e-9;
}

/* The clock, read under the lock: never behind what the core was told. */
static double clock_now(owgrt_exec *ex)
{
	double t = now_of(ex);
	if (t > ex->now)
		ex->now = t;
	return ex->now;
}

/* --- tables --- */

#define AT(t, type, i) (&((type *)(t)->v)[i])

static uint32_t take(owgrt_exec *ex, table *t)
{
	if (t->nfl)
		return t->fl[--t->nfl];
	if (t->n >= NONE || !owgrt_grow(&t->v, &t->cap, t->n + 1, t->elem)) {
		oom(ex);
		return NONE;
	}
	memset((char *)t->v + t->n * t->elem, 0, t->elem);
	return (uint32_t)t->n++;
}

static void give(owgrt_exec *ex, table *t, uint32_t i)
{
	if (!owgrt_grow((void **)&t->fl, &t->capfl, t->nfl + 1, sizeof *t->fl))
		oom(ex);
	else
		t->fl[t->nfl++] = i;
}

/* --- scopes --- */

/* A scope: a copy of scope `from`'s, or empty (from NONE). */
static uint32_t new_scope(owgrt_exec *ex, uint32_t from_index)
{
	uint32_t s = take(ex, &ex->scopes);
	if (s == NONE)
		return NONE;
	scope *sc = AT(&ex->scopes, scope, s);
	const scope *from = from_index == NONE ? NULL : AT(&ex->scopes, scope, from_index);
	uint32_t nn = ex->p->nnodes;
	/* one allocation: values, buffers, sizes */
	sc->vals = malloc(ex->nouts * sizeof *sc->vals + nn * (sizeof *sc->data + sizeof *sc->size) + 1);
	if (!sc->vals) {
		give(ex, &ex->scopes, s);
		oom(ex);
		return NONE;
	}
	sc->data = (void **)(sc->vals + ex->nouts);
	sc->size = (size_t *)(sc->data + nn);
	if (from) {
		memcpy(sc->vals, from->vals, ex->nouts * sizeof *sc->vals);
		memcpy(sc->data, from->data, nn * sizeof *sc->data);
		memcpy(sc->size, from->size, nn * sizeof *sc->size);
	} else {
		for (uint32_t i = 0; i < ex->nouts; i++)
			sc->vals[i] = NAN;
		memset(sc->data, 0, nn * sizeof *sc->data);
		memset(sc->size, 0, nn * sizeof *sc->size);
	}
	return s;
}

static void free_scope(owgrt_exec *ex, uint32_t s)
{
	scope *sc = AT(&ex->scopes, scope, s);
	free(sc->vals);
	sc->vals = NULL;
	give(ex, &ex->scopes, s);
}

/* --- the request's blocks --- */

static void member_ready(owgrt_exec *ex, uint32_t b, uint32_t n, double now);
static void member_done(owgrt_exec *ex, uint32_t b, uint32_t n, double now);
static void arm_done(owgrt_exec *ex, uint32_t c, double now);

static request *req_of(owgrt_exec *ex, uint32_t r)
{
	return AT(&ex->reqs, request, r);
}

/* Opens block `slot` (trip or item `index`); NONE when it has no members. */
static uint32_t open_block(owgrt_exec *ex, uint32_t slot, uint32_t r, uint32_t owner, uint32_t parent_scope,
			   bool item, uint64_t index, double now)
{
	const owgrt_model *m = &ex->m;
	uint32_t k = m->kid_start[slot + 1] - m->kid_start[slot];
	if (k == 0 || ex->status != OWGRT_OK)
		return NONE;
	uint32_t sc = parent_scope;
	if (item) {
		sc = new_scope(ex, parent_scope);
		if (sc == NONE)
			return NONE;
	}
	uint32_t b = take(ex, &ex->blocks);
	if (b == NONE) {
		if (item)
			free_scope(ex, sc);
		return NONE;
	}
	block *bl = AT(&ex->blocks, block, b);
	bl->slot = slot;
	bl->req = r;
	bl->owner = owner;
	bl->scope = sc;
	bl->own_scope = item;
	bl->index = index;
	bl->left = k;
	bl->wait = malloc(k * sizeof *bl->wait);
	if (!bl->wait) {
		oom(ex);
		return b;
	}
	for (uint32_t i = 0; i < k; i++) {
		uint32_t n = m->kid[m->kid_start[slot] + i];
		bl->wait[i] = m->npred[n];
		if (ex->p->nodes[n].kind == OWGRT_NODE_TASK)
			owgrt_sched_expect(ex->sc, n, req_of(ex, r)->last_pea, now);
	}
	for (uint32_t i = 0; i < k && ex->status == OWGRT_OK; i++) {
		uint32_t n = m->kid[m->kid_start[slot] + i];
		if (AT(&ex->blocks, block, b)->wait[i] == 0)
			member_ready(ex, b, n, now);
	}
	return b;
}

/* --- dispatching --- */

static void push_job(owgrt_exec *ex, uint32_t j, uint32_t thread)
{
	worker *w = &ex->w[thread];
	if (w->n == w->cap && !owgrt_ring_grow((void **)&w->q, &w->cap, &w->head, w->n, sizeof *w->q, 64)) {
		oom(ex);
		return;
	}
	w->q[(w->head + w->n) % w->cap] = j;
	w->n++;
	ex->queued++;
	if (w->sleeping)
		pthread_cond_signal(&w->cv);
}

/* Hands the core's decisions to the threads that serve their first PEA. */
static void drain(owgrt_exec *ex)
{
	size_t n;
	const owgrt_sched_dispatch *d = owgrt_sched_take(ex->sc, &n);
	for (size_t i = 0; i < n; i++) {
		owgrt_task *jb = AT(&ex->jobs, owgrt_task, d[i].job);
		jb->peas = d[i].peas;
		jb->npeas = d[i].npeas;
		jb->thread = ex->thread_of[d[i].peas[0]];
		push_job(ex, d[i].job, jb->thread);
	}
	owgrt_sched_take_moves(ex->sc, &n); /* nobody observes moves here: empty the core's list */
	if (owgrt_sched_oom(ex->sc))
		oom(ex);
}

static uint32_t near_pea(owgrt_exec *ex, const request *rq, uint32_t t)
{
	for (uint32_t k = ex->m.in_start[t]; k < ex->m.in_start[t + 1]; k++) {
		uint32_t src = ex->p->flows[ex->m.in_flow[k]].src;
		if (rq->pea[src] != NONE)
			return rq->pea[src];
	}
	return NONE;
}

static void task_ready(owgrt_exec *ex, uint32_t b, uint32_t t, double now)
{
	uint32_t j = take(ex, &ex->jobs);
	if (j == NONE)
		return;
	const block *bl = AT(&ex->blocks, block, b);
	request *rq = req_of(ex, bl->req);
	owgrt_task *jb = AT(&ex->jobs, owgrt_task, j);
	uint32_t nouts = ex->p->nodes[t].nouts;
	memset(jb, 0, sizeof *jb);
	jb->ex = ex;
	jb->block = b;
	jb->node = t;
	jb->req = bl->req;
	jb->exec = rq->execs[t]++;
	jb->rid = rq->id;
	jb->input = rq->input;
	jb->index = bl->index;
	if (nouts) {
		jb->outv = malloc(nouts * sizeof *jb->outv);
		if (!jb->outv) {
			oom(ex);
			return;
		}
		for (uint32_t i = 0; i < nouts; i++)
			jb->outv[i] = NAN;
	}
	if (!owgrt_sched_ready(ex->sc, j, t, near_pea(ex, rq, t), rq->arrival, now))
		oom(ex);
	drain(ex);
}

/* --- control blocks --- */

static double pred_value(owgrt_exec *ex, const cinst *ci)
{
	const block *bl = AT(&ex->blocks, block, ci->parent);
	return ex->pred[ci->node](AT(&ex->scopes, scope, bl->scope)->vals);
}

static void record_control(owgrt_exec *ex, const cinst *ci, uint64_t outcome)
{
	if (!ex->prof)
		return;
	owgrt_cb_kind k = ex->p->nodes[ci->node].cb_kind;
	int rc = k == OWGRT_CB_LOOP || k == OWGRT_CB_FORK
			 ? owgrt_profile_items(ex->prof, ci->node, outcome)
			 : owgrt_profile_arm(ex->prof, ci->node, outcome > NONE ? NONE : (uint32_t)outcome);
	if (rc == OWGRT_ENOMEM)
		oom(ex);
}

/* The arm a branch, switch or exit takes: its predicate's when it has
 * one, else drawn from the analysis' probabilities. */
static uint32_t choose_arm(owgrt_exec *ex, cinst *ci)
{
	const owgrt_node *x = &ex->p->nodes[ci->node];
	if (x->pred == NONE || !ex->pred[ci->node]) {
		return owgrt_model_pick_arm(&ex->m.prob[ex->m.base[ci->node]], x->narms, &ci->rng);
	}
	double v = pred_value(ex, ci);
	if (x->cb_kind != OWGRT_CB_SWITCH)
		return v != 0 ? 0 : 1; /* then / taken, else / cont */
	uint32_t dflt = NONE;
	for (uint32_t a = 0; a < x->narms; a++) {
		if (x->arms[a].kind == OWGRT_ARM_CASE && x->arms[a].value == v)
			return a;
		if (x->arms[a].kind == OWGRT_ARM_DEFAULT)
			dflt = a;
	}
	return dflt;
}

/* A fork's items: its count output when it has one, else drawn. */
static bool fork_items(owgrt_exec *ex, cinst *ci, uint64_t *k)
{
	const owgrt_node *x = &ex->p->nodes[ci->node];
	if (x->count_node == NONE) {
		*k = owgrt_count_sample(&x->count, &ci->rng);
		return true;
	}
	const block *bl = AT(&ex->blocks, block, ci->parent);
	double v = AT(&ex->scopes, scope, bl->scope)->vals[ex->out_base[x->count_node] + x->count_out];
	if (!(v > 0)) { /* not set (NaN), zero or negative: no items */
		*k = 0;
		return true;
	}
	if (v > MAX_ITEMS) {
		fail_run(ex, OWGRT_EINVAL, "request %llu: fork '%s': %s.%s is %g, more than %u items",
			 (unsigned long long)req_of(ex, ci->req)->id, x->name, ex->p->nodes[x->count_node].name,
			 ex->p->nodes[x->count_node].outs[x->count_out].name, v, MAX_ITEMS);
		return false;
	}
	*k = (uint64_t)llround(v);
	return true;
}

static void finish_cinst(owgrt_exec *ex, uint32_t c, double now)
{
	cinst *ci = AT(&ex->cis, cinst, c);
	uint32_t parent = ci->parent, node = ci->node;
	give(ex, &ex->cis, c);
	member_done(ex, parent, node, now);
}

static void resolve(owgrt_exec *ex, uint32_t c, double now)
{
	cinst *ci = AT(&ex->cis, cinst, c);
	const owgrt_node *x = &ex->p->nodes[ci->node];
	uint32_t base = ex->m.base[ci->node];
	const block *parent = AT(&ex->blocks, block, ci->parent);
	uint32_t sc = parent->scope;
	uint64_t index = parent->index; /* a branch's arm runs in its parent's trip or item */
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
			record_control(ex, ci, 0);
			break;
		}
		if (open_block(ex, base, ci->req, c, sc, false, 0, now) == NONE && ex->status == OWGRT_OK)
			arm_done(ex, c, now);
		return;
	case OWGRT_CB_FORK: {
		uint64_t k;
		if (!fork_items(ex, ci, &k))
			return;
		record_control(ex, ci, k);
		if (k == 0)
			break;
		ci->left = k;
		uint64_t empty = 0;
		uint32_t req = ci->req; /* opening blocks may move the table */
		for (uint64_t i = 0; i < k && ex->status == OWGRT_OK; i++)
			empty += open_block(ex, base, req, c, sc, true, i, now) == NONE;
		if (ex->status != OWGRT_OK)
			return;
		ci = AT(&ex->cis, cinst, c);
		ci->left -= empty;
		if (ci->left == 0)
			break;
		return;
	}
	default: {
		uint32_t arm = choose_arm(ex, ci);
		record_control(ex, ci, arm);
		if (arm == NONE || (x->cb_kind == OWGRT_CB_EXIT && arm == 0))
			break;
		ci->left = 1;
		if (open_block(ex, base + arm, ci->req, c, sc, false, index, now) != NONE || ex->status != OWGRT_OK)
			return;
		break;
	}
	}
	finish_cinst(ex, c, now);
}

static void arm_done(owgrt_exec *ex, uint32_t c, double now)
{
	for (;;) {
		cinst *ci = AT(&ex->cis, cinst, c);
		const owgrt_node *x = &ex->p->nodes[ci->node];
		bool again = false;
		if (x->cb_kind == OWGRT_CB_LOOP && x->loop_kind == OWGRT_LOOP_WHILE) {
			bool more = x->pred != NONE && ex->pred[ci->node]
					    ? pred_value(ex, ci) != 0
					    : owgrt_rng_uniform(&ci->rng) < ex->m.repeat[ci->node];
			again = (x->max_trips == 0 || ci->trips < x->max_trips) && more;
			ci->trips += again;
		} else if (x->cb_kind == OWGRT_CB_LOOP) {
			again = --ci->left > 0;
		} else if (--ci->left > 0) {
			return; /* fork items still running */
		}
		if (!again) {
			if (x->cb_kind == OWGRT_CB_LOOP)
				record_control(ex, ci, ci->trips);
			break;
		}
		uint64_t trip = x->loop_kind == OWGRT_LOOP_WHILE ? ci->trips - 1 : ci->trips - ci->left;
		uint32_t sc = AT(&ex->blocks, block, ci->parent)->scope;
		if (open_block(ex, ex->m.base[ci->node], ci->req, c, sc, false, trip, now) != NONE ||
		    ex->status != OWGRT_OK)
			return;
	}
	finish_cinst(ex, c, now);
}

static void member_ready(owgrt_exec *ex, uint32_t b, uint32_t n, double now)
{
	if (ex->p->nodes[n].kind == OWGRT_NODE_TASK) {
		task_ready(ex, b, n, now);
		return;
	}
	uint32_t c = take(ex, &ex->cis);
	if (c == NONE)
		return;
	const block *bl = AT(&ex->blocks, block, b);
	request *rq = req_of(ex, bl->req);
	cinst *ci = AT(&ex->cis, cinst, c);
	memset(ci, 0, sizeof *ci);
	ci->node = n;
	ci->req = bl->req;
	ci->parent = b;
	ci->exec = rq->execs[n]++;
	owgrt_rng_stream(&ci->rng, ex->o.seed, rq->id, n, ci->exec);
	resolve(ex, c, now); /* on the host a control block decides at once */
}

static void request_done(owgrt_exec *ex, uint32_t r)
{
	request *rq = req_of(ex, r);
	double now = clock_now(ex); /* tasks without kernels do not read it */
	double lat = now - rq->arrival;
	if (owgrt_grow((void **)&ex->latency, &ex->cap_lat, ex->nlat + 1, sizeof *ex->latency))
		ex->latency[ex->nlat++] = lat;
	else
		oom(ex);
	if (ex->prof && owgrt_profile_request(ex->prof, rq->execs) == OWGRT_ENOMEM)
		oom(ex);
	if (ex->o.on_request)
		ex->o.on_request(ex->o.ctx, rq->id, rq->input, lat);
	ex->last_finish = now;
	for (size_t i = 0; i < rq->ngarbage; i++)
		free(rq->garbage[i]);
	free(rq->garbage);
	free(rq->execs); /* pea lives in the same allocation */
	free_scope(ex, rq->top_scope);
	rq->garbage = NULL;
	rq->execs = rq->pea = NULL;
	rq->live = false;
	give(ex, &ex->reqs, r);
	ex->completed++;
	/* wake only those who wait for this: a wake-up per request would
	 * cost a context switch per request */
	if (ex->completed == ex->submitted || ex->submitted - ex->completed <= ex->wake_below)
		pthread_cond_broadcast(&ex->done_cv);
}

static void member_done(owgrt_exec *ex, uint32_t b, uint32_t n, double now)
{
	const owgrt_model *m = &ex->m;
	for (uint32_t k = m->succ_start[n]; k < m->succ_start[n + 1] && ex->status == OWGRT_OK; k++) {
		uint32_t v = m->succ[k];
		block *bl = AT(&ex->blocks, block, b);
		if (--bl->wait[m->midx[v]] == 0)
			member_ready(ex, b, v, now);
	}
	if (ex->status != OWGRT_OK)
		return;
	block *bl = AT(&ex->blocks, block, b);
	if (--bl->left > 0)
		return;
	uint32_t owner = bl->owner, r = bl->req;
	if (bl->own_scope)
		free_scope(ex, bl->scope);
	free(bl->wait);
	bl->wait = NULL;
	give(ex, &ex->blocks, b);
	if (owner == NONE)
		request_done(ex, r);
	else
		arm_done(ex, owner, now);
}

/* --- a job's end --- */

static void drop_job(owgrt_exec *ex, uint32_t j)
{
	owgrt_task *jb = AT(&ex->jobs, owgrt_task, j);
	free(jb->outv);
	free(jb->data);
	jb->outv = NULL;
	jb->data = NULL;
	give(ex, &ex->jobs, j);
}

/* The kernel succeeded: its outputs become the scope's. */
static void commit(owgrt_exec *ex, owgrt_task *jb)
{
	request *rq = req_of(ex, jb->req);
	scope *sc = AT(&ex->scopes, scope, AT(&ex->blocks, block, jb->block)->scope);
	const owgrt_node *x = &ex->p->nodes[jb->node];
	for (uint32_t i = 0; i < x->nouts; i++)
		if (!isnan(jb->outv[i]))
			sc->vals[ex->out_base[jb->node] + i] = jb->outv[i];
	if (jb->data) {
		if (!owgrt_grow((void **)&rq->garbage, &rq->cap_garbage, rq->ngarbage + 1, sizeof *rq->garbage)) {
			oom(ex);
			return;
		}
		rq->garbage[rq->ngarbage++] = jb->data;
		sc->data[jb->node] = jb->data;
		sc->size[jb->node] = jb->size;
		jb->data = NULL;
	}
	rq->pea[jb->node] = jb->peas[0];
	rq->last_pea = jb->peas[0];
}

static void job_finished(owgrt_exec *ex, uint32_t j, double now)
{
	owgrt_task *jb = AT(&ex->jobs, owgrt_task, j);
	commit(ex, jb);
	ex->tasks_run++;
	uint32_t b = jb->block, t = jb->node;
	if (!owgrt_sched_finished(ex->sc, j, now))
		oom(ex);
	drop_job(ex, j);
	drain(ex);
	if (ex->status == OWGRT_OK)
		member_done(ex, b, t, now);
}

/* The kernel reported a failure: its PEA is treated as failed and the
 * execution runs again elsewhere, up to max_attempts times. */
static void job_failed(owgrt_exec *ex, uint32_t j, int rc, double now)
{
	owgrt_task *jb = AT(&ex->jobs, owgrt_task, j);
	ex->tasks_failed++;
	free(jb->data);
	jb->data = NULL;
	for (uint32_t i = 0; i < ex->p->nodes[jb->node].nouts; i++)
		jb->outv[i] = NAN;
	if (++jb->attempt >= ex->o.max_attempts) {
		fail_run(ex, OWGRT_EINVAL, "request %llu: task '%s' failed %u times (kernel '%s' returned %d)",
			 (unsigned long long)req_of(ex, jb->req)->id, ex->p->nodes[jb->node].name, jb->attempt,
			 ex->p->nodes[jb->node].kernel, rc);
		return;
	}
	bool fatal = false;
	uint32_t lost = owgrt_sched_fail(ex->sc, jb->peas[0], now, &fatal);
	if (fatal) {
		fail_run(ex, OWGRT_EINVAL, "task '%s' failed on PEA %u, and some task has no PEA left to run on",
			 ex->p->nodes[jb->node].name, jb->peas[0]);
		return;
	}
	if (lost != j) { /* the core did not hold the job on that PEA: release it */
		if (!owgrt_sched_finished(ex->sc, j, now))
			oom(ex);
	}
	const request *rq = req_of(ex, jb->req);
	if (!owgrt_sched_ready(ex->sc, j, jb->node, near_pea(ex, rq, jb->node), rq->arrival, now))
		oom(ex);
	drain(ex);
}

/* --- the threads --- */

/* Records how job j ended: rc from its kernel, which ran over [start, end]
 * (locked). */
static void job_ran(owgrt_exec *ex, uint32_t j, int rc, double start, double end)
{
	/* the core's time never goes back, whichever thread reports first */
	double now = end > ex->now ? end : ex->now;
	ex->now = now;
	if (rc != 0) {
		job_failed(ex, j, rc, now);
		return;
	}
	const owgrt_task *jb = AT(&ex->jobs, owgrt_task, j);
	if (ex->prof && owgrt_profile_time(ex->prof, jb->node, end - start,
					   owgrt_profile_key(ex->o.seed, jb->rid, jb->node, jb->exec)) == OWGRT_ENOMEM)
		oom(ex);
	job_finished(ex, j, now);
}

enum {
	BATCH = 16 /* jobs a worker takes from its queue at once, when kernels are short */
};
#define SHORT_KERNEL 2e-6 /* seconds: below this a worker batches */

/* Takes jobs from w's queue (one, or a batch while this worker's kernels
 * are short, so that the lock is taken once per batch rather than twice
 * per kernel), runs their kernels one after the other with the lock
 * released, then records them.  Entered and left locked. */
static void run_jobs(owgrt_exec *ex, worker *w)
{
	owgrt_task t[BATCH]; /* copies: the job table may move while they run */
	uint32_t js[BATCH];
	int rc[BATCH];
	double start[BATCH], end[BATCH];
	uint32_t n = 0, most = w->kmean < SHORT_KERNEL ? BATCH : 1;
	bool kernels = false;
	while (w->n && n < most) {
		js[n] = w->q[w->head];
		w->head = (w->head + 1) % w->cap;
		w->n--;
		ex->queued--;
		ex->running++;
		t[n] = *AT(&ex->jobs, owgrt_task, js[n]);
		kernels |= ex->kernel[t[n].node] != NULL;
		n++;
	}
	double at = ex->now; /* tasks without kernels cost nothing, not even the clock */
	for (uint32_t i = 0; i < n; i++) {
		rc[i] = 0;
		start[i] = end[i] = at;
	}
	if (kernels && ex->status == OWGRT_OK) {
		pthread_mutex_unlock(&ex->mu);
		/* one clock read per kernel, two when a profile wants its time */
		if (w->mark < 0)
			w->mark = now_of(ex);
		at = w->mark;
		for (uint32_t i = 0; i < n; i++) {
			owgrt_kernel_fn k = ex->kernel[t[i].node];
			start[i] = end[i] = at;
			if (!k)
				continue;
			start[i] = ex->prof ? now_of(ex) : at;
			rc[i] = k(&t[i]);
			end[i] = at = now_of(ex);
			w->kmean += (end[i] - start[i] - w->kmean) / 8;
		}
		pthread_mutex_lock(&ex->mu);
		w->busy += at - w->mark;
		w->mark = at;
	}
	for (uint32_t i = 0; i < n; i++) {
		owgrt_task *jb = AT(&ex->jobs, owgrt_task, js[i]);
		jb->data = t[i].data; /* freed with the job when the run stopped */
		jb->size = t[i].size;
		if (ex->status == OWGRT_OK)
			job_ran(ex, js[i], rc[i], start[i], end[i]);
		ex->running--;
	}
}

static void *work(void *arg)
{
	worker *w = arg;
	owgrt_exec *ex = w->ex;
	pthread_mutex_lock(&ex->mu);
	for (;;) {
		while (w->n == 0 && !ex->stop) {
			w->sleeping = true;
			pthread_cond_wait(&w->cv, &ex->mu);
			w->sleeping = false;
			w->mark = -1;
		}
		if (ex->stop)
			break;
		run_jobs(ex, w);
		if (ex->running == 0 && ex->queued == 0 && ex->waiters)
			pthread_cond_broadcast(&ex->done_cv); /* wait_until checks for a run that cannot go on */
	}
	pthread_mutex_unlock(&ex->mu);
	return NULL;
}

/* --- options --- */

void owgrt_exec_opts_init(owgrt_exec_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof *o);
	o->policy = OWGRT_POLICY_OCTOPUS;
	o->seed = 1;
	o->max_attempts = 4;
	const char *v;
	char *end;
	if ((v = getenv("OWGRT_THREADS")) && *v) {
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (errno || *end || n < 1 || n > MAX_THREADS || *v == '-')
			o->bad_env = "OWGRT_THREADS";
		else
			o->threads = (uint32_t)n;
	}
	if ((v = getenv("OWGRT_POLICY")) && *v && !owgrt_policy_parse(v, &o->policy) && !o->bad_env)
		o->bad_env = "OWGRT_POLICY";
	if ((v = getenv("OWGRT_SEED")) && *v) {
		errno = 0;
		unsigned long long n = strtoull(v, &end, 10);
		if (errno || *end || *v == '-') {
			if (!o->bad_env)
				o->bad_env = "OWGRT_SEED";
		} else {
			o->seed = n;
		}
	}
	if ((v = getenv("OWGRT_PROFILE_OUT")) && *v)
		o->profile_out = v;
}

static const char *env_expect(const char *name)
{
	if (!strcmp(name, "OWGRT_THREADS"))
		return "a number of threads from 1 to 1024";
	if (!strcmp(name, "OWGRT_POLICY"))
		return "static, reactive, steal or octopus";
	return "a number from 0 to 18446744073709551615";
}

/* --- opening: the image against its program --- */

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* Task `name`'s node, or NONE. */
static uint32_t find_task(const owgrt_exec *ex, const char *name)
{
	if (!name)
		return NONE;
	struct named key = {name, 0};
	const struct named *f = bsearch(&key, ex->by_name, ex->ntasks, sizeof key, by_name);
	return f ? f->node : NONE;
}

/* The kernels and predicates of the image, per node; a message when the
 * image does not hold what its program needs. */
static bool bind_image(owgrt_exec *ex, const owgrt_image *img, char *err, size_t n)
{
	const owgrt_program *p = ex->p;
	for (uint32_t i = 0; i < img->nkernels; i++)
		if (!img->kernel_names || !img->kernels || !img->kernel_names[i] || !img->kernels[i]) {
			set_err(err, n, "image of '%s': kernel %u has no name or no function", p->name, i);
			return false;
		}
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *x = &p->nodes[i];
		if (x->kind != OWGRT_NODE_TASK || !x->kernel)
			continue;
		for (uint32_t k = 0; k < img->nkernels && !ex->kernel[i]; k++)
			if (!strcmp(img->kernel_names[k], x->kernel))
				ex->kernel[i] = img->kernels[k];
		if (!ex->kernel[i]) {
			set_err(err, n, "image of '%s': task '%s' names kernel '%s', which the image does not hold "
				"(was the object compiled from another workflow?)", p->name, x->name, x->kernel);
			return false;
		}
	}
	for (uint32_t i = 0; i < img->npreds; i++) {
		uint32_t c = img->pred_nodes ? img->pred_nodes[i] : NONE;
		if (!img->preds || c >= p->nnodes || p->nodes[c].kind != OWGRT_NODE_CONTROL ||
		    p->nodes[c].pred == NONE || !img->preds[i]) {
			set_err(err, n, "image of '%s': predicate %u is for no control block with a predicate",
				p->name, i);
			return false;
		}
		ex->pred[c] = img->preds[i];
	}
	for (uint32_t i = 0; i < p->nnodes; i++)
		if (p->nodes[i].kind == OWGRT_NODE_CONTROL && p->nodes[i].pred != NONE && !ex->pred[i]) {
			set_err(err, n, "image of '%s': control block '%s' has a predicate but no compiled function",
				p->name, p->nodes[i].name);
			return false;
		}
	return true;
}

/* PEA p is served by thread (its rank among the usable PEAs) % threads. */
static bool map_threads(owgrt_exec *ex)
{
	const owgrt_plan *pl = ex->p->plan;
	size_t npeas = (size_t)pl->width * pl->height;
	ex->thread_of = calloc(npeas + 1, sizeof *ex->thread_of);
	if (!ex->thread_of)
		return false;
	const owgrt_fabric *f = pl->fabric;
	for (uint32_t d = 0; d < f->ndefects; d++)
		ex->thread_of[(size_t)f->defects[d].y * pl->width + f->defects[d].x] = NONE;
	uint32_t rank = 0;
	for (size_t q = 0; q < npeas; q++)
		if (ex->thread_of[q] != NONE)
			ex->thread_of[q] = rank++ % ex->nthreads;
		else
			ex->thread_of[q] = 0; /* a defect: the core never uses it */
	return true;
}

static int check_opts(owgrt_exec *ex, const owgrt_exec_opts *o, char *err, size_t n)
{
	if (o->bad_env) {
		const char *v = getenv(o->bad_env);
		set_err(err, n, "%s='%s': expected %s", o->bad_env, v ? v : "", env_expect(o->bad_env));
		return OWGRT_EINVAL;
	}
	if (o->policy >= OWGRT_POLICIES || o->threads > MAX_THREADS || o->max_attempts < 1) {
		set_err(err, n, "bad options: the policy must be one of the four, threads from 0 (automatic) "
				"to 1024, max_attempts at least 1");
		return OWGRT_EINVAL;
	}
	ex->o = *o;
	ex->nthreads = o->threads;
	if (!ex->nthreads) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		ex->nthreads = c < 1 ? 1 : c > MAX_THREADS ? MAX_THREADS : (uint32_t)c;
	}
	return OWGRT_OK;
}

static int set_up(owgrt_exec *ex, const owgrt_image *img, char *err, size_t n)
{
	int rc = owgrt_load(img->owgp, img->owgp_size, &ex->p, err, n);
	if (rc != OWGRT_OK)
		return rc;
	const owgrt_program *p = ex->p;
	if (!p->plan || !p->analysis.cb || !p->analysis.time) {
		set_err(err, n, "image of '%s': its placement binary has no placement or no analysis "
				"(compile with owgc -c, which adds both)", p->name);
		return OWGRT_EFORMAT;
	}
	uint32_t nn = p->nnodes;
	ex->kernel = calloc(nn, sizeof *ex->kernel);
	ex->pred = calloc(nn, sizeof *ex->pred);
	ex->out_base = calloc(nn, sizeof *ex->out_base);
	ex->by_name = calloc(nn, sizeof *ex->by_name);
	if (!ex->kernel || !ex->pred || !ex->out_base || !ex->by_name)
		goto nomem;
	for (uint32_t i = 0; i < nn; i++) {
		ex->out_base[i] = ex->nouts;
		if (p->nodes[i].kind == OWGRT_NODE_TASK) {
			ex->nouts += p->nodes[i].nouts;
			ex->by_name[ex->ntasks++] = (struct named){p->nodes[i].name, i};
		}
	}
	qsort(ex->by_name, ex->ntasks, sizeof *ex->by_name, by_name);
	if (!bind_image(ex, img, err, n))
		return OWGRT_EINVAL;
	if (!owgrt_model_build(&ex->m, p) || !map_threads(ex))
		goto nomem;
	owgrt_sim_opts so; /* the core's options: the policy, the baselines' tuning */
	owgrt_sim_opts_init(&so);
	so.policy = ex->o.policy;
	so.seed = ex->o.seed;
	char why[256] = "out of memory";
	ex->sc = owgrt_sched_new(p, &so, why, sizeof why);
	if (!ex->sc) {
		set_err(err, n, "%s", why);
		return strcmp(why, "out of memory") ? OWGRT_EFORMAT : OWGRT_ENOMEM;
	}
	if ((ex->o.record_profile || ex->o.profile_out) && !(ex->prof = owgrt_profile_new(p)))
		goto nomem;
	ex->w = calloc(ex->nthreads, sizeof *ex->w);
	if (!ex->w)
		goto nomem;
	ex->reqs.elem = sizeof(request);
	ex->blocks.elem = sizeof(block);
	ex->cis.elem = sizeof(cinst);
	ex->jobs.elem = sizeof(owgrt_task);
	ex->scopes.elem = sizeof(scope);
	return OWGRT_OK;
nomem:
	set_err(err, n, "out of memory");
	return OWGRT_ENOMEM;
}

static void free_table(table *t)
{
	free(t->v);
	free(t->fl);
}

static void free_exec(owgrt_exec *ex)
{
	for (size_t i = 0; i < ex->reqs.n; i++) {
		request *rq = AT(&ex->reqs, request, i);
		if (!rq->live)
			continue;
		for (size_t k = 0; k < rq->ngarbage; k++)
			free(rq->garbage[k]);
		free(rq->garbage);
		free(rq->execs);
	}
	for (size_t i = 0; i < ex->blocks.n; i++)
		free(AT(&ex->blocks, block, i)->wait);
	for (size_t i = 0; i < ex->scopes.n; i++)
		free(AT(&ex->scopes, scope, i)->vals);
	for (size_t i = 0; i < ex->jobs.n; i++) {
		owgrt_task *jb = AT(&ex->jobs, owgrt_task, i);
		free(jb->outv);
		free(jb->data);
	}
	free_table(&ex->reqs);
	free_table(&ex->blocks);
	free_table(&ex->cis);
	free_table(&ex->jobs);
	free_table(&ex->scopes);
	for (uint32_t i = 0; ex->w && i < ex->nthreads; i++)
		free(ex->w[i].q);
	free(ex->w);
	owgrt_profile_free(ex->prof);
	owgrt_sched_free(ex->sc);
	owgrt_model_free(&ex->m);
	owgrt_program_free(ex->p);
	free(ex->kernel);
	free(ex->pred);
	free(ex->out_base);
	free(ex->by_name);
	free(ex->thread_of);
	free(ex->latency);
	free(ex);
}

/* Stops and joins the threads started so far. */
static void stop_threads(owgrt_exec *ex, uint32_t started)
{
	pthread_mutex_lock(&ex->mu);
	ex->stop = true;
	for (uint32_t i = 0; i < started; i++)
		pthread_cond_signal(&ex->w[i].cv);
	pthread_mutex_unlock(&ex->mu);
	for (uint32_t i = 0; i < started; i++)
		pthread_join(ex->w[i].tid, NULL);
	for (uint32_t i = 0; i < ex->nthreads; i++)
		pthread_cond_destroy(&ex->w[i].cv);
	pthread_cond_destroy(&ex->done_cv);
	pthread_mutex_destroy(&ex->mu);
}

int owgrt_exec_open(const owgrt_image *img, const owgrt_exec_opts *o, owgrt_exec **out, char *err, size_t err_size)
{
	if (out)
		*out = NULL;
	if (!img || !out) {
		set_err(err, err_size, "owgrt_exec_open: a NULL argument");
		return OWGRT_EINVAL;
	}
	if (img->abi != OWGRT_IMAGE_ABI || img->reserved) {
		set_err(err, err_size, "the workflow image has ABI %u; this libowgrt reads ABI %u (recompile the "
				       "object with the owgc of this libowgrt)", img->abi, OWGRT_IMAGE_ABI);
		return OWGRT_EVERSION;
	}
	if (!img->owgp) {
		set_err(err, err_size, "the workflow image holds no placement binary");
		return OWGRT_EFORMAT;
	}
	owgrt_exec_opts defaults;
	if (!o) {
		owgrt_exec_opts_init(&defaults);
		o = &defaults;
	}
	owgrt_exec *ex = calloc(1, sizeof *ex);
	if (!ex) {
		set_err(err, err_size, "out of memory");
		return OWGRT_ENOMEM;
	}
	int rc = check_opts(ex, o, err, err_size);
	if (rc == OWGRT_OK)
		rc = set_up(ex, img, err, err_size);
	if (rc != OWGRT_OK) {
		free_exec(ex);
		return rc;
	}
	pthread_mutex_init(&ex->mu, NULL);
	pthread_cond_init(&ex->done_cv, NULL);
	for (uint32_t i = 0; i < ex->nthreads; i++)
		pthread_cond_init(&ex->w[i].cv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ex->t0);
	for (uint32_t i = 0; i < ex->nthreads; i++) {
		ex->w[i].ex = ex;
		ex->w[i].mark = -1;
		if (pthread_create(&ex->w[i].tid, NULL, work, &ex->w[i])) {
			set_err(err, err_size, "cannot start worker thread %u of %u", i + 1, ex->nthreads);
			stop_threads(ex, i);
			free_exec(ex);
			return OWGRT_ENOMEM;
		}
	}
	*out = ex;
	return OWGRT_OK;
}

/* --- running requests --- */

/* Starts a request (locked). */
static int submit_locked(owgrt_exec *ex, void *input, uint64_t *id)
{
	if (ex->status != OWGRT_OK)
		return OWGRT_EINVAL;
	uint32_t r = take(ex, &ex->reqs);
	if (r == NONE)
		return OWGRT_ENOMEM;
	uint32_t nn = ex->p->nnodes;
	request *rq = req_of(ex, r);
	memset(rq, 0, sizeof *rq);
	rq->execs = calloc(2 * (size_t)nn, sizeof *rq->execs); /* then pea */
	rq->top_scope = rq->execs ? new_scope(ex, NONE) : NONE;
	rq = req_of(ex, r);
	if (rq->top_scope == NONE) {
		free(rq->execs);
		rq->execs = NULL;
		give(ex, &ex->reqs, r);
		oom(ex);
		return OWGRT_ENOMEM;
	}
	rq->pea = rq->execs + nn;
	for (uint32_t i = 0; i < nn; i++)
		rq->pea[i] = NONE;
	rq->last_pea = NONE;
	rq->live = true;
	rq->id = ex->submitted++;
	rq->input = input;
	double now = clock_now(ex);
	rq->arrival = now;
	if (rq->id == 0)
		ex->first_arrival = now;
	if (id)
		*id = rq->id;
	uint32_t top = rq->top_scope;
	if (open_block(ex, 0, r, NONE, top, false, 0, now) == NONE && ex->status == OWGRT_OK)
		request_done(ex, r); /* a workflow without members */
	return ex->status == OWGRT_ENOMEM ? OWGRT_ENOMEM : OWGRT_OK;
}

int owgrt_exec_submit(owgrt_exec *ex, void *input, uint64_t *id)
{
	if (!ex)
		return OWGRT_EINVAL;
	pthread_mutex_lock(&ex->mu);
	int rc = submit_locked(ex, input, id);
	pthread_mutex_unlock(&ex->mu);
	return rc;
}

/* Waits (locked) until at most `limit` requests are in flight or the run
 * stopped; stops it when nothing runs and nothing will. */
static void wait_until(owgrt_exec *ex, uint64_t limit)
{
	ex->wake_below = limit;
	ex->waiters++;
	while (ex->submitted - ex->completed > limit && ex->status == OWGRT_OK) {
		if (ex->running == 0 && ex->queued == 0) {
			/* failures left some task with no PEA: the core waits
			 * for a replica to spare, and none will */
			const owgrt_sched_counts *c = owgrt_sched_counters(ex->sc, clock_now(ex));
			fail_run(ex, OWGRT_EINVAL, "the run cannot go on: %u PEAs failed and some task has none left",
				 c->failed_peas);
			break;
		}
		pthread_cond_wait(&ex->done_cv, &ex->mu);
	}
	ex->waiters--;
	ex->wake_below = 0;
}

int owgrt_exec_wait(owgrt_exec *ex, char *err, size_t err_size)
{
	if (!ex) {
		set_err(err, err_size, "owgrt_exec_wait: a NULL argument");
		return OWGRT_EINVAL;
	}
	pthread_mutex_lock(&ex->mu);
	wait_until(ex, 0);
	int rc = ex->status;
	if (rc != OWGRT_OK)
		set_err(err, err_size, "%s", ex->err);
	pthread_mutex_unlock(&ex->mu);
	return rc;
}

int owgrt_exec_run(owgrt_exec *ex, void *const *inputs, size_t n, char *err, size_t err_size)
{
	if (!ex) {
		set_err(err, err_size, "owgrt_exec_run: a NULL argument");
		return OWGRT_EINVAL;
	}
	/* a window of requests in flight bounds the memory of long runs;
	 * when it is full, wait until half of it has completed, then submit
	 * the next half under one hold of the lock */
	uint64_t window = (uint64_t)WINDOW_PER_THREAD * ex->nthreads;
	int rc = OWGRT_OK;
	pthread_mutex_lock(&ex->mu);
	for (size_t i = 0; i < n && rc == OWGRT_OK; i++) {
		if (ex->submitted - ex->completed >= window)
			wait_until(ex, window / 2);
		rc = submit_locked(ex, inputs ? inputs[i] : NULL, NULL);
	}
	pthread_mutex_unlock(&ex->mu);
	int st = owgrt_exec_wait(ex, err, err_size);
	if (st == OWGRT_OK && rc != OWGRT_OK)
		set_err(err, err_size, "out of memory");
	return st != OWGRT_OK ? st : rc;
}

void owgrt_exec_stats_get(const owgrt_exec *cex, owgrt_exec_stats *st)
{
	if (!cex || !st)
		return;
	owgrt_exec *ex = (owgrt_exec *)cex; /* the lock */
	memset(st, 0, sizeof *st);
	pthread_mutex_lock(&ex->mu);
	st->requests = ex->completed;
	st->tasks_run = ex->tasks_run;
	st->tasks_failed = ex->tasks_failed;
	st->threads = ex->nthreads;
	const owgrt_sched_counts *c = owgrt_sched_counters(ex->sc, clock_now(ex));
	st->peas = c->usable_peas;
	st->failed_peas = c->failed_peas;
	st->migrations = c->migrations;
	st->reconfigurations = c->reconfigurations;
	st->makespan = ex->completed ? ex->last_finish - ex->first_arrival : 0;
	for (uint32_t i = 0; i < ex->nthreads; i++)
		st->busy_seconds += ex->w[i].busy;
	double *lat = malloc((ex->nlat + 1) * sizeof *lat);
	size_t n = lat ? ex->nlat : 0;
	if (lat)
		memcpy(lat, ex->latency, n * sizeof *lat);
	pthread_mutex_unlock(&ex->mu);
	if (lat)
		owgrt_latency_summary(lat, n, &st->latency_mean, &st->latency_p50, &st->latency_p95, &st->latency_p99);
	free(lat);
	if (st->makespan > 0) {
		st->throughput = (double)st->requests / st->makespan;
		st->utilisation = st->busy_seconds / (st->threads * st->makespan);
	}
}

const owgrt_program *owgrt_exec_program(const owgrt_exec *ex)
{
	return ex ? ex->p : NULL;
}

int owgrt_exec_profile_write(owgrt_exec *ex, const char *path, char *err, size_t err_size)
{
	if (!ex || !path) {
		set_err(err, err_size, "owgrt_exec_profile_write: a NULL argument");
		return OWGRT_EINVAL;
	}
	if (!ex->prof) {
		set_err(err, err_size, "%s: no profile was recorded (set record_profile or profile_out in the "
				       "options, or OWGRT_PROFILE_OUT)", path);
		return OWGRT_EINVAL;
	}
	pthread_mutex_lock(&ex->mu);
	int rc = owgrt_profile_write_file(ex->prof, path, err, err_size);
	pthread_mutex_unlock(&ex->mu);
	return rc;
}

int owgrt_exec_close(owgrt_exec *ex, char *err, size_t err_size)
{
	if (!ex)
		return OWGRT_OK;
	int rc = owgrt_exec_wait(ex, err, err_size);
	if (rc == OWGRT_OK && ex->o.profile_out)
		rc = owgrt_exec_profile_write(ex, ex->o.profile_out, err, err_size);
	stop_threads(ex, ex->nthreads);
	free_exec(ex);
	return rc;
}

/* --- inside a kernel --- */

const char *owgrt_task_name(const owgrt_task *t)
{
	return t->ex->p->nodes[t->node].name;
}

uint32_t owgrt_task_node(const owgrt_task *t)
{
	return t->node;
}

uint64_t owgrt_task_request(const owgrt_task *t)
{
	return t->rid;
}

void *owgrt_task_input(const owgrt_task *t)
{
	return t->input;
}

uint64_t owgrt_task_index(const owgrt_task *t)
{
	return t->index;
}

uint32_t owgrt_task_thread(const owgrt_task *t)
{
	return t->thread;
}

uint32_t owgrt_task_peas(const owgrt_task *t)
{
	return t->npeas;
}

uint32_t owgrt_task_attempt(const owgrt_task *t)
{
	return t->attempt;
}

void *owgrt_task_output(owgrt_task *t, size_t size)
{
	free(t->data);
	t->data = malloc(size ? size : 1);
	t->size = t->data ? size : 0;
	return t->data;
}

/* Output `out` of task `node`, or NONE. */
static uint32_t find_out(const owgrt_program *p, uint32_t node, const char *out)
{
	for (uint32_t i = 0; out && i < p->nodes[node].nouts; i++)
		if (!strcmp(p->nodes[node].outs[i].name, out))
			return i;
	return NONE;
}

const void *owgrt_task_data(const owgrt_task *t, const char *producer, size_t *size)
{
	owgrt_exec *ex = t->ex;
	const void *d = NULL;
	size_t n = 0;
	uint32_t node = find_task(ex, producer);
	if (node != NONE) {
		pthread_mutex_lock(&ex->mu);
		const scope *sc = AT(&ex->scopes, scope, AT(&ex->blocks, block, t->block)->scope);
		d = sc->data[node];
		n = sc->size[node];
		pthread_mutex_unlock(&ex->mu);
	}
	if (size)
		*size = d ? n : 0;
	return d;
}

int owgrt_task_set(owgrt_task *t, const char *out, double value)
{
	uint32_t i = find_out(t->ex->p, t->node, out);
	if (i == NONE || !isfinite(value))
		return OWGRT_EINVAL;
	t->outv[i] = value;
	return OWGRT_OK;
}

double owgrt_task_get(const owgrt_task *t, const char *task, const char *out)
{
	owgrt_exec *ex = t->ex;
	uint32_t node = find_task(ex, task);
	uint32_t i = node == NONE ? NONE : find_out(ex->p, node, out);
	if (i == NONE)
		return NAN;
	pthread_mutex_lock(&ex->mu);
	const scope *sc = AT(&ex->scopes, scope, AT(&ex->blocks, block, t->block)->scope);
	double v = sc->vals[ex->out_base[node] + i];
	pthread_mutex_unlock(&ex->mu);
	return v;
}
