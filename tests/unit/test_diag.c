/* test_diag.c - unit tests of src/diag.h, comparing the exact text
 * written to a memory stream: caret layout (tabs, UTF-8, multi-line and
 * empty spans, wide line numbers), -W options, the error cap, JSON escaping,
 * colour, and owg_suggest. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "unit.h"

static owg_srcmgr sm;
static owg_diag *d;
static FILE *out;
static char *buf;
static size_t bufsz;

static void setup(void)
{
	owg_src_init(&sm);
	out = open_memstream(&buf, &bufsz);
	ck_assert_ptr_nonnull(out);
	d = owg_diag_new(&sm, out);
}

static void teardown(void)
{
	owg_diag_free(d);
	fclose(out);
	free(buf);
	buf = NULL;
	owg_src_free(&sm);
}

/* Everything printed so far. */
static const char *output(void)
{
	fflush(out);
	return buf;
}

static uint32_t add(const char *name, const char *text)
{
	return owg_src_add(&sm, name, text, strlen(text));
}

static owg_loc span(uint32_t file, uint32_t begin, uint32_t len)
{
	return (owg_loc){file, begin, begin + len};
}

/* The span of the first occurrence of word in the file's text. */
static owg_loc at(uint32_t file, const char *word)
{
	const char *text = owg_src_get(&sm, file)->text;
	const char *p = strstr(text, word);
	ck_assert_ptr_nonnull(p);
	return span(file, (uint32_t)(p - text), (uint32_t)strlen(word));
}

#define OPT(o) ck_assert(owg_diag_option(d, (o)))

/* ---- text layout ---- */

START_TEST(caret_single_line)
{
	uint32_t f = add("file.owg", "task decode;\ntask detect;\n  decode -> detcet : 600KiB;\n");
	owg_diag_error(d, at(f, "detcet"), "unknown task '%s'; did you mean '%s'?", "detcet", "detect");
	owg_diag_note(d, at(f, "detect"), "'%s' declared here", "detect");
	ck_assert_str_eq(output(),
		"file.owg:3:13: error: unknown task 'detcet'; did you mean 'detect'?\n"
		"    3 |   decode -> detcet : 600KiB;\n"
		"      |             ^~~~~~\n"
		"file.owg:2:6: note: 'detect' declared here\n"
		"    2 | task detect;\n"
		"      |      ^~~~~~\n");
	ck_assert_uint_eq(owg_diag_errors(d), 1);
	ck_assert_uint_eq(owg_diag_warnings(d), 0);
}
END_TEST

START_TEST(caret_one_char_and_first_column)
{
	uint32_t f = add("a.owg", "x;\n");
	owg_diag_error(d, span(f, 0, 1), "bad");
	ck_assert_str_eq(output(),
		"a.owg:1:1: error: bad\n"
		"    1 | x;\n"
		"      | ^\n");
}
END_TEST

START_TEST(caret_zero_length)
{
	uint32_t f = add("a.owg", "a = 1\nb = 2");
	owg_diag_error(d, span(f, 4, 0), "empty");
	/* At the newline: the caret goes just past the last character. */
	owg_diag_error(d, span(f, 5, 0), "expected ';'");
	/* At the end of a file without a newline. */
	owg_diag_error(d, span(f, 11, 0), "unexpected end of file");
	/* end < begin is an empty span too */
	owg_diag_error(d, (owg_loc){f, 2, 1}, "backwards");
	ck_assert_str_eq(output(),
		"a.owg:1:5: error: empty\n"
		"    1 | a = 1\n"
		"      |     ^\n"
		"a.owg:1:6: error: expected ';'\n"
		"    1 | a = 1\n"
		"      |      ^\n"
		"a.owg:2:6: error: unexpected end of file\n"
		"    2 | b = 2\n"
		"      |      ^\n"
		"a.owg:1:3: error: backwards\n"
		"    1 | a = 1\n"
		"      |   ^\n");
}
END_TEST

START_TEST(caret_offsets_clamped)
{
	uint32_t f = add("a.owg", "ab\n");
	owg_diag_error(d, (owg_loc){f, 1, 1000}, "long");
	owg_diag_error(d, (owg_loc){f, 500, 1000}, "past");
	ck_assert_str_eq(output(),
		"a.owg:1:2: error: long\n"
		"    1 | ab\n"
		"      |  ^\n"
		"a.owg:2:1: error: past\n"
		"    2 | \n"
		"      | ^\n");
}
END_TEST

START_TEST(caret_tabs)
{
	uint32_t f = add("t.owg", "\tfoo\tbar baz\n");
	owg_diag_warning(d, OWG_W_SHADOW, at(f, "bar"), "tabbed");
	ck_assert_str_eq(output(),
		"t.owg:1:6: warning: tabbed [-Wshadow]\n"
		"    1 | \tfoo\tbar baz\n"
		"      | \t   \t^~~\n");
	ck_assert_uint_eq(owg_diag_warnings(d), 1);
}
END_TEST

START_TEST(caret_utf8)
{
	/* "é" and "ñ" are two bytes, "€" three, all one column. */
	uint32_t f = add("u.owg", "let \"h\xc3\xa9llo\" = \xe2\x82\xac + ma\xc3\xb1" "ana;\n");
	owg_diag_error(d, at(f, "\"h"), "string");
	owg_diag_error(d, at(f, "ma"), "after");
	/* The location's column counts bytes. */
	ck_assert_str_eq(output(),
		"u.owg:1:5: error: string\n"
		"    1 | let \"h\xc3\xa9llo\" = \xe2\x82\xac + ma\xc3\xb1" "ana;\n"
		"      |     ^~\n"
		"u.owg:1:22: error: after\n"
		"    1 | let \"h\xc3\xa9llo\" = \xe2\x82\xac + ma\xc3\xb1" "ana;\n"
		"      |                   ^~\n");
	/* A span over multi-byte characters: one '~' per character. */
	uint32_t g = add("v.owg", "x \xc3\xa9\xe2\x82\xac\xc3\xb1 y\n");
	size_t mark = strlen(output());
	owg_diag_error(d, span(g, 2, 7), "word");
	ck_assert_str_eq(output() + mark,
		"v.owg:1:3: error: word\n"
		"    1 | x \xc3\xa9\xe2\x82\xac\xc3\xb1 y\n"
		"      |   ^~~\n");
}
END_TEST

START_TEST(caret_unsafe_bytes)
{
	/* An escape sequence, a bell, a DEL and an invalid UTF-8 byte are never
	 * sent to the terminal: each shows as one '?' and takes one column. */
	uint32_t f = add("c.owg", "a\x1b[31m\x07\x7f\xff b;\n");
	owg_diag_error(d, at(f, "b;"), "here");
	ck_assert_str_eq(output(),
		"c.owg:1:11: error: here\n"
		"    1 | a?[31m??? b;\n"
		"      |           ^~\n");
}
END_TEST

START_TEST(caret_long_line_window)
{
	/* A 10,000-byte line: the excerpt is a window around the caret, cut
	 * with "..." on both sides, and the span's tildes stop at its edge. */
	char *text = malloc(10002);
	memset(text, 'x', 10000);
	memcpy(text + 5000, "HERE", 4);
	text[10000] = '\n';
	text[10001] = '\0';
	uint32_t f = add("l.owg", text);
	owg_diag_error(d, span(f, 5000, 1000), "long");
	const char *o = output();
	const char *l2 = strchr(o, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
	ck_assert(!strncmp(l2, "    1 | ...", 11));
	ck_assert_uint_eq(strchr(l2, '\n') - l2, 8 + 3 + 240 + 3);
	ck_assert(!strncmp(l2 + 11 + 80, "HERE", 4));
	ck_assert_uint_eq(strspn(l3 + 8, " "), 3 + 80);
	ck_assert_uint_eq(l3[8 + 83], '^');
	ck_assert_uint_eq(strspn(l3 + 8 + 84, "~"), 240 - 81);
	ck_assert_str_eq(l3 + 8 + 84 + 159, "\n");
	free(text);
}
END_TEST

START_TEST(caret_multi_line)
{
	uint32_t f = add("m.owg", "flow foo bar\n  baz;\nnext\n");
	owg_diag_error(d, span(f, 5, 15), "multi");
	/* From the last character of a line on. */
	owg_diag_note(d, span(f, 11, 5), "from the end");
	/* From the newline on: nothing to underline but the caret. */
	owg_diag_note(d, span(f, 12, 5), "from the newline");
	ck_assert_str_eq(output(),
		"m.owg:1:6: error: multi\n"
		"    1 | flow foo bar\n"
		"      |      ^~~~~~~\n"
		"m.owg:1:12: note: from the end\n"
		"    1 | flow foo bar\n"
		"      |            ^\n"
		"m.owg:1:13: note: from the newline\n"
		"    1 | flow foo bar\n"
		"      |             ^\n");
}
END_TEST

START_TEST(caret_crlf)
{
	uint32_t f = add("w.owg", "a\r\nbc de\r\n");
	owg_diag_error(d, at(f, "de"), "crlf");
	owg_diag_error(d, span(f, 6, 3), "to the end");
	ck_assert_str_eq(output(),
		"w.owg:2:4: error: crlf\n"
		"    2 | bc de\n"
		"      |    ^~\n"
		"w.owg:2:4: error: to the end\n"
		"    2 | bc de\n"
		"      |    ^~\n");
}
END_TEST

START_TEST(line_number_width)
{
	enum { N = 10005 };
	char *text = malloc(N * 2 + 1);
	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < N; i++) {
		text[2 * i] = 'x';
		text[2 * i + 1] = '\n';
	}
	text[2 * N] = '\0';
	uint32_t f = add("big.owg", text);
	owg_diag_error(d, span(f, 2 * 9998, 1), "line 9999");
	owg_diag_error(d, span(f, 2 * 9999, 1), "line 10000");
	owg_diag_note(d, span(f, 2 * 10004, 1), "line 10005");
	ck_assert_str_eq(output(),
		"big.owg:9999:1: error: line 9999\n"
		" 9999 | x\n"
		"      | ^\n"
		"big.owg:10000:1: error: line 10000\n"
		" 10000 | x\n"
		"       | ^\n"
		"big.owg:10005:1: note: line 10005\n"
		" 10005 | x\n"
		"       | ^\n");
	free(text);
}
END_TEST

START_TEST(no_location)
{
	owg_diag_error(d, OWG_LOC_NONE, "no input files");
	owg_diag_fatal(d, "cannot write '%s'", "out.o");
	owg_diag_note(d, OWG_LOC_NONE, "a note");
	/* An unknown file index is printed like no file. */
	owg_diag_error(d, (owg_loc){42, 0, 1}, "unknown file");
	ck_assert_str_eq(output(),
		"owgc: error: no input files\n"
		"owgc: error: cannot write 'out.o'\n"
		"owgc: note: a note\n"
		"owgc: error: unknown file\n");
	ck_assert_uint_eq(owg_diag_errors(d), 3);
}
END_TEST

START_TEST(message_formatting)
{
	char longmsg[3000];
	memset(longmsg, 'z', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	owg_diag_error(d, OWG_LOC_NONE, "%d%% of %s", 50, longmsg);
	const char *o = output();
	ck_assert_uint_eq(strlen(o), strlen("owgc: error: 50% of \n") + sizeof longmsg - 1);
	ck_assert(strncmp(o, "owgc: error: 50% of zzz", 23) == 0);
}
END_TEST

/* ---- warnings and options ---- */

START_TEST(warning_default)
{
	uint32_t f = add("a.owg", "out x;\n");
	ck_assert(owg_diag_warning(d, OWG_W_UNUSED_OUTPUT, at(f, "x"), "output '%s' is never read", "x"));
	owg_diag_note(d, at(f, "out"), "declared here");
	ck_assert_str_eq(output(),
		"a.owg:1:5: warning: output 'x' is never read [-Wunused-output]\n"
		"    1 | out x;\n"
		"      |     ^\n"
		"a.owg:1:1: note: declared here\n"
		"    1 | out x;\n"
		"      | ^~~\n");
	ck_assert_uint_eq(owg_diag_warnings(d), 1);
	ck_assert_uint_eq(owg_diag_errors(d), 0);
}
END_TEST

START_TEST(warning_defaults_per_group)
{
	static const bool on[OWG_W__COUNT] = {
		[OWG_W_UNUSED_OUTPUT] = true, [OWG_W_UNUSED_PARAM] = true,
		[OWG_W_UNUSED_TASK] = false, [OWG_W_MISSING_PROBABILITY] = true,
		[OWG_W_UNSIZED_FLOW] = false, [OWG_W_UNREACHABLE] = true,
		[OWG_W_SHADOW] = true, [OWG_W_STALE_PROFILE] = true,
	};
	for (int w = 0; w < OWG_W__COUNT; w++)
		ck_assert_int_eq(owg_diag_warning(d, (owg_warn)w, OWG_LOC_NONE, "w"), on[w]);
	ck_assert_uint_eq(owg_diag_warnings(d), 6);
}
END_TEST

START_TEST(disabled_warning_drops_notes)
{
	uint32_t f = add("a.owg", "task t;\n");
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_TASK, at(f, "t;"), "task 't' has no flows"));
	owg_diag_note(d, at(f, "task"), "dropped with it");
	ck_assert_str_eq(output(), "");
	ck_assert_uint_eq(owg_diag_warnings(d), 0);
	/* The next shown diagnostic takes notes again. */
	owg_diag_error(d, OWG_LOC_NONE, "e");
	owg_diag_note(d, OWG_LOC_NONE, "n");
	ck_assert_str_eq(output(), "owgc: error: e\nowgc: note: n\n");
}
END_TEST

START_TEST(opt_wall_wextra)
{
	OPT("-Wall");
	ck_assert(owg_diag_warning(d, OWG_W_UNUSED_TASK, OWG_LOC_NONE, "a"));
	ck_assert(owg_diag_warning(d, OWG_W_UNSIZED_FLOW, OWG_LOC_NONE, "b"));
	ck_assert_str_eq(output(),
		"owgc: warning: a [-Wunused-task]\n"
		"owgc: warning: b [-Wunsized-flow]\n");

	owg_diag *d2 = owg_diag_new(&sm, out);
	ck_assert(owg_diag_option(d2, "-Wextra"));
	ck_assert(owg_diag_warning(d2, OWG_W_UNSIZED_FLOW, OWG_LOC_NONE, "c"));
	owg_diag_free(d2);
}
END_TEST

START_TEST(opt_enable_disable_in_order)
{
	OPT("-Wno-shadow");
	ck_assert(!owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "x"));
	OPT("-Wshadow");
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "y"));
	OPT("-Wunsized-flow");
	ck_assert(owg_diag_warning(d, OWG_W_UNSIZED_FLOW, OWG_LOC_NONE, "z"));
	OPT("-Wall");
	OPT("-Wno-unused-param");
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_PARAM, OWG_LOC_NONE, "p"));
	ck_assert_str_eq(output(),
		"owgc: warning: y [-Wshadow]\n"
		"owgc: warning: z [-Wunsized-flow]\n");
}
END_TEST

START_TEST(opt_werror)
{
	uint32_t f = add("a.owg", "out x;\n");
	OPT("-Werror");
	ck_assert(owg_diag_warning(d, OWG_W_UNUSED_OUTPUT, at(f, "x"), "never read"));
	ck_assert_str_eq(output(),
		"a.owg:1:5: error: never read [-Werror=unused-output]\n"
		"    1 | out x;\n"
		"      |     ^\n");
	ck_assert_uint_eq(owg_diag_errors(d), 1);
	ck_assert_uint_eq(owg_diag_warnings(d), 0);
	/* -Werror does not enable anything. */
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_TASK, at(f, "x"), "off"));
	ck_assert_uint_eq(owg_diag_errors(d), 1);
}
END_TEST

START_TEST(opt_werror_name)
{
	OPT("-Werror=shadow");
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s"));
	ck_assert(owg_diag_warning(d, OWG_W_UNUSED_PARAM, OWG_LOC_NONE, "p"));
	/* -Werror=name enables name. */
	OPT("-Werror=unused-task");
	ck_assert(owg_diag_warning(d, OWG_W_UNUSED_TASK, OWG_LOC_NONE, "t"));
	/* -Wno-error=name undoes it. */
	OPT("-Wno-error=shadow");
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s2"));
	ck_assert_str_eq(output(),
		"owgc: error: s [-Werror=shadow]\n"
		"owgc: warning: p [-Wunused-param]\n"
		"owgc: error: t [-Werror=unused-task]\n"
		"owgc: warning: s2 [-Wshadow]\n");
	ck_assert_uint_eq(owg_diag_errors(d), 2);
	ck_assert_uint_eq(owg_diag_warnings(d), 2);
}
END_TEST

START_TEST(opt_wno_error_exempts_from_werror)
{
	OPT("-Werror");
	OPT("-Wno-error=shadow");
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s"));
	ck_assert(owg_diag_warning(d, OWG_W_UNREACHABLE, OWG_LOC_NONE, "u"));
	OPT("-Wno-error");
	ck_assert(owg_diag_warning(d, OWG_W_UNREACHABLE, OWG_LOC_NONE, "u2"));
	ck_assert_str_eq(output(),
		"owgc: warning: s [-Wshadow]\n"
		"owgc: error: u [-Werror=unreachable]\n"
		"owgc: warning: u2 [-Wunreachable]\n");
}
END_TEST

START_TEST(opt_w)
{
	OPT("-Werror=shadow");
	OPT("-w");
	OPT("-Wall"); /* -w wins whatever the order */
	ck_assert(!owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s"));
	owg_diag_note(d, OWG_LOC_NONE, "n");
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_OUTPUT, OWG_LOC_NONE, "o"));
	owg_diag_error(d, OWG_LOC_NONE, "errors still show");
	ck_assert_str_eq(output(), "owgc: error: errors still show\n");
	ck_assert_uint_eq(owg_diag_errors(d), 1);
	ck_assert_uint_eq(owg_diag_warnings(d), 0);
}
END_TEST

START_TEST(opt_unknown)
{
	static const char *const bad[] = {
		"-Wfoo", "-Wno-foo", "-Werror=foo", "-Wno-error=foo", "-Werror=",
		"-Wno-", "-W", "-w2", "-Wshadow=1", "-WSHADOW", "-Wno-error=", "-Werror=all",
		"shadow", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(!owg_diag_option(d, bad[i]), "accepted '%s'", bad[i]);
	/* Nothing changed. */
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_TASK, OWG_LOC_NONE, "t"));
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s"));
	ck_assert_str_eq(output(), "owgc: warning: s [-Wshadow]\n");

	/* What the driver does with an unknown one. */
	size_t n;
	const char *const *names = owg_warn_names(&n);
	ck_assert_uint_eq(n, OWG_W__COUNT);
	ck_assert_str_eq(owg_suggest("shadw", names, n), "shadow");
	ck_assert_str_eq(owg_suggest("unused-outptu", names, n), "unused-output");
	ck_assert_ptr_null(owg_suggest("foo", names, n));
}
END_TEST

START_TEST(warn_names)
{
	ck_assert_str_eq(owg_warn_name(OWG_W_UNUSED_OUTPUT), "unused-output");
	ck_assert_str_eq(owg_warn_name(OWG_W_UNUSED_PARAM), "unused-param");
	ck_assert_str_eq(owg_warn_name(OWG_W_UNUSED_TASK), "unused-task");
	ck_assert_str_eq(owg_warn_name(OWG_W_MISSING_PROBABILITY), "missing-probability");
	ck_assert_str_eq(owg_warn_name(OWG_W_UNSIZED_FLOW), "unsized-flow");
	ck_assert_str_eq(owg_warn_name(OWG_W_UNREACHABLE), "unreachable");
	ck_assert_str_eq(owg_warn_name(OWG_W_SHADOW), "shadow");
	ck_assert_ptr_null(owg_warn_name(OWG_W__COUNT));
	size_t n = 0;
	const char *const *names = owg_warn_names(&n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(names[i], owg_warn_name((owg_warn)i));
		char opt[64];
		snprintf(opt, sizeof opt, "-W%s", names[i]);
		ck_assert(owg_diag_option(d, opt));
		snprintf(opt, sizeof opt, "-Wno-%s", names[i]);
		ck_assert(owg_diag_option(d, opt));
		snprintf(opt, sizeof opt, "-Werror=%s", names[i]);
		ck_assert(owg_diag_option(d, opt));
		snprintf(opt, sizeof opt, "-Wno-error=%s", names[i]);
		ck_assert(owg_diag_option(d, opt));
	}
}
END_TEST

START_TEST(two_engines)
{
	char *buf2 = NULL;
	size_t sz2 = 0;
	FILE *out2 = open_memstream(&buf2, &sz2);
	owg_diag *e = owg_diag_new(&sm, out2);
	owg_diag_set_format(e, OWG_DIAG_JSON);
	ck_assert(owg_diag_option(e, "-w"));
	owg_diag_set_max_errors(e, 1);
	owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "d");
	owg_diag_warning(e, OWG_W_SHADOW, OWG_LOC_NONE, "e");
	owg_diag_error(e, OWG_LOC_NONE, "e1");
	owg_diag_error(e, OWG_LOC_NONE, "e2");
	owg_diag_error(d, OWG_LOC_NONE, "d1");
	owg_diag_error(d, OWG_LOC_NONE, "d2");
	ck_assert(owg_diag_capped(e));
	ck_assert(!owg_diag_capped(d));
	owg_diag_free(e);
	fclose(out2);
	ck_assert_str_eq(output(),
		"owgc: warning: d [-Wshadow]\n"
		"owgc: error: d1\n"
		"owgc: error: d2\n");
	ck_assert_str_eq(buf2,
		"{\"severity\":\"error\",\"message\":\"e1\"}\n"
		"{\"severity\":\"note\",\"message\":\"too many errors (1); stopping. "
		"Use --max-errors=N to change the limit\"}\n");
	free(buf2);
}
END_TEST

/* ---- the error cap ---- */

START_TEST(cap)
{
	uint32_t f = add("a.owg", "x\n");
	owg_diag_set_max_errors(d, 2);
	owg_diag_error(d, span(f, 0, 1), "e1");
	owg_diag_note(d, OWG_LOC_NONE, "n1");
	ck_assert(!owg_diag_capped(d));
	owg_diag_error(d, OWG_LOC_NONE, "e2");
	owg_diag_note(d, OWG_LOC_NONE, "n2"); /* the last error's notes still show */
	ck_assert(!owg_diag_capped(d));
	owg_diag_error(d, span(f, 0, 1), "e3");
	ck_assert(owg_diag_capped(d));
	owg_diag_note(d, OWG_LOC_NONE, "n3");
	owg_diag_error(d, OWG_LOC_NONE, "e4");
	owg_diag_fatal(d, "e5");
	ck_assert(!owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "w"));
	owg_diag_note(d, OWG_LOC_NONE, "n4");
	ck_assert_str_eq(output(),
		"a.owg:1:1: error: e1\n"
		"    1 | x\n"
		"      | ^\n"
		"owgc: note: n1\n"
		"owgc: error: e2\n"
		"owgc: note: n2\n"
		"owgc: note: too many errors (2); stopping. Use --max-errors=N to change the limit\n");
	ck_assert_uint_eq(owg_diag_errors(d), 2);
	ck_assert(owg_diag_capped(d));
}
END_TEST

START_TEST(cap_default_20)
{
	for (int i = 0; i < 30; i++)
		owg_diag_error(d, OWG_LOC_NONE, "e%d", i);
	const char *o = output();
	int lines = 0;
	for (const char *p = o; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 21);
	ck_assert(strstr(o, "owgc: error: e19\n"));
	ck_assert(!strstr(o, "e20"));
	ck_assert(strstr(o, "owgc: error: e19\nowgc: note: too many errors (20); stopping. "
			    "Use --max-errors=N to change the limit\n"));
	ck_assert_uint_eq(owg_diag_errors(d), 20);
	ck_assert(owg_diag_capped(d));
}
END_TEST

START_TEST(cap_zero_is_none)
{
	owg_diag_set_max_errors(d, 0);
	for (int i = 0; i < 100; i++)
		owg_diag_error(d, OWG_LOC_NONE, "e");
	ck_assert_uint_eq(owg_diag_errors(d), 100);
	ck_assert(!owg_diag_capped(d));
	ck_assert(!strstr(output(), "too many"));
}
END_TEST

START_TEST(cap_counts_werror_warnings)
{
	owg_diag_set_max_errors(d, 1);
	OPT("-Werror=shadow");
	ck_assert(owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "s"));
	/* A disabled warning does not trip the cap... */
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_TASK, OWG_LOC_NONE, "t"));
	ck_assert(!owg_diag_capped(d));
	/* ...a shown one does. */
	ck_assert(!owg_diag_warning(d, OWG_W_UNUSED_PARAM, OWG_LOC_NONE, "p"));
	ck_assert(owg_diag_capped(d));
	ck_assert_str_eq(output(),
		"owgc: error: s [-Werror=shadow]\n"
		"owgc: note: too many errors (1); stopping. Use --max-errors=N to change the limit\n");
}
END_TEST

/* ---- JSON ---- */

START_TEST(json_basic)
{
	uint32_t f = add("a.owg", "task a;\n\n  decode -> detcet : 600KiB;\nx\n");
	owg_diag_set_format(d, OWG_DIAG_JSON);
	owg_diag_error(d, at(f, "detcet"), "unknown task 'detcet'");
	owg_diag_note(d, at(f, "a;"), "declared here");
	owg_diag_warning(d, OWG_W_UNUSED_OUTPUT, span(f, 4, 5), "multi-line");
	OPT("-Werror=shadow");
	owg_diag_warning(d, OWG_W_SHADOW, span(f, 100, 0), "clamped");
	owg_diag_fatal(d, "no location");
	ck_assert_str_eq(output(),
		"{\"file\":\"a.owg\",\"line\":3,\"column\":13,\"end_line\":3,\"end_column\":19,"
		"\"severity\":\"error\",\"message\":\"unknown task 'detcet'\"}\n"
		"{\"file\":\"a.owg\",\"line\":1,\"column\":6,\"end_line\":1,\"end_column\":8,"
		"\"severity\":\"note\",\"message\":\"declared here\"}\n"
		"{\"file\":\"a.owg\",\"line\":1,\"column\":5,\"end_line\":3,\"end_column\":1,"
		"\"severity\":\"warning\",\"message\":\"multi-line\",\"option\":\"-Wunused-output\"}\n"
		"{\"file\":\"a.owg\",\"line\":5,\"column\":1,\"end_line\":5,\"end_column\":1,"
		"\"severity\":\"error\",\"message\":\"clamped\",\"option\":\"-Werror=shadow\"}\n"
		"{\"severity\":\"error\",\"message\":\"no location\"}\n");
}
END_TEST

START_TEST(json_escaping)
{
	uint32_t f = add("we\"ird\\name\n.owg", "x");
	owg_diag_set_format(d, OWG_DIAG_JSON);
	owg_diag_set_color(d, true); /* no effect on JSON */
	owg_diag_error(d, span(f, 0, 1), "q\" b\\ n\n t\t r\r b\b f\f c\x01\x1f del\x7f /");
	owg_diag_error(d, OWG_LOC_NONE, "ok: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
	owg_diag_error(d, OWG_LOC_NONE, "lone: \xff \x80 \xfe|");
	/* A truncated sequence is one U+FFFD, however long its prefix. */
	owg_diag_error(d, OWG_LOC_NONE, "cut: \xe2\x82x \xf0\x9f\x98x \xc3");
	/* Overlongs, surrogates and beyond U+10FFFF: a U+FFFD per byte. */
	owg_diag_error(d, OWG_LOC_NONE, "ill: \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf5\x80");
	ck_assert_str_eq(output(),
		"{\"file\":\"we\\\"ird\\\\name\\n.owg\",\"line\":1,\"column\":1,\"end_line\":1,"
		"\"end_column\":2,\"severity\":\"error\",\"message\":"
		"\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f c\\u0001\\u001f del\x7f /\"}\n"
		"{\"severity\":\"error\",\"message\":"
		"\"ok: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"}\n"
		"{\"severity\":\"error\",\"message\":\"lone: \\ufffd \\ufffd \\ufffd|\"}\n"
		"{\"severity\":\"error\",\"message\":\"cut: \\ufffdx \\ufffdx \\ufffd\"}\n"
		"{\"severity\":\"error\",\"message\":\"ill: \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd "
		"\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"}\n");
}
END_TEST

/* ---- colour ---- */

START_TEST(color)
{
	uint32_t f = add("c.owg", "out x;\n");
	owg_diag_set_color(d, true);
	owg_diag_error(d, at(f, "out"), "e");
	owg_diag_warning(d, OWG_W_UNUSED_OUTPUT, at(f, "x"), "w");
	owg_diag_note(d, OWG_LOC_NONE, "n");
	OPT("-Werror");
	owg_diag_warning(d, OWG_W_SHADOW, OWG_LOC_NONE, "we");
	ck_assert_str_eq(output(),
		"\033[01m\033[Kc.owg:1:1:\033[m\033[K \033[01;31m\033[Kerror: \033[m\033[Ke\n"
		"    1 | out x;\n"
		"      | \033[32m\033[K^~~\033[m\033[K\n"
		"\033[01m\033[Kc.owg:1:5:\033[m\033[K \033[01;35m\033[Kwarning: \033[m\033[Kw"
		" [\033[01;35m\033[K-Wunused-output\033[m\033[K]\n"
		"    1 | out x;\n"
		"      |     \033[32m\033[K^\033[m\033[K\n"
		"\033[01m\033[Kowgc:\033[m\033[K \033[01;36m\033[Knote: \033[m\033[Kn\n"
		"\033[01m\033[Kowgc:\033[m\033[K \033[01;31m\033[Kerror: \033[m\033[Kwe"
		" [\033[01;31m\033[K-Werror=shadow\033[m\033[K]\n");
}
END_TEST

/* ---- did you mean ---- */

START_TEST(suggest)
{
	static const char *const tasks[] = {"decode", "detect", "encode", "track"};
	/* A transposition counts one. */
	ck_assert_str_eq(owg_suggest("detcet", tasks, 4), "detect");
	ck_assert_str_eq(owg_suggest("decod", tasks, 4), "decode");
	ck_assert_str_eq(owg_suggest("trakc", tasks, 4), "track");
	/* Too far: the limit is max(1, strlen / 3). */
	ck_assert_ptr_null(owg_suggest("xyz", tasks, 4));
	ck_assert_ptr_null(owg_suggest("trxyz", tasks, 4));
	ck_assert_str_eq(owg_suggest("dxxect", tasks, 4), "detect"); /* 2 <= 6/3 */
	ck_assert_ptr_null(owg_suggest("dxxxct", tasks, 4));         /* 3 > 2 */
	ck_assert_ptr_null(owg_suggest("", tasks, 4));
	/* An exact match is not a typo, even with near misses around. */
	ck_assert_ptr_null(owg_suggest("detect", tasks, 4));
	ck_assert_ptr_null(owg_suggest("track", tasks, 4));
	/* A name that differs only in case is the best suggestion, however
	 * many letters differ; otherwise case counts as an edit. */
	ck_assert_str_eq(owg_suggest("Detect", tasks, 4), "detect");
	ck_assert_str_eq(owg_suggest("DETECT", tasks, 4), "detect");
	ck_assert_ptr_null(owg_suggest("DETECX", tasks, 4));
	static const char *const units[] = {"ns", "us", "ms", "s"};
	ck_assert_str_eq(owg_suggest("Ms", units, 4), "ms"); /* not "ns", one edit away too */
	/* Nothing to choose from. */
	ck_assert_ptr_null(owg_suggest("detect", tasks, 0));
	ck_assert_ptr_null(owg_suggest("detect", NULL, 0));
}
END_TEST

START_TEST(suggest_ties_and_short)
{
	static const char *const c1[] = {"bat", "hat", "cap"};
	ck_assert_str_eq(owg_suggest("cat", c1, 3), "bat");
	static const char *const c2[] = {"hat", "bat", "cap"};
	ck_assert_str_eq(owg_suggest("cat", c2, 3), "hat");
	/* A closer one later still wins. */
	static const char *const c3[] = {"abxxef", "abcdxf", "abcdef0"};
	ck_assert_str_eq(owg_suggest("abcdef", c3, 3), "abcdxf");
	/* One edit allowed however short the name. */
	static const char *const c4[] = {"b", "ba"};
	ck_assert_str_eq(owg_suggest("a", c4, 2), "b");
	ck_assert_str_eq(owg_suggest("ab", c4 + 1, 1), "ba");
	/* NULL entries are skipped. */
	static const char *const c5[] = {NULL, "shadow"};
	ck_assert_str_eq(owg_suggest("shadwo", c5, 2), "shadow");
}
END_TEST

START_TEST(suggest_osa_not_full_damerau)
{
	/* "ca" -> "abc" is 3 in OSA (2 with unrestricted Damerau). */
	static const char *const c[] = {"xxxxabc"};
	ck_assert_ptr_null(owg_suggest("xxxxca", c, 1));
	static const char *const c2[] = {"xxxxxxxxxabc"};
	ck_assert_str_eq(owg_suggest("xxxxxxxxxca", c2, 1), "xxxxxxxxxabc"); /* 3 <= 11/3 */
}
END_TEST

START_TEST(suggest_long_names)
{
	char name[300] = {0}, cand[300];
	memset(name, 'a', 257);
	name[257] = '\0';
	memcpy(cand, name, sizeof name);
	cand[0] = 'b';
	const char *c[] = {cand};
	ck_assert_ptr_null(owg_suggest(name, c, 1)); /* 257 bytes: no suggestion */
	name[256] = '\0';
	cand[256] = '\0';
	ck_assert_str_eq(owg_suggest(name, c, 1), cand); /* 256 is fine */
	cand[256] = 'a'; /* a candidate over the limit is skipped */
	ck_assert_ptr_null(owg_suggest(name, c, 1));
}
END_TEST

Suite *suite_diag(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, caret_single_line);
	tcase_add_test(tc, caret_one_char_and_first_column);
	tcase_add_test(tc, caret_zero_length);
	tcase_add_test(tc, caret_offsets_clamped);
	tcase_add_test(tc, caret_tabs);
	tcase_add_test(tc, caret_utf8);
	tcase_add_test(tc, caret_unsafe_bytes);
	tcase_add_test(tc, caret_long_line_window);
	tcase_add_test(tc, caret_multi_line);
	tcase_add_test(tc, caret_crlf);
	tcase_add_test(tc, line_number_width);
	tcase_add_test(tc, no_location);
	tcase_add_test(tc, message_formatting);
	suite_add_tcase(s, tc);

	tc = tcase_create("warnings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, warning_default);
	tcase_add_test(tc, warning_defaults_per_group);
	tcase_add_test(tc, disabled_warning_drops_notes);
	tcase_add_test(tc, opt_wall_wextra);
	tcase_add_test(tc, opt_enable_disable_in_order);
	tcase_add_test(tc, opt_werror);
	tcase_add_test(tc, opt_werror_name);
	tcase_add_test(tc, opt_wno_error_exempts_from_werror);
	tcase_add_test(tc, opt_w);
	tcase_add_test(tc, opt_unknown);
	tcase_add_test(tc, warn_names);
	tcase_add_test(tc, two_engines);
	suite_add_tcase(s, tc);

	tc = tcase_create("cap");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cap);
	tcase_add_test(tc, cap_default_20);
	tcase_add_test(tc, cap_zero_is_none);
	tcase_add_test(tc, cap_counts_werror_warnings);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_color");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_basic);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, color);
	suite_add_tcase(s, tc);

	tc = tcase_create("suggest");
	tcase_add_test(tc, suggest);
	tcase_add_test(tc, suggest_ties_and_short);
	tcase_add_test(tc, suggest_osa_not_full_damerau);
	tcase_add_test(tc, suggest_long_names);
	suite_add_tcase(s, tc);
	return s;
}
