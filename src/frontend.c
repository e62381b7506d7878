#include "config.h"

#include "frontend.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "symtab.h"

enum { MAX_IMPORT_DEPTH = 64 };

typedef struct loader {
	owg_frontend *fe;
	owg_symtab byreal;      /* realpath -> loaded file record */
	OWG_VEC(ast_file *) files;
	OWG_VEC(struct loaded *) stack; /* imports being followed */
} loader;

typedef struct loaded {
	const char *real;
	const char *shown;
	ast_file *ast;
	bool busy;
	owg_loc via; /* the import that first read it */
} loaded;

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

static void add_dep(owg_frontend *fe, const char *path)
{
	fe->deps = owg_xrealloc(fe->deps, (fe->ndeps + 1) * sizeof *fe->deps);
	fe->deps[fe->ndeps++] = owg_arena_strdup(&fe->arena, path);
}

static loaded *load(loader *L, const char *path, owg_loc via);

/* Resolves an import relative to the importing file, then the -I folders. */
static char *resolve(loader *L, const char *from, const char *name)
{
	owg_frontend *fe = L->fe;
	if (name[0] == '/')
		return owg_xstrdup(name);
	size_t n = 0;
	const char *slash = strrchr(from, '/');
	char *cand;
	if (slash && strcmp(from, "<stdin>")) {
		n = (size_t)(slash - from) + 1;
		cand = owg_xmalloc(n + strlen(name) + 1);
		memcpy(cand, from, n);
		strcpy(cand + n, name);
	} else {
		cand = owg_xstrdup(name);
	}
	for (size_t i = 0; i <= fe->ninclude_dirs; i++) {
		char *r = realpath(cand, NULL);
		if (r) {
			free(r);
			return cand;
		}
		free(cand);
		if (i == fe->ninclude_dirs)
			break;
		const char *dir = fe->include_dirs[i];
		cand = owg_xmalloc(strlen(dir) + strlen(name) + 2);
		sprintf(cand, "%s/%s", dir, name);
	}
	return NULL;
}

static void follow_imports(loader *L, loaded *f)
{
	owg_frontend *fe = L->fe;
	for (const ast_item *it = f->ast->items; it; it = it->next) {
		if (it->kind != AST_ITEM_IMPORT || owg_diag_capped(fe->diag))
			continue;
		char *path = resolve(L, f->shown, it->name.s);
		if (!path) {
			owg_diag_error(fe->diag, it->name.loc, "cannot find '%s' to import", it->name.s);
			owg_diag_note(fe->diag, it->name.loc, "searched next to '%s'%s", f->shown,
				      fe->ninclude_dirs ? " and in the -I folders" : "; add folders with -I DIR");
			continue;
		}
		load(L, path, it->name.loc);
		free(path);
	}
}

static loaded *load(loader *L, const char *path, owg_loc via)
{
	owg_frontend *fe = L->fe;
	char *real = strcmp(path, "-") ? realpath(path, NULL) : NULL;
	const char *key = real ? real : path;
	loaded *f = owg_symtab_get(&L->byreal, key);
	if (f) {
		free(real);
		if (f->busy) {
			/* the chain from f's first reading to this import */
			size_t k = L->stack.n;
			while (k > 0 && L->stack.v[k - 1] != f)
				k--;
			char *chain = owg_xstrdup(f->shown);
			for (size_t i = k; i <= L->stack.n; i++) {
				const char *next = i < L->stack.n ? L->stack.v[i]->shown : f->shown;
				char *c = owg_xmalloc(strlen(chain) + strlen(next) + 5);
				sprintf(c, "%s -> %s", chain, next);
				free(chain);
				chain = c;
			}
			owg_diag_error(fe->diag, via, "import cycle: %s", chain);
			free(chain);
		}
		return f;
	}
	if (L->stack.n >= MAX_IMPORT_DEPTH) {
		owg_diag_error(fe->diag, via, "imports nested more than %d deep", MAX_IMPORT_DEPTH);
		free(real);
		return NULL;
	}
	const char *err = NULL;
	uint32_t id = owg_src_load(fe->sm, path, &err);
	if (id == OWG_NOFILE) {
		if (via.file == OWG_NOFILE)
			owg_diag_fatal(fe->diag, "cannot read '%s': %s", path, err);
		else
			owg_diag_error(fe->diag, via, "cannot read '%s': %s", path, err);
		free(real);
		return NULL;
	}
	add_dep(fe, path);
	f = owg_arena_alloc(&fe->arena, sizeof *f);
	f->real = owg_arena_strdup(&fe->arena, key);
	f->shown = owg_src_get(fe->sm, id)->path;
	f->via = via;
	free(real);
	owg_symtab_put(&L->byreal, f->real, f);
	f->ast = owg_parse(&fe->arena, fe->diag, fe->sm, id);
	if (!f->ast)
		return NULL;
	OWG_VEC_PUSH(L->files, f->ast);
	f->busy = true;
	OWG_VEC_PUSH(L->stack, f);
	follow_imports(L, f);
	L->stack.n--;
	f->busy = false;
	return f;
}

static owg_graph *read_ir(owg_frontend *fe, const char *path)
{
	const char *err = NULL;
	uint32_t id = owg_src_load(fe->sm, path, &err);
	if (id == OWG_NOFILE) {
		owg_diag_fatal(fe->diag, "cannot read '%s': %s", path, err);
		return NULL;
	}
	add_dep(fe, path);
	const owg_source *src = owg_src_get(fe->sm, id);
	owg_graph *g = owg_ir_read(src->text, src->len, id, fe->diag);
	if (g && owg_ir_verify(g, fe->diag)) {
		owg_ir_free(g);
		g = NULL;
	}
	return g;
}

owg_graph *owg_frontend_compile(owg_frontend *fe, const char *path)
{
	if (has_suffix(path, ".owgir"))
		return read_ir(fe, path);
	unsigned errors0 = owg_diag_errors(fe->diag);
	loader L = {.fe = fe};
	load(&L, path, OWG_LOC_NONE);
	owg_graph *g = NULL;
	if (L.files.n && owg_diag_errors(fe->diag) == errors0)
		g = owg_sema_lower(fe->diag, L.files.v, L.files.n, &fe->sema);
	if (g && owg_ir_verify(g, fe->diag)) {
		/* a verifier failure after a clean front end is a compiler bug */
		owg_diag_fatal(fe->diag, "internal error: the IR of '%s' does not verify; please report this", path);
		owg_ir_free(g);
		g = NULL;
	}
	owg_symtab_free(&L.byreal);
	OWG_VEC_FREE(L.files);
	OWG_VEC_FREE(L.stack);
	return g;
}

void owg_frontend_free(owg_frontend *fe)
{
	free(fe->deps);
	fe->deps = NULL;
	fe->ndeps = 0;
	owg_arena_free(&fe->arena);
}

bool owg_frontend_define(owg_frontend *fe, const char *def, owg_override *out)
{
	const char *eq = strchr(def, '=');
	size_t nlen = eq ? (size_t)(eq - def) : strlen(def);
	/* -D name alone means name = true, as with a C preprocessor flag */
	char *text = owg_arena_printf(&fe->arena, "const %.*s = %s;", (int)nlen, def, eq ? eq + 1 : "true");
	uint32_t id = owg_src_add(fe->sm, "<command line>", text, strlen(text));
	unsigned errors0 = owg_diag_errors(fe->diag);
	ast_file *f = owg_parse(&fe->arena, fe->diag, fe->sm, id);
	if (!f || owg_diag_errors(fe->diag) != errors0)
		return false;
	if (!f->items || f->items->kind != AST_ITEM_CONST || f->items->next) {
		owg_diag_fatal(fe->diag, "-D %s: expected NAME=VALUE", def);
		return false;
	}
	out->name = f->items->name.s;
	out->value = f->items->value;
	out->loc = f->items->value->loc;
	return true;
}
