// The RESP server (`redis-play --port`) driven by the real node-redis v4 (the npm package `redis`
// 4.7.1) over TCP, side by side with a real redis-server 7.0:
//
// - the course's code, every lesson of www/lessons exactly as the page runs it, prints the same
//   against both (the lists lesson's BLPOP is served by another connection, as a reader would
//   serve it from the console);
// - pub/sub with channels and patterns, keyspace notifications, MULTI/EXEC with WATCH, blocking
//   pops served by another client, CLIENT commands and QUIT give the same results on both.
//
// The server binary is $REDIS_PLAY, or target/debug/redis-play (built with cargo when missing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import path from 'node:path';
import { createClient, WatchError } from 'redis';
import { startRedis } from './support/redis-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function playBinary() {
  if (process.env.REDIS_PLAY) return process.env.REDIS_PLAY;
  const bin = path.join(ROOT, 'target/debug/redis-play');
  if (!existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '--bin', 'redis-play'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'cargo build --bin redis-play');
  }
  return bin;
}

/** `redis-play --port 0`: resolves with { port, proc } once it prints the address it serves. */
function startPlay() {
  const proc = spawn(playBinary(), ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      const port = Number(line.match(/127\.0\.0\.1:(\d+)/)?.[1]);
      if (port) resolve({ port, proc });
      else reject(new Error(`unexpected first line from redis-play: ${line}`));
    });
    proc.once('exit', (code) => reject(new Error(`redis-play exited with ${code}`)));
  });
}

const servers = {};

before(async () => {
  servers.play = await startPlay();
  servers.redis = await startRedis();
});

after(() => {
  for (const s of Object.values(servers)) s.proc.kill();
});

async function connect(name) {
  const c = createClient({ url: `redis://127.0.0.1:${servers[name].port}` });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** Runs `fn(name)` against both servers, each on a clean keyspace; returns both results. */
async function onBoth(fn) {
  const out = {};
  for (const name of ['redis', 'play']) {
    const admin = await connect(name);
    await admin.flushAll();
    await admin.configSet('notify-keyspace-events', '');
    await admin.quit();
    out[name] = await fn(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The course's code
// ---------------------------------------------------------------------------------------------

// The lessons of one client and no simulated web app or servers: the rest use what only the
// page's lesson process provides (onServer, afterLine, sleep, restartRedis, the web stack) and
// are run against the client by course_5_6_9, course_7_8 and course_10.
const lessons = JSON.parse(readFileSync(path.join(ROOT, 'www/lessons/index.json'), 'utf8')).lessons
  .map(({ file }) => JSON.parse(readFileSync(path.join(ROOT, 'www/lessons', file), 'utf8')))
  .filter((lesson) => !lesson.panels && !lesson.servers?.length && !(lesson.clients ?? []).some((c) => c.at));

/** A lesson's code, run as the page runs it (the body of an async function), against `name`. */
async function runLesson(lesson, name) {
  const url = `redis://127.0.0.1:${servers[name].port}`;
  const opened = [];
  const make = (opts = {}) => {
    const c = createClient({ url, ...opts });
    c.on('error', () => {});
    opened.push(c);
    return c;
  };
  let shared = null;
  const config = {
    async getRedisClient() {
      if (shared === null) {
        shared = make();
        await shared.connect();
      }
      return shared;
    },
    createClient: make,
  };
  const docs = lesson.db ?? {};
  const model = (modelName) => ({
    findById: (id) => ({
      lean: async () => structuredClone((docs[modelName] ?? []).find((d) => d._id === id) ?? null),
    }),
  });
  const models = { User: model('User'), Product: model('Product') };
  const require = (id) => {
    if (id === './config/redis') return config;
    if (id === 'redis') return { createClient: make };
    if (id === './models/User') return models.User;
    if (id === './models/Product') return models.Product;
    throw new Error(`the lesson required ${id}`);
  };
  const logs = [];
  // A set's members come in an order Redis itself does not fix (its hash seed is random at each
  // start): the sets lesson's arrays are compared as sorted.
  const shown = (a) => (lesson.id === 'sets' && Array.isArray(a) ? [...a].sort() : a);
  const console = {
    log: (...args) => logs.push(args.map((a) => inspect(shown(a), { depth: 5 })).join(' ')),
    // Timings differ from run to run: only the labels are kept.
    time: () => {},
    timeEnd: (label) => logs.push(`timer ${label}`),
  };
  const env = { REDIS_URL: url, NODE_ENV: 'development', ...(lesson.env ?? {}) };
  // A reader serves a blocked pop from the console: so does this helper, for any BLPOP that
  // waits (the lists lesson's queue:jobs).
  const helper = await connect(name);
  let serving = true;
  const server = (async () => {
    while (serving) {
      const list = await helper.clientList();
      if (list.some((c) => c.flags.includes('b') && c.cmd === 'blpop')) {
        await helper.rPush('queue:jobs', 'job-1');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const AsyncFunction = (async () => {}).constructor;
  const body = new AsyncFunction('require', 'console', 'process', 'User', 'Product', lesson.code.join('\n'));
  try {
    await body(require, console, { env }, models.User, models.Product);
  } finally {
    serving = false;
    await server;
    await helper.quit();
    for (const c of opened) if (c.isOpen) await c.quit();
  }
  return logs;
}

for (const lesson of lessons) {
  test(`lesson "${lesson.title}": the course's code prints the same against redis-play and Redis`, async () => {
    const { redis, play } = await onBoth((name) => runLesson(lesson, name));
    assert.ok(redis.length > 0, 'the lesson prints something');
    assert.deepEqual(play, redis);
  });
}

// ---------------------------------------------------------------------------------------------
// The engine's features through node-redis
// ---------------------------------------------------------------------------------------------

test('pub/sub: channels, patterns and keyspace notifications', async () => {
  const { redis, play } = await onBoth(async (name) => {
    const client = await connect(name);
    const sub = client.duplicate();
    sub.on('error', () => {});
    await sub.connect();
    const got = [];
    await sub.subscribe('news', (message, channel) => got.push(['message', channel, message]));
    await sub.pSubscribe('news.*', (message, channel) => got.push(['pmessage', channel, message]));
    await client.configSet('notify-keyspace-events', 'KEA');
    await sub.pSubscribe('__keyspace@0__:*', (message, channel) => got.push(['keyspace', channel, message]));
    const receivers = [await client.publish('news', 'hello'), await client.publish('news.tech', 'rust')];
    await client.set('k', 'v');
    await client.expire('k', 100);
    await client.del('k');
    const numsub = await client.pubSubNumSub(['news']);
    // Let the last messages arrive.
    for (let i = 0; i < 100 && got.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    await sub.unsubscribe('news');
    await sub.pUnsubscribe(['news.*', '__keyspace@0__:*']);
    await sub.quit();
    await client.quit();
    return { receivers, numsub, got };
  });
  assert.deepEqual(play, redis);
  assert.deepEqual(play.receivers, [1, 1]);
  assert.deepEqual(play.got.map((m) => m[2]), ['hello', 'rust', 'set', 'expire', 'del']);
});

test('transactions: MULTI/EXEC, and WATCH failing the transaction', async () => {
  const { redis, play } = await onBoth(async (name) => {
    const a = await connect(name);
    const b = await connect(name);
    const results = await a.multi().set('n', '1').incr('n').get('n').exec();
    await a.watch('n');
    await b.set('n', '100');
    let watchError = null;
    try {
      await a.multi().incr('n').exec();
    } catch (e) {
      watchError = e instanceof WatchError;
    }
    const n = await a.get('n');
    await a.quit();
    await b.quit();
    return { results, watchError, n };
  });
  assert.deepEqual(play, redis);
  assert.deepEqual(play, { results: ['OK', 2, '2'], watchError: true, n: '100' });
});

test('blocking pops served by another client, and timing out', async () => {
  const { redis, play } = await onBoth(async (name) => {
    const worker = await connect(name);
    const producer = await connect(name);
    const waiting = worker.blPop('jobs', 0);
    // Wait until the server has the worker blocked, then serve it.
    for (;;) {
      const list = await producer.clientList();
      if (list.some((c) => c.flags.includes('b'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const pushed = await producer.rPush('jobs', ['j1', 'j2']);
    const served = await waiting;
    const timedOut = await worker.brPop('empty', 0.05);
    const left = await producer.lRange('jobs', 0, -1);
    await worker.quit();
    await producer.quit();
    return { pushed, served, timedOut, left };
  });
  assert.deepEqual(play, redis);
  assert.deepEqual(play, { pushed: 2, served: { key: 'jobs', element: 'j1' }, timedOut: null, left: ['j2'] });
});

test('CLIENT commands and QUIT', async () => {
  const { redis, play } = await onBoth(async (name) => {
    const a = await connect(name);
    const b = await connect(name);
    await a.clientSetName('alpha');
    const nameBack = await a.clientGetName();
    const idA = await a.clientId();
    const listed = (await b.clientList()).find((c) => String(c.id) === String(idA));
    const info = { name: listed?.name, db: listed?.db, cmd: listed?.cmd };
    const quit = await a.quit();
    for (;;) {
      if (!(await b.clientList()).some((c) => String(c.id) === String(idA))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const ping = await b.ping();
    await b.quit();
    return { nameBack, info, quit, ping };
  });
  assert.deepEqual(play, redis);
  assert.deepEqual(play, { nameBack: 'alpha', info: { name: 'alpha', db: 0, cmd: 'client|id' }, quit: 'OK', ping: 'PONG' });
});
