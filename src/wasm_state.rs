//! The JavaScript face of [`crate::state`] and [`crate::export`] (WebAssembly builds only):
//! saving and loading the engine, O(1) snapshots for time travel, and the keyspace as a
//! redis-cli script.
//!
//! | method | returns |
//! |---|---|
//! | `saveState()` | `Uint8Array`: the whole engine in the versioned, checksummed format |
//! | `loadState(bytes)` | `{ ok: true }`, or `{ error: "the saved state is ..." }` with the engine untouched |
//! | `snapshot()` | a snapshot id (a number) |
//! | `restore(id)` | whether the id was known; the keyspace, config and clock are back as they were |
//! | `dropSnapshot(id)` | whether the id was known; frees what only the snapshot held |
//! | `exportScript()` | the keyspace as redis-cli input (`redis-cli < file` recreates it) |
//! | `importScript(text)` | `{ ok, commands, errors: [{ line, error }] }`, run as a new client |
//!
//! Snapshots stay inside the module (a snapshot is a handful of pointers into the engine's
//! persistent trees; copying it out would cost its whole size), so JavaScript holds ids.
//! Ids are never reused. A snapshot lives until `dropSnapshot`: a page that keeps one per
//! lesson step drops them when the lesson changes. Restoring and loading keep every client
//! connected; see [`crate::state`] for what happens to watched keys and blocked clients (their
//! late replies, if any, come through `takeDeliveries`).

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

use crate::export::{export_script, import_script};
use crate::state::Snapshot;
use crate::wasm::Playground;

thread_local! {
    /// The snapshots taken through `snapshot()`, by id. (WebAssembly runs one thread.)
    static SNAPSHOTS: RefCell<(u32, BTreeMap<u32, Snapshot>)> = const { RefCell::new((0, BTreeMap::new())) };
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj.into()
}

#[wasm_bindgen]
impl Playground {
    /// The whole engine state, to keep (IndexedDB, localStorage as base64, a download).
    #[wasm_bindgen(js_name = saveState)]
    pub fn save_state(&self) -> Vec<u8> {
        self.engine().save_state()
    }

    /// Replaces the engine state with a saved one: `{ ok: true }`, or `{ error }` (one sentence
    /// saying what is wrong) with the engine left exactly as it was.
    #[wasm_bindgen(js_name = loadState)]
    pub fn load_state(&mut self, bytes: &[u8]) -> JsValue {
        match self.engine_mut().load_state(bytes) {
            Ok(()) => object(&[("ok", JsValue::TRUE)]),
            Err(e) => object(&[("error", JsValue::from_str(&e.to_string()))]),
        }
    }

    /// Takes an O(1) snapshot of the keyspace, config and clock; returns its id.
    pub fn snapshot(&self) -> u32 {
        let snap = self.engine().snapshot();
        SNAPSHOTS.with(|s| {
            let mut s = s.borrow_mut();
            s.0 = s.0.wrapping_add(1);
            let id = s.0;
            s.1.insert(id, snap);
            id
        })
    }

    /// Puts snapshot `id` back (it stays available). False for an unknown id.
    pub fn restore(&mut self, id: u32) -> bool {
        let snap = SNAPSHOTS.with(|s| s.borrow().1.get(&id).cloned());
        match snap {
            Some(snap) => {
                self.engine_mut().restore(snap);
                true
            }
            None => false,
        }
    }

    /// Forgets snapshot `id`. False for an unknown id.
    #[wasm_bindgen(js_name = dropSnapshot)]
    pub fn drop_snapshot(&mut self, id: u32) -> bool {
        SNAPSHOTS.with(|s| s.borrow_mut().1.remove(&id).is_some())
    }

    /// The keyspace as a redis-cli script.
    #[wasm_bindgen(js_name = exportScript)]
    pub fn export_script(&self) -> String {
        export_script(self.engine())
    }

    /// Runs a script (one command a line; blank lines and `#` comments skipped) as a new client,
    /// closed afterwards: `{ ok, commands, errors: [{ line, error }] }`.
    #[wasm_bindgen(js_name = importScript)]
    pub fn import_script(&mut self, text: &str) -> JsValue {
        let engine = self.engine_mut();
        let client = engine.open_client();
        let report = import_script(engine, client, text);
        engine.close_client(client);
        let errors = js_sys::Array::new();
        for e in &report.errors {
            errors.push(&object(&[
                ("line", JsValue::from_f64(e.line as f64)),
                ("error", JsValue::from_str(&e.error)),
            ]));
        }
        object(&[
            ("ok", JsValue::from_bool(report.errors.is_empty())),
            ("commands", JsValue::from_f64(report.commands as f64)),
            ("errors", errors.into()),
        ])
    }
}
