/* pass.h - the analysis pipeline: a table of passes with one signature
 * (QBE's habit), so that printing the pipeline, dumping the IR after a
 * pass, verifying after each pass and timing them (LLVM's flags) work the
 * same for every pass.
 *
 * Passes annotate the graph (owg_analysis in ir.h); the annotated IR
 * prints and reads back.  The pipeline runs in this order:
 *   profile-attach  read --profile-use, refuse another workflow's profile
 *   time-stats      per TB: mean, sd, CV, p50/p95/p99; steady or volatile
 *   branch-freq     per CB: arm probabilities; per node: executions per
 *                   request (mean, variance); stable or bursty
 *   load            per TB: PEA-time per request; the critical path and
 *                   the lower bounds on latency and throughput
 *   discriminate    pinned or elastic tasks; the target rate; replicas of
 *                   both bindings; elastic demand; does it fit
 *   partition       lays both bindings out on the fabric, balanced
 *   place           improves the layout (move budget by -O, --seed)
 *   plan            elastic pools, traffic, and the legality check */
#ifndef OWG_PASS_H
#define OWG_PASS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "ir.h"

struct owg_profile;

typedef struct owg_pass_opts {
	const char *profile_use;  /* --profile-use=FILE, or NULL */
	double cv_threshold;      /* --cv-threshold: volatile above it */
	double burst_threshold;   /* --burst-threshold: bursty above it */
	uint32_t peas;            /* --peas, 0: the target fabric's usable PEAs */
	const owg_fabric *fabric; /* --fabric, resolved; NULL: the graph's first, else the default preset */
	double rate;              /* --rate (requests/s), 0: the highest that fits at OWG_DEFAULT_LOAD */
	uint64_t seed;            /* --seed */
	int opt;                  /* -O0 .. -O3 */
	const char *dump_after;   /* --dump-after=PASS ("all": after every pass) */
	const char *stop_after;   /* --stop-after=PASS */
	bool verify_each;         /* --verify-each */
	bool time_passes;         /* --time-passes */
	FILE *dump_out;           /* where dumps and timings go (standard error) */
} owg_pass_opts;

#define OWG_DEFAULT_CV_THRESHOLD 0.25
#define OWG_DEFAULT_BURST_THRESHOLD 0.5
/* The default single chip: 4x4 clusters of 4x4 PEAs. */
#define OWG_DEFAULT_PEAS 256

void owg_pass_opts_init(owg_pass_opts *o);

typedef struct owg_pass_ctx {
	owg_graph *g;
	owg_diag *diag;
	owg_srcmgr *sm;
	const owg_pass_opts *opts;
	struct owg_profile *profile; /* attached by profile-attach, or NULL */
	owg_fabric fabric;           /* the target, chosen when the pipeline starts */
} owg_pass_ctx;

/* A pass returns false when it reported an error and the pipeline must
 * stop. */
typedef bool (*owg_pass_fn)(owg_pass_ctx *ctx);

typedef struct owg_pass {
	const char *name;
	const char *what; /* one line for --print-pipeline */
	owg_pass_fn run;
} owg_pass;

/* The pipeline, in order. */
const owg_pass *owg_pipeline(size_t *n);
const owg_pass *owg_pass_find(const char *name);
/* Prints the pipeline: one pass per line, its name and what it does. */
void owg_pipeline_print(FILE *out);
/* Runs the pipeline (up to opts->stop_after) with dumps, verification and
 * timing as the options ask.  False after an error. */
bool owg_pipeline_run(owg_pass_ctx *ctx);
/* Frees what the pipeline attached to ctx (the profile). */
void owg_pass_ctx_free(owg_pass_ctx *ctx);

#endif
