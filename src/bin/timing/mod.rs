//! What the benchmark binaries (`scaling`, `state-bench`) share: an argv from string parts, and
//! timing that keeps the best of three rounds, the round least disturbed by whatever else the
//! machine is doing. (A folder without a `main.rs`, so Cargo does not take it for a binary.)

use std::time::Instant;

pub fn argv(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

/// Nanoseconds per call of `f`: the best mean of three rounds of `reps` calls, after a warm-up
/// (caches, lazily built tables).
pub fn time_ns(reps: usize, mut f: impl FnMut(usize)) -> f64 {
    for i in 0..reps.min(200) {
        f(i);
    }
    (0..3)
        .map(|_| {
            let start = Instant::now();
            for i in 0..reps {
                f(i);
            }
            start.elapsed().as_nanos() as f64 / reps as f64
        })
        .fold(f64::INFINITY, f64::min)
}
