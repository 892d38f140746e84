// fuzz_host.js: binaryen's fuzzing-support imports in JavaScript, for V8 (Node
// and Chromium): globalThis.fuzzRun(bytes) instantiates one module of
// `wasm-opt -ttf` and calls its exports in order, returning the lines
// `wasm-opt --fuzz-exec-before` and `wlab-run --fuzzing-support` print, so
// tests/differential/diff_exec.py can compare all three (docs/fuzzing.md).
// A plain script (no import/export): v8_exec.mjs evaluates it in Node, and
// adds it to the Chromium page.
//
// Calls from JS pass what binaryen's interpreter passes: a zero of each
// param type (0n for an i64); an export JS cannot call directly (a v128 in
// its signature) is called through a small wasm module made here that
// passes zeros and returns each v128 result as four i32s. call-export and
// call-ref pass null for every param, as JS would (an i64 or v128 param
// then throws a TypeError, as binaryen's interpreter models). Values print
// as binaryen does, except what JS cannot know: a NaN prints as "nan" (its
// payload is lost), a v128 or exnref global as "?".
(function () {
  'use strict';

  // ---- the types of a module's exports, read from its bytes ----
  // A valtype: {t: 'i32'|'i64'|'f32'|'f64'|'v128'|'ref', nullable, heap}.
  function reader(b) {
    let p = 0;
    const r = {
      get pos() { return p; }, set pos(v) { p = v; },
      byte() { if (p >= b.length) throw new Error('truncated'); return b[p++]; },
      u32() {
        let v = 0, shift = 0, x;
        do { x = r.byte(); v += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
        return v;
      },
      s33() {
        let v = 0n, shift = 0n, x;
        do { x = r.byte(); v |= BigInt(x & 0x7f) << shift; shift += 7n; } while (x & 0x80);
        if (x & 0x40) v -= 1n << shift;
        return v;
      },
      name() { const n = r.u32(); p += n; return n; },
    };
    return r;
  }

  const NUM = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x78: 'i8', 0x77: 'i16' };
  // abstract heap types, by their byte
  const HEAP = { 0x70: 'func', 0x6f: 'extern', 0x6e: 'any', 0x6d: 'eq', 0x6c: 'i31', 0x6b: 'struct',
    0x6a: 'array', 0x69: 'exn', 0x68: 'cont', 0x71: 'none', 0x72: 'noextern', 0x73: 'nofunc',
    0x74: 'noexn', 0x75: 'nocont' };

  function heaptype(r) {
    let x = r.byte();
    if (x === 0x65) x = r.byte();  // shared
    if (HEAP[x]) return HEAP[x];
    r.pos--;
    return Number(r.s33());  // a type index
  }

  function valtype(r) {
    const x = r.byte();
    if (NUM[x]) return { t: NUM[x] };
    if (x === 0x63 || x === 0x64) return { t: 'ref', nullable: x === 0x63, heap: heaptype(r) };
    if (HEAP[x] || x === 0x65) { r.pos--; return { t: 'ref', nullable: true, heap: heaptype(r) }; }
    throw new Error(`valtype 0x${x.toString(16)}`);
  }

  function vec(r, f) { const n = r.u32(); const a = []; for (let i = 0; i < n; i++) a.push(f(r)); return a; }

  function comptype(r, types) {
    const x = r.byte();
    if (x === 0x60) { types.push({ params: vec(r, valtype), results: vec(r, valtype) }); return; }
    if (x === 0x5f) { vec(r, (q) => { valtype(q); q.byte(); }); types.push(null); return; }
    if (x === 0x5e) { valtype(r); r.byte(); types.push(null); return; }
    if (x === 0x5d) { heaptype(r); types.push(null); return; }  // cont
    throw new Error(`comptype 0x${x.toString(16)}`);
  }

  function subtype(r, types) {
    const x = r.byte();
    if (x === 0x50 || x === 0x4f) { vec(r, (q) => q.u32()); comptype(r, types); return; }
    r.pos--;
    comptype(r, types);
  }

  function limits(r) {
    const f = r.byte();
    r.u32();
    if (f & 1) r.u32();
  }

  // {name: {params, results}} of every exported function.
  function exportTypes(b) {
    const r = reader(b);
    r.pos = 8;
    const types = [], funcs = [], out = {};
    while (r.pos < b.length) {
      const id = r.byte(), size = r.u32(), end = r.pos + size;
      if (id === 1) {
        vec(r, (q) => {
          const x = q.byte();
          if (x === 0x4e) vec(q, (s) => subtype(s, types));
          else { q.pos--; subtype(q, types); }
        });
      } else if (id === 2) {
        vec(r, (q) => {
          q.name(); q.name();
          const k = q.byte();
          if (k === 0) funcs.push(types[q.u32()]);
          else if (k === 1) { valtype(q); limits(q); }
          else if (k === 2) limits(q);
          else if (k === 3) { valtype(q); q.byte(); }
          else if (k === 4) { q.byte(); q.u32(); }
        });
      } else if (id === 3) {
        vec(r, (q) => funcs.push(types[q.u32()]));
      } else if (id === 7) {
        vec(r, (q) => {
          const n = q.u32();
          const name = new TextDecoder().decode(b.subarray(q.pos, q.pos + n));
          q.pos += n;
          const k = q.byte(), i = q.u32();
          if (k === 0) out[name] = funcs[i];
        });
      }
      r.pos = end;
    }
    return out;
  }

  // ---- a wrapper module for exports with v128 in their signature ----
  function leb(n) { const a = []; do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; a.push(x); } while (n); return a; }
  function section(id, body) { return [id, ...leb(body.length), ...body]; }
  const CODE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
  function code(v) {
    if (v.t !== 'ref') return [CODE[v.t]];
    if (typeof v.heap !== 'string') return null;
    const h = Object.keys(HEAP).find((k) => HEAP[k] === v.heap);
    return [v.nullable ? 0x63 : 0x64, Number(h)];
  }
  function zero(v) {
    switch (v.t) {
      case 'i32': return [0x41, 0];
      case 'i64': return [0x42, 0];
      case 'f32': return [0x43, 0, 0, 0, 0];
      case 'f64': return [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
      case 'v128': return [0xfd, 12, ...new Array(16).fill(0)];
      default: {
        const c = code(v);
        return v.nullable && c ? [0xd0, c[1]] : null;
      }
    }
  }

  // A reference JS cannot hold (exnref, contref): the wrapper below returns
  // whether it is null instead.
  const opaque = (v) => v.t === 'ref' && ['exn', 'noexn', 'cont', 'nocont'].includes(v.heap);

  // A function that calls f with zeros, v128 results as 4 i32s; null when
  // the signature has a type wasm made here cannot name.
  async function v128Caller(f, type) {
    const enc = (l) => { const a = []; for (const v of l) { const c = code(v); if (!c) return null; a.push(...c); } return a; };
    const ps = enc(type.params), rs = enc(type.results);
    const outs = type.results.flatMap((v) => (v.t === 'v128' ? [{ t: 'i32' }, { t: 'i32' }, { t: 'i32' }, { t: 'i32' }]
      : opaque(v) ? [{ t: 'i32' }] : [v]));
    const os = enc(outs);
    if (!ps || !rs || !os || type.params.some((v) => !zero(v))) return null;
    const types = [0x60, ...leb(type.params.length), ...ps, ...leb(type.results.length), ...rs,
      0x60, 0, ...leb(outs.length), ...os];
    const body = [];
    const locals = [];
    for (const v of type.params) body.push(...zero(v));
    body.push(0x10, 0);
    for (let i = type.results.length - 1; i >= 0; i--) body.push(0x21, ...leb(i));
    type.results.forEach((v, i) => {
      if (v.t === 'v128') for (let k = 0; k < 4; k++) body.push(0x20, ...leb(i), 0xfd, 27, k);
      else if (opaque(v)) body.push(0x20, ...leb(i), 0xd1);
      else body.push(0x20, ...leb(i));
    });
    body.push(0x0b);
    for (const v of type.results) locals.push(1, ...code(v));
    const fn = [...leb(type.results.length), ...locals, ...body];
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, [2, ...types]),
      ...section(2, [1, 1, 0x66, 1, 0x66, 0, 0]),
      ...section(3, [1, 1]),
      ...section(7, [1, 1, 0x66, 0, 1]),
      ...section(10, [1, ...leb(fn.length), ...fn])]);
    const { instance } = await WebAssembly.instantiate(bytes, { f: { f } });
    return instance.exports.f;
  }

  // ---- printing, as binaryen prints ----
  function hex8(n) { return '0x' + (n >>> 0).toString(16).padStart(8, '0'); }

  function printed(x) {
    if (x === null) return 'null';
    if (typeof x === 'bigint') return BigInt.asIntN(64, x).toString();
    if (typeof x === 'number') {
      if (Number.isNaN(x)) return 'nan';
      if (x === Infinity) return 'inf';
      if (x === -Infinity) return '-inf';
      if (Object.is(x, -0)) return '-0';
      // a double past 2**53 as a float (JS would print rounded digits
      // that read as a different integer); i64s come as BigInts
      if (Number.isInteger(x) && Math.abs(x) > 2 ** 53) return x.toExponential();
      return String(x);
    }
    if (typeof x === 'function') return 'function';
    if (typeof x === 'string') return 'string(' + JSON.stringify(x) + ')';
    if (typeof x === 'object') {
      if (Object.hasOwn(x, 'payload')) return 'externref(' + x.payload + ')';
      if (x instanceof Error) return 'jserror';
      return 'object(' + printed(Object.getPrototypeOf(x)) + ')';
    }
    return String(x);
  }

  // log-v128 through wasm: JS cannot take a v128 param, so the module's
  // import is a wasm function that passes the four i32 lanes to JS.
  let logV128 = null, current = null;
  async function v128Logger() {
    if (logV128) return logV128;
    const fn = [0, 0x20, 0, 0xfd, 27, 0, 0x20, 0, 0xfd, 27, 1, 0x20, 0, 0xfd, 27, 2,
      0x20, 0, 0xfd, 27, 3, 0x10, 0, 0x0b];
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, [2, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0, 0x60, 1, 0x7b, 0]),
      ...section(2, [1, 1, 0x68, 1, 0x6c, 0, 0]),
      ...section(3, [1, 1]),
      ...section(7, [1, 1, 0x76, 0, 1]),
      ...section(10, [1, ...leb(fn.length), ...fn])]);
    const l = (...w) => current('i32x4 ' + w.map(hex8).join(' '));
    const { instance } = await WebAssembly.instantiate(bytes, { h: { l } });
    logV128 = instance.exports.v;
    return logV128;
  }

  // A v128 global's value as i32x4, through a module that imports it
  // (mutable or not: JS cannot tell which); null when neither links.
  async function v128Global(g) {
    for (const mut of [0, 1]) {
      const fn = [0, ...[0, 1, 2, 3].flatMap((k) => [0x23, 0, 0xfd, 27, k]), 0x0b];
      const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
        ...section(1, [1, 0x60, 0, 4, 0x7f, 0x7f, 0x7f, 0x7f]),
        ...section(2, [1, 1, 0x67, 1, 0x67, 3, 0x7b, mut]),
        ...section(3, [1, 0]),
        ...section(7, [1, 1, 0x67, 0, 0]),
        ...section(10, [1, ...leb(fn.length), ...fn])]);
      try {
        const { instance } = await WebAssembly.instantiate(bytes, { g: { g } });
        return 'i32x4 ' + instance.exports.g().map(hex8).join(' ');
      } catch (e) { /* the other mutability */ }
    }
    return null;
  }

  globalThis.fuzzRun = async function fuzzRun(bytes) {
    const out = [];
    const log = (s) => out.push('[LoggingExternalInterface logging ' + s + ']');
    current = log;
    const exportList = [];
    const exports = {};
    const logNum = (x) => log(typeof x === 'bigint'
      ? `${Number(BigInt.asIntN(32, x))} ${Number(BigInt.asIntN(32, x >> 32n))}` : printed(x));
    const logRef = (x) => log(printed(x));
    const callFunc = (f) => f(...new Array(f.length).fill(null));
    const tryCall = (f) => {
      try { f(); return 0; } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) throw e;
        if (String(e).includes('Maximum call stack size exceeded')) throw e;
        return 1;
      }
    };
    const index = (t, i) => (typeof t.length === 'bigint' ? BigInt(i >>> 0) : i >>> 0);
    const fs = {
      'log-i32': logNum, 'log-i64': logNum, 'log-f32': logNum, 'log-f64': logNum, 'log-v128': await v128Logger(),
      'log-anyref': logRef, 'log-funcref': logRef, 'log-externref': logRef, 'log-contref': logRef,
      'throw': (which) => {
        if (!which) throw new Error('js exception');
        throw new WebAssembly.Exception(fs.wasmtag, [which]);
      },
      'table-get': (i) => exports.table.get(index(exports.table, i)),
      'table-set': (i, v) => { exports.table.set(index(exports.table, i), v); },
      'call-export': (i, flags) => { callFunc(exportList[i].value); },
      'call-export-catch': (i) => tryCall(() => callFunc(exportList[i].value)),
      'call-ref': (ref, flags) => { callFunc(ref); },
      'call-ref-catch': (ref) => tryCall(() => callFunc(ref)),
      'sleep': (ms, id) => id,
    };
    if (typeof WebAssembly.Tag !== 'undefined') {
      fs.wasmtag = new WebAssembly.Tag({ parameters: ['i32'] });
      if (WebAssembly.JSTag) fs.jstag = WebAssembly.JSTag;
    }
    const imports = { 'fuzzing-support': fs };
    let module;
    try {
      module = await WebAssembly.compile(bytes);
    } catch (e) {
      return { error: 'V8 refuses the module: ' + e.message };
    }
    for (const { module: m, name, kind } of WebAssembly.Module.imports(module)) {
      if (kind !== 'global') continue;
      imports[m] = imports[m] || {};
      if (imports[m][name]) continue;
      let payload = 0;
      for (const s of [m, name]) for (const c of s) payload = (payload + c.charCodeAt(0)) % 251;
      imports[m][name] = { payload };
    }
    let types = {};
    try { types = exportTypes(bytes); } catch (e) { /* direct calls only */ }
    let instance;
    try {
      instance = await WebAssembly.instantiate(module, imports);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) out.push('[trap ' + e.message + ']');
      else if (String(e).includes('Maximum call stack size exceeded')) out.push('[host limit V8 stack]');
      else out.push('[exception thrown: failed to instantiate module]');
      return { out: out.join('\n') };
    }
    for (const e of WebAssembly.Module.exports(module)) {
      exports[e.name] = instance.exports[e.name];
      exportList.push({ name: e.name, value: instance.exports[e.name], kind: e.kind });
    }
    for (const { name, value, kind } of exportList) {
      if (kind === 'global') {
        out.push('[fuzz-exec] export ' + name);
        let v;
        try { v = value.value; } catch (e) { log((await v128Global(value)) || '?'); continue; }
        log(printed(v));
        continue;
      }
      if (kind !== 'function') continue;
      out.push('[fuzz-exec] export ' + name);
      const type = types[name];
      const direct = () => callFunc(value);
      let call = direct, plain = direct;
      let v128 = false;
      if (type) {
        if (type.params.some((v) => v.t === 'ref' && !v.nullable)) {
          out.push('[trap fuzzer can only send defaultable parameters to exports]');
          continue;
        }
        v128 = [...type.params, ...type.results].some((v) => v.t === 'v128');
        const exn = [...type.params, ...type.results].some(opaque);
        if (v128 || exn) {
          const f = await v128Caller(value, type).catch(() => null);
          if (!f) { out.push('[host limit JS cannot call ' + name + ']'); break; }
          call = () => f();
        } else {
          const args = type.params.map((v) => (v.t === 'i64' ? 0n : v.t === 'ref' ? null : 0));
          plain = () => value(...args);
          call = plain;
        }
      }
      let result;
      try {
        result = call();
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) out.push('[trap ' + e.message + ']');
        else if (String(e).includes('Maximum call stack size exceeded')) {
          out.push('[host limit V8 stack]');
          break;
        } else out.push('[exception thrown]');
        continue;
      }
      if (result === undefined) continue;
      let vals = Array.isArray(result) && type && type.results.length > 1 ? [...result] : [result];
      if (type && call !== plain) {
        const flat = Array.isArray(result) ? [...result] : [result];
        vals = [];
        for (const v of type.results) {
          if (v.t === 'v128') vals.push('i32x4 ' + flat.splice(0, 4).map(hex8).join(' '));
          else if (opaque(v)) vals.push(flat.shift() ? 'null' : 'object(null)');
          else vals.push(printed(flat.shift()));
        }
      } else {
        vals = vals.map(printed);
      }
      out.push('[fuzz-exec] note result: ' + name + ' => ' + vals[0]);
      for (const v of vals.slice(1)) out.push(v);
    }
    return { out: out.join('\n') };
  };
})();
