"""harness.py: helpers shared by the Python test drivers (paths, limits, running tools)."""
import collections
import hashlib
import os
import re
import resource
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    """$BUILD as an absolute path; relative values are taken from the repo root."""
    b = os.environ.get("BUILD") or ("build-asan" if sanitized() else "build")
    return os.path.normpath(os.path.join(ROOT, b))


def sanitized():
    return os.environ.get("SANITIZE") == "1"


class Tally:
    """The checks of one case or file: how many passed, and the messages of those that
    failed. A worker returns it; the parent adds them up."""

    def __init__(self):
        self.passed, self.failures = 0, []

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failures.append(what)
        return cond


def sanitizer_sample(items, every=4):
    """ITEMS, or under SANITIZE=1 every EVERY-th of them in sorted order (the same
    sample each run): the plain pass checks every item, and the sanitizers find what
    they find at a fraction of the time (the CI runs both passes)."""
    items = sorted(items)
    return items[::every] if sanitized() else items


def module_files(build, subs=("spec", "corpus", "examples")):
    """Every .wasm under BUILD/SUB for each of SUBS, sorted, one path per distinct
    content: the spec conversion writes about 700 modules that another .wast file
    already holds byte for byte, and a suite whose checks do not depend on the file's
    name need not run them again."""
    found = []
    for sub in subs:
        for d, _, names in os.walk(os.path.join(build, sub)):
            found.extend(os.path.join(d, n) for n in names if n.endswith(".wasm"))
    seen, out = set(), []
    for p in sorted(found):
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).digest()
        if digest not in seen:
            seen.add(digest)
            out.append(p)
    return out


def child_env():
    """The environment for tools under test: sanitizer reports exit 134 so
    they are never mistaken for an ordinary exit 1 (decode error)."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "exitcode=134:detect_leaks=1:abort_on_error=0")
    env.setdefault("LSAN_OPTIONS", "exitcode=134")
    env.setdefault("UBSAN_OPTIONS", "exitcode=134:halt_on_error=1:print_stacktrace=1")
    env["LC_ALL"] = "C"
    return env


def limit_memory(nbytes):
    """Pool initializer: caps the address space of this worker and so of every
    child it runs. ASan reserves terabytes of shadow, so never under SANITIZE=1.
    Only the soft limit: unlimited() lifts it again for Node (the npm oracles),
    whose WebAssembly memories reserve gigabytes of address space."""
    if sanitized() or not nbytes:
        return
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY and hard < nbytes:
        nbytes = hard
    resource.setrlimit(resource.RLIMIT_AS, (nbytes, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def unlimited():
    """preexec_fn for a child that must not inherit limit_memory's cap."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class Result:
    __slots__ = ("rc", "out", "err", "timeout")

    def __init__(self, rc, out, err, timeout):
        self.rc, self.out, self.err, self.timeout = rc, out, err, timeout

    def crashed(self):
        """Killed by a signal, a sanitizer report (134) or any exit >= 128."""
        return self.timeout or self.rc < 0 or self.rc >= 128


def run(cmd, timeout, cwd=None, env=None, preexec_fn=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env or child_env(), timeout=timeout,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, preexec_fn=preexec_fn)
        return Result(p.returncode, p.stdout, p.stderr, False)
    except subprocess.TimeoutExpired as e:
        return Result(-9, e.stdout or b"", e.stderr or b"", True)
    except OSError as e:
        return Result(127, b"", str(e).encode(), False)


def describe(res):
    if res.timeout:
        return "timeout"
    if res.rc < 0:
        return "signal %d" % -res.rc
    return "exit %d" % res.rc

# wlab-run -v --spectest FILE prints "FILE: PASSED/TOTAL" on stdout and a line
# "FILE:LINE: COMMAND failed[: WHY]" on stderr per failing command.
SCRIPT_TOTAL = re.compile(r"^(.*): (\d+)/(\d+)$", re.M)
SCRIPT_FAILED = re.compile(r"^(.*?):(\d+): (.*?) failed(?:: (.*))?$")


def run_script(argv, rel, timeout, cwd=None):
    """wlab-run's script runner on one file (argv: the tool and its options, rel
    the file, relative to cwd): (state, passed, total, [(line, command, why)],
    stderr text, describe()). state is ok, crash (signal, sanitizer report,
    exit >= 128), hang (timeout) or unreadable (no "FILE: P/T" line, or the
    reader gave up on the whole script). The held-out scripts' one runner."""
    res = run(argv + ["-v", "--spectest", rel], timeout, cwd=cwd)
    out = res.out.decode("utf-8", "replace")
    err = res.err.decode("utf-8", "replace")
    m = SCRIPT_TOTAL.search(out)
    if res.timeout:
        state = "hang"
    elif res.crashed() or "Sanitizer" in err or "runtime error:" in err:
        state = "crash"
    elif not m or (int(m.group(3)) == 0 and err.strip()):
        state = "unreadable"
    else:
        state = "ok"
    fails = []
    for ln in err.splitlines():
        f = SCRIPT_FAILED.match(ln)
        if f and f.group(1) == rel:
            fails.append((int(f.group(2)), f.group(3), f.group(4) or ""))
    passed, total = (int(m.group(2)), int(m.group(3))) if m else (0, 0)
    return state, passed, total, fails, err, describe(res)


def objdump_oracle(cwd, base, new_validate, built=None):
    """The wabt version whose wasm-objdump is the oracle for module `base` (in
    cwd), by tests/compat/objdump_compat.py's rule: "1.0.32" (PATH) when its
    wasm-validate accepts it, "1.0.39" when 1.0.32's --enable-all or 1.0.39's
    (new_validate: its argv, from oracle()) accept it; else the version that
    built it (built), or 1.0.32 for a malformed or invalid one."""
    if run(["wasm-validate", base], 60, cwd=cwd).rc == 0:
        return "1.0.32"
    if run(["wasm-validate", "--enable-all", base], 60, cwd=cwd).rc == 0:
        return "1.0.39"
    if run(new_validate + ["--enable-all", base], 90, cwd=cwd, preexec_fn=unlimited).rc == 0:
        return "1.0.39"
    return "1.0.39" if built == "1.0.39" else "1.0.32"


# The suites' caches of oracle outputs ($BUILD/cache/SUITE/) hold text that
# compresses 10-15 times (a wasm-objdump -d of one of the corpus's larger objects
# is 200 MB): uncompressed, one make test wrote 7 GB there, and a CI run's
# disk filled. Each entry is one zlib stream (level 1), written whole or not at
# all; a damaged one is a miss.
def cache_get(path):
    """The bytes cache_put stored at path, or None."""
    try:
        with open(path, "rb") as f:
            return zlib.decompress(f.read())
    except (OSError, zlib.error):
        return None


def cache_put(path, data):
    tmp = "%s.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(zlib.compress(data, 1))
    os.replace(tmp, path)


def cached(path, make):
    """The bytes cached at path, else make()'s (stored unless None)."""
    data = cache_get(path)
    if data is None:
        data = make()
        if data is not None:
            cache_put(path, data)
    return data


def uleb(v):
    """v (>= 0) as unsigned LEB128: the test drivers' one writer of it."""
    out = bytearray()
    while True:
        b, v = v & 0x7f, v >> 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def read_leb(b, i, signed=False):
    """(value, next index) of the LEB128 at b[i] (signed: its sign bit extended):
    the test drivers' one reader of it; IndexError past the end of b."""
    v = shift = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7f) << shift
        shift += 7
        if not x & 0x80:
            if signed and x & 0x40:
                v -= 1 << shift
            return v, i


def sections(b):
    """(id, start, payload start, payload end) of each section of module bytes b,
    in order: the test drivers' one walk of a module's sections."""
    i = 8
    while i < len(b):
        size, j = read_leb(b, i + 1)
        yield b[i], i, j, j + size
        i = j + size


def custom_name(b, payload):
    """The name of the custom section whose payload starts at b[payload]."""
    n, k = read_leb(b, payload)
    return b[k:k + n]


def source_dir(var, what):
    """$VAR, the peer's source tree a by-hand check reads (scripts/heldout-*.py),
    or None after saying that nothing was done without it."""
    src = os.environ.get(var)
    if not src:
        print("%s: %s is not set (%s); nothing done"
              % (os.path.basename(sys.argv[0]).rsplit(".", 1)[0], var, what))
    return src


def write_result(name, passed, failed):
    d = os.path.join(build_dir(), "test-results")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write("%d %d\n" % (passed, failed))


def need_tool(path):
    if not os.access(path, os.X_OK):
        sys.stderr.write("missing %s (run: make BUILD=%s all testbins)\n"
                         % (path, os.environ.get("BUILD") or os.path.relpath(build_dir(), ROOT)))
        return False
    return True


def wlab_tools(build, *names):
    """The paths of wlab's tools NAMES in build (bin/, else the test tools of
    tests/bin/), or None after saying which is missing."""
    paths = []
    for n in names:
        p, t = os.path.join(build, "bin", n), os.path.join(build, "tests", "bin", n)
        paths.append(t if not os.access(p, os.X_OK) and os.access(t, os.X_OK) else p)
    return paths if all(need_tool(p) for p in paths) else None


ORACLES = os.path.join(ROOT, "tests", "oracles")


def oracle(tool):
    """(argv prefix, version) of a pinned npm oracle (tests/oracles: wabt 1.0.39's
    wasm-objdump, wasm-validate, wat2wasm...; binaryen 132's wasm-opt; typescript 5.9.3's tsc), or
    (None, why) when scripts/deps.sh has not installed it at the pinned version.
    Tests never download: a missing oracle fails the suite that needs it."""
    import json
    with open(os.path.join(ORACLES, "package.json")) as f:
        pins = json.load(f)["dependencies"]
    pkg = "binaryen" if tool.startswith("wasm-opt") or tool in (
        "wasm-as", "wasm-dis", "wasm-shell", "wasm-merge") else "typescript" if tool == "tsc" else "wabt"
    try:
        with open(os.path.join(ORACLES, "node_modules", pkg, "package.json")) as f:
            have = json.load(f)["version"]
    except (OSError, ValueError):
        have = None
    path = os.path.join(ORACLES, "node_modules", ".bin", tool)
    if have != pins[pkg] or not os.access(path, os.X_OK):
        return None, ("%s %s is not installed in tests/oracles (found %s); run: bash scripts/deps.sh"
                      % (pkg, pins[pkg], have or "nothing"))
    return ["node", path], pins[pkg]


FEATURE_ROW = re.compile(r'^WLAB_FEATURE\(\s*\d+,\s*\w+,\s*"([^"]+)",\s*([01])\)', re.M)


def feature_defaults():
    """{flag name: on by default} from libwasm/include/wlab/features.def, the one
    table of features. A feature still off by default is not implemented yet:
    each feature's engineer turns it on when it works."""
    with open(os.path.join(ROOT, "libwasm", "include", "wlab", "features.def")) as f:
        return {m.group(1): m.group(2) == "1" for m in FEATURE_ROW.finditer(f.read())}


def declared_features(path):
    """The features a corpus module was built with, from its NAME.features file
    (written by scripts/build-corpus.sh: features.def names, one line), or []."""
    stem = path[:-len(".o.wasm")] if path.endswith(".o.wasm") else path[:-len(".wasm")]
    try:
        with open(stem + ".features") as f:
            return f.read().split()
    except OSError:
        return []


def not_yet(path, defaults=None):
    """The features of `path` (declared_features) that libwasm does not have yet
    (off by default in features.def, or not in the table at all). A tool may fail on
    such a module without failing a test; callers count it apart as "not yet",
    never as passed."""
    defaults = defaults if defaults is not None else feature_defaults()
    return [f for f in declared_features(path) if not defaults.get(f, False)]


# The test tools (wlab-decode, wlab-validate) print FILE:0xOFFSET: error: MSG.
# The 2022 suite is WebAssembly 2.0: every driver that runs it pins the tools
# to 2.0, since 3.0 defaults change some 2.0 verdicts (threads: memory limits
# flag 2; multi-memory: a byte after memory.size is a memory index, "unknown
# memory", not "zero byte expected"; memory64: text offsets past 2^32-1).
SPEC_2_0 = ["--features=2.0"]

ERROR_LINE = re.compile(r"^(.*):0x([0-9a-f]+): error: (.*)$")
BATCH = 200


def run_batch(tool, paths):
    """{path: message or None}; falls back to one file at a time on a crash.
    tool is a path, or a list: the path and its options."""
    res = run((tool if isinstance(tool, list) else [tool]) + paths, timeout=60 + len(paths))
    if res.crashed() or res.rc not in (0, 1):
        if len(paths) > 1:
            out = {}
            for p in paths:
                out.update(run_batch(tool, [p]))
            return out
        return {paths[0]: "CRASH (%s): %s" % (describe(res),
                                             res.err.decode("utf-8", "replace")[-300:])}
    out = {p: None for p in paths}
    for line in res.err.decode("utf-8", "replace").splitlines():
        m = ERROR_LINE.match(line)
        if m and m.group(1) in out and out[m.group(1)] is None:
            out[m.group(1)] = m.group(3)
        elif not m:
            for p in paths:  # a line without an offset: keep it as the message
                if line.startswith(p + ":") and out[p] is None:
                    out[p] = "NO OFFSET: " + line[len(p) + 1:].strip()
    if res.rc == 1 and all(v is None for v in out.values()):
        for p in paths:
            out[p] = "exit 1 without a message"
    return out


def check_files(tool, paths):
    """{path: error message or None} for every path, batches run in parallel."""
    from concurrent.futures import ThreadPoolExecutor
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    got = {}
    with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        for r in ex.map(lambda b: run_batch(tool, b), batches):
            got.update(r)
    return got


# The by-hand held-out checks (scripts/heldout-*.py): wlab-watrt's round
# trip of a peer's .wast files (their script runs go through run_script).
def watrt_run(tool, cwd, rel, opts, out_dir, timeout, known=False):
    """wlab-watrt's round trip of every valid module of REL: (rel, Counter of
    verdicts, [what went wrong...]). KNOWN: REL's "same text" differences are
    explained (the text cannot show them) and count as "known"."""
    res = run([tool] + opts + ["-d", out_dir, rel], timeout, cwd=cwd)
    counts, bad = collections.Counter(), []
    if res.timeout or res.rc != 0:
        counts["crash"] += 1
        bad.append("%s: %s %s" % (rel, describe(res), res.err.decode("utf-8", "replace")[-300:]))
    for line in res.out.decode("utf-8", "replace").splitlines():
        where, mode, verdict, detail = (line.split("\t", 3) + ["", "", ""])[:4]
        if mode == "-":
            counts["skipped"] += 1
        elif verdict in ("identical", "reencoded"):
            counts["same"] += 1
        elif verdict == "differ" and detail.startswith("same text") and known:
            counts["known"] += 1
        else:
            counts[verdict] += 1
            bad.append("%s %s: %s: %s" % (where, mode, verdict, detail[:200]))
    return rel, counts, bad


def watrt_summary(rts):
    """Prints the round trips' totals; returns what went wrong, one line each."""
    rc, bad = collections.Counter(), []
    for _, c, b in rts:
        rc.update(c)
        bad += b
    print("round trip (wlab-watrt: text -> binary -> text -> binary, flat and folded): "
          "%d same, %d known (the text cannot show it), %d differ, %d parse, %d print, "
          "%d crash; %d modules not compared (not valid)" % (
              rc["same"], rc["known"], rc["differ"], rc["parse"], rc["print"], rc["crash"],
              rc["skipped"]))
    return ["round trip: " + b for b in bad]


def heldout_runs(args, memory, run_file, roundtrip, jobs, others, rt_tool, out_dir):
    """The pool phase of heldout-wasm-tools.py and heldout-wasmtime.py: every
    in-scope job (tool, dir, rel, opts) through run_file (which returns (rel,) +
    run_script()'s tuple) and, unless --no-roundtrip, wlab-watrt's round trip
    (roundtrip((rt_tool, dir, rel, opts, out_dir)) -> watrt_run()'s tuple); with
    --all the out-of-scope jobs too, with no options, for crashes and hangs only.
    Each child under an address-space limit of MEMORY. Returns (results,
    round trips, [what broke out of scope...])."""
    from concurrent.futures import ThreadPoolExecutor
    rt_ok = not args.no_roundtrip and os.access(rt_tool, os.X_OK)
    if rt_ok:
        os.makedirs(out_dir, exist_ok=True)
    with ThreadPoolExecutor(args.j, initializer=lambda: limit_memory(memory)) as pool:
        results = list(pool.map(run_file, jobs))
        rts = list(pool.map(roundtrip, [(rt_tool, d, rel, opts, out_dir)
                                        for _, d, rel, opts in jobs])) if rt_ok else []
        broke = []
        if args.all:
            for rel, state, _, _, _, err, how in pool.map(run_file, others):
                if state in ("crash", "hang"):
                    broke.append("%s (out of scope): %s (%s) %s" % (
                        rel, state, how, " ".join(err.strip().splitlines()[-3:])[:300]))
            if rt_ok:
                for rel, c, b in pool.map(roundtrip, [(rt_tool, d, rel, [], out_dir)
                                                      for _, d, rel, _ in others]):
                    broke += ["round trip (out of scope): " + x for x in b
                              if c["crash"] and x.startswith(rel + ": ")]
            print("out of scope, run with the default features for crashes and hangs only: "
                  "%d files, %d broke" % (len(others), len(broke)))
    return results, rts, broke


OBJDUMP_MODES = [["-h"], ["-x"], ["-d"]]


def heldout_binary(path, ours, wlab_validate, tools, timeout):
    """[(mode, verdict, detail)] of one held-out .wasm (heldout-binaryen.py,
    heldout-wamr.py): wlab-objdump (ours) -h, -x and -d against the wasm-objdump
    objdump_oracle() picks, byte for byte (stdout and exit status); and
    wlab_validate's verdict against wasm-validate 1.0.39 --enable-all and wasm-opt
    --all-features (tools: oracle()'s argv of wasm-validate, wasm-objdump and
    wasm-opt). Verdicts: identical, both-fail, differ, hang, crash, no-offset (an
    error without its byte offset), validate-agrees, validate-differs."""
    cwd, base = os.path.dirname(path), os.path.basename(path)
    version = objdump_oracle(cwd, base, tools["wasm-validate"])
    dump = ["wasm-objdump"] if version == "1.0.32" else tools["wasm-objdump"]
    rows = []
    for mode in OBJDUMP_MODES:
        ref = run(dump + mode + [base], 90, cwd=cwd, preexec_fn=unlimited)
        res = run([ours] + mode + [base], timeout, cwd=cwd)
        label = " ".join(mode)
        if res.timeout:
            rows.append((label, "hang", version))
        elif res.crashed() or b"Sanitizer" in res.err:
            rows.append((label, "crash", describe(res)))
        elif res.rc != 0 and b":0x" not in res.err:
            rows.append((label, "no-offset", res.err.decode("utf-8", "replace")[:200]))
        elif ref.rc == res.rc and ref.out == res.out:
            rows.append((label, "identical" if res.rc == 0 else "both-fail", version))
        elif ref.rc != 0 and res.rc != 0:
            rows.append((label, "both-fail", version))
        else:
            a = ref.out.decode("utf-8", "replace").splitlines()
            b = res.out.decode("utf-8", "replace").splitlines()
            first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            detail = "wabt %s exit %d, ours %d; first difference at line %d: %r vs %r" % (
                version, ref.rc, res.rc, first + 1, a[first] if first < len(a) else "(end)",
                b[first] if first < len(b) else "(end)")
            if res.rc != 0:
                detail += "; ours: " + res.err.decode("utf-8", "replace").strip()[:160]
            rows.append((label, "differ", detail))
    res = run([wlab_validate, base], timeout, cwd=cwd)
    if res.crashed() or b"Sanitizer" in res.err:
        rows.append(("validate", "crash", describe(res)))
    ours_ok = res.rc == 0
    why = res.err.decode("utf-8", "replace").strip().split("\n")[0][:160]
    for name, argv in (("wasm-validate 1.0.39", tools["wasm-validate"] + ["--enable-all"]),
                       ("wasm-opt", tools["wasm-opt"] + ["--all-features", "-o", os.devnull])):
        r = run(argv + [base], 90, cwd=cwd, preexec_fn=unlimited)
        if (r.rc == 0) != ours_ok:
            rows.append(("validate", "validate-differs", "%s %s, wlab-validate %s (%s); %s" % (
                name, "accepts" if r.rc == 0 else "refuses", "accepts" if ours_ok else "refuses",
                why, r.err.decode("utf-8", "replace").strip().split("\n")[0][:160])))
        else:
            rows.append(("validate", "validate-agrees", name))
    return rows


def heldout_binary_report(results, known, verbose):
    """Prints the totals of heldout_binary()'s rows ([(rel, rows)...]); KNOWN maps
    (rel, mode or "validate") to the reason of an examined difference. Returns the
    new ones, one line each."""
    c, new = collections.Counter(), []
    for rel, rows in results:
        for label, verdict, detail in rows:
            c[verdict] += 1
            if verdict in ("identical", "both-fail", "validate-agrees"):
                continue
            k = known.get((rel, label))
            if k:
                c["known " + verdict] += 1
                if verbose:
                    print("known %s [%s]: %s [%s]" % (rel, label, detail, k))
                continue
            new.append("%s [%s]: %s: %s" % (rel, label, verdict, detail))
    print("binary: %d files; objdump runs: %d identical, %d both fail, %d differ (%d known); "
          "validation: %d agree, %d differ (%d known); %d crash, %d hang, %d without an "
          "offset" % (len(results), c["identical"], c["both-fail"], c["differ"],
                      c["known differ"], c["validate-agrees"], c["validate-differs"],
                      c["known validate-differs"], c["crash"], c["hang"], c["no-offset"]))
    return new


def heldout_table(rows, cols):
    """Prints ROWS ({folder: Counter}) with the counters COLS [(heading, key)...]
    after files, commands and passed, and a total line."""
    keys = [("files", "files"), ("cmds", "commands"), ("passed", "passed")] + cols
    fmt = "%-36s" + "".join(" %" + str(max(5, len(h))) + "s" for h, _ in keys)
    print(fmt % (("folder",) + tuple(h for h, _ in keys)))
    tot = collections.Counter()
    for name, r in sorted(rows.items()):
        tot.update(r)
        print(fmt % ((name,) + tuple(r[k] for _, k in keys)))
    print(fmt % (("total",) + tuple(tot[k] for _, k in keys)))
    return tot
