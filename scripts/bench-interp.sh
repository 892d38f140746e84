#!/usr/bin/env bash
# bench-interp.sh: runs the C benchmarks of tests/bench/ (compiled once to
# wasm32 and natively) under wlab-run, wabt's wasm-interp, Node and natively.
# Prints median CPU times of RUNS runs and ratios taken from this one run,
# and checks that every engine returns the same checksum.
#
# Usage: BUILD=build RUNS=3 [BENCHES="fib vm"] bash scripts/bench-interp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
BENCHES=${BENCHES:-"fib sieve matmul sort vm nbody memops"}
dir=$BUILD/bench/interp
ours=$BUILD/bin/wlab-run
mkdir -p "$dir"

for b in $BENCHES; do
	src=tests/bench/$b.c
	if [[ ! -f $dir/$b.wasm || $src -nt $dir/$b.wasm ]]; then
		clang --target=wasm32 -O2 -nostdlib -mbulk-memory -Wl,--no-entry \
			-o "$dir/$b.wasm" "$src"
	fi
	if [[ ! -f $dir/$b.native || $src -nt $dir/$b.native ]]; then
		cc -O2 -o "$dir/$b.native" "$src" tests/bench/native_main.c -lm
	fi
done

# median_ms OUTFILE CMD...: median CPU time (user + system, children
# included) in ms of RUNS runs; the last run's stdout goes to OUTFILE.
median_ms() {
	local out=$1 times=() t
	shift
	for _ in $(seq "$RUNS"); do
		t=$( { TIMEFORMAT='%U %S'; time "$@" >"$out" 2>/dev/null; } 2>&1 | tail -n 1)
		times+=("$(awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%d", (u + s) * 1000 }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

# The checksum: the last number an engine printed.
checksum() { grep -o '[0-9][0-9]*' "$1" | tail -n 1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

printf '%-8s %10s %10s %10s %10s  %9s %9s %9s\n' bench wlab-run wasm-interp node native \
	interp/wlab wlab/node wlab/native
log_sum=0 n=0 bad=0 slower=0
for b in $BENCHES; do
	w=$dir/$b.wasm
	t_ours=$(median_ms "$dir/$b.out-wlab" "$ours" --invoke run "$w")
	t_interp=$(median_ms "$dir/$b.out-interp" wasm-interp --run-all-exports "$w")
	t_node=$(median_ms "$dir/$b.out-node" node tests/bench/run.mjs "$w")
	t_native=$(median_ms "$dir/$b.out-native" "$dir/$b.native")
	sums=$(for e in wlab interp node native; do checksum "$dir/$b.out-$e"; done | sort -u | wc -l)
	if [[ $sums != 1 ]]; then
		echo "$b: engines disagree:" >&2
		for e in wlab interp node native; do echo "  $e: $(checksum "$dir/$b.out-$e")" >&2; done
		bad=$((bad + 1))
	fi
	sp=$(ratio "$t_interp" "$t_ours")
	printf '%-8s %8sms %8sms %8sms %8sms  %8sx %8sx %8sx\n' "$b" "$t_ours" "$t_interp" "$t_node" \
		"$t_native" "$sp" "$(ratio "$t_ours" "$t_node")" "$(ratio "$t_ours" "$t_native")"
	log_sum=$(awk -v s="$log_sum" -v r="$sp" 'BEGIN { printf "%.6f", s + (r > 0 ? log(r) : 0) }')
	n=$((n + 1))
	awk -v r="$sp" 'BEGIN { exit !(r < 1) }' && slower=$((slower + 1))
done
geo=$(awk -v s="$log_sum" -v n="$n" 'BEGIN { printf "%.2f", exp(s / n) }')
echo "geometric mean speedup over wasm-interp: ${geo}x over $n benchmarks; slower than wasm-interp: $slower"
echo "(median CPU time of $RUNS runs, user+system; node's includes its compiler threads)"
(( bad == 0 ))
