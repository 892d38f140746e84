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
    ^" "$dir/konst.wat" -o "$dir/konst.wasm"

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

echo "$passed $failed" >"$BUILD/test-results/wat-cli.txt"
echo "wat-cli: $passed passed, $failed failed"
[[ $failed == 0 ]]
