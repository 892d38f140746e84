#!/usr/bin/env bash
# bench-wat.sh: times wlab-wat against wabt's wasm2wat (1.0.32) on generated
# modules of two sizes (flat and folded), printing medians and ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
ours=$BUILD/bin/wlab-wat
dir=$BUILD/bench/objdump  # the same generated modules as bench-objdump.sh
mkdir -p "$dir"
for n in 3000 6000; do
	wasm=$dir/big$n.wasm
	if [ ! -f "$wasm" ]; then
		python3 tests/bench/gen_big.py "$n" "$dir/big$n.c"
		clang --target=wasm32 -O0 -nostdlib -Wl,--no-entry -o "$wasm" "$dir/big$n.c"
	fi
done

# median CPU time (user + system) in ms of RUNS runs of a command, output
# discarded: CPU time is less disturbed than wall time by other load.
median_ms() {
	local times=() t
	for _ in $(seq "$RUNS"); do
		t=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1)
		times+=("$(awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%d", (u + s) * 1000 }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

printf '%-12s %-6s %10s %12s %12s %8s\n' module mode bytes wasm2wat wlab-wat speedup
for n in 3000 6000; do
	wasm=$dir/big$n.wasm
	size=$(stat -c %s "$wasm")
	for mode in flat fold; do
		if [ $mode = fold ]; then ropt=--fold-exprs; oopt=--fold; else ropt=; oopt=; fi
		ref=$(median_ms wasm2wat $ropt "$wasm")
		our=$(median_ms "$ours" $oopt "$wasm")
		ratio=$(awk -v a="$ref" -v b="$our" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
		printf '%-12s %-6s %10s %10sms %10sms %8s\n' "big$n" "$mode" "$size" "$ref" "$our" "$ratio"
	done
done
echo "(median CPU time of $RUNS runs; time should double with size: no quadratic step)"
