;; linking_abs.wat: a WebAssembly 2.0 module (wasm-objdump 1.0.32 is the
;; oracle) whose hand-written linking section has an absolute data symbol
;; (flags 0x200, WASM_SYM_ABSOLUTE). 1.0.32 knows symbol flags only up to
;; 0x1ff: it gives up on the section there, after " offset=1024 size=0" and
;; before the flags, with no newline (the next section's listing follows on
;; that line), and shows neither segment info nor init functions.
(module
  (memory 1)
  (func $ctor)
  (func $main (result i32) i32.const 0)
  (data (i32.const 16) "abcd")
  (data (i32.const 32) "efgh")
  (data (i32.const 48) "ijkl")
  (@custom "linking" (after data)
    "\02"
    "\08\28\04\00\01\00\04ctor\00\08\01\04main\01\07\04blob\01\02\02\01\80\04\05fixed\00\80\08\00"
    "\05\10\03\02s\30\02\04\02s\31\00\0a\02s\32\03\0c"
    "\06\05\02\0a\00\14\01"))
