// Promises and listeners over the engine's deliveries.
//
// The wasm Playground answers every command at once, except a blocking one (BLPOP on an empty
// list), which answers `{ blocked: true }`; its real reply arrives later as a *delivery*, when
// another client's write serves it or the virtual clock reaches its timeout. Pub/sub messages and
// keyspace notifications are deliveries too. A Session runs commands as promises, resolves the
// promises of blocked clients when their reply is delivered (in order, per client), passes
// pushed messages to listeners, and keeps one timer for the engine's next deadline so that
// timeouts fire on a running clock without polling.

export class Session {
  /** @param {import('./pkg/redis_playground.js').Playground} pg */
  constructor(pg) {
    this.pg = pg;
    /** client id -> resolvers of replies still to come, oldest first */
    this.waiting = new Map();
    /** client id -> Set of listeners for pushed messages */
    this.listeners = new Map();
    /** listeners for every delivery: (client, reply, push) */
    this.observers = new Set();
    this.timer = null;
    /** the deadline the timer was set for */
    this.armedFor = undefined;
  }

  /** Runs a command (argv array) as `client`; resolves with its reply, however late. */
  exec(client, argv) {
    const reply = this.pg.exec(client, argv);
    return this.#settle(client, reply);
  }

  /** Like exec, with the command and its arguments as separate strings (the fast path). */
  call(client, command, ...args) {
    const reply = this.pg.call(client, command, ...args);
    return this.#settle(client, reply);
  }

  #settle(client, reply) {
    let promise;
    if (reply && typeof reply === 'object' && reply.blocked === true) {
      promise = new Promise((resolve) => {
        if (!this.waiting.has(client)) this.waiting.set(client, []);
        this.waiting.get(client).push(resolve);
      });
    } else {
      promise = Promise.resolve(reply);
    }
    this.pump();
    return promise;
  }

  /** Calls `listener(reply)` for every message pushed to `client`; returns an unsubscribe. */
  onPush(client, listener) {
    if (!this.listeners.has(client)) this.listeners.set(client, new Set());
    this.listeners.get(client).add(listener);
    return () => this.listeners.get(client)?.delete(listener);
  }

  /** Calls `observer(client, reply, push)` for every delivery (for a page that shows them). */
  observe(observer) {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Moves the virtual clock and fires what falls due. */
  advance(ms) {
    this.pg.advance(ms);
    this.armedFor = NaN; // the clock moved: always re-arm
    this.pump();
  }

  /** Dispatches everything the engine delivered, then re-arms the deadline timer. */
  pump() {
    for (const { client, reply, push } of this.pg.takeDeliveries()) {
      for (const observer of this.observers) observer(client, reply, push);
      if (push) {
        for (const listener of this.listeners.get(client) ?? []) listener(reply);
      } else {
        const queue = this.waiting.get(client);
        const resolve = queue?.shift();
        if (resolve) resolve(reply);
      }
    }
    this.#arm();
  }

  #arm() {
    const deadline = this.pg.isFrozen() ? undefined : this.pg.nextDeadline();
    // The same deadline as the timer already set for: keep it (this runs after every command).
    if (this.timer !== null && deadline === this.armedFor) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = deadline;
    if (deadline === undefined) return;
    const wait = Math.max(0, Math.min(deadline - this.pg.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pg.tick();
      this.pump();
    }, wait);
  }

  /** Call after freezing, resuming or setting the clock directly on the Playground. */
  clockChanged() {
    this.armedFor = NaN;
    this.pump();
  }

  /** Stops the deadline timer (a page being torn down, a test ending). */
  close() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
