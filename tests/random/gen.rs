//! The generator: seeded random programs of commands for every implemented family.
//!
//! A program is a list of [`Op`]s, each one command for one of a few clients. The generator keeps
//! no model of the keyspace: it draws from a *small* key space (so types collide and `WRONGTYPE`
//! is common), from vocabularies of values and numbers at every edge, and shapes some stretches
//! into *episodes* that a uniform draw would almost never produce: a transaction with WATCH and a
//! second client touching the watched key, a client that blocks and another that serves it, a
//! subscriber with publishers and keyspace notifications around it.
//!
//! Arguments are mostly drawn right; [`Gen::mangle`] then sometimes breaks them (a wrong arity, an
//! option in the wrong place) so that error paths are as well covered as the happy ones.
//!
//! To add a family: add its commands to [`FAMILIES`] and a `match` arm per command in
//! [`Gen::command`]; the run's coverage line shows what is still never generated.

/// splitmix64: small, fast and good enough; a seed names a program exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

/// One argument: bytes, or the id of one of the run's clients (different on the two servers,
/// filled in by the runner).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Bytes(Vec<u8>),
    ClientId(usize),
}

/// One command of a program, for client `client` (0 is the main client).
#[derive(Clone, Debug)]
pub struct Op {
    pub client: usize,
    pub argv: Vec<Arg>,
}

impl Op {
    /// The command's name, lower-case, with its subcommand for container commands
    /// (`config|get`), as the command table names it.
    pub fn name(&self) -> String {
        full_name(&self.argv)
    }
}

pub fn full_name(argv: &[Arg]) -> String {
    let word = |i: usize| match argv.get(i) {
        Some(Arg::Bytes(b)) => String::from_utf8_lossy(b).to_ascii_lowercase(),
        _ => String::new(),
    };
    let name = word(0);
    if CONTAINERS.contains(&name.as_str()) && argv.len() > 1 {
        format!("{name}|{}", word(1))
    } else {
        name
    }
}

/// Commands whose second word is a subcommand.
pub const CONTAINERS: &[&str] = &["client", "command", "config", "object", "pubsub"];

/// How many clients a program uses.
pub const CLIENTS: usize = 3;

/// Every command the generator knows, by family. The run's coverage compares this (and what was
/// actually generated) with the engine's own command table.
pub const FAMILIES: &[(&str, &[&str])] = &[
    (
        "strings",
        &[
            "append", "decr", "decrby", "get", "getdel", "getex", "getrange", "getset", "incr",
            "incrby", "incrbyfloat", "lcs", "mget", "mset", "msetnx", "psetex", "set", "setex",
            "setnx", "setrange", "strlen", "substr",
        ],
    ),
    (
        "keys",
        &[
            "copy", "del", "exists", "expire", "expireat", "expiretime", "keys", "persist",
            "pexpire", "pexpireat", "pexpiretime", "pttl", "randomkey", "rename", "renamenx",
            "touch", "ttl", "type", "unlink", "object|encoding", "object|freq", "object|help",
            "object|idletime", "object|refcount",
        ],
    ),
    ("scan", &["scan", "sscan", "hscan", "zscan"]),
    (
        "hashes",
        &[
            "hdel", "hexists", "hget", "hgetall", "hincrby", "hincrbyfloat", "hkeys", "hlen",
            "hmget", "hmset", "hrandfield", "hset", "hsetnx", "hstrlen", "hvals",
        ],
    ),
    (
        "lists",
        &[
            "lindex", "linsert", "llen", "lmove", "lmpop", "lpop", "lpos", "lpush", "lpushx",
            "lrange", "lrem", "lset", "ltrim", "rpop", "rpoplpush", "rpush", "rpushx",
        ],
    ),
    (
        "sets",
        &[
            "sadd", "scard", "sdiff", "sdiffstore", "sinter", "sintercard", "sinterstore",
            "sismember", "smembers", "smismember", "smove", "spop", "srandmember", "srem",
            "sunion", "sunionstore",
        ],
    ),
    (
        "zsets",
        &[
            "zadd", "zcard", "zcount", "zdiff", "zdiffstore", "zincrby", "zinter", "zintercard",
            "zinterstore", "zlexcount", "zmpop", "zmscore", "zpopmax", "zpopmin", "zrandmember",
            "zrange", "zrangebylex", "zrangebyscore", "zrangestore", "zrank", "zrem",
            "zremrangebylex", "zremrangebyrank", "zremrangebyscore", "zrevrange",
            "zrevrangebylex", "zrevrangebyscore", "zrevrank", "zscore", "zunion", "zunionstore",
        ],
    ),
    (
        "blocking",
        &["blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop"],
    ),
    ("transactions", &["multi", "exec", "discard", "watch", "unwatch"]),
    (
        "pubsub",
        &[
            "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish",
            "pubsub|channels", "pubsub|numsub", "pubsub|numpat", "pubsub|help",
        ],
    ),
    (
        "server",
        &[
            "config|get", "config|set", "config|resetstat", "config|help", "dbsize", "flushdb",
            "flushall", "select", "move", "swapdb", "info", "time", "lastsave", "command|info",
            "command|docs", "command|getkeys", "command|help",
        ],
    ),
    (
        "connection",
        &[
            "ping", "echo", "quit", "reset", "hello", "client|id", "client|getname",
            "client|setname", "client|info", "client|list", "client|kill", "client|unblock",
            "client|help",
        ],
    ),
];

/// Commands of the engine's table the generator leaves out on purpose, with why.
pub const NOT_GENERATED: &[(&str, &str)] = &[
    ("clock.*", "the engine's own virtual clock: Redis has no such command"),
    ("ratelimit.*", "the engine's own rate limiters: Redis has no such command"),
    ("cl.throttle", "the redis-cell module's command, which a plain Redis 7.0 does not load"),
    (
        "command",
        "the whole table: the engine implements a subset of Redis 7.0's commands, so the lists differ by design",
    ),
    ("command|count", "as COMMAND: a subset of Redis 7.0's commands"),
    ("command|list", "as COMMAND: a subset of Redis 7.0's commands"),
];

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

/// The key space: few keys, so that every command meets every type.
pub const KEYS: &[&str] = &["k1", "k2", "k3", "k4", "kx:1", "kx:2", "{k}"];

const FIELDS: &[&str] = &["f1", "f2", "f3", "f4", "1", "-2", "f\u{00e9}", ""];

const MEMBERS: &[&str] = &["a", "b", "c", "d", "m1", "m2", "1", "2", "10", "-3", "0", ""];

/// Values at every edge: empty, spaces, numbers that are and are not integers or floats in
/// Redis's eyes, special floats, non-UTF-8 bytes, CR/LF, and values past the listpack limits.
const VALUES: &[&[u8]] = &[
    b"", b" ", b"v", b"hello world", b"0", b"1", b"-1", b"42", b"007", b"-0", b"+1", b" 1", b"1 ",
    b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808", b"1.5", b"-2.25",
    b"3.0", b"1e3", b"1e400", b"inf", b"-inf", b"nan", b"0x10", b"\xff\xfe", b"a\x00b",
    b"a\r\nb", b"\xc3\xa9t\xc3\xa9", b"abcdefghijklmnopqrstuvwxyz",
    b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

/// Integers for counts, offsets, increments: small ones mostly, and every int64 edge.
const INTS: &[&str] = &[
    "0", "1", "2", "3", "5", "-1", "-2", "-5", "10", "100", "-100", "9223372036854775807",
    "-9223372036854775808", "9223372036854775806", "-9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "4294967296", "2147483647", "-2147483648", "1.5", "abc", "", " 1",
    "+1", "007", "1e3", "0x10",
];

/// Floats for scores and float increments.
const FLOATS: &[&str] = &[
    "0", "1", "-1", "1.5", "-2.25", "3", "10", "100", "1e3", "1E-5", "0.1", "inf", "-inf", "+inf",
    "nan", "1e400", "-1e400", "1.7976931348623157e308", "4.9e-324", "-0", "+1.0", " 1", "1 ",
    "0x10", "abc", "", "9007199254740993", "3.0000000000000001", ".5", "5.", "1e", "--1",
];

/// Score ranges: inclusive, exclusive, infinities and junk.
const SCORE_BOUNDS: &[&str] = &[
    "-inf", "+inf", "inf", "0", "1", "2", "-1", "(1", "(0", "(-inf", "(+inf", "1.5", "(2.5",
    "10", "abc", "(", "nan", "", "( 1",
];

/// Lex ranges.
const LEX_BOUNDS: &[&str] = &["-", "+", "[a", "(a", "[c", "(m1", "[", "(", "a", "[\u{00e9}", "[1"];

/// Patterns for KEYS, SCAN MATCH, PSUBSCRIBE, ...
const PATTERNS: &[&str] = &[
    "*", "k*", "kx:*", "k?", "*1", "[k]*", "k[1-3]", "k[^1]", "\\{k\\}", "{k}", "nomatch*", "",
    "*x*", "[a-", "k\\", "ch*", "news.*", "__key*__:*",
];

const CHANNELS: &[&str] = &["ch1", "ch2", "news.tech", "news.art", "__keyspace@0__:k1", "x"];

const TYPES: &[&str] = &["string", "list", "set", "zset", "hash", "stream", "none", "STRING", "bogus"];

/// Config parameters the engine supports, with values in and out of range.
const CONFIG_PARAMS: &[(&str, &[&str])] = &[
    ("notify-keyspace-events", &["", "KEA", "Kg$lshz", "Ex", "AKE", "K", "E", "KEz", "xyz", "Kl", "Eg", "Ksm", "KEtm"]),
    ("hash-max-listpack-entries", &["0", "1", "2", "4", "128", "512", "-1", "abc"]),
    ("hash-max-ziplist-entries", &["3", "512"]),
    ("hash-max-listpack-value", &["0", "2", "8", "64", "-1"]),
    ("hash-max-ziplist-value", &["4", "64"]),
    ("set-max-intset-entries", &["0", "1", "3", "512", "abc"]),
    ("zset-max-listpack-entries", &["0", "1", "3", "128", "-1"]),
    ("zset-max-ziplist-entries", &["2", "128"]),
    ("zset-max-listpack-value", &["0", "2", "8", "64"]),
    ("zset-max-ziplist-value", &["3", "64"]),
    ("list-max-listpack-size", &["-1", "-2", "-5", "-6", "1", "2", "4", "128", "0"]),
    ("list-max-ziplist-size", &["-2", "3"]),
    ("list-compress-depth", &["0", "1", "2", "-1"]),
    ("databases", &["16", "4"]),
    ("no-such-parameter", &["1"]),
];

/// The parameters a program may change (the runner puts them back before each program).
pub fn config_params() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    CONFIG_PARAMS.iter().copied().filter(|(name, _)| *name != "databases" && *name != "no-such-parameter")
}

const CONFIG_GET_PATTERNS: &[&str] = &[
    "notify-keyspace-events", "hash-max-listpack-entries", "hash-max-ziplist-entries",
    "hash-max-listpack-value", "set-max-intset-entries", "zset-max-listpack-entries",
    "zset-max-ziplist-value", "list-max-listpack-size", "list-max-ziplist-size",
    "list-compress-depth", "databases", "no-such-parameter", "NOTIFY-KEYSPACE-EVENTS",
];

/// The commands COMMAND INFO/DOCS/GETKEYS are asked about.
/// (Only implemented ones: COMMAND INFO of a command the engine lacks, SORT say, is nil there.)
const COMMAND_NAMES: &[&str] = &[
    "get", "set", "zadd", "hset", "blpop", "lmove", "zunionstore", "config", "config|get",
    "object", "client|kill", "nosuchcommand", "PING", "exec", "subscribe", "",
];

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

pub struct Gen {
    pub rng: Rng,
    /// Which clients the generator believes are subscribed (only used to shape what it draws).
    subscribed: [bool; CLIENTS],
}

type Argv = Vec<Arg>;

fn b(s: &str) -> Arg {
    Arg::Bytes(s.as_bytes().to_vec())
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen { rng: Rng::new(seed), subscribed: [false; CLIENTS] }
    }

    /// A program of about `steps` commands.
    pub fn program(&mut self, steps: usize) -> Vec<Op> {
        let mut ops = Vec::with_capacity(steps + 16);
        while ops.len() < steps {
            let roll = self.rng.below(100);
            match roll {
                0..=6 => self.transaction(&mut ops),
                7..=9 => self.blocking_episode(&mut ops),
                10..=12 => self.pubsub_episode(&mut ops),
                13..=14 => {
                    // A burst on one key, so that a value grows past its encoding's limits.
                    let key = self.key();
                    for _ in 0..self.rng.range(3, 12) {
                        let argv = self.grow(&key);
                        ops.push(Op { client: 0, argv });
                    }
                }
                _ => {
                    let client = if self.rng.chance(85) { 0 } else { self.rng.range(1, 2) as usize };
                    let argv = self.any_command(client);
                    ops.push(Op { client, argv });
                }
            }
        }
        // Leave no subscriber behind (a reset server starts the next program clean anyway).
        ops
    }

    /// A command on any data family, sometimes mangled.
    fn any_command(&mut self, client: usize) -> Argv {
        if self.subscribed[client] && self.rng.chance(70) {
            return self.subscriber_command(client);
        }
        let family = loop {
            let (name, cmds) = self.rng.pick(FAMILIES);
            // Blocking commands and subscriptions come in their episodes, mostly.
            if (name == "blocking" || name == "pubsub") && self.rng.chance(70) {
                continue;
            }
            break cmds;
        };
        let name = self.rng.pick(family);
        let argv = self.command(name);
        self.mangle(argv)
    }

    /// Sometimes breaks a well-formed command: drops or adds arguments, swaps two of them, or
    /// changes the name's case.
    fn mangle(&mut self, mut argv: Argv) -> Argv {
        // COMMAND's subcommands without their arguments are the whole table, and INFO without a
        // section is every server fact: never cut them.
        let whole_table = matches!(argv.first(), Some(Arg::Bytes(n)) if n.eq_ignore_ascii_case(b"command") || n.eq_ignore_ascii_case(b"info"));
        match self.rng.below(100) {
            0..=2 if argv.len() > 1 && !whole_table => {
                let n = self.rng.below(argv.len() - 1) + 1;
                argv.truncate(n);
            }
            3..=4 => {
                let extra = self.value_arg();
                argv.push(extra);
            }
            // (Never moving a client id: it would show up in an error text, and ids differ.)
            5 if argv.len() > 2 && !argv.iter().any(|a| matches!(a, Arg::ClientId(_))) => {
                let i = self.rng.below(argv.len() - 1) + 1;
                let j = self.rng.below(argv.len() - 1) + 1;
                argv.swap(i, j);
            }
            _ => {}
        }
        if let Some(Arg::Bytes(name)) = argv.first_mut() {
            if self.rng.chance(30) {
                name.make_ascii_uppercase();
            } else if self.rng.chance(5) && !name.is_empty() {
                name[0] = name[0].to_ascii_uppercase();
            }
        }
        argv
    }

    // --- argument pieces ------------------------------------------------------------------

    fn key(&mut self) -> Arg {
        b(self.rng.pick(KEYS))
    }

    fn keys(&mut self, lo: usize, hi: usize) -> Vec<Arg> {
        let n = self.rng.range(lo as i64, hi as i64) as usize;
        (0..n).map(|_| self.key()).collect()
    }

    fn value_arg(&mut self) -> Arg {
        Arg::Bytes(self.value())
    }

    fn value(&mut self) -> Vec<u8> {
        if self.rng.chance(8) {
            // A few random bytes.
            let n = self.rng.below(6);
            (0..n).map(|_| self.rng.next() as u8).collect()
        } else {
            self.rng.pick(VALUES).to_vec()
        }
    }

    fn int(&mut self) -> Arg {
        if self.rng.chance(70) {
            b(&self.rng.range(-5, 12).to_string())
        } else {
            b(self.rng.pick(INTS))
        }
    }

    /// A count for COUNT options: mostly positive.
    fn count(&mut self) -> Arg {
        if self.rng.chance(85) {
            b(&self.rng.range(1, 6).to_string())
        } else {
            b(self.rng.pick(&["0", "-1", "-5", "abc", "100", "9223372036854775807", "1.5"]))
        }
    }

    fn float(&mut self) -> Arg {
        if self.rng.chance(50) {
            b(&self.rng.range(-3, 10).to_string())
        } else {
            b(self.rng.pick(FLOATS))
        }
    }

    fn field(&mut self) -> Arg {
        b(self.rng.pick(FIELDS))
    }

    fn member(&mut self) -> Arg {
        if self.rng.chance(90) {
            b(self.rng.pick(MEMBERS))
        } else {
            self.value_arg()
        }
    }

    fn members(&mut self, lo: usize, hi: usize) -> Vec<Arg> {
        let n = self.rng.range(lo as i64, hi as i64) as usize;
        (0..n).map(|_| self.member()).collect()
    }

    fn pattern(&mut self) -> Arg {
        b(self.rng.pick(PATTERNS))
    }

    /// An option token in a random case.
    fn tok(&mut self, word: &str) -> Arg {
        match self.rng.below(10) {
            0..=5 => b(word),
            6..=7 => b(&word.to_ascii_lowercase()),
            _ => {
                let mixed: String = word
                    .chars()
                    .map(|c| if self.rng.chance(50) { c.to_ascii_lowercase() } else { c })
                    .collect();
                b(&mixed)
            }
        }
    }

    fn one_of(&mut self, words: &[&str]) -> Arg {
        let w = self.rng.pick(words);
        self.tok(w)
    }

    /// A TTL in seconds that never runs out during a run (or is already past: zero, negative),
    /// or junk.
    fn seconds(&mut self) -> Arg {
        b(self.rng.pick(&[
            "1000", "3600", "86400", "100000", "0", "-1", "-100", "abc", "9223372036854775807",
            "9223372036854775", "1.5", "",
        ]))
    }

    fn millis(&mut self) -> Arg {
        b(self.rng.pick(&[
            "1000000", "3600000", "86400000", "0", "-1", "abc", "9223372036854775807",
            "9223372036854775806", "1.5",
        ]))
    }

    /// An absolute time: far in the future, in the past, or out of range.
    fn unix_seconds(&mut self) -> Arg {
        b(self.rng.pick(&["4102444800", "4102444801", "1", "0", "-5", "1000000000", "9223372036854775807", "abc"]))
    }

    fn unix_millis(&mut self) -> Arg {
        b(self.rng.pick(&["4102444800000", "4102444800123", "1", "0", "-5", "1000000000000", "9223372036854775807"]))
    }

    /// An absolute time for SET: never a positive time in the past. SET stores such a key with
    /// its expiry (it does not delete it as EXPIREAT and GETEX do), and when Redis then raises its
    /// `expired` event is up to its active-expiry timer, so no run can compare it.
    fn set_unix_time(&mut self, millis: bool) -> Arg {
        loop {
            let t = if millis { self.unix_millis() } else { self.unix_seconds() };
            let now = if millis { 4_000_000_000_000 } else { 4_000_000_000 };
            let Arg::Bytes(bytes) = &t else { return t };
            let past = std::str::from_utf8(bytes).ok().and_then(|s| s.parse::<i64>().ok()).is_some_and(|n| n > 0 && n < now);
            if !past {
                return t;
            }
        }
    }

    /// Expiry flags of EXPIRE and friends (7.0), sometimes two of them.
    fn expire_flags(&mut self, argv: &mut Argv) {
        if self.rng.chance(40) {
            let f = self.one_of(&["NX", "XX", "GT", "LT", "BAD"]);
            argv.push(f);
            if self.rng.chance(15) {
                let f = self.one_of(&["NX", "XX", "GT", "LT"]);
                argv.push(f);
            }
        }
    }

    fn index(&mut self) -> Arg {
        if self.rng.chance(80) {
            b(&self.rng.range(-6, 6).to_string())
        } else {
            b(self.rng.pick(INTS))
        }
    }

    fn score_bound(&mut self) -> Arg {
        if self.rng.chance(40) {
            b(&self.rng.range(-3, 10).to_string())
        } else {
            b(self.rng.pick(SCORE_BOUNDS))
        }
    }

    fn lex_bound(&mut self) -> Arg {
        b(self.rng.pick(LEX_BOUNDS))
    }

    fn channel(&mut self) -> Arg {
        b(self.rng.pick(CHANNELS))
    }

    fn numkeys_and_keys(&mut self, argv: &mut Argv, lo: usize, hi: usize) {
        let keys = self.keys(lo, hi);
        let n = if self.rng.chance(90) {
            keys.len().to_string()
        } else {
            self.rng.pick(&["0", "-1", "abc", "100", "2"]).to_string()
        };
        argv.push(b(&n));
        argv.extend(keys);
    }

    fn limit(&mut self, argv: &mut Argv) {
        argv.push(self.tok("LIMIT"));
        argv.push(self.index());
        argv.push(self.index());
    }

    // --- one command --------------------------------------------------------------------

    /// A well-formed (mostly) instance of command `name` (a table name: `config|get`).
    pub fn command(&mut self, name: &str) -> Argv {
        let (head, sub) = match name.split_once('|') {
            Some((h, s)) => (h, Some(s)),
            None => (name, None),
        };
        let mut a: Argv = vec![b(head)];
        if let Some(sub) = sub {
            a.push(self.tok(&sub.to_ascii_uppercase()));
        }
        match name {
            // --- strings ---
            "get" | "strlen" | "getdel" | "incr" | "decr" => a.push(self.key()),
            "set" => {
                a.push(self.key());
                a.push(self.value_arg());
                self.set_options(&mut a);
            }
            "setnx" | "getset" | "append" => {
                a.push(self.key());
                a.push(self.value_arg());
            }
            "setex" => {
                a.push(self.key());
                a.push(self.seconds());
                a.push(self.value_arg());
            }
            "psetex" => {
                a.push(self.key());
                a.push(self.millis());
                a.push(self.value_arg());
            }
            "getex" => {
                a.push(self.key());
                match self.rng.below(8) {
                    0 => {
                        a.push(self.tok("EX"));
                        a.push(self.seconds());
                    }
                    1 => {
                        a.push(self.tok("PX"));
                        a.push(self.millis());
                    }
                    2 => {
                        a.push(self.tok("EXAT"));
                        a.push(self.unix_seconds());
                    }
                    3 => {
                        a.push(self.tok("PXAT"));
                        a.push(self.unix_millis());
                    }
                    4 => a.push(self.tok("PERSIST")),
                    5 => {
                        a.push(self.tok("PERSIST"));
                        a.push(self.tok("EX"));
                        a.push(self.seconds());
                    }
                    _ => {}
                }
            }
            "incrby" | "decrby" => {
                a.push(self.key());
                a.push(self.int());
            }
            "incrbyfloat" => {
                a.push(self.key());
                a.push(self.float());
            }
            "getrange" | "substr" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.index());
            }
            "setrange" => {
                a.push(self.key());
                a.push(b(self.rng.pick(&["0", "1", "3", "10", "-1", "abc", "536870911", "536870912"])));
                let v = if self.rng.chance(10) { b("") } else { self.value_arg() };
                a.push(v);
            }
            "mget" => a.extend(self.keys(1, 4)),
            "mset" | "msetnx" => {
                for _ in 0..self.rng.range(1, 3) {
                    a.push(self.key());
                    a.push(self.value_arg());
                }
            }
            "lcs" => {
                a.push(self.key());
                a.push(self.key());
                let opts: &[&str] = &["LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN"];
                for _ in 0..self.rng.below(3) {
                    let o = self.rng.pick(opts);
                    a.push(self.tok(o));
                    if o == "MINMATCHLEN" {
                        a.push(self.int());
                    }
                }
            }
            // --- keys ---
            "del" | "unlink" | "exists" | "touch" => a.extend(self.keys(1, 3)),
            "type" | "ttl" | "pttl" | "persist" | "expiretime" | "pexpiretime" => a.push(self.key()),
            "expire" => {
                a.push(self.key());
                a.push(self.seconds());
                self.expire_flags(&mut a);
            }
            "pexpire" => {
                a.push(self.key());
                a.push(self.millis());
                self.expire_flags(&mut a);
            }
            "expireat" => {
                a.push(self.key());
                a.push(self.unix_seconds());
                self.expire_flags(&mut a);
            }
            "pexpireat" => {
                a.push(self.key());
                a.push(self.unix_millis());
                self.expire_flags(&mut a);
            }
            "keys" => a.push(self.pattern()),
            "randomkey" | "dbsize" | "time" | "lastsave" | "multi" | "exec" | "discard"
            | "unwatch" | "quit" | "reset" => {}
            "rename" | "renamenx" => {
                a.push(self.key());
                a.push(self.key());
            }
            "copy" => {
                a.push(self.key());
                a.push(self.key());
                if self.rng.chance(30) {
                    a.push(self.tok("DB"));
                    a.push(b(self.rng.pick(&["0", "1", "15", "16", "-1", "abc"])));
                }
                if self.rng.chance(40) {
                    a.push(self.tok("REPLACE"));
                }
            }
            "move" => {
                a.push(self.key());
                a.push(b(self.rng.pick(&["1", "2", "0", "15", "16", "-1", "abc"])));
            }
            "object|encoding" | "object|freq" | "object|idletime" | "object|refcount" => a.push(self.key()),
            "object|help" | "config|help" | "pubsub|help" | "command|help" | "client|help"
            | "config|resetstat" | "client|getname" | "client|id" | "client|info" => {}
            // --- scan family ---
            "scan" | "sscan" | "hscan" | "zscan" => {
                if name != "scan" {
                    a.push(self.key());
                }
                let cursor = if self.rng.chance(92) {
                    "0"
                } else {
                    self.rng.pick(&["abc", "-1", "18446744073709551616", "", "1.5", " 0"])
                };
                a.push(b(cursor));
                let mut opts = vec!["MATCH", "COUNT"];
                if name == "scan" {
                    opts.push("TYPE");
                }
                for _ in 0..self.rng.below(4) {
                    let o = self.rng.pick(&opts);
                    a.push(self.tok(o));
                    match o {
                        "MATCH" => a.push(self.pattern()),
                        "COUNT" => a.push(self.count()),
                        _ => a.push(b(self.rng.pick(TYPES))),
                    }
                }
                if self.rng.chance(3) {
                    a.push(b("NOSUCHOPTION"));
                }
            }
            // --- hashes ---
            "hset" | "hmset" => {
                a.push(self.key());
                for _ in 0..self.rng.range(1, 4) {
                    a.push(self.field());
                    a.push(self.value_arg());
                }
            }
            "hsetnx" => {
                a.push(self.key());
                a.push(self.field());
                a.push(self.value_arg());
            }
            "hget" | "hexists" | "hstrlen" => {
                a.push(self.key());
                a.push(self.field());
            }
            "hdel" | "hmget" => {
                a.push(self.key());
                for _ in 0..self.rng.range(1, 3) {
                    a.push(self.field());
                }
            }
            "hgetall" | "hkeys" | "hvals" | "hlen" => a.push(self.key()),
            "hincrby" => {
                a.push(self.key());
                a.push(self.field());
                a.push(self.int());
            }
            "hincrbyfloat" => {
                a.push(self.key());
                a.push(self.field());
                a.push(self.float());
            }
            "hrandfield" => {
                a.push(self.key());
                if self.rng.chance(70) {
                    a.push(self.index());
                    if self.rng.chance(50) {
                        a.push(self.tok("WITHVALUES"));
                    }
                }
            }
            // --- lists ---
            "lpush" | "rpush" | "lpushx" | "rpushx" => {
                a.push(self.key());
                a.extend(self.members(1, 4));
            }
            "lpop" | "rpop" => {
                a.push(self.key());
                if self.rng.chance(40) {
                    a.push(self.count());
                }
            }
            "llen" => a.push(self.key()),
            "lindex" => {
                a.push(self.key());
                a.push(self.index());
            }
            "lrange" | "ltrim" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.index());
            }
            "lset" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.member());
            }
            "linsert" => {
                a.push(self.key());
                a.push(self.one_of(&["BEFORE", "AFTER", "MIDDLE"]));
                a.push(self.member());
                a.push(self.member());
            }
            "lrem" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.member());
            }
            "lpos" => {
                a.push(self.key());
                a.push(self.member());
                for _ in 0..self.rng.below(3) {
                    let o = self.rng.pick(&["RANK", "COUNT", "MAXLEN"]);
                    a.push(self.tok(o));
                    a.push(self.index());
                }
            }
            "rpoplpush" => {
                a.push(self.key());
                a.push(self.key());
            }
            "lmove" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.one_of(&["LEFT", "RIGHT"]));
                a.push(self.one_of(&["LEFT", "RIGHT", "UP"]));
            }
            "lmpop" => {
                self.numkeys_and_keys(&mut a, 1, 3);
                a.push(self.one_of(&["LEFT", "RIGHT", "MIDDLE"]));
                if self.rng.chance(40) {
                    a.push(self.tok("COUNT"));
                    a.push(self.count());
                }
            }
            // --- sets ---
            "sadd" | "srem" | "smismember" => {
                a.push(self.key());
                a.extend(self.members(1, 4));
            }
            "sismember" => {
                a.push(self.key());
                a.push(self.member());
            }
            "scard" | "smembers" => a.push(self.key()),
            "sdiff" | "sinter" | "sunion" => a.extend(self.keys(1, 3)),
            "sdiffstore" | "sinterstore" | "sunionstore" => {
                a.push(self.key());
                a.extend(self.keys(1, 3));
            }
            "sintercard" | "zintercard" => {
                self.numkeys_and_keys(&mut a, 1, 3);
                if self.rng.chance(40) {
                    a.push(self.tok("LIMIT"));
                    a.push(self.index());
                }
            }
            "smove" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.member());
            }
            "spop" | "srandmember" => {
                a.push(self.key());
                if self.rng.chance(60) {
                    a.push(self.index());
                }
            }
            // --- sorted sets ---
            "zadd" => {
                a.push(self.key());
                for _ in 0..self.rng.below(3) {
                    let o = self.one_of(&["NX", "XX", "GT", "LT", "CH", "INCR"]);
                    a.push(o);
                }
                for _ in 0..self.rng.range(1, 3) {
                    a.push(self.float());
                    a.push(self.member());
                }
            }
            "zincrby" => {
                a.push(self.key());
                a.push(self.float());
                a.push(self.member());
            }
            "zcard" => a.push(self.key()),
            "zscore" | "zrank" | "zrevrank" => {
                a.push(self.key());
                a.push(self.member());
            }
            "zmscore" | "zrem" => {
                a.push(self.key());
                a.extend(self.members(1, 3));
            }
            "zcount" | "zremrangebyscore" => {
                a.push(self.key());
                a.push(self.score_bound());
                a.push(self.score_bound());
            }
            "zlexcount" | "zremrangebylex" => {
                a.push(self.key());
                a.push(self.lex_bound());
                a.push(self.lex_bound());
            }
            "zremrangebyrank" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.index());
            }
            "zrange" | "zrangestore" => {
                if name == "zrangestore" {
                    a.push(self.key());
                }
                a.push(self.key());
                let by = self.rng.below(3);
                match by {
                    0 => {
                        a.push(self.index());
                        a.push(self.index());
                    }
                    1 => {
                        a.push(self.score_bound());
                        a.push(self.score_bound());
                    }
                    _ => {
                        a.push(self.lex_bound());
                        a.push(self.lex_bound());
                    }
                }
                let mut opts = Vec::new();
                if by == 1 || self.rng.chance(5) {
                    opts.push(self.tok("BYSCORE"));
                }
                if by == 2 || self.rng.chance(5) {
                    opts.push(self.tok("BYLEX"));
                }
                if self.rng.chance(30) {
                    opts.push(self.tok("REV"));
                }
                if self.rng.chance(25) {
                    opts.push(self.tok("LIMIT"));
                    opts.push(self.index());
                    opts.push(self.index());
                }
                if name == "zrange" && self.rng.chance(40) {
                    opts.push(self.tok("WITHSCORES"));
                }
                if self.rng.chance(20) {
                    let n = opts.len();
                    if n > 1 {
                        opts.swap(0, n - 1);
                    }
                }
                a.extend(opts);
            }
            "zrangebyscore" | "zrevrangebyscore" => {
                a.push(self.key());
                a.push(self.score_bound());
                a.push(self.score_bound());
                if self.rng.chance(40) {
                    a.push(self.tok("WITHSCORES"));
                }
                if self.rng.chance(30) {
                    self.limit(&mut a);
                }
            }
            "zrangebylex" | "zrevrangebylex" => {
                a.push(self.key());
                a.push(self.lex_bound());
                a.push(self.lex_bound());
                if self.rng.chance(30) {
                    self.limit(&mut a);
                }
            }
            "zrevrange" => {
                a.push(self.key());
                a.push(self.index());
                a.push(self.index());
                if self.rng.chance(40) {
                    a.push(self.tok("WITHSCORES"));
                }
            }
            "zpopmin" | "zpopmax" => {
                a.push(self.key());
                if self.rng.chance(50) {
                    a.push(self.count());
                }
            }
            "zrandmember" => {
                a.push(self.key());
                if self.rng.chance(70) {
                    a.push(self.index());
                    if self.rng.chance(50) {
                        a.push(self.tok("WITHSCORES"));
                    }
                }
            }
            "zunion" | "zinter" | "zdiff" | "zunionstore" | "zinterstore" | "zdiffstore" => {
                if name.ends_with("store") {
                    a.push(self.key());
                }
                let n = self.rng.range(1, 3) as usize;
                self.numkeys_exact(&mut a, n);
                if name != "zdiff" && name != "zdiffstore" {
                    if self.rng.chance(30) {
                        a.push(self.tok("WEIGHTS"));
                        let w = if self.rng.chance(90) { n } else { n + 1 };
                        for _ in 0..w {
                            a.push(self.float());
                        }
                    }
                    if self.rng.chance(30) {
                        a.push(self.tok("AGGREGATE"));
                        a.push(self.one_of(&["SUM", "MIN", "MAX", "AVG"]));
                    }
                }
                if !name.ends_with("store") && self.rng.chance(40) {
                    a.push(self.tok("WITHSCORES"));
                }
            }
            "zmpop" => {
                self.numkeys_and_keys(&mut a, 1, 3);
                a.push(self.one_of(&["MIN", "MAX", "MID"]));
                if self.rng.chance(40) {
                    a.push(self.tok("COUNT"));
                    a.push(self.count());
                }
            }
            // --- blocking (the timeout is forever or long, or junk; see the episodes) ---
            "blpop" | "brpop" | "bzpopmin" | "bzpopmax" => {
                a.extend(self.keys(1, 3));
                a.push(self.timeout());
            }
            "brpoplpush" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.timeout());
            }
            "blmove" => {
                a.push(self.key());
                a.push(self.key());
                a.push(self.one_of(&["LEFT", "RIGHT"]));
                a.push(self.one_of(&["LEFT", "RIGHT"]));
                a.push(self.timeout());
            }
            "blmpop" | "bzmpop" => {
                a.push(self.timeout());
                self.numkeys_and_keys(&mut a, 1, 3);
                if name == "blmpop" {
                    a.push(self.one_of(&["LEFT", "RIGHT"]));
                } else {
                    a.push(self.one_of(&["MIN", "MAX"]));
                }
                if self.rng.chance(40) {
                    a.push(self.tok("COUNT"));
                    a.push(self.count());
                }
            }
            // --- transactions ---
            "watch" => a.extend(self.keys(1, 3)),
            // --- pub/sub ---
            "subscribe" | "unsubscribe" => {
                let n = if name == "subscribe" { self.rng.range(1, 3) } else { self.rng.range(0, 2) };
                for _ in 0..n {
                    a.push(self.channel());
                }
            }
            "psubscribe" | "punsubscribe" => {
                let n = if name == "psubscribe" { self.rng.range(1, 2) } else { self.rng.range(0, 2) };
                for _ in 0..n {
                    a.push(self.pattern());
                }
            }
            "publish" => {
                a.push(self.channel());
                a.push(self.value_arg());
            }
            "pubsub|channels" => {
                if self.rng.chance(60) {
                    a.push(self.pattern());
                }
            }
            "pubsub|numsub" => {
                for _ in 0..self.rng.below(3) {
                    a.push(self.channel());
                }
            }
            "pubsub|numpat" => {}
            // --- server ---
            "config|get" => {
                for _ in 0..self.rng.range(1, 2) {
                    a.push(b(self.rng.pick(CONFIG_GET_PATTERNS)));
                }
            }
            "config|set" => {
                for _ in 0..self.rng.range(1, 2) {
                    let (p, values) = self.rng.pick(CONFIG_PARAMS);
                    let p = self.tok(p);
                    a.push(p);
                    a.push(b(self.rng.pick(values)));
                }
            }
            "flushdb" | "flushall" => {
                if self.rng.chance(30) {
                    a.push(self.one_of(&["ASYNC", "SYNC", "LAZY"]));
                }
            }
            "select" => a.push(b(self.rng.pick(&["0", "0", "0", "1", "15", "16", "-1", "abc"]))),
            "swapdb" => {
                a.push(b(self.rng.pick(&["0", "1", "2"])));
                a.push(b(self.rng.pick(&["0", "1", "2", "16", "x"])));
            }
            "info" => a.push(self.one_of(&["keyspace"])),
            "command|info" | "command|docs" => {
                // Never without a name: that is the whole table (see NOT_GENERATED).
                for _ in 0..self.rng.range(1, 2) {
                    a.push(b(self.rng.pick(COMMAND_NAMES)));
                }
            }
            "command|getkeys" => {
                let inner = self.rng.pick(&[
                    "set", "get", "mset", "zunionstore", "blmpop", "lmove", "ping", "nosuch",
                    "zinterstore", "object", "brpoplpush", "sinterstore",
                ]);
                let sub = self.command(inner);
                a.extend(sub);
            }
            // --- connection ---
            "ping" => {
                if self.rng.chance(50) {
                    a.push(self.value_arg());
                }
            }
            "echo" => a.push(self.value_arg()),
            "hello" => {
                if self.rng.chance(80) {
                    // Not 3: RESP3 is not served yet (the engine answers NOPROTO by design).
                    a.push(b(self.rng.pick(&["2", "2", "1", "4", "abc"])));
                    if self.rng.chance(30) {
                        a.push(self.tok("SETNAME"));
                        a.push(b(self.rng.pick(&["worker", "a b", ""])));
                    }
                }
            }
            "client|setname" => a.push(b(self.rng.pick(&["worker", "w2", "", "a b", "x\ny", "café"]))),
            "client|list" => {
                if self.rng.chance(50) {
                    a.push(self.tok("TYPE"));
                    a.push(b(self.rng.pick(&["normal", "pubsub", "master", "replica", "bogus"])));
                } else if self.rng.chance(50) {
                    a.push(self.tok("ID"));
                    a.push(Arg::ClientId(self.rng.below(CLIENTS)));
                }
            }
            "client|kill" => {
                match self.rng.below(4) {
                    0 => {
                        a.push(self.tok("ID"));
                        a.push(Arg::ClientId(self.rng.below(CLIENTS)));
                    }
                    1 => {
                        a.push(self.tok("TYPE"));
                        a.push(b(self.rng.pick(&["pubsub", "bogus", "master"])));
                    }
                    2 => a.push(b(self.rng.pick(&["1.2.3.4:5", "nosuch"]))),
                    _ => {
                        a.push(self.tok("ID"));
                        a.push(b(self.rng.pick(&["999999", "abc", "0"])));
                    }
                }
                if self.rng.chance(40) {
                    a.push(self.tok("SKIPME"));
                    a.push(self.one_of(&["yes", "no", "maybe"]));
                }
            }
            "client|unblock" => {
                if self.rng.chance(85) {
                    a.push(Arg::ClientId(self.rng.below(CLIENTS)));
                } else {
                    a.push(b(self.rng.pick(&["999999", "abc"])));
                }
                if self.rng.chance(50) {
                    a.push(self.one_of(&["TIMEOUT", "ERROR", "NEVER"]));
                }
            }
            // A command the generator has no arm for is sent bare (the coverage line and the
            // arity error show it).
            _ => {}
        }
        a
    }

    fn numkeys_exact(&mut self, argv: &mut Argv, n: usize) {
        let shown = if self.rng.chance(92) { n.to_string() } else { self.rng.pick(&["0", "-1", "abc", "5"]).to_string() };
        argv.push(b(&shown));
        for _ in 0..n {
            argv.push(self.key());
        }
    }

    fn set_options(&mut self, a: &mut Argv) {
        let mut opts: Vec<Argv> = Vec::new();
        if self.rng.chance(30) {
            opts.push(vec![self.one_of(&["NX", "XX"])]);
        }
        if self.rng.chance(20) {
            opts.push(vec![self.tok("GET")]);
        }
        if self.rng.chance(35) {
            let o = match self.rng.below(5) {
                0 => vec![self.tok("EX"), self.seconds()],
                1 => vec![self.tok("PX"), self.millis()],
                2 => vec![self.tok("EXAT"), self.set_unix_time(false)],
                3 => vec![self.tok("PXAT"), self.set_unix_time(true)],
                _ => vec![self.tok("KEEPTTL")],
            };
            opts.push(o);
        }
        if self.rng.chance(5) {
            opts.push(vec![self.one_of(&["NX", "XX", "EX", "KEEPTTL", "BOGUS"])]);
        }
        // Options in a random order.
        for i in (1..opts.len()).rev() {
            let j = self.rng.below(i + 1);
            opts.swap(i, j);
        }
        for o in opts {
            a.extend(o);
        }
    }

    fn timeout(&mut self) -> Arg {
        b(self.rng.pick(&["0", "0", "0", "1000", "0.0", "-1", "abc", "1e400", "nan", "inf"]))
    }

    /// A command that makes `key`'s value grow (of the type the first one gives it).
    fn grow(&mut self, key: &Arg) -> Argv {
        let mut a = match self.rng.below(5) {
            0 => vec![b("RPUSH"), key.clone()],
            1 => vec![b("SADD"), key.clone()],
            2 => vec![b("HSET"), key.clone()],
            3 => vec![b("ZADD"), key.clone()],
            _ => vec![b("SADD"), key.clone()],
        };
        let kind = full_name(&a);
        for _ in 0..self.rng.range(1, 6) {
            let n = self.rng.range(0, 700);
            let member = if self.rng.chance(70) { n.to_string() } else { format!("m{n}") };
            match kind.as_str() {
                "hset" => {
                    a.push(b(&format!("f{n}")));
                    a.push(self.value_arg());
                }
                "zadd" => {
                    a.push(b(&(n % 7).to_string()));
                    a.push(b(&member));
                }
                _ => a.push(b(&member)),
            }
        }
        a
    }

    // --- episodes -------------------------------------------------------------------------

    /// MULTI ... EXEC (or DISCARD), sometimes with WATCH and a second client changing a watched
    /// key in between, sometimes with errors queued (unknown commands, wrong arity).
    fn transaction(&mut self, ops: &mut Vec<Op>) {
        let c = 0;
        let watching = self.rng.chance(40);
        let mut watched = Vec::new();
        if watching {
            let keys = self.keys(1, 2);
            watched = keys.clone();
            let mut argv = vec![b("WATCH")];
            argv.extend(keys);
            ops.push(Op { client: c, argv });
        }
        if watching && self.rng.chance(50) {
            // Another client touches a watched key (or not).
            let other = self.rng.range(1, 2) as usize;
            let key = if self.rng.chance(70) { self.rng.pick_ref(&watched).clone() } else { self.key() };
            let argv = match self.rng.below(4) {
                0 => vec![b("SET"), key, b("x")],
                1 => vec![b("DEL"), key],
                2 => vec![b("EXPIRE"), key, b("1000")],
                _ => vec![b("GET"), key],
            };
            ops.push(Op { client: other, argv });
        }
        ops.push(Op { client: c, argv: vec![self.tok("MULTI")] });
        for _ in 0..self.rng.range(0, 5) {
            let argv = match self.rng.below(40) {
                0 => vec![b("NOSUCHCOMMAND"), b("x")],
                1 => vec![b("MULTI")],
                2 => vec![b("WATCH"), b("k1")],
                3 => vec![b("SUBSCRIBE"), b("ch1")],
                _ => self.any_command(c),
            };
            ops.push(Op { client: c, argv });
        }
        if watching && self.rng.chance(25) {
            let other = self.rng.range(1, 2) as usize;
            let key = self.rng.pick_ref(&watched).clone();
            ops.push(Op { client: other, argv: vec![b("INCR"), key] });
        }
        let end = if self.rng.chance(85) { "EXEC" } else { "DISCARD" };
        ops.push(Op { client: c, argv: vec![self.tok(end)] });
        if self.rng.chance(10) {
            let end = self.rng.pick(&["EXEC", "DISCARD", "UNWATCH"]);
            ops.push(Op { client: c, argv: vec![b(end)] });
        }
    }

    /// A client blocks (or does not, if its keys have data), others act, and someone serves it:
    /// a push to one of its keys, or CLIENT UNBLOCK.
    fn blocking_episode(&mut self, ops: &mut Vec<Op>) {
        let blocker = self.rng.range(1, 2) as usize;
        let name = self.rng.pick(&["blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop"]);
        let argv = self.command(name);
        let keys: Vec<Arg> = argv
            .iter()
            .filter(|a| matches!(a, Arg::Bytes(x) if KEYS.iter().any(|k| k.as_bytes() == x.as_slice())))
            .cloned()
            .collect();
        ops.push(Op { client: blocker, argv });
        for _ in 0..self.rng.range(0, 3) {
            let argv = self.any_command(0);
            ops.push(Op { client: 0, argv });
        }
        let server = if blocker == 1 { 2 } else { 1 };
        let server = if self.rng.chance(50) { 0 } else { server };
        let key = if keys.is_empty() { self.key() } else { self.rng.pick_ref(&keys).clone() };
        let zset = name.starts_with("bz");
        let argv = match self.rng.below(10) {
            0 => {
                let mut a = vec![b("CLIENT"), b("UNBLOCK"), Arg::ClientId(blocker)];
                if self.rng.chance(50) {
                    a.push(self.one_of(&["TIMEOUT", "ERROR"]));
                }
                a
            }
            1 => {
                // A transaction that pushes twice: the blocked client is served after EXEC.
                ops.push(Op { client: server, argv: vec![b("MULTI")] });
                let m = self.member();
                let push = if zset { vec![b("ZADD"), key.clone(), b("1"), m] } else { vec![b("RPUSH"), key.clone(), m] };
                ops.push(Op { client: server, argv: push });
                vec![b("EXEC")]
            }
            _ if zset => {
                let mut a = vec![b("ZADD"), key];
                for _ in 0..self.rng.range(1, 3) {
                    a.push(self.float());
                    a.push(self.member());
                }
                a
            }
            _ => {
                let mut a = vec![self.one_of(&["LPUSH", "RPUSH"]), key];
                a.extend(self.members(1, 3));
                a
            }
        };
        ops.push(Op { client: server, argv });
        if self.rng.chance(30) {
            // If it is still blocked, let it go.
            ops.push(Op { client: 0, argv: vec![b("CLIENT"), b("UNBLOCK"), Arg::ClientId(blocker)] });
        }
    }

    /// A subscriber, publishers and keyspace notifications around it.
    fn pubsub_episode(&mut self, ops: &mut Vec<Op>) {
        let sub = self.rng.range(1, 2) as usize;
        let other = if sub == 1 { 2 } else { 1 };
        if self.rng.chance(40) {
            let flags = self.rng.pick(&["KEA", "Kg$lshz", "AKE", "E$", "Kl", "KEA", "Exg"]);
            ops.push(Op { client: 0, argv: vec![b("CONFIG"), b("SET"), b("notify-keyspace-events"), b(flags)] });
        }
        let first = if self.rng.chance(50) { "subscribe" } else { "psubscribe" };
        let mut argv = self.command(first);
        if first == "psubscribe" && self.rng.chance(50) {
            argv.push(b(self.rng.pick(&["__keyspace@0__:*", "__keyevent@0__:*", "__key*__:k?"])));
        }
        ops.push(Op { client: sub, argv });
        self.subscribed[sub] = true;
        for _ in 0..self.rng.range(2, 8) {
            let (client, argv) = match self.rng.below(10) {
                0..=2 => (self.rng.pick(&[0, other]).to_owned(), self.command("publish")),
                3 => (sub, self.subscriber_command(sub)),
                4 => {
                    let name = self.rng.pick(&["pubsub|channels", "pubsub|numsub", "pubsub|numpat"]);
                    (0, self.command(name))
                }
                _ => (0, self.any_command(0)),
            };
            ops.push(Op { client, argv });
        }
        if self.rng.chance(70) {
            let end = self.rng.pick(&["UNSUBSCRIBE", "PUNSUBSCRIBE", "RESET", "QUIT"]);
            ops.push(Op { client: sub, argv: vec![b(end)] });
            if end == "RESET" || end == "QUIT" {
                self.subscribed[sub] = false;
            } else {
                let end = if end == "UNSUBSCRIBE" { "PUNSUBSCRIBE" } else { "UNSUBSCRIBE" };
                ops.push(Op { client: sub, argv: vec![b(end)] });
                self.subscribed[sub] = false;
            }
        }
    }

    /// What a subscribed client sends: more subscriptions, PING, or a command it may not run.
    fn subscriber_command(&mut self, client: usize) -> Argv {
        let name = self.rng.pick(&[
            "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ping", "ping", "get", "quit",
            "reset", "multi",
        ]);
        if name == "quit" || name == "reset" {
            self.subscribed[client] = false;
        }
        self.command(name)
    }
}
