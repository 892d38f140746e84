#!/usr/bin/env bash
# regressions.sh: wlab-run on inputs that make other runtimes fail on the host
# side (wasm-interp aborts, wasm3 segfaults); each must end in a clean error
# or result, never a signal. Prints `run-regressions: N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
run=$BUILD/bin/wlab-run
[[ -x $run ]] || { echo "regressions.sh: missing $run" >&2; exit 2; }
dir=$BUILD/run-regressions
mkdir -p "$dir" "$BUILD/test-results"
passed=0 failed=0

# check NAME WANT_RC WANT_TEXT ARGS...: exit code and a text in stdout+stderr,
# within LIMIT seconds (60 unless set)
check() {
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$(timeout "${LIMIT:-60}" "$run" "$@" 2>&1)
	rc=$?
	if [[ $rc == "$want_rc" && $out == *"$want"* && $out != *Sanitizer* && $out != *"runtime error:"* ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $rc (want $want_rc), output: ${out:0:300}" >&2
	fi
}

# wasm-interp aborts on a data count of 0xFFFFFFFF.
printf '\x00asm\x01\x00\x00\x00\x0c\x05\xff\xff\xff\xff\x0f' >"$dir/datacount.wasm"
check datacount-0xffffffff 1 "data count and data section have inconsistent lengths" \
	--invoke f "$dir/datacount.wasm"

# wasm-interp aborts on a 65,536-page memory under a 1 GiB cap.
wat2wasm -o "$dir/bigmem.wasm" - <<'W'
(module (memory 65536) (func (export "f") (result i32) (memory.size)))
W
check memory-65536-pages-1gib-cap 1 "passes the cap" \
	--max-memory 1073741824 --invoke f "$dir/bigmem.wasm"

# wasm3 segfaults when a memory import is left unresolved; wlab-run gives it
# a stub memory of the declared limits (and lists it).
wat2wasm -o "$dir/memimport.wasm" - <<'W'
(module (import "env" "mem" (memory 1)) (func (export "f") (result i32) (i32.load (i32.const 0))))
W
check unresolved-memory-import 0 'stub env.mem: memory 1..: declared limits' --invoke f "$dir/memimport.wasm"

# Deep recursion is a guest trap (exit 134), not a host crash.
wat2wasm -o "$dir/recurse.wasm" - <<'W'
(module (func $f (export "f") (result i32) (call $f)))
W
check deep-recursion 134 "call stack exhausted" --invoke f "$dir/recurse.wasm"

# Atomics at the end of memory: in bounds at the last word, a trap (never a
# host read past the buffer) one byte further, the offset counted without
# wrapping, and "unaligned atomic" only for an access in bounds.
wat2wasm --enable-threads -o "$dir/atomics.wasm" - <<'W'
(module (memory 1 1 shared)
  (func (export "add") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 7)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load offset=0xfffffff8 (local.get 0)))
  (func (export "wait") (param i32) (result i32)
    (memory.atomic.wait32 (local.get 0) (i32.const 0) (i64.const -1))))
W
check atomic-last-word 0 "0" --invoke add "$dir/atomics.wasm" 65532
check atomic-past-the-end 134 "out of bounds memory access" --invoke add "$dir/atomics.wasm" 65536
# unaligned and past the end: the alignment's trap comes first
check atomic-unaligned-past-the-end 134 "unaligned atomic" --invoke add "$dir/atomics.wasm" 65533
check atomic-unaligned 134 "unaligned atomic" --invoke add "$dir/atomics.wasm" 65530
check atomic-offset-no-wrap 134 "out of bounds memory access" --invoke load64 "$dir/atomics.wasm" 8
# A wait that no other thread could end is a trap, not a hang.
check atomic-wait-forever 134 "wait would block forever" --invoke wait "$dir/atomics.wasm" 0

# An import's type index was read (m->types[idx]) to list stubs before the
# module was validated: 24 bytes with index 0xffffffff crashed wlab-run.
printf '\x00asm\x01\x00\x00\x00\x01\x01\x00\x02\x0b\x01\x01m\x01f\x00\xff\xff\xff\xff\x0f' \
	>"$dir/import-type-index.wasm"
check import-type-index-before-validation 1 "0xe: error: unknown type 4294967295" \
	"$dir/import-type-index.wasm"
# A small bad index (1 of 1 type) read past the array silently.
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x02\x07\x01\x01m\x01f\x00\x01' \
	>"$dir/import-type-index-1.wasm"
check import-type-index-small 1 "error: unknown type 1" "$dir/import-type-index-1.wasm"

# --invoke took funcref arguments as host pointers (a crash from the command
# line) and printed funcref results as host addresses.
wat2wasm -o "$dir/funcref.wasm" - <<'W'
(module (elem declare func $g)
  (func $g (export "g") (param funcref) (result funcref) (local.get 0))
  (func (export "h") (result funcref) (ref.func $g))
  (func (export "e") (param externref) (result externref) (local.get 0)))
W
check invoke-funcref-host-pointer 1 "'12345': a funcref argument can only be null" \
	--invoke g "$dir/funcref.wasm" 12345
check invoke-funcref-typed-host-pointer 1 "a funcref argument can only be null" \
	--invoke g "$dir/funcref.wasm" funcref:0x7fff0000
check invoke-funcref-null 0 "funcref:null" --invoke g "$dir/funcref.wasm" null
check invoke-funcref-result-no-address 0 "funcref:func[0]" --invoke h "$dir/funcref.wasm"
check invoke-externref-word 0 "externref:0x7" --invoke e "$dir/funcref.wasm" 7

# Tables were capped one by one (10M elements) but not counted in
# --max-memory: many of them made the host commit what no option bounded.
# Memories and tables now share one budget (a table element is 8 bytes):
# here 3 x 8,000,000 + 1 MiB at the start, and the stacks, which take an
# eighth of a budget this small (a sixteenth each: 30M leaves 27,525,120).
wat2wasm -o "$dir/tables.wasm" - <<'W'
(module (table 1000000 funcref) (table 1000000 funcref) (table 1000000 funcref)
  (memory 16)
  (func (export "grow") (result i32) (table.grow 0 (ref.null func) (i32.const 1000000)))
  (func (export "mgrow") (result i32) (memory.grow (i32.const 16))))
W
check tables-count-in-max-memory 1 "table of 1000000 elements passes the budget of 16777216 bytes" \
	--max-memory 16M --invoke grow "$dir/tables.wasm"
check table-grow-past-budget 0 "i32:4294967295" --max-memory 30M --invoke grow "$dir/tables.wasm"
check table-grow-within-budget 0 "i32:1000000" --max-memory 40M --invoke grow "$dir/tables.wasm"
check memory-grow-past-budget 0 "i32:4294967295" --max-memory 29000000 --invoke mgrow "$dir/tables.wasm"
check memory-grow-within-budget 0 "i32:16" --max-memory 30M --invoke mgrow "$dir/tables.wasm"

# Ten tables of 10,000,000 elements, each filled with a ref.func, made the
# host commit 783 MB under the default budget (4 GiB): the elements of all
# tables now count together against a cap of 10,000,000 (80 MB).
python3 - "$dir/tables-783mb.wat" <<'P'
import sys
open(sys.argv[1], 'w').write("(module (func $f (export \"_start\"))\n" +
    "  (table 10000000 funcref (ref.func $f))\n" * 10 + ")\n")
P
"$BUILD/bin/wlab-wat" "$dir/tables-783mb.wat" -o "$dir/tables-783mb.wasm"
LIMIT=5 check tables-783mb-default-budget 1 \
	"0x20: error: table of 10000000 elements passes the cap of 10000000 elements for all tables" \
	"$dir/tables-783mb.wasm"

# Exceptions were capped by count only (1,000,000), so large payloads added
# up outside --max-memory (800 bytes each here: 800 MB); each exception now
# takes its bytes from the budget.
python3 - "$dir/exn-payloads.wat" <<'P'
import sys
n = 100
open(sys.argv[1], 'w').write(
    "(module (tag $t (param" + " i64" * n + "))\n"
    "  (func (export \"_start\")\n"
    "    (loop $l\n"
    "      (block $c (result" + " i64" * n + ")\n"
    "        (try_table (catch $t $c) (throw $t" + " (i64.const 1)" * n + ")) (unreachable))\n" +
    "      (drop)" * n + "\n"
    "      (br $l))))\n")
P
"$BUILD/bin/wlab-wat" "$dir/exn-payloads.wat" -o "$dir/exn-payloads.wasm"
LIMIT=10 check exception-payloads-in-budget 134 "too many live exceptions" \
	--max-memory 64M "$dir/exn-payloads.wasm"

# The call and value stacks come out of the budget too: by default a
# sixteenth of it each (fewer frames under a small budget), and stacks asked
# for that do not fit are refused before anything runs.
check stacks-scale-with-budget 134 "call stack exhausted" --max-memory 16M --invoke f "$dir/recurse.wasm"
check stacks-past-budget 1 "the call and value stacks do not fit" \
	--max-memory 1M --max-stack 100000 --invoke f "$dir/recurse.wasm"

# --fuel did not bound the host's work: a memory.fill of any length, a call
# that zeroes a million locals, a table.fill... each cost 1 unit. Now the
# host's work is charged (1 unit per 64 bytes, a table element or stack
# slot 8 bytes): --fuel 30000 stops each loop at once (each ran over 5 s).
wat2wasm -o "$dir/fuel-fill.wasm" - <<'W'
(module (memory 1024)
  (func (export "_start") (loop (memory.fill (i32.const 0) (i32.const 0) (i32.const 67108864)) (br 0))))
W
LIMIT=5 check fuel-memory-fill-by-length 134 "fuel exhausted" --fuel 30000 "$dir/fuel-fill.wasm"
# _start: loop { call 1 }; func 1 has 3,000,000 i64 locals (51 bytes)
python3 - "$dir/fuel-locals.wasm" <<'P'
import sys
def leb(n):
    out = bytearray()
    while True:
        b, n = n & 0x7f, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)
def sec(i, b): return bytes([i]) + leb(len(b)) + b
def vec(xs): return leb(len(xs)) + b''.join(xs)
b0 = b'\x00\x03\x40\x10\x01\x0c\x00\x0b\x0b'
b1 = b'\x01' + leb(3000000) + b'\x7e\x0b'
open(sys.argv[1], 'wb').write(b'\0asm\1\0\0\0' + sec(1, vec([b'\x60\x00\x00'])) +
    sec(3, vec([b'\x00', b'\x00'])) + sec(7, vec([b'\x06_start\x00\x00'])) +
    sec(10, vec([leb(len(b0)) + b0, leb(len(b1)) + b1])))
P
LIMIT=5 check fuel-call-locals-by-count 134 "fuel exhausted" --fuel 30000 "$dir/fuel-locals.wasm"
# Each charge exactly: 8 MiB copied is 131,072 units, 100,000 table
# elements 12,500, a 4,096-byte passive segment 64, 800 elements 100.
python3 - "$dir/fuel-ops.wat" <<'P'
import sys
open(sys.argv[1], 'w').write("""(module (memory 256) (table $t 100000 funcref) (table $u 100000 funcref)
  (func $f) (data $d "%s") (elem $e func %s)
  (func (export "copy") (memory.copy (i32.const 0) (i32.const 8388608) (i32.const 8388608)))
  (func (export "init") (memory.init $d (i32.const 0) (i32.const 0) (i32.const 4096)))
  (func (export "tfill") (table.fill $t (i32.const 0) (ref.null func) (i32.const 100000)))
  (func (export "tcopy") (table.copy $t $u (i32.const 0) (i32.const 0) (i32.const 100000)))
  (func (export "tinit") (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 800)))
  (func (export "tgrow") (result i32) (table.grow $t (ref.null func) (i32.const 100000)))
  (func (export "tgrow_fail") (result i32) (table.grow $t (ref.null func) (i32.const -1))))
""" % ("x" * 4096, " ".join(["$f"] * 800)))
P
wat2wasm -o "$dir/fuel-ops.wasm" "$dir/fuel-ops.wat"
check fuel-memory-copy-by-length 134 "fuel exhausted" --fuel 131000 --invoke copy "$dir/fuel-ops.wasm"
check fuel-memory-copy-enough 0 "" --fuel 131080 --invoke copy "$dir/fuel-ops.wasm"
check fuel-memory-init-by-length 134 "fuel exhausted" --fuel 60 --invoke init "$dir/fuel-ops.wasm"
check fuel-memory-init-enough 0 "" --fuel 70 --invoke init "$dir/fuel-ops.wasm"
check fuel-table-fill-by-count 134 "fuel exhausted" --fuel 12000 --invoke tfill "$dir/fuel-ops.wasm"
check fuel-table-fill-enough 0 "" --fuel 12510 --invoke tfill "$dir/fuel-ops.wasm"
check fuel-table-copy-by-count 134 "fuel exhausted" --fuel 12000 --invoke tcopy "$dir/fuel-ops.wasm"
check fuel-table-copy-enough 0 "" --fuel 12510 --invoke tcopy "$dir/fuel-ops.wasm"
check fuel-table-init-by-count 134 "fuel exhausted" --fuel 90 --invoke tinit "$dir/fuel-ops.wasm"
check fuel-table-init-enough 0 "" --fuel 110 --invoke tinit "$dir/fuel-ops.wasm"
check fuel-table-grow-by-count 134 "fuel exhausted" --fuel 12000 --invoke tgrow "$dir/fuel-ops.wasm"
check fuel-table-grow-enough 0 "i32:100000" --fuel 12510 --invoke tgrow "$dir/fuel-ops.wasm"
# a grow that cannot happen does no work and costs no more
check fuel-table-grow-refused 0 "i32:4294967295" --fuel 10 --invoke tgrow_fail "$dir/fuel-ops.wasm"
# memory.grow cost 1 unit whatever it added: a grow to 4 GiB ran under
# --fuel 1000. Now 1,024 units a page (its 64 KiB, as memory.fill), on a
# 32-bit memory 0 and on a memory64, taken before the pages are added; a
# grow past the maximum returns -1 for its one unit.
wat2wasm --enable-memory64 --enable-multi-memory -o "$dir/fuel-grow.wasm" - <<'W'
(module (memory 0) (memory $m64 i64 0 16)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow64") (param i64) (result i64) (memory.grow $m64 (local.get 0))))
W
check fuel-memory-grow-by-pages 134 "fuel exhausted" --fuel 1000 --invoke grow "$dir/fuel-grow.wasm" 65536
check fuel-memory-grow-enough 0 "i32:0" --fuel 67108900 --invoke grow "$dir/fuel-grow.wasm" 65536
check fuel-memory-grow-exact-short 134 "fuel exhausted" --fuel 10240 --invoke grow "$dir/fuel-grow.wasm" 10
check fuel-memory-grow-exact-enough 0 "i32:0" --fuel 10250 --invoke grow "$dir/fuel-grow.wasm" 10
check fuel-memory64-grow-by-pages 134 "fuel exhausted" --fuel 1000 --invoke grow64 "$dir/fuel-grow.wasm" 16
check fuel-memory64-grow-enough 0 "i64:0" --fuel 16400 --invoke grow64 "$dir/fuel-grow.wasm" 16
check fuel-memory-grow-refused 0 "i64:18446744073709551615" --fuel 10 --invoke grow64 "$dir/fuel-grow.wasm" 17

# The fused store_AK form (local.get a; i32.const k; i32.add; a constant; a
# store: rt_fuse.c): the i32 sum wraps, the memarg offset is added, and an
# access out of bounds traps at the store with the address of the sum.
wat2wasm -o "$dir/store-ak.wasm" - <<'W'
(module (memory 1)
  (func (export "st") (param i32) (result i32)
    (i32.store offset=2 (i32.add (local.get 0) (i32.const 4)) (i32.const 7))
    (i32.load offset=6 (local.get 0)))
  (func (export "wrap") (param i32) (result i64)
    (i64.store8 (i32.add (local.get 0) (i32.const 1)) (i64.const 0x1ff))
    (i64.load8_u (i32.const 0))))
W
check store-ak-offset 0 "i32:7" --invoke st "$dir/store-ak.wasm" 10
check store-ak-sum-wraps 0 "i64:255" --invoke wrap "$dir/store-ak.wasm" -1
check store-ak-out-of-bounds 134 "out of bounds memory access
  (i32.store of 4 bytes at 0x10000 = 0xfffe + offset 0x2, in memory 0 of 0x10000 bytes)
  #0 func[0] <st> at $dir/store-ak.wasm:0x3a" --invoke st "$dir/store-ak.wasm" 65530

# The fused load through a pointer (local.get a; i32.load; a load: rt_fuse.c,
# _LP): a trap is the first load's when local a is out of bounds, the second's
# when the pointer it loads is.
wat2wasm -o "$dir/load-lp.wasm" - <<'W'
(module (memory 1)
  (data (i32.const 8) "\10\00\00\00\ff\ff\ff\ff")
  (data (i32.const 18) "\34\12")
  (func (export "field") (param i32) (result i32)
    (i32.load16_u offset=2 (i32.load offset=4 (local.get 0)))))
W
check load-lp 0 "i32:4660" --invoke field "$dir/load-lp.wasm" 4
check load-lp-first-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000 = 0xfffc + offset 0x4, in memory 0 of 0x10000 bytes)
  #0 func[0] <field> at $dir/load-lp.wasm:0x2b" --invoke field "$dir/load-lp.wasm" 65532
check load-lp-second-out-of-bounds 134 "out of bounds memory access
  (i32.load16_u of 2 bytes at 0x100000001 = 0xffffffff + offset 0x2, in memory 0 of 0x10000 bytes)
  #0 func[0] <field> at $dir/load-lp.wasm:0x2e" --invoke field "$dir/load-lp.wasm" 8

# The fused loads at a local plus a constant (local.get a; i32.const k;
# i32.add; a load, maybe a float operator: rt_fuse.c, _LK and _LKM): the sum
# wraps as an i32 before the offset is added, and a trap is the load's.
wat2wasm -o "$dir/load-lk.wasm" - <<'W'
(module (memory 1)
  (data (i32.const 2) "\07\00\2a")
  (data (i32.const 16) "\00\00\00\00\00\00\10\40\00\00\00\00\00\00\08\40")
  (data (i32.const 40) "\00\00\80\40")
  (func (export "at") (param i32) (result i32)
    (i32.load8_u offset=1 (i32.add (local.get 0) (i32.const 3))))
  (func (export "mul") (param i32 f64) (result f64)
    (f64.mul (local.get 1) (f64.load offset=8 (i32.add (local.get 0) (i32.const 16)))))
  (func (export "div") (param i32 f32) (result f32)
    (f32.div (local.get 1) (f32.load (i32.add (local.get 0) (i32.const 40))))))
W
check load-lk 0 "i32:42" --invoke at "$dir/load-lk.wasm" 0
check load-lk-sum-wraps 0 "i32:7" --invoke at "$dir/load-lk.wasm" -2
check load-lk-out-of-bounds 134 "out of bounds memory access
  (i32.load8_u of 1 byte at 0x10000 = 0xffff + offset 0x1, in memory 0 of 0x10000 bytes)
  #0 func[0] <at> at $dir/load-lk.wasm:0x45" --invoke at "$dir/load-lk.wasm" 65532
check load-lkm 0 "f64:6" --invoke mul "$dir/load-lk.wasm" 0 2
check load-lkm-sum-wraps 0 "f64:8" --invoke mul "$dir/load-lk.wasm" -8 2
check load-lkm-out-of-bounds 134 "out of bounds memory access
  (f64.load of 8 bytes at 0x10008 = 0x10000 + offset 0x8, in memory 0 of 0x10000 bytes)
  #0 func[1] <mul> at $dir/load-lk.wasm:0x52" --invoke mul "$dir/load-lk.wasm" 65520 2
check load-lkm-f32 0 "f32:0.5" --invoke div "$dir/load-lk.wasm" 0 2
check load-lkm-f32-out-of-bounds 134 "out of bounds memory access
  (f32.load of 4 bytes at 0x10027, in memory 0 of 0x10000 bytes)
  #0 func[2] <div> at $dir/load-lk.wasm:0x60" --invoke div "$dir/load-lk.wasm" 65535 2

# i32.and's branch forms (rt_fuse.c, RT_I32_TESTS: the branch taken, the
# if's then run, when the result is not zero, 4 here) and local.set; br
# (SET_JUMP, the end of an if's then).
wat2wasm -o "$dir/and-branch.wasm" - <<'W'
(module
  (func (export "j") (param i32 i32) (result i32)
    (block local.get 0 i32.const 0 i32.or local.get 1 i32.const 0 i32.or i32.and br_if 0 i32.const 2 return) i32.const 1)
  (func (export "u") (param i32 i32) (result i32)
    local.get 0 i32.const 0 i32.or local.get 1 i32.const 0 i32.or i32.and if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "kj") (param i32 i32) (result i32)
    (block local.get 0 i32.const 0 i32.or i32.const 6 i32.and br_if 0 i32.const 2 return) i32.const 1)
  (func (export "ku") (param i32 i32) (result i32)
    local.get 0 i32.const 0 i32.or i32.const 6 i32.and if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "lj") (param i32 i32) (result i32)
    (block local.get 0 i32.const 0 i32.or local.get 1 i32.and br_if 0 i32.const 2 return) i32.const 1)
  (func (export "lu") (param i32 i32) (result i32)
    local.get 0 i32.const 0 i32.or local.get 1 i32.and if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "lkj") (param i32 i32) (result i32)
    (block local.get 0 i32.const 6 i32.and br_if 0 i32.const 2 return) i32.const 1)
  (func (export "lku") (param i32 i32) (result i32)
    local.get 0 i32.const 6 i32.and if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "llj") (param i32 i32) (result i32)
    (block local.get 0 local.get 1 i32.and br_if 0 i32.const 2 return) i32.const 1)
  (func (export "llu") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.and if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "setjump") (param i32) (result i32) (local i32)
    local.get 0 if local.get 0 i32.popcnt local.set 1 else i32.const 7 local.set 1 end
    local.get 1))
W
for f in j u kj ku lj lu lkj lku llj llu; do
	check and-$f-taken 0 "i32:1" --invoke $f "$dir/and-branch.wasm" 12 6
	check and-$f-not-taken 0 "i32:2" --invoke $f "$dir/and-branch.wasm" 9 6
done
check set-jump-then 0 "i32:2" --invoke setjump "$dir/and-branch.wasm" 5
check set-jump-else 0 "i32:7" --invoke setjump "$dir/and-branch.wasm" 0

# i32 arithmetic returned (rt_fuse.c, _R, _LKR, _LLR: the result to the
# frame's first slot, then the return), from the outermost frame and from
# calls, and an early return that leaves a value below its result.
wat2wasm -o "$dir/ret.wasm" - <<'W'
(module
  (func $llr (export "llr") (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub)
  (func $lkr (export "lkr") (param i32) (result i32) local.get 0 i32.const 3 i32.shl)
  (func $r (export "r") (param i32 i32) (result i32)
    local.get 0 i32.const 0 i32.or local.get 1 i32.const 0 i32.or i32.xor)
  (func $early (export "early") (param i32 i32) (result i32)
    i32.const 99
    (if (local.get 0) (then local.get 0 local.get 1 i32.add return))
    drop
    local.get 1)
  (func (export "nested") (param i32 i32) (result i32)
    (i32.add (call $llr (local.get 0) (local.get 1))
      (i32.add (call $lkr (local.get 0))
        (i32.add (call $r (local.get 0) (local.get 1)) (call $early (local.get 0) (local.get 1)))))))
W
check ret-llr 0 "i32:4294967289" --invoke llr "$dir/ret.wasm" 3 10
check ret-lkr 0 "i32:4294967288" --invoke lkr "$dir/ret.wasm" -1
check ret-r 0 "i32:9" --invoke r "$dir/ret.wasm" 10 3
check ret-early 0 "i32:9" --invoke early "$dir/ret.wasm" 5 4
check ret-not-early 0 "i32:4" --invoke early "$dir/ret.wasm" 0 4
check ret-nested 0 "i32:109" --invoke nested "$dir/ret.wasm" 10 3

# A loop's step and test (rt_fuse.c, _XKJ, _XLKJ, _XLLJ: x plus or minus k,
# or plus local b, to local c, then x compared with m and the loop's br_if):
# steps * 1000 + the last x, signed and unsigned, across zero and wrapping.
wat2wasm -o "$dir/step.wasm" - <<'W'
(module
  ;; do { x = x + 3 } while (x < 20): the step from the stack (_XKJ)
  (func (export "xkj-lt-s") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 0 i32.or
      i32.const 3 i32.add local.tee 0 i32.const 20 i32.lt_s br_if $l)
    local.get 1 i32.const 1000 i32.mul local.get 0 i32.add)
  (func (export "xkj-lt-u") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 0 i32.or
      i32.const 3 i32.add local.tee 0 i32.const 20 i32.lt_u br_if $l)
    local.get 1 i32.const 1000 i32.mul local.get 0 i32.add)
  ;; do { x = x - 5 } while (x != 0)
  (func (export "xkj-sub-ne") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 0 i32.or
      i32.const 5 i32.sub local.tee 0 i32.const 0 i32.ne br_if $l)
    local.get 1 i32.const 1000 i32.mul local.get 0 i32.add)
  ;; do { x = x - 4 } while (x >= 0), x a local (_XLKJ)
  (func (export "xlkj-sub-ge-s") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 4 i32.sub local.tee 0 i32.const 0 i32.ge_s br_if $l)
    local.get 1 i32.const 1000 i32.mul local.get 0 i32.add)
  (func (export "xlkj-gt-u") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 2 i32.add local.tee 0 i32.const 9 i32.gt_u br_if $l)
    local.get 1 i32.const 1000 i32.mul local.get 0 i32.add)
  ;; do { x = x + y } while (x < 100) (_XLLJ)
  (func (export "xllj-lt-u") (param i32 i32) (result i32) (local i32)
    (loop $l
      local.get 2 i32.const 1 i32.add local.set 2
      local.get 0 local.get 1 i32.add local.tee 0 i32.const 100 i32.lt_u br_if $l)
    local.get 2 i32.const 1000 i32.mul local.get 0 i32.add))
W
check step-xkj-lt-s-0 0 "i32:7021" --invoke xkj-lt-s "$dir/step.wasm" 0
check step-xkj-lt-s-1 0 "i32:17021" --invoke xkj-lt-s "$dir/step.wasm" -30
check step-xkj-lt-u-2 0 "i32:973" --invoke xkj-lt-u "$dir/step.wasm" -30
check step-xkj-sub-ne-3 0 "i32:5000" --invoke xkj-sub-ne "$dir/step.wasm" 25
check step-xlkj-sub-ge-s-4 0 "i32:2998" --invoke xlkj-sub-ge-s "$dir/step.wasm" 10
check step-xlkj-gt-u-5 0 "i32:1007" --invoke xlkj-gt-u "$dir/step.wasm" 5
check step-xlkj-gt-u-6 0 "i32:2001" --invoke xlkj-gt-u "$dir/step.wasm" -3
check step-xllj-lt-u-7 0 "i32:15105" --invoke xllj-lt-u "$dir/step.wasm" 0 7
check step-xllj-lt-u-8 0 "i32:993" --invoke xllj-lt-u "$dir/step.wasm" 0 -7

# i32 arithmetic teed to one local and set to another (rt_fuse.c, _KTS):
# both locals get the result, which is popped.
wat2wasm -o "$dir/kts.wasm" - <<'W'
(module
  (func (export "two") (param i32) (result i32) (local i32 i32)
    local.get 0 i32.const 0 i32.or i32.const 4 i32.sub local.tee 1 local.set 2
    local.get 1 i32.const 1000 i32.mul local.get 2 i32.add)
  (func (export "one") (param i32) (result i32) (local i32)
    i32.const 7
    local.get 0 i32.const 0 i32.or i32.const 3 i32.mul local.tee 1 local.set 1
    local.get 1 i32.add))
W
check kts-two 0 "i32:9009" --invoke two "$dir/kts.wasm" 13
check kts-one 0 "i32:37" --invoke one "$dir/kts.wasm" 10

# Two f64.add in a row (rt_fuse.c, F64_ADD2) add in wasm's order: x + (y + z),
# which is 1 here where (x + y) + z would be 0.
wat2wasm -o "$dir/add2.wasm" - <<'W'
(module
  (func (export "add2") (param f64 f64 f64) (result f64)
    local.get 0 f64.abs local.get 1 f64.neg local.get 2 f64.neg f64.add f64.add))
W
check f64-add2-order 0 "f64:1" --invoke add2 "$dir/add2.wasm" 1 -1e16 1e16

# Float comparisons' fused forms (rt_fuse.c, RT_FLOAT_CMPS: _K, _LK, _J,
# _KJ, _LKJ, _U, _KU, _LKU), each of f32's and f64's six on x = 1, 1.5, 2
# and NaN against 1.5: export T_OP packs form i's answer for input j into
# bit 4i + j, so every form must give the op's nibble (a NaN only ne's).
{
	echo '(module'
	for t in f32 f64; do
		for op in eq ne lt gt le ge; do
			c="$t.const 1.5 $t.$op"
			k="local.get 0 $t.neg $t.neg $c"
			i=0 sum=""
			for body in "$k" "local.get 0 $c" \
				"(block local.get 0 local.get 1 $t.$op br_if 0 i32.const 0 return) i32.const 1" \
				"(block $k br_if 0 i32.const 0 return) i32.const 1" \
				"(block local.get 0 $c br_if 0 i32.const 0 return) i32.const 1" \
				"local.get 0 local.get 1 $t.$op if (result i32) i32.const 1 else i32.const 0 end" \
				"$k if (result i32) i32.const 1 else i32.const 0 end" \
				"local.get 0 $c if (result i32) i32.const 1 else i32.const 0 end"; do
				echo "(func \$${t}_${op}_$i (param $t $t) (result i32) $body)"
				j=0
				for x in 1 1.5 2 nan; do
					sum+=" (call \$${t}_${op}_$i ($t.const $x) ($t.const 1.5)) i32.const $((4 * i + j)) i32.shl i32.or"
					j=$((j + 1))
				done
				i=$((i + 1))
			done
			echo "(func (export \"${t}_$op\") (result i32) i32.const 0$sum)"
		done
	done
	echo ')'
} | wat2wasm -o "$dir/fcmp.wasm" -
for t in f32 f64; do
	for pair in eq:2 ne:13 lt:1 gt:4 le:3 ge:6; do
		check "fcmp-$t-${pair%:*}" 0 "i32:$(( ${pair#*:} * 0x11111111 ))" \
			--invoke "${t}_${pair%:*}" "$dir/fcmp.wasm"
	done
done

# A float operator on two locals teed (rt_fuse.c, _LLT: local.get a;
# local.get b; op; local.tee c): the result both pushed and in local c,
# the operands in wasm's order.
wat2wasm -o "$dir/llt.wasm" - <<'W'
(module
  (func (export "f64") (param f64 f64) (result f64) (local f64)
    local.get 0 local.get 1 f64.sub local.tee 2 local.get 2 f64.mul)
  (func (export "f32") (param f32 f32) (result f32) (local f32)
    local.get 0 local.get 1 f32.div local.tee 2 local.get 2 f32.add))
W
check llt-f64 0 "f64:4" --invoke f64 "$dir/llt.wasm" 1 3
check llt-f32 0 "f32:-3" --invoke f32 "$dir/llt.wasm" -3 2

# i32 arithmetic teed (rt_fuse.c, _T: op; local.tee c, and _LT: local.get a;
# op; local.tee c), loads at a sum of two locals (_LLA: local.get a;
# local.get b; i32.add; load) and i32.load beside a local (I32_LOAD_GL:
# local.get a; local.get b; i32.load): operands in wasm's order, the sum
# wrapping before the offset is added, a trap the load's.
wat2wasm -o "$dir/forms23.wasm" - <<'W'
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05")
  (func (export "t") (param i32 i32) (result i32) (local i32)
    local.get 0 i32.popcnt local.get 1 i32.popcnt i32.sub local.tee 2 local.get 2 i32.add)
  (func (export "lt") (param i32 i32) (result i32) (local i32)
    local.get 0 i32.popcnt local.get 1 i32.sub local.tee 2 local.get 2 i32.add)
  (func (export "lla8") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add i32.load8_u offset=1)
  (func (export "lla") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add i32.load)
  (func (export "gl") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.load offset=1 i32.sub))
W
check i32-t-order 0 "i32:4" --invoke t "$dir/forms23.wasm" 7 1
check i32-lt-order 0 "i32:4" --invoke lt "$dir/forms23.wasm" 7 1
check load-lla-sum-wraps 0 "i32:3" --invoke lla8 "$dir/forms23.wasm" -1 2
check load-lla-out-of-bounds 134 "out of bounds memory access
  (i32.load8_u of 1 byte at 0x10000 = 0xffff + offset 0x1, in memory 0 of 0x10000 bytes)
  #0 func[2] <lla8> at $dir/forms23.wasm:0x67" --invoke lla8 "$dir/forms23.wasm" 65535 0
check load-lla-i32 0 "i32:84148994" --invoke lla "$dir/forms23.wasm" 0 1
check load-lla-i32-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0xfffd, in memory 0 of 0x10000 bytes)
  #0 func[3] <lla> at $dir/forms23.wasm:0x72" --invoke lla "$dir/forms23.wasm" 65533 0
check load-gl-order 0 "i32:1" --invoke gl "$dir/forms23.wasm" 84148995 0
check load-gl-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0xfffe = 0xfffd + offset 0x1, in memory 0 of 0x10000 bytes)
  #0 func[4] <gl> at $dir/forms23.wasm:0x7c" --invoke gl "$dir/forms23.wasm" 0 65533

# A masked test (rt_fuse.c, _MKJ: i32.const m; i32.and; i32.const k; cmp;
# br_if): the mask applies before the comparison, signed or not.
wat2wasm -o "$dir/mkj.wasm" - <<'W'
(module
  ;; is (unsigned char)(c - '0') > 9? 1 when not a digit
  (func (export "notdigit") (param i32) (result i32)
    (block
      local.get 0 i32.const 48 i32.sub i32.const 255 i32.and i32.const 9 i32.gt_u br_if 0
      i32.const 0 return)
    i32.const 1)
  ;; (x & 0xf0) == 0x30
  (func (export "high3") (param i32) (result i32)
    (block
      local.get 0 i32.const 0 i32.or i32.const 240 i32.and i32.const 48 i32.eq br_if 0
      i32.const 0 return)
    i32.const 1)
  ;; (x & -1) < 0, signed
  (func (export "neg") (param i32) (result i32)
    (block
      local.get 0 i32.const 0 i32.or i32.const -1 i32.and i32.const 0 i32.lt_s br_if 0
      i32.const 0 return)
    i32.const 1))
W
check mkj-digit 0 "i32:0" --invoke notdigit "$dir/mkj.wasm" 53
check mkj-not-digit 0 "i32:1" --invoke notdigit "$dir/mkj.wasm" 47
check mkj-digit-masked 0 "i32:0" --invoke notdigit "$dir/mkj.wasm" 0x135
check mkj-eq 0 "i32:1" --invoke high3 "$dir/mkj.wasm" 0x137
check mkj-not-eq 0 "i32:0" --invoke high3 "$dir/mkj.wasm" 0x47
check mkj-lt-s 0 "i32:1" --invoke neg "$dir/mkj.wasm" -5
check mkj-not-lt-s 0 "i32:0" --invoke neg "$dir/mkj.wasm" 5

# A popped i32 compared with a masked local (rt_fuse.c, _LMJ: local.get a;
# i32.const m; i32.and; cmp; br_if) and its xor-eqz spelling of ==
# (I32_XEQ_LMJ): the mask applies to the local only.
wat2wasm -o "$dir/lmj.wasm" - <<'W'
(module
  ;; x == (k & 0xffff), x from the stack (_LMJ)
  (func (export "eq16") (param i32 i32) (result i32)
    (block
      local.get 0 i32.const 0 i32.or local.get 1 i32.const 65535 i32.and i32.eq br_if 0
      i32.const 0 return)
    i32.const 1)
  ;; x <u (k & 0xff)
  (func (export "ltu8") (param i32 i32) (result i32)
    (block
      local.get 0 i32.const 0 i32.or local.get 1 i32.const 255 i32.and i32.lt_u br_if 0
      i32.const 0 return)
    i32.const 1)
  ;; ((k & 0xff) ^ x) == 0 (I32_XEQ_LMJ)
  (func (export "xeq8") (param i32 i32) (result i32)
    (block
      local.get 0 i32.const 0 i32.or local.get 1 i32.const 255 i32.and i32.xor i32.eqz br_if 0
      i32.const 0 return)
    i32.const 1))
W
check lmj-eq 0 "i32:1" --invoke eq16 "$dir/lmj.wasm" 0x1234 0x51234
check lmj-not-eq 0 "i32:0" --invoke eq16 "$dir/lmj.wasm" 0x51234 0x51234
check lmj-lt-u 0 "i32:1" --invoke ltu8 "$dir/lmj.wasm" 3 0x104
check lmj-not-lt-u 0 "i32:0" --invoke ltu8 "$dir/lmj.wasm" 4 0x104
check lmj-lt-u-unsigned 0 "i32:0" --invoke ltu8 "$dir/lmj.wasm" -1 0x1ff
check xeq-lmj 0 "i32:1" --invoke xeq8 "$dir/lmj.wasm" 0x34 0x1234
check xeq-lmj-not 0 "i32:0" --invoke xeq8 "$dir/lmj.wasm" 0x1234 0x1234

# i32 arithmetic on a local teed back for the loop's br_if (rt_fuse.c,
# _LKTJ: while (--n), while (x >>= 1)) and a multiply-accumulate set to a
# local (I32_MUL_ADD_LS), wrapping.
wat2wasm -o "$dir/lktj.wasm" - <<'W'
(module
  ;; do count++ while (--n) (I32_SUB_LKTJ)
  (func (export "down") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
    local.get 1)
  ;; do count++ while (x >>= 1) (I32_SHR_U_LKTJ)
  (func (export "bits") (param i32) (result i32) (local i32)
    (loop $l
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.const 1 i32.shr_u local.tee 0 br_if $l)
    local.get 1)
  ;; acc += x * y, x and y from the stack (I32_MUL_ADD_LS)
  (func (export "mac") (param i32 i32 i32) (result i32)
    local.get 1 i32.const 0 i32.or local.get 2 i32.const 0 i32.or i32.mul local.get 0 i32.add local.set 0
    local.get 0))
W
check lktj-down 0 "i32:5" --invoke down "$dir/lktj.wasm" 5
check lktj-down-once 0 "i32:1" --invoke down "$dir/lktj.wasm" 1
check lktj-bits 0 "i32:6" --invoke bits "$dir/lktj.wasm" 37
check lktj-bits-all 0 "i32:32" --invoke bits "$dir/lktj.wasm" -1
check mul-add-ls 0 "i32:22" --invoke mac "$dir/lktj.wasm" 10 3 4
check mul-add-ls-wraps 0 "i32:1" --invoke mac "$dir/lktj.wasm" 1 0x10000 0x10000

# The fused p->x += k (local.get a; local.get b; i32.load; i32.const k;
# i32.add; i32.store: rt_fuse.c, I32_LOAD_ADD_STORE): a trap is the load's
# when local b is out of bounds, the store's when local a is.
wat2wasm -o "$dir/load-add-store.wasm" - <<'W'
(module (memory 1)
  (func (export "bump") (param i32 i32) (result i32)
    (i32.store offset=4 (local.get 0) (i32.add (i32.load (local.get 1)) (i32.const 7)))
    (i32.load offset=4 (local.get 0))))
W
check load-add-store 0 "i32:7" --invoke bump "$dir/load-add-store.wasm" 20 16
check load-add-store-load-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0xfffe, in memory 0 of 0x10000 bytes)
  #0 func[0] <bump> at $dir/load-add-store.wasm:0x2d" --invoke bump "$dir/load-add-store.wasm" 20 65534
check load-add-store-store-out-of-bounds 134 "out of bounds memory access
  (i32.store of 4 bytes at 0x10002 = 0xfffe + offset 0x4, in memory 0 of 0x10000 bytes)
  #0 func[0] <bump> at $dir/load-add-store.wasm:0x33" --invoke bump "$dir/load-add-store.wasm" 65534 16

# Session 28's fused forms (rt_fuse.c): a pointer's field to a local
# (GET_TEE_LOAD_S), the address sums (I32_SHL_LK_ADD_L, I32_ADD_LK_SHL_ADD_LK:
# shift counts mod 32, i32 sums that wrap), a bit field of a local
# (I32_BITS_L), and an interpreter's dispatch, switch (code[pc++]) and the
# case's pc += 1 before the jump back (I32_ADD_LKS_BR_TABLE_LSKA,
# I32_ADD_LKS2_JUMP), with the switch of code[++pc] where the local set is
# the one loaded ("pre"), regs[code[pc]] (I32_LOAD_LSKA_SA) and *--sp of a
# stack array (I32_LOAD_POP); a trap is the load's.
wat2wasm -o "$dir/fuse28.wasm" - <<'W'
(module (memory 1)
  (data (i32.const 16) "\00\00\00\00\00\00\00\00\01\00\00\00\00\00\00\00\02\00\00\00")
  (func (export "next") (param i32) (result i32) (local i32 i32)
    local.get 0 local.tee 1 i32.load offset=4 local.set 2
    local.get 1 local.get 2 i32.add)
  (func (export "idx") (param i32 i32) (result i32)
    local.get 0 i32.const 34 i32.shl local.get 1 i32.add
    local.get 1 i32.const -16 i32.add local.get 0 i32.const 35 i32.shl i32.add
    i32.xor
    local.get 0 i32.const 37 i32.shr_u i32.const 127 i32.and
    i32.add)
  (func (export "interp") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $top
        (block $op2 (block $op1 (block $op0
          local.get 0 i32.const 1 i32.add local.set 1
          local.get 0 i32.const 2 i32.shl i32.const 16 i32.add i32.load
          br_table $op0 $op1 $op2 $done)
          local.get 2 i32.const 1 i32.add local.set 2
          local.get 0 i32.const 1 i32.add local.set 0
          br $top)
        local.get 2 i32.const 10 i32.add local.set 2
        local.get 1 local.set 0
        br $top)
        local.get 2 return))
    i32.const -1)
  (func (export "pre") (param i32) (result i32)
    (block $b1 (block $b0
      local.get 0 i32.const 1 i32.add local.set 0
      local.get 0 i32.const 2 i32.shl i32.const 16 i32.add i32.load
      br_table $b0 $b1)
      i32.const 100 return)
    i32.const 200)
  (func (export "regs") (param i32 i32) (result i32)
    local.get 1
    local.get 0 i32.const 2 i32.shl i32.const 16 i32.add i32.load
    i32.const 2 i32.shl i32.add i32.load)
  (func (export "pop") (param i32 i32) (result i32) (local i32)
    local.get 1 i32.const 16 i32.add local.get 0 i32.const 1 i32.sub local.tee 2
    i32.const 2 i32.shl i32.add i32.load
    local.get 2 i32.add))
W
check fuse28-get-tee-load-set 0 "i32:21" --invoke next "$dir/fuse28.wasm" 20
check fuse28-get-tee-load-set-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000 = 0xfffc + offset 0x4, in memory 0 of 0x10000 bytes)
  #0 func[0] <next> at $dir/fuse28.wasm:0x5c" --invoke next "$dir/fuse28.wasm" 65532
check fuse28-sums-and-bits 0 "i32:28" --invoke idx "$dir/fuse28.wasm" 3 100
check fuse28-sums-and-bits-wrap 0 "i32:147" --invoke idx "$dir/fuse28.wasm" -1 0
check fuse28-dispatch 0 "i32:13" --invoke interp "$dir/fuse28.wasm" 0
check fuse28-dispatch-later 0 "i32:11" --invoke interp "$dir/fuse28.wasm" 2
check fuse28-dispatch-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000, in memory 0 of 0x10000 bytes)
  #0 func[2] <interp> at $dir/fuse28.wasm:0xa5" --invoke interp "$dir/fuse28.wasm" 16380
check fuse28-dispatch-pre-first 0 "i32:100" --invoke pre "$dir/fuse28.wasm" 0
check fuse28-dispatch-pre-default 0 "i32:200" --invoke pre "$dir/fuse28.wasm" 1
check fuse28-dispatch-pre-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000, in memory 0 of 0x10000 bytes)
  #0 func[3] <pre> at $dir/fuse28.wasm:0xeb" --invoke pre "$dir/fuse28.wasm" 16379
check fuse28-load-of-load 0 "i32:1" --invoke regs "$dir/fuse28.wasm" 4 16
check fuse28-load-of-load-first-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000, in memory 0 of 0x10000 bytes)
  #0 func[4] <regs> at $dir/fuse28.wasm:0x108" --invoke regs "$dir/fuse28.wasm" 16380 0
check fuse28-load-of-load-second-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10004, in memory 0 of 0x10000 bytes)
  #0 func[4] <regs> at $dir/fuse28.wasm:0x10f" --invoke regs "$dir/fuse28.wasm" 4 65532
check fuse28-pop 0 "i32:6" --invoke pop "$dir/fuse28.wasm" 5 0
check fuse28-pop-wraps 0 "i32:4294967295" --invoke pop "$dir/fuse28.wasm" 0 0
check fuse28-pop-out-of-bounds 134 "out of bounds memory access
  (i32.load of 4 bytes at 0x10000, in memory 0 of 0x10000 bytes)
  #0 func[5] <pop> at $dir/fuse28.wasm:0x127" --invoke pop "$dir/fuse28.wasm" 1 65520

# WASI calls ran as one unit of fuel whatever they moved: 100 fd_writes of
# 1 MiB ran to the end under --fuel 100000. Now one unit per 64 bytes: a
# MiB costs 16,384, so exactly 6 writes (6 MiB) fit, the 7th traps.
wat2wasm -o "$dir/fuel-wasi.wasm" - <<'W'
(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $rnd (param i32 i32) (result i32)))
  (memory (export "memory") 17)
  (func (export "_start") (local $i i32)
    (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 1048576))
    (loop $l
      (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100)))))
  (func (export "rand") (local $i i32)
    (loop $l
      (drop (call $rnd (i32.const 64) (i32.const 1048576)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))))
W
timeout 60 "$run" --fuel 100000 "$dir/fuel-wasi.wasm" >"$dir/fuel-wasi.out" 2>"$dir/fuel-wasi.err"
rc=$? size=$(stat -c %s "$dir/fuel-wasi.out") err=$(<"$dir/fuel-wasi.err")
if [[ $rc == 134 && $size == 6291456 && $err == *"fuel exhausted"*"wasi_snapshot_preview1.fd_write"* &&
      $err != *Sanitizer* && $err != *"runtime error:"* ]]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL fuel-wasi-fd-write-by-bytes: exit $rc (want 134), $size bytes written (want 6291456): ${err:0:300}" >&2
fi
check fuel-wasi-random-get-by-bytes 134 "host function wasi_snapshot_preview1.random_get" \
	--fuel 100000 --invoke rand "$dir/fuel-wasi.wasm"
check fuel-wasi-random-get-enough 0 "" --fuel 1700000 --invoke rand "$dir/fuel-wasi.wasm"

# A guest that never ends ran until killed from outside; --timeout SECONDS
# interrupts it (wlab_store_interrupt from a timer, seen at the next branch
# or call) and exits 124 like timeout(1); a guest blocked in a host call
# (a read of a pipe that never closes) is ended a second later.
wat2wasm --enable-tail-call -o "$dir/spin.wasm" - <<'W'
(module (func (export "_start") (loop (br 0)))
  (func $r (export "recurse") (return_call $r))
  (func (export "quick") (result i32) (i32.const 7)))
W
LIMIT=10 check timeout-endless-loop 124 "trap: interrupted" --timeout 0.3 "$dir/spin.wasm"
LIMIT=10 check timeout-endless-tail-calls 124 "trap: interrupted" --timeout 0.3 --invoke recurse "$dir/spin.wasm"
check timeout-quick-guest 0 "i32:7" --timeout 100 --invoke quick "$dir/spin.wasm"
# Forward branches skip the interrupt check (every loop has a backward
# one): each kind of backward branch still sees it. The cells: br that cuts
# the stack, br_if that cuts it, br_table, a loop param kept, local.set; br.
wat2wasm -o "$dir/spin-kinds.wasm" - <<'W'
(module
  (func (export "br-cut") (loop (i32.const 1) (br 0)))
  (func (export "br-if-cut") (loop (i32.const 5) (br_if 0 (i32.const 1)) (drop)))
  (func (export "br-table") (loop (br_table 0 0 (i32.const 1))))
  (func (export "br-table-cut") (loop (i32.const 3) (br_table 0 0 (i32.const 0))))
  (func (export "loop-param") (i32.const 1) (loop (param i32) (i32.const 2) (br 0)))
  (func (export "set-br") (local i32) (loop (local.set 0 (i32.const 1)) (br 0)))
  (func (export "fwd-then-back") (local i32)
    (loop (block (br_if 0 (local.get 0)) (br 0)) (br 0))))
W
for f in br-cut br-if-cut br-table br-table-cut loop-param set-br fwd-then-back; do
	LIMIT=10 check timeout-endless-$f 124 "trap: interrupted" --timeout 0.3 --invoke $f "$dir/spin-kinds.wasm"
done
check timeout-zero-refused 2 "bad number for --timeout" --timeout 0 "$dir/spin.wasm"
wat2wasm -o "$dir/read-stdin.wasm" - <<'W'
(module (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 100))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
start=$(date +%s%N)
out=$(timeout 20 "$run" --timeout 0.3 "$dir/read-stdin.wasm" 2>&1 < <(exec sleep 8 2>/dev/null))
rc=$? ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [[ $rc == 124 && $out == *"host call that does not return"* && $ms -lt 5000 ]]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL timeout-blocking-host-call: exit $rc after $ms ms (want 124 within 5 s): ${out:0:300}" >&2
fi

# With multi-memory, SIMD loads and stores ignored their memory index
# (issue 15; fixed with RT_OP_MEMX): each reads and writes the memory it
# names, and its bounds.
"$BUILD/bin/wlab-wat" /dev/stdin -o "$dir/simd-multi-memory.wasm" <<'W'
(module (memory $a 1) (memory $b 1)
  (data (memory $b) (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (func (export "ld") (result i32) (i32x4.extract_lane 0 (v128.load $b (i32.const 0))))
  (func (export "st") (result i32)
    (v128.store $b (i32.const 16) (v128.const i32x4 7 7 7 7))
    (i32.add (i32.load $a (i32.const 16)) (i32.load $b (i32.const 16))))
  (func (export "splat") (result i32) (i32x4.extract_lane 0 (v128.load32_splat $b (i32.const 4))))
  (func (export "oob") (result i32) (i32x4.extract_lane 0 (v128.load $b (i32.const 65530)))))
W
check simd-multi-memory-load 0 "i32:67305985" --invoke ld "$dir/simd-multi-memory.wasm"
check simd-multi-memory-store 0 "i32:7" --invoke st "$dir/simd-multi-memory.wasm"
check simd-multi-memory-splat 0 "i32:134678021" --invoke splat "$dir/simd-multi-memory.wasm"
check simd-multi-memory-bounds 134 "out of bounds memory access" --invoke oob "$dir/simd-multi-memory.wasm"

# Store types are canonical rec groups with their declared supertypes: a
# call_indirect through a supertype N levels up succeeds, through a sibling
# (final, so not the same type as $t1) traps; O(log N) steps per check (jump
# pointers) for a 20,000-deep chain.
python3 - "$dir/subtype-chain.wast" <<'P'
import sys
n = 20000
ts = ["(type $t0 (sub (func)))"] + ["(type $t%d (sub $t%d (func)))" % (i, i - 1) for i in range(1, n + 1)]
open(sys.argv[1], "w").write("(module\n" + "\n".join(ts) + """
  (type $other (sub final $t0 (func)))
  (func $f (type $t%d)) (table funcref (elem $f))
  (func (export "up") (loop $l (call_indirect (type $t0) (i32.const 0))))
  (func (export "mid") (call_indirect (type $t%d) (i32.const 0)))
  (func (export "sib") (call_indirect (type $other) (i32.const 0))))
(assert_return (invoke "up"))
(assert_return (invoke "mid"))
(assert_trap (invoke "sib") "indirect call type mismatch")
""" % (n, n // 2))
P
check subtype-chain-20000 0 "4/4" --spectest "$dir/subtype-chain.wast"

# GC objects: garbage is collected, so a churn far past the heap cap
# (--max-heap) or the store's budget (--max-memory) runs; an array of 2^32-1
# i64 elements is a clean trap; --invoke prints i31 values and objects with
# their type index, fields and elements (more in cli.sh).
"$BUILD/bin/wlab-wat" /dev/stdin -o "$dir/gc.wasm" <<'W'
(module (type $p (struct (field i32))) (type $a (array (mut i8)))
  (func (export "churn") (param i32) (result i32)
    (loop $l (drop (array.new_default $a (i32.const 1000)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (i32.const 0))
  (func (export "huge") (result i32) (array.len (array.new_default $a (i32.const -1))))
  (func (export "s") (result anyref) (struct.new $p (i32.const 1)))
  (func (export "a") (result arrayref) (array.new_default $a (i32.const 3)))
  (func (export "i") (param i32) (result i31ref) (ref.i31 (local.get 0))))
W
check gc-churn-past-cap 0 "i32:0" --max-heap 1M --invoke churn "$dir/gc.wasm" 20000
check gc-churn-past-budget 0 "i32:0" --max-memory 40M --invoke churn "$dir/gc.wasm" 100000
check gc-huge-array 134 "out of memory" --invoke huge "$dir/gc.wasm"
check gc-print-struct 0 "anyref:(struct 0 (i32 1))" --invoke s "$dir/gc.wasm"
check gc-print-array 0 "arrayref:(array 1 len 3 (i8 0 0 0))" --invoke a "$dir/gc.wasm"
check gc-print-i31 0 "i31ref:i31:-5" --invoke i "$dir/gc.wasm" -5

# The collector keeps the live set and reuses the rest (issue 11): churn N
# R keeps a list of N structs and an array of N structs (about 400 KB for
# N = 5000, with the list being built) and allocates R lists of N more
# (R = 400: 48 MB, over 100 times the live set) under a 1 MB heap cap;
# every list is summed, and 0 says all sums were right. The array of N
# references overflows the collector's mark stack (4096), so its rescan
# runs too. A live set past the cap (N = 100000, 4 MB) traps cleanly, as
# does one past --max-memory's budget; --gc-stress collects at every
# allocation.
"$BUILD/bin/wlab-wat" /dev/stdin -o "$dir/gc-live.wasm" <<'W'
(module
  (type $node (struct (field i32) (field (ref null $node))))
  (type $vec (array (mut (ref null $node))))
  (global $keep (mut (ref null $vec)) (ref.null $vec))
  (global $list (mut (ref null $node)) (ref.null $node))
  ;; a list of n nodes holding n-1 .. 0
  (func $build (param $n i32) (result (ref null $node)) (local $l (ref null $node))
    (block $d (loop $l2
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $l (struct.new $node (local.get $n) (local.get $l)))
      (br $l2)))
    (local.get $l))
  (func $sum (param $l (ref null $node)) (result i32) (local $s i32)
    (block $d (loop $l2
      (br_if $d (ref.is_null (local.get $l)))
      (local.set $s (i32.add (local.get $s) (struct.get $node 0 (local.get $l))))
      (local.set $l (struct.get $node 1 (local.get $l)))
      (br $l2)))
    (local.get $s))
  ;; keeps a list of n nodes and a vector of n one-node lists (the live set,
  ;; about 40n bytes), then builds and drops `rounds` lists of n nodes; each
  ;; dropped list and the kept ones are summed: 0 when every sum is right
  (func (export "churn") (param $n i32) (param $rounds i32) (result i32)
    (local $i i32) (local $bad i32) (local $want i32)
    (local.set $want (i32.shr_u (i32.mul (local.get $n) (i32.sub (local.get $n) (i32.const 1)))
                                (i32.const 1)))
    (global.set $list (call $build (local.get $n)))
    (global.set $keep (array.new_default $vec (local.get $n)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (array.set $vec (global.get $keep) (local.get $i)
        (struct.new $node (local.get $i) (ref.null $node)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $rounds)))
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (local.set $bad (i32.or (local.get $bad)
        (i32.ne (call $sum (call $build (local.get $n))) (local.get $want))))
      (br $l)))
    (local.set $bad (i32.or (local.get $bad) (i32.ne (call $sum (global.get $list)) (local.get $want))))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $bad (i32.or (local.get $bad) (i32.ne (local.get $i)
        (struct.get $node 0 (array.get $vec (global.get $keep) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $bad)))
W
check gc-live-100x 0 "i32:0" --max-heap 1M --invoke churn "$dir/gc-live.wasm" 5000 400
check gc-live-past-cap 134 "out of memory" --max-heap 1M --invoke churn "$dir/gc-live.wasm" 100000 2
check gc-live-past-budget 134 "out of memory" --max-memory 16M --invoke churn "$dir/gc-live.wasm" 1000000 1
check gc-live-stress 0 "i32:0" --gc-stress --fuel 10000000 --invoke churn "$dir/gc-live.wasm" 300 5

# Stack maps: references that live only on the operand stack (below a call
# or an allocation, or its popped operands), with a v128 below them and a
# v128 local before them (two slots each), under --gc-stress (a collection
# at every allocation, whose precise-map check aborts on a missed slot).
# 0 when every sum is right. Caught when the maps skip the operands below
# a safepoint or the operands it pops (checked by removing each).
"$BUILD/bin/wlab-wat" --enable-all /dev/stdin -o "$dir/gc-operands.wasm" <<'W'
(module
  (type $leaf (struct (field i32)))
  (type $pair (struct (field (ref $leaf)) (field (ref $leaf))))
  (type $arr (array (ref null $leaf)))
  (func $leaf (param i32) (result (ref $leaf)) (struct.new $leaf (local.get 0)))
  (func $psum (param (ref $pair)) (result i32)
    (i32.add (struct.get $leaf 0 (struct.get $pair 0 (local.get 0)))
             (struct.get $leaf 0 (struct.get $pair 1 (local.get 0)))))
  (func (export "ops") (param $n i32) (result i32) (local $v v128) (local $t i32) (local $bad i32)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      ;; a leaf below a call, then both popped by struct.new
      (local.set $bad (i32.or (local.get $bad) (i32.ne (i32.add (local.get $n) (i32.const 1))
        (call $psum (struct.new $pair (struct.new $leaf (local.get $n)) (call $leaf (i32.const 1)))))))
      ;; a v128 operand below two leaves below allocations
      (local.get $v)
      (struct.new $leaf (local.get $n))
      (struct.new $leaf (i32.const 2))
      (struct.new $pair)
      (call $psum)
      (local.set $t)
      (i32x4.extract_lane 3)
      (local.get $t)
      (i32.add)
      (local.set $t)
      (local.set $bad (i32.or (local.get $bad)
        (i32.ne (local.get $t) (i32.add (local.get $n) (i32.const 6)))))
      ;; three leaves popped by array.new_fixed, one made by a call
      (local.set $bad (i32.or (local.get $bad) (i32.ne (i32.const 6)
        (call $asum (array.new_fixed $arr 3 (call $leaf (i32.const 1))
                                            (struct.new $leaf (i32.const 2))
                                            (call $leaf (i32.const 3)))))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $bad))
  (func $asum (param (ref $arr)) (result i32)
    (i32.add (i32.add (struct.get $leaf 0 (ref.as_non_null (array.get $arr (local.get 0) (i32.const 0))))
                      (struct.get $leaf 0 (ref.as_non_null (array.get $arr (local.get 0) (i32.const 1)))))
             (struct.get $leaf 0 (ref.as_non_null (array.get $arr (local.get 0) (i32.const 2)))))))
W
check gc-operands-stress 0 "i32:0" --enable-all --gc-stress --invoke ops "$dir/gc-operands.wasm" 50

# An exception's payload is a root while its exnref is held (--gc-stress:
# the 100 allocations in between each collect).
"$BUILD/bin/wlab-wat" --enable-all /dev/stdin -o "$dir/gc-exn.wasm" <<'W'
(module
  (type $p (struct (field i32)))
  (tag $e (param (ref null $p)))
  ;; an exception carries a struct; while its exnref is held, objects are
  ;; allocated (each a collection under --gc-stress); rethrown and caught,
  ;; its payload must still read 7
  (func (export "exn") (result i32) (local $x exnref) (local $i i32)
    (block $h (result (ref null $p) exnref)
      (try_table (catch_ref $e $h) (throw $e (struct.new $p (i32.const 7))))
      (unreachable))
    (local.set $x)
    (drop)  ;; only the exception holds the struct now
    (loop $l (drop (struct.new $p (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
    (struct.get $p 0 (block $c (result (ref null $p))
      (try_table (catch $e $c) (throw_ref (local.get $x)))
      (unreachable)))))
W
check gc-exn-payload 0 "i32:7" --enable-all --gc-stress --invoke exn "$dir/gc-exn.wasm"

# Constant expressions with v128 operands of GC instructions (wasmtime's
# misc_testsuite/gc/const-expr-gc-simd.wast): v128.const and global.get of
# a v128 global take two slots of the evaluator's stack, as on the operand
# stack. Once they took none: array.new_fixed of v128 elements read below
# the stack (a segfault) and struct.new left its v128 fields zero.
cat >"$dir/v128-const-expr.wast" <<'W'
(module
  (type $s (struct (field i32) (field v128) (field i64)))
  (type $a (array v128))
  (global $v v128 (v128.const i32x4 9 10 11 12))
  (global $gs (ref $s) (struct.new $s (i32.const 7) (v128.const i32x4 1 2 3 4) (i64.const 8)))
  (global $gf (ref $a) (array.new_fixed $a 3 (v128.const i32x4 5 6 7 8) (global.get $v)
                                              (v128.const i64x2 -1 1)))
  (global $gn (ref $a) (array.new $a (global.get $v) (i32.const 2)))
  (func (export "s0") (result i32) (struct.get $s 0 (global.get $gs)))
  (func (export "s1") (result v128) (struct.get $s 1 (global.get $gs)))
  (func (export "s2") (result i64) (struct.get $s 2 (global.get $gs)))
  (func (export "f") (param i32) (result v128) (array.get $a (global.get $gf) (local.get 0)))
  (func (export "fl") (result i32) (array.len (global.get $gf)))
  (func (export "n") (param i32) (result v128) (array.get $a (global.get $gn) (local.get 0)))
  (func (export "nl") (result i32) (array.len (global.get $gn))))
(assert_return (invoke "s0") (i32.const 7))
(assert_return (invoke "s1") (v128.const i32x4 1 2 3 4))
(assert_return (invoke "s2") (i64.const 8))
(assert_return (invoke "f" (i32.const 0)) (v128.const i32x4 5 6 7 8))
(assert_return (invoke "f" (i32.const 1)) (v128.const i32x4 9 10 11 12))
(assert_return (invoke "f" (i32.const 2)) (v128.const i64x2 -1 1))
(assert_return (invoke "fl") (i32.const 3))
(assert_return (invoke "n" (i32.const 1)) (v128.const i32x4 9 10 11 12))
(assert_return (invoke "nl") (i32.const 2))
W
check v128-const-expr 0 "10/10" --spectest "$dir/v128-const-expr.wast"

# (module instance) with no names instantiates the last module definition,
# named or not, as the spec interpreter does (wasmtime's
# misc_testsuite/wast-syntax.wast); once it failed "no module definition".
# Before any definition it fails, and the script goes on.
cat >"$dir/module-instance.wast" <<'W'
(module instance)
(module definition $A (func (export "f") (result i32) (i32.const 1)))
(module definition (func (export "f") (result i32) (i32.const 2)))
(module instance)
(assert_return (invoke "f") (i32.const 2))
(module instance $I $A)
(assert_return (invoke $I "f") (i32.const 1))
(module definition $B (func (export "f") (result i32) (i32.const 3)))
(module instance)
(assert_return (invoke "f") (i32.const 3))
W
check module-instance-unnamed 1 "module-instance.wast:1: module instance failed: no module definition before it" \
	-v --spectest "$dir/module-instance.wast"
check module-instance-unnamed-count 1 "module-instance.wast: 9/10" --spectest "$dir/module-instance.wast"

# The default budget holds a 4 GiB memory beside the spectest module's
# memories and tables (wasmtime's misc_testsuite/big-memory-behavior.wast):
# it was 4 GiB and the stacks exactly, so under --spectest a memory of
# 65,535 pages (or one grown to 65,536) passed it by the spectest
# module's 2 pages.
cat >"$dir/memory-4gib.wast" <<'W'
(module (memory 65535)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 65535))
(assert_return (invoke "size") (i32.const 65536))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
W
check memory-4gib-beside-spectest 0 "memory-4gib.wast: 4/4" --spectest "$dir/memory-4gib.wast"

# A memory64 memory may pass 4 GiB: by default up to the budget (4 GiB,
# the stacks and 16 MiB), under a larger --max-memory up to it; a 32-bit
# memory stays at 65,536 pages whatever the budget. Each was capped at
# 4 GiB, and a --max-memory above 4 GiB was taken as the default budget
# without a word. Only the pages touched are committed.
cat >"$dir/memory64-big.wast" <<'W'
(module $M (memory (export "mem") i64 0x1_0001)
  (data (i64.const 0x1_0000_0004) "\01\02\03\04")
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "load") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "load_far") (param i64) (result i32) (i32.load offset=0x1_0000_0000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1))))
(assert_return (invoke "load" (i64.const 0x1_0000_0004)) (i32.const 0x04030201))
(assert_return (invoke "load_far" (i64.const 3)) (i32.const 0x03020100))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 0x1_0001))
(assert_return (invoke "size") (i64.const 0x1_0002))
(invoke "store" (i64.const 0x1_0001_fffc) (i32.const 7))
(assert_return (invoke "load" (i64.const 0x1_0001_fffc)) (i32.const 7))
(assert_trap (invoke "load" (i64.const 0x1_0001_fffd)) "out of bounds memory access")
(assert_return (invoke "grow" (i64.const 0x1_0000)) (i64.const -1))
W
check memory64-past-4gib 0 "memory64-big.wast: 9/9" --spectest "$dir/memory64-big.wast"
cat >"$dir/memory-budget.wast" <<'W'
(module
  (memory $a i64 1)
  (memory $b 1)
  (func (export "grow64") (param i64) (result i64) (memory.grow $a (local.get 0)))
  (func (export "grow32") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "store64") (param i64 i32) (i32.store $a (local.get 0) (local.get 1)))
  (func (export "load64") (param i64) (result i32) (i32.load $a (local.get 0))))
(assert_return (invoke "grow32" (i32.const 65536)) (i32.const -1))
(assert_return (invoke "grow64" (i64.const 0x1_4000)) (i64.const 1))
(invoke "store64" (i64.const 0x1_4000_fff0) (i32.const 42))
(assert_return (invoke "load64" (i64.const 0x1_4000_fff0)) (i32.const 42))
(assert_return (invoke "grow32" (i32.const 65535)) (i32.const -1))
(assert_return (invoke "grow32" (i32.const 4096)) (i32.const 1))
W
check memory64-under-max-memory-6g 0 "memory-budget.wast: 7/7" \
	--max-memory 6G --spectest "$dir/memory-budget.wast"
check memory64-past-default-budget 1 "memory-budget.wast:9: assert_return failed" -v --spectest "$dir/memory-budget.wast"

# The f64 accumulator: a value carried by a branch, around a loop, out of a
# call or an if's arm is read from the stack, not from the register the
# last producer left (which holds another value there); each _ACC form.
check f64-accumulator 0 "facc.wast: 17/17" --spectest tests/run/facc.wast
# calls and returns between instances with their own memories: a return to
# a caller in another instance loads its memory (RT_FRAME_CHECK); a build
# that never marked the frames passed 6 of the first 11
check cross-instance 0 "cross-instance.wast: 13/13" --spectest tests/run/cross-instance.wast

# A trap's report says which access or table index trapped (trap.c,
# wlab_store_trap_detail): the op, its bytes, the address and offset, and
# the memory or table, by index, with its size; an unaligned atomic the
# alignment; an address past 2^64 (memory64) unsummed.
"$BUILD/bin/wlab-wat" -o "$dir/detail.wasm" /dev/stdin <<'W'
(module
  (memory 1) (memory $m1 2) (memory $m64 i64 1) (memory $sh 1 1 shared)
  (table 3 funcref) (table $t1 2 funcref)
  (func (export "m1") (param i32) (result i32) (i32.load8_u $m1 (local.get 0)))
  (func (export "t1") (param i32) (table.set $t1 (local.get 0) (ref.null func)))
  (func (export "v") (param i32) (drop (v128.load $m1 offset=16 (local.get 0))))
  (func (export "a") (param i32) (result i32) (i32.atomic.load $sh offset=2 (local.get 0)))
  (func (export "big") (param i64) (result i64) (i64.load $m64 offset=0xffffffffffffff00 (local.get 0)))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
W
check detail-memory-1 134 "out of bounds memory access
  (i32.load8_u of 1 byte at 0x20000, in memory 1 of 0x20000 bytes)
  #0 func[0] <m1>" --invoke m1 "$dir/detail.wasm" 131072
check detail-table-1 134 "out of bounds table access
  (table.set of element 7, in table 1 of 2 elements)
  #0 func[1] <t1>" --invoke t1 "$dir/detail.wasm" 7
check detail-v128 134 "out of bounds memory access
  (v128.load of 16 bytes at 0x2000e = 0x1fffe + offset 0x10, in memory 1 of 0x20000 bytes)" \
	--invoke v "$dir/detail.wasm" 131070
check detail-unaligned 134 "unaligned atomic
  (i32.atomic.load of 4 bytes at 0x3 = 0x1 + offset 0x2, not a multiple of 4)" \
	--invoke a "$dir/detail.wasm" 1
check detail-past-2-64 134 "out of bounds memory access
  (i64.load of 8 bytes at 0x200 + offset 0xffffffffffffff00, in memory 2 of 0x10000 bytes)" \
	--invoke big "$dir/detail.wasm" 0x200
check detail-none 134 "integer divide by zero
  #0 func[5] <div>" --invoke div "$dir/detail.wasm" 0

echo "$passed $failed" >"$BUILD/test-results/run-regressions.txt"
echo "run-regressions: $passed passed, $failed failed"
[[ $failed == 0 ]]
