// Lessons 7 (sessions) and 8 (rate limiting): the course's code, as the lessons hold it, run in
// Node against the in-page node-redis client (www/redis.js) on the release engine, with the
// page's simulated web stack (www/websim/: express, express-session, connect-redis 7, the
// request simulator) on the engine's virtual clock.
//
// First, that the lessons hold the course's code verbatim (every line of the chapter's sections 7
// and 8, kept below as printed, appears in the lesson, in order). Then what the code does: the responses, the session key
// and its JSON, the TTL, the signed cookie, the commands sent; logging out by the clock; the
// fixed window's counts, headers and 429; the boundary burst that the fixed window lets through
// and the sliding window does not; the engine's RATELIMIT.* commands against the course's
// JavaScript (same keys, same answers); CL.THROTTLE's burst and rate; and each stated output's
// mark as the player computes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { loadPlayground } from './load.mjs';
import { readLesson, runLesson, webWorld } from './support/lesson-run.mjs';
import { compareStated, formatReply } from '../../www/format.js';
import { setCommandGate, setCommandObserver } from '../../www/redis.js';

const { Playground } = await loadPlayground();
// Sections 7 and 8 of the chapter, exactly as printed (only escaped for a template literal), and
// the heading that follows them.
const SEED = `7. Redis as Session Store (connect-redis)
Storing Express sessions in Redis provides persistence across restarts and sharing across multiple servers.
Setup
npm install express-session connect-redis redis
Configuration
const express = require('express');
const session = require('express-session');
const { createClient } = require('redis');
const RedisStore = require('connect-redis').default;
async function setupApp() {
const app = express();
// Create Redis client for sessions
const redisClient = createClient({
url: process.env.REDIS_URL || 'redis://localhost:6379',
});
await redisClient.connect();
// Configure session middleware with Redis store
app.use(session({
store: new RedisStore({
client: redisClient,
prefix: 'sess:', // Key prefix in Redis
ttl: 86400, // Session TTL in seconds (24 hours)
disableTouch: false, // Reset TTL on each request
}),
secret: process.env.SESSION_SECRET,
resave: false, // Don't save if not modified
saveUninitialized: false, // Don't create session until something is stored
cookie: {
secure: process.env.NODE_ENV === 'production', // HTTPS only in production
httpOnly: true, // Prevent XSS access to cookie
maxAge: 86400000, // Cookie max age in ms (24 hours)
sameSite: 'lax',
},
}));
// Use sessions in routes
app.post('/api/login', async (req, res) => {
const { email, password } = req.body;
const user = await authenticateUser(email, password);
if (!user) {
return res.status(401).json({ message: 'Invalid credentials' });
}
// Store user data in session
req.session.userId = user.id;
req.session.role = user.role;
req.session.loginTime = Date.now();
res.json({ message: 'Logged in', user: { id: user.id, name: user.name } });
});
app.get('/api/me', (req, res) => {
if (!req.session.userId) {
return res.status(401).json({ message: 'Not authenticated' });
}
res.json({
userId: req.session.userId,
role: req.session.role,
loginTime: req.session.loginTime,
});
});
app.post('/api/logout', (req, res) => {
req.session.destroy((err) => {
if (err) {
return res.status(500).json({ message: 'Logout failed' });
}
res.clearCookie('connect.sid');
res.json({ message: 'Logged out' });
});
});
return app;
}
How Sessions Look in Redis
# In redis-cli:
KEYS sess:*
# "sess:abc123def456..."
GET sess:abc123def456
# {"cookie":{"originalMaxAge":86400000,"expires":"...","httpOnly":true,"secure":false,"sameSite":"lax"},"userId":"64abc123","role":"admin","loginTime":1700000000}
8. Rate Limiting with Redis
Redis is perfect for rate limiting because of its atomic INCR operation and TTL support.
Fixed Window Rate Limiter
async function rateLimiter(identifier, limit = 100, windowSeconds = 60) {
const client = await getRedisClient();
const key = \`ratelimit:\${identifier}:\${Math.floor(Date.now() / 1000 / windowSeconds)}\`;
const current = await client.incr(key);
// Set TTL on first request in this window
if (current === 1) {
await client.expire(key, windowSeconds);
}
return {
allowed: current <= limit,
current,
limit,
remaining: Math.max(0, limit - current),
resetIn: await client.ttl(key),
};
}
Express Rate Limiting Middleware
function createRateLimiter(limit = 100, windowSeconds = 60) {
return async (req, res, next) => {
try {
const identifier = req.ip || req.headers['x-forwarded-for'] || 'unknown';
const result = await rateLimiter(identifier, limit, windowSeconds);
// Set rate limit headers
res.set({
'X-RateLimit-Limit': result.limit,
'X-RateLimit-Remaining': result.remaining,
'X-RateLimit-Reset': result.resetIn,
});
if (!result.allowed) {
return res.status(429).json({
success: false,
message: 'Too many requests, please try again later',
retryAfter: result.resetIn,
});
}
next();
} catch (error) {
// If Redis is down, allow the request (fail open)
console.error('Rate limiter error:', error.message);
next();
}
};
}
// Apply to routes
app.use('/api/', createRateLimiter(100, 60)); // 100 req/min for all API routes
app.use('/api/auth/login', createRateLimiter(5, 300)); // 5 attempts per 5 min for login
app.use('/api/upload', createRateLimiter(10, 3600)); // 10 uploads per hour
Sliding Window Rate Limiter (More Accurate)
async function slidingWindowRateLimiter(identifier, limit = 100, windowSeconds = 60) {
const client = await getRedisClient();
const key = \`ratelimit:sliding:\${identifier}\`;
const now = Date.now();
const windowStart = now - (windowSeconds * 1000);
// Use a Sorted Set with timestamps as scores
const results = await client.multi()
// Remove entries outside the window
.zRemRangeByScore(key, '-inf', windowStart)
// Add current request
.zAdd(key, { score: now, value: \`\${now}:\${Math.random()}\` })
// Count requests in window
.zCard(key)
// Set TTL to auto-clean
.expire(key, windowSeconds)
.exec();
const requestCount = results[2];
return {
allowed: requestCount <= limit,
current: requestCount,
limit,
remaining: Math.max(0, limit - requestCount),
};
}
9. Combining Features: Production-Ready Example`.split('\n');
const LESSON7 = readLesson('07-sessions.json');
const LESSON8 = readLesson('08-rate-limiting.json');
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole minute: window edges are predictable

/** Reports the app's commands to the web stack's panel capture, as the lesson process does. */
function capturePanel(websim) {
  setCommandGate(async ({ argv }) => { if (websim.capturing()) websim.sent(argv); });
  setCommandObserver(({ argv, reply }) => { if (websim.capturing()) websim.replied(argv, formatReply(reply, argv)); });
  return () => { setCommandGate(null); setCommandObserver(null); };
}

/** A fresh engine on a frozen clock, and a web stack and Date on that clock. */
const world = (env = {}) => webWorld(Playground, { at: T0, env });

function seedSection(start, end) {
  const from = SEED.findIndex((l) => l.startsWith(start));
  const to = SEED.findIndex((l, i) => i > from && l.startsWith(end));
  assert.ok(from >= 0 && to > from, `section ${start}`);
  return SEED.slice(from + 1, to);
}

/** Every code line of the seed's section appears in the lesson's code, in the same order. */
function assertVerbatim(lesson, lines) {
  const code = lesson.code.map((l) => l.trim());
  let at = 0;
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const found = code.indexOf(line, at);
    assert.ok(found >= 0, `the lesson lacks the course's line: ${line}`);
    at = found + 1;
  }
}

const logOf = (logs, pred) => logs.find(pred);

// ---- 7. Sessions ------------------------------------------------------------------------------

test('lesson 7 holds the course code of section 7 verbatim', () => {
  const section = seedSection('7. Redis as Session Store', 'How Sessions Look in Redis');
  const code = section.slice(section.indexOf('const express = require(\'express\');'));
  assertVerbatim(LESSON7, code);
});

test('lesson 7: login, me and logout store, read and delete sess:<id> with connect-redis 7\'s commands', async () => {
  const w = world(LESSON7.env);
  const run = await runLesson(LESSON7, { pg: w.pg, web: w.websim.modules, Date: w.Date });
  try {
    const logs = run.logs;
    assert.deepEqual(logs[0], [401, { message: 'Not authenticated' }]);
    assert.deepEqual(logs[1], [401, { message: 'Invalid credentials' }]);
    assert.deepEqual(logs[2], [[]], 'saveUninitialized: false stores nothing for a failed login');
    assert.deepEqual(logs[3], [200, { message: 'Logged in', user: { id: '1001', name: 'Ada Lovelace' } }]);
    const [setCookie] = logs[4][0];
    const m = /^connect\.sid=s%3A([A-Za-z0-9_-]{32})\.([^;]+); Path=\/; Expires=([^;]+); HttpOnly; SameSite=Lax$/.exec(setCookie);
    assert.ok(m, setCookie);
    const [, sid, sig, expires] = m;
    const mac = createHmac('sha256', LESSON7.env.SESSION_SECRET).update(sid).digest('base64').replace(/=+$/, '');
    assert.equal(decodeURIComponent(sig), mac, 'the cookie is signed as cookie-signature signs it');
    assert.equal(Date.parse(expires), T0 + 86400000);
    assert.deepEqual(logs[5][0], [{
      name: 'connect.sid', value: `s%3A${sid}.${sig}`, expires: new Date(T0 + 86400000).toISOString(), path: '/', httpOnly: true, sameSite: 'Lax',
    }]);
    assert.deepEqual(logs[6], [[`sess:${sid}`]]);
    const stored = logs[7][0];
    assert.equal(JSON.stringify(stored), JSON.stringify({
      cookie: { originalMaxAge: 86400000, expires: new Date(T0 + 86400000).toISOString(), secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
      userId: '1001', role: 'admin', loginTime: T0,
    }), 'field order as express-session writes it');
    assert.deepEqual(logs[8], [86400]);
    assert.deepEqual(logs[9], [200, { userId: '1001', role: 'admin', loginTime: T0 }]);
    assert.deepEqual(logs[10], [200, { message: 'Logged out' }]);
    assert.deepEqual(logs[11], [['connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']]);
    assert.deepEqual(logs[12], [[]]);
    assert.deepEqual(logs[13], [401, { message: 'Not authenticated' }]);
    assert.deepEqual(logs[14][0], 200);
    const [second] = logs[15][0];
    assert.match(second, /^sess:[A-Za-z0-9_-]{32}$/);
    assert.notEqual(second, `sess:${sid}`, 'a new login gets a new session id');

    // The commands, as connect-redis 7 sends them through node-redis v4.
    const sessionCommands = run.sent.map((s) => s.argv).filter((a) => a[0] !== 'KEYS' && !(a[0] === 'GET' && run.sent.length && false));
    const shape = sessionCommands.map((a) => [a[0], ...a.slice(1).map((x) => (x.startsWith('sess:') ? 'sess:*' : x.startsWith('{') ? 'json' : x))]);
    assert.deepEqual(shape, [
      ['SET', 'sess:*', 'json', 'EX', '86400'], // login
      ['GET', 'sess:*'], ['TTL', 'sess:*'], // the lesson's own look at the key
      ['GET', 'sess:*'], ['EXPIRE', 'sess:*', '86400'], // GET /api/me: load, then touch
      ['GET', 'sess:*'], ['DEL', 'sess:*'], // logout: load, destroy
      ['SET', 'sess:*', 'json', 'EX', '86400'], // login again
    ]);
    assert.deepEqual(w.errors, []);

    // The clock: a day and a second later the key has expired and /api/me is refused.
    assert.equal(w.cli('TTL', second), 86400);
    w.pg.advance(86401 * 1000);
    w.pg.tick();
    assert.equal(w.cli('EXISTS', second), 0);
  } finally {
    await run.close();
  }
});

test('lesson 7: the request panel shares the code\'s cookie jar, and the clock logs the user out', async () => {
  const w = world(LESSON7.env);
  const run = await runLesson(LESSON7, { pg: w.pg, web: w.websim.modules, Date: w.Date });
  try {
    const key = run.logs.at(-1)[0][0];
    const release = capturePanel(w.websim);
    let r = await w.websim.handle({ op: 'request', method: 'GET', path: '/api/me' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { userId: '1001', role: 'admin', loginTime: T0 });
    assert.deepEqual(r.commands.map((c) => c.argv), [['GET', key], ['EXPIRE', key, '86400']]);
    assert.equal(JSON.parse(JSON.parse(r.commands[0].reply)).userId, '1001', 'GET\'s reply as redis-cli prints it');
    assert.equal(r.commands[1].reply, '(integer) 1');
    assert.equal(r.cookies.length, 1);
    // An hour later the touch has renewed the key's TTL, not the cookie's expiry.
    w.pg.advance(3600 * 1000);
    r = await w.websim.handle({ op: 'request', method: 'GET', path: '/api/me' });
    assert.equal(r.status, 200);
    assert.equal(w.cli('TTL', key), 86400);
    assert.equal(r.headers['set-cookie'], undefined, 'no rolling: the cookie is not sent again');
    // Past the cookie's expiry (a day after login) the browser drops it: logged out.
    w.pg.advance(86400 * 1000 - 3600 * 1000 + 1000);
    w.pg.tick();
    r = await w.websim.handle({ op: 'request', method: 'GET', path: '/api/me' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.cookies, []);
    // Logging in through the panel, then 24 h + 1 s: the key expires in Redis.
    r = await w.websim.handle({ op: 'request', method: 'POST', path: '/api/login', body: '{"email":"alan@example.com","password":"enigma"}' });
    assert.equal(r.status, 200);
    const keys = w.cli('KEYS', 'sess:*');
    assert.equal(keys.length, 2);
    w.pg.advance(86401 * 1000);
    w.pg.tick();
    assert.deepEqual(w.cli('KEYS', 'sess:*'), []);
    r = await w.websim.handle({ op: 'request', method: 'GET', path: '/api/me' });
    assert.equal(r.status, 401);
    // A route that does not exist: Express's 404 page, as text.
    r = await w.websim.handle({ op: 'request', method: 'GET', path: '/nope' });
    assert.equal(r.status, 404);
    assert.match(r.body, /<pre>Cannot GET \/nope<\/pre>/);
    release();
  } finally {
    await run.close();
  }
});

test('lesson 7 without express.json(): the login handler throws and the request gets no response', async () => {
  const w = world(LESSON7.env);
  const code = LESSON7.code.filter((l) => !l.includes('app.use(express.json())')).join('\n');
  await assert.rejects(runLesson(LESSON7, { pg: w.pg, web: w.websim.modules, Date: w.Date, code }), (e) => {
    assert.equal(e.code, 'ECONNRESET');
    assert.match(e.message, /Cannot destructure property 'email' of 'req\.body'/);
    return true;
  });
});

test('lesson 7: the stated outputs are marked as the player marks them', async () => {
  const w = world(LESSON7.env);
  const run = await runLesson(LESSON7, { pg: w.pg, web: w.websim.modules, Date: w.Date });
  try {
    const [keys, stored] = LESSON7.stated;
    assert.equal(compareStated(keys.expect, run.logs[6][0], keys.compare).equal, true);
    const mark = compareStated(stored.expect, run.logs[7][0], stored.compare);
    assert.equal(mark.equal, false, 'express-session stores path too: the note says so');
    const { path, ...cookie } = run.logs[7][0].cookie;
    assert.equal(path, '/');
    assert.equal(compareStated(stored.expect, { ...run.logs[7][0], cookie }).equal, true, 'only path differs');
  } finally {
    await run.close();
  }
});

// ---- 8. Rate limiting --------------------------------------------------------------------------

test('lesson 8 holds the course code of section 8 verbatim', () => {
  // Each of the section's three listings, in its own order (the lesson runs the routes last).
  assertVerbatim(LESSON8, seedSection('Fixed Window Rate Limiter', 'Express Rate Limiting Middleware'));
  assertVerbatim(LESSON8, seedSection('Express Rate Limiting Middleware', '// Apply to routes'));
  assertVerbatim(LESSON8, seedSection('Express Rate Limiting Middleware', 'Sliding Window Rate Limiter').slice(-4));
  assertVerbatim(LESSON8, seedSection('Sliding Window Rate Limiter', '9. Combining Features'));
});

const EXPORTS = '\nreturn { rateLimiter, slidingWindowRateLimiter, createRateLimiter, app, browser };';

test('lesson 8: fixed window counts, headers and 429; sliding window; the engine\'s commands', async () => {
  const w = world();
  const run = await runLesson(LESSON8, { pg: w.pg, web: w.websim.modules, Date: w.Date });
  try {
    const logs = run.logs;
    assert.deepEqual(logs[0], [{ allowed: true, current: 1, limit: 3, remaining: 2, resetIn: 60 }]);
    assert.deepEqual(logs[1], [{ allowed: false, current: 4, limit: 3, remaining: 0, resetIn: 60 }]);
    assert.deepEqual(logs[2], [{ allowed: true, current: 1, limit: 3, remaining: 2 }]);
    assert.deepEqual(logs[3], [200, { success: true }, '5', '4'], 'login passes /api/ (100/min) and the login limiter (5 per 5 min)');
    assert.deepEqual(logs[4], [429]);
    assert.deepEqual(logs[5], [{ success: false, message: 'Too many requests, please try again later', retryAfter: 10 }]);
    assert.deepEqual(logs[6], ['5', '0', '10']);
    assert.deepEqual(logs[7], [[1, 1, 3, 2, 60]]);
    assert.deepEqual(logs[8], [[1, 1, 3, 2]]);
    assert.deepEqual(logs[9], [[0, 3, 2, -1, 10]]);
    const minute = Math.floor(T0 / 60000);
    assert.equal(w.cli('GET', `ratelimit:user:42:${minute}`), '4');
    assert.equal(w.cli('GET', `ratelimit:127.0.0.1:${minute}`), '1');
    assert.equal(w.cli('GET', `ratelimit:127.0.0.1:${Math.floor(T0 / 300000)}`), '1');
    assert.equal(w.cli('GET', `ratelimit:127.0.0.1:${Math.floor(T0 / 10000)}`), '6', 'rejected requests count too');
    assert.equal(w.cli('ZCARD', 'ratelimit:sliding:user:42'), 1);
    // The sliding window's MULTI: exec() resolves with the replies, EXPIRE's as a boolean.
    const exec = run.sent.find((s) => s.argv[0] === 'EXEC');
    assert.deepEqual(exec.reply, [0, 1, 1, 1]);
    for (const entry of LESSON8.stated) {
      const real = { 'console.log(first);': logs[0][0], "console.log(await slidingWindowRateLimiter('user:42', 3, 60));": logs[2][0], 'console.log(res.body);': logs[5][0] }[entry.at];
      assert.equal(compareStated(entry.expect, real, entry.compare).equal, true, entry.at);
    }
  } finally {
    await run.close();
  }
});

test('lesson 8: node-redis gives the sliding window\'s results as [removed, added, count, true]', async () => {
  const w = world();
  const code = `${LESSON8.code.join('\n').split('// ── Running it ──')[0]}
const client = await getRedisClient();
const now = Date.now();
return client.multi().zRemRangeByScore('k', '-inf', now - 1000).zAdd('k', { score: now, value: 'a' }).zCard('k').expire('k', 60).exec();`;
  const run = await runLesson(LESSON8, { pg: w.pg, web: w.websim.modules, Date: w.Date, code });
  try {
    assert.deepEqual(run.value, [0, 1, 1, true]);
  } finally {
    await run.close();
  }
});

async function boundary(w, fns, path, n = 5, window = 10) {
  const boundaryAt = Math.floor(w.pg.now() / (window * 1000)) * window * 1000 + window * 1000;
  const statuses = [];
  w.pg.setTime(boundaryAt - 500);
  for (let i = 0; i < n; i++) statuses.push((await fns.browser.get(path)).status);
  w.pg.setTime(boundaryAt + 500);
  for (let i = 0; i < n; i++) statuses.push((await fns.browser.get(path)).status);
  return statuses;
}

test('lesson 8: a burst on each side of a window edge: the fixed window allows 2x the limit, the sliding window does not', async () => {
  const w = world();
  const code = LESSON8.code.join('\n') + EXPORTS;
  const run = await runLesson(LESSON8, { pg: w.pg, web: w.websim.modules, Date: w.Date, code });
  try {
    w.pg.advance(60000);
    const fixed = await boundary(w, run.value, '/demo/fixed');
    assert.deepEqual(fixed, Array(10).fill(200), 'ten requests within one second, all allowed');
    w.pg.advance(60000);
    const sliding = await boundary(w, run.value, '/demo/sliding');
    assert.deepEqual(sliding, [...Array(5).fill(200), ...Array(5).fill(429)]);
    w.pg.advance(60000);
    assert.deepEqual(await boundary(w, run.value, '/demo/engine-fixed'), fixed);
    w.pg.advance(60000);
    assert.deepEqual(await boundary(w, run.value, '/demo/engine-sliding'), sliding);
    // The panel's simulation does the same.
    w.pg.advance(60000);
    const sim = await w.websim.handle({ op: 'simulate', path: '/demo/fixed', pattern: 'boundary', count: 5, window: 10, ip: '192.0.2.1' });
    assert.deepEqual(sim.results.map((r) => r.status), fixed);
    assert.deepEqual(sim.results.map((r) => r.remaining), ['4', '3', '2', '1', '0', '4', '3', '2', '1', '0']);
    assert.deepEqual(sim.results.map((r) => r.t), [...Array(5).fill(0), ...Array(5).fill(1000)], 'timed from the first request');
  } finally {
    await run.close();
  }
});

test('lesson 8: RATELIMIT.FIXED and RATELIMIT.SLIDING leave the keys and answers of the course\'s functions', async () => {
  const a = world();
  const b = world();
  const code = LESSON8.code.join('\n').split('// ── Running it ──')[0] + EXPORTS.replace(', app, browser', '');
  const run = await runLesson(LESSON8, { pg: a.pg, web: a.websim.modules, Date: a.Date, code });
  try {
    const { rateLimiter, slidingWindowRateLimiter } = run.value;
    for (const step of [0, 1500, 2000, 7000, 9000, 1000, 400, 30000, 200]) {
      a.pg.advance(step);
      b.pg.advance(step);
      const js = await rateLimiter('u', 3, 10);
      const [allowed, current, limit, remaining, resetIn] = b.cli('RATELIMIT.FIXED', 'u', '3', '10');
      assert.deepEqual({ allowed: allowed === 1, current, limit, remaining, resetIn }, js);
      const s = await slidingWindowRateLimiter('u', 3, 10);
      const [sAllowed, sCurrent, sLimit, sRemaining] = b.cli('RATELIMIT.SLIDING', 'u', '3', '10');
      assert.deepEqual({ allowed: sAllowed === 1, current: sCurrent, limit: sLimit, remaining: sRemaining }, s);
    }
    const keysA = a.cli('KEYS', 'ratelimit:*').sort();
    assert.deepEqual(b.cli('KEYS', 'ratelimit:*').sort(), keysA);
    for (const k of keysA) {
      assert.equal(b.cli('TTL', k), a.cli('TTL', k), k);
      assert.equal(b.cli('TYPE', k), a.cli('TYPE', k), k);
    }
    assert.deepEqual(b.cli('ZRANGE', 'ratelimit:sliding:u', '0', '-1', 'WITHSCORES').filter((_, i) => i % 2),
      a.cli('ZRANGE', 'ratelimit:sliding:u', '0', '-1', 'WITHSCORES').filter((_, i) => i % 2), 'the same request times');
  } finally {
    await run.close();
  }
});

test('lesson 8: the GCRA route allows a burst of 5, then one request per 2 seconds', async () => {
  const w = world();
  const code = LESSON8.code.join('\n') + EXPORTS;
  const run = await runLesson(LESSON8, { pg: w.pg, web: w.websim.modules, Date: w.Date, code });
  try {
    const burst = await w.websim.handle({ op: 'simulate', path: '/demo/gcra', pattern: 'burst', count: 7, ip: '192.0.2.9' });
    assert.deepEqual(burst.results.map((r) => r.status), [200, 200, 200, 200, 200, 429, 429]);
    assert.deepEqual(burst.results.map((r) => r.remaining), ['4', '3', '2', '1', '0', '0', '0']);
    assert.deepEqual(burst.results.slice(5).map((r) => r.reset), ['2', '2'], 'retry after 2 s');
    const steady = await w.websim.handle({ op: 'simulate', path: '/demo/gcra', pattern: 'steady', count: 6, intervalMs: 1000, ip: '192.0.2.9' });
    // One request per 2 s (the emission interval): the next is allowed once the theoretical
    // arrival time is no more than the burst tolerance ahead, at t0 + 2 s, then every 2 s.
    assert.deepEqual(steady.results.map((r) => r.status), [429, 429, 200, 429, 200, 429]);
    assert.deepEqual(steady.results.map((r) => r.t), [0, 1000, 2000, 3000, 4000, 5000]);
    assert.equal(w.pg.isFrozen(), true);
  } finally {
    await run.close();
  }
});
