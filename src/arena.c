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
	max_align_t data[];
};

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

void *owg_arena_alloc(owg_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	owg_arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
		if (b && b->size * 2 > cap && b->size < 16 * 1024 * 1024)
			cap = b->size * 2; /* grow geometrically, bounded */
		if (cap > SIZE_MAX - sizeof *b)
			oom(size);
		b = owg_xmalloc(sizeof *b + cap);
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	a->used_total += size;
	memset(p, 0, size);
	return p;
}

char *owg_arena_strndup(owg_arena *a, const char *s, size_t n)
{
	char *p = owg_arena_alloc(a, n + 1);
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
	char *p = owg_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
