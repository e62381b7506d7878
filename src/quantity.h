/* quantity.h - decimal quantities with SI time units, read and written
 * without rounding drift: "0.9ms" is the double nearest to 0.0009, and a
 * time prints as the shortest decimal that reads back to the same double. */
#ifndef OWG_QUANTITY_H
#define OWG_QUANTITY_H

#include <stddef.h>

/* The double nearest to the decimal number digits[0..n) (which may carry
 * its own exponent) times 10^exp10. */
double owg_decimal_scale(const char *digits, size_t n, int exp10);

/* A time in seconds as "<decimal><unit>" (s, ms, us or ns: the largest in
 * which it is at least 1), such that owg_decimal_scale of the decimal with
 * the unit's exponent gives back exactly `seconds`. */
void owg_fmt_time(char *buf, size_t n, double seconds);

#endif
