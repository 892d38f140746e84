#!/usr/bin/env python3
"""malformed.py: wlab-explore on truncated and corrupted modules.

Inputs: every prefix of the hello example and of tests/explore/xref.wat's
module, 300 copies of them with one to three bytes changed (a fixed seed),
and copies of some corpus object files with bytes changed inside their
linking, reloc.*, producers and target_features sections.
For each, `wlab-explore --json` and `--annotate` must
  - exit 0 (the input still decodes) or 1, never crash or hang;
  - on exit 1, print `FILE:0xOFFSET: error: MESSAGE` on stderr, the same
    offset as the JSON's error, and a tree whose leaves tile the file, with
    one "undecoded" leaf from `decoded` to the end, `decoded` <= the file size;
  - for a prefix, still annotate what decoded: every --annotate line of the
    prefix before the undecoded leaf is a line of the whole file's --annotate
    output (same offset, bytes and kind of field), and it covers at least every
    section that ends before the cut (no section before the error is lost).
The cases run in parallel; under SANITIZE=1 every sixth prefix (and the last eight).
Writes "passed failed" to $BUILD/test-results/explore-malformed.txt."""
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402

ERR_RE = re.compile(rb"^(.*):0x([0-9a-f]+): error: (.+)$", re.M)


def tiles(root, size):
    if size == 0:  # the root of an empty file is the one empty leaf
        return root["offset"] == 0 and root["length"] == 0
    at, stack = 0, [root]
    while stack:
        n = stack.pop()
        if "children" in n:
            stack.extend(reversed(n["children"]))
            continue
        if n["offset"] != at or n["length"] <= 0:
            return False
        at += n["length"]
    return at == size


KIND_RE = re.compile(r"\(([a-z0-9-]+)(?:, \d+ bytes?)?\)$")


def key(line):
    """Offset, hex bytes and kind of an --annotate line."""
    m = KIND_RE.search(line)
    return (line[:35].rstrip(), m.group(1) if m else None)


def check(explore, path, name, full_lines, sections):
    """Runs one case; returns its Tally."""
    t = harness.Tally()
    _check(t.ok, explore, path, name, full_lines, sections)
    return t


def _check(ok, explore, path, name, full_lines, sections):
    size = os.path.getsize(path)
    rj = harness.run([explore, "--json", path], timeout=30)
    ra = harness.run([explore, "--annotate", path], timeout=30)
    if not ok(not rj.crashed() and rj.rc in (0, 1) and not ra.crashed() and ra.rc == rj.rc,
              "%s: exits %s / %s" % (name, harness.describe(rj), harness.describe(ra))):
        return
    try:
        doc = json.loads(rj.out.decode("utf-8"))  # strict: the JSON is always UTF-8
    except ValueError as e:
        ok(False, "%s: invalid JSON: %s" % (name, e))
        return
    ok(tiles(doc["root"], size), "%s: leaves do not tile the file" % name)
    if rj.rc == 0:
        ok(doc["error"] is None and doc["decoded"] == size, "%s: exit 0 with an error" % name)
        return
    m = ERR_RE.search(rj.err)
    ok(m is not None and doc["error"] is not None and int(m.group(2), 16) == doc["error"]["offset"],
       "%s: stderr %r, JSON error %r" % (name, rj.err[-200:], doc["error"]))
    last = doc["root"]["children"][-1] if doc["root"].get("children") else None
    if doc["decoded"] < size:
        ok(last is not None and last["kind"] == "undecoded" and last["offset"] == doc["decoded"]
           and last["offset"] + last["length"] == size, "%s: no undecoded leaf at the end" % name)
    if full_lines is None:
        return
    # A prefix: what decoded is annotated as in the whole file.
    lines = [ln for ln in ra.out.decode("utf-8", "replace").splitlines() if "undecoded" not in ln]
    cut = [ln for ln in lines if int(ln[:8], 16) < doc["decoded"]]
    # Labels may differ (a function's name comes from later sections); the
    # offset, the bytes and the field's kind may not.
    missing = [ln for ln in cut if key(ln) not in full_lines]
    ok(not missing, "%s: annotate lines not in the whole file's: %s" % (name, missing[:2]))
    got = {int(ln[:8], 16) for ln in lines}
    for off, end in sections:
        if end <= size:
            ok(off in got, "%s: section at 0x%x (ends 0x%x) not annotated" % (name, off, end))


TOOL_SECTIONS = ("linking", "producers", "target_features")


def custom_corruptions(explore, build, tmp, rnd):
    """Bytes changed inside the linking, reloc.*, producers and
    target_features sections of some corpus object files: their contents are
    not checked by the spec, so the file may still decode; either way the
    tree must tile and the JSON be valid. Returns the cases."""
    objs = []
    for d, _, names in os.walk(os.path.join(build, "corpus")):
        objs.extend(os.path.join(d, n) for n in names if n.endswith(".o.wasm"))
    objs = sorted(objs)[::40]
    cases = []
    for src in objs:
        data = open(src, "rb").read()
        doc = json.loads(subprocess.run([explore, "--json", src], capture_output=True).stdout)
        secs = [s for s in doc["root"]["children"] if s["kind"] == "section"
                and s["children"][0]["value"] == 0
                and (s["children"][2]["value"] in TOOL_SECTIONS or s["children"][2]["value"].startswith("reloc."))]
        for k in range(25 if secs else 0):
            sec = rnd.choice(secs)
            lo = sec["children"][2]["offset"] + sec["children"][2]["length"]
            b = bytearray(data)
            for _ in range(rnd.randint(1, 4)):
                b[rnd.randrange(lo, sec["offset"] + sec["length"])] = rnd.randrange(256)
            cases.append((bytes(b), "%s custom corrupted #%d" % (os.path.basename(src), k), None))
    return cases


# What the workers need of the whole inputs (set before the pool forks).
FULL = {}


def run_case(args):
    explore, tmp, i, data, name, src = args
    path = os.path.join(tmp, "case-%d.wasm" % i)
    with open(path, "wb") as f:
        f.write(data)
    full_lines, sections = FULL.get(src, (None, None))
    t = check(explore, path, name, full_lines, sections)
    os.unlink(path)
    return t


def main():
    build = harness.build_dir()
    explore = os.path.join(build, "bin", "wlab-explore")
    if not harness.need_tool(explore):
        return 2
    hello = os.path.join(build, "examples", "hello", "hello.wasm")
    rnd = random.Random(1234)
    top = harness.Tally()
    with tempfile.TemporaryDirectory() as tmp:
        xref = os.path.join(tmp, "xref.wasm")
        subprocess.run(["wat2wasm", os.path.join(HERE, "xref.wat"), "-o", xref], check=True)
        inputs = [xref] + ([hello] if top.ok(os.path.exists(hello), "missing " + hello) else [])
        cases = []  # (bytes, name, source whose prefix it is or None)
        for src in inputs:
            data = open(src, "rb").read()
            full = subprocess.run([explore, "--annotate", src], capture_output=True).stdout.decode()
            doc = json.loads(subprocess.run([explore, "--json", src], capture_output=True).stdout)
            FULL[src] = ({key(ln) for ln in full.splitlines()},
                         [(s["offset"], s["offset"] + s["length"]) for s in doc["root"]["children"]
                          if s["kind"] == "section"])
            # Every prefix; under SANITIZE=1 every sixth (and the last ones).
            cuts = harness.sanitizer_sample(range(len(data)), 6) + list(range(max(0, len(data) - 8), len(data)))
            cases += [(data[:n], "%s[:%d]" % (os.path.basename(src), n), src) for n in sorted(set(cuts))]
            for k in range(150):
                b = bytearray(data)
                for _ in range(rnd.randint(1, 3)):
                    b[rnd.randrange(8, len(b))] = rnd.choice([0x00, 0x7f, 0x80, 0xff, rnd.randrange(256)])
                cases.append((bytes(b), "%s corrupted #%d" % (os.path.basename(src), k), None))
        cases += custom_corruptions(explore, build, tmp, rnd)
        work = [(explore, tmp, i, data, name, src) for i, (data, name, src) in enumerate(cases)]
        with multiprocessing.Pool() as pool:
            for t in pool.imap_unordered(run_case, work, chunksize=8):
                top.passed += t.passed
                top.failures += t.failures
    for what in top.failures[:30]:
        sys.stderr.write("FAIL %s\n" % what)
    passed, failed = top.passed, len(top.failures)
    print("explore-malformed: %d cases" % len(cases))
    harness.write_result("explore-malformed.txt", passed, failed)
    print("explore-malformed: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
