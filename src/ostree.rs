//! A persistent order-statistic tree: a sorted collection that also answers "what is the k-th
//! element?" and "how many elements come before this one?" in O(log n).
//!
//! ## Why not a skiplist
//! Redis keeps a sorted set in a skiplist whose links carry spans, which answers rank queries. The
//! engine needs one thing a skiplist cannot give cheaply: an O(1) copy (a snapshot of the whole
//! keyspace is a handful of pointer copies). A balanced binary tree whose nodes are shared through
//! reference counts gives both: every node stores the size of its subtree (that is what turns
//! searches into rank queries), and a write copies only the nodes on the path it walks
//! ("path copying"); untouched subtrees stay shared between the old and the new version.
//! [`std::sync::Arc::make_mut`] makes the copy lazy: a node nobody else holds is updated in place.
//!
//! ## Balance
//! The tree is *weight-balanced* (Adams' trees, as in Haskell's `Data.Map`): the weight of a
//! subtree is its size plus one, and a node is balanced when neither child weighs more than
//! [`DELTA`] times the other. The subtree sizes needed for ranks therefore double as balance
//! information, so nodes carry no extra field. After a single insertion or deletion one single or
//! double rotation at each node of the path restores the invariant (the choice is made with
//! [`RATIO`]); `(3, 2)` is the parameter pair proven correct for this scheme. The height stays
//! below about `2.5 * log2(n)`, so every recursion here is shallow even at millions of elements.
//!
//! ## Operations and costs
//! | operation | cost |
//! |---|---|
//! | [`OsTree::insert`], [`OsTree::remove`] | O(log n) |
//! | [`OsTree::get`] (select by rank), [`OsTree::partition_point`] (rank of a bound) | O(log n) |
//! | [`OsTree::iter_from`] (walk m elements from any rank, either direction) | O(log n + m) |
//! | [`OsTree::remove_range`] (cut out a run of ranks, via split and join) | O(log n) |
//! | [`OsTree::from_sorted`] | O(n) |
//! | `clone` | O(1) |

use std::cmp::Ordering;
use std::sync::Arc;

/// A subtree may weigh at most `DELTA` times its sibling.
pub const DELTA: usize = 3;
/// Decides between a single and a double rotation when rebalancing.
pub const RATIO: usize = 2;

type Link<T> = Option<Arc<Node<T>>>;

#[derive(Clone, Debug)]
struct Node<T> {
    item: T,
    /// Number of items in this subtree, this node included.
    size: usize,
    /// Number of items in the left subtree. Kept in the node itself so that a descent reads only
    /// the nodes on its path: a rank query or an insertion never touches a sibling node (which
    /// would be a cache miss per level in a large tree).
    lsize: usize,
    left: Link<T>,
    right: Link<T>,
}

fn size<T>(link: &Link<T>) -> usize {
    link.as_ref().map_or(0, |n| n.size)
}

impl<T> Node<T> {
    /// Recomputes both sizes from the children.
    fn fix_size(&mut self) {
        self.lsize = size(&self.left);
        self.size = self.lsize + size(&self.right) + 1;
    }

    fn rsize(&self) -> usize {
        self.size - self.lsize - 1
    }

    /// True when the two subtrees are within the weight bound of each other.
    fn is_balanced(&self) -> bool {
        let (wl, wr) = (self.lsize + 1, self.rsize() + 1);
        DELTA * wl >= wr && DELTA * wr >= wl
    }

    fn new(item: T, left: Link<T>, right: Link<T>) -> Node<T> {
        let mut n = Node {
            item,
            size: 0,
            lsize: 0,
            left,
            right,
        };
        n.fix_size();
        n
    }
}

/// A persistent sorted collection of distinct items with rank queries. Cloning is O(1).
#[derive(Clone, Debug)]
pub struct OsTree<T> {
    root: Link<T>,
}

impl<T> Default for OsTree<T> {
    fn default() -> Self {
        OsTree { root: None }
    }
}

// ---- rebalancing primitives (all take an owned, already size-correct child structure) ----

/// Left rotation: the right child becomes the root.
fn rotate_left<T: Clone>(mut t: Arc<Node<T>>) -> Arc<Node<T>> {
    let n = Arc::make_mut(&mut t);
    let Some(mut r) = n.right.take() else {
        return t;
    };
    let rn = Arc::make_mut(&mut r);
    n.right = rn.left.take();
    n.fix_size();
    rn.left = Some(t);
    rn.fix_size();
    r
}

/// Right rotation: the left child becomes the root.
fn rotate_right<T: Clone>(mut t: Arc<Node<T>>) -> Arc<Node<T>> {
    let n = Arc::make_mut(&mut t);
    let Some(mut l) = n.left.take() else {
        return t;
    };
    let ln = Arc::make_mut(&mut l);
    n.left = ln.right.take();
    n.fix_size();
    ln.right = Some(t);
    ln.fix_size();
    l
}

/// Restores the weight balance at `t`, whose children are balanced and off by at most one
/// insertion or deletion (or one join step). Also recomputes `t`'s sizes.
fn balance<T: Clone>(mut t: Arc<Node<T>>) -> Arc<Node<T>> {
    let wl = size(&t.left) + 1;
    let wr = size(&t.right) + 1;
    if wr > DELTA * wl {
        let double = match &t.right {
            Some(r) => r.lsize + 1 >= RATIO * (r.rsize() + 1),
            None => false,
        };
        let n = Arc::make_mut(&mut t);
        n.fix_size();
        if double {
            if let Some(r) = n.right.take() {
                n.right = Some(rotate_right(r));
            }
        }
        rotate_left(t)
    } else if wl > DELTA * wr {
        let double = match &t.left {
            Some(l) => l.rsize() + 1 >= RATIO * (l.lsize + 1),
            None => false,
        };
        let n = Arc::make_mut(&mut t);
        n.fix_size();
        if double {
            if let Some(l) = n.left.take() {
                n.left = Some(rotate_left(l));
            }
        }
        rotate_right(t)
    } else {
        if t.size != wl + wr - 1 || t.lsize != wl - 1 {
            Arc::make_mut(&mut t).fix_size();
        }
        t
    }
}

fn rebalance<T: Clone>(link: &mut Link<T>) {
    if let Some(t) = link.take() {
        *link = Some(balance(t));
    }
}

/// After a node's sizes were updated for a one-item change below it: rotate only if that broke
/// the balance (rare), so the common case touches nothing but the path.
fn rebalance_if_needed<T: Clone>(link: &mut Link<T>) {
    if link.as_ref().is_some_and(|n| !n.is_balanced()) {
        rebalance(link);
    }
}

fn leaf<T>(item: T) -> Arc<Node<T>> {
    Arc::new(Node {
        item,
        size: 1,
        lsize: 0,
        left: None,
        right: None,
    })
}

// ---- single-item updates ----

fn insert<T: Ord + Clone>(link: &mut Link<T>, item: T) -> bool {
    let Some(t) = link else {
        *link = Some(leaf(item));
        return true;
    };
    let ord = item.cmp(&t.item);
    if ord == Ordering::Equal {
        return false;
    }
    let n = Arc::make_mut(t);
    let inserted = if ord == Ordering::Less {
        insert(&mut n.left, item)
    } else {
        insert(&mut n.right, item)
    };
    if inserted {
        n.size += 1;
        if ord == Ordering::Less {
            n.lsize += 1;
        }
        rebalance_if_needed(link);
    }
    inserted
}

fn remove_min<T: Clone>(link: &mut Link<T>) -> Option<T> {
    let t = link.as_mut()?;
    let n = Arc::make_mut(t);
    if n.left.is_some() {
        let min = remove_min(&mut n.left);
        if min.is_some() {
            n.size -= 1;
            n.lsize -= 1;
            rebalance_if_needed(link);
        }
        min
    } else {
        let right = n.right.take();
        let old = std::mem::replace(link, right)?;
        Some(Arc::unwrap_or_clone(old).item)
    }
}

fn remove_max<T: Clone>(link: &mut Link<T>) -> Option<T> {
    let t = link.as_mut()?;
    let n = Arc::make_mut(t);
    if n.right.is_some() {
        let max = remove_max(&mut n.right);
        if max.is_some() {
            n.size -= 1;
            rebalance_if_needed(link);
        }
        max
    } else {
        let left = n.left.take();
        let old = std::mem::replace(link, left)?;
        Some(Arc::unwrap_or_clone(old).item)
    }
}

/// Joins two sibling subtrees (every item of `l` before every item of `r`, weights within the
/// balance bound of each other) after their parent was removed.
fn glue<T: Clone>(l: Link<T>, r: Link<T>) -> Link<T> {
    match (l, r) {
        (None, r) => r,
        (l, None) => l,
        (Some(l), Some(r)) => {
            let (item, left, right) = if l.size > r.size {
                let mut l = Some(l);
                let Some(item) = remove_max(&mut l) else {
                    return Some(r);
                };
                (item, l, Some(r))
            } else {
                let mut r = Some(r);
                let Some(item) = remove_min(&mut r) else {
                    return Some(l);
                };
                (item, Some(l), r)
            };
            Some(balance(Arc::new(Node::new(item, left, right))))
        }
    }
}

fn remove<T: Ord + Clone>(link: &mut Link<T>, item: &T) -> Option<T> {
    let t = link.as_mut()?;
    let ord = item.cmp(&t.item);
    let n = Arc::make_mut(t);
    let removed = match ord {
        Ordering::Less => {
            let removed = remove(&mut n.left, item)?;
            n.lsize -= 1;
            removed
        }
        Ordering::Greater => remove(&mut n.right, item)?,
        Ordering::Equal => {
            let (l, r) = (n.left.take(), n.right.take());
            let old = std::mem::replace(link, glue(l, r))?;
            return Some(Arc::unwrap_or_clone(old).item);
        }
    };
    n.size -= 1;
    rebalance_if_needed(link);
    Some(removed)
}

// ---- split and join ----

/// Joins `l`, `item` and `r` (in that order) whatever their sizes.
fn link_with<T: Clone>(l: Link<T>, item: T, r: Link<T>) -> Arc<Node<T>> {
    let (sl, sr) = (size(&l), size(&r));
    if DELTA * (sl + 1) < sr + 1 {
        if let Some(mut rt) = r {
            let rn = Arc::make_mut(&mut rt);
            let inner = rn.left.take();
            rn.left = Some(link_with(l, item, inner));
            return balance(rt);
        }
        Arc::new(Node::new(item, l, None))
    } else if DELTA * (sr + 1) < sl + 1 {
        if let Some(mut lt) = l {
            let ln = Arc::make_mut(&mut lt);
            let inner = ln.right.take();
            ln.right = Some(link_with(inner, item, r));
            return balance(lt);
        }
        Arc::new(Node::new(item, None, r))
    } else {
        Arc::new(Node::new(item, l, r))
    }
}

/// Concatenates two trees (every item of `l` before every item of `r`).
fn merge<T: Clone>(l: Link<T>, r: Link<T>) -> Link<T> {
    match (l, r) {
        (None, r) => r,
        (l, None) => l,
        (Some(mut l), Some(mut r)) => {
            if DELTA * (l.size + 1) < r.size + 1 {
                let rn = Arc::make_mut(&mut r);
                let inner = rn.left.take();
                rn.left = merge(Some(l), inner);
                Some(balance(r))
            } else if DELTA * (r.size + 1) < l.size + 1 {
                let ln = Arc::make_mut(&mut l);
                let inner = ln.right.take();
                ln.right = merge(inner, Some(r));
                Some(balance(l))
            } else {
                glue(Some(l), Some(r))
            }
        }
    }
}

/// Splits into the first `k` items and the rest.
fn split_at<T: Clone>(link: Link<T>, k: usize) -> (Link<T>, Link<T>) {
    let Some(t) = link else { return (None, None) };
    if k == 0 {
        return (None, Some(t));
    }
    if k >= t.size {
        return (Some(t), None);
    }
    let n = Arc::unwrap_or_clone(t);
    let ls = n.lsize;
    if k <= ls {
        let (a, b) = split_at(n.left, k);
        (a, Some(link_with(b, n.item, n.right)))
    } else {
        let (a, b) = split_at(n.right, k - ls - 1);
        (Some(link_with(n.left, n.item, a)), b)
    }
}

/// Builds a perfectly balanced tree from the next `n` items of a sorted iterator.
fn build<T>(items: &mut impl Iterator<Item = T>, n: usize) -> Link<T> {
    if n == 0 {
        return None;
    }
    let nl = (n - 1) / 2;
    let left = build(items, nl);
    let Some(item) = items.next() else {
        return left;
    };
    let right = build(items, n - 1 - nl);
    Some(Arc::new(Node::new(item, left, right)))
}

impl<T: Ord + Clone> OsTree<T> {
    /// An empty tree.
    pub fn new() -> Self {
        OsTree { root: None }
    }

    /// Builds a tree from items already sorted in strictly increasing order, in O(n).
    pub fn from_sorted(items: Vec<T>) -> Self {
        let n = items.len();
        OsTree {
            root: build(&mut items.into_iter(), n),
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        size(&self.root)
    }

    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// Inserts `item`; false (and no change) if an equal item is present.
    pub fn insert(&mut self, item: T) -> bool {
        insert(&mut self.root, item)
    }

    /// Removes the item equal to `item` and returns it.
    pub fn remove(&mut self, item: &T) -> Option<T> {
        remove(&mut self.root, item)
    }

    /// Removes and returns the smallest item.
    pub fn pop_first(&mut self) -> Option<T> {
        remove_min(&mut self.root)
    }

    /// Removes and returns the largest item.
    pub fn pop_last(&mut self) -> Option<T> {
        remove_max(&mut self.root)
    }

    /// The item at rank `k` (0-based, in increasing order).
    pub fn get(&self, mut k: usize) -> Option<&T> {
        let mut cur = self.root.as_deref();
        while let Some(n) = cur {
            let ls = n.lsize;
            match k.cmp(&ls) {
                Ordering::Less => cur = n.left.as_deref(),
                Ordering::Equal => return Some(&n.item),
                Ordering::Greater => {
                    k -= ls + 1;
                    cur = n.right.as_deref();
                }
            }
        }
        None
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
        let mut count = 0;
        let mut cur = self.root.as_deref();
        while let Some(n) = cur {
            if pred(&n.item) {
                count += n.lsize + 1;
                cur = n.right.as_deref();
            } else {
                cur = n.left.as_deref();
            }
        }
        count
    }

    /// The rank of `item`, if present.
    pub fn rank(&self, item: &T) -> Option<usize> {
        let mut count = 0;
        let mut cur = self.root.as_deref();
        while let Some(n) = cur {
            match item.cmp(&n.item) {
                Ordering::Less => cur = n.left.as_deref(),
                Ordering::Equal => return Some(count + n.lsize),
                Ordering::Greater => {
                    count += n.lsize + 1;
                    cur = n.right.as_deref();
                }
            }
        }
        None
    }

    /// Items in increasing order from rank `k` (or, with `rev`, in decreasing order from rank `k`
    /// down to rank 0).
    pub fn iter_from(&self, k: usize, rev: bool) -> Iter<'_, T> {
        let mut stack = Vec::new();
        let mut k = k;
        let mut cur = self.root.as_deref();
        let remaining = if rev {
            (k.saturating_add(1)).min(self.len())
        } else {
            self.len().saturating_sub(k)
        };
        if remaining > 0 {
            while let Some(n) = cur {
                let ls = n.lsize;
                match k.cmp(&ls) {
                    Ordering::Less => {
                        if !rev {
                            stack.push(n);
                        }
                        cur = n.left.as_deref();
                    }
                    Ordering::Equal => {
                        stack.push(n);
                        break;
                    }
                    Ordering::Greater => {
                        if rev {
                            stack.push(n);
                        }
                        k -= ls + 1;
                        cur = n.right.as_deref();
                    }
                }
            }
        }
        Iter {
            stack,
            rev,
            remaining,
        }
    }

    /// All items in increasing order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.iter_from(0, false)
    }

    /// Removes the items of ranks `start..end` and returns them as a tree, in O(log n).
    pub fn remove_range(&mut self, start: usize, end: usize) -> OsTree<T> {
        let end = end.min(self.len());
        if start >= end {
            return OsTree::new();
        }
        let (a, rest) = split_at(self.root.take(), start);
        let (mid, c) = split_at(rest, end - start);
        self.root = merge(a, c);
        OsTree { root: mid }
    }

    /// Checks every invariant (order, sizes, weight balance) and returns the height. For tests.
    pub fn check(&self) -> Result<usize, String> {
        fn walk<T: Ord>(link: &Link<T>, lo: Option<&T>, hi: Option<&T>) -> Result<usize, String> {
            let Some(n) = link else { return Ok(0) };
            if lo.is_some_and(|lo| n.item <= *lo) || hi.is_some_and(|hi| n.item >= *hi) {
                return Err("items out of order".into());
            }
            let hl = walk(&n.left, lo, Some(&n.item))?;
            let hr = walk(&n.right, Some(&n.item), hi)?;
            let (sl, sr) = (size(&n.left), size(&n.right));
            if n.size != sl + sr + 1 || n.lsize != sl {
                return Err(format!(
                    "sizes {}/{} but children hold {} + {}",
                    n.size, n.lsize, sl, sr
                ));
            }
            if DELTA * (sl + 1) < sr + 1 || DELTA * (sr + 1) < sl + 1 {
                return Err(format!("unbalanced node: left {sl}, right {sr}"));
            }
            Ok(hl.max(hr) + 1)
        }
        walk(&self.root, None, None)
    }
}

/// An in-order (or reverse-order) walk from a given rank; holds O(log n) node references.
pub struct Iter<'a, T> {
    stack: Vec<&'a Node<T>>,
    rev: bool,
    remaining: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let n = self.stack.pop()?;
        self.remaining = self.remaining.saturating_sub(1);
        let mut cur = if self.rev {
            n.left.as_deref()
        } else {
            n.right.as_deref()
        };
        while let Some(c) = cur {
            self.stack.push(c);
            cur = if self.rev {
                c.right.as_deref()
            } else {
                c.left.as_deref()
            };
        }
        Some(&n.item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn random_operations_match_a_sorted_vec_and_stay_balanced() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut t: OsTree<u32> = OsTree::new();
        let mut model: Vec<u32> = Vec::new();
        for step in 0..20_000 {
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
                let b = a + rng.below(20) as usize;
                let cut: Vec<u32> = t.remove_range(a, b).iter().copied().collect();
                let hi = b.min(model.len());
                let expect: Vec<u32> = if a < hi {
                    model.drain(a..hi).collect()
                } else {
                    vec![]
                };
                assert_eq!(cut, expect);
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
            if step % 500 == 0 {
                let h = t.check().unwrap();
                let n = model.len().max(2) as f64;
                assert!(
                    (h as f64) <= 2.5 * n.log2() + 2.0,
                    "height {h} for {} items",
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
    }

    #[test]
    fn iteration_from_any_rank_in_both_directions() {
        let t = OsTree::from_sorted((0..100u32).collect());
        t.check().unwrap();
        for k in 0..=101usize {
            let fwd: Vec<u32> = t.iter_from(k, false).copied().collect();
            assert_eq!(fwd, (k.min(100) as u32..100).collect::<Vec<_>>());
            let rev: Vec<u32> = t.iter_from(k, true).copied().collect();
            let top = k.min(99) as u32;
            assert_eq!(rev, (0..=top).rev().collect::<Vec<_>>(), "rev from {k}");
            assert_eq!(t.iter_from(k, false).len(), fwd.len());
        }
        assert_eq!(OsTree::<u32>::new().iter_from(0, true).count(), 0);
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
        assert_eq!(b.len(), 1000);
        assert_eq!(
            b.iter().copied().collect::<Vec<_>>(),
            (0..1000).collect::<Vec<_>>()
        );
        b.check().unwrap();
        a.check().unwrap();
    }

    #[test]
    fn sequential_inserts_stay_shallow() {
        let mut t = OsTree::new();
        for x in 0..100_000u32 {
            t.insert(x);
        }
        let h = t.check().unwrap();
        assert!(h <= 2 * 17 + 2, "height {h}");
        for x in (0..100_000u32).rev().step_by(3) {
            t.remove(&x);
        }
        t.check().unwrap();
    }
}
