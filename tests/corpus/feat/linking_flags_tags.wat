;; linking_flags_tags.wat: the linking section of linking_flags.wat in a
;; module beyond 2.0 (a tag), so wasm-objdump 1.0.39 is the oracle, which
;; also names RETAIN (0x4) and abs (0x200), prints an absolute data symbol's
;; offset as address=N, and names each init function's symbol. Symbols: two
;; functions, a data symbol (binding 3, hidden), an absolute data symbol at
;; 1024, a tag (kind 4); segments: RETAIN, TLS and 0x8, RETAIN and 0x8.
(module
  (memory 1)
  (tag $boom)
  (func $ctor)
  (func $main (result i32) i32.const 0)
  (data (i32.const 16) "abcd")
  (data (i32.const 32) "efgh")
  (data (i32.const 48) "ijkl")
  (@custom "linking" (after data)
    "\02"
    "\08\30\05\00\01\00\04ctor\00\08\01\04main\01\07\04blob\01\02\02\01\80\04\05fixed\00\80\08\00\04\00\00\04boom"
    "\05\10\03\02s\30\02\04\02s\31\00\0a\02s\32\03\0c"
    "\06\05\02\0a\00\14\01"))
