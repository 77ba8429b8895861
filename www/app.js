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

const $ = (id) => document.getElementById(id);
const status = $('status');

async function loadLessons() {
  const early = window.playgroundBoot;
  if (early?.lessonFiles) {
    try {
      return await Promise.all(await early.lessonFiles);
    } catch {
      // Fetched again below, so that the error shown is this one's.
    }
  }
  const index = await fetch('./lessons/index.json').then((r) => r.json());
  return Promise.all(index.lessons.map(async (file) => (await fetch(`./lessons/${file}`)).json()));
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

async function main() {
  performance.mark('app-start');
  let player = null;
  let ready = false;
  const host = new Host((event) => {
    if (event.type === 'ready') {
      performance.mark('worker-ready');
      if (event.commands && !consoleUi.entries.length) consoleUi.setCommands(event.commands);
      return;
    }
    if (event.type === 'console') {
      consoleUi.delivery(event);
      return;
    }
    player?.event(event);
  });
  host.prewarm();
  const [lessons] = await Promise.all([loadLessons(), host.compile()]);
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
      if (ready || state.status === 'starting' || state.status === 'running') return;
      ready = true;
      performance.mark('player-ready');
      consoleUi.enable(true);
      status.textContent = 'Ready.';
      document.body.dataset.ready = 'true';
    },
  });

  // For benchmarks and debugging in the browser's console.
  window.__player = player;
  const nav = $('lessons');
  const buttons = lessons.map((lesson) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.lesson = lesson.id;
    button.textContent = `${lesson.number} ${lesson.title}`;
    button.addEventListener('click', () => { window.location.hash = lesson.id; });
    nav.append(button);
    return button;
  });
  // The address names the lesson and the step (`#hashes/5`): opening it replays to that step,
  // and it follows the reader, so that it can be shared or bookmarked at any point.
  const choose = () => {
    const { id, step } = parseAddress(window.location.hash);
    const lesson = lessons.find((l) => l.id === id) ?? lessons[0];
    for (const b of buttons) b.setAttribute('aria-current', String(b.dataset.lesson === lesson.id));
    document.body.dataset.lesson = lesson.id;
    player.load(lesson, { step });
  };
  followAddress = (state) => {
    if (!player.lesson || !['paused', 'blocked', 'done'].includes(state.status)) return;
    const address = addressOf(player.lesson.id, state.released);
    if (window.location.hash !== address) window.history.replaceState(null, '', address);
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
