;; badrec: a's $node and $cons are one rec group; here $node stands alone
;; and $cons in a group of its own: the same structure, other types
;; (iso-recursive equivalence compares whole groups).
(module
  (type $node (struct (field i32) (field (ref null $node))))
  (type $cons (func (param i32 (ref null $node)) (result (ref $node))))
  (import "a" "cons" (func (type $cons))))
