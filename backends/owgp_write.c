#include "config.h"

/* owgp_write.c - writes the placement binary (.owgp) of a graph, as
 * runtime/owgp_format.h defines it: each section is built in memory, field
 * by field in little-endian order, then the header and the section table
 * are put in front, the CRC-32 of the whole is patched in and the bytes are
 * written at once.
 *
 * The output depends on the graph only: strings are stored once per use
 * in the order they are met, expressions in post-order per predicate,
 * every "none" NaN probability as the same quiet NaN, and the records of
 * nodes an annotation or the plan does not apply to (a control node's
 * time statistics or PEAs, ...) as zero. */

#include "owgp_write.h"

#include "../runtime/owgp_format.h"
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

_Static_assert((int)OWG_CB_EXIT == OWGP_CB_EXIT && (int)OWG_ARM_CONT == OWGP_ARM_CONT &&
		       (int)OWG_DIST_EMPIRICAL == OWGP_DIST_EMPIRICAL && (int)OWG_OP_NEG == OWGP_OP_NEG &&
		       (int)OWG_TYPE_BOOL == OWGP_TYPE_BOOL && (int)OWG_EX_BINARY == OWGP_EX_BINARY &&
		       (int)OWG_PROB_HEURISTIC == OWGP_PROB_HEURISTIC && (int)OWG_LOOP_WHILE == OWGP_LOOP_WHILE &&
		       (int)OWG_TB_GENERAL == OWGP_TASK_GENERAL && (int)OWG_NODE_CB == OWGP_NODE_CONTROL &&
		       (int)OWG_FAB_LEVELS == 4,
	       "ir.h and owgp_format.h disagree");

/* --- byte buffers --- */

typedef struct buf {
	uint8_t *p;
	size_t n, cap;
} buf;

static uint8_t *grow(buf *b, size_t n)
{
	if (n > b->cap - b->n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->n < n)
			cap *= 2;
		b->p = owg_xrealloc(b->p, cap);
		b->cap = cap;
	}
	uint8_t *at = b->p + b->n;
	b->n += n;
	return at;
}

static void put8(buf *b, unsigned v)
{
	*grow(b, 1) = (uint8_t)v;
}

static void put32(buf *b, uint32_t v)
{
	uint8_t *p = grow(b, 4);
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(buf *b, uint64_t v)
{
	uint8_t *p = grow(b, 8);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void putf(buf *b, double x)
{
	uint64_t u;
	if (isnan(x))
		u = UINT64_C(0x7ff8000000000000);
	else
		memcpy(&u, &x, sizeof u);
	put64(b, u);
}

static void pad(buf *b, size_t n)
{
	memset(grow(b, n), 0, n);
}

static void set32(buf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)(v >> 8 * i);
}

/* --- sections --- */


typedef struct wr {
	const owg_graph *g;
	buf s[OWGP_S_COUNT];
	bool present[OWGP_S_COUNT];
	bool ok; /* false: something cannot be encoded */
} wr;

/* Records in section k so far. */
static uint64_t nrec(const wr *w, int k)
{
	return w->s[k].n / owgp_sections[k].size;
}

/* The index the next record of section k gets. */
static uint32_t next_index(wr *w, int k)
{
	uint64_t n = nrec(w, k);
	if (n >= OWGP_NONE) {
		w->ok = false;
		return 0;
	}
	return (uint32_t)n;
}

static uint32_t count32(wr *w, uint64_t n)
{
	if (n >= OWGP_NONE) {
		w->ok = false;
		return 0;
	}
	return (uint32_t)n;
}

/* A string, stored once per use; NULL is OWGP_NONE when none_ok, else "". */
static uint32_t str(wr *w, const char *s, bool none_ok)
{
	if (!s && none_ok)
		return OWGP_NONE;
	if (!s)
		s = "";
	buf *b = &w->s[OWGP_S_STRS];
	size_t len = strlen(s) + 1;
	if (b->n >= OWGP_NONE || len > OWGP_NONE - 1 - b->n) {
		w->ok = false;
		return 0;
	}
	uint32_t off = (uint32_t)b->n;
	memcpy(grow(b, len), s, len);
	return off;
}

static uint32_t dist(wr *w, const owg_dist *d)
{
	uint32_t idx = next_index(w, OWGP_S_DIST);
	buf *b = &w->s[OWGP_S_DIST];
	uint32_t n = d->kind == OWG_DIST_EMPIRICAL && d->samples ? d->nsamples : 0;
	put8(b, (unsigned)d->kind);
	pad(b, 3);
	put32(b, n);
	put32(b, next_index(w, OWGP_S_SAMP));
	put32(b, 0);
	putf(b, d->a);
	putf(b, d->b);
	for (uint32_t i = 0; i < n; i++)
		putf(&w->s[OWGP_S_SAMP], d->samples[i]);
	return idx;
}

/* One expression record. */
static uint32_t expr_rec(wr *w, const owg_expr *e, uint32_t x, uint32_t y)
{
	uint32_t idx = next_index(w, OWGP_S_EXPR);
	buf *b = &w->s[OWGP_S_EXPR];
	bool oper = e->kind == OWG_EX_UNARY || e->kind == OWG_EX_BINARY;
	put8(b, (unsigned)e->kind);
	put8(b, oper ? (unsigned)e->op : 0);
	put8(b, (unsigned)e->type);
	put8(b, 0);
	put32(b, x);
	put32(b, y);
	put32(b, 0);
	putf(b, e->kind == OWG_EX_NUM ? e->u.num : 0.0);
	return idx;
}

/* The tree of root in post-order (operands first), without recursion;
 * returns the root's index, or OWGP_NONE for a malformed tree. */
static uint32_t expr_tree(wr *w, const owg_expr *root)
{
	typedef struct frame {
		const owg_expr *e;
		int state; /* operands emitted so far */
		uint32_t ops[2];
	} frame;
	OWG_VEC(frame) st = {0};
	frame f0 = {root, 0, {0, 0}};
	OWG_VEC_PUSH(st, f0);
	uint32_t result = OWGP_NONE;
	while (st.n) {
		frame *f = &st.v[st.n - 1];
		const owg_expr *e = f->e;
		if (!e) {
			w->ok = false;
			break;
		}
		int nops = e->kind == OWG_EX_UNARY ? 1 : e->kind == OWG_EX_BINARY ? 2 : 0;
		if (f->state < nops) {
			const owg_expr *c = f->state == 0 ? e->u.sub.l : e->u.sub.r;
			f->state++;
			frame nf = {c, 0, {0, 0}};
			OWG_VEC_PUSH(st, nf);
			continue;
		}
		uint32_t x = 0, y = 0;
		if (e->kind == OWG_EX_BOOL)
			x = e->u.b;
		else if (e->kind == OWG_EX_OUT)
			x = e->u.ref.node, y = e->u.ref.out;
		else if (nops)
			x = f->ops[0], y = nops == 2 ? f->ops[1] : 0;
		uint32_t idx = expr_rec(w, e, x, y);
		st.n--;
		if (st.n) {
			frame *parent = &st.v[st.n - 1];
			parent->ops[parent->state - 1] = idx;
		} else {
			result = idx;
		}
	}
	OWG_VEC_FREE(st);
	return w->ok ? result : OWGP_NONE;
}

static void write_node(wr *w, const owg_node *n)
{
	buf *b = &w->s[OWGP_S_NODE];
	bool entry_root = n->region == OWG_NONE;
	if (n->kind == OWG_NODE_TB) {
		put8(b, OWGP_NODE_TASK);
		put8(b, (unsigned)n->tb_kind);
		put8(b, 0);
		put8(b, 0);
		put32(b, str(w, n->name, false));
		put32(b, n->region);
		put32(b, entry_root ? 0 : n->arm);
		put32(b, n->peas);
		put32(b, dist(w, &n->time));
		put32(b, str(w, n->kernel, true));
		uint32_t nouts = n->outs ? n->nouts : 0;
		put32(b, next_index(w, OWGP_S_OUTS));
		put32(b, nouts);
		pad(b, 12);
		putf(b, n->config_bytes);
		for (uint32_t k = 0; k < nouts; k++) {
			buf *o = &w->s[OWGP_S_OUTS];
			put32(o, str(w, n->outs[k].name, false));
			put8(o, (unsigned)n->outs[k].type);
			pad(o, 3);
		}
		return;
	}
	bool loop = n->cb_kind == OWG_CB_LOOP;
	bool loop_while = loop && n->loop_kind == OWG_LOOP_WHILE;
	bool fork = n->cb_kind == OWG_CB_FORK;
	put8(b, OWGP_NODE_CONTROL);
	put8(b, (unsigned)n->cb_kind);
	put8(b, loop ? (unsigned)n->loop_kind : 0);
	put8(b, 0);
	put32(b, str(w, n->name, false));
	put32(b, n->region);
	put32(b, entry_root ? 0 : n->arm);
	uint32_t narms = n->arms ? n->narms : 0;
	put32(b, next_index(w, OWGP_S_ARMS));
	put32(b, narms);
	for (uint32_t k = 0; k < narms; k++) {
		const owg_arm *a = &n->arms[k];
		buf *ab = &w->s[OWGP_S_ARMS];
		put8(ab, (unsigned)a->kind);
		pad(ab, 7);
		putf(ab, a->kind == OWG_ARM_CASE ? a->value : 0.0);
		putf(ab, a->prob);
	}
	uint32_t pred = n->pred ? expr_tree(w, n->pred) : OWGP_NONE;
	put32(b, pred);
	put32(b, fork || (loop && !loop_while) ? dist(w, &n->count) : OWGP_NONE);
	put32(b, n->max_trips);
	put32(b, fork ? n->count_node : OWGP_NONE);
	put32(b, fork && n->count_node != OWG_NONE ? n->count_out : 0);
	put32(b, 0);
	put64(b, 0);
}

static void write_fabric(wr *w, const owg_fabric *f)
{
	buf *b = &w->s[OWGP_S_FABR];
	put32(b, str(w, f->name, false));
	put32(b, f->flat ? OWGP_FABRIC_FLAT : 0);
	for (int l = OWG_FAB_CLUSTER; l < OWG_FAB_LEVELS; l++) {
		put32(b, f->grid_w[l]);
		put32(b, f->grid_h[l]);
	}
	for (int l = 0; l < OWG_FAB_LEVELS; l++)
		putf(b, f->hop_latency[l]);
	for (int l = 0; l < OWG_FAB_LEVELS; l++)
		putf(b, f->link_bandwidth[l]);
	putf(b, f->reconfig_bandwidth);
	putf(b, f->control_latency);
	uint32_t nd = f->defects ? f->ndefects : 0;
	put32(b, next_index(w, OWGP_S_DEFS));
	put32(b, nd);
	for (uint32_t k = 0; k < nd; k++) {
		put32(&w->s[OWGP_S_DEFS], f->defects[k][0]);
		put32(&w->s[OWGP_S_DEFS], f->defects[k][1]);
	}
}

static bool branching(const owg_node *n)
{
	return n->cb_kind == OWG_CB_BRANCH || n->cb_kind == OWG_CB_SWITCH || n->cb_kind == OWG_CB_EXIT;
}

static void write_analysis(wr *w)
{
	const owg_graph *g = w->g;
	const owg_analysis *an = &g->an;
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		bool tb = n->kind == OWG_NODE_TB;
		if (an->time) {
			buf *b = &w->s[OWGP_S_ATIM];
			const owg_time_stats *t = &an->time[i];
			if (!tb) {
				pad(b, OWGP_ATIM_SIZE);
			} else {
				putf(b, t->mean);
				putf(b, t->sd);
				putf(b, t->cv);
				putf(b, t->p50);
				putf(b, t->p95);
				putf(b, t->p99);
				put32(b, t->samples);
				put32(b, t->outliers);
				put8(b, t->is_volatile);
				pad(b, 7);
			}
		}
		if (an->freq) {
			buf *b = &w->s[OWGP_S_AFRQ];
			putf(b, an->freq[i].mean);
			putf(b, an->freq[i].var);
			put8(b, an->freq[i].is_bursty);
			pad(b, 7);
		}
		if (an->cb) {
			buf *b = &w->s[OWGP_S_ACBF];
			const owg_cb_freq *c = &an->cb[i];
			if (tb || n->cb_kind == OWG_CB_ENTRY) {
				pad(b, OWGP_ACBF_SIZE);
			} else {
				uint32_t na = branching(n) && c->arm ? n->narms : 0;
				put8(b, (unsigned)c->source);
				pad(b, 3);
				put32(b, next_index(w, OWGP_S_ACBA));
				put32(b, na);
				put32(b, 0);
				putf(b, c->repeat);
				putf(b, c->trips_mean);
				putf(b, c->trips_var);
				for (uint32_t a = 0; a < na; a++)
					putf(&w->s[OWGP_S_ACBA], c->arm[a]);
			}
		}
		if (an->pea_time) {
			buf *b = &w->s[OWGP_S_ALOD];
			if (!tb) {
				pad(b, OWGP_ALOD_SIZE);
			} else {
				putf(b, an->pea_time[i]);
				put8(b, an->critical && an->critical[i]);
				pad(b, 7);
			}
		}
	}
	w->present[OWGP_S_ATIM] = an->time != NULL;
	w->present[OWGP_S_AFRQ] = an->freq != NULL;
	w->present[OWGP_S_ACBF] = w->present[OWGP_S_ACBA] = an->cb != NULL;
	w->present[OWGP_S_ALOD] = w->present[OWGP_S_ABND] = an->pea_time != NULL;
	if (an->pea_time) {
		buf *b = &w->s[OWGP_S_ABND];
		put32(b, an->peas);
		put32(b, 0);
		putf(b, an->critical_path);
		putf(b, an->total_pea_time);
		putf(b, an->lb_latency);
		putf(b, an->max_throughput);
	}
}

static uint32_t at(const uint32_t *v, size_t i)
{
	return v ? v[i] : 0;
}

static void write_plan(wr *w)
{
	const owg_graph *g = w->g;
	const owg_plan *p = g->plan;
	uint64_t nclusters = (uint64_t)p->cwidth * p->cheight;
	if (nclusters > OWGP_MAX_PLAN_CLUSTERS) {
		w->ok = false;
		return;
	}
	const owg_binding *bd[2] = {&p->octopus, &p->fixed};
	buf *b = &w->s[OWGP_S_PLAN];
	put32(b, p->width);
	put32(b, p->height);
	put32(b, p->cwidth);
	put32(b, p->cheight);
	put32(b, (uint32_t)p->opt);
	put32(b, 0);
	put64(b, p->seed);
	putf(b, p->rate);
	for (int k = 0; k < 2; k++)
		putf(b, bd[k]->traffic);
	for (int k = 0; k < 2; k++)
		put32(b, count32(w, bd[k]->peas ? bd[k]->npeas : 0));
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; bd[k]->peas && i < bd[k]->npeas; i++)
			put32(&w->s[OWGP_S_PEAS], bd[k]->peas[i]);
	for (size_t i = 0; i < g->nodes.n; i++) {
		buf *nb = &w->s[OWGP_S_PNOD];
		if (g->nodes.v[i].kind != OWG_NODE_TB) {
			pad(nb, OWGP_PNOD_SIZE);
			continue;
		}
		put8(nb, p->pinned && p->pinned[i]);
		pad(nb, 3);
		for (int k = 0; k < 2; k++) {
			put32(nb, at(bd[k]->replicas, i));
			put32(nb, at(bd[k]->first, i));
			put32(nb, at(bd[k]->home, i));
		}
		put32(nb, 0);
		putf(nb, p->demand_mean ? p->demand_mean[i] : 0.0);
		putf(nb, p->demand_var ? p->demand_var[i] : 0.0);
	}
	for (uint64_t c = 0; c < nclusters; c++) {
		for (int k = 0; k < 2; k++) {
			put32(&w->s[OWGP_S_PCLU], at(bd[k]->pool_first, c));
			put32(&w->s[OWGP_S_PCLU], at(bd[k]->pool_size, c));
		}
	}
	w->present[OWGP_S_PLAN] = w->present[OWGP_S_PNOD] = w->present[OWGP_S_PCLU] = w->present[OWGP_S_PEAS] = true;
}

/* --- the file --- */

static uint32_t crc_of(const uint8_t *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);
	while (n) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
		c = crc32(c, p, k);
		p += k;
		n -= k;
	}
	return (uint32_t)c;
}

static bool assemble(wr *w, FILE *out)
{
	uint32_t nsec = 0;
	for (int k = 0; k < OWGP_S_COUNT; k++)
		nsec += w->present[k];
	buf f = {0};
	pad(&f, OWGP_HEADER_SIZE);
	size_t table = f.n;
	pad(&f, (size_t)nsec * OWGP_ENTRY_SIZE);
	uint32_t e = 0;
	for (int k = 0; k < OWGP_S_COUNT; k++) {
		if (!w->present[k])
			continue;
		pad(&f, (8 - f.n % 8) % 8);
		uint64_t off = f.n, size = w->s[k].n, count = size / owgp_sections[k].size;
		if (count >= OWGP_NONE) {
			free(f.p);
			return false;
		}
		if (size)
			memcpy(grow(&f, size), w->s[k].p, size);
		uint8_t *ent = f.p + table + (size_t)e++ * OWGP_ENTRY_SIZE;
		buf eb = {0};
		memcpy(grow(&eb, 4), owgp_sections[k].id, 4);
		put32(&eb, OWGP_SEC_REQUIRED);
		put64(&eb, off);
		put64(&eb, size);
		put32(&eb, (uint32_t)count);
		put32(&eb, owgp_sections[k].size);
		memcpy(ent, eb.p, OWGP_ENTRY_SIZE);
		free(eb.p);
	}
	pad(&f, (8 - f.n % 8) % 8);
	buf h = {0};
	memcpy(grow(&h, OWGP_MAGIC_SIZE), OWGP_MAGIC, OWGP_MAGIC_SIZE);
	put8(&h, OWGP_VERSION_MAJOR & 0xff);
	put8(&h, OWGP_VERSION_MAJOR >> 8);
	put8(&h, OWGP_VERSION_MINOR & 0xff);
	put8(&h, OWGP_VERSION_MINOR >> 8);
	put32(&h, OWGP_HEADER_SIZE);
	put64(&h, f.n);
	put32(&h, nsec);
	put32(&h, 0); /* flags */
	put64(&h, table);
	put32(&h, 0); /* crc32, patched below */
	put32(&h, 0);
	memcpy(f.p, h.p, OWGP_HEADER_SIZE);
	free(h.p);
	set32(&f, OWGP_CRC_OFFSET, crc_of(f.p, f.n));
	bool ok = fwrite(f.p, 1, f.n, out) == f.n && !ferror(out);
	free(f.p);
	return ok;
}

bool owg_owgp_write(const owg_graph *g, FILE *out)
{
	wr w;
	memset(&w, 0, sizeof w);
	w.g = g;
	w.ok = g->nodes.n < OWGP_NONE && g->flows.n < OWGP_NONE && g->fabrics.n < OWGP_NONE;
	if (!w.ok)
		return false;
	static const int always[] = {OWGP_S_GRPH, OWGP_S_STRS, OWGP_S_NODE, OWGP_S_ARMS, OWGP_S_OUTS, OWGP_S_DIST,
				     OWGP_S_SAMP, OWGP_S_EXPR, OWGP_S_FLOW, OWGP_S_FABR, OWGP_S_DEFS};
	for (size_t k = 0; k < sizeof always / sizeof *always; k++)
		w.present[always[k]] = true;
	put32(&w.s[OWGP_S_GRPH], str(&w, g->name, false));
	put32(&w.s[OWGP_S_GRPH], (uint32_t)g->fabrics.n);
	for (size_t i = 0; i < g->nodes.n; i++)
		write_node(&w, &g->nodes.v[i]);
	for (size_t i = 0; i < g->flows.n; i++) {
		const owg_flow *fl = &g->flows.v[i];
		put32(&w.s[OWGP_S_FLOW], fl->src);
		put32(&w.s[OWGP_S_FLOW], fl->dst);
		putf(&w.s[OWGP_S_FLOW], fl->bytes);
	}
	for (size_t i = 0; i < g->fabrics.n; i++)
		write_fabric(&w, &g->fabrics.v[i]);
	if (g->plan)
		write_fabric(&w, &g->plan->fabric);
	write_analysis(&w);
	if (g->plan)
		write_plan(&w);
	bool ok = w.ok && assemble(&w, out);
	for (int k = 0; k < OWGP_S_COUNT; k++)
		free(w.s[k].p);
	return ok;
}
