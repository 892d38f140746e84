;; a: defines the tag $e (its second tag, so b's import of it moves) and
;; catches it around whatever b puts in a's table
(module
  (type $take (func (param i32)))
  (tag $first (param i64))
  (tag $e (export "e") (param i32))
  (table (export "tab") 2 funcref)
  (func (export "raise") (type $take) (throw $e (local.get 0)))
  (func (export "catch_tab") (param i32 i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (call_indirect (type $take) (local.get 0) (local.get 1)))
      (i32.const -1))))
