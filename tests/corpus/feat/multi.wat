;; multi.wat: two memories and extended constant expressions, for the corpus
;; (wat2wasm of wabt 1.0.39) and as the start module of binaryen's multi-memory
;; ttf modules (wasm-opt -ttf --initial-fuzz). wabt 1.0.39 lets an initialiser
;; read imported globals only, hence the import.
(module
  (import "env" "base" (global $base i32))
  (memory $a 1 2)
  (memory $b 2 3)
  (global $end i32 (i32.add (global.get $base) (i32.mul (i32.const 4) (i32.const 64))))
  (global $wide i64 (i64.sub (i64.const 0x1_0000_0000) (i64.const 1)))
  (data (memory $b) (i32.add (global.get $base) (i32.const 16)) "multi")
  (data (memory $a) (i32.const 8) "one")
  (func (export "copy") (param i32 i32 i32)
    (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32)
    (memory.fill $b (local.get 0) (local.get 1) (i32.const 64)))
  (func (export "load2") (param i32) (result i32)
    (i32.add (i32.load $a (local.get 0)) (i32.load8_u $b offset=3 (local.get 0))))
  (func (export "store2") (param i32 i64)
    (i64.store $b offset=8 align=4 (local.get 0) (local.get 1)))
  (func (export "sizes") (result i32)
    (i32.add (memory.size $a) (memory.size $b)))
  (func (export "grow") (result i32) (memory.grow $b (i32.const 1))))
