#!/usr/bin/env python3
"""heldout-wabt.py: wabt's own test inputs as held-out input for wlab-objdump.

Usage: WABT_SRC=DIR [BUILD=build] python3 scripts/heldout-wabt.py [-j N] [--out DIR]
           [--only dump|binary] [NAME...]

DIR is a wabt source tree (a checkout, or `git archive HEAD test` extracted):
its test/dump/*.txt (modules in the text format, or in gen-wasm.py's byte
notation, with `;;; TOOL:` and `;;; ARGS*:` lines) and test/binary/*.txt
(malformed and odd binaries in gen-wasm.py's notation). Without WABT_SRC the
script says so and does nothing; `make test` never runs it.

test/dump: each module is assembled by the oracle's wat2wasm (wabt 1.0.32 on
PATH first, then 1.0.39 from tests/oracles when 1.0.32 refuses it, with the
wat2wasm flags the test's ARGS give; run-objdump-spec tests by wast2json),
then dumped by the oracle's wasm-objdump and by $BUILD/bin/wlab-objdump with
the test's own objdump flags and with -h, -x, -d, -s, -d -r and -h -x -d -s.
The oracle is chosen as tests/compat/objdump_compat.py chooses it: 1.0.32 for
a module its wasm-validate accepts, 1.0.39 for one beyond 2.0. Standard
output and exit status are compared (not the expected text in the .txt
files: that comes from a newer wabt).

test/binary: the bytes are built by this script's own reader of gen-wasm.py's
notation (below). Every mode above runs on each; wlab-objdump must never
crash or hang, a non-zero exit must name a byte offset (`:0x...: error:`),
and its exit status is compared with wasm-objdump's. Modules the test expects
wasm-validate to refuse are also checked with `wlab-objdump --validate` (with
the test's feature flags) against wasm-validate's exit status.

Results: a line per difference on stdout, the diffs under --out (default
/tmp/heldout-wabt), and the counts at the end, per run (a module in one
mode): identical (same exit status and stdout); both-fail-same / both-fail
(both refuse the module: same stdout or not; wlab-objdump prints nothing
for a file it rejects, wasm-objdump what it read before the error);
different (both dump it, stdout differs); refused (wlab-objdump refuses a
module the oracle dumps); oracle-fails (the reverse); validate-agrees /
validate-differs (`--validate` against wasm-validate); crash, hang,
no-offset (failures: the exit status is 1 when there is one).
"""
import argparse
import difflib
import multiprocessing
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "spec"))
import harness  # noqa: E402

TIMEOUT = 10
NODE_TIMEOUT = 90
MODES = [["-h"], ["-x"], ["-d"], ["-s"], ["-d", "-r"], ["-h", "-x", "-d", "-s"]]
# Options wasm-objdump 1.0.32 and 1.0.39 take; others in a test's ARGS
# (feature flags meant for wasm-validate) are left out of its objdump run.
OBJDUMP_OPTS = {"-h", "--headers", "-x", "--details", "-d", "--disassemble", "-s",
                "--full-contents", "-r", "--reloc", "--debug", "--section-offsets"}
OFFSET = re.compile(rb":0x[0-9a-f]+: error: ")
WABT_OFFSET = re.compile(rb"^[0-9a-f]{7,}: error: (.*)$", re.M)

# ---------------------------------------------------------------------------
# A reader of gen-wasm.py's notation. A file is a sequence of items, each
# appending bytes:
#   a number 0..255 (decimal or 0x..)  that byte
#   a known name (table below)         its byte(s): a type, opcode, section id...
#   "text" or 'text'                   its characters, unprefixed
#   str("text")                        a LEB128 u32 length, then the characters
#   leb_u32(N) leb_i32(N) leb_i64(N)   N as unsigned/signed LEB128
#   label[ items ]  or  func[ items ]  the items (the label only documents them)
#   func{ items }                      a function body: its size, the items, 0x0b
#   section(ID){ items }               the id (a section's, or a subsection's:
#                                      NAME_LOCALS...), the size, the payload
#   section("name"){ items }           a custom section: id 0, size, name, items
# `;;` starts a comment to the end of the line.

BYTE_NAMES = {
    "magic": b"\0asm", "version": b"\1\0\0\0",
    # value, reference and composite types, the empty block type
    "i32": b"\x7f", "i64": b"\x7e", "f32": b"\x7d", "f64": b"\x7c", "v128": b"\x7b",
    "funcref": b"\x70", "reference": b"\x6b", "function": b"\x60",
    "struct": b"\x5f", "array": b"\x5e", "void": b"\x40",
    # external kinds
    "func_kind": b"\0", "table_kind": b"\1", "memory_kind": b"\2", "global_kind": b"\3",
    # name, linking and dylink.0 subsections
    "NAME_MODULE": b"\0", "NAME_FUNCTION": b"\1", "NAME_LOCALS": b"\2",
    "LINKING_SEGMENT_INFO": b"\5", "LINKING_INIT_FUNCTIONS": b"\6",
    "LINKING_COMDAT_INFO": b"\7", "LINKING_SYMBOL_TABLE": b"\x08",
    "DYLINK_MEM_INFO": b"\1", "DYLINK_NEEDED": b"\2", "DYLINK_EXPORT_INFO": b"\3",
    "DYLINK_IMPORT_INFO": b"\4",
}
SECTION_IDS = ["USER", "TYPE", "IMPORT", "FUNCTION", "TABLE", "MEMORY", "GLOBAL", "EXPORT",
               "START", "ELEM", "CODE", "DATA", "DATACOUNT", "TAG"]
for _i, _n in enumerate(SECTION_IDS):
    BYTE_NAMES[_n] = bytes([_i])
# Instructions, by opcode: the control ones and the MVP's numeric run, in
# the binary format's order (each name is one byte on from the last).
_RUNS = [
    (0x00, "unreachable nop block loop if else try"),
    (0x0b, "end br br_if br_table return call call_indirect return_call return_call_indirect"),
    (0x19, "catch_all drop select"),
    (0x20, "local.get local.set local.tee global.get global.set"),
    (0x28, "i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s"
           " i32.load16_u i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s"
           " i64.load32_u i32.store i64.store f32.store f64.store i32.store8 i32.store16"
           " i64.store8 i64.store16 i64.store32 memory.size memory.grow"
           " i32.const i64.const f32.const f64.const"),
    (0x45, "i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u"
           " i32.ge_s i32.ge_u i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u"
           " i64.le_s i64.le_u i64.ge_s i64.ge_u f32.eq f32.ne f32.lt f32.gt f32.le f32.ge"
           " f64.eq f64.ne f64.lt f64.gt f64.le f64.ge"),
    (0x67, "i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u"
           " i32.rem_s i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u"
           " i32.rotl i32.rotr i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul"
           " i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl"
           " i64.shr_s i64.shr_u i64.rotl i64.rotr"),
    (0x8b, "f32.abs f32.neg f32.copysign f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt"
           " f32.add f32.sub f32.mul f32.div f32.min f32.max f64.abs f64.neg f64.copysign"
           " f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul"
           " f64.div f64.min f64.max"),
    (0xa7, "i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u"
           " i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u"
           " i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u"
           " f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s"
           " f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32"
           " i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64"),
]
for _op, _names in _RUNS:
    for _k, _n in enumerate(_names.split()):
        BYTE_NAMES[_n] = bytes([_op + _k])
for _k, _n in enumerate("memory.init data.drop memory.copy memory.fill table.init elem.drop"
                        " table.copy".split()):
    BYTE_NAMES[_n] = bytes([0xfc, 0x08 + _k])

TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+) | (?P<comment>;;[^\n]*)
  | (?P<int>-?(?:0[xX][0-9a-fA-F]+|[0-9]+))
  | (?P<float>-?(?:[0-9]*\.?[0-9]+|[0-9]+\.?[0-9]*)(?:[eE][0-9]+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<name>[a-zA-Z][a-zA-Z0-9_./]*)
  | (?P<punct>[()\[\]{}])
""", re.X)


class NotationError(Exception):
    pass


def tokens_of(text):
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise NotationError("unexpected character %r" % text[pos])
        pos = m.end()
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        val = m.group(kind)
        if kind == "int":
            val = int(val, 0) if not val.lstrip("-").lower().startswith("0x") else \
                (-1 if val.startswith("-") else 1) * int(val.lstrip("-"), 16)
        elif kind == "string":
            val = val[1:-1]
        out.append((kind, val))
    return out


def uleb(v):
    if v < 0:
        raise NotationError("negative unsigned LEB128 %d" % v)
    return harness.uleb(v)


def sleb(v):
    out = bytearray()
    while True:
        b, v = v & 0x7f, v >> 7
        done = (v == 0 and not b & 0x40) or (v == -1 and b & 0x40)
        out.append(b | (0 if done else 0x80))
        if done:
            return bytes(out)


def chars(s):
    if any(ord(c) > 255 for c in s):
        raise NotationError("character beyond one byte in %r" % s)
    return bytes(ord(c) for c in s)


class Reader:
    def __init__(self, text):
        self.toks = tokens_of(text)
        self.pos = 0

    def peek(self, ahead=0):
        i = self.pos + ahead
        return self.toks[i] if i < len(self.toks) else (None, None)

    def take(self, kind, val=None):
        k, v = self.peek()
        if k != kind or (val is not None and v != val):
            raise NotationError("expected %s %s, found %s %r" % (kind, val or "", k, v))
        self.pos += 1
        return v

    def call_arg(self, kind):
        self.take("punct", "(")
        v = self.take(kind)
        self.take("punct", ")")
        return v

    def items(self, closer=None):
        out = bytearray()
        while True:
            kind, val = self.peek()
            if kind is None:
                if closer:
                    raise NotationError("missing %s" % closer)
                return bytes(out)
            if kind == "punct" and val == closer:
                self.pos += 1
                return bytes(out)
            self.pos += 1
            if kind == "int":
                if not 0 <= val < 256:
                    raise NotationError("%d is not a byte" % val)
                out.append(val)
            elif kind == "string":
                out += chars(val)
            elif kind == "name":
                out += self.named(val)
            else:
                raise NotationError("unexpected %s %r" % (kind, val))

    def named(self, name):
        nxt = self.peek()
        if name == "section":
            self.take("punct", "(")
            k, v = self.peek()
            if k == "string":
                self.pos += 1
                self.take("punct", ")")
                self.take("punct", "{")
                head = uleb(len(v)) + chars(v)
                body = head + self.items("}")
                return b"\0" + uleb(len(body)) + body
            sid = self.take("name")  # any one-byte name: TYPE, NAME_LOCALS...
            if len(BYTE_NAMES.get(sid, b"")) != 1:
                raise NotationError("%s is not a section or subsection id" % sid)
            self.take("punct", ")")
            self.take("punct", "{")
            body = self.items("}")
            return BYTE_NAMES[sid] + uleb(len(body)) + body
        if name == "func" and nxt == ("punct", "{"):
            self.pos += 1
            body = self.items("}") + b"\x0b"
            return uleb(len(body)) + body
        if name == "str":
            s = chars(self.call_arg("string"))
            return uleb(len(s)) + s
        if name in ("leb_u32", "leb_i32", "leb_i64"):
            v = self.call_arg("int")
            return uleb(v) if name == "leb_u32" else sleb(v)
        if nxt == ("punct", "[") and name not in BYTE_NAMES:
            self.pos += 1
            return self.items("]")
        if name in BYTE_NAMES:
            return BYTE_NAMES[name]
        raise NotationError("unknown name %s" % name)


def gen_wasm(text):
    return Reader(text).items()


# ---------------------------------------------------------------------------
# Test files


class Test:
    def __init__(self, path):
        self.path = path
        self.name = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))[:-4]
        self.tool, self.args, self.runs = None, {}, []
        body = []
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "surrogateescape").split("\n")
        for line in lines:
            if re.match(r"\s*\(;; (STDOUT|STDERR) ;;;$", line.strip()):
                break
            m = re.match(r"\s*;;;(.*)$", line)
            if m and not body:
                key, _, value = m.group(1).strip().partition(":")
                key, value = key.strip(), value.strip()
                if key == "TOOL":
                    self.tool = value
                elif key.startswith("ARGS"):
                    self.args.setdefault(key[4:], []).extend(value.split())
                elif key == "RUN":
                    self.runs.append(value)
                continue
            body.append(line)
        self.text = "\n".join(body)

    def args_for(self, index, last):
        """The ARGS that go to command `index` (ARGSn, ARGS* and, for the
        last command, ARGS), without -v."""
        out = list(self.args.get(str(index), []))
        out += self.args.get("*", [])
        if index == last:
            out += self.args.get("", [])
        return [a for a in out if a != "-v"]


def run(argv, cwd, timeout=TIMEOUT):
    pre = harness.unlimited if argv[0] == "node" else None
    return harness.run(argv, NODE_TIMEOUT if argv[0] == "node" else timeout, cwd=cwd,
                       preexec_fn=pre)


class Oracles:
    def __init__(self):
        self.old = {t: [t] for t in ("wat2wasm", "wast2json", "wasm-objdump", "wasm-validate")}
        self.new = {}
        for t in ("wat2wasm", "wasm-objdump", "wasm-validate"):  # npm's wabt has no wast2json
            argv, why = harness.oracle(t)
            if argv is None:
                sys.exit("heldout-wabt: " + why)
            self.new[t] = argv
        self.old_version = subprocess.run(["wasm-objdump", "--version"], capture_output=True,
                                          text=True).stdout.strip()
        self.new_version = harness.oracle("wasm-objdump")[1]

    def pick(self, which):
        return self.old if which == "1.0.32" else self.new


def assemble(o, test, wdir):
    """Writes the test's module(s) into wdir: [(file name, built by)] or a
    string saying why there is none."""
    if test.tool in ("run-objdump-gen-wasm",) or test.name.startswith("binary/"):
        try:
            data = gen_wasm(test.text)
        except NotationError as e:
            return "notation: %s" % e
        with open(os.path.join(wdir, "m.wasm"), "wb") as f:
            f.write(data)
        return [("m.wasm", "gen-wasm")]
    spec = test.tool == "run-objdump-spec"
    src = os.path.join(wdir, "m.wast" if spec else "m.wat")
    with open(src, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(test.text)
    flags = test.args_for(0, 0 if test.tool == "wat2wasm" else 1)
    why = []
    for version in ("1.0.32", "1.0.39"):
        tools = o.pick(version)
        if spec and "wast2json" not in tools:
            continue
        if spec:
            argv = tools["wast2json"] + flags + ["m.wast", "-o", "m.json"]
        else:
            argv = tools["wat2wasm"] + flags + ["m.wat", "-o", "m.wasm"]
        res = run(argv, wdir)
        if res.rc == 0:
            if not spec:
                return [("m.wasm", version)]
            found = sorted((f for f in os.listdir(wdir) if re.match(r"m\.\d+\.wasm$", f)),
                           key=lambda f: int(f.split(".")[1]))
            return [(f, version) for f in found]
        why.append("%s: %s" % (version, res.err.decode("utf-8", "replace").strip()
                               .split("\n")[0][:120]))
    return "assembler refused (%s)" % "; ".join(why)


def choose(o, wdir, base, built):
    """The oracle version for a module, by objdump_compat.py's rule."""
    return harness.objdump_oracle(wdir, base, o.new["wasm-validate"], built)


def modes_of(test, files):
    """(label, argv without files, files) for each objdump run."""
    out, seen = [], set()
    own = None
    if test.tool in ("run-objdump", "run-objdump-gen-wasm"):
        own = ["-r", "-d"] + [a for a in test.args_for(1, 1) if a in OBJDUMP_OPTS]
    elif test.tool == "run-objdump-spec":
        extra = test.args_for(1, 1)
        named = [re.sub(r"^%\(temp_file\)s\.", "m.", a) for a in extra if "%(temp_file)s" in a]
        opts = [a for a in extra if a in OBJDUMP_OPTS]
        if named:
            out.append(("own", ["-r", "-d"] + opts, named))
            seen.add(tuple(["-r", "-d"] + opts))
    if own is not None:
        out.append(("own", own, None))
        seen.add(tuple(own))
    for m in MODES:
        if tuple(m) not in seen:
            seen.add(tuple(m))
            out.append((" ".join(m), m, None))
    return out


def compare(o, test, wdir, files, out_dir):
    """[(module, mode, verdict, detail)]: verdict identical, different, refused
    (ours fails where the oracle dumps), or for the binary set also
    both-fail / oracle-fails; crash, hang and no-offset are failures."""
    rows = []
    ours = os.path.abspath(os.path.join(os.environ.get("BUILD", os.path.join(ROOT, "build")),
                                        "bin", "wlab-objdump"))
    choice = {}
    for f, built in files:
        choice[f] = choose(o, wdir, f, built)
    for label, flags, named in modes_of(test, files):
        groups = [[f] for f, _ in files] if named is None else [named]
        for group in groups:
            version = choice.get(group[0], "1.0.32")
            if any(choice.get(g) != version for g in group):
                version = "1.0.39"
            ref = run(o.pick(version)["wasm-objdump"] + flags + group, wdir)
            res = run([ours] + flags + group, wdir)
            where = "%s %s" % (test.name, " ".join(group) if len(files) > 1 or named else "")
            rows.append(judge(test, where.strip(), label, flags, version, ref, res, out_dir))
    return rows


def judge(test, where, label, flags, version, ref, res, out_dir):
    tag = "%s [%s] (%s)" % (where, " ".join(flags), version)
    if res.timeout:
        return (where, label, "hang", tag)
    if res.crashed() or res.rc >= 128:
        return (where, label, "crash", "%s: %s" % (tag, harness.describe(res)))
    if res.rc != 0 and not OFFSET.search(res.err) and (ref.rc == 0 or WABT_OFFSET.search(ref.err)):
        return (where, label, "no-offset", "%s: %s" % (
            tag, res.err.decode("utf-8", "replace").strip()[:200]))
    if ref.timeout:
        return (where, label, "oracle-hang", tag)
    if ref.rc == res.rc and ref.out == res.out:
        return (where, label, "identical" if ref.rc == 0 else "both-fail-same", tag)
    if ref.rc != 0 and res.rc != 0:
        verdict = "both-fail"  # same status, a different partial dump before the error
    elif ref.rc == 0 and res.rc != 0:
        verdict = "refused"
    elif ref.rc != 0:
        verdict = "oracle-fails"
    else:
        verdict = "different"
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", "%s__%s" % (where, label))
    with open(os.path.join(out_dir, name + ".diff"), "w") as f:
        f.write("$ wasm-objdump %s  (wabt %s): exit %d\n%s\n" % (
            " ".join(flags), version, ref.rc, ref.err.decode("utf-8", "replace").strip()))
        f.write("$ wlab-objdump %s: exit %d\n%s\n" % (
            " ".join(flags), res.rc, res.err.decode("utf-8", "replace").strip()))
        f.writelines(difflib.unified_diff(
            ref.out.decode("utf-8", "replace").splitlines(True),
            res.out.decode("utf-8", "replace").splitlines(True),
            "wasm-objdump", "wlab-objdump", n=2))
    detail = "%s: exit %d vs ours %d" % (tag, ref.rc, res.rc)
    if res.rc != 0:
        detail += ": " + res.err.decode("utf-8", "replace").strip().split("\n")[0][:160]
    elif ref.rc != 0:
        detail += ": " + ref.err.decode("utf-8", "replace").strip().split("\n")[0][:160]
    return (where, label, verdict, detail)


def validate_check(o, test, wdir, out_dir):
    """A module wabt's test expects wasm-validate to refuse: wlab-objdump
    --validate (with the test's feature flags) against wasm-validate."""
    feats = [a for a in test.args_for(1, 2) if a.startswith(("--enable-", "--disable-"))]
    ref = run(o.old["wasm-validate"] + feats + ["m.wasm"], wdir)
    if ref.rc != 0 and b"unknown option" in ref.err.lower():
        ref = run(o.new["wasm-validate"] + feats + ["m.wasm"], wdir)
    ours = os.path.abspath(os.path.join(os.environ.get("BUILD", os.path.join(ROOT, "build")),
                                        "bin", "wlab-objdump"))
    res = run([ours, "--validate"] + feats + ["m.wasm"], wdir)
    tag = "%s [--validate %s]" % (test.name, " ".join(feats))
    if res.timeout:
        return (test.name, "validate", "hang", tag)
    if res.crashed() or res.rc >= 128:
        return (test.name, "validate", "crash", tag)
    if res.rc != 0 and not OFFSET.search(res.err):
        return (test.name, "validate", "no-offset", tag)
    verdict = "validate-agrees" if (ref.rc == 0) == (res.rc == 0) else "validate-differs"
    return (test.name, "validate", verdict, "%s: wasm-validate exit %d (%s) vs ours %d (%s)" % (
        tag, ref.rc, ref.err.decode("utf-8", "replace").strip().split("\n")[0][:100],
        res.rc, res.err.decode("utf-8", "replace").strip().split("\n")[0][:100]))


def work(task):
    path, out_dir = task
    o = G["oracles"]
    test = Test(path)
    wdir = os.path.join(os.path.dirname(out_dir), "work", test.name.replace("/", "__"))
    shutil.rmtree(wdir, ignore_errors=True)
    os.makedirs(wdir)
    if test.runs and not test.tool:
        return test.name, "skipped", [], "RUN lines of its own (%s)" % "; ".join(test.runs)
    if test.name.startswith("dump/") and test.tool not in (
            "run-objdump", "run-objdump-gen-wasm", "run-objdump-spec", "wat2wasm"):
        return test.name, "skipped", [], "tool %s" % test.tool
    files = assemble(o, test, wdir)
    if isinstance(files, str):
        return test.name, "unassembled", [], files
    if not files:
        return test.name, "unassembled", [], "no module"
    rows = compare(o, test, wdir, files, out_dir)
    if test.tool == "run-gen-wasm-bad":
        rows.append(validate_check(o, test, wdir, out_dir))
    return test.name, "ran", rows, ",".join(sorted(set(v for _, v in files)))


G = {}


def init(o):
    G["oracles"] = o


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--out", default=os.environ.get("HELDOUT_OUT", "/tmp/heldout-wabt"))
    ap.add_argument("--only", choices=("dump", "binary"))
    ap.add_argument("names", nargs="*", help="test names (e.g. dump/basic binary/bad-magic)")
    opts = ap.parse_args()
    src = harness.source_dir("WABT_SRC", "a wabt source tree with test/dump and test/binary")
    if not src:
        return 0
    ours = os.path.join(harness.build_dir(), "bin", "wlab-objdump")
    if not os.access(ours, os.X_OK):
        sys.exit("heldout-wabt: %s is not built" % ours)
    for t in ("wat2wasm", "wast2json", "wasm-objdump", "wasm-validate"):
        if not shutil.which(t):
            sys.exit("heldout-wabt: %s (wabt 1.0.32) is not on PATH" % t)
    o = Oracles()
    paths = []
    for sub in ("dump", "binary"):
        if opts.only and opts.only != sub:
            continue
        d = os.path.join(src, "test", sub)
        paths += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".txt"))
    if opts.names:
        want = {n[:-4] if n.endswith(".txt") else n for n in opts.names}
        paths = [p for p in paths if os.path.relpath(p, os.path.join(src, "test"))[:-4] in want]
    diffs = os.path.join(opts.out, "diffs")
    shutil.rmtree(diffs, ignore_errors=True)
    os.makedirs(diffs)
    with multiprocessing.Pool(opts.j, initializer=init, initargs=(o,)) as pool:
        results = pool.map(work, [(p, diffs) for p in paths], chunksize=1)
    return report(results, o)


BAD = ("crash", "hang", "no-offset")


def report(results, o):
    counts = {}
    modules = {}
    for name, status, rows, note in results:
        sub = name.split("/")[0]
        if status != "ran":
            print("%-7s %s: %s" % (status, name, note))
            counts.setdefault(sub, {}).setdefault("file " + status, 0)
            counts[sub]["file " + status] += 1
            continue
        for where, label, verdict, detail in rows:
            c = counts.setdefault(sub, {})
            c[verdict] = c.get(verdict, 0) + 1
            mod = modules.setdefault(sub, {}).setdefault(where, set())
            mod.add(verdict)
            if verdict not in ("identical", "both-fail-same", "validate-agrees"):
                print("%-14s %s" % (verdict, detail))
    print()
    print("oracles: wasm-objdump %s (PATH), %s (tests/oracles)" % (o.old_version, o.new_version))
    failed = 0
    for sub in ("dump", "binary"):
        if sub not in counts:
            continue
        c = counts[sub]
        mods = modules.get(sub, {})
        same = sum(1 for v in mods.values()
                   if v <= {"identical", "both-fail-same", "validate-agrees"})
        print("%s: %d files, %d modules (%d identical in every mode); runs: %s" % (
            sub, sum(1 for r in results if r[0].startswith(sub + "/")), len(mods), same,
            ", ".join("%s %d" % kv for kv in sorted(c.items()))))
        failed += sum(c.get(b, 0) for b in BAD)
    print("crashes, hangs, errors without an offset: %d" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
