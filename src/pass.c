#include "config.h"

/* pass.c - the pass table and the driver of the pipeline. */

#include "pass.h"

#include <string.h>
#include <time.h>

#include "fabric.h"
#include "pass_internal.h"
#include "plan.h"
#include "profile.h"

static const owg_pass pipeline[] = {
	{"profile-attach", "read --profile-use and check that it belongs to this workflow",
	 owg_pass_profile_attach},
	{"time-stats", "execution-time statistics per task; steady or volatile", owg_pass_time_stats},
	{"branch-freq", "arm probabilities and executions per request; stable or bursty",
	 owg_pass_branch_freq},
	{"load", "PEA-time per task, the critical path, bounds on latency and throughput",
	 owg_pass_load},
	{"discriminate", "pinned or elastic tasks, the target rate, replicas, elastic demand",
	 owg_pass_discriminate},
	{"partition", "both bindings laid out on the fabric, balanced and near their flows",
	 owg_pass_partition},
	{"place", "the layout improved by moves (budget by -O, --seed)", owg_pass_place},
	{"plan", "elastic pools, expected traffic and the legality check", owg_pass_plan},
};

void owg_pass_opts_init(owg_pass_opts *o)
{
	memset(o, 0, sizeof *o);
	o->cv_threshold = OWG_DEFAULT_CV_THRESHOLD;
	o->burst_threshold = OWG_DEFAULT_BURST_THRESHOLD;
	o->dump_out = stderr;
	o->seed = 1;
	o->opt = 1;
}

/* The target: --fabric, else the one of the placement the input carries,
 * else the input's first fabric block, else the default preset. */
static bool choose_fabric(owg_pass_ctx *ctx)
{
	if (ctx->opts->fabric) {
		ctx->fabric = *ctx->opts->fabric;
		return true;
	}
	if (ctx->g->plan) {
		ctx->fabric = ctx->g->plan->fabric;
		return true;
	}
	if (ctx->g->fabrics.n) {
		ctx->fabric = ctx->g->fabrics.v[0];
		return true;
	}
	char err[256];
	if (owg_fabric_preset("default", &ctx->fabric, &ctx->g->arena, err, sizeof err))
		return true;
	owg_diag_error(ctx->diag, OWG_LOC_NONE, "%s", err);
	return false;
}

const owg_pass *owg_pipeline(size_t *n)
{
	*n = sizeof pipeline / sizeof *pipeline;
	return pipeline;
}

const owg_pass *owg_pass_find(const char *name)
{
	for (size_t i = 0; i < sizeof pipeline / sizeof *pipeline; i++)
		if (!strcmp(pipeline[i].name, name))
			return &pipeline[i];
	return NULL;
}

void owg_pipeline_print(FILE *out)
{
	for (size_t i = 0; i < sizeof pipeline / sizeof *pipeline; i++)
		fprintf(out, "%-15s %s\n", pipeline[i].name, pipeline[i].what);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool owg_pipeline_run(owg_pass_ctx *ctx)
{
	const owg_pass_opts *o = ctx->opts;
	double secs[sizeof pipeline / sizeof *pipeline] = {0};
	size_t ran = 0;
	bool ok = choose_fabric(ctx);
	for (size_t i = 0; i < sizeof pipeline / sizeof *pipeline && ok; i++) {
		const owg_pass *p = &pipeline[i];
		double t0 = o->time_passes ? now() : 0;
		ok = p->run(ctx) && owg_diag_errors(ctx->diag) == 0;
		if (o->time_passes)
			secs[i] = now() - t0;
		ran = i + 1;
		if (ok && o->verify_each && owg_ir_verify(ctx->g, ctx->diag) != 0) {
			owg_diag_error(ctx->diag, OWG_LOC_NONE, "the IR is broken after pass '%s'", p->name);
			ok = false;
		}
		if (ok && o->dump_after && (!strcmp(o->dump_after, "all") || !strcmp(o->dump_after, p->name))) {
			fprintf(o->dump_out, "; IR after %s\n", p->name);
			owg_ir_print(ctx->g, o->dump_out);
		}
		if (o->stop_after && !strcmp(o->stop_after, p->name))
			break;
	}
	if (o->time_passes) {
		double total = 0;
		for (size_t i = 0; i < ran; i++)
			total += secs[i];
		fprintf(o->dump_out, "pass time (wall clock)\n");
		for (size_t i = 0; i < ran; i++)
			fprintf(o->dump_out, "  %10.6f s  %5.1f%%  %s\n", secs[i],
				total > 0 ? 100 * secs[i] / total : 0.0, pipeline[i].name);
		fprintf(o->dump_out, "  %10.6f s  100.0%%  total\n", total);
	}
	return ok;
}

void owg_pass_ctx_free(owg_pass_ctx *ctx)
{
	owg_prof_free(ctx->profile);
	ctx->profile = NULL;
}
