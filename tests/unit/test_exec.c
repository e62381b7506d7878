#include "config.h"

/* test_exec.c - the host executor (runtime/owgrt_exec.c) on images built
 * here by hand: the placement binary owgc writes, C kernels, and C
 * predicates written as owgc's backend compiles them (slot-indexed
 * outputs).  Every request completes exactly once under every policy
 * and thread count; kernels see their request's input, their item, the
 * data and outputs of earlier tasks; predicates and count outputs steer
 * the control blocks; a failing kernel runs again elsewhere, and one
 * that always fails stops the run with a message; a bad image or
 * environment is refused; a recorded profile is owgc's format. */

#include <check.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "owgp_write.h"
#include "unit.h"
#include "../runtime/owgrt.h"

static const char *const wf_src =
	"workflow t {\n"
	"  task src  : general { peas 1; time 1ms; kernel \"k_src\"; out n: i64; }\n"
	"  task mid  : general { peas 1; time 1ms; kernel \"k_mid\"; }\n"
	"  task item : general { peas 1; time 1ms; kernel \"k_item\"; }\n"
	"  task big  : general { peas 1; time 1ms; kernel \"k_big\"; }\n"
	"  task sink : general { peas 1; time 1ms; }\n"
	"  src -> mid : 1KiB;\n"
	"  mid -> sink : 1KiB;\n"
	"  foreach x in src.n ~ mean(2) { item; }\n"
	"  if (src.n > 2) p 0.4 { big; }\n"
	"}\n";

enum { MAXREQ = 4096 };
static atomic_uint item_runs[MAXREQ], big_runs[MAXREQ], mid_ok[MAXREQ], done_count[MAXREQ];
static atomic_uint item_seen[MAXREQ]; /* a bit per item index */
static atomic_uint failures;
static int fail_every;    /* k_mid fails its first attempt on every fail_every-th request; 0: never */
static bool fail_always;  /* k_big always fails */
static uint32_t n_slot;   /* src.n's output slot */

static uint64_t n_of(uint64_t id)
{
	return id % 5; /* 0 .. 4 items; big runs when > 2 */
}

static int k_src(owgrt_task *t)
{
	uint64_t id = owgrt_task_request(t);
	uint64_t *d = owgrt_task_output(t, sizeof *d);
	if (!d)
		return 1;
	*d = id * 7;
	return owgrt_task_set(t, "n", (double)n_of(id)) == OWGRT_OK && owgrt_task_set(t, "nope", 1) == OWGRT_EINVAL &&
			       owgrt_task_set(t, "n", NAN) == OWGRT_EINVAL
		       ? 0
		       : 2;
}

static int k_mid(owgrt_task *t)
{
	uint64_t id = owgrt_task_request(t);
	if (fail_every && id % fail_every == 0 && owgrt_task_attempt(t) == 0) {
		atomic_fetch_add(&failures, 1);
		owgrt_task_output(t, 16); /* discarded with the failed attempt */
		return 1;
	}
	size_t size;
	const uint64_t *d = owgrt_task_data(t, "src", &size);
	uintptr_t in = (uintptr_t)owgrt_task_input(t);
	if (d && size == sizeof *d && *d == id * 7 && in == id + 100 && owgrt_task_get(t, "src", "n") == n_of(id) &&
	    isnan(owgrt_task_get(t, "src", "nope")) && !owgrt_task_data(t, "big", NULL) &&
	    !strcmp(owgrt_task_name(t), "mid") && owgrt_task_peas(t) == 1)
		atomic_fetch_add(&mid_ok[id], 1);
	return 0;
}

static int k_item(owgrt_task *t)
{
	uint64_t id = owgrt_task_request(t), i = owgrt_task_index(t);
	atomic_fetch_add(&item_runs[id], 1);
	if (i < 32)
		atomic_fetch_or(&item_seen[id], 1u << i);
	return 0;
}

static int k_big(owgrt_task *t)
{
	if (fail_always)
		return 3;
	atomic_fetch_add(&big_runs[owgrt_task_request(t)], 1);
	return 0;
}

/* if (src.n > 2), as owgc compiles it */
static double pred_big(const double *outs)
{
	return outs[n_slot] > 2 ? 1.0 : 0.0;
}

static void on_request(void *ctx, uint64_t id, void *input, double latency)
{
	ck_assert_uint_eq((uintptr_t)input, id + 100);
	ck_assert(latency >= 0);
	atomic_fetch_add(&done_count[id], 1);
}

typedef struct built {
	char *owgp;
	size_t size;
	const char *names[4];
	owgrt_kernel_fn kernels[4];
	uint32_t pred_node;
	owgrt_pred_fn preds[1];
	owgrt_image img;
} built;

/* The image of wf_src placed on `fabric`. */
static void build(built *b, const char *fabric)
{
	memset(b, 0, sizeof *b);
	compiled c = compile_src(wf_src, NULL);
	ck_assert_msg(c.g, "%s", c.diags);
	ck_assert(place_graph(c.g, fabric, 0));
	FILE *m = open_memstream(&b->owgp, &b->size);
	ck_assert(m && owg_owgp_write(c.g, m));
	fclose(m);
	uint32_t slot = 0;
	for (uint32_t i = 0; i < c.g->nodes.n; i++) {
		const owg_node *x = &c.g->nodes.v[i];
		if (x->kind == OWG_NODE_TB && !strcmp(x->name, "src"))
			n_slot = slot;
		if (x->kind == OWG_NODE_TB)
			slot += x->nouts;
		if (x->kind == OWG_NODE_CB && x->cb_kind == OWG_CB_BRANCH)
			b->pred_node = i;
	}
	compiled_free(&c);
	const char *names[] = {"k_src", "k_mid", "k_item", "k_big"};
	owgrt_kernel_fn fns[] = {k_src, k_mid, k_item, k_big};
	memcpy(b->names, names, sizeof names);
	memcpy(b->kernels, fns, sizeof fns);
	b->preds[0] = pred_big;
	b->img = (owgrt_image){OWGRT_IMAGE_ABI, 4, 1, 0, "t", (const unsigned char *)b->owgp, b->size,
			       b->names, b->kernels, &b->pred_node, b->preds};
}

static void reset(void)
{
	memset(item_runs, 0, sizeof item_runs);
	memset(item_seen, 0, sizeof item_seen);
	memset(big_runs, 0, sizeof big_runs);
	memset(mid_ok, 0, sizeof mid_ok);
	memset(done_count, 0, sizeof done_count);
	failures = 0;
	fail_every = 0;
	fail_always = false;
}

static void opts_for(owgrt_exec_opts *o, owgrt_policy pol, uint32_t threads)
{
	unsetenv("OWGRT_THREADS");
	unsetenv("OWGRT_POLICY");
	unsetenv("OWGRT_SEED");
	unsetenv("OWGRT_PROFILE_OUT");
	owgrt_exec_opts_init(o);
	o->policy = pol;
	o->threads = threads;
	o->on_request = on_request;
}

/* Runs n requests and checks each ran exactly as its data says. */
static void run_and_check(built *b, owgrt_exec_opts *o, uint64_t n)
{
	owgrt_exec *ex;
	char err[256];
	ck_assert_msg(owgrt_exec_open(&b->img, o, &ex, err, sizeof err) == OWGRT_OK, "%s", err);
	void **in = malloc(n * sizeof *in);
	for (uint64_t i = 0; i < n; i++)
		in[i] = (void *)(uintptr_t)(i + 100);
	ck_assert_msg(owgrt_exec_run(ex, in, n, err, sizeof err) == OWGRT_OK, "%s", err);
	free(in);
	owgrt_exec_stats st;
	owgrt_exec_stats_get(ex, &st);
	ck_assert_uint_eq(st.requests, n);
	ck_assert_uint_eq(st.threads, o->threads);
	ck_assert_uint_eq(st.tasks_failed, failures);
	uint64_t tasks = 0;
	for (uint64_t id = 0; id < n; id++) {
		uint64_t k = n_of(id);
		ck_assert_uint_eq(done_count[id], 1);
		ck_assert_msg(mid_ok[id] == 1, "request %llu: mid saw wrong data", (unsigned long long)id);
		ck_assert_uint_eq(item_runs[id], k);
		ck_assert_uint_eq(item_seen[id], (1u << k) - 1);
		ck_assert_uint_eq(big_runs[id], k > 2);
		tasks += 3 + k + (k > 2);
	}
	ck_assert_uint_eq(st.tasks_run, tasks);
	ck_assert(st.makespan > 0 && st.latency_p50 <= st.latency_p99);
	ck_assert_int_eq(owgrt_exec_close(ex, err, sizeof err), OWGRT_OK);
}

START_TEST(every_policy_every_request)
{
	built b;
	build(&b, "flat-8");
	for (int pol = 0; pol < OWGRT_POLICIES; pol++)
		for (uint32_t th = 1; th <= 3; th++) {
			reset();
			owgrt_exec_opts o;
			opts_for(&o, (owgrt_policy)pol, th);
			run_and_check(&b, &o, 500);
		}
	free(b.owgp);
}
END_TEST

/* More PEAs than threads: a thread serves several PEAs. */
START_TEST(large_fabric_few_threads)
{
	built b;
	build(&b, "default");
	reset();
	owgrt_exec_opts o;
	opts_for(&o, OWGRT_POLICY_OCTOPUS, 2);
	run_and_check(&b, &o, 300);
	free(b.owgp);
}
END_TEST

START_TEST(failures_run_again)
{
	built b;
	build(&b, "default");
	for (int pol = 0; pol < OWGRT_POLICIES; pol++) {
		reset();
		fail_every = 50;
		owgrt_exec_opts o;
		opts_for(&o, (owgrt_policy)pol, 2);
		run_and_check(&b, &o, 200);
		ck_assert_uint_eq(failures, 4);
	}
	free(b.owgp);
}
END_TEST

START_TEST(always_failing_stops_the_run)
{
	built b;
	build(&b, "default");
	reset();
	fail_always = true;
	owgrt_exec_opts o;
	opts_for(&o, OWGRT_POLICY_STATIC, 2);
	o.max_attempts = 3;
	o.on_request = NULL;
	owgrt_exec *ex;
	char err[256];
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_OK);
	ck_assert_int_ne(owgrt_exec_run(ex, NULL, 20, err, sizeof err), OWGRT_OK);
	ck_assert_msg(strstr(err, "task 'big' failed 3 times (kernel 'k_big' returned 3)"), "%s", err);
	ck_assert_int_eq(owgrt_exec_submit(ex, NULL, NULL), OWGRT_EINVAL);
	ck_assert_int_ne(owgrt_exec_close(ex, err, sizeof err), OWGRT_OK);
	free(b.owgp);
}
END_TEST

/* Every failure retires a PEA: on 8 PEAs, failing kernels soon leave a
 * task with none, and the run stops saying so instead of hanging. */
START_TEST(failures_exhaust_the_fabric)
{
	built b;
	build(&b, "flat-8");
	reset();
	fail_every = 1;
	owgrt_exec_opts o;
	opts_for(&o, OWGRT_POLICY_STATIC, 2);
	owgrt_exec *ex;
	char err[256];
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_OK);
	void *in[64];
	for (int i = 0; i < 64; i++)
		in[i] = (void *)(uintptr_t)(i + 100);
	ck_assert_int_eq(owgrt_exec_run(ex, in, 64, err, sizeof err), OWGRT_EINVAL);
	ck_assert_msg(strstr(err, "the run cannot go on: ") && strstr(err, "PEAs failed and some task has none left"),
		      "%s", err);
	owgrt_exec_close(ex, NULL, 0);
	free(b.owgp);
}
END_TEST

START_TEST(bad_images_and_options)
{
	built b;
	build(&b, "flat-8");
	owgrt_exec_opts o;
	opts_for(&o, OWGRT_POLICY_STATIC, 1);
	owgrt_exec *ex;
	char err[256];

	b.img.abi = 99;
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EVERSION);
	ck_assert(ex == NULL && strstr(err, "ABI 99"));
	b.img.abi = OWGRT_IMAGE_ABI;

	b.names[2] = "k_other";
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EINVAL);
	ck_assert_msg(strstr(err, "task 'item' names kernel 'k_item', which the image does not hold"), "%s", err);
	b.names[2] = "k_item";

	b.img.npreds = 0;
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EINVAL);
	ck_assert_msg(strstr(err, "has a predicate but no compiled function"), "%s", err);
	b.img.npreds = 1;
	b.pred_node = 1000;
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EINVAL);
	b.pred_node = 0;
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EINVAL);

	b.img.owgp_size -= 9;
	ck_assert_int_ne(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_OK);
	b.img.owgp_size += 9;

	setenv("OWGRT_THREADS", "lots", 1);
	owgrt_exec_opts_init(&o);
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_EINVAL);
	ck_assert_str_eq(err, "OWGRT_THREADS='lots': expected a number of threads from 1 to 1024");
	setenv("OWGRT_THREADS", "3", 1);
	setenv("OWGRT_POLICY", "steal", 1);
	setenv("OWGRT_SEED", "77", 1);
	owgrt_exec_opts_init(&o);
	ck_assert(o.threads == 3 && o.policy == OWGRT_POLICY_STEAL && o.seed == 77 && !o.bad_env);
	setenv("OWGRT_POLICY", "fastest", 1);
	owgrt_exec_opts_init(&o);
	ck_assert_str_eq(o.bad_env, "OWGRT_POLICY");
	unsetenv("OWGRT_THREADS");
	unsetenv("OWGRT_POLICY");
	unsetenv("OWGRT_SEED");
	free(b.owgp);
}
END_TEST

START_TEST(profile_out)
{
	built b;
	build(&b, "flat-8");
	reset();
	char path[] = "/tmp/owgrt-exec-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	close(fd);
	owgrt_exec_opts o;
	opts_for(&o, OWGRT_POLICY_OCTOPUS, 2);
	o.profile_out = path;
	run_and_check(&b, &o, 100);
	FILE *f = fopen(path, "r");
	ck_assert(f);
	char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	unlink(path);
	ck_assert_msg(strstr(buf, "requests 100"), "%.300s", buf);
	ck_assert_msg(strstr(buf, "tb \"item\" runs "), "%.300s", buf);

	/* without recording, writing says how to record */
	owgrt_exec *ex;
	char err[256];
	opts_for(&o, OWGRT_POLICY_STATIC, 1);
	ck_assert_int_eq(owgrt_exec_open(&b.img, &o, &ex, err, sizeof err), OWGRT_OK);
	ck_assert_int_eq(owgrt_exec_profile_write(ex, path, err, sizeof err), OWGRT_EINVAL);
	ck_assert(strstr(err, "no profile was recorded"));
	ck_assert_int_eq(owgrt_exec_close(ex, NULL, 0), OWGRT_OK);
	free(b.owgp);
}
END_TEST

Suite *suite_exec(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_policy_every_request);
	tcase_add_test(tc, large_fabric_few_threads);
	tcase_add_test(tc, failures_run_again);
	tcase_add_test(tc, always_failing_stops_the_run);
	tcase_add_test(tc, failures_exhaust_the_fabric);
	tcase_add_test(tc, bad_images_and_options);
	tcase_add_test(tc, profile_out);
	suite_add_tcase(s, tc);
	return s;
}
