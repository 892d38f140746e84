;; b: start runs after a's: state = state * 10 + 2 (12 in input order)
(module
  (import "a" "state" (global $state (mut i32)))
  (func $init (global.set $state (i32.add (i32.mul (global.get $state) (i32.const 10)) (i32.const 2))))
  (start $init)
  (func (export "get_b") (result i32) (global.get $state)))
