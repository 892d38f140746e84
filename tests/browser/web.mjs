// web.mjs: suite explore-web: the explorer page (`make web`, web/) in
// headless Chromium. The page must load its wasm with instantiateStreaming
// over HTTP (scripts/serve.py), with instantiate when the server sends the
// wrong type, and from file://; no console errors, no request but the page's
// own files. Three modules go through the file input: the hello example, a
// clang -O2 program with DWARF (examples/wasi/notes.c) and a malformed one
// (hello.wasm cut short). For each, what the page shows must equal what the
// native `wlab-explore` prints for the same file: the overview (--top 40),
// the section tree down to the entries (--json --depth 2), one unfolded
// function body (--json), --explain of clicked bytes, the disassembly of a
// function (--annotate --func), the error of a malformed module. Clicking a
// section in the tree must highlight exactly its bytes in the hex view.
// The dominator tree and the diff (views.mjs, the checks explore-html runs
// on the --html page): notes.c at -O2 -g opened through the file input,
// notes.c at -O1 -g through "Compare with an older build": the diff's
// sections, functions, file names and totals are `--diff OLD NEW --json`'s,
// the dominator tree, every item unfolded, `--dominators --json`'s rows
// (retained and shallow bytes as shown), sorted as --sort; then hello opened
// with both kept: the views are hello's.
// A multi-megabyte generated module (tests/bench/gen_big.py, as
// scripts/bench-explore.sh builds it) is opened and its load time measured
// and reported (never asserted: tests hold no timing budgets); then the diff
// of it against a second build of it (wasm-opt --precompute --vacuum -g:
// every function changed) given through "Compare with an older build": its
// numbers are --diff --json's, its functions table draws CHUNK of its 7,700
// rows, its time and long tasks reported. Screenshots: $BUILD/screenshots/web-*.png.
//
// What the test reads from the page (web/explore.js):
//   - body[data-ready] once the explorer loaded, body[data-load-ms] once a
//     module is shown (the time from its bytes to the first paint);
//   - #tree .tn: tree nodes with data-off, data-len, data-kind, data-depth;
//     .tog unfolds one; .row selects it; .tn.sel is the selected node;
//   - #hexrows .b[data-off]: the hex cells on screen; .sel marks selected bytes;
//   - #overview, #explain, #disasm (text as the CLI prints it), #verdict;
//     body[data-valid-in]: "worker" when the validator's worker gave the
//     verdict (checked for every module), "page" when the page computed it
//     (checked with Worker removed);
//   - #externs-table rows;
//   - #dom, #dom-info, #diff-title, #diff-info, #diff-sections, #diff-functions
//     (views.mjs lists what it reads).
//
// Usage: BUILD=build node tests/browser/web.mjs   (after make all web examples)
import { spawnSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { BUILD, ROOT, Suite, deadline, launchChromium, loadPlaywright, observeLongTasks, screenshotPath, serve, shown, watchPage } from './lib.mjs';
import { CHUNK, diffPageChecks, domChecks, domRows, hexState, sameDom } from './views.mjs';

const suite = new Suite('explore-web');
deadline(suite, 240000);
const TIMEOUT = 20000;
const explore = path.join(BUILD, 'bin', 'wlab-explore');
const webDir = process.env.WEB_DIR ? path.resolve(process.env.WEB_DIR) : path.join(BUILD, 'web');
// Under SANITIZE=1 only the checks against the sanitized wlab-explore: the
// page and its wasm are the plain run's (the big module and the ways of
// loading are not run again, and not counted).
const QUICK = process.env.SANITIZE === '1';
const work = path.join(BUILD, 'explore-web');
const BIG_N = 7700;  // functions of the generated module: about 6.8 MB
const LOAD_BUDGET_MS = 2000;

// wlab-explore ARGS NAME, run in NAME's directory so that it prints the bare
// name, as the page does (it knows only the file's name).
function cli(args, file, { json = false } = {}) {
  const r = spawnSync(explore, [...args, path.basename(file)], { cwd: path.dirname(file),
    encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`wlab-explore ${args.join(' ')} ${file}: exit ${r.status} ${r.stderr}`);
  return json ? JSON.parse(r.stdout) : r;
}
const views = { suite, cli };  // what the checks of views.mjs run with

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${(r.stderr || '').slice(0, 400)}`);
}

// The modules: hello, notes.wasm again at -O2 with DWARF, hello cut short,
// and the big generated one (kept across runs: it takes seconds to build).
function modules(quick) {
  mkdirSync(work, { recursive: true });
  const hello = path.join(BUILD, 'examples', 'hello', 'hello.wasm');
  const dwarf = path.join(work, 'notes-O2-g.wasm');
  const o1 = path.join(work, 'notes-O1-g.wasm');  // the older build of the diff
  for (const [f, opt] of [[dwarf, '-O2'], [o1, '-O1']])
    sh('clang', ['--target=wasm32-wasi', '--sysroot=/usr', opt, '-g', '-o', f, path.join(ROOT, 'examples', 'wasi', 'notes.c')]);
  const cut = path.join(work, 'hello-cut.wasm');
  const bytes = readFileSync(hello);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  // hello.wasm with an opcode of its last function replaced by 0xff: the
  // tree of entries reads it whole, the full tree stops in that body.
  const badop = path.join(work, 'hello-badop.wasm');
  const full = cli(['--json'], hello, { json: true });
  const ops = [];
  const walk = (n) => (n.children ? n.children.forEach(walk) : n.kind === 'opcode' && n.length === 1 && n.label !== 'end' && ops.push(n));
  walk(full.root.children.find((n) => n.label === 'Code'));
  const bad = Buffer.from(bytes);
  bad[ops[ops.length - 1].offset] = 0xff;
  writeFileSync(badop, bad);
  const bigDir = path.join(BUILD, 'bench', 'objdump');
  const big = path.join(bigDir, `big${BIG_N}.wasm`);
  if (!quick && !existsSync(big)) {
    mkdirSync(bigDir, { recursive: true });
    const c = path.join(bigDir, `big${BIG_N}.c`);
    sh('python3', [path.join(ROOT, 'tests', 'bench', 'gen_big.py'), String(BIG_N), c]);
    sh('clang', ['--target=wasm32', '-O0', '-nostdlib', '-Wl,--no-entry', '-o', big, c]);
  }
  // A second build of it for the diff: wasm-opt (binaryen) --precompute
  // --vacuum changes every function, names kept (2 s of CPU, kept too).
  const bigOld = path.join(bigDir, `big${BIG_N}-pv.wasm`);
  if (!quick && (!existsSync(bigOld) || statSync(bigOld).mtimeMs < statSync(big).mtimeMs))
    sh('wasm-opt', ['--precompute', '--vacuum', '-g', big, '-o', bigOld]);
  return { hello, dwarf, o1, bad: cut, badop, big, bigOld };
}

function noErrors(name, seen) {
  suite.check(seen.errors.length === 0, `${name}: no console errors or page errors`, seen.errors.join('; '));
}

async function newPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT);
  return { page, seen: watchPage(page) };
}

// Opens file through the file input; resolves to the load time in ms,
// once the worker has said whether its bodies decode unless wait is false.
async function openModule(page, file, wait = true) {
  await page.evaluate(() => { delete document.body.dataset.loadMs; });
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-load-ms]');
  const ms = Number(await page.evaluate(() => document.body.dataset.loadMs));
  if (wait)  // the worker's word on the bodies, which a click on a byte waits for
    await page.waitForSelector('body[data-decoded]', { state: 'attached' });
  return ms;
}

// The number of imports and exports the "… N more" row of the list stands for.
const externsRest = (page) => page.$$eval('#externs-table tr.more', (els) => (els.length ? +els[0].dataset.rest : 0));

// The tree nodes the page shows at depth d (data-depth), in document order.
const treeNodes = (page, d) => page.$$eval(`#tree .tn[data-depth="${d}"]`, (els) => els.map((e) => ({
  offset: +e.dataset.off, length: +e.dataset.len, kind: e.dataset.kind,
  label: e.querySelector(':scope > .row .nl').childNodes[2].textContent.trim(),
})));

// "label" or "label = value" as the page writes a node's text.
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

async function moduleChecks(page, seen, name, file, opts = {}) {
  const ms = await openModule(page, file);
  console.log(`     ${name}: shown in ${ms.toFixed(0)} ms`);
  const doc = cli(['--json', '--depth', '2'], file, { json: true });
  const base = path.basename(file);

  // The overview, as wlab-explore --top 40 prints it.
  const ov = cli(['--top', '40'], file).stdout;
  suite.equal(await page.textContent('#overview'), ov, `${name}: the overview is wlab-explore --top 40's`);
  const title = await page.textContent('#title');
  suite.equal(title, `${base}: ${doc.size} bytes`, `${name}: the title gives the size of --json`);

  // The tree: sections (depth 1), then each section unfolded (depth 2).
  const tops = doc.root.children;
  suite.check(sameNodes(await treeNodes(page, 1), tops) === '', `${name}: the tree's top level is --json --depth 2's`,
    sameNodes(await treeNodes(page, 1), tops));
  for (const t of tops.filter((n) => n.children))
    await page.click(`#tree .tn[data-depth="1"][data-off="${t.offset}"] > .row > .tog`);
  const want2 = tops.flatMap((n) => (n.children || []).slice(0, CHUNK));
  const got2 = await treeNodes(page, 2);
  suite.check(sameNodes(got2, want2) === '', `${name}: every section unfolds to its entries as in --json --depth 2`,
    sameNodes(got2, want2));

  // Clicking a section highlights exactly its bytes.
  for (const s of tops.filter((n) => n.kind === 'section' || n.kind === 'undecoded')) {
    await page.click(`#tree .tn[data-depth="1"][data-off="${s.offset}"] > .row`);
    const st = await hexState(page);
    const want = st.shown.filter((o) => o >= s.offset && o < s.offset + s.length);
    const ok = st.sel.length === want.length && st.sel.every((o, i) => o === want[i]) && want.length > 0;
    suite.check(ok, `${name}: clicking ${s.label} highlights exactly its bytes ${s.offset}..${s.offset + s.length - 1}`,
      `selected on screen: ${st.sel.length} from ${st.sel[0]}, want ${want.length} from ${want[0]}`);
  }

  // Hovering: a section's row lights its bytes on screen; a byte lights the
  // deepest unfolded node that holds it (a section's entry here).
  const first = tops.find((n) => n.kind === 'section');
  await page.click(`#tree .tn[data-depth="1"][data-off="${first.offset}"] > .row`);  // scrolls the hex view to it
  await page.hover(`#tree .tn[data-depth="1"][data-off="${first.offset}"] > .row`);
  const hov = await page.$$eval('#hexrows .b', (els) => ({
    shown: els.map((e) => +e.dataset.off), lit: els.filter((e) => e.classList.contains('hov')).map((e) => +e.dataset.off),
  }));
  const wantLit = hov.shown.filter((o) => o >= first.offset && o < first.offset + first.length);
  suite.check(wantLit.length > 0 && hov.lit.join() === wantLit.join(), `${name}: hovering ${first.label} in the tree lights exactly its bytes`,
    `lit ${hov.lit.length} from ${hov.lit[0]}, want ${wantLit.length} from ${wantLit[0]}`);
  const entry = (first.children || []).find((c) => c.length > 0) || first;
  await page.hover(`#hexrows .b[data-off="${entry.offset}"]`);
  const lit = await page.$$eval('#tree .tn.hov', (els) => els.map((e) => `${e.dataset.off}+${e.dataset.len}`));
  suite.check(lit.length === 1 && lit[0] === `${entry.offset}+${entry.length}`,
    `${name}: hovering byte ${entry.offset} lights its node "${entry.label}" in the tree`, `lit: ${lit.join(' ')}`);

  // Explain: clicking a byte in the hex view prints what --explain prints,
  // and selects the leaf's bytes.
  // The middle of the largest section; past a body's error, a byte after it
  // (the full tree has it in its "undecoded" leaf).
  const largest = tops.reduce((a, n) => (n.length > a.length ? n : a));
  const bodyErr = !doc.error && cli(['--json'], file, { json: true }).error;
  const probe = bodyErr ? doc.size - 2 : largest.offset + Math.floor(largest.length / 2);
  await page.click(`#tree .tn[data-depth="1"][data-off="${tops[0].offset}"] > .row`);
  await page.evaluate((o) => {
    const hex = document.getElementById('hex');
    hex.scrollTop = Math.max(0, Math.floor(o / 16) * 18 - 36);
    hex.dispatchEvent(new Event('scroll'));
  }, probe);
  await page.waitForTimeout(50);
  await page.click(`#hexrows .b[data-off="${probe}"]`);
  await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
  const ex = cli(['--explain', String(probe)], file);
  suite.equal(await page.textContent('#explain'), ex.stdout, `${name}: clicking byte ${probe} shows wlab-explore --explain ${probe}`);
  const full = cli(['--json'], file, { json: true });
  let leaf = full.root;
  while (leaf.children)
    leaf = leaf.children.find((c) => c.offset <= probe && probe < c.offset + c.length);
  const sel = await page.evaluate(() => document.body.dataset.sel);
  suite.equal(sel, `${leaf.offset},${leaf.offset + leaf.length}`, `${name}: byte ${probe} selects its field "${leaf.label}"`);
  const marked = await page.$$eval('#tree .tn.sel', (els) => els.map((e) => `${e.dataset.off}+${e.dataset.len}`));
  if (bodyErr) {  // the tree of entries read past the body's error: its node holding the byte
    const [o, l] = (marked[0] || '0+0').split('+').map(Number);
    suite.check(marked.length === 1 && o <= probe && probe < o + l,
      `${name}: byte ${probe}'s node in the tree of entries is unfolded and marked`, `marked: ${marked.join(' ')}`);
  } else {
    suite.check(marked.length === 1 && marked[0] === `${leaf.offset}+${leaf.length}`,
      `${name}: byte ${probe}'s field is unfolded and marked in the tree`, `marked: ${marked.join(' ')}`);
  }

  // Disassembly of a function, and the malformed module's error.
  const code = tops.find((n) => n.label === 'Code');
  const fn = code && code.children.filter((n) => n.kind === 'func').pop();
  if (fn) {
    const idx = /^func\[(\d+)\]/.exec(fn.label)[1];
    await page.fill('#func', idx);
    await page.click('#funcform button');
    await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
    const ann = cli(['--annotate', '--func', idx], file).stdout;
    suite.equal(await page.textContent('#disasm'), ann, `${name}: the disassembly of func[${idx}] is --annotate --func ${idx}'s`);
  }
  await page.waitForSelector('#valid, #error-malformed, #error-malformed-code, #error-invalid');
  const verdict = await page.textContent('#verdict');
  const fullErr = cli(['--json'], file, { json: true }).error;
  if (!doc.error && fullErr) {
    await page.waitForSelector('#error-malformed-code');
    suite.equal(await page.textContent('#error-malformed-code'), `malformed code at 0x${fullErr.offset.toString(16)}: ${fullErr.message}`,
      `${name}: the page shows the error in a body (the full --json's) with its offset`);
  } else if (doc.error) {
    suite.equal(await page.textContent('#error-malformed'), `malformed at 0x${doc.error.offset.toString(16)}: ${doc.error.message}`,
      `${name}: the page shows the decoder's error with its offset`);
  } else {
    suite.equal(await page.textContent('#valid'), 'valid', `${name}: the validator's verdict is shown`);
  }
  await page.waitForSelector('body[data-valid-in]', { state: 'attached' });
  suite.equal(await page.evaluate(() => document.body.dataset.validIn), 'worker',
    `${name}: the verdict came from the validator's worker (the page's main thread did not validate)`);
  const uses = /^uses: .*$/m.exec(ov);
  if (uses)
    suite.equal(await page.textContent('#uses'), uses[0], `${name}: the features used are shown as the overview's uses: line`);
  else
    suite.check(!verdict.includes('uses:'), `${name}: no uses: line, as the overview of a malformed module`, verdict);
  const nx = await page.$$eval('#externs-table tr[data-off]', (els) => els.length);
  const want = tops.filter((n) => n.label === 'Import' || n.label === 'Export')
    .reduce((a, n) => a + n.children.filter((c) => c.kind === 'import' || c.kind === 'export').length, 0);
  const rest = await externsRest(page);
  suite.check(nx + rest === want && (nx > 0 || want === 0), `${name}: one row per import and export (${nx} drawn, ${rest} more)`,
    `${nx} rows and ${rest} more, want ${want}`);
  await page.screenshot({ path: screenshotPath(`web-${base.replace(/\.wasm$/, '')}.png`) });
  noErrors(name, seen);
}

// The dominator tree and the diff on the served page, for modules opened
// through its file inputs: the older build chosen ("Compare with an older
// build"), then notes -O2 -g opened through the file input: the diff is
// --diff notes-O1-g.wasm notes-O2-g.wasm --json's, the dominator tree
// --dominators --json's (the checks of explore-html, views.mjs). Then hello
// opened with the tree open and the older build kept: both views are hello's.
async function viewChecks(page, seen, m) {
  const t0 = Date.now();
  await page.setInputFiles('#oldfile', m.o1);
  await openModule(page, m.dwarf);
  const name = 'served page, notes-O2-g.wasm';
  await diffPageChecks(views, page, `${name}: diff with notes-O1-g.wasm (Compare input)`,
    cli(['--diff', path.basename(m.o1), '--json'], m.dwarf, { json: true }));
  await domChecks(views, page, name, m.dwarf);
  await page.screenshot({ path: screenshotPath('web-views.png') });

  await openModule(page, m.hello);
  await page.waitForSelector('#dom .dn[data-id="0"]');
  const want = cli(['--dominators', '--json', '--depth', '1'], m.hello, { json: true }).items;
  const got = await domRows(page);
  suite.check(sameDom(got, want) === '', 'served page, hello.wasm opened next: the open dominator tree is hello\'s ' +
    '(--dominators --json --depth 1)', sameDom(got, want));
  const diff = cli(['--diff', m.o1, '--json'], m.hello, { json: true });
  diff.old.file = path.basename(m.o1);  // the page knows the file's name only
  await diffPageChecks(views, page, 'served page, hello.wasm opened next: the diff with the older build kept', diff);
  noErrors(name, seen);
  console.log(`     the dominator tree and the diff on the served page: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// The big module: its load time, the hex view, a click in its code.
async function bigChecks(page, seen, m) {
  const given = await page.evaluate(() => performance.now());
  const ms = await openModule(page, m.big);
  await page.waitForSelector('#valid, #error-invalid');
  const timing = await page.evaluate(() => `${document.body.dataset.timing}, validated in ${document.body.dataset.validMs} ms ` +
    `(in the ${document.body.dataset.validIn})`);
  suite.equal(await page.textContent('#valid'), 'valid', `big${BIG_N}.wasm: the validator's worker finds it valid`);
  suite.equal(await page.evaluate(() => document.body.dataset.validIn), 'worker', `big${BIG_N}.wasm: validated in the worker`);
  // The overview on screen: from the file input's change to the first frame
  // that shows it (body[data-painted-at]), its read of the file included.
  const painted = await page.evaluate((t) => Number(document.body.dataset.paintedAt) - t, given);
  console.log(`     big${BIG_N}.wasm (${statSync(m.big).size} bytes): shown in ${ms.toFixed(0)} ms ${timing}; ` +
    `on screen ${painted.toFixed(0)} ms after the file was given to the input (the issue's budget: 1000 ms; reported, not asserted)`);
  suite.check(ms > 0 && painted > 0, `big${BIG_N}.wasm (${(statSync(m.big).size / 1e6).toFixed(1)} MB) is shown, in ${ms.toFixed(0)} ms ` +
    `(reported, not asserted: tests hold no timing budgets; the issue's is ${LOAD_BUDGET_MS} ms)`, `${ms} ms`);
  const t0 = Date.now();
  await page.evaluate(() => {
    const hex = document.getElementById('hex');
    hex.scrollTop = hex.scrollHeight / 2;
    hex.dispatchEvent(new Event('scroll'));
  });
  await page.waitForTimeout(50);
  const mid = await hexState(page);
  suite.check(mid.shown.length > 0 && mid.shown.length < 2000 && mid.shown[0] > 1000000,
    `big${BIG_N}.wasm: the hex view draws only the rows on screen (${mid.shown.length} cells from ${mid.shown[0]}) in ${Date.now() - t0} ms`);
  // A click in the middle of the code: its field is found in the full tree
  // (built now), unfolded and marked, its function disassembled, in time.
  const probe = mid.shown[Math.floor(mid.shown.length / 2)];
  const t1 = Date.now();
  await page.click(`#hexrows .b[data-off="${probe}"]`);
  await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
  const clickMs = Date.now() - t1;
  const leaf = await page.evaluate(() => document.body.dataset.sel);
  const marked = await page.$$eval('#tree .tn.sel', (els) => els.map((e) => [+e.dataset.off, +e.dataset.len]));
  const [a, b] = leaf.split(',').map(Number);
  suite.check(marked.length === 1 && marked[0][0] === a && marked[0][0] + marked[0][1] === b && a <= probe && probe < b,
    `big${BIG_N}.wasm: clicking byte ${probe} marks its field in the unfolded tree (${clickMs} ms: the tree of that function is built)`,
    `selected ${leaf}, marked ${JSON.stringify(marked)}`);
  const ex = cli(['--explain', String(probe)], m.big).stdout;
  suite.equal(await page.textContent('#explain'), ex, `big${BIG_N}.wasm: and shows wlab-explore --explain ${probe}`);
  const fidx = /func\[(\d+)\]/.exec(ex);
  suite.check(fidx && (await page.textContent('#disasm')).startsWith(cli(['--annotate', '--func', fidx[1]], m.big).stdout.split('\n')[0]),
    `big${BIG_N}.wasm: and disassembles the function that holds it`);
  // Its exports: a chunk drawn, the next when the list is scrolled to its end.
  const rows = () => page.$$eval('#externs-table tr[data-off]', (els) => els.length);
  const n0 = await rows(), r0 = await externsRest(page);
  await page.evaluate(() => { const x = document.getElementById('externs'); x.scrollTop = x.scrollHeight; });
  await page.waitForFunction((n) => document.querySelectorAll('#externs-table tr[data-off]').length > n, n0);
  const n1 = await rows(), r1 = await externsRest(page);
  suite.check(n0 > 0 && r0 > 0 && n1 > n0 && n1 + r1 === n0 + r0,
    `big${BIG_N}.wasm: its ${n0 + r0} imports and exports are drawn ${n0} at a time, the next ones when the list is scrolled to its end (${n0} -> ${n1})`,
    `${n0} rows + ${r0} more, then ${n1} + ${r1}`);
  await page.screenshot({ path: screenshotPath(`web-big${BIG_N}.png`) });
  noErrors('big module', seen);
  await bigDiffChecks(page, seen, m);
}

// The diff of two multi-megabyte builds: the big module's wasm-opt build
// given as the older one. Its numbers are --diff --json's; the tables draw
// CHUNK rows of their thousands; the time and the long main-thread tasks
// from the file given to the diff drawn are reported (not asserted).
async function bigDiffChecks(page, seen, m) {
  const name = `big${BIG_N}.wasm against ${path.basename(m.bigOld)}`;
  const want = cli(['--diff', path.basename(m.bigOld), '--json'], m.big, { json: true });
  const t0 = await page.evaluate(() => performance.now());
  await page.setInputFiles('#oldfile', m.bigOld);
  await page.waitForSelector('#diff[data-shown] #diff-sections', { timeout: 60000 });
  const drawn = await page.evaluate((t) => performance.now() - t, t0);
  await diffPageChecks(views, page, name, want);
  const rows = await page.$$eval('#diff-functions tr[data-name]', (els) => els.length);
  const rest = await page.$eval('#diff-functions tr.more', (e) => +/\d+/.exec(e.textContent)[0]).catch(() => 0);
  suite.check(want.function_rows > CHUNK && rows === CHUNK && rows + rest === want.function_rows,
    `${name}: the functions table draws ${rows} of its ${want.function_rows} rows, the rest behind "… ${rest} more"`,
    `${rows} rows, ${rest} more`);
  const tasks = await page.evaluate((t) => window.__longtasks.filter(([s, d]) => s + d > t)
    .map(([s, d]) => `${(s - t).toFixed(0)}+${d.toFixed(0)}`), t0);
  console.log(`     ${name} (${statSync(m.bigOld).size} -> ${statSync(m.big).size} bytes, ${want.function_rows} function rows): ` +
    `drawn ${drawn.toFixed(0)} ms after the file was given; main-thread tasks over 50 ms: ${tasks.join(' ') || 'none'} ` +
    `(load ${loadavg()[0].toFixed(1)}; reported, not asserted)`);
  noErrors(name, seen);
}

async function main() {
  for (const f of [explore, path.join(webDir, 'index.html'), path.join(webDir, 'wlab-explore.wasm')])
    if (!suite.check(existsSync(f), `${shown(f)} exists`, 'run: make all web'))
      return;
  const wasmSize = statSync(path.join(webDir, 'wlab-explore.wasm')).size;
  suite.check(wasmSize < 500 * 1024, `the page's wasm is under 500 KB (${wasmSize} bytes)`);
  const m = modules(QUICK);
  const chromium = await loadPlaywright(suite);
  if (!chromium)
    return;
  const browser = await launchChromium(suite, chromium);
  if (!browser)
    return;
  const server = await serve(webDir);
  try {
    // Over HTTP: instantiateStreaming; only the page's own files are asked for.
    const { page, seen } = await newPage(browser);
    await page.addInitScript(observeLongTasks);
    await page.goto(`${server.url}index.html`);
    await page.waitForSelector('body[data-ready]');
    suite.equal(await page.evaluate(() => document.body.dataset.ready), 'streaming', 'over HTTP the wasm loads with instantiateStreaming');
    await moduleChecks(page, seen, 'hello.wasm', m.hello, {});
    await moduleChecks(page, seen, 'notes-O2-g.wasm', m.dwarf, {});
    await moduleChecks(page, seen, 'hello-cut.wasm', m.bad);
    await moduleChecks(page, seen, 'hello-badop.wasm', m.badop);
    const own = seen.requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    suite.check(own.length === 0, 'no request but the page\'s own files', own.join(' '));
    if (!QUICK)
      await suite.step('the big module', () => bigChecks(page, seen, m));
    // After the big module (whose load time the older build would change).
    await suite.step('the dominator tree and the diff', () => viewChecks(page, seen, m));
    await page.close();
    if (QUICK) {
      console.log('     (SANITIZE=1: the big module and the other ways of loading run in the plain pass only)');
      return;
    }

    // The wrong MIME type: instantiate from the bytes instead. And no
    // Worker in this browser: the page validates, computes the dominator
    // tree and the diff on its main thread.
    const p2 = await newPage(browser);
    await p2.page.addInitScript(() => { delete window.Worker; });
    await p2.page.route('**/wlab-explore.wasm', async (route) => {
      const r = await route.fetch();
      await route.fulfill({ response: r, headers: { ...r.headers(), 'content-type': 'application/octet-stream' } });
    });
    await p2.page.goto(`${server.url}index.html`);
    await p2.page.waitForSelector('body[data-ready]');
    suite.equal(await p2.page.evaluate(() => document.body.dataset.ready), 'instantiate',
      'served as application/octet-stream, the wasm loads with instantiate');
    await openModule(p2.page, m.hello);
    suite.equal(await p2.page.textContent('#overview'), cli(['--top', '40'], m.hello).stdout, 'and then shows a module');
    await openModule(p2.page, m.badop);
    await p2.page.waitForSelector('#error-malformed-code');
    const badErr = cli(['--json'], m.badop, { json: true }).error;
    suite.check(await p2.page.evaluate(() => document.body.dataset.validIn) === 'page' &&
      await p2.page.textContent('#error-malformed-code') === `malformed code at 0x${badErr.offset.toString(16)}: ${badErr.message}`,
    'without Worker, the page validates on its main thread: hello-badop.wasm\'s error in a body, with its offset',
    `${await p2.page.evaluate(() => document.body.dataset.validIn)}: ${await p2.page.textContent('#verdict')}`);
    // And computes the dominator tree and the diff there too.
    await p2.page.setInputFiles('#oldfile', m.o1);
    await openModule(p2.page, m.hello);
    await p2.page.click('#dom-box > summary');
    await p2.page.waitForSelector('#dom[data-sort="retained"] .dn[data-id="0"]');
    const domWant = cli(['--dominators', '--json', '--depth', '1'], m.hello, { json: true }).items;
    suite.check(sameDom(await domRows(p2.page), domWant) === '', 'without Worker, the dominator tree (computed on the page) is --dominators --json --depth 1\'s',
      sameDom(await domRows(p2.page), domWant));
    const diffWant = cli(['--diff', m.o1, '--json'], m.hello, { json: true });
    diffWant.old.file = path.basename(m.o1);
    await diffPageChecks(views, p2.page, 'without Worker, the diff (computed on the page)', diffWant);
    noErrors('no Worker', p2.seen);
    await p2.page.close();

    // From file://, with a same-origin URL given in ?url=.
    const p3 = await newPage(browser);
    const copy = path.join(webDir, 'samples');
    mkdirSync(copy, { recursive: true });
    writeFileSync(path.join(copy, 'hello.wasm'), readFileSync(m.hello));
    await p3.page.goto(pathToFileURL(path.join(webDir, 'index.html')).href);
    await p3.page.waitForSelector('body[data-ready]');
    suite.equal(await p3.page.evaluate(() => document.body.dataset.ready), 'file', 'from file:// the wasm loads from its base64 copy');
    const wasmBytes = readFileSync(path.join(webDir, 'wlab-explore.wasm'));
    const js = readFileSync(path.join(webDir, 'wlab-explore.wasm.js'), 'latin1');
    const packed = /^var WLAB_EXPLORE_WASM="([^"]*)";var WLAB_EXPLORE_WASM_SIZE=(\d+);\n$/.exec(js);
    let same = false;
    try {
      same = packed && +packed[2] === wasmBytes.length && inflateRawSync(Buffer.from(packed[1], 'base64')).equals(wasmBytes);
    } catch (e) {
      same = false;
    }
    suite.check(same, `wlab-explore.wasm.js carries the wasm deflated (${js.length} bytes for ${wasmBytes.length}; ` +
      'zlib inflates it to wlab-explore.wasm)');
    await openModule(p3.page, m.dwarf);
    suite.equal(await p3.page.textContent('#overview'), cli(['--top', '40'], m.dwarf).stdout, 'from file://, the overview of the DWARF program');
    await p3.page.waitForSelector('#valid');
    suite.equal(await p3.page.evaluate(() => document.body.dataset.validIn), 'worker', 'from file://, validated in the worker');
    noErrors('file://', p3.seen);
    await p3.page.close();

    // A URL on the same origin.
    const p4 = await newPage(browser);
    await p4.page.goto(`${server.url}index.html?url=samples/hello.wasm`);
    await p4.page.waitForSelector('body[data-load-ms]');
    suite.equal(await p4.page.textContent('#title'), 'hello.wasm: 519 bytes'.replace('519', String(statSync(m.hello).size)),
      '?url=samples/hello.wasm opens the module on the same origin');
    noErrors('?url=', p4.seen);
    await p4.page.close();
  } finally {
    await server.stop();
    await browser.close();
  }
}

await suite.step('explore-web', main);
suite.done();
