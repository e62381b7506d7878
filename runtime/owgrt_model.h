/* owgrt_model.h - a program's execution model, computed once and shared
 * by the simulator and the host executor (runtime/DESIGN-sim.md, "A
 * request runs as nested blocks"): the members of every block (arm of a
 * control node), per member its successors in its block's DAG (flows and
 * predicate reads lifted to the lowest block holding both ends), the
 * flows into every task, and the probabilities of every arm. */
#ifndef OWGRT_MODEL_H
#define OWGRT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "owgrt.h"
#include "owgrt_rng.h"

typedef struct owgrt_model {
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
} owgrt_model;

/* The block (slot) node n is a member of. */
uint32_t owgrt_model_slot(const owgrt_model *m, uint32_t n);
/* False when out of memory (then owgrt_model_free what was built). */
bool owgrt_model_build(owgrt_model *m, const owgrt_program *p);
void owgrt_model_free(owgrt_model *m);

/* The arm a branch, switch or exit takes by its probabilities prob[0 ..
 * n), from one uniform draw of r; OWGRT_NONE when the draw falls past
 * them (a switch without a default whose cases leave a share). */
uint32_t owgrt_model_pick_arm(const double *prob, uint32_t n, owgrt_rng *r);

/* Request latencies v[0 .. n) summarised: the mean and the 50th, 95th and
 * 99th percentiles (nearest rank; 0 when n is 0).  Sorts v. */
void owgrt_latency_summary(double *v, size_t n, double *mean, double *p50, double *p95, double *p99);

#endif
