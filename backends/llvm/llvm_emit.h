/* llvm_emit.h - the object backend (owgc -c, --emit=obj|llvm-ir|asm):
 * a placed workflow as one LLVM module, built through the LLVM-C API and
 * emitted as an object file, LLVM IR text or assembly.
 *
 * For workflow W (its name, every character not in [A-Za-z0-9_] turned
 * into '_') the module holds
 *   owg_owgp_W     the placement binary's bytes (section .owgp, aligned 16)
 *   owg_W_pred_N   double (const double *outs), internal, one per control
 *                  node N with a predicate: what owg_expr_eval computes
 *   KERNEL         int (owgrt_task *), declared for every distinct kernel
 *                  symbol, in order of first use by node id
 *   owg_image_W    the owgrt_image (runtime/owgrt.h) that ties them up
 *   owg_W_open     int (owgrt_exec **, const owgrt_exec_opts *, char *err,
 *                  size_t err_size), which calls owgrt_exec_open on the image
 *
 * Only the files of backends/llvm/ include llvm-c; nothing here names an
 * LLVM type. */
#ifndef OWG_LLVM_EMIT_H
#define OWG_LLVM_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ir.h"

typedef enum owg_llvm_kind {
	OWG_LLVM_OBJ, /* a relocatable object (ELF on Linux), position-independent */
	OWG_LLVM_IR,  /* LLVM IR text (.ll) */
	OWG_LLVM_ASM, /* assembly (.s) */
} owg_llvm_kind;

typedef struct owg_llvm_opts {
	const char *triple; /* the target; NULL: the host's */
	unsigned opt;       /* 0..3: LLVM's default<On> pipeline and code generation level */
} owg_llvm_opts;

/* NULL when LLVM knows a target for triple; else a message (malloc'd,
 * the caller frees it) that lists the architectures LLVM was built for. */
char *owg_llvm_check_target(const char *triple);

/* Builds the module of g (placed: g->plan set) around the bytes of its
 * placement binary, verifies and optimises it, and writes it to out as
 * `kind`.  false with a message in err (an LLVM error, or an internal
 * error when the module does not verify); nothing is written then. */
bool owg_llvm_emit(const owg_graph *g, const unsigned char *owgp, size_t owgp_size, const owg_llvm_opts *o,
		   owg_llvm_kind kind, FILE *out, char *err, size_t err_size);

/* For the tests: the same module compiled in memory for the host by
 * MCJIT at level opt.  Its external functions (kernels, owgrt_exec_open)
 * are bound to what resolve returns for their names.  NULL with a
 * message in err. */
typedef struct owg_llvm_jit owg_llvm_jit;
owg_llvm_jit *owg_llvm_jit_new(const owg_graph *g, const unsigned char *owgp, size_t owgp_size, unsigned opt,
			       void *(*resolve)(const char *name), char *err, size_t err_size);
/* The address of a global or function of the module (owg_image_W,
 * owg_W_open), NULL when there is none. */
void *owg_llvm_jit_symbol(owg_llvm_jit *j, const char *name);
void owg_llvm_jit_free(owg_llvm_jit *j);

#endif
