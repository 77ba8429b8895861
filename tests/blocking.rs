//! Blocking pops with several clients: served by another client's write (longest waiter first),
//! timing out on the virtual clock, never blocking inside MULTI, and queued commands behind a
//! blocked one. Replies are those of a real Redis 7.0 with real connections.

use redis_playground::{Engine, Reply};

fn run(e: &mut Engine, c: u64, line: &str) -> Reply {
    e.execute_line(c, line).unwrap_or(Reply::Nil)
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn kv(k: &str, v: &str) -> Reply {
    Reply::Array(vec![bulk(k), bulk(v)])
}

fn setup() -> (Engine, u64, u64) {
    let mut e = Engine::new();
    e.clock.freeze();
    let a = e.open_client();
    let b = e.open_client();
    (e, a, b)
}

#[test]
fn blpop_is_served_by_another_clients_push() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLPOP q1 q2 0"), Reply::Blocked);
    assert!(e.take_deliveries().is_empty());
    assert_eq!(run(&mut e, b, "RPUSH q2 job1 job2"), Reply::Int(2));
    assert_eq!(e.take_deliveries(), vec![(a, kv("q2", "job1"))]);
    assert_eq!(run(&mut e, b, "LRANGE q2 0 -1"), Reply::Array(vec![bulk("job2")]));
    // Not blocked any more: a normal reply.
    assert_eq!(run(&mut e, a, "BRPOP q2 0"), kv("q2", "job2"));
    assert_eq!(run(&mut e, a, "EXISTS q2"), Reply::Int(0));
}

#[test]
fn longest_waiting_client_first() {
    let (mut e, a, b) = setup();
    let c = e.open_client();
    assert_eq!(run(&mut e, a, "BLPOP q 0"), Reply::Blocked);
    assert_eq!(run(&mut e, b, "BLPOP q 0"), Reply::Blocked);
    assert_eq!(run(&mut e, c, "RPUSH q x"), Reply::Int(1));
    assert_eq!(e.take_deliveries(), vec![(a, kv("q", "x"))]);
    // The push was consumed by the waiter: the list is gone.
    assert_eq!(run(&mut e, c, "EXISTS q"), Reply::Int(0));
    assert_eq!(run(&mut e, c, "RPUSH q y z"), Reply::Int(2));
    assert_eq!(e.take_deliveries(), vec![(b, kv("q", "y"))]);
    assert_eq!(run(&mut e, c, "LLEN q"), Reply::Int(1));
}

#[test]
fn timeouts_follow_the_virtual_clock() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLPOP q 1.5"), Reply::Blocked);
    e.clock.advance_us(1_499_000);
    e.tick();
    assert!(e.take_deliveries().is_empty());
    e.clock.advance_us(1_000);
    e.tick();
    assert_eq!(e.take_deliveries(), vec![(a, Reply::NilArray)]);
    // Timeout 0 waits forever.
    assert_eq!(run(&mut e, a, "BRPOPLPUSH src dst 0"), Reply::Blocked);
    e.clock.advance_us(86_400_000_000);
    e.tick();
    assert!(e.take_deliveries().is_empty());
    assert_eq!(e.next_deadline_ms(), None);
    run(&mut e, b, "LPUSH src v");
    assert_eq!(e.take_deliveries(), vec![(a, bulk("v"))]);
    assert_eq!(run(&mut e, b, "LRANGE dst 0 -1"), Reply::Array(vec![bulk("v")]));
    // BRPOPLPUSH and BLMOVE time out with a nil array too, as Redis 7.0 replies in RESP2.
    assert_eq!(run(&mut e, a, "BLMOVE none dst LEFT RIGHT 0.1"), Reply::Blocked);
    assert_eq!(e.next_deadline_ms(), Some(e.clock.now_ms() + 100));
    run(&mut e, b, "CLOCK.ADVANCE 100");
    assert_eq!(e.take_deliveries(), vec![(a, Reply::NilArray)]);
}

#[test]
fn inside_multi_they_do_not_block() {
    let (mut e, a, _) = setup();
    run(&mut e, a, "MULTI");
    for cmd in ["BLPOP k 0", "BRPOPLPUSH k d 0", "BLMOVE k d LEFT LEFT 0", "BLMPOP 0 1 k LEFT"] {
        assert_eq!(run(&mut e, a, cmd), Reply::Status("QUEUED".into()));
    }
    assert_eq!(
        run(&mut e, a, "EXEC"),
        Reply::Array(vec![Reply::NilArray, Reply::Nil, Reply::Nil, Reply::NilArray])
    );
}

#[test]
fn errors_come_at_once() {
    let (mut e, a, _) = setup();
    run(&mut e, a, "SET s x");
    let wrongtype = Reply::err("WRONGTYPE Operation against a key holding the wrong kind of value");
    assert_eq!(run(&mut e, a, "BLPOP nokey s 0"), wrongtype);
    assert_eq!(run(&mut e, a, "BRPOPLPUSH s d 0"), wrongtype);
    run(&mut e, a, "RPUSH l v");
    assert_eq!(run(&mut e, a, "BRPOPLPUSH l s 0"), wrongtype);
    assert_eq!(run(&mut e, a, "BLPOP k -1"), Reply::err("ERR timeout is negative"));
    assert_eq!(run(&mut e, a, "BLPOP k abc"), Reply::err("ERR timeout is not a float or out of range"));
    assert_eq!(run(&mut e, a, "BLMPOP 0 1 k foo"), Reply::err("ERR syntax error"));
    assert_eq!(run(&mut e, a, "BLMPOP -1 1 k left"), Reply::err("ERR timeout is negative"));
    assert_eq!(run(&mut e, a, "BLMPOP 0 0 k left"), Reply::err("ERR numkeys should be greater than 0"));
    assert_eq!(run(&mut e, a, "BLMOVE l d up left 0"), Reply::err("ERR syntax error"));
}

#[test]
fn commands_sent_while_blocked_wait_their_turn() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLPOP q 0"), Reply::Blocked);
    assert_eq!(run(&mut e, a, "PING"), Reply::Blocked, "queued behind the blocked command");
    assert_eq!(run(&mut e, a, "LLEN q"), Reply::Blocked);
    run(&mut e, b, "RPUSH q 1 2");
    assert_eq!(
        e.take_deliveries(),
        vec![(a, kv("q", "1")), (a, Reply::Status("PONG".into())), (a, Reply::Int(1))]
    );
}

#[test]
fn a_served_move_can_serve_the_next_waiter() {
    let (mut e, a, b) = setup();
    let c = e.open_client();
    assert_eq!(run(&mut e, a, "BRPOPLPUSH src mid 0"), Reply::Blocked);
    assert_eq!(run(&mut e, b, "BLPOP mid 0"), Reply::Blocked);
    run(&mut e, c, "RPUSH src job");
    assert_eq!(e.take_deliveries(), vec![(a, bulk("job")), (b, kv("mid", "job"))]);
    assert_eq!(run(&mut e, c, "DBSIZE"), Reply::Int(0));
}

#[test]
fn blmpop_serves_a_count() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLMPOP 0 2 x y RIGHT COUNT 2"), Reply::Blocked);
    run(&mut e, b, "RPUSH y 1 2 3");
    assert_eq!(
        e.take_deliveries(),
        vec![(a, Reply::Array(vec![bulk("y"), Reply::Array(vec![bulk("3"), bulk("2")])]))]
    );
}

#[test]
fn a_key_of_another_type_keeps_the_client_waiting() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLPOP k 0"), Reply::Blocked);
    run(&mut e, b, "SET k str");
    assert!(e.take_deliveries().is_empty());
    run(&mut e, b, "DEL k");
    run(&mut e, b, "LPUSH k v");
    assert_eq!(e.take_deliveries(), vec![(a, kv("k", "v"))]);
}

#[test]
fn client_unblock_and_client_list() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BLPOP k 0"), Reply::Blocked);
    let Reply::Bulk(list) = run(&mut e, b, "CLIENT LIST") else { panic!() };
    let list = String::from_utf8(list).unwrap();
    assert!(list.lines().next().unwrap().contains(" flags=b "), "{list}");
    assert_eq!(run(&mut e, b, &format!("CLIENT UNBLOCK {a}")), Reply::Int(1));
    assert_eq!(e.take_deliveries(), vec![(a, Reply::NilArray)]);
    assert_eq!(run(&mut e, b, &format!("CLIENT UNBLOCK {a}")), Reply::Int(0));
    assert_eq!(run(&mut e, a, "BLPOP k 0"), Reply::Blocked);
    assert_eq!(run(&mut e, b, &format!("CLIENT UNBLOCK {a} ERROR")), Reply::Int(1));
    assert_eq!(
        e.take_deliveries(),
        vec![(a, Reply::err("UNBLOCKED client unblocked via CLIENT UNBLOCK"))]
    );
    // A closed client leaves no trace in the waiting lists.
    assert_eq!(run(&mut e, a, "BLPOP k 0"), Reply::Blocked);
    e.close_client(a);
    run(&mut e, b, "RPUSH k v");
    assert!(e.take_deliveries().is_empty());
    assert_eq!(run(&mut e, b, "LLEN k"), Reply::Int(1));
}

#[test]
fn sorted_set_pops_block_too() {
    let (mut e, a, b) = setup();
    assert_eq!(run(&mut e, a, "BZPOPMIN z1 z2 0"), Reply::Blocked);
    assert_eq!(run(&mut e, b, "ZADD z2 5 five 1 one"), Reply::Int(2));
    assert_eq!(
        e.take_deliveries(),
        vec![(a, Reply::Array(vec![bulk("z2"), bulk("one"), Reply::Double(1.0)]))]
    );
    assert_eq!(
        run(&mut e, a, "BZPOPMAX z2 0"),
        Reply::Array(vec![bulk("z2"), bulk("five"), Reply::Double(5.0)])
    );
    assert_eq!(run(&mut e, a, "BZMPOP 0 1 z3 MAX COUNT 2"), Reply::Blocked);
    run(&mut e, b, "ZADD z3 1 a 2 b 3 c");
    let pair = |m: &str, s: f64| Reply::Array(vec![bulk(m), Reply::Double(s)]);
    assert_eq!(
        e.take_deliveries(),
        vec![(a, Reply::Array(vec![bulk("z3"), Reply::Array(vec![pair("c", 3.0), pair("b", 2.0)])]))]
    );
    run(&mut e, a, "MULTI");
    run(&mut e, a, "BZPOPMIN empty 0");
    run(&mut e, a, "BZMPOP 0 1 empty MIN");
    assert_eq!(run(&mut e, a, "EXEC"), Reply::Array(vec![Reply::NilArray, Reply::NilArray]));
    assert_eq!(run(&mut e, a, "BZPOPMIN z 0.1"), Reply::Blocked);
    run(&mut e, b, "CLOCK.ADVANCE 100");
    assert_eq!(e.take_deliveries(), vec![(a, Reply::NilArray)]);
}
