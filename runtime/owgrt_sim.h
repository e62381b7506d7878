/* owgrt_sim.h - the discrete-event fabric simulator (runtime/DESIGN-sim.md).
 *
 * Runs a stream of requests of a loaded program on its placement: each
 * request as nested block DAGs (control blocks resolve after the control
 * latency and open their arms; loops run their trips one after the other,
 * forks their items side by side), tasks on the PEAs the scheduler core
 * (owgrt_sched.h) chooses under one of four policies, data moved from the
 * producer's PEA over mesh links that carry one transfer at a time, all
 * random quantities from common random numbers: (seed, request, node,
 * execution).  PEAs may fail during the run; every request still
 * completes exactly once.  No global state; the caller owns everything. */
#ifndef OWGRT_SIM_H
#define OWGRT_SIM_H

#include <stdint.h>

#include "owgrt.h"
#include "owgrt_phase.h"

/* Octopus's four mechanisms, each of which can be switched off for
 * ablation studies (DESIGN section 8). */
enum {
	OWGRT_OCTO_DISCRIMINATE = 1u << 0, /* off: every task elastic, pools only */
	OWGRT_OCTO_ADAPTIVE = 1u << 1,     /* off: FIFO first-fit dispatch in the home pool */
	OWGRT_OCTO_PROACTIVE = 1u << 2,    /* off: no pre-configuration or pre-staging */
	OWGRT_OCTO_DIFFUSION = 1u << 3,    /* off: work never leaves its home cluster */
	OWGRT_OCTO_ALL = 0xf
};

/* A PEA failure: PEA `pea` (global id, y * width + x) fails at `time`
 * seconds, or, when at_half is set, when half of the requests have
 * completed ("mid-run"). */
typedef struct owgrt_fault {
	uint32_t pea;
	double time;
	bool at_half;
} owgrt_fault;

/* Tuning of the baselines (stated in owgrun(1) and bench/RESULTS.md);
 * owgrt_sim_opts_init sets the defaults. */
typedef struct owgrt_tuning {
	double reactive_threshold; /* reactive: migrate when queued tasks per replica exceed this (8) */
	double reactive_cooldown;  /* reactive: a replica migrates at most once per this many mean task times (5) */
	uint32_t steal_hops;       /* steal: a thief looks this many mesh hops around it, 1 to 16 (16) */
	double diffusion_margin;   /* octopus: move work when a neighbour's load is lower by this factor (0.25) */
} owgrt_tuning;

/* What happened, as it happens (all optional; NULL members are skipped).
 * Times in seconds of simulated time; nodes are owgrt_program node ids. */
typedef struct owgrt_sim_observer {
	void *ctx;
	/* A task execution of request `req`: PEAs peas[0 .. npeas) were taken
	 * at `bound`, computed over [start, end) (start - bound: the wait for
	 * data and configuration).  `exec` counts the node's executions in the
	 * request from 0.  An execution cut short by a PEA failure is
	 * reported with `lost` set and run again. */
	void (*task)(void *ctx, uint32_t req, uint32_t node, uint32_t exec, const uint32_t *peas, uint32_t npeas,
		     double bound, double start, double end, bool lost);
	/* A control block finished deciding: branch, switch, exit: the arm
	 * index (OWGRT_NONE: none, a switch without default); loops: trips;
	 * forks: items.  Loops report when their last trip ends. */
	void (*control)(void *ctx, uint32_t req, uint32_t node, uint32_t exec, uint64_t outcome, double t);
	/* A request completed; execs[node]: executions of every node in it. */
	void (*request)(void *ctx, uint32_t req, double arrival, double finish, const uint32_t *execs);
	/* The runtime moved work: a replica of `node` from PEA `from` to PEA
	 * `to` (reactive), or a task execution stolen or diffused. */
	void (*migrate)(void *ctx, uint32_t node, uint32_t from, uint32_t to, double t);
	/* A PEA failed. */
	void (*fail)(void *ctx, uint32_t pea, double t);
	/* Progress: called about every 1% of the requests completed. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
} owgrt_sim_observer;

typedef struct owgrt_sim_opts {
	uint64_t requests; /* at least 1 */
	double rate;       /* open loop: Poisson arrivals per second; 0: all at time 0 */
	uint64_t seed;
	owgrt_policy policy;
	unsigned octopus;  /* OWGRT_OCTO_* mechanisms on */
	owgrt_tuning tuning;
	const owgrt_phases *phases; /* NULL: one stationary phase */
	const owgrt_fault *faults;
	uint32_t nfaults;
	const owgrt_sim_observer *observer; /* NULL: none */
} owgrt_sim_opts;

/* Defaults: 1000 requests, closed batch, seed 1, static, every octopus
 * mechanism on, the tuning above, no phases, faults or observer. */
void owgrt_sim_opts_init(owgrt_sim_opts *o);

typedef struct owgrt_sim_stats {
	uint64_t requests;      /* completed: every request, exactly once */
	uint64_t tasks_run;     /* task executions completed */
	uint64_t tasks_lost;    /* executions cut short by a failure (and run again) */
	uint64_t events;        /* events processed */
	double first_arrival, last_finish;
	double makespan;        /* last_finish - first_arrival */
	double lb;              /* the lower bound of DESIGN section 8 */
	double throughput;      /* requests / makespan */
	double latency_mean, latency_p50, latency_p95, latency_p99;
	double busy_pea_seconds;
	double idle_backlog_pea_seconds; /* idle while ready work waited anywhere */
	double idle_with_backlog;        /* that, as a share of peas x makespan */
	uint32_t peas;          /* usable PEAs of the fabric (at the start) */
	uint32_t failed_peas;
	double utilisation;     /* busy_pea_seconds / (peas x makespan) */
	uint64_t migrations;    /* replicas moved, tasks stolen or diffused */
	uint64_t reconfigurations;
	double bytes_moved;     /* over the mesh (same-PEA flows excluded) */
	uint64_t control_messages;
} owgrt_sim_stats;

/* Simulates; OWGRT_OK, or a status with a message (a program without a
 * placement, bad options, a failure that leaves a task nowhere to run,
 * out of memory). */
int owgrt_simulate(const owgrt_program *p, const owgrt_sim_opts *o, owgrt_sim_stats *st, char *err,
		   size_t err_size);

#endif
