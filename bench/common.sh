# bench/common.sh - sourced by the bench scripts: a scratch directory that
# goes away on exit, the median of the numbers on standard input, and the
# date and machine lines every result in bench/RESULTS.md carries.

# bench_workdir NAME: sets $work to a new directory, removed on exit.
bench_workdir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/owg-$1.XXXXXX") || exit 2
	trap 'rm -rf "$work"' EXIT
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_stamp() {
	echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
}
