/* report.h - the analysis report of --report: per task how volatile it
 * is, how often it runs and what it costs; per control block what it
 * decides; the bounds on latency and throughput and what sets them. */
#ifndef OWG_REPORT_H
#define OWG_REPORT_H

#include <stdio.h>

#include "ir.h"

/* g must carry the annotations of the whole pipeline. */
void owg_report_print(const owg_graph *g, FILE *out);

#endif
