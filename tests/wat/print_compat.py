#!/usr/bin/env python3
"""print_compat.py: wlab-wat's text against wabt 1.0.32's wasm2wat, and its
assembler against wat2wasm 1.0.32, byte for byte.

Usage: print_compat.py [--quick] [-j N] [-v] [FILE...]
Inputs: every .wasm under $BUILD/spec and $BUILD/corpus (one file per
distinct content), or the FILEs given. Per module, where wasm2wat 1.0.32
prints it (exit 0), ours must print the same bytes:
  flat  `wlab-wat FILE` against `wasm2wat FILE`;
  fold  `wlab-wat --fold FILE` against `wasm2wat --fold-exprs FILE`;
  asm   the text wasm2wat prints, assembled by `wlab-wat TEXT -o` against
        `wat2wasm TEXT -o` (where wat2wasm assembles it; else counted apart);
  names the same with --debug-names on both sides: the name section written
        from the text's ids (where wat2wasm assembles it);
  cli   on a fixed sample (one module in CLI_EVERY), `wlab-wat` itself
        gives what the batch tool gave, in all three parts.
The printing options, on a fixed sample (every module under OPTIONS_SMALL
bytes, one in OPTIONS_EVERY of the others, by content hash: their cost goes
with the text's size, which the few big programs of the corpus make), where
wasm2wat prints the module:
  inline  `wlab-wat --inline-exports --inline-imports FILE` against wasm2wat's;
  gen     `wlab-wat --generate-names FILE` against wasm2wat's;
  genfold `wlab-wat --fold --generate-names --inline-exports --inline-imports`
          against `wasm2wat --fold-exprs` with the same three;
  inline-asm  our inline text assembled by wlab-wat: the bytes wat2wasm
          writes from wasm2wat's inline text (exports in their text order);
  gen-asm     our gen text assembled: the bytes of our plain text assembled
          (the asm part's): names change nothing in the module;
  genfold-asm our genfold text assembled: inline-asm's bytes.
A difference listed in KNOWN (part, module, reason) is counted apart as a
known exception; a listed one that is no longer a difference fails.
Our side runs in batches through the test tool $BUILD/tests/bin/wlab-watprint
(tests/tools/wlab-watprint.c: the same library calls as wlab-wat, many modules
per process; starting wlab-wat three times per module cost most of this
suite's time). Where wasm2wat refuses a module (malformed, invalid, or beyond
what 1.0.32 reads), nothing is compared: it is counted apart as "refused by
wasm2wat", neither passed nor failed, but ours must still not crash or hang
there (a crash is a failure).

The oracles' verdicts are cached by content hash, oracle versions and
format in $BUILD/cache/wat-print/ as (exit status, SHA-256 of stdout or of
the binary) per part; a failure runs the oracle again for its bytes, and
writes a diff (text) or the two binaries to $BUILD/wat-print/diffs/<part>/.
Where our flat text is wasm2wat's, the asm part assembles ours (the same
bytes); where it is not, wasm2wat's text is assembled by `wlab-wat` itself.

--quick (the default under SANITIZE=1): a fixed sample, one spec file in 12,
one corpus file in 3. Counts go to $BUILD/test-results/wat-print.txt (passed:
parts identical).
"""
import argparse
import collections
import difflib
import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

PARTS = ("flat", "fold", "asm", "names", "cli",
         "inline", "gen", "genfold", "inline-asm", "gen-asm", "genfold-asm")
OPTION_PARTS = ("inline", "gen", "genfold")
ASM_FLAGS = {"asm": [], "names": ["--debug-names"], "inline-asm": []}
INLINE = ["--inline-exports", "--inline-imports"]
ORACLE_FLAGS = {"flat": [], "fold": ["--fold-exprs"], "inline": INLINE,
                "gen": ["--generate-names"],
                "genfold": ["--fold-exprs", "--generate-names"] + INLINE}
OUR_FLAGS = {"flat": [], "fold": ["--fold"]}
OPTIONS_SMALL = 16 << 10
OPTIONS_EVERY = 8
# Differences from wasm2wat kept on purpose: (part, module under $BUILD, reason).
KNOWN = [
    ("gen", "spec/names/names.2.wasm",
     "export names wasm2wat makes ids its text does not read back: \"\" as $, and "
     "names equal only once non-idchars are _ (\"\\e2\\84\\ab\" and \"\\ef\\ac\\83\" "
     "both $___); ours: the index's name ($f0), then .N ($___.1), docs/wlab-wat.md"),
    ("genfold", "spec/names/names.2.wasm", "the same as gen's"),
]
TIMEOUT = 60 if harness.sanitized() else 20
MEMORY = 2 << 30
CLI_EVERY = 32
BATCH_BYTES = 1 << 20   # a batch of the tool: modules up to this many bytes in all,
BATCH_FILES = 100       # and at most this many
CACHE_FORMAT = "sums1"
G = {}


def init(settings):
    G.update(settings)
    harness.limit_memory(MEMORY)
    G["tmp"] = os.path.join(G["build"], "wat-print", "tmp", str(os.getpid()))
    os.makedirs(G["tmp"], exist_ok=True)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def options_sampled(path, digest):
    return os.path.getsize(path) < OPTIONS_SMALL or int(digest[16:24], 16) % OPTIONS_EVERY == 0


def wat2wasm(text, part="asm"):
    """(rc, binary) of wat2wasm 1.0.32 on text (part names: --debug-names),
    or (None, b"") on a timeout."""
    src, out = os.path.join(G["tmp"], "ref.wat"), os.path.join(G["tmp"], "ref.wasm")
    with open(src, "wb") as f:
        f.write(text)
    res = harness.run(["wat2wasm"] + ASM_FLAGS[part] + [src, "-o", out], TIMEOUT)
    if res.timeout:
        return None, b""
    data = b""
    if res.rc == 0:
        with open(out, "rb") as f:
            data = f.read()
    return res.rc, data


def wasm2wat(path, part):
    """(rc, stdout) of wasm2wat on path, or (None, b"") on a timeout."""
    res = harness.run(["wasm2wat"] + ORACLE_FLAGS[part] + [path], TIMEOUT)
    return (None, b"") if res.timeout else (res.rc, res.out)


def oracle(path, digest):
    """{part: (rc, sha256)} of wasm2wat flat and folded and of wat2wasm on
    wasm2wat's flat text, without and with --debug-names; on the options'
    sample, of wasm2wat with each option part's flags and of wat2wasm on its
    inline text (inline-asm). Cached by content hash; a cache file without
    some of these parts gets them added. They are left out where wasm2wat
    refuses the module (reading it fails before any printing, whatever the
    options); rc None: an oracle timed out (counted as refused, not cached)."""
    stem = os.path.join(G["cache"], "%s-%s.sums" % (digest, G["key"]))
    sums = {}
    want = ("fold", "asm", "names")
    if options_sampled(path, digest):
        want += OPTION_PARTS + ("inline-asm",)
    try:
        with open(stem) as f:
            sums = {p: (int(rc), h) for p, rc, h in (line.split() for line in f)}
        if sums["flat"][0] != 0 or all(p in sums for p in want):
            return sums
    except (OSError, ValueError, KeyError):
        sums = {}
    text = None
    if "flat" not in sums:
        rc, text = wasm2wat(path, "flat")
        if rc is None:
            return {"flat": (None, "")}
        sums["flat"] = (rc, sha(text))
    if sums["flat"][0] == 0:
        for part in want:
            if part in sums:
                continue
            if part in ("asm", "names"):
                if text is None:
                    _, text = wasm2wat(path, "flat")
                rc, out = wat2wasm(text, part)
            elif part == "inline-asm":
                rc, out = wasm2wat(path, "inline")
                if rc == 0:
                    rc, out = wat2wasm(out)
            else:
                rc, out = wasm2wat(path, part)
            if rc is None:
                return {"flat": (None, "")}
            sums[part] = (rc, sha(out))
    tmp = "%s.%d" % (stem, os.getpid())
    with open(tmp, "w") as f:
        f.write("".join("%s %d %s\n" % (p, rc, h) for p, (rc, h) in sorted(sums.items())))
    os.replace(tmp, stem)
    return sums


def parse_records(out):
    """{path: {part: (rc, bytes)}} from wlab-watprint's records."""
    got, i = collections.defaultdict(dict), 0
    while i < len(out):
        nl = out.index(b"\n", i)
        path, part, rc, n = out[i:nl].decode("utf-8", "surrogateescape").split("\t")
        start = nl + 1
        got[path][part] = (int(rc), out[start:start + int(n)])
        i = start + int(n) + 1
    return got


def run_tool(paths, options):
    """{path: {part: (rc, bytes)} or a crash description (str)}: the batch,
    else (it crashed, hung or failed) each path alone; the paths in options
    get the options' parts too."""
    cmd = [G["tool"], "--assemble"]
    size = sum(os.path.getsize(p) for p in paths)
    args = [p for p in paths if p not in options] + ["--options"] + \
        [p for p in paths if p in options]
    res = harness.run(cmd + args, TIMEOUT + len(paths) + size // 50000)
    if res.rc == 0 and not res.timeout:
        try:
            got = parse_records(res.out)
            if all(p in got for p in paths):
                return got
        except ValueError:
            pass
    if len(paths) > 1:
        got = {}
        for p in paths:
            got.update(run_tool([p], options))
        return got
    return {paths[0]: "%s: %s" % (harness.describe(res),
                                  res.err.decode("utf-8", "replace")[-300:])}


def save_diff(part, path, text):
    d = os.path.join(G["diffs"], part)
    os.makedirs(d, exist_ok=True)
    name = os.path.relpath(path, G["build"]).replace("/", "__")
    with open(os.path.join(d, name + ".diff"), "w") as f:
        f.write(text)


def text_diff(part, path, ours):
    """The unified diff of wasm2wat's text (run again) and ours."""
    rc, ref = wasm2wat(path, part)
    if ours[0] != 0:
        return "wlab-wat exit %d: %s" % (ours[0], ours[1].decode("utf-8", "replace")[:300])
    diff = "".join(difflib.unified_diff(ref.decode("utf-8", "replace").splitlines(True),
                                        ours[1].decode("utf-8", "replace").splitlines(True),
                                        "wasm2wat", "wlab-wat", n=2))
    save_diff(part, path, diff)
    return diff or "(wasm2wat exit %s: its output changed since it was cached?)" % rc


def first_difference(a, b):
    if a == b:
        return "(the same bytes: wat2wasm's output changed since it was cached?)"
    n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return "first difference at 0x%x (wat2wasm %d bytes, wlab-wat %d)" % (n, len(a), len(b))


def cli(args):
    """(rc, stdout) of wlab-wat itself."""
    res = harness.run([G["ours"]] + args, TIMEOUT)
    if res.crashed() or res.timeout:
        return None, harness.describe(res).encode()
    return res.rc, res.out


def check_asm(path, sums, rec, flat_same, part="asm"):
    """The asm or names part's (verdict, detail)."""
    if sums.get(part, (1,))[0] != 0:
        return "refused", ""
    if flat_same:
        ours = rec.get(part, (1, b"no %s record" % part.encode()))
    else:  # assemble wasm2wat's own text with wlab-wat
        _, text = wasm2wat(path, "flat")
        src, out = os.path.join(G["tmp"], "ours.wat"), os.path.join(G["tmp"], "ours.wasm")
        with open(src, "wb") as f:
            f.write(text)
        rc, msg = cli(ASM_FLAGS[part] + [src, "-o", out])
        ours = (rc, open(out, "rb").read() if rc == 0 else msg)
    if ours[0] == 0 and sha(ours[1]) == sums[part][1]:
        return "same", ""
    if ours[0] != 0:
        return "diff", "wlab-wat exit %s: %s" % (ours[0], ours[1][:300].decode("utf-8", "replace"))
    _, text = wasm2wat(path, "flat")
    _, ref = wat2wasm(text, part)
    d = os.path.join(G["diffs"], part)
    os.makedirs(d, exist_ok=True)
    name = os.path.join(d, os.path.relpath(path, G["build"]).replace("/", "__"))
    for suffix, data in ((".wat2wasm.wasm", ref), (".wlab-wat.wasm", ours[1])):
        with open(name + suffix, "wb") as f:
            f.write(data)
    return "diff", first_difference(ref, ours[1])


def check_cli(path, rec):
    """The cli part: wlab-wat itself against the tool's records."""
    problems = []
    for part in ("flat", "fold"):
        rc, out = cli(OUR_FLAGS[part] + [path])
        want = rec[part]
        if rc is None:
            return "crash", "wlab-wat %s: %s" % (part, out.decode())
        if rc != want[0] or (rc == 0 and out != want[1]):
            problems.append("%s: wlab-wat exit %d, %d bytes; wlab-watprint %d, %d bytes"
                            % (part, rc, len(out), want[0], len(want[1])))
    for part in ("asm", "names"):
        if part not in rec:
            continue
        src, out = os.path.join(G["tmp"], "cli.wat"), os.path.join(G["tmp"], "cli.wasm")
        with open(src, "wb") as f:
            f.write(rec["flat"][1])
        rc, msg = cli(ASM_FLAGS[part] + [src, "-o", out])
        if rc is None:
            return "crash", "wlab-wat assembling: %s" % msg.decode()
        got = open(out, "rb").read() if rc == 0 else b""
        if rc != rec[part][0] or (rc == 0 and got != rec[part][1]):
            problems.append("%s: wlab-wat exit %d, %d bytes; wlab-watprint %d, %d bytes"
                            % (part, rc, len(got), rec[part][0], len(rec[part][1])))
    return ("diff", "; ".join(problems)) if problems else ("same", "")


def check_batch(batch):
    """[(part, path, verdict, detail)]: verdict same, diff, refused or crash."""
    sums = {path: oracle(path, digest) for path, digest in batch}
    options = {path for path, digest in batch
               if options_sampled(path, digest) and sums[path]["flat"][0] == 0}
    recs = run_tool([path for path, _ in batch], options)
    out = []
    for path, digest in batch:
        s, rec = sums[path], recs[path]
        if isinstance(rec, str):
            out.append(("flat", path, "crash", rec))
            continue
        if "read" in rec:
            out.append(("flat", path, "diff", "unreadable: %s" % rec["read"][1].decode()))
            continue
        printed = s["flat"][0] == 0
        same = {}
        for part in ("flat", "fold"):
            if not printed:
                out.append((part, path, "refused", ""))
            elif rec[part][0] == 0 and sha(rec[part][1]) == s[part][1]:
                same[part] = True
                out.append((part, path, "same", ""))
            else:
                out.append((part, path, "diff", text_diff(part, path, rec[part])))
        if printed:
            for part in ("asm", "names"):
                out.append((part, path) + check_asm(path, s, rec, same.get("flat", False), part))
        if int(digest[8:16], 16) % CLI_EVERY == 0:
            out.append(("cli", path) + check_cli(path, rec))
        if printed and path in options:
            out += check_options(path, s, rec)
    return out


def check_options(path, sums, rec):
    """The options' parts: [(part, path, verdict, detail)]."""
    out = []
    for part in OPTION_PARTS:
        ours = rec.get(part, (1, b"no %s record" % part.encode()))
        if ours[0] == 0 and sha(ours[1]) == sums[part][1]:
            out.append((part, path, "same", ""))
        else:
            out.append((part, path, "diff", text_diff(part, path, ours)))
    # each text assembled: what it must give
    want = {"inline-asm": sums["inline-asm"] if sums["inline-asm"][0] == 0 else None,
            "gen-asm": rec.get("asm"), "genfold-asm": rec.get("inline-asm")}
    for part, expect in want.items():
        ours = rec.get(part, (1, b"no %s record" % part.encode()))
        if expect is None:
            out.append((part, path, "refused", ""))
        elif ours[0] != 0:
            out.append((part, path, "diff", "wlab-wat exit %s: %s" % (
                ours[0], ours[1][:300].decode("utf-8", "replace"))))
        elif expect[0] != 0:
            out.append((part, path, "diff", "%s: what it is compared with failed" % part))
        elif sha(ours[1]) == (expect[1] if part == "inline-asm" else sha(expect[1])):
            out.append((part, path, "same", ""))
        else:
            d = os.path.join(G["diffs"], part)
            os.makedirs(d, exist_ok=True)
            name = os.path.join(d, os.path.relpath(path, G["build"]).replace("/", "__"))
            with open(name + ".wlab-wat.wasm", "wb") as f:
                f.write(ours[1])
            out.append((part, path, "diff", "%d bytes, not the expected ones (%s)" % (
                len(ours[1]), name + ".wlab-wat.wasm")))
    return out


def inputs(build, files, quick):
    if files:
        found = [os.path.abspath(f) for f in files]
    else:
        found = []
        for sub in ("spec", "corpus"):
            for dp, _, fns in os.walk(os.path.join(build, sub)):
                found += [os.path.join(dp, f) for f in fns if f.endswith(".wasm")]
        found.sort()
    seen, out = set(), []
    for p in found:
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest not in seen or files:
            seen.add(digest)
            out.append((p, digest))
    if quick and not files:
        out = [(p, d) for p, d in out if int(d[:8], 16) % (12 if "/spec/" in p else 3) == 0]
    return out


def batches(files):
    """Modules grouped for the tool, the biggest first."""
    out = []
    cur, size = [], 0
    for f in sorted(files, key=lambda f: -os.path.getsize(f[0])):
        n = os.path.getsize(f[0])
        if cur and (size + n > BATCH_BYTES or len(cur) >= BATCH_FILES):
            out.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += n
    if cur:
        out.append(cur)
    out.sort(key=lambda b: -sum(os.path.getsize(f[0]) for f in b))
    return out


def version(tool):
    return subprocess.run([tool, "--version"], stdout=subprocess.PIPE,
                          check=True).stdout.decode().strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a fixed sample of the inputs")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", action="store_true", help="print every diff")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    build = harness.build_dir()
    ours = os.path.join(build, "bin", "wlab-wat")
    tool = os.path.join(build, "tests", "bin", "wlab-watprint")
    if not harness.need_tool(ours) or not harness.need_tool(tool):
        return 2
    versions = {t: version(t) for t in ("wasm2wat", "wat2wasm")}
    for t, v in versions.items():
        if v != "1.0.32":
            sys.stderr.write("wat-print: %s is %s, not 1.0.32 (Debian's wabt)\n" % (t, v))
            harness.write_result("wat-print.txt", 0, 1)
            return 1
    quick = args.quick or harness.sanitized()
    files = inputs(build, args.files, quick)
    if not files:
        sys.stderr.write("no .wasm inputs under %s (run spec-convert/corpus)\n" % build)
        harness.write_result("wat-print.txt", 0, 1)
        return 1
    key = sha(("%s\0%s\0%s" % (versions["wasm2wat"], versions["wat2wasm"], CACHE_FORMAT))
              .encode())[:12]
    settings = dict(key=key, ours=ours, tool=tool, build=build,
                    cache=os.path.join(build, "cache", "wat-print"),
                    diffs=os.path.join(build, "wat-print", "diffs"))
    os.makedirs(settings["cache"], exist_ok=True)
    if not args.files:
        shutil.rmtree(settings["diffs"], ignore_errors=True)
    counts = {p: collections.Counter() for p in PARTS}
    bad = []
    known = {(part, mod): why for part, mod, why in KNOWN}
    with multiprocessing.Pool(args.jobs, init, (settings,)) as pool:
        for results in pool.imap_unordered(check_batch, batches(files)):
            for part, path, verdict, detail in results:
                why = known.pop((part, os.path.relpath(path, build)), None)
                if why is not None and verdict == "diff":
                    verdict = "known"
                elif why is not None:
                    bad.append((part, path, "listed in KNOWN (%s) but %s" % (why, verdict)))
                counts[part][verdict] += 1
                if verdict in ("diff", "crash"):
                    bad.append((part, path, detail))
    if not args.files and not quick:
        for (part, mod), why in sorted(known.items()):
            bad.append((part, os.path.join(build, mod), "listed in KNOWN (%s), not found" % why))
    shutil.rmtree(os.path.join(build, "wat-print", "tmp"), ignore_errors=True)
    print("wat-print compat: %d modules%s, wasm2wat %s, wat2wasm %s" % (
        len(files), " (quick sample)" if quick else "", versions["wasm2wat"],
        versions["wat2wasm"]))
    apart = {"flat": "refused by wasm2wat %d (not compared)",
             "fold": "refused by wasm2wat %d (not compared)",
             "asm": "refused by wat2wasm %d (not compared)",
             "names": "refused by wat2wasm %d (not compared)",
             "cli": "wlab-wat itself against the batch tool, one module in %d" % CLI_EVERY}
    for p in OPTION_PARTS:
        apart[p] = "modules under %d KiB, one in %d of the others" % (OPTIONS_SMALL >> 10,
                                                                      OPTIONS_EVERY)
    apart["inline-asm"] = "refused by wat2wasm %d (not compared)"
    apart["gen-asm"] = apart["genfold-asm"] = "our text assembled, against our own bytes"
    for p in PARTS:
        c = counts[p]
        tail = apart[p] % c["refused"] if "%d" in apart[p] else apart[p]
        print("  %-11s identical %d, differ %d, crash %d%s; %s" % (
            p, c["same"], c["diff"], c["crash"],
            ", known %d" % c["known"] if c["known"] else "", tail))
    bad.sort()
    for part, path, detail in bad[:None if args.v else 10]:
        print("FAIL %s %s\n%s" % (part, os.path.relpath(path, build),
                                  detail if args.v else detail[:1200]))
    if len(bad) > 10 and not args.v:
        print("... %d more (diffs in %s)" % (len(bad) - 10, settings["diffs"]))
    passed = sum(c["same"] for c in counts.values())
    failed = sum(c["diff"] + c["crash"] for c in counts.values())
    harness.write_result("wat-print.txt", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
