;; b: tail calls of a's functions, direct and through b's table (whose
;; segment holds an import); call targets and the type index move
(module
  (type $un (func (param i32) (result i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (import "a" "mul" (func $mul (type $bin)))
  (import "a" "count" (func $count (type $bin)))
  (table funcref (elem $mul $own))
  (func $own (type $bin) (i32.sub (local.get 0) (local.get 1)))
  (func (export "tail_mul") (result i32) (return_call $mul (i32.const 6) (i32.const 7)))
  (func (export "tail_ind") (type $un)
    (return_call_indirect (type $bin) (i32.const 9) (i32.const 4) (local.get 0)))
  (func (export "count_b") (type $un) (return_call $count (local.get 0) (i32.const 0))))
