//! A persistent order-statistic B-tree: a sorted collection that also answers "what is the k-th
//! element?" and "how many elements come before this one?" in O(log n), and whose copies cost
//! O(1).
//!
//! ## Why not a skiplist, and why not a binary tree
//! Redis keeps a sorted set in a skiplist whose links carry spans, which answers rank queries. The
//! engine needs one thing a skiplist cannot give cheaply: an O(1) copy (a snapshot of the whole
//! keyspace is a handful of pointer copies). A tree whose nodes are shared through reference
//! counts gives both: a write copies only the nodes on the path it walks ("path copying") and
//! untouched subtrees stay shared between the old and the new version.
//! [`std::sync::Arc::make_mut`] makes the copy lazy: a node nobody else holds is updated in place.
//!
//! A *binary* tree would do all that, but at a million items its paths are 20 to 45 nodes long,
//! and once a tree outgrows the caches every node on the path is a miss, each costing 100 to
//! 250 ns (a trip to main memory, often a page-table walk too). A B-tree keeps up to [`MAX`]
//! items side by side in each node, so the same million items sit in a tree of height 5 whose top
//! three levels stay cached: a search pays for two or three nodes instead of dozens.
//!
//! ## Shape
//! - A *leaf* holds 1..=[`MAX`] items in increasing order.
//! - An *inner* node holds m items (1..=[`MAX`]) and m + 1 children: every item of child `i` comes
//!   before item `i`, which comes before every item of child `i + 1`.
//! - Every node but the root holds at least [`MIN`] items, and all leaves are at the same depth.
//!   A tree of n items therefore has height at most `1 + log_(MIN+1)((n + 1) / 2)`: 5 at a
//!   million items, 8 at a billion. Every recursion here is as deep as the tree, no deeper.
//! - An inner node also stores, for each child, a running count `ends[i]` = the number of items of
//!   its subtree that come before item `i` (for the last child: the subtree's size). That is what
//!   turns every search into a rank query: descending into child `i` skips `ends[i - 1] + 1`
//!   items, read from the node itself, so a rank query touches only the nodes on its path.
//!
//! ## Searching a node: keys, tags, and counting instead of bisecting
//! Items are stored inline in their node (arrays of slots, not separate allocations), and next to
//! them each node keeps a compact array of the items' *keys* ([`Keyed`]: for a sorted set, the
//! scores). A search scans the keys of the whole node and counts those below the one sought,
//! instead of bisecting the items: none of those loads depends on another, so the processor
//! fetches the node's few cache lines of keys at once rather than one miss per probe, and the
//! comparisons vectorize with no branch to mispredict. Where keys tie, a second array of *tags*
//! decides (for a sorted set, the members' first 8 bytes); only where tags tie too does the search
//! read an item itself (for a sorted set, a member's bytes: its own allocation, a likely miss).
//! Nodes are laid out (`repr(C)`) with what a search reads first: the length and keys of a leaf,
//! the child links and counts of an inner node, and the items last. In an inner node the search
//! also starts fetching the child links while it reads the keys (one load per cache line of
//! links, which depends on nothing), so the link it then follows is already on its way: going
//! down a level costs one wait for memory rather than two. Items move between nodes (splits,
//! merges, rotations) together with their keys and tags, which are never asked of them again.
//!
//! Callers that already know an item is present (a sorted set learns it from its member index)
//! can ask for its rank, remove it, or move it to a new key by key and tag alone
//! ([`OsTree::rank_present_by`], [`OsTree::remove_known_by`], [`OsTree::update_known_by`]): when a
//! single item of the leaf has that key, it is the one, and it is not read at all.
//!
//! ## Updates
//! An insertion goes down to a leaf; a full node (MAX + 1 items) splits into two halves and hands
//! its middle item up to its parent, which may split in turn; a root that splits grows the tree
//! by one level. A removal takes the item out of its leaf (an item of an inner node is replaced by
//! its predecessor, the last item of the leaf before it); a node left with fewer than MIN items
//! borrows one from a sibling through the parent or, if the sibling has none to spare, merges with
//! it. Both stay on one root-to-leaf path, touching a sibling at most per level.
//!
//! ## Split and join
//! [`OsTree::remove_range`] cuts a run of ranks out by *splitting* the tree at both ends and
//! *joining* the outer parts. Joining two trees around a separator item hangs the shorter tree off
//! the taller one's edge at the matching height (one split per level at most on the way back up),
//! in O(height difference + 1); splitting at a rank joins the pieces found on the way down, whose
//! heights telescope, so both are O(log n), and the run cut out comes back as a tree, with no
//! per-item work. A short run (up to 32 items: a pop, a small ZREMRANGEBYRANK) is instead removed
//! item by item, which is cheaper than two splits and a join at that size.
//!
//! ## Operations and costs
//! | operation | cost |
//! |---|---|
//! | [`OsTree::insert`], [`OsTree::remove`], [`OsTree::pop_first`], [`OsTree::pop_last`] | O(log n) |
//! | [`OsTree::get`] (select by rank), [`OsTree::rank`], [`OsTree::partition_point`] | O(log n) |
//! | [`OsTree::iter_from`] (walk m items from any rank, either direction) | O(log n + m) |
//! | [`OsTree::remove_range`] of k items | O(log n); O(k log n) for k <= 32 |
//! | [`OsTree::from_sorted`] | O(n) |
//! | `clone` | O(1) |
//!
//! Each O(log n) step works on a node of up to 31 items: O(31) arithmetic on data already in the
//! cache, which is cheap next to fetching the node.

use std::cmp::Ordering;
use std::sync::Arc;

/// Most items a node holds.
pub const MAX: usize = 31;
/// Fewest items a node other than the root holds.
pub const MIN: usize = MAX / 2;
/// Most children an inner node has.
const KIDS: usize = MAX + 1;
/// Where a full node splits: the left half keeps `MID` items, the right half the rest.
const MID: usize = MAX.div_ceil(2);
/// A range of at most this many items is removed item by item rather than by split and join.
const SHORT_RANGE: usize = 32;

// =================================================================================================
// Slots: a fixed-capacity inline array
// =================================================================================================

/// Up to `N` values stored inline: slots `0..len` are full, the others empty. Every method checks
/// its bounds and does nothing (or answers `None`) when asked for something out of range.
#[derive(Clone, Debug)]
struct Slots<T, const N: usize> {
    len: usize,
    a: [Option<T>; N],
}

impl<T, const N: usize> Slots<T, N> {
    fn new() -> Self {
        Slots {
            len: 0,
            a: std::array::from_fn(|_| None),
        }
    }

    /// The full slots.
    fn full(&self) -> &[Option<T>] {
        self.a.get(..self.len).unwrap_or(&[])
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.full().get(i)?.as_ref()
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.a.get_mut(..self.len)?.get_mut(i)?.as_mut()
    }

    fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.full().iter().flatten()
    }

    /// Inserts at `i` (`i <= len < N`), shifting the later values right.
    fn insert(&mut self, i: usize, x: T) {
        if i > self.len || self.len >= N {
            return;
        }
        if let Some(s) = self.a.get_mut(i..=self.len) {
            s.rotate_right(1);
            if let Some(first) = s.first_mut() {
                *first = Some(x);
                self.len += 1;
            }
        }
    }

    fn push(&mut self, x: T) {
        self.insert(self.len, x);
    }

    /// Removes the value at `i`, shifting the later values left.
    fn remove(&mut self, i: usize) -> Option<T> {
        let s = self.a.get_mut(i..self.len)?;
        let x = s.first_mut()?.take();
        s.rotate_left(1);
        self.len -= 1;
        x
    }

    fn pop(&mut self) -> Option<T> {
        let i = self.len.checked_sub(1)?;
        self.remove(i)
    }

    /// Moves every value of `other` to the end of this run (as many as fit).
    fn append(&mut self, other: &mut Self) {
        for x in other.a.iter_mut().take(other.len) {
            if let Some(x) = x.take() {
                self.push(x);
            }
        }
        other.len = 0;
    }

    fn into_vec(self) -> Vec<T> {
        let len = self.len;
        self.a.into_iter().take(len).flatten().collect()
    }

    fn from_vec(v: Vec<T>) -> Self {
        let mut s = Slots::new();
        for x in v {
            s.push(x);
        }
        s
    }
}

/// An item an [`OsTree`] can hold: totally ordered, with a small copyable *key* that orders it
/// coarsely. Nodes keep their items' keys in an array of their own, so a search scans a few
/// contiguous cache lines of keys (which the processor fetches together and compares several at
/// a time) and looks at whole items only where keys tie.
///
/// The key must agree with the order: `a.key() < b.key()` implies `a < b`, and equal items have
/// equal keys. Keys of items stored together must compare (no NaN).
///
/// Items with equal keys can also have a *tag*, kept in a second array and read only when keys
/// tie: among items with equal keys, a smaller tag must mean a smaller item (a sorted set's
/// entries tag themselves with the first bytes of their member, so equal scores rarely send a
/// search to the members themselves).
pub trait Keyed: Ord + Clone {
    type Key: Copy + PartialOrd + Default + std::fmt::Debug;
    fn key(&self) -> Self::Key;
    fn tag(&self) -> u64 {
        0
    }
}

/// An item with its key and tag, the way items travel from node to node: splits, merges and
/// rotations move keys and tags along instead of asking the items again (which, for a sorted
/// set, would read each member's bytes from memory).
#[derive(Debug)]
struct Full<T: Keyed> {
    item: T,
    key: T::Key,
    tag: u64,
}

impl<T: Keyed> Full<T> {
    fn new(item: T) -> Self {
        Full {
            key: item.key(),
            tag: item.tag(),
            item,
        }
    }
}

/// The items of a node, with their keys alongside: slots `0..len` are full, the others empty.
/// Laid out in this order (`repr(C)`): a search reads the length and the keys, which come
/// first, and only rarely the items.
#[derive(Clone, Debug)]
#[repr(C)]
struct Items<T: Keyed> {
    len: usize,
    keys: [T::Key; MAX],
    tags: [u64; MAX],
    a: [Option<T>; MAX],
}

impl<T: Keyed> Items<T> {
    fn new() -> Self {
        Items {
            len: 0,
            keys: [T::Key::default(); MAX],
            tags: [0; MAX],
            a: std::array::from_fn(|_| None),
        }
    }

    fn is_full(&self) -> bool {
        self.len >= MAX
    }

    fn full(&self) -> &[Option<T>] {
        self.a.get(..self.len).unwrap_or(&[])
    }

    fn keys(&self) -> &[T::Key] {
        self.keys.get(..self.len).unwrap_or(&[])
    }

    fn tag(&self, i: usize) -> u64 {
        self.tags.get(i).copied().unwrap_or(0)
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.full().get(i)?.as_ref()
    }

    fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.full().iter().flatten()
    }

    /// Inserts at `i` (`i <= len < MAX`), shifting the later items right.
    fn insert(&mut self, i: usize, x: Full<T>) {
        if i > self.len || self.len >= MAX {
            return;
        }
        if let (Some(k), Some(t), Some(s)) = (
            self.keys.get_mut(i..=self.len),
            self.tags.get_mut(i..=self.len),
            self.a.get_mut(i..=self.len),
        ) {
            k.rotate_right(1);
            t.rotate_right(1);
            s.rotate_right(1);
            if let (Some(k0), Some(t0), Some(s0)) = (k.first_mut(), t.first_mut(), s.first_mut()) {
                *k0 = x.key;
                *t0 = x.tag;
                *s0 = Some(x.item);
                self.len += 1;
            }
        }
    }

    fn push(&mut self, x: Full<T>) {
        self.insert(self.len, x);
    }

    /// Removes the item at `i`, shifting the later items left.
    fn remove(&mut self, i: usize) -> Option<Full<T>> {
        let s = self.a.get_mut(i..self.len)?;
        let item = s.first_mut()?.take()?;
        s.rotate_left(1);
        let (key, tag) = (self.keys.get(i).copied()?, self.tag(i));
        if let Some(k) = self.keys.get_mut(i..self.len) {
            k.rotate_left(1);
        }
        if let Some(t) = self.tags.get_mut(i..self.len) {
            t.rotate_left(1);
        }
        self.len -= 1;
        Some(Full { item, key, tag })
    }

    fn pop(&mut self) -> Option<Full<T>> {
        let i = self.len.checked_sub(1)?;
        self.remove(i)
    }

    /// Puts `x` in place of the item at `i` and returns that item.
    fn replace(&mut self, i: usize, x: Full<T>) -> Option<Full<T>> {
        let slot = self.a.get_mut(..self.len)?.get_mut(i)?;
        let (k, t) = (self.keys.get_mut(i)?, self.tags.get_mut(i)?);
        let old = Full {
            item: slot.replace(x.item)?,
            key: std::mem::replace(k, x.key),
            tag: std::mem::replace(t, x.tag),
        };
        Some(old)
    }

    /// Moves the items from `at` on into a new run.
    fn split_off(&mut self, at: usize) -> Self {
        let mut out = Items::new();
        if at < self.len {
            if let (Some(src), Some(keys), Some(tags)) = (
                self.a.get_mut(at..self.len),
                self.keys.get(at..self.len),
                self.tags.get(at..self.len),
            ) {
                for (dst, src) in out.a.iter_mut().zip(src.iter_mut()) {
                    *dst = src.take();
                }
                out.keys.iter_mut().zip(keys).for_each(|(d, s)| *d = *s);
                out.tags.iter_mut().zip(tags).for_each(|(d, s)| *d = *s);
            }
            out.len = self.len - at;
            self.len = at;
        }
        out
    }

    /// Moves every item of `other` to the end of this run (as many as fit).
    fn append(&mut self, other: &mut Self) {
        for x in std::mem::replace(other, Items::new()).into_vec() {
            self.push(x);
        }
    }

    fn into_vec(mut self) -> Vec<Full<T>> {
        let (len, keys, tags) = (self.len, self.keys, self.tags);
        self.a
            .iter_mut()
            .take(len)
            .zip(keys.iter().zip(tags.iter()))
            .filter_map(|(s, (k, t))| {
                s.take().map(|item| Full {
                    item,
                    key: *k,
                    tag: *t,
                })
            })
            .collect()
    }

    fn from_vec(v: Vec<Full<T>>) -> Self {
        let mut s = Items::new();
        for x in v {
            s.push(x);
        }
        s
    }
}

/// Searches a node for `item`: `Ok(i)` if found, else `Err(i)` where it belongs.
#[inline]
fn find<T: Keyed>(items: &Items<T>, item: &T) -> Result<usize, usize> {
    find_by(items, item.key(), item.tag(), |x| x.cmp(item))
}

/// Searches a node for the item with key `kx` and tag `tx` which `cmp` (an item's order relative
/// to the one sought) calls equal. Counts the keys below `kx` over the whole node rather than
/// bisecting: the loads do not depend on one another (no cache miss waits for the previous one,
/// no branch to mispredict) and the comparisons vectorize. Where keys tie, tags decide, and only
/// where tags tie too are items compared.
#[inline]
fn find_by<T: Keyed>(
    items: &Items<T>,
    kx: T::Key,
    tx: u64,
    mut cmp: impl FnMut(&T) -> Ordering,
) -> Result<usize, usize> {
    let keys = items.keys();
    let mut i: usize = keys.iter().map(|k| usize::from(*k < kx)).sum();
    while let Some(k) = keys.get(i) {
        if kx < *k {
            break;
        }
        let order = match items.tag(i).cmp(&tx) {
            Ordering::Equal => match items.get(i) {
                Some(x) => cmp(x),
                None => break,
            },
            o => o,
        };
        match order {
            Ordering::Less => i += 1,
            Ordering::Equal => return Ok(i),
            Ordering::Greater => break,
        }
    }
    Err(i)
}

/// How many of a node's leading keys satisfy `pred` (true for a prefix of them).
#[inline]
fn count_keys<K: Copy>(keys: &[K], mut pred: impl FnMut(K) -> bool) -> usize {
    keys.iter().map(|k| usize::from(pred(*k))).sum()
}

/// How many of a node's items satisfy `pred` (true for a prefix of them).
#[inline]
fn count_while<T>(items: &[Option<T>], mut pred: impl FnMut(&T) -> bool) -> usize {
    items.partition_point(|x| x.as_ref().is_some_and(&mut pred))
}

// =================================================================================================
// Nodes
// =================================================================================================

type Leaf<T> = Items<T>;

/// An inner node. A descent reads the keys, then one child link and one count: those come first
/// and the items last (`repr(C)`), so the part a search touches is compact.
#[derive(Clone, Debug)]
#[repr(C)]
struct Inner<T: Keyed> {
    kids: Slots<Kid<T>, KIDS>,
    /// `ends[i]`: the number of items of this subtree in children `0..=i` and items `0..i`, which
    /// is the rank of item `i` within the subtree; for the last child, the subtree's size.
    ends: [usize; KIDS],
    items: Items<T>,
}

/// A child link; all the children of one node are at the same height, so they are either all
/// leaves or all inner nodes.
#[derive(Debug)]
enum Kid<T: Keyed> {
    Leaf(Arc<Leaf<T>>),
    Inner(Arc<Inner<T>>),
}

impl<T: Keyed> Clone for Kid<T> {
    fn clone(&self) -> Self {
        match self {
            Kid::Leaf(l) => Kid::Leaf(Arc::clone(l)),
            Kid::Inner(n) => Kid::Inner(Arc::clone(n)),
        }
    }
}

impl<T: Keyed> Kid<T> {
    /// Items in this subtree.
    fn len(&self) -> usize {
        match self {
            Kid::Leaf(l) => l.len,
            Kid::Inner(n) => n.size(),
        }
    }

    /// Items in this node itself.
    fn items_len(&self) -> usize {
        match self {
            Kid::Leaf(l) => l.len,
            Kid::Inner(n) => n.items.len,
        }
    }

    fn height(&self) -> usize {
        let mut h = 1;
        let mut cur = self;
        while let Kid::Inner(n) = cur {
            h += 1;
            match n.kids.get(0) {
                Some(k) => cur = k,
                None => break,
            }
        }
        h
    }

    fn leaf_of(item: Full<T>) -> Kid<T> {
        let mut l = Items::new();
        l.push(item);
        Kid::Leaf(Arc::new(l))
    }
}

impl<T: Keyed> Inner<T> {
    fn new() -> Self {
        Inner {
            items: Items::new(),
            kids: Slots::new(),
            ends: [0; KIDS],
        }
    }

    /// Builds a node from its parts and the sizes of its children.
    fn from_parts(items: Vec<Full<T>>, kids: Vec<Kid<T>>, sizes: &[usize]) -> Self {
        let mut n = Inner {
            items: Items::from_vec(items),
            kids: Slots::from_vec(kids),
            ends: [0; KIDS],
        };
        n.set_sizes(sizes);
        n
    }

    /// Takes the node apart: items, children and the children's sizes.
    fn into_parts(self) -> (Vec<Full<T>>, Vec<Kid<T>>, Vec<usize>) {
        let sizes: Vec<usize> = (0..self.kids.len).map(|i| self.kid_size(i)).collect();
        (self.items.into_vec(), self.kids.into_vec(), sizes)
    }

    fn end(&self, i: usize) -> usize {
        self.ends.get(i).copied().unwrap_or(0)
    }

    /// Rank (within this subtree) of the first item of child `i`.
    fn start(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            Some(p) => self.end(p).wrapping_add(1),
            None => 0,
        }
    }

    fn kid_size(&self, i: usize) -> usize {
        self.end(i).wrapping_sub(self.start(i))
    }

    fn size(&self) -> usize {
        self.kids.len.checked_sub(1).map_or(0, |i| self.end(i))
    }

    /// The sizes of the children, in order.
    fn sizes(&self) -> [usize; KIDS] {
        let mut s = [0; KIDS];
        for (i, v) in s.iter_mut().enumerate().take(self.kids.len) {
            *v = self.kid_size(i);
        }
        s
    }

    /// Recomputes `ends` from the sizes of the children.
    fn set_sizes(&mut self, sizes: &[usize]) {
        let mut acc: usize = 0;
        for (i, (e, s)) in self.ends.iter_mut().zip(sizes).enumerate() {
            if i >= self.kids.len {
                break;
            }
            acc = acc.wrapping_add(*s);
            *e = acc;
            acc = acc.wrapping_add(1);
        }
    }

    /// Records that child `i` now holds `new` items. (Wrapping arithmetic: the results are exact
    /// because every true intermediate count is within range.)
    fn set_kid_size(&mut self, i: usize, new: usize) {
        let old = self.kid_size(i);
        if let Some(s) = self.ends.get_mut(i..self.kids.len) {
            for e in s {
                *e = e.wrapping_sub(old).wrapping_add(new);
            }
        }
    }

    /// Adds `d` to the counts from child `i` on (one item more below child `i`).
    fn add_from(&mut self, i: usize, d: usize) {
        if let Some(s) = self.ends.get_mut(i..self.kids.len) {
            for e in s {
                *e = e.wrapping_add(d);
            }
        }
    }

    fn sub_from(&mut self, i: usize, d: usize) {
        if let Some(s) = self.ends.get_mut(i..self.kids.len) {
            for e in s {
                *e = e.wrapping_sub(d);
            }
        }
    }

    /// Starts fetching the node's child links alongside its keys: a search needs one link, but
    /// which one is known only once the keys are read, so reading one byte of each cache line
    /// of links now (loads that depend on nothing) saves waiting for that line afterwards.
    #[inline]
    fn fetch_links(&self) {
        let per_line = (64 / std::mem::size_of::<Option<Kid<T>>>()).max(1);
        std::hint::black_box(
            self.kids
                .a
                .iter()
                .step_by(per_line)
                .take(self.kids.len.div_ceil(per_line))
                .filter(|k| k.is_some())
                .count(),
        );
    }

    /// The child whose ranks contain `k`, or just before whose following item `k` lies: the first
    /// `i` with `k <= ends[i]`.
    fn kid_for_rank(&self, k: usize) -> usize {
        let ends = self.ends.get(..self.kids.len).unwrap_or(&[]);
        ends.partition_point(|&e| e < k)
            .min(self.kids.len.saturating_sub(1))
    }

    /// Inserts `item` at item position `item_at` and `kid` at child position `kid_at` (`item_at`
    /// or `item_at + 1`). A full node splits: it keeps the left half and returns the middle item
    /// and the right half.
    fn insert_pair(&mut self, item_at: usize, kid_at: usize, item: Full<T>, kid: Kid<T>) -> Ins<T> {
        let ks = kid.len();
        if !self.items.is_full() {
            let mut sizes = self.sizes();
            if let Some(s) = sizes.get_mut(kid_at..=self.kids.len) {
                s.rotate_right(1);
                if let Some(f) = s.first_mut() {
                    *f = ks;
                }
            }
            self.items.insert(item_at, item);
            self.kids.insert(kid_at, kid);
            self.set_sizes(&sizes);
            return Ins::Done;
        }
        // Full: MAX + 1 items and MAX + 2 children, split around item MID.
        let (mut items, mut kids, mut sizes) = std::mem::replace(self, Inner::new()).into_parts();
        items.insert(item_at.min(items.len()), item);
        let kid_at = kid_at.min(kids.len());
        kids.insert(kid_at, kid);
        sizes.insert(kid_at, ks);
        let right_items = items.split_off((MID + 1).min(items.len()));
        let right_kids = kids.split_off((MID + 1).min(kids.len()));
        let right_sizes = sizes.split_off((MID + 1).min(sizes.len()));
        let med = items.pop();
        *self = Inner::from_parts(items, kids, &sizes);
        let right = Inner::from_parts(right_items, right_kids, &right_sizes);
        match med {
            Some(med) => Ins::Split(med, Kid::Inner(Arc::new(right))),
            None => Ins::Done,
        }
    }
}

impl<T: Keyed> Inner<T> {
    /// Moves one item from child `p + 1` to child `p`, through separator `p`.
    fn rotate_left(&mut self, p: usize) -> bool {
        let (l, r) = self.kids.a.split_at_mut(p + 1);
        let (Some(Some(a)), Some(Some(b))) = (l.last_mut(), r.first_mut()) else {
            return false;
        };
        let sep = &mut self.items;
        let moved = match (a, b) {
            (Kid::Leaf(a), Kid::Leaf(b)) => {
                let Some(x) = Arc::make_mut(b).remove(0) else {
                    return false;
                };
                let Some(s) = sep.replace(p, x) else {
                    return false;
                };
                Arc::make_mut(a).push(s);
                1
            }
            (Kid::Inner(a), Kid::Inner(b)) => {
                let b = Arc::make_mut(b);
                let mut bs = b.sizes();
                let (Some(x), Some(k)) = (b.items.remove(0), b.kids.remove(0)) else {
                    return false;
                };
                let ks = bs.first().copied().unwrap_or(0);
                bs.rotate_left(1);
                b.set_sizes(&bs);
                let Some(s) = sep.replace(p, x) else {
                    return false;
                };
                let a = Arc::make_mut(a);
                let mut as_ = a.sizes();
                if let Some(slot) = as_.get_mut(a.kids.len) {
                    *slot = ks;
                }
                a.items.push(s);
                a.kids.push(k);
                a.set_sizes(&as_);
                ks + 1
            }
            _ => return false,
        };
        if let Some(e) = self.ends.get_mut(p) {
            *e = e.wrapping_add(moved);
        }
        true
    }

    /// Moves one item from child `p` to child `p + 1`, through separator `p`.
    fn rotate_right(&mut self, p: usize) -> bool {
        let (l, r) = self.kids.a.split_at_mut(p + 1);
        let (Some(Some(a)), Some(Some(b))) = (l.last_mut(), r.first_mut()) else {
            return false;
        };
        let sep = &mut self.items;
        let moved = match (a, b) {
            (Kid::Leaf(a), Kid::Leaf(b)) => {
                let Some(x) = Arc::make_mut(a).pop() else {
                    return false;
                };
                let Some(s) = sep.replace(p, x) else {
                    return false;
                };
                Arc::make_mut(b).insert(0, s);
                1
            }
            (Kid::Inner(a), Kid::Inner(b)) => {
                let a = Arc::make_mut(a);
                let last = a.kids.len.saturating_sub(1);
                let ks = a.kid_size(last);
                let (Some(x), Some(k)) = (a.items.pop(), a.kids.pop()) else {
                    return false;
                };
                let Some(s) = sep.replace(p, x) else {
                    return false;
                };
                let b = Arc::make_mut(b);
                let mut bs = b.sizes();
                bs.rotate_right(1);
                if let Some(f) = bs.first_mut() {
                    *f = ks;
                }
                b.items.insert(0, s);
                b.kids.insert(0, k);
                b.set_sizes(&bs);
                ks + 1
            }
            _ => return false,
        };
        if let Some(e) = self.ends.get_mut(p) {
            *e = e.wrapping_sub(moved);
        }
        true
    }

    /// Merges child `p + 1` and separator `p` into child `p`.
    fn merge(&mut self, p: usize) {
        let same_kind = matches!(
            (self.kids.get(p), self.kids.get(p + 1)),
            (Some(Kid::Leaf(_)), Some(Kid::Leaf(_))) | (Some(Kid::Inner(_)), Some(Kid::Inner(_)))
        );
        if !same_kind {
            return;
        }
        let (Some(sep), Some(right)) = (self.items.remove(p), self.kids.remove(p + 1)) else {
            return;
        };
        // The merged child ends where the right one ended.
        if let Some(s) = self.ends.get_mut(p..=self.kids.len) {
            s.rotate_left(1);
        }
        let Some(left) = self.kids.get_mut(p) else {
            return;
        };
        match (left, right) {
            (Kid::Leaf(a), Kid::Leaf(b)) => {
                let a = Arc::make_mut(a);
                let mut b = Arc::unwrap_or_clone(b);
                a.push(sep);
                a.append(&mut b);
            }
            (Kid::Inner(a), Kid::Inner(b)) => {
                let a = Arc::make_mut(a);
                let mut b = Arc::unwrap_or_clone(b);
                let mut sizes = a.sizes();
                let (an, bs) = (a.kids.len, b.sizes());
                for (dst, src) in sizes.iter_mut().skip(an).zip(bs.iter().take(b.kids.len)) {
                    *dst = *src;
                }
                a.items.push(sep);
                a.items.append(&mut b.items);
                a.kids.append(&mut b.kids);
                a.set_sizes(&sizes);
            }
            _ => {}
        }
    }

    /// Restores the fill of children `p` and `p + 1` when either is under [`MIN`]: moves items
    /// across if together they have enough for two nodes, else merges them.
    fn fix_pair(&mut self, p: usize) {
        let a = self.kids.get(p).map_or(0, Kid::items_len);
        let b = self.kids.get(p + 1).map_or(0, Kid::items_len);
        if a >= MIN && b >= MIN {
            return;
        }
        if a + b >= 2 * MIN {
            while self.kids.get(p).is_some_and(|k| k.items_len() < MIN) {
                if !self.rotate_left(p) {
                    break;
                }
            }
            while self.kids.get(p + 1).is_some_and(|k| k.items_len() < MIN) {
                if !self.rotate_right(p) {
                    break;
                }
            }
        } else {
            self.merge(p);
        }
    }

    /// Child `i` may have fallen under [`MIN`]: fixes it with a neighbour.
    fn fix(&mut self, i: usize) {
        if self.kids.get(i).is_some_and(|k| k.items_len() < MIN) {
            self.fix_pair(i.saturating_sub(1));
        }
    }
}

// =================================================================================================
// Insertion and removal
// =================================================================================================

/// What an insertion below a node did.
enum Ins<T: Keyed> {
    /// An equal item was already there: nothing changed.
    Present,
    Done,
    /// The node split: it kept the left half; here are the middle item and the right half.
    Split(Full<T>, Kid<T>),
}

/// Inserts `item` by comparison, or (with `rank`) at that rank without comparing.
fn insert_in<T: Keyed>(kid: &mut Kid<T>, item: Full<T>, rank: Option<usize>) -> Ins<T> {
    match kid {
        Kid::Leaf(arc) => {
            let pos = match rank {
                Some(k) => k.min(arc.len),
                None => match find_by(arc, item.key, item.tag, |x| x.cmp(&item.item)) {
                    Ok(_) => return Ins::Present,
                    Err(p) => p,
                },
            };
            let leaf = Arc::make_mut(arc);
            if !leaf.is_full() {
                leaf.insert(pos, item);
                return Ins::Done;
            }
            // Full: the left half keeps MID items and the right half the rest; the new item goes
            // where it belongs and the left half's last item moves up.
            let mut right = leaf.split_off(MID);
            if pos <= MID {
                leaf.insert(pos, item);
            } else {
                right.insert(pos - MID, item);
            }
            match leaf.pop() {
                Some(med) => Ins::Split(med, Kid::Leaf(Arc::new(right))),
                None => Ins::Done,
            }
        }
        Kid::Inner(arc) => {
            arc.fetch_links();
            let (i, sub) = match rank {
                Some(k) => {
                    let i = arc.kid_for_rank(k);
                    (i, Some(k.saturating_sub(arc.start(i))))
                }
                None => match find_by(&arc.items, item.key, item.tag, |x| x.cmp(&item.item)) {
                    Ok(_) => return Ins::Present,
                    Err(i) => (i, None),
                },
            };
            touch(arc.kids.get(i));
            let node = Arc::make_mut(arc);
            let Some(child) = node.kids.get_mut(i) else {
                return Ins::Present;
            };
            match insert_in(child, item, sub) {
                Ins::Present => Ins::Present,
                Ins::Done => {
                    node.add_from(i, 1);
                    Ins::Done
                }
                Ins::Split(med, right) => {
                    let left_size = child.len();
                    node.set_kid_size(i, left_size);
                    node.insert_pair(i, i + 1, med, right)
                }
            }
        }
    }
}

/// The position of the only item of a leaf whose key and tag are `kx` and `tx`, if exactly one
/// has them. Tags are read only if keys tie.
fn lone_key<T: Keyed>(items: &Items<T>, kx: T::Key, tx: u64) -> Option<usize> {
    let keys = items.keys();
    let below: usize = keys.iter().map(|k| usize::from(*k < kx)).sum();
    // From `below` on, keys are not below `kx`: one not above it is equal.
    let equal = |j: usize| keys.get(j).is_some_and(|k| *k <= kx);
    if !equal(below) {
        return None;
    }
    if !equal(below + 1) {
        return Some(below);
    }
    let mut i = below;
    while equal(i) && items.tag(i) < tx {
        i += 1;
    }
    let same = |j: usize| equal(j) && items.tag(j) == tx;
    (same(i) && !same(i + 1)).then_some(i)
}

/// Starts fetching a child node before its parent is made writable. Making a node writable
/// ([`Arc::make_mut`]) is an atomic read-modify-write of its reference count, which the processor
/// lets no later memory access overtake; reading the child's length first (the start of the
/// part a search reads) lets that fetch run alongside instead of after it.
#[inline]
fn touch<T: Keyed>(kid: Option<&Kid<T>>) {
    std::hint::black_box(kid.map(Kid::items_len));
}

/// Which item a removal is after: the one with this key that the comparison calls equal (it
/// gives an item's order relative to the one sought), or the one at this rank.
///
/// `Known` is `By` for an item the caller knows to be present: where a single item of a leaf has
/// the key, that is the item, and it is taken without being read first.
#[derive(Clone, Copy)]
enum Target<'a, T: Keyed> {
    By(T::Key, u64, &'a dyn Fn(&T) -> Ordering),
    Known(T::Key, u64, &'a dyn Fn(&T) -> Ordering),
    Rank(usize),
}

fn remove_in<T: Keyed>(kid: &mut Kid<T>, target: Target<'_, T>) -> Option<Full<T>> {
    match kid {
        Kid::Leaf(arc) => {
            let pos = match target {
                Target::By(k, t, cmp) => find_by(arc, k, t, cmp).ok()?,
                Target::Known(k, t, cmp) => match lone_key(arc, k, t) {
                    Some(i) => i,
                    None => find_by(arc, k, t, cmp).ok()?,
                },
                Target::Rank(k) => (k < arc.len).then_some(k)?,
            };
            Arc::make_mut(arc).remove(pos)
        }
        Kid::Inner(arc) => {
            arc.fetch_links();
            // Where the item is: item `i` of this node (`hit`), or below child `i`.
            let (i, hit, sub) = match target {
                Target::By(k, t, cmp) | Target::Known(k, t, cmp) => {
                    match find_by(&arc.items, k, t, cmp) {
                        Ok(i) => (i, true, target),
                        Err(i) => (i, false, target),
                    }
                }
                Target::Rank(k) => {
                    if k >= arc.size() {
                        return None;
                    }
                    let i = arc.kid_for_rank(k);
                    let hit = i < arc.items.len && k == arc.end(i);
                    (i, hit, Target::Rank(k.wrapping_sub(arc.start(i))))
                }
            };
            touch(arc.kids.get(i));
            let node = Arc::make_mut(arc);
            let child = node.kids.get_mut(i)?;
            let removed = if hit {
                // Replace the item by its predecessor, the last item below child `i`.
                let last = child.len().checked_sub(1)?;
                let pred = remove_in(child, Target::Rank(last))?;
                node.items.replace(i, pred)?
            } else {
                remove_in(child, sub)?
            };
            node.sub_from(i, 1);
            node.fix(i);
            Some(removed)
        }
    }
}

/// A root whose node has become empty gives way to its only child (or to nothing).
fn collapse<T: Keyed>(mut root: Option<Kid<T>>) -> Option<Kid<T>> {
    loop {
        match &root {
            Some(Kid::Leaf(l)) if l.len == 0 => return None,
            Some(Kid::Inner(n)) if n.items.len == 0 => root = n.kids.get(0).cloned(),
            _ => return root,
        }
    }
}

fn new_root<T: Keyed>(left: Kid<T>, med: Full<T>, right: Kid<T>) -> Kid<T> {
    let sizes = [left.len(), right.len()];
    Kid::Inner(Arc::new(Inner::from_parts(
        vec![med],
        vec![left, right],
        &sizes,
    )))
}

/// Inserts `item` at rank `k` of the tree rooted at `root` (the caller guarantees the order).
fn insert_at<T: Keyed>(mut root: Kid<T>, k: usize, item: Full<T>) -> Kid<T> {
    match insert_in(&mut root, item, Some(k)) {
        Ins::Split(med, right) => new_root(root, med, right),
        _ => root,
    }
}

// =================================================================================================
// Split and join
// =================================================================================================

/// Joins `l`, `sep` and `r` (every item of `l` before `sep`, before every item of `r`).
fn join<T: Keyed>(l: Option<Kid<T>>, sep: Full<T>, r: Option<Kid<T>>) -> Kid<T> {
    let (mut l, mut r) = match (l, r) {
        (None, None) => return Kid::leaf_of(sep),
        (None, Some(r)) => return insert_at(r, 0, sep),
        (Some(l), None) => {
            let n = l.len();
            return insert_at(l, n, sep);
        }
        (Some(l), Some(r)) => (l, r),
    };
    let (hl, hr) = (l.height(), r.height());
    if hl == hr {
        let sizes = [l.len(), r.len()];
        let mut root = Inner::from_parts(vec![sep], vec![l, r], &sizes);
        root.fix_pair(0);
        return match collapse(Some(Kid::Inner(Arc::new(root)))) {
            Some(k) => k,
            None => Kid::Inner(Arc::new(Inner::new())),
        };
    }
    let (root, res) = if hl > hr {
        let res = join_right(&mut l, hl, sep, r, hr);
        (l, res)
    } else {
        let res = join_left(&mut r, hr, l, sep, hl);
        (r, res)
    };
    match res {
        Ins::Split(med, right) => new_root(root, med, right),
        _ => root,
    }
}

/// Hangs `sep` and `r` (height `hr`) off the right edge of `node` (height `h > hr`).
fn join_right<T: Keyed>(node: &mut Kid<T>, h: usize, sep: Full<T>, r: Kid<T>, hr: usize) -> Ins<T> {
    let Kid::Inner(arc) = node else {
        return Ins::Present;
    };
    let n = Arc::make_mut(arc);
    let last = n.kids.len.saturating_sub(1);
    if h <= hr + 1 {
        let under = r.items_len() < MIN;
        match n.insert_pair(n.items.len, n.kids.len, sep, r) {
            Ins::Split(med, mut right) => {
                if let (true, Kid::Inner(ra)) = (under, &mut right) {
                    let rn = Arc::make_mut(ra);
                    rn.fix_pair(rn.kids.len.saturating_sub(2));
                }
                Ins::Split(med, right)
            }
            other => {
                if under {
                    n.fix_pair(n.kids.len.saturating_sub(2));
                }
                other
            }
        }
    } else {
        let Some(child) = n.kids.get_mut(last) else {
            return Ins::Present;
        };
        let res = join_right(child, h - 1, sep, r, hr);
        let cs = child.len();
        n.set_kid_size(last, cs);
        match res {
            Ins::Split(med, right) => n.insert_pair(last, last + 1, med, right),
            other => other,
        }
    }
}

/// Hangs `l` (height `hl`) and `sep` off the left edge of `node` (height `h > hl`).
fn join_left<T: Keyed>(node: &mut Kid<T>, h: usize, l: Kid<T>, sep: Full<T>, hl: usize) -> Ins<T> {
    let Kid::Inner(arc) = node else {
        return Ins::Present;
    };
    let n = Arc::make_mut(arc);
    if h <= hl + 1 {
        let under = l.items_len() < MIN;
        // The new pair lands in the left half if the node splits, which is `n` itself.
        let res = n.insert_pair(0, 0, sep, l);
        if under {
            n.fix_pair(0);
        }
        res
    } else {
        let Some(child) = n.kids.get_mut(0) else {
            return Ins::Present;
        };
        let res = join_left(child, h - 1, l, sep, hl);
        let cs = child.len();
        n.set_kid_size(0, cs);
        match res {
            Ins::Split(med, right) => n.insert_pair(0, 1, med, right),
            other => other,
        }
    }
}

/// Concatenates two trees (every item of `l` before every item of `r`).
fn concat<T: Keyed>(l: Option<Kid<T>>, r: Option<Kid<T>>) -> Option<Kid<T>> {
    match (l, r) {
        (None, r) => r,
        (l, None) => l,
        (Some(l), Some(mut r)) => match remove_in(&mut r, Target::Rank(0)) {
            Some(sep) => Some(join(Some(l), sep, collapse(Some(r)))),
            None => Some(l),
        },
    }
}

/// A tree from the parts of one node (children and the items between them).
fn tree_of<T: Keyed>(
    items: Vec<Full<T>>,
    mut kids: Vec<Kid<T>>,
    sizes: &[usize],
) -> Option<Kid<T>> {
    if kids.len() <= 1 {
        return kids.pop();
    }
    Some(Kid::Inner(Arc::new(Inner::from_parts(items, kids, sizes))))
}

/// Splits into the first `k` items and the rest.
fn split_at<T: Keyed>(kid: Option<Kid<T>>, k: usize) -> (Option<Kid<T>>, Option<Kid<T>>) {
    let Some(kid) = kid else {
        return (None, None);
    };
    if k == 0 {
        return (None, Some(kid));
    }
    if k >= kid.len() {
        return (Some(kid), None);
    }
    match kid {
        Kid::Leaf(arc) => {
            let mut l = Arc::unwrap_or_clone(arc);
            let r = l.split_off(k);
            (Some(Kid::Leaf(Arc::new(l))), Some(Kid::Leaf(Arc::new(r))))
        }
        Kid::Inner(arc) => {
            let n = Arc::unwrap_or_clone(arc);
            let i = n.kid_for_rank(k);
            let sub = k.wrapping_sub(n.start(i));
            let (mut items, mut kids, mut sizes) = n.into_parts();
            // Left of the cut: children 0..i and items 0..i; right: item i on, children i+1 on.
            let mut right_items = items.split_off(i.min(items.len()));
            let right_kids = kids.split_off((i + 1).min(kids.len()));
            let right_sizes = sizes.split_off((i + 1).min(sizes.len()));
            let mid = kids.pop();
            sizes.pop();
            let left_sep = items.pop();
            let right_sep = if right_items.is_empty() {
                None
            } else {
                Some(right_items.remove(0))
            };
            let (a, b) = split_at(mid, sub);
            let left = match left_sep {
                Some(sep) => Some(join(tree_of(items, kids, &sizes), sep, a)),
                None => a,
            };
            let right = match right_sep {
                Some(sep) => Some(join(b, sep, tree_of(right_items, right_kids, &right_sizes))),
                None => b,
            };
            (left, right)
        }
    }
}

// =================================================================================================
// Bulk building
// =================================================================================================

/// The most items a subtree of height `h` holds: `(MAX + 1)^h - 1`.
fn capacity(h: usize) -> usize {
    let mut c: usize = 1;
    for _ in 0..h {
        c = c.saturating_mul(KIDS);
    }
    c.saturating_sub(1)
}

/// Builds a subtree of exactly height `h` from the next `n` items, as full as the bounds allow
/// (`n` must be between the fewest and the most items such a subtree holds).
fn build<T: Keyed>(
    items: &mut impl Iterator<Item = Full<T>>,
    n: usize,
    h: usize,
    root: bool,
) -> Option<Kid<T>> {
    if h <= 1 {
        let mut l = Items::new();
        for x in items.take(n) {
            l.push(x);
        }
        return Some(Kid::Leaf(Arc::new(l)));
    }
    let below = capacity(h - 1);
    let fewest = if root { 2 } else { MIN + 1 };
    let c = (n.saturating_add(1))
        .div_ceil(below.saturating_add(1))
        .clamp(fewest, KIDS);
    let spread = n.saturating_sub(c - 1);
    let (per, extra) = (spread / c, spread % c);
    let mut node_items = Vec::with_capacity(c - 1);
    let mut kids = Vec::with_capacity(c);
    let mut sizes = Vec::with_capacity(c);
    for j in 0..c {
        let size = per + usize::from(j < extra);
        kids.push(build(items, size, h - 1, false)?);
        sizes.push(size);
        if j + 1 < c {
            node_items.push(items.next()?);
        }
    }
    Some(Kid::Inner(Arc::new(Inner::from_parts(
        node_items, kids, &sizes,
    ))))
}

// =================================================================================================
// The tree
// =================================================================================================

/// A persistent sorted collection of distinct items with rank queries. Cloning is O(1).
#[derive(Clone, Debug)]
pub struct OsTree<T: Keyed> {
    root: Option<Kid<T>>,
}

impl<T: Keyed> Default for OsTree<T> {
    fn default() -> Self {
        OsTree { root: None }
    }
}

impl<T: Keyed> OsTree<T> {
    /// An empty tree.
    pub fn new() -> Self {
        OsTree { root: None }
    }

    /// Builds a tree from items already sorted in strictly increasing order, in O(n).
    pub fn from_sorted(items: Vec<T>) -> Self {
        let n = items.len();
        Self::from_full(items.into_iter().map(Full::new), n)
    }

    /// Builds a tree from the `n` sorted items (with keys and tags) of `items`.
    fn from_full(mut items: impl Iterator<Item = Full<T>>, n: usize) -> Self {
        if n == 0 {
            return OsTree::new();
        }
        let mut h = 1;
        while capacity(h) < n {
            h += 1;
        }
        OsTree {
            root: build(&mut items, n, h, true),
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.root.as_ref().map_or(0, Kid::len)
    }

    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// Inserts `item`; false (and no change) if an equal item is present.
    pub fn insert(&mut self, item: T) -> bool {
        self.insert_full(Full::new(item))
    }

    fn insert_full(&mut self, item: Full<T>) -> bool {
        let Some(root) = self.root.as_mut() else {
            self.root = Some(Kid::leaf_of(item));
            return true;
        };
        match insert_in(root, item, None) {
            Ins::Present => false,
            Ins::Done => true,
            Ins::Split(med, right) => {
                if let Some(left) = self.root.take() {
                    self.root = Some(new_root(left, med, right));
                }
                true
            }
        }
    }

    fn remove_target(&mut self, target: Target<'_, T>) -> Option<T> {
        self.remove_full(target).map(|f| f.item)
    }

    fn remove_full(&mut self, target: Target<'_, T>) -> Option<Full<T>> {
        let removed = remove_in(self.root.as_mut()?, target);
        self.root = collapse(self.root.take());
        removed
    }

    /// Removes the item equal to `item` and returns it.
    pub fn remove(&mut self, item: &T) -> Option<T> {
        self.remove_target(Target::By(item.key(), item.tag(), &|x| x.cmp(item)))
    }

    /// [`OsTree::remove_by`] for an item the caller knows to be present: where a single item of
    /// its leaf has the key, that item is taken without being compared (which would read it from
    /// memory first). If the item is absent after all, another item with the same key may go.
    pub fn remove_known_by(
        &mut self,
        key: T::Key,
        tag: u64,
        cmp: impl Fn(&T) -> Ordering,
    ) -> Option<T> {
        self.remove_target(Target::Known(key, tag, &cmp))
    }

    /// Takes out the item known to be present (as in [`OsTree::remove_known_by`]), lets `change`
    /// update it, and puts it back where its new key belongs. `change` may change the item's key
    /// but not its tag (a sorted set moves an entry to a new score, same member): the tag travels
    /// with the item and is not asked of it again. Returns false if nothing was found.
    pub fn update_known_by(
        &mut self,
        key: T::Key,
        tag: u64,
        cmp: impl Fn(&T) -> Ordering,
        change: impl FnOnce(&mut T),
    ) -> bool {
        let Some(mut f) = self.remove_full(Target::Known(key, tag, &cmp)) else {
            return false;
        };
        change(&mut f.item);
        f.key = f.item.key();
        self.insert_full(f)
    }

    /// Removes the item whose key is `key` and which `cmp` calls equal (`cmp` gives an item's
    /// order relative to the one sought, like `x.cmp(&sought)`), and returns it.
    pub fn remove_by(&mut self, key: T::Key, tag: u64, cmp: impl Fn(&T) -> Ordering) -> Option<T> {
        self.remove_target(Target::By(key, tag, &cmp))
    }

    /// Removes and returns the smallest item.
    pub fn pop_first(&mut self) -> Option<T> {
        self.remove_target(Target::Rank(0))
    }

    /// Removes and returns the largest item.
    pub fn pop_last(&mut self) -> Option<T> {
        let k = self.len().checked_sub(1)?;
        self.remove_target(Target::Rank(k))
    }

    /// The item at rank `k` (0-based, in increasing order).
    pub fn get(&self, mut k: usize) -> Option<&T> {
        let mut cur = self.root.as_ref()?;
        loop {
            match cur {
                Kid::Leaf(l) => return l.get(k),
                Kid::Inner(n) => {
                    if k >= n.size() {
                        return None;
                    }
                    n.fetch_links();
                    let i = n.kid_for_rank(k);
                    if k == n.end(i) {
                        return n.items.get(i);
                    }
                    k = k.wrapping_sub(n.start(i));
                    cur = n.kids.get(i)?;
                }
            }
        }
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|k| self.get(k))
    }

    /// The number of leading items for which `pred` holds, `pred` being true for a prefix of the
    /// order and false after it (like [`slice::partition_point`]). This is the rank of the first
    /// item that fails `pred`.
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let mut count: usize = 0;
        let mut cur = self.root.as_ref();
        while let Some(kid) = cur {
            match kid {
                Kid::Leaf(l) => return count + count_while(l.full(), &mut pred),
                Kid::Inner(n) => {
                    let i = count_while(n.items.full(), &mut pred);
                    count = count.wrapping_add(n.start(i));
                    cur = n.kids.get(i);
                }
            }
        }
        count
    }

    /// Like [`OsTree::partition_point`] with a predicate on keys alone (true for a prefix of the
    /// order): never looks at the items themselves, only at each node's array of keys.
    pub fn partition_point_key(&self, mut pred: impl FnMut(T::Key) -> bool) -> usize {
        let mut count: usize = 0;
        let mut cur = self.root.as_ref();
        while let Some(kid) = cur {
            match kid {
                Kid::Leaf(l) => return count + count_keys(l.keys(), &mut pred),
                Kid::Inner(n) => {
                    let i = count_keys(n.items.keys(), &mut pred);
                    count = count.wrapping_add(n.start(i));
                    cur = n.kids.get(i);
                }
            }
        }
        count
    }

    /// The rank of `item`, if present.
    pub fn rank(&self, item: &T) -> Option<usize> {
        let mut count: usize = 0;
        let mut cur = self.root.as_ref()?;
        loop {
            match cur {
                Kid::Leaf(l) => return find(l, item).ok().map(|i| count + i),
                Kid::Inner(n) => match find(&n.items, item) {
                    Ok(i) => return Some(count.wrapping_add(n.end(i))),
                    Err(i) => {
                        count = count.wrapping_add(n.start(i));
                        cur = n.kids.get(i)?;
                    }
                },
            }
        }
    }

    /// How many items are smaller than `item`: its rank if it is present, the rank it would
    /// take otherwise. Reads only keys unless some tie with `item`'s, so it touches fewer cache
    /// lines than [`OsTree::rank`], which must look at the item itself to confirm it is there.
    pub fn count_below(&self, item: &T) -> usize {
        self.count_below_by(item.key(), item.tag(), |x| x.cmp(item))
    }

    /// [`OsTree::count_below`] for the item sought by key and comparison (as in
    /// [`OsTree::remove_by`]).
    pub fn count_below_by(
        &self,
        kx: T::Key,
        tx: u64,
        mut cmp: impl FnMut(&T) -> Ordering,
    ) -> usize {
        let mut count: usize = 0;
        let mut cur = self.root.as_ref();
        while let Some(kid) = cur {
            match kid {
                Kid::Leaf(l) => {
                    let i = find_by(l, kx, tx, &mut cmp).unwrap_or_else(|i| i);
                    return count.wrapping_add(i);
                }
                Kid::Inner(n) => {
                    n.fetch_links();
                    match find_by(&n.items, kx, tx, &mut cmp) {
                        Ok(i) => return count.wrapping_add(n.end(i)),
                        Err(i) => {
                            count = count.wrapping_add(n.start(i));
                            cur = n.kids.get(i);
                        }
                    }
                }
            }
        }
        count
    }

    /// The rank of an item known to be present, sought by key and comparison (as in
    /// [`OsTree::remove_by`]). Where a single item of a leaf has the sought key, that item must be
    /// the one sought, so it is not read: the search reads only keys unless some tie. (If the item
    /// is absent after all, the answer is a rank next to where it would be.)
    pub fn rank_present_by(
        &self,
        kx: T::Key,
        tx: u64,
        mut cmp: impl FnMut(&T) -> Ordering,
    ) -> usize {
        let mut count: usize = 0;
        let mut cur = self.root.as_ref();
        while let Some(kid) = cur {
            match kid {
                Kid::Leaf(l) => {
                    let i = match lone_key(l, kx, tx) {
                        Some(i) => i,
                        None => find_by(l, kx, tx, &mut cmp).unwrap_or_else(|i| i),
                    };
                    return count.wrapping_add(i);
                }
                Kid::Inner(n) => {
                    n.fetch_links();
                    match find_by(&n.items, kx, tx, &mut cmp) {
                        Ok(i) => return count.wrapping_add(n.end(i)),
                        Err(i) => {
                            count = count.wrapping_add(n.start(i));
                            cur = n.kids.get(i);
                        }
                    }
                }
            }
        }
        count
    }

    /// Items in increasing order from rank `k` (or, with `rev`, in decreasing order from rank `k`
    /// down to rank 0).
    pub fn iter_from(&self, k: usize, rev: bool) -> Iter<'_, T> {
        let len = self.len();
        let remaining = if rev {
            k.saturating_add(1).min(len)
        } else {
            len.saturating_sub(k)
        };
        let mut it = Iter {
            stack: Vec::new(),
            rev,
            remaining,
        };
        if remaining == 0 {
            return it;
        }
        let mut k = if rev { k.min(len - 1) } else { k };
        let mut cur = self.root.as_ref();
        while let Some(kid) = cur {
            match kid {
                Kid::Leaf(l) => {
                    it.stack
                        .push((NodeRef::Leaf(l), if rev { k + 1 } else { k }));
                    break;
                }
                Kid::Inner(n) => {
                    let i = n.kid_for_rank(k);
                    if i < n.items.len && k == n.end(i) {
                        it.stack
                            .push((NodeRef::Inner(n), if rev { i + 1 } else { i }));
                        break;
                    }
                    it.stack.push((NodeRef::Inner(n), i));
                    k = k.wrapping_sub(n.start(i));
                    cur = n.kids.get(i);
                }
            }
        }
        it
    }

    /// All items in increasing order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.iter_from(0, false)
    }

    /// Removes the items of ranks `start..end` (clamped to the tree) and returns them as a tree.
    /// A short run is removed item by item (O(k log n) for k items, k at most a few dozen);
    /// a longer one by two splits and a join, O(log n).
    pub fn remove_range(&mut self, start: usize, end: usize) -> OsTree<T> {
        let end = end.min(self.len());
        if start >= end {
            return OsTree::new();
        }
        let k = end - start;
        if k <= SHORT_RANGE {
            let mut cut = Vec::with_capacity(k);
            for _ in 0..k {
                match self.remove_full(Target::Rank(start)) {
                    Some(x) => cut.push(x),
                    None => break,
                }
            }
            let n = cut.len();
            return OsTree::from_full(cut.into_iter(), n);
        }
        let (a, rest) = split_at(self.root.take(), start);
        let (mid, c) = split_at(rest, k);
        self.root = collapse(concat(a, c));
        OsTree {
            root: collapse(mid),
        }
    }

    /// Checks every invariant (order within and across nodes, node fill, child counts, equal leaf
    /// depth, empty unused slots) and returns the height. For tests.
    pub fn check(&self) -> Result<usize, String> {
        fn slots_ok<X, const N: usize>(s: &Slots<X, N>) -> Result<(), String> {
            if s.len > N {
                return Err(format!("length {} over capacity {N}", s.len));
            }
            for (i, x) in s.a.iter().enumerate() {
                if x.is_some() != (i < s.len) {
                    return Err(format!("slot {i} of {} disagrees with the length", s.len));
                }
            }
            Ok(())
        }
        fn items_ok<T: Keyed>(
            items: &Items<T>,
            lo: Option<&T>,
            hi: Option<&T>,
            root: bool,
        ) -> Result<(), String> {
            if items.len > MAX {
                return Err(format!("{} items over capacity", items.len));
            }
            for (i, x) in items.a.iter().enumerate() {
                if x.is_some() != (i < items.len) {
                    return Err(format!(
                        "slot {i} of {} disagrees with the length",
                        items.len
                    ));
                }
            }
            for (i, (k, x)) in items.keys().iter().zip(items.iter()).enumerate() {
                let kx = x.key();
                if *k < kx || kx < *k || items.tag(i) != x.tag() {
                    return Err(format!("stale key {k:?} or tag, item's key is {kx:?}"));
                }
            }
            if items
                .keys()
                .windows(2)
                .any(|w| matches!(w, [a, b] if b < a))
            {
                return Err("keys out of order".into());
            }
            let fewest = if root { 1 } else { MIN };
            if items.len < fewest {
                return Err(format!("node of {} items (at least {fewest})", items.len));
            }
            let mut prev = lo;
            for x in items.iter() {
                if prev.is_some_and(|p| *p >= *x) {
                    return Err("items out of order".into());
                }
                prev = Some(x);
            }
            if let (Some(p), Some(hi)) = (prev, hi) {
                if *p >= *hi {
                    return Err("items out of order".into());
                }
            }
            Ok(())
        }
        /// Returns (height, size).
        fn walk<T: Keyed>(
            kid: &Kid<T>,
            lo: Option<&T>,
            hi: Option<&T>,
            root: bool,
        ) -> Result<(usize, usize), String> {
            match kid {
                Kid::Leaf(l) => {
                    items_ok(l, lo, hi, root)?;
                    Ok((1, l.len))
                }
                Kid::Inner(n) => {
                    items_ok(&n.items, lo, hi, root)?;
                    slots_ok(&n.kids)?;
                    if n.kids.len != n.items.len + 1 {
                        return Err(format!("{} items but {} children", n.items.len, n.kids.len));
                    }
                    let mut height = None;
                    let mut before = 0;
                    for (i, k) in n.kids.iter().enumerate() {
                        let klo = i.checked_sub(1).and_then(|p| n.items.get(p)).or(lo);
                        let khi = n.items.get(i).or(hi);
                        let (h, s) = walk(k, klo, khi, false)?;
                        if height.is_some_and(|h0| h0 != h) {
                            return Err("leaves at different depths".into());
                        }
                        height = Some(h);
                        let want = before + s;
                        if n.end(i) != want {
                            return Err(format!("count {} for child {i}, want {want}", n.end(i)));
                        }
                        before = want + 1;
                    }
                    Ok((height.unwrap_or(0) + 1, before.saturating_sub(1)))
                }
            }
        }
        match &self.root {
            None => Ok(0),
            Some(k) => walk(k, None, None, true).map(|(h, _)| h),
        }
    }
}

// =================================================================================================
// Iteration
// =================================================================================================

enum NodeRef<'a, T: Keyed> {
    Leaf(&'a Leaf<T>),
    Inner(&'a Inner<T>),
}

impl<T: Keyed> Clone for NodeRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Keyed> Copy for NodeRef<'_, T> {}

/// An in-order (or reverse-order) walk from a given rank; holds one frame per level.
///
/// A frame is a node and a position. Walking forward, the position is the next item of the node
/// to yield (its child of the same index has been walked); walking backward, the next item to
/// yield is the one before the position.
pub struct Iter<'a, T: Keyed> {
    stack: Vec<(NodeRef<'a, T>, usize)>,
    rev: bool,
    remaining: usize,
}

impl<'a, T: Keyed> Iter<'a, T> {
    /// Pushes the path from `kid` down to its first (or, backward, last) item.
    fn descend(&mut self, mut kid: Option<&'a Kid<T>>) {
        while let Some(k) = kid {
            match k {
                Kid::Leaf(l) => {
                    self.stack
                        .push((NodeRef::Leaf(l), if self.rev { l.len } else { 0 }));
                    return;
                }
                Kid::Inner(n) => {
                    let i = if self.rev { n.items.len } else { 0 };
                    self.stack.push((NodeRef::Inner(n), i));
                    kid = n.kids.get(i);
                }
            }
        }
    }
}

impl<'a, T: Keyed> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            let (node, pos) = self.stack.last_mut()?;
            let node = *node;
            let found = if self.rev {
                match pos.checked_sub(1) {
                    Some(p) => {
                        *pos = p;
                        Some(p)
                    }
                    None => None,
                }
            } else {
                let p = *pos;
                *pos += 1;
                Some(p)
            };
            let item = match (node, found) {
                (NodeRef::Leaf(l), Some(p)) => l.get(p).map(|x| (x, None)),
                (NodeRef::Inner(n), Some(p)) => n.items.get(p).map(|x| {
                    // Next: the child after this item (forward) or before it (backward).
                    (x, n.kids.get(if self.rev { p } else { p + 1 }))
                }),
                (_, None) => None,
            };
            match item {
                Some((x, kid)) => {
                    if kid.is_some() {
                        self.descend(kid);
                    }
                    self.remaining -= 1;
                    return Some(x);
                }
                None => {
                    self.stack.pop();
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T: Keyed> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    impl Keyed for u32 {
        type Key = u32;
        fn key(&self) -> u32 {
            *self
        }
    }

    /// Items whose keys tie often (the key is the item divided by 8), so searches fall back on
    /// whole items.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Coarse(u32);
    impl Keyed for Coarse {
        type Key = u32;
        fn key(&self) -> u32 {
            self.0 / 8
        }
        /// Ties again half the time (the remainder halved), so all three levels of the search
        /// run.
        fn tag(&self) -> u64 {
            u64::from(self.0 % 8 / 2)
        }
    }

    /// A tiny deterministic generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// The tallest a valid tree of `n` items can be.
    fn max_height(n: usize) -> usize {
        let mut h = 1;
        // A tree of height h + 1 holds at least 2 (MIN + 1)^h - 1 items.
        let mut least: usize = 2 * (MIN + 1) - 1;
        while least <= n {
            h += 1;
            least = least.saturating_mul(MIN + 1).saturating_add(MIN);
        }
        h
    }

    #[test]
    fn random_operations_match_a_sorted_vec_and_stay_balanced() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut t: OsTree<u32> = OsTree::new();
        let mut model: Vec<u32> = Vec::new();
        for step in 0..40_000 {
            let op = rng.below(100);
            let x = rng.below(3000) as u32;
            if op < 55 {
                let inserted = t.insert(x);
                let pos = model.binary_search(&x);
                assert_eq!(inserted, pos.is_err());
                if let Err(p) = pos {
                    model.insert(p, x);
                }
            } else if op < 85 {
                let removed = t.remove(&x);
                let pos = model.binary_search(&x);
                assert_eq!(removed.is_some(), pos.is_ok());
                if let Ok(p) = pos {
                    model.remove(p);
                }
            } else if op < 90 {
                let a = rng.below(model.len() as u64 + 2) as usize;
                // Short runs (item by item) and long ones (split and join).
                let b = a + if rng.below(2) == 0 {
                    rng.below(20) as usize
                } else {
                    rng.below(400) as usize
                };
                let cut_tree = t.remove_range(a, b);
                cut_tree.check().unwrap();
                let cut: Vec<u32> = cut_tree.iter().copied().collect();
                let hi = b.min(model.len());
                let expect: Vec<u32> = if a < hi {
                    model.drain(a..hi).collect()
                } else {
                    vec![]
                };
                assert_eq!(cut, expect);
                t.check().unwrap();
            } else if op < 95 {
                assert_eq!(
                    t.pop_first(),
                    if model.is_empty() {
                        None
                    } else {
                        Some(model.remove(0))
                    }
                );
            } else {
                assert_eq!(t.pop_last(), model.pop());
            }
            if step % 250 == 0 {
                let h = t.check().unwrap();
                assert!(
                    h <= max_height(model.len()),
                    "height {h} for {}",
                    model.len()
                );
                assert_eq!(t.iter().copied().collect::<Vec<_>>(), model);
            }
            assert_eq!(t.len(), model.len());
        }
        for (i, x) in model.iter().enumerate() {
            assert_eq!(t.get(i), Some(x));
            assert_eq!(t.rank(x), Some(i));
        }
        assert_eq!(t.get(model.len()), None);
    }

    #[test]
    fn ties_on_keys_fall_back_on_items() {
        let mut rng = Rng(5);
        let mut t: OsTree<Coarse> = OsTree::new();
        let mut model: Vec<Coarse> = Vec::new();
        for step in 0..30_000 {
            let x = Coarse(rng.below(4000) as u32);
            if rng.below(10) < 6 {
                let p = model.binary_search(&x);
                assert_eq!(t.insert(x), p.is_err());
                if let Err(p) = p {
                    model.insert(p, x);
                }
            } else if rng.below(2) == 0 && !model.is_empty() {
                // A present item, by key and comparison.
                let y = model.remove(rng.below(model.len() as u64) as usize);
                assert_eq!(t.remove_known_by(y.key(), y.tag(), |z| z.cmp(&y)), Some(y));
            } else if rng.below(3) == 0 && !model.is_empty() {
                // A present item moved to another key with the same tag (+8 or -8 keeps the
                // remainder, hence the tag), unless that spot is taken.
                let i = rng.below(model.len() as u64) as usize;
                let y = model[i];
                let z = if rng.below(2) == 0 {
                    Coarse(y.0 + 8)
                } else {
                    Coarse(y.0.saturating_sub(8))
                };
                if z.tag() == y.tag() && model.binary_search(&z).is_err() {
                    assert!(t.update_known_by(y.key(), y.tag(), |w| w.cmp(&y), |w| *w = z));
                    model.remove(i);
                    let p = model.binary_search(&z).unwrap_err();
                    model.insert(p, z);
                }
            } else {
                let p = model.binary_search(&x);
                assert_eq!(t.remove(&x), p.ok().map(|p| model.remove(p)));
            }
            if step % 1000 == 0 {
                t.check().unwrap();
                assert_eq!(t.iter().copied().collect::<Vec<_>>(), model);
            }
        }
        for (i, x) in model.iter().enumerate() {
            assert_eq!(t.rank(x), Some(i));
            assert_eq!(t.count_below(x), i);
            assert_eq!(t.rank_present_by(x.key(), x.tag(), |y| y.cmp(x)), i);
            let next = Coarse(x.0 + 1);
            assert_eq!(t.rank(&next), model.binary_search(&next).ok());
            assert_eq!(t.count_below(&next), model.partition_point(|y| *y < next));
            // By key alone: everything whose key is below this one's.
            let below = model.iter().filter(|y| y.key() < x.key()).count();
            assert_eq!(t.partition_point_key(|k| k < x.key()), below);
            assert_eq!(t.partition_point(|y| y.key() < x.key()), below);
        }
    }

    #[test]
    fn iteration_from_any_rank_in_both_directions() {
        for n in [0u32, 1, 5, 31, 32, 100, 1000, 2500] {
            let t = OsTree::from_sorted((0..n).collect());
            t.check().unwrap();
            for k in (0..=n as usize + 1).step_by(if n > 200 { 7 } else { 1 }) {
                let fwd: Vec<u32> = t.iter_from(k, false).copied().collect();
                assert_eq!(fwd, (k.min(n as usize) as u32..n).collect::<Vec<_>>());
                let rev: Vec<u32> = t.iter_from(k, true).copied().collect();
                let want: Vec<u32> = if n == 0 {
                    vec![]
                } else {
                    (0..=k.min(n as usize - 1) as u32).rev().collect()
                };
                assert_eq!(rev, want, "rev from {k} of {n}");
                assert_eq!(t.iter_from(k, false).len(), fwd.len());
                assert_eq!(t.iter_from(k, true).len(), rev.len());
            }
        }
        assert_eq!(OsTree::<u32>::new().iter_from(0, true).count(), 0);
    }

    #[test]
    fn bulk_building_gives_valid_trees_of_every_size() {
        for n in (0..3000usize).chain([32 * 32 - 1, 32 * 32, 32 * 32 + 1, 40_000, 33_000]) {
            let t = OsTree::from_sorted((0..n as u32).collect());
            let h = t.check().unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!(t.len(), n);
            assert!(h <= max_height(n));
            if n > 0 {
                assert_eq!(t.get(n / 2), Some(&(n as u32 / 2)));
                assert_eq!(t.rank(&(n as u32 - 1)), Some(n - 1));
            }
        }
    }

    #[test]
    fn rank_select_and_partition_point_agree() {
        let mut rng = Rng(99);
        let mut t = OsTree::new();
        let mut model = Vec::new();
        for _ in 0..5000 {
            let x = rng.below(1_000_000) as u32;
            if t.insert(x) {
                model.push(x);
            }
        }
        model.sort();
        t.check().unwrap();
        for (i, x) in model.iter().enumerate() {
            assert_eq!(t.rank(x), Some(i));
            assert_eq!(t.get(i), Some(x));
            assert_eq!(t.partition_point(|y| y < x), i);
            assert_eq!(t.count_below(x), i);
            assert_eq!(t.rank_present_by(*x, 0, |y| y.cmp(x)), i);
            assert_eq!(t.count_below(&(x + 1)), model.partition_point(|y| *y <= *x));
            assert_eq!(t.partition_point(|y| y <= x), i + 1);
            assert_eq!(
                t.rank(&(x + 1)).is_some(),
                model.binary_search(&(x + 1)).is_ok()
            );
        }
        assert_eq!(t.first(), model.first());
        assert_eq!(t.last(), model.last());
    }

    #[test]
    fn split_and_join_at_every_rank() {
        for n in [1usize, 31, 32, 64, 100, 500, 1100, 5000] {
            // Full nodes (bulk built) and half-full ones (inserted in order).
            let full = OsTree::from_sorted((0..n as u32).collect());
            let mut half = OsTree::new();
            for x in 0..n as u32 {
                half.insert(x);
            }
            for (a, base) in (0..=n)
                .step_by(1 + n / 40)
                .flat_map(|a| [(a, &full), (a, &half)])
            {
                for len in [33usize, 40, 100, 1000, n] {
                    let mut t = base.clone();
                    let cut = t.remove_range(a, a + len);
                    let hi = (a + len).min(n);
                    let want_cut: Vec<u32> = (a.min(hi) as u32..hi as u32).collect();
                    assert_eq!(cut.iter().copied().collect::<Vec<_>>(), want_cut);
                    cut.check().unwrap();
                    t.check()
                        .unwrap_or_else(|e| panic!("n {n} a {a} len {len}: {e}"));
                    let want: Vec<u32> = (0..a.min(hi) as u32).chain(hi as u32..n as u32).collect();
                    assert_eq!(t.iter().copied().collect::<Vec<_>>(), want);
                }
            }
            full.check().unwrap();
            half.check().unwrap();
            assert_eq!(full.len(), n);
            assert_eq!(
                half.iter().copied().collect::<Vec<_>>(),
                (0..n as u32).collect::<Vec<_>>()
            );
        }
    }

    /// Trees of tens of thousands of items (height 4), with snapshots taken along the way and
    /// checked at the end: every write path (split, borrow, merge, split and join) runs both on
    /// unshared nodes and on nodes a snapshot still holds.
    #[test]
    fn large_random_workload_with_snapshots() {
        let mut rng = Rng(0xfeed_beef);
        let mut t: OsTree<u32> = OsTree::new();
        let mut model: Vec<u32> = Vec::new();
        let mut snaps: Vec<(OsTree<u32>, Vec<u32>)> = Vec::new();
        for step in 0..120_000u32 {
            let x = rng.below(400_000) as u32;
            // Long cuts only now and then, so the tree keeps growing.
            let op = if step % 1009 == 0 {
                100
            } else {
                rng.below(100)
            };
            match op {
                0..=69 => {
                    if let Err(p) = model.binary_search(&x) {
                        model.insert(p, x);
                        assert!(t.insert(x));
                    } else {
                        assert!(!t.insert(x));
                    }
                }
                70..=89 => {
                    let k = rng.below(model.len() as u64 + 1) as usize;
                    let y = model.get(k).copied().unwrap_or(x);
                    let got = t.remove(&y);
                    match model.binary_search(&y) {
                        Ok(p) => {
                            model.remove(p);
                            assert_eq!(got, Some(y));
                        }
                        Err(_) => assert_eq!(got, None),
                    }
                }
                100 => {
                    let a = rng.below(model.len() as u64 + 1) as usize;
                    let len = rng.below(600) as usize;
                    let cut: Vec<u32> = t.remove_range(a, a + len).iter().copied().collect();
                    let hi = (a + len).min(model.len());
                    assert_eq!(cut, model.drain(a.min(hi)..hi).collect::<Vec<_>>());
                }
                90..=96 => {
                    let k = rng.below(model.len() as u64 + 1) as usize;
                    assert_eq!(t.get(k), model.get(k));
                    if let Some(y) = model.get(k) {
                        assert_eq!(t.rank(y), Some(k));
                    }
                }
                _ => {
                    if snaps.len() < 12 {
                        snaps.push((t.clone(), model.clone()));
                    }
                }
            }
            if step % 5_000 == 0 {
                let h = t.check().unwrap();
                assert!(h <= max_height(model.len()));
                assert_eq!(t.len(), model.len());
            }
        }
        assert_eq!(t.iter().copied().collect::<Vec<_>>(), model);
        let h = t.check().unwrap();
        assert!(
            h >= 3,
            "the workload should build a tall tree: height {h}, {} items",
            model.len()
        );
        for (s, m) in &snaps {
            s.check().unwrap();
            assert_eq!(s.iter().copied().collect::<Vec<_>>(), *m);
        }
    }

    #[test]
    fn joins_of_uneven_heights() {
        for (nl, nr) in [
            (0usize, 5usize),
            (5, 0),
            (1, 40_000),
            (40_000, 1),
            (31, 2000),
            (2000, 31),
            (15, 15),
            (1, 1),
            (700, 900),
        ] {
            let l = OsTree::from_sorted((0..nl as u32).collect());
            let r = OsTree::from_sorted((nl as u32 + 1..(nl + nr) as u32 + 1).collect());
            let j = OsTree {
                root: Some(join(l.root, Full::new(nl as u32), r.root)),
            };
            j.check().unwrap_or_else(|e| panic!("{nl}+{nr}: {e}"));
            assert_eq!(
                j.iter().copied().collect::<Vec<_>>(),
                (0..=(nl + nr) as u32).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn clones_share_and_stay_independent() {
        let mut a = OsTree::from_sorted((0..1000u32).collect());
        let b = a.clone();
        for x in 0..500 {
            a.remove(&(x * 2));
        }
        a.insert(5000);
        a.remove_range(10, 20);
        a.remove_range(100, 300);
        a.pop_first();
        a.pop_last();
        assert_eq!(b.len(), 1000);
        assert_eq!(
            b.iter().copied().collect::<Vec<_>>(),
            (0..1000).collect::<Vec<_>>()
        );
        b.check().unwrap();
        a.check().unwrap();
        // And the other way: writes to the original leave the clone alone.
        let c = a.clone();
        let before: Vec<u32> = c.iter().copied().collect();
        for x in 2000..3000 {
            a.insert(x);
        }
        assert_eq!(c.iter().copied().collect::<Vec<_>>(), before);
        c.check().unwrap();
    }

    #[test]
    fn sequential_inserts_stay_shallow() {
        let mut t = OsTree::new();
        for x in 0..100_000u32 {
            t.insert(x);
        }
        let h = t.check().unwrap();
        assert!(h <= max_height(100_000), "height {h}");
        assert!(h <= 5, "height {h}");
        for x in (0..100_000u32).rev().step_by(3) {
            t.remove(&x);
        }
        t.check().unwrap();
        while t.pop_first().is_some() {}
        assert!(t.is_empty());
        t.check().unwrap();
    }
}
