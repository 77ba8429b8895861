// The lesson list the page starts from (www/lessons/index.json) against the lesson files: the
// tabs are drawn from the list alone, before any lesson file has arrived, so the list's id,
// number and title of each lesson must be the file's own, and every lesson file must be listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const dir = new URL('../../www/lessons/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));

test('index.json lists every lesson file once, in order, with its own id, number and title', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
  assert.deepEqual(index.lessons.map((e) => e.file), files);
  index.lessons.forEach((entry, i) => {
    const lesson = JSON.parse(readFileSync(new URL(entry.file, dir), 'utf8'));
    assert.deepEqual(
      { id: entry.id, number: entry.number, title: entry.title },
      { id: lesson.id, number: lesson.number, title: lesson.title },
      entry.file,
    );
    assert.equal(lesson.number, i + 1, `${entry.file} is lesson ${i + 1}`);
  });
  assert.equal(new Set(index.lessons.map((e) => e.id)).size, index.lessons.length, 'ids are unique');
});
