/* owgrt_rng.h - a portable, deterministic pseudo-random number generator.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64.  The
 * integer outputs, owgrt_rng_uniform and owgrt_rng_uniform_pos are exact
 * integer and power-of-two arithmetic: the same on every platform and
 * compiler, and the unit tests pin their first values.  owgrt_rng_normal
 * uses only + - * / and libm's log and sqrt (no erfc, cos or exp), so it
 * can differ across C libraries at most in the last bit of a log.
 *
 * Streams: owgrt_rng_stream gives the generator of one (seed, request,
 * node, iteration) tuple, so that a random decision does not depend on
 * how many numbers other decisions drew (common random numbers). */
#ifndef OWGRT_RNG_H
#define OWGRT_RNG_H

#include <stdint.h>

typedef struct owgrt_rng {
	uint64_t s[4];
} owgrt_rng;

/* The splitmix64 finaliser: a bijection of 64-bit words that mixes every
 * input bit into every output bit.  Good as a hash of integers. */
uint64_t owgrt_hash64(uint64_t x);

/* The state is four successive splitmix64 outputs from seed (never all zero). */
void owgrt_rng_seed(owgrt_rng *r, uint64_t seed);
/* The stream of (seed, a, b, c): the words are hashed in one after the
 * other, so tuples that differ in one word by one give unrelated streams. */
void owgrt_rng_stream(owgrt_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

uint64_t owgrt_rng_next(owgrt_rng *r);
/* [0, 1): the top 53 bits of one draw times 2^-53. */
double owgrt_rng_uniform(owgrt_rng *r);
/* (0, 1): odd multiples of 2^-53 from the top 52 bits of one draw;
 * 2^-53 <= u <= 1 - 2^-53, safe for log(u) and owgrt_rng_probit(u). */
double owgrt_rng_uniform_pos(owgrt_rng *r);
/* Standard normal by inversion: owgrt_rng_probit(owgrt_rng_uniform_pos(r)),
 * one draw, |z| < 8.3. */
double owgrt_rng_normal(owgrt_rng *r);
/* Uniform on [0, n), unbiased (Lemire's multiply and reject); 0 when n = 0
 * (then nothing is drawn). */
uint64_t owgrt_rng_below(owgrt_rng *r, uint64_t n);

/* Acklam's rational approximation of the standard normal quantile:
 * relative error below 1.15e-9 on (0, 1), only log and sqrt from libm.
 * -INFINITY for p <= 0, INFINITY for p >= 1, NaN for NaN.
 * owg_normal_quantile (dist.h) refines it to full precision. */
double owgrt_rng_probit(double p);

#endif
