/* rng.h - a portable, deterministic pseudo-random number generator.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64.  The
 * integer outputs, owg_rng_uniform and owg_rng_uniform_pos are exact
 * integer and power-of-two arithmetic: the same on every platform and
 * compiler, and the unit tests pin their first values.  owg_rng_normal
 * uses only + - * / and libm's log and sqrt (no erfc, cos or exp), so it
 * can differ across C libraries at most in the last bit of a log.
 *
 * Streams: owg_rng_stream gives the generator of one (seed, request,
 * node, iteration) tuple, so that a random decision does not depend on
 * how many numbers other decisions drew (common random numbers). */
#ifndef OWG_RNG_H
#define OWG_RNG_H

#include <stdint.h>

typedef struct owg_rng {
	uint64_t s[4];
} owg_rng;

/* The splitmix64 finaliser: a bijection of 64-bit words that mixes every
 * input bit into every output bit.  Good as a hash of integers. */
uint64_t owg_hash64(uint64_t x);

/* The state is four successive splitmix64 outputs from seed (never all zero). */
void owg_rng_seed(owg_rng *r, uint64_t seed);
/* The stream of (seed, a, b, c): the words are hashed in one after the
 * other, so tuples that differ in one word by one give unrelated streams. */
void owg_rng_stream(owg_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

uint64_t owg_rng_next(owg_rng *r);
/* [0, 1): the top 53 bits of one draw times 2^-53. */
double owg_rng_uniform(owg_rng *r);
/* (0, 1): odd multiples of 2^-53 from the top 52 bits of one draw;
 * 2^-53 <= u <= 1 - 2^-53, safe for log(u) and owg_rng_probit(u). */
double owg_rng_uniform_pos(owg_rng *r);
/* Standard normal by inversion: owg_rng_probit(owg_rng_uniform_pos(r)),
 * one draw, |z| < 8.3. */
double owg_rng_normal(owg_rng *r);
/* Uniform on [0, n), unbiased (Lemire's multiply and reject); 0 when n = 0
 * (then nothing is drawn). */
uint64_t owg_rng_below(owg_rng *r, uint64_t n);

/* Acklam's rational approximation of the standard normal quantile:
 * relative error below 1.15e-9 on (0, 1), only log and sqrt from libm.
 * -INFINITY for p <= 0, INFINITY for p >= 1, NaN for NaN.
 * owg_normal_quantile (dist.h) refines it to full precision. */
double owg_rng_probit(double p);

#endif
