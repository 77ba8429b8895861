//! Numbers exactly as Redis parses and prints them (stub: the strings module fills this in).

/// Redis's `string2ll`: a strict 64-bit integer (no spaces, no `+`, no leading zeros).
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

/// A double as Redis prints it (`%.17g`).
pub fn fmt_double(d: f64) -> String {
    format!("{d}")
}
