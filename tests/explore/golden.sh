#!/usr/bin/env bash
# golden.sh: wlab-explore's output on one small hand-written module (and a
# truncated copy) against the expected text below, offsets included; and
# GC types and instructions in wlab-explore and wlab-objdump; wlab-objdump -d
# of indices past INT32_MAX.
# Usage: BUILD=build bash tests/explore/golden.sh; prints `explore-golden: N passed, N failed`.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
exe=$BUILD/bin/wlab-explore
[[ -x $exe ]] || { echo "golden.sh: missing $exe (make BUILD=$BUILD all)" >&2; exit 2; }
dir=$BUILD/explore
mkdir -p "$dir"
# (module (type (func (result i32))) (func (export "main") i32.const 42))
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00'\
'\x07\x08\x01\x04main\x00\x00\x0a\x06\x01\x04\x00\x41\x2a\x0b' >"$dir/g.wasm"
head -c 35 "$dir/g.wasm" >"$dir/g-cut.wasm"

passed=0 failed=0
check() {  # name, expected text, command...
	local name=$1 want=$2
	shift 2
	local got
	got=$(cd "$dir" && "$@" 2>&1; echo "rc=$?")
	if [[ $got == "$want" ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name" >&2
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") >&2
	fi
}
abs=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")

check explain-immediate 'Code > func[0] "main" > body > i32.const immediate
  byte 0x23 is byte 1 of 1 of this immediate at 0x23, value 42
rc=0' "$abs" --explain 0x23 g.wasm

check explain-name 'Export > export[0] "main" > name > name bytes
  byte 0x18 is byte 2 of 4 of this name-bytes at 0x17, value main
rc=0' "$abs" --explain 24 g.wasm

check top 'g.wasm: 37 bytes
uses: nothing beyond WebAssembly 1.0

Sections:
  section                      offset       size   share    count
  Type                     0x00000008          7  18.92%        1
  Function                 0x0000000f          4  10.81%        1
  Export                   0x00000013         10  27.03%        1
  Code                     0x0000001d          8  21.62%        1

Size breakdown (largest first):
      offset       size   share  item
  0x00000000          8  21.62%  header
  0x00000008          7  18.92%  Type section
  ... 5 more rows
                     37 100.00%  total of 7 rows
rc=0' "$abs" --top 2 g.wasm

check annotate-func '00000020:                            func[0] "main"  (func, 5 bytes)
00000020: 04                           body size = 4  (leb-u32)
00000021:                              body  (body, 4 bytes)
00000021:                                locals  (locals, 1 byte)
00000021: 00                               local decl count = 0  (vec-count)
00000022: 41 2a                          i32.const 42
00000024: 0b                             end  (opcode)
rc=0' "$abs" --func main g.wasm

check truncated '00000013:                          Export  (section, 10 bytes)
00000013: 07                         section id = 7  (section-id)
00000014: 08                         section size = 8  (leb-u32)
00000015: 01                         count = 1  (vec-count)
00000016:                            export[0] "main"  (export, 7 bytes)
00000016:                              name = "main"  (5 bytes)
00000016: 04                             name length = 4  (name-len)
00000017: 6d 61 69 6e                    name bytes = "main"  (name-bytes, 4 bytes)
0000001b: 00                           export kind = func  (extern-kind)
0000001c: 00                           index = 0  (index)
0000001d:                          Code  (section, 1 byte)
0000001d: 0a                         section id = 10  (section-id)
0000001e: 06 01 04 00 41           undecoded  (undecoded, 5 bytes)
rc=0' bash -c "'$abs' --annotate g-cut.wasm 2>/dev/null | tail -n 13"

check truncated-error 'undecoded
  byte 0x20 is byte 3 of 5 of this undecoded at 0x1e
g-cut.wasm:0x1e: error: length out of bounds
rc=1' "$abs" --explain 0x20 g-cut.wasm

# --html: the module's bytes in the page, raw DEFLATE (our html_deflate.c) in base64; Python's
# zlib, an independent inflater, must give back the module's bytes (the browser suite
# explore-html checks the page).
cat >"$dir/inflate.py" <<'PY'
import base64, re, sys, zlib
page = sys.stdin.read()
m = re.search(r'<script id="wlab-module" type="application/octet-stream" data-name="([^"]*)" '
              r'data-size="(\d+)" data-encoding="deflate-raw">([^<]*)', page)
if not m:
    sys.exit("no deflated wlab-module script in the page")
data = zlib.decompress(base64.b64decode(m.group(3)), -15)
same = data == open(sys.argv[1], "rb").read() and len(data) == int(m.group(2))
print("%s: %s bytes deflated, inflated by zlib %s" % (m.group(1), m.group(2), "equal to the file" if same else "DIFFERENT"))
PY
check html-module 'g.wasm: 37 bytes deflated, inflated by zlib equal to the file
rc=0' bash -c "'$abs' --html g.wasm | python3 inflate.py g.wasm"

# Custom sections of the tool conventions, field by field: a "dylink.0" with
# its four subsections and a "target_features" (values as wasm-objdump -x reads them).
python3 -c "import sys; open(sys.argv[1], 'wb').write(bytes.fromhex(sys.argv[2]))" "$dir/dy.wasm" \
	'0061736d01000000002a0864796c696e6b2e30010410020100020901076c6962632e736f03040101660004080103656e7601670100230f7461726765745f6665617475726573022b0773696d643132382d0761746f6d696373'
check custom-dylink '00000013:                            mem info  (subsection, 6 bytes)
00000013: 01                           subsection id = 1  (subsection-id)
00000014: 04                           subsection size = 4  (leb-u32)
00000015: 10                           memory size = 16  (leb-u32)
00000016: 02                           memory alignment (log2) = 2  (leb-u32)
00000017: 01                           table size = 1  (leb-u32)
00000018: 00                           table alignment (log2) = 0  (leb-u32)
00000019:                            needed  (subsection, 11 bytes)
00000019: 02                           subsection id = 2  (subsection-id)
0000001a: 09                           subsection size = 9  (leb-u32)
0000001b: 01                           count = 1  (vec-count)
0000001c:                              needed library = "libc.so"  (8 bytes)
0000001c: 07                             name length = 7  (name-len)
0000001d: 6c 69 62 63 2e 73 6f           name bytes = "libc.so"  (name-bytes, 7 bytes)
00000024:                            export info  (subsection, 6 bytes)
00000024: 03                           subsection id = 3  (subsection-id)
00000025: 04                           subsection size = 4  (leb-u32)
00000026: 01                           count = 1  (vec-count)
00000027:                              export[0] "f"  (dylink-export, 3 bytes)
00000027:                                name = "f"  (2 bytes)
00000027: 01                               name length = 1  (name-len)
00000028: 66                               name bytes = "f"  (name-bytes)
00000029: 00                             flags = 0  (leb-u32)
0000002a:                            import info  (subsection, 10 bytes)
0000002a: 04                           subsection id = 4  (subsection-id)
0000002b: 08                           subsection size = 8  (leb-u32)
0000002c: 01                           count = 1  (vec-count)
0000002d:                              import[0] "env.g"  (dylink-import, 7 bytes)
0000002d:                                module = "env"  (4 bytes)
0000002d: 03                               name length = 3  (name-len)
0000002e: 65 6e 76                         name bytes = "env"  (name-bytes, 3 bytes)
00000031:                                field = "g"  (2 bytes)
00000031: 01                               name length = 1  (name-len)
00000032: 67                               name bytes = "g"  (name-bytes)
00000033: 01                             flags = 1  (leb-u32)
rc=0' bash -c "'$abs' --section dylink.0 dy.wasm | tail -n +7"

check custom-features 'Custom "target_features" > feature[1] -atomics > prefix
  byte 0x50 is byte 1 of 1 of this feature-prefix at 0x50, value - disallowed
rc=0' "$abs" --explain 0x50 dy.wasm

check xref-json-start '{"schema":"wlab-explore-xref/1","file":"g.wasm","func":0,"name":"main","type":{"index":0,"params":[],"results":["i32"]},"import":null,"body":{"offset":32,"length":5},"exports":[{"name":"main","offset":22}],"start":false,
"callees":[],
"indirect_calls":[],
"callers":[],
"elems":[],
"ref_funcs":[],
"indirect_callers":[],
"error":null}
rc=0' "$abs" --xref main --json g.wasm

# GC types (wlab-explore and wlab-objdump read every feature): a rec group of
# two sub types with packed and mutable fields, an array, a function type of
# a typed reference. Built by wlab-wat from
# (rec (type (sub (struct (field (mut i8)) (field (ref null 1)))))
#      (type (sub final 0 (struct (field (mut i8)) (field (ref null 1)) (field i16)))))
# (type (array (mut anyref))) (type (func (param (ref 2))))
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x20\x03\x4e\x02\x50\x00\x5f\x02\x78\x01\x63'\
'\x01\x00\x4f\x01\x00\x5f\x03\x78\x01\x63\x01\x00\x77\x00\x5e\x6e\x01\x60\x01\x64\x02\x00' >"$dir/gc.wasm"
# struct and array types of value types only, which wasm-objdump 1.0.39 reads:
# its -x output, measured, is the expected text below.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x1a\x05\x60\x01\x7f\x01\x7e\x5f\x05\x7f\x00\x7e'\
'\x01\x7d\x00\x70\x00\x6f\x01\x5e\x7f\x01\x5f\x00\x5e\x7c\x00\x03\x02\x01\x00\x0a\x06\x01\x04'\
'\x00\x42\x01\x0b' >"$dir/gc-wabt.wasm"
objdump=$(cd "$(dirname "$exe")" && pwd)/wlab-objdump

check gc-annotate '                         Type  (section, 34 bytes)
01                         section id = 1  (section-id)
20                         section size = 32  (leb-u32)
03                         count = 3  (vec-count)
                           rec[0]  (rec, 23 bytes)
4e                           rec = 0x4e rec  (rec)
02                           type count = 2  (vec-count)
                             type[0]  (type, 9 bytes)
50                             sub = 0x50 sub  (sub)
00                             supertype count = 0  (vec-count)
5f                             form = 0x5f struct  (form)
02                             field count = 2  (vec-count)
78                             field[0] = i8  (storage-type)
01                             mutability = var  (mutability)
63 01                          field[1] = (ref null 1)  (valtype, 2 bytes)
00                             mutability = const  (mutability)
                             type[1]  (type, 12 bytes)
4f                             sub = 0x4f sub final  (sub)
01                             supertype count = 1  (vec-count)
00                             supertype = 0  (type-index)
5f                             form = 0x5f struct  (form)
03                             field count = 3  (vec-count)
78                             field[0] = i8  (storage-type)
01                             mutability = var  (mutability)
63 01                          field[1] = (ref null 1)  (valtype, 2 bytes)
00                             mutability = const  (mutability)
77                             field[2] = i16  (storage-type)
00                             mutability = const  (mutability)
                           type[2]  (type, 3 bytes)
5e                           form = 0x5e array  (form)
6e                           element = anyref  (valtype)
01                           mutability = var  (mutability)
                           type[3]  (type, 5 bytes)
60                           form = 0x60 func  (form)
01                           param count = 1  (vec-count)
64 02                        param = (ref 2)  (valtype, 2 bytes)
00                           result count = 0  (vec-count)
rc=0' bash -c "'$abs' --annotate --section Type gc.wasm | cut -c11-"

check gc-explain 'Type > rec[0] > type[1] > field[2]
  byte 0x20 is byte 1 of 1 of this storage-type at 0x20, value i16
rc=0' "$abs" --explain 0x20 gc.wasm

check gc-objdump '
gc.wasm:	file format wasm 0x1

Section Details:

Type[3]:
 - rec[0] types 0..1
 - type[0] sub (struct (mut i8) (ref null 1))
 - type[1] sub final 0 (struct (mut i8) (ref null 1) i16)
 - type[2] (array (mut anyref))
 - type[3] ((ref 2)) -> nil
rc=0' "$objdump" -x gc.wasm

check gc-objdump-as-wabt '
gc-wabt.wasm:	file format wasm 0x1

Section Details:

Type[5]:
 - type[0] (i32) -> i64
 - type[1] (struct i32 (mut i64) f32 funcref (mut externref))
 - type[2] (array (mut i32))
 - type[3] (struct)
 - type[4] (array f64)
Function[1]:
 - func[0] sig=0
Code[1]:
 - func[0] size=4
rc=0' "$objdump" -x gc-wabt.wasm

# GC instructions (wasm-objdump 1.0.39 stops at the first of them, so these
# are our own): every immediate kind, disassembled and annotated. Built by
# wlab-wat from a module of a struct with named, packed and
# typed-reference fields, two arrays, a data and an elem segment, a global
# of struct.new_default, and a body of struct.get/get_s/set, array.new_fixed,
# new_data, new_elem, new_default, copy, ref.test/ref.cast in both forms,
# ref.i31, br_on_cast(_fail), ref.eq, the conversions and i31.get_u.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x1a\x04\x5f\x05\x7f\x00\x7e\x01\x78\x00\x77\x00'\
'\x63\x00\x01\x5e\x78\x01\x5e\x70\x01\x60\x01\x63\x00\x01\x7f\x03\x02\x01\x03\x06\x08'\
'\x01\x64\x00\x00\xfb\x01\x00\x0b\x09\x05\x01\x01\x00\x01\x00\x0c\x01\x01\x0a\x89\x01'\
'\x01\x86\x01\x00\x20\x00\xfb\x02\x00\x01\x1a\x20\x00\xfb\x03\x00\x02\x1a\x20\x00\xd0'\
'\x00\xfb\x05\x00\x04\x41\x01\x41\x02\xfb\x08\x01\x02\x1a\x41\x00\x41\x01\xfb\x09\x01'\
'\x00\x1a\x41\x00\x41\x01\xfb\x0a\x02\x00\x1a\x41\x01\xfb\x07\x01\x41\x00\x41\x01\xfb'\
'\x07\x01\x41\x00\x41\x00\xfb\x11\x01\x01\x20\x00\xfb\x14\x00\x1a\x20\x00\xfb\x17\x00'\
'\x1a\x41\x01\xfb\x1c\xfb\x15\x6c\x1a\x02\x6e\xd0\x6e\xfb\x18\x01\x00\x6e\x00\x0b\x1a'\
'\x02\x6e\xd0\x6e\xfb\x19\x03\x00\x6e\x00\x0b\x1a\xd0\x6d\xd0\x6c\xd3\x1a\xd0\x6f\xfb'\
'\x1a\xfb\x1b\x1a\x41\x05\xfb\x1c\xfb\x1e\x0b\x0b\x05\x01\x01\x02\x68\x69' >"$dir/gc-instr.wasm"

check gc-instr-objdump '
gc-instr.wasm:	file format wasm 0x1

Code Disassembly:

000042 func[0]:
 000043: 20 00                      | local.get 0
 000045: fb 02 00 01                | struct.get 0 1
 000049: 1a                         | drop
 00004a: 20 00                      | local.get 0
 00004c: fb 03 00 02                | struct.get_s 0 2
 000050: 1a                         | drop
 000051: 20 00                      | local.get 0
 000053: d0 00                      | ref.null 0
 000055: fb 05 00 04                | struct.set 0 4
 000059: 41 01                      | i32.const 1
 00005b: 41 02                      | i32.const 2
 00005d: fb 08 01 02                | array.new_fixed 1 2
 000061: 1a                         | drop
 000062: 41 00                      | i32.const 0
 000064: 41 01                      | i32.const 1
 000066: fb 09 01 00                | array.new_data 1 0
 00006a: 1a                         | drop
 00006b: 41 00                      | i32.const 0
 00006d: 41 01                      | i32.const 1
 00006f: fb 0a 02 00                | array.new_elem 2 0
 000073: 1a                         | drop
 000074: 41 01                      | i32.const 1
 000076: fb 07 01                   | array.new_default 1
 000079: 41 00                      | i32.const 0
 00007b: 41 01                      | i32.const 1
 00007d: fb 07 01                   | array.new_default 1
 000080: 41 00                      | i32.const 0
 000082: 41 00                      | i32.const 0
 000084: fb 11 01 01                | array.copy 1 1
 000088: 20 00                      | local.get 0
 00008a: fb 14 00                   | ref.test (ref 0)
 00008d: 1a                         | drop
 00008e: 20 00                      | local.get 0
 000090: fb 17 00                   | ref.cast (ref null 0)
 000093: 1a                         | drop
 000094: 41 01                      | i32.const 1
 000096: fb 1c                      | ref.i31
 000098: fb 15 6c                   | ref.test i31ref
 00009b: 1a                         | drop
 00009c: 02 6e                      | block anyref
 00009e: d0 6e                      |   ref.null any
 0000a0: fb 18 01 00 6e 00          |   br_on_cast 0 anyref (ref 0)
 0000a6: 0b                         | end
 0000a7: 1a                         | drop
 0000a8: 02 6e                      | block anyref
 0000aa: d0 6e                      |   ref.null any
 0000ac: fb 19 03 00 6e 00          |   br_on_cast_fail 0 anyref (ref null 0)
 0000b2: 0b                         | end
 0000b3: 1a                         | drop
 0000b4: d0 6d                      | ref.null eq
 0000b6: d0 6c                      | ref.null i31
 0000b8: d3                         | ref.eq
 0000b9: 1a                         | drop
 0000ba: d0 6f                      | ref.null extern
 0000bc: fb 1a                      | any.convert_extern
 0000be: fb 1b                      | extern.convert_any
 0000c0: 1a                         | drop
 0000c1: 41 05                      | i32.const 5
 0000c3: fb 1c                      | ref.i31
 0000c5: fb 1e                      | i31.get_u
 0000c7: 0b                         | end
rc=0' "$objdump" -d gc-instr.wasm

# the annotation's second half: casts, br_on_cast's four immediates, the rest
check gc-instr-annotate '1a                             drop  (opcode)
20 00                          local.get local index=0
fb 17 00                       ref.cast heap type=type[0]
1a                             drop  (opcode)
41 01                          i32.const 1
fb 1c                          ref.i31  (opcode, 2 bytes)
fb 15 6c                       ref.test heap type=i31
1a                             drop  (opcode)
02 6e                          block block type=anyref
d0 6e                          ref.null heap type=any
fb 18 01 00 6e 00              br_on_cast cast flags=1 label depth=0 source heap type=any target heap type=type[0]
0b                             end  (opcode)
1a                             drop  (opcode)
02 6e                          block block type=anyref
d0 6e                          ref.null heap type=any
fb 19 03 00 6e 00              br_on_cast_fail cast flags=3 label depth=0 source heap type=any target heap type=type[0]
0b                             end  (opcode)
1a                             drop  (opcode)
d0 6d                          ref.null heap type=eq
d0 6c                          ref.null heap type=i31
d3                             ref.eq  (opcode)
1a                             drop  (opcode)
d0 6f                          ref.null heap type=extern
fb 1a                          any.convert_extern  (opcode, 2 bytes)
fb 1b                          extern.convert_any  (opcode, 2 bytes)
1a                             drop  (opcode)
41 05                          i32.const 5
fb 1c                          ref.i31  (opcode, 2 bytes)
fb 1e                          i31.get_u  (opcode, 2 bytes)
0b                             end  (opcode)
rc=0' bash -c "'$abs' --annotate --section Code gc-instr.wasm | cut -c11- | sed -n '41,\$p'"

# Field names (name subsection 10: type -> field -> name), written by an
# @custom annotation. wasm-objdump 1.0.39 reads this module (a struct of
# value types only) and skips subsection 10 in -x (checked against it; 1.0.32
# read subsection 10 as tag names); -d shows a field's name after struct.get
# and struct.set as it shows a local's (wasm-objdump cannot read those);
# wlab-wat names the fields.
wat=$(cd "$(dirname "$exe")" && pwd)/wlab-wat
printf '%s\n' '(module (type (struct (field i32) (field (mut i64)))) (func)' \
	'  (@custom "name" "\01\04\01\00\01f" "\04\05\01\00\02pt" "\0a\09\01\00\02\00\01x\01\01y"))' \
	>"$dir/gc-names.wat"
printf '%s\n' '(module (type (struct (field i32) (field (mut i64))))' \
	'  (func (param (ref null 0)) (result i32)' \
	'    local.get 0 i64.const 7 struct.set 0 1 local.get 0 struct.get 0 0)' \
	'  (@custom "name" "\04\05\01\00\02pt" "\0a\09\01\00\02\00\01x\01\01y"))' \
	>"$dir/gc-names2.wat"
"$wat" "$dir/gc-names.wat" -o "$dir/gc-names.wasm"
"$wat" "$dir/gc-names2.wat" -o "$dir/gc-names2.wasm"

check gc-field-names-objdump-x '
gc-names.wasm:	file format wasm 0x1

Section Details:

Type[2]:
 - type[0] (struct i32 (mut i64))
 - type[1] () -> nil
Function[1]:
 - func[0] sig=1 <f>
Code[1]:
 - func[0] size=2 <f>
Custom:
 - name: "name"
 - func[0] <f>
 - type[0] <pt>
rc=0' "$objdump" -x gc-names.wasm

check gc-field-names-objdump-d ' 000024: fb 05 00 01                | struct.set 0 1 <y>
 000028: 20 00                      | local.get 0
 00002a: fb 02 00 00                | struct.get 0 0 <x>
rc=0' bash -c "'$objdump' -d gc-names2.wasm | grep -A2 struct.set"

check gc-field-names-wat '(module
  (type $pt (struct (field $x i32) (field $y (mut i64))))
  (type (;1;) (func (param (ref null $pt)) (result i32)))
  (func (;0;) (type 1) (param (ref null $pt)) (result i32)
    local.get 0
    i64.const 7
    struct.set $pt $y
    local.get 0
    struct.get $pt $x))
rc=0' "$wat" gc-names2.wasm

# Indices past INT32_MAX (an invalid module; WAMR's issue-3130 reproducer
# has a "br 4294967295"): wasm-objdump 1.0.32 and 1.0.39 print those of
# local.get/tee, global.get, call, throw, br_if and br signed, ref.func's
# unsigned; their -d output, measured, is the expected text below.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x34\x01\x32'\
'\x00\x20\xff\xff\xff\xff\x0f\x22\x80\x80\x80\x80\x08\x23\xff\xff\xff\xff\x0f\x10\xff\xff\xff'\
'\xff\x0f\xd2\xff\xff\xff\xff\x0f\x08\xff\xff\xff\xff\x0f\x0d\x80\x80\x80\x80\x08\x0c\xff\xff'\
'\xff\xff\x0f\x0b' >"$dir/big-index.wasm"
check objdump-d-index-signed '
big-index.wasm:	file format wasm 0x1

Code Disassembly:

000016 func[0]:
 000017: 20 ff ff ff ff 0f          | local.get -1
 00001d: 22 80 80 80 80 08          | local.tee -2147483648
 000023: 23 ff ff ff ff 0f          | global.get -1
 000029: 10 ff ff ff ff 0f          | call -1
 00002f: d2 ff ff ff ff 0f          | ref.func 4294967295
 000035: 08 ff ff ff ff 0f          | throw -1
 00003b: 0d 80 80 80 80 08          | br_if -2147483648
 000041: 0c ff ff ff ff 0f          | br -1
 000047: 0b                         | end
rc=0' "$objdump" -d big-index.wasm

mkdir -p "$BUILD/test-results"
echo "$passed $failed" >"$BUILD/test-results/explore-golden.txt"
echo "explore-golden: $passed passed, $failed failed"
[[ $failed == 0 ]]
