;; spectest.wat: imports the spectest host module that wlab-run provides.
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global $g i32))
  (func (export "main") (call $print (global.get $g))))
