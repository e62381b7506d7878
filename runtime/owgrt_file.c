#include "config.h"

/* owgrt_file.c - see owgrt_file.h. */

#include "owgrt_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "owgrt.h"

static void why_errno(char *why, size_t n, int e)
{
	if (strerror_r(e, why, n))
		snprintf(why, n, "error %d", e);
}

int owgrt_read_file(const char *path, uint64_t max, const char *what, uint8_t **out, size_t *out_len, char *err,
		    size_t err_size)
{
	char why[128];
	*out = NULL;
	*out_len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		why_errno(why, sizeof why, errno);
		if (err && err_size)
			snprintf(err, err_size, "%s: cannot open: %s", path, why);
		return OWGRT_EIO;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, first_cap = 4096;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= max)
		first_cap = (size_t)st.st_size + 1; /* +1: see the end of the file without growing */
	int rc = OWGRT_OK;
	for (;;) {
		if (len == cap) {
			if ((uint64_t)cap > max) {
				rc = OWGRT_EFORMAT;
				if (err && err_size)
					snprintf(err, err_size, "%s: larger than %llu bytes: not a %s", path,
						 (unsigned long long)max, what);
				break;
			}
			size_t ncap = cap ? 2 * cap : first_cap;
			if ((uint64_t)ncap > max + 1)
				ncap = (size_t)(max + 1);
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				rc = OWGRT_ENOMEM;
				if (err && err_size)
					snprintf(err, err_size, "%s: out of memory", path);
				break;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				why_errno(why, sizeof why, errno);
				rc = OWGRT_EIO;
				if (err && err_size)
					snprintf(err, err_size, "%s: read error: %s", path, why);
			}
			break;
		}
	}
	fclose(f);
	if (rc != OWGRT_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	*out_len = len;
	return OWGRT_OK;
}
