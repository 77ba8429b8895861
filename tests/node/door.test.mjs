// The byte-buffer door (`Door` of www/playground.js over the module's `execRequest`) answers every
// argv with exactly the value `exec` gives for it: two playgrounds, one driven through each door,
// run the same commands on the same frozen clock and must agree reply by reply. Also: what the
// door says about deliveries and the next deadline, argvs that grow the request area and the
// module's memory, arguments the door hands to `exec`, and a malformed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';
import { Door, Session } from '../../www/playground.js';

const { Playground } = await loadPlayground();

/** Two playgrounds in lockstep: `run(argv)` runs it on both and returns [door, exec] replies. */
function twins() {
  const viaDoor = new Playground();
  const viaExec = new Playground();
  for (const pg of [viaDoor, viaExec]) {
    pg.freeze();
    pg.setTime(1_700_000_000_000);
  }
  const door = new Door(viaDoor);
  const clients = new Map();
  const ids = (name) => {
    if (!clients.has(name)) clients.set(name, [viaDoor.openClient(name), viaExec.openClient(name)]);
    return clients.get(name);
  };
  const run = (argv, name = 'main') => {
    const [a, b] = ids(name);
    return [door.exec(a, argv), viaExec.exec(b, argv)];
  };
  return { viaDoor, viaExec, door, run };
}

const bytes = (...b) => new Uint8Array(b);
const utf8 = (s) => new TextEncoder().encode(s);

test('every kind of reply is the value exec gives', () => {
  const { run } = twins();
  const long = 'x'.repeat(5000);
  const longWide = 'é€😀'.repeat(700);
  const script = [
    ['PING'],
    ['PING', 'hello'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['GET', 'missing'],
    ['SET', 'empty', ''],
    ['GET', 'empty'],
    ['SET', 'accents', 'café – naïve 😀'],
    ['GET', 'accents'],
    ['SET', 'long', long],
    ['GET', 'long'],
    ['SET', 'longWide', longWide],
    ['GET', 'longWide'],
    ['SET', 'ascii63', 'a'.repeat(63)],
    ['GET', 'ascii63'],
    ['SET', 'ascii64', 'b'.repeat(64)],
    ['GET', 'ascii64'],
    ['SET', 'bom', '\ufeffbom'],
    ['GET', 'bom'],
    ['SET', 'controls', '\u0000\u0001\t\n\u007f'],
    ['GET', 'controls'],
    ['SET', 'latin1', '\u0080\u00ff\u00e9'],
    ['GET', 'latin1'],
    ['SET', 'surrogate', 'a\ud800b'],
    ['GET', 'surrogate'],
    ['SET', 'bin', bytes(0xff, 0xfe, 0x00, 0x41, 0xc3)],
    ['GET', 'bin'],
    ['SET', utf8('kü'), utf8('vü')],
    ['GET', 'kü'],
    ['INCR', 'n'],
    ['INCRBY', 'n', '-5000000'],
    ['INCRBY', 'big', '9007199254740991'],
    ['INCR', 'big'],
    ['DECRBY', 'neg', '9007199254740993'],
    ['INCRBYFLOAT', 'f', '1.5'],
    ['GET', 'nope', 'extra'],
    ['NOSUCH', 'a', 'b'],
    ['LPUSH', 'k', 'x'],
    ['HSET', 'h', 'name', 'Alice', 'age', '30', 'ville', 'Zürich'],
    ['HGETALL', 'h'],
    ['HGETALL', 'nohash'],
    ['HMGET', 'h', 'name', 'nofield', 'ville'],
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['LRANGE', 'l', '0', '-1'],
    ['SADD', 's', '3', '1', '2'],
    ['SMEMBERS', 's'],
    ['SADD', 't', '2', '3', '4'],
    ['SINTER', 's', 't'],
    ['ZADD', 'z', '1.5', 'a', '2', 'b', 'inf', 'c'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZSCORE', 'z', 'a'],
    ['ZINCRBY', 'z', '0.25', 'b'],
    ['ZRANK', 'z', 'nobody'],
    ['SCAN', '0'],
    ['SET', 'ttl', 'v', 'EX', '100'],
    ['TTL', 'ttl'],
    ['PTTL', 'ttl'],
    ['TIME'],
    ['MULTI'],
    ['INCR', 'n'],
    ['GET', 'k'],
    ['LPUSH', 'k', 'x'],
    ['EXEC'],
    ['HELLO', '3'],
    ['HGETALL', 'h'],
    ['ZSCORE', 'z', 'a'],
    ['SMISMEMBER', 's', '1', '9'],
    ['HELLO', '2'],
    ['CONFIG', 'GET', 'maxmemory*'],
    ['OBJECT', 'ENCODING', 's'],
    ['SUBSCRIBE', 'a', 'b'],
    ['PING'],
    ['GET', 'k'],
    ['UNSUBSCRIBE'],
  ];
  for (const argv of script) {
    const [door, exec] = run(argv);
    assert.deepEqual(door, exec, `${argv.map(String).join(' ')}`);
  }
});

test('arguments the door hands to exec: numbers, BigInts, wrong types, not an array', () => {
  const { run, door } = twins();
  for (const argv of [
    ['SET', 'n', 42],
    ['INCRBY', 'n', 10n],
    ['SET', 'x', 1.5],
    ['GET', {}],
    ['SET', 'k', NaN],
    'GET k',
  ]) {
    const [a, b] = run(argv);
    assert.deepEqual(a, b, String(argv));
    assert.equal(door.known, false);
  }
  assert.deepEqual(run(['GET', 'n']), ['52', '52']);
  assert.equal(door.known, true);
});

test('blocked commands, late replies and pub/sub messages as exec and takeDeliveries give them', () => {
  const { run, viaDoor, viaExec, door } = twins();
  assert.deepEqual(run(['BLPOP', 'queue', '0'], 'waiter'), [{ blocked: true }, { blocked: true }]);
  assert.deepEqual(run(['GET', 'x'], 'waiter'), [{ blocked: true }, { blocked: true }]);
  assert.equal(door.waiting, false);
  assert.deepEqual(run(['RPUSH', 'queue', 'job']), [1, 1]);
  assert.equal(door.waiting, true);
  assert.deepEqual(viaDoor.takeDeliveries(), viaExec.takeDeliveries());
  assert.deepEqual(run(['SUBSCRIBE', 'news'], 'reader'), [
    { replies: [['subscribe', 'news', 1]] },
    { replies: [['subscribe', 'news', 1]] },
  ]);
  assert.deepEqual(run(['PUBLISH', 'news', 'héllo']), [1, 1]);
  assert.equal(door.waiting, true);
  const delivered = viaDoor.takeDeliveries();
  assert.deepEqual(delivered, viaExec.takeDeliveries());
  assert.deepEqual(delivered.map((d) => d.reply), [['message', 'news', 'héllo']]);
  run(['PING']);
  assert.equal(door.waiting, false);
});

test('the deadline the door reports is nextDeadline, and none while the clock is frozen', () => {
  const pg = new Playground();
  const door = new Door(pg);
  const c = pg.openClient('c');
  door.exec(c, ['SET', 'a', '1']);
  assert.equal(door.deadline, undefined);
  door.exec(c, ['SET', 'a', '1', 'PX', '5000']);
  assert.equal(typeof door.deadline, 'number');
  assert.equal(door.deadline, pg.nextDeadline());
  door.exec(c, ['SET', 'b', '1', 'PX', '1000']);
  assert.equal(door.deadline, pg.nextDeadline());
  door.exec(c, ['PERSIST', 'b']);
  door.exec(c, ['PERSIST', 'a']);
  assert.equal(door.deadline, undefined);
  door.exec(c, ['SET', 'a', '1', 'PX', '5000']);
  pg.freeze();
  door.exec(c, ['GET', 'a']);
  assert.equal(door.deadline, undefined);
});

test('the wall time passed in is the time of the command', () => {
  const pg = new Playground();
  const door = new Door(pg);
  const c = pg.openClient('c');
  const realExec = pg.execRequest.bind(pg);
  // A door whose idea of now is ten seconds ahead: TIME answers with that instant.
  pg.execRequest = (id, len) => realExec(id, len, Date.now() + 10_000);
  const [seconds] = door.exec(c, ['TIME']);
  assert.ok(Math.abs(Number(seconds) - (Date.now() + 10_000) / 1000) < 2, seconds);
  // The clock follows Date.now() again afterwards.
  pg.execRequest = realExec;
  assert.ok(Math.abs(pg.now() - Date.now()) < 1000);
});

test('big argvs grow the request area, big replies grow the memory; both doors keep agreeing', () => {
  const { run, viaDoor } = twins();
  const memory = viaDoor.memory();
  const before = memory.buffer.byteLength;
  const huge = 'v'.repeat(3_000_000);
  const hugeWide = 'ж'.repeat(1_000_000);
  for (const argv of [
    ['SET', 'huge', huge],
    ['GET', 'huge'],
    ['APPEND', 'huge', hugeWide],
    ['STRLEN', 'huge'],
    ['RPUSH', 'many', ...Array.from({ length: 50_000 }, (_, i) => `item:${i}`)],
    ['LRANGE', 'many', '0', '-1'],
    ['GET', 'huge'],
    ['SET', 'small', 'ok'],
    ['GET', 'small'],
  ]) {
    const [a, b] = run(argv);
    assert.deepEqual(a, b, argv[0]);
  }
  assert.ok(memory.buffer.byteLength > before, 'the memory grew');
});

test('two playgrounds of one module share the request area safely', () => {
  const a = new Playground();
  const b = new Playground();
  const doorA = new Door(a);
  const doorB = new Door(b);
  const ca = a.openClient('x');
  const cb = b.openClient('x');
  doorA.exec(ca, ['SET', 'k', 'from a']);
  doorB.exec(cb, ['SET', 'k', 'x'.repeat(200_000)]);
  assert.equal(doorA.exec(ca, ['GET', 'k']), 'from a');
  assert.equal(doorB.exec(cb, ['STRLEN', 'k']), 200_000);
});

test('a malformed request is an error reply, never a trap', () => {
  const pg = new Playground();
  const c = pg.openClient('c');
  const door = new Door(pg);
  const write = (...words) => {
    const ptr = pg.requestArea(64);
    const view = new DataView(pg.memory().buffer);
    words.forEach((w, i) => view.setUint32(ptr + 4 * i, w, true));
    return words.length * 4;
  };
  const read = (at) => {
    // Header (deadline, waiting), then an error item whose text is ASCII.
    const mem = new Uint8Array(pg.memory().buffer);
    assert.equal(mem[at + 9], 6);
    assert.equal(mem[at + 10], 1);
    const len = new DataView(pg.memory().buffer).getUint32(at + 11, true);
    return new TextDecoder().decode(mem.subarray(at + 15, at + 15 + len));
  };
  // argc says two arguments, none follows; an argument longer than the request; extra bytes.
  assert.equal(read(pg.execRequest(c, write(2), NaN)), 'ERR malformed request');
  assert.equal(read(pg.execRequest(c, write(1, 1_000_000), NaN)), 'ERR malformed request');
  assert.equal(read(pg.execRequest(c, write(0, 7), NaN)), 'ERR malformed request');
  assert.equal(read(pg.execRequest(c, 3, NaN)), 'ERR malformed request');
  // A length beyond the request area itself.
  assert.equal(read(pg.execRequest(c, 0xffff_ffff, NaN)), 'ERR malformed request');
  assert.equal(pg.requestArea(0xffff_ffff), 0);
  // No arguments at all: the engine's own answer.
  assert.deepEqual(door.exec(c, []), pg.exec(c, []));
  assert.equal(door.exec(c, ['PING']), 'PONG');
});

test('a Session runs its commands through the door and drains as before', async () => {
  const pg = new Playground();
  const session = new Session(pg);
  assert.ok(session.door instanceof Door);
  const waiter = pg.openClient('waiter');
  const pusher = pg.openClient('pusher');
  const late = session.exec(waiter, ['BLPOP', 'q', '0']);
  assert.equal(session.quiet(), true);
  assert.equal(await session.exec(pusher, ['RPUSH', 'q', 'job']), 1);
  assert.deepEqual(await late, ['q', 'job']);
  await session.exec(pusher, ['SET', 'k', 'v', 'PX', '60000']);
  assert.equal(session.quiet(), true, 'the timer was armed by exec for the new deadline');
  session.close();
});

test('the client on the door: hGetAll objects without a prototype, a __proto__ field included', async () => {
  const { createClient } = await import('../../www/redis.js');
  const client = createClient({ playground: new Playground() });
  await client.connect();
  await client.hSet('h', [['name', 'Alice'], ['__proto__', 'x'], ['age', '30']]);
  const got = await client.hGetAll('h');
  assert.equal(Object.getPrototypeOf(got), null);
  assert.deepEqual(Object.entries(got).sort(), [['__proto__', 'x'], ['age', '30'], ['name', 'Alice']]);
  const plain = await client.hGetAll('nohash');
  assert.equal(Object.getPrototypeOf(plain), null);
  assert.deepEqual(Object.keys(plain), []);
  await client.quit();
});

test('short strings read back again (and strings that share a cache slot) stay exact', () => {
  const { run } = twins();
  // 6,000 distinct short values for 2,048 slots: many share a slot; every one is read twice.
  const values = Array.from({ length: 6000 }, (_, i) => `v${i.toString(36)}:${'x'.repeat(i % 30)}`);
  for (let i = 0; i < values.length; i += 500) run(['RPUSH', 'l', ...values.slice(i, i + 500)]);
  for (let round = 0; round < 2; round++) {
    const [a, b] = run(['LRANGE', 'l', '0', '-1']);
    assert.deepEqual(a, b);
    assert.deepEqual(a, values);
  }
  // Same length, same slot or not, different bytes: never confused.
  assert.deepEqual(run(['ECHO', 'ab']), ['ab', 'ab']);
  assert.deepEqual(run(['ECHO', 'ba']), ['ba', 'ba']);
  assert.deepEqual(run(['ECHO', 'ab']), ['ab', 'ab']);
});

test('field names asked for as property names are the same strings, whatever their slot held before', () => {
  const pg = new Playground();
  const door = new Door(pg);
  const c = pg.openClient('keys');
  // Awkward names too: JSON escapes, a control character, an index, __proto__, the empty string.
  const odd = ['say "hi"', 'back\\slash', 'a\u0001b', '0', '__proto__', ''];
  const fields = [...odd, ...Array.from({ length: 3000 }, (_, i) => `f${i.toString(36)}`)];
  for (let i = 0; i < fields.length; i += 500) {
    door.exec(c, ['HSET', 'h', ...fields.slice(i, i + 500).flatMap((f) => [f, `v:${f}`])]);
  }
  const many = Array.from({ length: 5000 }, (_, i) => `other${i}`);
  door.exec(c, ['RPUSH', 'l', ...many]);
  for (let round = 0; round < 3; round++) {
    const got = door.exec(c, ['HGETALL', 'h'], true);
    assert.deepEqual(got, pg.exec(c, ['HGETALL', 'h']));
    // Other strings take the slots over between two reads.
    assert.deepEqual(door.exec(c, ['LRANGE', 'l', '0', '-1']), many);
    if (round === 1) pg.requestArea(16); // the engine forgets its table: both start again
  }
  // Not an array: as without it.
  assert.deepEqual(door.exec(c, ['GET', 'h'], true), pg.exec(c, ['GET', 'h']));
  assert.deepEqual(door.exec(c, ['HGETALL', 'none'], true), []);
});
