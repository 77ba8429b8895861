//! Connection and server commands, the command table's own commands, and the virtual clock.

use redis_playground::{Engine, Reply};

fn run(e: &mut Engine, c: u64, args: &[&str]) -> Reply {
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    e.execute(c, &argv)
}

fn err(s: &str) -> Reply {
    Reply::Error(s.into())
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

#[test]
fn ping_and_echo() {
    let mut e = Engine::new();
    let c = e.open_client();
    assert_eq!(run(&mut e, c, &["PING"]), Reply::Status("PONG".into()));
    assert_eq!(run(&mut e, c, &["ping", "hello"]), bulk("hello"));
    assert_eq!(run(&mut e, c, &["ping", "a", "b"]), err("ERR wrong number of arguments for 'ping' command"));
    assert_eq!(run(&mut e, c, &["echo"]), err("ERR wrong number of arguments for 'echo' command"));
    assert_eq!(run(&mut e, c, &["ECHO", "x y"]), bulk("x y"));
}

#[test]
fn unknown_commands_and_subcommands() {
    let mut e = Engine::new();
    let c = e.open_client();
    assert_eq!(
        run(&mut e, c, &["foo", "a", "b"]),
        err("ERR unknown command 'foo', with args beginning with: 'a' 'b' ")
    );
    assert_eq!(run(&mut e, c, &["foo"]), err("ERR unknown command 'foo', with args beginning with: "));
    assert_eq!(run(&mut e, c, &["config", "foo"]), err("ERR unknown subcommand 'foo'. Try CONFIG HELP."));
    assert_eq!(run(&mut e, c, &["Config", "foo"]), err("ERR unknown subcommand 'foo'. Try CONFIG HELP."));
    assert_eq!(run(&mut e, c, &["config"]), err("ERR wrong number of arguments for 'config' command"));
    assert_eq!(run(&mut e, c, &["config", "set", "a"]), err("ERR wrong number of arguments for 'config|set' command"));
    // Long arguments are cut at 128 characters in total, newlines become spaces.
    let long = "x".repeat(200);
    match run(&mut e, c, &["nope", &long, "b"]) {
        Reply::Error(s) => {
            assert!(s.starts_with("ERR unknown command 'nope', with args beginning with: 'xxx"));
            assert!(s.ends_with("' "));
            assert_eq!(s.matches('x').count(), 128);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(run(&mut e, c, &["a\nb"]), err("ERR unknown command 'a b', with args beginning with: "));
}

#[test]
fn select_swapdb_dbsize_flush() {
    let mut e = Engine::new();
    let c = e.open_client();
    assert_eq!(run(&mut e, c, &["select", "16"]), err("ERR DB index is out of range"));
    assert_eq!(run(&mut e, c, &["select", "-1"]), err("ERR DB index is out of range"));
    assert_eq!(run(&mut e, c, &["select", "abc"]), err("ERR value is not an integer or out of range"));
    assert_eq!(run(&mut e, c, &["swapdb", "0", "16"]), err("ERR DB index is out of range"));
    assert_eq!(run(&mut e, c, &["swapdb", "a", "1"]), err("ERR invalid first DB index"));
    assert_eq!(run(&mut e, c, &["swapdb", "1", "b"]), err("ERR invalid second DB index"));
    assert_eq!(run(&mut e, c, &["swapdb", "0", "0"]), Reply::ok());
    e.state.dbs[0].set(b"k", redis_playground::value::Value::str("v"), false);
    assert_eq!(run(&mut e, c, &["dbsize"]), Reply::Int(1));
    assert_eq!(run(&mut e, c, &["swapdb", "0", "3"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["dbsize"]), Reply::Int(0));
    assert_eq!(run(&mut e, c, &["select", "3"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["dbsize"]), Reply::Int(1));
    assert_eq!(run(&mut e, c, &["flushdb", "x"]), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, &["flushdb", "a", "b"]), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, &["flushdb", "ASYNC"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["dbsize"]), Reply::Int(0));
    e.state.dbs[5].set(b"k", redis_playground::value::Value::str("v"), false);
    assert_eq!(run(&mut e, c, &["flushall", "foo"]), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, &["flushall", "sync"]), Reply::ok());
    assert!(e.state.dbs.iter().all(|d| d.is_empty()));
}

#[test]
fn config_get_set() {
    let mut e = Engine::new();
    let c = e.open_client();
    let kv = |k: &str, v: &str| vec![bulk(k), bulk(v)];
    assert_eq!(run(&mut e, c, &["config", "get", "hash-max-ziplist-entries"]), Reply::Array(kv("hash-max-ziplist-entries", "512")));
    assert_eq!(
        run(&mut e, c, &["config", "set", "foo", "1"]),
        err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
    );
    assert_eq!(
        run(&mut e, c, &["config", "set", "hash-max-listpack-entries", "abc"]),
        err("ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument couldn't be parsed into an integer")
    );
    assert_eq!(
        run(&mut e, c, &["config", "set", "hash-max-listpack-entries", "-1"]),
        err("ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument must be between 0 and 9223372036854775807 inclusive")
    );
    assert_eq!(
        run(&mut e, c, &["config", "set", "databases", "3"]),
        err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config")
    );
    assert_eq!(
        run(&mut e, c, &["config", "set", "notify-keyspace-events", "Kq"]),
        err("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
    );
    assert_eq!(
        run(&mut e, c, &["config", "set", "hash-max-listpack-entries", "1", "hash-max-listpack-entries", "2"]),
        err("ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - duplicate parameter")
    );
    assert_eq!(run(&mut e, c, &["config", "set", "notify-keyspace-events", "KEA"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["config", "get", "notify-keyspace-events"]), Reply::Array(kv("notify-keyspace-events", "AKE")));
    assert_eq!(
        run(&mut e, c, &["config", "set", "hash-max-listpack-entries", "1", "zset-max-listpack-entries", "2"]),
        Reply::ok()
    );
    let mut both = kv("hash-max-listpack-entries", "1");
    both.extend(kv("zset-max-listpack-entries", "2"));
    assert_eq!(run(&mut e, c, &["config", "get", "hash-max-listpack-entries", "zset-max-listpack-entries"]), Reply::Array(both));
    // All or nothing: a failing pair leaves the others unchanged.
    assert!(run(&mut e, c, &["config", "set", "hash-max-listpack-entries", "7", "nope", "1"]).is_error());
    assert_eq!(run(&mut e, c, &["config", "get", "hash-max-listpack-entries"]), Reply::Array(kv("hash-max-listpack-entries", "1")));
    assert_eq!(run(&mut e, c, &["config", "get", "databases"]), Reply::Array(kv("databases", "16")));
}

#[test]
fn command_table_commands() {
    let mut e = Engine::new();
    let c = e.open_client();
    let count = match run(&mut e, c, &["command", "count"]) {
        Reply::Int(n) => n,
        other => panic!("{other:?}"),
    };
    assert!(count >= 10);
    match run(&mut e, c, &["command"]) {
        Reply::Array(v) => assert_eq!(v.len() as i64, count),
        other => panic!("{other:?}"),
    }
    // COMMAND INFO is the real server's description, byte for byte.
    let info = run(&mut e, c, &["command", "info", "ping", "nosuch"]);
    let Reply::Array(items) = info else { panic!() };
    assert_eq!(items[1], Reply::Nil);
    let Reply::Array(ping) = &items[0] else { panic!() };
    assert_eq!(ping[0], bulk("ping"));
    assert_eq!(ping[1], Reply::Int(-1));
    assert_eq!(run(&mut e, c, &["command", "docs", "nosuch"]), Reply::Array(vec![]));
    assert_eq!(run(&mut e, c, &["command", "list", "filterby", "pattern", "xx*"]), Reply::Array(vec![]));
    assert_eq!(run(&mut e, c, &["command", "list", "filterby", "module", "foo"]), Reply::Array(vec![]));
    assert_eq!(run(&mut e, c, &["command", "list", "foo"]), err("ERR syntax error"));
    assert_eq!(run(&mut e, c, &["command", "list", "filterby", "pattern", "ping"]), Reply::Array(vec![bulk("ping")]));
    assert_eq!(run(&mut e, c, &["command", "getkeys", "nosuch", "a"]), err("ERR Invalid command specified"));
    assert_eq!(run(&mut e, c, &["command", "getkeys", "ping", "x"]), err("ERR The command has no key arguments"));
    assert_eq!(run(&mut e, c, &["command", "getkeys", "config", "get", "x"]), err("ERR The command has no key arguments"));
    assert_eq!(run(&mut e, c, &["command", "getkeys", "ping"]), err("ERR wrong number of arguments for 'command|getkeys' command"));
    match run(&mut e, c, &["command", "help"]) {
        Reply::Array(v) => assert_eq!(v.len(), 21),
        other => panic!("{other:?}"),
    }
}

#[test]
fn command_getkeys_follows_key_specs() {
    let mut e = Engine::new();
    let c = e.open_client();
    // These commands exist in the table; their handlers may or may not be implemented yet, and
    // GETKEYS needs only the table.
    let cases: &[(&[&str], Reply)] = &[
        (&["command", "getkeys", "dbsize", "x"], err("ERR The command has no key arguments")),
        (&["command", "getkeys", "get", "a", "b"], err("ERR Invalid number of arguments specified for command")),
        (&["command", "getkeys", "config", "nosuch"], err("ERR Invalid command specified")),
        (&["command", "getkeys", "zunionstore", "d", "3", "a", "b"], err("ERR Invalid arguments specified for command")),
        (&["command", "getkeys", "zunionstore", "d", "0", "a", "b"], err("ERR Invalid arguments specified for command")),
        (&["command", "getkeys", "zunionstore", "d", "2", "a", "b"], Reply::Array(vec![bulk("d"), bulk("a"), bulk("b")])),
        (&["command", "getkeys", "sintercard", "2", "a", "b", "LIMIT", "3"], Reply::Array(vec![bulk("a"), bulk("b")])),
        (&["command", "getkeys", "blpop", "a", "b", "c", "0"], Reply::Array(vec![bulk("a"), bulk("b"), bulk("c")])),
        (&["command", "getkeys", "mset", "a", "1", "b", "2"], Reply::Array(vec![bulk("a"), bulk("b")])),
        (&["command", "getkeys", "copy", "a", "b", "db", "3"], Reply::Array(vec![bulk("a"), bulk("b")])),
        (&["command", "getkeys", "flushall"], err("ERR wrong number of arguments for 'command|getkeys' command")),
    ];
    for (args, want) in cases {
        assert_eq!(&run(&mut e, c, args), want, "{args:?}");
    }
}

#[test]
fn time_and_the_virtual_clock() {
    let mut e = Engine::new();
    let c = e.open_client();
    assert_eq!(run(&mut e, c, &["CLOCK.FREEZE"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["clock.set", "1700000000000"]), Reply::ok());
    assert_eq!(run(&mut e, c, &["clock.get"]), Reply::Array(vec![Reply::Int(1_700_000_000_000), bulk("frozen")]));
    assert_eq!(run(&mut e, c, &["time"]), Reply::Array(vec![bulk("1700000000"), bulk("0")]));
    assert_eq!(run(&mut e, c, &["clock.advance", "1500"]), Reply::Int(1_700_000_001_500));
    assert_eq!(run(&mut e, c, &["clock.advance", "10s"]), Reply::Int(1_700_000_011_500));
    assert_eq!(run(&mut e, c, &["time"]), Reply::Array(vec![bulk("1700000011"), bulk("500000")]));
    assert!(run(&mut e, c, &["clock.advance", "soon"]).is_error());
    assert_eq!(run(&mut e, c, &["clock.set", "x"]), err("ERR value is not an integer or out of range"));
    assert_eq!(run(&mut e, c, &["clock.resume"]), Reply::ok());
    match run(&mut e, c, &["clock.get"]) {
        Reply::Array(v) => {
            assert_eq!(v[1], bulk("running"));
            assert!(matches!(v[0], Reply::Int(t) if t >= 1_700_000_011_500 && t < 1_700_000_020_000));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn active_expiry_follows_the_clock() {
    let mut e = Engine::new();
    let c = e.open_client();
    e.clock.freeze();
    let now = e.clock.now_ms();
    e.state.dbs[0].set(b"k", redis_playground::value::Value::str("v"), false);
    e.state.dbs[0].set_expire(b"k", Some(now + 10_000));
    assert_eq!(run(&mut e, c, &["clock.advance", "9999"]), Reply::Int(now + 9_999));
    assert_eq!(run(&mut e, c, &["dbsize"]), Reply::Int(1));
    run(&mut e, c, &["clock.advance", "1"]);
    assert_eq!(e.state.dbs[0].len(), 0, "removed as soon as the clock reaches the expiry time");
    assert_eq!(e.stats.expired_keys, 1);
}

#[test]
fn info_sections() {
    let mut e = Engine::new();
    let c = e.open_client();
    e.clock.freeze();
    let now = e.clock.now_ms();
    e.state.dbs[0].set(b"a", redis_playground::value::Value::str("1"), false);
    e.state.dbs[0].set(b"b", redis_playground::value::Value::str("1"), false);
    e.state.dbs[0].set_expire(b"a", Some(now + 100_000));
    e.state.dbs[3].set(b"c", redis_playground::value::Value::str("1"), false);
    assert_eq!(
        run(&mut e, c, &["info", "keyspace"]),
        bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=100000\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n")
    );
    assert_eq!(run(&mut e, c, &["info", "foo"]), bulk(""));
    let Reply::Bulk(all) = run(&mut e, c, &["info"]) else { panic!() };
    let all = String::from_utf8(all).unwrap();
    assert!(all.starts_with("# Server\r\nredis_version:7.0.15\r\n"));
    assert!(all.contains("\r\n\r\n# Keyspace\r\n"));
}
