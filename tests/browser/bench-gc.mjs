// bench-gc.mjs: runs one GC benchmark module (tests/bench/gc/) in V8 inside
// Debian's headless Chromium (playwright-core, as the browser suites do:
// Node 20's V8 predates the final GC encoding). Compiles, instantiates and
// calls the module's run() export in a blank page, then prints one line:
//   <checksum as unsigned 32-bit> <in-page ms> <renderer peak RSS KiB or ->
// The time is performance.now() around compile + instantiate + run() in the
// page (Chromium's start-up is not counted); the RSS is VmHWM of the
// renderer processes under this Node process (Linux /proc; the page's own
// baseline included). Used by scripts/bench-gc.sh.
//
// Usage: node tests/browser/bench-gc.mjs FILE.wasm
import { readFileSync, readdirSync } from 'node:fs';
import { launchChromium, loadPlaywright } from './lib.mjs';

const quiet = { check(ok, what, detail) { if (!ok) console.error(`${what}: ${detail}`); return ok; } };

// The renderer processes descended from pid, and the largest VmHWM among them.
function rendererPeakKiB(pid) {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d))
      continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid))
        kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  let best = null;
  const walk = (p) => {
    for (const c of kids.get(p) || []) {
      try {
        const cmd = readFileSync(`/proc/${c}/cmdline`, 'utf8');
        if (cmd.includes('--type=renderer')) {
          const m = /VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${c}/status`, 'utf8'));
          if (m)
            best = Math.max(best ?? 0, Number(m[1]));
        }
      } catch { /* gone */ }
      walk(c);
    }
  };
  walk(pid);
  return best;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/browser/bench-gc.mjs FILE.wasm');
  process.exit(2);
}
const chromium = await loadPlaywright(quiet);
const browser = chromium && await launchChromium(quiet, chromium);
if (!browser)
  process.exit(2);
try {
  const page = await browser.newPage();
  await page.goto('about:blank');
  const b64 = readFileSync(file).toString('base64');
  const r = await page.evaluate(async (s) => {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++)
      bytes[i] = bin.charCodeAt(i);
    const t0 = performance.now();
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const sum = instance.exports.run() >>> 0;
    return { sum, ms: performance.now() - t0 };
  }, b64);
  const rss = rendererPeakKiB(process.pid);
  console.log(`${r.sum} ${r.ms.toFixed(1)} ${rss ?? '-'}`);
} finally {
  await browser.close();
}
