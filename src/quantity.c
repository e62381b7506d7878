#include "config.h"

#include "quantity.h"

#include "../runtime/owgrt_fmt.h"

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

void owg_fmt_time(char *buf, size_t n, double x)
{
	owgrt_fmt_time(buf, n, x);
}
