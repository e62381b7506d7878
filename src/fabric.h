/* fabric.h - the fabric model (DESIGN section 6): geometry, costs and the
 * built-in presets.
 *
 * A fabric (owg_fabric, ir.h) is a hierarchy of grids: PEAs form a cluster
 * (grid_w/h[OWG_FAB_CLUSTER] PEAs, one TBU and one CBU), clusters a chiplet
 * (grid_*[OWG_FAB_CHIPLET] clusters), chiplets a package or wafer
 * (grid_*[OWG_FAB_PACKAGE] chiplets).  Together they form one global mesh
 * of PEAs, width x height, numbered p = y * width + x.
 *
 * Costs: a transfer between two PEAs crosses the mesh along x then y
 * (dimension-order routing); each hop between neighbours costs the hop
 * latency of the highest level whose boundary it crosses (pea: inside a
 * cluster, cluster: between clusters of a chiplet, chiplet: between
 * chiplets, package: between packages), and the transfer streams at the
 * smallest link bandwidth on the way.  A flat fabric costs nothing. */
#ifndef OWG_FABRIC_H
#define OWG_FABRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "ir.h"

/* The largest fabric owgc plans for (PEAs), as the front end checks. */
#define OWG_FABRIC_MAX_PEAS (1u << 28)

/* --- presets (built into the binary) --- */
/* Fills f with the preset `name`: "default", "chiplet", "wafer" or "flat-N"
 * (N from 1 to 1048576).  Defect tables are allocated from a.  Returns
 * false with a message in err (err_size bytes) for an unknown name, with
 * a did-you-mean when one is close. */
bool owg_fabric_preset(const char *name, owg_fabric *f, owg_arena *a, char *err, size_t err_size);
/* --list-fabrics: one line per preset, its size and what it models. */
void owg_fabric_list(FILE *out);
/* --fabric-info: the hierarchy, PEA counts, defects and costs of f. */
void owg_fabric_info(const owg_fabric *f, FILE *out);

/* --- geometry --- */
uint32_t owg_fabric_width(const owg_fabric *f);  /* PEAs across */
uint32_t owg_fabric_height(const owg_fabric *f); /* PEAs down */
uint64_t owg_fabric_peas(const owg_fabric *f);   /* width x height */
/* Clusters across and down the mesh. */
uint32_t owg_fabric_cluster_cols(const owg_fabric *f);
uint32_t owg_fabric_cluster_rows(const owg_fabric *f);
uint32_t owg_fabric_clusters(const owg_fabric *f);
/* The cluster (numbered row-major on the cluster mesh) of PEA p. */
uint32_t owg_fabric_cluster_of(const owg_fabric *f, uint32_t p);
/* The chiplet (row-major on the chiplet mesh) of PEA p. */
uint32_t owg_fabric_chiplet_of(const owg_fabric *f, uint32_t p);
/* A bitmap (width x height bytes, 1 = defective), malloc'd; NULL if the
 * fabric has no defects. */
uint8_t *owg_fabric_defect_map(const owg_fabric *f);
/* PEAs that are not defective. */
uint64_t owg_fabric_usable_peas(const owg_fabric *f);

/* --- costs --- */
/* Hops between PEAs a and b on the mesh (Manhattan distance). */
uint32_t owg_fabric_hops(const owg_fabric *f, uint32_t a, uint32_t b);
/* Seconds for `bytes` to go from PEA a to PEA b: the hop latencies on the
 * route plus bytes over the narrowest link crossed (0 on a flat fabric,
 * and for a == b). */
double owg_fabric_transfer_time(const owg_fabric *f, uint32_t a, uint32_t b, double bytes);
/* Seconds to load `bytes` of configuration into a PEA. */
double owg_fabric_reconfig_time(const owg_fabric *f, double bytes);

/* --- choosing the target (--fabric) --- */
struct owg_diag;
/* spec NULL: the first fabric block of g, else the `default` preset; the
 * name of a fabric block of g; a preset; or a file (.owg or .owgir) whose
 * first fabric block is taken.  Errors through diag. */
bool owg_fabric_resolve(const char *spec, const owg_graph *g, owg_srcmgr *sm, struct owg_diag *diag,
			owg_arena *a, owg_fabric *out);

#endif
