/* omp_runner - bench/dispatch.sh's OpenMP side: one parallel region of
 * THREADS threads; one producer (omp single) creates every task of every
 * request in topological order, each with depend(in:) on its
 * predecessors' dependency objects and depend(out:) on its own (one byte
 * per task per request, so requests are independent); the barrier at the
 * end of the region waits for them all.  See runner.h for the arguments. */
#include <omp.h>
#include "runner.h"

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(&a, argc, argv);
	const unsigned n = a.g.n, *poff = a.g.poff, *pred = a.g.pred;
	char *dep = calloc((size_t)a.requests * n, 1);
	if (!dep)
		bench_die("out of memory");
	omp_set_dynamic(0);
	/* start the team once, outside the measurement */
#pragma omp parallel num_threads(a.threads)
	{
		(void)0;
	}
	double t0 = bench_now();
#pragma omp parallel num_threads(a.threads)
#pragma omp single
	for (uint64_t r = 0; r < a.requests; r++) {
		char *d = dep + (size_t)r * n;
		for (unsigned t = 0; t < n; t++) {
			const unsigned *p = pred + poff[t];
			unsigned k = poff[t + 1] - poff[t];
			(void)d, (void)k; /* GCC 12 does not see their use in the iterator */
#pragma omp task depend(iterator(j = 0:k), in: d[p[j]]) depend(out: d[t])
			{
				bench_verify(r, t);
				bench_kernel();
			}
		}
	}
	double t1 = bench_now();
	bench_report(&a, t1 - t0);
	free(dep);
	return 0;
}
