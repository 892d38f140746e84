(module (import "provider" "nothere" (func)))
