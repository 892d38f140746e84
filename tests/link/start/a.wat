;; a: start sets the shared state to 1
(module
  (global $state (export "state") (mut i32) (i32.const 0))
  (func $init (global.set $state (i32.const 1)))
  (start $init)
  (func (export "get") (result i32) (global.get $state)))
