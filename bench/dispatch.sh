#!/bin/bash
# bench/dispatch.sh - dispatch overhead and scaling on threads (issue 6):
# owgrt's host executor against OpenMP tasks and StarPU, side by side, on
# the same DAG and the same kernel.
#
# bench/dispatch/dag_gen writes one random layered DAG (WIDTH x LAYERS
# tasks, default 50 x 20 = 1,000, each past the first layer with 1 to
# PREDS = 3 predecessors from the layer before; SEED 1) both as an owg
# workflow (`task tN : general { peas 1; time 1us; kernel "empty"; }`,
# flows `tA -> tB : 0B;`) and as an edge list.  The runners execute R
# instances (requests) of it, each task calling the same kernel
# (bench/dispatch/runner.h: nothing, or a busy-wait of the thread's CPU
# time on CLOCK_THREAD_CPUTIME_ID), on T threads:
#   omp     gcc -fopenmp (libgomp): one parallel region of T threads, one
#           producer creating every task of every request with
#           depend(in:) on its predecessors and depend(out:) on its own
#           per-request dependency object;
#   starpu  StarPU 1.3 (Debian's libstarpu-dev): T CPU workers, one
#           codelet with a CPU implementation and no data, explicit
#           dependencies (starpu_task_declare_deps_array), the main thread
#           submitting, starpu_task_wait_for_all; STARPU_SCHED (default
#           lws), STARPU_SILENT=1, no calibration;
#   owgrt   the workflow compiled with `owgc -c --fabric=flat-N` (one PEA
#           per task), linked with ./.libs/libowgrt.a, opened through the
#           generated owg_dag_open with opts.threads = T and each of the
#           four policies, R requests with owgrt_exec_run.
#   serial  the reference: no runtime, the main thread calls the kernel for
#           every task in topological order (one thread): the kernel's own
#           cost, the floor under the others.
# Every runner prints the wall time from the first submission to the last
# completion (threads already started).  Built with -DBENCH_VERIFY, each
# checks that every task ran once, after its predecessors, in every
# request (runner.h).
#
#   bench/dispatch.sh [overhead|scaling|all]       (default all)
#
# overhead: the empty kernel, R x tasks = EXECS (default 10^6) task
#   executions; per-task dispatch overhead = wall / executions, the median
#   of RUNS (default 5) runs, interleaved (every system once per round).
# scaling: kernels of SPINS (default "10us 100us 1ms") of CPU time, R
#   chosen so that the kernels' work is WORK seconds (default 2) on one
#   thread; speed-up of the largest T over the smallest, and efficiency
#   against the ideal tasks x kernel / T.
#
# Environment: THREADS ("1 2"), RUNS (5), EXECS (1000000), SPINS, WORK (2),
# WIDTH (50), LAYERS (20), PREDS (3), SEED (1), POLICIES ("static reactive
# steal octopus"), SYSTEMS ("omp starpu owgrt"), STARPU_SCHED (lws),
# TIMEOUT (600 s per run), MAXFOREIGN (0.3), RETRIES (10), QUIET (600),
# OWGC (./owgc), CC (gcc), TMPDIR.
# On a shared machine: a run during which other processes took more than
# MAXFOREIGN CPUs (/proc/stat's busy time less the runner's own) runs
# again after a pause, up to RETRIES times; each part first waits up to
# QUIET seconds for the machine to be quiet.  The tables say how much the
# others took and how many runs were retried or kept loaded.
# StarPU: installed with apt-get when missing and run as root; otherwise
# the StarPU column is skipped with the line to install it.  The owgrt
# column needs `owgc -c` and the executor in ./.libs/libowgrt.a (make).
set -u
PART=${1:-all}
case $PART in overhead | scaling | all) ;; *) echo "usage: bench/dispatch.sh [overhead|scaling|all]" >&2; exit 2 ;; esac
OWGC=${OWGC:-./owgc}
CC=${CC:-gcc}
THREADS=${THREADS:-"1 2"}
RUNS=${RUNS:-5}
EXECS=${EXECS:-1000000}
SPINS=${SPINS:-"10us 100us 1ms"}
WORK=${WORK:-2}
WIDTH=${WIDTH:-50}
LAYERS=${LAYERS:-20}
PREDS=${PREDS:-3}
SEED=${SEED:-1}
POLICIES=${POLICIES:-"static reactive steal octopus"}
SYSTEMS=${SYSTEMS:-"omp starpu owgrt"}
TIMEOUT=${TIMEOUT:-600}
MAXFOREIGN=${MAXFOREIGN:-0.3}
RETRIES=${RETRIES:-10}
QUIET=${QUIET:-600}
export STARPU_SCHED=${STARPU_SCHED:-lws}
src=$(dirname "$0")/dispatch
. "$(dirname "$0")/common.sh"
bench_workdir dispatch
CFLAGS="-O2 -Wall -Wextra"
tasks=$((WIDTH * LAYERS))

"$CC" $CFLAGS -o "$work/dag_gen" "$src/dag_gen.c" || exit 1
gen() { # KERNEL TIME BASENAME
	"$work/dag_gen" --width "$WIDTH" --layers "$LAYERS" --preds "$PREDS" --seed "$SEED" \
		--name dag --kernel "$1" --time "$2" --owg "$work/$3.owg" --edges "$work/dag.edges"
}
gen empty 1us dag-empty || exit 1
edges=$(awk '$1 == "tasks" { print $4 }' "$work/dag.edges")

# --- the runners ---
have=""
notes=()
if [[ " $SYSTEMS " == *" omp "* ]]; then
	"$CC" $CFLAGS -fopenmp -o "$work/omp" "$src/omp_runner.c" || exit 1
	have="$have omp"
fi
if [[ " $SYSTEMS " == *" starpu "* ]]; then
	if ! pkg-config --exists starpu-1.3 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "dispatch.sh: installing libstarpu-dev (apt-get)" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libstarpu-dev >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libstarpu-dev >&2; }
	fi
	if pkg-config --exists starpu-1.3; then
		"$CC" $CFLAGS $(pkg-config --cflags starpu-1.3) -o "$work/starpu" "$src/starpu_runner.c" \
			$(pkg-config --libs starpu-1.3) || exit 1
		have="$have starpu"
		mkdir -p "$work/starpu-home"
	else
		notes+=("StarPU skipped: not installed (apt-get install libstarpu-dev)")
	fi
fi
owgrt_build() { # KERNEL TIME BASENAME: the runner binary $work/BASENAME
	gen "$1" "$2" "$3" &&
		"$OWGC" -w --fabric=flat-"$tasks" -c "$work/$3.owg" -o "$work/$3.o" &&
		"$CC" $CFLAGS -Iruntime -o "$work/$3" "$src/owgrt_runner.c" "$work/$3.o" .libs/libowgrt.a -lz -lm -lpthread
}
if [[ " $SYSTEMS " == *" owgrt "* ]]; then
	if ! nm .libs/libowgrt.a 2>/dev/null | grep -q 'T owgrt_exec_open'; then
		notes+=("owgrt skipped: the host executor is not in ./.libs/libowgrt.a (make)")
	elif ! "$OWGC" --help 2>&1 | grep -q -- ' -c'; then
		notes+=("owgrt skipped: $OWGC has no -c (the LLVM backend)")
	elif owgrt_build empty 1us owgrt-empty; then
		have="$have owgrt"
	else
		echo "dispatch.sh: the owgrt runner does not build" >&2
		exit 1
	fi
fi

"$CC" $CFLAGS -o "$work/serial" "$src/serial_runner.c" || exit 1

# the columns: serial, omp, starpu, owgrt-POLICY ...
columns=(serial)
for s in $have; do
	if [ "$s" = owgrt ]; then
		for p in $POLICIES; do columns+=("owgrt-$p"); done
	else
		columns+=("$s")
	fi
done
[ ${#columns[@]} -gt 1 ] || { echo "dispatch.sh: nothing to run" >&2; exit 2; }

# The machine may be shared: /proc/stat's busy time during a run, less the
# runner's own CPU time, is what other processes took (in CPUs, over the
# runner's life).  A run during which they took more than MAXFOREIGN CPUs
# is run again, after a pause, up to RETRIES times; then it is kept and
# counted as loaded.
hz=$(getconf CLK_TCK)
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
clock() { date +%s.%N; }
# run1 COLUMN T REQUESTS SPIN_NS BINSUFFIX: the runner's output line
run1() {
	case $1 in
	serial) timeout "$TIMEOUT" "$work/serial" "$work/dag.edges" 1 "$3" "$4" ;;
	omp) timeout "$TIMEOUT" "$work/omp" "$work/dag.edges" "$2" "$3" "$4" ;;
	starpu) STARPU_SILENT=1 STARPU_NCPU="$2" STARPU_NCUDA=0 STARPU_NOPENCL=0 STARPU_CALIBRATE=0 \
		STARPU_HOME="$work/starpu-home" timeout "$TIMEOUT" "$work/starpu" "$work/dag.edges" "$2" "$3" "$4" ;;
	owgrt-*) timeout "$TIMEOUT" "$work/owgrt-$5" "$work/dag.edges" "$2" "$3" "$4" "${1#owgrt-}" ;;
	esac
}
# run COLUMN T REQUESTS SPIN_NS BINSUFFIX: prints "WALL FOREIGN"
run() {
	local out b0 b1 c0 c1 f try=0
	while :; do
		b0=$(busy) c0=$(clock)
		out=$(run1 "$@") || { echo "dispatch.sh: $1 on $2 threads failed" >&2; echo "NaN NaN"; return; }
		b1=$(busy) c1=$(clock)
		f=$(awk -v b="$((b1 - b0))" -v hz="$hz" -v e="$(echo "$c0 $c1" | awk '{ print $2 - $1 }')" \
			'$1 == "wall" { f = (b / hz - $6) / e; printf "%.2f", f < 0 ? 0 : f }' <<<"$out")
		if awk -v f="$f" -v m="$MAXFOREIGN" 'BEGIN { exit !(f > m) }'; then
			if [ "$try" -lt "$RETRIES" ]; then
				try=$((try + 1))
				echo "$1 T=$2 foreign $f" >>"$work/retried"
				sleep 3
				continue
			fi
			echo "$1 T=$2 foreign $f" >>"$work/loaded"
		fi
		break
	done
	awk -v f="$f" '$1 == "wall" { print $2, f }' <<<"$out"
}
# quiet: waits up to QUIET seconds for other processes to use less than
# MAXFOREIGN CPUs over 3 s
quiet() {
	local end=$((SECONDS + QUIET)) b0 b1
	while :; do
		b0=$(busy)
		sleep 3
		b1=$(busy)
		awk -v b="$((b1 - b0))" -v hz="$hz" -v m="$MAXFOREIGN" 'BEGIN { exit !(b / hz / 3 > m) }' || return 0
		[ $SECONDS -lt $end ] || { echo "dispatch.sh: the machine is busy (other processes); measuring anyway" >&2; return 0; }
	done
}
count() { if [ -f "$work/$1" ]; then wc -l <"$work/$1"; else echo 0; fi; }
# foreign FILES...: "median M, max X CPUs" of the other processes' load
foreign() { cat "$@" 2>/dev/null | awk '$2 != "NaN" { print $2 }' >"$work/f"; [ -s "$work/f" ] &&
	echo "other processes took a median $(median <"$work/f") CPUs (max $(sort -g "$work/f" | tail -1)) during the runs"; }
# cell FILE: median of the values
cell() { [ -s "$1" ] && awk '$1 != "NaN" { print $1 }' "$1" | median; }
ns() { awk -v s="$1" -v n="$2" 'BEGIN { if (s == "") print "-"; else printf "%.0f", s / n * 1e9 }'; }
spin_ns() { awk -v s="$1" 'BEGIN { v = s + 0; u = substr(s, length(v "") + 1);
	m = u == "ns" ? 1 : u == "us" ? 1e3 : u == "ms" ? 1e6 : u == "s" ? 1e9 : -1;
	if (m < 0) exit 1; printf "%d", v * m }'; }

echo "# Dispatch overhead and scaling on threads (issue 6)"
echo
bench_stamp
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo "command:  THREADS=\"$THREADS\" RUNS=$RUNS EXECS=$EXECS SPINS=\"$SPINS\" WORK=$WORK WIDTH=$WIDTH LAYERS=$LAYERS PREDS=$PREDS SEED=$SEED STARPU_SCHED=$STARPU_SCHED bench/dispatch.sh $PART"
echo "DAG:      $tasks tasks in $LAYERS layers of $WIDTH, $edges edges (1-$PREDS predecessors each), seed $SEED"
echo "compiler: $("$CC" --version | head -1), -O2"
pkg-config --exists starpu-1.3 && echo "StarPU:   $(pkg-config --modversion starpu-1.3), STARPU_SCHED=$STARPU_SCHED"
[[ " $have " == *" owgrt "* ]] && echo "owgrt:    commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), owgc -c --fabric=flat-$tasks"
for n in "${notes[@]+"${notes[@]}"}"; do echo "note:     $n"; done
echo

tlist=($THREADS)
t_lo=${tlist[0]}
t_hi=${tlist[${#tlist[@]} - 1]}

if [ "$PART" != scaling ]; then
	req=$(((EXECS + tasks - 1) / tasks))
	execs=$((req * tasks))
	quiet
	from=$(date -u +%H:%M)
	for r in $(seq "$RUNS"); do
		for t in $THREADS; do
			for c in "${columns[@]}"; do
				[ "$c" = serial ] && [ "$t" != "$t_lo" ] && continue
				run "$c" "$t" "$req" 0 empty >>"$work/ovh.$c.$t"
			done
		done
	done
	echo "## Dispatch overhead: ns per task, empty kernel"
	echo
	echo "Measured $from-$(date -u +%H:%M) UTC: $req requests x $tasks tasks = $execs task executions per run;"
	echo "median of $RUNS runs (min-max);"
	echo "$(foreign "$work"/ovh.*); $(count retried) runs retried,"
	echo "$(count loaded) kept loaded; load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs."
	rm -f "$work/retried" "$work/loaded"
	echo
	hdr="| system |"
	sep="|---|"
	for t in $THREADS; do hdr="$hdr T=$t |"; sep="$sep---:|"; done
	[ "$t_lo" != "$t_hi" ] && { hdr="$hdr T=$t_hi / T=$t_lo |"; sep="$sep---:|"; }
	echo "$hdr"
	echo "$sep"
	for c in "${columns[@]}"; do
		row="| $c |"
		for t in $THREADS; do
			m=$(cell "$work/ovh.$c.$t")
			if [ -z "$m" ]; then row="$row - |"; continue; fi
			lo=$(awk '$1 != "NaN" { print $1 }' "$work/ovh.$c.$t" | sort -g | head -1)
			hi=$(awk '$1 != "NaN" { print $1 }' "$work/ovh.$c.$t" | sort -g | tail -1)
			row="$row $(ns "$m" "$execs") ($(ns "$lo" "$execs")-$(ns "$hi" "$execs")) |"
		done
		if [ "$t_lo" != "$t_hi" ]; then
			row="$row $(awk -v a="$(cell "$work/ovh.$c.$t_lo")" -v b="$(cell "$work/ovh.$c.$t_hi")" \
				'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2f", b / a }') |"
		fi
		echo "$row"
	done
	echo
	if [[ " $have " == *" owgrt "* ]]; then
		echo "Target: owgrt's per-task cost at most that of the fastest of OpenMP and StarPU."
		echo
		for t in $THREADS; do
			best="" bestc=""
			for c in "${columns[@]}"; do
				[[ $c == owgrt-* || $c == serial ]] && continue
				v=$(cell "$work/ovh.$c.$t")
				[ -n "$v" ] && { [ -z "$best" ] || awk -v a="$v" -v b="$best" 'BEGIN { exit !(a < b) }'; } && best=$v bestc=$c
			done
			ob="" obc=""
			for c in "${columns[@]}"; do
				[[ $c == owgrt-* ]] || continue
				v=$(cell "$work/ovh.$c.$t")
				[ -n "$v" ] && { [ -z "$ob" ] || awk -v a="$v" -v b="$ob" 'BEGIN { exit !(a < b) }'; } && ob=$v obc=$c
			done
			[ -n "$best" ] && [ -n "$ob" ] || continue
			awk -v t="$t" -v o="$ob" -v oc="$obc" -v b="$best" -v bc="$bestc" -v n="$execs" 'BEGIN {
				r = o / b
				printf "- T=%s: fastest owgrt (%s) %.0f ns, fastest baseline (%s) %.0f ns: %s (%.2fx)\n", t, oc,
					o / n * 1e9, bc, b / n * 1e9, r <= 1 ? "met" : "**missed**", r }'
		done
		echo
	fi
fi

if [ "$PART" != overhead ]; then
	# the spin kernels' runners: the workflow declares the kernel's time
	for k in $SPINS; do
		sn=$(spin_ns "$k") || { echo "dispatch.sh: bad kernel time $k" >&2; exit 2; }
		if [[ " $have " == *" owgrt "* ]]; then
			owgrt_build spin "$k" "owgrt-spin$k" || exit 1
		fi
	done
	quiet
	from=$(date -u +%H:%M)
	for r in $(seq "$RUNS"); do
		for k in $SPINS; do
			sn=$(spin_ns "$k")
			req=$(awk -v w="$WORK" -v s="$sn" -v n="$tasks" 'BEGIN { r = int(w * 1e9 / s / n + 0.5); print r < 1 ? 1 : r }')
			for t in $THREADS; do
				for c in "${columns[@]}"; do
					[ "$c" = serial ] && [ "$t" != "$t_lo" ] && continue
					run "$c" "$t" "$req" "$sn" "spin$k" >>"$work/scl.$k.$c.$t"
				done
			done
		done
	done
	echo "## Scaling: kernels of 10 us to 1 ms of CPU time"
	echo
	echo "Measured $from-$(date -u +%H:%M) UTC.  Wall seconds (median of $RUNS runs), speed-up of T=$t_hi over T=$t_lo, and efficiency ="
	echo "(tasks x kernel / T) / wall at each T; $(foreign "$work"/scl.*);"
	echo "$(count retried) runs retried, $(count loaded) kept loaded;"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs."
	echo
	hdr="| kernel | tasks | system |"
	sep="|---|---:|---|"
	for t in $THREADS; do hdr="$hdr wall T=$t |"; sep="$sep---:|"; done
	hdr="$hdr speed-up |"
	sep="$sep---:|"
	for t in $THREADS; do hdr="$hdr eff. T=$t |"; sep="$sep---:|"; done
	echo "$hdr"
	echo "$sep"
	for k in $SPINS; do
		sn=$(spin_ns "$k")
		req=$(awk -v w="$WORK" -v s="$sn" -v n="$tasks" 'BEGIN { r = int(w * 1e9 / s / n + 0.5); print r < 1 ? 1 : r }')
		n=$((req * tasks))
		for c in "${columns[@]}"; do
			row="| $k | $n | $c |"
			for t in $THREADS; do
				v=$(cell "$work/scl.$k.$c.$t")
				row="$row ${v:--} |"
			done
			lo=$(cell "$work/scl.$k.$c.$t_lo")
			hi=$(cell "$work/scl.$k.$c.$t_hi")
			row="$row $(awk -v a="$lo" -v b="$hi" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2fx", a / b }') |"
			for t in $THREADS; do
				v=$(cell "$work/scl.$k.$c.$t")
				row="$row $(awk -v w="$v" -v n="$n" -v s="$sn" -v t="$t" \
					'BEGIN { if (w == "") print "-"; else printf "%.1f%%", 100 * n * s * 1e-9 / t / w }') |"
			done
			echo "$row"
		done
	done
	echo
fi
