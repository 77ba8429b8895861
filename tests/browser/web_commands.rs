//! Browser tests of the JavaScript API driven by real commands: replies of every RESP2 shape as JS
//! values, redis-cli text from `execLine`, and the `CLOCK.*` commands agreeing with the clock
//! methods. Expected replies were taken from a real Redis 7.0.15 (`redis-cli --no-raw`).
//! Run with `wasm-pack test --headless --chrome tests/browser` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array};
use redis_playground::wasm::Playground;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn field(obj: &JsValue, name: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn error_text(v: &JsValue) -> Option<String> {
    if v.is_object() && !Array::is_array(v) {
        field(v, "error").as_string()
    } else {
        None
    }
}

fn exec(p: &mut Playground, c: u32, argv: &[&str]) -> JsValue {
    p.exec(c, argv.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into())
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[wasm_bindgen_test]
fn strings_cross_as_js_values() {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    assert_eq!(exec(&mut p, c, &["SET", "a", "1"]).as_string(), s("OK"));
    assert_eq!(exec(&mut p, c, &["GET", "a"]).as_string(), s("1"));
    assert_eq!(exec(&mut p, c, &["INCRBYFLOAT", "a", "0.1"]).as_string(), s("1.1"));
    assert!(exec(&mut p, c, &["GET", "nope"]).is_null());
    assert_eq!(exec(&mut p, c, &["SET", "n", "41"]).as_string(), s("OK"));
    assert_eq!(exec(&mut p, c, &["INCR", "n"]).as_f64(), Some(42.0));
    // Beyond 2^53 an integer comes back as a BigInt, exactly.
    assert_eq!(exec(&mut p, c, &["SET", "big", "9007199254740993"]).as_string(), s("OK"));
    let big = exec(&mut p, c, &["INCR", "big"]);
    assert!(big.is_bigint());
    assert_eq!(i64::try_from(big).ok(), Some(9_007_199_254_740_994));
    assert_eq!(
        error_text(&exec(&mut p, c, &["GET"])).as_deref(),
        Some("ERR wrong number of arguments for 'get' command")
    );
    assert_eq!(
        error_text(&exec(&mut p, c, &["INCR", "a"])).as_deref(),
        Some("ERR value is not an integer or out of range")
    );
}

#[wasm_bindgen_test]
fn call_is_the_same_door_as_exec() {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    let call = |p: &mut Playground, cmd: &str, args: &[&str]| {
        let a = |i: usize| args.get(i).map(|s| s.to_string());
        p.call(c, cmd.into(), a(0), a(1), a(2), a(3), a(4))
    };
    assert_eq!(call(&mut p, "SET", &["k", "v", "EX", "100"]).as_string(), s("OK"));
    assert_eq!(call(&mut p, "GET", &["k"]).as_string(), s("v"));
    assert_eq!(call(&mut p, "TTL", &["k"]).as_f64(), Some(100.0));
    assert_eq!(call(&mut p, "INCRBYFLOAT", &["f", "0.1"]).as_string(), s("0.1"));
    assert!(call(&mut p, "GET", &["missing"]).is_null());
}

#[wasm_bindgen_test]
fn binary_values_go_in_exactly_and_come_out_lossy_or_escaped() {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    let argv: Array =
        [JsValue::from_str("SET"), JsValue::from_str("b"), Uint8Array::from(&b"\xff\x00a"[..]).into()]
            .into_iter()
            .collect();
    assert_eq!(p.exec(c, argv.into()).as_string(), s("OK"));
    assert_eq!(exec(&mut p, c, &["GET", "b"]).as_string(), s("\u{fffd}\u{0}a"));
    assert_eq!(exec(&mut p, c, &["STRLEN", "b"]).as_f64(), Some(3.0));
    assert_eq!(p.exec_line(c, "GET b"), "\"\\xff\\x00a\"");
}

#[wasm_bindgen_test]
fn exec_line_prints_like_redis_cli() {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    assert_eq!(p.exec_line(c, "SET a 1"), "OK");
    assert_eq!(p.exec_line(c, "GET a"), "\"1\"");
    assert_eq!(p.exec_line(c, "INCRBYFLOAT a 0.1"), "\"1.1\"");
    assert_eq!(p.exec_line(c, "INCR n"), "(integer) 1");
    assert_eq!(p.exec_line(c, "GET nope"), "(nil)");
    assert_eq!(p.exec_line(c, "GET"), "(error) ERR wrong number of arguments for 'get' command");
    assert_eq!(p.exec_line(c, "GET \"unterminated"), "Invalid argument(s)");
    assert_eq!(p.exec_line(c, "SET x \"<img src=x onerror=alert(1)>\""), "OK");
    assert_eq!(p.exec_line(c, "GET x"), "\"<img src=x onerror=alert(1)>\"");
    // A map (RESP3) is shown as the flat array a RESP2 client receives.
    assert_eq!(p.exec_line(c, "HSET h name alice age 30"), "(integer) 2");
    assert_eq!(p.exec_line(c, "HGETALL h"), "1) \"name\"\n2) \"alice\"\n3) \"age\"\n4) \"30\"");
}

#[wasm_bindgen_test]
fn clients_have_their_own_selected_database() {
    let mut p = Playground::new();
    let a = p.open_client("a".into());
    let b = p.open_client("b".into());
    assert_eq!(exec(&mut p, a, &["SELECT", "3"]).as_string(), s("OK"));
    assert_eq!(p.client_db(a), 3);
    assert_eq!(p.client_db(b), 0);
    assert_eq!(exec(&mut p, a, &["SET", "k", "in3"]).as_string(), s("OK"));
    assert!(exec(&mut p, b, &["GET", "k"]).is_null());
    let ks = p.keyspace(3, None);
    let keys: Array = field(&ks, "keys").dyn_into().expect("keys");
    assert_eq!(field(&keys.get(0), "name").as_string(), s("k"));
    assert_eq!(field(&field(&keys.get(0), "preview"), "text").as_string(), s("in3"));
}

#[wasm_bindgen_test]
fn clock_commands_and_clock_methods_drive_the_same_clock() {
    let mut p = Playground::new();
    let c = p.open_client("main".into());
    assert_eq!(exec(&mut p, c, &["CLOCK.FREEZE"]).as_string(), s("OK"));
    assert!(p.is_frozen());
    assert_eq!(exec(&mut p, c, &["CLOCK.SET", "1000000"]).as_string(), s("OK"));
    assert_eq!(p.now(), 1_000_000.0);
    let got: Array = exec(&mut p, c, &["CLOCK.GET"]).dyn_into().expect("array");
    assert_eq!(got.get(0).as_f64(), Some(1_000_000.0));
    assert_eq!(got.get(1).as_string(), s("frozen"));
    assert_eq!(exec(&mut p, c, &["SET", "k", "v", "PX", "1500"]).as_string(), s("OK"));
    assert_eq!(exec(&mut p, c, &["CLOCK.ADVANCE", "1s"]).as_f64(), Some(1_001_000.0));
    assert_eq!(exec(&mut p, c, &["PTTL", "k"]).as_f64(), Some(500.0));
    assert!(p.advance(500.0));
    assert_eq!(field(&p.keyspace(0, None), "size").as_f64(), Some(0.0));
    assert!(exec(&mut p, c, &["GET", "k"]).is_null());
    assert_eq!(exec(&mut p, c, &["CLOCK.RESUME"]).as_string(), s("OK"));
    assert!(!p.is_frozen());
}

#[wasm_bindgen_test]
fn commands_describes_the_implemented_table() {
    let p = Playground::new();
    let list: Array = p.commands().dyn_into().expect("array");
    let find = |name: &str| list.iter().find(|c| field(c, "name").as_string().as_deref() == Some(name));
    let get = find("get").expect("get is listed");
    assert_eq!(field(&get, "arity").as_f64(), Some(2.0));
    assert_eq!(field(&get, "group").as_string(), s("string"));
    assert_eq!(field(&get, "since").as_string(), s("1.0.0"));
    assert_eq!(field(&get, "complexity").as_string(), s("O(1)"));
    assert_eq!(field(&get, "usage").as_string(), s("key"));
    let flags: Vec<String> = field(&get, "flags")
        .dyn_into::<Array>()
        .expect("flags")
        .iter()
        .filter_map(|f| f.as_string())
        .collect();
    assert_eq!(flags, ["readonly", "fast"]);
    let adv = find("clock.advance").expect("clock.advance is listed");
    assert_eq!(field(&adv, "group").as_string(), s("playground"));
    let config = find("config").expect("config is listed");
    let subs: Array = field(&config, "subcommands").dyn_into().expect("subcommands");
    assert!(subs.iter().any(|s| field(&s, "name").as_string().as_deref() == Some("config|get")));
}
