// The in-page node-redis v4 client (www/redis.js) on the release engine: argument encodings and
// reply transforms compared, call by call, with node-redis 4.7.1's own command transformers; the
// errors node-redis gives for misuse; MULTI/EXEC with WatchError and MultiErrorReply; pub/sub
// listeners and the unsubscribe rules; SCAN iterators; duplicate(); blocking pops served by
// another client or timed out on the virtual clock; quit/disconnect and events; the observer and
// gate hooks a page uses to show and step through commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadPlayground } from './load.mjs';
import {
  createClient, commandOptions, setPlayground, getSession, setCommandObserver, setCommandGate,
  ErrorReply, WatchError, MultiErrorReply, ClientClosedError, DisconnectsClientError, AbortError,
} from '../../www/redis.js';
import { COMMANDS } from '../../www/redis/commands.js';

const { Playground } = await loadPlayground();
const nodeRedis = createRequire(import.meta.url)('@redis/client/dist/lib/client/commands.js').default;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A fresh engine with a frozen clock and `n` connected clients on it. */
async function setup(n = 1) {
  const pg = new Playground();
  pg.freeze();
  const session = getSession(pg);
  const clients = [];
  for (let i = 0; i < n; i++) {
    const c = createClient({ playground: pg });
    await c.connect();
    clients.push(c);
  }
  const done = async () => {
    setCommandObserver(null);
    setCommandGate(null);
    for (const c of clients) if (c.isOpen) await c.disconnect();
    session.close();
  };
  return { pg, session, clients, done };
}

/** Records every command sent (argv and raw reply) until `stop()`. */
function record() {
  const sent = [];
  setCommandObserver((e) => sent.push(e));
  return sent;
}

// ---- every method against node-redis's own transformers --------------------------------------

// [method, ...args]: run in order on one client (the state carries over). Every method of the
// client's table appears at least once (checked below).
const CALLS = [
  ['set', 'str', 'hello'], ['set', 'num', 42], ['set', 'ttl', 'v', { EX: 100, NX: true }],
  ['set', 'ttl', 'w', { PX: 5000, XX: true, GET: true }], ['set', 'k2', 'v', { EXAT: 4102444800, PX: 1 }],
  ['set', 'k3', 'v', { PXAT: 4102444800000 }], ['set', 'k3', 'x', { KEEPTTL: true, NX: true, XX: true }],
  ['get', 'str'], ['get', 'missing'], ['setNX', 'str', 'x'], ['setNX', 'fresh', 'x'],
  ['setEx', 'ex', 60, 'v'], ['pSetEx', 'pex', 60000, 'v'], ['getSet', 'str', 'hi'], ['getDel', 'fresh'],
  ['getEx', 'ex', { EX: 30 }], ['getEx', 'ex', { PX: 30000 }], ['getEx', 'ex', { EXAT: 4102444800 }],
  ['getEx', 'ex', { PXAT: new Date(4102444800000) }], ['getEx', 'ex', { PERSIST: true }],
  ['mSet', { a: '1', b: '2' }], ['mSet', [['c', '3'], ['d', '4']]], ['mSet', ['e', '5']],
  ['mSetNX', { a: '9', z: '9' }], ['mSetNX', ['y', '1']], ['mGet', ['a', 'b', 'nope']],
  ['append', 'str', '!'], ['strLen', 'str'], ['incr', 'n'], ['incrBy', 'n', 10], ['incrByFloat', 'f', 1.5],
  ['decr', 'n'], ['decrBy', 'n', 3], ['getRange', 'str', 0, 1], ['setRange', 'str', 1, 'ey'],
  ['exists', 'a'], ['exists', ['a', 'b', 'nope']], ['touch', ['a', 'b']], ['touch', 'a'],
  ['expire', 'a', 100], ['expire', 'a', 50, 'GT'], ['expire', 'nope', 10], ['pExpire', 'b', 100000],
  ['expireAt', 'c', 4102444800], ['expireAt', 'c', new Date(4102444800000), 'LT'], ['pExpireAt', 'd', 4102444800000],
  ['expireTime', 'c'], ['pExpireTime', 'd'], ['ttl', 'a'], ['ttl', 'str'], ['ttl', 'nope'], ['pTTL', 'b'],
  ['persist', 'a'], ['persist', 'a'], ['type', 'a'], ['type', 'nope'], ['rename', 'e', 'e2'],
  ['renameNX', 'e2', 'a'], ['renameNX', 'e2', 'e3'], ['copy', 'e3', 'e4'], ['copy', 'e3', 'e4', { replace: true }],
  ['copy', 'e3', 'e4', { destinationDb: 1 }], ['move', 'e4', 2], ['del', 'e3'], ['del', ['y', 'z', 'nope']],
  ['unlink', 'a'], ['unlink', ['b']], ['keys', 'k*'], ['scan', 0], ['scan', 0, { MATCH: 'k*', COUNT: 100, TYPE: 'string' }],
  ['randomKey'], ['objectEncoding', 'num'], ['ping'], ['ping', 'hi'], ['echo', 'yo'], ['dbSize'],
  ['configGet', 'maxmemory-policy'], ['configSet', 'hash-max-listpack-entries', '128'],
  ['configSet', { 'hash-max-listpack-entries': '128' }], ['clientSetName', 'me'], ['clientGetName'],
  ['swapDb', 1, 2], ['swapDb', 1, 2],
  ['hSet', 'h', 'f', 'v'], ['hSet', 'h', 'n', 5], ['hSet', 'h', { a: '1', b: 2 }],
  ['hSet', 'h', new Map([['c', '3'], ['d', 4]])], ['hSet', 'h', [['e', '5'], ['f2', '6']]], ['hSet', 'h', ['g', '7']],
  ['hSetNX', 'h', 'f', 'x'], ['hSetNX', 'h', 'new', 'x'], ['hGet', 'h', 'f'], ['hGet', 'h', 'nope'],
  ['hGetAll', 'h'], ['hGetAll', 'nope'], ['hmGet', 'h', ['a', 'nope']], ['hmGet', 'h', 'b'],
  ['hExists', 'h', 'a'], ['hExists', 'h', 'nope'], ['hIncrBy', 'h', 'n', 2], ['hIncrByFloat', 'h', 'n', 0.5],
  ['hDel', 'h', 'g'], ['hDel', 'h', ['e', 'f2', 'nope']], ['hKeys', 'h'], ['hVals', 'h'], ['hLen', 'h'],
  ['hStrLen', 'h', 'f'], ['hRandFieldCount', 'h', 0], ['hRandFieldCountWithValues', 'h', 0],
  ['hSet', 'one', 'only', 'x'], ['hRandField', 'one'], ['hRandFieldCountWithValues', 'one', 1], ['hScan', 'one', 0],
  ['hScan', 'h', 0, { MATCH: 'a*', COUNT: 10 }],
  ['lPush', 'l', 'a'], ['lPush', 'l', ['b', 'c']], ['rPush', 'l', 'd'], ['rPush', 'l', ['e', 'f']],
  ['lPushX', 'l', 'x'], ['lPushX', 'nope', ['x']], ['rPushX', 'l', ['y']], ['lRange', 'l', 0, -1],
  ['lPop', 'l'], ['rPop', 'l'], ['lPopCount', 'l', 2], ['rPopCount', 'l', 1], ['lPopCount', 'nope', 2],
  ['lLen', 'l'], ['lTrim', 'l', 0, 10], ['lIndex', 'l', 0], ['lIndex', 'l', 99], ['lSet', 'l', 0, 'z'],
  ['rPush', 'l', ['d', 'd', 'q']], ['lRem', 'l', 1, 'd'], ['lInsert', 'l', 'BEFORE', 'q', 'p'],
  ['lPos', 'l', 'd'], ['lPos', 'l', 'd', { RANK: 1, MAXLEN: 10 }], ['lPos', 'l', 'nope'],
  ['lPosCount', 'l', 'd', 0], ['lPosCount', 'l', 'd', 1, { RANK: -1, MAXLEN: 0 }],
  ['lMove', 'l', 'l2', 'LEFT', 'RIGHT'], ['rPopLPush', 'l', 'l2'],
  ['rPush', 'l2', ['w1', 'w2', 'w3']], ['blPop', 'l', 1], ['blPop', ['nope', 'l2'], 0], ['brPop', ['l2'], 0.5], ['blMove', 'l2', 'l', 'RIGHT', 'LEFT', 0],
  ['brPopLPush', 'l', 'l2', 0],
  ['sAdd', 's', 'a'], ['sAdd', 's', ['b', 'c', 'd']], ['sAdd', 's2', ['c', 'd', 'e']], ['sAdd', 'one-member', 'm'],
  ['sRem', 's', 'd'], ['sRem', 's', ['x', 'y']], ['sMembers', 'one-member'], ['sIsMember', 's', 'a'],
  ['sIsMember', 's', 'z'], ['smIsMember', 's', ['a', 'z']], ['sCard', 's'], ['sInter', ['s', 's2']],
  ['sInter', 's'], ['sUnion', ['one-member', 'one-member']], ['sDiff', ['s2', 's']], ['sInterStore', 'si', ['s', 's2']],
  ['sUnionStore', 'su', ['s', 's2']], ['sDiffStore', 'sd', ['s', 's2']], ['sInterCard', ['s', 's2']],
  ['sInterCard', 's', 1], ['sRandMember', 'one-member'], ['sRandMember', 'nope'], ['sRandMemberCount', 'one-member', 1],
  ['sMove', 'su', 'one-member', 'e'], ['sMove', 'su', 'one-member', 'nope'], ['sPop', 'sd'], ['sPop', 'si', 5],
  ['sScan', 'one-member', 0], ['sScan', 'su', 0, { MATCH: '*', COUNT: 5 }],
  ['zAdd', 'z', { score: 1, value: 'a' }], ['zAdd', 'z', [{ score: 2, value: 'b' }, { score: 3, value: 'c' }]],
  ['zAdd', 'z', { score: -Infinity, value: 'lo' }, { NX: true }], ['zAdd', 'z', { score: 5, value: 'a' }, { XX: true, GT: true, CH: true }],
  ['zAdd', 'z', { score: 0, value: 'a' }, { LT: true }], ['zAdd', 'z', { score: 1, value: 'b' }, { INCR: true }],
  ['zAdd', 'z', { score: 1, value: 'q' }, { NX: true, XX: true, GT: true }],
  ['zIncrBy', 'z', 2.5, 'c'], ['zScore', 'z', 'c'], ['zScore', 'z', 'lo'], ['zScore', 'z', 'nope'],
  ['zmScore', 'z', ['a', 'nope']], ['zmScore', 'z', 'b'], ['zRank', 'z', 'b'], ['zRank', 'z', 'nope'],
  ['zRevRank', 'z', 'b'], ['zCard', 'z'], ['zCount', 'z', 0, 10], ['zCount', 'z', '(0', '+inf'],
  ['zCount', 'z', -Infinity, 3], ['zLexCount', 'z', '-', '+'],
  ['zRange', 'z', 0, -1], ['zRange', 'z', 1, 3, { BY: 'SCORE' }], ['zRange', 'z', 3, 1, { BY: 'SCORE', REV: true }],
  ['zRange', 'z', '+', '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: 2 } }],
  ['zRangeWithScores', 'z', 0, -1], ['zRangeWithScores', 'z', 0, 1, { REV: true }],
  ['zRangeByScore', 'z', 0, '+inf'], ['zRangeByScore', 'z', -Infinity, 10, { LIMIT: { offset: 1, count: 1 } }],
  ['zRangeByScoreWithScores', 'z', 1, 5], ['zRangeByLex', 'z', '-', '[c', { LIMIT: { offset: 0, count: 5 } }],
  ['zRangeStore', 'zs', 'z', 0, 1], ['zRangeStore', 'zs', 'z', 1, 10, { BY: 'SCORE', REV: false, LIMIT: { offset: 0, count: 9 } }],
  ['zAdd', 'z2', [{ score: 1, value: 'a' }, { score: 1, value: 'x' }]],
  ['zUnion', ['z', 'z2']], ['zUnion', 'z2', { WEIGHTS: [2], AGGREGATE: 'MAX' }], ['zUnionWithScores', ['z', 'z2']],
  ['zInter', ['z', 'z2']], ['zInterWithScores', ['z', 'z2'], { WEIGHTS: [1, 3] }], ['zDiff', ['z', 'z2']],
  ['zDiffWithScores', 'z2'], ['zUnionStore', 'zu', ['z', 'z2']], ['zInterStore', 'zi', ['z', 'z2'], { AGGREGATE: 'SUM' }],
  ['zDiffStore', 'zd', ['z', 'z2']], ['zRemRangeByScore', 'zu', 0, 1.5], ['zRemRangeByRank', 'zu', 0, 0],
  ['zRemRangeByLex', 'zu', '[a', '[b'], ['zRem', 'zu', 'c'], ['zRem', 'zu', ['x', 'y']],
  ['zPopMin', 'z'], ['zPopMax', 'z'], ['zPopMin', 'nope'], ['zPopMinCount', 'z', 1], ['zPopMaxCount', 'z', 5],
  ['zAdd', 'z3', { score: 7, value: 'only' }], ['zRandMember', 'z3'], ['zRandMemberCount', 'z3', 1],
  ['zRandMemberCountWithScores', 'z3', -1], ['zScan', 'z3', 0], ['zScan', 'z2', 0, { MATCH: '*', COUNT: 1 }],
  ['zAdd', 'zb', { score: 4, value: 'm' }], ['bzPopMin', 'zb', 0], ['zAdd', 'zb', { score: 4, value: 'm' }],
  ['bzPopMax', ['nope', 'zb'], 1],
  ['publish', 'chan', 'msg'], ['pubSubChannels'], ['pubSubChannels', 'c*'], ['pubSubNumSub'],
  ['pubSubNumSub', ['chan', 'other']], ['pubSubNumSub', 'chan'], ['pubSubNumPat'],
  ['watch', 'a'], ['watch', ['b', 'c']], ['unwatch'], ['info', 'keyspace'], ['time'], ['clientId'],
  ['flushDb'], ['flushAll', 'SYNC'],
];

test('every method: the argv and the reply are exactly what node-redis 4.7.1 makes of them', async () => {
  const { clients: [c], done } = await setup();
  const sent = record();
  const covered = new Set();
  for (const [method, ...args] of CALLS) {
    covered.add(method);
    sent.length = 0;
    const result = await c[method](...args);
    const spec = nodeRedis[method];
    assert.ok(spec, `node-redis has ${method}`);
    assert.equal(sent.length, 1, `${method} sends one command`);
    const { argv, reply } = sent[0];
    assert.ok(!(reply && reply.error), `${method}(${JSON.stringify(args)}) succeeds: ${reply?.error}`);
    assert.deepEqual(argv, spec.transformArguments(...args), `${method}(${JSON.stringify(args)}): argv`);
    if (method === 'time') {
      assert.ok(result instanceof Date && result.getTime() === spec.transformReply(reply).getTime());
      assert.equal(result.microseconds, spec.transformReply(reply).microseconds);
      continue;
    }
    const expected = spec.transformReply ? spec.transformReply(reply, argv.preserve) : reply;
    assert.deepEqual(result, expected, `${method}(${JSON.stringify(args)}): reply ${JSON.stringify(reply)}`);
    if (result !== null && typeof result === 'object' && !Array.isArray(result) && expected !== null) {
      assert.equal(Object.getPrototypeOf(result), Object.getPrototypeOf(expected), `${method}: prototype`);
    }
  }
  const missing = Object.keys(COMMANDS).filter((m) => !covered.has(m));
  assert.deepEqual(missing, [], 'every method of the client is exercised');
  await done();
});

test('scores: Infinity both ways, "inf" replies included (node-redis 4.7.1 would give NaN there)', async () => {
  const { clients: [c], done } = await setup();
  const sent = record();
  await c.zAdd('z', [{ score: Infinity, value: 'top' }, { score: -Infinity, value: 'bottom' }, { score: 1.5, value: 'mid' }]);
  assert.deepEqual(sent[0].argv, ['ZADD', 'z', '+inf', 'top', '-inf', 'bottom', '1.5', 'mid']);
  assert.equal(await c.zScore('z', 'top'), Infinity);
  assert.equal(sent.at(-1).reply, 'inf', 'Redis 7 writes +inf as "inf"');
  assert.equal(await c.zScore('z', 'bottom'), -Infinity);
  assert.deepEqual(await c.zRangeWithScores('z', 0, -1), [
    { value: 'bottom', score: -Infinity }, { value: 'mid', score: 1.5 }, { value: 'top', score: Infinity },
  ]);
  assert.deepEqual(await c.zRangeByScore('z', -Infinity, Infinity), ['bottom', 'mid', 'top']);
  assert.deepEqual(sent.at(-1).argv, ['ZRANGEBYSCORE', 'z', '-inf', '+inf']);
  // ZADD INCR with NX on an existing member does nothing and answers nil: null here.
  assert.equal(await c.zAdd('z', { score: 1, value: 'mid' }, { NX: true, INCR: true }), null);
  assert.equal(await c.zIncrBy('z', 0.25, 'mid'), 1.75);
  await done();
});

test('the course\'s hSet object and its HGETALL object without a prototype', async () => {
  const { clients: [c], done } = await setup();
  assert.equal(await c.hSet('user:1', { name: 'Alice', age: 30, toString: 'x' }), 3);
  const h = await c.hGetAll('user:1');
  assert.equal(Object.getPrototypeOf(h), null);
  assert.deepEqual(Object.entries(h), [['name', 'Alice'], ['age', '30'], ['toString', 'x']]);
  const none = await c.hGetAll('nope');
  assert.equal(Object.getPrototypeOf(none), null);
  assert.deepEqual(Object.keys(none), []);
  await done();
});

// ---- misuse ------------------------------------------------------------------------------------

test('misuse: node-redis\'s errors and messages', async () => {
  const pg = new Playground();
  const c = createClient({ playground: pg });
  assert.equal(c.isOpen, false);
  await assert.rejects(c.get('k'), (e) => e instanceof ClientClosedError && e.message === 'The client is closed');
  await assert.rejects(c.multi().set('a', '1').exec(), ClientClosedError);
  await assert.rejects(c.subscribe('ch', () => {}), ClientClosedError);
  await assert.rejects(c.quit(), ClientClosedError);
  await assert.rejects(c.disconnect(), ClientClosedError);
  await c.connect();
  await assert.rejects(c.connect(), (e) => e.constructor === Error && e.message === 'Socket already opened');
  const sent = record();
  for (const call of [() => c.sAdd('k', 1), () => c.publish('ch', 1), () => c.get(undefined), () => c.set('k', null),
    () => c.lPush('k', ['a', 2]), () => c.sendCommand(['SET', 'k', 1]), () => c.sendCommand([]), () => c.sendCommand('PING')]) {
    await assert.rejects(call(), (e) => e.constructor === TypeError && e.message === 'Invalid argument type');
  }
  // Numeric parameters go through n.toString(), so a missing one fails before anything is sent.
  await assert.rejects(c.expire('k'), TypeError);
  await assert.rejects(c.lRange('k', 0), TypeError);
  assert.throws(() => c.multi().incrBy('k'), TypeError, 'a MULTI chain builds its argv at once');
  await assert.rejects(c.multi().set('a', '1').sAdd('s', 1).exec(), { name: 'TypeError', message: 'Invalid argument type' });
  assert.deepEqual(sent, [], 'nothing reached the engine');
  assert.equal(await c.get('a'), null, 'the MULTI with a bad argument sent nothing');
  // A server error rejects with ErrorReply, whose message is the server's text.
  await c.set('str', 'v');
  await assert.rejects(c.lPush('str', 'x'), (e) => e instanceof ErrorReply && e.message === 'WRONGTYPE Operation against a key holding the wrong kind of value');
  await assert.rejects(c.sendCommand(['NOSUCH']), { message: "ERR unknown command 'NOSUCH', with args beginning with: " });
  await assert.rejects(c.incr('str'), { message: 'ERR value is not an integer or out of range' });
  assert.equal(await c.quit(), 'OK');
  assert.equal(c.isOpen, false);
  await assert.rejects(c.get('k'), ClientClosedError);
  await assert.rejects(c.quit(), ClientClosedError);
  assert.throws(() => createClient({ url: 'http://localhost:6379' }), { name: 'TypeError', message: 'Invalid protocol' });
  assert.throws(() => createClient({ url: 'redis://localhost:6379/x' }), { name: 'TypeError', message: 'Invalid pathname' });
  setCommandObserver(null);
  getSession(pg).close();
});

test('sendCommand: any argv, the raw reply; big integers as numbers; bytes in and out', async () => {
  const { clients: [c], done } = await setup();
  assert.equal(await c.sendCommand(['SET', 'k', 'v']), 'OK');
  assert.deepEqual(await c.sendCommand(['hset', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4']), 4);
  assert.deepEqual(await c.sendCommand(['HGETALL', 'h']), ['a', '1', 'b', '2', 'c', '3', 'd', '4']);
  assert.equal(await c.sendCommand(['INCRBY', 'big', '9007199254740993']), 9007199254740992, 'as node-redis parses it');
  assert.equal(await c.sendCommand(['SET', 'bin', new Uint8Array([0x68, 0x69])]), 'OK');
  assert.equal(await c.get('bin'), 'hi');
  const bytes = await c.get(commandOptions({ returnBuffers: true }), 'bin');
  assert.ok(Buffer.isBuffer(bytes));
  assert.deepEqual([...bytes], [0x68, 0x69]);
  const hash = await c.hGetAll(commandOptions({ returnBuffers: true }), 'h');
  assert.ok(Buffer.isBuffer(hash.a));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(c.get(commandOptions({ signal: controller.signal }), 'k'), AbortError);
  await done();
});

// ---- connection --------------------------------------------------------------------------------

test('connect/quit/disconnect: isOpen, isReady, events in order, on/once/off', async () => {
  const pg = new Playground();
  const c = createClient({ playground: pg });
  const events = [];
  const onEnd = () => events.push('end');
  c.on('connect', () => events.push('connect')).once('ready', () => events.push('ready')).on('end', onEnd);
  const opening = c.connect();
  assert.equal(c.isOpen, true, 'open from the call on');
  assert.equal(c.isReady, false);
  const early = c.set('early', '1'); // queued until ready, as node-redis's offline queue does
  assert.equal(await opening, c, 'connect() resolves to the client');
  assert.deepEqual(events, ['connect', 'ready']);
  assert.equal(c.isReady, true);
  assert.equal(await early, 'OK');
  assert.equal(await c.quit(), 'OK');
  assert.deepEqual(events, ['connect', 'ready', 'end']);
  assert.equal(c.isReady, false);
  c.off('end', onEnd);
  await c.connect(); // a client can connect again
  assert.deepEqual(events, ['connect', 'ready', 'end', 'connect'], 'once: ready was heard once; end was removed');
  assert.equal(await c.get('early'), '1');
  await c.disconnect();
  assert.equal(c.isOpen, false);
  getSession(pg).close();
});

test('createClient: url database and name are the connection\'s; select() changes it', async () => {
  const pg = new Playground();
  const c = createClient({ url: 'redis://user:pw@localhost:6379/3', playground: pg, name: 'web' });
  await c.connect();
  await c.set('k', 'in 3');
  assert.equal(await c.clientGetName(), 'web');
  const other = createClient({ playground: pg });
  await other.connect();
  assert.equal(await other.get('k'), null);
  assert.equal(await other.select(3), undefined);
  assert.equal(await other.get('k'), 'in 3');
  const dup = c.duplicate();
  await dup.connect();
  assert.equal(await dup.get('k'), 'in 3', 'duplicate() keeps the options: database 3');
  for (const x of [c, other, dup]) await x.quit();
  getSession(pg).close();
});

test('duplicate(): a new, unconnected client on the same engine, with overrides', async () => {
  const { pg, clients: [c], done } = await setup();
  const d = c.duplicate();
  assert.equal(d.isOpen, false);
  await d.connect();
  assert.notEqual(await d.clientId(), await c.clientId());
  assert.notEqual(d.playgroundClientId, c.playgroundClientId);
  await c.set('shared', 'yes');
  assert.equal(await d.get('shared'), 'yes', 'same engine');
  const e = c.duplicate({ database: 5 });
  await e.connect();
  assert.equal(await e.get('shared'), null);
  assert.equal(pg.clientDb(e.playgroundClientId), 5);
  await d.quit();
  await e.quit();
  await done();
});

test('the default engine: loaded on first connect, or the one setPlayground() gives', async () => {
  setPlayground(null);
  const a = createClient();
  await a.connect();
  await a.set('where', 'default');
  const b = createClient();
  await b.connect();
  assert.equal(await b.get('where'), 'default', 'both on the one default engine');
  const pg = new Playground();
  const session = setPlayground(pg);
  assert.equal(session, getSession(pg));
  assert.equal(getSession(), session);
  const c = createClient();
  await c.connect();
  assert.equal(await c.get('where'), null, 'a client connected after setPlayground() uses that engine');
  const d = a.duplicate();
  await d.connect();
  assert.equal(await d.get('where'), 'default', 'a duplicate stays on its original\'s engine');
  assert.throws(() => setPlayground(new (session.constructor)(pg)), /another Session/);
  for (const x of [a, b, c, d]) await x.quit();
  getSession(a.options.playground ?? undefined)?.close();
  setPlayground(null);
  session.close();
});

// ---- blocking ----------------------------------------------------------------------------------

test('blPop: served by another client; commands sent after it wait behind it', async () => {
  const { clients: [worker, producer], done } = await setup(2);
  let served = false;
  const job = worker.blPop('jobs', 0).then((r) => { served = true; return r; });
  const behind = worker.lLen('jobs');
  const after = worker.multi().rPush('log', 'x').lRange('log', 0, -1).exec();
  await turn();
  assert.equal(served, false);
  assert.equal(await producer.exists('log'), 0, 'the MULTI behind BLPOP has not run');
  assert.equal(await producer.rPush('jobs', ['j1', 'j2']), 2);
  assert.deepEqual(await job, { key: 'jobs', element: 'j1' });
  assert.equal(await behind, 1);
  assert.deepEqual(await after, [1, ['x']]);
  assert.equal(await worker.get('x'), null, 'and the client is back on the fast path');
  await done();
});

test('blPop times out on the virtual clock; brPop, bzPopMin, blMove, brPopLPush block too', async () => {
  const { session, clients: [w, p], done } = await setup(2);
  const timeout = w.blPop(['a', 'b'], 30);
  session.advance(29_999);
  let settled = false;
  timeout.then(() => { settled = true; });
  await turn();
  assert.equal(settled, false);
  session.advance(1);
  assert.equal(await timeout, null);
  const r = w.brPop('q', 0);
  await p.rPush('q', ['1', '2']);
  assert.deepEqual(await r, { key: 'q', element: '2' });
  const z = w.bzPopMin(['z1', 'z2'], 0);
  await p.zAdd('z2', [{ score: 3, value: 'c' }, { score: 1, value: 'a' }]);
  assert.deepEqual(await z, { key: 'z2', value: 'a', score: 1 });
  const m = w.blMove('src', 'dst', 'LEFT', 'RIGHT', 0);
  await p.lPush('src', 'moved');
  assert.equal(await m, 'moved');
  const rp = w.brPopLPush('src2', 'dst', 0);
  await p.lPush('src2', 'again');
  assert.equal(await rp, 'again');
  assert.deepEqual(await w.lRange('dst', 0, -1), ['again', 'moved']);
  const raw = w.sendCommand(['blpop', 'raw', '0']);
  await p.rPush('raw', 'r');
  assert.deepEqual(await raw, ['raw', 'r'], 'sendCommand knows BLPOP blocks, in any case');
  await done();
});

test('on a running clock a blPop timeout fires by itself', async () => {
  const pg = new Playground();
  const c = createClient({ playground: pg });
  await c.connect();
  const started = Date.now();
  assert.equal(await c.blPop('nothing', 0.05), null);
  assert.ok(Date.now() - started >= 40);
  await c.quit();
  getSession(pg).close();
});

test('isolated blPop leaves the client free; disconnect rejects what waits; quit waits for it', async () => {
  const { clients: [c, p], done } = await setup(2);
  const isolated = c.blPop(commandOptions({ isolated: true }), 'iso', 0);
  assert.equal(await c.ping(), 'PONG', 'not stuck behind the isolated BLPOP');
  await p.rPush('iso', 'v');
  assert.deepEqual(await isolated, { key: 'iso', element: 'v' });
  const d = c.duplicate();
  await d.connect();
  const waiting = d.blPop('never', 0);
  const behind = d.get('k');
  await d.disconnect();
  await assert.rejects(waiting, (e) => e instanceof DisconnectsClientError && e.message === 'Disconnects client');
  await assert.rejects(behind, DisconnectsClientError);
  const q = c.duplicate();
  await q.connect();
  const job = q.blPop('later', 0);
  let quitDone = false;
  const quitting = q.quit().then((r) => { quitDone = true; return r; });
  assert.equal(q.isOpen, false);
  await turn();
  assert.equal(quitDone, false, 'QUIT waits behind BLPOP, as on a connection');
  await p.rPush('later', 'x');
  assert.deepEqual(await job, { key: 'later', element: 'x' });
  assert.equal(await quitting, 'OK');
  assert.equal(await p.exists('later'), 0);
  await done();
});

// ---- transactions ------------------------------------------------------------------------------

test('multi/exec: each reply through its own command\'s transform', async () => {
  const { clients: [c], done } = await setup();
  const sent = record();
  // The chapter's transactionExample: console.log(results); // ["OK", "OK", 400, 400]
  assert.deepEqual(await c.multi()
    .set('account:A:balance', '500')
    .set('account:B:balance', '300')
    .decrBy('account:A:balance', 100)
    .incrBy('account:B:balance', 100)
    .exec(), ['OK', 'OK', 400, 400]);
  assert.deepEqual(sent.map((s) => s.argv[0]), ['MULTI', 'SET', 'SET', 'DECRBY', 'INCRBY', 'EXEC']);
  assert.deepEqual(sent.slice(1, 5).map((s) => s.reply), ['QUEUED', 'QUEUED', 'QUEUED', 'QUEUED']);
  const results = await c.multi()
    .hSet('h', { a: '1' }).hGetAll('h').expire('h', 10).zAdd('z', { score: 2, value: 'm' }).zScore('z', 'm')
    .zRangeWithScores('z', 0, -1).sIsMember('s', 'x').ping().addCommand(['GET', 'nope']).exec();
  assert.equal(Object.getPrototypeOf(results[1]), null);
  assert.deepEqual(results, [1, Object.assign(Object.create(null), { a: '1' }), true, 1, 2, [{ value: 'm', score: 2 }], false, 'PONG', null]);
  assert.deepEqual(await c.multi().exec(), [], 'an empty MULTI/EXEC');
  assert.deepEqual(await c.multi().execAsPipeline(), [], 'an empty pipeline sends nothing');
  sent.length = 0;
  assert.deepEqual(await c.multi().incr('n').hExists('h', 'a').execAsPipeline(), [1, true]);
  assert.deepEqual(await c.multi().incr('n').exec(true), [2]);
  assert.deepEqual(sent.map((s) => s.argv[0]), ['INCR', 'HEXISTS', 'INCR'], 'a pipeline has no MULTI/EXEC');
  assert.deepEqual(await c.multi().select(1).set('db1', 'x').exec(), ['OK', 'OK']);
  assert.equal(await c.get('db1'), 'x', 'SELECT in MULTI changes the connection\'s database');
  await done();
});

test('multi/exec: WatchError when another client changes a watched key', async () => {
  const { clients: [c, other], done } = await setup(2);
  await c.hSet('wallet:alice', 'balance', '100');
  assert.equal(await c.watch('wallet:alice'), 'OK');
  assert.equal(await c.hGet('wallet:alice', 'balance'), '100');
  await other.hIncrBy('wallet:alice', 'balance', 5);
  // NOTE: the chapter tests `results === null`; node-redis v4 rejects with WatchError instead.
  await assert.rejects(
    c.multi().hIncrBy('wallet:alice', 'balance', -50).hIncrBy('wallet:bob', 'balance', 50).exec(),
    (e) => e instanceof WatchError && e.message === 'One (or more) of the watched keys has been changed',
  );
  assert.equal(await c.hGet('wallet:alice', 'balance'), '105', 'nothing ran');
  assert.equal(await c.exists('wallet:bob'), 0);
  await c.watch(['wallet:alice', 'wallet:bob']);
  assert.equal(await c.unwatch(), 'OK');
  await other.hIncrBy('wallet:alice', 'balance', 1);
  assert.deepEqual(await c.multi().hIncrBy('wallet:alice', 'balance', -50).exec(), [56], 'UNWATCH forgot the keys');
  await done();
});

test('multi/exec: MultiErrorReply for commands failing inside EXEC; queueing errors reject', async () => {
  const { clients: [c], done } = await setup();
  await c.set('str', 'text');
  const err = await c.multi().incr('n').lPush('str', 'x').get('str').hGetAll('str').exec().catch((e) => e);
  assert.ok(err instanceof MultiErrorReply && err instanceof ErrorReply);
  assert.equal(err.message, '2 commands failed, see .replies and .errorIndexes for more information');
  assert.deepEqual(err.errorIndexes, [1, 3]);
  assert.equal(err.replies[0], 1);
  assert.equal(err.replies[2], 'text');
  assert.deepEqual([...err.errors()].map((e) => [e instanceof ErrorReply, e.message]), [
    [true, 'WRONGTYPE Operation against a key holding the wrong kind of value'],
    [true, 'WRONGTYPE Operation against a key holding the wrong kind of value'],
  ]);
  assert.equal(await c.get('n'), '1', 'the other commands ran');
  // A command refused while queueing (unknown, wrong arity) aborts the transaction: exec() rejects
  // with that command's error, and EXEC runs nothing.
  await assert.rejects(c.multi().incr('n').addCommand(['NOSUCH', 'x']).exec(),
    { message: "ERR unknown command 'NOSUCH', with args beginning with: 'x' " });
  assert.equal(await c.get('n'), '1');
  // A pipeline rejects with its first failing command's ErrorReply.
  await assert.rejects(c.multi().incr('n').lPush('str', 'x').execAsPipeline(),
    (e) => e instanceof ErrorReply && !(e instanceof MultiErrorReply) && e.message.startsWith('WRONGTYPE'));
  assert.equal(await c.get('n'), '2');
  await done();
});

// ---- pub/sub -----------------------------------------------------------------------------------

test('subscribe and pSubscribe: (message, channel) listeners; a new listener on a channel sends nothing', async () => {
  const { clients: [sub, pub], done } = await setup(2);
  const sent = record();
  const heard = [];
  assert.equal(sub.isPubSubActive, false);
  assert.equal(await sub.subscribe('orders', (message, channel) => heard.push(['a', message, channel])), undefined);
  assert.equal(sub.isPubSubActive, true);
  await sub.subscribe(['orders', 'notifications'], (message, channel) => heard.push(['b', message, channel]));
  await sub.pSubscribe('events:*', (message, channel) => heard.push(['p', message, channel]));
  await sub.subscribe('orders', (message) => heard.push(['c', message]));
  assert.deepEqual(sent.filter((s) => s.client === sub).map((s) => s.argv), [
    ['SUBSCRIBE', 'orders'], ['SUBSCRIBE', 'notifications'], ['PSUBSCRIBE', 'events:*'],
  ], 'only channels not yet subscribed are sent');
  assert.equal(await pub.publish('orders', JSON.stringify({ orderId: 'ORD-001' })), 1);
  assert.equal(await pub.publish('notifications', 'n1'), 1);
  assert.equal(await pub.publish('events:login', 'e1'), 1);
  assert.equal(await pub.publish('nobody', 'x'), 0);
  assert.deepEqual(heard, [
    ['a', '{"orderId":"ORD-001"}', 'orders'], ['b', '{"orderId":"ORD-001"}', 'orders'], ['c', '{"orderId":"ORD-001"}'],
    ['b', 'n1', 'notifications'],
    ['p', 'e1', 'events:login'],
  ]);
  // A subscribed connection refuses other commands, with Redis's words; PING answers 'pong'.
  await assert.rejects(sub.get('k'), {
    message: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
  });
  assert.equal(await sub.ping(), 'pong');
  assert.equal(await sub.ping('hi'), 'hi');
  assert.deepEqual(await pub.pubSubNumSub(['orders', 'x']), Object.assign(Object.create(null), { orders: 1, x: 0 }));
  await done();
});

test('unsubscribe rules: listener only, channel, everything; patterns alike', async () => {
  const { clients: [sub, pub], done } = await setup(2);
  const sent = [];
  setCommandObserver((e) => e.client === sub && sent.push(e));
  const heard = [];
  const a = (m) => heard.push(`a:${m}`);
  const b = (m) => heard.push(`b:${m}`);
  await sub.subscribe(['x', 'y'], a);
  await sub.subscribe('x', b);
  sent.length = 0;
  // channels + a listener others still use: the listener goes, nothing is sent for x.
  await sub.unsubscribe('x', a);
  assert.deepEqual(sent, []);
  await pub.publish('x', '1');
  assert.deepEqual(heard, ['b:1']);
  // the last listener of x: UNSUBSCRIBE x is sent.
  await sub.unsubscribe(['x', 'y'], b);
  assert.deepEqual(sent.map((s) => s.argv), [['UNSUBSCRIBE', 'x']]);
  await pub.publish('y', '2');
  assert.deepEqual(heard, ['b:1', 'a:2'], 'y keeps a (b was never on y)');
  // channels only: every listener there goes.
  sent.length = 0;
  await sub.unsubscribe('y');
  assert.deepEqual(sent.map((s) => s.argv), [['UNSUBSCRIBE', 'y']]);
  assert.equal(await pub.publish('y', '3'), 0);
  assert.equal(sub.isPubSubActive, false);
  assert.equal(await sub.set('k', 'v'), 'OK', 'no longer subscribed: normal commands again');
  await sub.pSubscribe(['p:*', 'q:*'], a);
  await sub.subscribe('z', a);
  sent.length = 0;
  await sub.pUnsubscribe();
  assert.deepEqual(sent.map((s) => s.argv), [['PUNSUBSCRIBE']]);
  assert.equal(await pub.publish('p:1', 'x'), 0);
  assert.equal(await pub.publish('z', 'still'), 1);
  await sub.unsubscribe();
  assert.equal(sub.isPubSubActive, false);
  assert.equal(await pub.publish('z', 'gone'), 0);
  assert.deepEqual(heard, ['b:1', 'a:2', 'a:still']);
  await done();
});

test('listeners outlive quit: connect() subscribes again, as node-redis resubscribes', async () => {
  const { clients: [sub, pub], done } = await setup(2);
  const heard = [];
  await sub.subscribe('news', (m) => heard.push(m));
  await sub.pSubscribe('n*', (m, ch) => heard.push(`p:${ch}:${m}`));
  await sub.quit();
  assert.equal(sub.isPubSubActive, false);
  assert.equal(await pub.publish('news', 'lost'), 0);
  await sub.connect();
  assert.equal(sub.isPubSubActive, true);
  assert.equal(await pub.publish('news', 'back'), 2);
  assert.deepEqual(heard, ['back', 'p:news:back']);
  await done();
});

test('keyspace notifications reach a pSubscribe listener', async () => {
  const { clients: [watcher, app], done } = await setup(2);
  await app.configSet('notify-keyspace-events', 'KEA');
  const events = [];
  await watcher.pSubscribe('__keyspace@0__:user:*', (message, channel) => events.push([channel, message]));
  await app.hSet('user:1', 'name', 'Alice');
  await app.expire('user:1', 10);
  await app.del('user:1');
  assert.deepEqual(events, [
    ['__keyspace@0__:user:1', 'hset'], ['__keyspace@0__:user:1', 'expire'], ['__keyspace@0__:user:1', 'del'],
  ]);
  await done();
});

// ---- SCAN iterators ----------------------------------------------------------------------------

test('scanIterator, hScanIterator, sScanIterator, zScanIterator walk everything', async () => {
  const { clients: [c], done } = await setup();
  for (let i = 0; i < 300; i += 100) {
    await c.mSet(Array.from({ length: 100 }, (_, j) => [`sess:${i + j}`, 'x']));
  }
  await c.set('other', 'x');
  await c.hSet('big-hash', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`])));
  await c.sAdd('big-set', Array.from({ length: 300 }, (_, i) => `m${i}`));
  await c.zAdd('big-zset', Array.from({ length: 300 }, (_, i) => ({ score: i, value: `z${i}` })));
  const keys = [];
  for await (const key of c.scanIterator({ MATCH: 'sess:*', COUNT: 50 })) keys.push(key);
  assert.equal(keys.length, 300);
  assert.equal(new Set(keys).size, 300);
  assert.ok(keys.every((k) => k.startsWith('sess:')));
  const typed = [];
  for await (const key of c.scanIterator({ TYPE: 'zset' })) typed.push(key);
  assert.deepEqual(typed, ['big-zset']);
  const fields = new Map();
  for await (const { field, value } of c.hScanIterator('big-hash', { COUNT: 20 })) fields.set(field, value);
  assert.equal(fields.size, 300);
  assert.equal(fields.get('f7'), 'v7');
  const members = new Set();
  for await (const m of c.sScanIterator('big-set')) members.add(m);
  assert.equal(members.size, 300);
  const scores = new Map();
  for await (const { value, score } of c.zScanIterator('big-zset', { MATCH: 'z1*' })) scores.set(value, score);
  assert.equal(scores.size, 111);
  assert.equal(scores.get('z150'), 150);
  assert.ok('scanIterator' in c, 'connect-redis recognises a node-redis client by this');
  await done();
});

// ---- hooks -------------------------------------------------------------------------------------

test('the observer sees every command with its raw reply, a blocked one when it is served', async () => {
  const { clients: [a, b], done } = await setup(2);
  const seen = record();
  await a.set('k', 'v');
  await a.hGetAll('nope');
  await a.incr('k').catch(() => {});
  const job = b.blPop('q', 0);
  await a.rPush('q', 'j');
  await job;
  assert.deepEqual(seen.map(({ clientId, argv, reply }) => [clientId, argv, reply]), [
    [a.playgroundClientId, ['SET', 'k', 'v'], 'OK'],
    [a.playgroundClientId, ['HGETALL', 'nope'], []],
    [a.playgroundClientId, ['INCR', 'k'], { error: 'ERR value is not an integer or out of range' }],
    [a.playgroundClientId, ['RPUSH', 'q', 'j'], 1],
    [b.playgroundClientId, ['BLPOP', 'q', '0'], ['q', 'j']],
  ]);
  assert.ok(seen.every((e) => e.client === a || e.client === b));
  await done();
});

test('the gate holds every command until it settles, in the order the code issued them', async () => {
  const { pg, clients: [a, b], done } = await setup(2);
  const seen = record();
  const waiting = [];
  setCommandGate((info) => new Promise((resolve) => waiting.push({ info, resolve })));
  const p1 = a.set('k', '1');
  const p2 = b.get('k');
  const p3 = a.multi().incr('k').get('k').exec();
  await turn();
  assert.equal(waiting.length, 1, 'one command at the gate at a time');
  assert.deepEqual(waiting[0].info.argv, ['SET', 'k', '1']);
  assert.equal(waiting[0].info.clientId, a.playgroundClientId);
  assert.equal(pg.exec(pg.openClient('peek'), ['EXISTS', 'k']), 0, 'not sent yet');
  const release = async (n) => {
    for (let i = 0; i < n; i++) {
      while (waiting.length === 0) await turn();
      waiting.shift().resolve();
    }
  };
  await release(1);
  assert.equal(await p1, 'OK');
  await release(1);
  assert.equal(await p2, '1');
  await release(4); // MULTI, INCR, GET, EXEC: each at the gate
  assert.deepEqual(await p3, [2, '2']);
  assert.deepEqual(seen.map((s) => s.argv[0]), ['SET', 'GET', 'MULTI', 'INCR', 'GET', 'EXEC']);
  // A gate that rejects fails the command, unsent; mid-transaction, the MULTI is discarded.
  let n = 0;
  setCommandGate(async ({ argv }) => {
    n += 1;
    if (argv[0] === 'GET' || argv[0] === 'INCRBY') throw new Error(`stopped at ${argv[0]}`);
  });
  await assert.rejects(a.get('k'), { message: 'stopped at GET' });
  await assert.rejects(a.multi().incr('k').incrBy('k', 5).exec(), { message: 'stopped at INCRBY' });
  setCommandGate(null);
  assert.equal(await a.get('k'), '2', 'nothing of the stopped MULTI ran');
  assert.equal(n, 4);
  assert.deepEqual(seen.slice(6).map((s) => s.argv[0]), ['MULTI', 'INCR', 'DISCARD', 'GET']);
  await done();
});

// ---- in the page -------------------------------------------------------------------------------

test('in headless Chromium: the same module, its default engine fetched on first connect', async () => {
  const { openConsole } = await import('./browser.mjs');
  const ui = await openConsole();
  try {
    const result = await ui.page.evaluate(async () => {
      const { createClient, WatchError } = await import('./redis.js');
      const client = createClient();
      await client.connect();
      await client.hSet('user:1001', { name: 'Alice', loginCount: 0 });
      const user = await client.hGetAll('user:1001');
      const sub = client.duplicate();
      await sub.connect();
      const heard = [];
      await sub.subscribe('orders', (message, channel) => heard.push([message, channel]));
      const receivers = await client.publish('orders', 'ORD-001');
      const worker = client.duplicate();
      await worker.connect();
      const job = worker.blPop('queue:jobs', 0);
      await client.rPush('queue:jobs', 'job-1');
      await client.watch('user:1001');
      await worker.hIncrBy('user:1001', 'loginCount', 1);
      const watched = await client.multi().hIncrBy('user:1001', 'loginCount', 1).exec().catch((e) => e instanceof WatchError);
      const timeout = await worker.blPop('queue:none', 0.05);
      return {
        user: { ...user }, proto: Object.getPrototypeOf(user) === null, receivers, heard,
        job: await job, watched, timeout, tx: await client.multi().incr('n').hGet('user:1001', 'loginCount').exec(),
      };
    });
    assert.deepEqual(result, {
      user: { name: 'Alice', loginCount: '0' }, proto: true, receivers: 1, heard: [['ORD-001', 'orders']],
      job: { key: 'queue:jobs', element: 'job-1' }, watched: true, timeout: null, tx: [1, '1'],
    });
    assert.deepEqual(ui.problems, []);
  } finally {
    await ui.close();
  }
});
