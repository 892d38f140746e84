;; provider: what the error cases import from
(module
  (func (export "f") (param i32) (result i32) (local.get 0))
  (global (export "g") i32 (i32.const 1))
  (global (export "mg") (mut i32) (i32.const 1))
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (func (export "clash")))
