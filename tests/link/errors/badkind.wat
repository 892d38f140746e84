(module (import "provider" "f" (global i32)))
