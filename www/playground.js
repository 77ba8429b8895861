// Promises and listeners over the engine's deliveries.
//
// The wasm Playground answers every command at once, except a blocking one (BLPOP on an empty
// list), which answers `{ blocked: true }`; its real reply arrives later as a *delivery*, when
// another client's write serves it or the virtual clock reaches its timeout. Pub/sub messages and
// keyspace notifications are deliveries too. A Session runs commands as promises, resolves the
// promises of blocked clients when their reply is delivered (in order, per client), passes
// pushed messages to listeners, and keeps one timer for the engine's next deadline so that
// timeouts fire on a running clock without polling.

// ## The byte-buffer door
// `Door` runs commands through the engine's `execRequest`: the argv is written as bytes into a
// request area in the module's memory and the reply is read back from a response area, so no
// JavaScript string or array crosses into WebAssembly (src/wasm.rs describes both formats). The
// value it returns is exactly what `pg.exec` returns for the same argv. Strings of ASCII
// characters are copied code by code, others through `TextEncoder.encodeInto`; replies of ASCII
// text are read back with `String.fromCharCode`, only other text through a `TextDecoder`. Short
// ASCII reply strings cross once: the engine and the Area keep the same table of them by slot,
// and a string already there comes back as its slot alone (src/wasm.rs, "Strings sent once").

const encoder = new TextEncoder();
// ignoreBOM: a value that starts with U+FEFF keeps it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Tags of the response format (src/wasm.rs).
const NULL = 0;
const ASCII = 1;
const UTF8 = 2;
const INT = 3;
const BIG_INT = 4;
const ARRAY = 5;
const ERROR = 6;
const MULTI = 7;
const BLOCKED = 8;
const KNOWN = 9;
const KEEP = 10;

/** Slots of the table of strings sent once (KEEP_SLOTS in src/wasm.rs). */
const KEPT_SLOTS = 2048;

/** Strings at least this long are encoded and decoded by the platform in one call. */
const LONG = 64;

/**
 * The request area of one module instance (one WebAssembly memory), shared by the doors of every
 * Playground of that instance, and views of its memory, renewed when the memory grows.
 */
class Area {
  constructor(pg, memory) {
    this.memory = memory;
    this.ptr = 0;
    this.size = 0;
    this.bytes = new Uint8Array(0);
    this.view = new DataView(new ArrayBuffer(8));
    /**
     * The strings sent once, by slot, as the engine's table has them (it empties its table on
     * every `requestArea`, so this one is never behind it). A JavaScript string is immutable, so
     * handing the same one out again is invisible to whoever receives it.
     */
    this.kept = new Array(KEPT_SLOTS).fill('');
    /** The same strings as property keys (see `keyOf`), made when first asked for. */
    this.keys = new Array(KEPT_SLOTS).fill(undefined);
    this.reserve(pg, 1 << 16);
  }

  /** Both tables of strings sent once start again empty (after a response not read in full). */
  forget(pg) {
    this.kept.fill('');
    this.keys.fill(undefined);
    pg.requestArea(this.size);
  }

  /**
   * The kept string of `slot` in the form V8 uses for property names (an internalized string,
   * equal to it): an object filled with keys in that form, again and again in the same order
   * (HGETALL's fields), is filled by the fast path of property stores. Made once per slot.
   */
  keyOf(slot) {
    let key = this.keys[slot];
    if (key === undefined) {
      key = this.kept[slot];
      // A property name taken from an object that JSON.parse built is in that form.
      for (const name of Object.keys(JSON.parse(`{${JSON.stringify(key)}:0}`))) key = name;
      this.keys[slot] = key;
    }
    return key;
  }

  /** Views of the memory as it is now (a grown memory detaches the old buffer). */
  refresh() {
    const { buffer } = this.memory;
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
  }

  /**
   * Makes the request area at least `size` bytes (asking through `pg`, any live Playground of
   * the instance); false if the engine will not grant that much.
   */
  reserve(pg, size) {
    const want = Math.max(size, this.size * 2);
    const ptr = pg.requestArea(want);
    if (ptr === 0) return false;
    this.ptr = ptr;
    this.size = want;
    this.refresh();
    return true;
  }
}

/** WebAssembly memory -> its Area. */
const areas = new WeakMap();

/** The most bytes `arg` can take in a request, or -1 if the door does not take it as it is. */
function argSize(arg) {
  if (typeof arg === 'string') return arg.length * 3 + 4;
  if (arg instanceof Uint8Array) return arg.length + 4;
  return -1;
}

export class Door {
  /** @param {import('./pkg/redis_playground.js').Playground} pg */
  constructor(pg) {
    this.pg = pg;
    const memory = pg.memory();
    let area = areas.get(memory);
    if (area === undefined) {
      area = new Area(pg, memory);
      areas.set(memory, area);
    }
    this.area = area;
    /** After the last command: the engine's next deadline as Session#arm computes it. */
    this.deadline = undefined;
    /** After the last command: whether deliveries wait for `takeDeliveries`. */
    this.waiting = false;
    /** False when the last command went through `pg.exec`, which does not say the two above. */
    this.known = false;
    this.pos = 0;
  }

  /**
   * Runs `argv` as `client` and returns the reply as `pg.exec` would. Arguments that are not
   * strings or `Uint8Array`s (numbers, BigInts, wrong types), and an argv too big for the
   * request area, go through `pg.exec` itself. With `keys`, the strings at even places of an
   * array reply (field names, to be made property names) come in the form V8 stores property
   * names in: the same strings, made faster to use as keys.
   */
  exec(client, argv, keys = false) {
    if (!Array.isArray(argv)) return this.#fallback(client, argv);
    const area = this.area;
    let bytes = area.bytes;
    if (bytes.length === 0) {
      area.refresh();
      bytes = area.bytes;
    }
    const view = area.view;
    const start = area.ptr;
    const end = start + area.size;
    const argc = argv.length;
    if (start + 4 > end) return this.#grow(client, argv);
    view.setUint32(start, argc, true);
    let p = start + 4;
    for (let i = 0; i < argc; i++) {
      const arg = argv[i];
      const at = p + 4;
      let len;
      if (typeof arg === 'string') {
        const n = arg.length;
        // At most three bytes of UTF-8 for each UTF-16 code unit.
        if (at + n * 3 > end) return this.#grow(client, argv);
        len = 0;
        if (n < LONG) {
          while (len < n) {
            const c = arg.charCodeAt(len);
            if (c >= 0x80) break;
            bytes[at + len] = c;
            len++;
          }
        }
        if (len < n) len = encoder.encodeInto(arg, bytes.subarray(at, at + n * 3)).written;
      } else if (arg instanceof Uint8Array) {
        len = arg.length;
        if (at + len > end) return this.#grow(client, argv);
        bytes.set(arg, at);
      } else {
        return this.#fallback(client, argv);
      }
      view.setUint32(p, len, true);
      p = at + len;
    }
    const at = this.pg.execRequest(client, p - start, Date.now());
    if (area.bytes.length === 0) area.refresh();
    const deadline = area.view.getFloat64(at, true);
    this.deadline = deadline === deadline ? deadline : undefined;
    this.waiting = area.bytes[at + 8] === 1;
    this.known = true;
    this.pos = at + 9;
    try {
      if (keys && area.bytes[this.pos] === ARRAY) return this.#keyed(area);
      return this.#item(area.bytes, area.view, area.kept);
    } catch (e) {
      area.forget(this.pg);
      throw e;
    }
  }

  /** Makes the request area big enough for `argv` and runs it, or hands it to `pg.exec`. */
  #grow(client, argv) {
    let need = 4;
    for (let i = 0; i < argv.length; i++) {
      const size = argSize(argv[i]);
      if (size < 0) return this.#fallback(client, argv);
      need += size;
    }
    if (!this.area.reserve(this.pg, need)) return this.#fallback(client, argv);
    return this.exec(client, argv);
  }

  #fallback(client, argv) {
    this.known = false;
    return this.pg.exec(client, argv);
  }

  #u32(bytes) {
    const p = this.pos;
    this.pos = p + 4;
    return (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) + bytes[p + 3] * 0x1000000;
  }

  #u16(bytes) {
    const p = this.pos;
    this.pos = p + 2;
    return bytes[p] | (bytes[p + 1] << 8);
  }

  #ascii(bytes, len) {
    const p = this.pos;
    this.pos = p + len;
    if (len >= LONG) return decoder.decode(bytes.subarray(p, p + len));
    let s = '';
    for (let i = p; i < p + len; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }

  /** An array reply whose strings at even places are taken as property names (`keyOf`). */
  #keyed(area) {
    const { bytes, view, kept } = area;
    this.pos++;
    const n = this.#u32(bytes);
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = this.pos;
      if (bytes[p] === KNOWN) {
        const slot = bytes[p + 1] | (bytes[p + 2] << 8);
        out[i] = (i & 1) === 0 ? area.keyOf(slot) : kept[slot];
        this.pos = p + 3;
      } else {
        out[i] = this.#item(bytes, view, kept);
      }
    }
    return out;
  }

  #item(bytes, view, kept) {
    const tag = bytes[this.pos++];
    switch (tag) {
      case KNOWN:
        return kept[this.#u16(bytes)];
      case KEEP: {
        const slot = this.#u16(bytes);
        const len = bytes[this.pos++];
        const s = this.#ascii(bytes, len);
        kept[slot] = s;
        this.area.keys[slot] = undefined;
        return s;
      }
      case ASCII:
        return this.#ascii(bytes, this.#u32(bytes));
      case INT: {
        const n = view.getFloat64(this.pos, true);
        this.pos += 8;
        return n;
      }
      case NULL:
        return null;
      case ARRAY: {
        const n = this.#u32(bytes);
        const out = new Array(n);
        for (let i = 0; i < n; i++) {
          // Elements already in the table (field names, repeated values) are read right here.
          const p = this.pos;
          if (bytes[p] === KNOWN) {
            out[i] = kept[bytes[p + 1] | (bytes[p + 2] << 8)];
            this.pos = p + 3;
          } else {
            out[i] = this.#item(bytes, view, kept);
          }
        }
        return out;
      }
      case UTF8: {
        const len = this.#u32(bytes);
        const p = this.pos;
        this.pos = p + len;
        return decoder.decode(bytes.subarray(p, p + len));
      }
      case ERROR:
        return { error: this.#item(bytes, view, kept) };
      case BIG_INT:
        return BigInt(this.#ascii(bytes, this.#u32(bytes)));
      case MULTI: {
        const n = this.#u32(bytes);
        const replies = new Array(n);
        for (let i = 0; i < n; i++) replies[i] = this.#item(bytes, view, kept);
        return { replies };
      }
      case BLOCKED:
        return { blocked: true };
      default:
        throw new Error(`the engine's response has an unknown tag ${tag}`);
    }
  }
}

export class Session {
  /** @param {import('./pkg/redis_playground.js').Playground} pg */
  constructor(pg) {
    this.pg = pg;
    /** The byte-buffer door (null for a module built without it). */
    this.door = typeof pg.execRequest === 'function' ? new Door(pg) : null;
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
    const reply = this.door !== null ? this.door.exec(client, argv) : this.pg.exec(client, argv);
    return this.#settle(client, reply);
  }

  /**
   * True when a `pump()` now would change nothing, as far as the door's last command tells: no
   * delivery waits and the deadline timer is already right. Commands run on the Playground by
   * other means since then are not seen here: whoever runs them calls `pump()`.
   */
  quiet() {
    const door = this.door;
    if (door === null || !door.known || door.waiting || door.deadline !== this.armedFor) return false;
    return this.timer !== null || door.deadline === undefined;
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
