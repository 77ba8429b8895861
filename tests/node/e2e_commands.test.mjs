// The served page's console with real commands: SET/GET print as redis-cli prints them, a value
// that looks like markup is shown as text, and SELECT changes the prompt as in redis-cli.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole } from './browser.mjs';

let ui;
before(async () => { ui = await openConsole(); });
after(async () => { await ui?.close(); });

test('SET and GET', async () => {
  assert.deepEqual(await ui.type('SET a 1'), ['127.0.0.1:6379> SET a 1', 'OK']);
  assert.deepEqual(await ui.type('GET a'), ['127.0.0.1:6379> GET a', '"1"']);
});

test('a value that looks like markup stays text', async () => {
  assert.deepEqual((await ui.type('SET x "<img src=x onerror=alert(1)>"'))[1], 'OK');
  assert.deepEqual((await ui.type('GET x'))[1], '"<img src=x onerror=alert(1)>"');
  assert.equal(await ui.page.locator('#output img').count(), 0);
});

test('SELECT shows the database in the prompt', async () => {
  assert.deepEqual((await ui.type('SELECT 2'))[1], 'OK');
  assert.equal(await ui.page.textContent('#prompt'), '127.0.0.1:6379[2]>');
  assert.deepEqual((await ui.type('GET a'))[1], '(nil)');
});

test('no page error, console error, foreign request or dialog', () => {
  assert.deepEqual(ui.problems, []);
});
