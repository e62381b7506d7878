/* diag.h - GCC-style diagnostics.
 *
 *   file:line:col: error: message
 *    12 |   foo -> bar;
 *       |          ^~~
 *   file:line:col: note: ...
 *
 * Errors are counted, never fatal; after max_errors the engine says so once
 * and drops the rest.  Warnings belong to a named group (-Wname), can be
 * turned off (-Wno-name) or into errors (-Werror, -Werror=name).  Colour
 * only when asked (the driver asks when stderr is a terminal).  A machine
 * format (one JSON object per line) serves tests and editors. */
#ifndef OWG_DIAG_H
#define OWG_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"

/* Warning groups; owg_warn_name() gives the -W spelling without "-W". */
typedef enum owg_warn {
	OWG_W_UNUSED_OUTPUT,  /* -Wunused-output: an `out` never read */
	OWG_W_UNUSED_PARAM,   /* -Wunused-param */
	OWG_W_UNUSED_TASK,    /* -Wunused-task: a task with no flows at all */
	OWG_W_MISSING_PROBABILITY, /* -Wmissing-probability: a decision with no declared probability */
	OWG_W_UNSIZED_FLOW,   /* -Wunsized-flow: a flow with no size */
	OWG_W_UNREACHABLE,    /* -Wunreachable: a task that can never run */
	OWG_W_SHADOW,         /* -Wshadow: a name hides a constant or param */
	OWG_W_STALE_PROFILE,  /* -Wstale-profile: the profile predates the workflow's models */
	OWG_W__COUNT
} owg_warn;

typedef enum owg_diag_format {
	OWG_DIAG_TEXT,
	OWG_DIAG_JSON,
} owg_diag_format;

typedef struct owg_diag owg_diag;

owg_diag *owg_diag_new(owg_srcmgr *sm, FILE *out);
void owg_diag_free(owg_diag *d);
void owg_diag_set_format(owg_diag *d, owg_diag_format f);
void owg_diag_set_color(owg_diag *d, bool on);
/* The prefix of messages without a location ("owgc" unless set; the
 * string is not copied). */
void owg_diag_set_progname(owg_diag *d, const char *name);
void owg_diag_set_max_errors(owg_diag *d, unsigned n); /* 0 = no cap; default 20 */
/* Applies one -W option ("-Wall", "-Wfoo", "-Wno-foo", "-Werror", "-Werror=foo",
 * "-Wno-error=foo", "-w").  Returns false for an unknown option. */
bool owg_diag_option(owg_diag *d, const char *opt);
/* "unused-output" etc. (no "-W"); NULL for a value out of range. */
const char *owg_warn_name(owg_warn w);
/* All group names, in enum order (*n = OWG_W__COUNT): the candidates for
 * "unknown warning option '-Wfoo'; did you mean '-Wshadow'?". */
const char *const *owg_warn_names(size_t *n);

void owg_diag_error(owg_diag *d, owg_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Returns true if the warning was shown (enabled). */
bool owg_diag_warning(owg_diag *d, owg_warn w, owg_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A note attaches to the last error or warning and is dropped with it. */
void owg_diag_note(owg_diag *d, owg_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error without a location ("owgc: error: ..."). */
void owg_diag_fatal(owg_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

unsigned owg_diag_errors(const owg_diag *d);   /* errors, including warnings made errors */
unsigned owg_diag_warnings(const owg_diag *d);
bool owg_diag_capped(const owg_diag *d);       /* the error cap was reached: stop early */

/* Details of the contract:
 * - Text: the location is file:line:col (1-based line, byte column); the
 *   excerpt's margin is a space, the line number right-aligned in max(4,
 *   digits) columns, " | ".  Only the first line of a multi-line span is
 *   shown (tildes to its end).
 * - JSON: {"file","line","column","end_line","end_column","severity",
 *   "message","option"}; end_* is where loc.end is (exclusive); the
 *   location keys are left out for OWG_LOC_NONE, "option" is there only for
 *   warnings ("-Wname", or "-Werror=name" with severity "error").  Invalid
 *   UTF-8 becomes \ufffd.
 * - The cap: max_errors errors are shown (with their notes); the next
 *   error or warning prints "owgc: note: too many errors (N); stopping..."
 *   once and from then on everything is dropped and owg_diag_capped() is
 *   true.  owg_diag_errors() counts the errors shown.
 * - -w wins over everything (also -Werror=name); otherwise options apply in
 *   order.  -Wall and -Wextra enable every group; -Werror=name enables name;
 *   -Wno-error=name exempts name from -Werror; -Wno-error undoes -Werror.
 * - owg_diag_fatal() is owg_diag_error() at OWG_LOC_NONE. */

/* Did-you-mean: the candidate closest to name by edit distance, if close
 * enough (distance <= max(1, strlen(name)/3)), else NULL.  The distance is
 * Damerau-Levenshtein (optimal string alignment), case-sensitive; ties go
 * to the first candidate; NULL if name is itself a candidate (not a typo)
 * or longer than 256 bytes; longer candidates and NULL entries are
 * skipped. */
const char *owg_suggest(const char *name, const char *const *cands, size_t n);

#endif
