#!/usr/bin/env python3
"""objdump_compat.py: compares wlab-objdump with wabt's wasm-objdump, byte for byte.

Usage: objdump_compat.py [--quick] [--every-mode] [--mode NAME]... [-j N] [FILE...]
Inputs are every .wasm under $BUILD/spec, $BUILD/corpus and $BUILD/examples
(one file per distinct content), or the FILEs given. Both tools run in the
file's directory with its base name as argument.

The oracle, per module: wabt 1.0.32 (Debian's wasm-objdump) where its
wasm-validate accepts the module (WebAssembly 2.0); wabt 1.0.39 (the npm
package pinned in tests/oracles, run by Node) for a module beyond 2.0: one
1.0.32's validator refuses but accepts with its `--enable-all` (threads,
memory64, tail calls, legacy exceptions), or one built with features beyond
2.0 (NAME.features) that 1.0.32 cannot read (binaryen's exnref and
typed-reference modules) or 1.0.39's `wasm-validate --enable-all` accepts.
Other modules 1.0.32 refuses are malformed or invalid 2.0 modules (the
spec's) and keep 1.0.32, as before.
When the oracle exits 0, ours must exit 0 with identical stdout; when it
fails, ours must not crash or hang, and a non-zero exit must name an offset
(`0x`) on stderr if wabt named one. Exception, counted apart as "not yet" and
never as passed: the oracle dumps a module, wlab-objdump fails on it, and the
module was built with a feature libwasm does not have yet (its NAME.features
file names a feature that libwasm/include/wlab/features.def still has off;
harness.not_yet). Once that feature is on by default, the same module fails
the test unless it matches.

Both tools dump the files of one directory in runs of up to BATCH files
(split(): each file's output starts with its "file format" line; a file a
run stops at runs alone, as does every file the oracle fails on): a third of
the processes, 0.58x the CPU time of one run per file and mode.
Oracle outputs (zlib, harness.cache_put) and choices are cached by content hash and oracle version in
$BUILD/cache/objdump/. Diffs go to $BUILD/compat/diffs/<mode>/, counts to
$BUILD/test-results/objdump-compat.txt.
"""
import argparse
import collections
import difflib
import hashlib
import multiprocessing
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

MODES = collections.OrderedDict([
    ("h", ["-h"]),
    ("x", ["-x"]),
    ("d", ["-d"]),
    ("s", ["-s"]),
    ("x-d", ["-x", "-d"]),
    ("h-x-d-s", ["-h", "-x", "-d", "-s"]),
    ("d-r", ["-d", "-r"]),
    ("x-r", ["-x", "-r"]),
    ("x-offsets-d", ["-x", "--section-offsets", "-d"]),
    ("j-Type-x", ["-j", "Type", "-x"]),
    ("j-Import-x", ["-j", "Import", "-x"]),
    ("j-Code-d", ["-j", "Code", "-d"]),
    ("j-name-x", ["-j", "name", "-x"]),
])
# Which files a mode runs on (make test; --every-mode runs every mode on every file): -x
# and -d on all; -h and -s on every corpus and example module and a fixed half of the
# spec's (thousands of small modules whose headers and hex rows are alike); -r only where
# there are relocations to print (on a module without reloc.* sections its output is
# that of the mode without -r); the combined and -j/--section-offsets modes on every
# corpus program and example, every other relocatable object (578 much-alike clang
# objects) and a fixed quarter of the spec's modules (which the single modes cover).
FULL_MODES = {"x", "d"}
HALF_SPEC_MODES = {"h", "s"}
RELOC_MODES = {"d-r", "x-r"}
TIMEOUT = 10
MEMORY = 2 << 30
WABT_OFFSET = re.compile(rb"^[0-9a-f]{7}: error:", re.M)
# Failures that are about the options, not the bytes, need no offset (wabt can
# fail on bytes ours accepts, e.g. a valid elem segment, and then -j finds nothing).
NOT_AN_ERROR_IN_BYTES = re.compile(rb"^Section not found", re.M)
G = {}  # per-worker settings, set by init()

# Spec modules that wasm-objdump 1.0.32 dumps although the spec rejects them as
# malformed. wlab-objdump rejects them with the offset; that much is checked,
# and they are reported apart, neither passed nor failed.
KNOWN_MALFORMED = {
    "binary.56.wasm": "function type form written as a two-byte LEB128 (e0 7f)",
    "custom.4.wasm": "custom section of size 0, with no name",
    "custom.5.wasm": "custom section of size 0, with no name",
}


def init(settings):
    G.update(settings)
    harness.limit_memory(MEMORY)


# wasm-objdump 1.0.32 prints a funcref/externref/v128 global's init from
# uninitialised memory: as a number of the wrong type, as global=<garbage>,
# or as nothing at all (the line then runs into the next). Two runs often
# differ, but not always, so the shapes that cannot be right count as
# unstable too (wlab-objdump prints the true initialiser there).
WABT_GARBAGE = re.compile(
    rb"global\[\d+\] (?:funcref|externref|v128) mutable=[01](?: <[^>\n]*>)?"
    rb"(?: - init (?:i32|i64|f32|f64)=| - init global=\d{7,}|(?! - init))")


# Only those globals' lines are ever unstable, so only an output with one runs twice.
WABT_UNINIT = re.compile(rb"global\[\d+\] (?:funcref|externref|v128) ")


def garbage(oracle, out):
    """1.0.32's shapes of uninitialised memory (1.0.39 prints those inits)."""
    return not oracle[0] and bool(WABT_GARBAGE.search(out))


def tool(oracle, name):
    """argv of wabt tool `name` of an oracle (npm ones run by Node)."""
    return ["node", os.path.join(oracle[0], name)] if oracle[0] else [name]


def beyond(path, cwd, base):
    """Whether a module 1.0.32's wasm-validate refuses goes beyond 2.0: 1.0.32
    accepts it with its --enable-all (threads, memory64, tail calls, legacy
    exceptions...), or it was built with features beyond 2.0 (NAME.features)
    and 1.0.32 cannot read it (`-x -d`: binaryen's exnref and typed-reference
    modules) or 1.0.39's validator accepts it. Else it is a malformed or
    invalid 2.0 module (the spec's), which keeps 1.0.32. Node is slow: it
    runs only for the corpus modules built beyond 2.0."""
    if harness.run(["wasm-validate", "--enable-all", base], TIMEOUT, cwd=cwd).rc == 0:
        return True
    if not harness.declared_features(path):
        return False
    if harness.run(["wasm-objdump", "-x", "-d", base], TIMEOUT, cwd=cwd).rc != 0:
        return True
    return harness.run(tool(G["new"], "wasm-validate") + ["--enable-all", base], TIMEOUT * 6,
                       cwd=cwd, preexec_fn=harness.unlimited).rc == 0


def choose(path, digest):
    """G["old"] or G["new"], the oracle for this module: (npm bin dir or None, version)."""
    key = hashlib.sha256(("%s\0%s\0rule 3" % (G["old"][1], G["new"][1])).encode()).hexdigest()[:16]
    stem = os.path.join(G["cache"], "%s-oracle-%s" % (digest, key))
    try:
        with open(stem) as f:
            name = f.read().strip()
    except OSError:
        name = None
    if name not in (G["old"][1], G["new"][1]):
        cwd, base = os.path.dirname(path), os.path.basename(path)
        name = G["old"][1]
        if harness.run(["wasm-validate", base], TIMEOUT, cwd=cwd).rc != 0:
            name = G["new"][1] if beyond(path, cwd, base) else G["old"][1]
        tmp = "%s.%d" % (stem, os.getpid())
        with open(tmp, "w") as f:
            f.write(name + "\n")
        os.replace(tmp, stem)
    return (G["old"] if name == G["old"][1] else G["new"])


def reference_stem(path, digest, mode, version):
    """Where the oracle's result for this file and mode is cached."""
    key = hashlib.sha256(("%s\0%s\0%s" % (version, os.path.basename(path), " ".join(MODES[mode])))
                         .encode()).hexdigest()[:16]
    return os.path.join(G["cache"], "%s-%s" % (digest, key))


def cached(stem, oracle):
    """(Result, whether it is unstable) from the cache, or None."""
    got = harness.cache_get(stem + ".z")
    if got is None or b"\0" not in got:
        return None
    head, _, rest = got.partition(b"\0")
    try:
        rc, nerr = (int(x) for x in head.split())
    except ValueError:
        return None
    out, err = rest[:len(rest) - nerr], rest[len(rest) - nerr:]
    return (harness.Result(rc, out, err, False),
            os.path.exists(stem + ".unstable") or garbage(oracle, out))


def store(stem, res, unstable):
    """One entry per file and mode: "RC LEN(err)\0" then stdout, then stderr."""
    if res.timeout:
        return
    if unstable:
        open(stem + ".unstable", "w").close()
    harness.cache_put(stem + ".z", b"%d %d\0" % (res.rc, len(res.err)) + res.out + res.err)


def oracle_run(oracle, mode, bases, cwd):
    timeout, pre = (TIMEOUT * 6, harness.unlimited) if oracle[0] else (TIMEOUT, None)
    return harness.run(tool(oracle, "wasm-objdump") + MODES[mode] + bases, timeout * len(bases),
                       cwd=cwd, preexec_fn=pre)


def reference_alone(oracle, path, mode, stem):
    """(Result, unstable) of wasm-objdump on this one file: 1.0.32 runs twice
    where it prints a funcref, externref or v128 global, since it prints
    uninitialised memory for those inits (v128, ref.func, ref.null)."""
    args = (oracle, mode, [os.path.basename(path)], os.path.dirname(path))
    res = oracle_run(*args)
    unstable = garbage(oracle, res.out)
    if not oracle[0] and not unstable and WABT_UNINIT.search(res.out):
        again = oracle_run(*args)
        unstable = (again.rc, again.out) != (res.rc, res.out)
    store(stem, res, unstable)
    return res, unstable


# Both wasm-objdump and wlab-objdump dump several files in one run, each after
# this line, and stop at the first file they fail on (after its line, if they
# could open it). Runs of BATCH files save the start of a process per file and
# mode (tens of thousands of processes in make test; 8-12 ms each on some machines).
# A run's output stays in memory (a -d of one of the corpus's larger objects
# is tens of megabytes): a batch holds at most BATCH_BYTES of input, and a
# larger file runs alone.
BATCH = 32
BATCH_BYTES = 512 << 10
HEADER = b"\n%s:\tfile format wasm 0x1\n"


def batches(items):
    """[(path, digest)] of one directory in runs of at most BATCH files and BATCH_BYTES."""
    out, size = [], 0
    for item in items:
        n = os.path.getsize(item[0])
        if out and (len(out[-1]) == BATCH or size + n > BATCH_BYTES):
            out.append([])
            size = 0
        if not out:
            out.append([])
        out[-1].append(item)
        size += n
    return out


def split(res, bases):
    """The outputs of the files a many-file run dumped whole: all of them when it
    succeeded with nothing on stderr, else those before the last file it began."""
    pieces, pos = [], 0
    for i, base in enumerate(bases):
        head = HEADER % base.encode()
        if not res.out.startswith(head, pos):
            break
        end = (res.out.find(HEADER % bases[i + 1].encode(), pos + len(head))
               if i + 1 < len(bases) else len(res.out))
        if end < 0:
            pieces.append(res.out[pos:])
            break
        pieces.append(res.out[pos:end])
        pos = end
    whole = (res.rc == 0 and not res.timeout and not res.err and len(pieces) == len(bases)
             and pos == len(res.out))
    return pieces if whole else pieces[:-1]


def references(oracle, mode, group, failing):
    """{path: (version, Result, unstable)} for [(path, stem)] of one directory,
    by many-file runs of the oracle. A file dumped in such a run is cached with an
    empty stderr, which verdict() never reads when the dump succeeded. A file the
    oracle fails on, and one it prints an uninitialised global for (WABT_UNINIT),
    runs alone: those in `failing` (the oracle failed on them in another mode: the
    spec's malformed modules) from the start, the others once a run stopped there."""
    got = {}
    cwd = os.path.dirname(group[0][0])
    for path, stem in [g for g in group if g[0] in failing]:
        got[path] = (oracle[1],) + reference_alone(oracle, path, mode, stem)
    group = [g for g in group if g[0] not in failing]
    while group:
        if len(group) == 1:
            path, stem = group.pop(0)
            got[path] = (oracle[1],) + reference_alone(oracle, path, mode, stem)
            continue
        batch = batches(group)[0]
        pieces = split(oracle_run(oracle, mode, [os.path.basename(p) for p, _ in batch], cwd),
                       [os.path.basename(p) for p, _ in batch])
        for (path, stem), out in zip(batch, pieces):
            if not oracle[0] and WABT_UNINIT.search(out):
                res, unstable = reference_alone(oracle, path, mode, stem)
            else:
                res, unstable = harness.Result(0, out, b"", False), garbage(oracle, out)
                store(stem, res, unstable)
            got[path] = (oracle[1], res, unstable)
        group = group[len(pieces):]
        if len(pieces) < len(batch):  # the file the run stopped at
            path, stem = group.pop(0)
            got[path] = (oracle[1],) + reference_alone(oracle, path, mode, stem)
    return got


def ours_many(mode, paths):
    """{path: Result} of one wlab-objdump run on these files of one directory
    (the oracle dumped each of them), or {} unless it dumped them all."""
    if len(paths) < 2:
        return {}
    bases = [os.path.basename(p) for p in paths]
    res = harness.run([G["ours"]] + MODES[mode] + bases, TIMEOUT * len(bases),
                      cwd=os.path.dirname(paths[0]))
    # A custom section's warnings (stderr, the dump goes on) do not stop a file.
    if res.err and all(b": warning: " in line for line in res.err.splitlines()):
        res = harness.Result(res.rc, res.out, b"", res.timeout)
    pieces = split(res, bases)
    if len(pieces) != len(paths):
        return {}
    return {p: harness.Result(0, out, b"", False) for p, out in zip(paths, pieces)}


def unified(a, b, name):
    lines = difflib.unified_diff(a.decode("utf-8", "replace").splitlines(True),
                                 b.decode("utf-8", "replace").splitlines(True),
                                 "wasm-objdump " + name, "wlab-objdump " + name, n=2)
    return "".join(lines)


def fold(line):
    return re.sub(r"\b(0x[0-9a-f]+|[0-9a-f]{6,}|[0-9]+)\b", "N", line).strip()


def category(ref, ours):
    """Where the first differing line pair parts, numbers folded: a rough bucket."""
    a, b = ref.decode("utf-8", "replace").splitlines(), ours.decode("utf-8", "replace").splitlines()
    for i, line in enumerate(a):
        if i >= len(b):
            return "ours stops early; wabt goes on with: %s" % (fold(line)[:60] or "(blank)")
        if b[i] != line:
            x, y = fold(line), fold(b[i])
            if x == y:
                return "numbers differ in: %s" % re.sub(r"<[^>]*>", "<...>", x)[:90]
            p = 0
            while p < min(len(x), len(y)) and x[p] == y[p]:
                p += 1
            p = max(0, p - 25)
            return "wabt: ...%s | ours: ...%s" % (x[p:p + 50], y[p:p + 50])
    return "ours prints extra lines: %s" % fold(b[len(a)])[:60]


def check(task):
    """[(mode, path, verdict, detail, category, oracle version)] for the runs
    [(mode, path, digest)] of some files of one directory; verdict is
    same/diff/refail-ok/refail-bad, or set apart: unstable/known/notyet.
    -x and -d go first: they run on every file, and a file the oracle fails
    on there runs alone in the other modes."""
    modes = collections.OrderedDict()
    for mode, path, digest in sorted(task, key=lambda r: r[0] not in FULL_MODES):
        modes.setdefault(mode, []).append((path, digest))
    failing, results = set(), []
    for mode, items in modes.items():
        refs, todo = {}, collections.defaultdict(list)
        for path, digest in items:
            oracle = choose(path, digest)
            stem = reference_stem(path, digest, mode, oracle[1])
            hit = cached(stem, oracle)
            if hit:
                refs[path] = (oracle[1],) + hit
            else:
                todo[oracle].append((path, stem))
        for oracle, group in todo.items():
            refs.update(references(oracle, mode, group, failing))
        failing.update(p for p in refs if refs[p][1].rc != 0)
        ours = {}
        for b in batches([(p, d) for p, d in items if refs[p][1].rc == 0]):
            ours.update(ours_many(mode, [p for p, _ in b]))
        results += [(mode, path) + verdict(mode, path, refs[path][1], refs[path][2],
                                           refs[path][0], ours.get(path)) + (refs[path][0],)
                    for path, _ in items]
    return results


# cmd/wlab-objdump/disasm.c's INDENT_BUDGET and MAX_INDENT (docs/wlab-objdump.md, "Deep nesting")
INDENT_BUDGET = 4096
INDENT_CAP = 1024
FUNC_LINE = re.compile(rb"^([0-9a-f]{6,8}) func\[\d+\]")
CODE_LINE = re.compile(rb"^ ([0-9a-f]{6,8}): ((?:[0-9a-f ]{2} ){9})\| ")


def budget_indent(out):
    """wasm-objdump's output with wlab-objdump's one documented departure
    applied: in a function whose -d lines take more than INDENT_BUDGET bytes
    of indentation per byte of its body, a line indented past INDENT_CAP
    levels keeps that many and starts with "[depth N] ". The body's size
    is read from the dump itself: from the offset on the function's line to
    the end of its last bytes. Every function of the corpus and of real
    compilers' output (Go's esbuild nests 3,289 deep, at most 1,400 bytes of
    indentation per byte) is under the budget and stays wabt's, byte for
    byte; deep_nesting() checks the rule around the budget."""
    if b"| " + b" " * (2 * INDENT_CAP + 1) not in out:
        return out
    lines = out.split(b"\n")
    funcs, cur = [], None
    for i, line in enumerate(lines):
        m = FUNC_LINE.match(line)
        if m:
            cur = [int(m.group(1), 16), 0, 0, []]  # offset, indentation, end, deep lines
            funcs.append(cur)
            continue
        m = CODE_LINE.match(line) if cur else None
        if not m:
            continue
        text = line[m.end():]
        d = len(text) - len(text.lstrip(b" "))
        cur[1] += d
        cur[2] = int(m.group(1), 16) + len(m.group(2).split())
        if d > 2 * INDENT_CAP:
            cur[3].append(i)
    for start, total, end, deep in funcs:
        if total <= INDENT_BUDGET * (end - start):
            continue
        for i in deep:
            head, sep, text = lines[i].partition(b"| ")
            body = text.lstrip(b" ")
            d = len(text) - len(body)
            lines[i] = head + sep + b" " * (2 * INDENT_CAP) + b"[depth %d] " % (d // 2) + body
    return b"\n".join(lines)


def unstable_after_all(path, mode, ref, version):
    """Where 1.0.32's output differs from ours, whether a second run of it
    prints something else: it also prints uninitialised memory as the init
    of a data or element segment or a numeric global whose initialiser is
    invalid there (`ref.null` as an i32 offset: spec data.48, elem.37,
    global.10), lines the globals-only shape of WABT_UNINIT does not catch."""
    if version != G["old"][1] or b" - init " not in ref.out:
        return False
    argv = tool(G["old"], "wasm-objdump") + MODES[mode] + [os.path.basename(path)]
    again = harness.run(argv, TIMEOUT, cwd=os.path.dirname(path))
    return (again.rc, budget_indent(again.out)) != (ref.rc, ref.out)


def verdict(mode, path, ref, unstable, version=None, ours=None):
    """ours: wlab-objdump's Result from a many-file run, or None to run it here."""
    ref = harness.Result(ref.rc, budget_indent(ref.out), ref.err, ref.timeout)
    if ours is None:
        ours = harness.run([G["ours"]] + MODES[mode] + [os.path.basename(path)], TIMEOUT,
                           cwd=os.path.dirname(path))
    known = "/spec/" in path and KNOWN_MALFORMED.get(os.path.basename(path))
    missing = harness.not_yet(path, G["defaults"])
    if ref.rc == 0 and not ours.crashed() and missing and (ours.rc != 0 or ours.out != ref.out):
        return "notyet", " ".join(missing), ""
    if ref.rc == 0 and not ours.crashed() and (unstable or known):
        if unstable:
            return "unstable", "", ""
        if ours.rc != 0 and b"0x" in ours.err:
            return "known", known, ""
    if ours.crashed():
        detail = "%s: %s" % (harness.describe(ours),
                             ours.err.decode("utf-8", "replace").strip()[-400:])
        return ("diff" if ref.rc == 0 else "refail-bad"), detail, "crash"
    if ref.rc == 0:
        if ours.rc == 0 and ours.out == ref.out:
            return "same", "", ""
        if ours.rc == 0 and unstable_after_all(path, mode, ref, version):
            return "unstable", "", ""
        diff = unified(ref.out, ours.out, os.path.basename(path))
        if ours.rc != 0:
            diff = "wlab-objdump exit %d: %s\n%s" % (
                ours.rc, ours.err.decode("utf-8", "replace").strip()[:300], diff)
            cat = "ours fails: " + fold(ours.err.decode("utf-8", "replace").strip()
                                        .split("\n")[0].split("error:")[-1])[:60]
        else:
            cat = category(ref.out, ours.out)
        name = os.path.relpath(path, G["build"]).replace("/", "__")
        d = os.path.join(G["diffs"], mode)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name + ".diff"), "w") as f:
            f.write(diff)
        return "diff", diff, cat
    if (ours.rc != 0 and WABT_OFFSET.search(ref.err) and b"0x" not in ours.err
            and not NOT_AN_ERROR_IN_BYTES.search(ours.err)):
        return "refail-bad", "exit %d without an offset: %s" % (
            ours.rc, ours.err.decode("utf-8", "replace").strip()[:200]), "no offset"
    return "refail-ok", "", ""


def inputs(build, files, quick):
    if files:
        found = [os.path.abspath(f) for f in files]
    else:
        found = []
        for sub in ("spec", "corpus", "examples"):
            for dp, _, fns in os.walk(os.path.join(build, sub)):
                found += [os.path.join(dp, f) for f in fns if f.endswith(".wasm")]
        found.sort()
    seen, out = set(), []
    for p in found:
        with open(p, "rb") as f:
            data = f.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen or files:
            seen.add(digest)
            out.append((p, digest, b"reloc." in data))
    if quick and not files:
        # A fixed sample: one spec file in 24, one corpus/example file in 6.
        out = [(p, d, r) for p, d, r in out
               if int(d[:8], 16) % (24 if "/spec/" in p else 6) == 0]
    return out


def runs_on(mode, path, digest, reloc):
    """Whether make test runs MODE on this file (FULL_MODES, RELOC_MODES above)."""
    spec, pick = "/spec/" in path, int(digest[8:16], 16)
    if mode in FULL_MODES:
        return True
    if mode in HALF_SPEC_MODES:
        return not spec or pick % 2 == 0
    if mode in RELOC_MODES:
        return reloc
    if spec:
        return pick % 4 == 0
    return not reloc or pick % 2 == 0


def nested_blocks(*ns):
    """A module of one function per n in ns, each of n nested empty blocks
    (a body of 3n + 2 bytes whose -d lines wasm-objdump indents by
    2n(n - 1) bytes in all)."""
    funcs = harness.uleb(len(ns)) + b"\x00" * len(ns)
    code = harness.uleb(len(ns))
    for n in ns:
        body = b"\x00" + b"\x02\x40" * n + b"\x0b" * (n + 1)
        code += harness.uleb(len(body)) + body
    return (b"\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03" + harness.uleb(len(funcs)) + funcs
            + b"\x0a" + harness.uleb(len(code)) + code)


def deep_nesting(ours, tmp):
    """objdump-deep-nesting: -d indents a function as wasm-objdump does
    unless that takes more than INDENT_BUDGET bytes of indentation per byte
    of its body; only then are its lines past INDENT_CAP levels marked
    "[depth N] " (budget_indent()), so that the output stays linear (the
    review's 20,000 nested blocks, 60 KB, make 800 MB in wasm-objdump).
    Cases: 1,100 nested blocks (past INDENT_CAP, well under the budget),
    byte for byte wasm-objdump's; the deepest nest under the budget
    (6,145 blocks), byte for byte; one just over it (6,146) followed by a
    1,100 one in the same module: the first marked, the second exact; 20,000
    blocks: bounded. Returns (passed, failed)."""
    under = 1000
    while 2 * (under + 1) * under <= INDENT_BUDGET * (3 * (under + 1) + 2):
        under += 1
    ok = total = 0
    for ns, exact in (((1100,), True), ((under,), True), ((under + 1, 1100), False)):
        total += 1
        path = os.path.join(tmp, "deep%s.wasm" % "_".join(map(str, ns)))
        with open(path, "wb") as f:
            f.write(nested_blocks(*ns))
        args = ["-d", os.path.basename(path)]
        a = subprocess.run(["wasm-objdump"] + args, cwd=tmp, stdout=subprocess.PIPE).stdout
        b = subprocess.run([ours] + args, cwd=tmp, stdout=subprocess.PIPE).stdout
        marks = 0 if exact else 2 * (ns[0] - 1 - INDENT_CAP)
        good = (b == a if exact else b == budget_indent(a) and b != a) and \
            b.count(b"[depth ") == marks
        ok += good
        if not good:
            print("objdump-deep-nesting: %s nested blocks: not %s (%d lines marked, %d expected)"
                  % ("+".join(map(str, ns)), "wasm-objdump's" if exact else
                     "wasm-objdump's with the over-budget function marked",
                     b.count(b"[depth "), marks))
        os.unlink(path)
    total += 1
    path = os.path.join(tmp, "deep20000.wasm")
    with open(path, "wb") as f:
        f.write(nested_blocks(20000))
    r = subprocess.run([ours, "-d", os.path.basename(path)], cwd=tmp, stdout=subprocess.PIPE)
    linear = r.returncode == 0 and len(r.stdout) < 40002 * (2 * INDENT_CAP + 100)
    ok += linear
    if not linear:
        print("objdump-deep-nesting: 20,000 levels: exit %d, %d bytes"
              % (r.returncode, len(r.stdout)))
    os.unlink(path)
    return ok, total - ok


def far_export(ours, tmp):
    """objdump-far-export-name: an export of a function or global index far
    past the module's count (an invalid module; wabt's own test
    binary/bad-export-out-of-range.txt has one) still names that index, as
    wasm-objdump keeps any index's name: `func[4294967295] <far> -> "far"`.
    The module: one function; exports "far" (func 0xffffffff), "g" (global
    0x7fffffff), "gone" then "" (func 0x80000000: the later, empty name
    clears the first). -x and -x -d as wasm-objdump 1.0.32 prints them.
    Returns (passed, failed)."""
    exports = (b"\x04" + b"\x03far\x00\xff\xff\xff\xff\x0f" + b"\x01g\x03\xff\xff\xff\xff\x07"
               + b"\x04gone\x00\x80\x80\x80\x80\x08" + b"\x00\x00\x80\x80\x80\x80\x08")
    module = (b"\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"
              + b"\x07" + bytes([len(exports)]) + exports + b"\x0a\x04\x01\x02\x00\x0b")
    path = os.path.join(tmp, "far_export.wasm")
    with open(path, "wb") as f:
        f.write(module)
    ok = 0
    for args in (["-x"], ["-x", "-d"]):
        argv = args + [os.path.basename(path)]
        a = subprocess.run(["wasm-objdump"] + argv, cwd=tmp, stdout=subprocess.PIPE)
        b = subprocess.run([ours] + argv, cwd=tmp, stdout=subprocess.PIPE)
        same = (a.returncode, a.stdout) == (b.returncode, b.stdout) and b"<far>" in a.stdout
        ok += same
        if not same:
            print("objdump-far-export-name: %s differs from wasm-objdump's:\n%s" % (
                " ".join(args), unified(a.stdout, b.stdout, "far_export.wasm")))
    return ok, 2 - ok


def custom_warning(ours, tmp):
    """objdump-custom-warning: an error inside a custom section that is read
    fails nothing, as in wasm-objdump: the same stdout and exit status 0 as
    wasm-objdump 1.0.32, and, as it warns on stderr, a warning that says
    where and what: a function name of bad UTF-8 in the name section; a
    name for a function past the module's (where wasm-objdump, and so
    wlab-objdump, stops reading the names); the same module with good
    names: no warning. Returns (passed, failed)."""
    cases = (  # file, name subsection 1's (index, name) pairs, stderr
        ("custom_bad", [(0, b"f\xff\xfeo")],
         b"custom_bad.wasm:0x24: warning: malformed UTF-8 encoding (in custom section "
         b"\"name\")\n"),
        ("custom_past", [(0, b"a"), (5, b"b")],
         b"custom_past.wasm:0x25: warning: a name for function 5, past the module's 1 "
         b"function (in custom section \"name\"; its later names are not used)\n"),
        ("custom_good", [(0, b"fo\xc3\xa9")], b""))
    ok = 0
    for stem, names, want in cases:
        pay = bytes([len(names)]) + b"".join(bytes([i, len(n)]) + n for i, n in names)
        custom = b"\x04name\x01" + bytes([len(pay)]) + pay
        module = (b"\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"
                  + b"\x0a\x04\x01\x02\x00\x0b" + b"\x00" + bytes([len(custom)]) + custom)
        base = stem + ".wasm"
        with open(os.path.join(tmp, base), "wb") as f:
            f.write(module)
        a = subprocess.run(["wasm-objdump", "-x", base], cwd=tmp, capture_output=True)
        b = subprocess.run([ours, "-x", base], cwd=tmp, capture_output=True)
        same = ((a.returncode, a.stdout) == (b.returncode, b.stdout) and a.returncode == 0
                and b.stderr == want and bool(a.stderr) == bool(want))
        ok += same
        if not same:
            print("objdump-custom-warning: %s: wasm-objdump exit %d, stderr %r; wlab-objdump "
                  "exit %d, stderr %r, want %r%s" % (
                      base, a.returncode, a.stderr, b.returncode, b.stderr, want,
                      "" if a.stdout == b.stdout else "; stdout differs:\n"
                      + unified(a.stdout, b.stdout, base)))
    return ok, len(cases) - ok


def validate_data_count(ours, tmp):
    """objdump-validate-data-count: `--validate` decodes the bodies the dump
    skips: a data.drop with a data section but no data count section is
    malformed (found by wabt's test binary/bad-data-drop-no-data-count.txt).
    wlab-objdump --validate fails on it with an offset, as wasm-validate
    does, and passes the same module with its data count section; -x still
    dumps both. Returns (passed, failed)."""
    def module(datacount):
        return (b"\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"
                + b"\x05\x03\x01\x00\x01" + (b"\x0c\x01\x01" if datacount else b"")
                + b"\x0a\x07\x01\x05\x00\xfc\x09\x00\x0b"
                + b"\x0b\x04\x01\x01\x01\x2a")
    ok = 0
    for datacount in (False, True):
        name = "data_drop%s.wasm" % ("_count" if datacount else "")
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(module(datacount))
        a = subprocess.run(["wasm-validate", name], cwd=tmp, capture_output=True)
        b = subprocess.run([ours, "--validate", name], cwd=tmp, capture_output=True)
        x = subprocess.run([ours, "-x", name], cwd=tmp, capture_output=True)
        same = ((a.returncode == 0) == (b.returncode == 0) == datacount and x.returncode == 0
                and (datacount or re.search(rb":0x[0-9a-f]+: error: ", b.stderr)))
        ok += bool(same)
        if not same:
            print("objdump-validate-data-count: %s: wasm-validate exit %d, wlab-objdump "
                  "--validate exit %d (%s), -x exit %d" % (
                      name, a.returncode, b.returncode,
                      b.stderr.decode("utf-8", "replace").strip(), x.returncode))
    return ok, 2 - ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a fixed sample of the inputs")
    ap.add_argument("--mode", action="append", choices=list(MODES), help="only these modes")
    ap.add_argument("--every-mode", action="store_true",
                    help="every mode on every file (make test samples the combined modes)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()

    build = harness.build_dir()
    ours = os.path.join(build, "bin", "wlab-objdump")
    if not harness.need_tool(ours):
        return 2
    version = subprocess.run(["wasm-objdump", "--version"], stdout=subprocess.PIPE,
                             check=True).stdout.decode().strip()
    npm, new_version = harness.oracle("wasm-objdump")
    if not npm:
        sys.stderr.write("objdump-compat: %s\n" % new_version)
        harness.write_result("objdump-compat.txt", 0, 1)
        return 1
    files = inputs(build, args.files, args.quick)
    if not files:
        sys.stderr.write("no .wasm inputs under %s (run spec-convert/build-corpus)\n" % build)
        return 2
    modes = args.mode or list(MODES)
    settings = dict(old=(None, version), new=(os.path.dirname(npm[1]), new_version),
                    defaults=harness.feature_defaults(), ours=ours, build=build,
                    cache=os.path.join(build, "cache", "objdump"),
                    diffs=os.path.join(build, "compat", "diffs"))
    os.makedirs(settings["cache"], exist_ok=True)
    if not args.files:
        subprocess.run(["rm", "-rf", settings["diffs"]], check=False)
    os.makedirs(settings["diffs"], exist_ok=True)
    every = args.every_mode or bool(args.files)
    runs = [(m, p, d) for p, d, r in files for m in modes if every or runs_on(m, p, d, r)]
    dirs, modes_of = collections.defaultdict(list), collections.defaultdict(list)
    for m, p, d in runs:
        if not modes_of[p]:
            dirs[os.path.dirname(p)].append((p, d))
        modes_of[p].append(m)
    tasks = [[(m, p, d) for p, d in b for m in modes_of[p]]
             for _, g in sorted(dirs.items()) for b in batches(g)]
    print("objdump-compat: %d files x %d modes: %d runs (%s%s%s), %s" % (
        len(files), len(modes), len(runs), "quick sample, " if args.quick else "",
        "" if every else "-h/-s on half the spec's files, combined modes on a sample of the spec's "
        "files and of the objects, -r on objects, ",
        "ASan" if harness.sanitized() else "plain",
        "oracles: wabt %s for 2.0 modules, wabt %s (npm) beyond" % (version, new_version)))

    per = {m: collections.Counter() for m in modes}
    by_oracle = collections.Counter()
    notyet = collections.defaultdict(set)
    examples = {m: [] for m in modes}
    cats = {m: collections.Counter() for m in modes}
    bad = []
    apart = {}
    with multiprocessing.Pool(args.jobs, init, (settings,)) as pool:
        for mode, path, verdict, detail, cat, oracle in (
                r for rs in pool.imap_unordered(check, tasks) for r in rs):
            per[mode][verdict] += 1
            by_oracle[(oracle, verdict)] += 1
            if verdict == "notyet":
                notyet[detail].add(path)
            if verdict == "diff":
                examples[mode].append((path, detail))
                cats[mode][cat] += 1
            elif verdict == "refail-bad":
                bad.append((mode, path, detail))
            elif verdict in ("unstable", "known"):
                apart[(verdict, path)] = detail

    passed = failed = 0
    for m in modes:
        c = per[m]
        compared = c["same"] + c["diff"]
        print("%-12s identical %d / compared %d (different %d); wabt fails %d (we misbehave %d);"
              " set apart: unstable %d, known %d, not yet %d"
              % (m + ":", c["same"], compared, c["diff"], c["refail-ok"] + c["refail-bad"],
                 c["refail-bad"], c["unstable"], c["known"], c["notyet"]))
        passed += c["same"] + c["refail-ok"]
        failed += c["diff"] + c["refail-bad"]
    for o in (version, new_version):
        n = collections.Counter({v: k for (oo, v), k in by_oracle.items() if oo == o})
        print("oracle wabt %-7s %d runs: identical %d, different %d, wabt fails %d, not yet %d,"
              " unstable %d" % (o + ":", sum(n.values()), n["same"], n["diff"],
                                n["refail-ok"] + n["refail-bad"], n["notyet"], n["unstable"]))
    show = 1000 if args.files else 5
    for m in modes:
        if not examples[m]:
            continue
        print("\n== %s (%s): %d different; top kinds of difference:" % (
            m, " ".join(MODES[m]), len(examples[m])))
        for cat, n in cats[m].most_common(6):
            print("   %5d  %s" % (n, cat))
        for path, diff in sorted(examples[m])[:show]:
            print("-- %s" % os.path.relpath(path, build))
            lines = diff.splitlines()
            print("\n".join(lines[:15 if not args.files else 200]))
    if bad:
        print("\nwabt rejects these and wlab-objdump crashed/hung/gave no offset (%d):" % len(bad))
        for mode, path, detail in sorted(bad)[:20]:
            print("  [%s] %s: %s" % (mode, os.path.relpath(path, build), detail))
    unstable = sorted({p for (v, p) in apart if v == "unstable"})
    known = sorted({(p, d) for (v, p), d in apart.items() if v == "known"})
    if unstable:
        print("\nnot compared: wasm-objdump's output differs between two runs of itself "
              "(uninitialised memory) for %d files: %s" % (
                  len(unstable), " ".join(os.path.basename(p) for p in unstable[:12])))
    for p, d in known:
        print("known difference: %s: wasm-objdump dumps it; the spec and wlab-objdump "
              "reject it (%s)" % (os.path.relpath(p, build), d))
    for feats, paths in sorted(notyet.items()):
        print("not yet (%s not in libwasm: off in features.def): wlab-objdump fails or differs on"
              " %d modules the oracle dumps: %s" % (feats, len(paths), " ".join(
                  sorted(os.path.relpath(p, build) for p in paths)[:8])))
    if not args.files and not args.mode:
        for extra in (deep_nesting, far_export, custom_warning, validate_data_count):
            p, f = extra(ours, settings["diffs"])
            passed += p
            failed += f
    if not args.files:
        harness.write_result("objdump-compat.txt", passed, failed)
    print("\nobjdump-compat: %d passed, %d failed (diffs in %s)" % (
        passed, failed, os.path.relpath(settings["diffs"], os.getcwd())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
