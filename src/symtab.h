/* symtab.h - string-keyed hash table (open addressing), for name lookup
 * in scopes and for uniqueness checks. Keys are not copied. */
#ifndef OWG_SYMTAB_H
#define OWG_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct owg_symtab {
	struct owg_symtab_slot {
		const char *key;
		void *val;
		uint64_t hash;
	} *slots;
	size_t cap, n;
} owg_symtab;

void owg_symtab_free(owg_symtab *t);
void *owg_symtab_get(const owg_symtab *t, const char *key);
/* Inserts key -> val unless key is present; returns the value now stored. */
void *owg_symtab_put(owg_symtab *t, const char *key, void *val);
/* Copies up to max keys into out, in no particular order (for suggestions). */
size_t owg_symtab_keys(const owg_symtab *t, const char **out, size_t max);

/* Integer-keyed hash table (pointers, pairs of ids); key 0 is reserved. */
typedef struct owg_u64map {
	struct owg_u64map_slot {
		uint64_t key;
		void *val;
	} *slots;
	size_t cap, n;
} owg_u64map;

void owg_u64map_free(owg_u64map *m);
void *owg_u64map_get(const owg_u64map *m, uint64_t key);
/* Inserts key -> val unless key is present; returns the value now stored. */
void *owg_u64map_put(owg_u64map *m, uint64_t key, void *val);

#endif
