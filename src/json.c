/* json.c - a strict JSON reader (RFC 8259): recursive descent with a
 * depth bound, one error and out, a tree in the caller's arena. */
#include "config.h"

#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DUP_LINEAR = 8 }; /* objects up to this size look for duplicates by a linear scan */

/* Keys seen in the object being read, by member index: an open-addressing
 * set, created when an object grows past DUP_LINEAR members. */
typedef struct keyset {
	uint32_t *slots; /* member index + 1, 0 = empty */
	size_t cap, n;
} keyset;

typedef struct parser {
	const char *s;
	uint32_t len, pos;
	uint32_t file;
	owg_arena *a;
	owg_diag *d;
	bool failed;
	/* Elements and members of the arrays and objects being read, as one
	 * stack each: a container's items are copied into the arena when it
	 * closes, and popped. */
	OWG_VEC(owg_json *) vals;
	OWG_VEC(owg_json_member) mems;
} parser;

static owg_json *value(parser *p, unsigned depth, uint32_t open);

static owg_loc span(const parser *p, uint32_t b, uint32_t e)
{
	return (owg_loc){p->file, b, e};
}

static void error(parser *p, uint32_t b, uint32_t e, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void error(parser *p, uint32_t b, uint32_t e, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	owg_diag_error(p->d, span(p, b, e), "%s", msg);
}

static void skip_ws(parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* What is at pos, for "expected ..., found X": a description in buf and
 * the end of its span in *end. */
static const char *found(const parser *p, char *buf, size_t n, uint32_t *end)
{
	uint32_t i = p->pos;
	*end = i + 1;
	if (i >= p->len) {
		*end = i;
		return "the end of the file";
	}
	unsigned char c = (unsigned char)p->s[i];
	if (c == 0)
		return "a NUL byte (is this a binary file?)";
	if (c < 0x20 || c == 0x7f) {
		snprintf(buf, n, "control character 0x%02x", c);
		return buf;
	}
	if (c < 0x80) {
		snprintf(buf, n, "'%c'", c);
		return buf;
	}
	size_t k = owg_utf8_len((const unsigned char *)p->s + i, p->len - i);
	if (k == 0) {
		snprintf(buf, n, "invalid UTF-8 byte 0x%02x", c);
		return buf;
	}
	*end = i + (uint32_t)k;
	snprintf(buf, n, "'%.*s'", (int)k, p->s + i);
	return buf;
}

/* "expected WHAT, found X" at pos; at the end of the file, with a note at
 * the bracket that is still open. */
static void expected(parser *p, const char *what, uint32_t open)
{
	char buf[64];
	uint32_t end;
	const char *f = found(p, buf, sizeof buf, &end);
	bool eof = p->pos >= p->len;
	error(p, p->pos, end, "expected %s, found %s", what, f);
	if (eof && open != UINT32_MAX)
		owg_diag_note(p->d, span(p, open, open + 1), "to close the '%c' opened here", p->s[open]);
}

/* ---- strings ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s[i]; -1 if they are not. */
static long hex4(const parser *p, uint32_t i)
{
	if (p->len - i < 4)
		return -1;
	long v = 0;
	for (uint32_t k = 0; k < 4; k++) {
		int h = hexval(p->s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The string at pos (its opening quote): decoded into the arena.  On
 * success pos is past the closing quote. */
static bool string(parser *p, const char **out, uint32_t *outlen)
{
	uint32_t open = p->pos;
	/* where it ends: the first quote that no backslash escapes */
	uint32_t i = open + 1;
	while (i < p->len && p->s[i] != '"')
		i += p->s[i] == '\\' ? 2 : 1;
	uint32_t close = i < p->len ? i : p->len;
	/* decoded, it is never longer than its source */
	char *o = owg_arena_alloc(p->a, (size_t)(close - open));
	size_t n = 0;
	for (i = open + 1; i < close;) {
		unsigned char c = (unsigned char)p->s[i];
		if (c == '\\') {
			if (i + 1 >= p->len)
				break; /* unterminated */
			char e = p->s[i + 1];
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				static const char dec[] = "\"\\/\b\f\n\r\t";
				o[n++] = dec[simple - "\"\\/bfnrt"];
				i += 2;
				continue;
			}
			if (e != 'u') {
				char buf[64];
				uint32_t end;
				p->pos = i + 1;
				const char *f = found(p, buf, sizeof buf, &end);
				if (e == '\0' || (unsigned char)e < 0x20 || (unsigned char)e >= 0x7f)
					error(p, i, end, "invalid escape: a backslash followed by %s", f);
				else
					error(p, i, end, "invalid escape '\\%c' (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)", e);
				return false;
			}
			long u = hex4(p, i + 2);
			if (u < 0) {
				uint32_t e2 = i + 2;
				while (e2 < p->len && e2 < i + 6 && hexval(p->s[e2]) >= 0)
					e2++;
				error(p, i, e2 + (e2 < p->len && e2 < close), "invalid \\u escape: expected 4 hex digits");
				return false;
			}
			unsigned long cp = (unsigned long)u;
			uint32_t next = i + 6;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				error(p, i, i + 6, "unpaired low surrogate \\u%04lx (it must follow a high surrogate \\ud800 to \\udbff)", cp);
				return false;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				long lo = next + 1 < p->len && p->s[next] == '\\' && p->s[next + 1] == 'u' ? hex4(p, next + 2) : -1;
				if (lo < 0xdc00 || lo > 0xdfff) {
					error(p, i, i + 6, "unpaired high surrogate \\u%04lx (a low surrogate \\udc00 to \\udfff must follow it)", cp);
					return false;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned long)lo - 0xdc00);
				next += 6;
			}
			n += put_utf8(o + n, cp);
			i = next;
			continue;
		}
		if (c < 0x20) {
			error(p, i, i + 1, "unescaped control character 0x%02x in a string", c);
			return false;
		}
		if (c < 0x80) {
			o[n++] = (char)c;
			i++;
			continue;
		}
		size_t k = owg_utf8_len((const unsigned char *)p->s + i, close - i);
		if (k == 0) {
			error(p, i, i + 1, "invalid UTF-8 byte 0x%02x in a string", c);
			return false;
		}
		memcpy(o + n, p->s + i, k);
		n += k;
		i += (uint32_t)k;
	}
	if (close >= p->len || i != close) {
		error(p, open, open + 1, "unterminated string");
		return false;
	}
	o[n] = '\0'; /* n < close - open: the quotes are not copied */
	*out = o;
	*outlen = (uint32_t)n;
	p->pos = close + 1;
	return true;
}

/* ---- numbers ---- */

static bool is_digit(const parser *p, uint32_t i)
{
	return i < p->len && p->s[i] >= '0' && p->s[i] <= '9';
}

static uint32_t digits(const parser *p, uint32_t i)
{
	while (is_digit(p, i))
		i++;
	return i;
}

static bool number(parser *p, double *out)
{
	uint32_t b = p->pos, i = b;
	if (p->s[i] == '-') {
		i++;
		if (!is_digit(p, i)) {
			error(p, b, i + (i < p->len), "expected a digit after '-'");
			return false;
		}
	}
	if (p->s[i] == '0' && is_digit(p, i + 1)) {
		error(p, b, digits(p, i), "leading zeros are not allowed in JSON numbers");
		return false;
	}
	i = digits(p, i);
	if (i < p->len && p->s[i] == '.') {
		if (!is_digit(p, i + 1)) {
			error(p, b, i + 1, "expected a digit after the decimal point");
			return false;
		}
		i = digits(p, i + 1);
	}
	if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
		uint32_t e = i + 1;
		if (e < p->len && (p->s[e] == '+' || p->s[e] == '-'))
			e++;
		if (!is_digit(p, e)) {
			error(p, b, e, "expected a digit in the exponent");
			return false;
		}
		i = digits(p, e);
	}
	/* the checked span, NUL-terminated for strtod */
	size_t n = i - b;
	char small[64], *buf = n < sizeof small ? small : owg_xmalloc(n + 1);
	memcpy(buf, p->s + b, n);
	buf[n] = '\0';
	errno = 0;
	double x = strtod(buf, NULL);
	bool range = errno == ERANGE && isinf(x);
	if (buf != small)
		free(buf);
	if (range) {
		error(p, b, i, "number '%.*s%s' is out of the range of a double", (int)(n > 40 ? 40 : n), p->s + b,
		      n > 40 ? "..." : "");
		return false;
	}
	*out = x;
	p->pos = i;
	return true;
}

/* ---- literals ---- */

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static owg_json *literal(parser *p, owg_json *v)
{
	uint32_t b = p->pos, i = b;
	while (i < p->len && is_word_char(p->s[i]))
		i++;
	size_t n = i - b;
	static const char *const names[] = {"true", "false", "null"};
	for (int k = 0; k < 3; k++) {
		if (n == strlen(names[k]) && !memcmp(p->s + b, names[k], n)) {
			v->kind = k == 2 ? OWG_JSON_NULL : OWG_JSON_BOOL;
			v->u.b = k == 0;
			p->pos = i;
			v->loc.end = i;
			return v;
		}
	}
	char word[40];
	snprintf(word, sizeof word, "%.*s", (int)(n > 32 ? 32 : n), p->s + b);
	const char *hint = owg_suggest(word, names, 3);
	if (hint)
		error(p, b, i, "unknown literal '%s%s'; did you mean '%s'?", word, n > 32 ? "..." : "", hint);
	else
		error(p, b, i, "unknown literal '%s%s' (JSON has true, false and null)", word, n > 32 ? "..." : "");
	return NULL;
}

/* ---- containers ---- */

static uint64_t key_hash(const char *s, uint32_t n)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static bool same_key(const owg_json_member *a, const owg_json_member *b)
{
	return a->keylen == b->keylen && !memcmp(a->key, b->key, a->keylen);
}

/* Adds member `idx` (relative to base) to the set; returns the index of an
 * earlier member with the same key, or -1. */
static long keyset_add(keyset *ks, const owg_json_member *m, uint32_t idx)
{
	if (2 * (ks->n + 1) > ks->cap) {
		size_t cap = ks->cap ? 2 * ks->cap : 32;
		uint32_t *slots = owg_xcalloc(cap, sizeof *slots);
		for (size_t k = 0; k < ks->cap; k++) {
			uint32_t j = ks->slots[k];
			if (!j)
				continue;
			size_t h = key_hash(m[j - 1].key, m[j - 1].keylen) & (cap - 1);
			while (slots[h])
				h = (h + 1) & (cap - 1);
			slots[h] = j;
		}
		free(ks->slots);
		ks->slots = slots;
		ks->cap = cap;
	}
	size_t h = key_hash(m[idx].key, m[idx].keylen) & (ks->cap - 1);
	while (ks->slots[h]) {
		uint32_t j = ks->slots[h] - 1;
		if (same_key(&m[j], &m[idx]))
			return j;
		h = (h + 1) & (ks->cap - 1);
	}
	ks->slots[h] = idx + 1;
	ks->n++;
	return -1;
}

static void too_deep(parser *p)
{
	error(p, p->pos, p->pos + 1, "nesting too deep: more than %d levels of arrays and objects", OWG_JSON_MAX_DEPTH);
}

static owg_json *array(parser *p, owg_json *v, unsigned depth)
{
	uint32_t open = p->pos;
	if (depth >= OWG_JSON_MAX_DEPTH) {
		too_deep(p);
		return NULL;
	}
	p->pos++;
	size_t base = p->vals.n;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
	} else {
		for (;;) {
			owg_json *e = value(p, depth + 1, open);
			if (!e)
				goto fail;
			OWG_VEC_PUSH(p->vals, e);
			if (p->vals.n - base > UINT32_MAX - 1) {
				error(p, e->loc.begin, e->loc.end, "too many elements in an array");
				goto fail;
			}
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				uint32_t comma = p->pos++;
				skip_ws(p);
				if (p->pos < p->len && p->s[p->pos] == ']') {
					error(p, comma, comma + 1, "trailing comma before ']' (not allowed in JSON)");
					goto fail;
				}
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == ']') {
				p->pos++;
				break;
			}
			expected(p, "',' or ']' after an array element", open);
			goto fail;
		}
	}
	v->kind = OWG_JSON_ARRAY;
	v->loc.end = p->pos;
	v->u.arr.n = (uint32_t)(p->vals.n - base);
	if (v->u.arr.n) {
		v->u.arr.v = owg_arena_alloc(p->a, v->u.arr.n * sizeof *v->u.arr.v);
		memcpy(v->u.arr.v, p->vals.v + base, v->u.arr.n * sizeof *v->u.arr.v);
	}
	p->vals.n = base;
	return v;
fail:
	p->vals.n = base;
	return NULL;
}

static owg_json *object(parser *p, owg_json *v, unsigned depth)
{
	uint32_t open = p->pos;
	if (depth >= OWG_JSON_MAX_DEPTH) {
		too_deep(p);
		return NULL;
	}
	p->pos++;
	size_t base = p->mems.n;
	keyset ks = {0};
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
	} else {
		for (;;) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				expected(p, p->mems.n == base ? "a string key or '}'" : "a string key", open);
				goto fail;
			}
			owg_json_member m = {.key_loc = span(p, p->pos, 0)};
			if (!string(p, &m.key, &m.keylen))
				goto fail;
			m.key_loc.end = p->pos;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				expected(p, "':' after the key", open);
				goto fail;
			}
			p->pos++;
			m.value = value(p, depth + 1, open);
			if (!m.value)
				goto fail;
			OWG_VEC_PUSH(p->mems, m);
			owg_json_member *ms = p->mems.v + base;
			uint32_t idx = (uint32_t)(p->mems.n - base - 1);
			if (p->mems.n - base > UINT32_MAX - 1) {
				error(p, m.key_loc.begin, m.key_loc.end, "too many members in an object");
				goto fail;
			}
			long dup = -1;
			if (idx < DUP_LINEAR) {
				for (uint32_t j = 0; j < idx && dup < 0; j++)
					if (same_key(&ms[j], &ms[idx]))
						dup = j;
			} else {
				if (!ks.cap)
					for (uint32_t j = 0; j < idx; j++)
						keyset_add(&ks, ms, j);
				dup = keyset_add(&ks, ms, idx);
			}
			if (dup >= 0) {
				char *k = owg_json_display(p->a, m.key, m.keylen, 64);
				error(p, m.key_loc.begin, m.key_loc.end, "duplicate key '%s' in an object", k);
				owg_diag_note(p->d, ms[dup].key_loc, "'%s' first appears here", k);
				goto fail;
			}
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				uint32_t comma = p->pos++;
				skip_ws(p);
				if (p->pos < p->len && p->s[p->pos] == '}') {
					error(p, comma, comma + 1, "trailing comma before '}' (not allowed in JSON)");
					goto fail;
				}
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == '}') {
				p->pos++;
				break;
			}
			expected(p, "',' or '}' after an object member", open);
			goto fail;
		}
	}
	free(ks.slots);
	v->kind = OWG_JSON_OBJECT;
	v->loc.end = p->pos;
	v->u.obj.n = (uint32_t)(p->mems.n - base);
	if (v->u.obj.n) {
		v->u.obj.v = owg_arena_alloc(p->a, v->u.obj.n * sizeof *v->u.obj.v);
		memcpy(v->u.obj.v, p->mems.v + base, v->u.obj.n * sizeof *v->u.obj.v);
	}
	p->mems.n = base;
	return v;
fail:
	free(ks.slots);
	p->mems.n = base;
	return NULL;
}

/* A value; open is the bracket of the container it is in (UINT32_MAX at
 * the top), for the note when the file ends. */
static owg_json *value(parser *p, unsigned depth, uint32_t open)
{
	skip_ws(p);
	if (p->pos >= p->len) {
		expected(p, "a JSON value", open);
		return NULL;
	}
	owg_json *v = owg_arena_alloc(p->a, sizeof *v);
	v->loc = span(p, p->pos, p->pos + 1);
	char c = p->s[p->pos];
	switch (c) {
	case '{':
		return object(p, v, depth);
	case '[':
		return array(p, v, depth);
	case '"':
		v->kind = OWG_JSON_STRING;
		if (!string(p, &v->u.str.s, &v->u.str.len))
			return NULL;
		v->loc.end = p->pos;
		return v;
	default:
		break;
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		v->kind = OWG_JSON_NUMBER;
		if (!number(p, &v->u.num))
			return NULL;
		v->loc.end = p->pos;
		return v;
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return literal(p, v);
	if (c == '\'') {
		error(p, p->pos, p->pos + 1, "expected a JSON value, found '''; JSON strings take double quotes");
		return NULL;
	}
	expected(p, "a JSON value", UINT32_MAX);
	return NULL;
}

owg_json *owg_json_parse(const char *text, size_t len, uint32_t file, owg_arena *a, owg_diag *d)
{
	parser p = {.s = text, .len = (uint32_t)len, .file = file, .a = a, .d = d};
	if (len > OWG_JSON_MAX_BYTES) {
		p.len = 0;
		error(&p, 0, 0, "JSON text too large (%zu bytes; at most %zu)", len, OWG_JSON_MAX_BYTES);
		return NULL;
	}
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.pos = 3; /* a byte-order mark: RFC 8259 lets a reader skip it */
	owg_json *root = value(&p, 0, UINT32_MAX);
	if (root) {
		skip_ws(&p);
		if (p.pos < p.len) {
			char buf[64];
			uint32_t end;
			const char *f = found(&p, buf, sizeof buf, &end);
			error(&p, p.pos, end, "unexpected %s after the JSON value", f);
			root = NULL;
		}
	}
	OWG_VEC_FREE(p.vals);
	OWG_VEC_FREE(p.mems);
	return root;
}

const owg_json_member *owg_json_member_get(const owg_json *obj, const char *key)
{
	if (!obj || obj->kind != OWG_JSON_OBJECT)
		return NULL;
	size_t n = strlen(key);
	for (uint32_t i = 0; i < obj->u.obj.n; i++) {
		const owg_json_member *m = &obj->u.obj.v[i];
		if (m->keylen == n && !memcmp(m->key, key, n))
			return m;
	}
	return NULL;
}

const owg_json *owg_json_get(const owg_json *obj, const char *key)
{
	const owg_json_member *m = owg_json_member_get(obj, key);
	return m ? m->value : NULL;
}

const char *owg_json_kind_name(owg_json_kind k)
{
	switch (k) {
	case OWG_JSON_NULL: return "null";
	case OWG_JSON_BOOL: return "a boolean";
	case OWG_JSON_NUMBER: return "a number";
	case OWG_JSON_STRING: return "a string";
	case OWG_JSON_ARRAY: return "an array";
	case OWG_JSON_OBJECT: return "an object";
	}
	return "a value";
}

char *owg_json_display(owg_arena *a, const char *s, size_t len, size_t max)
{
	/* at most 6 bytes out per byte in, plus "..." */
	size_t cut = len < max ? len : max;
	char *o = owg_arena_alloc(a, 6 * (cut + 4) + 4);
	size_t n = 0, i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : owg_utf8_len((const unsigned char *)s + i, len - i);
		if (k == 0)
			k = 1; /* not UTF-8 after all: shown as a code below */
		if (i + k > cut) {
			memcpy(o + n, "...", 3);
			n += 3;
			break;
		}
		unsigned long cp = c;
		if (k == 2)
			cp = (unsigned long)(c & 0x1f) << 6 | ((unsigned char)s[i + 1] & 0x3f);
		if (c == '\n' || c == '\r' || c == '\t') {
			o[n++] = '\\';
			o[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (k == 1 && c >= 0x80)) {
			n += (size_t)sprintf(o + n, "\\u%04lx", cp);
		} else {
			memcpy(o + n, s + i, k);
			n += k;
		}
		i += k;
	}
	o[n] = '\0';
	return o;
}

owg_loc owg_json_head(const owg_json *v)
{
	owg_loc l = v->loc;
	if (v->kind == OWG_JSON_ARRAY || v->kind == OWG_JSON_OBJECT)
		l.end = l.begin + 1;
	return l;
}
