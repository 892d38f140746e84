;; c gets a's f through b's re-export
(module
  (import "b" "g" (func $g (result i32)))
  (func (export "h") (result i32) (i32.add (call $g) (i32.const 1))))
