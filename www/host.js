// The page's end of the lesson process (worker.js): starts it, sends it commands, routes what it
// reports. The engine's WebAssembly is compiled once here and handed to every new worker, so a
// reset (a new process with a fresh engine) costs only an instantiation; and a spare worker, its
// modules already loaded, stands ready for the next start.

export class Host {
  /** @param {(event: object) => void} onEvent called with every event the worker posts */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.worker = null;
    this.module = null;
    this.pending = new Map();
    this.seq = 0;
    this.generation = 0;
    this.spare = null;
    this.commandsKnown = false;
  }

  async compile() {
    const early = globalThis.playgroundBoot?.engine;
    this.module = await (early ?? WebAssembly.compileStreaming(fetch('./pkg/redis_playground_bg.wasm')));
  }

  /** A worker with its modules loaded, waiting for its boot: a start does not wait for one. */
  prewarm() {
    const early = globalThis.playgroundBoot?.worker;
    if (early && globalThis.playgroundBoot) globalThis.playgroundBoot.worker = null;
    if (this.spare) return;
    this.spare = early ?? new Worker('./worker.js', { type: 'module', name: 'lesson' });
    // The spare instantiates its engine now, not when it is started (boot.js does the same for
    // the first one, as soon as the module is compiled).
    if (this.module) this.spare.postMessage({ type: 'prepare', module: this.module });
  }

  /** Starts a new process (ending the old one): `options` go to the worker's boot. */
  start(options) {
    this.stop();
    const generation = ++this.generation;
    const worker = this.spare ?? new Worker('./worker.js', { type: 'module', name: 'lesson' });
    this.spare = null;
    worker.onmessage = ({ data }) => {
      if (generation !== this.generation) return;
      if (data?.type === 'result') {
        const waiting = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (!waiting) return;
        if (data.error !== undefined) waiting.reject(new Error(data.error));
        else waiting.resolve(data.result);
        return;
      }
      if (data?.type === 'commands') this.commandsKnown = true;
      if (data?.type === 'ready') setTimeout(() => this.prewarm(), 50);
      this.onEvent(data);
    };
    worker.onerror = (event) => {
      if (generation !== this.generation) return;
      event.preventDefault();
      this.onEvent({ type: 'fatal', error: event.message || 'the lesson process failed to start' });
    };
    this.worker = worker;
    worker.postMessage({ type: 'boot', module: this.module, commands: !this.commandsKnown, ...options });
  }

  stop() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const { reject } of this.pending.values()) reject(new Error('the lesson process was restarted'));
    this.pending.clear();
  }

  send(message) {
    this.worker?.postMessage(message);
  }

  /** Sends a message that the worker answers; resolves with its result. */
  request(message) {
    if (!this.worker) return Promise.reject(new Error('no lesson process'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
