//! One logical database: keys, their values and their expiry times.
//!
//! ## Layout
//! Keys live in a persistent B-tree ([`imbl::OrdMap`]) ordered by `(hash(key), key)`. Ordering by a
//! fixed hash of the key gives SCAN its guarantee for free: a SCAN cursor is simply "the next hash to
//! visit". Keys are visited in hash order, and a key that exists for the whole scan is returned
//! whatever is inserted or deleted meanwhile, because insertions never move other keys in that order
//! (Redis gets the same property from its reverse-binary cursor over a resizing hash table).
//! Lookups cost O(log n) with a fan-out of 64, a handful of node visits even at millions of keys.
//!
//! A second persistent set orders `(expire_at, key)` so active expiry finds every due key in
//! O(k log n) without scanning the keyspace.
//!
//! Cloning a [`Db`] is O(1): both trees share structure with the clone until one of them is written.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::Arc;

use equivalent::{Comparable, Equivalent};
use imbl::{OrdMap, OrdSet};

use crate::value::{Bytes, Value};

/// A key ordered by its hash, then by its bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    hash: u64,
    key: Bytes,
}

impl Slot {
    pub fn new(key: Bytes) -> Slot {
        Slot { hash: key_hash(&key), key }
    }

    pub fn key(&self) -> &Bytes {
        &self.key
    }
}

/// How many low bits of a hash a SCAN cursor leaves out: cursors are the top 53 bits, so that they
/// are exact as JavaScript numbers (node-redis and ioredis read cursors with `Number()`; Redis's
/// own cursors are small too).
pub const CURSOR_SHIFT: u32 = 11;

/// The cursor that resumes a scan at `hash` (never 0 for a key hash: see [`key_hash`]).
pub fn cursor_of(hash: u64) -> u64 {
    hash >> CURSOR_SHIFT
}

/// The first hash a scan resuming at `cursor` visits (past every hash for an impossible cursor).
pub fn hash_of_cursor(cursor: u64) -> u64 {
    if cursor >> (64 - CURSOR_SHIFT) != 0 {
        u64::MAX
    } else {
        cursor << CURSOR_SHIFT
    }
}

/// A stable 64-bit hash of a key (FNV-1a with a final avalanche). Never below 2^11, so that its
/// SCAN cursor is never 0: cursor 0 always means "start" and "done".
pub fn key_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser: spreads FNV's weak low bits over the whole word.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    h.max(1 << CURSOR_SHIFT)
}

/// A key's value and its absolute expiry time (milliseconds on the engine clock), if any.
#[derive(Clone, Debug)]
pub struct Entry {
    pub value: Value,
    pub expire_at: Option<i64>,
}

/// One of the sixteen databases.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Each entry behind its own pointer: the tree's nodes stay small (a key's hash, its bytes and
    /// a pointer), so a lookup's binary searches touch few cache lines; a write after a snapshot
    /// copies the one entry it changes.
    entries: OrdMap<Slot, Arc<Entry>>,
    expires: OrdSet<(i64, Slot)>,
    /// Cloning a database counts as a change of expiry times (see [`expiry_generation`]).
    _generation: Generation,
}

/// Counts the changes of any database's expiry times: the engine keeps the earliest expiry of
/// its databases and looks at them again only when this has moved since.
static EXPIRY_CHANGES: AtomicU64 = AtomicU64::new(0);

/// A number that is different whenever any database's expiry times may have changed since it
/// was last read: a key was given, or lost, an expiry time, or a database was cloned (a clone
/// can take another's place, as when a snapshot is restored). Moving a database does not count.
pub fn expiry_generation() -> u64 {
    EXPIRY_CHANGES.load(AtomicOrdering::Relaxed)
}

fn expiry_changed() {
    EXPIRY_CHANGES.fetch_add(1, AtomicOrdering::Relaxed);
}

/// Part of a [`Db`] whose cloning is an expiry change (see [`expiry_generation`]).
#[derive(Debug, Default)]
struct Generation;

impl Clone for Generation {
    fn clone(&self) -> Generation {
        expiry_changed();
        Generation
    }
}

/// A lookup key that borrows the caller's bytes: looking a key up allocates nothing. It compares
/// with the stored [`Slot`]s exactly as a `Slot` would (hash, then bytes).
struct Probe<'a> {
    hash: u64,
    key: &'a [u8],
}

impl<'a> Probe<'a> {
    fn new(key: &'a [u8]) -> Probe<'a> {
        Probe { hash: key_hash(key), key }
    }
}

impl Equivalent<Slot> for Probe<'_> {
    #[inline]
    fn equivalent(&self, slot: &Slot) -> bool {
        self.hash == slot.hash && self.key == &slot.key[..]
    }
}

impl Comparable<Slot> for Probe<'_> {
    // Inlined into the B-tree's binary search: almost every comparison is decided by the hashes,
    // and only the last one, at the key itself, compares bytes.
    #[inline(always)]
    fn compare(&self, slot: &Slot) -> Ordering {
        match self.hash.cmp(&slot.hash) {
            Ordering::Equal => compare_bytes(self.key, &slot.key),
            other => other,
        }
    }
}

#[inline(never)]
fn compare_bytes(a: &[u8], b: &[u8]) -> Ordering {
    a.cmp(b)
}

/// The same for an entry of the expiry index, `(expire_at, slot)`.
struct ExpiryProbe<'a> {
    at: i64,
    slot: Probe<'a>,
}

impl Equivalent<(i64, Slot)> for ExpiryProbe<'_> {
    fn equivalent(&self, other: &(i64, Slot)) -> bool {
        self.at == other.0 && self.slot.equivalent(&other.1)
    }
}

impl Comparable<(i64, Slot)> for ExpiryProbe<'_> {
    fn compare(&self, other: &(i64, Slot)) -> Ordering {
        self.at.cmp(&other.0).then_with(|| self.slot.compare(&other.1))
    }
}

impl Db {
    /// Number of keys (including any that are due to expire but not yet removed).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of keys with an expiry time.
    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    /// The entry for `key`, expired or not. Callers that honour expiry go through
    /// [`crate::engine::Ctx`], which removes due keys first.
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.entries.get(&Probe::new(key)).map(|e| &**e)
    }

    /// Mutable access to the value of `key` (its expiry is changed only through [`Db::set_expire`]).
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.entries.get_mut(&Probe::new(key)).map(|e| &mut Arc::make_mut(e).value)
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.entries.contains_key(&Probe::new(key))
    }

    /// Stores `value` under `key`. With `keep_ttl` an existing expiry stays, otherwise it is dropped
    /// (like Redis's `setKey`). Returns true if the key was created.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) -> bool {
        let probe = Probe::new(key);
        if let Some(entry) = self.entries.get_mut(&probe) {
            let entry = Arc::make_mut(entry);
            entry.value = value;
            if !keep_ttl {
                if let Some(at) = entry.expire_at.take() {
                    self.expires.remove(&ExpiryProbe { at, slot: probe });
                    expiry_changed();
                }
            }
            return false;
        }
        self.entries.insert(Slot::new(Bytes::from(key)), Arc::new(Entry { value, expire_at: None }));
        true
    }

    /// Inserts a whole entry (value and expiry), replacing any previous one.
    pub fn insert_entry(&mut self, key: &[u8], entry: Entry) {
        self.remove(key);
        let slot = Slot::new(Bytes::from(key));
        if let Some(t) = entry.expire_at {
            self.expires.insert((t, slot.clone()));
            expiry_changed();
        }
        self.entries.insert(slot, Arc::new(entry));
    }

    /// Removes `key`, returning its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let probe = Probe::new(key);
        let entry = Arc::unwrap_or_clone(self.entries.remove(&probe)?);
        if let Some(at) = entry.expire_at {
            self.expires.remove(&ExpiryProbe { at, slot: probe });
            expiry_changed();
        }
        Some(entry)
    }

    /// Sets (or with `None` clears) the expiry of an existing key. Returns false if there is no key.
    pub fn set_expire(&mut self, key: &[u8], at: Option<i64>) -> bool {
        let probe = Probe::new(key);
        let Some((slot, entry)) = self.entries.get_key_value_mut(&probe) else { return false };
        let slot = slot.clone();
        let old = std::mem::replace(&mut Arc::make_mut(entry).expire_at, at);
        if old.is_some() || at.is_some() {
            expiry_changed();
        }
        if let Some(old) = old {
            self.expires.remove(&ExpiryProbe { at: old, slot: probe });
        }
        if let Some(t) = at {
            self.expires.insert((t, slot));
        }
        true
    }

    /// True when `key` exists and its expiry time is at or before `now`.
    #[inline]
    pub fn is_due(&self, key: &[u8], now: i64) -> bool {
        // No expiry at all, or none due yet (the usual case): no need to look the key up.
        if self.next_expiry().is_none_or(|t| t > now) {
            return false;
        }
        matches!(self.get(key), Some(Entry { expire_at: Some(t), .. }) if *t <= now)
    }

    /// Keys whose expiry time is at or before `now`, soonest first.
    pub fn due_keys(&self, now: i64) -> Vec<Bytes> {
        self.expires
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, s)| s.key.clone())
            .collect()
    }

    /// The earliest expiry time in this database.
    #[inline]
    pub fn next_expiry(&self) -> Option<i64> {
        if self.expires.is_empty() {
            return None;
        }
        self.expires.get_min().map(|(t, _)| *t)
    }

    /// All keys, in SCAN order.
    pub fn keys(&self) -> impl Iterator<Item = &Bytes> + '_ {
        self.entries.keys().map(|s| &s.key)
    }

    /// All entries, in SCAN order.
    pub fn iter(&self) -> impl Iterator<Item = (&Bytes, &Entry)> + '_ {
        self.entries.iter().map(|(s, e)| (&s.key, &**e))
    }

    /// One SCAN step: up to about `count` keys from `cursor` on (all keys sharing a cursor value are
    /// returned together), and the cursor to continue from (0 when the walk is complete).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Bytes>) {
        let start = Slot { hash: hash_of_cursor(cursor), key: Bytes::from(&b""[..]) };
        let mut out = Vec::new();
        let mut last = None;
        for (slot, _) in self.entries.range(start..) {
            let here = cursor_of(slot.hash);
            if out.len() >= count.max(1) && last != Some(here) {
                return (here, out);
            }
            last = Some(here);
            out.push(slot.key.clone());
        }
        (0, out)
    }

    /// The key at or after a given point of the hash ring, wrapping around (for RANDOMKEY and
    /// random sampling). `None` only when the database is empty.
    pub fn key_near(&self, point: u64) -> Option<&Bytes> {
        let start = Slot { hash: point, key: Bytes::from(&b""[..]) };
        self.entries
            .range(start..)
            .next()
            .or_else(|| self.entries.iter().next())
            .map(|(s, _)| &s.key)
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        self.entries = OrdMap::new();
        self.expires = OrdSet::new();
        expiry_changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::bytes;

    #[test]
    fn set_get_remove_and_expire_index() {
        let mut db = Db::default();
        db.set(b"a", Value::str("1"), false);
        assert!(db.contains(b"a"));
        assert!(db.set_expire(b"a", Some(100)));
        assert_eq!(db.expires_len(), 1);
        assert!(db.is_due(b"a", 100));
        assert!(!db.is_due(b"a", 99));
        db.set(b"a", Value::str("2"), true);
        assert_eq!(db.get(b"a").and_then(|e| e.expire_at), Some(100));
        db.set(b"a", Value::str("3"), false);
        assert_eq!(db.expires_len(), 0);
        assert!(db.remove(b"a").is_some());
        assert!(db.is_empty());
    }

    #[test]
    fn scan_visits_every_key_that_stays() {
        let mut db = Db::default();
        for i in 0..1000 {
            db.set(format!("k{i}").as_bytes(), Value::str("v"), false);
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            let (next, keys) = db.scan(cursor, 10);
            seen.extend(keys);
            // Churn while scanning: add and remove other keys.
            db.set(format!("new{round}").as_bytes(), Value::str("v"), false);
            db.remove(format!("new{}", round / 2).as_bytes());
            round += 1;
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(&bytes(format!("k{i}"))), "missed k{i}");
        }
    }

    #[test]
    fn clone_is_independent() {
        let mut a = Db::default();
        a.set(b"x", Value::str("1"), false);
        let b = a.clone();
        a.remove(b"x");
        assert!(b.contains(b"x"));
        assert!(!a.contains(b"x"));
    }
}
