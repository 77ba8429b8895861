//! Sessions with the behaviour of express-session 1.x, for the simulated Express app (./http.js).
//!
//! The flow of one request, as express-session does it:
//! 1. read the `connect.sid` cookie (`s:<id>.<signature>`, HMAC-SHA256 of the id with the secret,
//!    base64 without padding) and check the signature;
//! 2. with a valid id, load the session from the store (`store.get`); if there is none (never
//!    saved, destroyed, or expired in Redis), start a new one with a new random id;
//! 3. after the handlers, when the response ends: reset the cookie's expiry (`touch`), then
//!    - save the session (`store.set`) if it changed, or if it is new and `saveUninitialized`;
//!    - otherwise, for a session that came with the request, `store.touch` (connect-redis resets
//!      the key's TTL there);
//! 4. set the cookie when the session is new and saved, or (with an expiry) whenever it changed.
//!
//! "Changed" compares the session's JSON, without its cookie, with the JSON it had when loaded
//! (express-session compares a hash of the same text). Dates come from the context's clock, which
//! in the page is the engine's virtual clock: moving it past the cookie's expiry ends the session.

import { onHeaders, parseCookieHeader, serializeCookie } from './http.js';

const encoder = new TextEncoder();

/** base64 of bytes (standard alphabet). */
function base64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A new session id: 24 random bytes in base64url, 32 characters (like uid-safe). */
export function newSessionId() {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const keys = new Map();

/** `value.signature` with HMAC-SHA256 under `secret`, as cookie-signature signs. */
export async function sign(value, secret) {
  if (!globalThis.crypto?.subtle) throw new Error('signing cookies needs WebCrypto (a secure context: https or localhost)');
  let key = keys.get(secret);
  if (!key) {
    key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(value)));
  return `${value}.${base64(mac).replace(/=+$/, '')}`;
}

/** The value inside a signed `value.signature`, or false when no secret signed it. */
async function unsign(signed, secrets) {
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return false;
  const value = signed.slice(0, dot);
  for (const secret of secrets) {
    if ((await sign(value, secret)) === signed) return value;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Cookie and Session
// ---------------------------------------------------------------------------------------------

export function makeCookieClass(now) {
  class Cookie {
    constructor(options) {
      this.path = '/';
      this.maxAge = null;
      this.httpOnly = true;
      for (const [k, v] of Object.entries(options ?? {})) {
        if (k !== 'data') this[k] = v;
      }
      if (this.originalMaxAge === undefined || this.originalMaxAge === null) this.originalMaxAge = this.maxAge;
    }

    set expires(date) {
      this._expires = date;
      this.originalMaxAge = this.maxAge;
    }

    get expires() {
      return this._expires;
    }

    set maxAge(ms) {
      this.expires = typeof ms === 'number' ? new Date(now() + ms) : ms;
    }

    get maxAge() {
      return this.expires instanceof Date ? this.expires.valueOf() - now() : this.expires;
    }

    /** The stored fields, in express-session's order. */
    get data() {
      return {
        originalMaxAge: this.originalMaxAge,
        partitioned: this.partitioned,
        priority: this.priority,
        expires: this._expires,
        secure: this.secure,
        httpOnly: this.httpOnly,
        domain: this.domain,
        path: this.path,
        sameSite: this.sameSite,
      };
    }

    toJSON() {
      return this.data;
    }
  }
  // `_expires` is internal state, like express-session's own (it is not part of the JSON).
  return Cookie;
}

const method = (obj, name, fn) => Object.defineProperty(obj, name, { configurable: true, enumerable: false, writable: true, value: fn });

export class Session {
  constructor(req, data) {
    Object.defineProperty(this, 'req', { value: req });
    Object.defineProperty(this, 'id', { value: req.sessionID });
    if (data && typeof data === 'object') {
      for (const prop in data) {
        if (!(prop in this)) this[prop] = data[prop];
      }
    }
  }
}
method(Session.prototype, 'touch', function touch() { return this.resetMaxAge(); });
method(Session.prototype, 'resetMaxAge', function resetMaxAge() {
  this.cookie.maxAge = this.cookie.originalMaxAge;
  return this;
});
method(Session.prototype, 'save', function save(fn) {
  this.req.sessionStore.set(this.id, this, fn || (() => {}));
  return this;
});
method(Session.prototype, 'reload', function reload(fn) {
  const { req } = this;
  const store = req.sessionStore;
  store.get(this.id, (err, sess) => {
    if (err) return fn(err);
    if (!sess) return fn(new Error('failed to load session'));
    store.createSession(req, sess);
    return fn();
  });
  return this;
});
method(Session.prototype, 'destroy', function destroy(fn) {
  delete this.req.session;
  this.req.sessionStore.destroy(this.id, fn);
  return this;
});
method(Session.prototype, 'regenerate', function regenerate(fn) {
  this.req.sessionStore.regenerate(this.req, fn);
  return this;
});

// ---------------------------------------------------------------------------------------------
// Store: the base class a session store extends (connect-redis's RedisStore does)
// ---------------------------------------------------------------------------------------------

export function makeStoreClass(Cookie) {
  class Store {
    constructor() {
      this.listeners = new Map();
    }

    on(event, fn) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }

    emit(event, ...args) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
      return true;
    }

    regenerate(req, fn) {
      this.destroy(req.sessionID, (err) => {
        this.generate(req);
        fn(err);
      });
    }

    load(sid, fn) {
      this.get(sid, (err, sess) => {
        if (err) return fn(err);
        if (!sess) return fn();
        const req = { sessionID: sid, sessionStore: this };
        return fn(null, this.createSession(req, sess));
      });
    }

    createSession(req, sess) {
      const { expires, originalMaxAge } = sess.cookie;
      sess.cookie = new Cookie(sess.cookie);
      if (typeof expires === 'string') sess.cookie.expires = new Date(expires);
      sess.cookie.originalMaxAge = originalMaxAge;
      req.session = new Session(req, sess);
      return req.session;
    }
  }
  return Store;
}

// ---------------------------------------------------------------------------------------------
// The middleware
// ---------------------------------------------------------------------------------------------

/** The session's JSON without its cookie: what "modified" compares. */
function fingerprint(sess) {
  return JSON.stringify(sess, function replacer(key, value) {
    return this === sess && key === 'cookie' ? undefined : value;
  });
}

export function createSessionModule(context) {
  const now = () => context.now();
  const Cookie = makeCookieClass(now);
  const Store = makeStoreClass(Cookie);

  function session(options = {}) {
    const cookieOptions = options.cookie ?? {};
    const name = options.name ?? options.key ?? 'connect.sid';
    const store = options.store;
    if (!store) throw new TypeError('this simulation needs a store option (a RedisStore)');
    const resave = options.resave ?? true;
    const rolling = Boolean(options.rolling);
    const saveUninitialized = options.saveUninitialized ?? true;
    const generateId = options.genid ?? newSessionId;
    let secrets = options.secret;
    if (secrets && !Array.isArray(secrets)) secrets = [secrets];
    const unsetDestroy = options.unset === 'destroy';

    store.generate = (req) => {
      req.sessionID = generateId(req);
      req.session = new Session(req);
      req.session.cookie = new Cookie(typeof cookieOptions === 'function' ? cookieOptions(req) : cookieOptions);
      if (cookieOptions.secure === 'auto') req.session.cookie.secure = false;
      if (cookieOptions.sameSite === 'auto') req.session.cookie.sameSite = 'lax';
    };

    return async function sessionMiddleware(req, res, next) {
      if (req.session) return next();
      const cookiePath = cookieOptions.path ?? '/';
      if (!req.path.startsWith(cookiePath)) return next();
      if (!secrets) return next(new Error('secret option required for sessions'));
      req.sessionStore = store;

      let cookieId;
      const raw = parseCookieHeader(req.headers.cookie)[name];
      if (raw && raw.startsWith('s:')) {
        const value = await unsign(raw.slice(2), secrets);
        if (value !== false) cookieId = value;
      }
      req.sessionID = cookieId;
      let originalId;
      let originalHash;
      let savedHash;
      let touched = false;
      let signedId = null; // [id, signed value] computed before the headers are written

      const isModified = (sess) => originalId !== sess.id || originalHash !== fingerprint(sess);
      const isSaved = (sess) => originalId === sess.id && savedHash === fingerprint(sess);
      const shouldSave = () => (typeof req.sessionID === 'string'
        && (!saveUninitialized && !savedHash && cookieId !== req.sessionID ? isModified(req.session) : !isSaved(req.session)));
      const shouldTouch = () => typeof req.sessionID === 'string' && cookieId === req.sessionID && !shouldSave();
      const shouldSetCookie = () => {
        if (typeof req.sessionID !== 'string') return false;
        return cookieId !== req.sessionID
          ? saveUninitialized || isModified(req.session)
          : rolling || (req.session.cookie.expires != null && isModified(req.session));
      };

      const wrap = (sess) => {
        const save = sess.save;
        method(sess, 'save', function wrappedSave(...args) {
          savedHash = fingerprint(this);
          return save.apply(this, args);
        });
      };
      const generate = () => {
        store.generate(req);
        originalId = req.sessionID;
        originalHash = fingerprint(req.session);
        wrap(req.session);
      };
      const inflate = (sess) => {
        store.createSession(req, sess);
        originalId = req.sessionID;
        originalHash = fingerprint(sess);
        if (!resave) savedHash = originalHash;
        wrap(req.session);
      };

      onHeaders(res, () => {
        if (!req.session || !shouldSetCookie()) return;
        if (req.session.cookie.secure && !req.secure) return;
        if (!touched) {
          req.session.touch();
          touched = true;
        }
        if (!signedId || signedId[0] !== req.sessionID) return;
        const prev = res.getHeader('Set-Cookie') ?? [];
        res.setHeader('Set-Cookie', [].concat(prev, serializeCookie(name, `s:${signedId[1]}`, req.session.cookie.data)));
      });

      const end = res.end;
      let ended = false;
      res.end = function sessionEnd(chunk) {
        if (ended) return false;
        ended = true;
        const finish = (err) => {
          if (err) context.logError?.(err);
          end.call(res, chunk);
        };
        // The cookie is signed before the headers go out (WebCrypto signs asynchronously).
        const signThen = (then) => {
          const id = req.sessionID;
          if (typeof id !== 'string' || signedId?.[0] === id) return then();
          return sign(id, secrets[0]).then((s) => { signedId = [id, s]; then(); }, finish);
        };
        if (req.sessionID && unsetDestroy && req.session == null) {
          store.destroy(req.sessionID, (err) => signThen(() => finish(err)));
          return true;
        }
        if (!req.session) return signThen(() => finish());
        if (!touched) {
          req.session.touch();
          touched = true;
        }
        if (shouldSave()) {
          req.session.save((err) => signThen(() => finish(err)));
        } else if (typeof store.touch === 'function' && shouldTouch()) {
          store.touch(req.sessionID, req.session, (err) => signThen(() => finish(err)));
        } else {
          signThen(() => finish());
        }
        return true;
      };

      if (!req.sessionID) {
        generate();
        next();
        return;
      }
      store.get(req.sessionID, (err, sess) => {
        if (err && err.code !== 'ENOENT') {
          next(err);
          return;
        }
        try {
          if (err || !sess) generate();
          else inflate(sess);
        } catch (e) {
          next(e);
          return;
        }
        next();
      });
    };
  }
  session.Store = Store;
  session.Cookie = Cookie;
  session.Session = Session;
  return session;
}
