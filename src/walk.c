#include "config.h"

/* walk.c - see walk.h.  The walk keeps an explicit stack of the arms being
 * run (IR nesting can be deep), each with the random stream of the
 * control block's execution that opened it. */

#include "walk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "profile.h"
#include "../runtime/owgrt_rng.h"

typedef struct frame {
	uint32_t cb, arm;
	uint32_t next;  /* index of the next child in the arm */
	uint64_t left;  /* count loops and forks: trips or items still to run after this one */
	uint64_t trips; /* while loops: trips run so far */
	owgrt_rng rng;    /* the stream of this execution of the block */
} frame;

/* Children of every (control block, arm), in id order: children of slot s
 * are child[start[s] .. start[s + 1]), slot = base[cb] + arm. */
typedef struct tree {
	uint32_t *base, *start, *child;
} tree;

static tree build_tree(const owg_graph *g)
{
	size_t nn = g->nodes.n, nslots = 0;
	tree t;
	t.base = owg_xmalloc((nn + 1) * sizeof *t.base);
	for (size_t i = 0; i < nn; i++) {
		t.base[i] = (uint32_t)nslots;
		if (g->nodes.v[i].kind == OWG_NODE_CB)
			nslots += g->nodes.v[i].narms;
	}
	t.start = owg_xcalloc(nslots + 2, sizeof *t.start);
	t.child = owg_xmalloc((nn + 1) * sizeof *t.child);
	for (size_t i = 0; i < nn; i++)
		if (g->nodes.v[i].region != OWG_NONE)
			t.start[t.base[g->nodes.v[i].region] + g->nodes.v[i].arm + 1]++;
	for (size_t s = 0; s < nslots; s++)
		t.start[s + 1] += t.start[s];
	uint32_t *fill = owg_xcalloc(nslots + 1, sizeof *fill);
	for (size_t i = 0; i < nn; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->region == OWG_NONE)
			continue;
		uint32_t s = t.base[n->region] + n->arm;
		t.child[t.start[s] + fill[s]++] = (uint32_t)i;
	}
	free(fill);
	return t;
}

static uint32_t pick_arm(const owg_node *n, const owg_cb_freq *c, owgrt_rng *r)
{
	double u = owgrt_rng_uniform(r), acc = 0;
	for (uint32_t a = 0; a + 1 < n->narms; a++) {
		acc += c->arm[a];
		if (u < acc)
			return a;
	}
	return n->narms - 1;
}

void owg_walk(const owg_graph *g, uint64_t requests, uint64_t seed, owg_profile *prof, owg_walk_result *res)
{
	size_t nn = g->nodes.n;
	tree t = build_tree(g);
	uint64_t *count = owg_xcalloc(nn + 1, sizeof *count);
	double *sum = owg_xcalloc(nn + 1, sizeof *sum), *sumsq = owg_xcalloc(nn + 1, sizeof *sumsq);
	OWG_VEC(frame) st = {0};
	for (uint64_t req = 0; req < requests; req++) {
		memset(count, 0, nn * sizeof *count);
		frame f0 = {0};
		count[0] = 1;
		if (prof)
			owg_prof_record_arm(prof, 0, 0); /* the entry runs once per request */
		OWG_VEC_PUSH(st, f0);
		while (st.n) {
			frame *f = &st.v[st.n - 1];
			uint32_t slot = t.base[f->cb] + f->arm;
			if (f->next < t.start[slot + 1] - t.start[slot]) {
				uint32_t id = t.child[t.start[slot] + f->next++];
				const owg_node *n = &g->nodes.v[id];
				frame nf = {id, 0, 0, 0, 0, {{0}}};
				owgrt_rng_stream(&nf.rng, seed, req, id, count[id]++);
				if (n->kind == OWG_NODE_TB) {
					double x = owg_time_sample(&n->time, &nf.rng);
					if (prof)
						owg_prof_record_time(prof, id, x, owgrt_rng_next(&nf.rng));
					continue;
				}
				const owg_cb_freq *c = &g->an.cb[id];
				if (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE) {
					nf.trips = 1;
				} else if (n->cb_kind == OWG_CB_LOOP || n->cb_kind == OWG_CB_FORK) {
					uint64_t k = owg_count_sample(&n->count, &nf.rng);
					if (prof)
						owg_prof_record_items(prof, id, k);
					if (k == 0)
						continue;
					nf.left = k - 1;
				} else {
					nf.arm = pick_arm(n, c, &nf.rng);
					if (prof)
						owg_prof_record_arm(prof, id, nf.arm);
				}
				OWG_VEC_PUSH(st, nf); /* f may move */
				continue;
			}
			/* the arm is done: another trip or item, or back to the parent */
			const owg_node *n = &g->nodes.v[f->cb];
			if (f->left > 0) {
				f->left--;
				f->next = 0;
				continue;
			}
			if (n->kind == OWG_NODE_CB && n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_WHILE) {
				bool again = (n->max_trips == 0 || f->trips < n->max_trips) &&
					     owgrt_rng_uniform(&f->rng) < g->an.cb[f->cb].repeat;
				if (prof)
					owg_prof_record_arm(prof, f->cb, again ? 1 : 0);
				if (again) {
					f->trips++;
					f->next = 0;
					continue;
				}
			}
			st.n--;
		}
		if (prof)
			owg_prof_end_request(prof, count);
		for (size_t i = 0; i < nn; i++) {
			sum[i] += (double)count[i];
			sumsq[i] += (double)count[i] * (double)count[i];
		}
	}
	if (res) {
		res->mean = owg_xmalloc((nn + 1) * sizeof *res->mean);
		res->var = owg_xmalloc((nn + 1) * sizeof *res->var);
		for (size_t i = 0; i < nn; i++) {
			double m = requests ? sum[i] / (double)requests : 0;
			double v = requests ? sumsq[i] / (double)requests - m * m : 0;
			res->mean[i] = m;
			res->var[i] = v > 0 ? v : 0;
		}
	}
	OWG_VEC_FREE(st);
	free(count);
	free(sum);
	free(sumsq);
	free(t.base);
	free(t.start);
	free(t.child);
}

void owg_walk_result_free(owg_walk_result *res)
{
	free(res->mean);
	free(res->var);
	res->mean = res->var = NULL;
}
