/* test_lexer.c - the scanner: numbers and units, strings, comments, bad
 * bytes and nesting limits, observed through the parser's tree and the
 * diagnostics. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "unit.h"

typedef struct lexed {
	ast_file *file;
	char *diags;
	unsigned errors;
	owg_arena arena;
	owg_srcmgr sm;
} lexed;

static lexed lx;

static void lex(const char *src, size_t len)
{
	size_t n = 0;
	FILE *out = open_memstream(&lx.diags, &n);
	owg_src_init(&lx.sm);
	owg_arena_init(&lx.arena);
	owg_diag *d = owg_diag_new(&lx.sm, out);
	owg_diag_set_max_errors(d, 0);
	uint32_t id = owg_src_add(&lx.sm, "t.owg", src, len);
	lx.file = owg_parse(&lx.arena, d, &lx.sm, id);
	lx.errors = owg_diag_errors(d);
	owg_diag_free(d);
	fclose(out);
}

static void teardown(void)
{
	free(lx.diags);
	owg_arena_free(&lx.arena);
	owg_src_free(&lx.sm);
	memset(&lx, 0, sizeof lx);
}

/* The value of `const x = TEXT;` */
static const ast_expr *const_value(const char *text)
{
	char src[256];
	snprintf(src, sizeof src, "const x = %s;", text);
	lex(src, strlen(src));
	ck_assert_ptr_nonnull(lx.file);
	ck_assert_ptr_nonnull(lx.file->items);
	return lx.file->items->value;
}

START_TEST(test_plain_numbers)
{
	const ast_expr *e = const_value("42");
	ck_assert_int_eq(e->kind, AST_NUM);
	ck_assert_double_eq(e->num, 42);
	ck_assert_int_eq(e->dim, OWG_DIM_NONE);
	teardown();
	e = const_value("2.5e3");
	ck_assert_double_eq(e->num, 2500);
	teardown();
	e = const_value("15%");
	ck_assert_double_eq(e->num, 0.15);
	ck_assert_uint_eq(lx.errors, 0);
}
END_TEST

/* Decimal units are applied to the decimal text, so a quantity is the
 * double nearest to its exact value. */
START_TEST(test_time_units_exact)
{
	static const struct {
		const char *text, *exact;
	} cases[] = {{"0.9ms", "0.0009"}, {"600us", "0.0006"}, {"100us", "1e-4"}, {"1.1ms", "0.0011"},
		     {"3ns", "3e-9"},     {"2s", "2"},         {"1e2ms", "0.1"},  {"0.3s", "0.3"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const ast_expr *e = const_value(cases[i].text);
		ck_assert_int_eq(e->dim, OWG_DIM_TIME);
		ck_assert_msg(e->num == strtod(cases[i].exact, NULL), "%s gave %.17g", cases[i].text, e->num);
		teardown();
	}
}
END_TEST

START_TEST(test_size_and_rate_units)
{
	const ast_expr *e = const_value("600KiB");
	ck_assert_int_eq(e->dim, OWG_DIM_SIZE);
	ck_assert_double_eq(e->num, 600 * 1024.0);
	teardown();
	e = const_value("1.5GiB");
	ck_assert_double_eq(e->num, 1.5 * 1073741824.0);
	teardown();
	e = const_value("32GiB/s");
	ck_assert_int_eq(e->dim, OWG_DIM_RATE);
	ck_assert_double_eq(e->num, 32 * 1073741824.0);
	teardown();
	e = const_value("7B");
	ck_assert_int_eq(e->dim, OWG_DIM_SIZE);
	ck_assert_double_eq(e->num, 7);
}
END_TEST

START_TEST(test_unknown_unit)
{
	const_value("3Kib");
	ck_assert_uint_eq(lx.errors, 1);
	ck_assert_str_eq(lx.diags, "t.owg:1:12: error: unknown unit 'Kib'; did you mean 'KiB'?\n"
				   "    1 | const x = 3Kib;\n"
				   "      |            ^~~\n");
	teardown();
	const_value("3msec");
	ck_assert_str_eq(lx.diags, "t.owg:1:12: error: unknown unit 'msec' (times: ns us ms s; sizes: B KiB MiB "
				   "GiB TiB; rates: a size unit with /s)\n"
				   "    1 | const x = 3msec;\n"
				   "      |            ^~~~\n");
}
END_TEST

START_TEST(test_huge_numbers)
{
	const_value("1e999");
	ck_assert_uint_eq(lx.errors, 1);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: number '1e999' is too large"));
	teardown();
	const_value("1e308GiB");
	ck_assert_uint_eq(lx.errors, 1);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: quantity '1e308GiB' is too large"));
	teardown();
	const_value("1e99999999999999999999ms");
	ck_assert_uint_eq(lx.errors, 1);
}
END_TEST

START_TEST(test_strings)
{
	const ast_expr *e = const_value("\"a\\tb\\\"c\\\\\"");
	ck_assert_int_eq(e->kind, AST_STR);
	ck_assert_str_eq(e->str, "a\tb\"c\\");
	ck_assert_uint_eq(lx.errors, 0);
	teardown();
	e = const_value("\"caf\xc3\xa9\"");
	ck_assert_str_eq(e->str, "caf\xc3\xa9");
	ck_assert_uint_eq(lx.errors, 0);
	teardown();
	const_value("\"bad \\q\"");
	ck_assert_ptr_nonnull(strstr(lx.diags, "t.owg:1:16: error: unknown escape sequence"));
	teardown();
	const_value("\"a\xff\"");
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: invalid UTF-8 byte 0xff in string"));
}
END_TEST

START_TEST(test_unterminated)
{
	lex("const x = \"abc;\n", 16);
	ck_assert_ptr_nonnull(strstr(lx.diags, "t.owg:1:11: error: missing terminating '\"' character"));
	teardown();
	lex("/* never closed\nconst x = 1;", 28);
	ck_assert_ptr_nonnull(strstr(lx.diags, "t.owg:1:1: error: unterminated comment"));
}
END_TEST

START_TEST(test_comments_and_space)
{
	const char *src = "// line\n/* block\n * more */ const\tx\r\n= 1; // end";
	lex(src, strlen(src));
	ck_assert_uint_eq(lx.errors, 0);
	ck_assert_ptr_nonnull(lx.file->items);
	ck_assert_str_eq(lx.file->items->name.s, "x");
}
END_TEST

START_TEST(test_bad_bytes)
{
	lex("const x = 1; \x01", 14);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: unexpected control character 0x01"));
	teardown();
	lex("const x = 1; \xc3\xa9", 15);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: unexpected character '\xc3\xa9' outside a string or comment"));
	teardown();
	lex("const x = 1; \xfe", 14);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: invalid UTF-8 byte 0xfe"));
	teardown();
	lex("const x = 1;\0const y = 2;", 25);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: unexpected NUL byte (is this a binary file?)"));
	ck_assert_uint_eq(lx.errors, 1); /* scanning stops there */
}
END_TEST

START_TEST(test_nesting_limit)
{
	size_t n = 100000;
	char *src = malloc(n + 32);
	ck_assert_ptr_nonnull(src);
	memcpy(src, "const x = ", 10);
	memset(src + 10, '(', n);
	src[10 + n] = '\0';
	lex(src, strlen(src));
	ck_assert_uint_eq(lx.errors, 1);
	ck_assert_ptr_nonnull(strstr(lx.diags, "error: nesting too deep: more than 200 open brackets"));
	free(src);
}
END_TEST

START_TEST(test_grid)
{
	const char *src = "fabric f { cluster 4x4; chiplet 2 x 3; }";
	lex(src, strlen(src));
	ck_assert_uint_eq(lx.errors, 0);
	const ast_fabprop *p = lx.file->items->fab;
	ck_assert_str_eq(p->args->callee, "x");
	ck_assert_double_eq(p->args->args->num, 4);
	ck_assert_double_eq(p->next->args->args->next->num, 3);
}
END_TEST

Suite *suite_lexer(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("tokens");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_plain_numbers);
	tcase_add_test(tc, test_time_units_exact);
	tcase_add_test(tc, test_size_and_rate_units);
	tcase_add_test(tc, test_unknown_unit);
	tcase_add_test(tc, test_huge_numbers);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_unterminated);
	tcase_add_test(tc, test_comments_and_space);
	tcase_add_test(tc, test_bad_bytes);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_grid);
	suite_add_tcase(s, tc);
	return s;
}
