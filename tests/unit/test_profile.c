#include "config.h"

/* test_profile.c - profiles: the text form's exact round trip, the
 * bottom-k sample, the laws of merge, the hashes that tie a profile to its
 * workflow, and hostile files (every truncation, hand-made corruptions). */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ir.h"
#include "profile.h"
#include "unit.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

/* Every CB kind, a switch with and one without a default. */
static const char wf_text[] =
	"owgir 1\n"
	"workflow \"wf\"\n"
	"node %0 entry \"entry\" arms (seq)\n"
	"node %1 tb \"decode\" in %0.0 general peas 1 time 600us\n"
	"node %2 tb \"detect\" in %0.0 ai peas 4 time normal(3ms, 900us) out faces:i64\n"
	"node %3 fork \"faces\" in %0.0 count poisson(2.3) of %2.faces arms (item)\n"
	"node %4 tb \"embed\" in %3.0 ai peas 2 time meansd(1.1ms, 200us)\n"
	"node %5 branch \"if0\" in %0.0 arms (then p 0.15) (else p 0.85)\n"
	"node %6 tb \"alert\" in %5.0 general peas 1 time 50us\n"
	"node %7 switch \"lang\" in %0.0 arms (case 1 p 0.5) (case 2 p 0.25) (default p 0.25)\n"
	"node %8 tb \"en\" in %7.0 general peas 1 time 1ms\n"
	"node %9 switch \"audit\" in %0.0 pred %2.faces arms (case 1 p 0.5) (case 2)\n"
	"node %10 loop \"retry\" in %0.0 while pred (!%11.ok) max 4 arms (body) (repeat p 0.3)\n"
	"node %11 tb \"check\" in %10.0 general peas 1 time 1ms out ok:bool\n"
	"node %12 loop \"steps\" in %0.0 trips uniform(1, 5) arms (body) (repeat)\n"
	"node %13 tb \"step\" in %12.0 ai peas 8 time lognormal(2ms, 0.3)\n"
	"node %14 exit \"early\" in %0.0 arms (taken p 0.1) (cont p 0.9)\n"
	"node %15 tb \"last\" in %14.1 general peas 1 time 10us\n"
	"flow %1 -> %2 600KiB\n"
	"flow %2 -> %4 2KiB\n";

/* --- helpers --- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static owg_graph *graph(const char *text)
{
	owg_graph *g = owg_ir_read(text, strlen(text), OWG_NOFILE, NULL);
	ck_assert_ptr_nonnull(g);
	return g;
}

/* wf_text with one substitution. */
static owg_graph *graph_edit(const char *from, const char *to)
{
	const char *at = strstr(wf_text, from);
	ck_assert_ptr_nonnull(at);
	size_t n = strlen(wf_text) + strlen(to) + 1;
	char *s = malloc(n);
	snprintf(s, n, "%.*s%s%s", (int)(at - wf_text), wf_text, to, at + strlen(from));
	owg_graph *g = graph(s);
	free(s);
	return g;
}

static char *slurp(FILE *f, size_t *len)
{
	fflush(f);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

static char *write_str(const owg_profile *p)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	ck_assert(owg_prof_write(p, f));
	char *s = slurp(f, NULL);
	fclose(f);
	return s;
}

/* A diagnostics engine writing to memory, with named files. */
typedef struct env {
	owg_srcmgr sm;
	owg_diag *diag;
	FILE *out;
} env;

static void env_init(env *e)
{
	owg_src_init(&e->sm);
	e->out = tmpfile();
	ck_assert_ptr_nonnull(e->out);
	e->diag = owg_diag_new(&e->sm, e->out);
	owg_diag_set_max_errors(e->diag, 0);
}

static char *env_done(env *e)
{
	char *msgs = slurp(e->out, NULL);
	fclose(e->out);
	owg_diag_free(e->diag);
	owg_src_free(&e->sm);
	return msgs;
}

/* Reads text as file `name` from an exact-size copy (an over-read is
 * caught by the sanitizers). */
static owg_profile *env_read(env *e, const char *name, const char *text, size_t len)
{
	uint32_t file = owg_src_add(&e->sm, name, text, len);
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	owg_profile *p = owg_prof_read(copy, len, file, e->diag);
	free(copy);
	return p;
}

/* Reads a profile; *msgs gets the diagnostics (free it). */
static owg_profile *read_msgs(const char *text, size_t len, char **msgs)
{
	env e;
	env_init(&e);
	owg_profile *p = env_read(&e, "t.owgprof", text, len);
	char *m = env_done(&e);
	if (msgs)
		*msgs = m;
	else
		free(m);
	return p;
}

/* Records `requests` made-up requests of wf_text's graph.  Each event goes
 * to p and, if given, also to all (so that merges can be compared with one
 * recording of everything). */
static void simulate(owg_profile *p, owg_profile *all, uint64_t seed, unsigned requests)
{
	owg_profile *to[2] = {p, all};
	uint64_t count[16];
	for (unsigned r = 0; r < requests; r++) {
		memset(count, 0, sizeof count);
		for (int k = 0; k < 2 && to[k]; k++)
			ck_assert(owg_prof_record_arm(to[k], 0, 0));
#define TIME(id, base)                                                                   \
	do {                                                                             \
		double t_ = (base) * (1 + (double)(splitmix(&seed) % 1000) / 1000);      \
		uint64_t key_ = splitmix(&seed);                                         \
		count[id]++;                                                             \
		for (int k_ = 0; k_ < 2 && to[k_]; k_++)                                 \
			ck_assert(owg_prof_record_time(to[k_], id, t_, key_));           \
	} while (0)
#define ARM(id, arm)                                                             \
	for (int k_ = 0; k_ < 2 && to[k_]; k_++)                                 \
		ck_assert(owg_prof_record_arm(to[k_], id, arm))
#define ITEMS(id, n)                                                             \
	for (int k_ = 0; k_ < 2 && to[k_]; k_++)                                 \
		ck_assert(owg_prof_record_items(to[k_], id, n))
		TIME(1, 600e-6);
		TIME(2, 3e-3);
		uint64_t faces = splitmix(&seed) % 5;
		ITEMS(3, faces);
		for (uint64_t f = 0; f < faces; f++)
			TIME(4, 1.1e-3);
		uint32_t then = splitmix(&seed) % 100 < 15 ? 0 : 1;
		ARM(5, then);
		if (then == 0)
			TIME(6, 50e-6);
		uint32_t lang = (uint32_t)(splitmix(&seed) % 3);
		ARM(7, lang);
		if (lang == 0)
			TIME(8, 1e-3);
		uint64_t u = splitmix(&seed) % 10;
		ARM(9, u < 5 ? 0 : u < 8 ? 1 : OWG_NONE);
		for (uint32_t trip = 1;; trip++) {
			TIME(11, 1e-3);
			bool again = trip < 4 && splitmix(&seed) % 10 < 3;
			ARM(10, again ? 1 : 0);
			if (!again)
				break;
		}
		uint64_t steps = 1 + splitmix(&seed) % 5;
		ITEMS(12, steps);
		for (uint64_t s = 0; s < steps; s++)
			TIME(13, 2e-3);
		uint32_t taken = splitmix(&seed) % 10 == 0 ? 0 : 1;
		ARM(14, taken);
		if (taken == 1)
			TIME(15, 10e-6);
		for (int k = 0; k < 2 && to[k]; k++)
			ck_assert(owg_prof_end_request(to[k], count));
#undef TIME
#undef ARM
#undef ITEMS
	}
}

static owg_profile *recorded(const owg_graph *g, uint64_t seed, unsigned requests)
{
	owg_profile *p = owg_prof_new(g);
	simulate(p, NULL, seed, requests);
	return p;
}

/* --- the text form --- */

START_TEST(test_roundtrip)
{
	owg_graph *g = graph(wf_text);
	ck_assert_uint_eq(owg_ir_verify(g, NULL), 0);
	owg_profile *p = recorded(g, 1, 400);
	ck_assert_uint_eq(owg_prof_get(p, 13)->nsamples, OWG_PROF_K);
	ck_assert_uint_eq(owg_prof_get(p, 6)->nsamples, owg_prof_get(p, 6)->runs);
	char *s1 = write_str(p);
	char *msgs;
	owg_profile *q = read_msgs(s1, strlen(s1), &msgs);
	ck_assert_msg(q != NULL, "%s", msgs);
	char *s2 = write_str(q);
	ck_assert_str_eq(s1, s2);
	/* the reader keeps everything */
	ck_assert_uint_eq(q->requests, 400);
	ck_assert_uint_eq(q->shape, owg_ir_shape_hash(g));
	ck_assert_uint_eq(q->model, owg_ir_model_hash(g));
	ck_assert(owg_prof_bind(q, g, NULL));
	ck_assert(!q->stale);
	for (uint32_t id = 0; id < g->nodes.n; id++) {
		const owg_prof_entry *a = owg_prof_get(p, id), *b = owg_prof_get(q, id);
		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(a->name, b->name);
		ck_assert(a->runs == b->runs && a->count_sum == b->count_sum &&
			  a->count_sumsq == b->count_sumsq && a->items_sumsq == b->items_sumsq);
		ck_assert_uint_eq(a->narms, b->narms);
		for (uint32_t k = 0; k < a->nsamples; k++)
			ck_assert(memcmp(&a->samples[k], &b->samples[k], sizeof a->samples[k]) == 0);
	}
	/* the layout the header documents */
	ck_assert(strncmp(s1, "owgprof 1\nworkflow \"wf\" shape ", 30) == 0);
	ck_assert_ptr_nonnull(strstr(s1, "\nentry \"entry\" runs 400\n"));
	ck_assert_ptr_nonnull(strstr(s1, "\nend 16\n"));
	free(msgs);
	free(s1);
	free(s2);
	owg_prof_free(p);
	owg_prof_free(q);
	owg_ir_free(g);
}
END_TEST

/* Names with escapes, times at the edges of what a double holds. */
START_TEST(test_roundtrip_edges)
{
	static const char text[] = "owgir 1\n"
				   "workflow \"w \\\"q\\\" \\\\ \\t\\x01 caf\xc3\xa9\"\n"
				   "node %0 entry \"e\\n\" arms (seq)\n"
				   "node %1 tb \"\\x7f\xe2\x86\x92\" in %0.0 general peas 1 time 1s\n";
	owg_graph *g = graph(text);
	owg_profile *p = owg_prof_new(g);
	const double times[] = {0, 5e-324, 2.2250738585072014e-308, 1e-9, 0.1, 1.0 / 3,
				86400, 1.7976931348623157e308, 123456789.123456789, -0.0};
	for (size_t i = 0; i < sizeof times / sizeof *times; i++)
		ck_assert(owg_prof_record_time(p, 1, times[i], UINT64_MAX - i));
	ck_assert(owg_prof_record_time(p, 1, 3e-3, UINT64_MAX)); /* a tie on the key */
	uint64_t count[2] = {1, UINT64_MAX};
	ck_assert(owg_prof_end_request(p, count));
	char *s1 = write_str(p);
	char *msgs;
	owg_profile *q = read_msgs(s1, strlen(s1), &msgs);
	ck_assert_msg(q != NULL, "%s\n%s", msgs, s1);
	char *s2 = write_str(q);
	ck_assert_str_eq(s1, s2);
	ck_assert_str_eq(q->workflow, g->name);
	ck_assert(q->entries.v[1].count_sumsq == (owg_u128)UINT64_MAX * UINT64_MAX);
	ck_assert_ptr_nonnull(strstr(s1, " count 18446744073709551615 "
					 "340282366920938463426481119284349108225 samples 11 "));
	free(msgs);
	free(s1);
	free(s2);
	owg_prof_free(p);
	owg_prof_free(q);
	owg_ir_free(g);
}
END_TEST

/* --- recording --- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

START_TEST(test_bottom_k)
{
	owg_graph *g = graph(wf_text);
	owg_profile *p = owg_prof_new(g);
	enum { N = 20000 };
	uint64_t *keys = malloc(N * sizeof *keys), seed = 7;
	for (int i = 0; i < N; i++) {
		/* small keys: many ties, broken by the time */
		keys[i] = splitmix(&seed) % (i % 3 ? 100000 : 50);
		ck_assert(owg_prof_record_time(p, 1, (double)(keys[i] % 7) * 1e-3, keys[i]));
	}
	qsort(keys, N, sizeof *keys, cmp_u64);
	const owg_prof_entry *e = owg_prof_get(p, 1);
	ck_assert_uint_eq(e->runs, N);
	ck_assert_uint_eq(e->nsamples, OWG_PROF_K);
	for (int i = 0; i < OWG_PROF_K; i++) {
		ck_assert_uint_eq(e->samples[i].key, keys[i]);
		ck_assert(e->samples[i].time == (double)(keys[i] % 7) * 1e-3);
		if (i)
			ck_assert(e->samples[i - 1].key < e->samples[i].key ||
				  (e->samples[i - 1].key == e->samples[i].key &&
				   e->samples[i - 1].time <= e->samples[i].time));
	}
	free(keys);
	owg_prof_free(p);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_record_refuses)
{
	owg_graph *g = graph(wf_text);
	owg_profile *p = owg_prof_new(g);
	ck_assert(!owg_prof_record_time(p, 3, 1e-3, 1));        /* a CB */
	ck_assert(!owg_prof_record_time(p, 1, -1e-3, 1));       /* negative */
	ck_assert(!owg_prof_record_time(p, 1, 0.0 / 0.0, 1));   /* NaN */
	ck_assert(!owg_prof_record_time(p, 1, 1.0 / 0.0, 1));   /* inf */
	ck_assert(!owg_prof_record_time(p, 99, 1e-3, 1));       /* no such node */
	ck_assert(!owg_prof_record_arm(p, 5, 2));               /* branch has 2 arms */
	ck_assert(!owg_prof_record_arm(p, 7, OWG_NONE));        /* switch with a default */
	ck_assert(owg_prof_record_arm(p, 9, OWG_NONE));         /* switch without one */
	ck_assert(!owg_prof_record_arm(p, 3, 0));               /* a fork counts items */
	ck_assert(!owg_prof_record_items(p, 5, 3));             /* a branch has no items */
	ck_assert(!owg_prof_record_arm(p, 0, 1));               /* the entry has arm 0 only */
	ck_assert_uint_eq(owg_prof_get(p, 1)->runs, 0);
	ck_assert_uint_eq(owg_prof_get(p, 9)->runs, 1);
	ck_assert_ptr_null(owg_prof_get(p, 16));
	ck_assert_ptr_eq(owg_prof_find(p, "step"), owg_prof_get(p, 13));
	owg_prof_free(p);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_moments)
{
	double m, v;
	owg_prof_moments(3, 6, 12, &m, &v); /* 2, 2, 2 */
	ck_assert(m == 2 && v == 0);
	owg_prof_moments(4, 6, 14, &m, &v); /* 0, 1, 2, 3 */
	ck_assert(m == 1.5 && v == 1.25);
	owg_prof_moments(0, 0, 0, &m, &v);
	ck_assert(m == 0 && v == 0);
	/* n * sumsq beyond 128 bits */
	owg_prof_moments(UINT64_MAX, UINT64_MAX, (owg_u128)UINT64_MAX * 4, &m, &v);
	ck_assert(m == 1 && v >= 2.99 && v <= 3.01);
}
END_TEST

/* --- merge --- */

START_TEST(test_merge_laws)
{
	owg_graph *g = graph(wf_text);
	owg_profile *all = owg_prof_new(g);
	owg_profile *a = owg_prof_new(g), *b = owg_prof_new(g), *c = owg_prof_new(g);
	simulate(a, all, 11, 300);
	simulate(b, all, 22, 350);
	simulate(c, all, 33, 200);
	ck_assert_uint_eq(owg_prof_get(a, 1)->nsamples, OWG_PROF_K); /* more than K each */
	owg_profile *ab = owg_prof_merge(a, b, NULL), *ba = owg_prof_merge(b, a, NULL);
	owg_profile *bc = owg_prof_merge(b, c, NULL);
	ck_assert(ab && ba && bc);
	owg_profile *ab_c = owg_prof_merge(ab, c, NULL), *a_bc = owg_prof_merge(a, bc, NULL);
	ck_assert(ab_c && a_bc);
	char *s_ab = write_str(ab), *s_ba = write_str(ba);
	char *s_ab_c = write_str(ab_c), *s_a_bc = write_str(a_bc), *s_all = write_str(all);
	ck_assert_str_eq(s_ab, s_ba);
	ck_assert_str_eq(s_ab_c, s_a_bc);
	/* and the same as recording everything into one profile */
	ck_assert_str_eq(s_ab_c, s_all);
	ck_assert_uint_eq(ab_c->requests, 850);
	/* merging read-back files gives the same bytes */
	char *s_a = write_str(a), *s_b = write_str(b);
	owg_profile *ra = read_msgs(s_a, strlen(s_a), NULL), *rb = read_msgs(s_b, strlen(s_b), NULL);
	ck_assert(ra && rb);
	owg_profile *rab = owg_prof_merge(rb, ra, NULL);
	char *s_rab = write_str(rab);
	ck_assert_str_eq(s_rab, s_ab);
	/* a merged profile binds like a recorded one */
	ck_assert(owg_prof_bind(rab, g, NULL));
	ck_assert_uint_eq(owg_prof_get(rab, 10)->runs,
			  owg_prof_get(a, 10)->runs + owg_prof_get(b, 10)->runs);
	free(s_ab), free(s_ba), free(s_ab_c), free(s_a_bc), free(s_all), free(s_a), free(s_b),
		free(s_rab);
	owg_profile *ps[] = {all, a, b, c, ab, ba, bc, ab_c, a_bc, ra, rb, rab};
	for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
		owg_prof_free(ps[i]);
	owg_ir_free(g);
}
END_TEST

START_TEST(test_merge_refuses_shape)
{
	owg_graph *g = graph(wf_text);
	owg_graph *g2 = graph_edit("flow %2 -> %4 2KiB\n", "");
	owg_profile *a = recorded(g, 1, 3), *b = recorded(g2, 2, 3);
	char *s_a = write_str(a), *s_b = write_str(b);
	env e;
	env_init(&e);
	owg_profile *ra = env_read(&e, "a.owgprof", s_a, strlen(s_a));
	owg_profile *rb = env_read(&e, "b.owgprof", s_b, strlen(s_b));
	ck_assert(ra && rb);
	ck_assert_ptr_null(owg_prof_merge(ra, rb, e.diag));
	char *msgs = env_done(&e);
	ck_assert_msg(strstr(msgs, "b.owgprof:2:21: error: cannot merge profiles of different "
				   "versions of workflow 'wf' (structure changed)\n") != NULL,
		      "%s", msgs);
	ck_assert_msg(strstr(msgs, "a.owgprof:2:21: note: the other profile's shape") != NULL, "%s",
		      msgs);
	free(msgs);
	/* a profile of another workflow */
	owg_graph *g3 = graph_edit("workflow \"wf\"", "workflow \"other\"");
	owg_profile *c = recorded(g3, 3, 3);
	ck_assert_ptr_null(owg_prof_merge(a, c, NULL));
	/* an entry missing from one side (a damaged file with the right hash) */
	owg_profile *d = owg_prof_new(g);
	owg_prof_entry *x = owg_prof_find(d, "alert");
	x->name = "alert2";
	ck_assert_ptr_null(owg_prof_merge(a, d, NULL));
	ck_assert_ptr_null(owg_prof_merge(d, a, NULL));
	owg_profile *ps[] = {a, b, c, d, ra, rb};
	for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
		owg_prof_free(ps[i]);
	free(s_a);
	free(s_b);
	owg_ir_free(g);
	owg_ir_free(g2);
	owg_ir_free(g3);
}
END_TEST

/* --- bind --- */

/* Binds a profile read from text to graph h; returns the messages. */
static char *bind_msgs(const owg_graph *g, const owg_graph *h, bool expect_ok, bool *stale)
{
	owg_profile *p = recorded(g, 5, 3);
	char *s = write_str(p);
	env e;
	env_init(&e);
	owg_profile *q = env_read(&e, "p.owgprof", s, strlen(s));
	ck_assert_ptr_nonnull(q);
	ck_assert(owg_prof_bind(q, h, e.diag) == expect_ok);
	if (stale)
		*stale = q->stale;
	if (!expect_ok)
		ck_assert_ptr_null(owg_prof_get(q, 1));
	owg_prof_free(q);
	owg_prof_free(p);
	free(s);
	return env_done(&e);
}

START_TEST(test_bind)
{
	owg_graph *g = graph(wf_text);
	bool stale = true;
	char *m = bind_msgs(g, g, true, &stale);
	ck_assert_str_eq(m, "");
	ck_assert(!stale);
	free(m);

	owg_graph *other = graph_edit("workflow \"wf\"", "workflow \"other\"");
	m = bind_msgs(g, other, false, NULL);
	ck_assert_msg(strstr(m, "p.owgprof:2:10: error: this is a profile of workflow 'wf', not of "
				"'other'\n") != NULL,
		      "%s", m);
	free(m);

	owg_graph *renamed = graph_edit("\"alert\"", "\"alarm\"");
	m = bind_msgs(g, renamed, false, NULL);
	char want[200];
	snprintf(want, sizeof want,
		 "p.owgprof:2:21: error: this profile was recorded for a different version of "
		 "workflow 'wf' (structure changed; its shape is now %016llx)\n",
		 (unsigned long long)owg_ir_shape_hash(renamed));
	ck_assert_msg(strstr(m, want) != NULL, "%s", m);
	free(m);

	owg_graph *reprob = graph_edit("(then p 0.15) (else p 0.85)", "(then p 0.25) (else p 0.75)");
	ck_assert_uint_eq(owg_ir_shape_hash(reprob), owg_ir_shape_hash(g));
	m = bind_msgs(g, reprob, true, &stale);
	ck_assert(stale);
	ck_assert_msg(strstr(m, "p.owgprof:2:44: warning: stale profile: the models of workflow 'wf' "
				"changed since it was recorded; its measurements are used") != NULL,
		      "%s", m);
	free(m);
	owg_ir_free(g);
	owg_ir_free(other);
	owg_ir_free(renamed);
	owg_ir_free(reprob);
}
END_TEST

/* A forged file: right hashes, entries that do not fit the graph. */
START_TEST(test_bind_checks_entries)
{
	owg_graph *g = graph(wf_text);
	owg_profile *p = owg_prof_new(g);
	char *s = write_str(p);
	static const struct {
		const char *from, *to, *msg;
	} cases[] = {
		{"tb \"alert\" runs 0 count 0 0 samples 0", "entry \"alert\" runs 0",
		 "entry 'alert' does not match task %6 of the workflow"},
		{"tb \"alert\"", "tb \"alarm\"", "the profile has no entry for task 'alert'"},
		{"switch \"audit\" runs 0 case 0 case 0", "switch \"audit\" runs 0 case 0 default 0",
		 "entry 'audit' does not match switch %9 of the workflow"},
		{"end 16", "tb \"extra\" runs 0 count 0 0 samples 0\nend 17",
		 "the workflow has no task or control block 'extra'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *at = strstr(s, cases[i].from);
		ck_assert_msg(at != NULL, "%s", cases[i].from);
		size_t n = strlen(s) + strlen(cases[i].to) + 1;
		char *t = malloc(n);
		snprintf(t, n, "%.*s%s%s", (int)(at - s), s, cases[i].to, at + strlen(cases[i].from));
		env e;
		env_init(&e);
		owg_profile *q = env_read(&e, "p.owgprof", t, strlen(t));
		ck_assert_ptr_nonnull(q);
		ck_assert(!owg_prof_bind(q, g, e.diag));
		char *m = env_done(&e);
		ck_assert_msg(strstr(m, cases[i].msg) != NULL, "case %zu: %s", i, m);
		free(m);
		free(t);
		owg_prof_free(q);
	}
	free(s);
	owg_prof_free(p);
	owg_ir_free(g);
}
END_TEST

/* --- hashes --- */

START_TEST(test_hashes)
{
	owg_graph *g = graph(wf_text);
	uint64_t shape = owg_ir_shape_hash(g), model = owg_ir_model_hash(g);
	/* the same on every platform: these values are part of the format */
	ck_assert_msg(shape == 0xfbdea9cb1beb478cull, "shape %016llx", (unsigned long long)shape);
	ck_assert_msg(model == 0x1ef9ab6b6c740f59ull, "model %016llx", (unsigned long long)model);
	static const struct {
		const char *from, *to;
		bool shape, model;
	} edits[] = {
		{"time 600us", "time 700us", false, true},
		{"peas 4", "peas 5", false, true},
		{"(then p 0.15) (else p 0.85)", "(then) (else)", false, true},
		{"poisson(2.3)", "poisson(2.4)", false, true},
		{"max 4", "max 5", false, true},
		{"600KiB", "601KiB", false, true},
		{"pred (!%11.ok)", "pred %11.ok", false, true},
		{"\"alert\"", "\"alarm\"", true, false},
		{"ai peas 4", "general peas 4", true, false},
		{"(case 2 p 0.25)", "(case 3 p 0.25)", true, false},
		{"flow %1 -> %2", "flow %1 -> %4", true, false},
		{"in %12.0 ai", "in %0.0 ai", true, false},
		{"workflow \"wf\"", "workflow \"renamed\"", false, false},
	};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		owg_graph *h = graph_edit(edits[i].from, edits[i].to);
		ck_assert_msg((owg_ir_shape_hash(h) != shape) == edits[i].shape, "edit %zu shape", i);
		ck_assert_msg((owg_ir_model_hash(h) != model) == edits[i].model, "edit %zu model", i);
		owg_ir_free(h);
	}
	owg_ir_free(g);
}
END_TEST

/* --- hostile files --- */

START_TEST(test_truncations)
{
	owg_graph *g = graph(wf_text);
	owg_profile *p = recorded(g, 9, 2);
	char *s = write_str(p);
	size_t len = strlen(s);
	for (size_t n = 0; n < len; n++) {
		char *msgs;
		owg_profile *q = read_msgs(s, n, &msgs);
		ck_assert_msg(q == NULL, "a truncation to %zu bytes was read", n);
		ck_assert_msg(strstr(msgs, "error: ") != NULL, "no error for %zu bytes", n);
		free(msgs);
	}
	owg_profile *q = read_msgs(s, len, NULL);
	ck_assert_ptr_nonnull(q);
	owg_prof_free(q);
	free(s);
	owg_prof_free(p);
	owg_ir_free(g);
}
END_TEST

static const char good[] =
	"owgprof 1\n"
	"workflow \"w\" shape 0000000000000001 model 00000000000000ab requests 4\n"
	"entry \"entry\" runs 4\n"
	"tb \"a\" runs 3 count 3 3 samples 3 (1ms 0000000000000001) (2ms 0000000000000005) "
	"(1.5ms 00000000000000ff)\n"
	"branch \"b\" runs 4 then 1 else 3\n"
	"switch \"s\" runs 4 case 1 case 2 default 1\n"
	"switch \"n\" runs 4 case 1 case 2\n"
	"exit \"x\" runs 4 taken 1 cont 3\n"
	"while \"w\" runs 6 stop 4 repeat 2\n"
	"loop \"l\" runs 4 trips 8 20\n"
	"fork \"f\" runs 4 items 0 0\n"
	"end 9\n";

START_TEST(test_good_reads)
{
	char *msgs;
	owg_profile *p = read_msgs(good, strlen(good), &msgs);
	ck_assert_msg(p != NULL, "%s", msgs);
	char *s = write_str(p);
	ck_assert_str_eq(s, good);
	ck_assert_uint_eq(p->entries.n, 9);
	ck_assert(p->entries.v[3].has_default && !p->entries.v[4].has_default);
	ck_assert_uint_eq(p->model, 0xab);
	free(s);
	free(msgs);
	owg_prof_free(p);
	/* blank lines, comments and extra blanks are allowed */
	static const char loose[] = "; a comment\n\nowgprof 1 ; the version\n"
				    "workflow \"w\"  shape\t0000000000000001 model 00000000000000ab requests 0\n"
				    "\n"
				    "end 0\n"
				    "; done\n";
	p = read_msgs(loose, strlen(loose), &msgs);
	ck_assert_msg(p != NULL, "%s", msgs);
	free(msgs);
	owg_prof_free(p);
}
END_TEST

START_TEST(test_corruptions)
{
	static const struct {
		const char *from, *to, *msg;
	} cases[] = {
		{"owgprof 1", "owgprof 2",
		 "t.owgprof:1:9: error: unsupported profile version '2' (this owgprof reads version 1)"},
		{"owgprof 1", "owgir 1", "t.owgprof:1:1: error: not a profile: expected 'owgprof 1'"},
		{"then 1 else 3", "then 2 else 3",
		 "t.owgprof:5:19: error: arm counts add up to 5, not to the 4 runs"},
		{"case 1 case 2\n", "case 3 case 2\n", "arm counts add up to 5, more than the 4 runs"},
		{"stop 4 repeat 2", "stop 4 repeat 1", "arm counts add up to 5, not to the 6 runs"},
		{"default 1", "default 2", "arm counts add up to 5, not to the 4 runs"},
		{"samples 3", "samples 2",
		 "t.owgprof:4:33: error: 2 samples for 3 runs: a profile keeps min(runs, 256) = 3"},
		{"samples 3", "samples 257", "too many samples: 257 (a profile keeps at most 256)"},
		{"samples 3", "samples 4294967296", "a sample count too large (at most 4294967295)"},
		{"(1ms", "(nanms", "t.owgprof:4:36: error: expected a time (with a unit: s, ms, us, ns)"},
		{"(1ms", "(infs", "expected a time"},
		{"(1ms", "(1e999ms", "time out of range"},
		{"(1ms", "(-1ms", "negative time"},
		{"(1ms", "(1", "expected a time"},
		{"(1ms", "(01ms", "expected a time"},
		{"(1ms 0000000000000001)", "(1ms 0000000000000009)",
		 "t.owgprof:4:58: error: samples out of order: a profile lists them by increasing key"},
		{"0000000000000005)", "000000000000005)", "expected a sample key (16 lowercase hex digits)"},
		{"0000000000000005)", "000000000000000A)", "expected a sample key"},
		{"branch \"b\"", "branch \"a\"",
		 "t.owgprof:5:8: error: duplicate entry 'a'\n"},
		{"count 3 3", "count 3 2",
		 "error: inconsistent counts per request: the sum and sum of squares cannot come "
		 "from 4 requests"},
		{"count 3 3", "count 3 10", "inconsistent counts per request"},
		{"count 3 3", "count 9 20", "inconsistent counts per request"}, /* 81 > 4 * 20 */
		{"trips 8 20", "trips 8 15", "inconsistent trips per run"},
		{"items 0 0", "items 1 0", "inconsistent items per run"},
		{"requests 4", "requests 0", "cannot come from 0 requests"},
		{"runs 3", "runs 18446744073709551616",
		 "a run count too large (at most 18446744073709551615)"},
		{"runs 3", "runs 18446744073709551615", "samples for 18446744073709551615 runs"},
		{"count 3 3", "count 3 340282366920938463463374607431768211456",
		 "a count sum of squares too large (at most 340282366920938463463374607431768211455)"},
		{"runs 3", "runs 03", "leading zero in a run count"},
		{"runs 3", "runs -3", "expected a run count"},
		{"runs 3", "runs 3.0", "expected a run count"},
		{"end 9", "end 8", "t.owgprof:12:5: error: the profile says it has 8 entries, not 9"},
		{"end 9\n", "end 9\nentry \"z\" runs 0\n", "t.owgprof:13:1: error: text after the 'end' line"},
		{"end 9\n", "end 9", "missing newline at the end of the file: the profile is truncated"},
		{"end 9\n", "", "missing 'end' line: the profile is truncated"},
		{"runs 4\n", "runs 4 x\n", "t.owgprof:3:22: error: unexpected 'x' at the end of the line"},
		{"\n", "\r\n",
		 "t.owgprof:1:10: error: carriage return at the end of the line: profiles have '\\n' "
		 "line ends only (convert the file with dos2unix)"},
		{"\"b\"", "\"\xff\"", "t.owgprof:5:9: error: invalid UTF-8 byte 0xff in string"},
		{"\"b\"", "\"\xc0\x80\"", "invalid UTF-8 byte 0xc0 in string"},
		{"\"b\"", "\"\x01\"", "control character in string"},
		{"\"b\"", "\"\\x00\"", "NUL character in string"},
		{"\"b\"", "\"\\x41\"", "invalid escape sequence (write the character itself)"},
		{"\"b\"", "\"\\q\"", "invalid escape sequence"},
		{"\"b\"", "\"b", "unterminated string"},
		{"\"b\"", "b", "expected a name string"},
		{"shape 0000000000000001", "shape 000000000000000g",
		 "expected a shape hash (16 lowercase hex digits)"},
		{"shape", "shap", "expected 'shape', not 'shap'"},
		{" requests 4", "", "expected 'requests' before the end of the line"},
		{"workflow", "flow", "expected 'workflow' after 'owgprof 1'"},
		{"entry \"entry\"", "node \"entry\"",
		 "expected an entry (tb, entry, branch, switch, exit, while, loop, fork) or 'end', "
		 "not 'node'"},
		{"then 1", "than 1", "expected 'then', not 'than'"},
		{"case 1 case 2 default 1", "default 4", "expected 'case', not 'default'"},
		{"case 1 case 2 default 1", "case 3 default 1 case 2", "unexpected 'case' at the end"},
		{"items 0 0", "trips 0 0", "expected 'items', not 'trips'"},
		{"owgprof 1\n", "", "not a profile: expected 'owgprof 1'"},
		{"(2ms", "(2ms 0000000000000003) (2ms", "t.owgprof:4:104: error: unexpected '(' at the end of the line"},
	};
	size_t glen = strlen(good);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *at = strstr(good, cases[i].from);
		ck_assert_msg(at != NULL, "case %zu", i);
		size_t to_len = strlen(cases[i].to);
		size_t n = glen - strlen(cases[i].from) + to_len;
		char *t = malloc(n + 1);
		size_t pre = (size_t)(at - good);
		memcpy(t, good, pre);
		memcpy(t + pre, cases[i].to, to_len);
		strcpy(t + pre + to_len, at + strlen(cases[i].from));
		char *msgs;
		owg_profile *p = read_msgs(t, n, &msgs);
		ck_assert_msg(p == NULL, "case %zu was read:\n%.*s", i, (int)n, t);
		ck_assert_msg(strstr(msgs, cases[i].msg) != NULL, "case %zu: expected\n%s\ngot\n%s", i,
			      cases[i].msg, msgs);
		free(msgs);
		free(t);
	}
}
END_TEST

START_TEST(test_nul_byte)
{
	char t[sizeof good];
	memcpy(t, good, sizeof good);
	t[strstr(good, "\"entry\"") - good + 3] = '\0';
	char *msgs;
	ck_assert_ptr_null(read_msgs(t, sizeof good - 1, &msgs));
	ck_assert_msg(strstr(msgs, "t.owgprof:3:10: error: NUL byte in the profile") != NULL, "%s",
		      msgs);
	free(msgs);
}
END_TEST

/* Every error of a file is reported, each on its line. */
START_TEST(test_all_errors)
{
	static const char text[] =
		"owgprof 1\n"
		"workflow \"w\" shape 0000000000000001 model 0000000000000001 requests 1\n"
		"tb \"a\" runs 1 count 1 1 samples 0\n"
		"branch \"b\" runs 1 then 1 else 1\n"
		"fork \"f\" runs x items 0 0\n"
		"end 3\n";
	char *msgs;
	ck_assert_ptr_null(read_msgs(text, strlen(text), &msgs));
	ck_assert_msg(strstr(msgs, "t.owgprof:3:33: error: 0 samples for 1 runs") != NULL, "%s", msgs);
	ck_assert_msg(strstr(msgs, "t.owgprof:4:19: error: arm counts add up to 2") != NULL, "%s", msgs);
	ck_assert_msg(strstr(msgs, "t.owgprof:5:15: error: expected a run count") != NULL, "%s", msgs);
	free(msgs);
}
END_TEST

/* Random byte flips of a good file: an error or a profile, never a crash,
 * and what is read writes back as it reads. */
START_TEST(test_mutations)
{
	uint64_t seed = 99;
	size_t len = strlen(good);
	char *t = malloc(len);
	for (int round = 0; round < 3000; round++) {
		memcpy(t, good, len);
		for (int k = 0; k < 1 + round % 3; k++)
			t[splitmix(&seed) % len] = (char)(splitmix(&seed) % 256);
		owg_profile *p = read_msgs(t, len, NULL);
		if (!p)
			continue;
		char *s = write_str(p);
		owg_profile *q = read_msgs(s, strlen(s), NULL);
		ck_assert_msg(q != NULL, "written text does not read back:\n%s", s);
		char *s2 = write_str(q);
		ck_assert_str_eq(s, s2);
		free(s);
		free(s2);
		owg_prof_free(p);
		owg_prof_free(q);
	}
	free(t);
}
END_TEST

Suite *suite_profile(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_roundtrip_edges);
	tcase_add_test(tc, test_good_reads);
	tcase_add_test(tc, test_corruptions);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	tc = tcase_create("record");
	tcase_add_test(tc, test_bottom_k);
	tcase_add_test(tc, test_record_refuses);
	tcase_add_test(tc, test_moments);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_merge_laws);
	tcase_add_test(tc, test_merge_refuses_shape);
	suite_add_tcase(s, tc);
	tc = tcase_create("bind");
	tcase_add_test(tc, test_bind);
	tcase_add_test(tc, test_bind_checks_entries);
	tcase_add_test(tc, test_hashes);
	suite_add_tcase(s, tc);
	return s;
}
