#!/usr/bin/env python3
"""roundtrip.py: decode -> wlab_module_encode -> decode on every module of the corpus.

Modules: every .wasm under $BUILD/spec (scripts/spec-convert.sh), $BUILD/corpus
(scripts/build-corpus.sh) and $BUILD/examples, one file per distinct content (harness.module_files); those that do not decode (with
the 2.0 features, else with every feature) are skipped and counted. A corpus
module built with a feature still off in features.def (harness.not_yet) is
counted apart as "not yet"; one whose features are all on must decode.

For each module `wlab-reencode --check` (tests/tools/wlab-reencode.c) encodes
the decoded structure, decodes the output with the same features, compares the
two structural dumps (every field except offsets) and validates both with
libwasm: the results must agree. Then:
- identical bytes: nothing more to check;
- other bytes: every difference must be an overlong LEB128 of the original
  (the same value written shorter, found by walking both files side by side);
  a difference that is not one fails. Where wabt's wasm-validate accepts the
  original (2.0 features, else --enable-all) it must accept the output too.
Writes "passed failed" to $BUILD/test-results/encode-roundtrip.txt."""
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import harness  # noqa: E402

BATCH = 100


def read_uleb(buf, at):
    """(length, value) of the unsigned LEB128 at `at`, or (0, None)."""
    v = shift = 0
    for n in range(10):
        if at + n >= len(buf):
            return 0, None
        b = buf[at + n]
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n + 1, v
    return 0, None


def uleb_len(v):
    n = 1
    while v >> 7:
        v >>= 7
        n += 1
    return n


def mismatch(a, i, b, j):
    """The first k >= 0 with a[i+k] != b[j+k] (or the end of either)."""
    step = 4096
    while i < len(a) and j < len(b) and a[i:i + step] == b[j:j + step] and \
            len(a) - i >= step and len(b) - j >= step:
        i += step
        j += step
    while i < len(a) and j < len(b) and a[i] == b[j]:
        i += 1
        j += 1
    return i, j


def overlong_lebs(orig, new):
    """(offsets in orig of overlong LEB128s, number of sizes that shrank)
    when every difference between orig and new is one of those, else None.
    Walking both files side by side, a difference must lie in a LEB128 of
    orig and one of new, the new one in the shortest form, and either of the
    same value in more bytes (an overlong LEB128) or of a smaller value (a
    section, body or subsection size whose contents got shorter)."""
    found, shrunk = [], 0
    i = j = 0
    while True:
        i, j = mismatch(orig, i, new, j)
        if i == len(orig) and j == len(new):
            return found, shrunk
        if i == len(orig) or j == len(new):
            return None
        # The differing byte lies inside a LEB128 that starts up to 9 bytes back.
        for k in reversed(range(min(10, i + 1, j + 1))):  # the longest LEB128 first
            si, sj = i - k, j - k
            la, va = read_uleb(orig, si)
            lb, vb = read_uleb(new, sj)
            if va is None or vb is None or lb != uleb_len(vb) or la < lb \
                    or not (i < si + la and j < sj + lb):
                continue
            if va == vb and la > lb:
                found.append(si)
            elif va > vb:
                shrunk += 1
            else:
                continue
            i, j = si + la, sj + lb
            break
        else:
            return None


def self_test():
    """The difference walker on known cases; False when it is broken."""
    cases = [
        (b"\x05\x82\x80\x00", b"\x05\x02", ([1], 0)),          # overlong, same value
        (b"\x01\x04\x01\x80\x00", b"\x01\x03\x01\x00", ([3], 1)),  # size shrank
        (b"\x01\xac\x82\x80\x00", b"\x01\xac\x02", ([1], 0)),    # differs mid-LEB
        (b"\x01\x02", b"\x01\x03", None),                          # a value changed
        (b"\x01\x02\x03", b"\x01\x02", None),                      # a byte lost
        (b"\x01\x80\x00", b"\x01\x80\x00", ([], 0)),              # equal
    ]
    ok = True
    for orig, new, want in cases:
        got = overlong_lebs(orig, new)
        if got != want:
            sys.stderr.write("encode-roundtrip: self-test %r vs %r: got %r, want %r\n"
                             % (orig, new, got, want))
            ok = False
    return ok


def wabt_flags(validate, path):
    """The wasm-validate flags under which path validates, or None."""
    for flags in ([], ["--enable-all"]):
        if harness.run([validate] + flags + [path], timeout=60).rc == 0:
            return flags
    return None


def run_tool(tool, paths, out_dir):
    """{path: line fields} from wlab-reencode --check; one file at a time after a crash."""
    res = harness.run([tool, "--check", "--out-dir", out_dir] + paths, timeout=120 + len(paths))
    got = {}
    for line in res.out.decode("utf-8", "replace").splitlines():
        f = line.split("\t")
        if f and f[0] in paths:
            got[f[0]] = f[1:]
    if res.crashed() or res.rc not in (0, 1) or len(got) != len(paths):
        if len(paths) > 1:
            got = {}
            for k, p in enumerate(paths):
                sub = os.path.join(out_dir, "one%d" % k)
                os.makedirs(sub, exist_ok=True)
                got.update(run_tool(tool, [p], sub))
            return got
        why = "%s: %s" % (harness.describe(res), res.err.decode("utf-8", "replace")[-300:])
        return {paths[0]: ["FAIL", "CRASH " + why]}
    return got


def check_batch(args):
    tool, validate, paths, out_dir = args
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for path, f in sorted(run_tool(tool, paths, out_dir).items()):
        kind = f[0]
        row = {"path": path, "kind": kind, "error": None, "overlong": 0, "wabt": None,
               "valid": len(f) > 1 and f[1] == "valid=1"}
        if kind == "FAIL":
            row["error"] = f[1] if len(f) > 1 else "?"
        elif kind == "changed":
            out = f[3]
            with open(path, "rb") as fh:
                orig = fh.read()
            with open(out, "rb") as fh:
                new = fh.read()
            diff = overlong_lebs(orig, new)
            if diff is None:
                row["error"] = "bytes differ by more than overlong LEB128s"
            elif not diff[0]:
                row["error"] = "bytes differ but the original has no overlong LEB128"
            else:
                row["overlong"] = len(diff[0])
                row["first_overlong"] = diff[0][0]
            flags = wabt_flags(validate, path)
            if flags is not None:
                r = harness.run([validate] + flags + [out], timeout=60)
                row["wabt"] = r.rc == 0
                if r.rc != 0 and not row["error"]:
                    row["error"] = "wasm-validate %s rejects the output: %s" % (
                        " ".join(flags), r.err.decode("utf-8", "replace").strip()[:200])
        rows.append(row)
    return rows


def main():
    build = harness.build_dir()
    tool = os.path.join(build, "tests", "bin", "wlab-reencode")
    if not harness.need_tool(tool):
        return 2
    validate = "wasm-validate"
    files = harness.module_files(build)
    if not files:
        sys.stderr.write("encode-roundtrip: no modules under %s (spec-convert, corpus?)\n" % build)
        harness.write_result("encode-roundtrip.txt", 0, 1)
        return 1
    counts = dict(skip=0, identical=0, changed=0, failed=0, overlong=0, valid=0, wabt=0, notyet=0)
    defaults = harness.feature_defaults()
    notyet = {}
    failures = []
    if not self_test():
        counts["failed"] += 1
        failures.append("the difference walker's self-test")
    with tempfile.TemporaryDirectory(prefix="encode-roundtrip.") as tmp:
        jobs = [(tool, validate, files[i:i + BATCH], os.path.join(tmp, str(i)))
                for i in range(0, len(files), BATCH)]
        with ThreadPoolExecutor(2) as ex:
            for rows in ex.map(check_batch, jobs):
                for r in rows:
                    if r["kind"] == "skip":
                        missing = harness.not_yet(r["path"], defaults)
                        if missing:
                            counts["notyet"] += 1
                            notyet.setdefault(" ".join(missing), []).append(r["path"])
                        elif harness.declared_features(r["path"]):
                            counts["failed"] += 1
                            failures.append("%s: does not decode, yet its features (%s) are on"
                                            % (os.path.relpath(r["path"], build),
                                               " ".join(harness.declared_features(r["path"]))))
                        else:
                            counts["skip"] += 1
                        continue
                    if r["error"]:
                        counts["failed"] += 1
                        failures.append("%s: %s" % (os.path.relpath(r["path"], build), r["error"]))
                        continue
                    counts[r["kind"]] += 1
                    counts["overlong"] += r["overlong"]
                    counts["wabt"] += r["wabt"] is not None
                    counts["valid"] += r["valid"]
    for line in failures[:20]:
        sys.stderr.write("FAIL %s\n" % line)
    for feats, paths in sorted(notyet.items()):
        print("encode-roundtrip: not yet (%s off in features.def): %d modules do not decode: %s"
              % (feats, len(paths), " ".join(os.path.relpath(p, build) for p in sorted(paths)[:6])))
    decoded = len(files) - counts["skip"] - counts["notyet"]
    passed = counts["identical"] + counts["changed"]
    print("encode-roundtrip: %d modules, %d decode (%d skipped: not a module)"
          % (len(files), decoded, counts["skip"]))
    print("encode-roundtrip: %d of them validate with libwasm, and so does their re-encoding"
          % counts["valid"])
    print("encode-roundtrip: %d structurally equal and validation agrees; %d identical bytes; "
          "%d other bytes, all from overlong LEB128s of the original (%d of them), "
          "%d of those checked with wasm-validate; %d failures"
          % (passed, counts["identical"], counts["changed"], counts["overlong"],
             counts["wabt"], counts["failed"]))
    harness.write_result("encode-roundtrip.txt", passed, counts["failed"])
    print("encode-roundtrip: %d passed, %d failed" % (passed, counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
