/* test_phase.c - phase files (runtime/owgrt_phase.c): a valid file with
 * several phases read into the per-node overrides, every rule of the
 * format with its exact message, and which phase a request falls in. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "fabric.h"
#include "owgp_write.h"
#include "pass.h"
#include "unit.h"
#include "../runtime/owgrt_phase.h"

/* Every kind of node a phase file talks about: tasks (one of them in a
 * sub-workflow instance, dotted), a branch, a switch without and one with
 * a default, a count loop, a while loop, a fork, an exit. */
static const char *const WF =
	"workflow stage {\n"
	"  task step  : ai      { time 1ms; }\n"
	"  task check : general { time 20us; }\n"
	"  step -> check : 16KiB;\n"
	"}\n"
	"workflow w {\n"
	"  task src   : general { time 1ms; out n: i64, q: f64; }\n"
	"  task sink  : general { time 1ms; }\n"
	"  task b1    : ai      { time 2ms; }\n"
	"  task b2    : general { time 1ms; }\n"
	"  task s1    : general { time 1ms; }\n"
	"  task s2    : general { time 1ms; }\n"
	"  task d1    : general { time 1ms; }\n"
	"  task d2    : general { time 1ms; }\n"
	"  task body  : general { time 1ms; }\n"
	"  task retry : general { time 1ms; out ok: bool; }\n"
	"  task item  : general { time 1ms; }\n"
	"  task tail  : general { time 1ms; }\n"
	"  src -> sink : 1KiB;\n"
	"  br: if (src.q < 0.5) p 0.3 { src -> b1 : 1KiB; } else { src -> b2 : 1KiB; }\n"
	"  sw: switch (src.n) { case 0 p 0.5 { src -> s1 : 1KiB; } case 1 p 0.5 { src -> s2 : 1KiB; } }\n"
	"  swd: switch { case p 0.7 { src -> d1 : 1KiB; } default p 0.3 { src -> d2 : 1KiB; } }\n"
	"  lp: loop 3 { src -> body : 1KiB; }\n"
	"  wl: loop while (!retry.ok) p 0.2 max 5 { src -> retry : 1KiB; }\n"
	"  fk: foreach i in src.n ~ mean(4) { src -> item : 1KiB; }\n"
	"  use stage as inst;\n"
	"  src -> inst.step : 1KiB;\n"
	"  ex: exit if (src.n == 0) p 0.1;\n"
	"  src -> tail : 1KiB;\n"
	"}\n";

static owgrt_program *prog;

/* Compiles WF, places it and loads the binary, as owgrun would. */
static void setup(void)
{
	compiled c = compile_src(WF, NULL);
	ck_assert_msg(c.g != NULL, "front end failed:\n%s", c.diags);
	ck_assert(place_graph(c.g, "default", 0));
	char err[512];
	prog = load_placed(c.g, err, sizeof err);
	ck_assert_msg(prog != NULL, "%s", err);
	compiled_free(&c);
	ck_assert_str_eq(prog->name, "w");
}

static void teardown(void)
{
	owgrt_program_free(prog);
	prog = NULL;
}

static uint32_t id_of(const char *name)
{
	for (uint32_t i = 0; i < prog->nnodes; i++)
		if (strcmp(prog->nodes[i].name, name) == 0)
			return i;
	ck_abort_msg("no node %s", name);
	return 0;
}

static owgrt_phases *parse_ok(const char *text)
{
	owgrt_phases *ph = NULL;
	char err[512];
	int rc = owgrt_phases_parse(prog, text, strlen(text), "p.phases", &ph, err, sizeof err);
	ck_assert_msg(rc == OWGRT_OK, "refused: %s\n--- text:\n%s", err, text);
	ck_assert_ptr_nonnull(ph);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(ph->nnodes, prog->nnodes);
	return ph;
}

/* Parses text of len bytes, expecting a refusal with exactly msg. */
static void refused_len(const char *text, size_t len, const char *msg)
{
	owgrt_phases *ph = (owgrt_phases *)1;
	char err[512];
	int rc = owgrt_phases_parse(prog, text, len, "p.phases", &ph, err, sizeof err);
	ck_assert_msg(rc == OWGRT_EFORMAT, "rc %d for:\n%s", rc, text);
	ck_assert_ptr_null(ph);
	ck_assert_str_eq(err, msg);
}

static void refused(const char *text, const char *msg)
{
	refused_len(text, strlen(text), msg);
}

#define NEAR(x, want) ck_assert_msg(fabs((x) - (want)) <= 1e-12, "%s = %.17g, want %.17g", #x, (double)(x), (double)(want))

/* A file with three phases, comments, blank lines, tabs and CRLF line
 * ends, and every kind of setting. */
START_TEST(test_valid)
{
	owgrt_phases *ph = parse_ok("# a quiet night, then a rush\n"
				    "\n"
				    "phase quiet share 0.25   # the first quarter\n"
				    "  prob br 0.9 0.1\n"
				    "  prob sw 0.2 0.3        # no default: 0.5 of the time neither case\n"
				    "  prob ex 1 0\n"
				    "  prob wl 0\n"
				    "  count fk 0.25\n"
				    "  count lp 0\n"
				    "  time src 0.8\n"
				    "  time inst.step 0.5\n"
				    "phase rush\tshare\t0.5\r\n"
				    "\tprob swd 0.25 0.75\r\n"
				    "\tprob wl 0.75\r\n"
				    "\tcount fk 3\r\n"
				    "\ttime src 2.5e0\r\n"
				    "phase after_rush-2.x share .25\n"
				    "# nothing overridden\n");
	ck_assert_uint_eq(ph->n, 3);
	ck_assert_str_eq(ph->v[0].name, "quiet");
	ck_assert_str_eq(ph->v[1].name, "rush");
	ck_assert_str_eq(ph->v[2].name, "after_rush-2.x");
	NEAR(ph->v[0].share, 0.25);
	NEAR(ph->v[1].share, 0.5);
	NEAR(ph->v[2].share, 0.25);

	const owgrt_phase *q = &ph->v[0], *r = &ph->v[1], *a = &ph->v[2];
	uint32_t br = id_of("br"), sw = id_of("sw"), swd = id_of("swd"), ex = id_of("ex"), wl = id_of("wl"),
		 fk = id_of("fk"), lp = id_of("lp"), src = id_of("src"), step = id_of("inst.step"), tail = id_of("tail");
	ck_assert_ptr_nonnull(q->arm[br]);
	NEAR(q->arm[br][0], 0.9);
	NEAR(q->arm[br][1], 0.1);
	NEAR(q->arm[sw][0], 0.2);
	NEAR(q->arm[sw][1], 0.3);
	NEAR(q->arm[ex][0], 1);
	NEAR(q->arm[ex][1], 0);
	ck_assert_ptr_null(q->arm[swd]);
	NEAR(q->repeat[wl], 0);
	NEAR(q->count[fk], 0.25);
	NEAR(q->count[lp], 0);
	NEAR(q->time[src], 0.8);
	NEAR(q->time[step], 0.5);
	NEAR(q->time[tail], 1);

	ck_assert_ptr_null(r->arm[br]);
	NEAR(r->arm[swd][0], 0.25);
	NEAR(r->arm[swd][1], 0.75);
	NEAR(r->repeat[wl], 0.75);
	NEAR(r->count[fk], 3);
	NEAR(r->count[lp], 1);
	NEAR(r->time[src], 2.5);
	NEAR(r->time[step], 1);

	/* what a phase does not set stays as compiled: factors 1, no arms,
	 * no repeat probability */
	for (uint32_t i = 0; i < prog->nnodes; i++) {
		NEAR(a->time[i], 1);
		NEAR(a->count[i], 1);
		ck_assert_ptr_null(a->arm[i]);
		ck_assert(isnan(a->repeat[i]));
	}
	owgrt_phases_free(ph);
}
END_TEST

/* One phase; a file without a final newline; a switch without a default
 * whose probabilities sum to less than 1; sums within 1e-9. */
START_TEST(test_valid_edges)
{
	owgrt_phases *ph = parse_ok("phase all share 1");
	ck_assert_uint_eq(ph->n, 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 1), 0);
	ck_assert_uint_eq(owgrt_phase_of(ph, 999, 1000), 0);
	owgrt_phases_free(ph);

	ph = parse_ok("phase a share 0.3333333333\nphase b share 0.3333333333\nphase c share 0.3333333333\n"
		      "prob br 0.3 0.7000000009\nprob sw 0 0\ncount fk 0\ntime src 1e-300\n");
	ck_assert_uint_eq(ph->n, 3);
	NEAR(ph->v[2].arm[id_of("sw")][0], 0);
	NEAR(ph->v[2].arm[id_of("sw")][1], 0);
	ck_assert(ph->v[2].time[id_of("src")] > 0);
	owgrt_phases_free(ph);

	/* the same setting in different phases is no duplicate */
	ph = parse_ok("phase a share 0.5\ntime src 2\nphase b share 0.5\ntime src 3\n");
	NEAR(ph->v[0].time[id_of("src")], 2);
	NEAR(ph->v[1].time[id_of("src")], 3);
	owgrt_phases_free(ph);

	/* UTF-8 in comments is fine */
	ph = parse_ok("# café, 東京, 🚗\nphase a share 1 # naïve\n");
	owgrt_phases_free(ph);
}
END_TEST

typedef struct bad {
	const char *text, *msg;
} bad;

static const bad BAD[] = {
	/* lines */
	{"phase a share 1\nfoo x\n", "p.phases:2:1: expected 'phase', 'prob', 'count' or 'time', found 'foo'"},
	{"Phase a share 1\n", "p.phases:1:1: expected 'phase', 'prob', 'count' or 'time', found 'Phase'"},
	{"time src 2\nphase a share 1\n", "p.phases:1:1: 'time' before the first 'phase' line"},
	{"  prob br 0.5 0.5\n", "p.phases:1:3: 'prob' before the first 'phase' line"},
	{"phase a share 1\x01\n", "p.phases:1:16: control character 0x01"},
	{"phase a share 1\n# caf\xc3\n", "p.phases:2:6: invalid UTF-8 byte 0xc3"},
	{"phase a share 1\n# \xc0\xaf overlong\n", "p.phases:2:3: invalid UTF-8 byte 0xc0"},
	{"phase a share 1\n# \xed\xa0\x80 surrogate\n", "p.phases:2:3: invalid UTF-8 byte 0xed"},
	{"phase a share 1\n# \xf4\x90\x80\x80 too big\n", "p.phases:2:3: invalid UTF-8 byte 0xf4"},
	{"phase a share 1\ntime \xff 2\n", "p.phases:2:6: invalid UTF-8 byte 0xff"},
	/* phases */
	{"", "p.phases:1:1: no phases: a phase file needs at least one 'phase' line"},
	{"# nothing\n\n", "p.phases:3:1: no phases: a phase file needs at least one 'phase' line"},
	{"# nothing", "p.phases:1:10: no phases: a phase file needs at least one 'phase' line"},
	{"phase\n", "p.phases:1:6: expected a phase name after 'phase'"},
	{"phase 1a share 1\n",
	 "p.phases:1:7: phase name '1a' must be a letter or '_' followed by letters, digits, '_', '-' or '.'"},
	{"phase a/b share 1\n",
	 "p.phases:1:7: phase name 'a/b' must be a letter or '_' followed by letters, digits, '_', '-' or '.'"},
	{"phase a\n", "p.phases:1:8: expected 'share' after the phase name"},
	{"phase a portion 1\n", "p.phases:1:9: expected 'share' after the phase name, found 'portion'"},
	{"phase a share\n", "p.phases:1:14: expected a number after 'share'"},
	{"phase a share half\n", "p.phases:1:15: expected a number after 'share', found 'half'"},
	{"phase a share 1 more\n", "p.phases:1:17: expected the end of the line after the share, found 'more'"},
	{"phase a share 0\n", "p.phases:1:15: share 0 of phase 'a' must be in (0, 1]"},
	{"phase a share -0.5\n", "p.phases:1:15: share -0.5 of phase 'a' must be in (0, 1]"},
	{"phase a share 1.5\n", "p.phases:1:15: share 1.5 of phase 'a' must be in (0, 1]"},
	{"phase a share 1e999\n", "p.phases:1:15: share 1e999 of phase 'a' must be in (0, 1]"},
	{"phase a share 0.5\nphase b share 0.4\n", "p.phases:2:15: the shares of the 2 phases add up to 0.9, not 1"},
	{"phase a share 0.5\n", "p.phases:1:15: the shares of the 1 phase add up to 0.5, not 1"},
	{"phase a share 0.5\nphase b share 0.500000002\n",
	 "p.phases:2:15: the shares of the 2 phases add up to 1.000000002, not 1"},
	{"phase a share 0.5\nphase b share 0.5\nphase c share 0.5\n",
	 "p.phases:3:15: the shares of the 3 phases add up to 1.5, not 1"},
	{"phase a share 0.5\n\nphase a share 0.5\n", "p.phases:3:7: duplicate phase 'a' (first at line 1)"},
	/* names */
	{"phase a share 1\ntime srx 2\n", "p.phases:2:6: no node named 'srx' in workflow 'w'; did you mean 'src'?"},
	{"phase a share 1\ntime scr 2\n", "p.phases:2:6: no node named 'scr' in workflow 'w'; did you mean 'src'?"},
	{"phase a share 1\ntime SRC 2\n", "p.phases:2:6: no node named 'SRC' in workflow 'w'; did you mean 'src'?"},
	{"phase a share 1\ntime inst.stp 2\n",
	 "p.phases:2:6: no node named 'inst.stp' in workflow 'w'; did you mean 'inst.step'?"},
	/* an instance's tasks need its prefix */
	{"phase a share 1\ntime check 2\n", "p.phases:2:6: no node named 'check' in workflow 'w'"},
	{"phase a share 1\ntime nothing_like_it 2\n", "p.phases:2:6: no node named 'nothing_like_it' in workflow 'w'"},
	/* at the same distance, a node the setting applies to */
	{"phase a share 1\nprob fx 0.5 0.5\n", "p.phases:2:6: no node named 'fx' in workflow 'w'; did you mean 'ex'?"},
	{"phase a share 1\ncount fx 2\n", "p.phases:2:7: no node named 'fx' in workflow 'w'; did you mean 'fk'?"},
	{"phase a share 1\ntime\n", "p.phases:2:5: expected a node name after 'time'"},
	{"phase a share 1\nprob # no name\n", "p.phases:2:5: expected a node name after 'prob'"},
	/* kinds */
	{"phase a share 1\nprob src 0.5 0.5\n",
	 "p.phases:2:6: 'prob' applies to branches, switches, exits and while loops; 'src' is a task"},
	{"phase a share 1\nprob lp 0.5\n",
	 "p.phases:2:6: 'prob' applies to branches, switches, exits and while loops; 'lp' is a count loop"},
	{"phase a share 1\nprob fk 0.5\n",
	 "p.phases:2:6: 'prob' applies to branches, switches, exits and while loops; 'fk' is a fork"},
	{"phase a share 1\nprob entry 1\n",
	 "p.phases:2:6: 'prob' applies to branches, switches, exits and while loops; 'entry' is the entry"},
	{"phase a share 1\ncount wl 2\n", "p.phases:2:7: 'count' applies to forks and count loops; 'wl' is a while loop"},
	{"phase a share 1\ncount src 2\n", "p.phases:2:7: 'count' applies to forks and count loops; 'src' is a task"},
	{"phase a share 1\ncount br 2\n", "p.phases:2:7: 'count' applies to forks and count loops; 'br' is a branch"},
	{"phase a share 1\ntime br 2\n", "p.phases:2:6: 'time' applies to tasks; 'br' is a branch"},
	{"phase a share 1\ntime sw 2\n", "p.phases:2:6: 'time' applies to tasks; 'sw' is a switch"},
	{"phase a share 1\ntime ex 2\n", "p.phases:2:6: 'time' applies to tasks; 'ex' is an exit"},
	{"phase a share 1\ntime fk 2\n", "p.phases:2:6: 'time' applies to tasks; 'fk' is a fork"},
	/* probabilities */
	{"phase a share 1\nprob br\n", "p.phases:2:8: expected probabilities after 'br'"},
	{"phase a share 1\nprob br 0.5\n", "p.phases:2:12: branch 'br' has 2 arms: expected 2 probabilities, found 1"},
	{"phase a share 1\nprob br 0.2 0.3 0.5\n",
	 "p.phases:2:17: branch 'br' has 2 arms: expected 2 probabilities, found 3"},
	{"phase a share 1\nprob ex 1\n", "p.phases:2:10: exit 'ex' has 2 arms: expected 2 probabilities, found 1"},
	{"phase a share 1\nprob br 1.5 -0.5\n", "p.phases:2:9: probability 1.5 of branch 'br' must be in [0, 1]"},
	{"phase a share 1\nprob br 1.5e0 -5e-1\n", "p.phases:2:9: probability 1.5e0 of branch 'br' must be in [0, 1]"},
	{"phase a share 1\nprob br 0.5 x\n", "p.phases:2:13: expected a probability, found 'x'"},
	{"phase a share 1\nprob br 0.5 0.6\n", "p.phases:2:9: the probabilities of branch 'br' add up to 1.1, not 1"},
	{"phase a share 1\nprob br 0.5 0.4\n", "p.phases:2:9: the probabilities of branch 'br' add up to 0.9, not 1"},
	{"phase a share 1\nprob br 0.5 0.500000002\n",
	 "p.phases:2:9: the probabilities of branch 'br' add up to 1.000000002, not 1"},
	{"phase a share 1\nprob ex 0.5 0.6\n", "p.phases:2:9: the probabilities of exit 'ex' add up to 1.1, not 1"},
	{"phase a share 1\nprob sw 0.6 0.5\n", "p.phases:2:9: the probabilities of switch 'sw' add up to 1.1, more than 1"},
	{"phase a share 1\nprob swd 0.2 0.3\n", "p.phases:2:10: the probabilities of switch 'swd' add up to 0.5, not 1"},
	{"phase a share 1\nprob wl 1\n", "p.phases:2:9: repeat probability 1 of while loop 'wl' must be in [0, 1)"},
	{"phase a share 1\nprob wl -0.1\n", "p.phases:2:9: repeat probability -0.1 of while loop 'wl' must be in [0, 1)"},
	{"phase a share 1\nprob wl 0.5 0.5\n", "p.phases:2:13: while loop 'wl' takes one repeat probability, found 2"},
	/* factors */
	{"phase a share 1\ncount fk\n", "p.phases:2:9: expected a count factor after 'fk'"},
	{"phase a share 1\ncount fk -1\n", "p.phases:2:10: count factor -1 of 'fk' must be finite and >= 0"},
	{"phase a share 1\ncount lp 1e400\n", "p.phases:2:10: count factor 1e400 of 'lp' must be finite and >= 0"},
	{"phase a share 1\ncount fk 2 3\n", "p.phases:2:12: expected the end of the line after the count factor, found '3'"},
	{"phase a share 1\ntime src\n", "p.phases:2:9: expected a time factor after 'src'"},
	{"phase a share 1\ntime src#2\n", "p.phases:2:9: expected a time factor after 'src'"},
	{"phase a share 1\ntime src 0\n", "p.phases:2:10: time factor 0 of 'src' must be finite and > 0"},
	{"phase a share 1\ntime src -2\n", "p.phases:2:10: time factor -2 of 'src' must be finite and > 0"},
	{"phase a share 1\ntime src 1e400\n", "p.phases:2:10: time factor 1e400 of 'src' must be finite and > 0"},
	{"phase a share 1\ntime src 2 x\n", "p.phases:2:12: expected the end of the line after the time factor, found 'x'"},
	{"phase a share 1\ntime src nan\n", "p.phases:2:10: expected a time factor, found 'nan'"},
	{"phase a share 1\ntime src inf\n", "p.phases:2:10: expected a time factor, found 'inf'"},
	{"phase a share 1\ntime src 0x10\n", "p.phases:2:10: expected a time factor, found '0x10'"},
	{"phase a share 1\ntime src 1.5.2\n", "p.phases:2:10: expected a time factor, found '1.5.2'"},
	{"phase a share 1\ntime src 1e\n", "p.phases:2:10: expected a time factor, found '1e'"},
	{"phase a share 1\ntime src .\n", "p.phases:2:10: expected a time factor, found '.'"},
	{"phase a share 1\ntime src 2ms\n", "p.phases:2:10: expected a time factor, found '2ms'"},
	{"phase a share 1\ntime src 1,5\n", "p.phases:2:10: expected a time factor, found '1,5'"},
	/* duplicates */
	{"phase a share 1\ntime src 2\n\ntime src 3\n", "p.phases:4:1: 'time src' given twice in phase 'a' (first at line 2)"},
	{"phase a share 1\nprob br 0.5 0.5\nprob br 0.5 0.5\n",
	 "p.phases:3:1: 'prob br' given twice in phase 'a' (first at line 2)"},
	{"phase a share 1\ncount fk 2\ncount fk 2\n", "p.phases:3:1: 'count fk' given twice in phase 'a' (first at line 2)"},
};

START_TEST(test_refused)
{
	refused(BAD[_i].text, BAD[_i].msg);
}
END_TEST

/* Lines longer than 4096 bytes, NUL bytes, quoting of long names. */
START_TEST(test_refused_bytes)
{
	char *s = malloc(8192);
	ck_assert_ptr_nonnull(s);
	/* 4096 bytes are fine, 4097 are not */
	strcpy(s, "phase a share 1\n#");
	size_t n = strlen(s);
	memset(s + n, 'x', 4095);
	strcpy(s + n + 4095, "\n");
	owgrt_phases_free(parse_ok(s));
	memset(s + n, 'x', 4096);
	strcpy(s + n + 4096, "\n");
	refused(s, "p.phases:2:4097: line longer than 4096 bytes");

	/* a long unknown name is quoted in part */
	strcpy(s, "phase a share 1\ntime ");
	n = strlen(s);
	memset(s + n, 'y', 100);
	strcpy(s + n + 100, " 2\n");
	refused(s, "p.phases:2:6: no node named 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...' in "
		   "workflow 'w'");
	free(s);

	static const char nul[] = "phase a share 1\ntime src\0 2\n";
	refused_len(nul, sizeof nul - 1, "p.phases:2:9: NUL byte (is this a binary file?)");
	static const char nul2[] = "phase a share 1\n# \0\n";
	refused_len(nul2, sizeof nul2 - 1, "p.phases:2:3: NUL byte (is this a binary file?)");
}
END_TEST

/* At most 1024 phases (for a program this small). */
START_TEST(test_too_many_phases)
{
	size_t cap = 1100 * 40, len = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < 1024; i++)
		len += (size_t)snprintf(s + len, cap - len, "phase p%d share 0.0009765625\n", i);
	owgrt_phases *ph = parse_ok(s);
	ck_assert_uint_eq(ph->n, 1024);
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 1024), 0);
	ck_assert_uint_eq(owgrt_phase_of(ph, 1023, 1024), 1023);
	ck_assert_uint_eq(owgrt_phase_of(ph, 511, 1024), 511);
	owgrt_phases_free(ph);
	snprintf(s + len, cap - len, "phase p1024 share 0.0009765625\n");
	char msg[128];
	snprintf(msg, sizeof msg, "p.phases:1025:1: too many phases: at most 1024 for a program of %u nodes",
		 prog->nnodes);
	refused(s, msg);
	free(s);
}
END_TEST

/* Request r runs in the phase whose cumulative share range [lo, hi)
 * holds (r + 0.5) / requests. */
START_TEST(test_phase_of)
{
	owgrt_phases *ph = parse_ok("phase a share 0.25\nphase b share 0.5\nphase c share 0.25\n");
	/* 4 requests: 0.125, 0.375, 0.625, 0.875 */
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 4), 0);
	ck_assert_uint_eq(owgrt_phase_of(ph, 1, 4), 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 2, 4), 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 3, 4), 2);
	/* 8 requests: (r + 0.5) / 8 is never a boundary; 2, 4 and 2 requests */
	unsigned per[3] = {0};
	for (uint64_t r = 0; r < 8; r++)
		per[owgrt_phase_of(ph, r, 8)]++;
	ck_assert_uint_eq(per[0], 2);
	ck_assert_uint_eq(per[1], 4);
	ck_assert_uint_eq(per[2], 2);
	/* 2 requests: 0.25 is the boundary of a and b, and belongs to b;
	 * 0.75, that of b and c, to c */
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 2), 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 1, 2), 2);
	/* one request: 0.5, in b */
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 1), 1);
	/* the phases follow each other: the phase never goes back */
	uint32_t last = 0;
	for (uint64_t r = 0; r < 1001; r++) {
		uint32_t k = owgrt_phase_of(ph, r, 1001);
		ck_assert_uint_ge(k, last);
		last = k;
	}
	ck_assert_uint_eq(last, 2);
	/* out of range: the last phase */
	ck_assert_uint_eq(owgrt_phase_of(ph, 4, 4), 2);
	ck_assert_uint_eq(owgrt_phase_of(ph, 0, 0), 2);
	ck_assert_uint_eq(owgrt_phase_of(ph, UINT64_MAX, UINT64_MAX), 2);
	ck_assert_uint_eq(owgrt_phase_of(NULL, 3, 4), 0);
	owgrt_phases_free(ph);

	/* shares of 0.1, 0.2, 0.7 over 1000 requests: 100, 200 and 700 */
	ph = parse_ok("phase a share 0.1\nphase b share 0.2\nphase c share 0.7\n");
	unsigned cnt[3] = {0};
	for (uint64_t r = 0; r < 1000; r++)
		cnt[owgrt_phase_of(ph, r, 1000)]++;
	ck_assert_uint_eq(cnt[0], 100);
	ck_assert_uint_eq(cnt[1], 200);
	ck_assert_uint_eq(cnt[2], 700);
	ck_assert_uint_eq(owgrt_phase_of(ph, 99, 1000), 0);
	ck_assert_uint_eq(owgrt_phase_of(ph, 100, 1000), 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 299, 1000), 1);
	ck_assert_uint_eq(owgrt_phase_of(ph, 300, 1000), 2);
	owgrt_phases_free(ph);
}
END_TEST

/* Files, arguments. */
START_TEST(test_load_file)
{
	char path[] = "/tmp/owg-phase-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char text[] = "phase a share 0.5\ntime src 2\nphase b share 0.5\ntime src 3\n";
	ck_assert_int_eq(write(fd, text, sizeof text - 1), (int)(sizeof text - 1));
	close(fd);
	owgrt_phases *ph = NULL;
	char err[512];
	ck_assert_int_eq(owgrt_phases_load_file(prog, path, &ph, err, sizeof err), OWGRT_OK);
	ck_assert_uint_eq(ph->n, 2);
	NEAR(ph->v[1].time[id_of("src")], 3);
	owgrt_phases_free(ph);

	/* messages start with the path */
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("phase a share 1\ntime sirc 2\n", f);
	fclose(f);
	ph = (owgrt_phases *)1;
	ck_assert_int_eq(owgrt_phases_load_file(prog, path, &ph, err, sizeof err), OWGRT_EFORMAT);
	ck_assert_ptr_null(ph);
	char want[600];
	snprintf(want, sizeof want, "%s:2:6: no node named 'sirc' in workflow 'w'; did you mean 'src'?", path);
	ck_assert_str_eq(err, want);
	unlink(path);

	ph = (owgrt_phases *)1;
	ck_assert_int_eq(owgrt_phases_load_file(prog, path, &ph, err, sizeof err), OWGRT_EIO);
	ck_assert_ptr_null(ph);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	ck_assert_str_eq(err, want);

	/* bad arguments; a small or absent message buffer */
	ck_assert_int_eq(owgrt_phases_parse(NULL, "", 0, "x", &ph, err, sizeof err), OWGRT_EINVAL);
	ck_assert_str_eq(err, "owgrt_phases_parse: no program");
	ck_assert_int_eq(owgrt_phases_parse(prog, "", 0, "x", NULL, err, sizeof err), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_phases_load_file(prog, NULL, &ph, err, sizeof err), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_phases_parse(prog, "x", 1, "x", &ph, NULL, 0), OWGRT_EFORMAT);
	char small[8];
	ck_assert_int_eq(owgrt_phases_parse(prog, "x", 1, "p.phases", &ph, small, sizeof small), OWGRT_EFORMAT);
	ck_assert_str_eq(small, "p.phase");
	/* no path: messages call the text <phases> */
	ck_assert_int_eq(owgrt_phases_parse(prog, "x", 1, NULL, &ph, err, sizeof err), OWGRT_EFORMAT);
	ck_assert_str_eq(err, "<phases>:1:1: expected 'phase', 'prob', 'count' or 'time', found 'x'");
	owgrt_phases_free(NULL);
}
END_TEST

/* Every example workflow with its phase file (examples/phases). */
START_TEST(test_examples)
{
	static const char *const names[] = {"driving_perception", "face_recognition", "moe_routing",
					    "rag_llm", "recommendation", "voice_assistant"};
	const char *name = names[_i];
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, name);
	compiled c = compile_file(path);
	ck_assert_msg(c.g != NULL, "%s:\n%s", path, c.diags);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert(owg_owgp_write(c.g, m));
	fclose(m);
	owgrt_program *p = NULL;
	char err[512];
	ck_assert_msg(owgrt_load(buf, len, &p, err, sizeof err) == OWGRT_OK, "%s", err);
	free(buf);
	compiled_free(&c);
	snprintf(path, sizeof path, "%s/examples/phases/%s.phases", TOP_SRCDIR, name);
	owgrt_phases *ph = NULL;
	ck_assert_msg(owgrt_phases_load_file(p, path, &ph, err, sizeof err) == OWGRT_OK, "%s", err);
	ck_assert_uint_ge(ph->n, 2);
	ck_assert_uint_le(ph->n, 4);
	/* something shifts in every phase */
	for (uint32_t k = 0; k < ph->n; k++) {
		bool any = false;
		for (uint32_t i = 0; i < p->nnodes; i++)
			any |= ph->v[k].arm[i] || !isnan(ph->v[k].repeat[i]) || ph->v[k].time[i] != 1 ||
			       ph->v[k].count[i] != 1;
		ck_assert_msg(any, "%s: phase %s overrides nothing", name, ph->v[k].name);
	}
	/* Weighted by the shares, every figure is what the workflow declares
	 * (probabilities within 0.005, factors within 2%), while some figure
	 * differs between two phases by a factor of 2 at least: the plan is
	 * right on average and wrong in every phase. */
	double swing = 1;
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *n = &p->nodes[i];
		double t = 0, cn = 0, lo_t = INFINITY, hi_t = 0, lo_c = INFINITY, hi_c = 0;
		for (uint32_t k = 0; k < ph->n; k++) {
			const owgrt_phase *v = &ph->v[k];
			t += v->share * v->time[i];
			cn += v->share * v->count[i];
			lo_t = fmin(lo_t, v->time[i]), hi_t = fmax(hi_t, v->time[i]);
			lo_c = fmin(lo_c, v->count[i]), hi_c = fmax(hi_c, v->count[i]);
		}
		ck_assert_msg(fabs(t - 1) <= 0.02, "%s: %s: mean time factor %g", name, n->name, t);
		ck_assert_msg(fabs(cn - 1) <= 0.02, "%s: %s: mean count factor %g", name, n->name, cn);
		swing = fmax(swing, fmax(hi_t / lo_t, lo_c > 0 ? hi_c / lo_c : INFINITY));
		for (uint32_t a = 0; a < n->narms && n->kind == OWGRT_NODE_CONTROL; a++) {
			double declared = n->arms[a].prob, mean = 0, lo = INFINITY, hi = 0;
			if (isnan(declared))
				continue;
			bool is_repeat = n->cb_kind == OWGRT_CB_LOOP;
			for (uint32_t k = 0; k < ph->n; k++) {
				const owgrt_phase *v = &ph->v[k];
				double q = is_repeat ? (isnan(v->repeat[i]) ? declared : v->repeat[i])
						     : (v->arm[i] ? v->arm[i][a] : declared);
				mean += v->share * q;
				lo = fmin(lo, q), hi = fmax(hi, q);
			}
			ck_assert_msg(fabs(mean - declared) <= 0.005, "%s: %s arm %u: mean %g, declared %g", name,
				      n->name, a, mean, declared);
			if (lo > 0)
				swing = fmax(swing, hi / lo);
		}
	}
	ck_assert_msg(swing >= 2, "%s: nothing shifts by a factor of 2", name);
	owgrt_phases_free(ph);
	owgrt_program_free(p);
}
END_TEST

/* The example of owg(5), PHASE FILES, is read for driving_perception. */
START_TEST(test_man_example)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/driving_perception.owg", TOP_SRCDIR);
	compiled c = compile_file(path);
	ck_assert_msg(c.g != NULL, "%s:\n%s", path, c.diags);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert(owg_owgp_write(c.g, m));
	fclose(m);
	owgrt_program *p = NULL;
	char err[512];
	ck_assert_msg(owgrt_load(buf, len, &p, err, sizeof err) == OWGRT_OK, "%s", err);
	free(buf);
	compiled_free(&c);

	snprintf(path, sizeof path, "%s/man/owg.5", TOP_SRCDIR);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char line[512], text[4096] = "";
	bool in = false;
	while (fgets(line, sizeof line, f)) {
		if (!in && strncmp(line, "# night driving", 15) == 0)
			in = true;
		if (!in)
			continue;
		if (strncmp(line, ".fi", 3) == 0)
			break;
		/* roff: \- is '-', \e a backslash */
		char *o = text + strlen(text);
		for (const char *q = line; *q; q++) {
			if (q[0] == '\\' && (q[1] == '-' || q[1] == 'e')) {
				*o++ = q[1] == '-' ? '-' : '\\';
				q++;
			} else {
				*o++ = *q;
			}
		}
		*o = '\0';
		ck_assert_uint_lt(strlen(text), sizeof text - sizeof line);
	}
	fclose(f);
	ck_assert_msg(in, "no phase example in %s", path);
	owgrt_phases *ph = NULL;
	ck_assert_msg(owgrt_phases_parse(p, text, strlen(text), "owg.5", &ph, err, sizeof err) == OWGRT_OK, "%s\n%s",
		      err, text);
	ck_assert_uint_eq(ph->n, 2);
	ck_assert_str_eq(ph->v[1].name, "rush");
	owgrt_phases_free(ph);
	owgrt_program_free(p);
}
END_TEST

Suite *suite_phase(void)
{
	Suite *s = suite_create("phase");
	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_valid_edges);
	tcase_add_loop_test(tc, test_refused, 0, (int)(sizeof BAD / sizeof BAD[0]));
	tcase_add_test(tc, test_refused_bytes);
	tcase_add_test(tc, test_too_many_phases);
	tcase_add_test(tc, test_phase_of);
	tcase_add_test(tc, test_load_file);
	suite_add_tcase(s, tc);
	TCase *ex = tcase_create("examples");
	tcase_add_loop_test(ex, test_examples, 0, 6);
	tcase_add_test(ex, test_man_example);
	suite_add_tcase(s, ex);
	return s;
}
