/* owg.y - grammar of the owg workflow language (owg(5)).
 *
 * A pure parser with byte-span locations; it builds the syntax tree in
 * the compilation's arena and reports errors through the diagnostics
 * engine, recovering at ';' and '}' so that all errors of a file are seen. */
%code top {
#include "config.h"
}

%code requires {
#include "ast.h"
#include "parse_ctx.h"

/* Locations are byte spans: a rule spans its first to its last symbol. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
	do {                                                          \
		if (N) {                                              \
			(Cur).begin = YYRHSLOC(Rhs, 1).begin;         \
			(Cur).end = YYRHSLOC(Rhs, N).end;             \
		} else {                                              \
			(Cur).begin = (Cur).end = YYRHSLOC(Rhs, 0).end; \
		}                                                     \
	} while (0)

typedef struct owg_list {
	void *head, *tail;
	uint32_t n;
} owg_list;
}

%code provides {
int owgyylex(OWGYYSTYPE *lval, OWGYYLTYPE *lloc, void *scanner);
}

%code {
#include <math.h>
#include <stdio.h>
#include <string.h>

/* flex's bison bridge speaks of YYSTYPE and YYLTYPE */
#ifndef YYSTYPE
#define YYSTYPE OWGYYSTYPE
#endif
#ifndef YYLTYPE
#define YYLTYPE OWGYYLTYPE
#endif
#include "owg.lex.h"

#define A (pc->arena)
#define L(span) owg_span_loc(pc, (span))

static void owgyyerror(OWGYYLTYPE *loc, void *scanner, owg_pctx *pc, const char *msg);
static ast_expr *binary(owg_pctx *pc, ast_op op, ast_expr *l, ast_expr *r, owg_span at);
static ast_expr *unary(owg_pctx *pc, ast_op op, ast_expr *e, owg_span at);
static owg_span join(owg_span a, owg_span b) { return (owg_span){a.begin, b.end}; }
static void note_use(owg_pctx *pc, const ast_stmt *st);

/* Appends x (a struct with a `next` field) to a list. */
#define APPEND(list, x, T)                                   \
	do {                                                 \
		T *x_ = (x);                                 \
		if (x_) {                                    \
			if ((list).tail)                     \
				((T *)(list).tail)->next = x_; \
			else                                 \
				(list).head = x_;            \
			(list).tail = x_;                    \
			(list).n++;                          \
		}                                            \
	} while (0)
}

%define api.pure full
%define api.prefix {owgyy}
%define api.location.type {owg_span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%lex-param {void *scanner}
%parse-param {void *scanner} {owg_pctx *pc}

%union {
	struct { double value; owg_dim dim; owg_loc loc; } num;
	uint32_t grid[2];
	const char *str;
	ast_name name;
	ast_expr *expr;
	ast_stmt *stmt;
	ast_item *item;
	ast_case *kase;
	ast_prop *prop;
	ast_out *out;
	ast_arg *arg;
	ast_fabprop *fabprop;
	owg_list list;
}

%token WORKFLOW "workflow" TASK "task" IMPORT "import" CONST "const" PARAM "param"
%token FABRIC "fabric" USE "use" AS "as" IF "if" ELSE "else" SWITCH "switch"
%token CASE "case" DEFAULT "default" LOOP "loop" WHILE "while" MAX "max"
%token FOREACH "foreach" IN "in" EXIT "exit" P "p" OUT "out" TRUE "true" FALSE "false"
%token ARROW "->" PM "+-" EQ "==" NE "!=" LE "<=" GE ">=" AND "&&" OR "||"
%token <num> NUMBER "number"
%token <grid> GRID "grid"
%token <str> STRING "string"
%token <name> IDENT "identifier"

%type <item> item workflow fabric
%type <list> items stmts endpoints props outs args fabprops fabargs cases exprlist
%type <stmt> stmt control control_body task flow if_stmt
%type <stmt> block else_part
%type <expr> expr primary path opt_prob opt_size opt_max fabarg
%type <name> name
%type <prop> prop
%type <out> out
%type <arg> arg
%type <fabprop> fabprop
%type <kase> case

%left OR
%left AND
%nonassoc EQ NE
%nonassoc '<' '>' LE GE
%left PM
%left '+' '-'
%left '*' '/' '%'
%precedence '!' UMINUS

%%

file:
  items { pc->result->items = $1.head; }
;

items:
  %empty { $$ = (owg_list){0}; }
| items item { $$ = $1; APPEND($$, $2, ast_item); }
;

item:
  "import" STRING ';' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->kind = AST_ITEM_IMPORT;
	$$->loc = L(join(@1, @3));
	$$->name = (ast_name){$2, L(@2)};
  }
| "const" name '=' expr ';' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->kind = AST_ITEM_CONST;
	$$->loc = L(@2);
	$$->name = $2;
	$$->value = $4;
  }
| workflow
| fabric
| error ';' { $$ = NULL; yyerrok; }
| error '}' { $$ = NULL; yyerrok; }
;

workflow:
  "workflow" name '{' stmts '}' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->kind = AST_ITEM_WORKFLOW;
	$$->loc = L(@2);
	$$->name = $2;
	$$->body = $4.head;
  }
;

fabric:
  "fabric" name '{' fabprops '}' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->kind = AST_ITEM_FABRIC;
	$$->loc = L(@2);
	$$->name = $2;
	$$->fab = $4.head;
  }
;

fabprops:
  %empty { $$ = (owg_list){0}; }
| fabprops fabprop { $$ = $1; APPEND($$, $2, ast_fabprop); }
| fabprops error ';' { $$ = $1; yyerrok; }
;

fabprop:
  name fabargs ';' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->name = $1;
	$$->args = $2.head;
	$$->nargs = $2.n;
	$$->loc = L(join(@1, @2));
  }
;

fabargs:
  %empty { $$ = (owg_list){0}; }
| fabargs fabarg { $$ = $1; APPEND($$, $2, ast_expr); }
| fabargs ',' fabarg { $$ = $1; APPEND($$, $3, ast_expr); }
;

fabarg:
  NUMBER {
	$$ = ast_expr_new(A, AST_NUM, L(@1));
	$$->num = $1.value;
	$$->dim = $1.dim;
  }
| '-' NUMBER {
	$$ = ast_expr_new(A, AST_NUM, L(join(@1, @2)));
	$$->num = -$2.value;
	$$->dim = $2.dim;
  }
| STRING {
	$$ = ast_expr_new(A, AST_STR, L(@1));
	$$->str = $1;
	$$->dim = OWG_DIM_STRING;
  }
| name {
	$$ = ast_expr_new(A, AST_PATH, $1.loc);
	$$->parts = owg_arena_alloc(A, sizeof(ast_name));
	$$->parts[0] = $1;
	$$->nparts = 1;
  }
| GRID {
	$$ = ast_expr_new(A, AST_CALL, L(@1));
	$$->callee = "x";
	ast_expr *w = ast_expr_new(A, AST_NUM, L(@1));
	ast_expr *h = ast_expr_new(A, AST_NUM, L(@1));
	w->num = $1[0];
	h->num = $1[1];
	w->next = h;
	$$->args = w;
	$$->nargs = 2;
  }
;

name:
  IDENT
;

stmts:
  %empty { $$ = (owg_list){0}; }
| stmts stmt { $$ = $1; APPEND($$, $2, ast_stmt); }
| stmts error ';' { $$ = $1; yyerrok; }
| stmts error block { $$ = $1; yyerrok; }
;

block:
  '{' stmts '}' {
	$$ = $2.head;
	/* remember the closing brace on an empty statement-list head */
	(void)@3;
  }
;

stmt:
  task
| flow
| "param" name '=' expr ';' {
	$$ = ast_stmt_new(A, AST_PARAM, L(@2));
	$$->name = $2;
	$$->value = $4;
  }
| "const" name '=' expr ';' {
	$$ = ast_stmt_new(A, AST_CONST, L(@2));
	$$->name = $2;
	$$->value = $4;
  }
| "use" name '(' args ')' "as" name ';' {
	$$ = ast_stmt_new(A, AST_USE, L(join(@1, @7)));
	$$->kindname = $2;
	$$->args = $4.head;
	$$->name = $7;
	note_use(pc, $$);
  }
| "use" name "as" name ';' {
	$$ = ast_stmt_new(A, AST_USE, L(join(@1, @4)));
	$$->kindname = $2;
	$$->name = $4;
	note_use(pc, $$);
  }
| control
| name ':' control { $$ = $3; $$->label = $1; }
;

task:
  "task" name ':' name '{' props outs '}' {
	$$ = ast_stmt_new(A, AST_TASK, L(@2));
	$$->name = $2;
	$$->kindname = $4;
	$$->props = $6.head;
	$$->outs = $7.head;
  }
;

props:
  %empty { $$ = (owg_list){0}; }
| props prop { $$ = $1; APPEND($$, $2, ast_prop); }
| props error ';' { $$ = $1; yyerrok; }
;

prop:
  name expr ';' {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->name = $1;
	$$->value = $2;
  }
;

outs:
  %empty { $$ = (owg_list){0}; }
| outs "out" out ';' {
	$$ = $1;
	APPEND($$, $3, ast_out);
	while (((ast_out *)$$.tail)->next) /* the list after `out` may hold several */
		$$.tail = ((ast_out *)$$.tail)->next;
  }
;

out:
  name ':' name {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->name = $1;
	$$->type = $3;
  }
| out ',' name ':' name {
	ast_out *o = owg_arena_alloc(A, sizeof *o);
	o->name = $3;
	o->type = $5;
	ast_out *t = $1;
	while (t->next)
		t = t->next;
	t->next = o;
	$$ = $1;
  }
;

flow:
  path ';' {
	$$ = ast_stmt_new(A, AST_MENTION, L(@1));
	$$->endpoints = $1;
	$$->nendpoints = 1;
  }
| endpoints opt_size ';' {
	$$ = ast_stmt_new(A, AST_FLOW, L(@1));
	$$->endpoints = $1.head;
	$$->nendpoints = $1.n;
	$$->value = $2;
  }
;

endpoints:
  path "->" path {
	$$ = (owg_list){0};
	APPEND($$, $1, ast_expr);
	APPEND($$, $3, ast_expr);
  }
| endpoints "->" path { $$ = $1; APPEND($$, $3, ast_expr); }
;

opt_size:
  %empty { $$ = NULL; }
| ':' expr { $$ = $2; }
;

args:
  %empty { $$ = (owg_list){0}; }
| arg { $$ = (owg_list){0}; APPEND($$, $1, ast_arg); }
| args ',' arg { $$ = $1; APPEND($$, $3, ast_arg); }
;

arg:
  name '=' expr {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->name = $1;
	$$->value = $3;
  }
;

control:
  if_stmt
| "switch" '(' expr ')' '{' cases '}' {
	$$ = ast_stmt_new(A, AST_SWITCH, L(@1));
	$$->cond = $3;
	$$->cases = $6.head;
  }
| "switch" '{' cases '}' {
	$$ = ast_stmt_new(A, AST_SWITCH, L(@1));
	$$->cases = $3.head;
  }
| "loop" "while" '(' expr ')' opt_prob opt_max control_body {
	$$ = $8;
	$$->kind = AST_LOOP;
	$$->loc = L(join(@1, @5));
	$$->is_while = true;
	$$->cond = $4;
	$$->prob = $6;
	$$->max = $7;
  }
| "loop" expr control_body {
	$$ = $3;
	$$->kind = AST_LOOP;
	$$->loc = L(join(@1, @2));
	$$->cond = $2;
  }
| "foreach" name "in" expr control_body {
	$$ = $5;
	$$->kind = AST_FOREACH;
	$$->loc = L(join(@1, @4));
	$$->cond = $4;
  }
| "foreach" name "in" expr '~' expr control_body {
	$$ = $7;
	$$->kind = AST_FOREACH;
	$$->loc = L(join(@1, @6));
	$$->cond = $4;
	$$->count = $6;
  }
| "exit" ';' {
	$$ = ast_stmt_new(A, AST_EXIT, L(@1));
  }
| "exit" "if" '(' expr ')' opt_prob ';' {
	$$ = ast_stmt_new(A, AST_EXIT, L(join(@1, @5)));
	$$->cond = $4;
	$$->prob = $6;
  }
| "exit" "if" "p" expr ';' {
	$$ = ast_stmt_new(A, AST_EXIT, L(join(@1, @4)));
	$$->prob = $4;
  }
;

/* The body of a loop or foreach; the caller fills in the rest. */
control_body:
  '{' stmts '}' {
	$$ = ast_stmt_new(A, AST_LOOP, L(@1));
	$$->body = $2.head;
  }
;

if_stmt:
  "if" '(' expr ')' opt_prob block else_part {
	$$ = ast_stmt_new(A, AST_IF, L(join(@1, @4)));
	$$->cond = $3;
	$$->prob = $5;
	$$->body = $6;
	$$->orelse = $7;
  }
| "if" "p" expr block else_part {
	$$ = ast_stmt_new(A, AST_IF, L(join(@1, @3)));
	$$->prob = $3;
	$$->body = $4;
	$$->orelse = $5;
  }
;

else_part:
  %empty { $$ = NULL; }
| "else" block { $$ = $2; }
| "else" if_stmt { $$ = $2; }
;

opt_prob:
  %empty { $$ = NULL; }
| "p" expr { $$ = $2; }
;

opt_max:
  %empty { $$ = NULL; }
| "max" expr { $$ = $2; }
;

cases:
  %empty { $$ = (owg_list){0}; }
| cases case { $$ = $1; APPEND($$, $2, ast_case); }
;

case:
  "case" expr opt_prob block {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->loc = L(join(@1, @2));
	$$->value = $2;
	$$->prob = $3;
	$$->body = $4;
  }
| "case" "p" expr block {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->loc = L(join(@1, @3));
	$$->prob = $3;
	$$->body = $4;
  }
| "default" opt_prob block {
	$$ = owg_arena_alloc(A, sizeof *$$);
	$$->loc = L(@1);
	$$->is_default = true;
	$$->prob = $2;
	$$->body = $3;
  }
;

expr:
  primary
| expr "||" expr { $$ = binary(pc, AST_OP_OR, $1, $3, @2); }
| expr "&&" expr { $$ = binary(pc, AST_OP_AND, $1, $3, @2); }
| expr "==" expr { $$ = binary(pc, AST_OP_EQ, $1, $3, @2); }
| expr "!=" expr { $$ = binary(pc, AST_OP_NE, $1, $3, @2); }
| expr '<' expr { $$ = binary(pc, AST_OP_LT, $1, $3, @2); }
| expr '>' expr { $$ = binary(pc, AST_OP_GT, $1, $3, @2); }
| expr "<=" expr { $$ = binary(pc, AST_OP_LE, $1, $3, @2); }
| expr ">=" expr { $$ = binary(pc, AST_OP_GE, $1, $3, @2); }
| expr '+' expr { $$ = binary(pc, AST_OP_ADD, $1, $3, @2); }
| expr '-' expr { $$ = binary(pc, AST_OP_SUB, $1, $3, @2); }
| expr '*' expr { $$ = binary(pc, AST_OP_MUL, $1, $3, @2); }
| expr '/' expr { $$ = binary(pc, AST_OP_DIV, $1, $3, @2); }
| expr '%' expr { $$ = binary(pc, AST_OP_MOD, $1, $3, @2); }
| expr "+-" expr {
	$$ = binary(pc, AST_OP_ADD, $1, $3, @2);
	if ($$)
		$$->kind = AST_PM;
  }
| '!' expr { $$ = unary(pc, AST_OP_NOT, $2, @1); }
| '-' expr %prec UMINUS { $$ = unary(pc, AST_OP_NEG, $2, @1); }
;

primary:
  NUMBER {
	$$ = ast_expr_new(A, AST_NUM, L(@1));
	$$->num = $1.value;
	$$->dim = $1.dim;
  }
| STRING {
	$$ = ast_expr_new(A, AST_STR, L(@1));
	$$->str = $1;
	$$->dim = OWG_DIM_STRING;
  }
| "true" { $$ = ast_expr_new(A, AST_BOOL, L(@1)); $$->b = true; $$->dim = OWG_DIM_BOOL; }
| "false" { $$ = ast_expr_new(A, AST_BOOL, L(@1)); $$->b = false; $$->dim = OWG_DIM_BOOL; }
| path
| name '(' exprlist ')' {
	$$ = ast_expr_new(A, AST_CALL, L(join(@1, @4)));
	$$->callee = $1.s;
	$$->args = $3.head;
	$$->nargs = $3.n;
  }
| '(' expr ')' { $$ = $2; }
;

exprlist:
  %empty { $$ = (owg_list){0}; }
| expr { $$ = (owg_list){0}; APPEND($$, $1, ast_expr); }
| exprlist ',' expr { $$ = $1; APPEND($$, $3, ast_expr); }
;

path:
  name {
	$$ = ast_expr_new(A, AST_PATH, $1.loc);
	$$->parts = owg_arena_alloc(A, sizeof(ast_name));
	$$->parts[0] = $1;
	$$->nparts = 1;
  }
| path '.' name {
	$$ = $1;
	ast_name *p = owg_arena_alloc(A, ($$->nparts + 1) * sizeof *p);
	memcpy(p, $$->parts, $$->nparts * sizeof *p);
	p[$$->nparts++] = $3;
	$$->parts = p;
	$$->loc.end = $3.loc.end;
  }
;

%%

static ast_expr *binary(owg_pctx *pc, ast_op op, ast_expr *l, ast_expr *r, owg_span at)
{
	ast_expr *e = ast_expr_new(A, AST_BINARY, L(at));
	e->op = op;
	e->l = l;
	e->r = r;
	uint32_t dl = l ? l->depth : 0, dr = r ? r->depth : 0;
	e->depth = (dl > dr ? dl : dr) + 1;
	if (l && r)
		e->loc = (owg_loc){pc->file, l->loc.begin, r->loc.end};
	if (e->depth > OWG_MAX_EXPR_DEPTH && !pc->stop) {
		owg_diag_error(pc->diag, L(at), "expression too long: more than %d operators in a chain",
			       OWG_MAX_EXPR_DEPTH);
		pc->stop = true;
	}
	return e;
}

static void note_use(owg_pctx *pc, const ast_stmt *st)
{
	ast_use_ref *u = owg_arena_alloc(pc->arena, sizeof *u);
	u->stmt = st;
	u->next = pc->result->uses;
	pc->result->uses = u;
}

static ast_expr *unary(owg_pctx *pc, ast_op op, ast_expr *x, owg_span at)
{
	ast_expr *e = ast_expr_new(A, AST_UNARY, L(at));
	e->op = op;
	e->l = x;
	e->depth = (x ? x->depth : 0) + 1;
	if (x)
		e->loc.end = x->loc.end;
	if (e->depth > OWG_MAX_EXPR_DEPTH && !pc->stop) {
		owg_diag_error(pc->diag, L(at), "expression too long: more than %d operators in a chain",
			       OWG_MAX_EXPR_DEPTH);
		pc->stop = true;
	}
	return e;
}

static void owgyyerror(OWGYYLTYPE *loc, void *scanner, owg_pctx *pc, const char *msg)
{
	(void)scanner;
	if (pc->stop)
		return;
	if (!strcmp(msg, "memory exhausted"))
		msg = "input nested too deeply";
	owg_diag_error(pc->diag, L(*loc), "%s", msg);
}

/* Token names as a user reads them: keywords and punctuation quoted,
 * token classes (identifier, number) bare. */
static const char *spell(yysymbol_kind_t sym, char *buf, size_t n)
{
	if (sym == YYSYMBOL_YYEOF)
		return "end of file";
	const char *s = yysymbol_name(sym);
	if (s[0] == '\'')
		return s; /* a character literal, already quoted */
	size_t len = strlen(s);
	if (len >= 2 && s[0] == '"') {
		s++;
		len -= 2;
	}
	static const char *const classes[] = {"number", "grid", "string", "identifier"};
	for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
		if (strlen(classes[i]) == len && !strncmp(s, classes[i], len))
			return classes[i];
	snprintf(buf, n, "'%.*s'", (int)len, s);
	return buf;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, owg_pctx *pc)
{
	(void)scanner;
	if (pc->stop)
		return 0;
	enum { MAXEXP = 64, LISTED = 4 };
	yysymbol_kind_t exp[MAXEXP];
	int nexp = yypcontext_expected_tokens(ctx, exp, MAXEXP);
	yysymbol_kind_t got = yypcontext_token(ctx);
	owg_loc at = L(*yypcontext_location(ctx));
	char msg[512], gbuf[64], ebuf[64];
	size_t len = 0;
	const char *gs = spell(got, gbuf, sizeof gbuf);
	if (nexp > LISTED) {
		/* too many to list: name the closer that most likely went missing */
		const yysymbol_kind_t closers[] = {YYTRANSLATE(';'), YYTRANSLATE(')'), YYTRANSLATE('}')};
		int k = -1;
		for (size_t c = 0; c < sizeof closers / sizeof *closers && k < 0; c++)
			for (int i = 0; i < nexp; i++)
				if (exp[i] == closers[c])
					k = i;
		if (k >= 0) {
			exp[0] = exp[k];
			nexp = 1;
		}
	}
	if (nexp <= 0 || nexp > LISTED) {
		len = (size_t)snprintf(msg, sizeof msg, "unexpected %s", gs);
	} else {
		len = (size_t)snprintf(msg, sizeof msg, "expected ");
		for (int i = 0; i < nexp && len < sizeof msg; i++) {
			const char *sep = i == 0 ? "" : i == nexp - 1 ? " or " : ", ";
			len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s", sep,
						spell(exp[i], ebuf, sizeof ebuf));
		}
		if (len < sizeof msg)
			snprintf(msg + len, sizeof msg - len, got == YYSYMBOL_YYEOF ? " at %s" : " before %s", gs);
	}
	owg_diag_error(pc->diag, at, "%s", msg);
	if (got == YYSYMBOL_YYEOF && pc->depth > 0) {
		unsigned d = pc->depth - 1;
		owg_diag_note(pc->diag, (owg_loc){pc->file, pc->open[d], pc->open[d] + 1},
			      "to match this '%c'", pc->open_ch[d]);
	}
	return 0;
}

ast_file *owg_parse(owg_arena *arena, owg_diag *diag, owg_srcmgr *sm, uint32_t file)
{
	owg_pctx *pc = owg_xcalloc(1, sizeof *pc);
	pc->arena = arena;
	pc->diag = diag;
	pc->sm = sm;
	pc->file = file;
	pc->result = owg_arena_alloc(arena, sizeof *pc->result);
	pc->result->file = file;
	const owg_source *src = owg_src_get(sm, file);
	yyscan_t scanner;
	if (owgyylex_init_extra(pc, &scanner)) {
		owg_diag_fatal(diag, "cannot start the scanner");
		free(pc);
		return NULL;
	}
	YY_BUFFER_STATE buf = owgyy_scan_bytes(src->text, (int)src->len, scanner);
	owgyyparse(scanner, pc);
	owgyy_delete_buffer(buf, scanner);
	owgyylex_destroy(scanner);
	ast_file *result = pc->result;
	owg_symtab_free(&pc->idents);
	free(pc);
	return result;
}
