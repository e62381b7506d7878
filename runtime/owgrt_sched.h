/* owgrt_sched.h - the scheduler core (DESIGN section 8): an event-driven
 * state machine that decides where ready task executions run.
 *
 * Events in: a job (one execution of a task) is ready, a job finished, a
 * block opened (its tasks will be ready soon), a PEA failed.  Decisions
 * out: dispatch a job on a gang of PEAs (configuring them first when they
 * hold another task), with or without its inputs pre-staged.  No I/O, no
 * clock, no global state: an executor (the simulator, later the host
 * threads) drives it and owns time.  Work per event is constant or
 * logarithmic in the queue lengths; nothing scans the fabric.
 *
 * Resources: a *unit* is a replica of a task, a gang of `peas` PEAs bound
 * to it by the plan (plan->fixed for static, reactive and steal;
 * plan->octopus's pinned replicas for octopus).  Every cluster has a
 * *pool* of loose PEAs from which gangs of any width are formed: octopus's
 * elastic pools, and for every policy the PEAs the binding leaves unused
 * and the survivors of failed units, so that a task whose every replica
 * died still runs (no request is ever lost). */
#ifndef OWGRT_SCHED_H
#define OWGRT_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "owgrt.h"
#include "owgrt_sim.h"

typedef struct owgrt_sched owgrt_sched;

/* A decision: run `job` on peas[0 .. npeas). */
typedef struct owgrt_sched_dispatch {
	uint32_t job;
	const uint32_t *peas; /* valid until the job finishes or is lost */
	uint32_t npeas;
	double config_ready;  /* when the gang holds the task's configuration (>= now) */
	bool staged;          /* its inputs were sent ahead: transfers started when they were produced */
	bool moved;           /* it runs away from its binding (stolen, migrated, diffused) */
} owgrt_sched_dispatch;

/* Counters the core keeps (added into the simulator's statistics). */
typedef struct owgrt_sched_counts {
	uint64_t migrations, reconfigurations, control_messages;
	double idle_backlog_pea_seconds;
	uint32_t usable_peas, failed_peas;
} owgrt_sched_counts;

/* NULL when out of memory, or with a message in err when the plan cannot
 * run under the policy. */
owgrt_sched *owgrt_sched_new(const owgrt_program *p, const owgrt_sim_opts *o, char *err, size_t err_size);
void owgrt_sched_free(owgrt_sched *sc);

/* A job of task `node` is ready at `now`; its main input lies on PEA
 * `near` (OWGRT_NONE: none); `release` is when its request arrived.  Job
 * ids are the executor's, small and reused after the job finished.  False
 * when out of memory. */
bool owgrt_sched_ready(owgrt_sched *sc, uint32_t job, uint32_t node, uint32_t near, double release, double now);
/* A dispatched job finished at `now`; its PEAs are free. */
bool owgrt_sched_finished(owgrt_sched *sc, uint32_t job, double now);
/* Proactive scheduling: task `node` will be ready soon (its block
 * opened); its request's work was last on PEA `near` (OWGRT_NONE: not
 * known), where the core expects its input. */
void owgrt_sched_expect(owgrt_sched *sc, uint32_t node, uint32_t near, double now);
/* PEA `pea` failed at `now`.  Returns the job it was running (its other
 * PEAs are released; the executor reports it lost and makes it ready
 * again), or OWGRT_NONE.  *fatal is set when no PEA can run some task any
 * more. */
uint32_t owgrt_sched_fail(owgrt_sched *sc, uint32_t pea, double now, bool *fatal);
/* The decisions made since the last call (a buffer the core owns). */
const owgrt_sched_dispatch *owgrt_sched_take(owgrt_sched *sc, size_t *n);
/* The migrations since the last call, as (node, from PEA, to PEA). */
const uint32_t *owgrt_sched_take_moves(owgrt_sched *sc, size_t *n);
const owgrt_sched_counts *owgrt_sched_counters(const owgrt_sched *sc, double now);
/* The core's own memory: bytes it keeps per PEA of the fabric and per
 * job (a task execution between ready and finished). */
size_t owgrt_sched_bytes_per_pea(void);
size_t owgrt_sched_bytes_per_job(void);
/* Out of memory happened inside a void entry point. */
bool owgrt_sched_oom(const owgrt_sched *sc);

#endif
