#include "config.h"

/* profile.c - profiles in memory: building, recording, merging, binding
 * to a graph, and the .owgprof text form.
 *
 *   file   := 'owgprof' '1' NL header NL entry* 'end' N NL
 *   header := 'workflow' STRING 'shape' HEX16 'model' HEX16 'requests' U64
 *   entry  := 'tb' STRING 'runs' U64 'count' U64 U128 'samples' N ('(' TIME HEX16 ')'){N}
 *           | 'entry' STRING 'runs' U64
 *           | 'branch' STRING 'runs' U64 'then' U64 'else' U64
 *           | 'switch' STRING 'runs' U64 ('case' U64)+ ['default' U64]
 *           | 'exit' STRING 'runs' U64 'taken' U64 'cont' U64
 *           | 'while' STRING 'runs' U64 'stop' U64 'repeat' U64
 *           | 'loop' STRING 'runs' U64 'trips' U64 U128
 *           | 'fork' STRING 'runs' U64 'items' U64 U128
 *
 * `count S Q`, `trips S Q`, `items S Q`: sum and sum of squares.  TIME is
 * a time with its unit as in the IR text (612.5us), HEX16 sixteen lowercase
 * hex digits, U64/U128 decimal without leading zeros.  The writer puts the
 * entries in IR node order and the samples in (key, time) order; `end N`
 * counts the entries, and the file must end with its newline, so that a
 * truncated file is always refused.  Strings use the IR's escapes.
 *
 * The reader treats the text as hostile: every number is checked against
 * its syntax and range, every count against the others (samples against
 * runs, arm counts against runs, sums of squares against sums), names
 * against invalid UTF-8 and duplicates; memory is bounded by the input's
 * size.  An error skips to the next line, so that all are reported. */

#include "profile.h"
#include "quantity.h"
#include "text_string.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define U128_MAX (~(owg_u128)0)

/* --- names: an open-addressing table of entry indices --- */

typedef struct ntab {
	uint32_t *slot; /* entry index, OWG_NONE: empty */
	size_t cap, n;
} ntab;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void ntab_init(ntab *t, size_t n)
{
	t->cap = 16;
	while (t->cap < 2 * n)
		t->cap *= 2;
	t->n = 0;
	t->slot = owg_xmalloc(t->cap * sizeof *t->slot);
	for (size_t i = 0; i < t->cap; i++)
		t->slot[i] = OWG_NONE;
}

/* The entry of p named `name`, or OWG_NONE. */
static uint32_t ntab_get(const ntab *t, const owg_profile *p, const char *name)
{
	for (size_t h = hash_str(name) & (t->cap - 1); t->slot[h] != OWG_NONE;
	     h = (h + 1) & (t->cap - 1))
		if (strcmp(p->entries.v[t->slot[h]].name, name) == 0)
			return t->slot[h];
	return OWG_NONE;
}

/* Adds entry i of p; returns the index of an entry of that name already
 * there, else OWG_NONE. */
static uint32_t ntab_add(ntab *t, const owg_profile *p, uint32_t i)
{
	uint32_t old = ntab_get(t, p, p->entries.v[i].name);
	if (old != OWG_NONE)
		return old;
	if (2 * (t->n + 1) > t->cap) {
		ntab bigger;
		ntab_init(&bigger, t->n + 1);
		for (size_t k = 0; k < t->cap; k++) {
			if (t->slot[k] == OWG_NONE)
				continue;
			size_t h = hash_str(p->entries.v[t->slot[k]].name) & (bigger.cap - 1);
			while (bigger.slot[h] != OWG_NONE)
				h = (h + 1) & (bigger.cap - 1);
			bigger.slot[h] = t->slot[k];
		}
		bigger.n = t->n;
		free(t->slot);
		*t = bigger;
	}
	size_t h = hash_str(p->entries.v[i].name) & (t->cap - 1);
	while (t->slot[h] != OWG_NONE)
		h = (h + 1) & (t->cap - 1);
	t->slot[h] = i;
	t->n++;
	return OWG_NONE;
}

static void ntab_build(ntab *t, const owg_profile *p)
{
	ntab_init(t, p->entries.n);
	for (size_t i = 0; i < p->entries.n; i++)
		ntab_add(t, p, (uint32_t)i);
}

/* --- building --- */

static owg_profile *prof_alloc(void)
{
	owg_profile *p = owg_xcalloc(1, sizeof *p);
	owg_arena_init(&p->arena);
	p->workflow = "";
	p->workflow_loc = p->shape_loc = p->model_loc = OWG_LOC_NONE;
	return p;
}

static owg_prof_entry *push_entry(owg_profile *p, owg_node_kind kind, const char *name)
{
	owg_prof_entry e;
	memset(&e, 0, sizeof e);
	e.name = name;
	e.kind = kind;
	e.node = OWG_NONE;
	e.loc = OWG_LOC_NONE;
	OWG_VEC_PUSH(p->entries, e);
	return &p->entries.v[p->entries.n - 1];
}

/* The arm counts a CB's line carries: see profile.h. */
static uint32_t counted_arms(owg_cb_kind k, owg_loop_kind lk, uint32_t ir_arms)
{
	switch (k) {
	case OWG_CB_BRANCH:
	case OWG_CB_EXIT:
		return 2;
	case OWG_CB_SWITCH:
		return ir_arms;
	case OWG_CB_LOOP:
		return lk == OWG_LOOP_WHILE ? 2 : 0;
	default:
		return 0;
	}
}

static bool has_items(const owg_prof_entry *e)
{
	return e->kind == OWG_NODE_CB &&
	       (e->cb_kind == OWG_CB_FORK ||
		(e->cb_kind == OWG_CB_LOOP && e->loop_kind == OWG_LOOP_COUNT));
}

static void bind_index(owg_profile *p, uint32_t nnodes)
{
	p->nnodes = nnodes;
	p->by_node = owg_arena_alloc(&p->arena, (nnodes ? nnodes : 1) * sizeof *p->by_node);
	for (uint32_t i = 0; i < nnodes; i++)
		p->by_node[i] = OWG_NONE;
	for (size_t i = 0; i < p->entries.n; i++)
		if (p->entries.v[i].node < nnodes)
			p->by_node[p->entries.v[i].node] = (uint32_t)i;
}

owg_profile *owg_prof_new(const owg_graph *g)
{
	owg_profile *p = prof_alloc();
	p->workflow = owg_arena_strdup(&p->arena, g->name ? g->name : "");
	p->shape = owg_ir_shape_hash(g);
	p->model = owg_ir_model_hash(g);
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		owg_prof_entry *e =
			push_entry(p, n->kind, owg_arena_strdup(&p->arena, n->name ? n->name : ""));
		e->node = (uint32_t)i;
		if (n->kind != OWG_NODE_CB)
			continue;
		e->cb_kind = n->cb_kind;
		e->loop_kind = n->cb_kind == OWG_CB_LOOP ? n->loop_kind : OWG_LOOP_COUNT;
		e->narms = counted_arms(n->cb_kind, e->loop_kind, n->arms ? n->narms : 0);
		e->has_default = n->cb_kind == OWG_CB_SWITCH && e->narms > 0 &&
				 n->arms[e->narms - 1].kind == OWG_ARM_DEFAULT;
		if (e->narms)
			e->arms = owg_arena_alloc(&p->arena, e->narms * sizeof *e->arms);
	}
	bind_index(p, (uint32_t)g->nodes.n);
	return p;
}

void owg_prof_free(owg_profile *p)
{
	if (!p)
		return;
	OWG_VEC_FREE(p->entries);
	owg_arena_free(&p->arena);
	free(p);
}

owg_prof_entry *owg_prof_get(const owg_profile *p, uint32_t node)
{
	if (!p->by_node || node >= p->nnodes || p->by_node[node] == OWG_NONE)
		return NULL;
	return &p->entries.v[p->by_node[node]];
}

owg_prof_entry *owg_prof_find(const owg_profile *p, const char *name)
{
	for (size_t i = 0; i < p->entries.n; i++)
		if (strcmp(p->entries.v[i].name, name) == 0)
			return &p->entries.v[i];
	return NULL;
}

/* --- recording --- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static owg_u128 sat_add128(owg_u128 a, owg_u128 b)
{
	return a + b < a ? U128_MAX : a + b;
}

/* (key, time) order; times are never NaN. */
static int cmp_sample(const owg_prof_sample *a, const owg_prof_sample *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->time < b->time ? -1 : a->time > b->time;
}

static void grow_samples(owg_profile *p, owg_prof_entry *e, uint32_t cap)
{
	owg_prof_sample *v = owg_arena_alloc(&p->arena, cap * sizeof *v);
	if (e->nsamples)
		memcpy(v, e->samples, e->nsamples * sizeof *v);
	e->samples = v;
	e->samples_cap = cap;
}

/* Bottom-k: keep the K smallest (key, time) pairs, sorted.  Once the
 * sample is full most pairs are refused by the first comparison. */
static void add_sample(owg_profile *p, owg_prof_entry *e, owg_prof_sample s)
{
	uint32_t n = e->nsamples;
	if (n == OWG_PROF_K && cmp_sample(&s, &e->samples[n - 1]) >= 0)
		return;
	if (n == e->samples_cap)
		grow_samples(p, e, n == 0 ? 8 : 2 * n > OWG_PROF_K ? OWG_PROF_K : 2 * n);
	uint32_t lo = 0, hi = n; /* the first sample greater than s */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cmp_sample(&e->samples[mid], &s) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n == OWG_PROF_K)
		n--; /* the largest goes */
	memmove(e->samples + lo + 1, e->samples + lo, (n - lo) * sizeof s);
	e->samples[lo] = s;
	e->nsamples = n + 1;
}

bool owg_prof_record_time(owg_profile *p, uint32_t node, double seconds, uint64_t key)
{
	owg_prof_entry *e = owg_prof_get(p, node);
	if (!e || e->kind != OWG_NODE_TB || !isfinite(seconds) || seconds < 0)
		return false;
	e->runs = sat_add(e->runs, 1);
	add_sample(p, e, (owg_prof_sample){key, seconds == 0 ? 0.0 : seconds});
	return true;
}

bool owg_prof_record_arm(owg_profile *p, uint32_t node, uint32_t arm)
{
	owg_prof_entry *e = owg_prof_get(p, node);
	if (!e || e->kind != OWG_NODE_CB || has_items(e))
		return false;
	if (e->cb_kind == OWG_CB_ENTRY) {
		if (arm != 0)
			return false;
	} else if (arm == OWG_NONE) {
		if (e->cb_kind != OWG_CB_SWITCH || e->has_default)
			return false;
	} else if (arm >= e->narms) {
		return false;
	}
	e->runs = sat_add(e->runs, 1);
	if (e->narms && arm != OWG_NONE)
		e->arms[arm] = sat_add(e->arms[arm], 1);
	return true;
}

bool owg_prof_record_items(owg_profile *p, uint32_t node, uint64_t n)
{
	owg_prof_entry *e = owg_prof_get(p, node);
	if (!e || !has_items(e))
		return false;
	e->runs = sat_add(e->runs, 1);
	e->items_sum = sat_add(e->items_sum, n);
	e->items_sumsq = sat_add128(e->items_sumsq, (owg_u128)n * n);
	return true;
}

bool owg_prof_end_request(owg_profile *p, const uint64_t *count)
{
	if (!p->by_node)
		return false;
	p->requests = sat_add(p->requests, 1);
	for (uint32_t id = 0; id < p->nnodes; id++) {
		owg_prof_entry *e = owg_prof_get(p, id);
		if (!e || e->kind != OWG_NODE_TB)
			continue;
		e->count_sum = sat_add(e->count_sum, count[id]);
		e->count_sumsq = sat_add128(e->count_sumsq, (owg_u128)count[id] * count[id]);
	}
	return true;
}

void owg_prof_moments(uint64_t n, uint64_t sum, owg_u128 sumsq, double *mean, double *var)
{
	*mean = *var = 0;
	if (n == 0)
		return;
	*mean = (double)sum / (double)n;
	/* n * sumsq - sum^2 exactly when it fits: counts are often constant,
	 * and then the variance must come out as exactly 0 */
	owg_u128 s2 = (owg_u128)sum * sum;
	if (sumsq <= U128_MAX / n) {
		owg_u128 nq = (owg_u128)n * sumsq;
		*var = nq > s2 ? (double)(nq - s2) / ((double)n * (double)n) : 0;
	} else {
		long double m = (long double)sum / n;
		long double v = (long double)sumsq / n - m * m;
		*var = v > 0 ? (double)v : 0;
	}
}

/* --- writing --- */

static void put_u128(FILE *out, owg_u128 v)
{
	char buf[48];
	size_t i = sizeof buf;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	fputs(buf + i, out);
}

static void put_string(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	putc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
		else
			putc(c, out);
	}
	putc('"', out);
}

static void put_cb(FILE *out, const owg_prof_entry *e)
{
	static const char *const names[][2] = {
		[OWG_CB_BRANCH] = {"then", "else"},
		[OWG_CB_EXIT] = {"taken", "cont"},
		[OWG_CB_LOOP] = {"stop", "repeat"},
	};
	for (uint32_t i = 0; i < e->narms; i++) {
		const char *label;
		if (e->cb_kind == OWG_CB_SWITCH)
			label = e->has_default && i + 1 == e->narms ? "default" : "case";
		else
			label = names[e->cb_kind][i];
		fprintf(out, " %s %" PRIu64, label, e->arms[i]);
	}
	if (has_items(e)) {
		fprintf(out, " %s %" PRIu64 " ", e->cb_kind == OWG_CB_FORK ? "items" : "trips",
			e->items_sum);
		put_u128(out, e->items_sumsq);
	}
}

static const char *entry_keyword(const owg_prof_entry *e)
{
	if (e->kind == OWG_NODE_TB)
		return "tb";
	if (e->cb_kind == OWG_CB_LOOP)
		return e->loop_kind == OWG_LOOP_WHILE ? "while" : "loop";
	return owg_cb_kind_name(e->cb_kind);
}

bool owg_prof_write(const owg_profile *p, FILE *out)
{
	fprintf(out, "owgprof %d\nworkflow ", OWG_PROF_VERSION);
	put_string(out, p->workflow);
	fprintf(out, " shape %016" PRIx64 " model %016" PRIx64 " requests %" PRIu64 "\n", p->shape,
		p->model, p->requests);
	for (size_t i = 0; i < p->entries.n; i++) {
		const owg_prof_entry *e = &p->entries.v[i];
		fputs(entry_keyword(e), out);
		putc(' ', out);
		put_string(out, e->name);
		fprintf(out, " runs %" PRIu64, e->runs);
		if (e->kind == OWG_NODE_CB) {
			put_cb(out, e);
		} else {
			fprintf(out, " count %" PRIu64 " ", e->count_sum);
			put_u128(out, e->count_sumsq);
			fprintf(out, " samples %" PRIu32, e->nsamples);
			for (uint32_t k = 0; k < e->nsamples; k++) {
				char t[48];
				owg_fmt_time(t, sizeof t, e->samples[k].time);
				fprintf(out, " (%s %016" PRIx64 ")", t, e->samples[k].key);
			}
		}
		putc('\n', out);
	}
	fprintf(out, "end %zu\n", p->entries.n);
	return !ferror(out);
}

/* --- reading --- */

enum { MAX_NUM_LEN = 64 };
enum phase { PH_HEADER, PH_WORKFLOW, PH_ENTRIES, PH_END };

typedef enum tok_kind { T_END, T_PUNCT, T_STR, T_BADSTR, T_WORD } tok_kind;

typedef struct tok {
	tok_kind kind;
	uint32_t b, e; /* byte span */
} tok;

typedef struct rd {
	const char *s;
	uint32_t file;
	owg_diag *diag;
	owg_profile *p;
	unsigned nerr;
	uint32_t p0, p1; /* cursor and end of the current line */
	enum phase phase;
	bool have_requests;
	size_t nlines; /* entry lines seen, good or bad */
	ntab names;
	OWG_VEC(uint64_t) arms;
} rd;

static bool err(rd *r, uint32_t b, uint32_t e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool err(rd *r, uint32_t b, uint32_t e, const char *fmt, ...)
{
	r->nerr++;
	if (r->diag) {
		char msg[512];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		owg_diag_error(r->diag, (owg_loc){r->file, b, e}, "%s", msg);
	}
	return false;
}

/* A printable excerpt of a token for messages. */
static const char *show(const rd *r, tok t, char *buf, size_t n)
{
	size_t len = t.e - t.b, i = 0, max = n - 4;
	for (; i < len && i < max; i++) {
		unsigned char c = (unsigned char)r->s[t.b + i];
		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (i < len)
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

static bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == ';' || c == '(' || c == ')' || c == '"';
}

static tok lex(rd *r)
{
	while (r->p0 < r->p1 && (r->s[r->p0] == ' ' || r->s[r->p0] == '\t'))
		r->p0++;
	if (r->p0 < r->p1 && r->s[r->p0] == ';')
		r->p0 = r->p1; /* comment */
	tok t = {T_END, r->p0, r->p0};
	if (r->p0 == r->p1)
		return t;
	const char *s = r->s;
	uint32_t q = r->p0;
	if (s[q] == '(' || s[q] == ')') {
		t.kind = T_PUNCT;
		t.e = q + 1;
	} else if (s[q] == '"') {
		q++;
		while (q < r->p1 && s[q] != '"')
			q += s[q] == '\\' && q + 1 < r->p1 ? 2 : 1;
		t.kind = q < r->p1 ? T_STR : T_BADSTR;
		t.e = q < r->p1 ? q + 1 : r->p1;
	} else {
		while (q < r->p1 && !is_delim(s[q]))
			q++;
		t.kind = T_WORD;
		t.e = q;
	}
	return t;
}

static tok take(rd *r)
{
	tok t = lex(r);
	r->p0 = t.e;
	return t;
}

static bool tok_is(const rd *r, tok t, const char *w)
{
	size_t n = strlen(w);
	return (t.kind == T_WORD || t.kind == T_PUNCT) && t.e - t.b == n &&
	       memcmp(r->s + t.b, w, n) == 0;
}

static bool peek_is(rd *r, const char *w)
{
	uint32_t save = r->p0;
	tok t = lex(r);
	r->p0 = save;
	return tok_is(r, t, w);
}

static bool expect(rd *r, const char *w)
{
	tok t = take(r);
	if (tok_is(r, t, w))
		return true;
	if (t.kind == T_END)
		return err(r, t.b, t.e, "expected '%s' before the end of the line", w);
	char buf[40];
	return err(r, t.b, t.e, "expected '%s', not '%s'", w, show(r, t, buf, sizeof buf));
}

static bool expect_end(rd *r)
{
	tok t = take(r);
	if (t.kind == T_END)
		return true;
	char buf[40];
	return err(r, t.b, t.e, "unexpected '%s' at the end of the line", show(r, t, buf, sizeof buf));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits without a leading zero, at most max. */
static bool take_uint(rd *r, owg_u128 max, owg_u128 *out, const char *what)
{
	tok t = take(r);
	bool digits = t.kind == T_WORD;
	for (uint32_t i = t.b; digits && i < t.e; i++)
		digits = is_digit(r->s[i]);
	if (!digits)
		return err(r, t.b, t.e, "expected %s", what);
	if (r->s[t.b] == '0' && t.e - t.b > 1)
		return err(r, t.b, t.e, "leading zero in %s", what);
	owg_u128 v = 0;
	for (uint32_t i = t.b; i < t.e; i++) {
		unsigned d = (unsigned)(r->s[i] - '0');
		if (v > (max - d) / 10) {
			char buf[48];
			size_t k = sizeof buf;
			buf[--k] = '\0';
			do {
				buf[--k] = (char)('0' + (int)(max % 10));
				max /= 10;
			} while (max);
			return err(r, t.b, t.e, "%s too large (at most %s)", what, buf + k);
		}
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool take_u64(rd *r, uint64_t *out, const char *what)
{
	owg_u128 v;
	if (!take_uint(r, UINT64_MAX, &v, what))
		return false;
	*out = (uint64_t)v;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly 16 lowercase hex digits: hashes and keys. */
static bool hex16_tok(rd *r, tok t, uint64_t *out, const char *what)
{
	uint64_t v = 0;
	bool ok = t.kind == T_WORD && t.e - t.b == 16;
	for (uint32_t i = t.b; ok && i < t.e; i++) {
		int d = hexval(r->s[i]);
		ok = d >= 0;
		v = v << 4 | (uint64_t)(d & 15);
	}
	if (!ok)
		return err(r, t.b, t.e, "expected %s (16 lowercase hex digits)", what);
	*out = v;
	return true;
}

/* A time as the IR writes it: D+(.D+)?(e[+-]?D+)? and a unit s, ms, us or
 * ns; finite, not negative. */
static bool time_tok(rd *r, tok t, double *out)
{
	static const struct {
		const char *name;
		int exp10;
	} units[] = {{"ns", -9}, {"us", -6}, {"ms", -3}, {"s", 0}};
	const char *s = r->s;
	if (t.kind != T_WORD)
		return err(r, t.b, t.e, "expected a time (with a unit: s, ms, us, ns)");
	if (s[t.b] == '-')
		return err(r, t.b, t.e, "negative time");
	uint32_t e = t.e;
	int exp10 = 1;
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t n = strlen(units[u].name);
		if (e - t.b > n && memcmp(s + e - n, units[u].name, n) == 0) {
			exp10 = units[u].exp10;
			e -= (uint32_t)n;
			break;
		}
	}
	uint32_t i = t.b, d0 = t.b;
	while (i < e && is_digit(s[i]))
		i++;
	bool ok = exp10 <= 0 && i > d0 && !(s[d0] == '0' && i - d0 > 1);
	if (ok && i < e && s[i] == '.') {
		uint32_t f0 = ++i;
		while (i < e && is_digit(s[i]))
			i++;
		ok = i > f0;
	}
	if (ok && i < e && s[i] == 'e') {
		i++;
		if (i < e && (s[i] == '+' || s[i] == '-'))
			i++;
		uint32_t x0 = i;
		while (i < e && is_digit(s[i]))
			i++;
		ok = i > x0;
	}
	if (!ok || i != e)
		return err(r, t.b, t.e, "expected a time (with a unit: s, ms, us, ns)");
	if (e - t.b > MAX_NUM_LEN)
		return err(r, t.b, t.e, "number too long");
	double v = owg_decimal_scale(s + t.b, e - t.b, exp10);
	if (!isfinite(v))
		return err(r, t.b, t.e, "time out of range");
	*out = v;
	return true;
}

/* Decodes a string token into the arena (text_string.h). */
static bool str_tok(rd *r, tok t, const char **out, const char *what)
{
	if (t.kind == T_BADSTR)
		return err(r, t.b, t.e, "unterminated string");
	if (t.kind != T_STR)
		return err(r, t.b, t.e, "expected %s", what);
	char *d = owg_arena_alloc(&r->p->arena, t.e - t.b - 1);
	char msg[80];
	uint32_t eb, ee;
	if (!owg_text_unescape(r->s, t.b + 1, t.e - 1, d, msg, sizeof msg, &eb, &ee))
		return err(r, eb, ee, "%s", msg);
	*out = d;
	return true;
}

/* sum <= sumsq <= sum^2 and sum^2 <= n * sumsq hold for any n whole
 * numbers; a profile that breaks them was damaged. */
static bool check_moments(rd *r, tok at, uint64_t n, uint64_t sum, owg_u128 sumsq,
			  const char *what, const char *per)
{
	owg_u128 s2 = (owg_u128)sum * sum;
	bool ok = sumsq >= sum && sumsq <= s2;
	/* sum^2 <= n * sumsq  <=>  ceil(sum^2 / n) <= sumsq (no overflow) */
	if (ok)
		ok = n ? (s2 / n + (s2 % n != 0)) <= sumsq : sum == 0;
	if (!ok)
		return err(r, at.b, at.e,
			   "inconsistent %s: the sum and sum of squares cannot come from %" PRIu64 " %s",
			   what, n, per);
	return true;
}

static bool parse_samples(rd *r, owg_prof_entry *e)
{
	tok nt = lex(r);
	owg_u128 n;
	if (!take_uint(r, UINT32_MAX, &n, "a sample count"))
		return false;
	if (n > OWG_PROF_K)
		return err(r, nt.b, nt.e, "too many samples: %u (a profile keeps at most %d)",
			   (unsigned)n, OWG_PROF_K);
	uint64_t want = e->runs < OWG_PROF_K ? e->runs : OWG_PROF_K;
	if (n != want)
		return err(r, nt.b, nt.e,
			   "%u samples for %" PRIu64 " runs: a profile keeps min(runs, %d) = %" PRIu64,
			   (unsigned)n, e->runs, OWG_PROF_K, want);
	if (n)
		grow_samples(r->p, e, (uint32_t)n);
	for (uint32_t k = 0; k < n; k++) {
		tok open = lex(r);
		owg_prof_sample s = {0, 0};
		if (!expect(r, "(") || !time_tok(r, take(r), &s.time) ||
		    !hex16_tok(r, take(r), &s.key, "a sample key") || !expect(r, ")"))
			return false;
		if (k > 0 && cmp_sample(&s, &e->samples[k - 1]) < 0)
			return err(r, open.b, r->p0,
				   "samples out of order: a profile lists them by increasing key");
		e->samples[k] = s;
		e->nsamples = k + 1;
	}
	return true;
}

static bool parse_tb(rd *r, owg_prof_entry *e)
{
	tok ct = lex(r);
	if (!expect(r, "count") || !take_u64(r, &e->count_sum, "a count sum") ||
	    !take_uint(r, U128_MAX, &e->count_sumsq, "a count sum of squares"))
		return false;
	ct.e = r->p0;
	if (r->have_requests &&
	    !check_moments(r, ct, r->p->requests, e->count_sum, e->count_sumsq,
			   "counts per request", "requests"))
		return false;
	if (!expect(r, "samples"))
		return false;
	return parse_samples(r, e);
}

static bool parse_arms(rd *r, owg_prof_entry *e)
{
	static const char *const names[][2] = {
		[OWG_CB_BRANCH] = {"then", "else"},
		[OWG_CB_EXIT] = {"taken", "cont"},
		[OWG_CB_LOOP] = {"stop", "repeat"},
	};
	r->arms.n = 0;
	tok first = lex(r);
	if (e->cb_kind == OWG_CB_SWITCH) {
		while (peek_is(r, "case")) {
			take(r);
			uint64_t c;
			if (!take_u64(r, &c, "a case count"))
				return false;
			if (r->arms.n == OWG_PROF_MAX_ARMS)
				return err(r, first.b, r->p0, "too many cases (at most %u)",
					   OWG_PROF_MAX_ARMS);
			OWG_VEC_PUSH(r->arms, c);
		}
		if (r->arms.n == 0)
			return expect(r, "case");
		if (peek_is(r, "default")) {
			take(r);
			uint64_t c;
			if (!take_u64(r, &c, "a default count"))
				return false;
			OWG_VEC_PUSH(r->arms, c);
			e->has_default = true;
		}
	} else {
		for (int i = 0; i < 2; i++) {
			uint64_t c;
			if (!expect(r, names[e->cb_kind][i]) || !take_u64(r, &c, "an arm count"))
				return false;
			OWG_VEC_PUSH(r->arms, c);
		}
	}
	owg_u128 sum = 0;
	for (size_t i = 0; i < r->arms.n; i++)
		sum += r->arms.v[i];
	tok span = {T_WORD, first.b, r->p0};
	if (sum != e->runs && (e->has_default || e->cb_kind != OWG_CB_SWITCH || sum > e->runs)) {
		char buf[48];
		size_t k = sizeof buf;
		buf[--k] = '\0';
		do {
			buf[--k] = (char)('0' + (int)(sum % 10));
			sum /= 10;
		} while (sum);
		return err(r, span.b, span.e, "arm counts add up to %s, %s the %" PRIu64 " runs",
			   buf + k,
			   e->cb_kind == OWG_CB_SWITCH && !e->has_default ? "more than" : "not to",
			   e->runs);
	}
	e->narms = (uint32_t)r->arms.n;
	e->arms = owg_arena_alloc(&r->p->arena, r->arms.n * sizeof *e->arms);
	memcpy(e->arms, r->arms.v, r->arms.n * sizeof *e->arms);
	return true;
}

static bool parse_items(rd *r, owg_prof_entry *e)
{
	const char *word = e->cb_kind == OWG_CB_FORK ? "items" : "trips";
	tok it = lex(r);
	if (!expect(r, word) || !take_u64(r, &e->items_sum, "a sum") ||
	    !take_uint(r, U128_MAX, &e->items_sumsq, "a sum of squares"))
		return false;
	it.e = r->p0;
	return check_moments(r, it, e->runs, e->items_sum, e->items_sumsq,
			     e->cb_kind == OWG_CB_FORK ? "items per run" : "trips per run", "runs");
}

static const struct {
	const char *word;
	owg_node_kind kind;
	owg_cb_kind cb;
	owg_loop_kind loop;
} entry_kinds[] = {
	{"tb", OWG_NODE_TB, OWG_CB_ENTRY, OWG_LOOP_COUNT},
	{"entry", OWG_NODE_CB, OWG_CB_ENTRY, OWG_LOOP_COUNT},
	{"branch", OWG_NODE_CB, OWG_CB_BRANCH, OWG_LOOP_COUNT},
	{"switch", OWG_NODE_CB, OWG_CB_SWITCH, OWG_LOOP_COUNT},
	{"exit", OWG_NODE_CB, OWG_CB_EXIT, OWG_LOOP_COUNT},
	{"while", OWG_NODE_CB, OWG_CB_LOOP, OWG_LOOP_WHILE},
	{"loop", OWG_NODE_CB, OWG_CB_LOOP, OWG_LOOP_COUNT},
	{"fork", OWG_NODE_CB, OWG_CB_FORK, OWG_LOOP_COUNT},
};

/* One entry line; the entry is kept only if the whole line is good. */
static bool parse_entry(rd *r, tok kw)
{
	size_t k = 0, nk = sizeof entry_kinds / sizeof *entry_kinds;
	while (k < nk && !tok_is(r, kw, entry_kinds[k].word))
		k++;
	if (k == nk) {
		char buf[40];
		return err(r, kw.b, kw.e,
			   "expected an entry (tb, entry, branch, switch, exit, while, loop, fork) "
			   "or 'end', not '%s'",
			   show(r, kw, buf, sizeof buf));
	}
	tok nt = take(r);
	const char *name;
	if (!str_tok(r, nt, &name, "a name string"))
		return false;
	owg_prof_entry e;
	memset(&e, 0, sizeof e);
	e.name = name;
	e.kind = entry_kinds[k].kind;
	e.cb_kind = entry_kinds[k].cb;
	e.loop_kind = entry_kinds[k].loop;
	e.node = OWG_NONE;
	e.loc = (owg_loc){r->file, nt.b, nt.e};
	if (!expect(r, "runs") || !take_u64(r, &e.runs, "a run count"))
		return false;
	bool ok;
	if (e.kind == OWG_NODE_TB)
		ok = parse_tb(r, &e);
	else if (has_items(&e))
		ok = parse_items(r, &e);
	else if (e.cb_kind == OWG_CB_ENTRY)
		ok = true;
	else
		ok = parse_arms(r, &e);
	if (!ok || !expect_end(r))
		return false;
	OWG_VEC_PUSH(r->p->entries, e);
	uint32_t old = ntab_add(&r->names, r->p, (uint32_t)(r->p->entries.n - 1));
	if (old != OWG_NONE) {
		r->p->entries.n--;
		err(r, nt.b, nt.e, "duplicate entry '%s'", name);
		if (r->diag)
			owg_diag_note(r->diag, r->p->entries.v[old].loc, "first entry of that name");
		return false;
	}
	return true;
}

static void parse_header(rd *r)
{
	owg_profile *p = r->p;
	tok t = take(r);
	if (!str_tok(r, t, &p->workflow, "the workflow name string after 'workflow'"))
		return;
	p->workflow_loc = (owg_loc){r->file, t.b, t.e};
	if (!expect(r, "shape"))
		return;
	t = take(r);
	if (!hex16_tok(r, t, &p->shape, "a shape hash"))
		return;
	p->shape_loc = (owg_loc){r->file, t.b, t.e};
	if (!expect(r, "model"))
		return;
	t = take(r);
	if (!hex16_tok(r, t, &p->model, "a model hash"))
		return;
	p->model_loc = (owg_loc){r->file, t.b, t.e};
	if (!expect(r, "requests") || !take_u64(r, &p->requests, "a request count"))
		return;
	r->have_requests = expect_end(r);
}

/* Returns false when reading must stop (not a profile). */
static bool parse_line(rd *r)
{
	tok kw = take(r);
	if (kw.kind == T_END)
		return true;
	char buf[40];
	switch (r->phase) {
	case PH_HEADER:
		if (!tok_is(r, kw, "owgprof"))
			return err(r, kw.b, kw.e, "not a profile: expected 'owgprof %d'",
				   OWG_PROF_VERSION);
		kw = take(r);
		if (!tok_is(r, kw, "1"))
			return err(r, kw.b, kw.e,
				   "unsupported profile version '%s' (this owgprof reads version %d)",
				   show(r, kw, buf, sizeof buf), OWG_PROF_VERSION);
		r->phase = PH_WORKFLOW;
		expect_end(r);
		return true;
	case PH_WORKFLOW:
		r->phase = PH_ENTRIES;
		if (!tok_is(r, kw, "workflow")) {
			err(r, kw.b, kw.e, "expected 'workflow' after 'owgprof %d'", OWG_PROF_VERSION);
			return true;
		}
		parse_header(r);
		return true;
	case PH_ENTRIES:
		if (tok_is(r, kw, "end")) {
			r->phase = PH_END;
			tok nt = lex(r);
			owg_u128 n;
			if (take_uint(r, UINT64_MAX, &n, "the number of entries") && expect_end(r) &&
			    n != r->nlines)
				err(r, nt.b, nt.e, "the profile says it has %" PRIu64 " entries, not %zu",
				    (uint64_t)n, r->nlines);
			return true;
		}
		r->nlines++;
		parse_entry(r, kw);
		return true;
	case PH_END:
		err(r, kw.b, kw.e, "text after the 'end' line");
		return false;
	}
	return true;
}

owg_profile *owg_prof_read(const char *text, size_t len, uint32_t file, owg_diag *diag)
{
	rd r;
	memset(&r, 0, sizeof r);
	r.s = text;
	r.file = file;
	r.diag = diag;
	if (len >= UINT32_MAX) {
		err(&r, 0, 0, "profile too large (%zu bytes)", len);
		return NULL;
	}
	r.p = prof_alloc();
	ntab_init(&r.names, 0);
	uint32_t ls = 0, n = (uint32_t)len;
	while (ls < n) {
		const char *nl = memchr(text + ls, '\n', n - ls);
		uint32_t le = nl ? (uint32_t)(nl - text) : n;
		r.p0 = ls;
		r.p1 = le;
		if (le > ls && text[le - 1] == '\r') {
			err(&r, le - 1, le, "carriage return at the end of the line: profiles have "
			    "'\\n' line ends only (convert the file with dos2unix)");
			break;
		}
		if (memchr(text + ls, '\0', le - ls)) {
			uint32_t z = (uint32_t)((const char *)memchr(text + ls, '\0', le - ls) - text);
			err(&r, z, z + 1, "NUL byte in the profile");
		} else if (!parse_line(&r)) {
			break;
		}
		if (diag && owg_diag_capped(diag))
			break;
		ls = le + 1;
	}
	if (r.nerr == 0) {
		if (r.phase == PH_HEADER)
			err(&r, 0, 0, "empty profile: expected 'owgprof %d'", OWG_PROF_VERSION);
		else if (r.phase != PH_END)
			err(&r, n, n, "missing 'end' line: the profile is truncated");
		else if (text[n - 1] != '\n')
			err(&r, n, n, "missing newline at the end of the file: the profile is truncated");
	}
	free(r.names.slot);
	OWG_VEC_FREE(r.arms);
	if (r.nerr) {
		owg_prof_free(r.p);
		return NULL;
	}
	return r.p;
}

/* --- merging --- */

static void note_at(owg_diag *diag, owg_loc loc, const char *msg)
{
	if (diag && loc.file != OWG_NOFILE)
		owg_diag_note(diag, loc, "%s", msg);
}

static bool report(owg_diag *diag, owg_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool report(owg_diag *diag, owg_loc loc, const char *fmt, ...)
{
	if (!diag)
		return false;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	owg_diag_error(diag, loc, "%s", msg);
	return false;
}

static bool add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	*out = a + b;
	return *out >= a;
}

static bool add_u128(owg_u128 a, owg_u128 b, owg_u128 *out)
{
	*out = a + b;
	return *out >= a;
}

static bool same_layout(const owg_prof_entry *x, const owg_prof_entry *y)
{
	if (x->kind != y->kind)
		return false;
	if (x->kind == OWG_NODE_TB)
		return true;
	return x->cb_kind == y->cb_kind && x->loop_kind == y->loop_kind && x->narms == y->narms &&
	       x->has_default == y->has_default;
}

/* The K smallest of the union of two sorted samples. */
static void merge_samples(owg_profile *p, owg_prof_entry *e, const owg_prof_entry *x,
			  const owg_prof_entry *y)
{
	uint32_t n = x->nsamples + y->nsamples;
	if (n > OWG_PROF_K)
		n = OWG_PROF_K;
	if (n)
		grow_samples(p, e, n);
	uint32_t i = 0, j = 0;
	for (uint32_t k = 0; k < n; k++) {
		bool from_x = j == y->nsamples ||
			      (i < x->nsamples && cmp_sample(&x->samples[i], &y->samples[j]) <= 0);
		e->samples[k] = from_x ? x->samples[i++] : y->samples[j++];
	}
	e->nsamples = n;
}

static bool merge_entry(owg_profile *p, owg_prof_entry *e, const owg_prof_entry *x,
			const owg_prof_entry *y, owg_diag *diag)
{
	bool ok = add_u64(x->runs, y->runs, &e->runs);
	if (x->kind == OWG_NODE_TB) {
		ok = ok && add_u64(x->count_sum, y->count_sum, &e->count_sum) &&
		     add_u128(x->count_sumsq, y->count_sumsq, &e->count_sumsq);
		merge_samples(p, e, x, y);
	} else {
		if (x->narms)
			e->arms = owg_arena_alloc(&p->arena, x->narms * sizeof *e->arms);
		for (uint32_t i = 0; i < x->narms; i++)
			ok = ok && add_u64(x->arms[i], y->arms[i], &e->arms[i]);
		ok = ok && add_u64(x->items_sum, y->items_sum, &e->items_sum) &&
		     add_u128(x->items_sumsq, y->items_sumsq, &e->items_sumsq);
	}
	if (!ok)
		return report(diag, y->loc, "cannot merge '%s': its counts overflow 64 bits",
			      y->name);
	return true;
}

owg_profile *owg_prof_merge(const owg_profile *a, const owg_profile *b, owg_diag *diag)
{
	if (strcmp(a->workflow, b->workflow) != 0) {
		report(diag, b->workflow_loc,
		       "cannot merge profiles of different workflows ('%s' and '%s')", b->workflow,
		       a->workflow);
		note_at(diag, a->workflow_loc, "the other profile is of this workflow");
		return NULL;
	}
	if (a->shape != b->shape) {
		report(diag, b->shape_loc,
		       "cannot merge profiles of different versions of workflow '%s' (structure "
		       "changed)",
		       b->workflow);
		note_at(diag, a->shape_loc, "the other profile's shape");
		return NULL;
	}
	owg_profile *p = prof_alloc();
	p->workflow = owg_arena_strdup(&p->arena, a->workflow);
	p->workflow_loc = a->workflow_loc;
	p->shape = a->shape;
	p->shape_loc = a->shape_loc;
	p->model = a->model == b->model ? a->model : 0;
	p->model_loc = a->model_loc;
	bool ok = add_u64(a->requests, b->requests, &p->requests);
	if (!ok)
		report(diag, b->workflow_loc, "cannot merge: the request count overflows 64 bits");
	ntab names;
	ntab_build(&names, b);
	for (size_t i = 0; ok && i < a->entries.n; i++) {
		const owg_prof_entry *x = &a->entries.v[i];
		uint32_t j = ntab_get(&names, b, x->name);
		if (j == OWG_NONE) {
			ok = report(diag, x->loc,
				    "cannot merge: '%s' is in one profile only (damaged profile?)",
				    x->name);
			break;
		}
		const owg_prof_entry *y = &b->entries.v[j];
		if (!same_layout(x, y)) {
			ok = report(diag, y->loc, "cannot merge: '%s' is %s here, %s in the other profile",
				    y->name, entry_keyword(y), entry_keyword(x));
			note_at(diag, x->loc, "the other profile's entry");
			break;
		}
		owg_prof_entry *e = push_entry(p, x->kind, owg_arena_strdup(&p->arena, x->name));
		e->loc = x->loc;
		e->cb_kind = x->cb_kind;
		e->loop_kind = x->loop_kind;
		e->narms = x->narms;
		e->has_default = x->has_default;
		ok = merge_entry(p, e, x, y, diag);
	}
	if (ok && a->entries.n != b->entries.n) {
		/* every entry of a is in b, so b has more */
		ntab an;
		ntab_build(&an, a);
		for (size_t j = 0; j < b->entries.n; j++)
			if (ntab_get(&an, a, b->entries.v[j].name) == OWG_NONE) {
				ok = report(diag, b->entries.v[j].loc,
					    "cannot merge: '%s' is in one profile only (damaged profile?)",
					    b->entries.v[j].name);
				break;
			}
		free(an.slot);
	}
	free(names.slot);
	if (!ok) {
		owg_prof_free(p);
		return NULL;
	}
	return p;
}

/* --- binding --- */

/* The warning group of a stale profile.  diag.h has no group for profiles
 * yet; the nearest is the one about decisions without a declared model. */
#define W_STALE OWG_W_STALE_PROFILE

static const char *node_what(const owg_node *n)
{
	return n->kind == OWG_NODE_TB ? "task" : owg_cb_kind_name(n->cb_kind);
}

/* Does entry e have the layout node n gives it? */
static bool fits(const owg_prof_entry *e, const owg_node *n)
{
	if (e->kind != n->kind)
		return false;
	if (n->kind == OWG_NODE_TB)
		return true;
	owg_loop_kind lk = n->cb_kind == OWG_CB_LOOP ? n->loop_kind : OWG_LOOP_COUNT;
	uint32_t narms = counted_arms(n->cb_kind, lk, n->arms ? n->narms : 0);
	bool dflt = n->cb_kind == OWG_CB_SWITCH && narms > 0 &&
		    n->arms[narms - 1].kind == OWG_ARM_DEFAULT;
	return e->cb_kind == n->cb_kind && e->loop_kind == lk && e->narms == narms &&
	       e->has_default == dflt;
}

bool owg_prof_bind(owg_profile *p, const owg_graph *g, owg_diag *diag)
{
	const char *gname = g->name ? g->name : "";
	p->nnodes = 0;
	p->by_node = NULL;
	p->stale = false;
	for (size_t i = 0; i < p->entries.n; i++)
		p->entries.v[i].node = OWG_NONE;
	if (strcmp(p->workflow, gname) != 0)
		return report(diag, p->workflow_loc, "this is a profile of workflow '%s', not of '%s'",
			      p->workflow, gname);
	uint64_t shape = owg_ir_shape_hash(g);
	if (p->shape != shape)
		return report(diag, p->shape_loc,
			      "this profile was recorded for a different version of workflow '%s' "
			      "(structure changed; its shape is now %016" PRIx64 ")",
			      gname, shape);
	/* The shape hash matched; still check every entry, the file may lie. */
	ntab names;
	ntab_build(&names, p);
	bool ok = true;
	for (size_t i = 0; i < g->nodes.n && ok; i++) {
		const owg_node *n = &g->nodes.v[i];
		uint32_t j = ntab_get(&names, p, n->name ? n->name : "");
		if (j == OWG_NONE) {
			ok = report(diag, p->workflow_loc, "the profile has no entry for %s '%s'",
				    node_what(n), n->name ? n->name : "");
		} else if (p->entries.v[j].node != OWG_NONE || !fits(&p->entries.v[j], n)) {
			ok = report(diag, p->entries.v[j].loc,
				    "entry '%s' does not match %s %%%zu of the workflow",
				    p->entries.v[j].name, node_what(n), i);
		} else {
			p->entries.v[j].node = (uint32_t)i;
		}
	}
	for (size_t j = 0; j < p->entries.n && ok; j++)
		if (p->entries.v[j].node == OWG_NONE)
			ok = report(diag, p->entries.v[j].loc,
				    "the workflow has no task or control block '%s'",
				    p->entries.v[j].name);
	free(names.slot);
	if (!ok) {
		for (size_t i = 0; i < p->entries.n; i++)
			p->entries.v[i].node = OWG_NONE;
		return false;
	}
	bind_index(p, (uint32_t)g->nodes.n);
	if (p->model != owg_ir_model_hash(g)) {
		p->stale = true;
		if (diag)
			owg_diag_warning(diag, W_STALE, p->model_loc,
					 "stale profile: the models of workflow '%s' changed since it was "
					 "recorded; its measurements are used",
					 gname);
	}
	return true;
}
