/* scotch_compare.c - placement quality against Scotch's static mapper.
 *
 *   scotch-compare WF.owg FABRIC OPT SEED
 *
 * Compiles WF with owgc's pipeline on FABRIC (a preset or a file, as
 * --fabric takes it) at -O OPT, with a
 * rate so low that every task has one replica (so both mappers place the
 * same graph: one vertex per task), and takes owgc's static binding (every
 * task pinned).  Writes the task graph (edges weighted by bytes x
 * executions of the consumer, scaled to integers) and a mesh2D target of
 * the fabric's PEA mesh for Scotch, runs `scotch_gmap` (SCOTCH_GMAP, default
 * scotch_gmap) on them, and prints one line:
 *   tasks edges owgc_cost scotch_cost scotch_peas_shared owgc_seconds scotch_seconds
 * Both costs are the sum over edges of the same integer weight times the
 * Manhattan distance of the two PEAs; Scotch's tasks that share a PEA are
 * counted (a legal placement for owgc never shares one).
 *
 * Requires tasks of one PEA each (bench/owg-gen --max-peas 1) and a
 * fabric without defects (Scotch's mesh target has none). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fabric.h"
#include "frontend.h"
#include "pass.h"
#include "plan.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *msg)
{
	fprintf(stderr, "scotch-compare: %s\n", msg);
	exit(1);
}

typedef struct edge {
	uint32_t a, b;
	long long w;
} edge;

static int by_ends(const void *x, const void *y)
{
	const edge *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		die("usage: scotch-compare WF.owg FABRIC OPT SEED");
	const char *gmap = getenv("SCOTCH_GMAP") ? getenv("SCOTCH_GMAP") : "scotch_gmap";
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *diag = owg_diag_new(&sm, stderr);
	owg_diag_option(diag, "-w");
	owg_frontend fe = {.sm = &sm, .diag = diag};
	owg_arena_init(&fe.arena);
	owg_graph *g = owg_frontend_compile(&fe, argv[1]);
	if (!g || owg_diag_errors(diag))
		die("the workflow does not compile");
	owg_fabric fab;
	if (!owg_fabric_resolve(argv[2], g, &sm, diag, &g->arena, &fab))
		die("no such fabric");
	if (fab.ndefects)
		die("the fabric has defects; Scotch's mesh2D target has none");
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.fabric = &fab;
	o.opt = atoi(argv[3]);
	o.seed = strtoull(argv[4], NULL, 10);
	o.rate = 1e-12; /* one replica of every task */
	owg_pass_ctx ctx = {.g = g, .diag = diag, .sm = &sm, .opts = &o};
	double t0 = now();
	if (!owg_pipeline_run(&ctx))
		die("owgc could not place it");
	double owgc_s = now() - t0;
	const owg_plan *p = g->plan;

	/* vertices: the tasks, numbered 0..n-1 */
	size_t nn = g->nodes.n, n = 0;
	uint32_t *vid = malloc((nn + 1) * sizeof *vid), *task = malloc((nn + 1) * sizeof *task);
	for (size_t i = 0; i < nn; i++) {
		vid[i] = UINT32_MAX;
		if (g->nodes.v[i].kind != OWG_NODE_TB)
			continue;
		if (g->nodes.v[i].peas != 1 || p->fixed.replicas[i] != 1)
			die("tasks must demand one PEA and have one replica (owg-gen --max-peas 1)");
		vid[i] = (uint32_t)n;
		task[n++] = (uint32_t)i;
	}
	/* edges: both directions of every flow, merged, integer weights */
	double wmax = 0;
	for (size_t k = 0; k < g->flows.n; k++) {
		double w = g->flows.v[k].bytes * g->an.freq[g->flows.v[k].dst].mean;
		wmax = w > wmax ? w : wmax;
	}
	edge *e = malloc((2 * g->flows.n + 1) * sizeof *e);
	size_t ne = 0;
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *f = &g->flows.v[k];
		double w = f->bytes * g->an.freq[f->dst].mean;
		long long iw = wmax > 0 ? llround(w / wmax * 1e6) : 0;
		if (iw < 1)
			iw = 1;
		e[ne++] = (edge){vid[f->src], vid[f->dst], iw};
		e[ne++] = (edge){vid[f->dst], vid[f->src], iw};
	}
	qsort(e, ne, sizeof *e, by_ends);
	size_t m = 0;
	for (size_t k = 0; k < ne; k++) {
		if (m && e[m - 1].a == e[k].a && e[m - 1].b == e[k].b)
			e[m - 1].w += e[k].w;
		else
			e[m++] = e[k];
	}
	ne = m;

	char grf[512], tgt[512], map[512], cmd[2048];
	snprintf(grf, sizeof grf, "%s/scotch-compare-%d.grf", tmp, (int)getpid());
	snprintf(tgt, sizeof tgt, "%s/scotch-compare-%d.tgt", tmp, (int)getpid());
	snprintf(map, sizeof map, "%s/scotch-compare-%d.map", tmp, (int)getpid());
	FILE *f = fopen(grf, "w");
	if (!f)
		die("cannot write the graph file");
	fprintf(f, "0\n%zu %zu\n0 010\n", n, ne);
	for (size_t v = 0, k = 0; v < n; v++) {
		size_t k0 = k;
		while (k < ne && e[k].a == v)
			k++;
		fprintf(f, "%zu", k - k0);
		for (size_t j = k0; j < k; j++)
			fprintf(f, " %lld %u", e[j].w, e[j].b);
		fputc('\n', f);
	}
	fclose(f);
	f = fopen(tgt, "w");
	if (!f)
		die("cannot write the target file");
	fprintf(f, "mesh2D\n%u %u\n", (unsigned)p->width, (unsigned)p->height);
	fclose(f);
	snprintf(cmd, sizeof cmd, "%s %s %s %s 2>/dev/null", gmap, grf, tgt, map);
	t0 = now();
	if (system(cmd) != 0)
		die("scotch_gmap failed (install Debian's scotch package)");
	double scotch_s = now() - t0;

	/* Scotch's mapping: a count, then "vertex target" lines; mesh2D
	 * target t is x = t % width, y = t / width */
	uint32_t *at = malloc((n + 1) * sizeof *at);
	f = fopen(map, "r");
	size_t cnt;
	if (!f || fscanf(f, "%zu", &cnt) != 1 || cnt != n)
		die("cannot read Scotch's mapping");
	for (size_t k = 0; k < n; k++) {
		unsigned long v, t;
		if (fscanf(f, "%lu %lu", &v, &t) != 2 || v >= n || t >= (unsigned long)p->width * p->height)
			die("bad line in Scotch's mapping");
		at[v] = (uint32_t)t;
	}
	fclose(f);
	remove(grf);
	remove(tgt);
	remove(map);

	uint32_t *used = calloc((size_t)p->width * p->height + 1, sizeof *used);
	size_t shared = 0;
	for (size_t v = 0; v < n; v++)
		if (used[at[v]]++)
			shared++;
	double ours = 0, theirs = 0;
	for (size_t k = 0; k < ne; k++) {
		if (e[k].a > e[k].b)
			continue; /* each undirected edge once */
		uint32_t pa = p->fixed.peas[p->fixed.first[task[e[k].a]]], pb = p->fixed.peas[p->fixed.first[task[e[k].b]]];
		ours += (double)e[k].w * owg_fabric_hops(&p->fabric, pa, pb);
		theirs += (double)e[k].w * owg_fabric_hops(&p->fabric, at[e[k].a], at[e[k].b]);
	}
	printf("%zu %zu %.0f %.0f %zu %.3f %.3f\n", n, ne / 2, ours, theirs, shared, owgc_s, scotch_s);
	free(vid);
	free(task);
	free(e);
	free(at);
	free(used);
	owg_pass_ctx_free(&ctx);
	owg_ir_free(g);
	owg_frontend_free(&fe);
	owg_diag_free(diag);
	owg_src_free(&sm);
	return 0;
}
