#!/bin/bash
# bench/sched.sh - the resident scheduler core (issue 5): its time per
# event at four fabric sizes, its code size and its memory.
#
# Compiles EXAMPLE (default voice_assistant) for the default (256 PEAs),
# chiplet (1,024), bench/fabrics.owg's mid (16,384) and wafer (262,144)
# fabrics and drives the core alone with bench/sched-bench: JOBS jobs
# (default 10^6) with INFLIGHT (default 256) in flight, so that only the
# fabric's size changes.  RUNS runs (default 3), the median per cell.
# Targets: time per event not growing with the fabric; the core's code
# (`size` of owgrt_sched.o, owgrt_zindex.o, owgrt_mesh.o) at most 64 KiB;
# at most 64 bytes per PEA.
set -u
OWGC=${OWGC:-./owgc}
BENCH=${BENCH:-./bench/sched-bench}
EXAMPLE=${EXAMPLE:-voice_assistant}
JOBS=${JOBS:-1000000}
INFLIGHT=${INFLIGHT:-256}
RUNS=${RUNS:-3}
for t in "$OWGC" "$BENCH"; do
	[ -x "$t" ] || { echo "sched.sh: $t missing (make)" >&2; exit 2; }
done
. "$(dirname "$0")/common.sh"
bench_workdir sched

echo "# The scheduler core (issue 5)"
echo
bench_stamp
echo "command:  EXAMPLE=$EXAMPLE JOBS=$JOBS INFLIGHT=$INFLIGHT RUNS=$RUNS bench/sched.sh"
echo
echo "## Time per event (ns), $EXAMPLE, $INFLIGHT jobs in flight"
echo
echo "| fabric | PEAs | static | reactive | steal | octopus |"
echo "|---|---:|---:|---:|---:|---:|"
for fab in default chiplet bench/fabrics.owg wafer; do
	"$OWGC" -w --fabric="$fab" "examples/$EXAMPLE.owg" -o "$work/wf.owgp" || exit 1
	for r in $(seq "$RUNS"); do
		"$BENCH" "$work/wf.owgp" "$JOBS" "$INFLIGHT" > "$work/run.$r" || exit 1
	done
	peas=$(sed -n '1s/.*(\([0-9]*\) PEAs).*/\1/p' "$work/run.1")
	name=$(sed -n '1s/.* on \([^ ]*\) (.*/\1/p' "$work/run.1")
	row="| $name | $peas |"
	for pol in static reactive steal octopus; do
		row="$row $(cat "$work"/run.* | awk -v p="$pol" '$1 == p { print $2 }' | median) |"
	done
	echo "$row"
done
echo
sed -n 's/^core memory: /core memory: /p' "$work/run.1"
echo
echo "## Code size of the core"
echo
objs="runtime/libowgrt_la-owgrt_sched.o runtime/libowgrt_la-owgrt_zindex.o runtime/libowgrt_la-owgrt_mesh.o"
size $objs
size $objs | awk 'NR > 1 { t += $1 } END { printf "\ncode (text) of the core: %d bytes = %.1f KiB (target 64 KiB)\n", t, t / 1024 }'
