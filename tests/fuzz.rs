//! Random argv never panics: commands drawn from the command table, arguments drawn from a
//! vocabulary that mixes the table's own option tokens, keys of every type, numbers at the edges of
//! every range, score/lex range syntax and random bytes. A panic would trap the wasm instance and
//! kill the page, so every reply must be a reply — errors included.

use std::panic::{catch_unwind, AssertUnwindSafe};

use redis_playground::commands::registry;
use redis_playground::Engine;

/// xorshift64*: deterministic, so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ATOMS: &[&str] = &[
    "0", "1", "-1", "2", "3", "10", "100", "-100", "1000", "4294967296", "9223372036854775807",
    "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "1.5", "-2.5", "0.1", "1e3", "1e308", "-1e308", "1e400", "inf", "+inf", "-inf", "nan", "(1",
    "(-inf", "[a", "(a", "-", "+", "[", "(", "", " ", "a", "b", "c", "*", "?", "[a-z]*", "\\",
    "k1", "k2", "k3", "str", "list", "hash", "set", "zset", "int", "0x10", "00", "-0", "+1", " 1",
    "1 ", "abc", "\u{00e9}", "LIMIT", "COUNT", "MATCH", "TYPE", "WITHSCORES", "BYSCORE", "BYLEX",
    "REV", "NX", "XX", "GT", "LT", "CH", "INCR", "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "GET",
    "PERSIST", "LEFT", "RIGHT", "BEFORE", "AFTER", "RANK", "MAXLEN", "WEIGHTS", "AGGREGATE", "SUM",
    "MIN", "MAX", "WITHVALUES", "REPLACE", "DB", "IDX", "LEN", "MINMATCHLEN", "WITHMATCHLEN",
    "ASYNC", "SYNC", "FILTERBY", "PATTERN", "ACLCAT",
];

fn arg(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        0 => (0..rng.below(12)).map(|_| rng.next() as u8).collect(),
        1 => rng.next().to_string().into_bytes(),
        2 => ((rng.next() as i64) >> rng.below(63)).to_string().into_bytes(),
        _ => ATOMS[rng.below(ATOMS.len())].as_bytes().to_vec(),
    }
}

/// Seeds the keyspace with one key of each type through the commands that exist.
fn seed(e: &mut Engine, c: u64) {
    for line in [
        "SET str hello",
        "SET int 42",
        "RPUSH list a b c 1 2 3",
        "HSET hash f1 v1 f2 2",
        "SADD set a b 1 2",
        "SADD ints 1 2 3",
        "ZADD zset 1 a 2 b 3 c",
    ] {
        let _ = e.execute_line(c, line);
    }
}

#[test]
fn random_commands_never_panic() {
    let names: Vec<Vec<String>> = registry()
        .iter()
        .flat_map(|c| {
            let mut v = vec![vec![c.spec.name.to_string()]];
            for s in &c.subcommands {
                let (parent, sub) = s.spec.name.split_once('|').unwrap_or((s.spec.name, ""));
                v.push(vec![parent.to_string(), sub.to_string()]);
            }
            v
        })
        .collect();
    let iterations: usize = std::env::var("FUZZ_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(60_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut e = Engine::new();
    let mut c = e.open_client();
    e.clock.freeze();
    seed(&mut e, c);
    for i in 0..iterations {
        if i % 500 == 0 {
            // Start over now and then so that keys of every type keep turning up.
            e = Engine::new();
            e.clock.freeze();
            c = e.open_client();
            seed(&mut e, c);
        }
        let mut argv: Vec<Vec<u8>> =
            names[rng.below(names.len())].iter().map(|s| s.as_bytes().to_vec()).collect();
        for _ in 0..rng.below(8) {
            argv.push(arg(&mut rng));
        }
        let result = catch_unwind(AssertUnwindSafe(|| e.execute(c, &argv)));
        if result.is_err() {
            let shown: Vec<String> = argv.iter().map(|a| format!("{:?}", String::from_utf8_lossy(a))).collect();
            panic!("iteration {i}: the engine panicked on {}", shown.join(" "));
        }
        if rng.below(50) == 0 {
            e.clock.advance_us((rng.below(20_000) as i64) * 1000);
            e.tick();
        }
    }
}

#[test]
fn garbage_lines_never_panic() {
    let mut rng = Rng(42);
    let mut e = Engine::new();
    let c = e.open_client();
    for _ in 0..5_000 {
        let len = rng.below(40);
        const CHARS: &[u8] = b" \"'\\xab0SETGET\n";
        let bytes: Vec<u8> = (0..len).map(|_| CHARS[rng.below(CHARS.len())]).collect();
        let line = String::from_utf8_lossy(&bytes).into_owned();
        let r = catch_unwind(AssertUnwindSafe(|| e.execute_line(c, &line)));
        assert!(r.is_ok(), "panicked on line {line:?}");
    }
    // No argv at all, and an unknown client.
    assert!(e.execute(c, &[]).is_error());
    assert!(e.execute(c + 100, &[b"PING".to_vec()]).is_error());
}
