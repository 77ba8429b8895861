// Opens the served page in the machine's headless Chromium (never a downloaded browser) and
// records everything that must not happen: page errors, console errors, failed requests,
// requests to anything but the page's own server, and dialogs (alert() would mean markup ran).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

const www = fileURLToPath(new URL('../../www/', import.meta.url));
const fakeClient = fileURLToPath(new URL('./support/fake-redis.js', import.meta.url));

/** True while the page runs on the stand-in client (www/redis.js is not there yet). */
export const usingFakeClient = !existsSync(join(www, 'redis.js'));

export async function openConsole({ viewport = null } = {}) {
  const server = await startServer({ root: www, host: '127.0.0.1', port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'redis-playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const problems = [];
  const page = context.pages()[0] ?? (await context.newPage());
  if (viewport) await page.setViewportSize(viewport);
  if (usingFakeClient) {
    // The lesson process imports ./redis.js; until the real client is there, serve the stand-in.
    const body = readFileSync(fakeClient, 'utf8');
    await context.route(`${server.url}redis.js`, (route) => route.fulfill({
      status: 200, contentType: 'text/javascript; charset=utf-8', body,
    }));
  }
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => {
    // A request the page's own navigation cut short (a reload while the lesson process was still
    // loading) is not a failure of the page.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) problems.push(`foreign request: ${r.url()}`); });
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready]');
  const ready = await page.getAttribute('body', 'data-ready');
  if (ready !== 'true') problems.push(`page not ready: ${await page.textContent('#status')}`);

  /** Types a line, presses Enter, returns the output lines it produced (as text). */
  async function type(line) {
    const before = await page.locator('#output .entry').count();
    await page.fill('#input', line);
    await page.press('#input', 'Enter');
    await page.waitForFunction(
      (n) => document.querySelectorAll('#output .entry').length > n, before);
    const texts = await page.locator('#output .entry').allTextContents();
    return texts.slice(before);
  }

  async function close() {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { page, type, problems, close, server };
}
