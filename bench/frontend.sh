#!/bin/bash
# bench/frontend.sh - front-end throughput and peak memory (issue 2).
#
# For 10^4, 10^5 and 10^6 tasks, generates a workflow with owg-gen and
# measures two paths of owgc, each RUNS times (median reported):
#   owg    owgc wf.owg     parse + check + lower + verify + print IR
#   owgir  owgc wf.owgir   read IR text + verify + print IR
# wall time, CPU time (user + system) and peak memory (ru_maxrss, GNU
# time's "Maximum resident set size").
# The IR goes to standard output, redirected to /dev/null (see the note
# on '-o /dev/null' in bench/RESULTS.md).
#
# Prints task blocks per second, bytes of peak RSS per task block and the
# growth of the time per task block from the smallest to the largest size,
# against the targets of issue 2:
#   >= 300,000 TBs/s end to end, <= 1 KiB peak RSS per TB, linear growth.
#
# Environment:
#   OWGC      the compiler (default ./owgc)
#   OWG_GEN   the generator (default ./bench/owg-gen)
#   SIZES     task counts (default "10000 100000 1000000")
#   RUNS      runs per measurement (default 5)
#   SEED, CONTROL   passed to owg-gen (default 1 and 0.1)
#   LINEAR_MAX  largest accepted ratio of per-TB time, largest / smallest
#               size (default 1.5)
#   STRICT=1  exit 1 when a target is missed (default: only on errors)
#   KEEP=1    keep the generated files (the work folder is printed)
#   TMPDIR    where the work folder goes
# Exit status: 0 done, 1 a command failed (or a missed target with
# STRICT=1), 2 usage or missing tools.
set -u

OWGC=${OWGC:-./owgc}
OWG_GEN=${OWG_GEN:-./bench/owg-gen}
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
CONTROL=${CONTROL:-0.1}
LINEAR_MAX=${LINEAR_MAX:-1.5}
TARGET_TBS=300000
TARGET_BYTES_PER_TB=1024

die() { echo "frontend.sh: $*" >&2; exit 2; }

[ -x "$OWGC" ] || die "OWGC='$OWGC' is not an executable (build owgc or set OWGC)"
[ -x "$OWG_GEN" ] || die "OWG_GEN='$OWG_GEN' is not an executable (make bench/owg-gen or set OWG_GEN)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required"
[ -c /dev/null ] || die "/dev/null is not a character device (a run of 'owgc -o /dev/null' as root replaces it; see bench/RESULTS.md)"
case $RUNS in ''|*[!0-9]*|0) die "RUNS must be a positive number" ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/owg-frontend.XXXXXX") || die "cannot make a work folder"
if [ "${KEEP:-}" = 1 ]; then
	echo "work folder: $WORK"
else
	trap 'rm -rf "$WORK"' EXIT
fi

failed=0
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure LABEL FILE: RUNS runs of "$OWGC FILE > /dev/null" under GNU time;
# sets m_wall (median wall seconds), m_cpu (median user + system seconds)
# and m_rss (median peak RSS in KiB: GNU time's "Maximum resident set
# size", %M).  With python3 the runs are started by a small script that
# takes wall and CPU time with microsecond resolution (wait4(); the CPU
# time then includes GNU time's own ~2 ms); without it GNU time's own
# figures are used (10 ms resolution).
measure() {
	local label=$1 file=$2 out
	if command -v python3 > /dev/null 2>&1; then
		out=$(python3 - "$RUNS" "$WORK" "$OWGC" "$file" <<'PY'
import os, statistics, sys, time
runs, work, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
rssfile, err = os.path.join(work, "rss"), os.path.join(work, "err")
cmd = ["/usr/bin/time", "-f", "%M", "-o", rssfile] + argv
walls, cpus, rsss = [], [], []
for _ in range(runs):
    devnull = os.open("/dev/null", os.O_WRONLY)
    errfd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(devnull, 1)
            os.dup2(errfd, 2)
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    os.close(devnull)
    os.close(errfd)
    if status != 0:
        print("fail", status)
        sys.exit(0)
    walls.append(t1 - t0)
    cpus.append(ru.ru_utime + ru.ru_stime)
    with open(rssfile) as f:
        rsss.append(int(f.read().split()[-1]))
print("%.6f %.6f %d" % (statistics.median(walls), statistics.median(cpus), statistics.median(rsss)))
PY
)
		case $out in
		fail*|'')
			echo "frontend.sh: '$OWGC $file' failed ($label, status ${out#fail }):" >&2
			head -n 20 "$WORK/err" >&2
			failed=1
			return 1 ;;
		esac
		read -r m_wall m_cpu m_rss <<< "$out"
		return 0
	fi
	local t0 t1 walls="" cpus="" rsss=""
	for _ in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		if ! /usr/bin/time -f '%U %S %M' -o "$WORK/time" "$OWGC" "$file" > /dev/null 2> "$WORK/err"; then
			echo "frontend.sh: '$OWGC $file' failed ($label):" >&2
			head -n 20 "$WORK/err" >&2
			failed=1
			return 1
		fi
		t1=$EPOCHREALTIME
		read -r u s m < <(tail -n 1 "$WORK/time")
		walls="$walls$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
"
		cpus="$cpus$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
"
		rsss="$rsss$m
"
	done
	m_wall=$(printf '%s' "$walls" | median)
	m_cpu=$(printf '%s' "$cpus" | median)
	m_rss=$(printf '%s' "$rsss" | median)
	# GNU time reports 0.00 s of CPU for very short runs; keep a floor
	awk -v c="$m_cpu" 'BEGIN { exit !(c < 0.01) }' && m_cpu=0.01
	return 0
}

echo "# owgc front end (issue 2)"
echo
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
echo "owgc:     $("$OWGC" --version 2>/dev/null | head -n 1) ($OWGC)"
echo "command:  OWGC=$OWGC OWG_GEN=$OWG_GEN SIZES=\"$SIZES\" RUNS=$RUNS SEED=$SEED CONTROL=$CONTROL $0"
echo "load:     $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo

rows=""
for n in $SIZES; do
	src="$WORK/wf-$n.owg"
	ir="$WORK/wf-$n.owgir"
	if ! "$OWG_GEN" --tasks "$n" --seed "$SEED" --control "$CONTROL" > "$src"; then
		echo "frontend.sh: owg-gen --tasks $n failed" >&2
		failed=1
		continue
	fi
	# the IR the front end prints is the input of the read-back path
	if ! "$OWGC" "$src" > "$ir" 2> "$WORK/err"; then
		echo "frontend.sh: owgc failed on the generated workflow of $n tasks:" >&2
		head -n 20 "$WORK/err" >&2
		failed=1
		continue
	fi
	# the generator predicts that IR byte for byte: a free differential test
	if "$OWG_GEN" --tasks "$n" --seed "$SEED" --control "$CONTROL" --format owgir > "$WORK/pred.owgir" &&
		! cmp -s "$ir" "$WORK/pred.owgir"; then
		echo "frontend.sh: note: owgc's IR for $n tasks differs from owg-gen --format owgir:" >&2
		cmp "$ir" "$WORK/pred.owgir" >&2
	fi
	rm -f "$WORK/pred.owgir"
	for path in owg owgir; do
		f=$src
		[ $path = owgir ] && f=$ir
		measure "$path $n" "$f" || continue
		size=$(wc -c < "$f")
		rows="$rows$n $path $size $m_wall $m_cpu $m_rss
"
		echo "measured: $path $n tasks: wall ${m_wall}s cpu ${m_cpu}s rss ${m_rss}KiB" >&2
	done
done

[ -n "$rows" ] || { echo "frontend.sh: nothing was measured" >&2; exit 1; }

printf '%s' "$rows" | awk -v tt="$TARGET_TBS" -v tb="$TARGET_BYTES_PER_TB" -v lin="$LINEAR_MAX" -v runs="$RUNS" '
function fmt(x) { return sprintf("%\047.0f", x) }
{
	n = $1; p = $2; size = $3; wall = $4; cpu = $5; rss = $6
	tbs = n / wall; tbs_cpu = n / cpu; bpt = rss * 1024 / n
	key[++k] = n " " p
	N[k] = n; P[k] = p; W[k] = wall; C[k] = cpu
	line[k] = sprintf("| %s | %s | %.1f | %.3f | %s | %.3f | %s | %.1f | %s | %s |", fmt(n), p, size / n, wall, fmt(tbs), cpu, fmt(tbs_cpu), rss / 1024, fmt(bpt), (tbs >= tt ? "yes" : "**no**") " / " (bpt <= tb ? "yes" : "**no**"))
	if (tbs < tt) miss_t = miss_t " " p "@" n
	if (bpt > tb) miss_m = miss_m " " p "@" n
}
END {
	printf "Median of %d runs per row; TB = task block; TB/s from wall-clock time (end to end: process start to exit).\n\n", runs
	print "| tasks | input | bytes/TB of input | wall s | TB/s | CPU s | TB/s (CPU) | peak RSS MiB | peak RSS bytes/TB | >= 300k TB/s / <= 1 KiB/TB |"
	print "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"
	for (i = 1; i <= k; i++) print line[i]
	print ""
	# linear growth: per-TB time at the largest size over the smallest, per input
	bad_lin = ""
	for (pi = 0; pi < 2; pi++) {
		p = pi ? "owgir" : "owg"
		lo = 0; hi = 0
		for (i = 1; i <= k; i++) if (P[i] == p) {
			if (!lo || N[i] < N[lo]) lo = i
			if (!hi || N[i] > N[hi]) hi = i
		}
		if (!lo || lo == hi) continue
		rw = (W[hi] / N[hi]) / (W[lo] / N[lo]); rc = (C[hi] / N[hi]) / (C[lo] / N[lo])
		printf "growth %s: time per TB at %s tasks / at %s tasks = %.2f (wall), %.2f (CPU); linear if <= %s: %s\n", p, fmt(N[hi]), fmt(N[lo]), rw, rc, lin, (rw <= lin ? "yes" : "**no**")
		if (rw > lin) bad_lin = bad_lin " " p
	}
	print ""
	printf "target >= %s TB/s end to end: %s\n", fmt(tt), miss_t == "" ? "met" : "MISSED (" substr(miss_t, 2) ")"
	printf "target <= %s bytes of peak RSS per TB: %s\n", tb, miss_m == "" ? "met" : "MISSED (" substr(miss_m, 2) ")"
	printf "target linear growth: %s\n", bad_lin == "" ? "met" : "MISSED (" substr(bad_lin, 2) ")"
	if (miss_t != "" || miss_m != "" || bad_lin != "") exit 3
}'
st=$?
[ $failed = 0 ] || exit 1
if [ $st = 3 ]; then
	[ "${STRICT:-}" = 1 ] && exit 1
	exit 0
fi
exit $st
