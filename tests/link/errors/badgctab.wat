;; badgctab: imports gctags/a's table of (ref null $box) as a table of
;; (ref null struct): a supertype, but table types are invariant.
(module
  (import "a" "boxes" (table 4 (ref null struct))))
