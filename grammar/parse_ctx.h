/* parse_ctx.h - state shared by the scanner and the parser of one file.
 * Private to grammar/; no flex or bison types leak out of it. */
#ifndef OWG_PARSE_CTX_H
#define OWG_PARSE_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "symtab.h"

typedef struct owg_span {
	uint32_t begin, end;
} owg_span;

typedef struct owg_pctx {
	owg_arena *arena;
	owg_diag *diag;
	owg_srcmgr *sm;
	uint32_t file;
	uint32_t offset;                 /* scanner position in bytes */
	uint32_t open[OWG_MAX_NESTING];  /* offsets of the open brackets */
	char open_ch[OWG_MAX_NESTING];
	unsigned depth;
	bool stop;                       /* a fatal problem: the scanner returns end of file */
	owg_symtab idents;               /* interned identifiers: one copy of each name */
	ast_file *result;
} owg_pctx;

static inline owg_loc owg_span_loc(const owg_pctx *c, owg_span s)
{
	return (owg_loc){c->file, s.begin, s.end};
}

#endif
