#!/usr/bin/env python3
"""heldout-npm.py: the .wasm files that real npm packages ship (Go, Emscripten
and clang, Rust, WASI adapters) as held-out input for wlab-objdump, wlab-wat,
the validator and wlab-explore. Run by hand, never by `make test` (the
network is never a test dependency):

    NPM_WASM_DIR=DIR BUILD=build python3 scripts/heldout-npm.py [-v] [-j N]
        [--only objdump|wat|roundtrip|validate|explore] [--every-mode] [FILE...]

NPM_WASM_DIR is a folder holding the unpacked packages of PACKAGES below, one
folder per tarball, named after it; unset, the script says so and does
nothing. Make one with npm's own client (also in --help; 184 MB of
tarballs, 870 MB with them unpacked):

    mkdir DIR && cd DIR
    python3 WLAB/scripts/heldout-npm.py --list | while read -r p; do
        t=$(npm pack "$p" | tail -n 1); mkdir "${t%.tgz}"; tar -xzf "$t" -C "${t%.tgz}"
    done

The script reads each folder's package.json (FOLDER/package/package.json, as
npm pack's tarballs unpack) and checks the name and version against
PACKAGES: another version, or a package not pinned, is a failure (KNOWN is
about the pinned versions); a pinned package that is missing is said. FILEs
are paths relative to NPM_WASM_DIR (the default: every .wasm under it).

Each .wasm, run in its folder under its base name (the tools print it), once
per distinct content (a package ships one build for several bundlers: the
copies get its results):
  objdump   wlab-objdump -h, -x, -s, -d, and -h -x -d -s (the combined mode;
            on modules up to COMBINED_MAX bytes unless --every-mode: a -d of
            the larger ones is gigabytes, and the single modes cover them),
            against the wasm-objdump harness.objdump_oracle() picks (wabt 1.0.32
            for a WebAssembly 2.0 module, npm's 1.0.39 beyond; the rule of
            cmd/wlab-objdump/oracle.c): exit status and stdout byte for byte;
  wat       wlab-wat FILE against wasm2wat of the same version (1.0.39 with
            every feature but annotations and code metadata: WASM2WAT_139),
            exit status and stdout byte for byte;
  roundtrip `wlab-wat --custom-sections` (custom sections as (@custom ...),
            the name section too: the assembler writes no other names), its
            text assembled again by wlab-wat and printed again: the two texts
            the same bytes (and whether the binary is the original's);
  validate  `wlab-objdump --validate FILE` (wlab's validator without running
            anything, the default features: 3.0 + threads) against wabt's
            verdict (1.0.32's wasm-validate, else with --enable-all, else
            1.0.39's --enable-all) and Node's WebAssembly.validate;
  explore   `wlab-explore FILE` exits 0, and `wlab-explore --json FILE` exits 0
            and its output parses (with --depth EXPLORE_DEPTH for a module
            over EXPLORE_FULL_MAX bytes: the whole tree of esbuild.wasm, 14 MB,
            is 1 GB of JSON).
Outputs are compared by size and SHA-256, read as they stream (wasm-objdump
-d of esbuild.wasm is 2.0 GB); a new difference runs both sides again for
its first differing line. The oracles' results are cached by content hash,
oracle version and arguments in $BUILD/cache/heldout-npm/ (harness.cached),
since npm's wasm-objdump 1.0.39, run by Node, takes minutes on a 30 MB
module.

KNOWN lists the examined differences, (file, mode) -> why; a mode's summary
line counts them apart. Every tool runs under a timeout and, outside
SANITIZE=1, an address-space limit. Exit status: 0 when no new difference,
crash or hang; 1 when there is one; 2 when a tool or oracle is missing.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "spec"))
import harness  # noqa: E402

MAKE_DIR = __doc__[__doc__.index("NPM_WASM_DIR is a folder"):__doc__.index("The script reads")]

TIMEOUT = 3600 if harness.sanitized() else 600
ORACLE_TIMEOUT = 7200  # npm's wasm-objdump -d of a 30 MB module: many minutes
MEMORY = 12 << 30
COMBINED_MAX = 8 << 20
EXPLORE_FULL_MAX = 2 << 20
EXPLORE_DEPTH = 3
CACHE_FORMAT = "npm1"

# name, version (as npm pack takes it), how the package's .wasm files are built
PACKAGES = [
    ("esbuild-wasm", "0.28.2", "Go"),
    ("sql.js", "1.17.0", "Emscripten"),
    ("@sqlite.org/sqlite-wasm", "3.41.2", "Emscripten"),
    ("@ffmpeg/core", "0.12.10", "Emscripten"),
    ("@duckdb/duckdb-wasm", "1.32.0", "Emscripten"),
    ("canvaskit-wasm", "0.42.0", "Emscripten"),
    ("onnxruntime-web", "1.31.1", "Emscripten"),
    ("@jsquash/webp", "1.5.0", "Emscripten"),
    ("@jsquash/avif", "2.1.1", "Emscripten"),
    ("vscode-oniguruma", "2.0.1", "Emscripten"),
    ("web-tree-sitter", "0.27.2", "Emscripten"),
    ("tree-sitter-wasms", "0.1.13", "Emscripten (side modules)"),
    ("@jitl/quickjs-wasmfile-release-sync", "0.32.0", "Emscripten"),
    ("@bokuweb/zstd-wasm", "0.0.27", "Emscripten"),
    ("@swc/wasm", "1.16.21", "Rust"),
    ("@resvg/resvg-wasm", "2.6.2", "Rust"),
    ("lightningcss-wasm", "1.33.0", "Rust"),
    ("brotli-wasm", "3.0.1", "Rust"),
    ("tiktoken", "1.0.22", "Rust"),
    ("@biomejs/wasm-nodejs", "2.5.14", "Rust"),
    ("@oxc-parser/binding-wasm32-wasi", "0.156.0", "Rust (wasm32-wasip1-threads)"),
    ("@bytecodealliance/jco", "1.35.0", "Rust (WASI preview 1 adapters)"),
    ("@ruby/3.3-wasm-wasi", "2.10.1", "clang (wasi-sdk)"),
]

OBJDUMP_MODES = collections.OrderedDict([
    ("-h", ["-h"]), ("-x", ["-x"]), ("-s", ["-s"]), ("-d", ["-d"]),
    ("-h -x -d -s", ["-h", "-x", "-d", "-s"]),
])
# wasm2wat 1.0.39's features for a module beyond 2.0: --enable-all but
# annotations and code metadata, with which it prints every custom section as
# (@custom ...) and branch hints as annotations (wlab-wat: --custom-sections)
WASM2WAT_139 = ["--enable-exceptions", "--enable-threads", "--enable-function-references",
                "--enable-tail-call", "--enable-gc", "--enable-memory64", "--enable-multi-memory",
                "--enable-extended-const", "--enable-relaxed-simd"]
CHECKS = ("objdump", "wat", "roundtrip", "validate", "explore")

# Examined differences: (file relative to NPM_WASM_DIR, mode) -> why. Modes:
# the objdump modes above, "wat", "roundtrip", "validate wabt", "validate node",
# "explore", "explore --json".
TRY_TABLE = ("beyond 2.0: wasm2wat 1.0.39 prints a try_table's catch clauses on lines of their "
             "own after the label comment, each with its label's (;@N;); wlab-wat prints them "
             "on the try_table's line (docs/wlab-wat.md: the 3.0 syntax beyond 2.0)")
KNOWN = {
    ("onnxruntime-web-1.31.1/package/dist/ort-wasm-simd-threaded.jspi.wasm", "wat"): TRY_TABLE,
    ("onnxruntime-web-1.31.1/package/dist/ort-wasm-simd-threaded.jspi.wasm", "validate node"):
        "try_table, throw_ref and exnref (the exception handling of 3.0): Node 20's V8 does "
        "not ship them; wabt 1.0.39 and wlab accept the module",
}

NODE_VALIDATE = ("const fs = require('fs'); "
                 "process.stdout.write(WebAssembly.validate(fs.readFileSync(process.argv[1])) "
                 "? 'valid' : 'invalid')")


class Stream:
    """What a run printed, read as it streams: exit status, stdout's size and
    SHA-256 (or the text itself, keep=True), the end of stderr."""
    __slots__ = ("rc", "size", "sha", "err", "timeout", "text")

    def __init__(self, rc, size, sha, err, timeout, text=None):
        self.rc, self.size, self.sha, self.err = rc, size, sha, err
        self.timeout, self.text = timeout, text

    def same(self, other):
        return (self.rc, self.size, self.sha) == (other.rc, other.size, other.sha)

    def crashed(self):
        return self.timeout or self.rc < 0 or self.rc >= 128 or "Sanitizer" in self.err

    def to_json(self):
        return json.dumps([self.rc, self.size, self.sha, self.err]).encode()

    @staticmethod
    def from_json(data):
        rc, size, sha, err = json.loads(data)
        return Stream(rc, size, sha, err, False)


def stream(argv, cwd, timeout=TIMEOUT, node=False, keep=False):
    """Runs argv in cwd; node: an npm oracle, out of the address-space limit."""
    errf = tempfile.TemporaryFile()
    try:
        p = subprocess.Popen(argv, cwd=cwd, env=harness.child_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=errf,
                             preexec_fn=harness.unlimited if node else None)
    except OSError as e:
        errf.close()
        return Stream(127, 0, "", str(e), False)
    killed = []
    timer = threading.Timer(timeout, lambda: (killed.append(1), p.kill()))
    timer.start()
    h, size, chunks = hashlib.sha256(), 0, []
    while True:
        c = p.stdout.read(1 << 20)
        if not c:
            break
        h.update(c)
        size += len(c)
        if keep:
            chunks.append(c)
    rc = p.wait()
    timer.cancel()
    errf.seek(0, 2)
    errf.seek(max(0, errf.tell() - 2000))
    err = errf.read().decode("utf-8", "replace")
    errf.close()
    return Stream(rc, size, h.hexdigest(), err, bool(killed), b"".join(chunks) if keep else None)


def cached(key, make):
    """make()'s Stream (or bytes), cached under key in $BUILD/cache/heldout-npm/."""
    path = os.path.join(G["cache"], hashlib.sha256(key.encode()).hexdigest()[:40] + ".z")
    return harness.cached(path, make)


def oracle_stream(digest, version, tool, opts, base, cwd):
    """The Stream of wabt VERSION's tool (argv) with opts on the module, cached
    by the module's hash, the version, the tool's name and opts."""
    def make():
        s = stream(tool + opts + [base], cwd, timeout=ORACLE_TIMEOUT, node=tool[0] == "node")
        return None if s.timeout else s.to_json()
    key = "%s\0%s\0%s %s\0%s" % (CACHE_FORMAT, digest, os.path.basename(tool[-1]), version,
                                  " ".join(opts))
    data = cached(key, make)
    return Stream.from_json(data) if data else Stream(-9, 0, "", "timeout", True)


def wabt_verdict(digest, cwd, base):
    """[wasm-objdump version to follow, wabt's verdict, what said it], cached:
    harness.objdump_oracle()'s rule with its steps named."""
    def make():
        steps = [("1.0.32", "wasm-validate 1.0.32", ["wasm-validate"]),
                 ("1.0.39", "wasm-validate 1.0.32 --enable-all", ["wasm-validate", "--enable-all"]),
                 ("1.0.39", "wasm-validate 1.0.39 --enable-all",
                  G["npm"]["wasm-validate"] + ["--enable-all"])]
        for version, name, argv in steps:
            r = harness.run(argv + [base], ORACLE_TIMEOUT, cwd=cwd, preexec_fn=harness.unlimited)
            if r.rc == 0:
                return json.dumps([version, True, name]).encode()
        err = r.err.decode("utf-8", "replace").strip().split("\n")[0][:200]
        return json.dumps(["1.0.32", False, "wasm-validate 1.0.39 --enable-all (%s)" % err]).encode()
    return json.loads(cached("%s\0%s\0verdict" % (CACHE_FORMAT, digest), make))


def node_verdict(digest, cwd, base):
    def make():
        r = harness.run(["node", "-e", NODE_VALIDATE, base], TIMEOUT, cwd=cwd,
                        preexec_fn=harness.unlimited)
        return r.out if r.rc == 0 else None
    return (cached("%s\0%s\0node %s" % (CACHE_FORMAT, digest, G["node"]), make) or b"").decode()


def first_difference(a, b, cwd, node_a):
    """Where the outputs of argv a (the oracle) and b part: "line N: A | B"."""
    pa = subprocess.Popen(a, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          stdin=subprocess.DEVNULL, env=harness.child_env(),
                          preexec_fn=harness.unlimited if node_a else None)
    pb = subprocess.Popen(b, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          stdin=subprocess.DEVNULL, env=harness.child_env())
    n, out = 0, "the same text"
    while True:
        x, y = pa.stdout.readline(), pb.stdout.readline()
        n += 1
        if x != y:
            out = "line %d: %r | %r" % (n, x[:150].decode("utf-8", "replace") or "(end)",
                                        y[:150].decode("utf-8", "replace") or "(end)")
            break
        if not x:
            break
    for p in (pa, pb):
        p.kill()
        p.wait()
    return out


class Lazy:
    """A detail computed when first asked for (a first difference runs both
    sides again), once for the copies of a module too."""

    def __init__(self, make):
        self.make, self.value = make, None

    def __call__(self):
        if self.value is None:
            self.value = self.make()
        return self.value


def compare(rows, mode, ref, ours, version, argv_ref, argv_ours, cwd):
    """Appends (mode, verdict, detail) for one oracle comparison."""
    if ours.crashed():
        rows.append((mode, "hang" if ours.timeout else "crash",
                     "exit %d: %s" % (ours.rc, ours.err.strip()[-300:])))
    elif ref.timeout:
        rows.append((mode, "oracle-timeout", "wabt %s" % version))
    elif ref.same(ours):
        rows.append((mode, "identical" if ours.rc == 0 else "both-fail", version))
    else:
        rows.append((mode, "differ", Lazy(lambda: "wabt %s exit %d, %d bytes; ours exit %d, %d bytes%s; "
                     "first difference at %s" % (
                         version, ref.rc, ref.size, ours.rc, ours.size,
                         " (%s)" % ours.err.strip()[:160] if ours.rc else "",
                         first_difference(argv_ref, argv_ours, cwd, argv_ref[0] == "node")))))


def check_file(job):
    rel, only, every = job
    path = os.path.join(G["src"], rel)
    cwd, base = os.path.dirname(path), os.path.basename(path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    version, wabt_ok, wabt_why = wabt_verdict(digest, cwd, base)
    rows = []
    if only in (None, "objdump"):
        dump = ["wasm-objdump"] if version == "1.0.32" else G["npm"]["wasm-objdump"]
        for mode, args in OBJDUMP_MODES.items():
            if len(args) > 1 and not every and os.path.getsize(path) > COMBINED_MAX:
                continue
            ref = oracle_stream(digest, version, dump, args, base, cwd)
            ours = stream([G["objdump"]] + args + [base], cwd)
            compare(rows, mode, ref, ours, version, dump + args + [base],
                    [G["objdump"]] + args + [base], cwd)
    if only in (None, "wat"):
        w2w, opts = (["wasm2wat"], []) if version == "1.0.32" else (G["npm"]["wasm2wat"],
                                                                     WASM2WAT_139)
        ref = oracle_stream(digest, version, w2w, opts, base, cwd)
        ours = stream([G["wat"], base], cwd)
        compare(rows, "wat", ref, ours, version, w2w + opts + [base], [G["wat"], base], cwd)
    if only in (None, "roundtrip"):
        rows.append(roundtrip(path, digest))
    if only in (None, "validate"):
        ours = stream([G["objdump"], "--validate", base], cwd)
        if ours.crashed():
            rows.append(("validate wabt", "crash", "exit %d: %s" % (ours.rc, ours.err[-300:])))
        else:
            why = ours.err.strip().split("\n")[0][:200]
            ok = ours.rc == 0
            node = node_verdict(digest, cwd, base)
            for mode, theirs, how in (("validate wabt", wabt_ok, wabt_why),
                                      ("validate node", node == "valid", "Node " + G["node"])):
                if theirs == ok:
                    rows.append((mode, "agree", "valid" if ok else "invalid"))
                else:
                    rows.append((mode, "disagree", "wlab %s%s; %s %s" % (
                        "accepts" if ok else "refuses: ", "" if ok else why, how,
                        "accepts" if theirs else "refuses")))
    if only in (None, "explore"):
        r = stream([G["explore"], base], cwd)
        rows.append(("explore", "ok" if r.rc == 0 else "crash" if r.crashed() else "fails",
                     "exit %d: %s" % (r.rc, r.err.strip()[-300:])))
        full = os.path.getsize(path) <= EXPLORE_FULL_MAX
        argv = [G["explore"], "--json"] + ([] if full else ["--depth", str(EXPLORE_DEPTH)])
        r = stream(argv + [base], cwd, keep=True)
        verdict, detail = "ok", "full tree" if full else "--depth %d" % EXPLORE_DEPTH
        if r.rc != 0:
            verdict = "crash" if r.crashed() else "fails"
            detail = "exit %d: %s" % (r.rc, r.err.strip()[-300:])
        else:
            try:
                json.loads(r.text)
            except ValueError as e:
                verdict, detail = "fails", "the JSON does not parse: %s" % e
        rows.append(("explore --json", verdict, detail))
    return rel, rows


def roundtrip(path, digest):
    """wlab-wat --custom-sections FILE -> a.wat -> b.wasm -> c.wat (--custom-sections:
    the name section and the others kept, so that the names survive): a.wat and
    c.wat the same bytes; b.wasm the original's bytes or re-encoded."""
    d = os.path.join(G["tmp"], "rt.%d" % threading.get_ident())
    os.makedirs(d, exist_ok=True)
    a, b, c = (os.path.join(d, n) for n in ("a.wat", "b.wasm", "c.wat"))
    try:
        for step, (src, dst) in enumerate(((path, a), (a, b), (b, c))):
            r = harness.run([G["wat"]] + (["--custom-sections"] if step != 1 else []) +
                            [src, "-o", dst], TIMEOUT)
            if r.rc != 0:
                verdict = "crash" if r.crashed() or b"Sanitizer" in r.err else "fails"
                return ("roundtrip", verdict, "step %d (%s): %s %s" % (
                    step + 1, ("print", "assemble", "print again")[step], harness.describe(r),
                    r.err.decode("utf-8", "replace").strip()[:300]))
        with open(a, "rb") as x, open(c, "rb") as y:
            while True:
                p, q = x.read(1 << 20), y.read(1 << 20)
                if p != q:
                    return ("roundtrip", "differ", "the printed texts differ (%s)" % os.path.basename(path))
                if not p:
                    break
        with open(b, "rb") as x, open(path, "rb") as y:
            same = x.read() == y.read()
        return ("roundtrip", "same", "the binary is the original" if same else "re-encoded")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def packages(src):
    """{folder: (name, version)} of the unpacked packages under src, and the
    problems: a package not pinned, another version, a pinned one missing."""
    found, problems = {}, []
    pins = {n: v for n, v, _ in PACKAGES}
    for entry in sorted(os.listdir(src)):
        for pj in (os.path.join(src, entry, "package", "package.json"),
                   os.path.join(src, entry, "package.json")):
            if os.path.isfile(pj):
                with open(pj) as f:
                    meta = json.load(f)
                found[entry] = (meta.get("name"), meta.get("version", ""))
                break
    have = {}
    for entry, (name, version) in sorted(found.items()):
        base_version = version.split("+")[0]  # npm drops build metadata (3.41.2+build.1)
        have[name] = base_version
        if name not in pins:
            problems.append("%s: %s@%s is not in PACKAGES" % (entry, name, version))
        elif pins[name] != base_version:
            problems.append("%s: %s@%s, PACKAGES pins %s" % (entry, name, version, pins[name]))
    missing = ["%s@%s" % (n, v) for n, v, _ in PACKAGES if n not in have]
    return found, problems, missing


def wasm_files(src):
    out = []
    for d, dirs, names in os.walk(src):
        dirs.sort()
        out += [os.path.relpath(os.path.join(d, n), src) for n in names if n.endswith(".wasm")]
    return sorted(out)


GOOD = {"identical", "both-fail", "same", "agree", "ok"}
MODE_ORDER = list(OBJDUMP_MODES) + ["wat", "roundtrip", "validate wabt", "validate node",
                                    "explore", "explore --json"]


def report(results, verbose):
    per = collections.OrderedDict((m, collections.Counter()) for m in MODE_ORDER)
    new = []
    for rel, rows in results:
        for mode, verdict, detail in rows:
            c = per.setdefault(mode, collections.Counter())
            c[verdict] += 1
            if verdict in GOOD:
                continue
            if callable(detail):
                detail = detail() if verbose or not (
                    KNOWN.get((rel, mode)) or KNOWN.get((G["copy_of"].get(rel), mode))) else ""
            k = KNOWN.get((rel, mode)) or KNOWN.get((G["copy_of"].get(rel), mode))
            if k and verdict in ("differ", "disagree", "fails"):
                c["known"] += 1
                if verbose:
                    print("known %s [%s]: %s: %s [%s]" % (rel, mode, verdict, detail, k))
                continue
            new.append("%s [%s]: %s: %s" % (rel, mode, verdict, detail))
    for mode, c in per.items():
        if not c:
            continue
        rest = ", ".join("%d %s" % (n, v) for v, n in sorted(c.items())
                         if v not in GOOD and v not in ("known", "differ", "disagree", "fails"))
        if mode == "roundtrip":
            orig = sum(1 for _, rows in results for m, v, d in rows
                       if m == mode and v == "same" and d == "the binary is the original")
            head = "%d same text (the binary: %d the original's bytes, %d re-encoded)" % (
                c["same"], orig, c["same"] - orig)
        elif mode.startswith("validate"):
            head = "%d agree" % c["agree"]
        elif mode.startswith("explore"):
            head = "%d ok" % c["ok"]
        else:
            head = "%d identical, %d both fail" % (c["identical"], c["both-fail"])
        print("%-15s %s; %d differ%s (%d known)%s" % (
            mode + ":", head, c["differ"] + c["disagree"],
            ", %d fail" % c["fails"] if c["fails"] else "", c["known"],
            "; " + rest if rest else ""))
    return new


G = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=MAKE_DIR)
    ap.add_argument("-v", action="store_true", help="print every explained difference")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", choices=CHECKS)
    ap.add_argument("--every-mode", action="store_true",
                    help="the combined objdump mode on every module, not only up to %d MB"
                    % (COMBINED_MAX >> 20))
    ap.add_argument("--list", action="store_true",
                    help="print the pinned NAME@VERSION of each package and exit")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.list:
        for name, version, _ in PACKAGES:
            print("%s@%s" % (name, version))
        return 0
    src = harness.source_dir("NPM_WASM_DIR", "unpacked npm packages; see --help")
    if not src:
        return 0
    src = os.path.abspath(src)
    build = harness.build_dir()
    tools = harness.wlab_tools(build, "wlab-objdump", "wlab-wat", "wlab-explore")
    if not tools:
        return 2
    G.update(src=src, objdump=tools[0], wat=tools[1], explore=tools[2], npm={},
             cache=os.path.join(build, "cache", "heldout-npm"),
             tmp=os.path.join(build, "heldout-npm"))
    for t in ("wasm-objdump", "wasm-validate", "wasm2wat"):
        argv, why = harness.oracle(t)
        if argv is None:
            sys.exit("heldout-npm: " + why)
        G["npm"][t] = argv
    G["node"] = subprocess.run(["node", "--version"], stdout=subprocess.PIPE,
                               check=True).stdout.decode().strip()
    os.makedirs(G["cache"], exist_ok=True)
    os.makedirs(G["tmp"], exist_ok=True)

    found, problems, missing = packages(src)
    rels = args.files or wasm_files(src)
    by_pkg = collections.Counter(r.split(os.sep)[0] for r in rels)
    print("heldout-npm: %s, %d packages, %d .wasm files (%.0f MB); wabt %s and %s (npm), Node %s"
          % (src, len(found), len(rels),
             sum(os.path.getsize(os.path.join(src, r)) for r in rels) / 1e6,
             subprocess.run(["wasm-objdump", "--version"], stdout=subprocess.PIPE)
             .stdout.decode().strip(), harness.oracle("wasm-objdump")[1], G["node"]))
    pins = {n: t for n, _, t in PACKAGES}
    for entry, (name, version) in sorted(found.items()):
        print("  %-45s %-40s %3d .wasm  %s" % (entry, "%s@%s" % (name, version),
                                              by_pkg[entry], pins.get(name, "not pinned")))
    if missing:
        print("pinned but not found: " + " ".join(missing))
    # one run per distinct content (npm packages ship the same build for
    # several bundlers), the largest first, so that two workers end together
    first, copies = {}, {}
    for r in rels:
        with open(os.path.join(src, r), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        copies[r] = first.setdefault(digest, r)
    distinct = sorted(set(copies.values()), key=lambda r: -os.path.getsize(os.path.join(src, r)))
    print("%d distinct modules (%d files are byte for byte another's: counted with its results)"
          % (len(distinct), len(rels) - len(distinct)))
    jobs = [(r, args.only, args.every_mode) for r in distinct]
    with ThreadPoolExecutor(args.j, initializer=lambda: harness.limit_memory(MEMORY)) as pool:
        done = dict(pool.map(check_file, jobs))
    results = [(r, done[copies[r]]) for r in sorted(rels)]
    G["copy_of"] = copies
    new = ["version: " + p for p in problems] + report(results, args.v)
    for ln in new:
        print("FAIL " + ln)
    print("heldout-npm: %d new failures" % len(new))
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
