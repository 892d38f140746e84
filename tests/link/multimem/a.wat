;; a: two memories of its own; exports the second
(module
  (memory $m0 1)
  (memory $m1 (export "m1") 1 2)
  (data (memory $m0) (i32.const 0) "\01\02")
  (data (memory $m1) (i32.const 8) "\10\20")
  (data $p "\33\44")
  (func (export "a_load") (param i32) (result i32) (i32.load8_u $m1 (local.get 0)))
  (func (export "a_sum") (result i32)
    (memory.copy $m1 $m0 (i32.const 16) (i32.const 0) (i32.const 2))
    (i32.add (i32.load8_u $m0 (i32.const 1)) (i32.load8_u $m1 (i32.const 17)))))
