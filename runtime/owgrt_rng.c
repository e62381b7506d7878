#include "config.h"

/* rng.c - see rng.h.  References: Vigna's xoshiro256starstar.c and
 * splitmix64.c (prng.di.unimi.it), Lemire, "Fast random integer
 * generation in an interval" (2019), Acklam's normal quantile (2003). */

#include "owgrt_rng.h"

#include <math.h>

/* No fused multiply-add: a*b+c must round twice on every target, or the
 * normal draws would depend on the compiler.  GCC keeps contraction off
 * under -std=c11 and does not know this pragma. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define GOLDEN 0x9e3779b97f4a7c15u

uint64_t owgrt_hash64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

void owgrt_rng_seed(owgrt_rng *r, uint64_t seed)
{
	/* splitmix64: consecutive states are distinct and the finaliser is a
	 * bijection with only 0 -> 0, so at most one word can be zero. */
	for (int i = 0; i < 4; i++) {
		seed += GOLDEN;
		r->s[i] = owgrt_hash64(seed);
	}
}

void owgrt_rng_stream(owgrt_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	/* Each word is hashed on its own first (with a distinct offset, so
	 * that permuted tuples differ too), then chained through the hash:
	 * a one-bit change anywhere changes every bit of h. */
	uint64_t h = owgrt_hash64(seed + GOLDEN);
	h = owgrt_hash64(h ^ owgrt_hash64(a + 2 * GOLDEN));
	h = owgrt_hash64(h ^ owgrt_hash64(b + 3 * GOLDEN));
	h = owgrt_hash64(h ^ owgrt_hash64(c + 4 * GOLDEN));
	owgrt_rng_seed(r, h);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t owgrt_rng_next(owgrt_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double owgrt_rng_uniform(owgrt_rng *r)
{
	return (double)(owgrt_rng_next(r) >> 11) * 0x1p-53;
}

double owgrt_rng_uniform_pos(owgrt_rng *r)
{
	/* ((top 52 bits) + 0.5) / 2^52, written as an odd 53-bit integer so
	 * that the sum is exact: never 0, never rounds up to 1. */
	return (double)((owgrt_rng_next(r) >> 11) | 1) * 0x1p-53;
}

double owgrt_rng_normal(owgrt_rng *r)
{
	return owgrt_rng_probit(owgrt_rng_uniform_pos(r));
}

/* High and low words of the 128-bit product, in portable C. */
static uint64_t mul_hi(uint64_t a, uint64_t b, uint64_t *lo)
{
	uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
	*lo = a * b;
	return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

uint64_t owgrt_rng_below(owgrt_rng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	uint64_t lo, hi = mul_hi(owgrt_rng_next(r), n, &lo);
	if (lo < n) {
		/* reject the 2^64 mod n low words that would favour some results */
		uint64_t t = (0 - n) % n;
		while (lo < t)
			hi = mul_hi(owgrt_rng_next(r), n, &lo);
	}
	return hi;
}

double owgrt_rng_probit(double p)
{
	static const double a[6] = {
		-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
		1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
	};
	static const double b[5] = {
		-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
		6.680131188771972e+01, -1.328068155288572e+01,
	};
	static const double c[6] = {
		-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
		-2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
	};
	static const double d[4] = {
		7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
		3.754408661907416e+00,
	};
	const double plow = 0.02425;

	if (isnan(p))
		return p;
	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p < plow || p > 1 - plow) {
		/* tails: rational function of sqrt(-2 log(tail mass)) */
		double q = sqrt(-2 * log(p < plow ? p : 1 - p));
		double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			   ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		return p < plow ? x : -x;
	}
	double q = p - 0.5, t = q * q;
	return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * q /
	       (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
}
