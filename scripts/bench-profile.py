#!/usr/bin/env python3
"""bench-profile.py: what --profile and --coverage cost in CPU time: the
median user+system time of RUNS runs of `wlab-run [--profile F | --coverage F]
--invoke run BENCH.wasm` per mode, the modes interleaved run by run so that a
change in the machine's load falls on all of them alike; prints the medians
and the ratios to the plain run (docs/benchmarks.md). The modules are
tests/bench's, built as scripts/bench-interp.sh builds them (clang -O2, no -g:
--coverage counts the same without DWARF, it only writes no lines).
    BUILD=build RUNS=7 BENCHES="fib sieve sort" python3 scripts/bench-profile.py"""
import os
import statistics
import subprocess
import sys

BUILD = os.environ.get("BUILD", "build")
RUNS = int(os.environ.get("RUNS", "7"))
BENCHES = os.environ.get("BENCHES", "fib sieve sort").split()
RUN = os.path.join(BUILD, "bin", "wlab-run")
DIR = os.path.join(BUILD, "bench", "interp")
MODES = {"plain": [], "--profile": ["--profile", os.path.join(DIR, "out.folded")],
         "--coverage": ["--coverage", os.path.join(DIR, "out.info")]}


def cpu(args):
    """The child's user+system seconds."""
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if status:
        sys.exit("bench-profile: %s: exit status %d" % (" ".join(args), status))
    return ru.ru_utime + ru.ru_stime


def main():
    os.makedirs(DIR, exist_ok=True)
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    print("| bench | plain (s) | --profile | --coverage |\n|---|---|---|---|")
    for b in BENCHES:
        wasm = os.path.join(DIR, b + ".wasm")
        src = os.path.join("tests", "bench", b + ".c")
        if not os.path.exists(wasm) or os.path.getmtime(src) > os.path.getmtime(wasm):
            subprocess.run(["clang", "--target=wasm32", "-O2", "-nostdlib", "-mbulk-memory",
                            "-Wl,--no-entry", "-o", wasm, src], check=True)
        times = {m: [] for m in MODES}
        for _ in range(RUNS):
            for m, extra in MODES.items():
                times[m].append(cpu([RUN] + extra + ["--invoke", "run", wasm]))
        med = {m: statistics.median(t) for m, t in times.items()}
        print("| %s | %.3f | %.2fx (%.3f s) | %.2fx (%.3f s) |" % (
            b, med["plain"], med["--profile"] / med["plain"], med["--profile"],
            med["--coverage"] / med["plain"], med["--coverage"]))
        sys.stdout.flush()
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
