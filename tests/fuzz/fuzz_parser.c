#include "config.h"

/* fuzz_parser.c - libFuzzer target for the text readers of owgc.
 *
 * Every input is fed four times:
 *  1. as owg source: parse, check and lower (owg_sema_lower), verify, and
 *     print the IR, DOT and JSON.  A graph that sema accepts must verify,
 *     and its IR text must read back to the same text (print -> read ->
 *     print byte-identical);
 *  2. as IR text (.owgir): read, verify, print (also DOT and JSON); when it
 *     verifies, the printed text must read back, verify, and print to the
 *     same bytes;
 *  3. as a .owgprof profile: read; when it reads, its canonical text must
 *     read back and write the same bytes;
 *  4. as a WfCommons trace (JSON): import it (owgc --import=wfcommons);
 *     when the importer accepts it, the owg source it writes must compile
 *     without errors (an importer that writes source its own compiler
 *     rejects is a bug), and the input taken as two runs of one workflow
 *     must import and compile too.
 * Every graph that verifies also goes through the analysis pipeline,
 * whose annotated IR must verify and round-trip the same way.
 * A broken property calls abort(), so libFuzzer reports it with the input.
 * Diagnostics go to /dev/null (they are still formatted: line and column,
 * excerpt, caret); inputs whose last byte is odd get the JSON format.  Imports are not followed (no file system access): the
 * parsed file is checked alone.  Nothing leaks: arenas, graphs, the
 * diagnostics engine and the source manager are freed on every input.
 *
 * Build (see Makefile.am: ./configure CC=clang-14 --enable-fuzz), or by
 * hand with clang-14 -g -O1 -fsanitize=fuzzer,address,undefined
 * -fno-sanitize-recover=undefined (UB must stop the run) from this
 * file, every src/ file but src/owgc.c, backends/ and the generated
 * grammar/owg.tab.c and owg.lex.c; then
 *   ./fuzz_parser -max_len=65536 -dict=tests/fuzz/owg.dict tests/fuzz/corpus
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "import_wfcommons.h"
#include "ir.h"
#include "parse.h"
#include "pass.h"
#include "profile.h"
#include "sema.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull(void)
{
	static FILE *f;
	if (!f) {
		f = fopen("/dev/null", "w");
		if (!f)
			abort();
	}
	return f;
}

static void fail(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
	fprintf(stderr, "fuzz_parser: %s\n", what);
	if (a)
		fprintf(stderr, "--- first (%zu bytes) ---\n%.*s\n", alen, (int)(alen > 4000 ? 4000 : alen), a);
	if (b)
		fprintf(stderr, "--- second (%zu bytes) ---\n%.*s\n", blen, (int)(blen > 4000 ? 4000 : blen), b);
	abort();
}

/* The canonical IR text of g, malloc'd. */
static char *print_ir(const owg_graph *g, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m)
		abort();
	owg_ir_print(g, m);
	if (fclose(m))
		abort();
	return buf;
}

/* The exports must not crash on any graph the readers hand out. */
static void print_exports(const owg_graph *g)
{
	owg_ir_print_dot(g, devnull());
	owg_ir_print_json(g, devnull());
}

/* text (the printed IR of a valid graph) must read back, verify and print
 * to the same bytes. */
static void check_round_trip(const char *text, size_t len)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	uint32_t id = owg_src_add(&sm, "printed.owgir", text, len);
	if (id == OWG_NOFILE)
		abort();
	const owg_source *src = owg_src_get(&sm, id);
	owg_graph *g = owg_ir_read(src->text, src->len, id, d);
	if (!g)
		fail("printed IR does not read back", text, len, NULL, 0);
	if (owg_ir_verify(g, d))
		fail("printed IR reads back but does not verify", text, len, NULL, 0);
	size_t len2;
	char *again = print_ir(g, &len2);
	if (len2 != len || memcmp(text, again, len))
		fail("print -> read -> print is not byte-identical", text, len, again, len2);
	free(again);
	owg_ir_free(g);
	owg_diag_free(d);
	owg_src_free(&sm);
}

/* The analysis pipeline on a valid graph: it must succeed (warnings
 * aside), leave a graph that verifies, and print IR that round-trips. */
static void analyze(owg_graph *g, owg_srcmgr *sm, owg_diag *d)
{
	owg_pass_opts o;
	owg_pass_opts_init(&o);
	o.dump_out = devnull();
	owg_pass_ctx ctx = {.g = g, .diag = d, .sm = sm, .opts = &o};
	bool ok = owg_pipeline_run(&ctx);
	owg_pass_ctx_free(&ctx);
	if (!ok)
		return; /* an error, reported: e.g. counts that multiply beyond any fabric */
	size_t len;
	char *text = print_ir(g, &len);
	if (owg_ir_verify(g, d))
		fail("the analysis left IR that does not verify", text, len, NULL, 0);
	check_round_trip(text, len);
	free(text);
}

static owg_diag_format diag_format(const uint8_t *data, size_t size)
{
	return size && (data[size - 1] & 1) ? OWG_DIAG_JSON : OWG_DIAG_TEXT;
}

static void as_source(const uint8_t *data, size_t size)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	owg_diag_set_format(d, diag_format(data, size));
	owg_arena arena;
	owg_arena_init(&arena);
	uint32_t id = owg_src_add(&sm, "fuzz.owg", (const char *)data, size);
	if (id != OWG_NOFILE) {
		ast_file *f = owg_parse(&arena, d, &sm, id);
		if (f && !owg_diag_errors(d)) {
			owg_sema_opts opts = {0};
			ast_file *files[1] = {f};
			owg_graph *g = owg_sema_lower(d, files, 1, &opts);
			if (g && !owg_diag_errors(d)) {
				if (owg_ir_verify(g, d))
					fail("sema produced IR that does not verify", (const char *)data, size, NULL, 0);
				size_t len;
				char *text = print_ir(g, &len);
				print_exports(g);
				check_round_trip(text, len);
				free(text);
				analyze(g, &sm, d);
			}
			if (g)
				owg_ir_free(g);
		}
	}
	owg_arena_free(&arena);
	owg_diag_free(d);
	owg_src_free(&sm);
}

static void as_ir(const uint8_t *data, size_t size)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	owg_diag_set_format(d, diag_format(data, size));
	uint32_t id = owg_src_add(&sm, "fuzz.owgir", (const char *)data, size);
	if (id != OWG_NOFILE) {
		const owg_source *src = owg_src_get(&sm, id);
		owg_graph *g = owg_ir_read(src->text, src->len, id, d);
		if (g) {
			bool ok = owg_ir_verify(g, d) == 0;
			size_t len;
			char *text = print_ir(g, &len);
			print_exports(g);
			if (ok)
				check_round_trip(text, len);
			free(text);
			if (ok)
				analyze(g, &sm, d);
			owg_ir_free(g);
		}
	}
	owg_diag_free(d);
	owg_src_free(&sm);
}

static char *write_profile(const owg_profile *p, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m || !owg_prof_write(p, m) || fclose(m))
		abort();
	return buf;
}

static void as_profile(const uint8_t *data, size_t size)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	uint32_t id = owg_src_add(&sm, "fuzz.owgprof", (const char *)data, size);
	if (id != OWG_NOFILE) {
		const owg_source *src = owg_src_get(&sm, id);
		owg_profile *p = owg_prof_read(src->text, src->len, id, d);
		if (p) {
			size_t len, len2;
			char *text = write_profile(p, &len);
			uint32_t id2 = owg_src_add(&sm, "written.owgprof", text, len);
			owg_profile *q = owg_prof_read(text, len, id2, d);
			if (!q)
				fail("a written profile does not read back", text, len, NULL, 0);
			char *again = write_profile(q, &len2);
			if (len2 != len || memcmp(text, again, len))
				fail("profile write -> read -> write is not byte-identical", text, len, again, len2);
			free(again);
			free(text);
			owg_prof_free(q);
			owg_prof_free(p);
		}
	}
	owg_diag_free(d);
	owg_src_free(&sm);
}

/* Source written by the importer: it must parse, check, lower and verify
 * without a single error. */
static void compile_imported(const char *text, size_t len)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	owg_arena arena;
	owg_arena_init(&arena);
	uint32_t id = owg_src_add(&sm, "imported.owg", text, len);
	if (id == OWG_NOFILE)
		abort();
	ast_file *f = owg_parse(&arena, d, &sm, id);
	owg_graph *g = NULL;
	if (f && !owg_diag_errors(d)) {
		owg_sema_opts opts = {0};
		ast_file *files[1] = {f};
		g = owg_sema_lower(d, files, 1, &opts);
	}
	if (!g || owg_diag_errors(d))
		fail("the importer wrote source that its compiler rejects", text, len, NULL, 0);
	if (owg_ir_verify(g, d))
		fail("the importer's source gives IR that does not verify", text, len, NULL, 0);
	owg_ir_free(g);
	owg_arena_free(&arena);
	owg_diag_free(d);
	owg_src_free(&sm);
}

static void as_wfcommons(const uint8_t *data, size_t size)
{
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, devnull());
	owg_diag_set_format(d, diag_format(data, size));
	uint32_t ids[2] = {owg_src_add(&sm, "fuzz.json", (const char *)data, size),
			   owg_src_add(&sm, "fuzz-2.json", (const char *)data, size)};
	for (size_t n = 1; n <= 2 && ids[0] != OWG_NOFILE && ids[1] != OWG_NOFILE; n++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			abort();
		bool ok = owg_wfc_import(&sm, d, ids, n, m);
		if (fclose(m))
			abort();
		if (!ok && n == 2)
			fail("a trace imports alone but not as two runs of itself", (const char *)data, size, NULL, 0);
		if (ok)
			compile_imported(buf, len);
		free(buf);
		if (!ok)
			break;
	}
	owg_diag_free(d);
	owg_src_free(&sm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_source(data, size);
	as_ir(data, size);
	as_profile(data, size);
	as_wfcommons(data, size);
	return 0;
}
