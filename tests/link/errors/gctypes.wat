;; A module with a GC struct type, which wlab-link refused until it linked
;; GC types: now it links with provider, and two returns 2.
(module
  (type $point (struct (field i32) (field (mut i32))))
  (import "provider" "f" (func $f (param i32) (result i32)))
  (func (export "two") (result i32) (call $f (i32.const 2))))
