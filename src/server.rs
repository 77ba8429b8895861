//! Connection and server commands: PING, ECHO, SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL, TIME,
//! LASTSAVE, INFO, CONFIG, COMMAND — and the engine's own virtual-clock commands (`CLOCK.*`).
//!
//! COMMAND answers from the command table (see [`crate::commands`]), so what COMMAND says about a
//! command is by construction what dispatch does with it. COMMAND INFO and COMMAND DOCS replay the
//! descriptions a real Redis 7.0 gave of itself; COMMAND GETKEYS interprets the same key
//! specifications Redis does (`begin_search` index/keyword, `find_keys` range/keynum).

use crate::commands::{self, Command, Handler};
use crate::engine::{Ctx, DATABASES};
use crate::num::parse_i64;
use crate::reply::{errors, Reply};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("ping", ping),
    ("echo", echo),
    ("select", select),
    ("swapdb", swapdb),
    ("dbsize", dbsize),
    ("flushdb", flushdb),
    ("flushall", flushall),
    ("time", time),
    ("lastsave", lastsave),
    ("info", info),
    ("command", command),
    ("command|count", command_count),
    ("command|info", command_info),
    ("command|docs", command_docs),
    ("command|list", command_list),
    ("command|getkeys", command_getkeys),
    ("command|help", command_help),
    ("config|get", config_get),
    ("config|set", config_set),
    ("config|resetstat", config_resetstat),
    ("config|help", config_help),
    ("clock.get", clock_get),
    ("clock.freeze", clock_freeze),
    ("clock.resume", clock_resume),
    ("clock.set", clock_set),
    ("clock.advance", clock_advance),
];

fn ping(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() <= 2 && ctx.client().in_pubsub() && ctx.client().resp == 2 {
        // A subscribed RESP2 client gets its PONG in the shape of a pushed message.
        let msg = args.get(1).map(|a| a.as_slice()).unwrap_or(b"");
        return Reply::Array(vec![Reply::bulk("pong"), Reply::bulk(msg)]);
    }
    match args.len() {
        1 => Reply::Status("PONG".into()),
        2 => Reply::bulk(&args[1]),
        _ => crate::engine::wrong_arity("ping"),
    }
}

fn echo(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    Reply::bulk(&args[1])
}

/// A database index argument: Redis's integer parse, then the range check.
fn db_index(arg: &[u8]) -> Result<usize, Reply> {
    let n = parse_i64(arg).ok_or_else(|| Reply::err(errors::NOT_INTEGER))?;
    if n < 0 || n >= DATABASES as i64 {
        return Err(Reply::err(errors::DB_INDEX));
    }
    Ok(n as usize)
}

fn select(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match db_index(&args[1]) {
        Ok(i) => {
            ctx.client_mut().db = i;
            Reply::ok()
        }
        Err(e) => e,
    }
}

fn swapdb(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(a) = parse_i64(&args[1]) else { return Reply::err("ERR invalid first DB index") };
    let Some(b) = parse_i64(&args[2]) else { return Reply::err("ERR invalid second DB index") };
    let range = 0..DATABASES as i64;
    if !range.contains(&a) || !range.contains(&b) {
        return Reply::err(errors::DB_INDEX);
    }
    let (a, b) = (a as usize, b as usize);
    if a != b {
        // A watched key is touched if it exists in either database (before or after the swap).
        let mut keys: Vec<_> = ctx.db_at(a).keys().cloned().collect();
        keys.extend(ctx.db_at(b).keys().cloned());
        ctx.eng.state.dbs.swap(a, b);
        for k in keys {
            ctx.signal_modified_in(a, &k);
            ctx.signal_modified_in(b, &k);
            ctx.signal_ready_in(a, &k);
            ctx.signal_ready_in(b, &k);
        }
    }
    Reply::ok()
}

fn dbsize(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Int(ctx.db().len() as i64)
}

/// FLUSHDB / FLUSHALL accept an optional ASYNC or SYNC.
fn flush_mode_ok(args: &[Vec<u8>]) -> bool {
    match args.len() {
        1 => true,
        2 => args[1].eq_ignore_ascii_case(b"async") || args[1].eq_ignore_ascii_case(b"sync"),
        _ => false,
    }
}

fn flush(ctx: &mut Ctx, db: usize) {
    let keys: Vec<_> = ctx.db_at(db).keys().cloned().collect();
    ctx.db_at(db).clear();
    for k in keys {
        ctx.signal_modified_in(db, &k);
    }
}

fn flushdb(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if !flush_mode_ok(args) {
        return Reply::err(errors::SYNTAX);
    }
    let db = ctx.db_index();
    flush(ctx, db);
    Reply::ok()
}

fn flushall(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if !flush_mode_ok(args) {
        return Reply::err(errors::SYNTAX);
    }
    for db in 0..DATABASES {
        flush(ctx, db);
    }
    Reply::ok()
}

fn time(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    let us = ctx.eng.clock.now_us();
    Reply::Array(vec![
        Reply::bulk(us.div_euclid(1_000_000).to_string()),
        Reply::bulk(us.rem_euclid(1_000_000).to_string()),
    ])
}

fn lastsave(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Int(ctx.eng.started_us().div_euclid(1_000_000))
}

/// INFO [section ...]: the sections the engine can fill truthfully.
fn info(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    const DEFAULT: &[&str] = &["server", "clients", "persistence", "stats", "keyspace"];
    let mut wanted: Vec<String> = args[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .collect();
    if wanted.is_empty() || wanted.iter().any(|w| w == "default" || w == "all" || w == "everything") {
        wanted = DEFAULT.iter().map(|s| s.to_string()).collect();
    }
    let mut out = String::new();
    for section in DEFAULT {
        if !wanted.iter().any(|w| w == section) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str(&info_section(ctx, section));
    }
    Reply::bulk(out)
}

fn info_section(ctx: &mut Ctx, section: &str) -> String {
    let now_us = ctx.eng.clock.now_us();
    let lines: Vec<String> = match section {
        "server" => {
            let uptime = (now_us - ctx.eng.started_us()).max(0) / 1_000_000;
            vec![
                "redis_version:7.0.15".into(),
                "redis_mode:standalone".into(),
                "os:redis-playground".into(),
                "arch_bits:64".into(),
                "multiplexing_api:none".into(),
                "process_id:0".into(),
                "tcp_port:0".into(),
                format!("server_time_usec:{now_us}"),
                format!("uptime_in_seconds:{uptime}"),
                format!("uptime_in_days:{}", uptime / 86_400),
                "hz:10".into(),
                "configured_hz:10".into(),
                "executable:redis-playground".into(),
                "config_file:".into(),
                format!("virtual_clock:{}", if ctx.eng.clock.is_frozen() { "frozen" } else { "running" }),
            ]
        }
        "clients" => vec![
            format!("connected_clients:{}", ctx.eng.clients().count()),
            "maxclients:10000".into(),
            format!("blocked_clients:{}", ctx.eng.clients().filter(|c| c.blocked.is_some()).count()),
        ],
        "persistence" => vec![
            "loading:0".into(),
            "rdb_changes_since_last_save:0".into(),
            format!("rdb_last_save_time:{}", ctx.eng.started_us() / 1_000_000),
            "aof_enabled:0".into(),
        ],
        "stats" => vec![
            format!("total_connections_received:{}", ctx.eng.stats.connections_received),
            format!("total_commands_processed:{}", ctx.eng.stats.commands_processed),
            format!("expired_keys:{}", ctx.eng.stats.expired_keys),
            "evicted_keys:0".into(),
        ],
        "keyspace" => {
            let now_ms = ctx.now_ms;
            (0..DATABASES)
                .filter_map(|i| {
                    let db = ctx.db_at(i);
                    if db.is_empty() {
                        return None;
                    }
                    let ttls: Vec<i64> =
                        db.iter().filter_map(|(_, e)| e.expire_at).map(|t| (t - now_ms).max(0)).collect();
                    let avg = if ttls.is_empty() { 0 } else { ttls.iter().sum::<i64>() / ttls.len() as i64 };
                    Some(format!("db{i}:keys={},expires={},avg_ttl={avg}", db.len(), db.expires_len()))
                })
                .collect()
        }
        _ => vec![],
    };
    let title = {
        let mut c = section.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    };
    let mut s = format!("# {title}\r\n");
    for l in lines {
        s.push_str(&l);
        s.push_str("\r\n");
    }
    s
}

fn command(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Array(commands::registry().iter().map(commands::info_reply).collect())
}

fn command_count(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Int(commands::registry().len() as i64)
}

fn command_info(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() == 2 {
        return Reply::Array(commands::registry().iter().map(commands::info_reply).collect());
    }
    Reply::Array(
        args[2..]
            .iter()
            .map(|name| find_full(name).map(commands::info_reply).unwrap_or(Reply::Nil))
            .collect(),
    )
}

/// A command or `parent|sub` subcommand by its full name.
fn find_full(name: &[u8]) -> Option<&'static Command> {
    match name.iter().position(|&c| c == b'|') {
        Some(i) => commands::lookup(&name[..i])?.subcommand(&name[i + 1..]),
        None => commands::lookup(name),
    }
}

fn command_docs(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let mut out = Vec::new();
    let mut add = |c: &Command| {
        out.push(Reply::bulk(c.spec.name));
        out.push(commands::docs_reply(c));
    };
    if args.len() == 2 {
        commands::registry().iter().for_each(&mut add);
    } else {
        for name in &args[2..] {
            if let Some(c) = find_full(name) {
                add(c);
            }
        }
    }
    Reply::Array(out)
}

fn command_list(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let all = commands::registry().iter().flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()));
    let names: Vec<&str> = match args.len() {
        2 => all.map(|c| c.spec.name).collect(),
        5 if args[2].eq_ignore_ascii_case(b"filterby") => {
            let what = &args[4];
            if args[3].eq_ignore_ascii_case(b"module") {
                vec![]
            } else if args[3].eq_ignore_ascii_case(b"aclcat") {
                let cat = format!("@{}", String::from_utf8_lossy(what).to_ascii_lowercase());
                all.filter(|c| c.spec.acl_categories.contains(&cat.as_str())).map(|c| c.spec.name).collect()
            } else if args[3].eq_ignore_ascii_case(b"pattern") {
                all.filter(|c| crate::glob::matches(what, c.spec.name.as_bytes(), true))
                    .map(|c| c.spec.name)
                    .collect()
            } else {
                return Reply::err(errors::SYNTAX);
            }
        }
        _ => return Reply::err(errors::SYNTAX),
    };
    Reply::bulks(names)
}

fn command_getkeys(_ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let target = &args[2..];
    let Some(mut cmd) = commands::lookup(&target[0]) else {
        return Reply::err("ERR Invalid command specified");
    };
    if !cmd.subcommands.is_empty() && target.len() >= 2 {
        match cmd.subcommand(&target[1]) {
            Some(sub) => cmd = sub,
            None => return Reply::err("ERR Invalid command specified"),
        }
    }
    if cmd.spec.first_key == 0 && !cmd.spec.has_flag("movablekeys") {
        return Reply::err("ERR The command has no key arguments");
    }
    if !cmd.spec.arity_ok(target.len()) {
        return Reply::err("ERR Invalid number of arguments specified for command");
    }
    match key_positions(cmd, target) {
        KeyPositions::Found(pos) if !pos.is_empty() => {
            Reply::Array(pos.into_iter().map(|i| Reply::bulk(&target[i])).collect())
        }
        _ if cmd.spec.has_flag("no_mandatory_keys") => Reply::Array(vec![]),
        _ => Reply::err("ERR Invalid arguments specified for command"),
    }
}

enum KeyPositions {
    Invalid,
    Found(Vec<usize>),
}

/// Finds key positions in `argv` by interpreting the command's key specifications.
fn key_positions(cmd: &Command, argv: &[Vec<u8>]) -> KeyPositions {
    let specs = match commands::info_reply(cmd) {
        Reply::Array(mut v) if v.len() >= 9 => match v.swap_remove(8) {
            Reply::Array(specs) => specs,
            _ => vec![],
        },
        _ => vec![],
    };
    let argc = argv.len() as i64;
    let mut out = Vec::new();
    for spec in &specs {
        let begin = field(spec, "begin_search");
        let find = field(spec, "find_keys");
        let (Some(begin), Some(find)) = (begin, find) else { continue };
        let first = match (text_field(begin, "type").as_deref(), field(begin, "spec")) {
            (Some("index"), Some(s)) => int_field(s, "index").unwrap_or(0),
            (Some("keyword"), Some(s)) => {
                let kw = text_field(s, "keyword").unwrap_or_default();
                let start = int_field(s, "startfrom").unwrap_or(1);
                let (from, to, step): (i64, i64, i64) =
                    if start >= 0 { (start, argc, 1) } else { (argc + start, 0, -1) };
                let mut i = from;
                let mut found = None;
                while i > 0 && i < argc && (step > 0 || i >= to) {
                    if argv[i as usize].eq_ignore_ascii_case(kw.as_bytes()) {
                        found = Some(i + 1);
                        break;
                    }
                    i += step;
                }
                match found {
                    Some(f) => f,
                    None => continue,
                }
            }
            _ => continue,
        };
        let Some(fspec) = field(find, "spec") else { continue };
        let (firstkey, lastkey, step) = match text_field(find, "type").as_deref() {
            Some("range") => {
                let lastkey = int_field(fspec, "lastkey").unwrap_or(0);
                let step = int_field(fspec, "keystep").unwrap_or(1).max(1);
                let limit = int_field(fspec, "limit").unwrap_or(0);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit <= 1 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (first, last, step)
            }
            Some("keynum") => {
                let idx = first + int_field(fspec, "keynumidx").unwrap_or(0);
                let Some(n) = argv.get(idx as usize).and_then(|a| parse_i64(a)) else {
                    return KeyPositions::Invalid;
                };
                let fk = first + int_field(fspec, "firstkey").unwrap_or(1);
                let step = int_field(fspec, "keystep").unwrap_or(1).max(1);
                if n < 1 {
                    return KeyPositions::Invalid;
                }
                (fk, fk + (n - 1).saturating_mul(step), step)
            }
            _ => continue,
        };
        if firstkey >= argc || lastkey >= argc || lastkey < firstkey {
            if lastkey >= argc {
                return KeyPositions::Invalid;
            }
            continue;
        }
        let mut i = firstkey;
        while i <= lastkey {
            out.push(i as usize);
            i += step;
        }
    }
    KeyPositions::Found(out)
}

/// The value after `name` in a flat [name, value, ...] array.
fn field<'a>(r: &'a Reply, name: &str) -> Option<&'a Reply> {
    let Reply::Array(items) = r else { return None };
    items.chunks(2).find_map(|kv| match kv {
        [Reply::Bulk(k), v] if k.as_slice() == name.as_bytes() => Some(v),
        _ => None,
    })
}

fn text_field(r: &Reply, name: &str) -> Option<String> {
    match field(r, name)? {
        Reply::Bulk(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Reply::Status(s) => Some(s.clone()),
        _ => None,
    }
}

fn int_field(r: &Reply, name: &str) -> Option<i64> {
    match field(r, name)? {
        Reply::Int(n) => Some(*n),
        _ => None,
    }
}

fn help_reply(lines: &[&str]) -> Reply {
    Reply::Array(lines.iter().map(|l| Reply::Status(l.to_string())).collect())
}

fn command_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    help_reply(&[
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    ])
}

fn config_get(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let patterns: Vec<&[u8]> = args[2..].iter().map(|a| a.as_slice()).collect();
    let pairs = ctx.config().get(&patterns);
    Reply::Array(pairs.into_iter().flat_map(|(k, v)| [Reply::bulk(k), Reply::bulk(v)]).collect())
}

fn config_set(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() % 2 != 0 {
        return Reply::err(errors::SYNTAX);
    }
    let pairs: Vec<(&[u8], &[u8])> = args[2..].chunks(2).map(|p| (p[0].as_slice(), p[1].as_slice())).collect();
    match ctx.eng.state.config.set(&pairs) {
        Ok(()) => Reply::ok(),
        Err(e) => Reply::Error(e),
    }
}

fn config_resetstat(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.eng.stats = Default::default();
    Reply::ok()
}

fn config_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    help_reply(&[
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    ])
}

fn clock_get(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    let state = if ctx.eng.clock.is_frozen() { "frozen" } else { "running" };
    Reply::Array(vec![Reply::Int(ctx.eng.clock.now_ms()), Reply::bulk(state)])
}

fn clock_freeze(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.eng.clock.freeze();
    Reply::ok()
}

fn clock_resume(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.eng.clock.resume();
    Reply::ok()
}

fn clock_set(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(ms) = parse_i64(&args[1]) else { return Reply::err(errors::NOT_INTEGER) };
    let Some(us) = ms.checked_mul(1000) else { return Reply::err(errors::NOT_INTEGER) };
    ctx.eng.clock.set_us(us);
    ctx.eng.tick();
    Reply::ok()
}

/// Parses a duration: a bare number of milliseconds or a number with a unit (ms, s, m, h, d).
pub fn parse_duration_ms(arg: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(arg).ok()?.trim().to_ascii_lowercase();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let factor = match unit {
        "" | "ms" => 1.0,
        "s" => 1_000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    let n: f64 = num.parse().ok()?;
    let ms = (n * factor).round();
    if !ms.is_finite() || ms.abs() > 1e15 {
        return None;
    }
    Some(ms as i64)
}

fn clock_advance(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let Some(ms) = parse_duration_ms(&args[1]) else {
        return Reply::err("ERR invalid duration: use milliseconds or a number with ms, s, m, h or d");
    };
    ctx.eng.clock.advance_us(ms.saturating_mul(1000));
    ctx.eng.tick();
    Reply::Int(ctx.eng.clock.now_ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms(b"1500"), Some(1500));
        assert_eq!(parse_duration_ms(b"10s"), Some(10_000));
        assert_eq!(parse_duration_ms(b"1.5m"), Some(90_000));
        assert_eq!(parse_duration_ms(b"2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms(b"1d"), Some(86_400_000));
        assert_eq!(parse_duration_ms(b"10x"), None);
        assert_eq!(parse_duration_ms(b"1e300"), None);
    }
}
