/* test_sim.c - the fabric simulator (runtime/owgrt_sim.c) on hand-built
 * cases whose schedule is known, and its invariants on every example:
 * every request completes exactly once, LB <= makespan, the same seed
 * gives the same run. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "fabric.h"
#include "owgp_write.h"
#include "pass.h"
#include "../runtime/owgrt_phase.h"
#include "../runtime/owgrt_zindex.h"
#include "unit.h"
#include "../runtime/owgrt_sim.h"

static compiled c;
static owgrt_program *prog;

static void teardown(void)
{
	compiled_free(&c);
	owgrt_program_free(prog);
	prog = NULL;
}

/* Places the compiled graph on preset `fab` at `rate` (0: owgc's default)
 * and loads the binary, as owgrun would. */
static void place_and_load(const char *fab, double rate)
{
	ck_assert_msg(c.g != NULL, "front end failed:\n%s", c.diags);
	ck_assert(place_graph(c.g, fab, rate));
	owgrt_program_free(prog);
	char err[512];
	prog = load_placed(c.g, err, sizeof err);
	ck_assert_msg(prog != NULL, "%s", err);
}

/* Runs `o` and checks what must hold under every policy. */
static owgrt_sim_stats run_opts(const owgrt_sim_opts *o)
{
	owgrt_sim_stats st;
	char err[256];
	ck_assert_msg(owgrt_simulate(prog, o, &st, err, sizeof err) == OWGRT_OK, "%s", err);
	ck_assert_uint_eq(st.requests, o->requests);
	ck_assert_msg(st.lb <= st.makespan * (1 + 1e-12), "%s: LB %g > makespan %g", owgrt_policy_name(o->policy),
		      st.lb, st.makespan);
	ck_assert(st.idle_with_backlog >= 0 && st.idle_with_backlog <= 1 + 1e-12);
	return st;
}

static owgrt_sim_stats run_policy(uint64_t requests, double rate, uint64_t seed, owgrt_policy pol)
{
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = requests;
	o.rate = rate;
	o.seed = seed;
	o.policy = pol;
	return run_opts(&o);
}

static owgrt_sim_stats run(uint64_t requests, double rate, uint64_t seed)
{
	return run_policy(requests, rate, seed, OWGRT_POLICY_STATIC);
}

#define NEAR(x, want) ck_assert_msg(fabs((x) - (want)) <= 1e-12 * (1 + fabs(want)), "%s = %.17g, want %.17g", #x, (double)(x), (double)(want))

/* On a flat fabric (no transfer or control cost) a chain takes the sum of
 * its times, which is also its critical path. */
START_TEST(test_chain)
{
	c = compile_src("workflow w {\n"
			"  task a : general { time 1ms; }\n"
			"  task b : general { time 2ms; }\n"
			"  task d : general { time 3ms; }\n"
			"  a -> b -> d : 1KiB;\n"
			"}\n", NULL);
	place_and_load("flat-4", 1e-9);
	owgrt_sim_stats st = run(1, 0, 1);
	NEAR(st.makespan, 6e-3);
	NEAR(st.lb, 6e-3);
	ck_assert_uint_eq(st.tasks_run, 3);
	NEAR(st.busy_pea_seconds, 6e-3);
}
END_TEST

/* Four independent one-replica tasks and three requests at once: each
 * replica runs its task three times in a row (the static binding cannot
 * lend a PEA), 3 ms, which the work bound (12 ms on 4 PEAs) matches. */
START_TEST(test_static_list_schedule)
{
	c = compile_src("workflow w {\n"
			"  task a : general { time 1ms; }\n"
			"  task b : general { time 1ms; }\n"
			"  task e : general { time 1ms; }\n"
			"  task f : general { time 1ms; }\n"
			"  a; b; e; f;\n"
			"}\n", NULL);
	place_and_load("flat-4", 1e-9);
	owgrt_sim_stats st = run(3, 0, 1);
	NEAR(st.makespan, 3e-3);
	NEAR(st.lb, 3e-3);
	NEAR(st.latency_p50, 2e-3);
	NEAR(st.utilisation, 1.0);
}
END_TEST

/* A counted loop runs its body trip after trip, between what comes before
 * and after it. */
START_TEST(test_loop)
{
	c = compile_src("workflow w {\n"
			"  task a : general { time 1ms; }\n"
			"  task b : general { time 2ms; }\n"
			"  task z : general { time 1ms; }\n"
			"  a;\n"
			"  loop 3 { a -> b : 1KiB; }\n"
			"  b -> z : 1KiB;\n"
			"}\n", NULL);
	place_and_load("flat-4", 1e-9);
	owgrt_sim_stats st = run(1, 0, 1);
	NEAR(st.makespan, 1e-3 + 3 * 2e-3 + 1e-3);
	ck_assert_uint_eq(st.tasks_run, 5);
	NEAR(st.lb, st.makespan);
}
END_TEST

/* Every example, on two fabrics, at owgc's rate with Poisson arrivals:
 * all requests complete once, LB <= makespan (in run()), and a run is a
 * function of the seed. */
START_TEST(test_examples_invariants)
{
	static const char *const examples[] = {"face_recognition", "recommendation", "rag_llm",
					       "driving_perception", "voice_assistant", "moe_routing"};
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, examples[_i / 2]);
	c = compile_file(path);
	place_and_load(_i % 2 ? "chiplet" : "default", 0);
	double rate = prog->plan->rate;
	owgrt_sim_stats a = run(300, rate, 5), b = run(300, rate, 5), d = run(300, rate, 6);
	ck_assert(!memcmp(&a, &b, sizeof a));
	ck_assert(a.makespan != d.makespan || a.tasks_run != d.tasks_run || a.busy_pea_seconds != d.busy_pea_seconds);
	ck_assert(a.utilisation > 0 && a.utilisation <= 1 + 1e-12);
}
END_TEST

START_TEST(test_refuses)
{
	c = compile_src("workflow w { task a : general { time 1ms; } a; }\n", NULL);
	place_and_load("flat-4", 1e-9);
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 0;
	owgrt_sim_stats st;
	char err[256];
	ck_assert_int_eq(owgrt_simulate(prog, &o, &st, err, sizeof err), OWGRT_EINVAL);
	ck_assert_str_eq(err, "requests must be from 1 to 4294967295 and the rate finite and >= 0");
}
END_TEST

/* --- the policies --- */

/* A branch whose arms are even on average but, in the one phase of the
 * run, always take the first: the static binding (one replica each on
 * flat-2) runs every request on one PEA while the other idles.  The
 * optimum, which the LB reaches, splits the work between the two PEAs;
 * steal and octopus reach it on a flat fabric (no transfer or
 * configuration cost), static cannot. */
static const char skewed_src[] = "workflow w {\n"
				 "  task a : general { time 1ms; }\n"
				 "  task b : general { time 1ms; }\n"
				 "  if p 0.5 { a; } else { b; }\n"
				 "}\n";

/* The same branch with b four times heavier: on flat-3 the static
 * binding gives a one replica and b two, every PEA. */
static const char heavier_b_src[] = "workflow w {\n"
				    "  task a : general { time 1ms; }\n"
				    "  task b : general { time 4ms; }\n"
				    "  if p 0.2 { a; } else { b; }\n"
				    "}\n";

static owgrt_phases *skewed_phases(void)
{
	static const char text[] = "phase rush share 1\n  prob if0 1 0\n";
	owgrt_phases *ph;
	char err[256];
	ck_assert_msg(owgrt_phases_parse(prog, text, sizeof text - 1, "skew", &ph, err, sizeof err) == OWGRT_OK, "%s",
		      err);
	return ph;
}

static owgrt_sim_stats run_skewed(owgrt_policy pol, const owgrt_phases *ph)
{
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 100;
	o.policy = pol;
	o.phases = ph;
	return run_opts(&o);
}

START_TEST(test_skew_static)
{
	c = compile_src(skewed_src, NULL);
	place_and_load("flat-2", 1e-9);
	owgrt_phases *ph = skewed_phases();
	owgrt_sim_stats st = run_skewed(OWGRT_POLICY_STATIC, ph);
	owgrt_phases_free(ph);
	NEAR(st.makespan, 100e-3); /* a's one replica, 100 times */
	NEAR(st.lb, 50e-3);
	ck_assert_uint_eq(st.migrations, 0);
	/* the other PEA idled the whole run while work waited */
	ck_assert_msg(fabs(st.idle_with_backlog - 0.5) < 0.02, "idle with backlog %g", st.idle_with_backlog);
}
END_TEST

START_TEST(test_skew_steal)
{
	c = compile_src(skewed_src, NULL);
	place_and_load("flat-2", 1e-9);
	owgrt_phases *ph = skewed_phases();
	owgrt_sim_stats st = run_skewed(OWGRT_POLICY_STEAL, ph);
	owgrt_phases_free(ph);
	NEAR(st.makespan, 50e-3); /* b's PEA steals every other request */
	NEAR(st.lb, 50e-3);
	ck_assert_uint_eq(st.migrations, 50);
}
END_TEST

/* Reactive never takes a task's last replica: on flat-2 it is static. */
START_TEST(test_skew_reactive_keeps_last)
{
	c = compile_src(skewed_src, NULL);
	place_and_load("flat-2", 1e-9);
	owgrt_phases *ph = skewed_phases();
	owgrt_sim_stats st = run_skewed(OWGRT_POLICY_REACTIVE, ph);
	owgrt_phases_free(ph);
	ck_assert_uint_eq(st.migrations, 0);
	NEAR(st.makespan, 100e-3);
}
END_TEST

/* With two replicas of b (flat-3, b heavier), reactive (threshold 2,
 * cooldown 10) moves one of them to a once it has idled for 10 of b's
 * mean times, 40 ms: then the 60 jobs left run two at a time, 30 ms more. */
START_TEST(test_skew_reactive)
{
	c = compile_src(heavier_b_src, NULL);
	place_and_load("flat-3", 0);
	ck_assert_uint_eq(prog->plan->fixed.replicas[3], 2);
	owgrt_phases *ph = skewed_phases();
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 100;
	o.policy = OWGRT_POLICY_REACTIVE;
	o.phases = ph;
	o.tuning.reactive_threshold = 2;
	o.tuning.reactive_cooldown = 10;
	owgrt_sim_stats st = run_opts(&o);
	owgrt_phases_free(ph);
	ck_assert_uint_eq(st.migrations, 1);
	ck_assert_msg(st.makespan >= 70e-3 - 1e-12 && st.makespan <= 71e-3 + 1e-12, "makespan %g", st.makespan);
}
END_TEST

/* Failures with no spare PEA anywhere: flat-3 holds a's replica and b's
 * two.  When a's PEA fails, an idle replica of b gives its PEA up and a's
 * replica moves there; every request completes, under every policy. */
START_TEST(test_fail_without_spares)
{
	c = compile_src(heavier_b_src, NULL);
	place_and_load("flat-3", 0);
	ck_assert_uint_eq(prog->plan->fixed.replicas[2] + prog->plan->fixed.replicas[3], 3);
	owgrt_phases *ph = skewed_phases();
	owgrt_fault f = {prog->plan->fixed.peas[prog->plan->fixed.first[2]], 0.0105, false};
	for (int pol = 0; pol < 3; pol++) { /* the policies with the static binding */
		owgrt_sim_opts o;
		owgrt_sim_opts_init(&o);
		o.requests = 100;
		o.policy = (owgrt_policy)pol;
		o.phases = ph;
		o.faults = &f;
		o.nfaults = 1;
		owgrt_sim_stats st = run_opts(&o);
		ck_assert_uint_eq(st.failed_peas, 1);
		ck_assert_uint_eq(st.tasks_lost, 1);
	}
	owgrt_phases_free(ph);
}
END_TEST

/* Octopus: both tasks are bursty, hence elastic, and share the pool. */
START_TEST(test_skew_octopus)
{
	c = compile_src(skewed_src, NULL);
	place_and_load("flat-2", 1e-9);
	owgrt_phases *ph = skewed_phases();
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 100;
	o.policy = OWGRT_POLICY_OCTOPUS;
	o.phases = ph;
	owgrt_sim_stats st = run_opts(&o);
	owgrt_phases_free(ph);
	NEAR(st.makespan, 50e-3);
}
END_TEST

/* Common random numbers: every policy sees the same sampled times and the
 * same decisions of the control blocks, execution by execution. */
typedef struct seen {
	double *dur;      /* per (request, node, exec < 64) */
	uint64_t *outcome;
	uint32_t nnodes;
	uint64_t tasks, requests;
	uint8_t *done; /* per request: completions */
} seen;

static size_t seen_at(const seen *w, uint32_t req, uint32_t node, uint32_t exec)
{
	return ((size_t)req * w->nnodes + node) * 64 + (exec < 64 ? exec : 63);
}

static void seen_task(void *ctx, uint32_t req, uint32_t node, uint32_t exec, const uint32_t *peas, uint32_t npeas,
		      double bound, double start, double end, bool lost)
{
	seen *w = ctx;
	ck_assert(npeas >= 1 && peas != NULL && bound <= start && start <= end);
	if (!lost) {
		w->dur[seen_at(w, req, node, exec)] = end - start;
		w->tasks++;
	}
}

static void seen_control(void *ctx, uint32_t req, uint32_t node, uint32_t exec, uint64_t outcome, double t)
{
	(void)t;
	seen *w = ctx;
	w->outcome[seen_at(w, req, node, exec)] = outcome + 1;
}

static void seen_request(void *ctx, uint32_t req, double arrival, double finish, const uint32_t *execs)
{
	(void)execs;
	seen *w = ctx;
	ck_assert(finish >= arrival);
	w->done[req]++;
	w->requests++;
}

static seen watch(owgrt_sim_opts *o, owgrt_sim_observer *ob)
{
	seen w = {calloc(o->requests * prog->nnodes * 64, sizeof(double)),
		  calloc(o->requests * prog->nnodes * 64, sizeof(uint64_t)), prog->nnodes, 0, 0,
		  calloc(o->requests, 1)};
	ck_assert(w.dur && w.outcome && w.done);
	*ob = (owgrt_sim_observer){.ctx = NULL, .task = seen_task, .control = seen_control, .request = seen_request};
	o->observer = ob;
	return w;
}

static void seen_free(seen *w)
{
	free(w->dur);
	free(w->outcome);
	free(w->done);
}

START_TEST(test_common_random_numbers)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/driving_perception.owg", TOP_SRCDIR);
	c = compile_file(path);
	place_and_load("default", 0);
	seen w[OWGRT_POLICIES];
	for (int p = 0; p < OWGRT_POLICIES; p++) {
		owgrt_sim_opts o;
		owgrt_sim_opts_init(&o);
		o.requests = 40;
		o.seed = 11;
		o.policy = (owgrt_policy)p;
		owgrt_sim_observer ob;
		w[p] = watch(&o, &ob);
		ob.ctx = &w[p];
		owgrt_sim_stats st = run_opts(&o);
		ck_assert_uint_eq(w[p].tasks, st.tasks_run);
	}
	size_t n = 40 * prog->nnodes * 64;
	for (int p = 1; p < OWGRT_POLICIES; p++) {
		/* durations come back as end - start: equal up to rounding */
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(fabs(w[0].dur[i] - w[p].dur[i]) <= 1e-12, "%s sampled other times",
				      owgrt_policy_name((owgrt_policy)p));
		ck_assert_msg(!memcmp(w[0].outcome, w[p].outcome, n * sizeof(uint64_t)), "%s saw other decisions",
			      owgrt_policy_name((owgrt_policy)p));
	}
	for (int p = 0; p < OWGRT_POLICIES; p++)
		seen_free(&w[p]);
}
END_TEST

/* Conservation: with PEAs failing (5% of them mid-run, and a few at fixed
 * times), every request completes exactly once under every policy. */
START_TEST(test_faults_conserve)
{
	static const char *const examples[] = {"driving_perception", "voice_assistant", "rag_llm"};
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, examples[_i % 3]);
	c = compile_file(path);
	place_and_load("default", 0);
	uint32_t n = prog->plan->width * prog->plan->height, nf = n / 20 + 3;
	owgrt_fault *f = calloc(nf, sizeof *f);
	for (uint32_t i = 0; i < nf; i++) {
		f[i].pea = (i * 7919u + 13) % n;
		f[i].at_half = i >= 3;
		f[i].time = i * 1e-3;
	}
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 300;
	o.seed = 5;
	o.policy = (owgrt_policy)(_i / 3);
	o.faults = f;
	o.nfaults = nf;
	owgrt_sim_observer ob;
	seen w = watch(&o, &ob);
	ob.ctx = &w;
	owgrt_sim_stats st = run_opts(&o), again = run_opts(&o);
	for (uint32_t r = 0; r < o.requests; r++)
		ck_assert_msg(w.done[r] == 2, "request %u completed %u times in two runs", r, w.done[r]);
	ck_assert_uint_gt(st.failed_peas, 0);
	ck_assert(!memcmp(&st, &again, sizeof st));
	/* the same requests without failures run the same tasks */
	o.nfaults = 0;
	o.observer = NULL;
	owgrt_sim_stats clean = run_opts(&o);
	ck_assert_uint_eq(clean.tasks_run, st.tasks_run);
	seen_free(&w);
	free(f);
}
END_TEST

/* Every policy on every example: invariants, and the same seed giving the
 * same statistics. */
START_TEST(test_policies_invariants)
{
	static const char *const examples[] = {"face_recognition", "recommendation", "rag_llm",
					       "driving_perception", "voice_assistant", "moe_routing"};
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, examples[_i % 6]);
	c = compile_file(path);
	place_and_load("default", 0);
	owgrt_policy pol = (owgrt_policy)(_i / 6 + 1);
	owgrt_sim_stats a = run_policy(300, 0, 3, pol), b = run_policy(300, 0, 3, pol);
	ck_assert(!memcmp(&a, &b, sizeof a));
	ck_assert(a.utilisation > 0 && a.utilisation <= 1 + 1e-12);
}
END_TEST

/* Every ablation of octopus runs and completes everything. */
START_TEST(test_ablations)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/voice_assistant.owg", TOP_SRCDIR);
	c = compile_file(path);
	place_and_load("default", 0);
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = 300;
	o.policy = OWGRT_POLICY_OCTOPUS;
	o.octopus = OWGRT_OCTO_ALL & ~(1u << _i);
	run_opts(&o);
}
END_TEST

/* --- the Z-order index of the pools --- */

/* On grids of several shapes with pseudo-random values: a query finds a
 * cell that satisfies it exactly when one exists, updates propagate, and
 * the found cell is never farther than the nearest match by more than
 * the Z-order allows on a small grid (checked: exact on 1-wide grids). */
START_TEST(test_zindex)
{
	static const uint32_t shapes[][2] = {{1, 1}, {1, 7}, {5, 1}, {3, 3}, {8, 8}, {13, 6}, {32, 17}};
	for (size_t sh = 0; sh < sizeof shapes / sizeof *shapes; sh++) {
		uint32_t w = shapes[sh][0], h = shapes[sh][1], n = w * h;
		owgrt_zindex z;
		ck_assert(owgrt_zindex_init(&z, w, h));
		uint32_t *hi = calloc(n, sizeof *hi), *lo = malloc(n * sizeof *lo);
		for (uint32_t i = 0; i < n; i++)
			lo[i] = UINT32_MAX;
		uint64_t x = 88172645463325252ull;
		for (int round = 0; round < 400; round++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint32_t cell = (uint32_t)(x % n);
			hi[cell] = (uint32_t)(x >> 20) % 9;
			lo[cell] = (x >> 40) % 3 ? (uint32_t)(x >> 24) % 9 : UINT32_MAX;
			owgrt_zindex_set(&z, cell, hi[cell], lo[cell]);
			uint32_t at = (uint32_t)(x >> 33) % n, v = 1 + (uint32_t)(x >> 50) % 8;
			uint32_t a = owgrt_zindex_near_hi(&z, at, v), b = owgrt_zindex_near_lo(&z, at, v);
			bool any_hi = false, any_lo = false;
			uint32_t best_hi = UINT32_MAX;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t d = (i % w > at % w ? i % w - at % w : at % w - i % w) +
					     (i / w > at / w ? i / w - at / w : at / w - i / w);
				if (hi[i] >= v && d < best_hi)
					best_hi = d;
				any_hi |= hi[i] >= v;
				any_lo |= lo[i] <= v;
			}
			ck_assert_msg(any_hi == (a != UINT32_MAX), "grid %ux%u: near_hi missed", w, h);
			ck_assert_msg(any_lo == (b != UINT32_MAX), "grid %ux%u: near_lo missed", w, h);
			if (a != UINT32_MAX) {
				ck_assert(hi[a] >= v);
				if (w == 1 || h == 1 || hi[at] >= v) /* a line is its own Z-order */
					ck_assert_uint_eq((a > at ? a - at : at - a), best_hi);
			}
			if (b != UINT32_MAX)
				ck_assert(lo[b] <= v);
		}
		free(hi);
		free(lo);
		owgrt_zindex_free(&z);
	}
}
END_TEST

Suite *suite_sim(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("schedules");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_chain);
	tcase_add_test(tc, test_static_list_schedule);
	tcase_add_test(tc, test_loop);
	tcase_add_loop_test(tc, test_examples_invariants, 0, 12);
	tcase_add_test(tc, test_refuses);
	suite_add_tcase(s, tc);
	TCase *pc = tcase_create("policies");
	tcase_add_checked_fixture(pc, NULL, teardown);
	tcase_set_timeout(pc, 120);
	tcase_add_test(pc, test_skew_static);
	tcase_add_test(pc, test_skew_steal);
	tcase_add_test(pc, test_skew_reactive_keeps_last);
	tcase_add_test(pc, test_skew_reactive);
	tcase_add_test(pc, test_skew_octopus);
	tcase_add_test(pc, test_fail_without_spares);
	tcase_add_test(pc, test_common_random_numbers);
	tcase_add_loop_test(pc, test_faults_conserve, 0, 3 * OWGRT_POLICIES);
	tcase_add_loop_test(pc, test_policies_invariants, 0, 18);
	tcase_add_loop_test(pc, test_ablations, 0, 4);
	tcase_add_test(pc, test_zindex);
	suite_add_tcase(s, pc);
	return s;
}
