// v8_exec.mjs: runs a batch of `wasm-opt -ttf` modules under V8, one
// process for the whole batch: `node v8_exec.mjs node LIST` in this Node,
// `node v8_exec.mjs chromium LIST` in one page of headless Chromium (Debian's,
// driven by playwright-core from tests/browser/node_modules, as the browser
// suites launch it). LIST names one module a line; for each, prints
// "##### PATH" and the lines fuzz_host.js's fuzzRun gives (or
// "[v8 error MESSAGE]"), then "##### done" at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = readFileSync(path.join(HERE, 'fuzz_host.js'), 'utf8');
const [engine, list] = process.argv.slice(2);
const modules = readFileSync(list, 'utf8').split('\n').filter(Boolean);

function put(p, r) {
  process.stdout.write(`##### ${p}\n${r.error ? `[v8 error ${r.error}]` : r.out}\n`);
}

if (engine === 'node') {
  vm.runInThisContext(HOST);
  for (const p of modules) {
    let r;
    try { r = await globalThis.fuzzRun(new Uint8Array(readFileSync(p))); } catch (e) { r = { error: String(e) }; }
    put(p, r);
  }
} else {
  const lib = await import('../browser/lib.mjs');
  const shim = { check(ok, what, detail) { if (!ok) console.error(`v8_exec: ${what}: ${detail}`); return ok; } };
  const chromium = await lib.loadPlaywright(shim);
  // binaryen's modules mix legacy and new exception handling, which V8
  // allows only with this flag (binaryen's own fuzzer runs d8 --fuzzing)
  const browser = chromium && await chromium.launch({
    executablePath: lib.CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-extensions', '--disable-background-networking',
      '--js-flags=--wasm-allow-mixed-eh-for-testing'],
    timeout: 30000,
  });
  if (!browser) process.exit(2);
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ content: HOST });
    for (const p of modules) {
      let r;
      try {
        r = await page.evaluate(async (b64) => {
          const s = atob(b64);
          const b = new Uint8Array(s.length);
          for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
          try { return await globalThis.fuzzRun(b); } catch (e) { return { error: String(e) }; }
        }, readFileSync(p).toString('base64'));
      } catch (e) {
        r = { error: String(e.message || e).split('\n')[0] };
      }
      put(p, r);
    }
  } finally {
    await browser.close();
  }
}
process.stdout.write('##### done\n');
