// A code editor: a plain <textarea> for editing, laid exactly over a <pre> that shows the same
// text highlighted by Prism (www/vendor/prism.js, a deferred classic script, which runs before the modules).
// Prism's tokenizer returns a token tree; it is turned into spans here with textContent, so the
// code (which the reader may edit) is never parsed as HTML. A layer under the text marks lines:
// the step just run, the next one, an error.

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function appendTokens(parent, tokens) {
  for (const token of tokens) {
    if (typeof token === 'string') {
      parent.append(token);
      continue;
    }
    const aliases = Array.isArray(token.alias) ? token.alias : token.alias ? [token.alias] : [];
    const span = el('span', ['token', token.type, ...aliases].join(' '));
    const content = token.content;
    if (typeof content === 'string') span.textContent = content;
    else appendTokens(span, Array.isArray(content) ? content : [content]);
    parent.append(span);
  }
}

export class Editor {
  constructor(root, { onChange, onRun } = {}) {
    this.root = root;
    this.onChange = onChange;
    this.gutter = el('pre', 'gutter');
    this.gutter.setAttribute('aria-hidden', 'true');
    this.wrap = el('div', 'code-wrap');
    this.marks = el('div', 'marks');
    this.pre = el('pre', 'code-view');
    this.pre.setAttribute('aria-hidden', 'true');
    this.code = el('code', 'language-javascript');
    this.pre.append(this.code);
    this.area = el('textarea', 'code-input');
    this.area.spellcheck = false;
    this.area.setAttribute('wrap', 'off');
    this.area.setAttribute('autocapitalize', 'off');
    this.area.setAttribute('autocomplete', 'off');
    this.area.setAttribute('aria-label', 'course code (editable)');
    this.wrap.append(this.marks, this.pre, this.area);
    this.scroller = el('div', 'editor-scroll');
    this.scroller.append(this.gutter, this.wrap);
    root.replaceChildren(this.scroller);
    this.lineMarks = { current: null, next: null, error: null };
    this.lines = 0;
    this.measured = null;
    window.addEventListener('resize', () => {
      this.measured = null;
      this.drawMarks();
    });

    this.area.addEventListener('input', () => {
      this.render();
      this.onChange?.(this.area.value);
    });
    this.area.addEventListener('keydown', (event) => {
      if (event.key === 'Tab' && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.insert('  ');
      } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun?.();
      } else if (event.key === 'Escape') {
        this.area.blur();
      }
    });
  }

  insert(text) {
    const { selectionStart: start, selectionEnd: end, value } = this.area;
    this.area.value = value.slice(0, start) + text + value.slice(end);
    this.area.selectionStart = this.area.selectionEnd = start + text.length;
    this.render();
    this.onChange?.(this.area.value);
  }

  get value() { return this.area.value; }

  set value(text) {
    this.area.value = text;
    this.render();
  }

  render() {
    const text = this.area.value;
    const prism = globalThis.Prism;
    const fragment = document.createDocumentFragment();
    if (prism?.languages?.javascript) appendTokens(fragment, prism.tokenize(text, prism.languages.javascript));
    else fragment.append(text);
    // A final newline would collapse in the <pre>; keep the last line's height.
    fragment.append('\n');
    this.code.replaceChildren(fragment);
    const lines = text.split('\n').length;
    if (lines !== this.lines) {
      this.lines = lines;
      this.gutter.textContent = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n');
    }
    this.drawMarks();
  }

  /** Marks lines (1-based, or null): `current` (the step just run), `next`, `error`. */
  mark(marks) {
    Object.assign(this.lineMarks, marks);
    this.drawMarks();
  }

  /** Line height and top padding of the code, measured once (and again after a resize). */
  metrics() {
    if (!this.measured) {
      const style = getComputedStyle(this.pre);
      this.measured = { lh: parseFloat(style.lineHeight) || 20, top: parseFloat(style.paddingTop) || 0 };
    }
    return this.measured;
  }

  lineHeight() {
    return this.metrics().lh;
  }

  drawMarks() {
    const { lh, top } = this.metrics();
    const key = `${lh}|${this.lineMarks.next}|${this.lineMarks.current}|${this.lineMarks.error}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const nodes = [];
    for (const kind of ['next', 'current', 'error']) {
      const line = this.lineMarks[kind];
      if (!line) continue;
      const bar = el('div', `line-mark ${kind}`);
      bar.dataset.line = String(line);
      bar.style.top = `${top + (line - 1) * lh}px`;
      bar.style.height = `${lh}px`;
      nodes.push(bar);
    }
    this.marks.replaceChildren(...nodes);
  }

  /** Scrolls the editor so that `line` is in view (without moving the page more than needed). */
  reveal(line) {
    if (!line) return;
    const lh = this.lineHeight();
    const y = (line - 1) * lh;
    const view = this.scroller;
    if (y < view.scrollTop + lh || y > view.scrollTop + view.clientHeight - 2 * lh) {
      view.scrollTop = Math.max(0, y - view.clientHeight / 3);
    }
  }
}
