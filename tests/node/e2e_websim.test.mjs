// Lessons 7 (sessions) and 8 (rate limiting) in headless Chromium: every step of each lesson is
// taken through the page (each shows its command and reply; each stated output gets the mark the
// player's own comparison gives the real value), then the panels: the request simulator (log in,
// me, the cookie jar, the clock moved past the session's TTL logs the user out, the key leaves
// the inspector), and the rate-limit simulator (a burst, a steady rate, the boundary comparison)
// with its charts. No page error, console error, dialog or foreign request may occur, and markup
// sent in a request stays text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openConsole } from './browser.mjs';
import { loadPlayground } from './load.mjs';
import { playerPage, SETTLED } from './support/player.mjs';

const lessonsDir = new URL('../../www/lessons/', import.meta.url);
const lesson = (file) => JSON.parse(readFileSync(new URL(file, lessonsDir), 'utf8'));
const SESSIONS = lesson('07-sessions.json');
const RATES = lesson('08-rate-limiting.json');
const XSS = '<img src=x onerror=alert(1)>';

let ui;
let page;
const { state, openLesson } = playerPage(() => page);
let wasm;

/**
 * A twin engine (the same release build, in Node, its clock frozen at the page's time) fed the
 * commands the page showed, one redis-cli line each: it must print the replies the page showed
 * (inside MULTI the page shows QUEUED, like the twin), and end with the keys the inspector shows,
 * of the same types.
 */
async function assertTwin(steps, clockMs) {
  const pg = new wasm.Playground();
  pg.setTime(clockMs);
  pg.freeze();
  const clients = new Map();
  for (const s of steps) {
    if (!clients.has(s.client)) clients.set(s.client, pg.openClient(s.client));
    assert.equal(pg.execLine(clients.get(s.client), s.cli), s.reply, s.cli);
  }
  const shown = await page.evaluate(() => [...document.querySelectorAll('#inspector-keys details.key')]
    .map((d) => [d.dataset.key, d.querySelector('.type-badge').textContent]));
  const twin = pg.keyspace(0).keys.map((k) => [k.name, k.type]);
  assert.deepEqual(shown.sort(), twin.sort(), 'the inspector shows the twin\'s keys');
}

/** The page's engine time (its clock is frozen for the whole test). */
const pageClock = () => page.evaluate(() => window.__player.clock.now());

before(async () => {
  wasm = await loadPlayground();
  ui = await openConsole({ viewport: { width: 1280, height: 900 } });
  page = ui.page;
  await page.click('#clock-toggle');
  await page.waitForFunction(() => document.getElementById('clock-mode').textContent === 'paused');
});
after(async () => { await ui?.close(); });

const readStep = () => page.evaluate(() => {
  const box = document.getElementById('step');
  const text = (sel) => box.querySelector(sel)?.textContent ?? null;
  return {
    index: Number(box.dataset.index),
    kind: box.dataset.kind,
    client: box.querySelector('h3')?.textContent.split(' · ').find((x) => x.includes('client') || x.includes('Client')) ?? null,
    code: text('.row.code-line pre.value'),
    js: text('.row.js pre.value'),
    cli: text('.row.cli pre.value'),
    reply: text('.row.reply pre.value'),
    stated: [...box.querySelectorAll('.stated')].map((b) => ({ mark: b.dataset.mark, text: b.querySelector('.stated-text').textContent })),
  };
});

/**
 * Steps through the whole lesson; returns every step as the page showed it. Each step names a
 * line of the lesson's code (the session store's commands, made inside express-session, the line
 * that sent the request), and shows the JS value its call resolved with, but for the commands a
 * MULTI queues (their values come with EXEC's).
 */
async function stepThrough(lessonData) {
  const code = lessonData.code.map((l) => l.trim());
  let queued = false;
  const steps = [];
  let s = await state();
  while (s.status === 'paused') {
    const before = s.released;
    await page.click('#btn-next');
    await page.waitForFunction(([prev, settled]) => {
      const b = document.body.dataset;
      return settled.includes(b.playerStatus) && Number(b.released) > prev;
    }, [before, SETTLED]);
    s = await state();
    const step = await readStep();
    steps.push(step);
    assert.ok(step.code && code.includes(step.code), `step ${step.index} (${step.cli}): the code line ${step.code} is the lesson's`);
    if (step.kind === 'redis') {
      if (step.cli === 'MULTI') queued = true;
      if (!queued) assert.ok(step.js !== null, `step ${step.index} (${step.cli}): the JS value is shown`);
      if (step.cli === 'EXEC') queued = false;
    } else {
      assert.match(step.reply, /^simulated database: \d+\.\d ms$/);
    }
  }
  return { steps, status: s.status };
}

const outputStated = () => page.evaluate(() => [...document.querySelectorAll('#program-output .stated')]
  .map((b) => ({ mark: b.dataset.mark, text: b.querySelector('.stated-text').textContent })));

const keyNames = () => page.evaluate(() => [...document.querySelectorAll('#inspector-keys details.key')].map((d) => d.dataset.key));

async function panelRequest(preset) {
  const count = await page.evaluate(() => Number(document.querySelector('.websim-result')?.dataset.count ?? 0));
  await page.click(`[data-panel=requests] button[data-preset="${preset}"]`);
  await page.waitForFunction((n) => Number(document.querySelector('.websim-result').dataset.count) > n
    && document.querySelector('[data-panel=requests]').dataset.ready === 'true', count);
  return page.evaluate(() => {
    const r = document.querySelector('.websim-result');
    return {
      status: r.dataset.status,
      body: r.querySelector('.websim-response-body')?.textContent ?? null,
      commands: [...r.querySelectorAll('.websim-commands li code')].map((c) => c.textContent),
      jar: [...document.querySelectorAll('.websim-jar .cookie-name')].map((c) => c.textContent),
    };
  });
}

async function advanceClock(amount) {
  await page.fill('#clock-amount', amount);
  await page.press('#clock-amount', 'Enter');
}

test('lesson 7, step by step: every command has its reply, the stated outputs get their marks', async () => {
  await openLesson('sessions', { reset: false });
  const clock = await pageClock();
  await page.waitForSelector('#panels [data-panel=requests]');
  assert.equal(await page.isHidden('#panels'), false, 'the lesson asks for the requests panel');
  assert.equal(await page.getAttribute('[data-panel=requests]', 'data-ready'), 'false', 'not before the program has finished');
  const { steps, status } = await stepThrough(SESSIONS);
  assert.equal(status, 'done');
  const redis = steps.filter((s) => s.kind === 'redis');
  // A command the store sends while a handler runs belongs to the handler's line (the SET and
  // the touch happen when the response ends, the DEL in destroy()); the GET that loads the
  // session, made by the middleware before any handler, to the line that sent the request.
  const lineOf = (re) => [...new Set(redis.filter((s) => re.test(s.cli)).map((s) => s.code))];
  assert.deepEqual(lineOf(/^(SET|EXPIRE|DEL) sess:/), [
    "res.json({ message: 'Logged in', user: { id: user.id, name: user.name } });",
    'res.json({',
    'req.session.destroy((err) => {',
  ]);
  assert.deepEqual(lineOf(/^GET sess:/), [
    'const stored = JSON.parse(await admin.get(keys[0]));',
    "res = await browser.get('/api/me');",
    "res = await browser.post('/api/logout');",
  ]);
  const db = steps.filter((s) => s.kind === 'db');
  assert.equal(redis.length, 12, 'KEYS, SET, KEYS, GET, TTL, GET, EXPIRE, GET, DEL, KEYS, SET, KEYS');
  assert.equal(db.length, 3, 'one user lookup per login attempt');
  for (const s of redis) {
    assert.ok(s.cli && s.reply && s.reply !== '…', JSON.stringify(s));
  }
  const sets = redis.filter((s) => s.cli.startsWith('SET sess:'));
  assert.equal(sets.length, 2);
  for (const s of sets) {
    assert.match(s.cli, /^SET sess:[A-Za-z0-9_-]{32} "\{\\"cookie\\":\{.*\},\\"userId\\":\\"1001\\",\\"role\\":\\"admin\\",\\"loginTime\\":\d+\}" EX 86400$/);
    assert.equal(s.reply, 'OK');
  }
  assert.ok(redis.some((s) => /^EXPIRE sess:.{32} 86400$/.test(s.cli) && s.reply === '(integer) 1'), 'the touch of GET /api/me');
  assert.ok(redis.some((s) => /^DEL sess:.{32}$/.test(s.cli) && s.reply === '(integer) 1'), 'logout');
  await assertTwin(redis, clock);
  const marks = await outputStated();
  assert.deepEqual(marks, [
    { mark: 'equal', text: SESSIONS.stated[0].text },
    { mark: 'different', text: SESSIONS.stated[1].text },
  ]);
  const keys = await keyNames();
  assert.equal(keys.filter((k) => k.startsWith('sess:')).length, 1);
});

test('lesson 7, request panel: me, the cookie jar, the clock past the TTL logs out', async () => {
  await page.waitForFunction(() => document.querySelector('[data-panel=requests]').dataset.ready === 'true');
  const [key] = (await keyNames()).filter((k) => k.startsWith('sess:'));
  let r = await panelRequest('me');
  assert.equal(r.status, '200');
  assert.deepEqual(JSON.parse(r.body).userId, '1001');
  assert.deepEqual(r.commands, [`GET ${key}`, `EXPIRE ${key} 86400`]);
  assert.deepEqual(r.jar, ['connect.sid']);
  // 25 hours later: the key has expired in the engine and the cookie in the browser.
  await advanceClock('25h');
  await page.waitForFunction((k) => ![...document.querySelectorAll('#inspector-keys details.key')].some((d) => d.dataset.key === k), key);
  r = await panelRequest('me');
  assert.equal(r.status, '401');
  assert.deepEqual(JSON.parse(r.body), { message: 'Not authenticated' });
  assert.deepEqual(r.jar, []);
  // Logging in from the panel stores a new session, shown in the inspector.
  r = await panelRequest('log in');
  assert.equal(r.status, '200');
  assert.equal(r.commands.length, 1);
  assert.match(r.commands[0], /^SET sess:[A-Za-z0-9_-]{32} /);
  await page.waitForFunction(() => [...document.querySelectorAll('#inspector-keys details.key')].some((d) => d.dataset.key.startsWith('sess:')));
  r = await panelRequest('log out');
  assert.equal(r.status, '200');
  assert.deepEqual(r.jar, []);
  // Markup in a path stays text (Express's 404 page is shown as its source).
  await page.selectOption('[data-panel=requests] select', 'GET');
  await page.fill('[data-panel=requests] .websim-path', `/${XSS}`);
  const count = await page.evaluate(() => Number(document.querySelector('.websim-result').dataset.count));
  await page.click('[data-panel=requests] .websim-send');
  await page.waitForFunction((n) => Number(document.querySelector('.websim-result').dataset.count) > n, count);
  const body = await page.textContent('.websim-response-body');
  assert.ok(body.includes('<pre>Cannot GET /&lt;img src=x onerror=alert(1)&gt;</pre>'), body);
  assert.equal(await page.locator('.websim-result img').count(), 0);
  assert.deepEqual(ui.problems, []);
});

test('lesson 8, step by step, then the rate-limit simulator and its charts', async () => {
  await openLesson('rate-limiting', { reset: false });
  const clock = await pageClock();
  const { steps, status } = await stepThrough(RATES);
  assert.equal(status, 'done');
  const redis = steps.filter((s) => s.kind === 'redis');
  for (const s of redis) assert.ok(s.cli && s.reply && s.reply !== '…', JSON.stringify(s));
  await assertTwin(redis, clock);
  assert.ok(redis.some((s) => s.cli.startsWith('"RATELIMIT.FIXED"') || s.cli.startsWith('RATELIMIT.FIXED')), 'the engine\'s limiter');
  const throttle = redis.find((s) => /CL\.THROTTLE/.test(s.cli));
  assert.equal(throttle.reply, '1) (integer) 0\n2) (integer) 3\n3) (integer) 2\n4) (integer) -1\n5) (integer) 10');
  const marks = await outputStated();
  assert.deepEqual(marks.map((m) => m.mark), ['equal', 'equal', 'equal']);

  await page.waitForFunction(() => document.querySelector('[data-panel=ratelimit]').dataset.ready === 'true');
  // A burst of 8 on the course's fixed window (5 per 10 s), from a fresh window.
  await advanceClock('1m');
  await page.selectOption('.websim-target', '/demo/fixed');
  await page.selectOption('.websim-pattern', 'burst');
  await page.fill('.websim-count', '8');
  await page.click('.websim-run');
  await page.waitForFunction(() => document.querySelector('[data-chart=single]').dataset.count === '8'
    && document.querySelector('[data-panel=ratelimit]').dataset.ready === 'true');
  let chart = await page.evaluate(() => {
    const box = document.querySelector('[data-chart=single]');
    return {
      allowed: box.dataset.allowed, rejected: box.dataset.rejected, canvas: box.querySelectorAll('canvas').length,
      statuses: [...document.querySelectorAll('.websim-results td.status')].map((t) => t.textContent),
    };
  });
  assert.deepEqual(chart, { allowed: '5', rejected: '3', canvas: 1, statuses: ['200', '200', '200', '200', '200', '429', '429', '429'] });
  // GCRA (a burst of 5, then one per 2 s) at one request per second: the theoretical arrival
  // time gains 2 s per allowed request and the clock 1 s; a request is allowed while it lands at
  // most 10 s ahead (the burst's tolerance): the ninth (t = 8 s, 18 s) is the last in a row, then
  // one in two.
  await page.selectOption('.websim-target', '/demo/gcra');
  await page.selectOption('.websim-pattern', 'steady');
  await page.fill('.websim-count', '15');
  await page.fill('.websim-interval', '1000');
  await page.click('.websim-run');
  await page.waitForFunction(() => document.querySelector('[data-chart=single]').dataset.count === '15'
    && document.querySelector('[data-panel=ratelimit]').dataset.ready === 'true');
  chart = await page.evaluate(() => [...document.querySelectorAll('.websim-results td.status')].map((t) => t.textContent));
  assert.deepEqual(chart, [...Array(9).fill('200'), '429', '200', '429', '200', '429', '200']);
  // The boundary burst, fixed and sliding side by side.
  await page.click('.websim-compare-run');
  await page.waitForFunction(() => document.querySelector('.websim-summary').dataset.right !== undefined);
  const cmp = await page.evaluate(() => ({
    left: document.querySelector('.websim-summary').dataset.left,
    right: document.querySelector('.websim-summary').dataset.right,
    text: document.querySelector('.websim-summary').textContent,
    charts: [...document.querySelectorAll('[data-chart=left] canvas, [data-chart=right] canvas')].length,
    leftAllowed: document.querySelector('[data-chart=left]').dataset.allowed,
    points: document.querySelector('[data-chart=left]').dataset.points,
    rightRejected: document.querySelector('[data-chart=right]').dataset.rejected,
  }));
  assert.deepEqual({ ...cmp, text: undefined }, {
    left: '10', right: '5', text: undefined, charts: 2, leftAllowed: '10', rightRejected: '5', points: '2',
  }, 'one point per instant: 0 s and 1 s');
  assert.match(cmp.text, /fixed window \(course\) allowed 10, sliding window \(course\) allowed 5/);
  assert.deepEqual(ui.problems, []);
});

test('a lesson without panels hides them', async () => {
  await openLesson('hashes', { reset: false });
  assert.equal(await page.isHidden('#panels'), true);
  assert.deepEqual(ui.problems, []);
});
