//! The engine as a RESP server: `redis-play --port N`.
//!
//! Real Redis clients (redis-cli, node-redis, redis-benchmark, Redis's own test suite) connect over
//! TCP and talk RESP2 to the very engine the page runs. Each connection is one engine client, so
//! transactions, pub/sub, blocking pops, keyspace notifications and the CLIENT commands behave
//! exactly as they do in the page; this module only moves bytes.
//!
//! ## Shape
//! The engine is single-threaded, and so is the server: one tokio current-thread runtime runs
//!
//! - an **accept loop**, which spawns a task per connection;
//! - one **connection task** per client. It reads into a buffer, lets [`request::RequestParser`]
//!   cut it into commands, runs each with [`Engine::execute`] and writes the replies of a whole
//!   read in one go (so pipelined commands cost one write);
//! - a **timer task** that sleeps until [`Engine::next_deadline_ms`] (a key's expiry, a blocked
//!   client's timeout) and then calls [`Engine::tick`].
//!
//! All of them share one [`Hub`]: the engine plus a sender per connection. The engine is only
//! borrowed between awaits, never across one, so every command runs atomically as in Redis.
//!
//! ## What a command causes for others
//! A command's own reply goes straight back to its connection. Everything it causes for other
//! clients — a published message, a keyspace notification, the late reply of a client blocked in
//! BLPOP, a CLIENT KILL — is collected from the engine right after it ([`Engine::take_deliveries`],
//! [`Engine::take_closed`]) and handed to the connection concerned: bytes to write go through its
//! channel, in order; a close (CLIENT KILL) is a [`Notify`] it obeys at once, even in the middle
//! of a write to a client that does not read.
//!
//! ## Redis's connection rules
//! - A blocked client's further commands wait, unread, in its buffer until it is served.
//! - After QUIT (or a CLIENT KILL of oneself) the reply is sent, nothing more is read, and the
//!   connection is closed; after a protocol error likewise.
//! - An HTTP request (`POST`, `Host:`) closes the connection at once without a reply, as Redis
//!   does to guard against cross-protocol attacks from web pages.
//! - Input waiting to be run may not grow past 1 GB (`client-query-buffer-limit`), and a client
//!   that lets more than 32 MB of deliveries pile up unread is disconnected (Redis's hard
//!   output-buffer limit for pub/sub clients).
//! - `SHUTDOWN` (and SIGINT/SIGTERM) stops the server: the caller gets no reply, every connection
//!   is closed and the process exits cleanly. Nothing is saved: the engine keeps no files.

pub mod request;

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};

use crate::engine::{ClientId, Engine};
use crate::reply::Reply;
use request::{RequestParser, Step, MAX_QUERY_BUFFER};

/// How much is read from a socket at a time (Redis's `PROTO_IOBUF_LEN`).
const READ_CHUNK: usize = 16 * 1024;
/// Deliveries a client may leave unread before it is disconnected.
const MAX_PENDING_OUTPUT: usize = 32 * 1024 * 1024;
/// The longest the timer task sleeps without looking again (the virtual clock can be moved).
const MAX_TIMER_SLEEP_MS: i64 = 100;

/// A connection as the hub sees it.
struct Peer {
    /// Bytes to write: pub/sub messages, notifications, a blocked command's late reply.
    tx: mpsc::UnboundedSender<Vec<u8>>,
    /// Bytes sent and not yet written to the socket.
    pending: Rc<std::cell::Cell<usize>>,
    /// Close the connection now (CLIENT KILL, too much unread output).
    kill: Rc<Notify>,
}

/// Everything the tasks share: the engine and a way to reach each connection.
pub struct Hub {
    pub engine: Engine,
    peers: HashMap<ClientId, Peer>,
    /// Wakes the timer task after a command (deadlines may have changed).
    timer: Rc<Notify>,
    /// Wakes the accept loop to stop the server.
    stop: Rc<Notify>,
}

impl Hub {
    /// Hands everything the engine queued for clients to their connections. `caller` is the
    /// client whose command just ran, if any: its own closing (QUIT) is left to it, so that its
    /// reply is written first.
    fn route(&mut self, caller: Option<ClientId>) {
        for (id, reply) in self.engine.take_deliveries() {
            let Some(peer) = self.peers.get(&id) else { continue };
            let bytes = reply.to_resp();
            let pending = peer.pending.get().saturating_add(bytes.len());
            if pending > MAX_PENDING_OUTPUT {
                peer.kill.notify_one();
                self.peers.remove(&id);
                self.engine.close_client(id);
                continue;
            }
            peer.pending.set(pending);
            let _ = peer.tx.send(bytes);
        }
        for id in self.engine.take_closed() {
            if let Some(peer) = self.peers.remove(&id) {
                if Some(id) != caller {
                    peer.kill.notify_one();
                }
            }
        }
    }
}

type Shared = Rc<RefCell<Hub>>;

/// Binds `addr` and serves until SHUTDOWN, SIGINT or SIGTERM. `ready` is called with the bound
/// address once connections are accepted (port 0 picks a free port), and the signals are handled
/// from then on.
pub fn serve(addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let stop = signals()?;
        let listener = TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        run(listener, Engine::new(), stop).await
    })
}

/// Installs the SIGINT and SIGTERM handlers now; the future resolves when either arrives.
#[cfg(unix)]
fn signals() -> io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn signals() -> io::Result<impl Future<Output = ()>> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// Serves `engine` on `listener` until SHUTDOWN or until `stop` resolves. Must run inside a
/// [`tokio::task::LocalSet`]. When it returns, every connection task has been stopped and every
/// connection closed.
pub async fn run(listener: TcpListener, engine: Engine, stop: impl Future<Output = ()>) -> io::Result<()> {
    let hub = Rc::new(RefCell::new(Hub {
        engine,
        peers: HashMap::new(),
        timer: Rc::new(Notify::new()),
        stop: Rc::new(Notify::new()),
    }));
    let (timer, shutdown) = {
        let h = hub.borrow();
        (h.timer.clone(), h.stop.clone())
    };
    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn_local(timers(hub.clone(), timer));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tasks.spawn_local(connection(hub.clone(), stream));
                }
                // Out of file descriptors and the like: keep serving the clients there are.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            _ = shutdown.notified() => break,
            _ = &mut stop => break,
            // Reap finished connection tasks so the set does not grow.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    tasks.shutdown().await;
    Ok(())
}

/// Expires keys and times out blocked clients when their time comes.
async fn timers(hub: Shared, wake: Rc<Notify>) {
    loop {
        let wait = {
            let h = hub.borrow();
            h.engine.next_deadline_ms().map(|t| t.saturating_sub(h.engine.clock.now_ms()))
        };
        match wait {
            Some(ms) if ms <= 0 => {
                {
                    let mut h = hub.borrow_mut();
                    h.engine.tick();
                    h.route(None);
                }
                // Whatever could not be done now (never expected) is not retried in a busy loop.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            wait => {
                let ms = wait.unwrap_or(MAX_TIMER_SLEEP_MS).clamp(1, MAX_TIMER_SLEEP_MS);
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(ms as u64)) => {}
                    _ = wake.notified() => {}
                }
            }
        }
    }
}

/// What to do with a connection after running what its buffer held.
#[derive(Debug, PartialEq)]
enum Flow {
    /// Keep reading.
    Continue,
    /// Write what is ready, then close (QUIT, protocol error, killed).
    CloseAfterWrite,
    /// Close without writing anything more (an HTTP request, SHUTDOWN).
    CloseNow,
}

/// One client connection, from accept to close.
async fn connection(hub: Shared, stream: TcpStream) {
    let (tx, rx) = mpsc::unbounded_channel();
    let pending = Rc::new(std::cell::Cell::new(0));
    let kill = Rc::new(Notify::new());
    let id = {
        let mut h = hub.borrow_mut();
        let id = h.engine.open_client();
        h.peers.insert(id, Peer { tx, pending: pending.clone(), kill: kill.clone() });
        id
    };
    let mut conn = Connection {
        id,
        hub: hub.clone(),
        parser: RequestParser::new(),
        input: BytesMut::with_capacity(READ_CHUNK),
        out: Vec::new(),
    };
    conn.serve(stream, rx, &pending, &kill).await;
    let mut h = hub.borrow_mut();
    h.peers.remove(&id);
    h.engine.close_client(id);
    h.route(None);
    h.timer.notify_one();
}

struct Connection {
    id: ClientId,
    hub: Shared,
    parser: RequestParser,
    input: BytesMut,
    out: Vec<u8>,
}

impl Connection {
    async fn serve(
        &mut self,
        mut stream: TcpStream,
        mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
        pending: &std::cell::Cell<usize>,
        kill: &Notify,
    ) {
        loop {
            let flow = tokio::select! {
                biased;
                _ = kill.notified() => return,
                event = rx.recv() => match event {
                    Some(bytes) => {
                        pending.set(pending.get().saturating_sub(bytes.len()));
                        if !write_unless_killed(&mut stream, &bytes, kill).await {
                            return;
                        }
                        // A blocked client may have been served: run what waited behind it.
                        if self.input.is_empty() {
                            continue;
                        }
                        self.run_input()
                    }
                    None => return,
                },
                // At most READ_CHUNK per read, as Redis reads: where a request that never ends is
                // cut off (64 KB, see `request`) depends on it.
                read = read_some(&mut stream, &mut self.input) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if self.input.len() > MAX_QUERY_BUFFER {
                            return;
                        }
                        self.run_input()
                    }
                },
            };
            if flow == Flow::CloseNow {
                return;
            }
            if !self.out.is_empty() {
                let written = write_unless_killed(&mut stream, &self.out, kill).await;
                self.out.clear();
                if !written {
                    return;
                }
            }
            if flow == Flow::CloseAfterWrite {
                let _ = stream.shutdown().await;
                return;
            }
            if self.out.capacity() > 1024 * 1024 {
                self.out = Vec::new();
            }
            self.input.reserve(READ_CHUNK);
        }
    }

    /// Runs every whole command in the input buffer (until the client blocks or closes) and
    /// leaves the replies in `out`.
    fn run_input(&mut self) -> Flow {
        let hub = self.hub.clone();
        let mut h = hub.borrow_mut();
        let mut ran = false;
        let flow = loop {
            match h.engine.client(self.id) {
                None => break Flow::CloseAfterWrite,
                Some(c) if c.blocked.is_some() => break Flow::Continue,
                Some(_) => {}
            }
            match self.parser.next(&mut self.input) {
                Step::Incomplete => break Flow::Continue,
                Step::Empty => {}
                Step::Error(text) => {
                    self.out.extend_from_slice(b"-ERR Protocol error: ");
                    self.out.extend_from_slice(&text);
                    self.out.extend_from_slice(b"\r\n");
                    break Flow::CloseAfterWrite;
                }
                Step::Command(argv) => {
                    ran = true;
                    let Some(name) = argv.first() else { continue };
                    if name.eq_ignore_ascii_case(b"post") || name.eq_ignore_ascii_case(b"host:") {
                        break Flow::CloseNow;
                    }
                    if name.eq_ignore_ascii_case(b"shutdown") {
                        match shutdown(&mut h.engine, self.id, &argv) {
                            Ok(()) => {
                                h.stop.notify_one();
                                break Flow::CloseNow;
                            }
                            Err(e) => e.write_resp(&mut self.out),
                        }
                        continue;
                    }
                    h.engine.execute(self.id, &argv).write_resp(&mut self.out);
                    h.route(Some(self.id));
                }
            }
        };
        if ran {
            h.timer.notify_one();
        }
        flow
    }
}

/// Writes `bytes`; false if the connection failed or was killed meanwhile.
async fn write_unless_killed(stream: &mut TcpStream, bytes: &[u8], kill: &Notify) -> bool {
    tokio::select! {
        written = stream.write_all(bytes) => written.is_ok(),
        _ = kill.notified() => false,
    }
}

/// Reads what has arrived, at most [`READ_CHUNK`] bytes, onto the end of `buf`.
async fn read_some(stream: &mut TcpStream, buf: &mut BytesMut) -> io::Result<usize> {
    stream.read_buf(&mut buf.limit(READ_CHUNK)).await
}

/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], which only a server has: `Ok` to stop now, or
/// Redis's error for the caller.
fn shutdown(engine: &mut Engine, id: ClientId, argv: &[Vec<u8>]) -> Result<(), Reply> {
    let Some(client) = engine.client_mut(id) else { return Ok(()) };
    if let Some(multi) = client.multi.as_mut() {
        multi.aborted = true;
        return Err(Reply::err("ERR Command not allowed inside a transaction"));
    }
    if client.in_pubsub() && client.resp == 2 {
        return Err(Reply::err(
            "ERR Can't execute 'shutdown': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        ));
    }
    let (mut save, mut nosave, mut abort, mut other) = (false, false, false, false);
    for arg in argv.iter().skip(1) {
        match arg.to_ascii_lowercase().as_slice() {
            b"save" => save = true,
            b"nosave" => nosave = true,
            b"abort" => abort = true,
            b"now" | b"force" => other = true,
            _ => return Err(Reply::err(crate::reply::errors::SYNTAX)),
        }
    }
    if (save && nosave) || (abort && (save || nosave || other)) {
        return Err(Reply::err(crate::reply::errors::SYNTAX));
    }
    if abort {
        return Err(Reply::err("ERR No shutdown in progress."));
    }
    Ok(())
}
