#!/usr/bin/env python3
"""diff_exec.py: the `differential` suite: random modules of binaryen's
`wasm-opt -ttf` (binaryen 132, tests/oracles) run by three engines and
compared: binaryen's interpreter (`--fuzz-exec-before`), `wlab-run
--fuzzing-support`, and V8 (tests/differential/v8_exec.mjs with
fuzz_host.js: this Node for the sets Node 20 runs, headless Chromium for
the others: one process, or one page, for all the modules of a run).

Usage: BUILD=build [DIFF_N=N] [DIFF_SETS="mvp simd"] python3 tests/differential/diff_exec.py [-v]

For each feature set of SETS, N modules (DIFF_N, default 128, 16 under
SANITIZE=1; `make fuzz` runs 1,024, and far more on demand) are made from fixed pseudo-random seeds by
`wasm-opt -ttf SEED FLAGS --fuzz-exec-before`, all through
wasm_opt_batch.cjs (batch.py): one Node process per core that compiles
binaryen's wasm once and runs wasm-opt's main in a fresh instance and glue
context per module, about 0.06 s of CPU a module instead of a separate
`node wasm-opt`'s 1.5-2 s. SAME_CHECK's modules are also made by separate
processes, once per driver version, and must be byte for byte the same
(exit status, stdout, stderr, module). The module and binaryen's output are
cached by (seed, flags, binaryen version) in $BUILD/cache/differential/.
Each output is read as one block per export: the values
logged through fuzzing-support's log-* imports, the export's results, and
how it ended (returned, trapped, threw). Compared with binaryen's: every logged value, every
result, trap against trap (the wording differs: binaryen's own messages), in
order. Integers exactly; floats by value, -0 apart from 0, any NaN equal to
any NaN (the spec leaves NaN sign and payload free for most operations, and
binaryen prints only what its own arithmetic gave; JS sees no payload); v128 words exactly
unless both are NaNs; references as JS shows them (null, function,
object(null), externref(N), jserror, an i31's number). Explained, not mismatches: a module where an engine hit
one of its own host limits ("[host limit ...]": binaryen's stack is shallower than
our 100,000 frames, V8's too; an export V8 cannot call even through a
wrapper) is compared up to that point only, the differences of
EXPLAINED below, and NaN bits (docs/fuzzing.md, tests/differential/nan_bits.wat):
an i64 logged from an f64 NaN where binaryen's is the canonical NaN
(explained()), and any other difference in a module on which wlab-run and
V8 agree and all three engines agree once `wasm-opt --denan` has replaced
every NaN (nan_check(): a NaN's sign copied by f64.copysign, its bits
stored and loaded; a float min or max, whose NaN V8 and wlab-run pick
differently). Relaxed SIMD is left out: its results may differ between
engines by design.

Every unexplained mismatch is printed: module, engine, export, event number,
binaryen's line against the engine's. Writes `passed failed` (modules) to
$BUILD/test-results/differential.txt.
"""
import hashlib
import multiprocessing
import os
import random
import re
import struct
import subprocess
import sys
import threading
import time
from multiprocessing.pool import ThreadPool

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402
import batch  # noqa: E402

# name: (wasm-opt flags, wlab-run flags, V8 engine). Each set keeps to what
# wlab-run's --fuzzing-support provides. V8: "node" (this Node, 20: the 2.0
# features and tail calls), "chromium" (headless Chromium: what Node 20 lacks).
SETS = {
    "mvp": ([], [], "node"),
    "simd": (["--enable-simd", "--enable-bulk-memory", "--enable-sign-ext",
              "--enable-nontrapping-float-to-int", "--enable-multivalue"], [], "node"),
    "tail-call": (["--enable-tail-call", "--enable-sign-ext", "--enable-bulk-memory"], [], "node"),
    "memory64": (["--enable-memory64", "--enable-bulk-memory", "--enable-sign-ext"], [], "chromium"),
    "multi-memory": (["--enable-multimemory", "--enable-bulk-memory", "--enable-extended-const"], [],
                     "chromium"),
    "ref-types": (["--enable-reference-types", "--enable-bulk-memory", "--enable-sign-ext"], [], "node"),
    "exceptions": (["--enable-exception-handling", "--enable-reference-types", "--enable-bulk-memory",
                    "--enable-sign-ext"], [], "chromium"),
    # gc: wlab-run under --gc-stress, which collects at every allocation and
    # aborts when a stack map misses a reference (docs/interpreter.md)
    "gc": (["--enable-gc", "--enable-reference-types", "--enable-bulk-memory", "--enable-sign-ext"],
           ["--gc-stress"], "chromium"),
}
TIMEOUT = 60
G = {}


def seed_bytes(name, i):
    rng = random.Random("%s:%d" % (name, i))
    return bytes(rng.randrange(256) for _ in range(rng.randrange(2000, 16000)))


STEMS = {}


def stem_of(name, i, seed=None):
    """The cache's path (without suffix) for seed I of set NAME (SEED: its
    bytes, when known). Kept: seed_bytes() costs 2.6 ms of CPU a module."""
    if (name, i) not in STEMS:
        flags = SETS[name][0]
        seed = seed_bytes(name, i) if seed is None else seed
        key = hashlib.sha256(seed + ("\0%s\0%s" % (" ".join(flags), G["version"])).encode())
        STEMS[(name, i)] = os.path.join(G["cache"], "%s-%d-%s" % (name, i, key.hexdigest()[:20]))
    return STEMS[(name, i)]


def made(name, i):
    """(name, i, module path without .wasm, None), or (name, i, None, why
    binaryen failed), or None when not made yet."""
    stem = stem_of(name, i)
    if os.path.exists(stem + ".failed"):
        with open(stem + ".failed") as f:
            return name, i, None, f.read()
    if os.path.exists(stem + ".out"):
        return name, i, stem, None
    return None


def make_oracles(tasks):
    """Makes the modules and binaryen's outputs TASKS lack, all through
    wasm_opt_batch.cjs, one driver per core: `wasm-opt -ttf SEED FLAGS
    --fuzz-exec-before -o MODULE` each."""
    jobs = []
    for name, i in tasks:
        seed = seed_bytes(name, i)
        stem = stem_of(name, i, seed)
        if made(name, i):
            continue
        with open(stem + ".seed", "wb") as f:
            f.write(seed)
        jobs.append((stem, ["-ttf", stem + ".seed"] + SETS[name][0] +
                     ["--fuzz-exec-before", "-o", stem + ".wasm"], keep))
    batch.run_all(jobs, G["wasm-opt"][-1], G["jobs"], TIMEOUT * 4, harness.unlimited)
    # A module binaryen fails on inside a warm driver is made again by a separate
    # `node wasm-opt` (a few in a thousand: a fresh process has succeeded on each
    # one seen, byte for byte as the SAME_CHECK modules; the driver's stack after
    # warm-up, we think): only a failure there too counts as binaryen's.
    again = [(stem, args) for stem, args, _ in jobs if os.path.exists(stem + ".retry")]
    with ThreadPool(G["jobs"]) as pool:
        pool.map(lambda j: keep(j[0], harness.run(G["wasm-opt"] + j[1], TIMEOUT * 4,
                                                  preexec_fn=harness.unlimited), final=True),
                 again)
    return len(jobs)


def keep(stem, res, final=False):
    """Stores one run's output in the cache (a driver thread calls it). A
    driver's failure leaves the seed and a STEM.retry mark for a separate run."""
    if res.rc != 0 and not final:
        open(stem + ".retry", "w").close()
        return
    os.unlink(stem + ".seed")
    if os.path.exists(stem + ".retry"):
        os.unlink(stem + ".retry")
    if res.rc != 0 or not os.path.exists(stem + ".wasm"):
        why = "binaryen failed: %s %s" % (harness.describe(res),
                                          res.err[-200:].decode("utf-8", "replace").strip())
        with open(stem + ".failed", "w") as f:
            f.write(why)
        return
    with open(stem + ".out.tmp", "wb") as f:
        f.write(res.out)
    os.replace(stem + ".out.tmp", stem + ".out")


FLOAT = re.compile(r"^-?(nan(:0x[0-9a-f]+)?|inf|[0-9.e+-]+)$")


def value(tok):
    """A comparable form of one printed value."""
    if tok.lstrip("-").startswith("nan"):
        return ("nan",)
    if re.fullmatch(r"-?[0-9]+", tok):
        return ("int", int(tok))
    if FLOAT.match(tok):
        try:
            f = float(tok)
            return ("float", f, str(f).startswith("-"))
        except ValueError:
            pass
    return ("text", tok)


def nan_word(w, bits):
    if bits == 32:
        return (w & 0x7f800000) == 0x7f800000 and (w & 0x7fffff) != 0
    return (w & 0x7ff0000000000000) == 0x7ff0000000000000 and (w & 0xfffffffffffff) != 0


def same(a, b):
    """Two printed value lists equal as the spec allows."""
    ta, tb = a.split(), b.split()
    if tb == ["?"]:   # a value V8 cannot show JS (an exnref global)
        return True
    if ta and ta[0] == "i32x4" and tb and tb[0] == "i32x4" and len(ta) == len(tb) == 5:
        if tb[3:] == ["?", "?"]:   # an exported v128 global: wlab-run knows its low half only
            ta, tb = ta[:3] + ["0", "0"], tb[:3] + ["0", "0"]
        wa = [int(x, 16) for x in ta[1:]]
        wb = [int(x, 16) for x in tb[1:]]
        if wa == wb:
            return True
        if all(x == y or (nan_word(x, 32) and nan_word(y, 32)) for x, y in zip(wa, wb)):
            return True
        da = [wa[0] | wa[1] << 32, wa[2] | wa[3] << 32]
        db = [wb[0] | wb[1] << 32, wb[2] | wb[3] << 32]
        return all(x == y or (nan_word(x, 64) and nan_word(y, 64)) for x, y in zip(da, db))
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        vx, vy = value(x), value(y)
        if vx[0] == "float" and vy[0] == "int":
            vy = ("float", float(vy[1]), y.startswith("-"))
        if vy[0] == "float" and vx[0] == "int":
            vx = ("float", float(vx[1]), x.startswith("-"))
        if vx[0] == "text" and vy[0] == "text":
            if (x == "null") != (y == "null"):
                return False
            continue
        if vx != vy:
            return False
    return True


def events(text):
    """[(export, [(kind, text)])]: kinds log, result, trap, exception, limit."""
    blocks = []
    text = re.sub(r"i31ref\((-?\d+)\)", r"\1", text)   # JS (and wlab-run) show an i31 as its number
    for line in text.splitlines():
        if line.startswith("[fuzz-exec] export "):
            blocks.append((line[len("[fuzz-exec] export "):], []))
            continue
        if not blocks:
            blocks.append(("(instantiation)", []))
        ev = blocks[-1][1]
        if line.startswith("[LoggingExternalInterface logging "):
            ev.append(("log", line[len("[LoggingExternalInterface logging "):-1]))
        elif line.startswith("[fuzz-exec] note result: "):
            ev.append(("result", line.split(" => ", 1)[1]))
        elif line.startswith("[trap "):
            ev.append(("trap", line[6:-1]))
        elif line.startswith("[exception thrown"):
            ev.append(("exception", line))
        elif line.startswith("[host limit"):
            ev.append(("limit", line))
        elif ev and ev[-1][0] == "result" and not line.startswith("["):
            ev.append(("result", line))
        elif line.strip() and not line.startswith("warning:"):
            ev.append(("other", line))
    return blocks


def compare(want, got, who="wlab-run"):
    """None when equal, ("explained", why) or ("mismatch", detail)."""
    for bi, (name, ev) in enumerate(want):
        if bi >= len(got):
            return "mismatch", "export %s: missing from %s's output" % (name, who)
        gname, gev = got[bi]
        if gname != name:
            return "mismatch", "export #%d: binaryen runs %s, %s %s" % (bi, name, who, gname)
        for k, e in enumerate(ev):
            if e[0] == "limit":
                return "explained", "binaryen's %s in %s" % (e[1], name)
            g = gev[k] if k < len(gev) else ("(nothing)", "")
            if g[0] == "limit":
                return "explained", "%s's %s in %s" % (who, g[1], name)
            ok = g[0] == e[0] and (e[0] in ("trap", "exception") or same(e[1], g[1]))
            if not ok:
                why = explained(e, g, who)
                if why:
                    return "explained", "%s, export %s, event %d: %s" % (who, name, k, why)
                return "mismatch", "export %s, event %d: binaryen %s %s, %s %s %s" % (
                    name, k, e[0], e[1], who, g[0], g[1])
        if len(gev) > len(ev):
            if gev[len(ev)][0] == "limit":
                return "explained", "%s's %s in %s" % (who, gev[len(ev)][1], name)
            return "mismatch", "export %s: %s goes on: %s %s" % (name, who, gev[len(ev)][0],
                                                              gev[len(ev)][1])
    if len(got) > len(want):
        return "mismatch", "%s runs more exports: %s" % (who, got[len(want)][0])
    return None


# Differences the spec permits, by engine: (engine, binaryen's event kind,
# the engine's, a regex on binaryen's text, why). Checked only once the
# event differs.
EXPLAINED = [
]

# Modules V8 refuses for a limit of its own, not of the module: (engine, a
# regex on V8's error, why).
V8_REFUSES = [
    ("node", r"Invalid opcode 0xd4 \(enable with --experimental-wasm-typed_funcref\)",
     "Node 20's V8 takes ref.as_non_null (0xd4), which binaryen emits with reference types, "
     "only with the typed function references proposal (ref-types-30, 49, 85)"),
]


def f64_nan_pair(text, canonical=False):
    """A logged i64 (binaryen prints it as its low and high i32) that is an
    f64 NaN's bits (CANONICAL: the canonical NaN, either sign)."""
    t = text.split()
    if len(t) != 2 or not all(re.fullmatch(r"-?[0-9]+", x) for x in t):
        return False
    w = (int(t[0]) & 0xffffffff) | (int(t[1]) & 0xffffffff) << 32
    if canonical:
        return w & ~(1 << 63) == 0x7ff8000000000000
    return nan_word(w, 64)


def explained(want, got, who):
    for engine, wk, gk, rx, why in EXPLAINED:
        if engine == who and wk == want[0] and gk == got[0] and re.search(rx, want[1]):
            return why
    if want[0] == got[0] == "log" and f64_nan_pair(want[1], True) and f64_nan_pair(got[1]):
        # ref-types-42 (tests/differential/nan_bits.wat, "reinterpret"):
        # i64.reinterpret_f64 of a NaN result: binaryen's interpreter gives
        # the canonical NaN, x86 (V8, wlab-run) the operand's, quieted
        return ("an f64 NaN's bits logged as an i64, binaryen's the canonical NaN: the spec leaves "
                "a NaN result's sign free, and its payload when an operand is not canonical")
    return None


def check(item):
    name, i, stem, err = item
    if err:   # binaryen's interpreter crashed (Node's stack on call-export recursion...)
        return name, i, "explained", err
    res = harness.run([G["run"], "--fuzzing-support"] + SETS[name][1] + [stem + ".wasm"], TIMEOUT)
    if res.rc != 0:
        return name, i, "mismatch", "wlab-run %s: %s" % (harness.describe(res),
                                                         res.err[-300:].decode("utf-8", "replace"))
    with open(stem + ".out", "rb") as f:
        want = events(f.read().decode("utf-8", "replace"))
    r = compare(want, events(res.out.decode("utf-8", "replace")))
    return name, i, r[0] if r else "equal", r[1] if r else ""


def v8_start(made, names, suffix=".wasm", tag="v8"):
    """One V8 process per engine for every module of its sets (each
    STEM + SUFFIX): {engine: (Popen, out path)}."""
    procs = {}
    for engine in sorted({SETS[n][2] for n in names if SETS[n][2]}):
        paths = [stem + suffix for s, i, stem, err in made if stem and SETS[s][2] == engine]
        if not paths:
            continue
        lst = os.path.join(G["cache"], "%s-%s.list" % (tag, engine))
        with open(lst, "w") as f:
            f.write("\n".join(paths) + "\n")
        out = open(os.path.join(G["cache"], "%s-%s.out" % (tag, engine)), "wb")
        procs[engine] = (subprocess.Popen(["node", os.path.join(HERE, "v8_exec.mjs"), engine, lst],
                                          stdout=out, stderr=subprocess.PIPE), out)
    return procs


def v8_finish(procs):
    """{module path: V8's output, or None}; a failed engine's message in {engine: text}."""
    outs, failed = {}, {}
    for engine, (p, out) in procs.items():
        try:
            _, err = p.communicate(timeout=TIMEOUT * 20)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        out.close()
        with open(out.name, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        if p.returncode != 0 or not text.endswith("##### done\n"):
            failed[engine] = "V8 (%s) exit %s: %s" % (engine, p.returncode, err.decode()[-400:])
        path = None
        for line in text.splitlines():
            if line.startswith("##### "):
                path = line[6:]
                outs[path] = []
                continue
            outs[path].append(line)
    return {k: "\n".join(v) for k, v in outs.items()}, failed


def check_v8(item, outs, failed):
    """V8's verdict on one module, as compare() gives it, or None when V8 does not run it."""
    name, i, stem, err = item
    engine = SETS[name][2]
    if err or not engine:
        return None
    if engine in failed:
        return "mismatch", failed[engine]
    got = outs.get(stem + ".wasm")
    if got is None:
        return "mismatch", "V8 (%s) printed nothing for it" % engine
    if got.startswith("[v8 error"):
        for eng, rx, why in V8_REFUSES:
            if eng == engine and re.search(rx, got):
                return "explained", "V8 (%s) refuses it: %s" % (engine, why)
        return "mismatch", got
    with open(stem + ".out", "rb") as f:
        want = events(f.read().decode("utf-8", "replace"))
    return compare(want, events(got), "V8 (%s)" % engine) or ("equal", "")


MINMAX = re.compile(rb"\bf(32|64)(x[24])?\.(min|max)\b")


def nan_check(items, v8_outs):
    """For the modules ITEMS (mismatched by wlab-run or V8): {(name, i): why}
    for each whose differences are NaN bits, that is: binaryen, wlab-run and
    V8 all agree on the module `wasm-opt --denan` makes of it, where every
    float a NaN would reach is 0 instead, and wlab-run and V8 agree on the
    module itself (both take x86's NaNs; V8's output is V8_OUTS's), unless it
    has a float min or max: V8's give the canonical NaN (negative, x86's
    default NaN), wlab-run's the operand's NaN, quieted (nan_bits.wat's
    "min"). A bug of wlab-run's in NaN handling elsewhere would part it from
    V8; one in both from binaryen, only where --denan leaves a NaN."""
    jobs = []
    for name, i, stem, err in items:
        if not os.path.exists(stem + ".denan.out"):
            jobs.append((stem, [stem + ".wasm"] + SETS[name][0] + ["--denan", "-o", stem + ".denan.wasm"],
                         None))
    batch.run_all([(k, a, lambda k, r: None) for k, a, _ in jobs], G["wasm-opt"][-1], G["jobs"],
                  TIMEOUT * 4, harness.unlimited)
    outs = {}
    batch.run_all([(stem, [stem + ".denan.wasm"] + SETS[name][0] + ["--fuzz-exec-before"],
                    lambda k, r: outs.__setitem__(k, r)) for name, i, stem, err in items
                   if os.path.exists(stem + ".denan.wasm") and not os.path.exists(stem + ".denan.out")],
                  G["wasm-opt"][-1], G["jobs"], TIMEOUT * 4, harness.unlimited)
    for stem, r in outs.items():
        if r.rc == 0:
            with open(stem + ".denan.out", "wb") as f:
                f.write(r.out)
    items = [m for m in items if os.path.exists(m[2] + ".denan.out")]
    procs = v8_start(items, sorted({m[0] for m in items}), ".denan.wasm", "v8-denan")
    denan_v8, failed = v8_finish(procs)
    why = {}
    for name, i, stem, err in items:
        engine = SETS[name][2]
        runs = [harness.run([G["run"], "--fuzzing-support"] + SETS[name][1] + [stem + x], TIMEOUT)
                for x in (".wasm", ".denan.wasm")]
        if any(r.rc != 0 for r in runs) or engine in failed:
            continue
        got = [events(r.out.decode("utf-8", "replace")) for r in runs]
        v8 = [v8_outs.get(stem + ".wasm"), denan_v8.get(stem + ".denan.wasm")]
        if None in v8 or any(v.startswith("[v8 error") for v in v8):
            continue
        with open(stem + ".denan.out", "rb") as f:
            want = events(f.read().decode("utf-8", "replace"))
        if compare(want, got[1]) is not None or compare(want, events(v8[1]), "V8") is not None:
            continue
        if compare(events(v8[0]), got[0], "wlab-run") is None:
            why[(name, i)] = ("NaN bits: wlab-run and V8 (%s) agree, and all three agree on the "
                              "module without NaNs (wasm-opt --denan)" % engine)
            continue
        dis = harness.run([G["objdump"], "-d", stem + ".wasm"], TIMEOUT)
        if dis.rc == 0 and MINMAX.search(dis.out):
            why[(name, i)] = ("NaN bits: all three agree on the module without NaNs (wasm-opt "
                              "--denan); wlab-run and V8 (%s) differ, on a module with a float "
                              "min or max, whose NaN each picks its own way" % engine)
    return why


# Modules whose output through wasm_opt_batch.cjs is checked against a
# separate `node wasm-opt` process's, byte for byte, once per driver
# version (each costs a process's 1.5-2 s of CPU).
SAME_CHECK = [("mvp", 0), ("simd", 1), ("gc", 2)]


def same_check(names):
    """Checks SAME_CHECK's modules of the sets NAMES: the number that differ."""
    version = batch.driver_version()
    bad = 0
    for name, i in SAME_CHECK:
        if name not in names:
            continue
        stem = stem_of(name, i)
        mark = "%s.same-%s" % (stem, version)
        if os.path.exists(mark):
            continue
        seed = stem + ".check.seed"
        with open(seed, "wb") as f:
            f.write(seed_bytes(name, i))
        why = batch.same_as_alone(lambda argv, t: harness.run(argv, t, preexec_fn=harness.unlimited),
                                  G["wasm-opt"], stem, seed, SETS[name][0], TIMEOUT * 4,
                                  harness.unlimited)
        os.unlink(seed)
        if why:
            bad += 1
            print("MISMATCH %s-%d: wasm_opt_batch.cjs against wasm-opt alone: %s" % (name, i, why))
        else:
            open(mark, "w").close()
    return bad


def main():
    build = harness.build_dir()
    G["run"] = os.path.join(build, "bin", "wlab-run")
    G["objdump"] = os.path.join(build, "bin", "wlab-objdump")
    if not harness.need_tool(G["run"]):
        harness.write_result("differential.txt", 0, 1)
        return 2
    cmd, version = harness.oracle("wasm-opt")
    if cmd is None:
        print("differential: %s" % version)
        harness.write_result("differential.txt", 0, 1)
        return 1
    G["wasm-opt"], G["version"] = cmd, version
    G["cache"] = os.path.join(build, "cache", "differential")
    os.makedirs(G["cache"], exist_ok=True)
    names = (os.environ.get("DIFF_SETS") or " ".join(SETS)).split()
    count = {s: int(os.environ.get("DIFF_N") or (16 if harness.sanitized() else 128)) for s in names}
    tasks = [(s, i) for i in range(max(count.values())) for s in names if i < count[s]]
    G["jobs"] = os.cpu_count() or 2
    bad_batch = []
    t = threading.Thread(target=lambda: bad_batch.append(same_check(names)))
    t.start()   # beside the batch: a few single processes
    t0 = time.monotonic()
    fresh = make_oracles(tasks)
    t.join()
    t1 = time.monotonic()
    bad_batch = bad_batch[0] if bad_batch else 1
    mods = [made(s, i) for s, i in tasks]
    with multiprocessing.Pool(G["jobs"], harness.limit_memory, (4 << 30,)) as pool:
        procs = v8_start(mods, names)
        results = pool.map(check, mods, 8)
    t2 = time.monotonic()
    outs, failed = v8_finish(procs)
    t3 = time.monotonic()
    v8 = {(m[0], m[1]): check_v8(m, outs, failed) for m in mods}
    bad_mods = {(s, i) for s, i, verdict, _ in results if verdict == "mismatch"}
    bad_mods |= {k for k, r in v8.items() if r and r[0] == "mismatch"}
    nans = nan_check([m for m in mods if (m[0], m[1]) in bad_mods], outs) if bad_mods else {}
    for k, why in nans.items():
        if v8[k] and v8[k][0] == "mismatch":
            v8[k] = ("explained", "V8: " + why)
    results = [(s, i, "explained", nans[(s, i)]) if (s, i) in nans and verdict == "mismatch"
               else (s, i, verdict, detail) for s, i, verdict, detail in results]
    t4 = time.monotonic()
    counts = {}
    rank = {"equal": 0, "explained": 1, "mismatch": 2}
    for s, i, verdict, detail in sorted(results):
        c = counts.setdefault(s, {"equal": 0, "explained": 0, "mismatch": 0,
                                  "v8": {"equal": 0, "explained": 0, "mismatch": 0}})
        c[verdict] += 1
        if verdict == "mismatch" or (verdict == "explained" and "-v" in sys.argv):
            print("%s %s-%d: %s" % (verdict.upper(), s, i, detail))
        r = v8[(s, i)]   # None: V8 did not run it
        vv = r[0] if r else "equal"
        if r:
            c["v8"][vv] += 1
        if vv == "mismatch" or (vv == "explained" and "-v" in sys.argv):
            print("%s %s-%d: %s" % (vv.upper(), s, i, r[1]))
        if rank[vv] > rank[verdict]:
            c[verdict] -= 1
            c[vv] += 1
    for s in names:
        c = counts.get(s, {})
        e = SETS[s][2]
        cv = c.get("v8", {})
        print("differential %-13s %4d modules: %d equal, %d explained, %d mismatched%s" % (
            s, count[s], c.get("equal", 0), c.get("explained", 0), c.get("mismatch", 0),
            "; V8 (%s): %d equal, %d explained, %d mismatched" % (
                e, cv.get("equal", 0), cv.get("explained", 0), cv.get("mismatch", 0)) if e else ""))
    bad = sum(c["mismatch"] for c in counts.values()) + bad_batch
    good = len(results) - bad + bad_batch
    print("modules and oracle outputs: %s (wasm-opt -ttf SEED FLAGS --fuzz-exec-before; %d made now)"
          % (G["cache"], fresh))
    harness.write_result("differential.txt", good, bad)
    print("differential: binaryen %.1f s (%d modules made), wlab-run %.1f s, V8 %.1f s more, "
          "NaN checks of %d modules %.1f s (wall)" % (t1 - t0, fresh, t2 - t1, t3 - t2, len(bad_mods),
                                                      t4 - t3))
    print("differential: %d passed, %d failed" % (good, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
