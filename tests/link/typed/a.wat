;; a: typed function references in its exports' types: a (ref $bin) global,
;; a nullable one, a table of (ref null $bin), a function taking (ref $bin)
(module
  (type $un (func (param i32) (result i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $bin) (i32.mul (local.get 0) (local.get 1)))
  (global (export "g_add") (ref $bin) (ref.func $add))
  (global (export "g_null") (ref null $bin) (ref.null $bin))
  (table (export "tab") 2 (ref null $bin))
  (elem (table 0) (i32.const 0) (ref null $bin) (ref.func $mul))
  (func (export "apply") (param $f (ref $bin)) (param i32 i32) (result i32)
    (call_ref $bin (local.get 1) (local.get 2) (local.get $f))))
