// The page's state between visits, in headless Chromium: a reload comes back to the same lesson,
// step and keyspace (the console's own keys included); a damaged or foreign saved state is
// reported in one message, set aside, and the page starts fresh and keeps working; a full disk
// is reported, not fatal; Reset forgets the saved state. Then export: the downloaded script,
// fed to a real redis-server 7.0.15 through redis-cli, gives the same keyspace key by key
// (contents, and TTLs within a second); and import runs such a script on the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { openConsole } from './browser.mjs';
import { startRedis } from './support/redis-server.mjs';
import { playerPage } from './support/player.mjs';

let ui;
let page;
const { state, openLesson, typeConsole } = playerPage(() => page);

before(async () => {
  ui = await openConsole({ viewport: { width: 1280, height: 900 } });
  page = ui.page;
});
after(async () => { await ui?.close(); });

async function next() {
  const s = await state();
  await page.click('#btn-next');
  await page.waitForFunction((prev) => {
    const b = document.body.dataset;
    return ['paused', 'blocked', 'done'].includes(b.playerStatus) && Number(b.released) > prev;
  }, s.released);
}

/** The saved record as the page keeps it (IndexedDB), or null. */
const savedRecord = (key = 'current') => page.evaluate((k) => new Promise((resolve, reject) => {
  const open = indexedDB.open('redis-playground', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('state');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('state').objectStore('state').get(k);
    req.onsuccess = () => {
      const r = req.result ?? null;
      open.result.close();
      resolve(r && k === 'current' ? { ...r, engine: r.engine ? Array.from(r.engine) : null } : r);
    };
    req.onerror = () => reject(req.error);
  };
}), key);

/**
 * Damages the saved record in the page's IndexedDB: `flip` flips one bit of the engine image's
 * last byte, `version` gives the record a version no page writes. (The page's policy forbids
 * compiling code, so the change is named, not passed as code.)
 */
const damageRecord = (how) => page.evaluate((kind) => new Promise((resolve, reject) => {
  const open = indexedDB.open('redis-playground', 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const store = open.result.transaction('state', 'readwrite').objectStore('state');
    const req = store.get('current');
    req.onsuccess = () => {
      const record = req.result;
      if (kind === 'flip') record.engine[record.engine.length - 1] ^= 0x40;
      else record.version = 99;
      const put = store.put(record, 'current');
      put.onsuccess = () => { open.result.close(); resolve(); };
      put.onerror = () => reject(put.error);
    };
    req.onerror = () => reject(req.error);
  };
}), how);

/** Polls until `check(record)` holds for the saved record (null when there is none). */
async function waitForRecord(check, what) {
  for (let i = 0; i < 300; i++) {
    if (check(await savedRecord())) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the saved record never became ${what}`);
}

/** Waits until the saved record is at `step` with `actions` actions of the reader. */
const waitForSave = (step, actions = 0) => waitForRecord((r) => r?.step === step && r.actions.length === actions, `step ${step} with ${actions} actions`);

const inspectorCards = () => page.evaluate(() => [...document.querySelectorAll('#inspector-keys details.key')].map((d) => ({
  name: d.dataset.key,
  type: d.querySelector('.type-badge').textContent,
  ttl: d.querySelector('.ttl').textContent.startsWith('TTL') ? 'ttl' : 'none',
  cells: [...d.querySelectorAll('.key-body td.field, .key-body td.value, .key-body td.score, .key-body .list-items .value, .key-body .set-items .value, .key-body pre.value')]
    .map((x) => x.textContent),
})));

async function reload() {
  await page.reload();
  await page.waitForSelector('body[data-ready]');
}

test('a reload comes back to the same lesson, step and keyspace, the console\'s keys included', async () => {
  await openLesson('sorted-sets');
  for (let i = 0; i < 5; i++) await next();
  await typeConsole('SET "typed in the console" kept');
  await typeConsole('EXPIRE "typed in the console" 500');
  await waitForSave(5, 2);
  const before = await inspectorCards();
  assert.ok(before.some((k) => k.name === 'typed in the console' && k.ttl === 'ttl'));
  const stepBefore = await page.textContent('#step .row.cli pre.value');
  await reload();
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '5');
  assert.equal((await state()).lesson, 'sorted-sets');
  assert.equal(await page.textContent('#step .row.cli pre.value'), stepBefore);
  await page.waitForFunction((n) => document.querySelectorAll('#inspector-keys details.key').length === n, before.length, { timeout: 5000 })
    .catch(async () => assert.deepEqual(await inspectorCards(), before));
  assert.deepEqual(await inspectorCards(), before);
  assert.equal(await page.isHidden('#notice'), true, 'no message on a good restore');
  // And it goes on from there.
  await next();
  assert.equal((await state()).released, 6);
});

test('a damaged saved state is reported once, set aside, and the page starts fresh', async () => {
  await openLesson('hashes');
  for (let i = 0; i < 3; i++) await next();
  await waitForSave(3);
  // One byte of the engine image flipped: its checksum no longer matches.
  await damageRecord('flip');
  await reload();
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  const message = await page.textContent('#notice-text');
  assert.match(message, /^The saved state could not be used: .*checksum.*\. It was set aside and the lesson starts fresh\.$/);
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
  assert.deepEqual(await inspectorCards(), [], 'a fresh engine');
  const aside = await savedRecord('set-aside');
  assert.match(aside.reason, /checksum/);
  assert.equal(aside.record.step, 3);
  // The page keeps working.
  await next();
  assert.equal((await state()).released, 1);
  await page.click('#notice-close');
  assert.equal(await page.isHidden('#notice'), true);
});

test('a record from another version of the page is set aside with its reason', async () => {
  await openLesson('lists');
  for (let i = 0; i < 2; i++) await next();
  await waitForSave(2);
  await damageRecord('version');
  await reload();
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  assert.equal(await page.textContent('#notice-text'),
    'The saved state could not be used: it was written by another version of the page (record version 99). It was set aside and the lesson starts fresh.');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
  await page.click('#notice-close');
});

test('a full disk is reported and the page keeps working; Reset forgets the saved state', async () => {
  await openLesson('sets');
  await next();
  await waitForSave(1);
  await page.evaluate(() => {
    window.__put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function put() { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await next();
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  assert.equal(await page.textContent('#notice-text'),
    'The browser\'s storage is full, so this state will not survive a reload. The page keeps working.');
  await next();
  assert.equal((await state()).released, 3);
  await page.evaluate(() => { IDBObjectStore.prototype.put = window.__put; });
  await next();
  await waitForSave(4);
  assert.equal(await page.isHidden('#notice'), true, 'the message goes once saving works again');
  await page.click('#btn-reset');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
  assert.equal(new URL(page.url()).hash, '#sets');
  await waitForRecord((r) => r === null, 'empty');
  await reload();
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
});

// ---------------------------------------------------------------------------------------------
// Export to a real Redis, and import
// ---------------------------------------------------------------------------------------------

const cli = (port, args, input) => {
  const r = spawnSync('redis-cli', ['-p', String(port), '--no-raw', ...args], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.replace(/\n$/, '');
};

/** A key's full contents in redis-cli's text, member order left out for unordered types. */
function dumpCommands(type, key) {
  const k = JSON.stringify(key);
  switch (type) {
    case 'string': return [[`GET ${k}`, false]];
    case 'list': return [[`LRANGE ${k} 0 -1`, false]];
    case 'hash': return [[`HGETALL ${k}`, 'pairs']];
    case 'set': return [[`SMEMBERS ${k}`, 'lines']];
    case 'zset': return [[`ZRANGE ${k} 0 -1 WITHSCORES`, false]];
    default: return [];
  }
}

function normalize(text, mode) {
  const lines = text.split('\n').map((l) => l.replace(/^\s*\d+\) /, ''));
  if (mode === 'lines') return lines.sort();
  if (mode === 'pairs') {
    const pairs = [];
    for (let i = 0; i + 1 < lines.length; i += 2) pairs.push(`${lines[i]} ${lines[i + 1]}`);
    return pairs.sort();
  }
  return lines;
}

test('the exported script recreates the keyspace on a real redis-server 7.0.15, TTLs included', async () => {
  const redis = await startRedis();
  try {
    await openLesson('hashes');
    await page.click('#btn-run');
    await page.waitForFunction(() => document.body.dataset.playerStatus === 'done');
    // Every type, binary-ish and quoted text, and a TTL of its own.
    for (const line of [
      'RPUSH "list with spaces" a "b c" "\\x00\\xff"', 'SADD tags x y z', 'ZADD board 1.5 alice -inf bob 1e300 carol',
      'SET "quote\\"d" "line\\nbreak"', 'SET ttl-key v PX 90000', 'HSET h f1 v1 f2 "v 2"',
    ]) await typeConsole(line);
    const downloading = page.waitForEvent('download');
    await page.click('#btn-export');
    const file = await (await downloading).path();
    const script = readFileSync(file, 'utf8');
    assert.match(script, /ttl-key/);
    cli(redis.port, [], script);
    const keys = (await typeConsole('KEYS *'))[1];
    const names = normalize(keys, 'lines').map((l) => JSON.parse(l));
    assert.ok(names.length >= 8, `keys: ${names}`);
    assert.deepEqual(normalize(cli(redis.port, ['KEYS', '*']), 'lines').map((l) => JSON.parse(l)).sort(), [...names].sort());
    for (const name of names) {
      const type = (await typeConsole(`TYPE ${JSON.stringify(name)}`))[1];
      assert.equal(cli(redis.port, ['TYPE', name]), type, `TYPE ${name}`);
      for (const [command, mode] of dumpCommands(type, name)) {
        const ours = (await typeConsole(command))[1];
        const theirs = cli(redis.port, [], `${command}\n`);
        assert.deepEqual(normalize(theirs, mode), normalize(ours, mode), `${command}`);
      }
      const ttl = Number((await typeConsole(`TTL ${JSON.stringify(name)}`))[1].replace(/^\(integer\) /, ''));
      const real = Number(cli(redis.port, ['TTL', name]).replace(/^\(integer\) /, ''));
      if (ttl < 0) assert.equal(real, ttl, `TTL ${name}`);
      else assert.ok(Math.abs(real - ttl) <= 1, `TTL ${name}: ${ttl} here, ${real} on Redis`);
    }
  } finally {
    redis.proc.kill();
  }
});

test('import runs a script on the engine and says what it did', async () => {
  await openLesson('sets');
  await page.setInputFiles('#import-file', {
    name: 'keys.redis', mimeType: 'text/plain',
    buffer: Buffer.from('SET imported yes\nRPUSH imported-list a b\nNOSUCHCOMMAND x\nHSET imported-hash f "v w"\n'),
  });
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  assert.equal(await page.textContent('#notice-text'),
    "Imported keys.redis: 4 commands run, 1 refused (line 3: ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ).");
  await page.waitForFunction(() => document.querySelectorAll('#inspector-keys details.key').length === 3);
  assert.deepEqual((await inspectorCards()).map((k) => `${k.type} ${k.name}`).sort(),
    ['hash imported-hash', 'list imported-list', 'string imported']);
  // The import is part of the lesson's history: a step forward and back keeps it.
  await next();
  await page.click('#btn-prev');
  await page.waitForFunction(() => document.body.dataset.playerStatus === 'paused' && document.body.dataset.released === '0');
  await page.waitForFunction(() => document.querySelectorAll('#inspector-keys details.key').length === 3);
  await page.click('#notice-close');
});

test('no page error, console error, foreign request or dialog', () => {
  assert.deepEqual(ui.problems, []);
});
