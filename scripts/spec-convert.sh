#!/usr/bin/env bash
# spec-convert.sh: converts the spec testsuite's .wast files to JSON + binaries with wast2json.
#
# Usage: BUILD=build WASM_TESTSUITE=../shared/wasm-testsuite bash scripts/spec-convert.sh
# Writes $BUILD/spec/<name>/<name>.json and the .wasm/.wat files it names.
# A file is reconverted only when its stamp (sha256 of the .wast and the
# wast2json version) changes. Relative paths are taken from the repo root.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
suite=${WASM_TESTSUITE:-../shared/wasm-testsuite}

# Worker mode: convert one .wast (called through xargs below).
if [[ ${1:-} == --one ]]; then
	wast=$2 outbase=$3 version=$4
	name=$(basename "$wast" .wast)
	dir=$outbase/$name
	stamp="$(sha256sum <"$wast" | cut -d' ' -f1) $version"
	if [[ -f $dir/.stamp && $(cat "$dir/.stamp") == "$stamp" ]]; then
		exit 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! wast2json "$wast" -o "$dir/$name.json" 2>"$dir/wast2json.err"; then
		echo "spec-convert: wast2json failed on $wast:" >&2
		head -n 5 "$dir/wast2json.err" >&2
		exit 1
	fi
	rm -f "$dir/wast2json.err"
	printf '%s\n' "$stamp" >"$dir/.stamp"
	echo "converted $name"
	exit 0
fi

if [[ ! -d $suite ]]; then
	echo "spec-convert: testsuite not found at '$suite' (from $root)." >&2
	echo "  Put a clone of https://github.com/WebAssembly/testsuite there or set WASM_TESTSUITE." >&2
	exit 2
fi
if ! command -v wast2json >/dev/null; then
	echo "spec-convert: wast2json not found (install wabt: bash scripts/deps.sh)" >&2
	exit 2
fi
suite=$(cd "$suite" && pwd)
mkdir -p "$BUILD/spec"
out=$(cd "$BUILD/spec" && pwd)
version=$(wast2json --version)

shopt -s nullglob
wasts=("$suite"/*.wast)
if (( ${#wasts[@]} == 0 )); then
	echo "spec-convert: no .wast files in $suite" >&2
	exit 2
fi
before=$(date +%s)
status=0
printf '%s\0' "${wasts[@]}" |
	xargs -0 -P "$(nproc)" -I{} bash "$root/scripts/spec-convert.sh" --one {} "$out" "$version" |
	{ grep -c '^converted' || true; } >"$out/.converted" || status=$?
# xargs exits 123 when any worker failed; the pipeline's status is grep's, so check again.
failed=0
for w in "${wasts[@]}"; do
	n=$(basename "$w" .wast)
	[[ -f $out/$n/.stamp ]] || failed=$((failed + 1))
done
echo "spec-convert: ${#wasts[@]} .wast files, $(cat "$out/.converted") converted," \
	"$failed failed, $(($(date +%s) - before)) s -> $out"
rm -f "$out/.converted"
(( failed == 0 && status == 0 )) || exit 1
