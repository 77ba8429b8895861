//! The engine: databases, clients, the clock, and the one door every command goes through.
//!
//! [`Engine::execute`] takes a client id and an argv (binary-safe arguments, name first), finds the
//! command in the table, checks its arity, runs its handler with a [`Ctx`], and returns a
//! [`Reply`]. Nothing else in the engine decides what a command is or how it fails: unknown
//! commands, unknown subcommands and wrong arity are answered here with Redis's exact texts.
//!
//! ## State and snapshots
//! Everything that a snapshot must capture lives in [`State`]: the sixteen databases, the CONFIG
//! values and the random generator. Each database is a pair of persistent trees, so
//! [`Engine::snapshot`] is O(1) (sixteen pointer copies) and [`Engine::restore`] puts a snapshot back
//! as it was. Clients, the clock and pending events are deliberately outside it.
//!
//! ## Expiry
//! A key expires when the virtual clock passes its expiry time. Like Redis, a key is checked lazily
//! when a command touches it; in addition, every time the engine runs a command or the clock moves
//! (see [`Engine::tick`]) all due keys are removed at once, so the keyspace always reflects the clock
//! exactly (Redis samples instead; the visible result, a key gone after its TTL, is the same).

use std::collections::BTreeMap;

use crate::clock::{Clock, TimeSource};
use crate::commands::{self, Command};
use crate::config::Config;
use crate::keyspace::Db;
use crate::notify;
use crate::reply::{errors, Reply};
use crate::value::{Bytes, Value};

/// The number of logical databases.
pub const DATABASES: usize = 16;

/// A client's id (Redis's `CLIENT ID`).
pub type ClientId = u64;

/// One connection's state.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: ClientId,
    pub name: Option<String>,
    /// Selected database.
    pub db: usize,
    /// The last command it ran (lower-case full name), for CLIENT LIST.
    pub last_cmd: String,
    /// When it was opened (engine ms).
    pub created_ms: i64,
}

/// A keyspace event raised by a command: the raw material for keyspace notifications, WATCH and
/// waking blocked clients.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEvent {
    pub db: usize,
    pub class: u32,
    pub event: &'static str,
    pub key: Bytes,
}

/// Everything a snapshot captures.
#[derive(Clone, Debug)]
pub struct State {
    pub dbs: Vec<Db>,
    pub config: Config,
    /// State of the engine's random generator (RANDOMKEY, SPOP, ...): part of the snapshot so that
    /// replaying from a snapshot gives the same results.
    pub rng: u64,
}

impl Default for State {
    fn default() -> State {
        State { dbs: vec![Db::default(); DATABASES], config: Config::default(), rng: 0x2545_f491_4f6c_dd1d }
    }
}

/// A Redis-compatible engine.
pub struct Engine {
    pub state: State,
    pub clock: Clock,
    clients: BTreeMap<ClientId, Client>,
    next_client_id: ClientId,
    /// Events raised by the command being run (drained after each command).
    events: Vec<KeyEvent>,
    /// Keys touched by writes (for WATCH): (db, key).
    modified: Vec<(usize, Bytes)>,
    started_us: i64,
    /// Counters reported by INFO.
    pub stats: Stats,
}

/// Counters reported by INFO (reset by CONFIG RESETSTAT).
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub commands_processed: u64,
    pub expired_keys: u64,
    pub connections_received: u64,
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine on the system clock (native builds).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new() -> Engine {
        Engine::with_time_source(Box::new(crate::clock::system_time_us))
    }

    /// An engine whose clock follows `source` (microseconds since the epoch).
    pub fn with_time_source(source: TimeSource) -> Engine {
        let clock = Clock::new(source);
        let started_us = clock.now_us();
        Engine {
            state: State::default(),
            clock,
            clients: BTreeMap::new(),
            next_client_id: 1,
            events: Vec::new(),
            modified: Vec::new(),
            started_us,
            stats: Stats::default(),
        }
    }

    /// When the engine started, in engine microseconds.
    pub fn started_us(&self) -> i64 {
        self.started_us
    }

    /// Opens a new client and returns its id.
    pub fn open_client(&mut self) -> ClientId {
        let id = self.next_client_id;
        self.next_client_id += 1;
        let created_ms = self.clock.now_ms();
        self.stats.connections_received += 1;
        self.clients.insert(id, Client { id, name: None, db: 0, last_cmd: "NULL".into(), created_ms });
        id
    }

    /// Closes a client; false if there was none.
    pub fn close_client(&mut self, id: ClientId) -> bool {
        self.clients.remove(&id).is_some()
    }

    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(&id)
    }

    pub fn client_mut(&mut self, id: ClientId) -> Option<&mut Client> {
        self.clients.get_mut(&id)
    }

    pub fn clients(&self) -> impl Iterator<Item = &Client> {
        self.clients.values()
    }

    /// An O(1) copy of everything a command can change.
    pub fn snapshot(&self) -> State {
        self.state.clone()
    }

    /// Puts a snapshot back.
    pub fn restore(&mut self, state: State) {
        self.state = state;
    }

    /// Removes every key whose time has come (active expiry). Call after moving the clock; the
    /// engine also calls it before every command.
    pub fn tick(&mut self) {
        let now = self.clock.now_ms();
        for db in 0..DATABASES {
            if self.state.dbs[db].next_expiry().is_some_and(|t| t <= now) {
                for key in self.state.dbs[db].due_keys(now) {
                    self.state.dbs[db].remove(&key);
                    self.stats.expired_keys += 1;
                    self.raise(db, notify::EXPIRED, "expired", key);
                }
            }
        }
        self.flush_events();
    }

    fn raise(&mut self, db: usize, class: u32, event: &'static str, key: Bytes) {
        self.modified.push((db, key.clone()));
        if self.state.config.notify_keyspace_events != 0 {
            self.events.push(KeyEvent { db, class, event, key });
        }
    }

    /// Takes the events raised since the last call.
    pub fn take_events(&mut self) -> Vec<KeyEvent> {
        std::mem::take(&mut self.events)
    }

    fn flush_events(&mut self) {
        // Keyspace notifications and WATCH are delivered by the clients layer; until a consumer
        // takes them, keep the buffers bounded.
        self.modified.clear();
        if self.events.len() > 10_000 {
            self.events.clear();
        }
    }

    /// Runs one command for client `id`.
    pub fn execute(&mut self, id: ClientId, argv: &[Vec<u8>]) -> Reply {
        if !self.clients.contains_key(&id) {
            return Reply::err("ERR no such client");
        }
        let Some(name) = argv.first() else {
            return Reply::err("ERR empty command");
        };
        self.tick();
        let reply = match resolve(argv) {
            Ok((cmd, handler)) => {
                if let Some(c) = self.clients.get_mut(&id) {
                    c.last_cmd = cmd.spec.name.to_string();
                }
                self.stats.commands_processed += 1;
                let now_ms = self.clock.now_ms();
                let mut ctx = Ctx { eng: self, cid: id, now_ms };
                handler(&mut ctx, argv)
            }
            Err(e) => {
                let _ = name;
                e
            }
        };
        self.flush_events();
        reply
    }

    /// Runs a command given as text (redis-cli's quoting rules) and returns the reply, or the
    /// tokenizer's error.
    pub fn execute_line(&mut self, id: ClientId, line: &str) -> Option<Reply> {
        match crate::cli::split_args(line.as_bytes()) {
            Ok(argv) if argv.is_empty() => None,
            Ok(argv) => Some(self.execute(id, &argv)),
            Err(_) => Some(Reply::err("Invalid argument(s)")),
        }
    }
}

/// Finds the command (and subcommand) for `argv` and checks its arity, with Redis's errors.
pub fn resolve(argv: &[Vec<u8>]) -> Result<(&'static Command, commands::Handler), Reply> {
    let name = &argv[0];
    let Some(cmd) = commands::lookup(name) else {
        return Err(unknown_command(argv));
    };
    if !cmd.subcommands.is_empty() && argv.len() >= 2 {
        let Some(sub) = cmd.subcommand(&argv[1]) else {
            return Err(Reply::Error(sanitize(&format!(
                "ERR unknown subcommand '{}'. Try {} HELP.",
                truncate(&argv[1], 128),
                String::from_utf8_lossy(name).to_ascii_uppercase()
            ))));
        };
        if !sub.spec.arity_ok(argv.len()) {
            return Err(wrong_arity(sub.spec.name));
        }
        return match sub.handler {
            Some(h) => Ok((sub, h)),
            None => Err(unknown_command(argv)),
        };
    }
    if !cmd.spec.arity_ok(argv.len()) {
        return Err(wrong_arity(cmd.spec.name));
    }
    match cmd.handler {
        Some(h) => Ok((cmd, h)),
        None => Err(unknown_command(argv)),
    }
}

fn truncate(b: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&b[..b.len().min(n)]).into_owned()
}

/// Redis replaces newlines in error texts with spaces (they would break the protocol).
fn sanitize(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' ` (trailing space included).
pub fn unknown_command(argv: &[Vec<u8>]) -> Reply {
    let mut args = String::new();
    for a in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push('\'');
        args.push_str(&truncate(a, room));
        args.push_str("' ");
    }
    Reply::Error(sanitize(&format!(
        "ERR unknown command '{}', with args beginning with: {}",
        truncate(&argv[0], 128),
        args
    )))
}

/// `ERR wrong number of arguments for 'get' command`
pub fn wrong_arity(full_name: &str) -> Reply {
    Reply::Error(format!("ERR wrong number of arguments for '{full_name}' command"))
}

/// What a command handler works with: the engine, the calling client and the time at which the
/// command runs (fixed for the whole command, like Redis's cached command time).
pub struct Ctx<'a> {
    pub eng: &'a mut Engine,
    pub cid: ClientId,
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// The calling client.
    pub fn client(&self) -> &Client {
        // `execute` checked that the client exists and nothing removes it during a command.
        self.eng.clients.get(&self.cid).unwrap_or_else(|| unreachable_client())
    }

    pub fn client_mut(&mut self) -> &mut Client {
        let cid = self.cid;
        self.eng.clients.entry(cid).or_insert_with(|| Client {
            id: cid,
            name: None,
            db: 0,
            last_cmd: "NULL".into(),
            created_ms: 0,
        })
    }

    /// The selected database's index.
    pub fn db_index(&self) -> usize {
        self.eng.clients.get(&self.cid).map(|c| c.db).unwrap_or(0)
    }

    /// The selected database.
    pub fn db(&mut self) -> &mut Db {
        let i = self.db_index();
        &mut self.eng.state.dbs[i]
    }

    /// Database `i` (0..16).
    pub fn db_at(&mut self, i: usize) -> &mut Db {
        &mut self.eng.state.dbs[i]
    }

    pub fn config(&self) -> &Config {
        &self.eng.state.config
    }

    /// Removes `key` from database `db` if its time has come; true if it did.
    pub fn expire_if_due_in(&mut self, db: usize, key: &[u8]) -> bool {
        if self.eng.state.dbs[db].is_due(key, self.now_ms) {
            self.eng.state.dbs[db].remove(key);
            self.eng.stats.expired_keys += 1;
            self.eng.raise(db, notify::EXPIRED, "expired", crate::value::bytes(key));
            true
        } else {
            false
        }
    }

    /// Removes `key` from the selected database if its time has come.
    pub fn expire_if_due(&mut self, key: &[u8]) -> bool {
        let db = self.db_index();
        self.expire_if_due_in(db, key)
    }

    /// The value of `key` in the selected database, honouring expiry.
    pub fn lookup(&mut self, key: &[u8]) -> Option<&Value> {
        self.expire_if_due(key);
        let i = self.db_index();
        self.eng.state.dbs[i].get(key).map(|e| &e.value)
    }

    /// Mutable access to the value of `key`, honouring expiry.
    pub fn lookup_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.expire_if_due(key);
        self.db().get_mut(key)
    }

    /// True if `key` exists (honouring expiry).
    pub fn exists(&mut self, key: &[u8]) -> bool {
        self.lookup(key).is_some()
    }

    /// The expiry time of `key` (after an expiry check), if it has one.
    pub fn expire_at(&mut self, key: &[u8]) -> Option<i64> {
        self.expire_if_due(key);
        self.db().get(key).and_then(|e| e.expire_at)
    }

    /// Stores `value` under `key` in the selected database (dropping its TTL unless `keep_ttl`).
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        self.db().set(key, value, keep_ttl);
    }

    /// Deletes `key` from the selected database (honouring expiry); true if it existed.
    pub fn delete(&mut self, key: &[u8]) -> bool {
        if self.expire_if_due(key) {
            return false;
        }
        self.db().remove(key).is_some()
    }

    /// Deletes `key` if it holds an empty collection (Redis never keeps one), raising `del`.
    /// Returns true if it was deleted.
    pub fn delete_if_empty(&mut self, key: &[u8]) -> bool {
        let empty = self.db().get(key).is_some_and(|e| e.value.is_empty_collection());
        if empty {
            self.db().remove(key);
            self.notify(notify::GENERIC, "del", key);
        }
        empty
    }

    /// Raises a keyspace event on the selected database (and marks the key modified for WATCH).
    pub fn notify(&mut self, class: u32, event: &'static str, key: &[u8]) {
        let db = self.db_index();
        self.notify_in(db, class, event, key);
    }

    /// Raises a keyspace event on database `db`.
    pub fn notify_in(&mut self, db: usize, class: u32, event: &'static str, key: &[u8]) {
        self.eng.raise(db, class, event, crate::value::bytes(key));
    }

    /// Marks `key` modified (for WATCH) without a notification.
    pub fn signal_modified(&mut self, key: &[u8]) {
        let db = self.db_index();
        self.signal_modified_in(db, key);
    }

    /// Marks `key` of database `db` modified (for WATCH) without a notification.
    pub fn signal_modified_in(&mut self, db: usize, key: &[u8]) {
        self.eng.modified.push((db, crate::value::bytes(key)));
    }

    /// The next number from the engine's random generator (xorshift64*; part of the snapshot).
    pub fn random(&mut self) -> u64 {
        let mut x = self.eng.state.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.eng.state.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A random index below `n` (n > 0).
    pub fn random_below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.random() % n as u64) as usize
    }
}

#[cold]
fn unreachable_client() -> &'static Client {
    static NOBODY: Client =
        Client { id: 0, name: None, db: 0, last_cmd: String::new(), created_ms: 0 };
    &NOBODY
}

/// `WRONGTYPE ...` as a reply.
pub fn wrongtype() -> Reply {
    Reply::err(errors::WRONGTYPE)
}
