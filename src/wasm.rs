//! The JavaScript face of the engine (WebAssembly builds only).
//!
//! This module is deliberately thin: it owns one [`Engine`] and translates between JavaScript
//! values and the engine's types. It decides nothing about Redis semantics; every command goes
//! through [`Engine::execute`] exactly as it does natively, so the page, the native CLI and the
//! tests all see the same replies.
//!
//! ## Values across the boundary
//! A [`Reply`] becomes a plain JavaScript value, the way a RESP2 client library shows it:
//!
//! | reply                       | JavaScript                                                   |
//! |-----------------------------|--------------------------------------------------------------|
//! | status (`+OK`)              | string `"OK"`                                                |
//! | error (`-ERR ...`)          | object `{ error: "ERR ..." }` (returned, never thrown)        |
//! | integer                     | number; a BigInt beyond ±(2^53−1), so no digit is lost        |
//! | bulk string                 | string (decoded as UTF-8; invalid bytes become U+FFFD)        |
//! | nil bulk / nil array        | `null`                                                        |
//! | array / push                | array                                                         |
//! | double, map, boolean (RESP3)| as RESP2 sends them: string, flat array, 0/1                  |
//! | several replies (SUBSCRIBE a b) | object `{ replies: [...] }`                              |
//! | none yet (the client blocked)   | object `{ blocked: true }`: the reply comes as a delivery |
//!
//! ## Deliveries
//! A command can cause replies for *other* clients: pub/sub messages, keyspace notifications,
//! the late reply of a client blocked on BLPOP that this command served (and the nil reply of a
//! blocked client whose timeout the clock reached). The engine queues them; after any call that
//! ran commands or moved the clock, [`Playground::take_deliveries`] returns them in order as
//! `{ client, reply, push }` (`push`: a pub/sub message rather than a reply to a command). The ES
//! module `www/playground.js` turns these into resolved promises and listener calls, and sets a
//! timer for [`Playground::next_deadline`] so that timeouts fire without polling.
//!
//! Bulk strings are decoded lossily: binary values are readable but not round-trippable through
//! this API (use `execLine`, whose redis-cli text escapes every byte, to see them exactly).
//! Arguments may be strings, finite numbers or BigInts (sent as their decimal text) or
//! `Uint8Array`s (sent as raw bytes, so binary input is exact).
//!
//! ## Crossing cheaply
//! For a simple command, crossing the boundary costs more than the engine's work: every string
//! crossing is an allocation and a UTF-8 copy, every array element a call back into JavaScript.
//! So there are four doors: [`Playground::exec`] takes any argv as an array;
//! [`Playground::call`] takes the command and up to five arguments as separate strings, which
//! avoids the per-element calls; [`Playground::exec_line`] takes one line of text and answers
//! with text; [`Playground::exec_request`] (below) crosses bytes only, and is what the in-page
//! client uses. BENCHMARKS.md has the figures.
//!
//! ### The byte-buffer door
//! The fastest door passes no JavaScript value at all. JavaScript writes the argv into a request
//! area in the module's memory (`requestArea(bytes)` gives its address; `memory()` is the
//! `WebAssembly.Memory`), calls [`Playground::exec_request`] with the client, the number of bytes
//! written and the current time, and reads the reply from the response area whose address comes
//! back. Both areas, and the buffers the arguments are copied into for the engine, are reused from
//! call to call, so a short command allocates nothing for crossing.
//! The ES module `www/playground.js` (`Door`) writes and reads this format, which is private to
//! the two files:
//!
//! - request: `argc` (u32), then each argument as its length (u32) and its bytes. Integers are
//!   little-endian.
//! - response: a header — the next deadline as an f64 (what `nextDeadline` would say, NaN for
//!   none or while the clock is frozen), then one byte, 1 if deliveries are waiting — then the
//!   reply as one tagged item: `0` null; `1` string whose bytes are ASCII and `2` string in UTF-8
//!   (a u32 length, then the bytes; invalid UTF-8 was already replaced by U+FFFD here, as `exec`
//!   does); `3` integer as an f64; `4` integer beyond 2^53 as its decimal text (length, bytes);
//!   `5` array (u32 count, then the items); `6` error (then a string item); `7` several replies
//!   (count, items); `8` blocked; `9` a string JavaScript already holds (u16 slot, below); `10`
//!   an ASCII string JavaScript must also keep (u16 slot, u8 length, the bytes). The value each
//!   item stands for is exactly what `exec` returns.
//!
//! #### Strings sent once
//! Replies repeat the same short strings (field names, `OK`, values read again and again), and
//! building a JavaScript string from bytes costs more than the rest of a short command. So the
//! door keeps a table of short ASCII strings by slot (a hash of the bytes picks the slot), and
//! JavaScript keeps the same table of its strings: a string sent with tag `10` is stored in its
//! slot on both sides, and the next time the same bytes are to be sent and the slot still holds
//! them (compared byte for byte here), only tag `9` and the slot cross, and JavaScript returns the
//! string it made before. The two tables stay equal because JavaScript reads every response in
//! full before the next request; [`Playground::request_area`] empties this side's table (a new
//! or recovering JavaScript side starts from nothing).
//!
//! The time passed in is the wall time the engine's clock reads for the whole command (one
//! `Date.now()` in JavaScript instead of a call out of the module each time the clock is read).
//!
//! ## Time
//! The engine's clock reads `Date.now()` (milliseconds, kept as microseconds) through the injected
//! time source (or the time the byte-buffer door was given), and the clock methods here drive the same virtual clock that the `CLOCK.*`
//! commands do. Moving the clock runs active expiry at once, so an inspector never shows a key
//! past its time.
//!
//! ## Panics
//! No JavaScript input can make this module panic: every argument is checked and every failure
//! is answered with a tagged error value. A panic hook is still installed, so that a bug would
//! print a Rust message to the console instead of an opaque `unreachable` trap.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BinaryHeap};

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::commands::{self, Command};
use crate::engine::{ClientId, Engine, DATABASES};
use crate::reply::Reply;
use crate::value::{Bytes, Value};

/// How many bytes of a string value [`preview`] shows.
pub const PREVIEW_BYTES: usize = 256;

/// How many keys [`Playground::keyspace`] lists when no limit is given.
pub const DEFAULT_KEYSPACE_LIMIT: u32 = 1000;

/// Integers up to this magnitude are exact as JavaScript numbers.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The largest request area [`Playground::request_area`] grants (a bigger argv goes through
/// `exec`).
pub const MAX_REQUEST_BYTES: u32 = 1 << 30;

// Tags of the response format (see the module docs).
const TAG_NULL: u8 = 0;
const TAG_ASCII: u8 = 1;
const TAG_UTF8: u8 = 2;
const TAG_INT: u8 = 3;
const TAG_BIG_INT: u8 = 4;
const TAG_ARRAY: u8 = 5;
const TAG_ERROR: u8 = 6;
const TAG_MULTI: u8 = 7;
const TAG_BLOCKED: u8 = 8;
const TAG_KNOWN: u8 = 9;
const TAG_KEEP: u8 = 10;

/// Slots of the table of strings sent once (see the module docs).
const KEEP_SLOTS: usize = 2048;

/// Bytes of a slot of that table: the string's length, then its bytes.
const KEEP_ROW: usize = 32;

/// The longest string kept in that table.
const KEEP_LEN: usize = KEEP_ROW - 1;

/// The request and response areas of the byte-buffer door. One pair serves every Playground of
/// the module: JavaScript is single-threaded and reads a response before it writes the next
/// request.
#[derive(Default)]
struct Areas {
    request: Vec<u8>,
    response: Vec<u8>,
    /// The argv of the last request, kept so that the next one reuses its buffers (no allocation
    /// per argument once they have grown to size).
    argv: Vec<Vec<u8>>,
    /// The strings JavaScript holds, by slot: [`KEEP_ROW`] bytes per slot, its length (0: empty)
    /// and its bytes, so that checking a slot reads one cache line. Allocated on first use.
    kept: Vec<u8>,
}

impl Areas {
    /// Writes a string item, as a slot of the table of strings sent once when it can be one.
    fn put_str(&mut self, bytes: &[u8]) {
        if let Some(slot) = keep_slot(bytes) {
            if self.kept.len() != KEEP_SLOTS * KEEP_ROW {
                self.kept = vec![0; KEEP_SLOTS * KEEP_ROW];
            }
            let at = slot * KEEP_ROW;
            if let Some([len, row @ ..]) = self.kept.get_mut(at..at + KEEP_ROW) {
                let n = bytes.len();
                let slot_bytes = (slot as u16).to_le_bytes();
                if usize::from(*len) == n && same_bytes(row, bytes) {
                    self.response.push(TAG_KNOWN);
                    self.response.extend_from_slice(&slot_bytes);
                    return;
                }
                if let Some(room) = row.get_mut(..n) {
                    room.copy_from_slice(bytes);
                    *len = n as u8;
                    self.response.push(TAG_KEEP);
                    self.response.extend_from_slice(&slot_bytes);
                    self.response.push(n as u8);
                    self.response.extend_from_slice(bytes);
                    return;
                }
            }
        }
        put_str(&mut self.response, bytes);
    }

    /// Forgets every kept string (JavaScript starts a table of its own).
    fn forget_kept(&mut self) {
        self.kept.iter_mut().step_by(KEEP_ROW).for_each(|n| *n = 0);
    }
}

/// The slot of `bytes` in the table of strings sent once, or `None` for a string that is not
/// kept there (empty, longer than [`KEEP_LEN`], or not ASCII). The slot is a hash of the length
/// and of the first and last eight bytes (the table compares whole strings anyway).
fn keep_slot(bytes: &[u8]) -> Option<usize> {
    let n = bytes.len();
    if n == 0 || n > KEEP_LEN || !bytes.is_ascii() {
        return None;
    }
    let (head, tail) = if n >= 8 {
        (word(bytes, 0), word(bytes, n - 8))
    } else {
        let mut w = 0u64;
        for &b in bytes {
            w = (w << 8) | u64::from(b);
        }
        (w, 0)
    };
    let h = (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    Some((h >> 52) as usize % KEEP_SLOTS)
}

/// The eight bytes of `bytes` at `at` as a little-endian word (0 past the end).
fn word(bytes: &[u8], at: usize) -> u64 {
    bytes.get(at..at + 8).and_then(|w| w.try_into().ok()).map_or(0, u64::from_le_bytes)
}

/// True when `kept` starts with exactly `bytes` (at most [`KEEP_LEN`] bytes): compared a word at
/// a time, which beats a call to `memcmp` for strings this short.
fn same_bytes(kept: &[u8], bytes: &[u8]) -> bool {
    let n = bytes.len();
    let mut at = 0;
    while at + 8 <= n {
        if word(kept, at) != word(bytes, at) {
            return false;
        }
        at += 8;
    }
    bytes.get(at..).zip(kept.get(at..n)).is_some_and(|(a, b)| a.iter().zip(b).all(|(x, y)| x == y))
}

/// An argument buffer bigger than this is not kept for the next request.
const KEEP_ARG_BYTES: usize = 64 * 1024;

/// How many argument buffers are kept for the next request (a long argv allocates the rest).
const KEEP_ARGS: usize = 16;

thread_local! {
    static AREAS: RefCell<Areas> = RefCell::new(Areas::default());
    /// The wall time (µs) the clock reads while a command of the byte-buffer door runs.
    static PINNED_US: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Wall time for the engine's clock: the pinned instant during a door call, else `Date.now()`.
fn wall_time_us() -> i64 {
    PINNED_US.with(Cell::get).unwrap_or_else(|| ms_to_us(js_sys::Date::now()))
}

/// A Redis playground: one engine, its named clients and its virtual clock.
#[wasm_bindgen]
pub struct Playground {
    engine: Engine,
    /// Client names given to `openClient`, and the engine client each one maps to.
    names: BTreeMap<String, ClientId>,
}

impl Default for Playground {
    fn default() -> Playground {
        Playground::new()
    }
}

/// For Rust code embedding a playground (and for tests): the engine itself. Not exported to
/// JavaScript.
impl Playground {
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
}

#[wasm_bindgen]
impl Playground {
    /// A fresh engine whose clock follows `Date.now()`.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        console_error_panic_hook::set_once();
        let source = Box::new(wall_time_us);
        Playground { engine: Engine::with_time_source(source), names: BTreeMap::new() }
    }

    /// The client called `name`, opened on first use (the same name always gives the same id).
    #[wasm_bindgen(js_name = openClient)]
    pub fn open_client(&mut self, name: String) -> u32 {
        if let Some(id) = self.names.get(&name) {
            if self.engine.client(*id).is_some() {
                return js_client_id(*id);
            }
        }
        let id = self.engine.open_client();
        self.names.insert(name, id);
        js_client_id(id)
    }

    /// Closes a client (and forgets its name); false if there was no such client.
    #[wasm_bindgen(js_name = closeClient)]
    pub fn close_client(&mut self, client_id: u32) -> bool {
        let id = ClientId::from(client_id);
        self.names.retain(|_, v| *v != id);
        self.engine.close_client(id)
    }

    /// The database a client has selected (for a `host:port[db]>` prompt), or -1 for no client.
    #[wasm_bindgen(js_name = clientDb)]
    pub fn client_db(&self, client_id: u32) -> i32 {
        self.engine.client(ClientId::from(client_id)).and_then(|c| i32::try_from(c.db).ok()).unwrap_or(-1)
    }

    /// Runs one command given as an array (`["SET", "k", "v"]`) and returns its reply as a
    /// JavaScript value. Errors, including a malformed argv, come back as `{ error: "..." }`.
    pub fn exec(&mut self, client_id: u32, argv: JsValue) -> JsValue {
        let args = match argv_from_js(&argv) {
            Ok(args) => args,
            Err(e) => return e,
        };
        reply_to_js(&self.engine.execute(ClientId::from(client_id), &args))
    }

    /// Like [`Playground::exec`], and also the reply as redis-cli would print it: `{ reply, text }`
    /// (for a page that shows both the JavaScript value and the raw reply of one execution).
    #[wasm_bindgen(js_name = execTraced)]
    pub fn exec_traced(&mut self, client_id: u32, argv: JsValue) -> JsValue {
        let args = match argv_from_js(&argv) {
            Ok(args) => args,
            Err(e) => return e,
        };
        let reply = self.engine.execute(ClientId::from(client_id), &args);
        let raw = crate::cli::wants_raw_output(&args);
        let mut text = String::from_utf8_lossy(&crate::cli::transcript_text(None, &reply, raw)).into_owned();
        if text.ends_with('\n') {
            text.pop();
        }
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("reply"), &reply_to_js(&reply));
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("text"), &JsValue::from_str(&text));
        obj.into()
    }

    /// Keeps a log of every keyspace event (what each command changed), whatever
    /// notify-keyspace-events says, for [`Playground::take_events`].
    #[wasm_bindgen(js_name = recordEvents)]
    pub fn record_events(&mut self, on: bool) {
        self.engine.record_events(on);
    }

    /// The keyspace events logged since the last call: `[{ db, key, event }]` (`key` decoded as
    /// UTF-8), oldest first.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> JsValue {
        let out = js_sys::Array::new();
        for ev in self.engine.take_events() {
            let obj = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("db"), &JsValue::from(ev.db as u32));
            let _ = js_sys::Reflect::set(
                &obj,
                &JsValue::from_str("key"),
                &JsValue::from_str(&String::from_utf8_lossy(&ev.key)),
            );
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("event"), &JsValue::from_str(ev.event));
            out.push(&obj);
        }
        out.into()
    }

    /// The fast path: the command and up to five arguments as separate strings
    /// (`call(id, "SET", "k", "v")`). Missing trailing arguments are `undefined`.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &mut self,
        client_id: u32,
        command: String,
        a: Option<String>,
        b: Option<String>,
        c: Option<String>,
        d: Option<String>,
        e: Option<String>,
    ) -> JsValue {
        let mut args = Vec::with_capacity(6);
        args.push(command.into_bytes());
        // argv index of the first missing argument, if any.
        let mut missing: Option<usize> = None;
        for (i, arg) in [a, b, c, d, e].into_iter().enumerate() {
            match (arg, missing) {
                (Some(_), Some(gap)) => {
                    return error_object(&format!("ERR argument {gap} is missing but a later one is given"));
                }
                (Some(s), None) => args.push(s.into_bytes()),
                (None, None) => missing = Some(i + 1),
                (None, Some(_)) => {}
            }
        }
        reply_to_js(&self.engine.execute(ClientId::from(client_id), &args))
    }

    /// The module's `WebAssembly.Memory`, where the byte-buffer door's areas live (its `buffer`
    /// changes when the memory grows).
    pub fn memory(&self) -> JsValue {
        wasm_bindgen::memory()
    }

    /// The address of a request area of at least `bytes` bytes for [`Playground::exec_request`],
    /// or 0 if `bytes` is more than [`MAX_REQUEST_BYTES`]. The address stays valid until the next
    /// call of this method.
    #[wasm_bindgen(js_name = requestArea)]
    pub fn request_area(&mut self, bytes: u32) -> u32 {
        if bytes > MAX_REQUEST_BYTES {
            return 0;
        }
        let want = bytes as usize;
        AREAS.with(|areas| {
            let mut areas = areas.borrow_mut();
            areas.forget_kept();
            if areas.request.len() < want {
                areas.request.resize(want, 0);
            }
            areas.request.as_ptr() as u32
        })
    }

    /// The byte-buffer door: runs the argv written in the first `len` bytes of the request area
    /// as `client_id`, with the clock's wall time at `now_ms` (NaN: read `Date.now()`), and
    /// returns the address of the response (see the module docs for both formats). A request
    /// that does not parse is answered with an error reply.
    #[wasm_bindgen(js_name = execRequest)]
    pub fn exec_request(&mut self, client_id: u32, len: u32, now_ms: f64) -> u32 {
        let (mut argv, argc) = AREAS.with(|areas| {
            let mut areas = areas.borrow_mut();
            let mut argv = std::mem::take(&mut areas.argv);
            let argc = areas.request.get(..len as usize).and_then(|r| parse_request(r, &mut argv));
            (argv, argc)
        });
        let reply = match argc.and_then(|n| argv.get(..n)) {
            Some(args) => {
                PINNED_US.with(|p| p.set(now_ms.is_finite().then(|| ms_to_us(now_ms))));
                let reply = self.engine.execute(ClientId::from(client_id), args);
                PINNED_US.with(|p| p.set(None));
                reply
            }
            None => Reply::err("ERR malformed request"),
        };
        argv.truncate(KEEP_ARGS);
        for buffer in &mut argv {
            if buffer.capacity() > KEEP_ARG_BYTES {
                *buffer = Vec::new();
            }
        }
        let deadline = if self.engine.clock.is_frozen() {
            f64::NAN
        } else {
            self.engine.next_deadline_ms().map_or(f64::NAN, |t| t as f64)
        };
        let waiting = self.engine.has_deliveries();
        let at = AREAS.with(|areas| {
            let mut areas = areas.borrow_mut();
            areas.argv = argv;
            areas.response.clear();
            areas.response.extend_from_slice(&deadline.to_le_bytes());
            areas.response.push(u8::from(waiting));
            encode_reply(&reply, &mut areas);
            areas.response.as_ptr() as u32
        });
        reply.recycle();
        at
    }

    /// Runs a line typed as into redis-cli and returns what redis-cli would print (no trailing
    /// newline). Bad quoting gives redis-cli's `Invalid argument(s)`; an empty line gives "".
    #[wasm_bindgen(js_name = execLine)]
    pub fn exec_line(&mut self, client_id: u32, line: &str) -> String {
        match crate::cli::split_args(line.as_bytes()) {
            Ok(argv) if argv.is_empty() => String::new(),
            Ok(argv) => {
                let reply = self.engine.execute(ClientId::from(client_id), &argv);
                let raw = crate::cli::wants_raw_output(&argv);
                let mut text = String::from_utf8_lossy(&crate::cli::transcript_text(None, &reply, raw)).into_owned();
                if text.ends_with('\n') {
                    text.pop();
                }
                text
            }
            Err(_) => "Invalid argument(s)".to_string(),
        }
    }

    /// What commands and the clock caused for clients, in order since the last call:
    /// `[{ client, reply, push }]` (see the module docs).
    #[wasm_bindgen(js_name = takeDeliveries)]
    pub fn take_deliveries(&mut self) -> JsValue {
        let out = js_sys::Array::new();
        for (id, reply) in self.engine.take_deliveries() {
            let obj = js_sys::Object::new();
            let push = matches!(reply, Reply::Push(_));
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("client"), &JsValue::from(js_client_id(id)));
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("reply"), &reply_to_js(&resp2(reply)));
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("push"), &JsValue::from_bool(push));
            out.push(&obj);
        }
        out.into()
    }

    /// The engine time (ms) at which something happens by itself — a key expires or a blocked
    /// client times out — or `undefined` when nothing is pending.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> Option<f64> {
        self.engine.next_deadline_ms().map(|t| t as f64)
    }

    /// The virtual clock, in milliseconds since the epoch (fractional: microsecond resolution).
    pub fn now(&self) -> f64 {
        self.engine.clock.now_us() as f64 / 1000.0
    }

    /// Stops the clock at the current instant.
    pub fn freeze(&mut self) {
        self.engine.clock.freeze();
    }

    /// Lets the clock run again from where it stands.
    pub fn resume(&mut self) {
        self.engine.clock.resume();
        self.engine.tick();
    }

    #[wasm_bindgen(js_name = isFrozen)]
    pub fn is_frozen(&self) -> bool {
        self.engine.clock.is_frozen()
    }

    /// Moves the clock forward by `ms` (back if negative) and expires what falls due. False, and
    /// nothing changes, if `ms` is not a finite number.
    pub fn advance(&mut self, ms: f64) -> bool {
        if !ms.is_finite() {
            return false;
        }
        self.engine.clock.advance_us(ms_to_us(ms));
        self.engine.tick();
        true
    }

    /// Moves the clock to `ms` since the epoch and expires what falls due. False, and nothing
    /// changes, if `ms` is not a finite number.
    #[wasm_bindgen(js_name = setTime)]
    pub fn set_time(&mut self, ms: f64) -> bool {
        if !ms.is_finite() {
            return false;
        }
        self.engine.clock.set_us(ms_to_us(ms));
        self.engine.tick();
        true
    }

    /// Active expiry: removes every key whose time has come. A page whose clock runs in real time
    /// calls this now and then (commands do it themselves).
    pub fn tick(&mut self) {
        self.engine.tick();
    }

    /// The implemented commands, as plain data: `[{ name, arity, flags, group, summary, since,
    /// complexity, usage, subcommands: [...] }]`, sorted by name.
    pub fn commands(&self) -> JsValue {
        let list: Vec<CommandInfo> = commands::registry().iter().map(command_info).collect();
        to_js(&list)
    }

    /// The keys of database `db` for an inspector: `{ db, size, keys: [{ name, type, ttl,
    /// encoding, preview }] }` with at most `limit` keys (default 1000), the first ones in byte
    /// order of their names. `ttl` is the remaining time in milliseconds, or -1.
    pub fn keyspace(&mut self, db: u32, limit: Option<u32>) -> JsValue {
        let Some(index) = usize::try_from(db).ok().filter(|i| *i < DATABASES) else {
            return error_object("ERR DB index is out of range");
        };
        self.engine.tick();
        let limit = limit.unwrap_or(DEFAULT_KEYSPACE_LIMIT) as usize;
        let now = self.engine.clock.now_ms();
        let config = &self.engine.state.config;
        let Some(database) = self.engine.state.dbs.get(index) else {
            return error_object("ERR DB index is out of range");
        };

        // The `limit` smallest names, in O(n log limit) without sorting the whole keyspace.
        let mut heap: BinaryHeap<&Bytes> = BinaryHeap::new();
        if limit > 0 {
            for key in database.keys() {
                if heap.len() < limit {
                    heap.push(key);
                } else if heap.peek().is_some_and(|top| key < *top) {
                    heap.pop();
                    heap.push(key);
                }
            }
        }
        let keys: Vec<KeyInfo> = heap
            .into_sorted_vec()
            .into_iter()
            .filter_map(|key| {
                let entry = database.get(key)?;
                Some(KeyInfo {
                    name: String::from_utf8_lossy(key).into_owned(),
                    r#type: entry.value.type_name(),
                    ttl: entry.expire_at.map_or(-1.0, |t| t.saturating_sub(now).max(0) as f64),
                    encoding: entry.value.encoding(config),
                    preview: preview(&entry.value, PREVIEW_BYTES),
                })
            })
            .collect();
        to_js(&Keyspace { db, size: database.len(), keys })
    }
}

/// A bounded look at a value, for the inspector.
///
/// Strings: `len` is the length in bytes and `text` the first `max_bytes` of it (decoded as
/// UTF-8). Collections: `len` is the number of elements and `items` the first ones in the type's
/// own order (list index, hash field order, set order, sorted-set rank) — for a hash `field`,
/// `value` pairs flattened, for a sorted set `member`, `score` pairs — until about `max_bytes` of
/// text; `truncated` says when the inspector is seeing less than the whole value.
#[derive(Serialize, Debug, PartialEq)]
pub struct Preview {
    pub len: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
    pub truncated: bool,
}

/// The preview of `value`, never longer than `max_bytes` of string data.
pub fn preview(value: &Value, max_bytes: usize) -> Preview {
    fn text(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }
    // Takes whole elements (groups of `per` strings) until about `max_bytes` of text.
    fn items(len: usize, per: usize, max_bytes: usize, all: impl Iterator<Item = String>) -> Preview {
        let mut shown = Vec::new();
        let mut bytes = 0;
        let mut elements = 0;
        let mut group = Vec::with_capacity(per);
        for s in all {
            group.push(s);
            if group.len() < per {
                continue;
            }
            let size: usize = group.iter().map(|s| s.len()).sum();
            if elements > 0 && bytes + size > max_bytes {
                break;
            }
            bytes += size;
            elements += 1;
            shown.append(&mut group);
            if bytes >= max_bytes {
                break;
            }
        }
        Preview { len, text: None, items: Some(shown), truncated: elements < len }
    }
    match value {
        Value::Str(s) => {
            let shown = &s.data[..s.data.len().min(max_bytes)];
            Preview {
                len: s.data.len(),
                text: Some(text(shown)),
                items: None,
                truncated: shown.len() < s.data.len(),
            }
        }
        Value::List(l) => items(l.len(), 1, max_bytes, l.iter().map(|e| text(e))),
        Value::Hash(h) => {
            items(h.len(), 2, max_bytes, h.iter().flat_map(|(f, v)| [text(f), text(v)]))
        }
        Value::Set(s) => items(s.len(), 1, max_bytes, s.iter().map(|m| text(&m))),
        Value::ZSet(z) => items(
            z.len(),
            2,
            max_bytes,
            z.iter().flat_map(|(m, sc)| [text(m), crate::num::fmt_double(sc)]),
        ),
    }
}

#[derive(Serialize)]
struct Keyspace {
    db: u32,
    size: usize,
    keys: Vec<KeyInfo>,
}

#[derive(Serialize)]
struct KeyInfo {
    name: String,
    r#type: &'static str,
    ttl: f64,
    encoding: &'static str,
    preview: Preview,
}

#[derive(Serialize)]
struct CommandInfo {
    name: &'static str,
    arity: i32,
    flags: &'static [&'static str],
    group: &'static str,
    summary: &'static str,
    since: &'static str,
    complexity: &'static str,
    usage: &'static str,
    subcommands: Vec<CommandInfo>,
}

fn command_info(cmd: &Command) -> CommandInfo {
    let s = cmd.spec;
    CommandInfo {
        name: s.name,
        arity: s.arity,
        flags: s.flags,
        group: s.group,
        summary: s.summary,
        since: s.since,
        complexity: s.complexity,
        usage: s.usage,
        subcommands: cmd.subcommands.iter().map(command_info).collect(),
    }
}

/// Plain JS data (objects, arrays, numbers, strings) from a serializable value.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).unwrap_or_else(|e| error_object(&format!("ERR {e}")))
}

/// Milliseconds (possibly fractional) to whole microseconds, saturating (NaN gives 0).
fn ms_to_us(ms: f64) -> i64 {
    (ms * 1000.0) as i64
}

/// Engine client ids count up from 1; a JS number holds them exactly.
fn js_client_id(id: ClientId) -> u32 {
    u32::try_from(id).unwrap_or(u32::MAX)
}

/// The bytes of one argv element: a string (UTF-8), a finite number or BigInt (its JS decimal
/// text), or a Uint8Array (raw bytes). Anything else is refused.
fn arg_bytes(v: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = v.as_string() {
        return Some(s.into_bytes());
    }
    if let Some(n) = v.as_f64() {
        if !n.is_finite() {
            return None;
        }
        let text = js_sys::Number::from(n).to_string_with_radix(10).ok()?;
        return Some(String::from(text).into_bytes());
    }
    if let Some(big) = v.dyn_ref::<js_sys::BigInt>() {
        let text = big.to_string(10).ok()?;
        return Some(String::from(text).into_bytes());
    }
    if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Some(bytes.to_vec());
    }
    None
}

/// An argv from a JavaScript array, or the error object to answer with.
fn argv_from_js(argv: &JsValue) -> Result<Vec<Vec<u8>>, JsValue> {
    let Some(array) = argv.dyn_ref::<js_sys::Array>() else {
        return Err(error_object("ERR argv must be an array of strings"));
    };
    let mut args = Vec::with_capacity(array.length() as usize);
    for (i, item) in array.iter().enumerate() {
        match arg_bytes(&item) {
            Some(b) => args.push(b),
            None => {
                return Err(error_object(&format!(
                    "ERR argument {i} is not a string, a number or a Uint8Array"
                )))
            }
        }
    }
    Ok(args)
}

/// Reads the argv of a door request (`argc`, then each argument's length and bytes) into the first
/// `argc` buffers of `argv`, reusing the buffers already there, and returns `argc`; `None` if the
/// bytes do not hold exactly that.
fn parse_request(bytes: &[u8], argv: &mut Vec<Vec<u8>>) -> Option<usize> {
    let (argc, mut rest) = take_u32(bytes)?;
    let argc = argc as usize;
    for i in 0..argc {
        let (len, tail) = take_u32(rest)?;
        let len = len as usize;
        if tail.len() < len {
            return None;
        }
        let (arg, tail) = tail.split_at(len);
        // Each argument takes at least four bytes of the request, so `argv` never grows past
        // what the request holds.
        match argv.get_mut(i) {
            Some(buffer) => {
                buffer.clear();
                buffer.extend_from_slice(arg);
            }
            None => argv.push(arg.to_vec()),
        }
        rest = tail;
    }
    rest.is_empty().then_some(argc)
}

fn take_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    if bytes.len() < 4 {
        return None;
    }
    let (head, rest) = bytes.split_at(4);
    let mut word = [0u8; 4];
    word.copy_from_slice(head);
    Some((u32::from_le_bytes(word), rest))
}

/// A length or count as the door writes it (never more than u32 on wasm32, where memory is 4 GiB).
fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

/// A string item: ASCII (which JavaScript decodes without a TextDecoder) or UTF-8, invalid
/// sequences replaced by U+FFFD exactly as `String::from_utf8_lossy` does for `exec`.
fn put_str(out: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.is_ascii() {
        out.push(TAG_ASCII);
        put_u32(out, bytes.len());
        out.extend_from_slice(bytes);
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    out.push(TAG_UTF8);
    put_u32(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn put_int(out: &mut Vec<u8>, n: i64) {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) {
        out.push(TAG_INT);
        out.extend_from_slice(&(n as f64).to_le_bytes());
    } else {
        let text = n.to_string();
        out.push(TAG_BIG_INT);
        put_u32(out, text.len());
        out.extend_from_slice(text.as_bytes());
    }
}

/// A reply in the door's tagged format, into the response area: the same value [`reply_to_js`]
/// makes of it.
fn encode_reply(reply: &Reply, areas: &mut Areas) {
    match reply {
        Reply::Status(s) => areas.put_str(s.as_bytes()),
        Reply::Error(s) => {
            // Errors are rare: their text crosses in full, never through the table.
            areas.response.push(TAG_ERROR);
            put_str(&mut areas.response, s.as_bytes());
        }
        Reply::Int(n) => put_int(&mut areas.response, *n),
        Reply::Bulk(b) => areas.put_str(b),
        Reply::Nil | Reply::NilArray => areas.response.push(TAG_NULL),
        Reply::Array(items) | Reply::Push(items) => {
            areas.response.push(TAG_ARRAY);
            put_u32(&mut areas.response, items.len());
            for item in items {
                encode_reply(item, areas);
            }
        }
        Reply::Double(d) => areas.put_str(crate::num::fmt_double(*d).as_bytes()),
        Reply::Map(pairs) => {
            areas.response.push(TAG_ARRAY);
            put_u32(&mut areas.response, pairs.len().saturating_mul(2));
            for (k, v) in pairs {
                encode_reply(k, areas);
                encode_reply(v, areas);
            }
        }
        Reply::Bool(b) => put_int(&mut areas.response, i64::from(*b)),
        Reply::Multi(items) => {
            areas.response.push(TAG_MULTI);
            put_u32(&mut areas.response, items.len());
            for item in items {
                encode_reply(item, areas);
            }
        }
        Reply::Blocked => areas.response.push(TAG_BLOCKED),
    }
}

/// `{ error: text }`
fn error_object(text: &str) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("error"), &JsValue::from_str(text));
    obj.into()
}

/// A reply as a JavaScript value (see the table in the module docs).
pub fn reply_to_js(reply: &Reply) -> JsValue {
    match reply {
        Reply::Status(s) => JsValue::from_str(s),
        Reply::Error(s) => error_object(s),
        Reply::Int(n) => int_to_js(*n),
        Reply::Bulk(b) => JsValue::from_str(&String::from_utf8_lossy(b)),
        Reply::Nil | Reply::NilArray => JsValue::NULL,
        Reply::Array(items) | Reply::Push(items) => {
            items.iter().map(reply_to_js).collect::<js_sys::Array>().into()
        }
        Reply::Double(d) => JsValue::from_str(&crate::num::fmt_double(*d)),
        Reply::Map(pairs) => {
            let out = js_sys::Array::new();
            for (k, v) in pairs {
                out.push(&reply_to_js(k));
                out.push(&reply_to_js(v));
            }
            out.into()
        }
        Reply::Bool(b) => JsValue::from_f64(if *b { 1.0 } else { 0.0 }),
        Reply::Multi(items) => {
            let obj = js_sys::Object::new();
            let list: js_sys::Array = items.iter().map(reply_to_js).collect();
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("replies"), &list);
            obj.into()
        }
        Reply::Blocked => {
            let obj = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("blocked"), &JsValue::TRUE);
            obj.into()
        }
    }
}

/// A reply as a RESP2 client receives it (what redis-cli shows by default): maps flattened to
/// arrays, doubles as bulk strings, booleans as 0/1, pushes as arrays.
pub fn resp2(reply: Reply) -> Reply {
    match reply {
        Reply::Map(pairs) => {
            Reply::Array(pairs.into_iter().flat_map(|(k, v)| [resp2(k), resp2(v)]).collect())
        }
        Reply::Array(items) | Reply::Push(items) => Reply::Array(items.into_iter().map(resp2).collect()),
        Reply::Double(d) => Reply::Bulk(crate::num::fmt_double(d).into_bytes()),
        Reply::Bool(b) => Reply::Int(i64::from(b)),
        Reply::Multi(items) => Reply::Multi(items.into_iter().map(resp2).collect()),
        other => other,
    }
}

fn int_to_js(n: i64) -> JsValue {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) {
        JsValue::from_f64(n as f64)
    } else {
        JsValue::from(n)
    }
}
