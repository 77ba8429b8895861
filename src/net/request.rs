//! Reading requests off the wire, exactly as Redis 7.0 reads its query buffer.
//!
//! A client may send a command in either of Redis's two request forms, chosen by the first byte of
//! each request:
//!
//! - **multibulk** (`*`): `*<count>\r\n` then `count` arguments, each `$<len>\r\n<len bytes>\r\n`.
//!   This is what every client library sends.
//! - **inline** (anything else): one line, split into words with redis-cli's quoting rules
//!   ([`crate::cli::split_args`]), the way one types into `telnet`.
//!
//! The parser is incremental: [`RequestParser::next`] consumes what it can from the front of the
//! connection's buffer and says [`Step::Incomplete`] when it needs more bytes, keeping the
//! arguments already read, so a request that arrives in many small reads is parsed once, not once
//! per read. It follows Redis's reader in the details a client can observe:
//!
//! - numbers are read with Redis's strict `string2ll` ([`crate::num::parse_i64`]): no `+`, no
//!   leading zeros or spaces;
//! - a header line ends at the first `\r` (the byte after it is skipped unchecked), and the two
//!   bytes after a bulk's data are skipped unchecked too;
//! - lines are searched like C strings: a NUL byte before the line end hides the end, so the
//!   request stays incomplete;
//! - `*0` and negative counts, and empty inline lines, are no request at all;
//! - the limits and their errors: a line without its end after 64 KB, a count above `INT_MAX`, a
//!   bulk length above `proto-max-bulk-len` (512 MB) or below zero. A protocol error is answered
//!   with `-ERR Protocol error: ...` and the connection is closed after it.
//!
//! Nothing is allocated by a size the client announces: argument vectors start at most 1024
//! entries large and bulk data is only ever the bytes that actually arrived.

use bytes::{Buf, BytesMut};

use crate::num::parse_i64;

/// The longest an inline request, or a multibulk header line, may get before its end arrives.
pub const INLINE_MAX: usize = 64 * 1024;
/// Redis's `proto-max-bulk-len` default: the largest argument a client may send.
pub const MAX_BULK_LEN: usize = 512 * 1024 * 1024;
/// Redis's `client-query-buffer-limit` default: a client whose unread input grows past it is
/// disconnected.
pub const MAX_QUERY_BUFFER: usize = 1024 * 1024 * 1024;
/// Argument vectors are never pre-sized beyond this, whatever count a client announces.
const ARGV_PREALLOC: usize = 1024;

/// What [`RequestParser::next`] found at the front of the buffer.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// A whole command: name first, binary-safe arguments.
    Command(Vec<Vec<u8>>),
    /// A request with no command in it (an empty line, `*0`): nothing to run, nothing to answer.
    Empty,
    /// More bytes are needed.
    Incomplete,
    /// A protocol error: the text after `-ERR Protocol error: `, as raw bytes (Redis echoes the
    /// offending byte as it came). The connection must be closed after answering it.
    Error(Vec<u8>),
}

/// The reader's state between reads: the multibulk request being assembled, if any.
#[derive(Debug, Default)]
pub struct RequestParser {
    /// Arguments still to read in the current multibulk request (0: between requests).
    remaining: usize,
    /// The length of the bulk whose header has been read but whose data has not arrived.
    bulk_len: Option<usize>,
    argv: Vec<Vec<u8>>,
}

/// The position of `byte` in `buf`, searched like C's `strchr` on a NUL-terminated string: the
/// search stops at the first NUL.
fn c_find(buf: &[u8], byte: u8) -> Option<usize> {
    buf.iter().position(|&c| c == byte || c == 0).filter(|&i| buf[i] == byte)
}

impl RequestParser {
    pub fn new() -> RequestParser {
        RequestParser::default()
    }

    /// True while a multibulk request has been started but not finished.
    pub fn in_request(&self) -> bool {
        self.remaining > 0
    }

    /// Consumes the next request (or as much of it as has arrived) from the front of `buf`.
    pub fn next(&mut self, buf: &mut BytesMut) -> Step {
        if self.remaining == 0 {
            match buf.first() {
                None => return Step::Incomplete,
                Some(b'*') => {}
                Some(_) => return inline(buf),
            }
            match self.header(buf) {
                Ok(Some(count)) => {
                    self.remaining = count;
                    self.argv = Vec::with_capacity(count.min(ARGV_PREALLOC));
                }
                Ok(None) => return Step::Empty,
                Err(step) => return step,
            }
        }
        while self.remaining > 0 {
            let len = match self.bulk_len {
                Some(len) => len,
                None => match bulk_header(buf) {
                    Ok(len) => {
                        self.bulk_len = Some(len);
                        len
                    }
                    Err(step) => return step,
                },
            };
            // The data and the two bytes that end it (which Redis skips without looking at them).
            let Some(whole) = len.checked_add(2) else { return Step::Error(b"invalid bulk length".to_vec()) };
            if buf.len() < whole {
                return Step::Incomplete;
            }
            let arg = buf.split_to(len);
            buf.advance(2);
            self.argv.push(arg.to_vec());
            self.bulk_len = None;
            self.remaining -= 1;
        }
        Step::Command(std::mem::take(&mut self.argv))
    }

    /// Reads `*<count>\r\n`: `Ok(Some(count))` to start a request, `Ok(None)` for a count of zero
    /// or less (no request), or the step to return (incomplete, protocol error).
    fn header(&mut self, buf: &mut BytesMut) -> Result<Option<usize>, Step> {
        let Some(cr) = c_find(buf, b'\r') else {
            return Err(if buf.len() > INLINE_MAX {
                Step::Error(b"too big mbulk count string".to_vec())
            } else {
                Step::Incomplete
            });
        };
        if cr + 2 > buf.len() {
            return Err(Step::Incomplete);
        }
        let count = match parse_i64(buf.get(1..cr).unwrap_or_default()) {
            Some(n) if n <= i64::from(i32::MAX) => n,
            _ => return Err(Step::Error(b"invalid multibulk length".to_vec())),
        };
        buf.advance(cr + 2);
        Ok(usize::try_from(count).ok().filter(|&n| n > 0))
    }
}

/// Reads `$<len>\r\n`, the header of one argument.
fn bulk_header(buf: &mut BytesMut) -> Result<usize, Step> {
    let Some(cr) = c_find(buf, b'\r') else {
        return Err(if buf.len() > INLINE_MAX {
            Step::Error(b"too big bulk count string".to_vec())
        } else {
            Step::Incomplete
        });
    };
    if cr + 2 > buf.len() {
        return Err(Step::Incomplete);
    }
    if buf[0] != b'$' {
        // Redis prints the byte as it is, except that line breaks become spaces.
        let got = match buf[0] {
            b'\r' | b'\n' => b' ',
            other => other,
        };
        let mut text = b"expected '$', got '".to_vec();
        text.push(got);
        text.push(b'\'');
        return Err(Step::Error(text));
    }
    let len = match parse_i64(buf.get(1..cr).unwrap_or_default()).and_then(|n| usize::try_from(n).ok()) {
        Some(n) if n <= MAX_BULK_LEN => n,
        _ => return Err(Step::Error(b"invalid bulk length".to_vec())),
    };
    buf.advance(cr + 2);
    Ok(len)
}

/// Reads one inline request: a line ending in `\n` (a `\r` before it is dropped), split into words.
fn inline(buf: &mut BytesMut) -> Step {
    let Some(nl) = c_find(buf, b'\n') else {
        return if buf.len() > INLINE_MAX {
            Step::Error(b"too big inline request".to_vec())
        } else {
            Step::Incomplete
        };
    };
    let line = buf.split_to(nl + 1);
    let mut text = &line[..nl];
    if text.last() == Some(&b'\r') {
        text = &text[..text.len() - 1];
    }
    match crate::cli::split_args(text) {
        Ok(argv) if argv.is_empty() => Step::Empty,
        Ok(argv) => Step::Command(argv),
        Err(()) => Step::Error(b"unbalanced quotes in request".to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step the parser takes on `input` given all at once, up to the first incomplete one.
    fn steps(input: &[u8]) -> (Vec<Step>, usize) {
        let mut buf = BytesMut::from(input);
        let mut parser = RequestParser::new();
        let mut out = Vec::new();
        loop {
            match parser.next(&mut buf) {
                Step::Incomplete => return (out, buf.len()),
                Step::Error(e) => {
                    out.push(Step::Error(e));
                    return (out, buf.len());
                }
                step => out.push(step),
            }
        }
    }

    fn cmd(args: &[&str]) -> Step {
        Step::Command(args.iter().map(|a| a.as_bytes().to_vec()).collect())
    }

    fn err(text: &str) -> Step {
        Step::Error(text.as_bytes().to_vec())
    }

    #[test]
    fn multibulk_and_inline() {
        assert_eq!(steps(b"*2\r\n$4\r\nECHO\r\n$3\r\na\r\n\r\n").0, vec![cmd(&["ECHO", "a\r\n"])]);
        assert_eq!(steps(b"  ping   hello  \r\nPING\n").0, vec![cmd(&["ping", "hello"]), cmd(&["PING"])]);
        assert_eq!(steps(b"ECHO \"a\\x41\\n\"\r\n").0, vec![Step::Command(vec![b"ECHO".to_vec(), b"aA\n".to_vec()])]);
        assert_eq!(steps(b"\r\n\n*0\r\n*-1\r\nPING\r\n").0, vec![Step::Empty, Step::Empty, Step::Empty, Step::Empty, cmd(&["PING"])]);
        // What follows a line's \r and a bulk's data is skipped unread, as Redis does.
        assert_eq!(steps(b"*1\rx$4\rxPING\r\n").0, vec![cmd(&["PING"])]);
        assert_eq!(steps(b"*1\r\n$4\r\nPINGxyECHO\r\n").0, vec![cmd(&["PING"]), cmd(&["ECHO"])]);
        assert_eq!(steps(b"*1\r\n$0\r\n\r\n").0, vec![Step::Command(vec![Vec::new()])]);
    }

    #[test]
    fn protocol_errors() {
        assert_eq!(steps(b"SET a \"b\r\n").0, vec![err("unbalanced quotes in request")]);
        assert_eq!(steps(b"SET a 'b'c\r\n").0, vec![err("unbalanced quotes in request")]);
        for bad in [&b"*abc\r\n"[..], b"*2147483648\r\n", b"*01\r\n", b"*+1\r\n", b"* 1\r\n", b"*1 \r\n"] {
            assert_eq!(steps(bad).0, vec![err("invalid multibulk length")], "{bad:?}");
        }
        for bad in [&b"*1\r\n$-1\r\n"[..], b"*1\r\n$536870913\r\n", b"*1\r\n$01\r\n", b"*1\r\n$+1\r\n"] {
            assert_eq!(steps(bad).0, vec![err("invalid bulk length")], "{bad:?}");
        }
        assert_eq!(steps(b"*1\r\nx4\r\n").0, vec![err("expected '$', got 'x'")]);
        assert_eq!(steps(b"*1\r\n\r4\r\n").0, vec![err("expected '$', got ' '")]);
        assert_eq!(steps(b"*1\r\n\xff4\r\n").0, vec![Step::Error(b"expected '$', got '\xff'".to_vec())]);
        // Commands before the error are still read.
        assert_eq!(steps(b"PING\r\n*x\r\n").0, vec![cmd(&["PING"]), err("invalid multibulk length")]);
    }

    #[test]
    fn incomplete_requests_wait() {
        // The largest legal sizes are accepted and wait for their data, allocating nothing big.
        assert_eq!(steps(b"*2147483647\r\n"), (vec![], 0));
        assert_eq!(steps(b"*1\r\n$536870912\r\n"), (vec![], 0));
        assert_eq!(steps(b"*3\r"), (vec![], 3));
        // A NUL hides the end of the line, as in C.
        assert_eq!(steps(b"PI\0NG\r\n"), (vec![], 7));
        assert_eq!(steps(b"\0PING\r\n"), (vec![], 7));
    }

    #[test]
    fn lines_without_an_end_are_limited() {
        let mut long = vec![b'a'; INLINE_MAX];
        assert_eq!(steps(&long).0, vec![]);
        long.push(b'a');
        assert_eq!(steps(&long).0, vec![err("too big inline request")]);
        let mut count = b"*".to_vec();
        count.extend(vec![b'1'; INLINE_MAX]);
        assert_eq!(steps(&count).0, vec![err("too big mbulk count string")]);
        let mut bulk = b"*1\r\n$".to_vec();
        bulk.extend(vec![b'1'; INLINE_MAX + 1]);
        assert_eq!(steps(&bulk).0, vec![err("too big bulk count string")]);
    }

    #[test]
    fn a_request_split_anywhere_parses_the_same() {
        let input = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nv!\r\nGET k\r\n*1\r\n$4\r\nPING\r\n";
        let whole = steps(input).0;
        assert_eq!(whole.len(), 3);
        for cut in 0..input.len() {
            let mut parser = RequestParser::new();
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for part in [&input[..cut], &input[cut..]] {
                buf.extend_from_slice(part);
                loop {
                    match parser.next(&mut buf) {
                        Step::Incomplete => break,
                        step => got.push(step),
                    }
                }
            }
            assert_eq!(got, whole, "cut at {cut}");
        }
    }
}
