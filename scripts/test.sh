#!/usr/bin/env bash
# scripts/test.sh - every test of owgc, as CI runs them (.ci/run).
#
#   1. setup + in-tree build with --enable-werror, `make check`
#      (Check unit tests, lit + FileCheck, test scripts)
#   2. the same tests in a VPATH build with ASan + UBSan, made from a
#      read-only copy of the distribution tree (`make distdir`): this also
#      proves the tarball is complete and that nothing writes into srcdir
#   3. bounded libFuzzer runs of tests/fuzz/fuzz_parser, fuzz_owgp and
#      fuzz_phase (clang only), each for half of OWG_FUZZ_TIME
#   4. make distcheck
#
# The last line is "N passed, N failed" over all of them: each Check test,
# each lit test, each test script, each fuzz run and distcheck count one.
# Exit status 0 only when nothing failed.
#
# Environment: JOBS (2), OWG_FUZZ_TIME (seconds, 30), OWG_ASAN=0,
# OWG_FUZZ=0, OWG_DISTCHECK=0 to leave a step out, OWG_SKIP_INSTALL=1 to
# skip apt-get (see scripts/setup.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
# the shared WfCommons traces beside the checkout, for the importer's
# round-trip test in every build (the sanitizer builds run from a copy)
if [ -z "${OWG_WFCOMMONS:-}" ] && [ -d "$top/../shared/data/wfcommons" ]; then
	OWG_WFCOMMONS=$(cd "$top/../shared/data/wfcommons" && pwd)
	export OWG_WFCOMMONS
fi
JOBS=${JOBS:-2}
FUZZ_TIME=${OWG_FUZZ_TIME:-30}
MAKE=${MAKE:-make}

passed=0
failed=0
skipped=0
failures=()
t_start=$SECONDS

banner() {
	printf '\n===== %s (%ds)\n' "$*" $((SECONDS - t_start))
}

# count LABEL PASSED FAILED [SKIPPED]
count() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	skipped=$((skipped + ${4:-0}))
	if [ "$3" -gt 0 ]; then
		failures+=("$1 ($3)")
	fi
	# Not in the "N passed, N failed" form, which is kept for the last line.
	printf '[%s] passed %d, failed %d, skipped %d\n' "$1" "$2" "$3" "${4:-0}"
}

# find_trs DIR: the automake test results of the build in DIR (not those of
# the build-*/ trees made below it).
find_trs() {
	find "$1" -mindepth 1 \( -path "$1/build-*" -o -path "$1/owgc-*" \
		-o -path "$1/.git" \) -prune -o -name '*.trs' -print 2>/dev/null
}

# count_automake LABEL DIR: one result per :test-result: line of each .trs,
# except that a Check runner counts its own checks (its summary line
# "N%: Checks: N, Failures: N, Errors: N" in the .log).
count_automake() {
	local label=$1 dir=$2 p=0 f=0 s=0 trs log sum n bad r
	while IFS= read -r trs; do
		log=${trs%.trs}.log
		sum=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' \
			"$log" 2>/dev/null | tail -n 1)
		if [ -n "$sum" ]; then
			set -- $(printf '%s\n' "$sum" | sed -E 's/.*Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/')
			n=$1 bad=$(($2 + $3))
			p=$((p + n - bad))
			# A runner that failed after its summary (a leak report, say)
			# still fails once.
			if [ $bad -eq 0 ] && grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
				bad=1
			fi
			f=$((f + bad))
			continue
		fi
		while read -r r; do
			case $r in
			PASS | XFAIL) p=$((p + 1)) ;;
			SKIP) s=$((s + 1)) ;;
			*) f=$((f + 1)) ;;
			esac
		done < <(sed -n 's/^:test-result: *//p' "$trs")
	done < <(find_trs "$dir")
	if [ $((p + f + s)) -eq 0 ]; then
		echo "$label: no automake test results found" >&2
		f=1
	fi
	count "$label" $p $f $s
}

# count_lit LABEL JSON: lit's per-test results (lit -o).
count_lit() {
	local label=$1 json=$2 res
	if [ ! -s "$json" ]; then
		echo "$label: lit wrote no results ($json)" >&2
		count "$label" 0 1
		return
	fi
	res=$(python3 - "$json" <<-'EOF'
		import json, sys
		p = f = s = 0
		for t in json.load(open(sys.argv[1])).get("tests", []):
		    c = t.get("code")
		    if c in ("PASS", "XFAIL", "FLAKYPASS"):
		        p += 1
		    elif c in ("UNSUPPORTED", "SKIPPED", "EXCLUDED"):
		        s += 1
		    else:
		        f += 1
		print(p, f, s)
	EOF
	) || res="0 1 0"
	# shellcheck disable=SC2086
	count "$label" $res
}

# check_build LABEL DIR: make check in a configured build dir, then count.
check_build() {
	local label=$1 dir=$2 rc before=$failed
	# Results of an earlier run must not be counted (nor printed) again.
	find_trs "$dir" | sed 's/\.trs$//' | while IFS= read -r t; do
		rm -f "$t.trs" "$t.log"
	done
	rm -f "$dir/tests/unit/unit_tests.log"
	rm -f "$dir/tests/lit/lit-results.json"
	(cd "$dir" && $MAKE -j"$JOBS" -k -Otarget --no-print-directory check)
	rc=$?
	# The unit runner's own output (its Check summary line), and the log
	# of every other test that did not pass.
	if [ -f "$dir/tests/unit/unit_tests.log" ]; then
		echo "----- $label: tests/unit/unit_tests.log"
		cat "$dir/tests/unit/unit_tests.log"
	fi
	find_trs "$dir" | while IFS= read -r trs; do
		case $trs in */tests/unit/unit_tests.trs) continue ;; esac
		if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
			echo "----- $label: ${trs#"$dir"/}: ${trs%.trs}.log"
			cat "${trs%.trs}.log"
		fi
	done
	count_automake "$label: make check" "$dir"
	count_lit "$label: lit" "$dir/tests/lit/lit-results.json"
	# make failed but no test did: a build or harness error.
	if [ $rc -ne 0 ] && [ $failed -eq $before ]; then
		count "$label: make check (exit $rc)" 0 1
	fi
}

finish() {
	banner "done"
	if [ ${#failures[@]} -gt 0 ]; then
		echo "failed:"
		printf '  %s\n' "${failures[@]}"
	fi
	if [ $skipped -gt 0 ]; then
		echo "($skipped skipped)"
	fi
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ] && [ $passed -gt 0 ]
	exit $?
}

# ---------------------------------------------------------------- 1. build
banner "setup and configure (--enable-werror)"
if ! scripts/setup.sh --enable-werror; then
	count "setup/configure" 0 1
	finish
fi

banner "build"
if ! $MAKE -j"$JOBS"; then
	count "build" 0 1
	finish
fi

banner "make check"
check_build "main" "$top"

# ------------------------------------------------- 2. sanitizers, from dist
src_copy=$top/build-src
if [ "${OWG_ASAN:-1}" != 0 ] || [ "${OWG_FUZZ:-1}" != 0 ]; then
	banner "distribution tree (make distdir) for the VPATH builds"
	if [ -d "$src_copy" ]; then
		chmod -R u+w "$src_copy" && rm -rf "$src_copy"
	fi
	rm -f "$src_copy.stamp"
	if $MAKE distdir distdir="$src_copy" >/dev/null; then
		# A VPATH build must not write into its srcdir.  Read-only does not
		# stop root, so the builds below are also checked against a stamp.
		chmod -R a-w "$src_copy"
		touch "$src_copy.stamp"
	else
		echo "make distdir failed: a file is missing from Makefile.am's lists?" >&2
		count "make distdir" 0 1
		src_copy=
	fi
fi

if [ "${OWG_ASAN:-1}" != 0 ] && [ -n "$src_copy" ]; then
	banner "ASan + UBSan build (build-asan/)"
	rm -rf build-asan && mkdir build-asan
	if (cd build-asan && "$src_copy/configure" \
		--enable-asan --enable-ubsan CFLAGS='-g -O1' >configure.out 2>&1 ||
		{ cat configure.out config.log; exit 1; }) &&
		(cd build-asan && $MAKE -j"$JOBS"); then
		banner "ASan + UBSan make check"
		# The corpus's 10 s per input catches hangs; its largest valid
		# inputs take about 6 s under the sanitizers alone, more while
		# the unit tests and lit share the CPUs.
		ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:abort_on_error=1} \
		CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10} \
		CORPUS_TIMEOUT=${CORPUS_TIMEOUT:-40} \
			check_build "asan" "$top/build-asan"
	else
		count "asan build" 0 1
	fi
fi

# ----------------------------------------------------------------- 3. fuzz
# Three targets, each for half of FUZZ_TIME: fuzz_parser (the text readers),
# fuzz_owgp (libowgrt's loader of placement binaries, the importer and the
# writer) and fuzz_phase (libowgrt's phase files).  Each counts one.
clang=$(command -v clang-14 || command -v clang || true)
fuzz_targets=(fuzz_parser fuzz_owgp fuzz_phase)
if [ "${OWG_FUZZ:-1}" = 0 ]; then
	:
elif [ ! -f tests/fuzz/fuzz_parser.c ]; then
	echo "fuzz: tests/fuzz/fuzz_parser.c does not exist yet, skipped"
elif [ -z "$clang" ]; then
	echo "fuzz: no clang, skipped"
	count "fuzz" 0 0 ${#fuzz_targets[@]}
elif [ -n "$src_copy" ]; then
	banner "libFuzzer build (build-fuzz/, $clang)"
	rm -rf build-fuzz && mkdir -p build-fuzz
	if (cd build-fuzz && "$src_copy/configure" CC="$clang" --enable-fuzz \
		CFLAGS='-g -O1' >configure.out 2>&1 ||
		{ cat configure.out config.log; exit 1; }) &&
		(cd build-fuzz && $MAKE -j"$JOBS" "${fuzz_targets[@]/#/tests/fuzz/}"); then
		half=$(((FUZZ_TIME + 1) / 2))
		for t in "${fuzz_targets[@]}"; do
			case $t in
			fuzz_parser) seed_dirs=("$src_copy/tests/fuzz/corpus" "$src_copy/examples") ;;
			fuzz_owgp) seed_dirs=("$src_copy/tests/fuzz/corpus_owgp") ;;
			fuzz_phase) seed_dirs=("$src_copy/tests/fuzz/corpus_phase") ;;
			esac
			banner "$t for ${half}s"
			seeds=()
			for d in "${seed_dirs[@]}"; do
				[ -d "$d" ] && seeds+=("$d")
			done
			# New inputs go to build-fuzz/corpus-$t; the seed folders are only read.
			mkdir -p "build-fuzz/corpus-$t"
			if (cd build-fuzz && ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} \
				./tests/fuzz/$t -max_total_time="$half" \
				-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
				-artifact_prefix="$top/build-fuzz/$t-" "corpus-$t" "${seeds[@]}" \
				>"$t.log" 2>&1); then
				tail -n 15 "build-fuzz/$t.log"
				count "$t" 1 0
			else
				tail -n 80 "build-fuzz/$t.log"
				echo "$t: reproduce with build-fuzz/tests/fuzz/$t build-fuzz/$t-crash-*" >&2
				count "$t" 0 1
			fi
		done
	else
		count "fuzz build" 0 1
	fi
fi

if [ -n "$src_copy" ] && [ -f "$src_copy.stamp" ]; then
	written=$(find "$src_copy" -newer "$src_copy.stamp" | head -n 20)
	if [ -n "$written" ]; then
		echo "the VPATH builds wrote into their srcdir ($src_copy):" >&2
		printf '  %s\n' $written >&2
		count "VPATH: srcdir untouched" 0 1
	else
		count "VPATH: srcdir untouched" 1 0
	fi
	chmod -R u+w "$src_copy" # leave it removable (git clean, rm -r)
fi

# ------------------------------------------------------------ 4. distcheck
if [ "${OWG_DISTCHECK:-1}" != 0 ]; then
	banner "make distcheck"
	if $MAKE -j"$JOBS" distcheck >distcheck.log 2>&1; then
		tail -n 4 distcheck.log
		count "distcheck" 1 0
	else
		tail -n 100 distcheck.log
		count "distcheck" 0 1
	fi
fi

finish
