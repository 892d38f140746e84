#!/usr/bin/env bash
# cli.sh: wlab-wat's command line as wat2wasm's and wasm2wat's users meet it:
# assembling validates (exit 1 with the offset and the function, no output
# file; --no-check writes it anyway), a file that cannot be written is exit
# 3 and a device is never removed, a malformed binary leaves no -o file, and
# plain blocks nested past the folded forms' 1,500 levels read back. Prints
# `wat-cli: N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
wat=$BUILD/bin/wlab-wat
[[ -x $wat ]] || { echo "cli.sh: missing $wat" >&2; exit 2; }
dir=$BUILD/wat-cli
rm -rf "$dir"
mkdir -p "$dir" "$BUILD/test-results"
passed=0 failed=0

# check NAME WANT_RC WANT_ERR ARGS...: wlab-wat ARGS exits WANT_RC and its
# stderr holds WANT_ERR; a sanitizer report fails it.
check() {
	local name=$1 want_rc=$2 want_err=$3 rc err
	shift 3
	timeout 60 "$wat" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	err=$(<"$dir/err")
	if [[ $rc == "$want_rc" && $err == *"$want_err"* && $err != *Sanitizer* &&
		$err != *"runtime error:"* ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $rc (want $want_rc): ${err:0:400}" >&2
	fi
}
# ok NAME CONDITION...: a check of a file or an output
ok() {
	local name=$1
	shift
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name" >&2; fi
}

# an i32.add of one operand: wat2wasm refuses it ("type mismatch in i32.add,
# expected [i32, i32] but got [i32]"), as now wlab-wat does (it wrote the
# invalid binary, silently), in the same words
printf '(module (func $f (result i32) (i32.add (i32.const 1))))\n' >"$dir/bad.wat"
check invalid 1 "bad.wat:1:32: error: the module is invalid: 0x1a: type mismatch in i32.add, expected [i32, i32] but got [i32] (in func[0])
(module (func \$f (result i32) (i32.add (i32.const 1))))
                               ^" "$dir/bad.wat" -o "$dir/bad.wasm"
ok invalid-no-output test ! -e "$dir/bad.wasm"
check invalid-named 1 ' $f' --debug-names "$dir/bad.wat" -o "$dir/bad.wasm"
check no-check 0 "" --no-check "$dir/bad.wat" -o "$dir/bad.wasm"
ok no-check-output test -s "$dir/bad.wasm"
printf '(module (func (export "f") (result i32) (i32.const 7)))\n' >"$dir/good.wat"
check valid 0 "" "$dir/good.wat" -o "$dir/good.wasm"

# where a validation error's bytes came from in the text (wat.c, places):
# an end and a folded operand, a plain instruction past a folded one, a
# field outside the code; the type section, which no one field wrote, says
# its offset is the binary's; a malformed text gives its line and column
printf '(module\n  (func (result i32)\n    block (result i32)\n      i64.const 1\n    end)\n  (func (drop (i32.add (i32.const 1) (f32.const 2)))\n\t(i32.const 0) drop\n\tlocal.get 3))\n' \
	>"$dir/where.wat"
check invalid-end 1 "where.wat:5:5: error: the module is invalid: 0x20: type mismatch in block, expected [i32] but got [i64] (in func[0])
    end)
    ^" "$dir/where.wat" -o "$dir/where.wasm"
sed -i 's/i64.const 1/i32.const 1/' "$dir/where.wat"
check invalid-folded 1 "where.wat:6:16: error: the module is invalid: 0x" "$dir/where.wat" -o "$dir/where.wasm"
sed -i 's/f32.const 2/i32.const 2/' "$dir/where.wat"
check invalid-tab 1 "where.wat:8:2: error: the module is invalid: 0x2d: unknown local 3 (in func[1])
	local.get 3))
	^" "$dir/where.wat" -o "$dir/where.wasm"
printf '(module\n  (func (export "a"))\n  (global i32 (i32.const 0))\n  (func (export "a")))\n' >"$dir/dup.wat"
check invalid-field 1 "dup.wat:4:3: error: the module is invalid: 0x" "$dir/dup.wat" -o "$dir/dup.wasm"
# a function's end (its implicit return, values left over) at its last
# instruction at the top, as wat2wasm places it; an empty body at its )
printf '(module\n  (func (result i32)\n    (block (nop))\n    nop\n  )\n  (func (result i32)\n  ))\n' >"$dir/ret.wat"
check invalid-return 1 "ret.wat:4:5: error: the module is invalid: 0x" "$dir/ret.wat" -o "$dir/ret.wasm"
sed -i '2,5d' "$dir/ret.wat"
check invalid-return-empty 1 "ret.wat:3:3: error: the module is invalid: 0x" "$dir/ret.wat" -o "$dir/ret.wasm"
# constant expressions outside a body: a global's initialiser and a data
# segment's offset point at their last instruction, as wat2wasm's do
printf '(module\n  (memory 1)\n  (global i32\n    (i64.const 0))\n  (data (offset\n    (i32.const 0) (i32.const 1)) "a"))\n' >"$dir/init.wat"
check invalid-global 1 "init.wat:4:6: error: the module is invalid: 0x" "$dir/init.wat" -o "$dir/init.wasm"
sed -i 's/i64.const 0/i32.const 0/' "$dir/init.wat"
check invalid-offset 1 "init.wat:6:20: error: the module is invalid: 0x" "$dir/init.wat" -o "$dir/init.wasm"
printf '(module\n  (type $a (sub final (func)))\n  (type $b (sub $a (func))))\n' >"$dir/sub.wat"
check invalid-types 1 "sub.wat: error: the module is invalid: 0x10: sub type 1 has final super type 0
wlab-wat: the offset is in the binary" "$dir/sub.wat" -o "$dir/sub.wasm"
printf '(module\n  (func\n    i32.konst 1))\n' >"$dir/konst.wat"
check malformed-text 1 "konst.wat:3:5: error: unknown operator i32.konst
    i32.konst 1))
    ^^^^^^^^^" "$dir/konst.wat" -o "$dir/konst.wasm"
ok malformed-text-token grep -qx '    ^^^^^^^^^' "$dir/err"  # the token, no more

# a file that cannot be written: exit 3, and /dev/full stays
if [[ -c /dev/full ]]; then
	check write-error 3 "/dev/full: write error" "$dir/good.wasm" -o /dev/full
	ok device-kept test -c /dev/full
fi
# a malformed binary: its error, and no -o file
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\5\1\3\0\x41\x80' >"$dir/trunc.wasm"
check malformed 1 "trunc.wasm:0x19: error:" "$dir/trunc.wasm" -o "$dir/trunc.wat"
ok malformed-no-output test ! -e "$dir/trunc.wat"

# 4,000 plain blocks (Go's compilers nest thousands): assembled, printed,
# and the text read back to the same binary
python3 - "$dir/deep.wat" <<'PY'
import sys
n = 4000
with open(sys.argv[1], "w") as f:
    f.write('(module (func (export "f") (result i32)\n' + "block (result i32)\n" * n +
            "i32.const 7\n" + "end\n" * n + "))\n")
PY
check deep-assemble 0 "" "$dir/deep.wat" -o "$dir/deep.wasm"
check deep-print 0 "" "$dir/deep.wasm" -o "$dir/deep2.wat"
check deep-again 0 "" "$dir/deep2.wat" -o "$dir/deep2.wasm"
ok deep-same cmp -s "$dir/deep.wasm" "$dir/deep2.wasm"

# a function name of bad UTF-8 in the name section: printed without it (the
# names read before it stay), exit 0, and a warning that says where and in
# which section (wasm2wat refuses the module; wasm-objdump warns); a good
# name there: printed, no warning
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\2\1\0\12\4\1\2\0\13\0\16\4name\1\7\1\0\4f\377\376o' >"$dir/badname.wasm"
check bad-name 0 'badname.wasm:0x24: warning: malformed UTF-8 encoding (in custom section "name")' \
	"$dir/badname.wasm"
ok bad-name-printed grep -q '^  (func (;0;) (type 0)))$' "$dir/out"
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\2\1\0\12\4\1\2\0\13\0\16\4name\1\7\1\0\4good' >"$dir/goodname.wasm"
check good-name 0 "" "$dir/goodname.wasm"
ok good-name-printed grep -q '(func $good (type 0))' "$dir/out"
ok good-name-quiet test ! -s "$dir/err"

# the printing options, as wasm2wat 1.0.32 prints them (its text, checked
# when these lines were written; print_compat.py checks them on the corpus):
# inline exports (an imported function's export stays a field unless
# imports are inlined too), inline imports, generated names; each text
# reads back to the module (inlined exports come in their text's order)
printf '(module\n  (import "env" "f" (func (param i32)))\n  (import "env" "mem" (memory 1))\n  (func (export "a") (export "b") (param i32) (result i32)\n    block\n      local.get 0\n      br_if 0\n    end\n    local.get 0)\n  (table (export "t") 1 funcref)\n  (global (export "g") i32 (i32.const 0))\n  (export "imp" (func 0)))\n' \
	>"$dir/opts.wat"
check opts-assemble 0 "" "$dir/opts.wat" -o "$dir/opts.wasm"
# printed TEXT FILE ARGS...: wlab-wat ARGS FILE prints TEXT (and a newline)
printed() {
	local want=$1 file=$2
	shift 2
	[[ $("$wat" "$@" "$file" 2>&1) == "$want" ]]
}
ok inline-exports printed '(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func (param i32) (result i32)))
  (import "env" "f" (func (;0;) (type 0)))
  (import "env" "mem" (memory (;0;) 1))
  (func (;1;) (export "a") (export "b") (type 1) (param i32) (result i32)
    block  ;; label = @1
      local.get 0
      br_if 0 (;@1;)
    end
    local.get 0)
  (table (;0;) (export "t") 1 funcref)
  (global (;0;) (export "g") i32 (i32.const 0))
  (export "imp" (func 0)))' "$dir/opts.wasm" --inline-exports
ok inline-both printed '(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func (param i32) (result i32)))
  (func (;0;) (export "imp") (import "env" "f") (type 0) (param i32))
  (memory (;0;) (import "env" "mem") 1)
  (func (;1;) (export "a") (export "b") (type 1) (param i32) (result i32)
    block  ;; label = @1
      local.get 0
      br_if 0 (;@1;)
    end
    local.get 0)
  (table (;0;) (export "t") 1 funcref)
  (global (;0;) (export "g") i32 (i32.const 0)))' "$dir/opts.wasm" --inline-imports --inline-exports
ok generate-names printed '(module
  (type $t0 (func (param i32)))
  (type $t1 (func (param i32) (result i32)))
  (import "env" "f" (func $env.f (type $t0)))
  (import "env" "mem" (memory $env.mem 1))
  (func $a (type $t1) (param $p0 i32) (result i32)
    block $B0
      local.get $p0
      br_if $B0
    end
    local.get $p0)
  (table $t 1 funcref)
  (global $g i32 (i32.const 0))
  (export "a" (func $a))
  (export "b" (func $a))
  (export "t" (table $t))
  (export "g" (global $g))
  (export "imp" (func $env.f)))' "$dir/opts.wasm" --generate-names
ok all-folded printed '(module
  (type $t0 (func (param i32)))
  (type $t1 (func (param i32) (result i32)))
  (func $env.f (export "imp") (import "env" "f") (type $t0) (param i32))
  (memory $env.mem (import "env" "mem") 1)
  (func $a (export "a") (export "b") (type $t1) (param $p0 i32) (result i32)
    (block $B0
      (br_if $B0
        (local.get $p0)))
    (local.get $p0))
  (table $t (export "t") 1 funcref)
  (global $g (export "g") i32 (i32.const 0)))' "$dir/opts.wasm" --generate-names --fold-exprs --inline-exports --inline-imports
check opts-print 0 "" --generate-names --inline-imports "$dir/opts.wasm" -o "$dir/opts2.wat"
check opts-again 0 "" "$dir/opts2.wat" -o "$dir/opts2.wasm"
ok opts-same cmp -s "$dir/opts.wasm" "$dir/opts2.wasm"
check opts-inline 0 "" --inline-exports --inline-imports "$dir/opts.wasm" -o "$dir/opts3.wat"
check opts-inline-again 0 "" "$dir/opts3.wat" -o "$dir/opts3.wasm"
ok opts-inline-reads-back printed "$("$wat" --inline-exports --inline-imports "$dir/opts.wasm")" \
	"$dir/opts3.wasm" --inline-exports --inline-imports
# wasm2wat's names for two options: --no-debug-names is --no-names; and
# --ignore-custom-section-errors is accepted: a name section that fails
# halfway (a name that is not UTF-8) is used up to there, as wasm2wat
# --ignore-custom-section-errors prints it (without it wasm2wat refuses),
# with the warning above, as wasm2wat warns
printf '(module (func $n (export "e")))\n' >"$dir/named.wat"
check named-assemble 0 "" --debug-names "$dir/named.wat" -o "$dir/named.wasm"
ok no-debug-names printed "$("$wat" --no-names "$dir/named.wasm")" "$dir/named.wasm" --no-debug-names
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\3\2\0\0\n\7\2\2\0\x0b\2\0\x0b\0\x10\4name\1\x09\2\0\2ok\1\2\xff\xff' \
	>"$dir/halfname.wasm"
check ignore-custom-errors 0 'halfname.wasm:0x' --ignore-custom-section-errors "$dir/halfname.wasm"
ok ignore-custom-errors-text test "$(<"$dir/out")" = '(module
  (type (;0;) (func))
  (func $ok (type 0))
  (func (;1;) (type 0)))'
check help 0 "" --help
ok help-options grep -q -- "--generate-names" "$dir/out"

# 50,000 functions of one name, 50,000 imports of one field (--generate-names):
# each later copy is numbered from where the last stopped, not from 1 (that
# was quadratic: over a minute, as wasm2wat 1.0.32 still takes)
python3 - "$dir/dupnames.wasm" "$dir/dupimports.wasm" <<'PY'
import sys
def leb(n):
    out = b""
    while True:
        b, n = n & 0x7f, n >> 7
        out += bytes([b | 0x80 if n else b])
        if not n:
            return out
def sec(i, p):
    return bytes([i]) + leb(len(p)) + p
n = 50000
head = b"\0asm\1\0\0\0" + sec(1, b"\x01\x60\x00\x00")
names = leb(n) + b"".join(leb(i) + b"\x01a" for i in range(n))
with open(sys.argv[1], "wb") as f:
    f.write(head + sec(3, leb(n) + b"\0" * n) + sec(10, leb(n) + b"\x02\x00\x0b" * n)
            + sec(0, b"\x04name\x01" + leb(len(names)) + names))
with open(sys.argv[2], "wb") as f:
    f.write(head + sec(2, leb(n) + b"\x01m\x01f\x00\x00" * n))
PY
check dup-names 0 "" "$dir/dupnames.wasm"
ok dup-names-last grep -q '^  (func $a.49999 (type 0)))$' "$dir/out"
check dup-imports 0 "" --generate-names "$dir/dupimports.wasm"
ok dup-imports-last grep -q '(func $m.f_49999 (type $t0))' "$dir/out"

echo "$passed $failed" >"$BUILD/test-results/wat-cli.txt"
echo "wat-cli: $passed passed, $failed failed"
[[ $failed == 0 ]]
