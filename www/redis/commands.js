// The command methods of the node-redis v4 client: for each camelCase method, how its JavaScript
// arguments become a Redis argv and how the reply comes back.
//
// Every entry is `name: [build, transform?, blocking?]`:
// - `build(...args)` returns the argv exactly as node-redis 4.7 puts it on the wire. Numbers are
//   turned into text only where node-redis does it (`n.toString()`, so a missing number throws
//   the same TypeError it would); anything else is passed through untouched and checked when the
//   command is sent, where a non-string rejects with `TypeError('Invalid argument type')`.
// - `transform(reply)` shapes the raw reply (booleans, objects, `{ value, score }`, ...); absent
//   means the reply is returned as it is.
// - `blocking` marks the commands that may leave the client waiting (BLPOP and friends): the
//   client sends those through the Session, which resolves them when the engine delivers.
//
// The table is plain data so that the client and its MULTI chain share it, and so that a test can
// compare every entry with node-redis's own argument and reply transformers.

/** `n.toString()`, as node-redis writes numeric parameters (throws on undefined/null). */
const str = (n) => n.toString();

/** "key or array": a single argument is appended, an array is spread. */
function spread(head, value) {
  if (Array.isArray(value)) return head.concat(value);
  head.push(value);
  return head;
}

/** A count and the keys (`ZUNION 2 a b`), for the commands that take `numkeys`. */
function counted(head, keys) {
  if (Array.isArray(keys)) head.push(keys.length.toString(), ...keys);
  else head.push('1', keys);
  return head;
}

/** A score argument: plus or minus Infinity as Redis spells it, other numbers as text. */
function scoreArg(n) {
  if (n === Infinity) return '+inf';
  if (n === -Infinity) return '-inf';
  return n.toString();
}

/** A range bound that may be a string ('(1', '+inf', '[a') or a number. */
const bound = (v) => (typeof v === 'number' ? scoreArg(v) : v);

/**
 * SCAN cursors the engine gave that a JavaScript number cannot hold exactly, by the number that
 * node-redis's `Number(cursor)` makes of them. Redis's cursors are small, but the engine's are
 * 64-bit positions: without this, passing `reply.cursor` back would resume at the wrong place.
 */
const bigCursors = new Map();

function cursorReply(raw) {
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) {
    if (bigCursors.size >= 1024) bigCursors.clear();
    bigCursors.set(n, raw);
  }
  return n;
}

const cursorArg = (cursor) => (typeof cursor === 'number' && bigCursors.get(cursor)) || cursor.toString();

/** `[MATCH p] [COUNT n]` as node-redis adds them: only when truthy. */
function scanArgs(args, cursor, options) {
  args.push(cursorArg(cursor));
  if (options?.MATCH) args.push('MATCH', options.MATCH);
  if (options?.COUNT) args.push('COUNT', options.COUNT.toString());
  return args;
}

/** `LIMIT offset count` of the range commands. */
function limit(args, options) {
  if (options?.LIMIT) args.push('LIMIT', options.LIMIT.offset.toString(), options.LIMIT.count.toString());
  return args;
}

/** `[WEIGHTS w...] [AGGREGATE a]` of ZUNION/ZINTER and their STORE forms. */
function weights(args, options) {
  if (options?.WEIGHTS) args.push('WEIGHTS', ...options.WEIGHTS.map(str));
  if (options?.AGGREGATE) args.push('AGGREGATE', options.AGGREGATE);
  return args;
}

function zrangeArgs(name, key, min, max, options) {
  const args = [name, key, bound(min), bound(max)];
  if (options?.BY === 'SCORE') args.push('BYSCORE');
  else if (options?.BY === 'LEX') args.push('BYLEX');
  if (options?.REV) args.push('REV');
  return limit(args, options);
}

/** Numbers in HSET are written as text; strings and bytes go as they are. */
const hval = (v) => (typeof v === 'number' ? v.toString() : v);

function pushTuples(args, tuples) {
  for (const t of tuples) {
    if (Array.isArray(t)) pushTuples(args, t);
    else args.push(hval(t));
  }
}

function hsetArgs(key, value, fieldValue) {
  const args = ['HSET', key];
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Uint8Array) {
    args.push(hval(value), hval(fieldValue));
  } else if (value instanceof Map) {
    for (const [f, v] of value) args.push(hval(f), hval(v));
  } else if (Array.isArray(value)) {
    pushTuples(args, value);
  } else {
    for (const f of Object.keys(value)) args.push(hval(f), hval(value[f]));
  }
  return args;
}

/** A key/value object or a flat / paired array, as MSET takes it. */
function pairs(head, toSet) {
  if (Array.isArray(toSet)) head.push(...toSet.flat());
  else for (const k of Object.keys(toSet)) head.push(k, toSet[k]);
  return head;
}

const unixSeconds = (t) => (typeof t === 'number' ? t : Math.floor(t.getTime() / 1000)).toString();
const unixMs = (t) => (typeof t === 'number' ? t : t.getTime()).toString();

function withMode(args, mode) {
  if (mode) args.push(mode);
  return args;
}

// ---- reply transforms ------------------------------------------------------------------------

export const bool = (r) => r === 1;

/**
 * A score reply as a number. Redis 7 writes infinite scores as "inf" and "-inf"; both become
 * plus or minus Infinity (node-redis 4.7.1 matches only "+inf" and "-inf", so it gives NaN for a
 * score of +inf; this client gives Infinity). A nil reply (ZADD INCR with NX/XX not applied)
 * stays null.
 */
export function score(r) {
  if (r === null) return null;
  switch (r) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(r);
  }
}

/**
 * Field/value pairs as an object without a prototype (HGETALL, CONFIG GET). It is filled as a
 * plain object and loses its prototype at the end, which V8 does faster than filling an object
 * born without one; a field named `__proto__` (which a plain object would not take as its own
 * property) makes it start without a prototype instead. The first eight pairs are stored from
 * places of their own in the code: a hash read again and again has the same fields in the same
 * order, so each of those stores keeps seeing one shape and one name, which V8 makes fast (one
 * store in a loop sees every field and has to look each one up).
 */
export function tuples(r) {
  const n = r.length;
  const out = {};
  if (n > 0) {
    if (r[0] === '__proto__') return bareTuples(r);
    out[r[0]] = r[1];
  }
  if (n > 2) {
    if (r[2] === '__proto__') return bareTuples(r);
    out[r[2]] = r[3];
  }
  if (n > 4) {
    if (r[4] === '__proto__') return bareTuples(r);
    out[r[4]] = r[5];
  }
  if (n > 6) {
    if (r[6] === '__proto__') return bareTuples(r);
    out[r[6]] = r[7];
  }
  if (n > 8) {
    if (r[8] === '__proto__') return bareTuples(r);
    out[r[8]] = r[9];
  }
  if (n > 10) {
    if (r[10] === '__proto__') return bareTuples(r);
    out[r[10]] = r[11];
  }
  if (n > 12) {
    if (r[12] === '__proto__') return bareTuples(r);
    out[r[12]] = r[13];
  }
  if (n > 14) {
    if (r[14] === '__proto__') return bareTuples(r);
    out[r[14]] = r[15];
  }
  for (let i = 16; i < n; i += 2) {
    if (r[i] === '__proto__') return bareTuples(r);
    out[r[i]] = r[i + 1];
  }
  return Object.setPrototypeOf(out, null);
}

function bareTuples(r) {
  const out = Object.create(null);
  for (let i = 0; i < r.length; i += 2) out[r[i]] = r[i + 1];
  return out;
}

/** `[m, s, m, s]` -> `[{ value, score }]` */
export function withScores(r) {
  const out = new Array(r.length >> 1);
  for (let i = 0, j = 0; i < r.length; i += 2, j++) out[j] = { value: r[i], score: score(r[i + 1]) };
  return out;
}

const member = (r) => (r.length === 0 ? null : { value: r[0], score: score(r[1]) });
const keyElement = (r) => (r === null ? null : { key: r[0], element: r[1] });
const keyMember = (r) => (r ? { key: r[0], value: r[1], score: score(r[2]) } : null);

function time(r) {
  const seconds = Number(r[0]);
  const micros = Number(r[1]);
  const d = new Date(seconds * 1000 + micros / 1000);
  d.microseconds = micros;
  return d;
}

function numsub(r) {
  const out = Object.create(null);
  for (let i = 0; i < r.length; i += 2) out[r[i]] = r[i + 1];
  return out;
}

const scan = ([cursor, keys]) => ({ cursor: cursorReply(cursor), keys });
const sscan = ([cursor, members]) => ({ cursor: cursorReply(cursor), members });
function hscan([cursor, raw]) {
  const list = [];
  for (let i = 0; i < raw.length; i += 2) list.push({ field: raw[i], value: raw[i + 1] });
  return { cursor: cursorReply(cursor), tuples: list };
}
const zscan = ([cursor, raw]) => ({ cursor: cursorReply(cursor), members: withScores(raw) });

// ---- the table -------------------------------------------------------------------------------

export const COMMANDS = {
  // strings
  get: [(k) => ['GET', k]],
  set: [(key, value, o) => {
    const args = ['SET', key, typeof value === 'number' ? value.toString() : value];
    if (o?.EX !== undefined) args.push('EX', o.EX.toString());
    else if (o?.PX !== undefined) args.push('PX', o.PX.toString());
    else if (o?.EXAT !== undefined) args.push('EXAT', o.EXAT.toString());
    else if (o?.PXAT !== undefined) args.push('PXAT', o.PXAT.toString());
    else if (o?.KEEPTTL) args.push('KEEPTTL');
    if (o?.NX) args.push('NX');
    else if (o?.XX) args.push('XX');
    if (o?.GET) args.push('GET');
    return args;
  }],
  setNX: [(k, v) => ['SETNX', k, v], bool],
  setEx: [(k, s, v) => ['SETEX', k, s.toString(), v]],
  pSetEx: [(k, ms, v) => ['PSETEX', k, ms.toString(), v]],
  getSet: [(k, v) => ['GETSET', k, v]],
  getDel: [(k) => ['GETDEL', k]],
  getEx: [(k, mode) => {
    const args = ['GETEX', k];
    if ('EX' in mode) args.push('EX', mode.EX.toString());
    else if ('PX' in mode) args.push('PX', mode.PX.toString());
    else if ('EXAT' in mode) args.push('EXAT', unixSeconds(mode.EXAT));
    else if ('PXAT' in mode) args.push('PXAT', unixMs(mode.PXAT));
    else args.push('PERSIST');
    return args;
  }],
  mGet: [(keys) => ['MGET', ...keys]],
  mSet: [(toSet) => pairs(['MSET'], toSet)],
  mSetNX: [(toSet) => pairs(['MSETNX'], toSet), bool],
  append: [(k, v) => ['APPEND', k, v]],
  strLen: [(k) => ['STRLEN', k]],
  incr: [(k) => ['INCR', k]],
  incrBy: [(k, n) => ['INCRBY', k, n.toString()]],
  incrByFloat: [(k, n) => ['INCRBYFLOAT', k, n.toString()]],
  decr: [(k) => ['DECR', k]],
  decrBy: [(k, n) => ['DECRBY', k, n.toString()]],
  getRange: [(k, a, b) => ['GETRANGE', k, a.toString(), b.toString()]],
  setRange: [(k, o, v) => ['SETRANGE', k, o.toString(), v]],

  // keys
  del: [(keys) => spread(['DEL'], keys)],
  exists: [(keys) => spread(['EXISTS'], keys)],
  unlink: [(keys) => spread(['UNLINK'], keys)],
  touch: [(keys) => spread(['TOUCH'], keys)],
  expire: [(k, s, mode) => withMode(['EXPIRE', k, s.toString()], mode), bool],
  pExpire: [(k, ms, mode) => withMode(['PEXPIRE', k, ms.toString()], mode), bool],
  expireAt: [(k, t, mode) => withMode(['EXPIREAT', k, unixSeconds(t)], mode), bool],
  pExpireAt: [(k, t, mode) => withMode(['PEXPIREAT', k, unixMs(t)], mode), bool],
  expireTime: [(k) => ['EXPIRETIME', k]],
  pExpireTime: [(k) => ['PEXPIRETIME', k]],
  ttl: [(k) => ['TTL', k]],
  pTTL: [(k) => ['PTTL', k]],
  persist: [(k) => ['PERSIST', k], bool],
  type: [(k) => ['TYPE', k]],
  rename: [(k, to) => ['RENAME', k, to]],
  renameNX: [(k, to) => ['RENAMENX', k, to], bool],
  copy: [(src, dst, o) => {
    const args = ['COPY', src, dst];
    if (o?.destinationDb) args.push('DB', o.destinationDb.toString());
    if (o?.replace) args.push('REPLACE');
    return args;
  }, bool],
  move: [(k, db) => ['MOVE', k, db.toString()], bool],
  keys: [(pattern) => ['KEYS', pattern]],
  scan: [(cursor, o) => {
    const args = scanArgs(['SCAN'], cursor, o);
    if (o?.TYPE) args.push('TYPE', o.TYPE);
    return args;
  }, scan],
  randomKey: [() => ['RANDOMKEY']],
  objectEncoding: [(k) => ['OBJECT', 'ENCODING', k]],

  // server and connection
  ping: [(message) => (message ? ['PING', message] : ['PING'])],
  echo: [(message) => ['ECHO', message]],
  dbSize: [() => ['DBSIZE']],
  flushAll: [(mode) => withMode(['FLUSHALL'], mode)],
  flushDb: [(mode) => withMode(['FLUSHDB'], mode)],
  swapDb: [(a, b) => ['SWAPDB', a.toString(), b.toString()]],
  time: [() => ['TIME'], time],
  info: [(section) => withMode(['INFO'], section)],
  configGet: [(parameter) => ['CONFIG', 'GET', parameter], tuples],
  configSet: [(p, value) => {
    const args = ['CONFIG', 'SET'];
    if (typeof p === 'string') args.push(p, value);
    else for (const [k, v] of Object.entries(p)) args.push(k, v);
    return args;
  }],
  clientId: [() => ['CLIENT', 'ID']],
  clientGetName: [() => ['CLIENT', 'GETNAME']],
  clientSetName: [(name) => ['CLIENT', 'SETNAME', name]],

  // hashes
  hSet: [hsetArgs],
  hSetNX: [(k, f, v) => ['HSETNX', k, f, v], bool],
  hGet: [(k, f) => ['HGET', k, f]],
  hGetAll: [(k) => ['HGETALL', k], tuples],
  hmGet: [(k, fields) => spread(['HMGET', k], fields)],
  hExists: [(k, f) => ['HEXISTS', k, f], bool],
  hIncrBy: [(k, f, n) => ['HINCRBY', k, f, n.toString()]],
  hIncrByFloat: [(k, f, n) => ['HINCRBYFLOAT', k, f, n.toString()]],
  hDel: [(k, fields) => spread(['HDEL', k], fields)],
  hKeys: [(k) => ['HKEYS', k]],
  hVals: [(k) => ['HVALS', k]],
  hLen: [(k) => ['HLEN', k]],
  hStrLen: [(k, f) => ['HSTRLEN', k, f]],
  hRandField: [(k) => ['HRANDFIELD', k]],
  hRandFieldCount: [(k, n) => ['HRANDFIELD', k, n.toString()]],
  hRandFieldCountWithValues: [(k, n) => ['HRANDFIELD', k, n.toString(), 'WITHVALUES'], tuples],
  hScan: [(k, cursor, o) => scanArgs(['HSCAN', k], cursor, o), hscan],

  // lists
  lPush: [(k, elements) => spread(['LPUSH', k], elements)],
  rPush: [(k, elements) => spread(['RPUSH', k], elements)],
  lPushX: [(k, elements) => spread(['LPUSHX', k], elements)],
  rPushX: [(k, elements) => spread(['RPUSHX', k], elements)],
  lRange: [(k, start, stop) => ['LRANGE', k, start.toString(), stop.toString()]],
  lPop: [(k) => ['LPOP', k]],
  rPop: [(k) => ['RPOP', k]],
  lPopCount: [(k, n) => ['LPOP', k, n.toString()]],
  rPopCount: [(k, n) => ['RPOP', k, n.toString()]],
  lLen: [(k) => ['LLEN', k]],
  lTrim: [(k, start, stop) => ['LTRIM', k, start.toString(), stop.toString()]],
  lIndex: [(k, i) => ['LINDEX', k, i.toString()]],
  lSet: [(k, i, e) => ['LSET', k, i.toString(), e]],
  lRem: [(k, n, e) => ['LREM', k, n.toString(), e]],
  lInsert: [(k, position, pivot, e) => ['LINSERT', k, position, pivot, e]],
  lPos: [(k, e, o) => {
    const args = ['LPOS', k, e];
    if (typeof o?.RANK === 'number') args.push('RANK', o.RANK.toString());
    if (typeof o?.MAXLEN === 'number') args.push('MAXLEN', o.MAXLEN.toString());
    return args;
  }],
  lPosCount: [(k, e, count, o) => {
    const args = ['LPOS', k, e];
    if (typeof o?.RANK === 'number') args.push('RANK', o.RANK.toString());
    args.push('COUNT', count.toString());
    if (typeof o?.MAXLEN === 'number') args.push('MAXLEN', o.MAXLEN.toString());
    return args;
  }],
  lMove: [(src, dst, from, to) => ['LMOVE', src, dst, from, to]],
  rPopLPush: [(src, dst) => ['RPOPLPUSH', src, dst]],
  blPop: [(keys, timeout) => {
    const args = spread(['BLPOP'], keys);
    args.push(timeout.toString());
    return args;
  }, keyElement, true],
  brPop: [(keys, timeout) => {
    const args = spread(['BRPOP'], keys);
    args.push(timeout.toString());
    return args;
  }, keyElement, true],
  blMove: [(src, dst, from, to, timeout) => ['BLMOVE', src, dst, from, to, timeout.toString()], undefined, true],
  brPopLPush: [(src, dst, timeout) => ['BRPOPLPUSH', src, dst, timeout.toString()], undefined, true],

  // sets
  sAdd: [(k, members) => spread(['SADD', k], members)],
  sRem: [(k, members) => spread(['SREM', k], members)],
  sMembers: [(k) => ['SMEMBERS', k]],
  sIsMember: [(k, m) => ['SISMEMBER', k, m], bool],
  smIsMember: [(k, members) => ['SMISMEMBER', k, ...members], (r) => r.map(bool)],
  sCard: [(k) => ['SCARD', k]],
  sInter: [(keys) => spread(['SINTER'], keys)],
  sUnion: [(keys) => spread(['SUNION'], keys)],
  sDiff: [(keys) => spread(['SDIFF'], keys)],
  sInterStore: [(dst, keys) => spread(['SINTERSTORE', dst], keys)],
  sUnionStore: [(dst, keys) => spread(['SUNIONSTORE', dst], keys)],
  sDiffStore: [(dst, keys) => spread(['SDIFFSTORE', dst], keys)],
  sInterCard: [(keys, max) => {
    const args = counted(['SINTERCARD'], keys);
    if (max) args.push('LIMIT', max.toString());
    return args;
  }],
  sRandMember: [(k) => ['SRANDMEMBER', k]],
  sRandMemberCount: [(k, n) => ['SRANDMEMBER', k, n.toString()]],
  sPop: [(k, n) => (typeof n === 'number' ? ['SPOP', k, n.toString()] : ['SPOP', k])],
  sMove: [(src, dst, m) => ['SMOVE', src, dst, m], bool],
  sScan: [(k, cursor, o) => scanArgs(['SSCAN', k], cursor, o), sscan],

  // sorted sets
  zAdd: [(k, members, o) => {
    const args = ['ZADD', k];
    if (o?.NX) args.push('NX');
    else {
      if (o?.XX) args.push('XX');
      if (o?.GT) args.push('GT');
      else if (o?.LT) args.push('LT');
    }
    if (o?.CH) args.push('CH');
    if (o?.INCR) args.push('INCR');
    for (const { score: s, value } of Array.isArray(members) ? members : [members]) {
      args.push(scoreArg(s), value);
    }
    return args;
  }, score],
  zIncrBy: [(k, n, m) => ['ZINCRBY', k, scoreArg(n), m], score],
  zScore: [(k, m) => ['ZSCORE', k, m], score],
  zmScore: [(k, members) => spread(['ZMSCORE', k], members), (r) => r.map(score)],
  zRank: [(k, m) => ['ZRANK', k, m]],
  zRevRank: [(k, m) => ['ZREVRANK', k, m]],
  zCard: [(k) => ['ZCARD', k]],
  zCount: [(k, min, max) => ['ZCOUNT', k, bound(min), bound(max)]],
  zLexCount: [(k, min, max) => ['ZLEXCOUNT', k, min, max]],
  zRem: [(k, members) => spread(['ZREM', k], members)],
  zRange: [(k, min, max, o) => zrangeArgs('ZRANGE', k, min, max, o)],
  zRangeWithScores: [(k, min, max, o) => {
    const args = zrangeArgs('ZRANGE', k, min, max, o);
    args.push('WITHSCORES');
    return args;
  }, withScores],
  zRangeByScore: [(k, min, max, o) => limit(['ZRANGEBYSCORE', k, bound(min), bound(max)], o)],
  zRangeByScoreWithScores: [(k, min, max, o) => {
    const args = limit(['ZRANGEBYSCORE', k, bound(min), bound(max)], o);
    args.push('WITHSCORES');
    return args;
  }, withScores],
  zRangeByLex: [(k, min, max, o) => limit(['ZRANGEBYLEX', k, bound(min), bound(max)], o)],
  zRangeStore: [(dst, src, min, max, o) => {
    const args = ['ZRANGESTORE', dst, src, bound(min), bound(max)];
    if (o?.BY === 'SCORE') args.push('BYSCORE');
    else if (o?.BY === 'LEX') args.push('BYLEX');
    if (o?.REV) args.push('REV');
    limit(args, o);
    if (o?.WITHSCORES) args.push('WITHSCORES');
    return args;
  }],
  zRemRangeByScore: [(k, min, max) => ['ZREMRANGEBYSCORE', k, bound(min), bound(max)]],
  zRemRangeByRank: [(k, start, stop) => ['ZREMRANGEBYRANK', k, start.toString(), stop.toString()]],
  zRemRangeByLex: [(k, min, max) => ['ZREMRANGEBYLEX', k, bound(min), bound(max)]],
  zPopMin: [(k) => ['ZPOPMIN', k], member],
  zPopMax: [(k) => ['ZPOPMAX', k], member],
  zPopMinCount: [(k, n) => ['ZPOPMIN', k, n.toString()], withScores],
  zPopMaxCount: [(k, n) => ['ZPOPMAX', k, n.toString()], withScores],
  zRandMember: [(k) => ['ZRANDMEMBER', k]],
  zRandMemberCount: [(k, n) => ['ZRANDMEMBER', k, n.toString()]],
  zRandMemberCountWithScores: [(k, n) => ['ZRANDMEMBER', k, n.toString(), 'WITHSCORES'], withScores],
  zUnion: [(keys, o) => weights(counted(['ZUNION'], keys), o)],
  zUnionWithScores: [(keys, o) => [...weights(counted(['ZUNION'], keys), o), 'WITHSCORES'], withScores],
  zInter: [(keys, o) => weights(counted(['ZINTER'], keys), o)],
  zInterWithScores: [(keys, o) => [...weights(counted(['ZINTER'], keys), o), 'WITHSCORES'], withScores],
  zDiff: [(keys) => counted(['ZDIFF'], keys)],
  zDiffWithScores: [(keys) => [...counted(['ZDIFF'], keys), 'WITHSCORES'], withScores],
  zUnionStore: [(dst, keys, o) => weights(counted(['ZUNIONSTORE', dst], keys), o)],
  zInterStore: [(dst, keys, o) => weights(counted(['ZINTERSTORE', dst], keys), o)],
  zDiffStore: [(dst, keys) => counted(['ZDIFFSTORE', dst], keys)],
  zScan: [(k, cursor, o) => scanArgs(['ZSCAN', k], cursor, o), zscan],
  bzPopMin: [(keys, timeout) => {
    const args = spread(['BZPOPMIN'], keys);
    args.push(timeout.toString());
    return args;
  }, keyMember, true],
  bzPopMax: [(keys, timeout) => {
    const args = spread(['BZPOPMAX'], keys);
    args.push(timeout.toString());
    return args;
  }, keyMember, true],

  // pub/sub (SUBSCRIBE and friends are methods of the client: they keep listeners)
  publish: [(channel, message) => ['PUBLISH', channel, message]],
  pubSubChannels: [(pattern) => (pattern ? ['PUBSUB', 'CHANNELS', pattern] : ['PUBSUB', 'CHANNELS'])],
  pubSubNumSub: [(channels) => (channels ? spread(['PUBSUB', 'NUMSUB'], channels) : ['PUBSUB', 'NUMSUB']), numsub],
  pubSubNumPat: [() => ['PUBSUB', 'NUMPAT']],

  // transactions (MULTI/EXEC are the client's multi())
  watch: [(keys) => spread(['WATCH'], keys)],
  unwatch: [() => ['UNWATCH']],
};

/**
 * The engine's blocking commands (its `src/blocking.rs`), upper case: a client sends these, and
 * everything it sends while one of them waits, through the Session.
 */
export const BLOCKING = new Set(['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP']);
