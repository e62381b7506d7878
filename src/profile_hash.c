#include "config.h"

/* profile_hash.c - the shape and model hashes of a graph, which tie a
 * profile to the workflow it was recorded for.
 *
 * Both are FNV-1a 64 over a canonical byte stream, so that they are the
 * same on every platform and every build:
 *   u8, u32, u64   little-endian, fixed width;
 *   f64            the IEEE-754 bits as a u64, after mapping -0 to 0 and
 *                  every NaN to 0x7ff8000000000000;
 *   str            u32 byte length, then the bytes (NULL: length 0xffffffff);
 *   name           a kind as the str of its name in the IR text ("ai",
 *                  "branch", "case", "normal", "<=", "i64"), so that the
 *                  hashes do not depend on the order of ir.h's enums;
 *   dist           name kind, then the parameters the kind uses: a (const,
 *                  exponential, poisson, geometric); a, b (meansd, normal,
 *                  lognormal, uniform); u32 n and n f64 (empirical);
 *   expr           prefix order: u8 'n' f64 | u8 'b' u8 | u8 'o' u32 node,
 *                  u32 out | u8 'u' name op, expr | u8 'x' name op, expr,
 *                  expr; NULL: u8 '?'.
 * The stream starts with a tag ("owg-shape-1", "owg-model-1") so that the
 * two never collide and a new encoding can change the tag.
 *
 * shape: u32 nodes; per node in id order: u8 'T' or 'C', str name, u32
 *   region, u32 arm, then TB: name tb_kind; CB: name cb_kind, str "while"
 *   or "trips" (loops only), u32 narms, per arm name kind and (case) f64
 *   value; u32 flows, per flow u32 src, u32 dst.
 * model: per node in id order: TB: u32 peas, dist time, f64 config_bytes,
 *   str kernel, u32 nouts, per output str name, name type; CB: per arm f64
 *   prob, dist count (loop count, fork), u32 max_trips, u32 count_node,
 *   u32 count_out (0 without a count node), expr pred; then per flow f64 bytes.
 * Annotations of the analysis passes are in neither. */

#include "profile.h"

#include <math.h>
#include <string.h>

typedef struct hasher {
	uint64_t h;
} hasher;

static void hbytes(hasher *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		s->h = (s->h ^ b[i]) * 0x100000001b3ull;
}

static void hu8(hasher *s, unsigned v)
{
	unsigned char b = (unsigned char)v;
	hbytes(s, &b, 1);
}

static void hu32(hasher *s, uint32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hbytes(s, b, 4);
}

static void hu64(hasher *s, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hbytes(s, b, 8);
}

static void hf64(hasher *s, double x)
{
	uint64_t bits;
	if (isnan(x))
		bits = 0x7ff8000000000000ull;
	else {
		if (x == 0)
			x = 0; /* -0 */
		memcpy(&bits, &x, sizeof bits);
	}
	hu64(s, bits);
}

static void hstr(hasher *s, const char *str)
{
	if (!str) {
		hu32(s, UINT32_MAX);
		return;
	}
	size_t n = strlen(str);
	hu32(s, (uint32_t)n);
	hbytes(s, str, n);
}

static void hstart(hasher *s, const char *tag)
{
	s->h = 0xcbf29ce484222325ull;
	hstr(s, tag);
}

static void hdist(hasher *s, const owg_dist *d)
{
	hstr(s, owg_dist_kind_name(d->kind));
	switch (d->kind) {
	case OWG_DIST_MEANSD:
	case OWG_DIST_NORMAL:
	case OWG_DIST_LOGNORMAL:
	case OWG_DIST_UNIFORM:
		hf64(s, d->a);
		hf64(s, d->b);
		break;
	case OWG_DIST_EMPIRICAL:
		hu32(s, d->samples ? d->nsamples : 0);
		for (uint32_t i = 0; d->samples && i < d->nsamples; i++)
			hf64(s, d->samples[i]);
		break;
	default:
		hf64(s, d->a);
		break;
	}
}

/* Expressions are bounded in depth by their readers (1000 levels). */
static void hexpr(hasher *s, const owg_expr *e)
{
	if (!e) {
		hu8(s, '?');
		return;
	}
	switch (e->kind) {
	case OWG_EX_NUM:
		hu8(s, 'n');
		hf64(s, e->u.num);
		break;
	case OWG_EX_BOOL:
		hu8(s, 'b');
		hu8(s, e->u.b);
		break;
	case OWG_EX_OUT:
		hu8(s, 'o');
		hu32(s, e->u.ref.node);
		hu32(s, e->u.ref.out);
		break;
	case OWG_EX_UNARY:
		hu8(s, 'u');
		hstr(s, owg_op_name(e->op));
		hexpr(s, e->u.sub.l);
		break;
	case OWG_EX_BINARY:
		hu8(s, 'x');
		hstr(s, owg_op_name(e->op));
		hexpr(s, e->u.sub.l);
		hexpr(s, e->u.sub.r);
		break;
	}
}

uint64_t owg_ir_shape_hash(const owg_graph *g)
{
	hasher s;
	hstart(&s, "owg-shape-1");
	hu32(&s, (uint32_t)g->nodes.n);
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		hu8(&s, n->kind == OWG_NODE_TB ? 'T' : 'C');
		hstr(&s, n->name);
		hu32(&s, n->region);
		hu32(&s, n->arm);
		if (n->kind == OWG_NODE_TB) {
			hstr(&s, owg_tb_kind_name(n->tb_kind));
			continue;
		}
		hstr(&s, owg_cb_kind_name(n->cb_kind));
		if (n->cb_kind == OWG_CB_LOOP)
			hstr(&s, n->loop_kind == OWG_LOOP_WHILE ? "while" : "trips");
		hu32(&s, n->arms ? n->narms : 0);
		for (uint32_t a = 0; n->arms && a < n->narms; a++) {
			hstr(&s, owg_arm_kind_name(n->arms[a].kind));
			if (n->arms[a].kind == OWG_ARM_CASE)
				hf64(&s, n->arms[a].value);
		}
	}
	hu32(&s, (uint32_t)g->flows.n);
	for (size_t i = 0; i < g->flows.n; i++) {
		hu32(&s, g->flows.v[i].src);
		hu32(&s, g->flows.v[i].dst);
	}
	return s.h;
}

uint64_t owg_ir_model_hash(const owg_graph *g)
{
	hasher s;
	hstart(&s, "owg-model-1");
	for (size_t i = 0; i < g->nodes.n; i++) {
		const owg_node *n = &g->nodes.v[i];
		if (n->kind == OWG_NODE_TB) {
			hu32(&s, n->peas);
			hdist(&s, &n->time);
			hf64(&s, n->config_bytes);
			hstr(&s, n->kernel);
			hu32(&s, n->outs ? n->nouts : 0);
			for (uint32_t o = 0; n->outs && o < n->nouts; o++) {
				hstr(&s, n->outs[o].name);
				hstr(&s, owg_type_name(n->outs[o].type));
			}
			continue;
		}
		for (uint32_t a = 0; n->arms && a < n->narms; a++)
			hf64(&s, n->arms[a].prob);
		if (n->cb_kind == OWG_CB_FORK ||
		    (n->cb_kind == OWG_CB_LOOP && n->loop_kind == OWG_LOOP_COUNT))
			hdist(&s, &n->count);
		hu32(&s, n->max_trips);
		hu32(&s, n->count_node);
		hu32(&s, n->count_node != OWG_NONE ? n->count_out : 0);
		hexpr(&s, n->pred);
	}
	for (size_t i = 0; i < g->flows.n; i++)
		hf64(&s, g->flows.v[i].bytes);
	return s.h;
}
