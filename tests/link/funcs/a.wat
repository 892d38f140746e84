;; a: plain functions, and a multi-value block whose type index moves
(module
  (type $pair (func (result i32 i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (export "add") (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $mul (export "mul") (type $bin) (i32.mul (local.get 0) (local.get 1)))
  (func (export "swap_sub") (param i32 i32) (result i32)
    (block $b (type $pair) (local.get 1) (local.get 0))
    (i32.sub)))
