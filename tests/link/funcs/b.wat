;; b: imports a's functions; its own types come in another order, so block
;; type indices and call targets all move
(module
  (type $unary (func (param i32) (result i32)))
  (type $three (func (result i32 i32 i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (import "a" "add" (func $add (type $bin)))
  (import "a" "mul" (func $mul (type $bin)))
  (func $twice (type $unary) (call $add (local.get 0) (local.get 0)))
  (func (export "compute") (result i32)
    (call $add (call $mul (i32.const 3) (i32.const 4)) (call $twice (i32.const 5))))
  (func (export "sum3") (result i32)
    (block (type $three) (i32.const 1) (i32.const 2) (i32.const 3))
    (call $add) (call $add))
  (func (export "ret_call") (result i32)
    (return (call $mul (i32.const 6) (i32.const 7)))))
