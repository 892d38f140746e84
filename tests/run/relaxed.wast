;; relaxed.wast: `either` results, read from .wast and from wast2json's JSON
;; (cli.sh); the last command must fail: none of its alternatives is ours.
(module
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))
(assert_return
  (invoke "madd" (v128.const f32x4 2 2 2 2) (v128.const f32x4 3 3 3 3) (v128.const f32x4 1 1 1 1))
  (v128.const f32x4 7 7 7 7))
(assert_return
  (invoke "swizzle" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
                    (v128.const i8x16 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23))
  (either (v128.const i8x16 1 2 2 3 3 4 4 5 5 6 6 7 7 8 8 9)
          (v128.const i8x16 1 0 2 0 3 0 4 0 5 0 6 0 7 0 8 0)))
(assert_return
  (invoke "swizzle" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
                    (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16))
  (either (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)
          (v128.const i8x16 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2)))
