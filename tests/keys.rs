//! The generic keyspace commands: DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS, SCAN, RANDOMKEY,
//! TOUCH, the EXPIRE/TTL family, PERSIST and OBJECT. Expected replies are those of a real Redis
//! 7.0.15. Values are written straight into the keyspace so that these tests depend on no other
//! command family.

use redis_playground::engine::KeyEvent;
use redis_playground::notify;
use redis_playground::value::{Str, Value};
use redis_playground::{ClientId, Engine, Reply};

/// A fixed instant for the frozen clock: 2023-11-14T22:13:20Z.
const T0_MS: i64 = 1_700_000_000_000;

fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new();
    e.clock.freeze();
    e.clock.set_us(T0_MS * 1000);
    let c = e.open_client();
    (e, c)
}

/// Runs a command given as space-separated words.
fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    let argv: Vec<Vec<u8>> = line.split_whitespace().map(|w| w.as_bytes().to_vec()).collect();
    e.execute(c, &argv)
}

fn run_argv(e: &mut Engine, c: ClientId, argv: &[&[u8]]) -> Reply {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
    e.execute(c, &argv)
}

/// Stores a string in the client's selected database.
fn set(e: &mut Engine, c: ClientId, key: &str, val: &str) {
    let db = e.client(c).map(|cl| cl.db).unwrap_or(0);
    e.state.dbs[db].set(key.as_bytes(), Value::str(val), false);
}

fn set_in(e: &mut Engine, db: usize, key: &str, val: &str) {
    e.state.dbs[db].set(key.as_bytes(), Value::str(val), false);
}

fn get_in(e: &Engine, db: usize, key: &str) -> Option<String> {
    e.state.dbs[db].get(key.as_bytes()).map(|en| match &en.value {
        Value::Str(s) => String::from_utf8_lossy(&s.data).into_owned(),
        other => format!("<{}>", other.type_name()),
    })
}

fn select(e: &mut Engine, c: ClientId, db: usize) {
    if let Some(cl) = e.client_mut(c) {
        cl.db = db;
    }
}

fn int(n: i64) -> Reply {
    Reply::Int(n)
}

fn ok() -> Reply {
    Reply::Status("OK".into())
}

fn err(s: &str) -> Reply {
    Reply::Error(s.into())
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

/// The bulk strings of an array reply, sorted (for replies whose order Redis leaves open).
fn sorted(r: Reply) -> Vec<String> {
    let Reply::Array(items) = r else { panic!("not an array: {r:?}") };
    let mut v: Vec<String> = items
        .into_iter()
        .map(|i| match i {
            Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => panic!("not a bulk: {other:?}"),
        })
        .collect();
    v.sort();
    v
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Turns keyspace events on and drops any pending ones.
fn watch_events(e: &mut Engine) {
    e.state.config.notify_keyspace_events = notify::ALL | notify::NEW | notify::KEYSPACE;
    e.take_events();
}

fn events(e: &mut Engine) -> Vec<(usize, &'static str, String)> {
    e.take_events()
        .into_iter()
        .map(|KeyEvent { db, event, key, .. }| (db, event, String::from_utf8_lossy(&key).into_owned()))
        .collect()
}

fn ev(db: usize, event: &'static str, key: &str) -> (usize, &'static str, String) {
    (db, event, key.to_string())
}

const SAME: &str = "ERR source and destination objects are the same";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const DB_RANGE: &str = "ERR DB index is out of range";
const INT_RANGE: &str = "ERR value is out of range, value must between -2147483648 and 2147483647";

// ---------------------------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH

#[test]
fn del_counts_keys_that_existed() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    assert_eq!(run(&mut e, c, "DEL a b c a"), int(2));
    assert_eq!(run(&mut e, c, "DEL a"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS a b"), int(0));
    assert_eq!(run(&mut e, c, "DEL"), err("ERR wrong number of arguments for 'del' command"));
}

#[test]
fn unlink_is_del() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "UNLINK a x b b"), int(2));
    assert_eq!(events(&mut e), vec![ev(0, "del", "a"), ev(0, "del", "b")]);
    assert_eq!(run(&mut e, c, "UNLINK a"), int(0));
    assert!(events(&mut e).is_empty());
    assert_eq!(run(&mut e, c, "UNLINK"), err("ERR wrong number of arguments for 'unlink' command"));
}

#[test]
fn exists_counts_repeats() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "EXISTS a"), int(1));
    assert_eq!(run(&mut e, c, "EXISTS a a a"), int(3));
    assert_eq!(run(&mut e, c, "EXISTS a nope a"), int(2));
    assert_eq!(run(&mut e, c, "EXISTS nope"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS"), err("ERR wrong number of arguments for 'exists' command"));
}

#[test]
fn type_reports_string_or_none() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "TYPE a"), Reply::Status("string".into()));
    assert_eq!(run(&mut e, c, "TYPE nope"), Reply::Status("none".into()));
    assert_eq!(run_argv(&mut e, c, &[b"TYPE", b""]), Reply::Status("none".into()));
    assert_eq!(run(&mut e, c, "TYPE a b"), err("ERR wrong number of arguments for 'type' command"));
}

#[test]
fn touch_counts_existing_keys() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "1");
    assert_eq!(run(&mut e, c, "TOUCH a b c"), int(2));
    assert_eq!(run(&mut e, c, "TOUCH a a"), int(2));
    assert_eq!(run(&mut e, c, "TOUCH x"), int(0));
}

// ---------------------------------------------------------------------------------------------
// RENAME, RENAMENX

#[test]
fn rename_moves_the_value_and_its_ttl() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    assert_eq!(run(&mut e, c, "EXPIRE a 100"), int(1));
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "RENAME a b"), ok());
    assert_eq!(events(&mut e), vec![ev(0, "new", "b"), ev(0, "rename_from", "a"), ev(0, "rename_to", "b")]);
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("1"));
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
    assert_eq!(run(&mut e, c, "TTL b"), int(100));
    // The destination's own TTL does not survive.
    set(&mut e, c, "c", "3");
    assert_eq!(run(&mut e, c, "RENAME c b"), ok());
    assert_eq!(run(&mut e, c, "TTL b"), int(-1));
}

#[test]
fn rename_errors_and_same_key() {
    let (mut e, c) = engine();
    assert_eq!(run(&mut e, c, "RENAME x y"), err("ERR no such key"));
    assert_eq!(run(&mut e, c, "RENAME x x"), err("ERR no such key"));
    assert_eq!(run(&mut e, c, "RENAMENX x y"), err("ERR no such key"));
    assert_eq!(run(&mut e, c, "RENAMENX x x"), err("ERR no such key"));
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "EXPIRE a 50"), int(1));
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "RENAME a a"), ok());
    assert_eq!(run(&mut e, c, "RENAMENX a a"), int(0));
    assert!(events(&mut e).is_empty());
    assert_eq!(run(&mut e, c, "TTL a"), int(50));
    assert_eq!(run(&mut e, c, "RENAME a"), err("ERR wrong number of arguments for 'rename' command"));
    assert_eq!(run(&mut e, c, "RENAMENX a b c"), err("ERR wrong number of arguments for 'renamenx' command"));
}

#[test]
fn renamenx_refuses_an_existing_destination() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    assert_eq!(run(&mut e, c, "RENAMENX a b"), int(0));
    assert_eq!(get_in(&e, 0, "a").as_deref(), Some("1"));
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("2"));
    assert_eq!(run(&mut e, c, "RENAMENX a c"), int(1));
    assert_eq!(get_in(&e, 0, "c").as_deref(), Some("1"));
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
}

#[test]
fn rename_over_an_expired_destination() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    assert_eq!(run(&mut e, c, "PEXPIRE b 10"), int(1));
    e.clock.advance_us(10_000);
    assert_eq!(run(&mut e, c, "RENAMENX a b"), int(1));
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// COPY

#[test]
fn copy_within_a_database() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "hello");
    assert_eq!(run(&mut e, c, "EXPIREAT a 2000000000"), int(1));
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "COPY a b"), int(1));
    assert_eq!(events(&mut e), vec![ev(0, "new", "b"), ev(0, "copy_to", "b")]);
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("hello"));
    assert_eq!(run(&mut e, c, "EXPIRETIME b"), int(2_000_000_000));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(2_000_000_000));
    // Existing destination: 0 unless REPLACE.
    set(&mut e, c, "c", "old");
    assert_eq!(run(&mut e, c, "COPY a c"), int(0));
    assert_eq!(get_in(&e, 0, "c").as_deref(), Some("old"));
    assert_eq!(run(&mut e, c, "COPY a c REPLACE"), int(1));
    assert_eq!(get_in(&e, 0, "c").as_deref(), Some("hello"));
    assert_eq!(run(&mut e, c, "COPY a d replace REPLACE"), int(1));
    // The copy is independent of the source.
    assert_eq!(run(&mut e, c, "DEL a"), int(1));
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("hello"));
    assert_eq!(run(&mut e, c, "COPY nope x"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS x"), int(0));
}

#[test]
fn copy_replace_drops_the_destination_ttl() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "2");
    assert_eq!(run(&mut e, c, "EXPIRE b 100"), int(1));
    assert_eq!(run(&mut e, c, "COPY a b REPLACE"), int(1));
    assert_eq!(run(&mut e, c, "TTL b"), int(-1));
}

#[test]
fn copy_to_another_database() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "COPY a a DB 1"), int(1));
    assert_eq!(events(&mut e), vec![ev(1, "new", "a"), ev(1, "copy_to", "a")]);
    assert_eq!(get_in(&e, 1, "a").as_deref(), Some("1"));
    assert_eq!(get_in(&e, 0, "a").as_deref(), Some("1"));
    assert_eq!(run(&mut e, c, "COPY a a db 1"), int(0));
    set(&mut e, c, "a", "2");
    assert_eq!(run(&mut e, c, "COPY a a REPLACE DB 1"), int(1));
    assert_eq!(get_in(&e, 1, "a").as_deref(), Some("2"));
    assert_eq!(run(&mut e, c, "COPY a z DB 15"), int(1));
    assert_eq!(get_in(&e, 15, "z").as_deref(), Some("2"));
    // The last DB option wins.
    assert_eq!(run(&mut e, c, "COPY a y DB 2 DB 3"), int(1));
    assert_eq!(get_in(&e, 3, "y").as_deref(), Some("2"));
    assert_eq!(get_in(&e, 2, "y"), None);
    // From another selected database.
    select(&mut e, c, 3);
    assert_eq!(run(&mut e, c, "COPY y y DB 0"), int(1));
    assert_eq!(get_in(&e, 0, "y").as_deref(), Some("2"));
}

#[test]
fn copy_errors() {
    let (mut e, c) = engine();
    set(&mut e, c, "b", "1");
    assert_eq!(run(&mut e, c, "COPY b b"), err(SAME));
    assert_eq!(run(&mut e, c, "COPY b b DB 0"), err(SAME));
    assert_eq!(run(&mut e, c, "COPY nope nope"), err(SAME));
    assert_eq!(run(&mut e, c, "COPY b c DB 16"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c DB -1"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c DB abc"), err(NOT_INT));
    assert_eq!(run(&mut e, c, "COPY b c DB 1.0"), err(NOT_INT));
    assert_eq!(run(&mut e, c, "COPY b c db 99999999999"), err(INT_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c DB -2147483649"), err(INT_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c DB 2147483647"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c DB"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "COPY b c foo"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "COPY b c DB 16 foo"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "COPY b c foo DB 16"), err("ERR syntax error"));
    // Options are checked before the keys.
    assert_eq!(run(&mut e, c, "COPY b b foo"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "COPY b"), err("ERR wrong number of arguments for 'copy' command"));
    assert_eq!(run(&mut e, c, "EXISTS c"), int(0));
}

// ---------------------------------------------------------------------------------------------
// MOVE

#[test]
fn move_between_databases() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "EXPIRE a 100"), int(1));
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "MOVE a 1"), int(1));
    assert_eq!(events(&mut e), vec![ev(1, "new", "a"), ev(0, "move_from", "a"), ev(1, "move_to", "a")]);
    assert_eq!(get_in(&e, 0, "a"), None);
    assert_eq!(get_in(&e, 1, "a").as_deref(), Some("1"));
    select(&mut e, c, 1);
    assert_eq!(run(&mut e, c, "TTL a"), int(100));
    // Back, but the key exists there now.
    set_in(&mut e, 0, "a", "zero");
    assert_eq!(run(&mut e, c, "MOVE a 0"), int(0));
    assert_eq!(get_in(&e, 0, "a").as_deref(), Some("zero"));
    assert_eq!(get_in(&e, 1, "a").as_deref(), Some("1"));
    assert_eq!(run(&mut e, c, "MOVE nope 0"), int(0));
}

#[test]
fn move_errors() {
    let (mut e, c) = engine();
    set(&mut e, c, "b", "1");
    assert_eq!(run(&mut e, c, "MOVE b 0"), err(SAME));
    assert_eq!(run(&mut e, c, "MOVE nope 0"), err(SAME));
    assert_eq!(run(&mut e, c, "MOVE b 16"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "MOVE b -1"), err(DB_RANGE));
    assert_eq!(run(&mut e, c, "MOVE b abc"), err(NOT_INT));
    assert_eq!(run(&mut e, c, "MOVE b 4294967296"), err(INT_RANGE));
    assert_eq!(run(&mut e, c, "MOVE nope 1"), int(0));
    assert_eq!(run(&mut e, c, "MOVE b"), err("ERR wrong number of arguments for 'move' command"));
    assert_eq!(get_in(&e, 0, "b").as_deref(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// KEYS

#[test]
fn keys_matches_globs() {
    let (mut e, c) = engine();
    for k in ["hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "a[b", ""] {
        set(&mut e, c, k, "v");
    }
    assert_eq!(sorted(run(&mut e, c, "KEYS h?llo")), strs(&["hallo", "hello", "hxllo"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS h*llo")), strs(&["hallo", "heeeello", "hello", "hllo", "hxllo"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS h[ae]llo")), strs(&["hallo", "hello"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS h[^e]llo")), strs(&["hallo", "hxllo"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS h[a-b]llo")), strs(&["hallo"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS a\\*b")), strs(&["a*b"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS a\\[*")), strs(&["a[b"]));
    assert_eq!(sorted(run(&mut e, c, "KEYS nomatch*")), Vec::<String>::new());
    // `*` alone matches every key, the empty one included; `**` needs at least one byte.
    assert_eq!(sorted(run(&mut e, c, "KEYS *")).len(), 8);
    assert_eq!(sorted(run(&mut e, c, "KEYS **")).len(), 7);
    assert_eq!(sorted(run_argv(&mut e, c, &[b"KEYS", b""])), strs(&[""]));
    assert_eq!(run(&mut e, c, "KEYS"), err("ERR wrong number of arguments for 'keys' command"));
    assert_eq!(run(&mut e, c, "KEYS a b"), err("ERR wrong number of arguments for 'keys' command"));
}

#[test]
fn keys_skips_expired_keys_and_other_databases() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    set(&mut e, c, "b", "1");
    set_in(&mut e, 1, "c", "1");
    assert_eq!(run(&mut e, c, "PEXPIRE a 5"), int(1));
    assert_eq!(sorted(run(&mut e, c, "KEYS *")), strs(&["a", "b"]));
    e.clock.advance_us(5_000);
    assert_eq!(sorted(run(&mut e, c, "KEYS *")), strs(&["b"]));
}

// ---------------------------------------------------------------------------------------------
// SCAN

/// Runs a whole SCAN with extra options; returns every key seen (sorted) and the number of calls.
fn full_scan(e: &mut Engine, c: ClientId, opts: &str) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut all = Vec::new();
    let mut calls = 0;
    loop {
        let r = run(e, c, &format!("SCAN {cursor} {opts}"));
        calls += 1;
        let Reply::Array(parts) = r else { panic!("{r:?}") };
        let [Reply::Bulk(next), keys] = &parts[..] else { panic!("{parts:?}") };
        all.extend(sorted(keys.clone()));
        cursor = String::from_utf8_lossy(next).into_owned();
        if cursor == "0" {
            break;
        }
        assert!(calls < 10_000);
    }
    all.sort();
    (all, calls)
}

#[test]
fn scan_visits_every_key_once() {
    let (mut e, c) = engine();
    for i in 0..500 {
        set(&mut e, c, &format!("key:{i}"), "v");
    }
    let (keys, calls) = full_scan(&mut e, c, "");
    assert_eq!(keys.len(), 500);
    let mut dedup = keys.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), 500);
    assert!(calls >= 50, "COUNT defaults to 10, got {calls} calls");
    let (keys, calls) = full_scan(&mut e, c, "COUNT 1000");
    assert_eq!((keys.len(), calls), (500, 1));
    let (keys, _) = full_scan(&mut e, c, "COUNT 7 MATCH key:1?");
    assert_eq!(keys, (10..20).map(|i| format!("key:{i}")).collect::<Vec<_>>());
}

#[test]
fn scan_small_database_in_one_call() {
    let (mut e, c) = engine();
    assert_eq!(run(&mut e, c, "SCAN 0"), Reply::Array(vec![bulk("0"), Reply::Array(vec![])]));
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "SCAN 0"), Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("a")])]));
    assert_eq!(
        run(&mut e, c, "SCAN 0 MATCH b*"),
        Reply::Array(vec![bulk("0"), Reply::Array(vec![])])
    );
    assert_eq!(
        run(&mut e, c, "SCAN 0 type STRING count 5 match a*"),
        Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("a")])])
    );
    assert_eq!(run(&mut e, c, "SCAN 0 TYPE list"), Reply::Array(vec![bulk("0"), Reply::Array(vec![])]));
    // Unknown type names simply match nothing.
    assert_eq!(run(&mut e, c, "SCAN 0 TYPE foo"), Reply::Array(vec![bulk("0"), Reply::Array(vec![])]));
    // Cursors read like strtoul: empty, signs.
    for cursor in ["+0", "-0"] {
        assert_eq!(run(&mut e, c, &format!("SCAN {cursor}")), Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("a")])]));
    }
    assert_eq!(run_argv(&mut e, c, &[b"SCAN", b""]), Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("a")])]));
}

#[test]
fn scan_match_star_includes_the_empty_key() {
    let (mut e, c) = engine();
    set(&mut e, c, "", "x");
    assert_eq!(run(&mut e, c, "SCAN 0 MATCH *"), Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("")])]));
    assert_eq!(run(&mut e, c, "SCAN 0 MATCH **"), Reply::Array(vec![bulk("0"), Reply::Array(vec![])]));
}

#[test]
fn scan_errors() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    for bad in ["abc", "0x", "1.5", "18446744073709551616", "+", "-"] {
        assert_eq!(run(&mut e, c, &format!("SCAN {bad}")), err("ERR invalid cursor"), "{bad}");
    }
    assert_eq!(run_argv(&mut e, c, &[b"SCAN", b" 0"]), err("ERR invalid cursor"));
    assert_eq!(run(&mut e, c, "SCAN abc COUNT 0"), err("ERR invalid cursor"));
    assert_eq!(run(&mut e, c, "SCAN 0 COUNT 0"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 COUNT -1"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 COUNT abc"), err(NOT_INT));
    assert_eq!(run(&mut e, c, "SCAN 0 COUNT 0 FOO"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 COUNT"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 MATCH"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 TYPE"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN 0 FOO bar"), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, "SCAN"), err("ERR wrong number of arguments for 'scan' command"));
    // A huge COUNT is fine and allocates nothing in proportion.
    assert_eq!(
        run(&mut e, c, "SCAN 0 COUNT 9223372036854775807"),
        Reply::Array(vec![bulk("0"), Reply::Array(vec![bulk("a")])])
    );
}

#[test]
fn scan_with_a_far_cursor_ends() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    let r = run(&mut e, c, "SCAN 18446744073709551615");
    let Reply::Array(parts) = r else { panic!() };
    assert_eq!(parts[0], bulk("0"));
}

#[test]
fn scan_never_returns_expired_keys() {
    let (mut e, c) = engine();
    for i in 0..50 {
        set(&mut e, c, &format!("k{i}"), "v");
        if i % 2 == 0 {
            assert_eq!(run(&mut e, c, &format!("PEXPIRE k{i} 100")), int(1));
        }
    }
    assert_eq!(full_scan(&mut e, c, "COUNT 3").0.len(), 50);
    e.clock.advance_us(100_000);
    let (keys, _) = full_scan(&mut e, c, "COUNT 3");
    assert_eq!(keys.len(), 25);
    assert!(keys.iter().all(|k| k[1..].parse::<u32>().unwrap() % 2 == 1));
}

// ---------------------------------------------------------------------------------------------
// RANDOMKEY

#[test]
fn randomkey_returns_live_keys() {
    let (mut e, c) = engine();
    assert_eq!(run(&mut e, c, "RANDOMKEY"), Reply::Nil);
    set(&mut e, c, "only", "1");
    assert_eq!(run(&mut e, c, "RANDOMKEY"), bulk("only"));
    for i in 0..20 {
        set(&mut e, c, &format!("k{i}"), "v");
    }
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let Reply::Bulk(k) = run(&mut e, c, "RANDOMKEY") else { panic!() };
        let k = String::from_utf8(k).unwrap();
        assert!(k == "only" || k.starts_with('k'));
        seen.insert(k);
    }
    assert!(seen.len() > 5, "RANDOMKEY is not random: {seen:?}");
    assert_eq!(run(&mut e, c, "RANDOMKEY x"), err("ERR wrong number of arguments for 'randomkey' command"));
}

#[test]
fn randomkey_skips_due_keys() {
    let (mut e, c) = engine();
    set(&mut e, c, "live", "1");
    for i in 0..30 {
        set(&mut e, c, &format!("dying{i}"), "v");
        // Due keys left in place, as if no active expiry had run yet.
        e.state.dbs[0].set_expire(format!("dying{i}").as_bytes(), Some(T0_MS - 1));
    }
    let argv = vec![b"RANDOMKEY".to_vec()];
    // Run the handler through a context whose clock is past the expiry, bypassing the engine's
    // sweep: every due key must be skipped (and removed) on the way.
    let handler = redis_playground::commands::lookup(b"randomkey").and_then(|cmd| cmd.handler).unwrap();
    let mut ctx = redis_playground::engine::Ctx::new(&mut e, c, T0_MS);
    for _ in 0..10 {
        assert_eq!(handler(&mut ctx, &argv), bulk("live"));
    }
    e.state.dbs[0].remove(b"live");
    let mut ctx = redis_playground::engine::Ctx::new(&mut e, c, T0_MS);
    assert_eq!(handler(&mut ctx, &argv), Reply::Nil);
    assert!(e.state.dbs[0].is_empty());
}

// ---------------------------------------------------------------------------------------------
// EXPIRE family

#[test]
fn expire_sets_a_ttl_on_the_virtual_clock() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "EXPIRE a 10"), int(1));
    assert_eq!(events(&mut e), vec![ev(0, "expire", "a")]);
    assert_eq!(run(&mut e, c, "TTL a"), int(10));
    assert_eq!(run(&mut e, c, "PTTL a"), int(10_000));
    assert_eq!(run(&mut e, c, "PEXPIRETIME a"), int(T0_MS + 10_000));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(T0_MS / 1000 + 10));
    e.clock.advance_us(9_999_000);
    e.tick();
    assert_eq!(run(&mut e, c, "EXISTS a"), int(1));
    assert_eq!(run(&mut e, c, "PTTL a"), int(1));
    assert_eq!(run(&mut e, c, "TTL a"), int(0));
    e.clock.advance_us(1_000);
    e.tick();
    assert_eq!(events(&mut e), vec![ev(0, "expired", "a")]);
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
    assert_eq!(run(&mut e, c, "TTL a"), int(-2));
}

#[test]
fn ttl_counts_down_with_the_clock() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "EXPIRE a 100"), int(1));
    for left in (1..=100).rev() {
        assert_eq!(run(&mut e, c, "TTL a"), int(left));
        e.clock.advance_us(1_000_000);
    }
    assert_eq!(run(&mut e, c, "TTL a"), int(-2));
}

#[test]
fn ttl_rounds_to_the_nearest_second() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    for (ms, secs) in [(1, 0), (499, 0), (500, 1), (1499, 1), (1500, 2), (2500, 3)] {
        assert_eq!(run(&mut e, c, &format!("PEXPIRE a {ms}")), int(1));
        assert_eq!(run(&mut e, c, "TTL a"), int(secs), "{ms} ms");
        assert_eq!(run(&mut e, c, "PTTL a"), int(ms));
    }
    // EXPIRETIME rounds the absolute time the same way.
    assert_eq!(run(&mut e, c, "PEXPIREAT a 2000000000999"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(2_000_000_001));
    assert_eq!(run(&mut e, c, "PEXPIREAT a 2000000000499"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(2_000_000_000));
    assert_eq!(run(&mut e, c, "PEXPIREAT a 2000000000500"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(2_000_000_001));
}

#[test]
fn ttl_family_on_missing_and_persistent_keys() {
    let (mut e, c) = engine();
    for cmd in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
        assert_eq!(run(&mut e, c, &format!("{cmd} nope")), int(-2));
    }
    set(&mut e, c, "a", "1");
    for cmd in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
        assert_eq!(run(&mut e, c, &format!("{cmd} a")), int(-1));
    }
    assert_eq!(run(&mut e, c, "TTL"), err("ERR wrong number of arguments for 'ttl' command"));
    assert_eq!(run(&mut e, c, "PEXPIRETIME a b"), err("ERR wrong number of arguments for 'pexpiretime' command"));
}

#[test]
fn pexpireat_at_a_fixed_time() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, &format!("PEXPIREAT a {}", T0_MS + 1500)), int(1));
    assert_eq!(run(&mut e, c, "PTTL a"), int(1500));
    assert_eq!(run(&mut e, c, "TTL a"), int(2));
    e.clock.advance_us(1_499_000);
    assert_eq!(run(&mut e, c, "EXISTS a"), int(1));
    e.clock.advance_us(1_000);
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
    // EXPIREAT in seconds.
    set(&mut e, c, "b", "1");
    assert_eq!(run(&mut e, c, "EXPIREAT b 2000000000"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRETIME b"), int(2_000_000_000));
    assert_eq!(run(&mut e, c, "PEXPIRETIME b"), int(2_000_000_000_000));
}

#[test]
fn a_time_in_the_past_deletes_the_key() {
    let (mut e, c) = engine();
    for (i, cmd) in ["EXPIRE k{} 0", "EXPIRE k{} -5", "PEXPIRE k{} 0", "EXPIREAT k{} 100", "PEXPIREAT k{} 0", "PEXPIREAT k{} -1"]
        .iter()
        .enumerate()
    {
        let key = format!("k{i}");
        set(&mut e, c, &key, "v");
        watch_events(&mut e);
        assert_eq!(run(&mut e, c, &cmd.replace("{}", &i.to_string())), int(1), "{cmd}");
        assert_eq!(events(&mut e), vec![ev(0, "del", &key)], "{cmd}");
        assert_eq!(get_in(&e, 0, &key), None);
    }
    // Exactly now is already past.
    set(&mut e, c, "now", "v");
    assert_eq!(run(&mut e, c, &format!("PEXPIREAT now {T0_MS}")), int(1));
    assert_eq!(get_in(&e, 0, "now"), None);
    set(&mut e, c, "soon", "v");
    assert_eq!(run(&mut e, c, &format!("PEXPIREAT soon {}", T0_MS + 1)), int(1));
    assert_eq!(get_in(&e, 0, "soon").as_deref(), Some("v"));
}

#[test]
fn expire_on_missing_keys() {
    let (mut e, c) = engine();
    for cmd in ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"] {
        assert_eq!(run(&mut e, c, &format!("{cmd} nope 100")), int(0));
        assert_eq!(run(&mut e, c, &format!("{cmd} nope -100")), int(0));
        assert_eq!(run(&mut e, c, &format!("{cmd} nope 100 NX")), int(0));
    }
}

#[test]
fn expire_conditions() {
    let (mut e, c) = engine();
    set(&mut e, c, "b", "1");
    // No TTL yet: XX and GT refuse, NX and LT accept.
    assert_eq!(run(&mut e, c, "EXPIRE b 100 XX"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 XX GT"), int(0));
    assert_eq!(run(&mut e, c, "TTL b"), int(-1));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 LT"), int(1));
    assert_eq!(run(&mut e, c, "TTL b"), int(100));
    assert_eq!(run(&mut e, c, "EXPIRE b 50 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 200 gt"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE b 200 LT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 300 Lt"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 150 LT XX"), int(1));
    assert_eq!(run(&mut e, c, "TTL b"), int(150));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 NX"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 xx"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 XX XX"), int(1));
    assert_eq!(run(&mut e, c, "PERSIST b"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 NX"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE b 100 NX NX"), int(0));
    // LT with a past time deletes.
    assert_eq!(run(&mut e, c, "EXPIRE b -1 LT"), int(1));
    assert_eq!(run(&mut e, c, "EXISTS b"), int(0));
    set(&mut e, c, "c", "1");
    assert_eq!(run(&mut e, c, "EXPIRE c -1 XX"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS c"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE c -1 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS c"), int(1));
    // PEXPIREAT with GT/LT compares absolute times.
    assert_eq!(run(&mut e, c, "PEXPIREAT c 2000000000000"), int(1));
    assert_eq!(run(&mut e, c, "PEXPIREAT c 2000000000000 GT"), int(0));
    assert_eq!(run(&mut e, c, "PEXPIREAT c 2000000000001 GT"), int(1));
    assert_eq!(run(&mut e, c, "PEXPIREAT c 2000000000001 LT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIREAT c 2000000000 LT"), int(1));
    assert_eq!(run(&mut e, c, "PEXPIRETIME c"), int(2_000_000_000_000));
}

#[test]
fn expire_option_errors() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    let incompatible = "ERR NX and XX, GT or LT options at the same time are not compatible";
    let gt_lt = "ERR GT and LT options at the same time are not compatible";
    for cmd in ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"] {
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 foo")), err("ERR Unsupported option foo"));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 NX XX")), err(incompatible));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 nx gt")), err(incompatible));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 LT NX")), err(incompatible));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 GT LT")), err(gt_lt));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 GT LT NX")), err(incompatible));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 XX GT LT")), err(gt_lt));
        assert_eq!(run(&mut e, c, &format!("{cmd} a abc")), err(NOT_INT));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 1.5")), err(NOT_INT));
        assert_eq!(run(&mut e, c, &format!("{cmd} a +1")), err(NOT_INT));
        assert_eq!(run(&mut e, c, &format!("{cmd} nope abc")), err(NOT_INT));
        // Options are checked before the number; the first unknown one is reported.
        assert_eq!(run(&mut e, c, &format!("{cmd} a abc foo bar")), err("ERR Unsupported option foo"));
        assert_eq!(run(&mut e, c, &format!("{cmd} a abc NX XX")), err(incompatible));
        assert_eq!(run(&mut e, c, &format!("{cmd} a 10 NX foo")), err("ERR Unsupported option foo"));
        assert_eq!(
            run(&mut e, c, cmd),
            err(&format!("ERR wrong number of arguments for '{}' command", cmd.to_lowercase()))
        );
    }
    assert_eq!(run(&mut e, c, "TTL a"), int(-1));
}

#[test]
fn unsupported_option_text_is_one_line() {
    let (mut e, c) = engine();
    set(&mut e, c, "e", "1");
    for (opt, shown) in [
        (&b"foo\n"[..], "foo"),
        (b"f\r\no", "f  o"),
        (b"\n", ""),
        (b"ab\x00cd", "ab"),
        (b"\nx", " x"),
    ] {
        assert_eq!(
            run_argv(&mut e, c, &[b"EXPIRE", b"e", b"10", opt]),
            err(&format!("ERR Unsupported option {shown}"))
        );
    }
}

#[test]
fn expire_overflow_errors() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    let bad = |name: &str| err(&format!("ERR invalid expire time in '{name}' command"));
    assert_eq!(run(&mut e, c, "EXPIRE a 9223372036854775"), bad("expire"));
    assert_eq!(run(&mut e, c, "EXPIRE a 9223372036854776"), bad("expire"));
    assert_eq!(run(&mut e, c, "EXPIRE a -9223372036854776"), bad("expire"));
    assert_eq!(run(&mut e, c, "PEXPIRE a 9223372036854775807"), bad("pexpire"));
    assert_eq!(run(&mut e, c, "EXPIREAT a 9223372036854776"), bad("expireat"));
    assert_eq!(run(&mut e, c, "EXPIREAT a -9223372036854776"), bad("expireat"));
    assert_eq!(run(&mut e, c, "expire nope 9223372036854776"), bad("expire"));
    assert_eq!(run(&mut e, c, "TTL a"), int(-1));
    // The largest times that fit are accepted.
    assert_eq!(run(&mut e, c, "EXPIREAT a 9223372036854775"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(9_223_372_036_854_775));
    assert_eq!(run(&mut e, c, "PEXPIREAT a 9223372036854775807"), int(1));
    assert_eq!(run(&mut e, c, "PEXPIRETIME a"), int(i64::MAX));
    assert_eq!(run(&mut e, c, "EXPIRETIME a"), int(9_223_372_036_854_776));
    assert_eq!(run(&mut e, c, "TTL a"), int((i64::MAX - T0_MS + 500) / 1000));
    assert_eq!(run(&mut e, c, "PTTL a"), int(i64::MAX - T0_MS));
    // The smallest relative time is a time in the past.
    assert_eq!(run(&mut e, c, "EXPIRE a -9223372036854775"), int(1));
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "PEXPIREAT a -9223372036854775808"), int(1));
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
}

#[test]
fn persist_removes_the_ttl() {
    let (mut e, c) = engine();
    set(&mut e, c, "a", "1");
    assert_eq!(run(&mut e, c, "PERSIST a"), int(0));
    assert_eq!(run(&mut e, c, "PERSIST nope"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE a 10"), int(1));
    watch_events(&mut e);
    assert_eq!(run(&mut e, c, "PERSIST a"), int(1));
    assert_eq!(events(&mut e), vec![ev(0, "persist", "a")]);
    assert_eq!(run(&mut e, c, "TTL a"), int(-1));
    assert_eq!(run(&mut e, c, "PERSIST a"), int(0));
    e.clock.advance_us(60_000_000);
    assert_eq!(run(&mut e, c, "EXISTS a"), int(1));
    assert_eq!(run(&mut e, c, "PERSIST"), err("ERR wrong number of arguments for 'persist' command"));
}

#[test]
fn due_keys_are_missing_for_every_command() {
    let (mut e, c) = engine();
    let cmds = [
        ("EXISTS k", int(0)),
        ("TYPE k", Reply::Status("none".into())),
        ("TTL k", int(-2)),
        ("PTTL k", int(-2)),
        ("EXPIRETIME k", int(-2)),
        ("PEXPIRETIME k", int(-2)),
        ("PERSIST k", int(0)),
        ("EXPIRE k 100", int(0)),
        ("TOUCH k", int(0)),
        ("DEL k", int(0)),
        ("RENAME k z", err("ERR no such key")),
        ("COPY k z", int(0)),
        ("MOVE k 1", int(0)),
        ("OBJECT ENCODING k", Reply::Nil),
        ("KEYS k", Reply::Array(vec![])),
        ("RANDOMKEY", Reply::Nil),
    ];
    for (cmd, want) in cmds {
        set(&mut e, c, "k", "v");
        assert_eq!(run(&mut e, c, "PEXPIRE k 1"), int(1));
        e.clock.advance_us(1_000);
        assert_eq!(run(&mut e, c, cmd), want, "{cmd}");
        assert!(!e.state.dbs[0].contains(b"k"));
        assert!(!e.state.dbs[1].contains(b"k"));
    }
}

// ---------------------------------------------------------------------------------------------
// OBJECT

#[test]
fn object_encoding() {
    let (mut e, c) = engine();
    set(&mut e, c, "int", "12345");
    set(&mut e, c, "neg", "-9223372036854775808");
    set(&mut e, c, "lead0", "007");
    set(&mut e, c, "emb", "hello");
    set(&mut e, c, "emb44", &"x".repeat(44));
    set(&mut e, c, "raw45", &"x".repeat(45));
    e.state.dbs[0].set(b"appended", Value::Str(Str::built("ab")), false);
    for (key, enc) in [
        ("int", "int"),
        ("neg", "int"),
        ("lead0", "embstr"),
        ("emb", "embstr"),
        ("emb44", "embstr"),
        ("raw45", "raw"),
        ("appended", "raw"),
    ] {
        assert_eq!(run(&mut e, c, &format!("OBJECT ENCODING {key}")), bulk(enc), "{key}");
        assert_eq!(run(&mut e, c, &format!("object encoding {key}")), bulk(enc), "{key}");
    }
    assert_eq!(run(&mut e, c, "OBJECT ENCODING nope"), Reply::Nil);
    assert_eq!(run(&mut e, c, "OBJECT ENCODING a b"), err("ERR wrong number of arguments for 'object|encoding' command"));
}

#[test]
fn object_refcount_idletime_freq() {
    let (mut e, c) = engine();
    for (val, refs) in [("1", 2147483647), ("0", 2147483647), ("9999", 2147483647), ("10000", 1), ("-1", 1), ("abc", 1), ("007", 1)] {
        set(&mut e, c, "k", val);
        assert_eq!(run(&mut e, c, "OBJECT REFCOUNT k"), int(refs), "{val}");
    }
    assert_eq!(run(&mut e, c, "OBJECT REFCOUNT nope"), Reply::Nil);
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME k"), int(0));
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME nope"), Reply::Nil);
    assert_eq!(
        run(&mut e, c, "OBJECT FREQ k"),
        err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
    );
    assert_eq!(run(&mut e, c, "OBJECT FREQ nope"), Reply::Nil);
    assert_eq!(run(&mut e, c, "OBJECT REFCOUNT"), err("ERR wrong number of arguments for 'object|refcount' command"));
    assert_eq!(run(&mut e, c, "OBJECT FREQ a b"), err("ERR wrong number of arguments for 'object|freq' command"));
}

#[test]
fn object_help_and_unknown_subcommands() {
    let (mut e, c) = engine();
    let Reply::Array(lines) = run(&mut e, c, "OBJECT HELP") else { panic!() };
    assert_eq!(lines.len(), 15);
    assert_eq!(lines[0], Reply::Status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:".into()));
    assert_eq!(lines[1], Reply::Status("ENCODING <key>".into()));
    assert_eq!(lines[13], Reply::Status("HELP".into()));
    assert_eq!(lines[14], Reply::Status("    Prints this help.".into()));
    assert_eq!(run(&mut e, c, "object help"), Reply::Array(lines));
    assert_eq!(run(&mut e, c, "OBJECT HELP x"), err("ERR wrong number of arguments for 'object|help' command"));
    assert_eq!(run(&mut e, c, "OBJECT foo"), err("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
    assert_eq!(run(&mut e, c, "OBJECT"), err("ERR wrong number of arguments for 'object' command"));
}

// ---------------------------------------------------------------------------------------------
// Databases are independent

#[test]
fn commands_act_on_the_selected_database() {
    let (mut e, c) = engine();
    set_in(&mut e, 0, "a", "zero");
    set_in(&mut e, 5, "a", "five");
    select(&mut e, c, 5);
    assert_eq!(run(&mut e, c, "EXPIRE a 100"), int(1));
    assert_eq!(run(&mut e, c, "DEL a"), int(1));
    select(&mut e, c, 0);
    assert_eq!(run(&mut e, c, "TTL a"), int(-1));
    assert_eq!(sorted(run(&mut e, c, "KEYS *")), strs(&["a"]));
}

/// SCAN cursors fit in 53 bits, so JavaScript clients (which read them with `Number()`) resume
/// exactly where the engine left off.
#[test]
fn scan_cursors_are_exact_javascript_numbers() {
    let mut e = Engine::new();
    let c = e.open_client();
    for i in 0..2000 {
        e.execute(c, &[b"SET".to_vec(), format!("k{i}").into_bytes(), b"v".to_vec()]);
        e.execute(c, &[b"HSET".to_vec(), b"h".to_vec(), format!("f{i}").into_bytes(), b"v".to_vec()]);
        e.execute(c, &[b"SADD".to_vec(), b"s".to_vec(), format!("m{i}").into_bytes()]);
        e.execute(c, &[b"ZADD".to_vec(), b"z".to_vec(), b"1".to_vec(), format!("m{i}").into_bytes()]);
    }
    for scan in [&["SCAN"][..], &["HSCAN", "h"], &["SSCAN", "s"], &["ZSCAN", "z"]] {
        let mut cursor = "0".to_string();
        let mut seen = 0;
        loop {
            let mut argv: Vec<Vec<u8>> = scan.iter().map(|a| a.as_bytes().to_vec()).collect();
            argv.push(cursor.clone().into_bytes());
            argv.extend([b"COUNT".to_vec(), b"50".to_vec()]);
            let Reply::Array(parts) = e.execute(c, &argv) else { panic!("{scan:?}") };
            let (Reply::Bulk(next), Reply::Array(items)) = (&parts[0], &parts[1]) else { panic!() };
            let next: u64 = String::from_utf8(next.clone()).unwrap().parse().unwrap();
            assert!(next < 1 << 53, "{scan:?} cursor {next} is not exact in JavaScript");
            seen += if scan[0] == "HSCAN" || scan[0] == "ZSCAN" { items.len() / 2 } else { items.len() };
            cursor = (next as f64 as u64).to_string();
            if next == 0 {
                break;
            }
        }
        assert!(seen >= 2000, "{scan:?} saw {seen}");
    }
}
