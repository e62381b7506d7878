/* symtab.h - string-keyed hash table (open addressing), for name lookup
 * in scopes and for uniqueness checks. Keys are not copied. */
#ifndef OWG_SYMTAB_H
#define OWG_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct owg_symtab {
	struct owg_symtab_slot {
		const char *key;
		void *val;
	} *slots;
	size_t cap, n;
} owg_symtab;

void owg_symtab_free(owg_symtab *t);
void *owg_symtab_get(const owg_symtab *t, const char *key);
/* Inserts key -> val unless key is present; returns the value now stored. */
void *owg_symtab_put(owg_symtab *t, const char *key, void *val);
/* Calls f on every key, in no particular order (for suggestions). */
size_t owg_symtab_keys(const owg_symtab *t, const char **out, size_t max);

#endif
