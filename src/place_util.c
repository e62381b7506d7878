#include "config.h"

/* place_util.c - units, the curve and the traffic cost (place_internal.h). */

#include <math.h>
#include <stdlib.h>

#include "fabric.h"
#include "place_internal.h"

bool owg_binding_is_octopus(const owg_plan *p, const owg_binding *b)
{
	return b == &p->octopus;
}

uint32_t owg_unit_size(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t)
{
	const owg_node *n = &g->nodes.v[t];
	if (n->kind != OWG_NODE_TB)
		return 0;
	if (b->replicas[t] || !owg_binding_is_octopus(p, b))
		return b->replicas[t] * n->peas;
	double q = ceil(p->demand_mean[t] + OWG_POOL_Z * sqrt(p->demand_var[t]) - 1e-9);
	if (!(q < 1e9))
		q = 1e9;
	return q > n->peas ? (uint32_t)q : n->peas;
}

/* Appends the cells of a w x h grid in boustrophedon order: row by row,
 * every other row backwards, so that consecutive cells are neighbours. */
static void snake(uint32_t w, uint32_t h, uint32_t *xs, uint32_t *ys)
{
	for (uint32_t y = 0, k = 0; y < h; y++)
		for (uint32_t i = 0; i < w; i++, k++) {
			xs[k] = y % 2 ? w - 1 - i : i;
			ys[k] = y;
		}
}

uint32_t *owg_curve(const owg_fabric *f, size_t *n)
{
	uint32_t pw = f->grid_w[OWG_FAB_CLUSTER], ph = f->grid_h[OWG_FAB_CLUSTER];
	uint32_t cw = f->grid_w[OWG_FAB_CHIPLET], ch = f->grid_h[OWG_FAB_CHIPLET];
	uint32_t kw = f->grid_w[OWG_FAB_PACKAGE], kh = f->grid_h[OWG_FAB_PACKAGE];
	uint32_t width = owg_fabric_width(f);
	uint64_t total = owg_fabric_peas(f);
	uint32_t *out = owg_xmalloc((total + 1) * sizeof *out);
	uint32_t *px = owg_xmalloc((size_t)pw * ph * sizeof *px), *py = owg_xmalloc((size_t)pw * ph * sizeof *py);
	uint32_t *cx = owg_xmalloc((size_t)cw * ch * sizeof *cx), *cy = owg_xmalloc((size_t)cw * ch * sizeof *cy);
	uint32_t *kx = owg_xmalloc((size_t)kw * kh * sizeof *kx), *ky = owg_xmalloc((size_t)kw * kh * sizeof *ky);
	snake(pw, ph, px, py);
	snake(cw, ch, cx, cy);
	snake(kw, kh, kx, ky);
	uint8_t *defect = owg_fabric_defect_map(f);
	size_t m = 0;
	for (size_t k = 0; k < (size_t)kw * kh; k++)
		for (size_t c = 0; c < (size_t)cw * ch; c++)
			for (size_t q = 0; q < (size_t)pw * ph; q++) {
				uint64_t x = ((uint64_t)kx[k] * cw + cx[c]) * pw + px[q];
				uint64_t y = ((uint64_t)ky[k] * ch + cy[c]) * ph + py[q];
				uint32_t id = (uint32_t)(y * width + x);
				if (!defect || !defect[id])
					out[m++] = id;
			}
	free(defect);
	free(px);
	free(py);
	free(cx);
	free(cy);
	free(kx);
	free(ky);
	*n = m;
	return out;
}

void owg_unit_centre(const owg_graph *g, const owg_plan *p, const owg_binding *b, uint32_t t, double *x,
		     double *y)
{
	uint32_t size = owg_unit_size(g, p, b, t);
	double sx = 0, sy = 0;
	for (uint32_t k = 0; k < size; k++) {
		uint32_t pea = b->peas[b->first[t] + k];
		sx += pea % p->width;
		sy += pea / p->width;
	}
	*x = size ? sx / size : 0;
	*y = size ? sy / size : 0;
}

double owg_binding_traffic(const owg_graph *g, const owg_plan *p, const owg_binding *b)
{
	size_t nn = g->nodes.n;
	double *cx = owg_xmalloc((nn + 1) * sizeof *cx), *cy = owg_xmalloc((nn + 1) * sizeof *cy);
	for (size_t i = 0; i < nn; i++)
		if (g->nodes.v[i].kind == OWG_NODE_TB)
			owg_unit_centre(g, p, b, (uint32_t)i, &cx[i], &cy[i]);
	double cost = 0;
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *fl = &g->flows.v[k];
		double hops = fabs(cx[fl->src] - cx[fl->dst]) + fabs(cy[fl->src] - cy[fl->dst]);
		cost += fl->bytes * g->an.freq[fl->dst].mean * hops;
	}
	free(cx);
	free(cy);
	return cost;
}
