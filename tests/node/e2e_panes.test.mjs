// The lessons with several clients (5 Pub/Sub, 6 Transactions, 9 Combining features) in headless
// Chromium, every step taken through the page and checked against a twin engine (the same release
// build, in Node) where each of the page's clients has a twin client of its own: the reply as
// redis-cli prints it, the client the step belongs to, that client's pane (its commands with
// their replies, in order, and the messages pushed to it, as they are published), the keyspace
// of every database the lesson uses, and each stated-output mark recomputed from the real value.
// Then a blocked client's pane (waiting, its time left on the virtual clock, served, timed out),
// going back, and the phone layout. No page error, console error or foreign request may occur.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { openConsole } from './browser.mjs';
import { loadPlayground } from './load.mjs';
import { playerPage } from './support/player.mjs';

const lessonsDir = new URL('../../www/lessons/', import.meta.url);
const LESSONS = JSON.parse(readFileSync(new URL('index.json', lessonsDir), 'utf8')).lessons
  .map(({ file }) => JSON.parse(readFileSync(new URL(file, lessonsDir), 'utf8')))
  .filter((lesson) => [5, 6, 9].includes(lesson.number));

let ui;
let page;
const { state, readStep, settledAfter, openLesson, typeConsole, freezeClock } = playerPage(() => page);
let wasm;

before(async () => {
  wasm = await loadPlayground();
  ui = await openConsole({ viewport: { width: 1280, height: 900 } });
  page = ui.page;
  await freezeClock();
});
after(async () => { await ui?.close(); });

// ---------------------------------------------------------------------------------------------
// Reading the page
// ---------------------------------------------------------------------------------------------

/** Every pane as shown: its state, database, commands (index, command, reply) and messages. */
const readPanes = () => page.evaluate(() => [...document.querySelectorAll('#panes .pane')].map((p) => ({
  label: p.dataset.pane,
  state: p.dataset.state,
  db: p.dataset.db,
  badge: p.querySelector('.pane-state').textContent,
  commands: [...p.querySelectorAll('.pane-entry[data-kind="command"]')].map((e) => ({
    index: Number(e.dataset.index), cli: e.querySelector('.pane-cli').textContent,
    reply: e.querySelector('.pane-reply')?.textContent ?? null,
  })),
  messages: [...p.querySelectorAll('.pane-entry[data-kind="message"]')].map((e) => ({
    channel: e.querySelector('.pane-msg-channel')?.textContent ?? null,
    pattern: e.querySelector('.pane-msg-pattern')?.textContent ?? null,
    text: e.querySelector('.pane-msg-text').textContent,
  })),
  waiting: p.querySelector('.pane-waiting')?.textContent ?? null,
})));

const readInspector = () => page.evaluate(() => [...document.querySelectorAll('#inspector-keys details.key')].map((d) => ({
  name: d.dataset.key,
  type: d.querySelector('.type-badge').textContent,
  ttl: d.querySelector('.ttl').textContent,
  cells: [...d.querySelectorAll('.key-body td.field, .key-body td.value, .key-body td.score, .key-body .list-items .value, .key-body .set-items .value, .key-body pre.value')]
    .map((x) => x.textContent),
})));

// ---------------------------------------------------------------------------------------------
// The twin engine: one twin client per client of the page
// ---------------------------------------------------------------------------------------------

class Twin {
  constructor() {
    this.pg = new wasm.Playground();
    this.pg.freeze();
    this.ids = new Map(); // label -> twin client id
    this.labels = new Map(); // twin client id -> label
    this.pushes = new Map(); // label -> messages pushed to it so far
  }

  /** The twin of the page's client `label`, in the database its pane shows. */
  client(label, db) {
    if (!this.ids.has(label)) {
      const id = this.pg.openClient(label);
      if (db > 0) this.pg.exec(id, ['SELECT', String(db)]);
      this.ids.set(label, id);
      this.labels.set(id, label);
    }
    return this.ids.get(label);
  }

  run(label, db, cli) {
    const text = this.pg.execLine(this.client(label, db), cli);
    for (const d of this.pg.takeDeliveries()) {
      if (!d.push) continue;
      const to = this.labels.get(d.client);
      if (!this.pushes.has(to)) this.pushes.set(to, []);
      this.pushes.get(to).push(d.reply);
    }
    return text;
  }

  keys(db) {
    return new Map(this.pg.keyspace(db).keys.map((k) => [k.name, k]));
  }
}

const ANYTHING = '\u2026';
function matches(expect, real) {
  if (expect === ANYTHING) return true;
  if (Array.isArray(expect)) return Array.isArray(real) && real.length === expect.length && expect.every((e, i) => matches(e, real[i]));
  if (expect && typeof expect === 'object') {
    return real !== null && typeof real === 'object' && !Array.isArray(real)
      && isDeepStrictEqual(Object.keys(expect).sort(), Object.keys(real).sort())
      && Object.keys(expect).every((k) => matches(expect[k], real[k]));
  }
  return isDeepStrictEqual(expect, real);
}

function expectedMark(entry, real) {
  const mode = entry.compare ?? 'deep';
  if (mode === 'oneOf') return entry.expect.some((e) => matches(e, real)) ? 'equal' : 'different';
  if (mode === 'prefix') return Array.isArray(real) && matches(entry.expect, real.slice(0, entry.expect.length)) ? 'equal' : 'different';
  return matches(entry.expect, real) ? 'equal' : 'different';
}

function checkStated(lesson, blocks, seen) {
  for (const block of blocks) {
    const entry = lesson.stated.find((s) => s.text === block.text);
    assert.ok(entry, `a stated output the lesson does not have: ${block.text}`);
    assert.equal(block.mark, expectedMark(entry, JSON.parse(block.real)), `mark of ${block.text} (real ${block.real})`);
    seen.set(entry.text, block.mark);
  }
}

async function checkInspector(twin, db, context) {
  const shown = await readInspector();
  const keys = twin.keys(db);
  assert.deepEqual(shown.map((k) => k.name), [...keys.keys()], `${context}: the keys of db ${db}`);
  for (const card of shown) {
    const k = keys.get(card.name);
    assert.equal(card.type, k.type, `${context}: type of ${card.name}`);
    assert.deepEqual(card.cells, k.type === 'string' ? [k.preview.text] : k.preview.items, `${context}: contents of ${card.name}`);
    if (k.ttl >= 0) assert.match(card.ttl, /^TTL /, `${context}: TTL of ${card.name}`);
    else assert.equal(card.ttl, 'no TTL', `${context}: no TTL on ${card.name}`);
  }
}

/** What a pane shows of a pushed message, from the twin's raw push. */
function shownMessage(push) {
  if (push[0] === 'message') return { channel: push[1], pattern: null, text: push[2] };
  if (push[0] === 'pmessage') return { channel: push[2], pattern: push[1], text: push[3] };
  return null;
}

/**
 * Takes every step of the lesson open in the page against the twin, checking the step and the
 * panes after each. Returns the steps and the stated outputs seen.
 */
async function walk(lesson) {
  const twin = new Twin();
  const seen = new Map();
  const steps = [];
  const declared = lesson.clients.filter((c) => c.at).map((c) => c.label);
  for (let guard = 0; guard < 500; guard++) {
    const s = await state();
    if (s.status === 'done') break;
    assert.notEqual(s.status, 'error', `lesson ${lesson.id} failed: ${await page.textContent('#error')}`);
    assert.equal(s.status, 'paused');
    await page.click('#btn-next');
    const now = await settledAfter(s.released);
    assert.equal(now.released, s.released + 1, 'one step at a time');
    const step = await readStep();
    assert.equal(step.index, now.released);
    steps.push(step);
    const where = `lesson ${lesson.id}, step ${step.index} (${step.cli ?? step.code})`;
    assert.ok(step.code && lesson.code.some((line) => line.trim() === step.code), `${where}: the code line is the lesson's`);
    const panes = await readPanes();
    assert.deepEqual(panes.slice(0, declared.length).map((p) => p.label), declared, `${where}: a pane per declared client, in order`);
    if (step.kind === 'db') {
      checkStated(lesson, step.stated, seen);
      continue;
    }
    assert.ok(declared.includes(step.client), `${where}: the step names a declared client (${step.client})`);
    const pane = panes.find((p) => p.label === step.client);
    const expected = twin.run(step.client, Number(pane.db), step.cli);
    assert.equal(step.reply, expected, `${where}: the reply as redis-cli prints it`);
    // MULTI and the commands it queues resolve nothing of their own: exec() gives the values.
    const queued = step.cli === 'MULTI' || expected === 'QUEUED';
    assert.equal(step.js !== null, !queued, `${where}: the JS value is shown (for exec(), not for MULTI and what it queues)`);
    if (step.cli === 'EXEC' && expected === '(nil)') {
      assert.equal(step.js, 'Promise rejected: Error: One (or more) of the watched keys has been changed', `${where}: exec() rejects`);
    }
    // The client's pane ends with this command and its reply.
    assert.deepEqual(pane.commands.at(-1), { index: step.index, cli: step.cli, reply: expected }, `${where}: in ${step.client}'s pane`);
    // Every pane: exactly its client's commands, and the messages pushed to it so far.
    for (const p of panes) {
      const mine = steps.filter((x) => x.kind === 'redis' && x.client === p.label).map((x) => x.index);
      assert.deepEqual(p.commands.map((c) => c.index), mine, `${where}: the commands in ${p.label}'s pane`);
      assert.deepEqual(p.messages, (twin.pushes.get(p.label) ?? []).map(shownMessage), `${where}: the messages in ${p.label}'s pane`);
      if (p.messages.length) assert.equal(p.state, 'subscribed', `${where}: ${p.label} is subscribed`);
    }
    await checkInspector(twin, 0, where);
    checkStated(lesson, step.stated, seen);
    const logs = await page.evaluate((i) => [...document.querySelectorAll(`#program-output .log[data-after="${i}"] .stated`)]
      .map((b) => ({ mark: b.dataset.mark, real: b.dataset.real ?? null, text: b.querySelector('.stated-text').textContent })), step.index);
    checkStated(lesson, logs, seen);
  }
  const end = await readStep();
  assert.match(end.finished ?? '', /The program finished after \d+ steps?\./);
  const finalLogs = await page.evaluate(() => [...document.querySelectorAll('#program-output .stated')]
    .map((b) => ({ mark: b.dataset.mark, real: b.dataset.real ?? null, text: b.querySelector('.stated-text').textContent })));
  checkStated(lesson, finalLogs, seen);
  for (const entry of lesson.stated) assert.ok(seen.has(entry.text), `lesson ${lesson.id}: stated output ${entry.text} was shown`);
  assert.equal(await page.locator('#trace li').count(), (await state()).released, 'the trace lists every step');
  // Every database the lesson's clients used, as the inspector shows it.
  const dbs = new Set([0, ...(await readPanes()).map((p) => Number(p.db || 0))]);
  for (const db of dbs) {
    await page.selectOption('#inspector-db', String(db));
    await page.waitForFunction((d) => document.getElementById('inspector-db').value === d, String(db));
    await page.waitForFunction(([d, n]) => document.querySelectorAll('#inspector-keys details.key').length === n
      && document.getElementById('inspector-db').value === d, [String(db), twin.keys(db).size]);
    await checkInspector(twin, db, `lesson ${lesson.id}, at the end`);
  }
  await page.selectOption('#inspector-db', '0');
  return { steps, seen, twin, logs: await page.locator('#program-output .log').allTextContents() };
}

// ---------------------------------------------------------------------------------------------
// The lessons, step by step
// ---------------------------------------------------------------------------------------------

test('lessons 5, 6 and 9 declare their clients, each with a pane', () => {
  assert.deepEqual(LESSONS.map((l) => l.number), [5, 6, 9]);
  for (const lesson of LESSONS) assert.ok(lesson.clients.length >= 2 && lesson.clients.every((c) => c.at), lesson.id);
});

for (const lesson of LESSONS) {
  test(`lesson ${lesson.number} (${lesson.title}): every step and every pane against a twin engine`, async () => {
    await openLesson(lesson.id);
    // Before the first step: a pane per declared client, empty; only the clients the code
    // connected before its first command are connected, the others are not yet.
    const first = await readPanes();
    assert.deepEqual(first.map((p) => p.label), lesson.clients.filter((c) => c.at).map((c) => c.label));
    assert.ok(first.every((p) => p.commands.length === 0 && p.messages.length === 0));
    assert.ok(first.every((p) => ['idle', 'connected'].includes(p.state)) && first.some((p) => p.state === 'idle'));
    const { steps, seen, logs } = await walk(lesson);
    const panes = await readPanes();
    const pane = (label) => panes.find((p) => p.label === label);
    if (lesson.id === 'pubsub') {
      assert.equal(pane('subscriber').badge, 'subscribed: orders, notifications, events:*');
      assert.deepEqual(pane('subscriber').messages.map((m) => [m.channel, m.pattern]),
        [['orders', null], ['notifications', null], ['events:user-signup', 'events:*']]);
      const refused = pane('subscriber').commands.find((c) => c.cli === 'GET orders:last');
      assert.equal(refused.reply, "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
      assert.ok(logs.some((l) => l.includes("ERR Can't execute 'get'")), 'the program prints the error');
      for (const server of ['server 1', 'server 2']) {
        assert.equal(pane(`${server} · listener`).badge, 'subscribed: cache-invalidation');
        assert.equal(pane(`${server} · listener`).messages.length, 1);
        assert.equal(pane(`${server} · cache`).db, server.endsWith('1') ? '1' : '2');
        assert.deepEqual(pane(`${server} · cache`).commands.filter((c) => c.cli.startsWith('SCAN')).map((c) => c.cli),
          ['SCAN 0 MATCH products:all:* COUNT 100']);
        assert.equal(pane(`${server} · cache`).commands.at(-1).reply, '(empty array)', `${server}'s cache is empty at the end`);
      }
      assert.ok(logs.some((l) => l.startsWith('L') && l.includes('server 2Cache invalidation event: product-updated')), 'the listener of server 2 printed, marked with its server');
      assert.equal(seen.get('Message published to "orders" channel'), 'equal');
    }
    if (lesson.id === 'transactions') {
      assert.equal(seen.get('["OK", "OK", 400, 400]'), 'equal');
      assert.equal(seen.get('Transaction conflict, please retry'), 'different', 'node-redis v4 rejects with WatchError');
      assert.ok(logs.some((l) => l.includes('One (or more) of the watched keys has been changed')));
      // Client B's change lands between client A's WATCH and EXEC, and that EXEC answers nil.
      const a = pane('client A').commands;
      const b = pane('client B').commands;
      assert.deepEqual(b.map((c) => c.cli), ['HINCRBY wallet:alice balance -10', 'HINCRBY wallet:alice balance -10']);
      const watch = a.find((c) => c.cli === 'WATCH wallet:alice');
      const exec = a.find((c) => c.cli === 'EXEC' && c.index > b[0].index);
      assert.ok(watch.index < b[0].index && b[0].index < exec.index);
      assert.equal(exec.reply, '(nil)');
      assert.equal(a.filter((c) => c.cli === 'EXEC').at(-1).reply, '1) (integer) 25\n2) (integer) 75', 'the retry commits');
      assert.ok(logs.some((l) => l.includes('attempt 1: One (or more) of the watched keys has been changed; retrying')));
    }
    if (lesson.id === 'combined') {
      assert.equal(seen.get('Redis initialized with Pub/Sub listener'), 'equal');
      assert.equal(pane('admin').commands[0].reply, '(integer) 2');
      for (const server of ['server 1', 'server 2']) {
        assert.equal(pane(`${server} · subscriber`).messages.length, 1);
        assert.ok(pane(`${server} · client`).commands.some((c) => c.cli === 'DEL product:42 page:/products/42' && c.reply === '(integer) 2'));
      }
      assert.ok(logs.some((l) => l.includes('cached keys left: server 1 0, server 2 0')));
    }
    assert.ok(steps.length >= 10, `lesson ${lesson.id} has real steps (${steps.length})`);
  });
}

// ---------------------------------------------------------------------------------------------
// Around the panes
// ---------------------------------------------------------------------------------------------

test("a blocked client's pane waits with its time left on the virtual clock, until served or timed out", async () => {
  await openLesson('transactions');
  const code = [
    "const { createClient } = require('redis');",
    'const clientB = createClient();',
    'await clientB.connect();',
    "console.log(await clientB.blPop('jobs', 30));",
    "console.log(await clientB.blPop('jobs', 5));",
    'await clientB.quit();',
  ].join('\n');
  await page.fill('#editor textarea', code);
  await page.click('#btn-rerun');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused');
  await page.click('#btn-run');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'blocked');
  const paneB = '#panes .pane[data-pane="client B"]';
  assert.deepEqual(await page.locator('#console-client option').allTextContents(), ['console', 'client B']);
  await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.state === 'blocked', paneB);
  assert.equal(await page.textContent(`${paneB} .pane-state`), 'blocked');
  assert.equal(await page.textContent(`${paneB} .pane-waiting .left`), "— 30.0 s left on the engine's clock");
  await page.click('[data-advance="10000"]');
  await page.waitForFunction((sel) => document.querySelector(`${sel} .pane-waiting .left`)?.textContent.startsWith('— 20.0 s'), paneB);
  // Served by another client (the console): the pane shows the late reply.
  const out = await typeConsole('RPUSH jobs job-1');
  assert.equal(out[1], '(integer) 1');
  await page.waitForFunction((sel) => document.querySelector(`${sel} .pane-entry[data-kind="command"] .pane-reply`)?.textContent === '1) "jobs"\n2) "job-1"', paneB);
  // The second BLPOP waits 5 s and times out when the clock passes them.
  await page.waitForFunction((sel) => document.querySelector(`${sel} .pane-waiting .left`)?.textContent.startsWith('— 5.0 s'), paneB);
  await page.click('[data-advance="1000"]');
  await page.waitForFunction((sel) => document.querySelector(`${sel} .pane-waiting .left`)?.textContent.startsWith('— 4.0 s'), paneB);
  await page.fill('#clock-amount', '4s');
  await page.click('#clock-form button');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'done');
  const pane = (await readPanes()).find((p) => p.label === 'client B');
  assert.deepEqual(pane.commands.map((c) => [c.cli, c.reply]), [['BLPOP jobs 30', '1) "jobs"\n2) "job-1"'], ['BLPOP jobs 5', '(nil)'], ['QUIT', 'OK']]);
  assert.equal(pane.waiting, null);
  assert.equal(pane.state, 'closed');
  assert.equal(pane.badge, 'closed');
  assert.deepEqual(await page.locator('#console-client option').allTextContents(), ['console'], 'a closed client is not offered');
  // Client A was never connected by this code: its pane says so.
  assert.equal((await readPanes()).find((p) => p.label === 'client A').state, 'idle');
  await page.click('#btn-revert');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused');
});

test('Previous replays the run: the panes show the same as before', async () => {
  await openLesson('pubsub');
  const seen = [];
  for (let i = 0; i < 7; i++) {
    const s = await state();
    await page.click('#btn-next');
    await settledAfter(s.released);
    seen.push(await readPanes());
  }
  assert.equal(seen[6].find((p) => p.label === 'subscriber').messages.length, 3);
  await page.click('#btn-prev');
  await page.waitForFunction(() => document.body.dataset.released === '6' && document.body.dataset.playerStatus === 'paused');
  assert.deepEqual(await readPanes(), seen[5]);
  await page.click('#trace button[data-index="4"]');
  await page.waitForFunction(() => document.body.dataset.released === '4' && document.body.dataset.playerStatus === 'paused');
  assert.deepEqual(await readPanes(), seen[3]);
});

test('the one-client lessons show no panes', async () => {
  await openLesson('hashes');
  assert.equal(await page.locator('#panes').isHidden(), true);
  await page.click('#btn-next');
  await settledAfter(0);
  assert.equal(await page.locator('#panes .pane').count(), 0);
});

test('usable at 375 px: the panes stack, nothing scrolls sideways', async () => {
  const phone = await openConsole({ viewport: { width: 375, height: 740 } });
  try {
    const p = phone.page;
    await p.evaluate(() => { window.location.hash = 'pubsub'; });
    await p.waitForFunction(() => document.body.dataset.lesson === 'pubsub' && document.body.dataset.playerStatus === 'paused');
    await p.click('#btn-run');
    await p.waitForFunction(() => document.body.dataset.playerStatus === 'done');
    const layout = await p.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      view: window.innerWidth,
      panes: [...document.querySelectorAll('#panes .pane')].map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, width: r.width }; }),
    }));
    assert.ok(layout.doc <= layout.view, `page width ${layout.doc} > ${layout.view}`);
    assert.equal(layout.panes.length, 6);
    // One column: every pane starts at the same left edge, each below the one before.
    assert.ok(layout.panes.every((r) => Math.abs(r.left - layout.panes[0].left) < 1));
    assert.ok(layout.panes.every((r, i) => i === 0 || r.top > layout.panes[i - 1].top));
    assert.ok(layout.panes.every((r) => r.width <= layout.view));
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});

test('on a desktop the panes sit side by side', async () => {
  await openLesson('transactions');
  const boxes = await page.evaluate(() => [...document.querySelectorAll('#panes .pane')].map((e) => e.getBoundingClientRect().toJSON()));
  assert.equal(boxes.length, 2);
  assert.equal(Math.round(boxes[0].top), Math.round(boxes[1].top));
  assert.ok(boxes[1].left > boxes[0].left + boxes[0].width - 1);
});

test('no page error, console error, foreign request or dialog', () => {
  assert.deepEqual(ui.problems, []);
});
