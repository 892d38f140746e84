;; the provider's memory has no maximum, the import wants one
(module (import "provider" "mem" (memory 1 1)))
