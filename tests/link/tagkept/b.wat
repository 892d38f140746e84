;; b: the same env.boom (one import in the output) and a's tag, with the
;; legacy instructions only (so that Node 20 runs the output too)
(module
  (import "env" "boom" (tag $boom (param i32)))
  (import "a" "mine" (tag $mine (param f64)))
  (import "a" "throw_mine" (func $throw_mine))
  (func (export "catch_mine") (result f64)
    (try (result f64) (do (call $throw_mine) (f64.const -1)) (catch $mine)))
  (func (export "b_boom") (param i32)
    (try (do (throw $boom (local.get 0))) (delegate 0))))
