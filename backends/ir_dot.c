#include "config.h"

/* ir_dot.c - the OWG IR as a Graphviz digraph: tasks are boxes (name,
 * kind, PEAs, mean time), control blocks diamonds (kind, name); data flows
 * are solid edges labelled with their size, control edges dashed and
 * labelled with the arm and its declared probability; a loop's repeat arm
 * is a dashed self-loop.  The output depends only on the graph. */

#include "ir.h"

#include <math.h>
#include <string.h>

/* Text inside a DOT double-quoted string: quote and backslash escaped,
 * control characters shown as '?' (they have no DOT escape). */
static void dot_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (c < 0x20 || c == 0x7f) {
			putc('?', out);
		} else {
			putc(c, out);
		}
	}
}

static void arm_label(FILE *out, const owg_arm *a)
{
	char buf[40];
	fputs(owg_arm_kind_name(a->kind), out);
	if (a->kind == OWG_ARM_CASE) {
		owg_fmt_double(buf, sizeof buf, a->value);
		fprintf(out, " %s", buf);
	}
	if (!isnan(a->prob)) {
		owg_fmt_double(buf, sizeof buf, a->prob);
		fprintf(out, " p=%s", buf);
	}
}

/* A time for people: four significant digits in the largest unit where it
 * is at least 1 (the text form's units). */
static void fmt_time_short(char *buf, size_t n, double x)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
	size_t u = 0;
	while (u + 1 < sizeof units / sizeof *units && !(fabs(x) >= units[u].scale))
		u++;
	if (x == 0 || !isfinite(x))
		u = 0;
	snprintf(buf, n, "%.4g%s", x / units[u].scale, units[u].name);
}

static void print_node(FILE *out, const owg_node *n)
{
	char buf[48];
	fprintf(out, "\tn%u [", (unsigned)n->id);
	if (n->kind == OWG_NODE_TB) {
		fmt_time_short(buf, sizeof buf, owg_dist_mean(&n->time));
		fputs("shape=box, label=\"", out);
		dot_text(out, n->name);
		fprintf(out, "\\n%s, %u PEA%s\\n%s\"];\n", owg_tb_kind_name(n->tb_kind),
			(unsigned)n->peas, n->peas == 1 ? "" : "s", buf);
	} else {
		fprintf(out, "shape=diamond, label=\"%s\\n", owg_cb_kind_name(n->cb_kind));
		dot_text(out, n->name);
		fputs("\"];\n", out);
	}
}

void owg_ir_print_dot(const owg_graph *g, FILE *out)
{
	fputs("digraph \"", out);
	dot_text(out, g->name);
	fputs("\" {\n", out);
	fputs("\tnode [fontname=\"Helvetica\", fontsize=10];\n", out);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=9];\n", out);
	for (size_t i = 0; i < g->nodes.n; i++)
		print_node(out, &g->nodes.v[i]);
	/* Control edges: region -> member, then each loop's repeat self-loop. */
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->region < g->nodes.n) {
			const owg_node *r = &g->nodes.v[n->region];
			fprintf(out, "\tn%u -> n%u [style=dashed, label=\"", (unsigned)r->id,
				(unsigned)n->id);
			if (r->kind == OWG_NODE_CB && r->arms && n->arm < r->narms)
				arm_label(out, &r->arms[n->arm]);
			else
				fprintf(out, "arm %u", (unsigned)n->arm);
			fputs("\"];\n", out);
		}
		if (n->kind == OWG_NODE_CB && n->cb_kind == OWG_CB_LOOP) {
			for (uint32_t a = 0; n->arms && a < n->narms; a++)
				if (n->arms[a].kind == OWG_ARM_REPEAT) {
					fprintf(out, "\tn%u -> n%u [style=dashed, label=\"",
						(unsigned)n->id, (unsigned)n->id);
					arm_label(out, &n->arms[a]);
					fputs("\"];\n", out);
				}
		}
	}
	for (size_t k = 0; k < g->flows.n; k++) {
		const owg_flow *f = &g->flows.v[k];
		char buf[48];
		owg_fmt_size(buf, sizeof buf, f->bytes);
		fprintf(out, "\tn%u -> n%u [label=\"%s\"];\n", (unsigned)f->src, (unsigned)f->dst,
			buf);
	}
	fputs("}\n", out);
}
