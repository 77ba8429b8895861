// Lesson 10 (the quiz game) in headless Chromium: every step taken through the page and checked
// against a twin engine (the same release build, in Node) with a twin client per pane: each
// command's reply as redis-cli prints it, the client it belongs to, that client's pane (its
// commands and the chat messages pushed to it), and the keyspace the inspector shows. The two
// steps the lesson process makes itself are checked too: `sleep(10000)` moves the engine's clock
// (CLOCK.ADVANCE), and `restartRedis()` saves the engine, drops every connection and loads the
// state back, after which the page's clients are connected again (the chat subscriber subscribed
// to its rooms again), the console works, and going back to a step on either side of the restart
// replays to the same panes and keys. No page error, console error or foreign request may occur.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openConsole } from './browser.mjs';
import { loadPlayground } from './load.mjs';
import { playerPage } from './support/player.mjs';

const LESSON = JSON.parse(readFileSync(new URL('../../www/lessons/10-quiz-game.json', import.meta.url), 'utf8'));
const LABELS = LESSON.clients.map((c) => c.label);

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
    text: e.querySelector('.pane-msg-text').textContent,
  })),
})));

const readInspector = () => page.evaluate(() => [...document.querySelectorAll('#inspector-keys details.key')].map((d) => ({
  name: d.dataset.key,
  type: d.querySelector('.type-badge').textContent,
  ttl: d.querySelector('.ttl').textContent.startsWith('TTL ') ? 'ttl' : d.querySelector('.ttl').textContent,
  cells: [...d.querySelectorAll('.key-body td.field, .key-body td.value, .key-body td.score, .key-body .list-items .value, .key-body .set-items .value, .key-body pre.value')]
    .map((x) => x.textContent),
})));

/** The twin engine: a client per pane, the same commands, the same restart. */
class Twin {
  constructor() {
    this.pg = new wasm.Playground();
    this.pg.freeze();
    this.ids = new Map();
    this.labels = new Map();
    this.pushes = new Map();
    this.subscriptions = new Map(); // label -> channels, in the order subscribed
  }

  client(label) {
    if (!this.ids.has(label)) {
      const id = this.pg.openClient(label);
      this.ids.set(label, id);
      this.labels.set(id, label);
    }
    return this.ids.get(label);
  }

  run(label, cli) {
    const text = this.pg.execLine(this.client(label), cli);
    const [command, ...channels] = cli.split(' ');
    if (command === 'SUBSCRIBE') this.subscriptions.set(label, [...(this.subscriptions.get(label) ?? []), ...channels]);
    this.collect();
    return text;
  }

  collect() {
    for (const d of this.pg.takeDeliveries()) {
      if (!d.push) continue;
      const to = this.labels.get(d.client);
      if (!this.pushes.has(to)) this.pushes.set(to, []);
      this.pushes.get(to).push(d.reply);
    }
  }

  /** Redis restarts from its dump; the clients connect again and subscribe again. */
  restart() {
    const bytes = this.pg.saveState();
    for (const id of this.ids.values()) this.pg.closeClient(id);
    const labels = [...this.ids.keys()];
    this.ids.clear();
    assert.deepEqual(this.pg.loadState(bytes), { ok: true });
    for (const label of labels) {
      const channels = this.subscriptions.get(label);
      if (channels?.length) this.pg.exec(this.client(label), ['SUBSCRIBE', ...channels]);
      else this.client(label);
    }
    this.collect();
    return bytes.length;
  }

  inspector() {
    return this.pg.keyspace(0).keys.map((k) => ({
      name: k.name, type: k.type, ttl: k.ttl >= 0 ? 'ttl' : 'no TTL', cells: k.type === 'string' ? [k.preview.text] : k.preview.items,
    }));
  }
}

const shownMessage = (push) => (push[0] === 'message' ? { channel: push[1], text: push[2] } : null);

let walked = null;

test('lesson 10: every step, every pane and the keyspace against a twin engine, through the restart', async () => {
  await openLesson('quiz-game');
  const first = await readPanes();
  assert.deepEqual(first.map((p) => p.label), LABELS);
  const twin = new Twin();
  const steps = [];
  const views = new Map(); // step index -> { panes, keys } as shown then
  for (let guard = 0; guard < 400; guard++) {
    const s = await state();
    if (s.status === 'done') break;
    assert.equal(s.status, 'paused', `the lesson stopped: ${await page.textContent('#error')}`);
    await page.click('#btn-next');
    const now = await settledAfter(s.released);
    assert.equal(now.released, s.released + 1, 'one step at a time');
    const step = await readStep();
    assert.equal(step.index, now.released);
    steps.push(step);
    const where = `step ${step.index} (${step.cli})`;
    assert.ok(step.code && LESSON.code.some((line) => line.trim() === step.code), `${where}: the code line is the lesson's`);
    if (step.kind === 'clock') {
      assert.equal(step.code, 'await sleep(10000);');
      assert.equal(step.cli, 'CLOCK.ADVANCE 10000');
      assert.equal(step.client, 'virtual clock');
      assert.match(step.reply, /^\(integer\) \d{13}$/);
      assert.equal(step.js, 'undefined (10000 ms of virtual time passed)');
      twin.pg.advance(10000);
      twin.pg.tick();
    } else if (step.kind === 'restart') {
      assert.equal(step.code, 'await restartRedis();');
      assert.equal(step.client, 'redis-server');
      const bytes = twin.restart();
      assert.equal(step.reply, `dump saved: ${bytes} bytes · every connection dropped · dump loaded · 2 clients reconnected`);
      assert.equal(step.js, `{ bytes: ${bytes}, clients: 2 }`);
    } else {
      assert.equal(step.kind, 'redis', where);
      assert.ok(LABELS.includes(step.client), `${where}: a declared client (${step.client})`);
      const expected = twin.run(step.client, step.cli);
      assert.equal(step.reply, expected, `${where}: the reply as redis-cli prints it`);
    }
    const panes = await readPanes();
    for (const p of panes) {
      const mine = steps.filter((x) => x.kind === 'redis' && x.client === p.label).map((x) => x.index);
      assert.deepEqual(p.commands.map((c) => c.index), mine, `${where}: the commands in ${p.label}'s pane`);
      assert.deepEqual(p.messages, (twin.pushes.get(p.label) ?? []).map(shownMessage), `${where}: the messages in ${p.label}'s pane`);
    }
    const keys = await readInspector();
    assert.deepEqual(keys, twin.inspector(), `${where}: the keyspace`);
    views.set(step.index, { panes, keys });
  }
  const end = await readStep();
  assert.match(end.finished ?? '', /The program finished after \d+ steps\./);
  assert.equal(await page.locator('#trace li').count(), steps.length, 'the trace lists every step');
  assert.deepEqual(steps.filter((s) => s.kind !== 'redis').map((s) => s.kind), ['clock', 'restart']);

  // The panes at the end: both clients connected again, the subscriber on both rooms.
  const panes = await readPanes();
  const pane = (label) => panes.find((p) => p.label === label);
  assert.equal(pane('chat subscriber').state, 'subscribed');
  assert.equal(pane('chat subscriber').badge, 'subscribed: chat:science, chat:history');
  assert.deepEqual(pane('chat subscriber').commands.map((c) => [c.cli, c.reply]), [
    ['SUBSCRIBE chat:science', '1) "subscribe"\n2) "chat:science"\n3) (integer) 1'],
    ['SUBSCRIBE chat:history', '1) "subscribe"\n2) "chat:history"\n3) (integer) 2'],
  ]);
  assert.deepEqual(pane('chat subscriber').messages.map((m) => m.channel),
    ['chat:science', 'chat:history', 'chat:history', 'chat:history']);
  assert.equal(pane('chat subscriber').messages.at(-1).text, '{"from":"dev","text":"back! what did I miss?"}');
  assert.equal(pane('game server').state, 'connected');
  assert.equal(pane('game server').badge, 'connected · db 0');

  // What the program printed: the refusal, the reconnection, the returning player.
  const logs = await page.locator('#program-output .log').allTextContents();
  const has = (text) => assert.ok(logs.some((l) => l.includes(text)), `the output has ${text}`);
  has("alice 429 { error: 'one answer per 10 seconds', retryAfter: 10 } 10");
  has('redis: Socket closed unexpectedly');
  has('chat: Socket closed unexpectedly');
  has('redis: reconnecting');
  has('chat: reconnecting');
  has("player: 'dev'");
  has("'dev: back! what did I miss?'");
  assert.equal(logs.filter((l) => l.includes('chat: ready')).length, 2, 'ready at the start and after the restart');

  // The console reconnected too, and sees the restored data.
  assert.deepEqual(await typeConsole('ZSCORE quiz:leaderboard dev'), ['127.0.0.1:6379> ZSCORE quiz:leaderboard dev', '"100"']);
  const sessions = await typeConsole('TTL quiz:sess:game-4');
  assert.deepEqual(sessions, ['127.0.0.1:6379> TTL quiz:sess:game-4', '(integer) 3600']);
  assert.deepEqual(await page.locator('#console-client option').allTextContents(), ['console', ...LABELS],
    'the clients offered: the live connections only');
  walked = { steps, views };
});

test('going back to either side of the restart replays to the same panes and keys', async () => {
  assert.ok(walked, 'the walk ran');
  const restart = walked.steps.find((s) => s.kind === 'restart').index;
  for (const target of [restart + 3, restart - 1, restart]) {
    await page.click(`#trace button[data-index="${target}"]`);
    await page.waitForFunction((n) => document.body.dataset.released === String(n) && document.body.dataset.playerStatus === 'paused', target);
    assert.deepEqual(await readPanes(), walked.views.get(target).panes, `panes at step ${target}`);
    assert.deepEqual(await readInspector(), walked.views.get(target).keys, `keys at step ${target}`);
  }
  await page.click('#btn-run');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'done');
  assert.equal(await page.evaluate(() => Number(document.body.dataset.released)), walked.steps.length);
});

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

test('the requests panel plays on as dev: answers (then the limiter), chat through the subscriber, the board', async () => {
  await page.waitForFunction(() => document.querySelector('[data-panel=requests]')?.dataset.ready === 'true');
  let r = await panelRequest('answer q3');
  assert.equal(r.status, '200');
  const first = JSON.parse(r.body);
  assert.equal(first.correct, true);
  assert.equal(first.score, 220);
  assert.deepEqual(r.jar, ['connect.sid']);
  assert.ok(r.commands.includes('SET quiz:cooldown:dev 1 EX 10 NX') && r.commands.includes('ZINCRBY quiz:leaderboard 120 dev'), r.commands.join(' | '));
  r = await panelRequest('answer q3');
  assert.equal(r.status, '429');
  assert.equal(JSON.parse(r.body).error, 'one answer per 10 seconds');
  r = await panelRequest('chat');
  assert.equal(r.status, '200');
  assert.deepEqual(JSON.parse(r.body), { room: 'history', servers: 1 });
  await page.waitForFunction(() => [...document.querySelectorAll('#panes .pane[data-pane="chat subscriber"] .pane-msg-text')]
    .some((m) => m.textContent === '{"from":"dev","text":"gg, everyone"}'));
  r = await panelRequest('leaderboard');
  assert.equal(r.status, '200');
  const board = JSON.parse(r.body);
  assert.equal(board.length, 100);
  assert.ok(board.some((e) => e.value === 'dev' && e.score === 220));
});

test('edited code: a command blocked when Redis restarts fails with the connection, the client carries on', async () => {
  await openLesson('quiz-game');
  const code = [
    "const { createClient } = require('redis');",
    'const worker = createClient();',
    "worker.on('error', (err) => console.log('worker:', err.message));",
    'await worker.connect();',
    "const waiting = worker.blPop('jobs', 0).catch((err) => console.log('blPop:', err.message));",
    'await new Promise((resolve) => setTimeout(resolve, 50)); // BLPOP is sent and waits',
    'await restartRedis();',
    'await waiting;',
    'console.log(await worker.ping());',
  ].join('\n');
  await page.fill('#editor textarea', code);
  await page.click('#btn-rerun');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused');
  await page.click('#btn-run');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'done');
  const trace = await page.locator('#trace li').allTextContents();
  assert.equal(trace.length, 3);
  assert.match(trace[0], /BLPOP jobs 0.*the connection dropped: Socket closed unexpectedly/);
  assert.match(trace[1], /SHUTDOWN SAVE.*1 client reconnected/);
  assert.match(trace[2], /PING.*PONG/);
  const logs = await page.locator('#program-output .log').allTextContents();
  assert.deepEqual(logs.map((l) => l.replace(/^L\d+/, '')), [
    'worker: Socket closed unexpectedly', 'blPop: Socket closed unexpectedly', 'PONG',
  ]);
  const pane = (await readPanes()).find((p) => p.label === 'createClient() #1');
  assert.equal(pane.state, 'connected', 'the pane shows the new connection, and no blocked command');
  assert.deepEqual(pane.commands.map((c) => c.cli), ['BLPOP jobs 0', 'PING']);
  await page.click('#btn-revert');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused');
});

test('no page error, console error, foreign request or dialog', () => {
  assert.deepEqual(ui.problems, []);
});
