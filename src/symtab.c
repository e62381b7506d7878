#include "config.h"

#include "symtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

void owg_symtab_free(owg_symtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}

/* Keys are mostly interned identifiers: the same pointer when equal.  The
 * cached hash makes a probe of a different key cost no strcmp. */
static bool same_key(const struct owg_symtab_slot *slot, const char *key, uint64_t h)
{
	return slot->key == key || (slot->hash == h && !strcmp(slot->key, key));
}

void *owg_symtab_get(const owg_symtab *t, const char *key)
{
	if (!t->cap)
		return NULL;
	uint64_t h = hash(key);
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].key)
			return NULL;
		if (same_key(&t->slots[i], key, h))
			return t->slots[i].val;
	}
}

static void grow(owg_symtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16;
	struct owg_symtab_slot *old = t->slots;
	size_t oldcap = t->cap;
	t->slots = owg_xcalloc(cap, sizeof *t->slots);
	t->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].key)
			continue;
		size_t j = old[i].hash & (cap - 1);
		while (t->slots[j].key)
			j = (j + 1) & (cap - 1);
		t->slots[j] = old[i];
	}
	free(old);
}

void *owg_symtab_put(owg_symtab *t, const char *key, void *val)
{
	if (2 * (t->n + 1) > t->cap)
		grow(t);
	uint64_t h = hash(key);
	size_t i = h & (t->cap - 1);
	for (; t->slots[i].key; i = (i + 1) & (t->cap - 1))
		if (same_key(&t->slots[i], key, h))
			return t->slots[i].val;
	t->slots[i].key = key;
	t->slots[i].val = val;
	t->slots[i].hash = h;
	t->n++;
	return val;
}

size_t owg_symtab_keys(const owg_symtab *t, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < t->cap && n < max; i++)
		if (t->slots[i].key)
			out[n++] = t->slots[i].key;
	return n;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33; /* murmur3's finaliser */
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53u;
	return x ^ (x >> 33);
}

void owg_u64map_free(owg_u64map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

void *owg_u64map_get(const owg_u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = mix(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].key == key)
			return m->slots[i].val;
		if (!m->slots[i].key)
			return NULL;
	}
}

void *owg_u64map_put(owg_u64map *m, uint64_t key, void *val)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct owg_u64map_slot *old = m->slots;
		m->slots = owg_xcalloc(cap, sizeof *m->slots);
		for (size_t i = 0; i < m->cap; i++) {
			if (!old[i].key)
				continue;
			size_t j = mix(old[i].key) & (cap - 1);
			while (m->slots[j].key)
				j = (j + 1) & (cap - 1);
			m->slots[j] = old[i];
		}
		free(old);
		m->cap = cap;
	}
	size_t i = mix(key) & (m->cap - 1);
	for (; m->slots[i].key; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].key == key)
			return m->slots[i].val;
	m->slots[i].key = key;
	m->slots[i].val = val;
	m->n++;
	return val;
}
