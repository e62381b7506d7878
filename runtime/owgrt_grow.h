/* owgrt_grow.h - growing an array by doubling, for libowgrt's modules. */
#ifndef OWGRT_GROW_H
#define OWGRT_GROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

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

#endif
