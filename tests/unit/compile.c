#include "config.h"

#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fabric.h"
#include "frontend.h"
#include "parse.h"
#include "sema.h"
#include "owgp_write.h"
#include "pass.h"
#include "../runtime/owgrt.h"

compiled compile_src(const char *src, const char *const *wopts)
{
	compiled c = {0};
	size_t len = 0;
	FILE *out = open_memstream(&c.diags, &len);
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, out);
	for (; wopts && *wopts; wopts++)
		owg_diag_option(d, *wopts);
	owg_arena a;
	owg_arena_init(&a);
	uint32_t id = owg_src_add(&sm, "t.owg", src, strlen(src));
	ast_file *f = owg_parse(&a, d, &sm, id);
	if (f && !owg_diag_errors(d)) {
		owg_sema_opts opts = {0};
		c.g = owg_sema_lower(d, &f, 1, &opts);
		if (c.g && owg_ir_verify(c.g, d)) {
			owg_ir_free(c.g);
			c.g = NULL;
		}
	}
	c.errors = owg_diag_errors(d);
	c.warnings = owg_diag_warnings(d);
	owg_diag_free(d);
	fclose(out);
	owg_arena_free(&a);
	owg_src_free(&sm);
	return c;
}

compiled compile_file(const char *path)
{
	compiled c = {0};
	size_t len = 0;
	FILE *out = open_memstream(&c.diags, &len);
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, out);
	owg_frontend fe = {.sm = &sm, .diag = d};
	owg_arena_init(&fe.arena);
	c.g = owg_frontend_compile(&fe, path);
	if (c.g && owg_diag_errors(d)) {
		owg_ir_free(c.g);
		c.g = NULL;
	}
	c.errors = owg_diag_errors(d);
	c.warnings = owg_diag_warnings(d);
	owg_frontend_free(&fe);
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
	return c;
}

void compiled_free(compiled *c)
{
	if (c->g)
		owg_ir_free(c->g);
	free(c->diags);
	c->g = NULL;
	c->diags = NULL;
}

const owg_node *node_named(const owg_graph *g, const char *name)
{
	for (size_t i = 0; g && i < g->nodes.n; i++)
		if (!strcmp(g->nodes.v[i].name, name))
			return &g->nodes.v[i];
	return NULL;
}

bool place_graph(owg_graph *g, const char *fabric, double rate)
{
	owg_fabric f;
	char err[512];
	if (!owg_fabric_preset(fabric, &f, &g->arena, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return false;
	}
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.fabric = &f;
	o.rate = rate;
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, stderr);
	owg_diag_option(d, "-w");
	owg_pass_ctx ctx = {.g = g, .diag = d, .sm = &sm, .opts = &o};
	bool ok = owg_pipeline_run(&ctx);
	owg_pass_ctx_free(&ctx);
	owg_diag_free(d);
	owg_src_free(&sm);
	return ok;
}

struct owgrt_program *load_placed(const owg_graph *g, char *err, size_t err_size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	bool ok = owg_owgp_write(g, m);
	fclose(m);
	owgrt_program *p = NULL;
	if (ok && owgrt_load(buf, len, &p, err, err_size) != OWGRT_OK)
		p = NULL;
	free(buf);
	return p;
}
