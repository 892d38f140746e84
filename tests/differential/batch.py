"""batch.py: runs of binaryen's wasm-opt for diff_exec.py (and tests/explore/sizes.py), many per Node
process through wasm_opt_batch.cjs (one process per worker, binaryen's
wasm compiled once), and the check that they give byte for byte what
separate `node wasm-opt` processes give."""
import base64
import hashlib
import json
import os
import queue
import select
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "wasm_opt_batch.cjs")


class Result:
    """What a wasm-opt run gave, as harness.Result: rc, out, err, timeout."""
    __slots__ = ("rc", "out", "err", "timeout")

    def __init__(self, rc, out, err, timeout=False):
        self.rc, self.out, self.err, self.timeout = rc, out, err, timeout


class Driver:
    """One wasm_opt_batch.cjs process: run(args, timeout) -> Result. A run
    past its timeout kills the process; the next run starts another."""

    def __init__(self, wasm_opt, preexec_fn=None):
        self.cmd = ["node", DRIVER, wasm_opt]
        self.preexec_fn = preexec_fn
        self.p = None
        self.buf = b""

    def start(self):
        self.p = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, preexec_fn=self.preexec_fn)
        self.buf = b""

    def run(self, args, timeout):
        if self.p is None or self.p.poll() is not None:
            self.start()
        try:
            self.p.stdin.write((json.dumps(args) + "\n").encode())
            self.p.stdin.flush()
        except OSError as e:
            self.close()
            return Result(127, b"", ("wasm_opt_batch: %s" % e).encode())
        end = time.monotonic() + timeout
        fd = self.p.stdout.fileno()
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.close()
                return Result(-9, b"", b"", True)
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                rc = self.p.wait()
                self.close()
                return Result(rc if rc else 1, b"", b"wasm_opt_batch.cjs exited")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        r = json.loads(line)
        return Result(r["rc"], base64.b64decode(r["out"]), base64.b64decode(r["err"]))

    def close(self):
        if self.p is not None:
            if self.p.poll() is None:
                self.p.kill()
            self.p.wait()
            self.p.stdin.close()
            self.p.stdout.close()
            self.p = None


def run_all(jobs, wasm_opt, workers, timeout, preexec_fn=None):
    """JOBS: [(key, args, done)]: runs wasm-opt ARGS for each on WORKERS
    drivers, calling done(key, Result) in the worker's thread."""
    q = queue.Queue()
    for j in jobs:
        q.put(j)

    def work():
        d = Driver(wasm_opt, preexec_fn)
        try:
            while True:
                try:
                    key, args, done = q.get_nowait()
                except queue.Empty:
                    return
                done(key, d.run(args, timeout))
        finally:
            d.close()

    threads = [threading.Thread(target=work) for _ in range(min(workers, len(jobs)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def driver_version():
    """A hash of the driver's source: a check's verdict is kept per version."""
    with open(DRIVER, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def same_as_alone(run_alone, wasm_opt, stem, seed, flags, timeout, preexec_fn=None):
    """None when the driver's run of `-ttf SEED FLAGS --fuzz-exec-before` gives
    the exit status, stdout, stderr and module that a separate
    `node wasm-opt` process gives, else what differs. RUN_ALONE(argv,
    timeout) runs one process (harness.run)."""
    outs = {}
    for how in ("alone", "batch"):
        wasm = "%s.%s.wasm" % (stem, how)
        args = ["-ttf", seed] + flags + ["--fuzz-exec-before", "-o", wasm]
        if how == "alone":
            r = run_alone(wasm_opt + args, timeout)
        else:
            d = Driver(wasm_opt[-1], preexec_fn)
            try:
                r = d.run(args, timeout)
            finally:
                d.close()
        try:
            with open(wasm, "rb") as f:
                module = f.read()
            os.unlink(wasm)
        except OSError:
            module = None
        outs[how] = (r.rc, r.out, r.err, module)
    a, b = outs["alone"], outs["batch"]
    for k, what in enumerate(("exit status", "stdout", "stderr", "module")):
        if a[k] != b[k]:
            show = (lambda v: v) if k == 0 else (lambda v: "%s bytes, sha256 %s" % (
                "no" if v is None else len(v), v and hashlib.sha256(v).hexdigest()[:12]))
            return "%s differs: alone %s, batch %s" % (what, show(a[k]), show(b[k]))
    return None
