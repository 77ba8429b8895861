//! A session store with the behaviour of connect-redis 7 (`require('connect-redis').default`),
//! over the lesson's node-redis v4 client.
//!
//! What it does in Redis, as connect-redis 7 does:
//! - a session lives in one string key, `<prefix><session id>` (prefix `sess:` by default),
//!   holding the session serialised with `JSON.stringify` (its cookie included);
//! - `set` writes it with `SET key json EX ttl`, where the TTL is the time left until the
//!   cookie's `expires`, rounded up to whole seconds; only without an expiry does the `ttl`
//!   option (86400 s by default) apply. A TTL of 0 or less deletes the session instead;
//! - `touch` (express-session calls it on a request that did not change the session) resets the
//!   TTL with `EXPIRE key ttl`, unless `disableTouch` (or `disableTTL`);
//! - `destroy` is `DEL key`; `all`, `ids`, `length` and `clear` walk the keys with `SCAN MATCH
//!   <prefix>*` (`scanIterator`) and read them with `MGET`.
//!
//! Store methods take node-style callbacks `(err, value)` and also return promises.

export function createConnectRedis(context, sessionModule) {
  const { Store } = sessionModule;
  const now = () => context.now();
  const noop = () => {};

  class RedisStore extends Store {
    constructor(options = {}) {
      super();
      if (!options.client) throw new TypeError('RedisStore needs a client');
      this.prefix = options.prefix == null ? 'sess:' : options.prefix;
      this.scanCount = options.scanCount || 100;
      this.serializer = options.serializer || JSON;
      this.ttl = options.ttl || 86400;
      this.disableTTL = options.disableTTL || false;
      this.disableTouch = options.disableTouch || false;
      this.client = options.client;
    }

    /** Seconds the session has left: from the cookie's expiry, else the `ttl` option. */
    ttlOf(sess) {
      if (typeof this.ttl === 'function') return this.ttl(sess);
      if (sess?.cookie?.expires) return Math.ceil((Number(new Date(sess.cookie.expires)) - now()) / 1000);
      return this.ttl;
    }

    async get(sid, cb = noop) {
      try {
        const data = await this.client.get(this.prefix + sid);
        if (!data) return cb();
        return cb(null, await this.serializer.parse(data));
      } catch (err) {
        return cb(err);
      }
    }

    async set(sid, sess, cb = noop) {
      const key = this.prefix + sid;
      const ttl = this.ttlOf(sess);
      try {
        if (ttl <= 0) return this.destroy(sid, cb);
        const value = this.serializer.stringify(sess);
        if (this.disableTTL) await this.client.set(key, value);
        else await this.client.set(key, value, { EX: ttl });
        return cb();
      } catch (err) {
        return cb(err);
      }
    }

    async touch(sid, sess, cb = noop) {
      if (this.disableTouch || this.disableTTL) return cb();
      try {
        await this.client.expire(this.prefix + sid, this.ttlOf(sess));
        return cb();
      } catch (err) {
        return cb(err);
      }
    }

    async destroy(sid, cb = noop) {
      try {
        await this.client.del([this.prefix + sid]);
        return cb();
      } catch (err) {
        return cb(err);
      }
    }

    async keys() {
      const found = [];
      for await (const key of this.client.scanIterator({ MATCH: `${this.prefix}*`, COUNT: this.scanCount })) found.push(key);
      return found;
    }

    async clear(cb = noop) {
      try {
        const keys = await this.keys();
        if (keys.length) await this.client.del(keys);
        return cb();
      } catch (err) {
        return cb(err);
      }
    }

    async length(cb = noop) {
      try {
        return cb(null, (await this.keys()).length);
      } catch (err) {
        return cb(err);
      }
    }

    async ids(cb = noop) {
      try {
        return cb(null, (await this.keys()).map((k) => k.slice(this.prefix.length)));
      } catch (err) {
        return cb(err);
      }
    }

    async all(cb = noop) {
      try {
        const keys = await this.keys();
        if (!keys.length) return cb(null, []);
        const values = await this.client.mGet(keys);
        const sessions = [];
        values.forEach((raw, i) => {
          if (!raw) return;
          const sess = this.serializer.parse(raw);
          sess.id = keys[i].slice(this.prefix.length);
          sessions.push(sess);
        });
        return cb(null, sessions);
      } catch (err) {
        return cb(err);
      }
    }
  }
  return { default: RedisStore, RedisStore };
}
