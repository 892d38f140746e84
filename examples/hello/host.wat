;; host.wat: the host side of the hello example as a module of its own, for
;; static linking (docs/wlab-link.md). It imports the hello module's memory,
;; alloc and hello_from_c, provides imports.hello_from_js by writing the
;; greeting to stdout with WASI fd_write, and has a _start that greets "World".
;; The two modules import from each other: only a linker can fuse them
;; into one WASI command:
;;   wlab-link hello.wasm imports=host.wasm -o hello-linked.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "hello" "memory" (memory 1))
  (import "hello" "alloc" (func $alloc (param i32) (result i32)))
  (import "hello" "hello_from_c" (func $hello_from_c (param i32 i32)))

  ;; hello_from_js(ptr, len): write the text and a newline to stdout.
  (func $hello_from_js (export "hello_from_js") (param $ptr i32) (param $len i32)
    (local $iov i32)
    ;; iov[0] = text, iov[1] = "\n"; nwritten at +16; the newline byte at +20
    (local.set $iov (call $alloc (i32.const 24)))
    (if (i32.eqz (local.get $iov)) (then (unreachable)))
    (i32.store (local.get $iov) (local.get $ptr))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (i32.store8 offset=20 (local.get $iov) (i32.const 10))
    (i32.store offset=8 (local.get $iov) (i32.add (local.get $iov) (i32.const 20)))
    (i32.store offset=12 (local.get $iov) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 2)
                          (i32.add (local.get $iov) (i32.const 16)))))

  ;; _start: copy "World" into memory from hello's alloc and greet it.
  (func $start (export "_start")
    (local $name i32)
    (local.set $name (call $alloc (i32.const 5)))
    (if (i32.eqz (local.get $name)) (then (unreachable)))
    (i32.store8 (local.get $name) (i32.const 87))                ;; W
    (i32.store8 offset=1 (local.get $name) (i32.const 111))      ;; o
    (i32.store8 offset=2 (local.get $name) (i32.const 114))      ;; r
    (i32.store8 offset=3 (local.get $name) (i32.const 108))      ;; l
    (i32.store8 offset=4 (local.get $name) (i32.const 100))      ;; d
    (call $hello_from_c (local.get $name) (i32.const 5))))
