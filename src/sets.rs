//! Sets: SADD, SREM, SMEMBERS, SPOP, SINTER, SSCAN and the rest of the family.
//!
//! ## Two representations, like Redis 7.0
//! A [`Set`] is either an **intset** or a **hashtable**, and OBJECT ENCODING says which:
//!
//! - *intset*: while every member is a canonical 64-bit integer (`"12"`, not `"012"` or `"+12"`)
//!   and there are at most `set-max-intset-entries` of them. Members are kept as `i64` in ascending
//!   order, so SMEMBERS, SSCAN and every other walk of a small all-integer set come out sorted,
//!   exactly as Redis prints them.
//! - *hashtable*: once a non-integer member arrives or the set grows past the limit. A set never
//!   goes back to an intset by removing members (Redis does not either). Redis's hashtable order is
//!   unspecified; here members are ordered by a fixed hash of their bytes, then by the bytes.
//!
//! The conversion rules are applied at the moment members are added, with the configuration in
//! force at that moment (lowering the limit later does not convert an existing set, as in Redis).
//! Commands that build a temporary set (SUNION, SDIFF, SINTERSTORE, SPOP with a count) build it
//! the way Redis does, so their reply order and the stored encoding match the real server.
//!
//! ## Persistent storage
//! Both representations are persistent structures from `imbl`, so cloning a set is O(1) and a
//! snapshot of the engine shares every set it contains; a write copies only what it touches.
//!
//! - The intset is a persistent vector of small sorted leaves of integers (at most 64 each).
//!   Lookups binary-search the leaves, then one leaf; a write rewrites one leaf. Unlike Redis's
//!   flat array (O(n) per insertion) this stays fast when `set-max-intset-entries` is raised.
//! - The hashtable is an `OrdSet` whose elements are one shared byte string each,
//!   `hash (8 bytes, big-endian) ++ member`: comparing those strings orders members by hash then
//!   bytes, and lookups probe with a plain byte slice. Membership, insertion and removal cost
//!   O(log n).
//!
//! ## SSCAN
//! Walking a hashtable in hash order gives SSCAN a real cursor: the cursor is the hash of the next
//! member to visit, and members never move relative to each other, so a member present for the
//! whole scan is always returned (Redis gets the same guarantee from its reverse-binary cursor).
//! An intset is returned whole with cursor 0, as Redis does.
//!
//! ## Randomness
//! SPOP and SRANDMEMBER draw from the engine's generator ([`Ctx::random`]), so a snapshot replays
//! the same choices. An intset picks a uniformly random member (rejection sampling over its
//! leaves). A hashtable picks a random point on the hash ring and then a uniform member among the
//! next sixteen: exactly uniform for sets of up to sixteen members and only mildly biased for
//! bigger ones (Redis's own pick is not uniform either). When a count asks for most of a set,
//! the members are chosen by a partial shuffle instead, which is uniform for both. The rules for
//! counts (distinct members for a positive count, repeats for a negative one, the whole set when
//! the count covers it) and the order of the replies Redis determines are Redis's.

use std::borrow::{Borrow, Cow};
use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use imbl::shared_ptr::DefaultSharedPtr;
use imbl::{OrdSet, Vector};

use crate::commands::Handler;
use crate::config::Config;
use crate::engine::{wrong_arity, wrongtype, Ctx};
use crate::keyspace::{cursor_of, hash_of_cursor, key_hash, Entry};
use crate::notify;
use crate::num::parse_i64;
use crate::reply::{errors, Reply};
use crate::value::{Bytes, Value};

/// Redis never lets an intset grow past 2^30 entries, whatever `set-max-intset-entries` says.
const INTSET_HARD_LIMIT: u64 = 1 << 30;

/// How many consecutive hashtable members a random pick chooses among (see the module docs).
const FAIR_WINDOW: usize = 16;

/// The most elements a SRANDMEMBER with a negative count may return. Redis has no such limit (it
/// would build the reply until memory runs out); here the reply is built in memory first.
pub const MAX_RANDOM_REPLY: u64 = 1_000_000;

/// The effective intset size limit for a configuration.
pub fn max_intset_entries(config: &Config) -> usize {
    let limit = (config.set_max_intset_entries.max(0) as u64).min(INTSET_HARD_LIMIT);
    usize::try_from(limit).unwrap_or(usize::MAX)
}

/// A hashtable member: `hash(member)` as 8 big-endian bytes, then the member's bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Member(Bytes);

impl Member {
    fn new(data: &[u8]) -> Member {
        Member(Bytes::from(probe(data)))
    }

    fn data(&self) -> &[u8] {
        self.0.get(8..).unwrap_or(&[])
    }
}

impl Borrow<[u8]> for Member {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

/// The stored form of `data` (hash, then bytes).
fn probe(data: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(data.len().saturating_add(8));
    v.extend_from_slice(&key_hash(data).to_be_bytes());
    v.extend_from_slice(data);
    v
}

/// Looks a member up without building its stored form: compares as `hash ++ bytes` would.
struct Probe<'a> {
    hash: [u8; 8],
    data: &'a [u8],
}

impl<'a> Probe<'a> {
    fn new(data: &'a [u8]) -> Probe<'a> {
        Probe { hash: key_hash(data).to_be_bytes(), data }
    }
}

impl equivalent::Equivalent<Member> for Probe<'_> {
    fn equivalent(&self, m: &Member) -> bool {
        m.0.get(..8) == Some(&self.hash[..]) && m.data() == self.data
    }
}

impl equivalent::Comparable<Member> for Probe<'_> {
    fn compare(&self, m: &Member) -> std::cmp::Ordering {
        let stored_hash = m.0.get(..8).unwrap_or(&[]);
        self.hash[..].cmp(stored_hash).then_with(|| self.data.cmp(m.data()))
    }
}

/// The first position of the hash ring at or after `hash`.
fn ring_from(hash: u64) -> [u8; 8] {
    hash.to_be_bytes()
}

fn hash_of(stored: &Member) -> u64 {
    let mut b = [0u8; 8];
    if let Some(h) = stored.0.get(..8) {
        b.copy_from_slice(h);
    }
    u64::from_be_bytes(b)
}

/// Most integers one intset leaf holds. Leaves are split when they grow past it and merged with
/// a neighbour when they fall under a quarter of it, so every leaf of a multi-leaf intset is at
/// least a quarter full.
const LEAF_CAP: usize = 64;

/// The intset: ascending integers in small sorted leaves, the leaves in a persistent vector.
///
/// Finding a member is a binary search over the leaves (by their last integer) and then inside
/// one leaf; an insertion or removal rewrites one leaf (copied first if a snapshot shares it). A
/// uniform random member comes from rejection sampling: a random leaf and a random slot below
/// `LEAF_CAP`, retried while the slot is empty, gives every member the same chance; leaves being
/// at least a quarter full, it takes at most four tries on average.
#[derive(Clone, Debug, Default)]
struct IntSeq {
    leaves: Vector<Arc<Vec<i64>>>,
    len: usize,
}

impl IntSeq {
    /// The first leaf whose last integer is at least `n` (`leaves.len()` if none is).
    fn leaf_for(&self, n: i64) -> usize {
        match self.leaves.binary_search_by(|leaf| match leaf.last() {
            Some(last) if *last >= n => std::cmp::Ordering::Greater,
            _ => std::cmp::Ordering::Less,
        }) {
            Ok(i) | Err(i) => i,
        }
    }

    fn contains(&self, n: i64) -> bool {
        let i = self.leaf_for(n);
        self.leaves.get(i).is_some_and(|leaf| leaf.binary_search(&n).is_ok())
    }

    fn insert(&mut self, n: i64) -> bool {
        if self.leaves.is_empty() {
            self.leaves.push_back(Arc::new(vec![n]));
            self.len = 1;
            return true;
        }
        let i = self.leaf_for(n).min(self.leaves.len() - 1);
        let Some(Err(at)) = self.leaves.get(i).map(|leaf| leaf.binary_search(&n)) else {
            return false;
        };
        let Some(slot) = self.leaves.get_mut(i) else { return false };
        let leaf = Arc::make_mut(slot);
        leaf.insert(at, n);
        self.len += 1;
        if leaf.len() > LEAF_CAP {
            let right = leaf.split_off(leaf.len() / 2);
            self.leaves.insert(i + 1, Arc::new(right));
        }
        true
    }

    fn remove(&mut self, n: i64) -> bool {
        let i = self.leaf_for(n);
        let Some(slot) = self.leaves.get_mut(i) else { return false };
        let Ok(at) = slot.binary_search(&n) else { return false };
        let leaf = Arc::make_mut(slot);
        leaf.remove(at);
        self.len -= 1;
        let left = leaf.len();
        if left == 0 {
            self.leaves.remove(i);
        } else if left < LEAF_CAP / 4 && self.leaves.len() > 1 {
            self.merge_around(i);
        }
        true
    }

    /// Merges the leaf at `i` with a neighbour, splitting the result again if it is too big.
    fn merge_around(&mut self, i: usize) {
        let (a, b) = if i + 1 < self.leaves.len() { (i, i + 1) } else { (i.saturating_sub(1), i) };
        if a == b || b >= self.leaves.len() {
            return;
        }
        let second = self.leaves.remove(b);
        let Some(slot) = self.leaves.get_mut(a) else { return };
        let merged = Arc::make_mut(slot);
        merged.extend_from_slice(&second);
        if merged.len() > LEAF_CAP {
            let right = merged.split_off(merged.len() / 2);
            self.leaves.insert(a + 1, Arc::new(right));
        }
    }

    fn random(&self, rng: &mut dyn FnMut() -> u64) -> Option<i64> {
        let leaves = self.leaves.len() as u64;
        if leaves == 1 {
            let leaf = self.leaves.get(0)?;
            return leaf.get(usize::try_from(rng() % leaf.len().max(1) as u64).ok()?).copied();
        }
        for attempt in 0..10_000 {
            let leaf = self.leaves.get(usize::try_from(rng() % leaves.max(1)).ok()?)?;
            let slot = usize::try_from(rng() % LEAF_CAP as u64).ok()?;
            match leaf.get(slot) {
                Some(n) => return Some(*n),
                // Unreachable in practice (leaves are at least a quarter full); stay total anyway.
                None if attempt == 9_999 => return leaf.first().copied(),
                None => {}
            }
        }
        None
    }

    fn iter(&self) -> IntIter<'_> {
        IntIter { leaves: self.leaves.iter(), current: [].iter() }
    }
}

/// Walks an [`IntSeq`] in ascending order.
struct IntIter<'a> {
    leaves: imbl::vector::Iter<'a, Arc<Vec<i64>>, DefaultSharedPtr>,
    current: std::slice::Iter<'a, i64>,
}

impl<'a> Iterator for IntIter<'a> {
    type Item = &'a i64;

    fn next(&mut self) -> Option<&'a i64> {
        loop {
            if let Some(n) = self.current.next() {
                return Some(n);
            }
            self.current = self.leaves.next()?.iter();
        }
    }
}

#[derive(Clone, Debug)]
enum Repr {
    /// Ascending integers.
    Ints(IntSeq),
    /// Members ordered by (hash, bytes).
    Table(OrdSet<Member>),
}

/// A set value (see the module docs for its two representations).
#[derive(Clone, Debug)]
pub struct Set {
    repr: Repr,
}

impl Default for Set {
    fn default() -> Set {
        Set::new()
    }
}

impl Set {
    /// An empty set in the intset representation (what Redis starts a computed set with).
    pub fn new() -> Set {
        Set { repr: Repr::Ints(IntSeq::default()) }
    }

    /// An empty set ready to receive `first`: an intset if it is an integer, otherwise a hashtable
    /// (Redis's choice when a command creates a set key).
    pub fn new_for(first: &[u8]) -> Set {
        if parse_i64(first).is_some() {
            Set::new()
        } else {
            Set { repr: Repr::Table(OrdSet::new()) }
        }
    }

    /// A set holding `members`, built the way SADD builds a new key (for loading and importing).
    pub fn from_members<I, T>(members: I, config: &Config) -> Set
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        Set::build(members, max_intset_entries(config))
    }

    fn build<I, T>(members: I, max_intset: usize) -> Set
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut members = members.into_iter().peekable();
        let mut set = match members.peek() {
            Some(first) => Set::new_for(first.as_ref()),
            None => Set::new(),
        };
        for m in members {
            set.insert(m.as_ref(), max_intset);
        }
        set
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.len,
            Repr::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while the set uses the intset representation.
    pub fn is_intset(&self) -> bool {
        matches!(self.repr, Repr::Ints(_))
    }

    /// The name OBJECT ENCODING reports. The representation was chosen when members were added,
    /// with the configuration of that moment, so `_config` does not change the answer.
    pub fn encoding(&self, _config: &Config) -> &'static str {
        if self.is_intset() {
            "intset"
        } else {
            "hashtable"
        }
    }

    /// True if `member` is in the set. O(log n).
    pub fn contains(&self, member: &[u8]) -> bool {
        match &self.repr {
            Repr::Ints(v) => parse_i64(member).is_some_and(|n| v.contains(n)),
            Repr::Table(t) => t.contains(&Probe::new(member)),
        }
    }

    /// Adds `member`; false if it was already there. Converts an intset to a hashtable when the
    /// member is not an integer or the set grows past `max_intset` members.
    pub fn insert(&mut self, member: &[u8], max_intset: usize) -> bool {
        if let Repr::Ints(v) = &mut self.repr {
            match parse_i64(member) {
                Some(n) => {
                    if !v.insert(n) {
                        return false;
                    }
                    if v.len > max_intset {
                        self.convert_to_table();
                    }
                    return true;
                }
                None => self.convert_to_table(),
            }
        }
        match &mut self.repr {
            Repr::Table(t) => t.insert(Member::new(member)).is_none(),
            Repr::Ints(_) => false,
        }
    }

    /// Removes `member`; false if it was not there. Never changes the representation.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => parse_i64(member).is_some_and(|n| v.remove(n)),
            Repr::Table(t) => t.remove(&Probe::new(member)).is_some(),
        }
    }

    fn convert_to_table(&mut self) {
        if let Repr::Ints(v) = &self.repr {
            let table: OrdSet<Member> =
                v.iter().map(|n| Member::new(n.to_string().as_bytes())).collect();
            self.repr = Repr::Table(table);
        }
    }

    /// Every member, in the set's order (ascending for an intset, hash order for a hashtable).
    pub fn iter(&self) -> Iter<'_> {
        match &self.repr {
            Repr::Ints(v) => Iter(IterRepr::Ints(v.iter())),
            Repr::Table(t) => Iter(IterRepr::Table(t.iter())),
        }
    }

    /// A random member, drawing numbers from `rng`; `None` only for an empty set.
    pub fn random_member(&self, rng: &mut dyn FnMut() -> u64) -> Option<Cow<'_, [u8]>> {
        match &self.repr {
            Repr::Ints(v) => v.random(rng).map(|n| Cow::Owned(n.to_string().into_bytes())),
            Repr::Table(t) => {
                if t.is_empty() {
                    return None;
                }
                let window = t.len().min(FAIR_WINDOW);
                let point = ring_from(rng());
                let skip = usize::try_from(rng() % window as u64).ok()?;
                let from: (Bound<&[u8]>, Bound<&[u8]>) =
                    (Bound::Included(&point[..]), Bound::Unbounded);
                // Wrap around the ring: the walk always has at least `len` members to offer.
                t.range::<_, [u8]>(from).chain(t.iter()).nth(skip).map(|m| Cow::Borrowed(m.data()))
            }
        }
    }

    /// One SSCAN step: about `count` members from `cursor` on, and the cursor to continue from (0
    /// when the walk is complete). An intset is returned whole with cursor 0.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Cow<'_, [u8]>>) {
        match &self.repr {
            Repr::Ints(_) => (0, self.iter().collect()),
            Repr::Table(t) => {
                let point = ring_from(hash_of_cursor(cursor));
                let from: (Bound<&[u8]>, Bound<&[u8]>) =
                    (Bound::Included(&point[..]), Bound::Unbounded);
                let mut out = Vec::new();
                let mut last = None;
                for m in t.range::<_, [u8]>(from) {
                    let here = cursor_of(hash_of(m));
                    // Members sharing a cursor are returned together, so a cursor never splits them.
                    if out.len() >= count.max(1) && last != Some(here) {
                        return (here, out);
                    }
                    last = Some(here);
                    out.push(Cow::Borrowed(m.data()));
                }
                (0, out)
            }
        }
    }
}

/// An iterator over a set's members (integers of an intset are printed in decimal).
pub struct Iter<'a>(IterRepr<'a>);

enum IterRepr<'a> {
    Ints(IntIter<'a>),
    Table(imbl::ordset::Iter<'a, Member, DefaultSharedPtr>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Cow<'a, [u8]>;

    fn next(&mut self) -> Option<Cow<'a, [u8]>> {
        match &mut self.0 {
            IterRepr::Ints(it) => it.next().map(|n| Cow::Owned(n.to_string().into_bytes())),
            IterRepr::Table(it) => it.next().map(|m| Cow::Borrowed(m.data())),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Ints(it) => it.size_hint(),
            IterRepr::Table(it) => it.size_hint(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Intersection
// ---------------------------------------------------------------------------------------------

/// An intersection walks the smallest set and asks each other set whether it holds the member.
/// Two sets in the same representation keep their members in the same order (ascending integers,
/// or hash then bytes), so when the other set is not much bigger it is answered by walking it in
/// step with the smallest one (a merge: no hashing, no tree descent, nothing allocated); a much
/// bigger set, or one in the other representation, is probed in O(log n).
const MERGE_RATIO: usize = 16;

/// How one of the other sets of an intersection is asked about the next member.
enum Lookup<'a> {
    /// Walked in step: the members before the asked one are skipped for good.
    Table(std::iter::Peekable<imbl::ordset::Iter<'a, Member, DefaultSharedPtr>>),
    Ints(std::iter::Peekable<IntIter<'a>>),
    Probe(&'a Set),
}

/// Whether a set walked in step holds `wanted` (`cmp` orders its members): `None` once the walk
/// is past its last member, when no later member of the smallest set can be in it either.
fn step_to<'a, T: 'a>(
    walk: &mut std::iter::Peekable<impl Iterator<Item = &'a T>>,
    wanted: &T,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Option<bool> {
    while let Some(next) = walk.peek() {
        match cmp(next, wanted) {
            std::cmp::Ordering::Less => {
                walk.next();
            }
            std::cmp::Ordering::Equal => return Some(true),
            std::cmp::Ordering::Greater => return Some(false),
        }
    }
    None
}

/// The order of stored members (hash, then bytes), comparing the hashes as one word rather than
/// through a byte-wise comparison of the whole strings.
fn member_order(a: &Member, b: &Member) -> std::cmp::Ordering {
    hash_of(a).cmp(&hash_of(b)).then_with(|| a.data().cmp(b.data()))
}

enum Walk<'a> {
    Ints(IntIter<'a>),
    Table(imbl::ordset::Iter<'a, Member, DefaultSharedPtr>),
}

/// The members of the smallest set that every other set holds, in the smallest set's order
/// (which is the order Redis replies in).
struct Common<'a> {
    walk: Walk<'a>,
    others: Vec<Lookup<'a>>,
    done: bool,
}

impl<'a> Common<'a> {
    fn new(smallest: &'a Set, others: &'a [Set]) -> Common<'a> {
        let in_step = |other: &Set| other.len() <= smallest.len().saturating_mul(MERGE_RATIO);
        let others = others
            .iter()
            .map(|other| match (&smallest.repr, &other.repr) {
                (Repr::Table(_), Repr::Table(t)) if in_step(other) => Lookup::Table(t.iter().peekable()),
                (Repr::Ints(_), Repr::Ints(v)) if in_step(other) => Lookup::Ints(v.iter().peekable()),
                _ => Lookup::Probe(other),
            })
            .collect();
        let walk = match &smallest.repr {
            Repr::Ints(v) => Walk::Ints(v.iter()),
            Repr::Table(t) => Walk::Table(t.iter()),
        };
        Common { walk, others, done: false }
    }

    /// Whether every other set holds the stored member `m` (`None`: nothing further can match).
    fn all_hold_member(&mut self, m: &Member) -> Option<bool> {
        for other in &mut self.others {
            let found = match other {
                Lookup::Table(walk) => step_to(walk, m, member_order)?,
                Lookup::Probe(set) => match &set.repr {
                    Repr::Table(t) => t.contains::<[u8]>(&m.0),
                    Repr::Ints(v) => parse_i64(m.data()).is_some_and(|n| v.contains(n)),
                },
                Lookup::Ints(_) => false,
            };
            if !found {
                return Some(false);
            }
        }
        Some(true)
    }

    /// Whether every other set holds the integer `n`.
    fn all_hold_int(&mut self, n: i64) -> Option<bool> {
        let mut text: Option<String> = None;
        for other in &mut self.others {
            let found = match other {
                Lookup::Ints(walk) => step_to(walk, &n, i64::cmp)?,
                Lookup::Probe(set) => match &set.repr {
                    Repr::Ints(v) => v.contains(n),
                    Repr::Table(t) => t.contains(&Probe::new(text.get_or_insert_with(|| n.to_string()).as_bytes())),
                },
                Lookup::Table(_) => false,
            };
            if !found {
                return Some(false);
            }
        }
        Some(true)
    }
}

impl<'a> Iterator for Common<'a> {
    type Item = Cow<'a, [u8]>;

    fn next(&mut self) -> Option<Cow<'a, [u8]>> {
        while !self.done {
            let held = match &mut self.walk {
                Walk::Table(it) => {
                    let m = it.next()?;
                    self.all_hold_member(m).map(|all| all.then(|| Cow::Borrowed(m.data())))
                }
                Walk::Ints(it) => {
                    let n = *it.next()?;
                    self.all_hold_int(n).map(|all| all.then(|| Cow::Owned(n.to_string().into_bytes())))
                }
            };
            match held {
                Some(Some(member)) => return Some(member),
                Some(None) => {}
                None => self.done = true,
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Command helpers
// ---------------------------------------------------------------------------------------------

/// The set at `key` (an O(1) copy), `None` if there is no key, or WRONGTYPE.
fn read_set(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Set>, Reply> {
    match ctx.lookup(key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrongtype()),
    }
}

/// Takes the set at `key` out of the keyspace, with its expiry time, to work on it while drawing
/// random numbers; the caller puts it back with [`put_back`] unless it became empty.
fn take_set(ctx: &mut Ctx, key: &[u8]) -> Result<Option<(Set, Option<i64>)>, Reply> {
    match ctx.lookup(key) {
        None => return Ok(None),
        Some(Value::Set(_)) => {}
        Some(_) => return Err(wrongtype()),
    }
    match ctx.db().remove(key) {
        Some(Entry { value: Value::Set(s), expire_at }) => Ok(Some((s, expire_at))),
        Some(other) => {
            // Not reachable (the type was just checked); restore the key untouched.
            ctx.db().insert_entry(key, other);
            Err(wrongtype())
        }
        None => Ok(None),
    }
}

fn put_back(ctx: &mut Ctx, key: &[u8], set: Set, expire_at: Option<i64>) {
    ctx.db().insert_entry(key, Entry { value: Value::Set(set), expire_at });
}

fn members_reply<'a>(members: impl IntoIterator<Item = Cow<'a, [u8]>>) -> Reply {
    Reply::Array(members.into_iter().map(|m| Reply::Bulk(m.into_owned())).collect())
}

fn empty_array() -> Reply {
    Reply::Array(Vec::new())
}

/// The temporary copy Redis replies from when SPOP's count covers the whole set. The copy starts
/// as an intset, so a small all-integer hashtable comes out sorted; any other set keeps its
/// representation, and with it its order, so it is shared instead of rebuilt.
fn copy_as_temporary(set: &Set, max_intset: usize) -> Set {
    if set.is_intset() || set.len() > max_intset {
        return set.clone();
    }
    let mut tmp = Set::new();
    for m in set.iter() {
        tmp.insert(&m, max_intset);
    }
    tmp
}

/// `k` distinct indices below `n`, chosen uniformly (a partial Fisher-Yates shuffle). `n` is the
/// size of an existing set, so the memory is bounded by data the user already stored.
fn sample_indices(n: usize, k: usize, rng: &mut dyn FnMut() -> u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let k = k.min(n);
    for i in 0..k {
        let span = (n - i) as u64;
        let j = i + usize::try_from(rng() % span).unwrap_or(0);
        idx.swap(i, j);
    }
    idx.truncate(k);
    idx
}

/// A count that must be a non-negative integer (Redis's `getPositiveLongFromObjectOrReply`:
/// anything else, a non-number included, is "out of range, must be positive").
fn parse_positive(b: &[u8]) -> Result<u64, Reply> {
    match parse_i64(b) {
        Some(n) if n >= 0 => Ok(n as u64),
        _ => Err(Reply::err(errors::POSITIVE)),
    }
}

// ---------------------------------------------------------------------------------------------
// Single-key commands
// ---------------------------------------------------------------------------------------------

/// SADD key member [member ...]
fn sadd(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key, members @ ..] = args else { return wrong_arity("sadd") };
    let Some(first) = members.first() else { return wrong_arity("sadd") };
    let max = max_intset_entries(ctx.config());
    let added = match ctx.lookup_mut(key) {
        Some(Value::Set(set)) => {
            let mut added = 0i64;
            for m in members {
                if set.insert(m, max) {
                    added += 1;
                }
            }
            added
        }
        Some(_) => return wrongtype(),
        None => {
            let mut set = Set::new_for(first);
            let mut added = 0i64;
            for m in members {
                if set.insert(m, max) {
                    added += 1;
                }
            }
            ctx.set(key, Value::Set(set), false);
            added
        }
    };
    if added > 0 {
        ctx.notify(notify::SET, "sadd", key);
    }
    Reply::Int(added)
}

/// SREM key member [member ...]
fn srem(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key, members @ ..] = args else { return wrong_arity("srem") };
    let removed = match ctx.lookup_mut(key) {
        None => return Reply::Int(0),
        Some(Value::Set(set)) => {
            let mut removed = 0i64;
            for m in members {
                if set.remove(m) {
                    removed += 1;
                    if set.is_empty() {
                        break;
                    }
                }
            }
            removed
        }
        Some(_) => return wrongtype(),
    };
    if removed > 0 {
        ctx.notify(notify::SET, "srem", key);
        ctx.delete_if_empty(key);
    }
    Reply::Int(removed)
}

/// SMEMBERS key
fn smembers(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key] = args else { return wrong_arity("smembers") };
    match read_set(ctx, key) {
        Err(e) => e,
        Ok(None) => empty_array(),
        Ok(Some(set)) => members_reply(set.iter()),
    }
}

/// SISMEMBER key member
fn sismember(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key, member] = args else { return wrong_arity("sismember") };
    match ctx.lookup(key) {
        None => Reply::Int(0),
        Some(Value::Set(set)) => Reply::Int(set.contains(member) as i64),
        Some(_) => wrongtype(),
    }
}

/// SMISMEMBER key member [member ...]
fn smismember(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key, members @ ..] = args else { return wrong_arity("smismember") };
    match ctx.lookup(key) {
        None => Reply::Array(members.iter().map(|_| Reply::Int(0)).collect()),
        Some(Value::Set(set)) => {
            Reply::Array(members.iter().map(|m| Reply::Int(set.contains(m) as i64)).collect())
        }
        Some(_) => wrongtype(),
    }
}

/// SCARD key
fn scard(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key] = args else { return wrong_arity("scard") };
    match ctx.lookup(key) {
        None => Reply::Int(0),
        Some(Value::Set(set)) => Reply::Int(set.len() as i64),
        Some(_) => wrongtype(),
    }
}

/// SMOVE source destination member
fn smove(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, src, dst, member] = args else { return wrong_arity("smove") };
    let in_source = match ctx.lookup(src) {
        None => return Reply::Int(0),
        Some(Value::Set(set)) => set.contains(member),
        Some(_) => return wrongtype(),
    };
    match ctx.lookup(dst) {
        None | Some(Value::Set(_)) => {}
        Some(_) => return wrongtype(),
    }
    if src == dst {
        return Reply::Int(in_source as i64);
    }
    if !in_source {
        return Reply::Int(0);
    }
    if let Some(Value::Set(set)) = ctx.lookup_mut(src) {
        set.remove(member);
    }
    ctx.notify(notify::SET, "srem", src);
    ctx.delete_if_empty(src);
    let max = max_intset_entries(ctx.config());
    let added = match ctx.lookup_mut(dst) {
        Some(Value::Set(set)) => set.insert(member, max),
        _ => {
            let mut set = Set::new_for(member);
            set.insert(member, max);
            ctx.set(dst, Value::Set(set), false);
            true
        }
    };
    if added {
        ctx.notify(notify::SET, "sadd", dst);
    }
    Reply::Int(1)
}

/// SPOP key [count]
fn spop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match args {
        [_, key] => spop_one(ctx, key),
        [_, key, count] => spop_count(ctx, key, count),
        [_, _, _, ..] => Reply::err(errors::SYNTAX),
        _ => wrong_arity("spop"),
    }
}

fn spop_one(ctx: &mut Ctx, key: &[u8]) -> Reply {
    let (mut set, expire_at) = match take_set(ctx, key) {
        Err(e) => return e,
        Ok(None) => return Reply::Nil,
        Ok(Some(taken)) => taken,
    };
    let picked = set.random_member(&mut || ctx.random()).map(Cow::into_owned);
    let Some(member) = picked else {
        put_back(ctx, key, set, expire_at);
        return Reply::Nil;
    };
    set.remove(&member);
    ctx.notify(notify::SET, "spop", key);
    if set.is_empty() {
        ctx.notify(notify::GENERIC, "del", key);
    } else {
        put_back(ctx, key, set, expire_at);
    }
    Reply::Bulk(member)
}

fn spop_count(ctx: &mut Ctx, key: &[u8], count: &[u8]) -> Reply {
    let count = match parse_positive(count) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (mut set, expire_at) = match take_set(ctx, key) {
        Err(e) => return e,
        Ok(None) => return empty_array(),
        Ok(Some(taken)) => taken,
    };
    if count == 0 {
        put_back(ctx, key, set, expire_at);
        return empty_array();
    }
    let max = max_intset_entries(ctx.config());
    let size = set.len() as u64;
    ctx.notify(notify::SET, "spop", key);

    // The whole set: the reply is a temporary copy of it (and the key goes away).
    if count >= size {
        let reply = members_reply(copy_as_temporary(&set, max).iter());
        ctx.notify(notify::GENERIC, "del", key);
        return reply;
    }

    let remaining = size - count;
    let mut popped = Vec::new();
    if remaining.saturating_mul(5) > count {
        // Few members to pop: pick and remove them one at a time (reply in the order picked).
        for _ in 0..count {
            let Some(m) = set.random_member(&mut || ctx.random()).map(Cow::into_owned) else {
                break;
            };
            set.remove(&m);
            popped.push(m);
        }
    } else {
        // Most of the set goes: pick the few members that stay, build a new set of them, and
        // reply with the others in the old set's order.
        let (others, kept) = {
            let all: Vec<Cow<[u8]>> = set.iter().collect();
            let keep = sample_indices(
                all.len(),
                usize::try_from(remaining).unwrap_or(usize::MAX),
                &mut || ctx.random(),
            );
            let mut kept_mask = vec![false; all.len()];
            for &i in &keep {
                if let Some(k) = kept_mask.get_mut(i) {
                    *k = true;
                }
            }
            let others: Vec<Vec<u8>> = all
                .iter()
                .zip(&kept_mask)
                .filter(|(_, kept)| !**kept)
                .map(|(m, _)| m.to_vec())
                .collect();
            let kept = Set::build(keep.iter().filter_map(|&i| all.get(i)), max);
            (others, kept)
        };
        popped = others;
        set = kept;
    }
    put_back(ctx, key, set, expire_at);
    Reply::Array(popped.into_iter().map(Reply::Bulk).collect())
}

/// SRANDMEMBER key [count]
fn srandmember(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match args {
        [_, key] => match read_set(ctx, key) {
            Err(e) => e,
            Ok(None) => Reply::Nil,
            Ok(Some(set)) => Reply::opt_bulk(set.random_member(&mut || ctx.random())),
        },
        [_, key, count] => srandmember_count(ctx, key, count),
        [_, _, _, ..] => Reply::err(errors::SYNTAX),
        _ => wrong_arity("srandmember"),
    }
}

fn srandmember_count(ctx: &mut Ctx, key: &[u8], count: &[u8]) -> Reply {
    let (count, distinct) = match parse_i64(count) {
        None => return Reply::err(errors::NOT_INTEGER),
        Some(i64::MIN) => {
            return Reply::err(format!(
                "ERR value is out of range, value must between {} and {}",
                -i64::MAX,
                i64::MAX
            ))
        }
        Some(n) if n < 0 => (n.unsigned_abs(), false),
        Some(n) => (n as u64, true),
    };
    let set = match read_set(ctx, key) {
        Err(e) => return e,
        Ok(None) => return empty_array(),
        Ok(Some(set)) => set,
    };
    if count == 0 {
        return empty_array();
    }
    let size = set.len() as u64;

    // Repeats allowed (or a single member): independent draws, in the order drawn.
    if !distinct || count == 1 {
        if count > MAX_RANDOM_REPLY {
            return Reply::err(format!(
                "ERR count is too large, a random sample is limited to {MAX_RANDOM_REPLY} members"
            ));
        }
        let mut out = Vec::new();
        for _ in 0..count {
            match set.random_member(&mut || ctx.random()) {
                Some(m) => out.push(Reply::Bulk(m.into_owned())),
                None => break,
            }
        }
        return Reply::Array(out);
    }

    // The count covers the set: all of it, in the set's order.
    if count >= size {
        return members_reply(set.iter());
    }

    // Most of the set: a uniform choice of `count` distinct members.
    if count.saturating_mul(3) > size {
        let all: Vec<Cow<[u8]>> = set.iter().collect();
        let picked =
            sample_indices(all.len(), usize::try_from(count).unwrap_or(usize::MAX), &mut || {
                ctx.random()
            });
        return Reply::Array(
            picked
                .into_iter()
                .filter_map(|i| all.get(i))
                .map(|m| Reply::Bulk(m.to_vec()))
                .collect(),
        );
    }

    // A small part of a big set: draw until `count` distinct members (count < size / 3).
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut out = Vec::new();
    while (out.len() as u64) < count {
        let Some(m) = set.random_member(&mut || ctx.random()).map(Cow::into_owned) else {
            break;
        };
        if seen.insert(m.clone()) {
            out.push(Reply::Bulk(m));
        }
    }
    Reply::Array(out)
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
fn sscan(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, key, cursor, options @ ..] = args else { return wrong_arity("sscan") };
    let Some(cursor) = crate::num::parse_scan_cursor(cursor) else {
        return Reply::err("ERR invalid cursor");
    };
    let set = match read_set(ctx, key) {
        Err(e) => return e,
        Ok(None) => return Reply::Array(vec![Reply::bulk("0"), empty_array()]),
        Ok(Some(set)) => set,
    };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut rest = options;
    while let [opt, tail @ ..] = rest {
        match tail {
            [value, tail @ ..] if opt.eq_ignore_ascii_case(b"count") => {
                count = match parse_i64(value) {
                    None => return Reply::err(errors::NOT_INTEGER),
                    Some(n) if n < 1 => return Reply::err(errors::SYNTAX),
                    Some(n) => n,
                };
                rest = tail;
            }
            [value, tail @ ..] if opt.eq_ignore_ascii_case(b"match") => {
                pattern = if value.as_slice() == b"*" { None } else { Some(value) };
                rest = tail;
            }
            _ => return Reply::err(errors::SYNTAX),
        }
    }
    let (next, members) = set.scan(cursor, usize::try_from(count).unwrap_or(usize::MAX));
    let members =
        members.into_iter().filter(|m| pattern.is_none_or(|p| crate::glob::matches(p, m, false)));
    Reply::Array(vec![Reply::bulk(next.to_string()), members_reply(members)])
}

// ---------------------------------------------------------------------------------------------
// Multi-key commands
// ---------------------------------------------------------------------------------------------

/// Reads every key as a set (`None` for a missing key); the first wrong type is an error.
fn read_sets(ctx: &mut Ctx, keys: &[Vec<u8>]) -> Result<Vec<Option<Set>>, Reply> {
    let mut sets = Vec::with_capacity(keys.len());
    for k in keys {
        sets.push(read_set(ctx, k)?);
    }
    Ok(sets)
}

/// Stores a computed set (or deletes `dst` when it is empty) and replies with its size.
fn store(ctx: &mut Ctx, dst: &[u8], set: Set, event: &'static str) -> Reply {
    let len = set.len() as i64;
    if len > 0 {
        ctx.set(dst, Value::Set(set), false);
        ctx.notify(notify::SET, event, dst);
    } else if ctx.delete(dst) {
        ctx.notify(notify::GENERIC, "del", dst);
    }
    Reply::Int(len)
}

/// What an intersection produces.
enum InterOut<'a> {
    Members,
    Cardinality { limit: u64 },
    Store(&'a [u8]),
}

fn sinter_generic(ctx: &mut Ctx, keys: &[Vec<u8>], out: InterOut) -> Reply {
    let sets = match read_sets(ctx, keys) {
        Ok(s) => s,
        Err(e) => return e,
    };
    // A missing key is an empty set, and so is the intersection.
    let Some(mut sets) = sets.into_iter().collect::<Option<Vec<Set>>>() else {
        return match out {
            InterOut::Members => empty_array(),
            InterOut::Cardinality { .. } => Reply::Int(0),
            InterOut::Store(dst) => store(ctx, dst, Set::new(), "sinterstore"),
        };
    };
    // Walk the smallest set (stable: among equal sizes the first key named).
    sets.sort_by_key(Set::len);
    let Some((smallest, others)) = sets.split_first() else { return empty_array() };
    let common = Common::new(smallest, others);
    match out {
        InterOut::Members => members_reply(common),
        InterOut::Cardinality { limit } => {
            let mut n: u64 = 0;
            for _ in common {
                n += 1;
                if limit != 0 && n >= limit {
                    break;
                }
            }
            Reply::Int(n as i64)
        }
        InterOut::Store(dst) => {
            let max = max_intset_entries(ctx.config());
            let mut result = Set::new();
            for m in common {
                result.insert(&m, max);
            }
            store(ctx, dst, result, "sinterstore")
        }
    }
}

/// SINTER key [key ...]
fn sinter(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    sinter_generic(ctx, args.get(1..).unwrap_or(&[]), InterOut::Members)
}

/// SINTERSTORE destination key [key ...]
fn sinterstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, dst, keys @ ..] = args else { return wrong_arity("sinterstore") };
    sinter_generic(ctx, keys, InterOut::Store(dst))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
fn sintercard(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, numkeys, rest @ ..] = args else { return wrong_arity("sintercard") };
    let numkeys = match parse_i64(numkeys) {
        Some(n) if n >= 1 => n as u64,
        _ => return Reply::err("ERR numkeys should be greater than 0"),
    };
    let Some(numkeys) = usize::try_from(numkeys).ok().filter(|n| *n <= rest.len()) else {
        return Reply::err("ERR Number of keys can't be greater than number of args");
    };
    let (keys, mut options) = rest.split_at(numkeys);
    let mut limit: u64 = 0;
    while let [opt, tail @ ..] = options {
        match tail {
            [value, tail @ ..] if opt.eq_ignore_ascii_case(b"limit") => {
                limit = match parse_i64(value) {
                    Some(n) if n >= 0 => n as u64,
                    _ => return Reply::err("ERR LIMIT can't be negative"),
                };
                options = tail;
            }
            _ => return Reply::err(errors::SYNTAX),
        }
    }
    sinter_generic(ctx, keys, InterOut::Cardinality { limit })
}

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Diff,
}

/// Computes a union or difference into a temporary set built the way Redis builds it (it starts
/// as an intset), which decides both the reply order and the stored encoding.
fn union_diff(ctx: &mut Ctx, keys: &[Vec<u8>], op: SetOp) -> Result<Set, Reply> {
    let sets = read_sets(ctx, keys)?;
    let max = max_intset_entries(ctx.config());
    let mut result = Set::new();
    match op {
        SetOp::Union => {
            for set in sets.iter().flatten() {
                for m in set.iter() {
                    result.insert(&m, max);
                }
            }
        }
        SetOp::Diff => {
            let Some((Some(first), others)) = sets.split_first() else { return Ok(result) };
            let first_key = keys.first();
            // The first key named again: the difference is empty.
            if keys.iter().skip(1).any(|k| Some(k) == first_key) {
                return Ok(result);
            }
            // Redis picks between two algorithms by estimated work; they produce the same
            // members but not always the same representation.
            let present: Vec<&Set> = others.iter().flatten().collect();
            let first_len = first.len() as u64;
            let per_member_work = first_len.saturating_mul(present.len() as u64 + 1) / 2;
            let whole_work =
                present.iter().fold(first_len, |acc, s| acc.saturating_add(s.len() as u64));
            if per_member_work <= whole_work {
                // Keep each member of the first set that no other set has.
                for m in first.iter() {
                    if !present.iter().any(|s| s.contains(&m)) {
                        result.insert(&m, max);
                    }
                }
            } else {
                // Copy the first set, then remove every member of the others.
                for m in first.iter() {
                    result.insert(&m, max);
                }
                for s in present {
                    if result.is_empty() {
                        break;
                    }
                    for m in s.iter() {
                        result.remove(&m);
                    }
                }
            }
        }
    }
    Ok(result)
}

/// SUNION key [key ...]
fn sunion(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match union_diff(ctx, args.get(1..).unwrap_or(&[]), SetOp::Union) {
        Ok(set) => members_reply(set.iter()),
        Err(e) => e,
    }
}

/// SDIFF key [key ...]
fn sdiff(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match union_diff(ctx, args.get(1..).unwrap_or(&[]), SetOp::Diff) {
        Ok(set) => members_reply(set.iter()),
        Err(e) => e,
    }
}

/// SUNIONSTORE destination key [key ...]
fn sunionstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, dst, keys @ ..] = args else { return wrong_arity("sunionstore") };
    match union_diff(ctx, keys, SetOp::Union) {
        Ok(set) => store(ctx, dst, set, "sunionstore"),
        Err(e) => e,
    }
}

/// SDIFFSTORE destination key [key ...]
fn sdiffstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let [_, dst, keys @ ..] = args else { return wrong_arity("sdiffstore") };
    match union_diff(ctx, keys, SetOp::Diff) {
        Ok(set) => store(ctx, dst, set, "sdiffstore"),
        Err(e) => e,
    }
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("sadd", sadd),
    ("scard", scard),
    ("sdiff", sdiff),
    ("sdiffstore", sdiffstore),
    ("sinter", sinter),
    ("sintercard", sintercard),
    ("sinterstore", sinterstore),
    ("sismember", sismember),
    ("smembers", smembers),
    ("smismember", smismember),
    ("smove", smove),
    ("spop", spop),
    ("srandmember", srandmember),
    ("srem", srem),
    ("sscan", sscan),
    ("sunion", sunion),
    ("sunionstore", sunionstore),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with_limit(n: i64) -> Config {
        Config { set_max_intset_entries: n, ..Config::default() }
    }

    /// What an intersection must give: the smallest set's members, in its order, that every other
    /// set contains (the plain definition, probing every set).
    fn naive_common(smallest: &Set, others: &[Set]) -> Vec<Vec<u8>> {
        smallest.iter().filter(|m| others.iter().all(|o| o.contains(m))).map(Cow::into_owned).collect()
    }

    #[test]
    fn intersections_walked_in_step_agree_with_probing() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for round in 0..300 {
            let count = 2 + next(3) as usize;
            let mut sets = Vec::new();
            for _ in 0..count {
                // Sizes from empty to far bigger than the others (probed rather than walked);
                // integer members (intsets when under the limit) or text (hashtables), mixed.
                let size = match next(4) {
                    0 => next(5),
                    1 => next(60),
                    2 => next(400),
                    _ => 1500 + next(1500),
                };
                let text = round % 3 == 0 || next(2) == 0;
                let limit = if next(2) == 0 { 512 } else { 64 };
                let members: Vec<String> = (0..size)
                    .map(|_| {
                        let n = next(2000);
                        if text { format!("m:{n}") } else { n.to_string() }
                    })
                    .collect();
                sets.push(Set::build(members.iter(), limit));
            }
            sets.sort_by_key(Set::len);
            let (smallest, others) = sets.split_first().expect("two sets or more");
            let got: Vec<Vec<u8>> = Common::new(smallest, others).map(Cow::into_owned).collect();
            assert_eq!(got, naive_common(smallest, others), "round {round}");
        }
    }

    #[test]
    fn intset_stays_sorted_and_converts_past_the_limit() {
        let mut s = Set::new();
        for m in ["5", "-3", "10", "0"] {
            assert!(s.insert(m.as_bytes(), 4));
        }
        assert!(!s.insert(b"5", 4));
        assert!(s.is_intset());
        let got: Vec<Vec<u8>> = s.iter().map(Cow::into_owned).collect();
        assert_eq!(got, vec![b"-3".to_vec(), b"0".to_vec(), b"5".to_vec(), b"10".to_vec()]);
        assert!(s.insert(b"11", 4));
        assert!(!s.is_intset());
        assert!(s.contains(b"-3") && s.contains(b"11") && !s.contains(b"12"));
        // Removing members never goes back to an intset.
        s.remove(b"11");
        assert!(!s.is_intset());
    }

    #[test]
    fn non_canonical_integers_are_strings() {
        let mut s = Set::new();
        assert!(s.insert(b"1", 512));
        assert!(s.insert(b"01", 512));
        assert!(!s.is_intset());
        assert!(s.contains(b"1") && s.contains(b"01") && !s.contains(b"+1"));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn limit_zero_means_no_intset_and_huge_limits_are_capped() {
        let s = Set::from_members(["1"], &config_with_limit(0));
        assert!(!s.is_intset());
        assert_eq!(max_intset_entries(&config_with_limit(i64::MAX)), 1 << 30);
    }

    #[test]
    fn random_member_of_a_small_table_is_uniform() {
        let s = Set::from_members(["a", "b", "c"], &Config::default());
        let mut state = 7u64;
        let mut rng = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut counts = std::collections::HashMap::new();
        for _ in 0..30_000 {
            let m = s.random_member(&mut rng).map(Cow::into_owned);
            *counts.entry(m).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 3);
        for c in counts.values() {
            assert!((9_000..11_000).contains(c), "{counts:?}");
        }
    }

    #[test]
    fn scan_cursor_parsing_follows_strtoul() {
        assert_eq!(crate::num::parse_scan_cursor(b"0"), Some(0));
        assert_eq!(crate::num::parse_scan_cursor(b""), Some(0));
        assert_eq!(crate::num::parse_scan_cursor(b"+5"), Some(5));
        assert_eq!(crate::num::parse_scan_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(crate::num::parse_scan_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(crate::num::parse_scan_cursor(b"18446744073709551616"), None);
        assert_eq!(crate::num::parse_scan_cursor(b" 5"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"5 "), None);
        assert_eq!(crate::num::parse_scan_cursor(b"+"), None);
        assert_eq!(crate::num::parse_scan_cursor(b"0x1"), None);
    }

    #[test]
    fn intset_leaves_agree_with_a_model() {
        let mut seq = IntSeq::default();
        let mut model = std::collections::BTreeSet::new();
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..40_000 {
            let n = (next() % 3000) as i64 - 1500;
            // Grow first, then shrink, so that splits and merges both happen a lot.
            let grow = if round < 20_000 { 3 } else { 1 };
            if next() % 4 < grow {
                assert_eq!(seq.insert(n), model.insert(n));
            } else {
                assert_eq!(seq.remove(n), model.remove(&n));
            }
            assert_eq!(seq.len, model.len());
            if round % 997 == 0 {
                assert!(seq.iter().copied().eq(model.iter().copied()));
                assert!(seq.leaves.iter().all(|l| !l.is_empty() && l.len() <= LEAF_CAP));
                if seq.leaves.len() > 1 {
                    assert!(seq.leaves.iter().all(|l| l.len() >= LEAF_CAP / 4));
                }
            }
            assert_eq!(seq.contains(n), model.contains(&n));
        }
    }

    #[test]
    fn random_member_of_a_big_intset_is_uniform() {
        let s = Set::from_members((0..1000).map(|i| (i * 3).to_string()), &config_with_limit(5000));
        assert!(s.is_intset());
        let mut state = 99u64;
        let mut rng = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut counts = vec![0u32; 1000];
        for _ in 0..200_000 {
            let m = s.random_member(&mut rng).map(Cow::into_owned).unwrap_or_default();
            let n: usize = String::from_utf8(m).unwrap().parse().unwrap();
            counts[n / 3] += 1;
        }
        // 200 expected per member; a uniform draw stays well inside these bounds.
        assert!(counts.iter().all(|c| (120..290).contains(c)), "{:?}", counts.iter().min());
    }

    #[test]
    fn clone_is_independent() {
        let a = Set::from_members(["x", "y"], &Config::default());
        let mut b = a.clone();
        b.remove(b"x");
        assert!(a.contains(b"x"));
        assert!(!b.contains(b"x"));
    }
}
