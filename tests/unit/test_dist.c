#include "config.h"

/* test_dist.c - the random number generator (rng.h) and the distribution
 * contract (dist.h): pinned first values, closed forms against values
 * computed with mpmath at 50 digits, and Monte-Carlo agreement of every
 * sampler with its moments, quantiles and P(K >= 1). */

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dist.h"
#include "../runtime/owgrt_rng.h"
#include "unit.h"

#define MC_DRAWS 1000000
#define MC_SIGMAS 5.0

#define ck_near(x, y, tol)                                                             \
	do {                                                                           \
		double x_ = (x), y_ = (y);                                             \
		ck_assert_msg(fabs(x_ - y_) <= (tol), "%s = %.17g, expected %.17g +- %g", \
			      #x, x_, y_, (double)(tol));                              \
	} while (0)
#define ck_rel(x, y, tol) ck_near(x, y, (tol) * fabs((double)(y)))

static owg_dist dist(owg_dist_kind kind, double a, double b)
{
	owg_dist d = {kind, a, b, 0, NULL};
	return d;
}

static owg_dist empirical(double *x, uint32_t n)
{
	owg_dist d = {OWG_DIST_EMPIRICAL, 0, 0, n, x};
	return d;
}

/* Count variance minus time variance: E[f(1 - f)] of stochastic rounding. */
static double efrac(owg_dist d)
{
	double m, v;
	owg_count_moments(&d, &m, &v);
	return v - owg_time_var(&d);
}

/* ------------------------------------------------------------- rng */

START_TEST(test_rng_pinned)
{
	/* The cross-platform contract: these never change. */
	ck_assert_uint_eq(owgrt_hash64(0), 0);
	ck_assert_uint_eq(owgrt_hash64(0x9e3779b97f4a7c15u), 0xe220a8397b1dcdafu); /* splitmix64(0) */
	ck_assert_uint_eq(owgrt_hash64(1), 0x5692161d100b05e5u);

	owgrt_rng r;
	owgrt_rng_seed(&r, 0);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0x99ec5f36cb75f2b4u);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0xbf6e1f784956452au);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0x1a5f849d4933e6e0u);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0x6aa594f1262d2d2cu);

	owgrt_rng_seed(&r, 42);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0x15780b2e0c2ec716u);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0x6104d9866d113a7eu);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0xae17533239e499a1u);

	owgrt_rng_seed(&r, 42);
	ck_assert(owgrt_rng_uniform(&r) == 0x1.5780b2e0c2ecp-4);
	ck_assert(owgrt_rng_uniform(&r) == 0x1.84136619b444ep-2);
	ck_assert(owgrt_rng_uniform(&r) == 0x1.5c2ea66473c93p-1);
	owgrt_rng_seed(&r, 42);
	ck_assert(owgrt_rng_uniform_pos(&r) == 0x1.5780b2e0c2ec8p-4);
	ck_assert(owgrt_rng_uniform_pos(&r) == 0x1.84136619b444ep-2);
	/* libm's log may differ in the last bit: a tolerance for the normals */
	owgrt_rng_seed(&r, 42);
	ck_rel(owgrt_rng_normal(&r), -1.3795477256076294, 1e-13);
	ck_rel(owgrt_rng_normal(&r), -0.3081601131782401, 1e-13);
	ck_rel(owgrt_rng_normal(&r), 0.4678201946517348, 1e-13);
	owgrt_rng_seed(&r, 42);
	ck_assert_uint_eq(owgrt_rng_below(&r, 10), 0);
	ck_assert_uint_eq(owgrt_rng_below(&r, 10), 3);
	ck_assert_uint_eq(owgrt_rng_below(&r, 10), 6);

	owgrt_rng_stream(&r, 7, 1, 2, 3);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0xd7421da57ededcdcu);
	ck_assert_uint_eq(owgrt_rng_next(&r), 0xbae8d5b6162045a5u);
}
END_TEST

START_TEST(test_rng_samples_pinned)
{
	owgrt_rng r;
	owg_dist u = dist(OWG_DIST_UNIFORM, 1, 4), e = dist(OWG_DIST_EXP, 2, 0);
	owgrt_rng_stream(&r, 1, 2, 3, 4);
	ck_assert(owg_time_sample(&u, &r) == 0x1.0f7d4d1d081d9p+1);
	ck_assert(owg_time_sample(&u, &r) == 0x1.a64a4e92b99f5p+0);
	ck_assert(owg_time_sample(&u, &r) == 0x1.91cad7142b3d9p+1);
	owgrt_rng_stream(&r, 1, 2, 3, 4);
	ck_rel(owg_time_sample(&e, &r), 0x1.f800c8cb70df5p+0, 1e-14);
	ck_rel(owg_time_sample(&e, &r), 0x1.87b1adb2da0f8p+1, 1e-14);

	static const struct {
		owg_dist_kind kind;
		double a, b;
		uint64_t k[6];
	} want[] = {
		{OWG_DIST_POISSON, 3.5, 0, {3, 2, 4, 4, 5, 2}},
		{OWG_DIST_POISSON, 250, 0, {244, 260, 262, 297, 215, 236}},
		{OWG_DIST_GEOMETRIC, 2.5, 0, {2, 4, 1, 1, 0, 5}},
		{OWG_DIST_UNIFORM, 0, 10, {4, 7, 8, 10, 10, 1}},
		{OWG_DIST_NORMAL, 20, 5, {19, 23, 24, 29, 31, 12}},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		owg_dist d = dist(want[i].kind, want[i].a, want[i].b);
		owgrt_rng_stream(&r, 1, 2, 3, 4);
		for (int j = 0; j < 6; j++)
			ck_assert_uint_eq(owg_count_sample(&d, &r), want[i].k[j]);
	}
}
END_TEST

static int popcount64(uint64_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

START_TEST(test_rng_streams)
{
	owgrt_rng r1, r2;
	/* the same tuple, the same stream */
	owgrt_rng_stream(&r1, 5, 6, 7, 8);
	owgrt_rng_stream(&r2, 5, 6, 7, 8);
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(owgrt_rng_next(&r1), owgrt_rng_next(&r2));

	/* neighbours in any word, and permutations, give unrelated streams:
	 * about half the bits of the first word differ */
	long bits = 0, pairs = 0;
	for (uint64_t s = 0; s < 4; s++)
		for (uint64_t a = 0; a < 8; a++)
			for (uint64_t b = 0; b < 8; b++)
				for (uint64_t c = 0; c < 8; c++) {
					owgrt_rng_stream(&r1, s, a, b, c);
					uint64_t x = owgrt_rng_next(&r1);
					uint64_t nb[4][4] = {{s + 1, a, b, c}, {s, a + 1, b, c},
							     {s, a, b + 1, c}, {s, a, b, c + 1}};
					for (int k = 0; k < 4; k++) {
						owgrt_rng_stream(&r2, nb[k][0], nb[k][1], nb[k][2], nb[k][3]);
						uint64_t y = owgrt_rng_next(&r2);
						if (x == y)
							ck_abort_msg("streams %d of (%d %d %d %d) collide",
								     k, (int)s, (int)a, (int)b, (int)c);
						bits += popcount64(x ^ y);
						pairs++;
					}
				}
	double avg = (double)bits / pairs;
	ck_assert_msg(avg > 31.5 && avg < 32.5, "average differing bits %g", avg);

	owgrt_rng_stream(&r1, 1, 2, 3, 4);
	owgrt_rng_stream(&r2, 1, 3, 2, 4);
	ck_assert_uint_ne(owgrt_rng_next(&r1), owgrt_rng_next(&r2));
	owgrt_rng_stream(&r1, 0, 0, 0, 0);
	owgrt_rng_seed(&r2, 0);
	ck_assert_uint_ne(owgrt_rng_next(&r1), owgrt_rng_next(&r2));
}
END_TEST

START_TEST(test_rng_uniform_ranges)
{
	owgrt_rng r;
	owgrt_rng_seed(&r, 3);
	/* no ck_assert in the loops: each one that passes writes to Check's pipe */
	double s = 0;
	long bad = 0;
	for (int i = 0; i < 100000; i++) {
		double u = owgrt_rng_uniform(&r), v = owgrt_rng_uniform_pos(&r);
		bad += !(u >= 0 && u < 1) + !(v > 0 && v < 1);
		s += u;
	}
	ck_assert_int_eq(bad, 0);
	ck_near(s / 100000, 0.5, MC_SIGMAS * sqrt(1.0 / 12 / 100000));

	/* the extremes of one draw: states whose next word is 0 and 2^64 - 1 */
	owgrt_rng z = {{0}};
	ck_assert(owgrt_rng_uniform(&z) == 0);
	ck_assert(owgrt_rng_uniform_pos(&z) == 0x1p-53);
	/* result = rotl(s1 * 5, 7) * 9: solve for s1 with inverses mod 2^64 */
	uint64_t inv5 = 5, inv9 = 9;
	for (int i = 0; i < 6; i++) {
		inv5 *= 2 - 5 * inv5;
		inv9 *= 2 - 9 * inv9;
	}
	uint64_t t = UINT64_MAX * inv9;
	owgrt_rng m = {{0, ((t >> 7) | (t << 57)) * inv5, 0, 0}};
	owgrt_rng m2 = m;
	ck_assert_uint_eq(owgrt_rng_next(&m2), UINT64_MAX);
	m2 = m;
	ck_assert(owgrt_rng_uniform(&m2) == 1 - 0x1p-53);
	ck_assert(owgrt_rng_uniform_pos(&m) == 1 - 0x1p-53);
}
END_TEST

START_TEST(test_rng_below)
{
	owgrt_rng r, before;
	owgrt_rng_seed(&r, 11);
	/* n = 0: 0, and nothing is drawn */
	before = r;
	ck_assert_uint_eq(owgrt_rng_below(&r, 0), 0);
	ck_assert(memcmp(&before, &r, sizeof r) == 0);
	ck_assert_uint_eq(owgrt_rng_below(&r, 1), 0);

	static const uint64_t ns[] = {2, 3, 7, 10, 1000, (1ull << 32) + 1, (1ull << 63) + 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		double s = 0;
		long bad = 0;
		for (int j = 0; j < 20000; j++) {
			uint64_t x = owgrt_rng_below(&r, ns[i]);
			bad += x >= ns[i];
			s += (double)x / (double)ns[i];
		}
		ck_assert_int_eq(bad, 0);
		/* mean of x/n is (n - 1)/(2n), sd below 1/sqrt(12) */
		ck_near(s / 20000, (double)(ns[i] - 1) / 2 / (double)ns[i], MC_SIGMAS * sqrt(1.0 / 12 / 20000));
	}

	/* n = 7: every value about equally often */
	long count[7] = {0};
	for (int j = 0; j < 700000; j++)
		count[owgrt_rng_below(&r, 7)]++;
	for (int v = 0; v < 7; v++)
		ck_near((double)count[v], 100000, MC_SIGMAS * sqrt(700000 * (1.0 / 7) * (6.0 / 7)));
}
END_TEST

/* ------------------------------------------------------------ normal */

START_TEST(test_normal_quantile)
{
	ck_near(owgrt_normal_quantile(0.95), 1.6448536269514722, 1e-14);
	ck_near(owgrt_normal_quantile(0.99), 2.3263478740408408, 1e-14);
	ck_near(owgrt_normal_quantile(0.975), 1.959963984540054, 1e-14);
	ck_near(owgrt_normal_quantile(0.05), -1.6448536269514722, 1e-14);
	ck_near(owgrt_normal_quantile(0.3), -0.52440051270804082, 1e-14);
	ck_assert(owgrt_normal_quantile(0.5) == 0);
	ck_rel(owgrt_normal_quantile(1e-10), -6.3613409024040562, 1e-14);
	ck_rel(owgrt_normal_quantile(1e-300), -37.047096299361199, 1e-13);
	ck_assert(owgrt_normal_quantile(0) == -INFINITY);
	ck_assert(owgrt_normal_quantile(1) == INFINITY);
	ck_assert(isnan(owgrt_normal_quantile(NAN)));
	/* symmetric, and the inverse of the CDF */
	for (double p = 1e-15; p < 0.5; p *= 1.7) {
		double x = owgrt_normal_quantile(p);
		ck_assert(owgrt_normal_quantile(1 - p) == -owgrt_normal_quantile(1 - (1 - p)));
		ck_rel(owgrt_normal_cdf(x), p, 1e-13);
		/* Acklam alone is within 1.15e-9 */
		ck_rel(owgrt_rng_probit(p), x, 1.2e-9);
	}

	ck_assert(owgrt_normal_cdf(0) == 0.5);
	ck_near(owgrt_normal_cdf(1.96), 0.97500210485177956, 1e-15);
	ck_rel(owgrt_normal_cdf(-10), 7.6198530241605261e-24, 1e-13);
	ck_assert(owgrt_normal_cdf(-INFINITY) == 0 && owgrt_normal_cdf(INFINITY) == 1);
}
END_TEST

/* ------------------------------------------------------------ times */

START_TEST(test_time_moments)
{
	const double pi = 3.14159265358979323846;
	owg_dist d = dist(OWG_DIST_CONST, 2.5, 0);
	ck_assert(owg_time_mean(&d) == 2.5 && owg_time_var(&d) == 0);

	/* clamped normal, mu = 0: E Y = sd/sqrt(2 pi), E Y^2 = sd^2/2 */
	d = dist(OWG_DIST_NORMAL, 0, 2);
	ck_rel(owg_time_mean(&d), 2 / sqrt(2 * pi), 1e-15);
	ck_rel(owg_time_var(&d), 4 * (0.5 - 1 / (2 * pi)), 1e-15);
	/* the general formulas of dist.h */
	for (double mu = -3; mu <= 12; mu += 0.75) {
		double sd = 1.5, t = mu / sd, P = owgrt_normal_cdf(t);
		double ph = exp(-t * t / 2) / sqrt(2 * pi);
		double m1 = mu * P + sd * ph, m2 = (mu * mu + sd * sd) * P + mu * sd * ph;
		d = dist(OWG_DIST_MEANSD, mu, sd);
		ck_near(owg_time_mean(&d), m1, 1e-14);
		ck_near(owg_time_var(&d), m2 - m1 * m1, 1e-13);
	}
	/* far from 0: exactly the unclamped moments */
	d = dist(OWG_DIST_NORMAL, 1e6, 1);
	ck_assert(owg_time_mean(&d) == 1e6);
	ck_near(owg_time_var(&d), 1, 1e-15);
	d = dist(OWG_DIST_NORMAL, 5, 0);
	ck_assert(owg_time_mean(&d) == 5 && owg_time_var(&d) == 0);
	d = dist(OWG_DIST_NORMAL, -1, 0);
	ck_assert(owg_time_mean(&d) == 0 && owg_time_var(&d) == 0);

	d = dist(OWG_DIST_LOGNORMAL, 2, 0.5);
	ck_rel(owg_time_mean(&d), 2 * exp(0.125), 1e-15);
	ck_rel(owg_time_var(&d), 4 * exp(0.25) * (exp(0.25) - 1), 1e-14);
	d = dist(OWG_DIST_UNIFORM, 1, 3);
	ck_assert(owg_time_mean(&d) == 2);
	ck_rel(owg_time_var(&d), 1.0 / 3, 1e-15);
	d = dist(OWG_DIST_UNIFORM, 3, 1);
	ck_assert(owg_time_mean(&d) == 2);
	d = dist(OWG_DIST_EXP, 2, 0);
	ck_assert(owg_time_mean(&d) == 2 && owg_time_var(&d) == 4);
	double x[] = {1, 2, 3, 4};
	d = empirical(x, 4);
	ck_assert(owg_time_mean(&d) == 2.5 && owg_time_var(&d) == 1.25);
	/* not times: their mean as a constant */
	d = dist(OWG_DIST_POISSON, 3, 0);
	ck_assert(owg_time_mean(&d) == 3 && owg_time_var(&d) == 0 && owg_time_quantile(&d, 0.9) == 3);
}
END_TEST

START_TEST(test_time_quantiles)
{
	const double z95 = 1.6448536269514722, z99 = 2.3263478740408408;
	owg_dist d = dist(OWG_DIST_NORMAL, 10, 2);
	ck_near(owg_time_quantile(&d, 0.95), 10 + 2 * z95, 1e-13);
	ck_near(owg_time_quantile(&d, 0.05), 10 - 2 * z95, 1e-13);
	d = dist(OWG_DIST_NORMAL, 0, 1);
	ck_assert(owg_time_quantile(&d, 0.3) == 0); /* inside the mass at 0 */
	ck_assert(owg_time_quantile(&d, 0.5) == 0);
	ck_near(owg_time_quantile(&d, 0.99), z99, 1e-14);
	d = dist(OWG_DIST_LOGNORMAL, 3, 0.5);
	ck_rel(owg_time_quantile(&d, 0.5), 3, 1e-15);
	ck_rel(owg_time_quantile(&d, 0.99), 3 * exp(0.5 * z99), 1e-14);
	d = dist(OWG_DIST_UNIFORM, 2, 6);
	ck_assert(owg_time_quantile(&d, 0.25) == 3);
	d = dist(OWG_DIST_EXP, 2, 0);
	ck_rel(owg_time_quantile(&d, 0.5), 2 * log(2), 1e-15);
	ck_rel(owg_time_quantile(&d, 0.99), 2 * log(100), 1e-15);

	/* bounds of the support */
	d = dist(OWG_DIST_NORMAL, 10, 2);
	ck_assert(owg_time_quantile(&d, 0) == 0 && owg_time_quantile(&d, 1) == INFINITY);
	d = dist(OWG_DIST_UNIFORM, 2, 6);
	ck_assert(owg_time_quantile(&d, 0) == 2 && owg_time_quantile(&d, 1) == 6);
	d = dist(OWG_DIST_EXP, 2, 0);
	ck_assert(owg_time_quantile(&d, 0) == 0 && owg_time_quantile(&d, 1) == INFINITY);
	ck_assert(isnan(owg_time_quantile(&d, NAN)));
}
END_TEST

START_TEST(test_empirical_quantile)
{
	double x[] = {5, 1, 4, 2, 3};
	owg_dist d = empirical(x, 5);
	/* smallest x with F(x) >= p: sorted[ceil(5 p) - 1] */
	ck_assert(owg_time_quantile(&d, 0.1) == 1);
	ck_assert(owg_time_quantile(&d, 0.2) == 1);
	ck_assert(owg_time_quantile(&d, 0.2000001) == 2);
	ck_assert(owg_time_quantile(&d, 0.5) == 3);
	ck_assert(owg_time_quantile(&d, 0.6) == 3);
	ck_assert(owg_time_quantile(&d, 0.99) == 5);
	ck_assert(owg_time_quantile(&d, 0) == 1 && owg_time_quantile(&d, 1) == 5);
	/* the samples keep their order */
	ck_assert(x[0] == 5 && x[1] == 1 && x[2] == 4 && x[3] == 2 && x[4] == 3);

	/* p n in double: the decimal p's meaning, not the binary one's (the
	 * double 0.2 is above 1/5, 0.95 below 19/20) */
	double y[20];
	for (int i = 0; i < 20; i++)
		y[i] = 20 - i;
	d = empirical(y, 20);
	ck_assert(owg_time_quantile(&d, 0.95) == 19);
	ck_assert(owg_time_quantile(&d, 0.2) == 4);
	ck_assert(owg_time_quantile(&d, 0.05) == 1);
	ck_assert(owg_time_quantile(&d, 0.0500001) == 2);
	double one = 4.25;
	d = empirical(&one, 1);
	ck_assert(owg_time_quantile(&d, 0.01) == 4.25 && owg_time_quantile(&d, 0.99) == 4.25);
	d = empirical(NULL, 0);
	ck_assert(owg_time_quantile(&d, 0.5) == 0);
}
END_TEST

/* ------------------------------------------------------------ counts */

START_TEST(test_count_moments)
{
	double m, v;
	owg_dist d = dist(OWG_DIST_CONST, 3, 0);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 3 && v == 0);
	d = dist(OWG_DIST_POISSON, 4, 0);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 4 && v == 4);
	d = dist(OWG_DIST_GEOMETRIC, 3, 0);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 3 && v == 12);

	/* {0.5, 2}: K is 0, 1, 2 with probabilities 1/4, 1/4, 1/2 */
	double x[] = {0.5, 2};
	d = empirical(x, 2);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 1.25);
	ck_near(v, 0.6875, 1e-15);

	/* uniform(0, 1): Var U + E[U(1 - U)] = 1/12 + 1/6 */
	d = dist(OWG_DIST_UNIFORM, 0, 1);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 0.5);
	ck_near(v, 0.25, 1e-15);
	/* uniform(2, 5): whole periods, E[f(1 - f)] = 1/6 */
	d = dist(OWG_DIST_UNIFORM, 2, 5);
	owg_count_moments(&d, &m, &v);
	ck_near(v, 0.75 + 1.0 / 6, 1e-15);
	/* uniform(0.25, 0.75) in one interval: E[U - U^2] = 1/2 - 13/48 */
	d = dist(OWG_DIST_UNIFORM, 0.25, 0.75);
	ck_near(efrac(d), 0.5 - 13.0 / 48, 1e-15);
	/* a point mass at 2.5 (a normal with sd 0) rounds to 2 or 3 */
	d = dist(OWG_DIST_NORMAL, 2.5, 0);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 2.5 && v == 0.25);

	/* exp(1): E[f(1 - f)] = (3/e - 1)/(1 - 1/e) */
	d = dist(OWG_DIST_EXP, 1, 0);
	ck_near(efrac(d), 0.16395341373865285, 1e-14);
	d = dist(OWG_DIST_EXP, 0.5, 0);
	ck_near(efrac(d), 0.15651764274966565, 1e-14);
	d = dist(OWG_DIST_EXP, 100, 0);
	ck_near(efrac(d), 0.16666638888955027, 1e-12);

	/* normal and lognormal: mpmath references (exact partial moments per
	 * unit interval), across the quadrature / Euler-Maclaurin switch */
	static const struct {
		owg_dist_kind kind;
		double a, b, efrac;
	} ref[] = {
		{OWG_DIST_NORMAL, 0, 1, 0.08333333319780166},
		{OWG_DIST_NORMAL, 0.3, 0.001, 0.209999},
		{OWG_DIST_NORMAL, 5, 0.5, 0.16593797646467087},
		{OWG_DIST_NORMAL, 10, 2, 0.16666662344669797},
		{OWG_DIST_NORMAL, 3, 7.999999, 0.10770102279861164},
		{OWG_DIST_MEANSD, 3, 8.000001, 0.10770101698404165},
		{OWG_DIST_NORMAL, 0, 20, 1.0 / 12},
		{OWG_DIST_NORMAL, 20, 20, 0.14022580489709022},
		{OWG_DIST_NORMAL, 50, 50, 0.14022439320623897},
		{OWG_DIST_NORMAL, -3, 2, 0.010999030549484916},
		{OWG_DIST_LOGNORMAL, 1, 0.5, 0.16848963753908347},
		{OWG_DIST_LOGNORMAL, 1, 1, 0.1757207937576449},
		{OWG_DIST_LOGNORMAL, 2, 1.5, 0.1693031678723251},
		{OWG_DIST_LOGNORMAL, 0.2, 0.8, 0.1526628466111294},
		{OWG_DIST_LOGNORMAL, 5, 0.1, 0.1662227706888167},
		{OWG_DIST_LOGNORMAL, 50, 0.01, 0.16594085593255634},
		{OWG_DIST_LOGNORMAL, 3, 0.001, 0.002384654464543305},
	};
	for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++)
		ck_near(efrac(dist(ref[i].kind, ref[i].a, ref[i].b)), ref[i].efrac, 1e-10);
	/* a clamped normal with sd 50 is not 1/6 * P(X > 0): p'(0)/360 matters */
	d = dist(OWG_DIST_NORMAL, 50, 50);
	ck_assert(fabs(efrac(d) - owgrt_normal_cdf(1) / 6) > 1e-7);
}
END_TEST

START_TEST(test_prob_positive)
{
	const double pi = 3.14159265358979323846;
	owg_dist d = dist(OWG_DIST_POISSON, 2, 0);
	ck_near(owg_count_prob_positive(&d), 1 - exp(-2), 1e-15);
	d = dist(OWG_DIST_GEOMETRIC, 3, 0);
	ck_near(owg_count_prob_positive(&d), 0.75, 1e-15);
	d = dist(OWG_DIST_CONST, 0, 0);
	ck_assert(owg_count_prob_positive(&d) == 0);
	d = dist(OWG_DIST_CONST, 2, 0);
	ck_assert(owg_count_prob_positive(&d) == 1);
	d = dist(OWG_DIST_UNIFORM, 0, 1);
	ck_near(owg_count_prob_positive(&d), 0.5, 1e-15);
	d = dist(OWG_DIST_UNIFORM, 0, 2);
	ck_near(owg_count_prob_positive(&d), 0.75, 1e-15);
	d = dist(OWG_DIST_EXP, 2, 0);
	ck_near(owg_count_prob_positive(&d), 2 * (1 - exp(-0.5)), 1e-15);
	double x[] = {0, 0.5, 3};
	d = empirical(x, 3);
	ck_near(owg_count_prob_positive(&d), 0.5, 1e-15);
	d = dist(OWG_DIST_NORMAL, 0.3, 0);
	ck_near(owg_count_prob_positive(&d), 0.3, 1e-15);
	/* N(0, 1): Q(1) + phi(0) - phi(1) */
	d = dist(OWG_DIST_NORMAL, 0, 1);
	ck_near(owg_count_prob_positive(&d),
		owgrt_normal_cdf(-1) + (1 - exp(-0.5)) / sqrt(2 * pi), 1e-14);
	ck_near(owg_count_prob_positive(&d), 0.31562680981374638, 1e-14);
	/* lognormal(1, 1): 1/2 + e^(1/2) Phi(-1) */
	d = dist(OWG_DIST_LOGNORMAL, 1, 1);
	ck_near(owg_count_prob_positive(&d), 0.76157829186512337, 1e-14);
	d = dist(OWG_DIST_NORMAL, 1e6, 3);
	ck_assert(owg_count_prob_positive(&d) == 1);
}
END_TEST

START_TEST(test_degenerate)
{
	/* zeros everywhere: point masses at 0, no NaN, no hang */
	for (int k = OWG_DIST_CONST; k <= OWG_DIST_EMPIRICAL; k++) {
		owg_dist d = dist((owg_dist_kind)k, 0, 0);
		double m, v;
		owgrt_rng r;
		owgrt_rng_seed(&r, 1);
		owg_count_moments(&d, &m, &v);
		ck_assert_msg(m == 0 && v == 0, "kind %d", k);
		ck_assert(owg_time_mean(&d) == 0 && owg_time_var(&d) == 0);
		ck_assert(owg_time_quantile(&d, 0.5) == 0);
		ck_assert(owg_count_prob_positive(&d) == 0);
		ck_assert(owg_time_sample(&d, &r) == 0);
		ck_assert_uint_eq(owg_count_sample(&d, &r), 0);
	}
	/* one sample */
	double one = 4.25, m, v;
	owg_dist d = empirical(&one, 1);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 4.25 && v == 0.1875 && owg_time_var(&d) == 0);
	owgrt_rng r;
	owgrt_rng_seed(&r, 2);
	long bad = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t k = owg_count_sample(&d, &r);
		bad += !(k == 4 || k == 5) + (owg_time_sample(&d, &r) != 4.25);
	}
	ck_assert_int_eq(bad, 0);
	/* sd 0 samples exactly the mean; a whole constant draws nothing */
	d = dist(OWG_DIST_NORMAL, 3.5, 0);
	ck_assert(owg_time_sample(&d, &r) == 3.5);
	owgrt_rng before = r;
	d = dist(OWG_DIST_CONST, 7, 0);
	ck_assert_uint_eq(owg_count_sample(&d, &r), 7);
	ck_assert(memcmp(&before, &r, sizeof r) == 0);
	/* huge values saturate instead of overflowing */
	d = dist(OWG_DIST_POISSON, 1e30, 0);
	ck_assert_uint_eq(owg_count_sample(&d, &r), 1ull << 53);
	d = dist(OWG_DIST_GEOMETRIC, 1e300, 0);
	ck_assert(owg_count_sample(&d, &r) <= 1ull << 53);
	d = dist(OWG_DIST_NORMAL, 1e17, 3);
	owg_count_moments(&d, &m, &v);
	ck_assert(m == 1e17 && isfinite(v));
	d = dist(OWG_DIST_LOGNORMAL, 1, 40);
	owg_count_moments(&d, &m, &v);
	ck_assert(isfinite(owg_count_prob_positive(&d)) && !isnan(v));
}
END_TEST

/* ------------------------------------------------------- Monte Carlo */

static double emp_time[] = {0.2, 1.7, 3, 3, 8.5};
static double emp_count[] = {0.5, 2, 7.25, -1};

static const struct mc_case {
	owg_dist d;
	bool count;
} mc_cases[] = {
	{{OWG_DIST_CONST, 2.5, 0, 0, NULL}, false},
	{{OWG_DIST_NORMAL, 1, 2, 0, NULL}, false},
	{{OWG_DIST_MEANSD, 10, 3, 0, NULL}, false},
	{{OWG_DIST_LOGNORMAL, 2, 0.5, 0, NULL}, false},
	{{OWG_DIST_UNIFORM, 1, 4, 0, NULL}, false},
	{{OWG_DIST_EXP, 1.5, 0, 0, NULL}, false},
	{{OWG_DIST_EMPIRICAL, 0, 0, 5, emp_time}, false},
	{{OWG_DIST_CONST, 3, 0, 0, NULL}, true},
	{{OWG_DIST_NORMAL, 1.3, 2, 0, NULL}, true},
	{{OWG_DIST_MEANSD, 40, 10, 0, NULL}, true}, /* Euler-Maclaurin branch */
	{{OWG_DIST_LOGNORMAL, 2, 0.5, 0, NULL}, true},
	{{OWG_DIST_LOGNORMAL, 0.6, 1.2, 0, NULL}, true},
	{{OWG_DIST_UNIFORM, 0.3, 2.8, 0, NULL}, true},
	{{OWG_DIST_EXP, 0.7, 0, 0, NULL}, true},
	{{OWG_DIST_POISSON, 3.5, 0, 0, NULL}, true},  /* inversion */
	{{OWG_DIST_POISSON, 25, 0, 0, NULL}, true},   /* PTRS */
	{{OWG_DIST_POISSON, 1e4, 0, 0, NULL}, true},
	{{OWG_DIST_GEOMETRIC, 2.5, 0, 0, NULL}, true},
	{{OWG_DIST_EMPIRICAL, 0, 0, 4, emp_count}, true},
};

/* Mean, variance (both about the exact mean, with the variance's standard
 * error from the sample's fourth moment), P(K >= 1) for counts and the
 * CDF at three quantiles for times: all within MC_SIGMAS standard errors. */
START_TEST(test_monte_carlo)
{
	const struct mc_case *c = &mc_cases[_i];
	const owg_dist *d = &c->d;
	static const double ps[3] = {0.1, 0.5, 0.9};
	double mean, var, q[3];
	if (c->count) {
		owg_count_moments(d, &mean, &var);
	} else {
		mean = owg_time_mean(d);
		var = owg_time_var(d);
		for (int j = 0; j < 3; j++)
			q[j] = owg_time_quantile(d, ps[j]);
	}
	owgrt_rng r;
	owgrt_rng_seed(&r, 1000 + (uint64_t)_i);
	double s1 = 0, s2 = 0, s4 = 0;
	long pos = 0, negative = 0, below[3] = {0}, atbelow[3] = {0};
	for (int i = 0; i < MC_DRAWS; i++) {
		double x;
		if (c->count) {
			uint64_t k = owg_count_sample(d, &r);
			x = (double)k;
			pos += k >= 1;
		} else {
			x = owg_time_sample(d, &r);
			negative += x < 0;
			for (int j = 0; j < 3; j++) {
				below[j] += x < q[j];
				atbelow[j] += x <= q[j];
			}
		}
		double e = x - mean, e2 = e * e;
		s1 += e;
		s2 += e2;
		s4 += e2 * e2;
	}
	ck_assert_int_eq(negative, 0);
	double n = MC_DRAWS, m2 = s2 / n, m4 = s4 / n;
	ck_assert_msg(fabs(s1 / n) <= MC_SIGMAS * sqrt(var / n) + 1e-12,
		      "case %d: mean %.10g, expected %.10g", _i, mean + s1 / n, mean);
	double se_var = sqrt((m4 - m2 * m2 > 0 ? m4 - m2 * m2 : 0) / n);
	ck_assert_msg(fabs(m2 - var) <= MC_SIGMAS * se_var + 1e-12,
		      "case %d: variance %.10g, expected %.10g +- %.3g", _i, m2, var, se_var);
	if (c->count) {
		double p = owg_count_prob_positive(d);
		ck_assert_msg(fabs(pos / n - p) <= MC_SIGMAS * sqrt(p * (1 - p) / n) + 1e-12,
			      "case %d: P(K >= 1) %.10g, expected %.10g", _i, pos / n, p);
	} else {
		for (int j = 0; j < 3; j++) {
			double se = sqrt(ps[j] * (1 - ps[j]) / n);
			ck_assert_msg(below[j] / n <= ps[j] + MC_SIGMAS * se &&
					      atbelow[j] / n >= ps[j] - MC_SIGMAS * se,
				      "case %d: P(T < q%g) = %g, P(T <= q) = %g", _i, ps[j],
				      below[j] / n, atbelow[j] / n);
		}
	}
}
END_TEST

/* The Poisson and geometric samplers against their probability mass
 * functions, bin by bin. */
START_TEST(test_count_pmf)
{
	static const struct {
		owg_dist_kind kind;
		double a;
	} cases[] = {
		{OWG_DIST_POISSON, 3.5}, {OWG_DIST_POISSON, 25}, {OWG_DIST_POISSON, 400},
		{OWG_DIST_GEOMETRIC, 2.5},
	};
	const int draws = 500000;
	enum { BINS = 600 };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		owg_dist d = dist(cases[i].kind, cases[i].a, 0);
		static long hist[BINS];
		memset(hist, 0, sizeof hist);
		owgrt_rng r;
		owgrt_rng_seed(&r, 77 + i);
		for (int j = 0; j < draws; j++) {
			uint64_t k = owg_count_sample(&d, &r);
			hist[k < BINS ? k : BINS - 1]++;
		}
		double a = cases[i].a, q = a / (1 + a);
		for (int k = 0; k < BINS - 1; k++) {
			double p = cases[i].kind == OWG_DIST_POISSON
					   ? exp(k * log(a) - a - lgamma(k + 1.0))
					   : (1 - q) * pow(q, k);
			double se = sqrt(p * (1 - p) / draws);
			if (fabs(hist[k] / (double)draws - p) > MC_SIGMAS * se + 1e-5)
				ck_abort_msg("case %zu, k = %d: %g, expected %g", i, k,
					     hist[k] / (double)draws, p);
		}
	}
}
END_TEST

Suite *suite_dist(void)
{
	Suite *s = suite_create("dist");
	TCase *tc = tcase_create("rng");
	tcase_add_test(tc, test_rng_pinned);
	tcase_add_test(tc, test_rng_samples_pinned);
	tcase_add_test(tc, test_rng_streams);
	tcase_add_test(tc, test_rng_uniform_ranges);
	tcase_add_test(tc, test_rng_below);
	suite_add_tcase(s, tc);
	tc = tcase_create("closed_form");
	tcase_add_test(tc, test_normal_quantile);
	tcase_add_test(tc, test_time_moments);
	tcase_add_test(tc, test_time_quantiles);
	tcase_add_test(tc, test_empirical_quantile);
	tcase_add_test(tc, test_count_moments);
	tcase_add_test(tc, test_prob_positive);
	tcase_add_test(tc, test_degenerate);
	suite_add_tcase(s, tc);
	tc = tcase_create("monte_carlo");
	tcase_add_loop_test(tc, test_monte_carlo, 0, (int)(sizeof mc_cases / sizeof mc_cases[0]));
	tcase_add_test(tc, test_count_pmf);
	suite_add_tcase(s, tc);
	return s;
}
