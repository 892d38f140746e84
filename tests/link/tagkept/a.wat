;; a: a tag no input provides (it stays an import of the output, before
;; every defined tag) and a tag of its own that b imports
(module
  (import "env" "boom" (tag $boom (param i32)))
  (tag $mine (export "mine") (param f64))
  (func (export "boom") (param i32) (throw $boom (local.get 0)))
  (func (export "throw_mine") (throw $mine (f64.const 1.5))))
