//! The keyspace as a command script, and running such a script.
//!
//! [`export_script`] writes every key of every database as the commands that recreate it, one
//! command a line, in redis-cli's input syntax, so that `redis-cli < keyspace.redis` loads it into
//! a real Redis and [`import_script`] loads it back into an engine:
//!
//! ```text
//! SET greeting "hello world"
//! DEL queue
//! RPUSH queue job1 job2 "job \"3\""
//! SET session abc PX 59000
//! SELECT 2
//! DEL scores
//! ZADD scores 0.10000000000000001 bob 1 alice inf carol
//! PEXPIRE scores 3600000
//! SELECT 0
//! ```
//!
//! ## Choices
//! - **Quoting.** A word made only of printable ASCII other than quotes and backslashes is written
//!   as it is. Anything else goes between double quotes, where redis-cli's tokenizer (Redis's
//!   `sdssplitargs`, [`crate::cli::split_args`] here) reads `\"`, `\\`, `\n`, `\r`, `\t` and
//!   `\xHH` escapes. Control characters, and bytes that are not UTF-8, are written as `\xHH`;
//!   other Unicode text is kept as it is (its UTF-8 bytes read back unchanged). So every key,
//!   field and value comes back byte for byte, NUL bytes and newlines included.
//! - **Collections** start with `DEL key` (the script recreates the key, whatever the target held
//!   under that name) and are then built with RPUSH, HSET, SADD or ZADD, at most
//!   [`MAX_ITEMS_PER_COMMAND`] elements and about [`MAX_BYTES_PER_COMMAND`] bytes per command, so
//!   a big collection becomes several moderate lines instead of one huge one. A list is pushed
//!   head first; a hash's fields and a set's members in the value's own order.
//! - **Scores** are printed with `%.17g` ([`crate::num::fmt_double`]), which reads back as the
//!   same double, and `inf` / `-inf` for the infinities. A score of `-0` survives only in a set
//!   that is a skiplist when the member is added (a listpack stores it as the integer 0), so
//!   such members are added last.
//! - **Expiry is relative** (`SET ... PX ms`, `PEXPIRE key ms`: the time left). The engine's clock
//!   is virtual: a lesson may have frozen it, moved it to another year or advanced it by days, so
//!   its absolute times mean nothing to another server's clock. Relative times recreate what the
//!   user sees — a key with 59 seconds to live has 59 seconds to live after the import — on any
//!   clock. The cost is that the time spent loading the script counts against the TTLs (by
//!   milliseconds; keys already due are not exported). Timeouts are whole milliseconds, as Redis
//!   keeps them.
//! - Database 0 comes first with no SELECT (a new redis-cli connection is in database 0); every
//!   other non-empty database starts with `SELECT n`, and the script ends with `SELECT 0` when it
//!   selected another one. The script holds no comments: redis-cli would send them as commands.
//!
//! [`import_script`] runs such a script (or any hand-written one) line by line as one client,
//! skipping blank lines and lines starting with `#`, and reports every line that failed with its
//! line number, like redis-cli carries on after an error.

use crate::engine::{ClientId, Engine, DATABASES};
use crate::num::fmt_double;
use crate::reply::Reply;
use crate::value::Value;

/// The most elements (list items, fields, members) one exported command carries.
pub const MAX_ITEMS_PER_COMMAND: usize = 128;

/// Beyond this many bytes of arguments, a collection continues in a new command.
pub const MAX_BYTES_PER_COMMAND: usize = 64 * 1024;

/// The keyspace as redis-cli input (see the module docs). Keys due to expire on the engine
/// clock are left out; keys are written in byte order within each database.
pub fn export_script(engine: &Engine) -> String {
    let now = engine.clock.now_ms();
    let mut out = String::new();
    let mut selected = 0usize;
    for (index, db) in engine.state.dbs.iter().enumerate().take(DATABASES) {
        let mut keys: Vec<_> =
            db.iter().filter(|(_, e)| e.expire_at.is_none_or(|t| t > now)).collect();
        if keys.is_empty() {
            continue;
        }
        keys.sort_by(|a, b| a.0.cmp(b.0));
        if index != selected {
            out.push_str(&format!("SELECT {index}\n"));
            selected = index;
        }
        for (key, entry) in keys {
            let ttl = entry.expire_at.map(|t| t.saturating_sub(now));
            write_key(&mut out, key, &entry.value, ttl);
        }
    }
    if selected != 0 {
        out.push_str("SELECT 0\n");
    }
    out
}

/// One key's commands.
fn write_key(out: &mut String, key: &[u8], value: &Value, ttl_ms: Option<i64>) {
    let key_q = quote(key);
    if let Value::Str(s) = value {
        line(out, &["SET", &key_q, &quote(&s.data)]);
        if let Some(ms) = ttl_ms {
            out.truncate(out.len() - 1);
            out.push_str(&format!(" PX {ms}\n"));
        }
        return;
    }
    line(out, &["DEL", &key_q]);
    match value {
        Value::List(l) => chunks(out, "RPUSH", &key_q, l.iter().map(|e| vec![quote(e)])),
        Value::Hash(h) => chunks(out, "HSET", &key_q, h.iter().map(|(f, v)| vec![quote(f), quote(v)])),
        Value::Set(s) => chunks(out, "SADD", &key_q, s.iter().map(|m| vec![quote(&m)])),
        Value::ZSet(z) => {
            // Members scored -0 go last: only a set that is already a skiplist keeps -0 (a
            // listpack stores 0), so they keep it whenever the recreated set is one by then.
            let neg_zero = |s: f64| s == 0.0 && s.is_sign_negative();
            let pairs = z
                .iter()
                .filter(|(_, s)| !neg_zero(*s))
                .chain(z.iter().filter(|(_, s)| neg_zero(*s)))
                .map(|(m, s)| vec![fmt_double(s), quote(m)]);
            chunks(out, "ZADD", &key_q, pairs)
        }
        Value::Str(_) => {}
    }
    if let Some(ms) = ttl_ms {
        line(out, &["PEXPIRE", &key_q, &ms.to_string()]);
    }
}

fn line(out: &mut String, words: &[&str]) {
    out.push_str(&words.join(" "));
    out.push('\n');
}

/// `CMD key item item ...` lines, splitting the items over as many commands as the limits ask.
fn chunks(out: &mut String, cmd: &str, key: &str, items: impl Iterator<Item = Vec<String>>) {
    let head = format!("{cmd} {key}");
    let mut current = String::new();
    let (mut count, mut size) = (0usize, 0usize);
    for words in items {
        let len: usize = words.iter().map(|w| w.len() + 1).sum();
        if count > 0 && (count >= MAX_ITEMS_PER_COMMAND || size + len > MAX_BYTES_PER_COMMAND) {
            out.push_str(&head);
            out.push_str(&current);
            out.push('\n');
            current.clear();
            count = 0;
            size = 0;
        }
        for w in &words {
            current.push(' ');
            current.push_str(w);
        }
        count += 1;
        size += len;
    }
    if count > 0 {
        out.push_str(&head);
        out.push_str(&current);
        out.push('\n');
    }
}

/// One argument as redis-cli's tokenizer reads it back exactly (see the module docs).
pub fn quote(b: &[u8]) -> String {
    let plain = |c: u8| c.is_ascii_graphic() && !matches!(c, b'"' | b'\'' | b'\\');
    if !b.is_empty() && b.iter().all(|&c| plain(c)) {
        // Only ASCII: the bytes are the text.
        return b.iter().map(|&c| c as char).collect();
    }
    let mut s = String::with_capacity(b.len() + 2);
    s.push('"');
    for chunk in b.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                '\n' => s.push_str("\\n"),
                '\r' => s.push_str("\\r"),
                '\t' => s.push_str("\\t"),
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for byte in c.encode_utf8(&mut buf).bytes() {
                        s.push_str(&format!("\\x{byte:02x}"));
                    }
                }
                c => s.push(c),
            }
        }
        for byte in chunk.invalid() {
            s.push_str(&format!("\\x{byte:02x}"));
        }
    }
    s.push('"');
    s
}

/// A line of an imported script that failed.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportError {
    /// 1-based line number.
    pub line: usize,
    /// The error reply (`ERR ...`, `WRONGTYPE ...`) or redis-cli's `Invalid argument(s)`.
    pub error: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// Commands run (failed ones included).
    pub commands: usize,
    /// The lines that failed, in order.
    pub errors: Vec<ImportError>,
}

/// Runs `script` as `client`, one command a line, skipping blank lines and `#` comments; every
/// failing line is reported and the rest still run (as with `redis-cli < file`). A blocking
/// command that would wait is not left waiting: it is cancelled and reported as an error.
pub fn import_script(engine: &mut Engine, client: ClientId, script: &str) -> ImportReport {
    let mut report = ImportReport::default();
    match engine.client(client) {
        None => {
            report.errors.push(ImportError { line: 0, error: "ERR no such client".into() });
            return report;
        }
        Some(c) if c.blocked.is_some() => {
            report.errors.push(ImportError { line: 0, error: "ERR the client is blocked".into() });
            return report;
        }
        Some(_) => {}
    }
    for (i, text) in script.split('\n').enumerate() {
        let line = i + 1;
        let trimmed = text.trim_start_matches([' ', '\t', '\r']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let argv = match crate::cli::split_args(text.as_bytes()) {
            Ok(argv) if argv.is_empty() => continue,
            Ok(argv) => argv,
            Err(()) => {
                report.errors.push(ImportError { line, error: "Invalid argument(s)".into() });
                continue;
            }
        };
        report.commands += 1;
        match engine.execute(client, &argv) {
            Reply::Error(e) => report.errors.push(ImportError { line, error: e }),
            Reply::Blocked => {
                engine.unblock(client);
                report.errors.push(ImportError {
                    line,
                    error: "ERR a blocking command would wait forever in an import: skipped".into(),
                });
            }
            _ => {}
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_reads_back_exactly() {
        let samples: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            b"".to_vec(),
            b"with space".to_vec(),
            b"q\"uo'te\\s".to_vec(),
            b"\n\r\t\x00\x07\x08\x7f".to_vec(),
            "h\u{e9}llo \u{1F600} \u{85}".as_bytes().to_vec(),
            vec![0xff, 0xfe, b'x', 0xc3],
            b"\\x41".to_vec(),
            b"'".to_vec(),
            (0u8..=255).collect(),
        ];
        for s in samples {
            let q = quote(&s);
            let line = format!("SET {q} {q}");
            let argv = crate::cli::split_args(line.as_bytes()).expect("tokenizes");
            assert_eq!(argv, vec![b"SET".to_vec(), s.clone(), s.clone()], "quoted as {q}");
        }
    }

    #[test]
    fn plain_words_stay_unquoted() {
        assert_eq!(quote(b"user:1"), "user:1");
        assert_eq!(quote(b"a b"), "\"a b\"");
        assert_eq!(quote(b""), "\"\"");
    }
}
