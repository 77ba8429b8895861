// The served page's console works in headless Chromium: it loads the engine, echoes the prompt,
// prints the engine's answer as text, keeps a history, and never runs markup from a reply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole } from './browser.mjs';

let ui;
before(async () => { ui = await openConsole(); });
after(async () => { await ui?.close(); });

test('the console answers a command', async () => {
  assert.equal(await ui.page.textContent('#prompt'), '127.0.0.1:6379>');
  const out = await ui.type('nosuch a b');
  assert.equal(out[0], '127.0.0.1:6379> nosuch a b');
  assert.match(out[1], /ERR unknown command 'nosuch', with args beginning with: 'a' 'b' /);
  assert.deepEqual(await ui.type(''), ['127.0.0.1:6379> ']);
});

test('markup in a reply is shown as text', async () => {
  const out = await ui.type('FOO <img src=x onerror=alert(1)>');
  assert.match(out[1], /'<img' 'src=x' 'onerror=alert\(1\)>'/);
  assert.equal(await ui.page.locator('#output img').count(), 0);
});

test('up and down arrows walk the history', async () => {
  await ui.type('first');
  await ui.type('second');
  await ui.page.fill('#input', 'draft');
  await ui.page.press('#input', 'ArrowUp');
  assert.equal(await ui.page.inputValue('#input'), 'second');
  await ui.page.press('#input', 'ArrowUp');
  assert.equal(await ui.page.inputValue('#input'), 'first');
  await ui.page.press('#input', 'ArrowDown');
  assert.equal(await ui.page.inputValue('#input'), 'second');
  await ui.page.press('#input', 'ArrowDown');
  assert.equal(await ui.page.inputValue('#input'), 'draft');
});

test('clear empties the screen', async () => {
  await ui.page.fill('#input', 'clear');
  await ui.page.press('#input', 'Enter');
  assert.equal(await ui.page.locator('#output .entry').count(), 0);
});

test('no page error, console error, foreign request or dialog', () => {
  assert.deepEqual(ui.problems, []);
});
