;; a: owns the memory, with an active and a passive segment
(module
  (memory (export "mem") 1 4)
  (data (i32.const 16) "abc")
  (data $p "XYZ")
  (func (export "init_p") (param i32)
    (memory.init $p (local.get 0) (i32.const 0) (i32.const 3)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
