//! Whole-engine operations against the number of keys: snapshots (which must not grow), restores,
//! the first write after a snapshot, saving and loading the state, exporting and importing the
//! keyspace as a script.
//!
//! `cargo run --release --bin state-bench` prints a Markdown table (the one in BENCHMARKS.md).
//! The keyspace at each size is `n` keys in database 0: one in ten a 100-member set, one in ten a
//! 10-element list, the others short strings, and one key in four with a TTL. Snapshot, restore and
//! write figures are the best mean of three rounds of 20 000 calls; the whole-keyspace operations
//! are the best of three runs.
//!
//! `--sizes 1000,10000` picks other sizes.

use std::time::Instant;

use redis_playground::export::{export_script, import_script};
use redis_playground::Engine;

mod timing;
use timing::{argv, time_ns};

/// Milliseconds of one run of `f`: the best of three.
fn time_ms(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

fn build(n: usize) -> (Engine, u64) {
    let mut e = Engine::new();
    let c = e.open_client();
    e.execute(c, &argv(&["CLOCK.FREEZE"]));
    for i in 0..n {
        let key = format!("key:{i}");
        match i % 10 {
            0 => {
                let mut cmd = argv(&["SADD", &key]);
                cmd.extend((0..100).map(|m| format!("member{m}").into_bytes()));
                e.execute(c, &cmd);
            }
            1 => {
                e.execute(c, &argv(&["RPUSH", &key, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]));
            }
            _ => {
                e.execute(c, &argv(&["SET", &key, "some value"]));
            }
        }
        if i % 4 == 0 {
            e.execute(c, &argv(&["EXPIRE", &key, "86400"]));
        }
    }
    (e, c)
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn main() {
    let mut sizes = vec![1_000usize, 10_000, 100_000, 1_000_000];
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--sizes") {
        if let Some(list) = args.get(i + 1) {
            sizes = list.split(',').filter_map(|s| s.trim().parse().ok()).collect();
        }
    }
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |name: &str, col: usize, value: String| {
        if let Some(row) = rows.iter_mut().find(|r| r.0 == name) {
            row.1[col] = value;
        } else {
            let mut cells = vec![String::new(); sizes.len()];
            cells[col] = value;
            rows.push((name.to_string(), cells));
        }
    };
    let mut snapshot_ns = Vec::new();
    for (col, &n) in sizes.iter().enumerate() {
        eprintln!("building {n} keys...");
        let (mut e, c) = build(n);

        let ns = time_ns(20_000, |_| {
            std::hint::black_box(e.snapshot());
        });
        snapshot_ns.push(ns);
        push("snapshot", col, fmt_ns(ns));

        let snap = e.snapshot();
        let ns = time_ns(20_000, |_| e.restore(&snap));
        push("restore", col, fmt_ns(ns));

        // A write right after a snapshot copies the path to the key (copy-on-write).
        let set = argv(&["SET", "key:5", "changed"]);
        let ns = time_ns(20_000, |_| {
            let s = e.snapshot();
            e.execute(c, &set);
            std::hint::black_box(s);
        });
        push("snapshot + first SET", col, fmt_ns(ns));
        e.restore(&snap);

        let mut saved = Vec::new();
        let ms = time_ms(|| saved = e.save_state());
        push("saveState", col, fmt_ms(ms));
        push("saved size", col, format!("{:.1} MB", saved.len() as f64 / 1e6));
        let mut f = Engine::new();
        let ms = time_ms(|| {
            if let Err(err) = f.load_state(&saved) {
                eprintln!("the saved state does not load: {err}");
                std::process::exit(1);
            }
        });
        push("loadState", col, fmt_ms(ms));

        let mut script = String::new();
        let ms = time_ms(|| script = export_script(&e));
        push("exportScript", col, fmt_ms(ms));
        push("script size", col, format!("{:.1} MB", script.len() as f64 / 1e6));
        let ms = time_ms(|| {
            let mut g = Engine::new();
            let d = g.open_client();
            let report = import_script(&mut g, d, &script);
            if let Some(err) = report.errors.first() {
                eprintln!("the script does not import: line {}: {}", err.line, err.error);
                std::process::exit(1);
            }
        });
        push("importScript", col, fmt_ms(ms));
    }
    let header: Vec<String> = sizes
        .iter()
        .map(|n| if *n >= 1_000_000 { format!("{}M keys", n / 1_000_000) } else { format!("{}k keys", n / 1000) })
        .collect();
    println!("| operation | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(sizes.len()));
    for (name, cells) in rows {
        println!("| {name} | {} |", cells.join(" | "));
    }
    if let (Some(first), Some(last)) = (snapshot_ns.first(), snapshot_ns.last()) {
        println!("\nsnapshot time, largest size / smallest: {:.2}×", last / first);
    }
}
