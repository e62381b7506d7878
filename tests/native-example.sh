#!/usr/bin/env bash
# tests/native-example.sh - examples/native built and run the way a user's
# project does it, against an installed owgc:
#
#   1. `make install DESTDIR=$tmp/root` from the build dir; pkg-config finds
#      owgrt.pc there (PKG_CONFIG_PATH, PKG_CONFIG_SYSROOT_DIR), and its
#      -I and -L point into the DESTDIR;
#   2. a copy of examples/native is built with its own plain Makefile,
#      OWGC the installed owgc, with the build's compiler and flags (so that
#      a sanitizer build links the example with the same -fsanitize);
#   3. it runs under each policy (static, reactive, steal, octopus) on 1
#      and 2 threads, and every frame must complete, exactly once and
#      right (vision checks that and exits non-zero otherwise);
#   4. `make profile` records vision.owgprof: owgc --profile-use takes it
#      without a word, owgprof show reads it, and it shows the example's
#      dual dynamicity: detect's times vary, the objects per frame vary,
#      the alert branch is taken sometimes;
#   5. `make pgo` recompiles the object with it, and the program runs;
#   6. once under valgrind (--leak-check=full, 300 frames: crowded ones
#      too), unless valgrind is missing or this is a sanitizer build (which
#      checks leaks itself);
#   7. the complete program of libowgrt(3)'s EXAMPLES, with its workflow,
#      builds with the build line the page gives, and runs.
#
# Run by `make check` (see AM_TESTS_ENVIRONMENT in Makefile.am): OWGC,
# OWG_SRCDIR, OWG_BUILDDIR, OWG_MAKE, OWG_PKG_CONFIG, OWG_CC, OWG_CFLAGS,
# OWG_LDFLAGS, OWG_SANITIZERS, OWG_BINDIR, OWG_LIBDIR.  NATIVE_FRAMES sets
# the frames of a run (default 400: every phase of the stream).
# Exit status: 0 pass, 1 fail, 77 skip (owgc without -c, or libowgrt
# without the host executor: the pieces are not built).
set -u

src=${OWG_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${OWG_BUILDDIR:-.}
owgc_built=${OWGC:-$build/owgc}
make=${OWG_MAKE:-make}
pkg_config=${OWG_PKG_CONFIG:-pkg-config}
cc=${OWG_CC:-cc}
cflags=${OWG_CFLAGS:--g -O2}
ldflags=${OWG_LDFLAGS:-}
sanitizers=${OWG_SANITIZERS:-}
frames=${NATIVE_FRAMES:-400}
export LC_ALL=C

# --- the pieces: owgc -c and the host executor
if ! "$owgc_built" --help 2>/dev/null | grep -Eq '^ +-c([ ,]|$)'; then
	echo "SKIP: $owgc_built has no -c (the object backend is not built)"
	exit 77
fi
lib=$build/.libs/libowgrt.a
if [ -f "$lib" ] && command -v nm >/dev/null 2>&1 &&
	! nm "$lib" 2>/dev/null | grep -q ' T owgrt_exec_open$'; then
	echo "SKIP: $lib has no owgrt_exec_open (the host executor is not built)"
	exit 77
fi
if [ -z "${OWG_LIBDIR:-}" ] || [ -z "${OWG_BINDIR:-}" ]; then
	echo "FAIL: OWG_LIBDIR and OWG_BINDIR are not set (run me with make check)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/native-example.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
root=$tmp/root
pass=0 fail=0

ok() { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { # name, log file to show
	echo "FAIL: $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | tail -n 40
	fail=$((fail + 1))
}
finish() {
	echo "native-example: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

# A make of our own, not the one of `make check` that runs us: none of its
# flags, variables or jobserver.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES "$make" "$@"
}

# --- 1. install, and pkg-config
if mk -C "$build" install DESTDIR="$root" >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=..."
else
	bad "make install DESTDIR=..." "$tmp/install.log"
	finish
fi
export PKG_CONFIG_PATH=$root$OWG_LIBDIR/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$root
export LD_LIBRARY_PATH=$root$OWG_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
owgc=$root$OWG_BINDIR/owgc
owgprof=$root$OWG_BINDIR/owgprof
flags=$("$pkg_config" --cflags --libs owgrt 2>"$tmp/pc.log")
case " $flags " in
*" -L$root$OWG_LIBDIR "*"-lowgrt "*) ok "pkg-config --cflags --libs owgrt: $flags" ;;
*) echo "$flags" >>"$tmp/pc.log"; bad "pkg-config --cflags --libs owgrt" "$tmp/pc.log"; finish ;;
esac
# Without a shared library (--disable-shared), the static one needs the
# private libraries too.
if ! ls "$root$OWG_LIBDIR"/libowgrt.so* >/dev/null 2>&1; then
	pkg_config="$pkg_config --static"
fi

# --- 2. the example, out of a copy of its folder
app=$tmp/native
cp -R "$src/examples/native" "$app" && chmod -R u+w "$app" || exit 1
mk -C "$app" clean >/dev/null 2>&1 # what an in-tree try may have left
build_example() { # log, make arguments...
	local log=$1
	shift
	(cd "$app" && CC=$cc CFLAGS=$cflags LDFLAGS=$ldflags \
		mk OWGC="$owgc" PKG_CONFIG="$pkg_config" "$@") >"$log" 2>&1
}
if build_example "$tmp/build.log" all && [ -x "$app/vision" ]; then
	ok "examples/native: make (owgc -c, pkg-config)"
else
	bad "examples/native: make" "$tmp/build.log"
	finish
fi
if [ -f "$app/vision.d" ] && grep -q 'frame\.owg' "$app/vision.d"; then
	ok "owgc -MD lists the workflow's imports in vision.d"
else
	bad "owgc -MD: vision.d does not list frame.owg" "$app/vision.d"
fi

# --- 3. every policy, 1 and 2 threads
for policy in static reactive steal octopus; do
	for threads in 1 2; do
		name="vision -n $frames, OWGRT_POLICY=$policy OWGRT_THREADS=$threads"
		log=$tmp/run-$policy-$threads.log
		if (cd "$app" && OWGRT_POLICY=$policy OWGRT_THREADS=$threads \
			timeout 300 ./vision -n "$frames") >"$log" 2>&1 &&
			grep -q "^vision: all $frames frames completed$" "$log" &&
			grep -q "policy $policy, $threads threads" "$log" &&
			grep -Eq "^  requests +$frames completed$" "$log"; then
			ok "$name"
		else
			bad "$name" "$log"
		fi
	done
done

# --- 4. the profile
log=$tmp/profile.log
prof=$app/vision.owgprof
if build_example "$log" profile N="$frames" && [ -s "$prof" ]; then
	ok "make profile: vision.owgprof written"
else
	bad "make profile" "$log"
	finish
fi
log=$tmp/profile-use.log
if (cd "$app" && "$owgc" -Wall -Werror --emit=none --profile-use=vision.owgprof vision.owg) >"$log" 2>&1 &&
	[ ! -s "$log" ]; then
	ok "owgc --profile-use takes the profile without a word"
else
	bad "owgc --profile-use=vision.owgprof" "$log"
fi
log=$tmp/show.log
if "$owgprof" show "$prof" >"$log" 2>&1 && grep -Eq "^requests +$frames$" "$log"; then
	ok "owgprof show: $frames requests"
else
	bad "owgprof show vision.owgprof" "$log"
fi
# detect's row: runs, per request (mean +- sd), then mean, sd, p50, p95,
# p99 in ms and the samples.  Its time grows with the bright pixels of the
# frame, and the phases of the stream change those: the sd is a good part
# of the mean and the p99 well above the median.
if awk '$1 == "detect" {
		found = 1
		mean = $6; sd = $8; p50 = $10; p99 = $14
		if (!(sd > 0.2 * mean && p99 > 1.5 * p50)) {
			printf "detect: mean %s sd %s p50 %s p99 %s ms: its times hardly vary\n", mean, sd, p50, p99
			exit 1
		}
	}
	END { if (!found) { print "no detect row"; exit 1 } }' "$log" >"$tmp/detect.log" 2>&1; then
	ok "the profile shows detect's times vary ($(awk '$1 == "detect" { print "p50", $10, "ms, p99", $14, "ms" }' "$log"))"
else
	cat "$log" >>"$tmp/detect.log"
	bad "the profile: detect's times" "$tmp/detect.log"
fi
# owgc's own judgement, with the measured times: detect is volatile (its
# coefficient of variation above --cv-threshold), where the declared model
# of vision.owg, a constant, says steady.
log=$tmp/report.log
if (cd "$app" && "$owgc" --report --profile-use=vision.owgprof vision.owg) >"$log" 2>&1 &&
	grep -Eq '^detect +ai +.* volatile ' "$log"; then
	ok "owgc --report --profile-use: detect is volatile"
else
	bad "owgc --report --profile-use: detect is not volatile" "$log"
fi
# The objects per frame vary (the foreach's items), and the alert branch
# is taken on some frames, not all.
# (per_object: runs, fork, items MEAN +- SD per run; crowded: runs, branch,
# then P%, else P%.)
if awk '$1 == "per_object" { items = ($5 > 0 && $7 > 0) }
	$1 == "crowded" { t = $5; sub(/%/, "", t); branch = (t + 0 > 0 && t + 0 < 100) }
	END { exit !(items && branch) }' "$tmp/show.log"; then
	ok "the profile shows the objects per frame and the alerts vary"
else
	bad "the profile: the foreach and the branch" "$tmp/show.log"
fi

# --- 5. the profile loop: recompile with it, relink, run
log=$tmp/pgo.log
cp "$app/vision.o" "$tmp/vision-before.o"
if build_example "$log" pgo && ! cmp -s "$app/vision.o" "$tmp/vision-before.o" &&
	(cd "$app" && timeout 300 ./vision -n "$frames") >>"$log" 2>&1 &&
	grep -q "^vision: all $frames frames completed$" "$log"; then
	ok "make pgo: vision.o recompiled with the profile, and it runs"
else
	bad "make pgo" "$log"
fi

# --- 6. valgrind
if [ -n "$sanitizers" ]; then
	echo "SKIP: valgrind (a sanitizer build:$sanitizers)"
elif ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind (not installed)"
else
	log=$tmp/valgrind.log
	if (cd "$app" && OWGRT_THREADS=2 timeout 900 valgrind -q --error-exitcode=1 \
		--leak-check=full ./vision -n 300) >"$log" 2>&1 &&
		grep -q '^vision: all 300 frames completed$' "$log"; then
		ok "valgrind --leak-check=full: no error, no leak"
	else
		bad "valgrind --leak-check=full ./vision" "$log"
	fi
fi

# --- 7. libowgrt(3)'s example: its files between the marks
#     .\" file: NAME   and   .\" end file
# (roff requests dropped, \e \- \(aq \(dq turned back into \ - ' "), built with
# the page's own build line.
man=$src/man/libowgrt.3
ex=$tmp/man
mkdir -p "$ex"
if awk -v dir="$ex" '
	function decode(s,    out, i, c, n) {
		out = ""
		n = length(s)
		for (i = 1; i <= n; i++) {
			c = substr(s, i, 1)
			if (c == "\\" && i < n && substr(s, i + 1, 1) == "e") { out = out "\\"; i++; continue }
			if (c == "\\" && i < n && substr(s, i + 1, 1) == "-") { out = out "-"; i++; continue }
			if (c == "\\" && substr(s, i + 1, 3) == "(aq") { out = out "\047"; i += 3; continue }
			if (c == "\\" && substr(s, i + 1, 3) == "(dq") { out = out "\""; i += 3; continue }
			out = out c
		}
		return out
	}
	/^\.\\" file: / { name = $0; sub(/^\.\\" file: */, "", name); file = dir "/" name; printf "" > file; next }
	/^\.\\" end file/ { close(file); name = ""; next }
	name != "" && /^\./ { next }
	name != "" { print decode($0) > file }' "$man" &&
	[ -s "$ex/wf.owg" ] && [ -s "$ex/app.c" ]; then
	log=$tmp/man.log
	if (cd "$ex" && "$owgc" -Wall -Werror -c wf.owg -o wf.o &&
		$cc $cflags $ldflags app.c wf.o $($pkg_config --cflags --libs owgrt) -o app &&
		OWGRT_THREADS=2 timeout 120 ./app) >"$log" 2>&1; then
		ok "libowgrt(3) EXAMPLES: app.c and wf.owg build with its build line and run"
	else
		bad "libowgrt(3) EXAMPLES" "$log"
	fi
else
	bad "libowgrt(3) EXAMPLES: no wf.owg and app.c between '.\\\" file:' marks in $man"
fi

finish
