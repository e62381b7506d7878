#include "config.h"

/* dist.c - owg_dist to owgrt_dist (see dist.h). */

#include "dist.h"

/* The two enums list the kinds in the same order. */
_Static_assert((int)OWG_DIST_CONST == (int)OWGRT_DIST_CONST && (int)OWG_DIST_MEANSD == (int)OWGRT_DIST_MEANSD &&
		       (int)OWG_DIST_NORMAL == (int)OWGRT_DIST_NORMAL &&
		       (int)OWG_DIST_LOGNORMAL == (int)OWGRT_DIST_LOGNORMAL &&
		       (int)OWG_DIST_UNIFORM == (int)OWGRT_DIST_UNIFORM && (int)OWG_DIST_EXP == (int)OWGRT_DIST_EXP &&
		       (int)OWG_DIST_POISSON == (int)OWGRT_DIST_POISSON &&
		       (int)OWG_DIST_GEOMETRIC == (int)OWGRT_DIST_GEOMETRIC &&
		       (int)OWG_DIST_EMPIRICAL == (int)OWGRT_DIST_EMPIRICAL,
	       "owg_dist_kind and owgrt_dist_kind in the same order");

static owgrt_dist conv(const owg_dist *d)
{
	return (owgrt_dist){(owgrt_dist_kind)d->kind, d->a, d->b, d->nsamples, d->samples};
}

double owg_time_mean(const owg_dist *d)
{
	owgrt_dist r = conv(d);
	return owgrt_time_mean(&r);
}

double owg_time_var(const owg_dist *d)
{
	owgrt_dist r = conv(d);
	return owgrt_time_var(&r);
}

double owg_time_quantile(const owg_dist *d, double p)
{
	owgrt_dist r = conv(d);
	return owgrt_time_quantile(&r, p);
}

double owg_time_sample(const owg_dist *d, owgrt_rng *rng)
{
	owgrt_dist r = conv(d);
	return owgrt_time_sample(&r, rng);
}

void owg_count_moments(const owg_dist *d, double *mean, double *var)
{
	owgrt_dist r = conv(d);
	owgrt_count_moments(&r, mean, var);
}

double owg_count_prob_positive(const owg_dist *d)
{
	owgrt_dist r = conv(d);
	return owgrt_count_prob_positive(&r);
}

uint64_t owg_count_sample(const owg_dist *d, owgrt_rng *rng)
{
	owgrt_dist r = conv(d);
	return owgrt_count_sample(&r, rng);
}
