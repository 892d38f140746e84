;; threads_forever.wast: a thread that waits forever (nobody notifies), one
;; that spins, and a (wait) for the first that would never return: cli.sh
;; runs it with --timeout, which must end all three (exit 124).
(module $Mem (memory (export "shared") 1 1 shared))
(thread $W (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (assert_return (invoke "run") (i32.const 0)))
(thread $S (module (func (export "spin") (loop (br 0)))) (invoke "spin"))
(wait $W)
(assert_return (invoke $Mem "never-run"))
