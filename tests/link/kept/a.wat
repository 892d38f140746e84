;; a: needs env.log and env.base from the host
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "base" (global $base i32))
  (func (export "f") (param i32) (result i32)
    (call $log (local.get 0))
    (i32.add (local.get 0) (global.get $base))))
