/* owgrt_file.h - reading a whole input file with a size bound, for
 * libowgrt's loaders (placement binaries, phase files). */
#ifndef OWGRT_FILE_H
#define OWGRT_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads `path` into a new buffer (*buf, *len; the caller frees it).
 * OWGRT_OK, or OWGRT_EIO (cannot open, read error), OWGRT_ENOMEM, or
 * OWGRT_EFORMAT when the file is larger than max bytes ("PATH: larger
 * than MAX bytes: not a WHAT"), with "PATH: ..." in err. */
int owgrt_read_file(const char *path, uint64_t max, const char *what, uint8_t **buf, size_t *len, char *err,
		    size_t err_size);

#endif
