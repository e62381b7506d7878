#include "config.h"

#include "depfile.h"

/* Make's quoting: spaces and '#' escaped with '\', '$' doubled. */
static void put_name(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '#' || *s == '\t')
			fputc('\\', out);
		else if (*s == '$')
			fputc('$', out);
		fputc(*s, out);
	}
}

void owg_depfile_write(FILE *out, const char *target, const char *const *deps, size_t n, bool phony)
{
	put_name(out, target);
	fputc(':', out);
	for (size_t i = 0; i < n; i++) {
		if (!deps[i][0] || deps[i][0] == '-' || deps[i][0] == '<')
			continue; /* standard input has no file to depend on */
		fputs(" \\\n ", out);
		put_name(out, deps[i]);
	}
	fputc('\n', out);
	for (size_t i = 1; phony && i < n; i++) {
		fputc('\n', out);
		put_name(out, deps[i]);
		fputs(":\n", out);
	}
}
