#include "config.h"

#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct owg_arena_block {
	owg_arena_block *next;
	size_t size, used;
	uint64_t data[];
};

/* Everything the compiler keeps in arenas (pointers, doubles, 64-bit
 * integers) needs at most 8-byte alignment; max_align_t (16 on x86-64, for
 * long double) would waste a quarter of the small nodes. */
enum { ALIGN = 8 };

enum { BLOCK_MIN = 64 * 1024 };

static void oom(size_t n)
{
	fprintf(stderr, "owgc: fatal: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *owg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *owg_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom(n * m);
	return p;
}

void *owg_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

char *owg_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(owg_xmalloc(n), s, n);
}

void owg_arena_init(owg_arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

void owg_arena_free(owg_arena *a)
{
	owg_arena_block *b = a->head;
	while (b) {
		owg_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

/* size bytes at the given alignment (a power of two, at most ALIGN).
 * Blocks come from calloc, whose large blocks are fresh zero pages: the
 * memory is zero without a memset that would touch every page twice. */
static void *arena_take(owg_arena *a, size_t size, size_t align)
{
	owg_arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || at > b->size || b->size - at < size) {
		size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
		if (b && b->size * 2 > cap && b->size < 16 * 1024 * 1024)
			cap = b->size * 2; /* grow geometrically, bounded */
		if (cap > SIZE_MAX - sizeof *b)
			oom(size);
		b = owg_xcalloc(1, sizeof *b + cap);
		b->size = cap;
		b->next = a->head;
		a->head = b;
		at = 0;
	}
	void *p = (char *)b->data + at;
	b->used = at + size;
	a->used_total += size;
	return p;
}

void *owg_arena_alloc(owg_arena *a, size_t size)
{
	return arena_take(a, size ? size : 1, ALIGN);
}

char *owg_arena_strndup(owg_arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *owg_arena_strdup(owg_arena *a, const char *s)
{
	return owg_arena_strndup(a, s, strlen(s));
}

char *owg_arena_printf(owg_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = arena_take(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
