#!/usr/bin/env python3
"""spec_run.py: runs the spec testsuite's scripts through `wlab-run --spectest`.

Runs every non-SIMD top-level script that scripts/spec-convert.sh converted
to $BUILD/spec/<name>/<name>.json, one wlab-run per file (in parallel, so a
crash or timeout costs one file), prints `FILE: passed/total` for files with
failures and the totals, and writes `passed failed` to
$BUILD/test-results/spec-run.txt. A crashed or timed-out file counts all
its commands as failed. `-v` prints every file's line; `--spec DIR` reads
the converted scripts from DIR instead of $BUILD/spec (for a sanitizer
build that shares another build's conversion).
"""
import glob
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TIMEOUT = 120
LINE = re.compile(rb"^(.*): (\d+)/(\d+)$", re.M)


def count_commands(path):
    """Commands a file would count, for charging a crashed run."""
    with open(path, "rb") as f:
        text = f.read()
    return text.count(b'"type": "') - text.count(b'"type": "register"')


def run_one(tool, path):
    res = harness.run([tool, "--spectest", path], TIMEOUT)
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
    files = sorted(p for p in glob.glob(os.path.join(spec, "*", "*.json"))
                   if not os.path.basename(p).startswith("simd"))
    passed = total = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        for path, p, t, crash in pool.map(lambda f: run_one(tool, f), files):
            passed += p
            total += t
            name = os.path.relpath(path, spec)
            if crash:
                print("%s: crashed (%s)" % (name, crash))
            elif verbose or p != t:
                print("%s: %d/%d" % (name, p, t))
    print("spec-run: %d files, %d passed, %d failed" % (len(files), passed, total - passed))
    harness.write_result("spec-run.txt", passed, total - passed)
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
