// The code of lessons 1-4 of the course chapter "3.16.d — Advanced Redis Features" (hashes, lists,
// sets, sorted sets), copied verbatim from the chapter, run against the in-page node-redis client
// (www/redis.js) on the release engine, with the chapter's `require('./config/redis')` answered by
// a `getRedisClient()` that connects one shared client, `console.log` captured, and a stub for
// the Mongoose `User.findById(id).lean()` the profile cache calls.
//
// Every output the chapter states in a comment (`console.log(x); // "Alice"`) is asserted, and so
// is every command the code sends (seen through `setCommandObserver`). Where Redis or node-redis v4
// behaves differently from what the chapter says, the test asserts the real behaviour and a NOTE
// says what differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';
import { createClient, getSession, setCommandObserver } from '../../www/redis.js';

const { Playground } = await loadPlayground();

// The chapter's code, exactly as printed (only escaped for a template literal: \`, \${ and \\).
const COURSE = {
  // 1. Hash Operations in Node.js (seed lines 7-45)
  hashOperations: `const { getRedisClient } = require('./config/redis');
async function hashOperations() {
const client = await getRedisClient();
// HSET — set multiple fields at once
await client.hSet('user:1001', {
name: 'Alice',
email: 'alice@example.com',
age: '30',
role: 'admin',
loginCount: '0',
});
// Set TTL on the hash key
await client.expire('user:1001', 3600);
// HGET — get a single field
const name = await client.hGet('user:1001', 'name');
console.log(name); // "Alice"
// HGETALL — get all fields as an object
const user = await client.hGetAll('user:1001');
console.log(user);
// { name: "Alice", email: "alice@example.com", age: "30", role: "admin", loginCount: "0" }
// HMGET — get specific fields (returns array)
// Note: v4 uses hGet for single, but you can get multiple by calling hGetAll or individual hGet calls
// HEXISTS — check if a field exists
const hasEmail = await client.hExists('user:1001', 'email');
console.log(hasEmail); // true
// HINCRBY — atomically increment a numeric field
const newCount = await client.hIncrBy('user:1001', 'loginCount', 1);
console.log(newCount); // 1
// HDEL — delete a specific field
await client.hDel('user:1001', 'role');
// HKEYS — get all field names
const fields = await client.hKeys('user:1001');
console.log(fields); // ["name", "email", "age", "loginCount"]
// HVALS — get all values
const values = await client.hVals('user:1001');
// HLEN — count fields
const fieldCount = await client.hLen('user:1001');
console.log(fieldCount); // 4
}`,
  // 1. Practical Example: User Profile Cache (seed lines 47-75)
  userProfileCache: `async function getUserProfile(userId) {
const client = await getRedisClient();
const key = \`profile:\${userId}\`;
// Check if profile is cached
const cached = await client.hGetAll(key);
if (cached && Object.keys(cached).length > 0) {
console.log('Profile cache HIT');
return cached;
}
// Fetch from database
const user = await User.findById(userId).lean();
if (!user) return null;
// Cache as hash (flatten nested objects)
await client.hSet(key, {
name: user.name,
email: user.email,
avatar: user.avatar || '',
bio: user.bio || '',
followers: String(user.followers),
following: String(user.following),
});
await client.expire(key, 1800); // 30 minutes
return user;
}
// Update a single field without fetching the full object
async function incrementFollowerCount(userId) {
const client = await getRedisClient();
await client.hIncrBy(\`profile:\${userId}\`, 'followers', 1);
}`,
  // 2. List Operations in Node.js (seed lines 78-109)
  listOperations: `async function listOperations() {
const client = await getRedisClient();
// LPUSH — push to the beginning (left)
await client.lPush('notifications:user:1001', JSON.stringify({
type: 'like',
message: 'Alice liked your post',
timestamp: Date.now(),
}));
// RPUSH — push to the end (right)
await client.rPush('queue:emails', JSON.stringify({
to: 'user@example.com',
subject: 'Welcome!',
}));
// LRANGE — get a range of elements (0 to -1 = all)
const allNotifications = await client.lRange('notifications:user:1001', 0, -1);
const recent5 = await client.lRange('notifications:user:1001', 0, 4);
// Parse JSON from each element
const parsed = allNotifications.map(JSON.parse);
// LPOP / RPOP — remove and return from beginning/end
const next = await client.lPop('queue:emails');
// LLEN — get list length
const queueLength = await client.lLen('queue:emails');
// LTRIM — keep only a range (trim the rest)
// Keep only the 100 most recent notifications
await client.lTrim('notifications:user:1001', 0, 99);
// LINDEX — get element by index
const first = await client.lIndex('notifications:user:1001', 0);
// BLPOP — blocking pop (waits for data, great for job queues)
// Waits up to 30 seconds for an item
const item = await client.blPop('queue:jobs', 30);
// Returns { key: 'queue:jobs', element: '...' } or null if timeout
}`,
  // 2. Practical Example: Recent Activity Feed (seed lines 111-137)
  activityFeed: `async function addToActivityFeed(userId, activity) {
const client = await getRedisClient();
const key = \`feed:\${userId}\`;
// Push new activity to the beginning
await client.lPush(key, JSON.stringify({
...activity,
timestamp: Date.now(),
}));
// Keep only the latest 200 items
await client.lTrim(key, 0, 199);
// Set TTL (feed expires if user is inactive for 7 days)
await client.expire(key, 604800);
}
async function getActivityFeed(userId, page = 1, limit = 20) {
const client = await getRedisClient();
const key = \`feed:\${userId}\`;
const start = (page - 1) * limit;
const end = start + limit - 1;
const items = await client.lRange(key, start, end);
const total = await client.lLen(key);
return {
items: items.map(JSON.parse),
total,
page,
pages: Math.ceil(total / limit),
};
}`,
  // 3. Set Operations in Node.js (seed lines 140-168)
  setOperations: `async function setOperations() {
const client = await getRedisClient();
// SADD — add members
await client.sAdd('tags:post:42', ['javascript', 'nodejs', 'redis', 'caching']);
// SMEMBERS — get all members
const tags = await client.sMembers('tags:post:42');
console.log(tags); // ["javascript", "nodejs", "redis", "caching"]
// SISMEMBER — check membership
const hasTag = await client.sIsMember('tags:post:42', 'redis');
console.log(hasTag); // true
// SCARD — count members
const tagCount = await client.sCard('tags:post:42');
console.log(tagCount); // 4
// SREM — remove a member
await client.sRem('tags:post:42', 'caching');
// Set operations
await client.sAdd('user:1:skills', ['javascript', 'react', 'nodejs']);
await client.sAdd('user:2:skills', ['javascript', 'python', 'django']);
// SINTER — intersection (common skills)
const commonSkills = await client.sInter(['user:1:skills', 'user:2:skills']);
console.log(commonSkills); // ["javascript"]
// SUNION — union (all unique skills)
const allSkills = await client.sUnion(['user:1:skills', 'user:2:skills']);
// SDIFF — difference (skills user:1 has that user:2 does not)
const uniqueSkills = await client.sDiff(['user:1:skills', 'user:2:skills']);
console.log(uniqueSkills); // ["react", "nodejs"]
// SRANDMEMBER — random member(s) without removing
const random = await client.sRandMember('tags:post:42');
}`,
  // 3. Practical Example: Online Users Tracker (seed lines 170-190)
  onlineUsers: `async function userGoesOnline(userId) {
const client = await getRedisClient();
await client.sAdd('online-users', userId);
}
async function userGoesOffline(userId) {
const client = await getRedisClient();
await client.sRem('online-users', userId);
}
async function getOnlineUserCount() {
const client = await getRedisClient();
return client.sCard('online-users');
}
async function isUserOnline(userId) {
const client = await getRedisClient();
return client.sIsMember('online-users', userId);
}
async function getOnlineFriends(userId) {
const client = await getRedisClient();
// Intersection of user's friends and online users
return client.sInter([\`friends:\${userId}\`, 'online-users']);
}`,
  // 4. Sorted Set Operations in Node.js (seed lines 193-227)
  sortedSetOperations: `async function sortedSetOperations() {
const client = await getRedisClient();
// ZADD — add members with scores
await client.zAdd('leaderboard', [
{ score: 1500, value: 'Alice' },
{ score: 1350, value: 'Bob' },
{ score: 1420, value: 'Charlie' },
{ score: 1280, value: 'Diana' },
]);
// ZRANGE — get by rank ascending (with scores)
const ascending = await client.zRangeWithScores('leaderboard', 0, -1);
console.log(ascending);
// [{ value: "Diana", score: 1280 }, { value: "Bob", score: 1350 }, ...]
// ZREVRANGE — get by rank descending (top players)
// In v4, use zRange with REV option
const top3 = await client.zRange('leaderboard', 0, 2, { REV: true });
console.log(top3); // ["Alice", "Charlie", "Bob"]
// ZSCORE — get score of a member
const aliceScore = await client.zScore('leaderboard', 'Alice');
console.log(aliceScore); // 1500
// ZRANK / ZREVRANK — get rank (0-based)
const rank = await client.zRevRank('leaderboard', 'Alice');
console.log(rank); // 0 (top position)
// ZINCRBY — increment score
await client.zIncrBy('leaderboard', 50, 'Bob');
// Bob's score is now 1400
// ZRANGEBYSCORE — get members within a score range
const eliteUsers = await client.zRangeByScore('leaderboard', 1400, '+inf');
// ZCARD — count members
const playerCount = await client.zCard('leaderboard');
// ZCOUNT — count members in a score range
const above1300 = await client.zCount('leaderboard', 1300, '+inf');
// ZREM — remove a member
await client.zRem('leaderboard', 'Diana');
}`,
  // 4. Practical Example: Real-Time Leaderboard (seed lines 229-257)
  leaderboard: `async function addScore(userId, points) {
const client = await getRedisClient();
// ZINCRBY creates the member if it does not exist
const newScore = await client.zIncrBy('leaderboard:weekly', points, userId);
return newScore;
}
async function getLeaderboard(page = 1, limit = 10) {
const client = await getRedisClient();
const start = (page - 1) * limit;
const end = start + limit - 1;
const results = await client.zRangeWithScores('leaderboard:weekly', start, end, { REV: true });
const total = await client.zCard('leaderboard:weekly');
return {
rankings: results.map((entry, index) => ({
rank: start + index + 1,
userId: entry.value,
score: entry.score,
})),
total,
page,
pages: Math.ceil(total / limit),
};
}
async function getUserRank(userId) {
const client = await getRedisClient();
const rank = await client.zRevRank('leaderboard:weekly', userId);
const score = await client.zScore('leaderboard:weekly', userId);
return { rank: rank !== null ? rank + 1 : null, score };
}`,
};

// The chapter's lessons 1-4 read as one CommonJS module: lesson 1 opens with the `require` that
// the later lessons' functions rely on.
const EXPORTS = [
  'hashOperations', 'getUserProfile', 'incrementFollowerCount',
  'listOperations', 'addToActivityFeed', 'getActivityFeed',
  'setOperations', 'userGoesOnline', 'userGoesOffline', 'getOnlineUserCount', 'isUserOnline', 'getOnlineFriends',
  'sortedSetOperations', 'addScore', 'getLeaderboard', 'getUserRank',
];

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A fresh engine (clock frozen) and the chapter's functions bound to it: `logs` collects what
 * the code prints, `sent` every command a client sent with the engine's raw reply, `client` the
 * shared client (once the code asked for it), `admin` another client to look at the keyspace.
 */
async function course({ users = {} } = {}) {
  const pg = new Playground();
  pg.freeze();
  const session = getSession(pg);
  const logs = [];
  const sent = [];
  let shared = null;
  const config = {
    async getRedisClient() {
      if (shared === null) {
        shared = createClient({ url: 'redis://localhost:6379', playground: pg });
        await shared.connect();
      }
      return shared;
    },
  };
  const require = (id) => {
    if (id === './config/redis') return config;
    throw new Error(`the chapter's code required ${id}`);
  };
  const console = { log: (...args) => logs.push(args.length === 1 ? args[0] : args) };
  const User = {
    findById: (id) => ({ lean: async () => (Object.hasOwn(users, id) ? structuredClone(users[id]) : null) }),
  };
  const source = `${COURSE_TEXT}\nreturn { ${EXPORTS.join(', ')} };`;
  const fns = new Function('require', 'console', 'User', source)(require, console, User);
  const admin = createClient({ playground: pg });
  await admin.connect();
  setCommandObserver(({ client, argv, reply }) => {
    if (client !== admin) sent.push({ argv, reply });
  });
  return {
    ...fns, pg, session, logs, sent, admin,
    get client() { return shared; },
    redis: config.getRedisClient,
    argvs: () => sent.map((s) => s.argv),
    async close() {
      setCommandObserver(null);
      if (shared?.isOpen) await shared.quit();
      await admin.quit();
      session.close();
    },
  };
}

const COURSE_TEXT = Object.values(COURSE).join('\n');
/** A null-prototype object (HGETALL's shape) compared field by field, in order. */
function assertHash(actual, expected) {
  assert.equal(Object.getPrototypeOf(actual), null, 'HGETALL gives an object without a prototype');
  assert.deepEqual(Object.entries(actual), Object.entries(expected));
}
const sorted = (a) => [...a].sort();

// ---- 1. Hashes ---------------------------------------------------------------------------------

test('1. hashOperations: every printed value, the commands sent, the TTL', async () => {
  const c = await course();
  assert.equal(await c.hashOperations(), undefined);
  assert.equal(c.logs.length, 6);
  assert.equal(c.logs[0], 'Alice'); // console.log(name); // "Alice"
  // console.log(user); // { name: "Alice", email: "alice@example.com", age: "30", role: "admin", loginCount: "0" }
  assertHash(c.logs[1], { name: 'Alice', email: 'alice@example.com', age: '30', role: 'admin', loginCount: '0' });
  assert.equal(c.logs[2], true); // console.log(hasEmail); // true
  assert.equal(c.logs[3], 1); // console.log(newCount); // 1
  assert.deepEqual(c.logs[4], ['name', 'email', 'age', 'loginCount']); // console.log(fields);
  assert.equal(c.logs[5], 4); // console.log(fieldCount); // 4
  assert.deepEqual(c.argvs(), [
    ['HSET', 'user:1001', 'name', 'Alice', 'email', 'alice@example.com', 'age', '30', 'role', 'admin', 'loginCount', '0'],
    ['EXPIRE', 'user:1001', '3600'],
    ['HGET', 'user:1001', 'name'],
    ['HGETALL', 'user:1001'],
    ['HEXISTS', 'user:1001', 'email'],
    ['HINCRBY', 'user:1001', 'loginCount', '1'],
    ['HDEL', 'user:1001', 'role'],
    ['HKEYS', 'user:1001'],
    ['HVALS', 'user:1001'],
    ['HLEN', 'user:1001'],
  ]);
  assert.deepEqual(c.sent.at(-2).reply, ['Alice', 'alice@example.com', '30', '1'], 'HVALS');
  assert.equal(c.sent.at(-1).reply, 4);
  assert.equal(await c.admin.ttl('user:1001'), 3600);
  await c.close();
});

test('1. HMGET exists in node-redis v4 as hmGet', async () => {
  // NOTE: the chapter says "v4 uses hGet for single, but you can get multiple by calling hGetAll
  // or individual hGet calls"; node-redis v4 has `hmGet(key, fields)`, which sends one HMGET.
  const c = await course();
  await c.hashOperations();
  assert.deepEqual(await c.client.hmGet('user:1001', ['name', 'email', 'role']), ['Alice', 'alice@example.com', null]);
  assert.deepEqual(c.argvs().at(-1), ['HMGET', 'user:1001', 'name', 'email', 'role']);
  assert.deepEqual(await c.client.hmGet('user:1001', 'age'), ['30']);
  await c.close();
});

const bob = { name: 'Bob', email: 'bob@example.com', bio: 'Runs', followers: 10, following: 3 };

test('1. getUserProfile: a miss reads the database and caches a flat hash for 30 minutes', async () => {
  const c = await course({ users: { u42: bob } });
  assert.deepEqual(await c.getUserProfile('u42'), bob, 'the first call returns the database document');
  assert.deepEqual(c.logs, []);
  assert.deepEqual(c.argvs(), [
    ['HGETALL', 'profile:u42'],
    ['HSET', 'profile:u42', 'name', 'Bob', 'email', 'bob@example.com', 'avatar', '', 'bio', 'Runs', 'followers', '10', 'following', '3'],
    ['EXPIRE', 'profile:u42', '1800'],
  ]);
  assert.equal(await c.admin.ttl('profile:u42'), 1800);
  const cached = await c.getUserProfile('u42');
  assert.deepEqual(c.logs, ['Profile cache HIT']);
  // The cached profile is the hash: every value a string, the missing avatar an empty one.
  assertHash(cached, { name: 'Bob', email: 'bob@example.com', avatar: '', bio: 'Runs', followers: '10', following: '3' });
  await c.close();
});

test('1. getUserProfile: an unknown user gives null and caches nothing', async () => {
  const c = await course();
  assert.equal(await c.getUserProfile('nobody'), null);
  assert.equal(await c.admin.exists('profile:nobody'), 0);
  await c.close();
});

test('1. incrementFollowerCount updates one field of the cached profile', async () => {
  const c = await course({ users: { u42: bob } });
  await c.getUserProfile('u42');
  await c.incrementFollowerCount('u42');
  assert.deepEqual(c.argvs().at(-1), ['HINCRBY', 'profile:u42', 'followers', '1']);
  assert.equal(c.sent.at(-1).reply, 11);
  assert.equal(await c.admin.hGet('profile:u42', 'followers'), '11');
  assert.equal(await c.admin.ttl('profile:u42'), 1800, 'HINCRBY keeps the TTL');
  await c.close();
});

test('1. incrementFollowerCount on a profile not cached creates a one-field hash, then read as a HIT', async () => {
  // NOTE (Redis behaviour the chapter does not mention): HINCRBY creates the hash, without a TTL,
  // so the next getUserProfile finds a non-empty hash and returns { followers: '1' } as a hit.
  const c = await course({ users: { u42: bob } });
  await c.incrementFollowerCount('u42');
  assert.equal(await c.admin.ttl('profile:u42'), -1);
  assertHash(await c.getUserProfile('u42'), { followers: '1' });
  assert.deepEqual(c.logs, ['Profile cache HIT']);
  await c.close();
});

// ---- 2. Lists ----------------------------------------------------------------------------------

/** Resolves once the engine has a blocked client's deadline (the clock is frozen in these tests). */
async function blocked(pg) {
  for (let i = 0; i < 1000 && pg.nextDeadline() === undefined; i++) await turn();
  assert.notEqual(pg.nextDeadline(), undefined, 'a client is blocked');
}

/** Keeps the promise of every blPop the course's client returns. */
function spyBlPop(client) {
  const calls = [];
  const original = client.blPop;
  client.blPop = function (...args) {
    const p = original.apply(this, args);
    calls.push(p);
    return p;
  };
  return calls;
}

test('2. listOperations: BLPOP waits 30 s on the virtual clock, then gives null', async () => {
  const c = await course();
  const blPops = spyBlPop(await c.redis());
  const before = Date.now();
  const run = c.listOperations();
  await blocked(c.pg);
  const argvs = c.argvs();
  assert.deepEqual(argvs.map((a) => a[0]), ['LPUSH', 'RPUSH', 'LRANGE', 'LRANGE', 'LPOP', 'LLEN', 'LTRIM', 'LINDEX']);
  assert.deepEqual(argvs.slice(2).map((a) => a.slice(1)), [
    ['notifications:user:1001', '0', '-1'],
    ['notifications:user:1001', '0', '4'],
    ['queue:emails'],
    ['queue:emails'],
    ['notifications:user:1001', '0', '99'],
    ['notifications:user:1001', '0'],
  ]);
  const notification = JSON.parse(argvs[0][2]);
  assert.equal(notification.type, 'like');
  assert.equal(notification.message, 'Alice liked your post');
  assert.ok(notification.timestamp >= before);
  assert.deepEqual(JSON.parse(argvs[1][2]), { to: 'user@example.com', subject: 'Welcome!' });
  assert.deepEqual(c.sent[2].reply, [argvs[0][2]], 'LRANGE 0 -1: the one notification');
  assert.deepEqual(JSON.parse(c.sent[4].reply), { to: 'user@example.com', subject: 'Welcome!' }, 'LPOP');
  assert.equal(c.sent[5].reply, 0, 'LLEN after the pop');
  assert.equal(c.sent[6].reply, 'OK', 'LTRIM');
  assert.equal(c.sent[7].reply, argvs[0][2], 'LINDEX 0 is the notification');
  // "Waits up to 30 seconds": 29.999 s later it still waits; at 30 s BLPOP gives null.
  assert.equal(blPops.length, 1);
  let settled = false;
  blPops[0].then(() => { settled = true; });
  c.session.advance(29_999);
  await turn();
  assert.equal(settled, false);
  c.session.advance(1);
  assert.equal(await blPops[0], null); // "or null if timeout"
  assert.equal(await run, undefined);
  assert.deepEqual(c.sent.at(-1), { argv: ['BLPOP', 'queue:jobs', '30'], reply: null });
  await c.close();
});

test('2. listOperations: a job pushed by another client is BLPOP\'s { key, element }', async () => {
  const c = await course();
  const blPops = spyBlPop(await c.redis());
  const run = c.listOperations();
  await blocked(c.pg);
  const producer = c.client.duplicate();
  await producer.connect();
  assert.equal(await producer.rPush('queue:jobs', 'job-1'), 1);
  // Returns { key: 'queue:jobs', element: '...' }
  assert.deepEqual(await blPops[0], { key: 'queue:jobs', element: 'job-1' });
  assert.equal(await run, undefined);
  assert.equal(await producer.lLen('queue:jobs'), 0);
  await producer.quit();
  await c.close();
});

test('2. addToActivityFeed / getActivityFeed: newest first, 20 a page, 200 kept, 7-day TTL', async () => {
  const c = await course();
  for (let i = 0; i < 25; i++) await c.addToActivityFeed('u1', { type: 'post', n: i });
  assert.deepEqual(c.argvs().slice(0, 3).map((a) => [a[0], a[1], ...a.slice(2).filter((x) => !x.startsWith('{'))]), [
    ['LPUSH', 'feed:u1'],
    ['LTRIM', 'feed:u1', '0', '199'],
    ['EXPIRE', 'feed:u1', '604800'],
  ]);
  assert.equal(await c.admin.ttl('feed:u1'), 604800);
  const page1 = await c.getActivityFeed('u1');
  assert.deepEqual([page1.total, page1.page, page1.pages, page1.items.length], [25, 1, 2, 20]);
  assert.deepEqual(page1.items.map((a) => a.n), Array.from({ length: 20 }, (_, i) => 24 - i));
  assert.equal(page1.items[0].type, 'post');
  assert.equal(typeof page1.items[0].timestamp, 'number');
  assert.deepEqual(c.argvs().slice(-2), [['LRANGE', 'feed:u1', '0', '19'], ['LLEN', 'feed:u1']]);
  const page2 = await c.getActivityFeed('u1', 2);
  assert.deepEqual(page2.items.map((a) => a.n), [4, 3, 2, 1, 0]);
  assert.deepEqual(c.argvs().at(-2), ['LRANGE', 'feed:u1', '20', '39']);
  const small = await c.getActivityFeed('u1', 3, 10);
  assert.deepEqual([small.items.length, small.pages], [5, 3]);
  for (let i = 25; i < 205; i++) await c.addToActivityFeed('u1', { type: 'post', n: i });
  const trimmed = await c.getActivityFeed('u1', 10);
  assert.deepEqual([trimmed.total, trimmed.pages], [200, 10]);
  assert.deepEqual(trimmed.items.map((a) => a.n).slice(-1), [5], 'the oldest kept is the 6th added');
  assert.deepEqual(await c.getActivityFeed('nobody'), { items: [], total: 0, page: 1, pages: 0 });
  await c.close();
});

// ---- 3. Sets -----------------------------------------------------------------------------------

test('3. setOperations: every printed value (set order as Redis gives it)', async () => {
  const c = await course();
  assert.equal(await c.setOperations(), undefined);
  assert.equal(c.logs.length, 5);
  // console.log(tags); // ["javascript", "nodejs", "redis", "caching"]
  // NOTE: the members of a set of strings come in the order of Redis's hash table, which is not
  // the order they were added and changes from one server to another: compared as sets.
  assert.deepEqual(sorted(c.logs[0]), ['caching', 'javascript', 'nodejs', 'redis']);
  assert.equal(c.logs[1], true); // console.log(hasTag); // true
  assert.equal(c.logs[2], 4); // console.log(tagCount); // 4
  assert.deepEqual(c.logs[3], ['javascript']); // console.log(commonSkills); // ["javascript"]
  // console.log(uniqueSkills); // ["react", "nodejs"] (NOTE: in hash-table order, compared as a set)
  assert.deepEqual(sorted(c.logs[4]), ['nodejs', 'react']);
  assert.deepEqual(c.argvs(), [
    ['SADD', 'tags:post:42', 'javascript', 'nodejs', 'redis', 'caching'],
    ['SMEMBERS', 'tags:post:42'],
    ['SISMEMBER', 'tags:post:42', 'redis'],
    ['SCARD', 'tags:post:42'],
    ['SREM', 'tags:post:42', 'caching'],
    ['SADD', 'user:1:skills', 'javascript', 'react', 'nodejs'],
    ['SADD', 'user:2:skills', 'javascript', 'python', 'django'],
    ['SINTER', 'user:1:skills', 'user:2:skills'],
    ['SUNION', 'user:1:skills', 'user:2:skills'],
    ['SDIFF', 'user:1:skills', 'user:2:skills'],
    ['SRANDMEMBER', 'tags:post:42'],
  ]);
  assert.deepEqual(sorted(c.sent[8].reply), ['django', 'javascript', 'nodejs', 'python', 'react'], 'SUNION');
  assert.ok(['javascript', 'nodejs', 'redis'].includes(c.sent[10].reply), 'SRANDMEMBER: one of the tags left');
  assert.equal(await c.admin.sIsMember('tags:post:42', 'caching'), false);
  await c.close();
});

test('3. online users: SADD/SREM/SCARD/SISMEMBER and friends online by SINTER', async () => {
  const c = await course();
  for (const id of ['u1', 'u2', 'u3']) await c.userGoesOnline(id);
  assert.equal(await c.getOnlineUserCount(), 3);
  assert.equal(await c.isUserOnline('u2'), true);
  await c.userGoesOffline('u2');
  assert.equal(await c.isUserOnline('u2'), false);
  assert.equal(await c.getOnlineUserCount(), 2);
  await c.admin.sAdd('friends:u1', ['u2', 'u3', 'u4']);
  assert.deepEqual(await c.getOnlineFriends('u1'), ['u3']);
  assert.deepEqual(await c.getOnlineFriends('u9'), [], 'no friends set: an empty intersection');
  assert.deepEqual(c.argvs().slice(0, 4), [
    ['SADD', 'online-users', 'u1'],
    ['SADD', 'online-users', 'u2'],
    ['SADD', 'online-users', 'u3'],
    ['SCARD', 'online-users'],
  ]);
  assert.deepEqual(c.argvs().at(-1), ['SINTER', 'friends:u9', 'online-users']);
  await c.close();
});

test('3. online users: a numeric user id is refused, as node-redis v4 refuses it', async () => {
  // NOTE: node-redis v4 sends only strings; `sAdd('online-users', 42)` rejects with
  // TypeError('Invalid argument type') and nothing is sent. Ids must be strings (String(user._id)).
  const c = await course();
  await assert.rejects(c.userGoesOnline(42), { name: 'TypeError', message: 'Invalid argument type' });
  await assert.rejects(c.isUserOnline(42), { name: 'TypeError', message: 'Invalid argument type' });
  assert.deepEqual(c.sent, []);
  await c.userGoesOnline('42');
  assert.equal(await c.isUserOnline('42'), true);
  await c.close();
});

// ---- 4. Sorted sets ----------------------------------------------------------------------------

test('4. sortedSetOperations: every printed value and the scores after', async () => {
  const c = await course();
  assert.equal(await c.sortedSetOperations(), undefined);
  assert.equal(c.logs.length, 4);
  // console.log(ascending); // [{ value: "Diana", score: 1280 }, { value: "Bob", score: 1350 }, ...]
  assert.deepEqual(c.logs[0], [
    { value: 'Diana', score: 1280 },
    { value: 'Bob', score: 1350 },
    { value: 'Charlie', score: 1420 },
    { value: 'Alice', score: 1500 },
  ]);
  assert.deepEqual(c.logs[1], ['Alice', 'Charlie', 'Bob']); // console.log(top3);
  assert.equal(c.logs[2], 1500); // console.log(aliceScore); // 1500
  assert.equal(c.logs[3], 0); // console.log(rank); // 0 (top position)
  assert.deepEqual(c.argvs(), [
    ['ZADD', 'leaderboard', '1500', 'Alice', '1350', 'Bob', '1420', 'Charlie', '1280', 'Diana'],
    ['ZRANGE', 'leaderboard', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'leaderboard', '0', '2', 'REV'],
    ['ZSCORE', 'leaderboard', 'Alice'],
    ['ZREVRANK', 'leaderboard', 'Alice'],
    ['ZINCRBY', 'leaderboard', '50', 'Bob'],
    ['ZRANGEBYSCORE', 'leaderboard', '1400', '+inf'],
    ['ZCARD', 'leaderboard'],
    ['ZCOUNT', 'leaderboard', '1300', '+inf'],
    ['ZREM', 'leaderboard', 'Diana'],
  ]);
  const replies = c.sent.map((s) => s.reply);
  assert.equal(replies[0], 4);
  assert.equal(replies[5], '1400'); // Bob's score is now 1400 (ZINCRBY answers the new score)
  assert.deepEqual(replies[6], ['Bob', 'Charlie', 'Alice'], 'eliteUsers: scores 1400 and up');
  assert.equal(replies[7], 4, 'playerCount');
  assert.equal(replies[8], 3, 'above1300: Bob 1400, Charlie 1420, Alice 1500');
  assert.equal(replies[9], 1, 'Diana removed');
  assert.equal(await c.admin.zScore('leaderboard', 'Bob'), 1400);
  assert.deepEqual(await c.admin.zRange('leaderboard', 0, -1), ['Bob', 'Charlie', 'Alice']);
  await c.close();
});

test('4. leaderboard: addScore, pages of rankings, a user\'s rank and score', async () => {
  const c = await course();
  assert.equal(await c.addScore('alice', 100), 100); // ZINCRBY creates the member
  assert.equal(await c.addScore('alice', 55), 155);
  assert.deepEqual(c.argvs()[0], ['ZINCRBY', 'leaderboard:weekly', '100', 'alice']);
  for (let i = 1; i <= 24; i++) await c.addScore(`player${String(i).padStart(2, '0')}`, i * 10);
  const page1 = await c.getLeaderboard();
  assert.deepEqual([page1.total, page1.page, page1.pages], [25, 1, 3]);
  assert.deepEqual(page1.rankings.slice(0, 2), [
    { rank: 1, userId: 'player24', score: 240 },
    { rank: 2, userId: 'player23', score: 230 },
  ]);
  assert.deepEqual(page1.rankings.at(-1), { rank: 10, userId: 'alice', score: 155 });
  assert.deepEqual(c.argvs().slice(-2), [['ZRANGE', 'leaderboard:weekly', '0', '9', 'REV', 'WITHSCORES'], ['ZCARD', 'leaderboard:weekly']]);
  const page2 = await c.getLeaderboard(2);
  assert.deepEqual(page2.rankings.map((r) => [r.rank, r.userId, r.score]), [
    [11, 'player15', 150], [12, 'player14', 140], [13, 'player13', 130], [14, 'player12', 120], [15, 'player11', 110],
    [16, 'player10', 100], [17, 'player09', 90], [18, 'player08', 80], [19, 'player07', 70], [20, 'player06', 60],
  ]);
  const page3 = await c.getLeaderboard(3);
  assert.deepEqual(page3.rankings.map((r) => r.rank), [21, 22, 23, 24, 25]);
  assert.deepEqual(page3.rankings.at(-1), { rank: 25, userId: 'player01', score: 10 });
  assert.deepEqual(await c.getLeaderboard(9), { rankings: [], total: 25, page: 9, pages: 3 });
  assert.deepEqual(await c.getUserRank('alice'), { rank: 10, score: 155 });
  assert.deepEqual(await c.getUserRank('player24'), { rank: 1, score: 240 });
  assert.deepEqual(await c.getUserRank('nobody'), { rank: null, score: null });
  assert.deepEqual(c.argvs().slice(-2), [['ZREVRANK', 'leaderboard:weekly', 'nobody'], ['ZSCORE', 'leaderboard:weekly', 'nobody']]);
  await c.close();
});
