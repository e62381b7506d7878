/* test_place.c - the placement passes: every example on every preset gets
 * a legal placement (plan_verify), the same seed gives the same one, -O
 * levels never make the traffic worse than partition's layout, and a
 * workflow that cannot fit is refused. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "fabric.h"
#include "pass.h"
#include "plan.h"
#include "unit.h"

static const char *const examples[] = {"face_recognition", "recommendation", "rag_llm",
				       "driving_perception", "voice_assistant", "moe_routing"};
static const char *const presets[] = {"default", "chiplet", "wafer", "flat-4096"};

static compiled c;
static char *msgs;
static double place_rate; /* --rate for place(), 0: none */

static void teardown(void)
{
	compiled_free(&c);
	free(msgs);
	msgs = NULL;
}

/* Compiles examples/<ex>.owg and runs the pipeline on preset `fab` with -O
 * `opt` and `seed`; returns whether it succeeded (messages in msgs). */
static bool place(const char *ex, const char *fab, int opt, uint64_t seed, const char *stop_after)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/examples/%s.owg", TOP_SRCDIR, ex);
	compiled_free(&c);
	c = compile_file(path);
	ck_assert_msg(c.g != NULL, "%s:\n%s", ex, c.diags);
	owg_fabric f;
	char err[256];
	ck_assert_msg(owg_fabric_preset(fab, &f, &c.g->arena, err, sizeof err), "%s", err);
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.fabric = &f;
	o.opt = opt;
	o.seed = seed;
	o.stop_after = stop_after;
	o.rate = place_rate;
	owg_srcmgr sm;
	owg_src_init(&sm);
	size_t len;
	free(msgs);
	FILE *out = open_memstream(&msgs, &len);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_diag_option(d, "-w");
	owg_pass_ctx ctx = {.g = c.g, .diag = d, .sm = &sm, .opts = &o};
	bool ok = owg_pipeline_run(&ctx);
	owg_pass_ctx_free(&ctx);
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
	return ok;
}

START_TEST(test_every_example_every_preset)
{
	const char *ex = examples[_i / 4], *fab = presets[_i % 4];
	ck_assert_msg(place(ex, fab, 1, 1, NULL), "%s on %s:\n%s", ex, fab, msgs);
	const owg_plan *p = c.g->plan;
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(owg_plan_verify(c.g, NULL), 0);
	ck_assert(p->rate > 0);
	for (size_t i = 0; i < c.g->nodes.n; i++) {
		const owg_node *n = &c.g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		ck_assert_uint_ge(p->fixed.replicas[i], 1);
		ck_assert_uint_eq(p->octopus.replicas[i] > 0, p->pinned[i]);
		/* the static binding is sized at the highest rate at which it
		 * fits on its own, at least the plan's */
		if (p->pinned[i])
			ck_assert_uint_ge(p->fixed.replicas[i], p->octopus.replicas[i]);
		/* pinned: steady and stable */
		ck_assert_uint_eq(p->pinned[i], !c.g->an.time[i].is_volatile && !c.g->an.freq[i].is_bursty);
	}
}
END_TEST

/* Without --rate each binding gets the highest rate at which it fits:
 * rag_llm's elastic pools lower the plan's rate, its static binding keeps
 * the replicas the fabric holds.  With --rate both are sized for it. */
START_TEST(test_static_sized_on_its_own)
{
	place_rate = 0;
	ck_assert(place("rag_llm", "default", 1, 1, NULL));
	const owg_plan *p = c.g->plan;
	double rate = p->rate;
	uint64_t own = 0, shared = 0;
	for (size_t i = 0; i < c.g->nodes.n; i++)
		if (c.g->nodes.v[i].kind == OWG_NODE_TB)
			own += (uint64_t)p->fixed.replicas[i] * c.g->nodes.v[i].peas;
	place_rate = rate;
	ck_assert(place("rag_llm", "default", 1, 1, NULL));
	p = c.g->plan;
	ck_assert(p->rate == rate);
	for (size_t i = 0; i < c.g->nodes.n; i++) {
		if (c.g->nodes.v[i].kind != OWG_NODE_TB)
			continue;
		shared += (uint64_t)p->fixed.replicas[i] * c.g->nodes.v[i].peas;
		if (p->pinned[i])
			ck_assert_uint_eq(p->fixed.replicas[i], p->octopus.replicas[i]);
	}
	ck_assert_msg(own > shared, "static binding: %llu PEAs on its own, %llu at the plan's rate",
		      (unsigned long long)own, (unsigned long long)shared);
	place_rate = 0;
}
END_TEST

/* The verifier catches what it must: a PEA used twice, a defective PEA. */
START_TEST(test_verifier_catches)
{
	ck_assert(place("face_recognition", "wafer", 0, 1, NULL));
	owg_plan *p = c.g->plan;
	uint32_t a = OWG_NONE, b = OWG_NONE;
	for (size_t i = 0; i < c.g->nodes.n && b == OWG_NONE; i++)
		if (c.g->nodes.v[i].kind == OWG_NODE_TB) {
			if (a == OWG_NONE)
				a = (uint32_t)i;
			else
				b = (uint32_t)i;
		}
	uint32_t saved = p->fixed.peas[p->fixed.first[b]];
	p->fixed.peas[p->fixed.first[b]] = p->fixed.peas[p->fixed.first[a]];
	ck_assert_uint_ge(owg_plan_verify(c.g, NULL), 1);
	p->fixed.peas[p->fixed.first[b]] = saved;
	ck_assert_uint_eq(owg_plan_verify(c.g, NULL), 0);
	const owg_fabric *f = &p->fabric;
	ck_assert_uint_gt(f->ndefects, 0);
	p->fixed.peas[p->fixed.first[a]] = f->defects[0][1] * p->width + f->defects[0][0];
	ck_assert_uint_ge(owg_plan_verify(c.g, NULL), 1);
}
END_TEST

static bool same_binding(const owg_graph *g, const owg_binding *x, const owg_binding *y)
{
	size_t nn = g->nodes.n;
	return x->npeas == y->npeas && !memcmp(x->peas, y->peas, x->npeas * sizeof *x->peas) &&
	       !memcmp(x->replicas, y->replicas, nn * sizeof *x->replicas) &&
	       !memcmp(x->home, y->home, nn * sizeof *x->home) && x->traffic == y->traffic;
}

START_TEST(test_deterministic)
{
	ck_assert(place("moe_routing", "chiplet", 2, 7, NULL));
	owg_graph *first = c.g;
	c.g = NULL;
	ck_assert(place("moe_routing", "chiplet", 2, 7, NULL));
	ck_assert(same_binding(c.g, &first->plan->octopus, &c.g->plan->octopus));
	ck_assert(same_binding(c.g, &first->plan->fixed, &c.g->plan->fixed));
	owg_ir_free(first);
}
END_TEST

/* Moves only ever keep a layout or improve it at -O1 (greedy). */
START_TEST(test_moves_improve)
{
	const char *ex = examples[_i];
	ck_assert(place(ex, "chiplet", 0, 3, NULL));
	double t0 = c.g->plan->fixed.traffic, o0 = c.g->plan->octopus.traffic;
	ck_assert(place(ex, "chiplet", 1, 3, NULL));
	ck_assert_msg(c.g->plan->fixed.traffic <= t0 + 1e-9 * t0, "%s: %g > %g", ex, c.g->plan->fixed.traffic, t0);
	ck_assert(c.g->plan->octopus.traffic <= o0 + 1e-9 * o0);
}
END_TEST

START_TEST(test_does_not_fit)
{
	ck_assert(!place("rag_llm", "flat-16", 1, 1, NULL));
	ck_assert_msg(strstr(msgs, "error: workflow 'rag_llm' does not fit fabric 'flat-16': one PEA array per task "
			     "needs 111 PEAs, the fabric has 16 usable") != NULL, "got:\n%s", msgs);
	ck_assert(strstr(msgs, "note: 'prefill' needs 32 PEAs") != NULL);
}
END_TEST

Suite *suite_place(void)
{
	Suite *s = suite_create("place");
	TCase *tc = tcase_create("legal");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_every_example_every_preset, 0, 24);
	tcase_add_test(tc, test_static_sized_on_its_own);
	tcase_add_test(tc, test_verifier_catches);
	tcase_add_test(tc, test_deterministic);
	tcase_add_loop_test(tc, test_moves_improve, 0, 6);
	tcase_add_test(tc, test_does_not_fit);
	suite_add_tcase(s, tc);
	return s;
}
