#!/bin/bash
# bench/placement.sh - compile time and peak memory of a placement (issue 4).
#
# For 10^3, 10^4 and 10^5 tasks (owg-gen --max-peas 1: every task demands
# one PEA, so that 10^5 task instances can fit the wafer) on the default,
# chiplet and wafer presets at -O1 and -O2: the whole compile (front end,
# analysis, placement) with --emit=none, wall time and peak RSS (GNU time),
# median of RUNS runs, and the placement passes' own time (--time-passes).
# A size that cannot fit a preset (more tasks than PEAs) is reported as
# such: owgc refuses it with its "does not fit" diagnostic.
#
# Targets: 10^5 instances on the wafer in under 10 s at -O1, under 60 s at
# -O2.
#
# Environment: OWGC (./owgc), OWG_GEN (./bench/owg-gen), SIZES ("1000 10000
# 100000"), PRESETS ("default chiplet wafer"), LEVELS ("1 2"), RUNS (3),
# SEED (1), TMPDIR.
set -u
OWGC=${OWGC:-./owgc}
OWG_GEN=${OWG_GEN:-./bench/owg-gen}
SIZES=${SIZES:-"1000 10000 100000"}
PRESETS=${PRESETS:-"default chiplet wafer"}
LEVELS=${LEVELS:-"1 2"}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
for t in "$OWGC" "$OWG_GEN" /usr/bin/time; do
	[ -x "$t" ] || { echo "placement.sh: $t missing (make; apt-get install time)" >&2; exit 2; }
done
. "$(dirname "$0")/common.sh"
bench_workdir place

echo "# owgc placement: compile time and memory (issue 4)"
echo
bench_stamp
echo "owgc:     $("$OWGC" --version)"
echo "command:  SIZES=\"$SIZES\" PRESETS=\"$PRESETS\" LEVELS=\"$LEVELS\" RUNS=$RUNS bench/placement.sh"
echo
echo "| tasks | fabric | -O | wall s | placement passes s | peak RSS MiB | |"
echo "|---:|---|---:|---:|---:|---:|---|"
for n in $SIZES; do
	"$OWG_GEN" --tasks "$n" --seed "$SEED" --max-peas 1 > "$work/wf.owg" || exit 1
	for fab in $PRESETS; do
		for O in $LEVELS; do
			: > "$work/wall"; : > "$work/rss"; : > "$work/pass"
			status=ok
			for r in $(seq "$RUNS"); do
				if ! /usr/bin/time -f '%e %M' -o "$work/time" "$OWGC" -w --emit=none --fabric="$fab" \
					-O"$O" --time-passes "$work/wf.owg" 2> "$work/err"; then
					status=$(grep -o 'does not fit[^:]*' "$work/err" | head -1)
					[ -n "$status" ] || { cat "$work/err"; exit 1; }
					break
				fi
				awk '{ print $1 }' "$work/time" >> "$work/wall"
				awk '{ print $2 }' "$work/time" >> "$work/rss"
				awk '$NF ~ /^(discriminate|partition|place|plan)$/ { s += $1 } END { print s }' "$work/err" >> "$work/pass"
			done
			if [ "$status" != ok ]; then
				printf '| %s | %s | %s | | | | %s |\n' "$n" "$fab" "$O" "$status"
				continue
			fi
			printf '| %s | %s | %s | %.2f | %.3f | %.1f | |\n' "$n" "$fab" "$O" "$(median < "$work/wall")" \
				"$(median < "$work/pass")" "$(awk '{ print $1 / 1024 }' "$work/rss" | median)"
		done
	done
done
