#!/usr/bin/env bash
# build-examples.sh: compiles examples/ with clang to wasm32 into $BUILD/examples/,
# leaving a servable site in $BUILD/examples/hello/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CLANG=${CLANG:-clang}
out=$BUILD/examples/hello
mkdir -p "$out"
if [ ! -f "$out/hello.wasm" ] || [ examples/hello/hello.c -nt "$out/hello.wasm" ]; then
	"$CLANG" --target=wasm32 -O2 -nostdlib -Wl,--no-entry -o "$out/hello.wasm" examples/hello/hello.c
	echo "built $out/hello.wasm"
fi
cp examples/hello/index.html examples/hello/hello.mjs examples/hello/greet.mjs examples/hello/node.mjs "$out/"
