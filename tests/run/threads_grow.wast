;; threads_grow.wast: a shared memory grown by one thread while another
;; runs (run by cli.sh). $G's function loaded memory 0's size (1 page) on
;; entry; it says it is ready, waits until thread $T has grown the memory
;; (plain loads: an atomic one would load the size again), then reads
;; memory.size (2) and stores and loads in the new page (5): 2 * 10 + 5.
(module $G (memory (export "m") 1 4 shared)
  (func (export "use-grown") (result i32) (local $pages i32)
    (i32.store (i32.const 0) (i32.const 1))
    (loop (br_if 0 (i32.eqz (i32.load (i32.const 4)))))
    (local.set $pages (memory.size))
    (i32.store (i32.const 65536) (i32.const 5))
    (i32.add (i32.mul (local.get $pages) (i32.const 10)) (i32.load (i32.const 65536))))
  (func (export "past") (result i32) (i32.load (i32.const 131072))))
(thread $T (shared (module $G))
  (register "g" $G)
  (module (memory (import "g" "m") 1 4 shared)
    (func (export "grow") (result i32) (local $old i32)
      (loop (br_if 0 (i32.eqz (i32.atomic.load (i32.const 0)))))
      (local.set $old (memory.grow (i32.const 1)))
      (i32.atomic.store (i32.const 4) (i32.const 1))
      (local.get $old)))
  (assert_return (invoke "grow") (i32.const 1)))
(assert_return (invoke $G "use-grown") (i32.const 25))
(wait $T)
;; past the grown size it still traps
(assert_trap (invoke $G "past") "out of bounds memory access")
