#!/usr/bin/env python3
"""allexports_compat.py: wlab-run --run-all-exports against wabt 1.0.32's
wasm-interp --run-all-exports --dummy-import-func, byte for byte.

Modules: every .wasm under $BUILD/spec, $BUILD/corpus (ttf/, ttf3/: the
fuzzer's modules call and trap a lot) and $BUILD/examples, one per content,
that wabt 1.0.32's wasm-validate accepts with its default features or, for the
threads modules, with --enable-threads (then wasm-interp gets that flag too).
Each runs under both in its own directory; standard output and the exit status
must be identical. Known differences, counted apart and listed (never passed):
NaN signs and payloads, which the spec leaves open (the outputs are equal once
every NaN is erased); wasm-interp 1.0.32 implements no memory.atomic.wait/notify ("not implemented"),
and its call stack is shallower than ours (a module whose run exhausts either
tool's stack prints where each stops). Both timing out is counted apart too.

Then -r/--run-export, against wabt 1.0.39's wasm-interp (tests/oracles; the
Debian 1.0.32 has no -r): each module with an exported function that takes
params once more, every exported function
that takes and returns numbers, vectors or references, in reverse export
order, each with -a arguments made from its params (small values, one of
another type whose bits it gets; null references), any function import
stubbed (--dummy-import-func). Same rule: identical stdout and exit status; NaNs,
stack depth and both timing out apart. When 1.0.39 is not installed these
cases are skipped, said so on the last lines, and never counted as passed.
The oracles' outputs and wasm-validate's verdicts are cached by module hash,
oracle version and arguments in $BUILD/cache/run-all-exports/ (oracle_run), so
the SANITIZE=1 pass, which shares the cache, runs only our tool.
Writes "passed failed" to $BUILD/test-results/run-all-exports.txt (both
parts together)."""
import hashlib
import multiprocessing
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

TIMEOUT = 20
OURS_AFTER_TIMEOUT = 5
G = {}


def init(settings):
    G.update(settings)
    harness.limit_memory(4 << 30)


def features(digest, path):
    """wasm-interp's flags for path, or None when wabt 1.0.32 rejects it
    (wasm-validate's verdicts cached like the oracles' outputs)."""
    stem = os.path.join(G["cache"], hashlib.sha256(digest + b"\0validate\0" + G["v32"]).hexdigest()[:40] + ".z")

    def make():
        for flags in ([], ["--enable-threads"]):
            if harness.run(["wasm-validate"] + flags + [path], 60).rc == 0:
                return " ".join(flags).encode() + b"\n"
        return b"none\n"
    got = harness.cached(stem, make).decode().strip()
    return None if got == "none" else got.split()


V128 = re.compile(r"v128 i32x4:0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8})")


def nan_free(text):
    """text with every NaN's sign and payload erased: scalar -nan, and v128
    lanes that are NaNs as f64x2 or as f32x4 (the spec leaves those bits open)."""
    def lanes(m):
        w = [int(x, 16) for x in m.groups()]
        for k in (0, 2):
            hi, lo = w[k + 1], w[k]
            if hi & 0x7ff00000 == 0x7ff00000 and (hi & 0xfffff or lo):
                w[k] = w[k + 1] = -1
        w = [-2 if x >= 0 and x & 0x7f800000 == 0x7f800000 and x & 0x7fffff else x for x in w]
        return "v128 " + " ".join(str(x) for x in w)
    return V128.sub(lanes, text.replace("-nan", "nan"))


def valtype(b, i):
    """(name, next index): i32 i64 f32 f64 v128, or "ref" for any reference."""
    t = b[i]
    names = {0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128"}
    if t in names:
        return names[t], i + 1
    if t in (0x63, 0x64):
        return "ref", harness.read_leb(b, i + 1, True)[1]
    if 0x69 <= t <= 0x74:  # the abbreviated reference types
        return "ref", i + 1
    raise ValueError("valtype 0x%x" % t)


def func_exports(path):
    """[(name bytes, [param type names])] of path's exported functions, in
    export order; None when its types are beyond plain function types."""
    try:
        with open(path, "rb") as f:
            b = f.read()
        types, funcs, exports = [], [], []
        for sec, _, j, _ in harness.sections(b):
            if sec == 1:
                n, j = harness.read_leb(b, j)
                for _ in range(n):
                    if b[j] != 0x60:
                        return None  # rec groups, subtypes, structs, arrays
                    np, j = harness.read_leb(b, j + 1)
                    params = []
                    for _ in range(np):
                        t, j = valtype(b, j)
                        params.append(t)
                    nr, j = harness.read_leb(b, j)
                    for _ in range(nr):
                        j = valtype(b, j)[1]
                    types.append(params)
            elif sec == 2:
                n, j = harness.read_leb(b, j)
                for _ in range(n):
                    for _ in range(2):
                        ln, j = harness.read_leb(b, j)
                        j += ln
                    kind, j = b[j], j + 1
                    if kind == 0:
                        t, j = harness.read_leb(b, j)
                        funcs.append(types[t])
                    elif kind == 1:
                        j = valtype(b, j)[1]
                        flags, j = harness.read_leb(b, j)
                        j = harness.read_leb(b, harness.read_leb(b, j)[1])[1] if flags & 1 else harness.read_leb(b, j)[1]
                    elif kind == 2:
                        flags, j = harness.read_leb(b, j)
                        j = harness.read_leb(b, harness.read_leb(b, j)[1])[1] if flags & 1 else harness.read_leb(b, j)[1]
                    elif kind == 3:
                        j = valtype(b, j)[1] + 1
                    elif kind == 4:
                        j = harness.read_leb(b, j + 1)[1]
                    else:
                        return None
            elif sec == 3:
                n, j = harness.read_leb(b, j)
                for _ in range(n):
                    t, j = harness.read_leb(b, j)
                    funcs.append(types[t])
            elif sec == 7:
                n, j = harness.read_leb(b, j)
                for _ in range(n):
                    ln, j = harness.read_leb(b, j)
                    name, j = b[j:j + ln], j + ln
                    kind, j = b[j], j + 1
                    idx, j = harness.read_leb(b, j)
                    if kind == 0:
                        exports.append((name, funcs[idx]))
        return exports
    except (IndexError, ValueError, OSError):
        return None


ARGS = {"i32": ["i32:1", "i32:3", "i32:0", "f32:2.5"], "i64": ["i64:2", "i64:5", "i64:0", "i32:7"],
        "f32": ["f32:1.5", "f32:-0", "f32:nan", "f32:0x1p-149"],
        "f64": ["f64:-2.5", "f64:0x1p-1074", "f64:1e300", "f64:nan"],
        "v128": ["i64:3", "f64:1", "i32:0", "f32:-1"], "ref": ["i32:0"]}


def run_export_args(path):
    """The -r/-a arguments for path (reverse export order), or None."""
    exports = func_exports(path)
    # a module whose exports take no params runs under -r as under
    # --run-all-exports, compared above: only those with params (a Node
    # start each, 0.35 s; 455 of the 1,430 modules with exported functions)
    if not exports or not any(params for _, params in exports):
        return None
    args, k = [], 0
    for name, params in reversed(exports):
        # names an argv cannot carry, and those wasm-interp's option parser
        # refuses as -r's value ("option '-r' requires argument": "", "-0")
        if b"\0" in name or not name or name.startswith(b"-"):
            continue
        args += [b"-r", name]
        for t in params:
            vals = ARGS[t]
            args += [b"-a", vals[k % len(vals)].encode()]
            k += 1
    return args or None


def compare(ref, ours):
    """(verdict, detail) of two runs' stdout and exit status."""
    if ref.timeout and ours.timeout:
        return "both-timeout", ""
    if ref.rc == ORACLE_ABORT and not ours.crashed():
        return "known", "wasm-interp 1.0.39 aborted (Node: RuntimeError: Aborted(), out of memory)"
    if ours.crashed():
        return "fail", "wlab-run %s: %s" % (harness.describe(ours),
                                            ours.err.decode("utf-8", "replace")[-300:])
    if (ref.rc, ref.out) == (ours.rc, ours.out):
        return "same", ""
    a = ref.out.decode("utf-8", "replace").splitlines()
    b = ours.out.decode("utf-8", "replace").splitlines()
    first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    want = a[first] if first < len(a) else "(end; exit %d)" % ref.rc
    got = b[first] if first < len(b) else "(end; exit %d)" % ours.rc
    if nan_free(ref.out.decode("utf-8", "replace")) == nan_free(ours.out.decode("utf-8", "replace")) \
            and ref.rc == ours.rc:
        return "known", "NaN sign or payload (the spec leaves them open): wabt %r, ours %r" % (
            want[:90], got[:90])
    if "not implemented" in want:
        return "known", "this wasm-interp has no wait/notify: " + want
    if "call stack exhausted" in want + got or ref.timeout or ours.timeout:
        return "known", "stack depth or time: wabt %r, ours %r" % (want[:80], got[:80])
    return "fail", "line %d: wasm-interp %r, wlab-run %r (exit %d / %d)" % (
        first + 1, want[:160], got[:160], ref.rc, ours.rc)


# wasm-interp 1.0.39 is C++ compiled to wasm under Node: where the native tool
# would be killed (out of memory: a table.grow by a billion elements), it
# prints "RuntimeError: Aborted()" and exits 1. Cached as this status.
ORACLE_ABORT = -6


def oracle_run(digest, version, argv, cwd, tail):
    """The oracle's Result for argv (wasm-interp 1.0.32's or 1.0.39's), cached by
    the module's hash, the oracle's version and argv's TAIL (the arguments after
    the module) in $BUILD/cache/run-all-exports/: stdout and exit status, the two
    compare() reads, or that it timed out. A start of 1.0.39 is a Node start (0.35
    s), and the SANITIZE=1 pass shares the cache, so there only our tool runs."""
    key = hashlib.sha256(digest + b"\0" + version + b"\0" + b"\0".join(
        a if isinstance(a, bytes) else a.encode() for a in tail)).hexdigest()
    stem = os.path.join(G["cache"], key[:40] + ".z")
    got = harness.cache_get(stem)
    if got is not None and b"\n" in got:
        rc, _, out = got.partition(b"\n")
        if rc == b"T":
            return harness.Result(-9, b"", b"", True)
        return harness.Result(int(rc), out, b"", False)
    res = harness.run(argv, TIMEOUT, cwd=cwd, preexec_fn=harness.unlimited)  # Node reserves gigabytes
    if res.rc == 1 and b"RuntimeError: Aborted(" in res.err:
        res = harness.Result(ORACLE_ABORT, res.out, res.err, False)
    harness.cache_put(stem, b"T\n" if res.timeout else b"%d\n" % res.rc + res.out)
    return res


def ours_run(args, cwd, ref):
    """wlab-run's Result for args. Where the oracle timed out the two cannot
    agree (compare() counts it apart, never passed): ours gets OURS_AFTER_TIMEOUT
    seconds then, time enough to show it does not crash."""
    return harness.run([G["ours"]] + args, OURS_AFTER_TIMEOUT if ref.timeout else TIMEOUT, cwd=cwd)


def check_run_export(digest, path, flags):
    """(verdict, detail) of path under -r/--run-export against wabt 1.0.39."""
    args = run_export_args(path)
    if args is None:
        return "skip", ""
    args = [b"--dummy-import-func"] + args
    cwd, base = os.path.dirname(path), os.path.basename(path)
    ref = oracle_run(digest, G["v39"], G["interp39"] + flags + [base] + args, cwd, flags + args)
    return compare(ref, ours_run(args + [base], cwd, ref))


def check(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).digest()
    flags = features(digest, path)
    if flags is None:
        return path, "skip", "", None
    v = (check_run_export(digest, path, flags) if G.get("interp39") else ("absent", ""))
    path, verdict, detail = check_all(digest, path, flags)
    return path, verdict, detail, v


def check_all(digest, path, flags):
    """(path, verdict, detail) of path under --run-all-exports against wabt 1.0.32."""
    cwd, base = os.path.dirname(path), os.path.basename(path)
    tail = ["--run-all-exports", "--dummy-import-func"] + flags
    ref = oracle_run(digest, G["v32"], ["wasm-interp"] + tail + [base], cwd, tail)
    return (path,) + compare(ref, ours_run(["--run-all-exports", base], cwd, ref))


def main():
    build = harness.build_dir()
    ours = os.path.join(build, "bin", "wlab-run")
    if not harness.need_tool(ours):
        return 2
    files, seen = [], set()
    for sub in ("spec", "corpus", "examples"):
        for d, _, names in os.walk(os.path.join(build, sub)):
            if "/corpus/" in d + "/" and not re.search(r"/corpus/ttf3?$", d):
                continue  # clang's objects and WASI programs: imports wasm-interp cannot stub
            for n in sorted(names):
                if n.endswith(".wasm"):
                    p = os.path.join(d, n)
                    with open(p, "rb") as f:
                        h = hashlib.sha256(f.read()).digest()
                    if h not in seen:
                        seen.add(h)
                        files.append(p)
    files = harness.sanitizer_sample(files, 2)  # under SANITIZE=1 every other module
    interp39, why39 = harness.oracle("wasm-interp")
    counts = dict(same=0, fail=0, skip=0, known=0)
    counts["both-timeout"] = 0
    re_counts = dict(same=0, fail=0, skip=0, known=0, absent=0)
    re_counts["both-timeout"] = 0
    fails, known = [], []
    cache = os.path.join(build, "cache", "run-all-exports")
    os.makedirs(cache, exist_ok=True)
    v32 = harness.run(["wasm-interp", "--version"], 60).out.strip()
    settings = dict(ours=ours, interp39=interp39, v39=("wabt " + why39).encode(), v32=b"wabt " + v32,
                    cache=cache)
    with multiprocessing.Pool(None, init, (settings,)) as pool:
        for path, verdict, detail, re_v in pool.imap_unordered(check, files, 8):
            counts[verdict] += 1
            if verdict == "fail":
                fails.append((path, detail))
            elif verdict == "known":
                known.append((path, detail))
            if re_v is None:
                continue
            re_counts[re_v[0]] += 1
            if re_v[0] == "fail":
                fails.append((path, "--run-export: " + re_v[1]))
            elif re_v[0] == "known":
                known.append((path, "--run-export: " + re_v[1]))
    for path, detail in sorted(fails)[:25]:
        print("FAIL %s: %s" % (os.path.relpath(path, build), detail))
    for path, detail in sorted(known):
        print("known difference, not passed: %s: %s" % (os.path.relpath(path, build), detail))
    print("run-all-exports: %d modules: %d identical to wasm-interp, %d different; apart: %d "
          "known differences, %d where both time out; %d not valid for wabt 1.0.32"
          % (len(files), counts["same"], counts["fail"], counts["known"], counts["both-timeout"],
             counts["skip"]))
    if interp39:
        print("run-export: %d modules: %d identical to wasm-interp 1.0.39 -r/-a, %d different; "
              "apart: %d known differences, %d where both time out; %d with no exported "
              "function of plain types with params to call"
              % (len(files) - counts["skip"], re_counts["same"], re_counts["fail"],
                 re_counts["known"], re_counts["both-timeout"], re_counts["skip"]))
    else:
        print("run-export: SKIPPED, not passed: %d modules' -r/--run-export cases need wabt "
              "1.0.39's wasm-interp: %s" % (re_counts["absent"], why39))
    passed, failed = counts["same"] + re_counts["same"], counts["fail"] + re_counts["fail"]
    harness.write_result("run-all-exports.txt", passed, failed)
    print("run-all-exports: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
