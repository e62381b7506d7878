/* sema_internal.h - scopes, symbols and blocks shared by sema.c (structure
 * and instantiation) and sema_eval.c (values, distributions, predicates). */
#ifndef OWG_SEMA_INTERNAL_H
#define OWG_SEMA_INTERNAL_H

#include "sema.h"
#include "symtab.h"

typedef enum sym_kind {
	SYM_CONST,
	SYM_PARAM,
	SYM_TASK,
	SYM_INST,
	SYM_LABEL,
	SYM_WORKFLOW,
	SYM_FABRIC,
} sym_kind;

typedef struct value {
	owg_dim dim;
	double num;
	bool b;
	const char *str;
	bool ok; /* false after an error: callers stay quiet */
} value;

typedef struct block block;
typedef struct scope scope;
typedef struct cbrec cbrec;

typedef struct sym {
	sym_kind kind;
	const char *name;
	owg_loc loc;
	scope *sc;               /* where it was declared */
	const ast_expr *expr;    /* const/param value */
	const ast_expr *arg;     /* param: the argument that overrides it */
	scope *arg_scope;        /* ... evaluated there */
	enum { EVAL_NOT, EVAL_BUSY, EVAL_DONE } state;
	value val;
	bool used;
	bool *param_used;        /* param: shared by all instances */
	const ast_stmt *stmt;    /* task, use, labelled control statement */
	const ast_item *item;    /* workflow, fabric, file-level const */
	block *home;             /* task, instance: the block it runs in */
	bool tentative;          /* placed by a top-level declaration only */
	owg_loc placed_at;       /* the mention that placed it */
	size_t member;           /* index in home's members */
	uint32_t node;           /* task: IR node id */
	scope *inst;             /* instance: its scope */
	block *body;             /* instance: the block its top level runs in */
	bool *out_used;          /* task: per output, shared by all instances of the task */
} sym;

enum member_kind { M_TASK, M_CB, M_INST };

typedef struct member {
	enum member_kind kind;
	sym *s;    /* M_TASK, M_INST */
	cbrec *cb; /* M_CB */
	bool dead; /* moved elsewhere */
} member;

struct block {
	block *parent;
	bool top;      /* the top level of its workflow instance (or an exit's continuation of it):
	                * a declaration there places a task only until its first use */
	OWG_VEC(member) members;
};

struct cbrec {
	const ast_stmt *stmt;
	scope *sc;
	owg_cb_kind kind;
	const char *name;
	block **arms;
	uint32_t narms;
	uint32_t node;
};

struct scope {
	owg_symtab names;
	scope *parent;          /* the global scope for workflows; NULL for it */
	const char *prefix;     /* "" or "inst." (qualifies node names) */
	const ast_item *wf;     /* workflow instantiated, NULL for the global scope */
	unsigned counters[6];   /* for automatic CB names, per kind */
	OWG_VEC(sym *) order;   /* symbols in declaration order */
	OWG_VEC(cbrec *) cbs;
	OWG_VEC(const ast_stmt *) flows;
	unsigned depth;         /* instantiation depth */
	scope *caller;          /* the instance's user, for cycles */
};

typedef struct sema {
	owg_diag *diag;
	owg_arena *arena;   /* the graph's arena: everything here dies with it */
	owg_graph *g;
	scope *globals;
	OWG_VEC(scope *) scopes;
	OWG_VEC(block *) blocks;
	const owg_sema_opts *opts;
	OWG_VEC(owg_loc) flow_locs; /* per IR flow, for messages */
	owg_u64map usage;           /* AST statement -> use flags shared by its instances */
} sema;

/* sema.c */
sym *sema_lookup(scope *sc, const char *name);
void sema_unknown(sema *S, scope *sc, const ast_name *n, const char *what);

/* sema_eval.c */
value sema_eval(sema *S, scope *sc, const ast_expr *e);
/* Evaluates a constant, parameter; reports cycles. */
value sema_sym_value(sema *S, sym *s, owg_loc use);
/* want: OWG_DIM_TIME for execution times, OWG_DIM_NONE for counts. */
bool sema_dist(sema *S, scope *sc, const ast_expr *e, owg_dim want, const char *what, owg_dist *out);
/* Lowers a predicate; want_bool selects a condition or a numeric selector. */
owg_expr *sema_pred(sema *S, scope *sc, const ast_expr *e, bool want_bool);
/* Resolves a path to a task output: sets *task and *out; false with an error otherwise. */
bool sema_output(sema *S, scope *sc, const ast_expr *path, sym **task, uint32_t *out);
/* The task a path names (a, inst.a, inst.sub.a), or NULL with an error. */
sym *sema_task(sema *S, scope *sc, const ast_expr *path, const char *role);
double sema_prob(sema *S, scope *sc, const ast_expr *e);

#endif
