//! Redis's glob-style pattern matcher, as used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and
//! friends.
//!
//! ## The language
//! - `*` matches any run of bytes, `?` any single byte.
//! - `[abc]` matches one of the listed bytes, `[^abc]` one byte not listed, `[a-z]` a range (a
//!   reversed range such as `[z-a]` means the same thing), `\x` inside a class is a literal `x`.
//! - `\x` outside a class is a literal `x`; a trailing `\` is a literal backslash.
//! - With `nocase`, ASCII letters compare case-insensitively (except escaped bytes in a class).
//!
//! ## Quirks kept on purpose
//! Redis's matcher is a byte-at-a-time state machine, and its corner cases are part of the visible
//! behaviour of KEYS and SCAN, so they are reproduced exactly:
//! - An unterminated class (`[abc` at the end of a pattern) is still a class.
//! - A `-` that follows a byte is always a range, even when the range's end is the closing
//!   bracket: `[a-]` is the range from `]` to `a`, and the class runs on past that bracket.
//! - Ranges compare bytes as C's signed `char`, so bytes from 0x80 up sort *below* `\0`.
//! - `*` never matches at the very end of the subject, except as trailing stars once the subject is
//!   used up: `**` does not match the empty string (KEYS and SCAN special-case the lone `*`).
//!
//! ## No exponential blow-up
//! A naive backtracking matcher tries every split of the subject for every `*`, which makes
//! patterns such as `a*a*a*a*a*b` exponential. Redis avoids that with a shared flag: once the part
//! of the pattern after some `*` has failed from every position of the subject, no earlier `*`
//! can help by matching more, so the whole match fails. Equivalently, only the most recent `*`
//! ever needs to backtrack. That is what [`matches`] does, iteratively: it remembers one
//! backtracking point (the last `*` seen and the subject position it is trying), so the cost is
//! O(pattern × subject) in the worst case, with no recursion (deep `*a*a*a...` patterns cannot
//! overflow the stack, which matters in WebAssembly).

/// ASCII lower-casing of a byte read as C's signed `char` (C's `tolower` in the "C" locale).
fn lower(c: i32) -> i32 {
    if (b'A' as i32..=b'Z' as i32).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// Two bytes compared as Redis compares literal pattern bytes.
fn same(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

/// What one step of the matcher did.
enum Step {
    /// Matched; carry on.
    Next,
    /// This attempt failed.
    Fail,
    /// The rest of the pattern is a lone `*`: the whole subject matches.
    Done,
}

/// True when `s` matches the glob `pattern` exactly as Redis 7.0's `stringmatchlen` decides it.
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    let plen = pattern.len();
    let slen = s.len();
    // The pattern read like a C string: past its end there is a NUL.
    let at = |i: usize| -> u8 { pattern.get(i).copied().unwrap_or(0) };

    let mut p = 0usize;
    let mut i = 0usize;
    // The last `*` met (its index) and the subject position the text after it is being tried at.
    let mut star: Option<(usize, usize)> = None;

    loop {
        // One attempt from (p, i): run until the pattern or the subject is used up, or a mismatch.
        let mut failed = false;
        while p < plen && i < slen {
            let step = match at(p) {
                b'*' => {
                    while at(p + 1) == b'*' {
                        p += 1;
                    }
                    if plen - p == 1 {
                        Step::Done
                    } else {
                        // Try the rest of the pattern from here; on failure, from one byte later.
                        star = Some((p, i));
                        p += 1;
                        continue;
                    }
                }
                b'?' => {
                    i += 1;
                    Step::Next
                }
                b'[' => {
                    let (ok, end) = class(pattern, p + 1, s[i], nocase);
                    p = end;
                    if ok {
                        i += 1;
                        Step::Next
                    } else {
                        Step::Fail
                    }
                }
                c => {
                    // `\x` is a literal x; a trailing `\` is itself.
                    let lit = if c == b'\\' && plen - p >= 2 {
                        p += 1;
                        at(p)
                    } else {
                        c
                    };
                    if same(lit, s[i], nocase) {
                        i += 1;
                        Step::Next
                    } else {
                        Step::Fail
                    }
                }
            };
            match step {
                Step::Done => return true,
                Step::Fail => {
                    failed = true;
                    break;
                }
                Step::Next => {}
            }
            p += 1;
            if i == slen {
                // Subject used up: trailing stars match nothing.
                while at(p) == b'*' {
                    p += 1;
                }
                break;
            }
        }
        if !failed && p == plen && i == slen {
            return true;
        }
        // Backtrack: let the last `*` swallow one more byte (it never tries the empty tail).
        match star {
            Some((sp, si)) if si + 1 < slen => {
                star = Some((sp, si + 1));
                p = sp + 1;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

/// Matches the byte `c` against the class starting at `pattern[start]` (just after the `[`).
/// Returns whether it matched and the index of the class's last byte (its `]`, or the pattern's
/// last byte when the class is unterminated).
fn class(pattern: &[u8], start: usize, c: u8, nocase: bool) -> (bool, usize) {
    let plen = pattern.len();
    let at = |i: usize| -> u8 { pattern.get(i).copied().unwrap_or(0) };
    let mut p = start;
    let negate = at(p) == b'^';
    if negate {
        p += 1;
    }
    let mut hit = false;
    loop {
        let left = plen - p;
        if at(p) == b'\\' && left >= 2 {
            // Escaped byte: compared exactly, even with nocase.
            p += 1;
            if at(p) == c {
                hit = true;
            }
        } else if at(p) == b']' {
            break;
        } else if left == 0 {
            // Unterminated: the class ends with the pattern.
            p -= 1;
            break;
        } else if left >= 3 && at(p + 1) == b'-' {
            // Bytes compare as signed chars, like C's `char`.
            let mut lo = at(p) as i8 as i32;
            let mut hi = at(p + 2) as i8 as i32;
            let mut ch = c as i8 as i32;
            if lo > hi {
                std::mem::swap(&mut lo, &mut hi);
            }
            if nocase {
                lo = lower(lo);
                hi = lower(hi);
                ch = lower(ch);
            }
            p += 2;
            if lo <= ch && ch <= hi {
                hit = true;
            }
        } else if same(at(p), c, nocase) {
            hit = true;
        }
        p += 1;
    }
    (hit != negate, p)
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes(), false)
    }

    fn mi(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes(), true)
    }

    #[test]
    fn literals_and_question_marks() {
        assert!(m("abc", "abc"));
        assert!(!m("abc", "abd"));
        assert!(!m("abc", "ab"));
        assert!(!m("ab", "abc"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(!m("a", ""));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("???", "xyz"));
        assert!(!m("?", ""));
    }

    #[test]
    fn stars() {
        assert!(m("*", "anything"));
        assert!(m("*", "x"));
        // A lone star is special-cased by KEYS and SCAN; the matcher itself needs a byte.
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(m("a*", "abc"));
        assert!(m("*c", "abc"));
        assert!(!m("*c", "abd"));
        assert!(m("a*c", "ac"));
        assert!(m("a*c", "abbbc"));
        assert!(!m("a*c", "abbbd"));
        assert!(m("*b*", "abc"));
        assert!(!m("*b*", "acd"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("*a*b*c*", "xxaxxbxxcxx"));
        assert!(!m("*a*b*c*", "xxcxxbxxaxx"));
        assert!(m("a*b*", "ab"));
        assert!(m("*?", "a"));
        assert!(!m("*?", ""));
        assert!(m("*??", "ab"));
        assert!(!m("*??", "a"));
    }

    #[test]
    fn classes() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        // Reversed ranges are ranges too.
        assert!(m("[z-a]", "q"));
        assert!(m("[9-0]", "5"));
        assert!(!m("[9-0]", "a"));
        assert!(m("[\\]]", "]"));
        assert!(m("[\\-]", "-"));
        assert!(m("[a\\-z]", "-"));
        assert!(!m("[a\\-z]", "b"));
        assert!(m("[-a]", "-"));
        assert!(!m("[]", "]"));
        assert!(!m("[]a]", "]"));
        assert!(m("[^]", "]"));
        assert!(m("[^]", "x"));
    }

    #[test]
    fn unterminated_classes_and_odd_ranges() {
        // `[` with nothing after it never matches; `[^` matches any byte.
        assert!(!m("[", "["));
        assert!(!m("[", "a"));
        assert!(m("[^", "a"));
        assert!(!m("[^", "ab"));
        // An unterminated class ends with the pattern.
        assert!(m("[a", "a"));
        assert!(m("[ab", "b"));
        assert!(!m("[ab", "ab"));
        assert!(m("x[ab", "xb"));
        // `[a-]` is the range `]`..`a`, and the class goes on past the `]`.
        assert!(m("[a-]", "^"));
        assert!(m("[a-]", "]"));
        assert!(m("[a-]", "a"));
        assert!(!m("[a-]", "b"));
        assert!(!m("[a-]", "-"));
        assert!(m("[a-]b", "b"));
        assert!(!m("[a-]b", "ab"));
        // `[\` is a class holding a backslash.
        assert!(m("[\\", "\\"));
        // A range needs three bytes left.
        assert!(m("[a-", "-"));
        assert!(m("[a-", "a"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("\\?", "?"));
        assert!(!m("\\?", "x"));
        assert!(m("a\\[b", "a[b"));
        assert!(m("\\a", "a"));
        // A trailing backslash is a literal backslash.
        assert!(m("a\\", "a\\"));
        assert!(m("\\", "\\"));
        assert!(!m("a\\", "a"));
        assert!(m("*\\", "abc\\"));
    }

    #[test]
    fn nocase() {
        assert!(mi("HELLO", "hello"));
        assert!(mi("h*O", "HellO"));
        assert!(mi("[A-C]", "b"));
        assert!(mi("[a-c]", "B"));
        assert!(mi("[x]", "X"));
        assert!(!m("[x]", "X"));
        assert!(!m("HELLO", "hello"));
        // An escaped byte in a class is compared exactly.
        assert!(!mi("[\\x]", "X"));
        assert!(mi("\\X", "x"));
        // Ranges are swapped before being folded: `[Z-a]` is Z..a folded to z..a.
        assert!(!mi("[Z-a]", "_"));
        assert!(m("[Z-a]", "_"));
    }

    #[test]
    fn high_bytes_are_signed_in_ranges() {
        // 0xff is -1 as a signed char: `[a-\xff]` spans -1..=97.
        assert!(matches(b"[a-\xff]", b"\xff", false));
        assert!(matches(b"[a-\xff]", b"\x00", false));
        assert!(matches(b"[a-\xff]", b"A", false));
        assert!(!matches(b"[a-\xff]", b"\x80", false));
        assert!(!matches(b"[a-\xff]", b"b", false));
        assert!(matches(b"[\x80-\x90]", b"\x85", false));
        assert!(matches(b"\xe9t\xe9", b"\xe9t\xe9", false));
        assert!(matches(b"a\x00b", b"a\x00b", false));
        assert!(!matches(b"a\x00b", b"a\x00c", false));
    }

    #[test]
    fn binary_and_long_subjects() {
        let long = vec![b'x'; 100_000];
        assert!(matches(b"x*x", &long, false));
        assert!(!matches(b"x*y", &long, false));
        assert!(matches(b"*", &long, false));
    }

    #[test]
    fn pathological_patterns_are_fast() {
        let subject = vec![b'a'; 10_000];
        let start = std::time::Instant::now();
        assert!(!matches(b"a*a*a*a*a*a*a*a*a*a*a*a*b", &subject, false));
        assert!(!matches(b"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", &subject, false));
        assert!(matches(b"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", &subject, false));
        let mut deep = Vec::new();
        for _ in 0..5_000 {
            deep.extend_from_slice(b"*a");
        }
        deep.push(b'b');
        assert!(!matches(&deep, &subject, false));
        assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    }

    /// A plain recursive backtracking matcher over the same step rules, without the shortcut: the
    /// shortcut must never change an answer.
    fn slow(p: &[u8], s: &[u8]) -> bool {
        fn go(p: &[u8], pi: usize, s: &[u8], si: usize) -> bool {
            let at = |i: usize| p.get(i).copied().unwrap_or(0);
            let (mut pi, mut si) = (pi, si);
            while pi < p.len() && si < s.len() {
                match at(pi) {
                    b'*' => {
                        while at(pi + 1) == b'*' {
                            pi += 1;
                        }
                        if p.len() - pi == 1 {
                            return true;
                        }
                        return (si..s.len()).any(|k| go(p, pi + 1, s, k));
                    }
                    b'?' => si += 1,
                    b'[' => {
                        let (ok, end) = super::class(p, pi + 1, s[si], false);
                        if !ok {
                            return false;
                        }
                        pi = end;
                        si += 1;
                    }
                    c => {
                        let lit = if c == b'\\' && p.len() - pi >= 2 {
                            pi += 1;
                            at(pi)
                        } else {
                            c
                        };
                        if lit != s[si] {
                            return false;
                        }
                        si += 1;
                    }
                }
                pi += 1;
                if si == s.len() {
                    while at(pi) == b'*' {
                        pi += 1;
                    }
                    break;
                }
            }
            pi == p.len() && si == s.len()
        }
        go(p, 0, s, 0)
    }

    #[test]
    fn shortcut_agrees_with_full_backtracking() {
        let alphabet = b"ab*?[]^-\\";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let plen = (next() % 8) as usize;
            let slen = (next() % 7) as usize;
            let p: Vec<u8> = (0..plen).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let s: Vec<u8> = (0..slen).map(|_| b"ab]-^"[(next() % 5) as usize]).collect();
            assert_eq!(matches(&p, &s, false), slow(&p, &s), "pattern {:?} subject {:?}",
                String::from_utf8_lossy(&p), String::from_utf8_lossy(&s));
        }
    }
}
