#!/usr/bin/env python3
"""xref.py: checks `wlab-explore --xref` (text and --json).

1. A hand-written module (tests/explore/xref.wat, made with wat2wasm) with
   imports, several exports of one function, calls, call_indirect, ref.func in
   a body and in a global, three element segments (active, passive with
   expressions, declarative) and a start function: the JSON must list exactly
   the sites written in that file, and the text output must match
   tests/explore/xref.expected.
2. Against wabt, on the examples and a sample of the corpus: for each function
   checked, the callees (call sites with their offsets and targets) and
   call_indirect sites must be those of `wasm-objdump -d` in its body, its
   callers every `call` of it in the whole disassembly, and its element
   segment items those of `wasm-objdump -x` (segment by segment).
   The modules run in parallel; under SANITIZE=1 half the corpus's sample.
3. Usage errors and unknown functions exit with 2 and 1.
Writes "passed failed" to $BUILD/test-results/explore-xref.txt."""
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402

FUNC_RE = re.compile(r"^([0-9a-f]+) func\[(\d+)\]")
INSTR_RE = re.compile(r"^ ([0-9a-f]+): [0-9a-f ]+\| +(\S+)(?: (\d+))?")
SEG_RE = re.compile(r"^ - segment\[(\d+)\]")
ITEM_RE = re.compile(r"^  - elem\[\d+\] = (?:func\[(\d+)\]|ref\.func:?(\d+))")

def xref_json(explore, path, f):
    r = harness.run([explore, "--xref", str(f), "--json", path], timeout=60)
    if r.rc != 0:
        return None
    return json.loads(r.out.decode("utf-8", "replace"))


def hand_written(ok, explore, tmp):
    wasm = os.path.join(tmp, "xref.wasm")
    subprocess.run(["wat2wasm", os.path.join(HERE, "xref.wat"), "-o", wasm], check=True)
    # func 0 env.imp, 1 a (exports a, a2), 2 b, 3 start
    d = xref_json(explore, wasm, "a")
    if not ok(d is not None, "xref a --json"):
        return
    ok(d["func"] == 1 and d["name"] == "a", "a resolves to func 1: %s" % d["func"])
    ok([e["name"] for e in d["exports"]] == ["a", "a2"], "a's exports: %s" % d["exports"])
    ok(d["type"]["params"] == ["i32"] and d["type"]["results"] == ["i32"], "a's type")
    ok(d["import"] is None and d["body"] is not None, "a is defined")
    ok([(c["op"], c["func"]) for c in d["callees"]] == [("call", 2), ("call", 0)],
       "a's callees: %s" % d["callees"])
    ok(len(d["indirect_calls"]) == 1 and d["indirect_calls"][0]["type"] == 0, "a's call_indirect")
    ok([c["in"]["func"] for c in d["callers"]] == [3], "a's callers: %s" % d["callers"])
    ok([(e["elem"], e["mode"], e["item"]) for e in d["elems"]] ==
       [(0, "active", "item[0]"), (0, "active", "item[2]"), (2, "declarative", "item[0]")],
       "a's elems: %s" % d["elems"])
    ok([r["in"]["func"] for r in d["ref_funcs"]] == [2], "a's ref.func: %s" % d["ref_funcs"])
    d = xref_json(explore, wasm, "2")
    ok(d and [c["in"]["func"] for c in d["callers"]] == [1, 2, 3], "b's callers")
    ok(d and [r["in"] for r in d["ref_funcs"]] == ["global[0]"], "b's ref.func in a global")
    ok(d and [(e["elem"], e["mode"], e.get("op")) for e in d["elems"]] ==
       [(0, "active", None), (1, "passive", "ref.func")], "b's elems: %s" % (d or {}).get("elems"))
    d = xref_json(explore, wasm, "imp")
    ok(d and d["import"] == {"module": "env", "field": "imp", "offset": d["import"]["offset"]}
       and d["body"] is None and len(d["callers"]) == 2, "imp by field name")
    d = xref_json(explore, wasm, "3")
    ok(d and d["start"] is True and d["name"] is None, "start function")
    text = subprocess.run([explore, "--xref", "a", "xref.wasm"], cwd=tmp, capture_output=True).stdout.decode()
    with open(os.path.join(HERE, "xref.expected")) as f:
        ok(text == f.read(), "text output differs from xref.expected:\n" + text)
    for args, rc in ((["--xref", "9", wasm], 1), (["--xref", "nosuch", wasm], 1),
                     (["--xref", "a", "--annotate", wasm], 2), (["--xref"], 2)):
        r = harness.run([explore] + args, timeout=30)
        ok(r.rc == rc, "%s exits %d, want %d" % (args, r.rc, rc))


def disasm(path):
    """{func: [(offset, op, arg)]} for call-like instructions, from wasm-objdump -d."""
    out = subprocess.run(["wasm-objdump", "-d", path], capture_output=True).stdout.decode("utf-8", "replace")
    funcs, cur = {}, None
    for line in out.splitlines():
        m = FUNC_RE.match(line)
        if m:
            cur = int(m.group(2))
            funcs[cur] = []
            continue
        m = INSTR_RE.match(line)
        if m and cur is not None and m.group(2) in ("call", "return_call", "call_indirect",
                                                     "return_call_indirect", "ref.func"):
            funcs[cur].append((int(m.group(1), 16), m.group(2), int(m.group(3) or 0)))
    return funcs


def elem_items(path):
    """[(segment, func)] from wasm-objdump -x."""
    out = subprocess.run(["wasm-objdump", "-x", "-j", "Elem", path], capture_output=True).stdout.decode()
    seg, items = None, []
    for line in out.splitlines():
        m = SEG_RE.match(line)
        if m:
            seg = int(m.group(1))
        m = ITEM_RE.match(line)
        if m and seg is not None:
            items.append((seg, int(m.group(1) or m.group(2))))
    return items


def against_wabt(ok, explore, path):
    funcs = disasm(path)
    if not funcs:
        return
    items = elem_items(path)
    ids = sorted(funcs)
    chosen = ids if len(ids) <= 25 else ids[:10] + ids[-10:]
    calls = [(o, f, t) for f, ins in funcs.items() for o, op, t in ins if op in ("call", "return_call")]
    for f in chosen:
        d = xref_json(explore, path, f)
        name = "%s func %d" % (os.path.basename(path), f)
        if not ok(d is not None, name + ": xref failed"):
            continue
        want = [(o, t) for o, op, t in funcs[f] if op in ("call", "return_call")]
        ok([(c["offset"], c["func"]) for c in d["callees"]] == want,
           "%s: callees %s, wasm-objdump %s" % (name, d["callees"][:3], want[:3]))
        want = [o for o, op, t in funcs[f] if op.endswith("call_indirect")]
        ok([c["offset"] for c in d["indirect_calls"]] == want, name + ": call_indirect sites")
        want = sorted((o, g) for o, g, t in calls if t == f)
        ok(sorted((c["offset"], c["in"]["func"]) for c in d["callers"]) == want,
           "%s: callers %s, wasm-objdump %s" % (name, d["callers"][:3], want[:3]))
        want = [s for s, g in items if g == f]
        ok([e["elem"] for e in d["elems"]] == want, "%s: elems %s, wasm-objdump %s"
           % (name, [e["elem"] for e in d["elems"]], want))


def check_module(job):
    """(passed, failures) of against_wabt on one module (a pool's task)."""
    explore, path = job
    t = harness.Tally()
    if subprocess.run(["wasm-objdump", "-h", path], capture_output=True).returncode == 0:
        against_wabt(t.ok, explore, path)
    return t.passed, t.failures


def main():
    build = harness.build_dir()
    explore = os.path.join(build, "bin", "wlab-explore")
    if not harness.need_tool(explore):
        return 2
    t = harness.Tally()
    with tempfile.TemporaryDirectory() as tmp:
        hand_written(t.ok, explore, tmp)
    files = []
    for sub in ("examples", "corpus"):
        for d, _, names in os.walk(os.path.join(build, sub)):
            files.extend(os.path.join(d, n) for n in names if n.endswith(".wasm"))
    files.sort()
    # the corpus's every twelfth module; under SANITIZE=1 every twenty-fourth
    corpus = [f for f in files if "/examples/" not in f]
    sample = [f for f in files if "/examples/" in f] + harness.sanitizer_sample(corpus[::12], 2)
    with multiprocessing.Pool() as pool:
        for passed, failures in pool.imap_unordered(check_module, [(explore, f) for f in sample]):
            t.passed += passed
            t.failures += failures
    for what in t.failures[:30]:
        sys.stderr.write("FAIL %s\n" % what)
    passed, failed = t.passed, len(t.failures)
    print("explore-xref: %d modules against wasm-objdump" % len(sample))
    harness.write_result("explore-xref.txt", passed, failed)
    print("explore-xref: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
