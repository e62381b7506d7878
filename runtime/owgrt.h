/* owgrt.h - libowgrt, the OWG runtime library, in one header:
 *
 *   - loading a placement binary (below);
 *   - recording .owgprof profiles at run time (owgrt_profile_*);
 *   - the host executor: a workflow compiled with `owgc -c` run on worker
 *     threads with the program's kernels (owgrt_exec_*, owgrt_task_*).
 *
 * See libowgrt(3).  Link with -lowgrt (pkg-config --cflags --libs owgrt).
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

/* --- recording .owgprof profiles at run time ---
 *
 * Recording .owgprof profiles at run time, so that
 * compile -> run -> recompile with `owgc --profile-use` closes the loop
 * (DESIGN section 9).  The file is the one owgc's src/profile.c reads and
 * writes, byte for byte what owgc's own recorder writes for the same
 * events: the same shape hash (a profile of another workflow is refused)
 * and model hash, computed from the loaded program.
 *
 *   owgrt_profile *pr = owgrt_profile_new(p);
 *   ... owgrt_profile_time(pr, node, seconds, key) per task execution,
 *       owgrt_profile_arm / owgrt_profile_items per control decision,
 *       owgrt_profile_request(pr, execs) per completed request ...
 *   owgrt_profile_write_file(pr, "wf.owgprof", err, sizeof err);
 *   owgrt_profile_free(pr);
 *
 * The events map one to one onto owgrt_sim_observer's: task (not lost)
 * -> owgrt_profile_time, control -> owgrt_profile_arm (branch, switch,
 * exit) or owgrt_profile_items (loops, forks), request ->
 * owgrt_profile_request.
 *
 * Nodes are owgrt_program node ids.  The program must outlive the
 * profile (names and kinds are read from it).  A profile is not
 * synchronised: one thread at a time records into it.  Recording
 * functions return OWGRT_OK, OWGRT_EINVAL (and record nothing) for a node
 * that does not take that event or an invalid value, or OWGRT_ENOMEM
 * (and record nothing). */

/* Execution times kept per task: the bottom-k sample of owgc's
 * profiles (src/profile.h's OWG_PROF_K; merge needs the same K). */
#define OWGRT_PROFILE_K 256

typedef struct owgrt_profile owgrt_profile;

/* An empty profile of p (every counter 0).  NULL when out of memory or p
 * is NULL. */
owgrt_profile *owgrt_profile_new(const owgrt_program *p);
void owgrt_profile_free(owgrt_profile *pr);
/* A task execution of `seconds` (finite, >= 0); `key` a 64-bit
 * pseudo-random number, uniform and independent of the time (the
 * bottom-k sample keeps the OWGRT_PROFILE_K smallest (key, time) pairs,
 * a uniform sample of all executions). */
int owgrt_profile_time(owgrt_profile *pr, uint32_t node, double seconds, uint64_t key);
/* Such a key for execution `exec` of task `node` in request `req`: from a
 * stream of a salted seed, independent of the times a run draws from
 * (seed, req, node, exec). */
uint64_t owgrt_profile_key(uint64_t seed, uint64_t req, uint32_t node, uint32_t exec);
/* A branch, switch or exit chose `arm`, an index into the node's arms
 * (branch: 0 then, 1 else; exit: 0 taken, 1 cont); a switch without a
 * default that matched no case takes OWGRT_NONE.  A while loop's test
 * after a trip may also be recorded here, arm 0 stopped, 1 repeated
 * (the same as owgrt_profile_items with the trips).  Not the entry: its
 * one run per request is counted by owgrt_profile_request. */
int owgrt_profile_arm(owgrt_profile *pr, uint32_t node, uint32_t arm);
/* A loop ran n trips, a fork n items.  A while loop runs at least one
 * trip (n >= 1) and tests after each: n - 1 repeats, then a stop. */
int owgrt_profile_items(owgrt_profile *pr, uint32_t node, uint64_t n);
/* A request completed; execs[node]: executions of every node in it (the
 * tasks' are recorded; execs has one element per node of the program).
 * Also counts the entry's run. */
int owgrt_profile_request(owgrt_profile *pr, const uint32_t *execs);
/* Writes the profile atomically: a temporary file "PATH.tmp.*" in the
 * same directory, flushed to the disk and renamed over path, removed on
 * any error; a device or pipe (/dev/stdout) is written in place.
 * OWGRT_OK, or OWGRT_EINVAL, OWGRT_EIO or OWGRT_ENOMEM with a message
 * that starts with the path in err (err_size bytes, NUL-terminated; err
 * may be NULL when err_size is 0). */
int owgrt_profile_write_file(const owgrt_profile *pr, const char *path, char *err, size_t err_size);
/* The text of the file, in a malloc'ed NUL-terminated buffer the caller
 * frees (*len bytes without the NUL).  OWGRT_OK, OWGRT_EINVAL or
 * OWGRT_ENOMEM (then *text is NULL). */
int owgrt_profile_text(const owgrt_profile *pr, char **text, size_t *len);

/* The hashes that tie a profile to its workflow, computed as owgc
 * computes them on its IR (src/profile_hash.c): FNV-1a 64 of the
 * structure (node kinds, names, nesting, arms, flows) and of the declared
 * models (times, PEAs, probabilities, counts, predicates, flow sizes). */
uint64_t owgrt_shape_hash(const owgrt_program *p);
uint64_t owgrt_model_hash(const owgrt_program *p);


/* --- policies (the simulator, owgrun, and the host executor) --- */
typedef enum owgrt_policy {
	OWGRT_POLICY_STATIC,   /* the conventional binding (plan->fixed), no re-mapping */
	OWGRT_POLICY_REACTIVE, /* static plus threshold-triggered migration of replicas */
	OWGRT_POLICY_STEAL,    /* static plus work stealing within k mesh hops */
	OWGRT_POLICY_OCTOPUS,  /* plan->octopus: pinned replicas, elastic pools (DESIGN section 8) */
	OWGRT_POLICIES
} owgrt_policy;

/* The name of a policy ("octopus"), and back (false when unknown). */
const char *owgrt_policy_name(owgrt_policy p);
bool owgrt_policy_parse(const char *name, owgrt_policy *out);

/* --- native execution: the host executor ---
 *
 * `owgc -c wf.owg -o wf.o` writes an object that holds the workflow as an
 * owgrt_image (the placement binary, its CB predicates compiled to native
 * functions, and the kernel functions its tasks name), and an entry,
 *
 *   int owg_NAME_open(owgrt_exec **ex, const owgrt_exec_opts *o, char *err, size_t err_size);
 *
 * (NAME: the workflow's name, every character that is not a letter, a
 * digit or '_' replaced by '_'), which calls owgrt_exec_open on it.  The
 * program links wf.o with its kernels and -lowgrt; a kernel the workflow
 * names and the program lacks is a link error that names it.
 *
 *   owgrt_exec_opts o;
 *   owgrt_exec_opts_init(&o);            // defaults, then $OWGRT_THREADS ...
 *   owgrt_exec *ex;
 *   char err[256];
 *   if (owg_wf_open(&ex, &o, err, sizeof err) != OWGRT_OK) { ... }
 *   owgrt_exec_run(ex, inputs, n, err, sizeof err);   // n requests
 *   owgrt_exec_close(ex);
 *
 * Worker threads are the PEAs of the plan's fabric: PEA p (the p-th
 * usable PEA, in id order) is served by thread p % threads; a gang of
 * PEAs runs its kernel on the thread of its first PEA, the others being
 * held.  The scheduler core that drives the simulator places every task
 * execution under the chosen policy.  A kernel runs on one thread with
 * no lock held; everything else (control blocks, predicates, the core)
 * runs under the executor's lock on whichever worker finished the work
 * that made it ready. */

typedef struct owgrt_task owgrt_task; /* one execution of a task, passed to its kernel */
typedef struct owgrt_exec owgrt_exec; /* a running workflow */

/* A kernel: 0 when it succeeded; anything else reports the failure of
 * its PEA, and the execution runs again elsewhere (what it wrote is
 * discarded). */
typedef int (*owgrt_kernel_fn)(owgrt_task *t);
/* A compiled predicate: its value (0 false, anything else true; a
 * switch's selector) given the request's outputs in their slots: output
 * `o` of task `n` is at slot sum(nouts of nodes < n) + o, as a double
 * (i64 converted, bool 0 or 1). */
typedef double (*owgrt_pred_fn)(const double *outs);

#define OWGRT_IMAGE_ABI 1
/* What owgc -c emits (a constant; the layout is part of the ABI). */
typedef struct owgrt_image {
	uint32_t abi;      /* OWGRT_IMAGE_ABI */
	uint32_t nkernels; /* distinct kernel symbols, in order of first use by node id */
	uint32_t npreds;   /* control nodes with a predicate, in node id order */
	uint32_t reserved; /* 0 */
	const char *name;  /* the workflow */
	const unsigned char *owgp; /* the placement binary (section .owgp) */
	uint64_t owgp_size;
	const char *const *kernel_names;
	const owgrt_kernel_fn *kernels;
	const uint32_t *pred_nodes;
	const owgrt_pred_fn *preds;
} owgrt_image;

typedef struct owgrt_exec_opts {
	uint32_t threads;      /* worker threads; 0: $OWGRT_THREADS, else the CPUs online */
	owgrt_policy policy;   /* $OWGRT_POLICY, else octopus */
	uint64_t seed;         /* control blocks without a predicate draw from (seed, request, node, execution); $OWGRT_SEED, else 1 */
	uint32_t max_attempts; /* a task execution that fails this many times stops the run (4) */
	const char *profile_out; /* write a .owgprof here when the executor closes; $OWGRT_PROFILE_OUT, else NULL */
	bool record_profile;   /* record one for owgrt_exec_profile_write (implied by profile_out) */
	/* called on the worker that completed request `id` (under the lock: keep it short) */
	void (*on_request)(void *ctx, uint64_t id, void *input, double latency);
	void *ctx;
	/* set by owgrt_exec_opts_init: the first variable of the environment
	 * it could not read ("OWGRT_THREADS"), which owgrt_exec_open reports */
	const char *bad_env;
} owgrt_exec_opts;

typedef struct owgrt_exec_stats {
	uint64_t requests;     /* completed */
	uint64_t tasks_run;    /* task executions completed */
	uint64_t tasks_failed; /* kernel failures (each ran again elsewhere) */
	uint32_t threads, peas, failed_peas;
	double makespan;       /* seconds from the first submission to the last completion */
	double throughput;     /* requests / makespan */
	double latency_mean, latency_p50, latency_p95, latency_p99; /* seconds */
	double busy_seconds;   /* the threads' time running kernels and the executor's work (not waiting), summed */
	double utilisation;    /* busy_seconds / (threads x makespan) */
	uint64_t migrations, reconfigurations;
} owgrt_exec_stats;

/* Defaults (above), then the environment: OWGRT_THREADS, OWGRT_POLICY,
 * OWGRT_SEED, OWGRT_PROFILE_OUT.  Values it cannot parse are left at
 * their defaults; owgrt_exec_open reports them. */
void owgrt_exec_opts_init(owgrt_exec_opts *o);
/* Loads the image's placement, checks that every kernel and predicate
 * the workflow needs is there, and starts the threads (o NULL:
 * owgrt_exec_opts_init's).  OWGRT_OK, or a status with a message. */
int owgrt_exec_open(const owgrt_image *img, const owgrt_exec_opts *o, owgrt_exec **out, char *err, size_t err_size);
/* Starts a request whose kernels see `input` (owgrt_task_input); its id
 * (0, 1, ...) in *id when id is not NULL.  OWGRT_OK, OWGRT_ENOMEM, or
 * OWGRT_EINVAL once the run has stopped on an error. */
int owgrt_exec_submit(owgrt_exec *ex, void *input, uint64_t *id);
/* Waits until every submitted request completed, or the run stopped on
 * an error (a task failed max_attempts times, no PEA left for a task,
 * out of memory): then the status and a message. */
int owgrt_exec_wait(owgrt_exec *ex, char *err, size_t err_size);
/* Submits n requests, inputs[i] for request i (inputs may be NULL: all
 * NULL), then waits. */
int owgrt_exec_run(owgrt_exec *ex, void *const *inputs, size_t n, char *err, size_t err_size);
/* What has happened so far. */
void owgrt_exec_stats_get(const owgrt_exec *ex, owgrt_exec_stats *st);
/* The program running (for its names and plan). */
const owgrt_program *owgrt_exec_program(const owgrt_exec *ex);
/* Writes the profile of every completed request (as owgrt_profile_write_file). */
int owgrt_exec_profile_write(owgrt_exec *ex, const char *path, char *err, size_t err_size);
/* Waits for the submitted requests, writes o->profile_out if set, stops
 * the threads and frees everything.  OWGRT_OK, or the status of the run
 * or of the profile's write (with a message when err is not NULL). */
int owgrt_exec_close(owgrt_exec *ex, char *err, size_t err_size);

/* --- inside a kernel --- */
/* The task's name, and its node in the program. */
const char *owgrt_task_name(const owgrt_task *t);
uint32_t owgrt_task_node(const owgrt_task *t);
/* The request: its id and the input given to owgrt_exec_submit. */
uint64_t owgrt_task_request(const owgrt_task *t);
void *owgrt_task_input(const owgrt_task *t);
/* The innermost fork item (0 ..) or loop trip the execution is in; 0
 * outside both. */
uint64_t owgrt_task_index(const owgrt_task *t);
/* The worker thread (0 .. threads), the PEAs of its gang, and the
 * attempt (0 the first time, 1 after one failure, ...). */
uint32_t owgrt_task_thread(const owgrt_task *t);
uint32_t owgrt_task_peas(const owgrt_task *t);
uint32_t owgrt_task_attempt(const owgrt_task *t);
/* Data: a buffer of `size` bytes that this execution fills, kept until
 * its request completes; producers later in the request find it with
 * owgrt_task_data.  A second call replaces the first.  NULL when out of
 * memory. */
void *owgrt_task_output(owgrt_task *t, size_t size);
/* The buffer the latest execution of task `producer` (its name) put out,
 * in this execution's scope (inside a fork item: the item's own, else
 * the one before the fork), and its size; NULL when it has not run or
 * put nothing out. */
const void *owgrt_task_data(const owgrt_task *t, const char *producer, size_t *size);
/* Sets scalar output `out` (declared `out NAME: TYPE` in the workflow),
 * which the control blocks' predicates read.  OWGRT_OK, or OWGRT_EINVAL
 * when the task declares no such output or value is not finite. */
int owgrt_task_set(owgrt_task *t, const char *out, double value);
/* The value of output `out` of task `task` in this execution's scope
 * (NaN when that task has not run or set it). */
double owgrt_task_get(const owgrt_task *t, const char *task, const char *out);

#ifdef __cplusplus
}
#endif

#endif
