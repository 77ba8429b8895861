// The lesson player: runs a lesson's code in the lesson process (worker.js) one step at a time
// and shows each step: the code line, the command in redis-cli syntax, the reply as redis-cli
// prints it, the JS value node-redis returned, the program's output, and beside an output the
// course states, whether the real one is the same.
//
// It knows nothing about any particular lesson: a lesson is data (www/lessons/*.json) with
// prose, code, the course's stated outputs and notes, each anchored to a line by its text.
//
// Going back replays: a new process runs the code again and lets the first n-1 steps through
// without stopping. What the reader did meanwhile (console commands, clock moves) is recorded
// with the step it followed and done again at the same point, so a replay arrives at the same
// state.
//
// A lesson with several clients also gets a pane per client (./panes.js), fed from the same
// events: which client made each step, and what was pushed to which client.

import { formatDuration } from './clock.js';
import { Panes } from './panes.js';

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function row(label, content, className) {
  const div = el('div', `row ${className ?? ''}`);
  div.append(el('span', 'label', label));
  div.append(typeof content === 'string' ? el('pre', 'value', content) : content);
  return div;
}

/** The block showing a course's stated output beside the real one. */
export function statedBlock(stated) {
  const mark = stated.equal ? 'equal' : stated.sameMembers ? 'order' : 'different';
  const box = el('div', `stated ${mark}`);
  box.dataset.mark = mark;
  if (stated.realJson !== null && stated.realJson !== undefined) box.dataset.real = stated.realJson;
  const verdict = { equal: '✓ same as the course', order: '≈ same members, another order', different: '✗ differs from the course' }[mark];
  box.append(el('div', 'verdict', verdict));
  const grid = el('div', 'stated-grid');
  grid.append(el('span', 'label', 'course says'), el('code', 'stated-text', stated.text));
  grid.append(el('span', 'label', 'real'), el('code', 'stated-real', stated.real));
  box.append(grid);
  if (stated.note) box.append(el('p', 'note', stated.note));
  return box;
}

/** How long a run may go before its "running" state is drawn (a settled one is drawn at once). */
const RUNNING_DRAW_DELAY_MS = 60;

export class Player {
  constructor({ host, editor, ui, clock, inspector, console: con, panes, onState }) {
    const paneRoot = document.getElementById('panes');
    this.panes = panes ?? (paneRoot ? new Panes({ root: paneRoot, list: document.getElementById('panes-list') }, { clock }) : null);
    this.clients = [];
    this.host = host;
    this.editor = editor;
    this.ui = ui;
    this.clock = clock;
    this.inspector = inspector;
    this.console = con;
    this.onState = onState;
    this.lesson = null;
    this.totals = new Map(); // code text -> number of steps of a finished run
    this.latency = Number(ui.latency.value) || 0;
    this.actions = [];
    this.blocked = [];
    this.frame = 0;
    this.resetTrace();

    ui.next.addEventListener('click', () => this.next());
    ui.prev.addEventListener('click', () => this.prev());
    ui.reset.addEventListener('click', () => this.reset());
    ui.run.addEventListener('click', () => this.runToEnd());
    ui.rerun.addEventListener('click', () => this.runEdited());
    ui.revert.addEventListener('click', () => this.revert());
    ui.latency.addEventListener('change', () => {
      const ms = Math.max(0, Math.min(5000, Number(ui.latency.value) || 0));
      ui.latency.value = String(ms);
      this.latency = ms;
      host.send({ type: 'refresh', latency: ms });
    });
    document.addEventListener('keydown', (event) => this.key(event));
  }

  resetTrace() {
    this.generation = (this.generation ?? 0) + 1;
    this.steps = [];
    this.logs = [];
    this.status = 'starting';
    this.released = 0;
    this.live = 0;
    this.end = null;
    this.clients = [];
    this.panes?.reset();
    // Published at once, not on the next frame: whoever watches the page sees the old run end
    // before any of the new one's state appears.
    document.body.dataset.run = String(this.generation);
    document.body.dataset.playerStatus = this.status;
    document.body.dataset.released = '0';
  }

  // -------------------------------------------------------------------------------------------
  // Lessons and runs
  // -------------------------------------------------------------------------------------------

  /** Opens a lesson and runs its code to step `step` (0: paused before the first). */
  load(lesson, { step = 0, saved = null } = {}) {
    this.lesson = lesson;
    this.courseCode = lesson.code.join('\n');
    this.code = saved?.code ?? this.courseCode;
    this.editor.value = this.code;
    this.panes?.setLesson(lesson);
    this.renderLesson();
    this.mountPanels(lesson);
    if (saved) {
      // A saved page: the same code, clock and actions replayed to the same step, then the
      // engine image loaded over what the replay made.
      this.resume = saved;
      this.start({ target: Math.max(0, saved.step), fresh: false });
    } else {
      this.start({ target: Math.max(0, step), fresh: true });
    }
  }

  /** What a saved page needs to come back to this point (see persist.js). */
  position() {
    return {
      lesson: this.lesson?.id ?? null,
      step: this.released,
      code: this.code === this.courseCode ? null : this.code,
      actions: this.actions.map((a) => ({ ...a })),
      startClock: this.startClock,
    };
  }

  /** Extra panels the lesson asks for (its `panels` field), from ./websim/panels.js. */
  mountPanels(lesson) {
    this.panels?.destroy();
    this.panels = null;
    if (!lesson.panels?.length) return;
    import('./websim/panels.js').then(({ mountPanels }) => {
      if (this.lesson !== lesson) return;
      this.panels = mountPanels(document.getElementById('panels'), lesson.panels, {
        request: (message) => this.host.request({ type: 'websim', ...message }),
        status: () => this.status,
      });
    }, (error) => {
      const box = document.getElementById('panels');
      box.hidden = false;
      box.textContent = `The lesson's panels failed to load: ${error}`;
    });
  }

  /** Starts the code again in a new process; `target` steps run before it stops. */
  start({ target, fresh }) {
    const resume = this.resume;
    this.resume = null;
    if (resume) {
      this.actions = resume.actions.map((a) => ({ ...a }));
      this.startClock = resume.startClock;
    } else if (fresh) {
      this.actions = [];
      this.startClock = { now: this.clock.now(), frozen: this.clock.state.frozen };
    }
    this.resetTrace();
    this.panels?.restart();
    this.target = target;
    this.ui.edit.textContent = this.code === this.courseCode ? '' : 'running your edited code';
    this.host.start({
      lesson: {
        code: this.code, stated: this.lesson.stated ?? [], db: this.lesson.db ?? {}, env: this.lesson.env,
        clients: this.lesson.clients ?? [], servers: this.lesson.servers ?? [],
      },
      mode: target > 0 ? target : 'step',
      actions: this.actions,
      clock: this.startClock,
      latency: this.latency,
      engineState: resume?.engine ?? null,
    });
    this.schedule();
  }

  next() {
    if (this.status !== 'paused') return;
    if (this.released < this.live) {
      this.travel(this.released + 1);
      return;
    }
    this.status = 'running';
    this.host.send({ type: 'next' });
    this.schedule();
  }

  prev() {
    if (this.released === 0) return;
    this.travel(this.released - 1);
  }

  goTo(index) {
    this.travel(Math.max(0, index));
  }

  /**
   * Goes to step `to`: within the steps the code has run, the worker restores that step's
   * snapshot of the engine (O(1)); where it cannot (see worker.js), the code is replayed to
   * that step in a new process, which gives the same state.
   */
  async travel(to) {
    const generation = this.generation;
    const viewed = to <= this.live && await this.host.request({ type: 'view', to }).catch(() => false);
    if (generation !== this.generation) return;
    if (!viewed) this.start({ target: to, fresh: false });
  }

  reset() {
    this.start({ target: 0, fresh: true });
  }

  async runToEnd() {
    if (this.status === 'done' || this.status === 'error') return;
    if (this.released < this.live) {
      // Looking back: first back to where the code is paused (or a replay up to there).
      const generation = this.generation;
      const back = await this.host.request({ type: 'view', to: this.live }).catch(() => false);
      if (generation !== this.generation) return;
      if (!back) {
        this.start({ target: Number.MAX_SAFE_INTEGER, fresh: false });
        return;
      }
    }
    this.host.send({ type: 'continue' });
    if (this.status === 'paused') this.status = 'running';
    this.schedule();
  }

  runEdited() {
    this.code = this.editor.value;
    this.start({ target: 0, fresh: true });
  }

  revert() {
    this.code = this.courseCode;
    this.editor.value = this.code;
    this.start({ target: 0, fresh: true });
  }

  /** Something the reader did to the engine, redone at the same point on a replay. */
  record(action) {
    this.actions.push({ ...action, at: this.released });
  }

  key(event) {
    const t = event.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = { ArrowRight: () => this.next(), ArrowLeft: () => this.prev(), Home: () => this.reset(), End: () => this.runToEnd() };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events from the lesson process
  // -------------------------------------------------------------------------------------------

  event(data) {
    switch (data.type) {
      case 'gate':
        this.steps[data.step.index] = { ...this.steps[data.step.index], ...data.step };
        break;
      case 'reply': {
        const s = this.steps[data.index];
        if (s) Object.assign(s, { reply: data.reply, ms: data.ms });
        break;
      }
      case 'value': {
        const s = this.steps[data.index];
        if (s) Object.assign(s, { value: data.value, stated: data.stated, error: data.error });
        break;
      }
      case 'log':
        this.logs.push(data);
        break;
      case 'delivery':
        this.panes?.delivery(data);
        break;
      case 'end':
        this.end = data;
        break;
      case 'fatal':
        this.end = { ok: false, error: { message: data.error, line: null } };
        this.status = 'error';
        break;
      case 'state':
        this.status = data.status;
        this.released = data.released;
        this.live = data.live ?? data.released;
        this.blocked = data.blocked ?? [];
        this.clients = data.clients ?? [];
        if (data.status === 'done') this.totals.set(this.code, data.released);
        this.clock.update(data.clock);
        this.inspector.update(data);
        this.console.setClients((data.clients ?? []).filter((c) => !c.closed));
        this.onState?.(data);
        this.panels?.state();
        // A settled state is what the reader waits for: draw it now, not at the next frame.
        if (data.status !== 'running') {
          this.render();
          return;
        }
        break;
      default:
        return;
    }
    this.schedule();
  }

  /** Draws at the next frame (events of a running program arrive in bursts). */
  schedule() {
    if (this.frame) return;
    // While the code runs, most steps settle within a few milliseconds, and the settled state is
    // drawn at once when it comes (see `event`): drawing the passing "running" state first would
    // only hold up the main thread that the worker's answer is waiting for. So it is drawn only
    // if the run is still going a moment later.
    if (this.status === 'running' || this.status === 'starting') {
      this.frame = -setTimeout(() => {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.render();
        });
      }, RUNNING_DRAW_DELAY_MS);
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------

  renderLesson() {
    const { lesson, ui } = this;
    ui.title.textContent = `${lesson.number}. ${lesson.title}`;
    ui.source.textContent = lesson.source ?? '';
    const nodes = (lesson.prose ?? []).map((p) => el('p', null, p));
    if (lesson.clients?.length) {
      const clients = el('p', 'muted small clients');
      clients.append('Clients: ');
      lesson.clients.forEach((c, i) => {
        if (i) clients.append('; ');
        clients.append(el('code', null, c.label), c.about ? ` (${c.about})` : '');
      });
      nodes.push(clients);
    }
    const general = (lesson.notes ?? []).filter((n) => !n.at);
    if (general.length) {
      const list = el('ul', 'notes');
      for (const n of general) list.append(el('li', null, n.text));
      nodes.push(list);
    }
    ui.prose.replaceChildren(...nodes);
  }

  lineText(line) {
    return line ? (this.code.split('\n')[line - 1] ?? '').trim() : '';
  }

  notesFor(line) {
    const text = this.lineText(line);
    if (!text) return [];
    return (this.lesson.notes ?? []).filter((n) => n.at && text.includes(n.at));
  }

  render() {
    if (this.frame) {
      if (this.frame < 0) clearTimeout(-this.frame);
      else cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const { ui } = this;
    const current = this.steps[this.released] ?? null;
    const upcoming = this.status === 'paused' ? this.steps[this.released + 1] ?? null : null;
    const total = this.totals.get(this.code);
    ui.count.textContent = `step ${this.released}${total !== undefined ? ` of ${total}` : ''}`;
    const label = {
      starting: 'starting', paused: 'paused', running: 'running', blocked: 'waiting', done: 'finished', error: 'error',
    }[this.status] ?? this.status;
    ui.status.textContent = label;
    ui.status.dataset.state = this.status;
    ui.next.disabled = this.status !== 'paused';
    ui.run.disabled = !['paused', 'blocked', 'running'].includes(this.status);
    ui.prev.disabled = this.released === 0;
    const errorLine = this.end?.ok === false ? this.end.error?.line ?? null : null;
    this.editor.mark({ current: current?.line ?? null, next: upcoming?.line ?? null, error: errorLine });
    if (this.status !== 'running') this.editor.reveal(errorLine ?? upcoming?.line ?? current?.line);
    if (this.end?.ok === false) {
      const where = errorLine ? `line ${errorLine}: ` : '';
      ui.error.textContent = `${where}${this.end.error.message}`;
      ui.error.hidden = false;
    } else {
      ui.error.hidden = true;
      ui.error.textContent = '';
    }
    this.renderStep(current, upcoming);
    this.renderOutput();
    this.renderTrace(upcoming);
    this.panes?.render({ steps: this.steps, released: this.released, upcoming, blocked: this.blocked, clients: this.clients });
    document.body.dataset.playerStatus = this.status;
    document.body.dataset.released = String(this.released);
  }

  renderStep(step, upcoming) {
    const box = this.ui.step;
    const nodes = [];
    box.dataset.index = String(step?.index ?? 0);
    box.dataset.kind = step?.kind ?? '';
    box.dataset.client = step?.client ?? '';
    if (!step) {
      nodes.push(el('h3', null, 'Ready'));
      if (this.status === 'starting') nodes.push(el('p', 'muted', 'Starting the lesson…'));
      else if (upcoming) nodes.push(el('p', null, 'Nothing has run yet. Press Next (→) to run the first step.'));
      else if (this.status === 'done') nodes.push(el('p', null, 'The program finished without sending a command.'));
    } else {
      const head = el('h3');
      head.append(`Step ${step.index}`);
      if (step.line) head.append(el('span', 'muted', ` · line ${step.line}`));
      if (step.client) head.append(el('span', 'muted', ` · ${step.client}`));
      // The worker's clock ticks in 0.1 ms (browsers coarsen timers), so no finer digits.
      if (typeof step.ms === 'number') head.append(el('span', 'muted', ` · ${step.ms < 0.1 ? '< 0.1' : step.ms.toFixed(1)} ms`));
      nodes.push(head);
      if (step.line) nodes.push(row('code', this.lineText(step.line), 'code-line'));
      if (step.kind === 'db') {
        nodes.push(row('query', step.label ?? '', 'cli'));
        nodes.push(row('database', step.reply ?? 'querying…', 'reply'));
      } else {
        nodes.push(row('command', step.cli ?? '', 'cli'));
        const waiting = this.blocked.find((b) => b.index === step.index);
        if (step.reply == null && waiting) {
          const wait = el('div', 'waiting');
          const left = el('span', 'left');
          left.dataset.deadline = String(waiting.deadline ?? 0);
          wait.append(el('span', 'spinner'), ` ${step.client ?? 'the client'} is blocked, waiting `, left);
          wait.append(el('p', 'muted small', 'Serve it from the console (a push to the key it waits on) or move the clock past its timeout.'));
          nodes.push(row('reply', wait, 'reply blocked'));
        } else {
          nodes.push(row('reply', step.reply ?? '…', 'reply'));
        }
      }
      if (step.value !== undefined && step.value !== null) nodes.push(row('JS value', step.value, `js${step.error ? ' error' : ''}`));
      if (step.stated) nodes.push(statedBlock(step.stated));
      const logs = this.logs.filter((l) => l.after === step.index);
      if (logs.length) {
        const list = el('div', 'step-logs');
        for (const log of logs) list.append(this.logNode(log));
        nodes.push(row('output', list, 'output'));
      }
      for (const note of this.notesFor(step.line)) nodes.push(el('p', 'note', note.text));
    }
    if (this.status === 'done') nodes.push(el('p', 'finished', `The program finished after ${this.released} step${this.released === 1 ? '' : 's'}.`));
    if (this.end?.ok === false) {
      const where = this.end.error.line ? ` at line ${this.end.error.line}` : '';
      nodes.push(el('p', 'stopped', `The program stopped${where}: ${this.end.error.message}`));
    }
    if (upcoming) {
      const next = el('p', 'upcoming');
      next.append(el('span', 'label', 'next'), ` line ${upcoming.line ?? '?'}: `,
        el('code', null, upcoming.kind === 'db' ? upcoming.label : upcoming.cli));
      nodes.push(next);
    }
    box.replaceChildren(...nodes);
    this.tick();
  }

  logNode(log) {
    const node = el('div', `log ${log.level}`);
    node.dataset.after = String(log.after);
    if (log.line) node.dataset.line = String(log.line);
    const text = el('pre', 'log-text', log.text);
    if (log.line) node.append(el('span', 'log-line', `L${log.line}`));
    if (log.origin) {
      node.dataset.origin = log.origin;
      node.append(el('span', 'log-origin', log.origin));
    }
    node.append(text);
    if (log.stated) node.append(statedBlock(log.stated));
    return node;
  }

  /** The program's output, appended to as it grows (rebuilt only after a restart). */
  renderOutput() {
    const box = this.ui.output;
    if (this.outputShown > this.logs.length || box.dataset.generation !== String(this.generation)) {
      box.replaceChildren();
      this.outputShown = 0;
      box.dataset.generation = String(this.generation);
      this.latest = [];
    }
    for (; this.outputShown < this.logs.length; this.outputShown++) {
      const log = this.logs[this.outputShown];
      const node = this.logNode(log);
      log.node = node;
      box.append(node);
    }
    for (const node of this.latest) node.classList.remove('latest');
    this.latest = this.logs.filter((l) => l.after === this.released).map((l) => l.node);
    for (const node of this.latest) node.classList.add('latest');
    box.querySelector('.uncaught')?.remove();
    if (this.end?.ok === false) {
      const where = this.end.error.line ? ` (line ${this.end.error.line})` : '';
      box.append(el('pre', 'log error uncaught', `Uncaught ${this.end.error.message}${where}`));
    }
  }

  /** The list of steps: one entry per step, updated in place. */
  renderTrace(upcoming) {
    const list = this.ui.trace;
    if (list.dataset.generation !== String(this.generation)) {
      list.replaceChildren();
      list.dataset.generation = String(this.generation);
    }
    const last = upcoming ? upcoming.index : this.released;
    const items = list.children;
    while (items.length > last) items[items.length - 1].remove();
    for (let i = 1; i <= last; i++) {
      const s = this.steps[i];
      const className = i === this.released ? 'current' : i === upcoming?.index ? 'next' : '';
      const key = `${className}|${s?.reply ?? ''}|${s?.cli ?? s?.label ?? ''}`;
      const existing = items[i - 1];
      if (existing && existing.dataset.key === key) continue;
      const item = s ? this.traceItem(s, className) : el('li');
      item.dataset.key = key;
      if (existing) existing.replaceWith(item);
      else list.append(item);
    }
  }

  traceItem(s, className) {
    const li = el('li', className);
    const button = el('button', 'trace-step');
    button.type = 'button';
    button.dataset.index = String(s.index);
    const what = s.kind === 'db' ? s.label : s.cli;
    const reply = (s.reply ?? (className === 'next' ? '' : '…')).split('\n')[0];
    button.append(el('span', 'trace-index', `${s.index}`), el('span', 'trace-cli', what ?? ''),
      el('span', 'trace-reply', reply ? `→ ${reply}` : ''));
    button.addEventListener('click', () => this.goTo(s.index));
    li.append(button);
    return li;
  }

  /** Redraws what counts down (blocked clients' timeouts). */
  tick() {
    this.panes?.tick();
    for (const node of this.ui.step.querySelectorAll('.waiting .left')) {
      const deadline = Number(node.dataset.deadline);
      node.textContent = deadline > 0
        ? `— ${formatDuration(deadline - this.clock.now())} left on the engine's clock`
        : '— with no timeout';
    }
  }
}
