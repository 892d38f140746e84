;; A module with a GC struct type: wlab-link refuses it (with --enable-gc it
;; decodes; the linker merges function types only).
(module
  (type $point (struct (field i32) (field (mut i32))))
  (import "provider" "f" (func $f (param i32) (result i32)))
  (func (export "two") (result i32) (call $f (i32.const 2))))
