/* profile.h - measured behaviour of a workflow: the .owgprof format
 * (DESIGN section 9).  The executors record into a profile, `owgprof`
 * merges profiles, `owgc --profile-use` binds one to a graph and lets its
 * measurements override the declared models.
 *
 * A profile has one entry per TB and per CB of the workflow, named by the
 * IR node name (unique in a graph), plus a header: the workflow name, the
 * graph's shape hash (structure) and model hash (declared models) at
 * recording time, and how many requests it covers.
 *
 * Per TB:
 *   runs         executions recorded;
 *   samples      a bottom-k sample of execution times: every execution
 *                comes with a 64-bit pseudo-random key from the recorder
 *                and the profile keeps the OWG_PROF_K (key, time) pairs
 *                that are smallest in (key, time) order.  Merging is the
 *                union of the multisets, cut to the K smallest, which is
 *                exactly associative and commutative; with uniformly
 *                random keys the kept times are a uniform sample of all
 *                runs.  nsamples is always min(runs, K);
 *   count_sum    sum over requests of the executions in that request,
 *   count_sumsq  sum of their squares (mean and variance per request).
 *
 * Per CB, `runs` is how many times the CB made its decision, and:
 *   entry        nothing else (runs: once per request);
 *   branch       arms[0] then, arms[1] else: how often each was taken;
 *   switch       arms[i]: how often IR arm i (the cases, then the default
 *                if there is one) was selected.  Without a default a run
 *                may select no arm: sum(arms) <= runs; with one, ==;
 *   exit         arms[0] taken, arms[1] cont;
 *   loop while   the condition is tested after every trip, so runs counts
 *                trips; arms[0] (IR arm 'body') counts the tests that
 *                stopped the loop (the trip bound 'max' included),
 *                arms[1] (IR arm 'repeat') the tests that repeated it;
 *   loop count   runs: times the loop was started; items_sum/items_sumsq:
 *   fork         trips or items per run (sum, sum of squares).
 * For every kind but the switch, sum(arms) == runs.
 *
 * Counters saturate instead of wrapping when recording (2^64 executions
 * are out of reach); merge refuses to overflow. */
#ifndef OWG_PROFILE_H
#define OWG_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

#define OWG_PROF_VERSION 1
#define OWG_PROF_K 256 /* samples kept per TB */
/* Arms of one switch line; far beyond any written workflow. */
#define OWG_PROF_MAX_ARMS (1u << 20)

__extension__ typedef unsigned __int128 owg_u128;

typedef struct owg_prof_sample {
	uint64_t key;
	double time; /* seconds, finite, >= 0 */
} owg_prof_sample;

typedef struct owg_prof_entry {
	const char *name;
	owg_node_kind kind;
	uint32_t node; /* node id in the bound graph; OWG_NONE while unbound */
	owg_loc loc;   /* the name in the file it was read from, or OWG_LOC_NONE */
	uint64_t runs;

	/* OWG_NODE_TB */
	uint64_t count_sum;
	owg_u128 count_sumsq;
	uint32_t nsamples, samples_cap;
	owg_prof_sample *samples; /* [0, nsamples) sorted by (key, time) */

	/* OWG_NODE_CB */
	owg_cb_kind cb_kind;
	owg_loop_kind loop_kind; /* OWG_CB_LOOP */
	uint32_t narms;          /* branch, exit, loop while: 2; switch: its arms; else 0 */
	uint64_t *arms;
	bool has_default;        /* switch: the last arm is the default */
	uint64_t items_sum;      /* loop count, fork */
	owg_u128 items_sumsq;
} owg_prof_entry;

typedef struct owg_profile {
	owg_arena arena;
	const char *workflow;
	uint64_t shape, model; /* model 0: a merge of profiles of different models */
	uint64_t requests;
	OWG_VEC(owg_prof_entry) entries; /* in IR node order when written from a graph */
	/* Where the header fields are in the file (OWG_LOC_NONE if not read). */
	owg_loc workflow_loc, shape_loc, model_loc;
	/* Bound to a graph (owg_prof_new, owg_prof_bind): node id -> entry. */
	uint32_t nnodes;
	uint32_t *by_node; /* OWG_NONE for nodes without an entry */
	bool stale;        /* bound, but the graph's model hash differs */
} owg_profile;

/* --- structural hashes (profile_hash.c) ---
 * FNV-1a 64 over a canonical little-endian byte encoding, the same on every
 * platform (the encoding is described in profile_hash.c).
 * shape: per node kind, TB/CB kind, loop kind, name, region, arm, arm
 * kinds and case values; per flow src and dst.  Not the workflow name,
 * not times, probabilities, sizes.
 * model: everything a measurement replaces or depends on: time models,
 * PEAs, configuration sizes, kernels, outputs, arm probabilities, trip and
 * item models, trip bounds, predicates, flow sizes. */
uint64_t owg_ir_shape_hash(const owg_graph *g);
uint64_t owg_ir_model_hash(const owg_graph *g);

/* --- building and recording (profile.c) --- */
/* An empty profile with an entry for every TB and CB of g, bound to g. */
owg_profile *owg_prof_new(const owg_graph *g);
void owg_prof_free(owg_profile *p);
/* The entry of node id `node` of the bound graph, or NULL. */
owg_prof_entry *owg_prof_get(const owg_profile *p, uint32_t node);
/* The entry named `name`, or NULL (bound or not). */
owg_prof_entry *owg_prof_find(const owg_profile *p, const char *name);

/* Recording, by node id of the bound graph.  Each returns false and
 * records nothing when the node has no entry of the right kind or the
 * value is invalid. */
/* TB: one execution of `seconds` (finite, >= 0) with the recorder's key. */
bool owg_prof_record_time(owg_profile *p, uint32_t node, double seconds, uint64_t key);
/* Entry (arm 0), branch, switch, exit, loop while: one decision; arm is
 * the IR arm index (loop while: 0 stopped, 1 repeated); a switch without a
 * default takes OWG_NONE when no case matched. */
bool owg_prof_record_arm(owg_profile *p, uint32_t node, uint32_t arm);
/* Loop count, fork: one run with n trips or items. */
bool owg_prof_record_items(owg_profile *p, uint32_t node, uint64_t n);
/* The end of one request: count[id] is how many times TB id ran in it
 * (indexed by node id, p->nnodes entries; CB entries are ignored). */
bool owg_prof_end_request(owg_profile *p, const uint64_t *count);

/* Mean and (population) variance of a per-run quantity from its sum and
 * sum of squares over n runs; 0 and 0 when n is 0. */
void owg_prof_moments(uint64_t n, uint64_t sum, owg_u128 sumsq, double *mean, double *var);

/* --- the text form (profile.c) --- */
/* Parses .owgprof text (file: its index in diag's source manager, for
 * locations).  Returns an unbound profile, or NULL after reporting every
 * error through diag.  The input is hostile: see profile.c. */
owg_profile *owg_prof_read(const char *text, size_t len, uint32_t file, owg_diag *diag);
/* Writes the canonical text: write -> read -> write is byte-identical.
 * Returns false on a write error. */
bool owg_prof_write(const owg_profile *p, FILE *out);

/* --- combining (profile.c) --- */
/* The profile of both recordings: an unbound profile in a's entry order,
 * or NULL with an error (different workflow or shape, entries that do not
 * match, a counter overflow).  Different model hashes merge to model 0. */
owg_profile *owg_prof_merge(const owg_profile *a, const owg_profile *b, owg_diag *diag);
/* Maps the entries to the nodes of g.  Errors (returns false): another
 * workflow, another shape, entries missing or not matching their node.
 * Warning (returns true, p->stale): the model hash differs. */
bool owg_prof_bind(owg_profile *p, const owg_graph *g, owg_diag *diag);

#endif
