//! # redis-playground
//!
//! A Redis 7.0-compatible engine in plain Rust, built to run inside a web page (WebAssembly) and
//! natively (`redis-play`, tests, benchmarks). Every reply aims to be byte-identical to a real Redis
//! 7.0 for the same commands; a differential test suite checks that against a real server.
//!
//! ## How a command flows
//! 1. Text is split into arguments exactly like redis-cli does ([`cli::split_args`]), or arrives as
//!    an argv from JavaScript or RESP.
//! 2. [`engine::Engine::execute`] looks the name up in the command table ([`commands`]), checks arity,
//!    and calls the handler of the command's family module with a [`engine::Ctx`].
//! 3. The handler reads and writes the keyspace ([`keyspace::Db`]) and returns a [`reply::Reply`].
//! 4. The reply is turned into whatever the caller speaks: redis-cli text ([`cli::format_reply`]),
//!    RESP ([`reply::Reply::to_resp`]) or JavaScript values (the `wasm` module).
//!
//! ## Modules, one per command family (like Redis's `t_*.c` files)
//! - [`strings`]: SET, GET, INCR, APPEND, LCS, ...
//! - [`keys`]: DEL, EXISTS, EXPIRE, SCAN, RENAME, COPY, OBJECT, ...
//! - [`server`]: PING, SELECT, FLUSHALL, INFO, CONFIG, COMMAND, TIME and the clock commands
//! - [`hashes`], [`lists`], [`sets`], [`zsets`]: the collection types
//! - [`transactions`]: MULTI, EXEC, DISCARD, WATCH, UNWATCH
//! - [`blocking`]: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (served by other clients' writes)
//! - [`pubsub`]: SUBSCRIBE, PUBLISH, PUBSUB, ...
//! - [`connection`]: CLIENT, HELLO, RESET, QUIT
//! - [`ratelimit`]: the engine's fixed-window, sliding-window and GCRA (CL.THROTTLE) limiters
//!
//! Whole-engine operations: [`state`] (O(1) snapshots for time travel, and a versioned,
//! checksummed saved format for persistence) and [`export`] (the keyspace as a redis-cli script,
//! and importing such a script).
//!
//! Natively, [`net`] serves the engine over TCP as a RESP server (`redis-play --port N`).
//!
//! Supporting modules: [`num`] (Redis's number parsing and printing, including its `long double`
//! arithmetic), [`glob`] (Redis's pattern matcher), [`clock`] (the virtual clock), [`config`],
//! [`notify`] (keyspace-event classes), [`value`] (what a key holds).

pub mod blocking;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod connection;
pub mod engine;
pub mod export;
pub mod glob;
pub mod hashes;
pub mod keys;
pub mod keyspace;
pub mod lists;
#[cfg(not(target_arch = "wasm32"))]
pub mod net;
pub mod notify;
pub mod num;
pub mod ostree;
pub mod pubsub;
pub mod ratelimit;
pub mod reply;
pub mod server;
pub mod sets;
pub mod state;
pub mod strings;
pub mod transactions;
pub mod value;
pub mod zsets;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
pub mod wasm_state;

pub use engine::{ClientId, Engine};
pub use reply::Reply;
