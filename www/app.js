// The page: a lesson player for the course chapter "Advanced Redis Features", with the tools
// around it (keyspace inspector, redis-cli console, clock). The course code and the engine run
// in a worker (worker.js, through host.js); this module wires the page's parts together.
// Everything the engine or the code produces is rendered with textContent.
import { Host } from './host.js';
import { Editor } from './editor.js';
import { Clock } from './clock.js';
import { Inspector } from './inspector.js';
import { Console } from './console.js';
import { Player } from './player.js';
import { Keeper } from './saving.js';

const $ = (id) => document.getElementById(id);
const status = $('status');

const fetchJson = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
};

/**
 * The lesson list (`index.json`: file, id, number and title of each lesson, enough for the tabs)
 * and `load(entry)`, the lesson's own file (boot.js has already asked for the likeliest one).
 * The page waits only for the lesson it opens; `prefetch()` asks for the rest.
 */
async function lessonIndex() {
  const early = window.playgroundBoot;
  let index = null;
  let files = {};
  if (early?.lessons) {
    try {
      index = await early.lessons;
      files = await early.lessonFiles;
    } catch {
      // Fetched again below, so that the error shown is this one's.
    }
  }
  index ??= await fetchJson('./lessons/index.json');
  const loaded = new Map();
  const load = (entry) => {
    if (!loaded.has(entry.id)) {
      const url = `./lessons/${entry.file}`;
      loaded.set(entry.id, files[entry.id]?.catch(() => fetchJson(url)) ?? fetchJson(url));
    }
    return loaded.get(entry.id);
  };
  /** Starts fetching every lesson not fetched yet (once the page is ready: tabs open at once). */
  const prefetch = () => index.lessons.forEach((entry) => load(entry).catch(() => {}));
  return { entries: index.lessons, load, prefetch };
}

/** `#id` or `#id/step` → `{ id, step }`. */
function parseAddress(hash) {
  const text = decodeURIComponent(String(hash).replace(/^#/, ''));
  const match = /^(.*?)(?:\/(\d{1,6}))?$/.exec(text);
  return { id: match[1], step: match[2] ? Number(match[2]) : 0 };
}

/** The address of a lesson at a step (the bare lesson before its first step). */
function addressOf(id, step) {
  return `#${encodeURIComponent(id)}${step > 0 ? `/${step}` : ''}`;
}

let followAddress = null;

/** One message for the reader (a saved state set aside, storage full, an import's result). */
function notice(text) {
  const box = $('notice');
  $('notice-text').textContent = text ?? '';
  box.hidden = !text;
}

/** Offers `text` as a file to download. */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function main() {
  performance.mark('app-start');
  let player = null;
  let ready = false;
  const keeper = new Keeper({ host: null, player: null, notice });
  const host = new Host((event) => {
    if (event.type === 'restored') {
      keeper.restored(event);
      return;
    }
    if (event.type === 'ready') {
      performance.mark('worker-ready');
      return;
    }
    if (event.type === 'commands') {
      if (!consoleUi.entries.length) consoleUi.setCommands(event.commands);
      return;
    }
    if (event.type === 'console') {
      consoleUi.delivery(event);
      return;
    }
    player?.event(event);
  });
  keeper.host = host;
  host.prewarm();
  const [lessons, saved] = await Promise.all([lessonIndex(), keeper.saved(), host.compile()]);
  performance.mark('engine-compiled');

  const clock = new Clock({
    root: $('clock'), time: $('clock-time'), mode: $('clock-mode'), toggle: $('clock-toggle'),
    form: $('clock-form'), amount: $('clock-amount'),
  }, (op, ms) => {
    player.record({ type: 'clock', op, ms });
    host.send({ type: 'clock', op, ms });
  });

  const inspector = new Inspector({ keys: $('inspector-keys'), size: $('inspector-size'), db: $('inspector-db') }, {
    clock,
    page: (request) => host.request({ type: 'page', ...request }),
    onDb: (db) => host.send({ type: 'refresh', db }),
    onExpired: () => host.send({ type: 'refresh' }),
  });

  const consoleUi = new Console({
    output: $('output'), form: $('prompt-line'), input: $('input'), prompt: $('prompt'),
    client: $('console-client'), scroller: $('output'), hint: $('console-hint'),
  }, {
    exec: async (client, line) => {
      const result = await host.request({ type: 'exec', client, line });
      player.record({ type: 'exec', client, line });
      return result;
    },
  });

  const editor = new Editor($('editor'), {
    onChange: () => {
      $('edit-status').textContent = 'edited: Run edited code (Ctrl+Enter) to restart with it';
    },
    onRun: () => player.runEdited(),
  });

  player = new Player({
    host, editor, clock, inspector, console: consoleUi,
    ui: {
      next: $('btn-next'), prev: $('btn-prev'), reset: $('btn-reset'), run: $('btn-run'),
      rerun: $('btn-rerun'), revert: $('btn-revert'), latency: $('latency'), edit: $('edit-status'),
      count: $('step-count'), status: $('run-status'), error: $('error'), step: $('step'),
      output: $('program-output'), trace: $('trace'), title: $('lesson-title'), source: $('lesson-source'),
      prose: $('lesson-prose'),
    },
    onState: (state) => {
      followAddress?.(state);
      keeper.settled(state);
      if (ready || state.status === 'starting' || state.status === 'running') return;
      ready = true;
      performance.mark('player-ready');
      setTimeout(() => lessons.prefetch(), 0);
      consoleUi.enable(true);
      status.textContent = 'Ready.';
      document.body.dataset.ready = 'true';
    },
  });

  keeper.player = player;
  $('btn-reset').addEventListener('click', () => keeper.clear());
  $('notice-close').addEventListener('click', () => notice(null));

  // Export: the keyspace as a script for redis-cli. Import: such a script, run on the engine
  // (and replayed, like the console's commands, when the lesson is replayed).
  $('btn-export').addEventListener('click', async () => {
    try {
      const script = await host.request({ type: 'export' });
      download(`redis-playground-${player.lesson?.id ?? 'keyspace'}-step-${player.released}.redis`, script);
    } catch (error) {
      notice(`Export failed: ${error.message ?? error}`);
    }
  });
  $('import-file').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const text = await file.text();
      const result = await host.request({ type: 'import', text });
      player.record({ type: 'import', text });
      const errors = result?.errors ?? [];
      const shown = errors.slice(0, 3).map((e) => `line ${e.line}: ${e.error}`).join('; ');
      notice(`Imported ${file.name}: ${result?.commands ?? 0} commands run${errors.length ? `, ${errors.length} refused (${shown}${errors.length > 3 ? '; …' : ''})` : ''}.`);
    } catch (error) {
      notice(`Import failed: ${error.message ?? error}`);
    }
  });

  // For benchmarks and debugging in the browser's console.
  window.__player = player;
  const nav = $('lessons');
  const buttons = lessons.entries.map((entry) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.lesson = entry.id;
    button.textContent = `${entry.number} ${entry.title}`;
    button.addEventListener('click', () => { window.location.hash = entry.id; });
    nav.append(button);
    return button;
  });
  // The address names the lesson and the step (`#hashes/5`): opening it replays to that step,
  // and it follows the reader, so that it can be shared or bookmarked at any point.
  // On the first visit after a save, the saved lesson and step come back, unless the address
  // names another lesson or step.
  let resume = saved;
  let firstChoice = true;
  let choice = 0;
  const choose = async () => {
    const mine = ++choice;
    written = window.location.hash;
    let { id, step } = parseAddress(window.location.hash);
    const wanted = resume && lessons.entries.find((l) => l.id === resume.lesson);
    const record = resume;
    resume = null;
    const fromSave = wanted && (!id || (id === record.lesson && (step === 0 || step === record.step)));
    // A saved state just set aside: its lesson starts fresh, not at the step the address kept.
    if (firstChoice && keeper.discarded && !fromSave) step = 0;
    firstChoice = false;
    const entry = fromSave ? wanted : lessons.entries.find((l) => l.id === id) ?? lessons.entries[0];
    for (const b of buttons) b.setAttribute('aria-current', String(b.dataset.lesson === entry.id));
    document.body.dataset.lesson = entry.id;
    let lesson;
    try {
      lesson = await lessons.load(entry);
    } catch (error) {
      if (mine === choice) notice(`Lesson ${entry.number} could not be loaded: ${error.message ?? error}`);
      return;
    }
    // Another lesson was chosen while this one's file was still arriving.
    if (mine !== choice) return;
    if (fromSave) player.load(lesson, { saved: record });
    else player.load(lesson, { step });
  };
  // The address is rewritten only while it is still the one last taken or written here: one the
  // reader (or a link) has just put there is about to be opened (hashchange comes as a task of
  // its own) and must not be overwritten by a state of the lesson being left.
  let written = window.location.hash;
  followAddress = (state) => {
    if (!player.lesson || !['paused', 'blocked', 'done'].includes(state.status)) return;
    if (window.location.hash !== written) return;
    const address = addressOf(player.lesson.id, state.released);
    if (window.location.hash !== address) window.history.replaceState(null, '', address);
    written = window.location.hash;
  };
  window.addEventListener('hashchange', choose);
  choose();

  setInterval(() => {
    clock.draw();
    inspector.tick();
    player.tick();
  }, 200);
}

main().catch((error) => {
  status.textContent = `The page failed to load: ${error}`;
  document.body.dataset.ready = 'error';
  throw error;
});
