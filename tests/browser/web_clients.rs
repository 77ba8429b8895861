//! Browser tests of several clients through the JavaScript API: deliveries of pub/sub messages
//! and of a blocked client's late reply, timeouts on the virtual clock, and a large sorted set
//! built and queried through the API.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use redis_playground::wasm::Playground;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn field(obj: &JsValue, name: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn exec(p: &mut Playground, c: u32, argv: &[&str]) -> JsValue {
    p.exec(c, argv.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into())
}

fn strings(v: &JsValue) -> Vec<String> {
    Array::from(v).iter().map(|x| x.as_string().unwrap_or_default()).collect()
}

/// The deliveries as (client, reply, push).
fn deliveries(p: &mut Playground) -> Vec<(u32, JsValue, bool)> {
    Array::from(&p.take_deliveries())
        .iter()
        .map(|d| {
            (
                field(&d, "client").as_f64().unwrap_or(-1.0) as u32,
                field(&d, "reply"),
                field(&d, "push").as_bool().unwrap_or(false),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn two_clients_publish_and_subscribe() {
    let mut p = Playground::new();
    let sub = p.open_client("subscriber".into());
    let publisher = p.open_client("publisher".into());
    let confirm = exec(&mut p, sub, &["SUBSCRIBE", "news"]);
    let replies = Array::from(&field(&confirm, "replies"));
    assert_eq!(strings(&replies.get(0))[..2], ["subscribe".to_string(), "news".to_string()]);
    assert_eq!(exec(&mut p, publisher, &["PUBLISH", "news", "hello"]).as_f64(), Some(1.0));
    let d = deliveries(&mut p);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, sub);
    assert!(d[0].2, "a pushed message");
    assert_eq!(strings(&d[0].1), ["message", "news", "hello"]);
    // Nothing left over.
    assert!(deliveries(&mut p).is_empty());
}

#[wasm_bindgen_test]
fn a_blocked_pop_is_served_by_another_client() {
    let mut p = Playground::new();
    let worker = p.open_client("worker".into());
    let producer = p.open_client("producer".into());
    let blocked = exec(&mut p, worker, &["BLPOP", "jobs", "0"]);
    assert_eq!(field(&blocked, "blocked").as_bool(), Some(true));
    assert!(deliveries(&mut p).is_empty());
    assert_eq!(exec(&mut p, producer, &["RPUSH", "jobs", "job1"]).as_f64(), Some(1.0));
    let d = deliveries(&mut p);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].0, d[0].2), (worker, false));
    assert_eq!(strings(&d[0].1), ["jobs", "job1"]);
}

#[wasm_bindgen_test]
fn a_blocked_pop_times_out_when_the_clock_moves() {
    let mut p = Playground::new();
    p.freeze();
    let worker = p.open_client("worker".into());
    exec(&mut p, worker, &["BLPOP", "jobs", "10"]);
    let deadline = p.next_deadline().unwrap_or(0.0);
    assert_eq!(deadline, (p.now() + 10_000.0).floor());
    p.advance(9_999.0);
    assert!(deliveries(&mut p).is_empty());
    p.advance(1.0);
    let d = deliveries(&mut p);
    assert_eq!(d.len(), 1);
    assert!(d[0].1.is_null(), "nil on timeout");
    assert_eq!(p.next_deadline(), None);
}

#[wasm_bindgen_test]
fn a_sorted_set_of_100k_members() {
    let mut p = Playground::new();
    let c = p.open_client("c".into());
    for chunk in 0..100 {
        let argv = Array::new();
        argv.push(&JsValue::from_str("ZADD"));
        argv.push(&JsValue::from_str("board"));
        for i in chunk * 1000..(chunk + 1) * 1000 {
            argv.push(&JsValue::from_f64(i as f64));
            argv.push(&JsValue::from_str(&format!("player{i}")));
        }
        assert_eq!(p.exec(c, argv.into()).as_f64(), Some(1000.0));
    }
    assert_eq!(exec(&mut p, c, &["ZCARD", "board"]).as_f64(), Some(100_000.0));
    assert_eq!(exec(&mut p, c, &["ZRANK", "board", "player54321"]).as_f64(), Some(54_321.0));
    assert_eq!(exec(&mut p, c, &["ZREVRANK", "board", "player54321"]).as_f64(), Some(45_678.0));
    assert_eq!(
        strings(&exec(&mut p, c, &["ZREVRANGE", "board", "0", "2", "WITHSCORES"])),
        ["player99999", "99999", "player99998", "99998", "player99997", "99997"]
    );
    assert_eq!(exec(&mut p, c, &["ZINCRBY", "board", "100000", "player0"]).as_string(), Some("100000".into()));
    assert_eq!(exec(&mut p, c, &["ZREVRANK", "board", "player0"]).as_f64(), Some(0.0));
    assert_eq!(exec(&mut p, c, &["ZCOUNT", "board", "(50000", "+inf"]).as_f64(), Some(50_000.0));
    assert_eq!(exec(&mut p, c, &["OBJECT", "ENCODING", "board"]).as_string(), Some("skiplist".into()));
}

#[wasm_bindgen_test]
fn traced_execution_and_the_event_log() {
    let mut p = Playground::new();
    let c = p.open_client("c".into());
    p.record_events(true);
    let argv: JsValue = ["HSET", "user:1", "name", "Alice"].iter().map(|s| JsValue::from_str(s)).collect::<Array>().into();
    let traced = p.exec_traced(c, argv);
    assert_eq!(field(&traced, "reply").as_f64(), Some(1.0));
    assert_eq!(field(&traced, "text").as_string(), Some("(integer) 1".into()));
    let argv: JsValue = ["HGETALL", "user:1"].iter().map(|s| JsValue::from_str(s)).collect::<Array>().into();
    let traced = p.exec_traced(c, argv);
    assert_eq!(strings(&field(&traced, "reply")), ["name", "Alice"]);
    assert_eq!(field(&traced, "text").as_string(), Some("1) \"name\"\n2) \"Alice\"".into()));
    let events = Array::from(&p.take_events());
    assert_eq!(events.length(), 2, "new, then hset");
    assert_eq!(field(&events.get(0), "event").as_string(), Some("new".into()));
    assert_eq!(field(&events.get(1), "event").as_string(), Some("hset".into()));
    assert_eq!(field(&events.get(1), "key").as_string(), Some("user:1".into()));
    assert_eq!(Array::from(&p.take_events()).length(), 0);
}
