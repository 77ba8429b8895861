//! How the collection commands scale: per-operation time at 1k, 10k, 100k and 1M elements.
//!
//! `cargo run --release --bin scaling` prints a Markdown table (the one in BENCHMARKS.md). Each
//! figure is the time of one command through `Engine::execute` (argv in, reply out) on a
//! collection of the given size: the best of three rounds of 20 000 calls.
//! Writes are measured with a matching undo where the size would otherwise drift (ZADD of a new
//! member then ZREM, LPUSH then LPOP), so every repetition sees the same size.
//!
//! `--sizes 1000,10000` picks other sizes; `--quick` stops at 100k.

use redis_playground::Engine;

mod timing;
use timing::{argv, time_ns};

/// A small deterministic generator, so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn fill(e: &mut Engine, c: u64, cmd: &str, key: &str, n: usize, pairs: bool) {
    let mut batch: Vec<Vec<u8>> = argv(&[cmd, key]);
    for i in 0..n {
        if pairs {
            batch.push(format!("{}", (i * 7919) % 1_000_003).into_bytes());
        }
        batch.push(format!("m{i}").into_bytes());
        if batch.len() > 2_000 {
            e.execute(c, &batch);
            batch.truncate(2);
        }
    }
    if batch.len() > 2 {
        e.execute(c, &batch);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut sizes = vec![1_000usize, 10_000, 100_000, 1_000_000];
    if args.iter().any(|a| a == "--quick") {
        sizes.truncate(3);
    }
    if let Some(i) = args.iter().position(|a| a == "--sizes") {
        if let Some(list) = args.get(i + 1) {
            sizes = list.split(',').filter_map(|s| s.parse().ok()).collect();
        }
    }
    let reps = 20_000;
    let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
    let mut push = |name: &str, size_index: usize, ns: f64| {
        if let Some(row) = rows.iter_mut().find(|(n, _)| n == name) {
            row.1[size_index] = ns;
        } else {
            let mut v = vec![f64::NAN; sizes.len()];
            v[size_index] = ns;
            rows.push((name.to_string(), v));
        }
    };
    for (si, &n) in sizes.iter().enumerate() {
        let mut e = Engine::new();
        e.clock.freeze();
        let c = e.open_client();
        let mut rng = Rng(0x1234_5678_9abc_def1);
        eprintln!("building collections of {n} elements...");
        fill(&mut e, c, "ZADD", "z", n, true);
        fill(&mut e, c, "RPUSH", "l", n, false);
        fill(&mut e, c, "SADD", "s", n, false);
        fill(&mut e, c, "HSET", "h", n, true);

        let ns = time_ns(reps, |i| {
            e.execute(c, &argv(&["ZADD", "z", "500000.5", &format!("new{}", i % 64)]));
            e.execute(c, &argv(&["ZREM", "z", &format!("new{}", i % 64)]));
        });
        push("ZADD + ZREM (new member)", si, ns / 2.0);
        let ns = time_ns(reps, |_| {
            let m = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["ZRANK", "z", &m]));
        });
        push("ZRANK", si, ns);
        let ns = time_ns(reps, |_| {
            let m = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["ZSCORE", "z", &m]));
        });
        push("ZSCORE", si, ns);
        let ns = time_ns(reps, |_| {
            e.execute(c, &argv(&["ZRANGE", "z", "0", "9"]));
        });
        push("ZRANGE 0 9", si, ns);
        let ns = time_ns(reps, |_| {
            e.execute(c, &argv(&["ZREVRANGE", "z", "0", "9", "WITHSCORES"]));
        });
        push("ZREVRANGE 0 9 WITHSCORES", si, ns);
        let ns = time_ns(reps, |_| {
            let m = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["ZINCRBY", "z", "1", &m]));
        });
        push("ZINCRBY", si, ns);
        let mid = (n / 2).to_string();
        let ns = time_ns(reps, |_| {
            e.execute(c, &argv(&["LPUSH", "l", "x"]));
            e.execute(c, &argv(&["LPOP", "l"]));
        });
        push("LPUSH + LPOP", si, ns / 2.0);
        let ns = time_ns(reps, |_| {
            e.execute(c, &argv(&["LINDEX", "l", &mid]));
        });
        push("LINDEX (middle)", si, ns);
        let ns = time_ns(reps, |i| {
            e.execute(c, &argv(&["SADD", "s", &format!("new{}", i % 64)]));
            e.execute(c, &argv(&["SREM", "s", &format!("new{}", i % 64)]));
        });
        push("SADD + SREM (new member)", si, ns / 2.0);
        let ns = time_ns(reps, |_| {
            let m = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["SISMEMBER", "s", &m]));
        });
        push("SISMEMBER", si, ns);
        let ns = time_ns(reps, |_| {
            let f = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["HSET", "h", &f, "v"]));
        });
        push("HSET (existing field)", si, ns);
        let ns = time_ns(reps, |_| {
            let f = format!("m{}", rng.below(n));
            e.execute(c, &argv(&["HGET", "h", &f]));
        });
        push("HGET", si, ns);
        // O(1) snapshots whatever the size.
        let ns = time_ns(reps, |_| {
            std::hint::black_box(e.snapshot());
        });
        push("engine snapshot", si, ns);
    }
    // SINTER of two 10k-member sets (fixed size).
    let mut e = Engine::new();
    let c = e.open_client();
    fill(&mut e, c, "SADD", "a", 10_000, false);
    let mut b = argv(&["SADD", "b"]);
    for i in (0..20_000).step_by(2) {
        b.push(format!("m{i}").into_bytes());
    }
    e.execute(c, &b);
    let sinter = time_ns(200, |_| {
        e.execute(c, &argv(&["SINTER", "a", "b"]));
    });

    let fmt = |ns: f64| {
        if ns.is_nan() {
            "-".to_string()
        } else if ns >= 1_000_000.0 {
            format!("{:.2} ms", ns / 1e6)
        } else if ns >= 1_000.0 {
            format!("{:.2} µs", ns / 1e3)
        } else {
            format!("{ns:.0} ns")
        }
    };
    let label = |n: usize| if n >= 1_000_000 { format!("{}M", n / 1_000_000) } else { format!("{}k", n / 1000) };
    print!("| operation |");
    for &n in &sizes {
        print!(" {} |", label(n));
    }
    println!(" largest / smallest |");
    print!("|---|");
    for _ in &sizes {
        print!("---:|");
    }
    println!("---:|");
    for (name, v) in &rows {
        print!("| {name} |");
        for ns in v {
            print!(" {} |", fmt(*ns));
        }
        let ratio = v.last().copied().unwrap_or(f64::NAN) / v.first().copied().unwrap_or(f64::NAN);
        println!(" {ratio:.2}× |");
    }
    println!();
    println!("SINTER of two 10k-member sets (5k in common): {}", fmt(sinter));
}
