/* parse.h - the owg parser's interface (grammar/owg.y implements it). */
#ifndef OWG_PARSE_H
#define OWG_PARSE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

/* Nesting limits that keep every later recursion bounded. */
#define OWG_MAX_NESTING 200    /* open '{' or '(' at once */
#define OWG_MAX_EXPR_DEPTH 1000 /* operators in one expression chain */

/* Parses one source file.  Errors go to diag; the tree built so far is
 * returned even with errors (NULL only if nothing could be parsed). */
ast_file *owg_parse(owg_arena *arena, owg_diag *diag, owg_srcmgr *sm, uint32_t file);

#endif
