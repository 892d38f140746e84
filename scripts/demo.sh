#!/usr/bin/env bash
# demo.sh: builds the hello example with clang, inspects it with wlab-objdump
# and runs it in Node when Node is there.
#
# Usage: make demo   (or BUILD=build bash scripts/demo.sh after `make all`)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
tool=$BUILD/bin/wlab-objdump
[[ -x $tool ]] || { echo "demo: $tool missing; run: make BUILD=$BUILD all" >&2; exit 1; }
tool=$(cd "$(dirname "$tool")" && pwd)/wlab-objdump

BUILD=$BUILD bash scripts/build-examples.sh
cd "$BUILD/examples/hello"
for flags in -h -x "-d -F hello_from_c"; do
	echo "\$ wlab-objdump $flags hello.wasm"
	# shellcheck disable=SC2086
	"$tool" $flags hello.wasm
	echo
done
if command -v node >/dev/null; then
	echo "\$ node node.mjs"
	node node.mjs
fi
