;; lib.wat: the module --link gives as "lib": a function, a global, a memory.
(module
  (memory (export "mem") 1)
  (data (i32.const 0) "linked")
  (global (export "base") i32 (i32.const 100))
  (func (export "triple") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3))))
