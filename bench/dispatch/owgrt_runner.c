/* owgrt_runner - bench/dispatch.sh's owgrt side: linked with the object
 * that `owgc -c` wrote for dag_gen's workflow (named dag, its tasks
 * naming the kernel "empty" or "spin"), it opens the workflow through the
 * generated entry owg_dag_open with THREADS threads and the policy OPTION
 * (static, reactive, steal or octopus; default octopus) and runs REQUESTS
 * requests with owgrt_exec_run.  The time excludes owgrt_exec_open (the
 * load and the threads' start).  See runner.h for the arguments. */
#include "owgrt.h"
#include "runner.h"

int owg_dag_open(owgrt_exec **ex, const owgrt_exec_opts *o, char *err, size_t err_size);

static int bench_task(owgrt_task *t)
{
#ifdef BENCH_VERIFY
	bench_verify(owgrt_task_request(t), (unsigned)strtoul(owgrt_task_name(t) + 1, NULL, 10));
#else
	(void)t;
#endif
	return bench_kernel();
}

/* the kernels the workflow names: the same work (runner.h) */
int empty(owgrt_task *t);
int spin(owgrt_task *t);
int empty(owgrt_task *t) { return bench_task(t); }
int spin(owgrt_task *t) { return bench_task(t); }

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(&a, argc, argv);
	owgrt_exec_opts o;
	owgrt_exec_opts_init(&o);
	o.threads = a.threads;
	if (a.option && !owgrt_policy_parse(a.option, &o.policy))
		bench_die("unknown policy");
	owgrt_exec *ex;
	char err[512];
	if (owg_dag_open(&ex, &o, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "owgrt_runner: %s\n", err);
		return 1;
	}
	double t0 = bench_now();
	int rc = owgrt_exec_run(ex, NULL, a.requests, err, sizeof err);
	double t1 = bench_now();
	if (rc != OWGRT_OK) {
		fprintf(stderr, "owgrt_runner: %s\n", err);
		return 1;
	}
	owgrt_exec_stats st;
	owgrt_exec_stats_get(ex, &st);
	if (st.requests != a.requests || st.tasks_run != a.requests * a.g.n) {
		fprintf(stderr, "owgrt_runner: %llu requests and %llu task executions completed, expected %llu and %llu\n",
		        (unsigned long long)st.requests, (unsigned long long)st.tasks_run,
		        (unsigned long long)a.requests, (unsigned long long)a.requests * a.g.n);
		return 1;
	}
	bench_report(&a, t1 - t0);
	printf("owgrt %s threads %u peas %u utilisation %.3f migrations %llu reconfigurations %llu\n",
	       owgrt_policy_name(o.policy), st.threads, st.peas, st.utilisation,
	       (unsigned long long)st.migrations, (unsigned long long)st.reconfigurations);
	if (owgrt_exec_close(ex, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "owgrt_runner: %s\n", err);
		return 1;
	}
	return 0;
}
