/* runner.h - what the three runners of bench/dispatch.sh share: the DAG
 * read from dag_gen's edge list, their command line, the clock, and the
 * kernel's work, so that OpenMP, StarPU and owgrt run the same function.
 *
 *   RUNNER EDGES THREADS REQUESTS SPIN_NS [OPTION]
 *
 * runs REQUESTS instances of the DAG on THREADS threads, every task
 * calling bench_kernel(): nothing when SPIN_NS is 0, else a busy-wait of
 * SPIN_NS nanoseconds of the thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
 * Prints one line, "wall SECONDS tasks N cpu SECONDS": the time from the
 * first task submitted to the last one completed (the threads already
 * started), and the CPU time (user + system) of the whole process, all
 * its threads, from its start (bench/dispatch.sh subtracts it from the
 * machine's to see what other processes took during the run). */
#ifndef DISPATCH_RUNNER_H
#define DISPATCH_RUNNER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct dag {
	unsigned n;        /* tasks, in a topological order */
	size_t edges;
	unsigned *poff;    /* predecessors of task t: pred[poff[t] .. poff[t+1]) */
	unsigned *pred;
	unsigned maxpred;
} dag;

typedef struct bench_args {
	dag g;
	unsigned threads;
	uint64_t requests;
	uint64_t spin_ns;
	const char *option; /* argv[5] or NULL */
} bench_args;

static uint64_t bench_spin_ns;

static inline uint64_t bench_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The task's work, the same in the three runners; not inlined, so that
 * every runner pays the same call. */
__attribute__((noinline)) static int bench_kernel(void)
{
	if (bench_spin_ns) {
		uint64_t end = bench_cpu_ns() + bench_spin_ns;
		while (bench_cpu_ns() < end)
			;
	}
	return 0;
}

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_die(const char *what)
{
	fprintf(stderr, "dispatch runner: %s\n", what);
	exit(1);
}

static void dag_read(dag *g, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned n = 0;
	size_t e = 0;
	if (!f)
		bench_die("cannot open the edge list");
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && sscanf(line, "tasks %u edges %zu", &n, &e) == 2)
			break;
	if (!n)
		bench_die("no 'tasks N edges E' line in the edge list");
	unsigned *a = malloc(sizeof *a * (e ? e : 1)), *b = malloc(sizeof *b * (e ? e : 1));
	g->poff = calloc((size_t)n + 1, sizeof *g->poff);
	g->pred = malloc(sizeof *g->pred * (e ? e : 1));
	if (!a || !b || !g->poff || !g->pred)
		bench_die("out of memory");
	for (size_t i = 0; i < e; i++) {
		if (fscanf(f, "%u %u", &a[i], &b[i]) != 2 || a[i] >= b[i] || b[i] >= n)
			bench_die("bad edge (need A < B < tasks)");
		g->poff[b[i] + 1]++;
	}
	fclose(f);
	g->maxpred = 0;
	for (unsigned t = 0; t < n; t++) {
		if (g->poff[t + 1] > g->maxpred)
			g->maxpred = g->poff[t + 1];
		g->poff[t + 1] += g->poff[t];
	}
	unsigned *fill = calloc(n, sizeof *fill);
	if (!fill)
		bench_die("out of memory");
	for (size_t i = 0; i < e; i++)
		g->pred[g->poff[b[i]] + fill[b[i]]++] = a[i];
	free(fill);
	free(a);
	free(b);
	g->n = n;
	g->edges = e;
}

/* With -DBENCH_VERIFY, every runner calls bench_verify(r, t) in task t
 * of request r: it checks that the task's predecessors have completed and
 * that it runs once, and bench_report checks that every task ran. */
#ifdef BENCH_VERIFY
#include <stdatomic.h>
static atomic_uchar *bench_done;
static const dag *bench_g;
static void bench_verify(uint64_t r, unsigned t)
{
	atomic_uchar *d = bench_done + (size_t)r * bench_g->n;
	for (unsigned i = bench_g->poff[t]; i < bench_g->poff[t + 1]; i++)
		if (!atomic_load(&d[bench_g->pred[i]])) {
			fprintf(stderr, "verify: request %llu task t%u ran before t%u\n",
			        (unsigned long long)r, t, bench_g->pred[i]);
			exit(3);
		}
	if (atomic_exchange(&d[t], 1)) {
		fprintf(stderr, "verify: request %llu task t%u ran twice\n", (unsigned long long)r, t);
		exit(3);
	}
}
#define BENCH_VERIFY_INIT(a)                                                               \
	do {                                                                               \
		bench_g = &(a)->g;                                                        \
		bench_done = calloc((size_t)(a)->requests * (a)->g.n, 1);                  \
		if (!bench_done)                                                           \
			bench_die("out of memory");                                        \
	} while (0)
#else
#define bench_verify(r, t) ((void)0)
#define BENCH_VERIFY_INIT(a) ((void)0)
#endif

static void bench_parse(bench_args *a, int argc, char **argv)
{
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s EDGES THREADS REQUESTS SPIN_NS [OPTION]\n", argv[0]);
		exit(2);
	}
	dag_read(&a->g, argv[1]);
	a->threads = (unsigned)strtoul(argv[2], NULL, 10);
	a->requests = strtoull(argv[3], NULL, 10);
	a->spin_ns = strtoull(argv[4], NULL, 10);
	a->option = argc > 5 ? argv[5] : NULL;
	if (!a->threads || !a->requests)
		bench_die("THREADS and REQUESTS must be positive");
	bench_spin_ns = a->spin_ns;
	BENCH_VERIFY_INIT(a);
}

static void bench_report(const bench_args *a, double wall)
{
#ifdef BENCH_VERIFY
	for (size_t i = 0; i < (size_t)a->requests * a->g.n; i++)
		if (!bench_done[i]) {
			fprintf(stderr, "verify: request %zu task t%zu never ran\n", i / a->g.n, i % a->g.n);
			exit(3);
		}
	fprintf(stderr, "verify: %zu task executions in order\n", (size_t)a->requests * a->g.n);
#endif
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	printf("wall %.6f tasks %llu cpu %.6f\n", wall, (unsigned long long)a->requests * a->g.n, cpu);
	fflush(stdout);
}

#endif
