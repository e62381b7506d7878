/* frontend.h - from a source path to the OWG IR: reading files, following
 * imports, parsing, checking and lowering.  Also reads IR text (.owgir). */
#ifndef OWG_FRONTEND_H
#define OWG_FRONTEND_H

#include "diag.h"
#include "ir.h"
#include "sema.h"
#include "source.h"

typedef struct owg_frontend {
	owg_arena arena; /* syntax trees; initialise with owg_arena_init */
	owg_srcmgr *sm;
	owg_diag *diag;
	const char *const *include_dirs; /* -I, searched after the importing file's folder */
	size_t ninclude_dirs;
	owg_sema_opts sema;
	/* every file read, main first (for -MD) */
	const char **deps;
	size_t ndeps;
} owg_frontend;

/* Compiles `path` ("-" for standard input; a name ending in .owgir is read
 * as IR text).  NULL when errors were reported. */
owg_graph *owg_frontend_compile(owg_frontend *fe, const char *path);
void owg_frontend_free(owg_frontend *fe);

/* Parses "-D name=value" into an override (value parsed as an owg
 * expression).  Errors are reported; returns false on one. */
bool owg_frontend_define(owg_frontend *fe, const char *def, owg_override *out);

#endif
