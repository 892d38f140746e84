;; gctags: a exports a tag whose parameter is a GC struct reference, a
;; table of struct references and a table of anyref; b imports them with its
;; types at other indices, so that wlab-link must map the tag's and the
;; tables' types through the same type map as functions' (b's $box is 2
;; there, 0 linked). A wrong map gives a tag or table type that does not
;; match, or a struct.get of the wrong type.
(module
  (type $box (struct (field (mut i32))))
  (type $pair (struct (field (ref null $box)) (field i64)))
  (tag $boom (export "boom") (param (ref null $box) i32))
  (table $boxes (export "boxes") 4 (ref null $box))
  (table $any (export "any") 2 anyref)
  (func (export "throw_box") (param i32)
    (throw $boom (struct.new $box (local.get 0)) (i32.const 3)))
  (func (export "put") (param i32 i32)
    (table.set $boxes (local.get 0) (struct.new $box (local.get 1))))
  (func (export "get") (param i32) (result i32)
    (struct.get $box 0 (ref.as_non_null (table.get $boxes (local.get 0)))))
  (func (export "mkpair") (param i32) (result (ref $pair))
    (struct.new $pair (struct.new $box (local.get 0)) (i64.const 5))))
