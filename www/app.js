// The console: one line in, redis-cli's text out. Everything the engine says is rendered with
// textContent, so a value that looks like markup stays text.
import init, { Playground } from './pkg/redis_playground.js';

const MAX_ENTRIES = 2000; // Oldest output is dropped beyond this many lines.
const MAX_HISTORY = 500;

const output = document.getElementById('output');
const form = document.getElementById('prompt-line');
const input = document.getElementById('input');
const promptLabel = document.getElementById('prompt');
const status = document.getElementById('status');
const scroller = document.getElementById('console');

function promptText(db) {
  return db > 0 ? `127.0.0.1:6379[${db}]>` : '127.0.0.1:6379>';
}

function append(text, className) {
  const line = document.createElement('pre');
  line.className = `entry ${className}`;
  line.textContent = text;
  output.append(line);
  while (output.childElementCount > MAX_ENTRIES) output.firstElementChild.remove();
  scroller.scrollTop = scroller.scrollHeight;
}

/** Up/down history like a line editor: the line being typed is kept while browsing. */
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

async function main() {
  await init();
  const pg = new Playground();
  const client = pg.openClient('console');
  const history = makeHistory();
  const refreshPrompt = () => { promptLabel.textContent = promptText(pg.clientDb(client)); };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const line = input.value;
    input.value = '';
    append(`${promptLabel.textContent} ${line}`, 'cmd');
    history.add(line.trim() ? line : '');
    if (line.trim().toLowerCase() === 'clear') {
      output.replaceChildren();
      return;
    }
    const text = pg.execLine(client, line);
    if (text !== '') append(text, text.startsWith('(error)') ? 'error' : 'reply');
    refreshPrompt();
  });

  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      input.value = history.up(input.value);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      input.value = history.down(input.value);
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      output.replaceChildren();
    }
  });
  scroller.addEventListener('click', () => {
    if (!window.getSelection()?.toString()) input.focus();
  });

  refreshPrompt();
  input.disabled = false;
  input.focus();
  status.textContent = 'Ready.';
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  status.textContent = `The engine failed to load: ${error}`;
  document.body.dataset.ready = 'error';
  throw error;
});
