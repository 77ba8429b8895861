//! The connection commands: CLIENT (ID, GETNAME, SETNAME, LIST, INFO, KILL, UNBLOCK, HELP), HELLO,
//! RESET and QUIT.
//!
//! In the page a "connection" is an engine client: the course's `createClient()` and
//! `client.duplicate()` each open one, so CLIENT LIST shows exactly the connections a lesson made.
//! Clients have no network address here; CLIENT LIST shows `addr=local:<id>` in its place.

use crate::commands::Handler;
use crate::engine::{ClientId, Ctx};
use crate::num::parse_i64;
use crate::reply::{errors, Reply};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("client|id", client_id),
    ("client|getname", client_getname),
    ("client|setname", client_setname),
    ("client|list", client_list),
    ("client|info", client_info),
    ("client|kill", client_kill),
    ("client|unblock", client_unblock),
    ("client|help", client_help),
    ("hello", hello),
    ("reset", reset),
    ("quit", quit),
];

fn client_id(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Int(ctx.cid as i64)
}

fn client_getname(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::opt_bulk(ctx.client().name.as_deref())
}

/// Redis accepts names made of printable ASCII without spaces; an empty name clears it.
fn set_name(ctx: &mut Ctx, name: &[u8]) -> Result<(), Reply> {
    if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(Reply::err(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    ctx.client_mut().name =
        if name.is_empty() { None } else { Some(String::from_utf8_lossy(name).into_owned()) };
    Ok(())
}

fn client_setname(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    match set_name(ctx, &args[2]) {
        Ok(()) => Reply::ok(),
        Err(e) => e,
    }
}

/// One CLIENT LIST line, with Redis's fields (network and memory fields are zero here).
fn describe(ctx: &Ctx, id: ClientId) -> String {
    let Some(c) = ctx.eng.client(id) else { return String::new() };
    let now = ctx.now_ms;
    // Redis's order of the flags: pub/sub, MULTI, blocked, dirty (a watched key changed).
    let mut flags = String::new();
    if c.in_pubsub() {
        flags.push('P');
    }
    if c.multi.is_some() || c.executing.is_some() {
        flags.push('x');
    }
    if c.blocked.is_some() {
        flags.push('b');
    }
    if c.dirty_cas {
        flags.push('d');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let multi = match (&c.multi, c.executing) {
        (Some(m), _) => m.queued.len() as i64,
        (None, Some(n)) => n as i64,
        (None, None) => -1,
    };
    format!(
        "id={} addr=local:{} laddr=local:0 fd=-1 name={} age={} idle={} flags={} db={} sub={} psub={} ssub=0 multi={} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={} user=default redir=-1 resp={}\n",
        c.id,
        c.id,
        c.name.as_deref().unwrap_or(""),
        (now - c.created_ms).max(0) / 1000,
        (now - c.last_active_ms).max(0) / 1000,
        flags,
        c.db,
        c.channels.len(),
        c.patterns.len(),
        multi,
        c.last_cmd,
        c.resp,
    )
}

/// A client type as CLIENT LIST/KILL TYPE name them.
fn type_matches(ctx: &Ctx, id: ClientId, ty: &str) -> bool {
    let pubsub = ctx.eng.client(id).is_some_and(|c| c.in_pubsub());
    match ty {
        "normal" => !pubsub,
        "pubsub" => pubsub,
        _ => false,
    }
}

fn parse_type(arg: &[u8]) -> Result<String, Reply> {
    let t = String::from_utf8_lossy(arg).to_ascii_lowercase();
    match t.as_str() {
        "normal" | "pubsub" | "master" | "replica" | "slave" => Ok(t),
        _ => Err(Reply::Error(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(arg)))),
    }
}

fn client_list(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let ids: Vec<ClientId> = ctx.eng.clients().map(|c| c.id).collect();
    let selected: Vec<ClientId> = match &args[2..] {
        [] => ids,
        [opt, ty] if opt.eq_ignore_ascii_case(b"type") => match parse_type(ty) {
            Ok(t) => ids.into_iter().filter(|id| type_matches(ctx, *id, &t)).collect(),
            Err(e) => return e,
        },
        [opt, rest @ ..] if opt.eq_ignore_ascii_case(b"id") && !rest.is_empty() => {
            let mut wanted = Vec::new();
            for a in rest {
                match parse_i64(a) {
                    Some(n) if n > 0 => wanted.push(n as ClientId),
                    _ => return Reply::err("ERR Invalid client ID"),
                }
            }
            ids.into_iter().filter(|id| wanted.contains(id)).collect()
        }
        _ => return Reply::err(errors::SYNTAX),
    };
    Reply::bulk(selected.into_iter().map(|id| describe(ctx, id)).collect::<String>())
}

fn client_info(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::bulk(describe(ctx, ctx.cid))
}

fn client_kill(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let me = ctx.cid;
    let all: Vec<ClientId> = ctx.eng.clients().map(|c| c.id).collect();
    if args.len() == 3 {
        // Old form: CLIENT KILL addr.
        let addr = String::from_utf8_lossy(&args[2]).into_owned();
        let Some(id) = all.into_iter().find(|id| format!("local:{id}") == addr) else {
            return Reply::err("ERR No such client");
        };
        kill(ctx, id);
        return Reply::ok();
    }
    if args.len() % 2 != 0 {
        return Reply::err(errors::SYNTAX);
    }
    let mut id_filter = None;
    let mut type_filter = None;
    let mut addr_filter = None;
    let mut skipme = true;
    for pair in args[2..].chunks(2) {
        let (opt, val) = (&pair[0], &pair[1]);
        let opt = String::from_utf8_lossy(opt).to_ascii_lowercase();
        match opt.as_str() {
            "id" => match parse_i64(val) {
                Some(n) if n > 0 => id_filter = Some(n as ClientId),
                _ => return Reply::err("ERR client-id should be greater than 0"),
            },
            "type" => match parse_type(val) {
                Ok(t) => type_filter = Some(t),
                Err(e) => return e,
            },
            "addr" | "laddr" => addr_filter = Some((opt, String::from_utf8_lossy(val).into_owned())),
            "user" => {
                if val.as_slice() != b"default" {
                    return Reply::Error(format!(
                        "ERR No such user '{}'",
                        String::from_utf8_lossy(val)
                    ));
                }
            }
            "skipme" => {
                if val.eq_ignore_ascii_case(b"yes") {
                    skipme = true;
                } else if val.eq_ignore_ascii_case(b"no") {
                    skipme = false;
                } else {
                    return Reply::err(errors::SYNTAX);
                }
            }
            "maxage" => {
                if parse_i64(val).is_none() {
                    return Reply::err(errors::NOT_INTEGER);
                }
            }
            _ => return Reply::err(errors::SYNTAX),
        }
    }
    let victims: Vec<ClientId> = all
        .into_iter()
        .filter(|id| id_filter.is_none_or(|f| f == *id))
        .filter(|id| type_filter.as_deref().is_none_or(|t| type_matches(ctx, *id, t)))
        .filter(|id| match &addr_filter {
            Some((o, a)) if o == "addr" => *a == format!("local:{id}"),
            Some((_, a)) => a == "local:0",
            None => true,
        })
        .filter(|id| !(skipme && *id == me))
        .collect();
    for id in &victims {
        kill(ctx, *id);
    }
    Reply::Int(victims.len() as i64)
}

/// Closes a connection: the caller's own after its reply, anyone else's at once.
fn kill(ctx: &mut Ctx, id: ClientId) {
    if id == ctx.cid {
        ctx.client_mut().closing = true;
    } else {
        ctx.eng.kill_client(id);
    }
}

fn client_unblock(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() > 4 {
        return crate::engine::subcommand_syntax(args);
    }
    // Redis checks the reason before the id.
    let error = match args.get(3) {
        None => false,
        Some(m) if m.eq_ignore_ascii_case(b"timeout") => false,
        Some(m) if m.eq_ignore_ascii_case(b"error") => true,
        Some(_) => {
            return Reply::err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
    };
    let Some(id) = parse_i64(&args[2]) else { return Reply::err(errors::NOT_INTEGER) };
    let id = id as ClientId;
    if !ctx.eng.client(id).is_some_and(|c| c.blocked.is_some()) {
        return Reply::Int(0);
    }
    ctx.eng.unblock_with(
        id,
        if error {
            Reply::err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        } else {
            Reply::NilArray
        },
    );
    Reply::Int(1)
}

fn client_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Array(
        [
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "HELP",
            "    Prints this help.",
        ]
        .iter()
        .map(|l| Reply::Status(l.to_string()))
        .collect(),
    )
}

/// HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only for now.
fn hello(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if let Some(ver) = args.get(1) {
        let Some(v) = parse_i64(ver) else {
            return Reply::err("ERR Protocol version is not an integer or out of range");
        };
        if v != 2 {
            return Reply::err("NOPROTO unsupported protocol version");
        }
    }
    let mut i = 2;
    let mut name = None;
    while i < args.len() {
        let opt = &args[i];
        let more = args.len() - i - 1;
        if opt.eq_ignore_ascii_case(b"auth") && more >= 2 {
            if args[i + 1].as_slice() != b"default" {
                return Reply::err("WRONGPASS invalid username-password pair or user is disabled.");
            }
            i += 3;
        } else if opt.eq_ignore_ascii_case(b"setname") && more >= 1 {
            name = Some(args[i + 1].clone());
            i += 2;
        } else {
            return Reply::Error(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(opt)
            ));
        }
    }
    if let Some(n) = name {
        if let Err(e) = set_name(ctx, &n) {
            return e;
        }
    }
    ctx.client_mut().resp = 2;
    Reply::Map(vec![
        (Reply::bulk("server"), Reply::bulk("redis")),
        (Reply::bulk("version"), Reply::bulk("7.0.15")),
        (Reply::bulk("proto"), Reply::Int(2)),
        (Reply::bulk("id"), Reply::Int(ctx.cid as i64)),
        (Reply::bulk("mode"), Reply::bulk("standalone")),
        (Reply::bulk("role"), Reply::bulk("master")),
        (Reply::bulk("modules"), Reply::Array(vec![])),
    ])
}

fn reset(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.eng.reset_client_state(ctx.cid);
    let c = ctx.client_mut();
    c.db = 0;
    c.name = None;
    c.resp = 2;
    Reply::Status("RESET".into())
}

fn quit(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.client_mut().closing = true;
    Reply::ok()
}
