#!/usr/bin/env bash
# run.sh: the wasi suite. Builds the WASI example and tests/wasi/*.c with
# clang for wasm32-wasi, runs each case under tests/bin/wlab-wasi-run, Node's
# node:wasi (run-node.mjs) and, when it takes --dir, bin/wlab-run, and
# compares stdout, stderr, exit code and the files left in the preopened
# directory byte for byte with Node's. A case's directory starts as a copy
# of tests/wasi/data/CASE/ when there is one. sandbox.c (escapes, bad pointers),
# fdops.c and edges.c (the issue 15 review's preview1 edge cases) run under
# wlab only: the output must equal NAME.expected and nothing may appear next
# to the preopen. So does nolibc/snapshots.c, built once per WASI snapshot
# (snapshots-unstable imports "wasi_unstable" only, snapshots-preview1
# "wasi_snapshot_preview1" only).
#
# Usage: BUILD=build bash tests/wasi/run.sh   (normally through scripts/run-tests.sh)
# Writes "passed failed" to $BUILD/test-results/wasi.txt.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
CLANG=${CLANG:-clang}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
out=$BUILD/wasi
results=$BUILD/test-results
mkdir -p "$out" "$results"
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "$passed $failed" >"$results/wasi.txt"; echo "wasi: $passed passed, $failed failed"; exit $(( failed > 0 )); }

driver=$BUILD/tests/bin/wlab-wasi-run
if [[ ! -x $driver ]]; then
	fail "no $driver (make testbins)"
	finish
fi

# The programs: examples/wasi/notes.c and tests/wasi/*.c.
for src in examples/wasi/notes.c tests/wasi/*.c; do
	name=$(basename "$src" .c)
	if [[ ! -f $out/$name.wasm || $src -nt $out/$name.wasm ]]; then
		if ! "$CLANG" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -o "$out/$name.wasm" "$src"; then
			fail "build $src"
			rm -f "$out/$name.wasm"
		fi
	fi
done

# tests/wasi/nolibc/snapshots.c, built without libc so that each build
# imports one WASI module only: once per snapshot, -DSNAPSHOT0 for
# "wasi_unstable" (snapshot 0) and -DPREVIEW1 for "wasi_snapshot_preview1".
declare -A snapshot_build=([snapshots-unstable]=-DSNAPSHOT0 [snapshots-preview1]=-DPREVIEW1)
src=tests/wasi/nolibc/snapshots.c
for name in "${!snapshot_build[@]}"; do
	if [[ ! -f $out/$name.wasm || $src -nt $out/$name.wasm ]]; then
		if ! "$CLANG" --target=wasm32-wasi -O2 -Wall -Werror -nostdlib -fno-builtin \
			"${snapshot_build[$name]}" -o "$out/$name.wasm" "$src"; then
			fail "build $src ${snapshot_build[$name]}"
			rm -f "$out/$name.wasm"
		fi
	fi
done

# Runners: name and command prefix (the module and its arguments follow).
runners=(wlab node)
declare -A cmd=([wlab]="$driver" [node]="node --no-warnings $root/tests/wasi/run-node.mjs")
# (the help read whole: grep -q stops reading at the match, and under
# pipefail the SIGPIPE of a help longer than one pipe write failed the test)
if [[ -x $BUILD/bin/wlab-run ]] && [[ $("$BUILD/bin/wlab-run" --help 2>&1) == *--dir* ]]; then
	runners+=(wlab-run)
	cmd[wlab-run]="$BUILD/bin/wlab-run"
else
	echo "wasi: $BUILD/bin/wlab-run takes no --dir yet; it is not compared"
fi
command -v node >/dev/null || { fail "node is not installed"; finish; }

# run_case NAME STDIN-FILE OPTS... -- MODULE ARGS...: runs under every
# runner in a fresh copy of the case's directory; wlab-run's and
# wlab-wasi-run's results must equal node's.
work=$out/work
copy_in=  # files to copy into the case's directory too
guest=.   # the name the guest sees the case's directory by
run_case() {
	local name=$1 input=$2; shift 2
	local opts=() r
	while [[ $1 != -- ]]; do opts+=("$1"); shift; done
	shift
	for r in "${runners[@]}"; do
		local d=$work/$name/$r
		rm -rf "$d" && mkdir -p "$d/dir"
		[[ -d tests/wasi/data/$name ]] && cp -r "tests/wasi/data/$name/." "$d/dir/"
		[[ -n $copy_in ]] && cp $copy_in "$d/dir/"
		# shellcheck disable=SC2086
		(cd "$d" && timeout 60 ${cmd[$r]} --dir "dir::$guest" "${opts[@]}" "$@" <"$input" >stdout 2>stderr; echo $? >rc)
	done
	for r in "${runners[@]}"; do
		[[ $r == node ]] && continue
		local a=$work/$name/$r b=$work/$name/node
		if ! cmp -s "$a/rc" "$b/rc"; then
			fail "$name under $r: exit $(cat "$a/rc"), node $(cat "$b/rc")"
		elif ! cmp -s "$a/stdout" "$b/stdout"; then
			fail "$name under $r: stdout differs from node's"; diff "$b/stdout" "$a/stdout" | head -10
		elif ! cmp -s "$a/stderr" "$b/stderr"; then
			fail "$name under $r: stderr differs from node's"; diff "$b/stderr" "$a/stderr" | head -10
		elif ! diff -r "$a/dir" "$b/dir" >/dev/null; then
			fail "$name under $r: the directory left differs from node's"
		else
			pass
		fi
	done
}

m=$out
if [[ -f $m/notes.wasm ]]; then
	run_case notes-first /dev/null --env NOTES_USER=ann -- "$m/notes.wasm" hello world
	run_case notes-exit /dev/null -- "$m/notes.wasm" -x 3 exit three
	run_case notes-append /dev/null --env NOTES_USER=bo --env OTHER=x -- "$m/notes.wasm" -x 255 more
fi
if [[ -f $m/files.wasm ]]; then run_case files /dev/null -- "$m/files.wasm"; fi
if [[ -f $m/misc.wasm ]]; then
	printf 'some input\nfor stdin\n' >"$work.stdin"
	run_case misc "$work.stdin" --env WT_A=1 --env 'WT_B=two words' --env WT_C= -- "$m/misc.wasm" 42 "a b" ''
	run_case misc-noargs /dev/null -- "$m/misc.wasm"
fi

if [[ -f $m/cat.wasm ]]; then
	head -c 100000 "$m/cat.wasm" >"$work.bin"  # binary data, through stdin
	run_case cat-stdin "$work.bin" -- "$m/cat.wasm"
	copy_in=$work.bin guest=/sandbox
	run_case cat-files /dev/null -- "$m/cat.wasm" /sandbox/work.bin missing \
		/sandbox/../etc/passwd /sandbox/./work.bin /etc/passwd
	copy_in= guest=.
fi

# wlab-objdump itself built for WASI by the corpus suite (when it ran):
# a real program reading a module from the preopen.
od=$BUILD/corpus/prog/wlab-objdump.O2.wasm
if [[ -f $od && -f $BUILD/examples/hello/hello.wasm ]]; then
	copy_in="$BUILD/examples/hello/hello.wasm $od"
	run_case objdump-hello /dev/null -- "$od" -x -d hello.wasm
	run_case objdump-self /dev/null -- "$od" -h -x wlab-objdump.O2.wasm
	run_case objdump-missing /dev/null -- "$od" -h nothing.wasm
	copy_in=
else
	echo "wasi: no $od (the corpus suite builds it); wlab-objdump under WASI not run"
fi

# Cases with an expected output, run by the wlab runners only, in box/ next
# to a secret.txt that must stay alone and unchanged: sandbox (escapes and
# bad pointers: Node differs on purpose), fdops (Node 20 differs: it
# leaves . and .. out of fd_readdir, ignores fd_fdstat_set_flags and does
# not poll files, and futimens drops the nanoseconds) and the snapshots
# builds (Node 20 serves preview1's whence and filestat under
# "wasi_unstable" too, and hangs in their poll_oneoff case).
# run_expected NAME [OPTION...] [-- ARG...]
run_expected() {
	local name=$1 r d left opts=() args=()
	shift
	while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
	[[ $# -gt 0 ]] && shift
	args=("$@")
	[[ -f $m/$name.wasm ]] || return 0  # its build failed, counted above
	for r in "${runners[@]}"; do
		[[ $r == node ]] && continue
		d=$work/$name/$r
		rm -rf "$d" && mkdir -p "$d/box"
		echo secret >"$d/secret.txt"
		(cd "$d" && timeout 60 ${cmd[$r]} --dir box::. "${opts[@]}" "$m/$name.wasm" "${args[@]}" \
			</dev/null >stdout 2>stderr; echo $? >rc)
		left=$(cd "$d" && ls | tr '\n' ' ')
		if [[ $(cat "$d/rc") != 0 ]]; then
			fail "$name under $r: exit $(cat "$d/rc")"; head -5 "$d/stderr"
		elif ! cmp -s "$d/stdout" "tests/wasi/$name.expected"; then
			fail "$name under $r: output differs from tests/wasi/$name.expected"
			diff "tests/wasi/$name.expected" "$d/stdout" | head -20
		elif [[ $left != "box rc secret.txt stderr stdout " || $(cat "$d/secret.txt") != secret ]]; then
			fail "$name under $r: the outside changed: $left"
		else
			pass
		fi
	done
}
run_expected sandbox
run_expected fdops
run_expected edges
for name in snapshots-unstable snapshots-preview1; do
	run_expected "$name" --env A=1 --env 'B=two words' -- one '' 'three x'
done
finish
