#include "config.h"

/* plan_verify.c - is a placement legal?  Run after the plan pass, on
 * placements read from IR text or a .owgp, and by the tests on every
 * example and preset. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "fabric.h"
#include "plan.h"

typedef struct pv {
	const owg_graph *g;
	owg_diag *diag;
	unsigned n;
} pv;

static void perr(pv *v, const char *binding, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(pv *v, const char *binding, const char *fmt, ...)
{
	v->n++;
	if (!v->diag || v->n > 20)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	owg_diag_error(v->diag, OWG_LOC_NONE, "placement (%s binding): %s", binding, msg);
}

static void check_binding(pv *v, const owg_plan *p, const owg_binding *b, const char *name, bool octopus,
			  const uint8_t *defect, uint8_t *used)
{
	const owg_graph *g = v->g;
	uint64_t total = (uint64_t)p->width * p->height;
	uint32_t nclusters = p->cwidth * p->cheight;
	if (!b->replicas || !b->first || !b->home || !b->pool_first || !b->pool_size || (b->npeas && !b->peas)) {
		perr(v, name, "missing tables");
		return;
	}
	/* marks one PEA as taken by `who`; false if it cannot be */
	#define TAKE(pea, who)                                                                          \
		do {                                                                                    \
			uint32_t q_ = (pea);                                                            \
			if (q_ >= total)                                                                \
				perr(v, name, "%s: PEA %u is outside the %ux%u mesh", who, (unsigned)q_,  \
				     (unsigned)p->width, (unsigned)p->height);                          \
			else if (defect && defect[q_])                                                  \
				perr(v, name, "%s: PEA %u is defective", who, (unsigned)q_);              \
			else if (used[q_])                                                              \
				perr(v, name, "%s: PEA %u is used twice", who, (unsigned)q_);             \
			else                                                                            \
				used[q_] = 1;                                                           \
		} while (0)
	char who[160];
	for (size_t t = 0; t < g->nodes.n; t++) {
		const owg_node *n = &g->nodes.v[t];
		if (n->kind != OWG_NODE_TB)
			continue;
		snprintf(who, sizeof who, "task '%s'", n->name);
		if (b->home[t] >= nclusters) {
			perr(v, name, "%s: home cluster %u out of range (%u clusters)", who, (unsigned)b->home[t],
			     (unsigned)nclusters);
			continue;
		}
		bool pinned = !octopus || p->pinned[t];
		if (pinned != (b->replicas[t] > 0)) {
			perr(v, name, "%s: %s but %u replicas", who, pinned ? "pinned" : "elastic",
			     (unsigned)b->replicas[t]);
			continue;
		}
		uint64_t size = (uint64_t)b->replicas[t] * n->peas;
		if (b->first[t] > b->npeas || size > b->npeas - b->first[t]) {
			perr(v, name, "%s: PEAs %u..%llu outside the table of %zu", who, (unsigned)b->first[t],
			     (unsigned long long)(b->first[t] + size), b->npeas);
			continue;
		}
		for (uint64_t k = 0; k < size; k++)
			TAKE(b->peas[b->first[t] + k], who);
	}
	for (uint32_t c = 0; c < nclusters; c++) {
		if (!b->pool_size[c])
			continue;
		snprintf(who, sizeof who, "pool of cluster %u", (unsigned)c);
		if (b->pool_first[c] > b->npeas || b->pool_size[c] > b->npeas - b->pool_first[c]) {
			perr(v, name, "%s: outside the PEA table", who);
			continue;
		}
		for (uint32_t k = 0; k < b->pool_size[c]; k++) {
			uint32_t q = b->peas[b->pool_first[c] + k];
			TAKE(q, who);
			if (q < total && owg_fabric_cluster_of(&p->fabric, q) != c)
				perr(v, name, "%s: PEA %u belongs to cluster %u", who, (unsigned)q,
				     (unsigned)owg_fabric_cluster_of(&p->fabric, q));
		}
	}
	#undef TAKE
	if (!octopus)
		return;
	/* every elastic task needs a pool big enough for one execution somewhere */
	uint32_t biggest = 0;
	for (uint32_t c = 0; c < nclusters; c++)
		biggest = b->pool_size[c] > biggest ? b->pool_size[c] : biggest;
	uint64_t pooled = 0;
	for (uint32_t c = 0; c < nclusters; c++)
		pooled += b->pool_size[c];
	for (size_t t = 0; t < g->nodes.n; t++) {
		const owg_node *n = &g->nodes.v[t];
		if (n->kind == OWG_NODE_TB && !p->pinned[t] && n->peas > pooled)
			perr(v, name, "elastic task '%s' needs %u PEAs, the pools have %llu in all", n->name,
			     (unsigned)n->peas, (unsigned long long)pooled);
	}
}

unsigned owg_plan_verify(const owg_graph *g, owg_diag *diag)
{
	pv v = {g, diag, 0};
	const owg_plan *p = g->plan;
	if (!p)
		return 0;
	if (p->width != owg_fabric_width(&p->fabric) || p->height != owg_fabric_height(&p->fabric) ||
	    p->cwidth != owg_fabric_cluster_cols(&p->fabric) || p->cheight != owg_fabric_cluster_rows(&p->fabric)) {
		perr(&v, "both", "mesh %ux%u does not match its fabric", (unsigned)p->width, (unsigned)p->height);
		return v.n;
	}
	if (!p->pinned) {
		perr(&v, "both", "no pinned/elastic table");
		return v.n;
	}
	uint64_t total = (uint64_t)p->width * p->height;
	uint8_t *defect = owg_fabric_defect_map(&p->fabric);
	uint8_t *used = owg_xcalloc(total + 1, 1);
	check_binding(&v, p, &p->octopus, "octopus", true, defect, used);
	for (uint64_t q = 0; q < total; q++)
		used[q] = 0;
	check_binding(&v, p, &p->fixed, "static", false, defect, used);
	free(used);
	free(defect);
	return v.n;
}
