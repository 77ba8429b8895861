// Lesson 7's code on the real packages: express 4, express-session and connect-redis 7 from npm
// (pinned in package.json), driven over loopback HTTP by real `fetch` requests, with the in-page
// node-redis client (www/redis.js) on the release engine as connect-redis's Redis client.
//
// The same code then runs on the page's simulation (www/websim/), and the two runs must agree:
// the same responses, the same cookie (name, attributes, signature), the same keys, the same
// session JSON (field order included, only the id and times differ), the same TTLs and the same
// Redis commands in the same order. Finally the engine's clock moves past the TTL: the real
// express-session finds no session in Redis and /api/me answers 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadPlayground } from './load.mjs';
import { readLesson, runLesson } from './support/lesson-run.mjs';
import { createHttpBrowser } from './support/http-browser.mjs';
import { createWebsim } from '../../www/websim/index.js';

const require = createRequire(import.meta.url);
const express = require('express');
const session = require('express-session');
const connectRedis = require('connect-redis');
const { Playground } = await loadPlayground();
const LESSON = readLesson('07-sessions.json');

/** A cookie's originalMaxAge to the second (see the note on the clocks below). */
const toSecond = (ms) => `${Math.round(Number(ms) / 1000)}000`;

/**
 * What does not depend on the run: ids, signatures and times replaced by placeholders. A real
 * cookie's originalMaxAge comes from its expiry and Node's clock when the session is stored, so
 * it may lose the milliseconds that passed since it was set: compared to the second.
 */
function normalise(value, sids) {
  if (typeof value === 'number') return value > 1.7e12 ? '<ms>' : value;
  if (Array.isArray(value)) return value.map((v) => normalise(v, sids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'originalMaxAge' ? toSecond(v) : normalise(v, sids)]));
  }
  if (typeof value !== 'string') return value;
  let out = value;
  sids.forEach((sid, i) => { out = out.replaceAll(sid, `<sid${i}>`); });
  return out
    .replace(/(<sid\d>)\.[A-Za-z0-9%_-]+/g, '$1.<sig>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z/g, '<iso>')
    .replace(/Expires=(?!Thu, 01 Jan 1970)[^;]+/g, 'Expires=<date>')
    .replace(/\b1[7-9]\d{11}\b/g, '<ms>')
    .replace(/(originalMaxAge\\*":)(\d+)/g, (_, key, ms) => `${key}${toSecond(ms)}`);
}

const sidsOf = (sent) => [...new Set(sent.flatMap((s) => s.argv).filter((a) => a.startsWith('sess:') && a !== 'sess:*').map((a) => a.slice(5)))];

// The engine's clock is frozen at the start (TTL then answers exactly what EX set); express-session
// and connect-redis read Node's own clock, which moves on by a few milliseconds meanwhile.
async function realRun() {
  const pg = new Playground();
  pg.freeze();
  const browsers = createHttpBrowser();
  const run = await runLesson(LESSON, {
    pg,
    web: { express, 'express-session': session, 'connect-redis': connectRedis, './browser': { createBrowser: browsers.createBrowser } },
  });
  return { pg, run, browsers };
}

async function simulatedRun() {
  const pg = new Playground();
  pg.freeze();
  const websim = createWebsim({
    now: () => Math.floor(pg.now()), env: LESSON.env, setTimeout, clearTimeout, logError: (e) => { throw e; },
    clock: { isFrozen: () => false, freeze() {}, resume() {}, set() {}, advance() {} }, ready() {},
  });
  const run = await runLesson(LESSON, { pg, web: websim.modules });
  return { pg, run };
}

test('connect-redis 7 and express-session over HTTP with the in-page client: login, me, logout', async () => {
  const { pg, run, browsers } = await realRun();
  try {
    const logs = run.logs;
    assert.deepEqual(logs[0], [401, { message: 'Not authenticated' }]);
    assert.deepEqual(logs[1], [401, { message: 'Invalid credentials' }]);
    assert.deepEqual(logs[2], [[]]);
    assert.deepEqual(logs[3], [200, { message: 'Logged in', user: { id: '1001', name: 'Ada Lovelace' } }]);
    const [cookie] = logs[4][0];
    const m = /^connect\.sid=s%3A([A-Za-z0-9_-]{32})\.([^;]+); Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/.exec(cookie);
    assert.ok(m, cookie);
    const sid = m[1];
    assert.equal(decodeURIComponent(m[2]), createHmac('sha256', LESSON.env.SESSION_SECRET).update(sid).digest('base64').replace(/=+$/, ''));
    assert.deepEqual(logs[6], [[`sess:${sid}`]]);
    const stored = logs[7][0];
    assert.deepEqual(Object.keys(stored), ['cookie', 'userId', 'role', 'loginTime']);
    assert.deepEqual(Object.keys(stored.cookie), ['originalMaxAge', 'expires', 'secure', 'httpOnly', 'path', 'sameSite']);
    assert.equal(stored.userId, '1001');
    assert.deepEqual(logs[8], [86400]);
    assert.deepEqual(logs[9][1], { userId: '1001', role: 'admin', loginTime: stored.loginTime });
    assert.deepEqual(logs[10], [200, { message: 'Logged out' }]);
    assert.deepEqual(logs[12], [[]]);
    assert.deepEqual(logs[13], [401, { message: 'Not authenticated' }]);
    const [key] = logs[15][0];
    assert.match(key, /^sess:[A-Za-z0-9_-]{32}$/);

    // The engine's clock a day and a second on: the key has expired; express-session finds no
    // session for the cookie the browser still sends (its own clock has not moved): 401.
    const admin = pg.openClient('admin');
    pg.advance(86401 * 1000);
    pg.tick();
    assert.equal(pg.exec(admin, ['EXISTS', key]), 0);
  } finally {
    await run.close();
    await browsers.close();
  }
});

test('the clock past the TTL logs the user out on the real packages', async () => {
  const pg = new Playground();
  const browsers = createHttpBrowser();
  const code = `${LESSON.code.join('\n')}\nreturn browser;`;
  const run = await runLesson(LESSON, {
    pg, code,
    web: { express, 'express-session': session, 'connect-redis': connectRedis, './browser': { createBrowser: browsers.createBrowser } },
  });
  try {
    const browser = run.value;
    let res = await browser.get('/api/me');
    assert.equal(res.status, 200);
    assert.equal(res.body.userId, '1001');
    pg.advance(86401 * 1000);
    pg.tick();
    res = await browser.get('/api/me');
    assert.deepEqual([res.status, res.body], [401, { message: 'Not authenticated' }]);
    assert.equal(browser.cookies().length, 1, 'the browser still had its cookie: Redis ended the session');
  } finally {
    await run.close();
    await browsers.close();
  }
});

test('the page\'s simulation agrees with the real packages: responses, cookie, keys, JSON and commands', async () => {
  const real = await realRun();
  const sim = await simulatedRun();
  try {
    const realSids = sidsOf(real.run.sent);
    const simSids = sidsOf(sim.run.sent);
    assert.equal(realSids.length, 2);
    assert.equal(simSids.length, 2);
    assert.deepEqual(normalise(sim.run.logs, simSids), normalise(real.run.logs, realSids));
    assert.deepEqual(normalise(sim.run.sent, simSids), normalise(real.run.sent, realSids));
  } finally {
    await real.run.close();
    await real.browsers.close();
    await sim.run.close();
  }
});
