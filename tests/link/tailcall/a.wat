;; a: functions b tail-calls; count is tail-recursive and reads a's memory
(module
  (type $bin (func (param i32 i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "\05")
  (func $mul (export "mul") (type $bin) (i32.mul (local.get 0) (local.get 1)))
  (func $count (export "count") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.add (local.get 1) (i32.load (i32.const 0))))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1))
                                (i32.add (local.get 1) (i32.const 2)))))))
