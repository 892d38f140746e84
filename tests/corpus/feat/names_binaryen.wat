;; names_binaryen.wat: a hand-written name section with what binaryen's test
;; files hold: an empty local name (test/lit/binary/empty-param-name.test.wasm;
;; wasm-objdump prints no line for it) and data segment names in decreasing
;; index order (data-names.test.wasm; wabt reads every direct map but the
;; function names whatever its order, and names each segment).
(module
  (func $f (param i32))
  (memory 1)
  (data (i32.const 0) "a")
  (data (i32.const 1) "b")
  (@custom "name" (after data) "\02\05\01\00\01\00\00\09\07\02\01\01b\00\01a"))
