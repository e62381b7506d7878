/* owgrun.c - runs a placement binary on the fabric simulator and prints
 * what happened (DESIGN section 8's metrics): the command line, the
 * faults it asks for, the observer that feeds the outputs (owgrun_out.c)
 * and the progress bar.  Links libowgrt only. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owgrt.h"
#include "owgrt_phase.h"
#include "owgrt.h"
#include "owgrt_rng.h"
#include "owgrt_sim.h"
#include "owgrun_out.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fputs("Usage: owgrun [options] WF.owgp\n"
	      "Simulate a stream of requests of a compiled workflow on its fabric.\n"
	      "\n"
	      "Workload:\n"
	      "  --requests=N           requests to simulate (default 1000)\n"
	      "  --rate=R               open loop: Poisson arrivals, R requests per second\n"
	      "                         (default: a closed batch, every request at time 0)\n"
	      "  --seed=S               the seed of the common random numbers (default 1)\n"
	      "  --phases=FILE          a non-stationary stream: phases overriding branch\n"
	      "                         probabilities, counts and task times (owgrun(1))\n"
	      "\n"
	      "Scheduling:\n"
	      "  --policy=NAME          static (the plan's fixed binding, the default),\n"
	      "                         reactive, steal or octopus\n"
	      "  --compare              run all four policies on the same workload, one table\n"
	      "  --no-discriminate      octopus: every task elastic (no pinned tasks)\n"
	      "  --no-adaptive          octopus: first-fit FIFO dispatch in the home pool\n"
	      "  --no-proactive         octopus: no pre-configuration or pre-staging\n"
	      "  --no-diffusion         octopus: work never leaves its home cluster\n"
	      "  --reactive-threshold=X reactive: migrate a replica when its queued tasks\n"
	      "                         exceed X (default 8)\n"
	      "  --reactive-cooldown=X  reactive: at most one migration per replica per X mean\n"
	      "                         task times (default 5)\n"
	      "  --steal-hops=N         steal: look for work N mesh hops around (default 16)\n"
	      "  --diffusion-margin=X   octopus: move work to a neighbour whose load is lower\n"
	      "                         by this factor (default 0.25)\n"
	      "\n"
	      "Faults:\n"
	      "  --fail-pea=ID[@T]      PEA ID (y*width+x, or X,Y) fails at T seconds, or at\n"
	      "                         @mid: when half the requests completed (the default);\n"
	      "                         repeatable\n"
	      "  --fail-random=F[@T]    a fraction F of the usable PEAs fails, chosen from the\n"
	      "                         seed (@T as above)\n"
	      "\n"
	      "Outputs:\n"
	      "  --stats=json           the statistics as one JSON object (with --compare, an\n"
	      "                         array of one object per policy); --stats=table: the\n"
	      "                         summary table (the default)\n"
	      "  --trace=FILE           a Chrome trace-event JSON file (Perfetto,\n"
	      "                         chrome://tracing)\n"
	      "  --trace-requests=N     trace requests 0 .. N-1 only (default 1000)\n"
	      "  --heatmap=FILE         an SVG map of the fabric coloured by utilisation\n"
	      "  --profile-out=FILE     record a .owgprof profile for owgc --profile-use\n"
	      "  --progress             a progress bar on stderr (default: on a terminal)\n"
	      "  --no-progress          no progress bar\n"
	      "\n"
	      "  -h, --help             show this help\n"
	      "  --version              show the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a bad input or a failed run, 2 usage errors.\n"
	      "See owgrun(1).\n",
	      out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("owgrun: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'owgrun --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static int input_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int input_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("owgrun: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

/* ------------------------------------------------------------ parsing */

static bool parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (!*v || *end || *v == '-' || *v == '+' || *v == ' ' || errno || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

/* A finite number in [lo, hi] (no trailing text). */
static bool parse_double(const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (!*v || *end || errno || !isfinite(x) || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

/* A time: seconds, or a number with s, ms, us or ns. */
static bool parse_time(const char *v, double *out)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"", 1}};
	size_t n = strlen(v);
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		size_t k = strlen(units[i].unit);
		if (n <= k || strcmp(v + n - k, units[i].unit))
			continue;
		char num[64];
		if (n - k >= sizeof num)
			return false;
		memcpy(num, v, n - k);
		num[n - k] = 0;
		double x;
		if (!parse_double(num, 0, 1e12, &x))
			return false;
		*out = x * units[i].scale;
		return true;
	}
	return false;
}

/* A failure named on the command line; PEAs are resolved against the
 * plan's mesh once the binary is loaded. */
typedef struct fail_spec {
	const char *text;  /* the option's value, for messages */
	bool xy;           /* given as X,Y */
	uint64_t id, x, y;
	double time;
	bool at_half;
} fail_spec;

/* "@T" or "@mid" after the subject of a fault option; none: mid-run. */
static bool parse_when(const char *at, double *time, bool *at_half)
{
	*time = 0;
	*at_half = true;
	if (!at)
		return true;
	if (!strcmp(at + 1, "mid"))
		return true;
	*at_half = false;
	return parse_time(at + 1, time);
}

static bool parse_fail_pea(const char *v, fail_spec *f)
{
	memset(f, 0, sizeof *f);
	f->text = v;
	const char *at = strchr(v, '@');
	char id[64];
	size_t n = at ? (size_t)(at - v) : strlen(v);
	if (n == 0 || n >= sizeof id)
		return false;
	memcpy(id, v, n);
	id[n] = 0;
	char *comma = strchr(id, ',');
	if (comma) {
		*comma = 0;
		f->xy = true;
		if (!parse_u64(id, 0, UINT32_MAX, &f->x) || !parse_u64(comma + 1, 0, UINT32_MAX, &f->y))
			return false;
	} else if (!parse_u64(id, 0, UINT32_MAX, &f->id)) {
		return false;
	}
	return parse_when(at, &f->time, &f->at_half);
}

typedef enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF } progress_mode;

/* Everything the command line says. */
typedef struct cli {
	owgrt_sim_opts o;
	const char *input;
	bool compare, json, policy_given;
	const char *trace_path, *heat_path, *profile_path, *phases_path;
	uint64_t trace_requests;
	progress_mode progress;
	fail_spec *fails;
	size_t nfails;
	bool fail_random;
	const char *random_text;
	double random_frac, random_time;
	bool random_at_half;
} cli;

/* The value of `--name=` in a, or NULL when a is another option. */
static const char *value_of(const char *a, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(a, name, n) && a[n] == '=' ? a + n + 1 : NULL;
}

static int opt_policy(cli *c, const char *v)
{
	if (!owgrt_policy_parse(v, &c->o.policy))
		return usage_error("unknown --policy '%s' (expected static, reactive, steal or octopus)", v);
	c->policy_given = true;
	return 0;
}

static int opt_stats(cli *c, const char *v)
{
	if (strcmp(v, "json") && strcmp(v, "table"))
		return usage_error("--stats takes json or table, not '%s'", v);
	c->json = !strcmp(v, "json");
	return 0;
}

static int opt_fail_pea(cli *c, const char *v)
{
	fail_spec f;
	if (!parse_fail_pea(v, &f))
		return usage_error("--fail-pea takes a PEA id or X,Y, optionally followed by @SECONDS or @mid, "
				   "as in 17, 3,4@0.5 or 17@mid; not '%s'", v);
	fail_spec *n = realloc(c->fails, (c->nfails + 1) * sizeof *n);
	if (!n)
		return input_error("out of memory");
	c->fails = n;
	c->fails[c->nfails++] = f;
	return 0;
}

static int opt_fail_random(cli *c, const char *v)
{
	const char *at = strchr(v, '@');
	char num[64];
	size_t n = at ? (size_t)(at - v) : strlen(v);
	if (c->fail_random)
		return usage_error("--fail-random given twice ('%s' and '%s')", c->random_text, v);
	bool ok = n > 0 && n < sizeof num;
	if (ok) {
		memcpy(num, v, n);
		num[n] = 0;
		ok = parse_double(num, 0, 1, &c->random_frac) && parse_when(at, &c->random_time, &c->random_at_half);
	}
	if (!ok)
		return usage_error("--fail-random takes a fraction from 0 to 1 of the usable PEAs, optionally "
				   "followed by @SECONDS or @mid, as in 0.05@mid; not '%s'", v);
	c->fail_random = true;
	c->random_text = v;
	return 0;
}

/* The workload's numbers, and the trace's. */
static int opt_number(cli *c, const char *a, bool *matched)
{
	const char *v;
	*matched = true;
	if ((v = value_of(a, "--requests"))) {
		if (!parse_u64(v, 1, UINT32_MAX, &c->o.requests))
			return usage_error("--requests needs a number from 1 to 4294967295, not '%s'", v);
	} else if ((v = value_of(a, "--rate"))) {
		if (!parse_double(v, 0, 1e15, &c->o.rate) || !(c->o.rate > 0))
			return usage_error("--rate needs a positive number of requests per second, not '%s'", v);
	} else if ((v = value_of(a, "--seed"))) {
		if (!parse_u64(v, 0, UINT64_MAX, &c->o.seed))
			return usage_error("--seed needs a number from 0 to 2^64-1, not '%s'", v);
	} else if ((v = value_of(a, "--trace-requests"))) {
		if (!parse_u64(v, 1, UINT32_MAX, &c->trace_requests))
			return usage_error("--trace-requests needs a number from 1 to 4294967295, not '%s'", v);
	} else {
		*matched = false;
	}
	return 0;
}

/* The baselines' and octopus' tuning. */
static int opt_tuning(cli *c, const char *a, bool *matched)
{
	const char *v;
	*matched = true;
	owgrt_tuning *t = &c->o.tuning;
	if ((v = value_of(a, "--reactive-threshold"))) {
		if (!parse_double(v, 0, 1e9, &t->reactive_threshold))
			return usage_error("--reactive-threshold needs a number of queued tasks per replica "
					   "from 0 to 1e9, not '%s'", v);
	} else if ((v = value_of(a, "--reactive-cooldown"))) {
		if (!parse_double(v, 0, 1e9, &t->reactive_cooldown))
			return usage_error("--reactive-cooldown needs a number of mean task times from 0 to 1e9, "
					   "not '%s'", v);
	} else if ((v = value_of(a, "--steal-hops"))) {
		uint64_t k;
		if (!parse_u64(v, 1, 16, &k))
			return usage_error("--steal-hops needs a number of mesh hops from 1 to 16, not '%s'", v);
		t->steal_hops = (uint32_t)k;
	} else if ((v = value_of(a, "--diffusion-margin"))) {
		if (!parse_double(v, 0, 1, &t->diffusion_margin))
			return usage_error("--diffusion-margin needs a fraction from 0 to 1, not '%s'", v);
	} else {
		*matched = false;
	}
	return 0;
}

/* A file option: the path must not be empty. */
static int opt_path(const char *name, const char *v, const char **out)
{
	if (!*v)
		return usage_error("%s needs a file name (%s=FILE)", name, name);
	*out = v;
	return 0;
}

static int opt_value(cli *c, const char *a, bool *matched)
{
	const char *v;
	*matched = true;
	if ((v = value_of(a, "--policy")))
		return opt_policy(c, v);
	if ((v = value_of(a, "--stats")))
		return opt_stats(c, v);
	if ((v = value_of(a, "--fail-pea")))
		return opt_fail_pea(c, v);
	if ((v = value_of(a, "--fail-random")))
		return opt_fail_random(c, v);
	if ((v = value_of(a, "--trace")))
		return opt_path("--trace", v, &c->trace_path);
	if ((v = value_of(a, "--heatmap")))
		return opt_path("--heatmap", v, &c->heat_path);
	if ((v = value_of(a, "--profile-out")))
		return opt_path("--profile-out", v, &c->profile_path);
	if ((v = value_of(a, "--phases")))
		return opt_path("--phases", v, &c->phases_path);
	int rc = opt_number(c, a, matched);
	return rc || *matched ? rc : opt_tuning(c, a, matched);
}

static bool opt_flag(cli *c, const char *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} ablate[] = {{"--no-discriminate", OWGRT_OCTO_DISCRIMINATE},
		      {"--no-adaptive", OWGRT_OCTO_ADAPTIVE},
		      {"--no-proactive", OWGRT_OCTO_PROACTIVE},
		      {"--no-diffusion", OWGRT_OCTO_DIFFUSION}};
	for (size_t i = 0; i < sizeof ablate / sizeof *ablate; i++)
		if (!strcmp(a, ablate[i].name)) {
			c->o.octopus &= ~ablate[i].bit;
			return true;
		}
	if (!strcmp(a, "--compare"))
		c->compare = true;
	else if (!strcmp(a, "--progress"))
		c->progress = PROGRESS_ON;
	else if (!strcmp(a, "--no-progress"))
		c->progress = PROGRESS_OFF;
	else
		return false;
	return true;
}

/* The options that need a value, to tell "--trace" from an unknown one. */
static bool needs_value(const char *a)
{
	static const char *const names[] = {
		"--requests", "--rate", "--seed", "--policy", "--stats", "--fail-pea", "--fail-random", "--trace",
		"--heatmap", "--profile-out", "--phases", "--trace-requests", "--reactive-threshold",
		"--reactive-cooldown", "--steal-hops", "--diffusion-margin"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(a, names[i]))
			return true;
	return false;
}

/* Options that make sense together only. */
static int check_cli(const cli *c)
{
	if (!c->input)
		return usage_error("no input: give a placement binary written by owgc");
	const char *paths[] = {c->trace_path, c->heat_path, c->profile_path}, *names[] = {"--trace", "--heatmap",
											"--profile-out"};
	const char *dash = NULL;
	for (size_t i = 0; i < 3; i++)
		if (paths[i] && !strcmp(paths[i], "-")) {
			if (dash)
				return usage_error("%s=- and %s=- cannot both write to standard output", dash, names[i]);
			dash = names[i];
		}
	if (!c->compare)
		return 0;
	if (c->policy_given)
		return usage_error("--compare runs every policy: drop --policy");
	const char *one = c->trace_path ? "--trace" : c->heat_path ? "--heatmap" : c->profile_path ? "--profile-out" : NULL;
	if (one)
		return usage_error("%s records one run: use it with --policy, not with --compare", one);
	return 0;
}

/* 0, or the exit status (after -h/--version: -1, success). */
static int parse_cli(int argc, char **argv, cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool matched;
		int rc = opt_value(c, a, &matched);
		if (rc)
			return rc;
		if (matched || opt_flag(c, a))
			continue;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return -1;
		}
		if (!strcmp(a, "--version")) {
			printf("owgrun %s\n", PACKAGE_VERSION);
			return -1;
		}
		if (needs_value(a))
			return usage_error("%s needs a value (%s=...)", a, a);
		if (a[0] == '-' && a[1])
			return usage_error("unknown option '%s'", a);
		if (c->input)
			return usage_error("more than one input ('%s' and '%s')", c->input, a);
		c->input = a;
	}
	return check_cli(c);
}

/* ------------------------------------------------------------- faults */

/* Per PEA of the plan's mesh: a defect of the fabric, or set to fail. */
enum { MARK_FREE, MARK_DEFECT, MARK_FAILING };

static unsigned char *mark_defects(const owgrt_program *p, uint64_t npeas)
{
	unsigned char *mark = calloc(npeas + 1, 1);
	const owgrt_fabric *f = p->plan->fabric;
	for (uint32_t i = 0; mark && i < f->ndefects; i++)
		if (f->defects[i].x < p->plan->width && f->defects[i].y < p->plan->height)
			mark[(uint64_t)f->defects[i].y * p->plan->width + f->defects[i].x] = MARK_DEFECT;
	return mark;
}

/* The PEA a --fail-pea names, checked against the mesh; 0 or the exit status. */
static int fail_pea_id(const fail_spec *s, const owgrt_program *p, const unsigned char *mark, uint32_t *out)
{
	uint32_t w = p->plan->width, h = p->plan->height;
	const char *fab = p->plan->fabric->name;
	if (s->xy && (s->x >= w || s->y >= h))
		return usage_error("--fail-pea=%s: (%llu,%llu) is outside the %ux%u mesh of fabric %s", s->text,
				   (unsigned long long)s->x, (unsigned long long)s->y, (unsigned)w, (unsigned)h, fab);
	uint64_t id = s->xy ? s->y * w + s->x : s->id;
	if (id >= (uint64_t)w * h)
		return usage_error("--fail-pea=%s: PEA %llu is outside the %ux%u mesh of fabric %s (PEAs 0 to %llu)",
				   s->text, (unsigned long long)id, (unsigned)w, (unsigned)h, fab,
				   (unsigned long long)w * h - 1);
	if (mark[id] == MARK_DEFECT)
		return usage_error("--fail-pea=%s: PEA %llu (%llu,%llu) is a defect of fabric %s: it runs nothing",
				   s->text, (unsigned long long)id, (unsigned long long)(id % w),
				   (unsigned long long)(id / w), fab);
	if (mark[id] == MARK_FAILING)
		return usage_error("--fail-pea=%s: PEA %llu (%llu,%llu) is already set to fail", s->text,
				   (unsigned long long)id, (unsigned long long)(id % w), (unsigned long long)(id / w));
	*out = (uint32_t)id;
	return 0;
}

static int cmp_fault(const void *a, const void *b)
{
	uint32_t x = ((const owgrt_fault *)a)->pea, y = ((const owgrt_fault *)b)->pea;
	return (x > y) - (x < y);
}

/* --fail-random: a fraction of the usable PEAs, drawn from the seed's own
 * stream (request UINT64_MAX: no request has it), so that the choice
 * repeats with the seed and does not disturb the workload's numbers. */
static uint32_t fail_random(const cli *c, const unsigned char *mark, uint64_t npeas, owgrt_fault *out)
{
	uint64_t usable = 0, ncand = 0;
	uint32_t *cand = malloc((npeas + 1) * sizeof *cand);
	if (!cand)
		return UINT32_MAX;
	for (uint64_t i = 0; i < npeas; i++) {
		usable += mark[i] != MARK_DEFECT;
		if (mark[i] == MARK_FREE)
			cand[ncand++] = (uint32_t)i;
	}
	uint64_t k = (uint64_t)llround(c->random_frac * (double)usable);
	k = k > ncand ? ncand : k;
	if (k == 0 && c->random_frac > 0)
		fprintf(stderr, "owgrun: warning: --fail-random=%s fails no PEA: %g of %llu usable PEAs rounds to 0\n",
			c->random_text, c->random_frac * (double)usable, (unsigned long long)usable);
	owgrt_rng rng;
	owgrt_rng_stream(&rng, c->o.seed, UINT64_MAX, 0, 0);
	for (uint64_t i = 0; i < k; i++) { /* a partial Fisher-Yates shuffle */
		uint64_t j = i + owgrt_rng_below(&rng, ncand - i);
		uint32_t t = cand[i];
		cand[i] = cand[j];
		cand[j] = t;
		out[i] = (owgrt_fault){cand[i], c->random_time, c->random_at_half};
	}
	free(cand);
	qsort(out, k, sizeof *out, cmp_fault);
	return (uint32_t)k;
}

/* Fills c->o.faults from --fail-pea and --fail-random: 0 or the exit status. */
static int resolve_faults(cli *c, const owgrt_program *p, owgrt_fault **faults)
{
	*faults = NULL;
	if (!c->nfails && !c->fail_random)
		return 0;
	uint64_t npeas = (uint64_t)p->plan->width * p->plan->height;
	unsigned char *mark = mark_defects(p, npeas);
	owgrt_fault *v = calloc(c->nfails + (c->fail_random ? npeas : 0) + 1, sizeof *v);
	if (!mark || !v) {
		free(mark);
		free(v);
		return input_error("out of memory");
	}
	int rc = 0;
	uint32_t n = 0;
	for (size_t i = 0; i < c->nfails && !rc; i++) {
		uint32_t pea = 0;
		rc = fail_pea_id(&c->fails[i], p, mark, &pea);
		if (!rc) {
			mark[pea] = MARK_FAILING;
			v[n++] = (owgrt_fault){pea, c->fails[i].time, c->fails[i].at_half};
		}
	}
	if (!rc && c->fail_random) {
		uint32_t k = fail_random(c, mark, npeas, v + n);
		rc = k == UINT32_MAX ? input_error("out of memory") : 0;
		n += rc ? 0 : k;
	}
	free(mark);
	if (rc) {
		free(v);
		return rc;
	}
	*faults = v;
	c->o.faults = v;
	c->o.nfaults = n;
	return 0;
}

/* ------------------------------------------------------- progress bar */

typedef struct progress {
	bool on;
	const char *label; /* the policy */
	int shown;         /* the percentage on screen, -1: nothing drawn */
	int width;         /* characters drawn */
} progress;

static void progress_draw(progress *b, uint64_t done, uint64_t total)
{
	int pct = total ? (int)(done * 100 / total) : 100;
	if (!b->on || pct == b->shown)
		return;
	enum { BAR = 30 };
	char bar[BAR + 1];
	int fill = pct * BAR / 100;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '-', (size_t)(BAR - fill));
	bar[BAR] = 0;
	int n = fprintf(stderr, "\rowgrun: %s [%s] %3d%% %llu/%llu requests", b->label, bar, pct,
			(unsigned long long)done, (unsigned long long)total);
	fflush(stderr);
	b->width = n > b->width ? n : b->width;
	b->shown = pct;
}

/* Leaves the terminal line as it was. */
static void progress_clear(progress *b)
{
	if (b->on && b->shown >= 0)
		fprintf(stderr, "\r%*s\r", b->width, "");
	fflush(stderr);
	b->shown = -1;
	b->width = 0;
}

/* ----------------------------------------------------------- observer */

/* Where the observer's events go (each NULL when not asked for). */
typedef struct sinks {
	uint64_t seed;
	owgrun_trace *trace;
	owgrun_heat *heat;
	owgrt_profile *prof;
	int prof_status; /* the first recording error */
	uint32_t prof_node; /* and its node */
	progress *bar;
	const owgrt_program *p;
} sinks;

static void prof_note(sinks *s, int status, uint32_t node)
{
	if (status != OWGRT_OK && s->prof_status == OWGRT_OK) {
		s->prof_status = status;
		s->prof_node = node;
	}
}

static void on_task(void *ctx, uint32_t req, uint32_t node, uint32_t exec, const uint32_t *peas, uint32_t npeas,
		    double bound, double start, double end, bool lost)
{
	sinks *s = ctx;
	if (s->trace)
		owgrun_trace_task(s->trace, req, node, exec, peas, npeas, bound, start, end, lost);
	if (s->heat)
		owgrun_heat_busy(s->heat, peas, npeas, start, end);
	if (s->prof && !lost)
		prof_note(s, owgrt_profile_time(s->prof, node, end - start, owgrt_profile_key(s->seed, req, node, exec)), node);
}

static void on_control(void *ctx, uint32_t req, uint32_t node, uint32_t exec, uint64_t outcome, double t)
{
	sinks *s = ctx;
	if (s->trace)
		owgrun_trace_control(s->trace, req, node, exec, outcome, t);
	if (!s->prof || node >= s->p->nnodes)
		return;
	owgrt_cb_kind k = s->p->nodes[node].cb_kind;
	if (k == OWGRT_CB_LOOP || k == OWGRT_CB_FORK)
		prof_note(s, owgrt_profile_items(s->prof, node, outcome), node);
	else if (k != OWGRT_CB_ENTRY)
		prof_note(s, owgrt_profile_arm(s->prof, node, outcome > OWGRT_NONE ? OWGRT_NONE : (uint32_t)outcome),
			  node);
}

static void on_request(void *ctx, uint32_t req, double arrival, double finish, const uint32_t *execs)
{
	sinks *s = ctx;
	if (s->trace)
		owgrun_trace_request(s->trace, req, arrival, finish);
	if (s->prof)
		prof_note(s, owgrt_profile_request(s->prof, execs), 0);
}

static void on_migrate(void *ctx, uint32_t node, uint32_t from, uint32_t to, double t)
{
	sinks *s = ctx;
	if (s->trace)
		owgrun_trace_migrate(s->trace, node, from, to, t);
}

static void on_fail(void *ctx, uint32_t pea, double t)
{
	sinks *s = ctx;
	if (s->trace)
		owgrun_trace_fail(s->trace, pea, t);
	if (s->heat)
		owgrun_heat_fail(s->heat, pea);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	progress_draw(((sinks *)ctx)->bar, done, total);
}

/* Only the callbacks some output needs: the task callback runs once per
 * task execution, millions of times in a long run. */
static const owgrt_sim_observer *observer_for(sinks *s, owgrt_sim_observer *ob)
{
	memset(ob, 0, sizeof *ob);
	ob->ctx = s;
	bool any = s->trace || s->heat || s->prof;
	ob->task = any ? on_task : NULL;
	ob->control = s->trace || s->prof ? on_control : NULL;
	ob->request = s->trace || s->prof ? on_request : NULL;
	ob->migrate = s->trace ? on_migrate : NULL;
	ob->fail = s->trace || s->heat ? on_fail : NULL;
	ob->progress = s->bar->on ? on_progress : NULL;
	return any || s->bar->on ? ob : NULL;
}

static void simulate(const cli *c, const owgrt_program *p, owgrt_policy pol, sinks *s, owgrun_run *r)
{
	owgrt_sim_opts o = c->o;
	owgrt_sim_observer ob;
	o.policy = pol;
	o.observer = observer_for(s, &ob);
	memset(r, 0, sizeof *r);
	r->policy = pol;
	s->bar->label = owgrt_policy_name(pol);
	r->ok = owgrt_simulate(p, &o, &r->st, r->err, sizeof r->err) == OWGRT_OK;
	progress_clear(s->bar);
}

/* ------------------------------------------------------------ outputs */

/* The statistics of one run, or of the comparison, on f. */
static void print_stats(const cli *c, FILE *f, const owgrun_setup *setup, const owgrun_run *runs, size_t n)
{
	if (!c->json) {
		if (c->compare)
			owgrun_print_compare(f, setup, runs, n);
		else
			owgrun_print_summary(f, setup, &runs[0]);
		return;
	}
	if (!c->compare) {
		owgrun_print_json(f, setup, &runs[0], 0);
		fputc('\n', f);
		return;
	}
	double base = 0;
	for (size_t i = 0; i < n; i++)
		if (runs[i].ok && runs[i].policy == OWGRT_POLICY_STATIC)
			base = runs[i].st.makespan;
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n " : "", f);
		owgrun_print_json(f, setup, &runs[i], base);
	}
	fputs("]\n", f);
}

static int write_heatmap(const cli *c, const owgrun_heat *h, const owgrun_setup *s, const owgrun_run *r)
{
	owgrun_file out;
	char err[512];
	FILE *f = owgrun_file_open(&out, c->heat_path, err, sizeof err);
	if (!f)
		return input_error("cannot write the heat map: %s", err);
	owgrun_heat_write(f, h, s, r);
	if (!owgrun_file_commit(&out, err, sizeof err))
		return input_error("cannot write the heat map: %s", err);
	return 0;
}

static int write_profile(const cli *c, const sinks *s)
{
	char err[512];
	if (s->prof_status != OWGRT_OK)
		return input_error("cannot record the profile: an event of '%s' was refused (%s)",
				   s->p->nodes[s->prof_node].name, owgrt_strerror(s->prof_status));
	if (strcmp(c->profile_path, "-")) {
		if (owgrt_profile_write_file(s->prof, c->profile_path, err, sizeof err) != OWGRT_OK)
			return input_error("cannot write the profile: %s", err);
		return 0;
	}
	char *text;
	size_t len;
	if (owgrt_profile_text(s->prof, &text, &len) != OWGRT_OK)
		return input_error("cannot write the profile: out of memory");
	bool ok = fwrite(text, 1, len, stdout) == len;
	free(text);
	return ok ? 0 : input_error("cannot write the profile to standard output");
}

/* ---------------------------------------------------------------- runs */

/* What the outputs of one run hold while it runs. */
typedef struct outputs {
	owgrun_file trace_file;
	sinks s;
} outputs;

static int open_outputs(const cli *c, const owgrun_setup *setup, outputs *out)
{
	char err[512];
	if (c->trace_path) {
		FILE *f = owgrun_file_open(&out->trace_file, c->trace_path, err, sizeof err);
		if (!f)
			return input_error("cannot write the trace: %s", err);
		out->s.trace = owgrun_trace_new(setup, f, c->trace_requests);
		if (!out->s.trace)
			return input_error("out of memory");
	}
	if (c->heat_path && !(out->s.heat = owgrun_heat_new(setup->p)))
		return input_error("out of memory");
	if (c->profile_path && !(out->s.prof = owgrt_profile_new(setup->p)))
		return input_error("out of memory");
	return 0;
}

static void close_outputs(outputs *out)
{
	owgrun_trace_free(out->s.trace);
	owgrun_file_abort(&out->trace_file);
	owgrun_heat_free(out->s.heat);
	owgrt_profile_free(out->s.prof);
}

/* After a successful run: the files, then the statistics. */
static int finish_outputs(const cli *c, const owgrun_setup *setup, outputs *out, const owgrun_run *r)
{
	char err[512];
	int rc = 0;
	if (out->s.trace) {
		if (!owgrun_trace_finish(out->s.trace))
			return input_error("out of memory");
		if (!owgrun_file_commit(&out->trace_file, err, sizeof err))
			rc = input_error("cannot write the trace: %s", err);
	}
	if (!rc && out->s.heat)
		rc = write_heatmap(c, out->s.heat, setup, r);
	if (!rc && out->s.prof)
		rc = write_profile(c, &out->s);
	return rc;
}

/* Where the statistics go: standard output, unless a file output took it. */
static FILE *stats_stream(const cli *c)
{
	const char *paths[] = {c->trace_path, c->heat_path, c->profile_path};
	for (size_t i = 0; i < 3; i++)
		if (paths[i] && !strcmp(paths[i], "-"))
			return stderr;
	return stdout;
}

static int run_one(const cli *c, const owgrt_program *p, const owgrun_setup *setup, progress *bar)
{
	outputs out;
	memset(&out, 0, sizeof out);
	out.s.seed = c->o.seed;
	out.s.bar = bar;
	out.s.p = p;
	int rc = open_outputs(c, setup, &out);
	owgrun_run r;
	if (!rc) {
		simulate(c, p, c->o.policy, &out.s, &r);
		if (!r.ok)
			rc = input_error("%s: %s", c->input, r.err);
	}
	if (!rc)
		rc = finish_outputs(c, setup, &out, &r);
	if (!rc)
		print_stats(c, stats_stream(c), setup, &r, 1);
	close_outputs(&out);
	return rc;
}

/* Every policy on the same workload; a policy the library refuses is
 * reported and left out of the table, and the exit status says so. */
static int run_compare(const cli *c, const owgrt_program *p, const owgrun_setup *setup, progress *bar)
{
	owgrun_run runs[OWGRT_POLICIES];
	sinks s = {.seed = c->o.seed, .prof_status = OWGRT_OK, .bar = bar, .p = p};
	int rc = 0;
	for (int i = 0; i < OWGRT_POLICIES; i++) {
		simulate(c, p, (owgrt_policy)i, &s, &runs[i]);
		if (!runs[i].ok)
			rc = input_error("%s: policy %s: %s", c->input, owgrt_policy_name((owgrt_policy)i), runs[i].err);
	}
	print_stats(c, stdout, setup, runs, OWGRT_POLICIES);
	return rc;
}

static int load_inputs(cli *c, owgrt_program **p, owgrt_phases **ph, owgrt_fault **faults)
{
	char err[512];
	if (owgrt_load_file(c->input, p, err, sizeof err) != OWGRT_OK)
		return input_error("%s", err);
	if (!(*p)->plan)
		return input_error("%s: the program has no placement: compile it with owgc (which writes one by default)",
				   c->input);
	int rc = resolve_faults(c, *p, faults);
	if (rc)
		return rc;
	if (c->phases_path) {
		if (owgrt_phases_load_file(*p, c->phases_path, ph, err, sizeof err) != OWGRT_OK)
			return input_error("%s", err);
		c->o.phases = *ph;
	}
	return 0;
}

int main(int argc, char **argv)
{
	cli c;
	memset(&c, 0, sizeof c);
	owgrt_sim_opts_init(&c.o);
	c.trace_requests = 1000;
	int rc = parse_cli(argc, argv, &c);
	if (rc) {
		free(c.fails);
		return rc < 0 ? EXIT_SUCCESS : rc;
	}
	owgrt_program *p = NULL;
	owgrt_phases *ph = NULL;
	owgrt_fault *faults = NULL;
	rc = load_inputs(&c, &p, &ph, &faults);
	if (!rc) {
		progress bar = {c.progress == PROGRESS_ON || (c.progress == PROGRESS_AUTO && isatty(STDERR_FILENO)), "",
				-1, 0};
		owgrun_setup setup = {p, &c.o, c.phases_path, ph};
		rc = c.compare ? run_compare(&c, p, &setup, &bar) : run_one(&c, p, &setup, &bar);
	}
	if (fflush(stdout) != 0 && !rc)
		rc = input_error("cannot write to standard output: %s", strerror(errno));
	owgrt_phases_free(ph);
	free(faults);
	free(c.fails);
	owgrt_program_free(p);
	return rc;
}
