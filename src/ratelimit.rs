//! Rate limiters that run inside the engine, against the keyspace and the virtual clock.
//!
//! Each limiter is one atomic command that performs the same Redis operations the course's own
//! JavaScript performs, so its keys appear in the keyspace (and the inspector) exactly as the
//! course's code would leave them:
//!
//! - `RATELIMIT.FIXED id limit window` — the fixed window: `INCR ratelimit:<id>:<window number>`,
//!   `EXPIRE` on the first hit of a window, `TTL` for the reset time. Simple, but a client can fit
//!   up to twice the limit across a window edge.
//! - `RATELIMIT.SLIDING id limit window` — the sliding log: a sorted set `ratelimit:sliding:<id>`
//!   of request times; entries older than the window are removed, the request is added, the set
//!   is counted. No edge burst, at the cost of one member per request.
//! - `CL.THROTTLE key max_burst count period [quantity]` — GCRA, compatible with the redis-cell
//!   module: the key holds the theoretical arrival time (nanoseconds) with a TTL, and the reply is
//!   `[limited, limit, remaining, retry_after, reset_after]` (seconds, rounded up).

use crate::commands::Handler;
use crate::engine::Ctx;
use crate::num::parse_i64;
use crate::reply::{errors, Reply};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] =
    &[("ratelimit.fixed", fixed), ("ratelimit.sliding", sliding), ("cl.throttle", throttle)];

fn positive(arg: &[u8]) -> Result<i64, Reply> {
    match parse_i64(arg) {
        Some(n) if n > 0 => Ok(n),
        Some(_) => Err(Reply::err(errors::POSITIVE)),
        None => Err(Reply::err(errors::NOT_INTEGER)),
    }
}

fn int_of(r: &Reply) -> i64 {
    match r {
        Reply::Int(n) => *n,
        _ => 0,
    }
}

fn fixed(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (limit, window) = match (positive(&args[2]), positive(&args[3])) {
        (Ok(l), Ok(w)) => (l, w),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let mut key = b"ratelimit:".to_vec();
    key.extend_from_slice(&args[1]);
    key.extend_from_slice(format!(":{}", ctx.now_ms.div_euclid(1000) / window).as_bytes());
    let current = match ctx.call(&[b"INCR", &key]) {
        Reply::Int(n) => n,
        other => return other,
    };
    if current == 1 {
        ctx.call(&[b"EXPIRE", &key, window.to_string().as_bytes()]);
    }
    let reset_in = int_of(&ctx.call(&[b"TTL", &key]));
    Reply::Array(vec![
        Reply::Int((current <= limit) as i64),
        Reply::Int(current),
        Reply::Int(limit),
        Reply::Int((limit - current).max(0)),
        Reply::Int(reset_in),
    ])
}

fn sliding(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let (limit, window) = match (positive(&args[2]), positive(&args[3])) {
        (Ok(l), Ok(w)) => (l, w),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let mut key = b"ratelimit:sliding:".to_vec();
    key.extend_from_slice(&args[1]);
    let now = ctx.now_ms;
    let window_start = now - window.saturating_mul(1000);
    // The course's member is `${now}:${Math.random()}`: unique even for requests in the same ms.
    let member = format!("{now}:0.{:016}", ctx.random() % 10_000_000_000_000_000);
    if let r @ Reply::Error(_) = ctx.call(&[b"ZREMRANGEBYSCORE", &key, b"-inf", window_start.to_string().as_bytes()]) {
        return r;
    }
    ctx.call(&[b"ZADD", &key, now.to_string().as_bytes(), member.as_bytes()]);
    let count = int_of(&ctx.call(&[b"ZCARD", &key]));
    ctx.call(&[b"EXPIRE", &key, window.to_string().as_bytes()]);
    Reply::Array(vec![
        Reply::Int((count <= limit) as i64),
        Reply::Int(count),
        Reply::Int(limit),
        Reply::Int((limit - count).max(0)),
    ])
}

/// Seconds, rounded up when there is a partial millisecond-or-more component (redis-cell's rule).
fn ceil_secs(ns: i64) -> i64 {
    let whole = ns / 1_000_000_000;
    let sub_ms = (ns % 1_000_000_000) / 1_000_000;
    if sub_ms > 0 {
        whole + 1
    } else {
        whole
    }
}

fn throttle(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() != 5 && args.len() != 6 {
        return Reply::err("ERR Usage: cl.throttle <key> <max_burst> <count per period> <period> [<quantity>]");
    }
    let mut nums = [0i64; 4];
    for (i, a) in args[2..].iter().enumerate() {
        match std::str::from_utf8(a).ok().and_then(|s| s.parse::<i64>().ok()) {
            Some(n) => nums[i] = n,
            None => {
                return Reply::Error(format!("ERR Couldn't parse as integer: {}", String::from_utf8_lossy(a)))
            }
        }
    }
    let (max_burst, count, period) = (nums[0], nums[1], nums[2]);
    let quantity = if args.len() == 6 { nums[3] } else { 1 };
    let key = &args[1];
    // All in nanoseconds, like redis-cell; saturating, so that absurd arguments cannot overflow.
    let period_ns = (period as i128).saturating_mul(1_000_000_000);
    if count == 0 || period_ns == 0 {
        return Reply::err("ERR Zero rates are not supported");
    }
    let emission = ((period_ns as f64) / (count as f64)) as i128;
    if emission == 0 {
        return Reply::err("ERR Zero rates are not supported");
    }
    let dvt = emission.saturating_mul(max_burst as i128 + 1);
    let limit = max_burst.saturating_add(1);
    let increment = emission.saturating_mul(quantity as i128);
    let now = ctx.eng.clock.now_us() as i128 * 1000;
    let stored = match ctx.lookup(key) {
        Some(crate::value::Value::Str(s)) => std::str::from_utf8(&s.data).ok().and_then(|t| t.parse::<i64>().ok()),
        Some(_) => return Reply::err(errors::WRONGTYPE),
        None => None,
    };
    let tat = stored.map_or(now, |t| t as i128);
    let new_tat = now.max(tat).saturating_add(increment);
    let allow_at = new_tat.saturating_sub(dvt);
    let diff = now.saturating_sub(allow_at);
    let clamp64 = |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    let (limited, ttl, retry_after) = if diff < 0 {
        let retry = if increment <= dvt { diff.saturating_neg() } else { -1_000_000_000 };
        (true, tat.saturating_sub(now), retry)
    } else {
        let ttl = new_tat.saturating_sub(now);
        let ttl_ms = clamp64(ttl / 1_000_000).max(1);
        let value = clamp64(new_tat).to_string();
        ctx.call(&[b"SET", key, value.as_bytes(), b"PX", ttl_ms.to_string().as_bytes()]);
        (false, ttl, -1_000_000_000)
    };
    let next = dvt.saturating_sub(ttl);
    let remaining = if next > emission.saturating_neg() {
        ((next / 1000) as f64 / (emission / 1000).max(1) as f64) as i64
    } else {
        0
    };
    Reply::Array(vec![
        Reply::Int(limited as i64),
        Reply::Int(limit),
        Reply::Int(remaining),
        Reply::Int(ceil_secs(clamp64(retry_after))),
        Reply::Int(ceil_secs(clamp64(ttl))),
    ])
}
