//! The engine's rate limiters: exact decisions for scripted request times on the virtual clock.

use redis_playground::{Engine, Reply};

fn run(e: &mut Engine, c: u64, line: &str) -> Reply {
    e.execute_line(c, line).unwrap_or(Reply::Nil)
}

fn ints(v: &[i64]) -> Reply {
    Reply::Array(v.iter().map(|n| Reply::Int(*n)).collect())
}

/// An engine whose frozen clock stands at `t0_ms`.
fn at(t0_ms: i64) -> (Engine, u64) {
    let mut e = Engine::new();
    e.clock.freeze();
    e.clock.set_us(t0_ms * 1000);
    let c = e.open_client();
    (e, c)
}

fn allowed(r: &Reply) -> bool {
    matches!(r, Reply::Array(v) if v.first() == Some(&Reply::Int(1)))
}

#[test]
fn fixed_window_counts_and_expires_like_the_course() {
    // 1_700_000_000_000 ms is 28_333_333 minutes and 20 s: 40 s left in this 60 s window.
    let (mut e, c) = at(1_700_000_000_000);
    let window = 1_700_000_000 / 60;
    for i in 1..=3 {
        assert_eq!(run(&mut e, c, "RATELIMIT.FIXED 1.2.3.4 3 60"), ints(&[1, i, 3, 3 - i, 60]));
    }
    assert_eq!(run(&mut e, c, "RATELIMIT.FIXED 1.2.3.4 3 60"), ints(&[0, 4, 3, 0, 60]));
    // The key is the course's: ratelimit:<id>:<window number>, with the TTL set on the first hit.
    let key = format!("ratelimit:1.2.3.4:{window}");
    assert_eq!(run(&mut e, c, &format!("GET {key}")), Reply::bulk("4"));
    assert_eq!(run(&mut e, c, &format!("TTL {key}")), Reply::Int(60));
    e.clock.advance_us(10_000_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.FIXED 1.2.3.4 3 60"), ints(&[0, 5, 3, 0, 50]));
    // The next window starts afresh.
    e.clock.advance_us(30_000_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.FIXED 1.2.3.4 3 60"), ints(&[1, 1, 3, 2, 60]));
    assert_eq!(run(&mut e, c, "RATELIMIT.FIXED x 0 60"), Reply::err("ERR value is out of range, must be positive"));
    assert_eq!(run(&mut e, c, "RATELIMIT.FIXED x a 60"), Reply::err("ERR value is not an integer or out of range"));
}

#[test]
fn the_fixed_windows_edge_burst_and_the_sliding_window_that_prevents_it() {
    // Half a second before a window edge.
    let edge = 1_700_000_040_000; // a multiple of 60 s
    let (mut e, c) = at(edge - 500);
    let mut fixed_ok = 0;
    let mut sliding_ok = 0;
    for _ in 0..5 {
        fixed_ok += allowed(&run(&mut e, c, "RATELIMIT.FIXED u 5 60")) as i32;
        sliding_ok += allowed(&run(&mut e, c, "RATELIMIT.SLIDING u 5 60")) as i32;
    }
    e.clock.advance_us(1_000_000); // just past the edge
    for _ in 0..5 {
        fixed_ok += allowed(&run(&mut e, c, "RATELIMIT.FIXED u 5 60")) as i32;
        sliding_ok += allowed(&run(&mut e, c, "RATELIMIT.SLIDING u 5 60")) as i32;
    }
    assert_eq!(fixed_ok, 10, "the fixed window lets twice the limit through across the edge");
    assert_eq!(sliding_ok, 5, "the sliding window never allows more than the limit in 60 s");
}

#[test]
fn sliding_window_log_keys_and_counts() {
    let (mut e, c) = at(1_700_000_000_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.SLIDING api 2 10"), ints(&[1, 1, 2, 1]));
    e.clock.advance_us(4_000_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.SLIDING api 2 10"), ints(&[1, 2, 2, 0]));
    assert_eq!(run(&mut e, c, "RATELIMIT.SLIDING api 2 10"), ints(&[0, 3, 2, 0]));
    // Every request is logged, rejected ones too (as in the course's code).
    assert_eq!(run(&mut e, c, "ZCARD ratelimit:sliding:api"), Reply::Int(3));
    assert_eq!(run(&mut e, c, "TTL ratelimit:sliding:api"), Reply::Int(10));
    // 10 s after the first request it has left the window.
    e.clock.advance_us(6_000_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.SLIDING api 2 10"), ints(&[0, 3, 2, 0]));
    e.clock.advance_us(4_001_000);
    assert_eq!(run(&mut e, c, "RATELIMIT.SLIDING api 2 10"), ints(&[1, 2, 2, 0]));
}

#[test]
fn gcra_matches_redis_cells_decisions() {
    // max_burst 4 (limit 5), 1 request per second; [limited, limit, remaining, retry, reset].
    let t0 = 1_700_000_000_000;
    let (mut e, c) = at(t0);
    let at_ms = |e: &mut Engine, ms: i64| e.clock.set_us((t0 + ms) * 1000);
    let cases: &[(i64, i64, [i64; 5])] = &[
        // A request larger than the whole burst can never pass.
        (0, 6, [1, 5, 5, -1, 0]),
        (0, 1, [0, 5, 4, -1, 1]),
        (0, 1, [0, 5, 3, -1, 2]),
        (0, 1, [0, 5, 2, -1, 3]),
        (0, 1, [0, 5, 1, -1, 4]),
        (0, 1, [0, 5, 0, -1, 5]),
        (0, 1, [1, 5, 0, 1, 5]),
        (3000, 1, [0, 5, 2, -1, 3]),
        (3100, 1, [0, 5, 1, -1, 4]),
        (4000, 1, [0, 5, 1, -1, 4]),
        (8000, 1, [0, 5, 4, -1, 1]),
        (9500, 1, [0, 5, 4, -1, 1]),
        // Quantity 0 peeks.
        (9500, 0, [0, 5, 4, -1, 1]),
        (9500, 2, [0, 5, 2, -1, 3]),
        (9500, 5, [1, 5, 2, 3, 3]),
    ];
    for (i, (ms, qty, want)) in cases.iter().enumerate() {
        at_ms(&mut e, *ms);
        let got = run(&mut e, c, &format!("CL.THROTTLE user:1 4 1 1 {qty}"));
        assert_eq!(got, ints(want), "case {i} at +{ms} ms, quantity {qty}");
    }
    // The key holds the theoretical arrival time in nanoseconds, with a TTL.
    match run(&mut e, c, "GET user:1") {
        Reply::Bulk(b) => assert!(String::from_utf8(b).unwrap().parse::<i64>().is_ok()),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run(&mut e, c, "CL.THROTTLE k 1 2"),
        Reply::err("ERR Usage: cl.throttle <key> <max_burst> <count per period> <period> [<quantity>]")
    );
    assert_eq!(run(&mut e, c, "CL.THROTTLE k x 1 1"), Reply::err("ERR Couldn't parse as integer: x"));
    assert_eq!(run(&mut e, c, "CL.THROTTLE k 1 0 1"), Reply::err("ERR Zero rates are not supported"));
}
