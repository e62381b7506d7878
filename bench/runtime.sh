#!/bin/bash
# bench/runtime.sh - the runtime's policies against each other (issue 5).
#
#   bench/runtime.sh [suite|pgo|ablation|tune|wfcommons|faults|all]   (default all)
#
# suite      the dual-dynamic suite: every example with its phase file
#            (examples/phases/) and generated workflows with volatile tasks
#            and bursty branches (bench/owg-gen --volatile --bursty --phases),
#            on the default, chiplet and wafer presets, at two load levels:
#            a closed batch (every request at time 0) and Poisson arrivals at
#            the rate owgc sized the plan for.  owgrun --compare runs the four
#            policies on the same .owgp with the same seed.  Reports
#            makespan/LB per policy, octopus's speed-up over static and
#            reactive, and their geometric means.
#            Targets: octopus >= 3.0x over static and >= 1.5x over reactive
#            (geomean), octopus makespan/LB <= 1.25 (geomean).
# pgo        the same suite compiled the way the profile loop does: owgc,
#            owgrun --profile-out on the phased stream (static policy,
#            another seed), owgc --profile-use; every policy then runs from
#            the profiled plan.
# ablation   octopus with each mechanism switched off in turn, on the suite:
#            geomean makespan relative to full octopus.
# tune       the baselines' parameters swept on the suite's default-fabric
#            half (reactive threshold x cooldown, steal hops): geomean
#            makespan relative to each policy's defaults, so that the
#            defaults are shown to be the best of the sweep.
# wfcommons  every workflow in $WFCOMMONS (default ../shared/data/wfcommons;
#            the runs of one workflow imported together), one run of it on
#            flat-16, default and chiplet where it fits: makespan/LB per
#            policy.  Target: <= 1.10.
# faults     1% of the PEAs failing mid-run against none: makespan ratio.
#
# Environment: OWGC, OWGRUN, OWGGEN (binaries), REQUESTS (default 2000 on
# default and chiplet; x10 on the wafer), SEED (default 1), FABRICS,
# LOADS, OUT (a directory to keep the JSON of every run in).
set -u
OWGC=${OWGC:-./owgc}
OWGRUN=${OWGRUN:-./owgrun}
OWGGEN=${OWGGEN:-./bench/owg-gen}
REQUESTS=${REQUESTS:-2000}
SEED=${SEED:-1}
FABRICS=${FABRICS:-"default chiplet wafer"}
LOADS=${LOADS:-"batch open"}
WFCOMMONS=${WFCOMMONS:-../shared/data/wfcommons}
EXAMPLES=${EXAMPLES:-"face_recognition recommendation rag_llm driving_perception voice_assistant moe_routing"}
GENERATED=${GENERATED:-"1 2 3"}
what=${1:-all}
for t in "$OWGC" "$OWGRUN" "$OWGGEN"; do
	[ -x "$t" ] || { echo "runtime.sh: $t missing (make)" >&2; exit 2; }
done
command -v python3 > /dev/null || { echo "runtime.sh: python3 missing" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
bench_workdir runtime
OUT=${OUT:-$work/json}
mkdir -p "$OUT"

echo "# owgrun policies (issue 5): bench/runtime.sh $what"
echo
bench_stamp
echo "command:  REQUESTS=$REQUESTS SEED=$SEED FABRICS='$FABRICS' LOADS='$LOADS' bench/runtime.sh $what"
echo

# The workloads: NAME SOURCE PHASES
workloads() {
	for ex in $EXAMPLES; do
		echo "$ex examples/$ex.owg examples/phases/$ex.phases"
	done
	for g in $GENERATED; do
		local src=$work/gen$g.owg ph=$work/gen$g.phases
		if [ ! -f "$src" ]; then
			"$OWGGEN" --tasks 40 --seed "$g" --control 0.3 --max-peas 16 --volatile 0.4 --bursty 0.6 \
				--phases "$ph" > "$src" || exit 1
		fi
		echo "gen$g $src $ph"
	done
}

# compile NAME SOURCE FABRIC [PHASES] -> prints the .owgp path and its
# plan rate.  With PHASES (the pgo runs), the loop a user runs: compile,
# record a profile with owgrun (static, 1000 requests, another seed than
# the measured runs), compile again with --profile-use.
compile() {
	local bin=$work/$1.$3${4:+.pgo}.owgp
	if [ ! -f "$bin" ]; then
		"$OWGC" -w --fabric="$3" "$2" -o "$bin" 2> "$work/err" || { cat "$work/err" >&2; return 1; }
		if [ -n "${4:-}" ]; then
			"$OWGRUN" --requests=1000 --seed=$((SEED + 1000)) --no-progress --phases="$4" \
				--profile-out="$work/$1.$3.owgprof" "$bin" > /dev/null 2> "$work/err" &&
			"$OWGC" -w --fabric="$3" --profile-use="$work/$1.$3.owgprof" "$2" -o "$bin" 2> "$work/err" ||
				{ cat "$work/err" >&2; rm -f "$bin"; return 1; }
		fi
	fi
	echo "$bin $("$OWGC" --emit=ir "$bin" -o - 2> /dev/null | awk '/^plan rate/ { print $3; exit }')"
}

requests_for() { [ "$1" = wafer ] && echo $((REQUESTS * 10)) || echo "$REQUESTS"; }

# run TAG NAME SOURCE PHASES FABRIC LOAD [owgrun options...]: one --compare
# (or one policy when the options name one) into $OUT/TAG.NAME.FABRIC.LOAD.json
run() {
	local tag=$1 name=$2 src=$3 ph=$4 fab=$5 load=$6
	shift 6
	local out=$OUT/$tag.$name.$fab.$load.json
	[ -s "$out" ] && return 0
	local trained=
	case $tag in pgo*) trained=$ph ;; esac
	read -r bin rate < <(compile "$name" "$src" "$fab" "$trained") || return 1
	local args=(--requests="$(requests_for "$fab")" --seed="$SEED" --no-progress --stats=json)
	[ "$load" = open ] && args+=(--rate="$rate")
	[ -n "$ph" ] && args+=(--phases="$ph")
	"$OWGRUN" "${args[@]}" "$@" "$bin" > "$out" 2> "$work/err" || { cat "$work/err" >&2; rm -f "$out"; return 1; }
}

suite_runs() { # TAG [owgrun options...]
	local tag=$1
	shift
	while read -r name src ph; do
		for fab in $FABRICS; do
			for load in $LOADS; do
				run "$tag" "$name" "$src" "$ph" "$fab" "$load" "$@" || echo "runtime.sh: $name on $fab ($load) failed" >&2
			done
		done
	done < <(workloads)
}

report() { # python3 report KIND
	python3 - "$OUT" "$1" "${REQUESTS}" << 'EOF'
import glob, json, math, os, sys
out, kind = sys.argv[1], sys.argv[2]
def load(tag):
    rows = {}
    for f in sorted(glob.glob(os.path.join(out, tag + '.*.json'))):
        _, name, fab, ld = os.path.basename(f)[:-5].split('.', 3)
        v = json.load(open(f))
        rows[(name, fab, ld)] = v if isinstance(v, list) else [v]
    return rows
def gm(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else float('nan')
if kind in ('suite', 'pgo'):
    rows = load(kind)
    print('| workload | fabric | load | static | reactive | steal | octopus | octopus/static | octopus/reactive |')
    print('|---|---|---|---:|---:|---:|---:|---:|---:|')
    ratio = {p: [] for p in ('static', 'reactive', 'steal', 'octopus')}
    sp_s, sp_r = [], []
    for k in sorted(rows):
        by = {r['policy']: r for r in rows[k]}
        for p in ratio:
            ratio[p].append(by[p]['makespan_over_lb'])
        s = by['static']['makespan'] / by['octopus']['makespan']
        r = by['reactive']['makespan'] / by['octopus']['makespan']
        sp_s.append(s); sp_r.append(r)
        print('| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx |' % (k[0], k[1], k[2],
              by['static']['makespan_over_lb'], by['reactive']['makespan_over_lb'],
              by['steal']['makespan_over_lb'], by['octopus']['makespan_over_lb'], s, r))
    print('| **geomean** (%d runs) | | | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx |' % (len(sp_s),
          gm(ratio['static']), gm(ratio['reactive']), gm(ratio['steal']), gm(ratio['octopus']), gm(sp_s), gm(sp_r)))
    for fab in sorted({k[1] for k in rows}):
        ks = [k for k in sorted(rows) if k[1] == fab]
        s = [next(r for r in rows[k] if r['policy'] == 'static')['makespan'] /
             next(r for r in rows[k] if r['policy'] == 'octopus')['makespan'] for k in ks]
        o = [next(r for r in rows[k] if r['policy'] == 'octopus')['makespan_over_lb'] for k in ks]
        print('| geomean on %s | | | | | | %.3f | %.2fx | |' % (fab, gm(o), gm(s)))
elif kind == 'ablation':
    full = load('suite')
    print('| octopus without | geomean makespan / full octopus | worst | geomean makespan/LB |')
    print('|---|---:|---:|---:|')
    for m in ('discriminate', 'adaptive', 'proactive', 'diffusion'):
        rows = load('no-' + m)
        rel, lbs = [], []
        for k, v in rows.items():
            o = next(r for r in full[k] if r['policy'] == 'octopus')
            rel.append(v[0]['makespan'] / o['makespan']); lbs.append(v[0]['makespan_over_lb'])
        print('| %s | %.3f | %.3f | %.3f |' % (m, gm(rel), max(rel), gm(lbs)))
elif kind == 'tune':
    print('| policy | parameters | geomean makespan / default parameters |')
    print('|---|---|---:|')
    base = load('suite')
    for f in sorted(glob.glob(os.path.join(out, 'tune-*.json'))):
        pass
    for tag in sorted({os.path.basename(f).split('.')[0] for f in glob.glob(os.path.join(out, 'tune-*.json'))}):
        rows = load(tag)
        rel = []
        for k, v in rows.items():
            pol = v[0]['policy']
            b = next(r for r in base[k] if r['policy'] == pol)
            rel.append(v[0]['makespan'] / b['makespan'])
        t = v[0]['tuning']
        par = ('threshold %g, cooldown %g' % (t['reactive_threshold'], t['reactive_cooldown'])
               if pol == 'reactive' else '%d hops' % t['steal_hops'])
        print('| %s | %s | %.3f |' % (pol, par, gm(rel)))
elif kind == 'wfcommons':
    rows = load('wf')
    print('| trace | fabric | static | reactive | steal | octopus |')
    print('|---|---|---:|---:|---:|---:|')
    acc = {}
    for k in sorted(rows):
        by = {r['policy']: r['makespan_over_lb'] for r in rows[k]}
        for p, v in by.items():
            acc.setdefault((k[1], p), []).append(v)
        print('| %s | %s | %.3f | %.3f | %.3f | %.3f |' % (k[0], k[1], by['static'], by['reactive'], by['steal'], by['octopus']))
    for fab in sorted({k[0] for k in acc}):
        print('| **geomean** | %s | %s |' % (fab, ' | '.join('%.3f' % gm(acc[(fab, p)]) for p in ('static', 'reactive', 'steal', 'octopus'))))
        print('| **worst** | %s | %s |' % (fab, ' | '.join('%.3f' % max(acc[(fab, p)]) for p in ('static', 'reactive', 'steal', 'octopus'))))
elif kind == 'faults':
    clean, faulty = load('suite'), load('faults')
    print('| workload | fabric | load | policy | makespan, 1% PEAs failed / none | tasks lost |')
    print('|---|---|---|---|---:|---:|')
    acc = {}
    for k in sorted(faulty):
        for r in faulty[k]:
            c = next(x for x in clean[k] if x['policy'] == r['policy'])
            acc.setdefault(r['policy'], []).append(r['makespan'] / c['makespan'])
            print('| %s | %s | %s | %s | %.3f | %d |' % (k[0], k[1], k[2], r['policy'], r['makespan'] / c['makespan'], r['tasks_lost']))
    for p, v in acc.items():
        print('| **geomean** | | | %s | %.3f | |' % (p, gm(v)))
EOF
}

case $what in suite|ablation|tune|faults|all) suite_runs suite --compare ;; esac

if [ "$what" = suite ] || [ "$what" = all ]; then
	echo "## The dual-dynamic suite: makespan / LB per policy"
	echo
	report suite
	echo
fi

if [ "$what" = pgo ] || [ "$what" = all ]; then
	suite_runs pgo --compare
	echo "## The suite after the profile loop (compile, profile on the phased stream, recompile)"
	echo
	report pgo
	echo
fi

if [ "$what" = ablation ] || [ "$what" = all ]; then
	for m in discriminate adaptive proactive diffusion; do
		suite_runs "no-$m" --policy=octopus "--no-$m"
	done
	echo "## Ablation: octopus with one mechanism off"
	echo
	report ablation
	echo
fi

if [ "$what" = tune ] || [ "$what" = all ]; then
	saved=$FABRICS
	FABRICS=default
	for th in 1 2 4 8 16; do
		for cd in 2 5 10 20; do
			suite_runs "tune-reactive-$th-$cd" --policy=reactive --reactive-threshold="$th" --reactive-cooldown="$cd"
		done
	done
	for h in 1 2 4 8 12 16; do
		suite_runs "tune-steal-$h" --policy=steal --steal-hops="$h"
	done
	FABRICS=$saved
	echo "## Tuning the baselines (default fabric, both loads)"
	echo
	report tune
	echo
fi

if [ "$what" = faults ] || [ "$what" = all ]; then
	saved=$FABRICS
	FABRICS="default chiplet"
	suite_runs faults --compare --fail-random=0.01@mid
	FABRICS=$saved
	echo "## Fault cost: 1% of the PEAs fail when half the requests are done"
	echo
	report faults
	echo
fi

if [ "$what" = wfcommons ] || [ "$what" = all ]; then
	# one workflow per trace; several runs of one workflow (the same name
	# but its -NNN run number) are imported together, as distributions
	find "$WFCOMMONS" -name '*.json' | sed -E 's/(-[0-9]+)?\.json$//' | sort -u | while read -r stem; do
		name=$(basename "$stem" | tr '.-' '__')
		"$OWGC" --import=wfcommons "$stem"*.json -o "$work/$name.owg" 2> /dev/null ||
			{ echo "runtime.sh: cannot import $stem*.json" >&2; continue; }
		for fab in flat-16 default chiplet; do
			out=$OUT/wf.$name.$fab.one.json
			[ -s "$out" ] && continue
			if ! "$OWGC" -w --fabric="$fab" "$work/$name.owg" -o "$work/$name.$fab.owgp" 2> "$work/err"; then
				echo "| $name | $fab | $(grep -m1 -o 'needs [0-9]* PEAs, the fabric has [0-9]*' "$work/err") |" >> "$work/wf-nofit"
				continue
			fi
			"$OWGRUN" --requests=1 --seed="$SEED" --no-progress --stats=json --compare "$work/$name.$fab.owgp" \
				> "$out" 2> "$work/err" || { cat "$work/err" >&2; rm -f "$out"; }
		done
	done
	echo "## WfCommons workflows, one run each: makespan / LB"
	echo
	report wfcommons
	echo
	if [ -s "$work/wf-nofit" ]; then
		echo "Did not fit (owgc gives every task its own PEA array):"
		echo
		echo "| trace | fabric | PEAs |"
		echo "|---|---|---|"
		cat "$work/wf-nofit"
		echo
	fi
fi
