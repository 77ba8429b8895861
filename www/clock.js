// The engine's virtual clock as the page shows it. The worker reports the clock with every
// state; between reports the page extrapolates (a running clock follows real time), so TTLs and
// blocking timeouts count down smoothly without asking the engine.

/** Parses "1500", "1500ms", "90s", "5m", "2h", "1d" (optionally negative) into milliseconds. */
export function parseAmount(text) {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(String(text));
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const scale = { ms: 1, s: 1000, m: 60000, min: 60000, h: 3600000, d: 86400000 }[unit];
  const ms = n * scale;
  return Number.isFinite(ms) ? ms : null;
}

/** "12.3 s", "4 min 05 s", "2 h 03 min", "3 d 4 h". */
export function formatDuration(ms) {
  if (ms < 0) ms = 0;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.floor(s);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const min = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(min).padStart(2, '0')} min`;
  return `${min} min ${String(sec).padStart(2, '0')} s`;
}

export function formatTime(ms) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

export class Clock {
  /**
   * @param {object} ui elements: time, mode, toggle, form, amount, root
   * @param {(op: string, ms?: number) => void} onOp asks the engine to move the clock
   */
  constructor(ui, onOp) {
    this.ui = ui;
    this.onOp = onOp;
    this.state = { now: Date.now(), frozen: false, at: performance.now() };
    ui.toggle.addEventListener('click', () => this.onOp(this.state.frozen ? 'resume' : 'freeze'));
    for (const button of ui.root.querySelectorAll('[data-advance]')) {
      button.addEventListener('click', () => this.onOp('advance', Number(button.dataset.advance)));
    }
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const ms = parseAmount(ui.amount.value);
      if (ms === null) {
        ui.amount.setCustomValidity('a number with ms, s, m, h or d');
        ui.amount.reportValidity();
        return;
      }
      ui.amount.setCustomValidity('');
      ui.amount.value = '';
      this.onOp('advance', ms);
    });
    ui.amount.addEventListener('input', () => ui.amount.setCustomValidity(''));
  }

  update({ now, frozen }) {
    this.state = { now, frozen, at: performance.now() };
    this.ui.toggle.textContent = frozen ? 'Resume' : 'Pause';
    this.ui.mode.textContent = frozen ? 'paused' : 'running';
    this.ui.mode.dataset.state = frozen ? 'paused' : 'running';
    this.draw();
  }

  /** The engine's time now, in ms since the epoch. */
  now() {
    const { now, frozen, at } = this.state;
    return frozen ? now : now + (performance.now() - at);
  }

  draw() {
    this.ui.time.textContent = formatTime(this.now());
  }
}
