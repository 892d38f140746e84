#!/usr/bin/env python3
"""heldout-binaryen.py: binaryen's own test files as held-out input for
wlab-run's script runner, wlab-objdump and wlab-validate. Run by hand, never
by `make test`:

    BINARYEN_SRC=DIR BUILD=build python3 scripts/heldout-binaryen.py [-v] [-j N]
        [--only spec|binary] [FILE...]

BINARYEN_SRC is a checkout of WebAssembly/binaryen, or a folder holding its
test/ (`git archive HEAD test/spec $(git ls-tree -r --name-only HEAD test |
grep '\\.wasm$')` extracted); unset, the script says so and does nothing.
FILEs are paths relative to it (test/spec/elem.wast, test/stacky.wasm).

spec: every test/spec/**/*.wast (binaryen's copies of spec and proposal
tests, some of them from before 1.0, and its own) runs once through
`$BUILD/bin/wlab-run -v --spectest` with wlab's default features
(WebAssembly 3.0 + threads; timeout, and outside SANITIZE=1 an
address-space limit). Files of proposals beyond 3.0 + threads (BEYOND:
stack switching, shared-everything, custom descriptors, compact imports,
acquire-release atomics, fp16, binaryen's multibyte arrays and tuples) are
skipped and counted; `--all` runs them too, and every other .wast and .wat
under test/ (modules in binaryen's text syntax: test/lit, test/passes...) as
a script, for crashes and hangs only.
A NAME.fail.wast is a module binaryen's wasm-shell must refuse: it agrees
when its one module fails here too. binaryen runs every command (its shell
instantiates and invokes), so each failing command is
  known      examined and explained in KNOWN (binaryen's extensions, the
             text syntax of before 1.0, rules 2.0 or 3.0 changed);
  trap-text  an assert_trap whose function trapped here with another
             message (binaryen's own texts: "oob", "callIndirect: ...");
  new        anything else: a bug of ours until shown otherwise;
and a file is a crash (signal, sanitizer report, exit >= 128), a hang or
unreadable (the reader gave up on it), each a failure.

binary: every .wasm under test/ through `wlab-objdump -h`, `-x` and `-d`,
compared byte for byte (standard output and exit status) with wasm-objdump
of the wabt version tests/compat/objdump_compat.py would choose (1.0.32 on
PATH where its wasm-validate accepts the module, else 1.0.39 from
tests/oracles; harness.objdump_oracle); and `$BUILD/tests/bin/wlab-validate`
against wasm-validate --enable-all (1.0.39) and binaryen's wasm-opt
--all-features (its reader validates). KNOWN_BIN lists the examined
differences. Modules made by `wasm-opt -ttf` are tests/differential's.

Exit status: 0 when no new failure, crash, hang or unexplained difference.
"""
import argparse
import collections
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 60
MEMORY = 8 << 30
READER = re.compile(r"^(.*?):(\d+):\d+: .*$", re.M)

SS = "stack switching, beyond 3.0"
SE = "shared-everything threads, beyond 3.0"
CD = "custom descriptors, beyond 3.0"
# files and folders (relative to test/spec) of proposals beyond 3.0 + threads
BEYOND = {
    "acquire-release-atomics": "acquire-release atomic orderings (shared-everything), beyond 3.0",
    "compact-import-section": "compact imports, beyond 3.0",
    "stack-switching": SS, "cont-validation.wast": SS, "typed_continuations.wast": SS,
    "tag_linked.wast": SS,
    "shared-array.wast": SE, "shared-i31.wast": SE, "shared-polymorphism.wast": SE,
    "shared-ref_eq.wast": SE, "shared-structs.wast": SE, "waitqueue.wast": SE,
    "convert_extern.wast": SE,
    "descriptors.wast": CD, "br_on_cast_desc_eq.wast": CD, "ref.cast_desc_eq.wast": CD,
    "ref.get_desc.wast": CD, "struct.new_desc.wast": CD, "exact-func-import.wast": CD,
    "f16.wast": "fp16, beyond 3.0",
    "array-multibyte.wast": "binaryen's multibyte array loads and stores, not a proposal in 3.0",
    "multivalue.wast": "binaryen's tuple types (tuple.make), not WebAssembly",
}
OLD = "the text syntax of before 1.0 ((if i32 ...), (i32 ...) for (result i32)): malformed in 3.0"
PRINT = ("binaryen's spectest print takes any parameters; the spec's module has print_i32, "
         "print_f64...: print is () -> ()")
UNDEF = ("a tag name no tag defines: the spec's text format calls that malformed "
         "(assert_malformed), binaryen's assert_invalid wants a validation error")
# Failures examined and explained: (file, line) or (file, None) for every
# failure of a file -> why it is binaryen's behaviour, not a bug of ours.
KNOWN = {
    ("comments.wast", 40): "a CR (^M) inside a line comment: 3.0 ends a line comment at CR "
                           "(newline is LF, CR or CR LF), so the control characters after it "
                           "are outside any comment; binaryen ends one only at LF",
    ("array-new-data.wast", 41): "array.get on a packed (i8) array: the spec has only "
                                 "array.get_s/_u for it (\"array is packed\")",
    ("array-new-data.wast", 77): "its module is the invalid one above (array.get of i8)",
    ("array-new-data.wast", 78): "its module is the invalid one above (array.get of i8)",
    ("array-new-data.wast", 79): "its module is the invalid one above (array.get of i8)",
    ("call_ref_linked.wast", None): "ref.func of a function no element segment or export "
                                    "declares: invalid in the spec (undeclared function "
                                    "reference), binaryen does not check it",
    ("elem.wast", 4): "1.0's (elem $t (offset) ...), $t a table: since 2.0 the id names the "
                      "segment, so the repeated $t are duplicates",
    ("elem.wast", None): "1.0's rule, an element segment out of bounds makes the module "
                         "unlinkable; since 2.0 its instantiation traps (assert_trap)",
    ("table_init.wast", 6): "1.0's rule, an element segment out of bounds makes the module "
                            "unlinkable; since 2.0 its instantiation traps",
    ("table_init.wast", None): "(elem $one $one): a function list without `func` after a "
                               "passive segment's id, binaryen's abbreviation, malformed in 3.0",
    ("exception-handling.wast", None): "a local of binaryen's tuple type (local $x (tuple i32 "
                                       "f32)): not WebAssembly; the module's other commands "
                                       "need it",
    ("exception-handling-legacy.wast", None): "binaryen's pop instruction in legacy catch "
                                              "blocks (its IR, not the legacy proposal's text)",
    ("exception-handling.wast", 183): UNDEF, ("exception-handling-legacy.wast", 306): UNDEF,
    ("exception-handling-legacy.wast", 415): UNDEF,
    ("old_address.wast", None): PRINT, ("old_address64.wast", None): PRINT,
    ("old_import.wast", None): PRINT, ("old_start.wast", None): PRINT,
    ("ref_cast.wast", None): "br_on_cast_fail $l anyref (ref struct) to a (ref struct) label: "
                             "the failure type is anyref (rt1 minus rt2), so the module is "
                             "invalid in 3.0; binaryen types it from the operand",
    ("ref_test.wast", None): "(struct i32): struct fields without (field ...), binaryen's "
                             "abbreviation, malformed in 3.0",
    ("simd.wast", None): "an exact nan expected (nan, not nan:arithmetic) from a NaN operand "
                         "of the other sign: 3.0 leaves the sign of a propagated NaN open",
    ("tags.wast", 24): "(tag (attr 1)): the first exception proposal's attribute, not in 3.0",
    ("tags.wast", 29): "(type $t (param i32)): a func type without (func ...), malformed",
    ("typecheck.wast", None): OLD,
    ("unreached-invalid.wast", 538): "br_table to f32 and f64 labels after unreachable: "
                                     "valid since 2.0 (the bottom type), the spec suite has "
                                     "it in unreached-valid.wast",
}
NOGC = ("GC reference types ((ref null $t) params, nullexternref): neither wabt reads them, "
        "so the oracle stays 1.0.32, which gives up; wlab dumps the module")
NOGC_VAL = "wabt 1.0.39's validator has no GC reference types; wasm-opt and wlab accept it"
# .wasm files (relative to BINARYEN_SRC), mode or "validate" -> why we differ
KNOWN_BIN = {
    ("test/lit/binary/global-local-get.test.wasm", "-x"): "an invalid global init (local.get): "
    "wasm-objdump prints the value it never read (uninitialised memory), wlab no value",
    ("test/lit/binary/stacky-nn-tuple.test.wasm", "-h"): NOGC,
    ("test/lit/binary/stacky-nn-tuple.test.wasm", "-x"): NOGC,
    ("test/lit/binary/stacky-nn-tuple.test.wasm", "-d"): NOGC,
    ("test/lit/binary/stacky-nn-tuple.test.wasm", "validate"): NOGC_VAL,
    ("test/unit/input/gc_target_feature.wasm", "-h"): NOGC,
    ("test/unit/input/gc_target_feature.wasm", "-x"): NOGC,
    ("test/unit/input/gc_target_feature.wasm", "-d"): NOGC,
    ("test/unit/input/gc_target_feature.wasm", "validate"): NOGC_VAL,
}


def spec_files(src):
    top = os.path.join(src, "test", "spec")
    out = []
    for d, dirs, names in os.walk(top):
        dirs[:] = sorted(x for x in dirs if x not in ("testsuite", "expected-output"))
        out += [os.path.relpath(os.path.join(d, n), top) for n in names if n.endswith(".wast")]
    return sorted(out)


def beyond(rel):
    return BEYOND.get(rel) or BEYOND.get(rel.split("/")[0])


def known(rel, line):
    return KNOWN.get((rel, line)) or KNOWN.get((rel, None))


def run_spec(job):
    tool, top, rel = job
    return (rel,) + harness.run_script([tool], rel, TIMEOUT, cwd=top)


def spec_report(results, verbose):
    c, new, explained = collections.Counter(), [], []
    for rel, state, passed, total, fails, err, how in results:
        c["files"] += 1
        c["commands"] += total
        c["passed"] += passed
        if state in ("crash", "hang"):
            c[state] += 1
            new.append("%s: %s (%s) %s" % (rel, state, how, " ".join(err.split("\n")[-3:])[:300]))
            continue
        if rel.endswith(".fail.wast"):
            # binaryen's shell must refuse its one module: so must we
            ok = state == "unreadable" or any(cmd == "module" for _, cmd, _ in fails)
            c["fail-agree" if ok else "fail-accepted"] += 1
            if not ok:
                new.append("%s: binaryen refuses it, wlab-run accepts it" % rel)
            continue
        if state == "ok" and not fails and passed < total:
            # the reader gave up on the whole script: FILE:LINE:COL: why
            m = READER.search(err)
            state = "unreadable"
            if m and m.group(1) == rel and known(rel, int(m.group(2))):
                c["known"] += 1
                explained.append("%s [%s]" % (m.group(0), known(rel, int(m.group(2)))))
                continue
        if state != "ok":
            c[state] += 1
            new.append("%s: %s (%s) %s" % (rel, state, how, " ".join(err.split("\n")[-3:])[:300]))
        for line, cmd, why in fails:
            text = "%s:%d: %s: %s" % (rel, line, cmd, why)
            k = known(rel, line)
            if k:
                c["known"] += 1
                explained.append("%s [%s]" % (text, k))
            elif cmd == "assert_trap" and why.startswith("trap \""):
                c["trap-text"] += 1
                explained.append("%s [binaryen's trap message]" % text)
            else:
                c["new"] += 1
                new.append(text)
    print("spec: %d files, %d commands, %d passed; failing commands: %d known, %d trap-text, "
          "%d new; .fail.wast: %d refused as binaryen does, %d accepted; %d crash, %d hang, "
          "%d unreadable" % (c["files"], c["commands"], c["passed"], c["known"], c["trap-text"],
                             c["new"], c["fail-agree"], c["fail-accepted"], c["crash"],
                             c["hang"], c["unreadable"]))
    if verbose:
        for ln in explained:
            print("known " + ln)
    return new


def other_texts(src):
    """The .wast and .wat files under test/ but test/spec: modules in binaryen's
    text syntax (its lit and pass tests), run as scripts by --all."""
    out = []
    for d, dirs, names in os.walk(os.path.join(src, "test")):
        dirs[:] = sorted(x for x in dirs if os.path.join(d, x) != os.path.join(src, "test", "spec"))
        out += [os.path.relpath(os.path.join(d, n), src) for n in names
                if n.endswith((".wast", ".wat"))]
    return sorted(out)


def binary_files(src):
    out = []
    for d, dirs, names in os.walk(os.path.join(src, "test")):
        dirs.sort()
        out += [os.path.relpath(os.path.join(d, n), src) for n in names if n.endswith(".wasm")]
    return sorted(out)


def check_binary(job):
    src, rel, ours, wlab_validate, tools = job
    return rel, harness.heldout_binary(os.path.join(src, rel), ours, wlab_validate, tools, TIMEOUT)


def binary_report(results, verbose):
    return harness.heldout_binary_report(results, KNOWN_BIN, verbose)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", action="store_true", help="print every explained failure")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", choices=("spec", "binary"))
    ap.add_argument("--all", action="store_true",
                    help="also run the files beyond 3.0 and binaryen's other text files, "
                         "for crashes and hangs only")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    src = harness.source_dir("BINARYEN_SRC", "a binaryen checkout or its test/ extracted")
    if not src:
        return 0
    src = os.path.abspath(src)
    build = harness.build_dir()
    tools = harness.wlab_tools(build, "wlab-run", "wlab-objdump", "wlab-validate")
    if not tools:
        return 2
    run_tool, dump_tool, val_tool = tools
    top = os.path.join(src, "test", "spec")
    want = set(args.files)
    new = []

    def init():
        harness.limit_memory(MEMORY)

    with ThreadPoolExecutor(args.j, initializer=init) as pool:
        if args.only in (None, "spec"):
            rels = [r for r in spec_files(src) if not want or "test/spec/" + r in want]
            skipped = collections.Counter(beyond(r) for r in rels if beyond(r))
            jobs = [(run_tool, top, r) for r in rels if not beyond(r)]
            print("heldout-binaryen: %s, %d .wast files, %d run, %d skipped (%s)" % (
                top, len(rels), len(jobs), sum(skipped.values()),
                "; ".join("%s: %d" % kv for kv in sorted(skipped.items()))))
            new += spec_report(list(pool.map(run_spec, jobs)), args.v)
            if args.all:
                broke = [r for r in pool.map(run_spec, [(run_tool, top, r) for r in rels
                                                        if beyond(r)])
                         if r[1] in ("crash", "hang")]
                print("beyond 3.0, for crashes and hangs only: %d files, %d broke" % (
                    sum(skipped.values()), len(broke)))
                new += ["%s (beyond 3.0): %s (%s)" % (r[0], r[1], r[6]) for r in broke]
                texts = other_texts(src)
                broke = [r for r in pool.map(run_spec, [(run_tool, src, r) for r in texts])
                         if r[1] in ("crash", "hang")]
                print("other text files (test/lit, test/passes...; binaryen's syntax), as "
                      "scripts, for crashes and hangs only: %d files, %d broke" % (
                          len(texts), len(broke)))
                new += ["%s: %s (%s)" % (r[0], r[1], r[6]) for r in broke]
        if args.only in (None, "binary"):
            tools = {}
            for t in ("wasm-validate", "wasm-objdump", "wasm-opt"):
                argv, why = harness.oracle(t)
                if argv is None:
                    sys.exit("heldout-binaryen: " + why)
                tools[t] = argv
            rels = [r for r in binary_files(src) if not want or r in want]
            jobs = [(src, r, dump_tool, val_tool, tools) for r in rels]
            new += binary_report(list(pool.map(check_binary, jobs)), args.v)
    for ln in new:
        print("FAIL " + ln)
    print("heldout-binaryen: %d new failures" % len(new))
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
