;; env: provides env.boom to wlab-run (it is no input of the link)
(module (tag (export "boom") (param i32)))
