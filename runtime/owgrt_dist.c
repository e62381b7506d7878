#include "config.h"

/* dist.c - see dist.h for the semantics.  References: Hoermann, "The
 * transformed rejection method for generating Poisson random variables"
 * (1993) for PTRS; Abramowitz and Stegun 23.1.30 for Euler-Maclaurin. */

#include "owgrt_dist.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>


/* Samples must not depend on whether the compiler fuses a*b+c (see rng.c). */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define SQRT1_2 0.70710678118654752440
#define SQRT2PI 2.50662827463100050242
#define INV_SQRT2PI 0.39894228040143267794
/* Quadrature covers |z| <= ZMAX: the normal tails beyond hold < 2e-17. */
#define ZMAX 8.5
/* A density whose scale is >= WIDE on the unit grid is wide: E[f(1-f)]
 * follows from the Euler-Maclaurin series, whose next term is below 1e-16
 * there, instead of quadrature over every unit interval. */
#define WIDE 8.0
/* Counts saturate here: beyond, doubles are no longer all whole numbers. */
#define MAX_SAMPLE 9007199254740992.0 /* 2^53 */

/* ------------------------------------------------------------ normal */

static double npdf(double z)
{
	return INV_SQRT2PI * exp(-0.5 * z * z);
}

double owgrt_normal_cdf(double z)
{
	return 0.5 * erfc(-z * SQRT1_2);
}

double owgrt_normal_quantile(double p)
{
	if (isnan(p))
		return p;
	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	/* Work in the lower tail, where p carries full relative precision
	 * (1 - p is exact for p > 1/2). */
	if (p > 0.5)
		return -owgrt_normal_quantile(1 - p);
	double x = owgrt_rng_probit(p);
	if (x * x < 1400) { /* else exp overflows; p < 1e-300 keeps Acklam's 1e-9 */
		double e = owgrt_normal_cdf(x) - p;
		double u = e * SQRT2PI * exp(0.5 * x * x);
		x -= u / (1 + 0.5 * x * u);
	}
	return x;
}

/* log Phi(x), also where Phi(x) underflows (asymptotic series, A&S 26.2.12). */
static double log_ncdf(double x)
{
	if (x > -35)
		return log(owgrt_normal_cdf(x));
	double r = 1 / (x * x);
	double s = 1 - r * (1 - 3 * r * (1 - 5 * r * (1 - 7 * r * (1 - 9 * r))));
	return -0.5 * x * x - log(-x * SQRT2PI) + log(s);
}

/* Mean and variance of max(0, X), X ~ N(mu, sd^2). */
static void clamped_normal(double mu, double sd, double *mean, double *var)
{
	double t = sd > 0 ? mu / sd : 0;
	if (!(sd > 0) || t < -40) {
		*mean = mu > 0 ? mu : 0;
		*var = 0;
		return;
	}
	if (t > 40) { /* P(X <= 0) < 1e-300 */
		*mean = mu;
		*var = sd * sd;
		return;
	}
	double q = owgrt_normal_cdf(-t), ph = npdf(t), v;
	if (t >= 0) {
		/* Y/sd = (t + Z) + W, W = (-t - Z)^+: EW = phi - tQ, Cov(Z, W) = -Q,
		 * so no large terms cancel when mu >> sd. */
		double ew = ph - t * q;
		*mean = mu + sd * ew;
		v = 1 + (t * t - 1) * q - t * ph - ew * ew;
	} else {
		double pp = 1 - q, m1 = t * pp + ph, m2 = (t * t + 1) * pp + t * ph;
		*mean = sd * m1;
		v = m2 - m1 * m1;
	}
	*var = sd * sd * (v > 0 ? v : 0);
}

/* ------------------------------------------------------ quadrature */

/* 16-point Gauss-Legendre on [-1, 1]: the positive nodes and their weights. */
static const double gl_x[8] = {
	0.095012509837637440185, 0.28160355077925891323, 0.45801677765722738634,
	0.61787624440264374845, 0.7554044083550030339, 0.86563120238783174388,
	0.94457502307323257608, 0.9894009349916499326,
};
static const double gl_w[8] = {
	0.18945061045506849629, 0.18260341504492358887, 0.16915651939500253819,
	0.14959598881657673208, 0.12462897125553387205, 0.09515851168249278481,
	0.062253523938647892863, 0.027152459411754094852,
};

/* The integrand of one piece: (c + s z)(1 - c - s z) phi(z) for the
 * normal (frac(y) = c + s z there), (c + a expm1(s z))(...) phi(z) for the
 * lognormal (a != 0), (c + s z) phi(z) for a plain first moment. */
typedef struct piece {
	enum { FRAC_LINEAR, FRAC_EXP, LINEAR } kind;
	double a, c, s;
} piece;

static double piece_at(const piece *p, double z)
{
	double u;
	switch (p->kind) {
	case FRAC_LINEAR:
		u = p->c + p->s * z;
		return u * (1 - u) * npdf(z);
	case FRAC_EXP:
		u = p->c + p->a * expm1(p->s * z);
		return u * (1 - u) * npdf(z);
	case LINEAR:
		break;
	}
	return (p->c + p->s * z) * npdf(z);
}

/* Integral over [z0, z1] in equal steps no wider than h (the integrand is
 * smooth inside a piece: a polynomial or exponential times phi). */
static double integrate(const piece *p, double z0, double z1, double h)
{
	if (!(z1 > z0))
		return 0;
	double n = ceil((z1 - z0) / h);
	double step = (z1 - z0) / n, sum = 0;
	for (double i = 0; i < n; i++) {
		double mid = z0 + (i + 0.5) * step, r = step / 2, t = 0;
		for (int j = 0; j < 8; j++)
			t += gl_w[j] * (piece_at(p, mid - r * gl_x[j]) + piece_at(p, mid + r * gl_x[j]));
		sum += r * t;
	}
	return sum;
}

/* ------------------------------------------- E[f(1-f)], f = frac(Y) */

static double frac_var(double y)
{
	double f = y - floor(y);
	return f * (1 - f);
}

/* Y ~ N(mu, sd^2) with mu >= 2^52, where the unit loop below would stall
 * and every double is whole: the Fourier series of E[f(1 - f)],
 * 1/6 - sum_n cos(2 pi n mu) exp(-2 pi^2 n^2 sd^2) / (pi n)^2, with
 * cos(2 pi n mu) = 1, cut at 100 terms (such counts are far beyond
 * OWG_MAX_COUNT anyway). */
static double efrac_huge(double sd)
{
	const double pi = 3.14159265358979323846;
	double s = 1.0 / 6;
	for (int n = 1; n <= 100; n++)
		s -= exp(-2 * pi * pi * n * n * sd * sd) / (pi * pi * n * n);
	return s > 0 ? s : 0;
}

/* Y = max(0, X), X ~ N(mu, sd^2); the mass at 0 has f = 0. */
static double efrac_normal(double mu, double sd)
{
	double t = sd > 0 ? mu / sd : 0;
	if (!(sd > 0) || t < -40)
		return frac_var(mu > 0 ? mu : 0);
	if (sd >= WIDE) {
		/* Euler-Maclaurin on [0, inf) for y - y^2 - 1/6 = -B2(frac y):
		 * (1/6) P(X > 0) + p'/360 - p'''/15120 + p5/604800 - p7/23950080
		 * at 0+, with p^(n)(0+) = (-1)^n He_n(u) phi(u) / sd^(n+1), u = -t. */
		double u = -t, u2 = u * u, ph = npdf(u), s2 = sd * sd;
		double he1 = u, he3 = u * (u2 - 3), he5 = u * (u2 * (u2 - 10) + 15);
		double he7 = u * (u2 * (u2 * (u2 - 21) + 105) - 105);
		double em = he1 / 360 - he3 / (15120 * s2) + he5 / (604800 * s2 * s2) -
			    he7 / (23950080 * s2 * s2 * s2);
		return owgrt_normal_cdf(t) / 6 - ph * em / s2;
	}
	/* Narrow: quadrature in z, split where mu + sd z is whole. */
	double zl = -t > -ZMAX ? -t : -ZMAX;
	if (zl >= ZMAX)
		return 0;
	double yl = mu + sd * zl, yh = mu + sd * ZMAX, sum = 0;
	if (yl < 0)
		yl = 0;
	if (yl >= 0x1p52)
		return efrac_huge(sd);
	for (double k = floor(yl); k <= yh; k++) {
		double z0 = k > yl ? (k - mu) / sd : zl;
		double z1 = k + 1 < yh ? (k + 1 - mu) / sd : ZMAX;
		piece p = {FRAC_LINEAR, 0, mu - k, sd};
		sum += integrate(&p, z0 > zl ? z0 : zl, z1, 0.5);
	}
	return sum;
}

/* E[Y^j 1{Y < 1}] for Y = a exp(b Z), a, b > 0, in logs so that extreme
 * sigmas neither overflow nor give inf * 0. */
static double lognormal_below1(double a, double b, int j)
{
	double la = log(a);
	return exp(j * la + 0.5 * j * j * b * b + log_ncdf((-la - j * b * b) / b));
}

/* Y = a exp(b Z), a, b > 0. */
static double efrac_lognormal(double a, double b)
{
	/* (0, 1): f = Y, closed-form partial moments. */
	double sum = lognormal_below1(a, b, 1) - lognormal_below1(a, b, 2);
	/* Wide from y0 on: the density's scale there, b y / (|w| + b), is >=
	 * WIDE for |w| <= ZMAX (w = ln(y/a)/b), and its distance to the
	 * singularity at 0 is y0 >= WIDE as well.  Below y0 the mass sits on
	 * fewer than 1200 unit intervals (the most near b = 1/(2 ZMAX)). */
	double y0 = ceil(WIDE * (ZMAX + b) / b);
	if (a * exp(-ZMAX * b) >= 0x1p52) /* all whole doubles: about a normal */
		return efrac_huge(a * b);
	double la = log(a), w0 = (log(y0) - la) / b;
	double klo = floor(a * exp(-ZMAX * b)), khi = w0 < ZMAX ? y0 : ceil(a * exp(ZMAX * b));
	for (double k = klo > 1 ? klo : 1; k < khi; k++) {
		double z0 = (log(k) - la) / b, z1 = (log(k + 1) - la) / b;
		if (z1 <= -ZMAX)
			continue;
		if (z0 >= ZMAX)
			break;
		/* frac(y) = (a - k) + a expm1(b z); a piece spans at most ln 2 / b
		 * in z, so steps of 1/2 also keep b z smooth enough */
		piece p = {FRAC_EXP, a, a - k, b};
		sum += integrate(&p, z0 > -ZMAX ? z0 : -ZMAX, z1 < ZMAX ? z1 : ZMAX, 0.5);
	}
	if (w0 >= ZMAX)
		return sum;
	/* Euler-Maclaurin from y0: p^(n)(y) = p(y) P_n(w) / (b y)^n with
	 * P_0 = 1, P_{n+1}(w) = P_n'(w) - (w + (n + 1) b) P_n(w). */
	double poly[8] = {1}, val[8];
	val[0] = 1;
	for (int n = 0; n < 7; n++) {
		double next[8] = {0};
		for (int i = 0; i <= n + 1; i++) {
			double c = -(n + 1) * b * (i <= n ? poly[i] : 0);
			if (i + 1 <= n)
				c += (i + 1) * poly[i + 1];
			if (i > 0)
				c -= poly[i - 1];
			next[i] = c;
		}
		memcpy(poly, next, sizeof poly);
		double v = 0;
		for (int i = n + 1; i >= 0; i--)
			v = v * w0 + poly[i];
		val[n + 1] = v;
	}
	double by = b * y0, py = npdf(w0) / by;
	double em = val[1] / (360 * by) - val[3] / (15120 * by * by * by) +
		    val[5] / (604800 * pow(by, 5)) - val[7] / (23950080 * pow(by, 7));
	return sum + owgrt_normal_cdf(-w0) / 6 + py * em;
}

/* Integral of u - u^2 over [u0, u1] inside one unit interval: length
 * times mean, so that narrow spans lose nothing. */
static double frac_seg(double u0, double u1)
{
	return (u1 - u0) * ((u0 + u1) / 2 - (u0 * u0 + u0 * u1 + u1 * u1) / 3);
}

/* Integral of frac(y)(1 - frac(y)) over [x0, x1], 0 <= x0 <= x1. */
static double frac_int(double x0, double x1)
{
	double k0 = floor(x0), k1 = floor(x1);
	if (k0 == k1)
		return frac_seg(x0 - k0, x1 - k0);
	return frac_seg(x0 - k0, 1) + (k1 - k0 - 1) / 6 + frac_seg(0, x1 - k1);
}

/* Y ~ Exp(rate l): sum over k of e^{-lk} times the first interval's
 * integral = (l - 2 + (l + 2) e^-l) / (l^2 (1 - e^-l)). */
static double efrac_exp(double l)
{
	if (l < 1e-8)
		return 1.0 / 6; /* the error is O(l^2) */
	if (l < 1) {
		/* the numerator cancels to l^3/6 - ...: its series instead,
		 * sum_{m >= 3} (-1)^(m+1) (m - 2) l^(m-2) / m! */
		double term = l / 6, s = 0;
		for (int m = 3; m < 30; m++) {
			s += (m & 1 ? 1 : -1) * (m - 2) * term;
			term *= l / (m + 1);
		}
		return s / -expm1(-l);
	}
	return ((l - 2) + (l + 2) * exp(-l)) / l / l / -expm1(-l);
}

/* ------------------------------------------------------------ times */

static void uniform_bounds(const owgrt_dist *d, double *lo, double *hi)
{
	*lo = d->a < d->b ? d->a : d->b;
	*hi = d->a < d->b ? d->b : d->a;
}

/* Population mean and variance of the samples, two passes. */
static void sample_moments(const owgrt_dist *d, bool clamp, double *mean, double *var)
{
	double s = 0, ss = 0;
	uint32_t n = d->samples ? d->nsamples : 0;
	for (uint32_t i = 0; i < n; i++)
		s += clamp && d->samples[i] < 0 ? 0 : d->samples[i];
	double m = n ? s / n : 0;
	for (uint32_t i = 0; i < n; i++) {
		double x = (clamp && d->samples[i] < 0 ? 0 : d->samples[i]) - m;
		ss += x * x;
	}
	*mean = m;
	*var = n ? ss / n : 0;
}

static void time_moments(const owgrt_dist *d, double *mean, double *var)
{
	double a = d->a, b = fabs(d->b), lo, hi;
	switch (d->kind) {
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_MEANSD:
		clamped_normal(a, b, mean, var);
		return;
	case OWGRT_DIST_LOGNORMAL:
		if (a == 0 || b == 0)
			break;
		*mean = a * exp(0.5 * b * b);
		*var = a * a * exp(b * b) * expm1(b * b);
		return;
	case OWGRT_DIST_UNIFORM:
		uniform_bounds(d, &lo, &hi);
		*mean = lo + (hi - lo) / 2;
		*var = (hi - lo) * (hi - lo) / 12;
		return;
	case OWGRT_DIST_EXP:
		*mean = a;
		*var = a * a;
		return;
	case OWGRT_DIST_EMPIRICAL:
		sample_moments(d, false, mean, var);
		return;
	case OWGRT_DIST_CONST:
	case OWGRT_DIST_POISSON:
	case OWGRT_DIST_GEOMETRIC:
		break;
	}
	*mean = a;
	*var = 0;
}

double owgrt_time_mean(const owgrt_dist *d)
{
	double m, v;
	time_moments(d, &m, &v);
	return m;
}

double owgrt_time_var(const owgrt_dist *d)
{
	double m, v;
	time_moments(d, &m, &v);
	return v;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static double empirical_quantile(const owgrt_dist *d, double p)
{
	uint32_t n = d->samples ? d->nsamples : 0;
	if (n == 0)
		return 0;
	/* index ceil(p n) - 1 with p n rounded to double: p is a decimal
	 * written in binary, and the rounding lands 0.2 * 5 on 1 as meant,
	 * where the exact product of the binary 0.2 would give 2 */
	size_t idx;
	if (p <= 0) {
		idx = 0;
	} else if (p >= 1) {
		idx = n - 1;
	} else {
		double k = ceil(p * n);
		idx = k < 1 ? 0 : k > n ? n - 1 : (size_t)k - 1;
	}
	double *x = malloc(n * sizeof *x);
	if (!x)
		return NAN; /* library code: no abort; NaN says "unknown" */
	memcpy(x, d->samples, n * sizeof *x);
	qsort(x, n, sizeof *x, cmp_double);
	double q = x[idx];
	free(x);
	return q;
}

double owgrt_time_quantile(const owgrt_dist *d, double p)
{
	double a = d->a, b = fabs(d->b), lo, hi;
	if (isnan(p))
		return p;
	switch (d->kind) {
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_MEANSD: {
		double x = b > 0 ? a + b * owgrt_normal_quantile(p) : a;
		return x > 0 ? x : 0;
	}
	case OWGRT_DIST_LOGNORMAL:
		return b > 0 && a != 0 ? a * exp(b * owgrt_normal_quantile(p)) : a;
	case OWGRT_DIST_UNIFORM:
		uniform_bounds(d, &lo, &hi);
		return p <= 0 ? lo : p >= 1 ? hi : lo + (hi - lo) * p;
	case OWGRT_DIST_EXP:
		if (a == 0 || p <= 0)
			return 0;
		return p >= 1 ? INFINITY : -a * log1p(-p);
	case OWGRT_DIST_EMPIRICAL:
		return empirical_quantile(d, p);
	case OWGRT_DIST_CONST:
	case OWGRT_DIST_POISSON:
	case OWGRT_DIST_GEOMETRIC:
		break;
	}
	return a;
}

double owgrt_time_sample(const owgrt_dist *d, owgrt_rng *r)
{
	double a = d->a, b = fabs(d->b), lo, hi;
	switch (d->kind) {
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_MEANSD: {
		double x = a + b * owgrt_rng_normal(r);
		return x > 0 ? x : 0;
	}
	case OWGRT_DIST_LOGNORMAL:
		return a * exp(b * owgrt_rng_normal(r));
	case OWGRT_DIST_UNIFORM:
		uniform_bounds(d, &lo, &hi);
		return lo + (hi - lo) * owgrt_rng_uniform(r);
	case OWGRT_DIST_EXP:
		return -a * log(owgrt_rng_uniform_pos(r));
	case OWGRT_DIST_EMPIRICAL:
		if (!d->samples || d->nsamples == 0)
			return 0;
		return d->samples[owgrt_rng_below(r, d->nsamples)];
	case OWGRT_DIST_CONST:
	case OWGRT_DIST_POISSON:
	case OWGRT_DIST_GEOMETRIC:
		break;
	}
	return a;
}

/* ----------------------------------------------------------- counts */

void owgrt_count_moments(const owgrt_dist *d, double *mean, double *var)
{
	double a = d->a > 0 ? d->a : 0, b = fabs(d->b), m = 0, v = 0, lo, hi;
	switch (d->kind) {
	case OWGRT_DIST_POISSON:
		m = v = a;
		break;
	case OWGRT_DIST_GEOMETRIC:
		m = a;
		v = a * (1 + a);
		break;
	case OWGRT_DIST_CONST:
		m = a;
		v = frac_var(a);
		break;
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_MEANSD:
		clamped_normal(d->a, b, &m, &v);
		v += efrac_normal(d->a, b);
		break;
	case OWGRT_DIST_LOGNORMAL:
		if (a > 0 && b > 0) {
			time_moments(d, &m, &v);
			v += efrac_lognormal(a, b);
		} else {
			m = a;
			v = frac_var(a);
		}
		break;
	case OWGRT_DIST_UNIFORM:
		/* Y = max(0, U): uniform density 1/w on [max(lo, 0), hi], the rest at 0 */
		uniform_bounds(d, &lo, &hi);
		if (hi <= 0) {
			break;
		} else if (hi == lo) {
			m = hi;
			v = frac_var(hi);
		} else if (lo >= 0) {
			m = lo + (hi - lo) / 2;
			v = (hi - lo) * (hi - lo) / 12 + frac_int(lo, hi) / (hi - lo);
		} else {
			double w = hi - lo;
			m = hi * hi / (2 * w);
			v = hi * hi * hi / (3 * w) - m * m + frac_int(0, hi) / w;
		}
		break;
	case OWGRT_DIST_EXP:
		if (a > 0) {
			m = a;
			v = a * a + efrac_exp(1 / a);
		}
		break;
	case OWGRT_DIST_EMPIRICAL: {
		sample_moments(d, true, &m, &v);
		uint32_t n = d->samples ? d->nsamples : 0;
		double s = 0;
		for (uint32_t i = 0; i < n; i++)
			s += d->samples[i] > 0 ? frac_var(d->samples[i]) : 0;
		v += n ? s / n : 0;
		break;
	}
	}
	*mean = m;
	*var = v;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

double owgrt_count_prob_positive(const owgrt_dist *d)
{
	double a = d->a, b = fabs(d->b), lo, hi;
	switch (d->kind) {
	case OWGRT_DIST_POISSON:
		return a > 0 ? -expm1(-a) : 0;
	case OWGRT_DIST_GEOMETRIC:
		return a > 0 ? a / (1 + a) : 0;
	case OWGRT_DIST_CONST:
		return clamp01(a);
	case OWGRT_DIST_NORMAL:
	case OWGRT_DIST_MEANSD: {
		/* P(X >= 1) + E[X; 0 < X < 1] */
		if (!(b > 0))
			return clamp01(a);
		double z0 = -a / b, z1 = (1 - a) / b;
		piece p = {LINEAR, 0, a, b};
		return owgrt_normal_cdf(-z1) + integrate(&p, z0 > -ZMAX ? z0 : -ZMAX,
						       z1 < ZMAX ? z1 : ZMAX, 0.5);
	}
	case OWGRT_DIST_LOGNORMAL:
		/* P(Y >= 1) + E[Y; Y < 1] */
		if (!(a > 0 && b > 0))
			return clamp01(a);
		return owgrt_normal_cdf(log(a) / b) + lognormal_below1(a, b, 1);
	case OWGRT_DIST_UNIFORM: {
		uniform_bounds(d, &lo, &hi);
		double w = hi - lo;
		if (!(w > 0))
			return clamp01(lo);
		double l0 = lo > 0 ? lo : 0, h1 = hi < 1 ? hi : 1, s = 0;
		if (h1 > l0)
			s += (h1 - l0) * (l0 + h1) / 2;
		if (hi > 1)
			s += hi - (lo > 1 ? lo : 1);
		return s / w;
	}
	case OWGRT_DIST_EXP:
		return a > 0 ? -a * expm1(-1 / a) : 0;
	case OWGRT_DIST_EMPIRICAL: {
		uint32_t n = d->samples ? d->nsamples : 0;
		double s = 0;
		for (uint32_t i = 0; i < n; i++)
			s += clamp01(d->samples[i]);
		return n ? s / n : 0;
	}
	}
	return 0;
}

/* ln k! for whole k >= 0: exact below 16, Stirling's series beyond
 * (error < 1e-17 there); thread-safe, unlike lgamma and its signgam. */
static double log_factorial(double k)
{
	if (k < 16) {
		double f = 1;
		for (double i = 2; i <= k; i++)
			f *= i;
		return log(f);
	}
	double x = k + 1, r = 1 / (x * x);
	return (x - 0.5) * log(x) - x + 0.5 * log(2 * 3.14159265358979323846) +
	       (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / x;
}

/* Poisson(mu) for mu >= 10: PTRS, transformed rejection with squeeze
 * (Hoermann 1993), about 1.2 iterations on average. */
static double poisson_ptrs(double mu, owgrt_rng *r)
{
	double smu = sqrt(mu), lmu = log(mu);
	double b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
	double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		double u = owgrt_rng_uniform(r) - 0.5, v = owgrt_rng_uniform_pos(r);
		double us = 0.5 - fabs(u);
		double k = floor((2 * a / us + b) * u + mu + 0.43);
		if (us >= 0.07 && v <= vr)
			return k;
		if (k < 0 || (us < 0.013 && v > us))
			continue;
		if (log(v * inv_alpha / (a / (us * us) + b)) <= -mu + k * lmu - log_factorial(k))
			return k;
	}
}

static double poisson(double mu, owgrt_rng *r)
{
	if (!(mu > 0))
		return 0;
	if (mu >= MAX_SAMPLE)
		return MAX_SAMPLE;
	if (mu >= 10)
		return poisson_ptrs(mu, r);
	/* inversion by sequential search; P(K > 100) < 1e-50 here */
	double u = owgrt_rng_uniform(r), p = exp(-mu), cdf = p, k = 0;
	while (u >= cdf && k < 100) {
		k++;
		p *= mu / k;
		cdf += p;
	}
	return k;
}

/* P(K >= k) = q^k, q = a/(1+a): K = floor(ln U / ln q). */
static double geometric(double mean, owgrt_rng *r)
{
	if (!(mean > 0))
		return 0;
	return floor(log(owgrt_rng_uniform_pos(r)) / -log1p(1 / mean));
}

static uint64_t to_count(double k)
{
	if (!(k > 0))
		return 0;
	return k >= MAX_SAMPLE ? (uint64_t)MAX_SAMPLE : (uint64_t)k;
}

uint64_t owgrt_count_sample(const owgrt_dist *d, owgrt_rng *r)
{
	switch (d->kind) {
	case OWGRT_DIST_POISSON:
		return to_count(poisson(d->a, r));
	case OWGRT_DIST_GEOMETRIC:
		return to_count(geometric(d->a, r));
	default:
		break;
	}
	double y = owgrt_time_sample(d, r);
	if (!(y > 0))
		return 0;
	if (y >= MAX_SAMPLE)
		return (uint64_t)MAX_SAMPLE;
	double k = floor(y), f = y - k;
	if (f > 0 && owgrt_rng_uniform(r) < f)
		k++;
	return (uint64_t)k;
}
