(module (import "x" "g" (global $g i32)) (export "g" (global $g)))
