/* test_source.c - unit tests of src/source.h: in-memory and loaded files,
 * line and column lookups, CRLF, empty files, and load errors (missing
 * file, directory, over the size limit). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "unit.h"

static owg_srcmgr sm;
static char tmpdir[256];

static void setup(void)
{
	owg_src_init(&sm);
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/owg-src-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	owg_src_free(&sm);
	rmdir(tmpdir);
}

/* Writes a file in tmpdir; returns its path (static buffer). */
static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static uint32_t add(const char *text)
{
	uint32_t f = owg_src_add(&sm, "t.owg", text, strlen(text));
	ck_assert_uint_ne(f, OWG_NOFILE);
	return f;
}

#define CHECK_LC(file, off, l, c)                                             \
	do {                                                                  \
		uint32_t line_ = 99, col_ = 99;                               \
		owg_src_linecol(&sm, (file), (off), &line_, &col_);           \
		ck_assert_uint_eq(line_, (l));                                \
		ck_assert_uint_eq(col_, (c));                                 \
	} while (0)

#define CHECK_LINE(file, off, expect)                                         \
	do {                                                                  \
		size_t len_ = 99;                                             \
		const char *p_ = owg_src_line(&sm, (file), (off), &len_);     \
		ck_assert_ptr_nonnull(p_);                                    \
		ck_assert_uint_eq(len_, strlen(expect));                      \
		ck_assert(memcmp(p_, (expect), len_) == 0);                   \
	} while (0)

START_TEST(add_copies)
{
	char text[] = "abc";
	uint32_t f = owg_src_add(&sm, "buf", text, 3);
	text[0] = 'x';
	const owg_source *s = owg_src_get(&sm, f);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->path, "buf");
	ck_assert_str_eq(s->text, "abc");
	ck_assert_uint_eq(s->len, 3);
	ck_assert_ptr_null(owg_src_get(&sm, f + 1));
	ck_assert_ptr_null(owg_src_get(&sm, OWG_NOFILE));
}
END_TEST

START_TEST(add_many_files)
{
	char name[32];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "f%d", i);
		ck_assert_uint_eq(owg_src_add(&sm, name, name, strlen(name)), (uint32_t)i);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "f%d", i);
		ck_assert_str_eq(owg_src_get(&sm, (uint32_t)i)->text, name);
		ck_assert_str_eq(owg_src_get(&sm, (uint32_t)i)->path, name);
	}
}
END_TEST

START_TEST(add_too_large)
{
	/* Refused before anything is read. */
	ck_assert_uint_eq(owg_src_add(&sm, "big", "x", OWG_SRC_MAX_BYTES + 1), OWG_NOFILE);
	ck_assert_uint_eq(sm.n, 0);
}
END_TEST

START_TEST(linecol_basic)
{
	uint32_t f = add("abc\ndef\n");
	CHECK_LC(f, 0, 1, 1); /* first line */
	CHECK_LC(f, 2, 1, 3);
	CHECK_LC(f, 3, 1, 4); /* the newline belongs to its line */
	CHECK_LC(f, 4, 2, 1);
	CHECK_LC(f, 7, 2, 4);
	CHECK_LC(f, 8, 3, 1); /* end of file: the empty line after the last '\n' */
	CHECK_LC(f, 9, 3, 1); /* clamped */
	CHECK_LC(f, UINT32_MAX, 3, 1);
	CHECK_LINE(f, 0, "abc");
	CHECK_LINE(f, 3, "abc");
	CHECK_LINE(f, 5, "def");
	CHECK_LINE(f, 8, "");
	CHECK_LINE(f, 1000, "");
}
END_TEST

START_TEST(linecol_lazy)
{
	uint32_t f = add("a\nb\nc");
	const owg_source *s = owg_src_get(&sm, f);
	ck_assert_ptr_null(s->line_starts);
	CHECK_LC(f, 2, 2, 1);
	ck_assert_ptr_nonnull(s->line_starts);
	ck_assert_uint_eq(s->nlines, 3);
	ck_assert_uint_eq(s->line_starts[0], 0);
	ck_assert_uint_eq(s->line_starts[1], 2);
	ck_assert_uint_eq(s->line_starts[2], 4);
}
END_TEST

START_TEST(no_trailing_newline)
{
	uint32_t f = add("abc\ndef");
	CHECK_LC(f, 6, 2, 3); /* last line */
	CHECK_LC(f, 7, 2, 4); /* end of file */
	CHECK_LC(f, 50, 2, 4);
	CHECK_LINE(f, 4, "def");
	CHECK_LINE(f, 7, "def");
	CHECK_LINE(f, 50, "def");
}
END_TEST

START_TEST(crlf)
{
	uint32_t f = add("ab\r\ncd\r\nef");
	CHECK_LC(f, 2, 1, 3);  /* the '\r' */
	CHECK_LC(f, 4, 2, 1);
	CHECK_LC(f, 9, 3, 2);
	CHECK_LINE(f, 0, "ab");
	CHECK_LINE(f, 3, "ab");
	CHECK_LINE(f, 4, "cd");
	CHECK_LINE(f, 8, "ef");
	/* Only a '\r' before a '\n' goes. */
	uint32_t g = add("x\ry\r");
	CHECK_LINE(g, 0, "x\ry\r");
	CHECK_LC(g, 2, 1, 3);
	uint32_t h = add("\r\n\r\n");
	CHECK_LINE(h, 0, "");
	CHECK_LINE(h, 2, "");
	CHECK_LC(h, 4, 3, 1);
}
END_TEST

START_TEST(empty_file)
{
	uint32_t f = owg_src_add(&sm, "empty", NULL, 0);
	ck_assert_uint_ne(f, OWG_NOFILE);
	const owg_source *s = owg_src_get(&sm, f);
	ck_assert_ptr_nonnull(s->text);
	ck_assert_str_eq(s->text, "");
	ck_assert_uint_eq(s->len, 0);
	CHECK_LC(f, 0, 1, 1);
	CHECK_LC(f, 10, 1, 1);
	CHECK_LINE(f, 0, "");
	ck_assert_uint_eq(s->nlines, 1);
}
END_TEST

START_TEST(only_newlines)
{
	uint32_t f = add("\n\n\n");
	CHECK_LC(f, 0, 1, 1);
	CHECK_LC(f, 1, 2, 1);
	CHECK_LC(f, 2, 3, 1);
	CHECK_LC(f, 3, 4, 1);
	CHECK_LINE(f, 1, "");
}
END_TEST

START_TEST(unknown_file)
{
	uint32_t line = 7, col = 7;
	size_t len = 7;
	owg_src_linecol(&sm, 3, 0, &line, &col);
	ck_assert_uint_eq(line, 0);
	ck_assert_uint_eq(col, 0);
	ck_assert_ptr_null(owg_src_line(&sm, OWG_NOFILE, 0, &len));
	ck_assert_uint_eq(len, 0);
}
END_TEST

/* Binary search against a linear count, lines of varied lengths. */
START_TEST(many_lines)
{
	enum { N = 20000 };
	size_t cap = (size_t)N * 12, n = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(text + n, cap - n, "%.*s%d\n", i % 5, "xxxxx", i);
	uint32_t f = owg_src_add(&sm, "many", text, n);
	uint32_t line = 1, col = 1;
	for (size_t off = 0; off <= n; off++) {
		if (off % 7 == 0 || off == n || text[off] == '\n') {
			CHECK_LC(f, (uint32_t)off, line, col);
			size_t len;
			const char *p = owg_src_line(&sm, f, (uint32_t)off, &len);
			ck_assert_ptr_eq(p, owg_src_get(&sm, f)->text + off - (col - 1));
		}
		if (off < n && text[off] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	ck_assert_uint_eq(line, N + 1);
	free(text);
}
END_TEST

START_TEST(load_file)
{
	static const char text[] = "task a;\n\0nul\n";
	const char *path = write_file("a.owg", text, sizeof text - 1);
	const char *err = "untouched";
	uint32_t f = owg_src_load(&sm, path, &err);
	ck_assert_uint_ne(f, OWG_NOFILE);
	const owg_source *s = owg_src_get(&sm, f);
	ck_assert_str_eq(s->path, path);
	ck_assert_uint_eq(s->len, sizeof text - 1); /* a NUL inside is kept */
	ck_assert(memcmp(s->text, text, sizeof text) == 0); /* and one after */
	CHECK_LC(f, 9, 2, 2);
	unlink(path);
}
END_TEST

START_TEST(load_empty_file)
{
	const char *path = write_file("e.owg", "", 0);
	const char *err = NULL;
	uint32_t f = owg_src_load(&sm, path, &err);
	ck_assert_uint_ne(f, OWG_NOFILE);
	ck_assert_uint_eq(owg_src_get(&sm, f)->len, 0);
	ck_assert_str_eq(owg_src_get(&sm, f)->text, "");
	CHECK_LC(f, 0, 1, 1);
	unlink(path);
}
END_TEST

START_TEST(load_bigger_than_a_buffer)
{
	size_t n = 300 * 1024 + 17;
	char *text = malloc(n);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	const char *path = write_file("big.owg", text, n);
	const char *err = NULL;
	uint32_t f = owg_src_load(&sm, path, &err);
	ck_assert_uint_ne(f, OWG_NOFILE);
	const owg_source *s = owg_src_get(&sm, f);
	ck_assert_uint_eq(s->len, n);
	ck_assert(memcmp(s->text, text, n) == 0);
	ck_assert_int_eq(s->text[n], '\0');
	CHECK_LC(f, (uint32_t)n, (uint32_t)(n / 64 + 1), (uint32_t)(n % 64 + 1));
	free(text);
	unlink(path);
}
END_TEST

START_TEST(load_missing)
{
	char path[512];
	snprintf(path, sizeof path, "%s/no-such.owg", tmpdir);
	const char *err = NULL;
	ck_assert_uint_eq(owg_src_load(&sm, path, &err), OWG_NOFILE);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, strerror(ENOENT));
	ck_assert_uint_eq(sm.n, 0);
	/* err may be NULL */
	ck_assert_uint_eq(owg_src_load(&sm, path, NULL), OWG_NOFILE);
}
END_TEST

START_TEST(load_directory)
{
	const char *err = NULL;
	ck_assert_uint_eq(owg_src_load(&sm, tmpdir, &err), OWG_NOFILE);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, strerror(EISDIR)); /* "Is a directory" */
	ck_assert_uint_eq(sm.n, 0);
}
END_TEST

START_TEST(load_too_large)
{
	/* A sparse file one byte over the limit: refused from its size,
	 * without reading a gigabyte. */
	char path[512];
	snprintf(path, sizeof path, "%s/huge.owg", tmpdir);
	FILE *fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ftruncate(fileno(fp), (off_t)OWG_SRC_MAX_BYTES + 1), 0);
	fclose(fp);
	const char *err = NULL;
	ck_assert_uint_eq(owg_src_load(&sm, path, &err), OWG_NOFILE);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, "file too large (the limit is 1 GiB)");
	unlink(path);
}
END_TEST

Suite *suite_source(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("memory");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, add_copies);
	tcase_add_test(tc, add_many_files);
	tcase_add_test(tc, add_too_large);
	tcase_add_test(tc, linecol_basic);
	tcase_add_test(tc, linecol_lazy);
	tcase_add_test(tc, no_trailing_newline);
	tcase_add_test(tc, crlf);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, only_newlines);
	tcase_add_test(tc, unknown_file);
	tcase_add_test(tc, many_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_file);
	tcase_add_test(tc, load_empty_file);
	tcase_add_test(tc, load_bigger_than_a_buffer);
	tcase_add_test(tc, load_missing);
	tcase_add_test(tc, load_directory);
	tcase_add_test(tc, load_too_large);
	suite_add_tcase(s, tc);
	return s;
}
