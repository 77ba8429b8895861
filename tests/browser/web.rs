//! Browser tests of the JavaScript API (`Playground`): values in and out, clients, the clock, the
//! command table, the keyspace inspector, and hostile input that must never trap the module.
//! Run with `wasm-pack test --headless --chrome tests/browser` (scripts/test.sh does).
//!
//! These tests need no command handler: they use errors the engine answers itself (unknown
//! command, empty argv, unknown client) and put values into the keyspace directly. The same API
//! driven by real commands is covered by `web_commands.rs`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array};
use redis_playground::commands;
use redis_playground::value::{Str, Value};
use redis_playground::wasm::{preview, Playground, Preview};
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

fn strings(items: &[&str]) -> JsValue {
    items.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

#[wasm_bindgen_test]
fn unknown_command_is_a_tagged_error_with_redis_text() {
    let mut p = Playground::new();
    let c = p.open_client("a".into());
    let r = p.exec(c, strings(&["FOO", "a", "b"]));
    assert_eq!(
        error_text(&r).as_deref(),
        Some("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ")
    );
    let r = p.call(c, "foo".into(), None, None, None, None, None);
    assert_eq!(error_text(&r).as_deref(), Some("ERR unknown command 'foo', with args beginning with: "));
    let r = p.call(c, "foo".into(), Some("x".into()), Some("y".into()), None, None, None);
    assert_eq!(
        error_text(&r).as_deref(),
        Some("ERR unknown command 'foo', with args beginning with: 'x' 'y' ")
    );
}

#[wasm_bindgen_test]
fn numbers_bigints_and_bytes_are_accepted_as_arguments() {
    let mut p = Playground::new();
    let c = p.open_client("a".into());
    let argv: Array = [
        JsValue::from_str("foo"),
        JsValue::from_f64(42.0),
        JsValue::from_f64(0.5),
        JsValue::from_f64(1e21),
        JsValue::from(js_sys::BigInt::from(-9_007_199_254_740_993i64)),
        Uint8Array::from(&b"hi"[..]).into(),
    ]
    .into_iter()
    .collect();
    let r = p.exec(c, argv.into());
    assert_eq!(
        error_text(&r).as_deref(),
        Some("ERR unknown command 'foo', with args beginning with: '42' '0.5' '1e+21' '-9007199254740993' 'hi' ")
    );
}

#[wasm_bindgen_test]
fn garbage_argv_is_refused_without_trapping() {
    let mut p = Playground::new();
    let c = p.open_client("a".into());
    for bad in [JsValue::from_f64(42.0), JsValue::NULL, JsValue::UNDEFINED, JsValue::from_str("GET a")] {
        assert_eq!(error_text(&p.exec(c, bad)).as_deref(), Some("ERR argv must be an array of strings"));
    }
    for (item, i) in [
        (JsValue::NULL, 1),
        (JsValue::UNDEFINED, 1),
        (js_sys::Object::new().into(), 1),
        (JsValue::from_f64(f64::NAN), 1),
        (JsValue::from_f64(f64::INFINITY), 1),
        (JsValue::TRUE, 1),
    ] {
        let argv: Array = [JsValue::from_str("GET"), item].into_iter().collect();
        assert_eq!(
            error_text(&p.exec(c, argv.into())),
            Some(format!("ERR argument {i} is not a string, a number or a Uint8Array"))
        );
    }
    // An empty argv is answered, not trapped.
    assert_eq!(error_text(&p.exec(c, Array::new().into())).as_deref(), Some("ERR empty command"));
    // A gap in call's arguments.
    let r = p.call(c, "SET".into(), Some("k".into()), None, Some("v".into()), None, None);
    assert_eq!(error_text(&r).as_deref(), Some("ERR argument 2 is missing but a later one is given"));
    let r = p.call(c, "SET".into(), None, None, None, None, Some("v".into()));
    assert_eq!(error_text(&r).as_deref(), Some("ERR argument 1 is missing but a later one is given"));
    // A huge argument and a huge number of arguments.
    let big = "x".repeat(1 << 20);
    let r = p.call(c, big.clone(), Some(big.clone()), None, None, None, None);
    let text = error_text(&r).unwrap_or_default();
    assert!(text.starts_with("ERR unknown command 'xxx"), "{text}");
    let many: Array = std::iter::once(JsValue::from_str("nosuch"))
        .chain((0..10_000).map(|i| JsValue::from_f64(i as f64)))
        .collect();
    assert!(error_text(&p.exec(c, many.into())).is_some());
    // The instance is still alive.
    assert_eq!(p.exec_line(c, ""), "");
}

#[wasm_bindgen_test]
fn clients_are_named_and_unknown_ids_answer_an_error() {
    let mut p = Playground::new();
    let a = p.open_client("alice".into());
    let b = p.open_client("bob".into());
    assert_ne!(a, b);
    assert_eq!(p.open_client("alice".into()), a);
    assert_eq!(p.client_db(a), 0);
    assert_eq!(p.client_db(999), -1);
    assert_eq!(error_text(&p.exec(999, strings(&["PING"]))).as_deref(), Some("ERR no such client"));
    assert_eq!(error_text(&p.exec(0, strings(&["PING"]))).as_deref(), Some("ERR no such client"));
    assert!(p.close_client(b));
    assert!(!p.close_client(b));
    assert_eq!(error_text(&p.exec(b, strings(&["PING"]))).as_deref(), Some("ERR no such client"));
    // The name is free again and gets a new client.
    let b2 = p.open_client("bob".into());
    assert_ne!(b2, b);
    assert_eq!(p.client_db(b2), 0);
}

#[wasm_bindgen_test]
fn exec_line_tokenizes_and_formats_through_the_cli_module() {
    let mut p = Playground::new();
    let c = p.open_client("a".into());
    assert_eq!(p.exec_line(c, ""), "");
    assert_eq!(p.exec_line(c, "   "), "");
    let mut e = redis_playground::Engine::with_time_source(Box::new(|| 0));
    let ec = e.open_client();
    let argv = vec![b"nosuch".to_vec(), b"x".to_vec()];
    let expected = redis_playground::cli::format_reply(&e.execute(ec, &argv));
    assert_eq!(p.exec_line(c, "nosuch x"), expected.strip_suffix('\n').unwrap_or(&expected));
    assert!(expected.contains("ERR unknown command 'nosuch', with args beginning with: 'x' "));
}

#[wasm_bindgen_test]
fn clock_freezes_advances_sets_and_resumes() {
    let mut p = Playground::new();
    let wall = js_sys::Date::now();
    let t0 = p.now();
    assert!((t0 - wall).abs() < 1000.0, "clock follows Date.now(): {t0} vs {wall}");
    assert!(!p.is_frozen());
    p.freeze();
    assert!(p.is_frozen());
    let t = p.now();
    assert_eq!(p.now(), t);
    assert!(p.advance(1500.0));
    assert_eq!(p.now(), t + 1500.0);
    assert!(p.advance(-500.0));
    assert_eq!(p.now(), t + 1000.0);
    assert!(p.advance(0.25));
    assert_eq!(p.now(), t + 1000.25);
    assert!(p.set_time(1_000_000.0));
    assert_eq!(p.now(), 1_000_000.0);
    assert!(p.is_frozen());
    // Non-numbers change nothing.
    assert!(!p.advance(f64::NAN));
    assert!(!p.advance(f64::INFINITY));
    assert!(!p.set_time(f64::NEG_INFINITY));
    assert_eq!(p.now(), 1_000_000.0);
    // Huge values saturate instead of overflowing.
    assert!(p.advance(1e300));
    assert!(p.now() > 9e15);
    assert!(p.set_time(-1e300));
    assert!(p.now() < -9e15);
    assert!(p.set_time(2_000_000.0));
    p.resume();
    assert!(!p.is_frozen());
    let after = p.now();
    assert!((2_000_000.0..2_010_000.0).contains(&after), "resumes from where it stood: {after}");
    p.tick();
}

#[wasm_bindgen_test]
fn commands_lists_the_registry_as_plain_data() {
    let p = Playground::new();
    let list: Array = p.commands().dyn_into().expect("an array");
    let reg = commands::registry();
    assert_eq!(list.length() as usize, reg.len());
    for (item, cmd) in list.iter().zip(reg) {
        assert_eq!(field(&item, "name").as_string().as_deref(), Some(cmd.spec.name));
        assert_eq!(field(&item, "arity").as_f64(), Some(cmd.spec.arity as f64));
        assert_eq!(field(&item, "group").as_string().as_deref(), Some(cmd.spec.group));
        assert_eq!(field(&item, "summary").as_string().as_deref(), Some(cmd.spec.summary));
        assert_eq!(field(&item, "since").as_string().as_deref(), Some(cmd.spec.since));
        assert_eq!(field(&item, "complexity").as_string().as_deref(), Some(cmd.spec.complexity));
        assert_eq!(field(&item, "usage").as_string().as_deref(), Some(cmd.spec.usage));
        let flags: Array = field(&item, "flags").dyn_into().expect("flags array");
        assert_eq!(flags.length() as usize, cmd.spec.flags.len());
        let subs: Array = field(&item, "subcommands").dyn_into().expect("subcommands array");
        assert_eq!(subs.length() as usize, cmd.subcommands.len());
    }
}

#[wasm_bindgen_test]
fn keyspace_lists_keys_sorted_with_type_ttl_encoding_and_preview() {
    let mut p = Playground::new();
    p.freeze();
    p.set_time(1_000_000.0);
    {
        let db = &mut p.engine_mut().state.dbs[0];
        db.set(b"b", Value::str("12345"), false);
        db.set(b"a", Value::str("hello"), false);
        db.set(b"long", Value::str("x".repeat(300)), false);
        db.set(b"c", Value::Str(Str::built("v")), false);
        db.set(b"gone", Value::str("soon"), false);
        db.set_expire(b"a", Some(1_010_000));
        db.set_expire(b"gone", Some(1_000_500));
    }
    let ks = p.keyspace(0, None);
    assert_eq!(field(&ks, "db").as_f64(), Some(0.0));
    assert_eq!(field(&ks, "size").as_f64(), Some(5.0));
    let keys: Array = field(&ks, "keys").dyn_into().expect("keys array");
    let names: Vec<String> = keys.iter().map(|k| field(&k, "name").as_string().unwrap_or_default()).collect();
    assert_eq!(names, ["a", "b", "c", "gone", "long"]);
    let a = keys.get(0);
    assert_eq!(field(&a, "type").as_string().as_deref(), Some("string"));
    assert_eq!(field(&a, "ttl").as_f64(), Some(10_000.0));
    assert_eq!(field(&a, "encoding").as_string().as_deref(), Some("embstr"));
    assert_eq!(field(&field(&a, "preview"), "text").as_string().as_deref(), Some("hello"));
    let b = keys.get(1);
    assert_eq!(field(&b, "ttl").as_f64(), Some(-1.0));
    assert_eq!(field(&b, "encoding").as_string().as_deref(), Some("int"));
    assert_eq!(field(&keys.get(2), "encoding").as_string().as_deref(), Some("raw"));
    let long = field(&keys.get(4), "preview");
    assert_eq!(field(&long, "len").as_f64(), Some(300.0));
    assert_eq!(field(&long, "text").as_string().map(|s| s.len()), Some(256));
    assert_eq!(field(&long, "truncated").as_bool(), Some(true));

    // Moving the clock expires what falls due at once.
    assert!(p.advance(500.0));
    let ks = p.keyspace(0, None);
    assert_eq!(field(&ks, "size").as_f64(), Some(4.0));
    let keys: Array = field(&ks, "keys").dyn_into().expect("keys array");
    assert_eq!(field(&keys.get(0), "ttl").as_f64(), Some(9_500.0));

    // A limit keeps the first names in order.
    let ks = p.keyspace(0, Some(2));
    assert_eq!(field(&ks, "size").as_f64(), Some(4.0));
    let keys: Array = field(&ks, "keys").dyn_into().expect("keys array");
    let names: Vec<String> = keys.iter().map(|k| field(&k, "name").as_string().unwrap_or_default()).collect();
    assert_eq!(names, ["a", "b"]);
    let keys: Array = field(&p.keyspace(0, Some(0)), "keys").dyn_into().expect("keys array");
    assert_eq!(keys.length(), 0);

    // Other databases, and ones that do not exist.
    assert_eq!(field(&p.keyspace(15, None), "size").as_f64(), Some(0.0));
    assert_eq!(error_text(&p.keyspace(16, None)).as_deref(), Some("ERR DB index is out of range"));
    assert_eq!(error_text(&p.keyspace(u32::MAX, None)).as_deref(), Some("ERR DB index is out of range"));
}

#[wasm_bindgen_test]
fn preview_is_bounded_and_honest_about_collections() {
    let s = preview(&Value::str("abc"), 2);
    assert_eq!(s, Preview { len: 3, text: Some("ab".into()), items: None, truncated: true });
    let s = preview(&Value::str(""), 2);
    assert_eq!(s, Preview { len: 0, text: Some(String::new()), items: None, truncated: false });
    let l = preview(&Value::List(Default::default()), 256);
    assert_eq!(l, Preview { len: 0, text: None, items: Some(vec![]), truncated: false });
    // A cut in the middle of a UTF-8 sequence shows a replacement character, never panics.
    let s = preview(&Value::str("é"), 1);
    assert_eq!(s.text.as_deref(), Some("\u{fffd}"));
}

#[wasm_bindgen_test]
fn exec_line_shows_replies_as_a_resp2_client_gets_them() {
    use redis_playground::wasm::resp2;
    use redis_playground::Reply;
    let map = Reply::Map(vec![(Reply::bulk("f"), Reply::Double(1.5)), (Reply::bulk("g"), Reply::Bool(true))]);
    assert_eq!(
        resp2(Reply::Push(vec![map, Reply::Bool(false), Reply::Nil])),
        Reply::Array(vec![
            Reply::Array(vec![Reply::bulk("f"), Reply::bulk("1.5"), Reply::bulk("g"), Reply::Int(1)]),
            Reply::Int(0),
            Reply::Nil,
        ])
    );
    assert_eq!(resp2(Reply::ok()), Reply::ok());
}
