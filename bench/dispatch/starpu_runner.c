/* starpu_runner - bench/dispatch.sh's StarPU side: THREADS CPU workers
 * (conf.ncpus; no CUDA, no OpenCL), one codelet with a CPU implementation
 * and no data handles.  The main thread submits each request in turn: it
 * creates the request's tasks, declares each one's predecessors with
 * starpu_task_declare_deps_array (all before any is submitted, so that
 * none has been destroyed yet), and submits them in topological order;
 * then starpu_task_wait_for_all.  The scheduler is $STARPU_SCHED
 * (bench/dispatch.sh sets it).  See runner.h for the arguments. */
#include <starpu.h>
#include "runner.h"

static void cpu(void *buffers[], void *arg)
{
	(void)buffers;
#ifdef BENCH_VERIFY
	uintptr_t k = (uintptr_t)arg;
	bench_verify(k / bench_g->n, (unsigned)(k % bench_g->n));
#else
	(void)arg;
#endif
	bench_kernel();
}

static struct starpu_codelet cl = {
	.where = STARPU_CPU,
	.cpu_funcs = { cpu },
	.cpu_funcs_name = { "cpu" },
	.nbuffers = 0,
	.name = "dispatch",
};

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(&a, argc, argv);
	const unsigned n = a.g.n, *poff = a.g.poff, *pred = a.g.pred;
	struct starpu_conf conf;
	starpu_conf_init(&conf);
	conf.ncpus = (int)a.threads;
	conf.ncuda = 0;
	conf.nopencl = 0;
	if (starpu_init(&conf) != 0)
		bench_die("starpu_init failed");
	if (starpu_cpu_worker_get_count() != a.threads)
		bench_die("StarPU did not start THREADS CPU workers");
	struct starpu_task **task = malloc(sizeof *task * n), **deps = malloc(sizeof *deps * (a.g.maxpred + 1));
	if (!task || !deps)
		bench_die("out of memory");
	double t0 = bench_now();
	for (uint64_t r = 0; r < a.requests; r++) {
		for (unsigned t = 0; t < n; t++) {
			task[t] = starpu_task_create();
			task[t]->cl = &cl;
			task[t]->cl_arg = (void *)(uintptr_t)(r * n + t);
		}
		for (unsigned t = 0; t < n; t++) {
			unsigned k = 0;
			for (unsigned i = poff[t]; i < poff[t + 1]; i++)
				deps[k++] = task[pred[i]];
			starpu_task_declare_deps_array(task[t], k, deps);
		}
		for (unsigned t = 0; t < n; t++)
			if (starpu_task_submit(task[t]) != 0)
				bench_die("starpu_task_submit failed");
	}
	starpu_task_wait_for_all();
	double t1 = bench_now();
	starpu_shutdown();
	bench_report(&a, t1 - t0);
	free(task);
	free(deps);
	return 0;
}
