/* owgprof.c - the profile tool (llvm-profdata is the model): merges the
 * .owgprof files of one workflow and shows what a profile measured. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "diag.h"
#include "frontend.h"
#include "ir.h"
#include "pass.h"
#include "profile.h"
#include "walk.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct options {
	const char *command;
	OWG_VEC(const char *) inputs;
	const char *output;
	const char *workflow_ir;
	uint64_t requests, seed; /* sample */
} options;

static void usage(FILE *out)
{
	fputs("Usage: owgprof merge FILE... -o OUT\n"
	      "       owgprof show FILE [--workflow-ir=WF.owgir]\n"
	      "       owgprof sample WF.owg [--requests=N] [--seed=S] -o OUT\n"
	      "Merge and inspect profiles (.owgprof) of orchestrated AI workflows.\n"
	      "\n"
	      "Commands:\n"
	      "  merge FILE... -o OUT  merge the profiles of one workflow into OUT\n"
	      "                        ('-' is standard output); they must all have\n"
	      "                        the same shape (structure) hash\n"
	      "  show FILE             print per task the runs, the executions per request\n"
	      "                        and the sampled times, per control block its outcomes\n"
	      "  sample WF             the profile of N requests drawn from the workflow's\n"
	      "                        declared models (.owg or .owgir): a baseline, or a\n"
	      "                        stand-in until a run records a real one\n"
	      "\n"
	      "Options:\n"
	      "  -o FILE, --output=FILE  where merge writes (written atomically)\n"
	      "  --requests=N            sample: requests to draw (default 10000)\n"
	      "  --seed=S                sample: the seed (default 1); same seed, same bytes\n"
	      "  --workflow-ir=FILE      show: check the profile against this workflow\n"
	      "                          (OWG IR text, owgc --emit=ir) and add its declared times\n"
	      "  -h, --help              show this help\n"
	      "  --version               show the version\n"
	      "\n"
	      "Exit status: 0 success, 1 bad input, 2 usage errors.\n"
	      "See owgprof(1).\n",
	      out);
}

static int usage_error(const char *fmt, const char *arg, const char *hint)
{
	fputs("owgprof: error: ", stderr);
	fprintf(stderr, fmt, arg);
	if (hint)
		fprintf(stderr, "; did you mean '%s'?", hint);
	fputs("\nTry 'owgprof --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static const char *opt_value(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) ? NULL : arg + n;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, options *o)
{
	static const char *const commands[] = {"merge", "show", "sample"};
	static const char *const long_opts[] = {"--output", "--workflow-ir", "--help", "--version", "--requests",
						"--seed"};
	const char *v;
	bool only_files = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || !a[1]) {
			if (!o->command) {
				if (strcmp(a, "merge") && strcmp(a, "show") && strcmp(a, "sample"))
					return usage_error("unknown command '%s' (known: merge, show, sample)", a,
							   owg_suggest(a, commands, 3));
				o->command = a;
			} else {
				OWG_VEC_PUSH(o->inputs, a);
			}
		} else if (!strcmp(a, "--")) {
			only_files = true;
		} else if (!strcmp(a, "-o")) {
			if (i + 1 == argc)
				return usage_error("option '%s' needs an argument", a, NULL);
			o->output = argv[++i];
		} else if (!strncmp(a, "-o", 2)) {
			o->output = a + 2;
		} else if ((v = opt_value(a, "--output="))) {
			o->output = v;
		} else if ((v = opt_value(a, "--workflow-ir="))) {
			o->workflow_ir = v;
		} else if ((v = opt_value(a, "--requests=")) || (v = opt_value(a, "--seed="))) {
			char *end;
			errno = 0;
			unsigned long long x = strtoull(v, &end, 10);
			bool req = a[2] == 'r';
			if (!*v || *end || *v == '-' || errno || (req && (x < 1 || x > 1000000000)))
				return usage_error(req ? "--requests needs a number from 1 to 1000000000, not '%s'"
						       : "--seed needs a number from 0 to 2^64-1, not '%s'", v, NULL);
			*(req ? &o->requests : &o->seed) = x;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else if (!strcmp(a, "--version")) {
			printf("owgprof %s (profile format version %d)\n", PACKAGE_VERSION,
			       OWG_PROF_VERSION);
			return EXIT_SUCCESS;
		} else {
			char key[64];
			snprintf(key, sizeof key, "%.*s", (int)strcspn(a, "="), a);
			return usage_error("unknown option '%s'", a, owg_suggest(key, long_opts, 6));
		}
	}
	if (!o->command)
		return usage_error("%s", "no command (merge, show or sample)", NULL);
	bool merge = !strcmp(o->command, "merge");
	if (!strcmp(o->command, "sample")) {
		if (o->inputs.n != 1)
			return usage_error("%s", "sample reads one workflow", NULL);
		if (!o->output)
			return usage_error("%s", "sample needs an output: -o FILE ('-' for standard output)", NULL);
		return -1;
	}
	if (o->requests || o->seed)
		return usage_error("%s", "--requests and --seed are options of sample", NULL);
	if (o->inputs.n == 0)
		return usage_error("%s needs a profile to read", o->command, NULL);
	if (merge && !o->output)
		return usage_error("%s", "merge needs an output: -o FILE ('-' for standard output)", NULL);
	if (merge && o->workflow_ir)
		return usage_error("%s", "--workflow-ir is an option of show, not of merge", NULL);
	if (!merge && o->inputs.n > 1)
		return usage_error("show reads one profile, not also '%s'", o->inputs.v[1], NULL);
	if (!merge && o->output)
		return usage_error("%s", "show writes to standard output; -o is an option of merge", NULL);
	return -1;
}

/* Reads one file into the source manager; NULL after an error message. */
static const owg_source *load(owg_srcmgr *sm, const char *path, uint32_t *file)
{
	const char *why = NULL;
	*file = owg_src_load(sm, path, &why);
	if (*file == OWG_NOFILE) {
		fprintf(stderr, "owgprof: error: cannot read '%s': %s\n", path, why ? why : "unknown error");
		return NULL;
	}
	return owg_src_get(sm, *file);
}

static owg_profile *read_profile(owg_srcmgr *sm, owg_diag *diag, const char *path)
{
	uint32_t file;
	const owg_source *src = load(sm, path, &file);
	return src ? owg_prof_read(src->text, src->len, file, diag) : NULL;
}

/* Writes p to path atomically; false after an error message. */
static bool write_file(const owg_profile *p, const char *path)
{
	owg_atomic_file af;
	const char *why = NULL;
	FILE *out = owg_atomic_open(&af, path, &why);
	if (out) {
		if (!owg_prof_write(p, out)) {
			owg_atomic_abort(&af);
			why = "write error";
			out = NULL;
		} else if (!owg_atomic_commit(&af, &why)) {
			out = NULL;
		}
	}
	if (!out)
		fprintf(stderr, "owgprof: error: cannot write '%s': %s\n", path, why);
	return out != NULL;
}

static int cmd_merge(const options *o, owg_srcmgr *sm, owg_diag *diag)
{
	owg_profile **ps = owg_xcalloc(o->inputs.n, sizeof *ps);
	bool ok = true;
	for (size_t i = 0; i < o->inputs.n; i++) /* all of them, to report every error */
		ok = (ps[i] = read_profile(sm, diag, o->inputs.v[i])) != NULL && ok;
	owg_profile *acc = NULL;
	if (ok) {
		acc = ps[0];
		ps[0] = NULL;
		for (size_t i = 1; i < o->inputs.n && acc; i++) {
			owg_profile *m = owg_prof_merge(acc, ps[i], diag);
			owg_prof_free(acc);
			acc = m;
		}
		ok = acc != NULL;
	}
	if (ok)
		ok = write_file(acc, o->output);
	owg_prof_free(acc);
	for (size_t i = 0; i < o->inputs.n; i++)
		owg_prof_free(ps[i]);
	free(ps);
	return ok ? EXIT_SUCCESS : EXIT_INPUT;
}

/* --- show --- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least q of them at or below. */
static double quantile(const double *sorted, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);
	return sorted[k ? k - 1 : 0];
}

static void fmt_ms(char *buf, size_t n, double seconds)
{
	double ms = seconds * 1e3;
	if (ms == 0 || ms >= 0.001)
		snprintf(buf, n, "%.3f ms", ms);
	else
		snprintf(buf, n, "%.3g ms", ms);
}

/* A name as it may go to a terminal: control bytes as '?'.  Returns its
 * width in columns (one per code point). */
static size_t put_name(FILE *out, const char *s)
{
	size_t w = 0;
	for (; *s; s++, w++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f) {
			putc('?', out);
			continue;
		}
		putc(c, out);
		while ((s[1] & 0xC0) == 0x80)
			putc(*++s, out);
	}
	return w;
}

static void pad(FILE *out, size_t have, size_t want)
{
	for (; have < want; have++)
		putc(' ', out);
}

static size_t name_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static void show_tb(FILE *out, const owg_profile *p, const owg_prof_entry *e,
		    const owg_graph *g, size_t w, double *scratch)
{
	pad(out, put_name(out, e->name), w);
	fprintf(out, " %10" PRIu64, e->runs);
	if (p->requests) {
		double m, v;
		owg_prof_moments(p->requests, e->count_sum, e->count_sumsq, &m, &v);
		fprintf(out, "  %7.3f +- %-7.3f", m, sqrt(v));
	} else {
		fprintf(out, "  %-18s", "-");
	}
	size_t n = e->nsamples;
	char b[5][40];
	if (n) {
		double sum = 0, ss = 0;
		for (size_t i = 0; i < n; i++) {
			scratch[i] = e->samples[i].time;
			sum += scratch[i];
		}
		double mean = sum / (double)n;
		for (size_t i = 0; i < n; i++)
			ss += (scratch[i] - mean) * (scratch[i] - mean);
		qsort(scratch, n, sizeof *scratch, cmp_double);
		fmt_ms(b[0], sizeof b[0], mean);
		fmt_ms(b[1], sizeof b[1], n > 1 ? sqrt(ss / (double)(n - 1)) : 0);
		fmt_ms(b[2], sizeof b[2], quantile(scratch, n, 0.50));
		fmt_ms(b[3], sizeof b[3], quantile(scratch, n, 0.95));
		fmt_ms(b[4], sizeof b[4], quantile(scratch, n, 0.99));
	} else {
		for (int i = 0; i < 5; i++)
			snprintf(b[i], sizeof b[i], "-");
	}
	fprintf(out, " %10s %10s %10s %10s %10s %8zu", b[0], b[1], b[2], b[3], b[4], n);
	if (g) {
		char d[40];
		fmt_ms(d, sizeof d, owg_dist_mean(&g->nodes.v[e->node].time));
		fprintf(out, " %10s", d);
	}
	putc('\n', out);
}

static void show_cb(FILE *out, const owg_prof_entry *e, const owg_graph *g, size_t w)
{
	static const char *const names[][2] = {
		[OWG_CB_BRANCH] = {"then", "else"},
		[OWG_CB_EXIT] = {"taken", "cont"},
		[OWG_CB_LOOP] = {"stop", "repeat"},
	};
	pad(out, put_name(out, e->name), w);
	const char *kind = e->cb_kind == OWG_CB_LOOP
				   ? (e->loop_kind == OWG_LOOP_WHILE ? "while" : "loop")
				   : owg_cb_kind_name(e->cb_kind);
	fprintf(out, " %10" PRIu64 "  %s", e->runs, kind);
	if (e->runs && e->cb_kind != OWG_CB_ENTRY) /* outcomes follow */
		pad(out, strlen(kind), 7);
	if (e->cb_kind == OWG_CB_FORK || (e->cb_kind == OWG_CB_LOOP && e->loop_kind == OWG_LOOP_COUNT)) {
		double m, v;
		owg_prof_moments(e->runs, e->items_sum, e->items_sumsq, &m, &v);
		if (e->runs)
			fprintf(out, "  %s %.3f +- %.3f per run",
				e->cb_kind == OWG_CB_FORK ? "items" : "trips", m, sqrt(v));
	}
	for (uint32_t i = 0; i < e->narms && e->runs; i++) {
		double share = 100.0 * (double)e->arms[i] / (double)e->runs;
		if (e->cb_kind != OWG_CB_SWITCH) {
			fprintf(out, "  %s %.1f%%", names[e->cb_kind][i], share);
		} else if (e->has_default && i + 1 == e->narms) {
			fprintf(out, "  default %.1f%%", share);
		} else if (g) {
			char v[40];
			owg_fmt_double(v, sizeof v, g->nodes.v[e->node].arms[i].value);
			fprintf(out, "  case %s %.1f%%", v, share);
		} else {
			fprintf(out, "  case#%u %.1f%%", i, share);
		}
	}
	if (e->cb_kind == OWG_CB_SWITCH && !e->has_default && e->runs) {
		uint64_t taken = 0;
		for (uint32_t i = 0; i < e->narms; i++)
			taken += e->arms[i];
		fprintf(out, "  none %.1f%%", 100.0 * (double)(e->runs - taken) / (double)e->runs);
	}
	putc('\n', out);
}

static void show(FILE *out, const char *path, const owg_profile *p, const owg_graph *g,
		 const char *ir_path)
{
	fprintf(out, "profile    %s\nworkflow   ", path);
	put_name(out, p->workflow);
	fprintf(out, "\nshape      %016" PRIx64 "\nmodel      %016" PRIx64 "%s\n", p->shape, p->model,
		p->model == 0 ? " (merged from profiles of different models)" : "");
	fprintf(out, "requests   %" PRIu64 "\n", p->requests);
	if (g)
		fprintf(out, "checked    against %s: same structure, %s\n", ir_path,
			p->stale ? "models changed since recording (stale)" : "same models");
	size_t w = 12;
	for (size_t i = 0; i < p->entries.n; i++)
		if (name_width(p->entries.v[i].name) > w)
			w = name_width(p->entries.v[i].name);
	if (w > 40)
		w = 40;

	fputs("\n", out);
	pad(out, (size_t)fprintf(out, "task"), w);
	fprintf(out, " %10s  %-18s %10s %10s %10s %10s %10s %8s%s\n", "runs", "per request",
		"mean", "sd", "p50", "p95", "p99", "samples", g ? "   declared" : "");
	double scratch[OWG_PROF_K];
	for (size_t i = 0; i < p->entries.n; i++)
		if (p->entries.v[i].kind == OWG_NODE_TB)
			show_tb(out, p, &p->entries.v[i], g, w, scratch);

	fputs("\n", out);
	pad(out, (size_t)fprintf(out, "control"), w);
	fprintf(out, " %10s  %-7s  outcomes\n", "runs", "kind");
	for (size_t i = 0; i < p->entries.n; i++)
		if (p->entries.v[i].kind == OWG_NODE_CB)
			show_cb(out, &p->entries.v[i], g, w);
}

static int cmd_show(const options *o, owg_srcmgr *sm, owg_diag *diag)
{
	owg_profile *p = read_profile(sm, diag, o->inputs.v[0]);
	if (!p)
		return EXIT_INPUT;
	owg_graph *g = NULL;
	int status = EXIT_SUCCESS;
	if (o->workflow_ir) {
		uint32_t file;
		const owg_source *src = load(sm, o->workflow_ir, &file);
		if (src)
			g = owg_ir_read(src->text, src->len, file, diag);
		if (!g || owg_ir_verify(g, diag) || !owg_prof_bind(p, g, diag))
			status = EXIT_INPUT;
	}
	if (status == EXIT_SUCCESS) {
		show(stdout, o->inputs.v[0], p, g, o->workflow_ir);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "owgprof: error: cannot write to standard output\n");
			status = EXIT_INPUT;
		}
	}
	if (g)
		owg_ir_free(g);
	owg_prof_free(p);
	return status;
}

/* --- sample --- */

static int cmd_sample(const options *o, owg_srcmgr *sm, owg_diag *diag)
{
	owg_frontend fe = {.sm = sm, .diag = diag};
	owg_arena_init(&fe.arena);
	owg_graph *g = owg_frontend_compile(&fe, o->inputs.v[0]);
	bool ok = g && !owg_diag_errors(diag);
	owg_pass_opts po;
	owg_pass_opts_init(&po);
	po.stop_after = "branch-freq"; /* the walk follows its probabilities */
	owg_pass_ctx pc = {.g = g, .diag = diag, .sm = sm, .opts = &po};
	ok = ok && owg_pipeline_run(&pc);
	owg_pass_ctx_free(&pc);
	if (ok) {
		owg_profile *p = owg_prof_new(g);
		owg_walk(g, o->requests ? o->requests : 10000, o->seed ? o->seed : 1, p, NULL);
		ok = write_file(p, o->output);
		owg_prof_free(p);
	}
	if (g)
		owg_ir_free(g);
	owg_frontend_free(&fe);
	return ok ? EXIT_SUCCESS : EXIT_INPUT;
}

int main(int argc, char **argv)
{
	options o = {0};
	int status = parse_args(argc, argv, &o);
	if (status < 0) {
		owg_srcmgr sm;
		owg_src_init(&sm);
		owg_diag *diag = owg_diag_new(&sm, stderr);
		owg_diag_set_progname(diag, "owgprof");
		const char *term = getenv("TERM");
		owg_diag_set_color(diag, isatty(STDERR_FILENO) && term && strcmp(term, "dumb"));
		status = !strcmp(o.command, "merge")	? cmd_merge(&o, &sm, diag)
			 : !strcmp(o.command, "sample") ? cmd_sample(&o, &sm, diag)
							: cmd_show(&o, &sm, diag);
		owg_diag_free(diag);
		owg_src_free(&sm);
	}
	OWG_VEC_FREE(o.inputs);
	return status;
}
