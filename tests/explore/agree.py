#!/usr/bin/env python3
"""agree.py: wlab-explore's figures against wlab-objdump's, on every .wasm
under $BUILD/spec, $BUILD/corpus and $BUILD/examples (as tiling.py finds them: one file per distinct content).

For each file that wlab-objdump -h decodes, it checks, section by section:
  - the section nodes of `wlab-explore --json` (offset, length, id, custom
    name, payload after the id and size fields, the first count) against
    `wlab-objdump -h --json` (offset, size, id, name, payload_offset,
    payload_size, count) and the start=/end=/count: lines of `wlab-objdump -h`;
  - the Sections table of the overview (offset, size, count) against the same,
    and that the size breakdown adds up to the file's size;
  - for files with producers, target_features, linking or reloc.* sections, the
    fields of the tree (producer names and versions, feature prefixes and
    names, symbol kinds, flags and names, relocation types, offsets, indices
    and addends) against the `custom` object of `wlab-objdump -x --json`.
For a file wlab-explore rejects (exit 1, an error with its offset), the
sections it completed before the error must be the first ones of
`wlab-objdump -h`, which reads leniently, as wabt does.
Writes "passed failed" to $BUILD/test-results/explore-agree.txt."""
import json
import multiprocessing
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

H_RE = re.compile(r"^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x[0-9a-f]+\)"
                  r"(?: count: (\d+))?")
ROW_RE = re.compile(r"^  (.{24}) 0x([0-9a-f]{8}) +(\d+) +[\d.]+%(?: +(\d+))?$")
TOTAL_RE = re.compile(r"^ +(\d+) +([\d.]+)% +total of \d+ rows$")
ERR_RE = re.compile(r":0x([0-9a-f]+): error:")
TOOL_SECTIONS = ("producers", "target_features", "linking")


def kids(n):
    return n.get("children", [])


def leaves(node):
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if "children" in n:
            stack.extend(reversed(n["children"]))
        else:
            out.append(n)
    return out


def explore_sections(root):
    """(offset, length, id, name, payload_offset, payload_size, count) per section node."""
    out = []
    for s in kids(root):
        if s["kind"] != "section":
            continue
        c = kids(s)
        if len(c) < 2:  # cut inside its size field
            continue
        sid = c[0]["value"]
        payload = c[1]["offset"] + c[1]["length"]
        name = count = None
        for k in c[2:]:
            if sid == 0 and k["kind"] == "name":
                name = k["value"]
            if sid != 0 and count is None and (k["kind"] == "vec-count" or k["label"] == "data count"):
                count = k["value"]
        out.append((s["offset"], s["length"], sid, name, payload,
                    s["offset"] + s["length"] - payload, count))
    return out, [s["label"] for s in kids(root) if s["kind"] == "section"]


def custom_fields(root):
    """The tool-convention fields of the tree, in the shape of wlab-objdump's `custom`."""
    got = {}
    for s in kids(root):
        if s["kind"] != "section" or kids(s)[0]["value"] != 0:
            continue
        name = kids(s)[2]["value"]
        body = kids(s)[3:]
        if name == "producers" and "producers" not in got:
            got["producers"] = [
                {"field": f["children"][0]["value"],
                 "values": [{"name": v["children"][0]["value"], "version": v["children"][1]["value"]}
                            for v in kids(f) if v["kind"] == "producer-value"]}
                for f in body if f["kind"] == "producer-field"]
        elif name == "target_features" and "target_features" not in got:
            got["target_features"] = [
                {"prefix": f["children"][0]["value"][0], "name": f["children"][1]["value"]}
                for f in body if f["kind"] == "feature"]
        elif name == "linking" and "linking" not in got:
            syms = []
            for sub in body:
                for sym in kids(sub):
                    if sym["kind"] != "symbol":
                        continue
                    c = kids(sym)
                    flags = int(c[1]["value"].split()[0], 16)
                    d = {"flags": flags}
                    for k in c[2:]:
                        if k["kind"] == "name":
                            d["name"] = k["value"]
                    syms.append(d)
            got["linking"] = syms
        elif name.startswith("reloc."):
            entries = []
            for e in body:
                if e["kind"] != "reloc":
                    continue
                c = kids(e)
                d = {"type": c[0]["value"], "offset": c[1]["value"], "index": c[2]["value"]}
                if len(c) > 3:
                    d["addend"] = c[3]["value"]
                entries.append(d)
            got.setdefault("relocs", []).append(entries)
    return got


RELOC_NAMES = {}


def objdump_custom(od, names):
    """wlab-objdump's custom object reduced to what custom_fields() gives."""
    c = od.get("custom", {})
    want = {}
    if "producers" in names and "producers" in c:
        want["producers"] = c["producers"]
    if "target_features" in names and "target_features" in c:
        want["target_features"] = c["target_features"]
    if "linking" in names and "linking" in c:
        want["linking"] = [dict({"flags": s["flags"]}, **({"name": s["name"]} if "name" in s else {}))
                           for s in c["linking"]["symbols"]]
    if "relocs" in c and any(n.startswith("reloc.") for n in names):
        want["relocs"] = [[dict({"type": e["type"], "offset": e["offset"], "index": e["index"]},
                                **({"addend": e["addend"]} if "addend" in e else {}))
                           for e in r["entries"]] for r in c["relocs"]]
    return want


def normalize_relocs(got):
    """Reloc types in the tree are names (R_WASM_...); objdump's are codes."""
    for entries in got.get("relocs", []):
        for e in entries:
            e["type"] = RELOC_NAMES.get(e["type"], e["type"])
    return got


def check_overview(text, secs, size, errors):
    rows = []
    in_sections = False
    total = None
    for line in text.splitlines():
        if line.startswith("Sections:"):
            in_sections = True
            continue
        if in_sections and not line.strip():
            in_sections = False
        m = ROW_RE.match(line)
        if in_sections and m:
            rows.append((int(m.group(2), 16), int(m.group(3)),
                         int(m.group(4)) if m.group(4) else None))
        m = TOTAL_RE.match(line)
        if m:
            total = int(m.group(1))
    want = [(s[0], s[1], s[6]) for s in secs]
    custom = [s[2] == 0 for s in secs]
    rows = [r if i >= len(custom) or not custom[i] else r[:2] + (None,) for i, r in enumerate(rows)]
    if rows != want:
        errors.append("overview sections %s, tree %s" % (rows[:3], want[:3]))
    if total != size:
        errors.append("breakdown adds up to %s, file has %d" % (total, size))


def check_file(args, ex=None, doc=None, oh=None):
    """(path, errors, kind). EX, DOC: `wlab-explore --json PATH`'s result and its
    parsed output when the caller has them (tiling.py --agree): the JSON of a
    corpus program is tens of megabytes, and parsing it is most of this check.
    OH: `wlab-objdump -h PATH`'s result, likewise."""
    explore, objdump, path = args
    errors = []
    size = os.path.getsize(path)
    if ex is None:
        ex = harness.run([explore, "--json", path], timeout=60)
    oj = harness.run([objdump, "-h", "--json", path], timeout=60)
    if oh is None:
        oh = harness.run([objdump, "-h", path], timeout=60)
    for name, r in (("wlab-explore", ex), ("wlab-objdump --json", oj), ("wlab-objdump -h", oh)):
        if r.crashed() or r.rc not in (0, 1):
            return path, ["%s: %s" % (name, harness.describe(r))], "crash"
    if ex.rc != 0:
        # wlab-explore decodes strictly, wlab-objdump -h leniently (like wabt's):
        # the sections wlab-explore completed before the error must be those
        # of wlab-objdump -h, when it prints them.
        doc = doc or json.loads(ex.out.decode("utf-8", "replace"))
        secs, _ = explore_sections(doc["root"])
        declared = [kids(n)[1].get("value") for n in kids(doc["root"])
                    if n["kind"] == "section" and len(kids(n)) > 1]
        done = [(s[4], s[4] + s[5]) for s, d in zip(secs, declared) if s[5] == d]
        if oh.rc == 0:
            hrows = [H_RE.match(line) for line in oh.out.decode("utf-8", "replace").splitlines()]
            hrows = [(int(m.group(2), 16), int(m.group(3), 16)) for m in hrows if m]
            if hrows[:len(done)] != done:
                errors.append("sections before the error differ from wlab-objdump -h: %s vs %s"
                              % (done[:3], hrows[:3]))
        if doc["error"] is None or not ERR_RE.search(ex.err.decode("utf-8", "replace")):
            errors.append("exit 1 without an error offset")
        return path, errors, "malformed"
    if oh.rc != 0:
        return path, ["wlab-objdump -h rejects what wlab-explore decodes"], "bad"
    doc = doc or json.loads(ex.out.decode("utf-8", "replace"))
    od = json.loads(oj.out.decode("utf-8", "replace"))["files"][0]
    secs, labels = explore_sections(doc["root"])
    # wlab-objdump -h --json
    # Tree strings are C strings: a custom section's name ends at a NUL byte.
    want = [(s["offset"], s["size"], s["id"], s["name"].split("\0")[0] if "name" in s else None,
             s["payload_offset"], s["payload_size"],
             s.get("count") if s["id"] != 0 else None) for s in od["sections"]]
    got = [s if s[2] != 0 else s[:6] + (None,) for s in secs]
    # Start holds no count in the tree.
    want = [w if w[2] != 8 else w[:6] + (None,) for w in want]
    if got != want:
        diff = [(g, w) for g, w in zip(got, want) if g != w][:2]
        errors.append("sections differ from wlab-objdump --json (%d vs %d): %s" % (len(got), len(want), diff))
    # wlab-objdump -h text
    hrows = [H_RE.match(line) for line in oh.out.decode("utf-8", "replace").splitlines()]
    hrows = [(int(m.group(2), 16), int(m.group(3), 16), int(m.group(4)) if m.group(4) else None)
             for m in hrows if m]
    hgot = [(s[4], s[4] + s[5], s[6] if s[2] not in (0, 8) else None) for s in secs]
    hwant = [(a, b, c if secs[i][2] not in (0, 8) else None) if i < len(secs) else (a, b, c)
             for i, (a, b, c) in enumerate(hrows)]
    if hgot != hwant:
        errors.append("sections differ from wlab-objdump -h: %s vs %s" % (hgot[:3], hwant[:3]))
    # the overview
    ov = harness.run([explore, path], timeout=60)
    if ov.rc != 0:
        errors.append("overview exits %d" % ov.rc)
    else:
        # latin-1: the overview pads its columns in bytes, not characters
        check_overview(ov.out.decode("latin-1"), secs, size, errors)
    # custom sections of the tool conventions
    names = [s[3] for s in secs if s[2] == 0]
    kind = "plain"
    if any(n in TOOL_SECTIONS or (n or "").startswith("reloc.") for n in names):
        ox = harness.run([objdump, "-x", "--json", path], timeout=60)
        if ox.rc == 0:
            odx = json.loads(ox.out.decode("utf-8", "replace"))["files"][0]
            if "error" not in odx.get("custom", {}):
                kind = "custom"
                got_c = normalize_relocs(custom_fields(doc["root"]))
                want_c = objdump_custom(odx, names)
                for key in sorted(set(got_c) | set(want_c)):
                    if got_c.get(key) != want_c.get(key):
                        errors.append("custom %s differs: %s vs %s"
                                      % (key, str(got_c.get(key))[:200], str(want_c.get(key))[:200]))
    return path, errors, kind


def reloc_names():
    """R_WASM_ names by code, from libwasm's own table."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "libwasm", "src", "custom_relocs.def")
    with open(path) as f:
        for m in re.finditer(r"^WLAB_RELOC\((\d+),\s*(\w+),", f.read(), re.M):
            RELOC_NAMES["R_WASM_" + m.group(2)] = int(m.group(1))


def main():
    build = harness.build_dir()
    explore = os.path.join(build, "bin", "wlab-explore")
    objdump = os.path.join(build, "bin", "wlab-objdump")
    if not harness.need_tool(explore) or not harness.need_tool(objdump):
        return 2
    reloc_names()
    files = sys.argv[1:] or harness.module_files(build)
    files = harness.sanitizer_sample(files, 8)
    with multiprocessing.Pool(initializer=reloc_names) as pool:
        outcomes = list(pool.imap_unordered(check_file, [(explore, objdump, f) for f in files],
                                            chunksize=16))
    return report(build, len(files), outcomes, "explore-agree.txt", sys.stdout)


def report(build, nfiles, outcomes, result_name, out, err=sys.stderr):
    """Prints the suite's lines to OUT, writes `passed failed` to RESULT_NAME in
    test-results; 1 when something failed. OUTCOMES: check_file's results."""
    passed = failed = 0
    kinds = {}
    for path, errors, kind in outcomes:
        kinds[kind] = kinds.get(kind, 0) + 1
        if errors:
            failed += 1
            if failed <= 20:
                err.write("FAIL %s: %s\n" % (os.path.relpath(path, build), "; ".join(errors[:3])))
        else:
            passed += 1
    print("explore-agree: %d files: %d decoded (%d with tool-convention sections compared field by "
          "field), %d malformed (sections before the error compared)"
          % (nfiles, kinds.get("plain", 0) + kinds.get("custom", 0), kinds.get("custom", 0),
             kinds.get("malformed", 0)), file=out)
    harness.write_result(result_name, passed, failed)
    print("explore-agree: %d passed, %d failed" % (passed, failed), file=out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
