//! The member index of a sorted set: `member -> score`, persistent, ordered by the member's hash.
//!
//! ## Design
//! A hash trie (a "hash array mapped trie") over the 64-bit hash of each member
//! ([`crate::keyspace::key_hash`]). The hash is read six bits at a time from its most significant
//! end: the root branches on the top six bits, its children on the next six, and so on, so an
//! in-order walk of the trie visits members in increasing hash order. That is what lets ZSCAN's
//! cursor be simply "the next hash to visit": it stays meaningful whatever is written between two
//! calls, like the keyspace's SCAN.
//!
//! A node has up to 64 children but stores only those present: a 64-bit map says which of the
//! 64 are there, and the present ones sit in a packed array, child `i` at position "number of set
//! bits below bit `i`". The map sits next to the link to the array, in the parent's slot, so a
//! lookup reads one slot per level: 3 or 4 levels at a million members, the top ones in cache.
//! A slot (40 bytes) holds a child node, or one member with its score and its full hash, or the
//! members sharing one full hash (a true 64-bit collision, kept together in a small list). A
//! member of up to 22 bytes is stored in the slot itself: confirming a match then reads nothing
//! but the slot, where a pointer to the member's bytes would cost another cache miss (and, in a
//! large set, often a page-table walk). Longer members are shared with the sorted set's tree.
//!
//! Nodes are shared through reference counts: a clone is O(1) and a write copies the arrays on
//! its path unless nobody else holds them ([`std::sync::Arc::make_mut`]). A removal that leaves a
//! node with a single member moves that member up into the parent's slot, so the trie stays as
//! shallow as the hashes allow.
//!
//! ## Costs
//! Lookup, insertion and removal: O(depth) slots read, depth about `log64(n)`, plus O(64) to
//! rebuild one packed array when a member appears in or leaves a node. A ZSCAN step: O(depth × 64
//! + count).

use std::sync::Arc;

use crate::keyspace::key_hash;
use crate::value::Bytes;

/// Hash bits consumed per level.
const BITS: u32 = 6;

/// Longest member kept inside its slot.
const INLINE: usize = 22;

#[derive(Clone, Debug, Default)]
enum Slot {
    /// A member of at most [`INLINE`] bytes, stored in the slot itself: confirming a match reads
    /// nothing else.
    Short {
        hash: u64,
        score: f64,
        len: u8,
        bytes: [u8; INLINE],
    },
    /// A longer member, shared with the sorted set's tree.
    Long {
        hash: u64,
        member: Bytes,
        score: f64,
    },
    /// Members whose full 64-bit hashes are equal.
    Many {
        hash: u64,
        entries: Vec<(Bytes, f64)>,
    },
    /// A child node: which of its 64 children exist, and those children in order (the array
    /// may end with free slots: room to grow in place).
    Node { map: u64, kids: Arc<[Slot]> },
    /// A free slot at the end of an array.
    #[default]
    Empty,
}

/// The position of `hash` among the 64 children of a node at `depth`, and how many lower hash
/// bits the node's children still have to tell apart.
fn index(hash: u64, depth: u32) -> (u32, u32) {
    let remaining = 64u32.saturating_sub(BITS.saturating_mul(depth));
    let take = remaining.min(BITS);
    let low = remaining - take;
    let idx = hash.checked_shr(low).unwrap_or(0) & ((1u64 << take) - 1);
    (idx as u32, low)
}

/// Where child `idx` sits in the packed array of a node with `map`.
fn position(map: u64, idx: u32) -> usize {
    (map & ((1u64 << idx) - 1)).count_ones() as usize
}

/// Room for `n` slots in use: a quarter more for a node of 8 or more, so that a node that keeps
/// gaining and losing a member or two (the usual churn) does so in place. Small nodes (most of
/// the bottom of a large trie) get no spare room: they are many, and memory is cache.
fn capacity_for(n: usize) -> usize {
    if n < 8 {
        n.max(1)
    } else {
        (n + n.div_ceil(4)).min(64)
    }
}

/// Inserts `slot` at `pos` among the first `count` slots (the ones in use). In place when nobody
/// else holds the array and it has a free slot; otherwise into a new array with room to spare,
/// moving the slots over (or copying them, if the old array is shared).
fn insert_slot(kids: &mut Arc<[Slot]>, count: usize, pos: usize, slot: Slot) {
    if let Some(k) = Arc::get_mut(kids) {
        if let Some(run) = k.get_mut(pos..=count) {
            if matches!(run.last(), Some(Slot::Empty)) {
                run.rotate_right(1);
                if let Some(first) = run.first_mut() {
                    *first = slot;
                }
                return;
            }
        }
    }
    let pos = pos.min(count);
    let spare = capacity_for(count + 1).saturating_sub(count + 1);
    let fresh: Arc<[Slot]> = {
        let (before, after) = (0..pos, pos..count);
        let free = std::iter::repeat_with(|| Slot::Empty).take(spare);
        match Arc::get_mut(kids) {
            // One allocation, filled straight from the old array (moved, or copied if shared).
            Some(k) => {
                let (a, b) = k.split_at_mut(pos.min(k.len()));
                a.iter_mut()
                    .take(before.len())
                    .map(std::mem::take)
                    .chain(std::iter::once(slot))
                    .chain(b.iter_mut().take(after.len()).map(std::mem::take))
                    .chain(free)
                    .collect()
            }
            None => {
                let (a, b) = kids.split_at(pos.min(kids.len()));
                a.iter()
                    .take(before.len())
                    .cloned()
                    .chain(std::iter::once(slot))
                    .chain(b.iter().take(after.len()).cloned())
                    .chain(free)
                    .collect()
            }
        }
    };
    *kids = fresh;
}

/// Removes the slot at `pos` among the first `count`. In place when nobody else holds the array
/// (a new, smaller array once it is less than half used), else into a new array.
fn remove_slot(kids: &mut Arc<[Slot]>, count: usize, pos: usize) {
    let left = count.saturating_sub(1);
    if let Some(k) = Arc::get_mut(kids) {
        if left * 2 >= k.len() || k.len() <= 4 {
            if let Some(run) = k.get_mut(pos..count) {
                run.rotate_left(1);
                if let Some(last) = run.last_mut() {
                    *last = Slot::Empty;
                }
            }
            return;
        }
    }
    let spare = capacity_for(left).saturating_sub(left);
    let fresh: Arc<[Slot]> = {
        let free = std::iter::repeat_with(|| Slot::Empty).take(spare);
        match Arc::get_mut(kids) {
            Some(k) => {
                let (a, b) = k.split_at_mut(pos.min(k.len()));
                let b = b.get_mut(1..count.saturating_sub(pos)).unwrap_or(&mut []);
                a.iter_mut()
                    .map(std::mem::take)
                    .chain(b.iter_mut().map(std::mem::take))
                    .chain(free)
                    .collect()
            }
            None => {
                let (a, b) = kids.split_at(pos.min(kids.len()));
                let b = b.get(1..count.saturating_sub(pos)).unwrap_or(&[]);
                a.iter()
                    .cloned()
                    .chain(b.iter().cloned())
                    .chain(free)
                    .collect()
            }
        }
    };
    *kids = fresh;
}

/// How many slots of a node with `map` are in use.
fn used(map: u64) -> usize {
    map.count_ones() as usize
}

impl Slot {
    /// The slot for one member.
    fn single(hash: u64, member: &Bytes, score: f64) -> Slot {
        let mut bytes = [0u8; INLINE];
        match (bytes.get_mut(..member.len()), u8::try_from(member.len())) {
            (Some(dst), Ok(len)) => {
                dst.copy_from_slice(member);
                Slot::Short {
                    hash,
                    score,
                    len,
                    bytes,
                }
            }
            _ => Slot::Long {
                hash,
                member: member.clone(),
                score,
            },
        }
    }

    fn hash(&self) -> Option<u64> {
        match self {
            Slot::Short { hash, .. } | Slot::Long { hash, .. } | Slot::Many { hash, .. } => {
                Some(*hash)
            }
            Slot::Node { .. } | Slot::Empty => None,
        }
    }

    /// The member of a single-member slot.
    fn member(&self) -> Option<&[u8]> {
        match self {
            Slot::Short { len, bytes, .. } => bytes.get(..usize::from(*len)),
            Slot::Long { member, .. } => Some(member),
            _ => None,
        }
    }

    fn score_mut(&mut self) -> Option<&mut f64> {
        match self {
            Slot::Short { score, .. } | Slot::Long { score, .. } => Some(score),
            _ => None,
        }
    }

    /// The member and score of a single-member slot, as the tree's entries hold them.
    fn pair(&self) -> Option<(Bytes, f64)> {
        match self {
            Slot::Short { score, .. } => Some((crate::value::bytes(self.member()?), *score)),
            Slot::Long { member, score, .. } => Some((member.clone(), *score)),
            _ => None,
        }
    }

    /// A node at `depth` holding two slots of different hashes, nested as deep as their hashes
    /// agree.
    fn two(depth: u32, a: Slot, ha: u64, b: Slot, hb: u64) -> Slot {
        let (ia, _) = index(ha, depth);
        let (ib, _) = index(hb, depth);
        if ia == ib && depth < 11 {
            let inner = Slot::two(depth + 1, a, ha, b, hb);
            return Slot::Node {
                map: 1u64 << ia,
                kids: Arc::from([inner]),
            };
        }
        let kids: Arc<[Slot]> = if ia < ib {
            Arc::from([a, b])
        } else {
            Arc::from([b, a])
        };
        Slot::Node {
            map: (1u64 << ia) | (1u64 << ib),
            kids,
        }
    }
}

/// `member -> score`, ordered by the member's hash. Cloning is O(1).
#[derive(Clone, Debug)]
pub(super) struct Members {
    map: u64,
    kids: Arc<[Slot]>,
    len: usize,
}

impl Default for Members {
    fn default() -> Self {
        Members {
            map: 0,
            kids: Arc::from([]),
            len: 0,
        }
    }
}

impl Members {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The score of `member`.
    pub(super) fn get(&self, member: &[u8]) -> Option<f64> {
        let hash = key_hash(member);
        let (mut map, mut kids) = (self.map, &self.kids);
        let mut depth = 0;
        loop {
            let (idx, _) = index(hash, depth);
            if map & (1u64 << idx) == 0 {
                return None;
            }
            let slot = kids.get(position(map, idx))?;
            match slot {
                Slot::Short { hash: h, score, .. } | Slot::Long { hash: h, score, .. } => {
                    return (*h == hash && slot.member() == Some(member)).then_some(*score)
                }
                Slot::Many { hash: h, entries } => {
                    if *h != hash {
                        return None;
                    }
                    return entries
                        .iter()
                        .find(|(m, _)| m[..] == *member)
                        .map(|(_, s)| *s);
                }
                Slot::Node { map: m, kids: k } => {
                    map = *m;
                    kids = k;
                    depth += 1;
                }
                Slot::Empty => return None,
            }
        }
    }

    /// Inserts or updates; returns the previous score.
    pub(super) fn insert(&mut self, member: &Bytes, score: f64) -> Option<f64> {
        let hash = key_hash(member);
        let old = insert_in(&mut self.map, &mut self.kids, 0, hash, member, score);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// Changes the score of `member` if it is present; returns the previous score. Hashes the
    /// bytes given, never the stored member's.
    pub(super) fn set(&mut self, member: &[u8], score: f64) -> Option<f64> {
        let hash = key_hash(member);
        set_in(&mut self.map, &mut self.kids, 0, hash, member, score)
    }

    /// Removes `member`; returns its score.
    pub(super) fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let hash = key_hash(member);
        let removed = remove_in(&mut self.map, &mut self.kids, 0, hash, member)?;
        self.len = self.len.saturating_sub(1);
        Some(removed)
    }

    /// One ZSCAN step: members from hash `cursor` on, at least `count` of them unless the walk
    /// ends (members sharing a hash always come together), and the next cursor (0 at the end).
    pub(super) fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(Bytes, f64)>) {
        let mut out = Vec::new();
        let next = scan_in(self.map, &self.kids, 0, 0, cursor, count.max(1), &mut out);
        (next.unwrap_or(0), out)
    }

    /// Every `(member, score)`, in hash order. For tests.
    #[cfg(test)]
    fn entries(&self) -> Vec<(Bytes, f64)> {
        let mut out = Vec::new();
        scan_in(self.map, &self.kids, 0, 0, 0, usize::MAX, &mut out);
        out
    }

    /// Checks the trie's shape: every slot where its hash says, no empty or single-member child
    /// node, hash lists only for equal hashes, the count right. For tests.
    pub(super) fn check(&self) -> Result<(), String> {
        fn walk(
            map: u64,
            kids: &[Slot],
            depth: u32,
            prefix: u64,
            root: bool,
        ) -> Result<usize, String> {
            let count = used(map);
            if count > kids.len() {
                return Err(format!("map has {count} bits for {} slots", kids.len()));
            }
            for (i, slot) in kids.iter().enumerate() {
                if matches!(slot, Slot::Empty) != (i >= count) {
                    return Err(format!("slot {i} of {count} in use disagrees with the map"));
                }
            }
            if !root && count == 1 && !matches!(kids.first(), Some(Slot::Node { .. })) {
                return Err("a child node holding a single member".into());
            }
            let mut n = 0;
            let mut bits = map;
            for slot in kids.iter().take(count) {
                let idx = bits.trailing_zeros();
                bits &= bits - 1;
                let (_, low) = index(prefix, depth);
                let sub = prefix | (u64::from(idx)).checked_shl(low).unwrap_or(0);
                if let Some(h) = slot.hash() {
                    // The bits this node and its ancestors branch on must be the path's.
                    if h.checked_shr(low) != sub.checked_shr(low) {
                        return Err(format!("hash {h:#x} in the wrong slot"));
                    }
                }
                n += match slot {
                    Slot::Short { hash, .. } | Slot::Long { hash, .. } => {
                        if slot.member().map(key_hash) != Some(*hash) {
                            return Err("stale hash".into());
                        }
                        if matches!(slot, Slot::Long { member, .. } if member.len() <= INLINE) {
                            return Err("a short member stored out of line".into());
                        }
                        1
                    }
                    Slot::Many { hash, entries } => {
                        if entries.len() < 2 || entries.iter().any(|(m, _)| key_hash(m) != *hash) {
                            return Err("bad hash list".into());
                        }
                        entries.len()
                    }
                    Slot::Node { map, kids } => {
                        if *map == 0 {
                            return Err("empty child node".into());
                        }
                        walk(*map, kids, depth + 1, sub, false)?
                    }
                    Slot::Empty => 0,
                };
            }
            Ok(n)
        }
        let n = walk(self.map, &self.kids, 0, 0, true)?;
        if n != self.len {
            return Err(format!("index counts {} members, holds {n}", self.len));
        }
        Ok(())
    }
}

fn insert_in(
    map: &mut u64,
    kids: &mut Arc<[Slot]>,
    depth: u32,
    hash: u64,
    member: &Bytes,
    score: f64,
) -> Option<f64> {
    let (idx, _) = index(hash, depth);
    let bit = 1u64 << idx;
    let pos = position(*map, idx);
    if *map & bit == 0 {
        insert_slot(kids, used(*map), pos, Slot::single(hash, member, score));
        *map |= bit;
        return None;
    }
    let slot = Arc::make_mut(kids).get_mut(pos)?;
    match slot {
        Slot::Short { hash: h, .. } | Slot::Long { hash: h, .. } => {
            let h0 = *h;
            if h0 == hash && slot.member() == Some(&member[..]) {
                let s = slot.score_mut()?;
                return Some(std::mem::replace(s, score));
            }
            let old = std::mem::replace(
                slot,
                Slot::Node {
                    map: 0,
                    kids: Arc::from([]),
                },
            );
            *slot = if h0 == hash {
                let first = old.pair()?;
                Slot::Many {
                    hash,
                    entries: vec![first, (member.clone(), score)],
                }
            } else {
                Slot::two(depth + 1, old, h0, Slot::single(hash, member, score), hash)
            };
            None
        }
        Slot::Many { hash: h, entries } => {
            if *h == hash {
                if let Some((_, s)) = entries.iter_mut().find(|(m, _)| m == member) {
                    return Some(std::mem::replace(s, score));
                }
                entries.push((member.clone(), score));
                return None;
            }
            let h0 = *h;
            let old = std::mem::replace(
                slot,
                Slot::Node {
                    map: 0,
                    kids: Arc::from([]),
                },
            );
            *slot = Slot::two(depth + 1, old, h0, Slot::single(hash, member, score), hash);
            None
        }
        Slot::Node { map, kids } => insert_in(map, kids, depth + 1, hash, member, score),
        Slot::Empty => None,
    }
}

fn set_in(
    map: &mut u64,
    kids: &mut Arc<[Slot]>,
    depth: u32,
    hash: u64,
    member: &[u8],
    score: f64,
) -> Option<f64> {
    let (idx, _) = index(hash, depth);
    if *map & (1u64 << idx) == 0 {
        return None;
    }
    let pos = position(*map, idx);
    // Look before writing, so that a miss copies nothing.
    match kids.get(pos)? {
        Slot::Node { .. } => {}
        Slot::Empty => return None,
        slot @ (Slot::Short { hash: h, .. } | Slot::Long { hash: h, .. }) => {
            if *h != hash || slot.member() != Some(member) {
                return None;
            }
        }
        Slot::Many { hash: h, entries } => {
            if *h != hash || !entries.iter().any(|(m, _)| m[..] == *member) {
                return None;
            }
        }
    }
    match Arc::make_mut(kids).get_mut(pos)? {
        Slot::Node { map, kids } => set_in(map, kids, depth + 1, hash, member, score),
        Slot::Many { entries, .. } => {
            let (_, s) = entries.iter_mut().find(|(m, _)| m[..] == *member)?;
            Some(std::mem::replace(s, score))
        }
        slot => Some(std::mem::replace(slot.score_mut()?, score)),
    }
}

fn remove_in(
    map: &mut u64,
    kids: &mut Arc<[Slot]>,
    depth: u32,
    hash: u64,
    member: &[u8],
) -> Option<f64> {
    let (idx, _) = index(hash, depth);
    let bit = 1u64 << idx;
    if *map & bit == 0 {
        return None;
    }
    let pos = position(*map, idx);
    // Look before writing, so that a miss copies nothing.
    let slot = kids.get(pos)?;
    match slot {
        Slot::Short { hash: h, score, .. } | Slot::Long { hash: h, score, .. } => {
            if *h != hash || slot.member() != Some(member) {
                return None;
            }
            let removed = *score;
            remove_slot(kids, used(*map), pos);
            *map &= !bit;
            Some(removed)
        }
        Slot::Many { hash: h, entries } => {
            if *h != hash {
                return None;
            }
            let i = entries.iter().position(|(m, _)| m[..] == *member)?;
            let slot = Arc::make_mut(kids).get_mut(pos)?;
            let Slot::Many { entries, .. } = slot else {
                return None;
            };
            let (_, removed) = entries.remove(i);
            if entries.len() == 1 {
                if let Some((m, s)) = entries.pop() {
                    *slot = Slot::single(hash, &m, s);
                }
            }
            Some(removed)
        }
        Slot::Empty => None,
        Slot::Node { .. } => {
            let slot = Arc::make_mut(kids).get_mut(pos)?;
            let Slot::Node { map: m, kids: k } = slot else {
                return None;
            };
            let removed = remove_in(m, k, depth + 1, hash, member)?;
            // Keep the trie canonical: no empty child, no child holding a lone member.
            match used(*m) {
                0 => {
                    remove_slot(kids, used(*map), pos);
                    *map &= !bit;
                }
                1 if !matches!(k.first(), Some(Slot::Node { .. })) => {
                    if let Some(only) = k.first().cloned() {
                        *slot = only;
                    }
                }
                _ => {}
            }
            Some(removed)
        }
    }
}

/// Appends the members from hash `cursor` on, in hash order, until `out` holds `count` of them;
/// returns the hash of the first member left out, if any.
fn scan_in(
    map: u64,
    kids: &[Slot],
    depth: u32,
    prefix: u64,
    cursor: u64,
    count: usize,
    out: &mut Vec<(Bytes, f64)>,
) -> Option<u64> {
    let (_, low) = index(0, depth);
    let mut bits = map;
    for slot in kids.iter().take(used(map)) {
        let idx = bits.trailing_zeros();
        bits &= bits.wrapping_sub(1);
        let sub = prefix | u64::from(idx).checked_shl(low).unwrap_or(0);
        let last = sub | 1u64.checked_shl(low).map_or(u64::MAX, |b| b - 1);
        if last < cursor {
            continue;
        }
        match slot {
            Slot::Short { hash, .. } | Slot::Long { hash, .. } => {
                if *hash >= cursor {
                    if out.len() >= count {
                        return Some(*hash);
                    }
                    out.extend(slot.pair());
                }
            }
            Slot::Many { hash, entries } => {
                if *hash >= cursor {
                    if out.len() >= count {
                        return Some(*hash);
                    }
                    out.extend(entries.iter().cloned());
                }
            }
            Slot::Node { map, kids } => {
                if let Some(next) = scan_in(*map, kids, depth + 1, sub, cursor, count, out) {
                    return Some(next);
                }
            }
            Slot::Empty => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::bytes;

    #[test]
    fn index_reads_the_hash_from_the_top() {
        assert_eq!(index(u64::MAX, 0), (63, 58));
        assert_eq!(index(1u64 << 63, 0), (32, 58));
        assert_eq!(index(0b111111 << 52, 1), (63, 52));
        // The last level has the 4 bits that are left.
        assert_eq!(index(0xF, 10), (15, 0));
        assert_eq!(index(0xFF, 10), (15, 0));
    }

    #[test]
    fn two_separates_hashes_that_share_a_long_prefix() {
        let a = Slot::single(0x10, &bytes("a"), 1.0);
        let b = Slot::single(0x11, &bytes("b"), 2.0);
        let m = Members {
            map: 1,
            kids: Arc::from([Slot::two(1, a, 0x10, b, 0x11)]),
            len: 2,
        };
        // Built by hand under index 0 of the root: hashes 0x10 and 0x11 differ only in bit 0.
        let all = m.entries();
        assert_eq!(all.len(), 2);
        assert_eq!(&all[0].0[..], b"a");
        assert_eq!(&all[1].0[..], b"b");
    }

    #[test]
    fn short_members_live_in_the_slot_and_long_ones_outside() {
        assert_eq!(std::mem::size_of::<Slot>(), 40);
        let short = bytes([7u8; INLINE]);
        let long = bytes([7u8; INLINE + 1]);
        assert!(matches!(Slot::single(1, &short, 0.0), Slot::Short { .. }));
        assert!(matches!(Slot::single(1, &long, 0.0), Slot::Long { .. }));
        let mut m = Members::default();
        for member in [bytes(""), short.clone(), long.clone(), bytes("x")] {
            assert_eq!(m.insert(&member, 1.5), None);
            assert_eq!(m.get(&member), Some(1.5));
            assert_eq!(m.insert(&member, 2.5), Some(1.5));
        }
        assert_eq!(m.set(&long, 3.5), Some(2.5));
        assert_eq!(m.set(b"absent", 3.5), None);
        assert_eq!(m.get(&long), Some(3.5));
        assert_eq!(m.set(&long, 2.5), Some(3.5));
        // A prefix or an extension of a stored member is another member.
        assert_eq!(m.get(&[7u8; INLINE - 1]), None);
        assert_eq!(m.get(&[7u8; INLINE + 2]), None);
        m.check().unwrap();
        assert_eq!(m.remove(&long), Some(2.5));
        assert_eq!(m.remove(&short), Some(2.5));
        assert_eq!(m.remove(&short), None);
        assert_eq!(m.len(), 2);
        m.check().unwrap();
    }

    #[test]
    fn matches_a_hash_map_and_scans_in_hash_order() {
        let mut m = Members::default();
        let mut model = std::collections::HashMap::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for step in 0..60_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let name = format!("k{}", x % 20_000);
            match x % 7 {
                0..=3 => {
                    let s = f64::from(step);
                    // Some members too long to sit in their slot.
                    let name = if x.is_multiple_of(11) {
                        format!("{name}-and-a-long-tail-{}", x % 3)
                    } else {
                        name
                    };
                    assert_eq!(m.insert(&bytes(&name), s), model.insert(name.clone(), s));
                }
                4 | 5 => {
                    assert_eq!(m.remove(name.as_bytes()), model.remove(&name));
                }
                6 if step % 2 == 0 => {
                    let s = -f64::from(step);
                    let old = model.get_mut(&name).map(|v| std::mem::replace(v, s));
                    assert_eq!(m.set(name.as_bytes(), s), old);
                }
                _ => assert_eq!(m.get(name.as_bytes()), model.get(&name).copied()),
            }
            if step.is_multiple_of(5_000) {
                m.check().unwrap();
            }
        }
        m.check().unwrap();
        assert_eq!(m.len(), model.len());
        let all = m.entries();
        assert_eq!(all.len(), model.len());
        let hashes: Vec<u64> = all.iter().map(|(k, _)| key_hash(k)).collect();
        assert!(hashes.windows(2).all(|w| w[0] < w[1]), "hash order");
        // A scan in steps sees the same sequence.
        let mut seen = Vec::new();
        let mut cursor = 0;
        loop {
            let (next, items) = m.scan(cursor, 37);
            seen.extend(items);
            if next == 0 {
                break;
            }
            assert!(next > cursor);
            cursor = next;
        }
        assert_eq!(seen.len(), all.len());
        // Everything removed: back to an empty root.
        for k in model.keys() {
            assert!(m.remove(k.as_bytes()).is_some());
        }
        assert_eq!(m.len(), 0);
        assert_eq!(m.map, 0);
        m.check().unwrap();
    }

    #[test]
    fn arrays_grow_and_shrink_in_place_and_copy_when_shared() {
        let mut m = Members::default();
        for i in 0..3_000 {
            m.insert(&bytes(format!("base{i}")), 1.0);
        }
        let snap = m.clone();
        // Churn: the same few members come and go, with a snapshot taken now and then.
        let mut snaps = Vec::new();
        for round in 0..2_000 {
            let name = format!("new{}", round % 17);
            if round % 2 == 0 {
                assert_eq!(m.insert(&bytes(&name), f64::from(round)), None);
            } else {
                assert!(m
                    .remove(format!("new{}", (round - 1) % 17).as_bytes())
                    .is_some());
            }
            if round % 331 == 0 {
                snaps.push((m.clone(), m.len()));
            }
        }
        m.check().unwrap();
        assert_eq!(m.len(), 3_000);
        snap.check().unwrap();
        for (s, n) in &snaps {
            s.check().unwrap();
            assert_eq!(s.len(), *n);
        }
        // Mass removal shrinks the arrays again.
        for i in 0..2_990 {
            assert_eq!(m.remove(format!("base{i}").as_bytes()), Some(1.0));
        }
        m.check().unwrap();
        assert_eq!(m.len(), 10);
        assert!(
            m.kids.len() <= 16,
            "root array of {} slots for 10 members",
            m.kids.len()
        );
        assert_eq!(snap.len(), 3_000);
        snap.check().unwrap();
    }

    #[test]
    fn a_clone_keeps_its_members() {
        let mut m = Members::default();
        for i in 0..5_000 {
            m.insert(&bytes(format!("m{i}")), f64::from(i));
        }
        let snap = m.clone();
        for i in 0..5_000 {
            if i % 2 == 0 {
                m.remove(format!("m{i}").as_bytes());
            } else {
                m.insert(&bytes(format!("m{i}")), -1.0);
            }
        }
        snap.check().unwrap();
        m.check().unwrap();
        assert_eq!(snap.len(), 5_000);
        for i in 0..5_000 {
            assert_eq!(snap.get(format!("m{i}").as_bytes()), Some(f64::from(i)));
        }
        assert_eq!(m.len(), 2_500);
    }
}
