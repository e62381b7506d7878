/* owgrun.c - runs a placement binary on the fabric simulator and prints
 * what happened (DESIGN section 8's metrics).  Links libowgrt only. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owgrt.h"
#include "owgrt_sim.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fputs("Usage: owgrun [options] WF.owgp\n"
	      "Simulate a stream of requests of a compiled workflow on its fabric.\n"
	      "\n"
	      "  --requests=N     requests to simulate (default 1000)\n"
	      "  --rate=R         open loop: Poisson arrivals, R requests per second\n"
	      "                   (default: a closed batch, every request at time 0)\n"
	      "  --seed=S         the seed of the common random numbers (default 1)\n"
	      "  --policy=NAME    static (the conventional binding of the plan; the only\n"
	      "                   policy of this version)\n"
	      "  -h, --help       show this help\n"
	      "  --version        show the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a bad binary, 2 usage errors.\n"
	      "See owgrun(1).\n",
	      out);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("owgrun: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'owgrun --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static bool parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (!*v || *end || *v == '-' || errno || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

/* A duration with a unit people read. */
static const char *dur(char *buf, size_t n, double s)
{
	if (s >= 1 || s == 0)
		snprintf(buf, n, "%.4g s", s);
	else if (s >= 1e-3)
		snprintf(buf, n, "%.4g ms", s * 1e3);
	else if (s >= 1e-6)
		snprintf(buf, n, "%.4g us", s * 1e6);
	else
		snprintf(buf, n, "%.4g ns", s * 1e9);
	return buf;
}

int main(int argc, char **argv)
{
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	const char *input = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--requests=", 11)) {
			if (!parse_u64(a + 11, 1, UINT32_MAX, &o.requests))
				return usage_error("--requests needs a number from 1 to 4294967295, not '%s'", a + 11);
		} else if (!strncmp(a, "--rate=", 7)) {
			char *end;
			o.rate = strtod(a + 7, &end);
			if (!a[7] || *end || !(o.rate > 0 && o.rate < 1e15))
				return usage_error("--rate needs a positive number of requests per second, not '%s'", a + 7);
		} else if (!strncmp(a, "--seed=", 7)) {
			if (!parse_u64(a + 7, 0, UINT64_MAX, &o.seed))
				return usage_error("--seed needs a number from 0 to 2^64-1, not '%s'", a + 7);
		} else if (!strncmp(a, "--policy=", 9)) {
			if (strcmp(a + 9, "static"))
				return usage_error("unknown --policy '%s' (this version has: static)", a + 9);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else if (!strcmp(a, "--version")) {
			printf("owgrun %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s'", a);
		} else if (input) {
			return usage_error("more than one input ('%s')", a);
		} else {
			input = a;
		}
	}
	if (!input)
		return usage_error("%s", "no input: give a placement binary written by owgc");

	char err[512];
	owgrt_program *p = NULL;
	if (owgrt_load_file(input, &p, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "owgrun: error: %s\n", err);
		return EXIT_INPUT;
	}
	owgrt_sim_stats st;
	int rc = owgrt_simulate(p, &o, &st, err, sizeof err);
	if (rc != OWGRT_OK) {
		fprintf(stderr, "owgrun: error: %s: %s\n", input, err);
		owgrt_program_free(p);
		return EXIT_INPUT;
	}
	char a[32], b[32], c[32], d[32];
	printf("workflow %s on fabric %s (%u usable PEAs), policy static, seed %llu\n", p->name,
	       p->plan->fabric->name ? p->plan->fabric->name : "?", (unsigned)st.peas, (unsigned long long)o.seed);
	if (o.rate > 0)
		printf("%llu requests at %.6g per second (Poisson arrivals)\n\n", (unsigned long long)st.requests, o.rate);
	else
		printf("%llu requests, all at time 0\n\n", (unsigned long long)st.requests);
	printf("  makespan        %s\n", dur(a, sizeof a, st.makespan));
	printf("  LB              %s\n", dur(a, sizeof a, st.lb));
	printf("  makespan / LB   %.4f\n", st.lb > 0 ? st.makespan / st.lb : 0.0);
	printf("  throughput      %.6g requests/s\n", st.throughput);
	printf("  latency         mean %s, p50 %s, p95 %s, p99 %s\n", dur(a, sizeof a, st.latency_mean),
	       dur(b, sizeof b, st.latency_p50), dur(c, sizeof c, st.latency_p95), dur(d, sizeof d, st.latency_p99));
	printf("  utilisation     %.1f%%\n", 100 * st.utilisation);
	printf("  tasks run       %llu (%llu events)\n", (unsigned long long)st.tasks_run,
	       (unsigned long long)st.events);
	owgrt_program_free(p);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_INPUT;
}
