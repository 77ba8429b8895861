//! The generic (keyspace) commands: the ones that work on keys whatever they hold.
//!
//! DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, COPY, MOVE, KEYS, SCAN, RANDOMKEY, the
//! expiry family (EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME,
//! PERSIST) and OBJECT — Redis's `db.c`, `expire.c` and the OBJECT part of `object.c`.
//!
//! ## Time
//! Every expiry is an absolute time in milliseconds on the engine's virtual clock, and every
//! command reads the time once, as [`Ctx::now_ms`]: a command sees one instant from start to end.
//! A key whose time has come is missing for every command (the lookups in [`Ctx`] remove it
//! first), and setting an expiry time that is already past deletes the key on the spot, as Redis
//! does on a primary (raising `del`, not `expired`).
//!
//! ## Moving values around
//! Values are persistent data structures, so RENAME, MOVE and COPY never copy elements: a COPY
//! shares the source's structure until either key is written (Redis duplicates the object
//! eagerly; the visible result is the same).
//!
//! ## Events
//! Each command raises the keyspace events Redis raises, in the same order: `del`, `rename_from`
//! and `rename_to`, `move_from` and `move_to` (each in its own database), `copy_to`, `expire`,
//! `persist`, and `new` when a key is created under a new name.
//!
//! ## SCAN
//! The cursor is a position on the keyspace's hash ring (see [`crate::keyspace`]), so a key that
//! exists for a whole scan is always returned, whatever happens meanwhile. Cursors are therefore
//! not the numbers a real Redis would hand out, but they are used the same way: start from 0,
//! continue with the returned cursor until it is 0 again.

use crate::commands::Handler;
use crate::engine::Ctx;
use crate::notify;
use crate::num::parse_i64;
use crate::reply::{errors, Reply};
use crate::value::Value;

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("del", del),
    ("unlink", unlink),
    ("exists", exists),
    ("type", type_cmd),
    ("touch", touch),
    ("rename", rename),
    ("renamenx", renamenx),
    ("copy", copy),
    ("move", move_cmd),
    ("keys", keys),
    ("scan", scan),
    ("randomkey", randomkey),
    ("expire", expire),
    ("pexpire", pexpire),
    ("expireat", expireat),
    ("pexpireat", pexpireat),
    ("ttl", ttl),
    ("pttl", pttl),
    ("expiretime", expiretime),
    ("pexpiretime", pexpiretime),
    ("persist", persist),
    ("object|encoding", object_encoding),
    ("object|freq", object_freq),
    ("object|idletime", object_idletime),
    ("object|refcount", object_refcount),
    ("object|help", object_help),
];

const SAME_OBJECT: &str = "ERR source and destination objects are the same";

/// Redis keeps one shared object for each small non-negative integer and reports this reference
/// count (C's `INT_MAX`) for them.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// Values below this are Redis's shared integers (`OBJ_SHARED_INTEGERS`).
const SHARED_INTEGERS: i64 = 10_000;

/// The value of `key` in the selected database (after the expiry check), cheaply cloned.
fn value_of(ctx: &mut Ctx, key: &[u8]) -> Option<Value> {
    ctx.lookup(key).cloned()
}

/// Parses a database number like Redis's `getIntFromObjectOrReply` followed by `selectDb`.
fn parse_db(arg: &[u8]) -> Result<usize, Reply> {
    let Some(n) = parse_i64(arg) else {
        return Err(Reply::err(errors::NOT_INTEGER));
    };
    if n < i32::MIN as i64 || n > i32::MAX as i64 {
        return Err(Reply::err(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ));
    }
    if n < 0 || n >= crate::engine::DATABASES as i64 {
        return Err(Reply::err(errors::DB_INDEX));
    }
    Ok(n as usize)
}

/// An argument quoted at the end of an error text, as Redis's formatted errors show it: read as a
/// C string (up to a NUL byte), trailing line breaks trimmed, inner ones turned into spaces.
fn error_tail(b: &[u8]) -> String {
    let b = b.split(|&c| c == 0).next().unwrap_or_default();
    let end = b.iter().rposition(|&c| c != b'\r' && c != b'\n').map_or(0, |i| i + 1);
    String::from_utf8_lossy(&b[..end]).replace(['\r', '\n'], " ")
}

// ---------------------------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH

/// `DEL key [key ...]`: how many of the keys existed (and are now gone).
fn del(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let mut n = 0;
    for key in &args[1..] {
        if ctx.delete(key) {
            ctx.notify(notify::GENERIC, "del", key);
            n += 1;
        }
    }
    Reply::Int(n)
}

/// `UNLINK key [key ...]`: DEL (Redis frees the memory in the background; here there is nothing
/// to free eagerly, as values are reference counted).
fn unlink(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    del(ctx, args)
}

/// `EXISTS key [key ...]`: how many of the arguments exist (a key named twice counts twice).
fn exists(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let n = args[1..].iter().filter(|k| ctx.exists(k)).count();
    Reply::Int(n as i64)
}

/// `TYPE key`: `string`, `list`, `set`, `zset`, `hash`, or `none`.
fn type_cmd(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let name = ctx.lookup(&args[1]).map(|v| v.type_name()).unwrap_or("none");
    Reply::Status(name.to_string())
}

/// `TOUCH key [key ...]`: how many of the keys exist (the access time is not tracked).
fn touch(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    exists(ctx, args)
}

// ---------------------------------------------------------------------------------------------
// RENAME, RENAMENX, COPY, MOVE

fn rename(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    rename_generic(ctx, args, false)
}

fn renamenx(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    rename_generic(ctx, args, true)
}

/// RENAME and RENAMENX: the value keeps its expiry under the new name.
fn rename_generic(ctx: &mut Ctx, args: &[Vec<u8>], nx: bool) -> Reply {
    let (src, dst) = (&args[1], &args[2]);
    ctx.expire_if_due(src);
    let Some(entry) = ctx.db().get(src).cloned() else {
        return Reply::err(errors::NO_SUCH_KEY);
    };
    if src == dst {
        return if nx { Reply::Int(0) } else { Reply::ok() };
    }
    if ctx.exists(dst) {
        if nx {
            return Reply::Int(0);
        }
        ctx.db().remove(dst);
    }
    ctx.db().insert_entry(dst, entry);
    ctx.notify(notify::NEW, "new", dst);
    ctx.db().remove(src);
    ctx.notify(notify::GENERIC, "rename_from", src);
    ctx.notify(notify::GENERIC, "rename_to", dst);
    if nx {
        Reply::Int(1)
    } else {
        Reply::ok()
    }
}

/// `COPY source destination [DB destination-db] [REPLACE]`
fn copy(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let src_db = ctx.db_index();
    let mut dst_db = src_db;
    let mut replace = false;
    let mut j = 3;
    while j < args.len() {
        let opt = &args[j];
        if opt.eq_ignore_ascii_case(b"replace") {
            replace = true;
        } else if opt.eq_ignore_ascii_case(b"db") && j + 1 < args.len() {
            match parse_db(&args[j + 1]) {
                Ok(db) => dst_db = db,
                Err(e) => return e,
            }
            j += 1;
        } else {
            return Reply::err(errors::SYNTAX);
        }
        j += 1;
    }
    let (key, newkey) = (&args[1], &args[2]);
    if src_db == dst_db && key == newkey {
        return Reply::err(SAME_OBJECT);
    }
    // A read lookup of the source (a miss raises `keymiss`).
    ctx.lookup(key);
    let Some(entry) = ctx.db().get(key).cloned() else {
        return Reply::Int(0);
    };
    ctx.expire_if_due_in(dst_db, newkey);
    if ctx.db_at(dst_db).contains(newkey) {
        if !replace {
            return Reply::Int(0);
        }
        ctx.db_at(dst_db).remove(newkey);
    }
    ctx.db_at(dst_db).insert_entry(newkey, entry);
    ctx.notify_in(dst_db, notify::NEW, "new", newkey);
    ctx.notify_in(dst_db, notify::GENERIC, "copy_to", newkey);
    Reply::Int(1)
}

/// `MOVE key db`: 1 if moved, 0 if the key is missing here or already exists there.
fn move_cmd(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    let dst_db = match parse_db(&args[2]) {
        Ok(db) => db,
        Err(e) => return e,
    };
    let src_db = ctx.db_index();
    if src_db == dst_db {
        return Reply::err(SAME_OBJECT);
    }
    ctx.expire_if_due(key);
    let Some(entry) = ctx.db().get(key).cloned() else {
        return Reply::Int(0);
    };
    ctx.expire_if_due_in(dst_db, key);
    if ctx.db_at(dst_db).contains(key) {
        return Reply::Int(0);
    }
    ctx.db_at(dst_db).insert_entry(key, entry);
    ctx.notify_in(dst_db, notify::NEW, "new", key);
    ctx.db_at(src_db).remove(key);
    ctx.notify_in(src_db, notify::GENERIC, "move_from", key);
    ctx.notify_in(dst_db, notify::GENERIC, "move_to", key);
    Reply::Int(1)
}

// ---------------------------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY

/// `KEYS pattern`: every live key matching the glob, in SCAN order.
fn keys(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let pattern = &args[1];
    let all = pattern.as_slice() == b"*";
    let now = ctx.now_ms;
    let out: Vec<Reply> = ctx
        .db()
        .iter()
        .filter(|(k, e)| {
            e.expire_at.is_none_or(|t| t > now)
                && (all || crate::glob::matches(pattern, k, false))
        })
        .map(|(k, _)| Reply::bulk(k))
        .collect();
    Reply::Array(out)
}


/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`
fn scan(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(cursor) = crate::num::parse_scan_cursor(&args[1]) else {
        return Reply::err("ERR invalid cursor");
    };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut i = 2;
    while i < args.len() {
        let opt = &args[i];
        let has_value = i + 1 < args.len();
        if opt.eq_ignore_ascii_case(b"count") && has_value {
            let Some(n) = parse_i64(&args[i + 1]) else {
                return Reply::err(errors::NOT_INTEGER);
            };
            if n < 1 {
                return Reply::err(errors::SYNTAX);
            }
            count = n;
        } else if opt.eq_ignore_ascii_case(b"match") && has_value {
            let p = args[i + 1].as_slice();
            // A lone `*` matches everything, the empty key included.
            pattern = if p == b"*" { None } else { Some(p) };
        } else if opt.eq_ignore_ascii_case(b"type") && has_value {
            type_name = Some(args[i + 1].as_slice());
        } else {
            return Reply::err(errors::SYNTAX);
        }
        i += 2;
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let now = ctx.now_ms;
    let db = ctx.db();
    let (next, batch) = db.scan(cursor, count);
    let mut out = Vec::with_capacity(batch.len());
    for key in batch {
        if pattern.is_some_and(|p| !crate::glob::matches(p, &key, false)) {
            continue;
        }
        let Some(entry) = db.get(&key) else { continue };
        if entry.expire_at.is_some_and(|t| t <= now) {
            continue;
        }
        if type_name.is_some_and(|t| !t.eq_ignore_ascii_case(entry.value.type_name().as_bytes())) {
            continue;
        }
        out.push(Reply::bulk(&key));
    }
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(out)])
}

/// `RANDOMKEY`: a random live key, or nil when the database is empty.
fn randomkey(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    // Each pass either returns or removes one due key, so this ends.
    loop {
        let point = ctx.random();
        let Some(key) = ctx.db().key_near(point).cloned() else {
            return Reply::Nil;
        };
        if !ctx.expire_if_due(&key) {
            return Reply::bulk(&key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST

/// `EXPIRE key seconds [NX | XX | GT | LT]`
fn expire(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let now = ctx.now_ms;
    expire_generic(ctx, args, "expire", now, true)
}

/// `PEXPIRE key milliseconds [NX | XX | GT | LT]`
fn pexpire(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let now = ctx.now_ms;
    expire_generic(ctx, args, "pexpire", now, false)
}

/// `EXPIREAT key unix-time-seconds [NX | XX | GT | LT]`
fn expireat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    expire_generic(ctx, args, "expireat", 0, true)
}

/// `PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]`
fn pexpireat(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    expire_generic(ctx, args, "pexpireat", 0, false)
}

/// The condition flags of the EXPIRE family.
#[derive(Default)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_expire_flags(args: &[Vec<u8>]) -> Result<ExpireFlags, Reply> {
    let mut f = ExpireFlags::default();
    for opt in args {
        if opt.eq_ignore_ascii_case(b"nx") {
            f.nx = true;
        } else if opt.eq_ignore_ascii_case(b"xx") {
            f.xx = true;
        } else if opt.eq_ignore_ascii_case(b"gt") {
            f.gt = true;
        } else if opt.eq_ignore_ascii_case(b"lt") {
            f.lt = true;
        } else {
            return Err(Reply::Error(format!("ERR Unsupported option {}", error_tail(opt))));
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(Reply::err("ERR NX and XX, GT or LT options at the same time are not compatible"));
    }
    if f.gt && f.lt {
        return Err(Reply::err("ERR GT and LT options at the same time are not compatible"));
    }
    Ok(f)
}

/// The EXPIRE family. `base` is added to the argument (the current time for the relative forms,
/// 0 for the absolute ones); `seconds` says the argument is in seconds.
fn expire_generic(ctx: &mut Ctx, args: &[Vec<u8>], name: &str, base: i64, seconds: bool) -> Reply {
    let flags = match parse_expire_flags(&args[3..]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let Some(mut when) = parse_i64(&args[2]) else {
        return Reply::err(errors::NOT_INTEGER);
    };
    let invalid = || Reply::Error(format!("ERR invalid expire time in '{name}' command"));
    if seconds {
        match when.checked_mul(1000) {
            Some(ms) => when = ms,
            None => return invalid(),
        }
    }
    // Only overflow past the top is an error in Redis (times can be negative); a sum below the
    // bottom can only come from a clock set before 1970, and is refused the same way.
    match when.checked_add(base) {
        Some(t) => when = t,
        None => return invalid(),
    }

    let key = &args[1];
    let Some(current) = expiry_of(ctx, key) else {
        return Reply::Int(0);
    };
    if flags.nx && current.is_some() {
        return Reply::Int(0);
    }
    if flags.xx && current.is_none() {
        return Reply::Int(0);
    }
    // No expiry counts as an infinite one.
    if flags.gt && current.is_none_or(|c| when <= c) {
        return Reply::Int(0);
    }
    if flags.lt && current.is_some_and(|c| when >= c) {
        return Reply::Int(0);
    }

    if when <= ctx.now_ms {
        ctx.db().remove(key);
        ctx.notify(notify::GENERIC, "del", key);
    } else {
        ctx.db().set_expire(key, Some(when));
        ctx.notify(notify::GENERIC, "expire", key);
    }
    Reply::Int(1)
}

/// `PERSIST key`: 1 if a TTL was removed.
fn persist(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let key = &args[1];
    match expiry_of(ctx, key) {
        Some(Some(_)) => {
            ctx.db().set_expire(key, None);
            ctx.notify(notify::GENERIC, "persist", key);
            Reply::Int(1)
        }
        _ => Reply::Int(0),
    }
}

/// The expiry state of `key` after the expiry check: `None` when the key is missing, otherwise
/// its expiry time if it has one.
fn expiry_of(ctx: &mut Ctx, key: &[u8]) -> Option<Option<i64>> {
    ctx.lookup(key)?;
    ctx.db().get(key).map(|e| e.expire_at)
}

// ---------------------------------------------------------------------------------------------
// TTL, PTTL, EXPIRETIME, PEXPIRETIME

/// `TTL key`: seconds left (rounded), -1 without expiry, -2 when missing.
fn ttl(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    ttl_generic(ctx, &args[1], false, false)
}

/// `PTTL key`: milliseconds left.
fn pttl(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    ttl_generic(ctx, &args[1], true, false)
}

/// `EXPIRETIME key`: the expiry as a Unix time in seconds.
fn expiretime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    ttl_generic(ctx, &args[1], false, true)
}

/// `PEXPIRETIME key`: the expiry as a Unix time in milliseconds.
fn pexpiretime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    ttl_generic(ctx, &args[1], true, true)
}

fn ttl_generic(ctx: &mut Ctx, key: &[u8], ms: bool, absolute: bool) -> Reply {
    let Some(expire) = expiry_of(ctx, key) else {
        return Reply::Int(-2);
    };
    let Some(at) = expire else {
        return Reply::Int(-1);
    };
    let t: i128 = if absolute { at as i128 } else { at as i128 - ctx.now_ms as i128 };
    let t = t.max(0);
    // Seconds are rounded to the nearest, halves up.
    let t = if ms { t } else { (t + 500) / 1000 };
    Reply::Int(t.min(i64::MAX as i128) as i64)
}

// ---------------------------------------------------------------------------------------------
// OBJECT

/// `OBJECT ENCODING key`: the name of the representation Redis would use for the value.
fn object_encoding(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match value_of(ctx, &args[2]) {
        Some(v) => Reply::bulk(v.encoding(ctx.config())),
        None => Reply::Nil,
    }
}

/// `OBJECT REFCOUNT key`: Redis shares one object per small integer (0..9999) and reports
/// `INT_MAX` for it; every other value has one reference.
fn object_refcount(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match value_of(ctx, &args[2]) {
        Some(Value::Str(s)) if s.encoding() == "int" => {
            let shared = parse_i64(&s.data).is_some_and(|n| (0..SHARED_INTEGERS).contains(&n));
            Reply::Int(if shared { SHARED_REFCOUNT } else { 1 })
        }
        Some(_) => Reply::Int(1),
        None => Reply::Nil,
    }
}

/// `OBJECT IDLETIME key`: seconds since the last access. Access times are not tracked, so a key
/// always reads as just used (which is what a real Redis answers right after the key is used).
fn object_idletime(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match value_of(ctx, &args[2]) {
        Some(_) => Reply::Int(0),
        None => Reply::Nil,
    }
}

/// `OBJECT FREQ key`: only meaningful under an LFU `maxmemory-policy`, which the engine never
/// runs (it has no memory limit), so it answers like Redis under its default policy.
fn object_freq(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match value_of(ctx, &args[2]) {
        Some(_) => Reply::err(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note \
             that when switching between policies at runtime LRU and LFU data will take some time \
             to adjust.",
        ),
        None => Reply::Nil,
    }
}

/// `OBJECT HELP`
fn object_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    const LINES: &[&str] = &[
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    Reply::Array(LINES.iter().map(|l| Reply::Status(l.to_string())).collect())
}
