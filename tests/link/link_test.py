#!/usr/bin/env python3
"""link_test.py: the `link` suite: wlab-link on the multi-module cases in
tests/link/*/ (built with wat2wasm), and the hello example end to end.

Every linked output must validate with wasm-validate (wabt) and with libwasm
(wlab-objdump --validate); where the inputs can be instantiated one after
another, each export gives the same result run from the linked module as
from the inputs linked at run time (wlab-run --link), and that result is the
expected one. Error cases must fail with exit 1 and the spec's wording.
Writes `passed failed` to $BUILD/test-results/link.txt."""
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = harness.build_dir()
BIN = os.path.join(BUILD, "bin")
OUT = os.path.join(BUILD, "link")
LINK = os.path.join(BIN, "wlab-link")
RUN = os.path.join(BIN, "wlab-run")
OBJDUMP = os.path.join(BIN, "wlab-objdump")
VALIDATE = os.path.join(BUILD, "tests", "bin", "wlab-validate")

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, (": " + detail) if detail else ""))


def text(b):
    return b.decode("utf-8", "replace")


WAT2WASM = os.path.join(BUILD, "tests", "bin", "wlab-wat2wasm")

# Cases beyond what wabt 1.0.32's wat2wasm reads (keyed by CASE or CASE/MOD):
# exception handling (try_table, exnref) by wabt 1.0.39's; multi-memory by
# 1.0.32 with the flag; typed function references, which no wabt version
# reads (1.0.39 parses `(ref $t)` in some places only and encodes it wrong
# in others), by our own text parser.
ASSEMBLER = {
    "tags": "wabt-1.0.39", "tagkept": "wabt-1.0.39", "errors/badtag": "wabt-1.0.39",
    "multimem": "multi-memory",
    "typed": "wlab", "errors/badref": "wlab", "errors/badnull": "wlab",
    "errors/gctypes": "wlab-gc", "casts": "wlab-gc", "gc": "wlab-gc",
    "errors/badsub": "wlab-gc", "errors/badrec": "wlab-gc",
    "gctags": "wlab-gc", "errors/badgctag": "wlab-gc", "errors/badgctab": "wlab-gc",
}


def assemble_cmd(case, mod, src, dst):
    how = ASSEMBLER.get("%s/%s" % (case, mod), ASSEMBLER.get(case))
    if how == "wabt-1.0.39":
        argv, why = harness.oracle("wat2wasm")
        if not argv:
            raise SystemExit(why)
        return argv + ["--enable-exceptions", "--debug-names", src, "-o", dst]
    if how in ("wlab", "wlab-gc"):
        return [WAT2WASM] + (["--enable-gc"] if how == "wlab-gc" else []) + [src, "-o", dst]
    flags = ["--enable-multi-memory"] if how == "multi-memory" else ["--enable-tail-call"]
    return ["wat2wasm"] + flags + ["--debug-names", src, "-o", dst]


_built = {}


def wasm(case, mod):
    """tests/link/CASE/MOD.wat built into $BUILD/link/CASE/MOD.wasm (once a run:
    several tests share an input, and the 1.0.39 wat2wasm starts Node)."""
    if (case, mod) not in _built:
        _built[(case, mod)] = assemble(case, mod)
    return _built[(case, mod)]


def assemble(case, mod):
    src = os.path.join(HERE, case, mod + ".wat")
    dst = os.path.join(OUT, case, mod + ".wasm")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    cmd = assemble_cmd(case, mod, src, dst)
    res = harness.run(cmd, timeout=60)
    if res.rc != 0:
        raise SystemExit("%s %s: %s" % (os.path.basename(cmd[1 if cmd[0] == "node" else 0]), src,
                                        text(res.err)))
    return dst


def link(args, out=None, expect_rc=0, name=""):
    cmd = [LINK] + args + (["-o", out] if out else [])
    res = harness.run(cmd, timeout=60)
    check("%s: wlab-link exit %d" % (name, expect_rc), res.rc == expect_rc,
          "%s\n%s%s" % (" ".join(cmd), text(res.out), text(res.err)))
    return res


def oracle_validator(name):
    """The independent validator of a 3.0 output: "wabt-1.0.39" (wasm-validate
    1.0.39, exception handling), "binaryen" (wasm-opt 132 validates what it
    reads: typed function references, which no wabt reads)."""
    tool, flags = {"wabt-1.0.39": ("wasm-validate", ["--enable-exceptions"]),
                   "binaryen": ("wasm-opt", ["--all-features", "-q", "-o", os.devnull])}[name]
    argv, why = harness.oracle(tool)
    if not argv:
        check("%s is installed" % tool, False, why)
        return None
    return argv + flags


def validates(name, path, multi_memory=False, flags=(), oracle=None):
    flags = (["--enable-multi-memory"] if multi_memory else []) + list(flags)
    if oracle:
        cmd = oracle_validator(oracle)
        if cmd:
            res = harness.run(cmd + [path], timeout=60)
            check("%s: %s validates" % (name, oracle), res.rc == 0, text(res.out) + text(res.err))
    else:
        res = harness.run(["wasm-validate"] + flags + [path], timeout=60)
        check(name + ": wasm-validate", res.rc == 0, text(res.err))
    res = harness.run([VALIDATE] + flags + [path], timeout=60)
    check(name + ": libwasm validates", res.rc == 0, text(res.err))


def invoke(module, export, args=(), links=(), run_flags=()):
    cmd = [RUN] + list(run_flags)
    for ln in links:
        cmd += ["--link", ln]
    cmd += ["--invoke", export, module] + [str(a) for a in args]
    res = harness.run(cmd, timeout=60)
    if res.rc != 0:
        return "error(%d): %s" % (res.rc, text(res.err).strip())
    return text(res.out).strip()


def run_case(case, mods, calls, extra=(), flags=(), oracle=None, env=(), run_flags=()):
    """Links MODS of CASE (in order), validates, and compares every call:
    (export, args, expected) linked vs. run-time linked (when the last input
    exports it) vs. expected. ENV: NAME=PATH modules wlab-run links to both
    (imports that the output keeps). RUN_FLAGS go to wlab-run."""
    paths = [wasm(case, m) for m in mods]
    out = os.path.join(OUT, case + ".linked.wasm")
    res = link(["%s=%s" % (m, p) for m, p in zip(mods, paths)] + list(extra), out, name=case)
    if res.rc != 0:
        return None
    validates(case, out, flags=flags, oracle=oracle)
    links = list(env) + ["%s=%s" % (m, p) for m, p in zip(mods[:-1], paths[:-1])]
    for export, args, expected, *rest in calls:
        got = invoke(out, export, args, env, run_flags)
        check("%s: %s%s = %s" % (case, export, list(args), expected), got == expected,
              "linked gave %r" % got)
        if not rest:
            rt = invoke(paths[-1], export, args, links, run_flags)
            check("%s: %s%s same as run-time linking" % (case, export, list(args)), rt == got,
                  "run-time linking gave %r, linked %r" % (rt, got))
    return out


def objdump_x(path, oracle=None):
    """wasm-objdump -x: wabt 1.0.32's, or 1.0.39's for what 1.0.32 cannot read."""
    argv = harness.oracle("wasm-objdump")[0] if oracle else ["wasm-objdump"]
    if not argv:
        return "(wabt 1.0.39's wasm-objdump is not installed: run scripts/deps.sh)"
    return text(harness.run(argv + ["-x", path], timeout=60).out)


def test_cases():
    run_case("funcs", ["a", "b"], [("compute", [], "i32:22"), ("sum3", [], "i32:6"),
                                   ("ret_call", [], "i32:42")])
    out = os.path.join(OUT, "funcs.linked.wasm")
    if os.path.exists(out):
        dump = objdump_x(out)
        # (i32 i32)->i32 appears in both inputs: merged into one type
        check("funcs: identical types merged", dump.count("(i32, i32) -> i32") == 1, dump)
        check("funcs: name section remapped", "<twice>" in dump and "<mul>" in dump, dump)
        check("funcs: no imports left", "Import[" not in dump, dump)
    run_case("globals", ["a", "b"], [("read_k", [], "i32:42"), ("read_big", [], "i64:4294967296"),
                                     ("byte_at_k", [], "i32:42"), ("bump_twice", [], "i32:112")])
    run_case("tables", ["a", "b"], [("via_a", [5, 0], "i32:6"), ("via_a", [5, 3], "i32:25"),
                                    ("via_b", [5, 1], "i32:10"), ("via_b", [5, 2], "i32:4294967291"),
                                    ("own", [5, 0], "i32:25"), ("own", [5, 1], "i32:4294967291"),
                                    ("size_a", [], "i32:4"), ("ref_sq", [], "i32:81"),
                                    ("tinit", [], "i32:36"), ("tcopy", [], "i32:20")])
    out = os.path.join(OUT, "tables.linked.wasm")
    if os.path.exists(out):
        dump = objdump_x(out)
        check("tables: b's own table segment gets an explicit table index",
              "flags=2 table=1" in dump, dump)
    run_case("memory", ["a", "b"], [("sum", [], "i32:198"), ("init_q", [], "i32:82"),
                                    ("pages", [], "i32:1"), ("copy", [], "i32:33")])
    run_case("start", ["a", "b"], [("get", [], "i32:12", "a's export"), ("get_b", [], "i32:12")])
    out = os.path.join(OUT, "start.linked.wasm")
    if os.path.exists(out):
        check("start: one wrapper calls both", "__wlab_link_start" in objdump_x(out))
    # tail calls across modules: a's count recurses 1,000,000 deep by return_call
    run_case("tailcall", ["a", "b"], [("tail_mul", [], "i32:42"), ("tail_ind", [0], "i32:36"),
                                      ("tail_ind", [1], "i32:5"),
                                      ("count_b", [1000000], "i32:2000005")],
             flags=["--enable-tail-call"])
    run_case("reexport", ["a", "b", "c"], [("h", [], "i32:8")])
    test_tags()
    # typed function references: imports that match by structure and 3.0 subtyping
    run_case("typed", ["a", "b"], [("via_global", [], "i32:42"), ("via_table", [], "i32:42"),
                                   ("apply_sub", [], "i32:42"), ("put_sub", [], "i32:5"),
                                   ("null_is_null", [], "i32:1"),
                                   ("funcref_not_null", [], "i32:1")], oracle="binaryen")
    # casts to concrete function types (ref.test, ref.cast, br_on_cast[_fail]): renumbered
    run_case("casts", ["a", "b"], [("cast_call", [], "i32:7"), ("test_r", [], "i32:1"),
                                   ("test_ii", [], "i32:0"), ("br_cast", [], "i32:42"),
                                   ("br_cast_fail", [], "i32:1")],
             extra=["--enable-gc"], flags=["--enable-gc"], oracle="binaryen",
             run_flags=["--enable-gc"])
    test_gc()
    test_gctags()
    # two memories in each input: every memory index of b moves
    out = run_case("multimem", ["a", "b"],
                   [("a_sum", [], "i32:4", "a's export"), ("b_read_a", [], "i32:32"),
                    ("b_write_a", [], "i32:77"), ("b_own", [], "i32:22"),
                    ("b_sizes", [], "i32:21"), ("b_grow", [], "i32:1"),
                    ("b_wide", [], "i64:72623859790382856")], flags=["--enable-multi-memory"])
    if out:
        res = harness.run(["wasm-interp", "--enable-multi-memory", "--run-all-exports", out],
                          timeout=60)
        check("multimem: wasm-interp agrees", "b_own() => i32:22" in text(res.out) and
              "b_read_a() => i32:32" in text(res.out), text(res.out) + text(res.err))
        dump = objdump_x(out)
        check("multimem: four memories, one of them exported by a",
              "Memory[4]" in dump and 'memory[1] -> "m1"' in dump, dump)
    # unresolved imports kept; env.log imported by both is one import
    out = run_case("kept", ["a", "b"], [])
    if out:
        dump = objdump_x(out)
        check("kept: env.log merged", dump.count("<- env.log") == 1, dump)
        check("kept: env.base, env.seven kept",
              "<- env.base" in dump and "<- env.seven" in dump, dump)
        got = invoke(out, "g", [], ())
        check("kept: unresolved imports stay imports (wlab-run stubs trap)", "error" in got, got)


def test_gctags():
    """Tags and tables of GC types: b imports a's tag of a struct parameter and
    a's tables (of struct references, of anyref) with its types at other
    indices; linked, their types go through the type map as functions' do."""
    gc = ["--enable-gc"]
    calls = [("catch_a", [4], "i32:43"), ("throw_here", [], "i32:402"), ("own_tag", [], "i64:14"),
             ("tables", [], "i32:42"), ("any_cast", [], "i32:42")]
    out = run_case("gctags", ["a", "b"], calls, extra=gc, flags=gc, oracle="binaryen", run_flags=gc)
    if out:
        dump = text(harness.run([OBJDUMP, "-x", out], timeout=60).out)
        # b's $box (type 2 in b) is a's type 0; b's own tag's $pair param is type 1
        check("gctags: tables keep a's struct type", " - table[0] type=(ref null 0) initial=4" in dump
              and " - table[1] type=anyref initial=2" in dump, dump)
        tags = re.findall(r"^ - tag\[(\d+)\] sig=(\d+)", dump, re.M)
        types = dict(re.findall(r"^ - type\[(\d+)\] (.*)$", dump, re.M))
        check("gctags: a's tag and b's own tag, both of GC types",
              len(tags) == 2 and types.get(tags[0][1]) == "((ref null 0), i32) -> nil" and
              types.get(tags[1][1]) == "((ref 1)) -> nil" and
              types.get("1") == "(struct (ref null 0) i64)", dump)


def test_gc():
    """GC types: a rec group both inputs define, a subtype import, struct and
    array instructions of b renumbered; run linked and at run time."""
    gc = ["--enable-gc"]
    calls = [("list_sum", [], "i32:42"), ("last_head", [], "i32:17"), ("pair", [], "i64:42"),
             ("arrays", [], "i32:448"), ("elems", [], "i32:2"), ("from_a", [], "i32:9"),
             ("dbl_sub", [], "i32:42"), ("tests", [], "i32:101"), ("held", [], "i32:6"),
             ("origin", [], "i64:41")]
    out = run_case("gc", ["a", "b"], calls, extra=gc, flags=gc, oracle="binaryen", run_flags=gc)
    if out:
        dump = text(harness.run([OBJDUMP, "-x", out], timeout=60).out)
        # a has 9 types, b 13; b's $bytes, $base, $holder, its $node/$cons rec
        # group and three function types equal a's: 9 + 5 (b's $pair, $words,
        # $fns, () -> i32, () -> i64), in 13 groups (the rec group is one)
        types = re.findall(r"^ - type\[(\d+)\] (.*)$", dump, re.M)
        check("gc: b's copies of a's types deduplicated (14 types, 13 groups)",
              len(types) == 14 and "Type[13]:" in dump and dump.count(" - rec[") == 1 and
              " - rec[0] types 0..1" in dump, dump)
        check("gc: the subtype keeps its supertype, renumbered",
              ("3", "sub 2 (i32) -> i32") in types, dump)
    # the struct type that wlab-link refused before this session now links
    out = run_case("errors", ["provider", "gctypes"], [("two", [], "i32:2", "no run-time twin")],
                   extra=gc, flags=gc, run_flags=gc)


def test_tags():
    """Exception handling: b throws a's tag (imported) and a catches it; a
    throws and b catches (try_table, legacy try/catch); c imports the tag
    through b's re-export and catches it by reference; b's own tag passes
    a's handler. a's tag is its second, so every tag index of b and c moves."""
    calls = [("a_catches", [5], "i32:105"), ("b_catches", [5], "i32:5"),
             ("legacy", [5], "i32:10"), ("own_escapes", [5], "i32:10"), ("c_ref", [5], "i32:5"),
             ("tt_typed", [5], "i32:1005"), ("tt_value", [0], "i32:7"), ("tt_value", [3], "i32:8")]
    out = run_case("tags", ["a", "b", "c"], calls, oracle="wabt-1.0.39")
    if out:
        dump = objdump_x(out, "wabt-1.0.39")
        check("tags: three tags, a's e exported once", "Tag[3]" in dump and
              dump.count('-> "e"') == 1 and 'tag[1] -> "e"' in dump, dump)
        paths = [os.path.join(OUT, "tags", m + ".wasm") for m in ("a", "b", "c")]
        linked = harness.run([RUN, "--invoke", "uncaught", out, "5"], timeout=60)
        rt = harness.run([RUN, "--link", "a=" + paths[0], "--link", "b=" + paths[1], "--invoke",
                          "uncaught", paths[2], "5"], timeout=60)
        check("tags: an uncaught exception names the tag and payload, as at run time",
              linked.rc == rt.rc != 0 and b"uncaught exception" in linked.err and
              b"<e> (i32:5)" in linked.err and b"<e> (i32:5)" in rt.err,
              "linked %d %r, run-time linked %d %r" % (linked.rc, text(linked.err), rt.rc,
                                                        text(rt.err)))
    # a tag no input provides stays an import, merged; wlab-run gets it from env
    env = ["env=" + wasm("tagkept", "env")]
    out = run_case("tagkept", ["a", "b"], [("catch_mine", [], "f64:1.5")], env=env,
                   flags=["--enable-exceptions"])
    if out:
        dump = objdump_x(out, "wabt-1.0.39")
        check("tagkept: env.boom kept once, as tag 0, before a's tag",
              dump.count("<- env.boom") == 1 and "tag[0] sig=0 <boom> <- env.boom" in dump and
              " - tag[1] sig=1\n" in dump and " - tag[1] <mine>\n" in dump, dump)
        linked = harness.run([RUN, "--link", env[0], "--invoke", "b_boom", out, "3"], timeout=60)
        check("tagkept: b throws the kept import's tag", linked.rc != 0 and
              b"uncaught exception" in linked.err and b"<boom> (i32:3)" in linked.err,
              text(linked.err))


def test_stubs():
    a, b = wasm("kept", "a"), wasm("kept", "b")
    out = os.path.join(OUT, "stubs.linked.wasm")
    res = link(["a=" + a, "b=" + b, "--stub", "env.log=zero", "--stub", "env.seven=const:i32:7",
                "--stub", "env.base=const:i32:100"], out, name="stubs")
    if res.rc == 0:
        validates("stubs", out)
        dump = objdump_x(out)
        check("stubs: no imports left", "Import[" not in dump, dump)
        check("stubs: g = seven + base", invoke(out, "g") == "i32:107", invoke(out, "g"))
    out = os.path.join(OUT, "stubs-trap.linked.wasm")
    res = link(["a=" + a, "b=" + b, "--stub", "env.log=trap"], out, name="stub trap")
    if res.rc == 0:
        got = invoke(out, "g")
        check("stub trap: traps", "unreachable" in got, got)
    res = link(["a=" + a, "--stub", "env.log=const:i32:1"], os.path.join(OUT, "x.wasm"),
               expect_rc=1, name="stub type mismatch")
    check("stub type mismatch: message", b"stub type mismatch" in res.err, text(res.err))
    res = link(["a=" + a, "--stub", "env.log=bogus"], os.path.join(OUT, "x.wasm"),
               expect_rc=2, name="bad stub")


ERRORS = [
    # (name, inputs, extra args, words the message must hold)
    ("unknown import", ["errors/provider", "errors/unknown"], [],
     ["unknown import", '"provider"."nothere"', "(func)"]),
    ("incompatible signature", ["errors/provider", "errors/badsig"], [],
     ["incompatible import type", "(func (param i64) (result i32))", "(func (param i32) (result i32))"]),
    ("incompatible mutability", ["errors/provider", "errors/badmut"], [],
     ["incompatible import type", "(global (mut i32))", "(global i32)"]),
    ("incompatible kind", ["errors/provider", "errors/badkind"], [],
     ["incompatible import type", "(global i32)", "as func"]),
    ("memory maximum", ["errors/provider", "errors/badmax"], [],
     ["incompatible import type", "(memory 1 1)", "(memory 1)"]),
    ("table minimum", ["errors/provider", "errors/badmin"], [],
     ["incompatible import type", "(table 5 funcref)", "(table 2 funcref)"]),
    ("export clash", ["errors/provider", "errors/clash"], [],
     ["duplicate export name", '"clash"', "--rename-conflicts"]),
    ("two memories in 2.0", ["errors/provider", "errors/mem2"], ["--features=2.0"],
     ["multiple memories", "--multi-memory"]),
    ("re-export cycle", ["cycle/x", "cycle/y"], [], ["import cycle", "x.g -> y.g"]),
    ("global init cycle", ["gcycle/x", "gcycle/y"], [], ["import cycle", "global"]),
    ("tag type mismatch", ["tags/a", "errors/badtag"], [],
     ["incompatible import type", '"a"."e" (tag (param i64))', "as tag (tag (param i32))"]),
    # GC types: a's dbl is of a subtype ($derived <: $base), no final type;
    # a's $node is one rec group with $cons, badrec's a group of its own
    ("GC subtype mismatch", ["gc/a", "errors/badsub"], ["--enable-gc"],
     ["badsub.wasm:0x13: error: incompatible import type", 'badsub imports "a"."dbl"',
      "(func (param i32) (result i32))", "as func (func (type 3) (sub 2) (param i32) (result i32))",
      "declared supertypes"]),
    ("GC rec group mismatch", ["gc/a", "errors/badrec"], ["--enable-gc"],
     ["incompatible import type", 'badrec imports "a"."cons" (func (param i32 (ref null 0)) '
      "(result (ref 0)))", "(func (type 1) (rec types 0..1) (param i32 (ref null 0))",
      "whole rec groups"]),
    # GC types of tags and tables: a struct of another field type; a table of
    # a supertype (table types are invariant)
    ("GC tag type mismatch", ["gctags/a", "errors/badgctag"], ["--enable-gc"],
     ["badgctag.wasm:0x18: error: incompatible import type",
      'badgctag imports "a"."boom" (tag (param (ref null 0) i32))',
      "badgctag's type 0 is (struct (field (mut i64))), a's type 0 is (struct (field (mut i32)))"]),
    ("GC table type mismatch", ["gctags/a", "errors/badgctab"], ["--enable-gc"],
     ["incompatible import type", '"a"."boxes" (table 4 structref)',
      "as table (table 4 (ref null 0)); a's type 0 is (struct (field (mut i32)))"]),
    ("tag stub", ["tagkept/a"], ["--stub", "env.boom=zero"],
     ["cannot stub", '"env"."boom" (tag (param i32))', "only functions and globals"]),
    # typed references: (ref $bin) is no (ref $un); (ref null $bin) no (ref $bin);
    # a table of (ref null $bin) is no table of funcref (table types are invariant)
    ("typed global mismatch", ["typed/a", "errors/badref"], [],
     ["incompatible import type", "(global (ref 0))", "as global (global (ref 1))"]),
    ("nullable into non-null", ["typed/a", "errors/badnull"], [],
     ["incompatible import type", "(global (ref 0))", "(global (ref null 1))"]),
    ("typed table mismatch", ["typed/a", "errors/badtab"], [],
     ["incompatible import type", "(table 2 funcref)", "(table 2 (ref null 1))"]),
]


def test_errors():
    for name, mods, extra, words in ERRORS:
        args = []
        for m in mods:
            case, mod = m.split("/")
            args.append("%s=%s" % (mod, wasm(case, mod)))
        res = link(args + extra, os.path.join(OUT, "error.wasm"), expect_rc=1, name=name)
        err = text(res.err)
        for w in words:
            check("%s: message has %r" % (name, w), w in err, err)
    prov, clash = wasm("errors", "provider"), wasm("errors", "clash")
    out = os.path.join(OUT, "renamed.linked.wasm")
    res = link(["provider=" + prov, "clash=" + clash, "--rename-conflicts", "-q"], out,
               name="rename conflicts")
    if res.rc == 0:
        validates("rename conflicts", out)
        check("rename conflicts: clash.clash", invoke(out, "clash.clash") == "i32:2",
              invoke(out, "clash.clash"))
    mem2 = wasm("errors", "mem2")
    out = os.path.join(OUT, "multimem.linked.wasm")
    # multi-memory is on by default (3.0): two memories are a plain multi-memory module
    res = link(["provider=" + prov, "mem2=" + mem2], out, name="multi-memory")
    if res.rc == 0:
        validates("multi-memory", out, multi_memory=True)
        res = harness.run(["wasm-interp", "--enable-multi-memory", "--run-all-exports", out], timeout=60)
        got = text(res.out)
        check("multi-memory: mem2's loads use memory 1", "own_byte() => i32:12" in got, got)
    # a relocatable object file is refused
    obj = os.path.join(OUT, "object.o")
    with open(os.path.join(OUT, "object.c"), "w") as f:
        f.write("int f(void) { return 1; }\n")
    res = harness.run(["clang", "--target=wasm32", "-c", "-O1", os.path.join(OUT, "object.c"),
                       "-o", obj], timeout=60)
    check("object file built", res.rc == 0, text(res.err))
    if res.rc == 0:
        res = link([obj], os.path.join(OUT, "x.wasm"), expect_rc=1, name="relocatable input")
        check("relocatable input: message", b"relocatable input" in res.err, text(res.err))
    res = link(["/nonexistent.wasm"], os.path.join(OUT, "x.wasm"), expect_rc=3, name="missing file")
    res = link([], os.path.join(OUT, "x.wasm"), expect_rc=2, name="no inputs")


def test_plan():
    a, b = wasm("kept", "a"), wasm("kept", "b")
    res = link(["--plan", "a=" + a, "b=" + b, "--stub", "env.seven=zero"], name="plan")
    out = text(res.out)
    check("plan: fused row", 'a export "f" (func (param i32) (result i32))' in out, out)
    check("plan: kept row", "stays import func 0" in out, out)
    check("plan: stub row", "stub zero" in out, out)
    check("plan: summary", "4 fused" not in out and "1 fused, 1 stubbed, 3 kept, 0 errors" in out, out)
    res = link(["--plan", "--json", "a=" + a, "b=" + b], name="plan json")
    try:
        doc = json.loads(text(res.out))
        rows = {(r["input"], r["module"], r["field"]): r for r in doc["imports"]}
        check("plan json: schema", doc["schema"] == "wlab-link-plan/1" and doc["ok"] is True)
        check("plan json: a.f fused", rows[("b", "a", "f")]["how"] == "fused" and
              rows[("b", "a", "f")]["provider"] == "a")
        check("plan json: env.log kept once",
              rows[("a", "env", "log")]["out_index"] == rows[("b", "env", "log")]["out_index"] == 0)
    except (ValueError, KeyError) as e:
        check("plan json: parses", False, "%s: %s" % (e, text(res.out)))
    prov, bad = wasm("errors", "provider"), wasm("errors", "badsig")
    res = link(["--plan", "--json", "provider=" + prov, "bad=" + bad], expect_rc=1, name="plan json error")
    try:
        doc = json.loads(text(res.out))
        check("plan json error: row", doc["ok"] is False and
              doc["imports"][0]["how"] == "error" and
              "incompatible import type" in doc["imports"][0]["message"])
    except (ValueError, KeyError, IndexError) as e:
        check("plan json error: parses", False, "%s: %s" % (e, text(res.out)))


def test_plan_tags():
    a, b, c = (wasm("tags", m) for m in ("a", "b", "c"))
    res = link(["--plan", "a=" + a, "b=" + b, "c=" + c], name="plan tags")
    out = text(res.out)
    check("plan tags: a re-exported tag row",
          re.search(r'^c +tag +b\.e +\(tag \(param i32\)\) +b export "e" \(tag \(param i32\)\), '
                    r'defined in a -> tag 1$', out, re.M) is not None, out)
    ka, kb = wasm("tagkept", "a"), wasm("tagkept", "b")
    res = link(["--plan", "--json", "a=" + ka, "b=" + kb], name="plan json tags")
    try:
        doc = json.loads(text(res.out))
        rows = {(r["input"], r["module"], r["field"]): r for r in doc["imports"]}
        boom_a, boom_b, mine = rows[("a", "env", "boom")], rows[("b", "env", "boom")], rows[("b", "a", "mine")]
        check("plan json tags: env.boom kept once, as tag 0",
              boom_a["kind"] == boom_b["kind"] == "tag" and boom_a["how"] == boom_b["how"] == "kept" and
              boom_a["out_index"] == boom_b["out_index"] == 0, str(doc))
        check("plan json tags: a.mine fused, after the kept import",
              mine["how"] == "fused" and mine["type"] == "(tag (param f64))" and
              mine["provider_type"] == "(tag (param f64))" and mine["out_index"] == 1, str(doc))
    except (ValueError, KeyError) as e:
        check("plan json tags: parses", False, "%s: %s" % (e, text(res.out)))


def custom(name, payload):
    body = harness.uleb(len(name)) + name.encode() + payload
    return b"\x00" + harness.uleb(len(body)) + body


def name_bytes(s):
    return harness.uleb(len(s)) + s.encode()


def producers(fields):
    out = harness.uleb(len(fields))
    for field, values in fields:
        out += name_bytes(field) + harness.uleb(len(values))
        for n, v in values:
            out += name_bytes(n) + name_bytes(v)
    return custom("producers", out)


def test_customs():
    a = open(wasm("funcs", "a"), "rb").read()
    b = open(wasm("funcs", "b"), "rb").read()
    a += custom("keepme", b"xyz") + custom("sourceMappingURL", b"\x05a.map")
    a += producers([("language", [("C11", "")])])
    a += custom("target_features", b"\x01\x2b" + name_bytes("mutable-globals"))
    b += producers([("language", [("C11", ""), ("Rust", "1.0")]), ("processed-by", [("clang", "17")])])
    b += custom("target_features", b"\x02\x2b" + name_bytes("mutable-globals") + b"\x2b" +
                name_bytes("sign-ext"))
    pa, pb = os.path.join(OUT, "custom_a.wasm"), os.path.join(OUT, "custom_b.wasm")
    open(pa, "wb").write(a)
    open(pb, "wb").write(b)
    out = os.path.join(OUT, "customs.linked.wasm")
    res = link(["a=" + pa, "b=" + pb], out, name="customs")
    if res.rc != 0:
        return
    validates("customs", out)
    check("customs: dropped sourceMappingURL with a warning",
          b"warning" in res.err and b"sourceMappingURL" in res.err, text(res.err))
    data = open(out, "rb").read()
    check("customs: unknown section kept", custom("keepme", b"xyz") in data)
    check("customs: sourceMappingURL dropped", b"sourceMappingURL" not in data)
    check("customs: producers merged",
          data.count(b"language") == 1 and data.count(b"C11") == 1 and b"Rust" in data and
          b"processed-by" in data)
    check("customs: target_features merged",
          data.count(b"mutable-globals") == 1 and data.count(b"sign-ext") == 1)
    check("customs: still runs", invoke(out, "compute") == "i32:22", invoke(out, "compute"))


NODE_GLUE_TEST = r"""
import { imports, instantiate } from %s;
const logged = [];
imports.env.log = (x) => { logged.push(x); };
imports.env.seven = () => 7;
imports.env.base.value;  // a skeleton global exists
const g = new WebAssembly.Global({ value: "i32", mutable: false }, 30);
imports.env.base = g;
const m = await instantiate();
const r = m.g();
console.log(JSON.stringify({ r, logged, hasF: typeof m.f === "function" }));
"""


# The glue over HTTP: application/wasm takes instantiateStreaming; text/plain
# (a misconfigured server) makes it throw a TypeError and the glue falls back.
NODE_HTTP_TEST = r"""
import http from "node:http";
import { readFile } from "node:fs/promises";
import { imports, instantiate } from "./glue.mjs";
const bytes = await readFile(new URL("./kept.wasm", import.meta.url));
const server = http.createServer((req, res) => {
	res.writeHead(200, { "Content-Type": req.url.startsWith("/good") ? "application/wasm" : "text/plain" });
	res.end(bytes);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
imports.env.log = () => {};
imports.env.seven = () => 7;
imports.env.base = new WebAssembly.Global({ value: "i32", mutable: false }, 1);
let streamingRejectsText = false;
try { await WebAssembly.instantiateStreaming(fetch(`${base}/bad/kept.wasm`), imports); }
catch (e) { streamingRejectsText = e instanceof TypeError; }
const good = await instantiate(new URL(`${base}/good/kept.wasm`));
const bad = await instantiate(new URL(`${base}/bad/kept.wasm`));
server.close();
console.log(JSON.stringify({ good: good.g(), bad: bad.g(), streamingRejectsText }));
"""


# The output keeps env.boom, a tag: the glue makes a WebAssembly.Tag for it,
# and JS catches what the module throws with it (legacy EH: Node 20 runs it).
NODE_TAG_TEST = r"""
import { imports, instantiate } from "./tagglue.mjs";
const m = await instantiate(new URL("./tagkept.wasm", import.meta.url));
let caught = null;
try { m.b_boom(3); } catch (e) {
	caught = e instanceof WebAssembly.Exception && e.is(imports.env.boom) ? e.getArg(imports.env.boom, 0) : String(e);
}
console.log(JSON.stringify({ mine: m.catch_mine(), caught }));
"""


def test_emit_js_tags():
    a, b = wasm("tagkept", "a"), wasm("tagkept", "b")
    out = os.path.join(OUT, "js", "tagkept.wasm")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    glue = os.path.join(OUT, "js", "tagglue.mjs")
    res = link(["a=" + a, "b=" + b, "--emit-js", glue], out, name="emit-js tags")
    if res.rc != 0:
        return
    src = open(glue).read()
    dts = open(os.path.join(OUT, "js", "tagglue.d.mts")).read()
    check("emit-js tags: a WebAssembly.Tag with the tag's parameters",
          '"boom": new WebAssembly.Tag({ parameters: ["i32"] }),' in src, src)
    check("emit-js tags: .d.ts", '"boom": WebAssembly.Tag;' in dts, dts)
    test = os.path.join(OUT, "js", "tags.mjs")
    with open(test, "w") as f:
        f.write(NODE_TAG_TEST)
    res = harness.run(["node", test], timeout=60, cwd=os.path.dirname(test))
    try:
        doc = json.loads(text(res.out).strip().splitlines()[-1])
        check("emit-js tags: node catches the kept tag's exception",
              doc == {"mine": 1.5, "caught": 3}, str(doc))
    except (ValueError, IndexError):
        check("emit-js tags: node runs the glue", False, text(res.out) + text(res.err))


def test_emit_js_typed():
    """Kept imports of typed references: the JS API cannot name (ref null $t),
    so the skeleton takes its hierarchy's type (was a NULL string: "(null)")."""
    b = wasm("typed", "b")
    out = os.path.join(OUT, "js", "typed.wasm")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    glue = os.path.join(OUT, "js", "typedglue.mjs")
    res = link(["b=" + b, "--emit-js", glue], out, name="emit-js typed")
    if res.rc != 0:
        return
    src = open(glue).read()
    dts = open(os.path.join(OUT, "js", "typedglue.d.mts")).read()
    check("emit-js typed: (ref null $t) skeletons are anyfunc",
          '"g_add": new WebAssembly.Global({ value: "anyfunc", mutable: false }, null),' in src and
          'element: "anyfunc"' in src and "(null)" not in src, src)
    check("emit-js typed: .d.ts types (ref $t) as Function | null",
          '"apply": (a0: Function | null, a1: number, a2: number) => number;' in dts, dts)
    res = harness.run(["node", "--check", glue], timeout=60)
    check("emit-js typed: the glue parses", res.rc == 0, text(res.err))


def test_emit_js():
    a, b = wasm("kept", "a"), wasm("kept", "b")
    out = os.path.join(OUT, "js", "kept.wasm")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    glue = os.path.join(OUT, "js", "glue.mjs")
    for old in ("glue.d.ts", "glue.d.mts"):  # a BUILD used before: glue.d.ts was written then
        if os.path.exists(os.path.join(OUT, "js", old)):
            os.remove(os.path.join(OUT, "js", old))
    res = link(["a=" + a, "b=" + b, "--emit-js", glue], out, name="emit-js")
    if res.rc != 0:
        return
    src = open(glue).read()
    dts = open(os.path.join(OUT, "js", "glue.d.mts")).read()
    check("emit-js: instantiateStreaming with a fallback",
          "instantiateStreaming" in src and "WebAssembly.instantiate(await response.arrayBuffer()" in src)
    check("emit-js: .d.ts types the imports",
          '"log": (a0: number) => void;' in dts and '"base": WebAssembly.Global;' in dts, dts)
    check("emit-js: .d.ts types the exports", '"g": () => number;' in dts, dts)
    test = os.path.join(OUT, "js", "test.mjs")
    with open(test, "w") as f:
        f.write(NODE_GLUE_TEST % json.dumps("./glue.mjs"))
    res = harness.run(["node", test], timeout=60, cwd=os.path.dirname(test))
    try:
        doc = json.loads(text(res.out).strip().splitlines()[-1])
        check("emit-js: node runs the glue", doc == {"r": 37, "logged": [1, 7], "hasF": True}, str(doc))
    except (ValueError, IndexError):
        check("emit-js: node runs the glue", False, text(res.out) + text(res.err))
    test = os.path.join(OUT, "js", "http.mjs")
    with open(test, "w") as f:
        f.write(NODE_HTTP_TEST)
    res = harness.run(["node", test], timeout=60, cwd=os.path.dirname(test))
    try:
        doc = json.loads(text(res.out).strip().splitlines()[-1])
        check("emit-js: streaming, and the fallback on a wrong MIME type",
              doc == {"good": 8, "bad": 8, "streamingRejectsText": True}, str(doc))
    except (ValueError, IndexError):
        check("emit-js: over HTTP", False, text(res.out) + text(res.err))


# A TypeScript consumer of glue.mjs: its types come from glue.d.mts, where
# tsc --module nodenext looks for them (TS7016, untyped, when they are not).
TS_CONSUMER = r"""
import { imports, instantiate } from "./glue.mjs";
imports.env.log = (x: number): void => { console.log(x); };
const m = await instantiate();
const r: number = m.g();
%s
export { r };
"""


def test_emit_js_types():
    """tsc --strict (the pinned typescript) type-checks a consumer of the glue
    against the declarations --emit-js glue.mjs writes; a call of the wrong
    arity must fail (TS2554), so the import is typed, not any."""
    tsc, why = harness.oracle("tsc")
    if tsc is None:
        check("emit-js types: tsc is installed", False, why)
        return
    d = os.path.join(OUT, "js")
    check("emit-js types: glue.d.mts beside glue.mjs, and no glue.d.ts",
          os.path.exists(os.path.join(d, "glue.d.mts")) and not os.path.exists(os.path.join(d, "glue.d.ts")))
    args = ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext",
            "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck"]
    for name, extra, ok in (("consumer.mts", "", True), ("wrong-arity.mts", "m.g(1, 2);", False)):
        with open(os.path.join(d, name), "w") as f:
            f.write(TS_CONSUMER % extra)
        res = harness.run(tsc + args + [name], timeout=120, cwd=d)
        out = text(res.out) + text(res.err)
        if ok:
            check("emit-js types: tsc --strict accepts a typed consumer of glue.mjs", res.rc == 0, out)
        else:
            check("emit-js types: tsc --strict rejects a call of the wrong arity (TS2554)",
                  res.rc != 0 and "TS2554" in out and "TS7016" not in out, out)


NODE_WASI = r"""
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
const wasi = new WASI({ version: "preview1", returnOnExit: true, args: [process.argv[2]] });
const { instance } = await WebAssembly.instantiate(await readFile(process.argv[2]), wasi.getImportObject());
process.exitCode = wasi.start(instance);
"""


def test_hello():
    ex = os.path.join(BUILD, "examples")
    res = harness.run(["bash", os.path.join(ROOT, "scripts", "build-examples.sh")], timeout=300,
                      env=dict(harness.child_env(), BUILD=BUILD))
    check("hello: make examples", res.rc == 0, text(res.err))
    hello, host = os.path.join(ex, "hello", "hello.wasm"), os.path.join(ex, "host.wasm")
    out = os.path.join(OUT, "hello-linked.wasm")
    res = link([hello, "imports=" + host], out, name="hello")
    if res.rc != 0:
        return
    validates("hello", out)
    dump = objdump_x(out)
    check("hello: only WASI imports remain",
          "Import[1]" in dump and "<- wasi_snapshot_preview1.fd_write" in dump, dump)
    res = harness.run([RUN, out], timeout=60)
    check("hello: wlab-run prints the greeting", text(res.out) == "Hello, World!\n" and res.rc == 0,
          "exit %d: %r %r" % (res.rc, text(res.out), text(res.err)))
    runner = os.path.join(OUT, "wasi-run.mjs")
    with open(runner, "w") as f:
        f.write(NODE_WASI)
    res = harness.run(["node", "--no-warnings", runner, out], timeout=60)
    check("hello: node:wasi prints the greeting", text(res.out) == "Hello, World!\n" and res.rc == 0,
          "exit %d: %r %r" % (res.rc, text(res.out), text(res.err)))


def test_unit():
    """tests/link/test_link.c (cmocka) against the build's libwasm.a."""
    exe = os.path.join(OUT, "test_link")
    flags = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wstrict-prototypes",
             "-Wmissing-prototypes", "-g", "-D_POSIX_C_SOURCE=200809L"]
    if harness.sanitized():
        flags += ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    cmd = [os.environ.get("CC", "cc")] + flags + [
        "-I" + os.path.join(ROOT, "libwasm", "include"), "-I" + os.path.join(ROOT, "libwasm", "src"),
        "-I" + os.path.join(ROOT, "tests", "unit"), os.path.join(HERE, "test_link.c"),
        os.path.join(ROOT, "tests", "unit", "util.c"), os.path.join(BUILD, "lib", "libwasm.a"),
        "-lcmocka", "-lm", "-o", exe]
    res = harness.run(cmd, timeout=300)
    check("unit: test_link builds", res.rc == 0, text(res.err))
    if res.rc != 0:
        return
    res = harness.run([exe], timeout=120, env=dict(harness.child_env(), CMOCKA_MESSAGE_OUTPUT="stdout"))
    out = text(res.out) + text(res.err)
    m = re.search(r"\[  PASSED  \] (\d+) test", out)
    f = re.search(r"\[  FAILED  \] (\d+) test", out)
    global passed, failed
    passed += int(m.group(1)) if m else 0
    failed += int(f.group(1)) if f else 0
    if res.rc != 0 and not f:
        check("unit: test_link exits 0", False, out + text(res.err))
    elif f:
        print(out)


def main():
    for tool in (LINK, RUN, OBJDUMP, VALIDATE):
        if not harness.need_tool(tool):
            harness.write_result("link.txt", 0, 1)
            return 1
    for tool in ("wat2wasm", "wasm-validate", "wasm-objdump", "wasm-interp", "node", "clang"):
        if not shutil.which(tool):
            print("missing %s (bash scripts/deps.sh installs it)" % tool)
            harness.write_result("link.txt", 0, 1)
            return 1
    os.makedirs(OUT, exist_ok=True)
    test_unit()
    test_cases()
    test_stubs()
    test_errors()
    test_plan()
    test_plan_tags()
    test_customs()
    test_emit_js()
    test_emit_js_types()
    test_emit_js_tags()
    test_emit_js_typed()
    test_hello()
    print("link: %d passed, %d failed" % (passed, failed))
    harness.write_result("link.txt", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
