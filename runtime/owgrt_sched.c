#include "config.h"

/* owgrt_sched.c - see owgrt_sched.h.
 *
 * State: per PEA its unit or pool, the task it is configured for and when
 * that configuration is ready (a few words: the 64-byte budget per PEA);
 * per unit its task and running job; per task a FIFO of jobs waiting for
 * one of its units and a list of its idle units; per cluster a pool of
 * free PEAs and a queue of jobs waiting for the pool (a heap: least
 * laxity first under octopus's adaptive TBU, else first come).
 *
 * The policies differ only where a ready job goes when its own units are
 * busy, and what a freed unit does when its task has nothing waiting:
 * static waits; reactive migrates an idle replica of an idle task once a
 * queue grows past its threshold; steal lets idle units within k hops
 * take waiting work (thieves look when they go idle, and a queued job
 * looks for idle thieves); octopus sends elastic tasks to the pools next
 * to their data, lets pinned work overflow there when that finishes
 * earlier and idle pinned replicas take elastic work, configures pool
 * PEAs ahead of expected work, and diffuses work to the nearest pools
 * with room.  runtime/DESIGN-sim.md states every rule. */

#include "owgrt_sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owgrt_mesh.h"
#include "owgrt_zindex.h"

#define NONE OWGRT_NONE

enum { JOB_IDLE, JOB_TASKQ, JOB_POOLQ, JOB_RUNNING };
enum { PEA_OFF, PEA_UNIT, PEA_POOL, PEA_DEAD };

typedef struct unit {
	uint32_t first, width; /* its PEAs: sc->unit_peas[first .. first + width) */
	uint32_t task;
	uint32_t own;          /* the task whose index of replicas holds it (its first) */
	uint32_t job;          /* running, NONE when idle */
	uint32_t prev, next;   /* in its task's idle list */
	double migrated_at, idle_since;
	bool dead, idle;
} unit;

typedef struct task_state {
	uint32_t qhead, qtail, qlen; /* jobs waiting for a unit (FIFO through job.next) */
	uint32_t idle, idle_tail;    /* its idle units, the last idle the longest */
	uint32_t units;              /* live units */
	uint32_t home;               /* cluster of its pool */
	uint32_t width;
	uint32_t anchor;             /* a PEA of one of its units (steal: where thieves look) */
	uint32_t zfirst;             /* its first unit: item i of zi is unit zfirst + i */
	owgrt_zindex zi;             /* its own units by position, 1 when idle: the nearest idle one */
	bool elastic;                /* through the pools */
	double mean, rank;           /* expected time; expected remaining path (critical path first) */
	double in_bytes, out_bytes;  /* bytes flowing into and out of one execution */
	double config_time;
} task_state;

typedef struct cluster {
	uint32_t *free, nfree, cap; /* free pool PEAs */
	uint32_t size;              /* live pool PEAs */
	uint32_t *heap, nheap, hcap;
	double work;                /* expected PEA-seconds waiting in the queue */
	uint32_t *pinned, npinned;  /* octopus: the pinned tasks with a replica here */
} cluster;

typedef struct job {
	uint32_t node, unit, cluster; /* unit: NONE on pool PEAs; cluster: its pool or queue */
	uint32_t next, near;
	uint32_t home;                /* the pool it belongs to: near its data (elastic jobs) */
	uint32_t *gang, gcap;         /* pool PEAs of a running job */
	double key;                   /* adaptive TBU order: its request's arrival minus its remaining path */
	uint64_t seq;
	uint8_t state;
} job;

struct owgrt_sched {
	const owgrt_program *p;
	owgrt_policy policy;
	unsigned octo;
	owgrt_tuning tu;
	owgrt_mesh mesh;
	uint32_t npeas, nnodes;
	/* pools span blocks of bs x bs clusters, wide enough for the widest
	 * elastic task: nclusters = cw x ch such blocks ("clusters" below) */
	uint32_t bs, nclusters, cw, ch;
	uint8_t *pea_state;
	uint32_t *pea_unit, *pea_cfg, *pea_job, *pea_block;
	double *pea_ready;
	unit *units;
	uint32_t nunits, *unit_peas;
	task_state *ts;
	cluster *cl;
	owgrt_zindex z; /* free PEAs and waiting work of the pools, for nearest-match queries */
	job *jobs;
	uint32_t njobs;
	uint64_t seq;
	owgrt_sched_dispatch *out;
	size_t nout, capout;
	uint32_t *moves;
	size_t nmoves, capmoves;
	uint32_t busy, queued;
	uint32_t *starved, nstarved, capstarved; /* tasks failures left with no PEAs; replicas to spare will cover them */
	double last, mean_task;
	owgrt_sched_counts c;
	bool oom;
};

static bool grow(void **v, uint32_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	void *q = realloc(*v, c * elem);
	if (!q)
		return false;
	*v = q;
	*cap = (uint32_t)c;
	return true;
}

static bool grow_sz(void **v, size_t *cap, size_t need, size_t elem)
{
	uint32_t c = (uint32_t)*cap;
	bool ok = grow(v, &c, need, elem);
	*cap = c;
	return ok;
}

static bool octo(const owgrt_sched *sc, unsigned m)
{
	return sc->policy == OWGRT_POLICY_OCTOPUS && (sc->octo & m);
}

/* The block of PEA pea with blocks of the current size (set-up). */
static uint32_t block_of(const owgrt_sched *sc, uint32_t pea)
{
	uint32_t x = pea % sc->mesh.width / sc->mesh.cluster_w, y = pea / sc->mesh.width / sc->mesh.cluster_h;
	return y / sc->bs * sc->cw + x / sc->bs;
}

/* The block ("cluster") of PEA pea, once the blocks are chosen. */
static uint32_t cluster_of(const owgrt_sched *sc, uint32_t pea)
{
	return sc->pea_block[pea];
}

/* The block of the plan's cluster c. */
static uint32_t block_of_cluster(const owgrt_sched *sc, uint32_t c)
{
	uint32_t cols = sc->p->plan->cwidth;
	return c / cols / sc->bs * sc->cw + c % cols / sc->bs;
}

/* Hops between blocks a and b on the grid of blocks. */
static uint32_t block_hops(const owgrt_sched *sc, uint32_t a, uint32_t b)
{
	uint32_t ax = a % sc->cw, ay = a / sc->cw, bx = b % sc->cw, by = b / sc->cw;
	return (ax > bx ? ax - bx : bx - ax) + (ay > by ? ay - by : by - ay);
}

/* Block c itself (i = 0), or its neighbour i = 1..4 (east, west, south,
 * north); NONE off the grid. */
static uint32_t around(const owgrt_sched *sc, uint32_t c, int i)
{
	static const int dx[5] = {0, 1, -1, 0, 0}, dy[5] = {0, 0, 0, 1, -1};
	int64_t x = (int64_t)(c % sc->cw) + dx[i], y = (int64_t)(c / sc->cw) + dy[i];
	return x < 0 || y < 0 || x >= sc->cw || y >= sc->ch ? NONE : (uint32_t)(y * sc->cw + x);
}

static void set_blocks(owgrt_sched *sc, uint32_t bs)
{
	const owgrt_plan *pl = sc->p->plan;
	sc->bs = bs;
	sc->cw = (pl->cwidth + bs - 1) / bs;
	sc->ch = (pl->cheight + bs - 1) / bs;
	sc->nclusters = sc->cw * sc->ch;
}

/* The smallest blocks whose pools fit every elastic task at its home
 * (usually single clusters); false when even the whole fabric does not. */
static bool choose_blocks(owgrt_sched *sc, const owgrt_binding *bd, bool all_elastic)
{
	const owgrt_plan *pl = sc->p->plan;
	uint32_t side = pl->cwidth > pl->cheight ? pl->cwidth : pl->cheight;
	for (uint32_t bs = 1;; bs *= 2) {
		set_blocks(sc, bs);
		uint32_t *size = calloc(sc->nclusters + 1, sizeof *size);
		if (!size) {
			sc->oom = true;
			return false;
		}
		for (uint32_t q = 0; q < sc->npeas; q++)
			size[block_of(sc, q)] += sc->pea_state[q] == PEA_POOL;
		bool fits = true;
		for (uint32_t t = 0; t < sc->nnodes && fits; t++) {
			const task_state *s = &sc->ts[t];
			if (sc->p->nodes[t].kind != OWGRT_NODE_TASK || s->units)
				continue;
			uint32_t home = all_elastic && bd->replicas[t] ? block_of(sc, bd->peas[bd->first[t]])
								      : block_of_cluster(sc, bd->home[t] % pl->nclusters);
			fits = size[home] >= s->width;
		}
		free(size);
		if (fits)
			return true;
		if (bs >= side)
			return false;
	}
}

/* --- idle-with-backlog: PEA-time idle while some job waits --- */

static void advance(owgrt_sched *sc, double now)
{
	if (now > sc->last) {
		if (sc->queued) {
			uint32_t live = sc->c.usable_peas - sc->c.failed_peas;
			sc->c.idle_backlog_pea_seconds += (double)(live - sc->busy) * (now - sc->last);
		}
		sc->last = now;
	}
}

/* --- the free PEAs of a pool --- */

/* Publishes pool c's free PEAs and the width of its first waiting job. */
static void touch(owgrt_sched *sc, uint32_t c)
{
	const cluster *k = &sc->cl[c];
	owgrt_zindex_set(&sc->z, c, k->nfree, k->nheap ? sc->ts[sc->jobs[k->heap[0]].node].width : UINT32_MAX);
}

/* Returns a PEA to pool c; the caller publishes the pool (touch) once
 * it has put back all it had. */
static void pool_put(owgrt_sched *sc, uint32_t c, uint32_t pea)
{
	cluster *k = &sc->cl[c];
	if (!grow((void **)&k->free, &k->cap, k->nfree + 1, sizeof *k->free)) {
		sc->oom = true;
		return;
	}
	k->free[k->nfree++] = pea;
}

static void pool_remove(owgrt_sched *sc, uint32_t c, uint32_t pea)
{
	cluster *k = &sc->cl[c];
	for (uint32_t i = 0; i < k->nfree; i++)
		if (k->free[i] == pea) {
			k->free[i] = k->free[--k->nfree];
			touch(sc, c);
			return;
		}
}

/* --- the pool queues: a heap on (priority desc, seq asc) --- */

/* Pool queues: under octopus's adaptive TBU, least laxity first (the
 * request that arrived first, less the job's expected remaining path:
 * critical-path-first within a request, oldest request first across
 * them, so that no request starves); else first come, first served. */
static bool job_before(const owgrt_sched *sc, uint32_t a, uint32_t b)
{
	const job *x = &sc->jobs[a], *y = &sc->jobs[b];
	if (octo(sc, OWGRT_OCTO_ADAPTIVE) && x->key != y->key)
		return x->key < y->key;
	return x->seq < y->seq;
}

static void heap_push(owgrt_sched *sc, uint32_t c, uint32_t j)
{
	cluster *k = &sc->cl[c];
	if (!grow((void **)&k->heap, &k->hcap, k->nheap + 1, sizeof *k->heap)) {
		sc->oom = true;
		return;
	}
	uint32_t i = k->nheap++;
	while (i > 0) {
		uint32_t up = (i - 1) / 2;
		if (!job_before(sc, j, k->heap[up]))
			break;
		k->heap[i] = k->heap[up];
		i = up;
	}
	k->heap[i] = j;
	sc->jobs[j].state = JOB_POOLQ;
	sc->jobs[j].cluster = c;
	k->work += sc->ts[sc->jobs[j].node].mean * sc->ts[sc->jobs[j].node].width;
	sc->queued++;
	touch(sc, c);
}

/* Removes the job at position `at` of pool c's queue. */
static uint32_t heap_take(owgrt_sched *sc, uint32_t c, uint32_t at)
{
	cluster *k = &sc->cl[c];
	uint32_t top = k->heap[at], last = k->heap[--k->nheap], n = k->nheap, i = at;
	if (at < n) {
		while (i > 0 && job_before(sc, last, k->heap[(i - 1) / 2])) {
			k->heap[i] = k->heap[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		for (;;) {
			uint32_t l = 2 * i + 1, r = l + 1, m = NONE;
			uint32_t best = last;
			if (l < n && job_before(sc, k->heap[l], best)) {
				m = l;
				best = k->heap[l];
			}
			if (r < n && job_before(sc, k->heap[r], best))
				m = r;
			if (m == NONE)
				break;
			k->heap[i] = k->heap[m];
			i = m;
		}
		k->heap[i] = last;
	}
	k->work -= sc->ts[sc->jobs[top].node].mean * sc->ts[sc->jobs[top].node].width;
	if (k->work < 0 || !k->nheap)
		k->work = 0; /* no drift from rounding */
	sc->queued--;
	touch(sc, c);
	return top;
}

static uint32_t heap_pop(owgrt_sched *sc, uint32_t c)
{
	return heap_take(sc, c, 0);
}

/* Expected seconds before the pool of cluster c could start new work. */
static double pool_load(const owgrt_sched *sc, uint32_t c)
{
	const cluster *k = &sc->cl[c];
	return k->size ? k->work / k->size : INFINITY;
}

/* --- the task FIFOs and idle-unit lists --- */

static void taskq_push(owgrt_sched *sc, uint32_t t, uint32_t j)
{
	task_state *s = &sc->ts[t];
	sc->jobs[j].next = NONE;
	sc->jobs[j].state = JOB_TASKQ;
	if (s->qtail == NONE)
		s->qhead = j;
	else
		sc->jobs[s->qtail].next = j;
	s->qtail = j;
	s->qlen++;
	sc->queued++;
}

static uint32_t taskq_pop(owgrt_sched *sc, uint32_t t)
{
	task_state *s = &sc->ts[t];
	uint32_t j = s->qhead;
	s->qhead = sc->jobs[j].next;
	if (s->qhead == NONE)
		s->qtail = NONE;
	s->qlen--;
	sc->queued--;
	return j;
}

/* Marks unit u idle (1) or not in its own task's index of replicas. */
static void index_unit(owgrt_sched *sc, uint32_t u, bool idle)
{
	const unit *x = &sc->units[u];
	task_state *o = &sc->ts[x->own];
	if (x->task == x->own && o->zi.n)
		owgrt_zindex_set(&o->zi, u - o->zfirst, idle, UINT32_MAX);
}

static void idle_push(owgrt_sched *sc, uint32_t u, double now)
{
	unit *x = &sc->units[u];
	x->idle_since = now;
	index_unit(sc, u, true);
	task_state *s = &sc->ts[x->task];
	x->idle = true;
	x->prev = NONE;
	x->next = s->idle;
	if (s->idle != NONE)
		sc->units[s->idle].prev = u;
	else
		s->idle_tail = u;
	s->idle = u;
}

static void idle_remove(owgrt_sched *sc, uint32_t u)
{
	unit *x = &sc->units[u];
	if (!x->idle)
		return;
	index_unit(sc, u, false);
	if (x->prev != NONE)
		sc->units[x->prev].next = x->next;
	else
		sc->ts[x->task].idle = x->next;
	if (x->next != NONE)
		sc->units[x->next].prev = x->prev;
	else
		sc->ts[x->task].idle_tail = x->prev;
	x->idle = false;
}

/* --- decisions --- */

static void emit(owgrt_sched *sc, uint32_t j, const uint32_t *peas, uint32_t n, double ready, bool staged, bool moved)
{
	if (!grow_sz((void **)&sc->out, &sc->capout, sc->nout + 1, sizeof *sc->out)) {
		sc->oom = true;
		return;
	}
	sc->out[sc->nout++] = (owgrt_sched_dispatch){j, peas, n, ready, staged, moved};
}

static void note_move(owgrt_sched *sc, uint32_t node, uint32_t from, uint32_t to)
{
	sc->c.migrations++;
	sc->c.control_messages++;
	if (!grow_sz((void **)&sc->moves, &sc->capmoves, sc->nmoves + 3, sizeof *sc->moves)) {
		sc->oom = true;
		return;
	}
	sc->moves[sc->nmoves++] = node;
	sc->moves[sc->nmoves++] = from;
	sc->moves[sc->nmoves++] = to;
}

/* Configures the gang for task t (unless it is already) and returns when
 * it is ready to compute. */
static double configure(owgrt_sched *sc, uint32_t t, const uint32_t *peas, uint32_t n, double now)
{
	double ready = now;
	bool loaded = false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t q = peas[i];
		if (sc->pea_cfg[q] != t) {
			sc->pea_cfg[q] = t;
			sc->pea_ready[q] = now + sc->ts[t].config_time;
			loaded = true;
		}
		ready = sc->pea_ready[q] > ready ? sc->pea_ready[q] : ready;
	}
	sc->c.reconfigurations += loaded;
	return ready;
}

static void run_on_unit(owgrt_sched *sc, uint32_t j, uint32_t u, double now, bool moved)
{
	unit *x = &sc->units[u];
	job *jb = &sc->jobs[j];
	uint32_t w = sc->ts[jb->node].width;
	idle_remove(sc, u);
	x->job = j;
	jb->unit = u;
	jb->state = JOB_RUNNING;
	const uint32_t *peas = &sc->unit_peas[x->first];
	double ready = configure(sc, jb->node, peas, w, now);
	sc->busy += w;
	/* a unit of the task's own binding is known in advance: producers
	 * send to it as soon as they finish */
	emit(sc, j, peas, w, ready, !moved && x->task == jb->node, moved);
}

/* Takes w free PEAs of pool c for task t: those configured for it first. */
/* How many of a pool's free PEAs a dispatch of width w looks at. */
static uint32_t look_limit(uint32_t w)
{
	return 2 * w + 32;
}

static bool run_on_pool(owgrt_sched *sc, uint32_t j, uint32_t c, double now, bool moved)
{
	job *jb = &sc->jobs[j];
	uint32_t t = jb->node, w = sc->ts[t].width;
	cluster *k = &sc->cl[c];
	if (k->nfree < w)
		return false;
	if (!grow((void **)&jb->gang, &jb->gcap, w, sizeof *jb->gang)) {
		sc->oom = true;
		return false;
	}
	/* PEAs configured for t first, among the most recently freed (a
	 * bounded look, so that a dispatch costs O(w) in any pool), then the
	 * most recently freed */
	uint32_t got = 0, look = k->nfree < look_limit(w) ? k->nfree : look_limit(w), stop = k->nfree - look;
	for (uint32_t i = k->nfree; i > stop && got < w;) {
		uint32_t q = k->free[--i];
		if (sc->pea_cfg[q] == t) {
			jb->gang[got++] = q;
			k->free[i] = k->free[--k->nfree]; /* one already looked at */
		}
	}
	while (got < w)
		jb->gang[got++] = k->free[--k->nfree];
	touch(sc, c);
	for (uint32_t i = 0; i < w; i++)
		sc->pea_job[jb->gang[i]] = j;
	jb->unit = NONE;
	jb->cluster = c;
	jb->state = JOB_RUNNING;
	double ready = configure(sc, t, jb->gang, w, now);
	sc->busy += w;
	/* proactive: inputs were sent ahead to the pool the job belongs to */
	bool staged = octo(sc, OWGRT_OCTO_PROACTIVE) && c == jb->home;
	emit(sc, j, jb->gang, w, ready, staged, moved);
	return true;
}

/* --- where a ready job goes --- */

/* The idle unit of task t nearest to PEA `near`: from its index of
 * replicas (O(log units)), or the first of its idle list (which also
 * holds units that migrated to it) when that one is nearer. */
static uint32_t nearest_idle(const owgrt_sched *sc, uint32_t t, uint32_t near)
{
	const task_state *s = &sc->ts[t];
	uint32_t best = s->idle;
	if (near == NONE || sc->mesh.flat || !s->zi.n)
		return best;
	uint32_t i = owgrt_zindex_near_hi_at(&s->zi, near, 1);
	if (i == NONE)
		return best;
	uint32_t u = s->zfirst + i;
	const owgrt_mesh *m = &sc->mesh;
	if (owgrt_mesh_hops(m, near, sc->unit_peas[sc->units[u].first]) <=
	    owgrt_mesh_hops(m, near, sc->unit_peas[sc->units[best].first]))
		best = u;
	return best;
}

/* Moving a job of task t off its replicas pays when the wait for one of
 * them is longer than loading the task's configuration elsewhere, plus
 * `back`: loading the borrowed unit's own task again afterwards. */
static bool worth_moving(const owgrt_sched *sc, uint32_t t, double back)
{
	const task_state *s = &sc->ts[t];
	double wait = s->units ? (double)(s->qlen + 1) * s->mean / s->units : INFINITY;
	return wait > s->config_time + back;
}

/* What moving a job of task t to PEA `to` costs its data: bringing its
 * inputs from where they lie and sending its outputs back towards there,
 * where its consumers' replicas are placed (conservatively, as if its own
 * replica were next to the data; 0 when the position is unknown). */
static double data_detour(const owgrt_sched *sc, uint32_t near, uint32_t to, uint32_t t)
{
	if (near == NONE)
		return 0;
	return owgrt_mesh_transfer_time(&sc->mesh, near, to, sc->ts[t].in_bytes) +
	       owgrt_mesh_transfer_time(&sc->mesh, to, near, sc->ts[t].out_bytes);
}

/* An idle unit within the steal radius of PEA `at` that can run task t
 * (wide enough, its own task has nothing waiting). */
/* The first unit, row by row, on the PEAs within the steal radius of PEA
 * `at` for which ok(sc, unit, arg) holds; NONE if none. */
typedef bool (*unit_test)(const owgrt_sched *sc, uint32_t u, uint32_t arg);

static uint32_t unit_around(const owgrt_sched *sc, uint32_t at, unit_test ok, uint32_t arg)
{
	int k = (int)sc->tu.steal_hops;
	int64_t x0 = at % sc->mesh.width, y0 = at / sc->mesh.width;
	for (int dy = -k; dy <= k; dy++)
		for (int dx = -(k - abs(dy)); dx <= k - abs(dy); dx++) {
			int64_t x = x0 + dx, y = y0 + dy;
			if (x < 0 || y < 0 || x >= sc->mesh.width || y >= sc->mesh.height)
				continue;
			uint32_t u = sc->pea_unit[y * sc->mesh.width + x];
			if (u != NONE && ok(sc, u, arg))
				return u;
		}
	return NONE;
}

/* An idle unit that can run task t: wide enough, its own task has
 * nothing waiting, and the move pays. */
static bool can_thieve(const owgrt_sched *sc, uint32_t u, uint32_t t)
{
	const unit *v = &sc->units[u];
	return !v->dead && v->job == NONE && v->task != t && v->width >= sc->ts[t].width &&
	       sc->ts[v->task].qlen == 0 && worth_moving(sc, t, sc->ts[v->task].config_time);
}

/* An idle unit within the steal radius of PEA `at` that can run task t. */
static uint32_t idle_thief(const owgrt_sched *sc, uint32_t at, uint32_t t)
{
	return at == NONE ? NONE : unit_around(sc, at, can_thieve, t);
}

/* Reactive: a queue past its threshold takes over an idle replica of a
 * task that has nothing waiting and replicas to spare; a replica moves at
 * most once per cooldown.  Looks at a bounded number of candidates. */
static void react(owgrt_sched *sc, uint32_t t, double now)
{
	task_state *s = &sc->ts[t];
	if (s->qlen <= sc->tu.reactive_threshold * (s->units ? s->units : 1))
		return;

	double cool = sc->tu.reactive_cooldown * sc->mean_task;
	/* where the waiting work's data is, else the task's own replicas */
	uint32_t near = sc->jobs[s->qhead].near != NONE ? sc->jobs[s->qhead].near : s->anchor;
	uint32_t best = NONE, best_hops = UINT32_MAX;
	/* candidates: of the tasks next to t in id order (a bounded window,
	 * so that a decision costs O(log)), the idle unit nearest to the
	 * waiting work, or those idle the longest; the nearest spare wins */
	for (uint32_t d = 1; d <= 32 && d < sc->nnodes; d++) {
		uint32_t v = (t + d) % sc->nnodes;
		const task_state *o = &sc->ts[v];
		if (o->elastic || o->qlen || o->units < 2 || o->idle == NONE)
			continue;
		uint32_t seen = 0, u = nearest_idle(sc, v, near);
		for (uint32_t next = o->idle_tail; u != NONE && seen < 5; u = next, next = next != NONE ? sc->units[next].prev : NONE, seen++) {
			const unit *x = &sc->units[u];
			/* spare: idle for as long as its task would take to run
			 * `cooldown` times, and not moved lately */
			if (x->width < s->width || now - x->migrated_at < cool ||
			    now - x->idle_since < sc->tu.reactive_cooldown * o->mean)
				continue;
			uint32_t h = near == NONE ? 0 : owgrt_mesh_hops(&sc->mesh, near, sc->unit_peas[x->first]);
			if (h < best_hops) {
				best_hops = h;
				best = u;
			}
			break;
		}
	}
	if (best == NONE)
		return;
	/* a replica moved there pays only when the queue's expected wait is
	 * longer than loading the task and its data's detour (inputs from
	 * the waiting work, outputs back towards the task's replicas) */
	uint32_t to = sc->unit_peas[sc->units[best].first];
	double wait = (double)s->qlen * s->mean / (s->units ? s->units : 1);
	if (wait <= s->config_time + data_detour(sc, near, to, t))
		return;
	unit *x = &sc->units[best];
	idle_remove(sc, best);
	sc->ts[x->task].units--;
	x->task = t;
	x->migrated_at = now;
	s->units++;
	uint32_t pea = sc->unit_peas[x->first];
	note_move(sc, t, pea, pea);
	run_on_unit(sc, taskq_pop(sc, t), best, now, true);
}

/* Expected seconds before pool c could start a job of task t. */
static double pool_wait(const owgrt_sched *sc, uint32_t c, uint32_t t)
{
	const cluster *k = &sc->cl[c];
	return k->size ? (k->work + sc->ts[t].mean * sc->ts[t].width) / k->size : INFINITY;
}

/* A pool for a job of task t whose data is at `near`: `home` when it has
 * room now; with diffusion the nearest pool with room (found through the
 * hierarchy of aggregates, owgrt_zindex.h) when its data gets there
 * before home could start it.  NONE: it must wait. */
static uint32_t pool_with_room(const owgrt_sched *sc, uint32_t home, uint32_t t, uint32_t near)
{
	uint32_t w = sc->ts[t].width;
	if (sc->cl[home].nfree >= w)
		return home;
	if (!octo(sc, OWGRT_OCTO_DIFFUSION))
		return NONE;
	uint32_t c = owgrt_zindex_near_hi(&sc->z, home, w);
	if (c == NONE || sc->cl[c].nheap)
		return NONE;
	uint32_t from = near != NONE ? near : sc->cl[home].size && sc->cl[home].nfree ? sc->cl[home].free[0] : NONE;
	double detour = 0;
	if (from != NONE)
		detour = owgrt_mesh_transfer_time(&sc->mesh, from, sc->cl[c].free[0], sc->ts[t].in_bytes) +
			 owgrt_mesh_transfer_time(&sc->mesh, sc->cl[c].free[0], from, sc->ts[t].out_bytes);
	return detour <= pool_wait(sc, home, t) ? c : NONE;
}

/* The queue an elastic job waits in: home, or with diffusion the
 * neighbour whose load is lower by the margin (and whose pool fits it). */
static uint32_t pool_to_wait(const owgrt_sched *sc, uint32_t home, uint32_t w)
{
	if (!octo(sc, OWGRT_OCTO_DIFFUSION))
		return home;
	uint32_t best = home;
	double lb = pool_load(sc, home);
	for (int i = 1; i <= 4; i++) {
		uint32_t c = around(sc, home, i);
		if (c == NONE)
			continue;
		double l = pool_load(sc, c);
		if (sc->cl[c].size >= w && l < lb * (1 - sc->tu.diffusion_margin)) {
			best = c;
			lb = l;
		}
	}
	return best;
}

static void pool_freed(owgrt_sched *sc, uint32_t c, double now);

/* The TBU sends an elastic job to the pool next to its data when that
 * pool can hold it, else to its task's home pool. */
static void place_elastic(owgrt_sched *sc, uint32_t j, double now)
{
	job *jb = &sc->jobs[j];
	uint32_t t = jb->node, home = sc->ts[t].home, w = sc->ts[t].width;
	if (jb->near != NONE && sc->cl[cluster_of(sc, jb->near)].size >= w)
		home = cluster_of(sc, jb->near);
	jb->home = home;
	uint32_t c = pool_with_room(sc, home, t, jb->near);
	if (c != NONE) {
		if (c != home)
			note_move(sc, t, sc->cl[home].nfree ? sc->cl[home].free[0] : 0, sc->cl[c].free[0]);
		run_on_pool(sc, j, c, now, c != home);
		return;
	}
	c = pool_to_wait(sc, home, w);
	if (c != home)
		sc->c.control_messages++;
	heap_push(sc, c, j);
	/* the neighbour diffusion picked may have room that the nearest-room
	 * search passed over: a pool never keeps work waiting that it could
	 * start, for no later event might come to start it */
	if (sc->cl[c].nfree)
		pool_freed(sc, c, now);
}

enum { LOCAL = 2 };

/* Is PEA `near` (a job's data) within LOCAL blocks of pool c's?  Pinned
 * work moves no farther: its data's detour loads links the estimate
 * cannot see. */
static bool near_block(const owgrt_sched *sc, uint32_t near, uint32_t c)
{
	if (near == NONE)
		return true;
	return block_hops(sc, cluster_of(sc, near), c) <= LOCAL;
}

/* Octopus's earliest predicted finish for a pinned task whose replicas
 * are busy: the pool of the block holding its input, when that has room
 * now and the expected wait for a replica is longer than configuring the
 * pool's PEAs plus its data's detour. */
static bool overflow_to_pool(owgrt_sched *sc, uint32_t j, double now)
{
	uint32_t t = sc->jobs[j].node, near = sc->jobs[j].near;
	if (near == NONE)
		return false; /* nothing says which pool is near its work */
	task_state *s = &sc->ts[t];
	uint32_t c = cluster_of(sc, near);
	sc->jobs[j].home = NONE;
	if (sc->cl[c].nfree < s->width || sc->cl[c].nheap ||
	    !worth_moving(sc, t, data_detour(sc, near, sc->cl[c].free[0], t)))
		return false;
	return run_on_pool(sc, j, c, now, true);
}

static void place(owgrt_sched *sc, uint32_t j, double now)
{
	job *jb = &sc->jobs[j];
	uint32_t t = jb->node;
	task_state *s = &sc->ts[t];
	if (s->elastic) {
		place_elastic(sc, j, now);
		return;
	}
	if (s->idle != NONE) {
		run_on_unit(sc, j, nearest_idle(sc, t, jb->near), now, false);
		return;
	}
	switch (sc->policy) {
	case OWGRT_POLICY_STEAL: {
		uint32_t u = idle_thief(sc, jb->near, t);
		if (u == NONE)
			u = idle_thief(sc, s->anchor, t);
		if (u != NONE) {
			note_move(sc, t, s->anchor, sc->unit_peas[sc->units[u].first]);
			run_on_unit(sc, j, u, now, true);
			return;
		}
		break;
	}
	case OWGRT_POLICY_OCTOPUS:
		if (octo(sc, OWGRT_OCTO_ADAPTIVE) && overflow_to_pool(sc, j, now))
			return;
		break;
	default:
		break;
	}
	taskq_push(sc, t, j);
	if (sc->policy == OWGRT_POLICY_REACTIVE)
		react(sc, t, now);
}

/* --- freed resources --- */

/* Steal: an idle unit takes the oldest waiting job of a task with a unit
 * within k hops that it can run. */
/* A unit whose task has work waiting that thief unit u can run. */
static bool has_loot(const owgrt_sched *sc, uint32_t v, uint32_t u)
{
	const unit *x = &sc->units[u];
	uint32_t t = sc->units[v].task;
	return v != u && t != x->task && sc->ts[t].qlen && sc->ts[t].width <= x->width && !sc->ts[t].elastic &&
	       worth_moving(sc, t, sc->ts[x->task].config_time);
}

static bool steal(owgrt_sched *sc, uint32_t u, double now)
{
	uint32_t at = sc->unit_peas[sc->units[u].first], v = unit_around(sc, at, has_loot, u);
	if (v == NONE)
		return false;
	uint32_t t = sc->units[v].task;
	note_move(sc, t, sc->unit_peas[sc->units[v].first], at);
	run_on_unit(sc, taskq_pop(sc, t), u, now, true);
	return true;
}

/* Adaptive TBU: an idle pinned replica takes the first waiting elastic
 * job of its block's pool when that job fits and its wait there exceeds
 * the two configuration loads (borrow_unit's rule, seen from the unit). */
static void lend(owgrt_sched *sc, uint32_t u, double now)
{
	unit *x = &sc->units[u];
	uint32_t c = cluster_of(sc, sc->unit_peas[x->first]);
	const cluster *k = &sc->cl[c];
	if (!k->nheap)
		return;
	uint32_t t = sc->jobs[k->heap[0]].node;
	if (sc->ts[t].width > x->width || pool_load(sc, c) <= sc->ts[t].config_time + sc->ts[x->task].config_time)
		return;
	uint32_t j = heap_pop(sc, c), at = sc->unit_peas[x->first];
	note_move(sc, t, sc->jobs[j].near != NONE ? sc->jobs[j].near : at, at);
	run_on_unit(sc, j, u, now, true);
}

/* A task failures left with no PEAs takes over unit u when u's task has
 * replicas to spare and u is wide enough; true if it did. */
static bool cover_starved(owgrt_sched *sc, uint32_t u, double now)
{
	unit *x = &sc->units[u];
	if (sc->ts[x->task].units < 2)
		return false;
	for (uint32_t i = 0; i < sc->nstarved; i++) {
		uint32_t s = sc->starved[i];
		if (sc->ts[s].width > x->width)
			continue;
		sc->starved[i] = sc->starved[--sc->nstarved];
		sc->ts[x->task].units--;
		x->task = s;
		sc->ts[s].units++;
		sc->ts[s].anchor = sc->unit_peas[x->first];
		note_move(sc, s, sc->unit_peas[x->first], sc->unit_peas[x->first]);
		if (sc->ts[s].qlen)
			run_on_unit(sc, taskq_pop(sc, s), u, now, true);
		else
			idle_push(sc, u, now);
		return true;
	}
	return false;
}

static void unit_freed(owgrt_sched *sc, uint32_t u, double now)
{
	unit *x = &sc->units[u];
	x->job = NONE;
	if (x->dead || (sc->nstarved && cover_starved(sc, u, now)))
		return;
	uint32_t t = x->task;
	if (sc->ts[t].qlen) {
		run_on_unit(sc, taskq_pop(sc, t), u, now, false);
		if (sc->policy == OWGRT_POLICY_REACTIVE)
			react(sc, t, now);
		return;
	}
	idle_push(sc, u, now);
	if (sc->policy == OWGRT_POLICY_STEAL)
		steal(sc, u, now);
	else if (octo(sc, OWGRT_OCTO_ADAPTIVE))
		lend(sc, u, now);
}

/* Adaptive TBU: an idle replica of a pinned task homed in block c or a
 * neighbour, wide enough for a job of task t, whose own task has nothing
 * waiting, when the job's expected wait in pool c exceeds loading its
 * configuration there and the replica's own afterwards; NONE if none.
 * Idle pinned PEAs then do elastic work instead of idling next to a
 * queue (the pinned task's own jobs still come first when it frees). */
static uint32_t borrow_unit(const owgrt_sched *sc, uint32_t c, uint32_t t)
{
	const task_state *s = &sc->ts[t];
	for (int i = 0; i <= 4; i++) {
		uint32_t b = around(sc, c, i);
		if (b == NONE)
			continue;
		const cluster *k = &sc->cl[b];
		for (uint32_t p = 0; p < k->npinned; p++) {
			const task_state *o = &sc->ts[k->pinned[p]];
			if (o->idle == NONE || o->qlen || sc->units[o->idle].width < s->width)
				continue;
			if (pool_load(sc, c) > s->config_time + o->config_time)
				return o->idle;
		}
	}
	return NONE;
}

/* Starts one job of pool c's queue; false when none can start.  The
 * first job starts when it fits; when it does not, it goes (with
 * diffusion) to a pool with room, or a job close behind it that fits and
 * is expected to be no longer fills the gap (backfilling: a wide job at
 * the head does not leave the pool idle). */
static bool serve_queue(owgrt_sched *sc, uint32_t c, double now)
{
	cluster *k = &sc->cl[c];
	const job *head = &sc->jobs[k->heap[0]];
	const task_state *hs = &sc->ts[head->node];
	if (hs->width <= k->nfree) {
		run_on_pool(sc, heap_pop(sc, c), c, now, false);
		return true;
	}
	uint32_t to = pool_with_room(sc, c, head->node, head->near);
	if (to != NONE && to != c) {
		uint32_t j = heap_pop(sc, c), at = sc->cl[to].free[0];
		note_move(sc, sc->jobs[j].node, sc->jobs[j].near != NONE ? sc->jobs[j].near : at, at);
		run_on_pool(sc, j, to, now, true);
		return true;
	}
	uint32_t u = octo(sc, OWGRT_OCTO_ADAPTIVE) ? borrow_unit(sc, c, head->node) : NONE;
	if (u != NONE) {
		uint32_t j = heap_pop(sc, c), at = sc->unit_peas[sc->units[u].first];
		note_move(sc, sc->jobs[j].node, sc->jobs[j].near != NONE ? sc->jobs[j].near : at, at);
		run_on_unit(sc, j, u, now, true);
		return true;
	}
	uint32_t pick = NONE;
	for (uint32_t i = 1; i < k->nheap && i <= 8; i++) {
		const task_state *s = &sc->ts[sc->jobs[k->heap[i]].node];
		if (s->width <= k->nfree && s->mean <= hs->mean &&
		    (pick == NONE || job_before(sc, k->heap[i], k->heap[pick])))
			pick = i;
	}
	if (pick == NONE)
		return false;
	run_on_pool(sc, heap_take(sc, c, pick), c, now, false);
	return true;
}

/* Adaptive TBU: free PEAs of pool c with no elastic work take waiting
 * jobs of the pinned tasks with a replica in block `at` whose data lies
 * within LOCAL blocks, when that beats waiting for their replicas
 * (earliest predicted finish). */
static void pull_pinned(owgrt_sched *sc, uint32_t c, uint32_t at, double now)
{
	const cluster *h = &sc->cl[at];
	for (uint32_t i = 0; i < h->npinned && sc->cl[c].nfree && !sc->oom; i++) {
		uint32_t t = h->pinned[i];
		task_state *s = &sc->ts[t];
		while (s->qlen && s->width <= sc->cl[c].nfree && !sc->oom && near_block(sc, sc->jobs[s->qhead].near, c) &&
		       worth_moving(sc, t, data_detour(sc, sc->jobs[s->qhead].near, sc->cl[c].free[0], t))) {
			if (c != at)
				note_move(sc, t, s->anchor, sc->cl[c].free[0]);
			uint32_t j = taskq_pop(sc, t);
			sc->jobs[j].home = NONE;
			run_on_pool(sc, j, c, now, true);
		}
	}
}

static void pool_freed(owgrt_sched *sc, uint32_t c, double now)
{
	cluster *k = &sc->cl[c];
	while (k->nheap && !sc->oom && serve_queue(sc, c, now))
		;
	if (!k->nheap && k->nfree && octo(sc, OWGRT_OCTO_ADAPTIVE))
		pull_pinned(sc, c, c, now);
	if (k->nheap || !octo(sc, OWGRT_OCTO_DIFFUSION) || !k->nfree)
		return;
	/* pull waiting elastic work from the nearest pool whose first job fits
	 * here, while its data gets here before that pool could start it */
	while (k->nfree && !sc->oom) {
		uint32_t from = owgrt_zindex_near_lo(&sc->z, c, k->nfree);
		if (from == NONE || from == c)
			break;
		const job *head = &sc->jobs[sc->cl[from].heap[0]];
		uint32_t src = head->near != NONE ? head->near : k->free[0];
		if (owgrt_mesh_transfer_time(&sc->mesh, src, k->free[0], sc->ts[head->node].in_bytes) > pool_load(sc, from))
			break;
		uint32_t j = heap_pop(sc, from);
		note_move(sc, sc->jobs[j].node, src, k->free[0]);
		run_on_pool(sc, j, c, now, true);
	}
	/* nothing elastic nearby: help the neighbours' pinned tasks */
	for (int i = 1; i <= 4 && k->nfree && octo(sc, OWGRT_OCTO_ADAPTIVE); i++)
		if (around(sc, c, i) != NONE)
			pull_pinned(sc, c, around(sc, c, i), now);
}

/* --- entry points --- */

bool owgrt_sched_ready(owgrt_sched *sc, uint32_t j, uint32_t node, uint32_t near, double release, double now)
{
	advance(sc, now);
	if (j >= sc->njobs) {
		uint32_t cap = sc->njobs;
		if (!grow((void **)&sc->jobs, &cap, (size_t)j + 1, sizeof *sc->jobs))
			return false;
		memset(&sc->jobs[sc->njobs], 0, (cap - sc->njobs) * sizeof *sc->jobs);
		sc->njobs = cap;
	}
	job *jb = &sc->jobs[j];
	jb->node = node;
	jb->near = near;
	jb->key = release - sc->ts[node].rank;
	jb->home = NONE;
	jb->unit = NONE;
	jb->next = NONE;
	jb->seq = sc->seq++;
	place(sc, j, now);
	return !sc->oom;
}

/* Gives back the PEAs of job j (the live ones). */
static void release(owgrt_sched *sc, uint32_t j, double now)
{
	job *jb = &sc->jobs[j];
	uint32_t w = sc->ts[jb->node].width;
	sc->busy -= w;
	jb->state = JOB_IDLE;
	if (jb->unit != NONE) {
		unit_freed(sc, jb->unit, now);
		return;
	}
	/* a gang comes from one pool: its live PEAs go back there */
	cluster *k = &sc->cl[jb->cluster];
	if (!grow((void **)&k->free, &k->cap, (size_t)k->nfree + w, sizeof *k->free)) {
		sc->oom = true;
		return;
	}
	for (uint32_t i = 0; i < w; i++) {
		uint32_t q = jb->gang[i];
		sc->pea_job[q] = NONE;
		if (sc->pea_state[q] == PEA_POOL)
			k->free[k->nfree++] = q;
	}
	touch(sc, jb->cluster);
	pool_freed(sc, jb->cluster, now);
}

bool owgrt_sched_finished(owgrt_sched *sc, uint32_t j, double now)
{
	advance(sc, now);
	release(sc, j, now);
	return !sc->oom;
}

void owgrt_sched_expect(owgrt_sched *sc, uint32_t node, uint32_t near, double now)
{
	if (!octo(sc, OWGRT_OCTO_PROACTIVE) || !sc->ts[node].elastic)
		return;
	advance(sc, now);
	const task_state *s = &sc->ts[node];
	/* the pool the TBU will pick: next to the request's data (place_elastic) */
	uint32_t c = near != NONE && sc->cl[cluster_of(sc, near)].size >= s->width ? cluster_of(sc, near) : s->home;
	cluster *k = &sc->cl[c];
	uint32_t have = 0, look = k->nfree < look_limit(s->width) ? k->nfree : look_limit(s->width);
	for (uint32_t i = k->nfree - look; i < k->nfree; i++)
		have += sc->pea_cfg[k->free[i]] == node;
	if (have >= s->width || k->nfree < s->width)
		return;
	/* configure idle PEAs now, while the work is still on its way: those
	 * a dispatch looks at first */
	sc->c.control_messages++;
	for (uint32_t i = k->nfree, stop = k->nfree - look; i > stop && have < s->width;) {
		uint32_t q = k->free[--i];
		if (sc->pea_cfg[q] == node)
			continue;
		sc->pea_cfg[q] = node;
		sc->pea_ready[q] = (sc->pea_ready[q] > now ? sc->pea_ready[q] : now) + s->config_time;
		have++;
	}
	sc->c.reconfigurations++;
}

/* The block nearest to c whose pool has at least `size` live PEAs and
 * `free` free ones (ties: the lowest index); NONE if none.  A scan of the
 * blocks, at failure time only. */
static uint32_t nearest_block(const owgrt_sched *sc, uint32_t c, uint32_t size, uint32_t free)
{
	uint32_t best = NONE, bd = UINT32_MAX;
	for (uint32_t i = 0; i < sc->nclusters; i++)
		if (sc->cl[i].size >= size && sc->cl[i].nfree >= free && block_hops(sc, c, i) < bd) {
			bd = block_hops(sc, c, i);
			best = i;
		}
	return best;
}

/* The nearest block whose pool fits width w. */
static uint32_t roomiest(const owgrt_sched *sc, uint32_t c, uint32_t w)
{
	return nearest_block(sc, c, w, 0);
}

/* Task t lost its last replica: it runs from the pools now. */
static bool rehome(owgrt_sched *sc, uint32_t t, uint32_t near_cluster, double now)
{
	task_state *s = &sc->ts[t];
	uint32_t c = s->elastic && sc->cl[s->home].size >= s->width ? s->home : roomiest(sc, near_cluster, s->width);
	if (c == NONE)
		return false;
	s->elastic = true;
	s->home = c;
	while (s->qlen) {
		uint32_t j = taskq_pop(sc, t);
		heap_push(sc, c, j);
	}
	pool_freed(sc, c, now);
	return true;
}

/* The free pool PEA nearest to cluster c (a spare), or NONE. */
static uint32_t nearest_spare(const owgrt_sched *sc, uint32_t c)
{
	uint32_t b = nearest_block(sc, c, 0, 1);
	return b == NONE ? NONE : sc->cl[b].free[sc->cl[b].nfree - 1];
}

/* No pool has a spare PEA: an idle replica of a task that has others
 * (not u's) gives its PEAs to the pools, the nearest to u first.  A scan
 * of the units, at failure time only.  False when there is none. */
static bool release_spare_unit(owgrt_sched *sc, uint32_t u)
{
	uint32_t at = sc->unit_peas[sc->units[u].first], best = NONE, best_hops = UINT32_MAX;
	for (uint32_t v = 0; v < sc->nunits; v++) {
		const unit *y = &sc->units[v];
		if (v == u || y->dead || !y->idle || sc->ts[y->task].units < 2)
			continue;
		uint32_t h = owgrt_mesh_hops(&sc->mesh, at, sc->unit_peas[y->first]);
		if (h < best_hops) {
			best_hops = h;
			best = v;
		}
	}
	if (best == NONE)
		return false;
	unit *y = &sc->units[best];
	idle_remove(sc, best);
	y->dead = true; /* retired: its PEAs are pool now */
	sc->ts[y->task].units--;
	for (uint32_t i = 0; i < y->width; i++) {
		uint32_t q = sc->unit_peas[y->first + i], k = cluster_of(sc, q);
		sc->pea_unit[q] = NONE;
		sc->pea_state[q] = PEA_POOL;
		sc->pea_job[q] = NONE;
		sc->cl[k].size++;
		pool_put(sc, k, q);
		touch(sc, k);
	}
	sc->c.migrations++;
	return true;
}

/* A PEA of a unit failed: a spare PEA from the nearest pool takes its
 * place (re-mapping; the unit reconfigures before it runs again), if need
 * be after an idle replica of another task with replicas to spare gave
 * its PEAs up.  With no spare left the unit dissolves: its survivors
 * join the pools, and a task left without units runs from the pools.
 * Returns the lost job. */
static uint32_t fail_unit_pea(owgrt_sched *sc, uint32_t pea, double now, bool *fatal)
{
	uint32_t u = sc->pea_unit[pea], c = cluster_of(sc, pea);
	unit *x = &sc->units[u];
	uint32_t lost = x->job, t = x->task;
	sc->pea_unit[pea] = NONE;
	if (lost != NONE) {
		sc->busy -= sc->ts[sc->jobs[lost].node].width;
		sc->jobs[lost].state = JOB_IDLE;
		x->job = NONE;
	}
	uint32_t spare = nearest_spare(sc, c);
	if (spare == NONE && release_spare_unit(sc, u))
		spare = nearest_spare(sc, c);
	if (spare != NONE) {
		uint32_t sc_c = cluster_of(sc, spare);
		pool_remove(sc, sc_c, spare);
		sc->cl[sc_c].size--;
		sc->pea_state[spare] = PEA_UNIT;
		sc->pea_unit[spare] = u;
		sc->pea_cfg[spare] = NONE;
		for (uint32_t i = 0; i < x->width; i++)
			if (sc->unit_peas[x->first + i] == pea)
				sc->unit_peas[x->first + i] = spare;
		note_move(sc, t, pea, spare);
		if (!x->idle)
			unit_freed(sc, u, now);
		return lost;
	}
	x->dead = true;
	idle_remove(sc, u);
	sc->ts[t].units--;
	for (uint32_t i = 0; i < x->width; i++) {
		uint32_t q = sc->unit_peas[x->first + i];
		sc->pea_unit[q] = NONE;
		if (q == pea)
			continue;
		sc->pea_state[q] = PEA_POOL;
		sc->pea_job[q] = NONE;
		sc->cl[cluster_of(sc, q)].size++;
		pool_put(sc, cluster_of(sc, q), q);
		touch(sc, cluster_of(sc, q));
	}
	if (sc->ts[t].units == 0 && !sc->ts[t].elastic && !rehome(sc, t, c, now)) {
		/* nowhere to run now: the next replica to spare that goes idle
		 * covers it (unit_freed); its jobs wait in its queue */
		if (!grow((void **)&sc->starved, &sc->capstarved, (size_t)sc->nstarved + 1, sizeof *sc->starved))
			sc->oom = true;
		else
			sc->starved[sc->nstarved++] = t;
	}
	pool_freed(sc, c, now);
	return lost;
}

uint32_t owgrt_sched_fail(owgrt_sched *sc, uint32_t pea, double now, bool *fatal)
{
	*fatal = false;
	if (pea >= sc->npeas || sc->pea_state[pea] == PEA_OFF || sc->pea_state[pea] == PEA_DEAD)
		return NONE;
	advance(sc, now);
	uint8_t was = sc->pea_state[pea];
	sc->pea_state[pea] = PEA_DEAD;
	sc->c.failed_peas++;
	uint32_t c = cluster_of(sc, pea), lost = NONE;
	if (was == PEA_POOL) {
		sc->cl[c].size--;
		lost = sc->pea_job[pea];
		if (lost == NONE)
			pool_remove(sc, c, pea);
		if (lost != NONE) {
			sc->pea_job[pea] = NONE;
			release(sc, lost, now);
		}
	} else {
		lost = fail_unit_pea(sc, pea, now, fatal);
	}
	/* elastic tasks whose home pool got too small for them move */
	for (uint32_t t = 0; t < sc->nnodes && !*fatal; t++)
		if (sc->ts[t].elastic && sc->ts[t].home == c && sc->cl[c].size < sc->ts[t].width) {
			uint32_t to = roomiest(sc, c, sc->ts[t].width);
			if (to == NONE) {
				*fatal = true;
				break;
			}
			sc->ts[t].home = to;
		}
	/* queued jobs of the shrunken pool that no longer fit there move */
	cluster *k = &sc->cl[c];
	bool misfit = false;
	for (uint32_t i = 0; i < k->nheap; i++)
		misfit |= sc->ts[sc->jobs[k->heap[i]].node].width > k->size;
	if (misfit && !*fatal) {
		uint32_t n = k->nheap, *all = malloc((n + 1) * sizeof *all);
		if (!all) {
			sc->oom = true;
			return lost;
		}
		memcpy(all, k->heap, n * sizeof *all);
		for (uint32_t i = 0; i < n; i++)
			heap_pop(sc, c);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t j = all[i], w = sc->ts[sc->jobs[j].node].width;
			uint32_t to = w <= k->size ? c : roomiest(sc, c, w);
			if (to == NONE) {
				*fatal = true;
				break;
			}
			heap_push(sc, to, j);
			pool_freed(sc, to, now);
		}
		free(all);
	}
	return lost;
}

const owgrt_sched_dispatch *owgrt_sched_take(owgrt_sched *sc, size_t *n)
{
	*n = sc->nout;
	sc->nout = 0;
	return sc->out;
}

const uint32_t *owgrt_sched_take_moves(owgrt_sched *sc, size_t *n)
{
	*n = sc->nmoves / 3;
	sc->nmoves = 0;
	return sc->moves;
}

const owgrt_sched_counts *owgrt_sched_counters(const owgrt_sched *sc, double now)
{
	(void)now;
	return &sc->c;
}

size_t owgrt_sched_bytes_per_pea(void)
{
	/* state, unit, configuration, job, block, configuration ready; a slot
	 * in its pool's free list or its unit's PEA list */
	return sizeof(uint8_t) + 4 * sizeof(uint32_t) + sizeof(double) + sizeof(uint32_t);
}

size_t owgrt_sched_bytes_per_job(void)
{
	return sizeof(job) + sizeof(uint32_t); /* the record and a queue slot */
}

bool owgrt_sched_oom(const owgrt_sched *sc)
{
	return sc->oom;
}

/* --- set-up --- */

/* Critical path first: a task's expected time plus the longest expected
 * path of flows after it (memoised depth-first search; flows are acyclic,
 * the guard only keeps a malformed program from recursing forever). */
static bool ranks(owgrt_sched *sc)
{
	const owgrt_program *p = sc->p;
	uint32_t n = p->nnodes, *start = calloc(n + 2, sizeof *start), *succ = malloc((p->nflows + 1) * sizeof *succ);
	uint8_t *mark = calloc(n + 1, 1);
	uint32_t *stack = malloc((n + 1) * sizeof *stack), *pos = calloc(n + 1, sizeof *pos);
	bool ok = start && succ && mark && stack && pos;
	for (uint32_t k = 0; ok && k < p->nflows; k++)
		start[p->flows[k].src + 1]++;
	for (uint32_t i = 0; ok && i < n; i++)
		start[i + 1] += start[i];
	for (uint32_t k = 0; ok && k < p->nflows; k++)
		succ[start[p->flows[k].src] + pos[p->flows[k].src]++] = p->flows[k].dst;
	for (uint32_t r = 0; ok && r < n; r++) {
		if (mark[r] || p->nodes[r].kind != OWGRT_NODE_TASK)
			continue;
		size_t sp = 0;
		stack[sp++] = r;
		mark[r] = 1;
		pos[r] = start[r];
		while (sp) {
			uint32_t v = stack[sp - 1];
			if (pos[v] < start[v + 1]) {
				uint32_t w = succ[pos[v]++];
				if (!mark[w]) {
					mark[w] = 1;
					pos[w] = start[w];
					stack[sp++] = w;
				}
				continue;
			}
			double best = 0;
			for (uint32_t k = start[v]; k < start[v + 1]; k++)
				if (mark[succ[k]] == 2 && sc->ts[succ[k]].rank > best)
					best = sc->ts[succ[k]].rank;
			sc->ts[v].rank = sc->ts[v].mean + best;
			mark[v] = 2;
			sp--;
		}
	}
	free(start);
	free(succ);
	free(mark);
	free(stack);
	free(pos);
	return ok;
}

static void set_err(char *err, size_t n, const char *msg, const char *name)
{
	if (err && n)
		snprintf(err, n, msg, name);
}

/* Task t's index of its units by position (their first PEA), all idle. */
static bool index_units(owgrt_sched *sc, uint32_t t)
{
	task_state *s = &sc->ts[t];
	uint32_t n = s->units, *at = malloc((n + 1) * sizeof *at);
	if (!at)
		return false;
	for (uint32_t i = 0; i < n; i++)
		at[i] = sc->unit_peas[sc->units[s->zfirst + i].first];
	bool ok = owgrt_zindex_init_points(&s->zi, sc->mesh.width, sc->mesh.height, at, n);
	free(at);
	for (uint32_t i = 0; ok && i < n; i++)
		owgrt_zindex_set(&s->zi, i, 1, UINT32_MAX);
	return ok;
}

/* The units of a binding: every replica of every task it pins. */
static bool add_units(owgrt_sched *sc, const owgrt_binding *bd, bool all_elastic)
{
	const owgrt_program *p = sc->p;
	uint32_t total = 0;
	for (uint32_t t = 0; t < p->nnodes; t++)
		if (p->nodes[t].kind == OWGRT_NODE_TASK && !all_elastic)
			total += bd->replicas[t];
	sc->units = calloc(total + 1, sizeof *sc->units);
	sc->unit_peas = malloc(((size_t)bd->npeas + 1) * sizeof *sc->unit_peas);
	if (!sc->units || !sc->unit_peas)
		return false;
	uint32_t at = 0;
	for (uint32_t t = 0; t < p->nnodes; t++) {
		const owgrt_node *n = &p->nodes[t];
		if (n->kind != OWGRT_NODE_TASK || all_elastic || !bd->replicas[t])
			continue;
		for (uint32_t r = 0; r < bd->replicas[t]; r++) {
			uint32_t u = sc->nunits++;
			unit *x = &sc->units[u];
			x->own = t;
			if (r == 0)
				sc->ts[t].zfirst = u;
			x->first = at;
			x->width = n->peas;
			x->task = t;
			x->job = NONE;
			x->migrated_at = -INFINITY;
			for (uint32_t i = 0; i < n->peas; i++) {
				uint32_t q = bd->peas[bd->first[t] + r * n->peas + i];
				sc->unit_peas[at++] = q;
				sc->pea_unit[q] = u;
				sc->pea_state[q] = PEA_UNIT;
				sc->pea_cfg[q] = t; /* loaded with the program */
			}
			idle_push(sc, u, 0);
			sc->ts[t].units++;
			sc->ts[t].anchor = sc->unit_peas[x->first];
		}
		if (!index_units(sc, t))
			return false;
	}
	return true;
}

owgrt_sched *owgrt_sched_new(const owgrt_program *p, const owgrt_sim_opts *o, char *err, size_t err_size)
{
	const owgrt_plan *pl = p->plan;
	const owgrt_fabric *f = pl->fabric;
	owgrt_sched *sc = calloc(1, sizeof *sc);
	if (!sc)
		return NULL;
	sc->p = p;
	sc->policy = o->policy;
	sc->octo = o->octopus;
	sc->tu = o->tuning;
	owgrt_mesh_init(&sc->mesh, f->grid_w, f->grid_h, f->hop_latency, f->link_bandwidth, f->reconfig_bandwidth,
			f->flat);
	sc->npeas = pl->width * pl->height;
	sc->nnodes = p->nnodes;
	set_blocks(sc, 1);
	sc->pea_state = calloc(sc->npeas + 1, 1);
	sc->pea_unit = malloc((sc->npeas + 1) * sizeof *sc->pea_unit);
	sc->pea_cfg = malloc((sc->npeas + 1) * sizeof *sc->pea_cfg);
	sc->pea_job = malloc((sc->npeas + 1) * sizeof *sc->pea_job);
	sc->pea_ready = calloc(sc->npeas + 1, sizeof *sc->pea_ready);
	sc->ts = calloc(p->nnodes + 1, sizeof *sc->ts);
	if (!sc->pea_state || !sc->pea_unit || !sc->pea_cfg || !sc->pea_job || !sc->pea_ready || !sc->ts)
		goto oom;
	for (uint32_t q = 0; q < sc->npeas; q++) {
		sc->pea_unit[q] = sc->pea_cfg[q] = sc->pea_job[q] = NONE;
		sc->pea_state[q] = PEA_POOL;
	}
	for (uint32_t d = 0; d < f->ndefects; d++) {
		uint64_t q = (uint64_t)f->defects[d].y * pl->width + f->defects[d].x;
		if (q < sc->npeas)
			sc->pea_state[q] = PEA_OFF;
	}
	bool oct = o->policy == OWGRT_POLICY_OCTOPUS;
	bool all_elastic = oct && !(o->octopus & OWGRT_OCTO_DISCRIMINATE);
	const owgrt_binding *bd = oct ? &pl->octopus : &pl->fixed;
	double wsum = 0, msum = 0;
	for (uint32_t t = 0; t < p->nnodes; t++) {
		task_state *s = &sc->ts[t];
		s->qhead = s->qtail = s->idle = s->idle_tail = s->anchor = NONE;
		if (p->nodes[t].kind != OWGRT_NODE_TASK)
			continue;
		s->width = p->nodes[t].peas;
		s->mean = p->analysis.time[t].mean;
		s->config_time = owgrt_mesh_reconfig_time(&sc->mesh, p->nodes[t].config_bytes);
		double runs = p->analysis.freq ? p->analysis.freq[t].mean : 1;
		wsum += runs;
		msum += runs * s->mean;
	}
	sc->mean_task = wsum > 0 ? msum / wsum : 0;
	for (uint32_t k = 0; k < p->nflows; k++)
		sc->ts[p->flows[k].dst].in_bytes += p->flows[k].bytes, sc->ts[p->flows[k].src].out_bytes += p->flows[k].bytes;
	if (!add_units(sc, bd, all_elastic) || !ranks(sc))
		goto oom;
	if (!choose_blocks(sc, bd, all_elastic)) {
		if (sc->oom)
			goto oom;
		set_err(err, err_size, "%s", "an elastic task is wider than all the pools of the fabric together");
		owgrt_sched_free(sc);
		return NULL;
	}
	sc->cl = calloc(sc->nclusters + 1, sizeof *sc->cl);
	sc->pea_block = malloc((sc->npeas + 1) * sizeof *sc->pea_block);
	if (!sc->cl || !sc->pea_block || !owgrt_zindex_init(&sc->z, sc->cw, sc->ch))
		goto oom;
	for (uint32_t q = 0; q < sc->npeas; q++)
		sc->pea_block[q] = block_of(sc, q);
	for (uint32_t t = 0; t < p->nnodes; t++) {
		task_state *s = &sc->ts[t];
		if (p->nodes[t].kind != OWGRT_NODE_TASK)
			continue;
		if (s->units)
			s->home = cluster_of(sc, s->anchor);
		else if (bd->replicas[t] && all_elastic)
			s->home = cluster_of(sc, bd->peas[bd->first[t]]);
		else
			s->home = block_of_cluster(sc, bd->home[t] % p->plan->nclusters);
		s->elastic = s->units == 0;
	}
	/* per block, the pinned tasks with a replica in it (units of a task
	 * are consecutive: one entry per task and block) */
	for (uint32_t u = 0; oct && u < sc->nunits; u++) {
		uint32_t t = sc->units[u].task;
		cluster *k = &sc->cl[cluster_of(sc, sc->unit_peas[sc->units[u].first])];
		if (k->npinned && k->pinned[k->npinned - 1] == t)
			continue;
		uint32_t cap = k->npinned;
		if (!grow((void **)&k->pinned, &cap, k->npinned + 1, sizeof *k->pinned))
			goto oom;
		k->pinned[k->npinned++] = t;
	}
	/* everything not in a unit is pool: octopus's pools, the PEAs the
	 * binding leaves unused, and with discrimination off every PEA */
	for (uint32_t q = 0; q < sc->npeas; q++)
		if (sc->pea_state[q] == PEA_POOL) {
			uint32_t c = cluster_of(sc, q);
			sc->cl[c].size++;
			pool_put(sc, c, q);
		} else if (sc->pea_state[q] == PEA_UNIT) {
			sc->c.usable_peas++;
		}
	for (uint32_t c = 0; c < sc->nclusters; c++) {
		sc->c.usable_peas += sc->cl[c].size;
		touch(sc, c);
	}
	if (sc->oom)
		goto oom;
	/* a plan whose elastic task fits no pool cannot run */
	for (uint32_t t = 0; t < p->nnodes; t++) {
		task_state *s = &sc->ts[t];
		if (!s->elastic || p->nodes[t].kind != OWGRT_NODE_TASK || sc->cl[s->home].size >= s->width)
			continue;
		uint32_t c = roomiest(sc, s->home, s->width);
		if (c == NONE) {
			set_err(err, err_size, "task '%s' is elastic but no cluster has a pool wide enough for it",
				p->nodes[t].name);
			owgrt_sched_free(sc);
			return NULL;
		}
		s->home = c;
	}
	return sc;
oom:
	set_err(err, err_size, "%s", "out of memory");
	owgrt_sched_free(sc);
	return NULL;
}

void owgrt_sched_free(owgrt_sched *sc)
{
	if (!sc)
		return;
	free(sc->pea_state);
	free(sc->pea_unit);
	free(sc->pea_cfg);
	free(sc->pea_job);
	free(sc->pea_ready);
	free(sc->pea_block);
	free(sc->units);
	free(sc->unit_peas);
	for (uint32_t t = 0; sc->ts && t < sc->nnodes; t++)
		owgrt_zindex_free(&sc->ts[t].zi);
	free(sc->ts);
	if (sc->cl)
		for (uint32_t c = 0; c < sc->nclusters; c++) {
			free(sc->cl[c].free);
			free(sc->cl[c].heap);
			free(sc->cl[c].pinned);
		}
	free(sc->cl);
	owgrt_zindex_free(&sc->z);
	for (uint32_t j = 0; j < sc->njobs; j++)
		free(sc->jobs[j].gang);
	free(sc->jobs);
	free(sc->out);
	free(sc->moves);
	free(sc->starved);
	free(sc);
}
