/* owgrt_phase.h - non-stationary request streams (DESIGN section 8):
 * a phase file for owgrun.
 *
 * A stream runs in phases, one after the other, each for a share of the
 * requests, each overriding arm probabilities and scaling task times and
 * fork/loop counts.  The compile-time plan saw only the long-run averages.
 *
 *   # driving at night, then rush hour
 *   phase quiet share 0.5
 *     prob  empty 0.6 0.4     # a branch/switch/exit: one probability per arm
 *     count agents 0.25       # a fork or count loop: items/trips x 0.25
 *     time  predict 0.8       # a task: execution time x 0.8
 *   phase rush share 0.5
 *     prob  empty 0.01 0.99
 *     count agents 3
 *     time  det2d 1.5
 *
 * `prob` on a while loop gives its one repeat probability.  Names are the
 * node names of the program (instances dotted: prep.convert).  Shares are
 * positive and sum to 1; request r runs in the phase whose cumulative
 * share range holds (r + 0.5) / requests.
 *
 * The rules (owg(5), PHASE FILES; runtime/owgrt_phase.c): at least one
 * phase, names unique; shares in (0, 1] summing to 1 within 1e-9; `prob`
 * only on branches, switches and exits (one probability per arm, each in
 * [0, 1], summing to 1 within 1e-9, or to at most 1 for a switch without
 * a default) and while loops (one, in [0, 1)); `count` only on forks and
 * count loops (finite, >= 0); `time` only on tasks (finite, > 0); a node
 * set at most once per phase; an unknown name gets a suggestion within
 * edit distance 2; lines of at most 4096 bytes, UTF-8, no NUL bytes or
 * control characters but tabs and CRs; at most 1024 phases (and phases x
 * nodes at most 2^22).  Comments run from '#' to the end of the line. */
#ifndef OWGRT_PHASE_H
#define OWGRT_PHASE_H

#include <stddef.h>
#include <stdint.h>

#include "owgrt.h"

typedef struct owgrt_phase {
	char *name;
	double share;  /* of the requests, in file order */
	double *time;  /* per node: task time factor (1 when not given) */
	double *count; /* per node: fork items / count-loop trips factor (1 when not given) */
	double **arm;  /* per node: arm probabilities (narms of the node), NULL when not given */
	double *repeat; /* per node: while loops' repeat probability, NaN when not given */
} owgrt_phase;

typedef struct owgrt_phases {
	uint32_t n;
	uint32_t nnodes; /* of the program the phases were read for */
	owgrt_phase *v;
} owgrt_phases;

/* Reads phase text (len bytes, not NUL-terminated) for program p.  On
 * success stores the phases in *out and returns OWGRT_OK; otherwise stores
 * NULL, returns OWGRT_EFORMAT (or OWGRT_ENOMEM, OWGRT_EINVAL) and writes
 * "PATH:LINE:COL: message" for the first error to err (err_size bytes,
 * always NUL-terminated; columns count bytes from 1; a NULL path is shown
 * as "<phases>").  No global state; the caller frees *out. */
int owgrt_phases_parse(const owgrt_program *p, const char *text, size_t len, const char *path, owgrt_phases **out,
		       char *err, size_t err_size);
/* The same from a file (at most 64 MiB); I/O errors are OWGRT_EIO with
 * "PATH: cannot open: reason". */
int owgrt_phases_load_file(const owgrt_program *p, const char *path, owgrt_phases **out, char *err, size_t err_size);
void owgrt_phases_free(owgrt_phases *ph);
/* The phase of request r of `requests` (requests numbered from 0); the
 * last phase when r >= requests or requests is 0; 0 when ph is NULL. */
uint32_t owgrt_phase_of(const owgrt_phases *ph, uint64_t r, uint64_t requests);

#endif
