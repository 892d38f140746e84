;; dylink_legacy.wat: the legacy "dylink" custom section (before dylink.0) of
;; a module that needs no other: its memory and table sizes and alignments,
;; then a needed-library count of 0. wasm-objdump -x prints no
;; needed_dynlibs line for an empty list (binaryen's test/dylib.wasm).
(module
  (@custom "dylink" "\10\02\01\00\00"))
