/* owgp_write.h - the placement binary (.owgp) backend: writes a graph,
 * with its analysis annotations and placement plan when present, in the
 * format of runtime/owgp_format.h, which libowgrt loads. */
#ifndef OWG_OWGP_WRITE_H
#define OWG_OWGP_WRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "ir.h"

/* Writes g to out (the caller opens it, e.g. with atomic_file.h, and
 * commits it).  Deterministic: the same graph gives the same bytes.
 * Returns false on a write error, or when g cannot be encoded (more than
 * 2^32 - 1 of something, a predicate with a missing operand, a plan's mesh
 * beyond the format's limits); nothing is printed. */
bool owg_owgp_write(const owg_graph *g, FILE *out);

#endif
