#!/usr/bin/env python3
"""profile.py: wlab-run --profile, --profile-top and --coverage (suite run-profile).

tests/run/profile.wat has a known call structure: the folded stacks must be
exactly its stacks, the counts must follow its loop counts (leaf's count
under loop is n times one call's; loop's grows by the same amount per
round), and for every program run (those of profile.wat, a trap, memory.fill
charged by bytes, and tests/run/profcov.c built with clang for wasm32-wasi)
the counts sum to the fuel the run takes: --fuel SUM runs as without fuel,
--fuel SUM-1 traps "fuel exhausted". Two runs give the same file.
--coverage of profcov.c (-g -O0, argument 3): its lcov DA lines are exactly
the lines with code, those of never_called and of the else branch 0, the
others run (the loop's body 3 times); lcov and genhtml accept the file.
--coverage at -O2 -g of profcov.c (never_called inlined into main, not run;
the loop folded by clang) and srctrap.c (ratio inlined into scale, run)
against llvm-symbolizer-14: the instructions
the run executes are found by --coverage itself through a source map that
maps each instruction's offset to its own line (on the module without its
DWARF; the instructions the interpreter gives a count: not block, loop,
end, nop); the symbolizer's innermost line at those addresses must be exactly
the DA lines run of the DWARF run, and its lines at the other instructions
exactly the DA lines with 0.
--profile-clock cpu|wall (profclock.wat, clocks() below): samples, not
timing: the hot function's stack has the large majority, the stacks are
folded stacks of the count profile's names, a trap still writes the file,
bad values are usage errors (exit 2).
Prints `run-profile: N passed, N failed`."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
RUN = os.path.join(BUILD, "bin", "wlab-run")
DIR = os.path.join(BUILD, "run-profile")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", file=sys.stderr)


def run(args):
    p = subprocess.run([RUN] + args, capture_output=True, text=True, timeout=120)
    if "Sanitizer" in p.stderr or "runtime error:" in p.stderr:
        check("sanitizer", False, p.stderr[:600])
    return p


def folded(path):
    stacks = {}
    with open(path) as f:
        for line in f:
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            assert stack not in stacks, f"{path}: {stack} twice"
            stacks[stack] = int(count)
    return stacks


def profile(name, args):
    """The stacks and the run of wlab-run --profile ARGS."""
    out = os.path.join(DIR, name + ".folded")
    p = run(["--profile", out] + args)
    return folded(out), p


def fuel_agrees(name, args):
    """The profile sums to the least fuel that runs ARGS as without fuel."""
    stacks, p = profile(name, args)
    plain = run(args)
    total = sum(stacks.values())
    check(f"{name}: same run with --profile", (p.returncode, p.stdout) ==
          (plain.returncode, plain.stdout), f"{p.returncode} {p.stdout!r} vs {plain.stdout!r}")
    enough = run(["--fuel", str(total)] + args)
    short = run(["--fuel", str(total - 1)] + args)
    check(f"{name}: --fuel {total} runs", (enough.returncode, enough.stdout) ==
          (plain.returncode, plain.stdout), enough.stderr[:300])
    check(f"{name}: --fuel {total - 1} runs out", short.returncode == 134 and
          "fuel exhausted" in short.stderr, short.stderr[:300])
    again, _ = profile(name + "-again", args)
    check(f"{name}: deterministic", again == stacks)
    return stacks


def lcov_records(path):
    """{source file: {"DA": {line: count}, "FNDA": {name: count}, ...}}"""
    recs, cur = {}, None
    with open(path) as f:
        for line in f:
            key, _, val = line.rstrip("\n").partition(":")
            if key == "SF":
                cur = recs.setdefault(val, {"DA": {}, "FN": {}, "FNDA": {}})
            elif key == "DA":
                ln, cnt = val.split(",")
                cur["DA"][int(ln)] = int(cnt)
            elif key in ("FN", "FNDA"):
                num, name = val.split(",", 1)
                cur[key][name] = int(num)
            elif key in ("LF", "LH", "FNF", "FNH"):
                cur[key] = int(val)
    return recs


def coverage(cwasm):
    info = os.path.join(DIR, "profcov.info")
    p = run(["--coverage", info, cwasm, "3"])
    check("coverage: the run", p.returncode == 0 and p.stdout == "sum 5\n", p.stderr[:300])
    recs = lcov_records(info)
    src = os.path.join(ROOT, "tests/run/profcov.c")
    r = recs.get(src)
    check("coverage: profcov.c has a record", r is not None, sorted(recs)[:5])
    if not r:
        return
    ran = {l for l, c in r["DA"].items() if c > 0}
    never = {l for l, c in r["DA"].items() if c == 0}
    # lines: 10 square's return, 14-16 never_called, 20-31 main (27: "} else {",
    # where clang puts the branch past the else)
    check("coverage: lines never run", never == {14, 15, 16, 28, 29}, sorted(never))
    check("coverage: lines run", ran == {9, 10, 20, 21, 22, 23, 24, 25, 26, 27, 31}, sorted(ran))
    check("coverage: counts", r["DA"].get(24) == 3 and r["DA"].get(23) == 4 and
          r["DA"].get(21) == 1, r["DA"])
    check("coverage: functions", r["FNDA"].get("square") == 3 and
          r["FNDA"].get("never_called") == 0 and r.get("FNF") == 3 and r.get("FNH") == 2,
          r["FNDA"])
    check("coverage: LF and LH", r.get("LF") == len(r["DA"]) and r.get("LH") == len(ran))
    if shutil.which("genhtml") and shutil.which("lcov"):
        one = os.path.join(DIR, "profcov-only.info")
        html = os.path.join(DIR, "html")
        shutil.rmtree(html, ignore_errors=True)
        e = subprocess.run(["lcov", "-q", "--extract", info, "*/profcov.c", "-o", one],
                           capture_output=True, text=True)
        g = subprocess.run(["genhtml", "-q", "-o", html, one], capture_output=True, text=True)
        check("coverage: lcov and genhtml accept it", e.returncode == 0 and g.returncode == 0 and
              os.path.exists(os.path.join(html, "index.html")), e.stderr + g.stderr)
    else:
        check("lcov is installed (bash scripts/deps.sh)", False)


def vlq(v):
    v = (-v << 1) | 1 if v < 0 else v << 1
    out = ""
    while True:
        d, v = v & 31, v >> 5
        out += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[d | (32 if v else 0)]
        if not v:
            return out


def code_base(path):
    """The file offset of the Code section's payload."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 8
    while pos < len(data):
        sid, pos = data[pos], pos + 1
        size = shift = 0
        while True:
            size |= (data[pos] & 0x7f) << shift
            shift += 7
            pos += 1
            if not data[pos - 1] & 0x80:
                break
        if sid == 10:
            return pos
        pos += size
    return None


def coverage_opt(prog, opt, arg, rc, must_run, must_not):
    """prog.c (tests/run) at -OPT -g run with arg: ours against
    llvm-symbolizer-14 at the executed instructions (above); lines must_run
    run, must_not not. Compiled and linked in two steps: clang 14's driver
    runs wasm-opt on what it links at -O1 and more, which drops the DWARF."""
    src = os.path.join(ROOT, f"tests/run/{prog}.c")
    name = os.path.join(DIR, f"{prog}-{opt}")
    wasm = name + ".wasm"
    c = subprocess.run(f"clang --target=wasm32-wasi -{opt} -g -c -o {name}.o {src} && "
                       f"clang --target=wasm32-wasi -o {wasm} {name}.o", shell=True,
                       capture_output=True, text=True)
    what = f"coverage {prog}.c -{opt}"
    check(f"clang -{opt} -g {prog}.c", c.returncode == 0, c.stderr[:400])
    tools = [shutil.which(t) for t in ("llvm-symbolizer-14", "llvm-objcopy-14")]
    check("llvm-symbolizer-14 and llvm-objcopy-14 are installed", all(tools))
    if c.returncode or not all(tools):
        return
    p = run(["--coverage", name + ".info", wasm, arg])
    r = lcov_records(name + ".info").get(src)
    check(f"{what}: the run", p.returncode == rc and r is not None, p.stderr[:300])
    if not r:
        return
    # every instruction's code address, its own line in a source map (at its
    # file offset in the module without DWARF: llvm-objcopy moves the code)
    addrs = subprocess.run([os.path.join(BUILD, "tests", "bin", "wlab-dwarf"), "--addrs", wasm],
                           capture_output=True, text=True).stdout.split()
    subprocess.run([tools[1], "--strip-debug", wasm, name + ".bare.wasm"], check=True)
    base = code_base(name + ".bare.wasm")
    offs = [int(a, 16) + base for a in addrs]
    segs, last = [], (0, 0)
    for o in offs:
        segs.append(vlq(o - last[0]) + "A" + vlq(o - last[1]) + "A")
        last = (o, o)
    with open(name + ".map", "w") as f:
        f.write('{"version": 3, "sources": ["offsets"], "mappings": "%s"}' % ",".join(segs))
    run(["--coverage", name + ".offsets.info", "--source-map", name + ".map", name + ".bare.wasm", arg])
    ran_offs = {l - 1 for l, n in lcov_records(name + ".offsets.info").get(
        "offsets", {"DA": {}})["DA"].items() if n > 0}
    sym = subprocess.run([tools[0], "--obj=" + wasm, "--no-inlines"], capture_output=True, text=True,
                         input="\n".join("0x%x" % (o - base) for o in offs)).stdout
    lines = {}  # offset -> the symbolizer's innermost line in prog.c
    for o, block in zip(offs, sym.strip().split("\n\n")):
        f, _, lc = block.splitlines()[-1].rpartition(":")
        f, _, line = f.rpartition(":")
        if f == src and int(line):
            lines[o] = int(line)
    sym_ran = {lines[o] for o in ran_offs if o in lines}
    sym_never = {lines[o] for o in lines if o not in ran_offs} - sym_ran
    ran = {l for l, n in r["DA"].items() if n > 0}
    never = {l for l, n in r["DA"].items() if n == 0}
    check(f"{what}: executed instructions found", len(ran_offs) > 20, len(ran_offs))
    check(f"{what}: lines run as the symbolizer gives them at the executed instructions",
          ran == sym_ran and must_run <= ran, (sorted(ran), sorted(sym_ran)))
    check(f"{what}: lines never run as the symbolizer gives them elsewhere",
          never == sym_never and not (must_not & ran), (sorted(never), sorted(sym_never)))
    print(f"{what}: {len(ran_offs)} of {len(offs)} instructions run; lines run "
          f"{sorted(ran)}, never {sorted(never)} (llvm-symbolizer-14: the same)")


def well_formed(path, names):
    """The lines of a folded profile that are not NAME(;NAME)* COUNT with
    every NAME in names and COUNT > 0."""
    bad = []
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not (count.isdigit() and int(count) > 0 and stack and
                    all(n in names for n in stack.split(";"))):
                bad.append(line)
    return bad


def clocks():
    """--profile-clock cpu|wall on profclock.wat: main(n) spends nearly all
    its time in spin. Not timing assertions: a sample goes to the stack
    running when it is taken, which is main;spin for all but a few
    instructions of the run, whatever the machine's load; the run takes
    about 0.1 s of CPU time (1 ms samples: about 100)."""
    wasm = os.path.join(DIR, "profclock.wasm")
    subprocess.run(["wat2wasm", "--debug-names", "-o", wasm,
                    os.path.join(ROOT, "tests/run/profclock.wat")], check=True)
    args = ["--invoke", "main", wasm, "10000000"]
    plain = run(args)
    # the names are the count profile's (on a short run)
    counted, _ = profile("clock-count", ["--invoke", "main", wasm, "100"])
    names = {n for k in counted for n in k.split(";")} | {"(host)"}
    check("clock: the count profile's names", names == {"main", "spin", "cold", "(host)"}, names)
    for clock in ("cpu", "wall"):
        out = os.path.join(DIR, f"clock-{clock}.folded")
        p = run(["--profile", out, "--profile-clock", clock, "--profile-top", "2"] + args)
        check(f"{clock}: same run", (p.returncode, p.stdout) == (plain.returncode, plain.stdout),
              p.stderr[:300])
        bad = well_formed(out, names)
        check(f"{clock}: folded stacks of the module's names", not bad, bad[:5])
        s = folded(out)
        total = sum(s.values())
        check(f"{clock}: samples taken", total >= 10, s)
        check(f"{clock}: main;spin has 80% of the samples or more",
              s.get("main;spin", 0) >= 0.8 * total, s)
        top = [l.split() for l in p.stderr.splitlines()[2:4]]
        unit = "CPU" if clock == "cpu" else "wall-clock"
        check(f"{clock}: --profile-top", f"profile: {total} samples, one every 1 ms of {unit} "
              "time" in p.stderr and top and top[0][-1] == "spin" and
              # spin's self: every stack that ends in it (cold calls spin too,
              # so a sample may land in main;cold;spin)
              top[0][0] == str(sum(v for k, v in s.items() if k.split(";")[-1] == "spin")),
              p.stderr)
    # a trap: the profile is written, with the stacks that ran
    out = os.path.join(DIR, "clock-trap.folded")
    p = run(["--profile", out, "--profile-clock", "cpu", "--profile-interval", "0.5",
             "--invoke", "trap", wasm, "3000000"])
    check("cpu trap: traps", p.returncode == 134 and "divide by zero" in p.stderr, p.stderr[:300])
    bad = well_formed(out, names | {"trap", "boom"}) if os.path.exists(out) else ["no file"]
    s = folded(out) if not bad else {}
    check("cpu trap: profile written", not bad and sum(s.values()) > 0 and
          set(s) <= {"trap;spin", "trap;boom", "trap", "(host)"}, bad[:5] or s)
    # usage
    for opts, what in ((["--profile-clock", "time"], "--profile-clock is fuel, cpu or wall"),
                       (["--profile-clock", "cpu", "--profile-interval", "0"], "--profile-interval"),
                       (["--profile-clock=wall", "--profile-interval=1ms"], "--profile-interval"),
                       (["--profile-interval", "2"], "needs --profile-clock cpu or wall")):
        p = run(["--profile", out] + opts + args)
        check(f"{' '.join(opts)} is refused", p.returncode == 2 and what in p.stderr, p.stderr)
    p = run(["--profile-clock", "cpu"] + args)
    check("--profile-clock without --profile is refused", p.returncode == 2 and
          "need --profile or --profile-top" in p.stderr, p.stderr)


def main():
    os.makedirs(DIR, exist_ok=True)
    wasm = os.path.join(DIR, "profile.wasm")
    subprocess.run(["wat2wasm", "--enable-tail-call", "--debug-names", "-o", wasm,
                    os.path.join(ROOT, "tests/run/profile.wat")], check=True)

    # the stacks of main(n): leaf replaces tail (return_call)
    by_n = {n: fuel_agrees(f"main{n}", ["--invoke", "main", wasm, str(n)]) for n in (10, 20, 30)}
    s = by_n[10]
    check("main: stacks", set(s) == {"main", "main;loop", "main;loop;leaf", "main;leaf",
                                     "main;tail"}, sorted(s))
    if set(s) >= {"main;leaf", "main;loop;leaf", "main;loop"}:
        one = s["main;leaf"] // 2  # leaf(3) and, replacing tail, leaf(5)
        check("main: leaf is called 10 times from loop", one > 0 and
              s["main;loop;leaf"] == 10 * one, s)
        for n in (20, 30):
            check(f"main{n}: leaf is called {n} times", by_n[n]["main;loop;leaf"] == n * one)
        step = by_n[20]["main;loop"] - s["main;loop"]
        check("main: loop's count grows by the same per round", step > 0 and
              by_n[30]["main;loop"] - by_n[20]["main;loop"] == step, step)
        check("main: main's and tail's counts do not depend on n",
              all(by_n[n]["main"] == s["main"] and by_n[n]["main;tail"] == s["main;tail"]
                  for n in by_n))

    # recursion: fib(k) has fib(k+1)-ish stacks; --profile-top's total counts it once
    s = fuel_agrees("fib", ["--invoke", "fib", wasm, "12"])
    check("fib: stacks are fib;fib;...", all(k == "fib" or k.startswith("fib;fib")
                                            for k in s) and "fib;" + ";".join(["fib"] * 11) in s,
          sorted(s)[:5])
    p = run(["--profile-top", "2", "--invoke", "fib", wasm, "12"])
    rows = [l.split() for l in p.stderr.splitlines() if l.strip().endswith(" fib")]
    total = sum(s.values())
    fib_self = sum(c for k, c in s.items() if k != "fib")
    check("fib: --profile-top", len(rows) == 2 and
          rows[0][0] == str(fib_self) and rows[0][2] == str(total - s.get("fib", 0)) and
          rows[1][0] == str(s["fib"]) and rows[1][2] == str(total) and
          f"profile: {total} units" in p.stderr, p.stderr)

    # a trap: the trapping function's instruction is counted
    s = fuel_agrees("trap", ["--invoke", "trap", wasm, "1"])
    check("trap: stacks", set(s) == {"trap", "trap;leaf", "trap;boom"}, s)
    # memory.fill: one unit and one per 64 bytes
    a = fuel_agrees("fill64", ["--invoke", "fill", wasm, "64"])
    b = fuel_agrees("fill65536", ["--invoke", "fill", wasm, "65536"])
    check("fill: charged by bytes", b["fill"] - a["fill"] == (65536 - 64) // 64, (a, b))

    # a C program (WASI command), when clang is there
    if shutil.which("clang"):
        cwasm = os.path.join(DIR, "profcov.wasm")
        c = subprocess.run(["clang", "--target=wasm32-wasi", "-O0", "-g", "-o", cwasm,
                            os.path.join(ROOT, "tests/run/profcov.c")], capture_output=True,
                           text=True)
        check("clang profcov.c", c.returncode == 0, c.stderr[:400])
        if c.returncode == 0:
            s = fuel_agrees("profcov", [cwasm, "3"])
            check("profcov: stacks from _start through main",
                  any(k.startswith("_start") and ";main;square" in k
                      for k in s), sorted(s)[:8])
            check("profcov: a never-called function has no stack",
                  not any("never_called" in k for k in s))
            coverage(cwasm)
            # -O2: never_called inlined into main (not run), the loop folded
            coverage_opt("profcov", "O2", "3", 0, {21, 23, 26, 31}, {16, 28})
            # -O2: ratio inlined into scale, run (line 7 from scale's code)
            coverage_opt("srctrap", "O2", "1", 7, {7, 12, 17}, set())
    else:
        check("clang is installed (bash scripts/deps.sh)", False)

    clocks()

    # usage
    p = run(["--profile-top", "0", wasm])
    check("--profile-top 0 is refused", p.returncode == 2 and "--profile-top" in p.stderr,
          p.stderr)
    p = run(["--profile", os.path.join(DIR, "no/such/dir/x"), "--invoke", "fib", wasm, "3"])
    check("an unwritable --profile file fails", p.returncode == 1 and "--profile" in p.stderr,
          p.stderr)

    os.makedirs(os.path.join(BUILD, "test-results"), exist_ok=True)
    with open(os.path.join(BUILD, "test-results", "run-profile.txt"), "w") as f:
        f.write(f"{passed} {failed}\n")
    print(f"run-profile: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
