#!/bin/bash
# bench/analysis.sh - time of the analysis pipeline (issue 3).
#
# For 10^4, 10^5 and 10^6 tasks, generates a workflow with loops and
# branches (owg-gen --control 0.2: about one control block per five
# tasks, nested up to 4 deep) and runs `owgc --time-passes --emit=none`
# RUNS times.  Reports the median time of every pass and of the whole
# pipeline (the front end is not included: see bench/frontend.sh), the
# time per task, and the growth from the smallest to the largest size
# against n log n.
#
# Target: the whole pipeline in at most 2 s at 10^6 tasks on a 2-core
# machine; growth no worse than n log n.
#
# A second table times the same with a profile (owgprof sample, 20
# requests, so up to 20 samples per task) at PROFILE_SIZES: profile-attach
# reads and binds it, time-stats sorts the samples.
#
# Environment: OWGC (default ./owgc), OWGPROF (default ./owgprof), OWG_GEN
# (default ./bench/owg-gen), SIZES (default "10000 100000 1000000"),
# PROFILE_SIZES (default "10000 100000"), RUNS (default 5), SEED (1),
# CONTROL (0.2), TMPDIR.
set -u
OWGC=${OWGC:-./owgc}
OWG_GEN=${OWG_GEN:-./bench/owg-gen}
OWGPROF=${OWGPROF:-./owgprof}
PROFILE_SIZES=${PROFILE_SIZES:-"10000 100000"}
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
CONTROL=${CONTROL:-0.2}
for t in "$OWGC" "$OWG_GEN" "$OWGPROF"; do
	[ -x "$t" ] || { echo "analysis.sh: $t not built (run make)" >&2; exit 2; }
done
. "$(dirname "$0")/common.sh"
bench_workdir analysis


echo "# owgc analysis pipeline (issue 3)"
echo
bench_stamp
echo "owgc:     $("$OWGC" --version)"
echo "command:  OWGC=$OWGC SIZES=\"$SIZES\" RUNS=$RUNS SEED=$SEED CONTROL=$CONTROL bench/analysis.sh"
echo
echo "| tasks | control blocks | time-stats s | branch-freq s | load s | pipeline s | us per task |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
first_n="" first_per="" last_n="" last_per="" last_total=""
for n in $SIZES; do
	"$OWG_GEN" --tasks "$n" --seed "$SEED" --control "$CONTROL" > "$work/wf.owg" || exit 1
	for r in $(seq "$RUNS"); do
		"$OWGC" -w --time-passes --emit=none "$work/wf.owg" 2> "$work/t.$r" || { cat "$work/t.$r"; exit 1; }
	done
	col() { for r in $(seq "$RUNS"); do awk -v p="$1" '$NF == p { print $1 }' "$work/t.$r"; done | median; }
	ts=$(col time-stats) bf=$(col branch-freq) ld=$(col load) total=$(col total)
	ncb=$("$OWGC" -w --stop-after=profile-attach "$work/wf.owg" | grep -cE '^node %[0-9]+ (branch|switch|loop|fork|exit) ')
	per=$(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.3f", t / n * 1e6 }')
	printf '| %s | %s | %.4f | %.4f | %.4f | %.4f | %s |\n' "$n" "$ncb" "$ts" "$bf" "$ld" "$total" "$per"
	[ -z "$first_n" ] && first_n=$n first_per=$per
	last_n=$n last_per=$per last_total=$total
done
echo
awk -v a="$first_n" -v pa="$first_per" -v b="$last_n" -v pb="$last_per" -v t="$last_total" 'BEGIN {
	g = pb / pa; nl = log(b) / log(a)
	printf "growth: time per task at %d / at %d = %.2f; n log n allows %.2f: %s\n", b, a, g, nl, g <= nl ? "met" : "MISSED"
	printf "target: pipeline <= 2 s at %d tasks: %.3f s: %s\n", b, t, t <= 2 ? "met" : "MISSED"
}'

echo
echo "With a profile (owgprof sample --requests=20):"
echo
echo "| tasks | profile MB | profile-attach s | time-stats s | pipeline s | us per task |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $PROFILE_SIZES; do
	"$OWG_GEN" --tasks "$n" --seed "$SEED" --control "$CONTROL" > "$work/wf.owg" || exit 1
	"$OWGPROF" sample --requests=20 "$work/wf.owg" -o "$work/wf.owgprof" 2>/dev/null || exit 1
	for r in $(seq "$RUNS"); do
		"$OWGC" -w --time-passes --emit=none --profile-use="$work/wf.owgprof" "$work/wf.owg" 2> "$work/t.$r" ||
			{ cat "$work/t.$r"; exit 1; }
	done
	col() { for r in $(seq "$RUNS"); do awk -v p="$1" '$NF == p { print $1 }' "$work/t.$r"; done | median; }
	pa=$(col profile-attach) ts=$(col time-stats) total=$(col total)
	mb=$(awk -v b="$(stat -c %s "$work/wf.owgprof")" 'BEGIN { printf "%.1f", b / 1048576 }')
	printf '| %s | %s | %.4f | %.4f | %.4f | %.3f |\n' "$n" "$mb" "$pa" "$ts" "$total" \
		"$(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.3f", t / n * 1e6 }')"
done
