#!/usr/bin/env bash
# bench-gc.sh: the GC benchmarks of tests/bench/gc/ (WAT of our own, each
# exporting run() -> i32 checksum; assembled with wlab-wat) under wlab-run,
# binaryen 132's interpreter (wasm-opt --fuzz-exec-before, from
# tests/oracles/node_modules) and V8 in Debian's headless Chromium
# (tests/browser/bench-gc.mjs through playwright-core: Node 20's V8 refuses
# the final GC encoding).
#
# Interleaved: RUNS rounds, each running every engine once on a benchmark,
# so the machine's load falls on all alike; binaryen's interpreter is about
# 300 times slower than wlab-run, so it runs only in the first BRUNS rounds.
# Prints per engine the median CPU time (user + system; not measurable for
# V8 inside Chromium's renderer), the median wall time (for V8: the
# in-page time of compile + instantiate + run(), Chromium's start-up not
# counted), ratios of those medians and the median peak RSS (for V8: the
# renderer process's VmHWM, the blank page's baseline included). Exits 1
# when the engines' checksums disagree.
#
# SIZE=small assembles each benchmark at the small size of its ";; SIZE"
# line that tests/bench/gc_check.py uses (a quick look, not a measurement).
#
# Usage: BUILD=build [RUNS=3] [BRUNS=1] [BENCHES="binary_trees churn"]
#        [ENGINES="wlab binaryen v8"] [SIZE=small] bash scripts/bench-gc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
BRUNS=${BRUNS:-1}
BENCHES=${BENCHES:-"binary_trees churn sort_structs strings"}
ENGINES=${ENGINES:-"wlab binaryen v8"}
SIZE=${SIZE:-}
dir=$BUILD/bench/gc
ours=$BUILD/bin/wlab-run
wasm_opt=tests/oracles/node_modules/binaryen/bin/wasm-opt
mkdir -p "$dir"
has() { [[ " $ENGINES " == *" $1 "* ]]; }
for tool in "$ours" "$BUILD/bin/wlab-wat"; do
	[[ -x $tool ]] || { echo "bench-gc.sh: $tool is missing (make all)" >&2; exit 2; }
done
if has binaryen && [[ ! -x $wasm_opt ]]; then
	echo "bench-gc.sh: $wasm_opt is missing (bash scripts/deps.sh)" >&2
	exit 2
fi

for b in $BENCHES; do
	src=tests/bench/gc/$b.wat
	[[ -f $src ]] || { echo "bench-gc.sh: no $src" >&2; exit 2; }
	if [[ $SIZE == small ]]; then
		python3 -B tests/bench/gc_check.py --small "$src" >"$dir/$b.wat"
		src=$dir/$b.wat
	fi
	"$BUILD/bin/wlab-wat" "$src" -o "$dir/$b.wasm"
done

# run ENGINE BENCH OUT: one run; appends "cpu_ms wall_ms rss_kib" to OUT.times
# and leaves the checksum (unsigned) in OUT.sum.
run() {
	local e=$1 w=$dir/$2.wasm out=$3 line
	case $e in
	wlab | binaryen)
		local cmd=("$ours" --invoke run "$w")
		[[ $e == binaryen ]] && cmd=("$wasm_opt" -all --fuzz-exec-before "$w" -o /dev/null)
		/usr/bin/time -f '%e %U %S %M' -o "$out.t1" "${cmd[@]}" >"$out" 2>&1 || true
		awk '{ printf "%d %d %d\n", ($2 + $3) * 1000, $1 * 1000, $4 }' "$out.t1" >>"$out.times"
		grep -o -- '-\{0,1\}[0-9][0-9]*$' "$out" | tail -n 1 |
			awk '{ v = $1; if (v < 0) v += 4294967296; printf "%.0f\n", v }' >"$out.sum" || true
		;;
	v8)
		line=$(node tests/browser/bench-gc.mjs "$w" 2>"$out.err" | tail -n 1) || true
		read -r s ms rss <<<"${line:-none 0 0}"
		[[ $rss == - ]] && rss=0
		echo "$s" >"$out.sum"
		awk -v ms="$ms" -v r="$rss" 'BEGIN { printf "-1 %d %d\n", ms, r }' >>"$out.times"
		;;
	esac
}
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 && a > 0 ? "%.1f" : "-"), a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf (k > 0 ? "%.0f" : "-"), k / 1024 }'; }

echo "GC benchmarks: medians of $RUNS interleaved runs (binaryen: $BRUNS); ms, peak RSS MiB"
printf '%-13s' bench
for e in $ENGINES; do printf ' %9s %9s' "$e-cpu" "$e-wall"; done
has binaryen && printf ' %13s' binaryen/wlab
has v8 && printf ' %9s %11s' wlab/v8 wlab-cpu/v8
printf '   RSS (%s)   checksum\n' "$ENGINES"
bad=0
for b in $BENCHES; do
	for e in $ENGINES; do rm -f "$dir/$b.out-$e.times"; done
	for i in $(seq "$RUNS"); do
		for e in $ENGINES; do
			[[ $e == binaryen && $i -gt $BRUNS ]] && continue
			run "$e" "$b" "$dir/$b.out-$e"
		done
	done
	declare -A cpu=() wall=() rss=()
	for e in $ENGINES; do
		cpu[$e]=$(median "$dir/$b.out-$e.times" 1)
		wall[$e]=$(median "$dir/$b.out-$e.times" 2)
		rss[$e]=$(median "$dir/$b.out-$e.times" 3)
	done
	sums=$(for e in $ENGINES; do cat "$dir/$b.out-$e.sum" 2>/dev/null || echo none; done | sort -u)
	printf '%-13s' "$b"
	for e in $ENGINES; do
		if (( ${cpu[$e]} < 0 )); then printf ' %9s' -; else printf ' %9s' "${cpu[$e]}"; fi
		printf ' %9s' "${wall[$e]}"
	done
	has binaryen && printf ' %12sx' "$(ratio "${cpu[binaryen]}" "${cpu[wlab]}")"
	has v8 && printf ' %8sx %10sx' "$(ratio "${wall[wlab]}" "${wall[v8]}")" "$(ratio "${cpu[wlab]}" "${wall[v8]}")"
	printf '  '
	for e in $ENGINES; do printf ' %s' "$(mib "${rss[$e]}")"; done
	if [[ $(printf '%s\n' "$sums" | wc -l) != 1 || -z $sums || $sums == none ]]; then
		printf '   DISAGREE:'
		for e in $ENGINES; do printf ' %s=%s' "$e" "$(cat "$dir/$b.out-$e.sum" 2>/dev/null)"; done
		bad=$((bad + 1))
	else
		printf '   %s (all agree)' "$sums"
	fi
	printf '\n'
	unset cpu wall rss
done
echo "(binaryen/wlab: CPU time; wlab/v8: wall time, V8's in-page; wlab-cpu/v8: wlab-run's CPU time"
echo " against V8's in-page time, less skewed by a loaded machine; V8's RSS: its renderer process)"
(( bad == 0 ))
