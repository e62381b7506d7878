#include "config.h"

#include "atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

FILE *owg_atomic_open(owg_atomic_file *af, const char *path, const char **err)
{
	memset(af, 0, sizeof *af);
	if (!strcmp(path, "-")) {
		af->f = stdout;
		return af->f;
	}
	/* A device or a pipe (-o /dev/null, -o /dev/stdout) cannot be replaced
	 * by a rename: write to it directly. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		af->f = fopen(path, "w");
		if (!af->f)
			*err = strerror(errno);
		af->direct = af->f != NULL;
		return af->f;
	}
	af->path = owg_xstrdup(path);
	af->tmp = owg_xmalloc(strlen(path) + 16);
	sprintf(af->tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		*err = strerror(errno);
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return NULL;
	}
	/* mkstemp makes the file 0600; outputs get the usual 0666 & ~umask */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		*err = strerror(errno);
		close(fd);
		owg_atomic_abort(af);
		return NULL;
	}
	return af->f;
}

bool owg_atomic_commit(owg_atomic_file *af, const char **err)
{
	if (!af->tmp) {
		bool ok = fflush(af->f) == 0 && !ferror(af->f);
		int e = errno;
		if (af->direct && fclose(af->f) != 0 && ok) {
			ok = false;
			e = errno;
		}
		af->f = NULL;
		if (!ok)
			*err = strerror(e ? e : EIO);
		return ok;
	}
	bool ok = fflush(af->f) == 0 && !ferror(af->f);
	int e = errno;
	if (fclose(af->f) != 0 && ok) {
		ok = false;
		e = errno;
	}
	af->f = NULL;
	if (ok && rename(af->tmp, af->path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		*err = strerror(e ? e : EIO);
		owg_atomic_abort(af);
		return false;
	}
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return true;
}

void owg_atomic_abort(owg_atomic_file *af)
{
	if (af->f && (af->tmp || af->direct))
		fclose(af->f);
	af->f = NULL;
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}
