#!/bin/bash
# tests/llvm-object.sh - the object of `owgc -c` as the system's tools and
# linker see it:
#   1. nm finds the image, the entry and the kernels (undefined);
#   2. its .owgp section, taken out with objcopy, is byte for byte the
#      placement binary `owgc -o x.owgp` writes with the same options, and
#      owgc reads it back;
#   3. linked into a small C program (position-independent, the compiler's
#      default) with kernels that do nothing and its own owgrt_exec_open,
#      which catches the image owg_W_open hands on: the image holds what
#      the workflow says and its predicate runs;
#   4. linked with libowgrt it links; without one of the kernels it fails
#      to link, naming that kernel.
#
# Environment (AM_TESTS_ENVIRONMENT): OWGC, OWG_SRCDIR, OWG_BUILDDIR;
# OWG_CC, OWG_CFLAGS, OWG_LDFLAGS when set (else cc, and the sanitizers
# libowgrt was built with).  Exit 0 pass, 77 skip, 1 fail.
set -u

OWGC=${OWGC:-./owgc}
srcdir=${OWG_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${OWG_BUILDDIR:-.}
CC=${OWG_CC:-cc}
wf=$srcdir/examples/face_recognition.owg
kernels=(frame_convert letterbox_resize scrfd_detect align_5pt arcface_r100 gallery_search)

objcopy=
for t in llvm-objcopy-14 /usr/lib/llvm-14/bin/llvm-objcopy llvm-objcopy objcopy; do
	if command -v "$t" >/dev/null 2>&1; then
		objcopy=$t
		break
	fi
done
if ! command -v nm >/dev/null 2>&1 || [ -z "$objcopy" ] || ! command -v "${CC%% *}" >/dev/null 2>&1; then
	echo "SKIP: llvm-object (needs nm, objcopy and a C compiler)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/llvm-object.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
fails=0
pass() { echo "PASS: $*"; }
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# ------------------------------------------------------------ 1. symbols
if "$OWGC" -c "$wf" -o "$tmp/wf.o" 2>"$tmp/err.txt"; then
	pass "owgc -c"
else
	cat "$tmp/err.txt"
	fail "owgc -c"
	exit 1
fi
nm "$tmp/wf.o" >"$tmp/nm.txt"
ok=1
for s in "[DR] owg_image_face_recognition" "T owg_face_recognition_open" "R owg_owgp_face_recognition" \
	"t owg_face_recognition_pred_[0-9]*" "U owgrt_exec_open"; do
	grep -qx "[0-9a-f ]* $s" "$tmp/nm.txt" || { echo "nm: no '$s'"; ok=0; }
done
for k in "${kernels[@]}"; do
	grep -qx " *U $k" "$tmp/nm.txt" || { echo "nm: kernel $k is not undefined"; ok=0; }
done
if [ $ok = 1 ]; then pass "nm: image, entry, placement, predicate, kernels"; else
	cat "$tmp/nm.txt"
	fail "nm"
fi

# ------------------------------------------------- 2. the .owgp section
# The same options give the same placement; -O2 and another fabric too.
for opts in "" "-O2 --fabric=chiplet"; do
	# shellcheck disable=SC2086
	if ! "$OWGC" -c $opts "$wf" -o "$tmp/o.o" || ! "$OWGC" $opts "$wf" -o "$tmp/want.owgp"; then
		fail "owgc $opts"
		continue
	fi
	rm -f "$tmp/got.owgp"
	case $objcopy in
	*llvm-objcopy*) "$objcopy" --dump-section ".owgp=$tmp/got.owgp" "$tmp/o.o" ;;
	*) "$objcopy" -O binary --only-section=.owgp "$tmp/o.o" "$tmp/got.owgp" ;;
	esac
	if cmp "$tmp/got.owgp" "$tmp/want.owgp"; then
		pass "section .owgp is the placement binary (${opts:-defaults})"
	else
		fail "section .owgp differs from owgc -o x.owgp (${opts:-defaults})"
	fi
done
if "$OWGC" --emit=ir "$tmp/got.owgp" >"$tmp/ir.txt" && grep -qx 'workflow "face_recognition"' "$tmp/ir.txt" &&
	grep -q 'kernel "scrfd_detect"' "$tmp/ir.txt"; then
	pass "owgc --emit=ir reads the section back"
else
	fail "owgc --emit=ir on the section"
fi

# ------------------------------------------------------ 3. a program
# The image as the program sees it, through the entry: kernels by name, the
# predicate (if match.score > 0.62, output 1 of node `match`) on its slot.
cat >"$tmp/app.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "owgrt.h"

#define KERNEL(k) int k(owgrt_task *t); int k(owgrt_task *t) { (void)t; return 0; }
KERNEL(frame_convert) KERNEL(letterbox_resize) KERNEL(align_5pt)
KERNEL(arcface_r100) KERNEL(gallery_search)
#ifndef MISSING
KERNEL(scrfd_detect)
#endif

int owg_face_recognition_open(owgrt_exec **ex, const owgrt_exec_opts *o, char *err, size_t n);

#ifdef INSPECT /* this owgrt_exec_open stands in for libowgrt's, to see what the entry passes */
static const owgrt_image *seen;
int owgrt_exec_open(const owgrt_image *img, const owgrt_exec_opts *o, owgrt_exec **out, char *err, size_t n)
{
	seen = img;
	snprintf(err, n, "caught");
	*out = NULL;
	return o == NULL ? 7 : 8;
}

int main(void)
{
	owgrt_exec *ex = (owgrt_exec *)&ex;
	char err[32] = "";
	if (owg_face_recognition_open(&ex, NULL, err, sizeof err) != 7 || ex || strcmp(err, "caught"))
		return printf("the entry did not pass its arguments on\n"), 1;
	const owgrt_image *img = seen;
	if (img->abi != OWGRT_IMAGE_ABI || strcmp(img->name, "face_recognition") || img->nkernels != 6 ||
	    img->npreds != 1 || img->owgp_size < 16 || memcmp(img->owgp, "\x89OWP", 4) ||
	    ((size_t)img->owgp & 15))
		return printf("bad image header\n"), 1;
	for (unsigned k = 0; k < img->nkernels; k++)
		printf("kernel %s %s\n", img->kernel_names[k], img->kernels[k](NULL) == 0 ? "ok" : "bad");
	double outs[8] = {0};
	outs[1] = 0.9;
	double hi = img->preds[0](outs);
	outs[1] = 0.1;
	printf("pred node %u: %g %g\n", img->pred_nodes[0], hi, img->preds[0](outs));
	return 0;
}
#else
int main(int argc, char **argv) /* links the entry; the runtime runs it elsewhere */
{
	(void)argv;
	owgrt_exec *ex;
	char err[64];
	return argc > 99 ? owg_face_recognition_open(&ex, NULL, err, sizeof err) : 0;
}
#endif
EOF
# build_app OUT [FLAGS...] [-- LIBS...]: the program with wf.o, the
# compiler's messages in OUT.txt
build_app() {
	local out=$1 flags=() libs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		flags+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	libs=("$@")
	$CC -I"$srcdir/runtime" "${flags[@]}" "$tmp/app.c" "$tmp/wf.o" "${libs[@]}" -o "$tmp/$out" >"$tmp/$out.txt" 2>&1
}
if build_app app -DINSPECT && "$tmp/app" >"$tmp/app.out"; then
	cat >"$tmp/app.want" <<-'EOF'
		kernel frame_convert ok
		kernel letterbox_resize ok
		kernel scrfd_detect ok
		kernel align_5pt ok
		kernel arcface_r100 ok
		kernel gallery_search ok
		pred node 8: 1 0
	EOF
	if diff "$tmp/app.want" "$tmp/app.out"; then
		pass "linked into a C program: the image, the kernels, the predicate"
	else
		fail "the linked program's image"
	fi
else
	cat "$tmp/app.txt" "$tmp/app.out" 2>/dev/null
	fail "link and run a C program with the object"
fi

# ------------------------------------------------- 4. a missing kernel
lib=$builddir/.libs/libowgrt.a
cflags=${OWG_CFLAGS:-}
if [ -z "${OWG_CFLAGS+set}" ]; then # libowgrt's sanitizers need their runtimes
	nm "$lib" | grep -q __asan_ && cflags="$cflags -fsanitize=address"
	nm "$lib" | grep -q __ubsan_ && cflags="$cflags -fsanitize=undefined"
fi
# shellcheck disable=SC2206
with=($cflags ${OWG_LDFLAGS:-} -- "$lib" -lz -lm -lpthread)
if build_app full "${with[@]}"; then
	pass "linked with libowgrt"
else
	cat "$tmp/full.txt"
	fail "link with libowgrt"
fi
if build_app missing -DMISSING "${with[@]}"; then
	fail "a program without kernel scrfd_detect linked"
else
	ok=1
	grep -q scrfd_detect "$tmp/missing.txt" || ok=0
	for k in "${kernels[@]}"; do
		[ "$k" = scrfd_detect ] || ! grep -q "$k" "$tmp/missing.txt" || ok=0
	done
	if [ $ok = 1 ]; then
		pass "a missing kernel is a link error that names it: $(grep -m1 scrfd_detect "$tmp/missing.txt")"
	else
		cat "$tmp/missing.txt"
		fail "the link error does not name the missing kernel scrfd_detect (alone)"
	fi
fi

if [ $fails -gt 0 ]; then
	echo "$fails failed"
	exit 1
fi
exit 0
