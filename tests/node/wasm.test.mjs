// The optimised release module (wasm-opt from npm binaryen) loads in Node 20 and its API works.
// Only engine-answered replies here (unknown command, empty argv, clock, command table); the
// same module answering real commands is tests/node/wasm_commands.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';

const { Playground } = await loadPlayground();

test('the module loads and answers in JS values', () => {
  const pg = new Playground();
  const c = pg.openClient('node');
  assert.equal(pg.openClient('node'), c);
  assert.deepEqual(pg.exec(c, ['FOO', 'a', 'b']), {
    error: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ",
  });
  assert.deepEqual(pg.call(c, 'foo', 'x'), {
    error: "ERR unknown command 'foo', with args beginning with: 'x' ",
  });
  assert.deepEqual(pg.exec(c, []), { error: 'ERR empty command' });
  assert.deepEqual(pg.exec(c, 'GET a'), { error: 'ERR argv must be an array of strings' });
  assert.deepEqual(pg.exec(c, ['GET', {}]), {
    error: 'ERR argument 1 is not a string, a number or a Uint8Array',
  });
  assert.deepEqual(pg.exec(12345, ['PING']), { error: 'ERR no such client' });
  assert.equal(pg.execLine(c, ''), '');
  assert.match(pg.execLine(c, 'nosuch x'), /ERR unknown command 'nosuch', with args beginning with: 'x' /);
});

test('the clock freezes, advances and resumes', () => {
  const pg = new Playground();
  assert.ok(Math.abs(pg.now() - Date.now()) < 1000);
  pg.freeze();
  assert.equal(pg.isFrozen(), true);
  assert.equal(pg.setTime(1_000_000), true);
  assert.equal(pg.advance(1500), true);
  assert.equal(pg.now(), 1_001_500);
  assert.equal(pg.advance(NaN), false);
  assert.equal(pg.now(), 1_001_500);
  pg.resume();
  assert.equal(pg.isFrozen(), false);
  assert.ok(pg.now() >= 1_001_500 && pg.now() < 1_011_500);
});

test('commands and keyspace are plain data', () => {
  const pg = new Playground();
  const list = pg.commands();
  assert.ok(Array.isArray(list));
  for (const c of list) {
    assert.equal(typeof c.name, 'string');
    assert.equal(typeof c.arity, 'number');
    assert.ok(Array.isArray(c.flags) && Array.isArray(c.subcommands));
  }
  assert.deepEqual(pg.keyspace(0), { db: 0, size: 0, keys: [] });
  assert.deepEqual(pg.keyspace(16), { error: 'ERR DB index is out of range' });
});
