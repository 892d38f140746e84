#!/usr/bin/env python3
"""heldout-wabt-text.py: wabt's own tests of its interpreter and text parser
as held-out input for wlab-run --run-all-exports and for the text assembler
(wlab_wat_to_binary, through $BUILD/tests/bin/wlab-wat2wasm, whose command
line is wat2wasm's, then $BUILD/tests/bin/wlab-validate, since wat2wasm
validates what it writes). Run by hand, never by `make test`:

    WABT_SRC=DIR BUILD=build python3 scripts/heldout-wabt-text.py [-v] [FOLDER...]

WABT_SRC is a checkout of WebAssembly/wabt (or a folder holding its test/);
unset, the script says so and does nothing. FOLDERs default to interp parse
typecheck regress roundtrip.

The expectations written in the files (after `(;; STDOUT`) are a newer
wabt's; they are not used. The oracles are the binaries: Debian's wabt
1.0.32 (wat2wasm, wasm-interp on PATH), and npm's wabt 1.0.39
(tests/oracles) where 1.0.32 refuses a file (a feature it lacks).

interp: each `;;; TOOL: run-interp` file is assembled by the oracle wat2wasm
with the file's ARGS*/ARGS0 feature flags, then run by `wasm-interp
--run-all-exports` (the same wabt version) and by `wlab-run
--run-all-exports`, each with the file's interpreter flags
(ARGS/ARGS*/ARGS1: features, --host-print, --dummy-import-func); standard
output and the exit status must be the same. A file with --run-export and
--argument runs under wasm-interp 1.0.39 (1.0.32 has no such flags) and
wlab-run with the same flags (skipped, and said so, when 1.0.39 is not
installed). A file whose interpreter flags wlab-run lacks (--trace, -v) is
skipped.

parse, typecheck, regress, roundtrip: each `;;; TOOL: wat2wasm` or
`run-roundtrip` file goes through wat2wasm 1.0.32 with the file's feature
flags (1.0.39 when 1.0.32 refuses) and through wlab-wat2wasm with the same
features (wabt 1.0.32's defaults: --features=2.0 plus the file's enables;
wabt's --enable-all and the 1.0.39 fallback: wlab's defaults). The verdicts
(accept/refuse) must agree and, when both accept, the binaries must be the
same bytes or print the same under `wasm2wat --no-debug-names` (counted
apart). For run-roundtrip files assembled by 1.0.32 whose wasm2wat options
wlab-wat has (--fold-exprs), `wlab-wat [--fold]` must also print that
binary as `wasm2wat` 1.0.32 does, byte for byte. Other TOOLs (wast2json, run-objdump...), flags for proposals
wlab lacks (annotations, code-metadata, custom-page-sizes...) and --no-check
are skipped.

KNOWN lists the disagreements examined (wabt's leniency and extensions, the
oracles' bugs, typed-reference text the oracles lack); they count apart.
Every run of ours has a timeout; a signal, a sanitizer report or an exit
status >= 128 is a crash, counted apart whatever the verdict.
Exit status: 0 when no disagreement and no crash.
"""
import argparse
import collections
import os
import shlex
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 300 if harness.sanitized() else 30
FOLDERS = ["interp", "parse", "typecheck", "regress", "roundtrip"]
# wabt feature names wlab spells otherwise
RENAME = {"sign-extension": "sign-ext"}
# wabt 1.0.32's features on by default
WABT_DEFAULT = {"sign-ext", "saturating-float-to-int", "multi-value", "bulk-memory",
                "reference-types", "simd", "mutable-globals"}
G = {}
# disagreements examined: wabt's leniency or extensions, oracle bugs, and
# features the oracles lack that wlab has (the spec's grammar decides)
OLD_WABT = "wabt (1.0.32 and 1.0.39) lacks this part of the typed function references text"
KNOWN = {
    "interp/memory64-offset-oob.txt": "wasm-interp 1.0.39 wraps a 64-bit offset to 32 bits (the "
                                      "file's comment says it must trap; wlab-run traps)",
    "interp/table64-oob.txt": "wasm-interp 1.0.39 wraps a 64-bit table index (wlab-run traps)",
    "interp/select-ref.txt": "wasm-interp 1.0.32 refuses select on typed refs (its validator)",
    "parse/bad-references.txt": "wat2wasm 1.0.32 accepts (ref N) to an undefined type; invalid",
    "parse/expr/callref-imported-function.txt": OLD_WABT + " (call_ref $t)",
    "parse/expr/callref-internal-function.txt": OLD_WABT + " (call_ref 0)",
    "roundtrip/fold-callref.txt": OLD_WABT + " (call_ref $t)",
    "roundtrip/fold-function-references.txt": "call_ref without a type index: the proposal's "
                                              "old text, not the spec's (wabt marks it SKIP)",
    "regress/regress-2670.txt": OLD_WABT + " ((ref func))",
    "typecheck/callindirect-typed-ref.txt": OLD_WABT + " ((ref null $t) tables)",
    "roundtrip/ref-types.txt": "wat2wasm 1.0.32 fails an assertion (1.0.39 accepts)",
    "roundtrip/table64-max-index.txt": "wabt caps i64 table limits at 2^32-1; table64 allows u64",
    "regress/empty-quoted-module.txt": "(module quote \"\") is the empty module in the spec's "
                                       "grammar (fields may stand alone); 1.0.32 asserts, 1.0.39 "
                                       "refuses",
    "parse/module/struct.txt": "wabt's pre-standard GC text: a struct field without (field)",
    "parse/module/struct-and-func.txt": "wabt's pre-standard GC text: a struct field without (field)",
    "parse/module/struct-mut-field.txt": "wabt's pre-standard GC text: a struct field without (field)",
    "roundtrip/apply-memory-names.txt": "wabt's extension memory.copy (memory 0) (memory 1); the "
                                        "spec writes memory.copy 0 1",
    "roundtrip/table-init-index.txt": "wabt's leniency: (elem $e 0), a passive segment of "
                                      "function indices without `func`",
    "typecheck/bad-typed-select-type-mismatch.txt": "wat2wasm 1.0.32 accepts an ill-typed "
                                                    "select (the file expects an error)",
    "typecheck/bad-callindirect-table-externref.txt": "wat2wasm 1.0.32 accepts call_indirect on "
                                                      "an externref table (the file expects an error)",
    "typecheck/bad-returncallindirect-table-externref.txt": "wat2wasm 1.0.32 accepts it (the "
                                                            "file expects an error)",
    "typecheck/bad-returncallindirect-table64-type-mismatch.txt": "wat2wasm 1.0.39 accepts an "
                                                                  "i32 index into an i64 table (the file expects an error)",
    # printing (wlab-wat against wasm2wat 1.0.32), all beyond WebAssembly 2.0 but one
    "roundtrip/fold-simd-store-lane.txt": "wasm2wat 1.0.32 folds a store_lane into the f32.neg "
                                          "after it, as if it pushed a value (the file's comment "
                                          "and a newer wabt's expectation: it must not); "
                                          "wlab-wat does not",
    "regress/write-memuse.txt": "multi-memory: 1.0.32 writes a data segment's memory bare (1), "
                                "wlab-wat as (memory 1); both read back the same",
    "roundtrip/extended-const.txt": "extended-const: wasm2wat 1.0.32 spreads a constant "
                                    "expression over lines, wlab-wat folds it on one",
    "roundtrip/fold-block-labels.txt": "legacy try: wlab-wat prints it unfolded (docs/wlab-wat.md)",
    "roundtrip/fold-rethrow.txt": "legacy try: wlab-wat prints it unfolded (docs/wlab-wat.md)",
    "roundtrip/fold-try-delegate.txt": "legacy try: wlab-wat prints it unfolded (docs/wlab-wat.md)",
    "roundtrip/fold-try.txt": "legacy try: wlab-wat prints it unfolded (docs/wlab-wat.md)",
}


def directives(path):
    """{key: value} of the file's leading `;;; KEY: VALUE` lines."""
    d = {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line.startswith(";;;"):
                break
            key, _, value = line[3:].strip().partition(":")
            d[key.strip()] = (d.get(key.strip(), "") + " " + value.strip()).strip()
    return d


def split_features(args):
    """(wabt feature flags, other flags, wlab flags or None when wlab lacks
    a feature, enable_all)"""
    wabt, other, ours, all_ = [], [], [], False
    known = G["features"]
    for a in args:
        if a == "--enable-all":
            wabt.append(a)
            all_ = True
        elif a.startswith("--enable-") or a.startswith("--disable-"):
            wabt.append(a)
            on = a.startswith("--enable-")
            name = a.split("-", 3)[3]
            name = RENAME.get(name, name)
            if name not in known:
                if name == "mutable-globals" and on:
                    continue
                ours = None
            elif ours is not None:
                ours.append(("--enable-" if on else "--disable-") + name)
        else:
            other.append(a)
    return wabt, other, ours, all_


def wlab_flags(ours, all_, fallback):
    if all_ or fallback:
        return [f for f in ours if f.startswith("--disable-")]
    return ["--features=2.0"] + ours


def wat2wasm(version, flags, src, out):
    cmd = (["wat2wasm"] if version == "1.0.32" else G["wat2wasm39"]) + flags + [src, "-o", out]
    return harness.run(cmd, 120)


def assemble(flags, src, out):
    """(version, result) of the oracle: 1.0.32, else 1.0.39 when it accepts."""
    r = wat2wasm("1.0.32", flags, src, out)
    if r.rc == 0 or not G["wat2wasm39"]:
        return "1.0.32", r
    r39 = wat2wasm("1.0.39", flags, src, out)
    if r39.rc == 0:
        return "1.0.39", r39
    return "1.0.32", r


def text_of(path):
    r = harness.run(["wasm2wat", "--no-debug-names", "--enable-all", path], 60)
    return r.rc, r.out


def check_text(path, d, tmp):
    tool = d.get("TOOL", "wat2wasm")
    if tool not in ("wat2wasm", "run-roundtrip"):
        return "skip", "TOOL " + tool
    if "STDIN_FILE" in d or "STDIN" in d or "RUN" in d:
        return "skip", "stdin or own RUN"
    args = shlex.split(" ".join(v for k, v in d.items() if k.startswith("ARGS")))
    wabt, other, ours, all_ = split_features(args)
    if ours is None:
        return "skip", "a proposal wlab lacks: " + " ".join(wabt)
    if "--no-check" in other:
        return "skip", "--no-check"
    ref_out, our_out = os.path.join(tmp, "ref.wasm"), os.path.join(tmp, "ours.wasm")
    version, ref = assemble(wabt, path, ref_out)
    flags = wlab_flags(ours, all_, version != "1.0.32")
    mine = harness.run([G["wat2wasm"]] + flags + [path, "-o", our_out], TIMEOUT)
    if mine.rc == 0:  # wat2wasm validates; wlab's assembler leaves that to the validator
        mine = harness.run([G["validate"]] + flags + [our_out], TIMEOUT)
    if mine.crashed():
        return "crash", "%s: %s" % (harness.describe(mine), mine.err.decode("utf-8", "replace")[-300:])
    err = mine.err.decode("utf-8", "replace").strip().splitlines()
    ref_err = ref.err.decode("utf-8", "replace").strip().splitlines()
    if (ref.rc == 0) != (mine.rc == 0):
        return "disagree", "wat2wasm %s %s, wlab %s: %s" % (
            version, "accepts" if ref.rc == 0 else "refuses (%s)" % (ref_err[:1] or ["?"])[0][:150],
            "accepts" if mine.rc == 0 else "refuses", (err[:1] or [""])[0][:200])
    if ref.rc != 0:
        return "agree", "both refuse"
    with open(ref_out, "rb") as f:
        a = f.read()
    with open(our_out, "rb") as f:
        b = f.read()
    if a == b:
        printed = print_check(d, other, ref_out, tmp) if version == "1.0.32" else None
        if printed:
            return "disagree", printed
        return "agree", "same bytes"
    if text_of(ref_out) == text_of(our_out):
        return "agree-text", "same text, other bytes (%d vs %d)" % (len(a), len(b))
    return "disagree", "both accept, different modules (%d vs %d bytes)" % (len(a), len(b))


def print_check(d, other, wasm, tmp):
    """For run-roundtrip files: wlab-wat's text of wat2wasm's binary against
    wasm2wat 1.0.32's (--fold-exprs as --fold); None when the same or when
    the file asks for a wasm2wat option wlab-wat lacks (--generate-names,
    --inline-export, --inline-import...)."""
    if d.get("TOOL") != "run-roundtrip":
        return None
    opts = [o for o in other if o != "--stdout"]
    if any(o not in ("--fold-exprs", "--debug-names") for o in opts):
        return None
    fold = ["--fold-exprs"] if "--fold-exprs" in opts else []
    ref = harness.run(["wasm2wat", "--enable-all"] + fold + [wasm], 60)
    if ref.rc != 0:
        return None
    out = os.path.join(tmp, "ours.wat")
    mine = harness.run([G["wat"]] + (["--fold"] if fold else []) + [wasm, "-o", out], TIMEOUT)
    if mine.crashed():
        return "wlab-wat printing crashed: " + harness.describe(mine)
    with open(out, "rb") as f:
        text = f.read() if mine.rc == 0 else b""
    if text == ref.out:
        return None
    x, y = ref.out.decode("utf-8", "replace").splitlines(), text.decode("utf-8", "replace").splitlines()
    i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
    return "printed text differs from wasm2wat's at line %d: %r vs %r" % (
        i + 1, x[i][:100] if i < len(x) else "(end)", y[i][:100] if i < len(y) else "(end)")


def check_interp(path, d, tmp):
    if d.get("TOOL") != "run-interp":
        return "skip", "TOOL " + d.get("TOOL", "?")
    both = shlex.split(d.get("ARGS*", ""))
    asm_args = both + shlex.split(d.get("ARGS0", ""))
    run_args = both + shlex.split(d.get("ARGS", "")) + shlex.split(d.get("ARGS1", ""))
    wabt_asm, _, _, _ = split_features(asm_args)
    wabt_run, other, ours, all_ = split_features(run_args)
    if ours is None:
        return "skip", "a proposal wlab lacks: " + " ".join(wabt_run)
    run_export = [a for a in other if a.split("=")[0] in ("--run-export", "--argument", "-r", "-a")]
    bad = [a for a in other if a not in ("--host-print", "--dummy-import-func") + tuple(run_export)]
    if bad:
        return "skip", "interpreter flags wlab-run lacks: " + " ".join(bad)
    if run_export and not G["interp39"]:
        return "skip", "--run-export needs wasm-interp 1.0.39 (tests/oracles), not installed"
    wasm = os.path.join(tmp, "m.wasm")
    version, asm = assemble(wabt_asm, path, wasm)
    if asm.rc != 0:
        return "skip", "wat2wasm refuses: " + asm.err.decode("utf-8", "replace")[:120]
    interp = ["wasm-interp"] if version == "1.0.32" and not run_export else G["interp39"]
    ref = harness.run(interp + wabt_run + other + ["--run-all-exports", "m.wasm"], 60, cwd=tmp)
    mine = harness.run([G["run"]] + wlab_flags(ours, all_, version != "1.0.32") + other
                       + ["--run-all-exports", "m.wasm"], TIMEOUT, cwd=tmp)
    if mine.crashed() and not (mine.timeout and ref.timeout):
        return "crash", "%s: %s" % (harness.describe(mine), mine.err.decode("utf-8", "replace")[-300:])
    if (ref.rc, ref.out) == (mine.rc, mine.out):
        return "agree", "same output (wabt %s%s)" % (
            version, ", run by wasm-interp 1.0.39" if run_export else "")
    if ref.rc == mine.rc and G["nan_free"](ref.out.decode("utf-8", "replace")) == \
            G["nan_free"](mine.out.decode("utf-8", "replace")):
        return "known", "NaN signs only (the spec leaves them open)"
    a = ref.out.decode("utf-8", "replace").splitlines()
    b = mine.out.decode("utf-8", "replace").splitlines()
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return "disagree", "wabt %s line %d: %r, wlab-run %r (exit %d / %d)%s" % (
        version, i + 1, a[i][:120] if i < len(a) else "(end)", b[i][:120] if i < len(b) else "(end)",
        ref.rc, mine.rc, "" if ref.rc == 0 else " wabt stderr " + ref.err.decode("utf-8", "replace")[:150])


def check(job):
    folder, path = job
    d = directives(path)
    with tempfile.TemporaryDirectory(prefix="s-wabt-") as tmp:
        if folder == "interp":
            return folder, path, check_interp(path, d, tmp)
        return folder, path, check_text(path, d, tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true", help="list every file's verdict")
    ap.add_argument("folders", nargs="*")
    opts = ap.parse_args()
    src = harness.source_dir("WABT_SRC", "a checkout of WebAssembly/wabt")
    if not src:
        return 0
    test = os.path.join(src, "test") if os.path.isdir(os.path.join(src, "test")) else src
    build = harness.build_dir()
    G["run"] = os.path.join(build, "bin", "wlab-run")
    G["wat2wasm"] = os.path.join(build, "tests", "bin", "wlab-wat2wasm")
    G["validate"] = os.path.join(build, "tests", "bin", "wlab-validate")
    G["wat"] = os.path.join(build, "bin", "wlab-wat")
    if not all(harness.need_tool(G[t]) for t in ("run", "wat2wasm", "validate")):
        return 2
    G["features"] = set(harness.feature_defaults())
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "run"))
    from allexports_compat import nan_free
    G["nan_free"] = nan_free
    G["wat2wasm39"], _ = harness.oracle("wat2wasm")
    G["interp39"], _ = harness.oracle("wasm-interp")
    jobs = []
    for folder in opts.folders or FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(test, folder)):
            for n in sorted(names):
                if n.endswith(".txt"):
                    jobs.append((folder, os.path.join(dirpath, n)))
    counts = collections.defaultdict(collections.Counter)
    notes = []
    with ThreadPoolExecutor(2) as pool:
        for folder, path, (verdict, detail) in pool.map(check, sorted(jobs)):
            rel = os.path.relpath(path, test)
            if verdict == "disagree" and rel in KNOWN:
                verdict, detail = "known", KNOWN[rel] + "; " + detail
            counts[folder][verdict] += 1
            if verdict in ("disagree", "crash", "known") or opts.v:
                notes.append("%s %s: %s" % (verdict.upper(), rel, detail))
    for n in notes:
        print(n)
    bad = 0
    for folder in opts.folders or FOLDERS:
        c = counts[folder]
        bad += c["disagree"] + c["crash"]
        print("%-10s %3d files: %3d agree (%d of them same text, other bytes), %2d known "
              "differences, %d disagree, %d crash, %2d skipped"
              % (folder, sum(c.values()), c["agree"] + c["agree-text"], c["agree-text"],
                 c["known"], c["disagree"], c["crash"], c["skip"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
