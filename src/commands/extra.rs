//! The engine's own commands, declared like Redis's: the virtual clock and the rate limiters
//! (group `playground`). Their names contain a dot, which no Redis core command does, so they can
//! never collide. `CL.THROTTLE` keeps the name and reply of the redis-cell module it mirrors.

use super::CommandSpec;

const fn own_keyed(
    name: &'static str,
    arity: i32,
    flags: &'static [&'static str],
    summary: &'static str,
    usage: &'static str,
) -> CommandSpec {
    let mut spec = own(name, arity, flags, summary, usage);
    spec.first_key = 1;
    spec.last_key = 1;
    spec.key_step = 1;
    spec.acl_categories = &["@write"];
    spec
}

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
        info_tail: b"",
        docs_tail: b"",
    }
}

/// The engine's own commands, sorted by name.
pub static COMMANDS: &[CommandSpec] = &[
    own_keyed(
        "cl.throttle",
        -1,
        &["write"],
        "GCRA rate limiting as redis-cell's CL.THROTTLE: [limited, limit, remaining, retry after, reset after]",
        "key max_burst count_per_period period [quantity]",
    ),
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
        "ratelimit.fixed",
        4,
        &["write"],
        "Fixed-window limiter (INCR ratelimit:<id>:<window>, EXPIRE on the first hit): [allowed, current, limit, remaining, reset in]",
        "identifier limit window_seconds",
    ),
    own(
        "ratelimit.sliding",
        4,
        &["write"],
        "Sliding-window-log limiter (a sorted set ratelimit:sliding:<id> of request times): [allowed, current, limit, remaining]",
        "identifier limit window_seconds",
    ),
    own(
        "clock.set",
        2,
        &["fast"],
        "Move the virtual clock to an absolute time in milliseconds since the epoch",
        "unix-time-milliseconds",
    ),
];
