#!/usr/bin/env python3
"""heldout-wamr.py: WAMR's (bytecodealliance/wasm-micro-runtime) test files
as held-out input for wlab-objdump, wlab-validate and wlab-run, its
fuzzer-found reproducers (tests/regression/ba-issues) above all. Run by
hand, never by `make test`:

    WAMR_SRC=DIR BUILD=build python3 scripts/heldout-wamr.py [-v] [-j N]
        [--only wast|expect|binary|run] [FILE...]

WAMR_SRC is a checkout of wasm-micro-runtime, or a folder holding its tests/
(`git archive HEAD tests` extracted); unset, the script says so and does
nothing. FILEs are paths relative to it (tests/regression/ba-issues/issues/
issue-2726/poc).

wast: every .wast under tests/ through `wlab-run -v --spectest` with the
default features (3.0 + threads). A module whose line says ";; Should report
an error." (tests/unit/linear-memory-*) must be refused; any other failing
command is known (KNOWN: examined, WAMR's own behaviour) or new.

expect: tests/regression/ba-issues/running_config.json says, for each
reproducer that is not deprecated, how iwasm runs it (`-f NAME ARGS`: call an
export; else the WASI command) and what it must give: exit 255 and "WASM module
load failed: ..." (a module refused), exit 1 and "Exception: MSG" (a trap), or
exit 0 (or the WASI exit code) with the results on stdout ("0x2a:i32",
"-0.5392354:f64", "<LO HI>:v128"). The same call through `wlab-run --invoke
NAME` (or the command), under --fuel, --timeout and --max-memory, must give
the same outcome: refused, the same trap, the same values (floats to iwasm's
7 digits). KNOWN_EXPECT lists the examined differences (iwasm's build
options, its text), anything else is new. Modules WAMR compiles with wamrc
(aot) are run from the .wasm it compiles.

binary: every file under tests/ that starts with the wasm magic (.wasm, and
issue-2726's `poc`) through `wlab-objdump -h`, `-x`, `-d` against
wasm-objdump and `wlab-validate` against wasm-validate 1.0.39 --enable-all and
wasm-opt --all-features (harness.heldout_binary: as heldout-binaryen.py).
KNOWN_BIN lists the examined differences.

run: every such module that wlab-validate accepts through `wlab-run
--run-all-exports --stub-default zero` and, when it exports _start, as a
WASI command (stdin empty, no preopens), both under --fuel, --timeout and
--max-memory: for crashes (signal, sanitizer report, an exit >= 128 that is
not a trap's 134), hangs (our --timeout not honoured) and errors without an
offset; a trap, fuel running out or the timeout firing is the guest's
outcome, not a failure.

Each tool runs under a timeout, and outside SANITIZE=1 an address-space
limit. Exit status: 0 when no new failure, crash, hang or unexplained
difference.
"""
import argparse
import collections
import glob
import json
import os
import re
import shlex
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 600 if harness.sanitized() else 60
MEMORY = 8 << 30
# the guest's limits in the expect and run phases: a reproducer that spins
# or allocates stops here, as a trap or a refused grow
GUEST = ["--fuel", "200000000", "--timeout", "20", "--max-memory", "5G", "-q"]
# what iwasm runs without -f: the WASI command, else the first of these exports
MAINS = ["main", "_main", "__main_argc_argv"]
LOOKUP = "Exception: lookup the entry point symbol"
BA = "tests/regression/ba-issues"
MUST_FAIL = ";; Should report an error."

# .wast commands that fail here: (file, line) or (file, None) -> why
KNOWN = {
    ("tests/unit/wasm-vm/wasm-apps/app1.wast", 1): "imports env.malloc, env.free...: iwasm's "
    "libc-builtin host functions, which no spec script host provides",
    ("tests/unit/wasm-vm/wasm-apps/app2.wast", 1): "imports env.malloc...: iwasm's libc-builtin",
    ("tests/unit/wasm-vm/wasm-apps/app3.wast", 1): "imports env.malloc...: iwasm's libc-builtin",
    ("tests/requirement-engineering/gc-aot/wasm-apps/type_subtyping.wast", 609):
        "WAMR's copy comments out the spec's (register \"M7\") before this module, which "
        "imports M7.h: unlinkable as the file stands",
    ("tests/regression/ba-issues/issues/issue-2787/sock_shutdown.wast", 1):
        "imports wasi_snapshot_preview1.sock_shutdown: a script's host is spectest, not "
        "WASI (the .wasm beside it runs as a WASI command: exit 8, as iwasm)",
}
# running_config.json expectations we do not meet: (issue id, file) -> why
PRINT = ("iwasm's spectest print_i32 prints \"in specttest.print_i32(4)\", wlab-run's "
         "\"i32:4\" (the same value)")
WASI_FAULT = ("a poll_oneoff whose subscriptions or events pass the end of memory: iwasm traps, "
              "wlab's WASI host returns FAULT (21) and writes nothing (docs/wasi.md; "
              "--trace-imports shows poll_oneoff -> 21, then proc_exit(0))")
KNOWN_EXPECT = {
    (315101, "test.wasm"): PRINT, (315102, "test.wasm"): PRINT,
    (2732, "filea9.wasm"): "iwasm's llvm-jit expects a divide by zero; an access past the 4 GiB "
    "memory comes first (func[951] at 0x399b4): V8 (Node 20) traps \"memory access out of "
    "bounds\" too",
    (980001, "v128.wasm"): "iwasm's classic interpreter has no SIMD (\"unsupported opcode\"); "
    "SIMD is WebAssembly 2.0, the module is valid and runs",
    (980004, "poll_oneoff_out_of_bounds_write.wasm"): WASI_FAULT,
    (980005, "poll_oneoff_out_of_bounds_read.wasm"): WASI_FAULT,
}
NOGC = ("GC types (struct, array, sub, rec, (ref null $t) params and locals): neither wabt "
        "reads them, so the oracle stays 1.0.32, which gives up; wlab dumps the module")
NOGC_VAL = "wabt 1.0.39's validator has no GC types; wasm-opt and wlab accept the module"
V128_INIT = ("a v128 global: wasm-objdump 1.0.32 prints its init from uninitialised memory "
             "(\"init i32=<garbage>\", another value each run; objdump_compat's WABT_GARBAGE), "
             "1.0.39 \"<INVALID>\"; wlab the v128.const")
BA_ISSUES = BA + "/issues/issue-"
GC_FILES = ["tests/unit/gc/wasm-apps/" + n for n in (
    "func1", "nested_array_elem_any", "nested_struct_field_any", "struct2", "struct3", "test2",
    "test3", "test4", "test5", "test6")] + [BA_ISSUES + n for n in (
        "315101/test", "315102/test", "3410/kotlin_wasm_wasi_example_wasm_wasi_prod",
        "3411/kotlin_wasm_wasi_example_wasm_wasi_dev", "4646/test")]
V128_FILES = [BA_ISSUES + n for n in (
    "2701/filea105944", "2703/filea82785", "270801/filea3054_instr_instr", "2709/filea140961",
    "2711/filea214306", "2713/filea105957", "2720/filea228152", "2829/filea262_9",
    "2833/filea12287_4", "292001/f64.load_147_5_17034195850743225",
    "292002/v128.load16x4_u_169_0_17034190656771224",
    "2921/v128.load64_lane_2635_10_1703418883268537", "2942/iwasm_jit_without_exception",
    "2943/iwasm_jit_timeout", "3337/f32x4.gt_55_571_17107906309149652")]
NOMEM = ("a data segment and no memory (invalid: \"unknown memory 0\", as wlab-validate says): "
         "wasm-objdump's reader refuses it (exit 1 after the Data header), wlab-objdump dumps "
         "what it decodes, as objdump_compat allows where the oracle fails")
DEAD = ("valid (wasm-validate 1.0.39 and wlab accept; the reproducer is of a WAMR loader that "
        "said \"type mismatch\"): binaryen's reader types the dead code after a br or "
        "unreachable its own way and refuses it")
HINTS = ("a malformed metadata.code.branch_hint custom section: wabt and binaryen refuse the "
         "module, the core spec ignores custom sections (wasm-objdump 1.0.32 only warns, and its "
         "-x output is wlab-objdump's)")
# .wasm files (relative to WAMR_SRC), objdump mode or "validate" -> why
KNOWN_BIN = {
    **{(f + ".wasm", m): NOGC for f in GC_FILES for m in ("-h", "-x", "-d")},
    **{(f + ".wasm", "validate"): NOGC_VAL for f in GC_FILES},
    **{(f + ".wasm", "-x"): V128_INIT for f in V128_FILES},
    **{(f, m): NOMEM for f in ("tests/malformed/github/PoC63.wasm",
                               BA + "/issues-deprecated/issue-63/PoC.wasm") for m in ("-h", "-x")},
    (BA_ISSUES + "2784/6.wasm", "validate"): DEAD,
    (BA_ISSUES + "2857/10276.wasm", "validate"): DEAD,
    (BA_ISSUES + "2858/3605.wasm", "validate"): DEAD,
    (BA_ISSUES + "2863/test.wasm", "-d"): "func[6]'s body closes its blocks but not itself "
    "(malformed; 1.0.39 refuses \"function body must end with END opcode\", wlab-validate "
    "\"END opcode expected\" at the body's end, 0x3f1): 1.0.32 "
    "dumps it and carries the open block's indentation into func[7]",
    (BA_ISSUES + "2949/iwasm_fast_jit_unexpected_div_zero.wasm", "validate"): "table.fill of a "
    "(ref 2) into a funcref table: (ref 2) is a subtype of funcref (function references, 3.0); "
    "wabt 1.0.39 wants the type itself",
    (BA_ISSUES + "3165/iwasm_jit_select_exception.wasm", "validate"): "select funcref of a "
    "(ref 0) and a funcref: (ref 0) is a subtype of funcref; wabt 1.0.39 wants the same types",
    (BA_ISSUES + "3336/memory.init_2164_858_1712663578577073.wasm", "validate"): "ref.func 4 of "
    "a function no segment or export declares: invalid (\"undeclared function reference\", "
    "wabt and WAMR say so too); binaryen does not check it",
    (BA_ISSUES + "3513/iwasm_poc_04.wasm", "validate"): "elem.drop 0 of a declarative segment: "
    "valid (wabt agrees); binaryen's reader drops declarative segments and then calls the "
    "index invalid",
    (BA_ISSUES + "980002/branch_hint_invalid_free.wasm", "validate"): HINTS,
    (BA_ISSUES + "980003/branch_hint_null_deref.wasm", "validate"): HINTS,
}


def wast_files(src):
    out = []
    for d, dirs, names in os.walk(os.path.join(src, "tests")):
        dirs.sort()
        out += [os.path.relpath(os.path.join(d, n), src) for n in names if n.endswith(".wast")]
    return sorted(out)


def binary_files(src):
    """Every file under tests/ that starts with the wasm magic, relative to src."""
    out = []
    for d, dirs, names in os.walk(os.path.join(src, "tests")):
        dirs.sort()
        for n in names:
            p = os.path.join(d, n)
            try:
                with open(p, "rb") as f:
                    magic = f.read(4)
            except OSError:
                continue
            if magic == b"\0asm":
                out.append(os.path.relpath(p, src))
    return sorted(out)


def run_wast(job):
    tool, src, rel = job
    return (rel,) + harness.run_script([tool], os.path.basename(rel), TIMEOUT,
                                       cwd=os.path.join(src, os.path.dirname(rel)))


def wast_report(src, results, verbose):
    c, new = collections.Counter(), []
    for rel, state, passed, total, fails, err, how in results:
        c["files"] += 1
        c["commands"] += total
        c["passed"] += passed
        if state != "ok":
            c[state] += 1
            new.append("%s: %s (%s) %s" % (rel, state, how, " ".join(err.split("\n")[-3:])[:300]))
            continue
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        for line, cmd, why in fails:
            text = "%s:%d: %s: %s" % (rel, line, cmd, why)
            k = KNOWN.get((rel, line)) or KNOWN.get((rel, None))
            if cmd == "module" and MUST_FAIL in lines[line - 1]:
                c["must-fail"] += 1
                k = "refused, as its comment asks"
            elif k:
                c["known"] += 1
            else:
                c["new"] += 1
                new.append(text)
                continue
            if verbose:
                print("known %s [%s]" % (text, k))
    print("wast: %d files, %d commands, %d passed; failing commands: %d refused as the file "
          "asks (%s), %d known, %d new; %d crash, %d hang, %d unreadable" % (
              c["files"], c["commands"], c["passed"], c["must-fail"], MUST_FAIL, c["known"],
              c["new"], c["crash"], c["hang"], c["unreadable"]))
    return new


def expectations(src):
    """[(issue id, rel, invoke or None, args, expected exit, expected stdout)] of
    running_config.json's cases that are not deprecated."""
    ba = os.path.join(src, BA)
    with open(os.path.join(ba, "running_config.json")) as f:
        cases = json.load(f)["test cases"]
    out = []
    for case in cases:
        if case.get("deprecated") or "expected return" not in case:
            continue
        pattern = case["file"]
        if case.get("mode") == "aot":
            pattern = case["compile_options"]["in file"]
        words = shlex.split(case.get("options", ""))
        invoke = words[words.index("-f") + 1] if "-f" in words else None
        args = shlex.split(case.get("argument", ""))
        exp = case["expected return"]
        for i in case["ids"]:
            for p in sorted(glob.glob(os.path.join(ba, "issues", "issue-%d" % i, pattern))):
                out.append((i, os.path.relpath(p, src), invoke, args, exp["ret code"],
                            exp["stdout content"]))
    return out


V128 = re.compile(r"^<0x([0-9a-f]{16}) 0x([0-9a-f]{16})>$")


def iwasm_value(text):
    """iwasm's "VALUE:TYPE" (0x2a:i32, -0.53:f64, <LO HI>:v128, func:ref.null) as
    (type, comparable value)."""
    value, _, ty = text.rpartition(":")
    if ty in ("i32", "i64"):
        return ty, int(value, 16)
    if ty in ("f32", "f64"):
        return ty, float_key(value)
    if ty == "v128":
        m = V128.match(value)
        return ty, (int(m.group(2), 16) << 64 | int(m.group(1), 16)) if m else value
    if ty == "ref.null":
        return value + "ref", "null"
    return ty, value


def wlab_value(text):
    """wlab-run --invoke's "TYPE:VALUE" (i32:42, f64:-0.5, v128:0xHEX, funcref:null)
    in iwasm_value()'s form."""
    ty, _, value = text.partition(":")
    if ty in ("i32", "i64"):
        return ty, int(value)
    if ty in ("f32", "f64"):
        return ty, float_key(value)
    if ty == "v128":
        return ty, int(value, 16)
    return ty, value


def float_key(text):
    """A float as iwasm prints it (%.7g): nan, inf and the 7 digits."""
    v = float(text)
    return "nan" if v != v else "%.7g" % v


def wlab_outcome(res):
    """(kind, detail) of a wlab-run: refused (exit 1 before running), trap MSG,
    exit N (with the results or the guest's stdout), crash, hang."""
    err = res.err.decode("utf-8", "replace")
    out = res.out.decode("utf-8", "replace")
    trap = re.search(r": trap: (.*)$", err, re.M)  # after the guest's stderr, if any
    if res.timeout:
        return "hang", harness.describe(res)
    if "Sanitizer" in err or "runtime error:" in err or res.rc < 0:
        return "crash", harness.describe(res) + " " + err.strip()[-300:]
    if trap and res.rc in (124, 134):
        return "trap", trap.group(1)
    if res.rc >= 128:
        return "crash", harness.describe(res) + " " + err.strip()[-300:]
    if res.rc == 1 and not out:
        return "refused", err.strip().split("\n")[0]
    return "exit", (res.rc, out)


def run_expect(job):
    tool, dump_tool, src, (issue, rel, invoke, args, rc, stdout) = job
    cwd, base = os.path.join(src, os.path.dirname(rel)), os.path.basename(rel)
    argv = [tool] + GUEST
    main = None
    if not invoke:
        names = func_exports(dump_tool, cwd, base)
        main = None if "_start" in names else next((n for n in MAINS if n in names), None)
    if invoke or main:
        argv += ["--invoke", invoke or main]
    res = harness.run(argv + [base] + args, TIMEOUT, cwd=cwd)
    kind, detail = wlab_outcome(res)
    want = "exit %d: %s" % (rc, stdout[:80])
    if kind in ("crash", "hang"):
        return issue, rel, kind, "%s %s" % (kind, detail), want
    if rc == 255 or stdout.startswith(LOOKUP):
        ok = kind == "refused"
    elif rc == 1 and stdout.startswith("Exception: "):
        ok = kind == "trap" and stdout[len("Exception: "):].rstrip(".") in detail
    elif kind != "exit":
        ok = False
    elif main:
        # iwasm's main (app mode) prints no results: the guest's output only
        ok = detail[0] == 0 and rc == 0 and stdout in detail[1]
    elif invoke and rc == 0:
        # the results are the last lines, after what the guest wrote
        lines = detail[1].split("\n")[:-1]
        try:
            theirs = [iwasm_value(v) for v in stdout.split(",")] if stdout else []
            ours = [wlab_value(v) for v in lines[len(lines) - len(theirs):]] if theirs else []
            ok = theirs == ours and (theirs or not lines)
        except ValueError:
            ok = False
    else:
        out = detail[1].rstrip("\n")
        ok = detail[0] == rc and (out == stdout or (len(stdout) > 30 and stdout in out))
    got = detail if kind != "exit" else "exit %d: %s" % (detail[0], detail[1].strip()[:120])
    return issue, rel, "agree" if ok else "differ", "%s %s" % (kind, got), want


def expect_report(results, verbose):
    c, new = collections.Counter(), []
    for issue, rel, verdict, got, want in results:
        c["cases"] += 1
        if verdict == "agree":
            c["agree"] += 1
            continue
        text = "%s (issue %d): wlab-run %s; iwasm %s" % (rel, issue, got, want)
        k = KNOWN_EXPECT.get((issue, os.path.basename(rel)))
        if k and verdict == "differ":
            c["known"] += 1
            if verbose:
                print("known %s [%s]" % (text, k))
            continue
        c[verdict if verdict in ("crash", "hang") else "new"] += 1
        new.append(text)
    print("expect (running_config.json): %d cases, %d agree, %d known, %d new; %d crash, "
          "%d hang" % (c["cases"], c["agree"], c["known"], c["new"], c["crash"], c["hang"]))
    return new


EXPORT = re.compile(r'^ - func\[\d+\].* -> "(.*)"$', re.M)


def func_exports(tool, cwd, base):
    """The names of the functions the module exports (wlab-objdump -x -j Export)."""
    res = harness.run([tool, "-x", "-j", "Export", base], TIMEOUT, cwd=cwd)
    return EXPORT.findall(res.out.decode("utf-8", "replace")) if res.rc == 0 else []


def check_binary(job):
    src, rel, dump_tool, val_tool, tools = job
    path = os.path.join(src, rel)
    return rel, harness.heldout_binary(path, dump_tool, val_tool, tools, TIMEOUT)


def check_run(job):
    """[(how, verdict, detail)] of running one valid module."""
    src, rel, dump_tool, run_tool = job
    cwd, base = os.path.dirname(os.path.join(src, rel)), os.path.basename(rel)
    hows = [["--run-all-exports", "--stub-default", "zero"]]
    if "_start" in func_exports(dump_tool, cwd, base):
        hows.append(["--stub-default", "zero"])
    rows = []
    for how in hows:
        res = harness.run([run_tool] + GUEST + how + [base], TIMEOUT, cwd=cwd)
        kind, detail = wlab_outcome(res)
        label = "run-all-exports" if "--run-all-exports" in how else "_start"
        if kind in ("crash", "hang"):
            rows.append((label, kind, detail))
        elif kind == "refused" and not re.search(r"0x[0-9a-f]+: error: ", detail):
            rows.append((label, "refused", detail))
        else:
            rows.append((label, "ran", kind))
    return rel, rows


def run_report(results):
    c, new = collections.Counter(), []
    for rel, rows in results:
        for label, verdict, detail in rows:
            c[verdict] += 1
            c[label] += 1
            if verdict == "ran":
                c["ran " + detail] += 1
            else:
                new.append("%s [%s]: %s: %s" % (rel, label, verdict, detail))
    print("run: %d valid modules; %d runs (%d --run-all-exports, %d _start): %d ran (%d to an "
          "exit, %d to a trap, fuel or --timeout included; %d refused with "
          "the offset), %d refused without an offset, %d crash, %d hang" % (
              len(results), c["ran"] + c["refused"] + c["crash"] + c["hang"],
              c["run-all-exports"], c["_start"], c["ran"], c["ran exit"], c["ran trap"],
              c["ran refused"], c["refused"], c["crash"], c["hang"]))
    return new


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", action="store_true", help="print every explained failure")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", choices=("wast", "expect", "binary", "run"))
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    src = harness.source_dir("WAMR_SRC", "a wasm-micro-runtime checkout or its tests/ extracted")
    if not src:
        return 0
    src = os.path.abspath(src)
    build = harness.build_dir()
    tools = harness.wlab_tools(build, "wlab-run", "wlab-objdump", "wlab-validate")
    if not tools:
        return 2
    run_tool, dump_tool, val_tool = tools
    want = set(args.files)
    new = []
    with ThreadPoolExecutor(args.j, initializer=lambda: harness.limit_memory(MEMORY)) as pool:
        if args.only in (None, "wast"):
            rels = [r for r in wast_files(src) if not want or r in want]
            print("heldout-wamr: %s, %d .wast files" % (src, len(rels)))
            new += wast_report(src, list(pool.map(run_wast, [(run_tool, src, r) for r in rels])),
                               args.v)
        if args.only in (None, "expect"):
            cases = [e for e in expectations(src) if not want or e[1] in want]
            new += expect_report(list(pool.map(run_expect, [(run_tool, dump_tool, src, e)
                                                           for e in cases])),
                                 args.v)
        rels = [r for r in binary_files(src) if not want or r in want]
        if args.only in (None, "binary"):
            tools = {}
            for t in ("wasm-validate", "wasm-objdump", "wasm-opt"):
                argv, why = harness.oracle(t)
                if argv is None:
                    sys.exit("heldout-wamr: " + why)
                tools[t] = argv
            jobs = [(src, r, dump_tool, val_tool, tools) for r in rels]
            new += harness.heldout_binary_report(list(pool.map(check_binary, jobs)), KNOWN_BIN,
                                                 args.v)
        if args.only in (None, "run"):
            valid = [r for r in rels if harness.run([val_tool, os.path.basename(r)], TIMEOUT,
                                                    cwd=os.path.dirname(os.path.join(src, r))
                                                    ).rc == 0]
            new += run_report(list(pool.map(check_run, [(src, r, dump_tool, run_tool)
                                                          for r in valid])))
    for ln in new:
        print("FAIL " + ln)
    print("heldout-wamr: %d new failures" % len(new))
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
