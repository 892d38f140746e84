;; a's tag e carries an i32: a tag matches only an equivalent type
(module (import "a" "e" (tag (param i64))))
