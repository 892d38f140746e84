;; xref.wat: cross references for tests/explore/xref.py.
;; funcs: 0 env.imp (import), 1 a (exports a, a2), 2 b, 3 the start function
(module
  (type $t (func (param i32) (result i32)))
  (import "env" "imp" (func $imp (param i32) (result i32)))
  (table 4 funcref)
  (global $g funcref (ref.func $b))
  (func $a (export "a") (export "a2") (param i32) (result i32)
    local.get 0 call $b call $imp
    i32.const 0 call_indirect (type $t))
  (func $b (param i32) (result i32)
    local.get 0 call $b drop ref.func $a drop local.get 0 call $imp)
  (func $s i32.const 1 call $a i32.const 2 call $b i32.add drop)
  (start $s)
  (elem (i32.const 0) $a $b $a)
  (elem funcref (ref.func $b) (ref.null func))
  (elem declare func $a)
)
