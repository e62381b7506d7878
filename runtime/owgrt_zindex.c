#include "config.h"

/* owgrt_zindex.c - see owgrt_zindex.h. */

#include "owgrt_zindex.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* The Morton code of (x, y): their bits interleaved. */
static uint64_t morton(uint32_t x, uint32_t y)
{
	uint64_t m = 0;
	for (int b = 0; b < 32; b++)
		m |= ((uint64_t)(x >> b & 1) << (2 * b)) | ((uint64_t)(y >> b & 1) << (2 * b + 1));
	return m;
}

typedef struct keyed {
	uint64_t key;
	uint32_t cell;
} keyed;

static int by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

bool owgrt_zindex_init_points(owgrt_zindex *z, uint32_t w, uint32_t h, const uint32_t *at, uint32_t n)
{
	memset(z, 0, sizeof *z);
	z->w = w;
	z->h = h;
	z->n = n;
	z->size = 1;
	while (z->size < z->n)
		z->size *= 2;
	keyed *k = malloc((z->n + 1) * sizeof *k);
	z->rank = malloc((z->n + 1) * sizeof *z->rank);
	z->cell = malloc((z->n + 1) * sizeof *z->cell);
	z->at = malloc((z->n + 1) * sizeof *z->at);
	z->code = malloc((z->n + 1) * sizeof *z->code);
	z->hi = calloc(2 * (size_t)z->size, sizeof *z->hi);
	z->lo = malloc(2 * (size_t)z->size * sizeof *z->lo);
	if (!k || !z->rank || !z->cell || !z->at || !z->code || !z->hi || !z->lo) {
		free(k);
		owgrt_zindex_free(z);
		return false;
	}
	for (uint32_t i = 0; i < z->n; i++) {
		z->at[i] = at ? at[i] : i;
		k[i] = (keyed){morton(z->at[i] % w, z->at[i] / w), i};
	}
	qsort(k, z->n, sizeof *k, by_key);
	for (uint32_t i = 0; i < z->n; i++) {
		z->cell[i] = k[i].cell;
		z->code[i] = k[i].key;
		z->rank[k[i].cell] = i;
	}
	free(k);
	for (size_t i = 0; i < 2 * (size_t)z->size; i++)
		z->lo[i] = NONE;
	return true;
}

bool owgrt_zindex_init(owgrt_zindex *z, uint32_t w, uint32_t h)
{
	return owgrt_zindex_init_points(z, w, h, NULL, w * h);
}

void owgrt_zindex_free(owgrt_zindex *z)
{
	free(z->rank);
	free(z->cell);
	free(z->at);
	free(z->code);
	free(z->hi);
	free(z->lo);
	memset(z, 0, sizeof *z);
}

void owgrt_zindex_set(owgrt_zindex *z, uint32_t cell, uint32_t hi, uint32_t lo)
{
	uint32_t p = z->size + z->rank[cell];
	if (z->hi[p] == hi && z->lo[p] == lo)
		return;
	z->hi[p] = hi;
	z->lo[p] = lo;
	for (p /= 2; p >= 1; p /= 2) {
		uint32_t a = z->hi[2 * p], b = z->hi[2 * p + 1], c = z->lo[2 * p], d = z->lo[2 * p + 1];
		uint32_t nh = a > b ? a : b, nl = c < d ? c : d;
		if (z->hi[p] == nh && z->lo[p] == nl)
			break; /* nothing above changes */
		z->hi[p] = nh;
		z->lo[p] = nl;
	}
}

/* Does tree node p hold a match?  (hi >= v, or lo <= v) */
static bool holds(const owgrt_zindex *z, uint32_t p, bool use_hi, uint32_t v)
{
	return use_hi ? z->hi[p] >= v : z->lo[p] <= v;
}

/* The first position >= i (dir +1) or <= i (dir -1) holding a match. */
static uint32_t scan(const owgrt_zindex *z, uint32_t i, int dir, bool use_hi, uint32_t v)
{
	if (i >= z->size)
		return NONE;
	uint32_t p = z->size + i;
	if (!holds(z, p, use_hi, v)) {
		/* climb until a sibling on the wanted side holds a match */
		for (;;) {
			if (p == 1)
				return NONE;
			bool left = (p & 1) == 0;
			if (dir > 0 && left && holds(z, p + 1, use_hi, v)) {
				p++;
				break;
			}
			if (dir < 0 && !left && holds(z, p - 1, use_hi, v)) {
				p--;
				break;
			}
			p /= 2;
		}
		/* descend to the match nearest to i */
		while (p < z->size) {
			p *= 2;
			if (dir > 0 ? !holds(z, p, use_hi, v) : holds(z, p + 1, use_hi, v))
				p++;
		}
	}
	uint32_t at = p - z->size;
	return at < z->n ? at : NONE;
}

static uint32_t hops(const owgrt_zindex *z, uint32_t a, uint32_t b)
{
	uint32_t xa = a % z->w, ya = a / z->w, xb = b % z->w, yb = b / z->w;
	return (xa > xb ? xa - xb : xb - xa) + (ya > yb ? ya - yb : yb - ya);
}

/* The item nearest to grid cell `at` that matches: from the first
 * position whose code is >= at's, the first match on either side. */
static uint32_t nearest(const owgrt_zindex *z, uint32_t at, bool use_hi, uint32_t v)
{
	if (!z->n || at >= z->w * z->h)
		return NONE;
	uint64_t key = morton(at % z->w, at / z->w);
	uint32_t lo = 0, hi = z->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (z->code[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t i = lo;
	uint32_t a = scan(z, i, +1, use_hi, v), b = i ? scan(z, i - 1, -1, use_hi, v) : NONE;
	if (a == NONE)
		return b == NONE ? NONE : z->cell[b];
	if (b == NONE)
		return z->cell[a];
	uint32_t ca = z->cell[a], cb = z->cell[b];
	return hops(z, at, z->at[cb]) < hops(z, at, z->at[ca]) ? cb : ca;
}

uint32_t owgrt_zindex_near_hi(const owgrt_zindex *z, uint32_t item, uint32_t at_least)
{
	return item < z->n ? nearest(z, z->at[item], true, at_least) : NONE;
}

uint32_t owgrt_zindex_near_lo(const owgrt_zindex *z, uint32_t item, uint32_t at_most)
{
	return item < z->n ? nearest(z, z->at[item], false, at_most) : NONE;
}

uint32_t owgrt_zindex_near_hi_at(const owgrt_zindex *z, uint32_t cell, uint32_t at_least)
{
	return nearest(z, cell, true, at_least);
}
