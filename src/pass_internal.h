/* pass_internal.h - the passes of the pipeline (pass.c lists them). */
#ifndef OWG_PASS_INTERNAL_H
#define OWG_PASS_INTERNAL_H

#include "pass.h"

bool owg_pass_profile_attach(owg_pass_ctx *ctx);
bool owg_pass_time_stats(owg_pass_ctx *ctx);
bool owg_pass_branch_freq(owg_pass_ctx *ctx);
bool owg_pass_load(owg_pass_ctx *ctx);
bool owg_pass_discriminate(owg_pass_ctx *ctx);
bool owg_pass_partition(owg_pass_ctx *ctx);
bool owg_pass_place(owg_pass_ctx *ctx);
bool owg_pass_plan(owg_pass_ctx *ctx);

#endif
