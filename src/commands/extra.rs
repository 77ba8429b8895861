//! The engine's own commands, declared like Redis's: the virtual clock (group `playground`).
//! Their names contain a dot, which no Redis core command does, so they can never collide.

use super::CommandSpec;

const fn own(
    name: &'static str,
    arity: i32,
    flags: &'static [&'static str],
    summary: &'static str,
    usage: &'static str,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        first_key: 0,
        last_key: 0,
        key_step: 0,
        acl_categories: &["@fast"],
        group: "playground",
        summary,
        since: "playground",
        complexity: "O(1)",
        usage,
        subcommands: &[],
        info_resp: b"",
        docs_resp: b"",
    }
}

/// The engine's own commands, sorted by name.
pub static COMMANDS: &[CommandSpec] = &[
    own(
        "clock.advance",
        2,
        &["fast"],
        "Move the virtual clock forward (expiring keys and firing timeouts that fall due)",
        "amount (e.g. 1500, 1500ms, 10s, 5m, 2h, 1d; a bare number is milliseconds)",
    ),
    own("clock.freeze", 1, &["fast"], "Stop the virtual clock at the current instant", ""),
    own(
        "clock.get",
        1,
        &["fast"],
        "Show the virtual clock: milliseconds since the epoch and whether it is frozen",
        "",
    ),
    own("clock.resume", 1, &["fast"], "Let the virtual clock run again from where it stands", ""),
    own(
        "clock.set",
        2,
        &["fast"],
        "Move the virtual clock to an absolute time in milliseconds since the epoch",
        "unix-time-milliseconds",
    ),
];
