/* dist.h - the distributions of the IR (owg_dist, ir.h): moments,
 * quantiles and sampling.  The implementation and its contract (how each
 * kind is sampled, for times and for counts) are the runtime's
 * (runtime/owgrt_dist.h), so that the compiler's analysis, its walk and
 * the simulator all agree; this is the adapter from owg_dist. */
#ifndef OWG_DIST_H
#define OWG_DIST_H

#include <stdint.h>

#include "ir.h"
#include "../runtime/owgrt_dist.h"

double owg_time_mean(const owg_dist *d);
double owg_time_var(const owg_dist *d);
/* The inverse CDF at p in (0, 1). */
double owg_time_quantile(const owg_dist *d, double p);
double owg_time_sample(const owg_dist *d, owgrt_rng *r);

void owg_count_moments(const owg_dist *d, double *mean, double *var);
/* P(K >= 1). */
double owg_count_prob_positive(const owg_dist *d);
uint64_t owg_count_sample(const owg_dist *d, owgrt_rng *r);

#endif
