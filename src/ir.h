/* ir.h - the OWG IR: a workflow as a graph of task blocks (TB) and control
 * blocks (CB) with data-flow edges (bytes) and control edges (arms with
 * probabilities).
 *
 * Nodes have dense ids 0..nnodes-1; node 0 is always the ENTRY control
 * block, which runs once per request.  Every other node is governed by
 * exactly one control block: node->region is that CB's id and node->arm the
 * arm of it (then/else, case i, loop body, ...).  The control edges of the
 * graph are these (region, arm) -> node links plus, for every loop, a
 * "repeat" edge from the loop to itself; they are not stored twice.
 * Probabilities live on the arms of the CB.
 *
 * Everything is allocated from the graph's arena and freed with it. */
#ifndef OWG_IR_H
#define OWG_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"

#define OWG_IR_VERSION 1
#define OWG_NONE UINT32_MAX
/* The largest trip or item count (a loop's max, the mean of a count model). */
#define OWG_MAX_COUNT (1u << 30)

/* Value types of task outputs and expressions. */
typedef enum owg_type {
	OWG_TYPE_I64,
	OWG_TYPE_F64,
	OWG_TYPE_BOOL,
} owg_type;

/* Distributions: execution times (seconds), trip and item counts. */
typedef enum owg_dist_kind {
	OWG_DIST_CONST,     /* a = value */
	OWG_DIST_MEANSD,    /* a = mean, b = sd; shape unknown (sampled as normal, truncated at 0) */
	OWG_DIST_NORMAL,    /* a = mean, b = sd (truncated at 0 when sampled) */
	OWG_DIST_LOGNORMAL, /* a = median, b = sigma of the log */
	OWG_DIST_UNIFORM,   /* a = low, b = high */
	OWG_DIST_EXP,       /* a = mean */
	OWG_DIST_POISSON,   /* a = mean (counts only) */
	OWG_DIST_GEOMETRIC, /* a = mean (counts only, support 0,1,2,...) */
	OWG_DIST_EMPIRICAL, /* samples[0..nsamples) */
} owg_dist_kind;

typedef struct owg_dist {
	owg_dist_kind kind;
	double a, b;
	uint32_t nsamples;
	double *samples;
} owg_dist;

/* Predicate expressions; all arithmetic is in double precision.
 * x / 0 and x % 0 are defined as 0 (see owg(5)). */
typedef enum owg_op {
	OWG_OP_ADD, OWG_OP_SUB, OWG_OP_MUL, OWG_OP_DIV, OWG_OP_MOD,
	OWG_OP_LT, OWG_OP_LE, OWG_OP_GT, OWG_OP_GE, OWG_OP_EQ, OWG_OP_NE,
	OWG_OP_AND, OWG_OP_OR,
	OWG_OP_NOT, OWG_OP_NEG, /* unary */
} owg_op;

typedef enum owg_expr_kind {
	OWG_EX_NUM,  /* num */
	OWG_EX_BOOL, /* b */
	OWG_EX_OUT,  /* output `out` of TB `node` */
	OWG_EX_UNARY,
	OWG_EX_BINARY,
} owg_expr_kind;

typedef struct owg_expr owg_expr;
struct owg_expr {
	owg_expr_kind kind;
	owg_op op;
	owg_type type; /* result type: I64/F64 numeric, BOOL */
	union {
		double num;
		bool b;
		struct {
			uint32_t node, out;
		} ref;
		struct {
			owg_expr *l, *r; /* r NULL for unary */
		} sub;
	} u;
};

typedef enum owg_node_kind {
	OWG_NODE_TB,
	OWG_NODE_CB,
} owg_node_kind;

typedef enum owg_tb_kind {
	OWG_TB_AI,
	OWG_TB_GENERAL,
} owg_tb_kind;

typedef enum owg_cb_kind {
	OWG_CB_ENTRY,  /* arms: [seq] */
	OWG_CB_BRANCH, /* arms: [then, else] */
	OWG_CB_SWITCH, /* arms: [case..., default?] */
	OWG_CB_LOOP,   /* arms: [body, repeat] */
	OWG_CB_FORK,   /* arms: [item]; a join is implied at the end of the items */
	OWG_CB_EXIT,   /* arms: [taken, cont]; taken leaves the enclosing block */
} owg_cb_kind;

typedef enum owg_arm_kind {
	OWG_ARM_SEQ,
	OWG_ARM_THEN,
	OWG_ARM_ELSE,
	OWG_ARM_CASE,
	OWG_ARM_DEFAULT,
	OWG_ARM_BODY,
	OWG_ARM_REPEAT,
	OWG_ARM_ITEM,
	OWG_ARM_TAKEN,
	OWG_ARM_CONT,
} owg_arm_kind;

typedef struct owg_arm {
	owg_arm_kind kind;
	double value; /* case value (OWG_ARM_CASE) */
	double prob;  /* declared probability, NAN when none was declared */
} owg_arm;

typedef enum owg_loop_kind {
	OWG_LOOP_COUNT, /* trips drawn from `trips` (a constant or a distribution) */
	OWG_LOOP_WHILE, /* do-while: body, then repeat while pred (prob of repeating = arms[1].prob) */
} owg_loop_kind;

typedef struct owg_out {
	const char *name;
	owg_type type;
} owg_out;

typedef struct owg_node {
	uint32_t id;
	owg_node_kind kind;
	const char *name; /* qualified ("inst.task"); unique in the graph */
	owg_loc loc;      /* where it was written (OWG_LOC_NONE from IR text) */
	uint32_t region;  /* governing CB, OWG_NONE for the entry */
	uint32_t arm;     /* index into the region's arms */

	/* OWG_NODE_TB */
	owg_tb_kind tb_kind;
	uint32_t peas;       /* PEA demand, >= 1 */
	owg_dist time;       /* execution time model, seconds */
	const char *kernel;  /* native kernel symbol or NULL */
	owg_out *outs;
	uint32_t nouts;
	double config_bytes; /* configuration size (reconfiguration cost), 0 if none */

	/* OWG_NODE_CB */
	owg_cb_kind cb_kind;
	owg_arm *arms;
	uint32_t narms;
	owg_expr *pred;         /* branch, loop-while, exit; switch selector; may be NULL */
	owg_loop_kind loop_kind;
	owg_dist count;         /* loop trips (COUNT) or fork items */
	uint32_t max_trips;     /* loop-while bound, 0 = unbounded */
	uint32_t count_node;    /* fork: TB whose output gives the item count, or OWG_NONE */
	uint32_t count_out;     /* fork: that output's index */
} owg_node;

typedef struct owg_flow {
	uint32_t src, dst; /* TB ids */
	double bytes;
} owg_flow;

/* Fabric described in the language (section 6 of the design).  Parsed and
 * checked by the front end; placement uses it later. */
enum { OWG_FAB_PEA, OWG_FAB_CLUSTER, OWG_FAB_CHIPLET, OWG_FAB_PACKAGE, OWG_FAB_LEVELS };

typedef struct owg_fabric {
	const char *name;
	owg_loc loc;
	uint32_t grid_w[OWG_FAB_LEVELS], grid_h[OWG_FAB_LEVELS]; /* [CLUSTER] = PEAs per cluster, [CHIPLET] = clusters per chiplet, [PACKAGE] = chiplets per package; [PEA] unused (1x1) */
	double hop_latency[OWG_FAB_LEVELS];   /* seconds per hop at that level */
	double link_bandwidth[OWG_FAB_LEVELS]; /* bytes per second */
	double reconfig_bandwidth;            /* bytes per second */
	double control_latency;               /* seconds */
	bool flat;  /* the "P identical processors" model (flat-N): transfers,
	             * reconfiguration and control cost nothing */
	uint32_t ndefects;
	uint32_t (*defects)[2]; /* global PEA coordinates x, y */
} owg_fabric;

/* --- analysis annotations ---
 * Filled by the analysis passes (pass.h), printed and read back by the text
 * form so that annotated IR round-trips.  Arrays are indexed by node id,
 * allocated from the graph's arena, and NULL until their pass has run. */

typedef struct owg_time_stats { /* TBs: time-stats */
	double mean, sd, cv, p50, p95, p99; /* seconds (cv: sd / mean) */
	uint32_t samples;  /* profile samples used; 0 = from the declared model */
	uint32_t outliers; /* samples rejected as outliers (median/MAD) */
	bool is_volatile;  /* cv above the threshold */
} owg_time_stats;

typedef struct owg_freq_stats { /* every node: branch-freq */
	double mean, var; /* executions per request */
	bool is_bursty;   /* sd / mean above the threshold */
} owg_freq_stats;

typedef enum owg_prob_source {
	OWG_PROB_DECLARED,  /* the model written in the workflow */
	OWG_PROB_PROFILE,   /* measured counts, smoothed */
	OWG_PROB_HEURISTIC, /* nothing declared nor measured: the static heuristic */
} owg_prob_source;

typedef struct owg_cb_freq { /* CBs but the entry: what branch-freq decided */
	owg_prob_source source;
	double *arm;       /* branch, switch, exit: probability of each arm, summing to 1 */
	double repeat;     /* loop-while: probability of repeating after a trip */
	double trips_mean; /* loops and forks: trips or items per execution */
	double trips_var;
} owg_cb_freq;

typedef struct owg_analysis {
	owg_time_stats *time; /* time-stats */
	owg_freq_stats *freq; /* branch-freq */
	owg_cb_freq *cb;      /* branch-freq */
	double *pea_time;     /* load: expected PEA-seconds per request (TBs) */
	bool *critical;       /* load: on the expected critical path (TBs) */
	/* load: per request */
	uint32_t peas;          /* PEAs the bounds are computed for */
	double critical_path;   /* seconds: the longest path of expected times */
	double total_pea_time;  /* PEA-seconds of all TBs */
	double lb_latency;      /* max(critical_path, total_pea_time / peas) */
	double max_throughput;  /* requests per second: peas / total_pea_time */
} owg_analysis;

typedef struct owg_graph {
	owg_arena arena;
	const char *name; /* workflow name */
	OWG_VEC(owg_node) nodes;
	OWG_VEC(owg_flow) flows;
	OWG_VEC(owg_fabric) fabrics;
	owg_analysis an;
	struct owg_plan *plan; /* the placement (plan.h), NULL until the placement passes ran */
} owg_graph;

/* --- construction (ir.c) --- */
owg_graph *owg_ir_new(const char *name);
void owg_ir_free(owg_graph *g);
/* Appends a node with the next id; returns it (pointer valid until the next add). */
owg_node *owg_ir_add_tb(owg_graph *g, const char *name, uint32_t region, uint32_t arm);
owg_node *owg_ir_add_cb(owg_graph *g, owg_cb_kind kind, const char *name,
			uint32_t region, uint32_t arm);
void owg_ir_add_flow(owg_graph *g, uint32_t src, uint32_t dst, double bytes);
owg_expr *owg_ir_expr(owg_graph *g, owg_expr_kind kind);
/* Sets the arms of a CB to the canonical list for its kind; switch gets ncases cases (+ default if has_default).
 * All probabilities NAN, case values 0.  owg_ir_add_cb already gives every
 * kind its canonical arms (a switch none: call this with its cases). */
void owg_ir_set_arms(owg_graph *g, owg_node *cb, uint32_t ncases, bool has_default);

/* --- names and small helpers (ir.c) --- */
const char *owg_type_name(owg_type t);
const char *owg_tb_kind_name(owg_tb_kind k);
const char *owg_cb_kind_name(owg_cb_kind k);
const char *owg_arm_kind_name(owg_arm_kind k);
const char *owg_dist_kind_name(owg_dist_kind k);
const char *owg_op_name(owg_op op);
double owg_dist_mean(const owg_dist *d);
/* Is s a C identifier (a kernel symbol must be one)? */
bool owg_c_identifier(const char *s);
/* Evaluates a predicate given output values (outputs[node][out]); division by zero gives 0. */
double owg_expr_eval(const owg_expr *e, double (*lookup)(void *ctx, uint32_t node, uint32_t out), void *ctx);
/* (Re)computes e->type bottom-up: a literal is I64 if integral and below
 * 2^53 in magnitude, else F64; an output has its declared type; + - * %
 * are I64 if both operands are, else F64; / is F64; unary - keeps its
 * operand's type (I64 for a bool operand); comparisons, && || ! are BOOL. */
void owg_ir_expr_type(const owg_graph *g, owg_expr *e);

/* --- text form (ir_print.c, ir_read.c) --- */
/* Writes the canonical text; print -> read -> print is byte-identical. */
void owg_ir_print(const owg_graph *g, FILE *out);
/* Parses IR text; on error returns NULL and reports through diag. */
struct owg_diag;
owg_graph *owg_ir_read(const char *text, size_t len, uint32_t file, struct owg_diag *diag);

/* --- verifier (ir_verify.c) --- */
/* Checks every structural invariant; reports each violation through diag
 * as an error; returns the number of violations. */
unsigned owg_ir_verify(const owg_graph *g, struct owg_diag *diag);

/* --- exports (ir_dot.c, ir_json.c) --- */
void owg_ir_print_dot(const owg_graph *g, FILE *out);
void owg_ir_print_json(const owg_graph *g, FILE *out);

/* Shortest decimal that reads back to exactly x ("%.15g" .. "%.17g"). */
void owg_fmt_double(char *buf, size_t n, double x);
/* A size in bytes with the unit the text form uses ("600KiB", "1.5MiB",
 * "0B"); reading the text back (number times unit) gives x exactly.  48
 * bytes are always enough. (ir_print.c; times: owg_fmt_time in quantity.h) */
void owg_fmt_size(char *buf, size_t n, double bytes);

#endif
