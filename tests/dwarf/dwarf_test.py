#!/usr/bin/env python3
"""dwarf_test.py: libwasm's DWARF reader against LLVM 14's tools.

1. Builds the programs of tests/dwarf/src (C and C++) and a few of libwasm's
   own files with clang-14 -g for wasm32-wasi: -O0 and -O2 (inlining), DWARF 4
   and 5, as linked WASI commands, as modules linked without libc, and as
   relocatable objects (BUILDS below), into $BUILD/dwarf/.
2. For each module:
   - rows: every row of every line table (`wlab-dwarf --lines`) equals
     `llvm-dwarfdump-14 --debug-line`'s row tables, line for line;
   - lookup: for every instruction address of the Code section, the frames
     (function, file:line:column, inlined ones first) equal
     `llvm-symbolizer-14 --obj=M --functions=linkage --no-demangle --inlining`;
     one difference has a known cause and is counted apart: in a relocatable
     object the symbolizer names the outermost frame from the symbol table,
     where a data symbol (`.L.str.3`) can have the same number as a code
     address (wasm-objdump -x lists them).
3. The tools on the same answers: `wlab-explore --addr2line --json` for every
   instruction address (as file offsets on stdin), each address form giving
   the same text, `--explain`'s source line, and `wlab-objdump -d -l`: without
   its "; FILE:LINE" lines it is `-d`'s output byte for byte, and those lines
   stand where the innermost frame's file:line changes; `-d -l -S`: the source
   lines after each "; FILE:LINE" are that file's lines ending at LINE, a
   module whose source paths lead nowhere warns once per file (and
   --source-dir finds them again); `-C` equals the listing through c++filt;
   usage errors.
4. Demangling: every _Z name of these modules and of $BUILD/corpus (symbols
   and DWARF linkage names), plus Rust legacy names made from RUST_PATHS and
   the Rust v0 names of RUST_V0,
   demangled by libwasm (tests/bin/wlab-demangle) equals binutils' c++filt.
5. Outside the module (wlab/debuginfo.h), on the linked modules: the DWARF
   split off by llvm-objcopy-14 (--strip-debug, --only-keep-debug), found
   through an external_debug_info section next to the module and through
   --debug-file, answers every address as the symbolizer does on the
   original; a source map v3 written from the symbolizer's innermost lines,
   named by sourceMappingURL, gives each line back; the map cut short or
   mutated gives a warning with its offset, never a crash (under SANITIZE=1,
   every third module).
6. Malformed DWARF: each module's debug sections truncated at several points
   and mutated at random (fixed seeds): wlab-dwarf must exit 0 (no crash, no
   hang) and a truncation that cuts a unit must print a warning naming the
   section.
Source maps as Node reads them (sourcemap_oracle.py): binaryen's map, with
names, as an index map; every offset's line and name equal Node's.
Oracle outputs are cached by module hash in $BUILD/cache/dwarf/; modules and
oracles run in parallel. Under SANITIZE=1 the mutation sweep takes a sample.
Writes "passed failed" to $BUILD/test-results/dwarf.txt."""
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402
import sourcemap_oracle  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.path.abspath(os.environ.get("BUILD", os.path.join(ROOT, "build")))
SANITIZE = os.environ.get("SANITIZE") == "1"
TOOL = os.path.join(BUILD, "tests", "bin", "wlab-dwarf")
OUT = os.path.join(BUILD, "dwarf")
CACHE = os.path.join(BUILD, "cache", "dwarf")
SYMBOLIZER = "llvm-symbolizer-14"
DWARFDUMP = "llvm-dwarfdump-14"

C = "clang-14 --target=wasm32-wasi"
CXX = "clang++-14 --target=wasm32-wasi -fno-exceptions -fno-rtti"
NOLIBC = "-nostdlib -Wl,--no-entry -Wl,--export-all -Wl,--allow-undefined"
LIBWASM = "-std=c11 -D_POSIX_C_SOURCE=200809L -Ilibwasm/include -Ilibwasm/src -w"
# name, compiler, sources (relative to the root), flags
PROGS = [
    ("inline", C, ["tests/dwarf/src/inline.c"], ""),
    ("strings", C, ["tests/dwarf/src/strings.c"], ""),
]
NOLIBC_PROGS = [
    ("shapes", CXX, ["tests/dwarf/src/shapes.cpp"], ""),
    ("inline-nolibc", C, ["tests/dwarf/src/inline.c"], ""),
]
# Rust programs, built by a rustc that has the wasm32-wasi standard library
# (Debian's rustc with libstd-rust-dev-wasm32, installed by scripts/deps.sh;
# a rustup toolchain with the target does as well): rustc's own DWARF (its
# compile units for std, core and alloc, dlmalloc's C) at opt-level 0 and 2.
RUST_PROGS = [
    ("names-rs", "tests/dwarf/src/names.rs"),
]
OBJS = [
    ("shapes", CXX, "tests/dwarf/src/shapes.cpp", ""),
    ("mangle", CXX, "tests/dwarf/src/mangle.cpp", ""),
    ("inline", C, "tests/dwarf/src/inline.c", ""),
    ("wat_lex", C, "libwasm/src/wat/wat_lex.c", LIBWASM),
    ("dwarf_line", C, "libwasm/src/dwarf_line.c", LIBWASM),
]


def wasm_rustc():
    """A rustc that can build wasm32-wasi programs, or None."""
    for rustc in (shutil.which("rustc"), "/usr/bin/rustc"):
        if not rustc or not os.path.exists(rustc):
            continue
        r = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True)
        if r.returncode == 0 and os.path.isdir(os.path.join(r.stdout.strip(), "lib", "rustlib",
                                                            "wasm32-wasi", "lib")):
            return rustc
    return None


def builds():
    """(output name, command) pairs; {out} in a command is the output path.
    Linked modules are compiled and linked in two steps: clang 14's driver runs
    wasm-opt (when on PATH) on what it links with -O1 or more, which would leave
    the DWARF describing code that is no longer there."""
    out = []
    for opt in ("O0", "O2"):
        for name, cc, srcs, flags in PROGS:
            out.append(("%s.%s.wasm" % (name, opt),
                        "%s -c -g -%s %s %s -o {out}.o && %s {out}.o -o {out}"
                        % (cc, opt, flags, srcs[0], cc)))
        for dw in ("4", "5"):
            for name, cc, srcs, flags in NOLIBC_PROGS:
                if opt == "O2" and dw == "5":
                    continue  # wasm-ld 14 aborts on these
                out.append(("%s.%s.dwarf%s.wasm" % (name, opt, dw),
                            "%s -c -gdwarf-%s -%s %s %s -o {out}.o && %s %s {out}.o -o {out}"
                            % (cc, dw, opt, flags, srcs[0], cc, NOLIBC)))
            for name, cc, src, flags in OBJS:
                out.append(("%s.%s.dwarf%s.o" % (name, opt, dw),
                            "%s -c -gdwarf-%s -%s %s %s -o {out}" % (cc, dw, opt, flags, src)))
        rustc = wasm_rustc()
        for name, src in RUST_PROGS if rustc else []:
            out.append(("%s.%s.wasm" % (name, opt),
                        "%s --edition 2021 --target wasm32-wasi -g -C opt-level=%s %s -o {out}"
                        % (rustc, opt[1], src)))
    return out


def sha(data):
    return hashlib.sha256(data).hexdigest()[:20]


def build_one(item):
    """Builds one module unless its command and sources are unchanged."""
    name, cmd = item
    dst = os.path.join(OUT, name)
    srcs = [w for w in cmd.split() if w.endswith((".c", ".cpp", ".rs"))]
    h = hashlib.sha256(cmd.encode())
    for s in srcs + ["tests/dwarf/src/inline_util.h"]:
        with open(os.path.join(ROOT, s), "rb") as f:
            h.update(f.read())
    stamp = dst + ".stamp"
    key = h.hexdigest()
    if os.path.exists(dst) and os.path.exists(stamp) and open(stamp).read() == key:
        return name, None
    r = subprocess.run(cmd.replace("{out}", dst), shell=True, cwd=ROOT, capture_output=True)
    if os.path.exists(dst + ".o") and not name.endswith(".o"):
        os.remove(dst + ".o")
    if r.returncode != 0:
        return name, "%s: %s" % (cmd, r.stderr.decode(errors="replace")[-400:])
    with open(stamp, "w") as f:
        f.write(key)
    return name, None


def cached(kind, path, data, fn):
    return harness.cached(os.path.join(CACHE, "%s-%s.z" % (sha(data), kind)), fn)


ROW_RE = re.compile(rb"^(0x[0-9a-f]{16}|debug_line\[0x[0-9a-f]+\])")


def dwarfdump_rows(path):
    out = subprocess.run([DWARFDUMP, "--debug-line", path], capture_output=True).stdout
    return b"\n".join(l.rstrip() for l in out.splitlines() if ROW_RE.match(l)) + b"\n"


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else b"<none>"
        y = bl[i] if i < len(bl) else b"<none>"
        if x != y:
            return "line %d: ours %r, llvm %r" % (i + 1, x, y)
    return "same"


def split_answers(out):
    """The symbolizer's answers, one list of lines per address."""
    answers, cur = [], []
    for l in out.splitlines():
        if l == b"":
            answers.append(cur)
            cur = []
        else:
            cur.append(l)
    return answers


DATA_SYM_RE = re.compile(rb"^ +- \d+: D <(.*)> segment=")


def data_symbols(path):
    """The data symbols of a relocatable object (wasm-objdump's symbol table)."""
    out = subprocess.run(["wasm-objdump", "-x", "-j", "linking", path],
                         capture_output=True).stdout
    return b"\n".join(m.group(1) for m in map(DATA_SYM_RE.match, out.splitlines())
                      if m) + b"\n"


def explained(ours, theirs, data_syms):
    """A difference with a known cause: in a relocatable object, llvm-symbolizer
    names the outermost frame from the symbol table, where data symbols
    (.L.str.N...) have addresses in the same numbers as code."""
    return (len(ours) == len(theirs) and len(ours) >= 2 and ours[:-2] == theirs[:-2]
            and ours[-1] == theirs[-1] and theirs[-2] in data_syms)


def check_module(name):
    """Returns (name, [(check, ok, detail)], addresses, agreeing, explained)."""
    path = os.path.join(OUT, name)
    with open(path, "rb") as f:
        data = f.read()
    res = []
    data_syms = set()
    if name.endswith(".o"):
        data_syms = set(cached("datasyms", path, data, lambda: data_symbols(path)).split())
    r = subprocess.run([TOOL, "--lines", path], capture_output=True, timeout=120)
    ours = b"\n".join(l.rstrip() for l in r.stdout.splitlines()) + b"\n"
    theirs = cached("rows", path, data, lambda: dwarfdump_rows(path))
    res.append(("rows", r.returncode == 0 and ours == theirs and not r.stderr,
                first_diff(ours, theirs) + (" stderr: %r" % r.stderr[:200] if r.stderr else "")))
    addrs = subprocess.run([TOOL, "--addrs", path], capture_output=True,
                           timeout=120).stdout
    sym = cached("sym", path, data, lambda: subprocess.run(
        [SYMBOLIZER, "--obj=" + path, "--functions=linkage", "--no-demangle", "--inlining"],
        input=addrs, capture_output=True).stdout)
    r = subprocess.run([TOOL, "--lookup", path], input=addrs, capture_output=True,
                       timeout=300)
    a, b = split_answers(r.stdout), split_answers(sym)
    alist = addrs.split()
    n = len(alist)
    agree = sum(1 for x, y in zip(a, b) if x == y)
    expl = sum(1 for x, y in zip(a, b) if x != y and explained(x, y, data_syms))
    bad = [(alist[i], a[i], b[i]) for i in range(min(len(a), len(b), n))
           if a[i] != b[i] and not explained(a[i], b[i], data_syms)]
    detail = "%d/%d addresses agree, %d differ by a data symbol's name" % (agree, n, expl)
    if bad:
        detail += "; first: %s ours %r llvm %r" % (bad[0][0].decode(), bad[0][1], bad[0][2])
    res.append(("lookup", r.returncode == 0 and len(a) == n == len(b) and agree + expl == n,
                detail))
    return name, res, n, agree, expl


INSTR_RE = re.compile(rb"^ ([0-9a-f]{6}): ")
EXPLORE = os.path.join(BUILD, "bin", "wlab-explore")
DEMANGLE = os.path.join(BUILD, "tests", "bin", "wlab-demangle")
OBJDUMP = os.path.join(BUILD, "bin", "wlab-objdump")
RUN = os.path.join(BUILD, "bin", "wlab-run")


def code_base(data):
    return next(p0 for _, sid, p0, _, _ in sections(data) if sid == 10)


def check_rust_panic():
    """wlab-run on a Rust program that panics (tests/dwarf/src/panic.rs, built
    for wasm32-wasi at opt-level 0): the trap's backtrace gives, frame by
    frame, the file:line:column lines llvm-symbolizer gives for the frame's
    address (inlined frames included), and Rust names demangled."""
    rustc = wasm_rustc()
    if not rustc:
        return [("rust-panic", False, "no rustc with the wasm32-wasi target")]
    name = "panic-rs.O0.wasm"
    _, err = build_one((name, "%s --edition 2021 --target wasm32-wasi -g -C opt-level=0 "
                              "tests/dwarf/src/panic.rs -o {out}" % rustc))
    if err:
        return [("rust-panic build", False, err)]
    path = os.path.join(OUT, name)
    r = subprocess.run([RUN, path], capture_output=True, timeout=60)
    text = r.stderr.decode(errors="replace")
    frames = []  # (name, file offset, [file:line:column, innermost first])
    for line in text.splitlines():
        m = re.match(r"  #\d+ func\[\d+\] <(.*)> at .*:0x([0-9a-f]+)$", line)
        if m:
            frames.append((m.group(1), int(m.group(2), 16), []))
            continue
        m = re.match(r"       (\S+:\d+:\d+)(?: in .* \(inlined\))?$", line)
        if m and frames:
            frames[-1][2].append(m.group(1))
    with open(path, "rb") as f:
        base = code_base(f.read())
    sym = subprocess.run([SYMBOLIZER, "--obj=" + path, "--functions=linkage", "--no-demangle",
                          "--inlining"], input=b"".join(b"0x%x\n" % (o - base) for _, o, _ in frames),
                         capture_output=True).stdout
    want = [[l.decode() for l in ans[1::2] if not l.startswith(b"??:0")]
            for ans in split_answers(sym)]
    got = [f[2] for f in frames]
    bad = [(f[0], g, w) for f, g, w in zip(frames, got, want) if g != w]
    src = os.path.join(ROOT, "tests/dwarf/src/panic.rs")
    return [("rust-panic trap", r.returncode == 134 and "panicked at" in text,
             "exit %d, stderr %r" % (r.returncode, text[:300])),
            ("rust-panic frames", len(frames) >= 10 and len(want) == len(frames) and not bad,
             "%d frames, %d answers, first difference %r" % (len(frames), len(want), bad[:1])),
            ("rust-panic names", any(f[0].startswith("panic::parse::h") for f in frames) and
             any(f[0].startswith("panic::deeper::{{closure}}::h") for f in frames) and
             any(l.startswith(src + ":4:") for l in sum(got, [])),
             "names %r" % [f[0] for f in frames][:12])]


def check_tools(name):
    """wlab-explore --addr2line/--explain and wlab-objdump -l against the
    symbolizer's answers (from the cache check_module filled)."""
    path = os.path.join(OUT, name)
    with open(path, "rb") as f:
        data = f.read()
    res = []
    base = code_base(data)
    addrs = subprocess.run([TOOL, "--addrs", path], capture_output=True).stdout.split()
    sym = split_answers(cached("sym", path, data, lambda: b""))
    if len(sym) != len(addrs):
        return name, [("tools", False, "no symbolizer answers")]
    want = {int(a, 16): ans for a, ans in zip(addrs, sym)}
    data_syms = set()
    if name.endswith(".o"):
        data_syms = set(cached("datasyms", path, data, lambda: data_symbols(path)).split())
    # --addr2line --json on stdin, every instruction as a file offset
    offs = b"".join(b"0x%x\n" % (a + base) for a in want)
    r = subprocess.run([EXPLORE, "--addr2line", "--json", path], input=offs,
                       capture_output=True, timeout=300)
    got = {}
    try:
        import json
        for e in json.loads(r.stdout)["addresses"]:
            frames = []
            for fr in e["frames"]:
                frames += [(fr["function"] or "??").encode(),
                           b"%s:%d:%d" % ((fr["file"] or "??").encode(), fr["line"], fr["column"])]
            got[e["code_address"]] = frames or [b"??", b"??:0:0"]
    except (ValueError, KeyError) as e:
        res.append(("addr2line-json", False, "bad JSON: %s %r" % (e, r.stderr[:200])))
        return name, res
    bad = [a for a in want if got.get(a) != want[a] and
           not explained(got.get(a) or [], want[a], data_syms)]
    res.append(("addr2line-json", r.returncode == 0 and not bad,
                "%d/%d agree%s" % (len(want) - len(bad), len(want),
                                   "; first 0x%x ours %r llvm %r" % (bad[0], got.get(bad[0]),
                                                                     want[bad[0]]) if bad else "")))
    # the forms of one address all give the text answer of the first
    a = sorted(want)[len(want) // 2]
    off = a + base
    forms = ["0x%x" % off, "%d" % off, "wasm-function[1]:0x%x" % off,
             "%s:wasm-function[1]:0x%x" % (name, off), "    at f (wasm://wasm/x:wasm-function[1]:0x%x)" % off,
             "f@ 0x%x" % off]
    outs = [subprocess.run([EXPLORE, "--addr2line", path, f], capture_output=True).stdout
            for f in forms]
    outs.append(subprocess.run([EXPLORE, "--addr2line", "--code-addresses", path, "0x%x" % a],
                               capture_output=True).stdout)
    first = outs[0].splitlines()
    text_want = [b"  %s%s at %s" % (b"(inlined by) " if i else b"", want[a][2 * i], want[a][2 * i + 1])
                 for i in range(len(want[a]) // 2)]
    res.append(("addr2line-forms", all(o == outs[0] for o in outs) and first[1:] == text_want,
                "%r vs %r" % (outs, text_want)))
    # --explain names the source line of the instruction
    r = subprocess.run([EXPLORE, "--explain", "0x%x" % off, path], capture_output=True)
    src = [l for l in r.stdout.splitlines() if l.startswith(b"  source: ")]
    explain_ok = (want[a][1].startswith(b"??") and not src) or \
        (len(src) == 1 and src[0].endswith(b" at %s" % want[a][1]) and
         (src[0] == b"  source: %s at %s" % (want[a][0], want[a][1]) or
          (len(want[a]) == 2 and want[a][0] in data_syms)))
    res.append(("explain", explain_ok, "%r want %r" % (src, want[a][:2])))
    # -d -l: without the "; " lines, -d's bytes; each "; FILE:LINE" where the
    # innermost frame's file:line changes within a function
    plain = subprocess.run([OBJDUMP, "-d", path], capture_output=True).stdout
    lined = subprocess.run([OBJDUMP, "-d", "-l", path], capture_output=True).stdout
    lines = lined.split(b"\n")
    same = b"\n".join(l for l in lines if not l.startswith(b"; ")) == plain
    expect, last, pending, wrong = [], None, None, []
    for l in lines:
        if l.startswith(b"; "):
            pending = l[2:]
            continue
        m = INSTR_RE.match(l)
        if not m:
            if re.match(rb"^[0-9a-f]{6} func\[", l):
                last = None
            continue
        ca = int(m.group(1), 16) - base
        if ca not in want:
            continue  # a local declaration line
        fl = want[ca][1].rsplit(b":", 1)[0]
        exp = None if fl.startswith(b"??") or fl == last else fl
        if exp is not None:
            last = fl
        if pending != exp:
            wrong.append((hex(ca + base), pending, exp))
        pending = None
    res.append(("objdump-l", same and not wrong,
                "same without ; lines: %s; %d wrong, first %r" % (same, len(wrong),
                                                                 wrong[:1])))
    res += check_objdump_source(path, data, plain, lined)
    return name, res


FUNC_RE = re.compile(rb"^[0-9a-f]{6} func\[")


def source_blocks(out):
    """-d -l -S output: (file, line, [source lines]) for each "; FILE:LINE",
    and the output without the source and "; " lines."""
    blocks, rest, cur = [], [], None
    for l in out.split(b"\n"):
        if l.startswith(b"; "):
            f, _, n = l[2:].rpartition(b":")
            cur = (f, int(n), [])
            blocks.append(cur)
            rest.append(l)
        elif cur is not None and not INSTR_RE.match(l) and not FUNC_RE.match(l):
            cur[2].append(l)
        else:
            rest.append(l)
            cur = None
    return blocks, b"\n".join(rest)


def warned(err):
    """The files of -S's "source file not found" warnings."""
    return set(re.findall(rb"warning: (.*): source file not found", err))


def check_objdump_source(path, data, plain, lined):
    """-S (with -l): each "; FILE:LINE" is followed by nothing or by lines
    FILE's lines ending at LINE, consecutive, and without them the output is
    -d -l's; a module whose source paths lead nowhere warns once per file and
    shows no source, and --source-dir finds the files again; -C equals the
    listing piped through c++filt."""
    res = []
    both = subprocess.run([OBJDUMP, "-d", "-l", "-S", path], capture_output=True)
    blocks, rest = source_blocks(both.stdout)
    texts, bad = {}, []
    for f, n, src in blocks:
        if f not in texts:
            try:
                with open(f, "rb") as fh:
                    texts[f] = fh.read().split(b"\n")
            except OSError:
                texts[f] = None
        t = texts[f]
        if not src:
            continue
        if t is None or n > len(t) or src != t[n - len(src):n]:
            bad.append((f, n, src[-1:]))
    shown = sum(len(b[2]) for b in blocks)
    # wasi-libc's sources are not on this machine: exactly those are reported
    absent = {f for f, t in texts.items() if t is None}
    res.append(("objdump-S", both.returncode == 0 and warned(both.stderr) == absent and
                rest == lined and
                not bad and shown > 0,
                "%d source lines; -l output kept: %s; %d wrong, first %r; stderr %r"
                % (shown, rest == lined, len(bad), bad[:1], both.stderr[:200])))
    # the same module with its paths' root blanked out (same lengths)
    root = ROOT.encode()
    moved = os.path.join(OUT, "moved-%d-%s" % (os.getpid(), os.path.basename(path)))
    with open(moved, "wb") as f:
        f.write(data.replace(root, b"/" + b"X" * (len(root) - 1)))
    lost = subprocess.run([OBJDUMP, "-d", "-S", moved], capture_output=True)
    files = {f for f, _, _ in blocks}
    warns = lost.stderr.decode(errors="replace").splitlines()
    lost_ok = (lost.returncode == 0 and lost.stdout.replace(os.path.basename(moved).encode(), os.path.basename(path).encode()) == plain
               and len(warns) == len(files) and all("source file not found" in w for w in warns))
    found = subprocess.run([OBJDUMP, "-d", "-S", "--source-dir", ROOT, moved], capture_output=True)
    again = subprocess.run([OBJDUMP, "-d", "-S", path], capture_output=True).stdout
    found_ok = found.returncode == 0 and warned(found.stderr) == absent and \
        found.stdout.replace(os.path.basename(moved).encode(), os.path.basename(path).encode()) == again
    os.remove(moved)
    res.append(("objdump-S-missing", lost_ok and found_ok,
                "not found: exit %d, %d warnings for %d files %r; --source-dir: %s %r"
                % (lost.returncode, len(warns), len(files), warns[:2], found_ok,
                   found.stderr[:200])))
    # -C: every name as c++filt prints it
    args = ["-x", "-d", "-r"] if path.endswith(".o") else ["-x", "-d"]
    raw = subprocess.run([OBJDUMP] + args + [path], capture_output=True).stdout
    filt = subprocess.run(["c++filt"], input=raw, capture_output=True).stdout
    # where c++filt stopped at a non-ASCII $u..$ escape of a Rust legacy name
    # (rustc's modules), the rest of that name finished as check_demangle does
    filt = re.sub(rb"\S*(?:%s)\S*" % NON_ASCII_ESCAPE.encode(),
                  lambda m: legacy_unescape(m.group(0).decode()).encode(), filt)
    dem = subprocess.run([OBJDUMP, "-C"] + args + [path], capture_output=True).stdout
    diff = [(a, b) for a, b in zip(filt.split(b"\n"), dem.split(b"\n")) if a != b]
    res.append(("objdump-C", dem == filt and (dem != raw or b"_Z" not in raw),
                "%d lines differ from c++filt's, first %r" % (len(diff), diff[:1])))
    return res


def addr2line_json(args, addrs):
    """wlab-explore --addr2line --json --code-addresses: {code address: frames}."""
    import json
    r = subprocess.run([EXPLORE, "--addr2line", "--json", "--code-addresses"] + args,
                       input=b"".join(b"0x%x\n" % a for a in addrs), capture_output=True,
                       timeout=300)
    got = {}
    for e in json.loads(r.stdout)["addresses"]:
        frames = []
        for fr in e["frames"]:
            frames += [(fr["function"] or "??").encode(),
                       b"%s:%d:%d" % ((fr["file"] or "??").encode(), fr["line"], fr["column"])]
        got[e["code_address"]] = frames or [b"??", b"??:0:0"]
    return got, r.stderr


def vlq(v):
    v = (-v << 1) | 1 if v < 0 else v << 1
    out = ""
    while True:
        d, v = v & 31, v >> 5
        out += B64[d | (32 if v else 0)]
        if not v:
            return out


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def source_map(want, base):
    """A source map v3 for a module whose Code payload starts at base: at each
    instruction's file offset, the symbolizer's innermost file:line:column
    (0-based in the map), or an unmapped segment where it has no line."""
    import json
    files, segs, last = [], [], [0, 0, 0, 0]
    for a in sorted(want):
        f, _, lc = want[a][1].decode().rpartition(":")
        f, _, line = f.rpartition(":")
        if f == "??" or int(line) == 0:
            segs.append(vlq(a + base - last[0]))
            last[0] = a + base
            continue
        if f not in files:
            files.append(f)
        cur = [a + base, files.index(f), int(line) - 1, max(int(lc) - 1, 0)]
        segs.append("".join(vlq(x - y) for x, y in zip(cur, last)))
        last = cur
    root = ROOT + "/"
    rooted = files and all(f.startswith(root) for f in files)
    m = {"version": 3, "file": "m.wasm", "names": [], "x_google_ignoreList": [],
         "sources": [f[len(root):] if rooted else f for f in files], "mappings": ",".join(segs)}
    if rooted:
        m["sourceRoot"] = ROOT
    return json.dumps(m, indent=1).encode()


def with_custom(data, name, text):
    body = harness.uleb(len(name)) + name + harness.uleb(len(text)) + text
    return data + b"\0" + harness.uleb(len(body)) + body


def check_split(name):
    """The DWARF split off the module (llvm-objcopy-14 --strip-debug and
    --only-keep-debug), found through an external_debug_info section next to
    the module or by --debug-file: every address answers as on the module
    itself (the symbolizer's frames); and a source map written from the
    symbolizer's innermost lines, named by sourceMappingURL: each address
    gives that line back."""
    path = os.path.join(OUT, name)
    with open(path, "rb") as f:
        data = f.read()
    split = os.path.join(OUT, "split")
    addrs = subprocess.run([TOOL, "--addrs", path], capture_output=True).stdout.split()
    sym = split_answers(cached("sym", path, data, lambda: b""))
    if len(sym) != len(addrs):
        return name, [("split", False, "no symbolizer answers")]
    want = {int(a, 16): ans for a, ans in zip(addrs, sym)}
    stripped = os.path.join(split, name)
    debug = stripped[:-5] + ".debug.wasm"
    for args in (["--strip-debug", path, stripped], ["--only-keep-debug", path, debug]):
        r = subprocess.run(["llvm-objcopy-14"] + args, capture_output=True)
        if r.returncode:
            return name, [("split", False, "llvm-objcopy-14 %s: %r" % (args[0], r.stderr))]
    with open(stripped, "rb") as f:
        bare = f.read()
    ext = stripped[:-5] + ".ext.wasm"
    with open(ext, "wb") as f:
        f.write(with_custom(bare, b"external_debug_info", os.path.basename(debug).encode()))
    res = []
    for what, args in (("external_debug_info", [ext]), ("--debug-file", ["--debug-file", debug, stripped])):
        got, err = addr2line_json(args, want)
        bad = [a for a in want if got.get(a) != want[a]]
        res.append(("split " + what, not bad and not err,
                    "%d/%d agree%s %r" % (len(want) - len(bad), len(want),
                                          "; first 0x%x ours %r llvm %r" % (bad[0], got.get(bad[0]), want[bad[0]])
                                          if bad else "", err[:200])))
    base = code_base(bare)
    mapped = stripped[:-5] + ".mapped.wasm"
    os.makedirs(os.path.join(split, "maps"), exist_ok=True)
    with open(os.path.join(split, "maps", name + ".map"), "wb") as f:
        f.write(source_map(want, base))
    with open(mapped, "wb") as f:
        f.write(with_custom(bare, b"sourceMappingURL", ("maps/%s.map" % name).encode()))
    got, err = addr2line_json([mapped], want)
    bad, mapped_n = [], 0
    for a in want:
        f, _, lc = want[a][1].rpartition(b":")
        f, _, line = f.rpartition(b":")
        exp = [b"??", b"??:0:0"] if f == b"??" or line == b"0" else \
            [b"??", b"%s:%s:%d" % (f, line, max(int(lc), 1))]
        mapped_n += exp[1] != b"??:0:0"
        if got.get(a) != exp:
            bad.append((a, got.get(a), exp))
    res.append(("source-map", not bad and not err and mapped_n > 0,
                "%d/%d agree (%d mapped)%s %r" % (len(want) - len(bad), len(want), mapped_n,
                                                  "; first %r" % (bad[:1],) if bad else "", err[:200])))
    # a map cut short or with a byte changed: a warning with its offset, never a crash
    with open(os.path.join(split, "maps", name + ".map"), "rb") as f:
        text = f.read()
    rng, bad = random.Random(name), []
    broken = os.path.join(split, "maps", name + ".bad.map")
    cases = [text[:len(text) * k // 5] for k in range(5)] + \
        [text[:i] + bytes([rng.choice(b'x"{}[],:\\!')]) + text[i + 1:]
         for i in (rng.randrange(len(text)) for _ in range(4 if SANITIZE else 12))]
    for body in cases:
        with open(broken, "wb") as f:
            f.write(body)
        r = subprocess.run([EXPLORE, "--addr2line", "--source-map", broken, stripped,
                            "0x%x" % (min(want) + base)], capture_output=True, timeout=60)
        if r.returncode not in (0, 1) or (b"not a source map" in r.stderr and
                                          not re.search(rb"\.map\+0x[0-9a-f]+: ", r.stderr)):
            bad.append((body[:40], r.returncode, r.stderr[:200]))
    res.append(("source-map-malformed", not bad, "%d cases, %d bad: %r" % (len(cases), len(bad), bad[:1])))
    return name, res


# Rust legacy names (for a machine without rustc; with one, tests/dwarf/src/names.rs
# gives real ones too): each a list of path components, mangled below with a hash as
# rustc writes them; c++filt is the oracle (finished by legacy_unescape() where it
# stops at a non-ASCII character).
RUST_PATHS = [
    ["std", "io", "stdio", "_print"],
    ["core", "fmt", "Formatter", "pad"],
    ["alloc", "raw_vec", "finish_grow"],
    ["core", "ptr", "drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$"],
    ["_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$", "drop"],
    ["_$LT$std..io..stdio..StdoutLock$u20$as$u20$std..io..Write$GT$", "write_all"],
    ["hello", "main", "$u7b$$u7b$closure$u7d$$u7d$"],
    ["core", "slice", "_$LT$impl$u20$$u5b$T$u5d$$GT$", "iter"],
    ["_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$", "fmt"],
    ["std", "sys", "wasi", "os", "errno"],
    ["_$LT$$BP$const$u20$T$u20$as$u20$core..fmt..Pointer$GT$", "fmt"],
    ["names", "gr$uf6$$udf$e"],
    ["_$LT$names..Carr$ue9$$u20$as$u20$names..Shape$GT$", "area"],
]


# Rust v0 names (RFC 2603), written by hand for the grammar's every form (for
# a machine without rustc; with one, names.rs gives real ones too): crate roots with and without disambiguators, inherent and
# trait impls, closures and shims, generic arguments, every basic type,
# references, pointers, arrays, slices, tuples, fn pointers with binders,
# unsafe and extern "C", dyn traits with associated types and lifetimes,
# const generics (integers, bool, char), backreferences, an instantiating
# crate, a .llvm suffix, Punycode identifiers.
# Each one binutils' c++filt demangles (checked below).
RUST_V0 = [
    "_RNvCs15kBYyAo9fc_7mycrate7example",
    "_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate",
    "_RNvXCs15kBYyAo9fc_7mycrateNtB2_7ExampleNtNtCs3ssYzQotkvD_3std3fmt5Debug3fmt",
    "_RNvC6_123foo3bar",
    "_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_",
    "_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
    "_RINvNtC3std3mem8align_ofdE",
    "_RINvNtC3std3mem8align_ofKj5_E",
    "_RINvNtCs1234_4core3ptr13drop_in_placeNtNtCs5678_5alloc3vec3VecE",
    "_RINvNtCs1234_4core3ptr13drop_in_placeINtNtCs5678_5alloc3vec3VechEEB4_",
    "_RNvMNtCs1234_4core3fmtNtB2_9Formatter3pad",
    "_RNvXs_NtCs1234_4core3fmtRNtB4_9ArgumentsNtB4_7Display3fmt",
    "_RNvXNtCs1234_4core3fmtReNtB2_5Debug3fmt",
    "_RINvCs1234_7mycrate4callFEuE",
    "_RINvCs1234_7mycrate4callFlmEyE",
    "_RINvCs1234_7mycrate4callFUKCPhEuE",
    "_RINvCs1234_7mycrate4callFG0_RL0_hEuE",
    "_RINvCs1234_7mycrate4callDNtCs5678_4core3AnyEL_E",
    "_RINvCs1234_7mycrate4callDNtNtCs5678_4core3fmt5DebugNtNtBr_6marker4SendEL_E",
    "_RINvCs1234_7mycrate4callTlmEE",
    "_RINvCs1234_7mycrate4callTlEE",
    "_RINvCs1234_7mycrate4callTEE",
    "_RINvCs1234_7mycrate4callAhj14_E",
    "_RINvCs1234_7mycrate4callShE",
    "_RINvCs1234_7mycrate4callQShE",
    "_RINvCs1234_7mycrate4callPmE",
    "_RINvCs1234_7mycrate4callOmE",
    "_RINvCs1234_7mycrate4callKb1_E",
    "_RINvCs1234_7mycrate4callKb0_E",
    "_RINvCs1234_7mycrate4callKlnff_E",
    "_RINvCs1234_7mycrate4callKpE",
    "_RINvCs1234_7mycrate4callzvnoE",
    "_RINvCs1234_7mycrate4callabcdefhijlmnostuxyzE",
    "_RNvNvCs1234_7mycrate4main4NAME",
    "_RNSNvCs1234_7mycrate4mains_0",
    "_RNCNvCs1234_7mycrate4main0",
    "_RNCNvCs1234_7mycrate4mains0_0",
    "_RNCNvCs1234_7mycrate4mains_6helper",
    "_RNvYNtCs1234_7mycrate5PointNtNtCs5678_4core5clone5Clone5clone",
    "_RINvMNtCs1234_7mycrate5shapeINtB3_4RectlE4areaKj3_E",
    "_RNvXINICs1234_7mycrate0pEINtB5_4WrapNtB5_3FooENtNtCs5678_4core7default7Default7default",
    "_RINvCs1234_7mycrate4callFG1_RL1_hRL0_hERL1_hE",
    "_RNvCs1234_7mycrate7example.llvm.4567",
    "_RINvCs1234_7mycrate4callDINtNtCs5678_4core3ops2FnTlEEp6OutputmEL_E",
    "_RINvCs1234_7mycrate4callDG_INtNtCs5678_4core3ops2FnTRL0_hEEp6OutputRL0_hEL_E",
    "_RINvCs1234_7mycrate4callRL_hE",
    "_RINvCs1234_7mycrate4callINtNtCs5678_4core6option6OptionINtNtBr_6result6ResultmlEEE",
    "_RNvNtNtCs1234_7mycrate5inner5inner3fooCs5678_5other",
    "_RNvCsdP0JYDzfBz0_7mycrate7example",
    "_RINvCs1234_7mycrate4callKy0_E",
    "_RINvCs1234_7mycrate4callKyffffffffffffffff_E",
    "_RNvMs0_Cs1234_7mycrateNtB5_3Foo3new",
    "_RNvCs4T4zK9Otvt5_5namesu9gre_6ka8i",
    "_RNvXs0_Cs4T4zK9Otvt5_5namesNtB5_u8Carr_epaNtB5_5Shape4area",
    "_RINvCs1234_7mycrate4callKc27_E",
    "_RINvCs1234_7mycrate4callKc20_E",
    "_RINvCs1234_7mycrate4callKc1f600_E",
]


def rust_names():
    out = []
    for k, path in enumerate(RUST_PATHS):
        h = "h%016x" % (0x9e3779b97f4a7c15 * (k + 1) % (1 << 64))
        out.append("_ZN" + "".join("%d%s" % (len(c), c) for c in path + [h]) + "E")
    return out


def module_mangled(path):
    """The _Z names of one module: symbols (llvm-nm-14) and DWARF linkage
    names (llvm-dwarfdump-14, only when it has .debug_info), cached by hash."""
    with open(path, "rb") as f:
        data = f.read()

    def run():
        names = set()
        if b"_Z" not in data:  # no name to find (most of the corpus is C)
            return b""
        cmds = [["llvm-nm-14", path]]
        if b".debug_info" in data:
            cmds.append([DWARFDUMP, "--debug-info", path])
        for cmd in cmds:
            out = subprocess.run(cmd, capture_output=True).stdout.decode(errors="replace")
            names.update(re.findall(r"\b(_Z[A-Za-z0-9_$.]+)", out))
        return "\n".join(sorted(names)).encode()
    return cached("mangled", path, data, run).decode().split()


def mangled_names(pool, paths):
    """Every _Z name of the modules, the modules read in parallel."""
    names = set()
    for found in pool.imap_unordered(module_mangled, paths, chunksize=8):
        names.update(found)
    return sorted(names)


def rustc_names():
    """The symbol names rustc gives tests/dwarf/src/names.rs, built natively
    in both manglings (legacy and v0), when rustc is installed: ([legacy
    names], [v0 names]), or None without rustc."""
    rustc = shutil.which("rustc")
    if not rustc:
        return None
    got = ([], [])
    for k, how in enumerate(("legacy", "v0")):
        obj = os.path.join(OUT, "names-%s.o" % how)
        mangling = ["-C", "symbol-mangling-version=v0"] if how == "v0" else []  # legacy: the default
        r = subprocess.run([rustc, "-C", "opt-level=0"] + mangling + ["--emit=obj", "-o", obj,
                            os.path.join(ROOT, "tests/dwarf/src/names.rs")], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError("rustc %s: %s" % (how, r.stderr.decode(errors="replace")[:400]))
        syms = subprocess.run(["llvm-nm-14", obj], capture_output=True).stdout.decode().split()
        got[k].extend(sorted({n for n in syms if n.startswith("_ZN" if how == "legacy" else "_R")}))
    return got


def legacy_unescape(text):
    """What c++filt leaves of a Rust legacy name with a non-ASCII $u..$
    escape (it prints the rest of the name as it is), finished as
    rustc-demangle does: the escapes decoded and ".." as "::"."""
    esc = {"SP": "@", "BP": "*", "RF": "&", "LT": "<", "GT": ">", "LP": "(", "RP": ")", "C": ","}
    text = re.sub(r"\$(u[0-9a-f]+|SP|BP|RF|LT|GT|LP|RP|C)\$",
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" else esc[m.group(1)],
                  text)
    return text.replace("..", "::")


# A Rust legacy $u..$ escape of a non-ASCII character, where c++filt stops.
NON_ASCII_ESCAPE = r"\$u[0-9a-f]*[89a-f][0-9a-f]\$|\$u[0-9a-f]{3,}\$"


def check_demangle(pool, paths):
    """wlab_demangle (tests/bin/wlab-demangle) against c++filt on every name:
    ([(name, ours, expected)], whole, legacy from rustc, v0 from rustc)."""
    built = rustc_names()
    legacy, v0 = built if built else ([], [])
    names = mangled_names(pool, paths) + rust_names() + RUST_V0 + legacy + v0
    text = ("\n".join(names) + "\n").encode()
    ours = subprocess.run([DEMANGLE, "-m"], input=text, capture_output=True).stdout.splitlines()
    theirs = subprocess.run(["c++filt"], input=text, capture_output=True).stdout.splitlines()
    rows = []
    for n, a, b in zip(names, ours, theirs):
        t = b.decode(errors="replace")
        if n.startswith("_ZN") and re.search(NON_ASCII_ESCAPE, t):
            b = legacy_unescape(t).encode()  # c++filt stopped at a non-ASCII character
        rows.append((n, a, b))
    return rows, len(ours) == len(theirs) == len(names), len(legacy), len(v0)


def sections(data):
    """(start of the section, id, payload start, payload end, name) of each section."""
    return [(start, sid, p0, p1, harness.custom_name(data, p0) if sid == 0 else b"")
            for sid, start, p0, p1 in harness.sections(data)]


def with_section(data, sec, payload):
    start, sid, p0, p1, name = sec
    return data[:start] + bytes([sid]) + harness.uleb(len(payload)) + payload + data[p1:]


def mutate_module(name):
    """Truncated and mutated debug sections: (name, [(check, ok, detail)])."""
    path = os.path.join(OUT, name)
    with open(path, "rb") as f:
        data = f.read()
    rng = random.Random(name)
    res = []
    tmp = os.path.join(OUT, "mut-%s-%d" % (name, os.getpid()))
    secs = [s for s in sections(data) if s[4].startswith(b".debug_")]
    # rustc's modules (megabytes of DWARF, each case a whole read) get fewer cases
    big = len(data) > 2000000
    for sec in secs:
        start, sid, p0, p1, sname = sec
        payload = data[p0:p1]
        head = len(harness.uleb(len(sname))) + len(sname)
        cuts = sorted({head + (p1 - p0 - head) * k // 4 for k in range(2 if big else 4)} | {head + 1})
        cases = [("cut %d" % c, payload[:c], c > head) for c in cuts if c < len(payload)]
        for k in range(1 if big else 2 if SANITIZE else 6):
            b = bytearray(payload)
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(head, len(b)) if len(b) > head else None
                if i is not None:
                    b[i] = rng.randrange(256)
            cases.append(("mutation %d" % k, bytes(b), False))
        for what, body, must_warn in cases:
            with open(tmp, "wb") as f:
                f.write(with_section(data, sec, body))
            rcs, err = [], b""
            addrs = subprocess.run([TOOL, "--addrs", tmp], capture_output=True,
                                   timeout=60).stdout.split(b"\n")
            # at most about 4,000 lookups a case (rustc's modules have 60,000 addresses)
            addrs = b"\n".join(addrs[::max(1, len(addrs) // 4000)])
            for mode in ("--lines", "--lookup"):
                try:
                    r = subprocess.run([TOOL, mode, tmp], input=addrs if mode == "--lookup"
                                       else b"", capture_output=True, timeout=60)
                    rcs.append(r.returncode)
                    err += r.stderr
                except subprocess.TimeoutExpired:
                    rcs.append("timeout")
            secname = sname.decode()
            warned = b"warning: " in err
            # A cut of .debug_line, .debug_info or .debug_abbrev leaves a unit short
            # (the cut at head + 1 always does); other sections are read on demand.
            need = must_warn and secname in (".debug_line", ".debug_info", ".debug_abbrev")
            good = rcs == [0, 0] and (warned or not need)
            res.append(("%s %s" % (secname, what), good,
                        "exit %s, stderr %r" % (rcs, err[:300])))
    if os.path.exists(tmp):
        os.remove(tmp)
    return name, res


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(CACHE, exist_ok=True)
    passed = failed = 0
    results = os.path.join(BUILD, "test-results")
    os.makedirs(results, exist_ok=True)

    def ok(cond, what):
        nonlocal passed, failed
        if cond:
            passed += 1
        else:
            failed += 1
            if failed <= 40:
                sys.stderr.write("FAIL %s\n" % what)

    for t in (TOOL,):
        if not os.path.exists(t):
            sys.stderr.write("dwarf: %s missing (make testbins)\n" % t)
            ok(False, "tool")
    items = builds()
    ok(wasm_rustc() is not None, "a rustc with the wasm32-wasi target (Debian: rustc and"
       " libstd-rust-dev-wasm32; bash scripts/deps.sh installs them)")
    with Pool(os.cpu_count()) as pool:
        built = pool.map(build_one, items)
        names = []
        for name, err in built:
            ok(err is None, "build %s: %s" % (name, err))
            if err is None:
                names.append(name)
        total = agree_total = expl_total = 0
        for name, res, n, agree, expl in pool.imap_unordered(check_module, names):
            total += n
            agree_total += agree
            expl_total += expl
            for check, good, detail in res:
                ok(good, "%s %s: %s" % (name, check, detail))
            print("%-28s %s" % (name, "; ".join("%s %s" % (c, "ok" if g else "FAIL")
                                                 for c, g, _ in res)))
        for name, res in pool.imap_unordered(check_tools, names):
            for check, good, detail in res:
                ok(good, "%s %s: %s" % (name, check, detail))
            print("%-28s %s" % (name, "; ".join("%s %s" % (c, "ok" if g else "FAIL")
                                                 for c, g, _ in res)))
        rust_panic = check_rust_panic()
        for check, good, detail in rust_panic:
            ok(good, "%s: %s" % (check, detail))
        print("%-28s %s" % ("panic-rs.O0.wasm", "; ".join("%s %s" % (c, "ok" if g else "FAIL")
                                                         for c, g, _ in rust_panic)))
        os.makedirs(os.path.join(OUT, "split"), exist_ok=True)
        nsplit = 0
        linked = [n for n in names if n.endswith(".wasm")]
        for name, res in pool.imap_unordered(check_split, linked[::3] if SANITIZE else linked):
            for check, good, detail in res:
                ok(good, "%s %s: %s" % (name, check, detail))
                if check == "source-map" or check.startswith("split"):
                    nsplit += int(detail.split("/")[0]) if good else 0
            print("%-28s %s" % (name, "; ".join("%s %s" % (c, "ok" if g else "FAIL")
                                                 for c, g, _ in res)))
        print("split DWARF and source maps: %d address answers agree" % nsplit)
        oracle = sourcemap_oracle.check(os.path.join(OUT, "sourcemap"), EXPLORE, RUN)
        for check, good, detail in oracle:
            ok(good, "%s: %s" % (check, detail))
            print("%-28s %s %s: %s" % ("sm.wasm", check, "ok" if good else "FAIL", detail))
        print("addresses: %d/%d agree with %s; %d more differ only by the data symbol it"
              " names in a relocatable object" % (agree_total, total, SYMBOLIZER, expl_total))
        corpus = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(BUILD, "corpus"))
                  for f in fs if f.endswith((".o", ".wasm"))]
        rows, whole, nlegacy, nv0 = check_demangle(pool, [os.path.join(OUT, n) for n in names] + corpus)
        ok(whole, "demangle: as many answers as names")
        for n, a, b in rows:
            ok(a == b, "demangle %s: ours %r, c++filt %r" % (n, a, b))
        for n, _, b in rows:
            if n.startswith("_R"):
                ok(b.decode(errors="replace") != n, "c++filt demangles Rust v0 %s" % n)
        ok(nlegacy + nv0 > 0 or not shutil.which("rustc"), "rustc built names.rs with symbols")
        print("demangle: %d/%d names as c++filt prints them (Rust legacy: %d listed, %d from rustc;"
              " Rust v0: %d listed, %d from rustc%s; corpus: %d modules)"
              % (sum(a == b for _, a, b in rows), len(rows), len(RUST_PATHS), nlegacy,
                 len(RUST_V0), nv0, "" if shutil.which("rustc") else ": no rustc on PATH",
                 len(corpus)))
        some = os.path.join(OUT, names[0])
        for args, rc in ((["--code-addresses", some], 2), (["--addr2line", "--annotate", some], 2),
                         (["--addr2line", some, "not-an-address"], 1)):
            r = subprocess.run([EXPLORE] + args, capture_output=True)
            ok(r.returncode == rc and r.stderr, "wlab-explore %s: exit %d (want %d)"
               % (" ".join(args), r.returncode, rc))
        sample = names if not SANITIZE else names[::4]
        nmut = 0
        for name, res in pool.imap_unordered(mutate_module, sample):
            for check, good, detail in res:
                nmut += 1
                ok(good, "%s malformed %s: %s" % (name, check, detail))
        print("malformed: %d cases over %d modules" % (nmut, len(sample)))
    print("dwarf: %d passed, %d failed" % (passed, failed))
    with open(os.path.join(results, "dwarf.txt"), "w") as f:
        f.write("%d %d\n" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
