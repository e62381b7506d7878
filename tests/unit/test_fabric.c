/* test_fabric.c - the fabric model: presets and their counts, geometry at
 * the boundaries of every level, hop and transfer costs worked out by
 * hand, and the resolution of --fabric with its messages. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "fabric.h"
#include "parse.h"
#include "sema.h"
#include "unit.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define NS 1e-9

static owg_arena arena;

static void setup(void)
{
	owg_arena_init(&arena);
}

static void teardown(void)
{
	owg_arena_free(&arena);
}

static owg_fabric preset(const char *name)
{
	owg_fabric f;
	char err[256] = "";
	ck_assert_msg(owg_fabric_preset(name, &f, &arena, err, sizeof err), "%s: %s", name, err);
	return f;
}

/* The message for a name that is not a preset. */
static const char *preset_error(const char *name)
{
	static char err[512];
	owg_fabric f;
	strcpy(err, "(none)");
	ck_assert_msg(!owg_fabric_preset(name, &f, &arena, err, sizeof err), "'%s' was accepted", name);
	return err;
}

static uint32_t at(const owg_fabric *f, uint32_t x, uint32_t y)
{
	return y * owg_fabric_width(f) + x;
}

/* Relative comparison of costs worked out by hand. */
#define ck_assert_time(got, want)                                                                 \
	do {                                                                                      \
		double g_ = (got), w_ = (want);                                                   \
		ck_assert_msg(fabs(g_ - w_) <= 1e-12 * fabs(w_) + 1e-24, "%s = %.17g, want %.17g", \
			      #got, g_, w_);                                                      \
	} while (0)

/* --- presets --- */

START_TEST(test_default)
{
	owg_fabric f = preset("default");
	ck_assert_str_eq(f.name, "default");
	ck_assert(!f.flat);
	ck_assert_uint_eq(owg_fabric_width(&f), 16);
	ck_assert_uint_eq(owg_fabric_height(&f), 16);
	ck_assert_uint_eq(owg_fabric_peas(&f), 256);
	ck_assert_uint_eq(owg_fabric_cluster_cols(&f), 4);
	ck_assert_uint_eq(owg_fabric_cluster_rows(&f), 4);
	ck_assert_uint_eq(owg_fabric_clusters(&f), 16);
	ck_assert_uint_eq(f.grid_w[OWG_FAB_PACKAGE] * f.grid_h[OWG_FAB_PACKAGE], 1);
	ck_assert_uint_eq(f.ndefects, 0);
	ck_assert_ptr_null(owg_fabric_defect_map(&f));
	ck_assert_uint_eq(owg_fabric_usable_peas(&f), 256);
	/* the language's defaults (owg(5)) */
	ck_assert_time(f.hop_latency[OWG_FAB_PEA], 1 * NS);
	ck_assert_time(f.hop_latency[OWG_FAB_CLUSTER], 4 * NS);
	ck_assert_time(f.link_bandwidth[OWG_FAB_PEA], 64 * GIB);
	ck_assert_time(f.reconfig_bandwidth, 8 * GIB);
	ck_assert_time(f.control_latency, 20 * NS);
}
END_TEST

START_TEST(test_chiplet)
{
	owg_fabric f = preset("chiplet");
	ck_assert_uint_eq(owg_fabric_width(&f), 32);
	ck_assert_uint_eq(owg_fabric_height(&f), 32);
	ck_assert_uint_eq(owg_fabric_peas(&f), 1024);
	ck_assert_uint_eq(owg_fabric_clusters(&f), 64);
	ck_assert_uint_eq(f.grid_w[OWG_FAB_PACKAGE], 2);
	ck_assert_uint_eq(f.grid_h[OWG_FAB_PACKAGE], 2);
	ck_assert_uint_eq(f.ndefects, 0);
	/* die-to-die is slower than on chip, both ways */
	ck_assert(f.hop_latency[OWG_FAB_CHIPLET] > f.hop_latency[OWG_FAB_CLUSTER]);
	ck_assert(f.link_bandwidth[OWG_FAB_CHIPLET] < f.link_bandwidth[OWG_FAB_CLUSTER]);
}
END_TEST

START_TEST(test_wafer)
{
	owg_fabric f = preset("wafer");
	ck_assert_uint_eq(owg_fabric_width(&f), 512);
	ck_assert_uint_eq(owg_fabric_height(&f), 512);
	ck_assert_uint_eq(owg_fabric_peas(&f), 262144);
	ck_assert(owg_fabric_peas(&f) >= 250000);
	ck_assert_uint_eq(f.grid_w[OWG_FAB_PACKAGE], 16);
	ck_assert_uint_eq(f.grid_w[OWG_FAB_CHIPLET], 8);
	ck_assert_uint_eq(f.grid_w[OWG_FAB_CLUSTER], 4);
	ck_assert_uint_eq(owg_fabric_clusters(&f), 128 * 128);
	/* 0.1% of the PEAs, rounded down; distinct, inside, in row-major order */
	ck_assert_uint_eq(f.ndefects, 262);
	ck_assert_ptr_nonnull(f.defects);
	for (uint32_t i = 0; i < f.ndefects; i++) {
		ck_assert_uint_lt(f.defects[i][0], 512);
		ck_assert_uint_lt(f.defects[i][1], 512);
		if (i) {
			uint64_t p = (uint64_t)f.defects[i - 1][1] * 512 + f.defects[i - 1][0];
			uint64_t q = (uint64_t)f.defects[i][1] * 512 + f.defects[i][0];
			ck_assert_uint_lt(p, q);
		}
	}
	ck_assert_uint_eq(owg_fabric_usable_peas(&f), 262144 - 262);
	uint8_t *map = owg_fabric_defect_map(&f);
	ck_assert_ptr_nonnull(map);
	uint32_t set = 0;
	for (uint32_t p = 0; p < 262144; p++)
		set += map[p];
	ck_assert_uint_eq(set, 262);
	ck_assert_uint_eq(map[at(&f, f.defects[0][0], f.defects[0][1])], 1);
	free(map);
	/* the same map every time (and everywhere: these values are pinned) */
	owg_fabric g = preset("wafer");
	ck_assert_uint_eq(g.ndefects, f.ndefects);
	ck_assert_mem_eq(g.defects, f.defects, f.ndefects * sizeof *f.defects);
	ck_assert_uint_eq(f.defects[0][0], 492);
	ck_assert_uint_eq(f.defects[0][1], 8);
	ck_assert_uint_eq(f.defects[261][0], 201);
	ck_assert_uint_eq(f.defects[261][1], 511);
}
END_TEST

START_TEST(test_flat_shapes)
{
	static const struct { const char *name; uint32_t w, h; } cases[] = {
		{"flat-1", 1, 1},       {"flat-2", 2, 1},         {"flat-7", 7, 1},
		{"flat-12", 4, 3},      {"flat-16", 4, 4},        {"flat-18", 6, 3},
		{"flat-1000", 40, 25},  {"flat-65521", 65521, 1}, {"flat-1048576", 1024, 1024},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		owg_fabric f = preset(cases[i].name);
		ck_assert_str_eq(f.name, cases[i].name);
		ck_assert(f.flat);
		ck_assert_uint_eq(f.grid_w[OWG_FAB_CLUSTER], cases[i].w);
		ck_assert_uint_eq(f.grid_h[OWG_FAB_CLUSTER], cases[i].h);
		ck_assert_uint_eq(owg_fabric_width(&f), cases[i].w);
		ck_assert_uint_eq(owg_fabric_height(&f), cases[i].h);
		ck_assert_uint_eq(owg_fabric_peas(&f), (uint64_t)cases[i].w * cases[i].h);
		ck_assert_uint_eq(owg_fabric_clusters(&f), 1);
		ck_assert_uint_eq(f.ndefects, 0);
		ck_assert_time(f.hop_latency[OWG_FAB_PEA], 0);
		ck_assert_time(f.control_latency, 0);
	}
	/* leading zeros are read as a number; the name is canonical */
	ck_assert_str_eq(preset("flat-016").name, "flat-16");
}
END_TEST

START_TEST(test_preset_errors)
{
	ck_assert_str_eq(preset_error("wafr"), "unknown fabric preset 'wafr'; did you mean 'wafer'? "
					       "(presets: default, chiplet, wafer, flat-N)");
	ck_assert_str_eq(preset_error("chiplets"), "unknown fabric preset 'chiplets'; did you mean 'chiplet'? "
						   "(presets: default, chiplet, wafer, flat-N)");
	/* names are case-sensitive */
	ck_assert_str_eq(preset_error("DEFAULT"), "unknown fabric preset 'DEFAULT'; did you mean 'default'? "
						  "(presets: default, chiplet, wafer, flat-N)");
	ck_assert_str_eq(preset_error("Flat-16"), "unknown fabric preset 'Flat-16'; did you mean 'flat-16'? "
						  "(presets: default, chiplet, wafer, flat-N)");
	ck_assert_str_eq(preset_error("flat16"), "unknown fabric preset 'flat16'; did you mean 'flat-16'? "
						 "(presets: default, chiplet, wafer, flat-N)");
	ck_assert_str_eq(preset_error("mesh"), "unknown fabric preset 'mesh' (presets: default, chiplet, wafer, "
					       "flat-N)");
	ck_assert_str_eq(preset_error(""), "unknown fabric preset '' (presets: default, chiplet, wafer, flat-N)");
	ck_assert_str_eq(preset_error("flat-0"),
			 "invalid fabric 'flat-0': flat-N takes a PEA count N from 1 to 1048576");
	ck_assert_str_eq(preset_error("flat-2000000"),
			 "invalid fabric 'flat-2000000': flat-N takes a PEA count N from 1 to 1048576");
	ck_assert_str_eq(preset_error("flat-1048577"),
			 "invalid fabric 'flat-1048577': flat-N takes a PEA count N from 1 to 1048576");
	ck_assert_str_eq(preset_error("flat-99999999999999999999999"),
			 "invalid fabric 'flat-99999999999999999999999': flat-N takes a PEA count N from 1 to "
			 "1048576");
	ck_assert_str_eq(preset_error("flat-x"), "invalid fabric 'flat-x': flat-N takes a PEA count N, as in "
						 "'flat-64'");
	ck_assert_str_eq(preset_error("flat-"), "invalid fabric 'flat-': flat-N takes a PEA count N, as in "
						"'flat-64'");
	ck_assert_str_eq(preset_error("flat--4"), "invalid fabric 'flat--4': flat-N takes a PEA count N, as in "
						  "'flat-64'");
	ck_assert_str_eq(preset_error("flat-16 "), "invalid fabric 'flat-16 ': flat-N takes a PEA count N, as "
						   "in 'flat-64'");
	/* a short buffer gets a truncated message, a NULL one none */
	owg_fabric f;
	char small[8];
	ck_assert(!owg_fabric_preset("nope", &f, &arena, small, sizeof small));
	ck_assert_str_eq(small, "unknown");
	ck_assert(!owg_fabric_preset("nope", &f, &arena, NULL, 0));
}
END_TEST

static char *capture_list(void (*fn)(const owg_fabric *, FILE *), const owg_fabric *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (fn)
		fn(f, out);
	else
		owg_fabric_list(out);
	fclose(out);
	return buf;
}

START_TEST(test_list)
{
	char *s = capture_list(NULL, NULL);
	ck_assert_ptr_nonnull(strstr(s, "default   1x1 chiplets of 4x4 clusters of 4x4 PEAs"));
	ck_assert_ptr_nonnull(strstr(s, "256 PEAs"));
	ck_assert_ptr_nonnull(strstr(s, "chiplet   2x2 chiplets of 4x4 clusters of 4x4 PEAs"));
	ck_assert_ptr_nonnull(strstr(s, "1,024 PEAs"));
	ck_assert_ptr_nonnull(strstr(s, "wafer     16x16 dies of 8x8 clusters of 4x4 PEAs"));
	ck_assert_ptr_nonnull(strstr(s, "262,144 PEAs  262 defects"));
	ck_assert_ptr_nonnull(strstr(s, "flat-N    N identical PEAs"));
	size_t lines = 0;
	for (const char *p = s; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 5); /* a header and four presets */
	free(s);
}
END_TEST

START_TEST(test_info)
{
	owg_fabric f = preset("wafer");
	char *s = capture_list(owg_fabric_info, &f);
	static const char *const want[] = {
		"fabric wafer\n",
		"  hierarchy        16x16 chiplets of 8x8 clusters of 4x4 PEAs\n",
		"    chiplet        8x8 clusters (32x32 PEAs)\n",
		"  mesh             512x512 PEAs, 128x128 clusters, 16x16 chiplets\n",
		"  defects          (492, 8) (221, 9) (75, 12) ",
		"  PEAs             262,144 (262 defective, 261,882 usable)\n",
		" and 254 more\n",
		"    pea            1 ns,     64 GiB/s    between PEAs of a cluster\n",
		"    cluster        4 ns,     32 GiB/s    between clusters of a chiplet\n",
		"    chiplet        16 ns,    32 GiB/s    between chiplets\n",
		"  reconfiguration  8 GiB/s per PEA\n",
		"  control latency  20 ns\n",
		"  flat             no\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		ck_assert_msg(strstr(s, want[i]) != NULL, "missing \"%s\" in:\n%s", want[i], s);
	free(s);
	f = preset("flat-6");
	s = capture_list(owg_fabric_info, &f);
	ck_assert_msg(strstr(s, "  mesh             3x2 PEAs, 1x1 clusters, 1x1 chiplets\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "  flat             yes: 6 identical PEAs; transfers, reconfiguration and control "
				"cost nothing\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "    pea            0 ns,") != NULL, "%s", s);
	free(s);
}
END_TEST

/* --- geometry --- */

START_TEST(test_geometry_chiplet)
{
	/* 32x32 PEAs: clusters of 4x4 (an 8x8 cluster mesh), chiplets of
	 * 16x16 PEAs (a 2x2 chiplet mesh) */
	owg_fabric f = preset("chiplet");
	static const struct { uint32_t x, y, cluster, chiplet; } cases[] = {
		{0, 0, 0, 0},     {3, 0, 0, 0},     {4, 0, 1, 0},   {0, 3, 0, 0},   {0, 4, 8, 0},
		{3, 3, 0, 0},     {4, 4, 9, 0},     {15, 0, 3, 0},  {16, 0, 4, 1},  {15, 15, 27, 0},
		{16, 15, 28, 1},  {15, 16, 35, 2},  {16, 16, 36, 3}, {31, 0, 7, 1}, {0, 31, 56, 2},
		{31, 31, 63, 3},  {17, 21, 44, 3},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint32_t p = at(&f, cases[i].x, cases[i].y);
		ck_assert_msg(owg_fabric_cluster_of(&f, p) == cases[i].cluster, "cluster_of(%u, %u) = %u, want %u",
			      cases[i].x, cases[i].y, owg_fabric_cluster_of(&f, p), cases[i].cluster);
		ck_assert_msg(owg_fabric_chiplet_of(&f, p) == cases[i].chiplet, "chiplet_of(%u, %u) = %u, want %u",
			      cases[i].x, cases[i].y, owg_fabric_chiplet_of(&f, p), cases[i].chiplet);
	}
	ck_assert_uint_eq(at(&f, 16, 15), 496);
}
END_TEST

START_TEST(test_geometry_wafer)
{
	owg_fabric f = preset("wafer");
	/* dies of 32x32 PEAs, 16 across */
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 31, 31)), 0);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 32, 31)), 1);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 31, 32)), 16);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 511, 511)), 255);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 511, 511)), 128 * 128 - 1);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 4, 1)), 1);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 0, 4)), 128);
	ck_assert_uint_eq(owg_fabric_peas(&f) - 1, at(&f, 511, 511));
}
END_TEST

START_TEST(test_geometry_rectangular)
{
	/* a fabric with different sides at every level: clusters 3x2 PEAs,
	 * chiplets 2x3 clusters (6x6 PEAs), 3x1 chiplets: an 18x6 mesh */
	owg_fabric f = preset("default");
	f.grid_w[OWG_FAB_CLUSTER] = 3, f.grid_h[OWG_FAB_CLUSTER] = 2;
	f.grid_w[OWG_FAB_CHIPLET] = 2, f.grid_h[OWG_FAB_CHIPLET] = 3;
	f.grid_w[OWG_FAB_PACKAGE] = 3, f.grid_h[OWG_FAB_PACKAGE] = 1;
	ck_assert_uint_eq(owg_fabric_width(&f), 18);
	ck_assert_uint_eq(owg_fabric_height(&f), 6);
	ck_assert_uint_eq(owg_fabric_cluster_cols(&f), 6);
	ck_assert_uint_eq(owg_fabric_cluster_rows(&f), 3);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 2, 1)), 0);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 3, 1)), 1);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 3, 2)), 7);
	ck_assert_uint_eq(owg_fabric_cluster_of(&f, at(&f, 17, 5)), 17);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 5, 5)), 0);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 6, 0)), 1);
	ck_assert_uint_eq(owg_fabric_chiplet_of(&f, at(&f, 17, 5)), 2);
	/* (5,1) -> (6,4): x crosses a chiplet boundary, y two cluster ones
	 * and one PEA hop: 16 + 2 * 4 + 1 ns */
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 5, 1), at(&f, 6, 4)), 4);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 5, 1), at(&f, 6, 4), 0), 25 * NS);
}
END_TEST

START_TEST(test_defect_map)
{
	owg_fabric f = preset("default");
	uint32_t d[3][2] = {{3, 4}, {15, 0}, {3, 4}}; /* a repeat counts once */
	f.defects = d;
	f.ndefects = 3;
	uint8_t *map = owg_fabric_defect_map(&f);
	ck_assert_ptr_nonnull(map);
	uint32_t set = 0;
	for (uint32_t p = 0; p < 256; p++)
		set += map[p];
	ck_assert_uint_eq(set, 2);
	ck_assert_uint_eq(map[4 * 16 + 3], 1);
	ck_assert_uint_eq(map[15], 1);
	free(map);
	ck_assert_uint_eq(owg_fabric_usable_peas(&f), 254);
}
END_TEST

/* --- costs --- */

START_TEST(test_hops)
{
	owg_fabric f = preset("chiplet");
	ck_assert_uint_eq(owg_fabric_hops(&f, 0, 0), 0);
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 0, 0), at(&f, 1, 0)), 1);
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 0, 0), at(&f, 0, 1)), 1);
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 31, 0), at(&f, 0, 1)), 32); /* not a neighbour */
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 5, 9), at(&f, 20, 2)), 22);
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 20, 2), at(&f, 5, 9)), 22);
	ck_assert_uint_eq(owg_fabric_hops(&f, at(&f, 0, 0), at(&f, 31, 31)), 62);
}
END_TEST

START_TEST(test_transfer_each_level)
{
	/* chiplet: hops of 1, 4, 20 ns; links of 64, 32, 16 GiB/s */
	owg_fabric f = preset("chiplet");
	double gib = GIB;
	/* the same PEA costs nothing */
	ck_assert_time(owg_fabric_transfer_time(&f, 37, 37, 1e9), 0);
	/* inside a cluster: (0,0) -> (3,3), 6 PEA hops */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 0, 0), at(&f, 3, 3), 0), 6 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 0, 0), at(&f, 1, 0), 64 * gib), 1 + 1 * NS);
	/* one hop across a cluster boundary: no PEA-level link on the way */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 3, 0), at(&f, 4, 0), 32 * gib), 1 + 4 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 0, 3), at(&f, 0, 4), 0), 4 * NS);
	/* (0,0) -> (7,0): 6 PEA hops and 1 cluster hop, at 32 GiB/s */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 0, 0), at(&f, 7, 0), 1024), 10 * NS + 1024 / (32 * gib));
	/* one hop between chiplets: the die-to-die link only */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 15, 0), at(&f, 16, 0), 16 * gib), 1 + 20 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 16, 15), at(&f, 16, 16), 0), 20 * NS);
	/* corner to corner: per side 31 hops = 24 PEA + 6 cluster + 1 chiplet;
	 * 48 * 1 + 12 * 4 + 2 * 20 = 136 ns, at 16 GiB/s */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 0, 0), at(&f, 31, 31), 4096), 136 * NS + 4096 / (16 * gib));
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 31, 31), at(&f, 0, 0), 4096), 136 * NS + 4096 / (16 * gib));
	/* (5,9) -> (20,2): x 5..20 crosses clusters at 8, 12, 16 and 20 (16
	 * is a chiplet boundary), 15 hops = 11 + 3 + 1; y 2..9 crosses at 4
	 * and 8, 7 hops = 5 + 2 + 0: 16 * 1 + 5 * 4 + 1 * 20 = 56 ns */
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 5, 9), at(&f, 20, 2), 0), 56 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 20, 2), at(&f, 5, 9), 0), 56 * NS);
	/* the narrowest link is the bottleneck even when it is on chip */
	f.link_bandwidth[OWG_FAB_PEA] = 1 * gib;
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 15, 0), at(&f, 16, 0), 16 * gib), 1 + 20 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 14, 0), at(&f, 16, 0), 1 * gib), 1 + 21 * NS);
	/* reconfiguration at 8 GiB/s */
	ck_assert_time(owg_fabric_reconfig_time(&f, 8 * gib), 1);
	ck_assert_time(owg_fabric_reconfig_time(&f, 0), 0);
}
END_TEST

START_TEST(test_transfer_wafer)
{
	/* wafer: dies of 32x32 PEAs, 16 ns and 32 GiB/s between dies */
	owg_fabric f = preset("wafer");
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 31, 0), at(&f, 32, 0), 0), 16 * NS);
	ck_assert_time(owg_fabric_transfer_time(&f, at(&f, 31, 0), at(&f, 32, 0), 32 * GIB), 1 + 16 * NS);
	/* corner to corner: per side 511 hops = 15 die, 112 cluster, 384 PEA */
	ck_assert_time(owg_fabric_transfer_time(&f, 0, at(&f, 511, 511), 0), (768 + 224 * 4 + 30 * 16) * NS);
}
END_TEST

START_TEST(test_flat_costs)
{
	owg_fabric f = preset("flat-64");
	ck_assert_uint_eq(owg_fabric_hops(&f, 0, 63), 14);
	ck_assert_time(owg_fabric_transfer_time(&f, 0, 63, 1e12), 0);
	ck_assert_time(owg_fabric_transfer_time(&f, 5, 5, 1e12), 0);
	ck_assert_time(owg_fabric_reconfig_time(&f, 1e12), 0);
}
END_TEST

/* --- resolution --- */

typedef struct resolved {
	bool ok;
	owg_fabric f;
	char *diags;
} resolved;

static resolved resolve(const char *spec, const owg_graph *g)
{
	resolved r = {0};
	size_t len = 0;
	FILE *out = open_memstream(&r.diags, &len);
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, out);
	r.ok = owg_fabric_resolve(spec, g, &sm, d, &arena, &r.f);
	ck_assert_msg(r.ok == (owg_diag_errors(d) == 0), "result and errors disagree for '%s'", spec ? spec : "NULL");
	owg_diag_free(d);
	fclose(out);
	owg_src_free(&sm);
	return r;
}

static const char fabric_src[] =
	"fabric duo {\n"
	"  cluster 4x4;\n"
	"  chiplet 2x2;\n"
	"  package 2x1;\n"
	"  hop chiplet 12ns 16GiB/s;\n"
	"  defect 3, 4;\n"
	"  defect 12, 0;\n"
	"}\n"
	"fabric trio { cluster 2x2; package 3x1; }\n"
	"workflow w {\n"
	"  task a : ai { time 1ms; }\n"
	"  task b : ai { time 1ms; }\n"
	"  a -> b : 1KiB;\n"
	"}\n";

static void check_duo(const owg_fabric *f)
{
	ck_assert_str_eq(f->name, "duo");
	ck_assert(!f->flat);
	ck_assert_uint_eq(owg_fabric_width(f), 16);
	ck_assert_uint_eq(owg_fabric_height(f), 8);
	ck_assert_time(f->hop_latency[OWG_FAB_CHIPLET], 12 * NS);
	ck_assert_time(f->link_bandwidth[OWG_FAB_CHIPLET], 16 * GIB);
	ck_assert_time(f->hop_latency[OWG_FAB_CLUSTER], 4 * NS); /* a default */
	ck_assert_uint_eq(f->ndefects, 2);
	ck_assert_uint_eq(f->defects[1][0], 12);
	ck_assert_uint_eq(f->defects[1][1], 0);
	ck_assert_uint_eq(owg_fabric_usable_peas(f), 126);
}

START_TEST(test_resolve_default_and_input)
{
	resolved r = resolve(NULL, NULL);
	ck_assert(r.ok);
	ck_assert_str_eq(r.f.name, "default");
	free(r.diags);

	compiled c = compile_src(fabric_src, NULL);
	ck_assert_msg(c.g != NULL, "%s", c.diags);
	r = resolve(NULL, c.g);
	ck_assert(r.ok);
	check_duo(&r.f);
	ck_assert_ptr_ne(r.f.defects, c.g->fabrics.v[0].defects); /* a copy that outlives the graph */
	free(r.diags);
	r = resolve("trio", c.g);
	ck_assert(r.ok);
	ck_assert_str_eq(r.f.name, "trio");
	ck_assert_uint_eq(owg_fabric_width(&r.f), 6);
	free(r.diags);
	r = resolve("chiplet", c.g);
	ck_assert(r.ok);
	ck_assert_str_eq(r.f.name, "chiplet");
	free(r.diags);
	r = resolve("flat-9", c.g);
	ck_assert(r.ok);
	ck_assert(r.f.flat);
	ck_assert_uint_eq(owg_fabric_width(&r.f), 3);
	free(r.diags);
	/* a workflow without fabric blocks gets the default */
	compiled_free(&c);
	c = compile_src("workflow w { task a : ai { time 1ms; } }\n", NULL);
	ck_assert_ptr_nonnull(c.g);
	r = resolve(NULL, c.g);
	ck_assert(r.ok);
	ck_assert_str_eq(r.f.name, "default");
	free(r.diags);
	compiled_free(&c);
}
END_TEST

START_TEST(test_resolve_errors)
{
	compiled c = compile_src(fabric_src, NULL);
	ck_assert_ptr_nonnull(c.g);
	resolved r = resolve("dou", c.g);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diags, "owgc: error: unknown fabric 'dou' (not a preset, a fabric of the input or a "
				  "file); did you mean 'duo'? Presets: default, chiplet, wafer, flat-N; see owgc "
				  "--list-fabrics\n");
	free(r.diags);
	r = resolve("wafe", c.g);
	ck_assert_str_eq(r.diags, "owgc: error: unknown fabric 'wafe' (not a preset, a fabric of the input or a "
				  "file); did you mean 'wafer'? Presets: default, chiplet, wafer, flat-N; see owgc "
				  "--list-fabrics\n");
	free(r.diags);
	r = resolve("Chiplet", NULL);
	ck_assert_str_eq(r.diags, "owgc: error: unknown fabric 'Chiplet' (not a preset, a fabric of the input or a "
				  "file); did you mean 'chiplet'? Presets: default, chiplet, wafer, flat-N; see owgc "
				  "--list-fabrics\n");
	free(r.diags);
	r = resolve("/nonexistent/quartz.owg", c.g);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diags, "owgc: error: unknown fabric '/nonexistent/quartz.owg' (not a preset, a fabric of "
				  "the input or a file). Presets: default, chiplet, wafer, flat-N; see owgc "
				  "--list-fabrics\n");
	free(r.diags);
	r = resolve("flat-0", c.g);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diags, "owgc: error: invalid fabric 'flat-0': flat-N takes a PEA count N from 1 to "
				  "1048576\n");
	free(r.diags);
	r = resolve("flat-x", NULL);
	ck_assert_str_eq(r.diags, "owgc: error: invalid fabric 'flat-x': flat-N takes a PEA count N, as in "
				  "'flat-64'\n");
	free(r.diags);
	r = resolve("flat-2000000", NULL);
	ck_assert_str_eq(r.diags, "owgc: error: invalid fabric 'flat-2000000': flat-N takes a PEA count N from 1 "
				  "to 1048576\n");
	free(r.diags);
	compiled_free(&c);
}
END_TEST

/* Writes text to a fresh temporary file named ...suffix; returns its path (free it). */
static char *temp_file(const char *suffix, const char *text)
{
	char *path = malloc(64);
	snprintf(path, 64, "/tmp/owg-fabric-XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	ck_assert_int_ge(fd, 0);
	size_t n = strlen(text);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

START_TEST(test_resolve_files)
{
	/* an .owg source: its first fabric block */
	char *src = temp_file(".owg", fabric_src);
	resolved r = resolve(src, NULL);
	ck_assert_msg(r.ok, "%s", r.diags);
	check_duo(&r.f);
	free(r.diags);

	/* a file of fabric blocks alone, no workflow needed */
	char *alone = temp_file(".owg", "fabric solo { cluster 8x8; control 5ns; }\n");
	r = resolve(alone, NULL);
	ck_assert_msg(r.ok, "%s", r.diags);
	ck_assert_str_eq(r.f.name, "solo");
	ck_assert_uint_eq(owg_fabric_peas(&r.f), 64);
	ck_assert_time(r.f.control_latency, 5 * NS);
	free(r.diags);

	/* IR text (.owgir), as owgc --emit=ir prints it */
	compiled c = compile_src(fabric_src, NULL);
	ck_assert_ptr_nonnull(c.g);
	char *ir = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&ir, &len);
	owg_ir_print(c.g, out);
	fclose(out);
	char *irf = temp_file(".owgir", ir);
	r = resolve(irf, NULL);
	ck_assert_msg(r.ok, "%s", r.diags);
	check_duo(&r.f);
	free(r.diags);
	free(ir);
	compiled_free(&c);

	/* errors: no fabric, a bad fabric block, a syntax error, a directory */
	char *none = temp_file(".owg", "workflow w { task a : ai { time 1ms; } }\n");
	r = resolve(none, NULL);
	ck_assert(!r.ok);
	char want[256];
	snprintf(want, sizeof want, "owgc: error: '%s' defines no fabric\n", none);
	ck_assert_str_eq(r.diags, want);
	free(r.diags);

	char *bad = temp_file(".owg", "fabric f { clustr 4x4; }\n");
	r = resolve(bad, NULL);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.diags, ":1:12: error: unknown fabric property 'clustr'; did you mean 'cluster'?\n") !=
		      NULL, "%s", r.diags);
	free(r.diags);

	char *twice = temp_file(".owg", "fabric f { }\nfabric f { }\n");
	r = resolve(twice, NULL);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.diags, "error: redefinition of 'f'") != NULL, "%s", r.diags);
	free(r.diags);

	char *syntax = temp_file(".owg", "fabric { cluster 4x4; }\n");
	r = resolve(syntax, NULL);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.diags, "error:") != NULL, "%s", r.diags);
	free(r.diags);

	char *badir = temp_file(".owgir", "owgir 1\nworkflow \"w\"\nfabric \"f\" cluster 4x\n");
	r = resolve(badir, NULL);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.diags, "error:") != NULL, "%s", r.diags);
	free(r.diags);

	r = resolve("/tmp", NULL);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diags, "owgc: error: cannot read fabric file '/tmp': Is a directory\n");
	free(r.diags);

	char *paths[] = {src, alone, irf, none, bad, twice, syntax, badir};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
}
END_TEST

START_TEST(test_lower_fabrics)
{
	/* owg_sema_lower_fabrics: every fabric block, in order, no workflow */
	static const char text[] = "fabric a { cluster 2x2; }\nfabric b { cluster 3x3; defect 2, 2; }\n";
	owg_srcmgr sm;
	owg_src_init(&sm);
	owg_diag *d = owg_diag_new(&sm, stderr);
	owg_arena tmp;
	owg_arena_init(&tmp);
	ast_file *file = owg_parse(&tmp, d, &sm, owg_src_add(&sm, "f.owg", text, strlen(text)));
	ck_assert_ptr_nonnull(file);
	owg_fabric *fabs = NULL;
	size_t n = 0;
	ck_assert(owg_sema_lower_fabrics(d, &file, 1, &arena, &fabs, &n));
	owg_arena_free(&tmp); /* the fabrics live in `arena` */
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(fabs[0].name, "a");
	ck_assert_str_eq(fabs[1].name, "b");
	ck_assert_uint_eq(owg_fabric_peas(&fabs[0]), 4);
	ck_assert_uint_eq(owg_fabric_peas(&fabs[1]), 9);
	ck_assert_uint_eq(fabs[1].ndefects, 1);
	ck_assert_uint_eq(fabs[1].defects[0][0], 2);
	ck_assert_uint_eq(owg_fabric_usable_peas(&fabs[1]), 8);
	ck_assert_uint_eq(owg_diag_errors(d), 0);
	owg_diag_free(d);
	owg_src_free(&sm);
}
END_TEST

Suite *suite_fabric(void)
{
	Suite *s = suite_create("fabric");
	TCase *tc = tcase_create("presets");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default);
	tcase_add_test(tc, test_chiplet);
	tcase_add_test(tc, test_wafer);
	tcase_add_test(tc, test_flat_shapes);
	tcase_add_test(tc, test_preset_errors);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_info);
	suite_add_tcase(s, tc);
	tc = tcase_create("geometry");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_geometry_chiplet);
	tcase_add_test(tc, test_geometry_wafer);
	tcase_add_test(tc, test_geometry_rectangular);
	tcase_add_test(tc, test_defect_map);
	suite_add_tcase(s, tc);
	tc = tcase_create("costs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hops);
	tcase_add_test(tc, test_transfer_each_level);
	tcase_add_test(tc, test_transfer_wafer);
	tcase_add_test(tc, test_flat_costs);
	suite_add_tcase(s, tc);
	tc = tcase_create("resolve");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_resolve_default_and_input);
	tcase_add_test(tc, test_resolve_errors);
	tcase_add_test(tc, test_resolve_files);
	tcase_add_test(tc, test_lower_fabrics);
	suite_add_tcase(s, tc);
	return s;
}
