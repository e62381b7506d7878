/* compile.h - test helper: compiles owg source held in a string through
 * the whole front end, capturing the diagnostics as text. */
#ifndef OWG_TESTS_COMPILE_H
#define OWG_TESTS_COMPILE_H

#include "ir.h"

typedef struct compiled {
	owg_graph *g;   /* NULL when errors were reported */
	char *diags;    /* everything printed, plain text without colour */
	unsigned errors, warnings;
} compiled;

/* Compiles src as file "t.owg"; extra are -W options (NULL-terminated list, may be NULL). */
compiled compile_src(const char *src, const char *const *wopts);
/* Compiles a file through owgc's front end (imports, .owgir). */
compiled compile_file(const char *path);
void compiled_free(compiled *c);
/* The node named name, or NULL. */
const owg_node *node_named(const owg_graph *g, const char *name);

struct owgrt_program;
/* Runs owgc's whole pipeline on g for fabric preset `fabric` at `rate`
 * (0: owgc's default), as owgc does for a placement; false if a pass failed. */
bool place_graph(owg_graph *g, const char *fabric, double rate);
/* Writes g's placement binary and loads it with libowgrt, as owgrun
 * would; NULL (with the message in err) when the loader refuses it. */
struct owgrt_program *load_placed(const owg_graph *g, char *err, size_t err_size);

#endif
