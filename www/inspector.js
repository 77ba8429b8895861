// The keyspace inspector: every key of the chosen database with its type, drawn for its type
// (a hash as a field/value table, a list as indexed rows, a set as members, a sorted set in
// order with scores, a string as text), its TTL counting down on the virtual clock, and the keys
// the last step changed highlighted. Large values show their first elements and page through
// the rest on request. Names and values are always set with textContent.

import { formatDuration } from './clock.js';

const PAGE = 20;

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function pairs(items) {
  const out = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i], items[i + 1]]);
  return out;
}

export class Inspector {
  /**
   * @param {object} ui elements: keys, size, db
   * @param {object} hooks { page({db, key, type, offset, count}) -> Promise, onDb(db), onExpired(), clock }
   */
  constructor(ui, hooks) {
    this.ui = ui;
    this.hooks = hooks;
    this.closed = new Set();
    this.pages = new Map(); // key name -> { offset, data }
    this.ttls = [];
    this.expiredAsked = false;
    this.last = null;
    for (let db = 0; db < 16; db++) ui.db.append(new Option(String(db), String(db)));
    ui.db.addEventListener('change', () => hooks.onDb(Number(ui.db.value)));
  }

  /** Takes a keyspace report from the worker: `{ keyspace, changed, removed, clock }`. */
  update({ keyspace, changed, removed, clock }) {
    if (!keyspace || keyspace.error) return;
    // Nothing new (a report made while nothing changed): keep what is drawn.
    const signature = JSON.stringify([keyspace, changed ?? this.last?.changed ?? [], removed ?? this.last?.removed ?? []]);
    if (signature === this.signature && clock.now === this.last?.clock.now) return;
    this.signature = signature;
    // `changed` is null in a report made while the code runs: keep the last step's marks.
    this.last = {
      keyspace, clock, changed: changed ?? this.last?.changed ?? [], removed: removed ?? this.last?.removed ?? [],
    };
    // A page of a value that has just changed (or gone) is stale.
    for (const name of changed ?? []) this.pages.delete(name);
    for (const name of [...this.pages.keys()]) if (!keyspace.keys.some((k) => k.name === name)) this.pages.delete(name);
    this.render();
  }

  render() {
    const { keyspace, changed, removed, clock } = this.last;
    const { keys, size, db } = keyspace;
    this.ui.db.value = String(db);
    this.ui.size.textContent = `${size} key${size === 1 ? '' : 's'}${size > keys.length ? `, first ${keys.length} shown` : ''}`;
    const changedSet = new Set(changed);
    this.ttls = [];
    const nodes = [];
    if (keys.length === 0) nodes.push(el('p', 'muted empty', '(empty)'));
    for (const key of keys) nodes.push(this.card(key, changedSet.has(key.name), clock, db));
    for (const name of removed) {
      const row = el('div', 'key removed');
      row.append(el('span', 'key-name', name), el('span', 'muted small', ' deleted by the last step'));
      nodes.push(row);
    }
    this.ui.keys.replaceChildren(...nodes);
    this.expiredAsked = false;
    this.tick();
  }

  card(key, changed, clock, db) {
    const details = el('details', `key type-${key.type}${changed ? ' changed' : ''}`);
    details.dataset.key = key.name;
    details.open = !this.closed.has(key.name);
    details.addEventListener('toggle', () => {
      if (details.open) this.closed.delete(key.name);
      else this.closed.add(key.name);
    });
    const summary = el('summary');
    summary.append(el('span', 'key-name', key.name), el('span', `type-badge ${key.type}`, key.type));
    const len = key.preview?.len ?? 0;
    const unit = key.type === 'string' ? 'byte' : key.type === 'hash' ? 'field' : key.type === 'list' ? 'element' : 'member';
    summary.append(el('span', 'muted small key-len', `${len} ${unit}${len === 1 ? '' : 's'}`));
    const ttl = el('span', 'ttl small');
    if (key.ttl >= 0) {
      ttl.dataset.expires = String(clock.now + key.ttl);
      this.ttls.push(ttl);
    } else {
      ttl.textContent = 'no TTL';
      ttl.classList.add('muted');
    }
    summary.append(ttl);
    if (changed) summary.append(el('span', 'changed-badge small', 'changed'));
    details.append(summary, this.body(key, db));
    return details;
  }

  body(key, db) {
    const box = el('div', 'key-body');
    const preview = key.preview ?? {};
    const paged = this.pages.get(key.name);
    const offset = paged?.offset ?? 0;
    if (key.type === 'string') {
      const text = paged ? paged.data.text : preview.text ?? '';
      box.append(el('pre', 'value', text));
      if (preview.truncated || paged) box.append(this.pager(key, db, offset, preview.len, 1024, text.length));
      return box;
    }
    let items = paged ? paged.data.items : preview.items ?? [];
    if (!Array.isArray(items)) items = [];
    if (key.type === 'hash') {
      const table = el('table', 'kv');
      table.append(this.head(['field', 'value']));
      for (const [f, v] of pairs(items)) {
        const tr = el('tr');
        tr.append(el('td', 'field', f), el('td', 'value', v));
        table.append(tr);
      }
      box.append(table);
    } else if (key.type === 'zset') {
      const table = el('table', 'kv');
      table.append(this.head(['rank', 'member', 'score']));
      pairs(items).forEach(([member, score], i) => {
        const tr = el('tr');
        tr.append(el('td', 'index', String(offset + i)), el('td', 'value', member), el('td', 'score', score));
        table.append(tr);
      });
      box.append(table);
    } else if (key.type === 'list') {
      const list = el('ol', 'list-items');
      items.forEach((item, i) => {
        const li = el('li');
        li.append(el('span', 'index', String(offset + i)), el('span', 'value', item));
        list.append(li);
      });
      box.append(list);
    } else if (key.type === 'set') {
      const list = el('ul', 'set-items');
      for (const item of items) list.append(el('li', 'value', item));
      box.append(list);
    }
    const per = key.type === 'hash' || key.type === 'zset' ? 2 : 1;
    const shown = items.length / per;
    if (preview.truncated || paged) box.append(this.pager(key, db, offset, preview.len, PAGE, shown));
    return box;
  }

  head(names) {
    const tr = el('tr');
    for (const n of names) tr.append(el('th', null, n));
    return tr;
  }

  pager(key, db, offset, total, size, shown) {
    const bar = el('div', 'pager small');
    const unit = key.type === 'string' ? 'bytes' : 'items';
    bar.append(el('span', 'muted', `${unit} ${total === 0 ? 0 : offset + 1}–${offset + shown} of ${total}`));
    const paged = this.pages.get(key.name);
    const back = paged?.back ?? [];
    const go = (to, trail) => {
      if (to === 0 && trail.length === 0) {
        // Back at the start: the preview that came with the keyspace.
        this.pages.delete(key.name);
        this.render();
        return;
      }
      this.hooks.page({ db, key: key.name, kind: key.type, offset: to, count: size })
        .then((data) => {
          this.pages.set(key.name, { offset: to, data, back: trail });
          this.render();
        })
        .catch(() => {});
    };
    if (paged) {
      const prev = el('button', 'link', '‹ previous');
      prev.type = 'button';
      prev.addEventListener('click', () => {
        const trail = back.slice(0, -1);
        go(back[back.length - 1] ?? 0, trail);
      });
      bar.append(prev);
    }
    if (offset + shown < total) {
      const next = el('button', 'link', 'next ›');
      next.type = 'button';
      next.addEventListener('click', () => go(offset + shown, [...back, offset]));
      bar.append(next);
    }
    return bar;
  }

  /** Redraws the TTLs from the clock; asks for a fresh keyspace once one runs out. */
  tick() {
    const now = this.hooks.clock.now();
    let expired = false;
    for (const node of this.ttls) {
      const left = Number(node.dataset.expires) - now;
      if (left <= 0) expired = true;
      node.textContent = `TTL ${formatDuration(left)}`;
    }
    if (expired && !this.expiredAsked) {
      this.expiredAsked = true;
      this.hooks.onExpired();
    }
  }
}
