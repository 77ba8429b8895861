// node-redis v4 in the page: `createClient()` and the client API that Node.js code written for the
// `redis` package (v4.7) uses, running on the playground's engine instead of a TCP connection.
//
//   import { createClient } from './redis.js';
//   const client = createClient();
//   await client.connect();
//   await client.hSet('user:1', { name: 'Alice' });
//   await client.hGetAll('user:1');              // [Object: null prototype] { name: 'Alice' }
//
// ## Design
// One `Playground` (the wasm engine) is shared by every client, with one `Session`
// (./playground.js) over it that turns the engine's deliveries into resolved promises and pub/sub
// messages. Each connected client is one engine client (`openClient`), so MULTI state, WATCHed
// keys, the selected database and subscriptions are per client, as they are per connection in
// Redis; `duplicate()` gives a new one. Which engine: `createClient({ playground })` (a Playground
// or its Session), else the module default set by `setPlayground()`, else one loaded on the first
// `connect()` (./pkg, read from disk in Node, fetched in a browser). The module touches no DOM
// and no Node API at import time, so the same file runs in the page and in Node 20.
//
// A command's way through: the method turns its JavaScript arguments into an argv exactly as
// node-redis does (./redis/commands.js), the client checks the argv (strings or bytes only) and
// runs it on the engine at once through the Session's byte-buffer door (`Door` in
// ./playground.js: the argv crosses as bytes written into the module's memory, the reply comes
// back as bytes) — so a reply is known before the method returns, and the promise resolves with
// the transformed reply (booleans, objects, `{ value, score }`, ...). An error reply rejects with
// `ErrorReply`. The engine's deliveries (messages for subscribers, late replies of blocked
// clients) are drained once per microtask turn, not once per command, and only when the door
// said that something was delivered or that the next deadline moved: a burst of commands pays
// for one drain, and a command that changed neither pays for none.
//
// Blocking commands (BLPOP, BZPOPMIN, ...) go through `Session.exec`, whose promise resolves when
// another client serves them or the virtual clock reaches their timeout; until it does, the
// client's later commands go the same way and wait behind it, as on a real connection.
//
// ## Hooks for a page that shows or steps through the commands
// - `setCommandObserver(fn)`: `fn({ clientId, client, argv, reply })` is called for every command a
//   client of this module sends, after the engine replied (for a blocked command, when its late
//   reply arrives). `reply` is the engine's raw reply (an error is `{ error }`), before any
//   transform. `clientId` is the engine's client id. Pass `null` to stop; returns the previous one.
// - `setCommandGate(fn)`: `await fn({ clientId, client, argv })` runs before each command is sent;
//   while a gate is set, commands of all clients are sent one at a time in the order they were
//   issued, each after its gate settled, so a page can pause the code at every client call. A
//   gate that rejects fails that command with its error, unsent (and the rest of a MULTI ... EXEC
//   batch, which is then DISCARDed if MULTI went out). Pass `null` to remove; returns the
//   previous one.
// - `restartServer(pg, { whileDown })`: the server restarts from its dump (`saveState`, then
//   `loadState`) and every connected client of this module loses its connection and reconnects as
//   node-redis does ('error' with SocketClosedUnexpectedlyError, 'reconnecting', then 'connect',
//   its database and subscriptions again, 'ready'; commands sent meanwhile wait). See below.
// - `getSession()` is the Session the clients use (its `observe`/`onPush` show every delivery;
//   code that runs commands on the same Playground without this module should call its `pump()`
//   afterwards, so that clients waiting on BLPOP or subscribed see what those commands caused).
//
// ## Where this differs from node-redis on a socket
// No network: `url`, `socket`, credentials and reconnect options are accepted and ignored (a
// malformed URL throws as in node-redis; the URL's database is selected), and no CLIENT SETINFO
// handshake is sent. The engine decodes replies as UTF-8 (see README), so `returnBuffers` gives
// the bytes of that text. Infinite scores come back as Infinity (node-redis 4.7.1 gives NaN for
// Redis 7's "inf"). A command with an invalid argument inside `multi()` rejects `exec()` with the
// TypeError and nothing is sent. The engine's SCAN cursors are 64-bit, beyond what a JavaScript
// number holds exactly: the `cursor` number a scan returns is mapped back to the exact cursor
// when it is passed in again. Listeners are kept across quit/connect and resubscribed, as
// node-redis does. Legacy mode, scripts, modules and cluster are not provided.
//
// Each client also has `playgroundClientId`, the engine's id for it while connected (null
// otherwise), to match what the hooks report with a client.

import { Session } from './playground.js';
import { COMMANDS, BLOCKING, tuples } from './redis/commands.js';

// ---- errors (as node-redis names and words them) --------------------------------------------

export class ErrorReply extends Error {
  constructor(message) {
    super(message);
    this.stack = undefined;
  }
}

export class MultiErrorReply extends ErrorReply {
  constructor(replies, errorIndexes) {
    super(`${errorIndexes.length} commands failed, see .replies and .errorIndexes for more information`);
    this.replies = replies;
    this.errorIndexes = errorIndexes;
  }

  *errors() {
    for (const i of this.errorIndexes) yield this.replies[i];
  }
}

export class WatchError extends Error {
  constructor() {
    super('One (or more) of the watched keys has been changed');
  }
}

export class ClientClosedError extends Error {
  constructor() {
    super('The client is closed');
  }
}

export class DisconnectsClientError extends Error {
  constructor() {
    super('Disconnects client');
  }
}

export class SocketClosedUnexpectedlyError extends Error {
  constructor() {
    super('Socket closed unexpectedly');
  }
}

export class AbortError extends Error {
  constructor() {
    super('The command was aborted');
  }
}

// ---- command options --------------------------------------------------------------------------

const OPTIONS = Symbol('Command Options');

/** Marks `{ isolated, returnBuffers, signal }` as options for the command it is passed to first. */
export function commandOptions(options) {
  options[OPTIONS] = true;
  return options;
}

const isOptions = (o) => o !== null && typeof o === 'object' && o[OPTIONS] === true;

// ---- engines ----------------------------------------------------------------------------------

/** A Playground, its one Session, and the once-per-turn drain of its deliveries. */
class Engine {
  constructor(pg, session) {
    this.pg = pg;
    this.session = session;
    /** The clients connected to this engine (for `restartServer`). */
    this.clients = new Set();
    /** The byte-buffer door, or null (a module without it): then `pg.call`/`pg.exec`. */
    this.door = session.door;
    this.scheduled = false;
    this.flush = () => {
      this.scheduled = false;
      this.session.pump();
    };
  }

  /** Drains the engine's deliveries at the end of this microtask turn. */
  schedule() {
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  /**
   * Runs argv (strings and bytes only: `kind` says which) as client `id`; the raw reply. `keys`:
   * the reply's field names are to become property names (the door can hand them out in the
   * form that makes that fast).
   */
  run(id, argv, kind, keys = false) {
    const door = this.door;
    if (door === null) {
      const raw = kind === 0 ? call(this.pg, id, argv) : this.pg.exec(id, argv);
      this.schedule();
      return raw;
    }
    const raw = door.exec(id, argv, keys);
    // Nothing delivered and the deadline timer still right (the usual case): nothing to drain.
    if (!this.scheduled && !this.session.quiet()) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
    return raw;
  }
}

/** Playground -> Engine: one Session per Playground, whoever asks. */
const engines = new WeakMap();
let defaultEngine = null;
let loading = null;

function engineOf(target) {
  const session = target instanceof Session ? target : null;
  const pg = session ? session.pg : target;
  if (pg === null || typeof pg !== 'object' || typeof pg.openClient !== 'function') {
    throw new TypeError('Expected a Playground or a Session');
  }
  let engine = engines.get(pg);
  if (engine === undefined) {
    engine = new Engine(pg, session ?? new Session(pg));
    engines.set(pg, engine);
  } else if (session !== null && engine.session !== session) {
    throw new Error('This Playground already has another Session: pass that one');
  }
  return engine;
}

/**
 * Sets the engine that clients created without a `playground` option connect to: a Playground,
 * or the Session the page already runs over it (`null` forgets it). Returns the Session.
 */
export function setPlayground(target) {
  defaultEngine = target == null ? null : engineOf(target);
  return defaultEngine?.session ?? null;
}

/** The Session of `target` (a Playground), or of the default engine; null if there is none yet. */
export function getSession(target) {
  if (target != null) return engineOf(target).session;
  return defaultEngine?.session ?? null;
}

/** The default engine, loading the release build (./pkg) the first time one is needed. */
function defaultEngineReady() {
  if (defaultEngine !== null) return Promise.resolve(defaultEngine);
  loading ??= loadPlayground().then((pg) => {
    loading = null;
    defaultEngine ??= engineOf(pg);
    return defaultEngine;
  });
  return loading;
}

async function loadPlayground() {
  const mod = await import('./pkg/redis_playground.js');
  const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (inNode) {
    const { readFile } = await import('node:fs/promises');
    mod.initSync({ module: await readFile(new URL('./pkg/redis_playground_bg.wasm', import.meta.url)) });
  } else {
    await mod.default();
  }
  return new mod.Playground();
}

// ---- hooks ------------------------------------------------------------------------------------

let observer = null;
let gate = null;
/** While a gate is set, each command (or batch) waits for the one issued before it. */
let gateTail = Promise.resolve();
const noop = () => {};

/** Observes every command after the engine replied: `fn({ clientId, client, argv, reply })`. */
export function setCommandObserver(fn) {
  const previous = observer;
  observer = fn ?? null;
  return previous;
}

/** Awaits `fn({ clientId, client, argv })` before each command is sent (see the header). */
export function setCommandGate(fn) {
  const previous = gate;
  gate = fn ?? null;
  return previous;
}

function rethrowLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

function observe(client, id, argv, reply) {
  try {
    observer?.({ clientId: id, client, argv, reply });
  } catch (e) {
    rethrowLater(e);
  }
}

// ---- replies ----------------------------------------------------------------------------------

/** 0: every element a string; 1: some are bytes; -1: something else (node-redis's TypeError). */
function argvKind(argv) {
  let kind = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (typeof a === 'string') continue;
    if (a instanceof Uint8Array) kind = 1;
    else return -1;
  }
  return argv.length === 0 ? -1 : kind;
}

/** `pg.call` with exactly as many arguments as argv has (at most six), else `pg.exec`. */
function call(pg, id, v) {
  switch (v.length) {
    case 1:
      return pg.call(id, v[0]);
    case 2:
      return pg.call(id, v[0], v[1]);
    case 3:
      return pg.call(id, v[0], v[1], v[2]);
    case 4:
      return pg.call(id, v[0], v[1], v[2], v[3]);
    case 5:
      return pg.call(id, v[0], v[1], v[2], v[3], v[4]);
    case 6:
      return pg.call(id, v[0], v[1], v[2], v[3], v[4], v[5]);
    default:
      return pg.exec(id, v);
  }
}

const isTagged = (r) => r !== null && typeof r === 'object' && !Array.isArray(r);

/** The raw reply as node-redis's decoder gives it, or throws the ErrorReply. */
function unwrap(raw) {
  if (typeof raw === 'bigint') return Number(raw);
  if (isTagged(raw) && raw.error !== undefined) throw new ErrorReply(raw.error);
  return raw;
}

function settle(raw, transform) {
  try {
    const reply = unwrap(raw);
    return Promise.resolve(transform === undefined ? reply : transform(reply));
  } catch (e) {
    return Promise.reject(e);
  }
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;

/** Strings to bytes, deeply (a `Buffer` where there is one): for `returnBuffers`. */
function toBytes(r) {
  if (typeof r === 'string') {
    return typeof Buffer === 'function' ? Buffer.from(r) : encoder.encode(r);
  }
  if (Array.isArray(r)) return r.map(toBytes);
  return r;
}

/** PING's reply; a subscribed client gets `['pong', message]` and node-redis unpacks it. */
const pong = (r) => (Array.isArray(r) ? (r[1] === '' ? r[0] : r[1]) : r);

// ---- a small event emitter (the page has no `events` module) --------------------------------

class Emitter {
  #listeners = new Map();

  on(event, listener) {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  addListener(event, listener) {
    return this.on(event, listener);
  }

  once(event, listener) {
    const once = (...args) => {
      this.off(event, once);
      listener.apply(this, args);
    };
    once.listener = listener;
    return this.on(event, once);
  }

  off(event, listener) {
    const list = this.#listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || l.listener === listener);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(event);
    return this;
  }

  removeListener(event, listener) {
    return this.off(event, listener);
  }

  removeAllListeners(event) {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  listenerCount(event) {
    return this.#listeners.get(event)?.length ?? 0;
  }

  listeners(event) {
    return (this.#listeners.get(event) ?? []).map((l) => l.listener ?? l);
  }

  emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list) {
      if (event === 'error') throw args[0];
      return false;
    }
    for (const l of [...list]) l.apply(this, args);
    return true;
  }
}

// ---- the client -------------------------------------------------------------------------------

let clientCount = 0;

/** `redis[s]://[[user][:pass]@]host[:port][/db]`, checked as node-redis checks it. */
function parseURL(url) {
  const { protocol, pathname } = new URL(url);
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new TypeError('Invalid protocol');
  const parsed = {};
  if (pathname.length > 1) {
    const database = Number(pathname.substring(1));
    if (Number.isNaN(database)) throw new TypeError('Invalid pathname');
    parsed.database = database;
  }
  return parsed;
}

/** restartServer's way into a client (set by RedisClient's static block). */
let dropConnection;
let remakeConnection;

/** Listeners of one channel or pattern (node-redis keeps string and buffer listeners apart). */
function listenerSets() {
  return { strings: new Set(), buffers: new Set(), unsubscribing: false };
}

export class RedisClient extends Emitter {
  static commandOptions(options) {
    return commandOptions(options);
  }

  #options;
  #engine = null;
  #id = null;
  #open = false;
  #ready = false;
  #readyWait = null;
  #markReady = null;
  #selectedDb = null;
  /** Commands of this client sent through the Session whose reply has not come back yet. */
  #inflight = 0;
  /** Rejecters of commands still waiting (for the connection, the gate or a late reply). */
  #pending = new Set();
  #channels = new Map();
  #patterns = new Map();
  #subscribing = 0;
  #stopPush = null;

  constructor(options) {
    super();
    this.#options = options;
    if (options?.url) Object.assign(options, parseURL(options.url));
    this.commandOptions = commandOptions;
  }

  get options() {
    return this.#options;
  }

  get isOpen() {
    return this.#open;
  }

  get isReady() {
    return this.#ready;
  }

  get isPubSubActive() {
    if (this.#id === null) return false;
    return this.#channels.size !== 0 || this.#patterns.size !== 0 || this.#subscribing !== 0;
  }

  /** The engine's id for this client while it is connected (not a node-redis API), else null. */
  get playgroundClientId() {
    return this.#id;
  }

  /** A new, unconnected client with the same options, on the same engine. */
  duplicate(overrides) {
    const playground = this.#options?.playground ?? this.#engine?.session;
    return new RedisClient({ ...this.#options, ...(playground ? { playground } : {}), ...overrides });
  }

  async connect() {
    if (this.#open) throw new Error('Socket already opened');
    this.#open = true;
    let markReady;
    this.#readyWait = new Promise((resolve) => {
      markReady = resolve;
    });
    try {
      const target = this.#options?.playground;
      const engine = target != null ? engineOf(target) : await defaultEngineReady();
      await null; // 'connect' and 'ready' come after connect() returned, as on a socket
      if (!this.#open) throw new DisconnectsClientError();
      this.#attach(engine);
    } finally {
      markReady();
      this.#readyWait = null;
    }
    return this;
  }

  #attach(engine) {
    this.#engine = engine;
    clientCount += 1;
    this.#id = engine.pg.openClient(`node-redis#${clientCount}`);
    this.#stopPush = engine.session.onPush(this.#id, (message) => this.#onPush(message));
    engine.clients.add(this);
    this.emit('connect');
    const handshake = [];
    const database = this.#selectedDb ?? this.#options?.database;
    if (database) handshake.push(['SELECT', database.toString()]);
    if (this.#options?.name) handshake.push(['CLIENT', 'SETNAME', this.#options.name]);
    if (this.#channels.size) handshake.push(['SUBSCRIBE', ...this.#channels.keys()]);
    if (this.#patterns.size) handshake.push(['PSUBSCRIBE', ...this.#patterns.keys()]);
    for (const argv of handshake) {
      const reply = this.#dispatch(argv, false, 0);
      if (isTagged(reply) && reply.error !== undefined) this.emit('error', new ErrorReply(reply.error));
    }
    this.#ready = true;
    this.emit('ready');
  }

  /** Sends QUIT after everything sent before it, then closes; resolves to 'OK'. */
  async quit() {
    if (!this.#open) throw new ClientClosedError();
    this.#open = false;
    const reply = await this.#run(['QUIT'], undefined, false, 0);
    this.#close();
    return reply;
  }

  QUIT() {
    return this.quit();
  }

  /** Closes at once: commands still waiting reject with DisconnectsClientError. */
  async disconnect() {
    if (!this.#open) throw new ClientClosedError();
    this.#open = false;
    const error = new DisconnectsClientError();
    for (const entry of [...this.#pending]) entry.reject(error);
    this.#pending.clear();
    this.#close();
  }

  /** Leaves the engine: its connection closed, nothing more pushed to this client. */
  #detach() {
    this.#stopPush?.();
    this.#stopPush = null;
    this.#engine.pg.closeClient(this.#id);
    this.#engine.clients.delete(this);
    this.#id = null;
  }

  #close() {
    if (this.#id !== null) this.#detach();
    this.#ready = false;
    this.#inflight = 0;
    this.#subscribing = 0;
    this.#markReady?.();
    this.#markReady = null;
    this.emit('end');
  }

  // -- a server restart (see restartServer) --

  /**
   * The connection is gone under the client (the server went away): as node-redis does, the
   * client stays open but not ready, emits 'error' (SocketClosedUnexpectedlyError) and
   * 'reconnecting'; commands sent from now on wait for the new connection. Commands that were
   * waiting for a late reply (a blocked BLPOP) fail with the error, as their connection did.
   */
  #lose(error) {
    if (this.#id === null) return;
    this.#detach();
    this.#ready = false;
    if (this.#inflight !== 0) {
      for (const entry of [...this.#pending]) entry.reject(error);
      this.#pending.clear();
    }
    this.#inflight = 0;
    this.#subscribing = 0;
    let markReady;
    this.#readyWait = new Promise((resolve) => {
      markReady = resolve;
    });
    this.#markReady = markReady;
    if (this.listenerCount('error')) this.emit('error', error);
    else rethrowLater(error);
    this.emit('reconnecting');
  }

  /** Connects again after #lose: 'connect', the database and subscriptions again, 'ready'. */
  #regain(engine) {
    if (!this.#open || this.#id !== null) return;
    this.#attach(engine);
    this.#markReady?.();
    this.#markReady = null;
    this.#readyWait = null;
  }

  static {
    // For restartServer (below): drops a client's connection or makes it again.
    dropConnection = (client, error) => client.#lose(error);
    remakeConnection = (client, engine) => client.#regain(engine);
  }

  // -- sending --

  /** Runs one command: checks, then (gate, connection) dispatch; resolves with transform(reply). */
  #send(argv, transform, blocking) {
    if (!this.#open) return Promise.reject(new ClientClosedError());
    const kind = argvKind(argv);
    if (kind < 0) return Promise.reject(new TypeError('Invalid argument type'));
    return this.#run(argv, transform, blocking, kind);
  }

  #run(argv, transform, blocking, kind) {
    if (this.#ready && gate === null) {
      const raw = this.#dispatch(argv, blocking, kind);
      if (raw instanceof Promise) return raw.then((r) => settle(r, transform));
      return settle(raw, transform);
    }
    // A blocking command's reply may itself be a promise (the Session's, resolved when another
    // client serves it): settle that, not the promise object.
    return this.#later([argv], blocking, kind).then(([raw]) =>
      raw instanceof Promise ? raw.then((r) => settle(r, transform)) : settle(raw, transform));
  }

  /** Sends a batch once the client is ready and, with a gate, each command after its gate. */
  #later(batch, blocking, kind) {
    return this.#track(async () => {
      if (!this.#ready) await this.#readyWait;
      if (this.#id === null) throw new ClientClosedError();
      if (gate === null) return batch.map((argv) => this.#dispatch(argv, blocking, kind));
      const step = gateTail.then(async () => {
        const out = [];
        for (let i = 0; i < batch.length; i++) {
          try {
            await gate?.({ clientId: this.#id, client: this, argv: batch[i] });
            if (this.#id === null) throw new DisconnectsClientError();
          } catch (e) {
            if (i > 0 && batch[0][0] === 'MULTI' && this.#id !== null) this.#dispatch(['DISCARD'], false, 0);
            throw e;
          }
          out.push(this.#dispatch(batch[i], blocking, kind));
        }
        return out;
      });
      gateTail = step.then(noop, noop);
      return step;
    });
  }

  /** A promise for `work()` that disconnect() can reject. */
  #track(work) {
    return new Promise((resolve, reject) => {
      const entry = { reject };
      this.#pending.add(entry);
      work().then(
        (value) => {
          if (this.#pending.delete(entry)) resolve(value);
        },
        (error) => {
          if (this.#pending.delete(entry)) reject(error);
        },
      );
    });
  }

  /**
   * Runs argv on the engine now. The raw reply, or — for a blocking command, or any command while
   * one of this client's is still waiting — a promise of it from the Session.
   */
  #dispatch(argv, blocking, kind) {
    const engine = this.#engine;
    const id = this.#id;
    if (blocking || this.#inflight !== 0) {
      this.#inflight += 1;
      const reply = engine.session.exec(id, argv);
      return this.#track(() => reply).then((raw) => {
        this.#inflight -= 1;
        if (observer !== null) observe(this, id, argv, raw);
        return raw;
      });
    }
    const raw = engine.run(id, argv, kind);
    if (observer !== null) observe(this, id, argv, raw);
    return raw;
  }

  /**
   * A command method: argv from the table's builder, then send. The hot path: a ready client with
   * no gate and nothing waiting runs the command on the engine here and now.
   */
  #command(build, transform, blocking, a, b, c, d, e, f) {
    if (a !== null && typeof a === 'object' && a[OPTIONS] === true) {
      let argv;
      try {
        argv = build(b, c, d, e, f);
      } catch (err) {
        return Promise.reject(err);
      }
      return this.#withOptions(argv, transform, blocking, a);
    }
    let argv;
    try {
      argv = build(a, b, c, d, e);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.#open) return Promise.reject(new ClientClosedError());
    const kind = argvKind(argv);
    if (kind < 0) return Promise.reject(new TypeError('Invalid argument type'));
    if (!this.#ready || gate !== null || blocking || this.#inflight !== 0) {
      return this.#run(argv, transform, blocking, kind);
    }
    const raw = this.#engine.run(this.#id, argv, kind, transform === tuples);
    if (observer !== null) observe(this, this.#id, argv, raw);
    return settle(raw, transform);
  }

  #withOptions(argv, transform, blocking, options) {
    if (!this.#open) return Promise.reject(new ClientClosedError());
    if (options.signal?.aborted) return Promise.reject(new AbortError());
    if (options.isolated) {
      return this.executeIsolated((client) => client.#withOptions(argv, transform, blocking, { ...options, isolated: false }));
    }
    let shaped = transform;
    if (options.returnBuffers) shaped = transform ? (r) => transform(toBytes(r)) : toBytes;
    return this.#send(argv, shaped, blocking);
  }

  static {
    for (const [name, [build, transform, blocking]] of Object.entries(COMMANDS)) {
      const isBlocking = blocking === true;
      const shaped = name === 'ping' ? pong : transform;
      RedisClient.prototype[name] = function (a, b, c, d, e, f) {
        return this.#command(build, shaped, isBlocking, a, b, c, d, e, f);
      };
    }
  }

  /** Any command as an argv of strings (or bytes); resolves with the untransformed reply. */
  sendCommand(args, options) {
    if (!Array.isArray(args)) return Promise.reject(new TypeError('Invalid argument type'));
    const name = typeof args[0] === 'string' ? args[0].toUpperCase() : '';
    const blocking = BLOCKING.has(name);
    const first = (r) => (isTagged(r) && r.replies !== undefined ? r.replies[0] : r);
    if (options !== undefined && options !== null) return this.#withOptions(args, first, blocking, options);
    return this.#send(args, first, blocking);
  }

  /** Runs `fn` with a client of its own (a new engine client), closed afterwards. */
  async executeIsolated(fn) {
    if (!this.#open) throw new ClientClosedError();
    const isolated = this.duplicate();
    await isolated.connect();
    try {
      return await fn(isolated);
    } finally {
      if (isolated.isOpen) await isolated.disconnect();
    }
  }

  async select(options, db) {
    if (!isOptions(options)) {
      db = options;
      options = undefined;
    }
    const argv = ['SELECT', db.toString()];
    await (options ? this.#withOptions(argv, undefined, false, options) : this.#send(argv, undefined, false));
    this.#selectedDb = db; // selected again on a new connection (restartServer), as node-redis does
  }

  multi() {
    return new Multi((queue, transactional) => this.#execBatch(queue, transactional));
  }

  MULTI() {
    return this.multi();
  }

  /** MULTI, the queued commands and EXEC (or the commands alone, as a pipeline). */
  #execBatch(queue, transactional) {
    if (!this.#open) return Promise.reject(new ClientClosedError());
    const batch = queue.map((c) => c.argv);
    if (transactional) {
      batch.unshift(['MULTI']);
      batch.push(['EXEC']);
    }
    let kind = 0;
    for (const argv of batch) {
      const k = argvKind(argv);
      if (k < 0) return Promise.reject(new TypeError('Invalid argument type'));
      kind = Math.max(kind, k);
    }
    let raws;
    if (this.#ready && gate === null) {
      raws = batch.map((argv) => this.#dispatch(argv, false, kind));
      if (!raws.some((r) => r instanceof Promise)) return settleBatch(raws, queue, transactional);
      raws = Promise.all(raws);
    } else {
      raws = this.#later(batch, false, kind).then((out) => Promise.all(out));
    }
    return raws.then((r) => settleBatch(r, queue, transactional));
  }

  // -- pub/sub --

  subscribe(channels, listener, bufferMode) {
    return this.#subscribe(this.#channels, 'SUBSCRIBE', channels, listener, bufferMode);
  }

  pSubscribe(patterns, listener, bufferMode) {
    return this.#subscribe(this.#patterns, 'PSUBSCRIBE', patterns, listener, bufferMode);
  }

  unsubscribe(channels, listener, bufferMode) {
    return this.#unsubscribe(this.#channels, 'UNSUBSCRIBE', channels, listener, bufferMode);
  }

  pUnsubscribe(patterns, listener, bufferMode) {
    return this.#unsubscribe(this.#patterns, 'PUNSUBSCRIBE', patterns, listener, bufferMode);
  }

  SUBSCRIBE(...args) {
    return this.subscribe(...args);
  }

  PSUBSCRIBE(...args) {
    return this.pSubscribe(...args);
  }

  UNSUBSCRIBE(...args) {
    return this.unsubscribe(...args);
  }

  PUNSUBSCRIBE(...args) {
    return this.pUnsubscribe(...args);
  }

  /** Listeners of every channel or pattern (`'CHANNELS'` or `'PATTERNS'`), as node-redis keeps them. */
  getPubSubListeners(type) {
    return type === 'PATTERNS' ? this.#patterns : this.#channels;
  }

  #subscribe(map, command, channels, listener, buffers) {
    if (!this.#open) return Promise.reject(new ClientClosedError());
    const list = Array.isArray(channels) ? channels : [channels];
    const argv = [command];
    for (const ch of list) {
      const sets = map.get(ch);
      if (!sets || sets.unsubscribing) argv.push(ch);
    }
    if (argv.length === 1) {
      // Every channel is subscribed already: only the listener is new.
      for (const ch of list) (buffers ? map.get(ch).buffers : map.get(ch).strings).add(listener);
      return Promise.resolve();
    }
    this.#subscribing += 1;
    const confirmed = () => {
      this.#subscribing -= 1;
      for (const ch of list) {
        let sets = map.get(ch);
        if (!sets) {
          sets = listenerSets();
          map.set(ch, sets);
        }
        (buffers ? sets.buffers : sets.strings).add(listener);
      }
    };
    return this.#send(argv, confirmed, false).catch((error) => {
      this.#subscribing = Math.max(0, this.#subscribing - 1);
      throw error;
    });
  }

  #unsubscribe(map, command, channels, listener, buffers) {
    if (!this.#open) return Promise.reject(new ClientClosedError());
    if (!channels) {
      return this.#send([command], () => {
        map.clear();
      }, false);
    }
    const list = Array.isArray(channels) ? channels : [channels];
    if (!listener) {
      return this.#send([command, ...list], () => {
        for (const ch of list) map.delete(ch);
      }, false);
    }
    const argv = [command];
    for (const ch of list) {
      const sets = map.get(ch);
      if (sets) {
        const mine = buffers ? sets.buffers : sets.strings;
        const other = buffers ? sets.strings : sets.buffers;
        const left = mine.has(listener) ? mine.size - 1 : mine.size;
        if (left !== 0 || other.size !== 0) continue;
        sets.unsubscribing = true;
      }
      argv.push(ch);
    }
    if (argv.length === 1) {
      // Every channel keeps other listeners: nothing to tell the server.
      for (const ch of list) (buffers ? map.get(ch)?.buffers : map.get(ch)?.strings)?.delete(listener);
      return Promise.resolve();
    }
    return this.#send(argv, () => {
      for (const ch of list) {
        const sets = map.get(ch);
        if (!sets) continue;
        (buffers ? sets.buffers : sets.strings).delete(listener);
        if (sets.buffers.size === 0 && sets.strings.size === 0) map.delete(ch);
      }
    }, false);
  }

  /** A message pushed to this client: `['message', ch, msg]` or `['pmessage', pattern, ch, msg]`. */
  #onPush(push) {
    let sets;
    let channel;
    let message;
    if (push[0] === 'message') {
      sets = this.#channels.get(push[1]);
      channel = push[1];
      message = push[2];
    } else if (push[0] === 'pmessage') {
      sets = this.#patterns.get(push[1]);
      channel = push[2];
      message = push[3];
    }
    if (sets === undefined) return;
    for (const listener of [...sets.buffers]) this.#callListener(listener, toBytes(message), toBytes(channel));
    for (const listener of [...sets.strings]) this.#callListener(listener, message, channel);
  }

  #callListener(listener, message, channel) {
    try {
      const result = listener(message, channel);
      if (result && typeof result.catch === 'function') {
        result.catch((e) => (this.listenerCount('error') ? this.emit('error', e) : rethrowLater(e)));
      }
    } catch (e) {
      if (this.listenerCount('error')) this.emit('error', e);
      else rethrowLater(e);
    }
  }

  // -- SCAN iterators --

  async *scanIterator(options) {
    let cursor = 0;
    do {
      const reply = await this.scan(cursor, options);
      cursor = reply.cursor;
      for (const key of reply.keys) yield key;
    } while (cursor !== 0);
  }

  async *hScanIterator(key, options) {
    let cursor = 0;
    do {
      const reply = await this.hScan(key, cursor, options);
      cursor = reply.cursor;
      for (const tuple of reply.tuples) yield tuple;
    } while (cursor !== 0);
  }

  async *sScanIterator(key, options) {
    let cursor = 0;
    do {
      const reply = await this.sScan(key, cursor, options);
      cursor = reply.cursor;
      for (const m of reply.members) yield m;
    } while (cursor !== 0);
  }

  async *zScanIterator(key, options) {
    let cursor = 0;
    do {
      const reply = await this.zScan(key, cursor, options);
      cursor = reply.cursor;
      for (const m of reply.members) yield m;
    } while (cursor !== 0);
  }
}

/** The replies of a MULTI/EXEC or a pipeline, each through its own command's transform. */
function settleBatch(raws, queue, transactional) {
  let replies = raws;
  if (transactional) {
    // MULTI and a command refused while queueing (unknown, wrong arity) fail the whole exec, with
    // the first of their errors, as the first rejected promise does in node-redis.
    for (let i = 0; i < raws.length - 1; i++) {
      if (isTagged(raws[i]) && raws[i].error !== undefined) return Promise.reject(new ErrorReply(raws[i].error));
    }
    const exec = raws[raws.length - 1];
    if (exec === null) return Promise.reject(new WatchError());
    if (isTagged(exec) && exec.error !== undefined) return Promise.reject(new ErrorReply(exec.error));
    replies = exec;
  } else {
    // A pipeline is its commands' own promises: the first error reply rejects it.
    for (const raw of raws) {
      if (isTagged(raw) && raw.error !== undefined) return Promise.reject(new ErrorReply(raw.error));
    }
  }
  const errorIndexes = [];
  const out = replies.map((raw, i) => {
    if (isTagged(raw) && raw.error !== undefined) {
      errorIndexes.push(i);
      return new ErrorReply(raw.error);
    }
    const reply = typeof raw === 'bigint' ? Number(raw) : raw;
    const transform = queue[i].transform;
    return transform ? transform(reply) : reply;
  });
  if (errorIndexes.length) return Promise.reject(new MultiErrorReply(out, errorIndexes));
  return Promise.resolve(out);
}

/** `client.multi()`: the same command methods, queued; nothing is sent until `exec()`. */
export class Multi {
  #queue = [];
  #execute;

  constructor(execute) {
    this.#execute = execute;
  }

  /** Queues a raw argv, with an optional transform for its reply. */
  addCommand(args, transformReply) {
    this.#queue.push({ argv: args, transform: transformReply });
    return this;
  }

  select(db) {
    return this.addCommand(['SELECT', db.toString()]);
  }

  SELECT(db) {
    return this.select(db);
  }

  /** MULTI ... EXEC; `exec(true)` is `execAsPipeline()`. */
  exec(execAsPipeline = false) {
    if (execAsPipeline) return this.execAsPipeline();
    return this.#execute(this.#queue, true);
  }

  EXEC(execAsPipeline = false) {
    return this.exec(execAsPipeline);
  }

  /** The queued commands without MULTI/EXEC; `[]` for an empty chain. */
  execAsPipeline() {
    if (this.#queue.length === 0) return Promise.resolve([]);
    return this.#execute(this.#queue, false);
  }

  static {
    for (const [name, [build, transform]] of Object.entries(COMMANDS)) {
      const shaped = name === 'ping' ? pong : transform;
      Multi.prototype[name] = function (...args) {
        if (args.length !== 0 && isOptions(args[0])) args = args.slice(1);
        return this.addCommand(build(...args), shaped);
      };
    }
  }
}

/**
 * Restarts the server as Redis restarts from its dump: the engine's state is saved
 * (`saveState`), every connection of this module's clients drops (each emits 'error' and
 * 'reconnecting'), the state is loaded back (`loadState`), and the clients reconnect as
 * node-redis does (a new connection: 'connect', SELECT of its database, SUBSCRIBE/PSUBSCRIBE of
 * its channels and patterns, 'ready'; commands sent meanwhile go out then). `target` is the
 * Playground (or its Session); `whileDown()`, if given, runs once every connection is gone and
 * before the state is loaded. Resolves with `{ bytes, clients }`: the size of the saved state
 * and how many clients reconnected. Not a node-redis API.
 */
export async function restartServer(target, { whileDown } = {}) {
  const engine = engineOf(target);
  const bytes = engine.pg.saveState();
  const clients = [...engine.clients];
  for (const client of clients) dropConnection(client, new SocketClosedUnexpectedlyError());
  engine.session.pump();
  whileDown?.();
  const loaded = engine.pg.loadState(bytes);
  if (loaded?.error) throw new Error(loaded.error);
  engine.session.clockChanged();
  // node-redis tries again at once after the connection dropped; the server is back by then.
  await null;
  for (const client of clients) remakeConnection(client, engine);
  return { bytes: bytes.length, clients: clients.filter((c) => c.isReady).length };
}

/** A client, not yet connected (node-redis's `createClient`). */
export function createClient(options) {
  return new RedisClient({ ...options });
}

export default { createClient, commandOptions };
