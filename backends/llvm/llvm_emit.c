/* llvm_emit.c - the object backend: a placed workflow as an LLVM module
 * (see llvm_emit.h for what it holds), emitted through a target machine.
 *
 * One context struct holds what the module is built with; the module is
 * verified before anything runs on it, emitted to memory, then written;
 * everything is disposed on one path (c3c's habit). */
#include "config.h"

#include "llvm_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/ErrorHandling.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "arena.h"

static void fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

/* --- LLVM's targets --- */

/* LLVM aborts on a fatal error (a core dump for what is a message) unless
 * the handler leaves first. */
static void llvm_fatal(const char *reason)
{
	fprintf(stderr, "owgc: error: LLVM: %s\n", reason);
	_Exit(EXIT_FAILURE);
}

void owg_llvm_init(void)
{
	static bool done;
	if (done)
		return;
	LLVMInstallFatalErrorHandler(llvm_fatal);
	/* every target, not only the host's: --target may name any of them */
	LLVMInitializeAllTargetInfos();
	LLVMInitializeAllTargets();
	LLVMInitializeAllTargetMCs();
	LLVMInitializeAllAsmPrinters();
	done = true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *owg_llvm_check_target(const char *triple)
{
	owg_llvm_init();
	char *norm = LLVMNormalizeTargetTriple(triple);
	LLVMTargetRef t;
	char *msg = NULL;
	bool ok = !LLVMGetTargetFromTriple(norm, &t, &msg);
	LLVMDisposeMessage(norm);
	if (ok) {
		LLVMDisposeMessage(msg);
		return NULL;
	}
	OWG_VEC(const char *) names = {0};
	size_t len = strlen(msg ? msg : "") + 64;
	for (LLVMTargetRef k = LLVMGetFirstTarget(); k; k = LLVMGetNextTarget(k)) {
		OWG_VEC_PUSH(names, LLVMGetTargetName(k));
		len += strlen(LLVMGetTargetName(k)) + 2;
	}
	qsort(names.v, names.n, sizeof *names.v, by_name);
	char *s = owg_xmalloc(len);
	size_t n = (size_t)snprintf(s, len, "%s; the architectures known:", msg ? msg : "no such target");
	for (size_t k = 0; k < names.n; k++)
		n += (size_t)snprintf(s + n, len - n, "%s %s", k ? "," : "", names.v[k]);
	OWG_VEC_FREE(names);
	LLVMDisposeMessage(msg);
	return s;
}

LLVMTargetMachineRef owg_llvm_machine(const char *triple, unsigned opt, char *err, size_t err_size)
{
	static const LLVMCodeGenOptLevel levels[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess,
						     LLVMCodeGenLevelDefault, LLVMCodeGenLevelAggressive};
	owg_llvm_init();
	char *norm = triple ? LLVMNormalizeTargetTriple(triple) : LLVMGetDefaultTargetTriple();
	LLVMTargetRef t;
	char *msg = NULL;
	LLVMTargetMachineRef tm = NULL;
	if (LLVMGetTargetFromTriple(norm, &t, &msg))
		fail(err, err_size, "unknown target '%s': %s", triple ? triple : norm, msg ? msg : "?");
	else
		/* CPU "": the architecture's generic one (x86-64 and AArch64 call
		 * it "generic", RISC-V "generic-rv64"); PIC: the object links
		 * into position-independent executables */
		tm = LLVMCreateTargetMachine(t, norm, "", "", levels[opt > 3 ? 3 : opt], LLVMRelocPIC,
					     LLVMCodeModelDefault);
	if (!tm && !msg)
		fail(err, err_size, "LLVM cannot make a target machine for '%s'", norm);
	LLVMDisposeMessage(msg);
	LLVMDisposeMessage(norm);
	return tm;
}

char *owg_llvm_mangle(const char *name)
{
	char *m = owg_xstrdup(name);
	for (char *p = m; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	return m;
}

/* --- the module --- */

typedef struct cg {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	const owg_graph *g;
	const char *w;  /* the mangled name */
	bool macho;     /* Mach-O names sections "segment,section" */
	uint64_t *slot; /* first output slot of each node */
	LLVMTypeRef f64, i32, i64, i8p, size, pred_ty, kernel_ty;
	char *err;
	size_t err_size;
	bool ok;
} cg;

/* Every symbol the module defines must keep its name: LLVM would rename
 * a second one silently (a kernel named like a symbol of ours). */
static bool fresh(cg *c, const char *name)
{
	if (!LLVMGetNamedGlobal(c->mod, name) && !LLVMGetNamedFunction(c->mod, name))
		return true;
	fail(c->err, c->err_size, "kernel symbol '%s' clashes with a symbol of the workflow's object", name);
	c->ok = false;
	return false;
}

static char *symbol(const char *fmt, const char *w, unsigned long n)
{
	size_t len = strlen(fmt) + strlen(w) + 24;
	char *s = owg_xmalloc(len);
	snprintf(s, len, fmt, w, n);
	return s;
}

static LLVMValueRef bool_val(cg *c, LLVMValueRef bit)
{
	return LLVMBuildUIToFP(c->b, bit, c->f64, "");
}

static LLVMValueRef nonzero(cg *c, LLVMValueRef x)
{
	/* x != 0 in C: true for NaN too */
	return LLVMBuildFCmp(c->b, LLVMRealUNE, x, LLVMConstReal(c->f64, 0), "");
}

/* r == 0 ? 0 : q, the language's division and remainder by zero */
static LLVMValueRef by_nonzero(cg *c, LLVMValueRef r, LLVMValueRef q)
{
	LLVMValueRef zero = LLVMConstReal(c->f64, 0);
	return LLVMBuildSelect(c->b, LLVMBuildFCmp(c->b, LLVMRealOEQ, r, zero, ""), zero, q, "");
}

/* What owg_expr_eval (src/ir.c) computes, in double precision, without
 * fast-math flags.  && and || evaluate both sides: nothing has a side
 * effect, so only the value must match. */
static LLVMValueRef expr(cg *c, const owg_expr *e, LLVMValueRef outs)
{
	if (!c->ok)
		return NULL;
	switch (e->kind) {
	case OWG_EX_NUM:
		return LLVMConstReal(c->f64, e->u.num);
	case OWG_EX_BOOL:
		return LLVMConstReal(c->f64, e->u.b ? 1.0 : 0.0);
	case OWG_EX_OUT: {
		uint32_t n = e->u.ref.node, o = e->u.ref.out;
		if (n >= c->g->nodes.n || o >= c->g->nodes.v[n].nouts) {
			fail(c->err, c->err_size, "internal error: a predicate reads output %u of node %u, which does not exist",
			     o, n);
			c->ok = false;
			return NULL;
		}
		LLVMValueRef idx = LLVMConstInt(c->i64, c->slot[n] + o, 0);
		LLVMValueRef p = LLVMBuildInBoundsGEP2(c->b, c->f64, outs, &idx, 1, "");
		return LLVMBuildLoad2(c->b, c->f64, p, "");
	}
	case OWG_EX_UNARY:
	case OWG_EX_BINARY:
		break;
	}
	if (!e->u.sub.l || (e->kind == OWG_EX_BINARY && !e->u.sub.r)) {
		fail(c->err, c->err_size, "internal error: a predicate has an operator without its operand");
		c->ok = false;
		return NULL;
	}
	LLVMValueRef l = expr(c, e->u.sub.l, outs);
	if (e->kind == OWG_EX_UNARY) {
		if (!l)
			return NULL;
		if (e->op == OWG_OP_NOT)
			return bool_val(c, LLVMBuildFCmp(c->b, LLVMRealOEQ, l, LLVMConstReal(c->f64, 0), ""));
		return LLVMBuildFNeg(c->b, l, "");
	}
	LLVMValueRef r = expr(c, e->u.sub.r, outs);
	if (!l || !r)
		return NULL;
	static const LLVMRealPredicate cmp[] = {
		[OWG_OP_LT] = LLVMRealOLT, [OWG_OP_LE] = LLVMRealOLE, [OWG_OP_GT] = LLVMRealOGT,
		[OWG_OP_GE] = LLVMRealOGE, [OWG_OP_EQ] = LLVMRealOEQ, [OWG_OP_NE] = LLVMRealUNE,
	};
	switch (e->op) {
	case OWG_OP_ADD: return LLVMBuildFAdd(c->b, l, r, "");
	case OWG_OP_SUB: return LLVMBuildFSub(c->b, l, r, "");
	case OWG_OP_MUL: return LLVMBuildFMul(c->b, l, r, "");
	case OWG_OP_DIV: return by_nonzero(c, r, LLVMBuildFDiv(c->b, l, r, ""));
	case OWG_OP_MOD: return by_nonzero(c, r, LLVMBuildFRem(c->b, l, r, "")); /* frem is C's fmod */
	case OWG_OP_LT:
	case OWG_OP_LE:
	case OWG_OP_GT:
	case OWG_OP_GE:
	case OWG_OP_EQ:
	case OWG_OP_NE: return bool_val(c, LLVMBuildFCmp(c->b, cmp[e->op], l, r, ""));
	case OWG_OP_AND:
	case OWG_OP_OR: {
		/* one statement each: the order of the instructions must not
		 * depend on the C compiler's order of evaluating arguments */
		LLVMValueRef lt = nonzero(c, l);
		LLVMValueRef rt = nonzero(c, r);
		return bool_val(c, e->op == OWG_OP_AND ? LLVMBuildAnd(c->b, lt, rt, "") : LLVMBuildOr(c->b, lt, rt, ""));
	}
	default: return LLVMConstReal(c->f64, 0); /* as owg_expr_eval */
	}
}

static LLVMValueRef pred_fn(cg *c, const owg_node *n)
{
	char *name = symbol("owg_%s_pred_%lu", c->w, (unsigned long)n->id);
	LLVMValueRef fn = NULL;
	if (fresh(c, name)) {
		fn = LLVMAddFunction(c->mod, name, c->pred_ty);
		LLVMSetLinkage(fn, LLVMInternalLinkage);
		LLVMValueRef outs = LLVMGetParam(fn, 0);
		LLVMSetValueName2(outs, "outs", 4);
		LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
		LLVMValueRef v = expr(c, n->pred, outs);
		if (v)
			LLVMBuildRet(c->b, v);
	}
	free(name);
	return fn;
}

/* A private constant global holding init; returns it cast to type.  Its
 * name has a '.', which no kernel symbol (a C identifier) can have. */
static LLVMValueRef private_const(cg *c, LLVMValueRef init, LLVMTypeRef type, const char *name)
{
	LLVMValueRef gv = LLVMAddGlobal(c->mod, LLVMTypeOf(init), name);
	LLVMSetInitializer(gv, init);
	LLVMSetGlobalConstant(gv, 1);
	LLVMSetLinkage(gv, LLVMPrivateLinkage);
	LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
	return LLVMConstBitCast(gv, type);
}

static LLVMValueRef cstring(cg *c, const char *s, const char *name)
{
	return private_const(c, LLVMConstStringInContext(c->ctx, s, (unsigned)strlen(s), 0), c->i8p, name);
}

/* A constant array of n values of type elem, as a pointer to its first
 * element; a null pointer when n is 0. */
static LLVMValueRef const_array(cg *c, LLVMTypeRef elem, LLVMValueRef *v, size_t n, const char *name)
{
	LLVMTypeRef p = LLVMPointerType(elem, 0);
	return n ? private_const(c, LLVMConstArray(elem, v, (unsigned)n), p, name) : LLVMConstNull(p);
}

static void build(cg *c, const unsigned char *owgp, size_t owgp_size)
{
	const owg_graph *g = c->g;
	OWG_VEC(LLVMValueRef) kernels = {0};
	OWG_VEC(LLVMValueRef) knames = {0};
	OWG_VEC(LLVMValueRef) preds = {0};
	OWG_VEC(LLVMValueRef) pnodes = {0};
	char *name = NULL;

	/* kernels first, in order of first use: a missing one is a link error
	 * that names it */
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_TB || !n->kernel || LLVMGetNamedFunction(c->mod, n->kernel))
			continue;
		OWG_VEC_PUSH(kernels, LLVMAddFunction(c->mod, n->kernel, c->kernel_ty));
		OWG_VEC_PUSH(knames, cstring(c, n->kernel, "owg.kernel_name"));
	}

	name = symbol("owg_owgp_%s", c->w, 0);
	LLVMValueRef bin = NULL;
	if (fresh(c, name)) {
		LLVMValueRef bytes = LLVMConstStringInContext(c->ctx, (const char *)owgp, (unsigned)owgp_size, 1);
		bin = LLVMAddGlobal(c->mod, LLVMTypeOf(bytes), name);
		LLVMSetInitializer(bin, bytes);
		LLVMSetGlobalConstant(bin, 1);
		LLVMSetAlignment(bin, 16);
		LLVMSetSection(bin, c->macho ? "__TEXT,__owgp" : ".owgp");
	}
	free(name);
	name = NULL;

	for (size_t i = 0; i < g->nodes.n && c->ok; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind != OWG_NODE_CB || !n->pred)
			continue;
		LLVMValueRef fn = pred_fn(c, n);
		OWG_VEC_PUSH(preds, fn);
		OWG_VEC_PUSH(pnodes, LLVMConstInt(c->i32, n->id, 0));
	}
	if (!c->ok)
		goto done;

	/* owgrt_image of runtime/owgrt.h, field for field */
	LLVMTypeRef img_ty = LLVMStructCreateNamed(c->ctx, "owgrt_image");
	LLVMTypeRef fields[] = {c->i32, c->i32, c->i32, c->i32, c->i8p, c->i8p, c->i64,
				LLVMPointerType(c->i8p, 0), LLVMPointerType(LLVMPointerType(c->kernel_ty, 0), 0),
				LLVMPointerType(c->i32, 0), LLVMPointerType(LLVMPointerType(c->pred_ty, 0), 0)};
	LLVMStructSetBody(img_ty, fields, sizeof fields / sizeof *fields, 0);
	LLVMValueRef init[] = {
		LLVMConstInt(c->i32, 1, 0), /* OWGRT_IMAGE_ABI */
		LLVMConstInt(c->i32, kernels.n, 0),
		LLVMConstInt(c->i32, preds.n, 0),
		LLVMConstInt(c->i32, 0, 0),
		cstring(c, g->name, "owg.name"),
		LLVMConstBitCast(bin, c->i8p),
		LLVMConstInt(c->i64, owgp_size, 0),
		const_array(c, c->i8p, knames.v, knames.n, "owg.kernel_names"),
		const_array(c, LLVMPointerType(c->kernel_ty, 0), kernels.v, kernels.n, "owg.kernels"),
		const_array(c, c->i32, pnodes.v, pnodes.n, "owg.pred_nodes"),
		const_array(c, LLVMPointerType(c->pred_ty, 0), preds.v, preds.n, "owg.preds"),
	};
	name = symbol("owg_image_%s", c->w, 0);
	if (!fresh(c, name))
		goto done;
	LLVMValueRef img = LLVMAddGlobal(c->mod, img_ty, name);
	LLVMSetInitializer(img, LLVMConstNamedStruct(img_ty, init, sizeof init / sizeof *init));
	LLVMSetGlobalConstant(img, 1);
	free(name);
	name = NULL;

	/* int owg_W_open(owgrt_exec **out, const owgrt_exec_opts *o, char *err, size_t n)
	 *   { return owgrt_exec_open(&owg_image_W, o, out, err, n); } */
	LLVMTypeRef rt_params[] = {LLVMPointerType(img_ty, 0), c->i8p, c->i8p, c->i8p, c->size};
	LLVMTypeRef rt_ty = LLVMFunctionType(c->i32, rt_params, 5, 0);
	if (!fresh(c, "owgrt_exec_open"))
		goto done;
	LLVMValueRef rt = LLVMAddFunction(c->mod, "owgrt_exec_open", rt_ty);
	LLVMTypeRef open_params[] = {c->i8p, c->i8p, c->i8p, c->size};
	name = symbol("owg_%s_open", c->w, 0);
	if (!fresh(c, name))
		goto done;
	LLVMValueRef open = LLVMAddFunction(c->mod, name, LLVMFunctionType(c->i32, open_params, 4, 0));
	static const char *const pnames[] = {"ex", "opts", "err", "err_size"};
	for (unsigned k = 0; k < 4; k++)
		LLVMSetValueName2(LLVMGetParam(open, k), pnames[k], strlen(pnames[k]));
	LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, open, "entry"));
	LLVMValueRef args[] = {img, LLVMGetParam(open, 1), LLVMGetParam(open, 0), LLVMGetParam(open, 2),
			       LLVMGetParam(open, 3)};
	LLVMValueRef call = LLVMBuildCall2(c->b, rt_ty, rt, args, 5, "");
	LLVMSetTailCall(call, 1);
	LLVMBuildRet(c->b, call);
done:
	free(name);
	OWG_VEC_FREE(kernels);
	OWG_VEC_FREE(knames);
	OWG_VEC_FREE(preds);
	OWG_VEC_FREE(pnodes);
}

LLVMModuleRef owg_llvm_module(LLVMContextRef ctx, LLVMTargetMachineRef tm, const owg_graph *g,
			      const unsigned char *owgp, size_t owgp_size, unsigned opt, char *err, size_t err_size)
{
	if (owgp_size > UINT32_MAX) {
		fail(err, err_size, "the placement binary is too large for an object (%zu bytes)", owgp_size);
		return NULL;
	}
	cg c = {.ctx = ctx, .g = g, .err = err, .err_size = err_size, .ok = true};
	c.w = owg_llvm_mangle(g->name);
	c.mod = LLVMModuleCreateWithNameInContext(g->name, ctx);
	char *triple = LLVMGetTargetMachineTriple(tm);
	LLVMSetTarget(c.mod, triple);
	static const char *const apple[] = {"-darwin", "-macos", "-ios", "-tvos", "-watchos"};
	for (size_t k = 0; k < sizeof apple / sizeof *apple; k++)
		c.macho |= strstr(triple, apple[k]) != NULL;
	LLVMDisposeMessage(triple);
	LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
	LLVMSetModuleDataLayout(c.mod, td);
	c.b = LLVMCreateBuilderInContext(ctx);
	c.f64 = LLVMDoubleTypeInContext(ctx);
	c.i32 = LLVMInt32TypeInContext(ctx);
	c.i64 = LLVMInt64TypeInContext(ctx);
	c.i8p = LLVMPointerType(LLVMInt8TypeInContext(ctx), 0);
	c.size = LLVMIntPtrTypeInContext(ctx, td); /* size_t */
	LLVMTypeRef f64p = LLVMPointerType(c.f64, 0);
	c.pred_ty = LLVMFunctionType(c.f64, &f64p, 1, 0);
	c.kernel_ty = LLVMFunctionType(c.i32, &c.i8p, 1, 0);
	c.slot = owg_xcalloc(g->nodes.n + 1, sizeof *c.slot);
	for (size_t i = 0; i < g->nodes.n; i++)
		c.slot[i + 1] = c.slot[i] + g->nodes.v[i].nouts;

	build(&c, owgp, owgp_size);

	char *msg = NULL;
	if (c.ok && LLVMVerifyModule(c.mod, LLVMReturnStatusAction, &msg)) {
		fail(err, err_size, "internal error: the LLVM module of workflow '%s' does not verify: %s", g->name,
		     msg ? msg : "?");
		c.ok = false;
	}
	LLVMDisposeMessage(msg);
	if (c.ok) {
		char passes[16];
		snprintf(passes, sizeof passes, "default<O%u>", opt > 3 ? 3 : opt);
		LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
		LLVMErrorRef e = LLVMRunPasses(c.mod, passes, tm, po);
		LLVMDisposePassBuilderOptions(po);
		if (e) {
			char *m = LLVMGetErrorMessage(e);
			fail(err, err_size, "LLVM's %s pipeline failed: %s", passes, m);
			LLVMDisposeErrorMessage(m);
			c.ok = false;
		}
	}
	free(c.slot);
	LLVMDisposeBuilder(c.b);
	LLVMDisposeTargetData(td);
	free((char *)c.w);
	if (!c.ok) {
		LLVMDisposeModule(c.mod);
		return NULL;
	}
	return c.mod;
}

bool owg_llvm_emit(const owg_graph *g, const unsigned char *owgp, size_t owgp_size, const owg_llvm_opts *o,
		   owg_llvm_kind kind, FILE *out, char *err, size_t err_size)
{
	LLVMTargetMachineRef tm = owg_llvm_machine(o->triple, o->opt, err, err_size);
	if (!tm)
		return false;
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef mod = owg_llvm_module(ctx, tm, g, owgp, owgp_size, o->opt, err, err_size);
	bool ok = mod != NULL;
	if (ok && kind == OWG_LLVM_IR) {
		char *text = LLVMPrintModuleToString(mod);
		ok = fputs(text, out) >= 0;
		LLVMDisposeMessage(text);
		if (!ok)
			fail(err, err_size, "write error");
	} else if (ok) {
		char *msg = NULL;
		LLVMMemoryBufferRef buf = NULL;
		if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, kind == OWG_LLVM_ASM ? LLVMAssemblyFile : LLVMObjectFile,
							&msg, &buf)) {
			fail(err, err_size, "LLVM cannot emit workflow '%s': %s", g->name, msg ? msg : "?");
			ok = false;
		} else {
			size_t n = LLVMGetBufferSize(buf);
			ok = fwrite(LLVMGetBufferStart(buf), 1, n, out) == n;
			if (!ok)
				fail(err, err_size, "write error");
		}
		LLVMDisposeMessage(msg);
		if (buf)
			LLVMDisposeMemoryBuffer(buf);
	}
	if (mod)
		LLVMDisposeModule(mod);
	LLVMContextDispose(ctx);
	LLVMDisposeTargetMachine(tm);
	return ok;
}
