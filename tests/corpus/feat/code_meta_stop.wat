;; code_meta_stop.wat: two hand-written code metadata sections (of made-up
;; types) that break off where wasm-objdump's reader gives up on them, the
;; items before that shown. "metadata.code.dup": function 0 with items at
;; offsets 1 and 3, then function 1 whose third item repeats offset 2 (the
;; list stops before it). "metadata.code.short": function 1 declares three
;; items (no more than the bytes left) but holds one and a half. Built with
;; wat2wasm --enable-annotations: --enable-all drops these sections.
(module
  (func $first (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $second (param i32) (result i32)
    local.get 0
    i32.eqz
    i32.eqz)
  (@custom "metadata.code.dup"
    "\02"
    "\00\02" "\01\01\aa" "\03\01\bb"
    "\01\03" "\01\01\cc" "\02\01\dd" "\02\01\ee")
  (@custom "metadata.code.short"
    "\01"
    "\01\03" "\01\02\ff\ff" "\04"))
