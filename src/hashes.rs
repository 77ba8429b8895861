//! Hashes: a key holding a map from fields to values (HSET, HGET, HINCRBY, HSCAN, HRANDFIELD, ...).
//!
//! ## Two encodings, like Redis
//! Redis keeps a small hash as a *listpack*: one flat buffer of `field, value, field, value, ...` in
//! insertion order, searched linearly. Once a hash grows past `hash-max-listpack-entries` fields, or
//! a field or value longer than `hash-max-listpack-value` bytes is written into it, Redis converts it
//! to a real hash table, and it never converts back (only a reload from a dump would).
//!
//! [`Hash`] mirrors that, because the difference is visible: `OBJECT ENCODING` reports it, and the
//! order of HGETALL, HKEYS, HVALS and HSCAN follows insertion order only for the small form.
//!
//! - **listpack**: an [`imbl::Vector`] of `(field, value)` pairs in insertion order. Lookups walk
//!   it, exactly the linear cost Redis pays for a listpack (at most 512 entries by default).
//! - **hashtable**: an [`imbl::OrdMap`] keyed by `(hash of the field, field)`. Lookups and updates
//!   cost O(log n). Redis's hash-table order is effectively random; ordering by a fixed hash of the
//!   field gives a stable order instead, and an HSCAN cursor that is simply "the next hash to visit":
//!   a field present for the whole scan is always returned, whatever is added or removed meanwhile,
//!   the same guarantee Redis's reverse-binary cursor gives (see [`crate::keyspace`], which orders the
//!   keys of a database the same way).
//!
//! Both forms are persistent structures, so cloning a [`Hash`] (a snapshot, COPY, a read that must
//! outlive a borrow of the keyspace) is O(1) and a later write copies only the nodes it touches.
//!
//! ## Random fields
//! HRANDFIELD follows Redis's four cases: a negative count samples with replacement; a count at
//! least the size returns the whole hash in its iteration order; otherwise the result has distinct
//! fields, chosen by a single ordered pass when the request is a large share of the hash (or the hash
//! is a listpack), or by repeated random picks when it is a small share of a large hash. A random
//! pick in the hashtable form lands on a random point of the hash ring and chooses uniformly among
//! the next few fields, which evens out the unequal gaps between hashes (Redis's "fair" random key
//! does the same kind of smoothing).

use std::collections::HashSet;
use std::sync::Arc;

use imbl::{OrdMap, Vector};

use crate::commands::Handler;
use crate::config::Config;
use crate::engine::{wrongtype, Ctx};
use crate::keyspace::{cursor_of, hash_of_cursor, key_hash};
use crate::notify;
use crate::num;
use crate::reply::{errors, Reply};
use crate::value::{bytes, Bytes, Value};

/// A field of a hashtable-encoded hash, ordered by a fixed hash of its bytes, then by the bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    hash: u64,
    field: Bytes,
}

impl Slot {
    fn new(field: &[u8]) -> Slot {
        Slot { hash: key_hash(field), field: bytes(field) }
    }

    /// The first position of the ring at or after `hash`.
    fn at(hash: u64) -> Slot {
        Slot { hash, field: bytes(b"") }
    }
}

#[derive(Clone, Debug)]
enum Repr {
    /// `(field, value)` pairs in insertion order (Redis's listpack).
    Listpack(Vector<(Bytes, Bytes)>),
    /// Fields ordered by hash (Redis's hash table).
    Table(OrdMap<Slot, Bytes>),
}

/// A hash value. See the module documentation for its two encodings.
#[derive(Clone, Debug)]
pub struct Hash {
    repr: Repr,
}

impl Default for Hash {
    fn default() -> Hash {
        Hash::new()
    }
}

/// True when `n` is above a configured limit (limits are never negative; a negative one would
/// hold nothing).
fn exceeds(n: usize, limit: i64) -> bool {
    u64::try_from(limit).map_or(true, |l| n as u64 > l)
}

/// How many fields a random pick in the hashtable form chooses among.
const RANDOM_WINDOW: usize = 16;

impl Hash {
    /// An empty hash (in the listpack form, as Redis creates every new hash).
    pub fn new() -> Hash {
        Hash { repr: Repr::Listpack(Vector::new()) }
    }

    /// A hash built from `(field, value)` pairs as one HSET with them would build it: later pairs
    /// overwrite earlier ones with the same field, the listpack form keeps first-insertion order,
    /// and the encoding follows `config`'s limits. That is also the encoding Redis gives a hash it
    /// loads from a dump (RESTORE, DEBUG RELOAD): listpack exactly when it fits the limits.
    pub fn from_pairs<F, V>(pairs: impl IntoIterator<Item = (F, V)>, config: &Config) -> Hash
    where
        F: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let mut h = Hash::new();
        for (f, v) in pairs {
            h.set(f.as_ref(), v.as_ref(), config);
        }
        h
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.len(),
            Repr::Table(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING reports: `listpack` or `hashtable`. The form is a property of the
    /// value's history (a hash never converts back), so the current config does not change it.
    pub fn encoding(&self, _config: &Config) -> &'static str {
        if self.is_listpack() {
            "listpack"
        } else {
            "hashtable"
        }
    }

    /// True while the hash is in its small, insertion-ordered form.
    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Listpack(_))
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&Bytes> {
        match &self.repr {
            Repr::Listpack(v) => v.leaves().flatten().find(|(f, _)| &f[..] == field).map(|(_, val)| val),
            Repr::Table(m) => m.get(&Slot::new(field)),
        }
    }

    /// True if `field` exists.
    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Sets `field` to `value`; true if the field is new. Converts to the hashtable form first when
    /// either is longer than `hash-max-listpack-value`, and after inserting when the hash has more
    /// than `hash-max-listpack-entries` fields (Redis's `hashTypeSet`).
    pub fn set(&mut self, field: &[u8], value: &[u8], config: &Config) -> bool {
        if self.is_listpack()
            && (exceeds(field.len(), config.hash_max_listpack_value)
                || exceeds(value.len(), config.hash_max_listpack_value))
        {
            self.convert();
        }
        let added = match &mut self.repr {
            Repr::Listpack(v) => match v.leaves_mut().flatten().find(|(f, _)| &f[..] == field) {
                Some(pair) => {
                    // A value of the same length is written over the old one where it stands
                    // when nothing else shares it (as a listpack entry of the same size is).
                    match Arc::get_mut(&mut pair.1) {
                        Some(old) if old.len() == value.len() => old.copy_from_slice(value),
                        _ => pair.1 = bytes(value),
                    }
                    false
                }
                None => {
                    v.push_back((bytes(field), bytes(value)));
                    true
                }
            },
            Repr::Table(m) => m.insert(Slot::new(field), bytes(value)).is_none(),
        };
        if self.is_listpack() && exceeds(self.len(), config.hash_max_listpack_entries) {
            self.convert();
        }
        added
    }

    /// Removes `field`; true if it existed.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Listpack(v) => match v.iter().position(|(f, _)| &f[..] == field) {
                Some(i) => {
                    v.remove(i);
                    true
                }
                None => false,
            },
            Repr::Table(m) => m.remove(&Slot::new(field)).is_some(),
        }
    }

    /// Converts to the hashtable form (a no-op if already there).
    fn convert(&mut self) {
        if let Repr::Listpack(v) = &self.repr {
            let m: OrdMap<Slot, Bytes> = v
                .iter()
                .map(|(f, val)| (Slot { hash: key_hash(f), field: f.clone() }, val.clone()))
                .collect();
            self.repr = Repr::Table(m);
        }
    }

    /// Every `(field, value)` pair in the hash's order: insertion order for a listpack, hash order
    /// for a hashtable (the order HGETALL, HKEYS and HVALS reply in).
    pub fn iter(&self) -> Iter<'_> {
        match &self.repr {
            Repr::Listpack(v) => Iter(IterRepr::Listpack(v.iter())),
            Repr::Table(m) => Iter(IterRepr::Table(m.iter())),
        }
    }

    /// Calls `f` with every `(field, value)` pair, in the order of [`Hash::iter`] (a listpack is
    /// walked a chunk at a time, without an iterator's bookkeeping per pair).
    pub fn for_each(&self, mut f: impl FnMut(&Bytes, &Bytes)) {
        match &self.repr {
            Repr::Listpack(v) => {
                for chunk in v.leaves() {
                    for (field, value) in chunk {
                        f(field, value);
                    }
                }
            }
            Repr::Table(m) => {
                for (slot, value) in m {
                    f(&slot.field, value);
                }
            }
        }
    }

    /// The fields, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Bytes> + '_ {
        self.iter().map(|(f, _)| f)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Bytes> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// One HSCAN step from `cursor`, returning up to about `count` pairs and the cursor to continue
    /// from (0 when done). A listpack is returned whole with cursor 0, whatever the cursor, like
    /// Redis does; a hashtable returns the fields from `cursor` on in hash order (fields sharing a
    /// hash always together).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(Bytes, Bytes)>) {
        match &self.repr {
            Repr::Listpack(v) => (0, v.iter().cloned().collect()),
            Repr::Table(m) => {
                let mut out = Vec::new();
                let mut last = None;
                for (slot, val) in m.range(Slot::at(hash_of_cursor(cursor))..) {
                    let here = cursor_of(slot.hash);
                    if out.len() >= count.max(1) && last != Some(here) {
                        return (here, out);
                    }
                    last = Some(here);
                    out.push((slot.field.clone(), val.clone()));
                }
                (0, out)
            }
        }
    }

    /// The pair at position `i` of a listpack (None for a hashtable or out of range).
    fn listpack_at(&self, i: usize) -> Option<(&Bytes, &Bytes)> {
        match &self.repr {
            Repr::Listpack(v) => v.get(i).map(|(f, val)| (f, val)),
            Repr::Table(_) => None,
        }
    }

    /// One random pair, drawing random numbers from `rand`; None only when the hash is empty.
    pub fn random_pair(&self, rand: &mut dyn FnMut() -> u64) -> Option<(&Bytes, &Bytes)> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        match &self.repr {
            Repr::Listpack(_) => self.listpack_at(below(rand(), len)),
            Repr::Table(m) => {
                let window = len.min(RANDOM_WINDOW);
                let pick = below(rand(), window);
                m.range(Slot::at(rand())..)
                    .chain(m.iter())
                    .take(window)
                    .nth(pick)
                    .map(|(s, v)| (&s.field, v))
            }
        }
    }

    /// `count` distinct random pairs (all of them when `count >= len`), drawing random numbers from
    /// `rand`; see the module documentation for the strategy.
    pub fn random_distinct(
        &self,
        count: usize,
        rand: &mut dyn FnMut() -> u64,
    ) -> Vec<(&Bytes, &Bytes)> {
        let size = self.len();
        if count >= size {
            return self.iter().collect();
        }
        if self.is_listpack() || count.saturating_mul(3) > size {
            // Selection sampling: one ordered pass, each pair kept with probability
            // (still needed) / (still left).
            let mut out = Vec::with_capacity(count);
            for (i, pair) in self.iter().enumerate() {
                let needed = count - out.len();
                if needed == 0 {
                    break;
                }
                if below(rand(), size - i) < needed {
                    out.push(pair);
                }
            }
            return out;
        }
        // A small share of a big hash: pick until enough distinct fields came up.
        let mut seen: HashSet<&[u8]> = HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let Some((f, v)) = self.random_pair(rand) else { break };
            if seen.insert(&f[..]) {
                out.push((f, v));
            }
        }
        out
    }
}

/// A random index below `n` (n > 0) from a random word.
fn below(r: u64, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (r % n as u64) as usize
    }
}

/// Iterator over a hash's `(field, value)` pairs, in the hash's order.
pub struct Iter<'a>(IterRepr<'a>);

enum IterRepr<'a> {
    Listpack(imbl::vector::Iter<'a, (Bytes, Bytes), imbl::shared_ptr::DefaultSharedPtr>),
    Table(imbl::ordmap::Iter<'a, Slot, Bytes, imbl::shared_ptr::DefaultSharedPtr>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Bytes, &'a Bytes);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Listpack(it) => it.next().map(|(f, v)| (f, v)),
            IterRepr::Table(it) => it.next().map(|(s, v)| (&s.field, v)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Listpack(it) => it.size_hint(),
            IterRepr::Table(it) => it.size_hint(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// The most elements HRANDFIELD with a negative count may return (each one a separate random
/// draw). Redis streams any number; a reply here is built in memory, so it is bounded.
pub const MAX_RANDOM_FIELDS: u64 = 1_000_000;

/// The hash at `key` for reading: `Ok(None)` when there is no key, `Err` with WRONGTYPE when the
/// key holds something else. The hash is an O(1) clone, so the caller may use `ctx` freely.
fn read_hash(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Hash>, Reply> {
    match ctx.lookup(key) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h.clone())),
        Some(_) => Err(wrongtype()),
    }
}

/// Runs `f` on the hash at `key`, creating an empty one if there is no key (it is stored only if
/// `f` leaves something in it). WRONGTYPE if the key holds something else.
fn write_hash<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(&mut Hash, &Config) -> R,
) -> Result<R, Reply> {
    let config = ctx.config().clone();
    match ctx.lookup_mut(key) {
        Some(Value::Hash(h)) => Ok(f(h, &config)),
        Some(_) => Err(wrongtype()),
        None => {
            let mut h = Hash::new();
            let r = f(&mut h, &config);
            if !h.is_empty() {
                ctx.set(key, Value::Hash(h), false);
            }
            Ok(r)
        }
    }
}

fn arg(args: &[Vec<u8>], i: usize) -> &[u8] {
    args.get(i).map(|a| &a[..]).unwrap_or(b"")
}

#[inline]
fn bulk(b: &Bytes) -> Reply {
    Reply::bulk(b)
}

fn hset_generic(ctx: &mut Ctx, args: &[Vec<u8>], name: &str, hmset: bool) -> Reply {
    if args.len() % 2 == 1 {
        return crate::engine::wrong_arity(name);
    }
    let key = arg(args, 1);
    let pairs = args.get(2..).unwrap_or(&[]);
    let created = write_hash(ctx, key, |h, config| {
        // Like Redis, a too-long argument converts the hash before anything is written.
        if h.is_listpack() && pairs.iter().any(|a| exceeds(a.len(), config.hash_max_listpack_value))
        {
            h.convert();
        }
        pairs.chunks_exact(2).filter(|p| h.set(&p[0], &p[1], config)).count()
    });
    match created {
        Ok(n) => {
            ctx.notify(notify::HASH, "hset", key);
            if hmset {
                Reply::ok()
            } else {
                Reply::Int(n as i64)
            }
        }
        Err(e) => e,
    }
}

/// HSET key field value [field value ...]
fn hset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    hset_generic(ctx, args, "hset", false)
}

/// HMSET key field value [field value ...] (HSET replying OK)
fn hmset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    hset_generic(ctx, args, "hmset", true)
}

/// HSETNX key field value
fn hsetnx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (key, field, value) = (arg(args, 1), arg(args, 2), arg(args, 3));
    match write_hash(ctx, key, |h, config| !h.contains(field) && h.set(field, value, config)) {
        Ok(true) => {
            ctx.notify(notify::HASH, "hset", key);
            Reply::Int(1)
        }
        Ok(false) => Reply::Int(0),
        Err(e) => e,
    }
}

/// HGET key field
fn hget(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Nil,
        Some(Value::Hash(h)) => h.get(arg(args, 2)).map_or(Reply::Nil, bulk),
        Some(_) => wrongtype(),
    }
}

/// HMGET key field [field ...]
fn hmget(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let fields = args.get(2..).unwrap_or(&[]);
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Array(fields.iter().map(|_| Reply::Nil).collect()),
        Some(Value::Hash(h)) => {
            Reply::Array(fields.iter().map(|f| h.get(f).map_or(Reply::Nil, bulk)).collect())
        }
        Some(_) => wrongtype(),
    }
}

/// HDEL key field [field ...]
fn hdel(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = arg(args, 1);
    let fields = args.get(2..).unwrap_or(&[]);
    let deleted = match ctx.lookup_mut(key) {
        None => return Reply::Int(0),
        Some(Value::Hash(h)) => {
            let mut deleted = 0i64;
            for f in fields {
                if h.remove(f) {
                    deleted += 1;
                    if h.is_empty() {
                        break;
                    }
                }
            }
            deleted
        }
        Some(_) => return wrongtype(),
    };
    if deleted > 0 {
        ctx.notify(notify::HASH, "hdel", key);
        ctx.delete_if_empty(key);
    }
    Reply::Int(deleted)
}

/// HLEN key
fn hlen(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Int(0),
        Some(Value::Hash(h)) => Reply::Int(h.len() as i64),
        Some(_) => wrongtype(),
    }
}

/// HSTRLEN key field
fn hstrlen(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Int(0),
        Some(Value::Hash(h)) => Reply::Int(h.get(arg(args, 2)).map_or(0, |v| v.len() as i64)),
        Some(_) => wrongtype(),
    }
}

/// HEXISTS key field
fn hexists(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Int(0),
        Some(Value::Hash(h)) => Reply::Int(h.contains(arg(args, 2)) as i64),
        Some(_) => wrongtype(),
    }
}

/// HGETALL key: a map (a flat field, value, ... array in RESP2).
fn hgetall(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Map(Vec::new()),
        Some(Value::Hash(h)) => {
            let mut pairs = Vec::with_capacity(h.len());
            h.for_each(|f, v| pairs.push((bulk(f), bulk(v))));
            Reply::Map(pairs)
        }
        Some(_) => wrongtype(),
    }
}

/// HKEYS key
fn hkeys(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Array(Vec::new()),
        Some(Value::Hash(h)) => Reply::Array(h.fields().map(bulk).collect()),
        Some(_) => wrongtype(),
    }
}

/// HVALS key
fn hvals(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match ctx.lookup(arg(args, 1)) {
        None => Reply::Array(Vec::new()),
        Some(Value::Hash(h)) => Reply::Array(h.values().map(bulk).collect()),
        Some(_) => wrongtype(),
    }
}

/// HINCRBY key field increment
fn hincrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (key, field) = (arg(args, 1), arg(args, 2));
    let Some(incr) = num::parse_i64(arg(args, 3)) else {
        return Reply::err(errors::NOT_INTEGER);
    };
    let result = write_hash(ctx, key, |h, config| {
        let old = match h.get(field) {
            Some(v) => match num::parse_i64(v) {
                Some(n) => n,
                None => return Err(Reply::err("ERR hash value is not an integer")),
            },
            None => 0,
        };
        let Some(new) = old.checked_add(incr) else {
            return Err(Reply::err(errors::OVERFLOW));
        };
        h.set(field, new.to_string().as_bytes(), config);
        Ok(new)
    });
    match result {
        Ok(Ok(n)) => {
            ctx.notify(notify::HASH, "hincrby", key);
            Reply::Int(n)
        }
        Ok(Err(e)) | Err(e) => e,
    }
}

/// HINCRBYFLOAT key field increment (in C `long double` arithmetic, like Redis).
fn hincrbyfloat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (key, field) = (arg(args, 1), arg(args, 2));
    let Some(incr) = num::parse_long_double(arg(args, 3)) else {
        return Reply::err(errors::NOT_FLOAT);
    };
    if !incr.is_finite() {
        return Reply::err("ERR value is NaN or Infinity");
    }
    let result = write_hash(ctx, key, |h, config| {
        let old = match h.get(field) {
            Some(v) => match num::parse_long_double(v) {
                Some(x) => Some(x),
                None => return Err(Reply::err("ERR hash value is not a float")),
            },
            // A missing field counts as 0, and 0 + x is computed (not taken as x): it turns an
            // increment of -0 into 0, as in C.
            None => num::parse_long_double(b"0"),
        };
        let new = match old {
            Some(x) => x.add(incr),
            None => incr,
        };
        if !new.is_finite() {
            return Err(Reply::err("ERR increment would produce NaN or Infinity"));
        }
        let text = num::fmt_long_double(new);
        h.set(field, text.as_bytes(), config);
        Ok(text)
    });
    match result {
        Ok(Ok(text)) => {
            ctx.notify(notify::HASH, "hincrbyfloat", key);
            Reply::Bulk(text.into_bytes())
        }
        Ok(Err(e)) | Err(e) => e,
    }
}

/// HRANDFIELD key [count [WITHVALUES]]
fn hrandfield(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = arg(args, 1);
    if args.len() < 3 {
        let h = match read_hash(ctx, key) {
            Ok(Some(h)) => h,
            Ok(None) => return Reply::Nil,
            Err(e) => return e,
        };
        let mut rand = || ctx.random();
        return h.random_pair(&mut rand).map_or(Reply::Nil, |(f, _)| bulk(f));
    }
    let Some(l) = num::parse_i64(arg(args, 2)) else {
        return Reply::err(errors::NOT_INTEGER);
    };
    if l == i64::MIN {
        return Reply::err(
            "ERR value is out of range, value must between -9223372036854775807 and \
             9223372036854775807",
        );
    }
    let withvalues = args.len() == 4;
    if args.len() > 4 || (withvalues && !crate::num::c_str(arg(args, 3)).eq_ignore_ascii_case(b"withvalues")) {
        return Reply::err(errors::SYNTAX);
    }
    if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Reply::err("ERR value is out of range");
    }
    let h = match read_hash(ctx, key) {
        Ok(Some(h)) => h,
        Ok(None) => return Reply::Array(Vec::new()),
        Err(e) => return e,
    };
    let count = l.unsigned_abs();
    if count == 0 {
        return Reply::Array(Vec::new());
    }
    let push = |out: &mut Vec<Reply>, (f, v): (&Bytes, &Bytes)| {
        out.push(bulk(f));
        if withvalues {
            out.push(bulk(v));
        }
    };
    let mut out = Vec::new();
    if l < 0 || count == 1 {
        // Sampling with replacement, in random order.
        if count > MAX_RANDOM_FIELDS {
            return Reply::err(format!(
                "ERR count is too large: at most {MAX_RANDOM_FIELDS} random fields per call"
            ));
        }
        let n = count as usize;
        out.reserve(if withvalues { n * 2 } else { n });
        let mut rand = || ctx.random();
        for _ in 0..n {
            if let Some(pair) = h.random_pair(&mut rand) {
                push(&mut out, pair);
            }
        }
        return Reply::Array(out);
    }
    let want = usize::try_from(count).unwrap_or(usize::MAX);
    let mut rand = || ctx.random();
    for pair in h.random_distinct(want, &mut rand) {
        push(&mut out, pair);
    }
    Reply::Array(out)
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
fn hscan(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = arg(args, 1);
    let Some(cursor) = crate::num::parse_scan_cursor(arg(args, 2)) else {
        return Reply::err("ERR invalid cursor");
    };
    let h = match read_hash(ctx, key) {
        Ok(Some(h)) => h,
        Ok(None) => return Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]),
        Err(e) => return e,
    };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 3;
    while i < args.len() {
        let more = args.len() - i;
        let opt = crate::num::c_str(&args[i]);
        if opt.eq_ignore_ascii_case(b"count") && more >= 2 {
            let Some(n) = num::parse_i64(arg(args, i + 1)) else {
                return Reply::err(errors::NOT_INTEGER);
            };
            if n < 1 {
                return Reply::err(errors::SYNTAX);
            }
            count = n;
            i += 2;
        } else if opt.eq_ignore_ascii_case(b"match") && more >= 2 {
            let p = arg(args, i + 1);
            pattern = if p == b"*" { None } else { Some(p) };
            i += 2;
        } else {
            return Reply::err(errors::SYNTAX);
        }
    }
    let (next, pairs) = h.scan(cursor, usize::try_from(count).unwrap_or(usize::MAX));
    let mut items = Vec::with_capacity(pairs.len() * 2);
    for (f, v) in pairs {
        if pattern.is_some_and(|p| !crate::glob::matches(p, &f, false)) {
            continue;
        }
        items.push(bulk(&f));
        items.push(bulk(&v));
    }
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("hdel", hdel),
    ("hexists", hexists),
    ("hget", hget),
    ("hgetall", hgetall),
    ("hincrby", hincrby),
    ("hincrbyfloat", hincrbyfloat),
    ("hkeys", hkeys),
    ("hlen", hlen),
    ("hmget", hmget),
    ("hmset", hmset),
    ("hrandfield", hrandfield),
    ("hscan", hscan),
    ("hset", hset),
    ("hsetnx", hsetnx),
    ("hstrlen", hstrlen),
    ("hvals", hvals),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_parses_like_strtoul() {
        assert_eq!(crate::num::parse_scan_cursor(b"0"), Some(0));
        assert_eq!(crate::num::parse_scan_cursor(b""), Some(0));
        assert_eq!(crate::num::parse_scan_cursor(b"+5"), Some(5));
        assert_eq!(crate::num::parse_scan_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(crate::num::parse_scan_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(crate::num::parse_scan_cursor(b"18446744073709551616"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"-18446744073709551616"), None);
        assert_eq!(crate::num::parse_scan_cursor(b" 1"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"1 "), None);
        assert_eq!(crate::num::parse_scan_cursor(b"0x1"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"-"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"7\0junk"), Some(7));
    }

    #[test]
    fn a_value_written_over_in_place_is_never_seen_by_a_copy() {
        let config = Config::default();
        let mut h = Hash::from_pairs([("a", "one"), ("b", "two")], &config);
        let before = h.clone();
        let shared = h.get(b"b").cloned();
        assert!(!h.set(b"a", b"ONE", &config));
        assert!(!h.set(b"b", b"TWO", &config));
        assert!(!h.set(b"a", b"111", &config));
        assert!(!h.set(b"a", b"longer", &config));
        assert_eq!(h.get(b"a").map(|v| &v[..]), Some(&b"longer"[..]));
        assert_eq!(h.get(b"b").map(|v| &v[..]), Some(&b"TWO"[..]));
        assert_eq!(before.get(b"a").map(|v| &v[..]), Some(&b"one"[..]));
        assert_eq!(before.get(b"b").map(|v| &v[..]), Some(&b"two"[..]));
        assert_eq!(shared.as_deref(), Some(&b"two"[..]));
        let fields: Vec<_> = h.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
        assert_eq!(fields, [(b"a".to_vec(), b"longer".to_vec()), (b"b".to_vec(), b"TWO".to_vec())]);
    }

    #[test]
    fn conversion_rules() {
        let config = Config::default();
        let mut h = Hash::new();
        assert!(h.set(b"f", &[b'a'; 64], &config));
        assert!(h.is_listpack());
        assert!(h.set(&[b'a'; 64], b"v", &config));
        assert!(h.is_listpack());
        h.set(b"g", &[b'a'; 65], &config);
        assert!(!h.is_listpack());
        h.remove(b"g");
        assert!(!h.is_listpack(), "never converts back");
        let small = Config { hash_max_listpack_entries: 2, ..Config::default() };
        let mut h = Hash::from_pairs([("a", "1"), ("b", "2")], &small);
        assert!(h.is_listpack());
        h.set(b"c", b"3", &small);
        assert_eq!(h.encoding(&small), "hashtable");
    }

    #[test]
    fn clone_is_independent() {
        let config = Config::default();
        let mut a = Hash::from_pairs((0..1000).map(|i| (format!("f{i}"), "v")), &config);
        let b = a.clone();
        a.remove(b"f1");
        assert!(b.contains(b"f1"));
        assert!(!a.contains(b"f1"));
    }
}
