;; threads_run.wast: the threads proposal's (thread ...) and (wait ...) with
;; real concurrency (run by cli.sh). Each check fails if the threads do not
;; run at once, if atomics are not atomic across host threads, or if wait
;; and notify do not reach each other. Line numbers matter to cli.sh.
(module $Mem (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

;; A handshake only concurrency can finish: T1 sets 0 then spins until 4;
;; T2 spins until 0, then sets 4 (run one after the other, either spins forever).
(thread $P1 (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (result i32)
      (i32.atomic.store (i32.const 0) (i32.const 1))
      (loop (br_if 0 (i32.eqz (i32.atomic.load (i32.const 4)))))
      (i32.atomic.load (i32.const 4))))
  (assert_return (invoke "run") (i32.const 7)))
(thread $P2 (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (loop (br_if 0 (i32.eqz (i32.atomic.load (i32.const 0)))))
      (i32.atomic.store (i32.const 4) (i32.const 7))))
  (invoke "run"))
(wait $P1)
(wait $P2)

;; Two threads add to one word and to two neighbouring halfwords at once:
;; a lost update or a clobbered neighbour shows in the sums.
(module definition $Adder (memory (import "mem" "shared") 1 1 shared)
  (func (export "add") (param $at i32) (param $n i32)
    (loop
      (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
      (drop (i32.atomic.rmw16.add_u (local.get $at) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 32) (i64.const 3)))
      (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
(thread $A1 (shared (module $Mem)) (shared (module $Adder)) (register "mem" $Mem)
  (module instance $Adder) (invoke "add" (i32.const 20) (i32.const 50000)))
(thread $A2 (shared (module $Mem)) (shared (module $Adder)) (register "mem" $Mem)
  (module instance $Adder) (invoke "add" (i32.const 22) (i32.const 50000)))
(wait $A1)
(wait $A2)
(module $Sum (memory (import "mem" "shared") 1 1 shared)
  (func (export "word") (result i32) (i32.load (i32.const 16)))
  (func (export "half") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "dword") (result i64) (i64.load (i32.const 32))))
(assert_return (invoke $Sum "word") (i32.const 100000))
(assert_return (invoke $Sum "half" (i32.const 20)) (i32.const 50000))
(assert_return (invoke $Sum "half" (i32.const 22)) (i32.const 50000))
(assert_return (invoke $Sum "dword") (i64.const 300000))

;; wait and notify across threads: W blocks with no timeout until N's
;; notify loop wakes it (0, "ok"); a notify of nobody wakes 0.
(thread $W (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (result i32)
      (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (assert_return (invoke "run") (i32.const 0)))
(thread $N (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "notify-1-while") (result i32)
      (loop (br_if 0 (i32.ne (memory.atomic.notify (i32.const 64) (i32.const 1)) (i32.const 1))))
      (i32.const 1)))
  (assert_return (invoke "notify-1-while") (i32.const 1)))
(wait $N)
(wait $W)
;; a timed wait on a value that stays times out (2) after its timeout
(module $Timed (memory (import "mem" "shared") 1 1 shared)
  (func (export "wait") (result i32)
    (memory.atomic.wait64 (i32.const 72) (i64.const 0) (i64.const 1000000))))
(assert_return (invoke $Timed "wait") (i32.const 2))

;; Litmus test MP on atomics: a reader that sees the flag sees the data
;; (allowed: flag 1 data 42; flag 0 with data 0 or 42; never flag 1 data 0).
(thread $MW (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.atomic.store (i32.const 128) (i32.const 42))
      (i32.atomic.store (i32.const 132) (i32.const 1))))
  (invoke "run"))
(thread $MR (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.store (i32.const 136) (i32.atomic.load (i32.const 132)))
      (i32.store (i32.const 140) (i32.atomic.load (i32.const 128)))))
  (invoke "run"))
(wait $MW)
(wait $MR)
(module $MP (memory (import "mem" "shared") 1 1 shared)
  (func (export "check") (result i32)
    (i32.eqz (i32.and (i32.eq (i32.load (i32.const 136)) (i32.const 1))
                      (i32.eq (i32.load (i32.const 140)) (i32.const 0))))))
(assert_return (invoke $MP "check") (i32.const 1))

;; A thread's trap fails its own command, reported at its line; the thread
;; goes on with its next command. Its registration stays its own: once it
;; is joined the script still cannot import "late" (threads' thread.wast).
(thread $Trap (shared (module $Mem))
  (module (func (export "boom") (unreachable)))
  (invoke "boom")
  (assert_trap (invoke "boom") "unreachable")
  (register "late" $Mem))
(wait $Trap)
(assert_unlinkable (module (memory (import "late" "shared") 1 1 shared)) "unknown import")
(wait $Trap)
(thread $Trap (shared (module $Nope)))
;; a shared module's functions belong to the script's store: not usable here
(thread $F (shared (module $Sum)) (assert_return (invoke $Sum "word") (i32.const 100000)))
(wait $F)
