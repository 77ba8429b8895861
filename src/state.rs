//! Saving and restoring the whole engine: O(1) in-memory snapshots (time travel) and a versioned,
//! checksummed binary format (persistence across page reloads).
//!
//! ## Snapshots
//! [`Engine::snapshot`] copies the [`State`] (sixteen databases, CONFIG, the random generator) and
//! the clock's reading. Every database is a pair of persistent trees and every value is made of
//! persistent parts (strings are shared byte slices, collections are `imbl` structures or the
//! engine's own persistent trees), so the copy is sixteen pointer copies whatever the number of
//! keys: O(1). A later write copies only the tree nodes it touches.
//!
//! [`Engine::restore`] puts the keyspace, the configuration, the generator and the clock back
//! exactly as they were (a frozen clock is frozen again at the same instant; a running one runs
//! on from the instant of the snapshot). Clients are not part of a snapshot — they are
//! connections, not data — so they stay connected, and a restore deals with what they hold the
//! way Redis deals with a dataset replaced under them (FLUSHALL, SWAPDB, a replica's full sync):
//! - every watched key counts as touched: a transaction that WATCHed anything fails at EXEC;
//! - a client blocked on keys (BLPOP, BZPOPMIN, ...) stays blocked on the same keys, and is
//!   served at once if one of them now holds data, as Redis does for the keys of a swapped
//!   database; its timeout stays the same absolute time on the clock;
//! - keys and timeouts already due on the restored clock expire at once.
//!
//! With no client watching or blocked, the engine after a restore is exactly the engine at the
//! snapshot: replaying the same commands from there gives the same replies and the same state.
//!
//! ## The saved format (version 1)
//! [`Engine::save_state`] writes, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `RPGSTATE` |
//! | 2 | format version (`u16`), 1 |
//! | 2 | reserved, 0 |
//! | 8 | body length in bytes (`u64`) |
//! | 4 | CRC-32 (IEEE, as zlib and PNG use) of the 12 bytes before it and of the body |
//! | n | body |
//!
//! The body is a sequence of fields, where *varint* is an unsigned LEB128 number and *bytes* is a
//! varint length followed by that many bytes:
//!
//! - **clock**: a `u8` mode (0 running, 1 frozen), the clock's reading (`i64` µs since the epoch)
//!   and, for a running clock, its offset from wall time (`i64` µs; 0 when frozen). A frozen clock
//!   is restored at the same instant. A running clock is restored at the same offset from wall
//!   time: it has moved on while the page was closed, so keys expire on reload exactly as they
//!   would have on a server left running (and as Redis does with the absolute times of an RDB).
//! - **generator**: the random generator's state (`u64`).
//! - **config**: varint count, then (bytes name, bytes value) pairs as CONFIG GET reports them;
//!   they are loaded through CONFIG SET's own checks.
//! - **databases**: varint count (at most 16) of non-empty databases, each a `u8` index (strictly
//!   increasing), a varint key count, and that many keys.
//! - **key**: bytes name, a `u8` flags (bit 0: has an expiry), the expiry if any (`i64` ms on the
//!   engine clock, absolute), a `u8` type tag and the value:
//!
//! | tag | value | payload |
//! |---|---|---|
//! | 0 | string | `u8` flags (bit 0 built in place, reported `raw`; bit 1 never `int`), bytes |
//! | 1 | list | varint n, n × bytes, head first |
//! | 2 / 3 | hash, `listpack` / `hashtable` | varint n, n × (bytes field, bytes value), in the hash's order |
//! | 4 / 5 | set, `intset` / `hashtable` | varint n, n × bytes |
//! | 6 / 7 | sorted set, `listpack` / `skiplist` | varint n, n × (bytes member, `f64` score bits), by rank |
//!
//! The encoding is part of the tag because it is observable (OBJECT ENCODING, and the order in
//! which a small hash or set is listed) and is a property of a value's history, not of its size:
//! a hash that grew past the listpack limits and shrank again is still a hash table.
//!
//! ## Loading never half-applies
//! [`Engine::load_state`] checks the header (length, magic, version), then the checksum, then
//! decodes the whole body into a new state, checking its structure as it goes (no empty
//! collection, no duplicate key, field or member, no NaN score, an intset of integers only, a
//! known tag, nothing left over, ...). Only when all of it is good does it replace the engine's
//! state; otherwise it returns a [`StateError`] and the engine is untouched. No count read from
//! the data sizes an allocation: each element read must be present in the input first.
//!
//! Clients are not saved: a reload is a new connection, as with Redis's RDB files.

use std::borrow::Borrow;
use std::fmt;

use crate::config::Config;
use crate::engine::{Engine, State, DATABASES};
use crate::hashes::Hash;
use crate::keyspace::{Db, Entry};
use crate::lists::List;
use crate::sets::Set;
use crate::value::{Str, Value};
use crate::zsets::ZSet;

/// The first eight bytes of every saved state.
pub const MAGIC: &[u8; 8] = b"RPGSTATE";

/// The format version this engine writes (and the newest it reads).
pub const VERSION: u16 = 1;

/// Size of the fixed header: magic, version, reserved, body length, checksum.
pub const HEADER_LEN: usize = 24;

/// Why a saved state cannot be loaded. The engine is left as it was in every case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateError {
    /// Shorter than its header says (or than a header).
    Truncated { len: usize, expected: usize },
    /// Does not start with [`MAGIC`]: not a saved state at all.
    BadMagic,
    /// Written by a newer engine (or a version that never existed).
    UnsupportedVersion(u16),
    /// The checksum does not match: the data was damaged or edited.
    Checksum { stored: u32, computed: u32 },
    /// The checksum matches but the content is not a valid state.
    Invalid(String),
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::Truncated { len, expected } => write!(
                f,
                "the saved state is truncated: {len} bytes where {expected} were expected"
            ),
            StateError::BadMagic => write!(f, "the saved data is not a redis-playground state"),
            StateError::UnsupportedVersion(v) => write!(
                f,
                "the saved state has format version {v}; this engine reads version {VERSION} and older"
            ),
            StateError::Checksum { stored, computed } => write!(
                f,
                "the saved state is corrupted: its checksum is {stored:08x}, its content gives {computed:08x}"
            ),
            StateError::Invalid(why) => write!(f, "the saved state is invalid: {why}"),
        }
    }
}

impl std::error::Error for StateError {}

/// An O(1) copy of the engine's data and clock, for [`Engine::restore`].
#[derive(Clone, Debug)]
pub struct Snapshot {
    state: State,
    clock_us: i64,
    frozen: bool,
}

impl Snapshot {
    /// The databases, configuration and generator captured.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The clock's reading when the snapshot was taken (µs since the epoch).
    pub fn clock_us(&self) -> i64 {
        self.clock_us
    }

    /// Whether the clock was frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen
    }
}

/// How a loaded clock is to be set.
#[derive(Clone, Copy, Debug)]
enum SavedClock {
    Frozen { at_us: i64 },
    Running { offset_us: i64 },
}

impl Engine {
    /// Takes a snapshot: O(1) whatever the size of the keyspace (see the module docs).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            state: self.state.clone(),
            clock_us: self.clock.now_us(),
            frozen: self.clock.is_frozen(),
        }
    }

    /// Puts a snapshot back: keyspace, configuration, generator and clock. Watched keys count as
    /// touched and blocked clients are re-checked (see the module docs). Accepts a snapshot or a
    /// reference to one (a snapshot can be restored any number of times).
    pub fn restore(&mut self, snapshot: impl Borrow<Snapshot>) {
        let snap = snapshot.borrow();
        self.state = snap.state.clone();
        if snap.frozen {
            self.clock.freeze();
        } else {
            self.clock.resume();
        }
        self.clock.set_us(snap.clock_us);
        self.keyspace_replaced();
    }

    /// The whole engine state (all databases with their expiry times, the clock, the generator,
    /// the configuration) in the saved format described in the module docs.
    pub fn save_state(&self) -> Vec<u8> {
        let mut body = Vec::new();
        let now_us = self.clock.now_us();
        if self.clock.is_frozen() {
            body.push(1);
            put_i64(&mut body, now_us);
            put_i64(&mut body, 0);
        } else {
            body.push(0);
            put_i64(&mut body, now_us);
            put_i64(&mut body, now_us.saturating_sub(self.clock.wall_us()));
        }
        body.extend_from_slice(&self.state.rng.to_le_bytes());
        let config = self.state.config.get(&[b"*"]);
        put_varint(&mut body, config.len() as u64);
        for (name, value) in &config {
            put_bytes(&mut body, name.as_bytes());
            put_bytes(&mut body, value.as_bytes());
        }
        let used: Vec<(usize, &Db)> =
            self.state.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()).collect();
        put_varint(&mut body, used.len() as u64);
        for (index, db) in used {
            body.push(index as u8);
            put_varint(&mut body, db.len() as u64);
            for (key, entry) in db.iter() {
                put_bytes(&mut body, key);
                match entry.expire_at {
                    Some(at) => {
                        body.push(1);
                        put_i64(&mut body, at);
                    }
                    None => body.push(0),
                }
                put_value(&mut body, &entry.value);
            }
        }
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        let crc = checksum(&out[8..20], &body);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Replaces the engine's state with a saved one. On any error the engine is left exactly as
    /// it was. Connected clients stay connected, and are treated as after a restore (watched keys
    /// touched, blocked clients re-checked).
    pub fn load_state(&mut self, data: &[u8]) -> Result<(), StateError> {
        let (state, clock) = decode(data)?;
        self.state = state;
        match clock {
            SavedClock::Frozen { at_us } => {
                self.clock.freeze();
                self.clock.set_us(at_us);
            }
            SavedClock::Running { offset_us } => {
                self.clock.resume();
                let wall = self.clock.wall_us();
                self.clock.set_us(wall.saturating_add(offset_us));
            }
        }
        self.keyspace_replaced();
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const TAG_STRING: u8 = 0;
const TAG_LIST: u8 = 1;
const TAG_HASH_LISTPACK: u8 = 2;
const TAG_HASH_TABLE: u8 = 3;
const TAG_SET_INTSET: u8 = 4;
const TAG_SET_TABLE: u8 = 5;
const TAG_ZSET_LISTPACK: u8 = 6;
const TAG_ZSET_SKIPLIST: u8 = 7;

/// CRC-32 (IEEE, as zlib and PNG compute it) with a single 256-entry table built at compile time.
static CRC32: crc::Crc<u32, crc::Table<1>> = crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);

fn checksum(header: &[u8], body: &[u8]) -> u32 {
    let mut h = CRC32.digest();
    h.update(header);
    h.update(body);
    h.finalize()
}

fn put_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let low = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Str(s) => {
            out.push(TAG_STRING);
            out.push(u8::from(s.raw) | (u8::from(s.no_int) << 1));
            put_bytes(out, &s.data);
        }
        Value::List(l) => {
            out.push(TAG_LIST);
            put_varint(out, l.len() as u64);
            for item in l.iter() {
                put_bytes(out, item);
            }
        }
        Value::Hash(h) => {
            out.push(if h.is_listpack() { TAG_HASH_LISTPACK } else { TAG_HASH_TABLE });
            put_varint(out, h.len() as u64);
            for (field, value) in h.iter() {
                put_bytes(out, field);
                put_bytes(out, value);
            }
        }
        Value::Set(s) => {
            out.push(if s.is_intset() { TAG_SET_INTSET } else { TAG_SET_TABLE });
            put_varint(out, s.len() as u64);
            for member in s.iter() {
                put_bytes(out, &member);
            }
        }
        Value::ZSet(z) => {
            out.push(if z.is_listpack() { TAG_ZSET_LISTPACK } else { TAG_ZSET_SKIPLIST });
            put_varint(out, z.len() as u64);
            for (member, score) in z.iter() {
                put_bytes(out, member);
                out.extend_from_slice(&score.to_bits().to_le_bytes());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

fn invalid(why: impl Into<String>) -> StateError {
    StateError::Invalid(why.into())
}

/// A cursor over the body that never reads past its end.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], StateError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        match end.and_then(|e| self.buf.get(self.pos..e).map(|s| (e, s))) {
            Some((e, s)) => {
                self.pos = e;
                Ok(s)
            }
            None => Err(invalid(format!("the data ends inside {what}"))),
        }
    }

    fn u8(&mut self, what: &str) -> Result<u8, StateError> {
        Ok(self.take(1, what)?.first().copied().unwrap_or(0))
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], StateError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }

    fn i64(&mut self, what: &str) -> Result<i64, StateError> {
        Ok(i64::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64, StateError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    fn f64(&mut self, what: &str) -> Result<f64, StateError> {
        Ok(f64::from_bits(self.u64(what)?))
    }

    fn varint(&mut self, what: &str) -> Result<u64, StateError> {
        let mut v: u64 = 0;
        for i in 0..10u32 {
            let b = self.u8(what)?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(invalid(format!("{what} is out of range")));
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(invalid(format!("{what} is out of range")))
    }

    /// A length prefix that cannot be larger than what is left to read.
    fn len(&mut self, what: &str) -> Result<usize, StateError> {
        let n = self.varint(what)?;
        match usize::try_from(n) {
            Ok(n) if n <= self.remaining() => Ok(n),
            _ => Err(invalid(format!("{what} ({n}) is more than the data holds"))),
        }
    }

    fn bytes(&mut self, what: &str) -> Result<&'a [u8], StateError> {
        let n = self.len(what)?;
        self.take(n, what)
    }
}

/// A configuration in which no collection is ever small enough for its compact encoding.
fn big_encodings() -> Config {
    Config {
        hash_max_listpack_entries: 0,
        hash_max_listpack_value: 0,
        set_max_intset_entries: 0,
        zset_max_listpack_entries: 0,
        zset_max_listpack_value: 0,
        ..Config::default()
    }
}

/// A configuration in which every collection keeps its compact encoding.
fn compact_encodings() -> Config {
    Config {
        hash_max_listpack_entries: i64::MAX,
        hash_max_listpack_value: i64::MAX,
        set_max_intset_entries: i64::MAX,
        zset_max_listpack_entries: i64::MAX,
        zset_max_listpack_value: i64::MAX,
        ..Config::default()
    }
}

fn decode(data: &[u8]) -> Result<(State, SavedClock), StateError> {
    if data.len() < HEADER_LEN {
        if !data.is_empty() && !MAGIC.starts_with(&data[..data.len().min(MAGIC.len())]) {
            return Err(StateError::BadMagic);
        }
        return Err(StateError::Truncated { len: data.len(), expected: HEADER_LEN });
    }
    let (header, body) = data.split_at(HEADER_LEN);
    let field = |at: usize| header.get(at..).unwrap_or(&[]);
    if &header[..8] != MAGIC {
        return Err(StateError::BadMagic);
    }
    let mut h = Reader { buf: field(8), pos: 0 };
    let version = u16::from_le_bytes(h.array("the header")?);
    if version == 0 || version > VERSION {
        return Err(StateError::UnsupportedVersion(version));
    }
    let reserved = u16::from_le_bytes(h.array("the header")?);
    let body_len = h.u64("the header")?;
    let stored = u32::from_le_bytes(h.array("the header")?);
    let expected = usize::try_from(body_len).ok().and_then(|n| n.checked_add(HEADER_LEN));
    match expected {
        Some(e) if e == data.len() => {}
        Some(e) if e > data.len() => return Err(StateError::Truncated { len: data.len(), expected: e }),
        Some(e) => {
            return Err(invalid(format!("{} bytes follow the end of the state", data.len() - e)))
        }
        None => return Err(invalid("the header gives a body length no memory can hold")),
    }
    let computed = checksum(&header[8..20], body);
    if computed != stored {
        return Err(StateError::Checksum { stored, computed });
    }
    if reserved != 0 {
        return Err(invalid("the header's reserved field is not 0"));
    }
    decode_body(body)
}

fn decode_body(body: &[u8]) -> Result<(State, SavedClock), StateError> {
    let mut r = Reader { buf: body, pos: 0 };
    let mode = r.u8("the clock")?;
    let now_us = r.i64("the clock")?;
    let offset_us = r.i64("the clock")?;
    let clock = match mode {
        0 => SavedClock::Running { offset_us },
        1 => SavedClock::Frozen { at_us: now_us },
        m => return Err(invalid(format!("unknown clock mode {m}"))),
    };
    let rng = r.u64("the random generator")?;
    if rng == 0 {
        // xorshift never leaves 0 once there: no engine can have saved it.
        return Err(invalid("the random generator's state is 0"));
    }

    let mut config = Config::default();
    let n = r.len("the number of config parameters")?;
    for _ in 0..n {
        let name = r.bytes("a config parameter's name")?;
        let value = r.bytes("a config parameter's value")?;
        let Ok(name_str) = std::str::from_utf8(name) else {
            return Err(invalid("a config parameter's name is not text"));
        };
        // Aliases and read-only parameters come back with the value they already have.
        let current = config.get(&[name]);
        if current.iter().any(|(n, v)| n.eq_ignore_ascii_case(name_str) && v.as_bytes() == value) {
            continue;
        }
        config.set(&[(name, value)]).map_err(|e| invalid(format!("config: {e}")))?;
    }

    let mut dbs = vec![Db::default(); DATABASES];
    let count = r.len("the number of databases")?;
    if count > DATABASES {
        return Err(invalid(format!("{count} databases (there are {DATABASES})")));
    }
    let mut last: Option<usize> = None;
    for _ in 0..count {
        let index = usize::from(r.u8("a database index")?);
        if index >= DATABASES || last.is_some_and(|l| index <= l) {
            return Err(invalid(format!("database {index} is out of range or out of order")));
        }
        last = Some(index);
        let keys = r.len("a database's key count")?;
        let db = &mut dbs[index];
        for _ in 0..keys {
            let key = r.bytes("a key")?;
            let flags = r.u8("a key's flags")?;
            let expire_at = match flags {
                0 => None,
                1 => Some(r.i64("a key's expiry")?),
                f => return Err(invalid(format!("unknown key flags {f}"))),
            };
            let value = read_value(&mut r)?;
            if db.contains(key) {
                return Err(invalid(format!("database {index} holds a key twice")));
            }
            db.insert_entry(key, Entry { value, expire_at });
        }
    }
    if r.remaining() != 0 {
        return Err(invalid(format!("{} bytes after the last database", r.remaining())));
    }
    Ok((State { dbs, config, rng }, clock))
}

fn read_value(r: &mut Reader<'_>) -> Result<Value, StateError> {
    let tag = r.u8("a value's type")?;
    if tag == TAG_STRING {
        let flags = r.u8("a string's flags")?;
        if flags > 3 {
            return Err(invalid(format!("unknown string flags {flags}")));
        }
        let data = r.bytes("a string")?;
        let mut s = Str::new(data);
        s.raw = flags & 1 != 0;
        s.no_int = flags & 2 != 0;
        return Ok(Value::Str(s));
    }
    if tag > TAG_ZSET_SKIPLIST {
        return Err(invalid(format!("unknown value type {tag}")));
    }
    let n = r.len("a collection's size")?;
    if n == 0 {
        return Err(invalid("an empty collection (Redis never keeps one)"));
    }
    let duplicate = || invalid("a collection holds the same element twice");
    let value = match tag {
        TAG_LIST => {
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(r.bytes("a list element")?);
            }
            Value::List(List::from_elements(items))
        }
        TAG_HASH_LISTPACK | TAG_HASH_TABLE => {
            let mut pairs = Vec::new();
            for _ in 0..n {
                pairs.push((r.bytes("a hash field")?, r.bytes("a hash value")?));
            }
            let listpack = tag == TAG_HASH_LISTPACK;
            let config = if listpack { compact_encodings() } else { big_encodings() };
            let h = Hash::from_pairs(pairs, &config);
            if h.len() != n {
                return Err(duplicate());
            }
            Value::Hash(h)
        }
        TAG_SET_INTSET | TAG_SET_TABLE => {
            let mut members = Vec::new();
            for _ in 0..n {
                members.push(r.bytes("a set member")?);
            }
            let intset = tag == TAG_SET_INTSET;
            let config = if intset { compact_encodings() } else { big_encodings() };
            let s = Set::from_members(members, &config);
            if s.len() != n {
                return Err(duplicate());
            }
            if s.is_intset() != intset {
                return Err(invalid("an intset holds a member that is not an integer"));
            }
            Value::Set(s)
        }
        TAG_ZSET_LISTPACK | TAG_ZSET_SKIPLIST => {
            let mut pairs = Vec::new();
            for _ in 0..n {
                let member = r.bytes("a sorted-set member")?;
                let score = r.f64("a score")?;
                if score.is_nan() {
                    return Err(invalid("a sorted set holds a NaN score"));
                }
                pairs.push((crate::value::bytes(member), score));
            }
            let listpack = tag == TAG_ZSET_LISTPACK;
            let config = if listpack { compact_encodings() } else { big_encodings() };
            let z = ZSet::from_pairs(pairs, &config);
            if z.len() != n {
                return Err(duplicate());
            }
            Value::ZSet(z)
        }
        t => return Err(invalid(format!("unknown value type {t}"))),
    };
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_the_ieee_crc32_over_header_then_body() {
        // The standard check value of CRC-32/ISO-HDLC, however the input is split.
        assert_eq!(checksum(b"", b"123456789"), 0xCBF4_3926);
        assert_eq!(checksum(b"1234", b"56789"), 0xCBF4_3926);
        assert_eq!(checksum(b"", b""), 0);
    }

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut r = Reader { buf: &out, pos: 0 };
            assert_eq!(r.varint("v"), Ok(v));
            assert_eq!(r.remaining(), 0);
        }
        let too_big = [0xff; 10];
        assert!(Reader { buf: &too_big, pos: 0 }.varint("v").is_err());
        let eleven = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert!(Reader { buf: &eleven, pos: 0 }.varint("v").is_err());
    }

    #[test]
    fn a_length_cannot_exceed_the_input() {
        let mut out = Vec::new();
        put_varint(&mut out, 5);
        out.extend_from_slice(b"abc");
        assert!(Reader { buf: &out, pos: 0 }.bytes("s").is_err());
    }
}
