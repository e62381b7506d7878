/* svg.h - the placement as a picture (--emit=svg): the fabric's mesh as
 * a heat map of expected load, the octopus binding and the static one side
 * by side. */
#ifndef OWG_SVG_H
#define OWG_SVG_H

#include <stdio.h>

#include "ir.h"

/* Writes a standalone SVG 1.1 document for the plan of g (g->plan, with
 * the analysis annotations of the whole pipeline): one heat map per
 * binding, a legend and a text block with the figures of --report's
 * placement section.  Cells are PEAs when the mesh is at most 64x64 PEAs,
 * clusters otherwise (blocks of clusters beyond 128x128 clusters).  The
 * output depends only on g.  Without a plan, a small document that says
 * so. */
void owg_svg_write(const owg_graph *g, FILE *out);

#endif
