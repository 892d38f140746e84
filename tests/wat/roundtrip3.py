#!/usr/bin/env python3
"""roundtrip3.py: every valid module of the WebAssembly 3.0 testsuite printed
by wlab-wat's printer and parsed back by its parser gives the same module.

Usage: roundtrip3.py [-v] [-j N] [FILE...]
Inputs: the .wast files of $WASM_TESTSUITE3 (default ../shared/wasm-testsuite-3)
at the top level, restored/, custom/, legacy/ and proposals/threads, or the
FILEs given (relative to the suite). Each file is read by
$BUILD/tests/bin/wlab-watrt (libwasm's script reader: text, binary and quote
modules), with the features spec3.py gives its folder (GC on; threads as
that proposal was written). Every module that decodes and validates is
printed flat and folded (wlab_wat_print), and each text parsed back
(wlab_wat_to_binary_features); per module and mode the verdict is
  identical   the bytes are the original's;
  reencoded   the original is not in shortest form (decoding and encoding it
              with wlab_module_encode changes it) and both modules re-encoded
              are equal;
  differ, parse, print, crash   a failure.
A `differ` whose output, printed again, gives the same text (the
difference is one the text cannot show) and that is listed in
tests/wat/roundtrip3-exceptions.txt (`PATH:LINE MODE CAUSE`, each cause
explained in that file) is counted by cause as an exception, not passed;
any other failure of a listed case is a failure, and so is a listed case
that no longer fails, or (in a whole run) that is not found: the list must
shrink with the fixes. Modules that do not decode or
validate are counted apart (skipped: not compared) when the script expects
them malformed or invalid (assert_malformed*, assert_invalid*); any other
module left out (of a `module` command, an assert_trap...) is a failure. No oracle, nothing
cached. Under SANITIZE=1, a fixed quarter of the files
(harness.sanitizer_sample). Texts of failures go to $BUILD/roundtrip3/.
Counts go to $BUILD/test-results/wat-roundtrip3.txt (passed = modules and
modes identical or reencoded).
"""
import argparse
import collections
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402
from spec3 import features_of  # noqa: E402

FOLDERS = ["", "restored", "custom", "legacy", "proposals/threads"]
EXCEPTIONS = os.path.join(HERE, "roundtrip3-exceptions.txt")
TIMEOUT = 600 if harness.sanitized() else 60


def suite_dir():
    d = os.environ.get("WASM_TESTSUITE3") or os.path.join(harness.ROOT, "..", "shared",
                                                          "wasm-testsuite-3")
    return os.path.abspath(d)


def exceptions():
    """{(path:line, mode): cause} from the exceptions file."""
    out = {}
    with open(EXCEPTIONS) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) == 3:
                out[(line[0], line[1])] = line[2]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", action="store_true", help="print every failure")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    build = harness.build_dir()
    tool = os.path.join(build, "tests", "bin", "wlab-watrt")
    if not harness.need_tool(tool):
        return 2
    root = suite_dir()
    if args.files:
        files = args.files
    else:
        files = []
        for d in FOLDERS:
            full = os.path.join(root, d)
            files += [os.path.join(d, f) if d else f for f in os.listdir(full)
                      if f.endswith(".wast")]
        files = harness.sanitizer_sample(files)
    if not files:
        sys.stderr.write("wat-roundtrip3: no .wast files under %s\n" % root)
        harness.write_result("wat-roundtrip3.txt", 0, 1)
        return 1
    out_dir = os.path.join(build, "roundtrip3")
    subprocess.run(["rm", "-rf", out_dir], check=False)
    os.makedirs(out_dir)

    def one(rel):
        return rel, harness.run([tool] + features_of(rel) + ["-d", out_dir, rel], TIMEOUT,
                                cwd=root)

    known = exceptions()
    counts = collections.Counter()
    causes = collections.Counter()
    modules = set()
    bad, seen = [], set()
    with ThreadPoolExecutor(args.jobs) as pool:
        for rel, res in pool.map(one, sorted(files)):
            if res.rc != 0 or res.timeout:
                counts["crash"] += 1
                bad.append("%s: %s %s" % (rel, harness.describe(res),
                                          res.err.decode("utf-8", "replace")[-400:]))
            for line in res.out.decode("utf-8", "replace").splitlines():
                where, mode, verdict, detail = (line.split("\t", 3) + ["", "", ""])[:4]
                if mode == "-":
                    counts[verdict] += 1
                    if not detail.startswith(("assert_malformed", "assert_invalid")):
                        bad.append("%s: not compared (%s): %s" % (where, verdict, detail))
                    continue
                modules.add(where)
                key = (where, mode)
                if verdict in ("identical", "reencoded"):
                    counts[verdict] += 1
                    if key in known:
                        seen.add(key)
                        counts["fixed"] += 1
                        bad.append("%s %s: listed as %s, now %s (remove it from %s)" % (
                            where, mode, known[key], verdict, os.path.basename(EXCEPTIONS)))
                elif key in known and verdict == "differ" and detail.startswith("same text"):
                    seen.add(key)
                    counts["exception"] += 1
                    causes[known[key]] += 1
                else:
                    counts[verdict] += 1
                    bad.append("%s %s: %s: %s" % (where, mode, verdict, detail))
    if not args.files and not harness.sanitized():
        for key in sorted(set(known) - seen):
            bad.append("%s %s: listed as %s, but no such module compared (remove it from %s)"
                       % (key[0], key[1], known[key], os.path.basename(EXCEPTIONS)))
    print("wat-roundtrip3: %d files%s, %d modules compared (flat and fold), %d skipped "
          "(decode %d, invalid %d, text %d)" % (
              len(files), " (sanitizer sample)" if harness.sanitized() else "", len(modules),
              counts["skip-decode"] + counts["skip-invalid"] + counts["skip-text"],
              counts["skip-decode"], counts["skip-invalid"], counts["skip-text"]))
    print("  identical %d, reencoded %d; differ %d, parse %d, print %d, crash %d; "
          "listed exceptions %d%s" % (
              counts["identical"], counts["reencoded"], counts["differ"], counts["parse"],
              counts["print"], counts["crash"], counts["exception"],
              " (%s)" % ", ".join("%s %d" % kv for kv in sorted(causes.items()))
              if causes else ""))
    for line in bad[:None if args.v else 20]:
        print("FAIL " + line)
    if len(bad) > 20 and not args.v:
        print("... %d more (-v; texts in %s)" % (len(bad) - 20, out_dir))
    passed = counts["identical"] + counts["reencoded"]
    failed = len(bad)
    harness.write_result("wat-roundtrip3.txt", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
