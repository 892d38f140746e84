;; strings.wat: string building with (array (mut i8)). Appends "item ",
;; the decimal digits of i * 7919 and ", " for i < N to a buffer that
;; doubles (array.new_default + array.copy) when full; every 64 items the
;; buffer's tail is copied out into an exact-length string (short-lived) and
;; hashed. run() returns an FNV-1a hash of the whole buffer mixed with
;; those. The size is the global $n (items).
(module
  (type $str (array (mut i8)))
  (global $n i32 (i32.const 100000)) ;; SIZE, small 700
  (global $buf (mut (ref null $str)) (ref.null $str))
  (global $len (mut i32) (i32.const 0))
  (data $item "item ")
  (data $sep ", ")

  (func $reserve (param $more i32)
    (local $cap i32) (local $new (ref null $str))
    (local.set $cap (array.len (global.get $buf)))
    (if (i32.gt_u (i32.add (global.get $len) (local.get $more)) (local.get $cap))
      (then
        (loop $grow
          (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))
          (br_if $grow (i32.gt_u (i32.add (global.get $len) (local.get $more)) (local.get $cap))))
        (local.set $new (array.new_default $str (local.get $cap)))
        (array.copy $str $str (local.get $new) (i32.const 0)
          (global.get $buf) (i32.const 0) (global.get $len))
        (global.set $buf (local.get $new)))))

  (func $append (param $s (ref $str))
    (call $reserve (array.len (local.get $s)))
    (array.copy $str $str (global.get $buf) (global.get $len)
      (local.get $s) (i32.const 0) (array.len (local.get $s)))
    (global.set $len (i32.add (global.get $len) (array.len (local.get $s)))))

  ;; the decimal digits of v (unsigned) as a new string
  (func $itoa (param $v i32) (result (ref $str))
    (local $tmp (ref $str)) (local $i i32) (local $out (ref $str))
    (local.set $tmp (array.new_default $str (i32.const 10)))
    (local.set $i (i32.const 10))
    (loop $digit
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (array.set $str (local.get $tmp) (local.get $i)
        (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digit (local.get $v)))
    (local.set $out (array.new_default $str (i32.sub (i32.const 10) (local.get $i))))
    (array.copy $str $str (local.get $out) (i32.const 0)
      (local.get $tmp) (local.get $i) (i32.sub (i32.const 10) (local.get $i)))
    (local.get $out))

  (func $fnv (param $s (ref $str)) (param $from i32) (param $to i32) (result i32)
    (local $h i32)
    (local.set $h (i32.const 0x811c9dc5))
    (block $end
      (loop $byte
        (br_if $end (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $h
          (i32.mul
            (i32.xor (local.get $h) (array.get_u $str (local.get $s) (local.get $from)))
            (i32.const 0x01000193)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $byte)))
    (local.get $h))

  (func (export "run") (result i32)
    (local $i i32) (local $mark i32) (local $mix i32) (local $piece (ref null $str))
    (local $item (ref $str)) (local $sep (ref $str))
    (global.set $buf (array.new_default $str (i32.const 16)))
    (global.set $len (i32.const 0))
    (local.set $item (array.new_data $str $item (i32.const 0) (i32.const 5)))
    (local.set $sep (array.new_data $str $sep (i32.const 0) (i32.const 2)))
    (loop $items
      (call $append (local.get $item))
      (call $append (call $itoa (i32.mul (local.get $i) (i32.const 7919))))
      (call $append (local.get $sep))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 63)))
        (then
          (local.set $piece
            (array.new_default $str (i32.sub (global.get $len) (local.get $mark))))
          (array.copy $str $str (local.get $piece) (i32.const 0)
            (global.get $buf) (local.get $mark) (i32.sub (global.get $len) (local.get $mark)))
          (local.set $mix
            (i32.add (i32.rotl (local.get $mix) (i32.const 7))
              (call $fnv (ref.as_non_null (local.get $piece)) (i32.const 0)
                (array.len (local.get $piece)))))
          (local.set $mark (global.get $len))))
      (br_if $items (i32.lt_u (local.get $i) (global.get $n))))
    (i32.xor (local.get $mix)
      (call $fnv (ref.as_non_null (global.get $buf)) (i32.const 0) (global.get $len)))))
