//! The normalisation table: where two correct servers may answer differently, and what is
//! compared instead. Nothing else is normalised: every other reply, errors included, must be
//! identical, and an entry here never hides a wrong *value* — only an order, a clock reading or an
//! identifier that Redis itself leaves unspecified.
//!
//! | command(s) | why the raw replies may differ | compared instead |
//! |---|---|---|
//! | SMEMBERS SINTER SUNION SDIFF | a set has no order (a hashtable-encoded set is walked in hash order) | the members, sorted |
//! | HKEYS HVALS | a hash has no order (hashtable encoding) | the elements, sorted |
//! | HGETALL | as HKEYS | the field/value pairs, sorted by field |
//! | KEYS | the keyspace is a hashtable | the names, sorted |
//! | PUBSUB CHANNELS | the channel table is a hashtable | the names, sorted |
//! | CONFIG GET | parameters come out in dict order | the name/value pairs, sorted |
//! | SCAN SSCAN HSCAN ZSCAN | cursors are positions in a hashtable: their values and the split into pages are the server's own | the runner iterates to cursor 0 on each server; the union of what was returned, sorted and without repeats (pairs for HSCAN/ZSCAN). Inside EXEC, where the runner cannot go on, only the page's shape |
//! | TTL PTTL EXPIRETIME PEXPIRETIME | the two servers' clocks differ by the time between the two commands (runs never set a TTL that could run out: see `gen.rs`) | a positive value becomes `1`; -1 and -2 stay |
//! | OBJECT IDLETIME OBJECT FREQ | idle time is a clock reading; the LFU counter grows at random | an integer becomes `0`; errors stay |
//! | TIME LASTSAVE | clock readings | the shape: two integers / one integer |
//! | INFO keyspace | `avg_ttl` is a sampled estimate | `avg_ttl` becomes 0; the rest of each line stays |
//! | CLIENT ID, CLIENT LIST, CLIENT INFO, HELLO | client ids are the server's own; addresses, ages, idle times and file descriptors are facts of each process | ids become `client#N` (N the run's client, `?` for the runner's own control connection), and only `id name db sub psub multi flags resp user` are compared |
//! | UNSUBSCRIBE, PUNSUBSCRIBE without arguments | a client's channels and patterns are dicts: Redis leaves them in hash order (seeded at random per process) | the confirmations' names sorted; their counts, which fall by one each, stay in place |
//! | pub/sub messages to patterns | the server's patterns are a dict: one event matching several patterns reaches a client once per pattern in hash order | within a run of `pmessage`s for the same channel and payload, the patterns sorted |
//! | COMMAND INFO, COMMAND DOCS | a command's subcommands are a dict (hash order, seeded at random per process) | the subcommands of each entry sorted by name |
//! | SRANDMEMBER HRANDFIELD ZRANDMEMBER RANDOMKEY SPOP | random picks | checked by the runner against a snapshot of the key taken just before (count, membership, no repeats where Redis promises none, scores/values of the picked members), then compared as their shape. Inside EXEC only the shape. After SPOP the runner makes the two sets equal again (see `run.rs`) |

use redis_playground::Reply;

/// What the runner knows that normalisation needs: the run's client ids on this server.
pub struct Ids<'a> {
    pub ids: &'a [Option<u64>],
}

impl Ids<'_> {
    fn name(&self, id: i64) -> String {
        match self.ids.iter().position(|x| *x == Some(id as u64)) {
            Some(i) => format!("client#{i}"),
            None => "client#?".to_string(),
        }
    }
}

/// The commands whose reply is a random pick.
pub const RANDOM_PICKS: &[&str] = &["srandmember", "hrandfield", "zrandmember", "randomkey", "spop"];

/// The scan family (iterated to the end by the runner).
pub const SCANS: &[&str] = &["scan", "sscan", "hscan", "zscan"];

fn sorted(mut items: Vec<Reply>) -> Vec<Reply> {
    items.sort_by(|a, b| key(a).cmp(&key(b)));
    items
}

fn key(r: &Reply) -> Vec<u8> {
    match r {
        Reply::Bulk(b) => b.clone(),
        Reply::Status(s) | Reply::Error(s) => s.as_bytes().to_vec(),
        Reply::Int(i) => i.to_string().into_bytes(),
        other => format!("{other:?}").into_bytes(),
    }
}

/// Pairs `[k1, v1, k2, v2, ...]` sorted by key (then value).
pub fn sorted_pairs(items: Vec<Reply>) -> Vec<Reply> {
    let mut pairs: Vec<(Reply, Reply)> = Vec::new();
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        pairs.push((k, v));
    }
    pairs.sort_by(|a, b| (key(&a.0), key(&a.1)).cmp(&(key(&b.0), key(&b.1))));
    pairs.dedup();
    pairs.into_iter().flat_map(|(k, v)| [k, v]).collect()
}

pub fn sorted_unique(items: Vec<Reply>) -> Vec<Reply> {
    let mut v = sorted(items);
    v.dedup();
    v
}

/// The reply of command `name` (a table name), normalised.
pub fn normalise(name: &str, reply: Reply, ids: &Ids) -> Reply {
    match (name, reply) {
        (_, Reply::Error(e)) => Reply::Error(e),
        ("smembers" | "sinter" | "sunion" | "sdiff" | "hkeys" | "hvals" | "keys" | "pubsub|channels", Reply::Array(v)) => {
            Reply::Array(sorted(v))
        }
        ("hgetall" | "config|get", Reply::Array(v)) => Reply::Array(sorted_pairs(v)),
        ("ttl" | "pttl" | "expiretime" | "pexpiretime", Reply::Int(n)) if n > 0 => Reply::Int(1),
        ("object|idletime" | "object|freq", Reply::Int(_)) => Reply::Int(0),
        ("lastsave", Reply::Int(_)) => Reply::Status("a time".into()),
        ("time", Reply::Array(v)) if v.len() == 2 => Reply::Status("a time".into()),
        ("info", Reply::Bulk(text)) => Reply::Bulk(info_text(&text)),
        ("client|id", Reply::Int(id)) => Reply::Status(ids.name(id)),
        ("client|list" | "client|info", Reply::Bulk(text)) => Reply::Bulk(client_lines(&text, ids)),
        ("hello", Reply::Array(v)) => Reply::Array(hello(v, ids)),
        ("scan" | "sscan" | "hscan" | "zscan", Reply::Array(v)) => scan_page(name, v),
        ("command|info", Reply::Array(v)) => Reply::Array(v.into_iter().map(command_entry).collect()),
        ("command|docs", Reply::Array(v)) => Reply::Array(v.into_iter().map(docs_subcommands).collect()),
        (n, r) if RANDOM_PICKS.contains(&n) => shape(r),
        (_, r) => r,
    }
}

/// Every reply of one command (several for `UNSUBSCRIBE` of all channels): see the table.
pub fn normalise_replies(name: &str, argc: usize, mut replies: Vec<Reply>) -> Vec<Reply> {
    if (name == "unsubscribe" || name == "punsubscribe") && argc == 1 {
        let mut names: Vec<Reply> = replies
            .iter()
            .filter_map(|r| match r {
                Reply::Array(v) if v.len() == 3 => Some(v[1].clone()),
                _ => None,
            })
            .collect();
        names = sorted(names);
        let mut names = names.into_iter();
        for r in replies.iter_mut() {
            if let Reply::Array(v) = r {
                if v.len() == 3 {
                    if let Some(n) = names.next() {
                        v[1] = n;
                    }
                }
            }
        }
    }
    replies
}

/// What a subscriber received: runs of `pmessage`s of one event put in pattern order.
pub fn normalise_pushes(mut replies: Vec<Reply>) -> Vec<Reply> {
    let event = |r: &Reply| match r {
        Reply::Array(v) if v.len() == 4 && v[0] == Reply::Bulk(b"pmessage".to_vec()) => Some((v[2].clone(), v[3].clone())),
        _ => None,
    };
    let mut i = 0;
    while i < replies.len() {
        let Some(e) = event(&replies[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < replies.len() && event(&replies[j]).as_ref() == Some(&e) {
            j += 1;
        }
        replies[i..j].sort_by_key(|r| match r {
            Reply::Array(v) => key(&v[1]),
            _ => Vec::new(),
        });
        i = j;
    }
    replies
}

/// A COMMAND INFO entry with its subcommands (field 10) sorted by name.
fn command_entry(r: Reply) -> Reply {
    match r {
        Reply::Array(mut f) if f.len() >= 10 => {
            if let Reply::Array(subs) = std::mem::replace(&mut f[9], Reply::Nil) {
                let mut subs: Vec<Reply> = subs.into_iter().map(command_entry).collect();
                subs.sort_by_key(|s| match s {
                    Reply::Array(x) => x.first().map(key).unwrap_or_default(),
                    _ => Vec::new(),
                });
                f[9] = Reply::Array(subs);
            }
            Reply::Array(f)
        }
        other => other,
    }
}

/// COMMAND DOCS: every `subcommands` map (a flat array in RESP2) sorted by name, at any depth.
fn docs_subcommands(r: Reply) -> Reply {
    match r {
        Reply::Array(v) => {
            let mut out: Vec<Reply> = Vec::with_capacity(v.len());
            let mut sort_next = false;
            for item in v {
                let item = docs_subcommands(item);
                if sort_next {
                    sort_next = false;
                    if let Reply::Array(pairs) = item {
                        out.push(Reply::Array(sorted_pairs(pairs)));
                        continue;
                    }
                }
                if item == Reply::Bulk(b"subcommands".to_vec()) {
                    sort_next = true;
                }
                out.push(item);
            }
            Reply::Array(out)
        }
        other => other,
    }
}

/// A scan page inside EXEC: which elements a page holds (and whether it is the last) is the
/// server's own; only its shape is compared.
fn scan_page(_name: &str, v: Vec<Reply>) -> Reply {
    match v.as_slice() {
        [Reply::Bulk(_), Reply::Array(_)] => Reply::Status("a scan page".into()),
        _ => Reply::Array(v),
    }
}

/// A random pick's shape: nil stays nil, a member becomes `<pick>`, an array keeps its length.
pub fn shape(r: Reply) -> Reply {
    match r {
        Reply::Bulk(_) => Reply::Status("<pick>".into()),
        Reply::Array(v) => Reply::Array(v.into_iter().map(shape).collect()),
        other => other,
    }
}

fn info_text(text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut out = String::new();
    for line in text.split("\r\n") {
        let line = match line.find(",avg_ttl=") {
            Some(at) => format!("{},avg_ttl=0", &line[..at]),
            None => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

const CLIENT_FIELDS: &[&str] = &["id", "name", "db", "sub", "psub", "multi", "flags", "resp", "user"];

fn client_lines(text: &[u8], ids: &Ids) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut kept = Vec::new();
            for part in line.split(' ') {
                let Some((k, v)) = part.split_once('=') else { continue };
                if !CLIENT_FIELDS.contains(&k) {
                    continue;
                }
                if k == "id" {
                    kept.push(format!("id={}", v.parse::<i64>().map(|id| ids.name(id)).unwrap_or_default()));
                } else {
                    kept.push(format!("{k}={v}"));
                }
            }
            kept.join(" ")
        })
        .collect();
    lines.sort();
    (lines.join("\n") + "\n").into_bytes()
}

fn hello(v: Vec<Reply>, ids: &Ids) -> Vec<Reply> {
    let mut out = Vec::new();
    let mut it = v.into_iter();
    while let (Some(k), Some(val)) = (it.next(), it.next()) {
        let val = match (&k, val) {
            (Reply::Bulk(name), Reply::Int(id)) if name == b"id" => Reply::Status(ids.name(id)),
            (_, val) => val,
        };
        out.push(k);
        out.push(val);
    }
    out
}
