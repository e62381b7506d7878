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

void *owg_symtab_get(const owg_symtab *t, const char *key)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].key)
			return NULL;
		if (!strcmp(t->slots[i].key, key))
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
		size_t j = hash(old[i].key) & (cap - 1);
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
	size_t i = hash(key) & (t->cap - 1);
	for (; t->slots[i].key; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->slots[i].key, key))
			return t->slots[i].val;
	t->slots[i].key = key;
	t->slots[i].val = val;
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
