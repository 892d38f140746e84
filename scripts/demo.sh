#!/usr/bin/env bash
# demo.sh: compiles a tiny C function to wasm and shows what wlab-objdump says about it.
#
# Usage: make demo   (or BUILD=build bash scripts/demo.sh after `make all`)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
tool=$BUILD/bin/wlab-objdump
[[ -x $tool ]] || { echo "demo: $tool missing; run: make BUILD=$BUILD all" >&2; exit 1; }
demo=$BUILD/demo
mkdir -p "$demo"
tool=$(cd "$(dirname "$tool")" && pwd)/wlab-objdump

cat >"$demo/hello.c" <<'C'
/* A freestanding module: two exported functions, a global and some data. */
static const char greeting[] = "hello, wasm";
int calls;

int length(void)
{
	int n = 0;
	while (greeting[n])
		n++;
	calls++;
	return n;
}

long long fib(int n)
{
	long long a = 0, b = 1;
	for (int i = 0; i < n; i++) {
		long long t = a + b;
		a = b;
		b = t;
	}
	return a;
}
C
clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=length -Wl,--export=fib \
	-o "$demo/hello.wasm" "$demo/hello.c"

cd "$demo"
for flags in -h -x -d; do
	echo "\$ wlab-objdump $flags hello.wasm"
	"$tool" $flags hello.wasm
	echo
done
