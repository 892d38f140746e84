#!/usr/bin/env python3
"""print_compat.py: wlab-wat's text against wabt 1.0.32's wasm2wat, byte for byte.

Usage: print_compat.py [--quick] [--mode flat|fold]... [-j N] [FILE...]
Inputs: every .wasm under $BUILD/spec and $BUILD/corpus (one file per
distinct content), or the FILEs given. Modes: flat (`wasm2wat FILE` against
`wlab-wat FILE`) and fold (`--fold-exprs` against `--fold`). fold compares
the spec modules only unless --fold-corpus: on optimized corpus code wlab-wat
still differs where wasm2wat numbers labels (and branch arities) by the
folded nesting, a block inside an `if`'s condition counting the `if`; those
modules are counted apart, never passed.

Per module and mode: where wasm2wat 1.0.32 prints the module (exit 0), ours
must exit 0 with the same stdout (passed, else failed, with a diff in
$BUILD/wat-print/diffs/<mode>/). Where wasm2wat refuses it (malformed,
invalid, or beyond what 1.0.32 reads), nothing is compared: the module is
counted apart as "refused by wasm2wat", neither passed nor failed, but ours
must still not crash or hang there (a crash is a failure). wasm2wat's
outputs are cached by content hash in $BUILD/cache/wat-print/. --quick
(the default under SANITIZE=1): a fixed sample, one spec file in 12, one
corpus file in 3. Counts go to $BUILD/test-results/wat-print.txt
(the caller may add other parts; see scripts/run-tests.sh).
"""
import argparse
import collections
import difflib
import hashlib
import multiprocessing
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

MODES = collections.OrderedDict([("flat", ([], [])), ("fold", (["--fold-exprs"], ["--fold"]))])
TIMEOUT = 60 if harness.sanitized() else 20
MEMORY = 2 << 30
G = {}


def init(settings):
    G.update(settings)
    harness.limit_memory(MEMORY)


def reference(path, digest, mode):
    """wasm2wat's (rc, stdout), cached by content hash, oracle version and mode."""
    key = hashlib.sha256(("%s\0%s" % (G["version"], mode)).encode()).hexdigest()[:12]
    stem = os.path.join(G["cache"], "%s-%s" % (digest, key))
    try:
        with open(stem + ".rc") as f:
            rc = int(f.read())
        with open(stem + ".out", "rb") as f:
            return rc, f.read()
    except (OSError, ValueError):
        pass
    res = harness.run(["wasm2wat"] + MODES[mode][0] + [path], TIMEOUT)
    if res.timeout:
        return None, b""
    for ext, data in ((".out", res.out), (".rc", b"%d" % res.rc)):
        tmp = "%s%s.%d" % (stem, ext, os.getpid())
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, stem + ext)
    return res.rc, res.out


def check(task):
    """(mode, path, verdict, detail): verdict same, diff, refused or crash."""
    mode, path, digest = task
    if mode == "fold" and "/spec/" not in path and not G["fold_corpus"]:
        return mode, path, "apart", ""
    rc, ref = reference(path, digest, mode)
    ours = harness.run([G["ours"]] + MODES[mode][1] + [path], TIMEOUT)
    if ours.crashed() or ours.timeout:
        return mode, path, "crash", "%s: %s" % (harness.describe(ours),
                                               ours.err.decode("utf-8", "replace")[-300:])
    if rc != 0:
        return mode, path, "refused", ""
    if ours.rc == 0 and ours.out == ref:
        return mode, path, "same", ""
    diff = "".join(difflib.unified_diff(ref.decode("utf-8", "replace").splitlines(True),
                                        ours.out.decode("utf-8", "replace").splitlines(True),
                                        "wasm2wat", "wlab-wat", n=2))
    if ours.rc != 0:
        diff = "wlab-wat exit %d: %s\n%s" % (ours.rc, ours.err.decode("utf-8", "replace")[:300],
                                             diff)
    d = os.path.join(G["diffs"], mode)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, os.path.relpath(path, G["build"]).replace("/", "__") + ".diff"),
              "w") as f:
        f.write(diff)
    return mode, path, "diff", diff


def inputs(build, files, quick):
    if files:
        found = [os.path.abspath(f) for f in files]
    else:
        found = []
        for sub in ("spec", "corpus"):
            for dp, _, fns in os.walk(os.path.join(build, sub)):
                found += [os.path.join(dp, f) for f in fns if f.endswith(".wasm")]
        found.sort()
    seen, out = set(), []
    for p in found:
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest not in seen or files:
            seen.add(digest)
            out.append((p, digest))
    if quick and not files:
        out = [(p, d) for p, d in out if int(d[:8], 16) % (12 if "/spec/" in p else 3) == 0]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a fixed sample of the inputs")
    ap.add_argument("--mode", action="append", choices=list(MODES))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", action="store_true", help="print every diff")
    ap.add_argument("--fold-corpus", action="store_true",
                    help="fold the corpus too (known to differ: wasm2wat numbers labels as folded)")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    build = harness.build_dir()
    ours = os.path.join(build, "bin", "wlab-wat")
    if not harness.need_tool(ours):
        return 2
    version = subprocess.run(["wasm2wat", "--version"], stdout=subprocess.PIPE,
                             check=True).stdout.decode().strip()
    if version != "1.0.32":
        sys.stderr.write("wat-print: wasm2wat is %s, not 1.0.32 (Debian's wabt)\n" % version)
        harness.write_result("wat-print.txt", 0, 1)
        return 1
    quick = args.quick or harness.sanitized()
    files = inputs(build, args.files, quick)
    if not files:
        sys.stderr.write("no .wasm inputs under %s (run spec-convert/corpus)\n" % build)
        harness.write_result("wat-print.txt", 0, 1)
        return 1
    modes = args.mode or list(MODES)
    settings = dict(version=version, ours=ours, build=build, fold_corpus=args.fold_corpus,
                    cache=os.path.join(build, "cache", "wat-print"),
                    diffs=os.path.join(build, "wat-print", "diffs"))
    os.makedirs(settings["cache"], exist_ok=True)
    if not args.files:
        subprocess.run(["rm", "-rf", settings["diffs"]], check=False)
    tasks = [(m, p, d) for p, d in files for m in modes]
    counts = {m: collections.Counter() for m in modes}
    bad = []
    with multiprocessing.Pool(args.jobs, init, (settings,)) as pool:
        for mode, path, verdict, detail in pool.imap_unordered(check, tasks, 16):
            counts[mode][verdict] += 1
            if verdict in ("diff", "crash"):
                bad.append((mode, path, detail))
    print("wat-print compat: %d modules%s, wasm2wat %s" % (
        len(files), " (quick sample)" if quick else "", version))
    for m in modes:
        c = counts[m]
        print("  %-5s identical %d, differ %d, crash %d; refused by wasm2wat %d (not compared)%s" % (
            m, c["same"], c["diff"], c["crash"], c["refused"],
            "; corpus not compared %d (--fold-corpus)" % c["apart"] if c["apart"] else ""))
    bad.sort()
    for mode, path, detail in bad[:None if args.v else 10]:
        print("FAIL %s %s\n%s" % (mode, os.path.relpath(path, build),
                                  detail if args.v else detail[:1200]))
    if len(bad) > 10 and not args.v:
        print("... %d more (diffs in %s)" % (len(bad) - 10, settings["diffs"]))
    passed = sum(c["same"] for c in counts.values())
    failed = sum(c["diff"] + c["crash"] for c in counts.values())
    harness.write_result("wat-print.txt", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
