// measure-page.mjs: opens explorer pages in headless Chromium and prints
// their times (body[data-*] that web/explore.js sets), N runs each, with the
// long main-thread tasks after the first frame (PerformanceObserver
// 'longtask': tasks over 50 ms; "start+duration" in ms from the first frame)
// and where the validator ran (body[data-valid-in]).
// Usage: node tests/browser/measure-page.mjs N PAGE.html...
//          (wlab-explore --html pages, from file://)
//        node tests/browser/measure-page.mjs N --web WEB_DIR MODULE.wasm...
//          (make web's page served by scripts/serve.py, each module given
//          to its file input; --web-file: the page opened from file://)
// With --views (first, before N): right after the first frame, a click on
// the middle byte (before the worker's verdict), then the dominator tree
// opened; the long tasks then count those too, and the line gives when the
// click was answered and the tree drawn (ms from the first frame).
// With --profile (after --views, if any): the main thread recorded by the
// DevTools protocol's Profiler from the first frame on (with --web, from
// the file given to the input), and the functions with the
// most time printed (their own, and explore.js's with what they call).
// Prints figures only: nothing here is a test.
import { chromium } from 'playwright-core';
import { loadavg } from 'node:os';
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, observeLongTasks, selfTimes, serve, totalTimes } from './lib.mjs';

const args = process.argv.slice(2);
const views = args[0] === '--views' && args.shift();
const profile = args[0] === '--profile' && args.shift();
const n = +args.shift();
let web = null, fromFile = false;
if (args[0] === '--web' || args[0] === '--web-file') {
  fromFile = args.shift() === '--web-file';
  web = args.shift();
}
const files = args;

// A click on the middle byte at once, then the dominator tree: when each
// was answered, in ms from the first frame.
async function useViews(page, size) {
  await page.evaluate((n) => {
    const hex = document.getElementById('hex');
    const scale = Math.max(1, (Math.ceil(n / 16) * 18) / (1 << 24));
    hex.scrollTop = Math.max(0, (Math.floor(n / 2 / 16) * 18 - 36) / scale);
    hex.dispatchEvent(new Event('scroll'));
  }, size);
  const mid = Math.floor(size / 2);
  await page.waitForFunction((o) => document.querySelector(`#hexrows .b[data-off="${o}"]`), mid);
  await page.evaluate((o) => document.querySelector(`#hexrows .b[data-off="${o}"]`).click(), mid);
  await page.waitForFunction(() => document.body.dataset.decoded && !document.body.dataset.waiting && !document.body.dataset.asking, null, { timeout: 120000 });
  const clicked = await page.evaluate(() => performance.now() - Number(document.body.dataset.paintedAt));
  await page.click('#dom-box > summary');
  await page.waitForSelector('#dom[data-sort] .dn', { state: 'attached', timeout: 120000 });
  const dom = await page.evaluate(() => performance.now() - Number(document.body.dataset.paintedAt));
  return `click answered at ${clicked.toFixed(0)}, dominator tree drawn at ${dom.toFixed(0)}; `;
}

// The page's times once the verdict is shown.
async function times(page) {
  await page.waitForSelector('#valid, #error-malformed, #error-malformed-code, #error-invalid',
    { state: 'attached', timeout: 120000 });
  await page.waitForTimeout(100);  // the last long task's entry
  return page.evaluate(() => {
    const painted = Number(document.body.dataset.paintedAt);
    const after = window.__longtasks.filter(([s, d]) => s + d > painted);
    return { ...document.body.dataset, parsed: performance.getEntriesByType('navigation')[0].domInteractive,
      longest: after.reduce((a, [, d]) => Math.max(a, d), 0), nlong: after.length,
      tasks: after.map(([s, d]) => `${(s - painted).toFixed(0)}+${d.toFixed(0)}`).join(' ') };
  });
}

function line(what, size, wall, d, start) {
  const given = d.givenAt ? `the change event at ${(d.givenAt - start).toFixed(0)}, read in ${d.readMs}, ` : '';
  return `${what} (${size} B): to the first frame ${wall} ms; ${given}parsed ${d.parsed.toFixed(0)}, decode ${d.decodeMs}, ` +
    `open ${d.loadMs} ${d.timing}, painted at ${d.paintedAt}; validated in ${d.validMs} ms (${d.validIn || 'page'}); ` +
    `after the first frame: ${d.nlong} long tasks, the longest ${d.longest.toFixed(0)} ms (${d.tasks}); ` +
    `load ${loadavg()[0].toFixed(1)}`;
}

async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const server = web && !fromFile ? await serve(web) : null;
try {
  for (let i = 0; i < n; i++) {
    for (const file of files) {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      await page.addInitScript(observeLongTasks);
      let start = 0;  // in the page's time: its start, or when the file was given
      let cdpEarly = null;  // --profile --web: recording from the file given
      if (web) {
        await page.goto(server ? `${server.url}index.html` : pathToFileURL(`${web}/index.html`).href);
        await page.waitForSelector('body[data-ready]', { state: 'attached' });
        start = await page.evaluate(() => performance.now());
        console.log(`  the explorer loaded (${await page.evaluate(() => document.body.dataset.ready)}) by ${start.toFixed(0)} ms`);
        if (profile)
          cdpEarly = await startProfile(page);
        await page.setInputFiles('#file', file);
      } else {
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120000 });
      }
      await page.waitForSelector('body[data-painted-at]', { state: 'attached', timeout: 120000 });
      const cdp = cdpEarly || (profile ? await startProfile(page) : null);
      const used = views ? await useViews(page, Number(await page.evaluate(() => document.body.dataset.size ||
        /: (\d+) bytes/.exec(document.getElementById('title').textContent)[1]))) : '';
      const d = await times(page);
      console.log(used + line(file, statSync(file).size, (Number(d.paintedAt) - start).toFixed(0), d, start));
      if (cdp) {
        const p = (await cdp.send('Profiler.stop')).profile;
        for (const [k, ms] of selfTimes(p).filter(([k]) => !/^\((idle|program)\)/.test(k)).slice(0, 10))
          console.log(`   ${ms.toFixed(1).padStart(7)} ms ${k}`);
        console.log('   with callees:');
        for (const [k, ms] of totalTimes(p).filter(([k]) => /explore|\.html/.test(k)).slice(0, 14))
          console.log(`   ${ms.toFixed(1).padStart(7)} ms ${k}`);
      }
      await page.close();
    }
  }
} finally {
  if (server)
    await server.stop();
  await browser.close();
}
