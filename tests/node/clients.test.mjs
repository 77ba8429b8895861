// Several clients through the release module and www/playground.js: a subscriber's listener
// receives a publisher's message; a BLPOP promise resolves when another client pushes, and to
// null when the virtual clock passes its timeout; a running clock fires the timeout by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';
import { Session } from '../../www/playground.js';

const { Playground } = await loadPlayground();

test('a subscriber hears a publisher, patterns included', async () => {
  const pg = new Playground();
  const s = new Session(pg);
  const sub = pg.openClient('sub');
  const pub = pg.openClient('pub');
  const heard = [];
  s.onPush(sub, (msg) => heard.push(msg));
  const confirm = await s.exec(sub, ['SUBSCRIBE', 'news']);
  assert.deepEqual(confirm, { replies: [['subscribe', 'news', 1]] });
  await s.exec(sub, ['PSUBSCRIBE', 'n*']);
  assert.equal(await s.exec(pub, ['PUBLISH', 'news', 'hello']), 2);
  assert.deepEqual(heard, [
    ['message', 'news', 'hello'],
    ['pmessage', 'n*', 'news', 'hello'],
  ]);
  assert.deepEqual(await s.exec(sub, ['GET', 'x']), {
    error: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
  });
  s.close();
});

test('BLPOP resolves when another client pushes', async () => {
  const pg = new Playground();
  const s = new Session(pg);
  const worker = pg.openClient('worker');
  const producer = pg.openClient('producer');
  let done = false;
  const job = s.exec(worker, ['BLPOP', 'jobs', '0']).then((r) => { done = true; return r; });
  const behind = s.exec(worker, ['LLEN', 'jobs']);
  await Promise.resolve();
  assert.equal(done, false, 'still waiting');
  assert.equal(await s.exec(producer, ['RPUSH', 'jobs', 'j1', 'j2']), 2);
  assert.deepEqual(await job, ['jobs', 'j1']);
  assert.equal(await behind, 1, 'the command sent behind BLPOP ran after it');
  s.close();
});

test('BLPOP resolves to null when the clock passes its timeout', async () => {
  const pg = new Playground();
  pg.freeze();
  const s = new Session(pg);
  const worker = pg.openClient('worker');
  const job = s.exec(worker, ['BLPOP', 'jobs', '5']);
  s.advance(4999);
  let settled = false;
  job.then(() => { settled = true; });
  await Promise.resolve();
  assert.equal(settled, false);
  s.advance(1);
  assert.equal(await job, null);
  s.close();
});

test('on a running clock the timeout fires by itself, with no polling', async () => {
  const pg = new Playground();
  const s = new Session(pg);
  const worker = pg.openClient('worker');
  const started = Date.now();
  assert.equal(await s.exec(worker, ['BLPOP', 'jobs', '0.05']), null);
  assert.ok(Date.now() - started >= 40, 'resolved after the timeout, not before');
  s.close();
});

test('keyspace notifications reach a listener', async () => {
  const pg = new Playground();
  const s = new Session(pg);
  const watcher = pg.openClient('watcher');
  const app = pg.openClient('app');
  const events = [];
  s.onPush(watcher, (m) => events.push(m));
  await s.exec(watcher, ['PSUBSCRIBE', '__keyevent@0__:*']);
  await s.exec(app, ['CONFIG', 'SET', 'notify-keyspace-events', 'E$']);
  await s.exec(app, ['SET', 'greeting', 'hi']);
  assert.deepEqual(events, [['pmessage', '__keyevent@0__:*', '__keyevent@0__:set', 'greeting']]);
  s.close();
});

test('the inspector previews every type', () => {
  const pg = new Playground();
  const c = pg.openClient('c');
  pg.exec(c, ['RPUSH', 'l', 'a', 'b']);
  pg.exec(c, ['HSET', 'h', 'name', 'Alice', 'age', '30']);
  pg.exec(c, ['SADD', 's', '3', '1', '2']);
  pg.exec(c, ['ZADD', 'z', '2', 'b', '1', 'a']);
  const view = pg.keyspace(0);
  const byName = Object.fromEntries(view.keys.map((k) => [k.name, k]));
  assert.deepEqual(byName.l.preview.items, ['a', 'b']);
  assert.deepEqual(byName.h.preview.items, ['name', 'Alice', 'age', '30']);
  assert.deepEqual(byName.s.preview.items, ['1', '2', '3']);
  assert.deepEqual(byName.z.preview.items, ['a', '1', 'b', '2']);
  assert.equal(byName.z.encoding, 'listpack');
});
