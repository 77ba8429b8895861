//! Hash commands: exact replies (taken from a real Redis 7.0.15), encodings, keyspace events, and
//! a randomized comparison against a simple model.

use std::collections::{HashMap, HashSet};

use redis_playground::config::Config;
use redis_playground::engine::KeyEvent;
use redis_playground::hashes::Hash;
use redis_playground::notify;
use redis_playground::value::Value;
use redis_playground::{ClientId, Engine, Reply};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER: &str = "ERR value is not an integer or out of range";

fn setup() -> (Engine, ClientId) {
    let mut e = Engine::new();
    let c = e.open_client();
    (e, c)
}

/// Runs a command given as separate arguments.
fn run(e: &mut Engine, c: ClientId, args: &[&[u8]]) -> Reply {
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
    e.execute(c, &argv)
}

/// Runs a command given as space-separated words.
fn cmd(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    let argv: Vec<Vec<u8>> = line.split_whitespace().map(|w| w.as_bytes().to_vec()).collect();
    e.execute(c, &argv)
}

fn b(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn arr(items: &[&str]) -> Reply {
    Reply::Array(items.iter().map(|s| b(s)).collect())
}

fn map(pairs: &[(&str, &str)]) -> Reply {
    Reply::Map(pairs.iter().map(|(f, v)| (b(f), b(v))).collect())
}

fn err(s: &str) -> Reply {
    Reply::Error(s.to_string())
}

fn int(n: i64) -> Reply {
    Reply::Int(n)
}

fn scan_reply(cursor: &str, items: &[&str]) -> Reply {
    Reply::Array(vec![b(cursor), arr(items)])
}

fn encoding(e: &Engine, key: &str) -> &'static str {
    match e.state.dbs[0].get(key.as_bytes()) {
        Some(entry) => entry.value.encoding(&e.state.config),
        None => "none",
    }
}

fn exists(e: &Engine, key: &str) -> bool {
    e.state.dbs[0].contains(key.as_bytes())
}

fn put_string(e: &mut Engine, key: &str) {
    e.state.dbs[0].set(key.as_bytes(), Value::str("x"), false);
}

/// `HSET key f1 v1 ... fn vn` with `n` generated fields.
fn fill(e: &mut Engine, c: ClientId, key: &str, n: usize) -> Reply {
    let mut argv: Vec<Vec<u8>> = vec![b"HSET".to_vec(), key.as_bytes().to_vec()];
    for i in 1..=n {
        argv.push(format!("f{i}").into_bytes());
        argv.push(format!("v{i}").into_bytes());
    }
    e.execute(c, &argv)
}

fn bulks_of(r: &Reply) -> Vec<Vec<u8>> {
    match r {
        Reply::Array(items) => items
            .iter()
            .map(|i| match i {
                Reply::Bulk(b) => b.clone(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        Reply::Map(pairs) => pairs
            .iter()
            .flat_map(|(f, v)| [f, v])
            .map(|i| match i {
                Reply::Bulk(b) => b.clone(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

#[test]
fn course_example_keeps_insertion_order() {
    let (mut e, c) = setup();
    assert_eq!(
        cmd(
            &mut e,
            c,
            "HSET user:1001 name Alice email alice@example.com age 30 role admin loginCount 0"
        ),
        int(5)
    );
    let all = map(&[
        ("name", "Alice"),
        ("email", "alice@example.com"),
        ("age", "30"),
        ("role", "admin"),
        ("loginCount", "0"),
    ]);
    assert_eq!(cmd(&mut e, c, "HGETALL user:1001"), all);
    assert_eq!(
        cmd(&mut e, c, "HKEYS user:1001"),
        arr(&["name", "email", "age", "role", "loginCount"])
    );
    assert_eq!(
        cmd(&mut e, c, "HVALS user:1001"),
        arr(&["Alice", "alice@example.com", "30", "admin", "0"])
    );
    assert_eq!(cmd(&mut e, c, "HSTRLEN user:1001 email"), int(17));
    assert_eq!(cmd(&mut e, c, "HSTRLEN user:1001 nope"), int(0));
    // Deleting and re-adding moves a field to the end; updating keeps its place.
    assert_eq!(cmd(&mut e, c, "HDEL user:1001 age"), int(1));
    assert_eq!(cmd(&mut e, c, "HSET user:1001 age 31 name Bob"), int(1));
    assert_eq!(
        cmd(&mut e, c, "HGETALL user:1001"),
        map(&[
            ("name", "Bob"),
            ("email", "alice@example.com"),
            ("role", "admin"),
            ("loginCount", "0"),
            ("age", "31"),
        ])
    );
    assert_eq!(encoding(&e, "user:1001"), "listpack");
}

#[test]
fn hset_hmset_hsetnx() {
    let (mut e, c) = setup();
    assert_eq!(cmd(&mut e, c, "HSET h a"), err("ERR wrong number of arguments for 'hset' command"));
    assert_eq!(
        cmd(&mut e, c, "HSET h a 1 b"),
        err("ERR wrong number of arguments for 'hset' command")
    );
    assert_eq!(
        cmd(&mut e, c, "HMSET h a 1 b"),
        err("ERR wrong number of arguments for 'hmset' command")
    );
    assert_eq!(
        cmd(&mut e, c, "HMSET h a"),
        err("ERR wrong number of arguments for 'hmset' command")
    );
    assert!(!exists(&e, "h"));
    assert_eq!(cmd(&mut e, c, "HMSET h a 1 b 2"), Reply::Status("OK".into()));
    assert_eq!(cmd(&mut e, c, "HSET h a 1 a 2"), int(0));
    assert_eq!(cmd(&mut e, c, "HGET h a"), b("2"));
    assert_eq!(cmd(&mut e, c, "HSET h a 3 a 4 c 5"), int(1));
    assert_eq!(cmd(&mut e, c, "HSETNX h a 9"), int(0));
    assert_eq!(cmd(&mut e, c, "HSETNX h z 9"), int(1));
    assert_eq!(cmd(&mut e, c, "HSETNX"), err("ERR wrong number of arguments for 'hsetnx' command"));
    assert_eq!(cmd(&mut e, c, "HGETALL h"), map(&[("a", "4"), ("b", "2"), ("c", "5"), ("z", "9")]));
    assert_eq!(cmd(&mut e, c, "hset h B 1"), int(1));
    assert_eq!(cmd(&mut e, c, "HSETNX new f v"), int(1));
    assert_eq!(cmd(&mut e, c, "HGETALL new"), map(&[("f", "v")]));
    // Binary-safe fields and values, including empty ones.
    assert_eq!(run(&mut e, c, &[b"HSET", b"bin", b"", b""]), int(1));
    assert_eq!(run(&mut e, c, &[b"HSET", b"bin", b"\x00\xff", b"a\r\nb"]), int(1));
    assert_eq!(run(&mut e, c, &[b"HGET", b"bin", b"\x00\xff"]), Reply::Bulk(b"a\r\nb".to_vec()));
    assert_eq!(run(&mut e, c, &[b"HSTRLEN", b"bin", b""]), int(0));
    assert_eq!(run(&mut e, c, &[b"HEXISTS", b"bin", b""]), int(1));
    assert_eq!(
        run(&mut e, c, &[b"HGETALL", b"bin"]),
        Reply::Map(vec![
            (Reply::Bulk(vec![]), Reply::Bulk(vec![])),
            (Reply::Bulk(b"\x00\xff".to_vec()), Reply::Bulk(b"a\r\nb".to_vec())),
        ])
    );
}

#[test]
fn reads_on_missing_and_present_keys() {
    let (mut e, c) = setup();
    cmd(&mut e, c, "HSET h a 1 b 2 z 9");
    assert_eq!(cmd(&mut e, c, "HMGET h a nope z"), Reply::Array(vec![b("1"), Reply::Nil, b("9")]));
    assert_eq!(cmd(&mut e, c, "HMGET nokey a b"), Reply::Array(vec![Reply::Nil, Reply::Nil]));
    assert_eq!(cmd(&mut e, c, "HGET h nope"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "HGET nokey a"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "HLEN h"), int(3));
    assert_eq!(cmd(&mut e, c, "HLEN nokey"), int(0));
    assert_eq!(cmd(&mut e, c, "HEXISTS h a"), int(1));
    assert_eq!(cmd(&mut e, c, "HEXISTS h A"), int(0));
    assert_eq!(cmd(&mut e, c, "HEXISTS nokey a"), int(0));
    assert_eq!(cmd(&mut e, c, "HSTRLEN nokey a"), int(0));
    assert_eq!(cmd(&mut e, c, "HGETALL nokey"), Reply::Map(vec![]));
    assert_eq!(cmd(&mut e, c, "HKEYS nokey"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HVALS nokey"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HDEL nokey a"), int(0));
    assert_eq!(cmd(&mut e, c, "HGET h"), err("ERR wrong number of arguments for 'hget' command"));
    assert_eq!(cmd(&mut e, c, "HMGET h"), err("ERR wrong number of arguments for 'hmget' command"));
    assert_eq!(cmd(&mut e, c, "HLEN h x"), err("ERR wrong number of arguments for 'hlen' command"));
    assert_eq!(cmd(&mut e, c, "HKEYS"), err("ERR wrong number of arguments for 'hkeys' command"));
    assert_eq!(
        cmd(&mut e, c, "HSTRLEN h"),
        err("ERR wrong number of arguments for 'hstrlen' command")
    );
}

#[test]
fn hdel_removes_the_key_when_empty_with_events() {
    let (mut e, c) = setup();
    e.state.config.notify_keyspace_events = notify::ALL | notify::KEYSPACE | notify::KEYEVENT;
    cmd(&mut e, c, "HSET h a 1 b 2 c 3");
    assert_eq!(cmd(&mut e, c, "HDEL h"), err("ERR wrong number of arguments for 'hdel' command"));
    assert_eq!(cmd(&mut e, c, "HDEL h nope"), int(0));
    assert_eq!(cmd(&mut e, c, "HDEL h a a nope"), int(1));
    assert!(exists(&e, "h"));
    assert_eq!(cmd(&mut e, c, "HDEL h nope c z b"), int(2));
    assert!(!exists(&e, "h"));
    assert_eq!(cmd(&mut e, c, "HLEN h"), int(0));
    let ev =
        |event: &'static str, class: u32| KeyEvent { db: 0, class, event, key: b"h"[..].into() };
    assert_eq!(
        e.take_events(),
        vec![
            ev("hset", notify::HASH),
            ev("hdel", notify::HASH),
            ev("hdel", notify::HASH),
            ev("del", notify::GENERIC)
        ]
    );
}

#[test]
fn write_events() {
    let (mut e, c) = setup();
    e.state.config.notify_keyspace_events = notify::ALL | notify::KEYEVENT;
    cmd(&mut e, c, "HSET h a 1");
    cmd(&mut e, c, "HMSET h a 1");
    cmd(&mut e, c, "HSETNX h a 1"); // nothing set: no event
    cmd(&mut e, c, "HSETNX h b 1");
    cmd(&mut e, c, "HINCRBY h a 1");
    cmd(&mut e, c, "HINCRBY h a x"); // error: no event
    cmd(&mut e, c, "HINCRBYFLOAT h a 1.5");
    cmd(&mut e, c, "HGET h a");
    let names: Vec<&str> = e.take_events().iter().map(|k| k.event).collect();
    assert_eq!(names, ["hset", "hset", "hset", "hincrby", "hincrbyfloat"]);
}

#[test]
fn wrongtype_everywhere() {
    let (mut e, c) = setup();
    put_string(&mut e, "s");
    for line in [
        "HSET s a 1",
        "HMSET s a 1",
        "HSETNX s a 1",
        "HGET s a",
        "HMGET s a",
        "HDEL s a",
        "HLEN s",
        "HSTRLEN s a",
        "HEXISTS s a",
        "HKEYS s",
        "HVALS s",
        "HGETALL s",
        "HINCRBY s a 1",
        "HINCRBYFLOAT s a 1",
        "HRANDFIELD s",
        "HRANDFIELD s 1",
        "HRANDFIELD s -1 WITHVALUES",
        "HSCAN s 0",
        "HSCAN s 0 COUNT 0",
    ] {
        assert_eq!(cmd(&mut e, c, line), err(WRONGTYPE), "{line}");
    }
    // Argument errors found before the type check keep their own text.
    assert_eq!(
        cmd(&mut e, c, "HSET s a 1 b"),
        err("ERR wrong number of arguments for 'hset' command")
    );
    assert_eq!(cmd(&mut e, c, "HINCRBY s f x"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT s f x"), err("ERR value is not a valid float"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT s f inf"), err("ERR value is NaN or Infinity"));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD s abc"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HSCAN s abc"), err("ERR invalid cursor"));
    assert_eq!(encoding(&e, "s"), "embstr");
}

#[test]
fn hincrby() {
    let (mut e, c) = setup();
    let big = i64::MAX.to_string();
    let small = i64::MIN.to_string();
    run(
        &mut e,
        c,
        &[
            b"HSET",
            b"h",
            b"i",
            b"10",
            b"f",
            b"1.5",
            b"s",
            b"abc",
            b"big",
            big.as_bytes(),
            b"small",
            small.as_bytes(),
            b"sp",
            b" 1",
            b"plus",
            b"+1",
            b"zero",
            b"007",
        ],
    );
    assert_eq!(cmd(&mut e, c, "HINCRBY h i 5"), int(15));
    assert_eq!(cmd(&mut e, c, "HINCRBY h i -20"), int(-5));
    assert_eq!(cmd(&mut e, c, "HGET h i"), b("-5"));
    for f in ["s", "f", "sp", "plus", "zero"] {
        assert_eq!(
            cmd(&mut e, c, &format!("HINCRBY h {f} 1")),
            err("ERR hash value is not an integer")
        );
    }
    assert_eq!(cmd(&mut e, c, "HINCRBY h big 1"), err("ERR increment or decrement would overflow"));
    assert_eq!(cmd(&mut e, c, "HINCRBY h big 0"), int(i64::MAX));
    assert_eq!(cmd(&mut e, c, "HINCRBY h big -1"), int(i64::MAX - 1));
    assert_eq!(
        cmd(&mut e, c, "HINCRBY h small -1"),
        err("ERR increment or decrement would overflow")
    );
    assert_eq!(cmd(&mut e, c, "HINCRBY h small 1"), int(i64::MIN + 1));
    assert_eq!(cmd(&mut e, c, "HINCRBY h new 7"), int(7));
    for bad in ["abc", "1.5", "9223372036854775808", "+1", "01", "-0", ""] {
        assert_eq!(
            run(&mut e, c, &[b"HINCRBY", b"h", b"i", bad.as_bytes()]),
            err(NOT_INTEGER),
            "{bad}"
        );
    }
    assert_eq!(cmd(&mut e, c, "HINCRBY fresh f 9223372036854775807"), int(i64::MAX));
    assert_eq!(
        cmd(&mut e, c, "HINCRBY fresh f 1"),
        err("ERR increment or decrement would overflow")
    );
    assert_eq!(cmd(&mut e, c, "HINCRBY fresh g -9223372036854775808"), int(i64::MIN));
    assert_eq!(
        cmd(&mut e, c, "HINCRBY fresh g -1"),
        err("ERR increment or decrement would overflow")
    );
    // A failing increment on a missing key does not create it.
    assert_eq!(cmd(&mut e, c, "HINCRBY nokey f x"), err(NOT_INTEGER));
    assert!(!exists(&e, "nokey"));
    assert_eq!(
        cmd(&mut e, c, "HINCRBY h"),
        err("ERR wrong number of arguments for 'hincrby' command")
    );
}

#[test]
fn hincrbyfloat() {
    let (mut e, c) = setup();
    run(
        &mut e,
        c,
        &[b"HSET", b"h", b"i", b"10", b"s", b"abc", b"inf", b"inf", b"sp", b" 1", b"e", b"1e3"],
    );
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h i 2.5"), b("12.5"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h i -0.25"), b("12.25"));
    assert_eq!(cmd(&mut e, c, "HGET h i"), b("12.25"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h e 1"), b("1001"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h y 5.0e3"), b("5000"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h w -0"), b("0"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h s 1"), err("ERR hash value is not a float"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h sp 1"), err("ERR hash value is not a float"));
    assert_eq!(
        cmd(&mut e, c, "HINCRBYFLOAT h inf 1"),
        err("ERR increment would produce NaN or Infinity")
    );
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h x abc"), err("ERR value is not a valid float"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h x nan"), err("ERR value is not a valid float"));
    assert_eq!(
        run(&mut e, c, &[b"HINCRBYFLOAT", b"h", b"x", b" 1"]),
        err("ERR value is not a valid float")
    );
    assert_eq!(
        run(&mut e, c, &[b"HINCRBYFLOAT", b"h", b"x", b""]),
        err("ERR value is not a valid float")
    );
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h x inf"), err("ERR value is NaN or Infinity"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT h x -inf"), err("ERR value is NaN or Infinity"));
    assert_eq!(cmd(&mut e, c, "HINCRBYFLOAT nokey x inf"), err("ERR value is NaN or Infinity"));
    assert!(!exists(&e, "nokey"));
    assert_eq!(cmd(&mut e, c, "HEXISTS h x"), int(0));
    // Redis prints 1e308 in full: the `long double` nearest to it is just below 10^308, so 308
    // digits (real Redis 7.0.15 on x86-64: "99999999999999999996...").
    match cmd(&mut e, c, "HINCRBYFLOAT h nf 1e308") {
        Reply::Bulk(digits) => {
            assert_eq!(digits.len(), 308);
            assert!(digits.starts_with(b"99999999999999999996"));
        }
        other => panic!("{other:?}"),
    }
    // A result longer than hash-max-listpack-value converts the hash, like any long value.
    assert_eq!(encoding(&e, "h"), "hashtable");
}

#[test]
fn conversion_to_hashtable_at_513_entries() {
    let (mut e, c) = setup();
    assert_eq!(fill(&mut e, c, "h", 512), int(512));
    assert_eq!(encoding(&e, "h"), "listpack");
    assert_eq!(cmd(&mut e, c, "HSET h f1 again"), int(0));
    assert_eq!(encoding(&e, "h"), "listpack");
    assert_eq!(cmd(&mut e, c, "HSET h f513 v513"), int(1));
    assert_eq!(encoding(&e, "h"), "hashtable");
    assert_eq!(cmd(&mut e, c, "HLEN h"), int(513));
    // Shrinking never converts back.
    assert_eq!(cmd(&mut e, c, "HDEL h f513 f512 f511"), int(3));
    assert_eq!(encoding(&e, "h"), "hashtable");
    assert_eq!(cmd(&mut e, c, "HGET h f1"), b("again"));
    assert_eq!(cmd(&mut e, c, "HGET h f510"), b("v510"));
    assert_eq!(cmd(&mut e, c, "HGET h f511"), Reply::Nil);
    // One HSET with 513 pairs converts too.
    assert_eq!(fill(&mut e, c, "g", 513), int(513));
    assert_eq!(encoding(&e, "g"), "hashtable");
    let keys = bulks_of(&cmd(&mut e, c, "HKEYS g"));
    assert_eq!(keys.len(), 513);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 513);
}

#[test]
fn conversion_on_long_fields_and_values() {
    let (mut e, c) = setup();
    let a64 = "a".repeat(64);
    let a65 = "a".repeat(65);
    assert_eq!(cmd(&mut e, c, &format!("HSET h f {a64}")), int(1));
    assert_eq!(cmd(&mut e, c, &format!("HSET h {a64} v")), int(1));
    assert_eq!(encoding(&e, "h"), "listpack");
    // HSETNX on an existing field writes nothing and converts nothing.
    assert_eq!(cmd(&mut e, c, &format!("HSETNX h f {a65}")), int(0));
    assert_eq!(encoding(&e, "h"), "listpack");
    assert_eq!(cmd(&mut e, c, &format!("HSETNX h g {a65}")), int(1));
    assert_eq!(encoding(&e, "h"), "hashtable");

    cmd(&mut e, c, "HSET h2 a 1");
    assert_eq!(cmd(&mut e, c, &format!("HINCRBY h2 {a65} 1")), int(1));
    assert_eq!(encoding(&e, "h2"), "hashtable");

    // Reading or deleting a long field does not convert.
    cmd(&mut e, c, "HSET h3 a 1");
    assert_eq!(cmd(&mut e, c, &format!("HMGET h3 {a65}")), Reply::Array(vec![Reply::Nil]));
    assert_eq!(cmd(&mut e, c, &format!("HEXISTS h3 {a65}")), int(0));
    assert_eq!(cmd(&mut e, c, &format!("HDEL h3 {a65}")), int(0));
    assert_eq!(encoding(&e, "h3"), "listpack");

    assert_eq!(cmd(&mut e, c, &format!("HSET h4 a 1 b {a65}")), int(2));
    assert_eq!(cmd(&mut e, c, "HDEL h4 b"), int(1));
    assert_eq!(encoding(&e, "h4"), "hashtable");

    assert_eq!(cmd(&mut e, c, &format!("HMSET h5 x {a65} y 1")), Reply::Status("OK".into()));
    assert_eq!(encoding(&e, "h5"), "hashtable");
}

#[test]
fn conversion_follows_config() {
    let (mut e, c) = setup();
    e.state.config.hash_max_listpack_entries = 0;
    cmd(&mut e, c, "HSET h6 a 1");
    assert_eq!(encoding(&e, "h6"), "hashtable");
    cmd(&mut e, c, "HSETNX h7 a 1");
    assert_eq!(encoding(&e, "h7"), "hashtable");
    cmd(&mut e, c, "HINCRBY h8 a 1");
    assert_eq!(encoding(&e, "h8"), "hashtable");
    e.state.config.hash_max_listpack_entries = 2;
    assert_eq!(cmd(&mut e, c, "HSET h9 a 1 b 2"), int(2));
    assert_eq!(encoding(&e, "h9"), "listpack");
    assert_eq!(cmd(&mut e, c, "HSET h9 c 3"), int(1));
    assert_eq!(encoding(&e, "h9"), "hashtable");
    cmd(&mut e, c, "HSET h10 a 1 b 2 c 3");
    assert_eq!(encoding(&e, "h10"), "hashtable");
    e.state.config.hash_max_listpack_entries = 512;
    e.state.config.hash_max_listpack_value = 0;
    run(&mut e, c, &[b"HSET", b"h11", b"a", b""]);
    assert_eq!(encoding(&e, "h11"), "hashtable");
    e.state.config.hash_max_listpack_value = 64;
    // The encoding is the value's own: changing the config later does not change it.
    cmd(&mut e, c, "HSET small a 1");
    e.state.config.hash_max_listpack_entries = 0;
    assert_eq!(encoding(&e, "small"), "listpack");
}

#[test]
fn hrandfield_arguments() {
    let (mut e, c) = setup();
    cmd(&mut e, c, "HSET h a 1 b 2 c 3");
    assert_eq!(
        cmd(&mut e, c, "HRANDFIELD h -9223372036854775808"),
        err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    );
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 9223372036854775808"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h abc"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h abc foo"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 1.0"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h +1"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 1 foo"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 1 withvalues x"), err("ERR syntax error"));
    for n in ["-9223372036854775807", "4611686018427387904", "-4611686018427387904"] {
        assert_eq!(
            cmd(&mut e, c, &format!("HRANDFIELD h {n} WITHVALUES")),
            err("ERR value is out of range")
        );
    }
    let all = arr(&["a", "1", "b", "2", "c", "3"]);
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 4611686018427387903 WITHVALUES"), all);
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 9223372036854775807"), arr(&["a", "b", "c"]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 3"), arr(&["a", "b", "c"]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 10 withValues"), all);
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 0"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 0 WITHVALUES"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD nokey"), Reply::Nil);
    assert_eq!(cmd(&mut e, c, "HRANDFIELD nokey 5"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD nokey -5 WITHVALUES"), Reply::Array(vec![]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD nokey abc"), err(NOT_INTEGER));
    // A negative count beyond what a reply may hold is refused instead of allocated.
    let too_many = format!("HRANDFIELD h -{}", redis_playground::hashes::MAX_RANDOM_FIELDS + 1);
    assert!(cmd(&mut e, c, &too_many).is_error());
    assert!(cmd(&mut e, c, "HRANDFIELD h -9223372036854775807").is_error());
    assert!(cmd(&mut e, c, "HRANDFIELD h -4611686018427387903 WITHVALUES").is_error());
    // ... but a huge positive count is bounded by the hash's size.
    assert_eq!(cmd(&mut e, c, "HRANDFIELD h 4611686018427387903"), arr(&["a", "b", "c"]));

    cmd(&mut e, c, "HSET one f v");
    assert_eq!(cmd(&mut e, c, "HRANDFIELD one"), b("f"));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD one -3"), arr(&["f", "f", "f"]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD one -2 WITHVALUES"), arr(&["f", "v", "f", "v"]));
    assert_eq!(cmd(&mut e, c, "HRANDFIELD one 1 WITHVALUES"), arr(&["f", "v"]));
}

/// Checks an HRANDFIELD reply against the hash's contents: `n` results, values matching their
/// fields, distinct when `distinct`.
fn check_random(
    reply: &Reply,
    model: &HashMap<Vec<u8>, Vec<u8>>,
    n: usize,
    withvalues: bool,
    distinct: bool,
) {
    let items = bulks_of(reply);
    let step = if withvalues { 2 } else { 1 };
    assert_eq!(items.len(), n * step, "{reply:?}");
    let mut seen = HashSet::new();
    for chunk in items.chunks(step) {
        let v = model.get(&chunk[0]).unwrap_or_else(|| panic!("unknown field {:?}", chunk[0]));
        if withvalues {
            assert_eq!(&chunk[1], v);
        }
        let fresh = seen.insert(chunk[0].clone());
        if distinct {
            assert!(fresh, "repeated field in {reply:?}");
        }
    }
}

#[test]
fn hrandfield_distinct_and_repeated_in_both_encodings() {
    let (mut e, c) = setup();
    for (key, size) in [("small", 20usize), ("big", 2000)] {
        fill(&mut e, c, key, size);
        let model: HashMap<Vec<u8>, Vec<u8>> = (1..=size)
            .map(|i| (format!("f{i}").into_bytes(), format!("v{i}").into_bytes()))
            .collect();
        for count in [1usize, 2, 5, size / 3, size / 2, size - 1, size] {
            for wv in [false, true] {
                let suffix = if wv { " WITHVALUES" } else { "" };
                let r = cmd(&mut e, c, &format!("HRANDFIELD {key} {count}{suffix}"));
                check_random(&r, &model, count, wv, true);
                let r = cmd(&mut e, c, &format!("HRANDFIELD {key} -{count}{suffix}"));
                check_random(&r, &model, count, wv, false);
            }
        }
        let r = cmd(&mut e, c, &format!("HRANDFIELD {key} -{}", size * 5));
        check_random(&r, &model, size * 5, false, false);
        // Every field can come up, and single picks are spread out.
        let mut hits: HashMap<Vec<u8>, usize> = HashMap::new();
        for _ in 0..size * 30 {
            match cmd(&mut e, c, &format!("HRANDFIELD {key}")) {
                Reply::Bulk(f) => *hits.entry(f).or_default() += 1,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(hits.len(), size, "{key}: some field never came up");
        let most = hits.values().copied().max().unwrap_or(0);
        assert!(most < 30 * 4, "{key}: a field came up {most} times out of ~30 expected");
    }
    assert_eq!(encoding(&e, "small"), "listpack");
    assert_eq!(encoding(&e, "big"), "hashtable");
    // count >= size returns the whole listpack in insertion order.
    let r = cmd(&mut e, c, "HRANDFIELD small 20");
    let expected: Vec<String> = (1..=20).map(|i| format!("f{i}")).collect();
    assert_eq!(r, Reply::Array(expected.iter().map(|s| b(s)).collect()));
}

#[test]
fn hscan_listpack_returns_everything_at_once() {
    let (mut e, c) = setup();
    cmd(&mut e, c, "HSET h a 1 b 2 c 3 ab 4");
    let all = scan_reply("0", &["a", "1", "b", "2", "c", "3", "ab", "4"]);
    for cursor in ["0", "17", "+5", "-1", "18446744073709551615", "007"] {
        assert_eq!(cmd(&mut e, c, &format!("HSCAN h {cursor}")), all, "{cursor}");
    }
    assert_eq!(run(&mut e, c, &[b"HSCAN", b"h", b""]), all);
    for bad in ["18446744073709551616", "-18446744073709551616", "abc", "0x1", "-", "+", "1.0"] {
        assert_eq!(cmd(&mut e, c, &format!("HSCAN h {bad}")), err("ERR invalid cursor"), "{bad}");
    }
    assert_eq!(run(&mut e, c, &[b"HSCAN", b"h", b" 1"]), err("ERR invalid cursor"));
    assert_eq!(run(&mut e, c, &[b"HSCAN", b"h", b"1 "]), err("ERR invalid cursor"));
    assert_eq!(cmd(&mut e, c, "HSCAN nokey abc"), err("ERR invalid cursor"));
    assert_eq!(cmd(&mut e, c, "HSCAN nokey 0 COUNT 0"), scan_reply("0", &[]));
    assert_eq!(cmd(&mut e, c, "HSCAN nokey 0 foo"), scan_reply("0", &[]));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT 0"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT -1"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT abc"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT 9223372036854775808"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 MATCH"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 TYPE string"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 NOVALUES"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT 1 foo"), err("ERR syntax error"));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT 1 COUNT abc"), err(NOT_INTEGER));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 MATCH * COUNT 1"), all);
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 COUNT 9223372036854775807"), all);
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 MATCH a* MATCH b"), scan_reply("0", &["b", "2"]));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 MATCH ab"), scan_reply("0", &["ab", "4"]));
    assert_eq!(cmd(&mut e, c, "HSCAN h 0 MATCH nothing"), scan_reply("0", &[]));
    assert_eq!(cmd(&mut e, c, "HSCAN h"), err("ERR wrong number of arguments for 'hscan' command"));
}

#[test]
fn hscan_hashtable_walks_with_a_cursor_and_misses_nothing() {
    let (mut e, c) = setup();
    fill(&mut e, c, "h", 1000);
    assert_eq!(encoding(&e, "h"), "hashtable");
    let mut seen: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let mut cursor = "0".to_string();
    let mut rounds = 0;
    loop {
        let r = cmd(&mut e, c, &format!("HSCAN h {cursor} COUNT 25"));
        let Reply::Array(parts) = &r else { panic!("{r:?}") };
        let Reply::Bulk(next) = &parts[0] else { panic!("{r:?}") };
        let items = bulks_of(&parts[1]);
        assert!(items.len() <= 2 * 26, "COUNT is roughly honoured: {}", items.len());
        for pair in items.chunks(2) {
            seen.insert(pair[0].clone(), pair[1].clone());
        }
        // Churn while scanning: new fields come and go, the original ones stay.
        cmd(&mut e, c, &format!("HSET h new{rounds} x"));
        cmd(&mut e, c, &format!("HDEL h new{}", rounds / 2));
        rounds += 1;
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
        assert!(rounds < 1000);
    }
    assert!(rounds > 30, "a hashtable is scanned in steps");
    for i in 1..=1000 {
        assert_eq!(
            seen.get(format!("f{i}").as_bytes()),
            Some(&format!("v{i}").into_bytes()),
            "f{i}"
        );
    }
    // A big COUNT takes everything in one call; MATCH filters on the field.
    let r = cmd(&mut e, c, "HSCAN h 0 COUNT 100000 MATCH f99");
    assert_eq!(r, scan_reply("0", &["f99", "v99"]));
    let r = cmd(&mut e, c, "HSCAN h 0 COUNT 100000");
    let Reply::Array(parts) = &r else { panic!("{r:?}") };
    assert_eq!(parts[0], b("0"));
    let Reply::Int(len) = cmd(&mut e, c, "HLEN h") else { panic!() };
    assert!(len > 1000);
    assert_eq!(bulks_of(&parts[1]).len() as i64, 2 * len);
}

#[test]
fn hash_api_for_other_modules() {
    let config = Config::default();
    let h = Hash::from_pairs([("b", "1"), ("a", "2"), ("b", "3")], &config);
    assert_eq!(h.len(), 2);
    let pairs: Vec<(&[u8], &[u8])> = h.iter().map(|(f, v)| (&f[..], &v[..])).collect();
    assert_eq!(pairs, [(&b"b"[..], &b"3"[..]), (&b"a"[..], &b"2"[..])]);
    assert_eq!(h.encoding(&config), "listpack");
    assert_eq!(h.get(b"a").map(|v| v.to_vec()), Some(b"2".to_vec()));
    let big = Hash::from_pairs((0..600).map(|i| (format!("f{i}"), "v")), &config);
    assert_eq!(big.encoding(&config), "hashtable");
    assert_eq!(big.fields().count(), 600);
    assert!(Hash::new().is_empty());
}

#[test]
fn snapshots_are_independent() {
    let (mut e, c) = setup();
    fill(&mut e, c, "h", 600);
    let snap = e.snapshot();
    cmd(&mut e, c, "HDEL h f1");
    cmd(&mut e, c, "HSET h f2 changed");
    assert_eq!(cmd(&mut e, c, "HLEN h"), int(599));
    e.restore(snap);
    assert_eq!(cmd(&mut e, c, "HLEN h"), int(600));
    assert_eq!(cmd(&mut e, c, "HGET h f2"), b("v2"));
}

/// A tiny deterministic generator (xorshift64*), so the randomized test is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Redis's strict integer syntax: no sign but `-`, no leading zeros, no `-0`.
fn strict_i64(v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?;
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if digits.starts_with('0') && (digits.len() > 1 || s.starts_with('-')) {
        return None;
    }
    s.parse().ok()
}

/// The model: each key's fields in insertion order (what a listpack shows).
type Model = HashMap<Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>>;

fn model_get<'a>(m: &'a Model, key: &[u8], field: &[u8]) -> Option<&'a Vec<u8>> {
    m.get(key).and_then(|pairs| pairs.iter().find(|(f, _)| f == field).map(|(_, v)| v))
}

fn model_set(m: &mut Model, key: &[u8], field: &[u8], value: &[u8]) -> bool {
    let pairs = m.entry(key.to_vec()).or_default();
    match pairs.iter_mut().find(|(f, _)| f == field) {
        Some(p) => {
            p.1 = value.to_vec();
            false
        }
        None => {
            pairs.push((field.to_vec(), value.to_vec()));
            true
        }
    }
}

#[test]
fn random_command_sequences_agree_with_a_model() {
    for seed in 1..=12u64 {
        let (mut e, c) = setup();
        // Small limits, so that both encodings and the conversions are exercised.
        e.state.config.hash_max_listpack_entries = [4, 8, 32][seed as usize % 3];
        e.state.config.hash_max_listpack_value = 8;
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut model: Model = HashMap::new();
        let (mut listpack_checks, mut table_checks) = (0, 0);
        let keys: [&[u8]; 3] = [b"k1", b"k2", b"k3"];
        let fields: Vec<Vec<u8>> = (0..14).map(|i| format!("f{i}").into_bytes()).collect();
        let values: [&[u8]; 10] =
            [b"1", b"-7", b"abc", b"", b"12345", b"2.5", b"0", b"x", b"-1", b"9223372036854775807"];
        for step in 0..1500 {
            let key = keys[rng.below(keys.len())];
            let field = fields[rng.below(fields.len())].clone();
            let value = values[rng.below(values.len())];
            let ctx = format!("seed {seed} step {step}");
            match rng.below(14) {
                0 | 1 => {
                    let n = 1 + rng.below(3);
                    let mut argv: Vec<Vec<u8>> = vec![b"HSET".to_vec(), key.to_vec()];
                    let mut created = 0;
                    for _ in 0..n {
                        let f = fields[rng.below(fields.len())].clone();
                        let v = values[rng.below(values.len())];
                        argv.push(f.clone());
                        argv.push(v.to_vec());
                        created += model_set(&mut model, key, &f, v) as i64;
                    }
                    assert_eq!(e.execute(c, &argv), int(created), "{ctx}");
                }
                2 => {
                    let fresh = model_get(&model, key, &field).is_none();
                    if fresh {
                        model_set(&mut model, key, &field, value);
                    }
                    assert_eq!(
                        run(&mut e, c, &[b"HSETNX", key, &field, value]),
                        int(fresh as i64),
                        "{ctx}"
                    );
                }
                3 | 4 => {
                    let mut argv: Vec<Vec<u8>> = vec![b"HDEL".to_vec(), key.to_vec()];
                    let mut deleted = 0;
                    // Now and then empty the key completely (so that it starts again as a listpack).
                    let n = if rng.below(8) == 0 { fields.len() } else { 1 + rng.below(3) };
                    for i in 0..n {
                        let f = if n == fields.len() {
                            fields[i].clone()
                        } else {
                            fields[rng.below(fields.len())].clone()
                        };
                        if let Some(pairs) = model.get_mut(key) {
                            if let Some(i) = pairs.iter().position(|(x, _)| *x == f) {
                                pairs.remove(i);
                                deleted += 1;
                            }
                        }
                        argv.push(f);
                    }
                    if model.get(key).is_some_and(|p| p.is_empty()) {
                        model.remove(key);
                    }
                    assert_eq!(e.execute(c, &argv), int(deleted), "{ctx}");
                    assert_eq!(
                        exists(&e, std::str::from_utf8(key).unwrap()),
                        model.contains_key(key),
                        "{ctx}"
                    );
                }
                5 => {
                    let incr = rng.below(2001) as i64 - 1000;
                    let expected = match model_get(&model, key, &field) {
                        None => Some(incr),
                        Some(v) => strict_i64(v).and_then(|old| old.checked_add(incr)),
                    };
                    let r = run(&mut e, c, &[b"HINCRBY", key, &field, incr.to_string().as_bytes()]);
                    match expected {
                        Some(n) => {
                            assert_eq!(r, int(n), "{ctx}");
                            model_set(&mut model, key, &field, n.to_string().as_bytes());
                        }
                        None => assert!(r.is_error(), "{ctx}: {r:?}"),
                    }
                }
                6 => {
                    let expected = model_get(&model, key, &field)
                        .map_or(Reply::Nil, |v| Reply::Bulk(v.clone()));
                    assert_eq!(run(&mut e, c, &[b"HGET", key, &field]), expected, "{ctx}");
                    let expected =
                        int(model_get(&model, key, &field).map_or(0, |v| v.len() as i64));
                    assert_eq!(run(&mut e, c, &[b"HSTRLEN", key, &field]), expected, "{ctx}");
                    let expected = int(model_get(&model, key, &field).is_some() as i64);
                    assert_eq!(run(&mut e, c, &[b"HEXISTS", key, &field]), expected, "{ctx}");
                }
                7 => {
                    let expected = int(model.get(key).map_or(0, |p| p.len() as i64));
                    assert_eq!(run(&mut e, c, &[b"HLEN", key]), expected, "{ctx}");
                    let other = fields[rng.below(fields.len())].clone();
                    let expected = Reply::Array(
                        [&field, &other]
                            .iter()
                            .map(|f| {
                                model_get(&model, key, f)
                                    .map_or(Reply::Nil, |v| Reply::Bulk(v.clone()))
                            })
                            .collect(),
                    );
                    assert_eq!(run(&mut e, c, &[b"HMGET", key, &field, &other]), expected, "{ctx}");
                }
                8 | 9 => {
                    let listpack = encoding(&e, std::str::from_utf8(key).unwrap()) == "listpack";
                    let pairs = model.get(key).cloned().unwrap_or_default();
                    let mut got: Vec<(Vec<u8>, Vec<u8>)> =
                        bulks_of(&run(&mut e, c, &[b"HGETALL", key]))
                            .chunks(2)
                            .map(|p| (p[0].clone(), p[1].clone()))
                            .collect();
                    let keys_reply = bulks_of(&run(&mut e, c, &[b"HKEYS", key]));
                    let vals_reply = bulks_of(&run(&mut e, c, &[b"HVALS", key]));
                    assert_eq!(
                        keys_reply,
                        got.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
                        "{ctx}"
                    );
                    assert_eq!(
                        vals_reply,
                        got.iter().map(|p| p.1.clone()).collect::<Vec<_>>(),
                        "{ctx}"
                    );
                    if pairs.is_empty() {
                        assert!(got.is_empty(), "{ctx}");
                    } else if listpack {
                        listpack_checks += 1;
                        assert_eq!(got, pairs, "{ctx}: listpack order");
                    } else {
                        table_checks += 1;
                        let mut want = pairs.clone();
                        want.sort();
                        got.sort();
                        assert_eq!(got, want, "{ctx}");
                    }
                }
                10 => {
                    let pairs: HashMap<Vec<u8>, Vec<u8>> =
                        model.get(key).cloned().unwrap_or_default().into_iter().collect();
                    let count = rng.below(20) as i64 - 10;
                    let r = run(
                        &mut e,
                        c,
                        &[b"HRANDFIELD", key, count.to_string().as_bytes(), b"WITHVALUES"],
                    );
                    let n = if count >= 0 {
                        (count as usize).min(pairs.len())
                    } else if pairs.is_empty() {
                        0
                    } else {
                        count.unsigned_abs() as usize
                    };
                    check_random(&r, &pairs, n, true, count >= 0);
                }
                11 => {
                    let mut got: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
                    let mut cursor = b"0".to_vec();
                    loop {
                        let r = run(&mut e, c, &[b"HSCAN", key, &cursor, b"COUNT", b"2"]);
                        let Reply::Array(parts) = r else { panic!("{ctx}") };
                        let Reply::Bulk(next) = &parts[0] else { panic!("{ctx}") };
                        got.extend(
                            bulks_of(&parts[1]).chunks(2).map(|p| (p[0].clone(), p[1].clone())),
                        );
                        cursor = next.clone();
                        if cursor == b"0" {
                            break;
                        }
                    }
                    let mut want = model.get(key).cloned().unwrap_or_default();
                    want.sort();
                    got.sort();
                    assert_eq!(got, want, "{ctx}");
                }
                12 => {
                    // Must never panic; the float result is checked elsewhere.
                    let r = run(&mut e, c, &[b"HINCRBYFLOAT", key, &field, value]);
                    if let Reply::Bulk(v) = r {
                        model_set(&mut model, key, &field, &v);
                    }
                }
                _ => {
                    let mut argv: Vec<Vec<u8>> =
                        vec![b"HMSET".to_vec(), key.to_vec(), field.clone(), value.to_vec()];
                    model_set(&mut model, key, &field, value);
                    if rng.below(4) == 0 {
                        argv.push(b"dangling".to_vec());
                        model_set(&mut model, key, &field, value);
                        // An odd pair count is refused as a whole.
                        let before = run(&mut e, c, &[b"HGETALL", key]);
                        assert!(e.execute(c, &argv).is_error(), "{ctx}");
                        assert_eq!(run(&mut e, c, &[b"HGETALL", key]), before, "{ctx}");
                        argv.pop();
                    }
                    assert_eq!(e.execute(c, &argv), Reply::Status("OK".into()), "{ctx}");
                }
            }
        }
        assert!(listpack_checks > 5 && table_checks > 5, "{listpack_checks} {table_checks}");
    }
}
