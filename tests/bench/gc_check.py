#!/usr/bin/env python3
"""gc_check.py: the `gc-bench` suite: each GC benchmark of tests/bench/gc/
(the ones scripts/bench-gc.sh times in `make bench`) at its small size gives
the same checksum under wlab-run as under binaryen 132's interpreter
(wasm-opt --fuzz-exec-before), and the same again under wlab-run --gc-stress
(a collection at every allocation).

A benchmark's size is the i32 global on its line marked `;; SIZE, small N`:
the bench runs the value written there, this suite N. Binaryen's output is
cached by (module hash, binaryen version) in $BUILD/cache/gc-bench/, so only
the first run pays for Node (about a second a module).

Usage: BUILD=build python3 tests/bench/gc_check.py [-v]
       python3 tests/bench/gc_check.py --small FILE.wat   (prints FILE at its small size)
Writes `passed failed` (checks) to $BUILD/test-results/gc-bench.txt.
"""
import glob
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402

SIZE = re.compile(r"\(i32\.const (\d+)\)\) ;; SIZE, small (\d+)")
TIMEOUT = 60


def small(text, path):
    """TEXT with its SIZE global set to the small size."""
    out, n = SIZE.subn(lambda m: "(i32.const %s)) ;; SIZE, small %s" % (m.group(2), m.group(2)), text)
    if n != 1:
        raise SystemExit("%s: want one line with ';; SIZE, small N', found %d" % (path, n))
    return out


def checksum(out):
    """The last integer a tool printed, as an unsigned 32-bit number, or None."""
    nums = re.findall(rb"-?\d+", out)
    return int(nums[-1]) % (1 << 32) if nums else None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--small":
        with open(sys.argv[2]) as f:
            sys.stdout.write(small(f.read(), sys.argv[2]))
        return 0
    verbose = "-v" in sys.argv[1:]
    build = harness.build_dir()
    wat, run = os.path.join(build, "bin", "wlab-wat"), os.path.join(build, "bin", "wlab-run")
    tally = harness.Tally()
    wasm_opt, version = harness.oracle("wasm-opt")
    if not (harness.need_tool(wat) and harness.need_tool(run)) or wasm_opt is None:
        if wasm_opt is None:
            print(version)
        harness.write_result("gc-bench.txt", 0, 1)
        return 1
    work = os.path.join(build, "tests", "gc-bench")
    cache = os.path.join(build, "cache", "gc-bench")
    os.makedirs(work, exist_ok=True)
    os.makedirs(cache, exist_ok=True)
    srcs = sorted(glob.glob(os.path.join(HERE, "gc", "*.wat")))
    tally.ok(len(srcs) >= 4, "tests/bench/gc/ holds the 4 benchmarks (found %d)" % len(srcs))
    for src in srcs:
        name = os.path.basename(src)[:-4]
        with open(src) as f:
            text = small(f.read(), src)
        stem = os.path.join(work, name)
        with open(stem + ".wat", "w") as f:
            f.write(text)
        res = harness.run([wat, stem + ".wat", "-o", stem + ".wasm"], TIMEOUT)
        if not tally.ok(res.rc == 0, "%s: wlab-wat assembles it (%s: %s)" % (
                name, harness.describe(res), res.err.decode("utf-8", "replace").strip()[-300:])):
            continue
        with open(stem + ".wasm", "rb") as f:
            key = hashlib.sha256(f.read() + ("\0" + version).encode()).hexdigest()[:20]
        want_path = os.path.join(cache, "%s-%s.sum" % (name, key))
        if not os.path.exists(want_path):
            res = harness.run(wasm_opt + ["-all", "--fuzz-exec-before", stem + ".wasm", "-o", os.devnull],
                              TIMEOUT * 2)
            got = checksum(res.out) if res.rc == 0 and b"note result: run =>" in res.out else None
            if got is None:   # a failure; a success is not counted (cached runs would not count it)
                tally.failures.append("%s: binaryen's interpreter runs it (%s: %s)" % (
                    name, harness.describe(res), (res.out + res.err).decode("utf-8", "replace")[-300:]))
                continue
            with open(want_path + ".tmp", "w") as f:
                f.write("%d\n" % got)
            os.replace(want_path + ".tmp", want_path)
        with open(want_path) as f:
            want = int(f.read())
        for flags in ([], ["--gc-stress"]):
            res = harness.run([run] + flags + ["--invoke", "run", stem + ".wasm"], TIMEOUT)
            got = checksum(res.out) if res.rc == 0 else None
            what = "%s: wlab-run %s--invoke run gives binaryen's checksum %d" % (
                name, " ".join(flags) + " " if flags else "", want)
            tally.ok(got == want, "%s (got %s, %s)" % (what, got, harness.describe(res)))
            if verbose and got == want:
                print("ok   " + what)
    for msg in tally.failures:
        print("FAIL " + msg)
    print("gc-bench: %d passed, %d failed" % (tally.passed, len(tally.failures)))
    harness.write_result("gc-bench.txt", tally.passed, len(tally.failures))
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
