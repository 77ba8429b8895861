//! Random differential testing: seeded random command streams, run on a real Redis and on the
//! engine (through `redis-play --port`, so the wire is covered too), every reply compared.
//!
//! ```text
//! cargo test --release --test random                      # the bounded run of scripts/test.sh
//! cargo test --release --test random -- --seeds 1000..2000 --steps 1000
//! cargo test --release --test random -- --minutes 60      # seeds one after another for an hour
//! cargo test --release --test random -- --seed 1234 --steps 500   # one program again
//! ```
//!
//! Options: `--seeds A..B` (or `--seeds N` for 1..=N), `--seed S`, `--steps N` (commands per
//! program), `--minutes M` (keep drawing new seeds until M minutes have passed), `--keep-going`
//! (go on after a divergence), `--no-shrink`.
//!
//! A divergence is shrunk to a minimal program (commands are removed while the same command still
//! diverges) and printed as a transcript (`@cN` lines for the other clients, the format of
//! `tests/scenarios/`) with the seed, so it can be replayed against both servers and kept in the
//! corpus. The last lines print the coverage (commands of the engine's table generated / all of
//! them, less [`gen::NOT_GENERATED`]) and a cargo-style summary.
//!
//! The pieces: [`gen`] draws programs, [`run`] runs one on both servers, [`norm`] is the table of
//! what is compared where Redis leaves the reply unspecified.

#[path = "../support/mod.rs"]
mod support;

mod gen;
mod norm;
mod run;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use gen::{Arg, Gen, Op};
use run::{Divergence, Runner};

struct Options {
    seeds: Vec<u64>,
    steps: usize,
    minutes: Option<f64>,
    keep_going: bool,
    shrink: bool,
}

fn options() -> Options {
    let mut o = Options { seeds: (1..=40).collect(), steps: 800, minutes: None, keep_going: false, shrink: true };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    let value = |i: usize| args.get(i + 1).cloned().unwrap_or_else(|| panic!("{} needs a value", args[i]));
    while i < args.len() {
        match args[i].as_str() {
            "--seeds" => {
                let v = value(i);
                o.seeds = match v.split_once("..") {
                    Some((a, b)) => (a.parse().expect("--seeds A..B")..b.parse().expect("--seeds A..B")).collect(),
                    None => (1..=v.parse().expect("--seeds N")).collect(),
                };
                i += 1;
            }
            "--seed" => {
                o.seeds = vec![value(i).parse().expect("--seed S")];
                i += 1;
            }
            "--steps" => {
                o.steps = value(i).parse().expect("--steps N");
                i += 1;
            }
            "--minutes" => {
                o.minutes = Some(value(i).parse().expect("--minutes M"));
                o.keep_going = true;
                i += 1;
            }
            "--keep-going" => o.keep_going = true,
            "--no-shrink" => o.shrink = false,
            // cargo test passes its own flags on (--nocapture, --quiet, test-name filters): ignored.
            _ => {}
        }
        i += 1;
    }
    o
}

fn main() {
    let opts = options();
    let real = support::Server::start();
    let play = support::Play::start();
    let mut runner = Runner::new(real.port, play.port).unwrap_or_else(|e| panic!("connecting: {e}"));
    let start = Instant::now();
    let deadline = opts.minutes.map(|m| start + Duration::from_secs_f64(m * 60.0));
    let mut failures: Vec<(u64, Divergence, Vec<Op>)> = Vec::new();
    let mut seeds_run = 0u64;
    let mut seed_iter: Box<dyn Iterator<Item = u64>> = match deadline {
        Some(_) => Box::new(opts.seeds.first().copied().unwrap_or(1)..),
        None => Box::new(opts.seeds.clone().into_iter()),
    };
    let mut last_report = Instant::now();
    while let Some(seed) = seed_iter.next() {
        if deadline.is_some_and(|d| Instant::now() > d) {
            break;
        }
        let program = Gen::new(seed).program(opts.steps);
        seeds_run += 1;
        if let Err(div) = runner.run(&program) {
            println!("seed {seed}: divergence at step {} ({}):\n{}", div.step, div.name, div.text);
            let (small, div) = if opts.shrink { shrink(&mut runner, &program, div) } else { (program.clone(), div) };
            println!("{}", repro(seed, &small, &div));
            failures.push((seed, div, small));
            if !opts.keep_going {
                break;
            }
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            println!(
                "... {seeds_run} seeds, {} commands, {} divergences, {:.0} s",
                runner.sent,
                failures.len(),
                start.elapsed().as_secs_f64()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let (covered, missing, total) = coverage(&mut runner);
    println!(
        "random differential: {seeds_run} seeds, {} commands, {} divergences, {secs:.1} s ({:.0} commands/s)",
        runner.sent,
        failures.len(),
        runner.sent as f64 / secs.max(0.001)
    );
    println!("coverage: {covered}/{total} commands of the engine's table generated");
    if !missing.is_empty() {
        println!("never generated: {}", missing.join(" "));
    }
    // Coverage is a requirement of a whole run, not of one program replayed.
    let coverage_failed = !missing.is_empty() && seeds_run >= 20;
    let ok = failures.is_empty() && !coverage_failed;
    let failed = failures.len() + usize::from(coverage_failed);
    println!(
        "test result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2}s",
        if ok { "ok" } else { "FAILED" },
        seeds_run as usize - failures.len(),
        failed
    );
    drop(play);
    drop(real);
    if !ok {
        std::process::exit(1);
    }
}

/// Commands of the engine's table (subcommands by their `parent|sub` names) against those
/// generated: (generated, never generated, all).
fn coverage(runner: &mut Runner) -> (usize, Vec<String>, usize) {
    let table = engine_commands();
    let excluded = |name: &str| {
        gen::NOT_GENERATED.iter().any(|(pat, _)| match pat.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == *pat,
        })
    };
    let wanted: BTreeSet<String> = table.into_iter().filter(|n| !excluded(n)).collect();
    let missing: Vec<String> = wanted.iter().filter(|n| !runner.generated.contains(*n)).cloned().collect();
    (wanted.len() - missing.len(), missing, wanted.len())
}

/// The engine's implemented commands: top-level names, and `parent|sub` for subcommands (a
/// container with a handler of its own, like COMMAND, counts too).
fn engine_commands() -> Vec<String> {
    let mut names = Vec::new();
    for c in redis_playground::commands::registry() {
        if c.handler.is_some() {
            names.push(c.spec.name.to_string());
        }
        names.extend(c.subcommands.iter().map(|s| s.spec.name.to_string()));
    }
    names
}

/// Reduces a failing program: chunks of commands are removed while the same command still
/// diverges, from halves down to single commands.
fn shrink(runner: &mut Runner, program: &[Op], first: Divergence) -> (Vec<Op>, Divergence) {
    let started = Instant::now();
    let budget = Duration::from_secs(180);
    let target = first.name.clone();
    let mut best = program[..(first.step + 1).min(program.len())].to_vec();
    let mut best_div = first;
    let mut chunk = (best.len() / 2).max(1);
    loop {
        let mut changed = false;
        let mut i = 0;
        while i < best.len() && started.elapsed() < budget {
            let mut cand = best[..i].to_vec();
            cand.extend_from_slice(&best[(i + chunk).min(best.len())..]);
            match runner.run(&cand) {
                Err(d) if d.name == target => {
                    cand.truncate((d.step + 1).min(cand.len()));
                    best = cand;
                    best_div = d;
                    changed = true;
                }
                _ => i += chunk,
            }
        }
        if started.elapsed() >= budget {
            break;
        }
        if !changed {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    (best, best_div)
}

/// redis-cli's quoting of one argument.
fn quote(a: &[u8]) -> String {
    let plain = !a.is_empty() && a.iter().all(|&c| c.is_ascii_graphic() && c != b'"' && c != b'\'' && c != b'\\');
    if plain {
        return String::from_utf8_lossy(a).into_owned();
    }
    let mut s = String::from("\"");
    for &c in a {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push('"');
    s
}

/// A failing program as a transcript (the format of `tests/scenarios/`).
fn repro(seed: u64, ops: &[Op], div: &Divergence) -> String {
    let mut s = format!("---- seed {seed}: minimal program ({} commands), diverging at its command {}:\n", ops.len(), div.step + 1);
    for op in ops {
        if op.client > 0 {
            s.push_str(&format!("@c{} ", op.client));
        }
        let words: Vec<String> = op
            .argv
            .iter()
            .map(|a| match a {
                Arg::Bytes(b) => quote(b),
                Arg::ClientId(i) => format!("<id of {}>", if *i == 0 { "the main client".to_string() } else { format!("c{i}") }),
            })
            .collect();
        s.push_str(&words.join(" "));
        s.push('\n');
    }
    s.push_str(&format!("---- {}\n", div.text));
    s
}
