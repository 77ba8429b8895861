// Runs a lesson's code (www/lessons/*.json) in Node, the way the lesson process runs it: as the
// body of an async function, with `require` answering the modules it asks for, `console.log`
// captured (each call's arguments kept as values), `process.env` from the lesson, Mongoose-like
// models over the lesson's documents, and node-redis clients that are the in-page client
// (www/redis.js) on one engine. Which web stack answers `express`, `express-session`,
// `connect-redis` and `./browser` is the caller's choice: the page's simulation (www/websim/)
// or the real npm packages over loopback HTTP.
import { readFileSync } from 'node:fs';
import { createClient, getSession, setCommandObserver } from '../../../www/redis.js';
import { createWebsim } from '../../../www/websim/index.js';

/**
 * A fresh engine (`new Playground()`) on a clock frozen at `at`, with the page's web stack, a
 * `Date` on that clock, the web stack's logged errors, and `cli(...argv)` on a client of its own.
 */
export function webWorld(Playground, { at, env = {} }) {
  const pg = new Playground();
  pg.freeze();
  pg.setTime(at);
  const now = () => Math.floor(pg.now());
  const errors = [];
  const websim = createWebsim({
    now, env, setTimeout, clearTimeout, logError: (e) => errors.push(e),
    clock: {
      isFrozen: () => pg.isFrozen(), freeze: () => pg.freeze(), resume: () => pg.resume(),
      set: (ms) => { pg.setTime(ms); pg.tick(); }, advance: (ms) => { pg.advance(ms); pg.tick(); },
    },
    ready() {},
  });
  class VirtualDate extends Date {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() { return now(); }
  }
  const admin = pg.openClient('admin');
  return { pg, websim, Date: VirtualDate, errors, cli: (...argv) => pg.exec(admin, argv) };
}

export function readLesson(file) {
  return JSON.parse(readFileSync(new URL(`../../../www/lessons/${file}`, import.meta.url), 'utf8'));
}

function makeModel(docs) {
  const rows = structuredClone(docs ?? []);
  const match = (doc, filter) => Object.entries(filter ?? {}).every(([k, v]) => String(doc[k]) === String(v));
  const query = (fn) => ({ lean: async () => fn(), then: (ok, ko) => Promise.resolve(fn()).then(ok, ko) });
  return {
    findById: (id) => query(() => structuredClone(rows.find((r) => String(r._id) === String(id)) ?? null)),
    findOne: (filter) => query(() => structuredClone(rows.find((r) => match(r, filter)) ?? null)),
    find: (filter) => query(() => rows.filter((r) => match(r, filter)).map((r) => structuredClone(r))),
  };
}

/**
 * Runs `lesson`'s code on `pg`. `web` maps module names to what `require` gives for the web
 * stack; `now` is the code's `Date.now()`. Resolves with `{ logs, sent, clients, value }` (or rejects
 * with the code's error): `logs` is one array of arguments per console call, `sent` every
 * command any of the code's clients sent, with its reply; `value`
 * what the code returned.
 */
export async function runLesson(lesson, { pg, web, Date: DateClass = Date, code = lesson.code.join('\n') }) {
  const env = { REDIS_URL: 'redis://localhost:6379', NODE_ENV: 'development', ...(lesson.env ?? {}) };
  const logs = [];
  const sent = [];
  const clients = [];
  const session = getSession(pg);
  const make = (options) => {
    const c = createClient({ ...(options ?? {}), playground: pg });
    clients.push(c);
    return c;
  };
  let shared = null;
  const config = {
    getRedisClient: async () => {
      shared ??= (async () => {
        const c = make({ url: env.REDIS_URL });
        await c.connect();
        return c;
      })();
      return shared;
    },
    createClient: make,
  };
  const models = Object.fromEntries(Object.entries(lesson.db ?? {}).map(([name, docs]) => [name, makeModel(docs)]));
  models.User ??= makeModel([]);
  const modules = {
    redis: { createClient: make },
    './config/redis': config,
    './models/User': models.User,
    ...web,
  };
  const require = (name) => {
    if (Object.hasOwn(modules, name)) return modules[name];
    throw new Error(`the lesson required ${name}`);
  };
  const log = (...args) => logs.push(args);
  const console = { log, info: log, error: (...args) => logs.push(['[error]', ...args]), warn: log };
  setCommandObserver(({ client, argv, reply }) => {
    if (clients.includes(client)) sent.push({ argv: argv.map(String), reply });
  });
  let value;
  try {
    // eslint-disable-next-line no-new-func
    const body = new Function('require', 'console', 'process', 'Date', 'User', `return (async () => {\n${code}\n})();`);
    value = await body(require, console, { env }, DateClass, models.User);
  } finally {
    setCommandObserver(null);
  }
  return {
    logs, sent, clients, session, value,
    async close() {
      for (const c of clients) if (c.isOpen) await c.quit();
      session.close();
    },
  };
}
