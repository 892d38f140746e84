;; badgctag: imports gctags/a's tag with a struct of another field type
;; (i64, not (mut i32)), and its table of (ref null $box) as a table of
;; structref: a tag's and a table's GC types must match exactly (tags and
;; tables are invariant), through the same type map as functions'.
(module
  (type $box (struct (field (mut i64))))
  (import "a" "boom" (tag (param (ref null $box) i32))))
