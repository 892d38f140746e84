;; b: needs the same env.log (merged into one import), a.f, and env.seven
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "seven" (func $seven (result i32)))
  (import "a" "f" (func $f (param i32) (result i32)))
  (func (export "g") (result i32)
    (call $log (i32.const 1))
    (call $f (call $seven))))
