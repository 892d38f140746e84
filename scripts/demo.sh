#!/usr/bin/env bash
# demo.sh: builds the examples with clang, inspects hello.wasm with
# wlab-objdump, runs it with wlab-run (a stub for its import) and under Node,
# and runs the WASI example with wlab-run. A step whose tool or option is not
# there yet prints a note and the demo goes on.
#
# Usage: make demo   (or BUILD=build bash scripts/demo.sh after `make all`)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
bin=$BUILD/bin
[[ -x $bin/wlab-objdump ]] || { echo "demo: $bin/wlab-objdump missing; run: make BUILD=$BUILD all" >&2; exit 1; }
hello=$BUILD/examples/hello
wasi=$BUILD/examples/wasi

# Prints a command as a shell prompt line, then runs it; a failure is shown, not fatal.
show() {
	echo "\$ $*"
	"$@" || echo "(exit $?)"
	echo
}

note() {
	echo "demo: note: $*"
	echo
}

# has_option TOOL OPTION: TOOL --help mentions OPTION.
has_option() {
	local help
	[[ -x $1 ]] || return 1
	help=$("$1" --help 2>&1 || true)
	[[ $help == *"$2"* ]]
}

BUILD=$BUILD bash scripts/build-examples.sh
echo

show "$bin/wlab-objdump" -x "$hello/hello.wasm"

# wlab-run: a `str` stub stands in for imports.hello_from_js and prints the
# (pointer, length) string it is given; str:World is copied into memory.
if has_option "$bin/wlab-run" --stub; then
	show "$bin/wlab-run" --stub imports.hello_from_js=str --invoke hello_from_c "$hello/hello.wasm" str:World
else
	note "this $bin/wlab-run has no --stub option yet; skipped: wlab-run --stub imports.hello_from_js=str --invoke hello_from_c $hello/hello.wasm str:World"
fi

if command -v node >/dev/null; then
	show node "$hello/node.mjs"
	show node "$hello/node.mjs" "$hello/hello.wasm" "Zoë"
else
	note "node is missing (bash scripts/deps.sh installs it); skipped: node $hello/node.mjs"
fi

# The WASI example: $BUILD/examples/wasi/notes.wasm, a wasi-libc command run
# with wlab-run (its _start), a scratch directory preopened as "." and an
# environment variable; run twice, the notes file grows and -x sets the exit code.
# Any other module there runs with no arguments.
shopt -s nullglob
wasi_mods=("$wasi"/*.wasm)
if (( ${#wasi_mods[@]} == 0 )); then
	note "no WASI example in $wasi/ yet; skipped"
elif ! has_option "$bin/wlab-run" "--dir"; then
	note "this $bin/wlab-run cannot run WASI commands yet; skipped: wlab-run ${wasi_mods[*]}"
else
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	for m in "${wasi_mods[@]}"; do
		if [[ $(basename "$m") == notes.wasm ]]; then
			show "$bin/wlab-run" --dir "$scratch::." --env NOTES_USER=demo "$m" hello from WASI
			show "$bin/wlab-run" --dir "$scratch::." --env NOTES_USER=demo "$m" -x 3 and again
		else
			show "$bin/wlab-run" "$m"
		fi
	done
fi

echo "The page: python3 scripts/serve.py $hello   (then open the URL it prints)"

# Coverage: the WASI example built again with -g -O0, run with --coverage; lcov
# keeps its own source file (the libc's sources are not on this machine) and
# genhtml makes the HTML report.
cov=$BUILD/demo/coverage
if ! has_option "$bin/wlab-run" "--coverage"; then
	note "this $bin/wlab-run has no --coverage yet; skipped"
elif ! command -v genhtml >/dev/null || ! command -v clang >/dev/null; then
	note "lcov or clang is missing (bash scripts/deps.sh installs them); coverage skipped"
else
	mkdir -p "$cov"
	scratch=${scratch:-$(mktemp -d)}
	clang --target=wasm32-wasi --sysroot=/usr -g -O0 -o "$cov/notes.wasm" examples/wasi/notes.c
	show "$bin/wlab-run" --coverage "$cov/all.info" --dir "$scratch::." --env NOTES_USER=demo \
		"$cov/notes.wasm" covered run
	lcov -q --extract "$cov/all.info" "*/examples/wasi/notes.c" -o "$cov/notes.info"
	lcov --summary "$cov/notes.info" 2>&1 | grep -E "lines|functions" || true
	rm -rf "$cov/html"
	genhtml -q -o "$cov/html" "$cov/notes.info" &&
		echo "demo: the coverage report of examples/wasi/notes.c: $cov/html/index.html"
	echo
fi
