#include "config.h"

/* ir_print.c - the canonical text form of the OWG IR (see ir_read.c for
 * the grammar).  One line per node, flow and fabric; every number is
 * printed so that reading it back gives the same bits, which makes
 * print -> read -> print byte-identical. */

#include "ir.h"
#include "plan.h"
#include "quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- quantities --- */

typedef struct unit {
	const char *name;
	double scale;
} unit;

/* Largest unit first; the first entry has scale 1 (always exact). */
static const unit size_units[] = {
	{"B", 1},
	{"KiB", 1024.0},
	{"MiB", 1024.0 * 1024},
	{"GiB", 1024.0 * 1024 * 1024},
	{"TiB", 1024.0 * 1024 * 1024 * 1024},
};

static bool same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Writes into buf a decimal text t for x / u->scale such that
 * strtod(t) * u->scale == x bitwise (what the reader computes). */
static bool try_unit(char *buf, size_t n, double x, const unit *u)
{
	double v = x / u->scale;
	double r = nearbyint(v);
	if (fabs(r) < 1e15 && same_bits(r * u->scale, x)) {
		owg_fmt_double(buf, n, r); /* integral: exact, no strtod needed */
		return true;
	}
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, n, "%.*g", p, v);
		if (same_bits(strtod(buf, NULL) * u->scale, x))
			return true;
	}
	return false;
}

/* A size in the largest binary unit in which it is at least 1; sizes are
 * scaled by powers of two, which is exact, so any unit that divides
 * cleanly will do, and bytes always does. */
static void fmt_size(char *buf, size_t n, double x)
{
	const size_t nunits = sizeof size_units / sizeof *size_units;
	if (x == 0 || !isfinite(x)) {
		owg_fmt_double(buf, n, x == 0 ? 0.0 : x); /* no "-0B" */
		snprintf(buf + strlen(buf), n - strlen(buf), "B");
		return;
	}
	size_t pref = 0;
	for (size_t i = nunits; i-- > 0;)
		if (fabs(x) >= size_units[i].scale) {
			pref = i;
			break;
		}
	char num[40];
	if (!try_unit(num, sizeof num, x, &size_units[pref])) {
		pref = 0;
		owg_fmt_double(num, sizeof num, x);
	}
	snprintf(buf, n, "%s%s", num, size_units[pref].name);
}

void owg_fmt_size(char *buf, size_t n, double bytes)
{
	fmt_size(buf, n, bytes);
}

/* --- buffered output --- */

typedef struct wbuf {
	FILE *f;
	size_t n;
	char b[1 << 16];
} wbuf;

static void wflush(wbuf *w)
{
	if (w->n)
		fwrite(w->b, 1, w->n, w->f);
	w->n = 0;
}

static void wput(wbuf *w, const char *s, size_t len)
{
	if (len > sizeof w->b - w->n) {
		wflush(w);
		if (len > sizeof w->b) {
			fwrite(s, 1, len, w->f);
			return;
		}
	}
	memcpy(w->b + w->n, s, len);
	w->n += len;
}

static void wstr(wbuf *w, const char *s)
{
	wput(w, s, strlen(s));
}

static void wch(wbuf *w, char c)
{
	if (w->n == sizeof w->b)
		wflush(w);
	w->b[w->n++] = c;
}

static void wu32(wbuf *w, uint32_t v)
{
	char tmp[12];
	size_t len = 0;
	do {
		tmp[len++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char out[12];
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	wput(w, out, len);
}

static void wnum(wbuf *w, double x)
{
	char buf[40];
	owg_fmt_double(buf, sizeof buf, x);
	wstr(w, buf);
}

static void wtime(wbuf *w, double x)
{
	char buf[48];
	owg_fmt_time(buf, sizeof buf, x);
	wstr(w, buf);
}

static void wsize(wbuf *w, double x)
{
	char buf[48];
	owg_fmt_size(buf, sizeof buf, x);
	wstr(w, buf);
}

static void wrate(wbuf *w, double x)
{
	wsize(w, x);
	wput(w, "/s", 2);
}

static void wstring(wbuf *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	wch(w, '"');
	if (s) {
		const char *run = s;
		for (; *s; s++) {
			unsigned char c = (unsigned char)*s;
			if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
				continue;
			wput(w, run, (size_t)(s - run));
			run = s + 1;
			char esc[4] = {'\\', 0, 0, 0};
			size_t elen = 2;
			switch (c) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\n': esc[1] = 'n'; break;
			case '\t': esc[1] = 't'; break;
			default:
				esc[1] = 'x';
				esc[2] = hex[c >> 4];
				esc[3] = hex[c & 15];
				elen = 4;
			}
			wput(w, esc, elen);
		}
		wput(w, run, (size_t)(s - run));
	}
	wch(w, '"');
}

/* --- the graph --- */

static void wref(wbuf *w, uint32_t node)
{
	wch(w, '%');
	wu32(w, node);
}

/* %N.OUTNAME; an invalid reference prints as %N.#INDEX, which the reader
 * refuses (the verifier explains why). */
static void wout(wbuf *w, const owg_graph *g, uint32_t node, uint32_t out)
{
	wref(w, node);
	wch(w, '.');
	if (node < g->nodes.n && g->nodes.v[node].kind == OWG_NODE_TB &&
	    out < g->nodes.v[node].nouts && g->nodes.v[node].outs[out].name) {
		wstr(w, g->nodes.v[node].outs[out].name);
	} else {
		wch(w, '#');
		wu32(w, out);
	}
}

static void wexpr(wbuf *w, const owg_graph *g, const owg_expr *e)
{
	if (!e) {
		wstr(w, "?");
		return;
	}
	switch (e->kind) {
	case OWG_EX_NUM:
		wnum(w, e->u.num);
		return;
	case OWG_EX_BOOL:
		wstr(w, e->u.b ? "true" : "false");
		return;
	case OWG_EX_OUT:
		wout(w, g, e->u.ref.node, e->u.ref.out);
		return;
	case OWG_EX_UNARY:
		wch(w, '(');
		wstr(w, owg_op_name(e->op));
		wexpr(w, g, e->u.sub.l);
		wch(w, ')');
		return;
	case OWG_EX_BINARY:
		wch(w, '(');
		wexpr(w, g, e->u.sub.l);
		wch(w, ' ');
		wstr(w, owg_op_name(e->op));
		wch(w, ' ');
		wexpr(w, g, e->u.sub.r);
		wch(w, ')');
		return;
	}
	wstr(w, "?");
}

/* Quantities of a time distribution carry time units; counts are plain. */
static void wqty(wbuf *w, double x, bool time)
{
	if (time)
		wtime(w, x);
	else
		wnum(w, x);
}

static void wdist(wbuf *w, const owg_dist *d, bool time)
{
	if (d->kind == OWG_DIST_CONST) {
		wqty(w, d->a, time);
		return;
	}
	wstr(w, owg_dist_kind_name(d->kind));
	wch(w, '(');
	switch (d->kind) {
	case OWG_DIST_MEANSD:
	case OWG_DIST_NORMAL:
	case OWG_DIST_UNIFORM:
		wqty(w, d->a, time);
		wput(w, ", ", 2);
		wqty(w, d->b, time);
		break;
	case OWG_DIST_LOGNORMAL:
		wqty(w, d->a, time);
		wput(w, ", ", 2);
		wnum(w, d->b);
		break;
	case OWG_DIST_EMPIRICAL:
		for (uint32_t i = 0; d->samples && i < d->nsamples; i++) {
			if (i)
				wput(w, ", ", 2);
			wqty(w, d->samples[i], time);
		}
		break;
	default:
		wqty(w, d->a, time);
		break;
	}
	wch(w, ')');
}

static void print_tb(wbuf *w, const owg_node *n)
{
	wstr(w, " tb ");
	wstring(w, n->name);
	wstr(w, " in ");
	wref(w, n->region);
	wch(w, '.');
	wu32(w, n->arm);
	wch(w, ' ');
	wstr(w, owg_tb_kind_name(n->tb_kind));
	wstr(w, " peas ");
	wu32(w, n->peas);
	wstr(w, " time ");
	wdist(w, &n->time, true);
	if (n->kernel) {
		wstr(w, " kernel ");
		wstring(w, n->kernel);
	}
	for (uint32_t i = 0; n->outs && i < n->nouts; i++) {
		wstr(w, " out ");
		wstr(w, n->outs[i].name ? n->outs[i].name : "");
		wch(w, ':');
		wstr(w, owg_type_name(n->outs[i].type));
	}
	if (n->config_bytes != 0 || isnan(n->config_bytes)) {
		wstr(w, " config ");
		wsize(w, n->config_bytes);
	}
}

static void print_cb(wbuf *w, const owg_graph *g, const owg_node *n)
{
	wch(w, ' ');
	wstr(w, owg_cb_kind_name(n->cb_kind));
	wch(w, ' ');
	wstring(w, n->name);
	if (n->cb_kind != OWG_CB_ENTRY || n->region != OWG_NONE) {
		wstr(w, " in ");
		wref(w, n->region);
		wch(w, '.');
		wu32(w, n->arm);
	}
	if (n->cb_kind == OWG_CB_LOOP) {
		if (n->loop_kind == OWG_LOOP_WHILE) {
			wstr(w, " while");
		} else {
			wstr(w, " trips ");
			wdist(w, &n->count, false);
		}
	}
	if (n->cb_kind == OWG_CB_FORK) {
		wstr(w, " count ");
		wdist(w, &n->count, false);
		if (n->count_node != OWG_NONE) {
			wstr(w, " of ");
			wout(w, g, n->count_node, n->count_out);
		}
	}
	if (n->pred) {
		wstr(w, " pred ");
		wexpr(w, g, n->pred);
	}
	if (n->max_trips > 0) {
		wstr(w, " max ");
		wu32(w, n->max_trips);
	}
	wstr(w, " arms");
	for (uint32_t i = 0; n->arms && i < n->narms; i++) {
		const owg_arm *a = &n->arms[i];
		wstr(w, " (");
		wstr(w, owg_arm_kind_name(a->kind));
		if (a->kind == OWG_ARM_CASE) {
			wch(w, ' ');
			wnum(w, a->value);
		}
		if (!isnan(a->prob)) {
			wstr(w, " p ");
			wnum(w, a->prob);
		}
		wch(w, ')');
	}
}

/* A fabric after its keyword: on a 'fabric' line and at the end of the
 * 'plan' line. */
static void print_fabric_body(wbuf *w, const owg_fabric *f)
{
	static const char *const level[OWG_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};
	wstring(w, f->name);
	for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++) {
		wch(w, ' ');
		wstr(w, level[l]);
		wch(w, ' ');
		wu32(w, f->grid_w[l]);
		wch(w, 'x');
		wu32(w, f->grid_h[l]);
	}
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		wstr(w, " hop ");
		wstr(w, level[l]);
		wch(w, ' ');
		wtime(w, f->hop_latency[l]);
		wch(w, ' ');
		wrate(w, f->link_bandwidth[l]);
	}
	wstr(w, " reconfig ");
	wrate(w, f->reconfig_bandwidth);
	wstr(w, " control ");
	wtime(w, f->control_latency);
	if (f->flat)
		wstr(w, " flat");
	for (uint32_t i = 0; f->defects && i < f->ndefects; i++) {
		wstr(w, " defect ");
		wu32(w, f->defects[i][0]);
		wch(w, ',');
		wu32(w, f->defects[i][1]);
	}
}

static void print_fabric(wbuf *w, const owg_fabric *f)
{
	wstr(w, "fabric ");
	print_fabric_body(w, f);
	wch(w, '\n');
}

/* --- analysis annotations: one line per node and pass, in pass order --- */

static void wkey_time(wbuf *w, const char *key, double x)
{
	wch(w, ' ');
	wstr(w, key);
	wch(w, ' ');
	wtime(w, x);
}

static void wkey_num(wbuf *w, const char *key, double x)
{
	wch(w, ' ');
	wstr(w, key);
	wch(w, ' ');
	wnum(w, x);
}

static const char *const prob_sources[] = {"declared", "profile", "heuristic"};

static void print_analysis(wbuf *w, const owg_graph *g)
{
	const owg_analysis *an = &g->an;
	for (size_t i = 0; an->time && i < g->nodes.n; i++) {
		const owg_time_stats *t = &an->time[i];
		if (g->nodes.v[i].kind != OWG_NODE_TB)
			continue;
		wstr(w, "time ");
		wref(w, (uint32_t)i);
		wkey_time(w, "mean", t->mean);
		wkey_time(w, "sd", t->sd);
		wkey_num(w, "cv", t->cv);
		wkey_time(w, "p50", t->p50);
		wkey_time(w, "p95", t->p95);
		wkey_time(w, "p99", t->p99);
		wstr(w, t->is_volatile ? " volatile" : " steady");
		if (t->samples) {
			wstr(w, " samples ");
			wu32(w, t->samples);
			wstr(w, " outliers ");
			wu32(w, t->outliers);
		}
		wch(w, '\n');
	}
	for (size_t i = 0; an->freq && i < g->nodes.n; i++) {
		wstr(w, "freq ");
		wref(w, (uint32_t)i);
		wkey_num(w, "mean", an->freq[i].mean);
		wkey_num(w, "var", an->freq[i].var);
		wstr(w, an->freq[i].is_bursty ? " bursty\n" : " stable\n");
	}
	for (size_t i = 0; an->cb && i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_CB || n->cb_kind == OWG_CB_ENTRY)
			continue;
		const owg_cb_freq *c = &an->cb[i];
		wstr(w, "probs ");
		wref(w, (uint32_t)i);
		wch(w, ' ');
		wstr(w, prob_sources[c->source]);
		if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
			if (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE)
				wkey_num(w, "repeat", c->repeat);
			wkey_num(w, "trips", c->trips_mean);
			wch(w, ' ');
			wnum(w, c->trips_var);
		} else {
			wstr(w, " arms");
			for (uint32_t a = 0; a < n->narms; a++) {
				wch(w, ' ');
				wnum(w, c->arm[a]);
			}
		}
		wch(w, '\n');
	}
	for (size_t i = 0; an->pea_time && i < g->nodes.n; i++) {
		if (g->nodes.v[i].kind != OWG_NODE_TB)
			continue;
		wstr(w, "load ");
		wref(w, (uint32_t)i);
		wkey_time(w, "pea-time", an->pea_time[i]);
		wstr(w, an->critical[i] ? " critical\n" : "\n");
	}
	if (an->pea_time) {
		wstr(w, "bounds peas ");
		wu32(w, an->peas);
		wkey_time(w, "critical-path", an->critical_path);
		wkey_time(w, "pea-time", an->total_pea_time);
		wkey_time(w, "lb-latency", an->lb_latency);
		wkey_num(w, "max-throughput", an->max_throughput);
		wch(w, '\n');
	}
}

/* --- the placement plan (plan.h), after the annotations --- */

static void wu64(wbuf *w, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	wstr(w, buf);
}

static uint32_t plan_at(const uint32_t *v, size_t i)
{
	return v ? v[i] : 0;
}

/* PEA entries [first, first + n) of a binding, clipped to its array (a
 * short list is refused by the reader). */
static void wpeas(wbuf *w, const owg_binding *b, uint64_t first, uint64_t n)
{
	wstr(w, " peas");
	uint64_t have = b->peas ? b->npeas : 0;
	for (uint64_t k = first; k < first + n && k < have; k++) {
		wch(w, ' ');
		wu32(w, b->peas[k]);
	}
}

/* KW %N [replicas R] home H [demand M V] [peas ...] per task, the pools,
 * the traffic. */
static void print_binding(wbuf *w, const owg_graph *g, const owg_binding *b, bool fixed)
{
	const owg_plan *p = g->plan;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB)
			continue;
		wstr(w, fixed ? "static " : p->pinned && p->pinned[i] ? "pin " : "elastic ");
		wref(w, (uint32_t)i);
		uint32_t rep = plan_at(b->replicas, i);
		if (rep) {
			wstr(w, " replicas ");
			wu32(w, rep);
		}
		wstr(w, " home ");
		wu32(w, plan_at(b->home, i));
		if (!fixed) {
			wstr(w, " demand ");
			wnum(w, p->demand_mean ? p->demand_mean[i] : 0.0);
			wch(w, ' ');
			wnum(w, p->demand_var ? p->demand_var[i] : 0.0);
		}
		if (rep)
			wpeas(w, b, plan_at(b->first, i), (uint64_t)rep * n->peas);
		wch(w, '\n');
	}
	uint64_t nclusters = (uint64_t)p->cwidth * p->cheight;
	for (uint64_t c = 0; b->pool_size && c < nclusters; c++) {
		if (!b->pool_size[c])
			continue;
		wstr(w, fixed ? "static pool " : "pool ");
		wu64(w, c);
		wpeas(w, b, plan_at(b->pool_first, c), b->pool_size[c]);
		wch(w, '\n');
	}
	wstr(w, fixed ? "static traffic " : "traffic ");
	wnum(w, b->traffic);
	wch(w, '\n');
}

static void print_plan(wbuf *w, const owg_graph *g)
{
	const owg_plan *p = g->plan;
	if (!p)
		return;
	wstr(w, "plan rate ");
	wnum(w, p->rate);
	wstr(w, " seed ");
	wu64(w, p->seed);
	wstr(w, " opt ");
	char opt[16];
	snprintf(opt, sizeof opt, "%d", p->opt);
	wstr(w, opt);
	wstr(w, " mesh ");
	wu32(w, p->width);
	wch(w, 'x');
	wu32(w, p->height);
	wstr(w, " clusters ");
	wu32(w, p->cwidth);
	wch(w, 'x');
	wu32(w, p->cheight);
	wstr(w, " fabric ");
	print_fabric_body(w, &p->fabric);
	wch(w, '\n');
	print_binding(w, g, &p->octopus, false);
	print_binding(w, g, &p->fixed, true);
}

void owg_ir_print(const owg_graph *g, FILE *out)
{
	wbuf *w = owg_xmalloc(sizeof *w);
	w->f = out;
	w->n = 0;
	wstr(w, "owgir 1\nworkflow ");
	wstring(w, g->name);
	wch(w, '\n');
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		wstr(w, "node ");
		wref(w, n->id);
		if (n->kind == OWG_NODE_TB)
			print_tb(w, n);
		else
			print_cb(w, g, n);
		wch(w, '\n');
	}
	for (size_t i = 0; i < g->flows.n; i++) {
		const owg_flow *f = &g->flows.v[i];
		wstr(w, "flow ");
		wref(w, f->src);
		wstr(w, " -> ");
		wref(w, f->dst);
		wch(w, ' ');
		wsize(w, f->bytes);
		wch(w, '\n');
	}
	for (size_t i = 0; i < g->fabrics.n; i++)
		print_fabric(w, &g->fabrics.v[i]);
	print_analysis(w, g);
	print_plan(w, g);
	wflush(w);
	free(w);
}
