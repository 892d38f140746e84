// measure-page.mjs: opens pages from file:// in headless Chromium and prints
// their times (body[data-*] that web/explore.js sets), N runs each.
// Usage: node tests/browser/measure-page.mjs N PAGE.html...
import { chromium } from 'playwright-core';
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CHROMIUM } from './lib.mjs';

const [n, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
for (let i = 0; i < +n; i++) {
  for (const file of pages) {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const t0 = Date.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120000 });
    await page.waitForSelector('body[data-painted-at]', { state: 'attached', timeout: 120000 });
    const d = await page.evaluate(() => ({ ...document.body.dataset,
      parsed: performance.getEntriesByType('navigation')[0].domInteractive }));
    console.log(`${file} (${statSync(file).size} B): goto->painted ${Date.now() - t0} ms; parsed ${d.parsed.toFixed(0)}, ` +
      `decode ${d.decodeMs}, open ${d.loadMs} ${d.timing}, painted at ${d.paintedAt}`);
    await page.close();
  }
}
await browser.close();
