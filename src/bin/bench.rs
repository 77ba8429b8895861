//! Native throughput of the engine: commands per second through [`Engine::execute`], the same door
//! every caller uses (the page, the CLI, the tests). Run it optimised:
//!
//! ```text
//! cargo run --release --bin bench            # 1,000,000 commands per workload, best of 3
//! cargo run --release --bin bench -- 200000  # another count
//! ```
//!
//! Each workload builds its argvs up front, so the figures measure the engine (lookup, arity check,
//! handler, reply), not argument formatting. A workload whose commands the engine does not answer
//! successfully is reported as unavailable instead of being timed.
//!
//! A native program: for `wasm32` (where `cargo test --target wasm32-unknown-unknown` still builds
//! every binary) it compiles to an empty `main`.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {

    use std::hint::black_box;
    use std::time::Instant;

    use redis_playground::{Engine, Reply};

    /// Distinct keys a workload cycles through.
    const KEYS: usize = 10_000;

    /// Timed runs per workload; the fastest is reported.
    const ROUNDS: usize = 3;

    struct Workload {
        name: &'static str,
        /// Commands run once before timing (e.g. to create the keys read later).
        setup: Vec<Vec<Vec<u8>>>,
        /// The commands timed, run in order and repeated until the count is reached.
        script: Vec<Vec<Vec<u8>>>,
    }

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn key(i: usize) -> String {
        format!("key:{i}")
    }

    fn workloads() -> Vec<Workload> {
        let sets: Vec<_> = (0..KEYS).map(|i| argv(&["SET", &key(i), "some value"])).collect();
        let gets: Vec<_> = (0..KEYS).map(|i| argv(&["GET", &key(i)])).collect();
        let incrs: Vec<_> = (0..KEYS).map(|i| argv(&["INCR", &format!("counter:{i}")])).collect();
        let hsets: Vec<_> = (0..KEYS)
            .map(|i| argv(&["HSET", &format!("hash:{}", i % 100), &format!("field:{i}"), "v"]))
            .collect();
        let hgets: Vec<_> =
            (0..KEYS).map(|i| argv(&["HGET", &format!("hash:{}", i % 100), &format!("field:{i}")])).collect();
        let mut mixed = Vec::new();
        for i in 0..KEYS / 10 {
            let k = format!("user:{i}");
            mixed.extend([
                argv(&["SET", &k, "alice"]),
                argv(&["GET", &k]),
                argv(&["INCR", "visits"]),
                argv(&["INCRBY", "points", "5"]),
                argv(&["EXISTS", &k]),
                argv(&["EXPIRE", &k, "3600"]),
                argv(&["TTL", &k]),
                argv(&["STRLEN", &k]),
                argv(&["DEL", &k]),
                argv(&["GET", &k]),
            ]);
        }
        // Rate-limiter decisions, 1,000 clients (identifiers) taking turns.
        let who = |i: usize| format!("10.0.{}.{}", i / 250, i % 250);
        let fixed: Vec<_> = (0..1000).map(|i| argv(&["RATELIMIT.FIXED", &who(i), "100", "60"])).collect();
        let sliding: Vec<_> = (0..1000).map(|i| argv(&["RATELIMIT.SLIDING", &who(i), "100", "60"])).collect();
        let gcra: Vec<_> = (0..1000).map(|i| argv(&["CL.THROTTLE", &who(i), "15", "30", "60"])).collect();
        vec![
            Workload { name: "PING", setup: vec![], script: vec![argv(&["PING"])] },
            Workload { name: "SET", setup: vec![], script: sets.clone() },
            Workload { name: "GET", setup: sets, script: gets },
            Workload { name: "INCR", setup: vec![], script: incrs },
            Workload { name: "mixed (10-command script)", setup: vec![], script: mixed },
            Workload { name: "HSET", setup: vec![], script: hsets.clone() },
            Workload { name: "HGET", setup: hsets, script: hgets },
            Workload { name: "RATELIMIT.FIXED decision", setup: vec![], script: fixed },
            Workload { name: "RATELIMIT.SLIDING decision", setup: vec![], script: sliding },
            Workload { name: "CL.THROTTLE (GCRA) decision", setup: vec![], script: gcra },
        ]
    }

    pub fn main() {
        let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
        println!("| workload | commands | seconds | commands/s |");
        println!("|---|---:|---:|---:|");
        for w in workloads() {
            let mut engine = Engine::new();
            let client = engine.open_client();
            for cmd in &w.setup {
                engine.execute(client, cmd);
            }
            // One pass over the script, checked: a workload only counts if every command succeeds.
            if let Some(err) = w.script.iter().map(|cmd| engine.execute(client, cmd)).find(Reply::is_error) {
                let text = match err {
                    Reply::Error(e) => e,
                    other => format!("{other:?}"),
                };
                println!("| {} | - | - | unavailable: {text} |", w.name);
                continue;
            }
            let timed = |engine: &mut Engine| {
                let start = Instant::now();
                let mut done = 0;
                while done < count {
                    for cmd in &w.script {
                        black_box(engine.execute(client, black_box(cmd)));
                    }
                    done += w.script.len();
                }
                (done, start.elapsed().as_secs_f64())
            };
            let (mut done, mut secs) = timed(&mut engine);
            for _ in 1..ROUNDS {
                let (d, s) = timed(&mut engine);
                if s < secs {
                    (done, secs) = (d, s);
                }
            }
            println!("| {} | {done} | {secs:.3} | {:.0} |", w.name, done as f64 / secs);
        }
    }
}
