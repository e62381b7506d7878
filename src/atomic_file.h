/* atomic_file.h - outputs written to a temporary file next to the target
 * and renamed over it on success, so that a failed or interrupted run
 * never leaves a half-written output.  "-" is standard output; a target
 * that exists and is not a regular file (/dev/null, a FIFO) is written in
 * place. */
#ifndef OWG_ATOMIC_FILE_H
#define OWG_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct owg_atomic_file {
	FILE *f;
	char *tmp;  /* NULL for standard output */
	char *path;
	bool direct; /* a device or pipe, written in place */
} owg_atomic_file;

/* Returns the stream, or NULL with *err set (strerror text). */
FILE *owg_atomic_open(owg_atomic_file *af, const char *path, const char **err);
/* Flushes, checks for write errors and renames into place. */
bool owg_atomic_commit(owg_atomic_file *af, const char **err);
/* Discards the temporary file. */
void owg_atomic_abort(owg_atomic_file *af);

#endif
