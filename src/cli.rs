//! redis-cli's text, both ways: how a typed line becomes arguments, and how a reply is shown.
//!
//! The playground is judged against `redis-cli --no-raw`: for any script of commands, what the
//! console prints must be byte for byte what redis-cli prints when the same script is piped into
//! it against a real Redis 7.0. That takes three pieces, all in this module:
//!
//! - [`split_args`] turns a line into arguments with redis-cli's quoting rules (`"double quotes"`
//!   with `\n`, `\xHH`, ... escapes, `'single quotes'`, a closing quote that must be followed by a
//!   space). A line is a C string to redis-cli, so it ends at the first NUL byte.
//! - [`format_reply`] prints a reply the way redis-cli does on a terminal: `(integer) 1`, `(nil)`,
//!   quoted and escaped strings ([`repr`]), numbered and indented nested arrays, and the RESP3
//!   shapes (`1# "key" => value` maps, `(double) 1.5`, `(true)`). A handful of commands (INFO,
//!   CLIENT LIST, ...) are printed verbatim instead ([`format_reply_raw`], [`wants_raw_output`]).
//! - [`Console`] is redis-cli's read-eval-print loop around an [`Engine`]: empty lines, the
//!   `Invalid argument(s)` message, the `N COMMAND` repeat prefix, `quit`/`exit`, `help`, the
//!   `:set` preferences, `clear`, and the client-side state redis-cli keeps for its prompt (the
//!   selected database, `(TX)` inside MULTI). Output goes to an [`Output`], which also models
//!   which messages redis-cli flushes at once and which wait in its stdout buffer, because that
//!   decides the byte order when `clear` writes straight to the terminal.
//!
//! Replies carry RESP3 shapes (maps, doubles, booleans) whatever the client speaks; a RESP2
//! client sees them as Redis sends them over RESP2 ([`to_resp2`]): flat arrays, bulk strings and
//! integers. The console follows `HELLO` to know which one it is.

use crate::engine::{ClientId, Engine};
use crate::num::{c_str, is_c_space};
use crate::reply::Reply;

// ---------------------------------------------------------------------------------------------
// Input: redis-cli's argument splitting
// ---------------------------------------------------------------------------------------------

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// C's `strcasecmp(a, b) == 0` (ASCII case folding, both read up to their first NUL).
fn c_eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    c_str(a).eq_ignore_ascii_case(c_str(b))
}

/// Splits a line into arguments exactly like redis-cli (its `sdssplitargs`).
///
/// - Arguments are separated by spaces, tabs, `\r` and `\n`; blanks (also `\v`, `\f`) before an
///   argument are skipped.
/// - `"double quotes"` understand `\xHH` (two hex digits), `\n`, `\r`, `\t`, `\b`, `\a`, and a
///   backslash before any other character stands for that character (`\"`, `\\`).
/// - `'single quotes'` understand only `\'`.
/// - A quote may open in the middle of a word (`a"b c"` is `ab c`), but a closing quote must be
///   followed by a blank or the end of the line.
/// - An unterminated quote, or a closing quote followed by something else, is an error.
///
/// The line ends at its first NUL byte, as it does for redis-cli.
#[allow(clippy::result_unit_err)] // The one failure has no detail: redis-cli says "Invalid argument(s)".
pub fn split_args(line: &[u8]) -> Result<Vec<Vec<u8>>, ()> {
    let line = c_str(line);
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut p = 0usize;
    loop {
        while p < line.len() && is_c_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Ok(args);
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single, mut done) = (false, false, false);
        while !done {
            let c = at(p);
            if in_double {
                if c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3))) {
                        current.push(hi * 16 + lo);
                        p += 3;
                    } else {
                        // Not a \xHH escape: a backslash before `x` stands for `x`.
                        p += 1;
                        current.push(b'x');
                    }
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    let next = at(p + 1);
                    if next != 0 && !is_c_space(next) {
                        return Err(());
                    }
                    done = true;
                } else if c == 0 {
                    return Err(());
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    let next = at(p + 1);
                    if next != 0 && !is_c_space(next) {
                        return Err(());
                    }
                    done = true;
                } else if c == 0 {
                    return Err(());
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => done = true,
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => current.push(c),
                }
            }
            if at(p) != 0 {
                p += 1;
            }
        }
        args.push(current);
    }
}

// ---------------------------------------------------------------------------------------------
// Output: redis-cli's reply formatting
// ---------------------------------------------------------------------------------------------

/// A byte string as redis-cli quotes it (its `sdscatrepr`): in double quotes, with `\\`, `\"`,
/// `\n`, `\r`, `\t`, `\a`, `\b`, printable ASCII as is and every other byte as `\xHH`.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    push_repr(&mut out, bytes);
    out
}

fn push_repr(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\x");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out.push('"');
}

/// A status or error text as C's `%s` prints it: up to its first NUL.
fn text_of(s: &str) -> &str {
    s.split('\0').next().unwrap_or("")
}

/// Formats a reply exactly like `redis-cli --no-raw`, final newline included.
///
/// ```text
/// (integer) 1          (nil)            "a\x00b\n"        (error) ERR syntax error
/// 1) "a"               1) 1) "x"        1# "key" => "v"   (double) 1.5
/// 2) "b"                  2) "y"        2# "n" => (integer) 2
/// ```
///
/// Aggregates number their elements from 1, right-aligned to the width of the largest index
/// (` 1)` ... `10)`), and nested elements are indented to line up under their parent's first
/// element. RESP3 shapes are shown as RESP3 (see [`to_resp2`] for what a RESP2 client gets).
pub fn format_reply(r: &Reply) -> String {
    let mut out = String::new();
    format_into(&mut out, r, "");
    out
}

/// Appends the redis-cli text of `r` to `out`; `prefix` is the indentation of the aggregate
/// that holds `r` (used for its second and later elements).
fn format_into(out: &mut String, r: &Reply, prefix: &str) {
    match r {
        Reply::Error(s) => {
            out.push_str("(error) ");
            out.push_str(text_of(s));
            out.push('\n');
        }
        Reply::Status(s) => {
            out.push_str(text_of(s));
            out.push('\n');
        }
        Reply::Int(n) => {
            out.push_str("(integer) ");
            out.push_str(&n.to_string());
            out.push('\n');
        }
        Reply::Double(d) => {
            out.push_str("(double) ");
            out.push_str(&crate::num::fmt_double(*d));
            out.push('\n');
        }
        Reply::Bulk(b) => {
            push_repr(out, b);
            out.push('\n');
        }
        Reply::Nil | Reply::NilArray => out.push_str("(nil)\n"),
        Reply::Bool(b) => out.push_str(if *b { "(true)\n" } else { "(false)\n" }),
        Reply::Array(items) => format_list(out, items, prefix, ')', "(empty array)\n"),
        Reply::Push(items) => format_list(out, items, prefix, ')', "(empty push)\n"),
        Reply::Map(pairs) => format_map(out, pairs, prefix),
        // Several replies to one command: each printed as redis-cli prints consecutive replies.
        Reply::Multi(items) => {
            for item in items {
                format_into(out, item, prefix);
            }
        }
        // A blocked command has no reply yet.
        Reply::Blocked => {}
    }
}

/// The number of decimal digits of `n` (at least 1).
fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// The indentation for the elements of an aggregate of `n` entries inside `prefix`.
fn child_prefix(prefix: &str, n: usize) -> (usize, String) {
    let width = digits(n);
    let mut p = String::with_capacity(prefix.len() + width + 2);
    p.push_str(prefix);
    p.extend(std::iter::repeat_n(' ', width + 2));
    (width, p)
}

/// Writes the index label of entry `i` (0-based): the first one follows its parent's label on
/// the same line, the others start a line with the parent's indentation.
fn push_label(out: &mut String, prefix: &str, i: usize, width: usize, sep: char) {
    if i > 0 {
        out.push_str(prefix);
    }
    let n = (i + 1).to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n.len())));
    out.push_str(&n);
    out.push(sep);
    out.push(' ');
}

fn format_list(out: &mut String, items: &[Reply], prefix: &str, sep: char, empty: &str) {
    if items.is_empty() {
        out.push_str(empty);
        return;
    }
    let (width, inner) = child_prefix(prefix, items.len());
    for (i, item) in items.iter().enumerate() {
        push_label(out, prefix, i, width, sep);
        format_into(out, item, &inner);
    }
}

fn format_map(out: &mut String, pairs: &[(Reply, Reply)], prefix: &str) {
    if pairs.is_empty() {
        out.push_str("(empty hash)\n");
        return;
    }
    let (width, inner) = child_prefix(prefix, pairs.len());
    for (i, (key, value)) in pairs.iter().enumerate() {
        push_label(out, prefix, i, width, '#');
        format_into(out, key, &inner);
        // The value goes on the key's line, after " => ".
        out.pop();
        out.push_str(" => ");
        if is_multiline(value) {
            // A value that takes several lines starts on its own line, so that its elements
            // line up.
            out.push('\n');
            out.push_str(&inner);
        }
        format_into(out, value, &inner);
    }
}

/// True when [`format_reply`] shows `r` on more than one line.
fn is_multiline(r: &Reply) -> bool {
    match r {
        Reply::Array(items) | Reply::Push(items) => match items.len() {
            0 => false,
            1 => is_multiline(&items[0]),
            _ => true,
        },
        Reply::Map(pairs) => match pairs.len() {
            0 => false,
            1 => is_multiline(&pairs[0].1),
            _ => true,
        },
        _ => false,
    }
}

/// What a RESP2 client receives for `r`: maps become flat arrays, doubles bulk strings,
/// booleans the integers 1 and 0, pushes arrays (exactly as [`Reply::to_resp`] encodes them).
pub fn to_resp2(r: &Reply) -> Reply {
    match r {
        Reply::Double(d) => Reply::Bulk(crate::num::fmt_double(*d).into_bytes()),
        Reply::Bool(b) => Reply::Int(*b as i64),
        Reply::Array(items) | Reply::Push(items) => Reply::Array(items.iter().map(to_resp2).collect()),
        Reply::Map(pairs) => Reply::Array(
            pairs.iter().flat_map(|(k, v)| [to_resp2(k), to_resp2(v)]).collect(),
        ),
        other => other.clone(),
    }
}

/// True when `r` has a RESP3-only shape somewhere inside.
fn has_resp3_shape(r: &Reply) -> bool {
    match r {
        Reply::Double(_) | Reply::Bool(_) | Reply::Map(_) | Reply::Push(_) => true,
        Reply::Array(items) => items.iter().any(has_resp3_shape),
        _ => false,
    }
}

/// Formats a reply the way redis-cli prints the output of the commands it shows verbatim
/// (see [`wants_raw_output`]): strings as they are, no quotes, no `(integer)` label, nil as
/// nothing, errors as their text and a newline, array elements one per line. No newline is
/// added at the end (INFO's text already ends with one).
pub fn format_reply_raw(r: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    raw_into(&mut out, r);
    out
}

fn raw_into(out: &mut Vec<u8>, r: &Reply) {
    match r {
        Reply::Nil | Reply::NilArray => {}
        Reply::Error(s) => {
            out.extend_from_slice(s.as_bytes());
            out.push(b'\n');
        }
        Reply::Status(s) => out.extend_from_slice(s.as_bytes()),
        Reply::Bulk(b) => out.extend_from_slice(b),
        Reply::Bool(b) => out.extend_from_slice(if *b { b"(true)" } else { b"(false)" }),
        Reply::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Reply::Double(d) => out.extend_from_slice(crate::num::fmt_double(*d).as_bytes()),
        Reply::Array(items) | Reply::Push(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                raw_into(out, item);
            }
        }
        Reply::Map(pairs) => {
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                raw_into(out, k);
                out.push(b' ');
                raw_into(out, v);
            }
        }
        Reply::Multi(items) => {
            for item in items {
                raw_into(out, item);
            }
        }
        Reply::Blocked => {}
    }
}

/// True for the commands whose reply redis-cli prints verbatim even in `--no-raw` mode because
/// it is text meant for people: INFO, LOLWUT, CLIENT LIST/INFO, MEMORY DOCTOR/MALLOC-STATS,
/// LATENCY DOCTOR/GRAPH, CLUSTER NODES/INFO, DEBUG HTSTATS/HTSTATS-KEY/CLIENT-EVICTION.
pub fn wants_raw_output(argv: &[Vec<u8>]) -> bool {
    let Some(name) = argv.first() else {
        return false;
    };
    let is = |a: &[u8], b: &str| c_eq_ignore_case(a, b.as_bytes());
    let sub = |names: &[&str]| argv.get(1).is_some_and(|s| names.iter().any(|n| is(s, n)));
    let argc = argv.len();
    is(name, "info")
        || is(name, "lolwut")
        || (argc >= 2 && is(name, "debug") && sub(&["htstats", "htstats-key", "client-eviction"]))
        || (argc >= 2 && is(name, "memory") && sub(&["malloc-stats", "doctor"]))
        || (argc == 2 && is(name, "cluster") && sub(&["nodes", "info"]))
        || (argc >= 2 && is(name, "client") && sub(&["list", "info"]))
        || (argc == 3 && is(name, "latency") && sub(&["graph"]))
        || (argc == 2 && is(name, "latency") && sub(&["doctor"]))
        || (argc >= 2 && is(name, "proxy") && sub(&["info"]))
}

// ---------------------------------------------------------------------------------------------
// The console: redis-cli's read-eval-print loop
// ---------------------------------------------------------------------------------------------

/// What the console has printed, split like redis-cli's stdout: `ready` bytes have reached the
/// terminal, `pending` ones still sit in the stdio buffer (redis-cli flushes after every reply,
/// but not after its help text or some of its own messages). Only `clear`, which writes its
/// escape sequence straight to the terminal, can tell the two apart.
///
/// An output made with [`Output::to_writer`] passes what is ready on to the writer at once (so a
/// long-running line such as `1000000 PING` streams instead of piling up in memory); otherwise
/// the caller collects it with [`Output::take_ready`] / [`Output::take_all`].
#[derive(Default)]
pub struct Output {
    ready: Vec<u8>,
    pending: Vec<u8>,
    sink: Option<Box<dyn std::io::Write>>,
    error: Option<std::io::Error>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("ready", &self.ready.len())
            .field("pending", &self.pending.len())
            .field("streaming", &self.sink.is_some())
            .finish()
    }
}

impl Output {
    /// An output collected in memory.
    pub fn new() -> Output {
        Output::default()
    }

    /// An output that writes (and flushes) to `sink` whenever redis-cli would flush.
    pub fn to_writer(sink: impl std::io::Write + 'static) -> Output {
        Output { sink: Some(Box::new(sink)), ..Output::default() }
    }

    /// Buffered output (C's `printf`).
    fn print(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// `fflush(stdout)`.
    fn flush(&mut self) {
        self.ready.append(&mut self.pending);
        self.pass_on();
    }

    /// A `write(2)` to stdout, ahead of whatever is still buffered.
    fn write_direct(&mut self, bytes: &[u8]) {
        self.ready.extend_from_slice(bytes);
        self.pass_on();
    }

    fn pass_on(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            if self.error.is_none() && !self.ready.is_empty() {
                if let Err(e) = sink.write_all(&self.ready).and_then(|()| sink.flush()) {
                    self.error = Some(e);
                }
            }
            self.ready.clear();
        }
    }

    /// Flushes everything still buffered (what happens when the program exits).
    pub fn finish(&mut self) {
        self.flush();
    }

    /// The first error the writer gave (output closed, disk full): the console stops then.
    pub fn error(&self) -> Option<&std::io::Error> {
        self.error.as_ref()
    }

    /// Takes what has reached the terminal so far.
    pub fn take_ready(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.ready)
    }

    /// Flushes and takes everything (what a terminal shows after the program exits).
    pub fn take_all(&mut self) -> Vec<u8> {
        self.flush();
        std::mem::take(&mut self.ready)
    }
}

/// Whether the console goes on reading lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `quit`/`exit`, or a command after which redis-cli reads no more input (it waits for
    /// messages forever after SUBSCRIBE or MONITOR).
    Exit,
}

/// How the first word of a line reads as redis-cli's repeat count (`3 PING`).
enum Repeat {
    /// Not a number: the line is a command.
    No,
    /// A number that is not a valid count (zero, negative, out of range).
    Invalid,
    Times(u64),
}

/// C's `strtol(s, &end, 10)` followed by redis-cli's checks on it.
fn parse_repeat(arg: &[u8]) -> Repeat {
    let s = c_str(arg);
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let digits_start = i;
    let mut value: i64 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_digit() {
        let d = (s[i] - b'0') as i64;
        match value.checked_mul(10).and_then(|v| if negative { v.checked_sub(d) } else { v.checked_add(d) }) {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    // With no digits strtol converts nothing and the end pointer stays at the start.
    let end = if i == digits_start { 0 } else { i };
    if end != s.len() {
        return Repeat::No;
    }
    if overflow || value <= 0 {
        return Repeat::Invalid;
    }
    Repeat::Times(value as u64)
}

/// C's `atoi`.
fn atoi(arg: &[u8]) -> i64 {
    let s = c_str(arg);
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let mut v: i64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add((s[i] - b'0') as i64);
        i += 1;
    }
    if negative {
        -v
    } else {
        v
    }
}

/// redis-cli's interactive loop around an engine, one line at a time.
///
/// It keeps what redis-cli keeps on its side of the connection: the database it believes is
/// selected and whether a transaction is open (both only for the prompt), the protocol the
/// connection speaks (from `HELLO`), and the `:set hints` preference.
#[derive(Clone, Debug)]
pub struct Console {
    client: ClientId,
    db: i64,
    pre_multi_db: i64,
    in_multi: bool,
    resp3: bool,
    hints: bool,
    /// Interactive sessions go on after SUBSCRIBE/MONITOR (there is nobody to wait for).
    interactive: bool,
    /// The other clients of a transcript (`@name COMMAND ...`), in order of first use.
    named: Vec<(String, ClientId)>,
}

impl Console {
    /// A console on a new client of `engine`.
    pub fn new(engine: &mut Engine) -> Console {
        Console {
            client: engine.open_client(),
            db: 0,
            pre_multi_db: 0,
            in_multi: false,
            resp3: false,
            hints: true,
            interactive: false,
            named: Vec::new(),
        }
    }

    /// Marks the console as driven by a person at a terminal.
    pub fn set_interactive(&mut self, on: bool) {
        self.interactive = on;
    }

    /// The engine client the console speaks through.
    pub fn client(&self) -> ClientId {
        self.client
    }

    /// The database redis-cli would show in its prompt.
    pub fn db(&self) -> i64 {
        self.db
    }

    /// True inside MULTI.
    pub fn in_multi(&self) -> bool {
        self.in_multi
    }

    /// True after `HELLO 3`.
    pub fn resp3(&self) -> bool {
        self.resp3
    }

    /// Whether `:set hints` is on (the default) or `:set nohints` turned hints off.
    pub fn hints(&self) -> bool {
        self.hints
    }

    /// The prompt, built like redis-cli's: `name`, then `[db]` when not 0, `(TX)` inside MULTI,
    /// then `> `.
    pub fn prompt(&self, name: &str) -> String {
        let mut p = name.to_string();
        if self.db != 0 {
            p.push_str(&format!("[{}]", self.db));
        }
        if self.in_multi {
            p.push_str("(TX)");
        }
        p.push_str("> ");
        p
    }

    /// Runs a whole script (lines separated by `\n`) and returns everything printed, as
    /// `redis-cli --no-raw < script` prints it.
    pub fn run_script(engine: &mut Engine, script: &[u8]) -> Vec<u8> {
        let mut console = Console::new(engine);
        let mut out = Output::new();
        let body = script.strip_suffix(b"\n").unwrap_or(script);
        if !script.is_empty() {
            for line in body.split(|&c| c == b'\n') {
                if console.run_line(engine, line, &mut out) == Flow::Exit {
                    break;
                }
            }
        }
        out.take_all()
    }

    /// Runs one line as redis-cli would, printing into `out`. A line `@name COMMAND ...` runs the
    /// command as another client (see [`Console::run_as`]); after every line, what the engine
    /// delivered to clients (pub/sub messages, late replies of blocked commands) is printed.
    pub fn run_line(&mut self, engine: &mut Engine, line: &[u8], out: &mut Output) -> Flow {
        let flow = self.run_line_inner(engine, line, out);
        self.print_deliveries(engine, out);
        flow
    }

    fn run_line_inner(&mut self, engine: &mut Engine, line: &[u8], out: &mut Output) -> Flow {
        let line = c_str(line);
        if line.is_empty() {
            return Flow::Continue;
        }
        if line[0] == b'@' {
            self.run_as(engine, line, out);
            return Flow::Continue;
        }
        let argv = match split_args(line) {
            Err(()) => {
                out.print(b"Invalid argument(s)\n");
                out.flush();
                return Flow::Continue;
            }
            Ok(argv) if argv.is_empty() => return Flow::Continue,
            Ok(argv) => argv,
        };
        let (repeat, skip) = if argv.len() > 1 {
            match parse_repeat(&argv[0]) {
                Repeat::No => (1, 0),
                Repeat::Invalid => {
                    out.print(b"Invalid redis-cli repeat command option value.\n");
                    return Flow::Continue;
                }
                Repeat::Times(n) => (n, 1),
            }
        } else {
            (1, 0)
        };
        let first = argv[0].as_slice();
        if c_eq_ignore_case(first, b"quit") || c_eq_ignore_case(first, b"exit") {
            return Flow::Exit;
        }
        if first.first() == Some(&b':') {
            self.set_preference(&argv, out);
            return Flow::Continue;
        }
        if c_eq_ignore_case(first, b"restart") {
            out.print(b"Use 'restart' only in Lua debugging mode.\n");
            out.flush();
            return Flow::Continue;
        }
        if argv.len() == 3 && c_eq_ignore_case(first, b"connect") {
            self.reconnect(engine);
            return Flow::Continue;
        }
        if argv.len() == 1 && c_eq_ignore_case(first, b"clear") {
            out.write_direct(b"\x1b[H\x1b[2J");
            return Flow::Continue;
        }
        self.issue(engine, &argv[skip..], repeat, out)
    }

    /// `:set hints`, `:set nohints` and the messages for anything else.
    fn set_preference(&mut self, argv: &[Vec<u8>], out: &mut Output) {
        if c_eq_ignore_case(&argv[0], b":set") && argv.len() >= 2 {
            if c_eq_ignore_case(&argv[1], b"hints") {
                self.hints = true;
            } else if c_eq_ignore_case(&argv[1], b"nohints") {
                self.hints = false;
            } else {
                out.print(b"unknown redis-cli preference '");
                out.print(c_str(&argv[1]));
                out.print(b"'\n");
            }
        } else {
            out.print(b"unknown redis-cli internal command '");
            out.print(c_str(&argv[0]));
            out.print(b"'\n");
        }
    }

    /// `connect host port`: a new connection (to this same engine), which selects the database
    /// the old one had selected and speaks RESP2 again.
    fn reconnect(&mut self, engine: &mut Engine) {
        engine.close_client(self.client);
        self.client = engine.open_client();
        self.resp3 = false;
        if self.db != 0 {
            let _ = engine.execute(self.client, &[b"SELECT".to_vec(), self.db.to_string().into_bytes()]);
        }
    }

    /// Sends a command `repeat` times and prints each reply (redis-cli's `cliSendCommand`).
    fn issue(&mut self, engine: &mut Engine, argv: &[Vec<u8>], repeat: u64, out: &mut Output) -> Flow {
        let Some(name) = argv.first() else {
            return Flow::Continue;
        };
        if c_eq_ignore_case(name, b"help") || c_eq_ignore_case(name, b"?") {
            out.print(&help_text(&argv[1..]));
            return Flow::Continue;
        }
        let is = |s: &str| c_eq_ignore_case(name, s.as_bytes());
        let raw = wants_raw_output(argv);
        let pubsub = is("subscribe") || is("psubscribe") || is("ssubscribe");
        let monitor = is("monitor");
        for _ in 0..repeat {
            if pubsub {
                out.print(b"Reading messages... (press Ctrl-C to quit)\n");
            }
            let reply = engine.execute(self.client, argv);
            let error = reply.is_error();
            if !pubsub && !monitor {
                // Before printing: the server answers HELLO in the protocol it switches to.
                self.track(argv, &reply);
            }
            self.print_reply(&reply, raw, out);
            if out.error().is_some() {
                return Flow::Exit;
            }
            if monitor {
                // redis-cli prints MONITOR's answer and then waits for the stream of commands
                // (when there was no error), without repeating.
                return if error || self.interactive { Flow::Continue } else { Flow::Exit };
            }
            if pubsub && !error && !self.interactive {
                // redis-cli now waits for messages until it is interrupted: it reads no more
                // commands.
                return Flow::Exit;
            }
        }
        Flow::Continue
    }

    /// Updates what redis-cli keeps about the connection after `argv` got `reply`: the database
    /// (SELECT, and back to the one before MULTI when a transaction is discarded or fails),
    /// whether a transaction is open, and the protocol (HELLO, RESET).
    pub fn track(&mut self, argv: &[Vec<u8>], reply: &Reply) {
        let Some(name) = argv.first() else {
            return;
        };
        let is = |s: &str| c_eq_ignore_case(name, s.as_bytes());
        let argc = argv.len();
        let error = reply.is_error();
        if is("select") && argc == 2 {
            if !error {
                self.db = atoi(&argv[1]);
            }
        } else if is("multi") && argc == 1 {
            if !error {
                self.in_multi = true;
                self.pre_multi_db = self.db;
            }
        } else if is("exec") && argc == 1 && self.in_multi {
            self.in_multi = false;
            if error || matches!(reply, Reply::Nil | Reply::NilArray) {
                self.db = self.pre_multi_db;
            }
        } else if is("discard") && argc == 1 {
            if !error {
                self.in_multi = false;
                self.db = self.pre_multi_db;
            }
        } else if is("reset") && argc == 1 {
            if !error {
                self.in_multi = false;
                self.db = 0;
                self.resp3 = false;
            }
        } else if is("hello") && argc >= 2 && !error {
            self.resp3 = atoi(&argv[1]) == 3;
        }
    }

    /// Runs `@name COMMAND ...` as the client called `name` (a new connection the first time the
    /// name appears; again a new one after it QUITs). Its reply is printed with every line
    /// prefixed by `[name] `; a blocked command prints nothing until it is served.
    pub fn run_as(&mut self, engine: &mut Engine, line: &[u8], out: &mut Output) {
        let body = &line[1..];
        let (name, rest) = match body.iter().position(|&c| c == b' ') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, &b""[..]),
        };
        if name.is_empty() {
            out.print(b"Invalid client name: write @name COMMAND ...\n");
            out.flush();
            return;
        }
        let name = String::from_utf8_lossy(name).into_owned();
        let id = match self.named.iter().find(|(n, _)| *n == name) {
            Some((_, id)) => *id,
            None => {
                let id = engine.open_client();
                self.named.push((name.clone(), id));
                id
            }
        };
        let argv = match split_args(rest) {
            Ok(argv) if argv.is_empty() => return,
            Ok(argv) => argv,
            Err(()) => {
                print_labelled(out, &name, b"Invalid argument(s)\n");
                return;
            }
        };
        let reply = engine.execute(id, &argv);
        if !matches!(reply, Reply::Blocked) {
            print_labelled(out, &name, &render(&reply, wants_raw_output(&argv)));
        }
        let closed = engine.take_closed();
        self.named.retain(|(_, id)| !closed.contains(id));
    }

    /// The label of a client in a transcript: its `@name`, or nothing for the console's own.
    fn label_of(&self, id: ClientId) -> Option<&str> {
        self.named.iter().find(|(_, c)| *c == id).map(|(n, _)| n.as_str())
    }

    /// Prints what the engine delivered since the last line, grouped by client (the console's
    /// own first, then the named ones in order of first use), in order within each client.
    fn print_deliveries(&mut self, engine: &mut Engine, out: &mut Output) {
        let mut deliveries = engine.take_deliveries();
        if deliveries.is_empty() {
            return;
        }
        let rank = |id: ClientId| -> usize {
            if id == self.client {
                0
            } else {
                self.named.iter().position(|(_, c)| *c == id).map_or(usize::MAX, |i| i + 1)
            }
        };
        deliveries.sort_by_key(|(id, _)| rank(*id));
        for (id, reply) in deliveries {
            let text = render(&reply, false);
            match self.label_of(id) {
                Some(name) => print_labelled(out, name, &text),
                None if id == self.client => out.print(&text),
                None => {}
            }
        }
        out.flush();
    }

    fn print_reply(&mut self, reply: &Reply, raw: bool, out: &mut Output) {
        let resp2;
        let shown = if !self.resp3 && has_resp3_shape(reply) {
            resp2 = to_resp2(reply);
            &resp2
        } else {
            reply
        };
        if raw {
            out.print(&format_reply_raw(shown));
        } else {
            out.print(format_reply(shown).as_bytes());
        }
        out.flush();
    }
}

/// redis-cli's text for a reply to a RESP2 connection (raw for the commands redis-cli shows
/// verbatim), always ending with a newline.
fn render(reply: &Reply, raw: bool) -> Vec<u8> {
    let shown = if has_resp3_shape(reply) { to_resp2(reply) } else { reply.clone() };
    let mut text = if raw { format_reply_raw(&shown) } else { format_reply(&shown).into_bytes() };
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    text
}

/// The text a transcript shows for a reply (or push) to a RESP2 client: redis-cli's text, with
/// every line prefixed by `[name] ` for a named client (`None`: the console's own client).
pub fn transcript_text(name: Option<&str>, reply: &Reply, raw: bool) -> Vec<u8> {
    let text = render(reply, raw);
    match name {
        None => text,
        Some(name) => labelled(name, &text),
    }
}

fn labelled(name: &str, text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    for line in text.split_inclusive(|&c| c == b'\n') {
        out.extend_from_slice(format!("[{name}] ").as_bytes());
        out.extend_from_slice(line);
    }
    out
}

/// Prints `text` with every line prefixed by `[name] `.
fn print_labelled(out: &mut Output, name: &str, text: &[u8]) {
    out.print(&labelled(name, text));
    out.flush();
}

// ---------------------------------------------------------------------------------------------
// redis-cli's `help`, from the engine's command table
// ---------------------------------------------------------------------------------------------

/// One command or subcommand as `help` lists it.
struct HelpEntry {
    /// Upper-case words: `["CONFIG", "GET"]`.
    words: Vec<String>,
    full: String,
    params: String,
    summary: String,
    since: Option<String>,
    group: String,
}

/// Looks up `key` in a COMMAND DOCS-style flat key/value array.
fn docs_field<'a>(docs: &'a Reply, key: &str) -> Option<&'a Reply> {
    let Reply::Array(items) = docs else {
        return None;
    };
    items.chunks(2).find_map(|kv| match kv {
        [Reply::Bulk(k), v] if k == key.as_bytes() => Some(v),
        _ => None,
    })
}

fn docs_text(docs: &Reply, key: &str) -> Option<String> {
    match docs_field(docs, key) {
        Some(Reply::Bulk(b)) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// An empty name or token is shown as `""`.
fn or_empty(s: &str) -> &str {
    if s.is_empty() {
        "\"\""
    } else {
        s
    }
}

/// The parameters of a command as redis-cli's help renders the `arguments` of COMMAND DOCS:
/// `key value [NX|XX] [GET] [EX seconds|PX milliseconds|...]`.
fn help_params(arguments: &[Reply], separator: &str) -> String {
    let mut out = String::new();
    for (i, arg) in arguments.iter().enumerate() {
        out.push_str(&help_argument(arg));
        if i + 1 != arguments.len() {
            out.push_str(separator);
        }
    }
    out
}

fn help_argument(arg: &Reply) -> String {
    let Reply::Array(_) = arg else {
        return String::new();
    };
    let name = docs_text(arg, "name").unwrap_or_default();
    let kind = docs_text(arg, "type").unwrap_or_default();
    let token = docs_text(arg, "token");
    let (mut optional, mut multiple, mut multiple_token) = (false, false, false);
    if let Some(Reply::Array(flags)) = docs_field(arg, "flags") {
        for f in flags {
            match f {
                Reply::Status(s) if s == "optional" => optional = true,
                Reply::Status(s) if s == "multiple" => multiple = true,
                Reply::Status(s) if s == "multiple_token" => multiple_token = true,
                _ => {}
            }
        }
    }
    let mut token_part = token.as_deref().map(or_empty).unwrap_or("").to_string();
    let repeat_part = match kind.as_str() {
        "key" | "string" | "integer" | "double" | "pattern" | "unix-time" | "token" => {
            or_empty(&name).to_string()
        }
        "oneof" | "block" => match docs_field(arg, "arguments") {
            Some(Reply::Array(inner)) => help_params(inner, if kind == "oneof" { "|" } else { " " }),
            _ => String::new(),
        },
        _ => String::new(),
    };
    if !token_part.is_empty() && kind != "pure-token" {
        token_part.push(' ');
    }
    let mut out = String::new();
    if optional {
        out.push('[');
    }
    out.push_str(&token_part);
    out.push_str(&repeat_part);
    if multiple {
        out.push_str(" [");
        if multiple_token {
            out.push_str(&token_part);
        }
        out.push_str(&repeat_part);
        out.push_str(" ...]");
    }
    if optional {
        out.push(']');
    }
    out
}

fn help_entry(spec: &crate::commands::CommandSpec) -> HelpEntry {
    let docs = crate::commands::server_docs(spec);
    let words: Vec<String> = spec.name.split('|').map(|w| w.to_ascii_uppercase()).collect();
    let field = |key: &str| docs.as_ref().and_then(|d| docs_text(d, key));
    let params = match docs.as_ref() {
        Some(d) => match docs_field(d, "arguments") {
            Some(Reply::Array(args)) => help_params(args, " "),
            _ => String::new(),
        },
        None => spec.usage.to_string(),
    };
    let since = match docs.as_ref() {
        Some(_) => field("since"),
        None => Some(spec.since.to_string()).filter(|s| !s.is_empty()),
    };
    HelpEntry {
        full: words.join(" "),
        words,
        params,
        summary: field("summary").unwrap_or_else(|| spec.summary.to_string()),
        since,
        group: field("group").unwrap_or_else(|| spec.group.to_string()),
    }
}

/// Every implemented command and subcommand, sorted like redis-cli's help table (built once).
fn help_entries() -> &'static [HelpEntry] {
    static ENTRIES: std::sync::OnceLock<Vec<HelpEntry>> = std::sync::OnceLock::new();
    ENTRIES.get_or_init(build_help_entries)
}

fn build_help_entries() -> Vec<HelpEntry> {
    let mut entries = Vec::new();
    for cmd in crate::commands::registry() {
        entries.push(help_entry(cmd.spec));
        for sub in &cmd.subcommands {
            entries.push(help_entry(sub.spec));
        }
    }
    entries.sort_by(|a, b| a.full.cmp(&b.full));
    entries
}

/// What redis-cli prints for `help` followed by `args`: a general text without arguments, the
/// commands of a group for `help @group`, or the commands whose names start with the given words.
pub fn help_text(args: &[Vec<u8>]) -> Vec<u8> {
    help_text_from(help_entries(), args)
}

fn help_text_from(entries: &[HelpEntry], args: &[Vec<u8>]) -> Vec<u8> {
    let Some(first) = args.first() else {
        return GENERIC_HELP.as_bytes().to_vec();
    };
    let group = c_str(first).strip_prefix(b"@");
    let mut out = String::new();
    for e in entries {
        let show_group = match group {
            Some(g) => {
                if !g.eq_ignore_ascii_case(e.group.as_bytes()) {
                    continue;
                }
                false
            }
            None => {
                let matches = args.len() <= e.words.len()
                    && args.iter().zip(&e.words).all(|(a, w)| c_eq_ignore_case(a, w.as_bytes()));
                if !matches {
                    continue;
                }
                true
            }
        };
        out.push_str(&format!("\r\n  \x1b[1m{}\x1b[0m \x1b[90m{}\x1b[0m\r\n", e.full, e.params));
        out.push_str(&format!("  \x1b[33msummary:\x1b[0m {}\r\n", e.summary));
        if let Some(since) = &e.since {
            out.push_str(&format!("  \x1b[33msince:\x1b[0m {since}\r\n"));
        }
        if show_group {
            out.push_str(&format!("  \x1b[33mgroup:\x1b[0m {}\r\n", e.group));
        }
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// redis-cli's answer to a bare `help`, word for word (it names the redis-cli version the
/// console imitates).
const GENERIC_HELP: &str = "redis-cli 7.0.15\n\
To get help about Redis commands type:\n      \
\"help @<group>\" to get a list of commands in <group>\n      \
\"help <command>\" for help on <command>\n      \
\"help <tab>\" to get a list of possible help topics\n      \
\"quit\" to exit\n\
\n\
To set redis-cli preferences:\n      \
\":set hints\" enable online hints\n      \
\":set nohints\" disable online hints\n\
Set your preferences in ~/.redisclirc\n";

/// Names for completion: every implemented command (`GET`) and subcommand (`CONFIG GET`), and the
/// command groups as `@group`, sorted.
pub fn completion_words() -> Vec<String> {
    let mut words: Vec<String> = help_entries().iter().map(|e| e.full.clone()).collect();
    let mut groups: Vec<String> =
        crate::commands::registry().iter().map(|c| format!("@{}", c.spec.group)).collect();
    groups.sort();
    groups.dedup();
    words.extend(groups);
    words
}

/// The hint shown after what has been typed so far, like redis-cli's: the parameters of the
/// command (or subcommand) named by the first words, without the ones already typed, in front
/// of a space unless the line ends with one. None when nothing typed names a command.
pub fn hint_for(line: &str) -> Option<String> {
    hint_from(help_entries(), line)
}

fn hint_from(entries: &[HelpEntry], line: &str) -> Option<String> {
    let argv = split_args(line.as_bytes()).ok()?;
    if argv.is_empty() {
        return None;
    }
    // The longest command name that the typed words start with (the first one of that length).
    let mut best: Option<&HelpEntry> = None;
    for e in entries {
        let matches = e.words.len() <= argv.len()
            && e.words.iter().zip(&argv).all(|(w, a)| c_eq_ignore_case(a, w.as_bytes()));
        if matches && e.words.len() > best.map_or(0, |b| b.words.len()) {
            best = Some(e);
        }
    }
    let entry = best?;
    let mut hint = entry.params.as_str();
    let mut to_remove = argv.len() - entry.words.len();
    while to_remove > 0 && !hint.is_empty() && !hint.starts_with('[') {
        if hint.starts_with(' ') {
            to_remove -= 1;
        }
        let mut chars = hint.chars();
        chars.next();
        hint = chars.as_str();
    }
    let ends_with_space = line.as_bytes().last().is_some_and(|&c| is_c_space(c));
    Some(if ends_with_space { hint.to_string() } else { format!(" {hint}") })
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Help entries for every command of the generated table, implemented or not.
    fn all_entries() -> Vec<HelpEntry> {
        let mut entries = Vec::new();
        for spec in crate::commands::table::COMMANDS {
            entries.push(help_entry(spec));
            for sub in spec.subcommands {
                entries.push(help_entry(sub));
            }
        }
        entries.sort_by(|a, b| a.full.cmp(&b.full));
        entries
    }

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn help_matches_redis_cli() {
        let entries = all_entries();
        // `help set` and `help CONFIG get`, as redis-cli 7.0.15 prints them.
        assert_eq!(
            String::from_utf8(help_text_from(&entries, &args(&["set"]))).unwrap(),
            "\r\n  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|\
             EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\x1b[0m\r\n  \x1b[33msummary:\
             \x1b[0m Set the string value of a key\r\n  \x1b[33msince:\x1b[0m 1.0.0\r\n  \x1b[33mgroup:\
             \x1b[0m string\r\n\r\n"
        );
        assert_eq!(
            String::from_utf8(help_text_from(&entries, &args(&["CONFIG", "get"]))).unwrap(),
            "\r\n  \x1b[1mCONFIG GET\x1b[0m \x1b[90mparameter [parameter ...]\x1b[0m\r\n  \
             \x1b[33msummary:\x1b[0m Get the values of configuration parameters\r\n  \x1b[33msince:\
             \x1b[0m 2.0.0\r\n  \x1b[33mgroup:\x1b[0m server\r\n\r\n"
        );
        assert_eq!(
            String::from_utf8(help_text_from(&entries, &args(&["zadd"]))).unwrap(),
            "\r\n  \x1b[1mZADD\x1b[0m \x1b[90mkey [NX|XX] [GT|LT] [CH] [INCR] score member \
             [score member ...]\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Add one or more members to a \
             sorted set, or update its score if it already exists\r\n  \x1b[33msince:\x1b[0m 1.2.0\r\n  \
             \x1b[33mgroup:\x1b[0m sorted-set\r\n\r\n"
        );
        // Too many words match nothing; a bare `help` is the general text.
        assert_eq!(help_text_from(&entries, &args(&["get", "x"])), b"\r\n");
        assert!(help_text_from(&entries, &[]).starts_with(b"redis-cli 7.0.15\nTo get help"));
    }

    #[test]
    fn help_by_group_omits_the_group_line() {
        let entries = all_entries();
        let text = String::from_utf8(help_text_from(&entries, &args(&["@STRING"]))).unwrap();
        assert!(text.contains("\r\n  \x1b[1mAPPEND\x1b[0m \x1b[90mkey value\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Append a value to a key\r\n  \x1b[33msince:\x1b[0m 2.0.0\r\n\r\n"));
        assert!(!text.contains("group:"));
        assert!(!text.contains("HSET"));
    }

    #[test]
    fn hints_drop_typed_arguments() {
        let entries = all_entries();
        let hint = |line: &str| hint_from(&entries, line);
        let set = "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|\
                   PXAT unix-time-milliseconds|KEEPTTL]";
        assert_eq!(hint("set").as_deref(), Some(format!(" {set}").as_str()));
        assert_eq!(hint("SET ").as_deref(), Some(set));
        assert_eq!(hint("set k").as_deref(), Some(&format!(" {set}")[4..]));
        assert_eq!(hint("set k ").as_deref(), Some(&set[4..]));
        assert_eq!(hint("set k v ").as_deref(), Some(&set[10..]));
        assert_eq!(hint("set k v nx ").as_deref(), Some(&set[10..]));
        assert_eq!(hint("config get ").as_deref(), Some("parameter [parameter ...]"));
        assert_eq!(hint("nosuch "), None);
        assert_eq!(hint("  "), None);
        assert_eq!(hint("\"open"), None);
    }
}
