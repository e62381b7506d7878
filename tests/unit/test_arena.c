/* test_arena.c - unit tests of src/arena.h: arena allocation, strings,
 * heap helpers and the growable vector. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "unit.h"

static owg_arena arena;

static void setup(void)
{
	owg_arena_init(&arena);
}

static void teardown(void)
{
	owg_arena_free(&arena);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

START_TEST(test_init_empty)
{
	ck_assert_ptr_null(arena.head);
	ck_assert_uint_eq(arena.used_total, 0);
}
END_TEST

START_TEST(test_alloc_zeroed)
{
	/* Dirty a first arena's memory, free it, and allocate again: whatever
	 * malloc hands back, the arena must return zeroed memory. */
	owg_arena a;
	owg_arena_init(&a);
	for (int i = 0; i < 64; i++)
		memset(owg_arena_alloc(&a, 1000), 0xa5, 1000);
	owg_arena_free(&a);

	for (size_t size = 1; size < 4096; size = size * 3 + 1) {
		unsigned char *p = owg_arena_alloc(&arena, size);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(all_zero(p, size), "%zu bytes not zeroed", size);
		memset(p, 0xff, size);
	}
}
END_TEST

START_TEST(test_alloc_aligned)
{
	/* The contract is 8 bytes (pointers, doubles, 64-bit integers), also
	 * after strings, which are packed at any byte. */
	const uintptr_t align = 8;
	for (size_t size = 0; size < 200; size++) {
		void *p = owg_arena_alloc(&arena, size);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg((uintptr_t)p % align == 0,
			      "size %zu: %p not aligned to %zu", size, p,
			      (size_t)align);
		char *str = owg_arena_strndup(&arena, "abcdefg", size % 7);
		ck_assert_uint_eq(strlen(str), size % 7);
	}
	(void)owg_arena_strdup(&arena, "odd"); /* an odd size in between */
	double *d = owg_arena_alloc(&arena, sizeof *d);
	*d = 1.5;
	ck_assert(*d == 1.5);
	(void)owg_arena_alloc(&arena, 3);
	long long *ll = owg_arena_alloc(&arena, sizeof *ll);
	*ll = -1;
	ck_assert(*ll == -1);
}
END_TEST

START_TEST(test_alloc_distinct)
{
	/* Many small blocks across several arena blocks: no two overlap. */
	enum { N = 5000, SZ = 40 };
	unsigned char **p = owg_xcalloc(N, sizeof *p);
	for (int i = 0; i < N; i++) {
		p[i] = owg_arena_alloc(&arena, SZ);
		memset(p[i], i & 0xff, SZ);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < SZ; j++)
			ck_assert_int_eq(p[i][j], i & 0xff);
	free(p);
}
END_TEST

START_TEST(test_alloc_zero_size)
{
	void *a = owg_arena_alloc(&arena, 0);
	void *b = owg_arena_alloc(&arena, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
}
END_TEST

START_TEST(test_alloc_large)
{
	/* Larger than a default block: gets a block of its own. */
	const size_t big = 3u * 1024 * 1024 + 7;
	char *small1 = owg_arena_alloc(&arena, 16);
	strcpy(small1, "before");
	unsigned char *p = owg_arena_alloc(&arena, big);
	ck_assert_ptr_nonnull(p);
	ck_assert(p[0] == 0 && p[big / 2] == 0 && p[big - 1] == 0);
	memset(p, 0x5a, big);
	char *small2 = owg_arena_alloc(&arena, 16);
	strcpy(small2, "after");
	ck_assert_str_eq(small1, "before");
	ck_assert_str_eq(small2, "after");
	ck_assert(p[0] == 0x5a && p[big - 1] == 0x5a);
	ck_assert_uint_ge(arena.used_total, big + 32);
}
END_TEST

START_TEST(test_used_total)
{
	owg_arena_alloc(&arena, 1);
	owg_arena_alloc(&arena, 100);
	ck_assert_uint_ge(arena.used_total, 101);
	owg_arena_free(&arena);
	ck_assert_uint_eq(arena.used_total, 0);
	ck_assert_ptr_null(arena.head);
	/* Usable again after free. */
	ck_assert_ptr_nonnull(owg_arena_alloc(&arena, 10));
}
END_TEST

START_TEST(test_strdup)
{
	char src[] = "detect_faces";
	char *s = owg_arena_strdup(&arena, src);
	ck_assert_ptr_ne(s, src);
	ck_assert_str_eq(s, "detect_faces");
	src[0] = 'X';
	ck_assert_str_eq(s, "detect_faces");

	ck_assert_str_eq(owg_arena_strdup(&arena, ""), "");
	ck_assert_str_eq(owg_arena_strndup(&arena, "decode -> detect", 6), "decode");
	ck_assert_str_eq(owg_arena_strndup(&arena, "abc", 0), "");
	/* strndup copies exactly n bytes: spans into a larger buffer. */
	ck_assert_str_eq(owg_arena_strndup(&arena, "match.score", 5), "match");
}
END_TEST

START_TEST(test_printf)
{
	ck_assert_str_eq(owg_arena_printf(&arena, "%s:%d:%d", "wf.owg", 3, 14),
			 "wf.owg:3:14");
	ck_assert_str_eq(owg_arena_printf(&arena, "%s", ""), "");
	ck_assert_str_eq(owg_arena_printf(&arena, "%.2f%%", 12.345), "12.35%");

	/* Output longer than a default arena block. */
	size_t n = 200 * 1024;
	char *big = owg_xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	char *p = owg_arena_printf(&arena, "<%s>", big);
	ck_assert_uint_eq(strlen(p), n + 2);
	ck_assert(p[0] == '<' && p[1] == 'x' && p[n] == 'x' && p[n + 1] == '>');
	free(big);
}
END_TEST

START_TEST(test_xalloc)
{
	char *p = owg_xmalloc(0);
	ck_assert_ptr_nonnull(p);
	free(p);

	int *z = owg_xcalloc(100, sizeof *z);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(z[i], 0);
	z = owg_xrealloc(z, 1000 * sizeof *z);
	ck_assert_int_eq(z[99], 0);
	z[999] = 7;
	ck_assert_int_eq(z[999], 7);
	free(z);

	char *s = owg_xstrdup("embed");
	ck_assert_str_eq(s, "embed");
	free(s);
}
END_TEST

START_TEST(test_vec_push)
{
	OWG_VEC(int) v = {0};
	ck_assert_uint_eq(v.n, 0);
	for (int i = 0; i < 1000; i++)
		OWG_VEC_PUSH(v, i * 3);
	ck_assert_uint_eq(v.n, 1000);
	ck_assert_uint_ge(v.cap, v.n);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(v.v[i], i * 3);
	OWG_VEC_FREE(v);
	ck_assert_ptr_null(v.v);
	ck_assert_uint_eq(v.n, 0);
	ck_assert_uint_eq(v.cap, 0);

	/* Reusable after free; elements may be structs. */
	struct pt { double x, y; };
	OWG_VEC(struct pt) pts = {0};
	OWG_VEC_PUSH(pts, ((struct pt){1.0, 2.0}));
	OWG_VEC_PUSH(pts, ((struct pt){3.0, 4.0}));
	ck_assert_uint_eq(pts.n, 2);
	ck_assert(pts.v[1].x == 3.0 && pts.v[1].y == 4.0);
	OWG_VEC_FREE(pts);
}
END_TEST

Suite *suite_arena(void)
{
	Suite *s = suite_create("arena");

	TCase *tc = tcase_create("alloc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_init_empty);
	tcase_add_test(tc, test_alloc_zeroed);
	tcase_add_test(tc, test_alloc_aligned);
	tcase_add_test(tc, test_alloc_distinct);
	tcase_add_test(tc, test_alloc_zero_size);
	tcase_add_test(tc, test_alloc_large);
	tcase_add_test(tc, test_used_total);
	suite_add_tcase(s, tc);

	tc = tcase_create("strings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_strdup);
	tcase_add_test(tc, test_printf);
	suite_add_tcase(s, tc);

	tc = tcase_create("heap");
	tcase_add_test(tc, test_xalloc);
	tcase_add_test(tc, test_vec_push);
	suite_add_tcase(s, tc);

	return s;
}
