/* owgc.c - the compiler driver: options, the front end, and the outputs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "depfile.h"
#include "diag.h"
#include "fabric.h"
#include "frontend.h"
#include "import_wfcommons.h"
#include "ir.h"
#include "llvm/llvm_emit.h"
#include "pass.h"
#include "owgp_import.h"
#include "owgp_write.h"
#include "plan.h"
#include "report.h"
#include "svg.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef enum emit_kind {
	EMIT_PLACEMENT, EMIT_IR, EMIT_DOT, EMIT_JSON, EMIT_SVG,
	EMIT_OBJ, EMIT_LLVM_IR, EMIT_ASM, /* the object backend (backends/llvm) */
	EMIT_NONE
} emit_kind;

static const char *const emit_names[] = {"placement", "ir", "dot", "json", "svg", "obj", "llvm-ir", "asm", "none"};
/* the output's extension chooses the kind when --emit does not */
static const char *const emit_exts[] = {".owgp", ".owgir", ".dot", ".json", ".svg", ".o", ".ll", ".s", NULL};
enum { NEMIT = sizeof emit_names / sizeof *emit_names };

typedef struct options {
	const char *input;
	const char *output;
	emit_kind emit;
	bool emit_given; /* --emit was given */
	bool compile_only; /* -c: an object, as --emit=obj */
	const char *target; /* --target=TRIPLE for the object kinds */
	bool summary;
	bool dep_md, dep_phony;
	const char *dep_file, *dep_target;
	const char *color; /* auto, always, never */
	OWG_VEC(const char *) includes;
	OWG_VEC(const char *) defines;
	OWG_VEC(const char *) warnings;
	const char *workflow;
	owg_diag_format diag_format;
	long max_errors;
	owg_pass_opts pass;
	bool report, print_pipeline;
	const char *fabric;      /* --fabric */
	bool list_fabrics, fabric_info;
	bool place_opts;         /* -O or --seed given */
	const char *import;      /* --import=FORMAT: the traces are the inputs */
	const char *compile_opt; /* the first option that only applies to compiling */
	OWG_VEC(const char *) inputs;
} options;

static void usage(FILE *out)
{
	fputs("Usage: owgc [options] FILE\n"
	      "       owgc --import=wfcommons TRACE.json... [-o OUT.owg]\n"
	      "Compile an orchestrated AI workflow (FILE.owg, or FILE.owgir) for a spatial fabric.\n"
	      "FILE '-' reads standard input.\n"
	      "\n"
	      "Output:\n"
	      "  -o FILE              write the output to FILE (default: the placement binary\n"
	      "                       to NAME.owgp here, an object to NAME.o, other kinds to\n"
	      "                       standard output)\n"
	      "  -c                   write an object file to link into a program (--emit=obj)\n"
	      "  --emit=KIND          placement (the .owgp binary, default), ir (the OWG IR\n"
	      "                       text, default for a .owgp input), dot (Graphviz), json,\n"
	      "                       svg (the placement as a heat map of expected load), obj\n"
	      "                       (an object file, as -c), llvm-ir or asm (the object as\n"
	      "                       LLVM IR text or assembly), none; without --emit,\n"
	      "                       -o FILE.owgir/.dot/.json/.svg/.o/.ll/.s chooses\n"
	      "  --target=TRIPLE      the target of an object, e.g. aarch64-linux-gnu\n"
	      "                       (default: this machine's)\n"
	      "  --summary            print a short summary of the workflow to standard output\n"
	      "  --workflow=NAME      the workflow to compile when the file defines several\n"
	      "  -D NAME=VALUE        override parameter NAME of the workflow (VALUE is an owg\n"
	      "                       expression such as 4, 2.5ms or 64KiB)\n"
	      "  -I DIR               search DIR for imported files\n"
	      "\n"
	      "Fabric and placement:\n"
	      "  --fabric=NAME|FILE   the target: a preset (default, chiplet, wafer, flat-N),\n"
	      "                       a fabric block of the input, or a file with one\n"
	      "                       (default: the input's first fabric, else 'default')\n"
	      "  --list-fabrics       list the built-in fabrics and exit\n"
	      "  --fabric-info        describe the target fabric (and exit without an input)\n"
	      "  --rate=R             requests per second to size replicas and pools for\n"
	      "                       (default: each binding the most that fits, 30% headroom)\n"
	      "  -O0 .. -O3           placement effort: 0, 8, 64 or 256 moves per unit\n"
	      "                       (-O2 and -O3 anneal); default -O1; for the object\n"
	      "                       kinds also LLVM's optimisation level\n"
	      "  --seed=S             the seed of the placement's moves (default 1)\n"
	      "\n"
	      "Analysis (the IR printed carries its results):\n"
	      "  --report             print per task how volatile it is, how often it runs, what\n"
	      "                       it costs, and the bounds on latency and throughput\n"
	      "  --profile-use=FILE   use the measurements of a .owgprof profile\n"
	      "  --cv-threshold=X     a task is volatile above this coefficient of variation\n"
	      "                       of its time (default 0.25)\n"
	      "  --burst-threshold=X  a task is bursty above this coefficient of variation\n"
	      "                       of its executions per request (default 0.5)\n"
	      "  --peas=N             PEAs for the bounds (default: the fabric's, else 256)\n"
	      "  --print-pipeline     list the passes and exit\n"
	      "  --dump-after=PASS    print the IR to standard error after PASS (or 'all')\n"
	      "  --stop-after=PASS    run the pipeline only up to PASS\n"
	      "  --verify-each        verify the IR after every pass\n"
	      "  --time-passes        print the time of every pass to standard error\n"
	      "\n"
	      "Diagnostics:\n"
	      "  -Wall, -Wextra       enable all warnings\n"
	      "  -WNAME, -Wno-NAME    enable or disable one warning: unused-output, unused-param,\n"
	      "                       unused-task, missing-probability, unsized-flow,\n"
	      "                       unreachable, shadow, stale-profile\n"
	      "  -Werror[=NAME]       make all (or one) warnings errors\n"
	      "  -w                   disable all warnings\n"
	      "  --diag-format=FMT    text (default) or json (one object per line)\n"
	      "  --color=WHEN         auto (default: only on a terminal), always, never\n"
	      "  --max-errors=N       stop after N errors (default 20, 0 for no limit)\n"
	      "\n"
	      "Import:\n"
	      "  --import=wfcommons   read the inputs as WfCommons traces (WfFormat 1.5 JSON) and\n"
	      "                       write one owg workflow instead of compiling (to -o FILE,\n"
	      "                       default standard output); several traces of one workflow\n"
	      "                       give each task the empirical distribution of its runtimes\n"
	      "\n"
	      "Dependencies (for make):\n"
	      "  -MD                  also write a dependency file (FILE.d next to the output)\n"
	      "  -MF FILE             write the dependency file to FILE\n"
	      "  -MT TARGET           the target named in the dependency file\n"
	      "  -MP                  add a phony target for every imported file\n"
	      "\n"
	      "  -h, --help           show this help\n"
	      "  --version            show the version\n"
	      "\n"
	      "Exit status: 0 success, 1 errors in the input, 2 usage errors.\n"
	      "See owgc(1) and owg(5).\n",
	      out);
}

static const char *const long_opts[] = {"--emit=", "--summary", "--workflow=", "--diag-format=", "--color=",
					"--max-errors=", "--help", "--version", "--report", "--profile-use=",
					"--cv-threshold=", "--burst-threshold=", "--peas=", "--print-pipeline",
					"--dump-after=", "--stop-after=", "--verify-each", "--time-passes",
					"--fabric=", "--list-fabrics", "--fabric-info", "--rate=", "--seed=",
					"--import=", "--target="};

/* The formats --import knows. */
static const char *const import_formats[] = {"wfcommons"};

/* Options that still apply with --import: output and diagnostics. */
static bool import_option(const char *a)
{
	static const char *const prefixes[] = {"-o", "-W", "-w", "--diag-format=", "--color=", "--max-errors=",
					       "--import=", "-h", "--help", "--version"};
	for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
		if (!strncmp(a, prefixes[k], strlen(prefixes[k])))
			return true;
	return false;
}

/* A threshold: a number from 0 to 1000. */
static bool parse_threshold(const char *v, double *out)
{
	char *end;
	double x = strtod(v, &end);
	if (!*v || *end || !(x >= 0 && x <= 1000))
		return false;
	*out = x;
	return true;
}

/* A pass name for --dump-after/--stop-after; prints the usage error. */
static int check_pass(const char *opt, const char *v, bool all_ok)
{
	if ((all_ok && !strcmp(v, "all")) || owg_pass_find(v))
		return -1;
	size_t n;
	const owg_pass *p = owg_pipeline(&n);
	const char *names[16];
	for (size_t k = 0; k < n && k < 16; k++)
		names[k] = p[k].name;
	fprintf(stderr, "owgc: error: unknown pass '%s' in %s", v, opt);
	const char *hint = owg_suggest(v, names, n);
	if (hint)
		fprintf(stderr, "; did you mean '%s'?", hint);
	fprintf(stderr, "\nThe passes: ");
	for (size_t k = 0; k < n; k++)
		fprintf(stderr, "%s%s", k ? ", " : "", names[k]);
	fprintf(stderr, " (see --print-pipeline)\n");
	return EXIT_USAGE;
}

static int usage_error(const char *fmt, const char *arg, const char *hint)
{
	fprintf(stderr, "owgc: error: ");
	fprintf(stderr, fmt, arg);
	if (hint)
		fprintf(stderr, "; did you mean '%s'?", hint);
	fprintf(stderr, "\nTry 'owgc --help' for more information.\n");
	return EXIT_USAGE;
}

/* "--name=value" matching: returns value or NULL. */
static const char *opt_value(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) ? NULL : arg + n;
}

/* Does the file start with the placement binary's magic?  ("-" is read
 * as text: a binary comes from a file.) */
static bool input_is_binary(const char *path)
{
	if (!path || !strcmp(path, "-"))
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char head[16];
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	return owg_owgp_is_binary(head, n);
}

/* NAME.EXT in the current folder for input DIR/NAME.owg (a.EXT for
 * standard input); ext is ".owgp" or ".o". */
static const char *default_output(const char *input, const char *ext)
{
	static char buf[4096];
	const char *base = strrchr(input, '/');
	base = base ? base + 1 : input;
	if (!strcmp(input, "-") || !*base)
		base = "a";
	size_t n = strcspn(base, ".");
	if (n == 0)
		n = strlen(base);
	snprintf(buf, sizeof buf, "%.*s%s", (int)(n < 4000 ? n : 4000), base, ext);
	return buf;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, options *o)
{
	const char *v;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] && !o->compile_opt && !import_option(a))
			o->compile_opt = a;
		/* options that take the next argument */
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-D") ||
		    !strcmp(a, "-I")) {
			if (!next)
				return usage_error("option '%s' needs an argument", a, NULL);
			i++;
			if (a[1] == 'o')
				o->output = next;
			else if (a[1] == 'D')
				OWG_VEC_PUSH(o->defines, next);
			else if (a[1] == 'I')
				OWG_VEC_PUSH(o->includes, next);
			else if (a[2] == 'F')
				o->dep_file = next;
			else
				o->dep_target = next;
		} else if (a[0] == '-' && (a[1] == 'D' || a[1] == 'I' || a[1] == 'o') && a[2]) {
			if (a[1] == 'D')
				OWG_VEC_PUSH(o->defines, a + 2);
			else if (a[1] == 'I')
				OWG_VEC_PUSH(o->includes, a + 2);
			else
				o->output = a + 2;
		} else if (!strcmp(a, "-c")) {
			o->compile_only = true;
		} else if ((v = opt_value(a, "--target="))) {
			o->target = v;
		} else if (!strcmp(a, "-MD")) {
			o->dep_md = true;
		} else if (!strcmp(a, "-MP")) {
			o->dep_phony = true;
		} else if (a[0] == '-' && a[1] == 'W') {
			OWG_VEC_PUSH(o->warnings, a);
		} else if (!strcmp(a, "-w")) {
			OWG_VEC_PUSH(o->warnings, a);
		} else if ((v = opt_value(a, "--emit="))) {
			size_t k = 0;
			while (k < NEMIT && strcmp(v, emit_names[k]))
				k++;
			if (k == NEMIT)
				return usage_error("unknown --emit kind '%s' (known: placement, ir, dot, json, svg, obj, "
						   "llvm-ir, asm, none)", v,
						   owg_suggest(v, emit_names, NEMIT));
			o->emit = (emit_kind)k;
			o->emit_given = true;
		} else if ((v = opt_value(a, "--import="))) {
			if (strcmp(v, import_formats[0]))
				return usage_error("unknown --import format '%s' (known: wfcommons)", v,
						   owg_suggest(v, import_formats, 1));
			o->import = v;
		} else if (!strcmp(a, "--summary")) {
			o->summary = true;
		} else if ((v = opt_value(a, "--workflow="))) {
			o->workflow = v;
		} else if ((v = opt_value(a, "--diag-format="))) {
			if (!strcmp(v, "text"))
				o->diag_format = OWG_DIAG_TEXT;
			else if (!strcmp(v, "json"))
				o->diag_format = OWG_DIAG_JSON;
			else
				return usage_error("unknown --diag-format '%s' (known: text, json)", v, NULL);
		} else if ((v = opt_value(a, "--color="))) {
			if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
				return usage_error("unknown --color value '%s' (known: auto, always, never)", v, NULL);
			o->color = v;
		} else if ((v = opt_value(a, "--max-errors="))) {
			char *end;
			o->max_errors = strtol(v, &end, 10);
			if (!*v || *end || o->max_errors < 0 || o->max_errors > 1000000)
				return usage_error("--max-errors needs a number from 0 to 1000000, not '%s'", v, NULL);
		} else if ((v = opt_value(a, "--fabric="))) {
			o->fabric = v;
		} else if (!strcmp(a, "--list-fabrics")) {
			o->list_fabrics = true;
		} else if (!strcmp(a, "--fabric-info")) {
			o->fabric_info = true;
		} else if ((v = opt_value(a, "--rate="))) {
			char *end;
			double r = strtod(v, &end);
			if (!*v || *end || !(r > 0 && r < 1e15))
				return usage_error("--rate needs a positive number of requests per second, not '%s'", v,
						   NULL);
			o->pass.rate = r;
		} else if ((v = opt_value(a, "--seed="))) {
			char *end;
			errno = 0;
			unsigned long long x = strtoull(v, &end, 10);
			if (!*v || *end || *v == '-' || errno)
				return usage_error("--seed needs a number from 0 to 2^64-1, not '%s'", v, NULL);
			o->pass.seed = x;
			o->place_opts = true;
		} else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
			o->pass.opt = a[2] - '0';
			o->place_opts = true;
		} else if (!strcmp(a, "--report")) {
			o->report = true;
		} else if ((v = opt_value(a, "--profile-use="))) {
			o->pass.profile_use = v;
		} else if ((v = opt_value(a, "--cv-threshold="))) {
			if (!parse_threshold(v, &o->pass.cv_threshold))
				return usage_error("--cv-threshold needs a number from 0 to 1000, not '%s'", v, NULL);
		} else if ((v = opt_value(a, "--burst-threshold="))) {
			if (!parse_threshold(v, &o->pass.burst_threshold))
				return usage_error("--burst-threshold needs a number from 0 to 1000, not '%s'", v, NULL);
		} else if ((v = opt_value(a, "--peas="))) {
			char *end;
			long n = strtol(v, &end, 10);
			if (!*v || *end || n < 1 || n > 1000000000)
				return usage_error("--peas needs a number from 1 to 1000000000, not '%s'", v, NULL);
			o->pass.peas = (uint32_t)n;
		} else if (!strcmp(a, "--print-pipeline")) {
			o->print_pipeline = true;
		} else if ((v = opt_value(a, "--dump-after="))) {
			int st = check_pass("--dump-after", v, true);
			if (st >= 0)
				return st;
			o->pass.dump_after = v;
		} else if ((v = opt_value(a, "--stop-after="))) {
			int st = check_pass("--stop-after", v, false);
			if (st >= 0)
				return st;
			o->pass.stop_after = v;
		} else if (!strcmp(a, "--verify-each")) {
			o->pass.verify_each = true;
		} else if (!strcmp(a, "--time-passes")) {
			o->pass.time_passes = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else if (!strcmp(a, "--version")) {
			printf("owgc %s (OWG IR version %d)\n", PACKAGE_VERSION, OWG_IR_VERSION);
			return EXIT_SUCCESS;
		} else if (a[0] == '-' && a[1]) {
			char key[64];
			snprintf(key, sizeof key, "%.*s", (int)strcspn(a, "="), a);
			const char *cands[sizeof long_opts / sizeof *long_opts];
			char buf[sizeof long_opts / sizeof *long_opts][32];
			for (size_t k = 0; k < sizeof long_opts / sizeof *long_opts; k++) {
				snprintf(buf[k], sizeof buf[k], "%.*s", (int)strcspn(long_opts[k], "="), long_opts[k]);
				cands[k] = buf[k];
			}
			return usage_error("unknown option '%s'", a,
					   owg_suggest(key, cands, sizeof long_opts / sizeof *long_opts));
		} else {
			OWG_VEC_PUSH(o->inputs, a);
			if (!o->input)
				o->input = a;
		}
	}
	if (o->import) {
		if (o->compile_opt)
			return usage_error("option '%s' does not apply to --import, which writes owg source", o->compile_opt,
					   NULL);
		if (!o->inputs.n)
			return usage_error("%s", "--import needs at least one trace file", NULL);
		return -1;
	}
	if (o->inputs.n > 1)
		return usage_error("more than one input file ('%s')", o->inputs.v[1], NULL);
	if (o->print_pipeline) {
		owg_pipeline_print(stdout);
		return EXIT_SUCCESS;
	}
	if (o->list_fabrics) {
		owg_fabric_list(stdout);
		return EXIT_SUCCESS;
	}
	if (o->fabric_info && !o->input) {
		owg_srcmgr sm;
		owg_src_init(&sm);
		owg_diag *diag = owg_diag_new(&sm, stderr);
		owg_arena a;
		owg_arena_init(&a);
		owg_fabric f;
		bool ok = owg_fabric_resolve(o->fabric, NULL, &sm, diag, &a, &f);
		if (ok)
			owg_fabric_info(&f, stdout);
		owg_arena_free(&a);
		owg_diag_free(diag);
		owg_src_free(&sm);
		return ok ? EXIT_SUCCESS : EXIT_INPUT;
	}
	if (!o->input)
		return usage_error("%s", "no input file", NULL);
	bool binary_input = input_is_binary(o->input);
	if (o->compile_only) {
		if (o->emit_given && o->emit != EMIT_OBJ)
			return usage_error("-c writes an object; it does not go with --emit=%s", emit_names[o->emit], NULL);
		o->emit = EMIT_OBJ;
		o->emit_given = true;
	}
	if (!o->emit_given && o->output) {
		size_t n = strlen(o->output);
		for (size_t k = 0; emit_exts[k]; k++) {
			size_t e = strlen(emit_exts[k]);
			if (n > e && !strcmp(o->output + n - e, emit_exts[k]))
				o->emit = (emit_kind)k;
		}
	} else if (!o->emit_given) {
		o->emit = binary_input ? EMIT_IR : o->report ? EMIT_NONE : EMIT_PLACEMENT;
	}
	if (o->emit == EMIT_PLACEMENT && !o->output)
		o->output = default_output(o->input, ".owgp");
	if (o->emit == EMIT_OBJ && !o->output)
		o->output = default_output(o->input, ".o");
	bool object = o->emit == EMIT_OBJ || o->emit == EMIT_LLVM_IR || o->emit == EMIT_ASM;
	if (o->target && !object)
		return usage_error("--target=%s applies to objects only (-c, --emit=obj, llvm-ir or asm)", o->target,
				   NULL);
	if (o->target) {
		char *why = owg_llvm_check_target(o->target);
		if (why) {
			fprintf(stderr, "owgc: error: unknown --target '%s': %s\n", o->target, why);
			fprintf(stderr, "A triple is ARCH-VENDOR-OS[-ENV], e.g. x86_64-linux-gnu or aarch64-linux-gnu.\n");
			free(why);
			return EXIT_USAGE;
		}
	}
	if (binary_input && (o->fabric || o->pass.rate > 0 || o->place_opts || o->pass.profile_use)) {
		return usage_error("'%s' is a placement binary: it is printed as it is (--emit=ir, svg, ...); "
				   "compile its workflow again to place it differently", o->input, NULL);
	}
	/* placement runs when asked for; the IR, DOT and JSON of a workflow do
	 * not depend on whether it fits a fabric */
	bool place = o->fabric || o->pass.rate > 0 || o->place_opts || o->emit == EMIT_SVG ||
		     o->emit == EMIT_PLACEMENT || object;
	if (!place && !o->pass.stop_after)
		o->pass.stop_after = "load";
	if (o->report && o->pass.stop_after && (!strcmp(o->pass.stop_after, "profile-attach") ||
						 !strcmp(o->pass.stop_after, "time-stats") ||
						 !strcmp(o->pass.stop_after, "branch-freq")))
		return usage_error("--report needs the analysis passes, but --stop-after=%s stops before them",
				   o->pass.stop_after, NULL);
	return -1;
}

static void print_summary(const owg_graph *g, FILE *out)
{
	unsigned tb[2] = {0}, cb[6] = {0};
	unsigned long long peas = 0;
	double bytes = 0, time = 0;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind == OWG_NODE_TB) {
			tb[n->tb_kind]++;
			peas += n->peas;
			time += owg_dist_mean(&n->time);
		} else {
			cb[n->cb_kind]++;
		}
	}
	for (size_t i = 0; i < g->flows.n; i++)
		bytes += g->flows.v[i].bytes;
	fprintf(out, "workflow   %s\n", g->name);
	fprintf(out, "tasks      %u (ai %u, general %u), %llu PEAs demanded\n", tb[0] + tb[1], tb[0], tb[1], peas);
	fprintf(out, "control    %u (branch %u, switch %u, loop %u, foreach %u, exit %u)\n",
		cb[1] + cb[2] + cb[3] + cb[4] + cb[5], cb[1], cb[2], cb[3], cb[4], cb[5]);
	fprintf(out, "flows      %zu, %.1f KiB in all\n", g->flows.n, bytes / 1024);
	fprintf(out, "task time  %.3f ms, the sum of mean times (each task once)\n", time * 1e3);
	fprintf(out, "fabrics    %zu\n", g->fabrics.n);
}

/* A placement binary: loaded and checked by libowgrt, then turned back
 * into the compiler's graph, which must verify like any other input. */
static owg_graph *load_binary(const char *path, owg_diag *diag)
{
	char err[512];
	owgrt_program *p = NULL;
	if (owgrt_load_file(path, &p, err, sizeof err) != OWGRT_OK) {
		owg_diag_error(diag, OWG_LOC_NONE, "%s", err);
		return NULL;
	}
	owg_graph *g = owg_owgp_import(p, err, sizeof err);
	owgrt_program_free(p);
	if (!g) {
		owg_diag_error(diag, OWG_LOC_NONE, "%s: %s", path, err);
		return NULL;
	}
	if (owg_ir_verify(g, diag) || owg_plan_verify(g, diag)) {
		owg_diag_error(diag, OWG_LOC_NONE, "%s: the workflow it holds is not valid", path);
		owg_ir_free(g);
		return NULL;
	}
	return g;
}

/* An object kind: the placement binary's bytes, in memory, then the LLVM
 * module around them.  Reports its own errors. */
static bool write_object(const options *o, const owg_graph *g, FILE *out, owg_diag *diag)
{
	if (!g->plan) {
		owg_diag_fatal(diag, "an object holds the placement, but --stop-after=%s stops before it",
			       o->pass.stop_after ? o->pass.stop_after : "?");
		return false;
	}
	char *bytes = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&bytes, &size);
	bool ok = mem && owg_owgp_write(g, mem);
	if (mem && fclose(mem))
		ok = false;
	if (!ok) {
		owg_diag_fatal(diag, "cannot encode workflow '%s' as a placement binary", g->name);
		free(bytes);
		return false;
	}
	owg_llvm_opts lo = {.triple = o->target, .opt = (unsigned)o->pass.opt};
	owg_llvm_kind kind = o->emit == EMIT_OBJ ? OWG_LLVM_OBJ : o->emit == EMIT_ASM ? OWG_LLVM_ASM : OWG_LLVM_IR;
	char err[2048];
	ok = owg_llvm_emit(g, (const unsigned char *)bytes, size, &lo, kind, out, err, sizeof err);
	if (!ok)
		owg_diag_fatal(diag, "cannot write '%s': %s", o->output ? o->output : "-", err);
	free(bytes);
	return ok;
}

static bool write_output(const options *o, const owg_graph *g, owg_diag *diag)
{
	if (o->emit == EMIT_NONE)
		return true;
	const char *path = o->output ? o->output : "-";
	const char *err = NULL;
	owg_atomic_file af;
	FILE *out = owg_atomic_open(&af, path, &err);
	if (!out) {
		owg_diag_fatal(diag, "cannot write '%s': %s", path, err);
		return false;
	}
	if (o->emit == EMIT_PLACEMENT && isatty(fileno(out))) {
		owg_atomic_abort(&af);
		owg_diag_fatal(diag, "not writing a placement binary to a terminal; use -o FILE.owgp, or --emit=ir");
		return false;
	}
	if (o->emit == EMIT_OBJ && isatty(fileno(out))) {
		owg_atomic_abort(&af);
		owg_diag_fatal(diag, "not writing an object file to a terminal; use -o FILE.o, or --emit=llvm-ir or asm");
		return false;
	}
	bool ok = true;
	switch (o->emit) {
	case EMIT_PLACEMENT: ok = owg_owgp_write(g, out); break;
	case EMIT_IR: owg_ir_print(g, out); break;
	case EMIT_DOT: owg_ir_print_dot(g, out); break;
	case EMIT_JSON: owg_ir_print_json(g, out); break;
	case EMIT_SVG: owg_svg_write(g, out); break;
	case EMIT_OBJ:
	case EMIT_LLVM_IR:
	case EMIT_ASM:
		if (!write_object(o, g, out, diag)) {
			owg_atomic_abort(&af);
			return false;
		}
		break;
	case EMIT_NONE: break;
	}
	if (!ok) {
		owg_atomic_abort(&af);
		owg_diag_fatal(diag, "cannot write '%s': write error", path);
		return false;
	}
	if (!owg_atomic_commit(&af, &err)) {
		owg_diag_fatal(diag, "cannot write '%s': %s", path, err);
		return false;
	}
	return true;
}

static bool write_deps(const options *o, const owg_frontend *fe, owg_diag *diag)
{
	if (!o->dep_md && !o->dep_file)
		return true;
	const char *target = o->dep_target ? o->dep_target : o->output ? o->output : NULL;
	char *deffile = NULL, *deftarget = NULL;
	const char *base = o->output && strcmp(o->output, "-") ? o->output : o->input;
	if (!target) {
		/* like gcc: the output the input would give, here FILE.owgir */
		const char *slash = strrchr(o->input, '/');
		const char *name = slash ? slash + 1 : o->input;
		const char *dot = strrchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);
		deftarget = owg_xmalloc(n + 8);
		sprintf(deftarget, "%.*s.owgir", (int)n, name);
		target = deftarget;
	}
	const char *path = o->dep_file;
	if (!path) {
		const char *dot = strrchr(base, '.');
		const char *slash = strrchr(base, '/');
		size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - base) : strlen(base);
		deffile = owg_xmalloc(n + 3);
		sprintf(deffile, "%.*s.d", (int)n, base);
		path = deffile;
	}
	const char *err = NULL;
	owg_atomic_file af;
	FILE *out = owg_atomic_open(&af, path, &err);
	bool ok = out != NULL;
	if (ok) {
		owg_depfile_write(out, target, fe->deps, fe->ndeps, o->dep_phony);
		ok = owg_atomic_commit(&af, &err);
	}
	if (!ok)
		owg_diag_fatal(diag, "cannot write dependency file '%s': %s", path, err);
	free(deffile);
	free(deftarget);
	return ok;
}

int main(int argc, char **argv)
{
	options o = {.emit = EMIT_IR, .color = "auto", .max_errors = 20};
	owg_pass_opts_init(&o.pass);
	int status = parse_args(argc, argv, &o);
	if (status >= 0)
		goto done_opts;

	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *diag = owg_diag_new(&sm, stderr);
	owg_diag_set_format(diag, o.diag_format);
	owg_diag_set_color(diag, !strcmp(o.color, "always") ||
					 (!strcmp(o.color, "auto") && isatty(STDERR_FILENO) && getenv("TERM") &&
					  strcmp(getenv("TERM"), "dumb")));
	owg_diag_set_max_errors(diag, (unsigned)o.max_errors);
	status = EXIT_SUCCESS;
	for (size_t i = 0; i < o.warnings.n; i++) {
		if (!owg_diag_option(diag, o.warnings.v[i])) {
			size_t n;
			const char *const *names = owg_warn_names(&n);
			const char *w = o.warnings.v[i] + 2;
			if (!strncmp(w, "no-", 3))
				w += 3;
			if (!strncmp(w, "error=", 6))
				w += 6;
			status = usage_error("unknown warning option '%s'", o.warnings.v[i], NULL);
			const char *hint = owg_suggest(w, names, n);
			if (hint)
				fprintf(stderr, "owgc: note: did you mean '-W%s'?\n", hint);
		}
	}

	if (o.import) {
		if (status == EXIT_SUCCESS && !owg_wfc_import_paths(&sm, diag, o.inputs.v, o.inputs.n, o.output))
			status = EXIT_INPUT;
		owg_diag_free(diag);
		owg_src_free(&sm);
		goto done_opts;
	}

	owg_frontend fe = {.sm = &sm, .diag = diag};
	owg_arena_init(&fe.arena);
	fe.include_dirs = o.includes.v;
	fe.ninclude_dirs = o.includes.n;
	fe.sema.workflow = o.workflow;
	owg_override *ov = owg_xcalloc(o.defines.n + 1, sizeof *ov);
	for (size_t i = 0; i < o.defines.n && status == EXIT_SUCCESS; i++)
		if (!owg_frontend_define(&fe, o.defines.v[i], &ov[fe.sema.noverrides++]))
			status = EXIT_USAGE;
	fe.sema.overrides = ov;

	owg_graph *g = NULL;
	bool binary_input = input_is_binary(o.input);
	if (status == EXIT_SUCCESS && binary_input) {
		g = load_binary(o.input, diag);
		if (!g)
			status = EXIT_INPUT;
	} else if (status == EXIT_SUCCESS) {
		g = owg_frontend_compile(&fe, o.input);
		if (!g || owg_diag_errors(diag))
			status = EXIT_INPUT;
	}
	owg_fabric target;
	if (status == EXIT_SUCCESS && o.fabric) {
		if (owg_fabric_resolve(o.fabric, g, &sm, diag, &g->arena, &target))
			o.pass.fabric = &target;
		else
			status = EXIT_INPUT;
	}
	owg_pass_ctx pc = {.g = g, .diag = diag, .sm = &sm, .opts = &o.pass};
	/* a binary holds the result of the pipeline already */
	if (status == EXIT_SUCCESS && !binary_input && !owg_pipeline_run(&pc))
		status = EXIT_INPUT;
	if (status == EXIT_SUCCESS && o.fabric_info)
		owg_fabric_info(&pc.fabric, stdout);
	owg_pass_ctx_free(&pc);
	if (status == EXIT_SUCCESS && !write_output(&o, g, diag))
		status = EXIT_INPUT;
	if (status == EXIT_SUCCESS && o.report)
		owg_report_print(g, stdout);
	if (status == EXIT_SUCCESS && o.summary)
		print_summary(g, stdout);
	if (status == EXIT_SUCCESS && !write_deps(&o, &fe, diag))
		status = EXIT_INPUT;

	if (g)
		owg_ir_free(g);
	free(ov);
	owg_frontend_free(&fe);
	owg_diag_free(diag);
	owg_src_free(&sm);
done_opts:
	OWG_VEC_FREE(o.includes);
	OWG_VEC_FREE(o.defines);
	OWG_VEC_FREE(o.warnings);
	OWG_VEC_FREE(o.inputs);
	return status;
}
