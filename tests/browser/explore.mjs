// explore.mjs: suite explore-html: the page `wlab-explore --html OUT.html
// MODULE` writes (the explorer page of `make web` with the module in it), in
// headless Chromium, opened from file://.
//
// For the hello example, a clang -O2 program with DWARF (examples/wasi/
// notes.c) and a malformed module (hello.wasm cut short):
//   - the file: one page that names no other file (no src= or href= but
//     data:), about 4/3 of the module's size plus the page; exit 0, or 1
//     with FILE:0xOFFSET: error: on stderr for the malformed module; the
//     page written to stdout (--html alone) is the same;
//   - in Chromium: no console errors, no request but the page itself; the
//     module opens by itself; the overview's numbers (the title's size, the
//     size bar's blocks, the sections table: offset, size, count, and the
//     total) and the tree (the sections, each unfolded to its entries, one
//     function body unfolded) equal `wlab-explore --json`'s; clicking each
//     section highlights exactly its bytes in the hex view, at its first
//     and at its last byte; the malformed module's error is shown with its
//     offset.
// A generated module of about 10 MB (tests/bench/gen_big.py, as
// scripts/bench-explore.sh builds it): the page is written, opened, its
// times measured and reported (not asserted: the machine is shared); the
// hex view draws only the rows on screen and a click in the middle of the
// code explains its byte as --explain does; its dominator tree, opened,
// shows --dominators --json --depth 1's first 200 children of the root (CHUNK).
// rustc's 7.4 MB module (tests/dwarf/src/names.rs for wasm32-wasi, -O0 -g,
// as the dwarf suite builds it; Debian's rustc): the same, but for the
// dominator tree; its times reported too. A page carries its modules
// deflated (data-encoding="deflate-raw"): Node's zlib inflates them to the
// module's bytes exactly; its own wasm too (WLAB_EXPLORE_WASM_SIZE), to
// $BUILD/web/wlab-explore.wasm.
// The dominator tree (hello, notes -O2 -g): opened, every item unfolded, the
// rows equal `wlab-explore --dominators --json`'s (id, label, retained,
// shallow, depth, in its order, the numbers as shown); sorting by shallow
// and by name gives --sort shallow's and --sort name's order; clicking a
// function highlights exactly its Code entry (--json's node) and marks it in
// the section tree, the root its 8 bytes of preamble. The diff: `--html OUT --diff OLD NEW` for notes.c at
// -O1 and -O2, and the page of NEW given OLD through its "Compare" input:
// the sections and functions tables equal `--diff OLD NEW --json`'s rows
// (name, old, new, delta), the title its files and total, the line under
// the sections its counts (views.mjs, shared with explore-web); no console error, no
// request. --html --diff with --json is a usage error; with a malformed
// OLD, exit 1 and no page.
// The options: --depth is refused with --html; a wlab-explore built without
// the page (scripts/embed-web.sh --none) refuses --html with its reason and
// writes no file. Screenshots: $BUILD/screenshots/explore-*.png.
//
// What the test reads from the page is what tests/browser/web.mjs reads
// (web/explore.js): body[data-ready] ("embedded" here), body[data-load-ms],
// body[data-painted-at], body[data-decode-ms], body[data-sel], #title, #diff-info,
// #dom .dn (data-id, data-retained, data-shallow, data-depth; .dr, .tog,
// .dh .sort[data-sort]), #diff-title[data-delta], #diff-sections and
// #diff-functions tr[data-name] (data-old, data-new, data-delta),
// #overview, #bar .blk, #tree .tn (data-off, data-len, data-kind,
// data-depth; .tog, .row), #hexrows .b[data-off] (.sel), #explain, #verdict,
// body[data-valid-in] ("worker": the verdict came from the validator's worker).
//
// Usage: BUILD=build node tests/browser/explore.mjs   (after make all examples)
import { spawnSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD, ROOT, Suite, deadline, launchChromium, loadPlaywright, observeLongTasks, screenshotPath, shown, watchPage } from './lib.mjs';
import { CHUNK, diffPageChecks, domChecks, domRows, hexState, sameDom, selectedOnScreen } from './views.mjs';

const suite = new Suite('explore-html');
deadline(suite, 280000);
const TIMEOUT = 30000;
const explore = path.join(BUILD, 'bin', 'wlab-explore');
const work = path.join(BUILD, 'explore-html');
const BIG_N = 11400;  // functions of the generated module: about 10 MB

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 30, ...opts });
}

function sh(cmd, args) {
  const r = run(cmd, args);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${(r.stderr || '').slice(0, 400)}`);
  return r;
}

// wlab-explore ARGS FILE, with FILE as the page got it (the path given to --html).
function cli(args, file, { json = false } = {}) {
  const r = run(explore, [...args, file]);
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`wlab-explore ${args.join(' ')} ${file}: exit ${r.status} ${r.stderr}`);
  return json ? JSON.parse(r.stdout) : r;
}
const views = { suite, cli };  // what the checks of views.mjs run with

function modules() {
  mkdirSync(work, { recursive: true });
  const hello = path.join(BUILD, 'examples', 'hello', 'hello.wasm');
  const dwarf = path.join(work, 'notes-O2-g.wasm');
  sh('clang', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-g', '-o', dwarf,
    path.join(ROOT, 'examples', 'wasi', 'notes.c')]);
  const cut = path.join(work, 'hello-cut.wasm');
  const bytes = readFileSync(hello);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const bigDir = path.join(BUILD, 'bench', 'objdump');
  const big = path.join(bigDir, `big${BIG_N}.wasm`);
  if (!existsSync(big)) {
    mkdirSync(bigDir, { recursive: true });
    const c = path.join(bigDir, `big${BIG_N}.c`);
    sh('python3', [path.join(ROOT, 'tests', 'bench', 'gen_big.py'), String(BIG_N), c]);
    sh('clang', ['--target=wasm32', '-O0', '-nostdlib', '-Wl,--no-entry', '-o', big, c]);
  }
  // rustc's module, as the dwarf suite builds it (Debian's rustc has the wasm32-wasi std)
  const rust = path.join(work, 'names-rs.O0.wasm');
  const rs = path.join(ROOT, 'tests', 'dwarf', 'src', 'names.rs');
  if (!existsSync(rust) || statSync(rs).mtimeMs > statSync(rust).mtimeMs)
    sh('/usr/bin/rustc', ['--edition', '2021', '--target', 'wasm32-wasi', '-g', '-C', 'opt-level=0', rs, '-o', rust]);
  const o1 = path.join(work, 'notes-O1.wasm'), o2 = path.join(work, 'notes-O2.wasm');
  for (const [f, opt] of [[o1, '-O1'], [o2, '-O2']])
    sh('clang', ['--target=wasm32-wasi', '--sysroot=/usr', opt, '-o', f, path.join(ROOT, 'examples', 'wasi', 'notes.c')]);
  return { hello, dwarf, cut, big, rust, o1, o2 };
}

// Writes the page of mod to out; checks the exit status, stderr and that
// the file needs no other. Returns the run's time in ms, or -1.
function writePage(name, mod, out, wantStatus) {
  rmSync(out, { force: true });
  const t0 = performance.now();
  const r = run(explore, ['--html', out, mod]);
  const ms = performance.now() - t0;
  const ok = r.status === wantStatus && existsSync(out) && statSync(out).size > 0;
  suite.check(ok, `${name}: wlab-explore --html ${path.basename(out)} exits ${wantStatus} and writes the page`,
    `exit ${r.status}, stderr ${JSON.stringify((r.stderr || '').slice(0, 300))}`);
  if (!ok)
    return -1;
  if (wantStatus === 1)
    suite.check(/:0x[0-9a-f]+: error: /.test(r.stderr), `${name}: FILE:0xOFFSET: error: MESSAGE on stderr`, r.stderr);
  else
    suite.equal(r.stderr, '', `${name}: nothing on stderr`);
  const html = readFileSync(out, 'latin1');
  const refs = [...html.matchAll(/\s(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
  suite.check(refs.length === 0, `${name}: the page names no other file (no src= or href= but data:)`, refs.join(' '));
  const box = /<script id="wlab-module" [^>]*data-size="(\d+)" data-encoding="deflate-raw">([^<]*)<\/script>/.exec(html);
  let same = false;
  try {
    same = box && inflateRawSync(Buffer.from(box[2], 'base64')).equals(readFileSync(mod));
  } catch (e) {
    same = false;
  }
  suite.check(same, `${name}: the page carries the module deflated (zlib inflates it to the module's bytes)`);
  const wasm = /var WLAB_EXPLORE_WASM="([^"]*)";var WLAB_EXPLORE_WASM_SIZE=(\d+);/.exec(html);
  const own = readFileSync(path.join(BUILD, 'web', 'wlab-explore.wasm'));
  let sameWasm = false;
  try {
    sameWasm = wasm && +wasm[2] === own.length && inflateRawSync(Buffer.from(wasm[1], 'base64')).equals(own);
  } catch (e) {
    sameWasm = false;
  }
  suite.check(sameWasm, `${name}: the page carries its own wasm deflated too (${wasm ? Math.round(wasm[1].length / 1024) : '?'} KB ` +
    `of base64 for ${Math.round(own.length / 1024)} KB; zlib inflates it to build/web/wlab-explore.wasm)`);
  const size = statSync(mod).size, page = statSync(out).size;
  suite.check(page < size * 1.34 + 400000, `${name}: the page is ${page} bytes for ${size} module bytes (deflated, in base64, and the page's ~250 KB)`,
    `${(page / size).toFixed(1)} bytes per module byte`);
  return ms;
}

async function newPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT);
  return { page, seen: watchPage(page) };
}

// Opens the page from file://; resolves to its times once the module is drawn.
// Opens the page; resolves to its times once its first frame is drawn and,
// unless wait is false, once the worker has said whether the bodies decode.
async function openPage(page, file, wait = true) {
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-painted-at]', { state: 'attached' });
  if (wait)
    await page.waitForSelector('body[data-decoded]', { state: 'attached' });
  return page.evaluate(() => ({
    ready: document.body.dataset.ready,
    parsed: performance.getEntriesByType('navigation')[0].domInteractive,
    decode: Number(document.body.dataset.decodeMs),
    open: Number(document.body.dataset.loadMs),
    painted: Number(document.body.dataset.paintedAt),
  }));
}

function loadChecks(name, file, seen) {
  suite.check(seen.errors.length === 0, `${name}: no console errors or page errors`, seen.errors.join('; '));
  const self = pathToFileURL(file).href;
  // blob: the validator's worker, whose script the page makes from its own
  const other = seen.requests.filter((u) => u !== self && !u.startsWith('data:') && !u.startsWith('blob:'));
  suite.check(other.length === 0, `${name}: no request but the page itself`, other.join(' '));
}

const treeNodes = (page, d) => page.$$eval(`#tree .tn[data-depth="${d}"]`, (els) => els.map((e) => ({
  offset: +e.dataset.off, length: +e.dataset.len, kind: e.dataset.kind,
  label: e.querySelector(':scope > .row .nl').childNodes[2].textContent.trim(),
})));

const nodeText = (n) => (n.value !== undefined ? `${n.label} = ${n.value}` : n.label);

function sameNodes(got, want) {
  if (got.length !== want.length)
    return `${got.length} nodes, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (g.offset !== w.offset || g.length !== w.length || g.kind !== w.kind || g.label !== nodeText(w))
      return `node ${i}: ${JSON.stringify(g)}, want ${JSON.stringify({ ...w, children: undefined })}`;
  }
  return '';
}

// The overview's "Sections:" table: [{ name, offset, size, count }], and its total row.
function sectionsTable(text) {
  const rows = [];
  const lines = text.split('\n');
  let i = lines.indexOf('Sections:');
  if (i < 0)
    return { rows, total: null };
  for (i += 2; i < lines.length && lines[i].trim(); i++) {
    const m = /^ {2}(.*?)\s+0x([0-9a-f]+)\s+(\d+)\s+[\d.]+%(?:\s+(\d+))?$/.exec(lines[i]);
    if (m)
      rows.push({ name: m[1], offset: parseInt(m[2], 16), size: +m[3], count: m[4] === undefined ? null : +m[4] });
    else
      rows.push({ name: `unparsed: ${lines[i]}` });
  }
  const total = /^\s+(\d+) 100\.00%\s+total of/m.exec(text);
  return { rows, total: total ? +total[1] : null };
}

// Scrolls the hex view so that byte off is on screen.
async function hexShow(page, off) {
  await page.evaluate((o) => {
    const hex = document.getElementById('hex');
    const scale = Math.max(1, (Math.ceil(document.body.dataset.size / 16) * 18) / (1 << 24));
    hex.scrollTop = Math.max(0, (Math.floor(o / 16) * 18 - 36) / scale);
    hex.dispatchEvent(new Event('scroll'));
  }, off);
  await page.waitForFunction((o) => document.querySelector(`#hexrows .b[data-off="${o}"]`), off);
}

async function moduleChecks(browser, name, mod, wantStatus) {
  const file = path.join(work, `${name.replace(/\.wasm$/, '')}.html`);
  if (writePage(name, mod, file, wantStatus) < 0)
    return;
  // The same page on stdout (--html alone).
  const r = run(explore, ['--html', mod], { encoding: 'buffer' });
  suite.check(r.status === wantStatus && Buffer.compare(r.stdout, readFileSync(file)) === 0,
    `${name}: wlab-explore --html MODULE writes the same page to stdout`, `exit ${r.status}, ${r.stdout.length} bytes`);

  const { page, seen } = await newPage(browser);
  const t = await openPage(page, file);
  console.log(`     ${name}: parsed at ${t.parsed.toFixed(0)} ms, shown (painted) at ${t.painted.toFixed(0)} ms`);
  suite.equal(t.ready, 'embedded', `${name}: the page loads the explorer from itself`);
  await page.evaluate((n) => { document.body.dataset.size = n; }, statSync(mod).size);
  const doc = cli(['--json', '--depth', '2'], mod, { json: true });
  const tops = doc.root.children;

  // The overview: the CLI's text, its numbers equal --json's.
  const ov = await page.textContent('#overview');
  suite.equal(ov, cli(['--top', '40'], mod).stdout, `${name}: the overview is wlab-explore --top 40's`);
  suite.equal(await page.textContent('#title'), `${mod}: ${doc.size} bytes`, `${name}: the title gives --json's size`);
  const { rows, total } = sectionsTable(ov);
  const secs = tops.filter((n) => n.kind === 'section');
  const bad = secs.map((s, i) => {
    const row = rows[i] || {};
    const count = (s.children || []).find((c) => c.kind === 'vec-count');
    return row.name === s.label && row.offset === s.offset && row.size === s.length &&
      (count ? row.count === count.value : true) ? null : `${s.label}: ${JSON.stringify(row)}`;
  }).filter(Boolean);
  suite.check(rows.length === secs.length && bad.length === 0,
    `${name}: the overview's sections (name, offset, size, count) are --json's ${secs.length}`,
    `${rows.length} rows; ${bad.join('; ')}`);
  if (!doc.error)
    suite.equal(total, doc.size, `${name}: the overview's breakdown totals --json's size`);
  const bar = await page.$$eval('#bar .blk', (els) => els.map((e) => [+e.dataset.off, +e.dataset.len]));
  suite.equal(JSON.stringify(bar), JSON.stringify(tops.map((n) => [n.offset, n.length])),
    `${name}: the size bar has one block per top-level node of --json, same offsets and sizes`);

  // The tree: sections, each unfolded to its entries, one function body deeper.
  suite.check(sameNodes(await treeNodes(page, 1), tops) === '', `${name}: the tree's top level is --json's`,
    sameNodes(await treeNodes(page, 1), tops));
  for (const n of tops.filter((x) => x.children))
    await page.click(`#tree .tn[data-depth="1"][data-off="${n.offset}"] > .row > .tog`);
  const want2 = tops.flatMap((n) => (n.children || []).slice(0, CHUNK));
  suite.check(sameNodes(await treeNodes(page, 2), want2) === '', `${name}: each section unfolds to its entries as in --json`,
    sameNodes(await treeNodes(page, 2), want2));
  const code = tops.find((n) => n.label === 'Code');
  const fn = code && !doc.error && code.children.filter((n) => n.kind === 'func').pop();
  if (fn) {
    const full = cli(['--json'], mod, { json: true });
    const want3 = full.root.children.find((n) => n.label === 'Code').children.find((n) => n.offset === fn.offset).children;
    await page.click(`#tree .tn[data-depth="2"][data-off="${fn.offset}"][data-kind="func"] > .row > .tog`);
    await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
    const got3 = await treeNodes(page, 3);
    suite.check(sameNodes(got3, want3) === '', `${name}: ${fn.label} unfolds to its fields as in --json`, sameNodes(got3, want3));
  }

  // Clicking a section highlights exactly its bytes: at its start (the view
  // scrolls there) and at its end.
  for (const s of tops.filter((n) => n.kind === 'section' || n.kind === 'undecoded')) {
    await page.click(`#tree .tn[data-depth="1"][data-off="${s.offset}"] > .row`);
    const a = await selectedOnScreen(page, s.offset, s.offset + s.length);
    const sel = await page.evaluate(() => document.body.dataset.sel);
    await hexShow(page, s.offset + s.length - 1);
    const b = await selectedOnScreen(page, s.offset, s.offset + s.length);
    suite.check(a.ok && b.ok && sel === `${s.offset},${s.offset + s.length}`,
      `${name}: clicking ${s.label} highlights exactly its bytes ${s.offset}..${s.offset + s.length - 1}`,
      `selection ${sel}; at its start ${a.detail}; at its end ${b.detail}`);
  }

  // The verdict: valid, or the error with its offset.
  await page.waitForSelector('#valid, #error-malformed, #error-malformed-code, #error-invalid');
  if (doc.error)
    suite.equal(await page.textContent('#error-malformed'), `malformed at 0x${doc.error.offset.toString(16)}: ${doc.error.message}`,
      `${name}: the page shows the decoder's error with its offset`);
  else
    suite.equal(await page.textContent('#valid'), 'valid', `${name}: the page shows the validator's verdict`);
  await page.waitForSelector('body[data-valid-in]', { state: 'attached' });
  suite.equal(await page.evaluate(() => document.body.dataset.validIn), 'worker',
    `${name}: the verdict came from the validator's worker (the page's main thread did not validate)`);
  await page.click(`#tree .tn[data-depth="1"][data-off="${(code || tops[tops.length - 1]).offset}"] > .row`);
  const png = screenshotPath(`explore-${name.replace(/\.wasm$/, '')}.png`);
  await page.screenshot({ path: png });
  suite.check(existsSync(png) && statSync(png).size > 1000, `${name}: screenshot ${shown(png)}`);
  if (!doc.error)
    await domChecks(views, page, name, mod);
  loadChecks(name, file, seen);
  await page.close();
}

// Prints the long tasks that ended after the first frame (reported, not
// asserted: the machine is shared; the page's aim is none over 200 ms).
async function longTasks(page, name) {
  await page.waitForTimeout(100);  // the last long task's entry
  const l = await page.evaluate(() => {
    const painted = Number(document.body.dataset.paintedAt);
    return window.__longtasks.filter(([s, d]) => s + d > painted).map(([s, d]) => [Math.round(s - painted), Math.round(d)]);
  });
  console.log(`     ${name}: ${l.length} main-thread tasks over 50 ms after the first frame, the longest ` +
    `${l.reduce((a, [, d]) => Math.max(a, d), 0)} ms (${l.map(([s, d]) => `${s}+${d}`).join(' ')}; load ${loadavg()[0].toFixed(1)})`);
}

async function bigChecks(browser, mod, { dominators = true } = {}) {
  const size = statSync(mod).size;
  const name = path.basename(mod);
  const file = path.join(work, `${name.replace(/\.wasm$/, '')}.html`);
  const writeMs = writePage(name, mod, file, 0);
  if (writeMs < 0)
    return;
  const { page, seen } = await newPage(browser);
  await page.addInitScript(observeLongTasks);
  const t0 = Date.now();
  const t = await openPage(page, file, false);
  const wall = Date.now() - t0;

  // Responsive: the hex view draws only what is on screen, and a click in
  // the middle, made at once (before the worker's verdict, most likely
  // before its word on the bodies), answers with --explain's text: the
  // page waits for that word rather than decode every body itself.
  await page.evaluate((n) => { document.body.dataset.size = n; }, size);
  const mid = Math.floor(size / 2);
  const t1 = Date.now();
  await hexShow(page, mid);
  const scrollMs = Date.now() - t1;
  const st = await hexState(page);
  suite.check(st.shown.length > 0 && st.shown.length < 2000 && st.shown.includes(mid),
    `${name}: scrolled to byte ${mid}, the hex view draws only the rows on screen (${st.shown.length} cells, ${scrollMs} ms)`);
  const t2 = Date.now();
  const early = await page.evaluate((o) => {
    const b = document.body.dataset, decodedBefore = b.decoded || '';
    const verdictBefore = !!document.querySelector('#valid, #error-invalid');
    document.querySelector(`#hexrows .b[data-off="${o}"]`).click();
    return { decodedBefore, verdictBefore, waiting: b.waiting || '' };
  }, mid);
  await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);
  const clickMs = Date.now() - t2;
  suite.check(early.decodedBefore ? !early.waiting : early.waiting === '1',
    `${name}: a click on byte ${mid} ${early.decodedBefore ? 'after' : 'before'} the worker's word on the bodies ` +
    `(${early.verdictBefore ? 'after' : 'before'} its verdict) ${early.decodedBefore ? 'is answered at once' : 'waits for it'}`,
    JSON.stringify(early));
  suite.equal(await page.textContent('#explain'), cli(['--explain', String(mid)], mod).stdout,
    `${name}: and shows wlab-explore --explain ${mid} (${clickMs} ms after the click)`);
  await page.waitForSelector('#valid, #error-invalid', { state: 'attached' });
  const validMs = Number(await page.evaluate(() => document.body.dataset.validMs));
  suite.equal(await page.evaluate(() => document.body.dataset.validIn), 'worker', `${name}: validated in the worker`);
  console.log(`     ${name} (${size} bytes; page ${statSync(file).size} bytes, written in ${writeMs.toFixed(0)} ms): ` +
    `HTML read at ${t.parsed.toFixed(0)} ms, base64 read in ${t.decode.toFixed(0)} ms, opened in ${t.open.toFixed(0)} ms, ` +
    `first frame with it at ${t.painted.toFixed(0)} ms from the page's start (goto to that: ${wall} ms); then validated in ${validMs.toFixed(0)} ms`);
  suite.check(t.painted > 0, `${name}: the ${(size / 1e6).toFixed(1)} MB module is shown, in ${t.painted.toFixed(0)} ms from the page's start (reported, not a budget)`);
  const doc = cli(['--json', '--depth', '1'], mod, { json: true });
  suite.equal(await page.textContent('#title'), `${mod}: ${doc.size} bytes`, `${name}: the title gives --json's size`);
  suite.check(sameNodes(await treeNodes(page, 1), doc.root.children) === '', `${name}: the tree's top level is --json's`,
    sameNodes(await treeNodes(page, 1), doc.root.children));
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  suite.check(domNodes < 20000, `${name}: the page holds ${domNodes} elements (the tree unfolds on demand)`);
  if (!dominators) {
    await longTasks(page, name);
    await page.screenshot({ path: screenshotPath(`explore-${name.replace(/\.wasm$/, '')}.png`) });
    loadChecks(name, file, seen);
    await page.close();
    return;
  }
  // The dominator tree of the big module: its first level is the CLI's.
  const t3 = Date.now();
  await page.click('#dom-box > summary');
  await page.waitForSelector('#dom .dn[data-id="0"] .dn', { timeout: 120000 });
  const domMs = Date.now() - t3;
  const want = cli(['--dominators', '--json', '--depth', '1'], mod, { json: true }).items.slice(0, CHUNK + 1);
  const got = await domRows(page);
  suite.check(sameDom(got, want) === '', `${name}: the dominator tree's first level is --dominators --json --depth 1's (computed and drawn in ${domMs} ms)`,
    sameDom(got, want));
  await longTasks(page, name);
  await page.screenshot({ path: screenshotPath(`explore-${name.replace(/\.wasm$/, '')}.png`) });
  loadChecks(name, file, seen);
  await page.close();
}

async function diffChecks(browser, m) {
  const name = 'diff notes -O1 -O2';
  const want = cli(['--diff', m.o1, '--json'], m.o2, { json: true });
  const file = path.join(work, 'diff.html');
  rmSync(file, { force: true });
  let r = run(explore, ['--html', file, '--diff', m.o1, m.o2]);
  if (!suite.check(r.status === 0 && r.stderr === '' && existsSync(file), `${name}: wlab-explore --html OUT --diff OLD NEW writes the page`,
    `exit ${r.status}, ${r.stderr}`))
    return;
  const html = readFileSync(file, 'latin1');
  suite.check(html.includes('id="wlab-module-old"') && statSync(file).size < (statSync(m.o1).size + statSync(m.o2).size) * 1.34 + 400000,
    `${name}: the page carries both modules (${statSync(file).size} bytes)`);
  let { page, seen } = await newPage(browser);
  await openPage(page, file);
  await diffPageChecks(views, page, `${name} (--html --diff)`, want);
  await page.click('#diff-functions tr[data-new-index]');
  await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
  suite.check((await page.textContent('#disasm')).length > 0, `${name}: clicking a function of the diff disassembles it`);
  await page.screenshot({ path: screenshotPath('explore-diff.png') });
  loadChecks(`${name} (--html --diff)`, file, seen);
  await page.close();

  // The page of NEW, given OLD through the Compare input.
  const file2 = path.join(work, 'notes-O2.html');
  writePage('notes-O2.wasm', m.o2, file2, 0);
  ({ page, seen } = await newPage(browser));
  await openPage(page, file2);
  suite.check(await page.isHidden('#diff-box'), `${name}: without a second module the page shows no diff`);
  await page.setInputFiles('#oldfile', m.o1);
  const wantFile = { ...want, old: { ...want.old, file: path.basename(m.o1) } };
  await diffPageChecks(views, page, `${name} (Compare input)`, wantFile);
  loadChecks(`${name} (Compare input)`, file2, seen);
  await page.close();

  // Options: no --json with --html --diff; OLD must decode.
  const out = path.join(work, 'diff-bad.html');
  rmSync(out, { force: true });
  r = run(explore, ['--html', out, '--json', '--diff', m.o1, m.o2]);
  suite.check(r.status === 2 && r.stderr.includes('--html --diff') && !existsSync(out),
    '--html --diff with --json: usage error (exit 2), no page', `exit ${r.status}, ${r.stderr}`);
  r = run(explore, ['--html', out, '--diff', m.cut, m.o2]);
  suite.check(r.status === 1 && /hello-cut\.wasm:0x[0-9a-f]+: error: /.test(r.stderr) && !existsSync(out),
    '--html --diff with a malformed OLD: its error with its offset, exit 1, no page', `exit ${r.status}, ${r.stderr}`);
}

// --depth is refused with --html; a build without the page refuses --html.
function optionChecks(mod) {
  const out = path.join(work, 'depth.html');
  rmSync(out, { force: true });
  let r = run(explore, ['--html', out, '--depth', '2', mod]);
  suite.check(r.status === 2 && /--depth goes with --json/.test(r.stderr) && !existsSync(out),
    '--html with --depth: usage error (exit 2), no page', `exit ${r.status}, ${r.stderr}`);
  const stub = path.join(work, 'explore_page_none.c');
  sh('bash', [path.join(ROOT, 'scripts', 'embed-web.sh'), '--none', 'no page in this test build', stub]);
  const bin = path.join(work, 'wlab-explore-nopage');
  const dir = path.join(ROOT, 'cmd', 'wlab-explore');
  const srcs = readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => path.join(dir, f));
  const san = process.env.SANITIZE === '1' ? ['-fsanitize=address,undefined'] : [];
  r = run(process.env.CC || 'cc', ['-std=c11', '-O0', '-D_POSIX_C_SOURCE=200809L', ...san, `-I${ROOT}/libwasm/include`,
    `-I${ROOT}/libwasm/src`, `-I${dir}`, '-DWLAB_VERSION="test"', '-o', bin, ...srcs, stub,
    path.join(BUILD, 'lib', 'libwasm.a'), '-lm']);
  if (!suite.check(r.status === 0, 'wlab-explore builds without the page (scripts/embed-web.sh --none)', (r.stderr || '').slice(0, 400)))
    return;
  rmSync(out, { force: true });
  r = run(bin, ['--html', out, mod]);
  suite.check(r.status === 2 && r.stderr.includes('no page in this test build') && !existsSync(out),
    'without the page, --html exits 2 with the reason and writes no file', `exit ${r.status}, ${r.stderr}`);
  r = run(bin, ['--top', '3', mod]);
  suite.check(r.status === 0 && r.stdout.includes('Sections:'), 'without the page, the other views work');
}

async function main() {
  if (!suite.check(existsSync(explore), `${explore} exists`, 'run: make all'))
    return;
  const m = modules();
  const chromium = await loadPlaywright(suite);
  if (!chromium)
    return;
  const browser = await launchChromium(suite, chromium);
  if (!browser)
    return;
  try {
    // Relative paths, as a user types them: the page prints what it was given.
    process.chdir(BUILD);
    const rel = (f) => path.relative(BUILD, f);
    await suite.step('hello.wasm', () => moduleChecks(browser, 'hello.wasm', rel(m.hello), 0));
    await suite.step('notes-O2-g.wasm', () => moduleChecks(browser, 'notes-O2-g.wasm', rel(m.dwarf), 0));
    await suite.step('hello-cut.wasm', () => moduleChecks(browser, 'hello-cut.wasm', rel(m.cut), 1));
    await suite.step('the diff', () => diffChecks(browser, { o1: rel(m.o1), o2: rel(m.o2), cut: rel(m.cut) }));
    await suite.step('the big module', () => bigChecks(browser, rel(m.big)));
    await suite.step('rustc\'s module', () => bigChecks(browser, rel(m.rust), { dominators: false }));
    await suite.step('options', () => optionChecks(rel(m.hello)));
  } finally {
    await browser.close();
  }
}

await suite.step('explore-html', main);
suite.done();
