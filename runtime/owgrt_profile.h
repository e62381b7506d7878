/* owgrt_profile.h - recording .owgprof profiles at run time, so that
 * compile -> run -> recompile with `owgc --profile-use` closes the loop
 * (DESIGN section 9).  The file is the one owgc's src/profile.c reads:
 * the same shape hash (a profile of another workflow is refused) and
 * model hash, computed from the loaded program.
 *
 *   owgrt_profile *pr = owgrt_profile_new(p);
 *   ... owgrt_profile_time(pr, node, seconds, key) per task execution,
 *       owgrt_profile_arm / owgrt_profile_items per control decision,
 *       owgrt_profile_request(pr, execs) per completed request ...
 *   owgrt_profile_write_file(pr, "wf.owgprof", err, sizeof err);
 *   owgrt_profile_free(pr);
 */
#ifndef OWGRT_PROFILE_H
#define OWGRT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "owgrt.h"

typedef struct owgrt_profile owgrt_profile;

/* NULL when out of memory. */
owgrt_profile *owgrt_profile_new(const owgrt_program *p);
void owgrt_profile_free(owgrt_profile *pr);
/* A task execution of `seconds`; `key` a 64-bit pseudo-random number
 * (the bottom-k sample keeps the smallest keys). */
int owgrt_profile_time(owgrt_profile *pr, uint32_t node, double seconds, uint64_t key);
/* A branch, switch or exit chose `arm`. */
int owgrt_profile_arm(owgrt_profile *pr, uint32_t node, uint32_t arm);
/* A loop ran n trips, a fork n items. */
int owgrt_profile_items(owgrt_profile *pr, uint32_t node, uint64_t n);
/* A request completed; execs[node]: executions of every node in it. */
int owgrt_profile_request(owgrt_profile *pr, const uint32_t *execs);
/* Writes the profile atomically (a temporary file renamed over path). */
int owgrt_profile_write_file(const owgrt_profile *pr, const char *path, char *err, size_t err_size);

#endif
