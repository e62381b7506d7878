/* sema.h - meaning of owg source: names, units, types and control
 * structure are checked and the main workflow is instantiated into the
 * OWG IR (sub-workflows expanded, parameters substituted). */
#ifndef OWG_SEMA_H
#define OWG_SEMA_H

#include "ast.h"
#include "diag.h"
#include "ir.h"

typedef struct owg_override {
	const char *name; /* a parameter of the main workflow (-D name=value) */
	ast_expr *value;
	owg_loc loc;
} owg_override;

typedef struct owg_sema_opts {
	const char *workflow; /* --workflow=NAME, or NULL to pick the only candidate */
	const owg_override *overrides;
	size_t noverrides;
} owg_sema_opts;

/* files[0] is the main file, the rest its imports.  Returns the IR of the
 * main workflow, or NULL when an error was reported. */
owg_graph *owg_sema_lower(owg_diag *diag, ast_file *const *files, size_t nfiles,
			  const owg_sema_opts *opts);
/* Lowers the fabric blocks of already parsed files, without a workflow
 * (--fabric=FILE): *out (allocated from a, names and defect tables too)
 * gets the *n fabrics in source order.  Returns false when an error was
 * reported (then *out holds the fabrics that were fine). */
bool owg_sema_lower_fabrics(owg_diag *diag, ast_file *const *files, size_t nfiles, owg_arena *a,
			    owg_fabric **out, size_t *n);

#endif
