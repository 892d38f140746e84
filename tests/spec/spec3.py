#!/usr/bin/env python3
"""spec3.py: the WebAssembly 3.0 testsuite ($WASM_TESTSUITE3, default
../shared/wasm-testsuite-3) run from its .wast files by `wlab-run -v
--spectest`, against an expectations file, while the 3.0 features land.

Groups: the top level (257 files), custom/, legacy/, proposals/threads,
restored/, and, reported on their own, proposals/custom-page-sizes,
proposals/wide-arithmetic and proposals/custom-descriptors (a GC extension
not implemented: its figure is reported and held, not a goal). One wlab-run per file, two at a time, each with a timeout;
proposals/threads with the features it was written for (FEATURES), the
others with GC on (DEFAULT_FEATURES).

Expectations: tests/spec/spec3-expected.txt has one line per file,
`PATH PASSED TOTAL` (PATH relative to the suite). The suite fails when a
file passes fewer commands than expected, counts another total, crashes
or times out, or is missing from the file. A file that passes more is
listed as improved (run with `--update` to rewrite the file with today's
figures, then commit it). Commands that fail where the file expects them
to are printed per group as "not yet: N": they are never counted as
passed, nor as failures of the suite. Written to
$BUILD/test-results/spec3.txt: passed = commands passed in all groups,
failed = commands below expectation (a crashed file: all it was expected
to pass, at least 1) plus 1 per changed total or missing file.

"Needs GC", reported for the top level, is decided from the script text:
a command needs GC when a module it runs or defines (its own module, or
for an action the module it names or the current one) holds, outside
strings (inside them for `module quote`), a token of GC: the types struct,
array, i31, rec, sub, the heap types any, eq, none, struct, array, i31 and
their shorthands (anyref, eqref, i31ref, structref, arrayref, nullref), or
an instruction struct.*, array.*, ref.i31, i31.get_*, ref.test, ref.cast,
br_on_cast*, ref.eq, any.convert_extern, extern.convert_any; or when its
own arguments or results are GC values ((ref.struct), (ref.array),
(ref.i31), (ref.eq), (ref.any), (ref.null any|eq|struct|array|i31|none)).
Binary modules are not inspected. Its failures are counted by reason (GC_WHY:
an instruction the interpreter reports as not supported (WLAB_UNSUPPORTED;
since 266bc1d it runs every GC instruction), a GC instruction
the parser does not know yet, a command after a module
that failed, an unlinkable module accepted, a trap missed, a valid import
refused, other).

GC stress: the top-level files with a command that needs GC run a second
time with `--gc-stress` (a collection at every GC allocation, freed memory
overwritten), and must pass exactly what the expectations say; their
commands count in passed again.

Options: `-v` prints every failing command (wlab-run's `FILE:LINE:
COMMAND failed: WHY`), `--update` rewrites the expectations, `FILE...`
runs only those paths (relative to the suite).
"""
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from wat_conformance import forms  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 60
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spec3-expected.txt")
GROUPS = [("top level", ""), ("custom", "custom"), ("legacy", "legacy"),
          ("threads", "proposals/threads"), ("restored", "restored"),
          ("custom-page-sizes", "proposals/custom-page-sizes"),
          ("wide-arithmetic", "proposals/wide-arithmetic"),
          ("custom-descriptors", "proposals/custom-descriptors")]
LINE = re.compile(rb"^(.*): (\d+)/(\d+)$", re.M)
FAILED = re.compile(r"^.*?:(\d+): (.*) failed")

GC_TOKENS = {"struct", "array", "i31", "rec", "sub", "any", "eq", "none", "anyref", "eqref",
             "i31ref", "structref", "arrayref", "nullref", "ref.i31", "ref.test", "ref.cast",
             "ref.eq", "any.convert_extern", "extern.convert_any", "i31.get_s", "i31.get_u"}
GC_PREFIXES = ("struct.", "array.", "br_on_cast")
GC_VALUES = re.compile(r"\(\s*ref\.(struct|array|i31|eq|any)\s*\)|"
                       r"\(\s*ref\.null\s+(any|eq|struct|array|i31|none)\s*\)")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
COMMENT = re.compile(r";;[^\n]*|\(;.*?;\)", re.S)
HEAD = re.compile(r"\((?:\s|\(@[^()]*\))*([a-z_]+)(?:\s|\(@[^()]*\))*(\$\S+|definition|instance)?")
NAME = re.compile(r"\((?:module|invoke|get)\s+(?:definition\s+|instance\s+)?(\$[^\s()\"]+)")


def gc_tokens(text):
    for t in re.split(r"[\s()]+", text):
        if t in GC_TOKENS or t.startswith(GC_PREFIXES):
            return True
    return False


def module_gc(ftext):
    """Whether a (module ...) form holds a GC token."""
    body = COMMENT.sub(" ", ftext)
    if re.match(r"\(\s*module\s+(\$\S+\s+)?binary", body):
        return False
    if re.match(r"\(\s*module\s+(\$\S+\s+)?quote", body):
        return gc_tokens(" ".join(s[1:-1] for s in STRING.findall(body)))
    return gc_tokens(STRING.sub(" ", body))


def gc_lines(path):
    """{line: [needs GC, ...]} of the commands of a script (all but register)."""
    import bisect
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    nl = [i for i, c in enumerate(text) if c == "\n"]
    out = {}
    named, current = {}, False
    for at, ftext, _ in forms(text):
        m = HEAD.match(ftext)
        head = m.group(1) if m else ""
        if not head or head == "register":
            continue
        line = bisect.bisect_right(nl, at - 1) + 1
        inner = ftext.find("(module", 1)
        if head == "module":
            name = NAME.match(ftext)
            if re.match(r"\(\s*module\s+instance", ftext):
                ids = re.findall(r"\$[^\s()]+", ftext)
                gc = named.get(ids[-1], False) if ids else False
            else:
                gc = module_gc(ftext)
            if name:
                named[name.group(1)] = gc
            if not re.match(r"\(\s*module\s+definition", ftext):
                current = gc
        elif head.startswith("assert_") and re.match(r"\(\s*[a-z_]+\s*\(\s*module", ftext):
            gc = module_gc(ftext[inner:])  # an assertion on its own module
        else:  # an action, or an assertion on one
            name = NAME.search(ftext)
            gc = named.get(name.group(1), current) if name else current
            gc = gc or bool(GC_VALUES.search(STRING.sub(" ", ftext)))
        out.setdefault(line, []).append(gc)
    return out


# The feature sets a folder was written against, where not the defaults:
# the threads proposal predates reference types, multi-memory and memory64
# (its scripts expect "multiple tables", "multiple memories", and text
# limits past 2^32-1 to be "i32 constant out of range").
# Every other file runs with the tools' defaults: WebAssembly 3.0, GC included.
FEATURES = {"proposals/threads/": ["--enable-threads", "--disable-reference-types",
                                   "--disable-multi-memory", "--disable-memory64"]}
DEFAULT_FEATURES = []


def features_of(rel):
    return next((f for d, f in FEATURES.items() if rel.startswith(d)), DEFAULT_FEATURES)


def run_file(args):
    tool, suite, rel, extra = args
    res = harness.run([tool, "-v"] + features_of(rel) + extra + ["--spectest", rel], TIMEOUT,
                      cwd=suite)
    m = LINE.search(res.out)
    err = res.err.decode("utf-8", "replace").splitlines()
    if res.crashed() or not m:
        return rel, None, None, err, harness.describe(res)
    return rel, int(m.group(2)), int(m.group(3)), err, None


def read_expected():
    exp = {}
    if os.path.exists(EXPECTED):
        for ln in open(EXPECTED):
            f = ln.split()
            if len(f) == 3 and not ln.startswith("#"):
                exp[f[0]] = (int(f[1]), int(f[2]))
    return exp


def write_expected(got):
    with open(EXPECTED, "w") as f:
        f.write("# tests/spec/spec3.py expectations: PATH PASSED TOTAL (rewrite with --update)\n")
        for rel in sorted(got):
            f.write("%s %d %d\n" % (rel, got[rel][0], got[rel][1]))


def files_of(suite, sub):
    d = os.path.join(suite, sub)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(sub, n) if sub else n for n in os.listdir(d) if n.endswith(".wast"))


def main():
    args = sys.argv[1:]
    verbose, update = "-v" in args, "--update" in args
    only = [a for a in args if not a.startswith("-")]
    build = harness.build_dir()
    suite = os.environ.get("WASM_TESTSUITE3") or os.path.join(harness.ROOT, "..", "shared",
                                                               "wasm-testsuite-3")
    suite = os.path.normpath(os.path.join(harness.ROOT, suite))
    tool = os.path.join(build, "bin", "wlab-run")
    if not harness.need_tool(tool):
        return 2
    groups = [(label, files_of(suite, sub)) for label, sub in GROUPS]
    if not groups[0][1]:
        print("spec3: no .wast files in %s (set WASM_TESTSUITE3)" % suite)
        harness.write_result("spec3.txt", 0, 1)
        return 1
    if only:
        groups = [(label, [f for f in fs if f in only]) for label, fs in groups]
    exp = read_expected()
    jobs = [(tool, suite, rel, []) for _, fs in groups for rel in fs]
    # the top-level files with GC commands again, collecting at every allocation
    stress = [rel for rel in groups[0][1]
              if any(any(v) for v in gc_lines(os.path.join(suite, rel)).values())]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = {r[0]: r for r in pool.map(run_file, jobs)}
        stressed = list(pool.map(run_file, [(tool, suite, rel, ["--gc-stress"]) for rel in stress]))
    got = dict(exp) if only else {}
    passed = failed = 0
    problems, improved = [], []
    for label, fs in groups:
        gp = gt = 0
        for rel in fs:
            _, p, t, err, crash = results[rel]
            e = exp.get(rel)
            if crash:
                problems.append("%s: crashed (%s)" % (rel, crash))
                failed += max(e[0], 1) if e else 1
                got[rel] = e or (0, 0)
                continue
            got[rel] = (p, t)
            gp, gt = gp + p, gt + t
            if verbose:
                for ln in err:
                    print("  " + ln)
            if e is None:
                problems.append("%s: %d/%d, not in %s" % (rel, p, t, os.path.basename(EXPECTED)))
                failed += 1
            elif t != e[1]:
                problems.append("%s: counts %d commands, expected %d" % (rel, t, e[1]))
                failed += 1
            elif p < e[0]:
                problems.append("%s: %d/%d, expected %d passed" % (rel, p, t, e[0]))
                failed += e[0] - p
            elif p > e[0]:
                improved.append("%s: %d/%d, expected %d passed" % (rel, p, t, e[0]))
        passed += gp
        line = "spec3 %s: %d files, %d/%d passed" % (label, len(fs), gp, gt)
        if label == "top level" and fs:
            line += "; " + gc_report(suite, fs, results)
        print(line + "; not yet: %d" % (gt - gp))
    sp = st = 0
    for rel, p, t, err, crash in stressed:
        e = exp.get(rel)
        if crash or e is None or (p, t) != e:
            problems.append("%s under --gc-stress: %s, expected %s" % (
                rel, crash or "%d/%d" % (p, t), "%d/%d" % e if e else "none"))
            failed += 1
        else:
            sp, st = sp + p, st + t
    passed += sp
    print("spec3 gc-stress (top-level files with GC commands, --gc-stress): %d files, %d/%d "
          "passed" % (len(stressed), sp, st))
    for ln in problems:
        print("FAIL " + ln)
    for ln in improved:
        print("improved " + ln)
    if improved and not update:
        print("spec3: %d files pass more than expected: run `python3 tests/spec/spec3.py --update`"
              " and commit tests/spec/spec3-expected.txt" % len(improved))
    if update:  # the new expectations hold; only crashes still fail
        write_expected(got)
        print("spec3: wrote %s" % EXPECTED)
        failed = sum(1 for ln in problems if "crashed" in ln)
    print("spec3: %d passed, %d failed" % (passed, failed))
    harness.write_result("spec3.txt", passed, failed)
    return 0 if failed == 0 else 1


# Why a command that needs GC fails, by its message: the first match names it.
GC_WHY = [("not supported by the interpreter", "GC execution"),
          ("unknown operator", "GC instruction"), ("no module instantiated", "after a failed module"),
          ("module instantiated", "unlinkable accepted"), ("expected a trap", "trap missed"),
          ("incompatible import type", "import refused")]


def gc_report(suite, fs, results):
    """'needs GC: N commands (F failing: K why, ...); without GC: P/T passed'."""
    need = need_fail = other = other_fail = 0
    why = {}
    for rel in fs:
        _, p, t, err, crash = results[rel]
        lines = gc_lines(os.path.join(suite, rel))
        fails = {}
        for ln in err:
            m = FAILED.match(ln[len(rel):]) if ln.startswith(rel + ":") else None
            if m:
                fails.setdefault(int(m.group(1)), []).append(ln)
        for line, flags in lines.items():
            # failures on a line of several commands are charged to GC first
            k = len(flags) if crash else min(len(fails.get(line, [])), len(flags))
            g = sum(flags)
            need, other = need + g, other + len(flags) - g
            need_fail += min(k, g)
            other_fail += k - min(k, g)
            for ln in (fails.get(line, []) if not crash else [""] * k)[:min(k, g)]:
                w = next((name for key, name in GC_WHY if key in ln), "other")
                why[w] = why.get(w, 0) + 1
    reasons = ", ".join("%d %s" % (why[w], w) for w in sorted(why, key=lambda w: -why[w]))
    return "needs GC: %d commands (%d failing%s); without GC: %d/%d passed" % (
        need, need_fail, ": " + reasons if reasons else "", other - other_fail, other)


if __name__ == "__main__":
    sys.exit(main())
