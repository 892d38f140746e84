#!/usr/bin/env bash
# bench-objdump.sh: times wlab-objdump against wabt's wasm-objdump on generated
# modules of two sizes (-x and -d), printing medians and ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
ours=$BUILD/bin/wlab-objdump
dir=$BUILD/bench/objdump
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

printf '%-12s %-5s %10s %12s %12s %8s\n' module mode bytes wasm-objdump wlab-objdump speedup
for n in 3000 6000; do
	wasm=$dir/big$n.wasm
	size=$(stat -c %s "$wasm")
	for mode in -x -d; do
		ref=$(median_ms wasm-objdump "$mode" "$wasm")
		our=$(median_ms "$ours" "$mode" "$wasm")
		ratio=$(awk -v a="$ref" -v b="$our" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
		printf '%-12s %-5s %10s %10sms %10sms %8s\n' "big$n" "$mode" "$size" "$ref" "$our" "$ratio"
	done
done
echo "(median CPU time of $RUNS runs; time should double with size: no quadratic step)"
