#!/usr/bin/env python3
"""mutate.py: robustness sweep: mutants of the spec binaries must never crash wlab-objdump or wlab-explore.

Usage: mutate.py [-n COUNT] [--seed S] [-j N] [--tool PATH]
Makes COUNT (default 3000; 500 under SANITIZE=1, whose two passes, gcc and clang, take different seeds) mutants of $BUILD/spec/**/*.wasm in $BUILD/mutants/
with a fixed seed: bit flips, truncations at section/field boundaries, LEB128
boundary values written over section sizes, vector counts and body sizes,
dropped, duplicated and swapped sections. Runs `wlab-objdump -x` and `-d` and
`wlab-explore --json` on each (5 s, 1 GiB address space except under ASan). A run fails if it is killed
by a signal, exits >= 128, hangs, or exits non-zero without an offset `0x` on
stderr. Counts go to $BUILD/test-results/fuzz.txt. With --tool (say
$BUILD/tests/bin/wlab-decode) the mutants go to that tool, without options,
and no counts are written. The inputs in tests/fuzz/regress/ (mutants that once
crashed a tool, named after the finding) go through the same runs first, and
each input in tests/fuzz/regressions/TARGET/ (one a libFuzzer target once
crashed on, docs/fuzzing.md) is replayed through that target built with the
build's compiler, $BUILD/tests/fuzz/replay_TARGET (tests/fuzz/replay.c).
"""
import argparse
import glob
import hashlib
import multiprocessing
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402
import regressions  # noqa: E402

TIMEOUT = 5
MEMORY = 1 << 30
LEB_VALUES = [
    b"\x00", b"\x01", b"\x7f", b"\x80\x01", b"\xff\x7f",
    b"\x80\x80\x80\x80\x00",          # zero, padded to 5 bytes
    b"\xff\xff\xff\xff\x0f",          # UINT32_MAX
    b"\xff\xff\xff\xff\x7f",          # too large for u32
    b"\xff\xff\xff\xff\x1f",          # unused bits set
    b"\x80\x80\x80\x80\x80\x00",      # too long
    b"\x80\x80\x80\x80\x80",          # unterminated
    b"\x80",                          # unterminated, one byte
    b"\xff\xff\xff\x07",              # 2^28-1: huge count, 4 bytes
]


def leb(data, pos):
    """(value, length) of the unsigned LEB128 at pos, or None."""
    v = shift = 0
    for i in range(pos, min(pos + 5, len(data))):
        v |= (data[i] & 0x7f) << shift
        shift += 7
        if not data[i] & 0x80:
            return v, i + 1 - pos
    return None


def sections(data):
    """[(start, size_off, size_len, payload, end, id)] as far as the headers parse."""
    out, pos = [], 8
    while pos < len(data):
        r = leb(data, pos + 1)
        if r is None:
            break
        size, n = r
        payload = pos + 1 + n
        if payload + size > len(data):
            break
        out.append((pos, pos + 1, n, payload, payload + size, data[pos]))
        pos = payload + size
    return out


def fields(data, secs):
    """(offset, length) of LEB fields worth breaking: sizes, counts, body sizes."""
    out = []
    for start, soff, slen, payload, end, sid in secs:
        out.append((soff, slen))
        if payload < end and (sid != 8):           # first field: count / name length
            r = leb(data, payload)
            if r:
                out.append((payload, r[1]))
                if sid == 10 and payload + r[1] < end:   # first function body size
                    r2 = leb(data, payload + r[1])
                    if r2:
                        out.append((payload + r[1], r2[1]))
                        body = payload + r[1] + r2[1]
                        r3 = leb(data, body)               # its local-group count
                        if r3:
                            out.append((body, r3[1]))
    return out


def mutate(rng, data):
    """(kind, mutant bytes) for one random mutation of data."""
    secs = sections(data)
    kind = rng.choice(["flip", "flip", "truncate", "truncate", "leb", "leb", "leb",
                       "byte", "drop", "dup", "swap", "resize"])
    b = bytearray(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 4)):
            p = rng.randrange(len(b))
            b[p] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        b[rng.randrange(len(b))] = rng.choice([0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xfc, 0xfd, 0xff])
    elif kind == "truncate":
        cuts = {rng.randrange(len(b))}
        for start, soff, slen, payload, end, _ in secs:
            cuts |= {start, soff, soff + slen - 1, payload, payload + 1, (payload + end) // 2,
                     end - 1}
        cuts = sorted(c for c in cuts if 0 <= c < len(b))
        b = b[:rng.choice(cuts)]
    elif kind == "leb":
        fs = fields(data, secs)
        if not fs:
            return mutate(rng, data)
        off, n = rng.choice(fs)
        b[off:off + n] = rng.choice(LEB_VALUES)
    elif kind == "resize":   # a section size off by a little, re-encoded
        if not secs:
            return mutate(rng, data)
        start, soff, slen, payload, end, _ = rng.choice(secs)
        b[soff:soff + slen] = harness.uleb(max(0, end - payload + rng.choice([-2, -1, 1, 2, 100])))
    elif kind in ("drop", "dup", "swap"):
        if len(secs) < (2 if kind == "swap" else 1):
            return mutate(rng, data)
        i = rng.randrange(len(secs))
        s = data[secs[i][0]:secs[i][4]]
        if kind == "drop":
            b = data[:secs[i][0]] + data[secs[i][4]:]
        elif kind == "dup":
            b = data[:secs[i][4]] + s + data[secs[i][4]:]
        else:
            j = rng.randrange(len(secs) - 1)
            j += j >= i
            i, j = min(i, j), max(i, j)
            a, c = secs[i], secs[j]
            b = (data[:a[0]] + data[c[0]:c[4]] + data[a[4]:c[0]] + data[a[0]:a[4]]
                 + data[c[4]:])
    return kind, bytes(b)


def make_mutants(spec, outdir, count, seed):
    srcs, seen = [], set()
    for p in sorted(glob.glob(os.path.join(spec, "*", "*.wasm"))):
        with open(p, "rb") as f:
            d = f.read()
        h = hashlib.sha256(d).digest()
        if len(d) > 8 and d[:4] == b"\0asm" and h not in seen:
            seen.add(h)
            srcs.append(d)
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    rng = random.Random(seed)
    made = []
    tries = 0
    while len(made) < count and tries < count * 5 and srcs:
        tries += 1
        kind, m = mutate(rng, rng.choice(srcs))
        h = hashlib.sha256(m).digest()
        if h in seen:
            continue
        seen.add(h)
        path = os.path.join(outdir, "m%04d-%s.wasm" % (len(made), kind))
        with open(path, "wb") as f:
            f.write(m)
        made.append(path)
    return made


G = {}


def init():
    harness.limit_memory(MEMORY)


def check(task):
    tool, path, flag = task
    res = harness.run([tool] + ([flag] if flag else []) + [os.path.basename(path)], TIMEOUT,
                      cwd=os.path.dirname(path))
    if res.crashed():
        why = harness.describe(res)
    elif res.rc != 0 and b"0x" not in res.err:
        why = "exit %d without an offset" % res.rc
    else:
        return None
    err = res.err.decode("utf-8", "replace").strip().splitlines()
    return "%s %s %s: %s: %s" % (os.path.basename(tool), flag, os.path.basename(path), why,
                                 " | ".join(err[:3])[:300])


def replay_tasks(build):
    """(replay_TARGET, input, "") for each input of tests/fuzz/regressions/TARGET/
    (regressions.py); None when a replay driver is missing."""
    out = []
    for target in regressions.targets():
        tool = os.path.join(build, "tests", "fuzz", "replay_" + target)
        files = regressions.inputs(build, target)
        if files and not harness.need_tool(tool):
            return None
        out += [(tool, p, "") for p in files]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=500 if harness.sanitized() else 3000)
    # The CI's two sanitizer passes (gcc, then clang: make passes CC in the
    # environment) sweep different mutants: 1,000 sanitized in all.
    clang = "clang" in os.path.basename(os.environ.get("CC", ""))
    ap.add_argument("--seed", type=int, default=20240601 + (1 if harness.sanitized() and clang else 0))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--tool", help="run this program on each mutant instead")
    args = ap.parse_args()
    build = harness.build_dir()
    tool = os.path.abspath(args.tool or os.path.join(build, "bin", "wlab-objdump"))
    # (tool, flag) pairs run on each mutant; wlab-explore --json was a crash
    # on 2 of 1,000 mutants (a block type of a shorthand valtypes.def did not name).
    explore = os.path.join(os.path.dirname(tool), "wlab-explore")
    runs = [(tool, "")] if args.tool else [(tool, "-x"), (tool, "-d"), (explore, "--json")]
    for t, _ in runs:
        if not harness.need_tool(t):
            return 2
    outdir = os.path.join(build, "mutants")
    made = make_mutants(os.path.join(build, "spec"), outdir, args.n, args.seed)
    if not made:
        sys.stderr.write("fuzz: no spec binaries under %s/spec\n" % build)
        return 2
    regress = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "regress", "*.wasm")))
    tasks = [(t, p, f) for p in regress + made for t, f in runs]
    replays = replay_tasks(build)
    if replays is None:
        return 2
    tasks = replays + tasks
    with multiprocessing.Pool(args.jobs, init) as pool:
        bad = [r for r in pool.imap_unordered(check, tasks, 32) if r]
    bad.sort()
    print("fuzz: %d regression inputs, %d libFuzzer regressions replayed, %d mutants in %s, "
          "%d runs, %d bad" % (len(regress), len(replays), len(made), outdir, len(tasks), len(bad)))
    for line in bad[:25]:
        print("  " + line)
    if bad:
        print("reproduce: cd %s && TOOL FLAG FILE" % outdir)
    if not args.tool:
        harness.write_result("fuzz.txt", len(tasks) - len(bad), len(bad))
    print("fuzz: %d passed, %d failed" % (len(tasks) - len(bad), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
