/* serial_runner - bench/dispatch.sh's reference: no runtime at all, the
 * main thread calls the kernel for every task of every request in
 * topological order (THREADS is ignored).  Its time per task is the
 * kernel's own cost (the loop, the call, the spin's clock reads), the
 * floor under every runtime's.  See runner.h for the arguments. */
#include "runner.h"

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(&a, argc, argv);
	double t0 = bench_now();
	for (uint64_t r = 0; r < a.requests; r++)
		for (unsigned t = 0; t < a.g.n; t++) {
			bench_verify(r, t);
			bench_kernel();
		}
	double t1 = bench_now();
	bench_report(&a, t1 - t0);
	return 0;
}
