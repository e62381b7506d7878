#include "config.h"

/* fuzz_owgp.c - libFuzzer target for the placement binary: libowgrt's
 * loader, owgc's importer and writer.
 *
 * Every input is loaded twice:
 *  1. as it is: mostly refused by the magic, the sizes or the CRC;
 *  2. with the header's file size set to the input's size and the CRC
 *     recomputed, so that the structural checks behind the CRC are
 *     reached.
 * Neither may crash, hang or leak; a refusal must come with a message.
 * A program that loads must import; its graph must print (IR, DOT, JSON)
 * and write; the written bytes must load again, import to a graph that
 * prints the same text, and write the same bytes (write -> load -> write
 * is stable).  A broken property calls abort(), so libFuzzer reports it
 * with the input.
 *
 * Build (see Makefile.am: ./configure CC=clang-14 --enable-fuzz), then
 *   ./tests/fuzz/fuzz_owgp corpus tests/fuzz/corpus_owgp
 * The seeds are binaries written by the unit tests (OWGP_CORPUS_DIR=DIR
 * tests/unit/unit_tests writes them, see tests/unit/test_owgp.c). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../backends/owgp_write.h"
#include "../../runtime/owgrt.h"
#include "ir.h"
#include "owgp_import.h"

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

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_owgp: %s\n", what);
	abort();
}

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

static uint8_t *write_owgp(const owg_graph *g, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m)
		abort();
	bool ok = owg_owgp_write(g, m);
	if (fclose(m))
		abort();
	if (!ok)
		fail("an imported graph does not write");
	return (uint8_t *)buf;
}

/* Loads; on success imports, prints, writes and checks the round trip. */
static void try_load(const uint8_t *data, size_t size)
{
	owgrt_program *p = NULL;
	char err[512];
	int rc = owgrt_load(data, size, &p, err, sizeof err);
	if (rc != OWGRT_OK) {
		if (p)
			fail("a refused load returned a program");
		if (!err[0])
			fail("a refused load without a message");
		return;
	}
	owg_graph *g = owg_owgp_import(p, err, sizeof err);
	if (!g)
		fail("a loaded program does not import");
	size_t tlen, wlen;
	char *text = print_ir(g, &tlen);
	owg_ir_print_dot(g, devnull());
	owg_ir_print_json(g, devnull());
	uint8_t *w = write_owgp(g, &wlen);

	owgrt_program *p2 = NULL;
	if (owgrt_load(w, wlen, &p2, err, sizeof err) != OWGRT_OK) {
		fprintf(stderr, "fuzz_owgp: %s\n", err);
		fail("written bytes do not load");
	}
	owg_graph *g2 = owg_owgp_import(p2, err, sizeof err);
	if (!g2)
		fail("a reloaded program does not import");
	size_t tlen2, wlen2;
	char *text2 = print_ir(g2, &tlen2);
	if (tlen2 != tlen || memcmp(text, text2, tlen) != 0)
		fail("write -> load -> import prints different IR");
	uint8_t *w2 = write_owgp(g2, &wlen2);
	if (wlen2 != wlen || memcmp(w, w2, wlen) != 0)
		fail("write -> load -> import -> write gives different bytes");

	free(w2);
	free(text2);
	owg_ir_free(g2);
	owgrt_program_free(p2);
	free(w);
	free(text);
	owg_ir_free(g);
	owgrt_program_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_load(data, size);
	if (size >= 48) {
		uint8_t *copy = malloc(size);
		if (!copy)
			abort();
		memcpy(copy, data, size);
		for (int i = 0; i < 8; i++) /* the file size */
			copy[16 + i] = (uint8_t)((uint64_t)size >> 8 * i);
		memset(copy + 40, 0, 4);
		uLong c = crc32(0L, Z_NULL, 0);
		for (size_t pos = 0; pos < size;) {
			uInt k = size - pos > (1u << 30) ? (1u << 30) : (uInt)(size - pos);
			c = crc32(c, copy + pos, k);
			pos += k;
		}
		for (int i = 0; i < 4; i++)
			copy[40 + i] = (uint8_t)(c >> 8 * i);
		try_load(copy, size);
		free(copy);
	}
	return 0;
}
