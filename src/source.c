/* source.c - the source manager: files read whole, lines found on demand.
 *
 * POSIX (open, fstat, read) for the directory check and the size limit;
 * config.h asks for POSIX.1-2008. */
#include "config.h"

#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* The message below spells the limit out; keep them in step. */
_Static_assert(OWG_SRC_MAX_BYTES == (size_t)1 << 30, "update the 'too large' message");
/* Offsets are uint32_t: every valid offset, and len itself, must fit. */
_Static_assert(OWG_SRC_MAX_BYTES < UINT32_MAX, "offsets are 32-bit");

static const char too_large[] = "file too large (the limit is 1 GiB)";

void owg_src_init(owg_srcmgr *sm)
{
	sm->files = NULL;
	sm->n = sm->cap = 0;
}

void owg_src_free(owg_srcmgr *sm)
{
	for (size_t i = 0; i < sm->n; i++) {
		free(sm->files[i].path);
		free(sm->files[i].text);
		free(sm->files[i].line_starts);
	}
	free(sm->files);
	owg_src_init(sm);
}

/* Takes ownership of text (len bytes plus a NUL). */
static uint32_t add(owg_srcmgr *sm, const char *name, char *text, size_t len)
{
	if (sm->n == sm->cap) {
		sm->cap = sm->cap ? 2 * sm->cap : 8;
		sm->files = owg_xrealloc(sm->files, sm->cap * sizeof *sm->files);
	}
	owg_source *s = &sm->files[sm->n];
	s->path = owg_xstrdup(name);
	s->text = text;
	s->len = len;
	s->line_starts = NULL;
	s->nlines = 0;
	return (uint32_t)sm->n++;
}

uint32_t owg_src_add(owg_srcmgr *sm, const char *name, const char *text, size_t len)
{
	if (len > OWG_SRC_MAX_BYTES || sm->n >= OWG_NOFILE)
		return OWG_NOFILE;
	char *copy = owg_xmalloc(len + 1);
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return add(sm, name, copy, len);
}

/* Reads fd to its end.  hint is the expected size (0 if unknown, at most
 * OWG_SRC_MAX_BYTES).  Returns the buffer (NUL-terminated) or NULL with
 * *err set. */
static char *read_all(int fd, size_t hint, size_t *lenp, const char **err)
{
	/* cap counts data bytes (the NUL comes on top).  One byte more than
	 * the hint lets the read that sees the end do so without growing. */
	size_t cap = hint ? hint + 1 : 64 * 1024, len = 0;
	char *buf = owg_xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			/* Reading one byte past the limit is enough to refuse. */
			if (cap > OWG_SRC_MAX_BYTES)
				break;
			cap = cap > (OWG_SRC_MAX_BYTES + 1) / 2 ? OWG_SRC_MAX_BYTES + 1 : 2 * cap;
			buf = owg_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = strerror(errno);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > OWG_SRC_MAX_BYTES) {
		free(buf);
		*err = too_large;
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

uint32_t owg_src_load(owg_srcmgr *sm, const char *path, const char **err)
{
	const char *dummy;
	if (!err)
		err = &dummy;
	if (sm->n >= OWG_NOFILE) {
		*err = "too many source files";
		return OWG_NOFILE;
	}
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = strerror(errno);
		return OWG_NOFILE;
	}
	struct stat st;
	size_t hint = 0;
	char *text = NULL;
	size_t len = 0;
	if (fstat(fd, &st) != 0) {
		*err = strerror(errno);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		*err = strerror(EISDIR);
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_size < 0 || (uintmax_t)st.st_size > OWG_SRC_MAX_BYTES) {
			*err = too_large;
			goto out;
		}
		hint = (size_t)st.st_size;
	}
	/* Not trusting st_size beyond a hint: the file may change under us,
	 * and pipes and devices have none. */
	text = read_all(fd, hint, &len, err);
out:
	if (!is_stdin)
		close(fd);
	if (!text)
		return OWG_NOFILE;
	return add(sm, is_stdin ? "<stdin>" : path, text, len);
}

const owg_source *owg_src_get(const owg_srcmgr *sm, uint32_t file)
{
	if (!sm || file >= sm->n)
		return NULL;
	return &sm->files[file];
}

static owg_source *get(owg_srcmgr *sm, uint32_t file)
{
	if (!sm || file >= sm->n)
		return NULL;
	return &sm->files[file];
}

/* line_starts[i] is the offset of line i+1.  A file ending in a newline has
 * an empty last line starting at len (where "unexpected end of file" is). */
static void compute_lines(owg_source *s)
{
	size_t n = 1;
	const char *p = s->text, *end = s->text + s->len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	uint32_t *ls = owg_xmalloc(n * sizeof *ls);
	size_t i = 0;
	ls[i++] = 0;
	p = s->text;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		ls[i++] = (uint32_t)(p - s->text);
	}
	s->line_starts = ls;
	s->nlines = n;
}

/* Index (0-based) of the line containing offset, which is <= len. */
static size_t line_index(owg_source *s, uint32_t offset)
{
	if (!s->line_starts)
		compute_lines(s);
	/* Last line whose start is <= offset; line_starts[0] == 0. */
	size_t lo = 0, hi = s->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void owg_src_linecol(owg_srcmgr *sm, uint32_t file, uint32_t offset,
		     uint32_t *line, uint32_t *col)
{
	owg_source *s = get(sm, file);
	uint32_t l = 0, c = 0;
	if (s) {
		if (offset > s->len)
			offset = (uint32_t)s->len;
		size_t i = line_index(s, offset);
		l = (uint32_t)i + 1;
		c = offset - s->line_starts[i] + 1;
	}
	if (line)
		*line = l;
	if (col)
		*col = c;
}

const char *owg_src_line(owg_srcmgr *sm, uint32_t file, uint32_t offset, size_t *len)
{
	owg_source *s = get(sm, file);
	if (!s) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (offset > s->len)
		offset = (uint32_t)s->len;
	size_t i = line_index(s, offset);
	size_t b = s->line_starts[i];
	size_t e = i + 1 < s->nlines ? s->line_starts[i + 1] - 1 : s->len;
	/* e is at the newline (or the end); drop a '\r' before a newline. */
	if (i + 1 < s->nlines && e > b && s->text[e - 1] == '\r')
		e--;
	if (len)
		*len = e - b;
	return s->text + b;
}

size_t owg_utf8_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (len == 0 || len > n || p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0; /* overlong, surrogate or beyond U+10FFFF */
	return len;
}
