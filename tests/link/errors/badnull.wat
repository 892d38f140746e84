;; a's g_null is nullable: no subtype of a non-null (ref $bin)
(module
  (type $bin (func (param i32 i32) (result i32)))
  (import "a" "g_null" (global (ref $bin))))
