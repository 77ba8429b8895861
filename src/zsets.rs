//! Sorted sets: the `Z*` commands (Redis's `t_zset.c`).
//!
//! ## The value
//! Redis keeps a sorted set twice: a skiplist ordered by `(score, member)` for ranges and ranks,
//! and a hash table `member -> score` for O(1) lookups. [`ZSet`] does the same with persistent
//! parts, so that cloning a set (a snapshot, COPY) costs O(1) and a write after a clone copies only
//! the few nodes it touches:
//!
//! - an order-statistic B-tree ([`crate::ostree::OsTree`]) of [`Entry`] `(score, member)`: every
//!   inner node knows how many entries lie below each child, so "rank of this entry", "entry at
//!   rank k" and "how many entries score below x" are all O(log n), and a range of m entries is
//!   walked in O(log n + m). Nodes keep their entries' scores (and the first 8 bytes of each
//!   member, for ties) in arrays of their own, so a search reads a few cache lines per node and
//!   no member bytes unless scores and those bytes both tie;
//! - a member index (`members`, a persistent trie on a 64-bit hash of the member, read from its
//!   top bits, with small hash tables at its bottom): `member -> score` in a few slot reads, with
//!   members of up to 22 bytes stored in the slot itself, so a lookup usually reads nothing else.
//!   Its order is the hashes' order, which gives ZSCAN a cursor that survives concurrent writes
//!   (the cursor is simply "the next hash to visit", like the keyspace's SCAN).
//!
//! ZRANK, ZINCRBY and ZREM look the member up in the index first, then find its entry in the tree
//! by score (knowing it is there, the tree need not read the entry to confirm it).
//!
//! At a million members most of each structure lives outside the caches, so an operation's cost
//! is the number of memory fetches it waits for one after another: ZSCORE about one (the index's
//! table cell), ZRANK about three (plus two tree nodes), ZINCRBY about five (the index, then the
//! entry's removal and reinsertion in the tree, which revisit the same nodes).
//!
//! Equal scores are ordered by member bytes (`memcmp`, shorter first on a common prefix), exactly
//! like Redis. Scores are never NaN: every command that could produce one refuses or maps it the
//! way Redis does.
//!
//! ## Encodings
//! Redis stores small sets in a compact *listpack* and converts them to a skiplist once they grow
//! past `zset-max-listpack-entries` (128) entries or a member longer than `zset-max-listpack-value`
//! (64) bytes arrives; it never converts back, except that the result of a `*STORE` command is
//! built fresh. [`ZSet`] remembers which encoding Redis would be using, which is what
//! OBJECT ENCODING reports and what decides a few visible behaviours: a listpack stores an integral
//! score as an integer (so `-0` becomes `0`), ZSCAN returns a listpack whole with cursor 0, and
//! the lex-range commands scan a listpack linearly (which matters when scores differ).
//!
//! ## Commands
//! Every handler follows Redis's order of checks (argument syntax first, then the key's type), so
//! errors come out exactly as a real server reports them. Costs match Redis's documentation:
//! ZADD, ZREM, ZRANK and ZSCORE are O(log n) per member; a range (ZRANGE, ZRANGEBYSCORE, ZCOUNT,
//! ZREMRANGEBY*, ZPOPMIN with a count) is O(log n + m) for m entries, and a LIMIT offset is a
//! jump by rank rather than a walk.
//!
//! ## For other layers
//! - [`generic_zpop`] and [`parse_mpop`]: the pop logic and argument parsing BZPOPMIN, BZPOPMAX
//!   and BZMPOP reuse once a key has elements.
//! - [`ZSet::iter`] walks `(member, score)` in order (inspectors, exports); [`ZSet::from_pairs`]
//!   builds a set from pairs (loaders); [`ZSet::add`] applies one ZADD pair with its flags.
//! - ZRANDMEMBER with a negative count returns at most [`MAX_RANDOM_REPLY`] members: Redis would
//!   build a reply of any size, the engine answers an error instead of exhausting its memory.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::commands::Handler;
use crate::config::Config;
use crate::engine::{wrongtype, Ctx};
use crate::notify;
use crate::num::{fmt_double, parse_f64, parse_i64};
use crate::ostree::{Keyed, OsTree};
use crate::reply::{errors, Reply};
use crate::sets::Set;
use crate::value::{bytes, Bytes, Value};

mod members;
use members::Members;

// =================================================================================================
// The value
// =================================================================================================

/// One element of a sorted set, ordered by score and then by member bytes.
#[derive(Clone, Debug)]
pub struct Entry {
    pub score: f64,
    pub member: Bytes,
}

impl Ord for Entry {
    /// Scores first (read from the tree node itself); member bytes, which live in their own
    /// allocation, only on a tie, and not even then when both entries share the allocation (a
    /// lookup through the member index hands the tree the very `Bytes` it holds).
    #[inline]
    fn cmp(&self, other: &Entry) -> Ordering {
        // Scores are never NaN, so `partial_cmp` always answers; -0 and 0 compare equal, as in C.
        match self.score.partial_cmp(&other.score) {
            Some(Ordering::Less) => Ordering::Less,
            Some(Ordering::Greater) => Ordering::Greater,
            _ if std::sync::Arc::ptr_eq(&self.member, &other.member) => Ordering::Equal,
            _ => self.member[..].cmp(&other.member[..]),
        }
    }
}

/// The tree keeps each node's scores in an array of their own and searches them first; where
/// scores tie, it compares the members' first 8 bytes ([`member_tag`]), kept in a second array,
/// before reading any member (a separate allocation, often a cache miss).
impl Keyed for Entry {
    type Key = f64;
    #[inline]
    fn key(&self) -> f64 {
        self.score
    }
    #[inline]
    fn tag(&self) -> u64 {
        member_tag(&self.member)
    }
}

/// A member's first 8 bytes, zero-padded, as a big-endian number: members with different tags
/// are ordered like their tags (a shorter member pads with zeros, which is why it sorts first
/// among members it is a prefix of), members with equal tags need a full comparison.
pub fn member_tag(member: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    for (d, s) in head.iter_mut().zip(member) {
        *d = *s;
    }
    u64::from_be_bytes(head)
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The order of an entry relative to the one of `score` and `member`, for searching the tree
/// without building an [`Entry`] (the same order as [`Entry`]'s `Ord`).
fn entry_order(score: f64, member: &[u8]) -> impl Fn(&Entry) -> Ordering + '_ {
    move |e| match e.score.partial_cmp(&score) {
        Some(Ordering::Less) => Ordering::Less,
        Some(Ordering::Greater) => Ordering::Greater,
        _ => e.member[..].cmp(member),
    }
}

/// A sorted set value. Cloning is O(1).
#[derive(Clone, Debug)]
pub struct ZSet {
    tree: OsTree<Entry>,
    members: Members,
    /// True while Redis would still hold this set as a listpack.
    listpack: bool,
}

impl Default for ZSet {
    fn default() -> ZSet {
        ZSet::new()
    }
}

/// A non-negative config limit as a length (negative values mean 0).
fn cfg_limit(v: i64) -> usize {
    if v <= 0 {
        0
    } else {
        usize::try_from(v).unwrap_or(usize::MAX)
    }
}

impl ZSet {
    /// An empty set in the listpack encoding.
    pub fn new() -> ZSet {
        ZSet {
            tree: OsTree::new(),
            members: Members::default(),
            listpack: true,
        }
    }

    /// An empty set in the skiplist encoding.
    pub fn new_skiplist() -> ZSet {
        ZSet {
            listpack: false,
            ..ZSet::new()
        }
    }

    /// The empty set ZADD creates for a new key whose first member is `first_member_len` long.
    pub fn for_first_member(first_member_len: usize, config: &Config) -> ZSet {
        if config.zset_max_listpack_entries == 0
            || cfg_limit(config.zset_max_listpack_value) < first_member_len
        {
            ZSet::new_skiplist()
        } else {
            ZSet::new()
        }
    }

    /// Builds a set from `(member, score)` pairs (a later duplicate member wins), encoded the way
    /// Redis encodes a freshly stored result: a listpack when it is within both listpack limits.
    /// A NaN score (which no command produces) is taken as 0.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Bytes, f64)>, config: &Config) -> ZSet {
        let mut members = Members::default();
        let mut entries = Vec::new();
        for (m, s) in pairs {
            let s = if s.is_nan() { 0.0 } else { s };
            if members.insert(&m, s).is_none() {
                entries.push(Entry {
                    score: s,
                    member: m,
                });
            }
        }
        // Only duplicates (rare) need the scores fixed up from the index.
        for e in entries.iter_mut() {
            if let Some(s) = members.get(&e.member) {
                e.score = s;
            }
        }
        entries.sort();
        let mut z = ZSet {
            tree: OsTree::from_sorted(entries),
            members,
            listpack: false,
        };
        z.convert_if_small(config);
        z
    }

    /// Switches to the listpack encoding when within both limits (like Redis's
    /// `zsetConvertToListpackIfNeeded`, applied to stored results).
    fn convert_if_small(&mut self, config: &Config) {
        let max_len = self.tree.iter().map(|e| e.member.len()).max().unwrap_or(0);
        if !self.listpack
            && self.len() <= cfg_limit(config.zset_max_listpack_entries)
            && max_len <= cfg_limit(config.zset_max_listpack_value)
        {
            self.listpack = true;
            // A listpack keeps integral scores as integers: -0 comes back as 0.
            let negative_zeros: Vec<Bytes> = self
                .tree
                .iter()
                .filter(|e| e.score == 0.0 && e.score.is_sign_negative())
                .map(|e| e.member.clone())
                .collect();
            for m in negative_zeros {
                self.set_score(&m, 0.0);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// `listpack` or `skiplist`, as OBJECT ENCODING reports it.
    pub fn encoding(&self, _config: &Config) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "skiplist"
        }
    }

    /// True while the set would be a listpack in Redis.
    pub fn is_listpack(&self) -> bool {
        self.listpack
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.members.get(member)
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.members.get(member).is_some()
    }

    /// The 0-based rank of `member` in increasing order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let s = self.members.get(member)?;
        // The index and the tree hold the same members, so the entry is in the tree: the tree
        // finds its rank from the nodes' scores alone unless some tie.
        Some(
            self.tree
                .rank_present_by(s, member_tag(member), entry_order(s, member)),
        )
    }

    /// The entry at rank `k` (increasing order).
    pub fn get_by_rank(&self, k: usize) -> Option<(&Bytes, f64)> {
        self.tree.get(k).map(|e| (&e.member, e.score))
    }

    /// Every `(member, score)` in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = (&Bytes, f64)> + '_ {
        self.tree.iter().map(|e| (&e.member, e.score))
    }

    /// Entries from rank `k`, increasing (or with `rev` decreasing, from rank `k` down to 0).
    pub fn iter_from(&self, k: usize, rev: bool) -> impl Iterator<Item = (&Bytes, f64)> + '_ {
        self.tree.iter_from(k, rev).map(|e| (&e.member, e.score))
    }

    /// A listpack cannot hold -0 (it stores integral scores as integers).
    fn canonical(&self, score: f64) -> f64 {
        if self.listpack && score == 0.0 {
            0.0
        } else {
            score
        }
    }

    /// Replaces the score of an existing member even when it compares equal (turning -0 into 0).
    fn set_score(&mut self, member: &[u8], score: f64) {
        if let Some(old) = self.members.get(member) {
            self.move_entry(member, old, score);
        }
    }

    /// Moves an existing member from `old` to `score`; nothing to do when they are equal (0 and
    /// -0 are equal), like Redis.
    fn update(&mut self, member: &[u8], old: f64, score: f64) {
        let score = self.canonical(score);
        if score != old {
            self.move_entry(member, old, score);
        }
    }

    /// Takes the entry of `member` (at `old`) out of the tree and puts it back at `score`,
    /// keeping its bytes. (Both structures are searched with the bytes given: the entry's own
    /// bytes, in a separate allocation, are not read.)
    fn move_entry(&mut self, member: &[u8], old: f64, score: f64) {
        // The index has the member at `old`, so the tree has that entry.
        let moved = self.tree.update_known_by(
            old,
            member_tag(member),
            entry_order(old, member),
            |e| e.score = score,
        );
        if moved {
            self.members.set(member, score);
        }
    }

    /// Sets `member` to `score`, adding it if needed (converting to the skiplist encoding first if
    /// the new member would break a listpack limit). Returns the previous score. A NaN score (which
    /// no command produces) is taken as 0.
    pub fn insert(&mut self, member: &[u8], score: f64, config: &Config) -> Option<f64> {
        let score = if score.is_nan() { 0.0 } else { score };
        match self.members.get(member) {
            Some(old) => {
                self.update(member, old, score);
                Some(old)
            }
            None => {
                self.insert_new(member, score, config);
                None
            }
        }
    }

    /// Adds a member known to be absent, converting to the skiplist encoding first if it would
    /// break a listpack limit (like Redis's `zsetAdd`).
    fn insert_new(&mut self, member: &[u8], score: f64, config: &Config) {
        if self.listpack
            && (self.len().saturating_add(1) > cfg_limit(config.zset_max_listpack_entries)
                || member.len() > cfg_limit(config.zset_max_listpack_value))
        {
            self.listpack = false;
        }
        let score = self.canonical(score);
        let m = bytes(member);
        self.members.insert(&m, score);
        self.tree.insert(Entry { score, member: m });
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let s = self.members.remove(member)?;
        self.tree
            .remove_known_by(s, member_tag(member), entry_order(s, member));
        Some(s)
    }

    /// Removes the entries of ranks `start..end` (clamped); returns how many went.
    pub fn remove_rank_range(&mut self, start: usize, end: usize) -> usize {
        let cut = self.tree.remove_range(start, end);
        for e in cut.iter() {
            self.members.remove(&e.member);
        }
        cut.len()
    }

    /// Removes and returns up to `count` entries from the low end (or the high end with `max`),
    /// in the order they are popped.
    pub fn pop(&mut self, max: bool, count: usize) -> Vec<(Bytes, f64)> {
        let n = count.min(self.len());
        let cut = if max {
            let len = self.len();
            self.tree.remove_range(len - n, len)
        } else {
            self.tree.remove_range(0, n)
        };
        let out: Vec<(Bytes, f64)> = if max {
            cut.iter_from(n.saturating_sub(1), true)
                .map(|e| (e.member.clone(), e.score))
                .collect()
        } else {
            cut.iter().map(|e| (e.member.clone(), e.score)).collect()
        };
        for (m, _) in &out {
            self.members.remove(m);
        }
        out
    }

    /// The ranks `lo..hi` of the entries within a score range.
    pub fn score_range_ranks(&self, r: &ScoreRange) -> (usize, usize) {
        let lo = self.tree.partition_point_key(|s| !r.gte_min(s));
        let hi = self.tree.partition_point_key(|s| r.lte_max(s));
        (lo, hi.max(lo))
    }

    /// False when no member can be in the lex range: the range is empty, or lies wholly before
    /// the first member or after the last.
    fn lex_in_reach(&self, r: &LexRange) -> bool {
        match (self.tree.first(), self.tree.last()) {
            (Some(first), Some(last)) => {
                !r.is_empty() && r.gte_min(&last.member) && r.lte_max(&first.member)
            }
            _ => false,
        }
    }

    /// Where a forward walk over a lex range starts (Redis's "first in lex range"), or `None` when
    /// nothing is in range. A listpack is searched linearly like Redis does, so the answer is the
    /// same as Redis's even when the scores are not all equal.
    fn lex_first(&self, r: &LexRange) -> Option<usize> {
        if !self.lex_in_reach(r) {
            return None;
        }
        let k = if self.listpack {
            self.tree.iter().position(|e| r.gte_min(&e.member))?
        } else {
            self.tree.partition_point(|e| !r.gte_min(&e.member))
        };
        let e = self.tree.get(k)?;
        r.lte_max(&e.member).then_some(k)
    }

    /// Where a backward walk over a lex range starts (Redis's "last in lex range").
    fn lex_last(&self, r: &LexRange) -> Option<usize> {
        if !self.lex_in_reach(r) {
            return None;
        }
        let k = if self.listpack {
            let from_end = self
                .tree
                .iter_from(self.len() - 1, true)
                .position(|e| r.lte_max(&e.member))?;
            self.len() - 1 - from_end
        } else {
            self.tree
                .partition_point(|e| r.lte_max(&e.member))
                .checked_sub(1)?
        };
        let e = self.tree.get(k)?;
        r.gte_min(&e.member).then_some(k)
    }

    /// The ranks `start..end` a forward lex walk covers: from the first entry in range while
    /// entries stay `<= max`. With `walk` (or in a listpack) the run is walked entry by entry like
    /// Redis's deletion loop; otherwise its end is found by a search, which is the same answer
    /// whenever the entries in question share a score (the case lex ranges are meant for).
    fn lex_run(&self, r: &LexRange, walk: bool) -> (usize, usize) {
        let Some(start) = self.lex_first(r) else {
            return (0, 0);
        };
        let end = if self.listpack || walk {
            start
                + self
                    .tree
                    .iter_from(start, false)
                    .take_while(|e| r.lte_max(&e.member))
                    .count()
        } else {
            self.tree
                .partition_point(|e| r.lte_max(&e.member))
                .max(start)
        };
        (start, end)
    }

    /// One ZSCAN step over a set in the skiplist encoding.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(Bytes, f64)>) {
        // Cursors are the top 53 bits of the member hash (exact as JavaScript numbers).
        let (next, items) = self.members.scan(crate::keyspace::hash_of_cursor(cursor), count);
        (crate::keyspace::cursor_of(next), items)
    }

    /// Checks the structure (tree invariants and the agreement of tree and index) and returns the
    /// tree's height. For tests.
    pub fn check(&self) -> Result<usize, String> {
        let h = self.tree.check()?;
        let mut n = 0;
        for e in self.tree.iter() {
            n += 1;
            match self.members.get(&e.member) {
                Some(s) if s == e.score || (s.is_nan() && e.score.is_nan()) => {}
                other => return Err(format!("index disagrees for {:?}: {other:?}", e.member)),
            }
        }
        self.members.check()?;
        let indexed = self.members.len();
        if indexed != n {
            return Err(format!("index holds {indexed} members, tree {n}"));
        }
        Ok(h)
    }
}

// =================================================================================================
// Ranges
// =================================================================================================

/// A score interval, each end open or closed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

impl ScoreRange {
    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }
}

/// C's `strtod` on a prefix of `s`: the value and how many bytes it used (0 when no number could
/// be read). Accepts leading whitespace, a sign, decimal and hexadecimal (`0x1.8p3`) forms,
/// `inf`, `infinity` and `nan`, case-insensitively; overflow gives an infinity.
pub fn strtod_prefix(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && crate::num::is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if let Some(&c) = s.get(i) {
        if c == b'+' || c == b'-' {
            negative = c == b'-';
            i += 1;
        }
    }
    let sign = |v: f64| if negative { -v } else { v };
    let rest = &s[i..];
    let starts_ci = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if starts_ci(b"infinity") {
        return (sign(f64::INFINITY), i + 8);
    }
    if starts_ci(b"inf") {
        return (sign(f64::INFINITY), i + 3);
    }
    if starts_ci(b"nan") {
        let mut used = i + 3;
        if s.get(used) == Some(&b'(') {
            let mut j = used + 1;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                j += 1;
            }
            if s.get(j) == Some(&b')') {
                used = j + 1;
            }
        }
        return (f64::NAN, used);
    }
    if starts_ci(b"0x") {
        if let Some((v, used)) = parse_hex_float(&rest[2..]) {
            return (sign(v), i + 2 + used);
        }
    }
    // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
    let mut j = i;
    let int_start = j;
    while j < s.len() && s[j].is_ascii_digit() {
        j += 1;
    }
    let int_digits = &s[int_start..j];
    let mut frac_digits: &[u8] = &[];
    if s.get(j) == Some(&b'.') {
        let fs = j + 1;
        let mut k = fs;
        while k < s.len() && s[k].is_ascii_digit() {
            k += 1;
        }
        frac_digits = &s[fs..k];
        if !int_digits.is_empty() || !frac_digits.is_empty() {
            j = k;
        }
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return (0.0, 0);
    }
    let mut exp: &[u8] = b"0";
    if matches!(s.get(j), Some(b'e') | Some(b'E')) {
        let mut k = j + 1;
        let es = k;
        if matches!(s.get(k), Some(b'+') | Some(b'-')) {
            k += 1;
        }
        let ds = k;
        while k < s.len() && s[k].is_ascii_digit() {
            k += 1;
        }
        if k > ds {
            exp = &s[es..k];
            j = k;
        }
    }
    let mut text = String::with_capacity(int_digits.len() + frac_digits.len() + exp.len() + 4);
    text.push_str(if int_digits.is_empty() {
        "0"
    } else {
        std::str::from_utf8(int_digits).unwrap_or("0")
    });
    text.push('.');
    text.push_str(if frac_digits.is_empty() {
        "0"
    } else {
        std::str::from_utf8(frac_digits).unwrap_or("0")
    });
    text.push('e');
    text.push_str(std::str::from_utf8(exp).unwrap_or("0"));
    let v: f64 = text.parse().unwrap_or(0.0);
    (sign(v), j)
}

/// The part of a hexadecimal float after `0x`: hex digits with an optional point, then an
/// optional binary exponent. `None` when no hex digit follows (then `strtod` reads just the `0`).
fn parse_hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut mant: u64 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    let mut digits = 0usize;
    let mut j = 0;
    let mut seen_point = false;
    while j < s.len() {
        let c = s[j];
        if c == b'.' && !seen_point {
            seen_point = true;
            j += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        digits += 1;
        if mant >> 60 == 0 {
            mant = (mant << 4) | d as u64;
            if seen_point {
                exp2 -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp2 += 4;
            }
        }
        j += 1;
    }
    if digits == 0 {
        return None;
    }
    if matches!(s.get(j), Some(b'p') | Some(b'P')) {
        let mut k = j + 1;
        let mut eneg = false;
        if matches!(s.get(k), Some(b'+') | Some(b'-')) {
            eneg = s[k] == b'-';
            k += 1;
        }
        let ds = k;
        let mut e: i64 = 0;
        while k < s.len() && s[k].is_ascii_digit() {
            e = e.saturating_mul(10).saturating_add((s[k] - b'0') as i64);
            k += 1;
        }
        if k > ds {
            exp2 = exp2.saturating_add(if eneg { -e } else { e });
            j = k;
        }
    }
    if mant == 0 {
        return Some((0.0, j));
    }
    // Round the mantissa to 53 bits (half to even, with the sticky bit), then scale.
    let lz = mant.leading_zeros() as i64;
    let width = 64 - lz;
    let mut m = mant;
    if width > 53 {
        let shift = (width - 53) as u32;
        let rem = m & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        m >>= shift;
        exp2 = exp2.saturating_add(shift as i64);
        let above = rem > half || (rem == half && (sticky || m & 1 == 1));
        if above {
            m += 1;
        }
    }
    Some((ldexp(m as f64, exp2), j))
}

/// `x * 2^e` for an exactly representable `x`.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(e as i32)
}

/// C `strtod` over a whole argument (as a C string): the value when all of it is one number. An
/// empty string reads as 0, as in Redis.
fn strtod_whole(arg: &[u8]) -> Option<f64> {
    let s = crate::num::c_str(arg);
    let (v, used) = strtod_prefix(s);
    (used == s.len()).then_some(v)
}

/// Parses `min max` like ZRANGEBYSCORE (`(` for an open end, `-inf`/`+inf`).
pub fn parse_score_range(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
    fn end(arg: &[u8]) -> Option<(f64, bool)> {
        let (text, ex) = match arg.first() {
            Some(b'(') => (&arg[1..], true),
            _ => (arg, false),
        };
        let v = strtod_whole(text)?;
        (!v.is_nan()).then_some((v, ex))
    }
    let (min, minex) = end(min)?;
    let (max, maxex) = end(max)?;
    Some(ScoreRange {
        min,
        max,
        minex,
        maxex,
    })
}

/// One end of a lex range: `-`, `+` or a string.
#[derive(Clone, Debug, PartialEq)]
pub enum LexBound {
    Min,
    Max,
    Str(Vec<u8>),
}

/// A lex interval (`[a`, `(a`, `-`, `+`).
#[derive(Clone, Debug, PartialEq)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
    pub minex: bool,
    pub maxex: bool,
}

/// Compares a member with a bound (Redis's `sdscmplex`).
fn cmp_lex(value: &[u8], bound: &LexBound) -> Ordering {
    match bound {
        LexBound::Min => Ordering::Greater,
        LexBound::Max => Ordering::Less,
        LexBound::Str(b) => value.cmp(&b[..]),
    }
}

impl LexRange {
    pub fn gte_min(&self, v: &[u8]) -> bool {
        let c = cmp_lex(v, &self.min);
        if self.minex {
            c == Ordering::Greater
        } else {
            c != Ordering::Less
        }
    }

    pub fn lte_max(&self, v: &[u8]) -> bool {
        let c = cmp_lex(v, &self.max);
        if self.maxex {
            c == Ordering::Less
        } else {
            c != Ordering::Greater
        }
    }

    /// True for ranges that can hold nothing (min after max, or equal with an open end).
    fn is_empty(&self) -> bool {
        use LexBound::*;
        let c = match (&self.min, &self.max) {
            (Min, Min) | (Max, Max) => Ordering::Equal,
            (Min, _) | (_, Max) => Ordering::Less,
            (Max, _) | (_, Min) => Ordering::Greater,
            (Str(a), Str(b)) => a.cmp(b),
        };
        c == Ordering::Greater || (c == Ordering::Equal && (self.minex || self.maxex))
    }
}

/// Parses `min max` like ZRANGEBYLEX.
pub fn parse_lex_range(min: &[u8], max: &[u8]) -> Option<LexRange> {
    fn item(arg: &[u8]) -> Option<(LexBound, bool)> {
        match arg.first()? {
            b'+' if crate::num::c_str(arg).len() == 1 => Some((LexBound::Max, true)),
            b'-' if crate::num::c_str(arg).len() == 1 => Some((LexBound::Min, true)),
            b'(' => Some((LexBound::Str(arg[1..].to_vec()), true)),
            b'[' => Some((LexBound::Str(arg[1..].to_vec()), false)),
            _ => None,
        }
    }
    let (min, minex) = item(min)?;
    let (max, maxex) = item(max)?;
    Some(LexRange {
        min,
        max,
        minex,
        maxex,
    })
}

// =================================================================================================
// ZADD semantics
// =================================================================================================

/// ZADD's options.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AddFlags {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
    pub incr: bool,
}

/// What one `score member` pair of ZADD did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AddOutcome {
    /// A new member, with this score.
    Added(f64),
    /// An existing member moved to this score.
    Updated(f64),
    /// An existing member already had this score.
    Unchanged(f64),
    /// Nothing done (NX on an existing member, XX on a missing one, GT/LT not satisfied).
    Skipped,
    /// INCR produced NaN (`inf + -inf`): nothing done.
    NotANumber,
}

impl ZSet {
    /// Applies one `score member` pair the way ZADD (and ZINCRBY) does.
    pub fn add(
        &mut self,
        member: &[u8],
        score: f64,
        flags: AddFlags,
        config: &Config,
    ) -> AddOutcome {
        if score.is_nan() {
            return AddOutcome::NotANumber;
        }
        match self.members.get(member) {
            Some(current) => {
                if flags.nx {
                    return AddOutcome::Skipped;
                }
                let mut score = score;
                if flags.incr {
                    score += current;
                    if score.is_nan() {
                        return AddOutcome::NotANumber;
                    }
                }
                if (flags.lt && score >= current) || (flags.gt && score <= current) {
                    return AddOutcome::Skipped;
                }
                if score != current {
                    self.update(member, current, score);
                    AddOutcome::Updated(score)
                } else {
                    AddOutcome::Unchanged(score)
                }
            }
            None if flags.xx => AddOutcome::Skipped,
            None => {
                self.insert_new(member, score, config);
                AddOutcome::Added(score)
            }
        }
    }
}

// =================================================================================================
// Argument helpers
// =================================================================================================

/// Case-insensitive option match, comparing like C's `strcasecmp` (an argument ends at a NUL).
fn is_opt(arg: &[u8], name: &str) -> bool {
    crate::num::c_str(arg).eq_ignore_ascii_case(name.as_bytes())
}

fn syntax() -> Reply {
    Reply::err(errors::SYNTAX)
}

/// Redis's `getLongFromObjectOrReply`.
fn long_arg(arg: &[u8]) -> Result<i64, Reply> {
    parse_i64(arg).ok_or_else(|| Reply::err(errors::NOT_INTEGER))
}

/// A score as a reply.
fn score_reply(score: f64) -> Reply {
    Reply::Double(score)
}

const ERR_NOT_FLOAT_RANGE: &str = "ERR min or max is not a float";
const ERR_LEX_RANGE: &str = "ERR min or max not valid string range item";
const ERR_NAN: &str = "ERR resulting score is not a number (NaN)";

/// Read access to a zset key: `Ok(None)` when missing, WRONGTYPE for another type.
fn read<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a ZSet>, Reply> {
    match ctx.lookup(key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(wrongtype()),
    }
}

/// Write access to a zset key.
fn write<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut ZSet>, Reply> {
    match ctx.lookup_mut(key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(wrongtype()),
    }
}

/// After removing elements from `key`: raise `event`, and delete the key (raising `del`) if the
/// set is now empty.
fn after_removal(ctx: &mut Ctx, key: &[u8], event: &'static str) {
    ctx.notify(notify::ZSET, event, key);
    ctx.delete_if_empty(key);
}

/// Replies with `(member, score)` pairs as a flat array, scores included or not.
fn pairs_reply(pairs: &[(Bytes, f64)], withscores: bool) -> Reply {
    let mut out = Vec::with_capacity(pairs.len() * if withscores { 2 } else { 1 });
    for (m, s) in pairs {
        out.push(Reply::bulk(m));
        if withscores {
            out.push(score_reply(*s));
        }
    }
    Reply::Array(out)
}

// =================================================================================================
// Commands: adding, scoring, counting
// =================================================================================================

fn zadd_generic(ctx: &mut Ctx, args: &[Vec<u8>], incr_command: bool) -> Reply {
    let key = &args[1];
    let mut flags = AddFlags {
        incr: incr_command,
        ..AddFlags::default()
    };
    let mut ch = false;
    let mut idx = 2;
    while idx < args.len() {
        let o = &args[idx];
        if is_opt(o, "nx") {
            flags.nx = true;
        } else if is_opt(o, "xx") {
            flags.xx = true;
        } else if is_opt(o, "ch") {
            ch = true;
        } else if is_opt(o, "incr") {
            flags.incr = true;
        } else if is_opt(o, "gt") {
            flags.gt = true;
        } else if is_opt(o, "lt") {
            flags.lt = true;
        } else {
            break;
        }
        idx += 1;
    }
    let elements = args.len() - idx;
    if elements % 2 == 1 || elements == 0 {
        return syntax();
    }
    let pairs = elements / 2;
    if flags.nx && flags.xx {
        return Reply::err("ERR XX and NX options at the same time are not compatible");
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return Reply::err("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if flags.incr && pairs > 1 {
        return Reply::err("ERR INCR option supports a single increment-element pair");
    }
    let mut scores = Vec::with_capacity(pairs);
    for j in 0..pairs {
        match parse_f64(&args[idx + j * 2]) {
            Some(s) => scores.push(s),
            None => return Reply::err(errors::NOT_FLOAT),
        }
    }
    let config = ctx.config().clone();
    match read(ctx, key) {
        Err(e) => return e,
        Ok(Some(_)) => {}
        Ok(None) => {
            if flags.xx {
                return if flags.incr {
                    Reply::Nil
                } else {
                    Reply::Int(0)
                };
            }
            let z = ZSet::for_first_member(args[idx + 1].len(), &config);
            ctx.set(key, Value::ZSet(z), false);
        }
    }
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last_score = 0.0;
    let mut nan = false;
    {
        let z = match write(ctx, key) {
            Ok(Some(z)) => z,
            Ok(None) => return Reply::Int(0),
            Err(e) => return e,
        };
        for (j, &score) in scores.iter().enumerate() {
            let member = &args[idx + 1 + j * 2];
            match z.add(member, score, flags, &config) {
                AddOutcome::Added(s) => {
                    added += 1;
                    processed += 1;
                    last_score = s;
                }
                AddOutcome::Updated(s) => {
                    updated += 1;
                    processed += 1;
                    last_score = s;
                }
                AddOutcome::Unchanged(s) => {
                    processed += 1;
                    last_score = s;
                }
                AddOutcome::Skipped => {}
                AddOutcome::NotANumber => {
                    nan = true;
                    break;
                }
            }
        }
    }
    if added > 0 || updated > 0 {
        ctx.notify(notify::ZSET, if flags.incr { "zincr" } else { "zadd" }, key);
    }
    // A set is never left empty (only possible if nothing was added to a new key).
    if ctx
        .db()
        .get(key)
        .is_some_and(|e| e.value.is_empty_collection())
    {
        ctx.db().remove(key);
    }
    if nan {
        return Reply::err(ERR_NAN);
    }
    if flags.incr {
        if processed > 0 {
            score_reply(last_score)
        } else {
            Reply::Nil
        }
    } else {
        Reply::Int(if ch { added + updated } else { added })
    }
}

fn zadd(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zadd_generic(ctx, args, false)
}

fn zincrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zadd_generic(ctx, args, true)
}

fn zscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match read(ctx, &args[1]) {
        Err(e) => e,
        Ok(None) => Reply::Nil,
        Ok(Some(z)) => z.score(&args[2]).map_or(Reply::Nil, score_reply),
    }
}

fn zmscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let z = match read(ctx, &args[1]) {
        Err(e) => return e,
        Ok(z) => z,
    };
    Reply::Array(
        args[2..]
            .iter()
            .map(|m| z.and_then(|z| z.score(m)).map_or(Reply::Nil, score_reply))
            .collect(),
    )
}

fn zcard(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match read(ctx, &args[1]) {
        Err(e) => e,
        Ok(z) => Reply::Int(z.map_or(0, |z| z.len()) as i64),
    }
}

fn zcount(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(range) = parse_score_range(&args[2], &args[3]) else {
        return Reply::err(ERR_NOT_FLOAT_RANGE);
    };
    match read(ctx, &args[1]) {
        Err(e) => e,
        Ok(None) => Reply::Int(0),
        Ok(Some(z)) => {
            let (lo, hi) = z.score_range_ranks(&range);
            Reply::Int((hi - lo) as i64)
        }
    }
}

fn zlexcount(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(range) = parse_lex_range(&args[2], &args[3]) else {
        return Reply::err(ERR_LEX_RANGE);
    };
    match read(ctx, &args[1]) {
        Err(e) => e,
        Ok(None) => Reply::Int(0),
        Ok(Some(z)) => {
            let (start, end) = z.lex_run(&range, false);
            Reply::Int((end - start) as i64)
        }
    }
}

fn zrank_generic(ctx: &mut Ctx, args: &[Vec<u8>], reverse: bool) -> Reply {
    match read(ctx, &args[1]) {
        Err(e) => e,
        Ok(None) => Reply::Nil,
        Ok(Some(z)) => match z.rank(&args[2]) {
            Some(r) if reverse => Reply::Int((z.len() - 1 - r) as i64),
            Some(r) => Reply::Int(r as i64),
            None => Reply::Nil,
        },
    }
}

fn zrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrank_generic(ctx, args, false)
}

fn zrevrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrank_generic(ctx, args, true)
}

// =================================================================================================
// Commands: removing
// =================================================================================================

fn zrem(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    let deleted = match write(ctx, key) {
        Err(e) => return e,
        Ok(None) => return Reply::Int(0),
        Ok(Some(z)) => {
            let mut deleted = 0i64;
            for m in &args[2..] {
                if z.remove(m).is_some() {
                    deleted += 1;
                }
                if z.is_empty() {
                    break;
                }
            }
            deleted
        }
    };
    if deleted > 0 {
        after_removal(ctx, key, "zrem");
    }
    Reply::Int(deleted)
}

/// Normalises a `start stop` rank pair (negative counts from the end) to an inclusive range
/// within `len`, or `None` when empty.
fn rank_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let llen = i64::try_from(len).unwrap_or(i64::MAX);
    let mut start = if start < 0 {
        llen.saturating_add(start)
    } else {
        start
    };
    let mut end = if end < 0 {
        llen.saturating_add(end)
    } else {
        end
    };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return None;
    }
    if end >= llen {
        end = llen - 1;
    }
    Some((start as usize, end as usize))
}

enum RemRange {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

fn zremrange_generic(ctx: &mut Ctx, args: &[Vec<u8>], kind: u8) -> Reply {
    let key = &args[1];
    let (range, event) = match kind {
        b'r' => match (long_arg(&args[2]), long_arg(&args[3])) {
            (Ok(a), Ok(b)) => (RemRange::Rank(a, b), "zremrangebyrank"),
            (Err(e), _) | (_, Err(e)) => return e,
        },
        b's' => match parse_score_range(&args[2], &args[3]) {
            Some(r) => (RemRange::Score(r), "zremrangebyscore"),
            None => return Reply::err(ERR_NOT_FLOAT_RANGE),
        },
        _ => match parse_lex_range(&args[2], &args[3]) {
            Some(r) => (RemRange::Lex(r), "zremrangebylex"),
            None => return Reply::err(ERR_LEX_RANGE),
        },
    };
    let deleted = match write(ctx, key) {
        Err(e) => return e,
        Ok(None) => return Reply::Int(0),
        Ok(Some(z)) => {
            let (start, end) = match &range {
                RemRange::Rank(a, b) => match rank_range(z.len(), *a, *b) {
                    Some((s, e)) => (s, e + 1),
                    None => return Reply::Int(0),
                },
                RemRange::Score(r) => z.score_range_ranks(r),
                RemRange::Lex(r) => z.lex_run(r, true),
            };
            z.remove_rank_range(start, end)
        }
    };
    if deleted > 0 {
        after_removal(ctx, key, event);
    }
    Reply::Int(deleted as i64)
}

fn zremrangebyrank(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zremrange_generic(ctx, args, b'r')
}

fn zremrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zremrange_generic(ctx, args, b's')
}

fn zremrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zremrange_generic(ctx, args, b'l')
}

// =================================================================================================
// Commands: ranges (ZRANGE and its older spellings, ZRANGESTORE)
// =================================================================================================

#[derive(Clone, Copy, PartialEq)]
enum RangeKind {
    Rank,
    Score,
    Lex,
}

/// Entries of a score range, walked like Redis: skip `offset`, then take up to `limit` (negative:
/// all) while in range. A negative offset walks off the end, so it selects nothing.
fn select_by_score(
    z: &ZSet,
    r: &ScoreRange,
    offset: i64,
    limit: i64,
    rev: bool,
) -> Vec<(Bytes, f64)> {
    let len = z.len();
    if offset < 0 || (offset > 0 && offset as u64 >= len as u64) {
        return Vec::new();
    }
    let offset = offset as usize;
    let (lo, hi) = z.score_range_ranks(r);
    if lo >= hi {
        return Vec::new();
    }
    let (start, available) = if rev {
        let top = hi - 1;
        if offset > top - lo {
            return Vec::new();
        }
        (top - offset, top - offset - lo + 1)
    } else {
        if offset >= hi - lo {
            return Vec::new();
        }
        (lo + offset, hi - lo - offset)
    };
    let n = if limit < 0 {
        available
    } else {
        available.min(usize::try_from(limit).unwrap_or(usize::MAX))
    };
    z.iter_from(start, rev)
        .take(n)
        .map(|(m, s)| (m.clone(), s))
        .collect()
}

/// Entries of a lex range, walked like Redis: from the first (or, reversed, the last) entry in
/// range, skip `offset`, then take up to `limit` while the other end of the range holds.
fn select_by_lex(z: &ZSet, r: &LexRange, offset: i64, limit: i64, rev: bool) -> Vec<(Bytes, f64)> {
    if offset < 0 {
        return Vec::new();
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let start = if rev {
        match z.lex_last(r) {
            Some(k) if offset <= k => k - offset,
            _ => return Vec::new(),
        }
    } else {
        match z.lex_first(r) {
            Some(k) if offset < z.len() - k => k + offset,
            _ => return Vec::new(),
        }
    };
    let n = if limit < 0 {
        usize::MAX
    } else {
        usize::try_from(limit).unwrap_or(usize::MAX)
    };
    z.iter_from(start, rev)
        .take(n)
        .take_while(|(m, _)| if rev { r.gte_min(m) } else { r.lte_max(m) })
        .map(|(m, s)| (m.clone(), s))
        .collect()
}

/// ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX: `<src> <min> <max>`
/// start at `args[first]`; `kind`/`rev` are fixed by the older commands and chosen by options in
/// ZRANGE and ZRANGESTORE.
fn zrange_generic(
    ctx: &mut Ctx,
    args: &[Vec<u8>],
    first: usize,
    store: bool,
    kind: Option<RangeKind>,
    rev: Option<bool>,
) -> Reply {
    let (mut kind, mut rev) = (kind, rev);
    let key = &args[first];
    let (mut minidx, mut maxidx) = (first + 1, first + 2);
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = first + 3;
    while j < args.len() {
        let left = args.len() - j - 1;
        let a = &args[j];
        if !store && is_opt(a, "withscores") {
            withscores = true;
        } else if is_opt(a, "limit") && left >= 2 {
            offset = match long_arg(&args[j + 1]) {
                Ok(v) => v,
                Err(e) => return e,
            };
            limit = match long_arg(&args[j + 2]) {
                Ok(v) => v,
                Err(e) => return e,
            };
            j += 2;
        } else if rev.is_none() && is_opt(a, "rev") {
            rev = Some(true);
        } else if kind.is_none() && is_opt(a, "bylex") {
            kind = Some(RangeKind::Lex);
        } else if kind.is_none() && is_opt(a, "byscore") {
            kind = Some(RangeKind::Score);
        } else {
            return syntax();
        }
        j += 1;
    }
    let rev = rev.unwrap_or(false);
    let kind = kind.unwrap_or(RangeKind::Rank);
    if limit != -1 && kind == RangeKind::Rank {
        return Reply::err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
    }
    if withscores && kind == RangeKind::Lex {
        return Reply::err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    if rev && kind != RangeKind::Rank {
        std::mem::swap(&mut minidx, &mut maxidx);
    }
    enum Parsed {
        Rank(i64, i64),
        Score(ScoreRange),
        Lex(LexRange),
    }
    let parsed = match kind {
        RangeKind::Rank => match (long_arg(&args[minidx]), long_arg(&args[maxidx])) {
            (Ok(a), Ok(b)) => Parsed::Rank(a, b),
            (Err(e), _) | (_, Err(e)) => return e,
        },
        RangeKind::Score => match parse_score_range(&args[minidx], &args[maxidx]) {
            Some(r) => Parsed::Score(r),
            None => return Reply::err(ERR_NOT_FLOAT_RANGE),
        },
        RangeKind::Lex => match parse_lex_range(&args[minidx], &args[maxidx]) {
            Some(r) => Parsed::Lex(r),
            None => return Reply::err(ERR_LEX_RANGE),
        },
    };
    // The selection, and whether a stored result would start as a skiplist.
    let max_entries = cfg_limit(ctx.config().zset_max_listpack_entries);
    let (selected, starts_big) = match read(ctx, key) {
        Err(e) => return e,
        Ok(None) => (Vec::new(), false),
        Ok(Some(z)) => match &parsed {
            Parsed::Rank(a, b) => match rank_range(z.len(), *a, *b) {
                None => (Vec::new(), false),
                Some((s, e)) => {
                    let n = e - s + 1;
                    let from = if rev { z.len() - 1 - s } else { s };
                    let sel: Vec<(Bytes, f64)> = z
                        .iter_from(from, rev)
                        .take(n)
                        .map(|(m, sc)| (m.clone(), sc))
                        .collect();
                    (sel, n > max_entries)
                }
            },
            Parsed::Score(r) => (select_by_score(z, r, offset, limit, rev), false),
            Parsed::Lex(r) => (select_by_lex(z, r, offset, limit, rev), false),
        },
    };
    if !store {
        return pairs_reply(&selected, withscores);
    }
    let dst = &args[1];
    if selected.is_empty() {
        if ctx.delete(dst) {
            ctx.notify(notify::GENERIC, "del", dst);
        }
        return Reply::Int(0);
    }
    let config = ctx.config().clone();
    let mut z = if starts_big {
        ZSet::new_skiplist()
    } else {
        ZSet::new()
    };
    for (m, s) in &selected {
        z.insert(m, *s, &config);
    }
    let n = z.len();
    ctx.set(dst, Value::ZSet(z), false);
    ctx.notify(notify::ZSET, "zrangestore", dst);
    Reply::Int(n as i64)
}

fn zrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, None, None)
}

fn zrangestore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 2, true, None, None)
}

fn zrevrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, Some(RangeKind::Rank), Some(true))
}

fn zrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, Some(RangeKind::Score), Some(false))
}

fn zrevrangebyscore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, Some(RangeKind::Score), Some(true))
}

fn zrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, Some(RangeKind::Lex), Some(false))
}

fn zrevrangebylex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zrange_generic(ctx, args, 1, false, Some(RangeKind::Lex), Some(true))
}

// =================================================================================================
// Commands: popping
// =================================================================================================

/// The shape of a pop reply.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PopShape {
    /// Start with the key's name (BZPOPMIN/BZPOPMAX, ZMPOP/BZMPOP).
    pub with_key: bool,
    /// `[member, score]` pairs as nested arrays (ZMPOP/BZMPOP) instead of one flat array.
    pub nested: bool,
    /// Reply a nil array, not an empty one, when no key holds anything (ZMPOP/BZMPOP).
    pub nil_when_empty: bool,
}

impl PopShape {
    /// ZPOPMIN / ZPOPMAX.
    pub const ZPOP: PopShape = PopShape {
        with_key: false,
        nested: false,
        nil_when_empty: false,
    };
    /// BZPOPMIN / BZPOPMAX (once a key has something).
    pub const BZPOP: PopShape = PopShape {
        with_key: true,
        nested: false,
        nil_when_empty: false,
    };
    /// ZMPOP / BZMPOP.
    pub const ZMPOP: PopShape = PopShape {
        with_key: true,
        nested: true,
        nil_when_empty: true,
    };
}

/// Pops from the first of `keys` that exists (Redis's `genericZpopCommand`): up to `count`
/// entries (`-1`: the single-pop form) from the low end, or the high end with `max`. Raises
/// `zpopmin`/`zpopmax` and, if the set empties, `del`. WRONGTYPE if the first existing key is not
/// a sorted set. The blocking commands call this once a key has elements.
pub fn generic_zpop(
    ctx: &mut Ctx,
    keys: &[&[u8]],
    max: bool,
    count: i64,
    shape: PopShape,
) -> Reply {
    let mut found = None;
    for key in keys {
        match read(ctx, key) {
            Err(e) => return e,
            Ok(None) => continue,
            Ok(Some(_)) => {
                found = Some(*key);
                break;
            }
        }
    }
    let Some(key) = found else {
        return if shape.nil_when_empty {
            Reply::NilArray
        } else {
            Reply::Array(Vec::new())
        };
    };
    if count == 0 {
        return Reply::Array(Vec::new());
    }
    let count = if count < 0 {
        1
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    let popped = match write(ctx, key) {
        Ok(Some(z)) => z.pop(max, count),
        Ok(None) => Vec::new(),
        Err(e) => return e,
    };
    if !popped.is_empty() {
        after_removal(ctx, key, if max { "zpopmax" } else { "zpopmin" });
    }
    let body = if shape.nested {
        Reply::Array(
            popped
                .iter()
                .map(|(m, s)| Reply::Array(vec![Reply::bulk(m), score_reply(*s)]))
                .collect(),
        )
    } else {
        pairs_reply(&popped, true)
    };
    match (shape.with_key, body) {
        (false, body) => body,
        (true, Reply::Array(items)) if !shape.nested => {
            let mut out = Vec::with_capacity(items.len() + 1);
            out.push(Reply::bulk(key));
            out.extend(items);
            Reply::Array(out)
        }
        (true, body) => Reply::Array(vec![Reply::bulk(key), body]),
    }
}

fn zpop_minmax(ctx: &mut Ctx, args: &[Vec<u8>], max: bool) -> Reply {
    if args.len() > 3 {
        return syntax();
    }
    let mut count = -1;
    if args.len() == 3 {
        match parse_i64(&args[2]) {
            Some(c) if c >= 0 => count = c,
            _ => return Reply::err(errors::POSITIVE),
        }
    }
    generic_zpop(ctx, &[&args[1][..]], max, count, PopShape::ZPOP)
}

fn zpopmin(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zpop_minmax(ctx, args, false)
}

fn zpopmax(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zpop_minmax(ctx, args, true)
}

/// What ZMPOP and BZMPOP parse after their leading arguments: the keys, MIN/MAX and the count.
#[derive(Clone, Debug, PartialEq)]
pub struct MpopArgs {
    pub keys: Vec<Vec<u8>>,
    pub max: bool,
    pub count: i64,
}

/// Parses `numkeys key [key ...] MIN|MAX [COUNT count]` starting at `args[numkeys_idx]`, with
/// Redis's errors.
pub fn parse_mpop(args: &[Vec<u8>], numkeys_idx: usize) -> Result<MpopArgs, Reply> {
    let numkeys = match args.get(numkeys_idx).and_then(|a| parse_i64(a)) {
        Some(n) if n >= 1 => n,
        _ => return Err(Reply::err("ERR numkeys should be greater than 0")),
    };
    let where_idx = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(numkeys_idx + 1))
        .filter(|&w| w < args.len())
        .ok_or_else(syntax)?;
    let max = if is_opt(&args[where_idx], "min") {
        false
    } else if is_opt(&args[where_idx], "max") {
        true
    } else {
        return Err(syntax());
    };
    let mut count = -1;
    let mut j = where_idx + 1;
    while j < args.len() {
        let more = args.len() - 1 - j;
        if count == -1 && is_opt(&args[j], "count") && more > 0 {
            j += 1;
            match parse_i64(&args[j]) {
                Some(c) if c >= 1 => count = c,
                _ => return Err(Reply::err("ERR count should be greater than 0")),
            }
        } else {
            return Err(syntax());
        }
        j += 1;
    }
    Ok(MpopArgs {
        keys: args[numkeys_idx + 1..where_idx].to_vec(),
        max,
        count: count.max(1),
    })
}

fn zmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match parse_mpop(args, 1) {
        Err(e) => e,
        Ok(p) => {
            let keys: Vec<&[u8]> = p.keys.iter().map(|k| &k[..]).collect();
            generic_zpop(ctx, &keys, p.max, p.count, PopShape::ZMPOP)
        }
    }
}

// =================================================================================================
// Commands: ZRANDMEMBER, ZSCAN
// =================================================================================================

/// The most elements one ZRANDMEMBER reply may hold when repeats are allowed (a negative count):
/// Redis would try to build any size; the engine refuses rather than exhaust memory.
pub const MAX_RANDOM_REPLY: u64 = 1 << 20;

fn zrandmember(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    if args.len() < 3 {
        let len = match read(ctx, key) {
            Err(e) => return e,
            Ok(None) => return Reply::Nil,
            Ok(Some(z)) => z.len(),
        };
        let k = ctx.random_below(len);
        return match read(ctx, key) {
            Ok(Some(z)) => z.get_by_rank(k).map_or(Reply::Nil, |(m, _)| Reply::bulk(m)),
            _ => Reply::Nil,
        };
    }
    let l = match parse_i64(&args[2]) {
        None => return Reply::err(errors::NOT_INTEGER),
        Some(i64::MIN) => {
            return Reply::err(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            )
        }
        Some(l) => l,
    };
    if args.len() > 4 || (args.len() == 4 && !is_opt(&args[3], "withscores")) {
        return syntax();
    }
    let withscores = args.len() == 4;
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Reply::err("ERR value is out of range");
    }
    let z = match read(ctx, key) {
        Err(e) => return e,
        Ok(None) => return Reply::Array(Vec::new()),
        Ok(Some(z)) => z.clone(),
    };
    let size = z.len();
    let count = l.unsigned_abs();
    if count == 0 {
        return Reply::Array(Vec::new());
    }
    let pick = |z: &ZSet, k: usize| z.get_by_rank(k).map(|(m, s)| (m.clone(), s));
    // Repeats allowed (negative count), or a single member.
    if l < 0 || count == 1 {
        if count > MAX_RANDOM_REPLY {
            return Reply::err(format!(
                "ERR count is too large: a reply may hold at most {MAX_RANDOM_REPLY} random members"
            ));
        }
        let mut out = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let k = ctx.random_below(size);
            out.extend(pick(&z, k));
        }
        return pairs_reply(&out, withscores);
    }
    // Distinct members: everything, in Redis's iteration order (highest first).
    if count >= size as u64 {
        let all: Vec<(Bytes, f64)> = z
            .iter_from(size - 1, true)
            .map(|(m, s)| (m.clone(), s))
            .collect();
        return pairs_reply(&all, withscores);
    }
    // `count` distinct ranks (Floyd's sampling: O(count) draws, no rejection loop).
    let count = count as usize;
    let mut chosen = std::collections::HashSet::with_capacity(count);
    let mut order = Vec::with_capacity(count);
    for j in size - count..size {
        let t = ctx.random_below(j + 1);
        let k = if chosen.insert(t) {
            t
        } else {
            chosen.insert(j);
            j
        };
        order.push(k);
    }
    // A small listpack answers in its own order; otherwise Redis's order is a hash table's.
    if z.is_listpack() && count.saturating_mul(3) <= size {
        order.sort_unstable();
    }
    let out: Vec<(Bytes, f64)> = order.into_iter().filter_map(|k| pick(&z, k)).collect();
    pairs_reply(&out, withscores)
}

fn zscan(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(cursor) = crate::num::parse_scan_cursor(&args[2]) else {
        return Reply::err("ERR invalid cursor");
    };
    let z = match read(ctx, &args[1]) {
        Err(e) => return e,
        Ok(None) => return Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]),
        Ok(Some(z)) => z.clone(),
    };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 3;
    while i < args.len() {
        let left = args.len() - i;
        if is_opt(&args[i], "count") && left >= 2 {
            count = match long_arg(&args[i + 1]) {
                Ok(c) => c,
                Err(e) => return e,
            };
            if count < 1 {
                return syntax();
            }
            i += 2;
        } else if is_opt(&args[i], "match") && left >= 2 {
            let p = &args[i + 1][..];
            pattern = if p == b"*" { None } else { Some(p) };
            i += 2;
        } else {
            return syntax();
        }
    }
    let (next, found) = if z.is_listpack() {
        (0, z.iter().map(|(m, s)| (m.clone(), s)).collect::<Vec<_>>())
    } else {
        z.scan(cursor, usize::try_from(count).unwrap_or(usize::MAX))
    };
    let mut items = Vec::new();
    for (m, s) in found {
        if pattern.is_some_and(|p| !crate::glob::matches(p, &m, false)) {
            continue;
        }
        items.push(Reply::bulk(&m));
        items.push(Reply::bulk(fmt_double(s)));
    }
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}

// =================================================================================================
// Commands: ZUNION, ZINTER, ZDIFF (and their STORE forms), ZINTERCARD
// =================================================================================================

/// The members of a plain set. ZUNION and friends accept sets as inputs, every member scoring 1.
fn set_members(set: &Set) -> Vec<Bytes> {
    set.iter().map(|m| bytes(&m)).collect()
}

/// True if a plain set holds `member`.
fn set_contains(set: &Set, member: &[u8]) -> bool {
    set.contains(member)
}

/// One input of a set operation: a sorted set, a plain set, or a missing key.
enum Source {
    Missing,
    Zset(ZSet),
    Set(Set),
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Source::Missing => 0,
            Source::Zset(z) => z.len(),
            Source::Set(s) => s.len(),
        }
    }

    fn entries(&self) -> Vec<(Bytes, f64)> {
        match self {
            Source::Missing => Vec::new(),
            Source::Zset(z) => z.iter().map(|(m, s)| (m.clone(), s)).collect(),
            Source::Set(s) => set_members(s).into_iter().map(|m| (m, 1.0)).collect(),
        }
    }

    fn find(&self, member: &[u8]) -> Option<f64> {
        match self {
            Source::Missing => None,
            Source::Zset(z) => z.score(member),
            Source::Set(s) => set_contains(s, member).then_some(1.0),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy, PartialEq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(target: &mut f64, val: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += val;
            // inf + -inf: Redis settles on 0.
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if val < *target {
                *target = val;
            }
        }
        Aggregate::Max => {
            if val > *target {
                *target = val;
            }
        }
    }
}

/// Redis's `zunionInterDiffGenericCommand`. `name` is the command's name for the numkeys error.
fn zsetop_generic(
    ctx: &mut Ctx,
    args: &[Vec<u8>],
    dst: Option<&[u8]>,
    numkeys_idx: usize,
    op: SetOp,
    card_only: bool,
    name: &str,
) -> Reply {
    let setnum = match long_arg(&args[numkeys_idx]) {
        Ok(n) => n,
        Err(e) => return e,
    };
    if setnum < 1 {
        return Reply::err(format!(
            "ERR at least 1 input key is needed for '{name}' command"
        ));
    }
    let available = args.len() - (numkeys_idx + 1);
    if setnum as u64 > available as u64 {
        return syntax();
    }
    let setnum = setnum as usize;
    let mut sources = Vec::with_capacity(setnum);
    for key in &args[numkeys_idx + 1..numkeys_idx + 1 + setnum] {
        let src = match ctx.lookup(key) {
            None => Source::Missing,
            Some(Value::ZSet(z)) => Source::Zset(z.clone()),
            Some(Value::Set(s)) => Source::Set(s.clone()),
            Some(_) => return wrongtype(),
        };
        sources.push((src, 1.0f64));
    }
    let mut how = Aggregate::Sum;
    let mut withscores = false;
    let mut limit_n: i64 = 0;
    let mut j = numkeys_idx + 1 + setnum;
    while j < args.len() {
        let remaining = args.len() - j;
        let a = &args[j];
        if op != SetOp::Diff && !card_only && remaining > setnum && is_opt(a, "weights") {
            j += 1;
            for src in sources.iter_mut() {
                match parse_f64(&args[j]) {
                    Some(w) => src.1 = w,
                    None => return Reply::err("ERR weight value is not a float"),
                }
                j += 1;
            }
        } else if op != SetOp::Diff && !card_only && remaining >= 2 && is_opt(a, "aggregate") {
            let v = &args[j + 1];
            how = if is_opt(v, "sum") {
                Aggregate::Sum
            } else if is_opt(v, "min") {
                Aggregate::Min
            } else if is_opt(v, "max") {
                Aggregate::Max
            } else {
                return syntax();
            };
            j += 2;
        } else if dst.is_none() && !card_only && is_opt(a, "withscores") {
            withscores = true;
            j += 1;
        } else if card_only && remaining >= 2 && is_opt(a, "limit") {
            match parse_i64(&args[j + 1]) {
                Some(l) if l >= 0 => limit_n = l,
                _ => return Reply::err("ERR LIMIT can't be negative"),
            }
            j += 2;
        } else {
            return syntax();
        }
    }
    if op != SetOp::Diff {
        // Smallest input first (a stable sort, like glibc's qsort).
        sources.sort_by_key(|(s, _)| s.len());
    }
    let mut result: Vec<(Bytes, f64)> = Vec::new();
    let mut cardinality: i64 = 0;
    match op {
        SetOp::Inter => {
            if let Some(((first, w0), rest)) = sources.split_first() {
                if first.len() > 0 {
                    for (m, s) in first.entries() {
                        let mut score = w0 * s;
                        if score.is_nan() {
                            score = 0.0;
                        }
                        let mut in_all = true;
                        for (src, w) in rest {
                            match src.find(&m) {
                                Some(v) => aggregate(&mut score, v * w, how),
                                None => {
                                    in_all = false;
                                    break;
                                }
                            }
                        }
                        if !in_all {
                            continue;
                        }
                        if card_only {
                            cardinality += 1;
                            if limit_n > 0 && cardinality >= limit_n {
                                break;
                            }
                        } else {
                            result.push((m, score));
                        }
                    }
                }
            }
        }
        SetOp::Union => {
            let mut acc: HashMap<Bytes, f64> = HashMap::new();
            let mut order: Vec<Bytes> = Vec::new();
            for (src, w) in &sources {
                for (m, s) in src.entries() {
                    let mut score = w * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match acc.get_mut(&m) {
                        Some(t) => aggregate(t, score, how),
                        None => {
                            acc.insert(m.clone(), score);
                            order.push(m);
                        }
                    }
                }
            }
            result = order
                .into_iter()
                .map(|m| {
                    let s = acc.get(&m).copied().unwrap_or(0.0);
                    (m, s)
                })
                .collect();
        }
        SetOp::Diff => {
            if let Some(((first, _), rest)) = sources.split_first() {
                for (m, s) in first.entries() {
                    if rest.iter().all(|(src, _)| src.find(&m).is_none()) {
                        result.push((m, s));
                    }
                }
            }
        }
    }
    if card_only {
        return Reply::Int(cardinality);
    }
    let config = ctx.config().clone();
    let z = ZSet::from_pairs(result, &config);
    match dst {
        Some(dst) => {
            if z.is_empty() {
                if ctx.delete(dst) {
                    ctx.notify(notify::GENERIC, "del", dst);
                }
                Reply::Int(0)
            } else {
                let n = z.len();
                ctx.set(dst, Value::ZSet(z), false);
                let event = match op {
                    SetOp::Union => "zunionstore",
                    SetOp::Inter => "zinterstore",
                    SetOp::Diff => "zdiffstore",
                };
                ctx.notify(notify::ZSET, event, dst);
                Reply::Int(n as i64)
            }
        }
        None => {
            let pairs: Vec<(Bytes, f64)> = z.iter().map(|(m, s)| (m.clone(), s)).collect();
            pairs_reply(&pairs, withscores)
        }
    }
}

fn zunion(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zsetop_generic(ctx, args, None, 1, SetOp::Union, false, "zunion")
}

fn zinter(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zsetop_generic(ctx, args, None, 1, SetOp::Inter, false, "zinter")
}

fn zdiff(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zsetop_generic(ctx, args, None, 1, SetOp::Diff, false, "zdiff")
}

fn zintercard(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    zsetop_generic(ctx, args, None, 1, SetOp::Inter, true, "zintercard")
}

fn zunionstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let dst = args[1].clone();
    zsetop_generic(ctx, args, Some(&dst), 2, SetOp::Union, false, "zunionstore")
}

fn zinterstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let dst = args[1].clone();
    zsetop_generic(ctx, args, Some(&dst), 2, SetOp::Inter, false, "zinterstore")
}

fn zdiffstore(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let dst = args[1].clone();
    zsetop_generic(ctx, args, Some(&dst), 2, SetOp::Diff, false, "zdiffstore")
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("zadd", zadd),
    ("zincrby", zincrby),
    ("zscore", zscore),
    ("zmscore", zmscore),
    ("zcard", zcard),
    ("zcount", zcount),
    ("zlexcount", zlexcount),
    ("zrank", zrank),
    ("zrevrank", zrevrank),
    ("zrem", zrem),
    ("zremrangebyrank", zremrangebyrank),
    ("zremrangebyscore", zremrangebyscore),
    ("zremrangebylex", zremrangebylex),
    ("zrange", zrange),
    ("zrangestore", zrangestore),
    ("zrevrange", zrevrange),
    ("zrangebyscore", zrangebyscore),
    ("zrevrangebyscore", zrevrangebyscore),
    ("zrangebylex", zrangebylex),
    ("zrevrangebylex", zrevrangebylex),
    ("zpopmin", zpopmin),
    ("zpopmax", zpopmax),
    ("zmpop", zmpop),
    ("zrandmember", zrandmember),
    ("zscan", zscan),
    ("zunion", zunion),
    ("zinter", zinter),
    ("zdiff", zdiff),
    ("zintercard", zintercard),
    ("zunionstore", zunionstore),
    ("zinterstore", zinterstore),
    ("zdiffstore", zdiffstore),
];
