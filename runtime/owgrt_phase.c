#include "config.h"

/* owgrt_phase.c - phase files (owgrt_phase.h, owg(5) PHASE FILES).
 *
 * The text is hostile: it is read line by line in one pass, every line is
 * checked for its length, NUL bytes, control characters and UTF-8 before
 * it is split into tokens, and every token against its syntax and the
 * program (the node it names, the kind of that node, the number and range
 * of the values).  The first error ends the parse with "PATH:LINE:COL:
 * message" (byte columns from 1).  Names are found through a hash table;
 * an unknown name looks for a node within edit distance 2 in a band of
 * the dynamic-programming table, so that nothing is quadratic in a line.
 * Memory is the text's size plus phases x nodes cells, which is capped. */

#include "owgrt_phase.h"

#include "owgrt_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The longest line, newline excluded. */
#define LINE_MAX_BYTES 4096
/* The most phases; besides, phases x nodes must stay below MAX_CELLS. */
#define MAX_PHASES 1024
#define MAX_CELLS ((uint64_t)1 << 22)
/* The largest file owgrt_phases_load_file reads. */
#define MAX_FILE_BYTES ((size_t)64 << 20)
/* Tokens in a line of LINE_MAX_BYTES, at most. */
#define MAX_TOKENS (LINE_MAX_BYTES / 2 + 1)
/* The longest number token. */
#define NUM_MAX 64
/* Tolerance of the sums of shares and probabilities. */
#define SUM_TOL 1e-9
/* How much of a token or a name a message quotes. */
#define QUOTE_MAX 64
/* The edit distance within which an unknown name gets a suggestion. */
#define SUGGEST_DIST 2

typedef struct tok {
	const char *s;
	size_t len;
	size_t col; /* 1-based byte column */
} tok;

typedef struct parser {
	const owgrt_program *p;
	const char *path;
	char *err;
	size_t err_size;
	uint32_t line;
	/* names: open addressing, node ids, OWGRT_NONE when empty */
	uint32_t *slot;
	size_t nslots; /* a power of two */
	/* per node: the phase (index + 1) of its last setting, and its line */
	uint32_t *seen_phase, *seen_line;
	/* the phases so far */
	owgrt_phases *ph;
	uint32_t cap;
	uint32_t *phase_line;  /* per phase: its line */
	size_t *phase_col;     /* per phase: the column of its share */
	uint32_t max_phases;
	tok *tok; /* MAX_TOKENS */
} parser;

/* --- messages --- */

static void set_err(char *err, size_t err_size, const char *fmt, ...)
{
	if (!err || !err_size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

/* "PATH:LINE:COL: message"; returns OWGRT_EFORMAT. */
static int fail_at(parser *P, uint32_t line, size_t col, const char *fmt, ...)
{
	if (P->err && P->err_size) {
		int k = snprintf(P->err, P->err_size, "%s:%u:%zu: ", P->path, line, col);
		if (k >= 0 && (size_t)k < P->err_size) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(P->err + k, P->err_size - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return OWGRT_EFORMAT;
}

#define fail(P, col, ...) fail_at((P), (P)->line, (col), __VA_ARGS__)

/* At most QUOTE_MAX bytes of s (valid UTF-8), cut at a character
 * boundary, with "..." when cut: into buf (QUOTE_MAX + 4 bytes). */
static const char *quote(char *buf, const char *s, size_t len)
{
	size_t n = len;
	const char *more = "";
	if (n > QUOTE_MAX) {
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		more = "...";
	}
	memcpy(buf, s, n);
	strcpy(buf + n, more);
	return buf;
}

/* What a node is, with its article ("a while loop"). */
static const char *kind_name(const owgrt_node *n)
{
	if (n->kind == OWGRT_NODE_TASK)
		return "a task";
	switch (n->cb_kind) {
	case OWGRT_CB_ENTRY: return "the entry";
	case OWGRT_CB_BRANCH: return "a branch";
	case OWGRT_CB_SWITCH: return "a switch";
	case OWGRT_CB_LOOP: return n->loop_kind == OWGRT_LOOP_WHILE ? "a while loop" : "a count loop";
	case OWGRT_CB_FORK: return "a fork";
	case OWGRT_CB_EXIT: return "an exit";
	}
	return "a control block";
}

/* --- the text --- */

/* Length of the well-formed UTF-8 sequence at s (n > 0 bytes, s[0] >=
 * 0x80): no overlong forms, no surrogates, nothing above U+10FFFF; 0 when
 * ill-formed. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp, min;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1fu, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0fu, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07u, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Checks the bytes of a line (no newline): NUL, control characters,
 * UTF-8.  OWGRT_OK or an error. */
static int check_line(parser *P, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0)
			return fail(P, i + 1, "NUL byte (is this a binary file?)");
		if (c < 0x80) {
			if ((c < 0x20 && !is_space(c)) || c == 0x7f)
				return fail(P, i + 1, "control character 0x%02x", c);
			i++;
			continue;
		}
		size_t k = utf8_len((const unsigned char *)s + i, len - i);
		if (!k)
			return fail(P, i + 1, "invalid UTF-8 byte 0x%02x", c);
		i += k;
	}
	return OWGRT_OK;
}

/* Splits a checked line into tokens (up to the comment); returns how many
 * (at most max: a line of LINE_MAX_BYTES has fewer than max). */
static size_t split(const char *s, size_t len, tok *t, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n < max;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#')
			break;
		if (is_space(c)) {
			i++;
			continue;
		}
		size_t b = i;
		while (i < len && !is_space((unsigned char)s[i]) && s[i] != '#')
			i++;
		t[n++] = (tok){s + b, i - b, b + 1};
	}
	return n;
}

static bool tok_is(const tok *t, const char *word)
{
	size_t n = strlen(word);
	return t->len == n && memcmp(t->s, word, n) == 0;
}

/* A decimal number: [+-] digits [. digits] [(e|E) [+-] digits], at least
 * one digit before the exponent; no inf, nan, hex or locale forms. */
static bool parse_num(const tok *t, double *out)
{
	const char *s = t->s;
	size_t n = t->len, i = 0, digits = 0;
	if (n == 0 || n > NUM_MAX)
		return false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t ed = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, ed++;
		if (!ed)
			return false;
	}
	if (i != n)
		return false;
	char buf[NUM_MAX + 1];
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	double v = strtod(buf, &end);
	if (end != buf + n) /* a locale whose decimal point is not '.' */
		return false;
	*out = v;
	return true;
}

/* Parses token t as a number, or fails with "expected WHAT, found ...". */
static int num_or_fail(parser *P, const tok *t, const char *what, double *out)
{
	if (parse_num(t, out))
		return OWGRT_OK;
	char q[QUOTE_MAX + 4];
	return fail(P, t->col, "expected %s, found '%s'", what, quote(q, t->s, t->len));
}

/* --- names --- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static bool names_init(parser *P)
{
	size_t cap = 16;
	while (cap < 2 * (size_t)P->p->nnodes)
		cap *= 2;
	P->slot = malloc(cap * sizeof *P->slot);
	if (!P->slot)
		return false;
	P->nslots = cap;
	for (size_t i = 0; i < cap; i++)
		P->slot[i] = OWGRT_NONE;
	for (uint32_t i = 0; i < P->p->nnodes; i++) {
		const char *name = P->p->nodes[i].name;
		if (!name)
			continue;
		size_t len = strlen(name);
		size_t k = (size_t)hash_bytes(name, len) & (cap - 1);
		bool dup = false;
		while (P->slot[k] != OWGRT_NONE) {
			if (strcmp(P->p->nodes[P->slot[k]].name, name) == 0) {
				dup = true; /* the first node of a name wins */
				break;
			}
			k = (k + 1) & (cap - 1);
		}
		if (!dup)
			P->slot[k] = i;
	}
	return true;
}

static uint32_t names_find(const parser *P, const char *s, size_t len)
{
	size_t k = (size_t)hash_bytes(s, len) & (P->nslots - 1);
	while (P->slot[k] != OWGRT_NONE) {
		const char *name = P->p->nodes[P->slot[k]].name;
		if (strncmp(name, s, len) == 0 && name[len] == '\0')
			return P->slot[k];
		k = (k + 1) & (P->nslots - 1);
	}
	return OWGRT_NONE;
}

/* ASCII letters without their case: a slip of the shift key is no edit. */
static unsigned char fold(char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* Optimal string alignment distance between a and b (ignoring the case
 * of ASCII letters) when it is at most SUGGEST_DIST, else
 * SUGGEST_DIST + 1.  Only the band |i - j| <= K of
 * the table is computed: O(la) time; la <= LINE_MAX_BYTES. */
static unsigned osa_within(const char *a, size_t la, const char *b, size_t lb, unsigned char *rows)
{
	enum { K = SUGGEST_DIST, INF = SUGGEST_DIST + 1 };
	if (la > lb + K || lb > la + K || la > LINE_MAX_BYTES)
		return INF;
	/* rows: 3 x (lb + 2) cells.  Row i reads row i - 1 in [i - K - 1,
	 * i + K] and row i - 2 from i - K - 2: cells in those rows' bands,
	 * but for row i - 1's at i + K, which its buffer has never held
	 * (INF from the memset), and itself at i - K - 1, set below. */
	unsigned char *pp = rows, *p = rows + (lb + 2), *cur = rows + 2 * (lb + 2);
	memset(rows, INF, 3 * (lb + 2));
	for (size_t j = 0; j <= lb && j <= K; j++)
		p[j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > K ? i - K : 1, hi = i + K < lb ? i + K : lb;
		cur[0] = (unsigned char)(i <= K ? i : INF);
		cur[lo - 1] = lo > 1 ? INF : cur[0]; /* left of the band: read, never computed */
		unsigned best = cur[0];
		for (size_t j = lo; j <= hi; j++) {
			unsigned v = p[j - 1] + (fold(a[i - 1]) != fold(b[j - 1]));
			if (p[j] + 1u < v)
				v = p[j] + 1u;
			if (cur[j - 1] + 1u < v)
				v = cur[j - 1] + 1u;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]) &&
			    pp[j - 2] + 1u < v)
				v = pp[j - 2] + 1u;
			if (v > INF)
				v = INF;
			cur[j] = (unsigned char)v;
			if (v < best)
				best = v;
		}
		if (best > K)
			return INF;
		unsigned char *t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[lb];
}

/* The node closest to an unknown name (within SUGGEST_DIST), preferring
 * at equal distance one that `fits`; OWGRT_NONE when none. */
static uint32_t suggest(const parser *P, const tok *t, bool (*fits)(const owgrt_node *))
{
	uint32_t best = OWGRT_NONE;
	unsigned best_d = SUGGEST_DIST + 1;
	bool best_fits = false;
	unsigned char *rows = malloc(3 * (t->len + SUGGEST_DIST + 2));
	if (!rows)
		return OWGRT_NONE; /* no suggestion then */
	for (uint32_t i = 0; i < P->p->nnodes; i++) {
		const owgrt_node *n = &P->p->nodes[i];
		if (!n->name)
			continue;
		size_t ln = strnlen(n->name, t->len + SUGGEST_DIST + 1);
		unsigned d = osa_within(t->s, t->len, n->name, ln, rows);
		bool f = fits(n);
		if (d < best_d || (d == best_d && d <= SUGGEST_DIST && f && !best_fits)) {
			best = i;
			best_d = d;
			best_fits = f;
		}
	}
	free(rows);
	return best;
}

/* --- settings --- */

static bool fits_prob(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL &&
	       (n->cb_kind == OWGRT_CB_BRANCH || n->cb_kind == OWGRT_CB_SWITCH || n->cb_kind == OWGRT_CB_EXIT ||
		(n->cb_kind == OWGRT_CB_LOOP && n->loop_kind == OWGRT_LOOP_WHILE));
}

static bool fits_count(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL && n->has_count &&
	       (n->cb_kind == OWGRT_CB_FORK || (n->cb_kind == OWGRT_CB_LOOP && n->loop_kind == OWGRT_LOOP_COUNT));
}

static bool fits_time(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_TASK;
}

static bool has_default(const owgrt_node *n)
{
	return n->narms > 0 && n->arms[n->narms - 1].kind == OWGRT_ARM_DEFAULT;
}

/* The node named by t (the setting `what`), or an error. */
static int find_node(parser *P, const tok *t, bool (*fits)(const owgrt_node *), uint32_t *out)
{
	char q[QUOTE_MAX + 4], q2[QUOTE_MAX + 4], q3[QUOTE_MAX + 4];
	uint32_t id = names_find(P, t->s, t->len);
	const char *wf = P->p->name ? P->p->name : "";
	if (id == OWGRT_NONE) {
		uint32_t s = suggest(P, t, fits);
		if (s != OWGRT_NONE) {
			const char *sn = P->p->nodes[s].name;
			return fail(P, t->col, "no node named '%s' in workflow '%s'; did you mean '%s'?",
				    quote(q, t->s, t->len), quote(q2, wf, strlen(wf)), quote(q3, sn, strlen(sn)));
		}
		return fail(P, t->col, "no node named '%s' in workflow '%s'", quote(q, t->s, t->len),
			    quote(q2, wf, strlen(wf)));
	}
	*out = id;
	return OWGRT_OK;
}

static const char *applies_to(bool (*fits)(const owgrt_node *))
{
	if (fits == fits_prob)
		return "'prob' applies to branches, switches, exits and while loops";
	if (fits == fits_count)
		return "'count' applies to forks and count loops";
	return "'time' applies to tasks";
}

/* One setting line: t[0] is the keyword. */
static int setting(parser *P, const tok *t, size_t nt)
{
	char q[QUOTE_MAX + 4], q2[QUOTE_MAX + 4];
	bool (*fits)(const owgrt_node *) = tok_is(&t[0], "prob") ? fits_prob
					   : tok_is(&t[0], "count") ? fits_count
								    : fits_time;
	const char *kw = fits == fits_prob ? "prob" : fits == fits_count ? "count" : "time";
	if (P->ph->n == 0)
		return fail(P, t[0].col, "'%s' before the first 'phase' line", kw);
	owgrt_phase *ph = &P->ph->v[P->ph->n - 1];
	if (nt < 2)
		return fail(P, t[0].col + t[0].len, "expected a node name after '%s'", kw);
	uint32_t id = OWGRT_NONE;
	int rc = find_node(P, &t[1], fits, &id);
	if (rc != OWGRT_OK)
		return rc;
	const owgrt_node *n = &P->p->nodes[id];
	if (!fits(n))
		return fail(P, t[1].col, "%s; '%s' is %s", applies_to(fits), quote(q, n->name, strlen(n->name)),
			    kind_name(n));
	if (P->seen_phase[id] == P->ph->n)
		return fail(P, t[0].col, "'%s %s' given twice in phase '%s' (first at line %u)", kw,
			    quote(q, n->name, strlen(n->name)), quote(q2, ph->name, strlen(ph->name)),
			    P->seen_line[id]);
	P->seen_phase[id] = P->ph->n;
	P->seen_line[id] = P->line;
	const char *nm = quote(q, n->name, strlen(n->name));
	size_t end_col = t[1].col + t[1].len;

	if (fits == fits_time || fits == fits_count) {
		double v;
		if (nt < 3)
			return fail(P, end_col, "expected a %s factor after '%s'", kw, nm);
		if ((rc = num_or_fail(P, &t[2], fits == fits_time ? "a time factor" : "a count factor", &v)))
			return rc;
		if (nt > 3)
			return fail(P, t[3].col, "expected the end of the line after the %s factor, found '%s'", kw,
				    quote(q2, t[3].s, t[3].len));
		if (fits == fits_time) {
			if (!isfinite(v) || !(v > 0))
				return fail(P, t[2].col, "time factor %.*s of '%s' must be finite and > 0",
					    (int)t[2].len, t[2].s, nm);
			ph->time[id] = v;
		} else {
			if (!isfinite(v) || !(v >= 0))
				return fail(P, t[2].col, "count factor %.*s of '%s' must be finite and >= 0",
					    (int)t[2].len, t[2].s, nm);
			ph->count[id] = v;
		}
		return OWGRT_OK;
	}

	/* prob */
	if (nt < 3)
		return fail(P, end_col, "expected probabilities after '%s'", nm);
	if (n->cb_kind == OWGRT_CB_LOOP) {
		if (nt != 3)
			return fail(P, t[3].col, "while loop '%s' takes one repeat probability, found %zu", nm,
				    nt - 2);
		double v;
		if ((rc = num_or_fail(P, &t[2], "a probability", &v)))
			return rc;
		if (!(v >= 0 && v < 1))
			return fail(P, t[2].col, "repeat probability %.*s of while loop '%s' must be in [0, 1)",
				    (int)t[2].len, t[2].s, nm);
		ph->repeat[id] = v;
		return OWGRT_OK;
	}
	const char *kn = kind_name(n) + (n->cb_kind == OWGRT_CB_EXIT ? 3 : 2); /* without the article */
	if (nt - 2 != n->narms)
		return fail(P, nt - 2 > n->narms ? t[2 + n->narms].col : t[nt - 1].col + t[nt - 1].len,
			    "%s '%s' has %u arm%s: expected %u probabilit%s, found %zu", kn, nm, n->narms,
			    n->narms == 1 ? "" : "s", n->narms, n->narms == 1 ? "y" : "ies", nt - 2);
	double *v = malloc((size_t)n->narms * sizeof *v);
	if (!v) {
		set_err(P->err, P->err_size, "%s: out of memory", P->path);
		return OWGRT_ENOMEM;
	}
	double sum = 0;
	for (uint32_t a = 0; a < n->narms; a++) {
		const tok *ta = &t[2 + a];
		if ((rc = num_or_fail(P, ta, "a probability", &v[a]))) {
			free(v);
			return rc;
		}
		if (!(v[a] >= 0 && v[a] <= 1)) {
			free(v);
			return fail(P, ta->col, "probability %.*s of %s '%s' must be in [0, 1]", (int)ta->len, ta->s,
				    kn, nm);
		}
		sum += v[a];
	}
	bool partial = n->cb_kind == OWGRT_CB_SWITCH && !has_default(n);
	if (partial ? sum > 1 + SUM_TOL : fabs(sum - 1) > SUM_TOL) {
		free(v);
		return fail(P, t[2].col, "the probabilities of %s '%s' add up to %.12g, %s", kn, nm, sum,
			    partial ? "more than 1" : "not 1");
	}
	ph->arm[id] = v;
	return OWGRT_OK;
}

static bool phase_name_ok(const tok *t)
{
	unsigned char c = (unsigned char)t->s[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
		return false;
	for (size_t i = 1; i < t->len; i++) {
		c = (unsigned char)t->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int nomem(parser *P)
{
	set_err(P->err, P->err_size, "%s: out of memory", P->path);
	return OWGRT_ENOMEM;
}

/* A `phase NAME share S` line. */
static int phase_line(parser *P, const tok *t, size_t nt)
{
	char q[QUOTE_MAX + 4];
	if (nt < 2)
		return fail(P, t[0].col + t[0].len, "expected a phase name after 'phase'");
	if (!phase_name_ok(&t[1]))
		return fail(P, t[1].col,
			    "phase name '%s' must be a letter or '_' followed by letters, digits, '_', '-' or '.'",
			    quote(q, t[1].s, t[1].len));
	for (uint32_t i = 0; i < P->ph->n; i++) {
		const char *name = P->ph->v[i].name;
		if (strlen(name) == t[1].len && memcmp(name, t[1].s, t[1].len) == 0)
			return fail(P, t[1].col, "duplicate phase '%s' (first at line %u)", quote(q, name, strlen(name)),
				    P->phase_line[i]);
	}
	if (nt < 3 || !tok_is(&t[2], "share")) {
		if (nt < 3)
			return fail(P, t[1].col + t[1].len, "expected 'share' after the phase name");
		return fail(P, t[2].col, "expected 'share' after the phase name, found '%s'",
			    quote(q, t[2].s, t[2].len));
	}
	if (nt < 4)
		return fail(P, t[2].col + t[2].len, "expected a number after 'share'");
	double share;
	int rc = num_or_fail(P, &t[3], "a number after 'share'", &share);
	if (rc)
		return rc;
	if (nt > 4)
		return fail(P, t[4].col, "expected the end of the line after the share, found '%s'",
			    quote(q, t[4].s, t[4].len));
	if (!(share > 0 && share <= 1))
		return fail(P, t[3].col, "share %.*s of phase '%.*s' must be in (0, 1]", (int)t[3].len, t[3].s,
			    (int)t[1].len, t[1].s);
	if (P->ph->n == P->max_phases)
		return fail(P, t[0].col, "too many phases: at most %u for a program of %u nodes", P->max_phases,
			    P->p->nnodes);

	if (P->ph->n == P->cap) {
		uint32_t nc = P->cap ? 2 * P->cap : 4;
		if (nc > P->max_phases)
			nc = P->max_phases;
		owgrt_phase *v = realloc(P->ph->v, nc * sizeof *v);
		if (!v)
			return nomem(P);
		P->ph->v = v;
		uint32_t *pl = realloc(P->phase_line, nc * sizeof *pl);
		if (!pl)
			return nomem(P);
		P->phase_line = pl;
		size_t *pc = realloc(P->phase_col, nc * sizeof *pc);
		if (!pc)
			return nomem(P);
		P->phase_col = pc;
		P->cap = nc;
	}
	uint32_t nn = P->p->nnodes;
	owgrt_phase *ph = &P->ph->v[P->ph->n];
	memset(ph, 0, sizeof *ph);
	P->ph->n++; /* from here on owgrt_phases_free frees it */
	ph->share = share;
	ph->name = malloc(t[1].len + 1);
	size_t cells = nn ? nn : 1;
	ph->time = malloc(cells * sizeof *ph->time);
	ph->count = malloc(cells * sizeof *ph->count);
	ph->repeat = malloc(cells * sizeof *ph->repeat);
	ph->arm = calloc(cells, sizeof *ph->arm);
	if (!ph->name || !ph->time || !ph->count || !ph->repeat || !ph->arm)
		return nomem(P);
	memcpy(ph->name, t[1].s, t[1].len);
	ph->name[t[1].len] = '\0';
	for (uint32_t i = 0; i < nn; i++) {
		ph->time[i] = 1;
		ph->count[i] = 1;
		ph->repeat[i] = NAN;
	}
	P->phase_line[P->ph->n - 1] = P->line;
	P->phase_col[P->ph->n - 1] = t[3].col;
	return OWGRT_OK;
}

static int parse_line(parser *P, const char *s, size_t len)
{
	char q[QUOTE_MAX + 4];
	int rc = check_line(P, s, len);
	if (rc)
		return rc;
	tok *t = P->tok;
	size_t nt = split(s, len, t, MAX_TOKENS);
	if (nt == 0)
		return OWGRT_OK;
	if (tok_is(&t[0], "phase"))
		return phase_line(P, t, nt);
	if (tok_is(&t[0], "prob") || tok_is(&t[0], "count") || tok_is(&t[0], "time"))
		return setting(P, t, nt);
	return fail(P, t[0].col, "expected 'phase', 'prob', 'count' or 'time', found '%s'", quote(q, t[0].s, t[0].len));
}

void owgrt_phases_free(owgrt_phases *ph)
{
	if (!ph)
		return;
	for (uint32_t i = 0; i < ph->n; i++) {
		owgrt_phase *v = &ph->v[i];
		if (v->arm)
			for (uint32_t k = 0; k < ph->nnodes; k++)
				free(v->arm[k]);
		free(v->arm);
		free(v->name);
		free(v->time);
		free(v->count);
		free(v->repeat);
	}
	free(ph->v);
	free(ph);
}

int owgrt_phases_parse(const owgrt_program *p, const char *text, size_t len, const char *path, owgrt_phases **out,
		       char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (out)
		*out = NULL;
	if (!path)
		path = "<phases>";
	if (!p || !out || (!text && len)) {
		set_err(err, err_size, "owgrt_phases_parse: %s",
			!p ? "no program" : !out ? "no output pointer" : "no text");
		return OWGRT_EINVAL;
	}
	parser P = {.p = p, .path = path, .err = err, .err_size = err_size};
	uint64_t cells = p->nnodes ? p->nnodes : 1;
	P.max_phases = cells * MAX_PHASES <= MAX_CELLS ? MAX_PHASES : (uint32_t)(MAX_CELLS / cells);
	if (P.max_phases == 0)
		P.max_phases = 1;
	P.ph = calloc(1, sizeof *P.ph);
	P.seen_phase = calloc(cells, sizeof *P.seen_phase);
	P.seen_line = calloc(cells, sizeof *P.seen_line);
	P.tok = malloc(MAX_TOKENS * sizeof *P.tok);
	int rc = OWGRT_OK;
	if (!P.ph || !P.seen_phase || !P.seen_line || !P.tok || !names_init(&P)) {
		rc = nomem(&P);
		goto done;
	}
	P.ph->nnodes = p->nnodes;

	size_t pos = 0;
	uint32_t end_line = 1;
	size_t end_col = 1;
	while (pos < len) {
		P.line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (ll > LINE_MAX_BYTES) {
			rc = fail(&P, LINE_MAX_BYTES + 1, "line longer than %d bytes", LINE_MAX_BYTES);
			goto done;
		}
		if ((rc = parse_line(&P, text + pos, ll)))
			goto done;
		pos += ll + (nl ? 1 : 0);
		end_line = nl ? P.line + 1 : P.line;
		end_col = nl ? 1 : ll + 1;
	}
	if (P.ph->n == 0) {
		rc = fail_at(&P, end_line, end_col, "no phases: a phase file needs at least one 'phase' line");
		goto done;
	}
	double sum = 0;
	for (uint32_t i = 0; i < P.ph->n; i++)
		sum += P.ph->v[i].share;
	if (fabs(sum - 1) > SUM_TOL) {
		uint32_t last = P.ph->n - 1;
		rc = fail_at(&P, P.phase_line[last], P.phase_col[last], "the shares of the %u phase%s add up to %.12g, not 1",
			     P.ph->n, P.ph->n == 1 ? "" : "s", sum);
		goto done;
	}
done:
	free(P.tok);
	free(P.slot);
	free(P.seen_phase);
	free(P.seen_line);
	free(P.phase_line);
	free(P.phase_col);
	if (rc != OWGRT_OK) {
		owgrt_phases_free(P.ph);
		return rc;
	}
	*out = P.ph;
	return OWGRT_OK;
}

int owgrt_phases_load_file(const owgrt_program *p, const char *path, owgrt_phases **out, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	if (out)
		*out = NULL;
	if (!p || !path || !out) {
		set_err(err, err_size, "owgrt_phases_load_file: %s",
			!p ? "no program" : !path ? "no path" : "no output pointer");
		return OWGRT_EINVAL;
	}
	uint8_t *buf;
	size_t len;
	int rc = owgrt_read_file(path, MAX_FILE_BYTES, "phase file", &buf, &len, err, err_size);
	if (rc == OWGRT_OK)
		rc = owgrt_phases_parse(p, (const char *)buf, len, path, out, err, err_size);
	free(buf);
	return rc;
}

uint32_t owgrt_phase_of(const owgrt_phases *ph, uint64_t r, uint64_t requests)
{
	if (!ph || ph->n == 0)
		return 0;
	if (requests == 0 || r >= requests)
		return ph->n - 1;
	double x = ((double)r + 0.5) / (double)requests;
	double cum = 0;
	for (uint32_t i = 0; i + 1 < ph->n; i++) {
		cum += ph->v[i].share;
		if (x < cum)
			return i;
	}
	return ph->n - 1;
}
