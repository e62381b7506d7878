#include "config.h"

/* test_rtprofile.c - profiles recorded by libowgrt (runtime/owgrt_profile.c)
 * are owgc's: the hashes computed from a loaded program are owgc's
 * hashes of the graph it was compiled from, on every example; the same
 * events recorded through owgrt_profile_* and owg_prof_record_* give the
 * same bytes; the file reads back and binds to the graph; a write that
 * fails says why and leaves nothing behind. */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "fabric.h"
#include "owgp_write.h"
#include "pass.h"
#include "profile.h"
#include "unit.h"
#include "../runtime/owgrt.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

/* The cases, found when the suite is made: wf_text below, then every
 * tests/golden/\*.owgir (unplaced), then every examples/\*.owg (placed
 * as owgc places it). */
enum { MAX_CASES = 64 };
static char *case_path[MAX_CASES];
static bool case_placed[MAX_CASES];
static int ncases = 1;

/* Every control kind: switches with and without a default, both loop
 * kinds, a fork counted by a task output, an exit; names that need the
 * text form's escapes. */
static const char wf_text[] =
	"owgir 1\n"
	"workflow \"w\\\"f\\\\1\"\n"
	"node %0 entry \"entry\" arms (seq)\n"
	"node %1 tb \"de\\tcode\" in %0.0 general peas 1 time 600us\n"
	"node %2 tb \"detect\" in %0.0 ai peas 4 time normal(3ms, 900us) out faces:i64\n"
	"node %3 fork \"faces\" in %0.0 count poisson(2.3) of %2.faces arms (item)\n"
	"node %4 tb \"embed \\\"x\\\"\" in %3.0 ai peas 2 time meansd(1.1ms, 200us) kernel \"emb_k\"\n"
	"node %5 branch \"if0\" in %0.0 arms (then p 0.15) (else p 0.85)\n"
	"node %6 tb \"alert\" in %5.0 general peas 1 time empirical(1ms, 2ms, 2ms, 5ms)\n"
	"node %7 switch \"lang\" in %0.0 arms (case 1 p 0.5) (case 2 p 0.25) (default p 0.25)\n"
	"node %8 tb \"en\" in %7.0 general peas 1 time 1ms config 4KiB\n"
	"node %9 switch \"audit\" in %0.0 pred %2.faces arms (case 1 p 0.5) (case -2.5)\n"
	"node %10 loop \"retry\" in %0.0 while pred ((!%11.ok) && (%2.faces > 1)) max 4 arms (body) (repeat p 0.3)\n"
	"node %11 tb \"check\" in %10.0 general peas 1 time exponential(1ms) out ok:bool\n"
	"node %12 loop \"steps\" in %0.0 trips uniform(1, 5) arms (body) (repeat)\n"
	"node %13 tb \"step\" in %12.0 ai peas 8 time lognormal(2ms, 0.3)\n"
	"node %14 exit \"early\" in %0.0 arms (taken p 0.1) (cont p 0.9)\n"
	"node %15 tb \"last\" in %14.1 general peas 1 time 10us\n"
	"flow %1 -> %2 600KiB\n"
	"flow %2 -> %4 2KiB\n";

static owg_graph *graph;       /* the graph the program was written from */
static owgrt_program *prog;    /* ... and loaded back */
static uint64_t shape0, model0; /* the front end's hashes, before any pass */
static compiled cc;

static void teardown(void)
{
	owgrt_program_free(prog);
	prog = NULL;
	if (cc.g) {
		compiled_free(&cc);
		memset(&cc, 0, sizeof cc);
	} else {
		owg_ir_free(graph);
	}
	graph = NULL;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Writes graph as a .owgp and loads it, as owgrun does. */
static void write_and_load(void)
{
	char err[512];
	prog = load_placed(graph, err, sizeof err);
	ck_assert_msg(prog != NULL, "%s", err);
}

/* wf_text, unplaced. */
static void load_wf(void)
{
	graph = owg_ir_read(wf_text, strlen(wf_text), OWG_NOFILE, NULL);
	ck_assert_ptr_nonnull(graph);
	shape0 = owg_ir_shape_hash(graph);
	model0 = owg_ir_model_hash(graph);
	write_and_load();
}

/* File `path` compiled as owgc does, its hashes taken after the front
 * end (`owgc --profile-use` binds a profile to the front end's graph);
 * when `placed`, through every pass onto the default fabric. */
static void load_file(const char *path, bool placed)
{
	cc = compile_file(path);
	ck_assert_msg(cc.g != NULL, "%s: front end failed:\n%s", path, cc.diags);
	graph = cc.g;
	shape0 = owg_ir_shape_hash(graph);
	model0 = owg_ir_model_hash(graph);
	if (placed)
		ck_assert_msg(place_graph(graph, "default", 0), "%s: the passes failed", path);
	write_and_load();
}

static void load_case(int i)
{
	if (i == 0)
		load_wf();
	else
		load_file(case_path[i], case_placed[i]);
}

/* Adds dir's files ending in ext, sorted, to the cases. */
static void find_cases(const char *dir, const char *ext, bool placed)
{
	char *names[MAX_CASES];
	int n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return; /* the test of the case count fails */
	struct dirent *de;
	size_t el = strlen(ext);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > el && !strcmp(de->d_name + len - el, ext) && ncases + n < MAX_CASES)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		case_path[ncases] = malloc(len);
		snprintf(case_path[ncases], len, "%s/%s", dir, names[i]);
		case_placed[ncases++] = placed;
		free(names[i]);
	}
}

/* --- hashes --- */

START_TEST(test_hashes)
{
	load_case(_i);
	ck_assert_uint_eq(owgrt_shape_hash(prog), shape0);
	ck_assert_uint_eq(owgrt_model_hash(prog), model0);
	/* the passes annotate; they change neither hash */
	ck_assert_uint_eq(owg_ir_shape_hash(graph), shape0);
	ck_assert_uint_eq(owg_ir_model_hash(graph), model0);
}
END_TEST

/* Each hash sees what it covers: a model edit changes the model hash
 * only, a structural edit the shape hash, on both sides alike. */
START_TEST(test_hash_edits)
{
	static const struct {
		const char *from, *to;
		bool shape;
	} edits[] = {
		{"time 600us", "time 601us", false},
		{"(then p 0.15) (else p 0.85)", "(then p 0.2) (else p 0.8)", false},
		{"max 4", "max 5", false},
		{"> 1))", "> 2))", false},
		{"poisson(2.3)", "poisson(2.4)", false},
		{"kernel \"emb_k\"", "kernel \"emb_q\"", false},
		{"600KiB", "601KiB", false},
		{"case -2.5", "case 3", true},
		{"\"last\"", "\"final\"", true},
		{"ai peas 8", "general peas 8", true},
	};
	for (size_t k = 0; k < sizeof edits / sizeof *edits; k++) {
		const char *at = strstr(wf_text, edits[k].from);
		ck_assert_ptr_nonnull(at);
		char text[4096];
		snprintf(text, sizeof text, "%.*s%s%s", (int)(at - wf_text), wf_text, edits[k].to,
			 at + strlen(edits[k].from));
		graph = owg_ir_read(text, strlen(text), OWG_NOFILE, NULL);
		ck_assert_msg(graph != NULL, "edit %zu does not read", k);
		write_and_load();
		ck_assert_uint_eq(owgrt_shape_hash(prog), owg_ir_shape_hash(graph));
		ck_assert_uint_eq(owgrt_model_hash(prog), owg_ir_model_hash(graph));
		owg_graph *base = owg_ir_read(wf_text, strlen(wf_text), OWG_NOFILE, NULL);
		ck_assert_msg((owgrt_shape_hash(prog) != owg_ir_shape_hash(base)) == edits[k].shape,
			      "edit %zu", k);
		if (!edits[k].shape)
			ck_assert_msg(owgrt_model_hash(prog) != owg_ir_model_hash(base), "edit %zu", k);
		owg_ir_free(base);
		teardown();
	}
}
END_TEST

/* --- the same events, the same bytes --- */

/* A time of any magnitude (0, sub-nanosecond to hours, round and full
 * precision), for the time formatting. */
static double any_time(uint64_t *rs)
{
	uint64_t r = splitmix(rs);
	double u = (double)(r >> 11) * 0x1p-53;
	switch (r & 7) {
	case 0:
		return 0;
	case 1:
		return (double)(r % 1000) * 1e-6; /* whole microseconds */
	case 2:
		return u * 1e-9;
	case 3:
		return u * 1e-12;
	case 4:
		return u * 7200;
	default:
		return u * 0.01;
	}
}

typedef struct pair {
	owg_profile *owg;
	owgrt_profile *rt;
	uint64_t rs, last_key;
} pair;

static void rec_time(pair *p, uint32_t id)
{
	double t = any_time(&p->rs);
	/* now and then a key again: ties are broken by the time */
	uint64_t key = splitmix(&p->rs) % 16 == 0 ? p->last_key : splitmix(&p->rs);
	p->last_key = key;
	ck_assert(owg_prof_record_time(p->owg, id, t, key));
	ck_assert_int_eq(owgrt_profile_time(p->rt, id, t, key), OWGRT_OK);
}

/* A while loop that ran `trips`: owgc records every test; the runtime
 * the trips at once or test by test. */
static void rec_while(pair *p, uint32_t id, uint64_t trips)
{
	bool by_test = splitmix(&p->rs) & 1;
	for (uint64_t k = 0; k < trips; k++) {
		uint32_t arm = k + 1 < trips ? 1 : 0;
		ck_assert(owg_prof_record_arm(p->owg, id, arm));
		if (by_test)
			ck_assert_int_eq(owgrt_profile_arm(p->rt, id, arm), OWGRT_OK);
	}
	if (!by_test)
		ck_assert_int_eq(owgrt_profile_items(p->rt, id, trips), OWGRT_OK);
}

/* One decision of control node id. */
static void rec_control(pair *p, const owg_node *n, uint32_t id)
{
	uint64_t r = splitmix(&p->rs);
	if (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE) {
		rec_while(p, id, 1 + r % 5);
	} else if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
		uint64_t items = r % 7 == 0 ? r >> 40 : r % 6;
		ck_assert(owg_prof_record_items(p->owg, id, items));
		ck_assert_int_eq(owgrt_profile_items(p->rt, id, items), OWGRT_OK);
	} else {
		uint32_t arm = (uint32_t)(r % (n->narms + 1));
		bool dflt = n->arms[n->narms - 1].kind == OWG_ARM_DEFAULT;
		if (arm == n->narms)
			arm = n->cb_kind == OWG_CB_SWITCH && !dflt ? OWG_NONE : 0;
		ck_assert(owg_prof_record_arm(p->owg, id, arm));
		ck_assert_int_eq(owgrt_profile_arm(p->rt, id, arm), OWGRT_OK);
	}
}

/* One made-up request: every node runs 0-3 times (the first task ~300
 * times, beyond the sample size), with events in both recorders. */
static void rec_request(pair *p, uint32_t first_task)
{
	size_t nn = graph->nodes.n;
	uint64_t *count = calloc(nn, sizeof *count);
	uint32_t *execs = calloc(nn, sizeof *execs);
	ck_assert(count && execs);
	ck_assert(owg_prof_record_arm(p->owg, 0, 0));
	count[0] = execs[0] = 1;
	for (uint32_t id = 1; id < nn; id++) {
		const owg_node *n = &graph->nodes.v[id];
		uint64_t c = id == first_task ? 250 + splitmix(&p->rs) % 100 : splitmix(&p->rs) % 4;
		for (uint64_t k = 0; k < c; k++) {
			if (n->kind == OWG_NODE_TB)
				rec_time(p, id);
			else
				rec_control(p, n, id);
		}
		count[id] = execs[id] = (uint32_t)c;
	}
	ck_assert(owg_prof_end_request(p->owg, count));
	ck_assert_int_eq(owgrt_profile_request(p->rt, execs), OWGRT_OK);
	free(count);
	free(execs);
}

static char *owg_text(const owg_profile *p, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	ck_assert_ptr_nonnull(m);
	ck_assert(owg_prof_write(p, m));
	ck_assert_int_eq(fclose(m), 0);
	return buf;
}

static char *rt_text(const owgrt_profile *pr, size_t *len)
{
	char *text;
	ck_assert_int_eq(owgrt_profile_text(pr, &text, len), OWGRT_OK);
	ck_assert_uint_eq(strlen(text), *len);
	return text;
}

static uint32_t first_task(void)
{
	for (uint32_t id = 0; id < graph->nodes.n; id++)
		if (graph->nodes.v[id].kind == OWG_NODE_TB)
			return id;
	return OWG_NONE;
}

static pair record(unsigned requests, uint64_t seed)
{
	pair p = {owg_prof_new(graph), owgrt_profile_new(prog), seed, 0};
	ck_assert_ptr_nonnull(p.rt);
	uint32_t ft = first_task();
	for (unsigned r = 0; r < requests; r++)
		rec_request(&p, ft);
	return p;
}

static void assert_same_text(const owg_profile *owg, const owgrt_profile *rt)
{
	size_t la, lb;
	char *a = owg_text(owg, &la), *b = rt_text(rt, &lb);
	ck_assert_msg(la == lb && memcmp(a, b, la) == 0, "owgc wrote:\n%s\nlibowgrt wrote:\n%s", a, b);
	free(a);
	free(b);
}

START_TEST(test_same_bytes)
{
	load_case(_i);
	/* empty, then after a few requests, then after many */
	pair p = record(0, 1);
	assert_same_text(p.owg, p.rt);
	for (int round = 0; round < 2; round++) {
		uint32_t ft = first_task();
		for (unsigned r = 0; r < (round ? 40u : 3u); r++)
			rec_request(&p, ft);
		assert_same_text(p.owg, p.rt);
	}
	owg_prof_free(p.owg);
	owgrt_profile_free(p.rt);
}
END_TEST

START_TEST(test_sample_size)
{
	ck_assert_int_eq(OWGRT_PROFILE_K, OWG_PROF_K);
	/* wf_text, three golden IR files, six examples at least */
	ck_assert_int_ge(ncases, 10);
}
END_TEST

/* --- the file: written, read back, bound --- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/owg-rtprofile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		buf = realloc(buf, cap = 2 * cap + 4096);
		ck_assert_ptr_nonnull(buf);
		size_t got = fread(buf + *len, 1, cap - *len - 1, f);
		*len += got;
		if (got == 0)
			break;
	}
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* The entries of tmpdir, sorted names separated by spaces. */
static char *dir_listing(void)
{
	DIR *d = opendir(tmpdir);
	ck_assert_ptr_nonnull(d);
	char *names[64];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && n < 64)
			names[n++] = strdup(de->d_name);
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	char *out = calloc(1, 64 * 300);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
		free(names[i]);
	}
	return out;
}

static void rm_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	struct dirent *de;
	char path[512];
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
		if (rmdir(path) != 0)
			unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

/* The file on disk is the text, owg_prof_read takes it without a word,
 * owg_prof_bind binds it to the front end's graph (not stale), and a
 * second write replaces the first. */
START_TEST(test_file_reads_and_binds)
{
	load_case(_i);
	make_tmpdir();
	char path[128], err[512];
	snprintf(path, sizeof path, "%s/wf.owgprof", tmpdir);
	pair p = record(20, 7 + (uint64_t)_i);
	for (int pass = 0; pass < 2; pass++) {
		ck_assert_msg(owgrt_profile_write_file(p.rt, path, err, sizeof err) == OWGRT_OK, "%s", err);
		ck_assert_str_eq(err, "");
		size_t len, tlen;
		char *file = slurp(path, &len), *text = rt_text(p.rt, &tlen);
		ck_assert(len == tlen && memcmp(file, text, len) == 0);
		free(text);

		owg_srcmgr sm;
		owg_src_init(&sm);
		char *msgs = NULL;
		size_t mlen = 0;
		FILE *out = open_memstream(&msgs, &mlen);
		owg_diag *d = owg_diag_new(&sm, out);
		uint32_t fid = owg_src_add(&sm, path, file, len);
		owg_profile *back = owg_prof_read(file, len, fid, d);
		ck_assert_ptr_nonnull(back);
		ck_assert(owg_prof_bind(back, graph, d));
		ck_assert(!back->stale);
		ck_assert_uint_eq(back->requests, 20u + (unsigned)pass);
		size_t blen;
		char *again = owg_text(back, &blen); /* write -> read -> write */
		ck_assert(blen == len && memcmp(again, file, len) == 0);
		free(again);
		owg_prof_free(back);
		owg_diag_free(d);
		fclose(out);
		ck_assert_msg(mlen == 0, "diagnostics:\n%s", msgs);
		free(msgs);
		owg_src_free(&sm);
		free(file);
		rec_request(&p, first_task());
	}
	char *ls = dir_listing();
	ck_assert_str_eq(ls, "wf.owgprof"); /* no temporary file left */
	free(ls);
	rm_tmpdir();
	owg_prof_free(p.owg);
	owgrt_profile_free(p.rt);
}
END_TEST

/* A directory that does not exist, a directory in the way of the rename:
 * OWGRT_EIO with the path and the reason, and no temporary file. */
START_TEST(test_write_failures)
{
	load_wf();
	make_tmpdir();
	owgrt_profile *pr = owgrt_profile_new(prog);
	ck_assert_ptr_nonnull(pr);
	char path[160], err[512], want[400];

	snprintf(path, sizeof path, "%s/no/such/dir/wf.owgprof", tmpdir);
	ck_assert_int_eq(owgrt_profile_write_file(pr, path, err, sizeof err), OWGRT_EIO);
	snprintf(want, sizeof want, "%s: cannot create a temporary file next to it: No such file or directory",
		 path);
	ck_assert_str_eq(err, want);

	snprintf(path, sizeof path, "%s/sub", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(owgrt_profile_write_file(pr, path, err, sizeof err), OWGRT_EIO);
	snprintf(want, sizeof want, "%s: cannot rename the temporary file into place: Is a directory", path);
	ck_assert_str_eq(err, want);
	char *ls = dir_listing();
	ck_assert_str_eq(ls, "sub"); /* the temporary file was removed */
	free(ls);

	/* a small err buffer is cut and terminated */
	char small[8];
	ck_assert_int_eq(owgrt_profile_write_file(pr, path, small, sizeof small), OWGRT_EIO);
	ck_assert_uint_eq(strlen(small), sizeof small - 1);
	ck_assert_int_eq(owgrt_profile_write_file(pr, path, NULL, 0), OWGRT_EIO);

	ck_assert_int_eq(owgrt_profile_write_file(pr, "", err, sizeof err), OWGRT_EINVAL);
	ck_assert_str_eq(err, "owgrt_profile_write_file: no path");
	ck_assert_int_eq(owgrt_profile_write_file(NULL, path, err, sizeof err), OWGRT_EINVAL);
	ck_assert_str_eq(err, "owgrt_profile_write_file: no profile");

	/* a device is written in place, not replaced */
	ck_assert_int_eq(owgrt_profile_write_file(pr, "/dev/null", err, sizeof err), OWGRT_OK);
	struct stat st;
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));

	owgrt_profile_free(pr);
	rm_tmpdir();
}
END_TEST

/* Events a node does not take are refused and change nothing. */
START_TEST(test_refused_events)
{
	load_wf();
	owgrt_profile *pr = owgrt_profile_new(prog);
	ck_assert_ptr_nonnull(pr);
	size_t l0, l1;
	char *before = rt_text(pr, &l0);
	/* node ids of wf_text: 0 entry, 1 task, 3 fork, 5 branch, 7 switch
	 * with a default, 9 without, 10 while, 12 count loop, 14 exit */
	ck_assert_int_eq(owgrt_profile_time(pr, 5, 1e-3, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_time(pr, 1, -1e-3, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_time(pr, 1, NAN, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_time(pr, 1, INFINITY, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_time(pr, 16, 1e-3, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_time(NULL, 1, 1e-3, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 0, 0), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 1, 0), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 3, 0), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 5, 2), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 5, OWGRT_NONE), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 7, 3), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 7, OWGRT_NONE), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 9, 2), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 12, 0), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_arm(pr, 14, 2), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_items(pr, 5, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_items(pr, 1, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_items(pr, 0, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_items(pr, 10, 0), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_items(pr, 99, 1), OWGRT_EINVAL);
	ck_assert_int_eq(owgrt_profile_request(pr, NULL), OWGRT_EINVAL);
	char *after = rt_text(pr, &l1);
	ck_assert_str_eq(after, before);
	free(after);

	/* and what they take is counted */
	ck_assert_int_eq(owgrt_profile_arm(pr, 9, OWGRT_NONE), OWGRT_OK);
	ck_assert_int_eq(owgrt_profile_items(pr, 12, 0), OWGRT_OK);
	ck_assert_int_eq(owgrt_profile_items(pr, 10, 3), OWGRT_OK);
	ck_assert_int_eq(owgrt_profile_time(pr, 1, 0.0, 5), OWGRT_OK);
	ck_assert_int_eq(owgrt_profile_time(pr, 1, -0.0, 5), OWGRT_OK);
	after = rt_text(pr, &l1);
	ck_assert_ptr_nonnull(strstr(after, "\nswitch \"audit\" runs 1 case 0 case 0\n"));
	ck_assert_ptr_nonnull(strstr(after, "\nloop \"steps\" runs 1 trips 0 0\n"));
	ck_assert_ptr_nonnull(strstr(after, "\nwhile \"retry\" runs 3 stop 1 repeat 2\n"));
	ck_assert_ptr_nonnull(
		strstr(after, "\ntb \"de\\tcode\" runs 2 count 0 0 samples 2 (0s 0000000000000005) "
			      "(0s 0000000000000005)\n"));
	free(after);
	free(before);

	char *text = (char *)1;
	size_t len = 1;
	ck_assert_int_eq(owgrt_profile_text(NULL, &text, &len), OWGRT_EINVAL);
	ck_assert_ptr_null(text);
	ck_assert_ptr_null(owgrt_profile_new(NULL));
	owgrt_profile_free(NULL);
	owgrt_profile_free(pr);
}
END_TEST

Suite *suite_rtprofile(void)
{
	Suite *s = suite_create("rtprofile");
	if (ncases == 1) {
		find_cases(TOP_SRCDIR "/tests/golden", ".owgir", false);
		find_cases(TOP_SRCDIR "/examples", ".owg", true);
	}
	TCase *tc = tcase_create("rtprofile");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hashes, 0, ncases);
	tcase_add_test(tc, test_hash_edits);
	tcase_add_loop_test(tc, test_same_bytes, 0, ncases);
	tcase_add_test(tc, test_sample_size);
	tcase_add_loop_test(tc, test_file_reads_and_binds, 0, ncases);
	tcase_add_test(tc, test_write_failures);
	tcase_add_test(tc, test_refused_events);
	suite_add_tcase(s, tc);
	return s;
}
