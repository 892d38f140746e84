#!/usr/bin/env bash
# bench-explore.sh: times wlab-explore against wabt's wasm-objdump on the
# generated modules of bench-objdump.sh (several MB): the overview against
# wasm-objdump -h, --json --depth 2 (sections and entries, what -x lists)
# against wasm-objdump -x, and --json (the whole tree, every instruction)
# against wasm-objdump -d (which also walks every instruction).
# Prints medians of RUNS runs and the ratio ours / theirs (below 1 is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
ours=$BUILD/bin/wlab-explore
dir=$BUILD/bench/objdump
mkdir -p "$dir"
sizes=${SIZES:-"3000 6000"}
for n in $sizes; do
	wasm=$dir/big$n.wasm
	if [ ! -f "$wasm" ]; then
		python3 tests/bench/gen_big.py "$n" "$dir/big$n.c"
		clang --target=wasm32 -O0 -nostdlib -Wl,--no-entry -o "$wasm" "$dir/big$n.c"
	fi
done

# median CPU time (user + system) in ms of RUNS runs, output discarded.
median_ms() {
	local times=() t
	for _ in $(seq "$RUNS"); do
		t=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1)
		times+=("$(awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%d", (u + s) * 1000 }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

printf '%-10s %9s  %-30s %8s  %-16s %8s %7s\n' module bytes command ms reference ms ratio
slow=0
for n in $sizes; do
	wasm=$dir/big$n.wasm
	size=$(stat -c %s "$wasm")
	for pair in "overview|-h" "--json --depth 2|-x" "--json|-d"; do
		mode=${pair%|*} ref_mode=${pair#*|}
		if [ "$mode" = overview ]; then
			our=$(median_ms "$ours" "$wasm")
		else
			# shellcheck disable=SC2086
			our=$(median_ms "$ours" $mode "$wasm")
		fi
		ref=$(median_ms wasm-objdump "$ref_mode" "$wasm")
		ratio=$(awk -v a="$our" -v b="$ref" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
		awk -v r="$ratio" 'BEGIN { exit !(r > 1) }' && slow=1
		printf '%-10s %9s  %-30s %8s  %-16s %8s %7s\n' "big$n" "$size" "wlab-explore $mode" \
			"$our" "wasm-objdump $ref_mode" "$ref" "$ratio"
	done
done
echo "(median CPU time of $RUNS runs; ratio = wlab-explore / wasm-objdump, at most 1.00 is the goal)"
[ "$slow" = 0 ] || echo "bench-explore: SLOWER than wasm-objdump on at least one row"
