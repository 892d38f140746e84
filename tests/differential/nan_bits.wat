;; nan_bits.wat: the kinds of difference diff_exec.py explains as NaN bits
;; (docs/fuzzing.md), each as small as a -ttf module gave it. The spec
;; leaves free the sign of every NaN an arithmetic instruction returns, and
;; its payload when an operand is a non-canonical NaN (any arithmetic NaN;
;; numerics, "NaN propagation"). binaryen's interpreter returns the canonical
;; NaN (0x7ff8000000000000, 0x7fc00000); x86, hence V8 and wlab-run, the
;; operand's NaN with its sign, quieted; but V8's min and max the canonical
;; NaN with the sign bit set (x86's default NaN). All are allowed.
;;
;;   wasm-as nan_bits.wat -o nan_bits.wasm       (or wlab-wat)
;;   wasm-opt nan_bits.wasm --fuzz-exec-before   reinterpret: 0 2146959360, copysign: 2,
;;                                               min: 2143289344 (0x7fc00000)
;;   wlab-run --fuzzing-support nan_bits.wasm    reinterpret: -315832 -1, copysign: -2,
;;                                               min: -23983 (0xffffa251)
;;   V8 (v8_exec.mjs node)                       as wlab-run but min: -4194304 (0xffc00000)
(module
  (import "fuzzing-support" "log-i64" (func $log-i64 (param i64)))
  (import "fuzzing-support" "log-f64" (func $log-f64 (param f64)))
  (import "fuzzing-support" "log-i32" (func $log-i32 (param i32)))
  ;; ref-types-42's func_27: a NaN's bits read back as an i64
  (func (export "reinterpret")
    (call $log-i64
      (i64.reinterpret_f64
        (f64.sub (f64.const -nan:0xffffffffb2e48) (f64.const 4294967228)))))
  ;; mvp-150's func: a NaN's sign copied onto a number
  (func (export "copysign")
    (call $log-f64
      (f64.copysign (f64.const 2)
        (f64.add (f64.const 0) (f64.const -nan:0xfffffffffff8d)))))
  ;; mvp-918's func_10: a min's NaN stored, then read as part of an f64
  (func (export "min")
    (call $log-i32
      (i32.reinterpret_f32
        (f32.min (f32.const -nan:0x7fa251) (f32.const -nan:0x7ffff9))))))
