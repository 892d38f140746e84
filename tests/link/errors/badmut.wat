(module (import "provider" "g" (global (mut i32))))
