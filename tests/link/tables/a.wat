;; a: a table of two functions, exported with the table
(module
  (type $ii (func (param i32) (result i32)))
  (table $t (export "tab") 4 funcref)
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 0) $inc $dbl)
  (func (export "call_at") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 0) (local.get 1))))
