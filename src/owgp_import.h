/* owgp_import.h - a loaded placement binary (libowgrt's owgrt_program)
 * back into owgc's graph, with its analysis annotations and plan, so that
 * `owgc --emit=ir wf.owgp` prints what the binary holds: the text equals
 * the print of the graph that was written. */
#ifndef OWG_OWGP_IMPORT_H
#define OWG_OWGP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../runtime/owgrt.h"
#include "ir.h"

/* Does the input start with the placement binary's magic number (and so
 * should go to owgrt_load rather than to the IR or source readers)? */
bool owg_owgp_is_binary(const char *bytes, size_t n);

/* The graph of a program owgrt_load accepted (so every index in it is in
 * range).  Returns NULL with a message in err (err_size bytes) only for a
 * NULL program.  The graph is the caller's (owg_ir_free). */
owg_graph *owg_owgp_import(const owgrt_program *p, char *err, size_t err_size);

#endif
