;; b: throws a's tag (imported) for a to catch, catches a's throws with
;; try_table and legacy try/catch, has a tag of its own, re-exports a's
(module
  (type $take (func (param i32)))
  (import "a" "e" (tag $e (param i32)))
  (import "a" "tab" (table 2 funcref))
  (import "a" "raise" (func $raise (type $take)))
  (import "a" "catch_tab" (func $catch_tab (param i32 i32) (result i32)))
  (tag $own (param i32 i32))
  (export "e" (tag $e))
  (elem (i32.const 0) $throw_e $throw_own)
  (func $throw_e (type $take) (throw $e (i32.add (local.get 0) (i32.const 100))))
  (func $throw_own (type $take) (throw $own (local.get 0) (local.get 0)))
  ;; b throws a's tag, a catches it
  (func (export "a_catches") (param i32) (result i32)
    (call $catch_tab (local.get 0) (i32.const 0)))
  ;; a throws, b catches
  (func (export "b_catches") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $raise (local.get 0)))
      (i32.const -1)))
  (func (export "legacy") (param i32) (result i32)
    (try (result i32)
      (do (call $raise (local.get 0)) (i32.const -1))
      (catch $e (i32.mul (i32.const 2)))))
  ;; try_table with block types: a type index (param i32) (result i32), whose
  ;; index moves, and one value type
  (func (export "tt_typed") (param i32) (result i32)
    (block $h (result i32)
      (i32.add (local.get 0) (i32.const 1000))
      (try_table (param i32) (result i32) (catch $e $h)
        (call $raise) (i32.const -1))))
  (func (export "tt_value") (param i32) (result i32)
    (block $h
      (return (try_table (result i32) (catch_all $h)
        (if (local.get 0) (then (call $raise (local.get 0))))
        (i32.const 7))))
    (i32.const 8))
  ;; b's own tag passes through a's handler for $e; b catches it by tag
  (func (export "own_escapes") (param i32) (result i32)
    (block $h (result i32 i32)
      (try_table (catch $own $h) (drop (call $catch_tab (local.get 0) (i32.const 1))))
      (return (i32.const -1)))
    (i32.add)))
