// The course's operations through the in-page node-redis client (www/redis.js, on the release
// WebAssembly build in www/pkg) and, side by side, through ioredis-mock 8.13 (the usual in-memory
// stand-in, called the ioredis way) in the same process. Each operation is timed one `await` at a
// time and with 100 commands in flight (issued together, then awaited together); "engine alone"
// is the bare `door.exec(id, argv)` the client makes for it (the byte-buffer door of
// www/playground.js), with no promise, and "pg.call" the same command through the string door. Build first
// (scripts/serve.sh or scripts/test.sh does), then:
//
//   node benches/client.mjs            # 5 rounds of 80 ms per row, mode and client
//   node benches/client.mjs 1000       # milliseconds per row, mode and client (split in rounds)
//
// Both clients start from the same data: a 100,000-element list (LPUSH keeps growing it), a
// 10,000-member set (SADD keeps growing it), two 500-member sets with 50 members in common, and a
// 10,000-member sorted set. A measurement runs whole batches until its time is up and reports
// operations per second; a warm-up batch comes first. The measurements of a row take turns, round
// after round, and each reports its best round: on a shared machine, where other work steals time
// now and then, the best round is the one least disturbed, and taking turns exposes both clients
// to the same disturbances.
import Redis from 'ioredis-mock';
import { loadPlayground } from '../tests/node/load.mjs';
import { createClient, getSession } from '../www/redis.js';

const { Playground } = await loadPlayground();
const ROUNDS = 5;
const budgetMs = Number(process.argv[2] ?? 400) / ROUNDS;
const IN_FLIGHT = 100;

const LIST = 100_000;
const SET = 10_000;
const INTER = 500;
const COMMON = 50;
const ZSET = 10_000;
const KEYS = 10_000;

const range = (n) => Array.from({ length: n }, (_, i) => i);
const profile = { name: 'Alice', email: 'alice@example.com', age: '30', role: 'admin', loginCount: '0' };
const rnd = (() => {
  let x = 0x2545f491; // xorshift: the same members for both clients
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
})();

/** The same data for both, written with a few large commands. */
async function load(put) {
  for (let i = 0; i < LIST; i += 1000) await put.rpush('feed', range(1000).map((j) => `activity:${i + j}`));
  for (let i = 0; i < SET; i += 1000) await put.sadd('online', range(1000).map((j) => `user:${i + j}`));
  await put.sadd('friends:a', range(INTER).map((i) => `user:${i}`));
  await put.sadd('friends:b', range(INTER).map((i) => `user:${i + INTER - COMMON}`));
  for (let i = 0; i < ZSET; i += 1000) {
    await put.zadd('leaderboard', range(1000).map((j) => [(i + j) * 7 % 10_007, `player:${i + j}`]));
  }
  for (let i = 0; i < KEYS; i++) await put.set(`key:${i}`, 'some value');
  for (let i = 0; i < 1000; i++) await put.hset(`user:${i}`, profile);
}

// One operation per row: for the client, for ioredis-mock, and as a bare engine call through the
// string door (`pg.call`/`pg.exec`, synchronous, no promise). The bare call through the byte-buffer
// door, the floor under the client's figure, is made of the same argv below.
const flatProfile = Object.entries(profile).flat();
const rows = [
  ['SET', (c) => (i) => c.set(`key:${i % KEYS}`, 'some value'), (r) => (i) => r.set(`key:${i % KEYS}`, 'some value'),
    (pg, id) => (i) => pg.call(id, 'SET', `key:${i % KEYS}`, 'some value')],
  ['GET', (c) => (i) => c.get(`key:${i % KEYS}`), (r) => (i) => r.get(`key:${i % KEYS}`),
    (pg, id) => (i) => pg.call(id, 'GET', `key:${i % KEYS}`)],
  ['HSET (5 fields)', (c) => (i) => c.hSet(`user:${i % 1000}`, profile), (r) => (i) => r.hset(`user:${i % 1000}`, profile),
    (pg, id) => (i) => pg.exec(id, ['HSET', `user:${i % 1000}`, ...flatProfile])],
  ['HGETALL (5 fields)', (c) => (i) => c.hGetAll(`user:${i % 1000}`), (r) => (i) => r.hgetall(`user:${i % 1000}`),
    (pg, id) => (i) => pg.call(id, 'HGETALL', `user:${i % 1000}`)],
  ['LPUSH (100k+ list)', (c) => (i) => c.lPush('feed', `new:${i}`), (r) => (i) => r.lpush('feed', `new:${i}`),
    (pg, id) => (i) => pg.call(id, 'LPUSH', 'feed', `new:${i}`)],
  ['LRANGE 0 19 (100k+ list)', (c) => () => c.lRange('feed', 0, 19), (r) => () => r.lrange('feed', 0, 19),
    (pg, id) => () => pg.call(id, 'LRANGE', 'feed', '0', '19')],
  ['SADD (10k+ set)', (c) => (i) => c.sAdd('online', `new:${i}`), (r) => (i) => r.sadd('online', `new:${i}`),
    (pg, id) => (i) => pg.call(id, 'SADD', 'online', `new:${i}`)],
  ['SINTER (2 × 500, 50 common)', (c) => () => c.sInter(['friends:a', 'friends:b']), (r) => () => r.sinter('friends:a', 'friends:b'),
    (pg, id) => () => pg.call(id, 'SINTER', 'friends:a', 'friends:b')],
  ['ZINCRBY (10k zset)', (c) => () => c.zIncrBy('leaderboard', 5, `player:${rnd(ZSET)}`), (r) => () => r.zincrby('leaderboard', 5, `player:${rnd(ZSET)}`),
    (pg, id) => () => pg.call(id, 'ZINCRBY', 'leaderboard', '5', `player:${rnd(ZSET)}`)],
  ['ZREVRANGE 0 9 (10k zset)', (c) => () => c.zRange('leaderboard', 0, 9, { REV: true }), (r) => () => r.zrevrange('leaderboard', 0, 9),
    (pg, id) => () => pg.call(id, 'ZRANGE', 'leaderboard', '0', '9', 'REV')],
  ['ZREVRANK (10k zset)', (c) => () => c.zRevRank('leaderboard', `player:${rnd(ZSET)}`), (r) => () => r.zrevrank('leaderboard', `player:${rnd(ZSET)}`),
    (pg, id) => () => pg.call(id, 'ZREVRANK', 'leaderboard', `player:${rnd(ZSET)}`)],
  ['INCR', (c) => () => c.incr('visits'), (r) => () => r.incr('visits'), (pg, id) => () => pg.call(id, 'INCR', 'visits')],
];

/** Operations per second of a synchronous `op`, in batches of 100 until the time is up. */
function measureSync(op) {
  let i = 0;
  for (let k = 0; k < IN_FLIGHT; k++) op(i++);
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(budgetMs) * 1_000_000n;
  let done = 0;
  let now = started;
  while (now < deadline) {
    for (let k = 0; k < IN_FLIGHT; k++) op(i++);
    done += IN_FLIGHT;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - started) / 1e9);
}

/** Operations per second of `op`, awaited one at a time or `IN_FLIGHT` at a time. */
async function measure(op, inFlight) {
  let i = 0;
  const batch = async () => {
    if (inFlight === 1) {
      for (let k = 0; k < IN_FLIGHT; k++) await op(i++);
    } else {
      const pending = new Array(inFlight);
      for (let k = 0; k < inFlight; k++) pending[k] = op(i++);
      await Promise.all(pending);
    }
  };
  await batch(); // warm-up
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(budgetMs) * 1_000_000n;
  let done = 0;
  let now = started;
  while (now < deadline) {
    await batch();
    done += IN_FLIGHT;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - started) / 1e9);
}

const pg = new Playground();
const client = createClient({ playground: pg });
await client.connect();
const mock = new Redis();
const ours = {
  rpush: (k, v) => client.rPush(k, v),
  sadd: (k, v) => client.sAdd(k, v),
  zadd: (k, pairs) => client.zAdd(k, pairs.map(([score, value]) => ({ score, value }))),
  set: (k, v) => client.set(k, v),
  hset: (k, o) => client.hSet(k, o),
};
const theirs = {
  rpush: (k, v) => mock.rpush(k, ...v),
  sadd: (k, v) => mock.sadd(k, ...v),
  zadd: (k, pairs) => mock.zadd(k, ...pairs.flat()),
  set: (k, v) => mock.set(k, v),
  hset: (k, o) => mock.hset(k, o),
};
await load(ours);
await load(theirs);

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;
console.log(`Node ${process.version}; best of ${ROUNDS} rounds of ${budgetMs} ms per measurement; operations per second.\n`);
console.log('| operation | pg.call | engine alone | redis.js, 1 at a time | ioredis-mock, 1 at a time | ratio | redis.js, 100 in flight | ioredis-mock, 100 in flight | ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const admin = pg.openClient('bench-raw');
const door = getSession(pg).door;
// The argv the string-door call makes, sent through the byte-buffer door instead.
const viaDoor = (bare) => (pg2, id) => bare({ call: (c, ...argv) => door.exec(c, argv), exec: (c, argv) => door.exec(c, argv) }, id);
for (const [name, mine, other, bare] of rows) {
  let [str, raw, a1, b1, a100, b100] = [0, 0, 0, 0, 0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    str = Math.max(str, measureSync(bare(pg, admin)));
    raw = Math.max(raw, measureSync(viaDoor(bare)(pg, admin)));
    a1 = Math.max(a1, await measure(mine(client), 1));
    b1 = Math.max(b1, await measure(other(mock), 1));
    a100 = Math.max(a100, await measure(mine(client), IN_FLIGHT));
    b100 = Math.max(b100, await measure(other(mock), IN_FLIGHT));
  }
  console.log(`| ${name} | ${fmt(str)} | ${fmt(raw)} | ${fmt(a1)} | ${fmt(b1)} | ${ratio(a1, b1)} | ${fmt(a100)} | ${fmt(b100)} | ${ratio(a100, b100)} |`);
}
await client.quit();
mock.disconnect();
