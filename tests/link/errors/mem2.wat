;; a memory of its own: with provider's, the output has two
(module
  (import "provider" "f" (func $f (param i32) (result i32)))
  (memory $own 1)
  (data (i32.const 0) "\07")
  (func (export "own_byte") (result i32)
    (i32.store8 offset=1 (i32.const 0) (i32.const 5))
    (call $f (i32.add (i32.load8_u (i32.const 0)) (i32.load8_u offset=1 (i32.const 0)))))
  (func (export "pages") (result i32) (memory.size)))
