// profile-click.mjs: where a click's main-thread time goes. Opens MODULE in
// make web's page (served), waits for the worker's word on the bodies, then
// for each kind of click (a byte in the middle of the hex view, the Code
// section unfolded by hand, an entry's fields, a function disassembled)
// records the main thread with the DevTools protocol's Profiler and prints
// the long tasks (over 50 ms) and the functions with the most self time.
// Usage: node tests/browser/profile-click.mjs WEB_DIR MODULE.wasm [TOP]
// Prints figures only: nothing here is a test.
import { chromium } from 'playwright-core';
import { loadavg } from 'node:os';
import { CHROMIUM, observeLongTasks, selfTimes, serve, totalTimes } from './lib.mjs';

const [web, file, topArg] = process.argv.slice(2);
const TOP = +(topArg || 8);

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const server = await serve(web);
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.addInitScript(observeLongTasks);
  await page.goto(`${server.url}index.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-decoded]', { state: 'attached', timeout: 120000 });
  await page.waitForSelector('#valid, #error-invalid', { state: 'attached', timeout: 120000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const idle = () => page.waitForFunction(() => !document.body.dataset.asking && !document.body.dataset.waiting,
    null, { timeout: 120000 });
  const size = await page.evaluate(() => +/: (\d+) bytes/.exec(document.getElementById('title').textContent)[1]);
  // Scrolls the hex view to byte o and clicks it.
  const clickByte = async (o) => {
    await page.evaluate(([x, n]) => {
      const hex = document.getElementById('hex');
      const scale = Math.max(1, (Math.ceil(n / 16) * 18) / (1 << 24));
      hex.scrollTop = Math.max(0, (Math.floor(x / 16) * 18 - 36) / scale);
      hex.dispatchEvent(new Event('scroll'));
    }, [o, size]);
    await page.waitForFunction((x) => document.querySelector(`#hexrows .b[data-off="${x}"]`), o);
    await page.evaluate((x) => document.querySelector(`#hexrows .b[data-off="${x}"]`).click(), o);
  };
  const clicks = {
    'the Code section unfolded': async () => {
      await page.evaluate(() => {
        const code = [...document.querySelectorAll('#tree > .tn')].find((t) => /Code/.test(t.textContent.split('\n')[0]));
        const tog = code.querySelector(':scope > .row > .tog');
        tog.click();
      });
      await page.waitForSelector('#tree .tn[data-depth="2"]', { state: 'attached', timeout: 60000 });
    },
    'byte in the middle': () => clickByte(Math.floor(size / 2)),
    'a section row': async () => {
      await page.evaluate(() => [...document.querySelectorAll('#tree > .tn')].find((t) => /Code/.test(t.textContent.split('\n')[0]))
        .querySelector(':scope > .row').click());
    },
    'another byte': async () => {
      await clickByte(Math.floor(size / 2) + 40);
    },
    'an entry unfolded': async () => {
      await page.evaluate(() => {
        const e = document.querySelector('#tree .tn[data-depth="2"] > .row > .tog:not(.none)');
        e.click();
      });
    },
    'a function disassembled': async () => {
      await page.fill('#func', '5000');
      await page.press('#func', 'Enter');
    },
    'the dominator tree': async () => {
      await page.click('#dom-box > summary');
      await page.waitForSelector('#dom[data-sort] .dn', { state: 'attached', timeout: 120000 });
    },
  };
  for (const [what, f] of Object.entries(clicks)) {
    const t0 = await page.evaluate(() => performance.now());
    await cdp.send('Profiler.start');
    await f();
    await idle();
    await page.waitForTimeout(300);
    const { profile } = await cdp.send('Profiler.stop');
    const tasks = await page.evaluate((t) => window.__longtasks.filter(([s, d]) => s + d > t)
      .map(([s, d]) => `${(s - t).toFixed(0)}+${d.toFixed(0)}`), t0);
    console.log(`${what}: long tasks ${tasks.join(' ') || 'none'}; load ${loadavg()[0].toFixed(1)}`);
    for (const [k, ms] of selfTimes(profile).filter(([k]) => !/^\((idle|program)\)/.test(k)).slice(0, TOP))
      console.log(`   ${ms.toFixed(1).padStart(7)} ms ${k}`);
    console.log('   with callees:');
    for (const [k, ms] of totalTimes(profile).filter(([k]) => /explore\.js|wasm/.test(k)).slice(0, TOP))
      console.log(`   ${ms.toFixed(1).padStart(7)} ms ${k}`);
  }
  await page.close();
} finally {
  await server.stop();
  await browser.close();
}
