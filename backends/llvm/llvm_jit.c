/* llvm_jit.c - the object backend's module compiled in memory (MCJIT), so
 * that the tests can call the predicates it compiles and read its image.
 * owgc itself never links this file. */
#include "config.h"

#include "llvm_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <llvm-c/ExecutionEngine.h>

#include "arena.h"

struct owg_llvm_jit {
	LLVMContextRef ctx;
	LLVMExecutionEngineRef ee; /* owns the module */
};

owg_llvm_jit *owg_llvm_jit_new(const owg_graph *g, const unsigned char *owgp, size_t owgp_size, unsigned opt,
			       void *(*resolve)(const char *name), char *err, size_t err_size)
{
	LLVMLinkInMCJIT();
	/* the host's machine: the module's layout and passes match what MCJIT
	 * generates code for */
	LLVMTargetMachineRef tm = owg_llvm_machine(NULL, opt, err, err_size);
	if (!tm)
		return NULL;
	owg_llvm_jit *j = owg_xcalloc(1, sizeof *j);
	j->ctx = LLVMContextCreate();
	LLVMModuleRef mod = owg_llvm_module(j->ctx, tm, g, owgp, owgp_size, opt, err, err_size);
	LLVMDisposeTargetMachine(tm);
	bool ok = mod != NULL;
	/* bind the declarations before MCJIT looks them up in the process */
	OWG_VEC(LLVMValueRef) decls = {0};
	for (LLVMValueRef f = mod ? LLVMGetFirstFunction(mod) : NULL; f && ok; f = LLVMGetNextFunction(f))
		if (LLVMIsDeclaration(f) && !LLVMGetIntrinsicID(f))
			OWG_VEC_PUSH(decls, f);
	if (ok) {
		struct LLVMMCJITCompilerOptions mo;
		LLVMInitializeMCJITCompilerOptions(&mo, sizeof mo);
		mo.OptLevel = opt > 3 ? 3 : opt;
		char *msg = NULL;
		if (LLVMCreateMCJITCompilerForModule(&j->ee, mod, &mo, sizeof mo, &msg)) {
			/* the module went to MCJIT's builder, which disposed of it */
			snprintf(err, err_size, "MCJIT: %s", msg ? msg : "?");
			j->ee = NULL;
			ok = false;
		}
		LLVMDisposeMessage(msg);
	}
	for (size_t k = 0; k < decls.n && ok; k++) {
		size_t len;
		const char *name = LLVMGetValueName2(decls.v[k], &len);
		void *addr = resolve ? resolve(name) : NULL;
		if (!addr) {
			snprintf(err, err_size, "unresolved symbol '%s'", name);
			ok = false;
		} else {
			LLVMAddGlobalMapping(j->ee, decls.v[k], addr);
		}
	}
	OWG_VEC_FREE(decls);
	if (!ok) {
		owg_llvm_jit_free(j);
		return NULL;
	}
	return j;
}

void *owg_llvm_jit_symbol(owg_llvm_jit *j, const char *name)
{
	/* LLVMGetGlobalValueAddress finalises the module on first use */
	return (void *)(uintptr_t)LLVMGetGlobalValueAddress(j->ee, name);
}

void owg_llvm_jit_free(owg_llvm_jit *j)
{
	if (!j)
		return;
	if (j->ee)
		LLVMDisposeExecutionEngine(j->ee);
	LLVMContextDispose(j->ctx);
	free(j);
}
