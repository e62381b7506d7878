#!/bin/bash
# bench/sim.sh - simulator speed (issue 5): events per second of owgrun.
#
# Compiles EXAMPLES (default: every example) for FABRIC (default wafer) and
# runs REQUESTS (default 100000) requests in a closed batch under each of
# POLICIES (default "static octopus"), RUNS times (default 3); reports the
# median wall time, the events the simulator processed (owgrun's own
# count), events per second, makespan / LB and peak memory.  Target: at
# least 5 million events per second.
set -u
OWGC=${OWGC:-./owgc}
OWGRUN=${OWGRUN:-./owgrun}
FABRIC=${FABRIC:-wafer}
REQUESTS=${REQUESTS:-100000}
RUNS=${RUNS:-3}
POLICIES=${POLICIES:-"static octopus"}
EXAMPLES=${EXAMPLES:-"face_recognition recommendation rag_llm driving_perception voice_assistant moe_routing"}
for t in "$OWGC" "$OWGRUN" /usr/bin/time; do
	[ -x "$t" ] || { echo "sim.sh: $t missing (make)" >&2; exit 2; }
done
. "$(dirname "$0")/common.sh"
bench_workdir sim

echo "# owgrun simulator speed (issue 5)"
echo
bench_stamp
echo "command:  FABRIC=$FABRIC REQUESTS=$REQUESTS RUNS=$RUNS POLICIES='$POLICIES' bench/sim.sh"
echo
echo "| example | policy | events | wall s | events/s | makespan / LB | peak RSS MiB |"
echo "|---|---|---:|---:|---:|---:|---:|"
for ex in $EXAMPLES; do
	"$OWGC" -w --fabric="$FABRIC" "examples/$ex.owg" -o "$work/wf.owgp" || exit 1
	for pol in $POLICIES; do
	: > "$work/wall"; : > "$work/rss"
	for r in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$work/time" "$OWGRUN" --no-progress --policy="$pol" --requests="$REQUESTS" \
			"$work/wf.owgp" > "$work/out" || exit 1
		awk '{ print $1 }' "$work/time" >> "$work/wall"
		awk '{ print $2 / 1024 }' "$work/time" >> "$work/rss"
	done
	events=$(sed -n 's/.*(\([0-9]*\) events).*/\1/p' "$work/out")
	ratio=$(awk '/makespan \/ LB/ { print $4 }' "$work/out")
	wall=$(median < "$work/wall")
	printf '| %s | %s | %s | %.2f | %.0f | %s | %.1f |\n' "$ex" "$pol" "$events" "$wall" \
		"$(awk -v e="$events" -v w="$wall" 'BEGIN { print (w > 0 ? e / w : 0) }')" "$ratio" "$(median < "$work/rss")"
	done
done
