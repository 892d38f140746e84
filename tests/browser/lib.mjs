// lib.mjs: what the browser suites share: counting checks and writing the
// suite's result file, starting scripts/serve.py, and launching Debian's
// Chromium through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = path.resolve(ROOT, process.env.BUILD ||
  (process.env.SANITIZE === '1' ? 'build-asan' : 'build'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DEPS_HINT = 'install it with: bash scripts/deps.sh';

// Counts checks; done() writes "passed failed" to $BUILD/test-results/<suite>.txt.
export class Suite {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
  }

  // One check: ok is a boolean; detail says what was seen when it fails.
  check(ok, what, detail = '') {
    if (ok) {
      this.passed++;
      console.log(`ok   ${what}`);
    } else {
      this.failed++;
      console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
    }
    return ok;
  }

  equal(actual, expected, what) {
    return this.check(actual === expected, what,
      `got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  }

  // Runs fn; an exception it throws is one failure, and the suite goes on.
  async step(what, fn) {
    try {
      return await fn();
    } catch (e) {
      this.check(false, what, e && e.stack ? e.stack.split('\n').slice(0, 4).join('\n') : String(e));
      return undefined;
    }
  }

  done() {
    const dir = path.join(BUILD, 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${this.name}.txt`), `${this.passed} ${this.failed}\n`);
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed ? 1 : 0;
  }
}

// playwright-core from tests/browser/node_modules, or null after one failed check.
export async function loadPlaywright(suite) {
  try {
    return (await import('playwright-core')).chromium;
  } catch (e) {
    suite.check(false, 'playwright-core is installed in tests/browser/node_modules',
      `${e.code || e.message}; ${DEPS_HINT} (it runs npm ci --prefix tests/browser)`);
    return null;
  }
}

// Debian's Chromium, headless; null after one failed check when it is missing.
export async function launchChromium(suite, chromium) {
  if (!suite.check(existsSync(CHROMIUM), `${CHROMIUM} exists`, `missing; ${DEPS_HINT} (Debian package chromium)`))
    return null;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--no-first-run', '--disable-extensions', '--disable-background-networking'],
    timeout: 30000,
  });
}

// Starts `python3 scripts/serve.py DIR` and resolves to { url, stop } once it
// printed its URL.
export function serve(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(ROOT, 'scripts', 'serve.py'), '--quiet', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error('serve.py printed no URL in 10 s')); }, 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0)
        return;
      clearTimeout(timer);
      const url = out.slice(0, nl).trim();
      const stop = () => new Promise((res) => {
        if (child.exitCode !== null)
          return res(child.exitCode);
        child.once('exit', (code, sig) => res(code ?? sig));
        child.kill('SIGTERM');
      });
      resolve({ url, stop, child });
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited ${code} before printing its URL: ${err.trim()}`));
    });
  });
}

// Records what a page logs, throws and requests, for the checks after it loaded.
export function watchPage(page) {
  const seen = { console: [], errors: [], requests: [], responses: [] };
  page.on('console', (m) => {
    seen.console.push({ type: m.type(), text: m.text() });
    if (m.type() === 'error')
      seen.errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => seen.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('response', (r) => seen.responses.push(r));
  return seen;
}

// A path as the user would type it: relative to the repository when inside it.
export function shown(p) {
  const r = path.relative(ROOT, p);
  return r.startsWith('..') ? p : r;
}

export function screenshotPath(name) {
  const dir = path.join(BUILD, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

// Ends the process after ms whatever hangs (a browser, a server), failing the suite.
export function deadline(suite, ms) {
  const t = setTimeout(() => {
    suite.check(false, `the suite finishes within ${ms / 1000} s`);
    suite.done();
    process.exit(1);
  }, ms);
  t.unref();
}

// Every long task (over 50 ms) of a page's main thread into window.__longtasks
// ([start, duration] in ms), from before its first script: page.addInitScript(observeLongTasks).
export function observeLongTasks() {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

// Self time per function (ms) of a Profiler.Profile.
export function selfTimes(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]), c = n.callFrame;
    const key = `${c.functionName || '(anon)'} ${c.url.split('/').pop()}:${c.lineNumber + 1}`;
    self.set(key, (self.get(key) || 0) + (p.timeDeltas[i] || 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}

// Total time per function (ms, its callees included) of a Profiler.Profile.
export function totalTimes(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes)
    for (const c of n.children || [])
      parent.set(c, n.id);
  const total = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const seen = new Set();
    for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const c = byId.get(id).callFrame;
      const key = `${c.functionName || '(anon)'} ${c.url.split('/').pop()}:${c.lineNumber + 1}`;
      if (seen.has(key))
        continue;
      seen.add(key);
      total.set(key, (total.get(key) || 0) + (p.timeDeltas[i] || 0) / 1000);
    }
  }
  return [...total].sort((a, b) => b[1] - a[1]);
}
