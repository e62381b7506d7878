/* owgrt_grow.h - growing an array by doubling, for libowgrt's modules. */
#ifndef OWGRT_GROW_H
#define OWGRT_GROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Makes *v (capacity *cap elements of `elem` bytes) hold at least `need`
 * elements; false when memory runs out (then *v is unchanged). */
static inline bool owgrt_grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *p = realloc(*v, c * elem);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* A full ring *v of *cap elements, n of them from *head on, as one twice
 * as large (at least `least`), unwrapped to start at 0; false when memory
 * runs out (then nothing changed). */
static inline bool owgrt_ring_grow(void **v, size_t *cap, size_t *head, size_t n, size_t elem, size_t least)
{
	size_t c = *cap ? 2 * *cap : least;
	char *q = malloc(c * elem), *old = *v;
	if (!q)
		return false;
	for (size_t i = 0; i < n; i++)
		memcpy(q + i * elem, old + ((*head + i) % *cap) * elem, elem);
	free(old);
	*v = q;
	*cap = c;
	*head = 0;
	return true;
}

#endif
