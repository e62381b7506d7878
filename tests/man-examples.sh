#!/bin/sh
# tests/man-examples.sh - compile every example of the owg(5) manual page.
#
# An example is the text between the roff comment lines
#     .\" example: NAME
#     .\" end example
# in man/owg.5, without its roff request lines (those starting with '.'),
# with the roff escapes \e and \- turned back into \ and -.  Each must be
# a complete file that compiles with `owgc -Wall -Werror`.
#
# Usage: tests/man-examples.sh [PAGE]
# Environment: OWGC (the compiler; default ./owgc), OWG_SRCDIR (the source
# tree, to find man/owg.5; default: the folder above this script).
# Exit status: 0 if every example compiles, 1 otherwise (the failures are
# listed, with owgc's messages).
set -u

OWGC=${OWGC:-./owgc}
srcdir=${OWG_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
page=${1:-$srcdir/man/owg.5}

if [ ! -r "$page" ]; then
	echo "man-examples: cannot read $page" >&2
	exit 1
fi
if [ ! -x "$OWGC" ] && ! command -v "$OWGC" >/dev/null 2>&1; then
	echo "man-examples: no compiler at '$OWGC' (set OWGC)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/man-examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# Writes every example to $tmp/NAME.owg and its name to $tmp/list;
# reports markers that do not pair up.
awk -v dir="$tmp" '
function decode(s,    out, i, c, n) {
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\" && i < n) {
			n2 = substr(s, i + 1, 1)
			if (n2 == "e") { out = out "\\"; i++; continue }
			if (n2 == "-") { out = out "-"; i++; continue }
		}
		out = out c
	}
	return out
}
/^\.\\" example: / {
	if (name != "") { printf "%s:%d: example %s has no end\n", FILENAME, FNR, name; bad = 1 }
	name = $0
	sub(/^\.\\" example: */, "", name)
	sub(/[ \t]+$/, "", name)
	if (name !~ /^[A-Za-z0-9_.-]+$/) {
		printf "%s:%d: bad example name \"%s\"\n", FILENAME, FNR, name; bad = 1; name = "bad" FNR
	}
	if (name in seen) { printf "%s:%d: example %s defined twice\n", FILENAME, FNR, name; bad = 1 }
	seen[name] = 1
	file = dir "/" name ".owg"
	printf "" > file
	lines = 0
	next
}
/^\.\\" end example/ {
	if (name == "") { printf "%s:%d: end of an example that did not start\n", FILENAME, FNR; bad = 1; next }
	close(file)
	if (lines == 0) { printf "%s:%d: example %s is empty\n", FILENAME, FNR, name; bad = 1 }
	print name > (dir "/list")
	name = ""
	next
}
name != "" && /^\./ { next }
name != "" { print decode($0) > file; lines++ }
END {
	if (name != "") { printf "%s: example %s has no end\n", FILENAME, name; bad = 1 }
	exit bad
}' "$page"
status=$?

if [ ! -s "$tmp/list" ]; then
	echo "man-examples: no examples found in $page" >&2
	exit 1
fi

total=0
failed=""
while IFS= read -r name; do
	total=$((total + 1))
	if "$OWGC" -Wall -Werror --emit=none "$tmp/$name.owg" >"$tmp/$name.log" 2>&1; then
		echo "PASS: $name"
	else
		echo "FAIL: $name"
		sed 's/^/    /' "$tmp/$name.log"
		failed="$failed $name"
	fi
done <"$tmp/list"

if [ -n "$failed" ]; then
	echo "man-examples: examples that do not compile:$failed"
	exit 1
fi
if [ "$status" -ne 0 ]; then
	echo "man-examples: the example markers of $page do not pair up"
	exit 1
fi
echo "man-examples: all $total examples of $page compile"
exit 0
