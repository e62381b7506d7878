#include "config.h"

/* fuzz_phase.c - libFuzzer target for phase files (libowgrt's
 * owgrt_phases_parse, runtime/owgrt_phase.c).
 *
 * The input is a phase file for a fixed program holding every kind of
 * node a phase file can name (tasks, a dotted instance task, a branch, a
 * switch with and one without a default, an exit, a count loop, a while
 * loop, a fork, the entry).  The parse must not crash, hang or leak.  A
 * refusal must come with "PATH:LINE:COL: message" and no phases.  Phases
 * that parse must keep every rule of the format (shares in (0, 1] that
 * sum to 1, unique names, factors and probabilities in range and only on
 * the nodes they apply to), and owgrt_phase_of must give every request a
 * phase, never going back.  A broken property calls abort(), so libFuzzer
 * reports it with the input.
 *
 * Build (see Makefile.am: ./configure CC=clang-14 --enable-fuzz), then
 *   ./tests/fuzz/fuzz_phase -dict=tests/fuzz/phase.dict corpus tests/fuzz/corpus_phase */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/owgrt_phase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_phase: %s\n", what);
	abort();
}

#define NAN_ARM {OWGRT_ARM_SEQ, 0, NAN}
static const owgrt_arm SEQ[] = {NAN_ARM};
static const owgrt_arm BRANCH[] = {{OWGRT_ARM_THEN, 0, 0.3}, {OWGRT_ARM_ELSE, 0, 0.7}};
static const owgrt_arm SWITCH[] = {{OWGRT_ARM_CASE, 0, 0.5}, {OWGRT_ARM_CASE, 1, 0.25}, {OWGRT_ARM_CASE, 2, 0.25}};
static const owgrt_arm SWITCH_D[] = {{OWGRT_ARM_CASE, 0, 0.7}, {OWGRT_ARM_DEFAULT, 0, 0.3}};
static const owgrt_arm LOOP[] = {{OWGRT_ARM_BODY, 0, NAN}, {OWGRT_ARM_REPEAT, 0, NAN}};
static const owgrt_arm WHILE[] = {{OWGRT_ARM_BODY, 0, NAN}, {OWGRT_ARM_REPEAT, 0, 0.2}};
static const owgrt_arm FORK[] = {{OWGRT_ARM_ITEM, 0, NAN}};
static const owgrt_arm EXIT[] = {{OWGRT_ARM_TAKEN, 0, 0.1}, {OWGRT_ARM_CONT, 0, 0.9}};

#define TASK(n, r) {.kind = OWGRT_NODE_TASK, .name = n, .region = r, .peas = 1, .time = {OWGRT_DIST_CONST, 1e-3, 0, 0, NULL}}
#define CB(n, r, k, a) {.kind = OWGRT_NODE_CONTROL, .name = n, .region = r, .cb_kind = k, .arms = a, .narms = sizeof a / sizeof a[0], .pred = OWGRT_NONE, .count_node = OWGRT_NONE}

static const owgrt_node NODES[] = {
	CB("entry", OWGRT_NONE, OWGRT_CB_ENTRY, SEQ),
	TASK("src", 0),
	TASK("sink", 0),
	CB("br", 0, OWGRT_CB_BRANCH, BRANCH),
	TASK("b1", 3),
	CB("sw", 0, OWGRT_CB_SWITCH, SWITCH),
	TASK("s1", 5),
	CB("swd", 0, OWGRT_CB_SWITCH, SWITCH_D),
	TASK("d1", 7),
	{.kind = OWGRT_NODE_CONTROL, .name = "lp", .region = 0, .cb_kind = OWGRT_CB_LOOP, .arms = LOOP, .narms = 2,
	 .pred = OWGRT_NONE, .loop_kind = OWGRT_LOOP_COUNT, .has_count = true,
	 .count = {OWGRT_DIST_CONST, 3, 0, 0, NULL}, .count_node = OWGRT_NONE},
	TASK("body", 9),
	{.kind = OWGRT_NODE_CONTROL, .name = "wl", .region = 0, .cb_kind = OWGRT_CB_LOOP, .arms = WHILE, .narms = 2,
	 .pred = OWGRT_NONE, .loop_kind = OWGRT_LOOP_WHILE, .max_trips = 5, .count_node = OWGRT_NONE},
	TASK("retry", 11),
	{.kind = OWGRT_NODE_CONTROL, .name = "fk", .region = 0, .cb_kind = OWGRT_CB_FORK, .arms = FORK, .narms = 1,
	 .pred = OWGRT_NONE, .has_count = true, .count = {OWGRT_DIST_POISSON, 4, 0, 0, NULL},
	 .count_node = OWGRT_NONE},
	TASK("item", 13),
	TASK("inst.step", 0),
	TASK("inst.check", 0),
	CB("ex", 0, OWGRT_CB_EXIT, EXIT),
	TASK("tail", 17),
};

static const owgrt_program PROG = {
	.version_major = 1,
	.name = "w",
	.nnodes = sizeof NODES / sizeof NODES[0],
	.nodes = NODES,
};

static bool is_task(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_TASK;
}

static bool takes_arms(const owgrt_node *n)
{
	return n->kind == OWGRT_NODE_CONTROL &&
	       (n->cb_kind == OWGRT_CB_BRANCH || n->cb_kind == OWGRT_CB_SWITCH || n->cb_kind == OWGRT_CB_EXIT);
}

static void check_phases(const owgrt_phases *ph, size_t size)
{
	if (ph->n == 0 || ph->n > 1024 || !ph->v)
		fail("a parse without phases, or too many");
	if (ph->nnodes != PROG.nnodes)
		fail("the phases are for another number of nodes");
	double sum = 0;
	for (uint32_t k = 0; k < ph->n; k++) {
		const owgrt_phase *v = &ph->v[k];
		if (!v->name || !v->name[0])
			fail("a phase without a name");
		for (uint32_t j = 0; j < k; j++)
			if (strcmp(ph->v[j].name, v->name) == 0)
				fail("two phases of one name");
		if (!(v->share > 0 && v->share <= 1))
			fail("a share out of (0, 1]");
		sum += v->share;
		for (uint32_t i = 0; i < PROG.nnodes; i++) {
			const owgrt_node *n = &NODES[i];
			bool count_ok = n->kind == OWGRT_NODE_CONTROL && n->has_count;
			bool while_loop = n->kind == OWGRT_NODE_CONTROL && n->cb_kind == OWGRT_CB_LOOP &&
					  n->loop_kind == OWGRT_LOOP_WHILE;
			if (!(isfinite(v->time[i]) && v->time[i] > 0) || (!is_task(n) && v->time[i] != 1))
				fail("a bad time factor");
			if (!(isfinite(v->count[i]) && v->count[i] >= 0) || (!count_ok && v->count[i] != 1))
				fail("a bad count factor");
			if (!isnan(v->repeat[i]) && (!while_loop || !(v->repeat[i] >= 0 && v->repeat[i] < 1)))
				fail("a bad repeat probability");
			if (v->arm[i]) {
				if (!takes_arms(n))
					fail("arm probabilities on a node without");
				double s = 0;
				for (uint32_t a = 0; a < n->narms; a++) {
					if (!(v->arm[i][a] >= 0 && v->arm[i][a] <= 1))
						fail("an arm probability out of [0, 1]");
					s += v->arm[i][a];
				}
				bool partial = n->cb_kind == OWGRT_CB_SWITCH &&
					       n->arms[n->narms - 1].kind != OWGRT_ARM_DEFAULT;
				if (partial ? s > 1 + 1e-9 : fabs(s - 1) > 1e-9)
					fail("arm probabilities that do not sum to 1");
			}
		}
	}
	if (fabs(sum - 1) > 1e-9)
		fail("shares that do not sum to 1");

	/* every request gets a phase, in order, each phase at most once */
	uint64_t requests = size % 2000 + 1;
	uint32_t last = 0;
	for (uint64_t r = 0; r < requests; r++) {
		uint32_t k = owgrt_phase_of(ph, r, requests);
		if (k >= ph->n || k < last)
			fail("owgrt_phase_of out of range or going back");
		last = k;
	}
	if (owgrt_phase_of(ph, UINT64_MAX - 1, UINT64_MAX) >= ph->n)
		fail("owgrt_phase_of out of range");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	owgrt_phases *ph = NULL;
	char err[512];
	int rc = owgrt_phases_parse(&PROG, (const char *)data, size, "f.phases", &ph, err, sizeof err);
	if (rc != OWGRT_OK) {
		if (ph)
			fail("a refusal returned phases");
		if (rc != OWGRT_EFORMAT)
			fail("a refusal other than EFORMAT");
		/* "f.phases:LINE:COL: message" */
		unsigned line, col;
		int used = 0;
		if (sscanf(err, "f.phases:%u:%u: %n", &line, &col, &used) != 2 || used == 0 || !err[used] ||
		    line == 0 || col == 0 || col > 4097)
			fail("a refusal without PATH:LINE:COL: message");
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (line > lines)
			fail("a refusal on a line after the end");
		return 0;
	}
	if (!ph)
		fail("success without phases");
	check_phases(ph, size);
	owgrt_phases_free(ph);
	return 0;
}
