"""sourcemap_oracle.py: source maps v3 read by wlab-explore --addr2line as
Node reads them (module.SourceMap, Node's own reader: tests/dwarf/
sourcemap_node.mjs prints what its findEntry(0, offset) gives). The maps:
  - binaryen's: wasm-opt -g writes a module and its map from a text module
    whose expressions carry `;;@ file:line:column` annotations (generated
    with a fixed seed: 3 sources, negative line and column deltas);
  - the same segments with a 5th field (names, one of them null; the name
    index runs on across segments without one);
  - an index map of those: three sections at offsets inside the code (each
    section's sources and names from 0 again, in another order) and one on
    generated line 1 that no wasm offset reaches;
  - the same index map with each section's map in a file its "url" names
    (next to the index map, in a subdirectory, through ../, and as a
    file:// URL): Node 20 does not read "url" sections (it throws), so we
    must give for it what Node gives for the inline index map.
For every byte offset of the function bodies the file:line:column and the
function name must equal Node's (no frame where Node has no source). Each
map's (and section's) last segment has a name: Node 20 gives a last segment
of 4 fields the name of the one before (its reader looks for a 5th field
when the string ends), where the spec and we give none. Then
malformed maps (a name index out of range, a section out of order, a map cut
short, a "url" naming a missing file or an index map): a warning naming
the map with a byte offset, exit 0 or 1, no crash.
And wlab-run's backtrace of a trap through the named map shows the line and
the name (demangled, as c++filt gives it) that Node gives for its offset.
Runs in about a second; called by dwarf_test.py."""
import json
import os
import random
import re
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
FILES = ["src/a.c", "src/b.c", "include/c.h"]
NAMES = ["main", "helper", None, "_ZN2ns3Foo3barEi"]


def vlq(v):
    v = (-v << 1) | 1 if v < 0 else v << 1
    out = ""
    while True:
        d, v = v & 31, v >> 5
        out += B64[d | (32 if v else 0)]
        if not v:
            return out


def encode(segs):
    """Segments (absolute: column[, source, line, column[, name]]) on one
    line, as a mappings string of deltas."""
    last, out = [0] * 5, []
    for s in segs:
        out.append("".join(vlq(s[i] - last[i]) for i in range(len(s))))
        last[:len(s)] = s
    return ",".join(out)


def decode(text):
    """binaryen's mappings (one line) as absolute segments."""
    val = {c: i for i, c in enumerate(B64)}
    last, segs = [0] * 5, []
    for seg in text.split(","):
        fields, v, shift = [], 0, 0
        for c in seg:
            d = val[c]
            v |= (d & 31) << shift
            shift += 5
            if not d & 32:
                fields.append(-(v >> 1) if v & 1 else v >> 1)
                v = shift = 0
        for i, f in enumerate(fields):
            last[i] += f
        segs.append(tuple(last[:len(fields)]))
    return segs


def wat_text(rng):
    funcs = []
    for f in range(6):
        body = []
        for _ in range(rng.randrange(8, 30)):
            file = rng.choice(FILES)
            ann = ";;@ %s:%d:%d" % (file, rng.randrange(1, 400), rng.randrange(0, 80))
            body.append("    %s\n    (local.set 0 (i32.add (local.get 0) (i32.const %d)))"
                        % (ann, rng.randrange(-5000, 5000)))
        funcs.append("  (func $f%d (export \"f%d\") (param i32) (result i32)\n%s\n    (local.get 0))"
                     % (f, f, "\n".join(body)))
    funcs.append("  (func $trap (export \"trap\")\n    ;;@ src/b.c:77:3\n    (unreachable))")
    return "(module\n%s)\n" % "\n".join(funcs)


def node_answers(node, path, offsets):
    r = subprocess.run([node, os.path.join(HERE, "sourcemap_node.mjs"), path],
                       input="\n".join(map(str, offsets)).encode(), capture_output=True, timeout=60)
    if r.returncode:
        return None, r.stderr.decode(errors="replace")[:300]
    return [json.loads(line) for line in r.stdout.decode().splitlines()], ""


def our_answers(explore, module, path, offsets):
    r = subprocess.run([explore, "--addr2line", "--json", "--source-map", path, module],
                       input="\n".join("0x%x" % o for o in offsets).encode(), capture_output=True,
                       timeout=60)
    if r.returncode not in (0, 1):
        return None, r.stderr.decode(errors="replace")[:300]
    got = {}
    for a in json.loads(r.stdout)["addresses"]:
        if a["func"] is None:
            continue
        f = a["frames"]
        got[a["offset"]] = [f[0]["file"], f[0]["line"] - 1, f[0]["column"] - 1,
                            f[0]["function"]] if f else None
    return got, r.stderr.decode(errors="replace")[:300]


def maps(binaryen):
    """The three maps (name, JSON text) from binaryen's."""
    segs = decode(binaryen["mappings"])
    named, k = [], 0
    for s in segs:
        if len(s) == 4 and k % 3 != 2:  # every third keeps 4 fields
            s = s + (k % len(NAMES),)
        k += 1
        named.append(s)
    if len(named[-1]) == 4:  # not Node's quirk (above)
        named[-1] += (0,)
    srcs = binaryen["sources"]
    plain = {"version": 3, "sources": srcs, "names": NAMES, "mappings": encode(named)}
    cols = sorted({s[0] for s in named})
    cuts = [cols[0], cols[len(cols) // 3], cols[2 * len(cols) // 3]]
    sections = []
    for i, start in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else 1 << 32
        part = [s for s in named if start <= s[0] < end]
        order = list(reversed(srcs)) if i % 2 else srcs  # another order of sources
        names = list(reversed(NAMES)) if i % 2 else NAMES
        moved = [(s[0] - start,) + ((order.index(srcs[s[1]]), s[2], s[3]) if len(s) > 1 else ())
                 + ((names.index(NAMES[s[4]]),) if len(s) > 4 else ()) for s in part]
        if len(moved[-1]) == 4:
            moved[-1] += (0,)
        sections.append({"offset": {"line": 0, "column": start},
                         "map": {"version": 3, "sources": order, "names": names,
                                 "mappings": encode(moved)}})
    sections.append({"offset": {"line": 1, "column": 0},
                     "map": {"version": 3, "sources": ["later.c"], "names": [], "mappings": "AAAA"}})
    index = {"version": 3, "file": "m.wasm", "sections": sections}
    return [("binaryen", json.dumps(binaryen)), ("names", json.dumps(plain)),
            ("index", json.dumps(index, indent=1))]


def url_index(index_text, out):
    """The index map with each section's map written to a file and named by
    "url" (paths relative to the index map's directory, out)."""
    index = json.loads(index_text)
    os.makedirs(os.path.join(out, "parts"), exist_ok=True)
    urls = ["sm.url0.map", "parts/sm.url1.map",
            "file://" + os.path.join(os.path.abspath(out), "parts", "sm.url2.map"),
            "parts/../sm.url3.map"]
    files = ["sm.url0.map", "parts/sm.url1.map", "parts/sm.url2.map", "sm.url3.map"]
    for sec, url, file in zip(index["sections"], urls, files):
        with open(os.path.join(out, file), "w") as f:
            json.dump(sec.pop("map"), f)
        sec["url"] = url
    return json.dumps(index)


def check_trap(run, module, path, node):
    r = subprocess.run([run, "--source-map", path, "--invoke", "trap", module], capture_output=True,
                       timeout=60)
    m = re.search(rb"func\[\d+\] <trap> at [^\n]*:0x([0-9a-f]+)\n(.*)\n", r.stderr)
    if r.returncode != 134 or not m:
        return ("source-map-node backtrace", False, "exit %d: %r" % (r.returncode, r.stderr[:300]))
    want, err = node_answers(node, path, [int(m.group(1), 16)])
    if not want or not want[0]:
        return ("source-map-node backtrace", False, "Node: %r %s" % (want, err))
    f, line, col, name = want[0]
    if name:
        name = subprocess.run(["c++filt", name], capture_output=True, text=True).stdout.strip()
    exp = "       %s:%d:%d%s" % (f, line + 1, col + 1, " in " + name if name else "")
    return ("source-map-node backtrace", m.group(2).decode() == exp,
            "ours %r, want %r" % (m.group(2), exp))


def check(out, explore, run):
    """[(check, good, detail)]"""
    node, wasm_opt = shutil.which("node"), shutil.which("wasm-opt")
    if not node or not wasm_opt:
        return [("source-map-node", False, "node and binaryen's wasm-opt are needed"
                 " (bash scripts/deps.sh)")]
    os.makedirs(out, exist_ok=True)
    wat, module = os.path.join(out, "sm.wat"), os.path.join(out, "sm.wasm")
    with open(wat, "w") as f:
        f.write(wat_text(random.Random(13)))
    r = subprocess.run([wasm_opt, wat, "-g", "-o", module, "--output-source-map",
                        module + ".map"], capture_output=True)
    if r.returncode:
        return [("source-map-node", False, "wasm-opt: %r" % r.stderr[:300])]
    with open(module + ".map") as f:
        binaryen = json.load(f)
    size = os.path.getsize(module)
    res, wants = [], {}
    for name, text in maps(binaryen) + [("index-url", url_index(maps(binaryen)[2][1], out))]:
        path = os.path.join(out, "sm.%s.map" % name)
        with open(path, "w") as f:
            f.write(text)
        offsets = list(range(size))
        if name == "index-url":  # Node reads the inline index map in its place
            want, err = wants["index"], ""
        else:
            want, err = node_answers(node, path, offsets)
            wants[name] = want
        got, err2 = our_answers(explore, module, path, offsets)
        if want is None or got is None:
            res.append(("source-map-node " + name, False, err or err2))
            continue
        bad = [(o, got[o], want[o]) for o in sorted(got) if got[o] != want[o]]
        mapped = sum(1 for o in got if got[o])
        named = sum(1 for o in got if got[o] and got[o][3])
        res.append(("source-map-node " + name, not bad and not err2 and mapped > 0 and
                    (named > 0 or name == "binaryen"),
                    "%d/%d offsets agree (%d mapped, %d named)%s %r"
                    % (len(got) - len(bad), len(got), mapped, named,
                       "; first (offset, ours, node) %r" % (bad[0],) if bad else "", err2)))
    res.append(check_trap(run, module, os.path.join(out, "sm.names.map"), node))
    # malformed: a warning with the map's name and an offset, exit 0 or 1
    named_text, index_text = maps(binaryen)[1][1], maps(binaryen)[2][1]
    unordered = json.loads(index_text)
    unordered["sections"][0]["offset"]["column"] = 99999  # after the second
    def with_url(url):
        index = json.loads(index_text)
        index["sections"][1] = {"offset": index["sections"][1]["offset"], "url": url}
        return json.dumps(index)
    # each case with what the warning must say after "not a source map: "
    cases = [(named_text.replace('"mappings": "', '"mappings": "AAAAI,'), rb""),  # name index 4 of 4
             (json.dumps(unordered), rb""), (index_text[:len(index_text) // 2], rb""),
             (with_url("parts/missing.map"), rb"[^\n]*parts/missing\.map: cannot open"),
             (with_url("sm.index.map"), rb"[^\n]*sm\.index\.map\+0x[0-9a-f]+: a section's map is an index map")]
    bad = []
    for i, (text, says) in enumerate(cases):
        path = os.path.join(out, "sm.bad%d.map" % i)
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([explore, "--addr2line", "--source-map", path, module, "0x%x" % (size - 2)],
                           capture_output=True, timeout=60)
        if r.returncode not in (0, 1) or not re.search(rb"sm\.bad%d\.map\+0x[0-9a-f]+: not a source map: %s"
                                                       % (i, says), r.stderr):
            bad.append((i, r.returncode, r.stderr[:200]))
    res.append(("source-map-node malformed", not bad, "%d cases, %d bad %r" % (len(cases), len(bad), bad[:1])))
    return res
