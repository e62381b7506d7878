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
	owg_fabric f;
	char err[512];
	ck_assert_msg(owg_fabric_preset(fab, &f, &c.g->arena, err, sizeof err), "%s", err);
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.fabric = &f;
	o.rate = rate;
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, stderr);
	owg_diag_option(d, "-w");
	owg_pass_ctx ctx = {.g = c.g, .diag = d, .sm = &sm, .opts = &o};
	ck_assert(owg_pipeline_run(&ctx));
	owg_pass_ctx_free(&ctx);
	owg_diag_free(d);
	owg_src_free(&sm);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert(owg_owgp_write(c.g, m));
	fclose(m);
	owgrt_program_free(prog);
	ck_assert_msg(owgrt_load(buf, len, &prog, err, sizeof err) == OWGRT_OK, "%s", err);
	free(buf);
}

static owgrt_sim_stats run(uint64_t requests, double rate, uint64_t seed)
{
	owgrt_sim_opts o;
	owgrt_sim_opts_init(&o);
	o.requests = requests;
	o.rate = rate;
	o.seed = seed;
	owgrt_sim_stats st;
	char err[256];
	ck_assert_msg(owgrt_simulate(prog, &o, &st, err, sizeof err) == OWGRT_OK, "%s", err);
	ck_assert_uint_eq(st.requests, requests);
	ck_assert_msg(st.lb <= st.makespan * (1 + 1e-12), "LB %g > makespan %g", st.lb, st.makespan);
	return st;
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
	return s;
}
