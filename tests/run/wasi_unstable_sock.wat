;; wasi_unstable_sock.wat: imports sock_accept from "wasi_unstable", which
;; snapshot 0 does not have (preview1 added it): it gets a stub.
(module
  (import "wasi_unstable" "sock_accept" (func $a (param i32 i32 i32) (result i32)))
  (func (export "f") (result i32) (call $a (i32.const 3) (i32.const 0) (i32.const 0))))
