#include "config.h"

#include "ast.h"

ast_expr *ast_expr_new(owg_arena *a, ast_expr_kind kind, owg_loc loc)
{
	ast_expr *e = owg_arena_alloc(a, sizeof *e);
	e->kind = kind;
	e->loc = loc;
	return e;
}

ast_stmt *ast_stmt_new(owg_arena *a, ast_stmt_kind kind, owg_loc loc)
{
	ast_stmt *s = owg_arena_alloc(a, sizeof *s);
	s->kind = kind;
	s->loc = loc;
	return s;
}

const char *owg_dim_name(owg_dim d)
{
	switch (d) {
	case OWG_DIM_NONE: return "a number";
	case OWG_DIM_TIME: return "a time";
	case OWG_DIM_SIZE: return "a size";
	case OWG_DIM_RATE: return "a bandwidth";
	case OWG_DIM_BOOL: return "a truth value";
	case OWG_DIM_STRING: return "a string";
	}
	return "a value";
}

const char *ast_op_spelling(ast_op op)
{
	static const char *const s[] = {"+", "-", "*", "/", "%", "<", "<=", ">", ">=",
					"==", "!=", "&&", "||", "!", "-"};
	return s[op];
}
