/* owgrt.h - libowgrt, the OWG runtime library.
 *
 * Loading a placement binary (.owgp, written by owgc; layout in
 * owgp_format.h): the compiled workflow as plain, read-only data.
 *
 *   owgrt_program *p;
 *   char err[256];
 *   if (owgrt_load_file("wf.owgp", &p, err, sizeof err) != OWGRT_OK) {
 *           fprintf(stderr, "%s\n", err);
 *           return 1;
 *   }
 *   ... p->nodes[i], p->plan->octopus ...
 *   owgrt_program_free(p);
 *
 * The loader trusts nothing: every size, offset, count, index, enum value,
 * string and number is checked before use, and a truncated, corrupted or
 * hostile file is refused with a message that says what is wrong and where
 * ("section NODE: node 12: region 40 out of range (12 nodes)").  Once
 * loaded, every index in the program is in range, so that its users need
 * not check again.
 *
 * Library rules: no global state (any number of threads may load at once),
 * nothing printed, no exit(); the caller owns what a function returns.
 * This header does not depend on owgc's. */
#ifndef OWGRT_H
#define OWGRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "None" for indices (a node's region, predicate, ...). */
#define OWGRT_NONE UINT32_MAX

/* --- results --- */
typedef enum owgrt_status {
	OWGRT_OK = 0,
	OWGRT_EINVAL,   /* a bad argument (NULL output pointer, ...) */
	OWGRT_EIO,      /* the file could not be read */
	OWGRT_ENOMEM,   /* out of memory */
	OWGRT_EFORMAT,  /* not a placement binary, truncated, or malformed */
	OWGRT_EVERSION, /* a format version this library does not read */
	OWGRT_ECHECKSUM /* the CRC-32 does not match: the file is corrupted */
} owgrt_status;

/* A short description of a status ("malformed placement binary"). */
const char *owgrt_strerror(int status);

/* --- the workflow graph (the same values as owgc's IR) --- */
typedef enum owgrt_node_kind { OWGRT_NODE_TASK, OWGRT_NODE_CONTROL } owgrt_node_kind;
typedef enum owgrt_task_kind { OWGRT_TASK_AI, OWGRT_TASK_GENERAL } owgrt_task_kind;
typedef enum owgrt_cb_kind {
	OWGRT_CB_ENTRY,  /* arms: [seq] */
	OWGRT_CB_BRANCH, /* arms: [then, else] */
	OWGRT_CB_SWITCH, /* arms: [case..., default?] */
	OWGRT_CB_LOOP,   /* arms: [body, repeat] */
	OWGRT_CB_FORK,   /* arms: [item] */
	OWGRT_CB_EXIT    /* arms: [taken, cont] */
} owgrt_cb_kind;
typedef enum owgrt_arm_kind {
	OWGRT_ARM_SEQ, OWGRT_ARM_THEN, OWGRT_ARM_ELSE, OWGRT_ARM_CASE, OWGRT_ARM_DEFAULT,
	OWGRT_ARM_BODY, OWGRT_ARM_REPEAT, OWGRT_ARM_ITEM, OWGRT_ARM_TAKEN, OWGRT_ARM_CONT
} owgrt_arm_kind;
typedef enum owgrt_loop_kind { OWGRT_LOOP_COUNT, OWGRT_LOOP_WHILE } owgrt_loop_kind;
typedef enum owgrt_dist_kind {
	OWGRT_DIST_CONST,     /* a = value */
	OWGRT_DIST_MEANSD,    /* a = mean, b = sd */
	OWGRT_DIST_NORMAL,    /* a = mean, b = sd */
	OWGRT_DIST_LOGNORMAL, /* a = median, b = sigma of the log */
	OWGRT_DIST_UNIFORM,   /* a = low, b = high */
	OWGRT_DIST_EXP,       /* a = mean */
	OWGRT_DIST_POISSON,   /* a = mean */
	OWGRT_DIST_GEOMETRIC, /* a = mean */
	OWGRT_DIST_EMPIRICAL  /* samples[0 .. nsamples) */
} owgrt_dist_kind;
typedef enum owgrt_type { OWGRT_TYPE_I64, OWGRT_TYPE_F64, OWGRT_TYPE_BOOL } owgrt_type;
typedef enum owgrt_expr_kind {
	OWGRT_EX_NUM, OWGRT_EX_BOOL, OWGRT_EX_OUT, OWGRT_EX_UNARY, OWGRT_EX_BINARY
} owgrt_expr_kind;
typedef enum owgrt_op {
	OWGRT_OP_ADD, OWGRT_OP_SUB, OWGRT_OP_MUL, OWGRT_OP_DIV, OWGRT_OP_MOD,
	OWGRT_OP_LT, OWGRT_OP_LE, OWGRT_OP_GT, OWGRT_OP_GE, OWGRT_OP_EQ, OWGRT_OP_NE,
	OWGRT_OP_AND, OWGRT_OP_OR,
	OWGRT_OP_NOT, OWGRT_OP_NEG /* unary */
} owgrt_op;
typedef enum owgrt_prob_source {
	OWGRT_PROB_DECLARED, OWGRT_PROB_PROFILE, OWGRT_PROB_HEURISTIC
} owgrt_prob_source;

typedef struct owgrt_dist {
	owgrt_dist_kind kind;
	double a, b;
	uint32_t nsamples;
	const double *samples; /* NULL when nsamples is 0 */
} owgrt_dist;

/* Predicates are flat arrays (owgrt_program.exprs) in which operands come
 * before the expressions that use them: evaluating in index order from
 * the first operand of a tree to its root needs no recursion. */
typedef struct owgrt_expr {
	owgrt_expr_kind kind;
	owgrt_op op;     /* unary and binary */
	owgrt_type type; /* the result type */
	double num;      /* OWGRT_EX_NUM */
	bool b;          /* OWGRT_EX_BOOL */
	uint32_t node, out; /* OWGRT_EX_OUT: output `out` of task `node` */
	uint32_t l, r;      /* operands (indices into exprs, smaller than this one's); r OWGRT_NONE for unary */
} owgrt_expr;

typedef struct owgrt_arm {
	owgrt_arm_kind kind;
	double value; /* case value */
	double prob;  /* declared probability, NaN when none */
} owgrt_arm;

typedef struct owgrt_out {
	const char *name;
	owgrt_type type;
} owgrt_out;

typedef struct owgrt_node {
	owgrt_node_kind kind;
	const char *name;
	uint32_t region; /* the governing control node (smaller id); OWGRT_NONE for node 0, the entry */
	uint32_t arm;    /* index into the region's arms */

	/* OWGRT_NODE_TASK */
	owgrt_task_kind task_kind;
	uint32_t peas;       /* PEA demand */
	owgrt_dist time;     /* execution time, seconds */
	const char *kernel;  /* kernel symbol, NULL when none */
	const owgrt_out *outs;
	uint32_t nouts;
	double config_bytes;

	/* OWGRT_NODE_CONTROL */
	owgrt_cb_kind cb_kind;
	const owgrt_arm *arms;
	uint32_t narms;
	uint32_t pred;       /* root of the predicate in exprs, or OWGRT_NONE */
	owgrt_loop_kind loop_kind;
	bool has_count;      /* loops with trips and forks */
	owgrt_dist count;    /* loop trips or fork items */
	uint32_t max_trips;  /* while loops: the bound, 0 = none */
	uint32_t count_node; /* forks: the task whose output gives the item count, or OWGRT_NONE */
	uint32_t count_out;
} owgrt_node;

typedef struct owgrt_flow {
	uint32_t src, dst; /* tasks */
	double bytes;
} owgrt_flow;

enum { OWGRT_FAB_PEA, OWGRT_FAB_CLUSTER, OWGRT_FAB_CHIPLET, OWGRT_FAB_PACKAGE, OWGRT_FAB_LEVELS };

typedef struct owgrt_pea_xy {
	uint32_t x, y;
} owgrt_pea_xy;

typedef struct owgrt_fabric {
	const char *name;
	/* [CLUSTER]: PEAs per cluster, [CHIPLET]: clusters per chiplet,
	 * [PACKAGE]: chiplets per package; [PEA] is 1x1 */
	uint32_t grid_w[OWGRT_FAB_LEVELS], grid_h[OWGRT_FAB_LEVELS];
	double hop_latency[OWGRT_FAB_LEVELS];    /* seconds per hop at that level */
	double link_bandwidth[OWGRT_FAB_LEVELS]; /* bytes per second */
	double reconfig_bandwidth;               /* bytes per second */
	double control_latency;                  /* seconds */
	bool flat;
	uint32_t ndefects;
	const owgrt_pea_xy *defects; /* global PEA coordinates, inside the mesh */
	uint64_t width, height;      /* PEAs across and down the whole mesh (saturated at UINT64_MAX) */
} owgrt_fabric;

/* --- analysis annotations (each array NULL when its pass did not run) --- */
typedef struct owgrt_time_stats { /* tasks */
	double mean, sd, cv, p50, p95, p99;
	uint32_t samples, outliers;
	bool is_volatile;
} owgrt_time_stats;

typedef struct owgrt_freq_stats { /* every node */
	double mean, var; /* executions per request */
	bool is_bursty;
} owgrt_freq_stats;

typedef struct owgrt_cb_freq { /* control nodes but the entry */
	owgrt_prob_source source;
	const double *arm; /* branch, switch, exit: per arm (narms of the node); else NULL */
	uint32_t narms;
	double repeat;     /* while loops: probability of repeating */
	double trips_mean; /* loops and forks */
	double trips_var;
} owgrt_cb_freq;

typedef struct owgrt_analysis {
	const owgrt_time_stats *time; /* per node */
	const owgrt_freq_stats *freq; /* per node */
	const owgrt_cb_freq *cb;      /* per node */
	const double *pea_time;       /* per node: expected PEA-seconds per request */
	const bool *critical;         /* per node: on the expected critical path */
	/* with pea_time: */
	uint32_t peas;
	double critical_path, total_pea_time, lb_latency, max_throughput;
} owgrt_analysis;

/* --- the placement plan --- */
typedef struct owgrt_binding {
	const uint32_t *replicas; /* per node: copies of a task (0: elastic, and control nodes) */
	const uint32_t *first;    /* per node: its PEAs are peas[first .. first + replicas * node peas)
	                           * (<= npeas; for an elastic task, its home pool's first entry) */
	const uint32_t *home;     /* per node: its cluster (< nclusters; 0 for control nodes) */
	const uint32_t *pool_first, *pool_size; /* per cluster: its elastic pool, peas[pool_first ..] */
	const uint32_t *peas;     /* PEA ids (< width * height) */
	uint32_t npeas;
	double traffic;           /* expected bytes x hops per request */
} owgrt_binding;

typedef struct owgrt_plan {
	const owgrt_fabric *fabric; /* the target */
	uint32_t width, height;     /* PEAs across and down; PEA p is at (p % width, p / width) */
	uint32_t cwidth, cheight;   /* clusters across and down */
	uint32_t nclusters;         /* cwidth * cheight */
	double rate;                /* requests per second the plan is sized for */
	uint64_t seed;
	int opt;                    /* -O level */
	const bool *pinned;         /* per node: pinned (true) or elastic */
	/* per node (tasks): busy PEAs at `rate`, mean and variance (an elastic
	 * task's predicted demand on the pools) */
	const double *demand_mean, *demand_var;
	owgrt_binding octopus;      /* the discriminating binding */
	owgrt_binding fixed;        /* the static binding of a conventional compiler */
} owgrt_plan;

/* --- a loaded program --- */
typedef struct owgrt_program {
	unsigned version_major, version_minor; /* of the file */
	const char *name;                      /* the workflow */
	uint32_t nnodes;
	const owgrt_node *nodes;               /* node 0 is the entry */
	uint32_t nflows;
	const owgrt_flow *flows;
	uint32_t nfabrics;
	const owgrt_fabric *fabrics;           /* the fabrics the workflow declares */
	uint32_t nexprs;
	const owgrt_expr *exprs;
	bool has_analysis;                     /* at least one annotation array is set */
	owgrt_analysis analysis;
	const owgrt_plan *plan;                /* NULL when the file has no placement */
} owgrt_program;

/* Loads a placement binary from memory (the bytes are copied where kept:
 * the caller may free them afterwards).  On success stores the program in
 * *out and returns OWGRT_OK; otherwise stores NULL, returns the status and
 * writes a message to err (err_size bytes, always NUL-terminated; err may
 * be NULL when err_size is 0). */
int owgrt_load(const void *bytes, size_t size, owgrt_program **out, char *err, size_t err_size);
/* The same from a file; messages start with the path. */
int owgrt_load_file(const char *path, owgrt_program **out, char *err, size_t err_size);
/* Frees a program (NULL is fine). */
void owgrt_program_free(owgrt_program *p);

#ifdef __cplusplus
}
#endif

#endif
