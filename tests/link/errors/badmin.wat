;; the provider's table has 2 elements, the import wants at least 5
(module (import "provider" "tab" (table 5 funcref)))
