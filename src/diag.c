/* diag.c - GCC-style diagnostics: text with source excerpts and carets,
 * or one JSON object per line; warning groups, -Werror, the error cap, and
 * did-you-mean suggestions. */
#include "config.h"

#include "diag.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

/* GCC's default GCC_COLORS and its way of starting and ending a colour. */
#define SGR(s) "\033[" s "m\033[K"
#define SGR_END "\033[m\033[K"
#define COL_LOCUS "01"
#define COL_ERROR "01;31"
#define COL_WARNING "01;35"
#define COL_NOTE "01;36"
#define COL_CARET "32"


enum { DEFAULT_MAX_ERRORS = 20, SUGGEST_MAX = 256 };

typedef enum sev { SEV_ERROR, SEV_WARNING, SEV_NOTE } sev;

static const char *const sev_text[] = {"error", "warning", "note"};
static const char *const sev_color[] = {SGR(COL_ERROR), SGR(COL_WARNING), SGR(COL_NOTE)};

static const char *const warn_names[] = {
	[OWG_W_UNUSED_OUTPUT] = "unused-output",
	[OWG_W_UNUSED_PARAM] = "unused-param",
	[OWG_W_UNUSED_TASK] = "unused-task",
	[OWG_W_MISSING_PROBABILITY] = "missing-probability",
	[OWG_W_UNSIZED_FLOW] = "unsized-flow",
	[OWG_W_UNREACHABLE] = "unreachable",
	[OWG_W_SHADOW] = "shadow",
	[OWG_W_STALE_PROFILE] = "stale-profile",
};
_Static_assert(sizeof warn_names / sizeof *warn_names == OWG_W__COUNT,
	       "a name for every warning group");

struct owg_diag {
	owg_srcmgr *sm;
	FILE *out;
	owg_diag_format format;
	bool color;
	const char *progname; /* the prefix of messages without a location */
	unsigned max_errors;
	unsigned nerrors, nwarnings;
	bool capped;
	bool last_shown; /* was the last error or warning shown? (notes follow it) */
	bool inhibit;    /* -w */
	bool werror_all; /* -Werror */
	bool enabled[OWG_W__COUNT];
	signed char werror[OWG_W__COUNT]; /* 1: -Werror=name, -1: -Wno-error=name */
};

owg_diag *owg_diag_new(owg_srcmgr *sm, FILE *out)
{
	owg_diag *d = owg_xcalloc(1, sizeof *d);
	d->sm = sm;
	d->out = out ? out : stderr;
	d->format = OWG_DIAG_TEXT;
	d->progname = "owgc";
	d->max_errors = DEFAULT_MAX_ERRORS;
	d->last_shown = true;
	for (int w = 0; w < OWG_W__COUNT; w++)
		d->enabled[w] = true;
	d->enabled[OWG_W_UNUSED_TASK] = false;
	d->enabled[OWG_W_UNSIZED_FLOW] = false;
	return d;
}

void owg_diag_free(owg_diag *d)
{
	free(d);
}

void owg_diag_set_format(owg_diag *d, owg_diag_format f)
{
	d->format = f;
}

void owg_diag_set_progname(owg_diag *d, const char *name)
{
	d->progname = name;
}

void owg_diag_set_color(owg_diag *d, bool on)
{
	d->color = on;
}

void owg_diag_set_max_errors(owg_diag *d, unsigned n)
{
	d->max_errors = n;
}

unsigned owg_diag_errors(const owg_diag *d)
{
	return d->nerrors;
}

unsigned owg_diag_warnings(const owg_diag *d)
{
	return d->nwarnings;
}

bool owg_diag_capped(const owg_diag *d)
{
	return d->capped;
}

const char *owg_warn_name(owg_warn w)
{
	if ((unsigned)w >= OWG_W__COUNT)
		return NULL;
	return warn_names[w];
}

const char *const *owg_warn_names(size_t *n)
{
	if (n)
		*n = OWG_W__COUNT;
	return warn_names;
}

static int warn_lookup(const char *name)
{
	for (int w = 0; w < OWG_W__COUNT; w++)
		if (strcmp(name, warn_names[w]) == 0)
			return w;
	return -1;
}

static bool starts(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return false;
	*rest = s + n;
	return true;
}

bool owg_diag_option(owg_diag *d, const char *opt)
{
	const char *name;
	int w;
	if (strcmp(opt, "-w") == 0) {
		d->inhibit = true;
	} else if (strcmp(opt, "-Wall") == 0 || strcmp(opt, "-Wextra") == 0) {
		for (w = 0; w < OWG_W__COUNT; w++)
			d->enabled[w] = true;
	} else if (strcmp(opt, "-Werror") == 0) {
		d->werror_all = true;
	} else if (strcmp(opt, "-Wno-error") == 0) {
		d->werror_all = false;
	} else if (starts(opt, "-Werror=", &name)) {
		if ((w = warn_lookup(name)) < 0)
			return false;
		d->werror[w] = 1;
		d->enabled[w] = true; /* as GCC: -Werror=foo implies -Wfoo */
	} else if (starts(opt, "-Wno-error=", &name)) {
		if ((w = warn_lookup(name)) < 0)
			return false;
		d->werror[w] = -1;
	} else if (starts(opt, "-Wno-", &name)) {
		if ((w = warn_lookup(name)) < 0)
			return false;
		d->enabled[w] = false;
	} else if (starts(opt, "-W", &name)) {
		if ((w = warn_lookup(name)) < 0)
			return false;
		d->enabled[w] = true;
	} else {
		return false;
	}
	return true;
}

/* ---- output ---- */

static void color_on(owg_diag *d, const char *sgr)
{
	if (d->color)
		fputs(sgr, d->out);
}

static void color_off(owg_diag *d)
{
	if (d->color)
		fputs(SGR_END, d->out);
}

/* Length of the well-formed UTF-8 sequence at s (n > 0 bytes, s[0] >= 0x80),
 * or 0 with *bad set to the length of its maximal ill-formed prefix (at
 * least 1), which becomes one U+FFFD (Unicode's "maximal subpart"). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF */
	} else {
		*bad = 1;
		return 0;
	}
	size_t i = 1;
	for (; i <= need && i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			break;
		lo = 0x80;
		hi = 0xBF;
	}
	if (i == need + 1)
		return i;
	*bad = i;
	return 0;
}

static void json_str(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	putc('"', out);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c >= 0x80) {
			size_t bad, k = utf8_seq(s + i, n - i, &bad);
			if (k) {
				fwrite(s + i, 1, k, out);
				i += k;
			} else {
				fputs("\\ufffd", out);
				i += bad;
			}
			continue;
		}
		i++;
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				putc(c, out);
		}
	}
	putc('"', out);
}

static void emit_json(owg_diag *d, sev s, const owg_source *src, owg_loc loc,
		      const char *option, const char *msg)
{
	FILE *out = d->out;
	const char *sep = "{";
	if (src) {
		uint32_t line, col, eline, ecol;
		uint32_t end = loc.end < loc.begin ? loc.begin : loc.end;
		owg_src_linecol(d->sm, loc.file, loc.begin, &line, &col);
		owg_src_linecol(d->sm, loc.file, end, &eline, &ecol);
		fputs("{\"file\":", out);
		json_str(out, src->path, strlen(src->path));
		fprintf(out, ",\"line\":%" PRIu32 ",\"column\":%" PRIu32
			",\"end_line\":%" PRIu32 ",\"end_column\":%" PRIu32,
			line, col, eline, ecol);
		sep = ",";
	}
	fprintf(out, "%s\"severity\":\"%s\",\"message\":", sep, sev_text[s]);
	json_str(out, msg, strlen(msg));
	if (option) {
		fputs(",\"option\":", out);
		json_str(out, option, strlen(option));
	}
	fputs("}\n", out);
}

/* How much of a long line an excerpt shows around the caret. */
enum { EXCERPT_BEFORE = 80, EXCERPT_WIDTH = 240 };

/* The source line of loc.begin, then a caret under its first character and
 * tildes under the rest of the span on that line.  Control characters and
 * invalid UTF-8 are shown as '?' (never sent to the terminal), and a long
 * line is cut to a window around the caret, marked with "...".  Both lines
 * are built in memory and written at once. */
static void excerpt(owg_diag *d, owg_loc loc)
{
	FILE *out = d->out;
	size_t len;
	const char *line = owg_src_line(d->sm, loc.file, loc.begin, &len);
	const owg_source *src = owg_src_get(d->sm, loc.file);
	uint32_t lineno, col;
	owg_src_linecol(d->sm, loc.file, loc.begin, &lineno, &col);

	size_t line_off = (size_t)(line - src->text);
	size_t b = col - 1, e = b + 1;
	if (b > len)
		b = len; /* at a "\r\n" */
	if (loc.end > loc.begin + 1) {
		e = loc.end - line_off; /* loc.begin >= line_off */
		if (e > len)
			e = len; /* continues on the next lines */
	}
	/* the window [ws, we) of the line that is shown */
	size_t ws = b > EXCERPT_BEFORE ? b - EXCERPT_BEFORE : 0;
	while (ws > 0 && ((unsigned char)line[ws] & 0xC0) == 0x80)
		ws--;
	size_t we = len - ws > EXCERPT_WIDTH ? ws + EXCERPT_WIDTH : len;
	while (we < len && ((unsigned char)line[we] & 0xC0) == 0x80)
		we++;
	if (e > we)
		e = we;

	/* text: the window, 3+3 bytes of "...", NUL; marks: one byte per
	 * shown character, the caret, 3 bytes of padding, NUL */
	size_t cap = (we - ws) + 8;
	char *text = owg_xmalloc(cap), *marks = owg_xmalloc(cap);
	size_t nt = 0, nm = 0;
	if (ws > 0) {
		memcpy(text, "...", 3);
		memcpy(marks, "   ", 3);
		nt = nm = 3;
	}
	size_t caret_at = SIZE_MAX, tilde_end = 0;
	for (size_t i = ws; i < we;) {
		unsigned char c = (unsigned char)line[i];
		size_t n = owg_utf8_len((const unsigned char *)line + i, we - i);
		bool shown = n > 0 && c != 0x7f && (c >= 0x20 || c == '\t');
		if (shown) {
			memcpy(text + nt, line + i, n);
			nt += n;
		} else {
			text[nt++] = '?';
			n = 1;
		}
		if (i < b)
			marks[nm++] = c == '\t' ? '\t' : ' ';
		else if (i == b)
			caret_at = nm++;
		else if (i < e)
			tilde_end = ++nm;
		i += n;
	}
	if (caret_at == SIZE_MAX)
		caret_at = nm++; /* at the end of the line */
	if (we < len) {
		memcpy(text + nt, "...", 3);
		nt += 3;
	}

	int width = 4;
	for (uint32_t n = lineno; n >= 10000; n /= 10)
		width++;
	fprintf(out, " %*" PRIu32 " | ", width, lineno);
	fwrite(text, 1, nt, out);
	fprintf(out, "\n %*s | ", width, "");
	fwrite(marks, 1, caret_at, out);
	color_on(d, SGR(COL_CARET));
	putc('^', out);
	for (size_t i = caret_at + 1; i < tilde_end; i++)
		marks[i] = '~';
	if (tilde_end > caret_at + 1)
		fwrite(marks + caret_at + 1, 1, tilde_end - caret_at - 1, out);
	color_off(d);
	putc('\n', out);
	free(text);
	free(marks);
}

static void emit_text(owg_diag *d, sev s, const owg_source *src, owg_loc loc,
		      const char *option, const char *msg)
{
	FILE *out = d->out;
	color_on(d, SGR(COL_LOCUS));
	if (src) {
		uint32_t line, col;
		owg_src_linecol(d->sm, loc.file, loc.begin, &line, &col);
		fprintf(out, "%s:%" PRIu32 ":%" PRIu32 ":", src->path, line, col);
	} else {
		fputs(d->progname, out);
		putc(':', out);
	}
	color_off(d);
	putc(' ', out);
	color_on(d, sev_color[s]);
	fprintf(out, "%s: ", sev_text[s]);
	color_off(d);
	fputs(msg, out);
	if (option) {
		fputs(" [", out);
		color_on(d, sev_color[s]);
		fputs(option, out);
		color_off(d);
		putc(']', out);
	}
	putc('\n', out);
	if (src)
		excerpt(d, loc);
}

static void emit(owg_diag *d, sev s, owg_loc loc, const char *option, const char *msg)
{
	const owg_source *src = loc.file == OWG_NOFILE ? NULL : owg_src_get(d->sm, loc.file);
	if (src) {
		/* Clamp to the file; the offsets come from elsewhere. */
		if (loc.begin > src->len)
			loc.begin = (uint32_t)src->len;
		if (loc.end > src->len)
			loc.end = (uint32_t)src->len;
	}
	if (d->format == OWG_DIAG_JSON)
		emit_json(d, s, src, loc, option, msg);
	else
		emit_text(d, s, src, loc, option, msg);
	fflush(d->out);
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return owg_xstrdup(fmt);
	char *p = owg_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

/* May an error or warning be shown?  Once max_errors errors are out, the
 * next one says so (once) and everything after is dropped. */
static bool below_cap(owg_diag *d)
{
	if (d->capped)
		return false;
	if (d->max_errors && d->nerrors >= d->max_errors) {
		char msg[128];
		snprintf(msg, sizeof msg,
			 "too many errors (%u); stopping. Use --max-errors=N to change the limit",
			 d->max_errors);
		emit(d, SEV_NOTE, OWG_LOC_NONE, NULL, msg);
		d->capped = true;
		return false;
	}
	return true;
}

static void verror(owg_diag *d, owg_loc loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void verror(owg_diag *d, owg_loc loc, const char *fmt, va_list ap)
{
	d->last_shown = below_cap(d);
	if (!d->last_shown)
		return;
	char *msg = vformat(fmt, ap);
	emit(d, SEV_ERROR, loc, NULL, msg);
	free(msg);
	d->nerrors++;
}

void owg_diag_error(owg_diag *d, owg_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(d, loc, fmt, ap);
	va_end(ap);
}

void owg_diag_fatal(owg_diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(d, OWG_LOC_NONE, fmt, ap);
	va_end(ap);
}

bool owg_diag_warning(owg_diag *d, owg_warn w, owg_loc loc, const char *fmt, ...)
{
	if ((unsigned)w >= OWG_W__COUNT || d->inhibit || !d->enabled[w] || !below_cap(d)) {
		d->last_shown = false;
		return false;
	}
	bool as_error = d->werror[w] > 0 || (d->werror[w] == 0 && d->werror_all);
	char option[64];
	snprintf(option, sizeof option, "-W%s%s", as_error ? "error=" : "", warn_names[w]);
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	emit(d, as_error ? SEV_ERROR : SEV_WARNING, loc, option, msg);
	free(msg);
	if (as_error)
		d->nerrors++;
	else
		d->nwarnings++;
	d->last_shown = true;
	return true;
}

void owg_diag_note(owg_diag *d, owg_loc loc, const char *fmt, ...)
{
	if (!d->last_shown || d->capped)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	emit(d, SEV_NOTE, loc, NULL, msg);
	free(msg);
}

/* ---- did you mean ---- */

/* Optimal string alignment distance (Damerau-Levenshtein where no
 * substring is edited twice); both lengths <= SUGGEST_MAX. */
static size_t osa(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][SUGGEST_MAX + 1];
	size_t *pp = rows[0], *p = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		p[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t v = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		size_t *t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[lb];
}

/* strlen, but stops looking after max + 1 bytes. */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n])
		n++;
	return n;
}

const char *owg_suggest(const char *name, const char *const *cands, size_t n)
{
	if (!name || !cands)
		return NULL;
	size_t ln = bounded_len(name, SUGGEST_MAX);
	if (ln > SUGGEST_MAX)
		return NULL;
	size_t limit = ln / 3 > 1 ? ln / 3 : 1;
	const char *best = NULL;
	size_t best_dist = limit + 1;
	for (size_t i = 0; i < n; i++) {
		const char *c = cands[i];
		if (!c)
			continue;
		size_t lc = bounded_len(c, SUGGEST_MAX);
		if (lc > SUGGEST_MAX)
			continue;
		if (lc == ln && memcmp(c, name, ln) == 0)
			return NULL; /* not a typo */
		if (lc == ln && strncasecmp(c, name, ln) == 0) {
			/* a slip of the shift key beats any other edit */
			best = c;
			best_dist = 0;
			continue;
		}
		size_t diff = lc > ln ? lc - ln : ln - lc;
		if (diff >= best_dist)
			continue; /* the distance is at least the difference */
		size_t dist = osa(name, ln, c, lc);
		if (dist < best_dist) {
			best = c;
			best_dist = dist;
		}
	}
	return best;
}
