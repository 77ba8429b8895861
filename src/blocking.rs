//! Blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP on lists and BZPOPMIN, BZPOPMAX,
//! BZMPOP on sorted sets.
//!
//! A blocking command first behaves like its non-blocking twin. Only when every key it names is
//! empty does the client block: the engine records the keys, the command and a deadline on the
//! virtual clock (timeout 0 waits forever) and the call returns [`Reply::Blocked`]. Whenever a
//! command changes one of those keys, the engine runs the blocked command again for the client that
//! has waited longest, then the next, for as long as they get served; the late reply is delivered to
//! the blocked client. When the clock reaches the deadline the client gets a nil reply. Inside
//! MULTI (and in a script-like `Ctx::call`) these commands never block: they answer like an empty
//! pop would. Nothing busy-waits: the page learns of a late reply through the engine's deliveries.

use crate::commands::Handler;
use crate::engine::Ctx;
use crate::lists::{self, End};
use crate::reply::Reply;
use crate::value::bytes;
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

/// The outcome when nothing could be served now: block (or stay blocked, or answer `empty` inside
/// MULTI).
pub fn wait(ctx: &mut Ctx, keys: &[Vec<u8>], timeout_ms: i64, argv: &[Vec<u8>], empty: Reply) -> Reply {
    if ctx.in_exec {
        return empty;
    }
    if ctx.serving {
        return Reply::Blocked;
    }
    let deadline = if timeout_ms > 0 { Some(ctx.now_ms.saturating_add(timeout_ms)) } else { None };
    ctx.block(keys.iter().map(bytes).collect(), deadline, argv);
    Reply::Blocked
}

/// While serving a blocked client again, an error (the key now holds another type) keeps it
/// waiting, as Redis only wakes clients for keys of the type they wait on.
fn settle(ctx: &Ctx, r: Result<Reply, Reply>) -> Reply {
    match r {
        Ok(reply) => reply,
        Err(_) if ctx.serving => Reply::Blocked,
        Err(e) => e,
    }
}

fn pop_any(ctx: &mut Ctx, args: &[Vec<u8>], end: End) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[args.len() - 1])?;
        let keys = &args[1..args.len() - 1];
        // Every key is type-checked first, in order, as Redis does.
        for key in keys {
            lists::lookup(ctx, key)?;
        }
        for key in keys {
            let popped = lists::pop(ctx, key, end, 1)?;
            if let Some(v) = popped.first() {
                return Ok(Reply::Array(vec![Reply::bulk(key), Reply::bulk(v)]));
            }
        }
        Ok(wait(ctx, keys, timeout, args, Reply::NilArray))
    })();
    settle(ctx, r)
}

fn blpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_any(ctx, args, End::Left)
}

fn brpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    pop_any(ctx, args, End::Right)
}

fn move_blocking(ctx: &mut Ctx, args: &[Vec<u8>], from: End, to: End, timeout_at: usize) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[timeout_at])?;
        match lists::move_element(ctx, &args[1], &args[2], from, to)? {
            Some(v) => Ok(Reply::bulk(v)),
            None => Ok(wait(ctx, &args[1..2], timeout, args, Reply::Nil)),
        }
    })();
    match r {
        // Served (the source list has an element) but the destination holds another type: like
        // Redis, the client gets the WRONGTYPE error and stops waiting; the element stays.
        Err(e) if ctx.serving && matches!(lists::lookup(ctx, &args[1]), Ok(Some(l)) if !l.is_empty()) => e,
        r => settle(ctx, r),
    }
}

fn blmove(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let ends = lists::parse_end(&args[3]).and_then(|f| Ok((f, lists::parse_end(&args[4])?)));
    match ends {
        Ok((from, to)) => move_blocking(ctx, args, from, to, 5),
        Err(e) => e,
    }
}

fn brpoplpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    move_blocking(ctx, args, End::Right, End::Left, 3)
}

fn blmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[1])?;
        let a = lists::parse_mpop_args(args, 2)?;
        for key in a.keys {
            lists::lookup(ctx, key)?;
        }
        for key in a.keys {
            let popped = lists::pop(ctx, key, a.end, a.count)?;
            if !popped.is_empty() {
                return Ok(lists::keyed_elements_reply(key, &popped));
            }
        }
        Ok(wait(ctx, a.keys, timeout, args, Reply::NilArray))
    })();
    settle(ctx, r)
}

fn bzpop(ctx: &mut Ctx, args: &[Vec<u8>], max: bool) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[args.len() - 1])?;
        let names = &args[1..args.len() - 1];
        let keys: Vec<&[u8]> = names.iter().map(|k| &k[..]).collect();
        match zsets::generic_zpop(ctx, &keys, max, -1, PopShape::BZPOP) {
            e @ Reply::Error(_) => Err(e),
            Reply::Array(v) if v.is_empty() => Ok(wait(ctx, names, timeout, args, Reply::NilArray)),
            served => Ok(served),
        }
    })();
    settle(ctx, r)
}

fn bzpopmin(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    bzpop(ctx, args, false)
}

fn bzpopmax(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    bzpop(ctx, args, true)
}

fn bzmpop(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let r = (|| {
        let timeout = parse_timeout(&args[1])?;
        let p = zsets::parse_mpop(args, 2)?;
        let keys: Vec<&[u8]> = p.keys.iter().map(|k| &k[..]).collect();
        match zsets::generic_zpop(ctx, &keys, p.max, p.count, PopShape::ZMPOP) {
            e @ Reply::Error(_) => Err(e),
            Reply::NilArray => Ok(wait(ctx, &p.keys, timeout, args, Reply::NilArray)),
            served => Ok(served),
        }
    })();
    settle(ctx, r)
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
