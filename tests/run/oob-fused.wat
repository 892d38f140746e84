;; A load out of bounds in a fused cell whose first cell is the load
;; (f64.load; f64.add, the float operators' _M form): its trap's detail
;; names the load (8 bytes), as the plain load's does (run-cli oob-fused).
(module
  (memory 1)
  (global $g (mut i32) (i32.const 70000))
  (func (export "fused") (result f64)
    f64.const 1
    global.get $g
    f64.load offset=3
    f64.add)
  (func (export "fused32") (result f32)
    f32.const 1
    global.get $g
    f32.load offset=3
    f32.mul)
  (func (export "plain") (result f64)
    global.get $g
    f64.load offset=3))
