#!/usr/bin/env python3
"""spec_run.py: runs the spec testsuite's scripts through `wlab-run --spectest`.

Runs every top-level script that scripts/spec-convert.sh converted to
$BUILD/spec/<name>/<name>.json (SIMD ones included), one wlab-run per file
(in parallel, so a crash or timeout costs one file), prints `FILE:
passed/total` for files with failures, the totals of the non-SIMD files,
of the simd_* files and of all, and writes `passed failed` of all files to
$BUILD/test-results/spec-run.txt. A crashed or timed-out file counts all
its commands as failed. `-v` prints every file's line; `--spec DIR` reads
the converted scripts from DIR instead of $BUILD/spec (for a sanitizer
build that shares another build's conversion).
"""
import glob
import json
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# Per file; the big SIMD scripts (3,879 commands) need more under ASan on a busy machine.
TIMEOUT = 600 if harness.sanitized() else 120
LINE = re.compile(rb"^(.*): (\d+)/(\d+)$", re.M)


def count_commands(path):
    """Commands a file would count, for charging a crashed run: all but
    `register` and those on text modules (which wlab-run skips) other than
    assert_malformed (which wlab-run parses with its text parser)."""
    with open(path, "rb") as f:
        cmds = json.load(f).get("commands", [])
    return sum(1 for c in cmds if c.get("type") != "register"
               and (c.get("module_type", "binary") == "binary" or is_text_malformed(c)))


def is_text_malformed(c):
    return c.get("type") == "assert_malformed" and c.get("module_type") == "text"


def count_text(path):
    """The assert_malformed commands on text modules (counted in the totals)."""
    with open(path, "rb") as f:
        return sum(1 for c in json.load(f).get("commands", []) if is_text_malformed(c))


def run_one(tool, path):
    # The 2022 suite is WebAssembly 2.0: its features, whatever the defaults.
    res = harness.run([tool, "--features=2.0", "--spectest", path], TIMEOUT)
    m = LINE.search(res.out)
    if res.crashed() or not m:
        return path, 0, count_commands(path), harness.describe(res)
    return path, int(m.group(2)), int(m.group(3)), None


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    build = harness.build_dir()
    spec = os.path.join(build, "spec")
    if "--spec" in args and args.index("--spec") + 1 < len(args):
        spec = os.path.abspath(args[args.index("--spec") + 1])
    tool = os.path.join(build, "bin", "wlab-run")
    if not harness.need_tool(tool):
        return 2
    files = sorted(glob.glob(os.path.join(spec, "*", "*.json")))
    if not files:
        print("spec-run: no converted scripts in %s: run the spec-convert suite first "
              "(make test SUITES='spec-convert spec-run')" % spec)
        return 1
    # [files, passed, total] of the non-SIMD files and of the simd_* ones
    sums = {False: [0, 0, 0], True: [0, 0, 0]}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        for path, p, t, crash in pool.map(lambda f: run_one(tool, f), files):
            s = sums[os.path.basename(path).startswith("simd")]
            s[0] += 1
            s[1] += p
            s[2] += t
            name = os.path.relpath(path, spec)
            if crash:
                print("%s: crashed (%s)" % (name, crash))
            elif verbose or p != t:
                print("%s: %d/%d" % (name, p, t))
    for label, simd in (("non-SIMD", False), ("SIMD", True)):
        text = sum(count_text(f) for f in files
                   if os.path.basename(f).startswith("simd") == simd)
        print("spec-run %s: %d files, %d/%d passed (%d text-module commands included)"
              % (label, sums[simd][0], sums[simd][1], sums[simd][2], text))
    passed = sums[False][1] + sums[True][1]
    total = sums[False][2] + sums[True][2]
    print("spec-run: %d files, %d passed, %d failed" % (len(files), passed, total - passed))
    harness.write_result("spec-run.txt", passed, total - passed)
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
