//! The page's panels for the simulated web app of a lesson (the lesson's `"panels"` field):
//!
//! - `requests`: a request simulator. Preset requests from the lesson (log in, me, log out) or
//!   any method, path and JSON body; each answer is shown with its status, headers, body, the
//!   Redis commands it cost, and the browser's cookie jar afterwards.
//! - `ratelimit`: sends requests to a lesson's rate-limited routes over virtual time (one, a burst
//!   of N, or N at a steady rate, the engine's clock moved between them) and charts allowed and
//!   rejected requests (uPlot); the boundary comparison sends a burst just before a window edge
//!   and one just after it to two routes, charted side by side.
//!
//! Requests run in the lesson process (worker.js → websim/index.js) once the program has finished;
//! everything shown comes from there and is rendered as text.

import uPlot from '../vendor/uPlot.esm.js';

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
};

function button(label, onClick, className) {
  const b = el('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function input(value, attrs = {}) {
  const i = el('input');
  i.value = value ?? '';
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  return i;
}

function labelled(text, control) {
  const l = el('label', 'websim-field');
  l.append(el('span', 'label', text), control);
  return l;
}

function ensureStylesheet() {
  if (document.querySelector('link[data-uplot]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = './vendor/uPlot.min.css';
  link.dataset.uplot = 'true';
  document.head.append(link);
}

const READY = ['done', 'error'];

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

function requestsPanel(spec, api) {
  const root = el('section', 'panel websim requests-panel');
  root.dataset.panel = 'requests';
  root.append(el('h3', null, spec.title ?? 'Requests'));
  const hint = el('p', 'muted small websim-hint');
  root.append(hint);
  const presets = el('div', 'toolbar websim-presets');
  const method = el('select');
  for (const m of ['GET', 'POST', 'PUT', 'DELETE']) method.append(new Option(m, m));
  const path = input('/', { 'aria-label': 'path', spellcheck: 'false', class: 'websim-path' });
  const body = el('textarea', 'websim-body');
  body.rows = 2;
  body.spellcheck = false;
  body.setAttribute('aria-label', 'JSON body');
  body.placeholder = 'JSON body (optional)';
  const send = button('Send', () => go(), 'primary websim-send');
  const form = el('div', 'websim-form');
  form.append(method, path, send);
  for (const r of spec.requests ?? []) {
    const b = button(r.label, () => {
      method.value = r.method ?? 'GET';
      path.value = r.path;
      body.value = r.body ?? '';
      go();
    }, 'websim-preset');
    b.dataset.preset = r.label;
    presets.append(b);
  }
  const result = el('div', 'websim-result');
  const jar = el('div', 'websim-jar');
  root.append(presets, form, body, result, el('h4', null, 'Cookie jar'), jar);

  const controls = [send, method, path, body, ...presets.querySelectorAll('button')];
  let busy = false;
  let count = 0;

  function drawJar(cookies) {
    if (!cookies?.length) {
      jar.replaceChildren(el('p', 'muted small', 'empty'));
      jar.dataset.count = '0';
      return;
    }
    const table = el('table', 'websim-table');
    const head = el('tr');
    for (const h of ['name', 'value', 'expires', 'attributes']) head.append(el('th', null, h));
    table.append(head);
    for (const c of cookies) {
      const tr = el('tr');
      tr.append(el('td', 'cookie-name', c.name), el('td', 'cookie-value', c.value), el('td', 'cookie-expires', c.expires),
        el('td', null, [`Path=${c.path}`, c.httpOnly ? 'HttpOnly' : '', c.sameSite ? `SameSite=${c.sameSite}` : ''].filter(Boolean).join('; ')));
      table.append(tr);
    }
    jar.replaceChildren(table);
    jar.dataset.count = String(cookies.length);
  }

  function drawResult(r, sent) {
    const nodes = [];
    const line = el('p', 'websim-status');
    line.append(el('code', null, `${sent.method} ${sent.path}`), ' → ');
    if (r.error) {
      line.append(el('strong', 'websim-error', r.error));
      result.dataset.status = 'none';
    } else {
      line.append(el('strong', `status s${String(r.status)[0]}xx`, `${r.status} ${r.statusText}`));
      result.dataset.status = String(r.status);
    }
    nodes.push(line);
    if (r.headers) {
      const table = el('table', 'websim-table websim-headers');
      for (const [k, v] of Object.entries(r.headers)) {
        for (const value of [].concat(v)) {
          const tr = el('tr');
          tr.append(el('th', null, k), el('td', null, value));
          table.append(tr);
        }
      }
      const details = el('details', 'websim-headers-box');
      details.append(el('summary', null, `headers (${table.children.length})`), table);
      nodes.push(details);
    }
    if (r.body !== undefined) nodes.push(el('pre', 'websim-response-body', r.body));
    const cmds = el('ol', 'websim-commands');
    for (const c of r.commands ?? []) {
      const li = el('li');
      li.append(el('code', 'cli', c.argv.join(' ')), el('span', 'muted', ` → ${(c.reply ?? '…').split('\n')[0]}`));
      cmds.append(li);
    }
    nodes.push(el('p', 'muted small', `Redis commands sent: ${r.commands?.length ?? 0}`), cmds);
    result.replaceChildren(...nodes);
    count += 1;
    result.dataset.count = String(count);
  }

  async function go() {
    if (busy || !READY.includes(api.status())) return;
    busy = true;
    update();
    const sent = { method: method.value, path: path.value.trim() || '/', body: body.value };
    try {
      const r = await api.request({ op: 'request', ...sent });
      drawResult(r, sent);
      drawJar(r.cookies);
    } catch (e) {
      drawResult({ error: String(e.message ?? e), commands: [] }, sent);
    } finally {
      busy = false;
      update();
    }
  }

  function update() {
    const ready = READY.includes(api.status());
    for (const c of controls) c.disabled = !ready || busy;
    hint.textContent = ready
      ? 'Requests go to the code\'s app with the code\'s cookie jar. Move the clock (above) to see the session expire.'
      : 'Available when the program has finished (Run to end).';
    root.dataset.ready = String(ready && !busy);
  }

  return {
    root,
    state: update,
    restart() {
      result.replaceChildren();
      delete result.dataset.status;
      count = 0;
      result.dataset.count = '0';
      drawJar([]);
      update();
    },
    async refreshJar() {
      if (READY.includes(api.status())) {
        try {
          drawJar((await api.request({ op: 'cookies' })).cookies);
        } catch {
          drawJar([]);
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------

/**
 * Cumulative allowed and rejected counts over time (seconds from the first request): one point
 * per instant, after all the requests of that instant (a burst is one vertical step).
 */
function series(results) {
  const xs = [];
  const allowed = [];
  const rejected = [];
  let a = 0;
  let r = 0;
  for (const x of results) {
    if (x.status !== null && x.status < 400) a += 1;
    else r += 1;
    const t = x.t / 1000;
    if (xs.length && xs[xs.length - 1] === t) {
      allowed[allowed.length - 1] = a;
      rejected[rejected.length - 1] = r;
    } else {
      xs.push(t);
      allowed.push(a);
      rejected.push(r);
    }
  }
  return [xs, allowed, rejected];
}

/** A chart of `results` in `box`; `yMax` fixes the vertical scale (charts compared side by side). */
function chart(box, results, title, yMax = 0) {
  const width = Math.max(240, Math.floor(box.clientWidth || 320));
  const data = series(results);
  // uPlot needs x ascending and distinct enough to draw; requests at one instant stack.
  const opts = {
    title,
    width,
    height: 180,
    scales: {
      x: { time: false, range: (u, min, max) => [Math.min(0, min), Math.max(max, min + 1)] },
      y: { range: (u, min, max) => [0, Math.max(1, max, yMax)] },
    },
    legend: { show: true, live: false },
    axes: [{ label: 'virtual time (s)' }, { label: 'requests' }],
    series: [
      { label: 't (s)' },
      { label: 'allowed', stroke: '#2a9d8f', width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: true, size: 5 } },
      { label: 'rejected', stroke: '#e76f51', width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: true, size: 5 } },
    ],
  };
  box.replaceChildren();
  const plot = new uPlot(opts, data, box);
  box.dataset.allowed = String(data[1].at(-1) ?? 0);
  box.dataset.rejected = String(data[2].at(-1) ?? 0);
  box.dataset.points = String(data[0].length);
  return plot;
}

function resultsTable(results) {
  const table = el('table', 'websim-table websim-results');
  const head = el('tr');
  for (const h of ['#', 't (s)', 'status', 'remaining', 'reset']) head.append(el('th', null, h));
  table.append(head);
  results.forEach((r, i) => {
    const tr = el('tr', r.status !== null && r.status < 400 ? 'allowed' : 'rejected');
    tr.append(el('td', null, i + 1), el('td', null, (r.t / 1000).toFixed(1)), el('td', 'status', r.status ?? r.error),
      el('td', null, r.remaining ?? ''), el('td', null, r.reset ?? ''));
    table.append(tr);
  });
  return table;
}

function ratelimitPanel(spec, api) {
  ensureStylesheet();
  const root = el('section', 'panel websim ratelimit-panel');
  root.dataset.panel = 'ratelimit';
  root.append(el('h3', null, spec.title ?? 'Rate limits'));
  const hint = el('p', 'muted small websim-hint');
  const target = el('select', 'websim-target');
  target.setAttribute('aria-label', 'route');
  for (const t of spec.targets ?? []) target.append(new Option(`${t.label} — ${t.path}`, t.path));
  const pattern = el('select', 'websim-pattern');
  pattern.setAttribute('aria-label', 'pattern');
  for (const [v, l] of [['one', 'one request'], ['burst', 'a burst of N'], ['steady', 'N at a steady rate']]) pattern.append(new Option(l, v));
  const count = input('8', { type: 'number', min: '1', max: '1000', class: 'websim-count', 'aria-label': 'N' });
  const interval = input('1000', { type: 'number', min: '1', max: '3600000', class: 'websim-interval', 'aria-label': 'interval in ms' });
  const run = button('Send', () => simulate(), 'primary websim-run');
  const controlsRow = el('div', 'toolbar websim-form');
  controlsRow.append(labelled('route', target), labelled('pattern', pattern), labelled('N', count), labelled('every (ms)', interval), run);
  const single = el('div', 'websim-chart');
  single.dataset.chart = 'single';
  const table = el('div', 'websim-results-box');

  const cmp = spec.compare;
  const compareBox = el('div', 'websim-compare');
  const compareRun = cmp ? button(`Boundary burst: ${cmp.count} before and ${cmp.count} after a ${cmp.window}-second window edge`, () => compare(), 'websim-compare-run') : null;
  const left = el('div', 'websim-chart');
  left.dataset.chart = 'left';
  const right = el('div', 'websim-chart');
  right.dataset.chart = 'right';
  const sideBySide = el('div', 'websim-side');
  sideBySide.append(left, right);
  const summary = el('p', 'websim-summary');
  if (cmp) compareBox.append(el('h4', null, 'Fixed vs sliding window at a window edge'), compareRun, sideBySide, summary);
  root.append(hint, controlsRow, single, table, compareBox);

  const controls = [run, target, pattern, count, interval, compareRun].filter(Boolean);
  let busy = false;
  let ips = 0;
  const plots = [];
  const labelOf = (path) => spec.targets?.find((t) => t.path === path)?.label ?? path;

  async function simulate() {
    if (busy || !READY.includes(api.status())) return;
    busy = true;
    update();
    try {
      const r = await api.request({
        op: 'simulate', path: target.value, pattern: pattern.value, count: Number(count.value) || 1, intervalMs: Number(interval.value) || 1000,
      });
      plots.push(chart(single, r.results, `${labelOf(r.path)}: ${pattern.selectedOptions[0].textContent}`));
      table.replaceChildren(resultsTable(r.results));
      single.dataset.count = String(r.results.length);
    } catch (e) {
      table.replaceChildren(el('p', 'error', String(e.message ?? e)));
    } finally {
      busy = false;
      update();
    }
  }

  async function compare() {
    if (busy || !READY.includes(api.status())) return;
    busy = true;
    update();
    try {
      ips += 1;
      const ip = `192.0.2.${ips}`; // a fresh client (documentation addresses), so earlier requests do not count
      const a = await api.request({ op: 'simulate', path: cmp.left, pattern: 'boundary', count: cmp.count, window: cmp.window, ip });
      const b = await api.request({ op: 'simulate', path: cmp.right, pattern: 'boundary', count: cmp.count, window: cmp.window, ip });
      const scale = cmp.count * 2;
      plots.push(chart(left, a.results, labelOf(cmp.left), scale), chart(right, b.results, labelOf(cmp.right), scale));
      const ok = (rs) => rs.filter((x) => x.status !== null && x.status < 400).length;
      summary.textContent = `${cmp.count * 2} requests within one second, across the edge: ${labelOf(cmp.left)} allowed ${ok(a.results)}, ${labelOf(cmp.right)} allowed ${ok(b.results)} (limit ${cmp.count} per ${cmp.window} s).`;
      summary.dataset.left = String(ok(a.results));
      summary.dataset.right = String(ok(b.results));
    } catch (e) {
      summary.textContent = String(e.message ?? e);
    } finally {
      busy = false;
      update();
    }
  }

  function update() {
    const ready = READY.includes(api.status());
    for (const c of controls) c.disabled = !ready || busy;
    interval.disabled = interval.disabled || pattern.value !== 'steady';
    hint.textContent = ready
      ? 'Requests go to the code\'s app from 127.0.0.1; the engine\'s clock is frozen and moved for them (watch the keys in the inspector).'
      : 'Available when the program has finished (Run to end).';
    root.dataset.ready = String(ready && !busy);
  }
  pattern.addEventListener('change', update);

  return {
    root,
    state: update,
    restart() {
      for (const p of plots.splice(0)) p.destroy();
      for (const box of [single, left, right]) {
        box.replaceChildren();
        delete box.dataset.allowed;
        delete box.dataset.rejected;
      }
      table.replaceChildren();
      summary.textContent = '';
      update();
    },
    destroy() {
      for (const p of plots.splice(0)) p.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------

const KINDS = { requests: requestsPanel, ratelimit: ratelimitPanel };

/**
 * Mounts the panels `specs` (strings or `{ kind, ... }`) into `container`. `api.request(message)`
 * reaches the lesson process; `api.status()` is the player's status. Returns `{ state, restart,
 * destroy }` for the player to call.
 */
export function mountPanels(container, specs, api) {
  const panels = specs.map((s) => (typeof s === 'string' ? { kind: s } : s))
    .filter((s) => KINDS[s.kind]).map((s) => KINDS[s.kind](s, api));
  container.replaceChildren(...panels.map((p) => p.root));
  container.hidden = panels.length === 0;
  for (const p of panels) p.restart();
  return {
    state() { for (const p of panels) p.state(); },
    restart() { for (const p of panels) p.restart(); },
    destroy() {
      for (const p of panels) p.destroy?.();
      container.replaceChildren();
      container.hidden = true;
    },
  };
}
