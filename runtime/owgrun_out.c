/* owgrun_out.c - see owgrun_out.h. */
#include "config.h"

#include "owgrun_out.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "owgrt_mesh.h"

/* ------------------------------------------------------------ files */

static void set_err(char *err, size_t n, const char *what, int e)
{
	if (err && n)
		snprintf(err, n, "%s: %s", what, strerror(e ? e : EIO));
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	return d ? memcpy(d, s, n) : NULL;
}

FILE *owgrun_file_open(owgrun_file *o, const char *path, char *err, size_t err_size)
{
	memset(o, 0, sizeof *o);
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return o->f;
	}
	/* A device or a pipe cannot be replaced by a rename: write in place. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "w");
		if (!o->f)
			set_err(err, err_size, path, errno);
		o->direct = o->f != NULL;
		return o->f;
	}
	o->path = dup_str(path);
	o->tmp = malloc(strlen(path) + 16);
	if (!o->path || !o->tmp) {
		set_err(err, err_size, path, ENOMEM);
		owgrun_file_abort(o);
		return NULL;
	}
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		set_err(err, err_size, path, errno);
		free(o->tmp);
		o->tmp = NULL;
		owgrun_file_abort(o);
		return NULL;
	}
	/* mkstemp makes the file 0600; outputs get the usual 0666 & ~umask */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		set_err(err, err_size, path, errno);
		close(fd);
		owgrun_file_abort(o);
	}
	return o->f;
}

bool owgrun_file_commit(owgrun_file *o, char *err, size_t err_size)
{
	const char *what = o->path ? o->path : "standard output";
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	int e = errno;
	if ((o->tmp || o->direct) && fclose(o->f) != 0 && ok) {
		ok = false;
		e = errno;
	}
	o->f = NULL;
	if (ok && o->tmp && rename(o->tmp, o->path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		set_err(err, err_size, what, e);
		owgrun_file_abort(o);
		return false;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return true;
}

void owgrun_file_abort(owgrun_file *o)
{
	if (o->f && (o->tmp || o->direct))
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

/* ------------------------------------------------------------- JSON */

void owgrun_json_string(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*c < 0x20)
				fprintf(f, "\\u%04x", *c);
			else
				putc(*c, f);
		}
	}
	putc('"', f);
}

void owgrun_json_number(FILE *f, double x)
{
	if (!isfinite(x)) {
		fputs("null", f);
		return;
	}
	if (x == 0) { /* and -0, which JSON readers may keep as a float */
		putc('0', f);
		return;
	}
	char buf[40];
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	/* %g turns to an exponent when the integer digits exceed the
	 * precision: 10 would read "1e+01" */
	double digits = fabs(x) >= 1 ? floor(log10(fabs(x))) + 1 : 0;
	if (digits > prec && digits <= 17)
		prec = (int)digits;
	snprintf(buf, sizeof buf, "%.*g", prec, x);
	fputs(buf, f);
}

static void json_key(FILE *f, const char *key, bool *first)
{
	fputs(*first ? "" : ", ", f);
	*first = false;
	owgrun_json_string(f, key);
	fputs(": ", f);
}

static void json_num(FILE *f, const char *key, double x, bool *first)
{
	json_key(f, key, first);
	owgrun_json_number(f, x);
}

static void json_u64(FILE *f, const char *key, uint64_t x, bool *first)
{
	json_key(f, key, first);
	fprintf(f, "%llu", (unsigned long long)x);
}

static void json_str(FILE *f, const char *key, const char *s, bool *first)
{
	json_key(f, key, first);
	if (s)
		owgrun_json_string(f, s);
	else
		fputs("null", f);
}

/* ------------------------------------------------------ human units */

/* A duration with a unit people read. */
static const char *dur(char *buf, size_t n, double s)
{
	if (s >= 1 || s == 0)
		snprintf(buf, n, "%.4g s", s);
	else if (s >= 1e-3)
		snprintf(buf, n, "%.4g ms", s * 1e3);
	else if (s >= 1e-6)
		snprintf(buf, n, "%.4g us", s * 1e6);
	else
		snprintf(buf, n, "%.4g ns", s * 1e9);
	return buf;
}

/* Bytes in binary units, as owg(5) writes sizes. */
static const char *bytes(char *buf, size_t n, double b)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int u = 0;
	while (b >= 1024 && u < 5) {
		b /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.4g %s" : "%.0f %s", b, unit[u]);
	return buf;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* ----------------------------------------------------- the summary */

/* "octopus without proactive, diffusion", "reactive (threshold 2, ...)". */
static void describe_policy(char *buf, size_t n, const owgrt_sim_opts *o, owgrt_policy pol)
{
	const owgrt_tuning *t = &o->tuning;
	switch (pol) {
	case OWGRT_POLICY_REACTIVE:
		snprintf(buf, n, "reactive (threshold %g, cooldown %g)", t->reactive_threshold, t->reactive_cooldown);
		return;
	case OWGRT_POLICY_STEAL:
		snprintf(buf, n, "steal (%u hops)", (unsigned)t->steal_hops);
		return;
	case OWGRT_POLICY_OCTOPUS:
		break;
	default:
		snprintf(buf, n, "%s", owgrt_policy_name(pol));
		return;
	}
	static const char *const mech[] = {"discriminate", "adaptive", "proactive", "diffusion"};
	size_t k = (size_t)snprintf(buf, n, "octopus");
	const char *sep = " without ";
	for (int i = 0; i < 4 && k < n; i++)
		if (!(o->octopus & (1u << i))) {
			k += (size_t)snprintf(buf + k, n - k, "%s%s", sep, mech[i]);
			sep = ", ";
		}
	if ((o->octopus & OWGRT_OCTO_DIFFUSION) && k < n)
		snprintf(buf + k, n - k, " (diffusion margin %g)", t->diffusion_margin);
}

static void print_phases(FILE *f, const owgrun_setup *s)
{
	if (!s->phases)
		return;
	fprintf(f, "phases from %s:", s->phases_path ? s->phases_path : "?");
	for (uint32_t i = 0; i < s->phases->n; i++) {
		if (i == 6) {
			fprintf(f, " ... (%u phases)", (unsigned)s->phases->n);
			break;
		}
		fprintf(f, "%s %s (%.4g%%)", i ? "," : "", s->phases->v[i].name, 100 * s->phases->v[i].share);
	}
	putc('\n', f);
}

static void print_faults(FILE *f, const owgrun_setup *s)
{
	const owgrt_sim_opts *o = s->o;
	if (!o->nfaults)
		return;
	uint32_t w = s->p->plan->width, mid = 0;
	for (uint32_t i = 0; i < o->nfaults; i++)
		mid += o->faults[i].at_half;
	if (o->nfaults > 4) {
		fprintf(f, "faults: %u PEAs fail (%u mid-run, %u at set times)\n", (unsigned)o->nfaults, (unsigned)mid,
			(unsigned)(o->nfaults - mid));
		return;
	}
	fputs("faults:", f);
	for (uint32_t i = 0; i < o->nfaults; i++) {
		const owgrt_fault *x = &o->faults[i];
		char t[32];
		fprintf(f, "%s PEA %u (%u,%u) %s%s", i ? "," : "", (unsigned)x->pea, (unsigned)(x->pea % w),
			(unsigned)(x->pea / w), x->at_half ? "mid-run" : "at ", x->at_half ? "" : dur(t, sizeof t, x->time));
	}
	putc('\n', f);
}

/* The run's name (policy: its description, or NULL for every policy),
 * its workload and its faults. */
static void print_header(FILE *f, const owgrun_setup *s, const owgrt_sim_stats *st, const char *policy)
{
	const owgrt_fabric *fab = s->p->plan->fabric;
	fprintf(f, "workflow %s on fabric %s (%u usable PEAs), %s%s, seed %llu\n", s->p->name,
		fab->name ? fab->name : "?", (unsigned)st->peas, policy ? "policy " : "every policy", policy ? policy : "",
		(unsigned long long)s->o->seed);
	if (s->o->rate > 0)
		fprintf(f, "%llu requests at %.6g per second (Poisson arrivals)\n", (unsigned long long)st->requests,
			s->o->rate);
	else
		fprintf(f, "%llu requests, all at time 0\n", (unsigned long long)st->requests);
	print_phases(f, s);
	print_faults(f, s);
}

void owgrun_print_summary(FILE *f, const owgrun_setup *s, const owgrun_run *r)
{
	const owgrt_sim_stats *st = &r->st;
	char a[32], b[32], c[32], d[32], pol[160];
	describe_policy(pol, sizeof pol, s->o, r->policy);
	print_header(f, s, st, pol);
	putc('\n', f);
	fprintf(f, "  makespan        %s\n", dur(a, sizeof a, st->makespan));
	fprintf(f, "  LB              %s\n", dur(a, sizeof a, st->lb));
	fprintf(f, "  makespan / LB   %.4f\n", ratio(st->makespan, st->lb));
	fprintf(f, "  throughput      %.6g requests/s\n", st->throughput);
	fprintf(f, "  latency         mean %s, p50 %s, p95 %s, p99 %s\n", dur(a, sizeof a, st->latency_mean),
		dur(b, sizeof b, st->latency_p50), dur(c, sizeof c, st->latency_p95), dur(d, sizeof d, st->latency_p99));
	fprintf(f, "  utilisation     %.1f%%\n", 100 * st->utilisation);
	fprintf(f, "  idle w/ backlog %.1f%% (%.4g PEA-s)\n", 100 * st->idle_with_backlog,
		st->idle_backlog_pea_seconds);
	fprintf(f, "  migrations      %llu\n", (unsigned long long)st->migrations);
	fprintf(f, "  reconfigs       %llu\n", (unsigned long long)st->reconfigurations);
	fprintf(f, "  bytes moved     %s\n", bytes(a, sizeof a, st->bytes_moved));
	fprintf(f, "  control msgs    %llu\n", (unsigned long long)st->control_messages);
	fprintf(f, "  tasks run       %llu (%llu events)\n", (unsigned long long)st->tasks_run,
		(unsigned long long)st->events);
	fprintf(f, "  tasks lost      %llu\n", (unsigned long long)st->tasks_lost);
	fprintf(f, "  failed PEAs     %u of %u\n", (unsigned)st->failed_peas, (unsigned)st->peas);
}

/* ---------------------------------------------------- the comparison */

static const owgrun_run *find_run(const owgrun_run *runs, size_t n, owgrt_policy pol)
{
	for (size_t i = 0; i < n; i++)
		if (runs[i].policy == pol && runs[i].ok)
			return &runs[i];
	return NULL;
}

/* Where octopus wins and by how much: its speed-up over every other run. */
static void print_octopus_note(FILE *f, const owgrun_run *runs, size_t n)
{
	const owgrun_run *oc = find_run(runs, n, OWGRT_POLICY_OCTOPUS);
	if (!oc || !(oc->st.makespan > 0))
		return;
	const char *sep = "\noctopus: ";
	for (size_t i = 0; i < n; i++) {
		const owgrun_run *r = &runs[i];
		if (r == oc || !r->ok)
			continue;
		double x = r->st.makespan / oc->st.makespan;
		if (x >= 1)
			fprintf(f, "%s%.2fx over %s", sep, x, owgrt_policy_name(r->policy));
		else
			fprintf(f, "%s%.2fx slower than %s", sep, 1 / x, owgrt_policy_name(r->policy));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		putc('\n', f);
}

void owgrun_print_compare(FILE *f, const owgrun_setup *s, const owgrun_run *runs, size_t n)
{
	const owgrun_run *first = NULL;
	for (size_t i = 0; i < n && !first; i++)
		first = runs[i].ok ? &runs[i] : NULL;
	if (!first)
		return;
	print_header(f, s, &first->st, NULL);
	/* the tuning every baseline ran with, and octopus' mechanisms */
	char pol[160];
	fputs("tuning:", f);
	for (int i = OWGRT_POLICY_REACTIVE; i < OWGRT_POLICIES; i++) {
		describe_policy(pol, sizeof pol, s->o, (owgrt_policy)i);
		fprintf(f, "%s %s", i > OWGRT_POLICY_REACTIVE ? "," : "", pol);
	}
	fputs("\n\n", f);
	const owgrun_run *st = find_run(runs, n, OWGRT_POLICY_STATIC);
	fprintf(f, "%-8s  %10s  %13s  %8s  %15s  %11s  %11s  %15s  %10s\n", "policy", "makespan", "makespan / LB",
		"speed-up", "throughput (/s)", "p99 latency", "utilisation", "idle w/ backlog", "migrations");
	for (size_t i = 0; i < n; i++) {
		const owgrun_run *r = &runs[i];
		if (!r->ok)
			continue;
		char a[32], b[32], up[32] = "-";
		if (st && r->st.makespan > 0)
			snprintf(up, sizeof up, "%.2fx", st->st.makespan / r->st.makespan);
		fprintf(f, "%-8s  %10s  %13.4f  %8s  %15.6g  %11s  %10.1f%%  %14.1f%%  %10llu\n",
			owgrt_policy_name(r->policy), dur(a, sizeof a, r->st.makespan), ratio(r->st.makespan, r->st.lb), up,
			r->st.throughput, dur(b, sizeof b, r->st.latency_p99), 100 * r->st.utilisation,
			100 * r->st.idle_with_backlog, (unsigned long long)r->st.migrations);
	}
	print_octopus_note(f, runs, n);
}

/* ------------------------------------------------------------ stats JSON */

static void json_options(FILE *f, const owgrun_setup *s, bool *first)
{
	const owgrt_sim_opts *o = s->o;
	json_key(f, "octopus", first);
	fprintf(f, "{\"discriminate\": %s, \"adaptive\": %s, \"proactive\": %s, \"diffusion\": %s}",
		o->octopus & OWGRT_OCTO_DISCRIMINATE ? "true" : "false", o->octopus & OWGRT_OCTO_ADAPTIVE ? "true" : "false",
		o->octopus & OWGRT_OCTO_PROACTIVE ? "true" : "false", o->octopus & OWGRT_OCTO_DIFFUSION ? "true" : "false");
	json_key(f, "tuning", first);
	bool t1 = true;
	putc('{', f);
	json_num(f, "reactive_threshold", o->tuning.reactive_threshold, &t1);
	json_num(f, "reactive_cooldown", o->tuning.reactive_cooldown, &t1);
	json_u64(f, "steal_hops", o->tuning.steal_hops, &t1);
	json_num(f, "diffusion_margin", o->tuning.diffusion_margin, &t1);
	putc('}', f);
	json_str(f, "phases", s->phases ? s->phases_path : NULL, first);
	json_u64(f, "faults", o->nfaults, first);
}

static void json_stats(FILE *f, const owgrt_sim_stats *st, bool *first)
{
	json_u64(f, "requests", st->requests, first);
	json_num(f, "makespan", st->makespan, first);
	json_num(f, "lb", st->lb, first);
	json_num(f, "makespan_over_lb", ratio(st->makespan, st->lb), first);
	json_num(f, "throughput", st->throughput, first);
	json_num(f, "latency_mean", st->latency_mean, first);
	json_num(f, "latency_p50", st->latency_p50, first);
	json_num(f, "latency_p95", st->latency_p95, first);
	json_num(f, "latency_p99", st->latency_p99, first);
	json_num(f, "utilisation", st->utilisation, first);
	json_num(f, "idle_with_backlog", st->idle_with_backlog, first);
	json_num(f, "idle_backlog_pea_seconds", st->idle_backlog_pea_seconds, first);
	json_num(f, "busy_pea_seconds", st->busy_pea_seconds, first);
	json_u64(f, "migrations", st->migrations, first);
	json_u64(f, "reconfigurations", st->reconfigurations, first);
	json_num(f, "bytes_moved", st->bytes_moved, first);
	json_u64(f, "control_messages", st->control_messages, first);
	json_u64(f, "tasks_run", st->tasks_run, first);
	json_u64(f, "tasks_lost", st->tasks_lost, first);
	json_u64(f, "events", st->events, first);
	json_u64(f, "peas", st->peas, first);
	json_u64(f, "failed_peas", st->failed_peas, first);
	json_num(f, "first_arrival", st->first_arrival, first);
	json_num(f, "last_finish", st->last_finish, first);
}

void owgrun_print_json(FILE *f, const owgrun_setup *s, const owgrun_run *r, double static_makespan)
{
	bool first = true;
	putc('{', f);
	json_str(f, "workflow", s->p->name, &first);
	json_str(f, "fabric", s->p->plan->fabric->name, &first);
	json_str(f, "policy", owgrt_policy_name(r->policy), &first);
	json_u64(f, "seed", s->o->seed, &first);
	json_num(f, "rate", s->o->rate, &first);
	json_options(f, s, &first);
	if (!r->ok) {
		json_str(f, "error", r->err, &first);
		putc('}', f);
		return;
	}
	json_stats(f, &r->st, &first);
	if (static_makespan > 0 && r->st.makespan > 0)
		json_num(f, "speedup_over_static", static_makespan / r->st.makespan, &first);
	putc('}', f);
}

/* ------------------------------------------------------------- the trace */

/* Tracks: a process per cluster and a thread per PEA, numbered from 1
 * (Perfetto treats pid and tid 0 as the kernel's idle task): pid = cluster
 * + 1, tid = PEA + 1; then one process for the control blocks (a thread
 * per block, tid = node + 1) and the requests. */
struct owgrun_trace {
	FILE *f;
	const owgrt_program *p;
	owgrt_mesh mesh;
	uint64_t want;            /* requests traced: min(max_requests, requests) */
	uint64_t done;            /* of those, completed */
	uint32_t npeas;           /* width x height */
	uint32_t nclusters;
	double *last_end;         /* per PEA: the end of its latest execution */
	unsigned char *pea_seen;  /* per PEA: has an event */
	unsigned char *node_seen; /* per control node: has an event */
	bool first;               /* no event written yet */
};

static void ev_begin(owgrun_trace *t)
{
	fputs(t->first ? "\n" : ",\n", t->f);
	t->first = false;
}

/* Times are whole nanoseconds (what Perfetto keeps), rounded once, so
 * that a slice that ends where the next begins does not overlap it. */
static int64_t ns_of(double seconds)
{
	if (!(seconds > 0))
		return 0;
	return seconds < 9e9 ? (int64_t)llround(seconds * 1e9) : (int64_t)9e18;
}

/* A time in the trace's unit, microseconds. */
static void ev_ns(FILE *f, const char *key, int64_t ns)
{
	ns = ns > 0 ? ns : 0;
	fprintf(f, ",\"%s\":%lld.%03lld", key, (long long)(ns / 1000), (long long)(ns % 1000));
}

static void ev_time(FILE *f, const char *key, double seconds)
{
	ev_ns(f, key, ns_of(seconds));
}

static uint32_t mesh_cluster(const owgrt_mesh *m, uint32_t pea)
{
	return m->width && m->cluster_w && m->cluster_h ? owgrt_mesh_cluster_of(m, pea) : 0;
}

static uint32_t cluster_of(const owgrun_trace *t, uint32_t pea)
{
	uint32_t c = mesh_cluster(&t->mesh, pea);
	return c < t->nclusters ? c : 0; /* a mesh that disagrees with the plan: one process */
}

static void ev_track(FILE *f, uint64_t pid, uint64_t tid)
{
	fprintf(f, ",\"pid\":%llu,\"tid\":%llu", (unsigned long long)pid, (unsigned long long)tid);
}

static void ev_pea(const owgrun_trace *t, uint32_t pea)
{
	ev_track(t->f, (uint64_t)cluster_of(t, pea) + 1, (uint64_t)pea + 1);
}

static uint64_t control_pid(const owgrun_trace *t)
{
	return (uint64_t)t->nclusters + 1;
}

static void trace_head(owgrun_trace *t, const owgrun_setup *s)
{
	char pol[160];
	describe_policy(pol, sizeof pol, s->o, s->o->policy);
	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"workflow\":", t->f);
	owgrun_json_string(t->f, t->p->name);
	fputs(",\"fabric\":", t->f);
	owgrun_json_string(t->f, t->p->plan->fabric->name);
	fputs(",\"policy\":", t->f);
	owgrun_json_string(t->f, pol);
	fprintf(t->f, ",\"seed\":\"%llu\",\"requests traced\":\"%llu of %llu\"},\"traceEvents\":[",
		(unsigned long long)s->o->seed, (unsigned long long)t->want, (unsigned long long)s->o->requests);
}

owgrun_trace *owgrun_trace_new(const owgrun_setup *s, FILE *f, uint64_t max_requests)
{
	const owgrt_program *p = s->p;
	uint64_t npeas = (uint64_t)p->plan->width * p->plan->height;
	owgrun_trace *t = calloc(1, sizeof *t);
	if (!t || npeas >= UINT32_MAX) {
		free(t);
		return NULL;
	}
	const owgrt_fabric *fab = p->plan->fabric;
	owgrt_mesh_init(&t->mesh, fab->grid_w, fab->grid_h, fab->hop_latency, fab->link_bandwidth,
			fab->reconfig_bandwidth, fab->flat);
	t->f = f;
	t->p = p;
	t->want = max_requests < s->o->requests ? max_requests : s->o->requests;
	t->npeas = (uint32_t)npeas;
	/* clusters are numbered row-major: the last PEA's is the largest */
	t->nclusters = t->npeas ? mesh_cluster(&t->mesh, t->npeas - 1) + 1 : 1;
	t->last_end = calloc(npeas + 1, sizeof *t->last_end);
	t->pea_seen = calloc(npeas + 1, 1);
	t->node_seen = calloc(p->nnodes + 1, 1);
	t->first = true;
	if (!t->last_end || !t->pea_seen || !t->node_seen) {
		owgrun_trace_free(t);
		return NULL;
	}
	trace_head(t, s);
	return t;
}

/* The wait before a task: from when its PEAs were taken, or when the
 * first of them finished its previous task if that was later (so that the
 * slice never overlaps the previous one on the same track). */
static void trace_wait(owgrun_trace *t, uint32_t req, uint32_t node, uint32_t pea, double bound, double start)
{
	double from = bound > t->last_end[pea] ? bound : t->last_end[pea];
	if (ns_of(start) <= ns_of(from))
		return;
	ev_begin(t);
	fputs("{\"name\":\"wait\",\"cat\":\"wait\",\"ph\":\"X\"", t->f);
	ev_pea(t, pea);
	ev_ns(t->f, "ts", ns_of(from));
	ev_ns(t->f, "dur", ns_of(start) - ns_of(from));
	fprintf(t->f, ",\"args\":{\"request\":%u,\"task\":", (unsigned)req);
	owgrun_json_string(t->f, t->p->nodes[node].name);
	fputs("}}", t->f);
}

void owgrun_trace_task(owgrun_trace *t, uint32_t req, uint32_t node, uint32_t exec, const uint32_t *peas,
		       uint32_t npeas, double bound, double start, double end, bool lost)
{
	if (!npeas || peas[0] >= t->npeas || node >= t->p->nnodes)
		return;
	uint32_t pea = peas[0];
	if (req < t->want) {
		trace_wait(t, req, node, pea, bound, start);
		ev_begin(t);
		fputs("{\"name\":", t->f);
		owgrun_json_string(t->f, t->p->nodes[node].name);
		fprintf(t->f, ",\"cat\":\"%s\",\"ph\":\"X\"", lost ? "lost" : "task");
		ev_pea(t, pea);
		ev_ns(t->f, "ts", ns_of(start));
		ev_ns(t->f, "dur", ns_of(end) - ns_of(start));
		fprintf(t->f, ",\"args\":{\"request\":%u,\"exec\":%u,\"peas\":[", (unsigned)req, (unsigned)exec);
		for (uint32_t i = 0; i < npeas; i++)
			fprintf(t->f, "%s%u", i ? "," : "", (unsigned)peas[i]);
		fputs("]", t->f);
		ev_ns(t->f, "wait", ns_of(start) - ns_of(bound));
		fputs(lost ? ",\"lost\":true}}" : "}}", t->f);
		t->pea_seen[pea] = 1;
	}
	for (uint32_t i = 0; i < npeas; i++)
		if (peas[i] < t->npeas && end > t->last_end[peas[i]])
			t->last_end[peas[i]] = end;
}

/* What a control block decided, in the words of owg(5). */
static void outcome_name(char *buf, size_t n, const owgrt_node *x, uint64_t outcome)
{
	if (x->cb_kind == OWGRT_CB_LOOP) {
		snprintf(buf, n, "%llu trips", (unsigned long long)outcome);
		return;
	}
	if (x->cb_kind == OWGRT_CB_FORK) {
		snprintf(buf, n, "%llu items", (unsigned long long)outcome);
		return;
	}
	if (outcome >= x->narms) {
		snprintf(buf, n, "no arm");
		return;
	}
	static const char *const kind[] = {"seq", "then", "else", "case", "default", "body", "repeat", "item", "taken",
					   "cont"};
	const owgrt_arm *a = &x->arms[outcome];
	if (a->kind == OWGRT_ARM_CASE)
		snprintf(buf, n, "case %g", a->value);
	else
		snprintf(buf, n, "%s", (unsigned)a->kind < 10 ? kind[a->kind] : "?");
}

void owgrun_trace_control(owgrun_trace *t, uint32_t req, uint32_t node, uint32_t exec, uint64_t outcome,
			  double time)
{
	if (req >= t->want || node >= t->p->nnodes)
		return;
	const owgrt_node *x = &t->p->nodes[node];
	char what[64];
	outcome_name(what, sizeof what, x, outcome);
	ev_begin(t);
	fputs("{\"name\":", t->f);
	owgrun_json_string(t->f, what);
	fputs(",\"cat\":\"control\",\"ph\":\"i\",\"s\":\"t\"", t->f);
	ev_track(t->f, control_pid(t), (uint64_t)node + 1);
	ev_time(t->f, "ts", time);
	fprintf(t->f, ",\"args\":{\"request\":%u,\"exec\":%u,\"outcome\":%llu}}", (unsigned)req, (unsigned)exec,
		(unsigned long long)outcome);
	t->node_seen[node] = 1;
}

/* A request as an async slice on the control process: its latency. */
void owgrun_trace_request(owgrun_trace *t, uint32_t req, double arrival, double finish)
{
	if (req >= t->want)
		return;
	for (int end = 0; end < 2; end++) {
		ev_begin(t);
		fprintf(t->f, "{\"name\":\"request %u\",\"cat\":\"request\",\"ph\":\"%c\",\"id\":%u", (unsigned)req,
			end ? 'e' : 'b', (unsigned)req);
		ev_track(t->f, control_pid(t), (uint64_t)t->p->nnodes + 1);
		ev_time(t->f, "ts", end ? finish : arrival);
		fputs("}", t->f);
	}
	t->done++;
}

void owgrun_trace_migrate(owgrun_trace *t, uint32_t node, uint32_t from, uint32_t to, double time)
{
	/* only while the traced requests run: the trace stays bounded */
	if (t->done >= t->want || to >= t->npeas || node >= t->p->nnodes)
		return;
	ev_begin(t);
	fputs("{\"name\":\"migrate\",\"cat\":\"migrate\",\"ph\":\"i\",\"s\":\"t\"", t->f);
	ev_pea(t, to);
	ev_time(t->f, "ts", time);
	fputs(",\"args\":{\"task\":", t->f);
	owgrun_json_string(t->f, t->p->nodes[node].name);
	fprintf(t->f, ",\"from\":%u,\"to\":%u}}", (unsigned)from, (unsigned)to);
	t->pea_seen[to] = 1;
}

void owgrun_trace_fail(owgrun_trace *t, uint32_t pea, double time)
{
	if (pea >= t->npeas)
		return;
	ev_begin(t);
	fprintf(t->f, "{\"name\":\"PEA %u failed\",\"cat\":\"fault\",\"ph\":\"i\",\"s\":\"g\"", (unsigned)pea);
	ev_pea(t, pea);
	ev_time(t->f, "ts", time);
	fputs("}", t->f);
	t->pea_seen[pea] = 1;
}

static void meta(owgrun_trace *t, const char *what, uint64_t pid, uint64_t tid, const char *name)
{
	ev_begin(t);
	fprintf(t->f, "{\"name\":\"%s\",\"ph\":\"M\"", what);
	ev_track(t->f, pid, tid);
	fputs(",\"args\":{\"name\":", t->f);
	owgrun_json_string(t->f, name);
	fputs("}}", t->f);
}

/* The names of the clusters (in cluster order) and PEAs that appeared. */
static bool name_peas(owgrun_trace *t)
{
	unsigned char *seen = calloc((size_t)t->nclusters + 1, 1);
	if (!seen)
		return false;
	char name[96];
	for (uint32_t pea = 0; pea < t->npeas; pea++)
		seen[cluster_of(t, pea)] |= t->pea_seen[pea];
	for (uint32_t c = 0; c < t->nclusters; c++)
		if (seen[c]) {
			snprintf(name, sizeof name, "cluster %u", (unsigned)c);
			meta(t, "process_name", (uint64_t)c + 1, 0, name);
		}
	free(seen);
	uint32_t w = t->p->plan->width;
	for (uint32_t pea = 0; pea < t->npeas; pea++)
		if (t->pea_seen[pea]) {
			snprintf(name, sizeof name, "PEA %u (%u,%u)", (unsigned)pea, (unsigned)(pea % w),
				 (unsigned)(pea / w));
			meta(t, "thread_name", (uint64_t)cluster_of(t, pea) + 1, (uint64_t)pea + 1, name);
		}
	return true;
}

bool owgrun_trace_finish(owgrun_trace *t)
{
	if (!name_peas(t))
		return false;
	meta(t, "process_name", control_pid(t), 0, "control blocks and requests");
	meta(t, "thread_name", control_pid(t), (uint64_t)t->p->nnodes + 1, "requests");
	for (uint32_t n = 0; n < t->p->nnodes; n++)
		if (t->node_seen[n])
			meta(t, "thread_name", control_pid(t), (uint64_t)n + 1, t->p->nodes[n].name);
	fputs("\n]}\n", t->f);
	return true;
}

void owgrun_trace_free(owgrun_trace *t)
{
	if (!t)
		return;
	free(t->last_end);
	free(t->pea_seen);
	free(t->node_seen);
	free(t);
}

/* ---------------------------------------------------------- the heat map */

enum { PEA_OK, PEA_DEFECT, PEA_FAILED };
enum { HEAT_MAX_CELLS = 128, HEAT_LEVELS = 32, HEAT_TITLES_MAX = 4096 };

struct owgrun_heat {
	const owgrt_program *p;
	uint32_t w, h;
	double *busy;          /* per PEA: busy seconds */
	unsigned char *state;  /* per PEA: PEA_* */
};

owgrun_heat *owgrun_heat_new(const owgrt_program *p)
{
	owgrun_heat *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->p = p;
	h->w = p->plan->width;
	h->h = p->plan->height;
	size_t n = (size_t)h->w * h->h;
	h->busy = calloc(n + 1, sizeof *h->busy);
	h->state = calloc(n + 1, 1);
	if (!h->busy || !h->state) {
		owgrun_heat_free(h);
		return NULL;
	}
	const owgrt_fabric *f = p->plan->fabric;
	for (uint32_t i = 0; i < f->ndefects; i++)
		if (f->defects[i].x < h->w && f->defects[i].y < h->h)
			h->state[(size_t)f->defects[i].y * h->w + f->defects[i].x] = PEA_DEFECT;
	return h;
}

void owgrun_heat_busy(owgrun_heat *h, const uint32_t *peas, uint32_t n, double start, double end)
{
	size_t total = (size_t)h->w * h->h;
	for (uint32_t i = 0; i < n; i++)
		if (peas[i] < total && end > start)
			h->busy[peas[i]] += end - start;
}

void owgrun_heat_fail(owgrun_heat *h, uint32_t pea)
{
	if (pea < (size_t)h->w * h->h)
		h->state[pea] = PEA_FAILED;
}

void owgrun_heat_free(owgrun_heat *h)
{
	if (!h)
		return;
	free(h->busy);
	free(h->state);
	free(h);
}

/* One cell of the map: a PEA, or a block of b x b PEAs. */
typedef struct heat_cell {
	double util;  /* mean over the block's usable PEAs */
	bool defect;  /* every PEA of it a defect */
	bool has_defect; /* one of its PEAs a defect */
	bool failed;  /* one of its PEAs failed */
	uint32_t usable;
} heat_cell;

static heat_cell cell_at(const owgrun_heat *h, uint32_t b, uint32_t cx, uint32_t cy, double makespan)
{
	heat_cell c = {0, false, false, false, 0};
	double sum = 0;
	for (uint64_t y = (uint64_t)cy * b; y < (uint64_t)(cy + 1) * b && y < h->h; y++)
		for (uint64_t x = (uint64_t)cx * b; x < (uint64_t)(cx + 1) * b && x < h->w; x++) {
			size_t i = (size_t)y * h->w + x;
			c.failed |= h->state[i] == PEA_FAILED;
			if (h->state[i] == PEA_DEFECT) {
				c.has_defect = true;
				continue;
			}
			sum += h->busy[i];
			c.usable++;
		}
	c.defect = c.usable == 0;
	double u = c.usable && makespan > 0 ? sum / (c.usable * makespan) : 0;
	c.util = u < 0 ? 0 : u > 1 ? 1 : u;
	return c;
}

/* viridis, from dark purple (idle) to yellow (always busy) */
static void colour(char out[8], double u)
{
	static const unsigned char stop[5][3] = {
		{0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62}, {0xfd, 0xe7, 0x25}};
	double q = floor(u * HEAT_LEVELS + 0.5) / HEAT_LEVELS * 4; /* quantised: runs of equal cells merge */
	int k = q >= 4 ? 3 : (int)q;
	double fr = q - k;
	int rgb[3];
	for (int i = 0; i < 3; i++)
		rgb[i] = (int)floor(stop[k][i] + (stop[k + 1][i] - stop[k][i]) * fr + 0.5);
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static void xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* control characters are not XML */
			putc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
}

typedef struct heat_geom {
	uint32_t block, cols, rows, cell; /* PEAs per block side, cells across and down, pixels per cell */
	uint32_t x0, y0;                  /* the grid's corner */
	uint32_t width, height;           /* the picture */
} heat_geom;

static heat_geom geometry(const owgrun_heat *h)
{
	heat_geom g;
	uint32_t side = h->w > h->h ? h->w : h->h;
	g.block = side > HEAT_MAX_CELLS ? (side + HEAT_MAX_CELLS - 1) / HEAT_MAX_CELLS : 1;
	g.cols = (h->w + g.block - 1) / g.block;
	g.rows = (h->h + g.block - 1) / g.block;
	uint32_t cells = g.cols > g.rows ? g.cols : g.rows;
	g.cell = cells ? 768 / cells : 24;
	g.cell = g.cell < 3 ? 3 : g.cell > 32 ? 32 : g.cell;
	g.x0 = 20;
	g.y0 = 84;
	g.width = g.x0 + g.cols * g.cell + 200;
	g.width = g.width < 760 ? 760 : g.width; /* room for the title */
	uint32_t grid_h = g.y0 + g.rows * g.cell + 20, legend_h = g.y0 + 330;
	g.height = grid_h > legend_h ? grid_h : legend_h;
	return g;
}

static void heat_title(FILE *f, const owgrun_heat *h, const owgrun_setup *s, const owgrun_run *r,
		       const heat_geom *g)
{
	char pol[160], ms[32];
	describe_policy(pol, sizeof pol, s->o, r->policy);
	fputs("<text x=\"20\" y=\"26\" font-size=\"16\" font-weight=\"bold\">", f);
	xml_text(f, s->p->name);
	fputs(" on ", f);
	xml_text(f, s->p->plan->fabric->name);
	fputs(", policy ", f);
	xml_text(f, pol);
	fputs(": PEA utilisation</text>\n", f);
	fprintf(f, "<text x=\"20\" y=\"48\" font-size=\"12\">%u x %u PEAs", (unsigned)h->w, (unsigned)h->h);
	if (g->block > 1)
		fprintf(f, " in blocks of %u x %u (mean over the usable PEAs of a block)", (unsigned)g->block,
			(unsigned)g->block);
	fprintf(f, "; %u defects, %u failed</text>\n<text x=\"20\" y=\"66\" font-size=\"12\">%llu requests, seed %llu, makespan %s, mean utilisation %.1f%%</text>\n",
		(unsigned)s->p->plan->fabric->ndefects, (unsigned)r->st.failed_peas, (unsigned long long)r->st.requests,
		(unsigned long long)s->o->seed, dur(ms, sizeof ms, r->st.makespan), 100 * r->st.utilisation);
}

static void heat_cell_title(FILE *f, const owgrun_heat *h, uint32_t cx, uint32_t cy, const heat_cell *c)
{
	uint32_t pea = cy * h->w + cx;
	fprintf(f, "<title>PEA %u (%u,%u): ", (unsigned)pea, (unsigned)cx, (unsigned)cy);
	if (c->defect)
		fputs("defect", f);
	else
		fprintf(f, "%.1f%%%s", 100 * c->util, c->failed ? ", failed" : "");
	fputs("</title>", f);
}

/* One row of cells; equal neighbours merge into one rectangle unless each
 * cell gets its own tooltip. */
static void heat_row(FILE *f, const owgrun_heat *h, const heat_geom *g, uint32_t cy, double makespan, bool titles)
{
	uint32_t cx = 0;
	while (cx < g->cols) {
		heat_cell c = cell_at(h, g->block, cx, cy, makespan);
		char col[8];
		if (c.defect)
			snprintf(col, sizeof col, "#bdbdbd");
		else
			colour(col, c.util);
		uint32_t run = 1;
		while (!titles && cx + run < g->cols) {
			heat_cell d = cell_at(h, g->block, cx + run, cy, makespan);
			char dc[8];
			if (d.defect)
				snprintf(dc, sizeof dc, "#bdbdbd");
			else
				colour(dc, d.util);
			if (strcmp(dc, col) || d.defect != c.defect)
				break;
			run++;
		}
		fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\"", (unsigned)(g->x0 + cx * g->cell),
			(unsigned)(g->y0 + cy * g->cell), (unsigned)(run * g->cell), (unsigned)g->cell, col);
		if (titles) {
			fputs(">", f);
			heat_cell_title(f, h, cx, cy, &c);
			fputs("</rect>\n", f);
		} else {
			fputs("/>\n", f);
		}
		cx += run;
	}
}

/* Defects (blocks with one) get a cross, failed PEAs a red frame, drawn
 * over the colours. */
static void heat_marks(FILE *f, const owgrun_heat *h, const heat_geom *g, double makespan)
{
	for (uint32_t cy = 0; cy < g->rows; cy++)
		for (uint32_t cx = 0; cx < g->cols; cx++) {
			heat_cell c = cell_at(h, g->block, cx, cy, makespan);
			uint32_t x = g->x0 + cx * g->cell, y = g->y0 + cy * g->cell, s = g->cell;
			if (c.has_defect)
				fprintf(f, "<path d=\"M%u %uL%u %uM%u %uL%u %u\" stroke=\"#616161\" stroke-width=\"1\"/>\n",
					(unsigned)x, (unsigned)y, (unsigned)(x + s), (unsigned)(y + s), (unsigned)(x + s),
					(unsigned)y, (unsigned)x, (unsigned)(y + s));
			if (c.failed)
				fprintf(f,
					"<rect x=\"%u.5\" y=\"%u.5\" width=\"%u\" height=\"%u\" fill=\"none\" stroke=\"#e53935\" "
					"stroke-width=\"1.5\"/>\n",
					(unsigned)x, (unsigned)y, (unsigned)(s > 1 ? s - 1 : 1), (unsigned)(s > 1 ? s - 1 : 1));
		}
}

/* The clusters' borders, when a cell is one PEA and large enough to see them. */
static void heat_clusters(FILE *f, const owgrun_heat *h, const heat_geom *g)
{
	const owgrt_fabric *fab = h->p->plan->fabric;
	uint32_t cw = fab->grid_w[OWGRT_FAB_CLUSTER], ch = fab->grid_h[OWGRT_FAB_CLUSTER];
	if (g->block != 1 || g->cell < 4 || !cw || !ch)
		return;
	fputs("<g stroke=\"#ffffff\" stroke-width=\"1\">\n", f);
	uint32_t right = g->x0 + g->cols * g->cell, bottom = g->y0 + g->rows * g->cell;
	for (uint32_t x = cw; x < g->cols; x += cw)
		fprintf(f, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", (unsigned)(g->x0 + x * g->cell),
			(unsigned)g->y0, (unsigned)(g->x0 + x * g->cell), (unsigned)bottom);
	for (uint32_t y = ch; y < g->rows; y += ch)
		fprintf(f, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", (unsigned)g->x0,
			(unsigned)(g->y0 + y * g->cell), (unsigned)right, (unsigned)(g->y0 + y * g->cell));
	fputs("</g>\n", f);
}

static void heat_legend(FILE *f, const heat_geom *g)
{
	uint32_t x = g->x0 + g->cols * g->cell + 30, y = g->y0;
	fputs("<defs><linearGradient id=\"util\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", f);
	for (int i = 0; i <= 4; i++) {
		char col[8];
		colour(col, i / 4.0);
		fprintf(f, "<stop offset=\"%d%%\" stop-color=\"%s\"/>", i * 25, col);
	}
	fputs("</linearGradient></defs>\n", f);
	fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"12\">utilisation</text>\n", (unsigned)x, (unsigned)(y + 10));
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"20\" height=\"200\" fill=\"url(#util)\" stroke=\"#000000\"/>\n",
		(unsigned)x, (unsigned)(y + 20));
	for (int i = 0; i <= 4; i++)
		fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"11\">%d%%</text>\n", (unsigned)(x + 26),
			(unsigned)(y + 224 - i * 50), i * 25);
	y += 240;
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"#bdbdbd\"/>", (unsigned)x, (unsigned)y);
	fprintf(f, "<path d=\"M%u %uL%u %uM%u %uL%u %u\" stroke=\"#616161\"/>", (unsigned)x, (unsigned)y,
		(unsigned)(x + 14), (unsigned)(y + 14), (unsigned)(x + 14), (unsigned)y, (unsigned)x, (unsigned)(y + 14));
	fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"11\">%s</text>\n", (unsigned)(x + 20), (unsigned)(y + 11),
		g->block > 1 ? "a defect in the block" : "defect");
	y += 24;
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#e53935\" "
		   "stroke-width=\"1.5\"/>", (unsigned)x, (unsigned)y);
	fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"11\">%s</text>\n", (unsigned)(x + 20), (unsigned)(y + 11),
		g->block > 1 ? "a PEA failed in the run" : "failed during the run");
}

void owgrun_heat_write(FILE *f, const owgrun_heat *h, const owgrun_setup *s, const owgrun_run *r)
{
	heat_geom g = geometry(h);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		   "font-family=\"sans-serif\">\n",
		(unsigned)g.width, (unsigned)g.height, (unsigned)g.width, (unsigned)g.height);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", f);
	heat_title(f, h, s, r, &g);
	bool titles = (uint64_t)g.cols * g.rows <= HEAT_TITLES_MAX && g.block == 1;
	fputs("<g shape-rendering=\"crispEdges\">\n", f);
	for (uint32_t cy = 0; cy < g.rows; cy++)
		heat_row(f, h, &g, cy, r->st.makespan, titles);
	fputs("</g>\n", f);
	heat_clusters(f, h, &g);
	heat_marks(f, h, &g, r->st.makespan);
	heat_legend(f, &g);
	fputs("</svg>\n", f);
}
