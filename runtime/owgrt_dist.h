/* owgrt_dist.h - moments, quantiles and sampling of owgrt_dist (owgrt.h),
 * the one implementation the compiler (src/dist.h adapts it to owg_dist)
 * and the runtime share.
 *
 * This is the contract that the simulator (walk.c) and the analysis
 * passes share: a pass's closed-form mean is the mean of what the walk
 * samples.  Parameters are trusted (the IR verifier makes them finite and
 * non-negative); degenerate values (sd 0, a = 0, one sample, no samples)
 * give point masses, never a division by zero or an endless loop.
 *
 * TIMES (seconds).  A sample T is
 *   CONST a              a
 *   NORMAL, MEANSD a b   max(0, X), X ~ N(a, b^2): clamped, so a point
 *                        mass P(X <= 0) sits at 0
 *   LOGNORMAL a b        a exp(b Z), Z ~ N(0, 1): a is the median, b the
 *                        sigma of the log
 *   UNIFORM a b          lo + (hi - lo) U with lo = min(a, b), hi = max(a, b)
 *   EXP a                -a ln U: mean a
 *   EMPIRICAL            one of the samples, each with probability 1/n
 *                        (no samples: 0)
 *   POISSON, GEOMETRIC   not times; treated as CONST a (their mean)
 * owgrt_time_mean and owgrt_time_var are exact closed forms (for the clamped
 * normal with t = a/b: E T = a Phi(t) + b phi(t), E T^2 = (a^2 + b^2)
 * Phi(t) + a b phi(t), evaluated in a form free of cancellation); for
 * EMPIRICAL the population mean and variance of the samples.
 * owgrt_time_quantile(d, p) is the exact inverse CDF inf{x : F(x) >= p}:
 * max(0, a + b z_p), a exp(b z_p), lo + (hi - lo) p, -a ln(1 - p), and
 * for EMPIRICAL sorted[ceil(p n) - 1] with p n computed in double, so
 * that a decimal p means what it says (0.2 of 5 samples is the first,
 * though the binary 0.2 is a hair above 1/5); the samples are not
 * reordered.  p <= 0 gives the bottom of the support, p >= 1 the top
 * (INFINITY for the unbounded kinds), NaN gives NaN.
 *
 * COUNTS (loop trips, fork items): integers K >= 0.
 *   POISSON a            Poisson with mean a (exact: inversion below 10,
 *                        Hoermann's PTRS rejection from 10)
 *   GEOMETRIC a          P(K = k) = (1 - q) q^k on 0, 1, 2, ..., q = a/(1+a)
 *   every other kind     Y = max(0, T) with T drawn as for times (CONST
 *                        included), then stochastic rounding:
 *                        K = floor(Y) + Bernoulli(Y - floor(Y)), so that
 *                        E K = E Y exactly.  A whole Y (a whole CONST, the
 *                        normal's mass at 0) draws no Bernoulli.
 * Samples saturate at 2^53, far above OWG_MAX_COUNT.
 * owgrt_count_moments: Poisson a, a; geometric a, a(1 + a); otherwise
 * E K = E Y and Var K = Var Y + E[f (1 - f)], f = Y - floor(Y).  That
 * last term is a finite sum for CONST and EMPIRICAL, a closed form for
 * UNIFORM and EXP, and for the normal and the lognormal Gauss-Legendre
 * quadrature between the integers where the density is narrow, plus the
 * Euler-Maclaurin series (1/6 and derivative terms) where it is wide on
 * the unit scale; accurate to 1e-10 absolute (1e-15 against mpmath).
 * (Plain 1/6 would be off by up to p'(0)/360, about 3e-7 for a clamped
 * normal with sd 50.)
 * owgrt_count_prob_positive = P(K >= 1) = E[min(Y, 1)] (Y in (0, 1) rounds
 * up with probability Y): 1 - e^-a, q, and closed forms or quadrature
 * for the other kinds. */
#ifndef OWGRT_DIST_H
#define OWGRT_DIST_H

#include <stdint.h>

#include "owgrt.h"
#include "owgrt_rng.h"

/* Phi(z) = erfc(-z/sqrt 2)/2, accurate in both tails. */
double owgrt_normal_cdf(double z);
/* Phi^-1(p): Acklam's approximation (owgrt_rng_probit) and one Halley step
 * on erfc, relative error about 1e-15; +-INFINITY at 0 and 1. */
double owgrt_normal_quantile(double p);

double owgrt_time_mean(const owgrt_dist *d);
double owgrt_time_var(const owgrt_dist *d);
/* The inverse CDF at p in (0, 1). */
double owgrt_time_quantile(const owgrt_dist *d, double p);
/* One draw from r (EMPIRICAL: one owgrt_rng_below; CONST: none; the other
 * kinds one owgrt_rng_next). */
double owgrt_time_sample(const owgrt_dist *d, owgrt_rng *r);

void owgrt_count_moments(const owgrt_dist *d, double *mean, double *var);
/* P(K >= 1). */
double owgrt_count_prob_positive(const owgrt_dist *d);
uint64_t owgrt_count_sample(const owgrt_dist *d, owgrt_rng *r);

#endif
