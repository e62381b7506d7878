/* source.h - the files a compilation reads, and byte-span locations in them.
 *
 * Locations are byte spans; line and column are computed only when a
 * message is printed (lines are found by a binary search over line starts
 * computed once per file). */
#ifndef OWG_SOURCE_H
#define OWG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct owg_loc {
	uint32_t file;         /* index in the source manager, OWG_NOFILE if none */
	uint32_t begin, end;   /* byte offsets, end exclusive */
} owg_loc;

#define OWG_NOFILE UINT32_MAX
#define OWG_LOC_NONE ((owg_loc){OWG_NOFILE, 0, 0})

typedef struct owg_source {
	char *path;       /* as given (for messages), "<stdin>" for - */
	char *text;       /* contents, NUL-terminated (a NUL inside is an error for the lexer) */
	size_t len;
	uint32_t *line_starts; /* computed lazily */
	size_t nlines;
} owg_source;

typedef struct owg_srcmgr {
	owg_source *files;
	size_t n, cap;
} owg_srcmgr;

void owg_src_init(owg_srcmgr *sm);
void owg_src_free(owg_srcmgr *sm);
/* Reads a file ("-" is standard input).  Returns the file index, or
 * OWG_NOFILE with *err set to a static or strerror() message. Files over
 * OWG_SRC_MAX_BYTES are refused. */
uint32_t owg_src_load(owg_srcmgr *sm, const char *path, const char **err);
#define OWG_SRC_MAX_BYTES ((size_t)1 << 30)
/* Adds an in-memory buffer (copied).  OWG_NOFILE if len is over
 * OWG_SRC_MAX_BYTES. */
uint32_t owg_src_add(owg_srcmgr *sm, const char *name, const char *text, size_t len);
const owg_source *owg_src_get(const owg_srcmgr *sm, uint32_t file);
/* 1-based line and byte column of an offset (clamped to the end of the
 * file; a file ending in '\n' has an empty last line after it).  0, 0 for
 * an unknown file. */
void owg_src_linecol(owg_srcmgr *sm, uint32_t file, uint32_t offset,
		     uint32_t *line, uint32_t *col);
/* The line containing offset: start pointer and length without newline
 * ("\r\n" too).  NULL for an unknown file. */
const char *owg_src_line(owg_srcmgr *sm, uint32_t file, uint32_t offset, size_t *len);

/* Length of the valid UTF-8 sequence at p (at most n bytes, n > 0); 0 if
 * the bytes there are not valid UTF-8 (overlong forms, surrogates and code
 * points beyond U+10FFFF included). */
size_t owg_utf8_len(const unsigned char *p, size_t n);

#endif
