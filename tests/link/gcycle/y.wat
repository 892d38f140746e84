(module (import "x" "a" (global $a i32)) (global (export "b") i32 (global.get $a)))
