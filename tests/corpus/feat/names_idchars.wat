;; names_idchars.wat: a hand-written name section whose names hold bytes that
;; are not idchars (space, comma, quotes, parentheses, semicolon, brackets,
;; braces, control bytes, tab and newline, DEL, NUL, UTF-8) in every index
;; space wasm2wat 1.0.32 names in a 2.0 module: module, functions (an import
;; among them), locals, types, table, memory, globals, elem and data
;; segments; C++ and wasm-bindgen names as canvaskit's and biome's; two equal
;; names (the second gets .1) and an empty one (unnamed). wasm2wat prints
;; each such byte as '_' (biome's "... externref shim" is
;; "$..._externref_shim"), after making the names unique; none of these
;; collide once replaced, so wasm2wat's text reads back (docs/wlab-wat.md).
(module
  (type (func (param i32)))
  (type (func))
  (type (func (param i32 i32) (result i32)))
  (import "m" "f" (func (type 0)))
  (table 2 funcref)
  (memory 1)
  (global (mut i32) (i32.const 0))
  (global i32 (i32.const 7))
  (func (type 2) (local i32)
    (local.set 2 (i32.add (local.get 0) (local.get 1)))
    (call 0 (local.get 2))
    (global.set 0 (global.get 1))
    (call_indirect (type 1) (i32.const 0))
    (table.init 0 1 (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop 1)
    (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1))
    (data.drop 1)
    (local.get 2))
  (func (type 1) call 3 call 4)
  (func (type 1) call 5)
  (func (type 1) call 6 call 7)
  (func (type 1) call 8 call 9)
  (func (type 1) call 10 call 11)
  (func (type 1) (drop (call 1 (i32.const 1) (i32.const 2))))
  (func (type 1))
  (func (type 1))
  (func (type 1) call 2)
  (func (type 1))
  (export "f" (func 1))
  (elem (i32.const 0) func 1 2)
  (elem func 3 4)
  (data (i32.const 0) "ab")
  (data "cd")
  (@custom "name" (after data) "\00\08\07my mod;\01\d5\01\0c\00\08imp f(x)\01Dstd::__2::basic_string<char, std::__2::char_traits<char>>::f() const\02)__wbg_set_08463b1df38a7e29 externref shim\03\07q\22uo'te\04\10br[a]ce{s},semi;\05\0dctl\01\1f\7f\09tab\0anl\06\10utf8 \c3\a9 \e2\82\ac \f0\9f\98\80\07\03a b\08\03a b\09\00\0a\08nul\00byte\0b\05a_b.2\02\13\01\01\03\00\04self\01\03x.1\02\03acc\04\11\03\00\03t 0\01\04t(1)\02\03t;2\05\09\01\00\06tab le\06\07\01\00\04me\09m\07\0c\02\00\03g 0\01\04g{1}\08\0c\02\00\03e 0\01\04e[1]\09\0b\02\00\03d 0\01\03d\221"))
