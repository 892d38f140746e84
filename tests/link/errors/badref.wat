;; a's g_add is a (ref $bin): a (ref $un) is another function type
(module
  (type $un (func (param i32) (result i32)))
  (import "a" "g_add" (global (ref $un))))
