/* owgrun_out.h - owgrun's outputs: the summary table, the comparison of
 * policies, the statistics as JSON, the Chrome trace and the SVG heat map
 * (owgrun(1)).  Used by owgrun only; links libowgrt only.
 *
 * Every writer is deterministic: the same run gives the same bytes (numbers
 * in the shortest form that reads back exactly, events in the order the
 * simulator reports them). */
#ifndef OWGRUN_OUT_H
#define OWGRUN_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "owgrt.h"
#include "owgrt_sim.h"

/* --- files written atomically --- */

/* An output written to a temporary file next to the target and renamed
 * over it on success, so that a failed run leaves no half-written file.
 * "-" is standard output; a target that exists and is not a regular file
 * (/dev/null, a FIFO) is written in place. */
typedef struct owgrun_file {
	FILE *f;
	char *tmp;   /* NULL when not renamed */
	char *path;
	bool direct; /* a device or pipe, closed at the end */
} owgrun_file;

/* The stream, or NULL with a message in err. */
FILE *owgrun_file_open(owgrun_file *o, const char *path, char *err, size_t err_size);
/* Flushes, checks for write errors and renames into place. */
bool owgrun_file_commit(owgrun_file *o, char *err, size_t err_size);
/* Discards the temporary file (nothing when already committed). */
void owgrun_file_abort(owgrun_file *o);

/* --- JSON --- */

/* s as a JSON string, quoted and escaped (control characters, quotes,
 * backslashes; bytes >= 0x80 pass through: owgc's names are UTF-8). */
void owgrun_json_string(FILE *f, const char *s);
/* x in the shortest decimal form that reads back as x; null when not
 * finite (JSON has no infinities). */
void owgrun_json_number(FILE *f, double x);

/* --- what the runs were --- */

/* What every run of one owgrun invocation shares (for the headers). */
typedef struct owgrun_setup {
	const owgrt_program *p;
	const owgrt_sim_opts *o;      /* policy: that of a single run */
	const char *phases_path;      /* NULL: one stationary phase */
	const owgrt_phases *phases;
} owgrun_setup;

/* One simulated policy. */
typedef struct owgrun_run {
	owgrt_policy policy;
	bool ok;           /* simulated; else err says why not */
	char err[512];
	owgrt_sim_stats st;
} owgrun_run;

/* The summary table of one run (the first two lines name the run). */
void owgrun_print_summary(FILE *f, const owgrun_setup *s, const owgrun_run *r);
/* The comparison of runs[0 .. n) (those with ok), one row each, and a note
 * on octopus' speed-up over the others. */
void owgrun_print_compare(FILE *f, const owgrun_setup *s, const owgrun_run *runs, size_t n);
/* One run as a JSON object; static_makespan > 0 adds the speed-up over
 * static.  A failed run is {"policy": ..., "error": ...}. */
void owgrun_print_json(FILE *f, const owgrun_setup *s, const owgrun_run *r, double static_makespan);

/* --- the Chrome trace (trace-event JSON, object format) --- */

typedef struct owgrun_trace owgrun_trace;

/* A trace of requests 0 .. max_requests - 1 of program p, written to f as
 * the run goes.  NULL when out of memory. */
owgrun_trace *owgrun_trace_new(const owgrun_setup *s, FILE *f, uint64_t max_requests);
/* The observer's events, as owgrt_sim_observer describes them. */
void owgrun_trace_task(owgrun_trace *t, uint32_t req, uint32_t node, uint32_t exec, const uint32_t *peas,
		       uint32_t npeas, double bound, double start, double end, bool lost);
void owgrun_trace_control(owgrun_trace *t, uint32_t req, uint32_t node, uint32_t exec, uint64_t outcome,
			  double time);
void owgrun_trace_request(owgrun_trace *t, uint32_t req, double arrival, double finish);
void owgrun_trace_migrate(owgrun_trace *t, uint32_t node, uint32_t from, uint32_t to, double time);
void owgrun_trace_fail(owgrun_trace *t, uint32_t pea, double time);
/* Names the clusters and PEAs that appeared and closes the JSON; false
 * when out of memory. */
bool owgrun_trace_finish(owgrun_trace *t);
void owgrun_trace_free(owgrun_trace *t);

/* --- the utilisation heat map (SVG) --- */

typedef struct owgrun_heat owgrun_heat;

/* NULL when out of memory. */
owgrun_heat *owgrun_heat_new(const owgrt_program *p);
/* PEAs peas[0 .. n) were busy over [start, end). */
void owgrun_heat_busy(owgrun_heat *h, const uint32_t *peas, uint32_t n, double start, double end);
void owgrun_heat_fail(owgrun_heat *h, uint32_t pea);
/* The map of run r, titled with the workflow, policy and fabric. */
void owgrun_heat_write(FILE *f, const owgrun_heat *h, const owgrun_setup *s, const owgrun_run *r);
void owgrun_heat_free(owgrun_heat *h);

#endif
