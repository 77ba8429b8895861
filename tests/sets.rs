//! Set commands against replies recorded from a real Redis 7.0.15, plus behaviour that depends on
//! randomness (checked through invariants) and a model-based property test.

use std::collections::{BTreeSet, HashSet};

use redis_playground::engine::KeyEvent;
use redis_playground::notify;
use redis_playground::value::Value;
use redis_playground::{ClientId, Engine, Reply};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// Words separated by single spaces; `%20` stands for a space inside a word.
fn argv(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').map(|w| w.replace("%20", " ").into_bytes()).collect()
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    e.execute(c, &argv(line))
}

#[track_caller]
fn check(e: &mut Engine, c: ClientId, line: &str, expected: Reply) {
    assert_eq!(run(e, c, line), expected, "{line}");
}

/// Compares with the top-level array sorted on both sides (Redis's order is unspecified).
#[track_caller]
fn check_unordered(e: &mut Engine, c: ClientId, line: &str, expected: Reply) {
    assert_eq!(sorted(run(e, c, line)), sorted(expected), "{line}");
}

fn sorted(r: Reply) -> Reply {
    match r {
        Reply::Array(mut items) => {
            items.sort_by_key(|i| format!("{i:?}"));
            Reply::Array(items)
        }
        other => other,
    }
}

fn int(n: i64) -> Reply {
    Reply::Int(n)
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn bulks(items: &[&str]) -> Reply {
    Reply::bulks(items.iter().copied())
}

fn ints(items: &[i64]) -> Reply {
    Reply::Array(items.iter().map(|n| Reply::Int(*n)).collect())
}

fn arr(items: Vec<Reply>) -> Reply {
    Reply::Array(items)
}

fn err(s: &str) -> Reply {
    Reply::err(s)
}

fn set_string(e: &mut Engine, key: &str, v: &str) {
    e.state.dbs[0].set(key.as_bytes(), Value::str(v), false);
}

fn exists(e: &Engine, key: &str) -> bool {
    e.state.dbs[0].contains(key.as_bytes())
}

fn encoding(e: &Engine, key: &str) -> &'static str {
    match e.state.dbs[0].get(key.as_bytes()) {
        Some(entry) => entry.value.encoding(&e.state.config),
        None => "(no key)",
    }
}

/// The members of an array reply, as strings.
fn members(r: &Reply) -> Vec<String> {
    match r {
        Reply::Array(items) => items
            .iter()
            .map(|i| match i {
                Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

fn smembers(e: &mut Engine, c: ClientId, key: &str) -> BTreeSet<String> {
    members(&run(e, c, &format!("SMEMBERS {key}"))).into_iter().collect()
}

fn new_engine() -> (Engine, ClientId) {
    let mut e = Engine::new();
    let c = e.open_client();
    (e, c)
}

#[test]
fn sadd_srem_scard_sismember_smismember() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD s 3 1 2", int(3));
    check(&mut e, c, "SADD s 2 3 4", int(1));
    check(&mut e, c, "SADD s 4", int(0));
    check(&mut e, c, "SCARD s", int(4));
    check(&mut e, c, "SMEMBERS s", bulks(&["1", "2", "3", "4"]));
    check(&mut e, c, "SCARD nokey", int(0));
    check(&mut e, c, "SREM s 1 9 2 1", int(2));
    check(&mut e, c, "SMEMBERS s", bulks(&["3", "4"]));
    check(&mut e, c, "SREM nokey a", int(0));
    check(&mut e, c, "SREM s 3 4 5", int(2));
    check(&mut e, c, "SCARD s", int(0));
    check(&mut e, c, "SMEMBERS s", arr(vec![]));
    check(&mut e, c, "SADD s a b a c", int(3));
    check(&mut e, c, "SCARD s", int(3));
    check(&mut e, c, "SISMEMBER s b", int(1));
    check(&mut e, c, "SISMEMBER s z", int(0));
    check(&mut e, c, "SISMEMBER nokey a", int(0));
    check(&mut e, c, "SMISMEMBER s a z c", ints(&[1, 0, 1]));
    check(&mut e, c, "SMISMEMBER nokey a b", ints(&[0, 0]));
}

#[test]
fn every_command_checks_the_type() {
    let (mut e, c) = new_engine();
    set_string(&mut e, "str", "v");
    check(&mut e, c, "SADD s a", int(1));
    check(
        &mut e,
        c,
        "SADD str a",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SREM str a",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SMEMBERS str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SISMEMBER str a",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SMISMEMBER str a b",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SCARD str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SPOP str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SPOP str 2",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SPOP str 0",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SRANDMEMBER str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SRANDMEMBER str 2",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SRANDMEMBER str -2",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SMOVE str s a",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SMOVE s str a",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SMOVE s str zz",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut e, c, "SMOVE nokey str a", int(0));
    check(
        &mut e,
        c,
        "SINTER s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SINTER nokey str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SINTERCARD 2 s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SINTERSTORE d s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SUNION s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SUNIONSTORE d s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SDIFF s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SDIFF nokey str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SDIFFSTORE d s str",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut e,
        c,
        "SSCAN str 0",
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut e, c, "SSCAN str x", err("ERR invalid cursor"));
}

#[test]
fn spop_and_srandmember_arguments_and_determined_replies() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD s 1 2 3", int(3));
    check(&mut e, c, "SPOP s 1 2", err("ERR syntax error"));
    check(&mut e, c, "SPOP nokey 1 2", err("ERR syntax error"));
    check(&mut e, c, "SPOP s -1", err("ERR value is out of range, must be positive"));
    check(&mut e, c, "SPOP s abc", err("ERR value is out of range, must be positive"));
    check(&mut e, c, "SPOP s 1.5", err("ERR value is out of range, must be positive"));
    check(&mut e, c, "SPOP nokey -1", err("ERR value is out of range, must be positive"));
    check(&mut e, c, "SPOP nokey", Reply::Nil);
    check(&mut e, c, "SPOP nokey 5", arr(vec![]));
    check(&mut e, c, "SPOP s 0", arr(vec![]));
    check(&mut e, c, "SCARD s", int(3));
    check(&mut e, c, "SRANDMEMBER s 1 2", err("ERR syntax error"));
    check(&mut e, c, "SRANDMEMBER nokey 1 2", err("ERR syntax error"));
    check(&mut e, c, "SRANDMEMBER s abc", err("ERR value is not an integer or out of range"));
    check(&mut e, c, "SRANDMEMBER s -9223372036854775808", err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    check(&mut e, c, "SRANDMEMBER nokey -9223372036854775808", err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    check(
        &mut e,
        c,
        "SRANDMEMBER s 9223372036854775808",
        err("ERR value is not an integer or out of range"),
    );
    check(&mut e, c, "SRANDMEMBER nokey", Reply::Nil);
    check(&mut e, c, "SRANDMEMBER nokey 5", arr(vec![]));
    check(&mut e, c, "SRANDMEMBER nokey -5", arr(vec![]));
    check(&mut e, c, "SRANDMEMBER s 0", arr(vec![]));
    check(&mut e, c, "SRANDMEMBER s 3", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SRANDMEMBER s 100", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SRANDMEMBER s 9223372036854775807", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SADD one x", int(1));
    check(&mut e, c, "SRANDMEMBER one", bulk("x"));
    check(&mut e, c, "SRANDMEMBER one 1", bulks(&["x"]));
    check(&mut e, c, "SRANDMEMBER one -3", bulks(&["x", "x", "x"]));
    check(&mut e, c, "SRANDMEMBER one 5", bulks(&["x"]));
    check(&mut e, c, "SPOP one", bulk("x"));
    assert!(!exists(&e, "one"));
    check(&mut e, c, "SPOP one", Reply::Nil);
    check(&mut e, c, "SADD two 5 7", int(2));
    check(&mut e, c, "SPOP two 2", bulks(&["5", "7"]));
    assert!(!exists(&e, "two"));
    check(&mut e, c, "SADD three 30 10 20", int(3));
    check(&mut e, c, "SPOP three 100", bulks(&["10", "20", "30"]));
    assert!(!exists(&e, "three"));
    check(&mut e, c, "SADD four 1 2 3 4", int(4));
    check(&mut e, c, "SPOP four 9223372036854775807", bulks(&["1", "2", "3", "4"]));
}

#[test]
fn smove_moves_and_creates() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD src 1 2 a", int(3));
    check(&mut e, c, "SADD dst 3", int(1));
    check(&mut e, c, "SMOVE src dst 1", int(1));
    check(&mut e, c, "SMEMBERS dst", bulks(&["1", "3"]));
    check(&mut e, c, "SMOVE src dst 1", int(0));
    check(&mut e, c, "SMOVE src dst zz", int(0));
    check(&mut e, c, "SMOVE nokey dst 1", int(0));
    check(&mut e, c, "SMOVE src src a", int(1));
    check(&mut e, c, "SMOVE src src zz", int(0));
    check(&mut e, c, "SMOVE src new a", int(1));
    check(&mut e, c, "SMEMBERS new", bulks(&["a"]));
    check(&mut e, c, "SMOVE src dst 2", int(1));
    assert!(!exists(&e, "src"));
    check(&mut e, c, "SMEMBERS dst", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SADD int 5", int(1));
    check(&mut e, c, "SMOVE int dst 5", int(1));
    check(&mut e, c, "SMOVE dst int 5", int(1));
    check(&mut e, c, "SMEMBERS dst", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SMOVE dst int notint", int(0));
}

#[test]
fn sinter_sunion_sdiff_sintercard_and_stores() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD a 1 2 3 4", int(4));
    check(&mut e, c, "SADD b 2 3 4 5", int(4));
    check(&mut e, c, "SADD c 3 4 6", int(3));
    check(&mut e, c, "SINTER a b c", bulks(&["3", "4"]));
    check(&mut e, c, "SINTER a", bulks(&["1", "2", "3", "4"]));
    check(&mut e, c, "SINTER a nokey", arr(vec![]));
    check(&mut e, c, "SINTER nokey a", arr(vec![]));
    check(&mut e, c, "SINTER a a", bulks(&["1", "2", "3", "4"]));
    check(&mut e, c, "SUNION a b c", bulks(&["1", "2", "3", "4", "5", "6"]));
    check(&mut e, c, "SUNION nokey", arr(vec![]));
    check(&mut e, c, "SUNION a nokey", bulks(&["1", "2", "3", "4"]));
    check(&mut e, c, "SDIFF a b", bulks(&["1"]));
    check(&mut e, c, "SDIFF a b c", bulks(&["1"]));
    check(&mut e, c, "SDIFF a nokey", bulks(&["1", "2", "3", "4"]));
    check(&mut e, c, "SDIFF nokey a", arr(vec![]));
    check(&mut e, c, "SDIFF a a", arr(vec![]));
    check(&mut e, c, "SDIFF a c a", arr(vec![]));
    check(&mut e, c, "SINTERCARD 1 a", int(4));
    check(&mut e, c, "SINTERCARD 2 a b", int(3));
    check(&mut e, c, "SINTERCARD 3 a b c", int(2));
    check(&mut e, c, "SINTERCARD 2 a b LIMIT 1", int(1));
    check(&mut e, c, "SINTERCARD 2 a b LIMIT 0", int(3));
    check(&mut e, c, "SINTERCARD 2 a b LIMIT 100", int(3));
    check(&mut e, c, "SINTERCARD 2 a b limit 2 LIMIT 1", int(1));
    check(&mut e, c, "SINTERCARD 2 a nokey", int(0));
    check(&mut e, c, "SINTERCARD abc a", err("ERR numkeys should be greater than 0"));
    check(&mut e, c, "SINTERCARD 0 a", err("ERR numkeys should be greater than 0"));
    check(&mut e, c, "SINTERCARD -1 a", err("ERR numkeys should be greater than 0"));
    check(
        &mut e,
        c,
        "SINTERCARD 9223372036854775808 a",
        err("ERR numkeys should be greater than 0"),
    );
    check(
        &mut e,
        c,
        "SINTERCARD 2 a",
        err("ERR Number of keys can't be greater than number of args"),
    );
    check(
        &mut e,
        c,
        "SINTERCARD 9223372036854775807 a",
        err("ERR Number of keys can't be greater than number of args"),
    );
    check(&mut e, c, "SINTERCARD 1 a LIMIT", err("ERR syntax error"));
    check(&mut e, c, "SINTERCARD 1 a LIMIT -1", err("ERR LIMIT can't be negative"));
    check(&mut e, c, "SINTERCARD 1 a LIMIT x", err("ERR LIMIT can't be negative"));
    check(&mut e, c, "SINTERCARD 1 a foo", err("ERR syntax error"));
    check(&mut e, c, "SINTERCARD 1 a foo bar", err("ERR syntax error"));
    check(&mut e, c, "SINTERCARD 1 a b", err("ERR syntax error"));
    check(&mut e, c, "SINTERSTORE d a b", int(3));
    check(&mut e, c, "SMEMBERS d", bulks(&["2", "3", "4"]));
    check(&mut e, c, "SUNIONSTORE d a c", int(5));
    check(&mut e, c, "SMEMBERS d", bulks(&["1", "2", "3", "4", "6"]));
    check(&mut e, c, "SDIFFSTORE d a b", int(1));
    check(&mut e, c, "SMEMBERS d", bulks(&["1"]));
    check(&mut e, c, "SINTERSTORE d a nokey", int(0));
    assert!(!exists(&e, "d"));
    check(&mut e, c, "SUNIONSTORE d a", int(4));
    check(&mut e, c, "SDIFFSTORE d a a", int(0));
    assert!(!exists(&e, "d"));
    check(&mut e, c, "SUNIONSTORE d nokey", int(0));
    check(&mut e, c, "SDIFFSTORE d a b c", int(1));
    check(&mut e, c, "SMEMBERS d", bulks(&["1"]));
    check(&mut e, c, "SDIFFSTORE d nokey", int(0));
    check(&mut e, c, "SINTERSTORE a a b", int(3));
    check(&mut e, c, "SMEMBERS a", bulks(&["2", "3", "4"]));
}

#[test]
fn sscan_cursor_options_and_errors() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD s 30 10 20 -5", int(4));
    check(&mut e, c, "SSCAN s 0", arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]));
    check(&mut e, c, "SSCAN s 12345", arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]));
    check(&mut e, c, "SSCAN s 0 COUNT 1", arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]));
    check(&mut e, c, "SSCAN s 0 MATCH 1*", arr(vec![bulk("0"), bulks(&["10"])]));
    check(
        &mut e,
        c,
        "SSCAN s 0 MATCH * COUNT 2",
        arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]),
    );
    check(&mut e, c, "SSCAN s 0 match -* count 100", arr(vec![bulk("0"), bulks(&["-5"])]));
    check(&mut e, c, "SSCAN s 0 COUNT 0", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s 0 COUNT -1", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s 0 COUNT abc", err("ERR value is not an integer or out of range"));
    check(&mut e, c, "SSCAN s 0 MATCH", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s 0 COUNT", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s 0 TYPE set", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s 0 foo bar", err("ERR syntax error"));
    check(&mut e, c, "SSCAN s abc", err("ERR invalid cursor"));
    check(&mut e, c, "SSCAN s -1", arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]));
    check(&mut e, c, "SSCAN s +0", arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]));
    check(&mut e, c, "SSCAN s %205", err("ERR invalid cursor"));
    check(&mut e, c, "SSCAN s 5%20", err("ERR invalid cursor"));
    check(
        &mut e,
        c,
        "SSCAN s 18446744073709551615",
        arr(vec![bulk("0"), bulks(&["-5", "10", "20", "30"])]),
    );
    check(&mut e, c, "SSCAN s 18446744073709551616", err("ERR invalid cursor"));
    check(&mut e, c, "SSCAN s 0x10", err("ERR invalid cursor"));
    check(&mut e, c, "SSCAN nokey 0", arr(vec![bulk("0"), arr(vec![])]));
    check(&mut e, c, "SSCAN nokey 0 COUNT abc", arr(vec![bulk("0"), arr(vec![])]));
    check(&mut e, c, "SSCAN nokey abc", err("ERR invalid cursor"));
    check(&mut e, c, "SADD h a b c", int(3));
    check(&mut e, c, "SSCAN h 0 MATCH b", arr(vec![bulk("0"), bulks(&["b"])]));
    check(&mut e, c, "SSCAN h 0 MATCH z*", arr(vec![bulk("0"), arr(vec![])]));
}

#[test]
fn encodings_follow_redis_7_0() {
    let (mut e, c) = new_engine();
    check(&mut e, c, "SADD i 1 2 3", int(3));
    assert_eq!(encoding(&e, "i"), "intset");
    check(&mut e, c, "SADD i a", int(1));
    assert_eq!(encoding(&e, "i"), "hashtable");
    check(&mut e, c, "SREM i a", int(1));
    assert_eq!(encoding(&e, "i"), "hashtable");
    check_unordered(&mut e, c, "SMEMBERS i", bulks(&["3", "2", "1"]));
    check(&mut e, c, "SUNION i", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SPOP i 10", bulks(&["1", "2", "3"]));
    check(&mut e, c, "SADD h a 1", int(2));
    assert_eq!(encoding(&e, "h"), "hashtable");
    check(&mut e, c, "SADD n 01", int(1));
    assert_eq!(encoding(&e, "n"), "hashtable");
    check(&mut e, c, "SADD n2 -0", int(1));
    assert_eq!(encoding(&e, "n2"), "hashtable");
    check(&mut e, c, "SADD n3 +1", int(1));
    assert_eq!(encoding(&e, "n3"), "hashtable");
    check(&mut e, c, "SADD n4 9223372036854775807 -9223372036854775808", int(2));
    assert_eq!(encoding(&e, "n4"), "intset");
    check(&mut e, c, "SMEMBERS n4", bulks(&["-9223372036854775808", "9223372036854775807"]));
    check(&mut e, c, "SADD n5 9223372036854775808", int(1));
    assert_eq!(encoding(&e, "n5"), "hashtable");
    check(&mut e, c, "SADD n6 %201", int(1));
    assert_eq!(encoding(&e, "n6"), "hashtable");
    e.state.config.set_max_intset_entries = 3;
    check(&mut e, c, "SADD c 1 2 3", int(3));
    assert_eq!(encoding(&e, "c"), "intset");
    check(&mut e, c, "SADD c 4", int(1));
    assert_eq!(encoding(&e, "c"), "hashtable");
    check(&mut e, c, "SREM c 4 3", int(2));
    assert_eq!(encoding(&e, "c"), "hashtable");
    check(&mut e, c, "SADD c2 1 2 3 4", int(4));
    assert_eq!(encoding(&e, "c2"), "hashtable");
    check(&mut e, c, "SADD d 1 2", int(2));
    check(&mut e, c, "SUNIONSTORE u d c", int(2));
    assert_eq!(encoding(&e, "u"), "intset");
    check(&mut e, c, "SINTERSTORE x c c2", int(2));
    assert_eq!(encoding(&e, "x"), "intset");
    check_unordered(&mut e, c, "SINTER c d", bulks(&["2", "1"]));
    check(&mut e, c, "SINTER d c", bulks(&["1", "2"]));
    e.state.config.set_max_intset_entries = 0;
    check(&mut e, c, "SADD z 1", int(1));
    assert_eq!(encoding(&e, "z"), "hashtable");
    check(&mut e, c, "SMOVE d z2 1", int(1));
    assert_eq!(encoding(&e, "z2"), "hashtable");
    e.state.config.set_max_intset_entries = 512;
    check(&mut e, c, "SADD lowered 1 2 3 4 5", int(5));
    e.state.config.set_max_intset_entries = 2;
    assert_eq!(encoding(&e, "lowered"), "intset");
    check(&mut e, c, "SREM lowered 5", int(1));
    assert_eq!(encoding(&e, "lowered"), "intset");
    check(&mut e, c, "SADD lowered 5", int(1));
    assert_eq!(encoding(&e, "lowered"), "hashtable");
    e.state.config.set_max_intset_entries = 512;
    check(&mut e, c, "SADD s0 1 2 3 4 5 6 7 8 9 a", int(10));
    check(&mut e, c, "SADD o1 a", int(1));
    check(&mut e, c, "SADD o2 b", int(1));
    check(&mut e, c, "SADD o3 c", int(1));
    check(&mut e, c, "SDIFFSTORE d2 s0 o1 o2 o3", int(9));
    assert_eq!(encoding(&e, "d2"), "hashtable");
    check(&mut e, c, "SCARD d2", int(9));
    check_unordered(
        &mut e,
        c,
        "SDIFF s0 o1 o2 o3",
        bulks(&["6", "8", "4", "2", "9", "5", "7", "1", "3"]),
    );
    check(&mut e, c, "SDIFFSTORE d1 s0 o1", int(9));
    assert_eq!(encoding(&e, "d1"), "intset");
    check(&mut e, c, "SDIFF s0 o1", bulks(&["1", "2", "3", "4", "5", "6", "7", "8", "9"]));
    check(&mut e, c, "SDIFFSTORE d3 s0 o1 o2", int(9));
    assert_eq!(encoding(&e, "d3"), "hashtable");
    check(&mut e, c, "SDIFFSTORE d4 s0 o1 nokey nokey2 nokey3", int(9));
    assert_eq!(encoding(&e, "d4"), "intset");
    check(&mut e, c, "SMOVE s0 new 1", int(1));
    assert_eq!(encoding(&e, "new"), "intset");
    check(&mut e, c, "SMOVE s0 new2 a", int(1));
    assert_eq!(encoding(&e, "new2"), "hashtable");
    check(&mut e, c, "SINTERSTORE si s0 s0", int(8));
    assert_eq!(encoding(&e, "si"), "intset");
    check_unordered(&mut e, c, "SINTER s0 s0", bulks(&["8", "4", "2", "9", "5", "6", "7", "3"]));
    check(&mut e, c, "SADD hh a 5 3 1", int(4));
    check(&mut e, c, "SADD ii 1 3 5 7", int(4));
    check(&mut e, c, "SREM hh a", int(1));
    check(&mut e, c, "SINTER ii hh", bulks(&["1", "3", "5"]));
    check_unordered(&mut e, c, "SINTER hh ii", bulks(&["1", "3", "5"]));
}

#[test]
fn empty_and_binary_members() {
    let (mut e, c) = new_engine();
    let sadd: Vec<Vec<u8>> = vec![
        b"SADD".to_vec(),
        b"b".to_vec(),
        b"".to_vec(),
        b" ".to_vec(),
        b"\x00\xff\r\n".to_vec(),
    ];
    assert_eq!(e.execute(c, &sadd), int(3));
    assert_eq!(e.execute(c, &sadd), int(0));
    assert_eq!(encoding(&e, "b"), "hashtable");
    let is = |m: &[u8]| vec![b"SISMEMBER".to_vec(), b"b".to_vec(), m.to_vec()];
    assert_eq!(e.execute(c, &is(b"")), int(1));
    assert_eq!(e.execute(c, &is(b"\x00\xff\r\n")), int(1));
    assert_eq!(e.execute(c, &is(b"\x00")), int(0));
    let got = sorted(e.execute(c, &[b"SMEMBERS".to_vec(), b"b".to_vec()]));
    assert_eq!(got, sorted(Reply::bulks([&b""[..], b" ", b"\x00\xff\r\n"])));
    // An empty member is not an integer: a new set starting with it is a hashtable.
    assert_eq!(e.execute(c, &[b"SADD".to_vec(), b"e".to_vec(), b"".to_vec()]), int(1));
    assert_eq!(encoding(&e, "e"), "hashtable");
}

#[test]
fn intset_converts_at_513_members_and_never_converts_back() {
    let (mut e, c) = new_engine();
    let ints: Vec<String> = (1..=512).rev().map(|i| i.to_string()).collect();
    check(&mut e, c, &format!("SADD s {}", ints.join(" ")), int(512));
    assert_eq!(encoding(&e, "s"), "intset");
    // An intset replies in ascending order.
    let expected: Vec<String> = (1..=512).map(|i| i.to_string()).collect();
    assert_eq!(members(&run(&mut e, c, "SMEMBERS s")), expected);
    check(&mut e, c, "SADD s 512", int(0));
    assert_eq!(encoding(&e, "s"), "intset");
    check(&mut e, c, "SADD s 513", int(1));
    assert_eq!(encoding(&e, "s"), "hashtable");
    check(&mut e, c, "SREM s 513 512", int(2));
    assert_eq!(encoding(&e, "s"), "hashtable");
    check(&mut e, c, "SCARD s", int(511));
    // 513 integers in one command.
    let many: Vec<String> = (0..513).map(|i| (i * 7 - 1000).to_string()).collect();
    check(&mut e, c, &format!("SADD big {}", many.join(" ")), int(513));
    assert_eq!(encoding(&e, "big"), "hashtable");
    assert_eq!(smembers(&mut e, c, "big"), many.iter().cloned().collect());
    // A non-integer member converts at once, whatever the size.
    check(&mut e, c, "SADD t 1 2 3", int(3));
    assert_eq!(encoding(&e, "t"), "intset");
    check(&mut e, c, "SADD t x", int(1));
    assert_eq!(encoding(&e, "t"), "hashtable");
    check(&mut e, c, "SISMEMBER t 2", int(1));
    check(&mut e, c, "SISMEMBER t x", int(1));
}

#[test]
fn sscan_of_a_hashtable_visits_every_member_that_stays() {
    let (mut e, c) = new_engine();
    for chunk in (0..2000).collect::<Vec<_>>().chunks(100) {
        let words: Vec<String> = chunk.iter().map(|i| format!("m{i}")).collect();
        run(&mut e, c, &format!("SADD s {}", words.join(" ")));
    }
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    let mut rounds = 0;
    loop {
        let reply = run(&mut e, c, &format!("SSCAN s {cursor} COUNT 25"));
        let Reply::Array(parts) = reply else { panic!("{reply:?}") };
        let Reply::Bulk(next) = &parts[0] else { panic!() };
        let batch = members(&parts[1]);
        assert!(batch.len() <= 40, "COUNT is roughly respected: {}", batch.len());
        seen.extend(batch);
        // Churn while scanning: add new members and remove some of them again.
        run(&mut e, c, &format!("SADD s new{rounds} other{rounds}"));
        run(&mut e, c, &format!("SREM s new{}", rounds / 2));
        rounds += 1;
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
        assert!(rounds < 1000, "the scan must terminate");
    }
    assert!(rounds > 50, "a big hashtable is scanned in steps");
    for i in 0..2000 {
        assert!(seen.contains(&format!("m{i}")), "missed m{i}");
    }
    // A COUNT bigger than the set returns everything at once.
    check(&mut e, c, "SADD small a b c", int(3));
    let r = run(&mut e, c, "SSCAN small 0 COUNT 100");
    let Reply::Array(parts) = r else { panic!() };
    assert_eq!(parts[0], bulk("0"));
    assert_eq!(
        members(&parts[1]).into_iter().collect::<BTreeSet<_>>(),
        smembers(&mut e, c, "small")
    );
}

#[test]
fn spop_with_a_count_pops_distinct_members() {
    let (mut e, c) = new_engine();
    for (size, count) in [(100, 3), (100, 90), (20, 19), (600, 10), (600, 595), (7, 6)] {
        e.state.dbs[0].clear();
        let all: Vec<String> = (0..size).map(|i| format!("x{i}")).collect();
        run(&mut e, c, &format!("SADD s {}", all.join(" ")));
        let popped = members(&run(&mut e, c, &format!("SPOP s {count}")));
        assert_eq!(popped.len(), count);
        let popped_set: BTreeSet<String> = popped.iter().cloned().collect();
        assert_eq!(popped_set.len(), count, "distinct");
        let rest = smembers(&mut e, c, "s");
        assert_eq!(rest.len(), size - count);
        assert!(rest.is_disjoint(&popped_set));
        let union: BTreeSet<String> = rest.union(&popped_set).cloned().collect();
        assert_eq!(union, all.into_iter().collect());
    }
    // Popping most of an all-integer hashtable rebuilds the rest as an intset (as Redis does).
    e.state.dbs[0].clear();
    check(&mut e, c, "SADD s 1 2 3 4 5 6 7 8 9 10 a", int(11));
    check(&mut e, c, "SREM s a", int(1));
    assert_eq!(encoding(&e, "s"), "hashtable");
    assert_eq!(members(&run(&mut e, c, "SPOP s 9")).len(), 9);
    assert_eq!(encoding(&e, "s"), "intset");
    check(&mut e, c, "SCARD s", int(1));
    // Popping a few keeps the representation.
    check(&mut e, c, "SADD t 1 2 3 4 5 6 7 8 9 10 a", int(11));
    check(&mut e, c, "SREM t a", int(1));
    assert_eq!(members(&run(&mut e, c, "SPOP t 2")).len(), 2);
    assert_eq!(encoding(&e, "t"), "hashtable");
    // Popping everything of an all-integer hashtable replies in ascending order.
    check(&mut e, c, "SADD u 1 2 3 4 5 6 7 8 9 10 a", int(11));
    check(&mut e, c, "SREM u a", int(1));
    check(&mut e, c, "SPOP u 11", bulks(&["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]));
    assert!(!exists(&e, "u"));
    // Single pops empty the set one member at a time.
    check(&mut e, c, "SADD v a b c", int(3));
    let mut got = BTreeSet::new();
    for _ in 0..3 {
        let Reply::Bulk(m) = run(&mut e, c, "SPOP v") else { panic!() };
        got.insert(String::from_utf8(m).unwrap());
    }
    assert_eq!(got, ["a", "b", "c"].iter().map(|s| s.to_string()).collect());
    assert!(!exists(&e, "v"));
}

#[test]
fn srandmember_counts_follow_redis_rules() {
    let (mut e, c) = new_engine();
    let all: Vec<String> = (0..60).map(|i| format!("m{i}")).collect();
    run(&mut e, c, &format!("SADD s {}", all.join(" ")));
    let universe: BTreeSet<String> = all.iter().cloned().collect();
    for count in [1usize, 5, 19, 21, 40, 59, 60, 61, 1000] {
        let got = members(&run(&mut e, c, &format!("SRANDMEMBER s {count}")));
        assert_eq!(got.len(), count.min(60), "count {count}");
        let distinct: BTreeSet<String> = got.iter().cloned().collect();
        assert_eq!(distinct.len(), got.len(), "distinct for count {count}");
        assert!(distinct.is_subset(&universe));
    }
    // A negative count may repeat members and returns exactly that many.
    let got = members(&run(&mut e, c, "SRANDMEMBER s -500"));
    assert_eq!(got.len(), 500);
    assert!(got.iter().all(|m| universe.contains(m)));
    let distinct: BTreeSet<&String> = got.iter().collect();
    assert!(distinct.len() < 500, "repeats happen");
    assert!(distinct.len() > 30, "and many members show up");
    // SRANDMEMBER never changes the set.
    assert_eq!(smembers(&mut e, c, "s"), universe);
    // An intset covered by the count comes back in ascending order.
    check(&mut e, c, "SADD i 9 -1 4", int(3));
    check(&mut e, c, "SRANDMEMBER i 3", bulks(&["-1", "4", "9"]));
    // A huge negative count would build an unbounded reply: refused.
    let r = run(&mut e, c, "SRANDMEMBER s -9223372036854775807");
    assert!(matches!(&r, Reply::Error(t) if t.starts_with("ERR count is too large")), "{r:?}");
    let just_over = redis_playground::sets::MAX_RANDOM_REPLY + 1;
    let r = run(&mut e, c, &format!("SRANDMEMBER s -{just_over}"));
    assert!(matches!(&r, Reply::Error(t) if t.starts_with("ERR count is too large")), "{r:?}");
    // A missing key answers before the limit is looked at, as Redis answers without drawing.
    check(&mut e, c, "SRANDMEMBER nokey -9223372036854775807", arr(vec![]));
    // Single draws without a count cover a small set evenly.
    check(&mut e, c, "SADD three a b c", int(3));
    let mut counts = std::collections::BTreeMap::new();
    for _ in 0..3000 {
        let Reply::Bulk(m) = run(&mut e, c, "SRANDMEMBER three") else { panic!() };
        *counts.entry(m).or_insert(0) += 1;
    }
    assert_eq!(counts.len(), 3);
    assert!(counts.values().all(|n| (800..1200).contains(n)), "{counts:?}");
}

#[test]
fn random_choices_replay_from_a_snapshot() {
    let (mut e, c) = new_engine();
    let all: Vec<String> = (0..50).map(|i| format!("m{i}")).collect();
    run(&mut e, c, &format!("SADD s {}", all.join(" ")));
    let snap = e.snapshot();
    let first = (run(&mut e, c, "SPOP s 5"), run(&mut e, c, "SRANDMEMBER s -7"));
    assert_eq!(smembers(&mut e, c, "s").len(), 45);
    e.restore(snap);
    assert_eq!(smembers(&mut e, c, "s").len(), 50, "the snapshot kept the old set");
    let second = (run(&mut e, c, "SPOP s 5"), run(&mut e, c, "SRANDMEMBER s -7"));
    assert_eq!(first, second);
}

#[test]
fn keyspace_events_match_redis() {
    let (mut e, c) = new_engine();
    e.state.config.notify_keyspace_events = notify::ALL | notify::KEYSPACE | notify::KEYEVENT;
    for line in [
        "SADD s a b",
        "SADD s a",
        "SREM s zz",
        "SREM s a",
        "SREM s b c",
        "SADD p 1 2 3 4 5 6",
        "SPOP p",
        "SPOP p 0",
        "SPOP p 2",
        "SPOP p 10",
        "SADD m1 x",
        "SADD m2 x",
        "SMOVE m1 m2 x",
        "SADD m3 y",
        "SMOVE m3 m4 y",
        "SMOVE m2 m2 x",
        "SMOVE m2 m4 nope",
        "SADD a 1 2",
        "SADD b 2 3",
        "SINTERSTORE d a b",
        "SINTERSTORE d a nokey",
        "SINTERSTORE d a nokey",
        "SUNIONSTORE d a b",
        "SDIFFSTORE d a a",
        "SDIFFSTORE d a b",
        "SINTERSTORE d a b",
    ] {
        assert!(!run(&mut e, c, line).is_error(), "{line}");
    }
    let got: Vec<(String, String)> = e
        .take_events()
        .into_iter()
        .map(|KeyEvent { event, key, .. }| {
            (event.to_string(), String::from_utf8_lossy(&key).into_owned())
        })
        .collect();
    // Recorded from Redis 7.0.15 with notify-keyspace-events KEA.
    let expected = [
        ("sadd", "s"),
        ("srem", "s"),
        ("srem", "s"),
        ("del", "s"),
        ("sadd", "p"),
        ("spop", "p"),
        ("spop", "p"),
        ("spop", "p"),
        ("del", "p"),
        ("sadd", "m1"),
        ("sadd", "m2"),
        ("srem", "m1"),
        ("del", "m1"),
        ("sadd", "m3"),
        ("srem", "m3"),
        ("del", "m3"),
        ("sadd", "m4"),
        ("sadd", "a"),
        ("sadd", "b"),
        ("sinterstore", "d"),
        ("del", "d"),
        ("sunionstore", "d"),
        ("del", "d"),
        ("sdiffstore", "d"),
        ("sinterstore", "d"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(got, expected);
    let classes: Vec<u32> = {
        run(&mut e, c, "SADD q 1");
        run(&mut e, c, "SPOP q");
        e.take_events().into_iter().map(|ev| ev.class).collect()
    };
    assert_eq!(classes, vec![notify::SET, notify::SET, notify::GENERIC]);
}

#[test]
fn expiry_and_ttl() {
    let (mut e, c) = new_engine();
    e.clock.freeze();
    let now = e.clock.now_ms();
    check(&mut e, c, "SADD s 1 2 3 4 5 6 7 8", int(8));
    assert!(e.state.dbs[0].set_expire(b"s", Some(now + 10_000)));
    // Writes in place keep the TTL.
    check(&mut e, c, "SADD s 9", int(1));
    check(&mut e, c, "SREM s 9", int(1));
    assert_eq!(members(&run(&mut e, c, "SPOP s 2")).len(), 2);
    assert!(matches!(run(&mut e, c, "SPOP s"), Reply::Bulk(_)));
    assert_eq!(e.state.dbs[0].get(b"s").and_then(|en| en.expire_at), Some(now + 10_000));
    // A store replaces the destination and its TTL.
    check(&mut e, c, "SADD d x", int(1));
    assert!(e.state.dbs[0].set_expire(b"d", Some(now + 10_000)));
    check(&mut e, c, "SUNIONSTORE d s", int(5));
    assert_eq!(e.state.dbs[0].get(b"d").and_then(|en| en.expire_at), None);
    // Once due, the key is gone for every command.
    e.clock.advance_us(11_000_000);
    check(&mut e, c, "SCARD s", int(0));
    check(&mut e, c, "SMEMBERS s", arr(vec![]));
    check(&mut e, c, "SPOP s", Reply::Nil);
    check(&mut e, c, "SADD s a", int(1));
    assert_eq!(e.state.dbs[0].get(b"s").and_then(|en| en.expire_at), None);
}

#[test]
fn snapshots_are_isolated_from_later_writes() {
    let (mut e, c) = new_engine();
    let all: Vec<String> = (0..1000).map(|i| format!("m{i}")).collect();
    run(&mut e, c, &format!("SADD s {}", all.join(" ")));
    check(&mut e, c, "SADD i 1 2 3", int(3));
    let snap = e.snapshot();
    check(&mut e, c, "SREM s m1 m2", int(2));
    check(&mut e, c, "SADD i 4 x", int(2));
    run(&mut e, c, "SPOP s 100");
    e.restore(snap);
    check(&mut e, c, "SCARD s", int(1000));
    check(&mut e, c, "SISMEMBER s m1", int(1));
    check(&mut e, c, "SMEMBERS i", bulks(&["1", "2", "3"]));
    assert_eq!(encoding(&e, "i"), "intset");
}

/// A tiny deterministic generator for the property test (xorshift64).
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn member(&mut self) -> String {
        match self.below(4) {
            0 => format!("{}", self.below(40) as i64 - 20),
            1 => format!("m{}", self.below(30)),
            2 => ["", "0", "-0", "01", "+1", "9223372036854775807", "a b"][self.below(7) as usize]
                .to_string(),
            _ => format!("{}", self.below(1000)),
        }
    }

    fn key(&mut self) -> String {
        ["k0", "k1", "k2", "k3", "str"][self.below(5) as usize].to_string()
    }
}

type Model = std::collections::BTreeMap<String, BTreeSet<String>>;

fn reply_set(r: &Reply) -> BTreeSet<String> {
    members(r).into_iter().collect()
}

/// Applies one random command to the engine and to a model made of BTreeSets, comparing replies
/// (as sets where order is not the point).
fn step(e: &mut Engine, c: ClientId, model: &mut Model, rng: &mut Prng) {
    let key = rng.key();
    let key2 = rng.key();
    // Stores never target the string key (the model keeps it a string).
    let dst = format!("k{}", rng.below(4));
    let wrong = |k: &str| k == "str";
    let bytes = |s: &str| s.as_bytes().to_vec();
    let argv = |name: &str, rest: &[&str]| -> Vec<Vec<u8>> {
        std::iter::once(bytes(name)).chain(rest.iter().map(|s| bytes(s))).collect()
    };
    let empty = BTreeSet::new();
    let get = |m: &Model, k: &str| m.get(k).cloned().unwrap_or_default();
    match rng.below(12) {
        0 | 1 => {
            let ms: Vec<String> = (0..1 + rng.below(4)).map(|_| rng.member()).collect();
            let refs: Vec<&str> =
                std::iter::once(key.as_str()).chain(ms.iter().map(|s| s.as_str())).collect();
            let r = e.execute(c, &argv("SADD", &refs));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let set = model.entry(key.clone()).or_default();
            let added = ms.iter().filter(|m| set.insert((*m).clone())).count();
            assert_eq!(r, int(added as i64));
        }
        2 => {
            let ms: Vec<String> = (0..1 + rng.below(4)).map(|_| rng.member()).collect();
            let refs: Vec<&str> =
                std::iter::once(key.as_str()).chain(ms.iter().map(|s| s.as_str())).collect();
            let r = e.execute(c, &argv("SREM", &refs));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let mut removed = 0;
            if let Some(set) = model.get_mut(&key) {
                for m in &ms {
                    if set.remove(m) {
                        removed += 1;
                        if set.is_empty() {
                            break;
                        }
                    }
                }
                if set.is_empty() {
                    model.remove(&key);
                }
            }
            assert_eq!(r, int(removed));
        }
        3 => {
            let m = rng.member();
            let r = e.execute(c, &argv("SISMEMBER", &[&key, &m]));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
            } else {
                assert_eq!(r, int(model.get(&key).is_some_and(|s| s.contains(&m)) as i64));
            }
        }
        4 => {
            let count = rng.below(6);
            let r = e.execute(c, &argv("SPOP", &[&key, &count.to_string()]));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let popped = reply_set(&r);
            let before = get(model, &key);
            assert_eq!(popped.len(), before.len().min(count as usize));
            assert!(popped.is_subset(&before));
            let after: BTreeSet<String> = before.difference(&popped).cloned().collect();
            if after.is_empty() {
                model.remove(&key);
            } else {
                model.insert(key.clone(), after);
            }
        }
        5 => {
            let count = rng.below(10) as i64 - 5;
            let r = e.execute(c, &argv("SRANDMEMBER", &[&key, &count.to_string()]));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let got = members(&r);
            let set = get(model, &key);
            let expected_len = if set.is_empty() {
                0
            } else if count < 0 {
                count.unsigned_abs() as usize
            } else {
                set.len().min(count as usize)
            };
            assert_eq!(got.len(), expected_len);
            assert!(got.iter().all(|m| set.contains(m)));
            if count > 0 {
                assert_eq!(got.iter().collect::<BTreeSet<_>>().len(), got.len());
            }
        }
        6 => {
            let m = rng.member();
            let dst = if rng.below(8) == 0 { "str".to_string() } else { dst };
            let r = e.execute(c, &argv("SMOVE", &[&key, &dst, &m]));
            if !model.contains_key(&key) && !wrong(&key) {
                assert_eq!(r, int(0));
                return;
            }
            if wrong(&key) || wrong(&dst) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let present = model.get(&key).is_some_and(|s| s.contains(&m));
            assert_eq!(r, int(present as i64));
            if present && key != dst {
                let src = model.get_mut(&key).unwrap();
                src.remove(&m);
                if src.is_empty() {
                    model.remove(&key);
                }
                model.entry(dst.clone()).or_default().insert(m);
            }
        }
        7 | 8 => {
            let op = ["SINTER", "SUNION", "SDIFF"][rng.below(3) as usize];
            let store = rng.below(2) == 0;
            let keys = [key.clone(), key2.clone()];
            let r = if store {
                e.execute(c, &argv(&format!("{op}STORE"), &[&dst, &keys[0], &keys[1]]))
            } else {
                e.execute(c, &argv(op, &[&keys[0], &keys[1]]))
            };
            if keys.iter().any(|k| wrong(k)) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let (a, b) = (get(model, &keys[0]), get(model, &keys[1]));
            let result: BTreeSet<String> = match op {
                "SINTER" => a.intersection(&b).cloned().collect(),
                "SUNION" => a.union(&b).cloned().collect(),
                _ if keys[0] == keys[1] => empty.clone(),
                _ => a.difference(&b).cloned().collect(),
            };
            if store {
                assert_eq!(r, int(result.len() as i64));
                if result.is_empty() {
                    model.remove(&dst);
                } else {
                    model.insert(dst.clone(), result);
                }
            } else {
                assert_eq!(reply_set(&r), result);
            }
        }
        9 => {
            let limit = rng.below(4);
            let r =
                e.execute(c, &argv("SINTERCARD", &["2", &key, &key2, "LIMIT", &limit.to_string()]));
            if wrong(&key) || wrong(&key2) {
                assert_eq!(r, err(WRONGTYPE));
                return;
            }
            let n = get(model, &key).intersection(&get(model, &key2)).count() as u64;
            assert_eq!(r, int(if limit == 0 { n } else { n.min(limit) } as i64));
        }
        10 => {
            // A full SSCAN walk sees exactly the members.
            if wrong(&key) {
                assert_eq!(e.execute(c, &argv("SSCAN", &[&key, "0"])), err(WRONGTYPE));
                return;
            }
            let mut seen = BTreeSet::new();
            let mut cursor = "0".to_string();
            for _ in 0..10_000 {
                let r = e.execute(c, &argv("SSCAN", &[&key, &cursor, "COUNT", "3"]));
                let Reply::Array(parts) = r else { panic!("{r:?}") };
                seen.extend(members(&parts[1]));
                let Reply::Bulk(next) = &parts[0] else { panic!() };
                cursor = String::from_utf8(next.clone()).unwrap();
                if cursor == "0" {
                    break;
                }
            }
            assert_eq!(cursor, "0");
            assert_eq!(seen, get(model, &key));
        }
        _ => {
            let r = e.execute(c, &argv("SCARD", &[&key]));
            if wrong(&key) {
                assert_eq!(r, err(WRONGTYPE));
            } else {
                assert_eq!(r, int(get(model, &key).len() as i64));
                let r = e.execute(c, &argv("SMEMBERS", &[&key]));
                assert_eq!(reply_set(&r), get(model, &key));
            }
        }
    }
}

#[test]
fn random_command_sequences_agree_with_a_model() {
    for seed in 1..=12u64 {
        let (mut e, c) = new_engine();
        // Small intsets so that conversions happen often.
        e.state.config.set_max_intset_entries = (seed % 4 * 3) as i64;
        set_string(&mut e, "str", "v");
        let mut model = Model::new();
        let mut rng = Prng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        for _ in 0..1500 {
            step(&mut e, c, &mut model, &mut rng);
        }
        // Every key agrees at the end, and no empty set was left behind.
        for k in ["k0", "k1", "k2", "k3"] {
            assert_eq!(exists(&e, k), model.contains_key(k), "{k}");
            assert_eq!(smembers(&mut e, c, k), model.get(k).cloned().unwrap_or_default());
        }
    }
}
