#include "config.h"

/* report.c - the --report tables, from the annotations of the pipeline. */

#include "report.h"

#include "fabric.h"
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A duration with a unit people read: "12.5 ms". */
static const char *dur(char *buf, size_t n, double s)
{
	static const struct {
		double scale;
		const char *unit;
	} u[] = {{1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}};
	size_t k = 0;
	while (k < 3 && fabs(s) < u[k].scale)
		k++;
	if (s == 0)
		k = 0;
	snprintf(buf, n, "%.4g %s", s / u[k].scale, u[k].unit);
	return buf;
}

static const char *const prob_sources[] = {"declared", "profile", "heuristic"};

typedef struct share {
	uint32_t node;
	double pea_time;
} share;

static int by_pea_time(const void *a, const void *b)
{
	const share *x = a, *y = b;
	if (x->pea_time != y->pea_time)
		return x->pea_time < y->pea_time ? 1 : -1;
	return x->node > y->node ? 1 : -1;
}

static int name_width(const owg_graph *g, owg_node_kind kind)
{
	int w = 4;
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == kind && (int)strlen(g->nodes.v[i].name) > w)
			w = (int)strlen(g->nodes.v[i].name);
	return w > 40 ? 40 : w;
}

static void print_tasks(const owg_graph *g, FILE *out)
{
	const owg_analysis *an = &g->an;
	int w = name_width(g, OWG_NODE_TB);
	char a[32], b[32], c[32];
	fprintf(out, "%-*s  %-7s %5s  %-38s  %-24s  %s\n", w, "", "", "", "execution time", "runs per request",
		"PEA-time per request");
	fprintf(out, "%-*s  %-7s %5s  %11s %6s %11s %-8s  %9s %6s %-7s  %11s %6s\n", w, "task", "kind", "PEAs",
		"mean", "CV", "p95", "class", "mean", "CV", "class", "time", "share");
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		const owg_time_stats *t = &an->time[i];
		const owg_freq_stats *f = &an->freq[i];
		double fcv = f->mean > 0 ? sqrt(f->var) / f->mean : 0;
		double sh = an->total_pea_time > 0 ? 100 * an->pea_time[i] / an->total_pea_time : 0;
		fprintf(out, "%-*.*s  %-7s %5u  %11s %6.3f %11s %-8s  %9.4g %6.3f %-7s  %11s %5.1f%%%s\n", w, w,
			n->name, owg_tb_kind_name(n->tb_kind), (unsigned)n->peas, dur(a, sizeof a, t->mean), t->cv,
			dur(b, sizeof b, t->p95), t->is_volatile ? "volatile" : "steady", f->mean, fcv,
			f->is_bursty ? "bursty" : "stable", dur(c, sizeof c, an->pea_time[i]), sh,
			an->critical[i] ? " *" : "");
	}
}

static void print_cbs(const owg_graph *g, FILE *out)
{
	const owg_analysis *an = &g->an;
	int w = name_width(g, OWG_NODE_CB);
	bool any = false;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_CB || n->cb_kind == OWG_CB_ENTRY)
			continue;
		if (!any)
			fprintf(out, "\n%-*s  %-7s %-9s  %9s  %s\n", w, "control", "kind", "from", "runs/req",
				"what one run does");
		any = true;
		const owg_cb_freq *c = &an->cb[i];
		fprintf(out, "%-*.*s  %-7s %-9s  %9.4g  ", w, w, n->name, owg_cb_kind_name(n->cb_kind),
			prob_sources[c->source], an->freq[i].mean);
		if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
			if (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE)
				fprintf(out, "repeats with p %.4g; ", c->repeat);
			fprintf(out, "%s %.4g (sd %.4g)\n", n->cb_kind == OWG_CB_FORK ? "items" : "trips",
				c->trips_mean, sqrt(c->trips_var));
			continue;
		}
		for (uint32_t a = 0; a < n->narms; a++)
			fprintf(out, "%s%s %.4g", a ? ", " : "", owg_arm_kind_name(n->arms[a].kind), c->arm[a]);
		fputc('\n', out);
	}
}

static void print_bounds(const owg_graph *g, FILE *out)
{
	const owg_analysis *an = &g->an;
	char a[32];
	size_t ntb = 0;
	share *sh = malloc((g->nodes.n + 1) * sizeof *sh);
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB)
			sh[ntb++] = (share){(uint32_t)i, an->pea_time[i]};
	qsort(sh, ntb, sizeof *sh, by_pea_time);

	fprintf(out, "\nper request, on %u PEAs:\n", (unsigned)an->peas);
	fprintf(out, "  expected critical path   %s  (tasks marked *)\n", dur(a, sizeof a, an->critical_path));
	fprintf(out, "  PEA-time                 %s\n", dur(a, sizeof a, an->total_pea_time));
	fprintf(out, "  latency, at least        %s  (%s)\n", dur(a, sizeof a, an->lb_latency),
		an->lb_latency > an->critical_path ? "PEA-time / PEAs: the fabric is too small"
						   : "the critical path");
	if (an->max_throughput > 0)
		fprintf(out, "  throughput, at most      %.6g requests/s  (PEAs / PEA-time)\n", an->max_throughput);
	else
		fprintf(out, "  throughput, at most      unbounded (no task takes time)\n");

	fputs("\nlatency is bound by:    ", out);
	bool first = true;
	for (size_t i = 0; i < g->nodes.n; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB && an->critical[i]) {
			fprintf(out, "%s%s", first ? "" : ", ", g->nodes.v[i].name);
			first = false;
		}
	fputs(first ? "(nothing)\n" : "\n", out);
	fputs("throughput is bound by: ", out);
	double covered = 0;
	for (size_t k = 0; k < ntb && an->total_pea_time > 0; k++) {
		double pct = 100 * sh[k].pea_time / an->total_pea_time;
		fprintf(out, "%s%s (%.1f%%)", k ? ", " : "", g->nodes.v[sh[k].node].name, pct);
		covered += pct;
		if (covered >= 80 || k == 4)
			break;
	}
	fputs(an->total_pea_time > 0 ? "\n" : "(nothing)\n", out);
	free(sh);
}

/* --- the placement --- */

/* Where a task sits in a binding: the mean of its replicas' PEAs, or the
 * middle of its home cluster for an elastic one. */
static void task_centre(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t, double *x, double *y)
{
	uint32_t size = b->replicas[t] * g->nodes.v[t].peas;
	if (!size) {
		uint32_t pw = p->fabric.grid_w[OWG_FAB_CLUSTER], ph = p->fabric.grid_h[OWG_FAB_CLUSTER];
		*x = (b->home[t] % p->cwidth) * pw + (pw - 1) / 2.0;
		*y = (b->home[t] / p->cwidth) * ph + (ph - 1) / 2.0;
		return;
	}
	double sx = 0, sy = 0;
	for (uint32_t k = 0; k < size; k++) {
		sx += b->peas[b->first[t] + k] % p->width;
		sy += b->peas[b->first[t] + k] / p->width;
	}
	*x = sx / size;
	*y = sy / size;
}

/* Expected busy PEAs per cluster at the plan's rate: a pinned task's
 * demand spread over its PEAs; the elastic demand over the pools in
 * proportion to their size (diffusion balances the pools at run time). */
static double *cluster_load(const owg_graph *g, const owg_plan *p, const owg_binding *b)
{
	uint32_t nc = p->cwidth * p->cheight;
	double *load = owg_xcalloc(nc + 1, sizeof *load);
	double elastic = 0, pooled = 0;
	for (uint32_t c = 0; c < nc; c++)
		pooled += b->pool_size[c];
	for (size_t t = 0; t < g->nodes.n; t++) {
		const owg_node *n = &g->nodes.v[t];
		if (n->kind != OWG_NODE_TB)
			continue;
		uint32_t size = b->replicas[t] * n->peas;
		if (!size) {
			elastic += p->demand_mean[t];
			continue;
		}
		for (uint32_t k = 0; k < size; k++)
			load[owg_fabric_cluster_of(&p->fabric, b->peas[b->first[t] + k])] += p->demand_mean[t] / size;
	}
	for (uint32_t c = 0; c < nc && pooled > 0; c++)
		load[c] += elastic * b->pool_size[c] / pooled;
	return load;
}

static void print_binding(const owg_graph *g, const owg_plan *p, const owg_binding *b, const char *name,
			  const uint32_t *usable, FILE *out)
{
	uint32_t nc = p->cwidth * p->cheight;
	double *load = cluster_load(g, p, b);
	double lo = INFINITY, hi = 0, sum = 0;
	uint32_t busiest = 0;
	for (uint32_t c = 0; c < nc; c++) {
		double u = usable[c] ? load[c] / usable[c] : 0;
		lo = u < lo ? u : lo;
		if (u > hi) {
			hi = u;
			busiest = c;
		}
		sum += u;
	}
	uint64_t pinned_peas = 0, pool_peas = 0;
	for (size_t t = 0; t < g->nodes.n; t++)
		if (g->nodes.v[t].kind == OWG_NODE_TB)
			pinned_peas += (uint64_t)b->replicas[t] * g->nodes.v[t].peas;
	for (uint32_t c = 0; c < nc; c++)
		pool_peas += b->pool_size[c];
	fprintf(out, "  %-8s %llu PEAs pinned, %llu in elastic pools; expected traffic %.4g byte-hops per request\n",
		name, (unsigned long long)pinned_peas, (unsigned long long)pool_peas, b->traffic);
	fprintf(out, "           cluster load (busy PEAs / usable): min %.1f%%, mean %.1f%%, max %.1f%% (cluster %u at "
		"%u,%u)\n", 100 * lo, 100 * sum / nc, 100 * hi, (unsigned)busiest, (unsigned)(busiest % p->cwidth),
		(unsigned)(busiest / p->cwidth));

	/* hop histogram: share of the expected traffic (bytes x executions)
	 * by the hops it travels */
	static const char *const label[] = {"0", "1", "2-3", "4-7", "8-15", "16-31", "32+"};
	double hist[7] = {0}, all = 0;
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *f = &g->flows.v[k];
		double ax, ay, bx, by;
		task_centre(g, p, b, f->src, &ax, &ay);
		task_centre(g, p, b, f->dst, &bx, &by);
		double hops = round(fabs(ax - bx) + fabs(ay - by));
		int bucket = hops < 1 ? 0 : hops < 2 ? 1 : hops < 4 ? 2 : hops < 8 ? 3 : hops < 16 ? 4 : hops < 32 ? 5 : 6;
		double w = f->bytes * g->an.freq[f->dst].mean;
		hist[bucket] += w;
		all += w;
	}
	fputs("           traffic by hops:", out);
	for (int i = 0; i < 7; i++)
		fprintf(out, " %s: %.0f%%%s", label[i], all > 0 ? 100 * hist[i] / all : 0.0, i < 6 ? "," : "\n");
	free(load);
}

static void print_placement(const owg_graph *g, FILE *out)
{
	const owg_plan *p = g->plan;
	uint32_t nc = p->cwidth * p->cheight;
	uint32_t *usable = owg_xcalloc(nc + 1, sizeof *usable);
	uint8_t *defect = owg_fabric_defect_map(&p->fabric);
	for (uint64_t q = 0; q < (uint64_t)p->width * p->height; q++)
		if (!defect || !defect[q])
			usable[owg_fabric_cluster_of(&p->fabric, (uint32_t)q)]++;
	free(defect);
	size_t pinned = 0, elastic = 0;
	for (size_t t = 0; t < g->nodes.n; t++)
		if (g->nodes.v[t].kind == OWG_NODE_TB)
			p->pinned[t] ? pinned++ : elastic++;
	fprintf(out, "\nplacement on fabric %s (%ux%u PEAs, %u clusters), sized for %.6g requests/s, -O%d, seed %llu:\n",
		p->fabric.name ? p->fabric.name : "?", (unsigned)p->width, (unsigned)p->height, (unsigned)nc, p->rate,
		p->opt, (unsigned long long)p->seed);
	fprintf(out, "  tasks    %zu pinned (steady and stable), %zu elastic\n", pinned, elastic);
	print_binding(g, p, &p->octopus, "octopus", usable, out);
	print_binding(g, p, &p->fixed, "static", usable, out);
	free(usable);
}

void owg_report_print(const owg_graph *g, FILE *out)
{
	size_t ntb = 0, ncb = 0, measured = 0;
	for (size_t i = 0; i < g->nodes.n; i++) {
		g->nodes.v[i].kind == OWG_NODE_TB ? ntb++ : ncb++;
		measured += g->nodes.v[i].kind == OWG_NODE_TB && g->an.time[i].samples > 0;
	}
	fprintf(out, "workflow %s: %zu tasks, %zu control blocks; times of %zu tasks from profile samples, "
		"of %zu from their declared model\n\n", g->name, ntb, ncb - 1, measured, ntb - measured);
	print_tasks(g, out);
	print_cbs(g, out);
	print_bounds(g, out);
	if (g->plan)
		print_placement(g, out);
}
