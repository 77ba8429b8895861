// One pane per Redis client of a lesson: the commands that client sent with their replies, the
// messages pushed to it (pub/sub) as they arrive, and its state — not connected, connected to a
// database, subscribed, blocked on a command (with the time left on the engine's clock) or closed.
//
// The panes are data-driven: a lesson declares its clients (`clients: [{ label, about, at,
// server }]`, see lessons/README.md) and the lesson process (worker.js) tells which engine
// client made each step, which client each message was pushed to, and which declared client a
// connected one is. A client the lesson does not declare (code the reader edited) gets a pane
// under its own label. A lesson that declares no client with `at` shows no panes.
//
// Everything shown is set with textContent.

import { formatDuration } from './clock.js';

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

export class Panes {
  /** @param {{ root: HTMLElement, list: HTMLElement }} ui  @param {{ clock }} tools */
  constructor(ui, { clock }) {
    this.ui = ui;
    this.clock = clock;
    this.declared = [];
    this.reset();
    this.setLesson(null);
  }

  /** The lesson's declared clients: a pane each, shown from the start. */
  setLesson(lesson) {
    this.declared = (lesson?.clients ?? []).filter((c) => c.at);
    this.ui.root.hidden = this.declared.length === 0;
    this.reset();
  }

  /** A new run: no message, no client yet. */
  reset() {
    this.deliveries = [];
    this.clients = [];
    this.ui.list.replaceChildren();
    this.nodes = new Map();
  }

  get active() { return this.declared.length > 0; }

  /** A message pushed to a client (from the lesson process). */
  delivery(event) {
    this.deliveries.push({ ...event, seq: this.deliveries.length });
  }

  /** The panes, in order: the declared clients, then any other client the code connected. */
  paneList() {
    const panes = this.declared.map((c) => ({ label: c.label, about: c.about ?? '', server: c.server ?? null }));
    for (const c of this.clients) {
      const name = c.pane ?? c.label;
      if (!panes.some((p) => p.label === name)) panes.push({ label: name, about: 'not declared by the lesson', server: c.server ?? null });
    }
    return panes;
  }

  /**
   * Draws every pane from the player's view of the run: `steps` by index, the last step let
   * through (`released`), the next one (`upcoming`), blocked steps and the connected clients.
   */
  render({ steps, released, upcoming, blocked, clients }) {
    if (!this.active) return;
    this.clients = clients ?? [];
    const seen = new Set();
    for (const pane of this.paneList()) {
      seen.add(pane.label);
      let node = this.nodes.get(pane.label);
      if (!node) {
        node = this.paneNode(pane);
        this.nodes.set(pane.label, node);
        this.ui.list.append(node.root);
      }
      this.fill(node, pane, { steps, released, upcoming, blocked });
    }
    for (const [label, node] of this.nodes) {
      if (!seen.has(label)) {
        node.root.remove();
        this.nodes.delete(label);
      }
    }
    this.tick();
  }

  paneNode(pane) {
    const root = el('section', 'pane');
    root.dataset.pane = pane.label;
    const head = el('header', 'pane-head');
    const title = el('h4', 'pane-title', pane.label);
    const state = el('span', 'pane-state badge');
    head.append(title, state);
    root.append(head);
    if (pane.about) root.append(el('p', 'pane-about muted small', pane.about));
    const log = el('ol', 'pane-log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', `${pane.label}: commands, replies and messages`);
    root.append(log);
    return { root, state, log, key: '' };
  }

  fill(node, pane, { steps, released, upcoming, blocked }) {
    const mine = this.clients.filter((c) => (c.pane ?? c.label) === pane.label);
    const ids = new Set(mine.map((c) => c.id));
    const entries = [];
    for (const s of steps) {
      if (!s || s.kind !== 'redis' || !ids.has(s.clientId)) continue;
      if (s.index <= released) entries.push({ kind: 'command', order: [s.index, 0, 0], step: s });
      else if (upcoming && s.index === upcoming.index) entries.push({ kind: 'next', order: [s.index, 0, 0], step: s });
    }
    for (const d of this.deliveries) {
      if (ids.has(d.clientId)) entries.push({ kind: 'message', order: [d.after, 1, d.seq], delivery: d });
    }
    entries.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);

    const live = mine.filter((c) => !c.closed);
    const waiting = blocked.find((b) => ids.has(b.clientId));
    let state;
    let text;
    if (waiting) {
      state = 'blocked';
      text = 'blocked';
    } else if (mine.length === 0) {
      state = 'idle';
      text = 'not connected';
    } else if (live.length === 0) {
      state = 'closed';
      text = 'closed';
    } else if (live.some((c) => c.subscriptions?.length)) {
      state = 'subscribed';
      text = `subscribed: ${[...new Set(live.flatMap((c) => c.subscriptions ?? []))].join(', ')}`;
    } else {
      state = 'connected';
      const dbs = [...new Set(live.map((c) => c.db))];
      text = `connected · db ${dbs.join(', ')}`;
    }
    node.root.dataset.state = state;
    node.root.dataset.clients = [...ids].join(' ');
    node.root.dataset.db = live.length ? String(live[0].db) : '';
    node.state.textContent = text;
    node.state.dataset.state = state === 'blocked' ? 'blocked' : state === 'subscribed' ? 'running' : '';

    const key = JSON.stringify([entries.map((e) => (e.step ? [e.kind, e.step.index, e.step.reply ?? null, e.step.value ?? null] : ['m', e.delivery.seq])), waiting?.index ?? null]);
    if (key === node.key) return;
    node.key = key;
    const items = entries.map((e) => this.entryNode(e, waiting));
    if (!items.length) items.push(el('li', 'pane-empty muted small', mine.length ? 'nothing sent yet' : 'not connected yet'));
    node.log.replaceChildren(...items);
    node.log.scrollTop = node.log.scrollHeight;
  }

  entryNode(entry, waiting) {
    if (entry.kind === 'message') {
      const d = entry.delivery;
      const li = el('li', 'pane-entry pane-message');
      li.dataset.kind = 'message';
      li.dataset.after = String(d.after);
      const parts = d.parts;
      const head = el('div', 'pane-msg-head');
      head.append(el('span', 'pane-arrow', '⇠ '));
      if (parts && parts[0] === 'message' && parts.length === 3) {
        head.append(el('span', 'pane-msg-kind', 'message on '), el('code', 'pane-msg-channel', parts[1]));
        li.append(head, el('pre', 'pane-msg-text', parts[2]));
      } else if (parts && parts[0] === 'pmessage' && parts.length === 4) {
        head.append(el('span', 'pane-msg-kind', 'message on '), el('code', 'pane-msg-channel', parts[2]),
          el('span', 'pane-msg-kind', ' (pattern '), el('code', 'pane-msg-pattern', parts[1]), el('span', 'pane-msg-kind', ')'));
        li.append(head, el('pre', 'pane-msg-text', parts[3]));
      } else {
        head.append(el('span', 'pane-msg-kind', 'pushed'));
        li.append(head, el('pre', 'pane-msg-text', d.text));
      }
      return li;
    }
    const s = entry.step;
    const li = el('li', `pane-entry pane-command${entry.kind === 'next' ? ' next' : ''}`);
    li.dataset.kind = entry.kind;
    li.dataset.index = String(s.index);
    const head = el('div', 'pane-cmd');
    head.append(el('span', 'pane-index', entry.kind === 'next' ? 'next' : String(s.index)), el('code', 'pane-cli', s.cli ?? ''));
    li.append(head);
    if (entry.kind === 'next') return li;
    if (s.reply == null && waiting?.index === s.index) {
      const wait = el('div', 'pane-waiting');
      const left = el('span', 'left');
      left.dataset.deadline = String(waiting.deadline ?? 0);
      wait.append(el('span', 'spinner'), ' waiting ', left);
      li.append(wait);
    } else {
      li.append(el('pre', `pane-reply${s.error ? ' error' : ''}`, s.reply ?? '…'));
    }
    return li;
  }

  /** Redraws what counts down: a blocked client's time left on the engine's clock. */
  tick() {
    if (!this.active) return;
    for (const node of this.ui.list.querySelectorAll('.pane-waiting .left')) {
      const deadline = Number(node.dataset.deadline);
      node.textContent = deadline > 0
        ? `— ${formatDuration(deadline - this.clock.now())} left on the engine's clock`
        : '— with no timeout';
    }
  }
}
