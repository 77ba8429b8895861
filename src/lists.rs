//! Lists: LPUSH, RPUSH, LPOP, RPOP, LRANGE, LINDEX, LSET, LLEN, LTRIM, LREM, LINSERT, LPOS, LMOVE,
//! RPOPLPUSH, LMPOP and their `X` variants (Redis's `t_list.c`).
//!
//! ## Representation
//! A [`List`] is a persistent RRB vector ([`imbl::Vector`]) of shared byte strings. That gives the
//! costs Redis documents for its quicklist, or better:
//! - push and pop at either end: O(1) amortised;
//! - LINDEX, LSET, LINSERT (once the pivot is found): O(log n);
//! - LTRIM and the range pops: O(log n) splits instead of element-by-element deletion;
//! - cloning: O(1) (the clone shares every node until one side writes), which keeps engine snapshots
//!   cheap whatever the size of the lists.
//!
//! Redis 7.0 stores every list as a quicklist, whatever its size and the `list-max-listpack-size`
//! setting, so [`List::encoding`] always answers `quicklist` (compact `listpack` lists arrived only
//! in 7.2).
//!
//! ## Layers
//! 1. [`List`] methods are pure data operations with Redis's index arithmetic (negative indexes count
//!    from the tail, out-of-range ranges are clamped exactly like `addListRangeReply` and `ltrim`).
//! 2. Keyspace operations ([`push`], [`pop`], [`move_element`], [`lookup`]) add the rules that
//!    involve the database: type checks, creating a list on first push, deleting a list the moment it
//!    becomes empty (Redis never keeps an empty list) and raising the keyspace events Redis raises
//!    (`new`, `lpush`/`rpush`, `lpop`/`rpop`, `del`, ...). A blocking layer serves a client blocked in
//!    BLPOP, BRPOP, BLMPOP or BLMOVE by calling the same functions once a key becomes ready.
//! 3. Command handlers parse arguments in the order Redis does (which decides which error wins when
//!    several apply) and shape replies.
//!
//! User-supplied counts never size an allocation: every result is bounded by the list's length.

use imbl::Vector;

use crate::commands::Handler;
use crate::config::Config;
use crate::engine::{wrong_arity, wrongtype, Ctx};
use crate::notify;
use crate::reply::{errors, Reply};
use crate::value::{bytes, Bytes, Value};

/// Which end of a list an operation works on (`LEFT` is the head, `RIGHT` the tail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

impl End {
    /// Parses `LEFT` / `RIGHT` (any case).
    pub fn parse(arg: &[u8]) -> Option<End> {
        if arg.eq_ignore_ascii_case(b"left") {
            Some(End::Left)
        } else if arg.eq_ignore_ascii_case(b"right") {
            Some(End::Right)
        } else {
            None
        }
    }

    /// The keyspace event a push at this end raises.
    pub fn push_event(self) -> &'static str {
        match self {
            End::Left => "lpush",
            End::Right => "rpush",
        }
    }

    /// The keyspace event a pop from this end raises.
    pub fn pop_event(self) -> &'static str {
        match self {
            End::Left => "lpop",
            End::Right => "rpop",
        }
    }

    /// `LEFT` or `RIGHT`, as commands spell it.
    pub fn name(self) -> &'static str {
        match self {
            End::Left => "LEFT",
            End::Right => "RIGHT",
        }
    }
}

/// A list value: elements in order from head (index 0) to tail.
#[derive(Clone, Debug, Default)]
pub struct List {
    items: Vector<Bytes>,
}

/// Resolves Redis's `start`/`stop` pair (inclusive, negative counts from the tail) against a list of
/// `len` elements: the half-open index range it selects, or `None` when it selects nothing.
pub fn resolve_range(len: usize, start: i64, stop: i64) -> Option<std::ops::Range<usize>> {
    let llen = i64::try_from(len).ok()?;
    // Both adjustments stay in range: llen >= 0 and the index is negative when it is added.
    let mut start = if start < 0 { llen + start } else { start };
    let mut stop = if stop < 0 { llen + stop } else { stop };
    if start < 0 {
        start = 0;
    }
    if start > stop || start >= llen {
        return None;
    }
    if stop >= llen {
        stop = llen - 1;
    }
    // 0 <= start <= stop < llen, so both convert and stop + 1 cannot overflow.
    Some(start as usize..(stop as usize + 1))
}

/// Resolves a single Redis index (negative counts from the tail) to a position, if it is in range.
pub fn resolve_index(len: usize, index: i64) -> Option<usize> {
    let llen = i64::try_from(len).ok()?;
    let pos = if index < 0 { llen + index } else { index };
    if (0..llen).contains(&pos) {
        Some(pos as usize)
    } else {
        None
    }
}

impl List {
    /// An empty list (never stored in the keyspace: Redis deletes empty lists).
    pub fn new() -> List {
        List::default()
    }

    /// A list holding `elements` in order, head first (for loaders and importers).
    pub fn from_elements<I, T>(elements: I) -> List
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        List { items: elements.into_iter().map(bytes).collect() }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// OBJECT ENCODING: Redis 7.0 keeps every list in a quicklist.
    pub fn encoding(&self, _config: &Config) -> &'static str {
        "quicklist"
    }

    /// Every element, head to tail (reverse it for tail to head).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Bytes> + ExactSizeIterator + '_ {
        self.items.iter()
    }

    /// The element at a Redis index (negative counts from the tail).
    pub fn get(&self, index: i64) -> Option<&Bytes> {
        resolve_index(self.len(), index).and_then(|i| self.items.get(i))
    }

    /// The first or last element.
    pub fn peek(&self, end: End) -> Option<&Bytes> {
        match end {
            End::Left => self.items.front(),
            End::Right => self.items.back(),
        }
    }

    /// The elements LRANGE `start stop` selects, head to tail. Walking it costs O(log n) to find the
    /// start and then O(1) amortised per element.
    pub fn range(&self, start: i64, stop: i64) -> impl DoubleEndedIterator<Item = &Bytes> + '_ {
        let r = resolve_range(self.len(), start, stop).unwrap_or(0..0);
        self.items.focus().narrow(r).into_iter()
    }

    /// Adds an element at one end.
    pub fn push(&mut self, end: End, value: Bytes) {
        match end {
            End::Left => self.items.push_front(value),
            End::Right => self.items.push_back(value),
        }
    }

    /// Removes and returns the element at one end.
    pub fn pop(&mut self, end: End) -> Option<Bytes> {
        match end {
            End::Left => self.items.pop_front(),
            End::Right => self.items.pop_back(),
        }
    }

    /// Removes up to `count` elements from one end, in the order they were popped (from the tail
    /// that is tail first). Bounded by the list's length whatever `count` is.
    pub fn pop_many(&mut self, end: End, count: usize) -> Vec<Bytes> {
        let n = count.min(self.len());
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            match self.pop(end) {
                Some(v) => out.push(v),
                None => break,
            }
        }
        out
    }

    /// Replaces the element at a Redis index; false if the index is out of range.
    pub fn set(&mut self, index: i64, value: Bytes) -> bool {
        match resolve_index(self.len(), index) {
            Some(i) => {
                self.items.set(i, value);
                true
            }
            None => false,
        }
    }

    /// Keeps only the LRANGE `start stop` selection (LTRIM); returns how many elements went.
    pub fn trim(&mut self, start: i64, stop: i64) -> usize {
        let len = self.len();
        match resolve_range(len, start, stop) {
            Some(r) if r.start == 0 && r.end == len => 0,
            Some(r) => {
                let kept = self.items.slice(r.clone());
                self.items = kept;
                len - r.len()
            }
            None => {
                self.items = Vector::new();
                len
            }
        }
    }

    /// Inserts `value` before or after the first occurrence of `pivot` (from the head); the list's
    /// new length, or `None` when `pivot` is absent.
    pub fn insert(&mut self, pivot: &[u8], value: Bytes, after: bool) -> Option<usize> {
        let pos = self.items.iter().position(|e| &e[..] == pivot)?;
        let at = if after { pos + 1 } else { pos };
        self.items.insert(at, value);
        Some(self.len())
    }

    /// LREM: removes occurrences of `element`. `count > 0` removes the first `count` from the head,
    /// `count < 0` the first `|count|` from the tail, `0` all of them. Returns how many went.
    pub fn remove(&mut self, count: i64, element: &[u8]) -> usize {
        let matches = self.items.iter().filter(|e| &e[..] == element).count();
        if matches == 0 {
            return 0;
        }
        // Redis negates the count in a C `long`: the most negative value stays negative and then
        // never equals a (positive) number of removals, so it removes every match.
        let from_tail = count < 0;
        let limit = if from_tail { count.wrapping_neg() } else { count };
        let to_remove = match usize::try_from(limit) {
            Ok(0) | Err(_) => matches,
            Ok(n) => n.min(matches),
        };
        // Removing the last `to_remove` matches is keeping the first `matches - to_remove` of them.
        let (mut skip, mut left) =
            if from_tail { (matches - to_remove, to_remove) } else { (0, to_remove) };
        // A fresh vector built from the survivors: O(n), like the scan that found them. In-place
        // `Vector::retain` is avoided on purpose: with imbl 7.0.2 it corrupted the heap (a write
        // to freed memory while dropping the removed `Arc` elements, seen under valgrind).
        let mut kept = Vector::new();
        for e in self.items.iter() {
            if left > 0 && &e[..] == element {
                if skip > 0 {
                    skip -= 1;
                } else {
                    left -= 1;
                    continue;
                }
            }
            kept.push_back(e.clone());
        }
        self.items = kept;
        to_remove
    }

    /// LPOS: positions (LINDEX indexes) of `element`. `rank` picks the first match to report
    /// (negative: searching from the tail), `count` how many to report at most (`Some(0)`: all;
    /// `None`: just the first, LPOS without COUNT), `maxlen` how many elements to compare at most
    /// (0: all). Mirrors Redis's arithmetic, including its handling of a rank of `i64::MIN`.
    pub fn positions(
        &self,
        element: &[u8],
        rank: i64,
        count: Option<i64>,
        maxlen: i64,
    ) -> Vec<usize> {
        let (forward, rank) = if rank < 0 { (false, rank.wrapping_neg()) } else { (true, rank) };
        let len = self.len();
        let scan = if maxlen <= 0 { len } else { usize::try_from(maxlen).unwrap_or(len).min(len) };
        let mut out = Vec::new();
        let mut matches: i64 = 0;
        let mut check = |index: usize, e: &Bytes| -> bool {
            if &e[..] != element {
                return false;
            }
            matches += 1;
            if matches < rank {
                return false;
            }
            out.push(if forward { index } else { len - index - 1 });
            match count {
                None => true,
                Some(c) => c > 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c,
            }
        };
        if forward {
            for (i, e) in self.items.iter().take(scan).enumerate() {
                if check(i, e) {
                    break;
                }
            }
        } else {
            for (i, e) in self.items.iter().rev().take(scan).enumerate() {
                if check(i, e) {
                    break;
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Keyspace operations (shared with the blocking commands)
// ---------------------------------------------------------------------------------------------

/// The list under `key`: `Ok(None)` if there is no such key, `Err(WRONGTYPE)` if it holds another
/// type.
pub fn lookup<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a List>, Reply> {
    match ctx.lookup(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(wrongtype()),
    }
}

fn lookup_mut<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut List>, Reply> {
    match ctx.lookup_mut(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(wrongtype()),
    }
}

/// The number of elements under `key` (0 for a missing key), or WRONGTYPE. A blocking layer asks
/// this to know whether a key can serve a blocked pop.
pub fn len(ctx: &mut Ctx, key: &[u8]) -> Result<usize, Reply> {
    Ok(lookup(ctx, key)?.map_or(0, List::len))
}

/// Stores a new list under a key that does not exist (`Ctx::set` raises `new`, like `dbAdd`).
fn add(ctx: &mut Ctx, key: &[u8], list: List) {
    ctx.set(key, Value::List(list), false);
}

/// Pushes `elements` one after another at `end` of the list under `key` (LPUSH `a b c` leaves
/// `c b a`), creating the list unless `only_existing` (LPUSHX/RPUSHX). Returns the new length, or
/// 0 when `only_existing` and there is no key. Raises `new` (on creation) then `lpush`/`rpush`.
pub fn push<T: AsRef<[u8]>>(
    ctx: &mut Ctx,
    key: &[u8],
    end: End,
    elements: &[T],
    only_existing: bool,
) -> Result<usize, Reply> {
    let len = match lookup_mut(ctx, key)? {
        Some(list) => {
            for e in elements {
                list.push(end, bytes(e));
            }
            list.len()
        }
        None if only_existing => return Ok(0),
        None => {
            let mut list = List::new();
            for e in elements {
                list.push(end, bytes(e));
            }
            let len = list.len();
            add(ctx, key, list);
            len
        }
    };
    ctx.notify(notify::LIST, end.push_event(), key);
    Ok(len)
}

/// After elements were taken from `key`: raises `lpop`/`rpop`, and deletes the key (raising `del`)
/// when the list is now empty.
fn removed_from(ctx: &mut Ctx, key: &[u8], end: End) {
    ctx.notify(notify::LIST, end.pop_event(), key);
    ctx.delete_if_empty(key);
}

/// Pops up to `count` elements from `end` of the list under `key`, in pop order. An empty result
/// means there was no list (or `count` was 0; nothing is raised then). Raises `lpop`/`rpop`, then
/// `del` if the list was emptied (and removed). The engine of LPOP, RPOP, LMPOP and, for a blocking
/// layer, BLPOP, BRPOP and BLMPOP.
pub fn pop(ctx: &mut Ctx, key: &[u8], end: End, count: usize) -> Result<Vec<Bytes>, Reply> {
    let popped = match lookup_mut(ctx, key)? {
        Some(list) if count > 0 => list.pop_many(end, count),
        _ => return Ok(Vec::new()),
    };
    if !popped.is_empty() {
        removed_from(ctx, key, end);
    }
    Ok(popped)
}

/// Moves one element from `from` of the list `src` to `to` of the list `dst` (created if missing):
/// the engine of LMOVE, RPOPLPUSH and (for a blocking layer) BLMOVE and BRPOPLPUSH. `Ok(None)` when
/// `src` has no list; WRONGTYPE when `src`, or then `dst`, holds another type (nothing changes).
/// `src == dst` rotates the list. Raises, like Redis: `new` and `lpush`/`rpush` on `dst`, then
/// `lpop`/`rpop` on `src`, then `del` on `src` if it was emptied.
pub fn move_element(
    ctx: &mut Ctx,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
) -> Result<Option<Bytes>, Reply> {
    if lookup(ctx, src)?.is_none_or(List::is_empty) {
        return Ok(None);
    }
    lookup(ctx, dst)?;
    let Some(value) = lookup_mut(ctx, src)?.and_then(|l| l.pop(from)) else {
        return Ok(None);
    };
    // With src == dst the (possibly now empty) source list is still in place, so the element goes
    // straight back into it.
    push(ctx, dst, to, &[&value[..]], false)?;
    removed_from(ctx, src, from);
    Ok(Some(value))
}

/// The `[key, [elements...]]` reply of LMPOP and BLMPOP.
pub fn keyed_elements_reply(key: &[u8], elements: &[Bytes]) -> Reply {
    Reply::Array(vec![Reply::bulk(key), Reply::bulks(elements)])
}

// ---------------------------------------------------------------------------------------------
// Argument parsing
// ---------------------------------------------------------------------------------------------

/// A `long` argument, with Redis's generic error.
fn parse_long(arg: &[u8]) -> Result<i64, Reply> {
    crate::num::parse_i64(arg).ok_or_else(|| Reply::err(errors::NOT_INTEGER))
}

/// A `long` within `[min, max]`; anything else (not a number included) gets `msg`.
fn parse_long_in(arg: &[u8], min: i64, max: i64, msg: &str) -> Result<i64, Reply> {
    match crate::num::parse_i64(arg) {
        Some(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(Reply::err(msg)),
    }
}

pub fn parse_end(arg: &[u8]) -> Result<End, Reply> {
    End::parse(arg).ok_or_else(|| Reply::err(errors::SYNTAX))
}

fn to_usize(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Turns a `Result<Reply, Reply>` into the reply either way.
fn reply(r: Result<Reply, Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

fn push_command(ctx: &mut Ctx, args: &[Vec<u8>], end: End, only_existing: bool) -> Reply {
    let elements = args.get(2..).unwrap_or(&[]);
    match push(ctx, &args[1], end, elements, only_existing) {
        Ok(len) => Reply::Int(len as i64),
        Err(e) => e,
    }
}

/// LPUSH key element [element ...]
fn lpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    push_command(ctx, args, End::Left, false)
}

/// RPUSH key element [element ...]
fn rpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    push_command(ctx, args, End::Right, false)
}

/// LPUSHX key element [element ...]
fn lpushx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    push_command(ctx, args, End::Left, true)
}

/// RPUSHX key element [element ...]
fn rpushx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    push_command(ctx, args, End::Right, true)
}

/// LPOP/RPOP key [count]: a bulk string without a count, an array with one.
fn pop_command(ctx: &mut Ctx, args: &[Vec<u8>], end: End) -> Reply {
    reply((|| {
        if args.len() > 3 {
            return Err(wrong_arity(if end == End::Left { "lpop" } else { "rpop" }));
        }
        let count = match args.get(2) {
            Some(arg) => Some(to_usize(parse_long_in(arg, 0, i64::MAX, errors::POSITIVE)?)),
            None => None,
        };
        let key = &args[1];
        if lookup(ctx, key)?.is_none() {
            return Ok(if count.is_some() { Reply::NilArray } else { Reply::Nil });
        }
        Ok(match count {
            None => Reply::opt_bulk(pop(ctx, key, end, 1)?.first()),
            Some(n) => Reply::bulks(pop(ctx, key, end, n)?),
        })
    })())
}

/// LPOP key [count]
fn lpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_command(ctx, args, End::Left)
}

/// RPOP key [count]
fn rpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_command(ctx, args, End::Right)
}

/// LLEN key
fn llen(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match len(ctx, &args[1]) {
        Ok(n) => Reply::Int(n as i64),
        Err(e) => e,
    }
}

/// LRANGE key start stop
fn lrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let start = parse_long(&args[2])?;
        let stop = parse_long(&args[3])?;
        Ok(match lookup(ctx, &args[1])? {
            Some(list) => Reply::bulks(list.range(start, stop)),
            None => Reply::Array(Vec::new()),
        })
    })())
}

/// LINDEX key index (the key is looked up before the index is parsed, as in Redis).
fn lindex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let Some(list) = lookup(ctx, &args[1])? else {
            return Ok(Reply::Nil);
        };
        let index = parse_long(&args[2])?;
        Ok(Reply::opt_bulk(list.get(index)))
    })())
}

/// LSET key index element
fn lset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let key = &args[1];
        let Some(list) = lookup_mut(ctx, key)? else {
            return Err(Reply::err(errors::NO_SUCH_KEY));
        };
        let index = parse_long(&args[2])?;
        if !list.set(index, bytes(&args[3])) {
            return Err(Reply::err("ERR index out of range"));
        }
        ctx.notify(notify::LIST, "lset", key);
        Ok(Reply::ok())
    })())
}

/// LTRIM key start stop
fn ltrim(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let start = parse_long(&args[2])?;
        let stop = parse_long(&args[3])?;
        let key = &args[1];
        let Some(list) = lookup_mut(ctx, key)? else {
            return Ok(Reply::ok());
        };
        list.trim(start, stop);
        // Redis raises `ltrim` even when nothing was removed.
        ctx.notify(notify::LIST, "ltrim", key);
        ctx.delete_if_empty(key);
        Ok(Reply::ok())
    })())
}

/// LREM key count element
fn lrem(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let count = parse_long(&args[2])?;
        let key = &args[1];
        let Some(list) = lookup_mut(ctx, key)? else {
            return Ok(Reply::Int(0));
        };
        let removed = list.remove(count, &args[3]);
        if removed > 0 {
            ctx.notify(notify::LIST, "lrem", key);
            ctx.delete_if_empty(key);
        }
        Ok(Reply::Int(removed as i64))
    })())
}

/// LINSERT key BEFORE|AFTER pivot element
fn linsert(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let after = if args[2].eq_ignore_ascii_case(b"after") {
            true
        } else if args[2].eq_ignore_ascii_case(b"before") {
            false
        } else {
            return Err(Reply::err(errors::SYNTAX));
        };
        let key = &args[1];
        let Some(list) = lookup_mut(ctx, key)? else {
            return Ok(Reply::Int(0));
        };
        match list.insert(&args[3], bytes(&args[4]), after) {
            Some(len) => {
                ctx.notify(notify::LIST, "linsert", key);
                Ok(Reply::Int(len as i64))
            }
            None => Ok(Reply::Int(-1)),
        }
    })())
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
fn lpos(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let (mut rank, mut count, mut maxlen) = (1i64, None, 0i64);
        let mut j = 3;
        while j < args.len() {
            let opt = &args[j];
            let more = j + 1 < args.len();
            if opt.eq_ignore_ascii_case(b"rank") && more {
                j += 1;
                rank = parse_long(&args[j])?;
                if rank == 0 {
                    return Err(Reply::err(
                        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                         second ... or use negative to start from the end of the list",
                    ));
                }
            } else if opt.eq_ignore_ascii_case(b"count") && more {
                j += 1;
                count = Some(parse_long_in(&args[j], 0, i64::MAX, "ERR COUNT can't be negative")?);
            } else if opt.eq_ignore_ascii_case(b"maxlen") && more {
                j += 1;
                maxlen = parse_long_in(&args[j], 0, i64::MAX, "ERR MAXLEN can't be negative")?;
            } else {
                return Err(Reply::err(errors::SYNTAX));
            }
            j += 1;
        }
        let Some(list) = lookup(ctx, &args[1])? else {
            return Ok(if count.is_some() { Reply::Array(Vec::new()) } else { Reply::Nil });
        };
        let found = list.positions(&args[2], rank, count, maxlen);
        let int = |&p: &usize| Reply::Int(p as i64);
        Ok(match count {
            Some(_) => Reply::Array(found.iter().map(int).collect()),
            None => found.first().map_or(Reply::Nil, int),
        })
    })())
}

fn move_command(ctx: &mut Ctx, args: &[Vec<u8>], from: End, to: End) -> Reply {
    match move_element(ctx, &args[1], &args[2], from, to) {
        Ok(v) => Reply::opt_bulk(v),
        Err(e) => e,
    }
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
fn lmove(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let from = parse_end(&args[3])?;
        let to = parse_end(&args[4])?;
        Ok(move_command(ctx, args, from, to))
    })())
}

/// RPOPLPUSH source destination
fn rpoplpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    move_command(ctx, args, End::Right, End::Left)
}

/// The parsed arguments of LMPOP (and BLMPOP): keys, end and count.
pub struct MpopArgs<'a> {
    pub keys: &'a [Vec<u8>],
    pub end: End,
    pub count: usize,
}

/// Parses `numkeys key [key ...] LEFT|RIGHT [COUNT count]` starting at `args[numkeys_at]`, with
/// Redis's errors (LMPOP: `numkeys_at` 1; BLMPOP: 2, after the timeout).
pub fn parse_mpop_args(args: &[Vec<u8>], numkeys_at: usize) -> Result<MpopArgs<'_>, Reply> {
    let numkeys_arg = args.get(numkeys_at).ok_or_else(|| Reply::err(errors::SYNTAX))?;
    let numkeys = parse_long_in(numkeys_arg, 1, i64::MAX, "ERR numkeys should be greater than 0")?;
    let first_key = numkeys_at + 1;
    let end_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| first_key.checked_add(n))
        .filter(|&i| i < args.len())
        .ok_or_else(|| Reply::err(errors::SYNTAX))?;
    let end = parse_end(&args[end_at])?;
    let mut count = None;
    let mut j = end_at + 1;
    while j < args.len() {
        if count.is_none() && args[j].eq_ignore_ascii_case(b"count") && j + 1 < args.len() {
            j += 1;
            count =
                Some(parse_long_in(&args[j], 1, i64::MAX, "ERR count should be greater than 0")?);
        } else {
            return Err(Reply::err(errors::SYNTAX));
        }
        j += 1;
    }
    Ok(MpopArgs { keys: &args[first_key..end_at], end, count: to_usize(count.unwrap_or(1)) })
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list.
fn lmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = parse_mpop_args(args, 1)?;
        for key in a.keys {
            let popped = pop(ctx, key, a.end, a.count)?;
            if !popped.is_empty() {
                return Ok(keyed_elements_reply(key, &popped));
            }
        }
        Ok(Reply::NilArray)
    })())
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("lindex", lindex),
    ("linsert", linsert),
    ("llen", llen),
    ("lmove", lmove),
    ("lmpop", lmpop),
    ("lpop", lpop),
    ("lpos", lpos),
    ("lpush", lpush),
    ("lpushx", lpushx),
    ("lrange", lrange),
    ("lrem", lrem),
    ("lset", lset),
    ("ltrim", ltrim),
    ("rpop", rpop),
    ("rpoplpush", rpoplpush),
    ("rpush", rpush),
    ("rpushx", rpushx),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> List {
        List::from_elements(items)
    }

    fn items(l: &List) -> Vec<String> {
        l.iter().map(|e| String::from_utf8_lossy(e).into_owned()).collect()
    }

    #[test]
    fn ranges_resolve_like_redis() {
        assert_eq!(resolve_range(5, 0, -1), Some(0..5));
        assert_eq!(resolve_range(5, -100, 100), Some(0..5));
        assert_eq!(resolve_range(5, 2, 1), None);
        assert_eq!(resolve_range(5, 5, 10), None);
        assert_eq!(resolve_range(5, -2, -1), Some(3..5));
        assert_eq!(resolve_range(5, i64::MIN, i64::MAX), Some(0..5));
        assert_eq!(resolve_range(5, 0, i64::MIN), None);
        assert_eq!(resolve_range(0, 0, -1), None);
        assert_eq!(resolve_index(3, -3), Some(0));
        assert_eq!(resolve_index(3, -4), None);
        assert_eq!(resolve_index(3, i64::MIN), None);
        assert_eq!(resolve_index(3, 3), None);
    }

    #[test]
    fn trim_insert_remove_positions() {
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.positions(b"a", 1, Some(0), 0), vec![0, 2, 4]);
        assert_eq!(l.positions(b"a", -1, Some(2), 0), vec![4, 2]);
        assert_eq!(l.positions(b"a", i64::MIN, Some(1), 0), vec![4, 2, 0]);
        assert_eq!(l.positions(b"a", i64::MIN, None, 0), vec![4]);
        assert_eq!(l.positions(b"a", 2, Some(1), 3), vec![2]);
        assert_eq!(l.positions(b"a", 2, None, 2), Vec::<usize>::new());
        assert_eq!(l.remove(-2, b"a"), 2);
        assert_eq!(items(&l), ["a", "b", "c"]);
        assert_eq!(l.insert(b"b", bytes("x"), true), Some(4));
        assert_eq!(l.insert(b"zz", bytes("x"), true), None);
        assert_eq!(items(&l), ["a", "b", "x", "c"]);
        assert_eq!(l.trim(1, -2), 2);
        assert_eq!(items(&l), ["b", "x"]);
        assert_eq!(l.trim(5, 1), 2);
        assert!(l.is_empty());
    }

    #[test]
    fn clone_shares_and_stays_independent() {
        let mut a = List::from_elements((0..1000).map(|i| i.to_string()));
        let b = a.clone();
        a.pop_many(End::Left, 10);
        a.set(0, bytes("x"));
        assert_eq!(b.len(), 1000);
        assert_eq!(b.get(0).map(|v| &v[..]), Some(&b"0"[..]));
        assert_eq!(a.get(0).map(|v| &v[..]), Some(&b"x"[..]));
        assert_eq!(a.pop_many(End::Right, usize::MAX).len(), 990);
    }
}
