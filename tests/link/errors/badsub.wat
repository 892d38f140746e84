;; badsub: imports a's dbl as a final (func (param i32) (result i32)): the
;; same structure as a's $derived, but $derived declares a supertype and is
;; not final, so it is neither that type nor a subtype of it.
(module
  (import "a" "dbl" (func (param i32) (result i32))))
