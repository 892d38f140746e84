;; a: an immutable and a mutable global, exported
(module
  (global $k (export "k") i32 (i32.const 40))
  (global $big (export "big") i64 (i64.const 0x100000000))
  (global $counter (export "counter") (mut i32) (i32.const 100))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter)))
