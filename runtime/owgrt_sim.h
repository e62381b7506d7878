/* owgrt_sim.h - the discrete-event fabric simulator (runtime/DESIGN-sim.md).
 *
 * Runs a stream of requests of a loaded program on its placement: each
 * request as nested block DAGs (control blocks resolve after the control
 * latency and open their arms; loops run their trips one after the other,
 * forks their items side by side), tasks on the PEAs the policy chooses,
 * data moved from the producer's PEA (owgrt_mesh), all random quantities
 * from common random numbers: (seed, request, node, execution).
 *
 * Policies so far: OWGRT_POLICY_STATIC, the conventional spatial binding
 * (plan->fixed): a ready task goes to the replica of it that frees up
 * first, in the order tasks become ready.  No global state; the caller
 * owns everything. */
#ifndef OWGRT_SIM_H
#define OWGRT_SIM_H

#include <stdint.h>

#include "owgrt.h"

typedef enum owgrt_policy { OWGRT_POLICY_STATIC } owgrt_policy;

typedef struct owgrt_sim_opts {
	uint64_t requests; /* at least 1 */
	double rate;       /* open loop: Poisson arrivals per second; 0: all at time 0 */
	uint64_t seed;
	owgrt_policy policy;
} owgrt_sim_opts;

typedef struct owgrt_sim_stats {
	uint64_t requests;      /* completed: every request, exactly once */
	uint64_t tasks_run;     /* task executions */
	uint64_t events;        /* events processed */
	double first_arrival, last_finish;
	double makespan;        /* last_finish - first_arrival */
	double lb;              /* the lower bound of DESIGN section 8 */
	double throughput;      /* requests / makespan */
	double latency_mean, latency_p50, latency_p95, latency_p99;
	double busy_pea_seconds;
	uint32_t peas;          /* usable PEAs of the fabric */
	double utilisation;     /* busy_pea_seconds / (peas x makespan) */
} owgrt_sim_stats;

/* Simulates; OWGRT_OK, or a status with a message (a program without a
 * placement, bad options, out of memory). */
int owgrt_simulate(const owgrt_program *p, const owgrt_sim_opts *o, owgrt_sim_stats *st, char *err,
		   size_t err_size);

#endif
