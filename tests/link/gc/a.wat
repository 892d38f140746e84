;; gc: a defines a rec group (a list node and the function type that builds
;; one), a supertype and a subtype, and a byte array; b defines the same rec
;; group, the same supertype and a struct $holder of a $bytes at other
;; indices ($holder names a type outside its group: equal when that one is). Linked, b's copies are
;; deduplicated into a's (iso-recursive equivalence), and b's import of dbl
;; as $base is satisfied by a's dbl of type $derived, a declared subtype.
(module
  (rec
    (type $node (struct (field i32) (field (ref null $node))))
    (type $cons (func (param i32 (ref null $node)) (result (ref $node)))))
  (type $base (sub (func (param i32) (result i32))))
  (type $derived (sub $base (func (param i32) (result i32))))
  (type $bytes (array (mut i8)))
  (type $holder (struct (field (ref null $bytes))))
  (global $last (export "last") (mut (ref null $node)) (ref.null $node))
  (func $cons (export "cons") (type $cons)
    (global.set $last (struct.new $node (local.get 0) (local.get 1)))
    (ref.as_non_null (global.get $last)))
  (func (export "sum") (param $l (ref null $node)) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $node 0 (local.get $l))))
        (local.set $l (struct.get $node 1 (local.get $l)))
        (br $next)))
    (local.get $s))
  (func (export "dbl") (type $derived) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "held_len") (param (ref null $holder)) (result i32)
    (array.len (struct.get $holder 0 (local.get 0))))
  (func (export "bytes") (param i32) (result (ref $bytes))
    (array.new $bytes (i32.const 9) (local.get 0))))
