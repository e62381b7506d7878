/* test_parser.c - the grammar: the tree of every statement form, syntax
 * errors with their exact text, and recovery (all errors of a file). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "unit.h"

static ast_file *file;
static char *diags;
static unsigned errors;
static owg_arena arena;
static owg_srcmgr sm;

static void parse(const char *src)
{
	size_t n = 0;
	FILE *out = open_memstream(&diags, &n);
	owg_src_init(&sm);
	owg_arena_init(&arena);
	owg_diag *d = owg_diag_new(&sm, out);
	uint32_t id = owg_src_add(&sm, "t.owg", src, strlen(src));
	file = owg_parse(&arena, d, &sm, id);
	errors = owg_diag_errors(d);
	owg_diag_free(d);
	fclose(out);
}

static void teardown(void)
{
	free(diags);
	diags = NULL;
	owg_arena_free(&arena);
	owg_src_free(&sm);
}

static const ast_stmt *body(void)
{
	ck_assert_ptr_nonnull(file);
	ck_assert_ptr_nonnull(file->items);
	ck_assert_int_eq(file->items->kind, AST_ITEM_WORKFLOW);
	return file->items->body;
}

START_TEST(test_items)
{
	parse("import \"lib.owg\";\nconst k = 2;\nworkflow w { }\nfabric f { cluster 2x2; }\n");
	ck_assert_uint_eq(errors, 0);
	const ast_item *it = file->items;
	ck_assert_int_eq(it->kind, AST_ITEM_IMPORT);
	ck_assert_str_eq(it->name.s, "lib.owg");
	ck_assert_int_eq(it->next->kind, AST_ITEM_CONST);
	ck_assert_int_eq(it->next->next->kind, AST_ITEM_WORKFLOW);
	ck_assert_int_eq(it->next->next->next->kind, AST_ITEM_FABRIC);
	ck_assert_ptr_null(it->next->next->next->next);
}
END_TEST

START_TEST(test_task)
{
	parse("workflow w { task t : ai { peas 4; time normal(3ms, 1ms); kernel \"k\"; "
	      "out a: i64, b: f64; out c: bool; } }");
	ck_assert_uint_eq(errors, 0);
	const ast_stmt *t = body();
	ck_assert_int_eq(t->kind, AST_TASK);
	ck_assert_str_eq(t->name.s, "t");
	ck_assert_str_eq(t->kindname.s, "ai");
	ck_assert_str_eq(t->props->name.s, "peas");
	ck_assert_int_eq(t->props->next->value->kind, AST_CALL);
	ck_assert_uint_eq(t->props->next->value->nargs, 2);
	ck_assert_str_eq(t->outs->name.s, "a");
	ck_assert_str_eq(t->outs->next->type.s, "f64");
	ck_assert_str_eq(t->outs->next->next->name.s, "c");
}
END_TEST

START_TEST(test_flows_and_mentions)
{
	parse("workflow w { a -> b -> i.c : 2KiB; d; x -> y; }");
	ck_assert_uint_eq(errors, 0);
	const ast_stmt *s = body();
	ck_assert_int_eq(s->kind, AST_FLOW);
	ck_assert_uint_eq(s->nendpoints, 3);
	ck_assert_uint_eq(s->endpoints->next->next->nparts, 2);
	ck_assert_ptr_nonnull(s->value);
	ck_assert_int_eq(s->next->kind, AST_MENTION);
	ck_assert_ptr_null(s->next->next->value);
}
END_TEST

START_TEST(test_control)
{
	parse("workflow w {\n"
	      "  if (a.x > 1) p 0.2 { } else if p 0.5 { } else { }\n"
	      "  switch (a.k) { case 1 p 0.5 { } default { } }\n"
	      "  switch { case p 1 { } }\n"
	      "  l: loop while (a.ok) p 0.3 max 4 { }\n"
	      "  loop uniform(1, 3) { }\n"
	      "  foreach f in a.n ~ mean(2) { }\n"
	      "  foreach f in 3 { }\n"
	      "  exit if (a.x < 0) p 0.1;\n"
	      "  exit if p 0.2;\n"
	      "  exit;\n"
	      "}");
	ck_assert_uint_eq(errors, 0);
	const ast_stmt *s = body();
	ck_assert_int_eq(s->kind, AST_IF);
	ck_assert_ptr_nonnull(s->prob);
	ck_assert_int_eq(s->orelse->kind, AST_IF); /* else if */
	ck_assert_ptr_null(s->orelse->cond);
	s = s->next;
	ck_assert_int_eq(s->kind, AST_SWITCH);
	ck_assert(s->cases->next->is_default);
	s = s->next;
	ck_assert_ptr_null(s->cond);
	s = s->next;
	ck_assert_int_eq(s->kind, AST_LOOP);
	ck_assert(s->is_while);
	ck_assert_str_eq(s->label.s, "l");
	ck_assert_ptr_nonnull(s->max);
	s = s->next;
	ck_assert(!s->is_while);
	ck_assert_int_eq(s->cond->kind, AST_CALL);
	s = s->next;
	ck_assert_int_eq(s->kind, AST_FOREACH);
	ck_assert_ptr_nonnull(s->count);
	s = s->next;
	ck_assert_ptr_null(s->count);
	s = s->next;
	ck_assert_int_eq(s->kind, AST_EXIT);
	ck_assert_ptr_nonnull(s->cond);
	s = s->next;
	ck_assert_ptr_null(s->cond);
	ck_assert_ptr_nonnull(s->prob);
	ck_assert_ptr_null(s->next->prob);
}
END_TEST

START_TEST(test_precedence)
{
	parse("const x = 1 + 2 * 3 > 4 && !true || 5 - -1 == 2;");
	ck_assert_uint_eq(errors, 0);
	const ast_expr *e = file->items->value;
	ck_assert_int_eq(e->op, AST_OP_OR);
	ck_assert_int_eq(e->l->op, AST_OP_AND);
	ck_assert_int_eq(e->l->l->op, AST_OP_GT);
	ck_assert_int_eq(e->l->l->l->op, AST_OP_ADD);
	ck_assert_int_eq(e->l->l->l->r->op, AST_OP_MUL);
	ck_assert_int_eq(e->r->op, AST_OP_EQ);
	teardown();
	parse("const t = 1ms +- 2us * 2;");
	ck_assert_int_eq(file->items->value->kind, AST_PM);
	ck_assert_int_eq(file->items->value->r->op, AST_OP_MUL);
}
END_TEST

START_TEST(test_use)
{
	parse("workflow w { use s(n = 2, t = 1ms) as i; use s as j; }");
	ck_assert_uint_eq(errors, 0);
	const ast_stmt *s = body();
	ck_assert_int_eq(s->kind, AST_USE);
	ck_assert_str_eq(s->kindname.s, "s");
	ck_assert_str_eq(s->name.s, "i");
	ck_assert_str_eq(s->args->next->name.s, "t");
	ck_assert_ptr_null(s->next->args);
}
END_TEST

START_TEST(test_missing_semicolon)
{
	parse("workflow w {\n  task a : ai { time 1ms }\n}\n");
	ck_assert_uint_eq(errors, 1);
	ck_assert_str_eq(diags, "t.owg:2:26: error: expected ';' before '}'\n"
				"    2 |   task a : ai { time 1ms }\n"
				"      |                          ^\n");
}
END_TEST

START_TEST(test_end_of_file)
{
	parse("workflow w {\n  a -> b;\n");
	ck_assert_uint_eq(errors, 1);
	ck_assert_str_eq(diags, "t.owg:3:1: error: expected '}' at end of file\n"
				"    3 | \n"
				"      | ^\n"
				"t.owg:1:12: note: to match this '{'\n"
				"    1 | workflow w {\n"
				"      |            ^\n");
}
END_TEST

START_TEST(test_recovery_reports_all)
{
	parse("workflow w {\n"
	      "  a -> ;\n"
	      "  task b : ai { time 1ms; }\n"
	      "  if (b.x > 1 { }\n"
	      "  c -> d : 1KiB;\n"
	      "  loop { }\n"
	      "}\n");
	ck_assert_uint_eq(errors, 3);
	ck_assert_ptr_nonnull(strstr(diags, "t.owg:2:8: error: expected identifier before ';'"));
	ck_assert_ptr_nonnull(strstr(diags, "t.owg:4:15: error: expected ')' before '{'"));
	ck_assert_ptr_nonnull(strstr(diags, "t.owg:6:8: error:"));
}
END_TEST

START_TEST(test_expression_chain_limit)
{
	size_t n = 5000;
	char *src = malloc(2 * n + 64), *p = src + sprintf(src, "const x = 1");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "+1");
	strcpy(p, ";");
	parse(src);
	ck_assert_uint_eq(errors, 1);
	ck_assert_ptr_nonnull(strstr(diags, "expression too long: more than 1000 operators in a chain"));
	free(src);
}
END_TEST

Suite *suite_parser(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("grammar");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_items);
	tcase_add_test(tc, test_task);
	tcase_add_test(tc, test_flows_and_mentions);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_use);
	tcase_add_test(tc, test_missing_semicolon);
	tcase_add_test(tc, test_end_of_file);
	tcase_add_test(tc, test_recovery_reports_all);
	tcase_add_test(tc, test_expression_chain_limit);
	suite_add_tcase(s, tc);
	return s;
}
