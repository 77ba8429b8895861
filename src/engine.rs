//! The engine: databases, clients, the clock, and the one door every command goes through.
//!
//! [`Engine::execute`] takes a client id and an argv (binary-safe arguments, name first), finds the
//! command in the table, checks its arity, runs its handler with a [`Ctx`], and returns a
//! [`Reply`]. Nothing else in the engine decides what a command is or how it fails: unknown
//! commands, unknown subcommands and wrong arity are answered here with Redis's exact texts.
//!
//! ## State and snapshots
//! Everything a command can change lives in [`State`]: the sixteen databases, the CONFIG values
//! and the random generator. Each database is a pair of persistent trees, so
//! [`Engine::snapshot`] (in [`crate::state`], with the clock added) is O(1) (sixteen pointer
//! copies) and [`Engine::restore`] puts a snapshot back as it was. Clients and pending events are
//! deliberately outside it.
//!
//! ## Clients
//! The engine hosts many clients at once (the page shows several side by side). Each has its own
//! selected database, transaction state, watched keys, subscriptions and possibly a blocked command.
//! The caller of [`Engine::execute`] gets the calling client's reply; everything a command causes
//! for *other* clients — pub/sub messages, keyspace notifications, the late reply of a blocked
//! client that this command served — is queued as a delivery and collected with
//! [`Engine::take_deliveries`]. Before a command runs, the engine applies Redis's gatekeeping in
//! Redis's order: unknown command, arity, the subscribed-client rule, then MULTI queueing.
//!
//! ## Expiry
//! A key expires when the virtual clock passes its expiry time. Like Redis, a key is checked lazily
//! when a command touches it; in addition, every time the engine runs a command or the clock moves
//! (see [`Engine::tick`]) all due keys are removed at once, so the keyspace always reflects the clock
//! exactly (Redis samples instead; the visible result, a key gone after its TTL, is the same).

use std::cell::Cell;
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
    pub last_cmd: &'static str,
    /// When it was opened (engine ms).
    pub created_ms: i64,
    /// When it last ran a command (engine ms), for CLIENT LIST's idle.
    pub last_active_ms: i64,
    /// Protocol version chosen with HELLO (2 until a client asks for 3).
    pub resp: u8,
    /// The open transaction, between MULTI and EXEC/DISCARD.
    pub multi: Option<Multi>,
    /// Keys watched with WATCH: (db, key).
    pub watched: Vec<(usize, Bytes)>,
    /// A watched key was modified since WATCH: the next EXEC fails.
    pub dirty_cas: bool,
    /// Inside EXEC: how many commands the transaction queued (CLIENT LIST still shows it in MULTI).
    pub executing: Option<usize>,
    /// Subscribed channels and patterns, in subscription order.
    pub channels: Vec<Bytes>,
    pub patterns: Vec<Bytes>,
    /// The blocking command this client waits on, if any.
    pub blocked: Option<Blocked>,
    /// Commands sent while blocked: they run, in order, once the client is unblocked.
    pub pending: std::collections::VecDeque<Vec<Vec<u8>>>,
    /// QUIT was received: the connection should be closed once the reply is sent.
    pub closing: bool,
}

impl Client {
    fn new(id: ClientId, now_ms: i64) -> Client {
        Client {
            id,
            name: None,
            db: 0,
            last_cmd: "NULL",
            created_ms: now_ms,
            last_active_ms: now_ms,
            resp: 2,
            multi: None,
            watched: Vec::new(),
            dirty_cas: false,
            executing: None,
            channels: Vec::new(),
            patterns: Vec::new(),
            blocked: None,
            pending: Default::default(),
            closing: false,
        }
    }

    /// True while subscribed to any channel or pattern.
    pub fn in_pubsub(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty()
    }
}

/// A transaction being queued.
#[derive(Clone, Debug, Default)]
pub struct Multi {
    pub queued: Vec<Vec<Vec<u8>>>,
    /// A command was rejected while queuing: EXEC must fail with EXECABORT.
    pub aborted: bool,
}

/// A client blocked on keys (BLPOP and friends).
#[derive(Clone, Debug)]
pub struct Blocked {
    pub db: usize,
    pub keys: Vec<Bytes>,
    /// Engine time (ms) at which it gives up; `None` waits forever (timeout 0).
    pub deadline_ms: Option<i64>,
    /// The command, run again when one of its keys changes.
    pub argv: Vec<Vec<u8>>,
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
    pub(crate) clients: BTreeMap<ClientId, Client>,
    next_client_id: ClientId,
    /// Events raised by the command being run (drained after each command).
    events: Vec<(KeyEvent, u32)>,
    /// Keys touched by writes (for WATCH): (db, key).
    modified: Vec<(usize, Bytes)>,
    /// Keys that blocked clients may now be served from: (db, key). As in Redis 7.0 these are
    /// the keys *created* (its `dbAdd`, our `new` event) and, after SWAPDB, every key of the two
    /// databases; a key overwritten in place (ZUNIONSTORE onto a list) leaves its waiters waiting.
    ready: Vec<(usize, Bytes)>,
    /// Who watches what: (db, key) -> clients.
    pub(crate) watchers: BTreeMap<(usize, Bytes), Vec<ClientId>>,
    /// Channel -> subscribers, in subscription order.
    pub(crate) channels: BTreeMap<Bytes, Vec<ClientId>>,
    /// Pattern -> subscribers, in subscription order.
    pub(crate) patterns: BTreeMap<Bytes, Vec<ClientId>>,
    /// (db, key) -> clients blocked on it, longest-waiting first.
    pub(crate) blocking: BTreeMap<(usize, Bytes), std::collections::VecDeque<ClientId>>,
    /// Replies and pushes for clients other than the caller, in order.
    deliveries: Vec<(ClientId, Reply)>,
    /// Events recorded for an observer (the page's inspector), when enabled.
    record_events: bool,
    recorded: Vec<KeyEvent>,
    /// Clients closed by CLIENT KILL, for [`Engine::take_closed`].
    closed: Vec<ClientId>,
    /// How many clients are blocked (so that, most of the time, looking for timeouts costs
    /// nothing).
    blocked_clients: usize,
    /// The earliest expiry time of any database, with the [`crate::keyspace::expiry_generation`]
    /// it was found at: the databases are looked at again only after an expiry time changed.
    earliest_expiry: Cell<(u64, Option<i64>)>,
    /// The commands resolved lately, by their name as sent (see [`Engine::resolve_memo`]).
    memo: [Option<Resolved>; MEMO_SLOTS],
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
            ready: Vec::new(),
            watchers: BTreeMap::new(),
            channels: BTreeMap::new(),
            patterns: BTreeMap::new(),
            blocking: BTreeMap::new(),
            deliveries: Vec::new(),
            record_events: false,
            recorded: Vec::new(),
            closed: Vec::new(),
            blocked_clients: 0,
            earliest_expiry: Cell::new((crate::keyspace::expiry_generation().wrapping_sub(1), None)),
            memo: [None; MEMO_SLOTS],
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
        self.clients.insert(id, Client::new(id, created_ms));
        id
    }

    /// Closes a client: drops its subscriptions, watches and blocked command. False if there was
    /// none.
    pub fn close_client(&mut self, id: ClientId) -> bool {
        if !self.clients.contains_key(&id) {
            return false;
        }
        self.reset_client_state(id);
        self.clients.remove(&id);
        self.deliveries.retain(|(to, _)| *to != id);
        true
    }

    /// Forgets everything a client holds in the engine's indexes (RESET, close).
    pub(crate) fn reset_client_state(&mut self, id: ClientId) {
        self.unwatch_all(id);
        self.unblock(id);
        let (channels, patterns) = match self.clients.get_mut(&id) {
            Some(c) => {
                c.multi = None;
                c.pending.clear();
                (std::mem::take(&mut c.channels), std::mem::take(&mut c.patterns))
            }
            None => return,
        };
        for ch in channels {
            remove_subscriber(&mut self.channels, &ch, id);
        }
        for p in patterns {
            remove_subscriber(&mut self.patterns, &p, id);
        }
    }

    /// Drops every WATCH of a client.
    pub(crate) fn unwatch_all(&mut self, id: ClientId) {
        let Some(c) = self.clients.get_mut(&id) else { return };
        let watched = std::mem::take(&mut c.watched);
        c.dirty_cas = false;
        for key in watched {
            if let Some(v) = self.watchers.get_mut(&key) {
                v.retain(|x| *x != id);
                if v.is_empty() {
                    self.watchers.remove(&key);
                }
            }
        }
    }

    /// Takes a client out of the blocked state (without a reply).
    pub(crate) fn unblock(&mut self, id: ClientId) {
        let Some(b) = self.clients.get_mut(&id).and_then(|c| c.blocked.take()) else { return };
        self.blocked_clients = self.blocked_clients.saturating_sub(1);
        for key in b.keys {
            let slot = (b.db, key);
            if let Some(q) = self.blocking.get_mut(&slot) {
                q.retain(|x| *x != id);
                if q.is_empty() {
                    self.blocking.remove(&slot);
                }
            }
        }
    }

    /// Closes another client's connection (CLIENT KILL): it is dropped from the engine and listed
    /// by [`Engine::take_closed`].
    pub(crate) fn kill_client(&mut self, id: ClientId) {
        if self.close_client(id) {
            self.closed.push(id);
        }
    }

    /// Clients closed by the engine (CLIENT KILL, QUIT) since the last call.
    pub fn take_closed(&mut self) -> Vec<ClientId> {
        let quitting: Vec<ClientId> = self.clients.values().filter(|c| c.closing).map(|c| c.id).collect();
        for id in quitting {
            self.kill_client(id);
        }
        std::mem::take(&mut self.closed)
    }

    /// Unblocks a blocked client with the given reply (CLIENT UNBLOCK).
    pub(crate) fn unblock_with(&mut self, id: ClientId, reply: Reply) {
        self.unblock(id);
        self.deliver(id, reply);
        self.run_pending(id);
    }

    /// Queues a reply or push for a client (other than the caller of the running command).
    pub(crate) fn deliver(&mut self, to: ClientId, reply: Reply) {
        if self.clients.contains_key(&to) {
            if self.deliveries.len() >= MAX_QUEUED_DELIVERIES {
                // Nobody is collecting: drop the queued pub/sub messages (like a client whose
                // output buffer limit is reached), never a command's reply.
                self.deliveries.retain(|(_, r)| !matches!(r, Reply::Push(_)));
            }
            self.deliveries.push((to, reply));
        }
    }

    /// Takes the replies and pushes queued for clients since the last call, in the order they
    /// happened: pub/sub messages, keyspace notifications and late replies of blocked clients.
    pub fn take_deliveries(&mut self) -> Vec<(ClientId, Reply)> {
        std::mem::take(&mut self.deliveries)
    }

    /// True if anything waits in [`Engine::take_deliveries`].
    pub fn has_deliveries(&self) -> bool {
        !self.deliveries.is_empty()
    }

    /// Publishes `message` on `channel`: a `message` push to each subscriber of the channel, then a
    /// `pmessage` push for each matching pattern subscription. Returns the number of receivers.
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> i64 {
        let mut n = 0;
        if let Some(subs) = self.channels.get(channel).cloned() {
            for id in subs {
                self.deliver(
                    id,
                    Reply::Push(vec![Reply::bulk("message"), Reply::bulk(channel), Reply::bulk(message)]),
                );
                n += 1;
            }
        }
        let matching: Vec<(Bytes, Vec<ClientId>)> = self
            .patterns
            .iter()
            .filter(|(p, _)| crate::glob::matches(p, channel, false))
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect();
        for (pattern, subs) in matching {
            for id in subs {
                self.deliver(
                    id,
                    Reply::Push(vec![
                        Reply::bulk("pmessage"),
                        Reply::bulk(&pattern),
                        Reply::bulk(channel),
                        Reply::bulk(message),
                    ]),
                );
                n += 1;
            }
        }
        n
    }

    /// Keeps a copy of every keyspace event, whatever notify-keyspace-events says, for
    /// [`Engine::take_events`]: the page's inspector highlights what a step changed.
    pub fn record_events(&mut self, on: bool) {
        self.record_events = on;
    }

    /// The keyspace events raised since the last call: all of them while
    /// [`Engine::record_events`] is on, otherwise those of the classes notify-keyspace-events
    /// enables. At most the latest 100 000 are kept.
    pub fn take_events(&mut self) -> Vec<KeyEvent> {
        std::mem::take(&mut self.recorded)
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

    /// The whole keyspace was just replaced (a snapshot restored, a saved state loaded): every
    /// watched key counts as modified (the watchers' EXEC will fail), clients blocked on keys are
    /// served if their keys now hold data, and keys and blocking timeouts already due expire.
    pub(crate) fn keyspace_replaced(&mut self) {
        for ids in self.watchers.values() {
            for id in ids {
                if let Some(c) = self.clients.get_mut(id) {
                    c.dirty_cas = true;
                }
            }
        }
        self.ready.extend(self.blocking.keys().cloned());
        self.tick();
    }

    /// Removes every key whose time has come (active expiry). Call after moving the clock; the
    /// engine also calls it before every command.
    pub fn tick(&mut self) {
        // The clock is read only when something can fall due.
        let expiring = self.earliest_expiry();
        if expiring.is_some() || self.blocked_clients != 0 {
            let now = self.clock.now_ms();
            if expiring.is_some_and(|t| t <= now) {
                self.expire_due(now);
            }
            if self.blocked_clients != 0 {
                self.time_out_blocked(now);
            }
        }
        self.after_command();
    }

    /// Active expiry: removes every key due at `now`, in every database.
    #[inline(never)]
    fn expire_due(&mut self, now: i64) {
        for db in 0..DATABASES {
            if self.state.dbs[db].next_expiry().is_some_and(|t| t <= now) {
                for key in self.state.dbs[db].due_keys(now) {
                    self.state.dbs[db].remove(&key);
                    self.stats.expired_keys += 1;
                    self.raise(db, notify::EXPIRED, "expired", key);
                }
            }
        }
    }

    /// Blocked clients whose timeout has come get a nil reply.
    #[inline(never)]
    fn time_out_blocked(&mut self, now: i64) {
        let timed_out: Vec<ClientId> = self
            .clients
            .values()
            .filter(|c| c.blocked.as_ref().is_some_and(|b| b.deadline_ms.is_some_and(|t| t <= now)))
            .map(|c| c.id)
            .collect();
        for id in timed_out {
            self.unblock(id);
            self.deliver(id, Reply::NilArray);
            self.run_pending(id);
        }
    }

    /// The earliest time at which something will happen by itself: a key expires or a blocked
    /// client times out. A page can set a timer for it instead of polling.
    pub fn next_deadline_ms(&self) -> Option<i64> {
        let keys = self.earliest_expiry();
        if self.blocked_clients == 0 {
            return keys;
        }
        let blocked = self.clients.values().filter_map(|c| c.blocked.as_ref()?.deadline_ms).min();
        match (keys, blocked) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The earliest expiry time in any database: looked up again only when some database's
    /// expiry times changed since the last time.
    fn earliest_expiry(&self) -> Option<i64> {
        let generation = crate::keyspace::expiry_generation();
        let (seen, earliest) = self.earliest_expiry.get();
        if seen == generation {
            return earliest;
        }
        let earliest = self.state.dbs.iter().filter_map(Db::next_expiry).min();
        self.earliest_expiry.set((generation, earliest));
        earliest
    }

    /// True when anything would use a keyspace event: notifications, the event log, WATCH or a
    /// blocked client (so that, most of the time, raising one costs nothing).
    fn listening(&self) -> bool {
        self.state.config.notify_keyspace_events != 0
            || self.record_events
            || !self.watchers.is_empty()
            || !self.blocking.is_empty()
    }

    fn raise(&mut self, db: usize, class: u32, event: &'static str, key: Bytes) {
        // Only WATCH cares which keys changed, and blocked clients which were created.
        if !self.watchers.is_empty() {
            self.modified.push((db, key.clone()));
        }
        if class == notify::NEW && !self.blocking.is_empty() {
            self.ready.push((db, key.clone()));
        }
        self.raise_event_only(db, class, event, key);
    }

    /// Records a keyspace event without marking the key modified (`keymiss`).
    pub(crate) fn raise_event_only(&mut self, db: usize, class: u32, event: &'static str, key: Bytes) {
        let ev = KeyEvent { db, class, event, key };
        let flags = self.state.config.notify_keyspace_events;
        let logged = flags & class != 0;
        if self.record_events || logged {
            if self.recorded.len() >= 100_000 {
                self.recorded.drain(..50_000);
            }
            self.recorded.push(ev.clone());
        }
        if logged {
            // What notify-keyspace-events says now decides, even if the command runs inside an
            // EXEC whose later CONFIG SET changes it before the messages go out.
            self.events.push((ev, flags));
        }
    }

    /// What follows every command: WATCH invalidation, keyspace notifications, and serving
    /// blocked clients whose keys changed (which may cause more of the same, until quiet).
    #[inline]
    fn after_command(&mut self) {
        if !self.modified.is_empty() || !self.events.is_empty() || !self.ready.is_empty() {
            self.settle_events();
        }
    }

    #[inline(never)]
    fn settle_events(&mut self) {
        let mut rounds = 0;
        while !self.modified.is_empty() || !self.events.is_empty() || !self.ready.is_empty() {
            rounds += 1;
            for slot in std::mem::take(&mut self.modified) {
                if let Some(ids) = self.watchers.get(&slot) {
                    for id in ids.clone() {
                        if let Some(c) = self.clients.get_mut(&id) {
                            c.dirty_cas = true;
                        }
                    }
                }
            }
            let mut ready: Vec<(usize, Bytes)> = Vec::new();
            for slot in std::mem::take(&mut self.ready) {
                if self.blocking.contains_key(&slot) && !ready.contains(&slot) {
                    ready.push(slot);
                }
            }
            let events = std::mem::take(&mut self.events);
            self.send_notifications(events);
            if rounds > 10_000 {
                // A cycle of blocked clients feeding each other cannot run forever.
                break;
            }
            for slot in ready {
                self.serve_blocked(slot);
            }
        }
    }

    /// Turns keyspace events into `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>`
    /// messages, as notify-keyspace-events asks.
    fn send_notifications(&mut self, events: Vec<(KeyEvent, u32)>) {
        for (ev, flags) in events {
            if flags & notify::KEYSPACE != 0 {
                let mut ch = format!("__keyspace@{}__:", ev.db).into_bytes();
                ch.extend_from_slice(&ev.key);
                self.publish(&ch, ev.event.as_bytes());
            }
            if flags & notify::KEYEVENT != 0 {
                let ch = format!("__keyevent@{}__:{}", ev.db, ev.event);
                self.publish(ch.as_bytes(), &ev.key);
            }
        }
    }

    /// A key that blocked clients wait on has changed: like Redis, serve from that key each client
    /// waiting on it whose command can use what it now holds (a list for BLPOP, a sorted set for
    /// BZPOPMIN, ...), longest-waiting first; the others keep waiting, and their place.
    fn serve_blocked(&mut self, slot: (usize, Bytes)) {
        let waiting: Vec<ClientId> = self.blocking.get(&slot).map_or_else(Vec::new, |q| q.iter().copied().collect());
        for id in waiting {
            let queued = self.blocking.get(&slot).is_some_and(|q| q.contains(&id));
            let argv = match self.clients.get(&id).and_then(|c| c.blocked.as_ref()) {
                Some(b) if queued => b.argv.clone(),
                _ => continue, // served meanwhile, or gone
            };
            let reply = self.run_as_blocked(id, slot.0, &slot.1, &argv);
            if matches!(reply, Reply::Blocked) {
                continue; // nothing for this one here
            }
            self.unblock(id);
            self.deliver(id, reply);
            self.run_pending(id);
        }
    }

    /// Serves a blocked client's command from `key`, in the database it blocked in.
    fn run_as_blocked(&mut self, id: ClientId, db: usize, key: &[u8], argv: &[Vec<u8>]) -> Reply {
        let saved = self.clients.get(&id).map(|c| c.db);
        if let Some(c) = self.clients.get_mut(&id) {
            c.db = db;
        }
        let now_ms = self.clock.now_ms();
        let mut ctx = Ctx { eng: self, cid: id, now_ms, in_exec: false, serving: true, reads: false };
        let reply = crate::blocking::serve(&mut ctx, argv, key);
        if let (Some(c), Some(db)) = (self.clients.get_mut(&id), saved) {
            c.db = db;
        }
        reply
    }

    /// Runs the commands a client sent while it was blocked, delivering their replies, until it
    /// blocks again or has none left.
    fn run_pending(&mut self, id: ClientId) {
        loop {
            let blocked = self.clients.get(&id).is_none_or(|c| c.blocked.is_some());
            if blocked {
                return;
            }
            let Some(argv) = self.clients.get_mut(&id).and_then(|c| c.pending.pop_front()) else { return };
            let reply = self.dispatch(id, &argv);
            if !matches!(reply, Reply::Blocked) {
                self.deliver(id, reply);
            }
        }
    }

    /// Runs one command for client `id` and returns its reply. [`Reply::Blocked`] means the client
    /// now waits (its reply will come through [`Engine::take_deliveries`]); a command sent by a
    /// client that is already blocked waits behind the blocked one, as on a real connection.
    pub fn execute(&mut self, id: ClientId, argv: &[Vec<u8>]) -> Reply {
        let Some(client) = self.clients.get_mut(&id) else {
            return Reply::err("ERR no such client");
        };
        if argv.is_empty() {
            return Reply::err("ERR empty command");
        }
        if client.blocked.is_some() {
            client.pending.push_back(argv.to_vec());
            return Reply::Blocked;
        }
        self.tick();
        let reply = self.dispatch(id, argv);
        self.after_command();
        reply
    }

    /// Redis's `processCommand`: lookup, arity, the subscribed-client rule, MULTI queueing, call.
    fn dispatch(&mut self, id: ClientId, argv: &[Vec<u8>]) -> Reply {
        let now_ms = self.clock.now_ms();
        let Resolved { cmd, handler, reads, .. } = match self.resolve_memo(argv) {
            Ok(found) => found,
            Err(e) => return self.reject(id, argv, e),
        };
        let Some(client) = self.clients.get_mut(&id) else { return Reply::err("ERR no such client") };
        client.last_active_ms = now_ms;
        client.last_cmd = cmd.spec.name;
        let name = cmd.spec.name;
        if client.in_pubsub() && client.resp == 2 && !PUBSUB_ALLOWED.contains(&name) {
            let e = Reply::Error(format!(
                "ERR Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
            ));
            return self.reject(id, argv, e);
        }
        if let Some(multi) = client.multi.as_mut() {
            if !matches!(name, "exec" | "discard" | "multi" | "watch" | "quit" | "reset") {
                // Like Redis, a transaction that can no longer run (a watched key changed, or
                // an error was queued) keeps nothing more: CLIENT LIST's `multi=` shows it.
                if !(client.dirty_cas || multi.aborted) {
                    multi.queued.push(argv.to_vec());
                }
                return Reply::Status("QUEUED".into());
            }
        }
        self.stats.commands_processed += 1;
        let mut ctx = Ctx { eng: self, cid: id, now_ms, in_exec: false, serving: false, reads };
        handler(&mut ctx, argv)
    }

    /// [`resolve`], remembering the answer for the name exactly as sent: a client sends the same
    /// few commands again and again, and a hit costs one comparison of the name instead of
    /// lower-casing it and searching the whole table. Commands with subcommands, and names longer
    /// than [`MEMO_NAME`] bytes, are always resolved afresh.
    fn resolve_memo(&mut self, argv: &[Vec<u8>]) -> Result<Resolved, Reply> {
        let name = argv.first().map_or(&[][..], Vec::as_slice);
        let slot = memo_slot(name);
        if let Some(Some(hit)) = self.memo.get(slot) {
            if hit.name() == name {
                if hit.cmd.spec.arity_ok(argv.len()) {
                    return Ok(*hit);
                }
                return Err(wrong_arity(hit.cmd.spec.name));
            }
        }
        let (cmd, handler) = resolve(argv)?;
        let resolved = Resolved::new(name, cmd, handler);
        // A subcommand's name is `parent|sub`: its parent is resolved afresh every time.
        if !cmd.spec.name.contains('|') && cmd.subcommands.is_empty() && name.len() <= MEMO_NAME {
            if let Some(entry) = self.memo.get_mut(slot) {
                *entry = Some(resolved);
            }
        }
        Ok(resolved)
    }

    /// A command refused before it ran: inside MULTI the transaction is flagged, and a refused
    /// EXEC discards the transaction with Redis's EXECABORT text.
    fn reject(&mut self, id: ClientId, argv: &[Vec<u8>], e: Reply) -> Reply {
        let is_exec = argv.first().is_some_and(|n| n.eq_ignore_ascii_case(b"exec"));
        let Some(client) = self.clients.get_mut(&id) else { return e };
        if let Some(m) = client.multi.as_mut() {
            m.aborted = true;
        }
        if is_exec {
            if let Reply::Error(text) = &e {
                let msg = text.strip_prefix("ERR ").unwrap_or(text).to_string();
                client.multi = None;
                self.unwatch_all(id);
                return Reply::Error(format!("EXECABORT Transaction discarded because of: {msg}"));
            }
        }
        e
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

/// How many commands [`Engine::resolve_memo`] remembers.
const MEMO_SLOTS: usize = 32;

/// The longest command name [`Engine::resolve_memo`] remembers.
const MEMO_NAME: usize = 16;

/// A command name resolved: the command, its handler and whether its lookups are reads.
#[derive(Clone, Copy)]
struct Resolved {
    /// The name as sent (its first `len` bytes).
    name: [u8; MEMO_NAME],
    len: u8,
    cmd: &'static Command,
    handler: commands::Handler,
    reads: bool,
}

impl Resolved {
    fn new(name: &[u8], cmd: &'static Command, handler: commands::Handler) -> Resolved {
        let mut bytes = [0u8; MEMO_NAME];
        let len = name.len().min(MEMO_NAME);
        bytes[..len].copy_from_slice(&name[..len]);
        Resolved { name: bytes, len: len as u8, cmd, handler, reads: reads_keys(cmd.spec) }
    }

    fn name(&self) -> &[u8] {
        &self.name[..usize::from(self.len).min(MEMO_NAME)]
    }
}

/// The memo slot of a command name (its length and first and last bytes, case included).
fn memo_slot(name: &[u8]) -> usize {
    let first = name.first().copied().unwrap_or(0) as usize;
    let last = name.last().copied().unwrap_or(0) as usize;
    (first.wrapping_mul(7) ^ last.wrapping_mul(3) ^ name.len()) % MEMO_SLOTS
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

/// At most `n` bytes of `b`, stopping at a NUL byte as C's `%.*s` does.
fn truncate(b: &[u8], n: usize) -> String {
    let b = &b[..b.len().min(n)];
    let b = match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    };
    String::from_utf8_lossy(b).into_owned()
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

/// Redis's `addReplySubcommandSyntaxError`: a known subcommand given arguments it cannot take,
/// e.g. `ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.`
pub fn subcommand_syntax(argv: &[Vec<u8>]) -> Reply {
    Reply::Error(sanitize(&format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        truncate(&argv[1], 128),
        String::from_utf8_lossy(&argv[0]).to_ascii_uppercase()
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
    /// Running inside EXEC: blocking commands must not block.
    pub in_exec: bool,
    /// Running a blocked client's command again because one of its keys changed.
    pub serving: bool,
    /// The command reads its keys the way Redis's read lookups do, raising `keymiss` for a
    /// missing one: read-only commands, and the writes that read their sources (GETDEL, COPY,
    /// the *STORE set operations, ...).
    pub reads: bool,
}

impl<'a> Ctx<'a> {
    /// A context for running a handler directly (tests, tools): client `cid` at time `now_ms`.
    pub fn new(eng: &'a mut Engine, cid: ClientId, now_ms: i64) -> Ctx<'a> {
        Ctx { eng, cid, now_ms, in_exec: false, serving: false, reads: false }
    }

    /// The calling client.
    pub fn client(&self) -> &Client {
        // `execute` checked that the client exists and nothing removes it during a command.
        self.eng.clients.get(&self.cid).unwrap_or_else(|| unreachable_client())
    }

    pub fn client_mut(&mut self) -> &mut Client {
        let cid = self.cid;
        let now = self.now_ms;
        self.eng.clients.entry(cid).or_insert_with(|| Client::new(cid, now))
    }

    /// Runs another command as part of this one, like a script's `redis.call`: same client, same
    /// time, never blocking. Used by the engine's own composite commands (the rate limiters).
    pub fn call(&mut self, argv: &[&[u8]]) -> Reply {
        let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
        match resolve(&argv) {
            Ok((_, handler)) => {
                let was = self.in_exec;
                self.in_exec = true;
                let reply = handler(self, &argv);
                self.in_exec = was;
                reply
            }
            Err(e) => e,
        }
    }

    /// Blocks the calling client on `keys` (in its selected database) until one of them changes
    /// and the command `argv` can be served, or until `deadline_ms` on the engine clock.
    pub fn block(&mut self, keys: Vec<Bytes>, deadline_ms: Option<i64>, argv: &[Vec<u8>]) {
        let db = self.db_index();
        let cid = self.cid;
        for key in &keys {
            let q = self.eng.blocking.entry((db, key.clone())).or_default();
            if !q.contains(&cid) {
                q.push_back(cid);
            }
        }
        let client = self.client_mut();
        let was_blocked = client.blocked.is_some();
        client.blocked = Some(Blocked { db, keys, deadline_ms, argv: argv.to_vec() });
        if !was_blocked {
            self.eng.blocked_clients += 1;
        }
    }

    /// Raises `keymiss` for a read that found no key (class `m`; no WATCH invalidation).
    pub fn notify_miss(&mut self, key: &[u8]) {
        if !self.eng.listening() {
            return;
        }
        let db = self.db_index();
        self.eng.raise_event_only(db, notify::KEY_MISS, "keymiss", crate::value::bytes(key));
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

    /// The value of `key` in the selected database, honouring expiry. For a command that reads
    /// (see [`Ctx::reads`]) a miss raises `keymiss`, as Redis's read lookups do.
    pub fn lookup(&mut self, key: &[u8]) -> Option<&Value> {
        let i = self.db_index();
        self.expire_if_due_in(i, key);
        // (Asking whether anyone listens first saves a second walk of the keyspace per read.)
        if self.reads && self.eng.listening() && !self.eng.state.dbs[i].contains(key) {
            self.notify_miss(key);
        }
        self.eng.state.dbs[i].get(key).map(|e| &e.value)
    }

    /// Mutable access to the value of `key`, honouring expiry (a write lookup: no `keymiss`).
    pub fn lookup_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        let i = self.db_index();
        self.expire_if_due_in(i, key);
        self.eng.state.dbs.get_mut(i)?.get_mut(key)
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
    /// Creating a key raises `new` (class `n`), as Redis's `dbAdd` does.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        if self.db().set(key, value, keep_ttl) {
            self.notify(notify::NEW, "new", key);
        }
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
        if self.eng.listening() {
            self.eng.raise(db, class, event, crate::value::bytes(key));
        }
    }

    /// Marks `key` modified (for WATCH) without a notification.
    pub fn signal_modified(&mut self, key: &[u8]) {
        let db = self.db_index();
        self.signal_modified_in(db, key);
    }

    /// Marks `key` of database `db` modified (for WATCH) without a notification.
    pub fn signal_modified_in(&mut self, db: usize, key: &[u8]) {
        if !self.eng.watchers.is_empty() {
            self.eng.modified.push((db, crate::value::bytes(key)));
        }
    }

    /// Marks `key` of database `db` as one that blocked clients may now be served from (SWAPDB).
    pub fn signal_ready_in(&mut self, db: usize, key: &[u8]) {
        if !self.eng.blocking.is_empty() {
            self.eng.ready.push((db, crate::value::bytes(key)));
        }
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
    static NOBODY: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    NOBODY.get_or_init(|| Client::new(0, 0))
}

/// How many deliveries may wait for [`Engine::take_deliveries`] before queued pushes are dropped.
const MAX_QUEUED_DELIVERIES: usize = 100_000;

/// True for commands whose key lookups are reads in Redis's sense (`lookupKeyRead`), which raise
/// `keymiss` for a missing key.
pub fn reads_keys(spec: &crate::commands::CommandSpec) -> bool {
    const WRITES_THAT_READ: &[&str] = &[
        "getdel", "getex", "getset", "copy", "sinterstore", "sunionstore", "sdiffstore",
        "zunionstore", "zinterstore", "zdiffstore", "zrangestore",
    ];
    const READS_WITHOUT_NOTIFY: &[&str] =
        &["object|encoding", "object|freq", "object|idletime", "object|refcount", "scan", "keys", "randomkey"];
    (spec.has_flag("readonly") || WRITES_THAT_READ.contains(&spec.name))
        && !READS_WITHOUT_NOTIFY.contains(&spec.name)
}

/// Commands a RESP2 client may run while subscribed.
const PUBSUB_ALLOWED: &[&str] =
    &["subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "ping", "quit", "reset"];

/// Removes `id` from the subscribers of `name`, dropping the entry when nobody is left.
pub(crate) fn remove_subscriber(map: &mut BTreeMap<Bytes, Vec<ClientId>>, name: &[u8], id: ClientId) {
    if let Some(v) = map.get_mut(name) {
        v.retain(|x| *x != id);
        if v.is_empty() {
            map.remove(name);
        }
    }
}

/// `WRONGTYPE ...` as a reply.
pub fn wrongtype() -> Reply {
    Reply::err(errors::WRONGTYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(e: &mut Engine, id: ClientId, line: &str) -> Reply {
        e.execute_line(id, line).unwrap_or(Reply::Nil)
    }

    #[test]
    fn a_remembered_command_name_keeps_arity_checks_and_subcommands_apart() {
        let mut e = Engine::with_time_source(Box::new(|| 1_000_000));
        let id = e.open_client();
        assert_eq!(run(&mut e, id, "SET k v"), Reply::ok());
        assert_eq!(run(&mut e, id, "GET k"), Reply::bulk("v"));
        assert_eq!(run(&mut e, id, "GET k extra"), wrong_arity("get"));
        assert_eq!(run(&mut e, id, "get k"), Reply::bulk("v"));
        assert_eq!(run(&mut e, id, "gEt"), wrong_arity("get"));
        // A command with subcommands is resolved afresh each time, whatever came before.
        assert_eq!(run(&mut e, id, "CLIENT SETNAME me"), Reply::ok());
        assert_eq!(run(&mut e, id, "CLIENT GETNAME"), Reply::bulk("me"));
        assert_eq!(run(&mut e, id, "CLIENT SETNAME again"), Reply::ok());
        assert_eq!(run(&mut e, id, "CLIENT GETNAME"), Reply::bulk("again"));
        assert!(matches!(run(&mut e, id, "CLIENT NOSUCH"), Reply::Error(t) if t.starts_with("ERR unknown subcommand")));
        assert!(matches!(run(&mut e, id, "NOSUCHCOMMAND a"), Reply::Error(t) if t.starts_with("ERR unknown command")));
        // Names that share a memo slot replace each other without mixing up.
        for line in ["PING", "ECHO x", "INCR n", "DECR n", "EXISTS k", "STRLEN k", "TYPE k", "PING"] {
            let fresh = {
                let mut other = Engine::with_time_source(Box::new(|| 1_000_000));
                let oid = other.open_client();
                run(&mut other, oid, "SET k v");
                run(&mut other, oid, "SET n 5");
                run(&mut other, oid, line)
            };
            let _ = run(&mut e, id, "SET n 5");
            assert_eq!(run(&mut e, id, line), fresh, "{line}");
        }
    }

    #[test]
    fn blocked_clients_are_counted_so_their_timeouts_still_fire() {
        let now = std::rc::Rc::new(std::cell::Cell::new(1_000_000i64));
        let clock = now.clone();
        let mut e = Engine::with_time_source(Box::new(move || clock.get()));
        let waiter = e.open_client();
        let other = e.open_client();
        assert_eq!(run(&mut e, waiter, "BLPOP q 1"), Reply::Blocked);
        assert_eq!(e.blocked_clients, 1);
        assert_eq!(e.next_deadline_ms(), Some(2000));
        now.set(2_500_000);
        e.tick();
        assert_eq!(e.blocked_clients, 0);
        assert_eq!(e.take_deliveries(), vec![(waiter, Reply::NilArray)]);
        // Served, and closed while blocked: the count comes back down either way.
        assert_eq!(run(&mut e, waiter, "BLPOP q 0"), Reply::Blocked);
        assert_eq!(run(&mut e, other, "RPUSH q a"), Reply::Int(1));
        assert_eq!(e.blocked_clients, 0);
        assert_eq!(run(&mut e, waiter, "BLPOP q 0"), Reply::Blocked);
        assert!(e.close_client(waiter));
        assert_eq!(e.blocked_clients, 0);
        assert_eq!(e.next_deadline_ms(), None);
    }

    #[test]
    fn the_earliest_expiry_follows_every_change_of_expiry_times() {
        let now = std::rc::Rc::new(std::cell::Cell::new(1_000_000i64));
        let clock = now.clone();
        let mut e = Engine::with_time_source(Box::new(move || clock.get()));
        let id = e.open_client();
        assert_eq!(e.next_deadline_ms(), None);
        run(&mut e, id, "SET a 1 PX 500");
        assert_eq!(e.next_deadline_ms(), Some(1500));
        run(&mut e, id, "SELECT 3");
        run(&mut e, id, "SET b 1 PX 200");
        assert_eq!(e.next_deadline_ms(), Some(1200));
        let snap = e.snapshot();
        run(&mut e, id, "PERSIST b");
        assert_eq!(e.next_deadline_ms(), Some(1500));
        run(&mut e, id, "SWAPDB 0 3");
        assert_eq!(e.next_deadline_ms(), Some(1500));
        run(&mut e, id, "FLUSHALL");
        assert_eq!(e.next_deadline_ms(), None);
        // A restored snapshot brings its expiry times back, and they fire.
        e.restore(&snap);
        assert_eq!(e.next_deadline_ms(), Some(1200));
        now.set(1_300_000);
        e.tick();
        assert_eq!(run(&mut e, id, "EXISTS b"), Reply::Int(0));
        assert_eq!(e.next_deadline_ms(), Some(1500));
        now.set(1_600_000);
        run(&mut e, id, "SELECT 0");
        assert_eq!(run(&mut e, id, "EXISTS a"), Reply::Int(0));
        assert_eq!(e.next_deadline_ms(), None);
    }
}
