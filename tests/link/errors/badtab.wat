;; a's table holds (ref null $bin): a table type matches only an equal one,
;; so funcref (a supertype) does not
(module (import "a" "tab" (table 2 funcref)))
