//! Browser tests of the persistence, time-travel and export bindings: `saveState`/`loadState`
//! (bytes through a real `Uint8Array`), `snapshot`/`restore`/`dropSnapshot`, and
//! `exportScript`/`importScript`.
//! Run with `wasm-pack test --headless --chrome tests/browser` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array};
use redis_playground::wasm::Playground;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn field(obj: &JsValue, name: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn line(p: &mut Playground, c: u32, text: &str) -> String {
    p.exec_line(c, text)
}

/// A playground with a frozen clock and a few keys of each type, one with a TTL, in two databases.
fn filled() -> (Playground, u32) {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    p.freeze();
    assert!(p.set_time(1_767_225_600_000.0));
    for cmd in [
        "SET greeting \"h\u{e9}llo\\x00\"",
        "SET session abc EX 60",
        "RPUSH queue a b c",
        "HSET user name Ada lang Rust",
        "SADD tags x y 1",
        "ZADD board 1.5 ada -inf bob",
        "CONFIG SET notify-keyspace-events KEA",
        "SELECT 5",
        "SET other db",
        "SELECT 0",
    ] {
        let out = line(&mut p, c, cmd);
        assert!(!out.starts_with("(error)"), "{cmd}: {out}");
    }
    (p, c)
}

/// What the engine holds, as redis-cli text: enough to tell two keyspaces apart.
fn describe(p: &mut Playground, c: u32) -> Vec<String> {
    [
        "GET greeting",
        "PTTL session",
        "LRANGE queue 0 -1",
        "HGETALL user",
        "SMEMBERS tags",
        "ZRANGE board 0 -1 WITHSCORES",
        "CONFIG GET notify-keyspace-events",
        "CLOCK.GET",
        "DBSIZE",
        "SELECT 5",
        "GET other",
        "SELECT 0",
    ]
    .iter()
    .map(|cmd| line(p, c, cmd))
    .collect()
}

#[wasm_bindgen_test]
fn a_saved_state_crosses_as_a_uint8array_and_loads_back() {
    let (mut p, c) = filled();
    let before = describe(&mut p, c);
    let bytes = p.save_state();
    // Through JavaScript and back, as the page stores it.
    let js = Uint8Array::from(&bytes[..]);
    assert_eq!(js.length() as usize, bytes.len());
    let back = js.to_vec();

    let mut q = Playground::new();
    let d = q.open_client("main".into());
    let r = q.load_state(&back);
    assert_eq!(field(&r, "ok"), JsValue::TRUE);
    assert!(field(&r, "error").is_undefined());
    assert!(q.is_frozen());
    assert_eq!(describe(&mut q, d), before);
}

#[wasm_bindgen_test]
fn damaged_data_is_an_error_object_and_changes_nothing() {
    let (mut p, c) = filled();
    let before = describe(&mut p, c);
    let good = p.save_state();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "the saved state is truncated: 0 bytes where 24 were expected"),
        (b"definitely not a saved state".to_vec(), "the saved data is not a redis-playground state"),
        (good[..good.len() / 2].to_vec(), "the saved state is truncated: "),
        (flipped, "the saved state is corrupted: its checksum is "),
    ];
    for (data, message) in cases {
        let r = p.load_state(&data);
        let text = field(&r, "error").as_string().unwrap_or_default();
        assert!(text.starts_with(message), "{text:?} for {} bytes", data.len());
        assert!(field(&r, "ok").is_undefined());
        assert_eq!(describe(&mut p, c), before);
    }
}

#[wasm_bindgen_test]
fn snapshots_are_ids_that_restore_the_keyspace_and_clock() {
    let (mut p, c) = filled();
    let before = describe(&mut p, c);
    let id = p.snapshot();
    assert_eq!(line(&mut p, c, "FLUSHALL"), "OK");
    assert!(p.advance(30_000.0));
    assert_eq!(line(&mut p, c, "SET late 1"), "OK");
    let later = p.snapshot();
    assert_ne!(id, later);
    assert!(p.restore(id));
    assert_eq!(describe(&mut p, c), before);
    assert_eq!(p.now(), 1_767_225_600_000.0);
    // Forward again, then back again: a snapshot can be restored many times.
    assert!(p.restore(later));
    assert_eq!(line(&mut p, c, "GET late"), "\"1\"");
    assert_eq!(p.now(), 1_767_225_630_000.0);
    assert!(p.restore(id));
    assert_eq!(describe(&mut p, c), before);
    // Dropped and unknown ids.
    assert!(p.drop_snapshot(id));
    assert!(!p.drop_snapshot(id));
    assert!(!p.restore(id));
    assert!(!p.restore(123_456_789));
    assert!(p.restore(later));
    assert!(p.drop_snapshot(later));
    // Ids are not reused.
    assert!(p.snapshot() > later);
}

#[wasm_bindgen_test]
fn a_restore_fails_a_watching_transaction_and_serves_a_blocked_client() {
    let (mut p, c) = filled();
    let w = p.open_client("worker".into());
    let id = p.snapshot();
    assert_eq!(line(&mut p, c, "DEL queue"), "(integer) 1");
    assert_eq!(line(&mut p, c, "WATCH greeting"), "OK");
    assert_eq!(line(&mut p, c, "MULTI"), "OK");
    assert_eq!(line(&mut p, c, "GET greeting"), "QUEUED");
    let r = p.exec(w, ["BLPOP", "queue", "0"].iter().map(|s| JsValue::from_str(s)).collect::<Array>().into());
    assert_eq!(field(&r, "blocked"), JsValue::TRUE);
    assert!(p.restore(id));
    // The worker got the head of the restored queue.
    let deliveries = Array::from(&p.take_deliveries());
    assert_eq!(deliveries.length(), 1);
    let d = deliveries.get(0);
    assert_eq!(field(&d, "client").as_f64(), Some(f64::from(w)));
    let reply = Array::from(&field(&d, "reply"));
    assert_eq!(reply.get(1).as_string().as_deref(), Some("a"));
    // The watcher's transaction is aborted.
    assert_eq!(line(&mut p, c, "EXEC"), "(nil)");
}

#[wasm_bindgen_test]
fn an_exported_script_imports_into_another_playground() {
    let (mut p, c) = filled();
    let script = p.export_script();
    assert!(script.contains("SELECT 5\n"), "{script}");
    assert!(script.contains("SET session abc PX 60000\n"), "{script}");

    let mut q = Playground::new();
    q.freeze();
    assert!(q.set_time(1_767_225_600_000.0));
    let r = q.import_script(&script);
    assert_eq!(field(&r, "ok"), JsValue::TRUE);
    assert_eq!(field(&r, "commands").as_f64(), Some(script.lines().count() as f64));
    assert_eq!(Array::from(&field(&r, "errors")).length(), 0);
    let d = q.open_client("main".into());
    // Everything but the config, which a script does not carry.
    let mut want = describe(&mut p, c);
    let mut got = describe(&mut q, d);
    want.remove(6);
    got.remove(6);
    assert_eq!(got, want);
}

#[wasm_bindgen_test]
fn import_errors_carry_line_numbers() {
    let mut p = Playground::new();
    let r = p.import_script("# setup\nSET a 1\n\nLPUSH a x\nSET \"open\nBLPOP nothing 0\nGET a\n");
    assert_eq!(field(&r, "ok"), JsValue::FALSE);
    assert_eq!(field(&r, "commands").as_f64(), Some(4.0));
    let errors = Array::from(&field(&r, "errors"));
    let got: Vec<(f64, String)> = errors
        .iter()
        .map(|e| (field(&e, "line").as_f64().unwrap_or(-1.0), field(&e, "error").as_string().unwrap_or_default()))
        .collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], (4.0, "WRONGTYPE Operation against a key holding the wrong kind of value".to_string()));
    assert_eq!(got[1], (5.0, "Invalid argument(s)".to_string()));
    assert_eq!(got[2].0, 6.0);
    // The import's own client is gone; the keys stay.
    let c = p.open_client("main".into());
    assert_eq!(line(&mut p, c, "GET a"), "\"1\"");
    assert_eq!(line(&mut p, c, "CLIENT LIST").lines().count(), 1);
}
