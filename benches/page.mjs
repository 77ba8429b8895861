// The lesson page's own figures, in the machine's headless Chromium against the page served on
// loopback (run scripts/serve.sh's build first: www/pkg and www/vendor must exist):
//
//   node benches/page.mjs [navigations=10] [steps=30]
//
// - interactive: from navigation start to the first lesson paused before its first step with
//   the console enabled (the page's `player-ready` mark): first visits (each in a new browser
//   profile, nothing cached) and return visits (the same profile: every file revalidated with a
//   304, and the browser's cache of the engine's compiled code used);
// - step: from a click on Next to the step drawn (the worker runs the command, reports, the page
//   renders), measured in the page, clicked back to back right after start-up and then as a
//   reader clicks (a settled page, 150 ms between clicks), over the steps of lesson 1 (its database query, which waits
//   its simulated latency on purpose, left out);
// - the size of the WebAssembly module, raw and gzipped.
// Targets: interactive within 200 ms, a step within 16 ms, the module within 150 KB gzipped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/static-server.mjs';

const NAVIGATIONS = Number(process.argv[2] ?? 10);
const STEPS = Number(process.argv[3] ?? 30);
const SETTLE_MS = 2500;
const www = fileURLToPath(new URL('../www/', import.meta.url));
const fakeClient = fileURLToPath(new URL('../tests/node/support/fake-redis.js', import.meta.url));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { best: s[0], median: q(0.5), p90: q(0.9), worst: s[s.length - 1] };
};
const ms = (x) => `${x.toFixed(1)} ms`;
const line = (name, st, target) => console.log(`${name.padEnd(16)} best ${ms(st.best)}  median ${ms(st.median)}  p90 ${ms(st.p90)}  worst ${ms(st.worst)}${target ? `  (target ${target})` : ''}`);

const wasmFile = join(www, 'pkg', 'redis_playground_bg.wasm');
if (!existsSync(wasmFile) || !existsSync(join(www, 'vendor', 'prism.js'))) {
  console.error('www/pkg or www/vendor is missing: build first (scripts/serve.sh or scripts/test.sh)');
  process.exit(1);
}

const server = await startServer({ root: www, host: '127.0.0.1', port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const client = !existsSync(join(www, 'redis.js'));
const errors = [];

/** A new browser profile (empty HTTP cache), with the stand-in client routed if needed. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (client) {
    const body = readFileSync(fakeClient, 'utf8');
    await context.route(`${server.url}redis.js`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // A new headless window of this Chromium loads the browser's own omnibox popup (a WebUI page,
  // chrome://omnibox-popup.top-chrome) in a renderer of its own: about 1.5 s of CPU, on both
  // cores, starting with the window. A reader's browser did that long before they typed the
  // address; here it would land on the page's own start-up. So the window is left to settle
  // before the navigation is timed.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return { context, page };
}

async function interactiveAfter(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('player-ready').length > 0, null, { timeout: 20000 });
  return page.evaluate(() => performance.getEntriesByName('player-ready')[0].startTime);
}

try {
  // First visits: each in a new profile, nothing cached.
  const cold = [];
  for (let i = 0; i < NAVIGATIONS + 1; i++) {
    const { context, page } = await freshPage();
    const t = await interactiveAfter(page, `${server.url}?cold=${i}`);
    if (i > 0) cold.push(t); // the first one warms the browser itself
    await context.close();
  }
  // Return visits: one profile, the files revalidated (304) and the engine's compiled code reused.
  const { page } = await freshPage();
  const interactive = [];
  for (let i = 0; i < NAVIGATIONS + 1; i++) {
    const t = await interactiveAfter(page, `${server.url}?run=${i}`);
    if (i > 0) interactive.push(t);
  }

  // Steps: the lesson's first STEPS steps, clicked back to back as soon as the page is
  // interactive (while the browser still optimises the engine's code in the background), then
  // again as a reader clicks them (the page left a second to settle, 150 ms between clicks).
  const walk = (gap) => page.evaluate(async ([n, pause]) => {
    const times = [];
    const next = document.getElementById('btn-next');
    for (let i = 0; i < n; i++) {
      if (document.body.dataset.playerStatus !== 'paused') break;
      if (pause) await new Promise((r) => { setTimeout(r, pause); });
      const target = String(Number(document.body.dataset.released) + 1);
      const t0 = performance.now();
      await new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const b = document.body.dataset;
          if (b.released === target && b.playerStatus !== 'running') {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { attributes: true });
        next.click();
      });
      // A database step waits its simulated latency on purpose: not a cost of the page.
      if (document.getElementById('step').dataset.kind !== 'db') times.push(performance.now() - t0);
    }
    return times;
  }, [STEPS, gap]);
  const steps = await walk(0);
  await page.click('#btn-reset');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
  await page.waitForTimeout(1000);
  const readerSteps = await walk(150);

  const wasm = readFileSync(wasmFile);
  const load = (await import('node:os')).loadavg()[0];
  console.log(`page benchmark (${client ? 'stand-in client' : 'www/redis.js'}; ${NAVIGATIONS} navigations, ${steps.length} steps; load average ${load.toFixed(2)} on ${(await import('node:os')).cpus().length} cores)`);
  line('first visit', stats(cold), '200 ms');
  line('return visit', stats(interactive), '200 ms');
  line('step, at once', stats(steps), '16 ms');
  line('step, reader', stats(readerSteps), '16 ms');
  console.log(`${'wasm'.padEnd(14)} ${(wasm.length / 1024).toFixed(1)} KB raw, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(1)} KB gzipped (target 150 KB gzipped)`);
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  await server.close();
}
