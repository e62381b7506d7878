#include "config.h"

/* ir_read.c - reads the text form of the OWG IR written by ir_print.c.
 *
 *   file    := 'owgir' '1' NL 'workflow' STRING NL node* flow* fabric* annot* [plan]
 *   node    := 'node' %ID 'tb' STRING 'in' %R.A ('ai'|'general') 'peas' U32
 *              'time' DIST ['kernel' STRING] ('out' NAME:TYPE)* ['config' SIZE]
 *            | 'node' %ID CBKIND STRING ['in' %R.A]   ('in' optional for entry only)
 *              [loop: 'while' | 'trips' CDIST] [fork: 'count' CDIST ['of' %N.NAME]]
 *              ['pred' EXPR] ['max' U32] 'arms' ('(' ARM [NUM] ['p' NUM] ')')*
 *   flow    := 'flow' %S '->' %D SIZE
 *   fabric  := 'fabric' STRING 'cluster' WxH 'chiplet' WxH 'package' WxH
 *              ('hop' LEVEL TIME RATE){4} 'reconfig' RATE 'control' TIME ['flat']
 *              ('defect' X ',' Y)*
 *   annot   := 'time' %N 'mean' T 'sd' T 'cv' NUM 'p50' T 'p95' T 'p99' T
 *              ('steady'|'volatile') ['samples' U32 'outliers' U32]
 *            | 'freq' %N 'mean' NUM 'var' NUM ('stable'|'bursty')
 *            | 'probs' %N SOURCE ('arms' NUM* | ['repeat' NUM] 'trips' NUM NUM)
 *            | 'load' %N 'pea-time' T ['critical']
 *            | 'bounds' 'peas' U32 'critical-path' T 'pea-time' T 'lb-latency' T
 *              'max-throughput' NUM
 *   plan    := 'plan' 'rate' NUM 'seed' U64 'opt' 0..3 'mesh' WxH 'clusters' WxH
 *              'fabric' FABRIC   (FABRIC: a fabric line after its keyword)
 *              bind*             any order, one per task and binding
 *            where
 *   bind    := ('pin'|'elastic') %N BINDING'    the octopus binding, pinned or not
 *            | 'pool' U32 'peas' U32+           a cluster's elastic pool
 *            | 'traffic' NUM
 *            | 'static' %N BINDING              the fixed (static) binding
 *            | 'static' 'pool' U32 'peas' U32+ | 'static' 'traffic' NUM
 *   BINDING := 'replicas' R 'home' CLUSTER 'peas' PEA{R x the task's peas}
 *            | 'home' CLUSTER                   (no replicas: elastic)
 *   BINDING' : the same with 'demand' MEAN VAR after the home cluster
 *   DIST    := TIME | NAME '(' args ')'      CDIST: the same with plain numbers
 *   EXPR    := NUM | 'true' | 'false' | %N.NAME | '(' ('!'|'-') EXPR ')'
 *            | '(' EXPR OP EXPR ')'
 *
 * One construct per line; spaces and tabs between tokens, blank lines and
 * ';' comments are allowed.  Every input is hostile: numbers are checked
 * against their syntax and range, strings against the printer's escapes,
 * expression depth is bounded, and an error skips to the next line so
 * that all errors of a file are reported.
 *
 * The plan (plan.h) carries its own copy of the target fabric, which need
 * not be one of the graph's fabric lines (a preset such as 'default'), so
 * the 'plan' line holds the whole fabric, in the syntax of a fabric line.
 * 'mesh' and 'clusters' restate the sizes the fabric implies (checked).
 * A plan needs a line per task and binding and both 'traffic' lines.  The
 * PEA arrays of a binding are rebuilt in the order of the lines (each
 * task's entries, each pool's), which is how the printer lists them, so
 * print -> read -> print is byte-identical; control nodes and elastic
 * tasks get no entries.  As the plan pass lays the octopus binding out, an
 * empty pool starts where the pool before it ends (the first pool after
 * the tasks' entries) and an elastic task's first entry is its home
 * pool's.  Limits: at most 2^28 PEAs and 2^20 clusters on the plan's mesh
 * (the size of the per-cluster tables is bounded). */

#include "ir.h"
#include "plan.h"
#include "quantity.h"
#include "text_string.h"

#include "diag.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 1000, MAX_NUM_LEN = 64 };

enum phase { PH_HEADER, PH_WORKFLOW, PH_NODES, PH_FLOWS, PH_FABRICS, PH_ANNOT, PH_PLAN };

/* Plan lines seen per task (bits). */
enum { PSEEN_OCTOPUS = 1, PSEEN_FIXED = 2 };
enum { PLAN_MAX_PEAS = 1u << 28, PLAN_MAX_CLUSTERS = 1u << 20 };

/* Annotation lines seen per node (bits), so that a missing or repeated
 * one is an error. */
enum { SEEN_TIME = 1, SEEN_FREQ = 2, SEEN_PROBS = 4, SEEN_LOAD = 8 };

typedef enum tok_kind { T_END, T_PUNCT, T_STR, T_BADSTR, T_WORD } tok_kind;

typedef struct tok {
	tok_kind kind;
	uint32_t b, e; /* byte span */
} tok;

/* An output reference %N.NAME, resolved once all nodes are read. */
typedef struct pending_ref {
	owg_expr *expr;  /* or NULL: the count output of fork `fork` */
	uint32_t fork;
	uint32_t node;
	uint32_t nb, ne; /* NAME */
	uint32_t b, e;   /* the whole reference */
} pending_ref;

typedef struct rd {
	const char *s;
	uint32_t file;
	owg_diag *diag;
	owg_graph *g;
	unsigned nerr;
	uint32_t p, eol; /* cursor and end of the current line */
	enum phase phase;
	bool ids_broken;
	uint32_t next_id;
	OWG_VEC(pending_ref) refs;
	OWG_VEC(owg_out) outs;
	OWG_VEC(owg_arm) arms;
	OWG_VEC(double) nums;
	OWG_VEC(uint32_t) defects;
	uint8_t *seen;     /* per node: SEEN_* */
	bool seen_bounds;
	uint32_t annot_at; /* offset of the first annotation line, for messages */
	/* the plan, built line by line (see parse_plan_line) */
	owg_plan *plan;
	bool plan_failed;       /* the 'plan' line had an error: skip the rest */
	uint32_t plan_at;       /* offset of the 'plan' line, for messages */
	uint64_t plan_peas;     /* PEAs of its mesh */
	uint32_t plan_clusters; /* clusters of its mesh */
	uint8_t *plan_seen;     /* per node: PSEEN_* */
	bool seen_traffic[2];
	OWG_VEC(uint32_t) plan_pea[2]; /* the PEA arrays of the bindings (octopus, fixed) */
	uint64_t plan_task_entries[2]; /* of which the tasks' */
} rd;

/* --- diagnostics --- */

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

static bool err_at(rd *r, tok t, const char *msg)
{
	return err(r, t.b, t.e, "%s", msg);
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

/* --- lexer --- */

static bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == ';' || c == '(' || c == ')' || c == ',' ||
	       c == '"';
}

static void skip_ws(rd *r)
{
	while (r->p < r->eol && (r->s[r->p] == ' ' || r->s[r->p] == '\t'))
		r->p++;
	if (r->p < r->eol && r->s[r->p] == ';')
		r->p = r->eol; /* comment */
}

static tok lex(rd *r)
{
	skip_ws(r);
	tok t = {T_END, r->p, r->p};
	if (r->p == r->eol)
		return t;
	const char *s = r->s;
	uint32_t q = r->p;
	char c = s[q];
	if (c == '(' || c == ')' || c == ',') {
		t.kind = T_PUNCT;
		t.e = q + 1;
	} else if (c == '"') {
		q++;
		while (q < r->eol && s[q] != '"')
			q += s[q] == '\\' && q + 1 < r->eol ? 2 : 1;
		t.kind = q < r->eol ? T_STR : T_BADSTR;
		t.e = q < r->eol ? q + 1 : r->eol;
	} else {
		while (q < r->eol && !is_delim(s[q]))
			q++;
		t.kind = T_WORD;
		t.e = q;
	}
	return t;
}

static tok peek(rd *r)
{
	return lex(r);
}

static tok take(rd *r)
{
	tok t = lex(r);
	r->p = t.e;
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
	return tok_is(r, peek(r), w);
}

/* Consumes keyword w if it comes next. */
static bool accept(rd *r, const char *w)
{
	tok t = peek(r);
	if (!tok_is(r, t, w))
		return false;
	r->p = t.e;
	return true;
}

static bool expect(rd *r, const char *w, const char *msg)
{
	tok t = take(r);
	return tok_is(r, t, w) ? true : err_at(r, t, msg);
}

static bool expect_end(rd *r)
{
	tok t = take(r);
	if (t.kind == T_END)
		return true;
	char buf[40];
	return err(r, t.b, t.e, "unexpected '%s' at end of line", show(r, t, buf, sizeof buf));
}

/* --- numbers --- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits only, no leading zero (as printed), at most UINT32_MAX. */
static bool parse_u32_span(const rd *r, uint32_t b, uint32_t e, uint32_t *out)
{
	if (b >= e || (r->s[b] == '0' && e - b > 1))
		return false;
	uint64_t v = 0;
	for (uint32_t i = b; i < e; i++) {
		if (!is_digit(r->s[i]))
			return false;
		v = v * 10 + (uint64_t)(r->s[i] - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* The syntax "%.17g" and owg_fmt_time print: -?D+(.D+)?(e[+-]?D+)?
 * without leading zeros; finite.  Returns NULL on success, else an error
 * message. */
static const char *parse_num_span(const rd *r, uint32_t b, uint32_t e, double *out)
{
	const char *s = r->s;
	uint32_t i = b;
	if (e - b > MAX_NUM_LEN)
		return "number too long";
	if (i < e && s[i] == '-')
		i++;
	uint32_t d0 = i;
	uint64_t ival = 0;
	while (i < e && is_digit(s[i]))
		ival = ival * 10 + (uint64_t)(s[i++] - '0');
	if (i == d0 || (s[d0] == '0' && i - d0 > 1))
		return "expected a number";
	bool integral = i == e && i - d0 <= 15;
	if (i < e && s[i] == '.') {
		uint32_t f0 = ++i;
		while (i < e && is_digit(s[i]))
			i++;
		if (i == f0)
			return "expected a number";
	}
	if (i < e && s[i] == 'e') {
		i++;
		if (i < e && (s[i] == '+' || s[i] == '-'))
			i++;
		uint32_t x0 = i;
		while (i < e && is_digit(s[i]))
			i++;
		if (i == x0)
			return "expected a number";
	}
	if (i != e)
		return "expected a number";
	if (integral) { /* exact, and much faster than strtod */
		double v = (double)ival;
		*out = s[b] == '-' ? -v : v;
		return NULL;
	}
	char buf[MAX_NUM_LEN + 1];
	memcpy(buf, s + b, e - b);
	buf[e - b] = '\0';
	double v = strtod(buf, NULL);
	if (!isfinite(v))
		return "number out of range";
	*out = v;
	return NULL;
}

static bool num_tok(rd *r, tok t, double *out, const char *what)
{
	if (t.kind != T_WORD)
		return err(r, t.b, t.e, "expected %s", what);
	const char *m = parse_num_span(r, t.b, t.e, out);
	if (!m)
		return true;
	if (strcmp(m, "expected a number") == 0)
		return err(r, t.b, t.e, "expected %s", what);
	return err(r, t.b, t.e, "%s", m);
}

static bool take_num(rd *r, double *out, const char *what)
{
	return num_tok(r, take(r), out, what);
}

static bool take_u32(rd *r, uint32_t *out, const char *what)
{
	tok t = take(r);
	if (t.kind == T_WORD && parse_u32_span(r, t.b, t.e, out))
		return true;
	if (t.kind == T_WORD && t.e > t.b) {
		uint32_t i = t.b;
		while (i < t.e && is_digit(r->s[i]))
			i++;
		if (i == t.e && !(r->s[t.b] == '0' && t.e - t.b > 1))
			return err(r, t.b, t.e, "number too large (at most %u)", UINT32_MAX);
	}
	return err(r, t.b, t.e, "expected %s", what);
}

/* Quantities: a number immediately followed by a unit. */
typedef enum qclass { Q_PLAIN, Q_TIME, Q_SIZE, Q_RATE } qclass;

static const struct {
	const char *name;
	int exp10;
} time_units[] = {{"ns", -9}, {"us", -6}, {"ms", -3}, {"s", 0}};
static const struct {
	const char *name;
	double scale;
} size_units[] = {{"KiB", 1024.0},
		  {"MiB", 1024.0 * 1024},
		  {"GiB", 1024.0 * 1024 * 1024},
		  {"TiB", 1024.0 * 1024 * 1024 * 1024},
		  {"B", 1}};

static const char *qclass_what(qclass q)
{
	switch (q) {
	case Q_PLAIN: return "a number";
	case Q_TIME: return "a time (with a unit: s, ms, us, ns)";
	case Q_SIZE: return "a size (with a unit: B, KiB, MiB, GiB, TiB)";
	case Q_RATE: return "a rate (a size unit per second, e.g. 8GiB/s)";
	}
	return "a number";
}

static bool ends_with(const rd *r, uint32_t b, uint32_t e, const char *suf)
{
	size_t n = strlen(suf);
	return e - b > n && memcmp(r->s + e - n, suf, n) == 0;
}

static bool qty_tok(rd *r, tok t, qclass q, double *out)
{
	if (q == Q_PLAIN)
		return num_tok(r, t, out, "a number");
	const char *what = qclass_what(q);
	if (t.kind != T_WORD)
		return err(r, t.b, t.e, "expected %s", what);
	uint32_t e = t.e;
	double scale = 0;
	int exp10 = 0;
	if (q == Q_TIME) {
		for (size_t i = 0; i < sizeof time_units / sizeof *time_units; i++)
			if (ends_with(r, t.b, e, time_units[i].name)) {
				scale = 1;
				exp10 = time_units[i].exp10;
				e -= (uint32_t)strlen(time_units[i].name);
				break;
			}
	} else {
		if (q == Q_RATE) {
			if (!ends_with(r, t.b, e, "/s"))
				return err(r, t.b, t.e, "expected %s", what);
			e -= 2;
		}
		for (size_t i = 0; i < sizeof size_units / sizeof *size_units; i++)
			if (ends_with(r, t.b, e, size_units[i].name)) {
				scale = size_units[i].scale;
				e -= (uint32_t)strlen(size_units[i].name);
				break;
			}
	}
	if (scale == 0)
		return err(r, t.b, t.e, "expected %s", what);
	double v;
	const char *m = parse_num_span(r, t.b, e, &v);
	if (m && strcmp(m, "expected a number") == 0)
		return err(r, t.b, t.e, "expected %s", what);
	if (m)
		return err(r, t.b, t.e, "%s", m);
	/* decimal units scale the decimal text, exactly as the front end does */
	v = exp10 ? owg_decimal_scale(r->s + t.b, e - t.b, exp10) : v * scale;
	if (!isfinite(v))
		return err(r, t.b, t.e, "number out of range");
	*out = v;
	return true;
}

static bool take_qty(rd *r, qclass q, double *out)
{
	return qty_tok(r, take(r), q, out);
}

/* --- strings --- */

/* Decodes a string token into the arena (text_string.h). */
static bool str_tok(rd *r, tok t, const char **out, const char *what)
{
	if (t.kind == T_BADSTR)
		return err(r, t.b, t.e, "unterminated string");
	if (t.kind != T_STR)
		return err(r, t.b, t.e, "expected %s", what);
	char *d = owg_arena_alloc(&r->g->arena, t.e - t.b - 1);
	char msg[80];
	uint32_t eb, ee;
	if (!owg_text_unescape(r->s, t.b + 1, t.e - 1, d, msg, sizeof msg, &eb, &ee))
		return err(r, eb, ee, "%s", msg);
	*out = d;
	return true;
}

static bool take_str(rd *r, const char **out, const char *what)
{
	return str_tok(r, take(r), out, what);
}

/* --- references --- */

/* %N */
static bool take_node_ref(rd *r, uint32_t *id, const char *what)
{
	tok t = take(r);
	if (t.kind == T_WORD && t.e - t.b >= 2 && r->s[t.b] == '%' &&
	    parse_u32_span(r, t.b + 1, t.e, id))
		return true;
	return err(r, t.b, t.e, "expected %s", what);
}

/* %R.A */
static bool take_region(rd *r, uint32_t *region, uint32_t *arm)
{
	tok t = take(r);
	if (t.kind == T_WORD && r->s[t.b] == '%') {
		uint32_t dot = t.b + 1;
		while (dot < t.e && r->s[dot] != '.')
			dot++;
		if (dot < t.e && parse_u32_span(r, t.b + 1, dot, region) &&
		    parse_u32_span(r, dot + 1, t.e, arm))
			return true;
	}
	return err_at(r, t, "expected a region '%R.ARM' after 'in'");
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_span(const rd *r, uint32_t b, uint32_t e)
{
	if (b >= e || !is_ident_start(r->s[b]))
		return false;
	for (uint32_t i = b + 1; i < e; i++)
		if (!is_ident_start(r->s[i]) && !is_digit(r->s[i]))
			return false;
	return true;
}

/* %N.NAME, recorded for resolution after all nodes are read. */
static bool out_ref_tok(rd *r, tok t, owg_expr *e, uint32_t fork)
{
	if (t.kind == T_WORD && r->s[t.b] == '%') {
		uint32_t dot = t.b + 1, node;
		while (dot < t.e && r->s[dot] != '.')
			dot++;
		if (dot < t.e && parse_u32_span(r, t.b + 1, dot, &node) &&
		    is_ident_span(r, dot + 1, t.e)) {
			pending_ref p = {e, fork, node, dot + 1, t.e, t.b, t.e};
			OWG_VEC_PUSH(r->refs, p);
			return true;
		}
	}
	return err_at(r, t, "expected an output reference '%NODE.NAME'");
}

/* --- distributions --- */

static const struct {
	const char *name;
	owg_dist_kind kind;
	int nargs; /* -1: any number (empirical) */
} dists[] = {
	{"meansd", OWG_DIST_MEANSD, 2},
	{"normal", OWG_DIST_NORMAL, 2},
	{"lognormal", OWG_DIST_LOGNORMAL, 2},
	{"uniform", OWG_DIST_UNIFORM, 2},
	{"exponential", OWG_DIST_EXP, 1},
	{"poisson", OWG_DIST_POISSON, 1},
	{"geometric", OWG_DIST_GEOMETRIC, 1},
	{"empirical", OWG_DIST_EMPIRICAL, -1},
};

static bool parse_dist(rd *r, owg_dist *d, bool time)
{
	qclass q = time ? Q_TIME : Q_PLAIN;
	tok t = take(r);
	memset(d, 0, sizeof *d);
	if (!peek_is(r, "(")) {
		d->kind = OWG_DIST_CONST;
		if (t.kind != T_WORD)
			return err(r, t.b, t.e, "expected %s or a distribution",
				   time ? "a time" : "a number");
		return qty_tok(r, t, q, &d->a);
	}
	size_t k = 0, nd = sizeof dists / sizeof *dists;
	while (k < nd && !tok_is(r, t, dists[k].name))
		k++;
	if (k == nd) {
		char buf[40];
		return err(r, t.b, t.e, "unknown distribution '%s'", show(r, t, buf, sizeof buf));
	}
	take(r); /* ( */
	d->kind = dists[k].kind;
	if (dists[k].nargs < 0) {
		r->nums.n = 0;
		if (!accept(r, ")")) {
			for (;;) {
				double v;
				if (!take_qty(r, q, &v))
					return false;
				if (r->nums.n == UINT32_MAX)
					return err(r, t.b, r->p, "too many samples");
				OWG_VEC_PUSH(r->nums, v);
				if (accept(r, ")"))
					break;
				if (!expect(r, ",", "expected ',' or ')' in sample list"))
					return false;
			}
		}
		d->nsamples = (uint32_t)r->nums.n;
		if (d->nsamples) {
			d->samples = owg_arena_alloc(&r->g->arena, r->nums.n * sizeof(double));
			memcpy(d->samples, r->nums.v, r->nums.n * sizeof(double));
		}
		return true;
	}
	if (!take_qty(r, q, &d->a))
		return false;
	if (dists[k].nargs == 2) {
		if (!expect(r, ",", "expected ',' between distribution parameters"))
			return false;
		if (!take_qty(r, d->kind == OWG_DIST_LOGNORMAL ? Q_PLAIN : q, &d->b))
			return false;
	}
	return expect(r, ")", "expected ')' after distribution parameters");
}

/* --- expressions --- */

static owg_expr *parse_operand(rd *r, unsigned depth);

static const struct {
	const char *name;
	owg_op op;
} binops[] = {
	{"+", OWG_OP_ADD}, {"-", OWG_OP_SUB}, {"*", OWG_OP_MUL}, {"/", OWG_OP_DIV},
	{"%", OWG_OP_MOD}, {"<", OWG_OP_LT},  {"<=", OWG_OP_LE}, {">", OWG_OP_GT},
	{">=", OWG_OP_GE}, {"==", OWG_OP_EQ}, {"!=", OWG_OP_NE}, {"&&", OWG_OP_AND},
	{"||", OWG_OP_OR},
};

/* After '(': a unary or a binary expression, then ')'. */
static owg_expr *parse_compound(rd *r, unsigned depth)
{
	skip_ws(r);
	char c = r->p < r->eol ? r->s[r->p] : '\0';
	char c1 = r->p + 1 < r->eol ? r->s[r->p + 1] : '\0';
	if (c == '!' || (c == '-' && !is_digit(c1))) {
		r->p++;
		owg_expr *x = parse_operand(r, depth);
		if (!x)
			return NULL;
		if (!expect(r, ")", "expected ')' after operand"))
			return NULL;
		owg_expr *e = owg_ir_expr(r->g, OWG_EX_UNARY);
		e->op = c == '!' ? OWG_OP_NOT : OWG_OP_NEG;
		e->u.sub.l = x;
		return e;
	}
	owg_expr *l = parse_operand(r, depth);
	if (!l)
		return NULL;
	tok t = take(r);
	if (tok_is(r, t, ")") && l->kind == OWG_EX_NUM && signbit(l->u.num)) {
		/* "(-3)": the printer's form of -(3); a literal alone is never
		 * parenthesised. */
		owg_expr *e = owg_ir_expr(r->g, OWG_EX_UNARY);
		e->op = OWG_OP_NEG;
		l->u.num = -l->u.num;
		e->u.sub.l = l;
		return e;
	}
	size_t k = 0, nb = sizeof binops / sizeof *binops;
	while (k < nb && !(t.kind == T_WORD && tok_is(r, t, binops[k].name)))
		k++;
	if (k == nb) {
		err_at(r, t, "expected a binary operator");
		return NULL;
	}
	owg_expr *x = parse_operand(r, depth);
	if (!x)
		return NULL;
	if (!expect(r, ")", "expected ')' after operand"))
		return NULL;
	owg_expr *e = owg_ir_expr(r->g, OWG_EX_BINARY);
	e->op = binops[k].op;
	e->u.sub.l = l;
	e->u.sub.r = x;
	return e;
}

static owg_expr *parse_operand(rd *r, unsigned depth)
{
	tok t = take(r);
	if (tok_is(r, t, "(")) {
		if (depth >= MAX_DEPTH) {
			err_at(r, t, "expression nested too deeply");
			return NULL;
		}
		return parse_compound(r, depth + 1);
	}
	if (t.kind == T_WORD && r->s[t.b] == '%') {
		owg_expr *e = owg_ir_expr(r->g, OWG_EX_OUT);
		e->u.ref.node = OWG_NONE;
		return out_ref_tok(r, t, e, OWG_NONE) ? e : NULL;
	}
	if (tok_is(r, t, "true") || tok_is(r, t, "false")) {
		owg_expr *e = owg_ir_expr(r->g, OWG_EX_BOOL);
		e->u.b = r->s[t.b] == 't';
		return e;
	}
	double v;
	if (t.kind == T_WORD && !parse_num_span(r, t.b, t.e, &v)) {
		owg_expr *e = owg_ir_expr(r->g, OWG_EX_NUM);
		e->u.num = v;
		return e;
	}
	if (t.kind == T_WORD && (is_digit(r->s[t.b]) || r->s[t.b] == '-'))
		num_tok(r, t, &v, "an expression"); /* says why the number is bad */
	else
		err_at(r, t, "expected an expression");
	return NULL;
}

/* --- lines --- */

static owg_node *new_node(rd *r, owg_node_kind kind, uint32_t id)
{
	owg_node n;
	memset(&n, 0, sizeof n);
	n.id = id;
	n.kind = kind;
	n.name = "";
	n.loc = OWG_LOC_NONE;
	n.region = OWG_NONE;
	n.tb_kind = OWG_TB_GENERAL;
	n.peas = 1;
	n.count.a = 1;
	n.count_node = OWG_NONE;
	OWG_VEC_PUSH(r->g->nodes, n);
	return &r->g->nodes.v[r->g->nodes.n - 1];
}

static const char *const cb_kinds[] = {"entry", "branch", "switch", "loop", "fork", "exit"};
static const char *const arm_kinds[] = {"seq",  "then",   "else", "case",  "default",
					"body", "repeat", "item", "taken", "cont"};

static bool parse_tb(rd *r, owg_node *n)
{
	if (!expect(r, "in", "expected 'in' after node name"))
		return false;
	if (!take_region(r, &n->region, &n->arm))
		return false;
	tok t = take(r);
	if (tok_is(r, t, "ai"))
		n->tb_kind = OWG_TB_AI;
	else if (tok_is(r, t, "general"))
		n->tb_kind = OWG_TB_GENERAL;
	else
		return err_at(r, t, "expected task kind 'ai' or 'general'");
	if (!expect(r, "peas", "expected 'peas' after task kind") ||
	    !take_u32(r, &n->peas, "a PEA count after 'peas'") ||
	    !expect(r, "time", "expected 'time' after the PEA count") ||
	    !parse_dist(r, &n->time, true))
		return false;
	if (accept(r, "kernel") && !take_str(r, &n->kernel, "a kernel name string after 'kernel'"))
		return false;
	r->outs.n = 0;
	while (accept(r, "out")) {
		t = take(r);
		uint32_t colon = t.b;
		while (t.kind == T_WORD && colon < t.e && r->s[colon] != ':')
			colon++;
		if (t.kind != T_WORD || colon == t.e || !is_ident_span(r, t.b, colon))
			return err_at(r, t, "expected an output 'NAME:TYPE' after 'out'");
		owg_out o;
		tok ty = {T_WORD, colon + 1, t.e};
		if (tok_is(r, ty, "i64"))
			o.type = OWG_TYPE_I64;
		else if (tok_is(r, ty, "f64"))
			o.type = OWG_TYPE_F64;
		else if (tok_is(r, ty, "bool"))
			o.type = OWG_TYPE_BOOL;
		else
			return err(r, ty.b, ty.e, "expected an output type: i64, f64 or bool");
		if (r->outs.n == UINT32_MAX)
			return err_at(r, t, "too many outputs");
		o.name = owg_arena_strndup(&r->g->arena, r->s + t.b, colon - t.b);
		OWG_VEC_PUSH(r->outs, o);
	}
	if (r->outs.n) {
		n->nouts = (uint32_t)r->outs.n;
		n->outs = owg_arena_alloc(&r->g->arena, r->outs.n * sizeof *n->outs);
		memcpy(n->outs, r->outs.v, r->outs.n * sizeof *n->outs);
	}
	if (accept(r, "config") && !take_qty(r, Q_SIZE, &n->config_bytes))
		return false;
	return expect_end(r);
}

static bool parse_arms(rd *r, owg_node *n)
{
	r->arms.n = 0;
	while (accept(r, "(")) {
		owg_arm a = {OWG_ARM_SEQ, 0, NAN};
		tok t = take(r);
		size_t k = 0, na = sizeof arm_kinds / sizeof *arm_kinds;
		while (k < na && !(t.kind == T_WORD && tok_is(r, t, arm_kinds[k])))
			k++;
		if (k == na)
			return err_at(r, t, "expected an arm kind");
		a.kind = (owg_arm_kind)k;
		if (a.kind == OWG_ARM_CASE && !take_num(r, &a.value, "a case value"))
			return false;
		if (accept(r, "p") && !take_num(r, &a.prob, "a probability after 'p'"))
			return false;
		if (!expect(r, ")", "expected ')' after arm"))
			return false;
		if (r->arms.n == UINT32_MAX)
			return err_at(r, t, "too many arms");
		OWG_VEC_PUSH(r->arms, a);
	}
	if (r->arms.n) {
		n->narms = (uint32_t)r->arms.n;
		n->arms = owg_arena_alloc(&r->g->arena, r->arms.n * sizeof *n->arms);
		memcpy(n->arms, r->arms.v, r->arms.n * sizeof *n->arms);
	}
	return true;
}

static bool parse_cb(rd *r, owg_node *n)
{
	if (n->cb_kind != OWG_CB_ENTRY || peek_is(r, "in")) {
		if (!expect(r, "in", "expected 'in' after node name"))
			return false;
		if (!take_region(r, &n->region, &n->arm))
			return false;
	}
	if (n->cb_kind == OWG_CB_LOOP) {
		tok t = take(r);
		if (tok_is(r, t, "while"))
			n->loop_kind = OWG_LOOP_WHILE;
		else if (tok_is(r, t, "trips"))
			n->loop_kind = OWG_LOOP_COUNT;
		else
			return err_at(r, t, "expected 'while' or 'trips' in a loop");
		if (n->loop_kind == OWG_LOOP_COUNT && !parse_dist(r, &n->count, false))
			return false;
	}
	if (n->cb_kind == OWG_CB_FORK) {
		if (!expect(r, "count", "expected 'count' in a fork") ||
		    !parse_dist(r, &n->count, false))
			return false;
		if (accept(r, "of") && !out_ref_tok(r, take(r), NULL, n->id))
			return false;
	}
	if (accept(r, "pred") && !(n->pred = parse_operand(r, 0)))
		return false;
	if (accept(r, "max")) {
		tok t = peek(r);
		if (!take_u32(r, &n->max_trips, "a trip bound after 'max'"))
			return false;
		if (n->max_trips == 0)
			return err_at(r, t, "trip bound must be at least 1");
	}
	if (!expect(r, "arms", "expected 'arms'") || !parse_arms(r, n))
		return false;
	return expect_end(r);
}

static bool parse_node(rd *r, tok kw)
{
	if (r->phase > PH_NODES)
		return err_at(r, kw, "nodes must come before flows and fabrics");
	tok t = peek(r);
	uint32_t id;
	if (!take_node_ref(r, &id, "a node id '%N' after 'node'"))
		return false;
	if (id != r->next_id || id == OWG_NONE) {
		err(r, t.b, t.e, "node id %%%u out of order (expected %%%u)", id, r->next_id);
		r->ids_broken = true;
		if (id != OWG_NONE)
			r->next_id = id + 1;
		return false;
	}
	r->next_id++;
	/* Push the node now, so that ids stay dense even if this line fails. */
	owg_node *n = new_node(r, OWG_NODE_TB, id);
	t = take(r);
	size_t k = 0, nk = sizeof cb_kinds / sizeof *cb_kinds;
	bool is_tb = tok_is(r, t, "tb");
	while (!is_tb && k < nk && !(t.kind == T_WORD && tok_is(r, t, cb_kinds[k])))
		k++;
	if (!is_tb && k == nk)
		return err_at(r, t, "expected a node kind (tb, entry, branch, switch, loop, fork, exit)");
	if (!take_str(r, &n->name, "a node name string"))
		return false;
	if (is_tb)
		return parse_tb(r, n);
	n->kind = OWG_NODE_CB;
	n->cb_kind = (owg_cb_kind)k;
	return parse_cb(r, n);
}

static bool parse_flow(rd *r, tok kw)
{
	if (r->phase > PH_FLOWS)
		return err_at(r, kw, "flows must come before fabrics");
	r->phase = PH_FLOWS;
	owg_flow f;
	if (!take_node_ref(r, &f.src, "a source node '%N' after 'flow'") ||
	    !expect(r, "->", "expected '->' after the source node") ||
	    !take_node_ref(r, &f.dst, "a destination node '%N' after '->'") ||
	    !take_qty(r, Q_SIZE, &f.bytes) || !expect_end(r))
		return false;
	OWG_VEC_PUSH(r->g->flows, f);
	return true;
}

static bool take_grid(rd *r, uint32_t *w, uint32_t *h)
{
	tok t = take(r);
	uint32_t x = t.b;
	while (t.kind == T_WORD && x < t.e && r->s[x] != 'x')
		x++;
	if (t.kind == T_WORD && x < t.e && parse_u32_span(r, t.b, x, w) &&
	    parse_u32_span(r, x + 1, t.e, h))
		return true;
	return err_at(r, t, "expected a grid 'WxH'");
}

/* A fabric after its keyword, into *fp: on a 'fabric' line and at the end
 * of the 'plan' line. */
static bool parse_fabric_body(rd *r, owg_fabric *fp)
{
	static const char *const level[OWG_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};
	owg_fabric f;
	memset(&f, 0, sizeof f);
	f.loc = OWG_LOC_NONE;
	f.grid_w[OWG_FAB_PEA] = f.grid_h[OWG_FAB_PEA] = 1;
	char msg[64];
	if (!take_str(r, &f.name, "a fabric name string"))
		return false;
	for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++) {
		snprintf(msg, sizeof msg, "expected '%s'", level[l]);
		if (!expect(r, level[l], msg) || !take_grid(r, &f.grid_w[l], &f.grid_h[l]))
			return false;
	}
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		snprintf(msg, sizeof msg, "expected 'hop %s'", level[l]);
		if (!expect(r, "hop", msg) || !expect(r, level[l], msg) ||
		    !take_qty(r, Q_TIME, &f.hop_latency[l]) ||
		    !take_qty(r, Q_RATE, &f.link_bandwidth[l]))
			return false;
	}
	if (!expect(r, "reconfig", "expected 'reconfig'") ||
	    !take_qty(r, Q_RATE, &f.reconfig_bandwidth) ||
	    !expect(r, "control", "expected 'control'") ||
	    !take_qty(r, Q_TIME, &f.control_latency))
		return false;
	f.flat = accept(r, "flat");
	r->defects.n = 0;
	while (accept(r, "defect")) {
		uint32_t x, y;
		if (!take_u32(r, &x, "a defect 'X,Y'") ||
		    !expect(r, ",", "expected ',' between defect coordinates") ||
		    !take_u32(r, &y, "a defect 'X,Y'"))
			return false;
		if (r->defects.n / 2 == UINT32_MAX)
			return err(r, r->p, r->p, "too many defects");
		OWG_VEC_PUSH(r->defects, x);
		OWG_VEC_PUSH(r->defects, y);
	}
	f.ndefects = (uint32_t)(r->defects.n / 2);
	if (f.ndefects) {
		f.defects = owg_arena_alloc(&r->g->arena, r->defects.n * sizeof(uint32_t));
		memcpy(f.defects, r->defects.v, r->defects.n * sizeof(uint32_t));
	}
	*fp = f;
	return true;
}

static bool parse_fabric(rd *r)
{
	r->phase = PH_FABRICS;
	owg_fabric f;
	if (!parse_fabric_body(r, &f) || !expect_end(r))
		return false;
	OWG_VEC_PUSH(r->g->fabrics, f);
	return true;
}

/* --- analysis annotations (see print_analysis in ir_print.c) --- */

/* 'KEY' then a quantity; the value must not be negative. */
static bool take_key_qty(rd *r, const char *key, qclass q, double *out)
{
	char msg[48];
	snprintf(msg, sizeof msg, "expected '%s'", key);
	if (!expect(r, key, msg))
		return false;
	tok t = peek(r);
	if (!take_qty(r, q, out))
		return false;
	return *out >= 0 ? true : err_at(r, t, "a negative value here is not possible");
}

/* The node of an annotation line; its kind must be `kind` (a TB, or a CB
 * other than the entry when cb is true) and the line must be its first of
 * this sort. */
static owg_node *annot_node(rd *r, uint8_t bit, int want)
{
	tok t = peek(r);
	uint32_t id;
	if (!take_node_ref(r, &id, "a node '%N'"))
		return NULL;
	if (id >= r->g->nodes.n) {
		err_at(r, t, "annotation of an undefined node");
		return NULL;
	}
	owg_node *n = &r->g->nodes.v[id];
	if (want == 0 && n->kind != OWG_NODE_TB) {
		err_at(r, t, "this annotation belongs to a task node");
		return NULL;
	}
	if (want == 1 && (n->kind != OWG_NODE_CB || n->cb_kind == OWG_CB_ENTRY)) {
		err_at(r, t, "this annotation belongs to a control node other than the entry");
		return NULL;
	}
	if (!r->seen)
		r->seen = owg_xcalloc(r->g->nodes.n + 1, 1);
	if (r->seen[id] & bit) {
		err_at(r, t, "repeated annotation of this node");
		return NULL;
	}
	r->seen[id] |= bit;
	return n;
}

/* The array of an annotation, allocated by its first line. */
static void *annot_array(rd *r, void *have, size_t size)
{
	return have ? have : owg_arena_alloc(&r->g->arena, r->g->nodes.n * size + 1);
}

static bool parse_time_annot(rd *r)
{
	owg_node *n = annot_node(r, SEEN_TIME, 0);
	if (!n)
		return false;
	owg_time_stats *ts = r->g->an.time = annot_array(r, r->g->an.time, sizeof *ts);
	owg_time_stats *t = &ts[n->id];
	if (!take_key_qty(r, "mean", Q_TIME, &t->mean) || !take_key_qty(r, "sd", Q_TIME, &t->sd) ||
	    !take_key_qty(r, "cv", Q_PLAIN, &t->cv) || !take_key_qty(r, "p50", Q_TIME, &t->p50) ||
	    !take_key_qty(r, "p95", Q_TIME, &t->p95) || !take_key_qty(r, "p99", Q_TIME, &t->p99))
		return false;
	tok c = take(r);
	if (!tok_is(r, c, "steady") && !tok_is(r, c, "volatile"))
		return err_at(r, c, "expected 'steady' or 'volatile'");
	t->is_volatile = tok_is(r, c, "volatile");
	if (accept(r, "samples") &&
	    (!take_u32(r, &t->samples, "a sample count") || !expect(r, "outliers", "expected 'outliers'") ||
	     !take_u32(r, &t->outliers, "an outlier count")))
		return false;
	return expect_end(r);
}

static bool parse_freq_annot(rd *r)
{
	owg_node *n = annot_node(r, SEEN_FREQ, 2);
	if (!n)
		return false;
	owg_freq_stats *fs = r->g->an.freq = annot_array(r, r->g->an.freq, sizeof *fs);
	owg_freq_stats *f = &fs[n->id];
	if (!take_key_qty(r, "mean", Q_PLAIN, &f->mean) || !take_key_qty(r, "var", Q_PLAIN, &f->var))
		return false;
	tok c = take(r);
	if (!tok_is(r, c, "stable") && !tok_is(r, c, "bursty"))
		return err_at(r, c, "expected 'stable' or 'bursty'");
	f->is_bursty = tok_is(r, c, "bursty");
	return expect_end(r);
}

static bool parse_probs_annot(rd *r)
{
	static const char *const sources[] = {"declared", "profile", "heuristic"};
	owg_node *n = annot_node(r, SEEN_PROBS, 1);
	if (!n)
		return false;
	owg_cb_freq *cs = r->g->an.cb = annot_array(r, r->g->an.cb, sizeof *cs);
	owg_cb_freq *c = &cs[n->id];
	tok t = take(r);
	size_t k = 0;
	while (k < 3 && !tok_is(r, t, sources[k]))
		k++;
	if (k == 3)
		return err_at(r, t, "expected 'declared', 'profile' or 'heuristic'");
	c->source = (owg_prob_source)k;
	if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
		if (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE) {
			tok p = peek(r);
			if (!take_key_qty(r, "repeat", Q_PLAIN, &c->repeat))
				return false;
			if (c->repeat > 1)
				return err_at(r, p, "a probability is at most 1");
		}
		if (!take_key_qty(r, "trips", Q_PLAIN, &c->trips_mean))
			return false;
		tok v = peek(r);
		if (!take_qty(r, Q_PLAIN, &c->trips_var))
			return false;
		if (c->trips_var < 0)
			return err_at(r, v, "a variance is not negative");
		return expect_end(r);
	}
	if (!expect(r, "arms", "expected 'arms'"))
		return false;
	c->arm = owg_arena_alloc(&r->g->arena, n->narms * sizeof *c->arm + 1);
	for (uint32_t a = 0; a < n->narms; a++) {
		tok p = peek(r);
		if (!take_qty(r, Q_PLAIN, &c->arm[a]))
			return false;
		if (c->arm[a] < 0 || c->arm[a] > 1)
			return err_at(r, p, "a probability is between 0 and 1");
	}
	return expect_end(r);
}

static bool parse_load_annot(rd *r)
{
	owg_node *n = annot_node(r, SEEN_LOAD, 0);
	if (!n)
		return false;
	double *pt = r->g->an.pea_time = annot_array(r, r->g->an.pea_time, sizeof *pt);
	bool *crit = r->g->an.critical = annot_array(r, r->g->an.critical, sizeof *crit);
	if (!take_key_qty(r, "pea-time", Q_TIME, &pt[n->id]))
		return false;
	crit[n->id] = accept(r, "critical");
	return expect_end(r);
}

static bool parse_bounds_annot(rd *r, tok kw)
{
	owg_analysis *an = &r->g->an;
	if (r->seen_bounds)
		return err_at(r, kw, "repeated 'bounds' line");
	r->seen_bounds = true;
	/* a graph without tasks has a 'bounds' line and no 'load' lines */
	an->pea_time = annot_array(r, an->pea_time, sizeof *an->pea_time);
	an->critical = annot_array(r, an->critical, sizeof *an->critical);
	return expect(r, "peas", "expected 'peas'") && take_u32(r, &an->peas, "a PEA count") &&
	       take_key_qty(r, "critical-path", Q_TIME, &an->critical_path) &&
	       take_key_qty(r, "pea-time", Q_TIME, &an->total_pea_time) &&
	       take_key_qty(r, "lb-latency", Q_TIME, &an->lb_latency) &&
	       take_key_qty(r, "max-throughput", Q_PLAIN, &an->max_throughput) && expect_end(r);
}

static bool parse_annotation(rd *r, tok kw)
{
	if (r->phase != PH_ANNOT)
		r->annot_at = kw.b;
	r->phase = PH_ANNOT;
	if (tok_is(r, kw, "time"))
		return parse_time_annot(r);
	if (tok_is(r, kw, "freq"))
		return parse_freq_annot(r);
	if (tok_is(r, kw, "probs"))
		return parse_probs_annot(r);
	if (tok_is(r, kw, "load"))
		return parse_load_annot(r);
	return parse_bounds_annot(r, kw);
}

/* Every annotation that appears at all must be there for every node it
 * belongs to: a pass annotates all or nothing. */
static void check_annotations_complete(rd *r)
{
	const owg_graph *g = r->g;
	static const char *const what[] = {"time", "freq", "probs", "load"};
	const void *arrays[] = {g->an.time, g->an.freq, g->an.cb, g->an.pea_time};
	for (int k = 0; k < 4; k++) {
		if (!arrays[k])
			continue;
		for (size_t i = 0; i < g->nodes.n; i++) {
			const owg_node *n = &g->nodes.v[i];
			bool wanted = k == 1 || (k == 2 ? n->kind == OWG_NODE_CB && n->cb_kind != OWG_CB_ENTRY
							 : n->kind == OWG_NODE_TB);
			if (wanted && !(r->seen && (r->seen[i] & (1 << k)))) {
				err(r, r->annot_at, r->annot_at, "'%s' annotations are missing for node %%%u",
				    what[k], (unsigned)i);
				break;
			}
		}
	}
	if (g->an.pea_time && !r->seen_bounds)
		err(r, r->annot_at, r->annot_at, "'load' annotations without a 'bounds' line");
}

/* --- the placement plan (see print_plan in ir_print.c) --- */

/* Digits only, no leading zero, at most UINT64_MAX. */
static bool take_u64(rd *r, uint64_t *out, const char *what)
{
	tok t = take(r);
	uint64_t v = 0;
	bool ok = t.kind == T_WORD && t.e > t.b && !(r->s[t.b] == '0' && t.e - t.b > 1);
	for (uint32_t i = t.b; ok && i < t.e; i++) {
		unsigned d = (unsigned)(r->s[i] - '0');
		if (!is_digit(r->s[i]) || v > (UINT64_MAX - d) / 10)
			ok = false;
		else
			v = v * 10 + d;
	}
	if (!ok)
		return err(r, t.b, t.e, "expected %s", what);
	*out = v;
	return true;
}

static uint64_t mul_sat64(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static bool parse_plan_header(rd *r, tok kw)
{
	if (r->plan)
		return err_at(r, kw, "repeated 'plan' line");
	r->plan_failed = true; /* until the line is read */
	owg_plan pl;
	memset(&pl, 0, sizeof pl);
	uint32_t opt;
	tok ot, mt, ct;
	if (!take_key_qty(r, "rate", Q_PLAIN, &pl.rate) || !expect(r, "seed", "expected 'seed'") ||
	    !take_u64(r, &pl.seed, "a seed (0 to 18446744073709551615)") ||
	    !expect(r, "opt", "expected 'opt'") || ((ot = peek(r)), !take_u32(r, &opt, "an -O level")))
		return false;
	if (opt > 3)
		return err_at(r, ot, "the -O level is 0, 1, 2 or 3");
	pl.opt = (int)opt;
	if (!expect(r, "mesh", "expected 'mesh'") || ((mt = peek(r)), !take_grid(r, &pl.width, &pl.height)) ||
	    !expect(r, "clusters", "expected 'clusters'") ||
	    ((ct = peek(r)), !take_grid(r, &pl.cwidth, &pl.cheight)) ||
	    !expect(r, "fabric", "expected 'fabric' and the plan's target fabric") ||
	    !parse_fabric_body(r, &pl.fabric) || !expect_end(r))
		return false;
	const owg_fabric *f = &pl.fabric;
	uint64_t cw = mul_sat64(f->grid_w[OWG_FAB_CHIPLET], f->grid_w[OWG_FAB_PACKAGE]);
	uint64_t ch = mul_sat64(f->grid_h[OWG_FAB_CHIPLET], f->grid_h[OWG_FAB_PACKAGE]);
	uint64_t w = mul_sat64(cw, f->grid_w[OWG_FAB_CLUSTER]), h = mul_sat64(ch, f->grid_h[OWG_FAB_CLUSTER]);
	if (pl.width != w || pl.height != h)
		return err(r, mt.b, mt.e, "the fabric's mesh is %llux%llu PEAs, not %ux%u",
			   (unsigned long long)w, (unsigned long long)h, pl.width, pl.height);
	if (pl.cwidth != cw || pl.cheight != ch)
		return err(r, ct.b, ct.e, "the fabric's mesh is %llux%llu clusters, not %ux%u",
			   (unsigned long long)cw, (unsigned long long)ch, pl.cwidth, pl.cheight);
	uint64_t npeas = (uint64_t)pl.width * pl.height, nclusters = (uint64_t)pl.cwidth * pl.cheight;
	if (npeas > PLAN_MAX_PEAS || npeas == 0)
		return err(r, mt.b, mt.e, "a plan's mesh has 1 to %u PEAs", PLAN_MAX_PEAS);
	if (nclusters > PLAN_MAX_CLUSTERS)
		return err(r, ct.b, ct.e, "a plan's mesh has at most %u clusters", PLAN_MAX_CLUSTERS);
	owg_graph *g = r->g;
	size_t nn = g->nodes.n;
	r->plan = owg_arena_alloc(&g->arena, sizeof *r->plan);
	*r->plan = pl;
	r->plan->pinned = owg_arena_alloc(&g->arena, nn * sizeof *r->plan->pinned + 1);
	r->plan->demand_mean = owg_arena_alloc(&g->arena, nn * sizeof(double) + 1);
	r->plan->demand_var = owg_arena_alloc(&g->arena, nn * sizeof(double) + 1);
	owg_binding *b[2] = {&r->plan->octopus, &r->plan->fixed};
	for (int k = 0; k < 2; k++) {
		b[k]->replicas = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
		b[k]->first = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
		b[k]->home = owg_arena_alloc(&g->arena, nn * sizeof(uint32_t) + 1);
		b[k]->pool_first = owg_arena_alloc(&g->arena, nclusters * sizeof(uint32_t));
		b[k]->pool_size = owg_arena_alloc(&g->arena, nclusters * sizeof(uint32_t));
	}
	r->plan_peas = npeas;
	r->plan_clusters = (uint32_t)nclusters;
	r->plan_seen = owg_xcalloc(nn + 1, 1);
	r->plan_failed = false;
	return true;
}

/* 'peas' then PEA ids to the end of the line, appended to the binding's
 * array; *n gets their number. */
static bool take_peas(rd *r, int bind, uint64_t *n)
{
	if (!expect(r, "peas", "expected 'peas'"))
		return false;
	*n = 0;
	while (peek(r).kind != T_END) {
		tok t = peek(r);
		uint32_t pea;
		if (!take_u32(r, &pea, "a PEA id"))
			return false;
		if (pea >= r->plan_peas)
			return err(r, t.b, t.e, "PEA %u is outside the %ux%u mesh", pea, r->plan->width,
				   r->plan->height);
		if (r->plan_pea[bind].n >= UINT32_MAX)
			return err_at(r, t, "too many PEA entries");
		OWG_VEC_PUSH(r->plan_pea[bind], pea);
		(*n)++;
	}
	return true;
}

static bool take_cluster(rd *r, uint32_t *c, const char *what)
{
	tok t = peek(r);
	if (!take_u32(r, c, what))
		return false;
	if (*c >= r->plan_clusters)
		return err(r, t.b, t.e, "cluster %u is outside the %ux%u clusters of the mesh", *c, r->plan->cwidth,
			   r->plan->cheight);
	return true;
}

/* (pin|elastic|static) %N ['replicas' R] 'home' C ['demand' M V] ['peas' ...] */
static bool parse_plan_task(rd *r, int bind, bool pinned)
{
	static const char *const what[2] = {"'pin' or 'elastic'", "'static'"};
	tok t = peek(r);
	uint32_t id;
	if (!take_node_ref(r, &id, "a task '%N'"))
		return false;
	if (id >= r->g->nodes.n)
		return err_at(r, t, "plan line of an undefined node");
	const owg_node *n = &r->g->nodes.v[id];
	if (n->kind != OWG_NODE_TB)
		return err_at(r, t, "only tasks are placed: this is a control node");
	uint8_t bit = bind ? PSEEN_FIXED : PSEEN_OCTOPUS;
	if (r->plan_seen[id] & bit)
		return err(r, t.b, t.e, "a second %s line for this task", what[bind]);
	r->plan_seen[id] |= bit;
	owg_binding *b = bind ? &r->plan->fixed : &r->plan->octopus;
	uint32_t rep = 0, home;
	if (accept(r, "replicas")) {
		tok rt = peek(r);
		if (!take_u32(r, &rep, "a replica count"))
			return false;
		if (rep == 0)
			return err_at(r, rt, "0 replicas are written by leaving 'replicas' out");
	}
	if (!expect(r, "home", "expected 'home'") || !take_cluster(r, &home, "a home cluster"))
		return false;
	b->replicas[id] = rep;
	b->home[id] = home;
	if (!bind) {
		r->plan->pinned[id] = pinned;
		if (!take_key_qty(r, "demand", Q_PLAIN, &r->plan->demand_mean[id]))
			return false;
		tok vt = peek(r);
		if (!take_qty(r, Q_PLAIN, &r->plan->demand_var[id]))
			return false;
		if (r->plan->demand_var[id] < 0)
			return err_at(r, vt, "a variance is not negative");
	}
	if (rep) {
		uint64_t first = r->plan_pea[bind].n, got;
		tok pt = peek(r);
		if (!take_peas(r, bind, &got))
			return false;
		uint64_t want = (uint64_t)rep * n->peas;
		if (got != want)
			return err(r, pt.b, r->p, "expected %llu PEA ids (%u replicas of %u PEAs), found %llu",
				   (unsigned long long)want, rep, n->peas, (unsigned long long)got);
		b->first[id] = (uint32_t)first;
		r->plan_task_entries[bind] += got;
	}
	return expect_end(r);
}

/* ['static'] 'pool' C 'peas' PEA+ */
static bool parse_plan_pool(rd *r, tok kw, int bind)
{
	owg_binding *b = bind ? &r->plan->fixed : &r->plan->octopus;
	uint32_t c;
	uint64_t first = r->plan_pea[bind].n, got;
	if (!take_cluster(r, &c, "a cluster"))
		return false;
	if (b->pool_size[c])
		return err(r, kw.b, r->p, "a second pool for cluster %u", c);
	tok pt = peek(r);
	if (!take_peas(r, bind, &got))
		return false;
	if (got == 0)
		return err_at(r, pt, "a pool has at least one PEA");
	b->pool_first[c] = (uint32_t)first;
	b->pool_size[c] = (uint32_t)got;
	return expect_end(r);
}

/* ['static'] 'traffic' NUM */
static bool parse_plan_traffic(rd *r, tok kw, int bind)
{
	if (r->seen_traffic[bind])
		return err(r, kw.b, r->p, "a second '%straffic' line", bind ? "static " : "");
	r->seen_traffic[bind] = true;
	owg_binding *b = bind ? &r->plan->fixed : &r->plan->octopus;
	tok t = peek(r);
	if (!take_qty(r, Q_PLAIN, &b->traffic))
		return false;
	if (b->traffic < 0)
		return err_at(r, t, "a negative value here is not possible");
	return expect_end(r);
}

static bool is_plan_kw(const rd *r, tok kw)
{
	return tok_is(r, kw, "plan") || tok_is(r, kw, "pin") || tok_is(r, kw, "elastic") ||
	       tok_is(r, kw, "pool") || tok_is(r, kw, "traffic") || tok_is(r, kw, "static");
}

static bool parse_plan_line(rd *r, tok kw)
{
	if (tok_is(r, kw, "plan")) {
		r->phase = PH_PLAN;
		r->plan_at = kw.b;
		return parse_plan_header(r, kw);
	}
	if (r->plan_failed)
		return false; /* reported on the 'plan' line */
	if (!r->plan) {
		char buf[40];
		return err(r, kw.b, kw.e, "'%s' before the 'plan' line", show(r, kw, buf, sizeof buf));
	}
	if (tok_is(r, kw, "static")) {
		tok t = peek(r);
		if (accept(r, "pool"))
			return parse_plan_pool(r, t, 1);
		if (accept(r, "traffic"))
			return parse_plan_traffic(r, t, 1);
		return parse_plan_task(r, 1, false);
	}
	if (tok_is(r, kw, "pool"))
		return parse_plan_pool(r, kw, 0);
	if (tok_is(r, kw, "traffic"))
		return parse_plan_traffic(r, kw, 0);
	return parse_plan_task(r, 0, tok_is(r, kw, "pin"));
}

/* Every task has a line in both bindings, both have a traffic line; the
 * PEA arrays move into the graph. */
static void finish_plan(rd *r)
{
	owg_graph *g = r->g;
	for (size_t i = 0; i < g->nodes.n; i++) {
		if (g->nodes.v[i].kind != OWG_NODE_TB)
			continue;
		if (!(r->plan_seen[i] & PSEEN_OCTOPUS)) {
			err(r, r->plan_at, r->plan_at, "the plan has no 'pin' or 'elastic' line for task %%%u",
			    (unsigned)i);
			return;
		}
		if (!(r->plan_seen[i] & PSEEN_FIXED)) {
			err(r, r->plan_at, r->plan_at, "the plan has no 'static' line for task %%%u", (unsigned)i);
			return;
		}
	}
	for (int k = 0; k < 2; k++)
		if (!r->seen_traffic[k]) {
			err(r, r->plan_at, r->plan_at, "the plan has no '%straffic' line", k ? "static " : "");
			return;
		}
	/* the plan pass's layout of the octopus binding: empty pools where the
	 * previous pool ends, elastic tasks at their home pool */
	owg_binding *oct = &r->plan->octopus;
	uint64_t pos = r->plan_task_entries[0];
	for (uint32_t c = 0; c < r->plan_clusters; c++) {
		if (oct->pool_size[c])
			pos = (uint64_t)oct->pool_first[c] + oct->pool_size[c];
		else
			oct->pool_first[c] = (uint32_t)pos;
	}
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB && !oct->replicas[i])
			oct->first[i] = oct->pool_first[oct->home[i]];
	owg_binding *b[2] = {&r->plan->octopus, &r->plan->fixed};
	for (int k = 0; k < 2; k++) {
		size_t n = r->plan_pea[k].n;
		b[k]->peas = owg_arena_alloc(&g->arena, n * sizeof(uint32_t) + 1);
		if (n)
			memcpy(b[k]->peas, r->plan_pea[k].v, n * sizeof(uint32_t));
		b[k]->npeas = n;
	}
	g->plan = r->plan;
}

/* Returns false when reading must stop (not an IR file). */
static bool parse_line(rd *r)
{
	tok kw = take(r);
	if (kw.kind == T_END)
		return true;
	if (r->phase == PH_HEADER) {
		if (!tok_is(r, kw, "owgir"))
			return err_at(r, kw, "not an OWG IR file: expected 'owgir 1'");
		tok v = take(r);
		if (!tok_is(r, v, "1")) {
			char buf[40];
			return err(r, v.b, v.e, "unsupported OWG IR version '%s' (expected 1)",
				   show(r, v, buf, sizeof buf));
		}
		r->phase = PH_WORKFLOW;
		expect_end(r);
		return true;
	}
	if (tok_is(r, kw, "workflow")) {
		if (r->phase != PH_WORKFLOW) {
			err_at(r, kw, "duplicate 'workflow' line");
			return true;
		}
		r->phase = PH_NODES;
		if (take_str(r, &r->g->name, "a workflow name string"))
			expect_end(r);
		return true;
	}
	if (r->phase == PH_WORKFLOW) {
		err_at(r, kw, "expected 'workflow' after the header");
		r->phase = PH_NODES;
	}
	bool annot = tok_is(r, kw, "time") || tok_is(r, kw, "freq") || tok_is(r, kw, "probs") ||
		     tok_is(r, kw, "load") || tok_is(r, kw, "bounds");
	bool plan = is_plan_kw(r, kw);
	if (r->phase == PH_PLAN && !plan)
		err_at(r, kw, "the plan comes last: nodes, flows, fabrics and annotations go before it");
	else if (r->phase == PH_ANNOT && !annot && !plan)
		err_at(r, kw, "nodes, flows and fabrics must come before the analysis annotations");
	else if (tok_is(r, kw, "node"))
		parse_node(r, kw);
	else if (tok_is(r, kw, "flow"))
		parse_flow(r, kw);
	else if (tok_is(r, kw, "fabric"))
		parse_fabric(r);
	else if (annot && r->ids_broken)
		err_at(r, kw, "annotation skipped: the node ids above are broken");
	else if (annot)
		parse_annotation(r, kw);
	else if (plan && r->ids_broken)
		err_at(r, kw, "plan line skipped: the node ids above are broken");
	else if (plan)
		parse_plan_line(r, kw);
	else
		err_at(r, kw, "expected 'node', 'flow', 'fabric', an analysis annotation or a plan line");
	return true;
}

/* --- resolution of %N.NAME --- */

static uint32_t hash_name(const char *s, size_t n, uint32_t node)
{
	uint32_t h = 2166136261u ^ (node * 2654435761u);
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

typedef struct slot {
	uint32_t node, out; /* node OWG_NONE: empty */
} slot;

static void resolve(rd *r)
{
	owg_graph *g = r->g;
	size_t total = 0;
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB)
			total += g->nodes.v[i].nouts;
	size_t cap = 16;
	while (cap < 2 * total)
		cap *= 2;
	slot *tab = owg_xmalloc(cap * sizeof *tab);
	for (size_t i = 0; i < cap; i++)
		tab[i].node = OWG_NONE;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		for (uint32_t o = 0; o < n->nouts; o++) {
			const char *nm = n->outs[o].name;
			size_t len = strlen(nm);
			size_t h = hash_name(nm, len, n->id) & (cap - 1);
			for (;; h = (h + 1) & (cap - 1)) {
				if (tab[h].node == OWG_NONE) {
					tab[h] = (slot){n->id, o};
					break;
				}
				if (tab[h].node == n->id && strcmp(n->outs[tab[h].out].name, nm) == 0)
					break; /* a duplicate: the first one wins */
			}
		}
	}
	for (size_t i = 0; i < r->refs.n; i++) {
		pending_ref *p = &r->refs.v[i];
		const char *nm = r->s + p->nb;
		size_t len = p->ne - p->nb;
		if (p->node >= g->nodes.n) {
			err(r, p->b, p->e, "reference to undefined node %%%u", p->node);
			continue;
		}
		const owg_node *n = &g->nodes.v[p->node];
		if (n->kind != OWG_NODE_TB) {
			err(r, p->b, p->e, "node %%%u is not a task and has no outputs", p->node);
			continue;
		}
		uint32_t out = OWG_NONE;
		for (size_t h = hash_name(nm, len, p->node) & (cap - 1); tab[h].node != OWG_NONE;
		     h = (h + 1) & (cap - 1)) {
			if (tab[h].node != p->node)
				continue;
			const char *cand = n->outs[tab[h].out].name;
			if (strncmp(cand, nm, len) == 0 && cand[len] == '\0') {
				out = tab[h].out;
				break;
			}
		}
		if (out == OWG_NONE) {
			char buf[40];
			tok t = {T_WORD, p->nb, p->ne};
			err(r, p->b, p->e, "task %%%u has no output '%s'", p->node,
			    show(r, t, buf, sizeof buf));
			continue;
		}
		if (p->expr) {
			p->expr->u.ref.node = p->node;
			p->expr->u.ref.out = out;
		} else {
			g->nodes.v[p->fork].count_node = p->node;
			g->nodes.v[p->fork].count_out = out;
		}
	}
	free(tab);
}

owg_graph *owg_ir_read(const char *text, size_t len, uint32_t file, struct owg_diag *diag)
{
	rd r;
	memset(&r, 0, sizeof r);
	r.s = text;
	r.file = file;
	r.diag = diag;
	if (len >= UINT32_MAX) {
		err(&r, 0, 0, "IR text too large (%zu bytes)", len);
		return NULL;
	}
	r.g = owg_ir_new("");
	uint32_t ls = 0, n = (uint32_t)len;
	while (ls < n) {
		const char *nl = memchr(text + ls, '\n', n - ls);
		uint32_t le = nl ? (uint32_t)(nl - text) : n;
		r.p = ls;
		r.eol = le;
		if (le > ls && text[le - 1] == '\r') {
			err(&r, le - 1, le, "carriage return at the end of the line: owgc writes IR with '\\n' "
			    "line ends only (convert the file with dos2unix)");
			break;
		}
		if (!parse_line(&r))
			break;
		if (diag && owg_diag_capped(diag))
			break;
		ls = le + 1;
	}
	if (r.nerr == 0 && r.phase == PH_HEADER)
		err(&r, 0, 0, "empty input: expected 'owgir 1'");
	else if (r.nerr == 0 && r.phase == PH_WORKFLOW)
		err(&r, n, n, "missing 'workflow' line");
	if (!r.ids_broken && r.phase != PH_HEADER && !(diag && owg_diag_capped(diag)))
		resolve(&r);
	if (r.nerr == 0 && r.phase >= PH_ANNOT)
		check_annotations_complete(&r);
	if (r.nerr == 0 && r.plan)
		finish_plan(&r);
	free(r.seen);
	free(r.plan_seen);
	OWG_VEC_FREE(r.plan_pea[0]);
	OWG_VEC_FREE(r.plan_pea[1]);
	OWG_VEC_FREE(r.refs);
	OWG_VEC_FREE(r.outs);
	OWG_VEC_FREE(r.arms);
	OWG_VEC_FREE(r.nums);
	OWG_VEC_FREE(r.defects);
	if (r.nerr) {
		owg_ir_free(r.g);
		return NULL;
	}
	for (size_t i = 0; i < r.g->nodes.n; i++)
		if (r.g->nodes.v[i].kind == OWG_NODE_CB && r.g->nodes.v[i].pred)
			owg_ir_expr_type(r.g, r.g->nodes.v[i].pred);
	return r.g;
}
