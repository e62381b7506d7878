/* json.h - a strict JSON reader (RFC 8259) for input from outside.
 *
 * The whole text must be one JSON value, with only the four white-space
 * characters of the RFC around it (a UTF-8 byte-order mark at the very
 * start is skipped, as the RFC allows).  Everything else is an error,
 * reported through owg_diag at its byte span, so that the message shows
 * file:line:col, the source line and a caret:
 *   - bytes that are not UTF-8 (overlong forms and encoded surrogates
 *     included), control characters inside strings, unknown escapes,
 *     \u escapes that are not 4 hex digits, unpaired surrogates (a pair
 *     \ud83d\ude00 is decoded to one code point);
 *   - numbers outside the grammar (leading zeros, "1.", ".5", "+1", NaN,
 *     Infinity) or beyond the range of a double; a number is converted by
 *     strtod on its checked span, so it is the correctly rounded double;
 *     numbers too small for a double become 0 or a subnormal;
 *   - nesting deeper than OWG_JSON_MAX_DEPTH arrays and objects (the
 *     parser recurses once per level, so the stack stays bounded);
 *   - duplicate keys in an object: refused (RFC 8259 leaves their meaning
 *     open, and readers disagree on which one wins), with a note at the
 *     first one;
 *   - texts longer than OWG_JSON_MAX_BYTES (offsets are 32-bit); callers
 *     bound the size they accept themselves, usually far lower.
 * The first error ends the parse (JSON errors cascade).
 *
 * The tree is allocated from the caller's arena; object members keep the
 * order of the text.  Strings are decoded, NUL-terminated, and carry their
 * length: "\u0000" makes a NUL byte inside a string. */
#ifndef OWG_JSON_H
#define OWG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

#define OWG_JSON_MAX_DEPTH 256
#define OWG_JSON_MAX_BYTES ((size_t)UINT32_MAX - 1)

typedef enum owg_json_kind {
	OWG_JSON_NULL,
	OWG_JSON_BOOL,
	OWG_JSON_NUMBER,
	OWG_JSON_STRING,
	OWG_JSON_ARRAY,
	OWG_JSON_OBJECT,
} owg_json_kind;

typedef struct owg_json owg_json;

typedef struct owg_json_member {
	const char *key; /* decoded, NUL-terminated; keylen bytes (may hold NULs) */
	uint32_t keylen;
	owg_loc key_loc; /* the key with its quotes */
	owg_json *value;
} owg_json_member;

struct owg_json {
	owg_json_kind kind;
	owg_loc loc; /* the whole value: from its first byte to its last */
	union {
		bool b;
		double num;
		struct {
			const char *s; /* decoded, NUL-terminated */
			uint32_t len;
		} str;
		struct {
			owg_json **v;
			uint32_t n;
		} arr;
		struct {
			owg_json_member *v;
			uint32_t n;
		} obj;
	} u;
};

/* Parses text[0, len) of source `file` (for the locations of messages).
 * Returns the root value, or NULL after reporting the first error. */
owg_json *owg_json_parse(const char *text, size_t len, uint32_t file, owg_arena *a, owg_diag *d);

/* The member of object obj named key (a C string), or NULL when there is
 * none or obj is not an object.  Linear in the members. */
const owg_json_member *owg_json_member_get(const owg_json *obj, const char *key);
/* Its value, or NULL. */
const owg_json *owg_json_get(const owg_json *obj, const char *key);

/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *owg_json_kind_name(owg_json_kind k);

/* The UTF-8 text s[0, len) made fit for a message or a comment: control
 * characters (C0, DEL, C1, NUL) become \n, \r, \t or \uXXXX; cut after
 * about max bytes, at a character boundary, with "..." appended.  s must be
 * valid UTF-8 (every decoded JSON string is).  Allocated from a. */
char *owg_json_display(owg_arena *a, const char *s, size_t len, size_t max);

/* The location of v's first byte: where a message about a whole array or
 * object points (the excerpt then shows the line that opens it). */
owg_loc owg_json_head(const owg_json *v);

#endif
