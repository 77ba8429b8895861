// The code of lessons 5, 6 and 9 of the course chapter "3.16.d — Advanced Redis Features" (Pub/Sub,
// transactions, the combined production example), copied verbatim from the chapter, run against
// the in-page node-redis client (www/redis.js) on the release engine (www/pkg).
//
// Each Node.js process the chapter speaks of is simulated by evaluating its code with that
// process's own `require('redis')`, `require('./config/redis')` (a `getRedisClient()` with one
// shared client per process), `process.env` and captured `console`: the publisher and the
// subscriber, and two app servers whose REDIS_URL selects their own database (db 1 and db 2) so
// that each has a cache of its own, all on one engine, as they would be on one Redis server.
//
// Every output the chapter states is asserted, and so is every command the code sends (seen
// through `setCommandObserver`). Where Redis 7.0 or node-redis v4 behaves differently from what
// the chapter says, the test asserts the real behaviour and a NOTE says what differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';
import {
  createClient, getSession, setCommandObserver, ErrorReply, WatchError,
} from '../../www/redis.js';

const { Playground } = await loadPlayground();

// The chapter's code, exactly as printed (only escaped for a template literal: \`, \${ and \\).
const COURSE = {
  // 5. Publisher (seed lines 271-291)
  publisher: `const { createClient } = require('redis');
async function setupPublisher() {
const publisher = createClient();
await publisher.connect();
// Publish a message to a channel
await publisher.publish('orders', JSON.stringify({
orderId: 'ORD-001',
status: 'created',
userId: 'user:1001',
total: 59.99,
timestamp: Date.now(),
}));
console.log('Message published to "orders" channel');
// Publish to different channels
await publisher.publish('notifications', JSON.stringify({
type: 'order-placed',
userId: 'user:1001',
message: 'Your order has been placed!',
}));
return publisher;
}`,
  // 5. Subscriber (seed lines 293-316)
  subscriber: `async function setupSubscriber() {
const subscriber = createClient();
await subscriber.connect();
// Subscribe to a channel
await subscriber.subscribe('orders', (message, channel) => {
const data = JSON.parse(message);
console.log(\`Received on \${channel}:\`, data);
// Process the order event
if (data.status === 'created') {
processNewOrder(data);
}
});
// Subscribe to multiple channels
await subscriber.subscribe('notifications', (message) => {
const data = JSON.parse(message);
sendPushNotification(data);
});
// Pattern-based subscription (all channels matching a pattern)
await subscriber.pSubscribe('events:*', (message, channel) => {
console.log(\`Pattern match on \${channel}:\`, message);
});
console.log('Subscriber listening...');
return subscriber;
}`,
  // 5. Practical Example: Cache Invalidation via Pub/Sub (seed lines 318-353)
  cacheInvalidation: `// In a multi-server setup, use Pub/Sub to notify all servers to invalidate cache
// Server that performs the write
async function updateProductAndNotify(productId, data) {
const product = await Product.findByIdAndUpdate(productId, data, { new: true });
// Publish invalidation event to all servers
const publisher = await getRedisClient();
await publisher.publish('cache-invalidation', JSON.stringify({
type: 'product-updated',
key: \`product:\${productId}\`,
patterns: ['products:all:*'],
}));
return product;
}
// Each server subscribes to invalidation events
async function setupCacheInvalidationListener() {
const subscriber = createClient({ url: process.env.REDIS_URL });
await subscriber.connect();
await subscriber.subscribe('cache-invalidation', async (message) => {
const { type, key, patterns } = JSON.parse(message);
console.log(\`Cache invalidation event: \${type}\`);
const client = await getRedisClient();
// Delete specific key
if (key) await client.del(key);
// Delete by patterns
if (patterns) {
for (const pattern of patterns) {
let cursor = 0;
do {
const result = await client.scan(cursor, { MATCH: pattern, COUNT: 100 });
cursor = result.cursor;
if (result.keys.length > 0) await client.del(result.keys);
} while (cursor !== 0);
}
}
});
}`,
  // 6. Transactions (MULTI/EXEC), and the practical transferFunds (seed lines 357-390)
  transactions: `async function transactionExample() {
const client = await getRedisClient();
// MULTI/EXEC — atomic transaction
const results = await client.multi()
.set('account:A:balance', '500')
.set('account:B:balance', '300')
.decrBy('account:A:balance', 100)
.incrBy('account:B:balance', 100)
.exec();
console.log(results);
// ["OK", "OK", 400, 400]
// All commands executed atomically
}
// Practical: Transfer money atomically
async function transferFunds(fromUser, toUser, amount) {
const client = await getRedisClient();
// Check if sender has sufficient balance
const balance = await client.hGet(\`wallet:\${fromUser}\`, 'balance');
if (parseInt(balance) < amount) {
throw new Error('Insufficient funds');
}
// Execute transfer atomically
const results = await client.multi()
.hIncrBy(\`wallet:\${fromUser}\`, 'balance', -amount)
.hIncrBy(\`wallet:\${toUser}\`, 'balance', amount)
.rPush('transactions', JSON.stringify({
from: fromUser,
to: toUser,
amount,
timestamp: Date.now(),
}))
.exec();
return results;
}`,
  // 6. Transaction with WATCH (Optimistic Locking) (seed lines 392-416)
  transferWithWatch: `async function transferWithWatch(fromUser, toUser, amount) {
const client = await getRedisClient();
const fromKey = \`wallet:\${fromUser}\`;
// Watch the key for changes
await client.watch(fromKey);
const balance = await client.hGet(fromKey, 'balance');
if (parseInt(balance) < amount) {
await client.unwatch();
throw new Error('Insufficient funds');
}
try {
const results = await client.multi()
.hIncrBy(fromKey, 'balance', -amount)
.hIncrBy(\`wallet:\${toUser}\`, 'balance', amount)
.exec();
if (results === null) {
// Transaction aborted — another client modified the watched key
throw new Error('Transaction conflict, please retry');
}
return results;
} catch (error) {
await client.unwatch();
throw error;
}
}`,
  // 9. Combining Features: Production-Ready Example (seed lines 567-583)
  combined: `// src/config/redis.js
const { createClient } = require('redis');
const client = createClient({ url: process.env.REDIS_URL || 'redis://localhost:6379' });
const subscriber = createClient({ url: process.env.REDIS_URL || 'redis://localhost:6379' });
async function initRedis() {
await client.connect();
await subscriber.connect();
client.on('error', (err) => console.error('Redis error:', err));
// Listen for cache invalidation events
await subscriber.subscribe('cache:invalidate', async (message) => {
const { keys, patterns } = JSON.parse(message);
if (keys) await client.del(keys);
// Handle patterns with SCAN (omitted for brevity)
});
console.log('Redis initialized with Pub/Sub listener');
}
module.exports = { client, subscriber, initRedis };`,
};

// Redis 7.0.15's answer to a command other than (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT or
// RESET on a subscribed RESP2 connection (checked against redis-server 7.0.15).
const SUBSCRIBED_ERROR = "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

/** Waits (turns of the event loop, no timer) until `done()` holds. */
async function until(done, what) {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((resolve) => { setImmediate(resolve); });
  assert.ok(done(), `timed out waiting for ${what}`);
}

/**
 * One engine (clock frozen) and the processes that run the chapter's code on it. `sent` lists
 * every command a process's client sent (`{ proc, argv, reply }`), `logs` what they printed.
 */
function world({ products = {} } = {}) {
  const pg = new Playground();
  pg.freeze();
  const session = getSession(pg);
  const sent = [];
  const logs = [];
  const owners = new Map(); // node-redis client -> process name
  const clients = [];
  // One simulated database, shared by every app server (the Mongoose model the code calls).
  const docs = new Map(Object.entries(structuredClone(products)));
  const Product = {
    findByIdAndUpdate: async (id, data, options) => {
      const doc = docs.get(id);
      if (!doc) return null;
      const before = structuredClone(doc);
      Object.assign(doc, data);
      return structuredClone(options?.new ? doc : before);
    },
  };
  setCommandObserver(({ client, argv, reply }) => {
    if (owners.has(client)) sent.push({ proc: owners.get(client), argv, reply });
  });

  /** A Node.js process: `load(source, names)` runs code in it and returns the named bindings. */
  function proc(name, env = {}) {
    const make = (options) => {
      const client = createClient({ ...(options ?? {}), playground: pg });
      owners.set(client, name);
      clients.push(client);
      return client;
    };
    let shared = null;
    const config = {
      async getRedisClient() {
        if (shared === null) {
          shared = make({ url: env.REDIS_URL });
          await shared.connect();
        }
        return shared;
      },
    };
    const modules = { redis: { createClient: make }, './config/redis': config };
    const require = (id) => {
      if (Object.hasOwn(modules, id)) return modules[id];
      throw new Error(`the chapter's code required ${id}`);
    };
    const out = (level) => (...args) => logs.push({ proc: name, level, args });
    const console = { log: out('log'), error: out('error') };
    const process = { env: { ...env } };
    const handled = [];
    return {
      name, handled, getRedisClient: config.getRedisClient,
      load(source, names) {
        const module = { exports: {} };
        const fn = new Function('require', 'console', 'process', 'module', 'Product', 'getRedisClient',
          'processNewOrder', 'sendPushNotification', `${source}\nreturn { ${names.join(', ')} };`);
        return fn(require, console, process, module, Product, config.getRedisClient,
          (order) => handled.push(['processNewOrder', order]),
          (notification) => handled.push(['sendPushNotification', notification]));
      },
      module(source) {
        const module = { exports: {} };
        new Function('require', 'console', 'process', 'module', source)(require, console, process, module);
        return module.exports;
      },
    };
  }

  const admin = createClient({ playground: pg });
  return {
    pg, session, sent, logs, proc, admin, docs,
    argvs: (name) => sent.filter((s) => name === undefined || s.proc === name).map((s) => s.argv),
    printed: (name) => logs.filter((l) => name === undefined || l.proc === name).map((l) => (l.args.length === 1 ? l.args[0] : l.args)),
    async close() {
      setCommandObserver(null);
      for (const c of clients) if (c.isOpen) await c.disconnect();
      if (admin.isOpen) await admin.disconnect();
      session.close();
    },
  };
}

// ---- 5. Pub/Sub --------------------------------------------------------------------------------

const PUBSUB = `${COURSE.publisher}\n${COURSE.subscriber}`;

test('5. Pub/Sub: the subscriber receives the orders, the notification and the pattern match', async () => {
  const w = world();
  const app = w.proc('app');
  const { setupPublisher, setupSubscriber } = app.load(PUBSUB, ['setupPublisher', 'setupSubscriber']);
  const before = Date.now();
  const subscriber = await setupSubscriber();
  assert.deepEqual(w.printed(), ['Subscriber listening...']);
  assert.deepEqual(w.argvs(), [['SUBSCRIBE', 'orders'], ['SUBSCRIBE', 'notifications'], ['PSUBSCRIBE', 'events:*']]);
  // SUBSCRIBE confirms with the number of subscriptions of the connection, patterns included.
  assert.deepEqual(w.sent.map((s) => s.reply), [
    { replies: [['subscribe', 'orders', 1]] }, { replies: [['subscribe', 'notifications', 2]] },
    { replies: [['psubscribe', 'events:*', 3]] },
  ]);
  const publisher = await setupPublisher();
  assert.notEqual(publisher, subscriber);
  const published = w.sent.filter((s) => s.argv[0] === 'PUBLISH');
  assert.deepEqual(published.map((s) => s.argv.slice(0, 2)), [['PUBLISH', 'orders'], ['PUBLISH', 'notifications']]);
  // PUBLISH answers how many clients received the message: the one subscriber.
  assert.deepEqual(published.map((s) => s.reply), [1, 1]);
  const order = JSON.parse(published[0].argv[2]);
  assert.deepEqual({ ...order, timestamp: 0 }, { orderId: 'ORD-001', status: 'created', userId: 'user:1001', total: 59.99, timestamp: 0 });
  assert.ok(order.timestamp >= before);
  await until(() => app.handled.length === 2, 'both listeners');
  const printed = w.printed();
  assert.ok(printed.includes('Message published to "orders" channel'));
  // console.log(`Received on ${channel}:`, data): the channel and the parsed object.
  assert.deepEqual(printed.find((p) => Array.isArray(p) && p[0] === 'Received on orders:'), ['Received on orders:', order]);
  assert.deepEqual(app.handled, [
    ['processNewOrder', order],
    ['sendPushNotification', { type: 'order-placed', userId: 'user:1001', message: 'Your order has been placed!' }],
  ]);
  // The pattern subscription: the listener gets the message and the real channel.
  assert.equal(await publisher.publish('events:user-signup', '{"userId":"user:1002"}'), 1);
  await until(() => w.printed().some((p) => Array.isArray(p) && p[0] === 'Pattern match on events:user-signup:'), 'the pattern listener');
  assert.deepEqual(w.printed().at(-1), ['Pattern match on events:user-signup:', '{"userId":"user:1002"}']);
  assert.equal(await publisher.publish('events', 'x'), 0, 'events does not match events:*');
  await w.close();
});

test('5. "A subscribed client cannot run other commands": the real error', async () => {
  const w = world();
  const { setupSubscriber } = w.proc('app').load(PUBSUB, ['setupPublisher', 'setupSubscriber']);
  const subscriber = await setupSubscriber();
  // node-redis v4 sends the command; Redis 7.0 refuses it on a subscribed RESP2 connection.
  await assert.rejects(subscriber.get('orders:last'), (e) => e instanceof ErrorReply && e.message === SUBSCRIBED_ERROR);
  assert.deepEqual(w.argvs().at(-1), ['GET', 'orders:last']);
  assert.deepEqual(w.sent.at(-1).reply, { error: SUBSCRIBED_ERROR });
  // PING is allowed, and node-redis unpacks the subscribed form ['pong', ''].
  assert.equal(await subscriber.ping(), 'pong');
  // A separate client for regular commands, as the chapter says (duplicate() keeps the options).
  const regular = subscriber.duplicate();
  await regular.connect();
  assert.equal(await regular.set('orders:last', 'ORD-001'), 'OK');
  await regular.disconnect();
  await w.close();
});

test('5. a message published before anyone subscribed is lost', async () => {
  // NOTE (Pub/Sub semantics the chapter implies): setupPublisher() before setupSubscriber()
  // publishes to nobody; nothing is stored for a later subscriber.
  const w = world();
  const app = w.proc('app');
  const { setupPublisher, setupSubscriber } = app.load(PUBSUB, ['setupPublisher', 'setupSubscriber']);
  await setupPublisher();
  assert.deepEqual(w.sent.filter((s) => s.argv[0] === 'PUBLISH').map((s) => s.reply), [0, 0]);
  await setupSubscriber();
  for (let i = 0; i < 20; i++) await new Promise((resolve) => { setImmediate(resolve); });
  assert.deepEqual(app.handled, []);
  assert.deepEqual(w.printed(), ['Message published to "orders" channel', 'Subscriber listening...']);
  await w.close();
});

test('5. cache invalidation: two servers, each with its own cache, both invalidated by SCAN MATCH', async () => {
  const w = world({ products: { p1: { _id: 'p1', name: 'Keyboard', price: 29.99 } } });
  const servers = [1, 2].map((db) => {
    const p = w.proc(`server ${db}`, { REDIS_URL: `redis://localhost:6379/${db}` });
    return { db, p, ...p.load(`const { createClient } = require('redis');\n${COURSE.cacheInvalidation}`, ['updateProductAndNotify', 'setupCacheInvalidationListener']) };
  });
  // Each server's cache: the product, 250 list pages (more than one SCAN COUNT 100 reaches)
  // and a key the patterns do not match.
  for (const s of servers) {
    const c = await s.p.getRedisClient();
    await c.set('product:p1', '{"price":29.99}', { EX: 3600 });
    for (let i = 1; i <= 250; i++) await c.set(`products:all:${i}`, `page ${i}`);
    await c.set('product:p2', '{"price":5}');
  }
  await servers[0].setupCacheInvalidationListener();
  await servers[1].setupCacheInvalidationListener();
  w.sent.length = 0;
  const updated = await servers[0].updateProductAndNotify('p1', { price: 24.99 });
  assert.deepEqual(updated, { _id: 'p1', name: 'Keyboard', price: 24.99 });
  const publish = w.sent.find((s) => s.argv[0] === 'PUBLISH');
  assert.equal(publish.proc, 'server 1');
  assert.deepEqual(publish.argv, ['PUBLISH', 'cache-invalidation', '{"type":"product-updated","key":"product:p1","patterns":["products:all:*"]}']);
  assert.equal(publish.reply, 2, 'both servers listen (Pub/Sub is not per database)');
  const done = (name) => w.sent.some((s) => s.proc === name && s.argv[0] === 'SCAN' && s.reply[0] === '0');
  await until(() => done('server 1') && done('server 2'), 'both listeners');
  assert.deepEqual(w.printed(), ['Cache invalidation event: product-updated', 'Cache invalidation event: product-updated']);
  for (const s of servers) {
    const mine = w.sent.filter((x) => x.proc === s.p.name && x.argv[0] !== 'PUBLISH');
    assert.deepEqual(mine[0].argv, ['DEL', 'product:p1']);
    assert.equal(mine[0].reply, 1);
    const scans = mine.filter((x) => x.argv[0] === 'SCAN');
    assert.ok(scans.length >= 2, `several SCAN calls (${scans.length})`);
    // The first call starts at 0; each next one passes the cursor the previous returned, until 0.
    assert.deepEqual(scans[0].argv, ['SCAN', '0', 'MATCH', 'products:all:*', 'COUNT', '100']);
    for (let i = 1; i < scans.length; i++) assert.equal(scans[i].argv[1], scans[i - 1].reply[0]);
    assert.equal(scans.at(-1).reply[0], '0');
    const deleted = mine.filter((x) => x.argv[0] === 'DEL').slice(1);
    assert.equal(deleted.reduce((n, x) => n + x.reply, 0), 250, 'every page deleted, each once');
    const c = await s.p.getRedisClient();
    assert.deepEqual(await c.keys('*'), ['product:p2'], `server ${s.db}'s cache keeps only what no pattern matched`);
  }
  await w.close();
});

// ---- 6. Transactions ---------------------------------------------------------------------------

const TRANSACTIONS = `${COURSE.transactions}\n${COURSE.transferWithWatch}`;

function bank() {
  const w = world();
  const app = w.proc('app');
  const fns = app.load(TRANSACTIONS, ['transactionExample', 'transferFunds', 'transferWithWatch']);
  return { w, app, ...fns };
}

test('6. MULTI/EXEC: console.log(results) prints ["OK", "OK", 400, 400]', async () => {
  const { w, transactionExample } = bank();
  await transactionExample();
  assert.deepEqual(w.printed(), [['OK', 'OK', 400, 400]]);
  assert.deepEqual(w.argvs(), [
    ['MULTI'], ['SET', 'account:A:balance', '500'], ['SET', 'account:B:balance', '300'],
    ['DECRBY', 'account:A:balance', '100'], ['INCRBY', 'account:B:balance', '100'], ['EXEC'],
  ]);
  assert.deepEqual(w.sent.map((s) => s.reply), ['OK', 'QUEUED', 'QUEUED', 'QUEUED', 'QUEUED', ['OK', 'OK', 400, 400]]);
  await w.close();
});

test('6. transferFunds moves the money and logs the transfer in one transaction', async () => {
  const { w, app, transferFunds } = bank();
  const c = await app.getRedisClient();
  await c.hSet('wallet:alice', 'balance', 100);
  await c.hSet('wallet:bob', 'balance', 20);
  w.sent.length = 0;
  const before = Date.now();
  assert.deepEqual(await transferFunds('alice', 'bob', 30), [70, 50, 1]);
  assert.deepEqual(w.argvs().map((a) => a[0]), ['HGET', 'MULTI', 'HINCRBY', 'HINCRBY', 'RPUSH', 'EXEC']);
  assert.deepEqual(w.argvs()[2], ['HINCRBY', 'wallet:alice', 'balance', '-30']);
  const entry = JSON.parse(await c.lIndex('transactions', 0));
  assert.deepEqual({ ...entry, timestamp: 0 }, { from: 'alice', to: 'bob', amount: 30, timestamp: 0 });
  assert.ok(entry.timestamp >= before);
  // Not enough money: the check throws before any MULTI.
  w.sent.length = 0;
  await assert.rejects(transferFunds('alice', 'bob', 500), { message: 'Insufficient funds' });
  assert.deepEqual(w.argvs(), [['HGET', 'wallet:alice', 'balance']]);
  assert.equal(await c.hGet('wallet:alice', 'balance'), '70');
  await w.close();
});

test('6. transferWithWatch without interference commits', async () => {
  const { w, app, transferWithWatch } = bank();
  const c = await app.getRedisClient();
  await c.hSet('wallet:alice', 'balance', 100);
  w.sent.length = 0;
  assert.deepEqual(await transferWithWatch('alice', 'bob', 25), [75, 25]);
  assert.deepEqual(w.argvs(), [
    ['WATCH', 'wallet:alice'], ['HGET', 'wallet:alice', 'balance'], ['MULTI'],
    ['HINCRBY', 'wallet:alice', 'balance', '-25'], ['HINCRBY', 'wallet:bob', 'balance', '25'], ['EXEC'],
  ]);
  // The early return unwatches.
  w.sent.length = 0;
  await assert.rejects(transferWithWatch('alice', 'bob', 1000), { message: 'Insufficient funds' });
  assert.deepEqual(w.argvs(), [['WATCH', 'wallet:alice'], ['HGET', 'wallet:alice', 'balance'], ['UNWATCH']]);
  await w.close();
});

/** Makes client B change Alice's balance right after `transferWithWatch` read it (between WATCH and EXEC). */
function interfere(w, clientB, times) {
  let left = times;
  setCommandObserver(({ client, argv }) => {
    if (client === clientB) return;
    w.sent.push({ proc: 'app', argv, reply: null });
    if (left > 0 && argv[0] === 'HGET' && argv[1] === 'wallet:alice' && w.sent.some((s) => s.argv[0] === 'WATCH')) {
      left -= 1;
      clientB.hIncrBy('wallet:alice', 'balance', -10);
    }
  });
}

test('6. WATCH: another client changes the balance between WATCH and EXEC; exec() rejects with WatchError', async () => {
  // NOTE: the chapter checks `results === null` for an aborted transaction. Redis answers EXEC
  // with nil, but node-redis v4 rejects exec() with WatchError('One (or more) of the watched
  // keys has been changed') instead of resolving null; the chapter's catch block then sends
  // UNWATCH and rethrows that WatchError: 'Transaction conflict, please retry' is never thrown.
  const { w, app, transferWithWatch } = bank();
  const c = await app.getRedisClient();
  await c.hSet('wallet:alice', 'balance', 100);
  const clientB = createClient({ playground: w.pg });
  await clientB.connect();
  w.sent.length = 0;
  interfere(w, clientB, 1);
  let error = null;
  try {
    await transferWithWatch('alice', 'bob', 25);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof WatchError, `rejected with ${error}`);
  assert.equal(error.message, 'One (or more) of the watched keys has been changed');
  assert.notEqual(error.message, 'Transaction conflict, please retry');
  assert.deepEqual(w.argvs(), [
    ['WATCH', 'wallet:alice'], ['HGET', 'wallet:alice', 'balance'], ['MULTI'],
    ['HINCRBY', 'wallet:alice', 'balance', '-25'], ['HINCRBY', 'wallet:bob', 'balance', '25'], ['EXEC'], ['UNWATCH'],
  ]);
  // Nothing of the transaction ran: only client B's change is there.
  assert.equal(await c.hGet('wallet:alice', 'balance'), '90');
  assert.equal(await c.exists('wallet:bob'), 0);
  // EXEC's raw reply is nil: the course's null check is what a client without WatchError sees.
  const raw = new Playground();
  const a = raw.openClient('a');
  const b = raw.openClient('b');
  raw.exec(a, ['WATCH', 'k']);
  raw.exec(b, ['SET', 'k', '1']);
  raw.exec(a, ['MULTI']);
  raw.exec(a, ['SET', 'k', '2']);
  assert.equal(raw.exec(a, ['EXEC']), null);
  await clientB.disconnect();
  await w.close();
});

test('6. a retry loop around transferWithWatch succeeds on the second attempt', async () => {
  const { w, app, transferWithWatch } = bank();
  const c = await app.getRedisClient();
  await c.hSet('wallet:alice', 'balance', 100);
  const clientB = createClient({ playground: w.pg });
  await clientB.connect();
  w.sent.length = 0;
  interfere(w, clientB, 1);
  const attempts = [];
  let results;
  for (let attempt = 1; attempt <= 3 && results === undefined; attempt++) {
    try {
      results = await transferWithWatch('alice', 'bob', 25);
    } catch (e) {
      attempts.push(e);
      if (!(e instanceof WatchError)) throw e;
    }
  }
  assert.equal(attempts.length, 1);
  // The second attempt read 90 (after client B) and committed: EXEC's replies are the balances.
  assert.deepEqual(results, [65, 25]);
  assert.deepEqual(w.argvs().filter((a) => a[0] === 'EXEC').length, 2);
  assert.equal(await c.hGet('wallet:alice', 'balance'), '65');
  await clientB.disconnect();
  await w.close();
});

// ---- 9. Combining features ---------------------------------------------------------------------

test('9. initRedis() on two servers: the invalidation listener deletes the announced keys', async () => {
  const w = world();
  const servers = [1, 2].map((db) => ({ db, p: w.proc(`server ${db}`, { REDIS_URL: `redis://localhost:6379/${db}` }) }));
  for (const s of servers) s.exports = s.p.module(COURSE.combined);
  for (const s of servers) {
    const { client, subscriber, initRedis } = s.exports;
    assert.equal(client.isOpen, false, 'createClient() does not connect');
    assert.equal(subscriber.isOpen, false);
    await initRedis();
    assert.ok(client.isReady && subscriber.isReady);
    assert.equal(client.listenerCount('error'), 1);
  }
  assert.deepEqual(w.printed(), ['Redis initialized with Pub/Sub listener', 'Redis initialized with Pub/Sub listener']);
  // Each connection opens with SELECT 1 (the database of its REDIS_URL), as node-redis does.
  assert.deepEqual(w.argvs('server 1'), [['SELECT', '1'], ['SELECT', '1'], ['SUBSCRIBE', 'cache:invalidate']]);
  for (const s of servers) {
    await s.exports.client.set('product:42', 'cached', { EX: 3600 });
    await s.exports.client.set('page:/products/42', 'cached');
    await s.exports.client.set('product:7', 'cached');
  }
  await w.admin.connect();
  assert.equal(await w.admin.dbSize(), 0, 'each server caches in its own database (its REDIS_URL)');
  assert.equal(await w.admin.publish('cache:invalidate', JSON.stringify({ keys: ['product:42', 'page:/products/42'] })), 2);
  const deleted = (name) => w.sent.some((s) => s.proc === name && s.argv[0] === 'DEL');
  await until(() => deleted('server 1') && deleted('server 2'), 'both listeners');
  for (const s of servers) {
    const del = w.sent.find((x) => x.proc === s.p.name && x.argv[0] === 'DEL');
    assert.deepEqual(del.argv, ['DEL', 'product:42', 'page:/products/42'], 'client.del(keys): one DEL for the array');
    assert.equal(del.reply, 2);
    assert.deepEqual(await s.exports.client.keys('*'), ['product:7']);
  }
  // "Handle patterns with SCAN (omitted for brevity)": a message with patterns only deletes nothing.
  const before = w.sent.length;
  assert.equal(await w.admin.publish('cache:invalidate', JSON.stringify({ patterns: ['product:*'] })), 2);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => { setImmediate(resolve); });
  assert.equal(w.sent.length, before);
  assert.deepEqual(await servers[0].exports.client.keys('*'), ['product:7']);
  // The command client is free for commands; the subscriber is not.
  await assert.rejects(servers[0].exports.subscriber.get('product:7'), { message: SUBSCRIBED_ERROR });
  await w.close();
});
