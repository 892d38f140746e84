;; profile.wat: a known call structure for --profile (tests/run/profile.py):
;; main(n) calls loop(n), which calls leaf n times, then leaf once; fib(k)
;; recurses; tail(n) return_calls leaf, so leaf replaces it in the stack.
(module
  (func $leaf (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $loop (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block
      (loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        local.get $acc
        call $leaf
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0))
    local.get $acc)
  (func $fib (param $k i32) (result i32)
    local.get $k
    i32.const 2
    i32.lt_u
    if (result i32)
      local.get $k
    else
      local.get $k
      i32.const 1
      i32.sub
      call $fib
      local.get $k
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end)
  (func $tail (param i32) (result i32)
    local.get 0
    return_call $leaf)
  (func $boom (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u)
  (func (export "main") (param $n i32) (result i32)
    local.get $n
    call $loop
    i32.const 3
    call $leaf
    i32.add
    i32.const 5
    call $tail
    i32.add)
  (func (export "fib") (param i32) (result i32)
    local.get 0
    call $fib)
  (func (export "trap") (param i32) (result i32)
    local.get 0
    call $leaf
    call $boom)
  (memory 1)
  (func (export "fill") (param $n i32)
    i32.const 0
    i32.const 7
    local.get $n
    memory.fill))
