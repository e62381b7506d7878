#!/bin/sh
# tests/exec-valgrind.sh - the host executor's unit suite (tests/unit/
# test_exec.c: every policy, failures, a run that stops on an error) under
# valgrind: memcheck must see no invalid access and no leak after the
# executor closed, helgrind no data race between the worker threads.
# Skipped (77) without valgrind and in sanitizer builds, which valgrind
# cannot run.
#
# Environment: OWG_BUILDDIR (default .), set by `make check`.
set -u
B=${OWG_BUILDDIR:-.}
T=$B/tests/unit/unit_tests
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not found"; exit 77; }
[ -x "$T" ] || { echo "FAIL: $T not built"; exit 1; }
if nm "$T" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
	echo "SKIP: a sanitizer build"
	exit 77
fi
fail=0
run() {
	name=$1
	shift
	log=$(mktemp)
	if CK_RUN_SUITE=exec CK_FORK=no valgrind -q --error-exitcode=99 "$@" "$T" >"$log" 2>&1 &&
		grep -q '100%: Checks: [1-9]' "$log"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name"
		cat "$log"
		fail=1
	fi
	rm -f "$log"
}
run memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect
run helgrind --tool=helgrind
exit $fail
