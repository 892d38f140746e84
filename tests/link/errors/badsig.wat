(module (import "provider" "f" (func (param i64) (result i32))))
