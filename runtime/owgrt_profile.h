/* owgrt_profile.h - recording .owgprof profiles at run time, so that
 * compile -> run -> recompile with `owgc --profile-use` closes the loop
 * (DESIGN section 9).  The file is the one owgc's src/profile.c reads and
 * writes, byte for byte what owgc's own recorder writes for the same
 * events: the same shape hash (a profile of another workflow is refused)
 * and model hash, computed from the loaded program.
 *
 *   owgrt_profile *pr = owgrt_profile_new(p);
 *   ... owgrt_profile_time(pr, node, seconds, key) per task execution,
 *       owgrt_profile_arm / owgrt_profile_items per control decision,
 *       owgrt_profile_request(pr, execs) per completed request ...
 *   owgrt_profile_write_file(pr, "wf.owgprof", err, sizeof err);
 *   owgrt_profile_free(pr);
 *
 * The events map one to one onto owgrt_sim_observer's: task (not lost)
 * -> owgrt_profile_time, control -> owgrt_profile_arm (branch, switch,
 * exit) or owgrt_profile_items (loops, forks), request ->
 * owgrt_profile_request.
 *
 * Nodes are owgrt_program node ids.  The program must outlive the
 * profile (names and kinds are read from it).  A profile is not
 * synchronised: one thread at a time records into it.  Recording
 * functions return OWGRT_OK, OWGRT_EINVAL (and record nothing) for a node
 * that does not take that event or an invalid value, or OWGRT_ENOMEM
 * (and record nothing). */
#ifndef OWGRT_PROFILE_H
#define OWGRT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "owgrt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Execution times kept per task: the bottom-k sample of owgc's
 * profiles (src/profile.h's OWG_PROF_K; merge needs the same K). */
#define OWGRT_PROFILE_K 256

typedef struct owgrt_profile owgrt_profile;

/* An empty profile of p (every counter 0).  NULL when out of memory or p
 * is NULL. */
owgrt_profile *owgrt_profile_new(const owgrt_program *p);
void owgrt_profile_free(owgrt_profile *pr);
/* A task execution of `seconds` (finite, >= 0); `key` a 64-bit
 * pseudo-random number, uniform and independent of the time (the
 * bottom-k sample keeps the OWGRT_PROFILE_K smallest (key, time) pairs,
 * a uniform sample of all executions). */
int owgrt_profile_time(owgrt_profile *pr, uint32_t node, double seconds, uint64_t key);
/* A branch, switch or exit chose `arm`, an index into the node's arms
 * (branch: 0 then, 1 else; exit: 0 taken, 1 cont); a switch without a
 * default that matched no case takes OWGRT_NONE.  A while loop's test
 * after a trip may also be recorded here, arm 0 stopped, 1 repeated
 * (the same as owgrt_profile_items with the trips).  Not the entry: its
 * one run per request is counted by owgrt_profile_request. */
int owgrt_profile_arm(owgrt_profile *pr, uint32_t node, uint32_t arm);
/* A loop ran n trips, a fork n items.  A while loop runs at least one
 * trip (n >= 1) and tests after each: n - 1 repeats, then a stop. */
int owgrt_profile_items(owgrt_profile *pr, uint32_t node, uint64_t n);
/* A request completed; execs[node]: executions of every node in it (the
 * tasks' are recorded; execs has one element per node of the program).
 * Also counts the entry's run. */
int owgrt_profile_request(owgrt_profile *pr, const uint32_t *execs);
/* Writes the profile atomically: a temporary file "PATH.tmp.*" in the
 * same directory, flushed to the disk and renamed over path, removed on
 * any error; a device or pipe (/dev/stdout) is written in place.
 * OWGRT_OK, or OWGRT_EINVAL, OWGRT_EIO or OWGRT_ENOMEM with a message
 * that starts with the path in err (err_size bytes, NUL-terminated; err
 * may be NULL when err_size is 0). */
int owgrt_profile_write_file(const owgrt_profile *pr, const char *path, char *err, size_t err_size);
/* The text of the file, in a malloc'ed NUL-terminated buffer the caller
 * frees (*len bytes without the NUL).  OWGRT_OK, OWGRT_EINVAL or
 * OWGRT_ENOMEM (then *text is NULL). */
int owgrt_profile_text(const owgrt_profile *pr, char **text, size_t *len);

/* The hashes that tie a profile to its workflow, computed as owgc
 * computes them on its IR (src/profile_hash.c): FNV-1a 64 of the
 * structure (node kinds, names, nesting, arms, flows) and of the declared
 * models (times, PEAs, probabilities, counts, predicates, flow sizes). */
uint64_t owgrt_shape_hash(const owgrt_program *p);
uint64_t owgrt_model_hash(const owgrt_program *p);

#ifdef __cplusplus
}
#endif

#endif
