// wasm_opt_batch.cjs: many runs of binaryen's wasm-opt (tests/oracles, the
// npm build: one 11 MB Emscripten file, JS glue with the wasm inline) in one
// Node process, each as `wasm-opt ARGS` would run alone, at a fraction of
// the cost: a separate `node wasm-opt` spends most of its 1.5-2 s of CPU
// decoding and compiling the 10 MB of wasm and warming the compiled code up.
// Here the wasm is compiled once (WebAssembly.Module, through the glue's
// Module.instantiateWasm hook) and each run gets what a process would: a
// fresh instance (its own memory and globals) and the glue evaluated afresh
// in its own vm context (its own FS, TTY and exit state), with stdout and
// stderr (fd 1 and 2, which the glue writes with fs.writeSync) captured and
// exit() read from process.exitCode, as the glue sets it.
//
// Usage: node wasm_opt_batch.cjs WASM-OPT-PATH, then one JSON array of
// arguments a line on stdin; for each, one line on stdout:
// {"rc": N, "out": base64 of its stdout, "err": base64 of its stderr}.
// tests/differential/diff_exec.py runs one per worker, and checks on a few
// modules that its outputs are byte for byte those of `node wasm-opt ARGS`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const vm = require('node:vm');

const file = path.resolve(process.argv[2]);
let text = fs.readFileSync(file, 'utf8');
if (text.startsWith('#!')) text = '//' + text.slice(2);  // keep the line numbers
// The glue's last statement starts main once the wasm is instantiated; keep
// its promise, to know when a run has ended (or died).
const START = 'createWasm().then(()=>run());';
if (!text.trimEnd().endsWith(START)) {
  process.stderr.write(`wasm_opt_batch: ${file} does not end with ${START}: another Emscripten glue?\n`);
  process.exit(2);
}
text = text.trimEnd().slice(0, -START.length) + 'Module.__done = createWasm().then(()=>run());\n';
const script = new vm.Script(text, { filename: file });

// The glue's invoke_* functions (Emscripten's C++ exceptions: every call
// that may throw goes out to JS and back through the table) take much of a
// run's time, and a fresh context's copies would run cold every time. So
// every run's instance imports these same copies, kept warm: the glue's own
// source, evaluated once here, with the few globals they use (stackSave,
// stackRestore, getWasmTableEntry, _setThrew, EmscriptenEH) read from R, which
// holds the instance of the run going on (runs go one at a time).
const R = {};
function exportName(what) {
  const m = text.match(new RegExp(`[;{=]${what}=wasmExports\\["(\\w+)"\\]`));
  if (!m) {
    process.stderr.write(`wasm_opt_batch: ${file}: no ${what}=wasmExports[...]: another Emscripten glue?\n`);
    process.exit(2);
  }
  return m[1];
}
const EXPORT = {
  stackGet: exportName('_emscripten_stack_get_current'),
  stackRestore: exportName('__emscripten_stack_restore'),
  setThrew: exportName('_setThrew'),
  table: exportName('wasmTable'),
};
// stackSave's export returns a pointer, which the glue makes unsigned
const UNSIGNED_SP = text.includes(`wasmExports["${EXPORT.stackGet}"]=makeWrapper_p(`);
const INVOKE = /function (invoke_\w+)\([\w,]*\)\{var sp=stackSave\(\);try\{(return )?getWasmTableEntry\(index\)\([\w,]*\)\}catch\(e\)\{stackRestore\(sp\);if\(!\(e instanceof EmscriptenEH\)\)throw e;_setThrew\(1,0\)(;return 0n)?\}\}/g;
const invokeSrc = text.match(INVOKE) || [];
if (invokeSrc.length !== text.split('function invoke_').length - 1) {
  process.stderr.write(`wasm_opt_batch: ${file}: an invoke_* function unlike the others: another Emscripten glue?\n`);
  process.exit(2);
}
const invokes = new Function('R', `'use strict';
  var stackSave = () => ${UNSIGNED_SP ? 'R.stackGet() >>> 0' : 'R.stackGet()'};
  var stackRestore = (sp) => R.stackRestore(sp);
  var _setThrew = (a, b) => R.setThrew(a, b);
  var getWasmTableEntry = (i) => { var f = R.mirror[i]; if (!f) R.mirror[i] = f = R.table.get(i); return f; };
  ${invokeSrc.join('\n').replace(/e instanceof EmscriptenEH/g, 'e instanceof R.EH')}
  return { ${invokeSrc.map((f) => f.slice(9, f.indexOf('('))).join(', ')} };`)(R);

// The wasm's bytes: the argument of the glue's findWasmBinary, decoded once
// by running the glue's own findWasmBinary in a throwaway context that never
// starts (instantiateWasm never calls back).
let compiled = null;
function wasmModule() {
  if (compiled) return compiled;
  const ctx = context(null, { instantiateWasm() {} });
  compiled = new WebAssembly.Module(vm.runInContext('findWasmBinary()', ctx));
  return compiled;
}

// A vm context for one run: what the glue takes from Node (require, process,
// console...), with fd 1 and 2 written to RUN's buffers.
function context(run, moduleInit) {
  const sink = (fd) => (fd === 1 ? run.out : fd === 2 ? run.err : null);
  const fakeFs = Object.create(fs);
  fakeFs.writeSync = (fd, buf, off, len, pos) => {
    const to = run && sink(fd);
    if (!to) return fs.writeSync(fd, buf, off, len, pos);
    if (typeof buf === 'string') { to.push(Buffer.from(buf)); return Buffer.byteLength(buf); }
    off = off || 0;
    len = len === undefined ? buf.length - off : len;
    to.push(Buffer.from(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + len)));
    return len;
  };
  const fakeTty = { isatty: (fd) => (fd <= 2 ? false : require('node:tty').isatty(fd)) };
  const fakeProcess = {
    argv: [process.argv[0], file, ...(run ? run.argv : [])],
    versions: process.versions,
    platform: process.platform,
    env: process.env,
    exitCode: undefined,
    cwd: () => process.cwd(),
    chdir: () => { throw new Error('wasm_opt_batch: chdir'); },
    binding: (n) => process.binding(n),
    stdin: { fd: 0 },
  };
  const req = (m) => (m === 'node:fs' ? fakeFs : m === 'node:tty' ? fakeTty : require(m));
  const say = (to) => (...a) => { if (to) to.push(Buffer.from(a.join(' ') + '\n')); };
  const ctx = vm.createContext({
    Module: moduleInit,
    require: req,
    process: fakeProcess,
    module: {},
    __filename: file,
    __dirname: path.dirname(file),
    console: { log: say(run && run.out), error: say(run && run.err), warn: say(run && run.err) },
    Buffer, TextDecoder, TextEncoder, URL, setTimeout, clearTimeout, performance,
  });
  vm.runInContext('globalThis.self = undefined;', ctx);
  script.runInContext(ctx);
  if (run) run.process = fakeProcess;
  return ctx;
}

// One run of wasm-opt ARGV: {rc, out, err}.
async function runOnce(argv) {
  const run = { argv, out: [], err: [] };
  const mod = wasmModule();
  const init = {
    instantiateWasm(imports, receive) {
      for (const [k, f] of Object.entries(imports.a)) {
        if (typeof f === 'function' && f.name.startsWith('invoke_')) {
          if (!invokes[f.name]) throw new Error(`wasm_opt_batch: ${f.name} is not like the others`);
          imports.a[k] = invokes[f.name];
        }
      }
      const inst = new WebAssembly.Instance(mod, imports);
      for (const k in EXPORT) R[k] = inst.exports[EXPORT[k]];
      R.mirror = [];
      receive(inst);
      return {};
    },
  };
  let rc;
  try {
    const ctx = context(run, init);
    R.EH = vm.runInContext('EmscriptenEH', ctx);
    await vm.runInContext('Module.__done', ctx);
    rc = run.process.exitCode || 0;
  } catch (e) {
    // what Node prints for an uncaught error, and its exit status
    if (e && e.name === 'ExitStatus') {
      rc = e.status;
    } else {
      run.err.push(Buffer.from(`${e && e.stack ? e.stack : ""}\n${String(e)}\n`));
      rc = run.process && run.process.exitCode ? run.process.exitCode : 1;
    }
  }
  return { rc, out: Buffer.concat(run.out).toString('base64'), err: Buffer.concat(run.err).toString('base64') };
}

(async () => {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = await runOnce(JSON.parse(line));
    process.stdout.write(JSON.stringify(r) + '\n');
  }
})();
