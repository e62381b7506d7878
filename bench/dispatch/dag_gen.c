/* dag_gen - one random layered DAG for bench/dispatch.sh, written both as
 * an owg workflow and as a plain edge list that the baselines read.
 *
 *   dag_gen [--width W] [--layers L] [--preds P] [--seed S] [--name NAME]
 *           [--kernel K] [--time T] --owg FILE --edges FILE
 *
 * W x L tasks (default 50 x 20 = 1,000), numbered layer by layer: t0 ..
 * t(W-1) the first layer, and so on.  Every task past the first layer has
 * 1 to P (default 3) distinct predecessors drawn uniformly from the
 * previous layer; the draws depend only on the seed (default 1), through
 * splitmix64, so the same flags give the same DAG on every machine.
 *
 * The owg workflow NAME (default dag) has one task per node,
 *   task tN : general { peas 1; time T; kernel "K"; }
 * (T default 1us, K default empty) and one flow `tA -> tB : 0B;` per edge.
 * The edge list is
 *   # comment lines
 *   tasks N edges E
 *   A B          (E lines, A before B, sorted by B then A)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;
static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }

static void usage(void)
{
	fputs("usage: dag_gen [--width W] [--layers L] [--preds P] [--seed S] [--name NAME]\n"
	      "               [--kernel K] [--time T] --owg FILE --edges FILE\n", stderr);
	exit(2);
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned width = 50, layers = 20, maxp = 3;
	uint64_t seed = 1;
	const char *name = "dag", *kernel = "empty", *time = "1us", *owg = NULL, *edges = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (!strcmp(a, "--width")) width = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--layers")) layers = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--preds")) maxp = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--name")) name = v;
		else if (!strcmp(a, "--kernel")) kernel = v;
		else if (!strcmp(a, "--time")) time = v;
		else if (!strcmp(a, "--owg")) owg = v;
		else if (!strcmp(a, "--edges")) edges = v;
		else usage();
		i++;
	}
	if (!owg || !edges || width < 1 || layers < 1 || maxp < 1)
		usage();
	if (maxp > width)
		maxp = width;
	rng = seed;
	unsigned n = width * layers;
	/* predecessors of every task: at most maxp each */
	unsigned *pred = malloc(sizeof *pred * (size_t)n * maxp), *np = calloc(n, sizeof *np);
	unsigned *pick = malloc(sizeof *pick * width);
	if (!pred || !np || !pick)
		return 1;
	size_t ne = 0;
	for (unsigned l = 1; l < layers; l++)
		for (unsigned w = 0; w < width; w++) {
			unsigned t = l * width + w, k = 1 + below(maxp);
			/* k distinct tasks of layer l-1: a partial Fisher-Yates shuffle */
			for (unsigned j = 0; j < width; j++)
				pick[j] = j;
			for (unsigned j = 0; j < k; j++) {
				unsigned r = j + below(width - j), s = pick[j];
				pick[j] = pick[r];
				pick[r] = s;
			}
			qsort(pick, k, sizeof *pick, cmp_u);
			for (unsigned j = 0; j < k; j++)
				pred[(size_t)t * maxp + j] = (l - 1) * width + pick[j];
			np[t] = k;
			ne += k;
		}
	FILE *fo = fopen(owg, "w"), *fe = fopen(edges, "w");
	if (!fo || !fe) {
		perror("dag_gen");
		return 1;
	}
	fprintf(fo, "// bench/dispatch/dag_gen --width %u --layers %u --preds %u --seed %" PRIu64
	        ": %u tasks, %zu flows\nworkflow %s {\n", width, layers, maxp, seed, n, ne, name);
	for (unsigned t = 0; t < n; t++)
		fprintf(fo, "  task t%u : general { peas 1; time %s; kernel \"%s\"; }\n", t, time, kernel);
	fprintf(fe, "# bench/dispatch/dag_gen --width %u --layers %u --preds %u --seed %" PRIu64 "\n"
	        "tasks %u edges %zu\n", width, layers, maxp, seed, n, ne);
	for (unsigned t = 0; t < n; t++)
		for (unsigned j = 0; j < np[t]; j++) {
			fprintf(fo, "  t%u -> t%u : 0B;\n", pred[(size_t)t * maxp + j], t);
			fprintf(fe, "%u %u\n", pred[(size_t)t * maxp + j], t);
		}
	fputs("}\n", fo);
	if (fclose(fo) || fclose(fe)) {
		perror("dag_gen");
		return 1;
	}
	free(pred);
	free(np);
	free(pick);
	return 0;
}
