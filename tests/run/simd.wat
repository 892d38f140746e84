;; simd.wat: v128 arguments and results (two words each in the runtime API).
(module
  (func (export "add4") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "lane") (param i32 v128 i64) (result i64 v128 i32)
    (i64.add (local.get 2) (i64x2.extract_lane 1 (local.get 1)))
    (local.get 1)
    (local.get 0)))
