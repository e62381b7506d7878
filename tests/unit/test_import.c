#include "config.h"

/* test_import.c - the JSON reader (valid and hostile texts, exact messages
 * and positions, nesting, surrogates, exact numbers) and the WfCommons
 * importer (exact output of small traces, names, several traces, every
 * refusal), and the round trip of the real traces of
 * ../shared/data/wfcommons: import, compile, compare the graph with the
 * trace. */

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "compile.h"
#include "diag.h"
#include "import_wfcommons.h"
#include "ir.h"
#include "json.h"
#include "source.h"
#include "unit.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

/* ---- JSON helpers ---- */

typedef struct parsed {
	owg_srcmgr sm;
	owg_arena a;
	owg_json *v;
	char *diags;
	size_t dlen;
} parsed;

static void parse_n(parsed *p, const char *text, size_t len)
{
	owg_src_init(&p->sm);
	owg_arena_init(&p->a);
	FILE *out = open_memstream(&p->diags, &p->dlen);
	owg_diag *d = owg_diag_new(&p->sm, out);
	uint32_t id = owg_src_add(&p->sm, "t.json", text, len);
	const owg_source *src = owg_src_get(&p->sm, id);
	p->v = owg_json_parse(src->text, src->len, id, &p->a, d);
	owg_diag_free(d);
	fclose(out);
}

static void parse(parsed *p, const char *text)
{
	parse_n(p, text, strlen(text));
}

static void parsed_free(parsed *p)
{
	free(p->diags);
	owg_arena_free(&p->a);
	owg_src_free(&p->sm);
}

/* text must be refused with exactly this first line of diagnostics. */
static void refused(const char *text, const char *first_line)
{
	parsed p;
	parse(&p, text);
	ck_assert_msg(p.v == NULL, "accepted: %s", text);
	size_t n = strcspn(p.diags, "\n");
	ck_assert_msg(strlen(first_line) == n && !strncmp(p.diags, first_line, n), "for %s\nwanted: %s\ngot:    %.*s",
		      text, first_line, (int)n, p.diags);
	parsed_free(&p);
}

static double num(const char *text)
{
	parsed p;
	parse(&p, text);
	ck_assert_msg(p.v && p.v->kind == OWG_JSON_NUMBER, "not a number: %s (%s)", text, p.diags);
	double x = p.v->u.num;
	parsed_free(&p);
	return x;
}

/* ---- JSON: valid texts ---- */

START_TEST(test_json_values)
{
	parsed p;
	parse(&p, " \t\r\n{\"b\": [true, false, null, -1.5e2, \"s\"], \"a\": {}, \"c\": [], \"\": 0}\n");
	ck_assert_ptr_nonnull(p.v);
	ck_assert_int_eq(p.v->kind, OWG_JSON_OBJECT);
	ck_assert_int_eq(p.v->u.obj.n, 4);
	/* members in the order of the text */
	ck_assert_str_eq(p.v->u.obj.v[0].key, "b");
	ck_assert_str_eq(p.v->u.obj.v[1].key, "a");
	ck_assert_str_eq(p.v->u.obj.v[2].key, "c");
	ck_assert_str_eq(p.v->u.obj.v[3].key, "");
	const owg_json *b = owg_json_get(p.v, "b");
	ck_assert_int_eq(b->kind, OWG_JSON_ARRAY);
	ck_assert_int_eq(b->u.arr.n, 5);
	ck_assert_int_eq(b->u.arr.v[0]->kind, OWG_JSON_BOOL);
	ck_assert(b->u.arr.v[0]->u.b);
	ck_assert(!b->u.arr.v[1]->u.b);
	ck_assert_int_eq(b->u.arr.v[2]->kind, OWG_JSON_NULL);
	ck_assert(b->u.arr.v[3]->u.num == -150);
	ck_assert_str_eq(b->u.arr.v[4]->u.str.s, "s");
	ck_assert_int_eq(owg_json_get(p.v, "a")->u.obj.n, 0);
	ck_assert_int_eq(owg_json_get(p.v, "c")->u.arr.n, 0);
	ck_assert_ptr_nonnull(owg_json_get(p.v, ""));
	ck_assert_ptr_null(owg_json_get(p.v, "d"));
	ck_assert_ptr_null(owg_json_get(b, "b")); /* not an object */
	/* locations are byte spans: the array from '[' to ']' */
	ck_assert_uint_eq(b->loc.begin, 10);
	ck_assert_uint_eq(b->loc.end, 42);
	ck_assert_uint_eq(owg_json_member_get(p.v, "b")->key_loc.begin, 5);
	ck_assert_uint_eq(owg_json_member_get(p.v, "b")->key_loc.end, 8);
	ck_assert_uint_eq(owg_json_head(b).end, 11);
	ck_assert_str_eq(p.diags, "");
	parsed_free(&p);

	/* scalars at the top level; a byte-order mark is skipped */
	parse(&p, "\xef\xbb\xbf \"x\"");
	ck_assert(p.v && p.v->kind == OWG_JSON_STRING);
	ck_assert_uint_eq(p.v->loc.begin, 4);
	parsed_free(&p);
	ck_assert_str_eq(owg_json_kind_name(OWG_JSON_OBJECT), "an object");
	ck_assert_str_eq(owg_json_kind_name(OWG_JSON_NUMBER), "a number");
}
END_TEST

START_TEST(test_json_strings)
{
	parsed p;
	parse(&p, "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00 \\u0000z \xc3\xa9\"");
	ck_assert_ptr_nonnull(p.v);
	static const char want[] = "q\" b\\ s/ \b\f\n\r\t \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80 \0z \xc3\xa9";
	ck_assert_uint_eq(p.v->u.str.len, sizeof want - 1);
	ck_assert(!memcmp(p.v->u.str.s, want, sizeof want));
	parsed_free(&p);
	/* the highest code point, as a pair */
	parse(&p, "\"\\udbff\\udfff\"");
	ck_assert(p.v && !strcmp(p.v->u.str.s, "\xf4\x8f\xbf\xbf"));
	parsed_free(&p);
	/* a NUL in a key: found only by its length */
	parse(&p, "{\"a\\u0000b\": 1}");
	ck_assert(p.v && p.v->u.obj.v[0].keylen == 3);
	ck_assert_ptr_null(owg_json_get(p.v, "a"));
	parsed_free(&p);
}
END_TEST

START_TEST(test_json_numbers)
{
	/* strtod on the checked span: the correctly rounded double */
	ck_assert(num("0.1") == 0.1);
	ck_assert(num("0") == 0 && !signbit(num("0")));
	ck_assert(num("-0") == 0 && signbit(num("-0")));
	ck_assert(num("100.376") == 100.376);
	ck_assert(num("1E3") == 1000);
	ck_assert(num("2e+2") == 200 && num("2e-2") == 0.02);
	ck_assert(num("9007199254740993") == 9007199254740992.0); /* ties to even */
	ck_assert(num("1.7976931348623157e308") == 1.7976931348623157e308);
	ck_assert(num("4.9e-324") == 4.9e-324);
	ck_assert(num("1e-400") == 0); /* too small: 0, not an error */
	char digits[200];
	memset(digits, '9', sizeof digits - 1);
	digits[sizeof digits - 1] = '\0';
	ck_assert(num(digits) == 1e199);
}
END_TEST

/* ---- JSON: refusals, with their exact text and position ---- */

START_TEST(test_json_errors)
{
	refused("", "t.json:1:1: error: expected a JSON value, found the end of the file");
	refused("  \n ", "t.json:2:2: error: expected a JSON value, found the end of the file");
	refused("[1, 2,]", "t.json:1:6: error: trailing comma before ']' (not allowed in JSON)");
	refused("{\"a\": 1,}", "t.json:1:8: error: trailing comma before '}' (not allowed in JSON)");
	refused("{\"a\": 01}", "t.json:1:7: error: leading zeros are not allowed in JSON numbers");
	refused("-", "t.json:1:1: error: expected a digit after '-'");
	refused("1.", "t.json:1:1: error: expected a digit after the decimal point");
	refused("1e+", "t.json:1:1: error: expected a digit in the exponent");
	refused(".5", "t.json:1:1: error: expected a JSON value, found '.'");
	refused("+1", "t.json:1:1: error: expected a JSON value, found '+'");
	refused("[1e999]", "t.json:1:2: error: number '1e999' is out of the range of a double");
	refused("NaN", "t.json:1:1: error: unknown literal 'NaN' (JSON has true, false and null)");
	refused("[Infinity]", "t.json:1:2: error: unknown literal 'Infinity' (JSON has true, false and null)");
	refused("True", "t.json:1:1: error: unknown literal 'True'; did you mean 'true'?");
	refused("nul", "t.json:1:1: error: unknown literal 'nul'; did you mean 'null'?");
	refused("'a'", "t.json:1:1: error: expected a JSON value, found '''; JSON strings take double quotes");
	refused("{a: 1}", "t.json:1:2: error: expected a string key or '}', found 'a'");
	refused("{\"a\" 1}", "t.json:1:6: error: expected ':' after the key, found '1'");
	refused("{\"a\": 1 \"b\": 2}", "t.json:1:9: error: expected ',' or '}' after an object member, found '\"'");
	refused("[1 2]", "t.json:1:4: error: expected ',' or ']' after an array element, found '2'");
	refused("{} {}", "t.json:1:4: error: unexpected '{' after the JSON value");
	refused("1 // no comments", "t.json:1:3: error: unexpected '/' after the JSON value");
	refused("\"abc", "t.json:1:1: error: unterminated string");
	refused("\"a\\", "t.json:1:1: error: unterminated string");
	refused("[\"a\nb\"]", "t.json:1:4: error: unescaped control character 0x0a in a string");
	refused("\"\\x41\"", "t.json:1:2: error: invalid escape '\\x' (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)");
	refused("\"\\u12G4\"", "t.json:1:2: error: invalid \\u escape: expected 4 hex digits");
	refused("\"\\u12\"", "t.json:1:2: error: invalid \\u escape: expected 4 hex digits");
	refused("\"x\\ud83d\"",
		"t.json:1:3: error: unpaired high surrogate \\ud83d (a low surrogate \\udc00 to \\udfff must follow it)");
	refused("\"\\ud83d\\u0041\"",
		"t.json:1:2: error: unpaired high surrogate \\ud83d (a low surrogate \\udc00 to \\udfff must follow it)");
	refused("\"\\ude00\"",
		"t.json:1:2: error: unpaired low surrogate \\ude00 (it must follow a high surrogate \\ud800 to \\udbff)");
	refused("\"\xff\"", "t.json:1:2: error: invalid UTF-8 byte 0xff in a string");
	refused("\"\xc0\xaf\"", "t.json:1:2: error: invalid UTF-8 byte 0xc0 in a string"); /* overlong '/' */
	refused("\"\xed\xa0\x80\"", "t.json:1:2: error: invalid UTF-8 byte 0xed in a string"); /* a surrogate */
	refused("\xff", "t.json:1:1: error: expected a JSON value, found invalid UTF-8 byte 0xff");
	refused("\x01", "t.json:1:1: error: expected a JSON value, found control character 0x01");
	refused("\xc3\xa9", "t.json:1:1: error: expected a JSON value, found '\xc3\xa9'");
	refused("[\n  1,\n  {\"k\": [tru]}]", "t.json:3:10: error: unknown literal 'tru'; did you mean 'true'?");

	/* an embedded NUL byte: parse_n, since the text holds one */
	parsed p;
	parse_n(&p, "[1,\0]", 5);
	ck_assert_ptr_null(p.v);
	ck_assert(strstr(p.diags, "t.json:1:4: error: expected a JSON value, found a NUL byte") == p.diags);
	parsed_free(&p);
}
END_TEST

/* Errors at the end of the file point at the bracket still open. */
START_TEST(test_json_eof_note)
{
	parsed p;
	parse(&p, "{\"a\": [1,\n");
	ck_assert_ptr_null(p.v);
	ck_assert_str_eq(p.diags, "t.json:2:1: error: expected a JSON value, found the end of the file\n"
				  "    2 | \n"
				  "      | ^\n"
				  "t.json:1:7: note: to close the '[' opened here\n"
				  "    1 | {\"a\": [1,\n"
				  "      |       ^\n");
	parsed_free(&p);
}
END_TEST

START_TEST(test_json_duplicates)
{
	parsed p;
	parse(&p, "{\"id\": 1, \"x\": 2, \"id\": 3}");
	ck_assert_ptr_null(p.v);
	ck_assert_str_eq(p.diags, "t.json:1:19: error: duplicate key 'id' in an object\n"
				  "    1 | {\"id\": 1, \"x\": 2, \"id\": 3}\n"
				  "      |                   ^~~~\n"
				  "t.json:1:2: note: 'id' first appears here\n"
				  "    1 | {\"id\": 1, \"x\": 2, \"id\": 3}\n"
				  "      |  ^~~~\n");
	parsed_free(&p);
	/* large objects look duplicates up in a hash set; keys that only
	 * differ after a NUL are different */
	char text[8192];
	size_t n = 0;
	n += (size_t)snprintf(text + n, sizeof text - n, "{");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "\"k%d\": %d, ", i, i);
	n += (size_t)snprintf(text + n, sizeof text - n, "\"k\\u0000\": 0, \"k\": 0}");
	parse(&p, text);
	ck_assert_ptr_nonnull(p.v);
	ck_assert_int_eq(p.v->u.obj.n, 302);
	ck_assert(owg_json_get(p.v, "k299")->u.num == 299);
	parsed_free(&p);
	snprintf(text + n - 1, sizeof text - n + 1, ", \"k150\": 1}");
	parse(&p, text);
	ck_assert_ptr_null(p.v);
	ck_assert(strstr(p.diags, "error: duplicate key 'k150' in an object") != NULL);
	ck_assert(strstr(p.diags, "note: 'k150' first appears here") != NULL);
	parsed_free(&p);
}
END_TEST

START_TEST(test_json_depth)
{
	/* 256 levels are fine, 257 are not; a million are refused at once,
	 * without using the stack for them */
	size_t big = 1000000;
	char *text = malloc(2 * big + 1);
	for (size_t depth = OWG_JSON_MAX_DEPTH; depth <= OWG_JSON_MAX_DEPTH + 1; depth++) {
		memset(text, '[', depth);
		memset(text + depth, ']', depth);
		text[2 * depth] = '\0';
		parsed p;
		parse(&p, text);
		if (depth == OWG_JSON_MAX_DEPTH) {
			ck_assert_ptr_nonnull(p.v);
		} else {
			ck_assert_ptr_null(p.v);
			ck_assert(strstr(p.diags, "t.json:1:257: error: nesting too deep: more than 256 levels of arrays and "
						  "objects") == p.diags);
		}
		parsed_free(&p);
	}
	for (size_t i = 0; i < big / 5; i++)
		memcpy(text + 5 * i, "{\"a\":", 5);
	parsed p;
	parse_n(&p, text, big);
	ck_assert_ptr_null(p.v);
	ck_assert(strstr(p.diags, "nesting too deep") != NULL);
	parsed_free(&p);
	free(text);
}
END_TEST

START_TEST(test_json_display)
{
	owg_arena a;
	owg_arena_init(&a);
	ck_assert_str_eq(owg_json_display(&a, "a\nb\tc\x01\x7f", 7, 64), "a\\nb\\tc\\u0001\\u007f");
	ck_assert_str_eq(owg_json_display(&a, "x\0y", 3, 64), "x\\u0000y");
	ck_assert_str_eq(owg_json_display(&a, "\xc2\x85!", 3, 64), "\\u0085!");
	ck_assert_str_eq(owg_json_display(&a, "abcdef", 6, 3), "abc...");
	/* cut at a character boundary */
	ck_assert_str_eq(owg_json_display(&a, "ab\xc3\xa9z", 5, 3), "ab...");
	ck_assert_str_eq(owg_json_display(&a, "ab\xc3\xa9z", 5, 4), "ab\xc3\xa9...");
	owg_arena_free(&a);
}
END_TEST

/* ---- importer helpers ---- */

typedef struct imported {
	bool ok;
	char *out, *diags;
} imported;

/* Imports texts[0..n) as a.json, b.json, ... */
static imported import_texts(const char *const *texts, size_t n)
{
	imported r = {0};
	size_t olen = 0, dlen = 0;
	FILE *out = open_memstream(&r.out, &olen);
	FILE *dout = open_memstream(&r.diags, &dlen);
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, dout);
	uint32_t ids[8];
	ck_assert_uint_le(n, 8);
	for (size_t k = 0; k < n; k++) {
		char name[16];
		snprintf(name, sizeof name, "%c.json", (char)('a' + k));
		ids[k] = owg_src_add(&sm, name, texts[k], strlen(texts[k]));
	}
	r.ok = owg_wfc_import(&sm, d, ids, n, out);
	ck_assert(r.ok == (owg_diag_errors(d) == 0));
	owg_diag_free(d);
	owg_src_free(&sm);
	fclose(out);
	fclose(dout);
	if (!r.ok)
		ck_assert_str_eq(r.out, ""); /* nothing written */
	return r;
}

static imported import1(const char *text)
{
	return import_texts(&text, 1);
}

static void imported_free(imported *r)
{
	free(r->out);
	free(r->diags);
}

/* The output must compile without errors (and, with -Wall, warn only
 * about unsized flows and tasks without flows). */
static compiled compiles(const char *src)
{
	compiled c = compile_src(src, NULL);
	ck_assert_msg(c.g != NULL && c.errors == 0, "the imported source does not compile:\n%s\n%s", c.diags, src);
	return c;
}

/* tiny with the first occurrence of `from` replaced by `to` (malloc'd). */
static char *with(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "'%s' not in the trace", from);
	size_t n = strlen(text) - strlen(from) + strlen(to);
	char *s = malloc(n + 1);
	size_t pre = (size_t)(at - text);
	memcpy(s, text, pre);
	strcpy(s + pre, to);
	strcat(s, at + strlen(from));
	return s;
}

/* text must be refused; the first error's message (after "error: ") is
 * `msg` exactly, and its location starts with `where`. */
static void import_refused(const char *const *texts, size_t n, const char *where, const char *msg)
{
	imported r = import_texts(texts, n);
	ck_assert_msg(!r.ok, "accepted, wanted: %s", msg);
	const char *e = strstr(r.diags, ": error: ");
	ck_assert_msg(e != NULL, "no error: %s", r.diags);
	size_t wl = strlen(where);
	ck_assert_msg(!strncmp(r.diags, where, wl) && r.diags[wl] == ':', "wanted at %s, got:\n%s", where, r.diags);
	e += 9;
	size_t len = strcspn(e, "\n");
	ck_assert_msg(strlen(msg) == len && !strncmp(e, msg, len), "wanted: %s\ngot:    %.*s", msg, (int)len, e);
	imported_free(&r);
}

static void refused1(const char *text, const char *where, const char *msg)
{
	import_refused(&text, 1, where, msg);
}

/* Three tasks: a -> b carries f1, a -> c f1 and f2, b -> c nothing. */
static const char tiny[] =
	"{\"name\": \"tiny\", \"schemaVersion\": \"1.5\",\n"
	" \"workflow\": {\n"
	"  \"specification\": {\n"
	"   \"tasks\": [\n"
	"    {\"name\": \"a\", \"id\": \"a\", \"parents\": [], \"children\": [\"b\", \"c\"], \"outputFiles\": [\"f1\", \"f2\"]},\n"
	"    {\"name\": \"b\", \"id\": \"b\", \"parents\": [\"a\"], \"inputFiles\": [\"f1\"]},\n"
	"    {\"name\": \"c\", \"id\": \"c\", \"parents\": [\"a\", \"b\"], \"inputFiles\": [\"f1\", \"f2\"]}],\n"
	"   \"files\": [{\"id\": \"f1\", \"sizeInBytes\": 1024}, {\"id\": \"f2\", \"sizeInBytes\": 10}]},\n"
	"  \"execution\": {\"makespanInSeconds\": 3, \"tasks\": [\n"
	"   {\"id\": \"a\", \"runtimeInSeconds\": 0.5},\n"
	"   {\"id\": \"b\", \"runtimeInSeconds\": 1.25},\n"
	"   {\"id\": \"c\", \"runtimeInSeconds\": 0.002}]}}}\n";

static const char tiny_header[] =
	"// Imported by owgc --import=wfcommons from a WfCommons trace of workflow\n"
	"// 'tiny':\n"
	"//   a.json: WfFormat 1.5, observed makespan 3s\n"
	"// 3 tasks, 3 dependencies (1 without a file).\n"
	"//\n"
	"// WfCommons tasks are CPU jobs, each run on one machine: here each is a\n"
	"// general task on one PEA, whose time is the runtime the trace measured.\n"
	"// A flow carries the sizes of the parent's output files that the child\n"
	"// reads; a dependency without a file only orders its tasks (no size).\n";

/* ---- importer: output ---- */

START_TEST(test_import_tiny)
{
	imported r = import1(tiny);
	ck_assert_msg(r.ok, "%s", r.diags);
	ck_assert_str_eq(r.diags, "");
	char want[4096];
	snprintf(want, sizeof want,
		 "%s"
		 "workflow tiny {\n"
		 "  task a : general { peas 1; time 500ms; }  // a\n"
		 "  task b : general { peas 1; time 1.25s; }  // b\n"
		 "  task c : general { peas 1; time 2ms; }    // c\n"
		 "\n"
		 "  a -> b : 1KiB;\n"
		 "  a -> c : 1034B;\n"
		 "  b -> c;  // no file: orders the tasks only\n"
		 "}\n",
		 tiny_header);
	ck_assert_str_eq(r.out, want);
	compiled c = compiles(r.out);
	ck_assert_uint_eq(c.g->nodes.n, 4);
	ck_assert_uint_eq(c.g->flows.n, 3);
	ck_assert(owg_dist_mean(&node_named(c.g, "b")->time) == 1.25);
	compiled_free(&c);
	/* the same input, the same bytes */
	imported again = import1(tiny);
	ck_assert_str_eq(again.out, r.out);
	imported_free(&again);
	imported_free(&r);
}
END_TEST

/* Several runs: empirical times in the order of the files, mean sizes
 * with their range. */
START_TEST(test_import_runs)
{
	char *b = with(tiny, "\"runtimeInSeconds\": 0.5", "\"runtimeInSeconds\": 0.7");
	char *b2 = with(b, "\"sizeInBytes\": 10}", "\"sizeInBytes\": 20}");
	char *b3 = with(b2, "\"makespanInSeconds\": 3", "\"makespanInSeconds\": 3.5");
	/* the same workflow with its tasks in another order */
	char *c = with(tiny, "    {\"name\": \"b\", \"id\": \"b\", \"parents\": [\"a\"], \"inputFiles\": [\"f1\"]},\n", "");
	char *c2 = with(c, "[\"f1\", \"f2\"]}],\n", "[\"f1\", \"f2\"]},\n"
					       "    {\"name\": \"b\", \"id\": \"b\", \"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}],\n");
	char *c3 = with(c2, "\"id\": \"c\", \"runtimeInSeconds\": 0.002", "\"id\": \"c\", \"runtimeInSeconds\": 0.004");
	const char *texts[] = {tiny, b3, c3};
	imported r = import_texts(texts, 3);
	ck_assert_msg(r.ok, "%s", r.diags);
	ck_assert_str_eq(r.out,
			 "// Imported by owgc --import=wfcommons from 3 WfCommons traces of workflow\n"
			 "// 'tiny':\n"
			 "//   a.json: WfFormat 1.5, observed makespan 3s\n"
			 "//   b.json: WfFormat 1.5, observed makespan 3.5s\n"
			 "//   c.json: WfFormat 1.5, observed makespan 3s\n"
			 "// 3 tasks, 3 dependencies (1 without a file).\n"
			 "//\n"
			 "// WfCommons tasks are CPU jobs, each run on one machine: here each is a\n"
			 "// general task on one PEA, whose time is empirical(...) of the runtimes\n"
			 "// the traces measured, in the order of the traces above.  A flow carries\n"
			 "// the mean over the traces of the sizes of the parent's output files that\n"
			 "// the child reads (their range in a comment when they differ); a\n"
			 "// dependency without a file only orders its tasks (no size).\n"
			 "workflow tiny {\n"
			 "  task a : general { peas 1; time empirical(500ms, 700ms, 500ms); }  // a\n"
			 "  task b : general { peas 1; time empirical(1.25s, 1.25s, 1.25s); }  // b\n"
			 "  task c : general { peas 1; time empirical(2ms, 2ms, 4ms); }        // c\n"
			 "\n"
			 "  a -> b : 1KiB;\n"
			 "  a -> c : 1037.3333333333333B;  // 1034B to 1044B\n"
			 "  b -> c;  // no file: orders the tasks only\n"
			 "}\n");
	compiled cc = compiles(r.out);
	ck_assert(fabs(owg_dist_mean(&node_named(cc.g, "a")->time) - 1.7 / 3) < 1e-15);
	compiled_free(&cc);
	imported_free(&r);
	free(b), free(b2), free(b3), free(c), free(c2), free(c3);
}
END_TEST

/* Names: invalid characters, leading digits, keywords, 'entry', long
 * names, collisions; the original in a comment with avgCPU and cores. */
START_TEST(test_import_names)
{
	static const char text[] =
		"{\"name\": \"1000genome-2020.json\", \"schemaVersion\": \"1.6\",\n"
		" \"runtimeSystem\": {\"name\": \"Makeflow\", \"version\": \"7\"},\n"
		" \"workflow\": {\"specification\": {\"files\": [], \"tasks\": [\n"
		"  {\"name\": \"x\", \"id\": \"a-b\", \"parents\": []},\n"
		"  {\"name\": \"a.b\", \"id\": \"a.b\", \"parents\": []},\n"
		"  {\"name\": \"a_b\", \"id\": \"a_b\", \"parents\": []},\n"
		"  {\"name\": \"in\", \"id\": \"in\", \"parents\": []},\n"
		"  {\"name\": \"entry\", \"id\": \"entry\", \"parents\": []},\n"
		"  {\"name\": \"9lives\", \"id\": \"9lives\", \"parents\": []},\n"
		"  {\"name\": \"caf\\u00e9 \\u2603\", \"id\": \"caf\\u00e9 \\u2603\", \"parents\": []},\n"
		"  {\"name\": \"new\\nline\", \"id\": \"-\", \"parents\": []},\n"
		"  {\"name\": \"a_b_2\", \"id\": \"a_b_2\", \"parents\": []}]},\n"
		" \"execution\": {\"tasks\": [{\"id\": \"a-b\", \"runtimeInSeconds\": 1, \"avgCPU\": 12.5, \"coreCount\": 2}]}}}\n";
	imported r = import1(text);
	ck_assert_msg(r.ok, "%s", r.diags);
	const char *body = strstr(r.out, "workflow _1000genome_2020 {\n");
	ck_assert_msg(body != NULL, "%s", r.out);
	ck_assert_str_eq(body, "workflow _1000genome_2020 {\n"
			       "  task a_b : general { peas 1; time 1s; }      // x (id a-b); avgCPU 12.5%; coreCount 2\n"
			       "  task a_b_2 : general { peas 1; time 0s; }    // a.b; no execution record: 0s assumed\n"
			       "  task a_b_3 : general { peas 1; time 0s; }    // a_b; no execution record: 0s assumed\n"
			       "  task in_ : general { peas 1; time 0s; }      // in; no execution record: 0s assumed\n"
			       "  task entry_ : general { peas 1; time 0s; }   // entry; no execution record: 0s assumed\n"
			       "  task _9lives : general { peas 1; time 0s; }  // 9lives; no execution record: 0s assumed\n"
			       "  task caf___ : general { peas 1; time 0s; }   // caf\xc3\xa9 \xe2\x98\x83; no execution record: 0s assumed\n"
			       "  task _ : general { peas 1; time 0s; }        // new\\nline (id -); no execution record: 0s assumed\n"
			       "  task a_b_2_2 : general { peas 1; time 0s; }  // a_b_2; no execution record: 0s assumed\n"
			       "}\n");
	ck_assert(strstr(r.out, "//   a.json: WfFormat 1.6, Makeflow 7, no makespan recorded\n") != NULL);
	ck_assert(strstr(r.out, "// avgCPU (% of one core) and coreCount, where recorded, are kept in comments.\n"));
	ck_assert(strstr(r.diags, "a.json:5:25: note: 8 tasks have no execution record (the first is 'a.b'): assumed to "
				  "take 0s\n") == r.diags);
	compiled c = compiles(r.out);
	compiled_free(&c);
	imported_free(&r);

	/* long names are cut at 128 bytes, then numbered */
	char longname[400], buf[2048];
	memset(longname, 'n', 300);
	longname[300] = '\0';
	snprintf(buf, sizeof buf,
		 "{\"name\": \"w\", \"schemaVersion\": \"1.5\", \"workflow\": {\"specification\": {\"files\": [], \"tasks\": ["
		 "{\"name\": \"n\", \"id\": \"%s\", \"parents\": []}, {\"name\": \"n\", \"id\": \"%sm\", \"parents\": []}]}}}",
		 longname, longname);
	r = import1(buf);
	ck_assert_msg(r.ok, "%s", r.diags);
	char want[200];
	snprintf(want, sizeof want, "  task %.128s : general", longname);
	ck_assert(strstr(r.out, want) != NULL);
	snprintf(want, sizeof want, "  task %.128s_2 : general", longname);
	ck_assert(strstr(r.out, want) != NULL);
	ck_assert(strstr(r.diags, "'a.json' has no workflow.execution: every task is assumed to take 0s") != NULL);
	c = compiles(r.out);
	compiled_free(&c);
	imported_free(&r);
}
END_TEST

/* Missing optional data: said in notes, and in the output. */
START_TEST(test_import_assumptions)
{
	char *t = with(tiny, "{\"id\": \"f2\", \"sizeInBytes\": 10}", "{\"id\": \"f2\"}");
	char *t2 = with(t, "   {\"id\": \"b\", \"runtimeInSeconds\": 1.25},\n", "");
	imported r = import1(t2);
	ck_assert_msg(r.ok, "%s", r.diags);
	ck_assert(strstr(r.out, "  a -> c : 1KiB;\n") != NULL);
	ck_assert(strstr(r.out, "  task b : general { peas 1; time 0s; }     // b; no execution record: 0s assumed\n"));
	ck_assert_str_eq(r.diags,
			 "a.json:6:25: note: 1 task has no execution record (the first is 'b'): assumed to take 0s\n"
			 "    6 |     {\"name\": \"b\", \"id\": \"b\", \"parents\": [\"a\"], \"inputFiles\": [\"f1\"]},\n"
			 "      |                         ^~~\n"
			 "a.json:8:56: note: 1 file carried between tasks in 'a.json' has no sizeInBytes (the first is "
			 "'f2'): counted as 0 bytes\n"
			 "    8 |    \"files\": [{\"id\": \"f1\", \"sizeInBytes\": 1024}, {\"id\": \"f2\"}]},\n"
			 "      |                                                        ^~~~\n");
	imported_free(&r);
	/* several traces: a task's time comes from the traces that ran it */
	const char *texts[] = {tiny, t2};
	r = import_texts(texts, 2);
	ck_assert_msg(r.ok, "%s", r.diags);
	ck_assert(strstr(r.out, "  task b : general { peas 1; time empirical(1.25s); }         // b; runs in 1 of 2 traces\n"));
	ck_assert(strstr(r.out, "  a -> c : 1029B;  // 1KiB to 1034B\n"));
	ck_assert(strstr(r.diags, "a.json:6:25: note: 1 task has execution records in only some of the traces (the first is "
				  "'b'): its times are the runtimes recorded\n"));
	compiled c = compiles(r.out);
	compiled_free(&c);
	imported_free(&r);
	free(t);
	free(t2);
}
END_TEST

/* ---- importer: refusals ---- */

START_TEST(test_import_errors)
{
	refused1("[]", "a.json:1:1", "a WfCommons instance is a JSON object, not an array");
	refused1("{\"a\": 1}", "a.json:1:1", "the top-level object has no 'schemaVersion': is this a WfCommons instance?");
	refused1("{\"a\": 1", "a.json:1:8", "expected ',' or '}' after an object member, found the end of the file");

	struct {
		const char *from, *to, *where, *msg;
	} cases[] = {
		{"\"schemaVersion\": \"1.5\"", "\"schemaVersion\": \"1.4\"", "a.json:1:35",
		 "WfFormat schema version '1.4' is not supported (owgc reads 1.5, and 1.6 which extends it)"},
		{"\"schemaVersion\": \"1.5\"", "\"schemaVersion\": 1.5", "a.json:1:35",
		 "'schemaVersion' must be a string, not a number"},
		{"\"specification\"", "\"spec\"", "a.json:2:14", "workflow has no 'specification'"},
		{"\"tasks\": [\n    {", "\"tasks\": 7, \"x\": [\n    {", "a.json:4:13",
		 "'workflow.specification.tasks' must be an array, not a number"},
		{"{\"name\": \"b\", \"id\": \"b\",", "{\"name\": \"b\",", "a.json:6:5",
		 "workflow.specification.tasks[1] has no 'id'"},
		{"\"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}", "\"parents\": \"a\", \"inputFiles\": [\"f1\"]}",
		 "a.json:6:41", "'workflow.specification.tasks[1].parents' must be an array, not a string"},
		{"\"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}", "\"parents\": [1], \"inputFiles\": [\"f1\"]}",
		 "a.json:6:42", "'workflow.specification.tasks[1].parents[0]' must be a string, not a number"},
		{"\"id\": \"b\", \"parents\": [\"a\"]", "\"id\": \"a\", \"parents\": [\"a\"]", "a.json:6:25",
		 "duplicate task id 'a'"},
		{"\"id\": \"b\", \"parents\": [\"a\"]", "\"id\": \"\", \"parents\": [\"a\"]", "a.json:6:25",
		 "a task id is empty"},
		{"\"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}", "\"parents\": [\"z\"], \"inputFiles\": [\"f1\"]}",
		 "a.json:6:42", "task 'b' has parent 'z', which is not a task of this workflow; did you mean 'a'?"},
		{"\"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}", "\"parents\": [\"zzz\"], \"inputFiles\": [\"f1\"]}",
		 "a.json:6:42", "task 'b' has parent 'zzz', which is not a task of this workflow"},
		{"\"parents\": [\"a\"], \"inputFiles\": [\"f1\"]}", "\"parents\": [\"b\"], \"inputFiles\": [\"f1\"]}",
		 "a.json:6:42", "task 'b' lists itself as a parent"},
		{"\"children\": [\"b\", \"c\"]", "\"children\": [\"b\"]", "a.json:7:42",
		 "task 'c' lists 'a' as a parent, but 'a' does not list 'c' as a child"},
		{"\"children\": [\"b\", \"c\"]", "\"children\": [\"b\", \"c\", \"a\"]", "a.json:5:68",
		 "task 'a' lists 'a' as a child, but 'a' does not list 'a' as a parent"},
		{"\"children\": [\"b\", \"c\"]", "\"children\": [\"b\", \"q\"]", "a.json:5:63",
		 "task 'a' has child 'q', which is not a task of this workflow; did you mean 'a'?"},
		{"\"inputFiles\": [\"f1\"]}", "\"inputFiles\": [\"f9\"]}", "a.json:6:63",
		 "task 'b' reads file 'f9', which is not in workflow.specification.files"},
		{"\"sizeInBytes\": 10}", "\"sizeInBytes\": -10}", "a.json:8:77",
		 "the size of file 'f2' must be a whole number of bytes from 0 to 2^53, not -10"},
		{"\"sizeInBytes\": 10}", "\"sizeInBytes\": 10.5}", "a.json:8:77",
		 "the size of file 'f2' must be a whole number of bytes from 0 to 2^53, not 10.5"},
		{"\"sizeInBytes\": 10}", "\"sizeInBytes\": 1e300}", "a.json:8:77",
		 "the size of file 'f2' must be a whole number of bytes from 0 to 2^53, not 1e300"},
		{"{\"id\": \"f2\", \"sizeInBytes\": 10}", "{\"id\": \"f1\", \"sizeInBytes\": 10}", "a.json:8:56",
		 "duplicate file id 'f1'"},
		{"\"runtimeInSeconds\": 1.25", "\"runtimeInSeconds\": -1.25", "a.json:11:36",
		 "the runtime of task 'b' is negative: -1.25"},
		{"\"runtimeInSeconds\": 1.25", "\"runtimeInSeconds\": 1e10", "a.json:11:36",
		 "the runtime of task 'b' is 1e10 s: more than 10^9 s (31 years) is not a plausible runtime"},
		{"\"runtimeInSeconds\": 1.25", "\"runtimeInSeconds\": \"1.25\"", "a.json:11:36",
		 "'workflow.execution.tasks[1].runtimeInSeconds' must be a number, not a string"},
		{"\"runtimeInSeconds\": 1.25", "\"runtime\": 1.25", "a.json:11:4",
		 "workflow.execution.tasks[1] has no 'runtimeInSeconds'"},
		{"{\"id\": \"b\", \"runtimeInSeconds\"", "{\"id\": \"q\", \"runtimeInSeconds\"", "a.json:11:11",
		 "execution record of 'q', which is not a task of workflow.specification.tasks"},
		{"{\"id\": \"b\", \"runtimeInSeconds\"", "{\"id\": \"a\", \"runtimeInSeconds\"", "a.json:11:11",
		 "a second execution record of task 'a'"},
		{"\"makespanInSeconds\": 3", "\"makespanInSeconds\": -3", "a.json:9:38",
		 "'workflow.execution.makespanInSeconds' must not be negative, not -3"},
		{"\"tasks\": [\n    {\"name\": \"a\"", "\"tasks\": [],\n\"x\": [\n    {\"name\": \"a\"", "a.json:4:13",
		 "'workflow.specification.tasks' is empty: there is no task to import"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char *t = with(tiny, cases[k].from, cases[k].to);
		refused1(t, cases[k].where, cases[k].msg);
		free(t);
	}
}
END_TEST

START_TEST(test_import_cycle)
{
	char *t = with(tiny, "\"id\": \"a\", \"parents\": []", "\"id\": \"a\", \"parents\": [\"c\"]");
	char *t2 = with(t, "\"children\": [\"b\", \"c\"]", "\"children\": [\"b\", \"c\", \"b\"]");
	refused1(t2, "a.json:5:25", "the dependencies form a cycle: 'a' -> 'c' -> 'a'");
	free(t);
	free(t2);
	/* a long cycle is shown in part */
	char buf[16384];
	size_t n = (size_t)snprintf(buf, sizeof buf,
				    "{\"name\": \"w\", \"schemaVersion\": \"1.5\", \"workflow\": {\"specification\": {\"files\": [], \"tasks\": [");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s{\"name\": \"t\", \"id\": \"t%d\", \"parents\": [\"t%d\"]}",
				      i ? "," : "", i, (i + 19) % 20);
	snprintf(buf + n, sizeof buf - n, "]}}}");
	refused1(buf, "a.json:1:113",
		 "the dependencies form a cycle: 't0' -> 't1' -> 't2' -> 't3' -> 't4' -> 't5' -> 't6' -> 't7' -> ... (20 "
		 "tasks)");
}
END_TEST

START_TEST(test_import_different_workflows)
{
	char *other = with(tiny, "\"name\": \"c\", \"id\": \"c\"", "\"name\": \"c\", \"id\": \"d\"");
	char *other2 = with(other, "{\"id\": \"c\", \"runtimeInSeconds\"", "{\"id\": \"d\", \"runtimeInSeconds\"");
	char *other3 = with(other2, "\"children\": [\"b\", \"c\"]", "\"children\": [\"b\", \"d\"]");
	const char *t1[] = {tiny, other3};
	import_refused(t1, 2, "b.json:4:13", "'b.json' is not a trace of the same workflow as 'a.json': it has no task 'c'");
	char *fewer = with(tiny, "\"parents\": [\"a\", \"b\"]", "\"parents\": [\"a\"]");
	const char *t2[] = {tiny, fewer};
	import_refused(t2, 2, "b.json:7:41",
		       "'b.json' is not a trace of the same workflow as 'a.json': task 'c' depends on 'b' in 'a.json' but "
		       "not in 'b.json'");
	const char *t3[] = {fewer, tiny};
	import_refused(t3, 2, "b.json:7:47",
		       "'b.json' is not a trace of the same workflow as 'a.json': task 'c' depends on 'b' in 'b.json' but "
		       "not in 'a.json'");
	char *more = with(tiny, "\"runtimeInSeconds\": 0.002}]}}}",
			  "\"runtimeInSeconds\": 0.002}]}}}");
	char *more2 = with(more, "\"inputFiles\": [\"f1\", \"f2\"]}],",
			   "\"inputFiles\": [\"f1\", \"f2\"]}, {\"name\": \"d\", \"id\": \"d\", \"parents\": []}],");
	const char *t4[] = {tiny, more2};
	import_refused(t4, 2, "b.json:4:13", "'b.json' is not a trace of the same workflow as 'a.json': it has 4 tasks, 'a.json' has 3");
	/* an error in one trace does not hide the errors of the next */
	char *bad = with(tiny, "\"sizeInBytes\": 10}", "\"sizeInBytes\": -1}");
	const char *t5[] = {bad, bad};
	imported r = import_texts(t5, 2);
	ck_assert(!r.ok);
	ck_assert(strstr(r.diags, "a.json:8:77: error:") && strstr(r.diags, "b.json:8:77: error:"));
	imported_free(&r);
	free(other), free(other2), free(other3), free(fewer), free(more), free(more2), free(bad);
}
END_TEST

/* ---- the real traces ---- */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 65536 > cap)
			buf = realloc(buf, cap = 2 * cap + 65536);
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (!got)
			break;
	}
	fclose(f);
	return buf;
}

static const owg_json *get(const owg_json *o, const char *k)
{
	const owg_json *v = owg_json_get(o, k);
	ck_assert_msg(v != NULL, "no '%s'", k);
	return v;
}

static bool has_str(const owg_json *arr, const char *s)
{
	for (uint32_t i = 0; arr && i < arr->u.arr.n; i++)
		if (!strcmp(arr->u.arr.v[i]->u.str.s, s))
			return true;
	return false;
}

/* The name the importer gives id (no collisions in these traces). */
static char *ident(const char *id)
{
	char *s = malloc(strlen(id) + 2), *o = s;
	if (*id >= '0' && *id <= '9')
		*o++ = '_';
	for (; *id; id++)
		*o++ = (*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') || (*id >= '0' && *id <= '9') ? *id : '_';
	*o = '\0';
	return s;
}

static int roundtrips;

/* Imports paths[0..n) (runs of one workflow), compiles the source and
 * compares the graph with the traces, read here on their own. */
static void roundtrip(char *const *paths, size_t n)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	char *out = NULL, *diags = NULL;
	size_t olen = 0, dlen = 0;
	FILE *of = open_memstream(&out, &olen), *df = open_memstream(&diags, &dlen);
	owg_diag *d = owg_diag_new(&sm, df);
	uint32_t ids[8];
	owg_arena a;
	owg_arena_init(&a);
	const owg_json *roots[8];
	for (size_t k = 0; k < n; k++) {
		size_t len;
		char *text = read_all(paths[k], &len);
		ids[k] = owg_src_add(&sm, paths[k], text, len);
		free(text);
		const owg_source *src = owg_src_get(&sm, ids[k]);
		roots[k] = owg_json_parse(src->text, src->len, ids[k], &a, d);
		ck_assert_msg(roots[k] != NULL, "%s does not parse", paths[k]);
	}
	bool ok = owg_wfc_import(&sm, d, ids, n, of);
	fclose(of);
	fclose(df);
	ck_assert_msg(ok, "%s: %s", paths[0], diags);
	compiled c = compile_src(out, NULL);
	ck_assert_msg(c.g && !c.errors, "%s: the imported source does not compile:\n%s", paths[0], c.diags);

	const owg_json *tasks = get(get(get(roots[0], "workflow"), "specification"), "tasks");
	uint32_t ntb = 0;
	for (size_t i = 0; i < c.g->nodes.n; i++)
		ntb += c.g->nodes.v[i].kind == OWG_NODE_TB;
	ck_assert_uint_eq(ntb, tasks->u.arr.n); /* one task per trace task */
	ck_assert_uint_eq(c.g->nodes.n, tasks->u.arr.n + 1);
	size_t ndeps = 0;
	for (uint32_t i = 0; i < tasks->u.arr.n; i++) {
		const owg_json *t = tasks->u.arr.v[i];
		const char *id = get(t, "id")->u.str.s;
		char *name = ident(id);
		const owg_node *node = node_named(c.g, name);
		ck_assert_msg(node && node->kind == OWG_NODE_TB, "%s: no task %s", paths[0], name);
		/* its mean time is its runtime, or the mean of its runtimes */
		double sum = 0;
		size_t runs = 0;
		for (size_t k = 0; k < n; k++) {
			const owg_json *rec = get(get(get(roots[k], "workflow"), "execution"), "tasks");
			for (uint32_t r = 0; r < rec->u.arr.n; r++)
				if (!strcmp(get(rec->u.arr.v[r], "id")->u.str.s, id)) {
					sum += get(rec->u.arr.v[r], "runtimeInSeconds")->u.num;
					runs++;
				}
		}
		ck_assert_uint_eq(runs, n);
		double mean = sum / (double)n, got = owg_dist_mean(&node->time);
		ck_assert_msg(fabs(got - mean) <= 1e-12 * fabs(mean), "%s: %s takes %.17g, not %.17g", paths[0], name, got,
			      mean);
		/* one flow per dependency, carrying the parent's files that it reads */
		const owg_json *parents = get(t, "parents");
		for (uint32_t p = 0; p < parents->u.arr.n; p++) {
			const char *pid = parents->u.arr.v[p]->u.str.s;
			double bytes = 0;
			for (size_t k = 0; k < n; k++) {
				const owg_json *spec = get(get(roots[k], "workflow"), "specification");
				const owg_json *ts = get(spec, "tasks"), *fs = get(spec, "files"), *tk = NULL, *pk = NULL;
				for (uint32_t j = 0; j < ts->u.arr.n; j++) {
					const char *jid = get(ts->u.arr.v[j], "id")->u.str.s;
					if (!strcmp(jid, id))
						tk = ts->u.arr.v[j];
					if (!strcmp(jid, pid))
						pk = ts->u.arr.v[j];
				}
				ck_assert(tk && pk);
				for (uint32_t f = 0; f < fs->u.arr.n; f++) {
					const char *fid = get(fs->u.arr.v[f], "id")->u.str.s;
					if (has_str(owg_json_get(pk, "outputFiles"), fid) &&
					    has_str(owg_json_get(tk, "inputFiles"), fid))
						bytes += get(fs->u.arr.v[f], "sizeInBytes")->u.num;
				}
			}
			bytes /= (double)n;
			char *pname = ident(pid);
			const owg_node *pn = node_named(c.g, pname);
			ck_assert(pn != NULL);
			const owg_flow *fl = NULL;
			for (size_t f = 0; f < c.g->flows.n; f++)
				if (c.g->flows.v[f].src == pn->id && c.g->flows.v[f].dst == node->id)
					fl = &c.g->flows.v[f];
			ck_assert_msg(fl != NULL, "%s: no flow %s -> %s", paths[0], pname, name);
			ck_assert_msg(fabs(fl->bytes - bytes) <= 1e-12 * bytes, "%s: %s -> %s carries %.17g, not %.17g",
				      paths[0], pname, name, fl->bytes, bytes);
			free(pname);
			ndeps++;
		}
		free(name);
	}
	ck_assert_uint_eq(c.g->flows.n, ndeps); /* the flows are the dependencies */
	compiled_free(&c);
	owg_diag_free(d);
	owg_arena_free(&a);
	owg_src_free(&sm);
	free(out);
	free(diags);
	roundtrips++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *dir, char ***v, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st))
			continue;
		size_t len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			collect(path, v, n);
		} else if (len > 5 && !strcmp(de->d_name + len - 5, ".json")) {
			*v = realloc(*v, (*n + 1) * sizeof **v);
			(*v)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
}

/* "dir/name-004.json" and "dir/name-001.json" are runs of one workflow. */
static bool same_runs(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb || la < 9 || strcmp(a + la - 5, ".json"))
		return false;
	const char *ra = a + la - 9, *rb = b + lb - 9; /* "-NNN.json" */
	return ra[0] == '-' && rb[0] == '-' && !strncmp(a, b, la - 9);
}

START_TEST(test_import_real_traces)
{
	/* OWG_WFCOMMONS names the folder when the build is not beside it
	 * (scripts/test.sh sets it for its copies of the tree) */
	const char *dir = getenv("OWG_WFCOMMONS") ? getenv("OWG_WFCOMMONS") : TOP_SRCDIR "/../shared/data/wfcommons";
	char **files = NULL;
	size_t n = 0;
	collect(dir, &files, &n);
	if (n == 0) {
		fprintf(stderr, "test_import_real_traces: skipped: no WfCommons traces in %s\n", dir);
		return;
	}
	qsort(files, n, sizeof *files, cmp_str);
	roundtrips = 0;
	for (size_t i = 0; i < n; i++)
		roundtrip(&files[i], 1);
	/* the repeated runs, together */
	size_t groups = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && j - i < 8 && same_runs(files[i], files[j]))
			j++;
		if (j - i > 1) {
			roundtrip(&files[i], j - i);
			groups++;
		}
		i = j;
	}
	ck_assert_int_ge(roundtrips, 19);
	ck_assert_uint_ge(groups, 2);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}
END_TEST

Suite *suite_import(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, test_json_values);
	tcase_add_test(tc, test_json_strings);
	tcase_add_test(tc, test_json_numbers);
	tcase_add_test(tc, test_json_errors);
	tcase_add_test(tc, test_json_eof_note);
	tcase_add_test(tc, test_json_duplicates);
	tcase_add_test(tc, test_json_depth);
	tcase_add_test(tc, test_json_display);
	suite_add_tcase(s, tc);
	tc = tcase_create("wfcommons");
	tcase_add_test(tc, test_import_tiny);
	tcase_add_test(tc, test_import_runs);
	tcase_add_test(tc, test_import_names);
	tcase_add_test(tc, test_import_assumptions);
	tcase_add_test(tc, test_import_errors);
	tcase_add_test(tc, test_import_cycle);
	tcase_add_test(tc, test_import_different_workflows);
	suite_add_tcase(s, tc);
	tc = tcase_create("real_traces");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_import_real_traces);
	suite_add_tcase(s, tc);
	return s;
}
