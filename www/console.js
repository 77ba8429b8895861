// The console: a redis-cli prompt on the lesson's engine. A line goes to the engine's execLine,
// so the answer is exactly what redis-cli prints; `help` is answered here from the engine's
// command table, as redis-cli answers it. It can speak as its own client or as one of the
// course code's clients. Everything is shown with textContent.

const MAX_ENTRIES = 2000;
const MAX_HISTORY = 500;

const GENERIC_HELP = `redis-cli 7.0.15
To get help about Redis commands type:
      "help @<group>" to get a list of commands in <group>
      "help <command>" for help on <command>
      "help <tab>" to get a list of possible help topics
      "quit" to exit

To set redis-cli preferences:
      ":set hints" enable online hints
      ":set nohints" disable online hints
Set your preferences in ~/.redisclirc`;

function makeHistory() {
  const lines = [];
  let pos = 0;
  let draft = '';
  return {
    add(line) {
      if (line && lines[lines.length - 1] !== line) lines.push(line);
      if (lines.length > MAX_HISTORY) lines.shift();
      pos = lines.length;
      draft = '';
    },
    up(current) {
      if (pos === lines.length) draft = current;
      if (pos > 0) pos -= 1;
      return lines[pos] ?? current;
    },
    down(current) {
      if (pos >= lines.length) return current;
      pos += 1;
      return pos === lines.length ? draft : lines[pos];
    },
  };
}

/** The help entries (command and subcommand) from the engine's command list. */
export function helpEntries(commands) {
  const entries = [];
  for (const c of commands) {
    entries.push({ words: c.name.toUpperCase().split('|'), ...c });
    for (const s of c.subcommands ?? []) entries.push({ words: s.name.toUpperCase().split('|'), ...s });
  }
  for (const e of entries) e.full = e.words.join(' ');
  entries.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
  return entries;
}

/** What redis-cli's `help ...` prints (without its colours). */
export function helpText(entries, args) {
  if (args.length === 0) return GENERIC_HELP;
  const group = args[0].startsWith('@') ? args[0].slice(1).toLowerCase() : null;
  let out = '';
  for (const e of entries) {
    if (group !== null) {
      if (e.group.toLowerCase() !== group) continue;
    } else if (!(args.length <= e.words.length && args.every((a, i) => a.toUpperCase() === e.words[i]))) {
      continue;
    }
    out += `\n  ${e.full} ${e.usage}\n  summary: ${e.summary}\n`;
    if (e.since) out += `  since: ${e.since}\n`;
    if (group === null) out += `  group: ${e.group}\n`;
  }
  return `${out}\n`;
}

export class Console {
  /**
   * @param {object} ui elements: output, form, input, prompt, client, scroller, hint
   * @param {object} hooks { exec(clientId, line) -> Promise<{text, db}> }
   */
  constructor(ui, hooks) {
    this.ui = ui;
    this.hooks = hooks;
    this.history = makeHistory();
    this.entries = [];
    this.words = [];
    // The command list arrives from the engine just after the lesson's first state; `help`
    // typed before that waits for it.
    this.commandsArrived = new Promise((resolve) => { this.gotCommands = resolve; });
    this.cycle = null;
    this.busy = Promise.resolve();
    this.inFlight = false;
    this.held = [];
    this.dbs = new Map();
    this.setClients([]);

    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const line = ui.input.value;
      ui.input.value = '';
      this.cycle = null;
      this.busy = this.busy.then(() => this.submit(line));
    });
    ui.input.addEventListener('keydown', (event) => this.key(event));
    ui.client.addEventListener('change', () => this.refreshPrompt());
    ui.scroller.addEventListener('click', (event) => {
      if (event.target === ui.client) return;
      if (!window.getSelection()?.toString()) ui.input.focus();
    });
  }

  setCommands(commands) {
    this.entries = helpEntries(commands);
    const groups = [...new Set(commands.map((c) => `@${c.group}`))].sort();
    this.words = [...this.entries.map((e) => e.full), ...groups];
    this.gotCommands();
  }

  /** The clients to choose from: the console's own and the course code's. */
  setClients(clients) {
    const select = this.ui.client;
    const chosen = select.value || '0';
    const options = [new Option('console', '0'), ...clients.map((c) => new Option(c.label, String(c.id)))];
    const same = options.length === select.options.length
      && options.every((o, i) => o.value === select.options[i].value && o.text === select.options[i].text);
    if (!same) {
      select.replaceChildren(...options);
      select.value = options.some((o) => o.value === chosen) ? chosen : '0';
    }
    this.refreshPrompt();
  }

  clientId() { return Number(this.ui.client.value) || 0; }

  refreshPrompt() {
    const db = this.dbs.get(this.clientId()) ?? 0;
    this.ui.prompt.textContent = db > 0 ? `127.0.0.1:6379[${db}]>` : '127.0.0.1:6379>';
  }

  enable(on) {
    this.ui.input.disabled = !on;
  }

  append(lines) {
    const out = this.ui.output;
    for (const [text, className] of lines) {
      const line = document.createElement('pre');
      line.className = `entry ${className}`;
      line.textContent = text;
      out.append(line);
    }
    while (out.childElementCount > MAX_ENTRIES) out.firstElementChild.remove();
    this.ui.scroller.scrollTop = this.ui.scroller.scrollHeight;
  }

  async submit(line) {
    const echo = [`${this.ui.prompt.textContent} ${line}`, 'cmd'];
    this.history.add(line.trim() ? line : '');
    const words = line.trim().split(/\s+/).filter(Boolean);
    const first = (words[0] ?? '').toLowerCase();
    if (first === 'clear') {
      this.ui.output.replaceChildren();
      return;
    }
    if (first === 'help' || first === '?') {
      await this.commandsArrived;
      this.append([echo, [helpText(this.entries, words.slice(1)), 'reply help']]);
      return;
    }
    const client = this.clientId();
    let result;
    this.inFlight = true;
    try {
      result = await this.hooks.exec(client, line);
    } catch (e) {
      this.append([echo, [`(the engine is restarting: ${e.message})`, 'error']]);
      return;
    } finally {
      this.inFlight = false;
      queueMicrotask(() => {
        const held = this.held.splice(0);
        for (const event of held) this.delivery(event);
      });
    }
    const lines = [echo];
    if (result.text !== '') lines.push([result.text, result.text.startsWith('(error)') ? 'error' : 'reply']);
    else if (result.blocked) lines.push(['(blocked: the reply comes when the client is served or times out)', 'muted']);
    this.append(lines);
    if (result.db >= 0) this.dbs.set(client, result.db);
    this.refreshPrompt();
  }

  /** Something that reached one of the console's clients later (a late reply, a message). */
  delivery(event) {
    // What a command caused is shown after that command's own reply.
    if (this.inFlight) {
      this.held.push(event);
      return;
    }
    const { client, text } = event;
    const label = client === this.clientId() ? '' : `[${this.ui.client.querySelector(`option[value="${client}"]`)?.text ?? `client ${client}`}] `;
    this.append([[label ? text.split('\n').map((l) => label + l).join('\n') : text, 'reply late']]);
  }

  key(event) {
    const input = this.ui.input;
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      input.value = this.history.up(input.value);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      input.value = this.history.down(input.value);
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      this.ui.output.replaceChildren();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      this.complete();
    } else {
      this.cycle = null;
    }
    this.hint();
  }

  /** Tab: completes the command name (or help topic); pressing again cycles the candidates. */
  complete() {
    const input = this.ui.input;
    if (!this.cycle) {
      const text = input.value;
      const help = /^(\s*help\s+)/i.exec(text);
      const head = help ? help[1] : '';
      const typed = text.slice(head.length).toUpperCase();
      const pool = help ? this.words : this.words.filter((w) => !w.startsWith('@'));
      const candidates = pool.filter((w) => w.startsWith(typed.trimStart()) && w.toUpperCase() !== typed.trim());
      if (candidates.length === 0) return;
      this.cycle = { head, candidates, i: -1 };
    }
    const c = this.cycle;
    c.i = (c.i + 1) % c.candidates.length;
    input.value = `${c.head}${c.candidates[c.i]}`;
  }

  /** redis-cli's hint: the usage of the command being typed. */
  hint() {
    queueMicrotask(() => {
      const words = this.ui.input.value.trim().split(/\s+/).filter(Boolean).map((w) => w.toUpperCase());
      let best = null;
      for (const e of this.entries) {
        if (e.words.length <= words.length && e.words.every((w, i) => w === words[i])
            && e.words.length > (best?.words.length ?? 0)) best = e;
      }
      this.ui.hint.textContent = best ? `${best.full} ${best.usage}` : '';
    });
  }
}
