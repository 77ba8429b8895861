//! The keyspace exported as a redis-cli script: fed to a real `redis-server` through `redis-cli`
//! (started here on a free loopback port), it must give the same keyspace, key by key (type, full
//! contents, TTL within a second); imported into a fresh engine, the same. Plus the importer's
//! error reporting.

mod state_support;
mod support;

use std::cell::Cell;
use std::rc::Rc;

use redis_playground::engine::DATABASES;
use redis_playground::export::{export_script, import_script, quote, ImportError, MAX_ITEMS_PER_COMMAND};
use redis_playground::num::fmt_double;
use redis_playground::{ClientId, Engine, Reply};
use state_support::{build_varied, engine_on, line, ok};
use support::{Conn, Server};

/// 2026-01-01T00:00:00Z in µs.
const T0: i64 = 1_767_225_600_000_000;

fn argv(words: &[&[u8]]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.to_vec()).collect()
}

/// The varied keyspace, plus every byte value in a key and a value, a string longer than one
/// command's byte budget, and collections big enough to be split over several commands.
fn exported_engine() -> (Engine, ClientId) {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    // A clock far from the wall: TTLs must be exported relative to it.
    ok(&mut e, c, "CLOCK.FREEZE");
    ok(&mut e, c, "CLOCK.SET 4102444800000");
    // A key already due on the clock is not exported.
    ok(&mut e, c, "SET gone v PX 1");
    e.clock.advance_us(5_000);
    build_varied(&mut e, c);
    let all: Vec<u8> = (0u8..=255).collect();
    assert_eq!(e.execute(c, &argv(&[b"SET", &all, &all])), Reply::ok());
    let mut rev = all.clone();
    rev.reverse();
    assert_eq!(e.execute(c, &argv(&[b"HSET", b"allbytes", &all, &rev, &rev, &all])), Reply::Int(2));
    let huge = "z".repeat(100_000);
    ok(&mut e, c, &format!("SET huge {huge}"));
    let mut big = String::from("RPUSH wide");
    for i in 0..40 {
        big.push_str(&format!(" {}{i}", "w".repeat(4000)));
    }
    ok(&mut e, c, &big);
    let mut zz = String::from("ZADD zhuge");
    for i in 0..1000 {
        zz.push_str(&format!(" {} m{i}", (i as f64) / 7.0 - 50.0));
    }
    ok(&mut e, c, &zz);
    ok(&mut e, c, "PEXPIRE zhuge 7777");
    let mut ss = String::from("SADD shuge");
    for i in 0..1000 {
        ss.push_str(&format!(" member{i}"));
    }
    ok(&mut e, c, &ss);
    ok(&mut e, c, "SELECT 9");
    ok(&mut e, c, r#"SET "\r\n" "\x00""#);
    ok(&mut e, c, "SELECT 0");
    (e, c)
}

/// A reply as a flat list of byte strings, whatever RESP type carried it.
fn flat(r: &Reply, out: &mut Vec<Vec<u8>>) {
    match r {
        Reply::Bulk(b) => out.push(b.clone()),
        Reply::Status(s) => out.push(s.clone().into_bytes()),
        Reply::Int(n) => out.push(n.to_string().into_bytes()),
        Reply::Double(d) => out.push(fmt_double(*d).into_bytes()),
        Reply::Nil | Reply::NilArray => out.push(b"(nil)".to_vec()),
        Reply::Array(items) | Reply::Push(items) | Reply::Multi(items) => {
            items.iter().for_each(|i| flat(i, out));
        }
        Reply::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            flat(k, out);
            flat(v, out);
        }),
        other => panic!("unexpected reply {other:?}"),
    }
}

/// Something that answers commands: the real server on one connection, or an engine client.
trait Target {
    fn ask(&mut self, args: &[&[u8]]) -> Reply;
}

impl Target for Conn {
    fn ask(&mut self, args: &[&[u8]]) -> Reply {
        self.send(&argv(args)).expect("send");
        self.read_reply().expect("reply")
    }
}

struct EngineClient<'a>(&'a mut Engine, ClientId);

impl Target for EngineClient<'_> {
    fn ask(&mut self, args: &[&[u8]]) -> Reply {
        self.0.execute(self.1, &argv(args))
    }
}

/// One key, described the same way for both sides: type, contents (lists and sorted sets in
/// order, hashes and sets sorted), and PTTL.
#[derive(Debug, PartialEq)]
struct Key {
    name: Vec<u8>,
    kind: String,
    contents: Vec<Vec<u8>>,
    pttl: i64,
}

fn keyspace(t: &mut dyn Target) -> Vec<Vec<Key>> {
    let mut dbs = Vec::new();
    for db in 0..DATABASES {
        let index = db.to_string();
        assert_eq!(t.ask(&[b"SELECT", index.as_bytes()]), Reply::ok());
        let mut names = Vec::new();
        flat(&t.ask(&[b"KEYS", b"*"]), &mut names);
        names.sort();
        let mut keys = Vec::new();
        for name in names {
            let kind = match t.ask(&[b"TYPE", &name]) {
                Reply::Status(s) => s,
                other => panic!("TYPE answered {other:?}"),
            };
            let mut contents = Vec::new();
            let (reply, sort, pairs) = match kind.as_str() {
                "string" => (t.ask(&[b"GET", &name]), false, false),
                "list" => (t.ask(&[b"LRANGE", &name, b"0", b"-1"]), false, false),
                "hash" => (t.ask(&[b"HGETALL", &name]), true, true),
                "set" => (t.ask(&[b"SMEMBERS", &name]), true, false),
                "zset" => (t.ask(&[b"ZRANGE", &name, b"0", b"-1", b"WITHSCORES"]), false, false),
                other => panic!("type {other}"),
            };
            flat(&reply, &mut contents);
            if sort && pairs {
                let mut p: Vec<(Vec<u8>, Vec<u8>)> =
                    contents.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect();
                p.sort();
                contents = p.into_iter().flat_map(|(a, b)| [a, b]).collect();
            } else if sort {
                contents.sort();
            }
            let pttl = match t.ask(&[b"PTTL", &name]) {
                Reply::Int(n) => n,
                other => panic!("PTTL answered {other:?}"),
            };
            keys.push(Key { name, kind, contents, pttl });
        }
        dbs.push(keys);
    }
    assert_eq!(t.ask(&[b"SELECT", b"0"]), Reply::ok());
    dbs
}

/// The same keys with the same contents, and TTLs within `slack_ms` (none where there is none).
#[track_caller]
fn assert_same(expected: &[Vec<Key>], got: &[Vec<Key>], slack_ms: i64) {
    for db in 0..DATABASES {
        let names = |ks: &[Key]| ks.iter().map(|k| k.name.escape_ascii().to_string()).collect::<Vec<_>>();
        assert_eq!(names(&got[db]), names(&expected[db]), "keys of db {db}");
        for (want, have) in expected[db].iter().zip(&got[db]) {
            let label = format!("db {db} key {}", want.name.escape_ascii());
            assert_eq!(have.kind, want.kind, "{label}");
            assert_eq!(have.contents, want.contents, "{label}");
            if want.pttl < 0 {
                assert_eq!(have.pttl, want.pttl, "{label}");
            } else {
                assert!(
                    have.pttl > 0 && (want.pttl - have.pttl).abs() <= slack_ms,
                    "{label}: PTTL {} where {} was exported",
                    have.pttl,
                    want.pttl
                );
            }
        }
    }
}

#[test]
fn an_exported_script_recreates_the_keyspace_on_a_real_redis() {
    let (mut e, c) = exported_engine();
    let script = export_script(&e);
    let server = Server::start();
    let out = server.redis_cli(script.as_bytes()).expect("redis-cli runs the script");
    let out = String::from_utf8_lossy(&out);
    assert!(!out.contains("(error)") && !out.contains("Invalid argument"), "redis-cli printed an error:\n{out}");
    let mut conn = Conn::open(server.port).expect("connect");
    let real = keyspace(&mut conn);
    let mine = keyspace(&mut EngineClient(&mut e, c));
    let total: usize = mine.iter().map(Vec::len).sum();
    assert!(total >= 35, "the keyspace is varied: {total} keys");
    assert!(!mine[0].iter().any(|k| k.name == b"gone"), "a due key is not listed");
    assert_same(&mine, &real, 1000);
}

#[test]
fn an_exported_script_imports_into_a_fresh_engine() {
    let (mut e, c) = exported_engine();
    let script = export_script(&e);
    let wall = Rc::new(Cell::new(T0));
    let mut f = engine_on(&wall);
    let d = f.open_client();
    // The same frozen instant: TTLs must match exactly.
    f.clock.freeze();
    f.clock.set_us(e.clock.now_us());
    let report = import_script(&mut f, d, &script);
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.commands, script.lines().count());
    assert_eq!(f.client(d).map(|c| c.db), Some(0), "the script ends in database 0");
    let mine = keyspace(&mut EngineClient(&mut e, c));
    let imported = keyspace(&mut EngineClient(&mut f, d));
    assert_same(&mine, &imported, 0);
    // And exporting the import gives the same script.
    assert_eq!(export_script(&f), script);
}

#[test]
fn the_script_is_plain_redis_cli_input() {
    let (e, _) = exported_engine();
    let script = export_script(&e);
    let lines: Vec<&str> = script.lines().collect();
    // Database 0 needs no SELECT; the others do, in order, and the script returns to 0.
    assert!(!lines[0].starts_with("SELECT"));
    let selects: Vec<&&str> = lines.iter().filter(|l| l.starts_with("SELECT")).collect();
    assert_eq!(selects, vec![&"SELECT 3", &"SELECT 9", &"SELECT 15", &"SELECT 0"]);
    // Relative TTLs, from the engine's clock.
    assert!(lines.contains(&"SET ttl:str v PX 100000"), "{script}");
    assert!(lines.contains(&"PEXPIRE zhuge 7777"));
    assert!(lines.contains(&"SET int 777 PX 50000"));
    // Collections are replaced, and split into commands of bounded size.
    assert!(lines.contains(&"DEL biglist"));
    let pushes = lines.iter().filter(|l| l.starts_with("RPUSH biglist ")).count();
    assert_eq!(pushes, 300usize.div_ceil(MAX_ITEMS_PER_COMMAND));
    let wide = lines.iter().filter(|l| l.starts_with("RPUSH wide ")).count();
    assert!(wide >= 3, "40 elements of 4 kB over {wide} commands");
    assert!(lines.iter().filter(|l| l.starts_with("SADD shuge ")).count() >= 8);
    // Exact scores.
    assert!(lines.iter().any(|l| l.starts_with("ZADD zsmall ")
        && l.contains(" -inf d")
        && l.contains(" inf e")
        && l.contains(" 0.10000000000000001 c")
        && l.contains(" 1.0000000000000001e+300 f")));
    // Quoting.
    assert!(lines.contains(&r#"SET "bin\x00key\xff" "\x00\x01\xfe\xff\r\n""#), "{script}");
    assert!(lines.contains(&"SET unicode \"h\u{e9}llo w\u{f6}rld \u{1F600} \u{4e2d}\u{6587}\""));
    assert!(!script.contains("gone"));
    // Nothing but commands: no line redis-cli would send as a command by mistake.
    assert!(lines.iter().all(|l| !l.is_empty() && !l.starts_with('#')));
}

#[test]
fn a_running_clock_exports_the_time_left() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    ok(&mut e, c, "SET k v EX 100");
    wall.set(T0 + 30_000_000);
    assert_eq!(export_script(&e), "SET k v PX 70000\n");
}

#[test]
fn quoting_survives_the_real_redis_cli() {
    // Every byte, alone and in company, through the real tokenizer.
    let server = Server::start();
    let mut script = String::new();
    let mut expected = Vec::new();
    for b in 0u8..=255 {
        let value = vec![b'<', b, b'>'];
        script.push_str(&format!("SET {} {}\n", quote(&[b]), quote(&value)));
        expected.push((vec![b], value));
    }
    for s in ["", " ", "\"", "'", "\\", "\\x41", "a\"b", "'x'", "\u{2028}\u{85}\u{feff}", "-"] {
        let k = format!("key:{s}");
        script.push_str(&format!("SET {} {}\n", quote(k.as_bytes()), quote(s.as_bytes())));
        expected.push((k.into_bytes(), s.as_bytes().to_vec()));
    }
    let out = server.redis_cli(script.as_bytes()).expect("redis-cli runs");
    assert!(!String::from_utf8_lossy(&out).contains("error"));
    let mut conn = Conn::open(server.port).expect("connect");
    for (k, v) in expected {
        assert_eq!(conn.ask(&[b"GET", &k]), Reply::Bulk(v), "key {}", k.escape_ascii());
    }
}

#[test]
fn import_reports_failing_lines_and_runs_the_rest() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    let script = "# a comment\n\
                  SET a 1\n\
                  \n\
                  \x20  # an indented comment\n\
                  LPUSH a x\n\
                  SET \"unterminated\n\
                  NOSUCH thing\r\n\
                  INCR a\r\n\
                  GET\n\
                  SELECT 2\n\
                  SET b 2\n";
    let report = import_script(&mut e, c, script);
    assert_eq!(report.commands, 7);
    assert_eq!(
        report.errors,
        vec![
            ImportError {
                line: 5,
                error: "WRONGTYPE Operation against a key holding the wrong kind of value".into()
            },
            ImportError { line: 6, error: "Invalid argument(s)".into() },
            ImportError {
                line: 7,
                error: "ERR unknown command 'NOSUCH', with args beginning with: 'thing' ".into()
            },
            ImportError { line: 9, error: "ERR wrong number of arguments for 'get' command".into() },
        ]
    );
    assert_eq!(line(&mut e, c, "GET b"), Reply::bulk("2"));
    assert_eq!(line(&mut e, c, "SELECT 0"), Reply::ok());
    assert_eq!(line(&mut e, c, "GET a"), Reply::bulk("2"));
}

#[test]
fn a_blocking_command_in_an_import_does_not_leave_the_client_waiting() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    let report = import_script(&mut e, c, "BLPOP q 0\nRPUSH q a\nBLPOP q 0\n");
    assert_eq!(report.commands, 3);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 1);
    assert!(e.client(c).is_some_and(|cl| cl.blocked.is_none()));
    assert_eq!(line(&mut e, c, "EXISTS q"), Reply::Int(0), "the second BLPOP was served");
    assert!(e.take_deliveries().is_empty());
    // No such client.
    let report = import_script(&mut e, 999, "SET a b\n");
    assert_eq!(report.commands, 0);
    assert_eq!(report.errors, vec![ImportError { line: 0, error: "ERR no such client".into() }]);
}

#[test]
fn the_module_docs_example_is_what_the_export_writes() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    ok(&mut e, c, "CLOCK.FREEZE");
    for cmd in [
        "SET greeting \"hello world\"",
        "RPUSH queue job1 job2 \"job \\\"3\\\"\"",
        "SET session abc EX 59",
        "SELECT 2",
        "ZADD scores 0.1 bob 1 alice inf carol",
        "EXPIRE scores 3600",
    ] {
        ok(&mut e, c, cmd);
    }
    assert_eq!(
        export_script(&e),
        "SET greeting \"hello world\"\n\
         DEL queue\n\
         RPUSH queue job1 job2 \"job \\\"3\\\"\"\n\
         SET session abc PX 59000\n\
         SELECT 2\n\
         DEL scores\n\
         ZADD scores 0.10000000000000001 bob 1 alice inf carol\n\
         PEXPIRE scores 3600000\n\
         SELECT 0\n"
    );
}
