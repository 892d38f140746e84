;; casts: a exports a function of type $r, which b imports; linked, a's
;; types come first, so every type index of b moves.
(module
  (type $r (func (result i32)))
  (func $seven (export "seven") (type $r) (i32.const 7)))
