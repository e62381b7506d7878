#include "config.h"

/* owgrt_mesh.c - see owgrt_mesh.h. */

#include "owgrt_mesh.h"

static uint32_t sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void owgrt_mesh_init(owgrt_mesh *m, const uint32_t grid_w[OWGRT_FAB_LEVELS], const uint32_t grid_h[OWGRT_FAB_LEVELS],
		     const double hop_latency[OWGRT_FAB_LEVELS], const double link_bandwidth[OWGRT_FAB_LEVELS],
		     double reconfig_bandwidth, bool flat)
{
	m->cluster_w = grid_w[OWGRT_FAB_CLUSTER];
	m->cluster_h = grid_h[OWGRT_FAB_CLUSTER];
	m->chiplet_w = sat32((uint64_t)m->cluster_w * grid_w[OWGRT_FAB_CHIPLET]);
	m->chiplet_h = sat32((uint64_t)m->cluster_h * grid_h[OWGRT_FAB_CHIPLET]);
	m->width = sat32((uint64_t)m->chiplet_w * grid_w[OWGRT_FAB_PACKAGE]);
	m->height = sat32((uint64_t)m->chiplet_h * grid_h[OWGRT_FAB_PACKAGE]);
	m->cluster_cols = sat32((uint64_t)grid_w[OWGRT_FAB_CHIPLET] * grid_w[OWGRT_FAB_PACKAGE]);
	for (int l = 0; l < 3; l++) {
		m->hop_latency[l] = hop_latency[l];
		m->link_bandwidth[l] = link_bandwidth[l];
	}
	m->reconfig_bandwidth = reconfig_bandwidth;
	m->flat = flat;
}

uint32_t owgrt_mesh_cluster_of(const owgrt_mesh *m, uint32_t p)
{
	uint32_t x = p % m->width, y = p / m->width;
	return y / m->cluster_h * m->cluster_cols + x / m->cluster_w;
}

uint32_t owgrt_mesh_hops(const owgrt_mesh *m, uint32_t a, uint32_t b)
{
	uint32_t xa = a % m->width, ya = a / m->width, xb = b % m->width, yb = b / m->width;
	return (xa > xb ? xa - xb : xb - xa) + (ya > yb ? ya - yb : yb - ya);
}

/* Boundaries of blocks of `size` crossed going from lo to hi (lo <= hi):
 * the multiples of size in (lo, hi]. */
static inline uint32_t crossings(uint32_t lo, uint32_t hi, uint32_t size)
{
	return hi / size - lo / size;
}

double owgrt_mesh_transfer_time(const owgrt_mesh *m, uint32_t a, uint32_t b, double bytes)
{
	double stream;
	return owgrt_mesh_transfer_split(m, a, b, bytes, &stream);
}

double owgrt_mesh_transfer_split(const owgrt_mesh *m, uint32_t a, uint32_t b, double bytes, double *stream)
{
	*stream = 0;
	if (m->flat || a == b)
		return 0;
	uint32_t xa = a % m->width, ya = a / m->width, xb = b % m->width, yb = b / m->width;
	uint32_t xlo = xa < xb ? xa : xb, xhi = xa ^ xb ^ xlo;
	uint32_t ylo = ya < yb ? ya : yb, yhi = ya ^ yb ^ ylo;
	uint32_t all = (xhi - xlo) + (yhi - ylo);
	uint32_t clus = crossings(xlo, xhi, m->cluster_w) + crossings(ylo, yhi, m->cluster_h);
	uint32_t chip = crossings(xlo, xhi, m->chiplet_w) + crossings(ylo, yhi, m->chiplet_h);
	uint32_t n[3] = {all - clus, clus - chip, chip};
	double t = 0, bw = 0;
	for (int l = 0; l < 3; l++)
		if (n[l]) {
			t += n[l] * m->hop_latency[l];
			if (bw == 0 || m->link_bandwidth[l] < bw)
				bw = m->link_bandwidth[l];
		}
	*stream = bw > 0 ? bytes / bw : 0;
	return t + *stream;
}

double owgrt_mesh_reconfig_time(const owgrt_mesh *m, double bytes)
{
	return m->flat ? 0 : bytes / m->reconfig_bandwidth;
}
