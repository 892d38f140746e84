// explore.mjs: suite explore-html: the page `wlab-explore --html OUT.html
// MODULE` writes, in headless Chromium. It must load from file:// with no
// console errors and no request but itself; clicking a section in the tree
// must highlight exactly that section's bytes in the hex map; hovering a
// byte must highlight its field in the tree, and hovering a field its bytes.
// Offsets come from `wlab-explore --json`. Screenshots: $BUILD/screenshots/.
//
// What the test reads from the page (so the page can change its looks freely):
//   - tree nodes: elements with data-off, data-len and data-kind (<details>
//     with a <summary> for interior nodes, .leaf for leaves);
//   - the hex map: one cell per byte, an element with data-off and no
//     data-len, outside the tree (not inside <details> or .leaf);
//   - "highlighted": an element whose class, style attribute, background or
//     outline differs from how it was drawn right after the page loaded.
//
// Usage: BUILD=build node tests/browser/explore.mjs   (after make all, make examples)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD, Suite, deadline, launchChromium, loadPlaywright, screenshotPath, shown, watchPage } from './lib.mjs';

const suite = new Suite('explore-html');
deadline(suite, 240000);
const TIMEOUT = 15000;
const explore = path.join(BUILD, 'bin', 'wlab-explore');
const work = path.join(BUILD, 'explore-html');

// The tree of `wlab-explore --json`: sections, and every leaf in file order.
function jsonTree(mod) {
  const r = spawnSync(explore, ['--json', mod], { encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`wlab-explore --json ${mod}: exit ${r.status} ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  const leaves = [];
  const walk = (n) => (n.children ? n.children.forEach(walk) : leaves.push(n));
  walk(doc.root);
  const sections = doc.root.children.filter((n) => n.kind === 'section').map((n) => ({
    offset: n.offset, length: n.length, label: n.label,
    id: n.children.find((c) => c.kind === 'section-id')?.value,
  }));
  return { doc, sections, leaves };
}

// Writes the page for mod with the issue's form (--html OUT MODULE); when
// that fails (one failed check), with the page --html prints on stdout, so
// the page checks still run. Returns that run's {status, stderr}, or null
// when neither form wrote a page.
function writeHtml(mod, out, wantStatus = 0) {
  rmSync(out, { force: true });
  let r = spawnSync(explore, ['--html', out, mod], { encoding: 'utf8', timeout: TIMEOUT });
  const ok = r.status === wantStatus && existsSync(out) && statSync(out).size > 0;
  suite.check(ok, `wlab-explore --html ${path.basename(out)} ${path.basename(mod)} writes the page`,
    `exit ${r.status}, stderr ${JSON.stringify((r.stderr || '').slice(0, 300))}`);
  if (ok)
    return r;
  r = spawnSync(explore, ['--html', mod], { encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 1 << 28 });
  if (r.stdout && r.stdout.length > 0) {
    console.log('     (going on with `wlab-explore --html MODULE > OUT.html`)');
    writeFileSync(out, r.stdout);
    return r;
  }
  return null;
}

const range = (off, len) => Array.from({ length: len }, (_, i) => off + i);

function sameSet(got, want) {
  const g = [...new Set(got)].sort((a, b) => a - b);
  return g.length === want.length && g.every((v, i) => v === want[i]);
}

function describeSet(got) {
  const g = [...new Set(got)].sort((a, b) => a - b);
  return g.length ? `${g.length} offsets ${g[0]}..${g[g.length - 1]}` : 'none';
}

// In the page: how every [data-off] element is drawn, and which are map cells.
// Each element keeps one id for the page's life, so a page that adds or
// removes nodes (lazy folds) still compares element to element.
function snapshot(page) {
  return page.$$eval('[data-off]', (els) => els.map((el) => {
    const ids = (window.wlabTestIds ||= new WeakMap());
    if (!ids.has(el))
      ids.set(el, (window.wlabTestNext = (window.wlabTestNext || 0) + 1));
    const cs = getComputedStyle(el);
    return {
      id: ids.get(el),
      off: Number(el.dataset.off),
      len: el.dataset.len === undefined ? null : Number(el.dataset.len),
      leaf: el.classList.contains('leaf'),
      cell: el.dataset.len === undefined && !el.closest('details, .leaf'),
      look: [el.className, el.getAttribute('style') || '', cs.backgroundColor,
        cs.outlineStyle + cs.outlineColor, cs.boxShadow, cs.color].join('|'),
      bg: cs.backgroundColor,
    };
  }));
}

// The elements drawn otherwise in now than in base (new elements do not count).
function changed(base, now) {
  const before = new Map(base.map((e) => [e.id, e.look]));
  return now.filter((e) => before.has(e.id) && before.get(e.id) !== e.look);
}

async function hoverNeutral(page) {
  await page.mouse.move(1, 1);
}

async function openPage(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  const seen = watchPage(page);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await hoverNeutral(page);
  await page.waitForTimeout(50);
  return { page, seen };
}

function loadChecks(name, file, seen) {
  suite.check(seen.errors.length === 0, `${name}: no console errors or page errors`, seen.errors.join('; '));
  const self = pathToFileURL(file).href;
  const other = seen.requests.filter((u) => u !== self && !u.startsWith('data:'));
  suite.check(other.length === 0, `${name}: no request but the page itself`, other.join(' '));
}

async function helloChecks(browser, mod) {
  const { sections, leaves } = jsonTree(mod);
  const size = readFileSync(mod).length;
  const file = path.join(work, 'hello.html');
  if (!writeHtml(mod, file))
    return;
  const { page, seen } = await openPage(browser, file);
  loadChecks('hello.html', file, seen);
  const base = await snapshot(page);

  // The tree: one node per JSON node, with the same offsets.
  const treeLeaves = base.filter((e) => e.leaf);
  suite.check(treeLeaves.length === leaves.length &&
    treeLeaves.every((e, i) => e.off === leaves[i].offset && e.len === leaves[i].length),
  'the tree has every leaf of --json with its data-off and data-len', `${treeLeaves.length} vs ${leaves.length} leaves`);

  // The hex map: one cell per byte, coloured by section.
  const cells = base.filter((e) => e.cell);
  const haveMap = suite.check(sameSet(cells.map((e) => e.off), range(0, size)) && cells.length === size,
    `the hex map has one cell per byte (data-off 0..${size - 1})`, `cells: ${describeSet(cells.map((e) => e.off))}, ${cells.length} elements`);
  if (haveMap) {
    const bgAt = new Map(cells.map((e) => [e.off, e.bg]));
    const dominant = (s) => {
      const n = new Map();
      for (const o of range(s.offset, s.length))
        n.set(bgAt.get(o), (n.get(bgAt.get(o)) || 0) + 1);
      return [...n.entries()].sort((a, b) => b[1] - a[1])[0][0];
    };
    const clear = (c) => c === 'rgba(0, 0, 0, 0)' || c === 'transparent';
    const doms = sections.map(dominant);
    const bad = sections.filter((s, i) => clear(doms[i]) ||
      (i > 0 && sections[i - 1].id !== s.id && doms[i - 1] === doms[i]));
    suite.check(sections.length > 0 && bad.length === 0,
      'the hex map colours each section, neighbouring sections of different kinds differently',
      `${bad.map((s) => s.label).join(', ')}; colours ${doms.join(' ')}`);
  }

  // Clicking a section's summary in the tree highlights exactly its bytes.
  for (const s of sections) {
    await suite.step(`click section ${s.label}`, async () => {
      const summary = page.locator(`details[data-kind="section"][data-off="${s.offset}"] > summary`);
      await summary.click();
      await page.waitForTimeout(30);
      const lit = changed(base, await snapshot(page)).filter((e) => e.cell).map((e) => e.off);
      suite.check(sameSet(lit, range(s.offset, s.length)),
        `click ${s.label} (offset ${s.offset}, size ${s.length}): the highlighted hex cells are its bytes`,
        `highlighted: ${describeSet(lit)}`);
      if (s === sections[sections.length - 3]) {
        const png = screenshotPath('explore-hello-section.png');
        await page.screenshot({ path: png, fullPage: false });
      }
    });
  }

  // Hovering a byte in the map highlights the leaf holding it (and no other leaf).
  const code = sections.find((s) => s.id === 10) || sections[sections.length - 1];
  const probes = [0, 5, code.offset + Math.floor(code.length / 2), size - 1];
  if (haveMap) {
    // A fresh page: no selection left over from the clicks.
    await page.reload({ waitUntil: 'load' });
    await hoverNeutral(page);
    await page.waitForTimeout(50);
    const base2 = await snapshot(page);
    for (const x of probes) {
      await suite.step(`hover byte ${x}`, async () => {
        const leaf = leaves.find((n) => n.offset <= x && x < n.offset + n.length);
        const cell = await page.evaluateHandle((o) => [...document.querySelectorAll(`[data-off="${o}"]:not([data-len])`)]
          .find((el) => !el.closest('details, .leaf')), x);
        await cell.asElement().hover();
        await page.waitForTimeout(30);
        const lit = changed(base2, await snapshot(page)).filter((e) => e.leaf);
        const holds = lit.some((e) => e.off === leaf.offset && e.len === leaf.length);
        const others = lit.filter((e) => !(e.off <= x && x < e.off + e.len));
        suite.check(holds && others.length === 0,
          `hover byte ${x}: its field "${leaf.label}" (offset ${leaf.offset}, size ${leaf.length}) is highlighted in the tree`,
          `highlighted leaves: ${lit.map((e) => `${e.off}+${e.len}`).join(' ') || 'none'}`);
        if (x === probes[2]) {
          const png = screenshotPath('explore-hello-hover.png');
          await page.screenshot({ path: png, fullPage: false });
        }
      });
    }

    // Hovering a field in the tree highlights its bytes in the map.
    await suite.step('hover a leaf', async () => {
      await hoverNeutral(page);
      const leaf = leaves.find((n) => n.kind === 'section-id' && n.offset === code.offset) || leaves[0];
      const loc = page.locator(`.leaf[data-off="${leaf.offset}"][data-len="${leaf.length}"]`).first();
      await loc.scrollIntoViewIfNeeded();
      await loc.evaluate((el) => { for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; });
      await page.waitForTimeout(30);
      const before = await snapshot(page);
      await loc.hover();
      await page.waitForTimeout(30);
      const lit = changed(before, await snapshot(page)).filter((e) => e.cell).map((e) => e.off);
      suite.check(sameSet(lit, range(leaf.offset, leaf.length)),
        `hover the tree leaf "${leaf.label}" (offset ${leaf.offset}, size ${leaf.length}): the highlighted hex cells are its bytes`,
        `highlighted: ${describeSet(lit)}`);
    });
  }
  const png = screenshotPath('explore-hello.png');
  await page.screenshot({ path: png, fullPage: false });
  suite.check(existsSync(png) && statSync(png).size > 1000, `screenshot ${shown(png)}`);
  loadChecks('hello.html after the clicks and hovers', file, seen);
  await page.close();
}

// A malformed module (hello.wasm cut short) still gives a page that loads cleanly.
async function truncatedChecks(browser, mod) {
  const bytes = readFileSync(mod);
  const cut = path.join(work, 'truncated.wasm');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const file = path.join(work, 'truncated.html');
  const r = writeHtml(cut, file, 1);
  if (!suite.check(r !== null, 'truncated.wasm: a page is still written'))
    return;
  suite.check(r.status === 1 && /:0x[0-9a-f]+: error: /.test(r.stderr || ''),
    'truncated.wasm: exit 1 with FILE:0xOFFSET: error: on stderr',
    `exit ${r.status}, stderr ${JSON.stringify(r.stderr)}`);
  const { page, seen } = await openPage(browser, file);
  loadChecks('truncated.html', file, seen);
  await page.close();
}

async function main() {
  const mod = path.join(BUILD, 'examples', 'hello', 'hello.wasm');
  if (!suite.check(existsSync(explore), `${explore} exists`, 'run: make all') ||
      !suite.check(existsSync(mod), `${mod} exists`, 'run: make examples'))
    return;
  mkdirSync(work, { recursive: true });
  const chromium = await loadPlaywright(suite);
  if (!chromium)
    return;
  const browser = await launchChromium(suite, chromium);
  if (!browser)
    return;
  try {
    await suite.step('hello.wasm page', () => helloChecks(browser, mod));
    await suite.step('truncated page', () => truncatedChecks(browser, mod));
  } finally {
    await browser.close();
  }
}

await suite.step('explore-html', main);
suite.done();
