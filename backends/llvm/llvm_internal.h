/* llvm_internal.h - what llvm_emit.c shares with llvm_jit.c: LLVM's
 * set-up, target machines and the module of a workflow. */
#ifndef OWG_LLVM_INTERNAL_H
#define OWG_LLVM_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "llvm_emit.h"

/* Registers every target LLVM was built for (once). */
void owg_llvm_init(void);
/* A target machine for triple (NULL: the host), CPU "generic",
 * position-independent code, code generation level opt; NULL with a
 * message in err. */
LLVMTargetMachineRef owg_llvm_machine(const char *triple, unsigned opt, char *err, size_t err_size);
/* The workflow's name as it appears in symbols (malloc'd). */
char *owg_llvm_mangle(const char *name);
/* The module of g in ctx for tm, verified, then optimised with
 * default<Oopt>; NULL with a message in err. */
LLVMModuleRef owg_llvm_module(LLVMContextRef ctx, LLVMTargetMachineRef tm, const owg_graph *g,
			      const unsigned char *owgp, size_t owgp_size, unsigned opt, char *err, size_t err_size);

#endif
