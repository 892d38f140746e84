#!/usr/bin/env python3
"""heldout-wasm-tools.py: wasm-tools' own .wast tests (its tests/cli) as
held-out input for wlab-run's script runner, text parser and validator, and
for wlab-wat's round trip. Run by hand, never by `make test`:

    WASM_TOOLS_SRC=DIR BUILD=build python3 scripts/heldout-wasm-tools.py [-v] [FILE...]

WASM_TOOLS_SRC is a checkout of bytecodealliance/wasm-tools (or its
tests/cli folder); unset, the script says so and does nothing. FILEs are
paths relative to tests/cli.

Each in-scope .wast runs once through `$BUILD/bin/wlab-run -v --spectest`
(timeout, and outside SANITIZE=1 an address-space limit), with the features
its `;; RUN:` line gives wasm-tools (`-f`/`--features`: wasm1, wasm2, wasm3,
mvp and single proposals map onto wlab's --features/--enable/--disable).
Out of scope, counted as skipped: the folders of proposals beyond
WebAssembly 3.0 + threads (component-model, stack-switching,
shared-everything-threads, compact-imports, custom-descriptors,
custom-page-sizes, wide-arithmetic), files whose RUN line enables such a
proposal or a feature set wlab cannot express (lime1, -floats,
-mutable-global...), and files whose RUN is not `wast`.

wasm-tools' `wast` parses and validates; it never instantiates nor runs.
So each failing command is classed by what it is:
  verdict   a module we refuse (text parse or validation) or an
            assert_invalid/assert_malformed we get wrong: what wasm-tools
            checks, and what this script is for;
  runtime   an action or runtime assertion (assert_return, assert_trap...),
            or a module that validates but does not link or instantiate
            here (a host import wasm-tools never provides): wasm-tools
            never checked these, so the script's expectation is unverified;
  bad       a command the script reader could not read;
and a file is a crash (signal, sanitizer report, exit >= 128), a hang
(timeout) or unreadable (no "FILE: P/T" line, or the reader's error).
KNOWN lists the failures examined and explained as wasm-tools' own
behaviour (its extensions, or strictness where the spec is silent); they
are reported apart from the new ones.

Round trip (unless --no-roundtrip): each file through
$BUILD/tests/bin/wlab-watrt, which prints every module that validates as
text and parses it back (flat and folded), expecting the same binary.

--all also runs the out-of-scope files, with wlab's default features,
through both tools, and reports only crashes and hangs: a crash is a bug
whatever the input.

Exit status: 0 when no new failure, crash, hang or round-trip difference.
"""
import argparse
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 60
MEMORY = 8 << 30  # address space of each wlab-run

# folders (relative to tests/cli) of proposals beyond 3.0 + threads
SKIP_DIRS = ["component-model", "stack-switching", "shared-everything-threads",
             "compact-imports", "custom-page-sizes", "spec/proposals/custom-descriptors",
             "spec/proposals/custom-page-sizes", "spec/proposals/wide-arithmetic",
             "missing-features/component-model"]
# wasm-tools feature names that are wlab's under another name, or the same
WLAB = {"sign-extension": "sign-ext", "saturating-float-to-int": "saturating-float-to-int",
        "multi-value": "multi-value", "bulk-memory": "bulk-memory",
        "reference-types": "reference-types", "simd": "simd", "relaxed-simd": "relaxed-simd",
        "threads": "threads", "tail-call": "tail-call", "multi-memory": "multi-memory",
        "exceptions": "exceptions", "memory64": "memory64", "extended-const": "extended-const",
        "function-references": "function-references", "gc": "gc"}
SETS = {"wasm1": ["--features=1.0"], "mvp": ["--features=1.0"], "wasm2": ["--features=2.0"],
        "wasm3": [], "default": []}
# proposals beyond 3.0 + threads: a file that enables one is out of scope
BEYOND = {"custom-page-sizes", "wide-arithmetic", "custom-descriptors", "stack-switching",
          "shared-everything-threads", "component-model", "compact-imports", "memory-control",
          "lime1", "cm-async", "cm-values", "cm-nested-names", "cm-error-context",
          "cm-fixed-length-lists", "cm-gc", "cm-threading", "cm-map", "cm64"}
# always on in wlab (legacy exceptions) or with no switch in wlab: disabling
# them is a no-op only for those wlab lacks anyway
NOOP_ON = {"legacy-exceptions", "mutable-global", "gc-types", "floats", "bulk-memory-opt",
           "call-indirect-overlong"}
NOOP_OFF = BEYOND - {"lime1"}

SET = "shared-everything-threads syntax, beyond 3.0"
LITMUS = ("this copy registers \"mem\" only inside the threads and imports it in the "
          "script's $Check (line 45): a thread's register stays the thread's here, as the "
          "threads proposal's thread.wast expects (cmd/wlab-run/threads.c), so $Check is "
          "unlinkable and line 64 has no $Check; binaryen's copy, which registers \"mem\" in "
          "the script too, passes (its check's second clause also reads local 0 where its "
          "comment says L_1)")
# Failures examined and explained: (file, line) or (file, None) for every
# failure of a file -> why it is wasm-tools' behaviour, not a bug of ours.
KNOWN = {
    ("empty.wast", None): "an empty text (or only a comment) is malformed for wasm-tools; "
                          "the spec reads it as a module of no fields",
    ("producers.wast", 27): "@producers is a tool-conventions annotation; the spec ignores "
                            "annotations it does not know, wasm-tools checks its syntax",
    ("unreachable-valid.wast", 13): "assert_trap on a function that returns (br 0 "
                                    "leaves it): wasm-tools never runs it",
    ("wat-numerics.wast", None): "numeric values in data segments ((i8 1 2) ...): the "
                                 "wat-numeric-values proposal, not in 3.0",
    ("memory-discard.wast", None): "memory.discard: the memory-control proposal, not in 3.0",
    ("wide-arithmetic.wast", None): "wide-arithmetic: beyond 3.0 (on by default in wasm-tools)",
    ("custom-descriptors.wast", None): "custom-descriptors: beyond 3.0",
    ("custom-descriptors-ops.wast", None): "custom-descriptors: beyond 3.0",
    ("branch-hinting/folded-inside.wast", 8): "a branch hint between a folded if's condition "
    "and its (then: wlab gives it to the next instruction, wasm-tools calls it malformed; "
    "the spec's appendix does not say",
    ("custom-descriptors-disabled.wast", None): "custom-descriptors syntax, beyond 3.0 "
                                                "(wlab does not parse it at all)",
    ("gc/gc-ref.wast", 5): "plain instructions as operands of a folded one ((select ... "
                           "unreachable unreachable (i32.const 0))): the spec's folded form "
                           "takes folded operands only",
    ("gc/gc-subtyping-too-deep.wast", None): "a supertype chain deeper than 63: the JS API's "
                                             "implementation limit, not a core rule",
    ("missing-features/mutable-global-disabled.wast", None): "wasm-tools' mvp set predates "
                                                             "1.0's mutable global imports",
    ("missing-features/function-references/hint.wast", None): "function-references without "
                                                              "gc: a pre-3.0 combination",
    ("missing-features/custom-page-sizes.wast", None): "custom-page-sizes syntax, beyond 3.0",
    ("missing-features/wide-arithmetic.wast", None): "wide-arithmetic, beyond 3.0",
    ("missing-features/shared-everything-threads-arrays.wast", None): SET,
    ("missing-features/shared-everything-threads-globals.wast", None): SET,
    ("missing-features/shared-everything-threads-structs.wast", None): SET,
    ("missing-features/shared-everything-threads-tables.wast", None): SET,
    ("missing-features/shared-everything-threads-types.wast", None): SET,
    ("missing-features/gc/shared-any.wast", None): SET,
    ("missing-features/gc/shared-everything-threads-arrays.wast", None): SET,
    ("missing-features/gc/shared-everything-threads-structs.wast", None): SET,
    ("missing-features/reference-types/shared-everything-threads-types.wast", None): SET,
    ("upstream-threads/LB.wast", 64): LITMUS,
    ("upstream-threads/SB.wast", 64): LITMUS,
}
# Our own gaps, examined and not fixed: (file, None) -> what is missing
NOT_YET = {}
# round-trip differences the text cannot show (tests/wat/roundtrip3-exceptions.txt's causes)
KNOWN_RT = {
    "missing-features/issue540.wast": "segment-encoding: flags 2 with memory or table 0",
}

# wlab's text parser refuses what a disabled feature brings; wasm-tools parses
# it and its validator refuses it: both refuse the module
GATED = re.compile(r"needs the [a-z0-9-]+ feature")
RUNTIME_CMDS = {"assert_return", "assert_trap", "assert_exhaustion", "assert_exception",
                "invoke", "get", "action", "assert_unlinkable", "assert_uninstantiable"}
LINK_WHY = ("unknown import", "incompatible import", "no module instantiated", "trap",
            "no export", "uncaught exception", "out of bounds", "unreachable")


def cli_dir(src):
    d = os.path.join(src, "tests", "cli")
    return d if os.path.isdir(d) else src


def run_line(path):
    """The `;; RUN:` command of a file with its continuation lines joined."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith(";; RUN:"):
            out = ln[len(";; RUN:"):]
            while out.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                out = out.rstrip()[:-1] + " " + lines[i].lstrip(";").strip()
            return out.split()
    return []


def features(words):
    """(wlab feature options, None) or (None, why the file is out of scope)."""
    if not words or words[0] != "wast":
        return None, "RUN is not `wast`"
    if "%" not in words:  # spec/: stubs naming tests/testsuite/*.wast, a submodule
        return None, "RUN runs another file (the spec testsuite)"
    sets = []
    for i, w in enumerate(words):
        if w in ("-f", "--features") and i + 1 < len(words):
            sets.append(words[i + 1])
        elif w.startswith(("-f=", "--features=")):
            sets.append(w.split("=", 1)[1])
    opts = []
    for s in sets:
        for f in s.split(","):
            off = f.startswith("-")
            f = f.lstrip("+-")
            if f in SETS and not off:
                opts += SETS[f]
            elif f in WLAB:
                opts.append(("--disable-" if off else "--enable-") + WLAB[f])
            elif off and f in NOOP_OFF:
                pass
            elif not off and f in NOOP_ON:
                pass
            elif f in BEYOND:
                return None, "enables %s" % f
            else:
                return None, "feature %s%s has no wlab switch" % ("-" if off else "", f)
    return opts, None


def in_scope(rel):
    return not any(rel == d or rel.startswith(d + "/") for d in SKIP_DIRS)


def folder(rel):
    parts = rel.split("/")
    if parts[0] == "spec":
        return "/".join(parts[:3]) if len(parts) > 3 else "spec"
    return parts[0] if len(parts) > 1 else "(top level)"


def classify(cmd, why):
    if cmd == "bad command":
        return "bad"
    if GATED.search(why):
        return "gated"
    if cmd in RUNTIME_CMDS:
        return "runtime"
    if why.startswith("module: "):
        why = why[len("module: "):]
    if cmd in ("module", "module instance") and why.startswith(LINK_WHY):
        return "runtime"
    return "verdict"


def known(rel, line):
    return KNOWN.get((rel, line)) or KNOWN.get((rel, None))


def run_file(job):
    tool, cli, rel, opts = job
    return (rel,) + harness.run_script([tool] + opts, rel, TIMEOUT, cwd=cli)


def roundtrip(job):
    tool, cli, rel, opts, out_dir = job
    return harness.watrt_run(tool, cli, rel, opts, out_dir, TIMEOUT, rel in KNOWN_RT)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", action="store_true", help="print every failing command")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--no-roundtrip", action="store_true")
    ap.add_argument("--all", action="store_true",
                    help="also run the out-of-scope files (default features), for crashes and "
                         "hangs only")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    src = harness.source_dir("WASM_TOOLS_SRC", "a wasm-tools checkout")
    if not src:
        return 0
    cli = cli_dir(os.path.abspath(src))
    build = harness.build_dir()
    tool = os.path.join(build, "bin", "wlab-run")
    rt_tool = os.path.join(build, "tests", "bin", "wlab-watrt")
    if not harness.need_tool(tool):
        return 2
    if args.files:
        rels = args.files
    else:
        rels = sorted(os.path.relpath(os.path.join(d, n), cli)
                      for d, _, names in os.walk(cli) for n in names if n.endswith(".wast"))
    skipped = collections.Counter()
    jobs, others = [], []
    for rel in rels:
        opts, why = features(run_line(os.path.join(cli, rel)))
        if not in_scope(rel):
            opts, why = None, "folder beyond 3.0+threads"
        if opts is None:
            skipped[why] += 1
            others.append((tool, cli, rel, []))
            continue
        jobs.append((tool, cli, rel, opts))
    print("heldout-wasm-tools: %s, %d .wast files, %d in scope, %d skipped (%s)" % (
        cli, len(rels), len(jobs), sum(skipped.values()),
        ", ".join("%s: %d" % kv for kv in sorted(skipped.items()))))

    results, rts, broke = harness.heldout_runs(args, MEMORY, run_file, roundtrip, jobs, others,
                                               rt_tool, os.path.join(build, "heldout-wasm-tools"))
    # per folder: files, commands, passed, verdict/runtime/bad failures (new, known), states
    rows = collections.OrderedDict()
    new, explained = [], []
    for rel, state, passed, total, fails, err, how in results:
        r = rows.setdefault(folder(rel), collections.Counter())
        r["files"] += 1
        r["commands"] += total
        r["passed"] += passed
        if state != "ok":
            r[state] += 1
            tail = " ".join(err.strip().splitlines()[-3:])[:300]
            new.append("%s: %s (%s) %s" % (rel, state, how, tail))
        for line, cmd, why in fails:
            kind = classify(cmd, why)
            k = known(rel, line)
            text = "%s:%d: %s: %s" % (rel, line, cmd, why)
            gap = NOT_YET.get((rel, line)) or NOT_YET.get((rel, None))
            if gap:
                r["not yet"] += 1
                explained.append("%s [not yet: %s]" % (text, gap))
            elif k:
                r["known"] += 1
                explained.append("%s [%s]" % (text, k))
            else:
                r[kind] += 1
                if kind == "runtime":
                    explained.append("%s [runtime: not checked by wasm-tools]" % text)
                elif kind == "gated":
                    explained.append("%s [a disabled feature, refused by the text parser "
                                     "(assert_invalid wants the validator)]" % text)
                else:
                    new.append(text)
    harness.heldout_table(rows, [("verdict", "verdict"), ("runtime", "runtime"),
                                 ("gated", "gated"), ("bad", "bad"), ("known", "known"),
                                 ("notyet", "not yet"), ("crash", "crash"), ("hang", "hang"),
                                 ("unrd", "unreadable")])
    if rts:
        new += harness.watrt_summary(rts)
    if args.v:
        for ln in explained:
            print("known " + ln)
    if args.all:
        new += broke
    for ln in new:
        print("FAIL " + ln)
    print("heldout-wasm-tools: %d new failures" % len(new))
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
