;; x re-exports y's g, y re-exports x's g: the chain never reaches a definition
(module (import "y" "g" (global $g i32)) (export "g" (global $g)))
