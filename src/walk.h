/* walk.h - Monte-Carlo walk of a workflow's model: samples requests one
 * by one and follows the control blocks as the model says (the arm
 * probabilities and repeat probabilities that branch-freq decided, the
 * declared trip, item and time distributions of dist.h).
 *
 * Every random decision comes from the stream (seed, request, node,
 * execution of that node in the request) - the common random numbers of
 * DESIGN section 8 - so a walk is reproducible and independent of
 * traversal details.  Used to check branch-freq against sampling, and by
 * `owgprof sample` to make a profile from a model. */
#ifndef OWG_WALK_H
#define OWG_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

struct owg_profile;

typedef struct owg_walk_result {
	double *mean; /* per node: executions per request, averaged */
	double *var;  /* per node: their variance (population) */
} owg_walk_result;

/* g must carry branch-freq's annotations.  Records every execution into
 * prof when it is not NULL.  Fills res (arrays malloc'd, owned by the
 * caller: owg_walk_result_free) when res is not NULL. */
void owg_walk(const owg_graph *g, uint64_t requests, uint64_t seed, struct owg_profile *prof,
	      owg_walk_result *res);
void owg_walk_result_free(owg_walk_result *res);

#endif
