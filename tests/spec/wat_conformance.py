#!/usr/bin/env python3
"""wat_conformance.py: our text parser (wlab_wat_to_binary) against wast2json.

For every top-level script of the spec testsuite ($WASM_TESTSUITE, default
../shared/wasm-testsuite) that scripts/spec-convert.sh converted to
$BUILD/spec/<name>/, every command of the JSON that names a module file is
matched, by its line, to the `(module ...)` form of the .wast:
- a binary module (module_type "binary": `module`, and the modules of
  assert_invalid, assert_unlinkable, assert_uninstantiable, assert_trap,
  assert_malformed with `(module binary ...)`) is parsed with
  `wlab-wat2wasm` and our bytes compared with wast2json's .wasm: identical,
  else equivalent when `wlab-objdump -x -d` prints the same for both,
  else failed;
- a text module (assert_malformed `(module quote ...)`, module_type "text")
  must be rejected by our parser.
Prints the counts per group (non-SIMD, SIMD, all) and the failures (`-v`:
all of them, else the first 40), and writes `passed failed` to
$BUILD/test-results/wat-conformance.txt (passed = identical + equivalent +
rejected). Exit 1 when anything failed. `--spec DIR` reads the converted
scripts from DIR instead of $BUILD/spec (a sanitizer build can share them).
"""
import glob
import json
import bisect
import re
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 120


def forms(text):
    """Top-level s-expressions of a .wast: (line, text, children) where
    children are the (start, end, line) of its direct list children."""
    out = []
    i, n, line = 0, len(text), 1
    depth, start, start_line, kids, kid_start, kid_line = 0, 0, 0, [], 0, 0
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        if c == ";" and text.startswith(";;", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == "(" and text.startswith("(;", i):
            d = 0
            while i < n:
                if text.startswith("(;", i):
                    d += 1
                    i += 2
                elif text.startswith(";)", i):
                    d -= 1
                    i += 2
                    if d == 0:
                        break
                else:
                    if text[i] == "\n":
                        line += 1
                    i += 1
            continue
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                i += 1
            i += 1
            continue
        if c == "(":
            if depth == 0:
                start, start_line, kids = i, line, []
            elif depth == 1:
                kid_start, kid_line = i, line
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 1:
                kids.append((kid_start, i + 1, kid_line))
            elif depth == 0:
                out.append((start, text[start:i + 1], [(a - start, b - start) for a, b, _ in kids]))
        i += 1
    return out


def module_index(text):
    """line -> the (module ...) text whose `module` keyword stands on it (the
    line wast2json gives): top-level modules and the modules inside
    assertions. A script of bare module fields is one module on line 1."""
    nl = [i for i, c in enumerate(text) if c == "\n"]
    by_line = {}

    def add(ftext, at):
        k = ftext.find("module")
        by_line.setdefault(bisect.bisect_right(nl, at + k - 1) + 1, ftext)

    heads = set()
    for at, ftext, kids in forms(text):
        head = re.match(r"\(\s*([a-z_]*)", ftext)
        heads.add(head.group(1) if head else "")
        if ftext[1:].lstrip().startswith("module") or re.match(r"\((\s|\(;.*?;\)|;;[^\n]*\n)*module", ftext):
            add(ftext, at)
        for a, b in kids:
            if ftext[a + 1:b].lstrip().startswith("module"):
                add(ftext[a:b], at + a)
    if heads and heads <= {"func", "memory", "table", "global", "type", "import", "export",
                           "start", "elem", "data"}:
        by_line[1] = text
    return by_line


def objdump(tool, path):
    res = harness.run([tool, "-x", "-d", path], 60)
    lines = res.out.decode("utf-8", "replace").splitlines()
    return res.rc, [ln for ln in lines if path not in ln]


def run_script(args):
    build, spec, work, wast_dir, name = args
    res = {"identical": 0, "equivalent": 0, "failed": 0, "rejected": 0, "accepted": 0,
           "crashed": 0, "missing": 0, "fail": []}
    jpath = os.path.join(spec, name, name + ".json")
    wast = os.path.join(wast_dir, name + ".wast")
    with open(jpath, "rb") as f:
        cmds = json.load(f).get("commands", [])
    with open(wast, encoding="utf-8", errors="surrogateescape") as f:
        by_line = module_index(f.read())
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    jobs = []  # (wat path, expected file or None for text, description)
    for c in cmds:
        fn = c.get("filename")
        if not fn:
            continue
        # wabt counts lines in a few odd comments (comments.wast) one short
        ln = c.get("line", 0)
        mt = by_line.get(ln) or by_line.get(ln + 1)
        desc = "%s:%s %s" % (name, c.get("line"), c["type"])
        if mt is None:
            res["missing"] += 1
            res["fail"].append(desc + ": module not found in the .wast")
            continue
        wat = os.path.join(out, os.path.splitext(fn)[0] + ".wat")
        with open(wat, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(mt)
        text = c.get("module_type") == "text"
        jobs.append((wat, None if text else os.path.join(spec, name, fn), desc))
    tool = os.path.join(build, "tests", "bin", "wlab-wat2wasm")
    dump = os.path.join(build, "bin", "wlab-objdump")
    if jobs:
        r = harness.run([tool] + harness.SPEC_2_0 + ["-d", out] + [j[0] for j in jobs],
                        TIMEOUT)
        if r.crashed():
            res["crashed"] += len(jobs)
            res["fail"].append("%s: wlab-wat2wasm crashed (%s)" % (name, harness.describe(r)))
            return name, res
    for wat, expect, desc in jobs:
        ours = wat[:-4] + ".wasm"
        got = open(ours, "rb").read() if os.path.exists(ours) else None
        if expect is None:
            if got is None:
                res["rejected"] += 1
            else:
                res["accepted"] += 1
                res["fail"].append(desc + ": malformed text accepted: " + wat)
            continue
        want = open(expect, "rb").read()
        if got == want:
            res["identical"] += 1
        elif got is not None and objdump(dump, ours) == objdump(dump, expect):
            res["equivalent"] += 1
        else:
            res["failed"] += 1
            res["fail"].append(desc + (": not parsed: " if got is None else ": differs: ") + wat)
    return name, res


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
    for t in (os.path.join(build, "tests", "bin", "wlab-wat2wasm"),
              os.path.join(build, "bin", "wlab-objdump")):
        if not harness.need_tool(t):
            return 2
    names = sorted(os.path.basename(os.path.dirname(p))
                   for p in glob.glob(os.path.join(spec, "*", "*.json")))
    names = [n for n in names if os.path.exists(os.path.join(wast_dir, n + ".wast"))]
    if not names:
        print("wat-conformance: no converted scripts in %s (run spec-convert)" % spec)
        harness.write_result("wat-conformance.txt", 0, 1)
        return 1
    work = os.path.join(build, "wat-conformance")
    keys = ("identical", "equivalent", "failed", "rejected", "accepted", "crashed", "missing")
    sums = {g: dict.fromkeys(keys, 0) for g in ("non-SIMD", "SIMD")}
    fails = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = [(build, spec, work, wast_dir, n) for n in names]
        for name, res in pool.map(run_script, jobs):
            g = sums["SIMD" if name.startswith("simd") else "non-SIMD"]
            for k in keys:
                g[k] += res[k]
            fails += res["fail"]
    for ln in fails if verbose else fails[:40]:
        print(ln)
    if not verbose and len(fails) > 40:
        print("... %d more (-v prints all)" % (len(fails) - 40))
    total = dict.fromkeys(keys, 0)
    for g, s in sums.items():
        for k in keys:
            total[k] += s[k]
    for g, s in list(sums.items()) + [("all", total)]:
        print("wat-conformance %s: modules %d identical, %d equivalent, %d failed; "
              "malformed text %d rejected, %d accepted; %d crashed, %d not found" %
              (g, s["identical"], s["equivalent"], s["failed"], s["rejected"], s["accepted"],
               s["crashed"], s["missing"]))
    passed = total["identical"] + total["equivalent"] + total["rejected"]
    failed = total["failed"] + total["accepted"] + total["crashed"] + total["missing"]
    print("wat-conformance: %d passed, %d failed" % (passed, failed))
    harness.write_result("wat-conformance.txt", passed, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
