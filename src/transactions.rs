//! MULTI, EXEC, DISCARD, WATCH, UNWATCH — Redis transactions, to the letter.
//!
//! Between MULTI and EXEC the engine's dispatcher queues every command (replying `QUEUED`) after
//! the checks Redis makes at queue time: an unknown command or a wrong arity is answered with its
//! error right away *and* flags the transaction, so that EXEC then fails with `EXECABORT`. Errors
//! that only show when a command runs (WRONGTYPE, not an integer, ...) are that command's entry in
//! EXEC's array; the other commands still run. Nothing is rolled back, as in Redis.
//!
//! WATCH is optimistic locking: every write raises an event that marks the clients watching that
//! key (in that database) dirty — writes by any client, FLUSHDB/FLUSHALL/SWAPDB, and expiry on the
//! virtual clock alike. EXEC of a dirty client replies with a nil array and runs nothing. EXEC and
//! DISCARD always forget the client's watches.

use crate::commands::Handler;
use crate::engine::{resolve, Ctx};
use crate::reply::Reply;

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] =
    &[("multi", multi), ("exec", exec), ("discard", discard), ("watch", watch), ("unwatch", unwatch)];

fn multi(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    let c = ctx.client_mut();
    if c.multi.is_some() {
        return Reply::err("ERR MULTI calls can not be nested");
    }
    c.multi = Some(Default::default());
    Reply::ok()
}

fn discard(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    if ctx.client_mut().multi.take().is_none() {
        return Reply::err("ERR DISCARD without MULTI");
    }
    ctx.eng.unwatch_all(ctx.cid);
    Reply::ok()
}

fn exec(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    let Some(multi) = ctx.client_mut().multi.take() else {
        return Reply::err("ERR EXEC without MULTI");
    };
    let dirty = ctx.client().dirty_cas;
    ctx.eng.unwatch_all(ctx.cid);
    if multi.aborted {
        return Reply::err("EXECABORT Transaction discarded because of previous errors.");
    }
    if dirty {
        return Reply::NilArray;
    }
    let mut replies = Vec::with_capacity(multi.queued.len());
    // Until the last command has run the client is still in its transaction for CLIENT LIST
    // (flag `x`, `multi=N`), and its last command is EXEC.
    ctx.client_mut().last_cmd = "exec";
    ctx.client_mut().executing = Some(multi.queued.len());
    for argv in &multi.queued {
        let reply = match resolve(argv) {
            Ok((cmd, handler)) => {
                ctx.eng.stats.commands_processed += 1;
                let was = ctx.in_exec;
                ctx.in_exec = true;
                ctx.reads = crate::engine::reads_keys(cmd.spec);
                let r = handler(ctx, argv);
                ctx.in_exec = was;
                ctx.reads = false;
                r
            }
            Err(e) => e,
        };
        match reply {
            // A command with several replies (SUBSCRIBE a b) adds each, as Redis does.
            Reply::Multi(items) => replies.extend(items),
            Reply::Blocked => replies.push(Reply::NilArray),
            r => replies.push(r),
        }
    }
    ctx.client_mut().executing = None;
    exec_reply(replies, multi.queued.len())
}

/// EXEC's reply as Redis sends it: an array header counting the *commands*, then every reply.
/// A command with several replies (`SUBSCRIBE a b` confirms each channel) makes more replies than
/// the header counts: the first ones fill the array, the rest follow it as replies of their own
/// (which is what any client reading the stream sees, redis-cli included).
fn exec_reply(mut replies: Vec<Reply>, commands: usize) -> Reply {
    if replies.len() <= commands {
        return Reply::Array(replies);
    }
    let rest = replies.split_off(commands);
    let mut out = Vec::with_capacity(rest.len() + 1);
    out.push(Reply::Array(replies));
    out.extend(rest);
    Reply::Multi(out)
}

fn watch(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    if ctx.client().multi.is_some() {
        return Reply::err("ERR WATCH inside MULTI is not allowed");
    }
    let db = ctx.db_index();
    let cid = ctx.cid;
    for key in &args[1..] {
        let slot = (db, crate::value::bytes(key));
        let c = ctx.client_mut();
        if c.watched.contains(&slot) {
            continue;
        }
        c.watched.push(slot.clone());
        ctx.eng.watchers.entry(slot).or_default().push(cid);
    }
    Reply::ok()
}

fn unwatch(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Reply {
    ctx.eng.unwatch_all(ctx.cid);
    Reply::ok()
}
