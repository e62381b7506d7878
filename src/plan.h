/* plan.h - where every task runs: the result of the placement passes
 * (discriminate, partition, place, plan), carried by the graph.
 *
 * PEAs are numbered on the global mesh of the fabric: PEA p sits at
 * x = p % width, y = p / width, where width and height count PEAs across
 * the whole package (see fabric.h).  Clusters are numbered the same way on
 * the mesh of clusters.
 *
 * A binding says, per task, how many replicas it has and which PEAs each
 * replica occupies (replicas x peas PEAs, replica after replica), and per
 * cluster which PEAs form its elastic pool.  The plan holds two:
 *   octopus  the discriminating one: pinned tasks have replicas; elastic
 *            tasks have none and are served from the pools of the
 *            clusters, starting at their home cluster;
 *   fixed    the static binding a conventional spatial compiler emits:
 *            every task pinned, replicas by expected load, no pools.
 * Both come from the same analysis, so every runtime policy runs from one
 * placement binary. */
#ifndef OWG_PLAN_H
#define OWG_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

typedef struct owg_binding {
	uint32_t *replicas; /* per node id: copies of a task; 0 for elastic tasks and CBs */
	uint32_t *first;    /* per node id: its PEAs are peas[first .. first + replicas * node->peas) */
	uint32_t *home;     /* per node id (tasks): its cluster (elastic: where its work starts) */
	uint32_t *pool_first, *pool_size; /* per cluster: its elastic pool, peas[pool_first ..] */
	uint32_t *peas;     /* PEA ids */
	size_t npeas;
	double traffic;     /* expected bytes x hops per request (see owg_plan_traffic) */
} owg_binding;

typedef struct owg_plan {
	owg_fabric fabric;      /* the target (a copy; defects in the graph's arena) */
	uint32_t width, height; /* PEAs across the mesh */
	uint32_t cwidth, cheight; /* clusters across the mesh */
	double rate;            /* requests per second the replicas and pools are sized for */
	bool *pinned;           /* per node id (tasks): discriminate's decision */
	/* per node id (tasks): busy PEAs at `rate`, mean and variance (for an
	 * elastic task, what the pools are sized for; the runtime's predicted
	 * demand) */
	double *demand_mean, *demand_var;
	owg_binding octopus, fixed;
	uint64_t seed;          /* --seed */
	int opt;                /* -O level */
} owg_plan;

struct owg_diag;
/* The legality of both bindings (plan_verify.c): every task placed, pinned
 * tasks with replicas x peas PEAs, PEAs inside the mesh, not defective,
 * none used twice in a binding, pools inside their cluster, homes and
 * ranges in bounds.  Reports each violation; returns their number. */
unsigned owg_plan_verify(const owg_graph *g, struct owg_diag *diag);

#endif
