#!/usr/bin/env python3
"""allexports_compat.py: wlab-run --run-all-exports against wabt 1.0.32's
wasm-interp --run-all-exports --dummy-import-func, byte for byte.

Modules: every .wasm under $BUILD/spec, $BUILD/corpus (ttf/, ttf3/: the
fuzzer's modules call and trap a lot) and $BUILD/examples, one per content,
that wabt 1.0.32's wasm-validate accepts with its default features or, for the
threads modules, with --enable-threads (then wasm-interp gets that flag too).
Each runs under both in its own directory; standard output and the exit status
must be identical. Known differences, counted apart and listed (never passed):
NaN signs and payloads, which the spec leaves open (the outputs are equal once
every NaN is erased); wasm-interp 1.0.32 implements no memory.atomic.wait/notify ("not implemented"),
and its call stack is shallower than ours (a module whose run exhausts either
tool's stack prints where each stops). Both timing out is counted apart too.
Writes "passed failed" to $BUILD/test-results/run-all-exports.txt."""
import hashlib
import multiprocessing
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

TIMEOUT = 20
G = {}


def init(settings):
    G.update(settings)
    harness.limit_memory(4 << 30)


def features(path):
    """wasm-interp's flags for path, or None when wabt 1.0.32 rejects it."""
    for flags in ([], ["--enable-threads"]):
        if harness.run(["wasm-validate"] + flags + [path], 60).rc == 0:
            return flags
    return None


V128 = re.compile(r"v128 i32x4:0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8})")


def nan_free(text):
    """text with every NaN's sign and payload erased: scalar -nan, and v128
    lanes that are NaNs as f64x2 or as f32x4 (the spec leaves those bits open)."""
    def lanes(m):
        w = [int(x, 16) for x in m.groups()]
        for k in (0, 2):
            hi, lo = w[k + 1], w[k]
            if hi & 0x7ff00000 == 0x7ff00000 and (hi & 0xfffff or lo):
                w[k] = w[k + 1] = -1
        w = [-2 if x >= 0 and x & 0x7f800000 == 0x7f800000 and x & 0x7fffff else x for x in w]
        return "v128 " + " ".join(str(x) for x in w)
    return V128.sub(lanes, text.replace("-nan", "nan"))


def check(path):
    flags = features(path)
    if flags is None:
        return path, "skip", ""
    cwd, base = os.path.dirname(path), os.path.basename(path)
    ref = harness.run(["wasm-interp", "--run-all-exports", "--dummy-import-func"] + flags + [base],
                      TIMEOUT, cwd=cwd)
    ours = harness.run([G["ours"], "--run-all-exports", base], TIMEOUT, cwd=cwd)
    if ref.timeout and ours.timeout:
        return path, "both-timeout", ""
    if ours.crashed():
        return path, "fail", "wlab-run %s: %s" % (harness.describe(ours),
                                                  ours.err.decode("utf-8", "replace")[-300:])
    if (ref.rc, ref.out) == (ours.rc, ours.out):
        return path, "same", ""
    a = ref.out.decode("utf-8", "replace").splitlines()
    b = ours.out.decode("utf-8", "replace").splitlines()
    first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    want = a[first] if first < len(a) else "(end; exit %d)" % ref.rc
    got = b[first] if first < len(b) else "(end; exit %d)" % ours.rc
    if nan_free(ref.out.decode("utf-8", "replace")) == nan_free(ours.out.decode("utf-8", "replace")) \
            and ref.rc == ours.rc:
        return path, "known", "NaN sign or payload (the spec leaves them open): wabt %r, ours %r" % (
            want[:90], got[:90])
    if "not implemented" in want:
        return path, "known", "wasm-interp 1.0.32 has no wait/notify: " + want
    if "call stack exhausted" in want + got or ref.timeout or ours.timeout:
        return path, "known", "stack depth or time: wabt %r, ours %r" % (want[:80], got[:80])
    return path, "fail", "line %d: wasm-interp %r, wlab-run %r (exit %d / %d)" % (
        first + 1, want[:160], got[:160], ref.rc, ours.rc)


def main():
    build = harness.build_dir()
    ours = os.path.join(build, "bin", "wlab-run")
    if not harness.need_tool(ours):
        return 2
    files, seen = [], set()
    for sub in ("spec", "corpus", "examples"):
        for d, _, names in os.walk(os.path.join(build, sub)):
            if "/corpus/" in d + "/" and not re.search(r"/corpus/ttf3?$", d):
                continue  # clang's objects and WASI programs: imports wasm-interp cannot stub
            for n in sorted(names):
                if n.endswith(".wasm"):
                    p = os.path.join(d, n)
                    with open(p, "rb") as f:
                        h = hashlib.sha256(f.read()).digest()
                    if h not in seen:
                        seen.add(h)
                        files.append(p)
    files = harness.sanitizer_sample(files, 2)  # under SANITIZE=1 every other module
    counts = dict(same=0, fail=0, skip=0, known=0)
    counts["both-timeout"] = 0
    fails, known = [], []
    with multiprocessing.Pool(None, init, (dict(ours=ours),)) as pool:
        for path, verdict, detail in pool.imap_unordered(check, files, 8):
            counts[verdict] += 1
            if verdict == "fail":
                fails.append((path, detail))
            elif verdict == "known":
                known.append((path, detail))
    for path, detail in sorted(fails)[:25]:
        print("FAIL %s: %s" % (os.path.relpath(path, build), detail))
    for path, detail in sorted(known):
        print("known difference, not passed: %s: %s" % (os.path.relpath(path, build), detail))
    print("run-all-exports: %d modules: %d identical to wasm-interp, %d different; apart: %d "
          "known differences, %d where both time out; %d not valid for wabt 1.0.32"
          % (len(files), counts["same"], counts["fail"], counts["known"], counts["both-timeout"],
             counts["skip"]))
    harness.write_result("run-all-exports.txt", counts["same"], counts["fail"])
    print("run-all-exports: %d passed, %d failed" % (counts["same"], counts["fail"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
