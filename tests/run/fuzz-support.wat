;; wlab-run --fuzzing-support's imports beyond logging (tests/run/cli.sh):
;; an imported externref global (payload: its names' characters summed mod
;; 251), throw of wasmtag and of a JS exception, table-get in and out of
;; bounds, call-export-catch of an export that is not there; the table
;; export prints nothing (binaryen shows functions and globals only).
;; binaryen 132's wasm-opt --fuzz-exec-before prints the same lines.
(module
  (import "fuzzing-support" "log-i32" (func $log (param i32)))
  (import "fuzzing-support" "log-externref" (func $logx (param externref)))
  (import "fuzzing-support" "throw" (func $throw (param i32)))
  (import "fuzzing-support" "table-get" (func $tget (param i32) (result funcref)))
  (import "fuzzing-support" "call-export-catch" (func $cec (param i32) (result i32)))
  (import "fuzzing-support" "wasmtag" (tag $wt (param i32)))
  (import "__fuzz_import" "extern$" (global $g externref))
  (table (export "table") 2 funcref)
  (func (export "f")
    (call $logx (global.get $g))
    (try (do (call $throw (i32.const 7))) (catch $wt (call $log)))
    (try (do (call $throw (i32.const 0))) (catch_all (call $log (i32.const -1))))
    (try (do (drop (call $tget (i32.const 5)))) (catch_all (call $log (i32.const -2))))
    (call $log (ref.is_null (call $tget (i32.const 1))))
    (call $log (call $cec (i32.const 99))))
  (func (export "g") (call $throw (i32.const 3))))
