;; wasi_unknown.wat: imports a function WASI does not have; it gets a stub.
(module
  (import "wasi_snapshot_preview1" "no_such_fn" (func $n (result i32)))
  (func (export "f") (result i32) (call $n)))
