//! The engine's virtual clock.
//!
//! Every time the engine reads — key expiry, TTL, TIME, blocking timeouts, rate-limiter windows —
//! comes from here. By default the clock follows wall time. It can be frozen (time stops), set to
//! any instant and advanced by any amount; when it resumes it carries on from where it stands, so
//! advancing it by ten seconds is exactly as good as waiting ten seconds. Lessons use this to show
//! a TTL running out without making anyone wait.
//!
//! The wall-time source is injected: natively it is the system clock, in the browser it is
//! `Date.now()`. The core never asks the platform for the time itself, which is what lets it build
//! for `wasm32-unknown-unknown` (where `std::time::SystemTime::now()` is unavailable).

/// A source of wall time in microseconds since the Unix epoch.
pub type TimeSource = Box<dyn Fn() -> i64>;

/// The system clock, in microseconds since the Unix epoch (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn system_time_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// The virtual clock: wall time plus an offset, or a frozen instant.
pub struct Clock {
    source: TimeSource,
    offset_us: i64,
    frozen_at_us: Option<i64>,
}

impl Clock {
    /// A clock that follows `source`.
    pub fn new(source: TimeSource) -> Clock {
        Clock { source, offset_us: 0, frozen_at_us: None }
    }

    /// Now, in microseconds since the epoch.
    pub fn now_us(&self) -> i64 {
        match self.frozen_at_us {
            Some(t) => t,
            None => (self.source)().saturating_add(self.offset_us),
        }
    }

    /// Now, in milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_us().div_euclid(1000)
    }

    /// The wall time the clock follows (its source), in microseconds since the epoch: with
    /// [`Clock::now_us`] it gives the clock's offset from wall time (saved states keep it).
    pub fn wall_us(&self) -> i64 {
        (self.source)()
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen_at_us.is_some()
    }

    /// Stops time at the current instant.
    pub fn freeze(&mut self) {
        if self.frozen_at_us.is_none() {
            self.frozen_at_us = Some(self.now_us());
        }
    }

    /// Lets time run again from the instant it stands at.
    pub fn resume(&mut self) {
        if let Some(t) = self.frozen_at_us.take() {
            self.offset_us = t.saturating_sub((self.source)());
        }
    }

    /// Moves the clock to `t_us` (frozen clocks stay frozen there).
    pub fn set_us(&mut self, t_us: i64) {
        match self.frozen_at_us {
            Some(_) => self.frozen_at_us = Some(t_us),
            None => self.offset_us = t_us.saturating_sub((self.source)()),
        }
    }

    /// Moves the clock forward (or back, with a negative amount) by `delta_us`.
    pub fn advance_us(&mut self, delta_us: i64) {
        let now = self.now_us();
        self.set_us(now.saturating_add(delta_us));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn follows_freezes_advances_and_resumes() {
        let wall = Rc::new(Cell::new(1_000_000i64));
        let w = wall.clone();
        let mut c = Clock::new(Box::new(move || w.get()));
        assert_eq!(c.now_ms(), 1000);
        wall.set(2_000_000);
        assert_eq!(c.now_ms(), 2000);
        c.freeze();
        wall.set(5_000_000);
        assert_eq!(c.now_ms(), 2000);
        c.advance_us(10_000_000);
        assert_eq!(c.now_ms(), 12_000);
        c.resume();
        assert_eq!(c.now_ms(), 12_000);
        wall.set(6_000_000);
        assert_eq!(c.now_ms(), 13_000);
        c.set_us(0);
        assert_eq!(c.now_ms(), 0);
    }
}
