/* test_passes.c - the analysis pipeline: closed-form cases checked
 * exactly, the heuristic and its warning, the pass table, and agreement
 * of branch-freq with a Monte-Carlo walk of 10^6 requests of every
 * example. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "pass.h"
#include "profile.h"
#include "source.h"
#include "unit.h"
#include "walk.h"

static compiled c;
static char *msgs;

static void teardown(void)
{
	compiled_free(&c);
	free(msgs);
	msgs = NULL;
}

/* Runs the whole pipeline on c.g; its diagnostics (without source
 * excerpts) go to msgs. */
static owg_graph *run_pipeline(const owg_pass_opts *opts)
{
	ck_assert_msg(c.g != NULL, "front end failed:\n%s", c.diags);
	owg_srcmgr sm;
	owg_src_init(&sm);
	size_t len;
	free(msgs);
	FILE *out = open_memstream(&msgs, &len);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_pass_ctx ctx = {.g = c.g, .diag = d, .sm = &sm, .opts = opts};
	ck_assert(owg_pipeline_run(&ctx));
	owg_pass_ctx_free(&ctx);
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
	return c.g;
}

static owg_graph *analyze_opts(const char *src, const owg_pass_opts *opts)
{
	compiled_free(&c);
	c = compile_src(src, NULL);
	return run_pipeline(opts);
}

static owg_graph *analyze(const char *src)
{
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.stop_after = "load"; /* the analysis passes: placement is test_place.c's */
	return analyze_opts(src, &o);
}

static const owg_freq_stats *freq(const owg_graph *g, const char *name)
{
	const owg_node *n = node_named(g, name);
	ck_assert_msg(n != NULL, "no node '%s'", name);
	return &g->an.freq[n->id];
}

static void close_to(double x, double want, const char *what)
{
	ck_assert_msg(fabs(x - want) <= 1e-12 * (1 + fabs(want)), "%s = %.17g, want %.17g", what, x, want);
}
#define CLOSE(x, want) close_to((x), (want), #x)

START_TEST(test_geometric_loop)
{
	/* repeats with 0.25: T ~ 1 + Geometric, E = 4/3, Var = q/(1-q)^2 = 4/9 */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; out ok: bool; }\n"
			       "  again: loop while (a.ok) p 0.25 { a; }\n"
			       "}\n");
	CLOSE(freq(g, "a")->mean, 4.0 / 3);
	CLOSE(freq(g, "a")->var, 4.0 / 9);
	CLOSE(freq(g, "again")->mean, 1);
	CLOSE(g->an.cb[node_named(g, "again")->id].repeat, 0.25);
}
END_TEST

START_TEST(test_bounded_while_loop)
{
	/* q = 0.5, at most 3 trips: E[T] = 1.75, E[T^2] = 1 + 3/2 + 5/4 */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; out ok: bool; }\n"
			       "  loop while (a.ok) p 0.5 max 3 { a; }\n"
			       "}\n");
	CLOSE(freq(g, "a")->mean, 1.75);
	CLOSE(freq(g, "a")->var, 3.75 - 1.75 * 1.75);
}
END_TEST

START_TEST(test_nested_loops)
{
	/* 3 outer trips, Poisson(2) inner trips each: E = 6, Var = 3 * 2 */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; }\n"
			       "  task b : ai { time 2ms; }\n"
			       "  loop 3 { a; loop poisson(2) { b; } }\n"
			       "}\n");
	CLOSE(freq(g, "a")->mean, 3);
	CLOSE(freq(g, "a")->var, 0);
	CLOSE(freq(g, "b")->mean, 6);
	CLOSE(freq(g, "b")->var, 6);
}
END_TEST

START_TEST(test_loop_in_branch)
{
	/* taken with 0.3, then 4 trips: E = 1.2, Var = 0.21 * 16 */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; out x: f64; }\n"
			       "  task b : ai { time 1ms; }\n"
			       "  if (a.x > 1) p 0.3 { loop 4 { b; } }\n"
			       "}\n");
	CLOSE(freq(g, "b")->mean, 1.2);
	CLOSE(freq(g, "b")->var, 0.21 * 16);
	ck_assert(freq(g, "b")->is_bursty); /* sd/mean = 1.53 */
	ck_assert(!freq(g, "a")->is_bursty);
}
END_TEST

START_TEST(test_switch_shares)
{
	/* two cases declared, the other two share the rest */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; out k: i64; }\n"
			       "  task b : ai { time 1ms; }\n"
			       "  task c2 : ai { time 1ms; }\n"
			       "  task d : ai { time 1ms; }\n"
			       "  task e : ai { time 1ms; }\n"
			       "  s: switch (a.k) { case 0 p 0.2 { b; } case 1 p 0.3 { c2; } case 2 { d; } default { e; } }\n"
			       "}\n");
	const double *p = g->an.cb[node_named(g, "s")->id].arm;
	CLOSE(p[0], 0.2);
	CLOSE(p[1], 0.3);
	CLOSE(p[2], 0.25);
	CLOSE(p[3], 0.25);
	CLOSE(freq(g, "d")->mean, 0.25);
	CLOSE(freq(g, "d")->var, 0.25 * 0.75);
}
END_TEST

START_TEST(test_fork_join)
{
	/* items ~ Poisson(2.3) */
	owg_graph *g = analyze("workflow w {\n"
			       "  task detect : ai { time 3ms; out faces: i64; }\n"
			       "  task embed : ai { time 1ms; }\n"
			       "  task after : general { time 1ms; }\n"
			       "  foreach face in detect.faces ~ poisson(2.3) { detect -> embed : 1KiB; }\n"
			       "  embed -> after : 1KiB;\n"
			       "}\n");
	CLOSE(freq(g, "embed")->mean, 2.3);
	CLOSE(freq(g, "embed")->var, 2.3);
	CLOSE(freq(g, "after")->mean, 1);
	/* critical path: detect, one item of embed (if any), after */
	CLOSE(g->an.critical_path, 3e-3 + (1 - exp(-2.3)) * 1e-3 + 1e-3);
	CLOSE(g->an.total_pea_time, 3e-3 + 2.3e-3 + 1e-3);
}
END_TEST

START_TEST(test_exit_and_load)
{
	/* the exit is taken 0.4 of the time; then nothing after it runs */
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : general { time 2ms; peas 2; out v: f64; }\n"
			       "  task b : ai { time 10ms; peas 4; }\n"
			       "  a;\n"
			       "  exit if (a.v < 1) p 0.4;\n"
			       "  a -> b : 1KiB;\n"
			       "}\n");
	CLOSE(freq(g, "b")->mean, 0.6);
	const owg_node *b = node_named(g, "b");
	CLOSE(g->an.pea_time[b->id], 0.6 * 10e-3 * 4);
	CLOSE(g->an.total_pea_time, 2 * 2e-3 + 0.6 * 40e-3);
	CLOSE(g->an.critical_path, 2e-3 + 0.6 * 10e-3);
	ck_assert(g->an.critical[b->id]);
	ck_assert_uint_eq(g->an.peas, OWG_DEFAULT_PEAS);
	CLOSE(g->an.max_throughput, OWG_DEFAULT_PEAS / g->an.total_pea_time);
}
END_TEST

START_TEST(test_time_stats_model)
{
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time normal(3ms, 0.9ms); }\n"
			       "  task b : ai { time 1ms +- 0.1ms; }\n"
			       "  task u : ai { time uniform(1ms, 3ms); }\n"
			       "}\n");
	const owg_time_stats *a = &g->an.time[node_named(g, "a")->id];
	/* clamped at 0: E = mu Phi(t) + sigma phi(t), t = mu / sigma */
	double t = 3e-3 / 0.9e-3;
	double want = 3e-3 * 0.5 * erfc(-t / sqrt(2)) + 0.9e-3 * exp(-t * t / 2) / sqrt(2 * M_PI);
	ck_assert(fabs(a->mean - want) < 1e-15);
	ck_assert(fabs(a->mean - 3e-3) > 1e-7); /* the clamping shows */
	ck_assert(fabs(a->p95 - (3e-3 + 0.9e-3 * 1.6448536269514722)) < 1e-12);
	ck_assert(a->is_volatile); /* cv 0.3 > 0.25 */
	const owg_time_stats *b = &g->an.time[node_named(g, "b")->id];
	ck_assert(!b->is_volatile);
	const owg_time_stats *u = &g->an.time[node_named(g, "u")->id];
	CLOSE(u->mean, 2e-3);
	CLOSE(u->sd, 2e-3 / sqrt(12));
	CLOSE(u->p99, 1e-3 + 0.99 * 2e-3);
}
END_TEST

START_TEST(test_cv_threshold)
{
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.cv_threshold = 0.5;
	o.stop_after = "load";
	owg_graph *g = analyze_opts("workflow w { task a : ai { time normal(3ms, 0.9ms); } }\n", &o);
	ck_assert(!g->an.time[node_named(g, "a")->id].is_volatile);
}
END_TEST

START_TEST(test_heuristic_warns)
{
	owg_graph *g = analyze("workflow w {\n"
			       "  task a : ai { time 1ms; out x: f64; }\n"
			       "  task b : ai { time 1ms; }\n"
			       "  maybe: if (a.x > 1) { b; }\n"
			       "}\n");
	ck_assert_msg(strstr(msgs, "branch 'maybe' has no probability and no profile; assuming it is taken 0.5") != NULL,
		      "got:\n%s", msgs);
	ck_assert_int_eq(g->an.cb[node_named(g, "maybe")->id].source, OWG_PROB_HEURISTIC);
	CLOSE(freq(g, "b")->mean, 0.5);
}
END_TEST

/* One spike among 200 samples: rejected as an outlier, the statistics
 * are those of the rest; the profile's counts replace the declared
 * probability, smoothed by one run of the model. */
START_TEST(test_profile_robust_and_smoothed)
{
	compiled_free(&c);
	c = compile_src("workflow w {\n"
			"  task a : ai { time 1ms; out x: f64; }\n"
			"  task b : ai { time 1ms; }\n"
			"  maybe: if (a.x > 1) p 0.5 { b; }\n"
			"}\n", NULL);
	ck_assert(c.g != NULL);
	owg_profile *p = owg_prof_new(c.g);
	uint32_t a = node_named(c.g, "a")->id, maybe = node_named(c.g, "maybe")->id;
	for (int i = 0; i < 200; i++)
		owg_prof_record_time(p, a, i == 17 ? 1000.0 : 2e-3 + 1e-6 * (i % 10), (uint64_t)i * 7919);
	for (int i = 0; i < 9; i++)
		owg_prof_record_arm(p, maybe, i < 3 ? 0 : 1); /* taken 3 times in 9 */
	owg_srcmgr sm;
	owg_src_init(&sm);
	size_t len;
	free(msgs);
	FILE *out = open_memstream(&msgs, &len);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	size_t n;
	const owg_pass *pipe = owg_pipeline(&n);
	owg_pass_ctx ctx = {.g = c.g, .diag = d, .sm = &sm, .opts = &o, .profile = p};
	for (size_t i = 1; i < n && strcmp(pipe[i - 1].name, "load"); i++) /* the profile is attached by hand */
		ck_assert(pipe[i].run(&ctx));
	const owg_time_stats *t = &c.g->an.time[a];
	ck_assert_uint_eq(t->samples, 200);
	ck_assert_uint_eq(t->outliers, 1);
	ck_assert(t->mean > 2e-3 && t->mean < 2.01e-3);
	ck_assert(t->p99 < 2.01e-3);
	ck_assert(!t->is_volatile);
	/* (3 + 1 x 0.5) / (9 + 1) */
	CLOSE(c.g->an.cb[maybe].arm[0], 0.35);
	ck_assert_int_eq(c.g->an.cb[maybe].source, OWG_PROB_PROFILE);
	CLOSE(freq(c.g, "b")->mean, 0.35);
	owg_pass_ctx_free(&ctx);
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
}
END_TEST

START_TEST(test_pipeline_table)
{
	size_t n;
	const owg_pass *p = owg_pipeline(&n);
	ck_assert_uint_eq(n, 8);
	ck_assert_str_eq(p[0].name, "profile-attach");
	ck_assert_str_eq(p[3].name, "load");
	ck_assert_str_eq(p[7].name, "plan");
	ck_assert_ptr_eq(owg_pass_find("branch-freq"), &p[2]);
	ck_assert_ptr_null(owg_pass_find("branch_freq"));
}
END_TEST

/* Every example: the exact expected executions agree with a Monte-Carlo
 * walk of 10^6 requests within 1% (a fixed seed); for nodes that run
 * rarely, within 1% of one execution per request. */
START_TEST(test_examples_monte_carlo)
{
	static const char *const examples[] = {"face_recognition", "recommendation", "rag_llm",
					       "driving_perception", "voice_assistant", "moe_routing"};
	const char *ex = examples[_i];
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, ex);
	compiled_free(&c);
	c = compile_file(path);
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.stop_after = "load";
	owg_graph *g = run_pipeline(&o);
	owg_walk_result r;
	owg_walk(g, 1000000, 42, NULL, &r);
	for (size_t i = 0; i < g->nodes.n; i++) {
		double want = g->an.freq[i].mean, got = r.mean[i];
		double tol = 0.01 * (want > 1 ? want : 1);
		ck_assert_msg(fabs(got - want) <= tol, "%s: %s runs %.6g times per request by the walk, %.6g by "
			      "branch-freq", ex, g->nodes.v[i].name, got, want);
		double wv = g->an.freq[i].var, gv = r.var[i];
		ck_assert_msg(fabs(gv - wv) <= 0.05 * (wv > 1 ? wv : 1), "%s: %s variance %.6g by the walk, %.6g by "
			      "branch-freq", ex, g->nodes.v[i].name, gv, wv);
	}
	owg_walk_result_free(&r);
}
END_TEST

Suite *suite_passes(void)
{
	Suite *s = suite_create("passes");
	TCase *tc = tcase_create("closed_form");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_geometric_loop);
	tcase_add_test(tc, test_bounded_while_loop);
	tcase_add_test(tc, test_nested_loops);
	tcase_add_test(tc, test_loop_in_branch);
	tcase_add_test(tc, test_switch_shares);
	tcase_add_test(tc, test_fork_join);
	tcase_add_test(tc, test_exit_and_load);
	tcase_add_test(tc, test_time_stats_model);
	tcase_add_test(tc, test_cv_threshold);
	tcase_add_test(tc, test_heuristic_warns);
	tcase_add_test(tc, test_profile_robust_and_smoothed);
	tcase_add_test(tc, test_pipeline_table);
	suite_add_tcase(s, tc);
	tc = tcase_create("monte_carlo");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_examples_monte_carlo, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}
