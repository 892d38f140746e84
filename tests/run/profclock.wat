;; profclock.wat: --profile-clock cpu|wall (tests/run/profile.py): main(n)
;; calls cold, a short loop, then spin, a loop of n rounds that takes nearly
;; all the run's time; trap(n) spins, then divides by zero in boom.
(module
  (func $spin (param $n i32) (result i32) (local $acc i32)
    (block
      (loop
        local.get $n
        i32.eqz
        br_if 1
        local.get $acc
        local.get $n
        i32.xor
        i32.const 3
        i32.mul
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br 0))
    local.get $acc)
  (func $cold (result i32)
    i32.const 1000
    call $spin)
  (func $boom (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u)
  (func (export "main") (param $n i32) (result i32)
    call $cold
    local.get $n
    call $spin
    i32.add)
  (func (export "trap") (param $n i32) (result i32)
    local.get $n
    call $spin
    call $boom))
