;; tailcall.wat: tail calls under wlab-run's limits: mutual recursion by
;; return_call and return_call_indirect in constant stack (even, even_i),
;; the same by call (even_c, which --max-stack stops), and a trap after a
;; tail call (a calls b, b tail-calls c, c divides by zero).
(module
  (type $t (func (param i64) (result i32)))
  (table funcref (elem $even_i $odd_i))
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (func $even_i (export "even_i") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  (func $odd_i (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func $even_c (export "even_c") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (call $odd_c (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd_c (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (call $even_c (i64.sub (local.get 0) (i64.const 1))))))
  (func $a (export "a") (param i32) (result i32) (i32.add (call $b (local.get 0)) (i32.const 1)))
  (func $b (param i32) (result i32) (return_call $c (local.get 0)))
  (func $c (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0))))
