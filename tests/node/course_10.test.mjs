// Lesson 10, the closing challenge (a multiplayer quiz game backend), and what it needs from the
// lesson process: the model solution run in Node against the in-page node-redis client
// (www/redis.js) on the release engine, with the page's simulated web stack (www/websim/) on the
// engine's virtual clock, `sleep(ms)` moving that clock and `restartRedis()` being redis.js's
// `restartServer` (the lesson process adds only the steps around them).
//
// Checked: the leaderboard's order and every rank the app answers, against the order computed
// here from the scores; the limiter refusing an early answer (429, Retry-After) and accepting one
// 10 s of virtual time later; the chat reaching the players of its room only; sessions, scores
// and cooldowns surviving the restart, the clients reconnecting as node-redis does (events,
// database, subscriptions, commands queued meanwhile); the player who disconnects and reconnects
// keeping session and score; and two runs giving the same keyspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadPlayground } from './load.mjs';
import { readLesson, runLesson, webWorld } from './support/lesson-run.mjs';
import { createHttpBrowser } from './support/http-browser.mjs';
import {
  createClient, getSession, restartServer, SocketClosedUnexpectedlyError,
} from '../../www/redis.js';

const { Playground } = await loadPlayground();
const LESSON = readLesson('10-quiz-game.json');
const T0 = Date.UTC(2026, 0, 1, 20, 0, 0);

/** A fresh engine on a frozen clock, with the web stack and a Date on that clock. */
const world = () => webWorld(Playground, { at: T0, env: LESSON.env });

/** Runs the lesson with `sleep` and `restartRedis` as the lesson process gives them. */
async function runQuiz(w, web = w.websim.modules) {
  const restarts = [];
  globalThis.sleep = async (ms) => {
    getSession(w.pg).advance(ms);
    await new Promise((resolve) => { setTimeout(resolve, 0); });
  };
  globalThis.restartRedis = async () => {
    const keysBefore = w.cli('DBSIZE');
    const result = await restartServer(w.pg, {
      whileDown: () => restarts.push({ keysBefore, connected: w.cli('CLIENT', 'LIST').split('\n').filter(Boolean).length }),
    });
    restarts.at(-1).keysAfter = w.cli('DBSIZE');
    restarts.at(-1).result = result;
    return result;
  };
  try {
    const run = await runLesson(LESSON, { pg: w.pg, web, Date: w.Date });
    return { ...run, restarts };
  } finally {
    delete globalThis.sleep;
    delete globalThis.restartRedis;
  }
}

/** The logged line whose first argument is `first` (the n-th one). */
const logged = (logs, first, n = 0) => logs.filter((l) => l[0] === first)[n];

/** The board's order as Redis keeps it: score descending, equal scores by member descending. */
function boardOrder(entries) {
  return [...entries].sort((a, b) => b.score - a.score || (a.value < b.value ? 1 : a.value > b.value ? -1 : 0));
}

test('lesson 10 is listed, its clients and notes are anchored to its code', () => {
  const index = JSON.parse(readFileSync(new URL('../../www/lessons/index.json', import.meta.url), 'utf8'));
  assert.equal(index.lessons.at(-1).file, '10-quiz-game.json');
  assert.equal(LESSON.number, 10);
  assert.equal(LESSON.id, 'quiz-game');
  assert.ok(LESSON.prose.some((p) => p.includes('sorted set')) && LESSON.prose.some((p) => p.includes('NX EX 10')));
  for (const c of LESSON.clients) {
    assert.equal(LESSON.code.filter((l) => l.includes(c.at)).length, 1, `client ${c.label}: one creating line`);
  }
  for (const n of LESSON.notes) assert.ok(LESSON.code.some((l) => l.includes(n.at)), `note anchored: ${n.at}`);
  // Nothing random reaches Redis: the session ids come from genid.
  const code = LESSON.code.join('\n');
  assert.doesNotMatch(code, /Math\.random|randomUUID|getRandomValues/);
  assert.match(code, /genid:/);
});

test('lesson 10: leaderboard, limiter, chat, restart and reconnection, as the model solution runs', async () => {
  const w = world();
  const run = await runQuiz(w);
  try {
    assert.deepEqual(w.errors, []);
    const { logs, sent } = run;

    // (1) The leaderboard: every rank the app answered is the rank in the order Redis keeps.
    const bots = Array.from({ length: 150 }, (_, i) => ({ score: (i * 37) % 400, value: `bot${i + 1}` }));
    const rankIn = (entries, name) => boardOrder(entries).findIndex((e) => e.value === name) + 1;
    const board = (scores) => [...bots, ...Object.entries(scores).map(([value, score]) => ({ value, score }))];
    let scores = { alice: 0, bob: 0, chloe: 0, dev: 0 };
    const [, aliceStatus, alice1] = logged(logs, 'alice', 0);
    scores.alice = 100;
    assert.equal(aliceStatus, 200);
    assert.deepEqual(alice1, { correct: true, score: 100, rank: rankIn(board(scores), 'alice') });
    assert.ok(alice1.rank > 100, 'alice starts outside the top 100');
    const [, bobStatus, bob1] = logged(logs, 'bob');
    assert.equal(bobStatus, 200);
    assert.deepEqual(bob1, { correct: false, score: 0, rank: rankIn(board(scores), 'bob') });
    const [, , dev1] = logged(logs, 'dev');
    scores.dev = 100;
    assert.deepEqual(dev1, { correct: true, score: 100, rank: rankIn(board(scores), 'dev') });
    assert.equal(dev1.rank, alice1.rank - 1, 'equal scores: dev before alice (members in reverse order)');

    // (2) The limiter: refused at once, with the time left; accepted 10 s (virtual) later.
    const [, refusedStatus, refused, retryAfter] = logged(logs, 'alice', 1);
    assert.equal(refusedStatus, 429);
    assert.deepEqual(refused, { error: 'one answer per 10 seconds', retryAfter: 10 });
    assert.equal(retryAfter, '10');
    const [, laterStatus, later] = logged(logs, 'alice', 2);
    scores.alice = 250;
    assert.equal(laterStatus, 200);
    assert.deepEqual(later, { correct: true, score: 250, rank: rankIn(board(scores), 'alice') });
    assert.ok(later.rank <= 100, 'alice is in the top 100 now');
    const cooldown = sent.filter((s) => s.argv[0] === 'SET' && s.argv[1] === 'quiz:cooldown:alice');
    assert.deepEqual(cooldown.map((s) => s.argv.slice(2)), Array(4).fill(['1', 'EX', '10', 'NX']));
    assert.deepEqual(cooldown.map((s) => s.reply), ['OK', null, 'OK', null]);

    // (3) Chat: each room hears its own messages only.
    const inboxes = logs.find((l) => Array.isArray(l[0]) && l.length === 2);
    assert.deepEqual(inboxes, [['bob: nice one, alice'], ['chloe: history room, ready?']]);
    const publishes = sent.filter((s) => s.argv[0] === 'PUBLISH');
    assert.deepEqual(publishes.map((s) => s.argv[1]), ['chat:science', 'chat:history', 'chat:history', 'chat:history']);
    assert.deepEqual(w.cli('LRANGE', 'chat:science:history', '0', '-1'), [JSON.stringify({ from: 'bob', text: 'nice one, alice' })]);
    assert.equal(w.cli('LLEN', 'chat:history:history'), 3);

    // The restart: the dump held everything, both clients dropped, reconnected and re-subscribed.
    assert.equal(run.restarts.length, 1);
    const [restart] = run.restarts;
    assert.equal(restart.connected, 1, 'while Redis is down only the test\'s own client is listed');
    assert.equal(restart.keysAfter, restart.keysBefore);
    assert.equal(restart.result.clients, 2);
    assert.ok(restart.result.bytes > 0);
    const events = logs.filter((l) => (l.length === 1 && /^(redis|chat): /.test(l[0])) || l[0] === '[error]')
      .map((l) => l.join(' '));
    assert.deepEqual(events, [
      'redis: ready', 'chat: ready',
      '[error] redis: Socket closed unexpectedly', 'redis: reconnecting',
      '[error] chat: Socket closed unexpectedly', 'chat: reconnecting',
      'redis: ready', 'chat: ready',
    ]);

    // The player who disconnected and came back: same session, same score, the chat he missed.
    const reconnect = logs.find((l) => l[0] === 200 && l[1]?.player === 'dev');
    assert.deepEqual(reconnect[1], {
      player: 'dev', room: 'history', score: 100, rank: rankIn(board(scores), 'dev'),
      recent: [{ from: 'chloe', text: 'history room, ready?' }, { from: 'chloe', text: 'dev, are you there?' }],
    });
    // After the restart, the re-subscribed chat still reaches the room.
    const chloeInbox = logs.find((l) => Array.isArray(l[0]) && l.length === 1);
    assert.deepEqual(chloeInbox[0], ['chloe: history room, ready?', 'chloe: dev, are you there?', 'dev: back! what did I miss?']);

    // The top 100 after the restart, exactly as computed from the scores.
    const [count, top3] = logs.find((l) => l[0] === 100);
    assert.equal(count, 100);
    assert.deepEqual(top3, boardOrder(board(scores)).slice(0, 3));
    const top = w.cli('ZRANGE', 'quiz:leaderboard', '0', '99', 'REV', 'WITHSCORES');
    const expected = boardOrder(board(scores)).slice(0, 100).flatMap((e) => [e.value, String(e.score)]);
    assert.deepEqual(top, expected);

    // The cooldown came back with the dump: alice is refused again right after the restart.
    const [, lastStatus, last] = logged(logs, 'alice', 3);
    assert.equal(lastStatus, 429);
    assert.equal(last.retryAfter, 10);

    // The four sessions are in Redis, each with the player and room.
    const sessions = w.cli('KEYS', 'quiz:sess:*').sort();
    assert.deepEqual(sessions, ['quiz:sess:game-1', 'quiz:sess:game-2', 'quiz:sess:game-3', 'quiz:sess:game-4']);
    const stored = sessions.map((k) => JSON.parse(w.cli('GET', k)));
    assert.deepEqual(stored.map((s) => [s.playerId, s.room]), [['alice', 'science'], ['bob', 'science'], ['chloe', 'history'], ['dev', 'history']]);
    assert.equal(w.cli('TTL', 'quiz:sess:game-4'), 3600);
  } finally {
    await run.close();
  }
});

test('lesson 10 runs the same twice: the same keyspace', async () => {
  const scripts = [];
  for (let i = 0; i < 2; i++) {
    const w = world();
    const run = await runQuiz(w);
    scripts.push(w.pg.exportScript());
    await run.close();
  }
  assert.ok(scripts[0].includes('quiz:leaderboard'));
  assert.equal(scripts[0], scripts[1]);
});

test('the model solution on the real express, express-session and connect-redis 7 agrees with the page\'s simulation', async () => {
  const require = createRequire(import.meta.url);
  const browsers = createHttpBrowser();
  const realWorld = world();
  const real = await runQuiz(realWorld, {
    express: require('express'), 'express-session': require('express-session'), 'connect-redis': require('connect-redis'),
    './browser': { createBrowser: browsers.createBrowser },
  });
  const simWorld = world();
  const sim = await runQuiz(simWorld);
  // express-session dates its cookies on Node's clock there, on the engine's here; and there a
  // cookie's originalMaxAge, computed from its expiry and Node's clock when the session is
  // stored, loses the milliseconds that passed since it was set (3599998 for 3600000 on a busy
  // machine): compared to the second.
  const normalise = (v) => JSON.parse(JSON.stringify(v)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z/g, '<iso>')
    .replace(/(originalMaxAge\\*":)(\d+)/g, (_, key, ms) => `${key}${Math.round(Number(ms) / 1000)}000`));
  try {
    assert.deepEqual(normalise(sim.logs), normalise(real.logs));
    assert.deepEqual(normalise(sim.sent), normalise(real.sent));
    assert.equal(real.sent.length, 79);
    assert.equal(real.logs.length, 18);
    assert.ok(real.sent.some((c) => c.argv[0] === 'SET' && c.argv[1] === 'quiz:sess:game-4'), 'genid named the real sessions too');
    assert.equal(realWorld.cli('ZSCORE', 'quiz:leaderboard', 'dev'), '100');
  } finally {
    await real.close();
    await browsers.close();
    await sim.close();
  }
});

// ---- restartServer: what a node-redis client does when its server restarts --------------------

test('restartServer: events, a new connection, the database and subscriptions again, queued commands', async () => {
  const pg = new Playground();
  pg.freeze();
  pg.setTime(T0);
  const session = getSession(pg);
  const client = createClient({ url: 'redis://localhost:6379/3', playground: pg });
  const sub = createClient({ playground: pg });
  const events = [];
  for (const [name, c] of [['client', client], ['sub', sub]]) {
    for (const e of ['connect', 'ready', 'reconnecting', 'end']) c.on(e, () => events.push(`${name} ${e}`));
    c.on('error', (err) => events.push(`${name} error ${err instanceof SocketClosedUnexpectedlyError} ${err.message}`));
  }
  await client.connect();
  await sub.connect();
  const messages = [];
  await sub.subscribe('room', (m, ch) => messages.push([ch, m]));
  await sub.pSubscribe('room:*', (m, ch) => messages.push([`p ${ch}`, m]));
  await client.set('kept', 'v', { EX: 100 });
  const idBefore = await client.clientId();
  events.length = 0;

  // A command sent while the connection is down waits for the new one.
  let queued = null;
  const chooser = createClient({ playground: pg });
  chooser.on('error', () => {});
  await chooser.connect();
  await chooser.select(5);
  const result = await restartServer(pg, {
    whileDown: () => {
      assert.equal(client.isReady, false);
      assert.equal(client.isOpen, true);
      queued = client.get('kept');
    },
  });
  assert.deepEqual(result.clients, 3);
  assert.equal(pg.clientDb(chooser.playgroundClientId), 5, 'the database chosen with select() too');
  assert.equal(await queued, 'v');
  assert.deepEqual(events, [
    'client error true Socket closed unexpectedly', 'client reconnecting',
    'sub error true Socket closed unexpectedly', 'sub reconnecting',
    'client connect', 'client ready', 'sub connect', 'sub ready',
  ]);
  assert.notEqual(await client.clientId(), idBefore, 'a new connection');
  assert.equal(pg.clientDb(client.playgroundClientId), 3, 'its database selected again');
  assert.equal(await client.ttl('kept'), 100, 'the TTL came back with the state');
  const pub = createClient({ playground: pg });
  await pub.connect();
  assert.equal(await pub.publish('room', 'one'), 1);
  assert.equal(await pub.publish('room:2', 'two'), 1);
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  assert.deepEqual(messages, [['room', 'one'], ['p room:2', 'two']]);
  assert.ok(sub.isPubSubActive);
  for (const c of [client, sub, pub, chooser]) await c.quit();
  session.close();
});

test('restartServer: a blocked command fails with the lost connection; a closed client stays closed', async () => {
  const pg = new Playground();
  pg.freeze();
  const session = getSession(pg);
  const worker = createClient({ playground: pg });
  const gone = createClient({ playground: pg });
  const errors = [];
  worker.on('error', (e) => errors.push(e.message));
  await worker.connect();
  await gone.connect();
  await gone.quit();
  const waiting = worker.blPop('jobs', 0);
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  const { clients } = await restartServer(pg);
  assert.equal(clients, 1);
  await assert.rejects(waiting, SocketClosedUnexpectedlyError);
  assert.deepEqual(errors, ['Socket closed unexpectedly']);
  assert.equal(gone.isOpen, false);
  assert.equal(await worker.ping(), 'PONG');
  await worker.quit();
  session.close();
});
