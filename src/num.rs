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

/// A double argument as Redis's `getDoubleFromObject` accepts it (scores, increments): C `strtod`
/// syntax, `inf`/`+inf`/`-inf`/`infinity` allowed; NaN, empty input, leading spaces, trailing
/// garbage, overflow to infinity and underflow to zero rejected.
pub fn parse_f64(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let first = *b.first()?;
    if first.is_ascii_whitespace() {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if v.is_nan() {
        return None;
    }
    let body = s.trim_start_matches(['+', '-']);
    let is_inf_literal = body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity");
    if v.is_infinite() && !is_inf_literal {
        return None; // ERANGE overflow
    }
    if is_inf_literal && !v.is_infinite() {
        return None;
    }
    if v == 0.0 {
        // ERANGE underflow: a non-zero mantissa that rounded to zero.
        let mantissa = body.split(['e', 'E']).next().unwrap_or("");
        if mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c)) {
            return None;
        }
    }
    Some(v)
}

/// A double as Redis 7.0 replies with it in RESP2: C's `%.17g` (17 significant digits, exponent
/// form below 1e-4 and from 1e17 up, trailing zeros dropped), `inf` and `-inf`.
pub fn fmt_double(d: f64) -> String {
    if d.is_nan() {
        return "nan".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Rust's `{:e}` with a precision is correctly rounded, like glibc's printf.
    let sci = format!("{:.16e}", d);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..17).contains(&exp) {
        let m = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", exp.abs());
    }
    let decimals = (16 - exp).max(0) as usize;
    strip_zeros(&format!("{:.*}", decimals, d)).to_string()
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows it.
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_printf_17g() {
        assert_eq!(fmt_double(1.1), "1.1000000000000001");
        assert_eq!(fmt_double(1.5), "1.5");
        assert_eq!(fmt_double(100.0), "100");
        assert_eq!(fmt_double(1e17), "1e+17");
        assert_eq!(fmt_double(1e16), "10000000000000000");
        assert_eq!(fmt_double(0.0001), "0.0001");
        assert_eq!(fmt_double(0.00001), "1.0000000000000001e-05");
        assert_eq!(fmt_double(-2.5e-300), "-2.5e-300");
        assert_eq!(fmt_double(f64::INFINITY), "inf");
        assert_eq!(fmt_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(fmt_double(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn doubles_parse_like_strtod_with_redis_checks() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"+inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"nan"), None);
        assert_eq!(parse_f64(b" 1"), None);
        assert_eq!(parse_f64(b"1 "), None);
        assert_eq!(parse_f64(b""), None);
        assert_eq!(parse_f64(b"1e400"), None);
        assert_eq!(parse_f64(b"1e-400"), None);
        assert_eq!(parse_f64(b"0e-400"), Some(0.0));
    }
}
