#!/usr/bin/env python3
"""run_fuzz.py: runs the libFuzzer targets of tests/fuzz/ (built by `make fuzz-build`).

Usage: BUILD=build [FUZZ_DIR=$BUILD/fuzz] [FUZZ_SECONDS=60] [FUZZ_TARGETS="run link"]
       [FUZZ_JOBS=N] [FUZZ_TIMEOUT=10] python3 tests/fuzz/run_fuzz.py [--ci] [--reseed]
(normally through `make fuzz`; docs/fuzzing.md.)

Seeds are made once into $FUZZ_DIR/seeds/TARGET/ (--reseed makes them again):
the binaries of the converted spec suite ($BUILD/spec), the modules of the 3.0
suite's scripts ($WASM_TESTSUITE3, read with $BUILD/tests/bin/wlab-wast), the
test corpus ($BUILD/corpus) and tests/fuzz/regress/; the (module ...) forms of
both suites' scripts and the repository's .wat files for the text parser; the
scripts themselves for the script reader; pairs of modules for the linker
(the tests/link cases, assembled with wlab-wat, and pairs of spec modules);
path operations for WASI. Inputs a target once crashed on, kept under
tests/fuzz/regressions/TARGET/, are seeds too.

Each target runs FUZZ_SECONDS with its own growing corpus in
$FUZZ_DIR/corpus/TARGET/ and the seeds (libFuzzer writes only the units it
finds to the corpus, so the seeds are read every run). A crash,
leak, timeout or sanitizer report leaves the input in
$FUZZ_DIR/artifacts/TARGET/ and fails the run; copy it to
tests/fuzz/regressions/TARGET/NAME (NAME saying what broke) once fixed. The
summary gives executions, coverage (libFuzzer's cov: edges, ft: features) and
the corpus size per target.

--ci: the short run of `make test` (suite `libfuzzer`): FUZZ_SECONDS defaults
to 3, each target starts from a fixed sample of 150 seeds of at most 16 KB
(made again each run, in $FUZZ_DIR/ci/) and its regressions, targets run os.cpu_count() at a
time; writes $BUILD/test-results/libfuzzer.txt (a target that ran clean
passes).
"""
import glob
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spec"))
import harness  # noqa: E402
import regressions  # noqa: E402

ROOT = harness.ROOT
BIN_TARGETS = ("decode", "validate", "run", "watprint")
SEED_MAX = {"bin": 100 << 10, "wat": 64 << 10, "wast": 256 << 10, "link": 64 << 10}
CI_SEEDS = 150
CI_MAX = 16 << 10
STATUS = re.compile(rb"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", re.M)
STAT = re.compile(rb"^stat::(\w+):\s+(\d+)", re.M)


def suite3():
    s = os.environ.get("WASM_TESTSUITE3") or os.path.join(ROOT, "..", "shared", "wasm-testsuite-3")
    return os.path.normpath(os.path.join(ROOT, s))


def suite2():
    s = os.environ.get("WASM_TESTSUITE") or os.path.join(ROOT, "..", "shared", "wasm-testsuite")
    return os.path.normpath(os.path.join(ROOT, s))


def wast_files():
    out = []
    for d in (suite2(), suite3()):
        out += sorted(glob.glob(os.path.join(d, "*.wast")) +
                      glob.glob(os.path.join(d, "*", "*.wast")) +
                      glob.glob(os.path.join(d, "proposals", "*", "*.wast")))
    return out + sorted(glob.glob(os.path.join(ROOT, "tests", "run", "*.wast")))


def save(d, data, limit):
    if len(data) > limit:
        return
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def module_forms(text):
    """The top-level (module ...) forms of a script, as bytes; strings, line and
    block comments skipped when matching parentheses."""
    out, i, n = [], 0, len(text)
    depth, start = 0, -1
    while i < n:
        c = text[i:i + 1]
        if c == b'"':
            i += 1
            while i < n and text[i:i + 1] != b'"':
                i += 2 if text[i:i + 1] == b"\\" else 1
        elif text.startswith(b";;", i):
            j = text.find(b"\n", i)
            i = n if j < 0 else j
        elif text.startswith(b"(;", i):
            j = text.find(b";)", i)
            i = n if j < 0 else j + 1
        elif c == b"(":
            if depth == 0 and text.startswith(b"(module", i):
                start = i
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0 and start >= 0:
                out.append(text[start:i + 1])
                start = -1
        i += 1
    return out


def wast_modules(wast, tool, tmp):
    """The binary modules the script reader builds from wast (every feature)."""
    d = tempfile.mkdtemp(dir=tmp)
    harness.run([tool, "--features=all", "-d", d, wast], 60)
    out = []
    for p in glob.glob(os.path.join(d, "*.wasm")):
        with open(p, "rb") as f:
            out.append(f.read())
    shutil.rmtree(d, ignore_errors=True)
    return out


WASI_SEEDS = [
    # [op][flags] path \0 path2 \0 ...: op 0 open, 1 filestat, 2 mkdir, 3 rmdir, 4 unlink,
    # 5 readlink, 6 rename, 7 symlink, 8 link, 9 set_times; flags bit 0 follows symlinks.
    b"\x00\x01file\x00\x00", b"\x00\x01up\x00\x00", b"\x00\x01abs\x00\x00",
    b"\x00\x01sub/parent/file\x00\x00", b"\x00\x01sub/grandparent/outside/secret\x00\x00",
    b"\x00\x01../outside/secret\x00\x00", b"\x00\x03new\x00\x00", b"\x01\x01loop\x00\x00",
    b"\x01\x00dangling\x00\x00", b"\x02\x00d\x00\x00\x06\x00d\x00e\x00\x03\x00e\x00\x00",
    b"\x05\x40rel\x00\x00", b"\x05\x40up\x00\x00", b"\x07\x00l\x00/etc\x00\x00\x01l/passwd\x00\x00",
    b"\x07\x00l\x00..\x00\x00\x03l/outside/new\x00\x00", b"\x08\x00file\x00hard\x00",
    b"\x08\x01up\x00stolen\x00", b"\x06\x00file\x00../moved\x00", b"\x04\x00sub/parent/file\x00\x00",
    b"\x09\x0asub/inner\x00\x00", b"\x00\x09sub/\x00\x00", b"\x02\x00./a/../b\x00\x00",
]


def make_seeds(build, seeds, quick=False):
    """Seeds of every target into seeds/TARGET/. quick (the CI run): a fixed
    sample of CI_SEEDS per target, taken before the expensive steps."""
    shutil.rmtree(seeds, ignore_errors=True)
    tmp = tempfile.mkdtemp(prefix="wlab-seeds-")
    rng = random.Random(15)

    def pick(paths):
        paths = sorted(p for p in paths if not quick or os.path.getsize(p) <= CI_MAX)
        return rng.sample(paths, min(CI_SEEDS, len(paths))) if quick else paths

    bin_paths = pick(glob.glob(os.path.join(build, "spec", "*", "*.wasm")) +
                     glob.glob(os.path.join(build, "corpus", "**", "*.wasm"), recursive=True) +
                     glob.glob(os.path.join(HERE, "regress", "*.wasm")))
    bins = [read(p) for p in bin_paths]
    wast_tool = os.path.join(build, "tests", "bin", "wlab-wast")
    texts = []
    for p in pick(wast_files()):
        text = read(p)
        save(os.path.join(seeds, "wast"), text, SEED_MAX["wast"])
        texts += module_forms(text)
        if p.startswith(suite3()) and not quick:
            bins += wast_modules(p, wast_tool, tmp)
    texts += [read(p) for p in glob.glob(os.path.join(ROOT, "tests", "**", "*.wat"), recursive=True)
              if "node_modules" not in p]
    for t in rng.sample(texts, min(CI_SEEDS, len(texts))) if quick else texts:
        save(os.path.join(seeds, "wat"), t, SEED_MAX["wat"])
    for t in BIN_TARGETS:
        for b in bins:
            save(os.path.join(seeds, t), b, SEED_MAX["bin"])
    pairs = link_pairs(build, tmp)
    small = [b for b in bins if len(b) < 4096]
    pairs += [(rng.choice(small), rng.choice(small)) for _ in range(50 if quick else 300)] if small else []
    for a, b in pairs:
        save(os.path.join(seeds, "link"), len(a).to_bytes(2, "little") + a + b, SEED_MAX["link"])
    for s in WASI_SEEDS:
        save(os.path.join(seeds, "wasi_path"), s, 1 << 10)
    shutil.rmtree(tmp, ignore_errors=True)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def link_pairs(build, tmp):
    """(A, B) of each pair of modules in a tests/link case, assembled with wlab-wat
    (with GC, which fuzz_link enables: tests/link/gc links two GC modules)."""
    wat = os.path.join(build, "bin", "wlab-wat")
    pairs = []
    for case in sorted(glob.glob(os.path.join(ROOT, "tests", "link", "*", ""))):
        mods = []
        for w in sorted(glob.glob(os.path.join(case, "*.wat"))):
            out = os.path.join(tmp, "m.wasm")
            if harness.run([wat, w, "-o", out], 30).rc == 0:  # GC too: on by default
                with open(out, "rb") as f:
                    mods.append(f.read())
        pairs += [(a, b) for i, a in enumerate(mods) for b in mods[i + 1:] if len(a) < 65536]
    return pairs


def targets(fuzz_dir):
    names = sorted(os.path.basename(p)[5:-2] for p in glob.glob(os.path.join(HERE, "fuzz_*.c")))
    only = os.environ.get("FUZZ_TARGETS", "").split()
    return [n for n in names if not only or n in only]


def fuzz_one(task):
    name, binary, dirs, secs, art, log, extra = task
    os.makedirs(art, exist_ok=True)
    # libFuzzer's -timeout is wall time per input: on a loaded machine (or at nice 19) a
    # starved process reports inputs that run in milliseconds as timeouts; FUZZ_TIMEOUT
    # raises it for long runs beside other work.
    limit = int(os.environ.get("FUZZ_TIMEOUT") or 10)
    cmd = ([binary] + dirs + ["-max_total_time=%d" % secs, "-print_final_stats=1",
                              "-artifact_prefix=%s/" % art, "-timeout=%d" % limit,
                              "-rss_limit_mb=2560"]
           + extra)
    env = harness.child_env()
    env.pop("ASAN_OPTIONS", None)   # libFuzzer's own defaults: every report is a crash
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    t0 = time.time()
    with open(log, "wb") as f:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                           env=env, timeout=secs + 600)
    with open(log, "rb") as f:
        out = f.read()
    st = STATUS.findall(out)
    stats = {k.decode(): int(v) for k, v in STAT.findall(out)}
    found = re.findall(rb"(?:Test unit written to|artifact_prefix.*?; Test unit written to) (\S+)", out)
    return {"name": name, "rc": p.returncode, "secs": time.time() - t0,
            "execs": stats.get("number_of_executed_units", int(st[-1][0]) if st else 0),
            "cov": int(st[-1][1]) if st else 0, "ft": int(st[-1][2]) if st else 0,
            "corp": int(st[-1][3]) if st else 0, "rss": stats.get("peak_rss_mb", 0),
            "found": [x.decode() for x in found], "log": log}


# libFuzzer writes a slow-unit-* artifact for an input that took over 10 s of wall time
# (-report_slow_units) without failing the run; a starved process makes them from inputs that
# run in milliseconds. Each is run again alone: still slower than SLOW seconds, it fails the
# run; faster, it is only noted.
SLOW = 5


def rerun_alone(binary, artifact):
    """Wall seconds of one run of the target on one input, None if it failed or hung."""
    env = harness.child_env()
    env.pop("ASAN_OPTIONS", None)
    t0 = time.time()
    try:
        p = subprocess.run([binary, artifact], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    return time.time() - t0 if p.returncode == 0 else None


def main():
    ci, reseed = "--ci" in sys.argv, "--reseed" in sys.argv
    build = harness.build_dir()
    fuzz_dir = os.path.abspath(os.environ.get("FUZZ_DIR") or os.path.join(build, "fuzz"))
    secs = int(os.environ.get("FUZZ_SECONDS") or (3 if ci else 60))
    names = targets(fuzz_dir)
    missing = [n for n in names if not os.access(os.path.join(fuzz_dir, "fuzz_" + n), os.X_OK)]
    for tool in (os.path.join(build, "tests", "bin", "wlab-wast"), os.path.join(build, "bin", "wlab-wat")):
        if not harness.need_tool(tool):
            missing.append(tool)
    if missing or not names:
        print("libfuzzer: missing %s (make fuzz-build FUZZ_DIR=%s)" % (" ".join(missing), fuzz_dir))
        if ci:
            harness.write_result("libfuzzer.txt", 0, 1)
        return 2
    seeds = os.path.join(fuzz_dir, "ci" if ci else "seeds")
    if ci or reseed or not os.path.isdir(seeds):
        t0 = time.time()
        make_seeds(build, seeds, quick=ci)
        print("seeds: %s in %.0f s" % (", ".join("%s %d" % (n, len(os.listdir(os.path.join(seeds, n))))
                                               for n in names if os.path.isdir(os.path.join(seeds, n))),
                                     time.time() - t0))
    tasks = []
    for n in names:
        regress = regressions.inputs(build, n)
        seed_dir = os.path.join(seeds, n)
        if ci:
            os.makedirs(seed_dir, exist_ok=True)
            for r in regress:
                shutil.copy(r, seed_dir)
            dirs, extra = [seed_dir], ["-max_len=65536", "-seed=15"]
        else:
            work = os.path.join(fuzz_dir, "corpus", n)
            os.makedirs(work, exist_ok=True)
            dirs = [work, seed_dir]   # libFuzzer keeps only new units in work, not the seeds
            dirs += sorted({os.path.dirname(r) for r in regress})
            extra = []
        tasks.append((n, os.path.join(fuzz_dir, "fuzz_" + n), dirs, secs,
                      os.path.join(fuzz_dir, "artifacts", n), os.path.join(fuzz_dir, "logs", n + ".log"),
                      extra))
    os.makedirs(os.path.join(fuzz_dir, "logs"), exist_ok=True)
    jobs = int(os.environ.get("FUZZ_JOBS") or (os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(fuzz_one, tasks))
    print("%-10s %6s %10s %8s %8s %8s %7s  %s" % ("target", "secs", "execs", "cov", "ft", "corpus",
                                                  "rss_mb", "result"))
    bad = 0
    for r, t in zip(results, tasks):
        notes = []
        for slow in [a for a in r["found"] if os.path.basename(a).startswith("slow-unit-")]:
            secs = rerun_alone(t[1], slow)
            if secs is not None and secs < SLOW:
                r["found"].remove(slow)
                notes.append("slow unit %s reran alone in %.2f s" % (os.path.basename(slow), secs))
        ok = r["rc"] == 0 and not r["found"]
        bad += not ok
        print("%-10s %6.0f %10d %8d %8d %8d %7d  %s" % (
            r["name"], r["secs"], r["execs"], r["cov"], r["ft"], r["corp"], r["rss"],
            ("ok" if ok else "FAILED (exit %d) %s; log %s" % (r["rc"], " ".join(r["found"]), r["log"]))
            + "".join(" (%s)" % n for n in notes)))
    if bad:
        print("libfuzzer: reproduce with $FUZZ_DIR/fuzz_TARGET ARTIFACT; once fixed, copy the "
              "input to tests/fuzz/regressions/TARGET/NAME")
    if ci:
        harness.write_result("libfuzzer.txt", len(results) - bad, bad)
        shutil.rmtree(seeds, ignore_errors=True)
    print("libfuzzer: %d passed, %d failed" % (len(results) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
