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
# host.wasm: the hello example's host as a module (WAT), for wlab-link (docs/wlab-link.md)
if [ ! -f "$BUILD/examples/host.wasm" ] || [ examples/hello/host.wat -nt "$BUILD/examples/host.wasm" ]; then
	wat2wasm --debug-names examples/hello/host.wat -o "$BUILD/examples/host.wasm"
	echo "built $BUILD/examples/host.wasm"
fi
# wasi/: the WASI example (wasi-libc), run by wlab-run, node:wasi or any WASI host
mkdir -p "$BUILD/examples/wasi"
for src in examples/wasi/*.c; do
	wasm=$BUILD/examples/wasi/$(basename "$src" .c).wasm
	if [ ! -f "$wasm" ] || [ "$src" -nt "$wasm" ]; then
		"$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -o "$wasm" "$src"
		echo "built $wasm"
	fi
done
