//! Redis's glob matcher (stub).

/// True when `s` matches `pattern` (`*`, `?`, `[...]`, `\` escapes); `nocase` folds ASCII case.
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    if nocase {
        pattern.eq_ignore_ascii_case(s) || pattern == b"*"
    } else {
        pattern == s || pattern == b"*"
    }
}
