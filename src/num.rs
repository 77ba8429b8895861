//! Numbers exactly as Redis parses and prints them.
//!
//! (Interim implementation; the full one — strict `string2ll`, `strtod` rules for scores, `%.17g`
//! printing and an exact emulation of the x86 80-bit `long double` used by INCRBYFLOAT and
//! HINCRBYFLOAT — replaces it without changing these signatures.)

/// Redis's `string2ll`: a strict 64-bit integer (no spaces, no `+`, no leading zeros, no `-0`).
pub fn parse_i64(b: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(b).ok()?;
    if s.is_empty() || s.starts_with('+') || (s.len() > 1 && s.starts_with('0')) || s.starts_with("-0") {
        return None;
    }
    s.parse().ok()
}

/// An integer CONFIG value.
pub fn parse_memory_or_int(b: &[u8]) -> Option<i64> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// A double argument as Redis's `getDoubleFromObject` accepts it (scores, increments): `inf`,
/// `+inf`, `-inf` allowed; NaN, empty input, spaces and trailing garbage rejected.
pub fn parse_f64(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let v: f64 = s.parse().ok()?;
    if v.is_nan() {
        None
    } else {
        Some(v)
    }
}

/// A double as Redis 7.0 replies with it in RESP2 (`%.17g`, `inf`, `-inf`).
pub fn fmt_double(d: f64) -> String {
    format!("{d}")
}

/// The C `long double` Redis uses for INCRBYFLOAT and HINCRBYFLOAT (x86: 80-bit extended).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongDouble(f64);

/// Parses a `long double` like Redis's `string2ld` (None on bad input or NaN).
pub fn parse_long_double(b: &[u8]) -> Option<LongDouble> {
    parse_f64(b).map(LongDouble)
}

impl LongDouble {
    /// The sum, rounded as the C `long double` addition would.
    pub fn add(self, other: LongDouble) -> LongDouble {
        LongDouble(self.0 + other.0)
    }

    /// False for infinities (and NaN).
    pub fn is_finite(self) -> bool {
        self.0.is_finite()
    }
}

/// Prints a `long double` like Redis's `ld2string(..., LD_STR_HUMAN)` (`%.17Lf`, trailing zeros
/// and a trailing dot removed).
pub fn fmt_long_double(x: LongDouble) -> String {
    format!("{}", x.0)
}
