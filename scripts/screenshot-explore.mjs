// screenshot-explore.mjs: the README's picture of the page `wlab-explore
// --html` writes (docs/explore-html.png): notes.c (examples/wasi) built with
// clang -O2 -g, compared with its -O1 -g build (`--html OUT --diff OLD NEW`),
// the dominator tree open and its largest function clicked, in headless
// Chromium (playwright-core from tests/browser, Debian's /usr/bin/chromium).
//
// Usage: node scripts/screenshot-explore.mjs [OUT.png]   (after make all;
//        BUILD=dir for another build directory, CHROMIUM=path for another
//        browser). Fails when the PNG is 200 KB or more: the README carries it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.resolve(ROOT, process.env.BUILD || 'build');
const OUT = path.resolve(process.argv[2] || path.join(ROOT, 'docs', 'explore-html.png'));
const MAX_BYTES = 200 * 1024;
const require = createRequire(path.join(ROOT, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

const work = path.join(BUILD, 'screenshot');
mkdirSync(work, { recursive: true });
const src = path.join(ROOT, 'examples', 'wasi', 'notes.c');
for (const opt of ['-O1', '-O2'])
  sh('clang', ['--target=wasm32-wasi', '--sysroot=/usr', opt, '-g', '-o', path.join(work, `notes${opt}.wasm`), src]);
// Relative paths: the page shows the names as given.
const page = path.join(work, 'notes.html');
sh(path.join(BUILD, 'bin', 'wlab-explore'), ['--html', page, '--diff', 'notes-O1.wasm', 'notes-O2.wasm'], { cwd: work });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const p = await browser.newPage({ viewport: { width: 1280, height: 700 } });
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await p.goto(pathToFileURL(page).href, { waitUntil: 'load' });
  await p.waitForSelector('#diff-sections');
  await p.evaluate(() => {
    for (const id of ['overview-box'])
      document.getElementById(id).open = false;
    // Shorter boxes than on screen: one picture for the README, under 200 KB.
    const h = (id, prop, v) => { document.getElementById(id).style[prop] = v; };
    h('diff', 'maxHeight', '9em');
    h('dom', 'maxHeight', '12em');
    h('tree', 'maxHeight', '16em');
    h('hex', 'height', '16em');
    h('disasm', 'maxHeight', '8em');
    h('externs', 'maxHeight', '5em');
  });
  await p.click('#dom-box > summary');
  await p.waitForSelector('#dom .dn[data-id="0"] .dn');
  // The first export unfolded to its function, which is unfolded and
  // clicked: highlighted in the hex view and the tree, disassembled.
  await p.click('#dom .dn[data-kind="export"] > .dr .tog');
  await p.click('#dom .dn[data-kind="func"] > .dr .tog');
  await p.click('#dom .dn[data-kind="func"] > .dr');
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.screenshot({ path: OUT, fullPage: true });
  if (errors.length)
    throw new Error(`the page logged errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
}
const size = statSync(OUT).size;
console.log(`${path.relative(ROOT, OUT)}: ${size} bytes`);
if (size >= MAX_BYTES) {
  console.error(`screenshot-explore: ${size} bytes, at most ${MAX_BYTES} for the README`);
  process.exit(1);
}
