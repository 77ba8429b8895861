//! The command table: one declarative list drives everything about a command.
//!
//! [`table::COMMANDS`] is generated from a real Redis 7.0's own description of itself
//! (`COMMAND INFO` and `COMMAND DOCS`, see `tools/gen_command_table.py`): name, arity, flags, key
//! positions, ACL categories, group, summary, since, complexity and a usage line. The engine's own
//! commands (the virtual clock and the rate limiters, dotted names Redis never uses) are declared the
//! same way in [`extra`]. Each command family module exports `HANDLERS`, a list of
//! `(name, function)`; [`registry`] joins the two by name once.
//!
//! From that one registry come: dispatch, the wrong-arity error, `COMMAND`, `COMMAND COUNT`,
//! `COMMAND INFO`, `COMMAND DOCS`, `COMMAND LIST`, the console's `HELP` and its completion. A command
//! in the table without a handler is unknown to the engine (and absent from `COMMAND`), exactly as if
//! Redis had never heard of it.
//!
//! The server's own `COMMAND INFO` and `COMMAND DOCS` replies are stored without the part the entry
//! already holds: [`info_reply`] and [`server_docs`] put name, arity, flags, key positions and ACL
//! categories (or summary, since, group and complexity) back in front of the stored rest, which is
//! one RESP array parsed only when asked for. Every fact is stored once, which keeps the table
//! small in the WebAssembly module.

pub mod extra;
pub mod table;

use std::sync::OnceLock;

use crate::engine::Ctx;
use crate::reply::Reply;

/// A command implementation. `args[0]` is the command name as typed (for subcommands `args[1]` is
/// the subcommand); arity has already been checked against the table.
pub type Handler = fn(&mut Ctx, &[Vec<u8>]) -> Reply;

/// One command (or subcommand) as Redis describes it.
#[derive(Debug)]
pub struct CommandSpec {
    /// Lower-case name; subcommands are `parent|sub`.
    pub name: &'static str,
    /// Redis arity: `n` exactly n arguments (name included), `-n` at least n.
    pub arity: i32,
    pub flags: &'static [&'static str],
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    pub acl_categories: &'static [&'static str],
    pub group: &'static str,
    pub summary: &'static str,
    pub since: &'static str,
    pub complexity: &'static str,
    /// Arguments, as a usage line (`key value [NX|XX] ...`).
    pub usage: &'static str,
    pub subcommands: &'static [CommandSpec],
    /// The rest of the server's own COMMAND INFO entry after the seven fields above (tips, key
    /// specs, subcommands), as one RESP array; empty for the engine's own commands.
    pub info_tail: &'static [u8],
    /// The rest of the server's own COMMAND DOCS value after summary, since, group and complexity
    /// (doc flags, history, arguments, subcommands), as one RESP array; empty for the engine's own
    /// commands.
    pub docs_tail: &'static [u8],
}

impl CommandSpec {
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// True when `argc` arguments (name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let a = self.arity as i64;
        if a >= 0 {
            argc == a
        } else {
            argc >= -a
        }
    }

    /// The name as shown to users: `CONFIG GET` for `config|get`.
    pub fn display_name(&self) -> String {
        self.name.replace('|', " ").to_ascii_uppercase()
    }

    /// The key positions of `argv` (indices), from first/last/step.
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        if self.first_key <= 0 {
            return Vec::new();
        }
        let last = if self.last_key < 0 { argc as i64 + self.last_key as i64 } else { self.last_key as i64 };
        let step = self.key_step.max(1) as usize;
        let mut out = Vec::new();
        let mut i = self.first_key as usize;
        while (i as i64) <= last && i < argc {
            out.push(i);
            i += step;
        }
        out
    }
}

/// A command the engine implements: its spec and its handler (containers have none of their own).
pub struct Command {
    pub spec: &'static CommandSpec,
    pub handler: Option<Handler>,
    /// Implemented subcommands, sorted by name.
    pub subcommands: Vec<Command>,
}

impl Command {
    /// The implemented subcommand `parent|sub` (`sub` compared case-insensitively).
    pub fn subcommand(&self, sub: &[u8]) -> Option<&Command> {
        let full = format!("{}|{}", self.spec.name, String::from_utf8_lossy(sub).to_ascii_lowercase());
        self.subcommands.iter().find(|c| c.spec.name == full)
    }
}

fn all_handlers() -> impl Iterator<Item = &'static (&'static str, Handler)> {
    [
        crate::strings::HANDLERS,
        crate::keys::HANDLERS,
        crate::server::HANDLERS,
        crate::hashes::HANDLERS,
        crate::lists::HANDLERS,
        crate::sets::HANDLERS,
        crate::zsets::HANDLERS,
        crate::transactions::HANDLERS,
        crate::pubsub::HANDLERS,
        crate::connection::HANDLERS,
        crate::ratelimit::HANDLERS,
        crate::blocking::HANDLERS,
    ]
    .into_iter()
    .flatten()
}

fn all_specs() -> impl Iterator<Item = &'static CommandSpec> {
    table::COMMANDS.iter().chain(extra::COMMANDS.iter())
}

fn build(spec: &'static CommandSpec) -> Option<Command> {
    let handler = all_handlers().find(|(n, _)| *n == spec.name).map(|(_, h)| *h);
    let mut subcommands: Vec<Command> = spec.subcommands.iter().filter_map(build).collect();
    subcommands.sort_by_key(|c| c.spec.name);
    if handler.is_none() && subcommands.is_empty() {
        return None;
    }
    Some(Command { spec, handler, subcommands })
}

/// Every implemented command, sorted by name.
pub fn registry() -> &'static [Command] {
    static REGISTRY: OnceLock<Vec<Command>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut v: Vec<Command> = all_specs().filter_map(build).collect();
        v.sort_by_key(|c| c.spec.name);
        v
    })
}

/// The implemented command called `name` (any case).
pub fn lookup(name: &[u8]) -> Option<&'static Command> {
    // Lower-cased on the stack: this runs for every command.
    let mut buf = [0u8; 64];
    let lower = buf.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    let reg = registry();
    reg.binary_search_by(|c| c.spec.name.as_bytes().cmp(lower)).ok().map(|i| &reg[i])
}

/// The items of a stored RESP array (`None` when nothing is stored).
fn stored_items(resp: &[u8]) -> Option<Vec<Reply>> {
    match Reply::from_resp(resp) {
        Some((Reply::Array(items), _)) => Some(items),
        _ => None,
    }
}

/// The COMMAND INFO entry of a command, as Redis sends it.
pub fn info_reply(cmd: &Command) -> Reply {
    let s = cmd.spec;
    let mut entry = vec![
        Reply::bulk(s.name),
        Reply::Int(s.arity as i64),
        Reply::Array(s.flags.iter().map(|f| Reply::Status(f.to_string())).collect()),
        Reply::Int(s.first_key as i64),
        Reply::Int(s.last_key as i64),
        Reply::Int(s.key_step as i64),
        Reply::Array(s.acl_categories.iter().map(|f| Reply::Status(f.to_string())).collect()),
    ];
    match stored_items(s.info_tail) {
        Some(rest) => entry.extend(rest),
        None => entry.extend([
            Reply::Array(vec![]),
            Reply::Array(vec![]),
            Reply::Array(cmd.subcommands.iter().map(info_reply).collect()),
        ]),
    }
    Reply::Array(entry)
}

/// Summary, since, group and complexity: how every COMMAND DOCS value starts.
fn docs_head(s: &CommandSpec) -> Vec<Reply> {
    vec![
        Reply::bulk("summary"),
        Reply::bulk(s.summary),
        Reply::bulk("since"),
        Reply::bulk(s.since),
        Reply::bulk("group"),
        Reply::bulk(s.group),
        Reply::bulk("complexity"),
        Reply::bulk(s.complexity),
    ]
}

/// The server's own COMMAND DOCS value of a command from the table (`None` for the engine's own
/// commands, which have only the fields of their entry).
pub fn server_docs(s: &CommandSpec) -> Option<Reply> {
    let rest = stored_items(s.docs_tail)?;
    let mut docs = docs_head(s);
    docs.extend(rest);
    Some(Reply::Array(docs))
}

/// The COMMAND DOCS value of a command, as Redis sends it.
pub fn docs_reply(cmd: &Command) -> Reply {
    server_docs(cmd.spec).unwrap_or_else(|| Reply::Array(docs_head(cmd.spec)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handler_has_a_spec() {
        for (name, _) in all_handlers() {
            let found = all_specs().any(|s| {
                s.name == *name || s.subcommands.iter().any(|sub| sub.name == *name)
            });
            assert!(found, "handler {name} has no entry in the command table");
        }
    }

    #[test]
    fn registry_is_sorted_and_lookup_ignores_case() {
        let reg = registry();
        assert!(reg.windows(2).all(|w| w[0].spec.name < w[1].spec.name));
        assert!(lookup(b"PiNg").is_some());
        assert!(lookup(b"nosuchcommand").is_none());
    }

    #[test]
    fn stored_info_parses() {
        for s in all_specs().chain(all_specs().flat_map(|s| s.subcommands.iter())) {
            if !s.info_tail.is_empty() {
                // Tips, key specs and subcommands follow the seven fields of the entry.
                assert_eq!(stored_items(s.info_tail).map(|v| v.len()), Some(3), "{}", s.name);
                let docs = stored_items(s.docs_tail);
                assert!(docs.is_some_and(|d| d.len() % 2 == 0), "{}", s.name);
            }
        }
    }

    #[test]
    fn entries_are_rebuilt_in_front_of_the_stored_rest() {
        let get = lookup(b"get").map(info_reply);
        let Some(Reply::Array(items)) = get else { panic!("GET has no COMMAND INFO entry") };
        assert_eq!(items.len(), 10);
        assert_eq!(items[0], Reply::bulk("get"));
        assert_eq!(items[1], Reply::Int(2));
        let Some(Reply::Array(docs)) = lookup(b"get").map(docs_reply) else { panic!("no docs") };
        assert_eq!(docs[..2], [Reply::bulk("summary"), Reply::bulk("Get the value of a key")]);
        assert_eq!(docs[8], Reply::bulk("arguments"));
        // The engine's own commands have no stored rest.
        let clock = lookup(b"clock.freeze").map(docs_reply);
        assert!(matches!(clock, Some(Reply::Array(d)) if d.len() == 8));
    }
}
