;; bigmem.wat: a memory of 4 pages (256 KiB), more than --max-memory 64K allows.
(module
  (memory (export "memory") 4)
  (func (export "size") (result i32) (memory.size)))
