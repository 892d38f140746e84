#!/usr/bin/env python3
"""bench-wasi.py: held-out programs. wlab-run against wasm3 on the WASI
programs of wasm3's own test directory (test/wasi/ and test/self-hosting/ of a
wasm3 source checkout, WASM3_SRC=DIR): real compilers' output that no fused
form of ours was chosen for, unlike tests/bench/. Never a dependency of the
build or the tests: without WASM3_SRC and WASM3 it says so and does nothing.

Each program runs RUNS times per engine, interleaved (every engine once per
round), in WASM3_SRC/test, where the programs' relative paths point. Prints
the median CPU time (user + system of the child, through wait4) per engine
and each engine's ratio to wasm3's; CoreMark sizes its own run to some
seconds, so its row compares iterations per second instead (as time per
iteration). Every engine's output must agree: byte for byte where the
program prints no timings, else the line that says the run validated. A
program an engine fails is marked and left out of that engine's mean.
wlab-run preopens the directory as "./", the name wasm3 gives it: mal's
libc strips a preopen's "." from "./wasi/..." and asks for the absolute
"/wasi/...", which a preopen named "." rightly refuses (Node's too).

Usage: WASM3_SRC=/path/to/wasm3 WASM3=/path/to/wasm3/build/wasm3 BUILD=build
       [RUNS=3] [ONLY="mandel c-ray"] [CLANG_WLAB=PATH] [BASE=PATH]
       python3 scripts/bench-wasi.py
"""
import hashlib
import math
import os
import re
import statistics
import sys

# name, module, arguments, stdin, check: None (all engines' stdout the same)
# or a pattern that each engine's stdout must hold.
PROGRAMS = [
    ("mandel", "wasi/mandelbrot/mandel.wasm", ["128", "4e5"], None, None),
    ("mandel_dd", "wasi/mandelbrot/mandel_dd.wasm", ["128", "4e5"], None, None),
    ("c-ray", "wasi/c-ray/c-ray.wasm", ["-s", "128x128"], "wasi/c-ray/scene", None),
    ("smallpt", "wasi/smallpt/smallpt-ex.wasm", ["16", "64"], None, None),
    ("smallpt-mv", "wasi/smallpt/smallpt-ex-mv.wasm", ["16", "64"], None, None),
    ("mal", "wasi/mal/mal.wasm", ["./wasi/mal/test-fib.mal", "16"], None, None),
    ("brotli", "wasi/brotli/brotli.wasm", ["-c", "-f"], "wasi/brotli/alice29.txt", None),
    ("stream", "wasi/stream/stream.wasm", [], None, rb"Solution Validates"),
    ("selfhost", "self-hosting/wasm3-fib.wasm", [], None, rb"Result: \d+"),
    ("coremark", "wasi/coremark/coremark.wasm", [], None, rb"Correct operation validated"),
]
# wlab-run's preopen of the test directory, named "./" as wasm3 names it
PREOPEN = ["--dir", ".::./"]
SCORE = re.compile(rb"Iterations/Sec\s*:\s*([0-9.]+)")


def run(cmd, cwd, stdin):
    """CPU milliseconds, stdout and exit status of cmd."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            if stdin:
                os.dup2(os.open(stdin, os.O_RDONLY), 0)
            os.dup2(w, 1)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            os.close(r)
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(w)
    chunks = []
    while True:
        d = os.read(r, 1 << 16)
        if not d:
            break
        chunks.append(d)
    os.close(r)
    _, status, ru = os.wait4(pid, 0)
    return (ru.ru_utime + ru.ru_stime) * 1000, b"".join(chunks), status


def main():
    src = os.environ.get("WASM3_SRC", "")
    wasm3 = os.environ.get("WASM3", "")
    if not src or not wasm3:
        print("bench-wasi.py: set WASM3_SRC (a wasm3 checkout) and WASM3 (its built binary) "
              "for the held-out programs; skipped")
        return 0
    test = os.path.join(src, "test")
    build = os.environ.get("BUILD", "build")
    runs = int(os.environ.get("RUNS", "3"))
    engines = [("wasm3", [wasm3]),
               ("wlab", [os.environ.get("WLAB", os.path.join(build, "bin/wlab-run"))] + PREOPEN)]
    for var, name in (("CLANG_WLAB", "clang"), ("BASE", "base")):
        if os.environ.get(var):
            engines.append((name, [os.environ[var]] + PREOPEN))
    for name, cmd in engines:
        if not os.access(cmd[0], os.X_OK):
            print(f"bench-wasi.py: {name}: {cmd[0]} is not an executable", file=sys.stderr)
            return 2
    only = os.environ.get("ONLY", "").split()
    programs = [p for p in PROGRAMS if not only or p[0] in only]
    missing = [p[1] for p in programs if not os.path.isfile(os.path.join(test, p[1]))]
    if missing:
        print(f"bench-wasi.py: {test} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    names = [n for n, _ in engines]
    print(f"held-out WASI programs (wasm3's test/), CPU ms medians of {runs}, "
          "CoreMark as ms per 1,000 iterations")
    print("%-11s" % "program" + "".join("%11s" % n for n in names) +
          "".join("%12s" % f"{n}/wasm3" for n in names[1:]))
    logs = {n: [] for n in names[1:]}
    bad = 0
    for prog, module, args, stdin, check in programs:
        times = {n: [] for n in names}
        outs = {n: set() for n in names}
        failed = {}
        for _ in range(runs):
            for n, cmd in engines:
                ms, out, status = run(cmd + [module] + args, test, stdin)
                if status != 0:
                    failed[n] = f"exit {os.waitstatus_to_exitcode(status)}"
                elif check and not re.search(check, out):
                    failed[n] = "no validation line"
                if prog == "coremark":
                    m = SCORE.search(out)
                    ms = 1e6 / float(m.group(1)) if m and float(m.group(1)) > 0 else math.nan
                times[n].append(ms)
                outs[n].add(hashlib.sha1(out).hexdigest() if not check else "")
        if not check:
            ref = outs["wasm3"]
            for n in names[1:]:
                if n not in failed and outs[n] != ref:
                    failed[n] = "output differs from wasm3's"
        med = {n: statistics.median(times[n]) for n in names}
        row = "%-11s" % prog
        for n in names:
            row += "%11s" % ("FAILED" if n in failed else "%.0f" % med[n])
        for n in names[1:]:
            if n in failed or "wasm3" in failed:
                row += "%12s" % "-"
            else:
                row += "%12.2f" % (med[n] / med["wasm3"])
                logs[n].append(math.log(med[n] / med["wasm3"]))
        print(row)
        for n, why in failed.items():
            print(f"  {n}: {why}")
            bad += 1
    for n in names[1:]:
        if logs[n]:
            print(f"geometric mean {n}/wasm3: {math.exp(sum(logs[n]) / len(logs[n])):.3f}x "
                  f"over {len(logs[n])} of {len(programs)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
