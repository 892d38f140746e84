#!/usr/bin/env python3
"""spec_wast.py: our .wast script reader (wlab/script.h) against wast2json on
the 2022 testsuite ($WASM_TESTSUITE, default ../shared/wasm-testsuite).

For every top-level script that scripts/spec-convert.sh converted to
$BUILD/spec/<name>/<name>.json (in parallel, one file per job):
1. modules: `wlab-wast -d DIR FILE.wast` lists the reader's commands and
   writes every module it built. The list must have wast2json's commands in
   the same order and of the same kinds (an
   assert_trap on a module is wast2json's assert_uninstantiable); every module wast2json wrote as a
   binary must be byte-identical to ours; every text module (the
   `module quote` of assert_malformed) must be rejected by our text parser.
2. run: `wlab-run --spectest FILE.wast` must pass every command, and count
   as many as the JSON has (every command but `register`).
A file whose reader or run crashes or times out counts all its commands as
failed. Prints the files with failures (`-v`: every file and every module
failure), the totals, and writes `passed failed` (modules identical or
rejected, plus commands passed) to $BUILD/test-results/spec-wast.txt.
`--spec DIR` reads the converted scripts from DIR instead of $BUILD/spec.
"""
import glob
import json
import os
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 120
LINE = re.compile(rb"^(.*): (\d+)/(\d+)$", re.M)
# wast2json's command type -> the reader's command names (wast2json writes an
# assert_trap on a module as assert_uninstantiable)
KIND = {"action": ("invoke", "get"), "assert_uninstantiable": ("assert_uninstantiable", "assert_trap")}


def compare_modules(tool, work, spec, wast, name):
    """(identical, rejected, failures) of one file's modules."""
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with open(os.path.join(spec, name, name + ".json"), "rb") as f:
        cmds = json.load(f).get("commands", [])
    res = harness.run([tool] + harness.SPEC_2_0 + ["-d", out, wast], TIMEOUT)
    if res.crashed() or res.rc:
        return 0, 0, ["%s: wlab-wast %s: %s" % (name, harness.describe(res),
                                                  res.err.decode("utf-8", "replace")[-200:])]
    ours = [ln.split(" ", 4) for ln in res.out.decode("utf-8", "replace").splitlines()]
    if len(ours) != len(cmds):
        return 0, 0, ["%s: %d commands, wast2json has %d" % (name, len(ours), len(cmds))]
    identical = rejected = 0
    fails = []
    for i, (c, o) in enumerate(zip(cmds, ours)):
        desc = "%s:%s %s" % (name, c.get("line"), c["type"])
        if o[2] not in KIND.get(c["type"], (c["type"],)):
            fails.append("%s: the reader has %s" % (desc, o[2]))
            continue
        fn = c.get("filename")
        if not fn:
            continue
        if c.get("module_type") == "text":
            if o[4].startswith("error"):
                rejected += 1
            else:
                fails.append("%s: malformed text accepted" % desc)
            continue
        mine = os.path.join(out, "%d.wasm" % i)
        want = open(os.path.join(spec, name, fn), "rb").read()
        got = open(mine, "rb").read() if os.path.exists(mine) else None
        if got == want:
            identical += 1
        else:
            fails.append("%s: %s" % (desc, o[4] if got is None else "bytes differ: " + mine))
    return identical, rejected, fails


def count_commands(spec, name):
    with open(os.path.join(spec, name, name + ".json"), "rb") as f:
        return sum(1 for c in json.load(f).get("commands", []) if c.get("type") != "register")


def run_file(args):
    build, spec, wast_dir, work, name = args
    wast = os.path.join(wast_dir, name + ".wast")
    tool = os.path.join(build, "tests", "bin", "wlab-wast")
    ident, rej, fails = compare_modules(tool, work, spec, wast, name)
    want = count_commands(spec, name)
    res = harness.run([os.path.join(build, "bin", "wlab-run"), "--features=2.0", "--spectest", wast], TIMEOUT)
    m = LINE.search(res.out)
    if res.crashed() or not m:
        return name, ident, rej, fails, 0, want, "crashed (%s)" % harness.describe(res)
    p, t = int(m.group(2)), int(m.group(3))
    note = None if t == want else "counts %d commands, the JSON %d" % (t, want)
    return name, ident, rej, fails, p, max(t, want), note


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    build = harness.build_dir()
    spec = os.path.join(build, "spec")
    if "--spec" in args and args.index("--spec") + 1 < len(args):
        spec = os.path.abspath(args[args.index("--spec") + 1])
    wast_dir = os.environ.get("WASM_TESTSUITE") or os.path.join(harness.ROOT, "..", "shared",
                                                                "wasm-testsuite")
    wast_dir = os.path.join(harness.ROOT, wast_dir) if not os.path.isabs(wast_dir) else wast_dir
    for t in (os.path.join(build, "tests", "bin", "wlab-wast"), os.path.join(build, "bin", "wlab-run")):
        if not harness.need_tool(t):
            return 2
    names = sorted(os.path.basename(os.path.dirname(p))
                   for p in glob.glob(os.path.join(spec, "*", "*.json")))
    names = [n for n in names if os.path.exists(os.path.join(wast_dir, n + ".wast"))]
    if not names:
        print("spec-wast: no converted scripts in %s (run spec-convert)" % spec)
        harness.write_result("spec-wast.txt", 0, 1)
        return 1
    work = os.path.join(build, "spec-wast")
    ident = rej = mod_fail = passed = total = 0
    fails = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = [(build, spec, wast_dir, work, n) for n in names]
        for name, i, r, f, p, t, note in pool.map(run_file, jobs):
            ident, rej, mod_fail = ident + i, rej + r, mod_fail + len(f)
            passed, total = passed + p, total + t
            fails += f
            if verbose or p != t or note or f:
                print("%s.wast: %d/%d%s%s" % (name, p, t, "; " + note if note else "",
                                              "; %d module failures" % len(f) if f else ""))
    for ln in fails if verbose else fails[:40]:
        print("  " + ln)
    if not verbose and len(fails) > 40:
        print("  ... %d more (-v prints all)" % (len(fails) - 40))
    print("spec-wast modules: %d identical to wast2json's, %d malformed texts rejected, %d failures"
          % (ident, rej, mod_fail))
    print("spec-wast run: %d files, %d/%d commands passed" % (len(names), passed, total))
    ok = ident + rej + passed
    failed = mod_fail + total - passed
    print("spec-wast: %d passed, %d failed" % (ok, failed))
    harness.write_result("spec-wast.txt", ok, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
