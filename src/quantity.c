#include "config.h"

#include "quantity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ir.h"

double owg_decimal_scale(const char *digits, size_t n, int exp10)
{
	const char *e = memchr(digits, 'e', n);
	if (!e)
		e = memchr(digits, 'E', n);
	long exp = 0;
	if (e) {
		char ebuf[32];
		size_t en = (size_t)(digits + n - e - 1);
		snprintf(ebuf, sizeof ebuf, "%.*s", (int)(en < 24 ? en : 24), e + 1);
		exp = strtol(ebuf, NULL, 10);
	}
	exp = exp > 100000 ? 100000 : exp < -100000 ? -100000 : exp; /* beyond any double */
	size_t m = e ? (size_t)(e - digits) : n;
	char small[96], *buf = m + 16 <= sizeof small ? small : owg_xmalloc(m + 16);
	memcpy(buf, digits, m);
	snprintf(buf + m, 16, "e%ld", exp + exp10);
	double x = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return x;
}

static const struct {
	const char *name;
	int exp10;
} time_units[] = {{"s", 0}, {"ms", -3}, {"us", -6}, {"ns", -9}};

void owg_fmt_time(char *buf, size_t n, double x)
{
	if (x == 0 || !isfinite(x)) {
		owg_fmt_double(buf, n, x == 0 ? 0.0 : x); /* no "-0s" */
		snprintf(buf + strlen(buf), n - strlen(buf), "s");
		return;
	}
	/* x as sign, integer digits M and exponent E: |x| = M * 10^E */
	char d[40];
	owg_fmt_double(d, sizeof d, x);
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
		if (len == 0 && *p == '0')
			; /* leading zeros carry no digits */
		else
			mant[len++] = *p;
		exp -= frac;
	}
	if (*p == 'e')
		exp += strtol(p + 1, NULL, 10);
	while (len > 1 && mant[len - 1] == '0') {
		len--;
		exp++;
	}
	/* the largest unit in which the value is at least 1 */
	size_t u = 3;
	for (size_t i = 0; i < 4; i++)
		if ((long)len + exp - time_units[i].exp10 >= 1) {
			u = i;
			break;
		}
	long k = exp - time_units[u].exp10; /* value in that unit: M * 10^k */
	char num[80];
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
		snprintf(num, sizeof num, "%.*se%ld", (int)len, mant, k);
	}
	snprintf(buf, n, "%s%s%s", neg ? "-" : "", num, time_units[u].name);
}
