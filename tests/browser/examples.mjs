// examples.mjs: suite examples-js: the hello example as a person runs it.
// Node (and wlab-run with a stub) prints the greeting; scripts/serve.py
// serves the site on 127.0.0.1 with the right types; headless Chromium loads
// the page from it and shows the greeting in the DOM and the console, with no
// console errors and the module served as application/wasm.
// Screenshot: $BUILD/screenshots/hello.png.
//
// Usage: BUILD=build node tests/browser/examples.mjs   (after `make examples`)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD, ROOT, Suite, deadline, launchChromium, loadPlaywright, screenshotPath, serve, shown, watchPage }
  from './lib.mjs';

const suite = new Suite('examples-js');
deadline(suite, 180000);
const site = path.join(BUILD, 'examples', 'hello');
const TIMEOUT = 15000;

function nodeChecks() {
  const cases = [
    { args: [], want: 'Hello, World!\n', what: 'node node.mjs prints "Hello, World!"' },
    { args: ['', 'Zoë 🌍'], want: 'Hello, Zoë 🌍!\n', what: 'node node.mjs "" "Zoë 🌍" (UTF-8 both ways)' },
    { args: ['', ''], want: 'Hello, !\n', what: 'node node.mjs with an empty name' },
  ];
  for (const c of cases) {
    // Run from another directory: node.mjs finds hello.wasm beside itself.
    const r = spawnSync(process.execPath, [path.join(site, 'node.mjs'), ...c.args],
      { cwd: '/', encoding: 'utf8', timeout: TIMEOUT });
    suite.check(r.status === 0 && r.stdout === c.want && r.stderr === '', c.what,
      `exit ${r.status}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`);
  }
}

// wlab-run with a `str` stub for imports.hello_from_js prints what Node prints.
function wlabRunChecks() {
  const run = path.join(BUILD, 'bin', 'wlab-run');
  if (!suite.check(existsSync(run), `${run} exists`, 'run: make all'))
    return;
  for (const name of ['World', 'Zoë 🌍']) {
    const r = spawnSync(run, ['-q', '--stub', 'imports.hello_from_js=str', '--invoke', 'hello_from_c',
      path.join(site, 'hello.wasm'), `str:${name}`], { encoding: 'utf8', timeout: TIMEOUT });
    suite.check(r.status === 0 && r.stdout === `Hello, ${name}!\n`,
      `wlab-run --stub imports.hello_from_js=str --invoke hello_from_c hello.wasm str:${name}`,
      `exit ${r.status}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`);
  }
}

// The server alone: the types the page needs, 404s, nothing outside its directory.
async function serverChecks(url) {
  const types = { 'index.html': 'text/html', 'hello.mjs': 'text/javascript',
    'greet.mjs': 'text/javascript', 'hello.wasm': 'application/wasm' };
  for (const [file, type] of Object.entries(types)) {
    const r = await fetch(url + file);
    suite.check(r.status === 200 && r.headers.get('content-type') === type,
      `serve.py: /${file} is ${type}`, `HTTP ${r.status}, ${r.headers.get('content-type')}`);
  }
  const missing = await fetch(`${url}missing.wasm`);
  suite.equal(missing.status, 404, 'serve.py: a missing file is HTTP 404');
  // A raw request line, since fetch() would normalise the dots away.
  const u = new URL(url);
  const status = await new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/../../../../../../etc/passwd' },
      (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end();
  });
  suite.equal(status, 404, 'serve.py: /../../etc/passwd stays inside the directory (HTTP 404)');
  const busy = spawnSync('python3', [path.join(ROOT, 'scripts', 'serve.py'), '--port', u.port, site],
    { encoding: 'utf8', timeout: TIMEOUT });
  suite.check(busy.status === 2 && /cannot listen/.test(busy.stderr),
    `serve.py --port ${u.port} while that port is taken: exit 2 with a message`,
    `exit ${busy.status}, stderr ${JSON.stringify(busy.stderr)}`);
}

// Loads URL in a fresh page; returns what the page did.
async function load(browser, url, route) {
  const page = await browser.newPage({ viewport: { width: 800, height: 500 } });
  page.setDefaultTimeout(TIMEOUT);
  const seen = watchPage(page);
  if (route)
    await page.route('**/hello.wasm', route);
  const res = await page.goto(url, { waitUntil: 'load' });
  return { page, seen, res };
}

async function greetings(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll('#out .greeting').length >= k, n);
  return page.$$eval('#out .greeting', (ps) => ps.map((p) => p.textContent));
}

const logged = (seen) => seen.console.filter((m) => m.type === 'log').map((m) => m.text);

async function browserChecks(chromium, url) {
  suite.check(/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url), 'serve.py prints http://127.0.0.1:PORT/', url);
  const browser = await launchChromium(suite, chromium);
  if (!browser)
    return;
  try {
    await suite.step('page greets World', async () => {
      const { page, seen, res } = await load(browser, url);
      suite.equal(res.status(), 200, 'index.html: HTTP 200');
      suite.equal((await greetings(page, 1))[0], 'Hello, World!', 'DOM shows "Hello, World!"');
      suite.check(logged(seen).includes('Hello, World!'), 'console logs "Hello, World!"',
        JSON.stringify(seen.console));
      const wasm = seen.responses.find((r) => new URL(r.url()).pathname === '/hello.wasm');
      suite.check(wasm !== undefined, 'the page fetched /hello.wasm', seen.requests.join(' '));
      if (wasm) {
        suite.equal(wasm.status(), 200, '/hello.wasm: HTTP 200');
        suite.equal(wasm.headers()['content-type'], 'application/wasm', '/hello.wasm Content-Type');
        const body = await wasm.body();
        const disk = readFileSync(path.join(site, 'hello.wasm'));
        suite.check(body.equals(disk), '/hello.wasm served byte for byte', `${body.length} vs ${disk.length} bytes`);
      }

      await page.fill('#name', 'Wasm');
      await page.click('button[type=submit]');
      const texts = await greetings(page, 2);
      suite.equal(texts[1], 'Hello, Wasm!', 'the form greets "Wasm" in the DOM');
      suite.check(logged(seen).includes('Hello, Wasm!'), 'the form greets "Wasm" in the console');

      // A name that fits the module's 64 KiB arena but its greeting does not:
      // hello_from_c traps; the page says so and goes on.
      const nerr = seen.errors.length;
      await page.fill('#name', 'x'.repeat(40000));
      await page.click('button[type=submit]');
      await page.waitForSelector('#out .error');
      const trap = seen.errors.splice(nerr);  // expected here; any other error stays counted
      suite.check(/RuntimeError/.test(await page.textContent('#out .error')) &&
        trap.length === 1 && /^console\.error: RuntimeError/.test(trap[0]),
      'a 40,000-byte name: the trap shows on the page and in the console as a RuntimeError', trap.join('; '));
      await page.evaluate(() => document.querySelector('#out .error').remove());
      await page.fill('#name', 'again');
      await page.click('button[type=submit]');
      suite.equal((await greetings(page, 3))[2], 'Hello, again!', 'after the trap the page still greets');

      const png = screenshotPath('hello.png');
      await page.screenshot({ path: png, fullPage: true });
      suite.check(existsSync(png) && statSync(png).size > 1000 &&
        readFileSync(png).subarray(1, 4).toString() === 'PNG', `screenshot ${shown(png)}`);

      suite.equal(await page.$$eval('#hint', (h) => h.length), 0, 'served: the "serve this directory" hint is gone');
      suite.check(seen.errors.length === 0, 'no console errors, page errors or failed requests',
        seen.errors.join('; '));
      const foreign = seen.requests.filter((u) => !u.startsWith(url) && !u.startsWith('data:'));
      suite.check(foreign.length === 0, 'every request went to the loopback server', foreign.join(' '));
      await page.close();
    });

    await suite.step('?name= greets that name', async () => {
      const { page, seen } = await load(browser, `${url}?name=${encodeURIComponent('Zoë')}`);
      suite.equal((await greetings(page, 1))[0], 'Hello, Zoë!', '?name=Zoë: DOM shows "Hello, Zoë!"');
      suite.check(seen.errors.length === 0, '?name=Zoë: no console errors', seen.errors.join('; '));
      await page.close();
    });

    // The same page with the module served under the wrong type: streaming
    // instantiation must fail, and the page must say so (the checks above
    // can see an error when there is one).
    await suite.step('wrong Content-Type is reported', async () => {
      const wasm = readFileSync(path.join(site, 'hello.wasm'));
      const { page, seen } = await load(browser, url,
        (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: wasm }));
      await page.waitForSelector('#out .error');
      const text = await page.textContent('#out .error');
      suite.check(/TypeError/.test(text) && /serve\.py/.test(text),
        'served as application/octet-stream: the page shows the TypeError and how to serve it', text);
      suite.check(seen.errors.some((e) => e.startsWith('console.error')),
        'served as application/octet-stream: a console error is seen', seen.errors.join('; '));
      suite.equal(await page.$$eval('#out .greeting', (ps) => ps.length), 0,
        'served as application/octet-stream: no greeting');
      await page.close();
    });

    // Opened as a file, module scripts cannot load: the page says how to serve it.
    await suite.step('file:// shows the hint', async () => {
      const { page } = await load(browser, pathToFileURL(path.join(site, 'index.html')).href);
      await page.waitForTimeout(300);
      suite.check(await page.isVisible('#hint'), 'file://: the page shows how to serve it (#hint)');
      suite.equal(await page.$$eval('#out .greeting', (ps) => ps.length), 0, 'file://: no greeting');
      await page.close();
    });
  } finally {
    await browser.close();
  }
}

async function main() {
  if (!suite.check(existsSync(path.join(site, 'hello.wasm')) && existsSync(path.join(site, 'index.html')),
    `${shown(site)} holds hello.wasm and index.html`,
    'run: make examples (scripts/build-examples.sh)')) {
    return;
  }
  nodeChecks();
  wlabRunChecks();
  const chromium = await loadPlaywright(suite);
  if (!chromium)
    return;
  const server = await suite.step('scripts/serve.py starts', () => serve(site));
  if (!server)
    return;
  try {
    await suite.step('serve.py alone', () => serverChecks(server.url));
    await browserChecks(chromium, server.url);
  } finally {
    const code = await server.stop();
    suite.equal(code, 0, 'serve.py exits 0 on SIGTERM');
  }
}

await suite.step('examples-js', main);
suite.done();
