/* ast.h - the syntax tree of an owg source file, as the parser builds it.
 *
 * The tree is close to the text: names are unresolved paths, quantities
 * keep their unit's dimension, properties are (name, expression) pairs.
 * Meaning is given by sema.c.  Everything lives in the compilation's arena;
 * lists are singly linked through `next`. */
#ifndef OWG_AST_H
#define OWG_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

/* Physical dimension of a value; sizes in bytes, times in seconds. */
typedef enum owg_dim {
	OWG_DIM_NONE,
	OWG_DIM_TIME,
	OWG_DIM_SIZE,
	OWG_DIM_RATE, /* bytes per second */
	OWG_DIM_BOOL,
	OWG_DIM_STRING,
} owg_dim;

typedef enum ast_expr_kind {
	AST_NUM,    /* number with a dimension (a quantity when dim != NONE) */
	AST_BOOL,
	AST_STR,
	AST_PATH,   /* a.b.c */
	AST_CALL,   /* name(args) : distributions */
	AST_UNARY,  /* op: '!' or '-' */
	AST_BINARY, /* op: token code, see ast_op */
	AST_PM,     /* mean +- sd */
} ast_expr_kind;

typedef enum ast_op {
	AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
	AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE, AST_OP_EQ, AST_OP_NE,
	AST_OP_AND, AST_OP_OR, AST_OP_NOT, AST_OP_NEG,
} ast_op;

typedef struct ast_name {
	const char *s;
	owg_loc loc;
} ast_name;

typedef struct ast_expr ast_expr;
struct ast_expr {
	uint8_t kind;  /* ast_expr_kind */
	uint8_t op;    /* ast_op: AST_UNARY, AST_BINARY, AST_PM */
	uint8_t dim;   /* owg_dim: AST_NUM */
	bool b;        /* AST_BOOL */
	uint32_t depth; /* nesting depth, bounded by the parser */
	owg_loc loc;
	union {
		uint32_t nparts; /* AST_PATH */
		uint32_t nargs;  /* AST_CALL */
	};
	ast_expr *next; /* in argument and endpoint lists */
	/* the fields of one kind; a syntax tree holds millions of these */
	union {
		double num;      /* AST_NUM */
		const char *str; /* AST_STR */
		ast_name *parts; /* AST_PATH */
		struct {         /* AST_CALL; the callee's name starts the call's loc */
			const char *callee;
			ast_expr *args;
		};
		struct {         /* AST_UNARY (l only), AST_BINARY, AST_PM */
			ast_expr *l, *r;
		};
	};
};

typedef struct ast_prop {
	ast_name name; /* peas, time, kernel, config */
	ast_expr *value;
	struct ast_prop *next;
} ast_prop;

typedef struct ast_out {
	ast_name name;
	ast_name type;
	struct ast_out *next;
} ast_out;

typedef struct ast_arg {
	ast_name name;
	ast_expr *value;
	struct ast_arg *next;
} ast_arg;

typedef enum ast_stmt_kind {
	AST_TASK,
	AST_FLOW,    /* endpoints: paths chained with -> */
	AST_MENTION, /* a bare task or instance name: places it here */
	AST_PARAM,
	AST_CONST,
	AST_USE,
	AST_IF,
	AST_SWITCH,
	AST_LOOP,
	AST_FOREACH,
	AST_EXIT,
} ast_stmt_kind;

typedef struct ast_stmt ast_stmt;

typedef struct ast_case {
	owg_loc loc;
	bool is_default;
	ast_expr *value; /* NULL for default, or for a probability-only case */
	ast_expr *prob;  /* NULL when not declared */
	ast_stmt *body;
	struct ast_case *next;
} ast_case;

struct ast_stmt {
	ast_stmt_kind kind;
	owg_loc loc;      /* the statement's head (keyword to '{') */
	ast_stmt *next;
	union {
		struct { /* task, flow, mention, param, const, use */
			ast_name name;     /* task, param, const, use (the instance name) */
			ast_name kindname; /* task kind (ai, general); use: the workflow instantiated */
			union {
				ast_prop *props;     /* task */
				ast_arg *args;       /* use */
				ast_expr *endpoints; /* flow (paths linked through next), mention (one path) */
			};
			ast_out *outs;     /* task */
			ast_expr *value;   /* param/const value; flow size (may be NULL) */
			uint32_t nendpoints;
		};
		struct { /* if, switch, loop, foreach, exit */
			ast_name label;   /* optional `label:`, s == NULL if none */
			ast_expr *cond;   /* if/loop-while/exit predicate, switch selector, foreach source, loop trips */
			ast_expr *prob;   /* declared probability (if, loop-while repeat, exit), NULL if none */
			ast_expr *max;    /* loop-while bound */
			ast_expr *count;  /* foreach count model (after ~) */
			ast_stmt *body;   /* if-then, loop, foreach body (statement list) */
			ast_stmt *orelse; /* if-else (statement list) */
			ast_case *cases;  /* switch */
			bool is_while;    /* loop */
		};
	};
};

typedef enum ast_item_kind {
	AST_ITEM_IMPORT,
	AST_ITEM_CONST,
	AST_ITEM_WORKFLOW,
	AST_ITEM_FABRIC,
} ast_item_kind;

typedef struct ast_fabprop {
	ast_name name;
	ast_expr *args; /* primaries; grids are AST_CALL named "x" with 2 args */
	uint32_t nargs;
	owg_loc loc;
	struct ast_fabprop *next;
} ast_fabprop;

typedef struct ast_item {
	ast_item_kind kind;
	owg_loc loc;
	ast_name name;       /* workflow, fabric, const; import: the path string */
	ast_expr *value;     /* const */
	ast_stmt *body;      /* workflow */
	ast_fabprop *fab;    /* fabric */
	struct ast_item *next;
} ast_item;

/* The 'use' statements of a file, in a list of their own so that finding
 * the main workflow (the one nobody uses) needs no walk of the AST. */
typedef struct ast_use_ref {
	const struct ast_stmt *stmt;
	struct ast_use_ref *next;
} ast_use_ref;

typedef struct ast_file {
	uint32_t file; /* source index */
	ast_item *items;
	ast_use_ref *uses;
} ast_file;

/* Constructors used by the parser (ast.c). */
ast_expr *ast_expr_new(owg_arena *a, ast_expr_kind kind, owg_loc loc);
ast_stmt *ast_stmt_new(owg_arena *a, ast_stmt_kind kind, owg_loc loc);
const char *owg_dim_name(owg_dim d);
const char *ast_op_spelling(ast_op op);

#endif
