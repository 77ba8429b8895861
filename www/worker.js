// The lesson's Node.js process: a dedicated worker that owns the engine (one Playground), the
// node-redis client (./redis.js) and the course code, which it runs for real.
//
// Why a worker: the course code is text (and the reader may edit it), so it has to be compiled
// at run time. The page's Content-Security-Policy forbids that (no 'unsafe-eval'); a worker loaded
// from the page's own origin is a separate global without the DOM, where `new Function` is
// allowed and where code that loops forever can be stopped by terminating the worker. The page
// talks to it with messages only and renders whatever comes back as text.
//
// Stepping: every command a client sends first passes the client's command gate, and every
// query to the simulated database passes the same gate. A gate is a *step*: in step mode the
// worker holds it until the page says `next`. Between steps the worker reports what happened
// (the command in redis-cli syntax, the reply as redis-cli prints it, the JS value the client
// method resolved with, console output and the course's stated output beside it) and a
// snapshot of the keyspace and the clock.
//
// Time: the course code's `performance.now()`, `console.time` and the steps' durations leave
// out the time a step is held and the player's own bookkeeping, so a cache HIT measures what it
// would cost without the player. `Date` follows the engine's virtual clock. The simulated
// database waits its latency in real time.
//
// Code lines: the course code is compiled with a `//# sourceURL`, so the stack of a call made
// from it names `lesson.js:LINE`. Client objects handed to the code are proxies that note the
// calling line of each method call; the gate matches commands to those calls.
//
// Several clients: every client the code creates is matched, by the code line that created it
// and the server it runs on, with a client the lesson declares (`clients[].at`), whose label it
// then carries; each step, each message pushed to a client (pub/sub) and the state's list of
// clients name the engine client, so the page can give every client a pane of its own.
//
// Servers: a lesson may declare servers (`servers: [{ name, env }]`). `onServer(name)` loads the
// lesson's code a second time as that server's module (its own `process.env`, its own
// `getRedisClient()`, `require.main !== module`, so a runner guarded by
// `if (require.main === module)` stays in the main process) and resolves with its
// `module.exports`, as if another Node.js process had loaded the same file.
//
// Virtual time and restarts: `sleep(ms)` moves the engine's clock forward by ms (a step of its
// own, `CLOCK.ADVANCE`), so code can show what ten seconds later looks like without waiting;
// `restartRedis()` (a step too) restarts the engine as Redis restarts from its dump: the state is
// saved, every connection drops, the state is loaded back, and the code's clients reconnect as
// node-redis does (./redis.js `restartServer`). Both are steps, so a replay passes them at the
// same point and arrives at the same state.
import init, { Playground } from './pkg/redis_playground.js';
import * as redis from './redis.js';
import {
  formatReply, formatCommand, inspect, formatLogArgs, compareStated, blockingTimeoutMs,
} from './format.js';
// The simulated web stack (www/websim/) is loaded only by a lesson that uses it (see `usesWebsim`).
// The next two imports load nothing new (redis.js imports both): named here, they are fetched
// together with this file's own imports instead of one round trip later.
import './playground.js';
import './redis/commands.js';

const SOURCE = 'lesson.js';
const SOURCE_LINE = new RegExp(`${SOURCE.replace('.', '\\.')}:(\\d+):(\\d+)`);
const PARAMS = [
  'require', 'module', 'exports', 'getRedisClient', 'createClient', 'console', 'process', 'Date',
  'performance', 'User', 'Product', 'fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts',
  'postMessage', 'onmessage', 'close', 'onServer', 'afterLine', 'setTimeout', 'clearTimeout',
  'sleep', 'restartRedis',
];
const KEYSPACE_LIMIT = 500;
const PREVIEW_PAGE = 50;

// Real timers and clocks, kept before anything can shadow them.
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
const realNow = () => performance.now();

let pg = null;
let session = null;
let consoleClient = 0;
let inspectorClient = 0;
const commandInfo = new Map();
let lineOffset = 3;
let run = null;
let lastSettledKeys = null;

const post = (msg) => postMessage(msg);

// ---------------------------------------------------------------------------------------------
// Time: the course code measures time without the pauses the reader spends between steps, and
// its Date follows the engine's virtual clock (so timestamps and TTLs agree).
// ---------------------------------------------------------------------------------------------

/**
 * Runs player bookkeeping (stack captures, messages to the page) off the course code's clock:
 * what the code measures is its own time and the engine's, as it would be without the player.
 */
function offClock(fn) {
  const t0 = realNow();
  try {
    return fn();
  } finally {
    if (run && run.pausedAt === null) run.pausedTotal += realNow() - t0;
  }
}

function activeNow() {
  if (!run) return realNow();
  const paused = run.pausedAt !== null ? realNow() - run.pausedAt : 0;
  return realNow() - run.pausedTotal - paused;
}

/**
 * `setTimeout` for the course code, on the program's own time: a pause between steps does not
 * count, so a program that gives other tasks "a moment" (a subscriber's listener, say) gives it
 * to them however long the reader lingers on a step.
 */
function makeTimers() {
  const timers = new Map();
  let seq = 0;
  const set = (fn, ms, ...args) => {
    const id = ++seq;
    const wait = Math.max(0, Number(ms) || 0);
    const due = activeNow() + wait;
    const check = () => {
      if (!timers.has(id)) return;
      const left = due - activeNow();
      if (left > 0 || (run && run.pausedAt !== null)) {
        timers.set(id, realSetTimeout(check, Math.max(4, left)));
        return;
      }
      timers.delete(id);
      if (typeof fn === 'function') fn(...args);
    };
    timers.set(id, realSetTimeout(check, wait));
    return id;
  };
  const clear = (id) => {
    if (timers.has(id)) realClearTimeout(timers.get(id));
    timers.delete(id);
  };
  return { setTimeout: set, clearTimeout: clear };
}

/** Resolves once a client call made on a code line containing `text` has been answered. */
function afterLine(text) {
  return new Promise((resolve) => { run.lineWaiters.push({ text: String(text), resolve }); });
}

function lineAnswered(line) {
  const text = line ? run.lines[line - 1] ?? '' : '';
  if (!text || !run.lineWaiters.length) return;
  run.lineWaiters = run.lineWaiters.filter((w) => {
    if (!text.includes(w.text)) return true;
    w.resolve();
    return false;
  });
}

/** Ends a step the lesson process itself made (the clock, a restart): its reply and value. */
function finishStep(step, reply, value) {
  offClock(() => {
    step.reply = reply;
    step.ms = activeNow() - step.started;
    step.value = value;
    post({ type: 'reply', index: step.index, reply: step.reply, ms: step.ms });
    post({ type: 'value', index: step.index, value: step.value, stated: null, error: false });
  });
  lineAnswered(step.line);
}

/** Lets the code's clients, timers and listeners run what is now due. */
const yieldTurn = () => new Promise((resolve) => { realSetTimeout(resolve, 0); });

/**
 * `sleep(ms)` for the course code: `ms` milliseconds of virtual time pass at once (the engine's
 * clock moves forward, keys whose time came expire), as a step shown as `CLOCK.ADVANCE ms`.
 */
function virtualSleep(ms) {
  const wait = Math.max(0, Math.floor(Number(ms) || 0));
  const line = offClock(() => lessonLine(new Error().stack));
  return (async () => {
    if (run.websim?.capturing()) {
      clockOp('advance', wait);
      return;
    }
    const step = {
      kind: 'clock', client: 'virtual clock', clientId: null, argv: ['CLOCK.ADVANCE', String(wait)],
      cli: `CLOCK.ADVANCE ${wait}`, line,
    };
    await enterGate(step);
    clockOp('advance', wait);
    finishStep(step, `(integer) ${Math.floor(pg.now())}`, `undefined (${wait} ms of virtual time passed)`);
    await yieldTurn();
  })();
}

/**
 * `restartRedis()` for the course code: Redis stops after saving its dump and starts again from
 * it. Every connection drops (the code's clients emit 'error' and 'reconnecting'; the console's
 * and the inspector's connections are made again too), the saved state is loaded back, and the
 * code's clients reconnect (database and subscriptions again, 'connect', 'ready'). Resolves with
 * `{ bytes, clients }`: the size of the dump and the clients that reconnected.
 */
function restartRedis() {
  const line = offClock(() => lessonLine(new Error().stack));
  return (async () => {
    const step = {
      kind: 'restart', client: 'redis-server', clientId: null, argv: ['SHUTDOWN', 'SAVE'],
      cli: 'SHUTDOWN SAVE, then redis-server starts again and loads its dump', line,
    };
    if (!run.websim?.capturing()) await enterGate(step);
    const consoleDb = pg.clientDb(consoleClient);
    const result = await redis.restartServer(pg, {
      whileDown: () => {
        pg.closeClient(consoleClient);
        pg.closeClient(inspectorClient);
      },
    });
    consoleClient = pg.openClient('console');
    inspectorClient = pg.openClient('inspector');
    // A command still waiting for its reply (a BLPOP) went down with its connection.
    for (const s of run.steps) {
      if (s && s.kind === 'redis' && s.reply === undefined && s.blockMs !== null && s.index <= run.released) {
        s.reply = '(the connection dropped: Socket closed unexpectedly)';
        post({ type: 'reply', index: s.index, reply: s.reply, ms: s.ms ?? null });
      }
    }
    // redis-cli reconnects to the database it was using.
    if (consoleDb) pg.exec(consoleClient, ['SELECT', String(consoleDb)]);
    consoleSpeakers.clear();
    session?.pump();
    if (step.index) {
      finishStep(step, `dump saved: ${result.bytes} bytes · every connection dropped · dump loaded · ${result.clients} client${result.clients === 1 ? '' : 's'} reconnected`,
        inspect(result));
    }
    await yieldTurn();
    return result;
  })();
}

function makeDate() {
  const RealDate = Date;
  const now = () => Math.floor(pg.now());
  class VirtualDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() { return now(); }
  }
  return VirtualDate;
}

// ---------------------------------------------------------------------------------------------
// Lines of the course code
// ---------------------------------------------------------------------------------------------

function lessonLine(stack) {
  const m = SOURCE_LINE.exec(String(stack ?? ''));
  if (!m) return null;
  const line = Number(m[1]) - lineOffset;
  return line >= 1 ? line : null;
}

function compile(code) {
  // eslint-disable-next-line no-new-func
  const factory = new Function(...PARAMS, `return async function lesson() {\n${code}\n};\n//# sourceURL=${SOURCE}`);
  return factory;
}

function calibrate() {
  try {
    compile('throw new Error("probe");')()().catch((e) => {
      const m = SOURCE_LINE.exec(String(e.stack));
      if (m) lineOffset = Number(m[1]) - 1;
    });
  } catch {
    // Keep the default offset.
  }
}

async function syntaxErrorAt(code, error) {
  // `new Function` reports no position for a syntax error; a parser does.
  try {
    const acorn = await import('./vendor/acorn.mjs');
    acorn.parse(code, {
      ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
    });
  } catch (e) {
    if (e?.loc) return { message: `SyntaxError: ${e.message.replace(/ \(\d+:\d+\)$/, '')}`, line: e.loc.line, column: e.loc.column + 1 };
  }
  return { message: String(error), line: null, column: null };
}

/**
 * The position of a dynamic `import()` in the code, if any: the one way left for the course code
 * to load something (the worker's fetch and friends are gone), refused before it runs.
 */
async function importExpressionAt(code) {
  if (!/\bimport\s*\(/.test(code)) return null;
  const acorn = await import('./vendor/acorn.mjs');
  const ast = acorn.parse(code, {
    ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true, locations: true,
  });
  let found = null;
  const visit = (node) => {
    if (found || !node || typeof node.type !== 'string') return;
    if (node.type === 'ImportExpression') {
      found = { line: node.loc.start.line, column: node.loc.start.column + 1 };
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && typeof value.type === 'string') visit(value);
    }
  };
  visit(ast);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

function publicStep(s) {
  return {
    index: s.index, kind: s.kind, line: s.line, client: s.client ?? null, clientId: s.clientId ?? null,
    cli: s.cli ?? null, label: s.label ?? null, reply: s.reply ?? null, value: s.value ?? null,
    ms: s.ms ?? null, deadline: s.deadline ?? null, blockMs: s.blockMs ?? null, stated: s.stated ?? null,
    error: s.error ?? null,
  };
}

function holds(index) {
  if (run.mode === 'step') return true;
  if (run.mode === 'run') return false;
  if (index > run.mode) {
    run.mode = 'step';
    return true;
  }
  return false;
}

async function enterGate(step, t0 = realNow()) {
  // One step held at a time: a step that arrives while another is held (the lesson process's
  // own steps and the database's do not queue behind the clients' commands) waits for its turn.
  while (run.held) await run.held;
  step.index = ++run.gates;
  run.steps[step.index] = step;
  post({ type: 'gate', step: publicStep(step) });
  applyActions(step.index - 1);
  if (holds(step.index)) {
    run.status = 'paused';
    run.pausedAt = t0;
    keepSnapshot(step.index - 1);
    // A call already answered but not yet settled (another client's step overtook its
    // promise): let it settle first, so that the paused state shows its value.
    if (run.calls.some((c) => c.steps.some((s) => s.reply !== undefined))) {
      await new Promise((resolve) => { realSetTimeout(resolve, 0); });
    }
    postState();
    let turnOver;
    run.held = new Promise((resolve) => { turnOver = resolve; });
    await new Promise((resolve) => { run.release = resolve; });
    run.held = null;
    turnOver();
    run.pausedTotal += realNow() - run.pausedAt;
    run.pausedAt = null;
    t0 = realNow();
  }
  run.released = step.index;
  run.status = 'running';
  const released = step.index;
  realSetTimeout(() => idleCheck(released), 0);
  run.pausedTotal += realNow() - t0;
  step.started = activeNow();
}

/** After a step was let go: if the code has not reached another step yet, say why. */
function idleCheck(released) {
  if (!run || run.released !== released || run.gates !== released) return;
  if (run.status === 'done' || run.status === 'error') return;
  const step = run.steps[released];
  run.status = step.kind === 'redis' && step.reply === undefined && step.blockMs !== null ? 'blocked' : 'running';
  if (run.status === 'blocked') {
    applyActions(released);
    if (run.status !== 'blocked') return;
  }
  postState();
}

function applyActions(at) {
  for (const action of run.actions) {
    if (action.at !== at || action.applied) continue;
    action.applied = true;
    if (action.type === 'exec') execLine(action.client, action.line);
    else if (action.type === 'clock') clockOp(action.op, action.ms);
    else if (action.type === 'import') importScript(action.text);
  }
}

function statedFor(line, kind) {
  if (!line || !run.lines[line - 1]) return null;
  const text = run.lines[line - 1];
  return run.stated.find((s) => (s.kind ?? 'log') === kind && text.includes(s.at)) ?? null;
}

function judge(entry, actual) {
  const { equal, sameMembers } = compareStated(entry.expect, actual, entry.compare ?? 'deep');
  let realJson = null;
  try {
    realJson = JSON.stringify(actual === undefined ? null : actual);
  } catch {
    // A value JSON cannot hold (a BigInt, a cycle): shown, not exported.
  }
  return {
    text: entry.text, equal, sameMembers, note: entry.note ?? null, real: inspect(actual), realJson,
  };
}

// ---------------------------------------------------------------------------------------------
// Clients handed to the course code
// ---------------------------------------------------------------------------------------------

function claimCall(clientId) {
  const open = run.calls;
  let call = open.find((c) => c.steps.length === 0 && (c.owner.id === null || c.owner.id === clientId));
  if (!call) call = [...open].reverse().find((c) => c.owner.id === clientId);
  if (call && call.owner.id === null) call.owner.id = clientId;
  return call ?? null;
}

function settleCall(call, value, error) {
  run.calls = run.calls.filter((c) => c !== call);
  if (error && typeof error === 'object' && !run.rejected.has(error)) run.rejected.set(error, call.line);
  const step = call.steps[call.steps.length - 1];
  if (!step) return;
  if (error) {
    step.value = `Promise rejected: ${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
    step.error = true;
  } else {
    step.value = value === call.owner.target ? `[${call.owner.label}]` : inspect(value);
    const entry = statedFor(call.line, 'value');
    if (entry) step.stated = judge(entry, value);
  }
  post({ type: 'value', index: step.index, value: step.value, stated: step.stated ?? null, error: !!step.error });
}

function wrap(target, owner) {
  const proxy = new Proxy(target, {
    get(obj, prop) {
      const member = Reflect.get(obj, prop, obj);
      if (typeof member !== 'function' || typeof prop === 'symbol' || prop === 'constructor') return member;
      return function tracked(...args) {
        const call = offClock(() => ({ method: prop, line: lessonLine(new Error().stack), steps: [], owner }));
        run.calls.push(call);
        let result;
        try {
          result = member.apply(obj, args);
        } catch (e) {
          run.calls = run.calls.filter((c) => c !== call);
          throw e;
        }
        if (result === obj) {
          run.calls = run.calls.filter((c) => c !== call);
          return proxy;
        }
        if (result && typeof result.then === 'function') {
          return result.then((value) => {
            offClock(() => settleCall(call, value, null));
            return value === obj ? proxy : value;
          }, (error) => {
            offClock(() => settleCall(call, undefined, error));
            throw error;
          });
        }
        run.calls = run.calls.filter((c) => c !== call);
        // A command chain (multi()) shares its client's identity.
        if (result && typeof result === 'object' && typeof result.exec === 'function') {
          return wrap(result, owner);
        }
        return result;
      };
    },
  });
  owner.target = target;
  return proxy;
}

/** The client the lesson declares for one created on `line` (of the code) on `server`. */
function declaredClient(line, server) {
  const text = line ? run.lines[line - 1] ?? '' : '';
  if (!text) return null;
  return run.declared.find((c) => c.at && text.includes(c.at) && (c.server ?? null) === server) ?? null;
}

function newClient(options, label, scope) {
  const client = redis.createClient({ ...(options ?? {}), playground: pg });
  const line = lessonLine(new Error().stack);
  const declared = declaredClient(line, scope.server);
  const owner = {
    id: null, label: declared?.label ?? (scope.server ? `${scope.server}: ${label}` : label), target: client,
    pane: declared?.label ?? null, server: scope.server, line, closed: false, former: [],
  };
  run.owners.push(owner);
  // The engine's id is known once connected; from then on steps and messages name the client.
  // A client that reconnected (a restart) has a new id: its earlier ones keep naming it.
  client.on('connect', () => {
    if (owner.id !== null && owner.id !== client.playgroundClientId) owner.former.push(owner.id);
    owner.id = client.playgroundClientId;
    owner.closed = false;
  });
  client.on('end', () => { owner.closed = true; });
  return wrap(client, owner);
}

function clientLabel(clientId) {
  const owner = run?.owners.find((o) => o.id === clientId || o.former.includes(clientId));
  if (owner) return owner.label;
  if (clientId === consoleClient) return 'console';
  return `client ${clientId}`;
}

// ---------------------------------------------------------------------------------------------
// The simulated database (Mongoose-like models over the lesson's documents)
// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => { realSetTimeout(resolve, ms); });

function matches(doc, filter) {
  return Object.entries(filter ?? {}).every(([k, v]) => String(doc[k]) === String(v));
}

class Query {
  constructor(label, line, fn) {
    this.label = label;
    this.line = line;
    this.fn = fn;
    this.promise = null;
  }

  lean() { this.label += '.lean()'; return this; }

  select(fields) { this.label += `.select(${inspect(fields)})`; return this; }

  exec() { return this.run(); }

  then(resolve, reject) { return this.run().then(resolve, reject); }

  catch(reject) { return this.run().catch(reject); }

  run() {
    this.promise ??= (async () => {
      // A query made by a panel's request after the program ended is not a step either.
      if (run.websim?.capturing()) {
        await sleep(run.latency);
        return this.fn();
      }
      const step = { kind: 'db', label: this.label, line: this.line };
      await enterGate(step, realNow());
      await sleep(run.latency);
      const result = this.fn();
      step.ms = activeNow() - step.started;
      offClock(() => {
        step.reply = `simulated database: ${step.ms.toFixed(1)} ms`;
        step.value = inspect(result);
        post({ type: 'reply', index: step.index, reply: step.reply, ms: step.ms });
        post({ type: 'value', index: step.index, value: step.value, stated: null, error: false });
      });
      return result;
    })();
    return this.promise;
  }
}

function makeModel(name, docs) {
  const rows = (docs ?? []).map((d) => structuredClone(d));
  const copy = (d) => (d ? structuredClone(d) : null);
  const caller = () => lessonLine(new Error().stack);
  const update = (doc, change) => {
    const set = change?.$set ?? Object.fromEntries(Object.entries(change ?? {}).filter(([k]) => !k.startsWith('$')));
    Object.assign(doc, set);
    for (const [k, v] of Object.entries(change?.$inc ?? {})) doc[k] = (Number(doc[k]) || 0) + v;
  };
  return {
    modelName: name,
    findById: (id) => new Query(`${name}.findById(${inspect(id)})`, caller(),
      () => copy(rows.find((r) => String(r._id) === String(id)))),
    findOne: (filter) => new Query(`${name}.findOne(${inspect(filter ?? {})})`, caller(),
      () => copy(rows.find((r) => matches(r, filter)))),
    find: (filter) => new Query(`${name}.find(${inspect(filter ?? {})})`, caller(),
      () => rows.filter((r) => matches(r, filter)).map(copy)),
    countDocuments: (filter) => new Query(`${name}.countDocuments(${inspect(filter ?? {})})`, caller(),
      () => rows.filter((r) => matches(r, filter)).length),
    findByIdAndUpdate: (id, change, options) => new Query(
      `${name}.findByIdAndUpdate(${inspect(id)}, ${inspect(change)}${options ? `, ${inspect(options)}` : ''})`, caller(),
      () => {
        const doc = rows.find((r) => String(r._id) === String(id));
        if (!doc) return null;
        const before = copy(doc);
        update(doc, change);
        return options?.new ? copy(doc) : before;
      },
    ),
    create: (doc) => new Query(`${name}.create(${inspect(doc)})`, caller(), () => {
      const row = { _id: String(rows.length + 1), ...structuredClone(doc) };
      rows.push(row);
      return copy(row);
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The environment the course code sees
// ---------------------------------------------------------------------------------------------

function makeConsole(server) {
  const timers = new Map();
  const log = (level, args) => offClock(() => {
    const line = lessonLine(new Error().stack);
    const text = formatLogArgs(args);
    const entry = level === 'log' || level === 'info' ? statedFor(line, 'log') : null;
    const stated = entry ? judge(entry, args.length === 1 ? args[0] : text) : null;
    post({ type: 'log', level, text, line, after: run.released, stated, origin: server });
  });
  const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(3)}s` : `${t.toFixed(3)}ms`);
  return {
    log: (...a) => log('log', a),
    info: (...a) => log('info', a),
    debug: (...a) => log('log', a),
    warn: (...a) => log('warn', a),
    error: (...a) => log('error', a),
    dir: (v) => log('log', [v]),
    table: (v) => log('log', [v]),
    time(label = 'default') { timers.set(String(label), activeNow()); },
    timeLog(label = 'default', ...rest) {
      const t = timers.get(String(label));
      if (t === undefined) return log('warn', [`Warning: No such label '${label}' for console.timeLog()`]);
      return log('log', [`${label}: ${ms(activeNow() - t)}`, ...rest]);
    },
    timeEnd(label = 'default') {
      const t = timers.get(String(label));
      if (t === undefined) return log('warn', [`Warning: No such label '${label}' for console.timeEnd()`]);
      timers.delete(String(label));
      return log('log', [`${label}: ${ms(activeNow() - t)}`]);
    },
  };
}

function makeModels(lesson) {
  const models = {};
  for (const [name, docs] of Object.entries(lesson.db ?? {})) models[name] = makeModel(name, docs);
  models.User ??= makeModel('User', []);
  models.Product ??= makeModel('Product', []);
  return models;
}

/**
 * What one process sees: the main program (`server` null) or a declared server. The simulated
 * database (`models`) is the same for all, as one database serves every app server.
 */
function makeEnvironment(lesson, models, server = null) {
  const serverEnv = server ? (lesson.servers ?? []).find((s) => s.name === server)?.env : null;
  const env = {
    REDIS_URL: 'redis://localhost:6379', NODE_ENV: 'development', ...(lesson.env ?? {}), ...(serverEnv ?? {}),
  };
  const scope = { server };
  let shared = null;
  const getRedisClient = () => {
    shared ??= (async () => {
      const client = newClient({ url: env.REDIS_URL }, 'getRedisClient()', scope);
      await client.connect();
      return client;
    })();
    return shared;
  };
  let created = 0;
  const createClient = (options) => {
    created += 1;
    return newClient(options, `createClient() #${created}`, scope);
  };
  const module = { exports: {} };
  const modules = {
    redis: {
      createClient, commandOptions: redis.commandOptions, WatchError: redis.WatchError, ErrorReply: redis.ErrorReply,
      MultiErrorReply: redis.MultiErrorReply,
    },
    './config/redis': { getRedisClient, createClient },
    '../config/redis': { getRedisClient, createClient },
    './models/User': models.User,
    './models/Product': models.Product,
    mongoose: { model: (name) => models[name] ?? makeModel(name, []) },
  };
  const require = (name) => {
    const found = modules[String(name).replace(/\.js$/, '')];
    if (found) return found;
    const error = new Error(`Cannot find module '${name}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  };
  run.mainModule ??= module;
  require.main = run.mainModule;
  const performanceShim = { now: () => activeNow(), timeOrigin: performance.timeOrigin };
  const lessonConsole = makeConsole(server);
  // The simulated web stack (express, express-session, connect-redis, ./browser): www/websim/.
  if (run.createWebsim) run.websim = run.createWebsim({
    now: () => Math.floor(pg.now()), env, setTimeout: realSetTimeout, clearTimeout,
    callerLine: () => offClock(() => lessonLine(new Error().stack)),
    logError: (e) => lessonConsole.error(e instanceof Error ? String(e.stack ?? e) : e),
    clock: {
      isFrozen: () => pg.isFrozen(), freeze: () => clockOp('freeze'), resume: () => clockOp('resume'),
      set: (ms) => clockOp('set', ms), advance: (ms) => clockOp('advance', ms),
    },
    ready: () => {
      if (run.status !== 'done' && run.status !== 'error') throw new Error('the program is still running: let it finish (Run to end) first');
    },
  });
  if (run.websim) Object.assign(modules, run.websim.modules);
  return {
    require, module, exports: module.exports, getRedisClient, createClient,
    console: lessonConsole, process: { env, argv: ['node', 'lesson.js'], platform: 'linux', version: 'v20.0.0' },
    Date: makeDate(), performance: performanceShim, User: models.User, Product: models.Product,
    onServer: (name) => loadServer(lesson, models, name), afterLine, ...run.timers,
    sleep: virtualSleep, restartRedis,
  };
}

/** The lesson's code loaded as server `name`'s module (once per run): its `module.exports`. */
function loadServer(lesson, models, name) {
  const known = (lesson.servers ?? []).map((s) => s.name);
  if (!known.includes(name)) {
    return Promise.reject(new Error(`No server '${name}' here: the lesson has ${known.length ? known.map((n) => `'${n}'`).join(', ') : 'none'}`));
  }
  let loading = run.servers.get(name);
  if (!loading) {
    const env = makeEnvironment(lesson, models, name);
    loading = (async () => {
      await run.factory(...PARAMS.map((p) => env[p]))();
      return env.module.exports;
    })();
    run.servers.set(name, loading);
  }
  return loading;
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/**
 * Whether a lesson needs the simulated web stack: it has request panels or app servers, or its
 * code names one of the modules the stack provides (`require('express')` and the like).
 */
function usesWebsim(lesson) {
  if (lesson.panels?.length || lesson.servers?.length) return true;
  return /(['"`])(express|express-session|connect-redis|\.\/browser)(\.js)?\1/.test(lesson.code);
}

async function start(data) {
  const lesson = data.lesson;
  run = {
    lines: lesson.code.split('\n'), stated: lesson.stated ?? [], latency: Math.max(0, Number(data.latency) || 0),
    gates: 0, released: 0, mode: data.mode ?? 'step', release: null, steps: [], calls: [], owners: [],
    status: 'starting', actions: (data.actions ?? []).map((a) => ({ ...a, applied: false })),
    pausedAt: null, pausedTotal: 0, rejected: new WeakMap(), held: null,
    declared: lesson.clients ?? [], servers: new Map(), mainModule: null, factory: null, lineWaiters: [],
    timers: makeTimers(),
    engineState: data.engineState instanceof Uint8Array ? data.engineState : null,
    snaps: [], viewing: null, diverged: false, createWebsim: null,
  };
  let factory;
  try {
    factory = compile(lesson.code);
    run.factory = factory;
    const dynamicImport = await importExpressionAt(lesson.code);
    if (dynamicImport) {
      run.status = 'error';
      post({ type: 'end', ok: false, error: { message: 'Error: import() is not available here: the lesson process loads nothing', ...dynamicImport } });
      postState();
      return;
    }
  } catch (e) {
    run.status = 'error';
    post({ type: 'end', ok: false, error: await syntaxErrorAt(lesson.code, e) });
    postState();
    return;
  }
  if (usesWebsim(lesson)) {
    try {
      run.createWebsim = (await import('./websim/index.js')).createWebsim;
    } catch (e) {
      run.status = 'error';
      post({ type: 'end', ok: false, error: { message: `the simulated web stack failed to load: ${e}`, line: null } });
      postState();
      return;
    }
  }
  const env = makeEnvironment(lesson, makeModels(lesson));
  let program;
  try {
    program = factory(...PARAMS.map((p) => env[p]));
  } catch (e) {
    run.status = 'error';
    post({ type: 'end', ok: false, error: { message: String(e), line: lessonLine(e?.stack) } });
    postState();
    return;
  }
  run.status = 'running';
  try {
    await program();
    run.status = 'done';
    post({ type: 'end', ok: true });
  } catch (e) {
    run.status = 'error';
    const message = e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${inspect(e)}`;
    const line = lessonLine(e?.stack) ?? (e && typeof e === 'object' ? run.rejected.get(e) ?? null : null);
    post({ type: 'end', ok: false, error: { message, line } });
  }
  applyActions(run.released);
  keepSnapshot(run.released);
  postState();
}

function release(mode) {
  if (!run) return;
  if (mode) run.mode = mode;
  const resolve = run.release;
  run.release = null;
  if (resolve) resolve();
}

// ---------------------------------------------------------------------------------------------
// The engine as the page sees it: keyspace, console, clock
// ---------------------------------------------------------------------------------------------

function keySignature(k) {
  return JSON.stringify([k.type, k.preview, k.ttl >= 0]);
}

function snapshot(db, settled) {
  const space = pg.keyspace(db, KEYSPACE_LIMIT);
  let changed = null;
  let removed = null;
  if (settled) {
    const now = new Map(space.keys.map((k) => [k.name, keySignature(k)]));
    if (typeof pg.takeEvents === 'function') {
      // The engine's own log of what changed (every write raises an event, even one that
      // leaves the value as it was, like LTRIM 0 99 of a short list).
      const events = pg.takeEvents().filter((e) => e.db === db && e.event !== 'keymiss');
      changed = [...new Set(events.map((e) => e.key))].filter((k) => now.has(k));
    } else if (lastSettledKeys) {
      changed = [...now].filter(([name, sig]) => lastSettledKeys.get(name) !== sig).map(([name]) => name);
    } else {
      changed = [...now.keys()];
    }
    removed = lastSettledKeys ? [...lastSettledKeys.keys()].filter((k) => !now.has(k)) : [];
    lastSettledKeys = now;
  }
  return { space, changed, removed };
}

let viewDb = 0;

/** The channels and patterns a client is subscribed to (as node-redis keeps them). */
function subscriptionsOf(client) {
  try {
    return [...client.getPubSubListeners('CHANNELS').keys(), ...client.getPubSubListeners('PATTERNS').keys()].map(String);
  } catch {
    return [];
  }
}

/** The engine's command list, still to be sent to the page (after the first settled state). */
let commandsToSend = null;

function postState() {
  const settled = !run || run.status !== 'running';
  if (settled && run?.engineState) loadSavedEngine();
  const viewing = run?.viewing ?? null;
  const { space, changed, removed } = snapshot(viewDb, settled);
  const blocked = run ? run.steps.filter((s) => s && s.kind === 'redis' && s.reply === undefined && s.blockMs !== null && s.index <= run.released)
    .map((s) => ({ index: s.index, client: s.client, clientId: s.clientId, deadline: s.deadline })) : [];
  const clients = run ? run.owners.filter((o) => o.id !== null).flatMap((o) => [
    // The connections a client had before it reconnected: closed, still its own (its pane).
    ...o.former.map((id) => ({ id, label: o.label, pane: o.pane, server: o.server, closed: true, db: null, subscriptions: [] })),
    {
      id: o.id, label: o.label, pane: o.pane, server: o.server, closed: o.closed, db: o.closed ? null : pg.clientDb(o.id),
      subscriptions: subscriptionsOf(o.target),
    },
  ]) : [];
  post({
    type: 'state',
    status: viewing !== null ? 'paused' : run?.status ?? 'idle',
    released: viewing ?? run?.released ?? 0,
    live: run?.released ?? 0,
    gates: run?.gates ?? 0,
    keyspace: space,
    changed,
    removed,
    clock: { now: pg.now(), frozen: pg.isFrozen() },
    blocked,
    clients,
  });
  if (settled && commandsToSend) {
    const commands = commandsToSend;
    commandsToSend = null;
    realSetTimeout(() => post({ type: 'commands', commands: commandList(commands) }), 0);
  }
  if (settled && run) warmUp();
}

// ---------------------------------------------------------------------------------------------
// Time travel: the engine state of every step the code has reached, kept as O(1) snapshots
// ---------------------------------------------------------------------------------------------

/** Commands after which a step's connections are not what they were at an earlier step. */
const CONNECTION_STATE = new Set([
  'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'select',
  'multi', 'exec', 'discard', 'watch', 'unwatch', 'reset', 'quit', 'client', 'hello', 'auth',
  'clock.advance', 'clock.set', 'clock.freeze', 'clock.resume',
]);

/** Takes the snapshot of the engine at step `index` (the code paused there, or finished). */
function keepSnapshot(index, { again = false } = {}) {
  if (typeof pg.snapshot !== 'function' || (!again && run.snaps[index] !== undefined)) return;
  if (run.snaps[index] !== undefined) pg.dropSnapshot(run.snaps[index]);
  run.snaps[index] = pg.snapshot();
}

/**
 * Shows the engine as it was at step `to` of the code's run (at most the step the code has
 * reached): the snapshot of that step is restored, in O(1), and restoring the latest one brings
 * the run back to where the code is paused, so Next goes on from there. The code itself does not
 * move, so this is refused (and the page replays instead, which gives the same state) where a
 * step between changed more than keys: a connection's state (subscriptions, database,
 * transaction, watches), a blocked command, several clients or servers, the clock moved by the
 * code, or the reader acted on the engine while looking back.
 */
function view(to) {
  if (!run || typeof pg.restore !== 'function') return false;
  if (!Number.isInteger(to) || to < 0 || to > run.released) return false;
  if (run.status !== 'paused' && run.status !== 'done') return false;
  if (run.diverged || run.snaps[to] === undefined || run.snaps[run.released] === undefined) return false;
  if (run.declared.some((c) => c.at) || run.servers.size > 0) return false;
  for (let i = to + 1; i <= run.released; i++) {
    const step = run.steps[i];
    if (!step || step.kind !== 'redis') continue;
    if (step.blockMs !== null || CONNECTION_STATE.has(String(step.argv[0]).toLowerCase())) return false;
  }
  pg.restore(run.snaps[to]);
  run.viewing = to === run.released ? null : to;
  lastSettledKeys = null;
  return true;
}

/**
 * A saved page's engine image, loaded once the replay has brought the code back to the saved
 * step: the code's own variables can only come back by running it, the keyspace and the clock
 * come back exactly as they were saved. A damaged image leaves the engine as the replay made it
 * and is reported to the page, which sets it aside.
 */
function loadSavedEngine() {
  const bytes = run.engineState;
  run.engineState = null;
  const result = pg.loadState(bytes);
  post({ type: 'restored', ok: !result?.error, error: result?.error ?? null, bytes: bytes.length });
  lastSettledKeys = null;
}

/** Runs a redis-cli script (an exported keyspace) as a client of its own. */
function importScript(text) {
  const result = pg.importScript(String(text));
  lastSettledKeys = null;
  return result;
}

/**
 * redis-cli's text for a reply. The JS value cannot tell a status reply from a bulk string, so
 * the engine's own text is preferred where it can give it (`replyText`, the last reply of that
 * client), as long as it is the text of this reply (same text but for the quotes).
 */
function replyText(clientId, reply, argv) {
  const mine = formatReply(reply, argv);
  const engine = typeof pg.replyText === 'function' ? pg.replyText(clientId) : undefined;
  if (typeof engine === 'string' && engine.replaceAll('"', '') === mine.replaceAll('"', '')) return engine;
  return mine;
}

/** Clients the console has spoken as, with the argv of their last command. */
const consoleSpeakers = new Map();

function execLine(client, line) {
  const id = typeof client === 'number' && client > 0 ? client : consoleClient;
  consoleSpeakers.set(id, line.trim().split(/\s+/));
  const text = pg.execLine(id, line);
  session?.pump();
  return { text, db: pg.clientDb(id), blocked: text === '' && line.trim() !== '' };
}

function clockOp(op, ms) {
  if (op === 'freeze') pg.freeze();
  else if (op === 'resume') pg.resume();
  else if (op === 'advance') pg.advance(Number(ms));
  else if (op === 'set') pg.setTime(Number(ms));
  pg.tick();
  session?.pump();
}

function pageOf({ db, key, kind, offset, count }) {
  if (typeof pg.keyPage === 'function') {
    const page = pg.keyPage(db, key, Math.max(0, offset | 0), Math.max(1, Math.min(count | 0 || PREVIEW_PAGE, 1000)));
    if (page && !page.error) return page.type === 'string' ? { text: page.text } : { items: page.items };
  }
  const c = inspectorClient;
  pg.exec(c, ['SELECT', String(db)]);
  const start = Math.max(0, offset | 0);
  const n = Math.max(1, Math.min(count | 0 || PREVIEW_PAGE, 1000));
  const stop = String(start + n - 1);
  switch (kind) {
    case 'string': return { text: pg.exec(c, ['GETRANGE', key, String(start), stop]) };
    case 'list': return { items: pg.exec(c, ['LRANGE', key, String(start), stop]) };
    case 'zset': return { items: pg.exec(c, ['ZRANGE', key, String(start), stop, 'WITHSCORES']) };
    case 'hash': {
      const all = pg.exec(c, ['HGETALL', key]);
      return { items: Array.isArray(all) ? all.slice(start * 2, (start + n) * 2) : [] };
    }
    case 'set': {
      const all = pg.exec(c, ['SMEMBERS', key]);
      return { items: Array.isArray(all) ? all.slice(start, start + n) : [] };
    }
    default: return { items: [] };
  }
}

function commandList(commands) {
  return commands.map((c) => ({
    name: c.name, usage: c.usage, summary: c.summary, since: c.since, group: c.group, arity: c.arity,
    subcommands: c.subcommands.map((s) => ({ name: s.name, usage: s.usage, summary: s.summary, since: s.since, group: s.group })),
  }));
}

/**
 * The engine instantiated, with its command list: started by `prepare` as soon as the page has
 * compiled the module (before the page itself is ready, or while a spare process waits for its
 * turn), else by the boot itself.
 */
let prepared = null;
function prepare(module) {
  prepared ??= (async () => {
    await init({ module_or_path: module });
    const engine = new Playground();
    const commands = engine.commands();
    return { engine, commands };
  })();
  return prepared;
}

/**
 * The browser compiles the engine's functions lazily, each on its first call: the first command
 * of a kind pays for compiling what it runs. Once the lesson's first state is out, a scratch
 * engine runs the course's kinds of commands, a few per task (so that a click never waits long
 * behind it), and the reader's next steps find that code compiled. It shares nothing with the
 * real engine but the code.
 */
const WARM_UP = [
  ['SET', 'w:s', '1'], ['GET', 'w:s'], ['INCR', 'w:s'], ['EXPIRE', 'w:s', '60'], ['TTL', 'w:s'],
  ['HSET', 'w:h', 'a', '1', 'b', 'x'], ['HGET', 'w:h', 'a'], ['HGETALL', 'w:h'], ['HINCRBY', 'w:h', 'a', '1'],
  ['HDEL', 'w:h', 'b'], ['LPUSH', 'w:l', 'a', 'b'], ['RPUSH', 'w:l', 'c'], ['LRANGE', 'w:l', '0', '-1'],
  ['LTRIM', 'w:l', '0', '9'], ['LPOP', 'w:l'], ['LLEN', 'w:l'], ['SADD', 'w:a', 'x', 'y'], ['SADD', 'w:b', 'y'],
  ['SMEMBERS', 'w:a'], ['SISMEMBER', 'w:a', 'x'], ['SINTER', 'w:a', 'w:b'], ['SREM', 'w:a', 'x'],
  ['SCARD', 'w:a'], ['ZADD', 'w:z', '1', 'a', '2', 'b'], ['ZINCRBY', 'w:z', '5', 'a'],
  ['ZREVRANGE', 'w:z', '0', '9', 'WITHSCORES'], ['ZREVRANK', 'w:z', 'a'], ['ZSCORE', 'w:z', 'b'],
  ['EXISTS', 'w:s'], ['TYPE', 'w:h'], ['SCAN', '0'], ['DEL', 'w:s'],
];
let warmedUp = false;
function warmUp() {
  if (warmedUp) return;
  warmedUp = true;
  let scratch = null;
  let client = 0;
  let next = 0;
  const end = () => {
    try {
      scratch?.free();
    } catch {
      // Only ever an optimisation.
    }
    scratch = null;
  };
  const chunk = () => {
    try {
      if (!scratch) {
        scratch = new Playground();
        client = scratch.openClient('warm-up');
      }
      for (const stop = next + 4; next < stop && next < WARM_UP.length; next++) scratch.exec(client, WARM_UP[next]);
    } catch {
      end();
      return;
    }
    if (next < WARM_UP.length) realSetTimeout(chunk, 0);
    else end();
  };
  realSetTimeout(chunk, 0);
}

async function boot(data) {
  const { engine, commands } = await prepare(data.module);
  pg = engine;
  if (data.clock) {
    // Frozen first, then set: setting a running clock and freezing it after would let a few
    // microseconds pass between, enough to cross a millisecond and change what Date.now() gives.
    if (data.clock.frozen) pg.freeze();
    pg.setTime(data.clock.now);
  }
  if (typeof pg.recordEvents === 'function') pg.recordEvents(true);
  if (typeof pg.keepReplyText === 'function') pg.keepReplyText(true);
  consoleClient = pg.openClient('console');
  inspectorClient = pg.openClient('inspector');
  for (const c of commands) commandInfo.set(c.name, c);
  redis.setPlayground?.(pg);
  session = redis.getSession?.() ?? null;
  // What reaches the console's clients later (the reply of a command that blocked, pub/sub
  // messages) is shown in the console as redis-cli would print it.
  session?.observe?.((client, reply, push) => {
    // A message pushed to one of the course code's clients goes to its pane.
    if (push && run) {
      const owner = run.owners.find((o) => o.id === client);
      if (owner) {
        offClock(() => post({
          type: 'delivery', clientId: client, client: owner.label, text: formatReply(reply, null),
          parts: Array.isArray(reply) ? reply.map((x) => (typeof x === 'string' ? x : inspect(x))) : null,
          after: run.released,
        }));
      }
    }
    if (!consoleSpeakers.has(client)) return;
    post({
      type: 'console', client: client === consoleClient ? 0 : client, push,
      text: formatReply(reply, push ? null : consoleSpeakers.get(client)),
    });
  });
  redis.setCommandGate(async ({ clientId, argv }) => {
    if (!run) return;
    // A request from a panel after the program ended: its commands are not steps.
    if (run.websim?.capturing()) {
      run.websim.sent(argv);
      return;
    }
    const t0 = realNow();
    const call = claimCall(clientId);
    const stackLine = call?.line ? null : lessonLine(new Error().stack);
    const name = String(argv[0]).toLowerCase();
    const info = commandInfo.get(name);
    const step = {
      kind: 'redis', clientId, client: clientLabel(clientId), argv: argv.map(String), cli: formatCommand(argv),
      line: call?.line ?? stackLine ?? run.websim?.line() ?? null, blockMs: blockingTimeoutMs(argv, info?.usage),
    };
    if (call) call.steps.push(step);
    await enterGate(step, t0);
    if (step.blockMs !== null) step.deadline = step.blockMs > 0 ? pg.now() + step.blockMs : 0;
  });
  redis.setCommandObserver(({ clientId, argv, reply }) => offClock(() => {
    if (!run) return;
    if (run.websim?.capturing()) run.websim.replied(argv, replyText(clientId, reply, argv));
    const step = run.steps.find((s) => s && s.kind === 'redis' && s.clientId === clientId && s.reply === undefined
      && s.argv.length === argv.length && s.argv.every((a, i) => a === String(argv[i])));
    if (!step) return;
    step.reply = replyText(clientId, reply, argv);
    step.ms = activeNow() - step.started;
    post({ type: 'reply', index: step.index, reply: step.reply, ms: step.ms });
    lineAnswered(step.line);
  }));
  calibrate();
  // The course code has no business on the network.
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts']) {
    try {
      Object.defineProperty(self, name, { value: undefined, configurable: false, writable: false });
    } catch {
      // Not present in this worker.
    }
  }
  // The page needs the command list once (the console's help and completion), not per restart,
  // and not before the lesson's first state: it follows that state (see postState).
  commandsToSend = data.commands === false ? null : commands;
  post({ type: 'ready' });
}

self.addEventListener('unhandledrejection', (event) => {
  const e = event.reason;
  post({ type: 'log', level: 'error', text: `Unhandled rejection: ${e instanceof Error ? `${e.name}: ${e.message}` : inspect(e)}`, line: lessonLine(e?.stack), after: run?.released ?? 0, stated: null });
  event.preventDefault();
});

const handlers = {
  async prepare(data) {
    await prepare(data.module);
  },
  async boot(data) {
    await boot(data);
    if (data.lesson) start(data);
    else postState();
  },
  next() { release(); },
  continue() { release('run'); },
  exec(data) { return execLine(data.client, data.line); },
  clock(data) { clockOp(data.op, data.ms); },
  refresh(data) {
    if (typeof data.db === 'number' && data.db !== viewDb) {
      viewDb = data.db;
      lastSettledKeys = null;
    }
    if (typeof data.latency === 'number' && run) run.latency = Math.max(0, data.latency);
  },
  page(data) { return pageOf(data); },
  websim(data) {
    if (!run?.websim) throw new Error('no lesson is running');
    return run.websim.handle(data);
  },
  view(data) { return view(data.to); },
  save() { return pg.saveState(); },
  export() { return pg.exportScript(); },
  import(data) { return importScript(data.text); },
};

/** Messages that change nothing the page shows. */
const QUIET = new Set(['prepare', 'boot', 'next', 'continue', 'page', 'save', 'export']);

// Messages are handled one after another, so that one sent right after boot (say `continue`)
// finds the run it is meant for.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};

/** Messages by which the reader changes the engine (recorded by the page as actions). */
const ACTIONS = new Set(['exec', 'clock', 'import', 'websim']);

async function handle(data) {
  const handler = handlers[data?.type];
  if (!handler) return;
  try {
    const result = await handler(data);
    if (run && ACTIONS.has(data.type)) {
      if (run.viewing !== null) run.diverged = true;
      else if (run.snaps[run.released] !== undefined) keepSnapshot(run.released, { again: true });
    }
    if (data.id !== undefined) post({ type: 'result', id: data.id, result });
    if (!QUIET.has(data.type)) {
      realSetTimeout(postState, 0);
    }
  } catch (e) {
    if (data.id !== undefined) post({ type: 'result', id: data.id, error: String(e?.stack ?? e) });
    else post({ type: 'fatal', error: String(e?.stack ?? e) });
  }
}
