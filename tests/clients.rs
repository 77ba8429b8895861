//! Several clients at once: transactions, WATCH, pub/sub and the connection commands, with
//! Redis 7.0's exact replies (taken from a real server with several real connections).

use redis_playground::{Engine, Reply};

fn run(e: &mut Engine, c: u64, line: &str) -> Reply {
    e.execute_line(c, line).unwrap_or(Reply::Nil)
}

fn err(s: &str) -> Reply {
    Reply::Error(s.into())
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn push(items: &[&str]) -> Reply {
    Reply::Push(items.iter().map(|s| bulk(s)).collect())
}

fn queued() -> Reply {
    Reply::Status("QUEUED".into())
}

#[test]
fn multi_exec_discard_errors() {
    let mut e = Engine::new();
    let a = e.open_client();
    assert_eq!(run(&mut e, a, "EXEC"), err("ERR EXEC without MULTI"));
    assert_eq!(run(&mut e, a, "DISCARD"), err("ERR DISCARD without MULTI"));
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "MULTI"), err("ERR MULTI calls can not be nested"));
    assert_eq!(run(&mut e, a, "WATCH x"), err("ERR WATCH inside MULTI is not allowed"));
    assert_eq!(run(&mut e, a, "HSET h f 1"), queued());
    assert_eq!(run(&mut e, a, "foo"), err("ERR unknown command 'foo', with args beginning with: "));
    assert_eq!(run(&mut e, a, "HGET"), err("ERR wrong number of arguments for 'hget' command"));
    assert_eq!(run(&mut e, a, "EXEC"), err("EXECABORT Transaction discarded because of previous errors."));
    assert_eq!(run(&mut e, a, "EXISTS h"), Reply::Int(0), "nothing of an aborted transaction runs");
    // EXEC with the wrong arity is refused with EXECABORT and discards the transaction.
    assert_eq!(run(&mut e, a, "EXEC x"), err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "EXEC x"), err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
    assert_eq!(run(&mut e, a, "EXEC"), err("ERR EXEC without MULTI"));
    // A queuing error then DISCARD: nothing left over.
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "HSET h"), err("ERR wrong number of arguments for 'hset' command"));
    assert_eq!(run(&mut e, a, "DISCARD"), Reply::ok());
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
}

#[test]
fn runtime_errors_are_entries_and_the_rest_runs() {
    let mut e = Engine::new();
    let a = e.open_client();
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "HSET h f x"), queued());
    assert_eq!(run(&mut e, a, "HINCRBY h f 1"), queued());
    assert_eq!(run(&mut e, a, "SELECT 100"), queued());
    assert_eq!(run(&mut e, a, "HGET h f"), queued());
    assert_eq!(
        run(&mut e, a, "EXEC"),
        Reply::Array(vec![
            Reply::Int(1),
            err("ERR hash value is not an integer"),
            err("ERR DB index is out of range"),
            bulk("x"),
        ])
    );
    // UNWATCH inside MULTI is queued like any command.
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "UNWATCH"), queued());
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![Reply::ok()]));
}

#[test]
fn watch_conflicts() {
    let mut e = Engine::new();
    let a = e.open_client();
    let b = e.open_client();
    // Another client's write aborts the transaction.
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "HSET k f 1");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "HGET k f");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
    // EXEC forgot the watch: the next transaction succeeds.
    run(&mut e, a, "MULTI");
    run(&mut e, a, "HGET k f");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![bulk("1")]));
    // FLUSHALL touches a watched key that exists...
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "FLUSHALL");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
    // ...but not one that does not.
    run(&mut e, a, "WATCH nokey");
    run(&mut e, b, "FLUSHALL");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
    // Deleting a missing key changes nothing.
    run(&mut e, a, "WATCH nokey");
    run(&mut e, b, "DEL nokey");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
    // A write in another database does not touch the watched key.
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "SELECT 1");
    run(&mut e, b, "HSET k f 2");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
    // UNWATCH and DISCARD forget watches.
    run(&mut e, b, "SELECT 0");
    run(&mut e, a, "WATCH k");
    run(&mut e, a, "UNWATCH");
    run(&mut e, b, "HSET k f 3");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
    run(&mut e, a, "WATCH k");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "DISCARD");
    run(&mut e, b, "HSET k f 4");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
    // The client's own write after WATCH aborts its transaction too.
    run(&mut e, a, "WATCH k");
    run(&mut e, a, "HSET k f 5");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
    // SWAPDB touches watched keys that exist in either database.
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "SWAPDB 0 9");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
}

#[test]
fn watched_key_expiring_on_the_virtual_clock_aborts() {
    let mut e = Engine::new();
    let a = e.open_client();
    e.clock.freeze();
    run(&mut e, a, "HSET k f 1");
    run(&mut e, a, "PEXPIRE k 1000");
    run(&mut e, a, "WATCH k");
    e.clock.advance_us(999_000);
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]), "not yet expired");
    run(&mut e, a, "WATCH k");
    e.clock.advance_us(2_000);
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
    // A key that was already gone when watched does not abort.
    run(&mut e, a, "HSET j f 1");
    run(&mut e, a, "PEXPIRE j 10");
    e.clock.advance_us(20_000);
    run(&mut e, a, "WATCH j");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![]));
}

#[test]
fn pubsub_channels_patterns_and_the_subscribed_rule() {
    let mut e = Engine::new();
    let a = e.open_client();
    let b = e.open_client();
    let sub = |ch: &str, n: i64| Reply::Push(vec![bulk("subscribe"), bulk(ch), Reply::Int(n)]);
    assert_eq!(run(&mut e, a, "SUBSCRIBE c1 c2"), Reply::Multi(vec![sub("c1", 1), sub("c2", 2)]));
    assert_eq!(
        run(&mut e, a, "HGET x y"),
        err("ERR Can't execute 'hget': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
    );
    assert_eq!(run(&mut e, a, "PING"), Reply::Array(vec![bulk("pong"), bulk("")]));
    assert_eq!(run(&mut e, a, "PING hi"), Reply::Array(vec![bulk("pong"), bulk("hi")]));
    assert_eq!(run(&mut e, b, "PUBLISH c1 msg"), Reply::Int(1));
    assert_eq!(e.take_deliveries(), vec![(a, push(&["message", "c1", "msg"]))]);
    assert_eq!(
        run(&mut e, a, "PSUBSCRIBE c*"),
        Reply::Multi(vec![Reply::Push(vec![bulk("psubscribe"), bulk("c*"), Reply::Int(3)])])
    );
    // Subscribed to the channel and a matching pattern: both messages, channel first.
    assert_eq!(run(&mut e, b, "PUBLISH c1 m2"), Reply::Int(2));
    assert_eq!(
        e.take_deliveries(),
        vec![(a, push(&["message", "c1", "m2"])), (a, push(&["pmessage", "c*", "c1", "m2"]))]
    );
    assert_eq!(run(&mut e, b, "PUBLISH nobody x"), Reply::Int(0));
    assert_eq!(run(&mut e, b, "PUBSUB NUMPAT"), Reply::Int(1));
    assert_eq!(run(&mut e, b, "PUBSUB NUMSUB c1 nope"), Reply::Array(vec![bulk("c1"), Reply::Int(1), bulk("nope"), Reply::Int(0)]));
    assert_eq!(run(&mut e, b, "PUBSUB CHANNELS c1*"), Reply::Array(vec![bulk("c1")]));
    let unsub = |ch: &str, n: i64| Reply::Push(vec![bulk("unsubscribe"), bulk(ch), Reply::Int(n)]);
    assert_eq!(run(&mut e, a, "UNSUBSCRIBE nope"), Reply::Multi(vec![unsub("nope", 3)]));
    assert_eq!(run(&mut e, a, "UNSUBSCRIBE"), Reply::Multi(vec![unsub("c1", 2), unsub("c2", 1)]));
    assert_eq!(
        run(&mut e, a, "PUNSUBSCRIBE"),
        Reply::Multi(vec![Reply::Push(vec![bulk("punsubscribe"), bulk("c*"), Reply::Int(0)])])
    );
    assert_eq!(run(&mut e, a, "PING"), Reply::Status("PONG".into()));
    assert_eq!(
        run(&mut e, a, "UNSUBSCRIBE"),
        Reply::Multi(vec![Reply::Push(vec![bulk("unsubscribe"), Reply::Nil, Reply::Int(0)])])
    );
    // Subscribing twice to one channel counts once.
    let r = run(&mut e, a, "SUBSCRIBE x x");
    assert_eq!(r, Reply::Multi(vec![sub("x", 1), sub("x", 1)]));
    // MULTI is refused while subscribed, and a refused EXEC says EXECABORT.
    assert!(matches!(run(&mut e, a, "MULTI"), Reply::Error(_)));
    assert_eq!(
        run(&mut e, a, "EXEC"),
        err("EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
    );
    // RESET leaves subscribed mode.
    assert_eq!(run(&mut e, a, "RESET"), Reply::Status("RESET".into()));
    assert_eq!(run(&mut e, b, "PUBLISH x hi"), Reply::Int(0));
}

#[test]
fn subscribe_inside_exec_adds_its_confirmation() {
    let mut e = Engine::new();
    let a = e.open_client();
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "SUBSCRIBE x"), queued());
    assert_eq!(
        run(&mut e, a, "EXEC"),
        Reply::Array(vec![Reply::Push(vec![bulk("subscribe"), bulk("x"), Reply::Int(1)])])
    );
}

#[test]
fn keyspace_notifications() {
    let mut e = Engine::new();
    let a = e.open_client();
    let s = e.open_client();
    run(&mut e, s, "PSUBSCRIBE __key*__:*");
    // Off by default.
    run(&mut e, a, "HSET h f v");
    assert!(e.take_deliveries().is_empty());
    assert_eq!(run(&mut e, a, "CONFIG SET notify-keyspace-events KEA"), Reply::ok());
    run(&mut e, a, "HSET h f w");
    assert_eq!(
        e.take_deliveries(),
        vec![
            (s, push(&["pmessage", "__key*__:*", "__keyspace@0__:h", "hset"])),
            (s, push(&["pmessage", "__key*__:*", "__keyevent@0__:hset", "h"])),
        ]
    );
    // Expiry on the virtual clock notifies `expired`.
    e.clock.freeze();
    run(&mut e, a, "EXPIRE h 10");
    e.take_deliveries();
    e.clock.advance_us(10_000_000);
    e.tick();
    assert_eq!(
        e.take_deliveries(),
        vec![
            (s, push(&["pmessage", "__key*__:*", "__keyspace@0__:h", "expired"])),
            (s, push(&["pmessage", "__key*__:*", "__keyevent@0__:expired", "h"])),
        ]
    );
    // Only the classes asked for.
    run(&mut e, a, "CONFIG SET notify-keyspace-events Eh");
    run(&mut e, a, "HSET h2 f v");
    run(&mut e, a, "DEL h2");
    assert_eq!(e.take_deliveries(), vec![(s, push(&["pmessage", "__key*__:*", "__keyevent@0__:hset", "h2"]))]);
}

#[test]
fn client_commands() {
    let mut e = Engine::new();
    let a = e.open_client();
    let b = e.open_client();
    assert_eq!(run(&mut e, a, "CLIENT ID"), Reply::Int(a as i64));
    assert_eq!(run(&mut e, a, "CLIENT GETNAME"), Reply::Nil);
    assert_eq!(
        run(&mut e, a, "CLIENT SETNAME \"a b\""),
        err("ERR Client names cannot contain spaces, newlines or special characters.")
    );
    assert_eq!(run(&mut e, a, "CLIENT SETNAME alice"), Reply::ok());
    assert_eq!(run(&mut e, a, "CLIENT GETNAME"), bulk("alice"));
    assert_eq!(run(&mut e, a, "CLIENT SETNAME \"\""), Reply::ok());
    assert_eq!(run(&mut e, a, "CLIENT GETNAME"), Reply::Nil);
    run(&mut e, a, "CLIENT SETNAME alice");
    run(&mut e, b, "SUBSCRIBE news");
    let Reply::Bulk(list) = run(&mut e, a, "CLIENT LIST") else { panic!() };
    let list = String::from_utf8(list).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!("id={a} addr=local:{a} ")), "{}", lines[0]);
    assert!(lines[0].contains(" name=alice ") && lines[0].contains(" flags=N db=0 sub=0 psub=0 "));
    assert!(lines[0].contains(" multi=-1 ") && lines[0].contains(" cmd=client|list "));
    assert!(lines[1].contains(" flags=P ") && lines[1].contains(" sub=1 ") && lines[1].contains(" cmd=subscribe "));
    assert!(list.ends_with(" resp=2\n"));
    let Reply::Bulk(pubsub) = run(&mut e, a, "CLIENT LIST TYPE pubsub") else { panic!() };
    assert!(String::from_utf8(pubsub).unwrap().starts_with(&format!("id={b} ")));
    assert_eq!(run(&mut e, a, "CLIENT LIST TYPE xx"), err("ERR Unknown client type 'xx'"));
    assert_eq!(run(&mut e, a, "CLIENT KILL ID abc"), err("ERR client-id should be greater than 0"));
    assert_eq!(run(&mut e, a, "CLIENT KILL 1.2.3.4:5"), err("ERR No such client"));
    assert_eq!(run(&mut e, a, "CLIENT KILL foo bar"), err("ERR syntax error"));
    assert_eq!(run(&mut e, a, "CLIENT KILL ID 99999"), Reply::Int(0));
    assert_eq!(run(&mut e, a, "CLIENT KILL TYPE pubsub"), Reply::Int(1));
    assert_eq!(e.take_closed(), vec![b]);
    assert!(e.client(b).is_none());
    assert_eq!(run(&mut e, a, "PUBSUB NUMSUB news"), Reply::Array(vec![bulk("news"), Reply::Int(0)]));
    let Reply::Array(help) = run(&mut e, a, "CLIENT HELP") else { panic!() };
    assert_eq!(help.len(), 48);
}

#[test]
fn hello_reset_quit() {
    let mut e = Engine::new();
    let a = e.open_client();
    let Reply::Map(fields) = run(&mut e, a, "HELLO 2 SETNAME zz") else { panic!() };
    assert_eq!(fields[2], (bulk("proto"), Reply::Int(2)));
    assert_eq!(fields[3], (bulk("id"), Reply::Int(a as i64)));
    assert_eq!(run(&mut e, a, "CLIENT GETNAME"), bulk("zz"));
    assert_eq!(run(&mut e, a, "HELLO abc"), err("ERR Protocol version is not an integer or out of range"));
    assert_eq!(run(&mut e, a, "HELLO 4"), err("NOPROTO unsupported protocol version"));
    assert_eq!(run(&mut e, a, "HELLO 2 foo"), err("ERR Syntax error in HELLO option 'foo'"));
    assert_eq!(run(&mut e, a, "HELLO 2 AUTH a b"), err("WRONGPASS invalid username-password pair or user is disabled."));
    run(&mut e, a, "SELECT 2");
    run(&mut e, a, "MULTI");
    assert_eq!(run(&mut e, a, "RESET"), Reply::Status("RESET".into()));
    assert_eq!(run(&mut e, a, "EXEC"), err("ERR EXEC without MULTI"));
    assert_eq!(run(&mut e, a, "CLIENT GETNAME"), Reply::Nil);
    let Reply::Bulk(info) = run(&mut e, a, "CLIENT INFO") else { panic!() };
    assert!(String::from_utf8(info).unwrap().contains(" db=0 "));
    assert_eq!(run(&mut e, a, "QUIT"), Reply::ok());
    assert_eq!(e.take_closed(), vec![a]);
}

/// CLIENT LIST's flags in Redis's order and with Redis's meaning: inside EXEC the client is still
/// in its transaction (`x`, `multi=` the number queued); `d` once a watched key changed, after
/// which nothing more is queued (`multi=0`: the transaction can no longer run).
#[test]
fn client_flags_inside_exec_and_after_a_watched_key_changed() {
    let mut e = Engine::new();
    let a = e.open_client();
    let b = e.open_client();
    let field = |r: &Reply, name: &str| -> String {
        let Reply::Bulk(text) = r else { panic!("CLIENT INFO answered {r:?}") };
        let text = String::from_utf8_lossy(text).into_owned();
        let prefix = format!("{name}=");
        text.split(' ').find_map(|p| p.strip_prefix(&prefix).map(str::to_string)).unwrap_or_default()
    };
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "CLIENT INFO"), queued());
    assert_eq!(run(&mut e, a, "PING"), queued());
    let Reply::Array(replies) = run(&mut e, a, "EXEC") else { panic!("EXEC") };
    assert_eq!(field(&replies[0], "flags"), "x");
    assert_eq!(field(&replies[0], "multi"), "2");
    assert_eq!(field(&replies[0], "cmd"), "exec");
    assert_eq!(field(&run(&mut e, a, "CLIENT INFO"), "flags"), "N", "after EXEC: no longer in MULTI");
    assert_eq!(run(&mut e, a, "WATCH k"), Reply::ok());
    assert_eq!(field(&run(&mut e, a, "CLIENT INFO"), "flags"), "N");
    assert_eq!(run(&mut e, b, "SET k 1"), Reply::ok());
    assert_eq!(field(&run(&mut e, a, "CLIENT INFO"), "flags"), "d");
    assert_eq!(run(&mut e, a, "MULTI"), Reply::ok());
    assert_eq!(run(&mut e, a, "GET k"), queued());
    let Reply::Bulk(list) = run(&mut e, b, "CLIENT LIST") else { panic!("CLIENT LIST") };
    let list = String::from_utf8_lossy(&list).into_owned();
    assert!(list.lines().next().is_some_and(|l| l.contains(" flags=xd ") && l.contains(" multi=0 ")), "{list}");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::NilArray);
    assert_eq!(field(&run(&mut e, a, "CLIENT INFO"), "flags"), "N", "EXEC forgets the watches");
}
