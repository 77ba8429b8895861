// The optimised release module answers real commands as redis-cli would (replies taken from a
// real Redis 7.0.15 with `redis-cli --no-raw`; INCRBYFLOAT 1 by 0.1 gives "1.1" there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground } from './load.mjs';

const { Playground } = await loadPlayground();

test('SET, GET and INCRBYFLOAT print like redis-cli', () => {
  const pg = new Playground();
  const c = pg.openClient('node');
  assert.equal(pg.execLine(c, 'SET a 1'), 'OK');
  assert.equal(pg.execLine(c, 'GET a'), '"1"');
  const incr = pg.execLine(c, 'INCRBYFLOAT a 0.1');
  assert.match(incr, /^"-?\d+(\.\d+)?"$/, 'a quoted bulk string, as redis-cli prints it');
  assert.equal(incr, '"1.1"');
  assert.equal(pg.execLine(c, 'GET nope'), '(nil)');
  assert.equal(pg.execLine(c, 'GET'), "(error) ERR wrong number of arguments for 'get' command");
  assert.equal(pg.execLine(c, 'GET "unterminated'), 'Invalid argument(s)');
});

test('the same commands as JS values, through exec and call', () => {
  const pg = new Playground();
  const c = pg.openClient('node');
  assert.equal(pg.exec(c, ['SET', 'a', '1']), 'OK');
  assert.equal(pg.call(c, 'GET', 'a'), '1');
  assert.equal(pg.call(c, 'INCRBYFLOAT', 'a', '0.1'), '1.1');
  assert.equal(pg.call(c, 'INCR', 'n'), 1);
  assert.equal(pg.call(c, 'GET', 'nope'), null);
  assert.equal(pg.exec(c, ['SET', 'big', 9007199254740993n]), 'OK');
  assert.equal(pg.call(c, 'INCR', 'big'), 9007199254740994n);
  assert.deepEqual(pg.call(c, 'INCR', 'a'), { error: 'ERR value is not an integer or out of range' });
});
