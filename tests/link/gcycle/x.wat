;; x.a is initialised from y.b, and y.b from x.a: a global that reads itself
(module (import "y" "b" (global $b i32)) (global (export "a") i32 (global.get $b)))
