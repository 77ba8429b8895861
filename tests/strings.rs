//! The string commands, checked against replies taken from a real Redis 7.0.15.
//!
//! Each test runs commands on a fresh engine and compares the typed replies. Time-dependent tests
//! freeze the engine's virtual clock and move it by hand.

use redis_playground::notify;
use redis_playground::num::{fmt_long_double, parse_long_double};
use redis_playground::value::Value;
use redis_playground::{Engine, Reply};

/// An engine with one client.
fn engine() -> (Engine, u64) {
    let mut e = Engine::new();
    let c = e.open_client();
    (e, c)
}

/// Runs one command given as separate arguments (binary-safe, empty arguments allowed).
fn run(e: &mut Engine, c: u64, argv: &[&str]) -> Reply {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    e.execute(c, &argv)
}

/// Runs a command written as space-separated words.
fn cmd(e: &mut Engine, c: u64, line: &str) -> Reply {
    let argv: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    run(e, c, &argv)
}

fn ok() -> Reply {
    Reply::Status("OK".into())
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn int(n: i64) -> Reply {
    Reply::Int(n)
}

fn err(s: &str) -> Reply {
    Reply::Error(s.into())
}

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const NOT_FLOAT: &str = "ERR value is not a valid float";
const SYNTAX: &str = "ERR syntax error";

/// Asserts a sequence of (command, reply) pairs.
fn check(e: &mut Engine, c: u64, cases: &[(&str, Reply)]) {
    for (line, want) in cases {
        assert_eq!(&cmd(e, c, line), want, "{line}");
    }
}

/// Puts a non-string value (a list) at `key`.
fn make_list(e: &mut Engine, c: u64, key: &str) {
    if cmd(e, c, &format!("LPUSH {key} x")).is_error() {
        e.state.dbs[0].set(key.as_bytes(), Value::List(Default::default()), false);
    }
}

/// The expiry time of `key` in database 0 (after letting due keys expire).
fn expire_at(e: &mut Engine, key: &str) -> Option<i64> {
    e.tick();
    e.state.dbs[0].get(key.as_bytes()).and_then(|en| en.expire_at)
}

fn exists(e: &mut Engine, key: &str) -> bool {
    e.tick();
    e.state.dbs[0].contains(key.as_bytes())
}

/// What OBJECT ENCODING reports for `key`.
fn encoding(e: &Engine, key: &str) -> &'static str {
    e.state.dbs[0].get(key.as_bytes()).map(|en| en.value.encoding(&e.state.config)).unwrap_or("none")
}

/// A frozen clock at a round time.
fn frozen() -> (Engine, u64) {
    let (mut e, c) = engine();
    e.clock.freeze();
    e.clock.set_us(1_700_000_000_000_000);
    (e, c)
}

#[test]
fn set_and_get() {
    let (mut e, c) = engine();
    check(&mut e, c, &[
        ("GET a", Reply::Nil),
        ("SET a hello", ok()),
        ("GET a", bulk("hello")),
        ("SET a 2", ok()),
        ("GET a", bulk("2")),
    ]);
    assert_eq!(run(&mut e, c, &["SET", "e", ""]), ok());
    assert_eq!(cmd(&mut e, c, "GET e"), bulk(""));
    assert_eq!(run(&mut e, c, &["SET", "bin", "a\0b\r\n"]), ok());
    assert_eq!(cmd(&mut e, c, "GET bin"), Reply::Bulk(b"a\0b\r\n".to_vec()));
    assert_eq!(cmd(&mut e, c, "SET a"), err("ERR wrong number of arguments for 'set' command"));
    make_list(&mut e, c, "l");
    assert_eq!(cmd(&mut e, c, "GET l"), err(WRONGTYPE));
    // SET overwrites any type.
    assert_eq!(cmd(&mut e, c, "SET l v"), ok());
    assert_eq!(cmd(&mut e, c, "GET l"), bulk("v"));
}

#[test]
fn set_option_errors() {
    let (mut e, c) = engine();
    let invalid = err("ERR invalid expire time in 'set' command");
    check(&mut e, c, &[
        ("SET a 1 EX 0", invalid.clone()),
        ("SET a 1 EX -1", invalid.clone()),
        ("SET a 1 PX 0", invalid.clone()),
        ("SET a 1 EXAT 0", invalid.clone()),
        ("SET a 1 PXAT -5", invalid.clone()),
        // Seconds beyond i64::MAX / 1000, and a relative time that overflows once "now" is added.
        ("SET a 1 EX 9223372036854776", invalid.clone()),
        ("SET a 1 EX 9223372036854775", invalid.clone()),
        ("SET a 1 PX 9223372036854775807", invalid.clone()),
        ("SET a 1 EX abc", err(NOT_INT)),
        ("SET a 1 EX 1.5", err(NOT_INT)),
        ("SET a 1 PX 9223372036854775808", err(NOT_INT)),
        ("SET a 1 EX 10 PX 10", err(SYNTAX)),
        ("SET a 1 EX 10 EXAT 10", err(SYNTAX)),
        ("SET a 1 PXAT 10 PX 10", err(SYNTAX)),
        ("SET a 1 NX XX", err(SYNTAX)),
        ("SET a 1 XX NX", err(SYNTAX)),
        ("SET a 1 KEEPTTL EX 10", err(SYNTAX)),
        ("SET a 1 EX 10 KEEPTTL", err(SYNTAX)),
        ("SET a 1 EX", err(SYNTAX)),
        ("SET a 1 PERSIST", err(SYNTAX)),
        ("SET a 1 foo", err(SYNTAX)),
        ("GET a", Reply::Nil),
        // Repeats are fine; the last expire value wins.
        ("SET a 1 NX NX", ok()),
        ("SET a 2 GET GET", bulk("1")),
        ("SET a 3 xx Xx", ok()),
        ("SET a 4 KEEPTTL KEEPTTL", ok()),
    ]);
    // Absolute times are not added to the clock: the largest ones are accepted.
    assert_eq!(cmd(&mut e, c, "SET a 1 EXAT 9223372036854775"), ok());
    assert_eq!(expire_at(&mut e, "a"), Some(9_223_372_036_854_775_000));
    assert_eq!(cmd(&mut e, c, "SET a 1 PXAT 9223372036854775807"), ok());
    assert_eq!(expire_at(&mut e, "a"), Some(i64::MAX));
    assert_eq!(cmd(&mut e, c, "SET a 1 EX 10 EX 20"), ok());
    let now = e.clock.now_ms();
    let t = expire_at(&mut e, "a").unwrap_or(0);
    assert!((now + 19_000..=now + 20_000).contains(&t), "{t} vs {now}");
    // An option followed by a NUL byte is read as C would read it.
    assert_eq!(run(&mut e, c, &["SET", "n", "1", "nx\0junk"]), ok());
}

#[test]
fn set_checks_in_redis_order() {
    let (mut e, c) = engine();
    make_list(&mut e, c, "l");
    check(&mut e, c, &[
        // Bad expire before wrong type, wrong type (GET) before NX/XX.
        ("SET l 1 GET EX -5", err("ERR invalid expire time in 'set' command")),
        ("SET l 1 GET", err(WRONGTYPE)),
        ("SET l 2 GET NX", err(WRONGTYPE)),
        ("SET l 1 GET EX abc", err(NOT_INT)),
        // Without GET the type does not matter.
        ("SET l 1 XX", ok()),
        ("GET l", bulk("1")),
    ]);
}

#[test]
fn set_nx_xx_get() {
    let (mut e, c) = engine();
    check(&mut e, c, &[
        ("SET n 1 XX", Reply::Nil),
        ("SET n 1 XX GET", Reply::Nil),
    ]);
    assert!(!exists(&mut e, "n"));
    check(&mut e, c, &[
        ("SET n 1 NX GET", Reply::Nil),
        ("SET n 2 NX GET", bulk("1")),
        ("SET n 2 NX", Reply::Nil),
        ("SET n 3 XX GET", bulk("1")),
        ("SET n 4 XX", ok()),
        ("SET n 5 GET", bulk("4")),
        ("GET n", bulk("5")),
        ("SET m 1 NX", ok()),
        ("GET m", bulk("1")),
    ]);
}

#[test]
fn set_expiry_follows_the_virtual_clock() {
    let (mut e, c) = frozen();
    let now = e.clock.now_ms();
    assert_eq!(cmd(&mut e, c, "SET a 1 EX 10"), ok());
    assert_eq!(expire_at(&mut e, "a"), Some(now + 10_000));
    e.clock.advance_us(9_999_000);
    e.tick();
    assert_eq!(cmd(&mut e, c, "GET a"), bulk("1"));
    e.clock.advance_us(1_000);
    e.tick();
    assert_eq!(cmd(&mut e, c, "GET a"), Reply::Nil);
    assert!(!exists(&mut e, "a"));

    let now = e.clock.now_ms();
    assert_eq!(cmd(&mut e, c, "SET b 1 PX 1500"), ok());
    assert_eq!(expire_at(&mut e, "b"), Some(now + 1500));
    assert_eq!(cmd(&mut e, c, &format!("SET c 1 PXAT {}", now + 42)), ok());
    assert_eq!(expire_at(&mut e, "c"), Some(now + 42));
    assert_eq!(cmd(&mut e, c, &format!("SET d 1 EXAT {}", now / 1000 + 100)), ok());
    assert_eq!(expire_at(&mut e, "d"), Some((now / 1000 + 100) * 1000));

    // KEEPTTL keeps it, a plain SET drops it.
    assert_eq!(cmd(&mut e, c, "SET b 2 KEEPTTL"), ok());
    assert_eq!(expire_at(&mut e, "b"), Some(now + 1500));
    assert_eq!(cmd(&mut e, c, "SET b 3 GET"), bulk("2"));
    assert_eq!(expire_at(&mut e, "b"), None);

    // A time already in the past stores the key, which is then gone.
    assert_eq!(cmd(&mut e, c, "SET p 1 EXAT 1"), ok());
    assert_eq!(cmd(&mut e, c, "GET p"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "SET p 1 PXAT 1"), ok());
    assert!(!exists(&mut e, "p"));

    e.clock.advance_us(1_500_000);
    e.tick();
    assert_eq!(cmd(&mut e, c, "GET c"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "GET b"), bulk("3"));
}

#[test]
fn setnx_setex_psetex() {
    let (mut e, c) = frozen();
    let now = e.clock.now_ms();
    check(&mut e, c, &[
        ("SETNX a x", int(1)),
        ("SETNX a y", int(0)),
        ("GET a", bulk("x")),
        ("SETEX b 0 v", err("ERR invalid expire time in 'setex' command")),
        ("SETEX b -1 v", err("ERR invalid expire time in 'setex' command")),
        ("SETEX b abc v", err(NOT_INT)),
        ("SETEX b 9223372036854775 v", err("ERR invalid expire time in 'setex' command")),
        ("SETEX b 100 v", ok()),
        ("PSETEX p 0 v", err("ERR invalid expire time in 'psetex' command")),
        ("PSETEX p 9223372036854775807 v", err("ERR invalid expire time in 'psetex' command")),
        ("PSETEX p 1.5 v", err(NOT_INT)),
        ("PSETEX p 2500 v", ok()),
        ("SETEX a", err("ERR wrong number of arguments for 'setex' command")),
    ]);
    assert_eq!(expire_at(&mut e, "b"), Some(now + 100_000));
    assert_eq!(expire_at(&mut e, "p"), Some(now + 2500));
    assert_eq!(encoding(&e, "b"), "embstr");
    make_list(&mut e, c, "l");
    assert_eq!(cmd(&mut e, c, "SETNX l x"), int(0));
    assert_eq!(cmd(&mut e, c, "SETEX l 10 x"), ok());
    e.clock.advance_us(2_500_000);
    e.tick();
    assert_eq!(cmd(&mut e, c, "GET p"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "GET b"), bulk("v"));
}

#[test]
fn getex() {
    let (mut e, c) = frozen();
    let now = e.clock.now_ms();
    make_list(&mut e, c, "l");
    check(&mut e, c, &[
        ("GETEX nokey", Reply::Nil),
        // Options are checked first, then the key, then the expire value.
        ("GETEX nokey FOO", err(SYNTAX)),
        ("GETEX nokey EX -1", Reply::Nil),
        ("GETEX l", err(WRONGTYPE)),
        ("GETEX l EX -1", err(WRONGTYPE)),
        ("SET n 3", ok()),
        ("GETEX n EX -1", err("ERR invalid expire time in 'getex' command")),
        ("GETEX n EX abc", err(NOT_INT)),
        ("GETEX n EX 10 PERSIST", err(SYNTAX)),
        ("GETEX n PERSIST EX 10", err(SYNTAX)),
        ("GETEX n EX 10 PX 10", err(SYNTAX)),
        ("GETEX n KEEPTTL", err(SYNTAX)),
        ("GETEX n NX", err(SYNTAX)),
        ("GETEX n GET", err(SYNTAX)),
        ("GETEX n EX", err(SYNTAX)),
        ("GETEX n PERSIST PERSIST", bulk("3")),
        ("GETEX n", bulk("3")),
    ]);
    assert_eq!(expire_at(&mut e, "n"), None);
    assert_eq!(cmd(&mut e, c, "GETEX n EX 100"), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), Some(now + 100_000));
    assert_eq!(cmd(&mut e, c, "GETEX n PX 5000"), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), Some(now + 5000));
    assert_eq!(cmd(&mut e, c, &format!("GETEX n EXAT {}", now / 1000 + 7)), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), Some((now / 1000 + 7) * 1000));
    assert_eq!(cmd(&mut e, c, &format!("GETEX n PXAT {}", now + 9)), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), Some(now + 9));
    assert_eq!(cmd(&mut e, c, "GETEX n"), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), Some(now + 9));
    assert_eq!(cmd(&mut e, c, "GETEX n PERSIST"), bulk("3"));
    assert_eq!(expire_at(&mut e, "n"), None);
    // An absolute time in the past deletes the key after replying.
    assert_eq!(cmd(&mut e, c, "GETEX n EXAT 1"), bulk("3"));
    assert!(!exists(&mut e, "n"));
    assert_eq!(cmd(&mut e, c, "SET n 4"), ok());
    assert_eq!(cmd(&mut e, c, &format!("GETEX n PXAT {now}")), bulk("4"));
    assert!(!exists(&mut e, "n"));
    // A relative one of 1 ms is still in the future.
    assert_eq!(cmd(&mut e, c, "SET n 5"), ok());
    assert_eq!(cmd(&mut e, c, "GETEX n PX 1"), bulk("5"));
    assert!(exists(&mut e, "n"));
    e.clock.advance_us(1000);
    e.tick();
    assert_eq!(cmd(&mut e, c, "GETEX n"), Reply::Nil);
}

#[test]
fn getdel_and_getset() {
    let (mut e, c) = frozen();
    make_list(&mut e, c, "l");
    check(&mut e, c, &[
        ("GETDEL nokey", Reply::Nil),
        ("GETDEL l", err(WRONGTYPE)),
        ("GETSET l y", err(WRONGTYPE)),
        ("SET a 1", ok()),
        ("GETDEL a", bulk("1")),
        ("GETDEL a", Reply::Nil),
        ("GETSET a x", Reply::Nil),
        ("GETSET a y", bulk("x")),
        ("GET a", bulk("y")),
        ("SET t 1 EX 100", ok()),
        ("GETSET t 2", bulk("1")),
    ]);
    assert!(!exists(&mut e, "a") || cmd(&mut e, c, "GET a") == bulk("y"));
    // GETSET drops the TTL, like SET.
    assert_eq!(expire_at(&mut e, "t"), None);
}

#[test]
fn mget_mset_msetnx() {
    let (mut e, c) = engine();
    make_list(&mut e, c, "l");
    check(&mut e, c, &[
        ("MSET a", err("ERR wrong number of arguments for 'mset' command")),
        ("MSET a 1 b", err("ERR wrong number of arguments for 'mset' command")),
        ("MSETNX a 1 b", err("ERR wrong number of arguments for 'msetnx' command")),
        ("MSET a 1 b 2", ok()),
        ("MGET a b nokey l", Reply::Array(vec![bulk("1"), bulk("2"), Reply::Nil, Reply::Nil])),
        ("MSETNX a 1 z 3", int(0)),
        ("MGET z", Reply::Array(vec![Reply::Nil])),
        ("MSETNX y 1 z 3", int(1)),
        ("MSETNX q 1 q 2", int(1)),
        ("GET q", bulk("2")),
        ("MSET a x a y", ok()),
        ("GET a", bulk("y")),
        ("MSETNX l 1", int(0)),
        ("MSET l 1", ok()),
        ("GET l", bulk("1")),
    ]);
}

#[test]
fn append_strlen_and_encodings() {
    let (mut e, c) = frozen();
    make_list(&mut e, c, "l");
    check(&mut e, c, &[
        ("APPEND l x", err(WRONGTYPE)),
        ("STRLEN l", err(WRONGTYPE)),
        ("STRLEN nokey", int(0)),
        ("APPEND ap 12", int(2)),
    ]);
    assert_eq!(encoding(&e, "ap"), "int");
    assert_eq!(cmd(&mut e, c, "APPEND ap 3"), int(3));
    assert_eq!(encoding(&e, "ap"), "raw");
    assert_eq!(cmd(&mut e, c, "GET ap"), bulk("123"));
    assert_eq!(cmd(&mut e, c, "STRLEN ap"), int(3));
    // Appending nothing still makes the value raw.
    assert_eq!(cmd(&mut e, c, "SET s 123"), ok());
    assert_eq!(encoding(&e, "s"), "int");
    assert_eq!(run(&mut e, c, &["APPEND", "s", ""]), int(3));
    assert_eq!(encoding(&e, "s"), "raw");
    // APPEND keeps the TTL.
    let now = e.clock.now_ms();
    assert_eq!(cmd(&mut e, c, "SET t a EX 50"), ok());
    assert_eq!(cmd(&mut e, c, "APPEND t b"), int(2));
    assert_eq!(expire_at(&mut e, "t"), Some(now + 50_000));

    // Encodings chosen when storing an argument.
    let forty_four = "x".repeat(44);
    let forty_five = "x".repeat(45);
    run(&mut e, c, &["SET", "e44", &forty_four]);
    run(&mut e, c, &["SET", "e45", &forty_five]);
    assert_eq!(encoding(&e, "e44"), "embstr");
    assert_eq!(encoding(&e, "e45"), "raw");
    for (v, enc) in [
        ("9223372036854775807", "int"),
        ("-9223372036854775808", "int"),
        ("9223372036854775808", "embstr"),
        ("007", "embstr"),
        ("-0", "embstr"),
        ("+1", "embstr"),
        ("1.5", "embstr"),
    ] {
        run(&mut e, c, &["SET", "k", v]);
        assert_eq!(encoding(&e, "k"), enc, "{v}");
    }
    assert_eq!(cmd(&mut e, c, "STRLEN k"), int(3));
    assert_eq!(cmd(&mut e, c, "SET i 12345"), ok());
    assert_eq!(cmd(&mut e, c, "STRLEN i"), int(5));
    assert_eq!(cmd(&mut e, c, "APPEND new abc"), int(3));
    assert_eq!(encoding(&e, "new"), "embstr");
}

#[test]
fn getrange_and_substr() {
    let (mut e, c) = engine();
    make_list(&mut e, c, "l");
    run(&mut e, c, &["SET", "s", "hello world"]);
    check(&mut e, c, &[
        ("GETRANGE s 0 4", bulk("hello")),
        ("GETRANGE s -5 -1", bulk("world")),
        ("GETRANGE s -1 -5", bulk("")),
        ("GETRANGE s 5 2", bulk("")),
        ("GETRANGE s 0 100", bulk("hello world")),
        ("GETRANGE s -100 2", bulk("hel")),
        ("GETRANGE s 100 200", bulk("")),
        ("GETRANGE s 0 -100", bulk("h")),
        ("GETRANGE s -1 -1", bulk("d")),
        ("GETRANGE s 9223372036854775807 -9223372036854775808", bulk("")),
        ("GETRANGE s -9223372036854775808 9223372036854775807", bulk("hello world")),
        ("GETRANGE s -9223372036854775808 -9223372036854775808", bulk("h")),
        ("GETRANGE nokey 0 1", bulk("")),
        ("GETRANGE nokey a b", err(NOT_INT)),
        ("GETRANGE l 0 1", err(WRONGTYPE)),
        ("GETRANGE l x 1", err(NOT_INT)),
        ("GETRANGE s a 1", err(NOT_INT)),
        ("GETRANGE s 0 b", err(NOT_INT)),
        ("SUBSTR s 0 2", bulk("hel")),
        ("SUBSTR s -3 -1", bulk("rld")),
        ("SUBSTR s 0", err("ERR wrong number of arguments for 'substr' command")),
        ("SET i 12345", ok()),
        ("GETRANGE i 1 2", bulk("23")),
    ]);
    run(&mut e, c, &["SET", "empty", ""]);
    check(&mut e, c, &[("GETRANGE empty 0 -1", bulk("")), ("GETRANGE empty -1 0", bulk(""))]);
}

#[test]
fn setrange() {
    let (mut e, c) = frozen();
    make_list(&mut e, c, "l");
    assert_eq!(run(&mut e, c, &["SETRANGE", "k", "0", ""]), int(0));
    assert!(!exists(&mut e, "k"));
    check(&mut e, c, &[
        ("SETRANGE k -1 x", err("ERR offset is out of range")),
        ("SETRANGE k a x", err(NOT_INT)),
        ("SETRANGE k 5 x", int(6)),
        ("GET k", Reply::Bulk(b"\0\0\0\0\0x".to_vec())),
    ]);
    assert_eq!(encoding(&e, "k"), "raw");
    check(&mut e, c, &[
        ("SETRANGE k 0 abc", int(6)),
        ("GET k", Reply::Bulk(b"abc\0\0x".to_vec())),
        ("SETRANGE k 6 yz", int(8)),
        ("GET k", Reply::Bulk(b"abc\0\0xyz".to_vec())),
        ("SETRANGE l 0 x", err(WRONGTYPE)),
        ("SETRANGE l -1 x", err("ERR offset is out of range")),
        ("SET i 10", ok()),
        ("SETRANGE i 0 2", int(2)),
        ("GET i", bulk("20")),
    ]);
    assert_eq!(encoding(&e, "i"), "raw");
    assert_eq!(run(&mut e, c, &["SETRANGE", "k", "1", ""]), int(8));
    assert_eq!(run(&mut e, c, &["SETRANGE", "l", "0", ""]), err(WRONGTYPE));
    assert_eq!(run(&mut e, c, &["SETRANGE", "nk", "-1", ""]), err("ERR offset is out of range"));
    // Writing nothing never fails on size, and creates nothing.
    assert_eq!(run(&mut e, c, &["SETRANGE", "nk", "536870912", ""]), int(0));
    assert_eq!(run(&mut e, c, &["SETRANGE", "k", "9223372036854775807", ""]), int(8));
    // Redis's limit, with Redis's error.
    let too_big = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    assert_eq!(cmd(&mut e, c, "SETRANGE k 536870912 x"), too_big);
    assert_eq!(cmd(&mut e, c, "SETRANGE k 536870911 xy"), too_big);
    assert_eq!(cmd(&mut e, c, "SETRANGE k 9223372036854775807 x"), too_big);
    assert_eq!(cmd(&mut e, c, "SETRANGE nk 536870912 a"), too_big);
    // Below Redis's limit but above the engine's: refused without allocating.
    let engine_limit = err("ERR string exceeds maximum allowed size (this engine's limit is 64 MB)");
    assert_eq!(cmd(&mut e, c, "SETRANGE k 536870911 x"), engine_limit);
    assert_eq!(cmd(&mut e, c, "SETRANGE big 67108864 x"), engine_limit);
    assert!(!exists(&mut e, "big"));
    // Up to the engine's limit works.
    assert_eq!(cmd(&mut e, c, "SETRANGE big 67108863 x"), int(67_108_864));
    assert_eq!(cmd(&mut e, c, "APPEND big y"), engine_limit);
    assert_eq!(cmd(&mut e, c, "STRLEN big"), int(67_108_864));
    // SETRANGE keeps the TTL.
    let now = e.clock.now_ms();
    assert_eq!(cmd(&mut e, c, "SET t hello EX 30"), ok());
    assert_eq!(cmd(&mut e, c, "SETRANGE t 0 J"), int(5));
    assert_eq!(cmd(&mut e, c, "GET t"), bulk("Jello"));
    assert_eq!(expire_at(&mut e, "t"), Some(now + 30_000));
}

#[test]
fn incr_decr() {
    let (mut e, c) = frozen();
    make_list(&mut e, c, "l");
    let overflow = err("ERR increment or decrement would overflow");
    check(&mut e, c, &[
        ("INCR a", int(1)),
        ("DECR a", int(0)),
        ("DECR a", int(-1)),
        ("INCRBY a 9223372036854775807", int(9_223_372_036_854_775_806)),
        ("INCRBY a 9223372036854775807", overflow.clone()),
        ("DECRBY a -9223372036854775808", err("ERR decrement would overflow")),
        ("DECRBY a 9223372036854775807", int(-1)),
        ("DECRBY a 2", int(-3)),
        ("DECRBY a 9223372036854775807", overflow.clone()),
        ("INCRBY a -9223372036854775808", overflow.clone()),
        ("INCRBY a abc", err(NOT_INT)),
        ("INCRBY a 1.5", err(NOT_INT)),
        ("INCRBY a +1", err(NOT_INT)),
        ("INCRBY a 01", err(NOT_INT)),
        ("DECRBY nokey -9223372036854775808", err("ERR decrement would overflow")),
        ("SET a 9223372036854775807", ok()),
        ("INCR a", overflow.clone()),
        ("SET a -9223372036854775808", ok()),
        ("DECR a", overflow.clone()),
        ("INCR a", int(-9_223_372_036_854_775_807)),
        ("SET f 1.5", ok()),
        ("INCR f", err(NOT_INT)),
        ("SET big 99999999999999999999", ok()),
        ("INCR big", err(NOT_INT)),
        ("SET z 007", ok()),
        ("INCR z", err(NOT_INT)),
        ("INCR l", err(WRONGTYPE)),
        // The increment is checked before the key's type.
        ("INCRBY l abc", err(NOT_INT)),
        ("DECRBY l -9223372036854775808", err("ERR decrement would overflow")),
        ("DECRBY l 1", err(WRONGTYPE)),
        ("INCRBY n -5", int(-5)),
        ("DECRBY n -15", int(10)),
    ]);
    assert_eq!(encoding(&e, "a"), "int");
    // A raw value holding a number becomes an int again.
    assert_eq!(cmd(&mut e, c, "SET r 10"), ok());
    assert_eq!(cmd(&mut e, c, "APPEND r 0"), int(3));
    assert_eq!(encoding(&e, "r"), "raw");
    assert_eq!(cmd(&mut e, c, "INCR r"), int(101));
    assert_eq!(encoding(&e, "r"), "int");
    run(&mut e, c, &["SET", "sp", " 1"]);
    assert_eq!(cmd(&mut e, c, "INCR sp"), err(NOT_INT));
    run(&mut e, c, &["SET", "empty", ""]);
    assert_eq!(cmd(&mut e, c, "INCR empty"), err(NOT_INT));
    // Counters keep the TTL.
    let now = e.clock.now_ms();
    assert_eq!(cmd(&mut e, c, "SET t 5 EX 60"), ok());
    assert_eq!(cmd(&mut e, c, "INCR t"), int(6));
    assert_eq!(cmd(&mut e, c, "INCRBYFLOAT t 0.5"), bulk("6.5"));
    assert_eq!(expire_at(&mut e, "t"), Some(now + 60_000));
}

#[test]
fn incrbyfloat() {
    let (mut e, c) = engine();
    make_list(&mut e, c, "l");
    let nan = err("ERR increment would produce NaN or Infinity");
    check(&mut e, c, &[
        ("SET a 1", ok()),
        ("INCRBYFLOAT a 0.1", bulk("1.1")),
        ("INCRBYFLOAT a -1.1", bulk("0")),
        ("SET b 10.5", ok()),
        ("INCRBYFLOAT b 0.1", bulk("10.6")),
        ("SET c 5.0e3", ok()),
        ("INCRBYFLOAT c 2.0e2", bulk("5200")),
        ("INCRBYFLOAT nf 1", bulk("1")),
        ("INCRBYFLOAT nf abc", err(NOT_FLOAT)),
        ("INCRBYFLOAT nf inf", nan.clone()),
        ("INCRBYFLOAT nf -inf", nan.clone()),
        ("INCRBYFLOAT nf infinity", nan.clone()),
        ("INCRBYFLOAT nf nan", err(NOT_FLOAT)),
        ("INCRBYFLOAT nf 0x10", bulk("17")),
        ("INCRBYFLOAT nf 0x1p-2", bulk("17.25")),
        ("INCRBYFLOAT nf 1e5000", err(NOT_FLOAT)),
        ("INCRBYFLOAT nf 1e-5000", err(NOT_FLOAT)),
        ("INCRBYFLOAT nf 1e-4940", bulk("17.25")),
        ("INCRBYFLOAT nf -1e-4940", bulk("17.25")),
        ("INCRBYFLOAT nf +5", bulk("22.25")),
        ("INCRBYFLOAT nf .5", bulk("22.75")),
        ("INCRBYFLOAT nf 5.", bulk("27.75")),
        ("INCRBYFLOAT nf 1e", err(NOT_FLOAT)),
        ("INCRBYFLOAT l 1", err(WRONGTYPE)),
        ("INCRBYFLOAT l abc", err(WRONGTYPE)),
        ("SET x inf", ok()),
        ("INCRBYFLOAT x 1", nan.clone()),
        ("INCRBYFLOAT x abc", err(NOT_FLOAT)),
        ("SET x abc", ok()),
        ("INCRBYFLOAT x 1", err(NOT_FLOAT)),
        ("SET x -0", ok()),
        ("INCRBYFLOAT x -0", bulk("0")),
        ("SET x 1.18973149535723176502e+4932", ok()),
        ("INCRBYFLOAT x 1e4932", nan.clone()),
        ("SET x 0", ok()),
        ("INCRBYFLOAT x -0.000000000000000001", bulk("0")),
        ("INCRBYFLOAT x 0.000000000000000005", bulk("0")),
        // The stored value is the printed one: tiny increments never accumulate.
        ("INCRBYFLOAT x 0.000000000000000004", bulk("0")),
        ("INCRBYFLOAT x 0.000000000000000004", bulk("0")),
        ("INCRBYFLOAT x 0.00000000000000001", bulk("0.00000000000000001")),
        ("INCRBYFLOAT x 0.000000000000000004", bulk("0.00000000000000001")),
    ]);
    run(&mut e, c, &["SET", "sp", "1"]);
    assert_eq!(run(&mut e, c, &["INCRBYFLOAT", "sp", " 1"]), err(NOT_FLOAT));
    assert_eq!(run(&mut e, c, &["INCRBYFLOAT", "sp", "1 "]), err(NOT_FLOAT));
    assert_eq!(run(&mut e, c, &["INCRBYFLOAT", "sp", ""]), err(NOT_FLOAT));
    run(&mut e, c, &["SET", "empty", ""]);
    assert_eq!(cmd(&mut e, c, "INCRBYFLOAT empty 1"), err(NOT_FLOAT));

    // Large results print every integer digit.
    let r = cmd(&mut e, c, "INCRBYFLOAT big 1.5e300");
    let Reply::Bulk(digits) = r else { panic!("{r:?}") };
    assert_eq!(digits.len(), 301);
    assert!(digits.starts_with(b"15000000000000000000498001098614721663623792391186739285512197182489"));
    assert_eq!(cmd(&mut e, c, "INCRBYFLOAT e 1e308"), bulk(E308));
    assert_eq!(cmd(&mut e, c, "INCRBYFLOAT e 1e308"), bulk(E308_TWICE));
    assert_eq!(encoding(&e, "e"), "raw");
    assert_eq!(cmd(&mut e, c, "GET e"), bulk(E308_TWICE));
}

const E308: &str = "99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048";
const E308_TWICE: &str = "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096";

#[test]
fn lcs() {
    let (mut e, c) = engine();
    make_list(&mut e, c, "l");
    let range = |a: i64, b: i64, c2: i64, d: i64, len: Option<i64>| {
        let mut v = vec![Reply::Array(vec![int(a), int(b)]), Reply::Array(vec![int(c2), int(d)])];
        v.extend(len.map(int));
        Reply::Array(v)
    };
    let idx = |matches: Vec<Reply>, len: i64| {
        Reply::Map(vec![(bulk("matches"), Reply::Array(matches)), (bulk("len"), int(len))])
    };
    check(&mut e, c, &[
        ("MSET key1 ohmytext key2 mynewtext", ok()),
        ("LCS key1 key2", bulk("mytext")),
        ("LCS key1 key2 LEN", int(6)),
        ("LCS key1 key2 IDX", idx(vec![range(4, 7, 5, 8, None), range(2, 3, 0, 1, None)], 6)),
        ("LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN", idx(vec![range(4, 7, 5, 8, Some(4))], 6)),
        ("LCS key1 key2 IDX WITHMATCHLEN", idx(vec![range(4, 7, 5, 8, Some(4)), range(2, 3, 0, 1, Some(2))], 6)),
        ("LCS key1 key2 MINMATCHLEN -5 IDX", idx(vec![range(4, 7, 5, 8, None), range(2, 3, 0, 1, None)], 6)),
        ("LCS key1 key2 LEN IDX", err("ERR If you want both the length and indexes, please just use IDX.")),
        ("LCS key1 key2 IDX LEN", err("ERR If you want both the length and indexes, please just use IDX.")),
        ("LCS key1 key2 IDX IDX LEN", err("ERR If you want both the length and indexes, please just use IDX.")),
        ("LCS key1 key2 MINMATCHLEN", err(SYNTAX)),
        ("LCS key1 key2 MINMATCHLEN abc", err(NOT_INT)),
        ("LCS key1 key2 LEN MINMATCHLEN abc IDX", err(NOT_INT)),
        ("LCS key1 key2 FOO", err(SYNTAX)),
        ("LCS key1 key2 LEN FOO", err(SYNTAX)),
        ("LCS key1 key2 LEN WITHMATCHLEN", int(6)),
        ("LCS key1 key2 WITHMATCHLEN", bulk("mytext")),
        ("LCS key1 nokey", bulk("")),
        ("LCS key1 nokey IDX", idx(vec![], 0)),
        ("LCS nokey nokey2 LEN", int(0)),
        ("LCS key1 l", err("ERR The specified keys must contain string values")),
        ("LCS l key1 FOO", err("ERR The specified keys must contain string values")),
        ("SET n 12345", ok()),
        ("SET m 2345", ok()),
        ("LCS n m IDX WITHMATCHLEN", idx(vec![range(1, 4, 0, 3, Some(4))], 4)),
        ("LCS key1 key1 IDX WITHMATCHLEN", idx(vec![range(0, 7, 0, 7, Some(8))], 8)),
        ("SET x abcXdefYghi", ok()),
        ("SET y abcdefghi", ok()),
        ("LCS x y", bulk("abcdefghi")),
        ("LCS x y IDX MINMATCHLEN 3", idx(vec![range(8, 10, 6, 8, None), range(4, 6, 3, 5, None), range(0, 2, 0, 2, None)], 9)),
    ]);
    // Redis refuses when its table of lengths would exceed 512 MB.
    let a = "a".repeat(11_586);
    run(&mut e, c, &["SET", "big1", &a]);
    run(&mut e, c, &["SET", "big2", &a]);
    assert_eq!(
        cmd(&mut e, c, "LCS big1 big2 LEN"),
        err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
    );
}

#[test]
fn wrong_arity_is_checked_before_the_handler() {
    let (mut e, c) = engine();
    for (line, name) in [
        ("GET", "get"),
        ("GET a b", "get"),
        ("SET a", "set"),
        ("GETEX", "getex"),
        ("GETDEL", "getdel"),
        ("GETSET a", "getset"),
        ("MGET", "mget"),
        ("MSET", "mset"),
        ("MSETNX a", "msetnx"),
        ("SETNX a", "setnx"),
        ("PSETEX a 1", "psetex"),
        ("APPEND a", "append"),
        ("STRLEN", "strlen"),
        ("GETRANGE a 0", "getrange"),
        ("SETRANGE a 0", "setrange"),
        ("INCR", "incr"),
        ("DECR a b", "decr"),
        ("INCRBY a", "incrby"),
        ("DECRBY a", "decrby"),
        ("INCRBYFLOAT a", "incrbyfloat"),
        ("LCS a", "lcs"),
    ] {
        assert_eq!(cmd(&mut e, c, line), err(&format!("ERR wrong number of arguments for '{name}' command")));
    }
}

#[test]
fn keyspace_events() {
    let (mut e, c) = frozen();
    e.state.config.notify_keyspace_events = notify::ALL | notify::KEYSPACE | notify::KEYEVENT;
    let script = [
        "SET a 1",
        "SET a 2 EX 100",
        "SET a 3 KEEPTTL GET",
        "SET a 4 NX",
        "SET b 1 XX",
        "SETNX a 1",
        "SETNX c 1",
        "SETEX d 100 v",
        "PSETEX d 100000 v",
        "GETSET d x",
        "GETEX d EX 100",
        "GETEX d PERSIST",
        "GETEX d PERSIST",
        "GETEX d",
        "GETEX d PXAT 1",
        "GETDEL c",
        "GETDEL c",
        "MSET m1 1 m2 2",
        "MSETNX m1 1 m3 3",
        "MSETNX m4 1 m3 3",
        "APPEND ap x",
        "APPEND ap y",
        "SETRANGE sr 2 x",
        "SETRANGE sr 0 y",
        "INCR i",
        "DECR i",
        "INCRBY i 5",
        "DECRBY i 5",
        "INCRBYFLOAT i 1.5",
        "INCRBYFLOAT i abc",
        "SET e 1 EXAT 1",
        "GET e",
    ];
    let mut events = Vec::new();
    for line in script {
        cmd(&mut e, c, line);
        events.extend(e.take_events().into_iter().map(|ev| {
            format!("{}:{}", ev.event, String::from_utf8_lossy(&ev.key))
        }));
    }
    let want = "set:a set:a expire:a set:a set:c set:d expire:d set:d expire:d set:d expire:d persist:d \
                del:d del:c set:m1 set:m2 set:m4 set:m3 append:ap append:ap setrange:sr setrange:sr \
                incrby:i incrby:i incrby:i incrby:i incrbyfloat:i set:e expire:e expired:e";
    assert_eq!(events.join(" "), want.split_whitespace().collect::<Vec<_>>().join(" "));
    let classes: Vec<u32> = {
        cmd(&mut e, c, "SET z 1 EX 10");
        e.take_events().iter().map(|ev| ev.class).collect()
    };
    assert_eq!(classes, vec![notify::STRING, notify::GENERIC]);
}

/// `sign exponent significand` of a parsed long double.
fn parts(s: &str) -> Option<String> {
    parse_long_double(s.as_bytes()).map(|v| {
        let (sign, exp, mant) = v.to_parts();
        format!("{} {} {:016x}", sign as u8, exp, mant)
    })
}

#[test]
fn long_double_parsing_matches_strtold() {
    let mut n = 0;
    for line in PARSE_CASES.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            [input, "ERR"] => assert_eq!(parts(input), None, "{input}"),
            [input, bits, human] => {
                assert_eq!(parts(input).as_deref(), Some(*bits), "{input}");
                let v = parse_long_double(input.as_bytes()).map(fmt_long_double);
                assert_eq!(v.as_deref(), Some(*human), "{input}");
            }
            _ => panic!("bad case line {line:?}"),
        }
        n += 1;
    }
    assert_eq!(n, 200);
}

fn incrbyfloat_table(table: &str, expected_col: usize) -> usize {
    let (mut e, c) = engine();
    let mut n = 0;
    for line in table.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let (a, b, want) = (f[0], f[1], f[expected_col]);
        run(&mut e, c, &["SET", "k", a]);
        let got = run(&mut e, c, &["INCRBYFLOAT", "k", b]);
        let want = match want {
            "ERR" => err(NOT_FLOAT),
            "NAN" => err("ERR increment would produce NaN or Infinity"),
            v => bulk(v),
        };
        assert_eq!(got, want, "SET k {a}; INCRBYFLOAT k {b}");
        n += 1;
    }
    n
}

#[test]
fn incrbyfloat_matches_redis_on_random_values() {
    assert_eq!(incrbyfloat_table(INCRBYFLOAT_CASES, 2), 220);
    assert_eq!(incrbyfloat_table(INCRBYFLOAT_HEX_CASES, 2), 120);
}

/// `strtold` on x86-64 glibc: input, then `sign biased-exponent significand` of the 80-bit result
/// and its `%.17Lf` form as Redis prints it (or `ERR` where Redis's `string2ld` refuses the input).
const PARSE_CASES: &str = r#"5.5e-16	0 16332 9e86d64326f58aef	0.00000000000000055
1.656668774560e-21	0 16313 fa5944dce6942d95	0
4.85417969351e4937	ERR
0x4e36.70e99p33	0 16430 9c6ce1d320000000	171991459110912
-5198.641	1 16395 a27520c49ba5e354	-5198.64100000000000001
-4.6074227380915551e-31	1 16282 9584f8778e99b3e6	0
.4	0 16381 cccccccccccccccd	0.4
-40.372	1 16388 a17ced916872b021	-40.372
44069.50194295377464825946844939608126879	0 16398 ac25807f555aeb75	44069.50194295377464826
6.7524	0 16385 d813a92a30553261	6.7524
.7	0 16382 b333333333333333	0.7
.7	0 16382 b333333333333333	0.7
7.542196112029005216376045632464819590268234605900943279266357421874999999e-02	0 16379 9a76d4434b6d2871	0.07542196112029005
968145785276099351514447872	0 16472 c835360bc5dcd979	968145785276099351514447872
2.84e-4942	0 0 000000002e703a37	0
1.3277728474958027940234374999999e+17	0 16439 ebdc1e55deabfbb3	132777284749580279.3984375
2493298459562795787264	0 16454 8729778ae93516e4	2493298459562795787264
4.4156078036662789993993527559723588638007640838623046874999999e+03	0 16395 89fcdcc82b287525	4415.60780366627899918
-0xb5e7.39318p37	1 16435 b5e7393180000000	-6400150451781632
1.81520093579e-4947	0 0 0000000000001374	0
-4.319e16	1 16438 9971137fd9600000	-43190000000000000
0x15dff.417c6p-38	0 16361 aeffa0be30000000	0.00000032596019375
42.921396	0 16388 abaf826edaa92e62	42.921396
-70	1 16389 8c00000000000000	-70
550854.0	0 16402 867c600000000000	550854
81	0 16389 a200000000000000	81
5	0 16385 a000000000000000	5
6.41E-1093	0 12754 e0dd7e3b340219b8	0
2.22750320017169194140292575221161573630242191956796204976853914558887481689453124999999e-07	0 16360 ef2d2448e767cddc	0.00000022275032002
93.31	0 16389 ba9eb851eb851eb8	93.31
4.45111E-4601	0 1100 f984a13f124b8fbd	0
-0x19e.240d9p3	1 16394 cf1206c800000000	-3313.12665557861328125
0x468b.44145p-37	0 16360 8d168828a0000000	0.00000013139845349
-6535674	1 16405 c773f40000000000	-6535674
1929	0 16393 f120000000000000	1929
42459276423882	0 16428 9a77485acb280000	42459276423882
-0.96039927755162183248173015973246e10	1 16416 8f1c5331e109b896	-9603992775.51621832512319088
1698256.102901704974101448897272348403931	0 16403 cf4e80d2be210c88	1698256.10290170497410145
-8682043985	1 16416 815f5e9440000000	-8682043985
-7.93080E-4604	1 1091 e3a01820261dc8c3	0
3.859E-525	0 14640 f4e3485f0f7a9484	0
-8.0906550096e-18	1 16326 953f09bd1b6f89ab	-0.00000000000000001
764	0 16392 bf00000000000000	764
39202	0 16398 9922000000000000	39202
9526223806	0 16416 8df3a8ef80000000	9526223806
24.6225	0 16387 c4fae147ae147ae1	24.6225
8044.219	0 16395 fb61c083126e978d	8044.21899999999999986
2.e-4951	0 0 0000000000000001	0
1.472774327279218e-32	0 16277 98f10eae37d2e3b7	0
-0x1804a.e7954p-38	1 16361 c02573caa0000000	-0.00000035790037008
-.5	1 16382 8000000000000000	-0.5
-2159537.4	1 16404 83cec5999999999a	-2159537.40000000000009095
7475	0 16395 e998000000000000	7475
158	0 16390 9e00000000000000	158
3.43e-4959	ERR
-5.18E-537	1 14601 b4b6ce429486318a	0
-0.9205588192192321533904730179158681909618636e13	1 16426 85f57d06bc052501	-9205588192192.32153415679931641
1733929708368151995392	0 16453 bbfe379603d8b8c8	1733929708368151995392
3170286.340093306938115347293205559253693	0 16404 c17fb95c416b7b8d	3170286.34009330693811535
4.18251873800293835433243049983999999e+29	0 16481 a8ee3aeae0a8986c	418251873800293835416063180800
2994	0 16394 bb20000000000000	2994
2.28975275392488676e4938	ERR
-0xb1d0.fead2p45	1 16443 b1d0fead20000000	-1601627619923591168
3.9982028829104339898226180095999999e+29	0 16481 a17c72e94e49b481	399820288291043398965081931776
-2399.1	1 16394 95f199999999999a	-2399.10000000000000009
1.85113	0 16383 ecf1d3ed527e5215	1.85113
5.219149626400118847822703464395253968641e-08	0 16358 e029283205ff8546	0.00000005219149626
0x10bca.83d2cp47	0 16446 85e541e960000000	9648190247304953856
-6.824362705889059651e5	1 16402 a69c445455085c7d	-682436.27058890596509855
757843036	0 16412 b4af117000000000	757843036
7	0 16385 e000000000000000	7
7.6574E-3276	0 5503 9da1c49cc21ad317	0
6.869e-4936	0 0 0006b1d92bba5071	0
-4875.52	1 16395 985c28f5c28f5c29	-4875.52000000000000002
0.800043229709304688946958085314866556062492312998473652025022739055305239477916e16	0 16435 e362ce68f13db71e	8000432297093046.8896484375
-1.9259744e20	1 16450 a70d38f41499c000	-192597440000000000000
6.10644604105913537272388843286601004959655440411533076916494877650620765052735805511474609375e-13	0 16342 abe194bb5ffe05ba	0.00000000000061064
95.4369	0 16389 bedfb15b573eab36	95.4369
3.00E-701	0 14055 f11478f6a976fd90	0
95.0	0 16389 be00000000000000	95
-2.E-96	1 16065 88b402f7fd75539b	0
5	0 16385 a000000000000000	5
-0.466648876618151052062877388155089601089250548453989609807793869957e-1	1 16378 bf23ae66106c906d	-0.04666488766181511
7.9721577137402124e-8	0 16359 ab336688b71364ba	0.00000007972157714
0.004653965564253195145039826430277685176407	0 16375 98804af2952e7a80	0.0046539655642532
-0.34888273653196887558111392166440972681900030278241418248144767873288e2	1 16388 8b8d979bc9842d00	-34.88827365319688756
73.9	0 16389 93cccccccccccccd	73.9
-2.3	1 16384 9333333333333333	-2.3
8.76405677185329634e-4939	0 0 0000022fc9dec030	0
1452189836474489634816	0 16453 9d725d647bed1c00	1452189836474489634816
2.930594e-4934	0 0 011d9fb87eacff7b	0
0x92dc.1962fp-19	0 16379 92dc1962f0000000	0.0717088683431939
2.0402382898660855492041302442353216395343196154499310068786144256591796874999999e-04	0 16370 d5ef3ac506cac64f	0.00020402382898661
-4.751744e-7	1 16361 ff1b78e58d4fbe2a	-0.0000004751744
456942895484447275417600	0 16461 c185d9166fc5796a	456942895484447275417600
0x175c3.3c773p-9	0 16390 bae19e3b98000000	186.88132069073617458
14947190577.37921870779246091842651367188	0 16416 debb01cc58451e8b	14947190577.37921870779246092
87846751972	0 16419 a3a0987720000000	87846751972
15	0 16386 f000000000000000	15
3.617459899616177190100931027050279453760595060884952545166015624999999e+00	0 16384 e7847686dc58ddd6	3.61745989961617719
0x9fe5.91388p-50	0 16348 9fe5913880000000	0.00000000003635631
.75133146	0 16382 c057423127eb2b88	0.75133146
4.382010403455e-4947	0 0 0000000000002ef5	0
2645907082978	0 16424 9a031683b8800000	2645907082978
17788077891564406764	0 16446 f6dbf298dbad07ec	17788077891564406764
58.00493226944036668363269271253557235468	0 16388 e8050cf6ffc40792	58.00493226944036668
5.625919938077826e-4947	0 0 0000000000003c4a	0
9.419543866616714581966400146484375000000001e+12	0 16426 8912890ecf8b6eee	9419543866616.71458244323730469
-0xbfe.3c1e0p-29	1 16365 bfe3c1e000000000	-0.00000571875801825
3.4690E-1553	0 11225 e52806d584c35753	0
-1.047e13	1 16426 985bca17c0000000	-10470000000000
464.4	0 16391 e833333333333333	464.39999999999999999
3.5	0 16384 e000000000000000	3.5
1.733019002529836378456717937979192356579005718231201171875000000001e+03	0 16393 d8a09bab31860846	1733.01900252983637851
54961	0 16398 d6b1000000000000	54961
2.8390796894142177028579855290907332870997015572089687551748937721640686504542827606201171875e-12	0 16344 c7c8501bdf151e48	0.00000000000283908
0x7858.249e6p-19	0 16378 f0b0493cc0000000	0.05876186950990814
72637.6	0 16399 8ddecccccccccccd	72637.60000000000000142
6.65e34	0 16498 cceb400cec6be3e4	66500000000000000001646961044226048
2.64933e-4947	0 0 0000000000001c64	0
-0.327788676097542697365081587259821272450991132011384134048666341e-20	1 16314 f7ab8d1007d9c638	0
1.6647532606631610691875000000001e+18	0 16443 b8d32229a402076a	1664753260663161069.25
1097633801986359265920	0 16452 ee02ea7d92e9962a	1097633801986359265920
5.086294663664e-14	0 16338 e510fc26ab7149da	0.00000000000005086
68601	0 16399 85fc800000000000	68601
1.2525423301402868081044772452514735050499439239501953124999999e+04	0 16396 c3b5b175ec46ad64	12525.4233014028680806
2.646433109809274260E-3735	0 3977 803b718f1c075c75	0
-9.1041768492E-1476	1 11483 81d8a3c77c102138	0
3.478307206390884660067968070507049560546874999999e+09	0 16414 cf52c1866411045f	3478307206.39088465995155275
.4335	0 16381 ddf3b645a1cac083	0.4335
-3691	1 16394 e6b0000000000000	-3691
4.8184004786188700316331323843244138771524376352317631244659423828125000000001e-02	0 16378 c55c974bf3a9a065	0.0481840047861887
89856488	0 16409 ab633d0000000000	89856488
.1695	0 16380 ad916872b020c49c	0.1695
5.32954444222354841899871826171875000000001e+13	0 16428 c1e34021b96defd0	53295444422235.48419189453125
4.8193e-40	0 16252 a7ed97b050c67452	0
-0x16c6d.8a843p-23	1 16376 b636c54218000000	-0.01112145675176635
-9.831048617786193762E-446	1 14904 d2763c56a1a53afb	0
5.27605915e23	0 16461 df7325de791da85f	527605915000000000000000
0xdb12.540f1p17	0 16415 db12540f10000000	7350822942.125
2.7281674034716701E-1804	0 10391 ce7336d54aaccfeb	0
3.111839947036076916191404961864463984966278076171874999999e+05	0 16401 97f1ffd49ca907f5	311183.99470360769160493
7.2714716396662254811e-4949	0 0 00000000000000c7	0
7.87287579027090246428227044762394870591748485821881331503391265869140624999999e-04	0 16372 ce61f99e2cf4b522	0.00078728757902709
37455.7	0 16398 924fb33333333333	37455.69999999999999929
67372800299895.862548828125	0 16428 f519cf514ddf7340	67372800299895.862548828125
4	0 16385 8000000000000000	4
8.3e27	0 16475 d68ccaeca6e142ff	8299999999999999999798673408
1.702e4937	ERR
-3.67	1 16384 eae147ae147ae148	-3.67
-3.753536890091e30	1 16484 bd8153c6a43ab089	-3753536890091000000057029165056
-5.881796e-5	1 16368 f6b34dbc4ac55d59	-0.00005881796
-93.5	1 16389 bb00000000000000	-93.5
-1.21673110828e10	1 16416 b54e9bbab3333333	-12167311082.79999999981373549
3.4754050661761673995878699679285767257e-11	0 16348 98d99518543a4f0c	0.00000000003475405
1.3172471168684911122005409952136857324091201984569639558553735413266860820868942028027959167957305908203125000000001e-18	0 16323 c2643067359faad3	0
67.0557	0 16389 861c84b5dcc63f14	67.0557
0.393910910107461738765832764975032544694950420550775246197e-29	0 16285 9fca0c30f26c1b08	0
9.47718782750037e-4935	0 0 005c5e0957d6e48e	0
-4	1 16385 8000000000000000	-4
8.517076227417352e24	0 16465 e171f4141107b891	8517076227417351999979520
1022820	0 16402 f9b6400000000000	1022820
314518110.4780114411842077970504760742188	0 16411 95f952f3d2f7a998	314518110.4780114411842078
-0xa0b1.26a9p-8	1 16390 a0b126a900000000	-160.69199615716934204
7.062508889e-4960	ERR
-0xf2af.56c68p-45	1 16353 f2af56c680000000	-0.00000000176576518
.7	0 16382 b333333333333333	0.7
-0x75a.ef40ap-1	1 16392 eb5de81400000000	-941.46728992462158203
-4.7960953472202254780e9	1 16415 8eef4db99c305935	-4796095347.22022547805681825
32109764809450.7917308807373046875	0 16427 e9a1190097565577	32109764809450.79173088073730469
4.52865219510852625e-4959	ERR
-7.0E-2254	1 8898 912720e57fd4fd6f	0
3.36e32	0 16491 8487546e8ae3cbc2	335999999999999999996203248910336
4.194645500917869128792015649120888412337e-12	0 16345 9396020121be7440	0.00000000000419465
3.432306166E-3144	0 5940 c71603bdd2932fb5	0
-0x65c7.cb09cp-34	1 16363 cb8f961380000000	-0.00000151664677062
10	0 16386 a000000000000000	10
79685856318661843132416	0 16459 86fe3b3e007e7d35	79685856318661843132416
33543.44	0 16398 830770a3d70a3d71	33543.44000000000000128
0.571397271344133249642346960227563199045288837192220431146300433e-2	0 16375 bb3c46f79c9c891e	0.00571397271344133
1110164	0 16403 8784a00000000000	1110164
3.22219628023E-2746	0 7262 cc26c3b2ed5ae327	0
101917122.0987124393286649137735366821289	0 16409 c264384328a6fd54	101917122.09871243932866491
9.113924925931298938484164762633744395759e-09	0 16356 9c9377399ea0b840	0.00000000911392493
95.3	0 16389 be9999999999999a	95.3
6.7152E-3199	0 5758 eec425d108f7c260	0
0xaff9.83558p40	0 16438 aff9835580000000	49532463394848768
-32188696	1 16407 f5948c0000000000	-32188696
525438.9	0 16402 8047ee6666666666	525438.89999999999997726
3.472847e4935	ERR
-6.729057156E-4316	1 2048 9e8b78abd25c8c50	0
610616452909	0 16422 8e2b93a72d000000	610616452909
1463566597195574085632	0 16453 9eae2223aeb2d210	1463566597195574085632
3659354761280418.99462890625	0 16434 d0029eca73ba2fea	3659354761280418.99462890625
6.4741673e-4943	0 0 000000000a961564	0
-11693.4	1 16396 b6b599999999999a	-11693.40000000000000036
12047546	0 16406 b7d4ba0000000000	12047546
176297501244133363.28125	0 16440 9c95692c1c83fcd2	176297501244133363.28125
950214.4879287017774913692846894264221191	0 16402 e7fc67ce8e538ea0	950214.48792870177749137
4.3838393327097398207e4934	ERR"#;

/// INCRBYFLOAT on a real Redis 7.0 (x86-64): stored value, increment, reply (`ERR`: not a valid
/// float).
const INCRBYFLOAT_CASES: &str = r#"37.81	11937.09563903197271983458449540194123983	11974.90563903197271944
6.240225e4938	1.37269108614664e4932	ERR
2.45276175656914009087541248e+26	-2.4527617565691400931e+26	-234881024
-0.6243024099247597703278831408398782731298340067047086771563460702919802694348498452544e-12	4361842275064891218	4361842275064891218
-8.264056356021E-2136	-8309583410060	-8309583410060
24782754157797724346368	-516089798571	24782754157281634547712
0xcbd.96f45p-5	0.85165014949647763601996812911888432029862072620688640507947596206319119030687755420522073261963666698e-28	101.9246770441532135
6909754679160618632	5.0111141864290166892543999999e+22	50118051618969327509504
-0xea2d.1d2e5p39	92364641528729.838623046875	-32865009310766182.162109375
9.5241319e4932	0.70482003300309778851139856393841564840587741441997454805443307654679067926449316540663866212158199213307869209770352332136e-8	ERR
31421.1	2.7078447050636584e38	270784470506365839994645442122494246912
0x176a4.96700p2	4.9743109628614683419514600224114762100221811632684797890426321698674472226997522739111445844173431396484375e-19	383634.3505859375
-0x84d1.e1d0bp-32	0xeb52.84800p-49	-0.00000791657308038
3.3427732298130543196e-11	-1.880	-1.87999999996657227
-7.4E-4162	-516145.0	-516145
4.70352113705982677794816000000001e+23	-0.7806268814013611537690088680397e19	470344307437168664215552
-2.34948231e31	2.3494823100000000045e+31	46179488366592
-149109	.551	-149108.44899999999999807
-7	-0x298d.94d71p-12	-9.59706577309407294
5.56954e-4941	8.021726193e19	80217261930000000000
65894204948.460188694298267364501953125	2.3627901825644329241180419921874999999e+14	236344912461391.752593994140625
6.28193301786725e-8	-6.2819330178672500002e-08	0
1.8	1.56e-28	1.8
-2.842848417534E-1416	0.838259345990073704550549670049521145106232917516183932781509780170817112529435736417377779148346e-18	0
2.9	4.820551732545137315976916358242437376895e-08	2.90000004820551733
0x5e2d.dd913p38	-6627269364416512.0127	-0.0126953125
9.794E-2064	-.93443957	-0.93443957
2.137191809478e4938	-0x14fa9.66baep-14	ERR
-1.0	0x83c.aa47ap-7	15.47394652664661407
117117675419603477217280	-1.1711767541960347733e+23	-114688
0.6002337802961122191095199031433184981792137432737107257508528106535221095085190986e7	-82	6002255.80296112219093629
3223	-3223	0
-4.2352815541409e0	-0.150265354756923627897605161789785229387678497350051952896552679042430460661042597543154167665910162191395048e-22	-4.2352815541409
5010	5426.1	10436.09999999999999964
4.79779503695499667463629810248829966889960729758968227542936801910400390624999999e-05	1980057697	1980057697.00004797789733857
7.488e-4946	.6	0.6
37	-5	32
2.896775412103206047181549475246673993332e-09	-2.8967754121032060528e-09	0
34.2244	7.6111002169963751e4934	ERR
1286562232013864601	-0xd676.e43bap-20	1286562232013864601
2536.949070991415945197644532527192495763	-2300	236.9490709914159452
5.720076735072e-4958	3.817255385279663067583847169714043878752107730178977362811565399169921875000000001e-04	ERR
-0x11aa9.5c45cp24	-0x102c4.e8ceep-7	-1214022174661.53835475444793701
-197.68336	197.68336	0
.1818	-7839	-7838.81820000000000004
-5.212257277523658e33	5.2122572775236580102e+33	10133099161583616
385762913991.558785140514373779296875	6.0117085190E-2019	385762913991.55878514051437378
1.043058612040424905044567955069343002942665429697156309258080329749329706601201905868947505950927734374999999e-16	1.9e-17	0.00000000000000012
2.715630761941978962109375000000001e+17	1.24903080302e4937	ERR
2.81267187288581042121911212066819129143398130828319925189617833893862552940845489501953124999999e-11	4.40967943071618e4932	ERR
-3.7355160984999E+4136	3.7355160984999e+4136	0
-475.52748	-6.1452532390e-3	-475.53362525323900001
4.611970724076739e-30	3.464133665667e-4933	0
4.8554299372298332491751748825032839803150330575121085274759025196544826030731201171875e-10	0x18067.1f234p12	403075570.20312500049476512
-51243438	653	-51242785
-0.13496935416236738250960142458905304700897831001398431389189169548348738343864465e-9	2.730502E-1041	-0.00000000013496935
0x17a3b.a8502p36	4.16195e4	6653945955132051.5
3.1005660475464961326e-8	8.738303547e-4933	0.00000003100566048
4.131139522196496662859621485580498354723308828954998489617744411461587920007809682232391423895023763179779052734375000000001e-22	2	2
-.18	0.93774841498042201359865544869864690389192354564410420126416537931271479343648977670779053423865187e-8	-0.17999999062251585
-87347	.623	-87346.37700000000000244
-8.1883670059E-1710	-6.85256971247e-3	-0.00685256971247
9.5	9.758025145629E-1472	9.5
1.258398735857495760102220466404785381858e-10	-1513962468621757151	-1513962468621757151
-30.1	66	35.9
2.7649465724151443974258687999999e+25	87	27649465724151443973210112
9.929467211044e4932	1	ERR
0x1467.40cbbp-4	-326.4533192515373233	-0.00000000000000031
0.37654013725900111680447486699344533358735431491483798970806614265903401971630045679341697e-30	1.40	1.4
59203575948692	-67809131	59203508139561
542899	3.75157615e7	38058660.5
8.136049928867613364587410690874047070806e-12	4.852944234084004585E-4832	0.00000000000813605
1.0069363	5.344496844967450778e-4958	ERR
1813500856412477729022148608	16229.78915120152593143387775853625498712	1813500856412477729022148608
0x3bc7.cb483p0	-0x7095.99f0ap28	-7736739679800.20592975616455078
26.97858621596926915857383999508556371438	-119692.2	-119665.2214137840307302
46789369	.1	46789369.09999999999854481
.6278	-0.62780000000000000062	0
1.7	0.66499845855101044825586574271721889700594251801374778111342346112733679357172223520069425643992333972144448128047117108911149711435597093278470e-27	1.7
76.18360	-17763	-17686.81639999999999979
-421922077	1.1	-421922075.89999999999417923
7.630929458857380077165241927357372306187965412135699766979462141778511217476044410645830140538237174041569232940673828125000000001e-25	-7.6309294588573800774e-25	0
5.042607307067669252099841195885913542670715057900437747943440293566683735915052674315950387295970358536578714847564697265625e-26	-5.042607307067669252e-26	0
1.72779e-36	0x23b1.6031ep-40	0.00000000831039484
0x286f.a56d0p44	-0.37383108470407737971143861697735882310278227726489470294679186874778673563016600082555983850055170946554712296228e19	-3556202761321897637
8.49e-26	-0xb325.b19bbp-37	-0.00000033368774007
6.6915677657651915439585878220274395289379754103720188140869140624999999e-01	-0.66915677657651915437	0
7.e-4959	44	ERR
0x159cc.2a051p-33	-372	-371.99998969443094221
-2.31809091269113e12	1.656674365287858159499592147767543792724609374999999e+08	-2317925245254.60121440887451172
0.753455899453407773261810395453158796791759618213318879830060955571572779877213325574731579619092499e-27	3543412548322435009609728	3543412548322435009609728
841155952268.07426965236663818359375	-841155952268.07427132	-0.00000166893005371
923	0.99623046368469368791826737345463296143494132452947514526263648157504696805618014800084172363663012629060589139451753709420e25	9962304636846936879529984
5.371e4937	-.335502	ERR
54890779909534323	2.1429983040745474263246678433594357930127753030745139652419998556320823723808643990196287631988525390625e-17	54890779909534323
-2.054491356522771E-514	1.2882073712040e4939	ERR
-375.317	0.56137681988111290990797284759205972496349100660742274906303e-6	-375.31699943862318011
1.0	-0x138ee.256f4p13	-656262316.90625
-2.22	405704022737174434944	405704022737174434944
5.70982204218e-4937	5.8717e4	58717
726307581	9.604451063197278124e-34	726307581
1.280735827095743301129449065456356038339436054229736328125000000001e+03	4.0606671788495496965e-4955	ERR
9.18162065378E+4025	-9.1816206537800000002e+4025	0
84704113819	-0x1f15.34dc4p-4	84704113321.67459464073181152
1.96e-4941	-0.104432039816481006994418355503063e-2	-0.00104432039816481
1	.132	1.132
-66	66	0
.1	15769058920443776238	15769058920443776238
3728.2663	9.829629336337672e4938	ERR
-921967	8.793785031715077720533560743420790483272e-10	-921966.99999999912063231
2.0706743030465712053125000000001e+18	225259814670470792342950379520	225259814672541466651254587392
1.5e-9	-7490.17	-7490.1699999984999998
90290053717975445341732864	-0xcc53.ee6c8p0	90290053717975445341732864
0xc14a.b5f2ap3	2.e-4944	395861.6858673095703125
46.03732	2.197980611089099e4936	ERR
-.3	0.603306462088078779003614834522109260456784163449665182023189651604537743797331767879856169648212483242765861590759e16	6033064620880787.490234375
7.55195e4939	0.1768481032421257171154761596833914152217453693747949743405382691164753892181995814727911409716787874512392e-11	ERR
1.424742406900563798404790671329436178694e-11	1.61084627648647881108336150646209716796875e+10	16108462764.86478811129927635
1623323755	1.1e9	2723323755
0.163748786113889861456049333484270438572610337769213040605016051703411974866743330662975435914118214132867295075190884817e-5	-1.6374878611388986177e-06	0
-0.19918271004167484562839847983006274e-30	1.9918271004167484602e-31	0
273592053447463990001664	-5.5	273592053447463990001664
-0x9bc3.c76e2p23	334502278928	0
1.8858401e5	-0x70e0.98002p-40	188584.0099999737187062
37	0.004640221019013933611161641483444650901902	37.00464022101901393
-50.0167	.6964	-49.3203
5.877447E-4216	3.e23	300000000000000000000000
5150.62	-9.9	5140.7200000000000002
-.11	.601086	0.491086
-49636403792	49636403792.000000097	0.00000009685754776
1.3065652e14	0x103cc.8544cp27	139583142524928
5.0640	-5.064	0
-6.e1	4.87743708455E-3008	-60
.78	8.4347474171003009382161164176718430107779668703695838919831904467717842324540888920836323450203053653240203857421875000000001e-23	0.78
98660.920	6.16725e0	98667.08725000000000449
2.223745325652832343e-29	7.0386139690e-27	0
1.4602355e0	-1.4602355	0
-.84	14	13.16
0x1651d.9b47ep-36	8504.827	8504.82700133035946877
-5	49322336763395925237760	49322336763395925237760
5.606353053E-3782	0.9776093325491585922600700743085667230432755860941205132343017964926271149717841282314088965204763781450711e-14	0.00000000000000978
146521.8	69	146590.79999999999999716
1.830218871989553624197509406641834125984e-05	7.638414636182e4939	ERR
7824686.4	0.6981592104924504985011378034897733939418616624305473571125542772828472276986338333984613369123e16	6981592112749191.384765625
3.10612022964E-4412	.769	0.769
1.3613698299188738178712823484087567687374165752630934649036742456473803031258285045623779296874999999e-13	-155.801	-155.80099999999986386
0x1578.1925ap-13	-0.67091042851097881924	0
2.1094195e-4932	117436830.1660230703855631873011589050293	117436830.16602307038556319
-0xa75a.c2867p-49	7.6104029502938627498e-11	0
-8.273	0.71487976017240612571578017313301066089884614935087917422707272734668804819783033378601659543103826417848099616039e-26	-8.273
9.651106746695444e-34	5.648e21	5648000000000000000000
8.7043719e-4935	-8.70437189999999998e-4935	0
-0.7201924462207733526369010400596222821428570e2	0.93869548218554871482473867553569207132806369436203797358712379366031e25	9386954821855487148425216
2.25e4936	2.1105252959985751634210717696000000001e+28	ERR
0xb005.b5cfdp-28	-5636219615	-5636219614.99983213189989328
0.4036630184195302649906650633081647599e11	-15	40366301826.95302649959921837
-0xe332.70853p31	124902887823360	0
-4	2.10605e26	210604999999999999997902848
2.116682829061050820384929280098179399036e-08	0x31c5.32681p-5	398.1624031576586038
-699623	-0x12b9e.a0409p-46	-699623.0000000010900294
3.34096628958392933251953125000000001e+16	-33409662895839293.326	0
-126531294	126531294	0
9.6058663757645e-4945	-3.111520894180143e-15	-0.00000000000000311
-1	71471361051282676996	71471361051282676996
0.8090643443376053376329249992917640181669680800351943363020498789893199e-15	-8.0906434433760533764e-16	0
53.54159	-53.541590000000000103	-0.0000000000000001
9.8015667261199e-24	2.2055976071989e-15	0.00000000000000221
59471928658	-59471928658.00000006	-0.00000005960464478
1.640430462465164867965754222744856019924438951637480992550022218523508854559622704982757568359375000000001e-14	-333386	-333385.99999999999997158
-1.013174	-1905	-1906.01317400000000002
1.104446805901286100e-22	2633699353764511198933417984	2633699353764511198933417984
2.1030607662322081889E-1899	-2.1030607662322081909e-1899	0
3.7622990397e-28	0.5939243054597537911233643449799652582162932894631803439e26	59392430545975379111182336
0x369b.5f90bp-23	-6.83	-6.82833352884036231
4.76449018898371674697375757896836449487e-08	-4.764490188983716747e-08	0
2.1598985065799499155976065503633860528467566229181994228954743557768943632982172171935858723083867527492429871927015483379364013671875e-30	-2.15989850657994992e-30	0
5.560715315338334783501483826739786309190094470977783203125000000001e+02	-556.07153153383347949	-0.00000000000000111
-2.662075757924e-28	1.222174882983964737335868455011402734558144287882784215634701427519344385519417528485064394772052764892578125e-19	0
3785.977	309785122551420273424343236608	309785122551420273424343236608
-317.781	-0x17de1.332b5p-2	-24758.08096991157531797
.387	-0.38700000000000000076	0
0.32848638693930682510493892232720343622121171406051321373638973502776401182974249547824e5	-0x178c0.5b3d3p-5	29834.62755635577139302
9.5689146	-6.87744e-37	9.5689146
6.6974321572135372073e-4935	-9.3	-9.3
9.217571204113554e1	-92.175712041135540002	0
779.04016	-779.04016000000000147	-0.0000000000000015
0x78ae.11221p-48	9.3842183544E-3097	0.00000000010975777
0x723d.43a55p-2	-.3219948	7310.9940655046417235
1.0492535	8.820167628866e-4956	ERR
1.0130970371804657842296904246681811443649887190533604951370673830264579340365571624715812504291534423828125e-18	-1.840E-1997	0
.7630	-8.47791	-7.71491
556968323363563	396563839857.620444238185882568359375	557364887203420.620452880859375
6.3597579807416834439e4939	1	ERR
5.4e23	0.59297819171575368824483544471401524012751934223237307251390909715106867071719962258741006463251e5	540000000000000000065536
10693067529335643573229453312	-1.0693067529335643573e+28	0
1858325621025422614986752	-1.8583256210254226187e+24	-3670016
0x18226.4a52dp48	0.11983225673958647609880931872787323170804985079445331524317887152767823998186127331216977736307957333369269838587e8	27825009067304606074
4.317312163042673549426808676798827946186065673828124999999e+05	1.8591849935e4934	ERR
-92.88	-.44772	-93.32772
6.03623	-6.0362300000000000061	-0.00000000000000001
789.4	1.5	790.90000000000000002
9718367613871331584	8.8659339987838238381367036950754068774612133042867245791285313316620886325836181640625000000001e-10	9718367613871331584
309408583386030640665198592	-0.939018359576096321360246427568293986490525911375895132483103616877504835636442756899701354749527556434e-7	309408583386030640665198592
0x1021d.451dfp-9	923177276559673.00177001953125	923177276559802.0589599609375
17.9	.4	18.3
8338	-8338	0
340732	6315163656109013300	6315163656109354032
-0x12ca5.a41e1p-5	-140095799823582	-140095799825987.1762847900390625
1.5161603630729238206000641440760581566463403309663227462489957782058869195651595873641781508922576904296875000000001e-18	8.179992186e-4937	0
6.663691626672176343363354624000000001e+27	-6.6636916266721763436e+27	0
2914584148093799.9453125	-1.262601723703472527e13	2901958130856765.219970703125
9.67e-35	6.1741244411510119763274932573604569796543728443793952465057373046874999999e-02	0.06174124441151012
3.59192031213596E-3298	-3.5919203121359599999e-3298	0
4.87166736424121476546102160742890418987371958792209625244140624999999e+00	6.0086e4938	ERR
3.596604040150e4939	.94088	ERR
2.37842231942692373259908096398096920796871867054278482100926339626312255859375000000001e-06	-7.98134565E-1068	0.00000237842231943
1249236780	8488	1249245268
-6.7	0x5400.16892p49	12105725354778296313
0x157ed.c088bp-19	7.465	7.632933944865581
0x12b28.cec8dp-14	-2.196481505E-4568	4.67436570749850944"#;

/// The same for random 80-bit values written in C's `%La` hexadecimal form, covering the whole
/// exponent range, subnormals and cancellations.
const INCRBYFLOAT_HEX_CASES: &str = r#"0xf.ffffffb6c1f5278p+59	-0xf.ffffffb6c1f5277p+59	0.5
0xf.9985p-23	-0xd.9986959a5327bccp-23	0.00000023841569712
-0xd.c8086deca075257p-10330	0xc.b220b20a7a35296p-7392	0
-0xa.46ff01f96a778p-16	-0xa.e48af9afeceb586p-7978	-0.00015681958936901
0x8.918fecd6b58556p-2	-0x8.918fecd7c7b753ap-2	-0.00000000006234479
0xf.a7825e1ef372f48p-10	-0xe.7c960e5a67d7e5fp-16384	0.01528743457287214
0xf.ffffffffffffffcp+59	-0x9.316a3aap-4	9223372036854775805.5
0xf.fffffffffffffbep+34	-0xf.fffffffffffffbep+34	0
-0xe.fp-12	0x9.384c8140b0059fep-4324	-0.0036468505859375
0x2.35e98fc3bd16a75p-16385	0xd.9b92b4494a4fcf2p-16385	0
0xe.382db97ec83c48ep-33	0xd.4dcc4f65403d328p-2	3.32597469548286342
0xd.27bc4019c6d9a53p-16385	-0x9.a1p-47	-0.00000000000006842
-0xf.63b6be8933a551p-14	-0xb.8124a3d16294884p+57	-1657968184848099600.5
0xe.53deefa053d6d8ep-59	-0xf.fffffffffd7accp+52	-72057594037917612.75
0xb.2a5421bc90a658p-22	0x9.b976243963c2d28p-16384	0.0000026620259879
-0xe.f02fda747a99102p-16384	0x8.0e4ed7092ca1ae7p+20	8447213.43973982960505964
-0x8.b2fd09fe8ecp+5	-0x8.0d2d76a065adp-17	-278.37361564686881435
-0xf.cca4dd79a77f02p+59	-0xa.cd448c582701391p+60	-21561387498349530016
0xe.ad4e4416fa1d3e6p-13852	-0xf.90ac042a2a22a56p+59	-8972683528820036907
-0xc.7p-9	0xc.70000000638p-9	0.00000000000017675
-0xc.415d9196db313cap-16384	0xc.41761451fe5ef3p-16384	0
-0x9.1dc89ae2bd00db5p-14	-0xf.d0f7c887a6b9ab1p-16385	-0.00055641737302975
0xf.37b11397175f4eap+41	0xf.16a050b2b037d7ap-16384	33463736938030.74458694458007812
-0xe.9edea365de09321p-16385	-0x9.2cfcd54d5710421p-16385	0
-0xd.305f37ffd73a68p+5	-0x8p-12	-422.04844665408682047
-0xf.da67664p+11	0xb.ed9a620e0c0ep-4	-32466.4857231302005367
0x9.1754e5c0b45333fp+25	-0xe.e37204c75dd70d4p+15	304560146.49616953646182083
0x9.32ecf4c25f2c779p+5	-0x9.32ecf4c25f2ec45p+5	-0.00000000000026146
0x0.0fe23b161fed7d1p-16385	0xb.62p+11	23312
0xf.fffa94ce98d9156p+45	-0xe.ba28p-18	562947044266779.1353759765625
0x9.1e18cf32d22ed41p+61	-0x9.1e18cf3bf047a34p+61	-4894956006
0xf.fffff25f6f37bdap+59	0xd.cp-14	9223371568627432941
0xf.e114a66dfdbp+13	-0xf.ffffffd18421702p+59	-9223372030615687006.5
-0x9.5c2f7a6e1174937p+43	0x9.5c2f7a6e11f4937p+43	4
0x8.b64faf147513c3p-16385	-0xc.92c317696d5f3p-11	-0.00613930144498081
-0xa.3391ca6b7403616p-16384	0x6.90b4d731ab6cb3ap-16385	0
-0xa.6b22d966adf9c5cp+8	0xa.6b22d966adf9c5cp+8	0
0xb.aa6060812p+7	0x3.6a369348ca22f17p-16385	1493.18823627009987831
-0xb.8c3e412aadc1892p+59	-0xd.bec3406fb05e144p+59	-14580417042830130411
-0xf.ffffffff4455d7ap+54	0x9.4f9ec2ec8p+4	-288230376148636896.9375
-0xc.35d9b4p-22	-0xa.ba51ae87527da77p-31	-0.00000291617057031
0xe.c1e21858c8ea74bp-25	0xf.fffffffffccdd4p+59	9223372036853100192
-0xe.f099b2bd8930c3ep-16384	0xe.f099b2bd8c33b2cp-16384	0
0xf.35ff4934b1df90ap-16384	-0xf.fffffffffedeb42p+59	-9223372036854183329
0xb.4p+11	-0xb.40000000000000bp+11	-0.00000000000001954
-0x9.5835486d0a2f9c7p+22	-0xf.530a73806eb5de8p-11788	-39193938.10648416893309331
-0x9.1fdc5c3478a8f66p-16385	0x9.1fdc5c349d2867dp-16385	0
0xa.fdc69c87872343bp-666	-0xf.30825154dcfp-62	0
-0xe.5a01f65a9a9008ep-16384	0x0.9aaaf0db089ca26p-16385	0
-0x9.0c47d5b49cbe8e4p-43	0x9.0c47dec0e49442ep-43	0
0xd.498b2312242p+16	0xf.fffffffe648b14p+59	9223372036639924779
0x8.cca1a63f61d8ad7p-10657	-0xd.9792d98846f7113p-16385	0
0xb.b1a075732d77a0ep+46	-0xb.b1a075732d8f042p+46	-5.846923828125
-0xf.ffffffffbe6fbfp+59	-0xe.0f7ab9p-6	-9223372036820401656
0xc.18c49c04p-10	-0xc.18c49c04p-10	0
0xd.9bdfcp-16	-0xa.02p-20	0.00019811087986454
0xf.ce0921063b9fb6ap+59	0xf.ffffffffffffef4p+59	18334234382570421551
-0x7.2efd66b39c93c5ap-16385	-0x9.e99e257fe2e8fb9p-16385	0
0xe.dap-12	-0xf.c7ap-12	-0.00022661685943604
0xa.81df592p-16	-0xf.ffffffffffe6d3p+48	-4503599627370470.823974609375
0xd.fe27fp-6	-0xe.01a779fcp-6	-0.00021351313625928
0xf.45dafe6f80f98ffp-48	0xe.1629928bec508cfp-16385	0.00000000000005426
0xd.1f2112032081f38p-16385	0x9.7c9ad8bf5fb85ebp-16295	0
-0xd.398b961p-15	0xf.f8b1fd55046c8e3p+17	2093411.97875343308282936
-0xb.7294bp-17	0xb.7294b02dca52cp-17	0.00000000000008134
-0xe.164dp-11	0xe.164dp-11	0
0x9.d2829f5d0e8a363p-65	-0xe.659ffcf549e1409p-16384	0
0x1.a1e30b8456b3decp-16385	-0x1.a1e30b8456c0edep-16385	0
-0xb.6b92872831e4e5bp-16385	-0xf.1c55e61a27fcc14p-9810	0
-0xf.fffa1ef7c53703p+59	0xd.bbeff5d5923e292p+11	-9223320324343941688.5
-0x8.ff392d0391eb389p+46	-0xe.f52990f1cce05f5p-16384	-633105211778170.80523681640625
0x8.e834dp+1	-0x8.e834dp+1	0
0xf.ffffffffffa38c8p+39	-0xf.71cdf3d94d4d748p-17	8796093022207.81931352615356445
0x9.5d5cb1f23f8c7edp+56	0x8.5ac33c61568b2acp-944	674797438518660222.8125
0xf.ffc07f77b5d736cp+29	-0xf.ffc07f77b5d736cp+29	0
-0xf.fffffffffffe49ap+44	-0xc.8p-2	-281474976710659.017974853515625
0x8.7356c4f35b6p+0	-0xa.6f22047e5cp+4	-158.49526232164191697
0x9.0d2ce0dp+12	0x8.07be8bf199ab654p-4589	37074.8048858642578125
0x8.a0595e578f41p+16	-0x8.a0595e578f41p+16	0
0xc.fee36004266208cp-2276	-0xc.ff175b91a672a25p-2276	0
-0xf.4abf7f0723d3906p-6817	0x8.e3cf72f031591bcp+61	20498677266551350136
0x1.0770760e19cbe2fp-16385	-0xd.02219b09ad136f9p-2	-3.25208132025297253
0xc.de5f2232493163p+38	-0x0.b1f41cd6a2d04a5p-16385	3537304587410.29822921752929688
0xa.359a77e6baa34d4p-9	0x8.5fae05c32087a85p-11767	0.01994021142615068
0xc.4818457b1a01c8p+4	-0xf.ffffffffffffffap+59	-9223372036854775608.5
0xd.672f531bbe49d3cp+34	-0xd.672f531bbe49d3cp+34	0
-0xf.f7d0e211b262666p-16384	-0xf.ffffffffd10af06p+38	-4398046511092.26068258285522461
-0xf.ffffffffffc2f9p+59	0xf.ffffffffffc2f9p+59	0
0xf.5476168beb0150bp-16384	-0xe.d9ae366d4178p-14	-0.0009063912672965
0xf.d612927c127c401p+13	-0xf.d612927c127c401p+13	0
0xd.7634ed6998a4fd9p-9085	-0xd.7634ed6998a4fd9p-9085	0
0xa.65291dee601624ap-16385	-0xa.65291dee601624bp-16385	0
-0xf.fffe2fbc13d5e4p+59	-0x8.ef5dd9ccac9adbdp-16384	-9223356084819767072
-0xb.f39b017126dcc88p-16385	-0x8p+60	-9223372036854775808
-0xf.e93d01263cb4de3p-16385	0xf.ffffffffffffffep+38	4398046511103.9999995231628418
-0xf.ffffefb15c5d5f4p+59	-0xa.ae08a055f686ac7p-5685	-9223371476544187130
-0xc.6245dp-12	-0xf.ffd2e5fc7295cb8p+59	-9222975318838783580
0xe.d32b66841e2c7fap-67	-0xe.d32b65e66e2c7fap-67	0
0xf.fffff3cc7da832p+24	-0x8.1e1b1733c35p+11	268418818.95221007417421788
-0xa.dd747e125486b4p-3	-0xf.ffffffffffffffep+21	-33554433.35813234799570637
-0x8p+25	0x9.0bffc77505c6509p+43	79576855980078.19733428955078125
0xc.92a7975daddcc0ep-2909	-0xc.92a7975daddcc14p-2909	0
-0xd.3f1e232f5289364p-13	0xd.3f1e232f528950cp-13	0
0xf.ff56a26f460923cp+20	0xd.86492062694e299p-16384	16774506.15216640062499209
-0xb.356bfe77d4c0e3ep+6	0xe.f5e3f7f1ba88013p-2866	-717.35546290622753307
-0x3.ddfddbcf5614dafp-16385	0x3.ddfdeb474d84185p-16385	0
-0x8.f7ad742985ed908p-16384	-0xb.a8a73155714f9f8p+21	-24450278.16672002988343593
0xf.ffffffffff3437p+47	-0xf.ffea4103d90ff48p+32	2251731095633558.259521484375
-0xc.faea40010b35ecfp-7747	0xe.903f7a98b5cp+13	119303.93486158363521099
-0xd.86a5b83b7d5cdbp-16385	0x5.c76de6d8c5e4102p-16385	0
0xf.ef6cd1682923498p+59	-0xd.7f1612f176b946ap-10037	9186048613234055756
-0xa.28e8f7f0c83ff4cp-15619	0xb.6821cp-79	0
-0x8.4bcca5743e31d61p+61	0xd.39dc8p-21	-19129484369556028098
0xe.34a0d3fc7e7f59p-17	0xf.ff9dde97dd0a9d8p+45	562897270012833.3270263671875
-0xe.9447290595c2981p-16385	-0x8.2242d79dp-23	-0.0000009696283855
-0xd.5385f933304b0b8p-16	0xd.5387a3a3ef71719p-16	0.0000000003878453
0xf.fffffffedd7fc24p+59	-0x8.000000076ebfe12p+60	-2147483648
0xf.ffffffffffffb7cp+59	-0xf.ffffffffffffb7cp+59	0
-0xe.9c0ee3d96c448bp-16385	0xa.1077f892965ce5dp-12111	0
-0xc.b2977068e55a2p-10	-0xa.2e8669b1067c5d3p-16385	-0.01240002273173011"#;
