;; tag_names.wat: tags named by the name section in a module beyond 2.0
;; (exceptions, so wasm-objdump 1.0.39 is the oracle). The name section is
;; written out by hand: function names (1), a field-name map (10: type 0
;; field 0 "x", which 1.0.39 skips and 1.0.32 would read as tag names) and
;; tag names (11: an imported tag, two defined ones; tag 2 keeps no name).
;; -x lists subsection 11 as tag[N], -d names a throw's tag.
(module
  (import "env" "oops" (tag $imported (param i32)))
  (tag $overflow (param i64))
  (tag (param f32))
  (tag $empty)
  (func $raise (export "raise") (param i32)
    local.get 0
    i32.eqz
    if
      throw $empty
    end
    local.get 0
    i32.const 7
    i32.eq
    if
      f32.const 1.5
      throw 2
    end
    local.get 0
    i64.extend_i32_u
    throw $overflow)
  (func (param i32)
    local.get 0
    throw $imported)
  (@custom "name"
    "\01\08\01\01\05raise"
    "\0a\06\01\00\01\00\01x"
    "\0b\1b\03\00\07oops_in\01\08overflow\03\05empty"))
