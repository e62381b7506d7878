/* test_sema.c - semantic checks with their exact messages, the placement
 * rule, sub-workflows and the IR they produce. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "unit.h"

static compiled c;

static void teardown(void)
{
	compiled_free(&c);
}

#define HAS(text) ck_assert_msg(strstr(c.diags, (text)) != NULL, "missing \"%s\" in:\n%s", (text), c.diags)

static void ok(const char *src)
{
	compiled_free(&c);
	c = compile_src(src, NULL);
	ck_assert_msg(c.g != NULL && c.errors == 0, "unexpected errors:\n%s", c.diags);
}

static void fails(const char *src)
{
	compiled_free(&c);
	c = compile_src(src, NULL);
	ck_assert_msg(c.g == NULL && c.errors > 0, "expected an error");
}

START_TEST(test_unknown_name_suggests)
{
	fails("workflow w {\n"
	      "  task detect : ai { time 1ms; }\n"
	      "  task x : ai { time 1ms; }\n"
	      "  x -> detcet : 1KiB;\n"
	      "}\n");
	ck_assert_str_eq(c.diags, "t.owg:4:8: error: unknown task 'detcet'; did you mean 'detect'?\n"
				  "    4 |   x -> detcet : 1KiB;\n"
				  "      |        ^~~~~~\n"
				  "t.owg:2:8: note: 'detect' declared here\n"
				  "    2 |   task detect : ai { time 1ms; }\n"
				  "      |        ^~~~~~\n");
}
END_TEST

START_TEST(test_duplicate)
{
	fails("workflow w {\n  task a : ai { time 1ms; }\n  const a = 2;\n}\n");
	HAS("t.owg:3:9: error: redefinition of 'a'");
	HAS("t.owg:2:8: note: 'a' was declared here as a task");
}
END_TEST

START_TEST(test_flow_into_constant)
{
	fails("const k = 3;\nworkflow w {\n  task a : ai { time 1ms; }\n  a -> k : 1B;\n}\n");
	HAS("t.owg:4:8: error: a flow needs a task, but 'k' is a constant");
}
END_TEST

START_TEST(test_flow_into_instance)
{
	fails("workflow s { task t : ai { time 1ms; } }\n"
	      "workflow w { task a : ai { time 1ms; } use s as i; a -> i : 1B; }\n");
	HAS("error: a flow needs a task, and 'i' is a whole sub-workflow; name one of its tasks, e.g. 'i.<task>'");
}
END_TEST

START_TEST(test_times)
{
	fails("workflow w { task a : ai { time 3; } }");
	HAS("t.owg:1:33: error: the execution time has no unit; write it as a time, e.g. '3ms'");
	fails("workflow w { task a : ai { time -2ms; } }");
	HAS("error: the execution time must not be negative");
	fails("workflow w { task a : ai { time normal(1ms, 2KiB); } }");
	HAS("error: the standard deviation must be a time, not a size");
	fails("workflow w { task a : ai { peas 2; } }");
	HAS("t.owg:1:19: error: task 'a' has no execution time");
	fails("workflow w { task a : ai { time poisson(3); } }");
	HAS("error: 'poisson' describes counts, not the execution time");
	fails("workflow w { task a : ai { time uniform(3ms, 1ms); } }");
	HAS("error: uniform(low, high) needs low <= high");
	fails("workflow w { task a : ai { time normall(1ms, 1ms); } }");
	HAS("error: unknown distribution 'normall'; did you mean 'normal'?");
}
END_TEST

START_TEST(test_time_models_in_ir)
{
	ok("workflow w {\n"
	   "  task a : ai { time 2ms; } task b : ai { time 1ms +- 100us; }\n"
	   "  task c : ai { time normal(3ms, 1ms); } task d : ai { time lognormal(1ms, 0.5); }\n"
	   "  task e : ai { time uniform(1ms, 2ms); } task f : ai { time exponential(4ms); }\n"
	   "  task g : ai { time empirical(1ms, 3ms); }\n"
	   "}\n");
	static const owg_dist_kind kinds[] = {OWG_DIST_CONST, OWG_DIST_MEANSD, OWG_DIST_NORMAL, OWG_DIST_LOGNORMAL,
					      OWG_DIST_UNIFORM, OWG_DIST_EXP, OWG_DIST_EMPIRICAL};
	for (int i = 0; i < 7; i++) {
		char name[2] = {(char)('a' + i), 0};
		ck_assert_int_eq(node_named(c.g, name)->time.kind, kinds[i]);
	}
	ck_assert_double_eq(node_named(c.g, "g")->time.samples[1], 3e-3);
	ck_assert_double_eq(node_named(c.g, "b")->time.b, 1e-4);
}
END_TEST

START_TEST(test_probabilities)
{
	fails("workflow w { task a : ai { time 1ms; } switch { case p 0.5 { a; } case p 0.3 { } } }");
	HAS("error: the probabilities of switch 'switch0' add up to 0.8, not 1");
	fails("workflow w { task a : ai { time 1ms; } if p 1.2 { a; } }");
	HAS("error: probability 1.2 is outside [0, 1]");
	fails("workflow w { task a : ai { time 1ms; out k: i64; } switch (a.k) { case 1 p 0.7 { } case 2 p 0.6 { } "
	      "default { } } }");
	HAS("already add up to 1.3 before the cases without one");
	ok("workflow w { task a : ai { time 1ms; out k: i64; } switch (a.k) { default p 30% { } case 4 p 0.7 { } } }");
	const owg_node *sw = node_named(c.g, "switch0");
	ck_assert_uint_eq(sw->narms, 2);
	ck_assert_int_eq(sw->arms[0].kind, OWG_ARM_CASE);
	ck_assert_double_eq(sw->arms[0].value, 4);
	ck_assert_double_eq(sw->arms[1].prob, 0.3);
}
END_TEST

START_TEST(test_loop_without_exit)
{
	fails("workflow w { task a : ai { time 1ms; } loop while (true) { a; } }");
	HAS("error: loop 'loop0' never ends: its condition is always true and it has no 'max'");
	fails("workflow w { task a : ai { time 1ms; out ok: bool; } loop while (a.ok) p 1 { a; } }");
	HAS("error: loop 'loop0' never ends: it repeats with probability 1 and it has no 'max'");
	ok("workflow w { task a : ai { time 1ms; out ok: bool; } loop while (!a.ok) p 1 max 3 { a; } }");
}
END_TEST

START_TEST(test_predicate_types)
{
	fails("workflow w { task a : ai { time 1ms; out n: i64; } task b : ai { time 1ms; } "
	      "if (a.n + 1) p 0.5 { b; } }");
	HAS("error: a condition must be a truth value; compare it, e.g. '(... > 0)'");
	fails("workflow w { task a : ai { time 1ms; out ok: bool; } task b : ai { time 1ms; } "
	      "if (a.ok > 1) p 0.5 { b; } }");
	HAS("error: cannot compare a truth value with a number");
	fails("workflow w { task a : ai { time 1ms; out n: i64; } task b : ai { time 1ms; } "
	      "if (a.n > 2ms) p 0.5 { b; } }");
	HAS("error: predicates work on plain numbers and truth values; this is a time");
	fails("workflow w { task a : ai { time 1ms; out n: i64; } task b : ai { time 1ms; } "
	      "if (a.m > 2) p 0.5 { b; } }");
	HAS("error: task 'a' has no output 'm'; did you mean 'n'?");
	fails("workflow w { task a : ai { time 1ms; out n: i64; } task b : ai { time 1ms; } "
	      "if (a > 2) p 0.5 { b; } }");
	HAS("error: 'a' is a task; read one of its outputs, e.g. 'a.n'");
}
END_TEST

START_TEST(test_placement_first_use)
{
	ok("workflow w {\n"
	   "  task d : general { time 1ms; } task det : ai { time 1ms; out faces: i64; }\n"
	   "  task e : ai { time 1ms; } task m : general { time 1ms; out s: f64; }\n"
	   "  task alert : general { time 1ms; }\n"
	   "  d -> det : 1KiB;\n"
	   "  foreach f in det.faces ~ mean(2.3) { e -> m : 2KiB; }\n"
	   "  if (m.s > 0.8) p 0.15 { alert; }\n"
	   "}\n");
	const owg_node *fork = node_named(c.g, "foreach0"), *br = node_named(c.g, "if0");
	ck_assert_uint_eq(node_named(c.g, "d")->region, 0);
	ck_assert_uint_eq(node_named(c.g, "e")->region, fork->id);
	ck_assert_uint_eq(node_named(c.g, "m")->region, fork->id);
	ck_assert_uint_eq(node_named(c.g, "alert")->region, br->id);
	ck_assert_uint_eq(node_named(c.g, "alert")->arm, 0);
	ck_assert_uint_eq(fork->count_node, node_named(c.g, "det")->id);
	ck_assert_int_eq(fork->count.kind, OWG_DIST_POISSON);
	ck_assert_double_eq(br->arms[1].prob, 0.85);
	/* regions precede their members */
	for (size_t i = 1; i < c.g->nodes.n; i++)
		ck_assert_uint_lt(c.g->nodes.v[i].region, i);
}
END_TEST

START_TEST(test_placed_twice)
{
	fails("workflow w {\n  task a : ai { time 1ms; } task b : ai { time 1ms; }\n"
	      "  a -> b : 1B;\n  if p 0.5 { a; }\n}\n");
	HAS("t.owg:4:14: error: task 'a' already runs elsewhere; a task runs in one place only");
	HAS("t.owg:3:3: note: its first use, here, decided where it runs");
}
END_TEST

START_TEST(test_cb_reads_what_it_governs)
{
	/* a decision's inputs run before it, even when first used inside it */
	ok("workflow w { task a : ai { time 1ms; out x: i64; } task b : ai { time 1ms; } "
	   "if (a.x > 1) p 0.5 { a -> b : 1B; } }");
	ck_assert_uint_eq(node_named(c.g, "a")->region, 0);
	ck_assert_uint_eq(node_named(c.g, "b")->region, node_named(c.g, "if0")->id);
	fails("workflow w { task b : ai { time 1ms; } "
	      "if (a.x > 1) p 0.5 { task a : ai { time 1ms; out x: i64; } a -> b : 1B; } }");
	HAS("t.owg:1:66: error: task 'a' is declared inside this block but runs before it");
	HAS("t.owg:1:44: note: its first use, here, decided where it runs");
}
END_TEST

START_TEST(test_exit_continuation)
{
	ok("workflow w { task a : ai { time 1ms; out c: f64; } task b : ai { time 1ms; } task z : ai { time 1ms; }\n"
	   "  a -> z : 1B;\n  exit if (a.c > 0.9) p 0.3;\n  a -> b : 1B;\n}\n");
	const owg_node *ex = node_named(c.g, "exit0");
	ck_assert_uint_eq(node_named(c.g, "a")->region, 0);
	ck_assert_uint_eq(node_named(c.g, "z")->region, 0);
	ck_assert_uint_eq(node_named(c.g, "b")->region, ex->id);
	ck_assert_uint_eq(node_named(c.g, "b")->arm, 1);
	ck_assert_double_eq(ex->arms[0].prob, 0.3);
}
END_TEST

START_TEST(test_data_cycle)
{
	fails("workflow w {\n  task a : ai { time 1ms; } task b : ai { time 1ms; }\n"
	      "  a -> b : 1B;\n  b -> a : 1B;\n}\n");
	HAS("error: data flows form a cycle through");
	HAS("note: 'a' flows into 'b' here");
	HAS("note: 'b' flows into 'a' here");
}
END_TEST

START_TEST(test_unreachable_warning)
{
	ok("workflow w { task a : ai { time 1ms; } if p 0 { a; } }");
	HAS("t.owg:1:19: warning: task 'a' can never run [-Wunreachable]");
	ok("workflow w { task a : ai { time 1ms; } exit; a; }");
	HAS("warning: task 'a' can never run");
	ok("workflow w { task a : ai { time 1ms; } if (false) { a; } }");
	HAS("warning: task 'a' can never run");
}
END_TEST

START_TEST(test_subworkflows)
{
	ok("const base = 2ms;\n"
	   "workflow stage { param scale = 1; task pre : general { time base * scale; }\n"
	   "  task run : ai { time 1ms; out ok: bool; } pre -> run : 1KiB; }\n"
	   "workflow main { task src : general { time 1ms; }\n"
	   "  use stage(scale = 3) as s1; use stage as s2;\n"
	   "  src -> s1.pre : 1B; src -> s2.pre : 1B;\n"
	   "  loop while (s2.run.ok == false) p 0.3 max 4 { s2; } }\n");
	ck_assert_str_eq(c.g->name, "main");
	ck_assert_double_eq(node_named(c.g, "s1.pre")->time.a, 6e-3);
	ck_assert_double_eq(node_named(c.g, "s2.pre")->time.a, 2e-3);
	ck_assert_uint_eq(node_named(c.g, "s2.run")->region, node_named(c.g, "loop0")->id);
	ck_assert_uint_eq(node_named(c.g, "s1.run")->region, 0);
	ck_assert_uint_eq(c.g->flows.n, 4);
}
END_TEST

START_TEST(test_recursive_use)
{
	fails("workflow a { use b as x; }\nworkflow b { use a as y; }\nworkflow m { use a as z; }\n");
	HAS("error: workflow 'a' uses itself (through this instance)");
}
END_TEST

START_TEST(test_bad_argument)
{
	fails("workflow s { param n = 1; task t : ai { time n * 1ms; } }\n"
	      "workflow w { use s(m = 2) as i; }\n");
	HAS("error: workflow 's' has no parameter 'm'; did you mean 'n'?");
}
END_TEST

START_TEST(test_constant_cycle_and_division)
{
	fails("const a = b + 1;\nconst b = a;\nworkflow w { task t : ai { time a * 1ms; } }\n");
	HAS("is defined in terms of itself");
	ok("const z = 4 / 0;\nworkflow w { task t : ai { peas z + 1; time 1ms; } }\n");
	ck_assert_uint_eq(node_named(c.g, "t")->peas, 1);
}
END_TEST

START_TEST(test_main_selection)
{
	fails("workflow a { task t : ai { time 1ms; } }\nworkflow b { task t : ai { time 1ms; } }\n");
	HAS("owgc: error: the input defines 2 workflows that could be the main one; choose with --workflow=NAME");
	HAS("note: candidate 'a'");
}
END_TEST

START_TEST(test_warnings_and_werror)
{
	const char *src = "workflow w { param p1 = 2; task a : ai { time 1ms; out x: i64; } }";
	compiled_free(&c);
	c = compile_src(src, NULL);
	ck_assert_ptr_nonnull(c.g);
	ck_assert_uint_eq(c.warnings, 2);
	HAS("warning: parameter 'p1' is never used [-Wunused-param]");
	HAS("warning: output 'x' of task 'a' is never read [-Wunused-output]");
	const char *werror[] = {"-Werror=unused-param", NULL};
	compiled_free(&c);
	c = compile_src(src, werror);
	ck_assert_ptr_null(c.g);
	HAS("error: parameter 'p1' is never used [-Werror=unused-param]");
}
END_TEST

START_TEST(test_fabric)
{
	ok("fabric chip { cluster 4x4; chiplet 2x2; package 1x1; hop cluster 2ns 32GiB/s; reconfig 8GiB/s; "
	   "control 20ns; defect 3, 4; }\nworkflow w { task a : ai { time 1ms; } }\n");
	ck_assert_uint_eq(c.g->fabrics.n, 1);
	const owg_fabric *f = &c.g->fabrics.v[0];
	ck_assert_uint_eq(f->grid_w[OWG_FAB_CHIPLET], 2);
	ck_assert_double_eq(f->hop_latency[OWG_FAB_CLUSTER], 2e-9);
	ck_assert_uint_eq(f->ndefects, 1);
	fails("fabric chip { cluster 2x2; defect 9, 0; hops cluster 1ns 1GiB/s; }\nworkflow w { }\n");
	HAS("error: unknown fabric property 'hops'; did you mean 'hop'?");
	HAS("error: fabric 'chip': defect (9, 0) lies outside its 2x2 PEAs");
}
END_TEST

Suite *suite_sema(void)
{
	Suite *s = suite_create("sema");
	TCase *tc = tcase_create("checks");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_unknown_name_suggests);
	tcase_add_test(tc, test_duplicate);
	tcase_add_test(tc, test_flow_into_constant);
	tcase_add_test(tc, test_flow_into_instance);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_time_models_in_ir);
	tcase_add_test(tc, test_probabilities);
	tcase_add_test(tc, test_loop_without_exit);
	tcase_add_test(tc, test_predicate_types);
	tcase_add_test(tc, test_placement_first_use);
	tcase_add_test(tc, test_placed_twice);
	tcase_add_test(tc, test_cb_reads_what_it_governs);
	tcase_add_test(tc, test_exit_continuation);
	tcase_add_test(tc, test_data_cycle);
	tcase_add_test(tc, test_unreachable_warning);
	tcase_add_test(tc, test_subworkflows);
	tcase_add_test(tc, test_recursive_use);
	tcase_add_test(tc, test_bad_argument);
	tcase_add_test(tc, test_constant_cycle_and_division);
	tcase_add_test(tc, test_main_selection);
	tcase_add_test(tc, test_warnings_and_werror);
	tcase_add_test(tc, test_fabric);
	suite_add_tcase(s, tc);
	return s;
}
