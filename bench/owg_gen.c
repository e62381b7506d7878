#include "config.h"

/* owg_gen.c - generator of large random but valid workflows, for the
 * front-end benchmarks (bench/frontend.sh) and as a stress input.
 *
 *   owg-gen --tasks N [--seed S] [--control FRACTION] [--depth D]
 *           [--format owg|owgir] [--volatile FRACTION] [--bursty FRACTION]
 *           [--phases FILE]
 *
 * writes to standard output a workflow of exactly N task blocks:
 *  - varied tasks: ai/general, PEA demands, every time model (constant,
 *    mean +- sd, normal, lognormal, uniform, exponential, empirical, and
 *    expressions over a constant), kernels, configuration sizes, outputs;
 *  - a layered DAG of flows with sizes (literal sizes in every unit, a
 *    parameter and expressions over it; chains a -> b -> c), about 1.5
 *    flows per task, acyclic (every flow goes from an earlier to a later
 *    task);
 *  - control blocks, nested up to D levels (default 4): branches with
 *    predicates and/or probabilities (else, else-if), switches with and
 *    without a selector (cases, default), counted loops (constant, global
 *    constant, distributions), while loops with 'max' (predicate on a task
 *    of the body or of the enclosing block), foreach over a task output
 *    ('~' count model) or over a count, early exits (predicate and/or
 *    probability, and a bare 'exit' at the end of an arm), labels;
 *  - instances of a sub-workflow with arguments, a global constant, a
 *    parameter, a fabric block.
 * FRACTION (default 0.1) is the chance that a statement opens a control
 * block, so roughly FRACTION control blocks per task; 0 gives a pure DAG
 * (no control blocks, no instances).  D limits the nesting of the control
 * blocks the generator writes (an instance brings its own branch).
 *
 * Every output compiles without errors and without warnings (with the
 * default warning set).  --format owgir writes the IR text that
 * `owgc` prints for the --format owg output of the same seed, byte for
 * byte: the generator mirrors the front end's node order, automatic
 * names, flow order and number formatting, which makes it a differential
 * test of the front end as well as an input for the IR reader.
 *
 * Dual dynamicity (for the scheduling benchmarks):
 *  - --volatile FRACTION: that share of the tasks (drivers included, not
 *    the instances' fixed tasks) get heavy-tailed times instead of their
 *    model, lognormal(MEDIAN, SIGMA) with SIGMA from 1 to 1.99 (a mean of
 *    1.6 to 7 times the median, a p99 of 10 to 100 times);
 *  - --bursty FRACTION: that share of the branches, switches and exits
 *    (not the bare 'exit;' nor the instances' branch) get skewed
 *    probabilities: a rare arm of 1-5% (switches: every arm but one of
 *    1-4%) against a dominant one;
 *  - --phases FILE: also writes a phase file (owg(5), PHASE FILES) for the
 *    workflow: four phases of 25% of the requests; in each, the rare arm
 *    of every bursty control block has 1/4, 1/4, 1/2 or 3 times its
 *    declared probability (each block in an order of its own, the
 *    dominant arm taking up the difference), and every volatile task runs
 *    0.5, 0.75, 1.25 or 1.5 times as long.  Averaged over the phases,
 *    every figure is the declared one.
 * These decisions come from PRNG streams of their own: with the options
 * the workflow has the same structure, names and flows as without, and
 * without them the output is what it always was, byte for byte.
 *
 * Deterministic for a seed on every platform: an own PRNG (splitmix64),
 * integer decisions only, numbers made by strtod from decimal text.
 * Only the C library is used. */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* numbers are formatted by the IR printer's own functions, so that
 * --format owgir prints exactly what owgc prints */
#include "ir.h"
#include "quantity.h"

#define NONE UINT32_MAX

/* --- PRNG: splitmix64 --- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0 .. n-1 (n > 0); the tiny bias of a modulo does not matter here. */
static uint32_t below(rng *r, uint32_t n)
{
	return (uint32_t)(rnext(r) % n);
}

/* lo .. hi inclusive */
static uint32_t range(rng *r, uint32_t lo, uint32_t hi)
{
	return lo + below(r, hi - lo + 1);
}

/* true with probability permille / 1000 */
static bool chance(rng *r, uint32_t permille)
{
	return below(r, 1000) < permille;
}

/* --- growable text and vectors --- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("owg-gen: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

#define VEC(T) struct { T *v; size_t n, cap; }
#define PUSH(vec, x)                                                                 \
	do {                                                                         \
		if ((vec).n == (vec).cap) {                                          \
			(vec).cap = (vec).cap ? 2 * (vec).cap : 64;                  \
			(vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v);    \
		}                                                                    \
		(vec).v[(vec).n++] = (x);                                            \
	} while (0)

/* A small string: source text and IR text of a value side by side. */
typedef struct dual {
	char src[160];
	char ir[200];
} dual;

static void cat(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *dst, size_t n, const char *fmt, ...)
{
	size_t len = strlen(dst);
	if (len >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst + len, n - len, fmt, ap);
	va_end(ap);
}

/* --- the generator's state --- */

typedef enum cbk { K_ENTRY, K_IF, K_SWITCH, K_LOOP, K_FOREACH, K_EXIT } cbk;

/* A task that flows may use: its IR id and how it is spelled. */
typedef struct task {
	uint32_t node;
	uint32_t num;  /* t<num>, or instance s<num> */
	char part;     /* 0 for a task of the main workflow, else 'a', 'b', 'c' */
} task;

typedef struct flow {
	uint32_t src, dst;
	double bytes;
} flow;

/* A bursty control block: its name, its declared probabilities (percent),
 * its rare and dominant arms, and the phase of its burst. */
typedef struct burst {
	char name[32];
	uint32_t narms;
	uint32_t pct[5];
	uint32_t rare, dominant;
	uint32_t rot;
} burst;

/* A volatile task: t<num>, and where its time factors start. */
typedef struct vtask {
	uint32_t num;
	uint32_t rot;
} vtask;

typedef struct gen {
	rng r;
	FILE *src, *ir; /* one of them is NULL */
	uint32_t want;  /* tasks in all */
	uint32_t made;  /* tasks so far */
	uint32_t control_permille;
	uint32_t max_depth;
	uint32_t max_peas; /* --max-peas */
	uint32_t next_node;
	uint32_t next_task, next_label, next_inst;
	uint32_t counters[6]; /* automatic CB names of the main workflow */
	uint32_t root_exits;
	VEC(task) tasks;
	/* layers: the previous layer is tasks[prev, cur), the current one tasks[cur, n) */
	size_t prev, cur, width;
	VEC(flow) flows;      /* flows of the main workflow, in source order */
	VEC(flow) inst_flows; /* flows inside instances, after them (sema's scope order) */
	bool used_fsz;
	bool any_instance;
	/* dual dynamicity: own streams, so that the main one is untouched */
	rng rv, rb;
	uint32_t volatile_permille, bursty_permille;
	VEC(burst) bursts;  /* bursty control blocks, in order */
	VEC(vtask) vtasks;  /* volatile tasks, in order */
} gen;

static void S(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void S(gen *g, const char *fmt, ...)
{
	if (!g->src)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(g->src, fmt, ap);
	va_end(ap);
}

static void I(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void I(gen *g, const char *fmt, ...)
{
	if (!g->ir)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(g->ir, fmt, ap);
	va_end(ap);
}

static void indent(gen *g, uint32_t depth)
{
	if (g->src)
		fprintf(g->src, "%*s", (int)(2 * depth + 2), "");
}

/* --- quantities: source text and the value the front end computes --- */

/* digits with 0..2 decimals, e.g. "12", "0.6", "2.25" */
static void digits(rng *r, char *buf, size_t n, uint32_t lo, uint32_t hi)
{
	uint32_t m = range(r, lo, hi);
	uint32_t dec = below(r, 3);
	if (dec == 0)
		snprintf(buf, n, "%u", m);
	else if (dec == 1)
		snprintf(buf, n, "%u.%u", m / 10, m % 10);
	else
		snprintf(buf, n, "%u.%02u", m / 100, m % 100);
}

/* A time literal; *v is what the scanner computes (the decimal exponent
 * is moved in the text, see scaled() in grammar/owg.l). */
static void time_lit(rng *r, char *src, size_t n, double *v)
{
	static const struct {
		const char *name;
		int exp10;
	} u[] = {{"ns", -9}, {"us", -6}, {"ms", -3}, {"s", 0}};
	uint32_t k = below(r, 100);
	size_t ui = k < 5 ? 0 : k < 40 ? 1 : k < 95 ? 2 : 3;
	char d[24];
	digits(r, d, sizeof d, 1, ui == 3 ? 30 : 999);
	snprintf(src, n, "%s%s", d, u[ui].name);
	if (u[ui].exp10 == 0) {
		*v = strtod(d, NULL);
	} else {
		char t[48];
		snprintf(t, sizeof t, "%se%d", d, u[ui].exp10);
		*v = strtod(t, NULL);
	}
}

/* A size literal (binary units: digits times the unit). */
static void size_lit(rng *r, char *src, size_t n, double *v)
{
	static const struct {
		const char *name;
		double scale;
	} u[] = {{"B", 1}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
	uint32_t k = below(r, 100);
	size_t ui = k < 15 ? 0 : k < 75 ? 1 : k < 99 ? 2 : 3;
	char d[24];
	if (ui == 0) /* whole bytes */
		snprintf(d, sizeof d, "%u", range(r, 0, 4096));
	else
		digits(r, d, sizeof d, 1, ui == 3 ? 20 : 999);
	snprintf(src, n, "%s%s", d, u[ui].name);
	*v = strtod(d, NULL) * u[ui].scale;
}

/* A plain number "d" or "d.d" and its value. */
static double plain(rng *r, char *src, size_t n, uint32_t lo, uint32_t hi)
{
	digits(r, src, n, lo, hi);
	return strtod(src, NULL);
}

static void ir_num(char *buf, size_t n, double x)
{
	owg_fmt_double(buf, n, x);
}

/* const base = 1ms (global) */
static double base_value(void)
{
	return strtod("1e-3", NULL);
}

/* A task's time model, as source and IR. */
static void time_model(gen *g, dual *t)
{
	rng *r = &g->r;
	char a[40], b[40], ia[48], ib[48];
	double va, vb;
	t->src[0] = t->ir[0] = '\0';
	switch (below(r, 9)) {
	case 0:
	case 1:
		time_lit(r, a, sizeof a, &va);
		owg_fmt_time(ia, sizeof ia, va);
		snprintf(t->src, sizeof t->src, "%s", a);
		snprintf(t->ir, sizeof t->ir, "%s", ia);
		return;
	case 2: /* mean +- sd */
		time_lit(r, a, sizeof a, &va);
		time_lit(r, b, sizeof b, &vb);
		owg_fmt_time(ia, sizeof ia, va);
		owg_fmt_time(ib, sizeof ib, vb);
		snprintf(t->src, sizeof t->src, "%s %s %s", a, chance(r, 100) ? "±" : "+-", b);
		snprintf(t->ir, sizeof t->ir, "meansd(%s, %s)", ia, ib);
		return;
	case 3:
		time_lit(r, a, sizeof a, &va);
		time_lit(r, b, sizeof b, &vb);
		owg_fmt_time(ia, sizeof ia, va);
		owg_fmt_time(ib, sizeof ib, vb);
		snprintf(t->src, sizeof t->src, "normal(%s, %s)", a, b);
		snprintf(t->ir, sizeof t->ir, "normal(%s, %s)", ia, ib);
		return;
	case 4: {
		time_lit(r, a, sizeof a, &va);
		owg_fmt_time(ia, sizeof ia, va);
		char s[24];
		snprintf(s, sizeof s, "%u.%02u", 0u, range(r, 5, 99)); /* sigma 0.05 .. 0.99 */
		double sig = strtod(s, NULL);
		ir_num(ib, sizeof ib, sig);
		snprintf(t->src, sizeof t->src, "lognormal(%s, %s)", a, s);
		snprintf(t->ir, sizeof t->ir, "lognormal(%s, %s)", ia, ib);
		return;
	}
	case 5:
		time_lit(r, a, sizeof a, &va);
		time_lit(r, b, sizeof b, &vb);
		if (va > vb) {
			char tmp[40];
			double tv = va;
			memcpy(tmp, a, sizeof tmp);
			memcpy(a, b, sizeof a);
			memcpy(b, tmp, sizeof b);
			va = vb;
			vb = tv;
		}
		owg_fmt_time(ia, sizeof ia, va);
		owg_fmt_time(ib, sizeof ib, vb);
		snprintf(t->src, sizeof t->src, "uniform(%s, %s)", a, b);
		snprintf(t->ir, sizeof t->ir, "uniform(%s, %s)", ia, ib);
		return;
	case 6:
		time_lit(r, a, sizeof a, &va);
		owg_fmt_time(ia, sizeof ia, va);
		snprintf(t->src, sizeof t->src, "exponential(%s)", a);
		snprintf(t->ir, sizeof t->ir, "exponential(%s)", ia);
		return;
	case 7: {
		uint32_t k = range(r, 1, 4);
		snprintf(t->src, sizeof t->src, "empirical(");
		snprintf(t->ir, sizeof t->ir, "empirical(");
		for (uint32_t i = 0; i < k; i++) {
			time_lit(r, a, sizeof a, &va);
			owg_fmt_time(ia, sizeof ia, va);
			cat(t->src, sizeof t->src, "%s%s", i ? ", " : "", a);
			cat(t->ir, sizeof t->ir, "%s%s", i ? ", " : "", ia);
		}
		cat(t->src, sizeof t->src, ")");
		cat(t->ir, sizeof t->ir, ")");
		return;
	}
	default: { /* an expression over the global constant */
		uint32_t m = range(r, 1, 9);
		double v = base_value() * m;
		owg_fmt_time(ia, sizeof ia, v);
		snprintf(t->src, sizeof t->src, "base * %u", m);
		snprintf(t->ir, sizeof t->ir, "%s", ia);
		return;
	}
	}
}

/* A count distribution (loop trips, foreach items), as source and IR.
 * Constant counts are at least 1 (a zero count would make its body
 * unreachable, which is a warning). */
static void count_model(gen *g, dual *c)
{
	rng *r = &g->r;
	char a[24], b[24], ia[40], ib[40];
	double va, vb;
	c->src[0] = c->ir[0] = '\0';
	switch (below(r, 10)) {
	case 0:
	case 1: {
		uint32_t k = range(r, 1, 8);
		snprintf(c->src, sizeof c->src, "%u", k);
		snprintf(c->ir, sizeof c->ir, "%u", k);
		return;
	}
	case 2: {
		uint32_t lo = range(r, 0, 3), hi = lo + range(r, 1, 5);
		snprintf(c->src, sizeof c->src, "uniform(%u, %u)", lo, hi);
		snprintf(c->ir, sizeof c->ir, "uniform(%u, %u)", lo, hi);
		return;
	}
	case 3:
	case 4:
		va = plain(r, a, sizeof a, 1, 60);
		ir_num(ia, sizeof ia, va);
		snprintf(c->src, sizeof c->src, "%s(%s)", below(r, 2) ? "poisson" : "mean", a);
		snprintf(c->ir, sizeof c->ir, "poisson(%s)", ia);
		return;
	case 5:
		va = plain(r, a, sizeof a, 1, 60);
		ir_num(ia, sizeof ia, va);
		snprintf(c->src, sizeof c->src, "geometric(%s)", a);
		snprintf(c->ir, sizeof c->ir, "geometric(%s)", ia);
		return;
	case 6:
		va = plain(r, a, sizeof a, 10, 60);
		vb = plain(r, b, sizeof b, 1, 15);
		ir_num(ia, sizeof ia, va);
		ir_num(ib, sizeof ib, vb);
		if (below(r, 2)) {
			snprintf(c->src, sizeof c->src, "normal(%s, %s)", a, b);
			snprintf(c->ir, sizeof c->ir, "normal(%s, %s)", ia, ib);
		} else {
			snprintf(c->src, sizeof c->src, "%s +- %s", a, b);
			snprintf(c->ir, sizeof c->ir, "meansd(%s, %s)", ia, ib);
		}
		return;
	case 7: {
		uint32_t k = range(r, 1, 5);
		snprintf(c->src, sizeof c->src, "empirical(");
		snprintf(c->ir, sizeof c->ir, "empirical(");
		for (uint32_t i = 0; i < k; i++) {
			uint32_t x = range(r, 0, 9);
			cat(c->src, sizeof c->src, "%s%u", i ? ", " : "", x);
			cat(c->ir, sizeof c->ir, "%s%u", i ? ", " : "", x);
		}
		cat(c->src, sizeof c->src, ")");
		cat(c->ir, sizeof c->ir, ")");
		return;
	}
	case 8:
		if (below(r, 2)) {
			va = plain(r, a, sizeof a, 10, 40);
			ir_num(ia, sizeof ia, va);
			vb = plain(r, b, sizeof b, 1, 9);
			ir_num(ib, sizeof ib, vb / 10);
			/* sigma written as a division to exercise constant folding */
			snprintf(c->src, sizeof c->src, "lognormal(%s, %s / 10)", a, b);
			snprintf(c->ir, sizeof c->ir, "lognormal(%s, %s)", ia, ib);
		} else {
			va = plain(r, a, sizeof a, 1, 40);
			ir_num(ia, sizeof ia, va);
			snprintf(c->src, sizeof c->src, "exponential(%s)", a);
			snprintf(c->ir, sizeof c->ir, "exponential(%s)", ia);
		}
		return;
	default: /* const K = 3 */
		snprintf(c->src, sizeof c->src, "K");
		snprintf(c->ir, sizeof c->ir, "3");
		return;
	}
}

/* A probability 0.01 .. 0.99 as "0.xx" or "xx%"; the value is the same
 * double either way (correctly rounded decimal or division). */
static double prob(gen *g, uint32_t pct, char *src, size_t n)
{
	if (chance(&g->r, 150))
		snprintf(src, n, "%u%%", pct);
	else
		snprintf(src, n, "0.%02u", pct);
	return (double)pct / 100.0;
}

/* --- dual dynamicity --- */

/* A heavy-tailed time for task t<num> (from g->rv), recorded for the
 * phase file. */
static void volatile_model(gen *g, uint32_t num, dual *t)
{
	char a[40], ia[48], ib[48], sg[24];
	double va;
	time_lit(&g->rv, a, sizeof a, &va);
	owg_fmt_time(ia, sizeof ia, va);
	snprintf(sg, sizeof sg, "1.%02u", below(&g->rv, 100)); /* sigma 1 .. 1.99 */
	ir_num(ib, sizeof ib, strtod(sg, NULL));
	snprintf(t->src, sizeof t->src, "lognormal(%s, %s)", a, sg);
	snprintf(t->ir, sizeof t->ir, "lognormal(%s, %s)", ia, ib);
	vtask v = {num, below(&g->rv, 4)};
	PUSH(g->vtasks, v);
}

/* Whether the next branch, switch or exit is bursty (from g->rb). */
static bool bursty(gen *g)
{
	return g->bursty_permille && chance(&g->rb, g->bursty_permille);
}

/* Records a bursty control block named name with arms pct[0 .. narms). */
static void add_burst(gen *g, const char *name, const uint32_t *pct, uint32_t narms, uint32_t rare,
		      uint32_t dominant)
{
	burst b;
	memset(&b, 0, sizeof b);
	snprintf(b.name, sizeof b.name, "%s", name);
	b.narms = narms;
	memcpy(b.pct, pct, narms * sizeof *pct);
	b.rare = rare;
	b.dominant = dominant;
	b.rot = below(&g->rb, 4);
	PUSH(g->bursts, b);
}

/* --- tasks and flows --- */

static void task_name(const task *t, char *buf, size_t n)
{
	if (t->part)
		snprintf(buf, n, "s%u.%c", t->num, t->part);
	else
		snprintf(buf, n, "t%u", t->num);
}

/* A flow size: literal, the parameter, or an expression over it. */
static void flow_size(gen *g, char *src, size_t n, double *v)
{
	uint32_t k = below(&g->r, 100);
	if (!g->used_fsz || k < 8) {
		snprintf(src, n, "fsz");
		*v = 2048;
		g->used_fsz = true;
	} else if (k < 11) {
		snprintf(src, n, "2 * fsz");
		*v = 4096;
	} else if (k < 14) {
		snprintf(src, n, "fsz + 512B");
		*v = 2560;
	} else if (k < 15) {
		snprintf(src, n, "0B");
		*v = 0;
	} else {
		size_lit(&g->r, src, n, v);
	}
}

/* A source of a flow into the task about to be made: mostly from the
 * previous layer, sometimes a skip connection to an older task. */
static uint32_t pick_source(gen *g, uint32_t avoid)
{
	size_t n = g->tasks.n;
	for (int tries = 0; tries < 8; tries++) {
		uint32_t i;
		if (g->cur > g->prev && !chance(&g->r, 100)) {
			i = (uint32_t)(g->prev + below(&g->r, (uint32_t)(g->cur - g->prev)));
		} else {
			size_t lo = n > 256 ? n - 256 : 0;
			i = (uint32_t)(lo + below(&g->r, (uint32_t)(n - lo)));
		}
		if (i != avoid)
			return i;
	}
	return avoid == 0 ? (uint32_t)(n - 1) : 0;
}

static void add_task(gen *g, task t)
{
	PUSH(g->tasks, t);
	g->made++;
	if (g->tasks.n - g->cur >= g->width) {
		g->prev = g->cur;
		g->cur = g->tasks.n;
		g->width = range(&g->r, 2, 24);
	}
}

typedef struct outdecl {
	const char *name, *type;
} outdecl;

/* Declares task t<num> at region.arm and makes its IR node. */
static task declare_task(gen *g, uint32_t depth, uint32_t region, uint32_t arm, const outdecl *outs,
			 uint32_t nouts)
{
	rng *r = &g->r;
	task t = {g->next_node++, g->next_task++, 0};
	bool ai = chance(r, 400);
	uint32_t peas = 1;
	bool peas_given = chance(r, 500);
	if (peas_given)
		peas = chance(r, 30) ? 64 : range(r, 1, 16);
	if (peas > g->max_peas)
		peas = g->max_peas;
	dual tm;
	time_model(g, &tm);
	if (g->volatile_permille && chance(&g->rv, g->volatile_permille))
		volatile_model(g, t.num, &tm);
	bool kernel = chance(r, 200);
	bool config = chance(r, 100);
	char cfg[40] = "", icfg[48] = "";
	double cv = 0;
	if (config) {
		size_lit(r, cfg, sizeof cfg, &cv);
		owg_fmt_size(icfg, sizeof icfg, cv);
	}
	bool time_first = chance(r, 300);

	indent(g, depth);
	S(g, "task t%u : %s {", t.num, ai ? "ai" : "general");
	if (time_first)
		S(g, " time %s;", tm.src);
	if (peas_given)
		S(g, " peas %u;", peas);
	if (!time_first)
		S(g, " time %s;", tm.src);
	if (kernel)
		S(g, " kernel \"k_%s_%u\";", ai ? "ai" : "gen", t.num % 97);
	if (config)
		S(g, " config %s;", cfg);
	/* the comma form 'out a: T, b: U;' only as the one out statement */
	bool comma = nouts > 1 && chance(r, 300);
	for (uint32_t i = 0; i < nouts; i++) {
		if (comma)
			S(g, "%s%s: %s%s", i ? ", " : " out ", outs[i].name, outs[i].type, i + 1 == nouts ? ";" : "");
		else
			S(g, " out %s: %s;", outs[i].name, outs[i].type);
	}
	S(g, " }\n");

	I(g, "node %%%u tb \"t%u\" in %%%u.%u %s peas %u time %s", t.node, t.num, region, arm,
	  ai ? "ai" : "general", peas, tm.ir);
	if (kernel)
		I(g, " kernel \"k_%s_%u\"", ai ? "ai" : "gen", t.num % 97);
	for (uint32_t i = 0; i < nouts; i++)
		I(g, " out %s:%s", outs[i].name, outs[i].type);
	if (config && cv != 0)
		I(g, " config %s", icfg);
	I(g, "\n");
	return t;
}

/* The first use of a new task: one or two flows into it (or, for the
 * very first task, a bare mention). */
static void connect(gen *g, uint32_t depth, task t)
{
	char dn[40];
	task_name(&t, dn, sizeof dn);
	if (g->tasks.n == 0) {
		indent(g, depth);
		S(g, "%s;\n", dn);
		add_task(g, t);
		return;
	}
	uint32_t nsrc = g->tasks.n > 1 && chance(&g->r, 500) ? 2 : 1;
	uint32_t first = NONE;
	for (uint32_t k = 0; k < nsrc; k++) {
		uint32_t s = pick_source(g, first);
		if (s == first)
			break;
		first = k == 0 ? s : first;
		char sn[40], sz[48];
		double bytes;
		task_name(&g->tasks.v[s], sn, sizeof sn);
		flow_size(g, sz, sizeof sz, &bytes);
		indent(g, depth);
		S(g, "%s -> %s : %s;\n", sn, dn, sz);
		flow f = {g->tasks.v[s].node, t.node, bytes};
		if (g->ir)
			PUSH(g->flows, f);
	}
	add_task(g, t);
}

/* --- predicates --- */

/* Boolean predicates over the outputs of a driver task (made just before
 * the control block, in the enclosing block, so that the block does not
 * govern it). */
enum { NPRED = 8 };

static uint32_t pred_outs(uint32_t tpl, outdecl *o)
{
	static const outdecl x = {"x", "f64"}, k = {"k", "i64"}, ok = {"ok", "bool"};
	switch (tpl) {
	case 0: o[0] = x; return 1;
	case 1: o[0] = k; o[1] = ok; return 2;
	case 2: o[0] = ok; o[1] = x; return 2;
	case 3: o[0] = k; return 1;
	case 4: o[0] = x; o[1] = k; return 2;
	case 5: o[0] = ok; return 1;
	case 6: o[0] = x; o[1] = k; return 2;
	default: o[0] = ok; return 1;
	}
}

static bool pred_has_x(uint32_t tpl)
{
	return tpl == 0 || tpl == 2 || tpl == 4 || tpl == 6;
}

static void pred_text(gen *g, uint32_t tpl, const char *d, uint32_t n, dual *p)
{
	char l[24], il[40];
	double lv = plain(&g->r, l, sizeof l, 1, 400);
	ir_num(il, sizeof il, lv);
	uint32_t k = range(&g->r, 0, 5);
	switch (tpl) {
	case 0:
		snprintf(p->src, sizeof p->src, "%s.x > %s", d, l);
		snprintf(p->ir, sizeof p->ir, "(%%%u.x > %s)", n, il);
		break;
	case 1:
		snprintf(p->src, sizeof p->src, "%s.k >= %u && %s.ok", d, k, d);
		snprintf(p->ir, sizeof p->ir, "((%%%u.k >= %u) && %%%u.ok)", n, k, n);
		break;
	case 2:
		snprintf(p->src, sizeof p->src, "!%s.ok || %s.x * 2 + 1 < %s", d, d, l);
		snprintf(p->ir, sizeof p->ir, "((!%%%u.ok) || (((%%%u.x * 2) + 1) < %s))", n, n, il);
		break;
	case 3:
		snprintf(p->src, sizeof p->src, "%s.k %% 3 == %u", d, k % 3);
		snprintf(p->ir, sizeof p->ir, "((%%%u.k %% 3) == %u)", n, k % 3);
		break;
	case 4:
		snprintf(p->src, sizeof p->src, "%s.x - %s.k / 2 != 0 || -%s.x <= -%u", d, d, d, k);
		snprintf(p->ir, sizeof p->ir, "(((%%%u.x - (%%%u.k / 2)) != 0) || ((-%%%u.x) <= (-%u)))", n, n, n, k);
		break;
	case 5:
		snprintf(p->src, sizeof p->src, "%s.ok == %s", d, k & 1 ? "true" : "false");
		snprintf(p->ir, sizeof p->ir, "(%%%u.ok == %s)", n, k & 1 ? "true" : "false");
		break;
	case 6:
		snprintf(p->src, sizeof p->src, "(%s.x + 1) * (%s.k - 2) > %s && !(%s.k < 0)", d, d, l, d);
		snprintf(p->ir, sizeof p->ir, "((((%%%u.x + 1) * (%%%u.k - 2)) > %s) && (!(%%%u.k < 0)))", n, n, il, n);
		break;
	default:
		snprintf(p->src, sizeof p->src, "%s.ok", d);
		snprintf(p->ir, sizeof p->ir, "%%%u.ok", n);
		break;
	}
}

/* --- blocks --- */

typedef struct at {
	uint32_t ind;    /* indentation level of the statements */
	uint32_t level;  /* control blocks around them */
	uint32_t region, arm;
	bool root;
} at;

static uint32_t gen_block(gen *g, at a, uint32_t budget);

static task make_driver(gen *g, at a, const outdecl *o, uint32_t no)
{
	task d = declare_task(g, a.ind, a.region, a.arm, o, no);
	connect(g, a.ind, d);
	return d;
}

/* "L7: " or nothing; the CB's name in *name. */
static void cb_label(gen *g, at a, cbk kind, char *name, size_t n)
{
	static const char *const auto_names[] = {"entry", "if", "switch", "loop", "foreach", "exit"};
	indent(g, a.ind);
	if (chance(&g->r, 80)) {
		uint32_t l = g->next_label++;
		S(g, "L%u: ", l);
		snprintf(name, n, "L%u", l);
	} else {
		snprintf(name, n, "%s%u", auto_names[kind], g->counters[kind]++);
	}
}

/* Splits budget among n arms (some may get nothing). */
static void split(gen *g, uint32_t budget, uint32_t *parts, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		parts[i] = 0;
	for (uint32_t u = 0; u < budget; u++)
		parts[below(&g->r, n)]++;
}

/* How many tasks a control block at this level holds. */
static uint32_t inner_budget(gen *g, at a, uint32_t rem)
{
	uint32_t cap = 14u >> (a.level < 4 ? a.level : 4);
	uint32_t want = range(&g->r, 0, cap + 1);
	return want < rem ? want : rem;
}

static at arm_of(at a, uint32_t node, uint32_t arm)
{
	at b = {a.ind + 1, a.level + 1, node, arm, false};
	return b;
}

/* if / else if / else */
static uint32_t gen_if(gen *g, at a, uint32_t rem, bool has_driver, task d, uint32_t tpl, bool chained)
{
	uint32_t used = 0;
	char dn[40];
	if (has_driver)
		task_name(&d, dn, sizeof dn);
	bool use_pred = has_driver && (!chained || pred_has_x(tpl)) && chance(&g->r, chained ? 500 : 1000);
	dual p = {"", ""};
	if (use_pred && !chained) {
		pred_text(g, tpl, dn, d.node, &p);
	} else if (use_pred) {
		char l[24], il[40];
		double lv = plain(&g->r, l, sizeof l, 1, 400);
		ir_num(il, sizeof il, lv);
		snprintf(p.src, sizeof p.src, "%s.x > %s", dn, l);
		snprintf(p.ir, sizeof p.ir, "(%%%u.x > %s)", d.node, il);
	}
	char ps[16];
	uint32_t pct = range(&g->r, 1, 99);
	bool is_bursty = bursty(g);
	bool then_rare = false;
	if (is_bursty) { /* a rare arm of 1-5% */
		uint32_t k = range(&g->rb, 1, 5);
		then_rare = below(&g->rb, 2);
		pct = then_rare ? k : 100 - k;
	}
	double pv = prob(g, pct, ps, sizeof ps);
	char pa[40], pb[40];
	ir_num(pa, sizeof pa, pv);
	ir_num(pb, sizeof pb, 1 - pv);

	char name[32];
	uint32_t node = g->next_node++;
	if (chained)
		snprintf(name, sizeof name, "if%u", g->counters[K_IF]++);
	else
		cb_label(g, a, K_IF, name, sizeof name);
	if (is_bursty) {
		uint32_t arms[2] = {pct, 100 - pct};
		add_burst(g, name, arms, 2, then_rare ? 0 : 1, then_rare ? 1 : 0);
	}
	if (use_pred)
		S(g, "if (%s) p %s {\n", p.src, ps);
	else
		S(g, "if p %s {\n", ps);
	I(g, "node %%%u branch \"%s\" in %%%u.%u%s%s arms (then p %s) (else p %s)\n", node, name, a.region,
	  a.arm, use_pred ? " pred " : "", p.ir, pa, pb);

	uint32_t inner = inner_budget(g, a, rem);
	uint32_t parts[2];
	split(g, inner, parts, 2);
	used += gen_block(g, arm_of(a, node, 0), parts[0]);
	indent(g, a.ind);
	if (a.level + 2 < g->max_depth && chance(&g->r, 200)) {
		S(g, "} else ");
		at e = {a.ind, a.level + 1, node, 1, false};
		used += gen_if(g, e, parts[1] + (rem - inner), has_driver, d, tpl, true);
		return used;
	}
	if (parts[1] || chance(&g->r, 300)) {
		S(g, "} else {\n");
		used += gen_block(g, arm_of(a, node, 1), parts[1]);
		indent(g, a.ind);
	}
	S(g, "}\n");
	return used;
}

static uint32_t gen_switch(gen *g, at a, uint32_t rem)
{
	uint32_t used = 0;
	bool sel = chance(&g->r, 700);
	dual s = {"", ""};
	if (sel && rem >= 1) {
		outdecl o = {"k", "i64"};
		task d = make_driver(g, a, &o, 1);
		used++;
		char dn[40];
		task_name(&d, dn, sizeof dn);
		switch (below(&g->r, 3)) {
		case 0:
			snprintf(s.src, sizeof s.src, "%s.k", dn);
			snprintf(s.ir, sizeof s.ir, "%%%u.k", d.node);
			break;
		case 1:
			snprintf(s.src, sizeof s.src, "%s.k %% 4", dn);
			snprintf(s.ir, sizeof s.ir, "(%%%u.k %% 4)", d.node);
			break;
		default:
			snprintf(s.src, sizeof s.src, "%s.k - 1", dn);
			snprintf(s.ir, sizeof s.ir, "(%%%u.k - 1)", d.node);
			break;
		}
	} else {
		sel = false;
	}
	bool dflt = chance(&g->r, 500);
	uint32_t ncases = range(&g->r, dflt ? 1 : 2, 4), narms = ncases + dflt;
	uint32_t pct[5], vals[5];
	int32_t base = (int32_t)range(&g->r, 0, 4) - 2;
	for (uint32_t i = 0; i < narms; i++)
		pct[i] = 1;
	for (uint32_t u = narms; u < 100; u++)
		pct[below(&g->r, narms)]++;
	bool is_bursty = bursty(g);
	uint32_t rare = 0, dominant = 0;
	if (is_bursty) { /* one dominant arm, the others 1-4% each */
		dominant = below(&g->rb, narms);
		uint32_t rest = 100;
		rare = NONE;
		for (uint32_t i = 0; i < narms; i++) {
			if (i == dominant)
				continue;
			pct[i] = range(&g->rb, 1, 4);
			rest -= pct[i];
			if (rare == NONE || pct[i] < pct[rare])
				rare = i;
		}
		pct[dominant] = rest;
	}
	for (uint32_t i = 0; i < ncases; i++) {
		vals[i] = (uint32_t)base;
		base += (int32_t)range(&g->r, 1, 3);
	}
	char name[32];
	uint32_t node = g->next_node++;
	cb_label(g, a, K_SWITCH, name, sizeof name);
	if (is_bursty)
		add_burst(g, name, pct, narms, rare, dominant);
	if (sel)
		S(g, "switch (%s) {\n", s.src);
	else
		S(g, "switch {\n");
	I(g, "node %%%u switch \"%s\" in %%%u.%u%s%s arms", node, name, a.region, a.arm, sel ? " pred " : "",
	  s.ir);
	char ps[5][16];
	double pv[5];
	for (uint32_t i = 0; i < narms; i++) {
		pv[i] = prob(g, pct[i], ps[i], sizeof ps[i]);
		char pi[40];
		ir_num(pi, sizeof pi, pv[i]);
		if (i < ncases)
			I(g, " (case %d p %s)", sel ? (int32_t)vals[i] : (int32_t)i, pi);
		else
			I(g, " (default p %s)", pi);
	}
	I(g, "\n");
	uint32_t inner = inner_budget(g, a, rem - used);
	uint32_t parts[5];
	split(g, inner, parts, narms);
	for (uint32_t i = 0; i < narms; i++) {
		indent(g, a.ind + 1);
		if (i == ncases)
			S(g, "default p %s {\n", ps[i]);
		else if (sel)
			S(g, "case %d p %s {\n", (int32_t)vals[i], ps[i]);
		else
			S(g, "case p %s {\n", ps[i]);
		at b = {a.ind + 2, a.level + 1, node, i, false};
		used += gen_block(g, b, parts[i]);
		indent(g, a.ind + 1);
		S(g, "}\n");
	}
	indent(g, a.ind);
	S(g, "}\n");
	return used;
}

static uint32_t gen_loop(gen *g, at a, uint32_t rem)
{
	uint32_t used = 0;
	char name[32];
	uint32_t kind = below(&g->r, 3);
	if (kind == 0) { /* counted */
		dual c;
		count_model(g, &c);
		uint32_t node = g->next_node++;
		cb_label(g, a, K_LOOP, name, sizeof name);
		S(g, "loop %s {\n", c.src);
		I(g, "node %%%u loop \"%s\" in %%%u.%u trips %s arms (body) (repeat)\n", node, name, a.region, a.arm,
		  c.ir);
		used += gen_block(g, arm_of(a, node, 0), inner_budget(g, a, rem));
	} else {
		/* while: the predicate reads a task of the body (do-while) or a driver */
		bool body_pred = kind == 1 && rem >= 1;
		dual p = {"", ""};
		task d = {0, 0, 0};
		uint32_t tpl = 0;
		if (!body_pred && rem >= 1) {
			tpl = below(&g->r, NPRED);
			outdecl o[2];
			uint32_t no = pred_outs(tpl, o);
			d = make_driver(g, a, o, no);
			used++;
			char dn[40];
			task_name(&d, dn, sizeof dn);
			pred_text(g, tpl, dn, d.node, &p);
		}
		uint32_t node = g->next_node++;
		bool left = chance(&g->r, 300);
		if (body_pred) {
			/* the body's first task: t<next_task>, node id right after the loop */
			if (left) {
				snprintf(p.src, sizeof p.src, "t%u.left > 0", g->next_task);
				snprintf(p.ir, sizeof p.ir, "(%%%u.left > 0)", node + 1);
			} else {
				snprintf(p.src, sizeof p.src, "t%u.more", g->next_task);
				snprintf(p.ir, sizeof p.ir, "%%%u.more", node + 1);
			}
		} else if (rem < 1) {
			snprintf(p.src, sizeof p.src, "false");
			snprintf(p.ir, sizeof p.ir, "false");
		}
		char ps[16], pi[40];
		uint32_t pct = range(&g->r, 5, 95);
		double pv = prob(g, pct, ps, sizeof ps);
		ir_num(pi, sizeof pi, pv);
		bool has_max = chance(&g->r, 700);
		uint32_t max = range(&g->r, 1, 20);
		char maxs[24] = "";
		if (has_max)
			snprintf(maxs, sizeof maxs, " max %u", max);
		cb_label(g, a, K_LOOP, name, sizeof name);
		S(g, "loop while (%s) p %s%s {\n", p.src, ps, maxs);
		I(g, "node %%%u loop \"%s\" in %%%u.%u while pred %s%s arms (body) (repeat p %s)\n", node, name,
		  a.region, a.arm, p.ir, maxs, pi);
		at b = arm_of(a, node, 0);
		uint32_t inner = inner_budget(g, a, rem - used);
		if (body_pred) {
			outdecl o = left ? (outdecl){"left", "i64"} : (outdecl){"more", "bool"};
			task t = declare_task(g, b.ind, node, 0, &o, 1);
			connect(g, b.ind, t);
			used++;
			if (inner)
				inner--;
		}
		used += gen_block(g, b, inner);
	}
	indent(g, a.ind);
	S(g, "}\n");
	return used;
}

static uint32_t gen_foreach(gen *g, at a, uint32_t rem)
{
	uint32_t used = 0;
	dual c;
	count_model(g, &c);
	bool of_output = rem >= 1 && chance(&g->r, 650);
	task d = {0, 0, 0};
	char dn[40] = "";
	if (of_output) {
		outdecl o = {"n", "i64"};
		d = make_driver(g, a, &o, 1);
		used++;
		task_name(&d, dn, sizeof dn);
	}
	char name[32];
	uint32_t node = g->next_node++;
	cb_label(g, a, K_FOREACH, name, sizeof name);
	if (of_output) {
		S(g, "foreach item in %s.n ~ %s {\n", dn, c.src);
		I(g, "node %%%u fork \"%s\" in %%%u.%u count %s of %%%u.n arms (item)\n", node, name, a.region, a.arm,
		  c.ir, d.node);
	} else {
		S(g, "foreach item in %s {\n", c.src);
		I(g, "node %%%u fork \"%s\" in %%%u.%u count %s arms (item)\n", node, name, a.region, a.arm, c.ir);
	}
	used += gen_block(g, arm_of(a, node, 0), inner_budget(g, a, rem - used));
	indent(g, a.ind);
	S(g, "}\n");
	return used;
}

/* An exit; the statements after it run in its 'cont' arm (*a is moved
 * there).  Returns the tasks used by its driver. */
static uint32_t gen_exit(gen *g, at *a, uint32_t rem)
{
	uint32_t used = 0;
	bool has_pred = rem >= 1 && chance(&g->r, 500);
	dual p = {"", ""};
	if (has_pred) {
		uint32_t tpl = below(&g->r, NPRED);
		outdecl o[2];
		uint32_t no = pred_outs(tpl, o);
		task d = make_driver(g, *a, o, no);
		used++;
		char dn[40];
		task_name(&d, dn, sizeof dn);
		pred_text(g, tpl, dn, d.node, &p);
	}
	char ps[16], pa[40], pb[40];
	uint32_t pct = range(&g->r, 1, 30);
	bool is_bursty = bursty(g);
	if (is_bursty) /* taken in 1-5% */
		pct = range(&g->rb, 1, 5);
	double pv = prob(g, pct, ps, sizeof ps);
	ir_num(pa, sizeof pa, pv);
	ir_num(pb, sizeof pb, 1 - pv);
	char name[32];
	uint32_t node = g->next_node++;
	cb_label(g, *a, K_EXIT, name, sizeof name);
	if (is_bursty) {
		uint32_t arms[2] = {pct, 100 - pct};
		add_burst(g, name, arms, 2, 0, 1);
	}
	if (has_pred)
		S(g, "exit if (%s) p %s;\n", p.src, ps);
	else
		S(g, "exit if p %s;\n", ps);
	I(g, "node %%%u exit \"%s\" in %%%u.%u%s%s arms (taken p %s) (cont p %s)\n", node, name, a->region, a->arm,
	  has_pred ? " pred " : "", p.ir, pa, pb);
	a->region = node;
	a->arm = 1;
	return used;
}

/* use stage(...) as s<N>; and a flow into its first task. */
static uint32_t gen_instance(gen *g, at a)
{
	rng *r = &g->r;
	uint32_t k = g->next_inst++;
	g->any_instance = true;
	char ws[40] = "1ms", ss[40] = "1KiB";
	double w = strtod("1e-3", NULL), sz = 1024;
	uint32_t form = below(r, 3);
	if (form >= 1)
		time_lit(r, ws, sizeof ws, &w);
	if (form == 2)
		size_lit(r, ss, sizeof ss, &sz);
	indent(g, a.ind);
	if (form == 0)
		S(g, "use stage as s%u;\n", k);
	else if (form == 1)
		S(g, "use stage(w = %s) as s%u;\n", ws, k);
	else
		S(g, "use stage(sz = %s, w = %s) as s%u;\n", ss, ws, k);
	char tw[48], tw4[48], tsz[48];
	owg_fmt_time(tw, sizeof tw, w);
	owg_fmt_time(tw4, sizeof tw4, w / 4);
	owg_fmt_size(tsz, sizeof tsz, sz);
	uint32_t na = g->next_node++, nb = g->next_node++, nif = g->next_node++, nc = g->next_node++;
	I(g, "node %%%u tb \"s%u.a\" in %%%u.%u ai peas %u time normal(%s, %s) out n:i64\n", na, k, a.region, a.arm,
	  g->max_peas < 2 ? g->max_peas : 2, tw, tw4);
	I(g, "node %%%u tb \"s%u.b\" in %%%u.%u general peas 1 time exponential(%s)\n", nb, k, a.region, a.arm, tw);
	I(g, "node %%%u branch \"s%u.if0\" in %%%u.%u pred (%%%u.n > 1) arms (then p 0.25) (else p 0.75)\n", nif, k,
	  a.region, a.arm, na);
	I(g, "node %%%u tb \"s%u.c\" in %%%u.0 general peas 1 time %s\n", nc, k, nif, tw);
	flow f1 = {na, nb, sz}, f2 = {na, nc, sz};
	if (g->ir) { /* flows are kept for the end of the IR only */
		PUSH(g->inst_flows, f1);
		PUSH(g->inst_flows, f2);
	}

	uint32_t s = pick_source(g, NONE);
	char sn[40], fs[48];
	double bytes;
	task_name(&g->tasks.v[s], sn, sizeof sn);
	flow_size(g, fs, sizeof fs, &bytes);
	indent(g, a.ind);
	S(g, "%s -> s%u.a : %s;\n", sn, k, fs);
	flow f = {g->tasks.v[s].node, na, bytes};
	if (g->ir)
		PUSH(g->flows, f);
	add_task(g, (task){na, k, 'a'});
	add_task(g, (task){nb, k, 'b'});
	add_task(g, (task){nc, k, 'c'});
	return 3;
}

/* A plain statement: one new task with its flows, or a chain of two. */
static uint32_t gen_plain(gen *g, at a, uint32_t rem)
{
	if (rem >= 2 && g->tasks.n > 0 && chance(&g->r, 80)) {
		task t1 = declare_task(g, a.ind, a.region, a.arm, NULL, 0);
		task t2 = declare_task(g, a.ind, a.region, a.arm, NULL, 0);
		uint32_t s = pick_source(g, NONE);
		char sn[40], fs[48];
		double bytes;
		task_name(&g->tasks.v[s], sn, sizeof sn);
		flow_size(g, fs, sizeof fs, &bytes);
		indent(g, a.ind);
		S(g, "%s -> t%u -> t%u : %s;\n", sn, t1.num, t2.num, fs);
		flow f1 = {g->tasks.v[s].node, t1.node, bytes}, f2 = {t1.node, t2.node, bytes};
		if (g->ir) {
			PUSH(g->flows, f1);
			PUSH(g->flows, f2);
		}
		add_task(g, t1);
		add_task(g, t2);
		return 2;
	}
	task t = declare_task(g, a.ind, a.region, a.arm, NULL, 0);
	connect(g, a.ind, t);
	return 1;
}

static uint32_t gen_block(gen *g, at a, uint32_t budget)
{
	uint32_t used = 0;
	bool exited = false;
	while (used < budget) {
		uint32_t rem = budget - used;
		rng *r = &g->r;
		if (a.level < g->max_depth && g->tasks.n > 0 && chance(r, g->control_permille)) {
			switch (below(r, 9)) {
			case 0:
			case 1:
			case 2: {
				bool drv = rem >= 1 && chance(r, 750);
				task d = {0, 0, 0};
				uint32_t tpl = below(r, NPRED), u = 0;
				if (drv) {
					outdecl o[2];
					uint32_t no = pred_outs(tpl, o);
					d = make_driver(g, a, o, no);
					u = 1;
				}
				used += u + gen_if(g, a, rem - u, drv, d, tpl, false);
				break;
			}
			case 3: used += gen_switch(g, a, rem); break;
			case 4:
			case 5: used += gen_loop(g, a, rem); break;
			case 6:
			case 7: used += gen_foreach(g, a, rem); break;
			default:
				/* at most 3 exits at the top level, in the last quarter:
				 * everything after one runs in its 'cont' arm */
				if (!exited && (!a.root || (g->root_exits < 3 && rem < g->want / 4))) {
					exited = !a.root;
					g->root_exits += a.root;
					used += gen_exit(g, &a, rem);
				} else {
					used += gen_plain(g, a, rem);
				}
				break;
			}
			continue;
		}
		if (rem >= 3 && g->tasks.n > 0 && g->control_permille > 0 && chance(r, 4)) {
			used += gen_instance(g, a);
			continue;
		}
		used += gen_plain(g, a, rem);
	}
	/* now and then an arm ends with a bare exit (the rest is empty) */
	if (!a.root && !exited && chance(&g->r, 15)) {
		char name[32];
		uint32_t node = g->next_node++;
		cb_label(g, a, K_EXIT, name, sizeof name);
		S(g, "exit;\n");
		I(g, "node %%%u exit \"%s\" in %%%u.%u arms (taken p 1) (cont p 0)\n", node, name, a.region, a.arm);
	}
	return used;
}

/* --- the file --- */

static const char fabric_src[] =
	"fabric chip {\n"
	"  cluster 4x4;\n"
	"  chiplet 2x2;\n"
	"  hop cluster 2ns 32GiB/s;\n"
	"  reconfig 8GiB/s;\n"
	"  control 20ns;\n"
	"  defect 3, 4;\n"
	"}\n";

static const char fabric_ir[] =
	"fabric \"chip\" cluster 4x4 chiplet 2x2 package 1x1 hop pea 1ns 64GiB/s hop cluster 2ns 32GiB/s "
	"hop chiplet 16ns 16GiB/s hop package 64ns 8GiB/s reconfig 8GiB/s control 20ns defect 3,4\n";

/* "%u": the PEAs of task a (2, or --max-peas when that is less) */
static const char stage_src[] =
	"\n"
	"// the sub-workflow instantiated by 'use stage(...) as sN'\n"
	"workflow stage {\n"
	"  param w = 1ms;\n"
	"  param sz = 1KiB;\n"
	"  task a : ai { peas %u; time normal(w, w / 4); out n: i64; }\n"
	"  task b : general { time exponential(w); }\n"
	"  a -> b : sz;\n"
	"  if (a.n > 1) p 0.25 {\n"
	"    task c : general { time w; }\n"
	"    a -> c : sz;\n"
	"  }\n"
	"}\n";

static void write_flows(gen *g, const flow *f, size_t n)
{
	char sz[48];
	for (size_t i = 0; i < n; i++) {
		owg_fmt_size(sz, sizeof sz, f[i].bytes);
		I(g, "flow %%%u -> %%%u %s\n", f[i].src, f[i].dst, sz);
	}
}

/* " --volatile F --bursty F" as given, or "" */
static void dual_args(char *buf, size_t n, const char *vol, const char *bur)
{
	buf[0] = '\0';
	if (vol)
		cat(buf, n, " --volatile %s", vol);
	if (bur)
		cat(buf, n, " --bursty %s", bur);
}

static void generate(gen *g, uint64_t seed, const char *control, const char *extra)
{
	S(g, "// owg-gen --tasks %u --seed %llu --control %s%s: %u tasks, generated\n", g->want,
	  (unsigned long long)seed, control, extra, g->want);
	S(g, "const K = 3;\nconst base = 1ms;\n\n%s\nworkflow gen {\n", fabric_src);
	if (g->want >= 2)
		S(g, "  param fsz = 2KiB;\n");
	I(g, "owgir 1\nworkflow \"gen\"\nnode %%0 entry \"entry\" arms (seq)\n");
	g->next_node = 1;
	at root = {0, 0, 0, 0, true};
	gen_block(g, root, g->want);
	S(g, "}\n");
	if (g->any_instance)
		S(g, stage_src, g->max_peas < 2 ? g->max_peas : 2);
	write_flows(g, g->flows.v, g->flows.n);
	write_flows(g, g->inst_flows.v, g->inst_flows.n);
	I(g, "%s", fabric_ir);
}

/* --- the phase file --- */

/* The rare arm's probability in the four phases, in quarters of the
 * declared one (mean 1), and the volatile tasks' time factors (mean 1);
 * each block and task starts at an index of its own. */
static const uint32_t RARE_QUARTERS[4] = {1, 1, 2, 12};
static const char *const TIME_FACTOR[4] = {"0.5", "0.75", "1.25", "1.5"};

/* A probability in basis points as the shortest exact decimal. */
static void fmt_bp(char *buf, size_t n, uint32_t bp)
{
	if (bp >= 10000) {
		snprintf(buf, n, "1");
		return;
	}
	if (bp == 0) {
		snprintf(buf, n, "0");
		return;
	}
	snprintf(buf, n, "0.%04u", bp);
	size_t len = strlen(buf);
	while (buf[len - 1] == '0')
		buf[--len] = '\0';
}

static void write_phases(const gen *g, FILE *f, uint64_t seed, const char *control, const char *extra)
{
	fprintf(f,
		"# owg-gen --tasks %u --seed %llu --control %s%s: phases for workflow 'gen'\n"
		"#\n"
		"# A non-stationary stream in four phases of 25%% of the requests each\n"
		"# (owg(5), PHASE FILES).  In every phase the rare arm of each of the\n"
		"# %zu bursty control blocks has 1/4, 1/4, 1/2 or 3 times its declared\n"
		"# probability (each block bursts in a phase of its own; its dominant arm\n"
		"# takes up the difference), and each of the %zu volatile tasks runs 0.5,\n"
		"# 0.75, 1.25 or 1.5 times as long.  Averaged over the phases every figure\n"
		"# is the declared one: a plan made from the declared figures is right on\n"
		"# average and wrong in every phase.\n",
		g->want, (unsigned long long)seed, control, extra, g->bursts.n, g->vtasks.n);
	for (uint32_t k = 0; k < 4; k++) {
		fprintf(f, "\nphase phase%u share 0.25\n", k + 1);
		for (size_t i = 0; i < g->bursts.n; i++) {
			const burst *b = &g->bursts.v[i];
			uint32_t bp[5];
			for (uint32_t a = 0; a < b->narms; a++)
				bp[a] = b->pct[a] * 100;
			uint32_t rare = bp[b->rare] * RARE_QUARTERS[(k + b->rot) % 4] / 4; /* exact: bp is a multiple of 100 */
			bp[b->dominant] = bp[b->dominant] + bp[b->rare] - rare;
			bp[b->rare] = rare;
			fprintf(f, "  prob %s", b->name);
			for (uint32_t a = 0; a < b->narms; a++) {
				char num[16];
				fmt_bp(num, sizeof num, bp[a]);
				fprintf(f, " %s", num);
			}
			fputc('\n', f);
		}
		for (size_t i = 0; i < g->vtasks.n; i++) {
			const vtask *v = &g->vtasks.v[i];
			fprintf(f, "  time t%u %s\n", v->num, TIME_FACTOR[(k + v->rot) % 4]);
		}
	}
}

static void usage(FILE *out)
{
	fputs("Usage: owg-gen --tasks N [--seed S] [--control FRACTION] [--depth D] [--format owg|owgir]\n"
	      "               [--volatile FRACTION] [--bursty FRACTION] [--phases FILE]\n"
	      "Writes a random but valid workflow of exactly N tasks to standard output.\n"
	      "  --tasks N            task blocks (1 to 100000000)\n"
	      "  --seed S             PRNG seed (default 1); the same seed gives the same file\n"
	      "  --control FRACTION   chance (0 to 1) that a statement opens a control block\n"
	      "                       (default 0.1: about one control block per ten tasks)\n"
	      "  --depth D            control blocks nest at most D deep (default 4, 0 to 50)\n"
	      "  --max-peas N         tasks demand at most N PEAs (default 64)\n"
	      "  --format owg|owgir   owg source (default) or the IR text owgc prints for it\n"
	      "  --volatile FRACTION  that share (0 to 1) of the tasks get heavy-tailed times:\n"
	      "                       lognormal with a sigma of 1 to 2 (default 0)\n"
	      "  --bursty FRACTION    that share (0 to 1) of the branches, switches and exits get\n"
	      "                       skewed probabilities: a rare arm of 1-5% (default 0)\n"
	      "  --phases FILE        also write a phase file for owgrun --phases: four phases in\n"
	      "                       which the bursty blocks' rare arms and the volatile tasks'\n"
	      "                       times shift, the declared figures on average\n"
	      "Options take their value as the next argument or after '=' (--bursty=0.3).\n",
	      out);
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || !*s || *s == '-')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t tasks = 0, seed = 1, depth = 4, max_peas = 64;
	double control = 0.1, vol = 0, bur = 0;
	const char *control_s = "0.1", *vol_s = NULL, *bur_s = NULL, *phases = NULL;
	const char *format = "owg";
	bool have_tasks = false;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		/* --name=value */
		char oname[32];
		const char *eq = strncmp(o, "--", 2) == 0 ? strchr(o, '=') : NULL;
		bool inline_value = eq && (size_t)(eq - o) < sizeof oname;
		if (inline_value) {
			memcpy(oname, o, (size_t)(eq - o));
			oname[eq - o] = '\0';
			o = oname;
			v = eq + 1;
		}
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		}
		bool ok = v != NULL;
		if (!strcmp(o, "--tasks")) {
			ok = ok && parse_u64(v, 100000000, &tasks) && tasks >= 1;
			have_tasks = true;
		} else if (!strcmp(o, "--seed")) {
			ok = ok && parse_u64(v, UINT64_MAX, &seed);
		} else if (!strcmp(o, "--depth")) {
			ok = ok && parse_u64(v, 50, &depth);
		} else if (!strcmp(o, "--max-peas")) {
			ok = ok && parse_u64(v, 1000000, &max_peas) && max_peas >= 1;
		} else if (!strcmp(o, "--control")) {
			char *end = NULL;
			if (ok)
				control = strtod(v, &end);
			ok = ok && end && !*end && *v && control >= 0 && control <= 1;
			control_s = v;
		} else if (!strcmp(o, "--format")) {
			ok = ok && (!strcmp(v, "owg") || !strcmp(v, "owgir"));
			format = v;
		} else if (!strcmp(o, "--volatile") || !strcmp(o, "--bursty")) {
			char *end = NULL;
			double f = 0;
			if (ok)
				f = strtod(v, &end);
			ok = ok && end && !*end && *v && f >= 0 && f <= 1;
			if (o[2] == 'v')
				vol = f, vol_s = v;
			else
				bur = f, bur_s = v;
		} else if (!strcmp(o, "--phases")) {
			ok = ok && *v;
			phases = v;
		} else {
			fprintf(stderr, "owg-gen: unknown option '%s'\n", o);
			usage(stderr);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "owg-gen: bad or missing value for %s\n", o);
			usage(stderr);
			return 2;
		}
		if (!inline_value)
			i++;
	}
	if (!have_tasks) {
		fprintf(stderr, "owg-gen: --tasks N is required\n");
		usage(stderr);
		return 2;
	}
	FILE *pf = NULL;
	if (phases) {
		pf = fopen(phases, "w");
		if (!pf) {
			fprintf(stderr, "owg-gen: cannot write %s: %s\n", phases, strerror(errno));
			return 1;
		}
	}
	static char buf[1 << 20];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	gen g;
	memset(&g, 0, sizeof g);
	g.max_peas = (uint32_t)max_peas;
	g.r.s = seed;
	g.want = (uint32_t)tasks;
	g.control_permille = (uint32_t)(control * 1000 + 0.5);
	g.max_depth = (uint32_t)depth;
	g.width = 1;
	g.rv.s = seed ^ 0x766f6c6174696c65ull; /* "volatile" */
	g.rb.s = seed ^ 0x6275727374790000ull; /* "bursty" */
	g.volatile_permille = (uint32_t)(vol * 1000 + 0.5);
	g.bursty_permille = (uint32_t)(bur * 1000 + 0.5);
	if (!strcmp(format, "owg"))
		g.src = stdout;
	else
		g.ir = stdout;
	char extra[96];
	dual_args(extra, sizeof extra, vol_s, bur_s);
	generate(&g, seed, control_s, extra);
	int rc = 0;
	if (pf) {
		write_phases(&g, pf, seed, control_s, extra);
		if (fclose(pf)) {
			fprintf(stderr, "owg-gen: write error on %s\n", phases);
			rc = 1;
		}
	}
	free(g.tasks.v);
	free(g.flows.v);
	free(g.inst_flows.v);
	free(g.bursts.v);
	free(g.vtasks.v);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "owg-gen: write error\n");
		return 1;
	}
	return rc;
}
