/* arena.h - bump allocation freed in bulk.
 *
 * The compiler allocates AST, IR and strings from arenas so that a whole
 * compilation is released with one call (QBE's pools, c3c's arenas).
 * Allocation failure is fatal in the compiler (owg_xmalloc aborts with a
 * message); library code in runtime/ does not use this module. */
#ifndef OWG_ARENA_H
#define OWG_ARENA_H

#include <stddef.h>

typedef struct owg_arena_block owg_arena_block;

typedef struct owg_arena {
	owg_arena_block *head;
	size_t used_total; /* bytes handed out, for memory statistics */
} owg_arena;

void owg_arena_init(owg_arena *a);
void owg_arena_free(owg_arena *a);
/* Zeroed, 8-byte aligned (pointers, doubles, 64-bit integers). */
void *owg_arena_alloc(owg_arena *a, size_t size);
char *owg_arena_strdup(owg_arena *a, const char *s);
char *owg_arena_strndup(owg_arena *a, const char *s, size_t n);
char *owg_arena_printf(owg_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Heap helpers that never return NULL. */
void *owg_xmalloc(size_t n);
void *owg_xcalloc(size_t n, size_t m);
void *owg_xrealloc(void *p, size_t n);
char *owg_xstrdup(const char *s);

/* Growable vector: struct { T *v; size_t n, cap; } */
#define OWG_VEC(T) struct { T *v; size_t n, cap; }
#define OWG_VEC_PUSH(vec, x)                                                  \
	do {                                                                  \
		if ((vec).n == (vec).cap) {                                   \
			(vec).cap = (vec).cap ? 2 * (vec).cap : 8;            \
			(vec).v = owg_xrealloc((vec).v,                       \
					       (vec).cap * sizeof *(vec).v);  \
		}                                                             \
		(vec).v[(vec).n++] = (x);                                     \
	} while (0)
#define OWG_VEC_FREE(vec) (free((vec).v), (vec).v = NULL, (vec).n = (vec).cap = 0)

#endif
