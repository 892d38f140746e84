#!/usr/bin/env python3
"""tiling.py: checks wlab-explore's field tree on every .wasm under $BUILD/spec,
$BUILD/corpus and $BUILD/examples, one file per distinct content
(harness.module_files).

For each file, `wlab-explore --json` must print a tree whose root covers the
file, whose leaves tile it (in order, no gaps, no overlaps, none empty) and
whose every interior node is tiled by its children; `--json --depth 2` (the
entries-only layout) must tile it too and, for a valid file, have the same
nodes as the full tree down to depth 2. When both tools decode
the file, the section payloads (after the id and size fields) must agree with
the `start=0x... end=0x...` lines of `wlab-objdump -h`. A file wlab-explore
reports malformed must still be covered, by an "undecoded" leaf after what
decoded. Writes "passed failed" to $BUILD/test-results/explore.txt. Under
SANITIZE=1 a fixed eighth of the files (harness.sanitizer_sample).

With --agree it also runs the explore-agree suite's checks (agree.py) on the
same files, with the `--json` output it has already parsed (for the corpus's
programs, most of either suite's work), and leaves that suite's result and
lines in $BUILD/test-results/explore-agree.early.{txt,log} for
scripts/run-tests.sh to report as explore-agree's."""
import json
import multiprocessing
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402
import agree  # noqa: E402

SECTION_RE = re.compile(r"start=0x([0-9a-f]+) end=0x([0-9a-f]+)")


def check_node(node, errors):
    """Children tile their parent; returns the leaves in order. Iterative."""
    leaves = []
    stack = [node]
    while stack:
        n = stack.pop()
        kids = n.get("children")
        if not kids:
            if n["length"] <= 0 and n is not node:
                errors.append("empty leaf at %d" % n["offset"])
            leaves.append(n)
            continue
        at = n["offset"]
        for k in kids:
            if k["offset"] != at:
                errors.append("%s at %d: child %s starts at %d, expected %d"
                              % (n["kind"], n["offset"], k["kind"], k["offset"], at))
                break
            at += k["length"]
        if at != n["offset"] + n["length"]:
            errors.append("%s at %d: children end at %d, node at %d"
                          % (n["kind"], n["offset"], at, n["offset"] + n["length"]))
        stack.extend(reversed(kids))
    return leaves


def payloads(root):
    out = []
    for s in root.get("children", []):
        if s["kind"] != "section" or len(s.get("children", [])) < 2:
            continue
        idf, size = s["children"][0], s["children"][1]
        out.append((size["offset"] + size["length"], s["offset"] + s["length"]))
    return out


def check_file(args):
    """(path, errors, compared, malformed, agree.check_file's outcome or None)."""
    explore, objdump, path, with_agree = args
    res = harness.run([explore, "--json", path], timeout=60)
    doc = None
    try:
        if not res.crashed() and res.rc in (0, 1):
            doc = json.loads(res.out.decode("utf-8", "replace"))
    except ValueError:
        pass
    # `wlab-objdump -h`, which both suites read, runs once (a sanitizer build's
    # process costs about 0.1 s before it does anything)
    oh = harness.run([objdump, "-h", path], timeout=60) if with_agree else None
    outcome = check_tree(explore, objdump, path, res, doc, oh)
    other = agree.check_file((explore, objdump, path), res, doc, oh) if with_agree else None
    return outcome + (other,)


def check_tree(explore, objdump, path, res, doc, oh=None):
    """(path, errors, compared, malformed); oh: `wlab-objdump -h path`'s result
    when the caller has it."""
    errors = []
    compared = malformed = False
    size = os.path.getsize(path)
    if res.crashed() or res.rc not in (0, 1):
        return path, ["wlab-explore: %s: %s" % (harness.describe(res), res.err[-300:])], False, False
    if doc is None:
        return path, ["bad JSON"], False, False
    root = doc["root"]
    if root["offset"] != 0 or root["length"] != size or doc["size"] != size:
        errors.append("root covers %d+%d, file has %d" % (root["offset"], root["length"], size))
    leaves = check_node(root, errors)
    at = 0
    for leaf in leaves:
        if leaf["offset"] != at:
            errors.append("leaf %s at %d, expected %d" % (leaf["kind"], leaf["offset"], at))
            break
        at += leaf["length"]
    if at != size:
        errors.append("leaves end at %d, file has %d" % (at, size))
    if (doc["error"] is None) != (res.rc == 0):
        errors.append("exit %d but error %r" % (res.rc, doc["error"]))
    if doc["error"] is None:
        od = oh if oh is not None else harness.run([objdump, "-h", path], timeout=60)
        if od.rc == 0:
            want = [(int(a, 16), int(b, 16)) for a, b in SECTION_RE.findall(od.out.decode())]
            got = payloads(root)
            compared = True
            if want != got:
                errors.append("sections differ from wlab-objdump -h: %s vs %s"
                              % (got[:4], want[:4]))
    else:
        malformed = True
    check_shallow(explore, path, size, root, doc["error"] is None, errors)
    return path, errors, compared, malformed


def top_nodes(root):
    """(offset, length, kind) of the nodes at depth 1 and 2."""
    out = []
    for s in root.get("children", []):
        out.append((s["offset"], s["length"], s["kind"]))
        out.extend((c["offset"], c["length"], c["kind"]) for c in s.get("children", []))
    return out


def check_shallow(explore, path, size, full_root, valid, errors):
    """`--json --depth 2` is built by the entries-only layout (no
    instructions read, nothing below depth 2 stored): its leaves must tile
    the file too, and for a valid file its nodes must be the full tree's."""
    res = harness.run([explore, "--json", "--depth", "2", path], timeout=60)
    if res.crashed() or res.rc not in (0, 1):
        errors.append("--depth 2: %s" % harness.describe(res))
        return
    try:
        doc = json.loads(res.out.decode("utf-8"))
    except ValueError as e:
        errors.append("--depth 2: bad JSON: %s" % e)
        return
    root = doc["root"]
    at = 0
    for leaf in check_node(root, errors):
        if leaf["offset"] != at:
            errors.append("--depth 2: leaf %s at %d, expected %d" % (leaf["kind"], leaf["offset"], at))
            break
        at += leaf["length"]
    if at != size:
        errors.append("--depth 2: leaves end at %d, file has %d" % (at, size))
    if valid and top_nodes(root) != top_nodes(full_root):
        errors.append("--depth 2 differs from the full tree's top two levels")


def main():
    build = harness.build_dir()
    explore = os.path.join(build, "bin", "wlab-explore")
    objdump = os.path.join(build, "bin", "wlab-objdump")
    if not harness.need_tool(explore) or not harness.need_tool(objdump):
        return 2
    with_agree = sys.argv[1:] == ["--agree"]
    early = os.path.join(build, "test-results", "explore-agree.early")
    for ext in (".txt", ".log"):
        if os.path.exists(early + ext):
            os.remove(early + ext)
    files = harness.sanitizer_sample(harness.module_files(build), 8)
    passed = failed = compared = malformed = 0
    others = []
    agree.reloc_names()
    with multiprocessing.Pool() as pool:
        for path, errors, cmp, bad, other in pool.imap_unordered(
                check_file, [(explore, objdump, f, with_agree) for f in files], chunksize=16):
            if other:
                others.append(other)
            if errors:
                failed += 1
                if failed <= 20:
                    sys.stderr.write("FAIL %s: %s\n" % (os.path.relpath(path, build),
                                                        "; ".join(errors[:3])))
            else:
                passed += 1
            compared += cmp
            malformed += bad
    print("explore: %d files, %d compared with wlab-objdump -h, %d malformed (covered up to "
          "the error, then undecoded)" % (len(files), compared, malformed))
    harness.write_result("explore.txt", passed, failed)
    print("explore: %d passed, %d failed" % (passed, failed))
    if with_agree:
        with open(early + ".log", "w") as log:
            agree.report(build, len(files), others, "explore-agree.early.txt", log, log)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
