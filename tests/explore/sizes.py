#!/usr/bin/env python3
"""sizes.py (suite explore-sizes): checks wlab-explore's reference-graph views.

1. Retained sizes by brute force. For every module of the corpus (of its
   relocatable objects every 4th) and the examples, and every 6th module of
   the spec conversion, the graph of
   `--callgraph --all-items --json` (items with shallow sizes, edges) is walked
   here: the reachable items must be those the tool marks; the root's retained
   size must be the shallow bytes of every reachable item; and for each item X
   checked (every reachable item of a small graph, else the 40 with the
   largest retained size and 40 more spread over the list) the retained size
   must equal the bytes of the items that become unreachable when X is taken
   out of the graph, computed by a second walk. `--dominators --json` must
   print the same retained sizes and a tree (each item after its idom);
   `--garbage --json` exactly the unreachable items and their bytes. The
   shallow sizes of all items add up to the file's size (a meta item per
   section holds what no entry owns).
2. Edges against wabt: for the corpus programs and examples, every call,
   return_call and ref.func of `wasm-objdump -d` in a function body must be an
   edge from that function to its target, and every global.get/global.set one
   to the global.
3. Garbage against binaryen: each module (not a relocatable object, whose
   symbols binaryen ignores) that binaryen 132's wasm-opt (tests/oracles)
   accepts gets fresh names (f0, t0, m0, g0, x0 for tags, T0 for types, e0,
   d0: its name section replaced), then `wasm-opt -g --all-features
   --disable-compact-imports --remove-unused-module-elements`; the items
   whose names are gone from the output are what binaryen removed. Each
   function, table, memory, global, tag, element and data segment, and each
   class of equal function types (binaryen merges them), must be removed
   there exactly when it is garbage here, except where explain() finds one
   of the reasons docs/wlab-explore.md lists (counted and printed, with the
   agreement per kind).
4. --diff between two builds of one C program (clang --target=wasm32-wasi,
   built here from tests/explore/sizes_prog.c with -DVARIANT=0 and 1): the
   functions it lists must be exactly those the variant changes, each matched
   by name; --fail-above passes and fails on both sides of the growth.
   A build with -g whose name section is cut out matches the -g build by
   the DWARF names (no function row, 3 in 4 or more matched by name).
   --by-source of the program built with -g puts its four functions, and
   only they, in the row of sizes_prog.c; its rows add up to the items' bytes.
5. Bad input: a truncated module gives exit 1 and FILE:0xOFFSET: error on
   stderr for each view; usage errors exit 2.
6. The JSON schemas: each graph view's --json output (on xref.wat's module,
   --by-source on a corpus program built with -g)
   has exactly the keys of the table in docs/wlab-explore.md, object by
   object.
Runs in parallel (os.cpu_count() workers), each worker's wasm-opt runs in one
tests/differential/wasm_opt_batch.cjs (binaryen compiled once: batch.py);
wasm-opt and wasm-objdump outputs are cached by content hash in
$BUILD/cache/sizes/. Under SANITIZE=1 a sample.
Writes "passed failed" to $BUILD/test-results/explore-sizes.txt."""
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "differential"))
import batch  # noqa: E402

BUILD = harness.build_dir()
EXPLORE = os.path.join(BUILD, "bin", "wlab-explore")
CACHE = os.path.join(BUILD, "cache", "sizes")
SAN = harness.sanitized()
WASM_OPT = (None, None)  # binaryen 132's wasm-opt: (argv prefix, version), set by main()


def explore(*args, timeout=120):
    return harness.run([EXPLORE] + list(args), timeout=timeout)


def jload(r):
    return json.loads(r.out.decode("utf-8", "replace"))


# ---- 1. retained sizes by brute force ----

def reach(n, succ, skip):
    mark = bytearray(n)
    if skip == 0:
        return mark
    mark[0] = 1
    stack = [0]
    while stack:
        i = stack.pop()
        for t in succ[i]:
            if not mark[t] and t != skip:
                mark[t] = 1
                stack.append(t)
    return mark


def check_retained(t, path):
    """Adds its checks to Tally t; returns the graph, or None."""
    def ok(c, what):
        return t.ok(c, "%s: %s" % (path, what))

    r = explore("--callgraph", "--all-items", "--json", path)
    if r.rc == 1 and not r.out:
        # a module that does not decode: the error names an offset
        ok(re.search(rb":0x[0-9a-f]+: error: ", r.err) is not None, "error without offset: %r" % r.err[:200])
        return None
    if not ok(r.rc == 0, "--callgraph exit %s %r" % (harness.describe(r), r.err[:200])):
        return None
    g = jload(r)
    items = g["items"]
    n = len(items)
    ok([it["id"] for it in items] == list(range(n)), "ids are 0..n-1")
    succ = [[] for _ in range(n)]
    for a, b, _ in g["edges"]:
        succ[a].append(b)
    size = [it["shallow"] for it in items]
    ok(sum(size) == g["size"], "items (%d bytes) add up to the file (%d)" % (sum(size), g["size"]))
    with open(path, "rb") as fh:
        nsec = sum(1 for _ in harness.sections(fh.read()))
    ok(sum(1 for it in items if it["kind"] == "meta") == nsec, "one meta item per section (%d)" % nsec)
    base = reach(n, succ, None)
    ok(all(bool(base[i]) == it["reachable"] for i, it in enumerate(items)), "reachable flags")
    reachable = [i for i in range(n) if base[i]]
    ok(items[0]["retained"] == sum(size[i] for i in reachable), "root retains every reachable byte")
    if n <= 120:
        sample = reachable[1:]
    else:
        by_ret = sorted(reachable[1:], key=lambda i: -items[i]["retained"])
        step = max(1, len(reachable) // 40)
        sample = sorted(set(by_ret[:40]) | set(reachable[1::step]))
    if SAN:
        sample = sample[:10]
    for x in sample:
        after = reach(n, succ, x)
        lost = sum(size[i] for i in reachable if not after[i])
        ok(lost == items[x]["retained"], "retained of %s is %d, removing it frees %d"
           % (items[x]["label"], items[x]["retained"], lost))
    for i in range(n):
        if not base[i] and items[i]["retained"] != 0:
            ok(False, "unreachable %s retains %d" % (items[i]["label"], items[i]["retained"]))
            break
    return g


def check_views(t, path, g):
    """--dominators and --garbage against the graph."""
    def ok(c, what):
        return t.ok(c, "%s: %s" % (path, what))

    items = g["items"]
    rd, rg = explore("--dominators", "--json", path), explore("--garbage", "--json", path)
    if not ok(rd.rc == 0 and rg.rc == 0, "--dominators %s, --garbage %s"
              % (harness.describe(rd), harness.describe(rg))):
        return
    d = jload(rd)
    rows = d["items"]
    ok(len(rows) == sum(1 for it in items if it["reachable"]), "--dominators lists every reachable item")
    seen = set()
    tree_ok = True
    for row in rows:
        if row["retained"] != items[row["id"]]["retained"]:
            tree_ok = False
        if row["id"] != 0 and row["idom"] not in seen:
            tree_ok = False
        seen.add(row["id"])
    ok(tree_ok, "--dominators: retained sizes as --callgraph, each item after its dominator")
    gb = jload(rg)
    want = {it["id"] for it in items if not it["reachable"] and it["kind"] != "indirect"}
    ok({it["id"] for it in gb["items"]} == want, "--garbage lists the unreachable items")
    ok(gb["bytes"] == sum(items[i]["shallow"] for i in want), "--garbage bytes")


# ---- 2. edges against wasm-objdump -d ----

FUNC_RE = re.compile(r"^[0-9a-f]+ func\[(\d+)\]")
INSTR_RE = re.compile(r"^ [0-9a-f]+: [0-9a-f ]+\| +([a-z0-9_.]+)(.*)$")
REF_OPS = {"call": "func", "return_call": "func", "ref.func": "func",
           "global.get": "global", "global.set": "global"}
OPEN_OPS = {"block", "loop", "if", "try", "try_table"}
ELSE_OPS = {"else", "catch", "catch_all"}
STOP_OPS = {"unreachable", "br", "br_table", "return", "return_call", "return_call_indirect",
            "return_call_ref", "throw", "rethrow", "throw_ref", "delegate"}
BRANCH_OPS = {"br", "br_if", "br_table", "br_on_null", "br_on_non_null"}


class Frame:
    __slots__ = ("entry_dead", "kind", "targeted", "arm_live", "has_else")

    def __init__(self, entry_dead, kind):
        self.entry_dead, self.kind = entry_dead, kind
        self.targeted = self.arm_live = self.has_else = False


def step(stack, dead, op, rest):
    """The dead-code state after one instruction: code is dead after an
    unconditional branch, and after the end of a block no live branch
    targets and whose body ends dead (binaryen's reader drops such code)."""
    if op in BRANCH_OPS and not dead:
        for lab in re.findall(r"\d+", rest.split("<")[0]):
            if int(lab) < len(stack):
                stack[-1 - int(lab)].targeted = True
    if op in OPEN_OPS:
        stack.append(Frame(dead, op))
        if op == "try_table":  # its catch clauses may branch anywhere out
            for fr in stack:
                fr.targeted = True
        return dead
    if op in ELSE_OPS and stack:
        stack[-1].arm_live |= not dead
        stack[-1].has_else = True
        return stack[-1].entry_dead
    if op == "end" and stack:
        fr = stack.pop()
        live = fr.arm_live or not dead or (fr.targeted and fr.kind != "loop") or (
            fr.kind == "if" and not fr.has_else and not fr.entry_dead)
        return not live
    if op == "end":
        return False
    return dead or op in STOP_OPS


def cached(key, make):
    return harness.cached(os.path.join(CACHE, key + ".z"), make)


def digest(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:24]


def disassembly(path):
    """{func index: (live refs, dead refs)} from wasm-objdump -d: each ref a
    (kind, index) of a call, return_call, ref.func, global.get or global.set;
    dead ones follow an unconditional branch in their block."""
    def make():
        r = harness.run(["wasm-objdump", "-d", path], timeout=120)
        return r.out if r.rc == 0 else b""
    out = cached(digest(path) + ".objdump-d", make).decode("utf-8", "replace")
    funcs = {}
    cur = None
    stack, dead = [], False
    for line in out.splitlines():
        m = FUNC_RE.match(line)
        if m:
            cur = funcs.setdefault(int(m.group(1)), (set(), set()))
            stack, dead = [], False
            continue
        m = INSTR_RE.match(line)
        if not m or cur is None:
            continue
        op, rest = m.group(1), m.group(2)
        num = re.match(r" (\d+)", rest)
        if op in REF_OPS and num:
            cur[1 if dead else 0].add((REF_OPS[op], int(num.group(1))))
        dead = step(stack, dead, op, rest)
    return funcs


def is_object(path):
    """Whether the module is a relocatable object (has a "linking" section)."""
    with open(path, "rb") as fh:
        b = fh.read()
    try:
        return any(sid == 0 and harness.custom_name(b, j) == b"linking" for sid, i, j, end in harness.sections(b))
    except IndexError:
        return False


def check_edges(t, path, g):
    """Every reference wasm-objdump -d shows in a body is an edge, and every
    call or ref edge from a function is a reference in its body (in a
    linked module: an object's relocations add edges)."""
    funcs = disassembly(path)
    if not funcs:
        return
    base = {}
    for it in g["items"]:
        base.setdefault(it["kind"], it["id"] - it["index"])
    edges = {(a, b) for a, b, _ in g["edges"]}
    seen = set()
    for f, (live, dead) in funcs.items():
        for kind, idx in live | dead:
            e = (base["func"] + f, base[kind] + idx)
            seen.add(e)
            t.ok(e in edges, "%s: no edge for func[%d] -> %s[%d]" % (path, f, kind, idx))
    items = g["items"]
    for a, b, k in ([] if is_object(path) else g["edges"]):
        if items[a]["kind"] == "func" and k in ("call", "ref") or (
                items[a]["kind"] == "func" and items[b]["kind"] == "global"):
            t.ok((a, b) in seen, "%s: edge %s -> %s not in the disassembly"
                 % (path, items[a]["label"], items[b]["label"]))


# ---- 3. garbage against wasm-opt --remove-unused-module-elements ----

def dwarf_units(path):
    """The compile units of a -g module as llvm-dwarfdump-14 reads them:
    [(DW_AT_name, [(low, high) ranges])], low_pc/high_pc or DW_AT_ranges."""
    r = harness.run(["llvm-dwarfdump-14", "--debug-info", path], timeout=120)
    units, cur, in_ranges = [], None, False
    for line in r.out.decode(errors="replace").splitlines():
        if "DW_TAG_compile_unit" in line:
            cur = {"name": None, "low": None, "high": None, "ranges": []}
            units.append(cur)
            in_ranges = False
            continue
        if cur is None:
            continue
        if "DW_TAG_" in line:
            cur, in_ranges = None, False  # the unit's own attributes come first
            continue
        m = re.search(r"DW_AT_(name|low_pc|high_pc)\s+\((?:\"(.*)\"|(0x[0-9a-f]+))", line)
        if m:
            key = {"name": "name", "low_pc": "low", "high_pc": "high"}[m.group(1)]
            cur[key] = m.group(2) if key == "name" else int(m.group(3), 16)
            in_ranges = False
        if "DW_AT_ranges" in line:
            in_ranges = True
        m = re.search(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", line)
        if m and in_ranges:
            cur["ranges"].append((int(m.group(1), 16), int(m.group(2), 16)))
    out = []
    for u in units:
        rs = u["ranges"] or ([(u["low"], u["high"])] if u["high"] is not None else [])
        out.append((u["name"], rs))
    return out


def first_instructions(b):
    """The offset in the Code section's payload of each body's first
    instruction (past its size and locals), as DWARF addresses count."""
    for sid, _, j, end in harness.sections(b):
        if sid != 10:
            continue
        n, i = harness.read_leb(b, j)
        out = []
        for _ in range(n):
            size, k = harness.read_leb(b, i)
            ngroups, p = harness.read_leb(b, k)
            for _ in range(ngroups):
                _, p = harness.read_leb(b, p)
                p += 1  # a numeric or vector type: C programs have no others
            out.append(p - j)
            i = k + size
        return out
    return []


NAME_SUBS = {"type": 4, "func": 1, "table": 5, "memory": 6, "global": 7, "elem": 8, "data": 9,
             "tag": 11}
PREFIX = {"type": "T", "func": "f", "table": "t", "memory": "m", "global": "g", "elem": "e",
          "data": "d", "tag": "x"}
KINDS = ("func", "table", "memory", "global", "tag", "elem", "data")  # compared by name; types apart


def renamed(b, counts):
    """The module without its name sections, with one naming every item."""
    out = bytearray(b[:8])
    for sid, i, j, end in harness.sections(b):
        if not (sid == 0 and harness.custom_name(b, j) == b"name"):
            out += b[i:end]
    payload = bytearray(harness.uleb(4) + b"name")
    for kind, sub in sorted(NAME_SUBS.items(), key=lambda kv: kv[1]):
        if not counts.get(kind):
            continue
        body = bytearray(harness.uleb(counts[kind]))
        for k in range(counts[kind]):
            nm = ("%s%d" % (PREFIX[kind], k)).encode()
            body += harness.uleb(k) + harness.uleb(len(nm)) + nm
        payload += bytes([sub]) + harness.uleb(len(body)) + body
    out += b"\x00" + harness.uleb(len(payload)) + payload
    return bytes(out)


def names_in(b):
    """{kind: {name: index}} of a module's name section."""
    found = {k: {} for k in NAME_SUBS}
    sub_kind = {v: k for k, v in NAME_SUBS.items()}
    for sid, i, j, end in harness.sections(b):
        if sid != 0 or harness.custom_name(b, j) != b"name":
            continue
        n, k = harness.read_leb(b, j)
        k += n
        while k < end:
            sub = b[k]
            size, k = harness.read_leb(b, k + 1)
            stop = k + size
            if sub in sub_kind:
                cnt, k = harness.read_leb(b, k)
                for _ in range(cnt):
                    idx, k = harness.read_leb(b, k)
                    ln, k = harness.read_leb(b, k)
                    found[sub_kind[sub]][b[k:k + ln].decode("utf-8", "replace")] = idx
                    k += ln
            k = stop
    return found


def skip_valtype(b, k):
    """Past one value type (a reference type's heap type included)."""
    c = b[k]
    if c in (0x63, 0x64):
        _, k = harness.read_leb(b, k + 1)  # heap type: s33, its bytes read as a LEB
        return k
    return k + 1


def skip_limits(b, k):
    flags = b[k]
    _, k = harness.read_leb(b, k + 1)
    if flags & 1:
        _, k = harness.read_leb(b, k)
    return k


def func_bodies(b):
    """{function index: its Code entry (size LEB included)} of the defined
    functions of a module, found by counting the imported functions."""
    nimp, bodies = 0, {}
    for sid, i, j, end in harness.sections(b):
        if sid == 2:
            cnt, k = harness.read_leb(b, j)
            for _ in range(cnt):
                for _ in range(2):  # module and field names
                    ln, k = harness.read_leb(b, k)
                    k += ln
                kind = b[k]
                k += 1
                if kind == 0:
                    nimp += 1
                    _, k = harness.read_leb(b, k)
                elif kind == 1:
                    k = skip_limits(b, skip_valtype(b, k))
                elif kind == 2:
                    k = skip_limits(b, k)
                elif kind == 3:
                    k = skip_valtype(b, k) + 1
                else:
                    _, k = harness.read_leb(b, k + 1)
        elif sid == 10:
            cnt, k = harness.read_leb(b, j)
            for f in range(cnt):
                size, body = harness.read_leb(b, k)
                bodies[nimp + f] = b[k:body + size]
                k = body + size
    return bodies


DRIVER = []  # this worker's wasm_opt_batch.cjs, started on its first wasm-opt run


def wasm_opt(args, timeout):
    """`wasm-opt ARGS` (a harness.Result), through this worker's
    wasm_opt_batch.cjs (tests/differential/batch.py: binaryen compiled once
    per worker, about 0.06 s of CPU a run against a separate `node
    wasm-opt`'s 1.5-2 s). A run the driver fails is made again by a
    separate process, whose verdict counts (as diff_exec.py does: a warm
    driver fails a few modules in a thousand that a process does not)."""
    if not DRIVER:
        DRIVER.append(batch.Driver(WASM_OPT[0][-1]))
    r = DRIVER[0].run(args, timeout)
    if r.rc != 0:
        r = harness.run(WASM_OPT[0] + args, timeout=timeout)
    return r


def wasm_opt_rume(rb, tmp):
    """binaryen 132's `wasm-opt -g --remove-unused-module-elements` of module
    bytes rb, cached by their hash and binaryen's version; b"" when it refuses."""
    key = hashlib.sha256(rb).hexdigest()[:24] + ".wasm-opt-%s-rume2" % WASM_OPT[1]

    def make():
        src = os.path.join(tmp, "in-%d.wasm" % os.getpid())
        dst = os.path.join(tmp, "out-%d.wasm" % os.getpid())
        with open(src, "wb") as fh:
            fh.write(rb)
        # compact imports (on with --all-features) would write an import
        # section that neither func_bodies() nor wabt 1.0.39 reads
        r = wasm_opt(["-g", "--all-features", "--disable-compact-imports",
                      "--remove-unused-module-elements", src, "-o", dst], 120)
        if r.rc != 0:
            return b""
        with open(dst, "rb") as fh:
            return fh.read()
    return cached(key, make)


def emptied(entry):
    """Whether a Code entry's body is `unreachable end` after its locals."""
    if not entry:
        return False
    size, k = harness.read_leb(entry, 0)
    n, k = harness.read_leb(entry, k)
    for _ in range(n):
        _, k = harness.read_leb(entry, k)
        k = skip_valtype(entry, k)
    return entry[k:] == b"\x00\x0b"


def results_of(entry):
    """(params, results) of a func type entry (0x60 params results), each the
    bytes of its vector, count included."""
    k = 1
    out = []
    for _ in range(2):
        start = k
        n, k = harness.read_leb(entry, k)
        for _ in range(n):
            k = skip_valtype(entry, k)
        out.append(entry[start:k])
    return tuple(out)


def type_classes(b, items):
    """{entry bytes: [type items]}: types binaryen cannot tell apart (one
    func type each, equal bytes: the same signature); None when the module has
    rec groups or subtypes, whose types binaryen tells apart otherwise."""
    classes = {}
    for it in items:
        if it["kind"] == "type":
            entry = b[it["offset"]:it["offset"] + it["shallow"]]
            if entry[:1] != b"\x60":
                return None
            classes.setdefault(entry, []).append(it)
    return classes


def check_binaryen(t, path, g, tmp):
    """Adds its checks to Tally t: for each function, table, memory, global,
    tag, element and data segment, whether binaryen removed it must be whether
    it is garbage here, and for each class of equal function types, whether
    binaryen kept one must be whether one is reachable here, but where
    explain() finds the reason. Returns {reason: count}."""
    if is_object(path):
        return {}  # binaryen knows nothing of an object's symbols
    with open(path, "rb") as fh:
        b = fh.read()
    counts = {}
    for it in g["items"]:
        if it["kind"] in NAME_SUBS:
            counts[it["kind"]] = counts.get(it["kind"], 0) + 1
    try:
        rb = renamed(b, counts)
    except IndexError:
        return {}
    out = wasm_opt_rume(rb, tmp)
    if not out:
        return {}  # binaryen refuses it: nothing to compare
    kept = names_in(out)
    classes = type_classes(b, g["items"])
    mine = {it["id"]: it for it in g["items"] if it["kind"] in KINDS}
    removed = {i for i, it in mine.items() if "%s%d" % (PREFIX[it["kind"]], it["index"]) not in kept[it["kind"]]}
    for members in (classes or {}).values():
        if not any("T%d" % it["index"] in kept["type"] for it in members):
            removed |= {it["id"] for it in members}
    bodies = func_bodies(out)
    empty = {i for i, it in mine.items() if it["kind"] == "func" and i not in removed
             and emptied(bodies.get(kept["func"]["f%d" % it["index"]]))}
    ctx = explain_context(path, b, g, removed, empty)
    reasons = {}

    def compare(label, theirs_removed, ours_removed, members):
        kind = members[0]["kind"]
        reasons[("compared", kind)] = reasons.get(("compared", kind), 0) + 1
        if theirs_removed == ours_removed:
            reasons[("agreed", kind)] = reasons.get(("agreed", kind), 0) + 1
        why = None
        if theirs_removed != ours_removed:
            whys = [explain(it, ours_removed, ctx) for it in members if it["reachable"] or ours_removed]
            why = " + ".join(sorted(set(whys))) if all(whys) else None
        if why:
            reasons[why] = reasons.get(why, 0) + 1
        t.ok(theirs_removed == ours_removed or why, "%s: %s %s by binaryen, %s here" % (
            path, label, "removed" if theirs_removed else "kept", "garbage" if ours_removed else "reachable"))
    for i, it in sorted(mine.items()):
        compare(it["label"], i in removed, not it["reachable"], [it])
    for members in (classes or {}).values():
        compare("the types %s" % ",".join(str(it["index"]) for it in members),
                members[0]["id"] in removed, not any(it["reachable"] for it in members), members)
    return reasons


def explain_context(path, b, g, removed_by_binaryen, emptied_by_binaryen):
    preds = {}
    for a, c, _ in g["edges"]:
        preds.setdefault(c, []).append(a)
    succ = {}
    for a, c, _ in g["edges"]:
        succ.setdefault(a, []).append(c)
    return {"path": path, "bytes": b, "items": g["items"], "preds": preds, "succ": succ,
            "removed": removed_by_binaryen, "emptied": emptied_by_binaryen, "disasm": None}


def disasm_of(ctx, src):
    if ctx["disasm"] is None:
        ctx["disasm"] = disassembly(ctx["path"])
    return ctx["disasm"].get(src["index"], (set(), set()))


def only_dead(ctx, src, it):
    """Whether function src names item it only in dead code."""
    live, dead = disasm_of(ctx, src)
    ref = (it["kind"], it["index"])
    return ref in dead and ref not in live


def entry_of(ctx, it):
    return ctx["bytes"][it["offset"]:it["offset"] + it["shallow"]]


def block_signature(ctx, it):
    """Whether type it is () -> R, R two results or more, and a reachable
    type has the results R: binaryen gives each multi-value block, a
    function's body included, the type () -> R and declares it."""
    params, results = results_of(entry_of(ctx, it))
    if params != b"\x00" or harness.read_leb(results, 0)[0] < 2:
        return False
    return any(x["kind"] == "type" and x["reachable"] and results_of(entry_of(ctx, x))[1] == results
               for x in ctx["items"])


def declarative(ctx, it):
    """Whether element segment it is declarative (flags 3 or 7)."""
    return it["kind"] == "elem" and ctx["bytes"][it["offset"]] in (3, 7)


def explain(it, ours_removed, ctx):
    """Why binaryen removed an item the graph keeps, or None when no reason
    covers it: each reachable item with an edge to it must be one binaryen
    removed too, an indirect-targets item (call_indirect is conservative
    here), or the root itself for an active segment of a memory or table
    that binaryen removed..."""
    if ours_removed:
        if it["kind"] == "type" and block_signature(ctx, it):
            return "() -> R for a multi-value result R (binaryen declares it for the body's block)"
        return None
    if declarative(ctx, it):
        return "declarative element segment (binaryen writes its own from the ref.func it keeps)"
    items, removed = ctx["items"], ctx["removed"]
    why = set()
    for a in ctx["preds"].get(it["id"], []):
        src = items[a]
        if not src["reachable"]:
            continue
        if a == 0 and it["kind"] in ("data", "elem") and all(
                c in removed for c in ctx["succ"].get(it["id"], [])
                if items[c]["kind"] in ("memory", "table")):
            why.add("active segment of a memory or table binaryen found unused")
        elif src["kind"] == "indirect":
            why.add("call_indirect/call_ref signature (conservative here)")
        elif src["id"] in removed:
            why.add("kept by an item binaryen removed")
        elif src["id"] in ctx["emptied"]:
            why.add("named by a function no call reaches (binaryen keeps it for its table slot, its body emptied)")
        elif src["kind"] == "func" and only_dead(ctx, src, it):
            why.add("named only in dead code, which binaryen's reader drops")
        else:
            return None
    return " + ".join(sorted(why)) or None


# ---- 4. --diff of two builds of one C program ----

def check_diff(tmp):
    """Returns its Tally."""
    t = harness.Tally()
    _check_diff(lambda c, what: t.ok(c, "diff: " + what), tmp)
    return t


def _check_diff(ok, tmp):
    src = os.path.join(HERE, "sizes_prog.c")
    wasm = []
    for v in (0, 1):
        obj = os.path.join(tmp, "prog%d.o" % v)
        out = os.path.join(tmp, "prog%d.wasm" % v)
        # compile and link apart: clang's driver runs wasm-opt (which strips
        # names and inlines) after an optimising link when one is on PATH
        r1 = harness.run(["clang", "--target=wasm32-wasi", "-O2", "-c", "-DVARIANT=%d" % v, src,
                          "-o", obj], timeout=120)
        r2 = harness.run(["clang", "--target=wasm32-wasi", obj, "-o", out], timeout=120)
        if not ok(r1.rc == 0 and r2.rc == 0, "clang: %r %r" % (r1.err[-300:], r2.err[-300:])):
            return
        wasm.append(out)
    r = explore("--diff", wasm[0], wasm[1], "--json")
    if not ok(r.rc == 0, "--diff exit %s" % harness.describe(r)):
        return
    d = jload(r)
    funcs = {x["name"]: x for x in d["functions"]}
    ok(set(funcs) == {"cube", "greeting_len"}, "changed functions %s" % sorted(funcs))
    ok(all(x["matched"] == "name" for x in funcs.values()), "matched by name")
    if "cube" in funcs:
        ok(funcs["cube"]["delta"] > 0, "cube grew")
    if "greeting_len" in funcs:
        x = funcs["greeting_len"]
        ok(x["delta"] == 0 and x["bytes_differ"], "greeting_len: same size, other bytes")
    secs = {x["name"]: x for x in d["sections"]}
    ok(secs.get("Data", {}).get("bytes_differ") is True, "the Data section differs")
    ok(d["delta"] == os.path.getsize(wasm[1]) - os.path.getsize(wasm[0]), "total delta")
    ok(sum(x["delta"] for x in d["sections"]) == d["delta"], "section deltas add up to the total")
    code = secs.get("Code", {}).get("delta")
    ok(code == sum(x["delta"] for x in d["functions"]), "function deltas add up to Code's")
    grow = d["delta"]
    if grow > 0:
        ok(explore("--diff", wasm[0], wasm[1], "--fail-above", str(grow)).rc == 0, "--fail-above at the growth")
        ok(explore("--diff", wasm[0], wasm[1], "--fail-above", str(grow - 1)).rc == 1, "--fail-above below it")
        ok(explore("--diff", wasm[0], wasm[1], "--fail-above", "50%").rc == 0, "--fail-above 50%")
        ok(explore("--diff", wasm[0], wasm[1], "--fail-above", "0%").rc == 1, "--fail-above 0%")
    ok(explore("--diff", wasm[1], wasm[0], "--fail-above", "0").rc == 0, "shrinking passes")
    rt = explore("--diff", wasm[0], wasm[1])
    ok(rt.rc == 0 and b"cube" in rt.out and b"Total:" in rt.out, "text --diff")
    # --by-source: with -g, the program's four functions in its own file's row
    obj, out = os.path.join(tmp, "progg.o"), os.path.join(tmp, "progg.wasm")
    r1 = harness.run(["clang", "--target=wasm32-wasi", "-O2", "-g", "-c", src, "-o", obj], timeout=120)
    r2 = harness.run(["clang", "--target=wasm32-wasi", obj, "-o", out], timeout=120)
    if not ok(r1.rc == 0 and r2.rc == 0, "clang -g"):
        return
    # the -g build without its name section: DWARF names the functions
    with open(out, "rb") as fh:
        b = fh.read()
    stripped = bytearray(b[:8])
    for sid, i, j, end in harness.sections(b):
        if not (sid == 0 and harness.custom_name(b, j) == b"name"):
            stripped += b[i:end]
    nameless = os.path.join(tmp, "progg-nameless.wasm")
    with open(nameless, "wb") as fh:
        fh.write(stripped)
    rd = explore("--diff", nameless, out, "--json")
    if ok(rd.rc == 0, "--diff of a nameless build %s" % harness.describe(rd)):
        d = jload(rd)
        ok(d["functions"] == [] and d["matched_by_name"] > 3 * d["matched_by_index"],
           "DWARF names match the functions of a build without a name section: %d by name, %d by index, rows %s"
           % (d["matched_by_name"], d["matched_by_index"], [x["name"] for x in d["functions"]][:5]))
    for w, dwarf in ((out, True), (wasm[0], False)):
        rb, rg = explore("--by-source", "--json", w), explore("--callgraph", "--all-items", "--json", w)
        if not ok(rb.rc == 0 and rg.rc == 0, "--by-source %s" % harness.describe(rb)):
            continue
        bs, g = jload(rb), jload(rg)
        ok(sum(x["bytes"] for x in bs["rows"]) == sum(it["shallow"] for it in g["items"]) == os.path.getsize(w),
           "--by-source rows add up to the items' bytes and the file's (%s)" % os.path.basename(w))
        mine = [x for x in bs["rows"] if x["source"].endswith("sizes_prog.c")]
        want = sum(it["shallow"] for it in g["items"] if it["kind"] == "func" and
                   it["name"] in ("cube", "greeting_len", "unchanged", "main", "__main_argc_argv"))
        units = [x for x in bs["units"] if x["unit"].endswith("sizes_prog.c")]
        defined = sum(it["shallow"] for it in g["items"] if it["kind"] == "func" and not it["imported"])
        ok(len(bs["units"]) == bs["unit_count"] and
           sum(x["bytes"] for x in bs["units"]) <= defined, "--by-source units: %d bytes of %d"
           % (sum(x["bytes"] for x in bs["units"]), defined))
        if dwarf:
            ok(len(mine) == 1 and mine[0]["functions"] == 4 and mine[0]["bytes"] == want,
               "--by-source: sizes_prog.c holds its 4 functions, %d bytes: %s" % (want, mine))
            ok(len(units) == 1 and units[0]["functions"] == 4 and units[0]["bytes"] == want,
               "--by-source: the unit sizes_prog.c holds its 4 functions, %d bytes: %s" % (want, units))
            # every unit of the program's libc also comes with -g: most bytes are in units
            ok(sum(x["bytes"] for x in bs["units"]) * 2 > defined, "--by-source: units cover most code")
            # the units again, by brute force: llvm-dwarfdump's ranges of each unit, and
            # each defined function in the first unit whose ranges hold its first instruction
            with open(w, "rb") as fh:
                firsts = first_instructions(fh.read())
            cus = dwarf_units(w)
            funcs = sorted((it["index"], it["shallow"]) for it in g["items"]
                           if it["kind"] == "func" and not it["imported"])
            brute = {}
            for (index, shallow), at in zip(funcs, firsts):
                for name, rs in cus:
                    if any(lo <= at < hi for lo, hi in rs):
                        row = brute.setdefault(name, [0, 0])
                        row[0] += shallow
                        row[1] += 1
                        break
            got = {x["unit"]: (x["bytes"], x["functions"]) for x in bs["units"]}
            brute = {k: tuple(v) for k, v in brute.items()}
            ok(len(funcs) == len(firsts) and len(cus) > 10 and got == brute,
               "--by-source units equal llvm-dwarfdump's ranges (%d units, %d functions): %s"
               % (len(got), len(funcs), sorted(set(got.items()) ^ set(brute.items()))[:4]))
        else:
            ok(not mine and not units, "no DWARF for sizes_prog.c without -g")
    rt = explore("--by-source", out)
    ok(rt.rc == 0 and b"(DWARF, else name prefixes)" in rt.out.split(b"\n")[0],
       "--by-source's header says the files come from DWARF: %r" % rt.out.split(b"\n")[0])
    return


# ---- 5. bad input, usage ----

def check_errors(tmp, sample):
    """Returns its Tally."""
    t = harness.Tally()
    with open(sample, "rb") as fh:
        b = fh.read()
    cut = os.path.join(tmp, "cut.wasm")
    with open(cut, "wb") as fh:
        fh.write(b[:len(b) * 2 // 3])
    for view in (["--dominators"], ["--garbage"], ["--paths", "0"], ["--callgraph"],
                 ["--by-source"], ["--diff", sample]):
        r = explore(*view, cut)
        t.ok(r.rc == 1 and re.search(rb"cut\.wasm:0x[0-9a-f]+: error: ", r.err) is not None,
             "%s on a cut file: %s %r" % (view[0], harness.describe(r), r.err[:200]))
    for args in (["--dominators", "--garbage"], ["--sort", "size", "--dominators"],
                 ["--fail-above", "x", "--diff", sample], ["--all-items", "--dominators"],
                 ["--diff", sample, "--annotate"]):
        r = explore(*(args + [sample]))
        t.ok(r.rc == 2, "usage %s: %s" % (args, harness.describe(r)))
    r = explore("--paths", "no-such-item", sample)
    t.ok(r.rc == 1, "--paths no-such-item: %s" % harness.describe(r))
    return t


# ---- 6. the JSON schemas of docs/wlab-explore.md ----

SCHEMA_ROW = re.compile(r"^\| `(wlab-explore-[a-z-]+/1)` \| (\S+) \| (.+) \|$")
ITEM_KEYS = {"id", "kind", "index", "label", "name", "offset", "shallow"}


def doc_schemas():
    """[(schema, object path, keys)] from the table in docs/wlab-explore.md."""
    rows = []
    with open(os.path.join(HERE, "..", "..", "docs", "wlab-explore.md")) as fh:
        for line in fh:
            m = SCHEMA_ROW.match(line.strip())
            if m:
                words = m.group(3).replace("`", "").split()
                keys = set(words)
                if words[0] == "item":
                    keys = ITEM_KEYS | set(words[2:])
                rows.append((m.group(1), m.group(2).strip("`"), keys))
    return rows


def objects_at(doc, path):
    """The objects a table row's path names: top, KEY, KEY[], KEY[][], KEY.*."""
    if path == "top":
        return [doc]
    key = path.split("[")[0].split(".")[0]
    x = doc.get(key)
    if path.endswith("[][]"):
        return [o for lst in x or [] for o in lst]
    if path.endswith("[]"):
        return list(x or [])
    if path.endswith(".*"):
        return list((x or {}).values())
    return [x] if x is not None else []


def check_schemas(tmp, other, with_dwarf):
    """Each view's JSON has exactly the keys the docs' table gives (of
    xref.wat's module; --by-source of with_dwarf, a corpus program built with
    -g); returns its Tally."""
    t = harness.Tally()
    wasm = os.path.join(tmp, "schema-xref.wasm")
    subprocess.run(["wat2wasm", os.path.join(HERE, "xref.wat"), "-o", wasm], check=True)
    views = {"wlab-explore-dominators/1": ["--dominators"], "wlab-explore-garbage/1": ["--garbage"],
             "wlab-explore-paths/1": ["--paths", "func[1]"],
             "wlab-explore-graph/1": ["--callgraph", "--all-items"],
             "wlab-explore-by-source/1": ["--by-source"],
             "wlab-explore-diff/1": ["--fail-above", "0", "--diff", other]}
    rows = doc_schemas()
    t.ok({r[0] for r in rows} == set(views), "the docs' table names the views %s" % sorted({r[0] for r in rows}))
    docs = {}
    for schema, args in views.items():
        r = explore(*(args + ["--json", with_dwarf if args[0] == "--by-source" else wasm]))
        if t.ok(r.rc in (0, 1) and r.out, "%s: %s" % (args[0], harness.describe(r))):
            docs[schema] = jload(r)
    for schema, path, keys in rows:
        doc = docs.get(schema)
        objs = objects_at(doc, path) if doc else []
        t.ok(doc and doc.get("schema") == schema, "%s: schema %s" % (schema, doc and doc.get("schema")))
        bad = [sorted(set(o) ^ keys) for o in objs if set(o) != keys]
        t.ok(objs and not bad, "%s %s: %d objects, keys differ from the docs': %s" % (schema, path, len(objs), bad[:1]))
    return t


# ---- driver ----

def one(job):
    """Checks one module; returns (its Tally, {binaryen reason: count})."""
    path, views, edges, binaryen, tmp = job
    t = harness.Tally()
    g = check_retained(t, path)
    reasons = {}
    if g is not None:
        if views:
            check_views(t, path, g)
        if edges:
            check_edges(t, path, g)
        if binaryen:
            reasons = check_binaryen(t, path, g, tmp)
    return t, reasons


def modules():
    """(path, views, edges, binaryen) for each module checked."""
    jobs = []
    corpus = sorted(os.path.join(d, n) for d, _, ns in os.walk(os.path.join(BUILD, "corpus"), followlinks=True)
                    for n in ns if n.endswith(".wasm"))
    spec = sorted(os.path.join(d, n) for d, _, ns in os.walk(os.path.join(BUILD, "spec"), followlinks=True)
                  for n in ns if n.endswith(".wasm"))
    examples = sorted(os.path.join(d, n) for d, _, ns in os.walk(os.path.join(BUILD, "examples"), followlinks=True)
                      for n in ns if n.endswith(".wasm"))
    # relocatable objects (corpus/obj/) are many and much alike: every 4th
    objs = [pth for pth in corpus if "/obj/" in pth]
    corpus = [pth for pth in corpus if "/obj/" not in pth] + objs[::4]
    cstep, sstep = (8, 60) if SAN else (1, 6)
    for k, pth in enumerate(corpus[::cstep] + examples):
        linked = "/obj/" not in pth
        jobs.append((pth, k % 2 == 0, linked, True))
    for k, pth in enumerate(spec[::sstep]):
        jobs.append((pth, k % 4 == 0, False, k % 6 == 0))
    return jobs


def main():
    start = time.time()
    if not harness.need_tool(EXPLORE):
        harness.write_result("explore-sizes.txt", 0, 1)
        return 1
    global WASM_OPT
    WASM_OPT = harness.oracle("wasm-opt")
    missing = [t for t in ("wasm-objdump", "clang") if not shutil.which(t)]
    if missing or WASM_OPT[0] is None:
        sys.stderr.write("explore-sizes: missing %s (bash scripts/deps.sh)\n"
                         % " ".join(missing + ([WASM_OPT[1]] if WASM_OPT[0] is None else [])))
        harness.write_result("explore-sizes.txt", 0, 1)
        return 1
    os.makedirs(CACHE, exist_ok=True)
    top = harness.Tally()
    reasons = {}
    shown = []  # the failures printed: 3 of each module at most, 40 in all

    def add(t):
        top.passed += t.passed
        top.failures += t.failures
        shown.extend(t.failures[:min(3, 40 - len(shown))])
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [j + (tmp,) for j in modules()]
        with multiprocessing.Pool(os.cpu_count() or 2) as pool:
            diff = pool.apply_async(check_diff, (tmp,))
            for t, why in pool.imap_unordered(one, jobs, chunksize=4):
                add(t)
                for k, v in why.items():
                    reasons[k] = reasons.get(k, 0) + v
            add(diff.get())
        sample = jobs[0][0] if jobs else None
        if sample:
            add(check_errors(tmp, sample))
            dwarf = [j[0] for j in jobs if j[0].endswith(".O0.wasm") and "/prog/" in j[0]]
            add(check_schemas(tmp, sample, dwarf[0] if dwarf else sample))
        else:
            shown.append("no modules under %s/corpus, spec, examples" % BUILD)
            top.failures.append(shown[-1])
    for m in shown:
        sys.stderr.write("FAIL %s\n" % m)
    passed, failed = top.passed, len(top.failures)
    counts = {k: v for k, v in reasons.items() if isinstance(k, tuple)}
    print("binaryen %s and the graph agree on (items, or type classes) %s" % (WASM_OPT[1], ", ".join(
        "%d/%d %s" % (counts.get(("agreed", k), 0), counts[("compared", k)], k)
        for k in ("func", "table", "memory", "global", "tag", "type", "elem", "data") if ("compared", k) in counts)))
    for k, v in sorted((k, v) for k, v in reasons.items() if not isinstance(k, tuple)):
        print("binaryen and the graph differ on %d items: %s" % (v, k))
    print("explore-sizes: %d modules, %d passed, %d failed, %.1f s"
          % (len(jobs), passed, failed, time.time() - start))
    harness.write_result("explore-sizes.txt", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
