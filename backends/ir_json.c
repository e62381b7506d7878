#include "config.h"

/* ir_json.c - the OWG IR as one JSON object with every field:
 *
 *   {"owgir":1,"workflow":"...","nodes":[...],"flows":[...],"fabrics":[...]}
 *
 * Numbers are printed with owg_fmt_double (they read back exactly); a
 * non-finite number, which JSON cannot hold, is null; so is OWG_NONE.
 * Strings are escaped as RFC 8259 asks (control characters as \u00XX);
 * bytes that are not well-formed UTF-8 become U+FFFD.  The output
 * depends only on the graph. */

#include "ir.h"
#include "source.h"

#include <math.h>
#include <string.h>

/* A JSON string; bytes that are not well-formed UTF-8 become U+FFFD. */
static void jstr(FILE *out, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	putc('"', out);
	while (*s) {
		unsigned char c = *s;
		if (c >= 0x80) {
			size_t k = owg_utf8_len(s, strnlen((const char *)s, 4)); /* source.h */
			if (k) {
				fwrite(s, 1, k, out);
				s += k;
			} else {
				fputs("\\ufffd", out);
				s++;
			}
			continue;
		}
		s++;
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c < 0x20) {
				fputs("\\u00", out);
				putc(hex[c >> 4], out);
				putc(hex[c & 15], out);
			} else {
				putc(c, out);
			}
		}
	}
	putc('"', out);
}

static void jnum(FILE *out, double x)
{
	char buf[40];
	if (!isfinite(x)) {
		fputs("null", out);
		return;
	}
	owg_fmt_double(buf, sizeof buf, x);
	fputs(buf, out);
}

static void jid(FILE *out, uint32_t id)
{
	if (id == OWG_NONE)
		fputs("null", out);
	else
		fprintf(out, "%u", (unsigned)id);
}

static void jkey(FILE *out, const char *key)
{
	fprintf(out, ",\"%s\":", key);
}

static void jloc(FILE *out, owg_loc loc)
{
	if (loc.file == OWG_NOFILE)
		fputs("null", out);
	else
		fprintf(out, "{\"file\":%u,\"begin\":%u,\"end\":%u}", (unsigned)loc.file,
			(unsigned)loc.begin, (unsigned)loc.end);
}

static void jdist(FILE *out, const owg_dist *d)
{
	fputs("{\"kind\":", out);
	jstr(out, owg_dist_kind_name(d->kind));
	fputs(",\"a\":", out);
	jnum(out, d->a);
	fputs(",\"b\":", out);
	jnum(out, d->b);
	if (d->kind == OWG_DIST_EMPIRICAL || d->nsamples) {
		fputs(",\"samples\":[", out);
		for (uint32_t i = 0; d->samples && i < d->nsamples; i++) {
			if (i)
				putc(',', out);
			jnum(out, d->samples[i]);
		}
		putc(']', out);
	}
	putc('}', out);
}

static const char *expr_kind_name(owg_expr_kind k)
{
	switch (k) {
	case OWG_EX_NUM: return "num";
	case OWG_EX_BOOL: return "bool";
	case OWG_EX_OUT: return "out";
	case OWG_EX_UNARY: return "unary";
	case OWG_EX_BINARY: return "binary";
	}
	return "?";
}

static void jexpr(FILE *out, const owg_graph *g, const owg_expr *e)
{
	if (!e) {
		fputs("null", out);
		return;
	}
	fputs("{\"kind\":", out);
	jstr(out, expr_kind_name(e->kind));
	jkey(out, "type");
	jstr(out, owg_type_name(e->type));
	switch (e->kind) {
	case OWG_EX_NUM:
		jkey(out, "value");
		jnum(out, e->u.num);
		break;
	case OWG_EX_BOOL:
		jkey(out, "value");
		fputs(e->u.b ? "true" : "false", out);
		break;
	case OWG_EX_OUT: {
		uint32_t n = e->u.ref.node, o = e->u.ref.out;
		jkey(out, "node");
		jid(out, n);
		jkey(out, "out");
		jid(out, o);
		jkey(out, "name");
		if (n < g->nodes.n && g->nodes.v[n].kind == OWG_NODE_TB && o < g->nodes.v[n].nouts)
			jstr(out, g->nodes.v[n].outs[o].name);
		else
			fputs("null", out);
		break;
	}
	case OWG_EX_UNARY:
		jkey(out, "op");
		jstr(out, owg_op_name(e->op));
		jkey(out, "arg");
		jexpr(out, g, e->u.sub.l);
		break;
	case OWG_EX_BINARY:
		jkey(out, "op");
		jstr(out, owg_op_name(e->op));
		jkey(out, "lhs");
		jexpr(out, g, e->u.sub.l);
		jkey(out, "rhs");
		jexpr(out, g, e->u.sub.r);
		break;
	}
	putc('}', out);
}

static void jnode(FILE *out, const owg_graph *g, const owg_node *n)
{
	fprintf(out, "{\"id\":%u,\"kind\":\"%s\",\"name\":", (unsigned)n->id,
		n->kind == OWG_NODE_TB ? "tb" : "cb");
	jstr(out, n->name);
	jkey(out, "loc");
	jloc(out, n->loc);
	jkey(out, "region");
	jid(out, n->region);
	jkey(out, "arm");
	fprintf(out, "%u", (unsigned)n->arm);
	if (n->kind == OWG_NODE_TB) {
		jkey(out, "tb_kind");
		jstr(out, owg_tb_kind_name(n->tb_kind));
		jkey(out, "peas");
		fprintf(out, "%u", (unsigned)n->peas);
		jkey(out, "time");
		jdist(out, &n->time);
		jkey(out, "kernel");
		if (n->kernel)
			jstr(out, n->kernel);
		else
			fputs("null", out);
		jkey(out, "outs");
		putc('[', out);
		for (uint32_t i = 0; n->outs && i < n->nouts; i++) {
			fputs(i ? ",{\"name\":" : "{\"name\":", out);
			jstr(out, n->outs[i].name);
			jkey(out, "type");
			jstr(out, owg_type_name(n->outs[i].type));
			putc('}', out);
		}
		putc(']', out);
		jkey(out, "config_bytes");
		jnum(out, n->config_bytes);
	} else {
		jkey(out, "cb_kind");
		jstr(out, owg_cb_kind_name(n->cb_kind));
		jkey(out, "arms");
		putc('[', out);
		for (uint32_t i = 0; n->arms && i < n->narms; i++) {
			const owg_arm *a = &n->arms[i];
			fputs(i ? ",{\"kind\":" : "{\"kind\":", out);
			jstr(out, owg_arm_kind_name(a->kind));
			jkey(out, "value");
			jnum(out, a->value);
			jkey(out, "prob");
			jnum(out, a->prob); /* null: not declared */
			putc('}', out);
		}
		putc(']', out);
		jkey(out, "pred");
		jexpr(out, g, n->pred);
		jkey(out, "loop_kind");
		jstr(out, n->loop_kind == OWG_LOOP_WHILE ? "while" : "count");
		jkey(out, "count");
		jdist(out, &n->count);
		jkey(out, "max_trips");
		fprintf(out, "%u", (unsigned)n->max_trips);
		jkey(out, "count_node");
		jid(out, n->count_node);
		jkey(out, "count_out");
		fprintf(out, "%u", (unsigned)n->count_out);
	}
	putc('}', out);
}

static void jfabric(FILE *out, const owg_fabric *f)
{
	static const char *const level[OWG_FAB_LEVELS] = {"pea", "cluster", "chiplet", "package"};
	fputs("{\"name\":", out);
	jstr(out, f->name);
	jkey(out, "loc");
	jloc(out, f->loc);
	jkey(out, "levels");
	putc('[', out);
	for (int l = 0; l < OWG_FAB_LEVELS; l++) {
		fprintf(out, "%s{\"level\":\"%s\",\"grid_w\":%u,\"grid_h\":%u,\"hop_latency\":",
			l ? "," : "", level[l], (unsigned)f->grid_w[l], (unsigned)f->grid_h[l]);
		jnum(out, f->hop_latency[l]);
		fputs(",\"link_bandwidth\":", out);
		jnum(out, f->link_bandwidth[l]);
		putc('}', out);
	}
	putc(']', out);
	jkey(out, "reconfig_bandwidth");
	jnum(out, f->reconfig_bandwidth);
	jkey(out, "control_latency");
	jnum(out, f->control_latency);
	jkey(out, "defects");
	putc('[', out);
	for (uint32_t i = 0; f->defects && i < f->ndefects; i++)
		fprintf(out, "%s[%u,%u]", i ? "," : "", (unsigned)f->defects[i][0],
			(unsigned)f->defects[i][1]);
	fputs("]}", out);
}

void owg_ir_print_json(const owg_graph *g, FILE *out)
{
	fprintf(out, "{\"owgir\":%d,\"workflow\":", OWG_IR_VERSION);
	jstr(out, g->name);
	fputs(",\n\"nodes\":[", out);
	for (size_t i = 0; i < g->nodes.n; i++) {
		fputs(i ? ",\n" : "\n", out);
		jnode(out, g, &g->nodes.v[i]);
	}
	fputs("\n],\n\"flows\":[", out);
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *f = &g->flows.v[k];
		fprintf(out, "%s{\"src\":%u,\"dst\":%u,\"bytes\":", k ? ",\n" : "\n",
			(unsigned)f->src, (unsigned)f->dst);
		jnum(out, f->bytes);
		putc('}', out);
	}
	fputs("\n],\n\"fabrics\":[", out);
	for (size_t k = 0; k < g->fabrics.n; k++) {
		fputs(k ? ",\n" : "\n", out);
		jfabric(out, &g->fabrics.v[k]);
	}
	fputs("\n]}\n", out);
}
