#!/usr/bin/env bash
# cli.sh: wlab-run's command line: typed and str: arguments, every stub
# policy, --link, WASI commands (argv, --env, --dir, proc_exit), traps with
# backtraces, --fuel, --max-memory, --max-stack, --trace-imports (text and
# JSON lines), the hello example's greeting, GC on by default and the error
# naming it when it is off, usage errors, and mutants.
# Test modules are tests/run/*.wat (built with wat2wasm) and wasi_env.c
# (clang for wasm32-wasi). Prints `run-cli: N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
run=$BUILD/bin/wlab-run
[[ -x $run ]] || { echo "cli.sh: missing $run" >&2; exit 2; }
dir=$BUILD/run-cli
rm -rf "$dir"
mkdir -p "$dir" "$BUILD/test-results"
passed=0 failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL $*" >&2
}

# check NAME WANT_RC WANT_OUT WANT_ERR ARGS...: runs wlab-run ARGS; wants its
# exit code, WANT_OUT in stdout and WANT_ERR in stderr ('=TEXT': exactly
# TEXT; '' anything). A sanitizer report fails the check whatever the code.
check() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc out err ok=1
	shift 4
	timeout 60 "$run" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	out=$(<"$dir/out") err=$(<"$dir/err")
	[[ $rc == "$want_rc" ]] || ok=0
	if [[ $want_out == =* ]]; then [[ $out == "${want_out#=}" ]] || ok=0
	else [[ $out == *"$want_out"* ]] || ok=0; fi
	if [[ $want_err == =* ]]; then [[ $err == "${want_err#=}" ]] || ok=0
	else [[ $err == *"$want_err"* ]] || ok=0; fi
	[[ $err == *Sanitizer* || $err == *"runtime error:"* ]] && ok=0
	if ((ok)); then
		passed=$((passed + 1))
	else
		fail "$name: exit $rc (want $want_rc)"
		echo "  command: wlab-run $*" >&2
		echo "  stdout: ${out:0:400}" >&2
		echo "  stderr: ${err:0:600}" >&2
	fi
}

for w in tests/run/*.wat; do
	wat2wasm --enable-tail-call --enable-exceptions --debug-names -o "$dir/$(basename "${w%.wat}").wasm" "$w" ||
		fail "wat2wasm $w"
done
m=$dir

# --- typed and str: arguments, results one per line
check add 0 "=i32:5" "" --invoke add "$m/calc.wasm" 2 3
check add-typed 0 "=i32:4294967295" "" --invoke add "$m/calc.wasm" i32:-1 i32:0
check add-hex 0 "=i32:17" "" --invoke add "$m/calc.wasm" 0x10 1
check add64-typed 0 "=i64:4" "" --invoke add64 "$m/calc.wasm" i64:-1 5
check floats-two-results 0 $'=f32:2.5\nf64:-1' "" --invoke mulf "$m/calc.wasm" 1.25 f64:-0.5
check str-arg 0 "=i32:131" "" --invoke sum "$m/calc.wasm" str:AB
check str-arg-empty 0 "=i32:0" "" --invoke sum "$m/calc.wasm" str:
check v128-lanes 0 "=v128:0x0000000000000021000000160000000b" "" --invoke add4 "$m/simd.wasm" i32x4:1,2,3,-1 i32x4:10,20,30,1
check v128-hex 0 "=v128:0x00000000000000000000000100000005" "" --invoke add4 "$m/simd.wasm" 0x100000002 v128:0x3
check v128-mixed 0 $'=i64:18446744073709551611\nv128:0xfffffffffffffffa0000000000000005\ni32:7' "" --invoke lane "$m/simd.wasm" 7 i64x2:5,-6 i64:1
check v128-bad-lanes 1 "" "'i32x4:1,2,3' is not a v128" --invoke add4 "$m/simd.wasm" i32x4:1,2,3 0
check v128-lane-range 1 "" "is not a v128" --invoke add4 "$m/simd.wasm" i8x16:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,256 0
check options-in-any-order 0 "=i32:5" "" --max-stack 1000 --invoke add --fuel 1000 "$m/calc.wasm" 2 3

# --- argument errors: exit 1 and a clear message
check too-few-args 1 "" "takes 2 arguments, given 1" --invoke add "$m/calc.wasm" 1
check too-many-args 1 "" "takes 2 arguments, given 3" --invoke add "$m/calc.wasm" 1 2 3
check too-many-str 1 "" "takes 2 arguments, given 2" --invoke sum "$m/calc.wasm" str:a str:b
check str-too-few 1 "" "takes 2 arguments, given 0" --invoke sum "$m/calc.wasm"
check bad-number 1 "" "argument 1: 'x' is not an i32" --invoke add "$m/calc.wasm" x 1
check i32-range 1 "" "is not an i32" --invoke add "$m/calc.wasm" 4294967296 1
check wrong-type-prefix 1 "" "'i64:1' is i64 but the parameter is i32" --invoke add "$m/calc.wasm" i64:1 1
check str-needs-two-i32 1 "" "str: needs two i32 params" --invoke add64 "$m/calc.wasm" str:x 1
check str-needs-alloc 1 "" "exported alloc(i32) -> i32" --link lib="$m/lib.wasm" --invoke pair "$m/user.wasm" str:x
check no-such-export 1 "" "no exported function nope" --invoke nope "$m/calc.wasm"
check no-start 1 "" "no _start export" "$m/calc.wasm"

# --- usage errors: exit 2
check unknown-option 2 "" "unknown option '--bogus'" --bogus "$m/calc.wasm"
check unknown-short-option 2 "" "unknown option '-z'" -z "$m/calc.wasm"
check missing-module 2 "" "no module given" --invoke add
check missing-value 2 "" "option '--invoke' needs a value" --invoke
check bad-fuel 2 "" "bad number for --fuel" --fuel lots --invoke add "$m/calc.wasm" 1 2
check bad-policy 2 "" "unknown policy 'bogus'" --stub env.f=bogus --invoke call_f "$m/imports.wasm" 1 2
check bad-stub-syntax 2 "" "want MOD.FIELD=POLICY" --stub envf=log --invoke call_f "$m/imports.wasm" 1 2
check bad-const 2 "" "want const:TYPE:VALUE" --stub env.f=const:i32:x --invoke call_f "$m/imports.wasm" 1 2
check bad-link-syntax 2 "" "want NAME=FILE" --link lib --invoke run "$m/user.wasm" 1
check bad-trace-format 2 "" "--trace-format is text or json" --trace-format xml --invoke add "$m/calc.wasm" 1 2
check help 0 "--stub MOD.FIELD=POLICY" "" --help
check version 0 "wlab-run 0." "" --version

# --- loading errors: exit 1, with the byte offset
check missing-file 1 "" "nope.wasm: error: cannot open" --invoke f "$dir/nope.wasm"
head -c 12 "$m/calc.wasm" >"$dir/truncated.wasm"
check truncated-module 1 "" "truncated.wasm:0x" --invoke add "$dir/truncated.wasm" 1 2

# --- stub policies, for functions and for the other kinds
imp=$m/imports.wasm
check stub-listing 134 "" "stub env.f: func (i32, i64) -> (i32): trap" --invoke call_f "$imp" 1 2
check stub-listing-kinds 0 "" "stub env.mem: memory 2..3" --stub env.f=zero --invoke call_f "$imp" 1 2
check stub-listing-all 0 "=i32:0" $'stub env.g: global i32: zero\nwlab-run: stub env.gf: global f64: zero\nwlab-run: stub env.mem: memory 2..3: declared limits\nwlab-run: stub env.tab: table funcref 4..: declared limits' \
	--stub env.f=zero --invoke call_f "$imp" 1 2
check stub-unused-warning 0 "=i32:5" "warning: --stub env.nothere matches no import" --stub env.nothere=log --invoke add "$m/calc.wasm" 2 3
check stub-quiet 0 "=i32:0" "=" -q --stub env.f=zero --invoke call_f "$imp" 1 2
check stub-trap 134 "" "env.f called: the stub traps (policy trap)" -q --stub env.f=trap --invoke call_f "$imp" 1 2
check stub-trap-default 134 "" "trap: host function trapped" -q --invoke call_f "$imp" 1 2
check stub-log 0 "=i32:0" "wlab-run: env.f(i32:1, i64:18446744073709551614) -> (i32:0)" -q --stub env.f=log --invoke call_f "$imp" 1 i64:-2
check stub-default-log 0 "=f64:0" "wlab-run: env.d(f64:1.5) -> (f64:0)" -q --stub-default log --invoke call_d "$imp" 1.5
check stub-wildcard 0 "=f64:0" "env.d(f64:1.5) -> (f64:0)" -q --stub 'env.*=log' --invoke call_d "$imp" 1.5
check stub-zero 0 "=i32:0" "" -q --stub env.f=zero --invoke call_f "$imp" 7 8
check stub-const-i32 0 "=i32:4294967289" "" -q --stub env.f=const:i32:-7 --invoke call_f "$imp" 7 8
check stub-const-f64 0 "=f64:2.5" "" -q --stub env.d=const:f64:2.5 --invoke call_d "$imp" 1
check stub-const-mismatch 2 "" "needs one result of the constant's type" --stub env.f=const:i64:7 --invoke call_f "$imp" 1 2
check stub-str 0 "=hey" "" -q --stub env.say=str --invoke say "$imp" str:hey
check stub-str-oob 134 "" "is past the memory's" -q --stub env.say=str --invoke say "$imp" 200000 5
check stub-str-mismatch 2 "" "policy str for env.f needs params (i32, i32)" --stub env.f=str --invoke call_f "$imp" 1 2
check stub-global-const 0 "=i32:42" "" -q --stub env.g=const:i32:42 --invoke get_g "$imp"
check stub-global-const-f64 0 "=f64:0.25" "" -q --stub env.gf=const:f64:0.25 --invoke get_gf "$imp"
check stub-global-zero 0 "=i32:0" "" -q --invoke get_g "$imp"
check stub-memory-min 0 "=i32:2" "" -q --invoke pages "$imp"
check stub-memory-max 0 "=i32:4294967295" "" -q --invoke grow "$imp"
check stub-table 0 "=i32:4" "" -q --invoke elems "$imp"
check stub-memory-past-cap 1 "" "cannot make a stub memory of 2 pages for env.mem" -q --max-memory 64K --invoke pages "$imp"

# --- the hello example: a str stub prints its greeting
if BUILD=$BUILD bash scripts/build-examples.sh >/dev/null; then
	hello=$BUILD/examples/hello/hello.wasm
	check hello-greeting 0 "=Hello, World!" "stub imports.hello_from_js: func (i32, i32) -> (): str" \
		--stub imports.hello_from_js=str --invoke hello_from_c "$hello" str:World
	check hello-utf8 0 "=Hello, Zoë!" "" -q --stub imports.hello_from_js=str --invoke hello_from_c "$hello" str:Zoë
	check hello-unstubbed-traps 134 "" "#0 host function imports.hello_from_js" --invoke hello_from_c "$hello" str:World
else
	fail "build-examples.sh"
fi

# --- --link: a module's exports satisfy another's imports
check link 0 "=i32:115" "=" --link lib="$m/lib.wasm" --invoke run "$m/user.wasm" 5
check link-memory 0 "=i32:108" "" --link lib="$m/lib.wasm" --invoke first "$m/user.wasm"
check link-missing-stubbed 134 "" "stub lib.triple: func (i32) -> (i32): trap" --link lib="$m/calc.wasm" --invoke run "$m/user.wasm" 5
check link-bad-file 1 "" "nope.wasm: error" --link lib="$dir/nope.wasm" --invoke run "$m/user.wasm" 5

# --- spectest host module
check spectest-host 0 "=i32:666" "=" --invoke main "$m/spectest.wasm"

# --- relaxed SIMD: either results from .wast and from wast2json's JSON (the
# last command is meant to fail); --disable-relaxed-simd refuses the opcodes
# the options that give a module its imports have nothing to give a
# script's modules: they were silently ignored under --spectest
check spectest-no-stub 2 "" "--stub, --link, --dir and --env go with running a module, not --spectest" \
	--stub env.f=zero --spectest tests/run/relaxed.wast
check spectest-no-link 2 "" "not --spectest" --link a=tests/run/relaxed.wast --spectest tests/run/relaxed.wast
check either-wast 1 "relaxed.wast: 3/4" "relaxed.wast:16: assert_return failed" -v --spectest tests/run/relaxed.wast
if wast2json --enable-all -o "$dir/relaxed.json" tests/run/relaxed.wast; then
	check either-json 1 "relaxed.json: 3/4" "relaxed.json:17: assert_return failed" -v --spectest "$dir/relaxed.json"
	check relaxed-disabled 1 "" "illegal opcode" --disable-relaxed-simd --invoke madd "$dir/relaxed.0.wasm" \
		v128:0x0 v128:0x0 v128:0x0
else
	fail "wast2json tests/run/relaxed.wast"
fi

# --- threads: atomics, single-thread wait/notify; --disable-threads refuses them
check threads-wast 0 "threads.wast: 19/19" "" -v --spectest tests/run/threads.wast
# the threads proposal's (thread ...) and (wait ...): threads that only
# concurrency can finish, atomic sums across host threads, wait and notify
# across threads, litmus MP; a thread's trap fails its command at its line
t=tests/run/threads_run.wast
check threads-run 1 $'='"$t: 50/54"$'\n50 passed, 4 failed' \
	$'='"$t:104: invoke failed: trap: unreachable
$t:109: wait failed: no thread \$Trap running
$t:110: thread failed: no module \$Nope to share
$t:112: assert_return failed: \$Sum is shared with this thread: only its memories can be used here" \
	-v --timeout 60 --spectest "$t"
# a shared memory one thread grows while another runs: the other sees the
# new size (memory.size, a store and load in the new page), not the one it
# loaded; past it still traps
check threads-grow 0 "tests/run/threads_grow.wast: 7/7" "" \
	-v --timeout 60 --spectest tests/run/threads_grow.wast
# a (thread) that does not parse is a bad command at its line:column
printf '(module $M (memory 1 1 shared))\n(thread $T (shared (func $M)))\n(wait $T)\n' >"$dir/badthread.wast"
check threads-bad-syntax 1 "$dir/badthread.wast: 1/3" \
	$'='"$dir/badthread.wast:2: bad command failed: 2:21: unexpected token 'func', expected module"$'\n'"$dir/badthread.wast:3: wait failed: no thread \$T running" \
	-v --spectest "$dir/badthread.wast"
# at most 32 threads a file (MAX_THREADS): the 33rd fails
for i in $(seq 33); do echo "(thread \$T$i)"; done >"$dir/manythreads.wast"
check threads-limit 1 "$dir/manythreads.wast: 32/33" "=$dir/manythreads.wast:33: thread failed: more than 32 threads" \
	-v --spectest "$dir/manythreads.wast"

# --- scripts the reader cannot read: a script that does not parse is one
# failed command (not 0/0 and exit 0); a bad command is reported at its line
printf '(module)\n(assert_return (invoke "f")\n' >"$dir/unclosed.wast"
check spectest-unreadable 1 "=$dir/unclosed.wast: 0/1"$'\n0 passed, 1 failed' \
	"$dir/unclosed.wast:2:1: unclosed '('" --spectest "$dir/unclosed.wast"
# an assert_trap's text matches a trap message it starts (the spec interpreter's
# rule: "integer divide" for "integer divide by zero") or that starts it
printf '(module (func (export "d") (result i32) (i32.div_u (i32.const 1) (i32.const 0))))\n%s\n%s\n%s\n' \
	'(assert_trap (invoke "d") "integer divide")' '(assert_trap (invoke "d") "integer divide by zero")' \
	'(assert_trap (invoke "d") "integer overflow")' >"$dir/trapmsg.wast"
check spectest-trap-prefix 1 "$dir/trapmsg.wast: 3/4" \
	"=$dir/trapmsg.wast:4: assert_trap failed: trap \"integer divide by zero\", expected \"integer overflow\"" \
	-v --spectest "$dir/trapmsg.wast"
printf '(module)\n\n(frobnicate 1)\n' >"$dir/badcmd.wast"
check spectest-bad-command-line 1 "$dir/badcmd.wast: 1/2" \
	"$dir/badcmd.wast:3: bad command failed: 3:2: unexpected token 'frobnicate'" -v --spectest "$dir/badcmd.wast"
check threads-disabled 1 "" "threads.wast:4: module failed: module: 4:35: unexpected token (shared): shared memory needs the threads feature (--enable-threads)" -v --disable-threads --spectest tests/run/threads.wast

# --- traps: message, backtrace with names and offsets, exit 134
check trap-backtrace 134 "" $'calc.wasm: trap: integer divide by zero\n  #0 func[3] <divide> at' --invoke ratio "$m/calc.wasm" 7 0
check trap-backtrace-caller 134 "" "#1 func[4] <ratio> at $m/calc.wasm:0x" --invoke ratio "$m/calc.wasm" 7 0
check no-trap 0 "=i32:4" "=" --invoke ratio "$m/calc.wasm" 7 2

# --- limits
check fuel-spent 134 "" "trap: fuel exhausted" --fuel 1000 --invoke spin "$m/calc.wasm" 100000000
check fuel-enough 0 "=i32:1000" "" --fuel 100000 --invoke spin "$m/calc.wasm" 1000
check max-memory-min 1 "" "memory of 4 pages passes the cap of 65536 bytes" --max-memory 64K --invoke size "$m/bigmem.wasm"
# the budget holds the stacks too (at least 32 KiB of value stack and 256 frames)
check max-memory-ok 0 "=i32:4" "" --max-memory 320K --invoke size "$m/bigmem.wasm"
check max-memory-grow 0 "=i32:4294967295" "" --max-memory 128K --invoke grow "$m/calc.wasm" 2
check max-memory-grow-ok 0 "=i32:1" "" --max-memory 192K --invoke grow "$m/calc.wasm" 1
check max-stack 134 "" "call stack exhausted" --max-stack 50 --invoke depth "$m/calc.wasm" 100
check max-stack-collapsed 134 "" "the same frame 49 more times" --max-stack 50 --invoke depth "$m/calc.wasm" 100
# one repeat is printed as a frame, not as "1 more times"
check max-stack-one-repeat 134 "" "$(printf '  #0 func[6] <depth> at %s:0xf3\n  #1 func[6] <depth> at %s:0xf3' "$m/calc.wasm" "$m/calc.wasm")" \
	--max-stack 2 --invoke depth "$m/calc.wasm" 100
check max-stack-ok 0 "=i32:40" "" --max-stack 50 --invoke depth "$m/calc.wasm" 40
# tail calls: 10,000,000 deep in constant stack (the same by call stops
# at --max-stack); a trap after a tail call shows the caller of the
# function that tail-called (b is gone)
check tail-call-deep 0 "=i32:1" "" --max-stack 50 --invoke even "$m/tailcall.wasm" 10000000
check tail-call-indirect-deep 0 "=i32:0" "" --max-stack 50 --invoke even_i "$m/tailcall.wasm" 9999999
check call-not-tail 134 "" "call stack exhausted" --max-stack 50 --invoke even_c "$m/tailcall.wasm" 100
check tail-call-fuel 134 "" "trap: fuel exhausted" --fuel 100000 --invoke even "$m/tailcall.wasm" 10000000
check tail-call-backtrace 134 "" $'trap: integer divide by zero\n  #0 func[8] <c> at '"$m/tailcall.wasm"$':0x' \
	--invoke a "$m/tailcall.wasm" 0
check tail-call-backtrace-caller 134 "" $'\n  #1 func[6] <a> at ' --invoke a "$m/tailcall.wasm" 0
check tail-call-ok 0 "=i32:21" "" --invoke a "$m/tailcall.wasm" 5
check tail-call-disabled 1 "" "illegal opcode" --disable-tail-call --invoke even "$m/tailcall.wasm" 1

# --- GC is on by default (WebAssembly 3.0): a struct type, a GC instruction
# and a GC heap type run with no option (assembled by wlab-wat, with none
# either); --disable-gc and --features=2.0 refuse each at its offset, naming
# the feature
wat=$BUILD/bin/wlab-wat
"$wat" /dev/stdin -o "$dir/gc-struct.wasm" <<'W' || fail "wlab-wat gc-struct"
(module (type $s (struct (field i32))) (func (export "mk") (result anyref) i32.const 1 struct.new $s))
W
"$wat" /dev/stdin -o "$dir/gc-i31.wasm" <<'W' || fail "wlab-wat gc-i31"
(module (func (export "i") (result i32) i32.const -5 ref.i31 i31.get_s))
W
"$wat" /dev/stdin -o "$dir/gc-anyref.wasm" <<'W' || fail "wlab-wat gc-anyref"
(module (func (export "n") (param anyref) (result i32) local.get 0 ref.is_null))
W
check gc-default-struct 0 "=anyref:(struct 0 (i32 1))" "=" --invoke mk "$dir/gc-struct.wasm"
check gc-default-i31 0 "=i32:4294967291" "=" --invoke i "$dir/gc-i31.wasm"
check gc-default-anyref 0 "=i32:1" "=" --invoke n "$dir/gc-anyref.wasm" null
for off in --disable-gc --features=2.0; do
	check "gc-struct $off" 1 "" "=$dir/gc-struct.wasm:0xb: error: malformed function type: struct type needs the gc feature (--enable-gc)" \
		"$off" --invoke mk "$dir/gc-struct.wasm"
	check "gc-i31 $off" 1 "" "=$dir/gc-i31.wasm:0x21: error: illegal opcode: ref.i31 needs the gc feature (--enable-gc)" \
		"$off" --invoke i "$dir/gc-i31.wasm"
	check "gc-anyref $off" 1 "" "=$dir/gc-anyref.wasm:0xd: error: malformed value type: anyref needs the gc feature (--enable-gc)" \
		"$off" --invoke n "$dir/gc-anyref.wasm" null
done

# --- WASI commands: argv, stdout, proc_exit code as the exit code
check wasi-exit-code 43 "=hi from wasi" "=" "$m/wasi.wasm" a b
check wasi-no-args 41 "=hi from wasi" "" "$m/wasi.wasm"
check wasi-options-end 42 "=hi from wasi" "" -- "$m/wasi.wasm" --not-an-option
check wasi-trace 41 "" "trace: wasi_snapshot_preview1.proc_exit(i32:41) -> exit 41" --trace-imports "$m/wasi.wasm"
check wasi-invoke 41 "=hi from wasi" "" --invoke _start "$m/wasi.wasm"
check wasi-stubbed-when-unknown 134 "" "stub wasi_snapshot_preview1.no_such_fn" --invoke f "$m/wasi_unknown.wasm"
# snapshot 0: the same host under "wasi_unstable", traced and stubbed by that name
check wasi-unstable-exit-code 42 "=hi from wasi_unstable" "=" "$m/wasi_unstable.wasm" a
check wasi-unstable-trace 41 "" "trace: wasi_unstable.args_sizes_get(i32:16, i32:20) -> (i32:0)
trace: wasi_unstable.proc_exit(i32:41) -> exit 41" --trace-imports "$m/wasi_unstable.wasm"
check wasi-unstable-no-sock-accept 134 "" "stub wasi_unstable.sock_accept: func (i32, i32, i32) -> (i32): trap" \
	--invoke f "$m/wasi_unstable_sock.wasm"
if clang --target=wasm32-wasi --sysroot=/usr -O2 -o "$dir/wasi_env.wasm" tests/run/wasi_env.c; then
	mkdir -p "$dir/preopen"
	echo "from the host" >"$dir/preopen/in.txt"
	check wasi-env-dir 5 $'argc 3: one two\nGREETING=hello there\nin.txt: from the host' "" \
		--env GREETING="hello there" --dir "$dir/preopen::/data" "$m/wasi_env.wasm" one two
	check wasi-dir-written 0 "" "" --dir "$dir/preopen::/data" "$m/wasi_env.wasm"
	[[ $(cat "$dir/preopen/out.txt" 2>/dev/null) == "written by the guest" ]] && passed=$((passed + 1)) ||
		fail "wasi-dir-written: $dir/preopen/out.txt"
	check wasi-no-dir 0 "in.txt: cannot open" "" "$m/wasi_env.wasm"
	check wasi-bad-dir 1 "" "WASI" --dir "$dir/no-such-dir" "$m/wasi_env.wasm"
else
	fail "clang --target=wasm32-wasi tests/run/wasi_env.c"
fi

# --- source lines in backtraces (DWARF): srctrap.c at -O2 -g, compiled and linked
# apart (clang's driver would run wasm-opt on an -O2 link, leaving stale DWARF)
if clang --target=wasm32-wasi -O2 -g -c -o "$dir/srctrap.o" tests/run/srctrap.c &&
	clang --target=wasm32-wasi -o "$dir/srctrap.wasm" "$dir/srctrap.o"; then
	st=$m/srctrap.wasm
	check source-inlined 134 "" $'<scale> at '"$st"$':0x105\n       '"$root"$'/tests/run/srctrap.c:7:11 in ratio (inlined)\n       '"$root"$'/tests/run/srctrap.c:12:9\n  #1 func[5] <main>' "$st"
	check source-caller 134 "" $'<main> at '"$st"$':0x12d\n       '"$root"$'/tests/run/srctrap.c:17:9\n' "$st"
	check source-off 134 "" $'<scale> at '"$st"$':0x105\n  #1 func[5] <main> at '"$st"$':0x12d\n' --no-source "$st"
	# a module without DWARF prints what it always did (calc.wasm: trap-backtrace above)
	check source-none 134 "" $'#0 func[3] <divide> at '"$m"$'/calc.wasm:0xbc\n  #1' --invoke ratio "$m/calc.wasm" 7 0
	# a cut .debug_line: a warning naming the section, the backtrace still printed
	python3 - "$st" "$dir/srctrap-cut.wasm" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
name = b"\x0b.debug_line"
i = data.index(name)  # the section's name; its size LEB128 ends just before
j = i - 1
while j > 0 and data[j - 1] & 0x80:
    j -= 1
size, shift, k = 0, 0, j
while True:
    size |= (data[k] & 0x7f) << shift
    shift += 7
    k += 1
    if not data[k - 1] & 0x80:
        break
keep = len(name) + 30  # the name and 30 bytes of the first line program
body = data[i:i + keep]
out = data[:j] + bytes([keep]) + body + data[i + size:]
open(sys.argv[2], "wb").write(out)
PY
	check source-bad-dwarf 134 "" "warning: .debug_line+0x" "$dir/srctrap-cut.wasm"
	# the DWARF in another file (wlab/debuginfo.h): the module without its .debug_*
	# sections (the code stays where it was), the sections kept by llvm-objcopy;
	# named by an external_debug_info section (found next to the module), or by
	# --debug-file; and a source map v3 named by sourceMappingURL or --source-map
	mkdir -p "$dir/split" "$dir/split/maps"
	python3 - "$st" "$dir/split" "$root" <<'PY'
import sys
src, out, root = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
def leb(n):
    b = bytearray()
    while True:
        c = n & 0x7f
        n >>= 7
        b.append(c | (0x80 if n else 0))
        if not n:
            return bytes(b)
def custom(name, payload):
    body = leb(len(name)) + name + payload
    return b"\0" + leb(len(body)) + body
def string(s):
    return leb(len(s)) + s
pos, keep = 8, data[:8]
while pos < len(data):
    start, sid = pos, data[pos]
    pos += 1
    size = shift = 0
    while True:
        size |= (data[pos] & 0x7f) << shift
        shift += 7
        pos += 1
        if not data[pos - 1] & 0x80:
            break
    nl = data[pos]
    if not (sid == 0 and data[pos + 1:pos + 1 + nl].startswith(b".debug_")):
        keep += data[start:pos + size]
    pos += size
open(out + "/stripped.wasm", "wb").write(keep)
open(out + "/ext.wasm", "wb").write(keep + custom(b"external_debug_info", string(b"ext.debug.wasm")))
open(out + "/lost.wasm", "wb").write(keep + custom(b"external_debug_info", string(b"gone.debug.wasm")))
open(out + "/mapped.wasm", "wb").write(keep + custom(b"sourceMappingURL", string(b"maps/mapped.wasm.map")))
# VLQ: the trap in scale at 0x105 -> srctrap.c 7:11, main's call at 0x12d -> 17:9
def vlq(v):
    v = (-v << 1) | 1 if v < 0 else v << 1
    s = ""
    while True:
        d = v & 31
        v >>= 5
        s += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[d | (32 if v else 0)]
        if not v:
            return s
segs = [(0x100, 0, 10, 0), (0x105, 0, 6, 10), (0x10a, None), (0x12d, 0, 16, 8)]
out_segs, last = [], [0, 0, 0, 0]
for sg in segs:
    if sg[1] is None:
        out_segs.append(vlq(sg[0] - last[0]))
        last[0] = sg[0]
        continue
    out_segs.append("".join(vlq(v - l) for v, l in zip(sg, last)))
    last = list(sg)
import json
json.dump({"version": 3, "file": "mapped.wasm", "sourceRoot": root + "/tests",
           "sources": ["run/srctrap.c"], "names": [], "x_extra": {"a": [1, 2.5e3, None, True]},
           "mappings": ",".join(out_segs)}, open(out + "/maps/mapped.wasm.map", "w"))
open(out + "/maps/bad.map", "w").write('{"version": 3, "sources": ["a.c"], "mappings": "AAAA,A!"}')
PY
	llvm-objcopy-14 --only-keep-debug "$st" "$dir/split/ext.debug.wasm" || fail "llvm-objcopy-14 --only-keep-debug"
	srcwant=$'       '"$root"$'/tests/run/srctrap.c:7:11 in ratio (inlined)\n       '"$root"$'/tests/run/srctrap.c:12:9\n  #1 func[5] <main>'
	check source-external 134 "" "$srcwant" "$dir/split/ext.wasm"
	check source-debug-file 134 "" "$srcwant" --debug-file "$dir/split/ext.debug.wasm" "$dir/split/stripped.wasm"
	check source-external-missing 134 "" $':0x105\nwlab-run: '"$dir/split/lost.wasm"': warning: '"$dir/split/gone.debug.wasm"$': cannot open: No such file or directory (named by external_debug_info); no source information from it; source lines may be missing\n  #1' "$dir/split/lost.wasm"
	check source-map-url 134 "" $':0x105\n       '"$root"$'/tests/run/srctrap.c:7:11\n  #1 func[5] <main> at '"$dir/split/mapped.wasm"$':0x12d\n       '"$root"$'/tests/run/srctrap.c:17:9\n' "$dir/split/mapped.wasm"
	check source-map-option 134 "" $':0x105\n       '"$root"$'/tests/run/srctrap.c:7:11\n' --source-map "$dir/split/maps/mapped.wasm.map" "$dir/split/stripped.wasm"
	check source-map-bad 134 "" $'bad.map+0x35: not a source map: malformed mapping segment (bad base64 VLQ) (--source-map); source lines may be missing\n  #1 func[5] <main> at' --source-map "$dir/split/maps/bad.map" "$dir/split/stripped.wasm"
else
	fail "clang --target=wasm32-wasi -g tests/run/srctrap.c"
fi

# --- C++ names in backtraces: DWARF's linkage names demangled (wlab/demangle.h)
if clang++ --target=wasm32-wasi -fno-exceptions -fno-rtti -O2 -g -c -o "$dir/cxxtrap.o" tests/run/cxxtrap.cpp &&
	clang++ --target=wasm32-wasi -nostdlib -Wl,--no-entry -Wl,--export=run -o "$dir/cxxtrap.wasm" "$dir/cxxtrap.o"; then
	cx=$m/cxxtrap.wasm
	check demangled-inlined 134 "" $'tests/run/cxxtrap.cpp:6:33 in calc::Ratio::of(int) const (inlined)\n       '"$root"$'/tests/run/cxxtrap.cpp:10:11 in int calc::apply<int>(calc::Ratio const&, int) (inlined)\n' --invoke run "$cx" 0
	check no-demangle 134 "" $'tests/run/cxxtrap.cpp:6:33 in _ZNK4calc5Ratio2ofEi (inlined)\n' --no-demangle --invoke run "$cx" 0
else
	fail "clang++ --target=wasm32-wasi -g tests/run/cxxtrap.cpp"
fi

# --- --trace-imports: text lines on stderr, JSON lines in --trace-file
check trace-text 0 "=i32:0" "trace: env.f(i32:1, i64:2) -> (i32:0)" -q --stub env.f=zero --trace-imports --invoke call_f "$imp" 1 2
check trace-text-trap 134 "" "trace: env.f(i32:1, i64:2) -> trap: host function trapped" -q --trace-imports --invoke call_f "$imp" 1 2
check trace-json 0 "=Hello, World!" "" -q --stub imports.hello_from_js=str --trace-imports --trace-format json \
	--trace-file "$dir/trace.jsonl" --invoke hello_from_c "$BUILD/examples/hello/hello.wasm" str:World
if python3 - "$dir/trace.jsonl" <<'PY'; then passed=$((passed + 1)); else fail "trace-json lines"; fi
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
call = json.loads(lines[0])
assert call["module"] == "imports" and call["field"] == "hello_from_js", call
assert [a["type"] for a in call["args"]] == ["i32", "i32"], call
assert call["args"][1]["value"] == len("Hello, World!"), call
assert call["results"] == [] and call["trap"] is None, call
PY
check trace-json-wasi 41 "" "" --trace-format json --trace-file "$dir/wasi.jsonl" "$m/wasi.wasm"
if python3 - "$dir/wasi.jsonl" <<'PY'; then passed=$((passed + 1)); else fail "trace-json-wasi lines"; fi
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
assert [c["field"] for c in calls] == ["fd_write", "args_sizes_get", "proc_exit"], calls
assert calls[0]["results"] == [{"type": "i32", "value": 0}], calls[0]
assert calls[2]["args"] == [{"type": "i32", "value": 41}], calls[2]
assert calls[2]["trap"] == "process exit" and calls[2]["exit_code"] == 41, calls[2]
PY

# --- --timeout in the testing modes: one timer over the whole run; the
# mode stops at its next command or export once the time is up, exit 124
cat >"$dir/spin-exports.wat" <<'W'
(module (func (export "quick") (result i32) (i32.const 7))
  (func (export "spin") (loop (br 0)))
  (func (export "after") (result i32) (i32.const 8)))
W
cat >"$dir/spin-start.wat" <<'W'
(module (func $s (loop (br 0))) (start $s) (func (export "quick") (result i32) (i32.const 7)))
W
cat >"$dir/spin.wast" <<'W'
(module (func (export "quick") (result i32) (i32.const 7))
  (func (export "spin") (loop (br 0))))
(assert_return (invoke "quick") (i32.const 7))
(invoke "spin")
(assert_return (invoke "quick") (i32.const 7))
W
wat2wasm -o "$dir/spin-exports.wasm" "$dir/spin-exports.wat" || fail "wat2wasm spin-exports"
wat2wasm -o "$dir/spin-start.wasm" "$dir/spin-start.wat" || fail "wat2wasm spin-start"
wat2wasm -o "$dir/quick.wasm" - <<<'(module (func (export "add") (result i32) (i32.add (i32.const 2) (i32.const 3))))' ||
	fail "wat2wasm quick"
up="wlab-run: --timeout 0.3: the time is up; the run stopped"
# a _start that takes or returns values is no WASI command: said with the
# offset of its export and its type (it had neither)
wat2wasm -o "$dir/start-typed.wasm" - <<<'(module (func (export "_start") (param i32) (result i32) (local.get 0)))' ||
	fail "wat2wasm start-typed"
check start-typed 1 "" "start-typed.wasm:0x17: error: _start (i32) -> (i32) must take and return nothing" \
	"$m/start-typed.wasm"
check start-typed-invoke 0 "=i32:5" "" --invoke _start "$m/start-typed.wasm" 5
check timeout-run-all-exports 124 $'=quick() => i32:7\nspin() => error: interrupted' "$up" \
	--timeout 0.3 --run-all-exports "$m/spin-exports.wasm"
check timeout-run-all-exports-start 124 "=" $'=error initializing module: interrupted\n'"$up" \
	--timeout 0.3 --run-all-exports "$m/spin-start.wasm"
check timeout-run-all-exports-in-time 0 "=add() => i32:5" "=" \
	--timeout 100 --run-all-exports "$m/quick.wasm"
# a trap in a fused cell whose first cell is the load (f64.load; f64.add):
# the detail names the load, 8 bytes (it said 4, and handed the fused op to
# wlab_opinfo, past the opcode table), as wasm-interp and the plain load say
check oob-fused 0 $'=fused() => error: out of bounds memory access: access at 70003+8 >= max value 65536
fused32() => error: out of bounds memory access: access at 70003+4 >= max value 65536
plain() => error: out of bounds memory access: access at 70003+8 >= max value 65536' "" \
	--run-all-exports "$m/oob-fused.wasm"
# two function imports under one name with different types: each gets its
# own printing stub, as wasm-interp --run-all-exports gives them (the second
# one's definition used to replace the first: "incompatible import type")
wat2wasm -o "$dir/same-name.wasm" - <<<'(module (import "env" "log" (func $one (param i64)))
  (import "env" "log" (func $two (param f32) (result i32)))
  (func (export "go") (result i32) (call $one (i64.const 9)) (call $two (f32.const 0.5))))' ||
	fail "wat2wasm same-name"
check run-all-exports-same-import-name 0 $'=called host env.log(i64:9) =>\ncalled host env.log(f32:0.500000) => i32:0\ngo() => i32:0' "=" \
	--run-all-exports "$m/same-name.wasm"
# a legacy try with params: its catch starts from the tag's values alone
# (the validator kept the try's params there: "type mismatch")
wat2wasm --enable-exceptions -o "$dir/try-param.wasm" - <<'W' || fail "wat2wasm try-param"
(module (tag $e (param i32))
  (func (export "caught") (result i32)
    i32.const 5
    try (param i32) (result i32)
      i32.const 7
      throw $e
    catch $e
      i32.const 100
      i32.add
    end)
  (func (export "plain") (result i32)
    i32.const 5
    try (param i32) (result i32)
      i32.eqz
    catch $e
      drop
      i32.const 9
    end))
W
check run-all-exports-try-params 0 $'=caught() => i32:107\nplain() => i32:0' "=" \
	--run-all-exports "$m/try-param.wasm"
# --- -r/--run-export NAME with -a/--argument TYPE:VALUE: stdout and exit
# status as wabt 1.0.39's `wasm-interp -r NAME -a TYPE:VALUE...` (the
# expected lines are its output for the same modules); our explanations on stderr
wat2wasm -o "$dir/rx.wasm" - <<'W' || fail "wat2wasm rx"
(module
  (import "env" "log" (func $log (param i32) (result i32)))
  (import "host" "print" (func $hp (param i32)))
  (memory (export "mem") 1)
  (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1)))
  (func (export "none"))
  (func (export "ff") (param f32 f64) (result f64 f32) (local.get 1) (local.get 0))
  (func (export "trap") (param i32) (result i32) unreachable)
  (func (export "oob") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "calllog") (param i32) (result i32) (call $hp (local.get 0)) (call $log (local.get 0)))
  (func (export "v") (param v128) (result v128) (local.get 0))
  (func (export "r") (param funcref externref) (result externref) (local.get 1)))
W
wat2wasm -o "$dir/rx-order.wasm" - <<<'(module (func (export "z") (result i32) (i32.const 26))
  (func (export "a") (param i32) (result i32) (local.get 0)))' || fail "wat2wasm rx-order"
wat2wasm -o "$dir/rx-hostprint.wasm" - <<<'(module (import "host" "print" (func $p (param i32 f64) (result i32)))
  (import "env" "f" (func $f (param i32) (result i32))) (export "f" (func $f))
  (func (export "g") (result i32) (call $p (i32.const 3) (f64.const 2))))' || fail "wat2wasm rx-hostprint"
wat2wasm -o "$dir/rx-hp-only.wasm" - <<<'(module (import "host" "print" (func $p (param i32 f64) (result i32)))
  (func (export "g") (result i32) (call $p (i32.const 3) (f64.const 2))))' || fail "wat2wasm rx-hp-only"
wat2wasm -o "$dir/rx-mem.wasm" - <<<'(module (import "env" "mem" (memory 1)) (func (export "h") (result i32) (i32.const 1)))' ||
	fail "wat2wasm rx-mem"
wat2wasm -o "$dir/rx-start.wasm" - <<<'(module (func $s unreachable) (start $s) (func (export "h") (result i32) (i32.const 1)))' ||
	fail "wat2wasm rx-start"
rx=$dir/rx.wasm
check run-export 0 "=add(i32:1, i64:2) => i64:3" "=" --dummy-import-func -r add -a i32:1 -a i64:2 "$rx"
check run-export-long-forms 0 "=add(i32:1, i64:2) => i64:3" "=" \
	--dummy-import-func --run-export=add --argument=i32:1 --argument i64:2 "$rx"
check run-export-run-export-space 0 "=add(i32:16, i64:32) => i64:48" "=" \
	--dummy-import-func --run-export add -a i32:0x10 -a i64:0x2_0 "$rx"
check run-export-floats 0 "=ff(f32:1.500000, f64:2.250000) => f64:2.250000, f32:1.500000" "=" \
	--dummy-import-func -r ff -a f32:1.5 -a f64:2.25 "$rx"
check run-export-nan-hex-underscore 0 "=ff(f32:nan, f64:32.000000) => f64:32.000000, f32:nan" "=" \
	--dummy-import-func -r ff -a f32:-nan -a f64:0x1_0p1 "$rx"
check run-export-no-params 0 "=none() =>" "=" --dummy-import-func -r none "$rx"
check run-export-trap 0 "=trap(i32:1) => error: unreachable executed" "=" \
	--dummy-import-func -r trap -a i32:1 "$rx"
check run-export-oob 0 "=oob(i32:100000) => error: out of bounds memory access: access at 100000+4 >= max value 65536" "=" \
	--dummy-import-func -r oob -a i32:100000 "$rx"
check run-export-dummy-imports 0 $'=called host host.print(i32:5) =>\ncalled host env.log(i32:5) => i32:0\ncalllog(i32:5) => i32:0' "=" \
	--dummy-import-func -r calllog -a i32:5 "$rx"
check run-export-v128 0 "=v(v128 i32x4:0x00000000 0xbff00000 0x00000000 0x00000000) => v128 i32x4:0x00000000 0xbff00000 0x00000000 0x00000000" \
	"is f64 but the param is v128" --dummy-import-func -r v -a f64:-1 "$rx"
check run-export-unknown-type-is-zero 0 "=v(v128 i32x4:0x00000000 0x00000000 0x00000000 0x00000000) => v128 i32x4:0x00000000 0x00000000 0x00000000 0x00000000" \
	"the argument is zero" --dummy-import-func -r v -a v128:1 "$rx"
check run-export-other-type-bits 0 "=add(i32:1069547520, i64:1069547520) => i64:2139095040" \
	"'f32:1.5' is f32 but the param is i32" --dummy-import-func -r add -a f32:1.5 -a f32:1.5 "$rx"
check run-export-refs 0 "=r(funcref:0, externref:5) => externref:5" "" \
	--dummy-import-func -r r -a i32:0 -a i64:5 "$rx"
check run-export-externref-32-bits 0 "=r(funcref:0, externref:-1) => externref:-1" "=" \
	--dummy-import-func -r r -a i32:0 -a i64:0x1ffffffff "$rx"
check run-export-funcref-number 1 "=" "a funcref argument can only be 0 (null)" \
	--dummy-import-func -r r -a i32:1 -a i64:5 "$rx"
check run-export-bad-argument 1 "=Failed to parse argument 'i32:-1'" "bad -a/--argument 'i32:-1'" \
	--dummy-import-func -r add -a i32:-1 -a i64:2 "$rx"
check run-export-bad-argument-inf 1 "=Failed to parse argument 'f64:inf'" "floats finite" \
	--dummy-import-func -r ff -a f32:1 -a f64:inf "$rx"
check run-export-bad-argument-range 1 "=Failed to parse argument 'i32:4294967296'" "in range" \
	--dummy-import-func -r add -a i32:4294967296 -a i64:2 "$rx"
check run-export-argument-first 1 "=Cannot find a function execution for argument 'i32:1'" \
	"comes before any -r/--run-export" --dummy-import-func -a i32:1 -r add "$rx"
check run-export-missing 0 "=" "--run-export nosuch: $rx has no export of that name" \
	--dummy-import-func -r nosuch -a i32:1 "$rx"
check run-export-count 1 "=Exported function 'add' expects 2 arguments, but 1 were provided" \
	"(i32, i64) -> (i64) takes 2 arguments" --dummy-import-func -r add -a i32:1 "$rx"
check run-export-not-function 1 "=Export 'mem' is not a function" "the export is a memory" \
	--dummy-import-func -r mem "$rx"
check run-export-stops-at-error 1 $'=add(i32:1, i64:2) => i64:3\nExported function \'trap\' expects 1 arguments, but 0 were provided' "" \
	--dummy-import-func -r add -a i32:1 -a i64:2 -r trap "$rx"
check run-export-export-order 0 $'=z() => i32:26\na(i32:1) => i32:1\na(i32:2) => i32:2' "=" \
	-r a -a i32:1 -r z -r a -a i32:2 "$m/rx-order.wasm"
check run-export-with-all-exports 0 $'=none() =>\nadd(i32:1, i64:2) => i64:3' "=" \
	--dummy-import-func --run-all-exports -r add -a i32:1 -a i64:2 "$rx"
check run-export-imports-need-dummy 1 "=" 'error initializing module: invalid import "env.log"' \
	-r add -a i32:1 -a i64:2 "$rx"
check run-export-host-print-not-enough 1 "=" 'error initializing module: invalid import "env.f"' \
	--host-print -r g "$m/rx-hostprint.wasm"
check run-export-host-print 0 $'=called host host.print(i32:3, f64:2.000000) => i32:0\ng() => i32:0' "=" \
	--host-print -r g "$m/rx-hp-only.wasm"
check run-export-exported-import 0 $'=called host env.f(i32:7) =>\nf(i32:7) =>' "=" \
	--dummy-import-func -r f -a i32:7 "$m/rx-hostprint.wasm"
check run-export-memory-import 1 "=" 'invalid import "env.mem"' --dummy-import-func -r h "$m/rx-mem.wasm"
check run-export-start-trap 1 "=" "error initializing module: unreachable executed" -r h "$m/rx-start.wasm"
check run-export-with-invoke 2 "=" "-r/--run-export goes with --run-all-exports or alone, not with --invoke" \
	--invoke add -r add "$rx" 1 2
check run-export-needs-name 2 "=" "option '-r' needs a value" -r
check run-export-extra-args 0 "=none() =>" "1 argument after MODULE ignored" --dummy-import-func -r none "$rx" 5
# binaryen's fuzzing-support imports beyond logging (V8 and binaryen print the same)
check fuzzing-support-imports 0 $'=[fuzz-exec] export f\n[LoggingExternalInterface logging externref(105)]\n[LoggingExternalInterface logging 7]\n[LoggingExternalInterface logging -1]\n[LoggingExternalInterface logging -2]\n[LoggingExternalInterface logging 1]\n[LoggingExternalInterface logging 1]\n[fuzz-exec] export g\n[exception thrown]' "=" \
	--fuzzing-support "$m/fuzz-support.wasm"
check timeout-fuzzing-support-in-time 0 "note result: add => 5" "=" \
	--timeout 100 --fuzzing-support "$m/quick.wasm"
check timeout-fuzzing-support 124 $'=[fuzz-exec] export quick\n[fuzz-exec] note result: quick => 7\n[fuzz-exec] export spin\n[trap interrupted]' "=$up" \
	--timeout 0.3 --fuzzing-support "$m/spin-exports.wasm"
check timeout-fuzzing-support-start 124 "=[trap interrupted]" "=$up" \
	--timeout 0.3 --fuzzing-support "$m/spin-start.wasm"
check timeout-spectest 124 "=$dir/spin.wast: 2/3"$'\n2 passed, 1 failed' \
	$'='"$dir/spin.wast:4: invoke failed: trap: interrupted"$'\n'"$up" -v --timeout 0.3 --spectest "$dir/spin.wast"
# the second script is not started once the time is up
check timeout-spectest-two-files 124 "=$dir/spin.wast: 2/3"$'\n2 passed, 1 failed' "=$up" \
	--timeout 0.3 --spectest "$dir/spin.wast" "$dir/spin.wast"
check timeout-spectest-in-time 0 "threads.wast: 19/19" "=" --timeout 100 --spectest tests/run/threads.wast
# a thread waiting forever, a thread spinning and a (wait) for the first:
# --timeout ends them all (each thread's command fails at its line)
tf=tests/run/threads_forever.wast
check timeout-threads 124 $'='"$tf: 6/8"$'\n6 passed, 2 failed' \
	"$tf:10: assert_return failed: trap: interrupted" -v --timeout 0.3 --spectest "$tf"
check timeout-threads-spin 124 $'='"$tf: 6/8"$'\n6 passed, 2 failed' \
	"$tf:11: invoke failed: trap: interrupted" -v --timeout 0.3 --spectest "$tf"

# --- GC results (issue 11): --invoke prints a struct's fields and an
# array's elements on one line, i8 arrays of printable bytes as a string,
# nested objects to depth 3, 16 elements, and at most 4,095 bytes a line,
# "..." where cut, so a cycle or a huge array ends at once.
mkdir -p "$dir/gc"
if "$BUILD/bin/wlab-wat" /dev/stdin -o "$dir/gc/m.wasm" <<'W'
(module
  (type $p (struct (field (mut i32)) (field f64) (field i8) (field (mut (ref null $p)))
                   (field anyref) (field funcref) (field externref) (field i64) (field f32)))
  (type $a (array (mut i32)))
  (type $s (array i8))
  (type $r (array (mut anyref)))
  (type $w (struct (field (mut anyref)) (field (mut anyref)) (field (mut anyref))
                   (field (mut anyref)) (field (mut anyref)) (field (mut anyref))
                   (field (mut anyref)) (field (mut anyref)) (field (mut anyref))
                   (field (mut anyref)) (field (mut anyref)) (field (mut anyref))))
  (data $d "hello, world")
  (func $f (export "f") (result (ref $p))
    (struct.new $p (i32.const 7) (f64.const 2.5) (i32.const -1) (ref.null $p)
                   (ref.i31 (i32.const -5)) (ref.func $f) (ref.null extern) (i64.const -1)
                   (f32.const 0.5)))
  (func (export "cyc") (result anyref) (local $x (ref $p))
    (local.set $x (call $f))
    (struct.set $p 3 (local.get $x) (local.get $x))
    (local.get $x))
  (func (export "a") (result (ref $a) i31ref)
    (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const -3)) (ref.i31 (i32.const 3)))
  (func (export "huge") (result arrayref) (array.new_default $a (i32.const 1000000)))
  (func (export "str") (result (ref $s)) (array.new_data $s $d (i32.const 0) (i32.const 12)))
  (func (export "bytes") (result (ref $s))
    (array.new_fixed $s 3 (i32.const 0) (i32.const 65) (i32.const 255)))
  (func (export "empty") (result (ref $a)) (array.new_fixed $a 0))
  (func (export "refs") (result (ref $r)) (local $x (ref $r))
    (local.set $x (array.new $r (ref.i31 (i32.const 1)) (i32.const 2)))
    (array.set $r (local.get $x) (i32.const 0) (call $f))
    (local.get $x))
  (func (export "wide") (result anyref) (local $x (ref $w)) (local $i i32)
    (local.set $x (struct.new_default $w))
    (struct.set $w 0 (local.get $x) (local.get $x)) (struct.set $w 1 (local.get $x) (local.get $x))
    (struct.set $w 2 (local.get $x) (local.get $x)) (struct.set $w 3 (local.get $x) (local.get $x))
    (struct.set $w 4 (local.get $x) (local.get $x)) (struct.set $w 5 (local.get $x) (local.get $x))
    (struct.set $w 6 (local.get $x) (local.get $x)) (struct.set $w 7 (local.get $x) (local.get $x))
    (struct.set $w 8 (local.get $x) (local.get $x)) (struct.set $w 9 (local.get $x) (local.get $x))
    (struct.set $w 10 (local.get $x) (local.get $x)) (struct.set $w 11 (local.get $x) (local.get $x))
    (local.get $x)))
W
then
	g=$dir/gc/m.wasm
	p7='(struct 0 (i32 7) (f64 2.5) (i8 255) null i31:-5 func[0] null (i64 18446744073709551615) (f32 0.5))'
	check gc-struct 0 "=(ref 0):$p7" "=" --invoke f "$g"
	check gc-array-and-i31 0 $'=(ref 1):(array 1 len 3 (i32 1 2 4294967293))\ni31ref:i31:3' "=" \
		--invoke a "$g"
	check gc-string 0 '=(ref 2):(array 2 len 12 (i8 "hello, world"))' "=" --invoke str "$g"
	check gc-bytes 0 '=(ref 2):(array 2 len 3 (i8 0 65 255))' "=" --invoke bytes "$g"
	check gc-empty 0 '=(ref 1):(array 1 len 0)' "=" --invoke empty "$g"
	check gc-nested 0 "=(ref 3):(array 3 len 2 $p7 i31:1)" "=" --invoke refs "$g"
	check gc-cycle 0 '=anyref:(struct 0 (i32 7) (f64 2.5) (i8 255) (struct 0 (i32 7) (f64 2.5) (i8 255) (struct 0 (i32 7) (f64 2.5) (i8 255) (struct 0 ...) i31:-5 func[0] null (i64 18446744073709551615) (f32 0.5)) i31:-5 func[0] null (i64 18446744073709551615) (f32 0.5)) i31:-5 func[0] null (i64 18446744073709551615) (f32 0.5))' \
		"=" --invoke cyc "$g"
	check gc-huge 0 '=arrayref:(array 1 len 1000000 (i32 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 ...))' "=" \
		--invoke huge "$g"
	# 12 fields, each the struct itself: 12^3 objects at depth 3 pass the line's cap
	timeout 60 "$run" --invoke wide "$g" >"$dir/out" 2>"$dir/err"
	rc=$? line=$(<"$dir/out")
	if [[ $rc == 0 && ${#line} -le 4095 && ${#line} -ge 4000 && $line == "anyref:(struct 4 (struct 4 (struct 4"* &&
		$line == *" ..." && $(wc -l <"$dir/out") == 1 ]]; then
		passed=$((passed + 1))
	else
		fail "gc-line-cap: exit $rc, ${#line} bytes: ${line:0:200} ... ${line: -100}"
	fi
else
	fail "wlab-wat gc module"
fi

# --- stubs of the module's own types (npm's Emscripten and wasm-bindgen
# modules import tags and typed references): a tag import is a new tag, which
# the guest's own handlers catch (it was refused: "a tag import cannot be
# stubbed"); a function or global of a concrete reference type links (the
# function was "incompatible import type": its stub was made of the module's
# type indices read as the store's), and each prints its type ("func (?)",
# "global (null)" before)
if "$BUILD/bin/wlab-wat" --enable-all -o "$dir/stub-tag.wasm" /dev/stdin <<'W'; then
(module (import "env" "__cpp_exception" (tag $e (param i32)))
  (func (export "catch") (result i32)
    (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 42))) (i32.const -1))))
W
	check stub-tag 0 "=i32:42" "=wlab-run: stub env.__cpp_exception: tag (i32): a new tag" \
		--invoke catch "$m/stub-tag.wasm"
else
	fail "wlab-wat stub-tag"
fi
if "$BUILD/bin/wlab-wat" --enable-all -o "$dir/stub-typed.wasm" /dev/stdin <<'W'; then
(module (rec (type $t (func (param (ref null $s)))) (type $s (struct (field i32))))
  (import "m" "f" (func $f (type $t)))
  (import "m" "g" (global $g (ref null $s)))
  (import "m" "tab" (table 1 (ref null $t)))
  (func (export "null") (result i32) (ref.is_null (global.get $g)))
  (func (export "call") (call $f (global.get $g))))
W
	stubs=$'wlab-run: stub m.f: func ((ref null 1)) -> (): zero\nwlab-run: stub m.g: global (ref null 1): zero\nwlab-run: stub m.tab: table (ref null 0) 1..: declared limits'
	check stub-typed 0 "=i32:1" "=$stubs" --stub m.f=zero --invoke null "$m/stub-typed.wasm"
	check stub-typed-call 0 "=" "=$stubs" --stub m.f=zero --invoke call "$m/stub-typed.wasm"
else
	fail "wlab-wat stub-typed"
fi
# --run-all-exports: a function import of a typed-reference type gets its
# dummy (it was "incompatible import type"), and a memory import, which it
# cannot provide, is said with the file (it was "0x11c: error: ...")
if "$BUILD/bin/wlab-wat" --enable-all -o "$dir/dummy-typed.wasm" /dev/stdin <<'W'; then
(module (rec (type $t (func (param (ref null $s)) (result i32))) (type $s (struct (field i32))))
  (import "m" "f" (func $f (type $t)))
  (func (export "call") (result i32) (call $f (ref.null $s))))
W
	check run-all-exports-typed-import 0 $'=called host m.f((ref null 1):0) => i32:0\ncall() => i32:0' \
		"=" --run-all-exports "$m/dummy-typed.wasm"
else
	fail "wlab-wat dummy-typed"
fi
wat2wasm -o "$dir/mem-import.wasm" - <<<'(module (import "env" "memory" (memory 1)) (func (export "f")))' ||
	fail "wat2wasm mem-import"
check run-all-exports-memory-import 1 "=" \
	$'mem-import.wasm:0x11: error: unknown import "env" "memory"\nwlab-run: --run-all-exports provides function imports only' \
	--run-all-exports "$m/mem-import.wasm"
# an import whose type is not the one defined under its name says both (it
# said only "incompatible import type"): Emscripten's i64-legalized fd_seek
wat2wasm -o "$dir/fd-seek-legalized.wasm" - <<<'(module
  (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i32 i32 i32 i32) (result i32)))
  (func (export "_start")))' || fail "wat2wasm fd-seek-legalized"
check import-type-mismatch 1 "=" \
	'fd-seek-legalized.wasm:0x1a: error: incompatible import type "wasi_snapshot_preview1" "fd_seek": imported as func (i32, i32, i32, i32, i32) -> (i32), defined as func (i32, i64, i32, i32) -> (i32)' \
	"$m/fd-seek-legalized.wasm"

# --- the link order (cmd/wlab-run/run-order.ld, scripts/run-order.py): every
# name it places is still a function defined in the file it is listed under,
# and the link put the run's functions (rt_run) before the end of them
# (__wlab_run_text_end) and the others (wat_lex) after
if python3 -B scripts/run-order.py --names
then passed=$((passed + 1)); else fail "run-order names"; fi
if command -v nm >/dev/null; then
	sym() { nm "$run" | sed -n "s/^\([0-9a-f]*\) [tT] $1\$/\1/p" | head -n 1; }
	end=$(sym __wlab_run_text_end) hot=$(sym rt_run) cold=$(sym wat_lex)
	if [[ -n $end && -n $hot && -n $cold ]] && (( 0x$hot < 0x$end && 0x$cold > 0x$end )); then
		passed=$((passed + 1))
	else
		fail "run-order: want rt_run ($hot) before __wlab_run_text_end (${end:-none}), wat_lex ($cold) after"
	fi
fi

# --- mutants of the modules above: never a crash, a hang or a sanitizer report
if python3 -B tests/run/mutants.py "$run" "$m" 150; then passed=$((passed + 1)); else fail "mutants"; fi

echo "$passed $failed" >"$BUILD/test-results/run-cli.txt"
echo "run-cli: $passed passed, $failed failed"
[[ $failed == 0 ]]
