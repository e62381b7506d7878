/* import_wfcommons.h - WfCommons execution traces (WfFormat 1.5 JSON) as
 * owg source: `owgc --import=wfcommons TRACE.json... [-o OUT.owg]`.
 *
 * One trace becomes one workflow, named after the instance: one task per
 * task of workflow.specification.tasks (kind general, peas 1: WfCommons
 * tasks are CPU jobs that each ran on one machine), whose time is its
 * runtimeInSeconds in workflow.execution.tasks, and one flow parent ->
 * child per dependency, carrying the sizes of the parent's output files
 * that the child reads (a dependency that carries no file is an unsized
 * flow: it only orders the tasks).
 *
 * Several traces of one workflow (the same task ids, the same
 * dependencies; repeated runs) become one workflow whose task times are
 * empirical(t1, t2, ...) of the observed runtimes, in the order of the
 * files, and whose flow sizes are the mean over the traces.  empirical
 * rather than mean +- sd: it keeps the measurements themselves (a
 * handful of runs says nothing about the shape of the distribution, and
 * a normal cut at 0 would move the mean), so the analysis sees exactly
 * the observed mean, spread and quantiles.  Traces of different
 * workflows are refused, with the first difference.
 *
 * Task identifiers come from the task ids (what parents, children and
 * execution records refer to; names repeat in Nextflow traces): a
 * character that cannot be in an owg name becomes '_', a leading digit
 * gets a '_' before it, keywords (and 'entry', the name of the IR's entry
 * node) get a '_' after them, identifiers are cut at 128 bytes, and
 * collisions are numbered (_2, _3, ...).  The original name (and the id
 * when it differs) stays in a comment, with avgCPU and coreCount.
 *
 * Input is checked like any hostile input: the JSON (json.h), then the
 * schema: missing members and wrong types, ids that are not unique,
 * parents, children and files that do not exist, parents and children
 * that disagree, cycles, negative runtimes and sizes, runtimes over
 * OWG_WFC_MAX_RUNTIME and file sizes over 2^53 bytes or not whole.
 * Missing optional data is tolerated and said (as a note, with its
 * location): a file without sizeInBytes counts as 0 bytes; a task without
 * an execution record (or a trace without workflow.execution) takes its
 * time from the other traces, or 0s.
 *
 * The output depends only on the inputs' bytes and their order (and
 * their file names, shown in the header without their folders). */
#ifndef OWG_IMPORT_WFCOMMONS_H
#define OWG_IMPORT_WFCOMMONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "source.h"

#define OWG_WFC_MAX_BYTES ((size_t)256 << 20) /* one trace */
#define OWG_WFC_MAX_TRACES 4096
#define OWG_WFC_MAX_RUNTIME 1e9               /* seconds: 31 years */
#define OWG_WFC_MAX_IDENT 128                 /* bytes of a generated name */

/* Imports the traces already loaded into sm (files[0..n)) and writes the
 * owg source to out.  Nothing is written unless every trace is valid and
 * they are traces of one workflow.  Errors and notes go to diag; returns
 * false after an error.  (The caller checks out for write errors.) */
bool owg_wfc_import(owg_srcmgr *sm, owg_diag *diag, const uint32_t *files, size_t n, FILE *out);

/* The driver's entry: reads paths[0..n) ("-" is standard input), imports
 * them and writes the source atomically to output (NULL or "-": standard
 * output). */
bool owg_wfc_import_paths(owg_srcmgr *sm, owg_diag *diag, const char *const *paths, size_t n,
			  const char *output);

#endif
