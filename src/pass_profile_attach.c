#include "config.h"

/* pass_profile_attach.c - reads the profile of --profile-use and binds it
 * to the graph: a profile of another workflow (or of another structure of
 * this one) is refused, a stale one (the declared models changed since)
 * is used with a warning.  Without --profile-use the pass does nothing. */

#include "pass_internal.h"
#include "profile.h"

bool owg_pass_profile_attach(owg_pass_ctx *ctx)
{
	const char *path = ctx->opts->profile_use;
	if (!path)
		return true;
	const char *why = NULL;
	uint32_t file = owg_src_load(ctx->sm, path, &why);
	if (file == OWG_NOFILE) {
		owg_diag_error(ctx->diag, OWG_LOC_NONE, "cannot read profile '%s': %s", path, why);
		return false;
	}
	const owg_source *src = owg_src_get(ctx->sm, file);
	owg_profile *p = owg_prof_read(src->text, src->len, file, ctx->diag);
	if (!p)
		return false;
	if (!owg_prof_bind(p, ctx->g, ctx->diag)) {
		owg_prof_free(p);
		return false;
	}
	ctx->profile = p;
	return true;
}
