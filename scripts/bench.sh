#!/usr/bin/env bash
# bench.sh: times wlab-objdump against wasm-objdump on the largest corpus modules.
#
# Usage: make bench   (or BUILD=build bash scripts/bench.sh [FILE...])
# Builds the corpus if needed, then for the five largest modules (or FILEs)
# runs each tool REPEAT times (default 5) per option set and prints the best
# wall time of each in milliseconds and the ratio ours/wabt.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
REPEAT=${REPEAT:-5}
ours=$(cd "$BUILD/bin" 2>/dev/null && pwd)/wlab-objdump
[[ -x $ours ]] || { echo "bench: $BUILD/bin/wlab-objdump missing; run: make all" >&2; exit 1; }

if (( $# )); then
	files=("$@")
else
	[[ -d $BUILD/corpus/prog ]] || BUILD=$BUILD bash scripts/build-corpus.sh >/dev/null
	mapfile -t files < <(find "$BUILD/corpus" -name '*.wasm' -printf '%s %p\n' | sort -rn | head -n 5 | cut -d' ' -f2-)
fi

# best_ms CMD...: the fastest of REPEAT runs, output discarded.
best_ms() {
	local best= t0 t1 ms
	for ((i = 0; i < REPEAT; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		[[ -z $best || $ms -lt $best ]] && best=$ms
	done
	echo "$best"
}

printf '%-40s %9s %6s %8s %8s %6s\n' module KiB flags wabt-ms ours-ms ratio
for f in "${files[@]}"; do
	kib=$(( $(stat -c %s "$f") / 1024 ))
	for flags in "-h" "-x" "-d" "-x -d -s"; do
		w=$(best_ms wasm-objdump $flags "$f")
		o=$(best_ms "$ours" $flags "$f")
		ratio=$(awk -v o="$o" -v w="$w" 'BEGIN { printf (w > 0 ? "%.2f" : "-"), o / w }')
		printf '%-40s %9d %6s %8d %8d %6s\n' "$(basename "$f")" "$kib" "$flags" "$w" "$o" "$ratio"
	done
done
