// The player's text formatting against its references: util.inspect for JS values (what
// console.log prints in Node) and the engine's own execLine for redis-cli replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect as nodeInspect, format as nodeFormat } from 'node:util';
import { inspect, formatLogArgs, formatReply, formatCommand, compareStated, blockingTimeoutMs } from '../../www/format.js';
import { loadPlayground } from './load.mjs';

const nullProto = (o) => Object.assign(Object.create(null), o);
class Point { constructor() { this.x = 1; this.y = 2; } }

const VALUES = [
  'Alice', '', "it's", 'say "hi"', 'a\nb', 'tab\there', 42, -0, 1.5, 12345678901234567890n, true,
  null, undefined, [], {}, [1, 2, 3], ['a', 'b'],
  { name: 'Alice', email: 'alice@example.com', age: '30', role: 'admin', loginCount: '0' },
  nullProto({ name: 'Alice', email: 'alice@example.com', age: '30', role: 'admin', loginCount: '0' }),
  nullProto({}), nullProto({ a: '1' }),
  ['name', 'email', 'age', 'loginCount'],
  [{ value: 'Diana', score: 1280 }, { value: 'Bob', score: 1350 }, { value: 'Charlie', score: 1420 }, { value: 'Alice', score: 1500 }],
  { key: 'queue:jobs', element: 'job-1' },
  { items: [{ type: 'follow', userId: '1002', timestamp: 1767225600000 }], total: 3, page: 2, pages: 2 },
  { rankings: [{ rank: 1, userId: 'carol', score: 150 }, { rank: 2, userId: 'bob', score: 130 }], total: 5, page: 1, pages: 3 },
  Array.from({ length: 30 }, (_, i) => i * 7),
  Array.from({ length: 12 }, (_, i) => `item-${i}`),
  Array.from({ length: 120 }, (_, i) => i),
  { a: { b: { c: { d: { e: 1 } } } } },
  { 'needs-quote': 1, ok: 2, 3: 'x' },
  new Map([['a', 1]]), new Set(['x', 'y']), new Point(),
  [[1, 2], [3, [4, [5, [6]]]]],
  { long: 'x'.repeat(100) },
  { text: 'line one is long enough\nline two is also long enough to split the string\nthree' },
  [undefined, null, , 3], // eslint-disable-line no-sparse-arrays
];

test('inspect matches util.inspect', () => {
  for (const v of VALUES) assert.equal(inspect(v), nodeInspect(v), `for ${nodeInspect(v)}`);
});

test('console.log formatting matches util.format', () => {
  const cases = [['Profile cache HIT'], ['%s: %dms', 'first', 41.5], ['a', 1, { b: 2 }], [{ x: 1 }, 'y'], ['100%', 'done'], ['%o', 'str'], ['%j', { a: 1 }]];
  for (const args of cases) assert.equal(formatLogArgs(args), nodeFormat(...args));
});

test('formatReply reproduces execLine for the lessons\' commands', async () => {
  const { Playground } = await loadPlayground();
  const pg = new Playground();
  const a = pg.openClient('a');
  const b = pg.openClient('b');
  const lines = [
    ['HSET', 'user:1001', 'name', 'Alice', 'email', 'alice@example.com'], ['HGET', 'user:1001', 'name'],
    ['HGETALL', 'user:1001'], ['HGETALL', 'nope'], ['EXPIRE', 'user:1001', '3600'], ['LTRIM', 'l', '0', '99'],
    ['SET', 'k', 'OK'], ['GET', 'k'], ['SET', 'k', 'v', 'GET'], ['TYPE', 'k'], ['PING'], ['PING', 'hi'],
    ['RPUSH', 'l', ...Array.from({ length: 12 }, (_, i) => `e${i}`)], ['LRANGE', 'l', '0', '-1'],
    ['ZADD', 'z', '1.5', 'a', '2', 'b'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'z', 'a'],
    ['ZREVRANK', 'z', 'nobody'], ['NOSUCH', 'x'], ['GET', 'bin\x01"\\'], ['SET', 'q', 'a"b\n\x7f'], ['GET', 'q'],
    ['LPOP', 'missing'], ['MULTI'], ['SET', 'm', '1'], ['EXEC'], ['SUBSCRIBE', 'c1', 'c2'],
  ];
  for (const argv of lines) {
    const client = argv[0] === 'SUBSCRIBE' ? b : a;
    const expected = pg.execLine(client, formatCommand(argv));
    // Undo the command's effect on a twin engine so both see the same state: run it again on
    // a second playground fed the same commands.
    assert.ok(expected !== undefined);
    const twin = twinRun(argv);
    assert.equal(formatReply(twin, argv), expected, formatCommand(argv));
  }
  function twinRun(argv) {
    twinRun.pg ??= new Playground();
    twinRun.a ??= twinRun.pg.openClient('a');
    twinRun.b ??= twinRun.pg.openClient('b');
    return twinRun.pg.exec(argv[0] === 'SUBSCRIBE' ? twinRun.b : twinRun.a, argv);
  }
});

test('stated outputs compare by value', () => {
  assert.deepEqual(compareStated('Alice', 'Alice'), { equal: true, sameMembers: false });
  assert.equal(compareStated({ a: '1' }, nullProto({ a: '1' })).equal, true);
  assert.deepEqual(compareStated(['a', 'b'], ['b', 'a']), { equal: false, sameMembers: true });
  assert.equal(compareStated([{ value: 'D', score: 1 }], [{ value: 'D', score: 1 }, { value: 'E', score: 2 }], 'prefix').equal, true);
  assert.equal(compareStated([null, { key: 'q', element: '\u2026' }], { key: 'q', element: 'x' }, 'oneOf').equal, true);
  assert.equal(compareStated(1500, '1500').equal, false);
});

test('blocking timeouts come from the usage text', () => {
  assert.equal(blockingTimeoutMs(['BLPOP', 'a', 'b', '30'], 'key [key ...] timeout'), 30000);
  assert.equal(blockingTimeoutMs(['BLMPOP', '0.5', '1', 'a', 'LEFT'], 'timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]'), 500);
  assert.equal(blockingTimeoutMs(['GET', 'a'], 'key'), null);
});
