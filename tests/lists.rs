//! List commands: exact replies (taken from a real Redis 7.0.15), keyspace events, expiry,
//! snapshots, and a randomised comparison against a simple `VecDeque` model.

use std::collections::{HashMap, VecDeque};

use redis_playground::engine::KeyEvent;
use redis_playground::lists::{self, End, List};
use redis_playground::notify;
use redis_playground::value::Value;
use redis_playground::{ClientId, Engine, Reply};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const RANK_ZERO: &str = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                         second ... or use negative to start from the end of the list";

struct T {
    e: Engine,
    c: ClientId,
}

impl T {
    fn new() -> T {
        let mut e = Engine::new();
        let c = e.open_client();
        // A string key for the WRONGTYPE paths.
        e.state.dbs[0].set(b"s", Value::str("x"), false);
        T { e, c }
    }

    fn run(&mut self, line: &str) -> Reply {
        let argv: Vec<Vec<u8>> =
            line.split(' ').filter(|w| !w.is_empty()).map(|w| w.as_bytes().to_vec()).collect();
        self.e.execute(self.c, &argv)
    }

    fn argv(&mut self, argv: &[&[u8]]) -> Reply {
        let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
        self.e.execute(self.c, &argv)
    }

    /// Asserts the reply of each `(command, reply)` pair in turn.
    fn check(&mut self, steps: &[(&str, Reply)]) {
        for (line, want) in steps {
            assert_eq!(&self.run(line), want, "{line}");
        }
    }

    fn exists(&self, key: &str) -> bool {
        self.e.state.dbs[0].contains(key.as_bytes())
    }
}

fn int(n: i64) -> Reply {
    Reply::Int(n)
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn arr(items: &[&str]) -> Reply {
    Reply::bulks(items)
}

fn ints(items: &[i64]) -> Reply {
    Reply::Array(items.iter().map(|&n| Reply::Int(n)).collect())
}

fn err(s: &str) -> Reply {
    Reply::err(s)
}

fn ok() -> Reply {
    Reply::ok()
}

fn keyed(key: &str, items: &[&str]) -> Reply {
    Reply::Array(vec![bulk(key), arr(items)])
}

fn arity(cmd: &str) -> Reply {
    err(&format!("ERR wrong number of arguments for '{cmd}' command"))
}

#[test]
fn push_and_pushx() {
    let mut t = T::new();
    t.check(&[
        ("LPUSH l a b c", int(3)),
        ("RPUSH l d e", int(5)),
        ("LRANGE l 0 -1", arr(&["c", "b", "a", "d", "e"])),
        ("LLEN l", int(5)),
        ("LPUSHX l x", int(6)),
        ("RPUSHX l y z", int(8)),
        ("LRANGE l 0 -1", arr(&["x", "c", "b", "a", "d", "e", "y", "z"])),
        ("LPUSHX nokey a", int(0)),
        ("RPUSHX nokey a b", int(0)),
        ("LLEN nokey", int(0)),
        ("LPUSH", arity("lpush")),
        ("LPUSH l", arity("lpush")),
        ("RPUSHX l", arity("rpushx")),
        ("LPUSH s a", err(WRONGTYPE)),
        ("RPUSH s a", err(WRONGTYPE)),
        ("LPUSHX s a", err(WRONGTYPE)),
        ("RPUSHX s a", err(WRONGTYPE)),
        ("LLEN s", err(WRONGTYPE)),
        ("lpush l lower", int(9)),
        ("LINDEX l 0", bulk("lower")),
    ]);
    assert!(!t.exists("nokey"));
    let v = t.e.state.dbs[0].get(b"l").map(|e| e.value.encoding(&t.e.state.config));
    assert_eq!(v, Some("quicklist"));
    assert_eq!(t.e.state.dbs[0].get(b"l").map(|e| e.value.type_name()), Some("list"));
}

#[test]
fn elements_are_binary_safe_and_kept_verbatim() {
    let mut t = T::new();
    assert_eq!(t.argv(&[b"RPUSH", b"bin", b"", b"hello world", b"a\x00b", b"line\nbreak"]), int(4));
    assert_eq!(
        t.run("LRANGE bin 0 -1"),
        Reply::Array(vec![
            bulk(""),
            bulk("hello world"),
            Reply::bulk(b"a\x00b"),
            bulk("line\nbreak")
        ])
    );
    let nums = ["007", "-0", "1e3", "18446744073709551616", "-9223372036854775808", "12345"];
    t.run(&format!("RPUSH nums {}", nums.join(" ")));
    t.check(&[
        ("LRANGE nums 0 -1", arr(&nums)),
        ("LINDEX nums 0", bulk("007")),
        ("LPOS nums 12345", int(5)),
        ("LPOS nums 7", Reply::Nil),
    ]);
}

#[test]
fn lrange() {
    let mut t = T::new();
    t.run("RPUSH l a b c d e");
    t.check(&[
        ("LRANGE l 0 0", arr(&["a"])),
        ("LRANGE l 1 3", arr(&["b", "c", "d"])),
        ("LRANGE l -2 -1", arr(&["d", "e"])),
        ("LRANGE l -100 100", arr(&["a", "b", "c", "d", "e"])),
        ("LRANGE l 3 1", arr(&[])),
        ("LRANGE l 5 10", arr(&[])),
        ("LRANGE l -1 -2", arr(&[])),
        ("LRANGE l 0 -6", arr(&[])),
        ("LRANGE l -9223372036854775808 9223372036854775807", arr(&["a", "b", "c", "d", "e"])),
        ("LRANGE l 9223372036854775807 -9223372036854775808", arr(&[])),
        ("LRANGE nokey 0 -1", arr(&[])),
        ("LRANGE l a 1", err(NOT_INT)),
        ("LRANGE l 0 b", err(NOT_INT)),
        ("LRANGE l 0 9223372036854775808", err(NOT_INT)),
        ("LRANGE l +1 2", err(NOT_INT)),
        ("LRANGE l 01 2", err(NOT_INT)),
        ("LRANGE s 0 -1", err(WRONGTYPE)),
        // The indexes are parsed before the key is looked at.
        ("LRANGE s x -1", err(NOT_INT)),
        ("LRANGE nokey x -1", err(NOT_INT)),
    ]);
}

#[test]
fn lindex() {
    let mut t = T::new();
    t.run("RPUSH l a b c d e");
    t.check(&[
        ("LINDEX l 0", bulk("a")),
        ("LINDEX l 4", bulk("e")),
        ("LINDEX l 5", Reply::Nil),
        ("LINDEX l -1", bulk("e")),
        ("LINDEX l -5", bulk("a")),
        ("LINDEX l -6", Reply::Nil),
        ("LINDEX l -9223372036854775808", Reply::Nil),
        ("LINDEX l 9223372036854775807", Reply::Nil),
        ("LINDEX l 9223372036854775808", err(NOT_INT)),
        ("LINDEX l abc", err(NOT_INT)),
        // The key is looked at before the index is parsed.
        ("LINDEX nokey abc", Reply::Nil),
        ("LINDEX nokey 0", Reply::Nil),
        ("LINDEX s 0", err(WRONGTYPE)),
        ("LINDEX s abc", err(WRONGTYPE)),
    ]);
}

#[test]
fn lset() {
    let mut t = T::new();
    t.run("RPUSH l a b c d e");
    t.check(&[
        ("LSET l 0 A", ok()),
        ("LSET l -1 E", ok()),
        ("LSET l 2 C", ok()),
        ("LRANGE l 0 -1", arr(&["A", "b", "C", "d", "E"])),
        ("LSET l 5 x", err("ERR index out of range")),
        ("LSET l -6 x", err("ERR index out of range")),
        ("LSET l 9223372036854775807 x", err("ERR index out of range")),
        ("LSET l -9223372036854775808 x", err("ERR index out of range")),
        ("LSET l abc x", err(NOT_INT)),
        ("LSET nokey 0 x", err("ERR no such key")),
        ("LSET nokey abc x", err("ERR no such key")),
        ("LSET s 0 x", err(WRONGTYPE)),
        ("LSET s abc x", err(WRONGTYPE)),
        ("LRANGE l 0 -1", arr(&["A", "b", "C", "d", "E"])),
    ]);
    assert!(!t.exists("nokey"));
}

#[test]
fn lpop_rpop() {
    let mut t = T::new();
    t.run("RPUSH l a b c d e f g");
    t.check(&[
        ("LPOP l", bulk("a")),
        ("RPOP l", bulk("g")),
        ("LPOP l 2", arr(&["b", "c"])),
        // From the tail, elements come tail first.
        ("RPOP l 2", arr(&["f", "e"])),
        ("LRANGE l 0 -1", arr(&["d"])),
        ("LPOP l 0", arr(&[])),
        ("RPOP l 0", arr(&[])),
        ("LPOP l 9223372036854775807", arr(&["d"])),
        ("LPOP l", Reply::Nil),
        // With a count, a missing key is a nil array (`*-1`), even for a count of 0.
        ("LPOP l 1", Reply::NilArray),
        ("RPOP l 0", Reply::NilArray),
        ("RPOP nokey", Reply::Nil),
        ("RPOP nokey 3", Reply::NilArray),
        ("LPOP l -1", err("ERR value is out of range, must be positive")),
        ("LPOP l abc", err("ERR value is out of range, must be positive")),
        ("LPOP l 9223372036854775808", err("ERR value is out of range, must be positive")),
        ("LPOP l 1 2", arity("lpop")),
        ("RPOP l 1 2 3", arity("rpop")),
        ("LPOP s", err(WRONGTYPE)),
        ("LPOP s 0", err(WRONGTYPE)),
        ("LPOP s -1", err("ERR value is out of range, must be positive")),
        ("RPOP s 1 2", arity("rpop")),
        ("RPUSH one x", int(1)),
        ("RPOP one 5", arr(&["x"])),
    ]);
    assert!(!t.exists("l"));
    assert!(!t.exists("one"));
    assert_eq!(Reply::NilArray.to_resp(), b"*-1\r\n");
}

#[test]
fn huge_counts_are_bounded_by_the_list() {
    let mut t = T::new();
    t.run("RPUSH l a b c");
    t.check(&[
        ("LPOS l a COUNT 9223372036854775807 MAXLEN 9223372036854775807", ints(&[0])),
        ("LMPOP 1 l RIGHT COUNT 9223372036854775807", keyed("l", &["c", "b", "a"])),
        ("RPUSH l a b c", int(3)),
        ("RPOP l 9223372036854775807", arr(&["c", "b", "a"])),
        ("RPUSH l a b c", int(3)),
        ("LREM l 9223372036854775807 b", int(1)),
        ("LTRIM l 0 9223372036854775807", ok()),
        ("LRANGE l 0 -1", arr(&["a", "c"])),
    ]);
}

#[test]
fn ltrim() {
    let mut t = T::new();
    t.run("RPUSH t a b c d e f");
    t.check(&[
        ("LTRIM t 1 -2", ok()),
        ("LRANGE t 0 -1", arr(&["b", "c", "d", "e"])),
        ("LTRIM t 0 100", ok()),
        ("LRANGE t 0 -1", arr(&["b", "c", "d", "e"])),
        ("LTRIM t -2 -1", ok()),
        ("LRANGE t 0 -1", arr(&["d", "e"])),
        ("LTRIM t -100 0", ok()),
        ("LRANGE t 0 -1", arr(&["d"])),
        ("LTRIM t 1 0", ok()),
    ]);
    assert!(!t.exists("t"));
    t.check(&[
        ("RPUSH t a b c", int(3)),
        ("LTRIM t 5 10", ok()),
        ("RPUSH u a b c", int(3)),
        ("LTRIM u -9223372036854775808 9223372036854775807", ok()),
        ("LRANGE u 0 -1", arr(&["a", "b", "c"])),
        ("LTRIM nokey 0 1", ok()),
        ("LTRIM nokey a 1", err(NOT_INT)),
        ("LTRIM u a 1", err(NOT_INT)),
        ("LTRIM u 0 b", err(NOT_INT)),
        ("LTRIM s 0 1", err(WRONGTYPE)),
        ("LTRIM s a 1", err(NOT_INT)),
    ]);
    assert!(!t.exists("t"));
    assert!(!t.exists("nokey"));
}

#[test]
fn lrem() {
    let mut t = T::new();
    t.run("RPUSH r a b a c a b a");
    t.check(&[
        ("LREM r 2 a", int(2)),
        ("LRANGE r 0 -1", arr(&["b", "c", "a", "b", "a"])),
        ("LREM r -1 a", int(1)),
        ("LRANGE r 0 -1", arr(&["b", "c", "a", "b"])),
        ("RPUSH r a a", int(6)),
        ("LREM r -2 a", int(2)),
        ("LRANGE r 0 -1", arr(&["b", "c", "a", "b"])),
        ("LREM r 0 b", int(2)),
        ("LRANGE r 0 -1", arr(&["c", "a"])),
        ("LREM r 0 zz", int(0)),
        ("LREM r 1 zz", int(0)),
        ("LREM r 0 c", int(1)),
        ("LREM r 100 a", int(1)),
    ]);
    assert!(!t.exists("r"));
    t.check(&[
        ("RPUSH r x y x y x", int(5)),
        // Redis negates the count in a C long: the most negative value removes every match.
        ("LREM r -9223372036854775808 x", int(3)),
        ("LRANGE r 0 -1", arr(&["y", "y"])),
        ("LREM r 9223372036854775807 y", int(2)),
        ("LREM nokey 0 a", int(0)),
        ("LREM nokey x a", err(NOT_INT)),
        ("LREM s 0 a", err(WRONGTYPE)),
        ("LREM s x a", err(NOT_INT)),
        ("RPUSH r a", int(1)),
        ("LREM r 1.5 a", err(NOT_INT)),
    ]);
}

#[test]
fn linsert() {
    let mut t = T::new();
    t.run("RPUSH i a b c");
    t.check(&[
        ("LINSERT i BEFORE b x", int(4)),
        ("LINSERT i AFTER b y", int(5)),
        ("LINSERT i after c z", int(6)),
        ("LINSERT i before a w", int(7)),
        ("LRANGE i 0 -1", arr(&["w", "a", "x", "b", "y", "c", "z"])),
        ("LINSERT i BEFORE zz q", int(-1)),
        ("LINSERT i AFTER zz q", int(-1)),
        ("RPUSH i b", int(8)),
        // The first occurrence of the pivot, from the head.
        ("LINSERT i AFTER b last", int(9)),
        ("LRANGE i 0 -1", arr(&["w", "a", "x", "b", "last", "y", "c", "z", "b"])),
        ("LINSERT nokey BEFORE a b", int(0)),
        ("LINSERT nokey MIDDLE a b", err(SYNTAX)),
        ("LINSERT i MIDDLE a b", err(SYNTAX)),
        ("LINSERT s BEFORE a b", err(WRONGTYPE)),
        ("LINSERT s MIDDLE a b", err(SYNTAX)),
        ("LINSERT i", arity("linsert")),
    ]);
    assert_eq!(t.argv(&[b"LINSERT", b"i", b"BEFORE", b"", b"q"]), int(-1));
    assert!(!t.exists("nokey"));
}

#[test]
fn lpos() {
    let mut t = T::new();
    t.run("RPUSH p a b c 1 2 3 c c");
    t.check(&[
        ("LPOS p c", int(2)),
        ("LPOS p c RANK 2", int(6)),
        ("LPOS p c RANK -1", int(7)),
        ("LPOS p c RANK -3", int(2)),
        ("LPOS p c RANK 4", Reply::Nil),
        ("LPOS p c COUNT 0", ints(&[2, 6, 7])),
        ("LPOS p c COUNT 2", ints(&[2, 6])),
        ("LPOS p c RANK 2 COUNT 0", ints(&[6, 7])),
        ("LPOS p c RANK -2 COUNT 0", ints(&[6, 2])),
        ("LPOS p c RANK -1 COUNT 2", ints(&[7, 6])),
        ("LPOS p c MAXLEN 2", Reply::Nil),
        ("LPOS p c MAXLEN 3", int(2)),
        ("LPOS p c COUNT 0 MAXLEN 7", ints(&[2, 6])),
        ("LPOS p c RANK -1 MAXLEN 1", int(7)),
        ("LPOS p c RANK -1 MAXLEN 1 COUNT 0", ints(&[7])),
        ("LPOS p c RANK 2 MAXLEN 6", Reply::Nil),
        ("LPOS p zz", Reply::Nil),
        ("LPOS p zz COUNT 0", ints(&[])),
        ("LPOS p 1", int(3)),
        ("LPOS p c rank 1 count 1 maxlen 0", ints(&[2])),
        ("LPOS p c RANK 1 RANK -1", int(7)),
        ("LPOS p c COUNT 1 COUNT 0", ints(&[2, 6, 7])),
        ("LPOS p c RANK 9223372036854775807", Reply::Nil),
        ("LPOS p c RANK -9223372036854775807 COUNT 0", ints(&[])),
        // RANK LLONG_MIN: Redis's negation leaves it negative: first match from the tail, and a
        // COUNT limit never triggers.
        ("LPOS p c RANK -9223372036854775808", int(7)),
        ("LPOS p c RANK -9223372036854775808 COUNT 1", ints(&[7, 6, 2])),
        ("LPOS p c RANK -9223372036854775808 COUNT 0 MAXLEN 2", ints(&[7, 6])),
        ("LPOS p c RANK 0", err(RANK_ZERO)),
        ("LPOS p c RANK abc", err(NOT_INT)),
        ("LPOS p c RANK 9223372036854775808", err(NOT_INT)),
        ("LPOS p c COUNT -1", err("ERR COUNT can't be negative")),
        ("LPOS p c COUNT abc", err("ERR COUNT can't be negative")),
        ("LPOS p c MAXLEN -1", err("ERR MAXLEN can't be negative")),
        ("LPOS p c MAXLEN abc", err("ERR MAXLEN can't be negative")),
        ("LPOS p c RANK", err(SYNTAX)),
        ("LPOS p c COUNT", err(SYNTAX)),
        ("LPOS p c foo", err(SYNTAX)),
        ("LPOS p c foo 1", err(SYNTAX)),
        ("LPOS p c RANK 0 COUNT -1", err(RANK_ZERO)),
        ("LPOS p c COUNT -1 RANK 0", err("ERR COUNT can't be negative")),
        ("LPOS nokey c", Reply::Nil),
        ("LPOS nokey c COUNT 0", ints(&[])),
        ("LPOS nokey c RANK -1 COUNT 5 MAXLEN 1", ints(&[])),
        ("LPOS nokey c RANK 0", err(RANK_ZERO)),
        ("LPOS nokey c bad", err(SYNTAX)),
        ("LPOS s c", err(WRONGTYPE)),
        ("LPOS s c COUNT 0", err(WRONGTYPE)),
        ("LPOS s c RANK 0", err(RANK_ZERO)),
        ("LPOS p", arity("lpos")),
    ]);
}

#[test]
fn lmove_and_rpoplpush() {
    let mut t = T::new();
    t.run("RPUSH src a b c");
    t.check(&[
        ("LMOVE src dst LEFT RIGHT", bulk("a")),
        ("LMOVE src dst RIGHT LEFT", bulk("c")),
        ("LRANGE src 0 -1", arr(&["b"])),
        ("LRANGE dst 0 -1", arr(&["c", "a"])),
        ("LMOVE dst src left left", bulk("c")),
        ("LMOVE dst src right right", bulk("a")),
        ("LRANGE src 0 -1", arr(&["c", "b", "a"])),
    ]);
    assert!(!t.exists("dst"));
    t.check(&[
        // Same key: rotation.
        ("LMOVE src src LEFT RIGHT", bulk("c")),
        ("LRANGE src 0 -1", arr(&["b", "a", "c"])),
        ("LMOVE src src RIGHT LEFT", bulk("c")),
        ("LRANGE src 0 -1", arr(&["c", "b", "a"])),
        ("LMOVE src src LEFT LEFT", bulk("c")),
        ("LRANGE src 0 -1", arr(&["c", "b", "a"])),
        ("LMOVE nokey dst LEFT RIGHT", Reply::Nil),
        // A missing source wins over a wrong-type destination.
        ("LMOVE nokey s LEFT RIGHT", Reply::Nil),
        ("LMOVE s dst LEFT RIGHT", err(WRONGTYPE)),
        ("LMOVE src s LEFT RIGHT", err(WRONGTYPE)),
        ("LRANGE src 0 -1", arr(&["c", "b", "a"])),
        ("LMOVE src dst UP RIGHT", err(SYNTAX)),
        ("LMOVE src dst LEFT DOWN", err(SYNTAX)),
        ("LMOVE s dst UP RIGHT", err(SYNTAX)),
        ("LMOVE nokey dst LEFT DOWN", err(SYNTAX)),
        ("RPUSH single only", int(1)),
        ("LMOVE single single RIGHT LEFT", bulk("only")),
        ("LRANGE single 0 -1", arr(&["only"])),
        ("RPOPLPUSH single single", bulk("only")),
        ("LRANGE single 0 -1", arr(&["only"])),
        ("RPOPLPUSH single other", bulk("only")),
        ("LRANGE other 0 -1", arr(&["only"])),
        ("RPOPLPUSH other other", bulk("only")),
        ("RPOPLPUSH src other", bulk("a")),
        ("LRANGE other 0 -1", arr(&["a", "only"])),
        ("RPOPLPUSH nokey other", Reply::Nil),
        ("RPOPLPUSH nokey s", Reply::Nil),
        ("RPOPLPUSH s other", err(WRONGTYPE)),
        ("RPOPLPUSH other s", err(WRONGTYPE)),
        ("LRANGE other 0 -1", arr(&["a", "only"])),
        ("RPOPLPUSH other", arity("rpoplpush")),
        ("LMOVE a b LEFT", arity("lmove")),
    ]);
    assert!(!t.exists("single"));
    assert!(!t.exists("dst"));
}

#[test]
fn lmpop() {
    let mut t = T::new();
    t.run("RPUSH m1 a b c d");
    t.run("RPUSH m2 x y");
    t.check(&[
        ("LMPOP 1 m1 LEFT", keyed("m1", &["a"])),
        ("LMPOP 1 m1 RIGHT", keyed("m1", &["d"])),
        ("LMPOP 2 nokey m1 LEFT COUNT 10", keyed("m1", &["b", "c"])),
        ("LMPOP 2 m1 m2 RIGHT COUNT 1", keyed("m2", &["y"])),
        ("LMPOP 2 m1 m2 right count 5", keyed("m2", &["x"])),
        ("LMPOP 2 m1 m2 LEFT", Reply::NilArray),
        ("LMPOP 3 nokey m1 m2 LEFT COUNT 1", Reply::NilArray),
        ("LMPOP 0 m1 LEFT", err("ERR numkeys should be greater than 0")),
        ("LMPOP -1 m1 LEFT", err("ERR numkeys should be greater than 0")),
        ("LMPOP abc m1 LEFT", err("ERR numkeys should be greater than 0")),
        ("LMPOP 9223372036854775808 m1 LEFT", err("ERR numkeys should be greater than 0")),
        ("LMPOP 2 m1 LEFT", err(SYNTAX)),
        ("LMPOP 3 m1 m2 LEFT", err(SYNTAX)),
        ("LMPOP 9223372036854775807 m1 LEFT", err(SYNTAX)),
        ("LMPOP 1 m1 MIDDLE", err(SYNTAX)),
        ("LMPOP 1 m1 LEFT COUNT 0", err("ERR count should be greater than 0")),
        ("LMPOP 1 m1 LEFT COUNT -1", err("ERR count should be greater than 0")),
        ("LMPOP 1 m1 LEFT COUNT abc", err("ERR count should be greater than 0")),
        ("LMPOP 1 m1 LEFT COUNT", err(SYNTAX)),
        ("LMPOP 1 m1 LEFT COUNT 1 COUNT 1", err(SYNTAX)),
        ("LMPOP 1 m1 LEFT foo", err(SYNTAX)),
        ("LMPOP 1 m1 LEFT COUNT 1 foo", err(SYNTAX)),
        ("LMPOP 1 s LEFT", err(WRONGTYPE)),
        ("LMPOP 2 nokey s LEFT", err(WRONGTYPE)),
        ("RPUSH m1 a", int(1)),
        // Keys are tried in order: the first list found wins, a later wrong type is never seen.
        ("LMPOP 2 m1 s LEFT", keyed("m1", &["a"])),
        ("LMPOP 2 s m1 LEFT", err(WRONGTYPE)),
        ("LMPOP 1 s MIDDLE", err(SYNTAX)),
        ("LMPOP 0 s MIDDLE", err("ERR numkeys should be greater than 0")),
        ("LMPOP 1 m1", arity("lmpop")),
    ]);
    assert!(!t.exists("m1"));
    assert!(!t.exists("m2"));
    assert_eq!(Reply::NilArray.to_resp(), b"*-1\r\n");
}

fn events(t: &mut T) -> Vec<(&'static str, String)> {
    t.e.take_events()
        .into_iter()
        .map(|KeyEvent { event, key, .. }| (event, String::from_utf8_lossy(&key).into_owned()))
        .collect()
}

#[test]
fn keyspace_events_follow_redis() {
    let mut t = T::new();
    t.e.state.config.notify_keyspace_events = notify::ALL | notify::NEW | notify::KEYEVENT;
    for line in [
        "RPUSH a 1 2 3",
        "LPUSH a 0",
        "LPUSHX a x",
        "RPUSHX nokey x",
        "LPOP a",
        "RPOP a 2",
        "LPOP a 0",
        "LSET a 0 y",
        "LINSERT a BEFORE y z",
        "LINSERT a BEFORE nope z",
        "LREM a 1 z",
        "LREM a 1 nope",
        "LTRIM a 0 -1",
        "LMOVE a b LEFT RIGHT",
        "LMOVE b b LEFT RIGHT",
        "RPOPLPUSH b c",
        "RPUSH m 1",
        "LMPOP 1 m LEFT",
        "RPUSH t 1 2",
        "LTRIM t 5 6",
        "RPUSH r 1",
        "LREM r 0 1",
        "LPUSH s x",
        "LSET a 9 x",
    ] {
        t.run(line);
    }
    // Recorded from a real server subscribed to __keyevent@0__:*.
    let want: Vec<(&str, &str)> = vec![
        ("new", "a"),
        ("rpush", "a"),
        ("lpush", "a"),
        ("lpush", "a"),
        ("lpop", "a"),
        ("rpop", "a"),
        ("lset", "a"),
        ("linsert", "a"),
        ("lrem", "a"),
        ("ltrim", "a"),
        ("new", "b"),
        ("rpush", "b"),
        ("lpop", "a"),
        ("rpush", "b"),
        ("lpop", "b"),
        ("new", "c"),
        ("lpush", "c"),
        ("rpop", "b"),
        ("del", "b"),
        ("new", "m"),
        ("rpush", "m"),
        ("lpop", "m"),
        ("del", "m"),
        ("new", "t"),
        ("rpush", "t"),
        ("ltrim", "t"),
        ("del", "t"),
        ("new", "r"),
        ("rpush", "r"),
        ("lrem", "r"),
        ("del", "r"),
    ];
    let got = events(&mut t);
    let got: Vec<(&str, &str)> = got.iter().map(|(e, k)| (*e, k.as_str())).collect();
    assert_eq!(got, want);
    let classes: Vec<u32> = {
        t.run("RPUSH z 1");
        t.run("RPOP z");
        t.e.take_events().iter().map(|e| e.class).collect()
    };
    assert_eq!(classes, vec![notify::NEW, notify::LIST, notify::LIST, notify::GENERIC]);
}

#[test]
fn expired_lists_are_gone() {
    let mut t = T::new();
    t.e.clock.freeze();
    t.run("RPUSH l a b c");
    t.run("RPUSH s2 x");
    let now = t.e.clock.now_ms();
    assert!(t.e.state.dbs[0].set_expire(b"l", Some(now + 10_000)));
    t.check(&[("LLEN l", int(3)), ("RPUSH l d", int(4))]);
    t.e.clock.advance_us(10_000_000);
    t.check(&[
        ("LLEN l", int(0)),
        ("LRANGE l 0 -1", arr(&[])),
        ("LPUSHX l a", int(0)),
        ("RPOPLPUSH l s2", Reply::Nil),
        ("RPUSH l z", int(1)),
    ]);
    // The new list has no TTL.
    assert_eq!(t.e.state.dbs[0].get(b"l").and_then(|e| e.expire_at), None);
}

#[test]
fn snapshots_are_independent_of_later_writes() {
    let mut t = T::new();
    for i in 0..300 {
        t.run(&format!("RPUSH big e{i}"));
    }
    let snap = t.e.snapshot();
    t.check(&[
        ("LTRIM big 100 199", ok()),
        ("LSET big 0 changed", ok()),
        ("LINSERT big AFTER e150 new", int(101)),
        ("LREM big 0 e120", int(1)),
        ("LLEN big", int(100)),
    ]);
    t.e.restore(snap);
    t.check(&[
        ("LLEN big", int(300)),
        ("LINDEX big 0", bulk("e0")),
        ("LINDEX big 100", bulk("e100")),
        ("LPOS big e120", int(120)),
        ("LPOS big new", Reply::Nil),
    ]);
}

#[test]
fn large_lists_behave_like_small_ones() {
    let mut t = T::new();
    let n = 20_000;
    for i in 0..n {
        let end = if i % 2 == 0 { "RPUSH" } else { "LPUSH" };
        t.run(&format!("{end} big {i}"));
    }
    // LPUSH put odd numbers at the head in descending order.
    let expect = |i: i64| -> String {
        let half = n / 2;
        if i < half {
            (n - 1 - 2 * i).to_string()
        } else {
            (2 * (i - half)).to_string()
        }
    };
    for i in [0i64, 1, 4_999, 9_999, 10_000, 10_001, 19_999] {
        assert_eq!(t.run(&format!("LINDEX big {i}")), bulk(&expect(i)), "index {i}");
        assert_eq!(t.run(&format!("LINDEX big {}", i - n)), bulk(&expect(i)), "index {}", i - n);
    }
    let want: Vec<String> = (9_990..10_010).map(expect).collect();
    let want: Vec<&str> = want.iter().map(|s| s.as_str()).collect();
    t.check(&[
        ("LRANGE big 9990 10009", arr(&want)),
        ("LPOS big 0", int(10_000)),
        ("LPOS big 1 RANK -1", int(9_999)),
        ("LINSERT big BEFORE 0 mid", int(n + 1)),
        ("LINDEX big 10000", bulk("mid")),
        ("LTRIM big 9990 10010", ok()),
        ("LLEN big", int(21)),
        ("LINDEX big 10", bulk("mid")),
    ]);
}

#[test]
fn api_for_blocking_and_export() {
    let mut e = Engine::new();
    let c = e.open_client();
    let l = List::from_elements(["a", "b", "c"]);
    assert_eq!(
        l.iter().rev().map(|b| b.to_vec()).collect::<Vec<_>>(),
        vec![b"c".to_vec(), b"b".to_vec(), b"a".to_vec()]
    );
    assert_eq!(l.range(-2, -1).count(), 2);
    e.state.dbs[0].set(b"k", Value::List(l), false);
    e.state.dbs[0].set(b"s", Value::str("x"), false);
    let now = e.clock.now_ms();
    let mut ctx = redis_playground::engine::Ctx::new(&mut e, c, now);
    assert_eq!(lists::len(&mut ctx, b"k"), Ok(3));
    assert_eq!(lists::len(&mut ctx, b"nokey"), Ok(0));
    assert!(lists::len(&mut ctx, b"s").is_err());
    let popped = lists::pop(&mut ctx, b"k", End::Right, 2)
        .map(|v| v.iter().map(|b| b.to_vec()).collect::<Vec<_>>());
    assert_eq!(popped, Ok(vec![b"c".to_vec(), b"b".to_vec()]));
    let moved = lists::move_element(&mut ctx, b"k", b"d", End::Left, End::Right)
        .map(|v| v.map(|b| b.to_vec()));
    assert_eq!(moved, Ok(Some(b"a".to_vec())));
    assert_eq!(lists::pop(&mut ctx, b"k", End::Left, 5).map(|v| v.len()), Ok(0));
    assert!(lists::pop(&mut ctx, b"s", End::Left, 1).is_err());
    assert!(lists::move_element(&mut ctx, b"d", b"s", End::Left, End::Left).is_err());
    assert_eq!(lists::push(&mut ctx, b"d", End::Left, &["x", "y"], true), Ok(3));
    assert_eq!(lists::push(&mut ctx, b"none", End::Left, &["x"], true), Ok(0));
    let argv: Vec<Vec<u8>> =
        ["blmpop", "0", "1", "k", "RIGHT"].iter().map(|a| a.as_bytes().to_vec()).collect();
    let a = lists::parse_mpop_args(&argv, 2);
    assert!(matches!(a, Ok(ref a) if a.keys.len() == 1 && a.end == End::Right && a.count == 1));
    assert!(!e.state.dbs[0].contains(b"k"));
    assert_eq!(End::parse(b"lEfT"), Some(End::Left));
    assert_eq!(End::parse(b"up"), None);
}

// ---------------------------------------------------------------------------------------------
// Randomised comparison with a model
// ---------------------------------------------------------------------------------------------

/// xorshift64*: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index-like argument: mostly small, sometimes extreme or not a number.
    fn index(&mut self) -> String {
        match self.below(20) {
            0 => "-9223372036854775808".into(),
            1 => "9223372036854775807".into(),
            2 if self.chance(30) => "x1".into(),
            _ => (self.below(25) as i64 - 12).to_string(),
        }
    }
}

type Model = HashMap<String, VecDeque<String>>;

fn m_err(s: &str) -> Reply {
    Reply::err(s)
}

fn m_int(s: &str) -> Option<i128> {
    if s.is_empty()
        || s.starts_with('+')
        || (s.len() > 1 && s.starts_with('0'))
        || s.starts_with("-0")
    {
        return None;
    }
    let v: i64 = s.parse().ok()?;
    Some(v as i128)
}

/// The model's reading of a Redis index range: plain arithmetic in 128 bits.
fn m_range(len: usize, start: i128, stop: i128) -> Vec<usize> {
    let len = len as i128;
    let s = if start < 0 { (len + start).max(0) } else { start };
    let e = if stop < 0 { len + stop } else { stop.min(len - 1) };
    if s > e || s >= len {
        return vec![];
    }
    (s as usize..=e as usize).collect()
}

fn m_index(len: usize, i: i128) -> Option<usize> {
    let p = if i < 0 { len as i128 + i } else { i };
    (0..len as i128).contains(&p).then_some(p as usize)
}

fn is_string(key: &str) -> bool {
    key == "s"
}

/// Pops up to `n` from one end of `key`, removing the key when emptied.
fn m_pop(m: &mut Model, key: &str, left: bool, n: usize) -> Vec<String> {
    let mut out = vec![];
    if let Some(l) = m.get_mut(key) {
        while out.len() < n {
            match if left { l.pop_front() } else { l.pop_back() } {
                Some(v) => out.push(v),
                None => break,
            }
        }
        if l.is_empty() {
            m.remove(key);
        }
    }
    out
}

/// What Redis answers to `args`, computed on the model.
fn model(m: &mut Model, args: &[String]) -> Reply {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let name = a[0];
    let key = a[1];
    let wrong = || m_err(WRONGTYPE);
    match name {
        "LPUSH" | "RPUSH" | "LPUSHX" | "RPUSHX" => {
            if is_string(key) {
                return wrong();
            }
            if name.ends_with('X') && !m.contains_key(key) {
                return Reply::Int(0);
            }
            let l = m.entry(key.to_string()).or_default();
            for v in &a[2..] {
                if name.starts_with('L') {
                    l.push_front(v.to_string())
                } else {
                    l.push_back(v.to_string())
                }
            }
            Reply::Int(l.len() as i64)
        }
        "LPOP" | "RPOP" => {
            let count = match a.get(2) {
                None => None,
                Some(c) => match m_int(c) {
                    Some(n) if n >= 0 => Some(n),
                    _ => return m_err("ERR value is out of range, must be positive"),
                },
            };
            if is_string(key) {
                return wrong();
            }
            if !m.contains_key(key) {
                return if count.is_some() { Reply::NilArray } else { Reply::Nil };
            }
            let left = name == "LPOP";
            match count {
                None => Reply::bulk(&m_pop(m, key, left, 1)[0]),
                Some(n) => Reply::bulks(m_pop(m, key, left, n.min(1 << 20) as usize)),
            }
        }
        "LLEN" => {
            if is_string(key) {
                return wrong();
            }
            Reply::Int(m.get(key).map_or(0, |l| l.len()) as i64)
        }
        "LRANGE" => {
            let (Some(s), Some(e)) = (m_int(a[2]), m_int(a[3])) else {
                return m_err(NOT_INT);
            };
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get(key) else {
                return Reply::Array(vec![]);
            };
            Reply::bulks(m_range(l.len(), s, e).into_iter().map(|i| l[i].clone()))
        }
        "LINDEX" => {
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get(key) else {
                return Reply::Nil;
            };
            let Some(i) = m_int(a[2]) else {
                return m_err(NOT_INT);
            };
            m_index(l.len(), i).map_or(Reply::Nil, |i| Reply::bulk(&l[i]))
        }
        "LSET" => {
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get_mut(key) else {
                return m_err("ERR no such key");
            };
            let Some(i) = m_int(a[2]) else {
                return m_err(NOT_INT);
            };
            match m_index(l.len(), i) {
                Some(i) => {
                    l[i] = a[3].to_string();
                    Reply::ok()
                }
                None => m_err("ERR index out of range"),
            }
        }
        "LTRIM" => {
            let (Some(s), Some(e)) = (m_int(a[2]), m_int(a[3])) else {
                return m_err(NOT_INT);
            };
            if is_string(key) {
                return wrong();
            }
            if let Some(l) = m.get_mut(key) {
                let keep: VecDeque<String> =
                    m_range(l.len(), s, e).into_iter().map(|i| l[i].clone()).collect();
                if keep.is_empty() {
                    m.remove(key);
                } else {
                    *l = keep;
                }
            }
            Reply::ok()
        }
        "LREM" => {
            let Some(n) = m_int(a[2]) else {
                return m_err(NOT_INT);
            };
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get_mut(key) else {
                return Reply::Int(0);
            };
            let limit = if n == 0 { usize::MAX } else { n.unsigned_abs().min(1 << 20) as usize };
            let mut order: Vec<usize> = (0..l.len()).collect();
            if n < 0 {
                order.reverse();
            }
            let doomed: Vec<usize> =
                order.into_iter().filter(|&i| l[i] == a[3]).take(limit).collect();
            let kept: VecDeque<String> = l
                .iter()
                .enumerate()
                .filter(|(i, _)| !doomed.contains(i))
                .map(|(_, v)| v.clone())
                .collect();
            *l = kept;
            if l.is_empty() {
                m.remove(key);
            }
            Reply::Int(doomed.len() as i64)
        }
        "LINSERT" => {
            let after = match a[2] {
                "BEFORE" => false,
                "AFTER" => true,
                _ => return m_err(SYNTAX),
            };
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get_mut(key) else {
                return Reply::Int(0);
            };
            match l.iter().position(|v| v == a[3]) {
                Some(p) => {
                    l.insert(if after { p + 1 } else { p }, a[4].to_string());
                    Reply::Int(l.len() as i64)
                }
                None => Reply::Int(-1),
            }
        }
        "LPOS" => {
            // Generated options are always well-formed: RANK (non-zero), COUNT, MAXLEN.
            let (mut rank, mut count, mut maxlen) = (1i128, None, 0usize);
            for pair in a[3..].chunks(2) {
                let v = m_int(pair[1]).unwrap_or(0);
                match pair[0] {
                    "RANK" => rank = v,
                    "COUNT" => count = Some(v as usize),
                    _ => maxlen = v as usize,
                }
            }
            if is_string(key) {
                return wrong();
            }
            let Some(l) = m.get(key) else {
                return if count.is_some() { Reply::Array(vec![]) } else { Reply::Nil };
            };
            let len = l.len();
            let mut order: Vec<usize> = (0..len).collect();
            if rank < 0 {
                order.reverse();
            }
            let scan = if maxlen == 0 { len } else { maxlen.min(len) };
            let hits: Vec<usize> =
                order[..scan].iter().copied().filter(|&i| l[i] == a[2]).collect();
            let hits: Vec<usize> =
                hits.into_iter().skip(rank.unsigned_abs() as usize - 1).collect();
            match count {
                None => hits.first().map_or(Reply::Nil, |&i| Reply::Int(i as i64)),
                Some(c) => {
                    let n = if c == 0 { hits.len() } else { c.min(hits.len()) };
                    Reply::Array(hits[..n].iter().map(|&i| Reply::Int(i as i64)).collect())
                }
            }
        }
        "LMOVE" | "RPOPLPUSH" => {
            let (from_left, to_left) =
                if name == "RPOPLPUSH" { (false, true) } else { (a[3] == "LEFT", a[4] == "LEFT") };
            let dst = a[2];
            if is_string(key) {
                return wrong();
            }
            if !m.contains_key(key) {
                return Reply::Nil;
            }
            if is_string(dst) {
                return wrong();
            }
            let l = m.get_mut(key).map(|l| if from_left { l.pop_front() } else { l.pop_back() });
            let v = l.flatten().unwrap_or_default();
            let d = m.entry(dst.to_string()).or_default();
            if to_left {
                d.push_front(v.clone())
            } else {
                d.push_back(v.clone())
            }
            if m.get(key).is_some_and(|l| l.is_empty()) {
                m.remove(key);
            }
            Reply::bulk(v)
        }
        "LMPOP" => {
            let n: usize = a[1].parse().unwrap_or(0);
            let left = a[n + 2] == "LEFT";
            let count = a.get(n + 4).and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
            for k in &a[2..2 + n] {
                if is_string(k) {
                    return wrong();
                }
                if m.contains_key(*k) {
                    let popped = m_pop(m, k, left, count);
                    return Reply::Array(vec![Reply::bulk(k), Reply::bulks(popped)]);
                }
            }
            Reply::NilArray
        }
        _ => unreachable!("{name}"),
    }
}

fn random_command(r: &mut Rng) -> Vec<String> {
    const KEYS: &[&str] = &["a", "b", "c", "s"];
    const ELEMS: &[&str] = &["x", "y", "z", "1", ""];
    let key = r.pick(KEYS).to_string();
    let elem = |r: &mut Rng| r.pick(ELEMS).to_string();
    let mut v = vec![];
    match r.below(17) {
        0..=2 => {
            v.push(r.pick(&["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]).to_string());
            v.push(key);
            // Now and then a long burst, so lists outgrow a single tree leaf.
            let n = if r.chance(5) { 50 + r.below(150) } else { 1 + r.below(4) };
            for _ in 0..n {
                v.push(elem(r));
            }
        }
        3 | 4 => {
            v.push(r.pick(&["LPOP", "RPOP"]).to_string());
            v.push(key);
            match r.below(6) {
                0 | 1 => {}
                2 => v.push(r.pick(&["0", "9223372036854775807", "-1", "x"]).to_string()),
                _ => v.push(r.below(6).to_string()),
            }
        }
        5 => v.extend(["LLEN".to_string(), key]),
        6 => v.extend(["LRANGE".to_string(), key, r.index(), r.index()]),
        7 => v.extend(["LINDEX".to_string(), key, r.index()]),
        8 => v.extend(["LSET".to_string(), key, r.index(), elem(r)]),
        9 => {
            // Trim rarely, and mostly keeping something, so lists get a chance to grow.
            let (s, e) = if r.chance(70) {
                (r.below(3).to_string(), (r.below(200) as i64 - 3).to_string())
            } else {
                (r.index(), r.index())
            };
            if r.chance(40) {
                v.extend(["LTRIM".to_string(), key, s, e]);
            } else {
                v.extend(["LLEN".to_string(), key]);
            }
        }
        10 => {
            let n = match r.below(10) {
                0 => "-9223372036854775808".to_string(),
                1 => "x".to_string(),
                _ => (r.below(7) as i64 - 3).to_string(),
            };
            v.extend(["LREM".to_string(), key, n, elem(r)]);
        }
        11 => {
            let w = r.pick(&["BEFORE", "AFTER", "BEFORE", "AFTER", "MIDDLE"]).to_string();
            v.extend(["LINSERT".to_string(), key, w, elem(r), elem(r)]);
        }
        12 | 13 => {
            v.extend(["LPOS".to_string(), key, elem(r)]);
            if r.chance(50) {
                let rank = (r.below(7) as i64 - 3).to_string();
                if rank != "0" {
                    v.extend(["RANK".to_string(), rank]);
                }
            }
            if r.chance(50) {
                v.extend(["COUNT".to_string(), r.below(4).to_string()]);
            }
            if r.chance(30) {
                v.extend(["MAXLEN".to_string(), r.below(6).to_string()]);
            }
        }
        14 => {
            let dst = r.pick(KEYS).to_string();
            v.extend([
                "LMOVE".to_string(),
                key,
                dst,
                r.pick(&["LEFT", "RIGHT"]).into(),
                r.pick(&["LEFT", "RIGHT"]).into(),
            ]);
        }
        15 => {
            let dst = r.pick(KEYS).to_string();
            v.extend(["RPOPLPUSH".to_string(), key, dst]);
        }
        _ => {
            let n = 1 + r.below(3) as usize;
            v.extend(["LMPOP".to_string(), n.to_string()]);
            for _ in 0..n {
                v.push(r.pick(KEYS).to_string());
            }
            v.push(r.pick(&["LEFT", "RIGHT"]).to_string());
            if r.chance(50) {
                v.extend(["COUNT".to_string(), (1 + r.below(4)).to_string()]);
            }
        }
    }
    v
}

#[test]
fn random_command_sequences_agree_with_a_model() {
    let mut total = 0;
    let mut longest = 0;
    for seed in 1..=25u64 {
        let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut t = T::new();
        let mut m = Model::new();
        // Snapshots share every list with the live engine, so later writes go through the
        // copy-on-write paths; restoring one must bring back exactly what the model saved.
        let mut saved = None;
        for step in 0..1500 {
            if r.chance(3) {
                saved = Some((t.e.snapshot(), m.clone()));
            } else if r.chance(2) {
                if let Some((state, model)) = saved.clone() {
                    t.e.restore(state);
                    m = model;
                }
            }
            let args = random_command(&mut r);
            let argv: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
            let got = t.argv(&argv);
            let want = model(&mut m, &args);
            assert_eq!(got, want, "seed {seed} step {step}: {}", args.join(" "));
            for k in ["a", "b", "c"] {
                let stored = t.e.state.dbs[0].get(k.as_bytes()).map(|e| match &e.value {
                    Value::List(l) => l
                        .iter()
                        .map(|b| String::from_utf8_lossy(b).into_owned())
                        .collect::<Vec<_>>(),
                    other => panic!("{k} holds a {}", other.type_name()),
                });
                let modelled = m.get(k).map(|l| l.iter().cloned().collect::<Vec<_>>());
                assert_eq!(
                    stored,
                    modelled,
                    "seed {seed} step {step}: key {k} after {}",
                    args.join(" ")
                );
                longest = longest.max(modelled.map_or(0, |l| l.len()));
            }
            total += 1;
        }
    }
    assert_eq!(total, 25 * 1500);
    // The generator must have exercised lists beyond one leaf of the tree.
    assert!(longest > 100, "longest list only {longest}");
}
