/* import_wfcommons.c - WfCommons traces (WfFormat 1.5) to owg source: read
 * and check every trace, check that they are runs of one workflow, merge
 * them, print.  See import_wfcommons.h for the mapping. */
#include "config.h"

#include "import_wfcommons.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "atomic_file.h"
#include "ir.h"
#include "json.h"
#include "quantity.h"
#include "symtab.h"

#define MAX_FILE_SIZE 9007199254740992.0 /* 2^53: whole numbers of bytes are exact below */
enum { SHOW = 64, SHOW_COMMENT = 200, COMMENT_COLUMN_MAX = 100, CYCLE_SHOWN = 8 };

typedef struct wtask {
	const owg_json *obj;
	const char *id; /* no NUL inside */
	owg_loc id_loc;
	const char *name;
	uint32_t namelen;
	const owg_json *parents, *children; /* arrays (children may be NULL) */
	uint32_t *par;                      /* parents: task indices, as listed, each once */
	owg_loc *par_loc;                   /* where each is listed */
	uint32_t npar;
	uint32_t *in, *out; /* files read and written, each once */
	uint32_t nin, nout;
	const owg_json *run; /* the execution record, NULL if none */
	double runtime;
	bool has_cpu, has_cores;
	double cpu, cores;
} wtask;

typedef struct wfile {
	const char *id;
	owg_loc loc;
	bool has_size;
	bool unsized_used; /* without a size, and carried by a dependency */
	double size;
	uint32_t *prod; /* tasks that write it */
	uint32_t nprod;
} wfile;

typedef struct trace {
	uint32_t file;
	const char *shown; /* the file's base name, printable */
	const char *name;  /* the instance's name */
	uint32_t namelen;
	const char *version;
	const char *system; /* "Pegasus 5.0", or NULL */
	bool has_makespan;
	double makespan;
	const owg_json *tasks_json;
	wtask *t;
	uint32_t nt;
	owg_symtab byid; /* task id -> index + 1 */
	wfile *f;
	uint32_t nf;
	owg_symtab fbyid; /* file id -> index + 1 */
	uint32_t *from0;  /* index in the first trace -> index here */
	uint32_t *to0;    /* index here -> index in the first trace */
	double *bytes;    /* per dependency of the merged model */
	bool *carries;    /* the dependency carries at least one file here */
} trace;

typedef struct imp {
	owg_srcmgr *sm;
	owg_diag *d;
	owg_arena a;
	trace *tr;
	size_t ntr;
	/* the dependencies in the first trace's numbering: child by child,
	 * parents in the order listed */
	uint32_t *esrc, *edst;
	uint32_t ne;
	owg_u64map edge; /* (src + 1) << 32 | (dst + 1) -> dependency + 1 */
	unsigned suggestions; /* did-you-mean searches made */
	/* what was assumed for missing data: said once the import succeeds */
	OWG_VEC(struct assumption {
		owg_loc loc;
		char *msg;
	}) assumed;
} imp;

/* ---- messages ---- */

static void err(imp *I, owg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(imp *I, owg_loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	owg_diag_error(I->d, loc, "%s", msg);
}

static void note(imp *I, owg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(imp *I, owg_loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	owg_diag_note(I->d, loc, "%s", msg);
}

/* An assumption made for missing data, said (as a note) once the import
 * has succeeded. */
static void assume(imp *I, owg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void assume(imp *I, owg_loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct assumption a = {loc, owg_arena_strdup(&I->a, msg)};
	OWG_VEC_PUSH(I->assumed, a);
}

static const char *show(imp *I, const char *s, size_t len)
{
	return owg_json_display(&I->a, s, len, SHOW);
}

static const char *show_str(imp *I, const owg_json *v)
{
	return show(I, v->u.str.s, v->u.str.len);
}

/* The source text of a value (a number as written), for messages. */
static const char *text_of(imp *I, const owg_json *v)
{
	const owg_source *src = owg_src_get(I->sm, v->loc.file);
	if (!src || v->loc.end > src->len)
		return "?";
	return show(I, src->text + v->loc.begin, v->loc.end - v->loc.begin);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "workflow.specification.tasks[3].parents" from its parts. */
static void path_of(char *buf, size_t n, const char *path, long idx, const char *key)
{
	int k = snprintf(buf, n, "%s", path);
	if (idx >= 0 && k >= 0 && (size_t)k < n)
		k += snprintf(buf + k, n - (size_t)k, "[%ld]", idx);
	if (key && k >= 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, "%s%s", *path || idx >= 0 ? "." : "", key);
}

/* Member key of object o (at path[idx]) of kind `kind`: NULL when absent
 * (an error when required) or of another kind (an error); *ok is cleared
 * on an error. */
static const owg_json *member(imp *I, const owg_json *o, const char *path, long idx, const char *key,
			      owg_json_kind kind, bool required, bool *ok)
{
	const owg_json *v = owg_json_get(o, key);
	char where[256];
	if (!v) {
		if (required) {
			path_of(where, sizeof where, path, idx, NULL);
			if (*where)
				err(I, owg_json_head(o), "%s has no '%s'", where, key);
			else
				err(I, owg_json_head(o), "the top-level object has no '%s': is this a WfCommons instance?", key);
			*ok = false;
		}
		return NULL;
	}
	if (v->kind != kind) {
		path_of(where, sizeof where, path, idx, key);
		err(I, owg_json_head(v), "'%s' must be %s, not %s", where, owg_json_kind_name(kind),
		    owg_json_kind_name(v->kind));
		*ok = false;
		return NULL;
	}
	return v;
}

/* Element idx of array a (at path.key) must be a `kind`. */
static bool element(imp *I, const owg_json *a, uint32_t idx, const char *path, long pidx, const char *key,
		    owg_json_kind kind)
{
	const owg_json *v = a->u.arr.v[idx];
	if (v->kind == kind)
		return true;
	char where[256];
	path_of(where, sizeof where, path, pidx, key);
	err(I, owg_json_head(v), "'%s[%u]' must be %s, not %s", where, idx, owg_json_kind_name(kind),
	    owg_json_kind_name(v->kind));
	return false;
}

/* An id: a non-empty string without NUL. */
static bool check_id(imp *I, const owg_json *v, const char *what)
{
	if (v->u.str.len == 0) {
		err(I, v->loc, "%s id is empty", what);
		return false;
	}
	if (memchr(v->u.str.s, '\0', v->u.str.len)) {
		err(I, v->loc, "%s id '%s' contains a NUL character", what, show_str(I, v));
		return false;
	}
	return true;
}

/* ---- one trace ---- */

static bool read_files(imp *I, trace *T, const owg_json *files)
{
	static const char path[] = "workflow.specification.files";
	bool ok = true;
	T->nf = files->u.arr.n;
	T->f = owg_arena_alloc(&I->a, (T->nf + 1) * sizeof *T->f);
	for (uint32_t i = 0; i < T->nf; i++) {
		const owg_json *fo = files->u.arr.v[i];
		wfile *f = &T->f[i];
		if (!element(I, files, i, "workflow.specification", -1, "files", OWG_JSON_OBJECT)) {
			ok = false;
			continue;
		}
		const owg_json *id = member(I, fo, path, i, "id", OWG_JSON_STRING, true, &ok);
		const owg_json *size = member(I, fo, path, i, "sizeInBytes", OWG_JSON_NUMBER, false, &ok);
		if (!id || !check_id(I, id, "a file")) {
			ok = false;
			continue;
		}
		f->id = id->u.str.s;
		f->loc = id->loc;
		if (size) {
			double x = size->u.num;
			if (!(x >= 0 && x <= MAX_FILE_SIZE && x == floor(x))) {
				err(I, size->loc, "the size of file '%s' must be a whole number of bytes from 0 to 2^53, not %s",
				    show_str(I, id), text_of(I, size));
				ok = false;
			}
			f->has_size = true;
			f->size = x == 0 ? 0 : x; /* no -0 */
		}
		uintptr_t had = (uintptr_t)owg_symtab_put(&T->fbyid, f->id, (void *)(uintptr_t)(i + 1));
		if (had != i + 1) {
			err(I, id->loc, "duplicate file id '%s'", show_str(I, id));
			note(I, T->f[had - 1].loc, "'%s' first defined here", show_str(I, id));
			ok = false;
		}
	}
	return ok;
}

static bool read_tasks(imp *I, trace *T, const owg_json *tasks)
{
	static const char path[] = "workflow.specification.tasks";
	bool ok = true;
	T->nt = tasks->u.arr.n;
	T->t = owg_arena_alloc(&I->a, (T->nt + 1) * sizeof *T->t);
	if (T->nt == 0) {
		err(I, owg_json_head(tasks), "'%s' is empty: there is no task to import", path);
		return false;
	}
	for (uint32_t i = 0; i < T->nt; i++) {
		const owg_json *to = tasks->u.arr.v[i];
		wtask *t = &T->t[i];
		if (!element(I, tasks, i, "workflow.specification", -1, "tasks", OWG_JSON_OBJECT)) {
			ok = false;
			continue;
		}
		bool tok = true;
		t->obj = to;
		const owg_json *id = member(I, to, path, i, "id", OWG_JSON_STRING, true, &tok);
		const owg_json *name = member(I, to, path, i, "name", OWG_JSON_STRING, true, &tok);
		t->parents = member(I, to, path, i, "parents", OWG_JSON_ARRAY, true, &tok);
		t->children = member(I, to, path, i, "children", OWG_JSON_ARRAY, false, &tok);
		const owg_json *in = member(I, to, path, i, "inputFiles", OWG_JSON_ARRAY, false, &tok);
		const owg_json *out = member(I, to, path, i, "outputFiles", OWG_JSON_ARRAY, false, &tok);
		char key[256];
		snprintf(key, sizeof key, "%s[%u]", path, i);
		const struct {
			const owg_json *a;
			const char *k;
		} lists[] = {{t->parents, "parents"}, {t->children, "children"}, {in, "inputFiles"}, {out, "outputFiles"}};
		for (size_t l = 0; l < 4; l++)
			for (uint32_t e = 0; lists[l].a && e < lists[l].a->u.arr.n; e++)
				if (!element(I, lists[l].a, e, key, -1, lists[l].k, OWG_JSON_STRING))
					tok = false;
		if (!tok || !check_id(I, id, "a task")) {
			ok = false;
			continue;
		}
		t->id = id->u.str.s;
		t->id_loc = id->loc;
		t->name = name->u.str.s;
		t->namelen = name->u.str.len;
		uintptr_t had = (uintptr_t)owg_symtab_put(&T->byid, t->id, (void *)(uintptr_t)(i + 1));
		if (had != i + 1) {
			err(I, id->loc, "duplicate task id '%s'", show_str(I, id));
			note(I, T->t[had - 1].id_loc, "'%s' first defined here", show_str(I, id));
			ok = false;
			continue;
		}
		/* files: resolved here, since the file table is complete */
		for (int w = 0; w < 2; w++) {
			const owg_json *a = w ? out : in;
			uint32_t n = a ? a->u.arr.n : 0, *v = owg_arena_alloc(&I->a, (n + 1) * sizeof *v), k = 0;
			for (uint32_t e = 0; e < n; e++) {
				const owg_json *s = a->u.arr.v[e];
				uintptr_t f = (uintptr_t)owg_symtab_get(&T->fbyid, s->u.str.s);
				if (!f || memchr(s->u.str.s, '\0', s->u.str.len)) {
					err(I, s->loc, "task '%s' %s file '%s', which is not in workflow.specification.files",
					    show_str(I, id), w ? "writes" : "reads", show_str(I, s));
					ok = false;
					continue;
				}
				v[k++] = (uint32_t)(f - 1); /* a file listed twice counts once: see read_deps */
			}
			if (w) {
				t->out = v;
				t->nout = k;
			} else {
				t->in = v;
				t->nin = k;
			}
		}
	}
	return ok;
}

/* Removes repeated entries from v[0..*n) (keeps the first): stamp has an
 * entry per possible value, and mark is a value it does not hold yet. */
static void dedup(uint32_t *v, uint32_t *n, uint32_t *stamp, uint32_t mark)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < *n; i++) {
		if (stamp[v[i]] == mark)
			continue;
		stamp[v[i]] = mark;
		v[k++] = v[i];
	}
	*n = k;
}

/* "; did you mean 'fetch'?" for an unknown task id, or "". */
static const char *suggest_task(imp *I, const trace *T, const owg_json *s)
{
	/* the search is linear in the candidates and quadratic in the names'
	 * lengths: bounded, for the first few unknown names only */
	enum { MAX_CANDS = 20000, MAX_SUGGESTIONS = 20 };
	if (T->nt > MAX_CANDS || I->suggestions >= MAX_SUGGESTIONS || owg_diag_capped(I->d))
		return "";
	I->suggestions++;
	const char **ids = owg_xcalloc(T->nt + 1, sizeof *ids);
	for (uint32_t i = 0; i < T->nt; i++)
		ids[i] = T->t[i].id;
	const char *hint = owg_suggest(s->u.str.s, ids, T->nt);
	const char *r = hint ? owg_arena_printf(&I->a, "; did you mean '%s'?", show(I, hint, strlen(hint))) : "";
	free(ids);
	return r;
}

/* Parents and children: resolved, and checked against each other. */
static bool read_deps(imp *I, trace *T)
{
	bool ok = true;
	uint32_t *stamp = owg_xcalloc(T->nt + 1, sizeof *stamp), mark = 0;
	uint32_t *fstamp = owg_xcalloc(T->nf + 1, sizeof *fstamp), fmark = 0;
	owg_u64map P = {0}, C = {0};
	for (uint32_t i = 0; i < T->nt; i++) {
		wtask *t = &T->t[i];
		/* a file listed twice is read or written once */
		dedup(t->in, &t->nin, fstamp, ++fmark);
		dedup(t->out, &t->nout, fstamp, ++fmark);

		uint32_t n = t->parents->u.arr.n;
		t->par = owg_arena_alloc(&I->a, (n + 1) * sizeof *t->par);
		t->par_loc = owg_arena_alloc(&I->a, (n + 1) * sizeof *t->par_loc);
		mark++;
		for (uint32_t e = 0; e < n; e++) {
			const owg_json *s = t->parents->u.arr.v[e];
			uintptr_t p = memchr(s->u.str.s, '\0', s->u.str.len) ? 0
									: (uintptr_t)owg_symtab_get(&T->byid, s->u.str.s);
			if (!p) {
				err(I, s->loc, "task '%s' has parent '%s', which is not a task of this workflow%s",
				    show(I, t->id, strlen(t->id)), show_str(I, s), suggest_task(I, T, s));
				ok = false;
				continue;
			}
			if (p - 1 == i) {
				err(I, s->loc, "task '%s' lists itself as a parent", show(I, t->id, strlen(t->id)));
				ok = false;
				continue;
			}
			if (stamp[p - 1] == mark)
				continue; /* listed twice: one dependency */
			stamp[p - 1] = mark;
			t->par_loc[t->npar] = s->loc;
			t->par[t->npar++] = (uint32_t)(p - 1);
			owg_u64map_put(&P, (uint64_t)p << 32 | (i + 1), (void *)(uintptr_t)(e + 1));
		}
	}
	for (uint32_t i = 0; ok && i < T->nt; i++) {
		wtask *t = &T->t[i];
		for (uint32_t e = 0; t->children && e < t->children->u.arr.n; e++) {
			const owg_json *s = t->children->u.arr.v[e];
			uintptr_t c = memchr(s->u.str.s, '\0', s->u.str.len) ? 0
									: (uintptr_t)owg_symtab_get(&T->byid, s->u.str.s);
			if (!c) {
				err(I, s->loc, "task '%s' has child '%s', which is not a task of this workflow%s",
				    show(I, t->id, strlen(t->id)), show_str(I, s), suggest_task(I, T, s));
				ok = false;
				continue;
			}
			uint64_t key = (uint64_t)(i + 1) << 32 | c;
			owg_u64map_put(&C, key, (void *)1);
			if (!owg_u64map_get(&P, key)) {
				err(I, s->loc, "task '%s' lists '%s' as a child, but '%s' does not list '%s' as a parent",
				    show(I, t->id, strlen(t->id)), show_str(I, s), show_str(I, s),
				    show(I, t->id, strlen(t->id)));
				ok = false;
			}
		}
	}
	for (uint32_t i = 0; ok && i < T->nt; i++) {
		wtask *t = &T->t[i];
		for (uint32_t k = 0; k < t->npar; k++) {
			const wtask *p = &T->t[t->par[k]];
			if (p->children && !owg_u64map_get(&C, (uint64_t)(t->par[k] + 1) << 32 | (i + 1))) {
				err(I, t->par_loc[k], "task '%s' lists '%s' as a parent, but '%s' does not list '%s' as a child",
				    show(I, t->id, strlen(t->id)), show(I, p->id, strlen(p->id)),
				    show(I, p->id, strlen(p->id)), show(I, t->id, strlen(t->id)));
				ok = false;
			}
		}
	}
	owg_u64map_free(&P);
	owg_u64map_free(&C);
	free(stamp);
	free(fstamp);
	return ok;
}

static bool read_execution(imp *I, trace *T, const owg_json *exec)
{
	static const char path[] = "workflow.execution.tasks";
	bool ok = true;
	const owg_json *tasks = member(I, exec, "workflow.execution", -1, "tasks", OWG_JSON_ARRAY, true, &ok);
	const owg_json *mk = member(I, exec, "workflow.execution", -1, "makespanInSeconds", OWG_JSON_NUMBER, false, &ok);
	if (mk) {
		if (mk->u.num < 0) {
			err(I, mk->loc, "'workflow.execution.makespanInSeconds' must not be negative, not %s", text_of(I, mk));
			ok = false;
		}
		T->has_makespan = true;
		T->makespan = mk->u.num;
	}
	for (uint32_t i = 0; tasks && i < tasks->u.arr.n; i++) {
		const owg_json *r = tasks->u.arr.v[i];
		if (!element(I, tasks, i, "workflow.execution", -1, "tasks", OWG_JSON_OBJECT)) {
			ok = false;
			continue;
		}
		bool rok = true;
		const owg_json *id = member(I, r, path, i, "id", OWG_JSON_STRING, true, &rok);
		const owg_json *rt = member(I, r, path, i, "runtimeInSeconds", OWG_JSON_NUMBER, true, &rok);
		const owg_json *cpu = member(I, r, path, i, "avgCPU", OWG_JSON_NUMBER, false, &rok);
		const owg_json *cores = member(I, r, path, i, "coreCount", OWG_JSON_NUMBER, false, &rok);
		if (!rok) {
			ok = false;
			continue;
		}
		uintptr_t k = memchr(id->u.str.s, '\0', id->u.str.len) ? 0
									: (uintptr_t)owg_symtab_get(&T->byid, id->u.str.s);
		if (!k) {
			err(I, id->loc, "execution record of '%s', which is not a task of workflow.specification.tasks",
			    show_str(I, id));
			ok = false;
			continue;
		}
		wtask *t = &T->t[k - 1];
		if (t->run) {
			err(I, id->loc, "a second execution record of task '%s'", show_str(I, id));
			note(I, owg_json_head(t->run), "the first one");
			ok = false;
			continue;
		}
		double x = rt->u.num;
		if (x < 0) {
			err(I, rt->loc, "the runtime of task '%s' is negative: %s", show_str(I, id), text_of(I, rt));
			ok = false;
			continue;
		}
		if (x > OWG_WFC_MAX_RUNTIME) {
			err(I, rt->loc, "the runtime of task '%s' is %s s: more than 10^9 s (31 years) is not a plausible runtime",
			    show_str(I, id), text_of(I, rt));
			ok = false;
			continue;
		}
		t->run = r;
		t->runtime = x == 0 ? 0 : x;
		if (cpu) {
			t->has_cpu = true;
			t->cpu = cpu->u.num;
		}
		if (cores) {
			t->has_cores = true;
			t->cores = cores->u.num;
		}
	}
	return ok;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool read_trace(imp *I, trace *T, const owg_json *root)
{
	bool ok = true;
	const owg_source *src = owg_src_get(I->sm, T->file);
	const char *bn = base_name(src->path);
	T->shown = show(I, bn, strlen(bn));
	if (root->kind != OWG_JSON_OBJECT) {
		err(I, owg_json_head(root), "a WfCommons instance is a JSON object, not %s", owg_json_kind_name(root->kind));
		return false;
	}
	const owg_json *ver = member(I, root, "", -1, "schemaVersion", OWG_JSON_STRING, true, &ok);
	if (!ok)
		return false;
	const owg_json *name = member(I, root, "", -1, "name", OWG_JSON_STRING, true, &ok);
	const owg_json *wf = member(I, root, "", -1, "workflow", OWG_JSON_OBJECT, true, &ok);
	if (!ok)
		return false;
	if (strcmp(ver->u.str.s, "1.5") && strcmp(ver->u.str.s, "1.6")) {
		err(I, ver->loc, "WfFormat schema version '%s' is not supported (owgc reads 1.5, and 1.6 which extends it)",
		    show_str(I, ver));
		return false;
	}
	T->version = ver->u.str.s;
	T->name = name->u.str.s;
	T->namelen = name->u.str.len;
	/* the runtime system only goes into a comment: taken when it is there */
	const owg_json *rs = owg_json_get(root, "runtimeSystem");
	const owg_json *rsn = owg_json_get(rs, "name"), *rsv = owg_json_get(rs, "version");
	if (rsn && rsn->kind == OWG_JSON_STRING && rsn->u.str.len) {
		T->system = show_str(I, rsn);
		if (rsv && rsv->kind == OWG_JSON_STRING && rsv->u.str.len)
			T->system = owg_arena_printf(&I->a, "%s %s", T->system, show_str(I, rsv));
	}
	const owg_json *spec = member(I, wf, "workflow", -1, "specification", OWG_JSON_OBJECT, true, &ok);
	const owg_json *exec = member(I, wf, "workflow", -1, "execution", OWG_JSON_OBJECT, false, &ok);
	if (!ok)
		return false;
	const owg_json *tasks = member(I, spec, "workflow.specification", -1, "tasks", OWG_JSON_ARRAY, true, &ok);
	const owg_json *files = member(I, spec, "workflow.specification", -1, "files", OWG_JSON_ARRAY, true, &ok);
	if (!ok)
		return false;
	T->tasks_json = tasks;
	/* every error of the trace, as far as the parts can be checked alone:
	 * dependencies and execution records need the tasks, not the files */
	bool files_ok = read_files(I, T, files);
	if (!read_tasks(I, T, tasks))
		return false;
	bool deps_ok = read_deps(I, T);
	if ((exec && !read_execution(I, T, exec)) || !deps_ok || !files_ok)
		return false;
	uint32_t norun = 0, first = 0;
	for (uint32_t i = 0; i < T->nt; i++)
		if (!T->t[i].run && !norun++)
			first = i;
	if (!exec) {
		assume(I, owg_json_head(wf), "'%s' has no workflow.execution: %s", T->shown,
		       I->ntr > 1 ? "its tasks' times come from the other traces" : "every task is assumed to take 0s");
	} else if (norun && I->ntr == 1) { /* several traces: said per task once merged */
		const wtask *t = &T->t[first];
		assume(I, t->id_loc, "%u task%s ha%s no execution record (the first is '%s'): assumed to take 0s", norun,
		       plural(norun), norun == 1 ? "s" : "ve", show(I, t->id, strlen(t->id)));
	}
	return true;
}

/* ---- the dependencies: acyclic, carried bytes ---- */

static bool check_acyclic(imp *I, trace *T)
{
	uint32_t n = T->nt;
	uint32_t *indeg = owg_xcalloc(n, sizeof *indeg), *start = owg_xcalloc(n + 1, sizeof *start);
	uint32_t *kids = owg_xcalloc((size_t)I->ne + 1, sizeof *kids), *queue = owg_xcalloc(n, sizeof *queue);
	for (uint32_t c = 0; c < n; c++) {
		indeg[c] = T->t[c].npar;
		for (uint32_t k = 0; k < T->t[c].npar; k++)
			start[T->t[c].par[k] + 1]++;
	}
	for (uint32_t v = 0; v < n; v++)
		start[v + 1] += start[v];
	uint32_t *fill = owg_xcalloc(n, sizeof *fill);
	for (uint32_t c = 0; c < n; c++)
		for (uint32_t k = 0; k < T->t[c].npar; k++) {
			uint32_t p = T->t[c].par[k];
			kids[start[p] + fill[p]++] = c;
		}
	uint32_t head = 0, tail = 0;
	for (uint32_t v = 0; v < n; v++)
		if (!indeg[v])
			queue[tail++] = v;
	while (head < tail) {
		uint32_t v = queue[head++];
		for (uint32_t k = start[v]; k < start[v + 1]; k++)
			if (!--indeg[kids[k]])
				queue[tail++] = kids[k];
	}
	bool ok = tail == n;
	if (!ok) {
		/* every task left has a parent left: walk up until a task repeats */
		uint32_t v = 0;
		while (!indeg[v])
			v++;
		uint32_t *seen = fill; /* reused: step + 1 at which a task was met */
		memset(seen, 0, n * sizeof *seen);
		uint32_t *walk = queue, len = 0;
		while (!seen[v]) {
			seen[v] = ++len;
			walk[len - 1] = v;
			const wtask *t = &T->t[v];
			uint32_t k = 0;
			while (!indeg[t->par[k]])
				k++;
			v = t->par[k];
		}
		/* walk[seen[v] - 1 ..] is the cycle, child to parent */
		uint32_t from = seen[v] - 1, clen = len - from;
		char *msg = owg_arena_printf(&I->a, "the dependencies form a cycle: ");
		for (uint32_t k = 0; k <= clen && k <= CYCLE_SHOWN; k++) {
			const wtask *t = &T->t[walk[from + (clen - k) % clen]];
			if (k == CYCLE_SHOWN && k < clen)
				msg = owg_arena_printf(&I->a, "%s -> ... (%u tasks)", msg, clen);
			else
				msg = owg_arena_printf(&I->a, "%s%s'%s'", msg, k ? " -> " : "", show(I, t->id, strlen(t->id)));
		}
		const wtask *t = &T->t[walk[from]];
		err(I, t->id_loc, "%s", msg);
	}
	free(indeg);
	free(start);
	free(kids);
	free(queue);
	free(fill);
	return ok;
}

/* The bytes each dependency of T carries: the sizes of the parent's output
 * files that the child reads.  Per child, by whichever is shorter: the
 * parents' output lists, or the writers of the files it reads. */
static void carried_bytes(imp *I, trace *T)
{
	uint32_t *nprod = owg_xcalloc(T->nf + 1, sizeof *nprod);
	for (uint32_t i = 0; i < T->nt; i++)
		for (uint32_t k = 0; k < T->t[i].nout; k++)
			nprod[T->t[i].out[k]]++;
	for (uint32_t f = 0; f < T->nf; f++) {
		T->f[f].prod = owg_arena_alloc(&I->a, (nprod[f] + 1) * sizeof *T->f[f].prod);
		T->f[f].nprod = 0;
	}
	for (uint32_t i = 0; i < T->nt; i++)
		for (uint32_t k = 0; k < T->t[i].nout; k++) {
			wfile *f = &T->f[T->t[i].out[k]];
			f->prod[f->nprod++] = i;
		}
	free(nprod);
	uint32_t *fmark = owg_xcalloc(T->nf + 1, sizeof *fmark), *pmark = owg_xcalloc(T->nt + 1, sizeof *pmark);
	uint32_t *pslot = owg_xcalloc(T->nt + 1, sizeof *pslot);
	uint32_t maxpar = 0;
	for (uint32_t c = 0; c < T->nt; c++)
		if (T->t[c].npar > maxpar)
			maxpar = T->t[c].npar;
	double *acc = owg_xcalloc(maxpar + 1, sizeof *acc);
	bool *car = owg_xcalloc(maxpar + 1, sizeof *car);
	for (uint32_t c = 0; c < T->nt; c++) {
		const wtask *t = &T->t[c];
		if (!t->npar)
			continue;
		uint64_t costa = 0, costb = 0;
		for (uint32_t k = 0; k < t->npar; k++)
			costa += T->t[t->par[k]].nout;
		for (uint32_t k = 0; k < t->nin; k++)
			costb += T->f[t->in[k]].nprod;
		memset(acc, 0, t->npar * sizeof *acc);
		memset(car, 0, t->npar * sizeof *car);
		if (costa <= costb) {
			for (uint32_t k = 0; k < t->nin; k++)
				fmark[t->in[k]] = c + 1;
			for (uint32_t k = 0; k < t->npar; k++) {
				const wtask *p = &T->t[t->par[k]];
				for (uint32_t j = 0; j < p->nout; j++) {
					wfile *f = &T->f[p->out[j]];
					if (fmark[p->out[j]] != c + 1)
						continue;
					acc[k] += f->size;
					car[k] = true;
					f->unsized_used |= !f->has_size;
				}
			}
		} else {
			for (uint32_t k = 0; k < t->npar; k++) {
				pmark[t->par[k]] = c + 1;
				pslot[t->par[k]] = k;
			}
			for (uint32_t j = 0; j < t->nin; j++) {
				wfile *f = &T->f[t->in[j]];
				for (uint32_t q = 0; q < f->nprod; q++) {
					if (pmark[f->prod[q]] != c + 1)
						continue;
					acc[pslot[f->prod[q]]] += f->size;
					car[pslot[f->prod[q]]] = true;
					f->unsized_used |= !f->has_size;
				}
			}
		}
		for (uint32_t k = 0; k < t->npar; k++) {
			uint32_t p0 = T->to0[t->par[k]], c0 = T->to0[c];
			uintptr_t e = (uintptr_t)owg_u64map_get(&I->edge, (uint64_t)(p0 + 1) << 32 | (c0 + 1));
			T->bytes[e - 1] = acc[k];
			T->carries[e - 1] = car[k];
		}
	}
	uint32_t nuns = 0, first = 0;
	for (uint32_t f = 0; f < T->nf; f++)
		if (T->f[f].unsized_used && !nuns++)
			first = f;
	if (nuns)
		assume(I, T->f[first].loc, "%u file%s carried between tasks in '%s' ha%s no sizeInBytes (the first is '%s'): counted as 0 bytes",
		     nuns, plural(nuns), T->shown, nuns == 1 ? "s" : "ve",
		     show(I, T->f[first].id, strlen(T->f[first].id)));
	free(fmark);
	free(pmark);
	free(pslot);
	free(acc);
	free(car);
}

/* ---- several traces: one workflow? ---- */

static bool same_workflow(imp *I, trace *T0, trace *T)
{
	const char *a = T0->shown, *b = T->shown;
	if (T->nt != T0->nt) {
		err(I, owg_json_head(T->tasks_json), "'%s' is not a trace of the same workflow as '%s': it has %u task%s, '%s' has %u",
		    b, a, T->nt, plural(T->nt), a, T0->nt);
		note(I, owg_json_head(T0->tasks_json), "the tasks of '%s'", a);
		return false;
	}
	for (uint32_t i = 0; i < T0->nt; i++) {
		const wtask *t = &T0->t[i];
		uintptr_t j = (uintptr_t)owg_symtab_get(&T->byid, t->id);
		if (!j) {
			err(I, owg_json_head(T->tasks_json), "'%s' is not a trace of the same workflow as '%s': it has no task '%s'",
			    b, a, show(I, t->id, strlen(t->id)));
			note(I, t->id_loc, "'%s' is a task of '%s'", show(I, t->id, strlen(t->id)), a);
			return false;
		}
		T->from0[i] = (uint32_t)(j - 1);
		T->to0[j - 1] = i;
	}
	uint32_t *mark = owg_xcalloc(T0->nt, sizeof *mark);
	bool ok = true;
	for (uint32_t i = 0; i < T0->nt && ok; i++) {
		const wtask *t0 = &T0->t[i], *t = &T->t[T->from0[i]];
		const char *id = show(I, t0->id, strlen(t0->id));
		for (uint32_t k = 0; k < t0->npar; k++)
			mark[t0->par[k]] = 2 * i + 1;
		for (uint32_t k = 0; k < t->npar && ok; k++) {
			uint32_t p0 = T->to0[t->par[k]];
			if (mark[p0] == 2 * i + 1)
				continue;
			err(I, t->par_loc[k], "'%s' is not a trace of the same workflow as '%s': task '%s' depends on '%s' in '%s' but not in '%s'",
			    b, a, id, show(I, T0->t[p0].id, strlen(T0->t[p0].id)), b, a);
			note(I, owg_json_head(t0->parents), "the parents of '%s' in '%s'", id, a);
			ok = false;
		}
		for (uint32_t k = 0; k < t->npar; k++)
			mark[T->to0[t->par[k]]] = 2 * i + 2;
		for (uint32_t k = 0; k < t0->npar && ok; k++) {
			uint32_t p0 = t0->par[k];
			if (mark[p0] == 2 * i + 2)
				continue;
			err(I, owg_json_head(t->parents), "'%s' is not a trace of the same workflow as '%s': task '%s' depends on '%s' in '%s' but not in '%s'",
			    b, a, id, show(I, T0->t[p0].id, strlen(T0->t[p0].id)), a, b);
			note(I, t0->par_loc[k], "'%s' depends on '%s' here", id, show(I, T0->t[p0].id, strlen(T0->t[p0].id)));
			ok = false;
		}
	}
	free(mark);
	return ok;
}

/* ---- names ---- */

static const char *const reserved[] = {
	"as", "case", "const", "default", "else", "exit", "fabric", "false", "foreach", "if", "import", "in",
	"loop", "max", "out", "p", "param", "switch", "task", "true", "use", "while", "workflow",
	"entry", /* the IR's entry node */
};

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* s[0, len) as an owg name: see import_wfcommons.h. */
static char *base_ident(imp *I, const char *s, size_t len, const char *fallback)
{
	char *o = owg_arena_alloc(&I->a, OWG_WFC_MAX_IDENT + 4);
	size_t n = 0;
	if (len && s[0] >= '0' && s[0] <= '9')
		o[n++] = '_';
	for (size_t i = 0; i < len && n < OWG_WFC_MAX_IDENT;) {
		unsigned char c = (unsigned char)s[i];
		if (is_alnum(c)) {
			o[n++] = (char)c;
			i++;
			continue;
		}
		o[n++] = '_'; /* one per character, not per byte */
		size_t k = c < 0x80 ? 1 : owg_utf8_len((const unsigned char *)s + i, len - i);
		i += k ? k : 1;
	}
	if (!n)
		return owg_arena_strdup(&I->a, fallback);
	o[n] = '\0';
	for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++)
		if (!strcmp(o, reserved[k])) {
			o[n++] = '_';
			o[n] = '\0';
			break;
		}
	return o;
}

/* base, or base_2, base_3, ...: the first that is not taken yet. */
static const char *unique(imp *I, owg_symtab *used, owg_symtab *next, const char *base)
{
	if (!owg_symtab_get(used, base)) {
		owg_symtab_put(used, base, (void *)base);
		return base;
	}
	unsigned long *k = owg_symtab_get(next, base);
	if (!k) {
		k = owg_arena_alloc(&I->a, sizeof *k);
		*k = 2;
		owg_symtab_put(next, base, k);
	}
	const char *cand;
	for (;; ++*k) {
		cand = owg_arena_printf(&I->a, "%s_%lu", base, *k);
		if (!owg_symtab_get(used, cand))
			break;
	}
	++*k;
	owg_symtab_put(used, cand, (void *)cand);
	return cand;
}

/* ---- output ---- */

static void fmt_double(char *buf, size_t n, double x)
{
	owg_fmt_double(buf, n, x == 0 ? 0 : x);
}

/* A size as owg reads it back exactly: in a binary unit when that takes at
 * most three decimals (1.5MiB), else in bytes (16666667B, or the
 * shortest decimal of a mean: 1298193939.2B). */
static void fmt_size(char *buf, size_t n, double bytes)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = {{"TiB", 1099511627776.0}, {"GiB", 1073741824.0}, {"MiB", 1048576.0}, {"KiB", 1024.0}};
	char num[40];
	if (bytes == floor(bytes)) {
		for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
			double v = bytes / units[k].scale; /* exact: a power of two */
			if (v >= 1 && v * 1000 == floor(v * 1000) && v < 1e15) {
				fmt_double(num, sizeof num, v);
				snprintf(buf, n, "%s%s", num, units[k].name);
				return;
			}
		}
	}
	fmt_double(num, sizeof num, bytes);
	snprintf(buf, n, "%sB", num);
}

/* The trace has task i (first trace's numbering) with a runtime. */
static const wtask *task_in(const trace *T, uint32_t i)
{
	return &T->t[T->from0[i]];
}

static void print(imp *I, FILE *out)
{
	const trace *T0 = &I->tr[0];
	size_t ntr = I->ntr;
	uint32_t nt = T0->nt;
	/* names */
	owg_symtab used = {0}, next = {0};
	const char **ident = owg_arena_alloc(&I->a, nt * sizeof *ident);
	for (uint32_t i = 0; i < nt; i++) {
		const wtask *t = &T0->t[i];
		ident[i] = unique(I, &used, &next, base_ident(I, t->id, strlen(t->id), "task"));
	}
	owg_symtab_free(&used);
	owg_symtab_free(&next);
	size_t nl = T0->namelen;
	if (nl > 5 && !memcmp(T0->name + nl - 5, ".json", 5))
		nl -= 5; /* generated instances are named after their file */
	const char *wname = base_ident(I, T0->name, nl, "wfcommons");

	/* header */
	uint32_t nsized = 0;
	bool any_cpu = false;
	for (uint32_t e = 0; e < I->ne; e++)
		for (size_t k = 0; k < ntr; k++)
			if (I->tr[k].carries[e]) {
				nsized++;
				break;
			}
	for (size_t k = 0; k < ntr; k++)
		for (uint32_t i = 0; i < nt; i++)
			any_cpu |= I->tr[k].t[i].has_cpu || I->tr[k].t[i].has_cores;
	if (ntr == 1)
		fprintf(out, "// Imported by owgc --import=wfcommons from a WfCommons trace of workflow\n");
	else
		fprintf(out, "// Imported by owgc --import=wfcommons from %zu WfCommons traces of workflow\n", ntr);
	fprintf(out, "// '%s':\n", owg_json_display(&I->a, T0->name, T0->namelen, SHOW_COMMENT));
	for (size_t k = 0; k < ntr; k++) {
		const trace *T = &I->tr[k];
		char mk[96] = "no makespan recorded";
		if (T->has_makespan) {
			char buf[48];
			owg_fmt_time(buf, sizeof buf, T->makespan);
			snprintf(mk, sizeof mk, "observed makespan %s", buf);
		}
		fprintf(out, "//   %s: WfFormat %s%s%s, %s\n", T->shown, T->version, T->system ? ", " : "",
			T->system ? T->system : "", mk);
	}
	fprintf(out, "// %u task%s, %u dependenc%s", nt, plural(nt), I->ne, I->ne == 1 ? "y" : "ies");
	if (nsized < I->ne)
		fprintf(out, " (%u without a file)", I->ne - nsized);
	fprintf(out, ".\n//\n");
	if (ntr == 1)
		fprintf(out, "// WfCommons tasks are CPU jobs, each run on one machine: here each is a\n"
			     "// general task on one PEA, whose time is the runtime the trace measured.\n"
			     "// A flow carries the sizes of the parent's output files that the child\n"
			     "// reads; a dependency without a file only orders its tasks (no size).\n");
	else
		fprintf(out, "// WfCommons tasks are CPU jobs, each run on one machine: here each is a\n"
			     "// general task on one PEA, whose time is empirical(...) of the runtimes\n"
			     "// the traces measured, in the order of the traces above.  A flow carries\n"
			     "// the mean over the traces of the sizes of the parent's output files that\n"
			     "// the child reads (their range in a comment when they differ); a\n"
			     "// dependency without a file only orders its tasks (no size).\n");
	if (any_cpu)
		fprintf(out, "// avgCPU (%% of one core) and coreCount, where recorded, are kept in comments.\n");
	fprintf(out, "workflow %s {\n", wname);

	/* tasks */
	char **decl = owg_arena_alloc(&I->a, nt * sizeof *decl);
	char **comment = owg_arena_alloc(&I->a, nt * sizeof *comment);
	double *sample = owg_xcalloc(ntr, sizeof *sample);
	size_t width = 0;
	for (uint32_t i = 0; i < nt; i++) {
		const wtask *t0 = &T0->t[i];
		size_t ns = 0, ncpu = 0, ncores = 0;
		double cpu = 0, cmin = 0, cmax = 0;
		for (size_t k = 0; k < ntr; k++) {
			const wtask *t = task_in(&I->tr[k], i);
			if (t->run)
				sample[ns++] = t->runtime;
			if (t->has_cpu) {
				cpu += t->cpu;
				ncpu++;
			}
			if (t->has_cores) {
				cmin = ncores && cmin < t->cores ? cmin : t->cores;
				cmax = ncores && cmax > t->cores ? cmax : t->cores;
				ncores++;
			}
		}
		char buf[48];
		char *time;
		if (ns == 0) {
			time = "0s";
		} else if (ntr == 1) {
			owg_fmt_time(buf, sizeof buf, sample[0]);
			time = owg_arena_strdup(&I->a, buf);
		} else {
			size_t cap = 16 + ns * 52, len = 0;
			time = owg_arena_alloc(&I->a, cap);
			len += (size_t)snprintf(time, cap, "empirical(");
			for (size_t k = 0; k < ns; k++) {
				owg_fmt_time(buf, sizeof buf, sample[k]);
				len += (size_t)snprintf(time + len, cap - len, "%s%s", k ? ", " : "", buf);
			}
			snprintf(time + len, cap - len, ")");
		}
		decl[i] = owg_arena_printf(&I->a, "task %s : general { peas 1; time %s; }", ident[i], time);
		if (strlen(decl[i]) > width)
			width = strlen(decl[i]);
		char *c = owg_json_display(&I->a, t0->name, t0->namelen, SHOW_COMMENT);
		if (t0->namelen != strlen(t0->id) || memcmp(t0->name, t0->id, t0->namelen))
			c = owg_arena_printf(&I->a, "%s (id %s)", c,
					     owg_json_display(&I->a, t0->id, strlen(t0->id), SHOW_COMMENT));
		if (ncpu == 1) {
			fmt_double(buf, sizeof buf, cpu);
			c = owg_arena_printf(&I->a, "%s; avgCPU %s%%", c, buf);
		} else if (ncpu) {
			c = owg_arena_printf(&I->a, "%s; avgCPU %.4g%% (mean)", c, cpu / (double)ncpu);
		}
		if (ncores) {
			fmt_double(buf, sizeof buf, cmin);
			c = owg_arena_printf(&I->a, "%s; coreCount %s", c, buf);
			if (cmax != cmin) {
				fmt_double(buf, sizeof buf, cmax);
				c = owg_arena_printf(&I->a, "%s to %s", c, buf);
			}
		}
		if (ns == 0)
			c = owg_arena_printf(&I->a, "%s; no execution record: 0s assumed", c);
		else if (ns < ntr)
			c = owg_arena_printf(&I->a, "%s; runs in %zu of %zu traces", c, ns, ntr);
		comment[i] = c;
	}
	free(sample);
	if (width > COMMENT_COLUMN_MAX)
		width = COMMENT_COLUMN_MAX;
	for (uint32_t i = 0; i < nt; i++)
		fprintf(out, "  %-*s  // %s\n", (int)width, decl[i], comment[i]);

	/* flows */
	if (I->ne)
		fputc('\n', out);
	for (uint32_t e = 0; e < I->ne; e++) {
		double sum = 0, lo = 0, hi = 0;
		size_t ncar = 0;
		for (size_t k = 0; k < ntr; k++) {
			const trace *T = &I->tr[k];
			double b = T->carries[e] ? T->bytes[e] : 0;
			sum += b;
			lo = k && lo < b ? lo : b;
			hi = k && hi > b ? hi : b;
			ncar += T->carries[e];
		}
		fprintf(out, "  %s -> %s", ident[I->esrc[e]], ident[I->edst[e]]);
		if (!ncar) {
			fprintf(out, ";  // no file: orders the tasks only\n");
			continue;
		}
		char size[48];
		fmt_size(size, sizeof size, sum / (double)ntr);
		fprintf(out, " : %s;", size);
		if (ntr > 1 && lo != hi) {
			char a[48], b[48];
			fmt_size(a, sizeof a, lo);
			fmt_size(b, sizeof b, hi);
			fprintf(out, "  // %s to %s", a, b);
			if (ncar < ntr)
				fprintf(out, "; files in %zu of %zu traces", ncar, ntr);
		} else if (ncar < ntr) {
			fprintf(out, "  // files in %zu of %zu traces", ncar, ntr);
		}
		fputc('\n', out);
	}
	fprintf(out, "}\n");
}

/* ---- driver ---- */

static bool build(imp *I, const uint32_t *files, size_t n)
{
	if (n == 0) {
		err(I, OWG_LOC_NONE, "no WfCommons trace to import");
		return false;
	}
	if (n > OWG_WFC_MAX_TRACES) {
		err(I, OWG_LOC_NONE, "too many traces: %zu (at most %d)", n, OWG_WFC_MAX_TRACES);
		return false;
	}
	I->ntr = n;
	I->tr = owg_xcalloc(n, sizeof *I->tr);
	bool ok = true;
	for (size_t k = 0; k < n; k++) {
		trace *T = &I->tr[k];
		T->file = files[k];
		const owg_source *src = owg_src_get(I->sm, T->file);
		if (!src) {
			err(I, OWG_LOC_NONE, "no such source");
			return false;
		}
		if (src->len > OWG_WFC_MAX_BYTES) {
			err(I, OWG_LOC_NONE, "'%s' is too large for a WfCommons trace: %zu bytes (at most %zu MiB)", src->path,
			    src->len, OWG_WFC_MAX_BYTES >> 20);
			ok = false;
			continue;
		}
		const owg_json *root = owg_json_parse(src->text, src->len, T->file, &I->a, I->d);
		if (!root || !read_trace(I, T, root))
			ok = false;
	}
	if (!ok)
		return false;
	trace *T0 = &I->tr[0];
	for (size_t k = 0; k < n; k++) {
		trace *T = &I->tr[k];
		T->from0 = owg_arena_alloc(&I->a, T0->nt * sizeof *T->from0);
		T->to0 = owg_arena_alloc(&I->a, T->nt * sizeof *T->to0);
	}
	for (uint32_t i = 0; i < T0->nt; i++)
		T0->from0[i] = T0->to0[i] = i;
	for (uint32_t c = 0; c < T0->nt; c++)
		I->ne += T0->t[c].npar;
	I->esrc = owg_arena_alloc(&I->a, ((size_t)I->ne + 1) * sizeof *I->esrc);
	I->edst = owg_arena_alloc(&I->a, ((size_t)I->ne + 1) * sizeof *I->edst);
	uint32_t e = 0;
	for (uint32_t c = 0; c < T0->nt; c++)
		for (uint32_t k = 0; k < T0->t[c].npar; k++) {
			I->esrc[e] = T0->t[c].par[k];
			I->edst[e] = c;
			e++;
			owg_u64map_put(&I->edge, (uint64_t)(T0->t[c].par[k] + 1) << 32 | (c + 1), (void *)(uintptr_t)e);
		}
	if (!check_acyclic(I, T0))
		return false;
	for (size_t k = 1; k < n; k++)
		if (!same_workflow(I, T0, &I->tr[k]))
			return false;
	for (size_t k = 0; k < n; k++) {
		trace *T = &I->tr[k];
		T->bytes = owg_arena_alloc(&I->a, ((size_t)I->ne + 1) * sizeof *T->bytes);
		T->carries = owg_arena_alloc(&I->a, ((size_t)I->ne + 1) * sizeof *T->carries);
		carried_bytes(I, T);
	}
	uint32_t nnone = 0, nsome = 0, fnone = 0, fsome = 0;
	for (uint32_t i = 0; i < T0->nt && n > 1; i++) {
		size_t runs = 0;
		for (size_t k = 0; k < n; k++)
			runs += task_in(&I->tr[k], i)->run != NULL;
		if (!runs && !nnone++)
			fnone = i;
		if (runs && runs < n && !nsome++)
			fsome = i;
	}
	if (nnone)
		assume(I, T0->t[fnone].id_loc,
		       "%u task%s ha%s no execution record in any trace (the first is '%s'): assumed to take 0s", nnone,
		       plural(nnone), nnone == 1 ? "s" : "ve", show(I, T0->t[fnone].id, strlen(T0->t[fnone].id)));
	if (nsome)
		assume(I, T0->t[fsome].id_loc,
		       "%u task%s ha%s execution records in only some of the traces (the first is '%s'): %s times are "
		       "the runtimes recorded",
		       nsome, plural(nsome), nsome == 1 ? "s" : "ve", show(I, T0->t[fsome].id, strlen(T0->t[fsome].id)),
		       nsome == 1 ? "its" : "their");
	for (size_t k = 0; k < I->assumed.n; k++)
		note(I, I->assumed.v[k].loc, "%s", I->assumed.v[k].msg);
	return true;
}

static void imp_free(imp *I)
{
	for (size_t k = 0; k < I->ntr; k++) {
		owg_symtab_free(&I->tr[k].byid);
		owg_symtab_free(&I->tr[k].fbyid);
	}
	free(I->tr);
	OWG_VEC_FREE(I->assumed);
	owg_u64map_free(&I->edge);
	owg_arena_free(&I->a);
}

bool owg_wfc_import(owg_srcmgr *sm, owg_diag *diag, const uint32_t *files, size_t n, FILE *out)
{
	imp I = {.sm = sm, .d = diag};
	owg_arena_init(&I.a);
	bool ok = build(&I, files, n);
	if (ok)
		print(&I, out);
	imp_free(&I);
	return ok;
}

bool owg_wfc_import_paths(owg_srcmgr *sm, owg_diag *diag, const char *const *paths, size_t n, const char *output)
{
	uint32_t *files = owg_xcalloc(n + 1, sizeof *files);
	bool ok = true;
	for (size_t k = 0; k < n; k++) {
		const char *why = NULL;
		files[k] = owg_src_load(sm, paths[k], &why);
		if (files[k] == OWG_NOFILE) {
			owg_diag_fatal(diag, "cannot read '%s': %s", paths[k], why);
			ok = false;
		}
	}
	imp I = {.sm = sm, .d = diag};
	owg_arena_init(&I.a);
	ok = ok && build(&I, files, n);
	free(files);
	if (ok) {
		const char *path = output ? output : "-";
		const char *why = NULL;
		owg_atomic_file af;
		FILE *out = owg_atomic_open(&af, path, &why);
		if (!out) {
			owg_diag_fatal(diag, "cannot write '%s': %s", path, why);
			ok = false;
		} else {
			print(&I, out);
			if (!owg_atomic_commit(&af, &why)) {
				owg_diag_fatal(diag, "cannot write '%s': %s", path, why);
				ok = false;
			}
		}
	}
	imp_free(&I);
	return ok;
}
