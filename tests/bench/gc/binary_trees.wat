;; binary_trees.wat: the benchmarks game's binary trees on GC structs.
;; A stretch tree of depth N+1, a long-lived tree of depth N kept to the end,
;; then for each depth d = 4, 6, .. N, 2^(N-d+4) trees of depth d built and
;; walked. run() returns a checksum of every node count.
;; The size is the global $n (scripts/bench-gc.sh, tests/bench/gc_check.py).
(module
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (global $n i32 (i32.const 14)) ;; SIZE, small 6

  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        (struct.new $node
          (call $make (i32.sub (local.get $d) (i32.const 1)))
          (call $make (i32.sub (local.get $d) (i32.const 1)))))))

  (func $check (param $t (ref $node)) (result i32)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $l (local.get $t)))
    (if (result i32) (ref.is_null (local.get $l))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add
            (call $check (ref.as_non_null (local.get $l)))
            (call $check (ref.as_non_null (struct.get $node $r (local.get $t)))))))))

  (func (export "run") (result i32)
    (local $sum i32) (local $long (ref null $node)) (local $d i32)
    (local $iters i32) (local $i i32) (local $c i32)
    (local.set $sum
      (call $check (call $make (i32.add (global.get $n) (i32.const 1)))))
    (local.set $long (call $make (global.get $n)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (global.get $n)))
        (local.set $iters
          (i32.shl (i32.const 1)
            (i32.add (i32.sub (global.get $n) (local.get $d)) (i32.const 4))))
        (local.set $c (i32.const 0))
        (local.set $i (i32.const 0))
        (loop $trees
          (local.set $c
            (i32.add (local.get $c) (call $check (call $make (local.get $d)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_s (local.get $i) (local.get $iters))))
        (local.set $sum
          (i32.add (i32.mul (local.get $sum) (i32.const 31)) (local.get $c)))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i32.add (i32.mul (local.get $sum) (i32.const 31))
      (call $check (ref.as_non_null (local.get $long))))))
