#include "config.h"

/* owgrt_profile.c - recording .owgprof profiles in libowgrt (API and
 * semantics: owgrt.h).
 *
 * The file must be the one owgc's own recorder writes (src/profile.c,
 * owg_prof_write) for the same events, byte for byte, and libowgrt may
 * not use anything of owgc.  So this file repeats, on the loaded program
 * instead of the IR graph, three things of owgc's:
 *   - the shape and model hashes (src/profile_hash.c): the same FNV-1a 64
 *     over the same canonical byte stream.  A .owgp keeps everything they
 *     cover (owgp_format.h: "everything needed to rebuild the graph
 *     exactly"), so they are recomputed, not stored;
 *   - the recording rules (src/profile.c): saturating counters, the
 *     bottom-k sample of OWGRT_PROFILE_K (key, time) pairs kept sorted;
 *   - the text form: the same lines, numbers, string escapes and time
 *     formatting (src/quantity.c's owg_fmt_time, src/ir.c's
 *     owg_fmt_double).
 * tests/unit/test_rtprofile.c holds each of them to owgc's on every
 * example, so that a change on one side that the other misses fails. */

#include "owgrt.h"

#include "owgrt_fmt.h"
#include "owgrt_rng.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__extension__ typedef unsigned __int128 u128;
#define U128_MAX (~(u128)0)
#define PROFILE_VERSION 1 /* src/profile.h's OWG_PROF_VERSION */

/* ================================================================ hashes
 * The encoding is src/profile_hash.c's; see its header comment. */

typedef struct hasher {
	uint64_t h;
} hasher;

static void hbytes(hasher *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		s->h = (s->h ^ b[i]) * 0x100000001b3ull;
}

static void hu8(hasher *s, unsigned v)
{
	unsigned char b = (unsigned char)v;
	hbytes(s, &b, 1);
}

/* Little-endian whatever the host's byte order. */
static void hu32(hasher *s, uint32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hbytes(s, b, 4);
}

static void hu64(hasher *s, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hbytes(s, b, 8);
}

/* -0 and 0 compare equal and every NaN means "none": one encoding each. */
static void hf64(hasher *s, double x)
{
	uint64_t bits;
	if (isnan(x)) {
		bits = 0x7ff8000000000000ull;
	} else {
		if (x == 0)
			x = 0;
		memcpy(&bits, &x, sizeof bits);
	}
	hu64(s, bits);
}

static void hstr(hasher *s, const char *str)
{
	if (!str) {
		hu32(s, UINT32_MAX);
		return;
	}
	size_t n = strlen(str);
	hu32(s, (uint32_t)n);
	hbytes(s, str, n);
}

static void hstart(hasher *s, const char *tag)
{
	s->h = 0xcbf29ce484222325ull;
	hstr(s, tag);
}

/* Kinds are hashed by their names in the IR text, not by enum value (so
 * that reordering an enum changes no hash): these are src/ir.c's names. */
static const char *type_name(owgrt_type t)
{
	static const char *const names[] = {"i64", "f64", "bool"};
	return (unsigned)t < 3 ? names[t] : "?";
}

static const char *task_kind_name(owgrt_task_kind k)
{
	return k == OWGRT_TASK_AI ? "ai" : k == OWGRT_TASK_GENERAL ? "general" : "?";
}

static const char *cb_kind_name(owgrt_cb_kind k)
{
	static const char *const names[] = {"entry", "branch", "switch", "loop", "fork", "exit"};
	return (unsigned)k < 6 ? names[k] : "?";
}

static const char *arm_kind_name(owgrt_arm_kind k)
{
	static const char *const names[] = {"seq",  "then",   "else", "case",  "default",
					    "body", "repeat", "item", "taken", "cont"};
	return (unsigned)k < 10 ? names[k] : "?";
}

static const char *dist_kind_name(owgrt_dist_kind k)
{
	static const char *const names[] = {"const",   "meansd",      "normal",
					    "lognormal", "uniform",   "exponential",
					    "poisson", "geometric", "empirical"};
	return (unsigned)k < 9 ? names[k] : "?";
}

static const char *op_name(owgrt_op op)
{
	static const char *const names[] = {"+", "-", "*",  "/",  "%",  "<", "<=", ">",
					    ">=", "==", "!=", "&&", "||", "!", "-"};
	return (unsigned)op < 15 ? names[op] : "?";
}

/* Only the parameters the kind uses count: a and b of a one-parameter
 * kind may hold anything. */
static void hdist(hasher *s, const owgrt_dist *d)
{
	hstr(s, dist_kind_name(d->kind));
	switch (d->kind) {
	case OWGRT_DIST_MEANSD:
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_LOGNORMAL:
	case OWGRT_DIST_UNIFORM:
		hf64(s, d->a);
		hf64(s, d->b);
		break;
	case OWGRT_DIST_EMPIRICAL:
		hu32(s, d->samples ? d->nsamples : 0);
		for (uint32_t i = 0; d->samples && i < d->nsamples; i++)
			hf64(s, d->samples[i]);
		break;
	default:
		hf64(s, d->a);
		break;
	}
}

/* Expression e of the flat array in prefix order, as owgc hashes its
 * tree.  The recursion is bounded: operands come before their users (so
 * it ends) and the loader refuses trees deeper than OWGP_MAX_EXPR_DEPTH
 * (1000) operators. */
static void hexpr(hasher *s, const owgrt_program *p, uint32_t e)
{
	if (e == OWGRT_NONE || e >= p->nexprs) {
		hu8(s, '?');
		return;
	}
	const owgrt_expr *x = &p->exprs[e];
	switch (x->kind) {
	case OWGRT_EX_NUM:
		hu8(s, 'n');
		hf64(s, x->num);
		break;
	case OWGRT_EX_BOOL:
		hu8(s, 'b');
		hu8(s, x->b);
		break;
	case OWGRT_EX_OUT:
		hu8(s, 'o');
		hu32(s, x->node);
		hu32(s, x->out);
		break;
	case OWGRT_EX_UNARY:
		hu8(s, 'u');
		hstr(s, op_name(x->op));
		hexpr(s, p, x->l < e ? x->l : OWGRT_NONE);
		break;
	case OWGRT_EX_BINARY:
		hu8(s, 'x');
		hstr(s, op_name(x->op));
		hexpr(s, p, x->l < e ? x->l : OWGRT_NONE);
		hexpr(s, p, x->r < e ? x->r : OWGRT_NONE);
		break;
	}
}

uint64_t owgrt_shape_hash(const owgrt_program *p)
{
	hasher s;
	hstart(&s, "owg-shape-1");
	hu32(&s, p->nnodes);
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *n = &p->nodes[i];
		hu8(&s, n->kind == OWGRT_NODE_TASK ? 'T' : 'C');
		hstr(&s, n->name);
		hu32(&s, n->region);
		hu32(&s, n->arm);
		if (n->kind == OWGRT_NODE_TASK) {
			hstr(&s, task_kind_name(n->task_kind));
			continue;
		}
		hstr(&s, cb_kind_name(n->cb_kind));
		if (n->cb_kind == OWGRT_CB_LOOP)
			hstr(&s, n->loop_kind == OWGRT_LOOP_WHILE ? "while" : "trips");
		hu32(&s, n->arms ? n->narms : 0);
		for (uint32_t a = 0; n->arms && a < n->narms; a++) {
			hstr(&s, arm_kind_name(n->arms[a].kind));
			if (n->arms[a].kind == OWGRT_ARM_CASE)
				hf64(&s, n->arms[a].value);
		}
	}
	hu32(&s, p->nflows);
	for (uint32_t i = 0; i < p->nflows; i++) {
		hu32(&s, p->flows[i].src);
		hu32(&s, p->flows[i].dst);
	}
	return s.h;
}

static void hmodel_task(hasher *s, const owgrt_node *n)
{
	hu32(s, n->peas);
	hdist(s, &n->time);
	hf64(s, n->config_bytes);
	hstr(s, n->kernel);
	hu32(s, n->outs ? n->nouts : 0);
	for (uint32_t o = 0; n->outs && o < n->nouts; o++) {
		hstr(s, n->outs[o].name);
		hstr(s, type_name(n->outs[o].type));
	}
}

static void hmodel_control(hasher *s, const owgrt_program *p, const owgrt_node *n)
{
	for (uint32_t a = 0; n->arms && a < n->narms; a++)
		hf64(s, n->arms[a].prob);
	if (n->cb_kind == OWGRT_CB_FORK ||
	    (n->cb_kind == OWGRT_CB_LOOP && n->loop_kind == OWGRT_LOOP_COUNT))
		hdist(s, &n->count);
	hu32(s, n->max_trips);
	hu32(s, n->count_node);
	hu32(s, n->count_node != OWGRT_NONE ? n->count_out : 0);
	hexpr(s, p, n->pred);
}

uint64_t owgrt_model_hash(const owgrt_program *p)
{
	hasher s;
	hstart(&s, "owg-model-1");
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *n = &p->nodes[i];
		if (n->kind == OWGRT_NODE_TASK)
			hmodel_task(&s, n);
		else
			hmodel_control(&s, p, n);
	}
	for (uint32_t i = 0; i < p->nflows; i++)
		hf64(&s, p->flows[i].bytes);
	return s.h;
}

/* ============================================================= recording */

typedef struct sample {
	uint64_t key;
	double time; /* seconds, finite, >= 0, never -0 */
} sample;

/* One node's counters (src/profile.h's owg_prof_entry, for one kind of
 * node at a time). */
typedef struct entry {
	uint64_t runs;
	/* tasks */
	uint64_t count_sum;
	u128 count_sumsq;
	uint32_t nsamples, cap;
	sample *samples; /* sorted by (key, time) */
	/* control nodes */
	uint32_t narms;  /* the counted arms: branch, exit, while: 2; switch: its arms */
	uint64_t *arms;
	bool has_default;
	uint64_t items_sum; /* count loops, forks */
	u128 items_sumsq;
} entry;

struct owgrt_profile {
	const owgrt_program *p; /* borrowed: names and kinds come from it */
	uint64_t shape, model, requests;
	entry *e; /* per node */
};

static bool is_while(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL && n->cb_kind == OWGRT_CB_LOOP &&
	       n->loop_kind == OWGRT_LOOP_WHILE;
}

/* Count loops and forks record trips or items per run, not arms. */
static bool has_items(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL &&
	       (n->cb_kind == OWGRT_CB_FORK ||
		(n->cb_kind == OWGRT_CB_LOOP && n->loop_kind == OWGRT_LOOP_COUNT));
}

/* The arm counts a control node's line carries (src/profile.c's
 * counted_arms). */
static uint32_t counted_arms(const owgrt_node *n)
{
	switch (n->cb_kind) {
	case OWGRT_CB_BRANCH:
	case OWGRT_CB_EXIT:
		return 2;
	case OWGRT_CB_SWITCH:
		return n->arms ? n->narms : 0;
	case OWGRT_CB_LOOP:
		return n->loop_kind == OWGRT_LOOP_WHILE ? 2 : 0;
	default:
		return 0;
	}
}

void owgrt_profile_free(owgrt_profile *pr)
{
	if (!pr)
		return;
	for (uint32_t i = 0; pr->e && i < pr->p->nnodes; i++) {
		free(pr->e[i].samples);
		free(pr->e[i].arms);
	}
	free(pr->e);
	free(pr);
}

owgrt_profile *owgrt_profile_new(const owgrt_program *p)
{
	if (!p)
		return NULL;
	owgrt_profile *pr = calloc(1, sizeof *pr);
	if (!pr)
		return NULL;
	pr->p = p;
	pr->shape = owgrt_shape_hash(p);
	pr->model = owgrt_model_hash(p);
	pr->e = calloc(p->nnodes ? p->nnodes : 1, sizeof *pr->e);
	if (!pr->e) {
		free(pr);
		return NULL;
	}
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *n = &p->nodes[i];
		entry *e = &pr->e[i];
		if (n->kind != OWGRT_NODE_CONTROL)
			continue;
		e->narms = counted_arms(n);
		e->has_default = n->cb_kind == OWGRT_CB_SWITCH && e->narms > 0 &&
				 n->arms[e->narms - 1].kind == OWGRT_ARM_DEFAULT;
		if (e->narms && !(e->arms = calloc(e->narms, sizeof *e->arms))) {
			owgrt_profile_free(pr);
			return NULL;
		}
	}
	return pr;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static u128 sat_add128(u128 a, u128 b)
{
	return a + b < a ? U128_MAX : a + b;
}

/* (key, time) order: the order of src/profile.c, so that the K smallest
 * are the same pairs whatever order they came in and merge stays
 * associative.  Times are never NaN. */
static int cmp_sample(const sample *a, const sample *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->time < b->time ? -1 : a->time > b->time;
}

/* Bottom-k: keeps the K smallest pairs, sorted.  The array grows by
 * doubling up to K so that rarely run tasks stay small.  Returns false
 * (nothing changed) when out of memory. */
static bool add_sample(entry *e, sample s)
{
	uint32_t n = e->nsamples;
	if (n == OWGRT_PROFILE_K && cmp_sample(&s, &e->samples[n - 1]) >= 0)
		return true; /* not among the K smallest */
	if (n == e->cap) {
		uint32_t cap = n == 0 ? 8 : 2 * n > OWGRT_PROFILE_K ? OWGRT_PROFILE_K : 2 * n;
		sample *v = realloc(e->samples, cap * sizeof *v);
		if (!v)
			return false;
		e->samples = v;
		e->cap = cap;
	}
	uint32_t lo = 0, hi = n; /* the first sample greater than s */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cmp_sample(&e->samples[mid], &s) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n == OWGRT_PROFILE_K)
		n--; /* the largest goes */
	memmove(e->samples + lo + 1, e->samples + lo, (n - lo) * sizeof s);
	e->samples[lo] = s;
	e->nsamples = n + 1;
	return true;
}

/* The node's entry when `node` is a node of the program, else NULL. */
static entry *entry_of(owgrt_profile *pr, uint32_t node, const owgrt_node **n)
{
	if (!pr || node >= pr->p->nnodes)
		return NULL;
	*n = &pr->p->nodes[node];
	return &pr->e[node];
}

uint64_t owgrt_profile_key(uint64_t seed, uint64_t req, uint32_t node, uint32_t exec)
{
	/* a key from the stream the time was drawn from would be correlated
	 * with it and bias the bottom-k sample */
	owgrt_rng r;
	owgrt_rng_stream(&r, owgrt_hash64(seed ^ 0x70726f66696c6521ull), req, node, exec);
	return owgrt_rng_next(&r);
}

int owgrt_profile_time(owgrt_profile *pr, uint32_t node, double seconds, uint64_t key)
{
	const owgrt_node *n;
	entry *e = entry_of(pr, node, &n);
	if (!e || n->kind != OWGRT_NODE_TASK || !isfinite(seconds) || seconds < 0)
		return OWGRT_EINVAL;
	if (!add_sample(e, (sample){key, seconds == 0 ? 0.0 : seconds}))
		return OWGRT_ENOMEM;
	e->runs = sat_add(e->runs, 1);
	return OWGRT_OK;
}

int owgrt_profile_arm(owgrt_profile *pr, uint32_t node, uint32_t arm)
{
	const owgrt_node *n;
	entry *e = entry_of(pr, node, &n);
	/* the entry's run is counted by owgrt_profile_request */
	if (!e || n->kind != OWGRT_NODE_CONTROL || has_items(n) || n->cb_kind == OWGRT_CB_ENTRY)
		return OWGRT_EINVAL;
	if (arm == OWGRT_NONE) {
		if (n->cb_kind != OWGRT_CB_SWITCH || e->has_default)
			return OWGRT_EINVAL;
	} else if (arm >= e->narms) {
		return OWGRT_EINVAL;
	}
	e->runs = sat_add(e->runs, 1);
	if (arm != OWGRT_NONE)
		e->arms[arm] = sat_add(e->arms[arm], 1);
	return OWGRT_OK;
}

int owgrt_profile_items(owgrt_profile *pr, uint32_t node, uint64_t n)
{
	const owgrt_node *x;
	entry *e = entry_of(pr, node, &x);
	if (!e)
		return OWGRT_EINVAL;
	if (is_while(x)) {
		/* a do-while tests after every trip: n - 1 repeats, then a stop */
		if (n == 0)
			return OWGRT_EINVAL;
		e->runs = sat_add(e->runs, n);
		e->arms[0] = sat_add(e->arms[0], 1);
		e->arms[1] = sat_add(e->arms[1], n - 1);
		return OWGRT_OK;
	}
	if (!has_items(x))
		return OWGRT_EINVAL;
	e->runs = sat_add(e->runs, 1);
	e->items_sum = sat_add(e->items_sum, n);
	e->items_sumsq = sat_add128(e->items_sumsq, (u128)n * n);
	return OWGRT_OK;
}

int owgrt_profile_request(owgrt_profile *pr, const uint32_t *execs)
{
	if (!pr || !execs)
		return OWGRT_EINVAL;
	pr->requests = sat_add(pr->requests, 1);
	for (uint32_t id = 0; id < pr->p->nnodes; id++) {
		entry *e = &pr->e[id];
		if (pr->p->nodes[id].kind == OWGRT_NODE_CONTROL) {
			if (pr->p->nodes[id].cb_kind == OWGRT_CB_ENTRY)
				e->runs = sat_add(e->runs, 1); /* once per request */
			continue;
		}
		e->count_sum = sat_add(e->count_sum, execs[id]);
		e->count_sumsq = sat_add128(e->count_sumsq, (u128)execs[id] * execs[id]);
	}
	return OWGRT_OK;
}

/* ============================================================= text form */

/* A growing string; `failed` once an allocation failed (then the text is
 * incomplete and must not be written). */
typedef struct sbuf {
	char *s;
	size_t n, cap;
	bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (len + 1 > b->cap - b->n) {
		size_t cap = b->cap ? b->cap : 4096;
		while (len + 1 > cap - b->n)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->failed = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[128]; /* every use prints a few numbers and keywords */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->failed = true;
		return;
	}
	sb_put(b, tmp, (size_t)n);
}

static void sb_u128(sbuf *b, u128 v)
{
	char buf[48];
	size_t i = sizeof buf;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	sb_str(b, buf + i);
}

/* A string with the IR's escapes (src/profile.c's put_string). */
static void sb_quoted(sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sb_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_put(b, c == '"' ? "\\\"" : "\\\\", 2);
		else if (c == '\n')
			sb_put(b, "\\n", 2);
		else if (c == '\t')
			sb_put(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(b, "\\x%c%c", hex[c >> 4], hex[c & 15]);
		else
			sb_put(b, (const char *)&c, 1);
	}
	sb_put(b, "\"", 1);
}

/* The keyword of a node's line. */
static const char *keyword(const owgrt_node *n)
{
	if (n->kind == OWGRT_NODE_TASK)
		return "tb";
	if (n->cb_kind == OWGRT_CB_LOOP)
		return n->loop_kind == OWGRT_LOOP_WHILE ? "while" : "loop";
	return cb_kind_name(n->cb_kind);
}

static void put_task(sbuf *b, const entry *e)
{
	sb_printf(b, " count %" PRIu64 " ", e->count_sum);
	sb_u128(b, e->count_sumsq);
	sb_printf(b, " samples %" PRIu32, e->nsamples);
	for (uint32_t k = 0; k < e->nsamples; k++) {
		char t[48];
		owgrt_fmt_time(t, sizeof t, e->samples[k].time);
		sb_printf(b, " (%s %016" PRIx64 ")", t, e->samples[k].key);
	}
}

static void put_control(sbuf *b, const owgrt_node *n, const entry *e)
{
	static const char *const labels[][2] = {
		[OWGRT_CB_BRANCH] = {"then", "else"},
		[OWGRT_CB_EXIT] = {"taken", "cont"},
		[OWGRT_CB_LOOP] = {"stop", "repeat"},
	};
	for (uint32_t i = 0; i < e->narms; i++) {
		const char *label;
		if (n->cb_kind == OWGRT_CB_SWITCH)
			label = e->has_default && i + 1 == e->narms ? "default" : "case";
		else
			label = labels[n->cb_kind][i];
		sb_printf(b, " %s %" PRIu64, label, e->arms[i]);
	}
	if (has_items(n)) {
		sb_printf(b, " %s %" PRIu64 " ", n->cb_kind == OWGRT_CB_FORK ? "items" : "trips",
			  e->items_sum);
		sb_u128(b, e->items_sumsq);
	}
}

/* The whole file (src/profile.c's owg_prof_write); false when out of
 * memory. */
static bool render(const owgrt_profile *pr, sbuf *b)
{
	const owgrt_program *p = pr->p;
	sb_printf(b, "owgprof %d\nworkflow ", PROFILE_VERSION);
	sb_quoted(b, p->name ? p->name : "");
	sb_printf(b, " shape %016" PRIx64 " model %016" PRIx64 " requests %" PRIu64 "\n",
		  pr->shape, pr->model, pr->requests);
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *n = &p->nodes[i];
		sb_str(b, keyword(n));
		sb_put(b, " ", 1);
		sb_quoted(b, n->name ? n->name : "");
		sb_printf(b, " runs %" PRIu64, pr->e[i].runs);
		if (n->kind == OWGRT_NODE_TASK)
			put_task(b, &pr->e[i]);
		else
			put_control(b, n, &pr->e[i]);
		sb_put(b, "\n", 1);
	}
	sb_printf(b, "end %" PRIu32 "\n", p->nnodes);
	return !b->failed;
}

int owgrt_profile_text(const owgrt_profile *pr, char **text, size_t *len)
{
	if (!text || !len)
		return OWGRT_EINVAL;
	*text = NULL;
	*len = 0;
	if (!pr)
		return OWGRT_EINVAL;
	sbuf b = {0};
	if (!render(pr, &b)) {
		free(b.s);
		return OWGRT_ENOMEM;
	}
	*text = b.s;
	*len = b.n;
	return OWGRT_OK;
}

/* ============================================================== writing */

/* Formats an error message (err may be NULL or err_size 0); returns code. */
static int fail(char *err, size_t err_size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t err_size, int code, const char *fmt, ...)
{
	if (err && err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* strerror_r (thread-safe, unlike strerror) into buf. */
static const char *why(int e, char *buf, size_t n)
{
	if (strerror_r(e, buf, n))
		snprintf(buf, n, "error %d", e);
	return buf;
}

/* Writes all of buf to fd, across short writes and signals; 0 or errno. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A new temporary file next to path ("path.tmp.PID.N"), created
 * exclusively so that concurrent writers never share one; mode 0666 less
 * the umask, as any output.  Returns the descriptor or -1 with errno. */
static int open_temp(const char *path, char *tmp, size_t n)
{
	for (unsigned attempt = 0; attempt < 1000; attempt++) {
		int len = snprintf(tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(), attempt);
		if (len < 0 || (size_t)len >= n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* A device or pipe (/dev/null, /dev/stdout, a FIFO) cannot be replaced
 * by a rename: it is written in place. */
static int write_in_place(const char *path, const char *text, size_t len, char *err, size_t err_size)
{
	char buf[128];
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, err_size, OWGRT_EIO, "%s: cannot open: %s", path,
			    why(errno, buf, sizeof buf));
	int e = write_all(fd, text, len);
	if (close(fd) != 0 && !e)
		e = errno;
	if (e)
		return fail(err, err_size, OWGRT_EIO, "%s: write error: %s", path, why(e, buf, sizeof buf));
	return OWGRT_OK;
}

/* Temporary file, written, flushed to the disk, renamed over path: a crash
 * leaves the old file or the new one, never half of one. */
static int write_atomic(const char *path, const char *text, size_t len, char *err, size_t err_size)
{
	char buf[128];
	size_t tn = strlen(path) + 48;
	char *tmp = malloc(tn);
	if (!tmp)
		return fail(err, err_size, OWGRT_ENOMEM, "%s: out of memory", path);
	int fd = open_temp(path, tmp, tn);
	if (fd < 0) {
		int rc = fail(err, err_size, OWGRT_EIO, "%s: cannot create a temporary file next to it: %s",
			      path, why(errno, buf, sizeof buf));
		free(tmp);
		return rc;
	}
	int e = write_all(fd, text, len);
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	const char *what = "write error";
	if (!e && rename(tmp, path) != 0) {
		e = errno;
		what = "cannot rename the temporary file into place";
	}
	if (e) {
		unlink(tmp);
		free(tmp);
		return fail(err, err_size, OWGRT_EIO, "%s: %s: %s", path, what, why(e, buf, sizeof buf));
	}
	free(tmp);
	return OWGRT_OK;
}

int owgrt_profile_write_file(const owgrt_profile *pr, const char *path, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (!pr || !path || !*path)
		return fail(err, err_size, OWGRT_EINVAL, "owgrt_profile_write_file: %s",
			    !pr ? "no profile" : "no path");
	char *text;
	size_t len;
	if (owgrt_profile_text(pr, &text, &len) != OWGRT_OK)
		return fail(err, err_size, OWGRT_ENOMEM, "%s: out of memory", path);
	struct stat st;
	int rc;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		rc = write_in_place(path, text, len, err, err_size);
	else
		rc = write_atomic(path, text, len, err, err_size);
	free(text);
	return rc;
}
