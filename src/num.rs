//! Numbers exactly as Redis parses and prints them.
//!
//! Redis is strict and particular about numbers, and users see every detail of it in replies:
//!
//! - **Integers** ([`parse_i64`]) follow Redis's `string2ll`: an optional `-`, no `+`, no spaces,
//!   no leading zeros, no `-0`, at most 20 characters, and the value must fit in 64 bits.
//! - **Doubles** ([`parse_f64`], [`fmt_double`]) are C's `strtod` (decimal, hexadecimal `0x1p3`,
//!   `inf`/`infinity`) with Redis's extra checks, and C's `%.17g` on the way out.
//! - **`long double`** ([`LongDouble`]) is what INCRBYFLOAT and HINCRBYFLOAT compute with. On x86
//!   that is the 80-bit extended format: a 64-bit significand and a 15-bit exponent. The results
//!   users see (`INCRBYFLOAT a 0.1` on `1` gives `1.1`, not `1.1000000000000001`; `1.5e300` prints
//!   as a 301-digit integer) depend on every bit of it, so it is emulated here in software: decimal
//!   and hexadecimal input is converted exactly and rounded once (round-half-even, like `strtold`),
//!   addition is exact and rounded once (like the x87 FPU), and printing is `%.17Lf` computed from
//!   the exact binary value, as glibc's `printf` does. The exact steps use a small big-integer
//!   type of its own ([`Big`]: only the few operations these conversions need), so the
//!   emulation is the same on every platform, WebAssembly included.
//!
//! ## The extended format in brief
//! A finite value is `(-1)^neg × m × 2^q` with a 64-bit integer `m`. Normal numbers have the top bit
//! of `m` set and `q` in `-16445..=16320`; below that range (subnormals) `q` stays at `-16445` and `m`
//! loses its top bits. Rounding a wider exact value keeps the 64 most significant bits (fewer for
//! subnormals) and rounds the rest to nearest, ties to even.

/// Redis's `string2ll`: a strict 64-bit integer (no spaces, no `+`, no leading zeros, no `-0`,
/// fewer than 21 characters).
pub fn parse_i64(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() >= 21 {
        return None;
    }
    if b == b"0" {
        return Some(0);
    }
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    // The first digit must be 1-9: this rules out "", "-", "-0", "01" and "+1" at once.
    match digits.first() {
        Some(c) if (b'1'..=b'9').contains(c) => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if neg {
        if v > 1u64 << 63 {
            return None;
        }
        Some(0i64.wrapping_sub_unsigned(v))
    } else {
        i64::try_from(v).ok()
    }
}

/// A memory amount as Redis's `memtoull` reads it: digits followed by an optional unit `b`, `k`
/// (1000), `kb` (1024), `m`, `mb`, `g` or `gb` (any case). Like Redis, the arithmetic wraps on
/// overflow and no digits at all (`"k"`) reads as 0.
pub fn parse_memory(b: &[u8]) -> Option<u64> {
    if b.first() == Some(&b'-') {
        return None;
    }
    let ndigits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (digits, unit) = b.split_at(ndigits);
    let unit = unit.to_ascii_lowercase();
    let mul: u64 = match unit.as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits.len() >= 128 {
        return None;
    }
    // strtoull saturates on overflow.
    let mut v: u64 = 0;
    for &c in digits {
        v = v.saturating_mul(10).saturating_add(u64::from(c - b'0'));
    }
    Some(v.wrapping_mul(mul))
}

// ---------------------------------------------------------------------------------------------
// Parsing C floating-point syntax exactly.
// ---------------------------------------------------------------------------------------------

/// A number as written, before any rounding.
enum Literal<'a> {
    Inf(bool),
    Nan,
    /// `(-1)^neg × int.frac × 10^exp` (decimal) or `× 2^exp` (hexadecimal digits).
    Finite { neg: bool, int: &'a [u8], frac: &'a [u8], exp: i64, hex: bool },
}

impl Literal<'_> {
    /// For a finite literal: whether any digit is non-zero.
    fn nonzero(&self) -> bool {
        match self {
            Literal::Finite { int, frac, .. } => int.iter().chain(frac.iter()).any(|&c| c != b'0'),
            _ => true,
        }
    }

    /// For a finite literal: all its digits as one integer, and the power (of 10, or of 2 for
    /// hexadecimal) that scales it to the value written.
    fn scaled(&self) -> (Big, i64) {
        let Literal::Finite { int, frac, exp, hex, .. } = self else {
            return (Big::default(), 0);
        };
        let radix = if *hex { 16 } else { 10 };
        let values: Vec<u8> = int
            .iter()
            .chain(frac.iter())
            .map(|&c| (c as char).to_digit(radix).unwrap_or(0) as u8)
            .collect();
        let digits = Big::from_digits(&values, radix);
        let nfrac = i64::try_from(frac.len()).unwrap_or(i64::MAX / 8);
        let shift = if *hex { nfrac.saturating_mul(4) } else { nfrac };
        (digits, exp.saturating_sub(shift))
    }
}

/// Written exponents saturate here: far beyond any format's range even after adjusting for an
/// input of any realistic length, and far from overflowing an `i64`.
const EXP_CLAMP: i64 = 1_000_000_000_000_000;

/// Reads the whole of `s` as C's `strtod`/`strtold` would, or `None` if `strtod` would stop before
/// the end (or find nothing). Leading whitespace is not accepted: Redis rejects it.
fn scan_literal(s: &[u8]) -> Option<Literal<'_>> {
    let (neg, body) = match s.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == b"inf" || lower == b"infinity" {
        return Some(Literal::Inf(neg));
    }
    if lower.starts_with(b"nan") {
        let rest = &lower[3..];
        let ok = rest.is_empty()
            || (rest.first() == Some(&b'(')
                && rest.last() == Some(&b')')
                && rest[1..rest.len() - 1].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_'));
        return if ok { Some(Literal::Nan) } else { None };
    }
    let (hex, body) = match body {
        [b'0', b'x' | b'X', rest @ ..] => (true, rest),
        _ => (false, body),
    };
    let is_digit = |c: u8| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() };
    let int_len = body.iter().take_while(|c| is_digit(**c)).count();
    let (int_part, rest) = body.split_at(int_len);
    let (frac_part, rest) = match rest.split_first() {
        Some((b'.', after)) => {
            let n = after.iter().take_while(|c| is_digit(**c)).count();
            after.split_at(n)
        }
        _ => (&rest[..0], rest),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let marker = if hex { b'p' } else { b'e' };
    let mut exp: i64 = 0;
    match rest.split_first() {
        None => {}
        Some((c, after)) if c.to_ascii_lowercase() == marker => {
            let (eneg, edigits) = match after.split_first() {
                Some((b'-', r)) => (true, r),
                Some((b'+', r)) => (false, r),
                _ => (false, after),
            };
            if edigits.is_empty() || !edigits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            for &c in edigits {
                exp = (exp * 10 + i64::from(c - b'0')).min(EXP_CLAMP);
            }
            if eneg {
                exp = -exp;
            }
        }
        Some(_) => return None,
    }
    Some(Literal::Finite { neg, int: int_part, frac: frac_part, exp, hex })
}

// ---------------------------------------------------------------------------------------------
// Exact unsigned integers of any size.
// ---------------------------------------------------------------------------------------------

/// An unsigned integer of any size: 32-bit limbs, least significant first, with no zero limb at
/// the top (zero is no limbs at all). Only what the exact conversions below need: building from
/// digits, multiplying by a small number, shifting, comparing, adding and subtracting, dividing
/// when the quotient is small, and printing in decimal. Schoolbook methods throughout: the inputs
/// are bounded (a few thousand digits, or hexadecimal digits which need no arithmetic at all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn from_u128(v: u128) -> Big {
        let mut limbs = Vec::with_capacity(4);
        let mut v = v;
        while v != 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Big { limbs }
    }

    fn from_u64(v: u64) -> Big {
        Big::from_u128(u128::from(v))
    }

    /// The integer whose digits (values below `radix`, most significant first) these are.
    fn from_digits(values: &[u8], radix: u32) -> Big {
        let mut n = Big::default();
        if radix == 16 {
            // Four bits per digit: placed directly, in linear time whatever the length.
            n.limbs = vec![0; values.len().div_ceil(8)];
            for (i, &d) in values.iter().rev().enumerate() {
                if let Some(limb) = n.limbs.get_mut(i / 8) {
                    *limb |= u32::from(d & 0xf) << (4 * (i % 8));
                }
            }
            n.trim();
            return n;
        }
        // Nine decimal digits at a time: 10^9 fits in a limb.
        for chunk in values.chunks(9) {
            let mut scale = 1u32;
            let mut add = 0u32;
            for &d in chunk {
                scale *= radix;
                add = add * radix + u32::from(d);
            }
            n.mul_small(scale);
            n.add_small(add);
        }
        n
    }

    /// `base^exp` (`base` small).
    fn pow(base: u32, exp: u32) -> Big {
        let mut n = Big::from_u64(1);
        n.mul_pow(base, exp);
        n
    }

    /// Multiplies by `base^exp`, in steps of the largest power of `base` that fits in a limb.
    fn mul_pow(&mut self, base: u32, mut exp: u32) {
        let (mut step, mut step_exp) = (base, 1);
        while let Some(next) = step.checked_mul(base) {
            step = next;
            step_exp += 1;
        }
        while exp >= step_exp {
            self.mul_small(step);
            exp -= step_exp;
        }
        if exp > 0 {
            self.mul_small(base.pow(exp));
        }
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// The number of significant bits (0 for zero).
    fn bits(&self) -> u64 {
        match self.limbs.last() {
            None => 0,
            Some(top) => self.limbs.len() as u64 * 32 - u64::from(top.leading_zeros()),
        }
    }

    /// Whether any bit below bit `i` is set.
    fn any_below(&self, i: u64) -> bool {
        let whole = usize::try_from(i / 32).unwrap_or(usize::MAX).min(self.limbs.len());
        if self.limbs[..whole].iter().any(|&l| l != 0) {
            return true;
        }
        let part = (i % 32) as u32;
        part > 0 && self.limbs.get(whole).is_some_and(|&l| l & ((1u32 << part) - 1) != 0)
    }

    /// The lowest 64 bits.
    fn low_u64(&self) -> u64 {
        let lo = u64::from(self.limbs.first().copied().unwrap_or(0));
        let hi = u64::from(self.limbs.get(1).copied().unwrap_or(0));
        hi << 32 | lo
    }

    /// The lowest 128 bits.
    fn low_u128(&self) -> u128 {
        self.limbs.iter().take(4).rev().fold(0u128, |acc, &l| acc << 32 | u128::from(l))
    }

    fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big::default();
        }
        let whole = (n / 32) as usize;
        let part = (n % 32) as u32;
        let mut limbs = vec![0u32; whole];
        limbs.reserve(self.limbs.len() + 1);
        if part == 0 {
            limbs.extend_from_slice(&self.limbs);
        } else {
            let mut carry = 0u32;
            for &l in &self.limbs {
                limbs.push(l << part | carry);
                carry = l >> (32 - part);
            }
            limbs.push(carry);
        }
        let mut r = Big { limbs };
        r.trim();
        r
    }

    fn shr(&self, n: u64) -> Big {
        let whole = usize::try_from(n / 32).unwrap_or(usize::MAX);
        let part = (n % 32) as u32;
        let Some(rest) = self.limbs.get(whole..) else {
            return Big::default();
        };
        let limbs = if part == 0 {
            rest.to_vec()
        } else {
            (0..rest.len())
                .map(|i| rest[i] >> part | rest.get(i + 1).map_or(0, |&h| h << (32 - part)))
                .collect()
        };
        let mut r = Big { limbs };
        r.trim();
        r
    }

    fn mul_small(&mut self, f: u32) {
        let mut carry = 0u64;
        for l in &mut self.limbs {
            let p = u64::from(*l) * u64::from(f) + carry;
            *l = p as u32;
            carry = p >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = a;
        for l in &mut self.limbs {
            if carry == 0 {
                return;
            }
            let (s, o) = l.overflowing_add(carry);
            *l = s;
            carry = u32::from(o);
        }
        if carry != 0 {
            self.limbs.push(carry);
        }
    }

    fn add(&self, other: &Big) -> Big {
        let (long, short) = if self.limbs.len() >= other.limbs.len() { (self, other) } else { (other, self) };
        let mut limbs = Vec::with_capacity(long.limbs.len() + 1);
        let mut carry = 0u64;
        for (i, &l) in long.limbs.iter().enumerate() {
            let s = u64::from(l) + u64::from(short.limbs.get(i).copied().unwrap_or(0)) + carry;
            limbs.push(s as u32);
            carry = s >> 32;
        }
        if carry != 0 {
            limbs.push(carry as u32);
        }
        Big { limbs }
    }

    /// `self - other`; `other` must not be larger.
    fn sub(&self, other: &Big) -> Big {
        let mut limbs = Vec::with_capacity(self.limbs.len());
        let mut borrow = 0i64;
        for (i, &l) in self.limbs.iter().enumerate() {
            let d = i64::from(l) - i64::from(other.limbs.get(i).copied().unwrap_or(0)) - borrow;
            limbs.push(d as u32);
            borrow = i64::from(d < 0);
        }
        let mut r = Big { limbs };
        r.trim();
        r
    }

    /// `(self / d, self % d)` for a non-zero `d` when the quotient is known to fit in 127 bits,
    /// one quotient bit at a time.
    fn div_small_quotient(&self, d: &Big) -> (u128, Big) {
        if d.limbs.len() <= 2 {
            // A divisor of one 64-bit word: long division a limb at a time.
            let d = d.low_u64();
            let mut rem = 0u128;
            let mut q = 0u128;
            for &l in self.limbs.iter().rev() {
                let cur = (rem << 32) | u128::from(l);
                q = (q << 32) | (cur / u128::from(d.max(1)));
                rem = cur % u128::from(d.max(1));
            }
            return (q, Big::from_u128(rem));
        }
        let mut rem = self.clone();
        let mut q = 0u128;
        let top = self.bits().saturating_sub(d.bits()).min(126);
        for i in (0..=top).rev() {
            let t = d.shl(i);
            if rem >= t {
                rem = rem.sub(&t);
                q |= 1 << i;
            }
        }
        (q, rem)
    }

    /// Divides in place by a non-zero `d`, returning the remainder.
    fn div_rem_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for l in self.limbs.iter_mut().rev() {
            let cur = rem << 32 | u64::from(*l);
            *l = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    /// The decimal digits.
    fn to_decimal(&self) -> String {
        const CHUNK: u32 = 1_000_000_000;
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_rem_small(CHUNK));
        }
        let mut s = chunks.pop().map_or_else(|| "0".to_string(), |top| top.to_string());
        for c in chunks.iter().rev() {
            s.push_str(&format!("{c:09}"));
        }
        s
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.limbs.len().cmp(&other.limbs.len()).then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

/// A binary floating-point format: `bits` significand bits, and the range of the exponent `q` of
/// the significand's last bit (`q_min` is where subnormals sit).
#[derive(Clone, Copy)]
struct Format {
    bits: u64,
    q_min: i64,
    q_max: i64,
}

const X87: Format = Format { bits: 64, q_min: -16445, q_max: 16320 };
const BINARY64: Format = Format { bits: 53, q_min: -1074, q_max: 971 };

/// A value rounded to a [`Format`]: `m × 2^q`, or overflow.
enum Rounded {
    Finite { m: u64, q: i64 },
    Overflow,
}

/// Rounds the exact value `m × 2^q` to `fmt`, to nearest with ties to even.
fn round_exact(m: &Big, q: i64, fmt: Format) -> Rounded {
    // Only the top bits matter, and whether anything below them is set: keep 127 bits with the
    // rest folded into the lowest one (a sticky bit, far below any rounding position).
    let len = m.bits();
    if len <= 127 {
        return round_u128(m.low_u128(), q, fmt);
    }
    let s = len - 127;
    let top = m.shr(s).low_u128() | u128::from(m.any_below(s));
    round_u128(top, q.saturating_add(s as i64), fmt)
}

/// [`round_exact`] for a value whose significand fits in a `u128`.
fn round_u128(m: u128, q: i64, fmt: Format) -> Rounded {
    if m == 0 {
        return Rounded::Finite { m: 0, q: fmt.q_min };
    }
    let len = i64::from(128 - m.leading_zeros());
    let target = (q + len - fmt.bits as i64).max(fmt.q_min);
    let mut r;
    let mut q2 = target;
    if target <= q {
        // Fits without losing anything (the shift is below 64).
        r = (m << (q - target) as u32) as u64;
    } else {
        let shift = (target - q) as u64;
        r = if shift < 128 { (m >> shift) as u64 } else { 0 };
        let half = shift <= 128 && (m >> (shift - 1)) & 1 == 1;
        let sticky = shift >= 129 || m & ((1u128 << (shift - 1)) - 1) != 0;
        if half && (sticky || r & 1 == 1) {
            // Rounding up can carry into a new top bit: renormalize.
            let up = u128::from(r) + 1;
            if up >> fmt.bits != 0 {
                r = (up >> 1) as u64;
                q2 += 1;
            } else {
                r = up as u64;
            }
        }
    }
    if q2 > fmt.q_max {
        return Rounded::Overflow;
    }
    Rounded::Finite { m: r, q: q2 }
}

/// Converts an exact literal to `fmt`. `None` for NaN; overflow gives `Overflow`.
fn convert(digits: &Big, exp: i64, hex: bool, fmt: Format) -> Rounded {
    if digits.is_zero() {
        return Rounded::Finite { m: 0, q: fmt.q_min };
    }
    if hex {
        let top = (digits.bits() as i64).saturating_add(exp);
        if top > 20_000 {
            return Rounded::Overflow;
        }
        if top < -20_000 {
            return Rounded::Finite { m: 0, q: fmt.q_min };
        }
        return round_exact(digits, exp, fmt);
    }
    // Decimal: digits × 10^exp. 10^k needs about 3.33k bits; bound the work by the magnitude.
    // Number of decimal digits, give or take one (the bounds below are loose).
    let ndigits = digits.bits() as i64 * 30_103 / 100_000 + 1;
    if ndigits.saturating_add(exp) > 5_000 {
        return Rounded::Overflow;
    }
    if ndigits.saturating_add(exp) < -5_000 {
        return Rounded::Finite { m: 0, q: fmt.q_min };
    }
    if exp >= 0 {
        if digits.bits() <= 128 {
            let small = u32::try_from(exp).ok().and_then(|e| 10u128.checked_pow(e));
            if let Some(v) = small.and_then(|p| p.checked_mul(digits.low_u128())) {
                return round_u128(v, 0, fmt);
            }
        }
        let mut scaled = digits.clone();
        scaled.mul_pow(10, exp as u32);
        return round_exact(&scaled, 0, fmt);
    }
    // digits / 10^k = (digits / 5^k) × 2^-k. Scale the digits by a power of two so that the
    // quotient has a few bits more than the format keeps (at most 70 bits): what lies below only
    // matters as a sticky bit under the rounding position, and bits shifted out of the digits
    // count towards it like a remainder. (floor((n + f) / d) = floor(n / d) for integers n, d
    // and 0 <= f < 1, so shifting first and dividing second gives the same quotient.)
    let k = (-exp) as u32;
    let five_k = Big::pow(5, k);
    let shift = five_k.bits() as i64 - digits.bits() as i64 + fmt.bits as i64 + 3;
    let (num, lost) = if shift >= 0 {
        (digits.shl(shift as u64), false)
    } else {
        (digits.shr(shift.unsigned_abs()), digits.any_below(shift.unsigned_abs()))
    };
    let (quotient, rem) = num.div_small_quotient(&five_k);
    let exact = rem.is_zero() && !lost;
    let with_sticky = Big::from_u128(quotient << 1 | u128::from(!exact));
    round_exact(&with_sticky, -(k as i64) - shift - 1, fmt)
}

/// The `f64` `m × 2^q` for a [`BINARY64`] rounding result (`m < 2^53`, normalized unless
/// subnormal).
fn f64_from_parts(m: u64, q: i64) -> f64 {
    if m >> 52 == 0 {
        f64::from_bits(m) // subnormal (or zero): q is -1074
    } else {
        f64::from_bits((((q + 1075) as u64) << 52) | (m & ((1 << 52) - 1)))
    }
}

/// A double argument as Redis's `getDoubleFromObject` accepts it (scores, increments): C `strtod`
/// syntax (decimal, hexadecimal, `inf`, `infinity`); NaN, empty input, leading spaces, trailing
/// garbage, overflow to infinity and underflow to zero rejected.
pub fn parse_f64(b: &[u8]) -> Option<f64> {
    if b.first()?.is_ascii_whitespace() {
        return None;
    }
    let lit = scan_literal(b)?;
    match lit {
        Literal::Nan => None,
        Literal::Inf(neg) => Some(if neg { f64::NEG_INFINITY } else { f64::INFINITY }),
        Literal::Finite { neg, hex, .. } => {
            let v = if hex {
                let (digits, exp) = lit.scaled();
                match convert(&digits, exp, true, BINARY64) {
                    Rounded::Overflow => return None,
                    Rounded::Finite { m, q } => f64_from_parts(m, q),
                }
            } else {
                // The syntax is checked above; Rust's parser is correctly rounded like glibc's.
                let text = std::str::from_utf8(b).ok()?;
                let v: f64 = text.parse().ok()?;
                if v.is_infinite() {
                    return None;
                }
                v.abs()
            };
            if v == 0.0 && lit.nonzero() {
                return None; // underflow
            }
            Some(if neg { -v } else { v })
        }
    }
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
    // Rust's `{:e}` with a precision is exact and rounds ties to even, like glibc's printf.
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

// ---------------------------------------------------------------------------------------------
// The 80-bit long double.
// ---------------------------------------------------------------------------------------------

/// The C `long double` Redis uses for INCRBYFLOAT and HINCRBYFLOAT: the x86 80-bit extended
/// format, emulated bit for bit. NaN never appears: parsing refuses it and [`LongDouble::add`]
/// reports it as not finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongDouble {
    neg: bool,
    class: Class,
    /// Significand (finite values).
    m: u64,
    /// Exponent of the significand's last bit (finite values).
    q: i64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    Finite,
    Inf,
    Nan,
}

impl LongDouble {
    /// Positive zero.
    pub const ZERO: LongDouble = LongDouble { neg: false, class: Class::Finite, m: 0, q: X87.q_min };

    fn inf(neg: bool) -> LongDouble {
        LongDouble { neg, class: Class::Inf, m: 0, q: 0 }
    }

    fn from_rounded(neg: bool, r: Rounded) -> LongDouble {
        match r {
            Rounded::Finite { m, q } => LongDouble { neg, class: Class::Finite, m, q },
            Rounded::Overflow => LongDouble::inf(neg),
        }
    }

    /// The exact value of a 64-bit integer (every one fits in the 64-bit significand).
    pub fn from_i64(v: i64) -> LongDouble {
        let r = round_u128(u128::from(v.unsigned_abs()), 0, X87);
        LongDouble::from_rounded(v < 0, r)
    }

    /// The sum, rounded once as the x87 `long double` addition does (to nearest, ties to even).
    #[allow(clippy::should_implement_trait)] // kept as a method by name; `+` works too
    pub fn add(self, other: LongDouble) -> LongDouble {
        let nan = LongDouble { neg: false, class: Class::Nan, m: 0, q: 0 };
        match (self.class, other.class) {
            (Class::Nan, _) | (_, Class::Nan) => return nan,
            (Class::Inf, Class::Inf) => return if self.neg == other.neg { self } else { nan },
            (Class::Inf, _) => return self,
            (_, Class::Inf) => return other,
            _ => {}
        }
        if self.m == 0 && other.m == 0 {
            // (-0) + (-0) is -0; any other sum of zeros is +0.
            return LongDouble { neg: self.neg && other.neg, ..LongDouble::ZERO };
        }
        // Exact sum on a common exponent, then one rounding.
        let q = self.q.min(other.q);
        if self.q.abs_diff(other.q) <= 62 {
            // Both fit in 127 bits on the common exponent, and so does their sum.
            let a = u128::from(self.m) << (self.q - q);
            let b = u128::from(other.m) << (other.q - q);
            let (neg, mag) = if self.neg == other.neg {
                (self.neg, a + b)
            } else if a >= b {
                (self.neg, a - b)
            } else {
                (other.neg, b - a)
            };
            if mag == 0 {
                return LongDouble::ZERO;
            }
            return LongDouble::from_rounded(neg, round_u128(mag, q, X87));
        }
        let a = Big::from_u64(self.m).shl((self.q - q) as u64);
        let b = Big::from_u64(other.m).shl((other.q - q) as u64);
        let (neg, mag) = if self.neg == other.neg {
            (self.neg, a.add(&b))
        } else if a >= b {
            (self.neg, a.sub(&b))
        } else {
            (other.neg, b.sub(&a))
        };
        if mag.is_zero() {
            return LongDouble::ZERO; // x + (-x) is +0 when rounding to nearest
        }
        LongDouble::from_rounded(neg, round_exact(&mag, q, X87))
    }

    /// False for infinities (and NaN).
    pub fn is_finite(self) -> bool {
        self.class == Class::Finite
    }

    /// The 80-bit encoding as (sign, biased exponent, significand), as the x87 stores it in memory.
    pub fn to_parts(self) -> (bool, u16, u64) {
        match self.class {
            Class::Inf => (self.neg, 0x7fff, 1 << 63),
            Class::Nan => (self.neg, 0x7fff, 0xc000_0000_0000_0000),
            Class::Finite => {
                let exp = if self.m >> 63 == 0 { 0 } else { (self.q - X87.q_min + 1) as u16 };
                (self.neg, exp, self.m)
            }
        }
    }

    /// The nearest `f64` (for display or comparison; not used by the arithmetic).
    pub fn to_f64(self) -> f64 {
        match self.class {
            Class::Nan => f64::NAN,
            Class::Inf => {
                if self.neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Class::Finite => {
                let v = match round_u128(u128::from(self.m), self.q, BINARY64) {
                    Rounded::Overflow => f64::INFINITY,
                    Rounded::Finite { m, q } => f64_from_parts(m, q),
                };
                if self.neg {
                    -v
                } else {
                    v
                }
            }
        }
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    fn add(self, other: LongDouble) -> LongDouble {
        LongDouble::add(self, other)
    }
}

/// Longest input Redis's `string2ld` reads (its buffer is 5 KiB including the terminator).
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

/// Parses a `long double` like Redis's `string2ld` (`strtold` on the whole input): `None` on empty
/// or over-long input, leading whitespace, trailing characters, NaN, and values that overflow to
/// infinity or underflow to zero. `inf`/`infinity` and hexadecimal forms are accepted.
pub fn parse_long_double(b: &[u8]) -> Option<LongDouble> {
    if b.is_empty() || b.len() >= MAX_LONG_DOUBLE_CHARS || b[0].is_ascii_whitespace() {
        return None;
    }
    // C stops at a NUL byte, which then counts as trailing garbage; the scanner rejects it too.
    let lit = scan_literal(b)?;
    match lit {
        Literal::Nan => None,
        Literal::Inf(neg) => Some(LongDouble::inf(neg)),
        Literal::Finite { neg, hex, .. } => {
            let (digits, exp) = lit.scaled();
            let v = LongDouble::from_rounded(neg, convert(&digits, exp, hex, X87));
            if !v.is_finite() || (v.m == 0 && !digits.is_zero()) {
                return None; // ERANGE: overflow or underflow to zero
            }
            Some(v)
        }
    }
}

/// Prints a `long double` like Redis's `ld2string(..., LD_STR_HUMAN)`: C's `%.17Lf` (every integer
/// digit, 17 decimals rounded half-to-even from the exact value), then trailing zeros and a
/// trailing dot removed, and `-0` shown as `0`. Infinities print as `inf` and `-inf`.
pub fn fmt_long_double(x: LongDouble) -> String {
    match x.class {
        Class::Inf => return if x.neg { "-inf".into() } else { "inf".into() },
        Class::Nan => return if x.neg { "-nan".into() } else { "nan".into() },
        Class::Finite => {}
    }
    let mut digits = if x.q >= 0 {
        // An integer: no fractional digits at all.
        if x.q < 64 {
            (u128::from(x.m) << x.q).to_string()
        } else {
            Big::from_u64(x.m).shl(x.q as u64).to_decimal()
        }
    } else {
        // round(m × 10^17 / 2^-q), ties to even, then place the point 17 digits from the end.
        // m × 10^17 < 2^121 fits in a u128; shifts of 128 bits or more leave nothing.
        let shift = x.q.unsigned_abs();
        let n = u128::from(x.m) * 10u128.pow(17);
        let r = if shift < 128 { n >> shift } else { 0 };
        let half = shift <= 128 && n >> (shift - 1) & 1 == 1;
        let below = if shift > 128 { n } else { n & ((1u128 << (shift - 1)) - 1) };
        let sticky = below != 0;
        let r = if half && (sticky || r & 1 == 1) { r + 1 } else { r };
        let s = format!("{r:0>18}");
        let (int, frac) = s.split_at(s.len() - 17);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    };
    if x.neg && digits != "0" {
        digits.insert(0, '-');
    }
    digits
}

/// The bytes a C function sees of an argument: everything before the first NUL byte.
pub fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&b| b == 0) {
        Some(end) => &arg[..end],
        None => arg,
    }
}

/// C's `isspace` in the "C" locale.
pub fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}


/// Parses a SCAN cursor the way C's `strtoul` (base 10) reads it, with Redis's extra checks: no
/// leading space, nothing after the digits, no overflow. Like `strtoul`, it accepts an empty
/// string (0), a leading `+`, and a leading `-` (which negates modulo 2^64); and, reading a C
/// string, it stops at a NUL byte.
pub fn parse_scan_cursor(arg: &[u8]) -> Option<u64> {
    let s = match arg.iter().position(|&b| b == 0) {
        Some(end) => &arg[..end],
        None => arg,
    };
    let first = s.first().copied();
    if first.is_some_and(|c| c == b' ' || (b'\t'..=b'\r').contains(&c)) {
        return None;
    }
    let (negative, digits) = match first {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        // No number at all: strtoul leaves the end pointer at the start of the string, which is
        // only acceptable when the string is empty.
        return if s.is_empty() { Some(0) } else { None };
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(if negative { v.wrapping_neg() } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_like_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"+1",
            b"01",
            b" 1",
            b"1 ",
            b"1.0",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"18446744073709551616",
            b"99999999999999999999",
            b"1e3",
            b"0x10",
            b"\xd9\xa1",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn memory_amounts_parse_like_memtoull() {
        assert_eq!(parse_memory(b"100"), Some(100));
        assert_eq!(parse_memory(b"1k"), Some(1000));
        assert_eq!(parse_memory(b"1KB"), Some(1024));
        assert_eq!(parse_memory(b"2mb"), Some(2 << 20));
        assert_eq!(parse_memory(b"3g"), Some(3_000_000_000));
        assert_eq!(parse_memory(b"1gb"), Some(1 << 30));
        assert_eq!(parse_memory(b"5b"), Some(5));
        assert_eq!(parse_memory(b"k"), Some(0));
        assert_eq!(parse_memory(b"-1"), None);
        assert_eq!(parse_memory(b"1t"), None);
        assert_eq!(parse_memory(b"1 k"), None);
    }

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
        assert_eq!(parse_f64(b"Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"1."), Some(1.0));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"0x10"), Some(16.0));
        assert_eq!(parse_f64(b"-0x1.8p1"), Some(-3.0));
        assert_eq!(parse_f64(b"0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(parse_f64(b"0x1p-1076"), None);
        assert_eq!(parse_f64(b"0x1p1024"), None);
        assert_eq!(parse_f64(b"4.9e-324"), Some(f64::from_bits(1)));
        assert_eq!(parse_f64(b"nan"), None);
        assert_eq!(parse_f64(b"nan(1)"), None);
        assert_eq!(parse_f64(b" 1"), None);
        assert_eq!(parse_f64(b"1 "), None);
        assert_eq!(parse_f64(b""), None);
        assert_eq!(parse_f64(b"."), None);
        assert_eq!(parse_f64(b"1e"), None);
        assert_eq!(parse_f64(b"0x"), None);
        assert_eq!(parse_f64(b"1e400"), None);
        assert_eq!(parse_f64(b"1e-400"), None);
        assert_eq!(parse_f64(b"0e-400"), Some(0.0));
        // Long inputs are handled in linear time.
        let long = format!("0.{}1e100000", "0".repeat(99_999));
        assert_eq!(parse_f64(long.as_bytes()), Some(1.0));
        assert_eq!(parse_f64("9".repeat(1_000_000).as_bytes()), None);
        let hex = format!("0x{}p-4000000", "f".repeat(1_000_000));
        assert_eq!(parse_f64(hex.as_bytes()), Some(1.0));
    }

    fn ld(s: &str) -> LongDouble {
        parse_long_double(s.as_bytes()).unwrap_or_else(|| panic!("{s} should parse"))
    }

    fn incr(a: &str, b: &str) -> String {
        fmt_long_double(ld(a).add(ld(b)))
    }

    #[test]
    fn long_double_matches_x87_results() {
        assert_eq!(incr("1", "0.1"), "1.1");
        assert_eq!(incr("10.5", "0.1"), "10.6");
        assert_eq!(incr("3.0e3", "200"), "3200");
        assert_eq!(incr("5.0e3", "2.0e2"), "5200");
        assert_eq!(incr("0", "1.5e300").len(), 301);
        assert_eq!(fmt_long_double(ld("0.1")), "0.1");
        assert_eq!(fmt_long_double(ld("-0")), "0");
        assert_eq!(fmt_long_double(ld("-0.000000000000000001")), "0");
        assert_eq!(fmt_long_double(ld("0x1p-18")), "0.00000381469726562");
        assert_eq!(ld("1").to_parts(), (false, 16383, 1 << 63));
        assert_eq!(ld("-2").to_parts(), (true, 16384, 1 << 63));
        assert_eq!(ld("0x1p-16445").to_parts(), (false, 0, 1));
        assert_eq!(LongDouble::from_i64(i64::MIN).to_parts(), (true, 16383 + 63, 1 << 63));
        // Half the least subnormal ties to even, that is to zero: an underflow, refused.
        assert!(parse_long_double(b"0x1p-16446").is_none());
        assert!(parse_long_double(b"0x1.8p-16446").is_some());
    }

    #[test]
    fn long_double_rejects_what_string2ld_rejects() {
        for bad in ["", " 1", "1 ", "nan", "-nan", "abc", "1e5000", "1e-5000", "0x", "1e", "--1", "1\0"] {
            assert!(parse_long_double(bad.as_bytes()).is_none(), "{bad:?}");
        }
        assert!(parse_long_double(format!("0.{}", "1".repeat(5117)).as_bytes()).is_some());
        assert!(parse_long_double(format!("0.{}", "1".repeat(5118)).as_bytes()).is_none());
        assert!(!ld("inf").add(ld("1")).is_finite());
        assert!(!ld("inf").add(ld("-inf")).is_finite());
        assert!(!ld("1.18973149535723176502e+4932").add(ld("1e4932")).is_finite());
    }

    #[test]
    fn big_integers_agree_with_u128() {
        let samples = [0u128, 1, 9, 10, 0xffff_ffff, 1 << 32, u64::MAX as u128, 12_345_678_901_234_567_890_123, u128::MAX >> 3];
        for &a in &samples {
            let big = Big::from_u128(a);
            assert_eq!(big.to_decimal(), a.to_string());
            assert_eq!(u128::from(big.bits() as u32), 128 - u128::from(a.leading_zeros()));
            for n in [0u64, 1, 5, 31, 32, 33, 64, 70] {
                assert_eq!(big.shr(n), Big::from_u128(a.checked_shr(n as u32).unwrap_or(0)), "{a} >> {n}");
                assert_eq!(big.any_below(n), n > 0 && a.trailing_zeros() < n as u32, "{a} below {n}");
                if a.leading_zeros() as u64 >= n {
                    assert_eq!(big.shl(n), Big::from_u128(a << n), "{a} << {n}");
                }
            }
            for &b in &samples {
                if a.checked_add(b).is_some() {
                    assert_eq!(big.add(&Big::from_u128(b)), Big::from_u128(a + b));
                }
                if a >= b {
                    assert_eq!(big.sub(&Big::from_u128(b)), Big::from_u128(a - b));
                }
                if b != 0 {
                    let (q, r) = big.div_small_quotient(&Big::from_u128(b));
                    assert_eq!((q, r), (a / b, Big::from_u128(a % b)), "{a} / {b}");
                }
                assert_eq!(big.cmp(&Big::from_u128(b)), a.cmp(&b));
            }
        }
        assert_eq!(Big::from_digits(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2], 10), Big::from_u128(123_456_789_012));
        assert_eq!(Big::from_digits(&[0xf, 0, 0xa, 1, 2, 3, 4, 5, 6, 7, 8], 16), Big::from_u128(0xf0a_1234_5678));
        assert_eq!(Big::pow(5, 30), Big::from_u128(5u128.pow(30)));
        assert_eq!(Big::pow(10, 100).to_decimal(), format!("1{}", "0".repeat(100)));
    }

    #[test]
    fn long_inputs_convert_exactly() {
        // 2^-16445 (the least subnormal) printed exactly has far more digits than the 5 KiB input
        // limit, but its neighbourhood rounds: the first 40 significant digits, then noise.
        assert_eq!(ld("3.645199531882474602528405933619419816399e-4951").to_parts(), (false, 0, 1));
        // A long run of digits just above and just below a rounding tie.
        let tie = "1.00000000000000000005421010862427522170037264004349708557128906250";
        assert_eq!(ld(tie).to_parts().2, 1 << 63);
        assert_eq!(ld(&format!("{tie}{}1", "0".repeat(3000))).to_parts().2, (1 << 63) + 1);
        // As redis-server 7.0 on x86-64 prints them (INCRBYFLOAT on 0).
        assert_eq!(fmt_long_double(ld("123456789.98765432123456789e-3")), "123456.78998765432123719");
        // The nearest long double to 1e4000 is a little below it: 4000 digits, all integer.
        let big = fmt_long_double(ld("1e4000"));
        assert_eq!((big.len(), &big[..12]), (4000, "999999999999"));
        assert_eq!(&fmt_long_double(ld("1e4000").add(ld("1e4000")))[..30], "199999999999999999999309277461");
    }

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_scan_cursor(b"0"), Some(0));
        assert_eq!(parse_scan_cursor(b""), Some(0));
        assert_eq!(parse_scan_cursor(b"+0"), Some(0));
        assert_eq!(parse_scan_cursor(b"-0"), Some(0));
        assert_eq!(parse_scan_cursor(b"42"), Some(42));
        assert_eq!(parse_scan_cursor(b"007"), Some(7));
        assert_eq!(parse_scan_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_scan_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_scan_cursor(b"-18446744073709551615"), Some(1));
        assert_eq!(parse_scan_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_scan_cursor(b" 0"), None);
        assert_eq!(parse_scan_cursor(b"\t0"), None);
        assert_eq!(parse_scan_cursor(b"0 "), None);
        assert_eq!(parse_scan_cursor(b"0x"), None);
        assert_eq!(parse_scan_cursor(b"+"), None);
        assert_eq!(parse_scan_cursor(b"-"), None);
        assert_eq!(parse_scan_cursor(b"abc"), None);
        assert_eq!(parse_scan_cursor(b"1\x00junk"), Some(1));
    }
}
