//! The string commands: SET and its variants, GET and its variants, counters, ranges and LCS
//! (Redis's `t_string.c`).
//!
//! ## Values
//! A string key holds a [`Str`]: shared bytes plus the `raw` flag that remembers how Redis would
//! have stored it. Redis picks an encoding when a value is stored from a command argument (SET,
//! MSET, GETSET, APPEND to a new key...): `int` for a canonical 64-bit integer, `embstr` up to 44
//! bytes, `raw` beyond. Strings edited in place (APPEND to an existing key, SETRANGE) are `raw`
//! whatever they contain, and counters (INCR and friends) store `int`. [`Str::encoding`] derives
//! the rest from the bytes, so OBJECT ENCODING answers as Redis does.
//!
//! ## Order of checks
//! Redis's replies depend on the order in which it validates things (`SET k v GET EX -1` on a list
//! reports the bad expire time, not the wrong type; `GETEX missing EX -1` is a nil, not an error).
//! Each handler below follows that order exactly: options first, then expire values, then the
//! key's type, then the operation.
//!
//! ## Expiry
//! Relative times (EX, PX, SETEX, PSETEX) are added to the command's time, [`Ctx::now_ms`], which is
//! the engine's virtual clock; absolute ones (EXAT, PXAT) are used as given. Overflow anywhere in
//! that arithmetic is Redis's `invalid expire time` error.
//!
//! ## Size limits
//! Redis refuses to grow a string past `proto-max-bulk-len` (512 MB). This engine keeps whole
//! values in memory (in a browser, too), so APPEND and SETRANGE also refuse results larger than
//! [`MAX_STRING_LEN`] (64 MB), with their own error text. Below that, replies are Redis's.
//!
//! ## LCS
//! LCS runs Redis's dynamic programme (O(N×M) time) and walks back through it the same way, so the
//! string and the match ranges are the ones Redis reports. Instead of Redis's table of 32-bit
//! lengths it keeps two rows of lengths plus one bit per cell (which neighbour was longer), 1/32 of
//! the memory for the same walk. Redis's own limit on that table still applies.
//!
//! ## Events
//! Each write raises the keyspace events Redis raises: `set`, `incrby` (INCR, DECR, INCRBY, DECRBY),
//! `incrbyfloat`, `append`, `setrange` (class `$`), and `expire`, `persist`, `del` (class `g`).

use crate::commands::Handler;
use crate::engine::{wrong_arity, Ctx};
use crate::notify;
use crate::num::{fmt_long_double, parse_i64, parse_long_double, LongDouble};
use crate::reply::{errors, Reply};
use crate::value::{bytes, Bytes, Str, Value};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("append", append),
    ("decr", decr),
    ("decrby", decrby),
    ("get", get),
    ("getdel", getdel),
    ("getex", getex),
    ("getrange", getrange),
    ("getset", getset),
    ("incr", incr),
    ("incrby", incrby),
    ("incrbyfloat", incrbyfloat),
    ("lcs", lcs),
    ("mget", mget),
    ("mset", mset),
    ("msetnx", msetnx),
    ("psetex", psetex),
    ("set", set),
    ("setex", setex),
    ("setnx", setnx),
    ("setrange", setrange),
    ("strlen", strlen),
    ("substr", getrange),
];

/// Redis's `proto-max-bulk-len` default: the largest string it lets APPEND or SETRANGE build.
pub const PROTO_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

/// The largest string this engine builds with APPEND or SETRANGE (Redis would go up to
/// [`PROTO_MAX_BULK_LEN`], allocating all of it).
pub const MAX_STRING_LEN: u64 = 64 * 1024 * 1024;

type Result<T> = std::result::Result<T, Reply>;

fn wrongtype() -> Reply {
    Reply::err(errors::WRONGTYPE)
}

fn not_integer() -> Reply {
    Reply::err(errors::NOT_INTEGER)
}

fn int_arg(arg: &[u8]) -> Result<i64> {
    parse_i64(arg).ok_or_else(not_integer)
}

/// The bytes of a string key, honouring expiry: `None` if it does not exist, WRONGTYPE if it holds
/// something else. For commands that read the key (Redis's `lookupKeyRead`).
fn read_str(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Bytes>> {
    match ctx.lookup(key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.data.clone())),
        Some(_) => Err(wrongtype()),
    }
}

/// Like [`read_str`], for commands about to write the key (Redis's `lookupKeyWrite`, which never
/// counts as a keyspace miss).
fn write_str(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Bytes>> {
    read_str(ctx, key)
}

/// A value stored as Redis stores a command argument (`int`, `embstr` or `raw` by its bytes).
fn plain(data: impl AsRef<[u8]>) -> Value {
    Value::Str(Str::new(data))
}

/// A value built in place (APPEND, SETRANGE): always the `raw` encoding.
fn raw(data: Vec<u8>) -> Value {
    let mut s = Str::new(data);
    s.raw = true;
    Value::Str(s)
}

fn is_opt(arg: &[u8], name: &str) -> bool {
    crate::num::c_str(arg).eq_ignore_ascii_case(name.as_bytes())
}

/// Redis's size check before growing a string (`checkStringLength`), plus the engine's own cap.
fn check_string_length(size: u64, append: u64) -> Result<()> {
    let total = size.saturating_add(append);
    if total > PROTO_MAX_BULK_LEN {
        return Err(Reply::err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
    }
    if total > MAX_STRING_LEN {
        return Err(Reply::err("ERR string exceeds maximum allowed size (this engine's limit is 64 MB)"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// SET, GETEX and their options
// ---------------------------------------------------------------------------------------------

/// The four ways to give an expire time.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ExpireKind {
    /// Seconds from now.
    Ex,
    /// Milliseconds from now.
    Px,
    /// Unix time in seconds.
    ExAt,
    /// Unix time in milliseconds.
    PxAt,
}

/// Options of SET (NX XX GET KEEPTTL EX PX EXAT PXAT) and GETEX (PERSIST EX PX EXAT PXAT).
#[derive(Default)]
struct Opts<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    expire: Option<(ExpireKind, &'a [u8])>,
}

/// Parses SET's (`for_set`) or GETEX's options from `args[start..]` with Redis's rules: an option
/// may repeat, but NX/XX, KEEPTTL/PERSIST and the four expire forms exclude each other; anything
/// else, or an expire form without a value, is a syntax error.
fn parse_opts(args: &[Vec<u8>], start: usize, for_set: bool) -> Result<Opts<'_>> {
    let mut o = Opts::default();
    let mut j = start;
    while j < args.len() {
        let opt = args[j].as_slice();
        let next = args.get(j + 1).map(Vec::as_slice);
        let kind = o.expire.map(|(k, _)| k);
        let expire_form = [("ex", ExpireKind::Ex), ("px", ExpireKind::Px), ("exat", ExpireKind::ExAt), ("pxat", ExpireKind::PxAt)]
            .into_iter()
            .find(|(name, _)| is_opt(opt, name))
            .map(|(_, k)| k);
        if is_opt(opt, "nx") && !o.xx && for_set {
            o.nx = true;
        } else if is_opt(opt, "xx") && !o.nx && for_set {
            o.xx = true;
        } else if is_opt(opt, "get") && for_set {
            o.get = true;
        } else if is_opt(opt, "keepttl") && !o.persist && kind.is_none() && for_set {
            o.keepttl = true;
        } else if is_opt(opt, "persist") && !for_set && kind.is_none() && !o.keepttl {
            o.persist = true;
        } else if let (Some(k), Some(value)) = (expire_form, next) {
            if o.keepttl || o.persist || kind.is_some_and(|old| old != k) {
                return Err(Reply::err(errors::SYNTAX));
            }
            o.expire = Some((k, value));
            j += 1;
        } else {
            return Err(Reply::err(errors::SYNTAX));
        }
        j += 1;
    }
    Ok(o)
}

/// The absolute expiry time (ms) an expire option asks for, with Redis's checks: a positive
/// integer, no overflow when converting seconds or adding the current time.
fn expire_time(now_ms: i64, kind: ExpireKind, arg: &[u8], cmd: &str) -> Result<i64> {
    let v = int_arg(arg)?;
    let invalid = || Reply::Error(format!("ERR invalid expire time in '{cmd}' command"));
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    if v <= 0 || (seconds && v > i64::MAX / 1000) {
        return Err(invalid());
    }
    let mut ms = if seconds { v * 1000 } else { v };
    if matches!(kind, ExpireKind::Ex | ExpireKind::Px) {
        ms = ms.checked_add(now_ms).ok_or_else(invalid)?;
    }
    if ms <= 0 {
        return Err(invalid());
    }
    Ok(ms)
}

/// The common core of SET, SETNX, SETEX and PSETEX: `ok` is the reply when the value is stored,
/// `aborted` when NX/XX prevent it (GET replaces both with the old value).
fn set_generic(ctx: &mut Ctx, cmd: &str, key: &[u8], value: &[u8], o: &Opts, ok: Reply, aborted: Reply) -> Reply {
    let when = match o.expire {
        Some((kind, arg)) => match expire_time(ctx.now_ms, kind, arg, cmd) {
            Ok(t) => Some(t),
            Err(e) => return e,
        },
        None => None,
    };
    let old = if o.get {
        match read_str(ctx, key) {
            Ok(v) => Some(v),
            Err(e) => return e,
        }
    } else {
        None
    };
    if o.nx || o.xx {
        let found = ctx.exists(key);
        if (o.nx && found) || (o.xx && !found) {
            return match old {
                Some(v) => Reply::opt_bulk(v),
                None => aborted,
            };
        }
    } else {
        // Nothing to decide on, but a key whose time has come still expires first (its
        // `expired` event, then `new`), as Redis's lookup inside SET does.
        ctx.expire_if_due(key);
    }
    ctx.set(key, plain(value), o.keepttl);
    ctx.notify(notify::STRING, "set", key);
    if let Some(t) = when {
        ctx.db().set_expire(key, Some(t));
        ctx.notify(notify::GENERIC, "expire", key);
    }
    match old {
        Some(v) => Reply::opt_bulk(v),
        None => ok,
    }
}

/// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
fn set(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match parse_opts(args, 3, true) {
        Ok(o) => set_generic(ctx, "set", &args[1], &args[2], &o, Reply::ok(), Reply::Nil),
        Err(e) => e,
    }
}

/// SETNX key value: 1 if set, 0 if the key exists.
fn setnx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let o = Opts { nx: true, ..Opts::default() };
    set_generic(ctx, "setnx", &args[1], &args[2], &o, Reply::Int(1), Reply::Int(0))
}

/// SETEX key seconds value
fn setex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let o = Opts { expire: Some((ExpireKind::Ex, &args[2])), ..Opts::default() };
    set_generic(ctx, "setex", &args[1], &args[3], &o, Reply::ok(), Reply::Nil)
}

/// PSETEX key milliseconds value
fn psetex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let o = Opts { expire: Some((ExpireKind::Px, &args[2])), ..Opts::default() };
    set_generic(ctx, "psetex", &args[1], &args[3], &o, Reply::ok(), Reply::Nil)
}

/// GET key
fn get(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match read_str(ctx, &args[1]) {
        Ok(v) => Reply::opt_bulk(v),
        Err(e) => e,
    }
}

/// GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]: GET, then change the TTL. An absolute time
/// already in the past deletes the key (after replying with its value).
fn getex(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let o = match parse_opts(args, 2, false) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let key = &args[1];
    let value = match read_str(ctx, key) {
        Ok(Some(v)) => v,
        Ok(None) => return Reply::Nil,
        Err(e) => return e,
    };
    let when = match o.expire {
        Some((kind, arg)) => match expire_time(ctx.now_ms, kind, arg, "getex") {
            Ok(t) => Some((kind, t)),
            Err(e) => return e,
        },
        None => None,
    };
    match when {
        Some((ExpireKind::ExAt | ExpireKind::PxAt, t)) if t <= ctx.now_ms => {
            ctx.delete(key);
            ctx.notify(notify::GENERIC, "del", key);
        }
        Some((_, t)) => {
            ctx.db().set_expire(key, Some(t));
            ctx.notify(notify::GENERIC, "expire", key);
        }
        None => {
            if o.persist && ctx.expire_at(key).is_some() {
                ctx.db().set_expire(key, None);
                ctx.notify(notify::GENERIC, "persist", key);
            }
        }
    }
    Reply::bulk(value)
}

/// GETDEL key
fn getdel(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    match read_str(ctx, key) {
        Ok(Some(v)) => {
            ctx.delete(key);
            ctx.notify(notify::GENERIC, "del", key);
            Reply::bulk(v)
        }
        Ok(None) => Reply::Nil,
        Err(e) => e,
    }
}

/// GETSET key value: SET (dropping any TTL) and reply with the old value.
fn getset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    let old = match read_str(ctx, key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    ctx.set(key, plain(&args[2]), false);
    ctx.notify(notify::STRING, "set", key);
    Reply::opt_bulk(old)
}

/// MGET key [key ...]: nil for missing keys and for keys of other types.
fn mget(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let mut out = Vec::with_capacity(args.len() - 1);
    for key in &args[1..] {
        out.push(match ctx.lookup(key) {
            Some(Value::Str(s)) => Reply::Bulk(s.data.to_vec()),
            _ => Reply::Nil,
        });
    }
    Reply::Array(out)
}

fn mset_generic(ctx: &mut Ctx, args: &[Vec<u8>], nx: bool) -> Reply {
    if args.len().is_multiple_of(2) {
        return wrong_arity(if nx { "msetnx" } else { "mset" });
    }
    if nx {
        for pair in args[1..].chunks(2) {
            if ctx.exists(&pair[0]) {
                return Reply::Int(0);
            }
        }
    }
    for pair in args[1..].chunks(2) {
        if let [key, value] = pair {
            ctx.set(key, plain(value), false);
            ctx.notify(notify::STRING, "set", key);
        }
    }
    if nx {
        Reply::Int(1)
    } else {
        Reply::ok()
    }
}

/// MSET key value [key value ...]
fn mset(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    mset_generic(ctx, args, false)
}

/// MSETNX key value [key value ...]: all or nothing, 0 if any key exists.
fn msetnx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    mset_generic(ctx, args, true)
}

// ---------------------------------------------------------------------------------------------
// Lengths and ranges
// ---------------------------------------------------------------------------------------------

/// APPEND key value: the new length.
fn append(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (key, tail) = (&args[1], &args[2]);
    let len = match write_str(ctx, key) {
        Err(e) => return e,
        Ok(None) => {
            ctx.set(key, plain(tail), false);
            tail.len()
        }
        Ok(Some(old)) => {
            if let Err(e) = check_string_length(old.len() as u64, tail.len() as u64) {
                return e;
            }
            let mut data = Vec::with_capacity(old.len() + tail.len());
            data.extend_from_slice(&old);
            data.extend_from_slice(tail);
            let len = data.len();
            ctx.set(key, raw(data), true);
            len
        }
    };
    ctx.notify(notify::STRING, "append", key);
    Reply::Int(len as i64)
}

/// STRLEN key
fn strlen(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match read_str(ctx, &args[1]) {
        Ok(v) => Reply::Int(v.map_or(0, |v| v.len() as i64)),
        Err(e) => e,
    }
}

/// GETRANGE key start end (and its old name SUBSTR): inclusive, negative indexes count from the
/// end, out-of-range indexes are clamped.
fn getrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (mut start, mut end) = match (int_arg(&args[2]), int_arg(&args[3])) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let s = match read_str(ctx, &args[1]) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::bulk(""),
        Err(e) => return e,
    };
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Reply::bulk("");
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0).min(len - 1);
    if start > end || len == 0 {
        return Reply::bulk("");
    }
    Reply::bulk(s.get(start as usize..=end as usize).unwrap_or_default())
}

/// SETRANGE key offset value: overwrite from `offset`, padding with zero bytes; the new length.
fn setrange(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (key, patch) = (&args[1], &args[3]);
    let offset = match int_arg(&args[2]) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if offset < 0 {
        return Reply::err("ERR offset is out of range");
    }
    let old = match write_str(ctx, key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if patch.is_empty() {
        // Nothing to write: nothing changes, not even a missing key.
        return Reply::Int(old.map_or(0, |v| v.len() as i64));
    }
    if let Err(e) = check_string_length(offset as u64, patch.len() as u64) {
        return e;
    }
    // Both sizes are below MAX_STRING_LEN here.
    let offset = offset as usize;
    let exists = old.is_some();
    let mut data = old.map(|v| v.to_vec()).unwrap_or_default();
    let end = offset + patch.len();
    if data.len() < end {
        data.resize(end, 0);
    }
    data[offset..end].copy_from_slice(patch);
    let len = data.len();
    ctx.set(key, raw(data), exists);
    ctx.notify(notify::STRING, "setrange", key);
    Reply::Int(len as i64)
}

// ---------------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------------

/// Adds `delta` to the integer at `key` (0 if missing), keeping its TTL.
fn incr_by(ctx: &mut Ctx, key: &[u8], delta: i64) -> Reply {
    // One walk of the keyspace: an existing string is replaced where it stands (its TTL kept).
    let value = match ctx.lookup_mut(key) {
        None => {
            let Some(value) = 0i64.checked_add(delta) else { return Reply::err(errors::OVERFLOW) };
            ctx.set(key, Value::Str(Str::new(int_text(value, &mut [0; 20]))), true);
            value
        }
        Some(Value::Str(s)) => {
            let Some(current) = counter_value(&s.data) else { return not_integer() };
            let Some(value) = current.checked_add(delta) else { return Reply::err(errors::OVERFLOW) };
            *s = Str::new(int_text(value, &mut [0; 20]));
            value
        }
        Some(_) => return wrongtype(),
    };
    ctx.notify(notify::STRING, "incrby", key);
    Reply::Int(value)
}

/// [`parse_i64`] of a counter's value. Up to 18 digits cannot overflow, so those are read
/// without the overflow checks (which cost a 128-bit multiplication per digit in WebAssembly),
/// under exactly the same rules; longer ones go to `parse_i64` itself.
fn counter_value(b: &[u8]) -> Option<i64> {
    let digits = match b {
        [b'-', rest @ ..] => rest,
        _ => b,
    };
    if digits.len() > 18 {
        return parse_i64(b);
    }
    // No sign without digits, no `+`, no leading zero: "0" alone, or a first digit 1-9.
    match digits {
        [b'0'] if digits.len() == b.len() => return Some(0),
        [b'1'..=b'9', ..] => {}
        _ => return None,
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(if digits.len() == b.len() { v } else { -v })
}

/// The decimal text of `n`, written into `buf` (an i64 takes at most 20 bytes): no allocation.
/// Values that fit 32 bits are divided in 32 bits (a 64-bit division by ten costs a 128-bit
/// multiplication in WebAssembly).
fn int_text(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut v = n.unsigned_abs();
    let mut at = buf.len();
    while v > u64::from(u32::MAX) {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let mut small = v as u32;
    loop {
        at -= 1;
        buf[at] = b'0' + (small % 10) as u8;
        small /= 10;
        if small == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// INCR key
fn incr(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    incr_by(ctx, &args[1], 1)
}

/// DECR key
fn decr(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    incr_by(ctx, &args[1], -1)
}

/// INCRBY key increment
fn incrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match int_arg(&args[2]) {
        Ok(delta) => incr_by(ctx, &args[1], delta),
        Err(e) => e,
    }
}

/// DECRBY key decrement (the most negative decrement cannot be negated).
fn decrby(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match int_arg(&args[2]) {
        Ok(delta) => match delta.checked_neg() {
            Some(d) => incr_by(ctx, &args[1], d),
            None => Reply::err("ERR decrement would overflow"),
        },
        Err(e) => e,
    }
}

/// INCRBYFLOAT key increment: `long double` arithmetic, printed with 17 decimals at most.
fn incrbyfloat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    let not_float = || Reply::err(errors::NOT_FLOAT);
    let current = match ctx.lookup(key) {
        None => LongDouble::ZERO,
        Some(Value::Str(s)) => match parse_long_double(&s.data) {
            Some(v) => v,
            None => return not_float(),
        },
        Some(_) => return wrongtype(),
    };
    let Some(delta) = parse_long_double(&args[2]) else {
        return not_float();
    };
    let sum = current.add(delta);
    if !sum.is_finite() {
        return Reply::err("ERR increment would produce NaN or Infinity");
    }
    let text = fmt_long_double(sum);
    // Redis stores the printed result as a plain string: `embstr` up to 44 bytes, `raw` beyond,
    // never `int`, even when it reads as an integer. `Str` cannot yet say "embstr although it
    // reads as an integer", so a result like `3` reports `int` for now.
    ctx.set(key, Value::Str(Str::float_result(&text)), true);
    ctx.notify(notify::STRING, "incrbyfloat", key);
    Reply::bulk(text)
}

// ---------------------------------------------------------------------------------------------
// LCS
// ---------------------------------------------------------------------------------------------

/// One bit per cell of the LCS table: set when dropping a byte of `a` keeps a longer common
/// subsequence than dropping a byte of `b` (the direction the walk back takes).
struct Directions {
    bits: Vec<u64>,
    width: usize,
}

impl Directions {
    fn new(rows: usize, cols: usize) -> Directions {
        Directions { bits: vec![0; (rows * cols).div_ceil(64)], width: cols }
    }

    fn set(&mut self, i: usize, j: usize) {
        let n = i * self.width + j;
        if let Some(w) = self.bits.get_mut(n / 64) {
            *w |= 1 << (n % 64);
        }
    }

    fn get(&self, i: usize, j: usize) -> bool {
        let n = i * self.width + j;
        self.bits.get(n / 64).is_some_and(|w| w >> (n % 64) & 1 == 1)
    }
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
fn lcs(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    // Both keys are looked up before either is type-checked, as Redis does.
    let a = ctx.lookup(&args[1]).cloned();
    let b = ctx.lookup(&args[2]).cloned();
    let data = |v: Option<Value>| match v {
        None => Some(bytes(b"")),
        Some(Value::Str(s)) => Some(s.data),
        Some(_) => None,
    };
    let (Some(a), Some(b)) = (data(a), data(b)) else {
        return Reply::err("ERR The specified keys must contain string values");
    };
    let (mut getlen, mut getidx, mut withmatchlen, mut minmatchlen) = (false, false, false, 0i64);
    let mut j = 3;
    while j < args.len() {
        let opt = &args[j];
        if is_opt(opt, "idx") {
            getidx = true;
        } else if is_opt(opt, "len") {
            getlen = true;
        } else if is_opt(opt, "withmatchlen") {
            withmatchlen = true;
        } else if is_opt(opt, "minmatchlen") && j + 1 < args.len() {
            minmatchlen = match int_arg(&args[j + 1]) {
                Ok(v) => v.max(0),
                Err(e) => return e,
            };
            j += 1;
        } else {
            return Reply::err(errors::SYNTAX);
        }
        j += 1;
    }
    if getlen && getidx {
        return Reply::err("ERR If you want both the length and indexes, please just use IDX.");
    }
    let (alen, blen) = (a.len(), b.len());
    if alen as u64 >= u64::from(u32::MAX) - 1 || blen as u64 >= u64::from(u32::MAX) - 1 {
        return Reply::err("ERR String too long for LCS");
    }
    // Redis's table would hold (alen+1)*(blen+1) 32-bit lengths; it refuses beyond its limit.
    let cells = (alen as u64 + 1).saturating_mul(blen as u64 + 1);
    if cells.saturating_mul(4) > PROTO_MAX_BULK_LEN {
        return Reply::err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }

    // The dynamic programme, row by row; the directions are only needed to walk back.
    let walk = getidx || !getlen;
    let mut dirs = if walk { Directions::new(alen, blen) } else { Directions::new(0, 0) };
    let mut prev = vec![0u32; blen + 1];
    let mut cur = vec![0u32; blen + 1];
    for i in 1..=alen {
        cur[0] = 0;
        for jj in 1..=blen {
            cur[jj] = if a[i - 1] == b[jj - 1] {
                prev[jj - 1] + 1
            } else {
                let (up, left) = (prev[jj], cur[jj - 1]);
                if walk && up > left {
                    dirs.set(i - 1, jj - 1);
                }
                up.max(left)
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let total = if alen == 0 { 0 } else { prev[blen] };
    if !walk {
        return Reply::Int(i64::from(total));
    }

    // Walk back from the end, collecting the subsequence and the ranges of contiguous matches.
    let mut result = vec![0u8; total as usize];
    let mut idx = total as usize;
    let mut matches = Vec::new();
    // Current range: a[a_start..=a_end] matches b[b_start..=b_end]; `None` when no range is open.
    let mut range: Option<(usize, usize, usize, usize)> = None;
    let (mut i, mut jj) = (alen, blen);
    while i > 0 && jj > 0 {
        let mut emit = false;
        if a[i - 1] == b[jj - 1] {
            if let Some(slot) = idx.checked_sub(1).and_then(|k| result.get_mut(k)) {
                *slot = a[i - 1];
            }
            range = match range {
                None => Some((i - 1, i - 1, jj - 1, jj - 1)),
                Some((a_start, a_end, b_start, b_end)) if a_start == i && b_start == jj => {
                    Some((a_start - 1, a_end, b_start - 1, b_end))
                }
                Some(r) => {
                    emit = true;
                    Some(r)
                }
            };
            if range.is_some_and(|(a_start, _, b_start, _)| a_start == 0 || b_start == 0) {
                emit = true;
            }
            idx = idx.saturating_sub(1);
            i -= 1;
            jj -= 1;
        } else {
            if dirs.get(i - 1, jj - 1) {
                i -= 1;
            } else {
                jj -= 1;
            }
            if range.is_some() {
                emit = true;
            }
        }
        if emit {
            if let Some((a_start, a_end, b_start, b_end)) = range.take() {
                let match_len = (a_end - a_start + 1) as i64;
                if getidx && (minmatchlen == 0 || match_len >= minmatchlen) {
                    let mut m = vec![
                        Reply::Array(vec![Reply::Int(a_start as i64), Reply::Int(a_end as i64)]),
                        Reply::Array(vec![Reply::Int(b_start as i64), Reply::Int(b_end as i64)]),
                    ];
                    if withmatchlen {
                        m.push(Reply::Int(match_len));
                    }
                    matches.push(Reply::Array(m));
                }
            }
        }
    }
    if getidx {
        Reply::Map(vec![
            (Reply::bulk("matches"), Reply::Array(matches)),
            (Reply::bulk("len"), Reply::Int(i64::from(total))),
        ])
    } else {
        Reply::Bulk(result)
    }
}

#[cfg(test)]
mod tests {
    use super::{counter_value, int_text, parse_i64};

    #[test]
    fn int_text_writes_every_i64_as_decimal() {
        let edges = [0, 1, -1, 9, 10, -10, 12345, i64::MAX, i64::MIN, i64::MIN + 1];
        let around_u32 = [u32::MAX as i64 - 1, u32::MAX as i64, u32::MAX as i64 + 1, -(u32::MAX as i64) - 1];
        for n in edges.into_iter().chain(around_u32) {
            assert_eq!(int_text(n, &mut [0; 20]), n.to_string().as_bytes());
        }
    }

    #[test]
    fn counter_value_follows_parse_i64_exactly() {
        let mut cases: Vec<Vec<u8>> = [
            "", "-", "+1", "0", "-0", "00", "01", "-01", "1", "-1", "9", "10", "123456789012345678",
            "-123456789012345678", "999999999999999999", "1234567890123456789", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", " 1", "1 ", "1a",
            "12-3", "--1", "0x10", "1.0", "٣",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 21) as usize;
            let alphabet = b"0123456789-+ a";
            let s: Vec<u8> = (0..len).map(|i| alphabet[((x >> (i * 3)) % 14) as usize]).collect();
            cases.push(s);
            cases.push((x as i64).to_string().into_bytes());
            cases.push(((x >> (x % 60)) as i64).to_string().into_bytes());
        }
        for case in cases {
            assert_eq!(counter_value(&case), parse_i64(&case), "{:?}", String::from_utf8_lossy(&case));
        }
    }
}
