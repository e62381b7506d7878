/* owgrt_zindex.h - a Z-order (Morton) index over a grid of cells, for the
 * scheduler core's pools: each cell holds two numbers (free PEAs; the
 * width of its first waiting job), and "the cell nearest to c whose free
 * PEAs reach w" or "... whose waiting job fits in w PEAs" is answered in
 * O(log cells).
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
	uint32_t w, h, n, size; /* grid, cells, leaves (a power of two) */
	uint32_t *rank;         /* per cell: its position in Z-order */
	uint32_t *cell;         /* per position: the cell */
	uint32_t *hi;           /* tree of maxima of the first number */
	uint32_t *lo;           /* tree of minima of the second */
} owgrt_zindex;

/* Every cell starts at (0, UINT32_MAX).  False when out of memory. */
bool owgrt_zindex_init(owgrt_zindex *z, uint32_t w, uint32_t h);
void owgrt_zindex_free(owgrt_zindex *z);
void owgrt_zindex_set(owgrt_zindex *z, uint32_t cell, uint32_t hi, uint32_t lo);
/* The cell nearest to `cell` whose first number is >= at_least (cell
 * itself included), or UINT32_MAX. */
uint32_t owgrt_zindex_near_hi(const owgrt_zindex *z, uint32_t cell, uint32_t at_least);
/* The cell nearest to `cell` whose second number is <= at_most, or
 * UINT32_MAX. */
uint32_t owgrt_zindex_near_lo(const owgrt_zindex *z, uint32_t cell, uint32_t at_most);

#endif
