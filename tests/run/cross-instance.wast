;; cross-instance.wast: calls and returns between instances, each with its
;; own memory. A return to a caller of the callee's instance restores the
;; caller's frame only; one to a caller in another instance also loads the
;; caller's instance and memory 0 (rt_exec.c: RT_FRAME_CHECK, marked in the
;; caller's frame by a call or tail call that changes instance). Each test
;; reads memory after the call returns: a return that kept the callee's
;; memory reads the other module's bytes.
(module $A
  (memory (export "mem") 1)
  (data (i32.const 0) "\0a\00\00\00")
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $a_read $a_chain)
  ;; reads A's memory
  (func $a_read (export "read") (result i32) (i32.load (i32.const 0)))
  ;; A calls within A (no change of instance), then reads
  (func $a_chain (export "chain") (result i32)
    (i32.add (call $a_read) (i32.load (i32.const 0))))
  ;; a tail call within A
  (func (export "tail_read") (result i32) (return_call $a_read)))
(register "A" $A)

(module $B
  (import "A" "read" (func $a_read (result i32)))
  (import "A" "chain" (func $a_chain (result i32)))
  (import "A" "tail_read" (func $a_tail_read (result i32)))
  (import "A" "tab" (table 2 funcref))
  (memory 1)
  (data (i32.const 0) "\64\00\00\00")
  (type $r (func (result i32)))
  (func $b_read (result i32) (i32.load (i32.const 0)))
  ;; a direct call into A: B's memory read after it (100 + 10)
  (func (export "direct") (result i32)
    (i32.add (call $a_read) (i32.load (i32.const 0))))
  ;; A calls within itself before returning to B (10 + 10 + 100)
  (func (export "nested") (result i32)
    (i32.add (call $a_chain) (i32.load (i32.const 0))))
  ;; call_indirect through A's table into A (10 + 100)
  (func (export "indirect") (result i32)
    (i32.add (call_indirect (type $r) (i32.const 0)) (i32.load (i32.const 0))))
  ;; into A, whose function tail-calls within A (10 + 100)
  (func (export "into_tail") (result i32)
    (i32.add (call $a_tail_read) (i32.load (i32.const 0))))
  ;; B's function tail-calls into A: its caller, in B, reads B's memory (10 + 100)
  (func $b_tail_to_a (result i32) (return_call $a_read))
  (func (export "tail_out") (result i32)
    (i32.add (call $b_tail_to_a) (i32.load (i32.const 0))))
  ;; twice in a row, then B's own function (10 + 10 + 100 + 100)
  (func (export "mixed") (result i32)
    (i32.add
      (i32.add (call $a_read) (call_indirect (type $r) (i32.const 0)))
      (i32.add (call $b_read) (i32.load (i32.const 0))))))

(assert_return (invoke "direct") (i32.const 110))
(assert_return (invoke "nested") (i32.const 120))
(assert_return (invoke "indirect") (i32.const 110))
(assert_return (invoke "into_tail") (i32.const 110))
(assert_return (invoke "tail_out") (i32.const 110))
(assert_return (invoke "mixed") (i32.const 220))
;; a tail call of a host function: its return goes to the tail caller's
;; caller, whose memory is read after it (100 + 100)
(module $E
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory 1)
  (data (i32.const 0) "\64\00\00\00")
  (func $tail_print (param i32) (return_call $print (local.get 0)))
  (func (export "tail_host") (result i32)
    (call $tail_print (i32.load (i32.const 0)))
    (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 0)))))
(assert_return (invoke "tail_host") (i32.const 200))
;; a trap in A under a call from B: the backtrace crosses the marked frame
(module $C
  (import "A" "mem" (memory 1))
  (func $oob (result i32) (i32.load (i32.const 70000)))
  (func (export "trap") (result i32) (call $oob)))
(register "C" $C)
(module $D
  (import "C" "trap" (func $trap (result i32)))
  (memory 1)
  (func (export "d") (result i32) (i32.add (call $trap) (i32.load (i32.const 0)))))
(assert_trap (invoke "d") "out of bounds memory access")
