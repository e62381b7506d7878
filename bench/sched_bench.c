/* sched_bench.c - the scheduler core's own cost per event (issue 5),
 * without the simulator around it.
 *
 *   bench/sched-bench WF.owgp [JOBS [IN-FLIGHT]]
 *
 * For every policy, drives runtime/owgrt_sched.c with a synthetic stream:
 * JOBS jobs (default 10^6) of the workflow's tasks, drawn in proportion to
 * their expected executions per request, each ready next to a random PEA;
 * at most IN-FLIGHT at once (default: the fabric's PEAs, at most 65536), finished in the order
 * they were dispatched.  Prints nanoseconds per event (a ready or a
 * finish) and the core's memory per PEA and per job.  The point is the
 * comparison across fabric sizes: the time per event must not grow with
 * the fabric. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "owgrt.h"
#include "owgrt_sched.h"
#include "owgrt_sim.h"

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Tasks weighted by expected executions per request, as a table to draw
 * from uniformly. */
static uint32_t *task_table(const owgrt_program *p, uint32_t *n)
{
	uint32_t cap = 4096, *t = malloc(cap * sizeof *t);
	double total = 0;
	for (uint32_t i = 0; i < p->nnodes; i++)
		if (p->nodes[i].kind == OWGRT_NODE_TASK)
			total += p->analysis.freq ? p->analysis.freq[i].mean : 1;
	*n = 0;
	for (uint32_t i = 0; t && i < p->nnodes; i++) {
		if (p->nodes[i].kind != OWGRT_NODE_TASK)
			continue;
		double f = p->analysis.freq ? p->analysis.freq[i].mean : 1;
		uint32_t k = (uint32_t)(f / total * cap + 0.5);
		for (uint32_t j = 0; j < (k ? k : 1) && *n < cap; j++)
			t[(*n)++] = i;
	}
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: sched-bench WF.owgp [JOBS [IN-FLIGHT]]\n");
		return 2;
	}
	uint64_t jobs = argc >= 3 ? strtoull(argv[2], NULL, 10) : 1000000;
	owgrt_program *p;
	char err[512];
	if (owgrt_load_file(argv[1], &p, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "sched-bench: %s\n", err);
		return 1;
	}
	uint32_t ntab, npeas = p->plan->width * p->plan->height, *tab = task_table(p, &ntab);
	uint32_t window = argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 10) : npeas < 65536 ? npeas : 65536;
	window = window ? window : 1;
	uint32_t *fifo = malloc((size_t)window * 4 * sizeof *fifo);
	uint32_t *free_ids = malloc((size_t)window * 4 * sizeof *free_ids);
	if (!tab || !ntab || !fifo || !free_ids) {
		fprintf(stderr, "sched-bench: out of memory or no tasks\n");
		return 1;
	}
	printf("%s on %s (%u PEAs): %llu jobs, at most %u in flight\n", p->name, p->plan->fabric->name, npeas,
	       (unsigned long long)jobs, window);
	printf("core memory: %zu bytes per PEA, %zu bytes per job\n", owgrt_sched_bytes_per_pea(),
	       owgrt_sched_bytes_per_job());
	for (int pol = 0; pol < OWGRT_POLICIES; pol++) {
		owgrt_sim_opts o;
		owgrt_sim_opts_init(&o);
		o.policy = (owgrt_policy)pol;
		owgrt_sched *sc = owgrt_sched_new(p, &o, err, sizeof err);
		if (!sc) {
			fprintf(stderr, "sched-bench: %s\n", err);
			return 1;
		}
		uint64_t x = 88172645463325252ull, readied = 0, events = 0;
		uint32_t cap = window * 4, head = 0, count = 0, nfree = 0, pending = 0, next_id = 0;
		double now = 0, t0 = seconds();
		while (readied < jobs || count) {
			if (readied < jobs && pending < window) {
				uint32_t id = nfree ? free_ids[--nfree] : next_id++;
				uint32_t node = tab[next(&x) % ntab], near = (uint32_t)(next(&x) % npeas);
				owgrt_sched_ready(sc, id, node, near, now, now);
				readied++;
				pending++;
			} else {
				if (!count) {
					fprintf(stderr, "sched-bench: %s left jobs waiting with nothing running\n",
						owgrt_policy_name((owgrt_policy)pol));
					return 1;
				}
				uint32_t id = fifo[head];
				head = (head + 1) % cap;
				count--;
				owgrt_sched_finished(sc, id, now);
				free_ids[nfree++] = id;
				pending--;
			}
			events++;
			now += 1e-6;
			size_t n;
			const owgrt_sched_dispatch *d = owgrt_sched_take(sc, &n);
			for (size_t i = 0; i < n; i++) {
				fifo[(head + count) % cap] = d[i].job;
				count++;
			}
			owgrt_sched_take_moves(sc, &n);
			if (owgrt_sched_oom(sc)) {
				fprintf(stderr, "sched-bench: out of memory\n");
				return 1;
			}
		}
		double dt = seconds() - t0;
		printf("%-9s %8.1f ns per event (%llu events)\n", owgrt_policy_name((owgrt_policy)pol), 1e9 * dt / (double)events,
		       (unsigned long long)events);
		owgrt_sched_free(sc);
	}
	free(tab);
	free(fifo);
	free(free_ids);
	owgrt_program_free(p);
	return 0;
}
