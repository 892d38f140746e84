#!/usr/bin/env python3
"""run-order.py: writes cmd/wlab-run/run-order.ld, the functions a run of
wlab-run executes, which the link puts together at the head of its text.

The kernel maps a program's file pages some 64 KiB around each page fault,
so the pages a run keeps resident are those of every 64 KiB stretch of text
it executes anything in. Laid out by source file, the functions a run goes
through (decode, validate, translate, the interpreter, WASI) lie among the
ones it never calls (errors, GC, SIMD, the text format, DWARF), and a run
maps nearly all of wlab-run's text; gathered in one place they take some
150 KiB of it (docs/benchmarks.md, "Peak RSS and the run's text").

The list comes from callgrind: wlab-run (BUILD's, the default build: gcc,
computed goto; every build is made with -ffunction-sections) runs the
programs of tests/bench/ (--invoke run) and CoreMark when COREMARK names its
source, as scripts/bench-interp.sh builds them, and the WASI example when
built (make examples), each under callgrind; every
function of libwasm or cmd/wlab-run that executed an instruction is listed,
by its name in the source (a compiler's clone, name.isra.0, is matched by
the pattern .text.name.*). Functions are grouped by file, files and names
sorted, so that the file changes only where the run's path does. A name
that no longer exists matches nothing; tests/run/cli.sh checks that every
listed name is still defined in the file it is listed under
(run-order.py --names, which reads the committed file).

Needs valgrind, what bench-interp.sh needs to build (clang for wasm32), and
a built BUILD.
The clang build's handlers (h_op_*, made by macros) are not listed: they
follow the list in rt_exec.c's order, as all of its code did before.

Usage: BUILD=build [COREMARK=DIR] python3 scripts/run-order.py [--check | --names]
  --check: compare with the committed file instead of writing it (exit 1
  when they differ). --names: only check that every name of the committed
  file is still defined in the file it is listed under (tests/run/cli.sh).
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", "build")
OUT = os.path.join(ROOT, "cmd/wlab-run/run-order.ld")

HEADER = """\
/* run-order.ld: the functions a run of wlab-run executes, placed together
 * at the head of its text so that a run keeps few of the program's file
 * pages resident. Written by scripts/run-order.py from callgrind profiles
 * of the bench programs, the WASI example and CoreMark; regenerate it when
 * the run's path changes. A stale name only costs pages: tests/run/cli.sh
 * checks that every name is still a function of the file it is listed
 * under. The whole of .text is this one output section (the default
 * script's is left empty and dropped): debuggers and valgrind know a
 * program's code by its one .text. */
SECTIONS
{
  .text :
  {
    /* _fini, which runs at exit (in .fini after .text it alone would map
       the last 64 KiB of text), and main and the like (.text.startup) */
    KEEP (*(SORT_NONE(.fini)))
    *(.text.startup .text.startup.*)
"""
FOOTER = """\
    __wlab_run_text_end = .;
    /* then the rest */
    *(.text .stub .text.* .gnu.linkonce.t.*)
  }
}
INSERT BEFORE .text;
"""


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def programs(tmp):
    """(argv after wlab-run) for each program to profile. The bench
    programs and CoreMark are the ones scripts/bench-interp.sh builds (run
    once with ENGINES=wlab to build them, REPEAT=1, into BUILD/bench/interp)."""
    env = dict(os.environ, BUILD=BUILD, ENGINES="wlab", RUNS="1", BIG="0", REPEAT="1")
    sh(["bash", os.path.join(ROOT, "scripts/bench-interp.sh")], env=env,
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bench = os.path.join(ROOT, BUILD, "bench/interp")
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "tests/bench"))):
        wasm = os.path.join(bench, name[:-2] + ".wasm")
        if name.endswith(".c") and os.path.isfile(wasm):
            out.append(["--invoke", "run", wasm])
    notes = os.path.join(ROOT, BUILD, "examples/wasi/notes.wasm")
    if os.path.isfile(notes):
        out.append(["--dir", tmp + "::.", "--env", "NOTES_USER=run-order", notes, "a", "b"])
    if os.environ.get("COREMARK"):
        out.append([os.path.join(bench, "coremark.wasm"), "0x0", "0x0", "0x66", "10"])
    return out


LINE = re.compile(r"^\s*[\d,]+ \([^)]*\)\s+(\S+):(\S+) \[(.*)\]$")


def executed(wlab, argv, tmp):
    """{file: {function}} of libwasm and cmd/wlab-run that ran."""
    prof = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + prof,
                    wlab, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ann = subprocess.run(["callgrind_annotate", "--threshold=100", prof],
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in ann.splitlines():
        m = LINE.match(line)
        if not m or os.path.realpath(m.group(3)) != os.path.realpath(wlab):
            continue
        path = os.path.relpath(os.path.realpath(m.group(1)), ROOT)
        if not (path.startswith("libwasm/") or path.startswith("cmd/wlab-run/")):
            continue
        # name.isra.0 is a clone of name; name'2, callgrind's recursion
        found.setdefault(path, set()).add(re.split(r"[.']", m.group(2))[0])
    return found


def defines(text, name):
    """Whether source text defines function name."""
    return re.search(r"^\w[^;=]*\b%s\(" % re.escape(name), text, re.M) is not None


def by_definition(funcs):
    """funcs regrouped by the file that defines each name: callgrind names
    the file of a function's first line, which may be an inlined header's."""
    sources = []
    for top in ("cmd/wlab-run", "libwasm/src", "libwasm/include"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    p = os.path.join(dirpath, n)
                    with open(p) as f:
                        sources.append((os.path.relpath(p, ROOT), f.read()))
    out = {}
    for path, names in funcs.items():
        for name in names:
            home = next((p for p, text in sources if defines(text, name)), path)
            out.setdefault(home, set()).add(name)
    return out


def check_names():
    """Every name of the committed file defined in the file it is listed
    under: exit 1 naming those that are not."""
    path, bad, n = None, [], 0
    with open(OUT) as f:
        for line in f:
            m = re.match(r"\s*/\* (\S+\.[ch]) \*/", line)
            if m:
                path = m.group(1)
                with open(os.path.join(ROOT, path)) as src:
                    text = src.read()
                continue
            m = re.match(r"\s*\*\(\.text\.(\w+) ", line)
            if m and path:
                n += 1
                if not defines(text, m.group(1)):
                    bad.append("%s in %s" % (m.group(1), path))
    print("run-order.ld: %d names, %d not defined where listed%s" %
          (n, len(bad), (": " + ", ".join(bad[:10])) if bad else ""))
    sys.exit(1 if bad or n < 100 else 0)


def main():
    if "--names" in sys.argv[1:]:
        check_names()
    wlab = os.path.join(ROOT, BUILD, "bin/wlab-run")
    if not os.access(wlab, os.X_OK):
        sys.exit("run-order.py: no %s (make BUILD=%s first)" % (wlab, BUILD))
    funcs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for argv in programs(tmp):
            for path, names in executed(wlab, argv, tmp).items():
                funcs.setdefault(path, set()).update(names)
    if not funcs:
        sys.exit("run-order.py: callgrind found no function of wlab-run's")
    funcs = by_definition(funcs)
    text = HEADER
    for path in sorted(funcs):
        text += "    /* %s */\n" % path
        for name in sorted(funcs[path]):
            text += "    *(.text.%s .text.%s.*)\n" % (name, name)
    text += FOOTER
    if "--check" in sys.argv[1:]:
        with open(OUT) as f:
            same = f.read() == text
        print("run-order.ld is %s" % ("current" if same else "out of date"))
        sys.exit(0 if same else 1)
    with open(OUT, "w") as f:
        f.write(text)
    print("%s: %d functions in %d files" % (os.path.relpath(OUT, ROOT),
          sum(len(v) for v in funcs.values()), len(funcs)))


if __name__ == "__main__":
    main()
