#include "config.h"

/* pass_time_stats.c - execution-time statistics of every task.
 *
 * From the profile's samples when it has at least MIN_SAMPLES of a task:
 * first the outliers go (farther than OUTLIER_K robust standard deviations
 * from the median, the robust sd being 1.4826 x the median absolute
 * deviation), so that one spike cannot distort a task; then mean, sample
 * sd and the empirical quantiles (the smallest sample with F(x) >= p) of
 * the rest.  Otherwise exactly, from the declared distribution (dist.h).
 * A task whose annotation came from a profile keeps it when no profile is
 * given (annotated IR read back). */

#include <math.h>
#include <stdlib.h>

#include "dist.h"
#include "pass_internal.h"
#include "profile.h"

enum { MIN_SAMPLES = 8 };
#define OUTLIER_K 5.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double sorted_quantile(const double *x, size_t n, double p)
{
	size_t k = (size_t)ceil(p * (double)n);
	return x[k ? k - 1 : 0];
}

static double median_sorted(const double *x, size_t n)
{
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Robust statistics of n > 0 samples (x is scratch space, reordered). */
static void from_samples(double *x, size_t n, owg_time_stats *t)
{
	qsort(x, n, sizeof *x, cmp_double);
	double med = median_sorted(x, n);
	double *dev = owg_xmalloc(n * sizeof *dev);
	double mean_dev = 0;
	for (size_t i = 0; i < n; i++) {
		dev[i] = fabs(x[i] - med);
		mean_dev += dev[i] / (double)n;
	}
	qsort(dev, n, sizeof *dev, cmp_double);
	double scale = 1.4826 * median_sorted(dev, n);
	free(dev);
	if (scale == 0)
		scale = 1.2533 * mean_dev; /* over half the samples equal: the mean deviation */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (scale == 0 || fabs(x[i] - med) <= OUTLIER_K * scale)
			x[kept++] = x[i]; /* stays sorted */
	double sum = 0, sq = 0;
	for (size_t i = 0; i < kept; i++)
		sum += x[i];
	t->mean = sum / (double)kept;
	for (size_t i = 0; i < kept; i++)
		sq += (x[i] - t->mean) * (x[i] - t->mean);
	t->sd = kept > 1 ? sqrt(sq / (double)(kept - 1)) : 0;
	t->p50 = sorted_quantile(x, kept, 0.50);
	t->p95 = sorted_quantile(x, kept, 0.95);
	t->p99 = sorted_quantile(x, kept, 0.99);
	t->samples = (uint32_t)n;
	t->outliers = (uint32_t)(n - kept);
}

static void from_model(const owg_dist *d, owg_time_stats *t)
{
	t->mean = owg_time_mean(d);
	t->sd = sqrt(owg_time_var(d));
	t->p50 = owg_time_quantile(d, 0.50);
	t->p95 = owg_time_quantile(d, 0.95);
	t->p99 = owg_time_quantile(d, 0.99);
	t->samples = t->outliers = 0;
}

bool owg_pass_time_stats(owg_pass_ctx *ctx)
{
	owg_graph *g = ctx->g;
	owg_time_stats *old = g->an.time;
	owg_time_stats *ts = owg_arena_alloc(&g->arena, g->nodes.n * sizeof *ts + 1);
	double *scratch = NULL;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		owg_time_stats *t = &ts[i];
		const owg_prof_entry *pe = ctx->profile ? owg_prof_get(ctx->profile, n->id) : NULL;
		size_t ns = pe ? pe->nsamples : 0;
		if (ns >= MIN_SAMPLES) {
			scratch = owg_xrealloc(scratch, ns * sizeof *scratch);
			for (size_t k = 0; k < ns; k++)
				scratch[k] = pe->samples[k].time;
			from_samples(scratch, ns, t);
		} else if (!ctx->profile && old && old[i].samples) {
			*t = old[i];
		} else {
			from_model(&n->time, t);
		}
		t->cv = t->mean > 0 ? t->sd / t->mean : 0;
		t->is_volatile = t->cv > ctx->opts->cv_threshold;
	}
	free(scratch);
	g->an.time = ts;
	return true;
}
