/* main.c - vision: runs the image pipeline of vision.owg on a stream of
 * synthetic frames, on host threads, and says how it went.
 *
 *   vision [-n FRAMES]
 *
 * The workflow comes from vision.o (`owgc -c vision.owg -o vision.o`),
 * its kernels from kernels.c; libowgrt runs them.  The environment
 * chooses how (owgrt_exec_opts_init reads it): OWGRT_THREADS,
 * OWGRT_POLICY (static, reactive, steal, octopus), OWGRT_SEED, and
 * OWGRT_PROFILE_OUT (a .owgprof for `owgc --profile-use`).
 *
 * Every frame must complete exactly once, with every object measured and
 * the alert raised exactly when the frame is crowded; otherwise vision
 * says which and exits with 1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vision.h"

#define DEFAULT_FRAMES 1000
#define MAX_FRAMES     1000000

struct run {
	struct vision_job *jobs;
	size_t n;
	unsigned long strays; /* completions that are not one of our frames */
};

/* Called by the runtime on the worker that completed a request, under its
 * lock: counts, nothing more. */
static void on_request(void *ctx, uint64_t id, void *input, double latency)
{
	struct run *r = ctx;
	if (id >= r->n || input != &r->jobs[id]) {
		r->strays++;
		return;
	}
	r->jobs[id].completed++;
	r->jobs[id].latency = latency;
}

static int usage(FILE *to)
{
	fprintf(to, "usage: vision [-n FRAMES]   (default %d frames)\n"
	        "environment: OWGRT_THREADS, OWGRT_POLICY, OWGRT_SEED, OWGRT_PROFILE_OUT\n",
	        DEFAULT_FRAMES);
	return to == stdout ? 0 : 2;
}

static int parse_count(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v == 0 || v > MAX_FRAMES)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* Whether a frame went through the whole workflow, and right. */
static const char *check(const struct vision_job *j)
{
	if (j->completed != 1)
		return j->completed == 0 ? "never completed" : "completed more than once";
	if (!j->reported)
		return "report did not run";
	if (j->seen_objects != j->objects)
		return "report read another object count than detect set";
	if (j->objects > VISION_MAX_OBJECTS || j->measured != j->objects)
		return "not every object was measured";
	if (j->alerted != (j->objects > VISION_CROWD))
		return j->alerted ? "alert ran on a frame that is not crowded" : "no alert on a crowded frame";
	if (j->seen_alert != j->alerted)
		return "report did not see what alert put out";
	return NULL;
}

int main(int argc, char **argv)
{
	size_t n = DEFAULT_FRAMES;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return usage(stdout);
		if (strncmp(arg, "-n", 2) == 0) {
			const char *v = arg[2] != '\0' ? arg + 2 : i + 1 < argc ? argv[++i] : NULL;
			if (v == NULL || parse_count(v, &n) != 0) {
				fprintf(stderr, "vision: -n wants a number of frames from 1 to %d\n", MAX_FRAMES);
				return 2;
			}
			continue;
		}
		fprintf(stderr, "vision: unknown argument '%s'\n", arg);
		return usage(stderr);
	}

	struct run r = { .n = n };
	r.jobs = calloc(n, sizeof *r.jobs);
	void **inputs = calloc(n, sizeof *inputs);
	if (r.jobs == NULL || inputs == NULL) {
		fprintf(stderr, "vision: out of memory for %zu frames\n", n);
		free(r.jobs);
		free(inputs);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		r.jobs[i].id = i;
		inputs[i] = &r.jobs[i];
	}

	owgrt_exec_opts o;
	owgrt_exec_opts_init(&o); /* defaults, then OWGRT_THREADS, OWGRT_POLICY, ... */
	o.on_request = on_request;
	o.ctx = &r;

	owgrt_exec *ex;
	char err[512];
	if (owg_vision_open(&ex, &o, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "vision: %s\n", err);
		free(r.jobs);
		free(inputs);
		return 1;
	}
	int status = 0;
	if (owgrt_exec_run(ex, inputs, n, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "vision: the run stopped: %s\n", err);
		status = 1;
	}
	owgrt_exec_stats st;
	owgrt_exec_stats_get(ex, &st);
	/* Closing writes the profile when OWGRT_PROFILE_OUT asks for one. */
	if (owgrt_exec_close(ex, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "vision: %s\n", err);
		status = 1;
	}

	printf("vision: %zu frames, policy %s, %u threads as %u PEAs\n", n,
	       owgrt_policy_name(o.policy), (unsigned)st.threads, (unsigned)st.peas);
	printf("  requests     %llu completed\n", (unsigned long long)st.requests);
	printf("  tasks        %llu run, %llu failed\n", (unsigned long long)st.tasks_run,
	       (unsigned long long)st.tasks_failed);
	printf("  makespan     %.3f ms\n", st.makespan * 1e3);
	printf("  throughput   %.1f frames/s\n", st.throughput);
	printf("  latency      p50 %.3f ms, p99 %.3f ms\n", st.latency_p50 * 1e3, st.latency_p99 * 1e3);
	printf("  utilisation  %.1f%%, %llu migrations\n", st.utilisation * 100,
	       (unsigned long long)st.migrations);

	/* Per phase of the stream: how busy the frames were. */
	struct { size_t frames, objects, alerts; double latency; } ph[VISION_PHASES] = { { 0 } };
	unsigned long classes[VISION_CLASSES] = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct vision_job *j = &r.jobs[i];
		unsigned p = vision_phase(j->id);
		ph[p].frames++;
		ph[p].objects += j->objects;
		ph[p].alerts += j->alerted;
		ph[p].latency += j->latency;
		for (int c = 0; c < VISION_CLASSES; c++)
			classes[c] += j->classes[c];
	}
	printf("  phase      frames  objects/frame  alerts  mean latency\n");
	for (unsigned p = 0; p < VISION_PHASES; p++) {
		if (ph[p].frames == 0)
			continue;
		printf("  %-8s %8zu %14.2f %6.1f%% %10.3f ms\n", vision_phase_name(p), ph[p].frames,
		       (double)ph[p].objects / (double)ph[p].frames,
		       100.0 * (double)ph[p].alerts / (double)ph[p].frames,
		       ph[p].latency / (double)ph[p].frames * 1e3);
	}
	printf("  objects   ");
	for (unsigned c = 0; c < VISION_CLASSES; c++)
		printf(" %lu %s", classes[c], vision_class_name(c));
	printf("\n");

	/* Every frame exactly once, and right. */
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *why = check(&r.jobs[i]);
		if (why != NULL && bad++ < 10)
			fprintf(stderr, "vision: frame %zu: %s\n", i, why);
	}
	if (r.strays > 0) {
		fprintf(stderr, "vision: %lu completions of requests that were not submitted\n", r.strays);
		status = 1;
	}
	if (st.requests != n) {
		fprintf(stderr, "vision: the runtime counts %llu completed requests, not %zu\n",
		        (unsigned long long)st.requests, n);
		status = 1;
	}
	if (bad > 0) {
		fprintf(stderr, "vision: %zu of %zu frames went wrong\n", bad, n);
		status = 1;
	} else if (status == 0) {
		printf("vision: all %zu frames completed\n", n);
	}
	if (o.profile_out != NULL && status == 0)
		printf("vision: profile written to %s\n", o.profile_out);
	free(r.jobs);
	free(inputs);
	return status;
}
