//! The runner: one program, sent command by command to a real Redis and to `redis-play --port`,
//! every reply compared.
//!
//! Each of the program's clients is one TCP connection to each server; each server also has a
//! *control* connection the runner uses to look (never to change what a client could see, except
//! where it says so below).
//!
//! ## Knowing when a reply is complete
//! After each command the runner sends `PING <token>` on the same connection (a *sentinel*) and
//! reads until its answer: everything before it is what the command produced — several replies for
//! `SUBSCRIBE a b`, an `EXEC` followed by the confirmations of a `SUBSCRIBE` it ran, or nothing but
//! a closed connection after `QUIT`. Inside MULTI a sentinel would be queued, so there exactly one
//! reply is read.
//!
//! ## Blocking
//! A blocking command either answers or blocks. The real server decides which: the runner watches
//! the command's connection and, meanwhile, asks the control connection for the client's flags
//! (`CLIENT LIST ID`); a `b` there means blocked. Then the engine must show the same flag and no
//! reply. While a client is blocked its commands in the program are skipped; after every later
//! command the runner looks again, and once Redis has served it (a push, CLIENT UNBLOCK) both
//! late replies are read and compared.
//!
//! ## Pushed messages
//! After every command each subscribed client gets a sentinel too, and what arrived before it (pub/sub
//! messages, keyspace notifications) is compared.
//!
//! ## Closed connections
//! After QUIT, CLIENT KILL, EXEC, and any end of stream, the set of live clients is compared (by the
//! servers' CLIENT LIST); a closed client is opened again by its next command.
//!
//! ## Random picks and SPOP
//! Before SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY and SPOP the runner reads the key (or
//! the database's keys) on the real server, then checks each server's pick against it. SPOP
//! removes different members on the two servers; the runner then changes the engine's set to
//! the real one's (SADD/SREM on the engine's control connection, with keyspace events off while it
//! does), which is the one place where it writes.
//!
//! ## At the end
//! The whole keyspace of both servers (every database a program can select) is compared: names,
//! types, encodings, contents, and whether a TTL is set.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use redis_playground::Reply;

use crate::gen::{Arg, Op, CLIENTS};
use crate::norm::{normalise, normalise_pushes, normalise_replies, sorted_pairs, sorted_unique, Ids, RANDOM_PICKS, SCANS};
use crate::support::{parse_resp, resp, Conn};

/// How long a reply may take before the server counts as hung.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// The commands that may block.
const BLOCKING: &[&str] = &["blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop"];

/// Commands after which the runner asks the real server for the client's state (transaction,
/// subscriptions, database).
const STATEFUL: &[&str] = &[
    "multi", "exec", "discard", "reset", "subscribe", "psubscribe", "unsubscribe", "punsubscribe",
    "select", "hello", "quit",
];

/// Databases a program can reach (SELECT, MOVE, COPY DB, SWAPDB use these).
pub const DBS: &[i64] = &[0, 1, 2, 15];

/// One server as the runner sees it.
pub struct Side {
    pub label: &'static str,
    pub port: u16,
    conns: Vec<Option<Conn>>,
    ids: Vec<Option<u64>>,
    control: Conn,
    /// CONFIG values at start, put back before every program.
    defaults: Vec<(String, Vec<u8>)>,
}

/// The runner's picture of one client, taken from the real server.
#[derive(Clone, Default)]
struct Track {
    multi: bool,
    sub: bool,
    db: i64,
    /// The blocking command it waits in, and the sentinel queued behind it.
    blocked: Option<(String, Option<String>)>,
    /// Inside MULTI: the queued commands, for EXEC's reply.
    queued: Vec<Queued>,
}

/// A command queued inside MULTI: its name, first key and number of arguments.
#[derive(Clone)]
struct Queued {
    name: String,
    key: Vec<u8>,
    argc: usize,
}

/// What one command produced on one server.
#[derive(Debug, PartialEq)]
struct Output {
    replies: Vec<Reply>,
    closed: bool,
}

pub struct Runner {
    pub real: Side,
    pub play: Side,
    track: Vec<Track>,
    seq: u64,
    /// Table names of every command sent.
    pub generated: BTreeSet<String>,
    /// Commands sent (a skipped command of a blocked client does not count).
    pub sent: u64,
}

fn bytes_of(r: &Reply) -> Option<&[u8]> {
    match r {
        Reply::Bulk(b) => Some(b),
        Reply::Status(s) => Some(s.as_bytes()),
        _ => None,
    }
}

fn argv_bytes(args: &[&[u8]]) -> Vec<Vec<u8>> {
    args.iter().map(|a| a.to_vec()).collect()
}

impl Side {
    pub fn new(label: &'static str, port: u16) -> Result<Side, String> {
        let mut control = Conn::open(port)?;
        let mut defaults = Vec::new();
        for (name, _) in crate::gen::config_params() {
            let reply = call(&mut control, &[b"CONFIG", b"GET", name.as_bytes()])?;
            if let Reply::Array(v) = reply {
                if let [_, Reply::Bulk(value)] = v.as_slice() {
                    defaults.push((name.to_string(), value.clone()));
                }
            }
        }
        Ok(Side { label, port, conns: (0..CLIENTS).map(|_| None).collect(), ids: vec![None; CLIENTS], control, defaults })
    }

    fn control(&mut self, args: &[&[u8]]) -> Result<Reply, String> {
        call(&mut self.control, args).map_err(|e| format!("{} control connection: {e}", self.label))
    }

    /// Closes every client, waits until the server has let them go, empties every database and
    /// puts the configuration back.
    fn reset(&mut self) -> Result<(), String> {
        for c in self.conns.iter_mut() {
            *c = None;
        }
        self.ids = vec![None; CLIENTS];
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let list = self.control(&[b"CLIENT", b"LIST"])?;
            let n = bytes_of(&list).map_or(0, |t| t.split(|&c| c == b'\n').filter(|l| !l.is_empty()).count());
            if n <= 1 {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!("{}: closed clients still listed after 10 s", self.label));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.control(&[b"SELECT", b"0"])?;
        self.control(&[b"FLUSHALL"])?;
        for (name, value) in self.defaults.clone() {
            let r = self.control(&[b"CONFIG", b"SET", name.as_bytes(), &value])?;
            if r != Reply::Status("OK".into()) {
                return Err(format!("{}: CONFIG SET {name} back: {r:?}", self.label));
            }
        }
        Ok(())
    }

    fn open(&mut self, c: usize) -> Result<(), String> {
        let mut conn = Conn::open(self.port)?;
        let id = match call(&mut conn, &[b"CLIENT", b"ID"])? {
            Reply::Int(id) => id as u64,
            other => return Err(format!("{}: CLIENT ID answered {other:?}", self.label)),
        };
        self.conns[c] = Some(conn);
        self.ids[c] = Some(id);
        Ok(())
    }

    fn argv(&self, op: &Op) -> Vec<Vec<u8>> {
        op.argv
            .iter()
            .map(|a| match a {
                Arg::Bytes(b) => b.clone(),
                // A client never opened yet (or closed) gets an id no client has.
                Arg::ClientId(i) => self.ids[*i].unwrap_or(999_999).to_string().into_bytes(),
            })
            .collect()
    }

    fn conn(&mut self, c: usize) -> Result<&mut Conn, String> {
        self.conns[c].as_mut().ok_or_else(|| format!("{}: client {c} is not connected", self.label))
    }

    /// The flags CLIENT LIST shows for client `c`, or None if the server has no such client.
    fn flags(&mut self, c: usize) -> Result<Option<String>, String> {
        let Some(id) = self.ids[c] else { return Ok(None) };
        let reply = self.control(&[b"CLIENT", b"LIST", b"ID", id.to_string().as_bytes()])?;
        let text = bytes_of(&reply).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        Ok(field(&text, "flags"))
    }

    fn client_line(&mut self, c: usize) -> Result<Option<String>, String> {
        let Some(id) = self.ids[c] else { return Ok(None) };
        let reply = self.control(&[b"CLIENT", b"LIST", b"ID", id.to_string().as_bytes()])?;
        let text = bytes_of(&reply).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        Ok(if text.trim().is_empty() { None } else { Some(text) })
    }

    /// The ids of live clients of the program, as client numbers.
    fn alive(&mut self) -> Result<BTreeSet<usize>, String> {
        let reply = self.control(&[b"CLIENT", b"LIST"])?;
        let text = bytes_of(&reply).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        let mut out = BTreeSet::new();
        for line in text.lines() {
            if let Some(id) = field(line, "id").and_then(|v| v.parse::<u64>().ok()) {
                if let Some(i) = self.ids.iter().position(|x| *x == Some(id)) {
                    out.insert(i);
                }
            }
        }
        Ok(out)
    }
}

/// A reply as a short readable text (strings quoted as redis-cli quotes them).
pub fn show(r: &Reply) -> String {
    match r {
        Reply::Status(s) => s.clone(),
        Reply::Error(e) => format!("(error) {e}"),
        Reply::Int(i) => format!("(integer) {i}"),
        Reply::Bulk(b) => format!("{:?}", String::from_utf8_lossy(b)),
        Reply::Nil => "(nil)".into(),
        Reply::NilArray => "(nil array)".into(),
        Reply::Array(v) | Reply::Push(v) | Reply::Multi(v) => {
            format!("[{}]", v.iter().map(show).collect::<Vec<_>>().join(", "))
        }
        other => format!("{other:?}"),
    }
}

fn show_output(o: &Output) -> String {
    let mut s = o.replies.iter().map(show).collect::<Vec<_>>().join(" ; ");
    if o.closed {
        s.push_str(" <closed>");
    }
    s
}

fn field(line: &str, name: &str) -> Option<String> {
    line.split_whitespace().find_map(|p| p.strip_prefix(name).and_then(|r| r.strip_prefix('=')).map(str::to_string))
}

/// One command on a connection, its one reply.
fn call(conn: &mut Conn, args: &[&[u8]]) -> Result<Reply, String> {
    conn.send(&argv_bytes(args))?;
    match read_one(conn, REPLY_TIMEOUT)? {
        Some(r) => Ok(r),
        None => Err("connection closed".into()),
    }
}

/// The next whole reply, waiting at most `wait`; Ok(None) on end of stream. A timeout is an error.
fn read_one(conn: &mut Conn, wait: Duration) -> Result<Option<Reply>, String> {
    let deadline = Instant::now() + wait;
    loop {
        if let Some((reply, used, _)) = parse_resp(&conn.buf)? {
            conn.buf.drain(..used);
            return Ok(Some(reply));
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(format!("no reply within {wait:?}"));
        }
        conn.stream.set_read_timeout(Some(deadline - now)).map_err(|e| e.to_string())?;
        let mut chunk = [0u8; 65536];
        match conn.stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => conn.buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(None),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// True when something (bytes or end of stream) has arrived within `wait`.
fn has_input(conn: &mut Conn, wait: Duration) -> bool {
    if !conn.buf.is_empty() {
        return true;
    }
    let _ = conn.stream.set_read_timeout(Some(wait.max(Duration::from_micros(100))));
    let mut chunk = [0u8; 65536];
    match conn.stream.read(&mut chunk) {
        Ok(0) => true,
        Ok(n) => {
            conn.buf.extend_from_slice(&chunk[..n]);
            true
        }
        Err(_) => false,
    }
}

fn is_sentinel(r: &Reply, token: &str) -> bool {
    match r {
        Reply::Bulk(b) => b == token.as_bytes(),
        Reply::Array(v) => matches!(v.as_slice(), [Reply::Bulk(p), Reply::Bulk(t)] if p == b"pong" && t == token.as_bytes()),
        _ => false,
    }
}

/// Everything up to the sentinel's answer (or one reply when there is no sentinel), or up to the
/// end of the stream.
fn read_output(conn: &mut Conn, token: Option<&str>, wait: Duration) -> Result<Output, String> {
    let mut replies = Vec::new();
    loop {
        match read_one(conn, wait)? {
            None => return Ok(Output { replies, closed: true }),
            Some(r) => match token {
                Some(t) if is_sentinel(&r, t) => return Ok(Output { replies, closed: false }),
                Some(_) => replies.push(r),
                None => {
                    replies.push(r);
                    return Ok(Output { replies, closed: false });
                }
            },
        }
    }
}

/// A divergence: the step it happened at and what differed.
#[derive(Debug)]
pub struct Divergence {
    pub step: usize,
    /// The name of the command whose outcome differed (for shrinking: the same failure).
    pub name: String,
    pub text: String,
}

/// What a random pick may be checked against: members (with their value or score), read on the
/// real server just before.
type Snapshot = Option<Vec<(Vec<u8>, Vec<u8>)>>;

impl Runner {
    pub fn new(real_port: u16, play_port: u16) -> Result<Runner, String> {
        Ok(Runner {
            real: Side::new("redis", real_port)?,
            play: Side::new("redis-play", play_port)?,
            track: vec![Track::default(); CLIENTS],
            seq: 0,
            generated: BTreeSet::new(),
            sent: 0,
        })
    }

    /// Runs `ops` from a clean start on both servers; the first divergence ends the run.
    pub fn run(&mut self, ops: &[Op]) -> Result<(), Divergence> {
        let fail = |step: usize, name: &str, text: String| Divergence { step, name: name.to_string(), text };
        self.real.reset().map_err(|e| fail(0, "reset", e))?;
        self.play.reset().map_err(|e| fail(0, "reset", e))?;
        self.track = vec![Track::default(); CLIENTS];
        for (i, op) in ops.iter().enumerate() {
            self.step(op).map_err(|e| fail(i, &op.name(), e))?;
        }
        self.compare_keyspaces().map_err(|e| fail(ops.len(), "(keyspace at the end)", e))
    }

    fn step(&mut self, op: &Op) -> Result<(), String> {
        let c = op.client;
        if self.track[c].blocked.is_some() {
            return Ok(()); // a blocked client sends nothing more
        }
        if self.real.conns[c].is_none() {
            self.real.open(c)?;
            self.play.open(c)?;
        }
        let name = op.name();
        self.generated.insert(name.clone());
        self.sent += 1;
        let real_argv = self.real.argv(op);
        let play_argv = self.play.argv(op);
        let t = self.track[c].clone();
        let argc = op.argv.len();
        let ends_multi = matches!(name.as_str(), "exec" | "discard" | "reset") && argc == 1;
        let sentinel = if t.multi { ends_multi || name == "quit" } else { name != "multi" || t.sub };
        let token = sentinel.then(|| {
            self.seq += 1;
            format!("rdt:{}", self.seq)
        });
        let first_key = match real_argv.get(1) {
            Some(k) => k.clone(),
            None => Vec::new(),
        };
        let snapshot = if !t.multi && RANDOM_PICKS.contains(&name.as_str()) {
            Some(self.snapshot(&name, &first_key, t.db)?)
        } else {
            None
        };
        for (side, argv) in [(&mut self.real, &real_argv), (&mut self.play, &play_argv)] {
            let conn = side.conn(c)?;
            // One write: the command and its sentinel.
            let mut out = resp(argv);
            if let Some(tok) = &token {
                out.extend(resp(&argv_bytes(&[b"PING", tok.as_bytes()])));
            }
            conn.stream.write_all(&out).map_err(|e| e.to_string())?;
        }
        let may_block = BLOCKING.contains(&name.as_str()) && !t.multi;
        let real_out = if may_block { self.reply_or_blocked(c, token.as_deref())? } else {
            Some(read_output(self.real.conn(c)?, token.as_deref(), REPLY_TIMEOUT).map_err(|e| format!("redis: {e}"))?)
        };
        let Some(real_out) = real_out else {
            // Blocked on Redis: the engine must have blocked too.
            self.expect_blocked(c)?;
            self.track[c].blocked = Some((name, token));
            return self.after_step(c, false);
        };
        let play_out = read_output(self.play.conn(c)?, token.as_deref(), REPLY_TIMEOUT)
            .map_err(|e| format!("redis-play gave no complete answer: {e}; redis answered {:?}", real_out))?;
        let closed = real_out.closed;
        let queued = t.multi && real_out.replies.first() == Some(&Reply::Status("QUEUED".into()));
        self.compare(c, &name, &real_argv, &play_argv, real_out, play_out, snapshot, &t)?;
        if closed {
            self.real.conns[c] = None;
            self.play.conns[c] = None;
            self.track[c] = Track::default();
        } else if STATEFUL.contains(&name.as_str()) || t.multi {
            self.refresh(c, &name, &first_key, real_argv.len(), queued)?;
        }
        let check_alive = closed || matches!(name.as_str(), "quit" | "client|kill" | "exec");
        self.after_step(c, check_alive)
    }

    /// Reads the real server's answer to a command that may block: Some(output), or None when
    /// CLIENT LIST shows the client blocked.
    fn reply_or_blocked(&mut self, c: usize, token: Option<&str>) -> Result<Option<Output>, String> {
        let deadline = Instant::now() + REPLY_TIMEOUT;
        loop {
            if has_input(self.real.conn(c)?, Duration::from_millis(1)) {
                return read_output(self.real.conn(c)?, token, REPLY_TIMEOUT).map(Some).map_err(|e| format!("redis: {e}"));
            }
            if self.real.flags(c)?.is_some_and(|f| f.contains('b')) {
                return Ok(None);
            }
            if Instant::now() > deadline {
                return Err("redis neither answered nor blocked the client".into());
            }
        }
    }

    /// The engine must show client `c` blocked, and must not have answered it.
    fn expect_blocked(&mut self, c: usize) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            if has_input(self.play.conn(c)?, Duration::from_micros(200)) {
                let out = read_output(self.play.conn(c)?, None, Duration::from_secs(1)).ok();
                return Err(format!("Redis blocked the client; redis-play answered {out:?}"));
            }
            if self.play.flags(c)?.is_some_and(|f| f.contains('b')) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err("Redis blocked the client; redis-play neither answered nor blocked it".into());
            }
        }
    }

    /// Asks the real server what client `c` is now (in MULTI, subscribed, which database), after
    /// a command that can change it.
    fn refresh(&mut self, c: usize, name: &str, first_key: &[u8], argc: usize, queued: bool) -> Result<(), String> {
        let Some(line) = self.real.client_line(c)? else { return Ok(()) };
        let flags = field(&line, "flags").unwrap_or_default();
        let t = &mut self.track[c];
        let now_multi = flags.contains('x');
        if queued && now_multi {
            t.queued.push(Queued { name: name.to_string(), key: first_key.to_vec(), argc });
        }
        if !now_multi {
            t.queued.clear();
        }
        t.multi = now_multi;
        let sub = field(&line, "sub").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        let psub = field(&line, "psub").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        t.sub = sub + psub > 0;
        t.db = field(&line, "db").and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(())
    }

    /// After every command: blocked clients that Redis has served, messages to subscribers,
    /// connections closed.
    fn after_step(&mut self, c: usize, check_alive: bool) -> Result<(), String> {
        for b in 0..CLIENTS {
            let Some((name, token)) = self.track[b].blocked.clone() else { continue };
            if b == c && self.real.conns[b].is_none() {
                continue;
            }
            let still = self.real.flags(b)?.is_some_and(|f| f.contains('b'));
            if still {
                if has_input(self.play.conn(b)?, Duration::ZERO) {
                    let out = read_output(self.play.conn(b)?, token.as_deref(), Duration::from_secs(1)).ok();
                    return Err(format!("client {b} is still blocked on Redis ({name}); redis-play answered it: {out:?}"));
                }
                continue;
            }
            let real_out = read_output(self.real.conn(b)?, token.as_deref(), REPLY_TIMEOUT).map_err(|e| format!("redis, served client {b}: {e}"))?;
            let play_out = read_output(self.play.conn(b)?, token.as_deref(), REPLY_TIMEOUT)
                .map_err(|e| format!("redis-play did not serve blocked client {b} ({name}), as Redis did with {real_out:?}: {e}"))?;
            self.track[b].blocked = None;
            let ids = (self.real.ids.clone(), self.play.ids.clone());
            let r = Output { replies: real_out.replies.into_iter().map(|r| normalise(&name, r, &Ids { ids: &ids.0 })).collect(), closed: real_out.closed };
            let p = Output { replies: play_out.replies.into_iter().map(|r| normalise(&name, r, &Ids { ids: &ids.1 })).collect(), closed: play_out.closed };
            if r != p {
                return Err(format!(
                    "blocked client {b} ({name}) was served differently:\n  redis:      {}\n  redis-play: {}",
                    show_output(&r),
                    show_output(&p)
                ));
            }
        }
        for s in 0..CLIENTS {
            if s == c || !self.track[s].sub || self.track[s].blocked.is_some() || self.real.conns[s].is_none() {
                continue;
            }
            self.seq += 1;
            let token = format!("rdt:{}", self.seq);
            let mut outs = Vec::new();
            for side in [&mut self.real, &mut self.play] {
                let conn = side.conn(s)?;
                conn.send(&argv_bytes(&[b"PING", token.as_bytes()]))?;
                let mut out = read_output(conn, Some(&token), REPLY_TIMEOUT).map_err(|e| format!("subscriber {s} on {}: {e}", side.label))?;
                out.replies = normalise_pushes(out.replies);
                outs.push(out);
            }
            if outs[0] != outs[1] {
                return Err(format!(
                    "subscriber {s} received different messages:\n  redis:      {}\n  redis-play: {}",
                    show_output(&outs[0]),
                    show_output(&outs[1])
                ));
            }
        }
        if check_alive {
            self.compare_alive()?;
        }
        Ok(())
    }

    /// Both servers must have the same clients of the program alive.
    fn compare_alive(&mut self) -> Result<(), String> {
        let real = self.real.alive()?;
        let deadline = Instant::now() + Duration::from_secs(3);
        let play = loop {
            let play = self.play.alive()?;
            if play == real || Instant::now() > deadline {
                break play;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        if play != real {
            return Err(format!("clients alive differ: redis {real:?}, redis-play {play:?}"));
        }
        for i in 0..CLIENTS {
            if self.real.conns[i].is_some() && !real.contains(&i) {
                self.real.conns[i] = None;
                self.play.conns[i] = None;
                self.track[i] = Track::default();
            }
        }
        Ok(())
    }

    /// Compares one command's outcome on the two servers.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        c: usize,
        name: &str,
        real_argv: &[Vec<u8>],
        play_argv: &[Vec<u8>],
        mut real: Output,
        mut play: Output,
        snapshot: Option<Snapshot>,
        t: &Track,
    ) -> Result<(), String> {
        // The scan family: iterate to the end on each server.
        if SCANS.contains(&name) && !t.multi {
            if let (Some(r), Some(p)) = (real.replies.first().cloned(), play.replies.first().cloned()) {
                real.replies[0] = self.finish_scan(true, c, name, real_argv, r)?;
                play.replies[0] = self.finish_scan(false, c, name, play_argv, p)?;
            }
        }
        // Random picks: checked against the snapshot first.
        if let Some(snap) = &snapshot {
            for (label, out) in [("redis", &real), ("redis-play", &play)] {
                if let Some(r) = out.replies.first() {
                    check_pick(name, real_argv, snap, r).map_err(|e| format!("{label}'s pick is wrong: {e}; reply {r:?}, snapshot {snap:?}"))?;
                }
            }
        }
        if name == "spop" && !t.multi {
            if let (Some(r), Some(p)) = (real.replies.first(), play.replies.first()) {
                let key = real_argv.get(1).cloned().unwrap_or_default();
                self.reconcile_spop(t.db, &key, r, p)?;
            }
        }
        let raw = (show_output(&real), show_output(&play));
        let queued = t.queued.clone();
        let real_ids = self.real.ids.clone();
        let play_ids = self.play.ids.clone();
        let norm_out = |out: Output, ids: &[Option<u64>]| -> Output {
            let ids = Ids { ids };
            if name == "exec" && t.multi {
                return Output { replies: exec_output(out.replies, &queued, &ids), closed: out.closed };
            }
            let replies = out
                .replies
                .into_iter()
                .map(|r| {
                    if t.multi && r == Reply::Status("QUEUED".into()) {
                        r
                    } else {
                        normalise(name, r, &ids)
                    }
                })
                .collect();
            Output { replies, closed: out.closed }
        };
        // EXEC that ran SPOP: make the sets equal again.
        if name == "exec" && t.multi {
            if let (Some((r, _)), Some((p, _))) =
                (exec_groups(real.replies.clone(), &queued), exec_groups(play.replies.clone(), &queued))
            {
                for ((q, r), p) in queued.iter().zip(&r).zip(&p) {
                    if let (true, Some(r), Some(p)) = (q.name == "spop", r.first(), p.first()) {
                        let db = self.track[c].db;
                        self.reconcile_spop(db, &q.key, r, p)?;
                    }
                }
            }
        }
        let argc = real_argv.len();
        let mut r = norm_out(real, &real_ids);
        let mut p = norm_out(play, &play_ids);
        r.replies = normalise_pushes(normalise_replies(name, argc, r.replies));
        p.replies = normalise_pushes(normalise_replies(name, argc, p.replies));
        if r != p {
            return Err(format!("replies differ:\n  redis:      {}\n  redis-play: {}", raw.0, raw.1));
        }
        Ok(())
    }

    /// Runs a scan to its end on one server, from the reply to its first call; the reply becomes
    /// `[0, everything returned]`.
    fn finish_scan(&mut self, real: bool, c: usize, name: &str, argv: &[Vec<u8>], first: Reply) -> Result<Reply, String> {
        let side = if real { &mut self.real } else { &mut self.play };
        let at = if name == "scan" { 1 } else { 2 };
        let mut items = Vec::new();
        let mut reply = first;
        for _ in 0..10_000 {
            let Reply::Array(v) = &reply else { return Ok(reply) };
            let [Reply::Bulk(cursor), Reply::Array(page)] = v.as_slice() else { return Ok(reply) };
            items.extend(page.iter().cloned());
            if cursor == b"0" {
                let items = if name == "hscan" || name == "zscan" { sorted_pairs(items) } else { sorted_unique(items) };
                return Ok(Reply::Array(vec![Reply::Bulk(b"0".to_vec()), Reply::Array(items)]));
            }
            let mut next = argv.to_vec();
            next[at] = cursor.clone();
            let conn = side.conn(c)?;
            conn.send(&next)?;
            reply = read_one(conn, REPLY_TIMEOUT)?.ok_or("connection closed during a scan")?;
        }
        Err(format!("{}: {name} did not reach cursor 0 in 10,000 calls", side.label))
    }

    /// The key a random pick reads (or the database's keys for RANDOMKEY), on the real server.
    fn snapshot(&mut self, name: &str, key: &[u8], db: i64) -> Result<Snapshot, String> {
        let real = &mut self.real;
        real.control(&[b"SELECT", db.to_string().as_bytes()])?;
        let out = if name == "randomkey" {
            match real.control(&[b"KEYS", b"*"])? {
                Reply::Array(v) => Some(v.iter().filter_map(bytes_of).map(|k| (k.to_vec(), Vec::new())).collect()),
                _ => None,
            }
        } else {
            let ty = real.control(&[b"TYPE", key])?;
            let read: &[&[u8]] = match bytes_of(&ty).unwrap_or_default() {
                b"set" => &[b"SMEMBERS", key],
                b"hash" => &[b"HGETALL", key],
                b"zset" => &[b"ZRANGE", key, b"0", b"-1", b"WITHSCORES"],
                b"none" => &[],
                _ => {
                    real.control(&[b"SELECT", b"0"])?;
                    return Ok(None);
                }
            };
            if read.is_empty() {
                Some(Vec::new())
            } else {
                match real.control(read)? {
                    Reply::Array(v) if read[0] == b"SMEMBERS" => {
                        Some(v.iter().filter_map(bytes_of).map(|m| (m.to_vec(), Vec::new())).collect())
                    }
                    Reply::Array(v) => Some(
                        v.chunks(2)
                            .filter_map(|p| Some((bytes_of(&p[0])?.to_vec(), bytes_of(p.get(1)?)?.to_vec())))
                            .collect(),
                    ),
                    _ => None,
                }
            }
        };
        real.control(&[b"SELECT", b"0"])?;
        Ok(out)
    }

    /// After SPOP popped different members on the two servers: the engine's set is made equal to
    /// Redis's (members it popped and Redis did not go back; members Redis popped go), with
    /// keyspace events off meanwhile so that no subscriber sees the repair.
    fn reconcile_spop(&mut self, db: i64, key: &[u8], real: &Reply, play: &Reply) -> Result<(), String> {
        let popped = |r: &Reply| -> BTreeSet<Vec<u8>> {
            match r {
                Reply::Bulk(b) => [b.clone()].into(),
                Reply::Array(v) => v.iter().filter_map(bytes_of).map(<[u8]>::to_vec).collect(),
                _ => BTreeSet::new(),
            }
        };
        let (r, p) = (popped(real), popped(play));
        if r == p {
            return Ok(());
        }
        let side = &mut self.play;
        let events = match side.control(&[b"CONFIG", b"GET", b"notify-keyspace-events"])? {
            Reply::Array(v) => v.get(1).and_then(bytes_of).map(<[u8]>::to_vec).unwrap_or_default(),
            _ => Vec::new(),
        };
        side.control(&[b"CONFIG", b"SET", b"notify-keyspace-events", b""])?;
        side.control(&[b"SELECT", db.to_string().as_bytes()])?;
        let back: Vec<&Vec<u8>> = p.difference(&r).collect();
        let gone: Vec<&Vec<u8>> = r.difference(&p).collect();
        if !gone.is_empty() {
            let mut a: Vec<&[u8]> = vec![b"SREM", key];
            a.extend(gone.iter().map(|m| m.as_slice()));
            side.control(&a)?;
        }
        if !back.is_empty() {
            let mut a: Vec<&[u8]> = vec![b"SADD", key];
            a.extend(back.iter().map(|m| m.as_slice()));
            side.control(&a)?;
        }
        side.control(&[b"SELECT", b"0"])?;
        side.control(&[b"CONFIG", b"SET", b"notify-keyspace-events", &events])?;
        Ok(())
    }

    /// Both keyspaces, every database a program reaches: names, types, encodings, contents, and
    /// whether each key has a TTL.
    fn compare_keyspaces(&mut self) -> Result<(), String> {
        let real = dump(&mut self.real)?;
        let play = dump(&mut self.play)?;
        if real != play {
            let diff: Vec<String> = real
                .iter()
                .zip(play.iter().chain(std::iter::repeat(&String::new())))
                .filter(|(a, b)| a != b)
                .take(3)
                .map(|(a, b)| format!("  redis:      {a}\n  redis-play: {b}"))
                .collect();
            return Err(format!("keyspaces differ ({} vs {} lines):\n{}", real.len(), play.len(), diff.join("\n")));
        }
        Ok(())
    }
}

fn dump(side: &mut Side) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for db in DBS {
        side.control(&[b"SELECT", db.to_string().as_bytes()])?;
        let mut keys: Vec<Vec<u8>> = match side.control(&[b"KEYS", b"*"])? {
            Reply::Array(v) => v.iter().filter_map(bytes_of).map(<[u8]>::to_vec).collect(),
            other => return Err(format!("KEYS * answered {other:?}")),
        };
        keys.sort();
        for key in keys {
            let ty = side.control(&[b"TYPE", &key])?;
            let enc = side.control(&[b"OBJECT", b"ENCODING", &key])?;
            let ttl = match side.control(&[b"PTTL", &key])? {
                Reply::Int(n) if n > 0 => "ttl".to_string(),
                other => format!("{other:?}"),
            };
            let content = match bytes_of(&ty).unwrap_or_default() {
                b"string" => side.control(&[b"GET", &key])?,
                b"list" => side.control(&[b"LRANGE", &key, b"0", b"-1"])?,
                b"set" => match side.control(&[b"SMEMBERS", &key])? {
                    Reply::Array(v) => Reply::Array(sorted_unique(v)),
                    r => r,
                },
                b"hash" => match side.control(&[b"HGETALL", &key])? {
                    Reply::Array(v) => Reply::Array(sorted_pairs(v)),
                    r => r,
                },
                b"zset" => side.control(&[b"ZRANGE", &key, b"0", b"-1", b"WITHSCORES"])?,
                _ => Reply::Nil,
            };
            out.push(format!(
                "db{db} {:?} {ty:?} {enc:?} {ttl} {content:?}",
                String::from_utf8_lossy(&key)
            ));
        }
    }
    side.control(&[b"SELECT", b"0"])?;
    Ok(out)
}

/// EXEC's output cut into the replies of each queued command, and whatever follows them; None
/// when EXEC did not run them (aborted, refused). In RESP2 EXEC's array counts the queued
/// commands, but a (P)(UN)SUBSCRIBE answers once per channel: its further replies take the places
/// of the commands after it, and as many replies spill past the array (Redis does the same). So
/// the array and what follows it are read as one stream, and each command takes its own from it.
fn exec_groups(replies: Vec<Reply>, queued: &[Queued]) -> Option<(Vec<Vec<Reply>>, Vec<Reply>)> {
    let mut it = replies.into_iter();
    let Some(Reply::Array(first)) = it.next() else { return None };
    let mut stream = first.into_iter().chain(it).peekable();
    let mut groups = Vec::with_capacity(queued.len());
    for q in queued {
        let name = q.name.as_str();
        let own: Vec<Reply> = if !matches!(name, "subscribe" | "psubscribe" | "unsubscribe" | "punsubscribe") {
            stream.next().into_iter().collect()
        } else if q.argc > 1 {
            stream.by_ref().take(q.argc - 1).collect()
        } else {
            // UNSUBSCRIBE of every channel: one reply per channel it had (at least one).
            let kind = Reply::Bulk(name.as_bytes().to_vec());
            std::iter::from_fn(|| stream.next_if(|r| matches!(r, Reply::Array(v) if v.len() == 3 && v[0] == kind))).collect()
        };
        groups.push(own);
    }
    Some((groups, stream.collect()))
}

/// EXEC's output, each reply normalised as the command queued at its place (see [`exec_groups`]).
fn exec_output(replies: Vec<Reply>, queued: &[Queued], ids: &Ids) -> Vec<Reply> {
    let Some((groups, rest)) = exec_groups(replies.clone(), queued) else { return replies };
    let mut out = Vec::new();
    for (q, own) in queued.iter().zip(groups) {
        let own: Vec<Reply> = own.into_iter().map(|r| normalise(&q.name, r, ids)).collect();
        out.extend(normalise_replies(&q.name, q.argc, own));
    }
    out.extend(rest);
    out
}

/// Checks a random pick against the key as it was just before: the number of elements, that each
/// is a member, no repeats where Redis promises distinct elements, and the values or scores that
/// come with them.
fn check_pick(name: &str, argv: &[Vec<u8>], snap: &Snapshot, reply: &Reply) -> Result<(), String> {
    let Some(members) = snap else { return Ok(()) };
    if matches!(reply, Reply::Error(_)) {
        return Ok(()); // errors are compared exactly
    }
    let find = |m: &[u8]| members.iter().find(|(k, _)| k == m);
    let with_values = argv.len() > 3;
    let count: Option<i64> = if name == "randomkey" {
        None
    } else {
        argv.get(2).and_then(|c| std::str::from_utf8(c).ok()?.parse().ok())
    };
    match (count, reply) {
        (None, Reply::Nil) if members.is_empty() => Ok(()),
        (None, Reply::Bulk(m)) if find(m).is_some() => Ok(()),
        (Some(n), Reply::Array(v)) if n == 0 || members.is_empty() => {
            if v.is_empty() {
                Ok(())
            } else {
                Err("elements from an empty or zero pick".into())
            }
        }
        (Some(n), Reply::Array(v)) => {
            let step = if with_values { 2 } else { 1 };
            let picked: Vec<&[u8]> = v.iter().step_by(step).filter_map(bytes_of).collect();
            let want = if n > 0 { (n as usize).min(members.len()) } else { n.unsigned_abs() as usize };
            if picked.len() != want || v.len() != want * step {
                return Err(format!("{} elements, expected {want}", picked.len()));
            }
            if n > 0 {
                let distinct: BTreeSet<&[u8]> = picked.iter().copied().collect();
                if distinct.len() != picked.len() {
                    return Err("repeated elements where Redis promises distinct ones".into());
                }
            }
            for (i, m) in picked.iter().enumerate() {
                let Some((_, value)) = find(m) else { return Err(format!("{:?} is not a member", String::from_utf8_lossy(m))) };
                if with_values && bytes_of(&v[i * 2 + 1]) != Some(value.as_slice()) {
                    return Err(format!("wrong value or score for {:?}", String::from_utf8_lossy(m)));
                }
            }
            Ok(())
        }
        (_, Reply::Nil) if members.is_empty() => Ok(()),
        _ => Err("not a pick from the key".into()),
    }
}
