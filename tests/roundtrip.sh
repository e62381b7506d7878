#!/usr/bin/env bash
# roundtrip.sh - print -> read -> print is byte-identical for the IR of every
# example and every golden IR file, and a golden file reads back to itself.
# Run by `make check` with OWGC and OWG_SRCDIR set.
set -u
owgc=${OWGC:-./owgc}
src=${OWG_SRCDIR:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() { # name, file to compile
	local name=$1 in=$2
	if ! "$owgc" -I "$src/examples" "$in" -o "$tmp/a.owgir" 2>"$tmp/err"; then
		echo "FAIL: $name: does not compile"; cat "$tmp/err"; fail=$((fail + 1)); return
	fi
	if ! "$owgc" "$tmp/a.owgir" -o "$tmp/b.owgir" 2>"$tmp/err"; then
		echo "FAIL: $name: its IR does not read back"; cat "$tmp/err"; fail=$((fail + 1)); return
	fi
	if ! cmp -s "$tmp/a.owgir" "$tmp/b.owgir"; then
		echo "FAIL: $name: the IR changed on a round trip"; diff "$tmp/a.owgir" "$tmp/b.owgir" | head -5
		fail=$((fail + 1)); return
	fi
	case $in in
	*.owgir)
		if ! cmp -s "$in" "$tmp/a.owgir"; then
			echo "FAIL: $name: a golden file is not in canonical form"; diff "$in" "$tmp/a.owgir" | head -5
			fail=$((fail + 1)); return
		fi ;;
	esac
	echo "PASS: $name"
	pass=$((pass + 1))
}

for f in "$src"/examples/*.owg "$src"/tests/golden/*.owgir; do
	[ -e "$f" ] || continue
	check "${f#"$src"/}" "$f"
done
echo "roundtrip: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
