;; churn.wat: many short-lived structs beside a long-lived core. The core is
;; an array of 4096 structs alive for the whole run; each step allocates a
;; chain of 4 short-lived structs, walks it, adds its sum into one core
;; struct, and every 16th step replaces that core struct with a new one, so
;; the old core dies young or old. run() returns a checksum of the core.
;; The size (steps) is the global $n (scripts/bench-gc.sh, tests/bench/gc_check.py).
(module
  (type $obj (struct (field $v (mut i32)) (field $next (ref null $obj))))
  (type $core (array (mut (ref null $obj))))
  (global $n i32 (i32.const 500000)) ;; SIZE, small 3000
  (global $k i32 (i32.const 4096))

  (func (export "run") (result i32)
    (local $core (ref null $core)) (local $i i32) (local $j i32) (local $x i32)
    (local $t (ref null $obj)) (local $s i32) (local $idx i32) (local $o (ref null $obj))
    (local.set $core (array.new_default $core (global.get $k)))
    (loop $fill
      (array.set $core (local.get $core) (local.get $i)
        (struct.new $obj (local.get $i) (ref.null $obj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (global.get $k))))
    (local.set $x (i32.const 12345))
    (local.set $i (i32.const 0))
    (loop $step
      ;; x = x * 1103515245 + 12345
      (local.set $x
        (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $t (ref.null $obj))
      (local.set $j (i32.const 0))
      (loop $chain
        (local.set $t
          (struct.new $obj (i32.add (local.get $x) (local.get $j)) (local.get $t)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $chain (i32.lt_u (local.get $j) (i32.const 4))))
      (local.set $s (i32.const 0))
      (block $end
        (loop $walk
          (br_if $end (ref.is_null (local.get $t)))
          (local.set $s
            (i32.xor (i32.rotl (local.get $s) (i32.const 5))
              (struct.get $obj $v (local.get $t))))
          (local.set $t (struct.get $obj $next (local.get $t)))
          (br $walk)))
      (local.set $idx
        (i32.and (i32.shr_u (local.get $x) (i32.const 16))
          (i32.sub (global.get $k) (i32.const 1))))
      (local.set $o (array.get $core (local.get $core) (local.get $idx)))
      (struct.set $obj $v (local.get $o)
        (i32.add (struct.get $obj $v (local.get $o)) (local.get $s)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 15)))
        (then
          (array.set $core (local.get $core) (local.get $idx)
            (struct.new $obj (i32.xor (struct.get $obj $v (local.get $o)) (local.get $s))
              (ref.null $obj)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $step (i32.lt_u (local.get $i) (global.get $n))))
    (local.set $s (i32.const 0))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $s
        (i32.add (i32.mul (local.get $s) (i32.const 31))
          (struct.get $obj $v (array.get $core (local.get $core) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $i) (global.get $k))))
    (local.get $s)))
