// Several clients in a real headless Chromium, through the page's own modules (the release wasm
// and www/playground.js): a subscriber's listener receives a publisher's message; a BLPOP promise
// resolves when another client pushes, and to null when the virtual clock passes its timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole } from './browser.mjs';

let ui;
before(async () => { ui = await openConsole(); });
after(async () => { await ui?.close(); });

test('pub/sub and blocking pops between clients, in the browser', async () => {
  const result = await ui.page.evaluate(async () => {
    const wasm = await import('./pkg/redis_playground.js');
    await wasm.default();
    const { Session } = await import('./playground.js');
    const pg = new wasm.Playground();
    const s = new Session(pg);
    const sub = pg.openClient('subscriber');
    const pub = pg.openClient('publisher');
    const worker = pg.openClient('worker');
    const heard = [];
    s.onPush(sub, (m) => heard.push(m));
    await s.exec(sub, ['SUBSCRIBE', 'news']);
    const receivers = await s.exec(pub, ['PUBLISH', 'news', 'hello']);

    const served = s.exec(worker, ['BLPOP', 'jobs', '0']);
    await s.exec(pub, ['RPUSH', 'jobs', 'job1']);
    const job = await served;

    pg.freeze();
    const timedOut = s.exec(worker, ['BLPOP', 'jobs', '2']);
    let early = 'pending';
    timedOut.then(() => { early = 'settled'; });
    s.advance(1999);
    await Promise.resolve();
    const beforeTimeout = early;
    s.advance(1);
    const nil = await timedOut;
    s.close();
    return { receivers, heard, job, beforeTimeout, nil };
  });
  assert.equal(result.receivers, 1);
  assert.deepEqual(result.heard, [['message', 'news', 'hello']]);
  assert.deepEqual(result.job, ['jobs', 'job1']);
  assert.equal(result.beforeTimeout, 'pending');
  assert.equal(result.nil, null);
  assert.deepEqual(ui.problems, []);
});
