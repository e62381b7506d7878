/* depfile.h - make-style dependency files (-MD -MF -MT -MP), as gcc writes
 * them: "target: main.owg lib.owg", one phony rule per import with -MP. */
#ifndef OWG_DEPFILE_H
#define OWG_DEPFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Writes the rule to out; deps[0] is the main input. */
void owg_depfile_write(FILE *out, const char *target, const char *const *deps, size_t n, bool phony);

#endif
