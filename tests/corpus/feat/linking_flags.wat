;; linking_flags.wat: a hand-written "linking" section (tool-conventions
;; Linking.md) in a WebAssembly 2.0 module, so wasm-objdump 1.0.32 is the
;; oracle: symbol flags with a bit wabt does not name (0x8: unknown_flags=0x8)
;; and a binding of 3 (no name: wabt prints "(null)"), data segment flags
;; RETAIN (0x4) and 0x8 that 1.0.32 shows as unknown_flags, an init function.
;; Subsections: symbol table (8), segment info (5), init functions (6).
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $ctor)
  (func $main (result i32) i32.const 0)
  (data (i32.const 16) "abcd")
  (data (i32.const 32) "efgh")
  (data (i32.const 48) "ijkl")
  (@custom "linking" (after data)
    "\02"
    "\08\21\04\00\01\00\04ctor\00\08\01\04main\01\07\04blob\01\02\02\02\02\00\02gv"
    "\05\10\03\02s\30\02\04\02s\31\00\0a\02s\32\03\01"
    "\06\03\01\0a\00"))
