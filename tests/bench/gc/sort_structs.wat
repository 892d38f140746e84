;; sort_structs.wat: array-heavy code. An array of N structs {key, id} with
;; pseudo-random keys, sorted by key (ties by id) with heap sort, in rounds
;; (each round perturbs the keys and sorts again). run() returns a checksum
;; of the ids in sorted order. The size is the global $n (elements; 8 rounds).
(module
  (type $item (struct (field $key (mut i32)) (field $id i32)))
  (type $items (array (mut (ref null $item))))
  (global $n i32 (i32.const 20000)) ;; SIZE, small 300
  (global $rounds i32 (i32.const 8))

  ;; a < b: key, then id
  (func $less (param $a (ref null $item)) (param $b (ref null $item)) (result i32)
    (local $ka i32) (local $kb i32)
    (local.set $ka (struct.get $item $key (local.get $a)))
    (local.set $kb (struct.get $item $key (local.get $b)))
    (if (result i32) (i32.ne (local.get $ka) (local.get $kb))
      (then (i32.lt_u (local.get $ka) (local.get $kb)))
      (else (i32.lt_u (struct.get $item $id (local.get $a))
                      (struct.get $item $id (local.get $b))))))

  (func $sift (param $a (ref $items)) (param $root i32) (param $end i32)
    (local $child i32) (local $tmp (ref null $item))
    (block $done
      (loop $down
        (local.set $child (i32.add (i32.shl (local.get $root) (i32.const 1)) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $child) (local.get $end)))
        (if (i32.lt_u (i32.add (local.get $child) (i32.const 1)) (local.get $end))
          (then
            (if (call $less (array.get $items (local.get $a) (local.get $child))
                            (array.get $items (local.get $a)
                              (i32.add (local.get $child) (i32.const 1))))
              (then (local.set $child (i32.add (local.get $child) (i32.const 1)))))))
        (br_if $done (i32.eqz
          (call $less (array.get $items (local.get $a) (local.get $root))
                      (array.get $items (local.get $a) (local.get $child)))))
        (local.set $tmp (array.get $items (local.get $a) (local.get $root)))
        (array.set $items (local.get $a) (local.get $root)
          (array.get $items (local.get $a) (local.get $child)))
        (array.set $items (local.get $a) (local.get $child) (local.get $tmp))
        (local.set $root (local.get $child))
        (br $down))))

  (func $heapsort (param $a (ref $items))
    (local $len i32) (local $i i32) (local $tmp (ref null $item))
    (local.set $len (array.len (local.get $a)))
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (block $built
      (loop $build
        (br_if $built (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (call $sift (local.get $a) (local.get $i) (local.get $len))
        (br $build)))
    (local.set $i (local.get $len))
    (block $sorted
      (loop $pop
        (br_if $sorted (i32.le_u (local.get $i) (i32.const 1)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $tmp (array.get $items (local.get $a) (i32.const 0)))
        (array.set $items (local.get $a) (i32.const 0)
          (array.get $items (local.get $a) (local.get $i)))
        (array.set $items (local.get $a) (local.get $i) (local.get $tmp))
        (call $sift (local.get $a) (i32.const 0) (local.get $i))
        (br $pop))))

  (func (export "run") (result i32)
    (local $a (ref null $items)) (local $i i32) (local $x i32) (local $r i32)
    (local $s i32) (local $it (ref null $item))
    (local.set $a (array.new_default $items (global.get $n)))
    (local.set $x (i32.const 42))
    (loop $fill
      (local.set $x
        (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (array.set $items (local.get $a) (local.get $i)
        (struct.new $item (i32.shr_u (local.get $x) (i32.const 8)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (global.get $n))))
    (loop $round
      (call $heapsort (ref.as_non_null (local.get $a)))
      ;; checksum of this round's order, then perturb every key
      (local.set $i (i32.const 0))
      (loop $scan
        (local.set $it (array.get $items (local.get $a) (local.get $i)))
        (local.set $s
          (i32.add (i32.mul (local.get $s) (i32.const 31)) (struct.get $item $id (local.get $it))))
        (local.set $x
          (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
        (struct.set $item $key (local.get $it)
          (i32.xor (struct.get $item $key (local.get $it))
            (i32.shr_u (local.get $x) (i32.const 12))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $scan (i32.lt_u (local.get $i) (global.get $n))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (global.get $rounds))))
    (local.get $s)))
