#include "config.h"

/* owgp_import.c - an owgrt_program (a loaded .owgp) into an owg_graph.
 *
 * The loader has checked every index, enum and count, so this is a plain
 * copy into the graph's arena: field by field, with the defaults the IR
 * constructors give to the fields a node kind does not use, so that
 * writing the imported graph gives back the bytes it was loaded from. */

#include "owgp_import.h"

#include "../runtime/owgp_format.h"
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

_Static_assert(OWG_CB_EXIT == (int)OWGRT_CB_EXIT && OWG_ARM_CONT == (int)OWGRT_ARM_CONT &&
		       OWG_DIST_EMPIRICAL == (int)OWGRT_DIST_EMPIRICAL && OWG_OP_NEG == (int)OWGRT_OP_NEG &&
		       OWG_TYPE_BOOL == (int)OWGRT_TYPE_BOOL && OWG_EX_BINARY == (int)OWGRT_EX_BINARY &&
		       OWG_PROB_HEURISTIC == (int)OWGRT_PROB_HEURISTIC &&
		       OWG_LOOP_WHILE == (int)OWGRT_LOOP_WHILE && OWG_TB_GENERAL == (int)OWGRT_TASK_GENERAL &&
		       OWG_FAB_LEVELS == (int)OWGRT_FAB_LEVELS,
	       "ir.h and owgrt.h disagree");

bool owg_owgp_is_binary(const char *bytes, size_t n)
{
	return bytes && n >= OWGP_MAGIC_SIZE && memcmp(bytes, OWGP_MAGIC, OWGP_MAGIC_SIZE) == 0;
}

/* n elements copied into the arena (NULL for none). */
static void *dup_array(owg_graph *g, const void *src, size_t n, size_t size)
{
	if (!src || n == 0)
		return NULL;
	void *d = owg_arena_alloc(&g->arena, n * size);
	memcpy(d, src, n * size);
	return d;
}

static owg_dist import_dist(owg_graph *g, const owgrt_dist *d)
{
	owg_dist r;
	memset(&r, 0, sizeof r);
	r.kind = (owg_dist_kind)d->kind;
	r.a = d->a;
	r.b = d->b;
	r.nsamples = d->nsamples;
	r.samples = dup_array(g, d->samples, d->nsamples, sizeof *r.samples);
	return r;
}

static void import_fabric(owg_graph *g, const owgrt_fabric *f, owg_fabric *out)
{
	memset(out, 0, sizeof *out);
	out->name = owg_arena_strdup(&g->arena, f->name);
	out->loc = OWG_LOC_NONE;
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		out->grid_w[l] = f->grid_w[l];
		out->grid_h[l] = f->grid_h[l];
		out->hop_latency[l] = f->hop_latency[l];
		out->link_bandwidth[l] = f->link_bandwidth[l];
	}
	out->reconfig_bandwidth = f->reconfig_bandwidth;
	out->control_latency = f->control_latency;
	out->flat = f->flat;
	out->ndefects = f->ndefects;
	if (f->ndefects) {
		out->defects = owg_arena_alloc(&g->arena, f->ndefects * sizeof *out->defects);
		for (uint32_t k = 0; k < f->ndefects; k++) {
			out->defects[k][0] = f->defects[k].x;
			out->defects[k][1] = f->defects[k].y;
		}
	}
}

static void import_nodes(owg_graph *g, const owgrt_program *p, owg_expr *ex)
{
	for (uint32_t i = 0; i < p->nnodes; i++) {
		const owgrt_node *s = &p->nodes[i];
		owg_node n;
		memset(&n, 0, sizeof n);
		n.id = i;
		n.kind = s->kind == OWGRT_NODE_TASK ? OWG_NODE_TB : OWG_NODE_CB;
		n.name = owg_arena_strdup(&g->arena, s->name);
		n.loc = OWG_LOC_NONE;
		n.region = s->region;
		n.arm = s->arm;
		/* the defaults of owg_ir_add_tb / owg_ir_add_cb */
		n.tb_kind = OWG_TB_GENERAL;
		n.peas = 1;
		n.time.kind = OWG_DIST_CONST;
		n.count.kind = OWG_DIST_CONST;
		n.count.a = 1;
		n.loop_kind = OWG_LOOP_COUNT;
		n.count_node = OWG_NONE;
		if (s->kind == OWGRT_NODE_TASK) {
			n.tb_kind = (owg_tb_kind)s->task_kind;
			n.peas = s->peas;
			n.time = import_dist(g, &s->time);
			n.kernel = s->kernel ? owg_arena_strdup(&g->arena, s->kernel) : NULL;
			n.nouts = s->nouts;
			if (s->nouts) {
				n.outs = owg_arena_alloc(&g->arena, s->nouts * sizeof *n.outs);
				for (uint32_t k = 0; k < s->nouts; k++) {
					n.outs[k].name = owg_arena_strdup(&g->arena, s->outs[k].name);
					n.outs[k].type = (owg_type)s->outs[k].type;
				}
			}
			n.config_bytes = s->config_bytes;
		} else {
			n.cb_kind = (owg_cb_kind)s->cb_kind;
			n.narms = s->narms;
			if (s->narms) {
				n.arms = owg_arena_alloc(&g->arena, s->narms * sizeof *n.arms);
				for (uint32_t k = 0; k < s->narms; k++) {
					n.arms[k].kind = (owg_arm_kind)s->arms[k].kind;
					n.arms[k].value = s->arms[k].value;
					n.arms[k].prob = isnan(s->arms[k].prob) ? NAN : s->arms[k].prob;
				}
			}
			n.pred = s->pred != OWGRT_NONE ? &ex[s->pred] : NULL;
			n.loop_kind = (owg_loop_kind)s->loop_kind;
			if (s->has_count)
				n.count = import_dist(g, &s->count);
			n.max_trips = s->max_trips;
			n.count_node = s->count_node;
			n.count_out = s->count_out;
		}
		OWG_VEC_PUSH(g->nodes, n);
	}
}

/* Expressions: operands come first, so every pointer is to an earlier,
 * already filled element. */
static owg_expr *import_exprs(owg_graph *g, const owgrt_program *p)
{
	if (!p->nexprs)
		return NULL;
	owg_expr *ex = owg_arena_alloc(&g->arena, p->nexprs * sizeof *ex);
	for (uint32_t i = 0; i < p->nexprs; i++) {
		const owgrt_expr *s = &p->exprs[i];
		owg_expr *e = &ex[i];
		e->kind = (owg_expr_kind)s->kind;
		e->type = (owg_type)s->type;
		switch (s->kind) {
		case OWGRT_EX_NUM:
			e->u.num = s->num;
			break;
		case OWGRT_EX_BOOL:
			e->u.b = s->b;
			break;
		case OWGRT_EX_OUT:
			e->u.ref.node = s->node;
			e->u.ref.out = s->out;
			break;
		case OWGRT_EX_UNARY:
		case OWGRT_EX_BINARY:
			e->op = (owg_op)s->op;
			e->u.sub.l = &ex[s->l];
			e->u.sub.r = s->kind == OWGRT_EX_BINARY ? &ex[s->r] : NULL;
			break;
		}
	}
	return ex;
}

static void import_analysis(owg_graph *g, const owgrt_program *p)
{
	const owgrt_analysis *s = &p->analysis;
	owg_analysis *an = &g->an;
	size_t n = p->nnodes;
	if (s->time) {
		an->time = owg_arena_alloc(&g->arena, n * sizeof *an->time + 1);
		for (size_t i = 0; i < n; i++) {
			const owgrt_time_stats *t = &s->time[i];
			an->time[i] = (owg_time_stats){t->mean, t->sd, t->cv, t->p50, t->p95, t->p99,
						       t->samples, t->outliers, t->is_volatile};
		}
	}
	if (s->freq) {
		an->freq = owg_arena_alloc(&g->arena, n * sizeof *an->freq + 1);
		for (size_t i = 0; i < n; i++)
			an->freq[i] = (owg_freq_stats){s->freq[i].mean, s->freq[i].var, s->freq[i].is_bursty};
	}
	if (s->cb) {
		an->cb = owg_arena_alloc(&g->arena, n * sizeof *an->cb + 1);
		for (size_t i = 0; i < n; i++) {
			const owgrt_cb_freq *c = &s->cb[i];
			an->cb[i].source = (owg_prob_source)c->source;
			an->cb[i].arm = dup_array(g, c->arm, c->narms, sizeof *c->arm);
			an->cb[i].repeat = c->repeat;
			an->cb[i].trips_mean = c->trips_mean;
			an->cb[i].trips_var = c->trips_var;
		}
	}
	if (s->pea_time) {
		an->pea_time = owg_arena_alloc(&g->arena, n * sizeof *an->pea_time + 1);
		an->critical = owg_arena_alloc(&g->arena, n * sizeof *an->critical + 1);
		for (size_t i = 0; i < n; i++) {
			an->pea_time[i] = s->pea_time[i];
			an->critical[i] = s->critical[i];
		}
		an->peas = s->peas;
		an->critical_path = s->critical_path;
		an->total_pea_time = s->total_pea_time;
		an->lb_latency = s->lb_latency;
		an->max_throughput = s->max_throughput;
	}
}

static uint32_t *dup_u32(owg_graph *g, const uint32_t *v, size_t n)
{
	uint32_t *d = owg_arena_alloc(&g->arena, n * sizeof *d + 1);
	if (n)
		memcpy(d, v, n * sizeof *d);
	return d;
}

static void import_binding(owg_graph *g, const owgrt_plan *s, const owgrt_binding *b, size_t nnodes,
			   owg_binding *out)
{
	out->replicas = dup_u32(g, b->replicas, nnodes);
	out->first = dup_u32(g, b->first, nnodes);
	out->home = dup_u32(g, b->home, nnodes);
	out->pool_first = dup_u32(g, b->pool_first, s->nclusters);
	out->pool_size = dup_u32(g, b->pool_size, s->nclusters);
	out->peas = dup_u32(g, b->peas, b->npeas);
	out->npeas = b->npeas;
	out->traffic = b->traffic;
}

static void import_plan(owg_graph *g, const owgrt_program *p)
{
	const owgrt_plan *s = p->plan;
	owg_plan *pl = owg_arena_alloc(&g->arena, sizeof *pl);
	import_fabric(g, s->fabric, &pl->fabric);
	pl->width = s->width;
	pl->height = s->height;
	pl->cwidth = s->cwidth;
	pl->cheight = s->cheight;
	pl->rate = s->rate;
	pl->pinned = owg_arena_alloc(&g->arena, p->nnodes * sizeof *pl->pinned + 1);
	pl->demand_mean = owg_arena_alloc(&g->arena, p->nnodes * sizeof *pl->demand_mean + 1);
	pl->demand_var = owg_arena_alloc(&g->arena, p->nnodes * sizeof *pl->demand_var + 1);
	for (uint32_t i = 0; i < p->nnodes; i++) {
		pl->pinned[i] = s->pinned[i];
		pl->demand_mean[i] = s->demand_mean[i];
		pl->demand_var[i] = s->demand_var[i];
	}
	import_binding(g, s, &s->octopus, p->nnodes, &pl->octopus);
	import_binding(g, s, &s->fixed, p->nnodes, &pl->fixed);
	pl->seed = s->seed;
	pl->opt = s->opt;
	g->plan = pl;
}

owg_graph *owg_owgp_import(const owgrt_program *p, char *err, size_t err_size)
{
	if (!p) {
		if (err && err_size)
			snprintf(err, err_size, "no program to import");
		return NULL;
	}
	owg_graph *g = owg_ir_new(p->name);
	owg_expr *ex = import_exprs(g, p);
	import_nodes(g, p, ex);
	for (uint32_t i = 0; i < p->nflows; i++)
		owg_ir_add_flow(g, p->flows[i].src, p->flows[i].dst, p->flows[i].bytes);
	for (uint32_t i = 0; i < p->nfabrics; i++) {
		owg_fabric f;
		import_fabric(g, &p->fabrics[i], &f);
		OWG_VEC_PUSH(g->fabrics, f);
	}
	import_analysis(g, p);
	if (p->plan)
		import_plan(g, p);
	return g;
}
