// A small stand-in for www/redis.js (the in-page node-redis v4 client), served at ./redis.js by
// the player's tests only while the real module is absent. It follows the same contract:
// createClient / setPlayground / setCommandObserver / setCommandGate, the camelCase methods the
// lessons call with node-redis's argument rules and reply transforms, and getSession() for the
// one Session over the shared Playground.
import { Session } from './playground.js';

let shared = null;
let session = null;
let observer = null;
let gate = null;
let seq = 0;

export function setPlayground(pg) {
  session?.close();
  shared = pg;
  session = pg ? new Session(pg) : null;
}
export function getSession() { return session; }
export function setCommandObserver(fn) { observer = fn; }
export function setCommandGate(fn) { gate = fn; }

export class ErrorReply extends Error {
  constructor(message) { super(message); this.name = 'ErrorReply'; }
}
export class ClientClosedError extends Error {
  constructor() { super('The client is closed'); this.name = 'ClientClosedError'; }
}

const wire = (v) => {
  if (typeof v === 'string') return v;
  throw new TypeError('Invalid argument type');
};
const num = (v) => (typeof v === 'number' ? String(v) : wire(v));
const many = (v) => (Array.isArray(v) ? v.map(wire) : [wire(v)]);
const bool = (r) => r === 1;
const object = (r) => {
  const o = Object.create(null);
  for (let i = 0; i < r.length; i += 2) o[r[i]] = r[i + 1];
  return o;
};
const score = (s) => {
  if (s === null) return null;
  if (s === 'inf' || s === '+inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
};
const scoreArg = (n) => (n === Infinity ? '+inf' : n === -Infinity ? '-inf' : num(n));
const withScores = (r) => {
  const out = [];
  for (let i = 0; i < r.length; i += 2) out.push({ value: r[i], score: score(r[i + 1]) });
  return out;
};
const hashPairs = (rest) => {
  if (rest.length >= 2 && typeof rest[0] !== 'object') return [num(rest[0]), num(rest[1])];
  const v = rest[0];
  const flat = [];
  if (v instanceof Map) for (const [f, x] of v) flat.push(num(f), num(x));
  else if (Array.isArray(v)) for (const e of v) flat.push(...(Array.isArray(e) ? [num(e[0]), num(e[1])] : [num(e)]));
  else for (const f of Object.keys(v)) flat.push(f, num(v[f]));
  return flat;
};
const zRangeArgs = (k, a, b, o = {}) => [k, scoreArg(a), scoreArg(b),
  ...(o.BY === 'SCORE' ? ['BYSCORE'] : o.BY === 'LEX' ? ['BYLEX'] : []), ...(o.REV ? ['REV'] : []),
  ...(o.LIMIT ? ['LIMIT', num(o.LIMIT.offset), num(o.LIMIT.count)] : [])];

// name: [argv builder, reply transform]
const COMMANDS = {
  ping: [(m) => ['PING', ...(m === undefined ? [] : [wire(m)])]],
  get: [(k) => ['GET', wire(k)]],
  set: [(k, v, o = {}) => ['SET', wire(k), num(v), ...(o.EX ? ['EX', num(o.EX)] : []), ...(o.PX ? ['PX', num(o.PX)] : []), ...(o.NX ? ['NX'] : o.XX ? ['XX'] : [])]],
  del: [(k) => ['DEL', ...many(k)]],
  exists: [(k) => ['EXISTS', ...many(k)]],
  expire: [(k, s, m) => ['EXPIRE', wire(k), num(s), ...(m ? [m] : [])], bool],
  ttl: [(k) => ['TTL', wire(k)]],
  incr: [(k) => ['INCR', wire(k)]],
  type: [(k) => ['TYPE', wire(k)]],
  keys: [(p) => ['KEYS', wire(p)]],
  hSet: [(k, ...rest) => ['HSET', wire(k), ...hashPairs(rest)]],
  hGet: [(k, f) => ['HGET', wire(k), wire(f)]],
  hGetAll: [(k) => ['HGETALL', wire(k)], object],
  hExists: [(k, f) => ['HEXISTS', wire(k), wire(f)], bool],
  hIncrBy: [(k, f, n) => ['HINCRBY', wire(k), wire(f), num(n)]],
  hDel: [(k, f) => ['HDEL', wire(k), ...many(f)]],
  hKeys: [(k) => ['HKEYS', wire(k)]],
  hVals: [(k) => ['HVALS', wire(k)]],
  hLen: [(k) => ['HLEN', wire(k)]],
  hmGet: [(k, f) => ['HMGET', wire(k), ...many(f)]],
  lPush: [(k, e) => ['LPUSH', wire(k), ...many(e)]],
  rPush: [(k, e) => ['RPUSH', wire(k), ...many(e)]],
  lRange: [(k, a, b) => ['LRANGE', wire(k), num(a), num(b)]],
  lPop: [(k) => ['LPOP', wire(k)]],
  rPop: [(k) => ['RPOP', wire(k)]],
  lLen: [(k) => ['LLEN', wire(k)]],
  lTrim: [(k, a, b) => ['LTRIM', wire(k), num(a), num(b)]],
  lIndex: [(k, i) => ['LINDEX', wire(k), num(i)]],
  blPop: [(k, t) => ['BLPOP', ...many(k), num(t)], (r) => (r === null ? null : { key: r[0], element: r[1] })],
  sAdd: [(k, m) => ['SADD', wire(k), ...many(m)]],
  sRem: [(k, m) => ['SREM', wire(k), ...many(m)]],
  sMembers: [(k) => ['SMEMBERS', wire(k)]],
  sIsMember: [(k, m) => ['SISMEMBER', wire(k), wire(m)], bool],
  sCard: [(k) => ['SCARD', wire(k)]],
  sInter: [(k) => ['SINTER', ...many(k)]],
  sUnion: [(k) => ['SUNION', ...many(k)]],
  sDiff: [(k) => ['SDIFF', ...many(k)]],
  sRandMember: [(k) => ['SRANDMEMBER', wire(k)]],
  zAdd: [(k, m) => ['ZADD', wire(k), ...(Array.isArray(m) ? m : [m]).flatMap((x) => [scoreArg(x.score), wire(x.value)])]],
  zRange: [(...a) => ['ZRANGE', ...zRangeArgs(...a)]],
  zRangeWithScores: [(...a) => ['ZRANGE', ...zRangeArgs(...a), 'WITHSCORES'], withScores],
  zRangeByScore: [(k, a, b) => ['ZRANGEBYSCORE', wire(k), scoreArg(a), scoreArg(b)]],
  zScore: [(k, m) => ['ZSCORE', wire(k), wire(m)], score],
  zRank: [(k, m) => ['ZRANK', wire(k), wire(m)]],
  zRevRank: [(k, m) => ['ZREVRANK', wire(k), wire(m)]],
  zIncrBy: [(k, n, m) => ['ZINCRBY', wire(k), scoreArg(n), wire(m)], score],
  zCard: [(k) => ['ZCARD', wire(k)]],
  zCount: [(k, a, b) => ['ZCOUNT', wire(k), scoreArg(a), scoreArg(b)]],
  zRem: [(k, m) => ['ZREM', wire(k), ...many(m)]],
  publish: [(c, m) => ['PUBLISH', wire(c), wire(m)]],
};

class Client {
  constructor(options = {}) {
    this.options = options;
    this.id = null;
    this.handlers = new Map();
  }

  get isOpen() { return this.id !== null; }
  get isReady() { return this.id !== null; }

  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(fn);
    return this;
  }

  emit(event, ...args) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }

  async connect() {
    if (this.id !== null) throw new Error('Socket already opened');
    const pg = this.options.playground ?? shared;
    this.id = pg.openClient(`node-redis-${++seq}`);
    this.pg = pg;
    this.emit('connect');
    this.emit('ready');
    return this;
  }

  async quit() {
    this.close();
    return 'OK';
  }

  async disconnect() { this.close(); }

  close() {
    if (this.id === null) throw new ClientClosedError();
    this.pg.closeClient(this.id);
    this.id = null;
    this.emit('end');
  }

  duplicate(overrides = {}) { return new Client({ ...this.options, ...overrides }); }

  sendCommand(argv) { return this.send(argv.map(wire)); }

  async send(argv) {
    if (this.id === null) throw new ClientClosedError();
    const clientId = this.id;
    if (gate) await gate({ clientId, argv });
    if (this.id === null) throw new ClientClosedError();
    const reply = await session.exec(clientId, argv);
    observer?.({ clientId, argv, reply });
    if (reply && typeof reply === 'object' && typeof reply.error === 'string') throw new ErrorReply(reply.error);
    return reply;
  }
}

for (const [name, [build, transform]] of Object.entries(COMMANDS)) {
  Client.prototype[name] = function command(...args) {
    let argv;
    try {
      argv = build(...args);
    } catch (e) {
      return Promise.reject(e);
    }
    const sent = this.send(argv);
    return transform ? sent.then(transform) : sent;
  };
}

export function createClient(options = {}) {
  return new Client(options);
}
