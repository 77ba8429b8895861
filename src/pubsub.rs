//! Pub/Sub: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB.
//!
//! Subscriptions live in two indexes on the engine (channel → subscribers, pattern → subscribers,
//! each in subscription order) and on the client itself (its channels and patterns). PUBLISH sends a
//! `message` push to every subscriber of the channel, then a `pmessage` push for every pattern
//! subscription that matches (Redis's glob), so a client subscribed both ways gets both — exactly
//! Redis's order. Pushes for other clients are queued as deliveries; the caller of PUBLISH gets the
//! number of receivers.
//!
//! A subscribed RESP2 client may only (un)subscribe, PING, QUIT and RESET; the engine's dispatcher
//! enforces that with Redis's error text before any handler runs.

use crate::commands::Handler;
use crate::engine::{remove_subscriber, Ctx};
use crate::reply::Reply;
use crate::value::{bytes, Bytes};

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[
    ("subscribe", subscribe),
    ("unsubscribe", unsubscribe),
    ("psubscribe", psubscribe),
    ("punsubscribe", punsubscribe),
    ("publish", publish),
    ("pubsub|channels", pubsub_channels),
    ("pubsub|numsub", pubsub_numsub),
    ("pubsub|numpat", pubsub_numpat),
    ("pubsub|help", pubsub_help),
];

fn count(ctx: &Ctx) -> i64 {
    let c = ctx.client();
    (c.channels.len() + c.patterns.len()) as i64
}

fn confirm(kind: &str, name: Option<&[u8]>, n: i64) -> Reply {
    Reply::Push(vec![Reply::bulk(kind), name.map(Reply::bulk).unwrap_or(Reply::Nil), Reply::Int(n)])
}

/// Which index a (un)subscribe command works on.
#[derive(Clone, Copy)]
enum Kind {
    Channel,
    Pattern,
}

fn add(ctx: &mut Ctx, kind: Kind, names: &[Vec<u8>]) -> Reply {
    let cid = ctx.cid;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let name: Bytes = bytes(name);
        let c = ctx.client_mut();
        let list = match kind {
            Kind::Channel => &mut c.channels,
            Kind::Pattern => &mut c.patterns,
        };
        if !list.contains(&name) {
            list.push(name.clone());
            let index = match kind {
                Kind::Channel => &mut ctx.eng.channels,
                Kind::Pattern => &mut ctx.eng.patterns,
            };
            index.entry(name.clone()).or_default().push(cid);
        }
        let word = match kind {
            Kind::Channel => "subscribe",
            Kind::Pattern => "psubscribe",
        };
        out.push(confirm(word, Some(&name), count(ctx)));
    }
    Reply::Multi(out)
}

fn remove(ctx: &mut Ctx, kind: Kind, names: &[Vec<u8>]) -> Reply {
    let cid = ctx.cid;
    let word = match kind {
        Kind::Channel => "unsubscribe",
        Kind::Pattern => "punsubscribe",
    };
    let targets: Vec<Bytes> = if names.is_empty() {
        let c = ctx.client();
        match kind {
            Kind::Channel => c.channels.clone(),
            Kind::Pattern => c.patterns.clone(),
        }
    } else {
        names.iter().map(bytes).collect()
    };
    if targets.is_empty() {
        return Reply::Multi(vec![confirm(word, None, count(ctx))]);
    }
    let mut out = Vec::with_capacity(targets.len());
    for name in targets {
        let c = ctx.client_mut();
        let list = match kind {
            Kind::Channel => &mut c.channels,
            Kind::Pattern => &mut c.patterns,
        };
        if let Some(i) = list.iter().position(|x| *x == name) {
            list.remove(i);
            let index = match kind {
                Kind::Channel => &mut ctx.eng.channels,
                Kind::Pattern => &mut ctx.eng.patterns,
            };
            remove_subscriber(index, &name, cid);
        }
        out.push(confirm(word, Some(&name), count(ctx)));
    }
    Reply::Multi(out)
}

fn subscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    add(ctx, Kind::Channel, &args[1..])
}

fn psubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    add(ctx, Kind::Pattern, &args[1..])
}

fn unsubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    remove(ctx, Kind::Channel, &args[1..])
}

fn punsubscribe(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    remove(ctx, Kind::Pattern, &args[1..])
}

fn publish(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    Reply::Int(ctx.eng.publish(&args[1], &args[2]))
}

fn pubsub_channels(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if args.len() > 3 {
        return crate::engine::subcommand_syntax(args);
    }
    let pattern = args.get(2);
    Reply::bulks(
        ctx.eng
            .channels
            .keys()
            .filter(|ch| pattern.is_none_or(|p| crate::glob::matches(p, ch, false)))
            .cloned()
            .collect::<Vec<_>>(),
    )
}

fn pubsub_numsub(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let mut out = Vec::new();
    for ch in &args[2..] {
        let n = ctx.eng.channels.get(ch.as_slice()).map_or(0, |v| v.len());
        out.push(Reply::bulk(ch));
        out.push(Reply::Int(n as i64));
    }
    Reply::Array(out)
}

fn pubsub_numpat(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Int(ctx.eng.patterns.len() as i64)
}

fn pubsub_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    Reply::Array(
        [
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help.",
        ]
        .iter()
        .map(|l| Reply::Status(l.to_string()))
        .collect(),
    )
}
