//! Replies as typed values.
//!
//! A command produces a [`Reply`], never text. How a reply is shown is somebody else's job: the
//! RESP encoder ([`Reply::to_resp`]) writes it as Redis puts it on the wire, and
//! [`crate::cli`] prints it exactly as `redis-cli --no-raw` would. Keeping the two apart is what lets
//! one engine serve the browser page (JS values), the native CLI (redis-cli text) and a TCP server
//! (RESP) without any command knowing which one asked.
//!
//! The RESP2 types are status, error, integer, bulk string, nil bulk, nil array and array. RESP3 adds
//! maps, doubles, booleans and pushes; they have variants already so the engine can grow into
//! `HELLO 3` without changing every command.

use std::cell::RefCell;

/// One reply, as Redis would send it.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `+OK` — a simple status line.
    Status(String),
    /// `-ERR ...` — the full error text including its code prefix (`ERR`, `WRONGTYPE`, ...).
    Error(String),
    /// `:42`
    Int(i64),
    /// `$3\r\nfoo` — binary-safe.
    Bulk(Vec<u8>),
    /// `$-1` — a missing value.
    Nil,
    /// `*-1` — a missing array (BLPOP timeout, EXEC after a WATCH conflict).
    NilArray,
    /// `*N` — an array of replies.
    Array(Vec<Reply>),
    /// RESP3 double (sent as a bulk string in RESP2).
    Double(f64),
    /// RESP3 map (sent as a flat array in RESP2).
    Map(Vec<(Reply, Reply)>),
    /// RESP3 boolean (sent as an integer 0/1 in RESP2).
    Bool(bool),
    /// RESP3 push (sent as an array in RESP2): pub/sub messages.
    Push(Vec<Reply>),
    /// Several replies to one command, sent one after the other (SUBSCRIBE a b confirms each
    /// channel with a reply of its own). Never nested inside another reply.
    Multi(Vec<Reply>),
    /// No reply now: the client is blocked (BLPOP on an empty list); the reply comes later as a
    /// delivery (see [`crate::engine::Engine::take_deliveries`]). Nothing is sent for it.
    Blocked,
}

/// How many byte buffers of sent replies are kept for new replies (see [`Reply::recycle`]).
const SPARE_BUFFERS: usize = 256;

/// The largest buffer kept for new replies.
const SPARE_BYTES: usize = 64;

thread_local! {
    /// Buffers of replies already sent, empty, for the next short strings: a command that
    /// replies with a few short strings then allocates nothing for them.
    static SPARE: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer, a spare one if there is one.
fn spare() -> Vec<u8> {
    SPARE.with(|spare| spare.try_borrow_mut().ok().and_then(|mut s| s.pop())).unwrap_or_default()
}

/// Keeps a buffer of a sent reply for the next replies (if it is small and there is room).
fn keep(mut buffer: Vec<u8>) {
    if buffer.capacity() == 0 || buffer.capacity() > SPARE_BYTES {
        return;
    }
    SPARE.with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            if spare.len() < SPARE_BUFFERS {
                buffer.clear();
                spare.push(buffer);
            }
        }
    });
}

impl Reply {
    /// `+OK`
    pub fn ok() -> Reply {
        Reply::status("OK")
    }

    /// A status reply (`+QUEUED`).
    pub fn status(text: &str) -> Reply {
        let mut s = String::from_utf8(spare()).unwrap_or_default();
        s.push_str(text);
        Reply::Status(s)
    }

    /// Drops the reply once it has been sent, keeping the buffers of its short strings for the
    /// next replies (the engine's replies are mostly a few short strings: this saves allocating
    /// and freeing them for every command).
    pub fn recycle(self) {
        match self {
            Reply::Bulk(b) => keep(b),
            Reply::Status(s) => keep(s.into_bytes()),
            Reply::Array(items) | Reply::Push(items) | Reply::Multi(items) => {
                for item in items {
                    item.recycle();
                }
            }
            Reply::Map(pairs) => {
                for (k, v) in pairs {
                    k.recycle();
                    v.recycle();
                }
            }
            _ => {}
        }
    }

    /// An error reply from its full text (`"ERR syntax error"`).
    pub fn err(text: impl Into<String>) -> Reply {
        Reply::Error(text.into())
    }

    /// A bulk string reply.
    pub fn bulk(data: impl AsRef<[u8]>) -> Reply {
        let data = data.as_ref();
        if data.len() > SPARE_BYTES {
            return Reply::Bulk(data.to_vec());
        }
        let mut b = spare();
        b.extend_from_slice(data);
        Reply::Bulk(b)
    }

    /// An array of bulk strings.
    pub fn bulks<I, T>(items: I) -> Reply
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        Reply::Array(items.into_iter().map(Reply::bulk).collect())
    }

    /// A bulk string or nil.
    pub fn opt_bulk<T: AsRef<[u8]>>(v: Option<T>) -> Reply {
        match v {
            Some(v) => Reply::bulk(v),
            None => Reply::Nil,
        }
    }

    /// True for error replies.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Encodes the reply as RESP2, the way Redis 7.0 sends it to a client that did not say HELLO 3.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    /// Appends the RESP2 encoding of the reply to `out`.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Int(n) => {
                out.push(b':');
                out.extend_from_slice(n.to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => {
                out.push(b'$');
                out.extend_from_slice(b.len().to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) | Reply::Push(items) => {
                out.push(b'*');
                out.extend_from_slice(items.len().to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
                for item in items {
                    item.write_resp(out);
                }
            }
            Reply::Double(d) => Reply::Bulk(crate::num::fmt_double(*d).into_bytes()).write_resp(out),
            Reply::Map(pairs) => {
                out.push(b'*');
                out.extend_from_slice((pairs.len() * 2).to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
                for (k, v) in pairs {
                    k.write_resp(out);
                    v.write_resp(out);
                }
            }
            Reply::Bool(b) => Reply::Int(*b as i64).write_resp(out),
            Reply::Multi(items) => {
                for item in items {
                    item.write_resp(out);
                }
            }
            Reply::Blocked => {}
        }
    }

    /// Parses one RESP2 reply from the start of `data`; returns it and the bytes it used, or `None`
    /// when `data` does not start with a whole, well-formed reply.
    pub fn from_resp(data: &[u8]) -> Option<(Reply, usize)> {
        let end = data.windows(2).position(|w| w == b"\r\n")?;
        let (kind, line) = (*data.first()?, &data[1..end]);
        let text = std::str::from_utf8(line).ok()?;
        let mut used = end + 2;
        let reply = match kind {
            b'+' => Reply::Status(text.to_string()),
            b'-' => Reply::Error(text.to_string()),
            b':' => Reply::Int(text.parse().ok()?),
            b'$' => {
                let n: i64 = text.parse().ok()?;
                if n < 0 {
                    Reply::Nil
                } else {
                    let n = n as usize;
                    let body = data.get(used..used.checked_add(n)?)?;
                    if data.get(used + n..used + n + 2)? != b"\r\n" {
                        return None;
                    }
                    used += n + 2;
                    Reply::Bulk(body.to_vec())
                }
            }
            b'*' => {
                let n: i64 = text.parse().ok()?;
                if n < 0 {
                    Reply::NilArray
                } else {
                    let mut items = Vec::new();
                    for _ in 0..n {
                        let (item, len) = Reply::from_resp(&data[used..])?;
                        used += len;
                        items.push(item);
                    }
                    Reply::Array(items)
                }
            }
            _ => return None,
        };
        Some((reply, used))
    }
}

/// Redis's standard error texts, so that every command says them the same way.
pub mod errors {
    pub const SYNTAX: &str = "ERR syntax error";
    pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
    pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
    pub const NOT_FLOAT: &str = "ERR value is not a valid float";
    pub const OVERFLOW: &str = "ERR increment or decrement would overflow";
    pub const NO_SUCH_KEY: &str = "ERR no such key";
    pub const DB_INDEX: &str = "ERR DB index is out of range";
    pub const INVALID_EXPIRE: &str = "ERR invalid expire time in '{}' command";
    pub const POSITIVE: &str = "ERR value is out of range, must be positive";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp_round_trip() {
        let r = Reply::Array(vec![
            Reply::ok(),
            Reply::err("ERR x"),
            Reply::Int(-3),
            Reply::bulk("a\r\nb"),
            Reply::Nil,
            Reply::NilArray,
            Reply::Array(vec![]),
        ]);
        let bytes = r.to_resp();
        assert_eq!(Reply::from_resp(&bytes), Some((r, bytes.len())));
        assert_eq!(Reply::from_resp(b"$5\r\nab"), None);
        assert_eq!(Reply::from_resp(b"*2\r\n:1\r\n"), None);
    }
}
