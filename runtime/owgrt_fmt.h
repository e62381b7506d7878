/* owgrt_fmt.h - numbers as owgc's IR text and .owgprof profiles write
 * them, shared by the compiler (src/ir.c, src/quantity.c) and the runtime
 * (owgrt_profile.c), so that both write the same bytes. */
#ifndef OWGRT_FMT_H
#define OWGRT_FMT_H

#include <stddef.h>

/* The shortest decimal that reads back to the same double (integers
 * without a point; nan, inf, -inf). */
void owgrt_fmt_double(char *buf, size_t n, double x);
/* Seconds with the largest unit (s, ms, us, ns) in which the value is at
 * least 1, exactly: "1.5ms", "250us", "0s". */
void owgrt_fmt_time(char *buf, size_t n, double x);

#endif
