#!/usr/bin/env python3
"""heldout-wasmtime.py: wasmtime's own .wast tests (its tests/misc_testsuite,
and tests/spec_testsuite/proposals when the checkout has that submodule) as
held-out input for wlab-run's script runner, text parser, validator and
interpreter, and for wlab-wat's round trip. Run by hand, never by `make test`:

    WASMTIME_SRC=DIR BUILD=build python3 scripts/heldout-wasmtime.py [-v] [FILE...]

WASMTIME_SRC is a checkout of bytecodealliance/wasmtime (or its tests
folder); unset, the script says so and does nothing. FILEs are paths
relative to that tests folder (misc_testsuite/simd/...).

Each in-scope .wast runs once through `$BUILD/bin/wlab-run -v --spectest`
(timeout, and outside SANITIZE=1 an address-space limit) with the features
its leading `;;! NAME = true` lines give wasmtime. wasmtime's test runner
starts every proposal it can switch off switched off (what is left: 1.0,
sign extension, saturating conversions, multi-value) and turns on what the
lines name, with what they imply (gc brings function references and
reference types, relaxed SIMD brings SIMD); so does this script, with
wlab's --features/--enable. The spec_testsuite's proposal folders get the
features wasmtime's runner infers for them.

Out of scope, counted as skipped: files whose lines enable a proposal
beyond WebAssembly 3.0 + threads (component model, custom page sizes,
wide arithmetic, stack switching, shared-everything threads, custom
descriptors) or an engine option wlab has no counterpart for
(nan_canonicalization: Cranelift rewriting every NaN to the canonical one).
wasmtime's runner differs from the spec's in two ways that this script
bridges by running a copy of the file ($BUILD/heldout-wasmtime/src/, every
line where it was, so the reports' line numbers hold):
  - it registers every named module it instantiates under its name
    ((module $Mem ...) is importable as "Mem" with no (register)): the
    copy has `(register "Mem" $Mem)` after each such module;
  - it gives misc_testsuite a host module "wasmtime" whose function gc()
    runs a collection, which wasm cannot observe: the copy's first line
    starts with `(module (func (export "gc"))) (register "wasmtime")`,
    one more command in the file's total.

wasmtime runs its tests, so every command is a real expectation. A failing
command is classed by what it is:
  verdict   a module we refuse (text parse, validation, linking) or an
            assert_invalid/assert_malformed/assert_unlinkable we get wrong;
  runtime   an action or runtime assertion (assert_return, assert_trap...);
  message   an assert_trap that trapped, with another message than the one
            expected (wasmtime's runner compares misc_testsuite's messages);
  gated     a disabled feature refused by wlab's text parser where the file
            wants the validator's verdict: both refuse the module;
  bad       a command the script reader could not read;
and a file is a crash (signal, sanitizer report, exit >= 128), a hang
(timeout) or unreadable. KNOWN lists the failures examined and explained
as wasmtime's own behaviour; NOT_YET our own limits, examined and kept;
a trap whose message holds the expected text passes by wasmtime's rule
(substring) and counts as known. All are reported apart.

Round trip (unless --no-roundtrip): each file through
$BUILD/tests/bin/wlab-watrt, as heldout-wasm-tools.py does.

--all also runs the out-of-scope files, with wlab's default features,
through both tools, and reports only crashes and hangs.

Exit status: 0 when no new failure, crash, hang or round-trip difference.
"""
import argparse
import collections
import functools
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 60
MEMORY = 8 << 30  # address space of each wlab-run

# wasmtime's test runner with every switchable proposal off
BASE = ["--features=2.0", "--disable-bulk-memory", "--disable-reference-types",
        "--disable-simd"]
# ;;! option -> the wlab features it turns on (with those wasmtime's runner implies)
WLAB = {"bulk_memory": ["bulk-memory"], "reference_types": ["reference-types"],
        "simd": ["simd"], "relaxed_simd": ["simd", "relaxed-simd"],
        "multi_memory": ["multi-memory"], "memory64": ["memory64"], "threads": ["threads"],
        "tail_call": ["tail-call"], "extended_const": ["extended-const"],
        "exceptions": ["exceptions"],
        "function_references": ["reference-types", "function-references"],
        "function-references": ["reference-types", "function-references"],
        "gc": ["reference-types", "function-references", "gc"]}
# options with nothing to do here: wlab always has legacy exceptions and
# branch hints; gc_types, hogs_memory and spec_test only steer wasmtime's runner
NOOP = {"legacy_exceptions", "branch_hinting", "gc_types", "hogs_memory", "spec_test"}
# proposals beyond 3.0 + threads, and engine options wlab cannot express
BEYOND = {"custom_page_sizes", "wide_arithmetic", "stack_switching",
          "shared_everything_threads", "custom_descriptors", "nan_canonicalization"}
# spec_testsuite/proposals/NAME: the features wasmtime's runner gives them
# (the others it names are beyond 3.0 + threads)
PROPOSALS = {"threads": BASE + ["--enable-bulk-memory", "--enable-threads"]}
OPTION = re.compile(r"^;;!\s*([A-Za-z0-9_-]+)\s*=\s*(\S+)\s*$")

# Failures examined and explained: (file, line) or (file, None) for every
# failure of a file -> why it is wasmtime's behaviour, not a bug of ours.
FOLDED = ("plain instructions as operands of a folded one ((ref.i31 local.get 1)): the "
          "spec's folded form takes folded operands only (wasm-tools' extension)")
REF_FUNC = ("a result (ref.func N): the wast crate's extension (wasmtime matches any non-null "
            "funcref); the spec's script has (ref.func) only")
GC_OOM = ("wasmtime's wording for an array past its GC heap's limit; wlab traps \"out of "
          "memory\" (past --max-heap)")
KNOWN = {
    ("misc_testsuite/gc/anyref_that_is_i31_barriers.wast", None): FOLDED,
    ("misc_testsuite/winch/ref-types-basic.wast", None): REF_FUNC,
    ("misc_testsuite/winch/table_fill.wast", None): REF_FUNC,
    ("misc_testsuite/function-references/call_indirect.wast", None):
        "call_indirect past the table's end: wasmtime's \"out of bounds\" for the spec's "
        "\"undefined element\" (the spec testsuite's call_indirect.wast)",
    ("misc_testsuite/gc/array-alloc-too-large.wast", None): GC_OOM,
    ("misc_testsuite/gc/big-array-overflow.wast", None): GC_OOM,
    ("misc_testsuite/gc/issue-13034.wast", None): GC_OOM,
    ("misc_testsuite/gc/array-copy-non-gc-refs.wast", None):
        "wasmtime's \"null reference\" for the spec's \"null array reference\"",
    ("misc_testsuite/table_copy.wast", 63): "table.copy out of bounds: the spec's \"out of "
    "bounds table access\"; wasmtime keeps the old bulk-memory draft's \"undefined element\"",
    ("misc_testsuite/threads/atomics_wait_address.wast", 75):
        "wasmtime's \"atomic wait on non-shared memory\" for the spec interpreter's "
        "\"expected shared memory\"",
    ("misc_testsuite/threads/atomics_wait_address.wast", 76):
        "wasmtime's \"atomic wait on non-shared memory\" for the spec interpreter's "
        "\"expected shared memory\"",
    ("misc_testsuite/memory64/bounds.wast", 4): "a data segment out of bounds: a trap at "
    "instantiation in the spec (assert_trap); wasmtime's assert_unlinkable takes any failure",
    ("misc_testsuite/memory64/table-too-big.wast", None): "a table of 2^61 elements: wasmtime "
    "traps (its allocation size overflows), wlab refuses the module past its element cap and "
    "table.grow returns -1 as the spec allows",
}
# Our own limits, examined and kept: (file, line or None) -> what
NOT_YET = {}
# round-trip differences the text cannot show
KNOWN_RT = {}

GATED = re.compile(r"needs the [a-z0-9-]+ feature")
# wasmtime's runner passes a trap whose message holds the expected text
# anywhere ("call type mismatch" in "indirect call type mismatch"); wlab's
# and the spec's, when one starts with the other
SUBSTRING = re.compile(r'^trap "(.*)", expected "(.*)"$')
RUNTIME_CMDS = {"assert_return", "assert_trap", "assert_exhaustion", "assert_exception",
                "invoke", "get", "action", "assert_uninstantiable"}


def options(path):
    """The leading `;;! NAME = VALUE` lines of PATH as {NAME: bool}, and
    "(component": whether the file has a component (on by default in
    wasmtime, so not always among the lines)."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for ln in text.splitlines():
        if not ln.startswith(";;!"):
            break
        m = OPTION.match(ln.strip())
        if m:
            out[m.group(1)] = m.group(2) in ("true", "yes")
    out["(component"] = bool(re.search(r"^\s*\(component\b", text, re.M))
    return out


def features(rel, opts):
    """(wlab feature options, None) or (None, why the file is out of scope)."""
    parts = rel.split("/")
    if parts[0] == "spec_testsuite":
        if len(parts) > 2 and parts[1] == "proposals":
            return (PROPOSALS[parts[2]], None) if parts[2] in PROPOSALS else (
                None, "proposal %s beyond 3.0+threads" % parts[2])
        return None, "the spec testsuite itself (run by make test)"
    if any(p.startswith("component-model") for p in parts) or opts.get("(component"):
        return None, "the component model"
    on = []
    for name, value in sorted(opts.items()):
        if name == "(component":
            continue
        if name in BEYOND and value:
            return None, "enables %s" % name
        if name.startswith("component_model") and value:
            return None, "enables the component model"
        if name in WLAB:
            if value:
                on += WLAB[name]
        elif name not in NOOP and name not in BEYOND and not name.startswith("component_model"):
            return None, "option %s has no wlab switch" % name
    return BASE + ["--enable-" + f for f in dict.fromkeys(on)], None


def folder(rel):
    parts = rel.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def classify(cmd, why):
    if cmd == "bad command":
        return "bad"
    if GATED.search(why):
        return "gated"
    if cmd in RUNTIME_CMDS:
        return "message" if why.startswith("trap \"") else "runtime"
    return "verdict"


def known(rel, line):
    return KNOWN.get((rel, line)) or KNOWN.get((rel, None))


def named_modules(text):
    """[(end, name)...]: each top-level (module $NAME ...) that instantiates
    (not a definition) and (module instance $NAME ...), with the offset just
    past its closing parenthesis. Strings and comments are skipped."""
    out, depth, i, start = [], 0, 0, None
    head = re.compile(r"\(\s*module\s+(?:instance\s+)?\$([^\s()]+)(\s+definition\b)?")
    while i < len(text):
        c = text[i]
        if text.startswith(";;", i):
            i = text.find("\n", i)
            i = len(text) if i < 0 else i
            continue
        if text.startswith("(;", i):
            nest, i = 1, i + 2
            while i < len(text) and nest:
                nest += text.startswith("(;", i) - text.startswith(";)", i)
                i += 2 if text.startswith(("(;", ";)"), i) else 1
            continue
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                m = head.match(text, start)
                if m and not m.group(2):
                    out.append((i + 1, m.group(1)))
        i += 1
    return out


def wasmtime_copy(root, rel, out_dir):
    """The directory to run REL from: ROOT, or OUT_DIR/src holding a copy of
    REL with wasmtime's registrations made explicit (see the top)."""
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        text = f.read()
    names = named_modules(text)
    gc = re.search(r'\(import\s+"wasmtime"', text)
    if not names and not gc:
        return root
    for end, name in reversed(names):
        text = text[:end] + ' (register "%s" $%s)' % (name, name) + text[end:]
    if gc:
        text = '(module (func (export "gc"))) (register "wasmtime") ' + text
    path = os.path.join(out_dir, "src", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return os.path.join(out_dir, "src")


def run_file(out_dir, job):
    tool, root, rel, opts = job
    if rel.startswith("misc_testsuite/"):
        root = wasmtime_copy(root, rel, out_dir)
    return (rel,) + harness.run_script([tool] + opts, rel, TIMEOUT, cwd=root)


def roundtrip(job):
    tool, root, rel, opts, out_dir = job
    return harness.watrt_run(tool, root, rel, opts, out_dir, TIMEOUT, rel in KNOWN_RT)


def tests_dir(src):
    d = os.path.join(src, "tests")
    return d if os.path.isdir(os.path.join(d, "misc_testsuite")) else src


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", action="store_true", help="print every explained failure")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--no-roundtrip", action="store_true")
    ap.add_argument("--all", action="store_true",
                    help="also run the out-of-scope files (default features), for crashes and "
                         "hangs only")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    src = harness.source_dir("WASMTIME_SRC", "a wasmtime checkout")
    if not src:
        return 0
    root = tests_dir(os.path.abspath(src))
    build = harness.build_dir()
    tool = os.path.join(build, "bin", "wlab-run")
    rt_tool = os.path.join(build, "tests", "bin", "wlab-watrt")
    if not harness.need_tool(tool):
        return 2
    if args.files:
        rels = args.files
    else:
        rels = sorted(os.path.relpath(os.path.join(d, n), root)
                      for sub in ("misc_testsuite", "spec_testsuite/proposals")
                      for d, _, names in os.walk(os.path.join(root, sub))
                      for n in names if n.endswith(".wast"))
    out_dir = os.path.join(build, "heldout-wasmtime")
    skipped = collections.Counter()
    jobs, others = [], []
    for rel in rels:
        opts, why = features(rel, options(os.path.join(root, rel)))
        if opts is None:
            skipped[why] += 1
            others.append((tool, root, rel, []))
            continue
        jobs.append((tool, root, rel, opts))
    print("heldout-wasmtime: %s, %d .wast files, %d in scope, %d skipped (%s)" % (
        root, len(rels), len(jobs), sum(skipped.values()),
        ", ".join("%s: %d" % kv for kv in sorted(skipped.items()))))

    results, rts, broke = harness.heldout_runs(args, MEMORY, functools.partial(run_file, out_dir),
                                               roundtrip, jobs, others, rt_tool, out_dir)
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
            sub = SUBSTRING.match(why)
            if sub and sub.group(2) in sub.group(1):
                r["known"] += 1
                explained.append("%s [wasmtime's rule: the expected text is part of the "
                                 "message]" % text)
            elif gap:
                r["not yet"] += 1
                explained.append("%s [not yet: %s]" % (text, gap))
            elif k:
                r["known"] += 1
                explained.append("%s [%s]" % (text, k))
            else:
                r[kind] += 1
                if kind == "gated":
                    explained.append("%s [a disabled feature, refused by the text parser "
                                     "(the file wants the validator)]" % text)
                else:
                    new.append("%s [%s]" % (text, kind))
    harness.heldout_table(rows, [("verdict", "verdict"), ("runtime", "runtime"),
                                 ("message", "message"), ("gated", "gated"), ("bad", "bad"),
                                 ("known", "known"), ("notyet", "not yet"), ("crash", "crash"),
                                 ("hang", "hang"),
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
    print("heldout-wasmtime: %d new failures" % len(new))
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
