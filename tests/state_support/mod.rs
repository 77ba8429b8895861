//! Shared by tests/state.rs and tests/export.rs: a keyspace with every type, encoding and kind of
//! awkward data, and an exact description of an engine's keyspace to compare two engines with.
#![allow(dead_code)]

use std::cell::Cell;
use std::rc::Rc;

use redis_playground::engine::DATABASES;
use redis_playground::value::Value;
use redis_playground::{ClientId, Engine, Reply};

/// An engine whose wall time is `wall` (µs), moved by the test.
pub fn engine_on(wall: &Rc<Cell<i64>>) -> Engine {
    let w = wall.clone();
    Engine::with_time_source(Box::new(move || w.get()))
}

/// Runs a redis-cli line and returns the reply; panics on a tokenizer error.
#[track_caller]
pub fn line(e: &mut Engine, c: ClientId, text: &str) -> Reply {
    match e.execute_line(c, text) {
        Some(r) => r,
        None => panic!("empty line {text:?}"),
    }
}

/// Runs a line that must not fail.
#[track_caller]
pub fn ok(e: &mut Engine, c: ClientId, text: &str) -> Reply {
    let r = line(e, c, text);
    assert!(!matches!(r, Reply::Error(_) | Reply::Blocked), "{text}: {r:?}");
    r
}

/// The commands (redis-cli lines, valid on a real Redis 7.0) that build a keyspace holding every
/// type in each of its encodings, binary keys and values, quotes, newlines and Unicode, exotic
/// scores, TTLs, and keys in several databases. It leaves the client in database 0.
pub fn varied_keyspace() -> Vec<String> {
    let mut s: Vec<String> = vec![
        // Strings: int, embstr, raw, built in place, float result, binary, empty.
        "SET int 12345".into(),
        "SET neg -42".into(),
        "SET emb hello".into(),
        format!("SET raw {}", "r".repeat(60)),
        "SET built ab".into(),
        "APPEND built cd".into(),
        "SET flt 1".into(),
        "INCRBYFLOAT flt 2".into(),
        r#"SET "bin\x00key\xff" "\x00\x01\xfe\xff\r\n""#.into(),
        r#"SET "quote \"and\" 'single' \\ back" "new\nline\ttab""#.into(),
        "SET unicode \"h\u{e9}llo w\u{f6}rld \u{1F600} \u{4e2d}\u{6587}\"".into(),
        r#"SET empty """#.into(),
        r#"SET "" "empty key""#.into(),
        "SET ttl:str v EX 100".into(),
        "SET ttl:ms v PX 1500".into(),
        // Lists.
        r#"RPUSH list a b "c d" "" "\x00" "\xe2\x82\xac""#.into(),
        "PEXPIRE list 250000".into(),
    ];
    let mut big = String::from("RPUSH biglist");
    for i in 0..300 {
        big.push_str(&format!(" item{i}"));
    }
    s.push(big);
    // Hashes: listpack, hashtable by size, by a long value, and one that shrank back.
    s.push(r#"HSET hsmall f1 v1 f2 v2 "f 3" "v\n3" "" "empty field""#.into());
    s.push("PEXPIRE hsmall 123456".into());
    let mut hbig = String::from("HSET hbig");
    for i in 0..600 {
        hbig.push_str(&format!(" field{i} value{i}"));
    }
    s.push(hbig.clone());
    s.push(hbig.replacen("hbig", "hshrunk", 1));
    let mut hdel = String::from("HDEL hshrunk");
    for i in 3..600 {
        hdel.push_str(&format!(" field{i}"));
    }
    s.push(hdel);
    s.push(format!("HSET hlong f {}", "x".repeat(70)));
    // Sets: intset, hashtable (strings), hashtable by size, an all-integer hashtable that shrank.
    s.push("SADD sint 3 1 2 -5 9223372036854775807 -9223372036854775808".into());
    s.push(r#"SADD sstr a b "c c" "\xff""#.into());
    let mut sbig = String::from("SADD sbig");
    for i in 0..600 {
        sbig.push_str(&format!(" {i}"));
    }
    s.push(sbig);
    s.push("SADD sshrunk 1 2 3 x".into());
    s.push("SREM sshrunk x".into());
    // Sorted sets: listpack, skiplist by size, by a long member, exotic scores.
    s.push(r#"ZADD zsmall 1 a 2 b 0.1 c -inf d inf e 1e300 f -1e-300 g 2 "b b""#.into());
    let mut zbig = String::from("ZADD zbig");
    for i in 0..200 {
        zbig.push_str(&format!(" {}.{} m{i}", i % 17, i));
    }
    s.push(zbig);
    s.push(format!("ZADD zlong 3.5 {}", "y".repeat(70)));
    s.push("ZADD zlong -0 neg0".into());
    s.push("ZADD zlong 0.30000000000000004 tricky 1.7976931348623157e308 huge".into());
    s.push("EXPIRE zbig 86400".into());
    // Other databases.
    s.push("SELECT 3".into());
    s.push("SET in3 x".into());
    s.push("RPUSH l3 1 2 3".into());
    s.push("SET int 777 EX 50".into());
    s.push("SELECT 15".into());
    s.push("ZADD z15 1 one 2 two".into());
    s.push("HSET h15 a b".into());
    s.push("SELECT 0".into());
    s
}

/// Builds [`varied_keyspace`] with client `c`.
pub fn build_varied(e: &mut Engine, c: ClientId) {
    for l in varied_keyspace() {
        ok(e, c, &l);
    }
}

fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

/// Every key of every database, in key order, with its type, encoding, expiry time and exact
/// contents in the value's own order.
pub fn dump(e: &Engine) -> Vec<String> {
    let mut out = Vec::new();
    for db in 0..DATABASES {
        let d = &e.state.dbs[db];
        let mut keys: Vec<_> = d.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        for (key, entry) in keys {
            let v = &entry.value;
            let contents = match v {
                Value::Str(s) => format!("{} raw={} no_int={}", show(&s.data), s.raw, s.no_int),
                Value::List(l) => l.iter().map(|x| show(x)).collect::<Vec<_>>().join("|"),
                Value::Hash(h) => {
                    h.iter().map(|(f, v)| format!("{}={}", show(f), show(v))).collect::<Vec<_>>().join("|")
                }
                Value::Set(s) => s.iter().map(|m| show(&m)).collect::<Vec<_>>().join("|"),
                Value::ZSet(z) => z
                    .iter()
                    .map(|(m, s)| format!("{}@{:016x}", show(m), s.to_bits()))
                    .collect::<Vec<_>>()
                    .join("|"),
            };
            out.push(format!(
                "db{db} {} {} {} expire={:?} {contents}",
                show(key),
                v.type_name(),
                v.encoding(&e.state.config),
                entry.expire_at
            ));
        }
    }
    out
}
