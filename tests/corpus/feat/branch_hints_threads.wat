;; branch_hints_threads.wat: branch_hints.wat with a shared memory (threads), so
;; that wasm-objdump 1.0.39 is its oracle; written by wat2wasm of wabt 1.0.39
;; (--enable-all) as a "metadata.code.branch_hint" section, for the corpus: an
;; imported function first, named and unnamed functions with locals, hints on
;; if and br_if, flat and folded (wabt hints a folded if's condition).
(module
  (import "env" "log" (func $log (param i32)))
  (memory 1 1 shared)
  (func $abs (export "abs") (param i32) (result i32)
    (local i64 i32)
    local.get 0
    i32.const 0
    i32.lt_s
    (@metadata.code.branch_hint "\00") if (result i32)
      i32.const 0
      local.get 0
      i32.sub
    else
      local.get 0
    end)
  (func (param i32)
    (block $out
      (loop $again
        (@metadata.code.branch_hint "\01")
        (br_if $out (i32.eqz (local.get 0)))
        (call $log (local.get 0))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $again))))
  (func $pick (export "pick") (param i32 i32) (result i32)
    (@metadata.code.branch_hint "\01")
    (if (result i32) (local.get 0)
      (then (local.get 1))
      (else
        local.get 1
        local.get 0
        (@metadata.code.branch_hint "\00") br_if 0
        drop
        i32.const 7))))
