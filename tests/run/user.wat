;; user.wat: imports from "lib" (see lib.wat, given with --link lib=lib.wasm).
(module
  (import "lib" "triple" (func $triple (param i32) (result i32)))
  (import "lib" "base" (global $base i32))
  (import "lib" "mem" (memory 1))
  (func (export "run") (param i32) (result i32)
    (i32.add (global.get $base) (call $triple (local.get 0))))
  (func (export "pair") (param i32 i32) (result i32) (local.get 1))
  (func (export "first") (result i32) (i32.load8_u (i32.const 0))))
