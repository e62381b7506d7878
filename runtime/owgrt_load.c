#include "config.h"

/* owgrt_load.c - the loader of placement binaries (layout: owgp_format.h).
 *
 * Every byte of the input is hostile until checked.  The loader works in
 * three steps, and nothing is used before the step that checks it:
 *   1. the header: magic, version, sizes, CRC-32;
 *   2. the section table: ids, order, bounds, record sizes, overlaps, the
 *      zero padding between sections, the presence of the sections;
 *   3. the sections, in dependency order (strings, fabrics, distributions,
 *      nodes with their arms and outputs, expressions, flows, analysis,
 *      plan): every count against its section, every index in range,
 *      every enum value, every reserved field zero, every number finite
 *      (and in range) where it must be.
 * Arithmetic on sizes is done in 64 bits after checking that nothing can
 * wrap; nothing recurses; memory is at most a small multiple of the input
 * (every record is owned once, see owgp_format.h).  The program is built
 * while checking; on an error everything allocated so far is freed. */

#include "owgrt.h"
#include "owgp_format.h"
#include "owgrt_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* The runtime's enums are the format's values. */
_Static_assert((int)OWGRT_CB_EXIT == OWGP_CB_EXIT && (int)OWGRT_ARM_CONT == OWGP_ARM_CONT &&
		       (int)OWGRT_DIST_EMPIRICAL == OWGP_DIST_EMPIRICAL && (int)OWGRT_OP_NEG == OWGP_OP_NEG &&
		       (int)OWGRT_TYPE_BOOL == OWGP_TYPE_BOOL && (int)OWGRT_EX_BINARY == OWGP_EX_BINARY &&
		       (int)OWGRT_PROB_HEURISTIC == OWGP_PROB_HEURISTIC && (int)OWGRT_LOOP_WHILE == OWGP_LOOP_WHILE &&
		       (int)OWGRT_TASK_GENERAL == OWGP_TASK_GENERAL && (int)OWGRT_NODE_CONTROL == OWGP_NODE_CONTROL,
	       "owgrt.h and owgp_format.h disagree");

/* The largest file owgrt_load_file reads. */
#define MAX_FILE_SIZE ((uint64_t)1 << 32)

/* --- the program and its memory --- */

typedef struct block {
	struct block *next;
	max_align_t data[];
} block;

typedef struct prog_impl {
	owgrt_program pub; /* first: owgrt_program_free casts back */
	block *blocks;
	owgrt_plan plan;
} prog_impl;

void owgrt_program_free(owgrt_program *p)
{
	if (!p)
		return;
	prog_impl *pi = (prog_impl *)p;
	for (block *b = pi->blocks; b;) {
		block *next = b->next;
		free(b);
		b = next;
	}
	free(pi);
}

const char *owgrt_strerror(int status)
{
	switch (status) {
	case OWGRT_OK: return "success";
	case OWGRT_EINVAL: return "invalid argument";
	case OWGRT_EIO: return "input/output error";
	case OWGRT_ENOMEM: return "out of memory";
	case OWGRT_EFORMAT: return "malformed placement binary";
	case OWGRT_EVERSION: return "unsupported placement binary version";
	case OWGRT_ECHECKSUM: return "placement binary checksum mismatch";
	}
	return "unknown status";
}

/* --- the loader's state --- */

typedef struct section {
	char id[5];
	uint32_t flags;
	uint64_t offset, size;
	uint32_t count, entsize;
	const uint8_t *p;
} section;


typedef struct ld {
	const uint8_t *b;
	uint64_t size;
	char *err;
	size_t err_size;
	prog_impl *pi;
	uint32_t nsec;
	section sec[OWGP_MAX_SECTIONS];
	const section *s[OWGP_S_COUNT]; /* NULL when absent */
	/* strings */
	const char *strs; /* the program's copy of the table */
	uint32_t nstrs;
	uint64_t str_used; /* bytes of the strings referenced so far, with their NULs */
	uint8_t *str_mark; /* per byte of the table: used by a string already */
	/* running totals of owned records */
	uint32_t next_arm, next_out, next_dist, next_sample, next_defect, next_cbarm;
	/* decoded */
	uint32_t nnodes;
	owgrt_node *nodes;
	owgrt_dist *dists;
	uint32_t ndists;
	bool has_plan;
	uint32_t nfabrics; /* the graph's */
	owgrt_fabric *fabrics; /* nfabrics + (has_plan) */
} ld;

/* --- errors --- */

static int fail(ld *l, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(ld *l, int code, const char *fmt, ...)
{
	if (l->err && l->err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(l->err, l->err_size, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* "section ID: ..." */
static int sfail(ld *l, int sec, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int sfail(ld *l, int sec, const char *fmt, ...)
{
	if (l->err && l->err_size) {
		int n = snprintf(l->err, l->err_size, "section %s: ", owgp_sections[sec].id);
		if (n >= 0 && (size_t)n < l->err_size) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(l->err + n, l->err_size - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return OWGRT_EFORMAT;
}

static int nomem(ld *l)
{
	return fail(l, OWGRT_ENOMEM, "out of memory");
}

/* Zeroed memory for n elements of size bytes, owned by the program. */
static void *alloc(ld *l, uint64_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (n > (SIZE_MAX - sizeof(block)) / size)
		return NULL;
	block *b = calloc(1, sizeof(block) + (size_t)n * size);
	if (!b)
		return NULL;
	b->next = l->pi->blocks;
	l->pi->blocks = b;
	return b->data;
}

#define ALLOC(ptr, n)                                                   \
	do {                                                            \
		if (!((ptr) = alloc(l, (n), sizeof *(ptr))))            \
			return nomem(l);                                \
	} while (0)

#define TRY(x)                                                          \
	do {                                                            \
		int rc_ = (x);                                          \
		if (rc_ != OWGRT_OK)                                    \
			return rc_;                                     \
	} while (0)

/* --- little-endian fields --- */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static double rdf(const uint8_t *p)
{
	uint64_t u = rd64(p);
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static const uint8_t *rec(const section *s, uint32_t i)
{
	return s->p + (uint64_t)i * s->entsize;
}

static bool finite_nonneg(double x)
{
	return isfinite(x) && x >= 0;
}

static bool prob(double x)
{
	return x >= 0 && x <= 1;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* --- strings --- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns the offset of the first bad byte, or n. */
static size_t utf8_bad(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp, min;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1fu, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0fu, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07u, min = 0x10000;
		else
			return i;
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

static bool is_ident(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* The string at offset off; NULL (and no error) for OWGP_NONE when
 * none_ok.  Returns NULL on success, else what is wrong (in buf). */
static const char *str_at(ld *l, uint32_t off, bool none_ok, const char **out, char *buf, size_t n)
{
	*out = NULL;
	if (off == OWGP_NONE && none_ok)
		return NULL;
	if (off >= l->nstrs) {
		snprintf(buf, n, "string offset %u out of range (the table has %u bytes)", off, l->nstrs);
		return buf;
	}
	if (((uint8_t)l->strs[off] & 0xc0) == 0x80) {
		snprintf(buf, n, "string offset %u points inside a UTF-8 sequence", off);
		return buf;
	}
	size_t len = strlen(l->strs + off); /* the table ends with a NUL */
	l->str_used += len + 1;
	if (l->str_used > l->nstrs) {
		snprintf(buf, n, "string at offset %u is used twice (strings are referenced once: "
			 "%llu bytes referenced, the table has %u)",
			 off, (unsigned long long)l->str_used, l->nstrs);
		return buf;
	}
	/* linear in all: the bytes marked add up to at most the table's size */
	for (size_t k = 0; k <= len; k++) {
		if (l->str_mark[off + k]) {
			snprintf(buf, n, "string at offset %u is used twice (or overlaps another one)", off);
			return buf;
		}
		l->str_mark[off + k] = 1;
	}
	*out = l->strs + off;
	return NULL;
}

/* --- 1. the header --- */

static int bad_magic(ld *l)
{
	const uint8_t *b = l->b;
	size_t n = (size_t)l->size;
	if (n == 0)
		return fail(l, OWGRT_EFORMAT, "empty input: not a placement binary");
	if (n < OWGP_MAGIC_SIZE && memcmp(b, OWGP_MAGIC, n) == 0)
		return fail(l, OWGRT_EFORMAT, "truncated: %zu bytes, shorter than the %d-byte header", n,
			    OWGP_HEADER_SIZE);
	if (n >= 5 && memcmp(b, "owgir", 5) == 0)
		return fail(l, OWGRT_EFORMAT, "this is OWG IR text, not a placement binary");
	if (n >= 4 && memcmp(b, "\x89OWP", 4) == 0) {
		if (n >= 7 && memcmp(b + 4, "\n\x1a\n", 3) == 0)
			return fail(l, OWGRT_EFORMAT, "not a placement binary any more: a text-mode transfer "
				    "turned CR LF into LF (copy .owgp files in binary mode)");
		if (n >= 8 && memcmp(b + 4, "\r\r\n\x1a", 4) == 0)
			return fail(l, OWGRT_EFORMAT, "not a placement binary any more: a text-mode transfer "
				    "turned LF into CR LF (copy .owgp files in binary mode)");
	}
	if (n >= 4 && memcmp(b, "\x09OWP", 4) == 0)
		return fail(l, OWGRT_EFORMAT, "not a placement binary any more: the high bit of its first "
			    "byte was stripped by a 7-bit transfer (copy .owgp files in binary mode)");
	return fail(l, OWGRT_EFORMAT, "not a placement binary (bad magic number)");
}

static uint32_t crc_span(uLong c, const uint8_t *b, uint64_t n)
{
	while (n) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
		c = crc32(c, b, k);
		b += k;
		n -= k;
	}
	return (uint32_t)c;
}

/* CRC-32 of the file with the CRC field taken as zero (n >= the header). */
static uint32_t file_crc(const uint8_t *b, uint64_t n)
{
	static const uint8_t zeros[4];
	uLong c = crc32(0L, Z_NULL, 0);
	c = crc_span(c, b, OWGP_CRC_OFFSET);
	c = crc_span(c, zeros, 4);
	return crc_span(c, b + OWGP_CRC_OFFSET + 4, n - OWGP_CRC_OFFSET - 4);
}

static int check_header(ld *l, uint32_t *count, uint64_t *table, uint32_t *header_size)
{
	const uint8_t *b = l->b;
	if (l->size < OWGP_MAGIC_SIZE || memcmp(b, OWGP_MAGIC, OWGP_MAGIC_SIZE) != 0)
		return bad_magic(l);
	if (l->size < OWGP_HEADER_SIZE)
		return fail(l, OWGRT_EFORMAT, "truncated: %llu bytes, shorter than the %d-byte header",
			    (unsigned long long)l->size, OWGP_HEADER_SIZE);
	unsigned major = rd16(b + 8), minor = rd16(b + 10);
	l->pi->pub.version_major = major;
	l->pi->pub.version_minor = minor;
	if (major > OWGP_VERSION_MAJOR)
		return fail(l, OWGRT_EVERSION,
			    "format version %u.%u is newer than this loader's %d.%d: use a newer libowgrt "
			    "(or an owgc of the same version to recompile)",
			    major, minor, OWGP_VERSION_MAJOR, OWGP_VERSION_MINOR);
	if (major < OWGP_VERSION_MAJOR)
		return fail(l, OWGRT_EVERSION, "format version %u.%u is not supported (this loader reads %d.x)",
			    major, minor, OWGP_VERSION_MAJOR);
	uint64_t file_size = rd64(b + 16);
	if (l->size < file_size)
		return fail(l, OWGRT_EFORMAT, "truncated: %llu bytes of the %llu the header announces",
			    (unsigned long long)l->size, (unsigned long long)file_size);
	if (l->size > file_size)
		return fail(l, OWGRT_EFORMAT, "%llu bytes, but the header announces %llu: trailing bytes",
			    (unsigned long long)l->size, (unsigned long long)file_size);
	uint32_t want = rd32(b + OWGP_CRC_OFFSET), got = file_crc(b, l->size);
	if (want != got)
		return fail(l, OWGRT_ECHECKSUM,
			    "checksum mismatch (CRC-32 %08x, the header says %08x): the file is corrupted",
			    got, want);
	*header_size = rd32(b + 12);
	*count = rd32(b + 24);
	uint32_t flags = rd32(b + 28);
	*table = rd64(b + 32);
	if (*header_size < OWGP_HEADER_SIZE || *header_size % 8 || *header_size > l->size)
		return fail(l, OWGRT_EFORMAT, "header: header size %u is invalid", *header_size);
	if (flags & OWGP_HEADER_REQUIRED_MASK & ~OWGP_HEADER_KNOWN_FLAGS)
		return fail(l, OWGRT_EVERSION, "header: unknown flags 0x%x (written by a newer owgc?)",
			    flags & OWGP_HEADER_REQUIRED_MASK);
	if (rd32(b + 44))
		return fail(l, OWGRT_EFORMAT, "header: reserved field is not zero");
	if (*count > OWGP_MAX_SECTIONS)
		return fail(l, OWGRT_EFORMAT, "header: %u sections, more than the %d allowed", *count,
			    OWGP_MAX_SECTIONS);
	if (*table % 8)
		return fail(l, OWGRT_EFORMAT, "header: section table offset %llu is not a multiple of 8",
			    (unsigned long long)*table);
	if (*table > l->size || (uint64_t)*count * OWGP_ENTRY_SIZE > l->size - *table)
		return fail(l, OWGRT_EFORMAT,
			    "header: the section table (%u entries at offset %llu) is outside the file (%llu bytes)",
			    *count, (unsigned long long)*table, (unsigned long long)l->size);
	return OWGRT_OK;
}

/* --- 2. the section table --- */

typedef struct span {
	uint64_t b, e;
	const char *what; /* "the header", "the section table" or a section id */
} span;

static int cmp_span(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->b < y->b ? -1 : x->b > y->b ? 1 : (x->e > y->e) - (x->e < y->e);
}

static bool id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int read_table(ld *l, uint32_t count, uint64_t table, uint32_t header_size)
{
	span spans[OWGP_MAX_SECTIONS + 2];
	size_t nspans = 0;
	spans[nspans++] = (span){0, header_size, "the header"};
	if (count)
		spans[nspans++] = (span){table, table + (uint64_t)count * OWGP_ENTRY_SIZE, "the section table"};
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = l->b + table + (uint64_t)i * OWGP_ENTRY_SIZE;
		section *s = &l->sec[i];
		memcpy(s->id, e, 4);
		s->id[4] = '\0';
		if (!id_char(s->id[0]) || !id_char(s->id[1]) || !id_char(s->id[2]) || !id_char(s->id[3]))
			return fail(l, OWGRT_EFORMAT, "section table: entry %u: invalid id %02x %02x %02x %02x",
				    i, e[0], e[1], e[2], e[3]);
		if (i && memcmp(s->id, l->sec[i - 1].id, 4) <= 0)
			return fail(l, OWGRT_EFORMAT,
				    "section table: entry %u: %s after %s (ids must be sorted, each once)", i,
				    s->id, l->sec[i - 1].id);
		s->flags = rd32(e + 4);
		s->offset = rd64(e + 8);
		s->size = rd64(e + 16);
		s->count = rd32(e + 24);
		s->entsize = rd32(e + 28);
		if (s->offset % 8)
			return fail(l, OWGRT_EFORMAT, "section %s: offset %llu is not a multiple of 8", s->id,
				    (unsigned long long)s->offset);
		if (s->offset > l->size || s->size > l->size - s->offset)
			return fail(l, OWGRT_EFORMAT,
				    "section %s: %llu bytes at offset %llu go past the end of the file (%llu bytes)",
				    s->id, (unsigned long long)s->size, (unsigned long long)s->offset,
				    (unsigned long long)l->size);
		if (s->entsize == 0)
			return fail(l, OWGRT_EFORMAT, "section %s: record size 0", s->id);
		if ((uint64_t)s->count * s->entsize != s->size)
			return fail(l, OWGRT_EFORMAT, "section %s: %llu bytes are not %u records of %u bytes",
				    s->id, (unsigned long long)s->size, s->count, s->entsize);
		s->p = l->b + s->offset;
		int k = 0;
		while (k < OWGP_S_COUNT && memcmp(owgp_sections[k].id, s->id, 4) != 0)
			k++;
		if (k == OWGP_S_COUNT) {
			if (s->flags & OWGP_SEC_REQUIRED)
				return fail(l, OWGRT_EVERSION,
					    "section %s: unknown section marked required (written by a newer owgc?)",
					    s->id);
		} else {
			if (s->entsize < owgp_sections[k].size || (k == OWGP_S_STRS && s->entsize != 1))
				return fail(l, OWGRT_EFORMAT, "section %s: records of %u bytes, expected %s%u",
					    s->id, s->entsize, k == OWGP_S_STRS ? "" : "at least ", owgp_sections[k].size);
			l->s[k] = s;
		}
		if (s->size)
			spans[nspans++] = (span){s->offset, s->offset + s->size, s->id};
	}
	l->nsec = count;
	qsort(spans, nspans, sizeof *spans, cmp_span);
	uint64_t end = 0;
	for (size_t i = 0; i < nspans; i++) {
		if (i && spans[i].b < end)
			return fail(l, OWGRT_EFORMAT, "%s%s overlaps %s%s",
				    spans[i].what[0] == 't' ? "" : "section ", spans[i].what,
				    spans[i - 1].what[0] == 't' ? "" : "section ", spans[i - 1].what);
		for (uint64_t k = end; k < spans[i].b; k++)
			if (l->b[k])
				return fail(l, OWGRT_EFORMAT, "byte %llu (between sections) is not zero",
					    (unsigned long long)k);
		end = spans[i].e;
	}
	for (uint64_t k = end; k < l->size; k++)
		if (l->b[k])
			return fail(l, OWGRT_EFORMAT, "byte %llu (after the last section) is not zero",
				    (unsigned long long)k);

	static const int required[] = {OWGP_S_GRPH, OWGP_S_STRS, OWGP_S_NODE, OWGP_S_ARMS, OWGP_S_OUTS, OWGP_S_DIST,
				       OWGP_S_SAMP, OWGP_S_EXPR, OWGP_S_FLOW, OWGP_S_FABR, OWGP_S_DEFS};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!l->s[required[i]])
			return fail(l, OWGRT_EFORMAT, "section %s is missing", owgp_sections[required[i]].id);
	static const int groups[][4] = {
		{OWGP_S_ACBF, OWGP_S_ACBA, -1, -1},
		{OWGP_S_ALOD, OWGP_S_ABND, -1, -1},
		{OWGP_S_PLAN, OWGP_S_PNOD, OWGP_S_PCLU, OWGP_S_PEAS},
	};
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
		int have = -1, lack = -1;
		for (int k = 0; k < 4 && groups[g][k] >= 0; k++) {
			if (l->s[groups[g][k]])
				have = groups[g][k];
			else
				lack = groups[g][k];
		}
		if (have >= 0 && lack >= 0)
			return fail(l, OWGRT_EFORMAT, "section %s is missing (section %s needs it)",
				    owgp_sections[lack].id, owgp_sections[have].id);
	}
	return OWGRT_OK;
}

/* --- 3. the sections --- */

static int expect_count(ld *l, int sec, uint32_t want, const char *what)
{
	uint32_t n = l->s[sec]->count;
	if (n != want)
		return sfail(l, sec, "%u records, expected %u (%s)", n, want, what);
	return OWGRT_OK;
}

static int load_strings(ld *l)
{
	const section *s = l->s[OWGP_S_STRS];
	if (s->size == 0)
		return sfail(l, OWGP_S_STRS, "empty string table");
	if (s->size > UINT32_MAX)
		return sfail(l, OWGP_S_STRS, "string table of %llu bytes (at most 4 GiB)",
			     (unsigned long long)s->size);
	if (s->p[s->size - 1] != 0)
		return sfail(l, OWGP_S_STRS, "the last string has no terminating NUL");
	size_t bad = utf8_bad(s->p, (size_t)s->size);
	if (bad != s->size)
		return sfail(l, OWGP_S_STRS, "invalid UTF-8 at byte %zu", bad);
	char *copy;
	ALLOC(copy, s->size);
	memcpy(copy, s->p, (size_t)s->size);
	l->strs = copy;
	l->nstrs = (uint32_t)s->size;
	l->str_mark = calloc((size_t)s->size, 1);
	if (!l->str_mark)
		return nomem(l);
	return OWGRT_OK;
}

static int load_graph(ld *l)
{
	TRY(expect_count(l, OWGP_S_GRPH, 1, "one graph"));
	const uint8_t *r = rec(l->s[OWGP_S_GRPH], 0);
	char buf[160];
	const char *why = str_at(l, rd32(r), false, &l->pi->pub.name, buf, sizeof buf);
	if (why)
		return sfail(l, OWGP_S_GRPH, "workflow name: %s", why);
	l->nfabrics = rd32(r + 4);
	return OWGRT_OK;
}

static const char *const level_name[OWGRT_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};

static int load_fabrics(ld *l)
{
	const section *s = l->s[OWGP_S_FABR], *ds = l->s[OWGP_S_DEFS];
	uint64_t want = (uint64_t)l->nfabrics + l->has_plan;
	if (s->count != want)
		return sfail(l, OWGP_S_FABR, "%u fabrics, expected %llu (GRPH declares %u%s)", s->count,
			     (unsigned long long)want, l->nfabrics, l->has_plan ? ", plus the plan's" : "");
	ALLOC(l->fabrics, s->count);
	char buf[160];
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *r = rec(s, i);
		owgrt_fabric *f = &l->fabrics[i];
		const char *why = str_at(l, rd32(r), false, &f->name, buf, sizeof buf);
		if (why)
			return sfail(l, OWGP_S_FABR, "fabric %u: name: %s", i, why);
		uint32_t flags = rd32(r + 4);
		if (flags & ~(uint32_t)OWGP_FABRIC_FLAT)
			return sfail(l, OWGP_S_FABR, "fabric %u: unknown flags 0x%x", i, flags);
		f->flat = flags & OWGP_FABRIC_FLAT;
		f->grid_w[OWGRT_FAB_PEA] = f->grid_h[OWGRT_FAB_PEA] = 1;
		f->width = f->height = 1;
		for (int k = OWGRT_FAB_CLUSTER; k < OWGRT_FAB_LEVELS; k++) {
			f->grid_w[k] = rd32(r + 8 + 8 * (k - 1));
			f->grid_h[k] = rd32(r + 12 + 8 * (k - 1));
			if (f->grid_w[k] < 1 || f->grid_h[k] < 1)
				return sfail(l, OWGP_S_FABR, "fabric %u: %s grid %ux%u (at least 1x1)", i,
					     level_name[k], f->grid_w[k], f->grid_h[k]);
			f->width = mul_sat(f->width, f->grid_w[k]);
			f->height = mul_sat(f->height, f->grid_h[k]);
		}
		for (int k = 0; k < OWGRT_FAB_LEVELS; k++) {
			f->hop_latency[k] = rdf(r + 32 + 8 * k);
			f->link_bandwidth[k] = rdf(r + 64 + 8 * k);
			if (!finite_nonneg(f->hop_latency[k]))
				return sfail(l, OWGP_S_FABR, "fabric %u: %s hop latency %g (finite, >= 0)", i,
					     level_name[k], f->hop_latency[k]);
			if (!(isfinite(f->link_bandwidth[k]) && f->link_bandwidth[k] > 0))
				return sfail(l, OWGP_S_FABR, "fabric %u: %s link bandwidth %g (finite, > 0)", i,
					     level_name[k], f->link_bandwidth[k]);
		}
		f->reconfig_bandwidth = rdf(r + 96);
		f->control_latency = rdf(r + 104);
		if (!(isfinite(f->reconfig_bandwidth) && f->reconfig_bandwidth > 0))
			return sfail(l, OWGP_S_FABR, "fabric %u: reconfiguration bandwidth %g (finite, > 0)", i,
				     f->reconfig_bandwidth);
		if (!finite_nonneg(f->control_latency))
			return sfail(l, OWGP_S_FABR, "fabric %u: control latency %g (finite, >= 0)", i,
				     f->control_latency);
		uint32_t first = rd32(r + 112), n = rd32(r + 116);
		if (first != l->next_defect)
			return sfail(l, OWGP_S_FABR, "fabric %u: defects start at %u, expected %u (the defects of "
				     "the fabrics before)", i, first, l->next_defect);
		if (n > ds->count - first)
			return sfail(l, OWGP_S_FABR, "fabric %u: %u defects from %u, but section DEFS has %u", i, n,
				     first, ds->count);
		owgrt_pea_xy *d;
		ALLOC(d, n);
		for (uint32_t k = 0; k < n; k++) {
			const uint8_t *dr = rec(ds, first + k);
			d[k].x = rd32(dr);
			d[k].y = rd32(dr + 4);
			if (d[k].x >= f->width || d[k].y >= f->height)
				return sfail(l, OWGP_S_DEFS, "defect %u (%u, %u) of fabric %u is outside its %llux%llu "
					     "PEA mesh", first + k, d[k].x, d[k].y, i,
					     (unsigned long long)f->width, (unsigned long long)f->height);
		}
		f->defects = d;
		f->ndefects = n;
		l->next_defect += n;
	}
	if (l->next_defect != ds->count)
		return sfail(l, OWGP_S_DEFS, "%u records, but the fabrics use %u", ds->count, l->next_defect);
	l->pi->pub.fabrics = l->fabrics;
	l->pi->pub.nfabrics = l->nfabrics;
	return OWGRT_OK;
}

static int load_dists(ld *l)
{
	const section *s = l->s[OWGP_S_DIST], *ss = l->s[OWGP_S_SAMP];
	l->ndists = s->count;
	ALLOC(l->dists, s->count);
	double *samples;
	ALLOC(samples, ss->count);
	for (uint32_t k = 0; k < ss->count; k++) {
		samples[k] = rdf(rec(ss, k));
		if (!finite_nonneg(samples[k]))
			return sfail(l, OWGP_S_SAMP, "sample %u is %g (finite, >= 0)", k, samples[k]);
	}
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *r = rec(s, i);
		owgrt_dist *d = &l->dists[i];
		if (r[0] > OWGP_DIST_EMPIRICAL)
			return sfail(l, OWGP_S_DIST, "distribution %u: invalid kind %u", i, r[0]);
		d->kind = (owgrt_dist_kind)r[0];
		if (!zero(r + 1, 3) || rd32(r + 12))
			return sfail(l, OWGP_S_DIST, "distribution %u: reserved field not zero", i);
		uint32_t n = rd32(r + 4), first = rd32(r + 8);
		if (d->kind == OWGRT_DIST_EMPIRICAL && n == 0)
			return sfail(l, OWGP_S_DIST, "distribution %u: empirical without samples", i);
		if (d->kind != OWGRT_DIST_EMPIRICAL && n != 0)
			return sfail(l, OWGP_S_DIST, "distribution %u: %u samples for a non-empirical distribution", i, n);
		if (first != l->next_sample)
			return sfail(l, OWGP_S_DIST, "distribution %u: samples start at %u, expected %u", i, first,
				     l->next_sample);
		if (n > ss->count - first)
			return sfail(l, OWGP_S_DIST, "distribution %u: %u samples from %u, but section SAMP has %u", i,
				     n, first, ss->count);
		d->nsamples = n;
		d->samples = n ? samples + first : NULL;
		l->next_sample += n;
		d->a = rdf(r + 16);
		d->b = rdf(r + 24);
		if (!finite_nonneg(d->a) || !finite_nonneg(d->b))
			return sfail(l, OWGP_S_DIST, "distribution %u: parameters %g, %g (finite, >= 0)", i, d->a, d->b);
		if (d->kind == OWGRT_DIST_UNIFORM && d->a > d->b)
			return sfail(l, OWGP_S_DIST, "distribution %u: uniform low %g above high %g", i, d->a, d->b);
	}
	if (l->next_sample != ss->count)
		return sfail(l, OWGP_S_SAMP, "%u samples, but the distributions use %u", ss->count, l->next_sample);
	return OWGRT_OK;
}

/* The next distribution, owned by node i as its `what`. */
static int take_dist(ld *l, uint32_t i, uint32_t idx, const char *what, owgrt_dist *out)
{
	if (idx != l->next_dist)
		return sfail(l, OWGP_S_NODE, "node %u: %s distribution %u, expected %u (the next one)", i, what, idx,
			     l->next_dist);
	if (idx >= l->ndists)
		return sfail(l, OWGP_S_NODE, "node %u: %s distribution %u out of range (%u distributions)", i, what,
			     idx, l->ndists);
	l->next_dist++;
	*out = l->dists[idx];
	return OWGRT_OK;
}

static bool arms_canonical(owgrt_cb_kind k, const owgrt_arm *a, uint32_t n)
{
	static const owgrt_arm_kind want[][2] = {
		[OWGRT_CB_ENTRY] = {OWGRT_ARM_SEQ},
		[OWGRT_CB_BRANCH] = {OWGRT_ARM_THEN, OWGRT_ARM_ELSE},
		[OWGRT_CB_LOOP] = {OWGRT_ARM_BODY, OWGRT_ARM_REPEAT},
		[OWGRT_CB_FORK] = {OWGRT_ARM_ITEM},
		[OWGRT_CB_EXIT] = {OWGRT_ARM_TAKEN, OWGRT_ARM_CONT},
	};
	if (k == OWGRT_CB_SWITCH) {
		if (n == 0)
			return false;
		for (uint32_t i = 0; i < n; i++)
			if (a[i].kind != OWGRT_ARM_CASE && !(a[i].kind == OWGRT_ARM_DEFAULT && i == n - 1))
				return false;
		return true;
	}
	uint32_t count = k == OWGRT_CB_ENTRY || k == OWGRT_CB_FORK ? 1 : 2;
	if (n != count)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (a[i].kind != want[k][i])
			return false;
	return true;
}

static const char *const cb_name[] = {"entry", "branch", "switch", "loop", "fork", "exit"};

static int load_task(ld *l, uint32_t i, const uint8_t *r, owgrt_node *n, owgrt_out *outs)
{
	const section *os = l->s[OWGP_S_OUTS];
	char buf[160];
	if (r[1] > OWGP_TASK_GENERAL)
		return sfail(l, OWGP_S_NODE, "node %u: invalid task kind %u", i, r[1]);
	n->task_kind = (owgrt_task_kind)r[1];
	if (r[2])
		return sfail(l, OWGP_S_NODE, "node %u: a task with a loop kind", i);
	n->peas = rd32(r + 16);
	if (n->peas < 1)
		return sfail(l, OWGP_S_NODE, "node %u: a task needs at least 1 PEA", i);
	TRY(take_dist(l, i, rd32(r + 20), "time", &n->time));
	if (n->time.kind == OWGRT_DIST_POISSON || n->time.kind == OWGRT_DIST_GEOMETRIC)
		return sfail(l, OWGP_S_NODE, "node %u: time: a count distribution", i);
	const char *why = str_at(l, rd32(r + 24), true, &n->kernel, buf, sizeof buf);
	if (why)
		return sfail(l, OWGP_S_NODE, "node %u: kernel: %s", i, why);
	if (n->kernel && !is_ident(n->kernel))
		return sfail(l, OWGP_S_NODE, "node %u: kernel name is not a C identifier", i);
	uint32_t first = rd32(r + 28), nouts = rd32(r + 32);
	if (first != l->next_out)
		return sfail(l, OWGP_S_NODE, "node %u: outputs start at %u, expected %u (the outputs of the tasks "
			     "before)", i, first, l->next_out);
	if (nouts > os->count - first)
		return sfail(l, OWGP_S_NODE, "node %u: %u outputs from %u, but section OUTS has %u", i, nouts, first,
			     os->count);
	for (uint32_t k = 0; k < nouts; k++) {
		const uint8_t *o = rec(os, first + k);
		owgrt_out *out = &outs[first + k];
		why = str_at(l, rd32(o), false, &out->name, buf, sizeof buf);
		if (why)
			return sfail(l, OWGP_S_OUTS, "output %u (of node %u): name: %s", first + k, i, why);
		if (!is_ident(out->name))
			return sfail(l, OWGP_S_OUTS, "output %u (of node %u): name is not an identifier", first + k, i);
		if (o[4] > OWGP_TYPE_BOOL)
			return sfail(l, OWGP_S_OUTS, "output %u (of node %u): invalid type %u", first + k, i, o[4]);
		if (!zero(o + 5, 3))
			return sfail(l, OWGP_S_OUTS, "output %u (of node %u): reserved field not zero", first + k, i);
		out->type = (owgrt_type)o[4];
	}
	n->outs = nouts ? outs + first : NULL;
	n->nouts = nouts;
	l->next_out += nouts;
	if (!zero(r + 36, 12))
		return sfail(l, OWGP_S_NODE, "node %u: reserved field not zero", i);
	n->config_bytes = rdf(r + 48);
	if (!finite_nonneg(n->config_bytes))
		return sfail(l, OWGP_S_NODE, "node %u: configuration size %g (finite, >= 0)", i, n->config_bytes);
	n->pred = n->count_node = OWGRT_NONE;
	return OWGRT_OK;
}

static int load_control(ld *l, uint32_t i, const uint8_t *r, owgrt_node *n, owgrt_arm *arms)
{
	const section *as = l->s[OWGP_S_ARMS];
	if (r[1] > OWGP_CB_EXIT)
		return sfail(l, OWGP_S_NODE, "node %u: invalid control kind %u", i, r[1]);
	n->cb_kind = (owgrt_cb_kind)r[1];
	if (i == 0 && n->cb_kind != OWGRT_CB_ENTRY)
		return sfail(l, OWGP_S_NODE, "node 0: a %s, but node 0 must be the entry", cb_name[n->cb_kind]);
	if (i != 0 && n->cb_kind == OWGRT_CB_ENTRY)
		return sfail(l, OWGP_S_NODE, "node %u: only node 0 may be the entry", i);
	bool loop = n->cb_kind == OWGRT_CB_LOOP;
	if (r[2] > (loop ? OWGP_LOOP_WHILE : 0))
		return sfail(l, OWGP_S_NODE, "node %u: invalid loop kind %u for %s %s", i, r[2],
			     n->cb_kind == OWGRT_CB_ENTRY ? "an" : "a", cb_name[n->cb_kind]);
	n->loop_kind = (owgrt_loop_kind)r[2];
	bool loop_while = loop && n->loop_kind == OWGRT_LOOP_WHILE;
	uint32_t first = rd32(r + 16), narms = rd32(r + 20);
	if (first != l->next_arm)
		return sfail(l, OWGP_S_NODE, "node %u: arms start at %u, expected %u (the arms of the nodes before)",
			     i, first, l->next_arm);
	if (narms > as->count - first)
		return sfail(l, OWGP_S_NODE, "node %u: %u arms from %u, but section ARMS has %u", i, narms, first,
			     as->count);
	for (uint32_t k = 0; k < narms; k++) {
		const uint8_t *a = rec(as, first + k);
		owgrt_arm *arm = &arms[first + k];
		if (a[0] > OWGP_ARM_CONT)
			return sfail(l, OWGP_S_ARMS, "arm %u (of node %u): invalid kind %u", first + k, i, a[0]);
		if (!zero(a + 1, 7))
			return sfail(l, OWGP_S_ARMS, "arm %u (of node %u): reserved field not zero", first + k, i);
		arm->kind = (owgrt_arm_kind)a[0];
		arm->value = rdf(a + 8);
		arm->prob = rdf(a + 16);
		if (arm->kind == OWGRT_ARM_CASE ? !isfinite(arm->value) : rd64(a + 8) != 0)
			return sfail(l, OWGP_S_ARMS, "arm %u (of node %u): case value %g", first + k, i, arm->value);
		if (!isnan(arm->prob) && !prob(arm->prob))
			return sfail(l, OWGP_S_ARMS, "arm %u (of node %u): probability %g outside [0, 1]", first + k, i,
				     arm->prob);
	}
	n->arms = narms ? arms + first : NULL;
	n->narms = narms;
	l->next_arm += narms;
	if (!arms_canonical(n->cb_kind, n->arms, narms))
		return sfail(l, OWGP_S_NODE, "node %u: the arms of %s %s are not canonical", i,
			     n->cb_kind == OWGRT_CB_ENTRY ? "an" : "a", cb_name[n->cb_kind]);
	n->pred = rd32(r + 24);
	bool pred_ok = n->cb_kind == OWGRT_CB_BRANCH || n->cb_kind == OWGRT_CB_SWITCH ||
		       n->cb_kind == OWGRT_CB_EXIT || loop_while;
	if (n->pred != OWGRT_NONE && !pred_ok)
		return sfail(l, OWGP_S_NODE, "node %u: %s %s takes no predicate", i,
			     n->cb_kind == OWGRT_CB_ENTRY ? "an" : "a",
			     loop ? "counted loop" : cb_name[n->cb_kind]);
	if (n->pred == OWGRT_NONE && loop_while)
		return sfail(l, OWGP_S_NODE, "node %u: a while loop needs a predicate", i);
	if (n->pred != OWGRT_NONE && n->pred >= l->s[OWGP_S_EXPR]->count)
		return sfail(l, OWGP_S_NODE, "node %u: predicate %u out of range (%u expressions)", i, n->pred,
			     l->s[OWGP_S_EXPR]->count);
	uint32_t count = rd32(r + 28);
	n->has_count = n->cb_kind == OWGRT_CB_FORK || (loop && !loop_while);
	if (n->has_count)
		TRY(take_dist(l, i, count, n->cb_kind == OWGRT_CB_FORK ? "count" : "trips", &n->count));
	else if (count != OWGP_NONE)
		return sfail(l, OWGP_S_NODE, "node %u: a count distribution on %s %s", i,
			     n->cb_kind == OWGRT_CB_ENTRY ? "an" : "a", loop ? "while loop" : cb_name[n->cb_kind]);
	n->max_trips = rd32(r + 32);
	if (n->max_trips && !loop_while)
		return sfail(l, OWGP_S_NODE, "node %u: a trip bound on something else than a while loop", i);
	n->count_node = rd32(r + 36);
	n->count_out = rd32(r + 40);
	if (n->cb_kind != OWGRT_CB_FORK && (n->count_node != OWGRT_NONE || n->count_out))
		return sfail(l, OWGP_S_NODE, "node %u: a count output on something else than a fork", i);
	if (n->count_node == OWGRT_NONE && n->count_out)
		return sfail(l, OWGP_S_NODE, "node %u: a count output index without a count node", i);
	if (n->count_node != OWGRT_NONE && n->count_node >= l->nnodes)
		return sfail(l, OWGP_S_NODE, "node %u: count node %u out of range (%u nodes)", i, n->count_node,
			     l->nnodes);
	if (rd32(r + 44) || rd64(r + 48))
		return sfail(l, OWGP_S_NODE, "node %u: reserved field not zero", i);
	return OWGRT_OK;
}

static int load_nodes(ld *l)
{
	const section *s = l->s[OWGP_S_NODE];
	l->nnodes = s->count;
	if (l->nnodes == 0)
		return sfail(l, OWGP_S_NODE, "no nodes (node 0 must be the entry)");
	if (l->nnodes == OWGRT_NONE)
		return sfail(l, OWGP_S_NODE, "too many nodes");
	ALLOC(l->nodes, l->nnodes);
	owgrt_out *outs;
	owgrt_arm *arms;
	ALLOC(outs, l->s[OWGP_S_OUTS]->count);
	ALLOC(arms, l->s[OWGP_S_ARMS]->count);
	char buf[160];
	for (uint32_t i = 0; i < l->nnodes; i++) {
		const uint8_t *r = rec(s, i);
		owgrt_node *n = &l->nodes[i];
		if (r[0] > OWGP_NODE_CONTROL)
			return sfail(l, OWGP_S_NODE, "node %u: invalid kind %u", i, r[0]);
		n->kind = (owgrt_node_kind)r[0];
		if (i == 0 && n->kind != OWGRT_NODE_CONTROL)
			return sfail(l, OWGP_S_NODE, "node 0: a task, but node 0 must be the entry");
		if (r[3])
			return sfail(l, OWGP_S_NODE, "node %u: reserved field not zero", i);
		const char *why = str_at(l, rd32(r + 4), false, &n->name, buf, sizeof buf);
		if (why)
			return sfail(l, OWGP_S_NODE, "node %u: name: %s", i, why);
		n->region = rd32(r + 8);
		n->arm = rd32(r + 12);
		if (i == 0) {
			if (n->region != OWGRT_NONE)
				return sfail(l, OWGP_S_NODE, "node 0: the entry has region %u (it has none)", n->region);
			if (n->arm)
				return sfail(l, OWGP_S_NODE, "node 0: the entry has arm %u (it has none)", n->arm);
		} else {
			if (n->region >= l->nnodes)
				return sfail(l, OWGP_S_NODE, "node %u: region %u out of range (%u nodes)", i, n->region,
					     l->nnodes);
			if (n->region >= i)
				return sfail(l, OWGP_S_NODE, "node %u: region %u does not come before it", i, n->region);
			const owgrt_node *rn = &l->nodes[n->region];
			if (rn->kind != OWGRT_NODE_CONTROL)
				return sfail(l, OWGP_S_NODE, "node %u: region %u is not a control node", i, n->region);
			if (n->arm >= rn->narms)
				return sfail(l, OWGP_S_NODE, "node %u: arm %u of region %u out of range (%u arms)", i,
					     n->arm, n->region, rn->narms);
			owgrt_arm_kind ak = rn->arms[n->arm].kind;
			if (ak == OWGRT_ARM_REPEAT || ak == OWGRT_ARM_TAKEN)
				return sfail(l, OWGP_S_NODE, "node %u: arm %u of region %u (%s) has no members", i, n->arm,
					     n->region, ak == OWGRT_ARM_REPEAT ? "repeat" : "taken");
		}
		if (n->kind == OWGRT_NODE_TASK)
			TRY(load_task(l, i, r, n, outs));
		else
			TRY(load_control(l, i, r, n, arms));
	}
	if (l->next_arm != l->s[OWGP_S_ARMS]->count)
		return sfail(l, OWGP_S_ARMS, "%u arms, but the nodes use %u", l->s[OWGP_S_ARMS]->count, l->next_arm);
	if (l->next_out != l->s[OWGP_S_OUTS]->count)
		return sfail(l, OWGP_S_OUTS, "%u outputs, but the tasks use %u", l->s[OWGP_S_OUTS]->count, l->next_out);
	if (l->next_dist != l->ndists)
		return sfail(l, OWGP_S_DIST, "%u distributions, but the nodes use %u", l->ndists, l->next_dist);
	/* forks' count outputs: any task, so only now */
	for (uint32_t i = 0; i < l->nnodes; i++) {
		const owgrt_node *n = &l->nodes[i];
		if (n->kind != OWGRT_NODE_CONTROL || n->count_node == OWGRT_NONE)
			continue;
		const owgrt_node *t = &l->nodes[n->count_node];
		if (t->kind != OWGRT_NODE_TASK)
			return sfail(l, OWGP_S_NODE, "node %u: count node %u is not a task", i, n->count_node);
		if (n->count_out >= t->nouts)
			return sfail(l, OWGP_S_NODE, "node %u: count output %u of node %u out of range (%u outputs)", i,
				     n->count_out, n->count_node, t->nouts);
	}
	l->pi->pub.nodes = l->nodes;
	l->pi->pub.nnodes = l->nnodes;
	return OWGRT_OK;
}

static int load_exprs(ld *l)
{
	const section *s = l->s[OWGP_S_EXPR];
	uint32_t n = s->count;
	owgrt_expr *ex;
	uint32_t *depth;
	uint8_t *uses;
	ALLOC(ex, n);
	ALLOC(depth, n);
	ALLOC(uses, n);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = rec(s, i);
		owgrt_expr *e = &ex[i];
		uint8_t kind = r[0], op = r[1], type = r[2];
		uint32_t x = rd32(r + 4), y = rd32(r + 8);
		if (kind > OWGP_EX_BINARY)
			return sfail(l, OWGP_S_EXPR, "expression %u: invalid kind %u", i, kind);
		if (type > OWGP_TYPE_BOOL)
			return sfail(l, OWGP_S_EXPR, "expression %u: invalid type %u", i, type);
		if (r[3] || rd32(r + 12))
			return sfail(l, OWGP_S_EXPR, "expression %u: reserved field not zero", i);
		e->kind = (owgrt_expr_kind)kind;
		e->type = (owgrt_type)type;
		e->node = e->out = e->l = e->r = OWGRT_NONE;
		if (kind == OWGP_EX_UNARY ? op != OWGP_OP_NOT && op != OWGP_OP_NEG
		    : kind == OWGP_EX_BINARY ? op > OWGP_OP_OR
					     : op != 0)
			return sfail(l, OWGP_S_EXPR, "expression %u: invalid operator %u", i, op);
		e->op = (owgrt_op)op;
		if (kind != OWGP_EX_NUM && rd64(r + 16))
			return sfail(l, OWGP_S_EXPR, "expression %u: a number field on a non-number", i);
		switch (kind) {
		case OWGP_EX_NUM:
			e->num = rdf(r + 16);
			if (!isfinite(e->num))
				return sfail(l, OWGP_S_EXPR, "expression %u: number %g is not finite", i, e->num);
			if (x || y)
				return sfail(l, OWGP_S_EXPR, "expression %u: operands on a number", i);
			break;
		case OWGP_EX_BOOL:
			if (x > 1 || y)
				return sfail(l, OWGP_S_EXPR, "expression %u: invalid boolean %u", i, x);
			e->b = x;
			break;
		case OWGP_EX_OUT:
			if (x >= l->nnodes)
				return sfail(l, OWGP_S_EXPR, "expression %u: node %u out of range (%u nodes)", i, x,
					     l->nnodes);
			if (l->nodes[x].kind != OWGRT_NODE_TASK)
				return sfail(l, OWGP_S_EXPR, "expression %u: node %u is not a task", i, x);
			if (y >= l->nodes[x].nouts)
				return sfail(l, OWGP_S_EXPR, "expression %u: output %u of node %u out of range (%u outputs)",
					     i, y, x, l->nodes[x].nouts);
			e->node = x;
			e->out = y;
			break;
		case OWGP_EX_UNARY:
		case OWGP_EX_BINARY:
			if (x >= i || (kind == OWGP_EX_BINARY && y >= i))
				return sfail(l, OWGP_S_EXPR, "expression %u: operand %u does not come before it", i,
					     x >= i ? x : y);
			if (kind == OWGP_EX_UNARY && y)
				return sfail(l, OWGP_S_EXPR, "expression %u: a second operand on a unary operator", i);
			e->l = x;
			uses[x] += uses[x] < 2;
			depth[i] = depth[x] + 1;
			if (kind == OWGP_EX_BINARY) {
				e->r = y;
				uses[y] += uses[y] < 2;
				if (depth[y] + 1 > depth[i])
					depth[i] = depth[y] + 1;
			}
			if (depth[i] > OWGP_MAX_EXPR_DEPTH)
				return sfail(l, OWGP_S_EXPR, "expression %u: nested deeper than %d operators", i,
					     OWGP_MAX_EXPR_DEPTH);
			break;
		}
	}
	for (uint32_t i = 0; i < l->nnodes; i++) {
		uint32_t p = l->nodes[i].kind == OWGRT_NODE_CONTROL ? l->nodes[i].pred : OWGRT_NONE;
		if (p != OWGRT_NONE)
			uses[p] += uses[p] < 2;
	}
	for (uint32_t i = 0; i < n; i++)
		if (uses[i] != 1)
			return sfail(l, OWGP_S_EXPR, "expression %u is used %s (expressions are trees, each node used "
				     "once)", i, uses[i] ? "more than once" : "by nothing");
	l->pi->pub.exprs = ex;
	l->pi->pub.nexprs = n;
	return OWGRT_OK;
}

static int load_flows(ld *l)
{
	const section *s = l->s[OWGP_S_FLOW];
	owgrt_flow *f;
	ALLOC(f, s->count);
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *r = rec(s, i);
		f[i].src = rd32(r);
		f[i].dst = rd32(r + 4);
		f[i].bytes = rdf(r + 8);
		uint32_t ends[2] = {f[i].src, f[i].dst};
		for (int k = 0; k < 2; k++) {
			if (ends[k] >= l->nnodes)
				return sfail(l, OWGP_S_FLOW, "flow %u: %s %u out of range (%u nodes)", i,
					     k ? "destination" : "source", ends[k], l->nnodes);
			if (l->nodes[ends[k]].kind != OWGRT_NODE_TASK)
				return sfail(l, OWGP_S_FLOW, "flow %u: %s %u is not a task", i,
					     k ? "destination" : "source", ends[k]);
		}
		if (!finite_nonneg(f[i].bytes))
			return sfail(l, OWGP_S_FLOW, "flow %u: size %g (finite, >= 0)", i, f[i].bytes);
	}
	l->pi->pub.flows = f;
	l->pi->pub.nflows = s->count;
	return OWGRT_OK;
}

/* --- analysis --- */

static bool is_task(const ld *l, uint32_t i)
{
	return l->nodes[i].kind == OWGRT_NODE_TASK;
}

static bool is_branching(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL &&
	       (n->cb_kind == OWGRT_CB_BRANCH || n->cb_kind == OWGRT_CB_SWITCH || n->cb_kind == OWGRT_CB_EXIT);
}

static int load_analysis(ld *l)
{
	owgrt_analysis *an = &l->pi->pub.analysis;
	const section *s;
	if ((s = l->s[OWGP_S_ATIM])) {
		TRY(expect_count(l, OWGP_S_ATIM, l->nnodes, "one per node"));
		owgrt_time_stats *t;
		ALLOC(t, l->nnodes);
		for (uint32_t i = 0; i < l->nnodes; i++) {
			const uint8_t *r = rec(s, i);
			if (!is_task(l, i)) {
				if (!zero(r, OWGP_ATIM_SIZE))
					return sfail(l, OWGP_S_ATIM, "node %u: a control node's record is not zero", i);
				continue;
			}
			double *v[6] = {&t[i].mean, &t[i].sd, &t[i].cv, &t[i].p50, &t[i].p95, &t[i].p99};
			for (int k = 0; k < 6; k++) {
				*v[k] = rdf(r + 8 * k);
				if (!finite_nonneg(*v[k]))
					return sfail(l, OWGP_S_ATIM, "node %u: time statistic %g (finite, >= 0)", i, *v[k]);
			}
			t[i].samples = rd32(r + 48);
			t[i].outliers = rd32(r + 52);
			if (t[i].outliers > t[i].samples)
				return sfail(l, OWGP_S_ATIM, "node %u: %u outliers of %u samples", i, t[i].outliers,
					     t[i].samples);
			if (r[56] > 1 || !zero(r + 57, 7))
				return sfail(l, OWGP_S_ATIM, "node %u: invalid flag or reserved field", i);
			t[i].is_volatile = r[56];
		}
		an->time = t;
	}
	if ((s = l->s[OWGP_S_AFRQ])) {
		TRY(expect_count(l, OWGP_S_AFRQ, l->nnodes, "one per node"));
		owgrt_freq_stats *f;
		ALLOC(f, l->nnodes);
		for (uint32_t i = 0; i < l->nnodes; i++) {
			const uint8_t *r = rec(s, i);
			f[i].mean = rdf(r);
			f[i].var = rdf(r + 8);
			if (!finite_nonneg(f[i].mean) || !finite_nonneg(f[i].var))
				return sfail(l, OWGP_S_AFRQ, "node %u: executions %g, variance %g (finite, >= 0)", i,
					     f[i].mean, f[i].var);
			if (r[16] > 1 || !zero(r + 17, 7))
				return sfail(l, OWGP_S_AFRQ, "node %u: invalid flag or reserved field", i);
			f[i].is_bursty = r[16];
		}
		an->freq = f;
	}
	if ((s = l->s[OWGP_S_ACBF])) {
		const section *as = l->s[OWGP_S_ACBA];
		TRY(expect_count(l, OWGP_S_ACBF, l->nnodes, "one per node"));
		owgrt_cb_freq *c;
		double *probs;
		ALLOC(c, l->nnodes);
		ALLOC(probs, as->count);
		for (uint32_t k = 0; k < as->count; k++) {
			probs[k] = rdf(rec(as, k));
			if (!prob(probs[k]))
				return sfail(l, OWGP_S_ACBA, "probability %u is %g (in [0, 1])", k, probs[k]);
		}
		for (uint32_t i = 0; i < l->nnodes; i++) {
			const uint8_t *r = rec(s, i);
			const owgrt_node *n = &l->nodes[i];
			if (n->kind != OWGRT_NODE_CONTROL || n->cb_kind == OWGRT_CB_ENTRY) {
				if (!zero(r, OWGP_ACBF_SIZE))
					return sfail(l, OWGP_S_ACBF, "node %u: the record of a task or the entry is not zero",
						     i);
				continue;
			}
			if (r[0] > OWGP_PROB_HEURISTIC)
				return sfail(l, OWGP_S_ACBF, "node %u: invalid source %u", i, r[0]);
			if (!zero(r + 1, 3) || rd32(r + 12))
				return sfail(l, OWGP_S_ACBF, "node %u: reserved field not zero", i);
			c[i].source = (owgrt_prob_source)r[0];
			uint32_t first = rd32(r + 4), na = rd32(r + 8);
			uint32_t want = is_branching(n) ? n->narms : 0;
			if (na != want)
				return sfail(l, OWGP_S_ACBF, "node %u: %u arm probabilities, expected %u", i, na, want);
			if (first != l->next_cbarm)
				return sfail(l, OWGP_S_ACBF, "node %u: arm probabilities start at %u, expected %u", i, first,
					     l->next_cbarm);
			if (na > as->count - first)
				return sfail(l, OWGP_S_ACBF, "node %u: %u arm probabilities from %u, but section ACBA has %u",
					     i, na, first, as->count);
			c[i].arm = na ? probs + first : NULL;
			c[i].narms = na;
			l->next_cbarm += na;
			c[i].repeat = rdf(r + 16);
			c[i].trips_mean = rdf(r + 24);
			c[i].trips_var = rdf(r + 32);
			if (!prob(c[i].repeat))
				return sfail(l, OWGP_S_ACBF, "node %u: repeat probability %g (in [0, 1])", i, c[i].repeat);
			if (!finite_nonneg(c[i].trips_mean) || !finite_nonneg(c[i].trips_var))
				return sfail(l, OWGP_S_ACBF, "node %u: trips %g, variance %g (finite, >= 0)", i,
					     c[i].trips_mean, c[i].trips_var);
		}
		if (l->next_cbarm != as->count)
			return sfail(l, OWGP_S_ACBA, "%u probabilities, but the control nodes use %u", as->count,
				     l->next_cbarm);
		an->cb = c;
	}
	if ((s = l->s[OWGP_S_ALOD])) {
		TRY(expect_count(l, OWGP_S_ALOD, l->nnodes, "one per node"));
		TRY(expect_count(l, OWGP_S_ABND, 1, "the bounds"));
		double *pt;
		bool *crit;
		ALLOC(pt, l->nnodes);
		ALLOC(crit, l->nnodes);
		for (uint32_t i = 0; i < l->nnodes; i++) {
			const uint8_t *r = rec(s, i);
			if (!is_task(l, i)) {
				if (!zero(r, OWGP_ALOD_SIZE))
					return sfail(l, OWGP_S_ALOD, "node %u: a control node's record is not zero", i);
				continue;
			}
			pt[i] = rdf(r);
			if (!finite_nonneg(pt[i]))
				return sfail(l, OWGP_S_ALOD, "node %u: PEA-time %g (finite, >= 0)", i, pt[i]);
			if (r[8] > 1 || !zero(r + 9, 7))
				return sfail(l, OWGP_S_ALOD, "node %u: invalid flag or reserved field", i);
			crit[i] = r[8];
		}
		const uint8_t *r = rec(l->s[OWGP_S_ABND], 0);
		an->peas = rd32(r);
		if (rd32(r + 4))
			return sfail(l, OWGP_S_ABND, "reserved field not zero");
		double *v[4] = {&an->critical_path, &an->total_pea_time, &an->lb_latency, &an->max_throughput};
		for (int k = 0; k < 4; k++) {
			*v[k] = rdf(r + 8 + 8 * k);
			if (!finite_nonneg(*v[k]))
				return sfail(l, OWGP_S_ABND, "bound %g (finite, >= 0)", *v[k]);
		}
		an->pea_time = pt;
		an->critical = crit;
	}
	l->pi->pub.has_analysis = an->time || an->freq || an->cb || an->pea_time;
	return OWGRT_OK;
}

/* --- plan --- */

static const char *const binding_name[2] = {"octopus", "fixed"};

static int load_plan(ld *l)
{
	owgrt_plan *p = &l->pi->plan;
	TRY(expect_count(l, OWGP_S_PLAN, 1, "one plan"));
	const uint8_t *r = rec(l->s[OWGP_S_PLAN], 0);
	const owgrt_fabric *f = &l->fabrics[l->nfabrics];
	p->fabric = f;
	p->width = rd32(r);
	p->height = rd32(r + 4);
	p->cwidth = rd32(r + 8);
	p->cheight = rd32(r + 12);
	uint64_t cw = (uint64_t)f->grid_w[OWGRT_FAB_CHIPLET] * f->grid_w[OWGRT_FAB_PACKAGE];
	uint64_t ch = (uint64_t)f->grid_h[OWGRT_FAB_CHIPLET] * f->grid_h[OWGRT_FAB_PACKAGE];
	if (p->width != f->width || p->height != f->height || p->cwidth != cw || p->cheight != ch)
		return sfail(l, OWGP_S_PLAN, "mesh %ux%u PEAs in %ux%u clusters, but the fabric has %llux%llu in "
			     "%llux%llu", p->width, p->height, p->cwidth, p->cheight,
			     (unsigned long long)f->width, (unsigned long long)f->height,
			     (unsigned long long)cw, (unsigned long long)ch);
	uint64_t npeas = (uint64_t)p->width * p->height, nclusters = (uint64_t)p->cwidth * p->cheight;
	if (npeas > OWGP_MAX_PLAN_PEAS)
		return sfail(l, OWGP_S_PLAN, "%llu PEAs, more than the %u a plan may have",
			     (unsigned long long)npeas, OWGP_MAX_PLAN_PEAS);
	if (nclusters > OWGP_MAX_PLAN_CLUSTERS)
		return sfail(l, OWGP_S_PLAN, "%llu clusters, more than the %u a plan may have",
			     (unsigned long long)nclusters, OWGP_MAX_PLAN_CLUSTERS);
	p->nclusters = (uint32_t)nclusters;
	uint32_t opt = rd32(r + 16);
	if (opt > 3)
		return sfail(l, OWGP_S_PLAN, "optimisation level %d (0 to 3)", (int32_t)opt);
	p->opt = (int)opt;
	if (rd32(r + 20))
		return sfail(l, OWGP_S_PLAN, "reserved field not zero");
	p->seed = rd64(r + 24);
	p->rate = rdf(r + 32);
	if (!finite_nonneg(p->rate))
		return sfail(l, OWGP_S_PLAN, "rate %g (finite, >= 0)", p->rate);
	owgrt_binding *b[2] = {&p->octopus, &p->fixed};
	uint32_t np[2];
	for (int k = 0; k < 2; k++) {
		b[k]->traffic = rdf(r + 40 + 8 * k);
		if (!finite_nonneg(b[k]->traffic))
			return sfail(l, OWGP_S_PLAN, "%s traffic %g (finite, >= 0)", binding_name[k], b[k]->traffic);
		np[k] = rd32(r + 56 + 4 * k);
	}

	/* the PEA arrays */
	const section *ps = l->s[OWGP_S_PEAS];
	if ((uint64_t)np[0] + np[1] != ps->count)
		return sfail(l, OWGP_S_PEAS, "%u entries, but the plan announces %u + %u", ps->count, np[0], np[1]);
	uint32_t *peas;
	ALLOC(peas, ps->count);
	for (uint32_t k = 0; k < ps->count; k++) {
		peas[k] = rd32(rec(ps, k));
		if (peas[k] >= npeas)
			return sfail(l, OWGP_S_PEAS, "entry %u: PEA %u outside the %ux%u mesh", k, peas[k], p->width,
				     p->height);
	}
	b[0]->peas = peas;
	b[0]->npeas = np[0];
	b[1]->peas = peas + np[0];
	b[1]->npeas = np[1];

	/* per node */
	TRY(expect_count(l, OWGP_S_PNOD, l->nnodes, "one per node"));
	bool *pinned;
	double *demand[2];
	uint32_t *arr[2][3];
	ALLOC(pinned, l->nnodes);
	ALLOC(demand[0], l->nnodes);
	ALLOC(demand[1], l->nnodes);
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 3; j++)
			ALLOC(arr[k][j], l->nnodes);
	uint64_t used[2] = {0, 0};
	const section *ns = l->s[OWGP_S_PNOD];
	for (uint32_t i = 0; i < l->nnodes; i++) {
		const uint8_t *q = rec(ns, i);
		if (!is_task(l, i)) {
			if (!zero(q, OWGP_PNOD_SIZE))
				return sfail(l, OWGP_S_PNOD, "node %u: a control node's record is not zero", i);
			continue;
		}
		if (q[0] > 1 || !zero(q + 1, 3) || rd32(q + 28))
			return sfail(l, OWGP_S_PNOD, "node %u: invalid flag or reserved field", i);
		pinned[i] = q[0];
		for (int k = 0; k < 2; k++) {
			demand[k][i] = rdf(q + 32 + 8 * k);
			if (!finite_nonneg(demand[k][i]))
				return sfail(l, OWGP_S_PNOD, "node %u: demand %s %g (finite, >= 0)", i,
					     k ? "variance" : "mean", demand[k][i]);
		}
		for (int k = 0; k < 2; k++) {
			uint32_t rep = rd32(q + 4 + 12 * k), first = rd32(q + 8 + 12 * k), home = rd32(q + 12 + 12 * k);
			uint64_t len = (uint64_t)rep * l->nodes[i].peas;
			if (first > np[k] || len > np[k] - first)
				return sfail(l, OWGP_S_PNOD, "node %u: %s binding: %u replicas of %u PEAs from entry %u go "
					     "past its %u PEA entries", i, binding_name[k], rep, l->nodes[i].peas,
					     first, np[k]);
			if (home >= p->nclusters)
				return sfail(l, OWGP_S_PNOD, "node %u: %s binding: home cluster %u out of range (%u "
					     "clusters)", i, binding_name[k], home, p->nclusters);
			used[k] += len;
			arr[k][0][i] = rep;
			arr[k][1][i] = first;
			arr[k][2][i] = home;
		}
	}

	/* per cluster */
	TRY(expect_count(l, OWGP_S_PCLU, p->nclusters, "one per cluster of the plan's mesh"));
	const section *cs = l->s[OWGP_S_PCLU];
	uint32_t *pool[2][2];
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 2; j++)
			ALLOC(pool[k][j], p->nclusters);
	for (uint32_t c = 0; c < p->nclusters; c++) {
		const uint8_t *q = rec(cs, c);
		for (int k = 0; k < 2; k++) {
			uint32_t first = rd32(q + 8 * k), size = rd32(q + 4 + 8 * k);
			if (first > np[k] || size > np[k] - first)
				return sfail(l, OWGP_S_PCLU, "cluster %u: %s binding: pool of %u PEAs from entry %u goes "
					     "past its %u PEA entries", c, binding_name[k], size, first, np[k]);
			used[k] += size;
			pool[k][0][c] = first;
			pool[k][1][c] = size;
		}
	}
	for (int k = 0; k < 2; k++) {
		if (used[k] > np[k])
			return sfail(l, OWGP_S_PNOD, "%s binding: its tasks and pools hold %llu PEA entries, more than "
				     "its %u (an entry belongs to one task or pool)", binding_name[k],
				     (unsigned long long)used[k], np[k]);
		b[k]->replicas = arr[k][0];
		b[k]->first = arr[k][1];
		b[k]->home = arr[k][2];
		b[k]->pool_first = pool[k][0];
		b[k]->pool_size = pool[k][1];
	}
	p->pinned = pinned;
	p->demand_mean = demand[0];
	p->demand_var = demand[1];
	l->pi->pub.plan = p;
	return OWGRT_OK;
}

/* --- entry points --- */

static int load(ld *l)
{
	uint32_t count = 0, header_size = 0;
	uint64_t table = 0;
	TRY(check_header(l, &count, &table, &header_size));
	TRY(read_table(l, count, table, header_size));
	l->has_plan = l->s[OWGP_S_PLAN] != NULL;
	TRY(load_strings(l));
	TRY(load_graph(l));
	TRY(load_fabrics(l));
	TRY(load_dists(l));
	TRY(load_nodes(l));
	TRY(load_exprs(l));
	TRY(load_flows(l));
	TRY(load_analysis(l));
	if (l->has_plan)
		TRY(load_plan(l));
	if (l->str_used != l->nstrs)
		return sfail(l, OWGP_S_STRS, "%u bytes, but the strings used take %llu", l->nstrs,
			     (unsigned long long)l->str_used);
	return OWGRT_OK;
}

int owgrt_load(const void *bytes, size_t size, owgrt_program **out, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (out)
		*out = NULL;
	ld *l = calloc(1, sizeof *l);
	if (!l) {
		if (err && err_size)
			snprintf(err, err_size, "out of memory");
		return OWGRT_ENOMEM;
	}
	l->err = err;
	l->err_size = err && err_size ? err_size : 0;
	int rc;
	if (!out || (!bytes && size)) {
		rc = fail(l, OWGRT_EINVAL, "owgrt_load: %s", !out ? "no output pointer" : "no input bytes");
		free(l);
		return rc;
	}
	l->b = bytes ? bytes : (const uint8_t *)"";
	l->size = size;
	l->pi = calloc(1, sizeof *l->pi);
	if (!l->pi) {
		rc = nomem(l);
		free(l);
		return rc;
	}
	rc = load(l);
	if (rc == OWGRT_OK) {
		*out = &l->pi->pub;
	} else {
		if (err && err_size && !err[0])
			snprintf(err, err_size, "%s", owgrt_strerror(rc));
		owgrt_program_free(&l->pi->pub);
	}
	free(l->str_mark);
	free(l);
	return rc;
}

int owgrt_load_file(const char *path, owgrt_program **out, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (out)
		*out = NULL;
	if (!path || !out) {
		if (err && err_size)
			snprintf(err, err_size, "owgrt_load_file: %s", !path ? "no path" : "no output pointer");
		return OWGRT_EINVAL;
	}
	uint8_t *buf;
	size_t len;
	int rc = owgrt_read_file(path, MAX_FILE_SIZE - 1, "placement binary", &buf, &len, err, err_size);
	if (rc == OWGRT_OK) {
		char msg[512];
		rc = owgrt_load(buf, len, out, msg, sizeof msg);
		if (rc != OWGRT_OK && err && err_size)
			snprintf(err, err_size, "%s: %s", path, msg);
	}
	free(buf);
	return rc;
}
