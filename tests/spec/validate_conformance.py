#!/usr/bin/env python3
"""validate_conformance.py: checks wlab-validate against every binary module of the spec testsuite.

Modules the suite expects to be valid (module, assert_unlinkable,
assert_uninstantiable and the modules that assert_return/assert_trap act on)
must validate; binary assert_invalid modules must be rejected with a message
that starts with the suite's text. assert_malformed is decode_conformance.py's
business. Reads the JSON that scripts/spec-convert.sh writes to $BUILD/spec/.
Counts are split into the SIMD files (simd_*.wast) and the rest; the totals go
to $BUILD/test-results/spec-validate.txt as `passed failed`.
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

VALID = ("module", "assert_unlinkable", "assert_uninstantiable")

# Cases whose binary no longer holds the error the text names, keyed by
# (file, expected text). They count as expected failures, not as passes.
XFAIL = {
    ("select/select.2.wasm", "invalid result arity"):
        "wast2json encodes `select (result)` as the untyped select 0x1b, so the "
        "binary is a plain type error (wasm-validate agrees: type mismatch)",
}


def collect(spec):
    """[(path, expected-text-or-None, line, group)]; None means it must validate."""
    cases = []
    for js in sorted(glob.glob(os.path.join(spec, "*", "*.json"))):
        d = os.path.dirname(js)
        group = "simd" if os.path.basename(d).startswith("simd_") else "core"
        with open(js) as f:
            cmds = json.load(f)["commands"]
        for c in cmds:
            fn = c.get("filename")
            if not fn or not fn.endswith(".wasm"):
                continue
            if c.get("module_type", "binary") != "binary":
                continue
            path = os.path.join(d, fn)
            if c["type"] == "assert_invalid":
                cases.append((path, c.get("text", ""), c["line"], group))
            elif c["type"] in VALID:
                cases.append((path, None, c["line"], group))
    return cases


class Tally:
    def __init__(self):
        self.xfail = []
        self.nvalid = self.valid_ok = 0
        self.ninvalid = self.rejected = self.matched = 0
        self.valid_bad, self.accepted, self.wrong_msg = [], [], []

    def add(self, where, text, msg, xfail=None):
        if xfail and text is not None and not (msg or "").startswith(text):
            self.ninvalid += 1
            self.rejected += msg is not None
            self.xfail.append((where, text, msg, xfail))
            return
        if text is None:
            self.nvalid += 1
            if msg is None:
                self.valid_ok += 1
            else:
                self.valid_bad.append((where, msg))
            return
        self.ninvalid += 1
        if msg is None:
            self.accepted.append((where, text))
            return
        self.rejected += 1
        if msg.startswith(text) and not msg.startswith("CRASH"):
            self.matched += 1
        else:
            self.wrong_msg.append((where, text, msg))

    def failed(self):
        return len(self.valid_bad) + len(self.accepted) + len(self.wrong_msg)

    def summary(self, name):
        line = ("%s: valid %d/%d accepted; invalid %d/%d rejected, %d/%d messages match"
                % (name, self.valid_ok, self.nvalid, self.rejected, self.ninvalid,
                   self.matched, self.ninvalid))
        return line + (", %d expected failure(s)" % len(self.xfail) if self.xfail else "")


def show(title, rows, fmt, limit=40):
    if rows:
        print("\n%s (%d, first %d):" % (title, len(rows), min(limit, len(rows))))
        for r in rows[:limit]:
            print("  " + fmt % r)


def main():
    build = harness.build_dir()
    tool = os.path.join(build, "tests", "bin", "wlab-validate")
    spec = os.path.join(build, "spec")
    if not harness.need_tool(tool):
        return 2
    cases = collect(spec)
    if not cases:
        sys.stderr.write("no spec JSON under %s (run scripts/spec-convert.sh)\n" % spec)
        return 2
    # The 2022 suite is WebAssembly 2.0: pin its features, as later defaults
    # (threads: memory limits flag 2) change some verdicts.
    got = harness.check_files([tool, "--features=2.0"], sorted({c[0] for c in cases}))

    tallies = {"core": Tally(), "simd": Tally()}
    for path, text, line, group in cases:
        rel = os.path.relpath(path, spec)
        where = "%s (line %d)" % (rel, line)
        tallies[group].add(where, text, got.get(path), XFAIL.get((rel, text)))

    for name, label in (("core", "non-SIMD"), ("simd", "SIMD")):
        print(tallies[name].summary(label))
    for t in tallies.values():
        show("expected failures", t.xfail, "%s: expected %r, got %r: %s")
        show("valid modules rejected", t.valid_bad, "%s: %s")
        show("invalid modules accepted", t.accepted, "%s: expected %r")
        show("message mismatches", t.wrong_msg, "%s: expected %r, got %r")
    passed = sum(t.valid_ok + t.matched for t in tallies.values())
    failed = sum(t.failed() for t in tallies.values())
    harness.write_result("spec-validate.txt", passed, failed)
    print("spec-validate: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
