#!/usr/bin/env python3
"""mutants.py: wlab-run on mutants of the run-cli test modules, with every
stub policy, tracing and fuel: each run must end with exit 0, 1, 2 or 134
(never a signal, a hang or a sanitizer report).

Usage: mutants.py RUN DIR [COUNT]   (RUN: the wlab-run binary; DIR: the
built modules of tests/run/cli.sh). Prints `mutants: N runs, N bad` and
exits 1 when a run was bad; the bad mutants stay in DIR/mutants/."""
import os
import random
import subprocess
import sys

run, d = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 150
rng = random.Random(20261125)
# module -> the options and arguments that call into it
cases = {
    "calc.wasm": [["--invoke", "ratio"], ["7", "2"]],
    "imports.wasm": [["--invoke", "call_f"], ["1", "i64:2"]],
    "simd.wasm": [["--invoke", "add4"], ["i32x4:1,2,3,4", "0x5"]],
    "user.wasm": [["--link", "lib=" + os.path.join(d, "lib.wasm"), "--invoke", "run"], ["5"]],
}
out = os.path.join(d, "mutants")
os.makedirs(out, exist_ok=True)
bad = 0
for n in range(count):
    name = rng.choice(sorted(cases))
    data = bytearray(open(os.path.join(d, name), "rb").read())
    for _ in range(rng.randint(1, 3)):
        data[rng.randrange(8, len(data))] = rng.randrange(256)
    path = os.path.join(out, "m%03d.wasm" % n)
    with open(path, "wb") as f:
        f.write(data)
    opts, args = cases[name]
    cmd = [run, "--fuel", "200000", "--stub-default",
           rng.choice(["log", "zero", "trap", "str", "const:i32:3"]),
           "--trace-imports", "--trace-format", rng.choice(["text", "json"])] + opts + [path] + args
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=30)
        err = r.stderr.decode("utf-8", "replace")
        ok = r.returncode in (0, 1, 2, 134) and "Sanitizer" not in err and "runtime error:" not in err
    except subprocess.TimeoutExpired:
        ok, err = False, "timeout"
    if ok:
        os.remove(path)
    else:
        bad += 1
        print("BAD %s: exit %s: %s" % (" ".join(cmd), getattr(r, "returncode", "?"), err[-600:]))
print("mutants: %d runs, %d bad" % (count, bad))
sys.exit(1 if bad else 0)
