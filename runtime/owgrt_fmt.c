#include "config.h"

/* owgrt_fmt.c - see owgrt_fmt.h. */

#include "owgrt_fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Integral |x| < 1e15 by hand: "%.15g" prints exactly these digits.
 * Returns 0 when it does not fit in n bytes. */
static size_t fmt_int(char *buf, size_t n, double x)
{
	char tmp[24];
	size_t len = 0;
	bool neg = signbit(x);
	unsigned long long v = (unsigned long long)fabs(x);
	do {
		tmp[len++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t total = len + (neg ? 1 : 0);
	if (total + 1 > n)
		return 0;
	size_t i = 0;
	if (neg)
		buf[i++] = '-';
	while (len)
		buf[i++] = tmp[--len];
	buf[i] = '\0';
	return total;
}

/* The shortest of %.15g, %.16g, %.17g that reads back to the same bits. */
void owgrt_fmt_double(char *buf, size_t n, double x)
{
	if (n == 0)
		return;
	if (isnan(x)) {
		snprintf(buf, n, "nan");
		return;
	}
	if (isinf(x)) {
		snprintf(buf, n, x < 0 ? "-inf" : "inf");
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15 && fmt_int(buf, n, x))
		return;
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, n, "%.*g", p, x);
		double y = strtod(buf, NULL);
		if (memcmp(&x, &y, sizeof x) == 0)
			return;
	}
}

static const struct {
	const char *name;
	int exp10;
} time_units[] = {{"s", 0}, {"ms", -3}, {"us", -6}, {"ns", -9}};

/* x in the digits `mant` (len of them, no leading zero) times 10^k, as
 * plain decimals when short, else with an exponent. */
static void fmt_scaled(char *num, size_t size, const char *mant, size_t len, long k)
{
	if (k >= 0 && len + (size_t)k <= 21) {
		memcpy(num, mant, len);
		memset(num + len, '0', (size_t)k);
		num[len + (size_t)k] = '\0';
	} else if (k < 0 && -k <= 30) {
		size_t point = (size_t)-k;
		if (len > point) {
			memcpy(num, mant, len - point);
			num[len - point] = '.';
			memcpy(num + len - point + 1, mant + len - point, point);
			num[len + 1] = '\0';
		} else {
			size_t zeros = point - len;
			num[0] = '0';
			num[1] = '.';
			memset(num + 2, '0', zeros);
			memcpy(num + 2 + zeros, mant, len);
			num[2 + zeros + len] = '\0';
		}
	} else {
		snprintf(num, size, "%.*se%ld", (int)len, mant, k);
	}
}

/* The largest unit in which the value is at least 1, the digits of the
 * shortest round-trip form moved by the unit's exponent exactly (no
 * second rounding). */
void owgrt_fmt_time(char *buf, size_t n, double x)
{
	if (x == 0 || !isfinite(x)) {
		owgrt_fmt_double(buf, n, x == 0 ? 0.0 : x); /* no "-0s" */
		snprintf(buf + strlen(buf), n - strlen(buf), "s");
		return;
	}
	char d[40];
	owgrt_fmt_double(d, sizeof d, x);
	const char *p = d;
	bool neg = *p == '-';
	p += neg;
	char mant[40];
	size_t len = 0;
	long exp = 0;
	bool frac = false;
	for (; *p && *p != 'e'; p++) {
		if (*p == '.') {
			frac = true;
			continue;
		}
		if (!(len == 0 && *p == '0')) /* leading zeros carry no digits */
			mant[len++] = *p;
		exp -= frac;
	}
	if (*p == 'e')
		exp += strtol(p + 1, NULL, 10);
	while (len > 1 && mant[len - 1] == '0') {
		len--;
		exp++;
	}
	size_t u = 3;
	for (size_t i = 0; i < 4; i++)
		if ((long)len + exp - time_units[i].exp10 >= 1) {
			u = i;
			break;
		}
	char num[80];
	fmt_scaled(num, sizeof num, mant, len, exp - time_units[u].exp10);
	snprintf(buf, n, "%s%s%s", neg ? "-" : "", num, time_units[u].name);
}
