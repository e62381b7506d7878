/* owgp_format.h - the placement binary (.owgp), version 1.0: the one place
 * that defines its layout.  The writer (backends/owgp_write.c) and the
 * loader (runtime/owgrt_load.c) both follow this file; the man pages
 * describe it for people.
 *
 * A .owgp holds a whole compiled workflow: the IR graph (nodes, arms,
 * outputs, distributions, predicates, flows, fabrics), the analysis
 * annotations when the analysis ran, and the placement plan when the
 * placement ran.  Everything needed to rebuild the graph exactly is there:
 * `owgc --emit=ir wf.owgp` prints the same text as the graph it came from.
 *
 * ------------------------------------------------------------------ rules
 * - Little-endian throughout.  Every record is written and read field by
 *   field (never a C struct); doubles are IEEE-754 binary64 bits; the
 *   "no probability" NaN is written as 0x7ff8000000000000.
 * - u8/u16/u32/u64 unsigned, i32 two's complement.  `str` is a u32 byte
 *   offset into the string table, OWGP_NONE (0xffffffff) for "no string"
 *   where the field allows it.  `idx` is a u32 index into another
 *   section, OWGP_NONE for "none" where the field allows it.
 * - Reserved fields and padding are written as zero, and a loader refuses
 *   them non-zero inside the records it knows (see "forward compatibility"
 *   for the parts it does not know).
 * - The file is: header, section table, sections.  Sections start at
 *   multiples of 8, lie inside the file, do not overlap each other, the
 *   header or the table; bytes covered by nothing (alignment padding) are
 *   zero.  The writer puts the table right after the header and the
 *   sections after it in table order.
 *
 * ----------------------------------------------------------------- header
 * 48 bytes at offset 0:
 *    0  u8[8] magic          89 4f 57 50 0d 0a 1a 0a  ("\x89OWP\r\n\x1a\n")
 *                            as PNG's: the high bit shows a 7-bit channel,
 *                            CR LF and the final LF a text-mode transfer,
 *                            ^Z stops a DOS `type`.
 *    8  u16   major          OWGP_VERSION_MAJOR; a loader refuses another
 *   10  u16   minor          OWGP_VERSION_MINOR; a newer minor loads (below)
 *   12  u32   header_size    >= 48, a multiple of 8; bytes after the first
 *                            48 belong to a newer minor and are skipped
 *   16  u64   file_size      the exact size of the file
 *   24  u32   section_count  entries in the section table (<= OWGP_MAX_SECTIONS)
 *   28  u32   flags          0.  Bits 0-15: a loader refuses a set bit it
 *                            does not know; bits 16-31 may be ignored
 *   32  u64   table_offset   the section table, a multiple of 8
 *   40  u32   crc32          CRC-32 (zlib's crc32, ISO-HDLC) of the whole
 *                            file (file_size bytes) with these 4 bytes taken
 *                            as zero
 *   44  u32   reserved       0
 *
 * ---------------------------------------------------------- section table
 * section_count entries of 32 bytes, sorted by id (bytewise), each id at
 * most once:
 *    0  u8[4] id       four characters, A-Z 0-9 (e.g. "NODE")
 *    4  u32   flags    bit 0 OWGP_SEC_REQUIRED: a loader that does not know
 *                      the id must refuse the file; without it an unknown
 *                      section is skipped.  Other bits: 0 (ignored).
 *    8  u64   offset   from the start of the file, a multiple of 8
 *   16  u64   size     bytes; size == count * entsize
 *   24  u32   count    records
 *   28  u32   entsize  bytes per record: at least the size given below
 *                      (exactly 1 for STRS); a newer minor may append
 *                      fields to a record, which older loaders skip
 *
 * -------------------------------------------------------------- sections
 * Required in every file: GRPH STRS NODE ARMS OUTS DIST SAMP EXPR FLOW
 * FABR DEFS (empty ones have count 0, size 0).  Optional groups, each all
 * or nothing: ATIM (time-stats); AFRQ (branch-freq executions); ACBF+ACBA
 * (branch-freq probabilities); ALOD+ABND (load); PLAN+PNOD+PCLU+PEAS (the
 * placement).  The writer marks every section it writes OWGP_SEC_REQUIRED.
 *
 * Ownership: the arms, outputs, distributions, samples, defects and
 * per-CB arm probabilities are each owned by exactly one user and laid out
 * contiguously in the order of their users (node order; a task's time or a
 * control node's count distribution; a distribution's samples; fabric
 * order, the plan's fabric last), so that every *_first field (and a
 * node's time or count index) equals the running total of the users
 * before it, also for a user with none, and every record is used.
 * Expressions form trees: children before parents, every record used
 * exactly once (by one parent or one predicate).
 *
 * GRPH  the graph, 1 record of 8 bytes
 *    0  str   name            the workflow's name
 *    4  u32   nfabrics        the graph's fabrics are FABR[0, nfabrics);
 *                             with a plan, FABR[nfabrics] is its target
 *
 * STRS  the string table, entsize 1, count == size
 *       NUL-terminated UTF-8 strings, referenced by the offset of their
 *       first byte (never inside a UTF-8 sequence); the table is valid
 *       UTF-8 and ends with a NUL.  Each string is referenced exactly once
 *       (no sharing, no overlap) and the strings tile the table, so that a
 *       small file cannot expand into many copies of a long name.  The
 *       writer stores the strings in the order it meets them.
 *
 * NODE  one record of 56 bytes per node; node 0 is the entry, and every
 *       other node's region is a control node before it
 *    0  u8    kind            0 task, 1 control
 *    1  u8    subkind         task: 0 ai, 1 general
 *                             control: 0 entry, 1 branch, 2 switch, 3 loop,
 *                             4 fork, 5 exit
 *    2  u8    loop_kind       loops: 0 count, 1 while; otherwise 0
 *    3  u8    reserved
 *    4  str   name
 *    8  idx   region          the governing control node; OWGP_NONE for node 0
 *   12  u32   arm             index into the region's arms
 *       task:
 *   16  u32   peas            PEA demand (>= 1)
 *   20  idx   time            DIST: the execution time model (seconds)
 *   24  str   kernel          OWGP_NONE: no kernel; else a C identifier
 *   28  idx   outs_first      OUTS
 *   32  u32   nouts
 *   36  u32[3] reserved
 *   48  f64   config_bytes    configuration size, finite, >= 0
 *       control:
 *   16  idx   arms_first      ARMS
 *   20  u32   narms           the canonical arms of the kind: entry (seq),
 *                             branch (then)(else), switch (case)... and an
 *                             optional (default) last, loop (body)(repeat),
 *                             fork (item), exit (taken)(cont)
 *   24  idx   pred            EXPR root, or OWGP_NONE
 *   28  idx   count           DIST: loop trips (count loops) or fork items;
 *                             OWGP_NONE for the other kinds
 *   32  u32   max_trips       while loops: the bound, 0 = none
 *   36  idx   count_node      forks: the task giving the item count, or OWGP_NONE
 *   40  u32   count_out       its output
 *   44  u32   reserved
 *   48  f64   reserved
 *
 * ARMS  24 bytes per arm
 *    0  u8    kind            0 seq, 1 then, 2 else, 3 case, 4 default,
 *                             5 body, 6 repeat, 7 item, 8 taken, 9 cont
 *    1  u8[7] reserved
 *    8  f64   value           case value (finite); 0 for the other kinds
 *   16  f64   prob            declared probability in [0, 1], or NaN: none
 *
 * OUTS  8 bytes per task output
 *    0  str   name            an identifier
 *    4  u8    type            0 i64, 1 f64, 2 bool
 *    5  u8[3] reserved
 *
 * DIST  32 bytes per distribution
 *    0  u8    kind            0 const, 1 meansd, 2 normal, 3 lognormal,
 *                             4 uniform, 5 exponential, 6 poisson,
 *                             7 geometric, 8 empirical
 *    1  u8[3] reserved
 *    4  u32   nsamples        empirical: >= 1; otherwise 0
 *    8  idx   samples_first   SAMP (the running total, also when nsamples is 0)
 *   12  u32   reserved
 *   16  f64   a               finite, >= 0 (see src/ir.h for the meaning)
 *   24  f64   b               finite, >= 0
 *
 * SAMP  8 bytes per sample: f64, finite, >= 0
 *
 * EXPR  24 bytes per expression node
 *    0  u8    kind            0 number, 1 bool, 2 task output, 3 unary, 4 binary
 *    1  u8    op              unary: 13 not, 14 neg; binary: 0 + 1 - 2 * 3 /
 *                             4 % 5 < 6 <= 7 > 8 >= 9 == 10 != 11 && 12 ||;
 *                             otherwise 0
 *    2  u8    type            0 i64, 1 f64, 2 bool
 *    3  u8    reserved
 *    4  u32   x               bool: 0/1; output: the task; unary and
 *                             binary: the (left) operand, an earlier index
 *    8  u32   y               output: the output index; binary: the right
 *                             operand, an earlier index; otherwise 0
 *   12  u32   reserved
 *   16  f64   num             number: the value (finite); otherwise 0
 *       Depth: at most OWGP_MAX_EXPR_DEPTH operators on any path.
 *
 * FLOW  16 bytes per data flow
 *    0  idx   src             a task
 *    4  idx   dst             a task
 *    8  f64   bytes           finite, >= 0
 *
 * FABR  120 bytes per fabric
 *    0  str   name
 *    4  u32   flags           bit 0: flat (the "P identical processors" model)
 *    8  u32   cluster_w, 12 cluster_h    PEAs per cluster (>= 1)
 *   16  u32   chiplet_w, 20 chiplet_h    clusters per chiplet (>= 1)
 *   24  u32   package_w, 28 package_h    chiplets per package (>= 1)
 *   32  f64[4] hop_latency    pea, cluster, chiplet, package: finite, >= 0
 *   64  f64[4] link_bandwidth finite, > 0
 *   96  f64   reconfig_bandwidth  finite, > 0
 *  104  f64   control_latency     finite, >= 0
 *  112  idx   defects_first   DEFS
 *  116  u32   ndefects
 *
 * DEFS  8 bytes per defective PEA: u32 x, u32 y, inside the fabric's mesh
 *
 * ATIM  time-stats: 64 bytes per node (tasks; zero for control nodes)
 *    0  f64   mean, 8 sd, 16 cv, 24 p50, 32 p95, 40 p99   finite, >= 0
 *   48  u32   samples
 *   52  u32   outliers        <= samples
 *   56  u8    volatile        0/1
 *   57  u8[7] reserved
 *
 * AFRQ  branch-freq: 24 bytes per node
 *    0  f64   mean            executions per request, finite, >= 0
 *    8  f64   var             finite, >= 0
 *   16  u8    bursty          0/1
 *   17  u8[7] reserved
 *
 * ACBF  branch-freq: 40 bytes per node (control nodes but the entry; zero
 *       for the others)
 *    0  u8    source          0 declared, 1 profile, 2 heuristic
 *    1  u8[3] reserved
 *    4  idx   arms_first      ACBA
 *    8  u32   narms           branch, switch, exit: the node's narms;
 *                             loops and forks: 0
 *   12  u32   reserved
 *   16  f64   repeat          in [0, 1]
 *   24  f64   trips_mean      finite, >= 0
 *   32  f64   trips_var       finite, >= 0
 *
 * ACBA  8 bytes per arm probability: f64 in [0, 1]
 *
 * ALOD  load: 16 bytes per node (tasks; zero for control nodes)
 *    0  f64   pea_time        finite, >= 0
 *    8  u8    critical        0/1
 *    9  u8[7] reserved
 *
 * ABND  load: 1 record of 40 bytes
 *    0  u32   peas
 *    4  u32   reserved
 *    8  f64   critical_path, 16 total_pea_time, 24 lb_latency,
 *   32  f64   max_throughput  finite, >= 0
 *
 * PLAN  the placement: 1 record of 64 bytes.  Its fabric is
 *       FABR[GRPH.nfabrics].  Two bindings: 0 octopus (the discriminating
 *       one), 1 fixed (the conventional static binding); see src/plan.h.
 *    0  u32   width, 4 height      PEAs across and down the mesh: the
 *                                  products of the fabric's grids
 *                                  (width x height <= OWGP_MAX_PLAN_PEAS)
 *    8  u32   cwidth, 12 cheight   clusters across and down
 *                                  (cwidth x cheight <= OWGP_MAX_PLAN_CLUSTERS)
 *   16  i32   opt             -O level, 0..3
 *   20  u32   reserved
 *   24  u64   seed
 *   32  f64   rate            requests per second, finite, >= 0
 *   40  f64   traffic[2]      per binding: expected bytes x hops per
 *                             request, finite, >= 0
 *   56  u32   npeas[2]        per binding: entries of its PEA array
 *
 * PNOD  48 bytes per node (all zero for control nodes)
 *    0  u8    pinned          0/1: discriminate's decision
 *    1  u8[3] reserved
 *    4  u32   replicas[0], 8 first[0], 12 home[0]    the octopus binding
 *   16  u32   replicas[1], 20 first[1], 24 home[1]   the fixed binding
 *   28  u32   reserved
 *   32  f64   demand_mean     busy PEAs at the plan's rate, finite, >= 0
 *   40  f64   demand_var      its variance, finite, >= 0
 *       A task's replicas occupy PEA array entries
 *       [first, first + replicas x peas) of its binding, inside the array;
 *       with no replicas, first is still at most npeas (the plan pass
 *       points an elastic task at its home pool).  home is a cluster
 *       index (< cwidth x cheight).
 *
 * PCLU  16 bytes per cluster (count == cwidth x cheight), row-major
 *    0  u32   pool_first[0], 4 pool_size[0]   the octopus binding's elastic pool
 *    8  u32   pool_first[1], 12 pool_size[1]  the fixed binding's (normally empty)
 *       Entries [pool_first, pool_first + pool_size) of the PEA array
 *       (pool_first <= npeas also for an empty pool).
 *
 * PEAS  4 bytes per entry (count == npeas[0] + npeas[1]): u32 PEA ids
 *       (< width x height, numbered y x width + x); the octopus binding's
 *       array, then the fixed binding's.  In each binding the ranges of
 *       all tasks and pools together hold at most npeas entries (so no
 *       entry is listed twice in total; a loader can print every range).
 *
 * ---------------------------------------------------- forward compatibility
 * Same major, newer minor: loads; a longer header, longer records and
 * unknown optional sections are skipped.  A newer major is refused with a
 * message that names both versions.  Unknown required sections and unknown
 * low header flags are refused. */
#ifndef OWGP_FORMAT_H
#define OWGP_FORMAT_H

#define OWGP_MAGIC "\x89OWP\r\n\x1a\n"
#define OWGP_MAGIC_SIZE 8
#define OWGP_VERSION_MAJOR 1
#define OWGP_VERSION_MINOR 0

#define OWGP_HEADER_SIZE 48
#define OWGP_ENTRY_SIZE 32
#define OWGP_CRC_OFFSET 40

#define OWGP_NONE 0xffffffffu
#define OWGP_SEC_REQUIRED 1u
#define OWGP_HEADER_KNOWN_FLAGS 0u      /* bits 0-15 a loader understands */
#define OWGP_HEADER_REQUIRED_MASK 0xffffu

/* Limits a loader enforces. */
#define OWGP_MAX_SECTIONS 256
#define OWGP_MAX_EXPR_DEPTH 1000          /* operators on one path (as the IR text's parentheses) */
#define OWGP_MAX_PLAN_PEAS (1u << 28)     /* PEAs of a plan's mesh (fabric.h's OWG_FABRIC_MAX_PEAS) */
#define OWGP_MAX_PLAN_CLUSTERS (1u << 20) /* clusters of a plan's mesh */

/* Section ids. */
#define OWGP_SEC_ABND "ABND"
#define OWGP_SEC_ACBA "ACBA"
#define OWGP_SEC_ACBF "ACBF"
#define OWGP_SEC_AFRQ "AFRQ"
#define OWGP_SEC_ALOD "ALOD"
#define OWGP_SEC_ARMS "ARMS"
#define OWGP_SEC_ATIM "ATIM"
#define OWGP_SEC_DEFS "DEFS"
#define OWGP_SEC_DIST "DIST"
#define OWGP_SEC_EXPR "EXPR"
#define OWGP_SEC_FABR "FABR"
#define OWGP_SEC_FLOW "FLOW"
#define OWGP_SEC_GRPH "GRPH"
#define OWGP_SEC_NODE "NODE"
#define OWGP_SEC_OUTS "OUTS"
#define OWGP_SEC_PCLU "PCLU"
#define OWGP_SEC_PEAS "PEAS"
#define OWGP_SEC_PLAN "PLAN"
#define OWGP_SEC_PNOD "PNOD"
#define OWGP_SEC_SAMP "SAMP"
#define OWGP_SEC_STRS "STRS"

/* Record sizes (version 1.0). */
#define OWGP_GRPH_SIZE 8
#define OWGP_NODE_SIZE 56
#define OWGP_ARMS_SIZE 24
#define OWGP_OUTS_SIZE 8
#define OWGP_DIST_SIZE 32
#define OWGP_SAMP_SIZE 8
#define OWGP_EXPR_SIZE 24
#define OWGP_FLOW_SIZE 16
#define OWGP_FABR_SIZE 120
#define OWGP_DEFS_SIZE 8
#define OWGP_ATIM_SIZE 64
#define OWGP_AFRQ_SIZE 24
#define OWGP_ACBF_SIZE 40
#define OWGP_ACBA_SIZE 8
#define OWGP_ALOD_SIZE 16
#define OWGP_ABND_SIZE 40
#define OWGP_PLAN_SIZE 64
#define OWGP_PNOD_SIZE 48
#define OWGP_PCLU_SIZE 16
#define OWGP_PEAS_SIZE 4

/* The sections, in id order: what the writer emits and the loader knows,
 * with the size of their records (the smallest a loader accepts). */
enum owgp_section {
	OWGP_S_ABND, OWGP_S_ACBA, OWGP_S_ACBF, OWGP_S_AFRQ, OWGP_S_ALOD, OWGP_S_ARMS, OWGP_S_ATIM,
	OWGP_S_DEFS, OWGP_S_DIST, OWGP_S_EXPR, OWGP_S_FABR, OWGP_S_FLOW, OWGP_S_GRPH, OWGP_S_NODE,
	OWGP_S_OUTS, OWGP_S_PCLU, OWGP_S_PEAS, OWGP_S_PLAN, OWGP_S_PNOD, OWGP_S_SAMP, OWGP_S_STRS,
	OWGP_S_COUNT
};

static const struct owgp_section_info {
	const char *id;
	uint32_t size;
} owgp_sections[OWGP_S_COUNT] = {
	[OWGP_S_ABND] = {OWGP_SEC_ABND, OWGP_ABND_SIZE}, [OWGP_S_ACBA] = {OWGP_SEC_ACBA, OWGP_ACBA_SIZE},
	[OWGP_S_ACBF] = {OWGP_SEC_ACBF, OWGP_ACBF_SIZE}, [OWGP_S_AFRQ] = {OWGP_SEC_AFRQ, OWGP_AFRQ_SIZE},
	[OWGP_S_ALOD] = {OWGP_SEC_ALOD, OWGP_ALOD_SIZE}, [OWGP_S_ARMS] = {OWGP_SEC_ARMS, OWGP_ARMS_SIZE},
	[OWGP_S_ATIM] = {OWGP_SEC_ATIM, OWGP_ATIM_SIZE}, [OWGP_S_DEFS] = {OWGP_SEC_DEFS, OWGP_DEFS_SIZE},
	[OWGP_S_DIST] = {OWGP_SEC_DIST, OWGP_DIST_SIZE}, [OWGP_S_EXPR] = {OWGP_SEC_EXPR, OWGP_EXPR_SIZE},
	[OWGP_S_FABR] = {OWGP_SEC_FABR, OWGP_FABR_SIZE}, [OWGP_S_FLOW] = {OWGP_SEC_FLOW, OWGP_FLOW_SIZE},
	[OWGP_S_GRPH] = {OWGP_SEC_GRPH, OWGP_GRPH_SIZE}, [OWGP_S_NODE] = {OWGP_SEC_NODE, OWGP_NODE_SIZE},
	[OWGP_S_OUTS] = {OWGP_SEC_OUTS, OWGP_OUTS_SIZE}, [OWGP_S_PCLU] = {OWGP_SEC_PCLU, OWGP_PCLU_SIZE},
	[OWGP_S_PEAS] = {OWGP_SEC_PEAS, OWGP_PEAS_SIZE}, [OWGP_S_PLAN] = {OWGP_SEC_PLAN, OWGP_PLAN_SIZE},
	[OWGP_S_PNOD] = {OWGP_SEC_PNOD, OWGP_PNOD_SIZE}, [OWGP_S_SAMP] = {OWGP_SEC_SAMP, OWGP_SAMP_SIZE},
	[OWGP_S_STRS] = {OWGP_SEC_STRS, 1},
};

/* Enumerations (the values of src/ir.h and of owgrt.h). */
enum {
	OWGP_NODE_TASK = 0,
	OWGP_NODE_CONTROL = 1,
	OWGP_TASK_AI = 0,
	OWGP_TASK_GENERAL = 1,
	OWGP_CB_ENTRY = 0, OWGP_CB_BRANCH, OWGP_CB_SWITCH, OWGP_CB_LOOP, OWGP_CB_FORK, OWGP_CB_EXIT,
	OWGP_LOOP_COUNT = 0, OWGP_LOOP_WHILE = 1,
	OWGP_ARM_SEQ = 0, OWGP_ARM_THEN, OWGP_ARM_ELSE, OWGP_ARM_CASE, OWGP_ARM_DEFAULT,
	OWGP_ARM_BODY, OWGP_ARM_REPEAT, OWGP_ARM_ITEM, OWGP_ARM_TAKEN, OWGP_ARM_CONT,
	OWGP_DIST_CONST = 0, OWGP_DIST_MEANSD, OWGP_DIST_NORMAL, OWGP_DIST_LOGNORMAL,
	OWGP_DIST_UNIFORM, OWGP_DIST_EXP, OWGP_DIST_POISSON, OWGP_DIST_GEOMETRIC,
	OWGP_DIST_EMPIRICAL,
	OWGP_TYPE_I64 = 0, OWGP_TYPE_F64, OWGP_TYPE_BOOL,
	OWGP_EX_NUM = 0, OWGP_EX_BOOL, OWGP_EX_OUT, OWGP_EX_UNARY, OWGP_EX_BINARY,
	OWGP_OP_ADD = 0, OWGP_OP_SUB, OWGP_OP_MUL, OWGP_OP_DIV, OWGP_OP_MOD,
	OWGP_OP_LT, OWGP_OP_LE, OWGP_OP_GT, OWGP_OP_GE, OWGP_OP_EQ, OWGP_OP_NE,
	OWGP_OP_AND, OWGP_OP_OR, OWGP_OP_NOT, OWGP_OP_NEG,
	OWGP_PROB_DECLARED = 0, OWGP_PROB_PROFILE, OWGP_PROB_HEURISTIC,
	OWGP_FABRIC_FLAT = 1,
};

#endif
