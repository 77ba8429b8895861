//! The member index of a sorted set: `member -> score`, persistent, ordered by the member's hash.
//!
//! ## Design
//! A trie over the 64-bit hash of each member ([`crate::keyspace::key_hash`]), whose bottom is
//! made of small hash tables. The hash is read from its most significant end: the root branches
//! on the top six bits, its children on the next six, and so on; everything is kept in hash
//! order, so an in-order walk visits members in increasing hash order. That is what lets ZSCAN's
//! cursor be simply "the next hash to visit": it stays meaningful whatever is written between two
//! calls, like the keyspace's SCAN.
//!
//! - A *node* has up to 64 children but stores only those present: a 64-bit map says which of the
//!   64 are there, and the present ones sit in a packed array, child `i` at position "number of
//!   set bits below bit `i`". The map sits next to the link to the array, in the parent's slot, so
//!   going down a level reads one slot. An array of 8 or more slots keeps a quarter spare, so a
//!   node nobody else holds gains and loses children in place.
//! - A child holding several members (up to 384) is a *table*: `2^k` cells (plus a few spare at
//!   the end), a member's "home" cell being the next `k` bits of its hash. A member sits at its
//!   home or just after it, runs of full cells are kept in hash order ("ordered linear probing"),
//!   and the table is never more than 3/4 full, so a lookup almost always reads the home cell or
//!   the next one and nothing else. Past 384 members a table becomes a node of smaller tables.
//! - A slot (40 bytes) holds a child node, a table, one member with its score and full hash, or
//!   the members sharing one full hash (a true 64-bit collision, kept together in a small list).
//!   A member of up to 22 bytes is stored in the slot itself: confirming a match then reads
//!   nothing but the slot. Longer members are shared with the sorted set's tree.
//!
//! Why tables at the bottom: at a million members the trie's upper levels (the root and its 64
//! children: 4096 slots, 160 KB) stay in the caches, and the members spread over tens of
//! megabytes do not. Two more trie levels would cost two cache misses per lookup, each often with
//! a page-table walk; a table costs one.
//!
//! Nodes and tables are shared through reference counts: a clone is O(1) and a write copies the
//! arrays on its path (a table whole, at most 520 cells) unless nobody else holds them
//! ([`std::sync::Arc::make_mut`]). A node or table left with a single member gives way to it, so
//! small sets stay shallow.
//!
//! ## Costs
//! Lookup, insertion and removal: one slot per trie level (about `log64(n / 200)` levels) and one
//! or two table cells; an insertion that fills a table rebuilds it twice as large or splits it
//! (amortized O(1) per insertion), a removal that empties one to an eighth rebuilds it smaller. A
//! ZSCAN step: O(levels × 64 + table size + count).

use std::sync::Arc;

use crate::keyspace::key_hash;
use crate::value::Bytes;

/// Hash bits consumed per level.
const BITS: u32 = 6;

/// Longest member kept inside its slot.
const INLINE: usize = 22;

/// Free cells after a table's last home position: a run of members that starts near the end of
/// the table continues there (a table never wraps around, which keeps it sorted by hash).
const PAD: usize = 8;

/// The largest table has `2^TABLE_BITS` home positions.
const TABLE_BITS: u32 = 9;

/// The most members a table takes before it turns into a node of smaller tables: 3/4 of the
/// largest table's home positions.
const TABLE_MAX: usize = 384;

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
    /// A hash table of up to [`TABLE_MAX`] member slots (`Short`, `Long` or `Many`), `used` of its
    /// cells full.
    Table { used: usize, cells: Arc<[Slot]> },
    /// A free slot at the end of a node's array, or a free cell of a table.
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

/// How many slots of a node with `map` are in use.
fn used(map: u64) -> usize {
    map.count_ones() as usize
}

/// Room for `n` slots in use: a quarter more for a node of 8 or more, so that a node that keeps
/// gaining and losing a member or two (the usual churn) does so in place.
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
        let free = std::iter::repeat_with(|| Slot::Empty).take(spare);
        match Arc::get_mut(kids) {
            // One allocation, filled straight from the old array (moved, or copied if shared).
            Some(k) => {
                let (a, b) = k.split_at_mut(pos.min(k.len()));
                let b = b.get_mut(..count - pos).unwrap_or(&mut []);
                a.iter_mut()
                    .map(std::mem::take)
                    .chain(std::iter::once(slot))
                    .chain(b.iter_mut().map(std::mem::take))
                    .chain(free)
                    .collect()
            }
            None => {
                let (a, b) = kids.split_at(pos.min(kids.len()));
                let b = b.get(..count - pos).unwrap_or(&[]);
                a.iter()
                    .cloned()
                    .chain(std::iter::once(slot))
                    .chain(b.iter().cloned())
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

    /// The hash of a member slot.
    fn hash(&self) -> Option<u64> {
        match self {
            Slot::Short { hash, .. } | Slot::Long { hash, .. } | Slot::Many { hash, .. } => {
                Some(*hash)
            }
            Slot::Node { .. } | Slot::Table { .. } | Slot::Empty => None,
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

    /// The score of `member` if this member slot holds it.
    fn score_of(&self, member: &[u8]) -> Option<f64> {
        match self {
            Slot::Short { score, .. } | Slot::Long { score, .. } => {
                (self.member() == Some(member)).then_some(*score)
            }
            Slot::Many { entries, .. } => entries
                .iter()
                .find(|(m, _)| m[..] == *member)
                .map(|(_, s)| *s),
            _ => None,
        }
    }

    /// Sets the score of `member` if this member slot holds it; returns the previous score.
    fn set_score(&mut self, member: &[u8], score: f64) -> Option<f64> {
        let here = self.member() == Some(member);
        match self {
            Slot::Short { score: s, .. } | Slot::Long { score: s, .. } if here => {
                Some(std::mem::replace(s, score))
            }
            Slot::Many { entries, .. } => {
                let (_, s) = entries.iter_mut().find(|(m, _)| m[..] == *member)?;
                Some(std::mem::replace(s, score))
            }
            _ => None,
        }
    }

    /// Every `(member, score)` of a member slot.
    fn pairs(&self, out: &mut Vec<(Bytes, f64)>) {
        match self {
            Slot::Short { score, .. } => {
                if let Some(m) = self.member() {
                    out.push((crate::value::bytes(m), *score));
                }
            }
            Slot::Long { member, score, .. } => out.push((member.clone(), *score)),
            Slot::Many { entries, .. } => out.extend(entries.iter().cloned()),
            _ => {}
        }
    }

    /// How many members a member slot holds.
    fn members(&self) -> usize {
        match self {
            Slot::Short { .. } | Slot::Long { .. } => 1,
            Slot::Many { entries, .. } => entries.len(),
            _ => 0,
        }
    }
}

// ---- tables ----
//
// A table with `2^k` home positions and [`PAD`] cells after them. A member's home is the next `k`
// bits of its hash after those its path consumed, so homes grow with hashes; a member sits at its
// home or, if that is taken, at the first cell after it, and members are kept in hash order
// within each run of full cells ("ordered linear probing"). The whole table is therefore sorted
// by hash, which is what ZSCAN walks, and a lookup starts at the home and stops at the first
// cell that is empty or holds a larger hash: at the loads a table keeps (at most 3/4), that is
// almost always the home cell or the next one, in the same cache line or the one after.

/// The number of home bits of a table of `len` cells.
fn table_bits(len: usize) -> u32 {
    // Tables have `2^k + PAD` cells, `k` at most 24; the bound keeps every shift in range.
    len.saturating_sub(PAD).trailing_zeros().min(30)
}

/// The home cell of `hash` in a table with `k` home bits, below a path that consumed `consumed`
/// bits of the hash.
fn home(hash: u64, consumed: u32, k: u32) -> usize {
    let rest = hash.checked_shl(consumed).unwrap_or(0);
    if k == 0 {
        0
    } else {
        usize::try_from(rest >> (64 - k.min(64))).unwrap_or(0)
    }
}

/// The hash bits a table below a node at `depth` starts from.
fn consumed(depth: u32) -> u32 {
    BITS.saturating_mul(depth + 1).min(64)
}

/// Where the members with `hash` are (`Ok`), or the cell where they would go (`Err`).
fn seek(cells: &[Slot], consumed: u32, hash: u64) -> Result<usize, usize> {
    let mut p = home(hash, consumed, table_bits(cells.len()));
    while let Some(h) = cells.get(p).and_then(Slot::hash) {
        match h.cmp(&hash) {
            std::cmp::Ordering::Less => p += 1,
            std::cmp::Ordering::Equal => return Ok(p),
            std::cmp::Ordering::Greater => return Err(p),
        }
    }
    Err(p)
}

/// Where the given member slots (in hash order) go in a table with `2^k` homes, or `None` if
/// they do not fit (a run would have to go past the last cell).
fn place(slots: &[Slot], consumed: u32, k: u32) -> Option<Vec<usize>> {
    let len = (1usize << k) + PAD;
    let mut at = Vec::with_capacity(slots.len());
    let mut next = 0;
    for s in slots {
        let p = home(s.hash()?, consumed, k).max(next);
        if p >= len {
            return None;
        }
        at.push(p);
        next = p + 1;
    }
    Some(at)
}

/// A table of `len` cells with the slots at the given cells.
fn fill(slots: Vec<Slot>, at: Vec<usize>, len: usize) -> Arc<[Slot]> {
    let mut slots = slots.into_iter().zip(at).peekable();
    (0..len)
        .map(|i| match slots.next_if(|(_, p)| *p == i) {
            Some((s, _)) => s,
            None => Slot::Empty,
        })
        .collect()
}

/// The slot for the given member slots (in hash order, at least one) below a node at `depth`:
/// the member itself if there is one, else a table sized for them (load at most 1/2), else, if
/// there are too many for a table, a node of smaller tables.
fn build_child(slots: Vec<Slot>, depth: u32) -> Slot {
    if slots.len() <= 1 {
        return slots.into_iter().next().unwrap_or_default();
    }
    // Hashes that agree on all their bits cannot be split by a node: past the last level a table
    // takes them all.
    let deepest = depth >= 64 / BITS;
    if slots.len() <= TABLE_MAX || deepest {
        let c = consumed(depth);
        let mut k = (2 * slots.len())
            .next_power_of_two()
            .trailing_zeros()
            .max(2);
        let top = if deepest { 24 } else { TABLE_BITS };
        while k <= top {
            if let Some(at) = place(&slots, c, k) {
                return Slot::Table {
                    used: slots.len(),
                    cells: fill(slots, at, (1usize << k) + PAD),
                };
            }
            k += 1;
        }
        if deepest {
            return Slot::Empty;
        }
    }
    // A node at depth + 1, its children grouped by their next 6 bits.
    let mut map = 0u64;
    let mut kids = Vec::new();
    let mut group: Vec<Slot> = Vec::new();
    let mut group_idx = None;
    for s in slots {
        let (idx, _) = index(s.hash().unwrap_or(0), depth + 1);
        if group_idx != Some(idx) {
            if !group.is_empty() {
                kids.push(build_child(std::mem::take(&mut group), depth + 1));
            }
            group_idx = Some(idx);
            map |= 1u64 << idx;
        }
        group.push(s);
    }
    if !group.is_empty() {
        kids.push(build_child(group, depth + 1));
    }
    Slot::Node {
        map,
        kids: Arc::from(kids),
    }
}

/// The member slots of a table, in hash order.
fn table_slots(cells: &Arc<[Slot]>) -> Vec<Slot> {
    cells
        .iter()
        .filter(|c| c.hash().is_some())
        .cloned()
        .collect()
}

/// Inserts into the table in `slot` (a `Table`) below a node at `depth`: in place if it has room,
/// else the table is rebuilt, larger or split into a node.
fn table_insert(slot: &mut Slot, depth: u32, hash: u64, member: &Bytes, score: f64) -> Option<f64> {
    let Slot::Table { used, cells } = slot else {
        return None;
    };
    let c = consumed(depth);
    match seek(cells, c, hash) {
        Ok(p) => {
            let cell = Arc::make_mut(cells).get_mut(p)?;
            if let Some(old) = cell.set_score(member, score) {
                return Some(old);
            }
            // Another member with the same full hash.
            let mut entries = Vec::new();
            cell.pairs(&mut entries);
            entries.push((member.clone(), score));
            *cell = Slot::Many { hash, entries };
            None
        }
        Err(p) => {
            let k = table_bits(cells.len());
            let room = (*used + 1) * 4 <= 3 << k;
            let free = cells
                .get(p..)
                .and_then(|rest| rest.iter().position(|c| matches!(c, Slot::Empty)));
            match (room, free) {
                (true, Some(f)) => {
                    let cells = Arc::make_mut(cells);
                    if let Some(run) = cells.get_mut(p..=p + f) {
                        run.rotate_right(1);
                        if let Some(first) = run.first_mut() {
                            *first = Slot::single(hash, member, score);
                        }
                    }
                    *used += 1;
                }
                _ => {
                    let mut slots = table_slots(cells);
                    let at = slots.partition_point(|s| s.hash().is_some_and(|h| h < hash));
                    slots.insert(at, Slot::single(hash, member, score));
                    *slot = build_child(slots, depth);
                }
            }
            None
        }
    }
}

/// Removes `member` from the table in `slot` below a node at `depth`; a table left with one
/// member gives way to it, a sparse one is rebuilt smaller.
fn table_remove(slot: &mut Slot, depth: u32, hash: u64, member: &[u8]) -> Option<f64> {
    let Slot::Table { used, cells } = slot else {
        return None;
    };
    let c = consumed(depth);
    let p = seek(cells, c, hash).ok()?;
    let cell = cells.get(p)?;
    let score = cell.score_of(member)?;
    let k = table_bits(cells.len());
    if cell.members() > 1 {
        if let Some(Slot::Many { entries, .. }) = Arc::make_mut(cells).get_mut(p) {
            entries.retain(|(m, _)| m[..] != *member);
            if let [(m, s)] = &entries[..] {
                let one = Slot::single(hash, m, *s);
                if let Some(cell) = Arc::make_mut(cells).get_mut(p) {
                    *cell = one;
                }
            }
        }
        return Some(score);
    }
    // Take the member out, then pull back the members after it that sit past their home.
    let cells_mut = Arc::make_mut(cells);
    let mut q = p;
    loop {
        let next_back = cells_mut
            .get(q + 1)
            .and_then(Slot::hash)
            .is_some_and(|h| home(h, c, k) <= q);
        if !next_back {
            break;
        }
        cells_mut.swap(q, q + 1);
        q += 1;
    }
    if let Some(cell) = cells_mut.get_mut(q) {
        *cell = Slot::Empty;
    }
    *used = used.saturating_sub(1);
    if *used <= 1 || (k > 2 && *used * 8 < 1 << k) {
        let slots = table_slots(cells);
        *slot = build_child(slots, depth);
    }
    Some(score)
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
                Slot::Node { map: m, kids: k } => {
                    map = *m;
                    kids = k;
                    depth += 1;
                }
                Slot::Table { cells, .. } => {
                    let p = seek(cells, consumed(depth), hash).ok()?;
                    return cells.get(p)?.score_of(member);
                }
                Slot::Empty => return None,
                _ => return (slot.hash() == Some(hash)).then(|| slot.score_of(member))?,
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

    /// Checks the trie's shape: every slot where its hash says, tables sorted with every member
    /// reachable from its home, no empty or single-member child node or table, hash lists only
    /// for equal hashes, the count right. For tests.
    pub(super) fn check(&self) -> Result<(), String> {
        check_node(self.map, &self.kids, 0, 0, true).and_then(|n| {
            if n == self.len {
                Ok(())
            } else {
                Err(format!("index counts {} members, holds {n}", self.len))
            }
        })
    }
}

/// Checks one member slot whose hash must start with the bits of `prefix` above bit `low`;
/// returns how many members it holds.
fn check_member(slot: &Slot, prefix: u64, low: u32) -> Result<usize, String> {
    let h = slot.hash().ok_or("not a member slot")?;
    if h.checked_shr(low) != prefix.checked_shr(low) {
        return Err(format!("hash {h:#x} in the wrong slot"));
    }
    match slot {
        Slot::Short { .. } | Slot::Long { .. } => {
            if slot.member().map(key_hash) != Some(h) {
                return Err("stale hash".into());
            }
            if matches!(slot, Slot::Long { member, .. } if member.len() <= INLINE) {
                return Err("a short member stored out of line".into());
            }
        }
        Slot::Many { entries, .. }
            if entries.len() < 2 || entries.iter().any(|(m, _)| key_hash(m) != h) =>
        {
            return Err("bad hash list".into());
        }
        _ => {}
    }
    Ok(slot.members())
}

fn check_table(
    used: usize,
    cells: &[Slot],
    depth: u32,
    prefix: u64,
    low: u32,
) -> Result<usize, String> {
    let k = table_bits(cells.len());
    if cells.len() != (1usize << k) + PAD {
        return Err(format!("table of {} cells", cells.len()));
    }
    let full = cells.iter().filter(|c| c.hash().is_some()).count();
    if full != used || used < 2 || (used * 4 > 3 << k && depth < 64 / BITS) {
        return Err(format!(
            "table of {k} home bits says {used} full, has {full}"
        ));
    }
    let c = consumed(depth);
    let mut n = 0;
    let mut last = None;
    for (p, cell) in cells.iter().enumerate() {
        let Some(h) = cell.hash() else {
            if !matches!(cell, Slot::Empty) {
                return Err("a table holding a node".into());
            }
            continue;
        };
        if last.is_some_and(|l| l >= h) {
            return Err("table out of hash order".into());
        }
        last = Some(h);
        let from = home(h, c, k);
        if from > p
            || cells
                .get(from..p)
                .is_some_and(|run| run.iter().any(|c| c.hash().is_none()))
        {
            return Err(format!(
                "hash {h:#x} at cell {p} unreachable from its home {from}"
            ));
        }
        n += check_member(cell, prefix, low)?;
    }
    Ok(n)
}

fn check_node(
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
    if !root && count == 1 && kids.first().is_some_and(|k| k.hash().is_some()) {
        return Err("a child node holding a single member".into());
    }
    let mut n = 0;
    let mut bits = map;
    for slot in kids.iter().take(count) {
        let idx = bits.trailing_zeros();
        bits &= bits - 1;
        let (_, low) = index(prefix, depth);
        let sub = prefix | (u64::from(idx)).checked_shl(low).unwrap_or(0);
        n += match slot {
            Slot::Node { map, kids } => {
                if *map == 0 {
                    return Err("empty child node".into());
                }
                check_node(*map, kids, depth + 1, sub, false)?
            }
            Slot::Table { used, cells } => check_table(*used, cells, depth, sub, low)?,
            Slot::Empty => 0,
            _ => check_member(slot, sub, low)?,
        };
    }
    Ok(n)
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
        Slot::Node { map, kids } => insert_in(map, kids, depth + 1, hash, member, score),
        Slot::Table { .. } => table_insert(slot, depth, hash, member, score),
        Slot::Empty => None,
        _ => {
            let h0 = slot.hash()?;
            if h0 == hash {
                if let Some(old) = slot.set_score(member, score) {
                    return Some(old);
                }
                // Another member with the same full hash.
                let mut entries = Vec::new();
                slot.pairs(&mut entries);
                entries.push((member.clone(), score));
                *slot = Slot::Many { hash, entries };
                return None;
            }
            let old = std::mem::take(slot);
            let new = Slot::single(hash, member, score);
            let pair = if h0 < hash {
                vec![old, new]
            } else {
                vec![new, old]
            };
            *slot = build_child(pair, depth);
            None
        }
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
        Slot::Table { cells, .. } => {
            let p = seek(cells, consumed(depth), hash).ok()?;
            cells.get(p)?.score_of(member)?;
        }
        Slot::Empty => return None,
        slot => {
            if slot.hash() != Some(hash) {
                return None;
            }
            slot.score_of(member)?;
        }
    }
    match Arc::make_mut(kids).get_mut(pos)? {
        Slot::Node { map, kids } => set_in(map, kids, depth + 1, hash, member, score),
        Slot::Table { cells, .. } => {
            let p = seek(cells, consumed(depth), hash).ok()?;
            Arc::make_mut(cells).get_mut(p)?.set_score(member, score)
        }
        slot => slot.set_score(member, score),
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
    match kids.get(pos)? {
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
                1 if k.first().is_some_and(|s| s.hash().is_some()) => {
                    if let Some(only) = k.first().cloned() {
                        *slot = only;
                    }
                }
                _ => {}
            }
            Some(removed)
        }
        Slot::Table { cells, .. } => {
            let p = seek(cells, consumed(depth), hash).ok()?;
            cells.get(p)?.score_of(member)?;
            let slot = Arc::make_mut(kids).get_mut(pos)?;
            let removed = table_remove(slot, depth, hash, member)?;
            if matches!(slot, Slot::Empty) {
                remove_slot(kids, used(*map), pos);
                *map &= !bit;
            }
            Some(removed)
        }
        slot => {
            if slot.hash() != Some(hash) {
                return None;
            }
            let removed = slot.score_of(member)?;
            if slot.members() == 1 {
                remove_slot(kids, used(*map), pos);
                *map &= !bit;
                return Some(removed);
            }
            let slot = Arc::make_mut(kids).get_mut(pos)?;
            if let Slot::Many { entries, .. } = slot {
                entries.retain(|(m, _)| m[..] != *member);
                if let [(m, s)] = &entries[..] {
                    *slot = Slot::single(hash, &m.clone(), *s);
                }
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
            Slot::Node { map, kids } => {
                if let Some(next) = scan_in(*map, kids, depth + 1, sub, cursor, count, out) {
                    return Some(next);
                }
            }
            Slot::Table { cells, .. } => {
                for cell in cells.iter() {
                    let Some(h) = cell.hash() else { continue };
                    if h >= cursor {
                        if out.len() >= count {
                            return Some(h);
                        }
                        cell.pairs(out);
                    }
                }
            }
            Slot::Empty => {}
            _ => {
                let Some(h) = slot.hash() else { continue };
                if h >= cursor {
                    if out.len() >= count {
                        return Some(h);
                    }
                    slot.pairs(out);
                }
            }
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
    fn two_members_in_one_slot_make_a_table() {
        let a = Slot::single(0x10, &bytes("a"), 1.0);
        let b = Slot::single(0x11, &bytes("b"), 2.0);
        let t = build_child(vec![a, b], 0);
        let Slot::Table { used, cells } = &t else {
            panic!("{t:?}")
        };
        assert_eq!((*used, cells.len()), (2, 4 + PAD));
        // Hashes 0x10 and 0x11 agree on every bit a small table looks at: a run from cell 0.
        assert_eq!(cells[0].hash(), Some(0x10));
        assert_eq!(cells[1].hash(), Some(0x11));
        let m = Members {
            map: 1,
            kids: Arc::from([t]),
            len: 2,
        };
        let all = m.entries();
        assert_eq!(all.len(), 2);
        assert_eq!(&all[0].0[..], b"a");
        assert_eq!(&all[1].0[..], b"b");
    }

    /// Members whose hashes share their top 12 bits all land in one slot of one child of the
    /// root: past 384 of them the table there splits into a node of smaller tables; they can
    /// all be found, changed and removed again.
    #[test]
    fn a_crowded_slot_splits_into_a_node_of_tables() {
        let mut crowd = Vec::new();
        let target = key_hash(b"x0") >> 52;
        let mut i = 0u32;
        while crowd.len() < 600 {
            let name = format!("x{i}");
            if key_hash(name.as_bytes()) >> 52 == target {
                crowd.push(bytes(name));
            }
            i += 1;
        }
        let mut m = Members::default();
        for (j, name) in crowd.iter().enumerate() {
            assert_eq!(m.insert(name, j as f64), None);
            if j % 50 == 0 {
                m.check().unwrap();
            }
        }
        m.check().unwrap();
        let Some(Slot::Node { kids, .. }) = m.kids.first() else {
            panic!("the root's only child should be a node")
        };
        assert!(
            kids.iter().any(|k| matches!(k, Slot::Node { .. })),
            "600 members of one 12-bit prefix need a node below it"
        );
        let snap = m.clone();
        for (j, name) in crowd.iter().enumerate() {
            assert_eq!(m.get(name), Some(j as f64));
            assert_eq!(m.set(name, -(j as f64)), Some(j as f64));
        }
        let all = m.entries();
        assert_eq!(all.len(), 600);
        assert!(all
            .windows(2)
            .all(|w| key_hash(&w[0].0) < key_hash(&w[1].0)));
        for (j, name) in crowd.iter().enumerate() {
            assert_eq!(m.remove(name), Some(-(j as f64)));
            if j % 50 == 0 {
                m.check().unwrap();
            }
        }
        assert_eq!((m.len(), m.map), (0, 0));
        snap.check().unwrap();
        assert_eq!(snap.get(&crowd[599]), Some(599.0));
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
