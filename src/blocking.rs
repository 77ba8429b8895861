//! Blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP on lists and BZPOPMIN, BZPOPMAX,
//! BZMPOP on sorted sets.
//!
//! A blocking command first behaves like its non-blocking twin, in Redis 7.0's order: it parses
//! its arguments (BLMPOP and BZMPOP their keys, direction and COUNT before the timeout, the others
//! just the timeout), then walks its keys in order: a missing key is skipped, a key of another
//! type answers WRONGTYPE, and the first key with elements is served. Only when no key could serve
//! does the client block: the engine records the keys, the command and a deadline on the virtual
//! clock (timeout 0 waits forever) and the call returns [`Reply::Blocked`]. When a command changes
//! one of those keys, the engine calls [`serve`] for each client waiting on it, longest-waiting
//! first: like Redis, a client is served from that key alone, and only if it now holds the type its
//! command pops (a list for the list commands, a sorted set for the others); the others keep
//! waiting. The late reply is delivered to the blocked client. When the clock reaches the deadline
//! the client gets a nil reply. Inside MULTI (and in a script-like `Ctx::call`) these commands
//! never block: they answer like an empty pop would. Nothing busy-waits: the page learns of a late
//! reply through the engine's deliveries.

use crate::commands::Handler;
use crate::engine::Ctx;
use crate::lists::{self, End};
use crate::reply::Reply;
use crate::value::{bytes, Value};
use crate::zsets::{self, PopShape};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("blpop", blpop),
    ("brpop", brpop),
    ("blmove", blmove),
    ("brpoplpush", brpoplpush),
    ("blmpop", blmpop),
    ("bzpopmin", bzpopmin),
    ("bzpopmax", bzpopmax),
    ("bzmpop", bzmpop),
];

/// Parses a blocking timeout in seconds (a `long double`, as Redis reads it) into milliseconds,
/// rounded up, with Redis 7.0's errors.
pub fn parse_timeout(arg: &[u8]) -> Result<i64, Reply> {
    let Some(v) = crate::num::parse_long_double(arg) else {
        return Err(Reply::err("ERR timeout is not a float or out of range"));
    };
    let ms = (v.to_f64() * 1000.0).ceil();
    // Redis converts with a plain C cast: out of range (or infinite) becomes LLONG_MIN.
    if !(ms < 9.223_372_036_854_775_807e18) || ms < 0.0 {
        return Err(Reply::err("ERR timeout is negative"));
    }
    Ok(ms as i64)
}

/// The outcome when nothing could be served now: block (or answer `empty` inside MULTI).
pub fn wait(ctx: &mut Ctx, keys: &[Vec<u8>], timeout_ms: i64, argv: &[Vec<u8>], empty: Reply) -> Reply {
    if ctx.in_exec {
        return empty;
    }
    let deadline = if timeout_ms > 0 { Some(ctx.now_ms.saturating_add(timeout_ms)) } else { None };
    ctx.block(keys.iter().map(bytes).collect(), deadline, argv);
    Reply::Blocked
}

/// The first of `keys` holding a non-empty list, walking them in order as Redis does: a missing
/// key is skipped, a key of another type is WRONGTYPE (even when a later key has elements).
fn first_list<'k>(ctx: &mut Ctx, keys: &'k [Vec<u8>]) -> Result<Option<&'k [u8]>, Reply> {
    for key in keys {
        if lists::lookup(ctx, key)?.is_some_and(|l| !l.is_empty()) {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// True if `key` holds a list with elements: what a list waiter needs to be served.
fn has_list(ctx: &mut Ctx, key: &[u8]) -> bool {
    matches!(ctx.lookup(key), Some(Value::List(l)) if !l.is_empty())
}

/// True if `key` holds a sorted set with elements: what a sorted-set waiter needs to be served.
fn has_zset(ctx: &mut Ctx, key: &[u8]) -> bool {
    matches!(ctx.lookup(key), Some(Value::ZSet(z)) if !z.is_empty())
}

/// BLPOP / BRPOP from `key`, which holds a list with elements.
fn pop_one(ctx: &mut Ctx, key: &[u8], end: End) -> Result<Reply, Reply> {
    Ok(match lists::pop(ctx, key, end, 1)?.first() {
        Some(v) => Reply::Array(vec![Reply::bulk(key), Reply::bulk(v)]),
        None => Reply::Blocked,
    })
}

fn pop_any(ctx: &mut Ctx, args: &[Vec<u8>], end: End) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[args.len() - 1])?;
        let keys = &args[1..args.len() - 1];
        match first_list(ctx, keys)? {
            Some(key) => pop_one(ctx, key, end),
            None => Ok(wait(ctx, keys, timeout, args, Reply::NilArray)),
        }
    })();
    r.unwrap_or_else(|e| e)
}

fn blpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_any(ctx, args, End::Left)
}

fn brpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_any(ctx, args, End::Right)
}

/// The ends of BLMOVE (a syntax error unless LEFT or RIGHT) or BRPOPLPUSH, and where the timeout is.
fn move_ends(args: &[Vec<u8>]) -> Result<(End, End, usize), Reply> {
    if args[0].eq_ignore_ascii_case(b"brpoplpush") {
        return Ok((End::Right, End::Left, 3));
    }
    Ok((lists::parse_end(&args[3])?, lists::parse_end(&args[4])?, 5))
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout (the ends are parsed before the
/// timeout), BRPOPLPUSH source destination timeout.
fn move_blocking(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let r = (|| {
        let (from, to, timeout_at) = move_ends(args)?;
        let timeout = parse_timeout(&args[timeout_at])?;
        match lists::move_element(ctx, &args[1], &args[2], from, to)? {
            Some(v) => Ok(Reply::bulk(v)),
            None => Ok(wait(ctx, &args[1..2], timeout, args, Reply::Nil)),
        }
    })();
    r.unwrap_or_else(|e| e)
}

fn blmove(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    move_blocking(ctx, args)
}

fn brpoplpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    move_blocking(ctx, args)
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: everything after the timeout is
/// parsed first, as Redis does.
fn blmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let r = (|| {
        let a = lists::parse_mpop_args(args, 2)?;
        let timeout = parse_timeout(&args[1])?;
        match first_list(ctx, a.keys)? {
            Some(key) => Ok(lists::keyed_elements_reply(key, &lists::pop(ctx, key, a.end, a.count)?)),
            None => Ok(wait(ctx, a.keys, timeout, args, Reply::NilArray)),
        }
    })();
    r.unwrap_or_else(|e| e)
}

fn bzpop(ctx: &mut Ctx, args: &[Vec<u8>], max: bool) -> Reply {
    let timeout = match parse_timeout(&args[args.len() - 1]) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let names = &args[1..args.len() - 1];
    let keys: Vec<&[u8]> = names.iter().map(|k| &k[..]).collect();
    // The first existing key is served, or is WRONGTYPE (a sorted set is never empty).
    match zsets::generic_zpop(ctx, &keys, max, -1, PopShape::BZPOP) {
        Reply::Array(v) if v.is_empty() => wait(ctx, names, timeout, args, Reply::NilArray),
        answered => answered,
    }
}

fn bzpopmin(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    bzpop(ctx, args, false)
}

fn bzpopmax(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    bzpop(ctx, args, true)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: everything after the timeout is
/// parsed first, as Redis does.
fn bzmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let r = (|| {
        let p = zsets::parse_mpop(args, 2)?;
        let timeout = parse_timeout(&args[1])?;
        let keys: Vec<&[u8]> = p.keys.iter().map(|k| &k[..]).collect();
        Ok(match zsets::generic_zpop(ctx, &keys, p.max, p.count, PopShape::ZMPOP) {
            Reply::NilArray => wait(ctx, &p.keys, timeout, args, Reply::NilArray),
            answered => answered,
        })
    })();
    r.unwrap_or_else(|e| e)
}

/// Serves the blocked command `argv` from `key`, which one of its writes just changed, the way
/// Redis serves a ready key: from that key only, and only if it holds the type the command pops
/// and has elements; otherwise [`Reply::Blocked`] (the client keeps waiting). The command's
/// arguments were checked when it blocked. A served BLMOVE/BRPOPLPUSH whose destination holds
/// another type answers WRONGTYPE (the client stops waiting; the element stays).
pub fn serve(ctx: &mut Ctx, argv: &[Vec<u8>], key: &[u8]) -> Reply {
    let name = argv[0].to_ascii_lowercase();
    let r = match name.as_slice() {
        b"blpop" | b"brpop" | b"blmove" | b"brpoplpush" | b"blmpop" if !has_list(ctx, key) => {
            return Reply::Blocked;
        }
        b"bzpopmin" | b"bzpopmax" | b"bzmpop" if !has_zset(ctx, key) => return Reply::Blocked,
        b"blpop" => pop_one(ctx, key, End::Left),
        b"brpop" => pop_one(ctx, key, End::Right),
        b"blmove" | b"brpoplpush" => move_ends(argv).and_then(|(from, to, _)| {
            Ok(lists::move_element(ctx, key, &argv[2], from, to)?.map_or(Reply::Blocked, Reply::bulk))
        }),
        b"blmpop" => lists::parse_mpop_args(argv, 2)
            .and_then(|a| Ok(lists::keyed_elements_reply(key, &lists::pop(ctx, key, a.end, a.count)?))),
        b"bzpopmin" | b"bzpopmax" => {
            Ok(zsets::generic_zpop(ctx, &[key], name == b"bzpopmax", -1, PopShape::BZPOP))
        }
        b"bzmpop" => zsets::parse_mpop(argv, 2)
            .map(|p| zsets::generic_zpop(ctx, &[key], p.max, p.count, PopShape::ZMPOP)),
        _ => Ok(Reply::Blocked),
    };
    r.unwrap_or_else(|e| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_move_into_a_key_of_another_type_answers_wrongtype() {
        let mut eng = crate::engine::Engine::new();
        let (waiter, other) = (eng.open_client(), eng.open_client());
        let run = |eng: &mut crate::engine::Engine, id, args: &[&str]| {
            eng.execute(id, &args.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>())
        };
        run(&mut eng, other, &["SET", "target", "nolist"]);
        assert_eq!(run(&mut eng, waiter, &["BRPOPLPUSH", "blist", "target", "0"]), Reply::Blocked);
        assert_eq!(run(&mut eng, other, &["RPUSH", "blist", "foo"]), Reply::Int(1));
        assert_eq!(
            eng.take_deliveries(),
            vec![(waiter, Reply::err("WRONGTYPE Operation against a key holding the wrong kind of value"))]
        );
        assert!(eng.client(waiter).is_some_and(|c| c.blocked.is_none()));
        assert_eq!(run(&mut eng, other, &["LRANGE", "blist", "0", "-1"]), Reply::bulks(["foo"]));
        // A source that turns into another type still keeps the client waiting.
        assert_eq!(run(&mut eng, waiter, &["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]), Reply::Blocked);
        run(&mut eng, other, &["SET", "src", "x"]);
        assert!(eng.take_deliveries().is_empty());
        assert!(eng.client(waiter).is_some_and(|c| c.blocked.is_some()));
    }

    #[test]
    fn a_ready_key_serves_the_waiters_of_its_type_in_order() {
        let mut eng = crate::engine::Engine::new();
        let (list1, zset1, list2, other) = (eng.open_client(), eng.open_client(), eng.open_client(), eng.open_client());
        let run = |eng: &mut crate::engine::Engine, id, args: &[&str]| {
            eng.execute(id, &args.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>())
        };
        assert_eq!(run(&mut eng, list1, &["BRPOP", "k", "0"]), Reply::Blocked);
        assert_eq!(run(&mut eng, zset1, &["BZMPOP", "0", "1", "k", "MAX"]), Reply::Blocked);
        assert_eq!(run(&mut eng, list2, &["BLPOP", "w", "k", "0"]), Reply::Blocked);
        run(&mut eng, other, &["ZADD", "k", "1", "a"]);
        let served = eng.take_deliveries();
        assert_eq!(served.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![zset1]);
        run(&mut eng, other, &["DEL", "k"]);
        // An earlier key of another type does not stop a waiter served from the key that is ready.
        run(&mut eng, other, &["SET", "w", "str"]);
        run(&mut eng, other, &["RPUSH", "k", "x", "y"]);
        assert_eq!(
            eng.take_deliveries(),
            vec![(list1, Reply::bulks(["k", "y"])), (list2, Reply::bulks(["k", "x"]))]
        );
    }

    #[test]
    fn timeouts_like_redis() {
        assert_eq!(parse_timeout(b"0"), Ok(0));
        assert_eq!(parse_timeout(b"0.1"), Ok(100));
        assert_eq!(parse_timeout(b"0.0001"), Ok(1));
        assert_eq!(parse_timeout(b"1.5"), Ok(1500));
        assert_eq!(parse_timeout(b"0x10"), Ok(16_000));
        assert_eq!(parse_timeout(b"-0.0001"), Ok(0));
        let negative = Err(Reply::err("ERR timeout is negative"));
        assert_eq!(parse_timeout(b"-1"), negative);
        assert_eq!(parse_timeout(b"1e20"), negative);
        assert_eq!(parse_timeout(b"inf"), negative);
        let bad = Err(Reply::err("ERR timeout is not a float or out of range"));
        assert_eq!(parse_timeout(b"nan"), bad);
        assert_eq!(parse_timeout(b" 1"), bad);
        assert_eq!(parse_timeout(b"abc"), bad);
    }
}
