#!/usr/bin/env python3
"""decode_conformance.py: checks wlab-decode against every binary module of the spec testsuite.

Modules the suite expects to decode (module, assert_invalid, assert_unlinkable,
assert_uninstantiable, ...) must decode; binary assert_malformed modules must be
rejected with a message that starts with the suite's text. Reads the JSON that
scripts/spec-convert.sh writes to $BUILD/spec/. Counts go to
$BUILD/test-results/spec-decode.txt as `passed failed`.
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402



def collect(spec):
    """[(path, expected-text-or-None)]; None means the module must decode."""
    cases = []
    for js in sorted(glob.glob(os.path.join(spec, "*", "*.json"))):
        d = os.path.dirname(js)
        with open(js) as f:
            cmds = json.load(f)["commands"]
        for c in cmds:
            fn = c.get("filename")
            if not fn:
                continue
            if c.get("module_type", "binary") != "binary" or not fn.endswith(".wasm"):
                continue
            path = os.path.join(d, fn)
            if c["type"] == "assert_malformed":
                cases.append((path, c.get("text", ""), c["line"]))
            else:
                cases.append((path, None, c["line"]))
    return cases


def main():
    build = harness.build_dir()
    tool = os.path.join(build, "tests", "bin", "wlab-decode")
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

    rel = lambda p: os.path.relpath(p, spec)  # noqa: E731
    dec_ok, dec_bad = 0, []
    mal_rej, mal_match, mal_acc, mal_msg = 0, 0, [], []
    nmal = 0
    for path, text, line in cases:
        msg = got.get(path)
        where = "%s (line %d)" % (rel(path), line)
        if text is None:
            if msg is None:
                dec_ok += 1
            else:
                dec_bad.append((where, msg))
            continue
        nmal += 1
        if msg is None:
            mal_acc.append((where, text))
            continue
        mal_rej += 1
        if msg.startswith(text) and not msg.startswith("CRASH"):
            mal_match += 1
        else:
            mal_msg.append((where, text, msg))

    ndec = len(cases) - nmal
    print("decode: %d/%d modules decode" % (dec_ok, ndec))
    print("malformed: %d/%d rejected, %d/%d messages match" % (mal_rej, nmal, mal_match, nmal))
    if dec_bad:
        print("\nmodules that should decode but fail (%d, first 30):" % len(dec_bad))
        for where, msg in dec_bad[:30]:
            print("  %s: %s" % (where, msg))
    if mal_acc:
        print("\nmalformed modules accepted (%d, first 30):" % len(mal_acc))
        for where, text in mal_acc[:30]:
            print("  %s: expected %r" % (where, text))
    if mal_msg:
        print("\nmessage mismatches (%d, first 30):" % len(mal_msg))
        for where, text, msg in mal_msg[:30]:
            print("  %s: expected %r, got %r" % (where, text, msg))
    passed = dec_ok + mal_match
    failed = len(dec_bad) + len(mal_acc) + len(mal_msg)
    harness.write_result("spec-decode.txt", passed, failed)
    print("spec-decode: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
