#!/bin/bash
# bench/scotch.sh - placement quality: owgc against Scotch's static mapper
# (issue 4), side by side.
#
# For each case (tasks on a fabric), bench/scotch-compare compiles an
# owg-gen workflow (--max-peas 1, so every task is one vertex), places it
# with owgc at each -O level, exports the same weighted task graph and the
# fabric's PEA mesh (a mesh2D target) to Scotch's scotch_gmap, and prints
# both traffic costs: the sum over flows of bytes x executions (scaled to
# the same integers for both) x mesh hops.  Scotch's result varies a
# little from run to run: its median of RUNS runs is compared.  A ratio
# below 1 means owgc's placement has less traffic.
#
# Target: owgc's cost at most Scotch's.
#
# Environment: SCOTCH_GMAP (default scotch_gmap, Debian package scotch),
# LEVELS ("1 2 3"), RUNS (3), TMPDIR.
set -u
CMP=${CMP:-./bench/scotch-compare}
OWG_GEN=${OWG_GEN:-./bench/owg-gen}
LEVELS=${LEVELS:-"1 2 3"}
RUNS=${RUNS:-3}
command -v "${SCOTCH_GMAP:-scotch_gmap}" >/dev/null || { echo "scotch.sh: install Debian's scotch package" >&2; exit 2; }
[ -x "$CMP" ] && [ -x "$OWG_GEN" ] || { echo "scotch.sh: run make first" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
bench_workdir scotch
# a 128x128-PEA mesh without defects (Scotch's mesh target has none)
echo 'fabric mesh128 { cluster 4x4; chiplet 8x8; package 4x4; }' > "$work/mesh128.owg"

echo "# owgc against scotch_gmap (issue 4)"
echo
bench_stamp
echo "scotch:   $(dpkg-query -W -f '${Version}' scotch 2>/dev/null || echo '?')"
echo "command:  LEVELS=\"$LEVELS\" RUNS=$RUNS bench/scotch.sh"
echo
echo "| tasks | fabric (PEAs) | -O | owgc cost | scotch cost (median) | owgc / scotch | owgc s | scotch s |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for case in "200 default 256" "500 chiplet 1024" "10000 $work/mesh128.owg 16384"; do
	set -- $case
	n=$1 fab=$2 peas=$3
	"$OWG_GEN" --tasks "$n" --seed 1 --max-peas 1 > "$work/wf.owg" || exit 1
	for O in $LEVELS; do
		: > "$work/s"
		for r in $(seq "$RUNS"); do
			"$CMP" "$work/wf.owg" "$fab" "$O" 1 > "$work/line" || exit 1
			cat "$work/line" >> "$work/s"
		done
		ours=$(awk 'NR == 1 { print $3 }' "$work/s")
		theirs=$(awk '{ print $4 }' "$work/s" | median)
		os=$(awk '{ print $6 }' "$work/s" | median)
		ss=$(awk '{ print $7 }' "$work/s" | median)
		name=$(basename "$fab" .owg)
		printf '| %s | %s (%s) | %s | %.0f | %.0f | %.3f | %.3f | %.3f |\n' "$n" "$name" "$peas" "$O" "$ours" "$theirs" \
			"$(awk -v a="$ours" -v b="$theirs" 'BEGIN { print a / b }')" "$os" "$ss"
	done
done
