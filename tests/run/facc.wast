;; facc.wast: the f64 accumulator (rt_internal.h, RT_FACC; docs/interpreter.md):
;; a cell reads the f64 its predecessor left in a register only where no
;; other way leads in. Branch targets, loop heads, the cell after a call and
;; an if's arms, where the register holds another value than the top; and
;; each _ACC form after a producer (checked against the stack in the
;; sanitizer builds, -DWLAB_CHECK_FACC). Expected values from Node.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40\00\00\00\00\00\00\08\40\00\00\00\00\00\00\10\40")
  ;; a branch lands on a consumer: the value it carries came from local.get,
  ;; while the last producer before the branch left another value
  (func (export "join") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (block $b (result f64)
      (f64.mul (local.get $x) (f64.const 3))
      (drop)
      (local.get $y)
      (br_if $b (local.get $c))
      (drop)
      (f64.mul (local.get $x) (f64.const 2)))
    (f64.sqrt))
  ;; a loop's head: the value carried back was pushed by local.get
  (func (export "loop") (param $n i32) (param $x f64) (result f64)
    (f64.mul (local.get $x) (f64.const 0.5))
    (loop $l (param f64) (result f64)
      (f64.add (f64.const 1))
      (local.tee $x)
      (f64.mul (f64.const 1000))
      (drop)
      (local.get $x)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; after a call: the callee's last producer is not what it returns
  (func $g (param f64) (result f64)
    (f64.mul (local.get 0) (f64.const 7))
    (drop)
    (local.get 0))
  (func (export "call") (param $x f64) (result f64)
    (f64.add (call $g (local.get $x)) (f64.const 1)))
  ;; if/else arms: the else arm's end is a target, the then arm falls
  (func (export "arms") (param $c i32) (param $x f64) (result f64)
    (f64.mul (local.get $x) (f64.const 10))
    (if (param f64) (result f64) (local.get $c)
      (then (f64.mul (f64.const 2)))
      (else (drop) (local.get $x)))
    (f64.add (f64.const 0.25)))
  ;; each _ACC form after a producer
  (func (export "forms") (param $x f64) (param $y f64) (result f64)
    (local $t f64) (local $u f64) (local $p i32)
    (i32.const 8) (local.set $p)
    (f64.mul (local.get $x) (local.get $y))            ;; _LL, producer
    (f64.add (f64.const 1.5))                          ;; _K_ACC
    (f64.sub (local.get $y))                           ;; _L_ACC
    (local.tee $t)                                     ;; tee
    (f64.div (f64.const 3))
    (local.tee $u)
    (f64.mul (f64.load offset=16 (local.get $p)))      ;; _LM_ACC (p+16 = 24: 4.0)
    (f64.add (f64.load (i32.add (local.get $p) (i32.const 8))))   ;; _LKM_ACC (16: 3.0)
    (f64.sqrt)
    (f64.sqrt)
    (f64.mul (local.get $t))
    (local.set $u)
    (local.get $u) (local.get $x) (local.get $y)
    (f64.add (f64.add))                                ;; F64_ADD2
    (f64.add (local.get $t))
    (f64.mul (local.get $u)))
  (func (export "stores") (param $x f64) (result f64)
    (i32.const 40)
    (f64.mul (local.get $x) (local.get $x))
    (f64.add (f64.const 1))
    (f64.store)
    (i32.const 48)
    (f64.add (f64.load (i32.const 40)) (f64.const 0.5))
    (f64.mul (f64.load (i32.const 8)))
    (f64.store)
    (f64.add (f64.load (i32.const 40)) (f64.load (i32.const 48))))
)

(assert_return (invoke "join" (i32.const 1) (f64.const 5) (f64.const 9)) (f64.const 3))
(assert_return (invoke "join" (i32.const 0) (f64.const 8) (f64.const 9)) (f64.const 4))
(assert_return (invoke "loop" (i32.const 5) (f64.const 4)) (f64.const 7))
(assert_return (invoke "loop" (i32.const 1) (f64.const 3)) (f64.const 2.5))
(assert_return (invoke "call" (f64.const 2.5)) (f64.const 3.5))
(assert_return (invoke "arms" (i32.const 1) (f64.const 3)) (f64.const 60.25))
(assert_return (invoke "arms" (i32.const 0) (f64.const 3)) (f64.const 3.25))
(assert_return (invoke "forms" (f64.const 2) (f64.const 3)) (f64.const 134.7951720235695))
(assert_return (invoke "forms" (f64.const -1.5) (f64.const 0.75)) (f64.const 0.7528273761280777))
(assert_return (invoke "stores" (f64.const 3)) (f64.const 31))
(assert_return (invoke "stores" (f64.const -0.5)) (f64.const 4.75))
