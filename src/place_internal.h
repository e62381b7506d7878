/* place_internal.h - what the placement passes share (discriminate,
 * partition, place, plan).
 *
 * A binding is laid out as units, one per task: a pinned task's unit is
 * its replicas (replicas x peas PEAs, one replica after the other); an
 * elastic task's unit (octopus binding only) is a reservation of PEAs for
 * its expected demand, which becomes part of the elastic pools.  Units sit
 * on a curve through the usable PEAs that keeps neighbours on the curve
 * near each other on the mesh; binding->first[t] is where t's unit starts
 * in binding->peas. */
#ifndef OWG_PLACE_INTERNAL_H
#define OWG_PLACE_INTERNAL_H

#include "pass.h"
#include "plan.h"

/* The quantile of demand elastic pools are sized for (z of the normal
 * approximation: 1.645 is the 95th percentile). */
#define OWG_POOL_Z 1.645
/* Replicas are sized so that each is busy at most this share of the time
 * at the target rate. */
#define OWG_REPLICA_UTIL 0.9
/* Without --rate, the rate at which the expected load is this share of the
 * usable PEAs (then lowered until both bindings fit). */
#define OWG_DEFAULT_LOAD 0.7

/* PEAs of task t's unit in binding b of plan p (0 for control blocks). */
uint32_t owg_unit_size(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t);
bool owg_binding_is_octopus(const owg_plan *p, const owg_binding *b);

/* The usable PEAs in curve order: chiplets, then clusters within a
 * chiplet, then PEAs within a cluster, each level walked row by row in
 * alternating directions (boustrophedon).  *n gets the count. */
uint32_t *owg_curve(const owg_fabric *f, size_t *n);

/* Expected traffic of a binding per request: the sum over flows of bytes
 * x executions of the consumer x hops between the centres of the two
 * tasks' units. */
double owg_binding_traffic(const owg_graph *g, const owg_plan *p, const owg_binding *b);
/* The centre of task t's unit: mean x and y of its PEAs. */
void owg_unit_centre(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t, double *x,
		     double *y);

#endif
