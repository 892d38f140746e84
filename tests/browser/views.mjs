// views.mjs: checks of the explorer page's views that both browser suites
// run: explore-html on the page `wlab-explore --html` writes (explore.mjs),
// explore-web on the served page with a module opened through its file
// input (web.mjs). The page is the same (web/explore.js); what differs is
// how each suite runs the CLI on the same file, so the checks take
// t = { suite, cli }, t.cli(args, file, { json }) as each suite defines it.
//
// What they read from the page: #hexrows .b[data-off] (.sel), body[data-sel],
// body[data-dom-ms], #dom[data-sort] (the key of the tree drawn), #dom .dn (data-id, data-retained, data-shallow,
// data-depth; .dr, .tog, .dh .sort[data-sort]), #dom-info, #tree .tn.sel,
// #disasm, #diff[data-shown] (once the diff is drawn), #diff-title[data-delta], #diff-sections and #diff-functions
// tr[data-name] (data-old, data-new, data-delta).

// Rows and tree children the page draws at a time (web/explore.js: CHUNK).
export const CHUNK = 200;

export const hexState = (page) => page.$$eval('#hexrows .b', (els) => ({
  shown: els.map((e) => +e.dataset.off), sel: els.filter((e) => e.classList.contains('sel')).map((e) => +e.dataset.off),
}));

// The cells on screen that are selected are exactly those in [a, b).
export async function selectedOnScreen(page, a, b) {
  const st = await hexState(page);
  const want = st.shown.filter((o) => o >= a && o < b);
  return { ok: want.length > 0 && st.sel.length === want.length && st.sel.every((o, i) => o === want[i]),
    detail: `selected on screen: ${st.sel.length} from ${st.sel[0]}, want ${want.length} from ${want[0]}` };
}

// ---- the dominator tree ----

// The dominator tree's items drawn, in document order.
export const domRows = (page) => page.$$eval('#dom .dn', (els) => els.map((e) => {
  const cells = e.querySelector(':scope > .dr').children;
  return { id: +e.dataset.id, retained: +e.dataset.retained, shallow: +e.dataset.shallow, depth: +e.dataset.depth,
    label: cells[4].textContent.replace(/^\s*[▸▾ ]?/, '').trim(), shownRetained: cells[0].textContent,
    shownShallow: cells[2].textContent };
}));

// Clicks every folded toggle until none is left.
export const unfoldAll = (page) => page.evaluate(() => {
  for (let more = true; more;) {
    const togs = [...document.querySelectorAll('#dom .dn > .dr .tog:not(.none)')].filter((t) => t.textContent === '▸');
    more = togs.length > 0;
    for (const t of togs)
      t.click();
  }
});

export function sameDom(got, want) {
  if (got.length !== want.length)
    return `${got.length} rows, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (g.id !== w.id || g.retained !== w.retained || g.shallow !== w.shallow || g.depth !== w.depth ||
        g.label !== w.label || g.shownRetained !== String(w.retained) || g.shownShallow !== String(w.shallow))
      return `row ${i}: ${JSON.stringify(g)}, want ${JSON.stringify(w)}`;
  }
  return '';
}

export async function domChecks(t, page, name, mod) {
  const want = t.cli(['--dominators', '--json'], mod, { json: true });
  await page.click('#dom-box > summary');
  await page.waitForSelector('#dom .dn[data-id="0"]');
  const ms = await page.evaluate(() => document.body.dataset.domMs);
  await unfoldAll(page);
  const got = await domRows(page);
  t.suite.check(sameDom(got, want.items) === '',
    `${name}: the dominator tree, every item unfolded, is --dominators --json's ${want.items.length} rows (computed in ${ms} ms)`,
    sameDom(got, want.items));
  t.suite.check((await page.textContent('#dom-info')).startsWith(`${want.items_bytes} of ${want.size} bytes are in items: ${want.reachable_bytes} reachable`),
    `${name}: the dominator tree's summary gives --dominators --json's bytes`, await page.textContent('#dom-info'));
  for (const key of ['shallow', 'name', 'retained']) {
    await page.click(`#dom .dh .sort[data-sort="${key}"]`);
    await page.waitForSelector(`#dom[data-sort="${key}"]`, { state: 'attached' });  // computed in the worker
    const w = t.cli(['--dominators', '--json', '--sort', key, '--depth', '1'], mod, { json: true }).items;
    const g = await domRows(page);
    t.suite.check(sameDom(g, w) === '', `${name}: sorted by ${key}, the tree's first level is --sort ${key}'s`, sameDom(g, w));
  }
  // Clicking items: the root (its preamble), the largest function (its Code entry).
  await page.click('#dom .dn[data-id="0"] > .dr');
  t.suite.equal(await page.evaluate(() => document.body.dataset.sel), '0,8', `${name}: clicking the dominator tree's root highlights the preamble`);
  const fn = want.items.filter((it) => it.kind === 'func' && it.depth <= 1).concat(want.items.filter((it) => it.kind === 'func'))[0];
  const code = t.cli(['--json', '--depth', '2'], mod, { json: true }).root.children.find((n) => n.label === 'Code');
  const entry = fn && code && code.children.find((n) => n.offset === fn.offset);
  if (t.suite.check(entry !== undefined, `${name}: the dominator tree has a function with a Code entry`)) {
    const row = await page.$(`#dom .dn[data-id="${fn.id}"] > .dr`);
    if (!row) {
      await page.click(`#dom .dn[data-id="0"] > .dr .tog`);  // fold, unfold: every child drawn
      await unfoldAll(page);
    }
    await page.click(`#dom .dn[data-id="${fn.id}"] > .dr`);
    await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking);  // answered (askView)
    const sel = await page.evaluate(() => document.body.dataset.sel);
    const on = await selectedOnScreen(page, entry.offset, entry.offset + entry.length);
    t.suite.check(sel === `${entry.offset},${entry.offset + entry.length}` && on.ok,
      `${name}: clicking ${fn.label} in the dominator tree highlights exactly its Code entry ${entry.offset}..${entry.offset + entry.length - 1}`,
      `selection ${sel}; ${on.detail}`);
    const marked = await page.$$eval('#tree .tn.sel', (els) => els.map((e) => `${e.dataset.depth}:${e.dataset.off}:${e.dataset.len}`));
    t.suite.equal(marked.join(' '), `2:${entry.offset}:${entry.length}`, `${name}: and marks its Code entry in the section tree`);
    t.suite.equal((await page.textContent('#disasm')).split('\n')[0], t.cli(['--annotate', '--func', String(fn.index)], mod).stdout.split('\n')[0],
      `${name}: and shows its disassembly`);
  }
}

// ---- the diff ----

export const diffRows = (page, id) => page.$$eval(`#${id} tr[data-name]`, (els) => els.map((e) => ({
  name: e.dataset.name, old: e.dataset.old === '' ? null : +e.dataset.old, new: e.dataset.new === '' ? null : +e.dataset.new,
  delta: +e.dataset.delta, text: [...e.children].slice(0, 4).map((c) => c.textContent).join('|'),
})));

export function sameDiff(got, want) {
  if (got.length !== want.length)
    return `${got.length} rows, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    const text = `${w.old === null ? '-' : w.old}|${w.new === null ? '-' : w.new}|${w.delta > 0 ? '+' : ''}${w.delta}|${w.name}`;
    if (g.name !== w.name || g.old !== w.old || g.new !== w.new || g.delta !== w.delta || g.text !== text)
      return `row ${i}: ${JSON.stringify(g)}, want ${JSON.stringify(w)}`;
  }
  return '';
}

export async function diffPageChecks(t, page, name, want) {
  await page.waitForSelector('#diff[data-shown] #diff-sections');  // computed in the worker
  const secs = await diffRows(page, 'diff-sections');
  t.suite.check(sameDiff(secs, want.sections) === '', `${name}: the sections' changes are --diff --json's ${want.sections.length} rows`,
    sameDiff(secs, want.sections));
  const funcs = await diffRows(page, 'diff-functions');
  const wf = want.functions.slice(0, CHUNK);
  t.suite.check(sameDiff(funcs, wf) === '', `${name}: the functions' changes are --diff --json's ${wf.length} rows`, sameDiff(funcs, wf));
  const title = await page.textContent('#diff-title');
  const sign = want.delta > 0 ? '+' : '';
  t.suite.check(+(await page.getAttribute('#diff-title', 'data-delta')) === want.delta &&
    title.includes(`${want.old.file} ${want.old.size} → ${want.new.file} ${want.new.size} bytes, ${sign}${want.delta} (`),
  `${name}: the diff's title gives both files, their sizes and the total change, ${sign}${want.delta} bytes`, title);
  const info = await page.textContent('#diff-info');
  t.suite.check(info.startsWith(`${want.function_rows} functions changed, added or removed (${want.old.functions} old, ` +
    `${want.new.functions} new; matched ${want.matched_by_name} by name, ${want.matched_by_index} by index)`),
  `${name}: the diff's totals are --diff --json's (${want.function_rows} function rows, ${want.matched_by_name} matched by name)`, info);
}
