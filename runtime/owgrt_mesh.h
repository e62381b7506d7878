/* owgrt_mesh.h - the costs of a fabric's mesh, in the form the runtime
 * (and the compiler's src/fabric.c, which delegates here) uses in inner
 * loops: O(1) per call, no allocation.
 *
 * PEAs are numbered p = y * width + x on the global mesh.  A transfer goes
 * along x then y; each hop between neighbours costs the hop latency of the
 * highest level whose boundary it crosses (within a cluster, between
 * clusters of a chiplet, between chiplets; one mesh is one package), and
 * the data streams at the narrowest link bandwidth crossed.  A flat fabric
 * (flat-N) costs nothing. */
#ifndef OWGRT_MESH_H
#define OWGRT_MESH_H

#include <stdbool.h>
#include <stdint.h>

#include "owgrt.h"

typedef struct owgrt_mesh {
	uint32_t width, height;        /* PEAs across and down */
	uint32_t cluster_w, cluster_h; /* PEAs per cluster */
	uint32_t chiplet_w, chiplet_h; /* PEAs per chiplet */
	uint32_t cluster_cols;         /* clusters across */
	double hop_latency[3];         /* pea, cluster, chiplet level: seconds per hop */
	double link_bandwidth[3];      /* bytes per second */
	double reconfig_bandwidth;
	bool flat;
} owgrt_mesh;

/* From the grids and costs of a fabric (levels as in owgrt_fabric:
 * [CLUSTER] PEAs per cluster, [CHIPLET] clusters per chiplet, [PACKAGE]
 * chiplets per package). */
void owgrt_mesh_init(owgrt_mesh *m, const uint32_t grid_w[OWGRT_FAB_LEVELS], const uint32_t grid_h[OWGRT_FAB_LEVELS],
		     const double hop_latency[OWGRT_FAB_LEVELS], const double link_bandwidth[OWGRT_FAB_LEVELS],
		     double reconfig_bandwidth, bool flat);

/* The cluster of PEA p, row-major on the mesh of clusters. */
uint32_t owgrt_mesh_cluster_of(const owgrt_mesh *m, uint32_t p);
/* Hops between PEAs a and b (Manhattan). */
uint32_t owgrt_mesh_hops(const owgrt_mesh *m, uint32_t a, uint32_t b);
/* Seconds for `bytes` from PEA a to PEA b (0 for a == b and when flat). */
double owgrt_mesh_transfer_time(const owgrt_mesh *m, uint32_t a, uint32_t b, double bytes);
/* The same, with *stream set to the part spent streaming the bytes at the
 * narrowest bandwidth (the rest is hop latency). */
double owgrt_mesh_transfer_split(const owgrt_mesh *m, uint32_t a, uint32_t b, double bytes, double *stream);
/* Seconds to load `bytes` of configuration into a PEA (0 when flat). */
double owgrt_mesh_reconfig_time(const owgrt_mesh *m, double bytes);

#endif
