;; b passes a's f on under another name
(module (import "a" "f" (func $f (result i32))) (export "g" (func $f)))
