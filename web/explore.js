// explore.js: the explorer page (docs/wlab-explore.md, "The page"). It loads
// wlab-explore.wasm (libwasm and wlab-explore's printers, web/wlab_web.c) with
// WebAssembly.instantiateStreaming and an import object, and shows a module
// the user opens, drops or names by URL with what the wasm prints: the
// overview, --json trees (a node at a time), --explain, --annotate --func.
// A classic script, not a module, so the page also works from file://.
// `wlab-explore --html` writes this page as one file with explore.js and
// explore.css inline, the wasm in WLAB_EXPLORE_WASM (base64 of raw DEFLATE
// when WLAB_EXPLORE_WASM_SIZE gives its size) and the module in
// the script element whose id is wlab-module (base64; the module raw DEFLATE,
// data-encoding="deflate-raw"), and opens that module at once; with --diff,
// OLD in the element wlab-module-old. What reads every function body runs
// in a Web Worker made from this file's own functions (workerSource): the
// validator, the decoder's word on the bodies that the views of one byte
// wait for, the dominator tree and the diff; so that the page answers while
// they run.
(function () {
  'use strict';

  // web_run's views (enum web_mode in wlab_web.c).
  const V = { OVERVIEW: 0, JSON: 1, EXPLAIN: 2, FUNC: 3, XREF: 4, VALIDATE: 5, EXTERNS: 6, PATH: 7, NODE: 8,
    DOMINATORS: 9, DIFF: 10, DECODE: 11 };
  const SORTS = ['retained', 'shallow', 'name'];  // --sort, as enum sz_sort
  const CHUNK = 200;     // children drawn at a time in the trees and tables (the rest behind "… N more")
  const ROW = 16;        // bytes per hex row
  const ROW_PX = 18;     // a hex row's height (explore.css: #hexrows div)
  const MAX_PX = 1 << 24;  // the tallest scroll area drawn; larger files scroll scaled
  const $ = (id) => document.getElementById(id);

  let wasm = null;       // the explorer's exports
  let stderr = '';       // what the explorer wrote to stderr for the last view
  let mod = null;        // the open module: { name, bytes, tops, doc }
  let sel = null;        // the selected range [start, end)
  let hov = [0, 0];      // the bytes of the tree node under the mouse
  let old = null;        // the build the diff compares with: { name, size, bytes, onPage }
  let compiled = null;   // the explorer's WebAssembly.Module (the worker instantiates it too)
  let worker = null;     // the worker: { w, url, asks: id -> { answer, fail } }
  let asks = 0;          // the last question's id

  // The WASI functions wasi-libc imports: stdout and stderr go to write(text),
  // everything else (files, directories) does not exist in a browser.
  // memory() is the explorer's memory. This function, putModule, copyIn,
  // viewText, domColumns and explorerWorker refer to nothing outside
  // themselves: the worker runs their source text (workerSource).
  function wasiImports(memory, write) {
    const EBADF = 8, ENOSYS = 52;
    const utf8 = new TextDecoder();
    return {
      fd_write(fd, iovs, n, written) {
        const dv = new DataView(memory().buffer);
        let total = 0;
        for (let i = 0; i < n; i++) {
          const p = dv.getUint32(iovs + 8 * i, true), len = dv.getUint32(iovs + 8 * i + 4, true);
          write(utf8.decode(new Uint8Array(memory().buffer, p, len)));
          total += len;
        }
        dv.setUint32(written, total, true);
        return 0;
      },
      fd_close: () => EBADF,
      fd_fdstat_get: () => EBADF,
      fd_fdstat_set_flags: () => EBADF,
      fd_prestat_get: () => EBADF,
      fd_prestat_dir_name: () => EBADF,
      fd_read: () => EBADF,
      fd_seek: () => EBADF,
      path_open: () => ENOSYS,
      proc_exit(code) { throw new Error(`the explorer exited with status ${code}`); },
    };
  }

  // Copies a module's bytes and its name into explorer ex and opens it;
  // returns where the bytes are in its memory.
  function putModule(ex, bytes, name) {
    const p = copyIn(ex, ex.web_alloc, ex.web_name, bytes, name);
    ex.web_open(0);
    return p;
  }

  // Copies bytes and their name into explorer ex's memory, at what alloc(n)
  // and nameAt(n) give (the module's or the old build's places); returns
  // where the bytes are.
  function copyIn(ex, alloc, nameAt, bytes, name) {
    const p = alloc(bytes.length);
    if (!p)
      throw new Error(`no memory for ${bytes.length} bytes`);
    new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
    const nameBytes = new TextEncoder().encode(name);
    const np = nameAt(nameBytes.length + 1);
    if (np)
      new Uint8Array(ex.memory.buffer, np, nameBytes.length).set(nameBytes);
    return p;
  }

  // One view's text from explorer ex, as wlab-explore prints it.
  function viewText(ex, view, arg = 0, arg2 = 0) {
    const p = ex.web_run(view, arg >>> 0, arg2 >>> 0);
    if (!p)
      throw new Error('the explorer is out of memory');
    return new TextDecoder().decode(new Uint8Array(ex.memory.buffer, p, ex.web_out_len()));
  }

  // The worker: its own instance of the page's wasm (the compiled module
  // comes in the first message), then one message per question,
  // { id, op, ... }, each answered with the same id:
  //   open { bytes, name }: the module; two answers, { decoded } (view
  //     DECODE's JSON: whether every body decodes) then { text } (view
  //     VALIDATE's: the verdict);
  //   old { bytes, name }: the diff's older build (no answer);
  //   dom { sort }: { dom } (domColumns of view DOMINATORS), null and
  //     { stderr } when there is none;
  //   run { view, arg, arg2 }: { text, stderr } (the diff, a function's
  //     disassembly, a node's children);
  //   kids { off }: { kids } (nodeColumns of view NODE's JSON of the
  //     section at byte off, depth 1: its entries);
  //   byte { off, shallow, reveal, sec }: what a click on byte off shows, from
  //     the tree of the function that holds it (built here, not on the
  //     page: 0.2-1.7 s on the 10 MB module): { text, stderr } (view
  //     EXPLAIN's), with reveal also path (view PATH's JSON) and the
  //     nodes of the path from depth 2 down as view NODE gives them, as
  //     one string: node d + 2 at nodes.slice(ends[d - 1], ends[d]);
  //     with sec (the offset of the section that holds off, whose entries
  //     the page has not yet), kids: as the answer to kids { sec };
  // { error } when it failed. The page's main thread stays free meanwhile.
  function explorerWorker(V) {
    let ex = null, ready = null, err = '';
    self.onmessage = async (e) => {
      const m = e.data;
      if (m.module) {
        ready = WebAssembly.instantiate(m.module, { wasi_snapshot_preview1: wasiImports(() => ex.memory, (t) => { err += t; }) })
          .then((inst) => { ex = inst.exports; ex._initialize(); });
        return;
      }
      try {
        await ready;
        err = '';
        if (m.op === 'open') {
          putModule(ex, m.bytes, m.name);
          self.postMessage({ id: m.id, decoded: viewText(ex, V.DECODE) });
          self.postMessage({ id: m.id, text: viewText(ex, V.VALIDATE) });
        } else if (m.op === 'old') {
          copyIn(ex, ex.web_alloc_old, ex.web_name_old, m.bytes, m.name);
        } else if (m.op === 'kids') {
          const kids = nodeColumns(viewText(ex, V.NODE, m.off, 1));
          self.postMessage({ id: m.id, kids }, [kids.pos.buffer, kids.ends.buffer]);
        } else if (m.op === 'byte') {
          const text = viewText(ex, V.EXPLAIN, m.off, m.shallow ? 1 : 0), stderr = err;
          let path = null, nodes = '', ends = new Uint32Array(0);
          if (m.reveal) {
            path = viewText(ex, V.PATH, m.off);
            const p = JSON.parse(path);
            ends = new Uint32Array(Math.max(0, p.length - 2));
            for (let d = 2; d < p.length; d++) {
              nodes += viewText(ex, V.NODE, p[d].offset, d);
              ends[d - 2] = nodes.length;
            }
          }
          const kids = m.sec !== undefined ? nodeColumns(viewText(ex, V.NODE, m.sec, 1)) : null;
          self.postMessage({ id: m.id, text, stderr, path, nodes, ends, kids },
            kids ? [ends.buffer, kids.pos.buffer, kids.ends.buffer] : [ends.buffer]);
        } else if (m.op === 'dom') {
          const text = viewText(ex, V.DOMINATORS, m.sort);
          const dom = text ? domColumns(text) : null;
          self.postMessage({ id: m.id, dom, stderr: err },
            dom ? [dom.num.buffer, dom.ends.buffer, dom.kidsStart.buffer, dom.kidsList.buffer] : []);
        } else {
          self.postMessage({ id: m.id, text: viewText(ex, m.view, m.arg || 0, m.arg2 || 0), stderr: err });
        }
      } catch (x) {
        self.postMessage({ id: m.id, error: String(x && x.message || x) });
      }
    };
  }

  // --dominators --json's items as columns, which a worker posts without a
  // copy and the page reads without making an object per item (parsing
  // the 10 MB module's 3.4 MB of JSON took 0.5 s): item p's id, kind (in
  // kinds), index, offset, shallow, retained and depth at num[7p..7p+6], its
  // label labels.slice(ends[p - 1], ends[p]), its children (in the JSON's
  // order, as positions) kidsList[kidsStart[p]..kidsStart[p + 1] - 1];
  // root: the item without an immediate dominator (-1: none).
  function domColumns(text) {
    const doc = JSON.parse(text), items = doc.items, n = items.length;
    const num = new Float64Array(7 * n), ends = new Uint32Array(n), kinds = [], kindAt = new Map(), at = new Map();
    const parent = new Int32Array(n), kidsStart = new Uint32Array(n + 1), kidsList = new Uint32Array(n);
    let labels = '', root = -1;
    items.forEach((it, p) => at.set(it.id, p));
    items.forEach((it, p) => {
      if (!kindAt.has(it.kind)) {
        kindAt.set(it.kind, kinds.length);
        kinds.push(it.kind);
      }
      num.set([it.id, kindAt.get(it.kind), it.index, it.offset, it.shallow, it.retained, it.depth], 7 * p);
      labels += it.label;
      ends[p] = labels.length;
      parent[p] = it.idom === null || !at.has(it.idom) ? -1 : at.get(it.idom);
      if (it.idom === null && root < 0)
        root = p;
      if (parent[p] >= 0)
        kidsStart[parent[p] + 1]++;
    });
    for (let p = 0; p < n; p++)
      kidsStart[p + 1] += kidsStart[p];
    const next = kidsStart.slice(0, n);
    for (let p = 0; p < n; p++)
      if (parent[p] >= 0)
        kidsList[next[parent[p]]++] = p;
    return { size: doc.size, items_bytes: doc.items_bytes, reachable_bytes: doc.reachable_bytes, n, root, num, ends,
      labels, kinds, kidsStart, kidsList };
  }

  // The children of a node as view NODE's JSON gives them (a section's
  // entries: offset, length, kind, label and maybe value, no children), as
  // columns, which a worker posts without a copy and the page makes objects
  // of without parsing JSON (columnNodes; the 10 MB module's Code section,
  // 11,400 entries, is 1 MB of JSON: 0.05-0.1 s to read on the page): child
  // i's offset and length at pos[2i], pos[2i + 1], its kind kinds[kind[i]],
  // its label and value (none when hasValue[i] is 0)
  // text.slice(ends[2i - 1], ends[2i]) and text.slice(ends[2i], ends[2i + 1]).
  function nodeColumns(json) {
    const node = JSON.parse(json), ks = (node && node.children) || [], n = ks.length;
    const pos = new Float64Array(2 * n), ends = new Uint32Array(2 * n), kind = new Uint8Array(n);
    const hasValue = new Uint8Array(n), kinds = [], kindAt = new Map();
    let text = '';
    ks.forEach((k, i) => {
      if (!kindAt.has(k.kind)) {
        kindAt.set(k.kind, kinds.length);
        kinds.push(k.kind);
      }
      pos[2 * i] = k.offset;
      pos[2 * i + 1] = k.length;
      kind[i] = kindAt.get(k.kind);
      text += k.label;
      ends[2 * i] = text.length;
      if (k.value !== undefined) {
        hasValue[i] = 1;
        text += k.value;
      }
      ends[2 * i + 1] = text.length;
    });
    return { n, pos, ends, kind, hasValue, kinds, text };
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.appendChild(s);
    });
  }

  function fromBase64(text) {
    if (Uint8Array.fromBase64)
      return Uint8Array.fromBase64(text);
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++)
      bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  // instantiateStreaming when served over HTTP; instantiate from the bytes
  // when the server sends another type than application/wasm; from file://
  // (where fetch cannot read files) the same module deflated, in base64
  // (wlab-explore.wasm.js, or in wlab-explore --html's page).
  async function loadExplorer() {
    const imports = { wasi_snapshot_preview1: wasiImports(() => wasm.memory, (text) => { stderr += text; }) };
    let result, how;
    if (window.WLAB_EXPLORE_WASM !== undefined || location.protocol === 'file:') {
      how = window.WLAB_EXPLORE_WASM !== undefined ? 'embedded' : 'file';
      if (how === 'file')
        await loadScript('wlab-explore.wasm.js');
      const packed = fromBase64(window.WLAB_EXPLORE_WASM);
      // Deflated (explore_wasm_js, html_deflate.c) when WLAB_EXPLORE_WASM_SIZE gives its size.
      const size = window.WLAB_EXPLORE_WASM_SIZE;
      result = await WebAssembly.instantiate(size !== undefined ? inflate(packed, size) : packed, imports);
    } else {
      try {
        how = 'streaming';
        result = await WebAssembly.instantiateStreaming(fetch('wlab-explore.wasm'), imports);
      } catch (e) {
        how = 'instantiate';
        if (!(e instanceof TypeError))
          throw e;
        const r = await fetch('wlab-explore.wasm');
        if (!r.ok)
          throw new Error(`wlab-explore.wasm: HTTP ${r.status}`);
        result = await WebAssembly.instantiate(await r.arrayBuffer(), imports);
      }
    }
    wasm = result.instance.exports;
    wasm._initialize();
    compiled = result.module;
    return how;
  }

  // One view's text, as wlab-explore prints it.
  function run(view, arg = 0, arg2 = 0) {
    stderr = '';
    return viewText(wasm, view, arg, arg2);
  }

  // ---- the worker ----

  // The worker's script: the functions it shares with the page, as text
  // (a blob: URL, so that it needs no file of its own and works from
  // file:// and in wlab-explore --html's page).
  function workerSource() {
    return `'use strict';\n${wasiImports}\n${putModule}\n${copyIn}\n${viewText}\n${domColumns}\n${nodeColumns}\n` +
      `${explorerWorker}\nexplorerWorker(${JSON.stringify(V)});\n`;
  }

  // The worker, started when the explorer has loaded (and given the diff's
  // older build, if any); null when this browser cannot start one (what it
  // would compute is then computed on the page).
  function startWorker() {
    worker = null;
    try {
      const url = URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
      const w = new Worker(url);
      w.postMessage({ module: compiled });
      worker = { w, url, asks: new Map() };
      if (old)  // a copy: a worker that replaces this one needs it again
        w.postMessage({ op: 'old', bytes: old.bytes, name: old.name });
      w.onmessage = (e) => answered(e.data);
      w.onerror = (e) => {  // it did not start or it failed: the page computes what it was asked
        e.preventDefault();
        const waiting = worker ? [...worker.asks.values()] : [];
        stopWorker();
        for (const q of waiting)
          q.fail();
      };
    } catch (e) {
      worker = null;
    }
  }

  // Ends the worker; the questions it had not answered are dropped.
  function stopWorker() {
    if (worker) {
      worker.w.terminate();
      URL.revokeObjectURL(worker.url);
    }
    worker = null;
  }

  // Asks the worker msg (an op of explorerWorker) about module m: answer(a)
  // for each answer until it returns true; fail() when there is no worker
  // or it could not answer. Questions about a module not yet given to the
  // worker wait until it is (validate()).
  function ask(m, msg, answer, fail, transfer = []) {
    if (m && !m.posted && worker)
      return m.queue.push(() => ask(m, msg, answer, fail, transfer));
    if (!worker)
      return fail();
    const id = ++asks;
    worker.asks.set(id, { answer, fail });
    worker.w.postMessage({ ...msg, id }, transfer);
  }

  function answered(a) {
    const q = worker && worker.asks.get(a.id);
    if (!q)
      return;
    if (a.error !== undefined) {
      worker.asks.delete(a.id);
      return q.fail();
    }
    if (q.answer(a))
      worker.asks.delete(a.id);
  }

  // Gives the open module to the worker, which says first whether its
  // bodies decode (decoded()), then the validator's verdict (or computes
  // it here when there is no worker). A worker still busy with another
  // module is replaced. body[data-valid-in]: "worker" or "page";
  // body[data-valid-ms]: from the request to the verdict.
  function validate() {
    const req = { mod, t0: performance.now() };
    delete document.body.dataset.validIn;
    if (worker && worker.asks.size) {
      stopWorker();
      startWorker();
    }
    // The bytes as read go to the worker (no copy: copying 10 MB took
    // 0.1-0.2 s); the page reads them in the explorer's memory.
    const raw = mod.raw;
    mod.raw = null;
    ask(null, { op: 'open', bytes: raw, name: mod.name }, (a) => {
      if (a.decoded !== undefined) {
        decoded(req.mod, JSON.parse(a.decoded));
        return false;
      }
      showVerdict(req, JSON.parse(a.text), 'worker');
      return true;
    }, () => {
      decoded(req.mod, null);
      verdictOnPage(req);
    }, raw ? [raw.buffer] : []);
    mod.posted = true;
    for (const f of mod.queue.splice(0))
      f();
  }

  function verdictOnPage(req) {
    if (req.mod === mod)  // the explorer's copy of the bytes (raw may be the worker's by now)
      showVerdict(req, runJSON(V.VALIDATE), 'page');
  }

  // The worker's word on module m's bodies (st: view DECODE's JSON; null:
  // there is no worker, and the page decodes them when a view needs
  // them). When they decode, the views of one byte read the tree of
  // entries here (web_bodies_ok: nothing to decode on a click); those
  // asked for before this run now (whenDecoded). body[data-decoded]: "ok",
  // "malformed" or "page".
  function decoded(m, st) {
    if (m !== mod || m.decoded)
      return;
    if (st && !st.malformed && !st.nomem)
      wasm.web_bodies_ok();
    m.decoded = true;
    m.inWorker = !!st && !st.nomem;
    document.body.dataset.decoded = !st ? 'page' : st.malformed ? 'malformed' : 'ok';
    delete document.body.dataset.waiting;
    for (const f of m.waiting.splice(0))
      f();
  }

  // Runs f, a view of one byte or one function (which reads that body),
  // now when the worker has said whether the open module's bodies decode,
  // else once it has: until then such a view would decode every body on
  // this thread (1 s for 10 MB). body[data-waiting]: how many wait.
  function whenDecoded(f) {
    if (!mod || mod.decoded)
      return f();
    mod.waiting.push(f);
    document.body.dataset.waiting = String(mod.waiting.length);
  }

  // Asks the worker, once it has read the open module's bodies, msg (a
  // view that reads the tree of one function: built there, the page's
  // thread stays free), then got(answer); else (no worker, or it failed)
  // onPage(), which computes it here. Answers for a module no longer open
  // are dropped. body[data-asking]: how many questions wait.
  let asking = 0;
  function askView(msg, got, onPage) {
    const m = mod;
    if (!m.inWorker || !worker)
      return onPage();
    document.body.dataset.asking = String(++asking);
    const done = (f) => (a) => {
      if (m === mod) {
        if (--asking)
          document.body.dataset.asking = String(asking);
        else
          delete document.body.dataset.asking;
        f(a);
      }
      return true;
    };
    ask(m, msg, done(got), done(onPage));
  }

  const runJSON = (view, arg, arg2) => JSON.parse(run(view, arg, arg2));
  const hex = (n, w = 0) => '0x' + n.toString(16).padStart(w, '0');

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'class')
        e.className = attrs[k];
      else if (k.startsWith('on'))
        e.addEventListener(k.slice(2), attrs[k]);
      else
        e.setAttribute(k, attrs[k]);
    }
    for (const k of kids)
      e.append(k);
    return e;
  }

  // ---- opening a module ----

  function status(text, cls = '') {
    $('status').textContent = text;
    $('status').className = cls;
  }

  function open(name, buf) {
    const t0 = performance.now();
    const bytes = new Uint8Array(buf);
    const at = putModule(wasm, bytes, name);
    const t1 = performance.now();
    const doc = runJSON(V.JSON, 1);  // the sections; their entries when unfolded
    const t2 = performance.now();
    // bytes: the module's, where the explorer keeps them until the next
    // module (a new view when its memory has grown); raw: those read,
    // until the worker takes them. posted: given to the worker; queue: the
    // questions for the worker until then; decoded, waiting: whenDecoded.
    let view = null;
    mod = { name, doc, tops: doc.root.children || [], size: bytes.length, raw: bytes, posted: false, queue: [],
      decoded: false, waiting: [], inWorker: false, kidsAt: new Map(),
      get bytes() {
        if (!view || view.buffer !== wasm.memory.buffer)
          view = new Uint8Array(wasm.memory.buffer, at, this.size);
        return view;
      } };
    sel = null;
    hov = [0, 0];
    asking = 0;  // those for the last module are dropped
    delete document.body.dataset.asking;
    delete document.body.dataset.decoded;
    delete document.body.dataset.waiting;
    const steps = show();
    const ms = performance.now() - t0;
    document.body.dataset.loadMs = ms.toFixed(1);
    document.body.dataset.timing = JSON.stringify({ copy: +(t1 - t0).toFixed(1), tree: +(t2 - t1).toFixed(1),
      views: +(performance.now() - t2).toFixed(1), ...steps });
    status(`${name}: ${bytes.length} bytes, shown in ${ms.toFixed(0)} ms`);
    // The worker reads every body: after the first paint (a task queued
    // from the frame's callback runs once that frame is drawn).
    // body[data-painted-at]: then, in ms from the page's start.
    document.body.dataset.openAt = t0.toFixed(1);
    delete document.body.dataset.paintedAt;
    const m = mod;
    requestAnimationFrame(() => setTimeout(() => {
      if (m !== mod)  // another module was opened meanwhile
        return;
      document.body.dataset.paintedAt = performance.now().toFixed(1);
      validate();
    }, 0));
  }

  // Raw DEFLATE (RFC 1951) of the kinds wlab-explore --html writes (its
  // html_deflate.c): stored and fixed-code blocks, into size bytes. In
  // script: Chromium's DecompressionStream took 0.65 s for 7.4 MB here.
  const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258];
  const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  let fixedLit = null;  // 9 bits, read first bit first, -> symbol << 4 | code length
  function fixedTable() {
    const t = new Int32Array(512);
    for (let sym = 0; sym < 288; sym++) {
      const [code, len] = sym < 144 ? [0x30 + sym, 8] : sym < 256 ? [0x190 + sym - 144, 9]
        : sym < 280 ? [sym - 256, 7] : [0xc0 + sym - 280, 8];
      let r = 0;
      for (let i = 0; i < len; i++)
        r |= ((code >> i) & 1) << (len - 1 - i);
      for (let k = r; k < 512; k += 1 << len)
        t[k] = sym << 4 | len;
    }
    return t;
  }
  function inflate(src, size) {
    fixedLit = fixedLit || fixedTable();
    const out = new Uint8Array(size);
    let pos = 0, buf = 0, cnt = 0, o = 0, last = 0;
    const need = (n) => {
      while (cnt < n) {
        if (pos >= src.length + 4)
          throw new Error(`the deflated data ends at byte ${src.length}`);
        buf |= (pos < src.length ? src[pos] : 0) << cnt;
        pos++;
        cnt += 8;
      }
    };
    const bits = (n) => {
      need(n);
      const v = buf & ((1 << n) - 1);
      buf >>>= n;
      cnt -= n;
      return v;
    };
    const rev5 = (v) => ((v & 1) << 4) | ((v & 2) << 2) | (v & 4) | ((v & 8) >> 2) | ((v & 16) >> 4);
    while (!last) {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {  // stored: from the next byte boundary
        pos -= cnt >> 3;
        buf = cnt = 0;
        const len = src[pos] | src[pos + 1] << 8;
        if (pos + 4 + len > src.length || o + len > size)
          throw new Error(`a stored block at byte ${pos} runs past the end`);
        out.set(src.subarray(pos + 4, pos + 4 + len), o);
        o += len;
        pos += 4 + len;
        continue;
      }
      if (type !== 1)
        throw new Error(`a block of type ${type} at byte ${pos} (wlab-explore writes fixed codes)`);
      for (;;) {
        need(9);
        const e = fixedLit[buf & 511];
        buf >>>= e & 15;
        cnt -= e & 15;
        const sym = e >> 4;
        if (sym < 256) {
          if (o >= size)
            throw new Error(`more than ${size} bytes`);
          out[o++] = sym;
          continue;
        }
        if (sym === 256)
          break;
        const i = sym - 257;
        if (i >= 29)
          throw new Error(`length code ${sym} at byte ${pos}`);
        const len = LBASE[i] + bits(LEXT[i]);
        const d = rev5(bits(5));
        if (d >= 30)
          throw new Error(`distance code ${d} at byte ${pos}`);
        const dist = DBASE[d] + bits(DEXT[d]);
        if (dist > o || o + len > size)
          throw new Error(`a match at byte ${pos} reaches outside the data`);
        if (dist >= len) {  // no overlap: a native copy
          out.copyWithin(o, o - dist, o - dist + len);
          o += len;
        } else {
          for (let k = 0; k < len; k++, o++)
            out[o] = out[o - dist];
        }
      }
    }
    if (o !== size)
      throw new Error(`${o} bytes inflated, ${size} expected`);
    return out;
  }

  // The bytes of a script element wlab-explore --html wrote: base64, of
  // raw DEFLATE when data-encoding says so.
  function carriedBytes(box) {
    const packed = fromBase64(box.textContent);
    return box.dataset.encoding === 'deflate-raw' ? inflate(packed, Number(box.dataset.size)) : packed;
  }

  // The module wlab-explore --html put in the page; body[data-decode-ms]:
  // the time its base64 took to read (and inflate).
  function openCarried(box) {
    const oldBox = $('wlab-module-old');
    if (oldBox) {
      try {
        setOld(oldBox.dataset.name || 'old.wasm', carriedBytes(oldBox));
      } catch (e) {
        status(`the older module in this page does not read: ${e.message}`, 'err');
      }
      oldBox.remove();
    }
    const t0 = performance.now();
    let bytes;
    try {
      bytes = carriedBytes(box);
    } catch (e) {
      return status(`the module in this page does not read: ${e.message}`, 'err');
    }
    box.remove();  // the text is read: its memory goes back
    document.body.dataset.decodeMs = (performance.now() - t0).toFixed(1);
    try {
      open(box.dataset.name || 'module.wasm', bytes.buffer);
    } catch (e) {
      return status(`${box.dataset.name}: ${e.message}`, 'err');
    }
  }

  // body[data-given-at]: when the file was given (ms from the page's
  // start), body[data-read-ms]: the time its bytes took to read.
  async function openFile(f) {
    status(`reading ${f.name}…`);
    const t0 = performance.now();
    document.body.dataset.givenAt = t0.toFixed(1);
    try {
      const buf = await f.arrayBuffer();
      document.body.dataset.readMs = (performance.now() - t0).toFixed(1);
      open(f.name, buf);
    } catch (e) {
      status(`${f.name}: ${e.message}`, 'err');
    }
  }

  async function openURL(u) {
    let url;
    try {
      url = new URL(u, location.href);
    } catch (e) {
      return status(`not a URL: ${u}`, 'err');
    }
    if (url.origin !== location.origin)
      return status('only URLs on this site can be opened (no request leaves it)', 'err');
    status(`fetching ${url.pathname}…`);
    try {
      const r = await fetch(url);
      if (!r.ok)
        return status(`${url.pathname}: HTTP ${r.status}`, 'err');
      open(url.pathname.split('/').pop() || url.pathname, await r.arrayBuffer());
    } catch (e) {
      status(`${url.pathname}: ${e.message}`, 'err');
    }
  }

  // ---- the views ----

  function show() {
    const t0 = performance.now();
    $('intro').hidden = true;
    $('main').hidden = false;
    $('title').textContent = `${mod.name}: ${mod.doc.size} bytes`;
    document.title = `${mod.name} - wasmlab explorer`;
    const ov = run(V.OVERVIEW, 40);
    $('overview').textContent = ov;
    const uses = /^uses: (.*)$/m.exec(ov);
    $('verdict').textContent = '';
    if (uses)  // none for a malformed module
      $('verdict').append(el('div', { id: 'uses' }, uses[0]));
    if (mod.doc.error)
      $('verdict').append(el('div', {}, errorLink(mod.doc.error, 'malformed', 'error-malformed')));
    // Each step's time in ms (body[data-timing]).
    const steps = {};
    let t = t0;
    const step = (name, f) => {
      f();
      const now = performance.now();
      steps[name] = +(now - t).toFixed(1);
      t = now;
    };
    step('overview', () => {});  // the overview and the verdict's first lines, above
    step('bar', showBar);
    step('drawTree', showTree);
    step('hex', showHex);
    step('externs', showExterns);
    showFuncs();
    resetDominators();
    showDiff();
    return steps;
  }

  function errorLink(err, what, id) {
    return el('a', { href: '#', class: 'err', id, 'data-off': err.offset,
      onclick: (e) => { e.preventDefault(); select(err.offset, err.offset + 1, true); explain(err.offset); } },
    `${what} at ${hex(err.offset)}: ${err.message}`);
  }

  // The verdict v on the module of request req (validate()), unless
  // another module has been opened since.
  function showVerdict(req, v, where) {
    if (!mod || req.mod !== mod)
      return;
    document.body.dataset.validMs = (performance.now() - req.t0).toFixed(1);
    document.body.dataset.validIn = where;
    const box = el('div', { id: 'valid' });
    if (v.valid)
      box.append('valid');
    else if (v.malformed && !mod.doc.error)  // in a body: the tree of entries did not read it
      box.append(errorLink(v, 'malformed code', 'error-malformed-code'));
    else if (!v.malformed)
      box.append(errorLink(v, v.func !== undefined ? `invalid (func[${v.func}])` : 'invalid', 'error-invalid'));
    $('verdict').append(box);
  }

  // The size bar: one block per top-level node, as wide as its share.
  function showBar() {
    const bar = $('bar');
    bar.textContent = '';
    for (const n of mod.tops) {
      const b = el('div', { class: `blk ${topClass(n)}`, title: `${n.label}: ${n.length} bytes`,
        'data-off': n.offset, 'data-len': n.length });
      b.style.flexGrow = String(n.length);
      b.addEventListener('click', () => select(n.offset, n.offset + n.length, true));
      bar.append(b);
    }
  }

  // A section's id: its first byte.
  function sectionId(n) {
    return n.kind === 'section' ? mod.bytes[n.offset] : -1;
  }

  function topClass(n) {
    if (n.kind === 'section')
      return `s${sectionId(n) % 14}`;
    return n.kind === 'undecoded' ? 'su' : 'sh';
  }

  // ---- the tree: the sections of --json --depth 1, each node's children
  // fetched when it is unfolded (a section's entries as --json --depth 2
  // writes them), so that a big module's thousands of entries cost nothing
  // until asked for ----

  function nodeLine(n) {
    let text = n.label;
    if (n.value !== undefined)
      text += ` = ${n.value}`;
    return el('span', { class: 'nl' }, el('span', { class: 'off' }, hex(n.offset, 6)), ' ', text, ' ',
      el('span', { class: 'kind' }, `${n.kind}, ${n.length}`));
  }

  // A tree node: a row to click and, when it may have children, a toggle.
  // Children come from n.children, else from the explorer (V.NODE).
  function treeNode(n, depth) {
    const item = el('div', { class: 'tn', role: 'treeitem', 'data-off': n.offset, 'data-len': n.length,
      'data-kind': n.kind, 'data-depth': depth });
    const row = el('div', { class: 'row' });
    const more = n.children ? n.children.length > 0 : depth === 1 ? n.kind !== 'undecoded' : n.length > 1;
    const tog = el('span', { class: more ? 'tog' : 'tog none' }, more ? '▸' : ' ');
    row.append(tog, nodeLine(n));
    item.append(row);
    item._node = n;
    tog.addEventListener('click', (e) => {
      e.stopPropagation();
      if (depth >= 2)  // an entry's fields: read from the focused tree (the body's)
        whenDecoded(() => fetchKids(item._node, depth, () => toggle(item)));
      else if (kidsInWorker(item._node))
        fetchSectionKids(item._node, () => toggle(item));
      else
        toggle(item);
    });
    row.addEventListener('click', () => {
      select(n.offset, n.offset + n.length, true);
      markTree(item);
      explain(n.offset, false, depth <= 2);
      if (funcIndex(n) >= 0)
        disassemble(funcIndex(n));
    });
    return item;
  }

  // Node n's children (n at depth in the tree), fetched once: from the
  // worker's answer when it sent them (mod.kidsAt: view NODE's text by
  // offset and depth), else here.
  function nodeKids(n, depth) {
    if (!n.children && depth >= 1) {
      const key = `${n.offset}:${depth}`, text = mod.kidsAt.get(key);
      mod.kidsAt.delete(key);
      const full = text !== undefined ? JSON.parse(text) : runJSON(V.NODE, n.offset, depth);
      n.children = full && full.children ? full.children : [];
    }
    return n.children || [];
  }

  // The nodes of nodeColumns c (each child's object made here).
  function columnNodes(c) {
    const ks = new Array(c.n);
    for (let i = 0; i < c.n; i++) {
      const k = { offset: c.pos[2 * i], length: c.pos[2 * i + 1], kind: c.kinds[c.kind[i]],
        label: c.text.slice(i ? c.ends[2 * i - 1] : 0, c.ends[2 * i]) };
      if (c.hasValue[i])
        k.value = c.text.slice(c.ends[2 * i], c.ends[2 * i + 1]);
      ks[i] = k;
    }
    return ks;
  }

  // A section this long has its entries read by the worker (a Code
  // section's thousands of entries, 0.05-0.2 s as JSON on the page);
  // a shorter one's are read here, at once.
  const BIG_SECTION = 1 << 20;
  const kidsInWorker = (n) => !n.children && n.length >= BIG_SECTION && worker && mod.posted;

  // Asks the worker for section n's entries (kidsInWorker), then then().
  function fetchSectionKids(n, then) {
    const m = mod;
    ask(m, { op: 'kids', off: n.offset }, (a) => {
      if (m === mod && !n.children)
        n.children = columnNodes(a.kids);
      then();
      return true;
    }, then);
  }

  // Asks the worker for node n's children (n at depth 2 or deeper: from
  // the tree of its function) when they are not here yet, then then().
  function fetchKids(n, depth, then) {
    if (n.children || mod.kidsAt.has(`${n.offset}:${depth}`))
      return then();
    askView({ op: 'run', view: V.NODE, arg: n.offset, arg2: depth }, (a) => {
      mod.kidsAt.set(`${n.offset}:${depth}`, a.text);
      then();
    }, then);
  }

  function kids(item) {
    return nodeKids(item._node, +item.dataset.depth);
  }

  // open: unfold (true), fold (false) or the other; toward: a byte whose
  // child is drawn first (with a few around it) when the children are
  // drawn now, instead of the first CHUNK (revealInTree: a click in a 10 MB
  // module's code draws a few dozen of its Code section's entries).
  function toggle(item, open, toward) {
    let box = item.querySelector(':scope > .kids');
    const want = open !== undefined ? open : !box || box.hidden;
    const tog = item.querySelector(':scope > .row > .tog');
    if (want && !box) {
      const ks = kids(item);
      if (!ks.length) {
        tog.className = 'tog none';
        tog.textContent = ' ';
        return null;
      }
      box = el('div', { class: 'kids', role: 'group' });
      const depth = +item.dataset.depth + 1;
      appendNodes(box, ks, depth, toward);
      item.append(box);
    }
    if (box) {
      box.hidden = !want;
      tog.textContent = want ? '▾' : '▸';
    }
    return box;
  }

  // Long child lists (a big Code section) are drawn CHUNK at a time: the rest
  // stands behind "… N more" rows, each a range of children not drawn yet.
  function gapRow(box, from, to) {
    const m = el('div', { class: 'tn more' }, `… ${to - from} more`);
    m._from = from;
    m._to = to;
    m.addEventListener('click', () => openGap(box, m, from, Math.min(to, from + CHUNK)));
    return m;
  }

  // Draws children [a, b) of gap row m, leaving gap rows for the rest of it.
  function openGap(box, m, a, b) {
    const frag = document.createDocumentFragment();
    if (a > m._from)
      frag.append(gapRow(box, m._from, a));
    for (let i = a; i < b; i++) {
      const t = treeNode(box._ks[i], box._depth);
      t._idx = i;
      frag.append(t);
    }
    if (b < m._to)
      frag.append(gapRow(box, b, m._to));
    m.replaceWith(frag);
  }

  function appendNodes(box, ks, depth, toward) {
    box._ks = ks;
    box._depth = depth;
    const m = gapRow(box, 0, ks.length);
    box.append(m);
    if (toward === undefined || childIndex(ks, toward) < 0)
      openGap(box, m, 0, Math.min(ks.length, CHUNK));
  }

  // The index of the child in ks that holds byte off (ks sorted by
  // offset), -1 when none does.
  function childIndex(ks, off) {
    let a = 0, b = ks.length - 1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (off < ks[m].offset)
        b = m - 1;
      else if (off >= ks[m].offset + ks[m].length)
        a = m + 1;
      else
        return m;
    }
    return -1;
  }

  // The child of box that holds byte off, drawn (with a few around it) when
  // it stands behind a gap row; null when none holds it.
  function childAt(box, off) {
    const idx = childIndex(box._ks || [], off);
    if (idx < 0)
      return null;
    for (const c of box.children) {
      if (c._idx === idx)
        return c;
      if (c._from !== undefined && idx >= c._from && idx < c._to) {
        openGap(box, c, Math.max(c._from, idx - 20), Math.min(c._to, idx + 40));
        return [...box.children].find((x) => x._idx === idx);
      }
    }
    return null;
  }

  function showTree() {
    const tree = $('tree');
    tree.textContent = '';
    appendNodes(tree, mod.tops, 1);
  }

  function markTree(item) {
    for (const x of document.querySelectorAll('#tree .tn.sel'))
      x.classList.remove('sel');
    if (item)
      item.classList.add('sel');
  }

  // Unfolds the tree down to the deepest node holding [off, off + 1) (at
  // most at depth maxDepth) and marks it.
  function revealInTree(off, maxDepth = Infinity) {
    let box = $('tree'), item = null;
    for (;;) {
      const found = childAt(box, off);
      if (!found)
        break;
      item = found;
      if (+item.dataset.depth >= maxDepth)
        break;
      const sub = toggle(item, true, off);
      if (!sub)
        break;
      box = sub;
    }
    markTree(item);
    if (item)
      item.scrollIntoView({ block: 'nearest' });
    return item;
  }

  // ---- the hex view: only the rows on screen exist ----

  function topAt(off) {
    const t = mod.tops;
    let a = 0, b = t.length - 1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (off < t[m].offset)
        b = m - 1;
      else if (off >= t[m].offset + t[m].length)
        a = m + 1;
      else
        return t[m];
    }
    return null;
  }

  function rows() {
    return Math.ceil(mod.size / ROW);
  }

  function scale() {
    return Math.max(1, (rows() * ROW_PX) / MAX_PX);
  }

  function showHex() {
    const hexbox = $('hex');
    $('hexspacer').style.height = `${Math.ceil((rows() * ROW_PX) / scale())}px`;
    hexbox.scrollTop = 0;
    drawHex();
  }

  function firstRow() {
    return Math.floor(($('hex').scrollTop * scale()) / ROW_PX);
  }

  function drawHex() {
    if (!mod)
      return;
    const hexbox = $('hex'), box = $('hexrows');
    const first = firstRow();
    const count = Math.ceil(hexbox.clientHeight / ROW_PX) + 1;
    const b = mod.bytes;
    const frag = document.createDocumentFragment();
    for (let r = first; r < Math.min(rows(), first + count); r++) {
      const line = el('div', { class: 'hr' }, el('span', { class: 'ad' }, (r * ROW).toString(16).padStart(8, '0')));
      let ascii = '';
      for (let k = 0; k < ROW; k++) {
        const off = r * ROW + k;
        if (off >= b.length)
          break;
        const top = topAt(off);
        let cls = top ? topClass(top) : 'sh';
        if (sel && off >= sel[0] && off < sel[1])
          cls += ' sel';
        if (off >= hov[0] && off < hov[1])
          cls += ' hov';
        line.append(el('span', { class: `b ${cls}`, 'data-off': off }, b[off].toString(16).padStart(2, '0')));
        ascii += b[off] >= 0x20 && b[off] < 0x7f ? String.fromCharCode(b[off]) : '.';
      }
      line.append(el('span', { class: 'asc' }, ascii));
      frag.append(line);
    }
    box.style.transform = `translateY(${hexbox.scrollTop}px)`;
    box.textContent = '';
    box.append(frag);
  }

  function scrollHexTo(off) {
    const hexbox = $('hex');
    const row = Math.floor(off / ROW), first = firstRow();
    const visible = Math.floor(hexbox.clientHeight / ROW_PX);
    if (row < first || row >= first + visible)
      hexbox.scrollTop = Math.max(0, (row - 2) * ROW_PX / scale());
  }

  function select(start, end, scroll) {
    sel = [start, end];
    if (scroll)
      scrollHexTo(start);
    drawHex();
    document.body.dataset.sel = `${start},${end}`;
  }

  // ---- explain, disassembly, imports and exports ----

  // --explain for byte off; shallow: in the tree of entries (no body read).
  // Else it reads the body that holds off: whenDecoded.
  function explain(off, reveal = true, shallow = false) {
    if (shallow && !reveal)
      return explainNow(off, reveal, shallow);
    if (!mod.decoded)
      $('explain').textContent = `byte ${hex(off)}: the worker is still reading the bodies…`;
    whenDecoded(() => explainNow(off, reveal, shallow));
  }

  // In the worker when it has read the bodies (#explain says so meanwhile;
  // a later click replaces this one's answer).
  let lastByte = 0;
  function explainNow(off, reveal, shallow) {
    const ticket = ++lastByte;
    if (mod.inWorker && worker)
      $('explain').textContent = `byte ${hex(off)}: the worker is building the tree of its function…`;
    const sec = reveal ? topAt(off) : null, wantKids = sec && kidsInWorker(sec);
    askView({ op: 'byte', off, shallow, reveal, sec: wantKids ? sec.offset : undefined }, (a) => {
      if (a.kids && !sec.children)
        sec.children = columnNodes(a.kids);
      if (ticket !== lastByte)
        return;
      let at = 0;
      if (reveal) {
        const p = JSON.parse(a.path);
        a.ends.forEach((end, d) => {
          mod.kidsAt.set(`${p[d + 2].offset}:${d + 2}`, a.nodes.slice(at, end));
          at = end;
        });
      }
      showExplain(off, reveal, a.text + a.stderr, () => JSON.parse(a.path));
    }, () => {
      if (ticket !== lastByte)
        return;
      const text = run(V.EXPLAIN, off, shallow ? 1 : 0);
      showExplain(off, reveal, text + stderr, () => runJSON(V.PATH, off));
    });
  }

  function showExplain(off, reveal, text, pathOf) {
    $('explain').textContent = text;
    if (reveal) {
      const path = pathOf();
      const leaf = path[path.length - 1];
      if (leaf)
        select(leaf.offset, leaf.offset + leaf.length, false);
      revealInTree(off);
      // A byte of a function body: that function's disassembly too.
      const fn = path.find((n) => funcIndex(n) >= 0);
      if (fn && $('func').value !== String(funcIndex(fn)))
        disassemble(funcIndex(fn));
    }
  }

  // The function index that a Code entry's label names ("func[3] ...").
  function funcIndex(n) {
    const m = n.kind === 'func' && /^func\[(\d+)\]/.exec(n.label);
    return m ? +m[1] : -1;
  }

  // A function by index, or by the name its Code entry shows.
  function findFunc(text) {
    if (/^\d+$/.test(text))
      return +text;
    const code = mod.tops.find((n) => n.kind === 'section' && sectionId(n) === 10);
    const want = `"${text}"`;
    for (const n of code ? nodeKids(code, 1) : [])
      if (n.kind === 'func' && n.label.endsWith(want))
        return funcIndex(n);
    return -1;
  }

  function showFuncs() {
    $('func').value = '';
    $('disasm').textContent = '';
  }

  function disassemble(idx) {
    $('func').value = String(idx);
    whenDecoded(() => {
      if ($('func').value !== String(idx))  // another since
        return;
      if (idx < 0) {
        $('disasm').textContent = 'no such function';
        return;
      }
      askView({ op: 'run', view: V.FUNC, arg: idx }, (a) => {
        if ($('func').value === String(idx))
          $('disasm').textContent = a.text + a.stderr;
      }, () => {
        if ($('func').value === String(idx))
          $('disasm').textContent = run(V.FUNC, idx) + stderr;
      });
    });
  }

  function sig(t) {
    return t ? `(${t.params.join(', ')}) -> (${t.results.join(', ')})` : '';
  }

  // The imports and exports, 100 rows at a time, each fetched from the
  // explorer when drawn (view 6 gives a range of rows): a module may export
  // thousands of functions. The next rows come when the list is scrolled to
  // its end or its "… N more" row is clicked.
  const EXTERN_ROWS = 100;
  function showExterns() {
    const box = $('externs');
    box.textContent = '';
    const table = el('table', { id: 'externs-table' });
    table.append(el('tr', {}, el('th', {}, ''), el('th', {}, 'name'), el('th', {}, 'kind'), el('th', {}, 'type')));
    const row = (dir, name, e) => {
      const tr = el('tr', { 'data-off': e.offset }, el('td', {}, dir), el('td', {}, name),
        el('td', {}, `${e.kind}[${e.index}]`), el('td', {}, sig(e.type)));
      tr.addEventListener('click', () => explain(e.offset));
      table.append(tr);
    };
    let more = null;
    const upto = (from) => {
      const x = runJSON(V.EXTERNS, from, EXTERN_ROWS);
      const total = x.nimports + x.nexports;
      for (const e of x.imports)
        row('import', `${e.module}.${e.field}`, e);
      for (const e of x.exports)
        row('export', e.name, e);
      const end = from + x.imports.length + x.exports.length;
      more = null;
      if (end < total && end > from) {
        more = el('tr', { class: 'more', 'data-rest': total - end }, el('td', { colspan: 4 }, `… ${total - end} more`));
        more.addEventListener('click', () => { more.remove(); upto(end); });
        table.append(more);
      }
    };
    upto(0);
    box.append(table);
    box.onscroll = () => {
      if (more && box.scrollTop + box.clientHeight >= box.scrollHeight - 40)
        more.click();
    };
  }

  // ---- the dominator tree: --dominators --json, unfolded on demand ----

  // --dominators --json --sort KEY's rows as domColumns gives them, computed
  // once per module and key (in the worker; here when there is none), then
  // then(d) (d.error: why there are none), if the module is still open.
  function dominators(sort, then) {
    const m = mod;
    m.dom = m.dom || {};
    const have = m.dom[sort];
    if (have && !have.waiting)
      return then(have);
    if (have)
      return have.waiting.push(then);
    m.dom[sort] = { waiting: [then] };
    const got = (d) => {
      const w = m.dom[sort].waiting;
      m.dom[sort] = d;
      if (m === mod)
        for (const f of w)
          f(d);
    };
    const none = (err) => ({ error: (err || '').trim() || 'no dominator tree' });
    ask(m, { op: 'dom', sort: SORTS.indexOf(sort) }, (a) => got(a.dom || none(a.stderr)) || true, () => {
      if (m !== mod)
        return;
      const text = run(V.DOMINATORS, SORTS.indexOf(sort));
      got(text ? domColumns(text) : none(stderr));
    });
  }

  // Item p of dominator rows d, as its JSON row has it (the fields drawn).
  function domItem(d, p) {
    const x = d.num.subarray(7 * p, 7 * p + 7);
    return { pos: p, id: x[0], kind: d.kinds[x[1]], index: x[2], offset: x[3], shallow: x[4], retained: x[5],
      depth: x[6], label: d.labels.slice(p ? d.ends[p - 1] : 0, d.ends[p]) };
  }

  const domKids = (d, p) => d.kidsList.subarray(d.kidsStart[p], d.kidsStart[p + 1]);

  function resetDominators() {
    mod.domSort = 'retained';
    $('dom').textContent = '';
    $('dom-info').textContent = '';
    if ($('dom-box').open)
      showDominators();
  }

  function pct(part) {
    return `${(mod.size ? (100 * part) / mod.size : 0).toFixed(2)}%`;
  }

  // The tree for the chosen --sort, once its rows have come. #dom[data-sort]:
  // the key of the tree drawn; body[data-dom-ms]: from asking to drawing.
  function showDominators() {
    const t0 = performance.now(), sort = mod.domSort, m = mod;
    delete $('dom').dataset.sort;
    if (!$('dom').firstChild)
      $('dom-info').textContent = 'computing the dominator tree…';
    dominators(sort, (d) => {
      if (m === mod && m.domSort === sort)
        drawDominators(d, t0);
    });
  }

  function drawDominators(d, t0) {
    const box = $('dom');
    box.textContent = '';
    if (d.error) {
      $('dom-info').textContent = d.error;
      $('dom-info').className = 'err';
      return;
    }
    document.body.dataset.domMs = (performance.now() - t0).toFixed(1);
    $('dom-info').className = '';
    $('dom-info').textContent = `${d.items_bytes} of ${d.size} bytes are in items: ` +
      `${d.reachable_bytes} reachable, ${d.items_bytes - d.reachable_bytes} garbage ` +
      '(nothing reaches them). Click a column title to sort, ▸ to unfold, an item to see its bytes.';
    const head = el('div', { class: 'dr dh' });
    const titles = [['Retained bytes', 'retained'], ['Retained %', null], ['Shallow bytes', 'shallow'],
      ['Shallow %', null], ['Dominator tree', 'name']];
    for (const [t, key] of titles) {
      if (!key) {
        head.append(el('span', {}, t));
        continue;
      }
      head.append(el('span', { class: `sort${mod.domSort === key ? ' on' : ''}`, 'data-sort': key,
        title: `sort siblings by ${key} (--sort ${key})`,
        onclick: () => { mod.domSort = key; showDominators(); } }, t));
    }
    box.append(head);
    box.dataset.sort = mod.domSort;
    if (d.root < 0)
      return;
    const item = domNode(d, d.root);
    box.append(item);
    domToggle(item, true);
  }

  function domNode(d, p) {
    const it = domItem(d, p), nk = domKids(d, p).length;
    const item = el('div', { class: 'dn', role: 'treeitem', 'data-id': it.id, 'data-kind': it.kind,
      'data-retained': it.retained, 'data-shallow': it.shallow, 'data-depth': it.depth, 'data-off': it.offset });
    const tog = el('span', { class: nk ? 'tog' : 'tog none' }, nk ? '▸' : ' ');
    const label = el('span', {}, ' '.repeat(2 * it.depth), tog, it.label);
    const row = el('div', { class: 'dr' }, el('span', {}, String(it.retained)), el('span', {}, pct(it.retained)),
      el('span', {}, String(it.shallow)), el('span', {}, pct(it.shallow)), label);
    item.append(row);
    item._it = it;
    item._d = d;
    tog.addEventListener('click', (e) => { e.stopPropagation(); domToggle(item); });
    row.addEventListener('click', () => domSelect(item));
    return item;
  }

  // Unfolds (or folds) a dominator tree item: its children, CHUNK at a time.
  function domToggle(item, want) {
    let box = item.querySelector(':scope > .kids');
    const ks = domKids(item._d, item._it.pos);
    if (!ks.length)
      return;
    want = want !== undefined ? want : !box || box.hidden;
    if (want && !box) {
      box = el('div', { class: 'kids', role: 'group' });
      const upto = (from) => {
        const end = Math.min(ks.length, from + CHUNK);
        for (let i = from; i < end; i++)
          box.append(domNode(item._d, ks[i]));
        if (end < ks.length) {
          const more = el('div', { class: 'more' }, `… ${ks.length - end} more`);
          more.addEventListener('click', () => { more.remove(); upto(end); });
          box.append(more);
        }
      };
      upto(0);
      item.append(box);
    }
    box.hidden = !want;
    item.querySelector(':scope > .dr .tog').textContent = want ? '▾' : '▸';
  }

  // An item's bytes in the hex view: its main entry (a function's Code
  // entry: the node of the field tree at its offset), or, for the root and a
  // section's header, its shallow bytes from its offset.
  function domSelect(item) {
    const it = item._it;
    for (const x of document.querySelectorAll('#dom .dn.sel'))
      x.classList.remove('sel');
    item.classList.add('sel');
    let a = it.offset, b = it.offset + it.shallow, depth = 1;
    if (it.kind !== 'root' && it.kind !== 'meta' && it.kind !== 'indirect') {
      const path = runJSON(V.PATH, it.offset, 1);
      const k = path.findIndex((n, i) => i >= 2 && n.offset === it.offset);
      if (k >= 0) {
        b = a + path[k].length;
        depth = k;
      }
    }
    if (b > a) {
      select(a, b, true);
      revealInTree(a, depth);
    }
    if (it.kind === 'func')
      disassemble(it.index);
  }

  // ---- the diff: --diff OLD MODULE --json ----

  // The older build: kept here (a worker that replaces this one is given
  // it again), copied into the worker, and into this page's explorer only
  // when there is no worker (oldOnPage).
  function setOld(name, buf) {
    const bytes = new Uint8Array(buf);
    old = { name, size: bytes.length, bytes, onPage: false };
    if (worker)
      worker.w.postMessage({ op: 'old', bytes, name });
    if (mod)
      showDiff();
  }

  function oldOnPage() {
    if (!old.onPage)
      copyIn(wasm, wasm.web_alloc_old, wasm.web_name_old, old.bytes, old.name);
    old.onPage = true;
  }

  const signed = (n) => (n > 0 ? `+${n}` : String(n));

  function diffTable(id, rows, funcs) {
    const table = el('table', { id });
    table.append(el('tr', {}, el('th', {}, 'old'), el('th', {}, 'new'), el('th', {}, 'delta'),
      el('th', {}, funcs ? 'function' : 'section'), el('th', {}, '')));
    const row = (r) => {
      const note = r.old === null ? 'added' : r.new === null ? 'removed'
        : [funcs && r.matched === 'index' ? `matched by index ${r.old_index}` : '',
          r.bytes_differ ? 'same size, bytes differ' : ''].filter(Boolean).join('; ');
      const attrs = { 'data-name': r.name, 'data-old': r.old === null ? '' : r.old,
        'data-new': r.new === null ? '' : r.new, 'data-delta': r.delta };
      if (funcs && r.new_index !== null)
        attrs['data-new-index'] = r.new_index;
      const tr = el('tr', attrs, el('td', { class: 'n' }, r.old === null ? '-' : String(r.old)),
        el('td', { class: 'n' }, r.new === null ? '-' : String(r.new)),
        el('td', { class: `n ${r.delta > 0 ? 'grow' : r.delta < 0 ? 'shrink' : ''}` }, signed(r.delta)),
        el('td', {}, r.name), el('td', {}, note));
      if (funcs && r.new_index !== null)
        tr.addEventListener('click', () => disassemble(r.new_index));
      table.append(tr);
    };
    const upto = (from) => {
      const end = Math.min(rows.length, from + CHUNK);
      for (let i = from; i < end; i++)
        row(rows[i]);
      if (end < rows.length) {
        const more = el('tr', { class: 'more' }, el('td', { colspan: 5 }, `… ${rows.length - end} more`));
        more.addEventListener('click', () => { more.remove(); upto(end); });
        table.append(more);
      }
    };
    upto(0);
    return table;
  }

  // The diff with the older build: --diff OLD MODULE --json, computed in
  // the worker (here when there is none). #diff[data-shown]: once drawn.
  function showDiff() {
    const box = $('diff');
    box.textContent = '';
    delete box.dataset.shown;
    $('diff-box').hidden = !old;
    if (!old)
      return;
    $('diff-box').open = true;
    $('diff-title').textContent = `Diff with ${old.name} (computing…)`;
    const m = mod, o = old;
    const got = (text, err) => {
      if (m === mod && o === old)
        drawDiff(text, err);
    };
    ask(m, { op: 'run', view: V.DIFF }, (a) => got(a.text, a.stderr) || true, () => {
      if (m !== mod || o !== old)
        return;
      oldOnPage();
      const text = run(V.DIFF);
      got(text, stderr);
    });
  }

  function drawDiff(text, err) {
    const box = $('diff');
    box.dataset.shown = '1';
    if (!text) {
      $('diff-title').textContent = `Diff with ${old.name}`;
      box.append(el('p', { class: 'err', id: 'diff-error' }, (err || '').trim() || 'no diff'));
      return;
    }
    const d = JSON.parse(text);
    const p = d.old.size ? ((100 * d.delta) / d.old.size).toFixed(2) : '0.00';
    $('diff-title').textContent = `Diff (as wlab-explore --diff prints it): ${d.old.file} ${d.old.size} → ` +
      `${d.new.file} ${d.new.size} bytes, ${signed(d.delta)} (${d.delta >= 0 ? '+' : ''}${p}%)`;
    $('diff-title').dataset.delta = d.delta;
    box.append(diffTable('diff-sections', d.sections, false),
      el('p', { id: 'diff-info' }, `${d.function_rows} functions changed, added or removed (${d.old.functions} old, ` +
        `${d.new.functions} new; matched ${d.matched_by_name} by name, ${d.matched_by_index} by index). ` +
        'Click one to disassemble it.'),
      diffTable('diff-functions', d.functions, true));
  }

  // ---- hovering: a tree node lights its bytes, a byte its drawn node ----

  function hoverBytes(start, end) {
    hov = [start, end];
    for (const c of document.querySelectorAll('#hexrows .b')) {
      const o = +c.dataset.off;
      c.classList.toggle('hov', o >= start && o < end);
    }
  }

  // The deepest node drawn (and unfolded down to) that holds byte off.
  function drawnNodeAt(off) {
    let box = $('tree'), item = null;
    while (box) {
      let found = null;
      for (const c of box.children) {
        if (c._node && off >= c._node.offset && off < c._node.offset + c._node.length) {
          found = c;
          break;
        }
      }
      if (!found)
        break;
      item = found;
      box = item.querySelector(':scope > .kids:not([hidden])');
    }
    return item;
  }

  function hoverNode(item) {
    for (const x of document.querySelectorAll('#tree .tn.hov'))
      x.classList.remove('hov');
    if (item)
      item.classList.add('hov');
  }

  // ---- wiring ----

  function wire() {
    $('file').addEventListener('change', (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
    $('urlform').addEventListener('submit', (e) => { e.preventDefault(); openURL($('url').value.trim()); });
    document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('drop'); });
    document.addEventListener('dragleave', () => document.body.classList.remove('drop'));
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      document.body.classList.remove('drop');
      const f = e.dataTransfer.files[0];
      if (f)
        openFile(f);
    });
    let pending = false;
    $('hex').addEventListener('scroll', () => {
      if (pending)
        return;
      pending = true;
      requestAnimationFrame(() => { pending = false; drawHex(); });
    });
    window.addEventListener('resize', drawHex);
    $('tree').addEventListener('mouseover', (e) => {
      const item = e.target.closest && e.target.closest('.tn');
      if (item && item._node)
        hoverBytes(item._node.offset, item._node.offset + item._node.length);
    });
    $('tree').addEventListener('mouseleave', () => hoverBytes(0, 0));
    $('hexrows').addEventListener('mouseover', (e) => {
      const off = e.target.dataset && e.target.dataset.off;
      if (off !== undefined)
        hoverNode(drawnNodeAt(+off));
    });
    $('hexrows').addEventListener('mouseleave', () => hoverNode(null));
    $('hexrows').addEventListener('click', (e) => {
      const off = e.target.dataset && e.target.dataset.off;
      if (off !== undefined)
        explain(+off);
    });
    $('dom-box').addEventListener('toggle', () => {
      if ($('dom-box').open && mod && !$('dom').firstChild)
        showDominators();
    });
    $('oldfile').addEventListener('change', async (e) => {
      const f = e.target.files[0];
      if (!f)
        return;
      try {
        setOld(f.name, await f.arrayBuffer());
      } catch (err) {
        status(`${f.name}: ${err.message}`, 'err');
      }
    });
    $('funcform').addEventListener('submit', (e) => { e.preventDefault(); disassemble(findFunc($('func').value.trim())); });
  }

  async function main() {
    wire();
    let how;
    try {
      how = await loadExplorer();
    } catch (e) {
      status(`cannot load the explorer: ${e.message}`, 'err');
      return;
    }
    startWorker();
    status('ready: open a module');
    document.body.dataset.ready = how;  // how the wasm was loaded (the tests read it)
    if (document.readyState === 'loading')  // the rest of the page: the module wlab-explore --html put there
      await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve));
    const carried = $('wlab-module');
    if (carried)
      return openCarried(carried);
    const q = new URLSearchParams(location.search).get('url');
    if (q)
      openURL(q);
  }

  main();
})();
