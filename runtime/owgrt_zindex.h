/* owgrt_zindex.h - a Z-order (Morton) index of items on a grid, for the
 * scheduler core: the pools (one item per cell of the grid of clusters:
 * free PEAs, the width of the first waiting job) and the replicas of a
 * task (one item per replica, at its first PEA: idle or not).  "The item
 * nearest to c whose first number reaches w" or "... whose second is at
 * most w" is answered in O(log items).
 *
 * The tree is the fabric's own hierarchy of aggregates (2x2 blocks of
 * cells, then 2x2 blocks of those, ...): a query climbs it until an
 * aggregate holds what it looks for, then descends.  Neighbours in Z-order
 * are near on the mesh, though not always the nearest: of the first match
 * on either side, the one fewer hops away wins. */
#ifndef OWGRT_ZINDEX_H
#define OWGRT_ZINDEX_H

#include <stdbool.h>
#include <stdint.h>

typedef struct owgrt_zindex {
	uint32_t w, h, n, size; /* grid, items, leaves (a power of two) */
	uint32_t *rank;         /* per item: its position in Z-order */
	uint32_t *cell;         /* per position: the item */
	uint32_t *at;           /* per item: its cell, y * w + x */
	uint64_t *code;         /* per position: the item's Morton code */
	uint32_t *hi;           /* tree of maxima of the first number */
	uint32_t *lo;           /* tree of minima of the second */
} owgrt_zindex;

/* Every item starts at (0, UINT32_MAX).  False when out of memory.
 * owgrt_zindex_init: one item per cell of the w x h grid (item = cell);
 * _init_points: n items, item i at cell at[i]. */
bool owgrt_zindex_init(owgrt_zindex *z, uint32_t w, uint32_t h);
bool owgrt_zindex_init_points(owgrt_zindex *z, uint32_t w, uint32_t h, const uint32_t *at, uint32_t n);
void owgrt_zindex_free(owgrt_zindex *z);
void owgrt_zindex_set(owgrt_zindex *z, uint32_t item, uint32_t hi, uint32_t lo);
/* The item nearest to `item` whose first number is >= at_least (item
 * itself included), or UINT32_MAX. */
uint32_t owgrt_zindex_near_hi(const owgrt_zindex *z, uint32_t item, uint32_t at_least);
/* The item nearest to `item` whose second number is <= at_most, or
 * UINT32_MAX. */
uint32_t owgrt_zindex_near_lo(const owgrt_zindex *z, uint32_t item, uint32_t at_most);
/* The item nearest to grid cell `cell` whose first number is >= at_least. */
uint32_t owgrt_zindex_near_hi_at(const owgrt_zindex *z, uint32_t cell, uint32_t at_least);

#endif
