(module (func (export "clash") (result i32) (i32.const 2)) (func (export "other")))
