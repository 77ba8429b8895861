//! The RESP server (`redis-play --port`) driven by real clients, and compared with a real Redis.
//!
//! Each test starts its own `redis-play --port 0` (a free loopback port, read back from the line
//! the server prints when ready) and, where it compares, a real `redis-server` from
//! [`support::Server`]:
//!
//! - the wire itself: inline and multibulk requests, protocol errors, huge and negative lengths,
//!   unbalanced quotes, QUIT, HTTP requests — the bytes answered and whether the connection is
//!   closed must be those of the real server;
//! - `redis-cli` running every corpus file against the server must print exactly what the
//!   in-process `redis-play FILE` prints (which `tests/differential.rs` checks against Redis), and
//!   `redis-cli --pipe` mass insertion must work;
//! - the multi-client transcripts of `tests/scenarios` (pub/sub, notifications, transactions,
//!   blocking pops), one TCP connection per client, must read the same as against Redis;
//! - what only a network server has: keys expiring and blocked clients timing out with no command
//!   arriving, clients vanishing while blocked, subscribed or mid-command, CLIENT KILL, SHUTDOWN
//!   and signals;
//! - `redis-benchmark` runs against it (a smoke run: nothing is timed).

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use redis_playground::cli::{split_args, transcript_text, wants_raw_output};
use redis_playground::Reply;
use support::{redis_play, require, run, Conn, Play, Server};

impl Play {
    fn conn(&self) -> Conn {
        Conn::open(self.port).expect("connect to redis-play")
    }

    /// One command on a new connection.
    fn call(&self, args: &[&str]) -> Reply {
        let mut c = self.conn();
        c.send(&argv(args)).expect("send");
        c.read_reply().expect("reply")
    }

    /// Waits (up to a minute) for the process to exit by itself.
    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "redis-play did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn argv(args: &[&str]) -> Vec<Vec<u8>> {
    args.iter().map(|a| a.as_bytes().to_vec()).collect()
}

/// Sends `input` on a new connection and collects the answer until the server closes the
/// connection or stays quiet for `quiet`: (bytes received, closed by the server).
fn exchange(port: u16, input: &[u8], quiet: Duration) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(input).expect("write");
    s.set_read_timeout(Some(quiet)).expect("timeout");
    let mut out = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (out, true),
            Err(_) => return (out, false),
        }
    }
}

/// True once the server has closed `s` (reading gives end of file or a reset).
fn closed_by_server(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut b = [0u8; 64];
    match s.read(&mut b) {
        Ok(0) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        Ok(_) => false,
    }
}

#[test]
fn the_wire_behaves_like_redis() {
    let real = Server::start();
    let play = Play::start();
    let cases: &[&[u8]] = &[
        b"PING\r\n",
        b"PING\n",
        b"  ping   hello  \r\n",
        b"\r\n\r\nPING\r\n",
        b"SET a \"b\r\n",
        b"SET a 'b'c\r\nPING\r\n",
        b"ECHO \"a\\x41\\n\"\r\n",
        b"*1\r\n$4\r\nPING\r\n",
        b"*-1\r\nPING\r\n",
        b"*0\r\nPING\r\n",
        b"*abc\r\n",
        b"*2147483648\r\n",
        b"*2147483647\r\n",
        b"*1\r\n$-1\r\n",
        b"*1\r\n$536870913\r\n",
        b"*1\r\n$536870912\r\nabc",
        b"*1\r\nx4\r\nPING\r\n",
        b"*1\r\n$4\r\nPINGxyECHO\r\n",
        b"*1\r\n$01\r\nx\r\n",
        b"*01\r\n",
        b"*+1\r\n",
        b"*1\r\n$+1\r\n",
        b"*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n",
        b"PING\r\nQUIT\r\nPING\r\n",
        b"POST / HTTP/1.1\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\n",
        b"*1\r\n$0\r\n\r\n",
        b"\x00PING\r\n",
        b"PI\x00NG\r\n",
        b"*1\r\n$4\r\nPING\r\n*x\r\n",
        b"*3\r",
        b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n",
        b"*1\r\n:4\r\n",
        b"*1\r\n\xff4\r\n",
        b"*1\r\n\r4\r\n",
        b"ECHO\r\n",
        b"*1 \r\n",
        b"* 1\r\n",
        b"*1\rx$4\rxPING\r\n",
        b"SUBSCRIBE a\r\nGET x\r\nPING\r\nUNSUBSCRIBE\r\nPING\r\n",
        b"MULTI\r\nGET x\r\nSHUTDOWN\r\nEXEC\r\n",
        b"SHUTDOWN ABORT\r\n",
        b"SHUTDOWN NOSAVE SAVE\r\n",
        b"SHUTDOWN FOO\r\n",
        b"SET k v\r\nGET k\r\nDEL k\r\nLPUSH l a b\r\nBLPOP l 0\r\nLRANGE l 0 -1\r\n",
    ];
    let mut failures = Vec::new();
    for input in cases {
        let expected = exchange(real.port, input, Duration::from_millis(200));
        let actual = exchange(play.port, input, Duration::from_millis(200));
        if expected != actual {
            failures.push(format!(
                "{:?}\n    redis:      {:?} closed={}\n    redis-play: {:?} closed={}",
                String::from_utf8_lossy(input),
                String::from_utf8_lossy(&expected.0),
                expected.1,
                String::from_utf8_lossy(&actual.0),
                actual.1
            ));
        }
    }
    // Lines that never end: the 64 KB limits, after which both close the connection.
    for (start, filler) in [(&b""[..], b'a'), (b"*", b'1'), (b"*1\r\n$", b'1')] {
        let mut input = start.to_vec();
        input.extend(std::iter::repeat_n(filler, 70 * 1024));
        let expected = exchange(real.port, &input, Duration::from_millis(500));
        let actual = exchange(play.port, &input, Duration::from_millis(500));
        if expected != actual {
            failures.push(format!("a line of 70 KB starting {start:?}: {expected:?} vs {actual:?}"));
        }
    }
    // Long inline requests that do end: Redis reads 16 KB at a time and gives up on a line whose
    // end it has not seen after more than 64 KB, so the outcome depends on the length.
    for len in [70_000, 200_000] {
        let mut input = b"ECHO ".to_vec();
        input.extend(std::iter::repeat_n(b'a', len));
        input.extend_from_slice(b"\r\n");
        let expected = exchange(real.port, &input, Duration::from_millis(500));
        let actual = exchange(play.port, &input, Duration::from_millis(500));
        if expected != actual {
            failures.push(format!("an inline ECHO of {len} bytes: {:?} vs {:?}", expected.1, actual.1));
        }
    }
    for f in &failures {
        eprintln!("DIFFERS {f}");
    }
    assert!(failures.is_empty(), "{} of {} inputs answered differently", failures.len(), cases.len() + 5);
    // The server is still there for everybody else.
    assert_eq!(play.call(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn a_big_argument_arriving_in_pieces() {
    let play = Play::start();
    let mut c = play.conn();
    let value = vec![b'x'; 3 * 1024 * 1024 + 7];
    let mut req = b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n".to_vec();
    req.extend_from_slice(format!("${}\r\n", value.len()).as_bytes());
    req.extend_from_slice(&value);
    req.extend_from_slice(b"\r\n");
    for piece in req.chunks(4093) {
        c.stream.write_all(piece).expect("write");
    }
    assert_eq!(c.read_reply(), Ok(Reply::ok()));
    c.send(&argv(&["STRLEN", "big"])).expect("send");
    assert_eq!(c.read_reply(), Ok(Reply::Int(value.len() as i64)));
    c.send(&argv(&["GET", "big"])).expect("send");
    assert_eq!(c.read_reply(), Ok(Reply::Bulk(value)));
}

/// Random requests built from RESP fragments and stray bytes, many per connection, some cut short:
/// whatever arrives, the server answers or closes that one connection and keeps serving the rest.
#[test]
fn random_bytes_never_bring_the_server_down() {
    let play = Play::start();
    let pieces: &[&[u8]] = &[
        b"*", b"$", b"\r\n", b"\r", b"\n", b"1", b"3", b"-1", b"0", b"2147483648", b"536870913", b"PING",
        b"SET", b"GET", b"k", b"\"", b"'", b"\\x4", b" ", b"\0", b"\xff", b"SUBSCRIBE", b"BLPOP", b"MULTI",
        b"EXEC", b"QUIT", b"99999", b"CLIENT", b"KILL", b"LPUSH", b"q",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..300 {
        let mut input = Vec::new();
        for _ in 0..next(40) {
            input.extend_from_slice(pieces[next(pieces.len())]);
        }
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", play.port)) else { panic!("the server went away") };
        let _ = s.write_all(&input);
        let _ = s.set_read_timeout(Some(Duration::from_millis(5)));
        let mut sink = [0u8; 4096];
        let _ = s.read(&mut sink);
        if next(2) == 0 {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
    assert_eq!(play.call(&["PING"]), Reply::Status("PONG".into()));
    assert_eq!(play.call(&["SET", "still", "here"]), Reply::ok());
}

// ---------------------------------------------------------------------------------------------
// redis-cli
// ---------------------------------------------------------------------------------------------

fn corpus_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "redis"))
        .collect();
    files.sort();
    files
}

#[test]
fn redis_cli_over_tcp_prints_what_the_engine_prints_in_process() {
    let cli = require("redis-cli");
    let files = corpus_files();
    assert!(!files.is_empty(), "no corpus files");
    let mut failures = Vec::new();
    for path in &files {
        let script = std::fs::read(path).expect("read corpus file");
        let play = Play::start();
        let mut cmd = Command::new(&cli);
        cmd.args(["--no-raw", "-h", "127.0.0.1", "-p", &play.port.to_string()]);
        let over_tcp = run(cmd, &script);
        let in_process = redis_play(b"", Some(path));
        match (over_tcp, in_process) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(a), Ok(b)) => {
                let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                let line = a[..at].iter().filter(|&&c| c == b'\n').count() + 1;
                failures.push(format!(
                    "{}: redis-cli over TCP and redis-play differ at output line {line}:\n  tcp: {:?}\n  cli: {:?}",
                    path.display(),
                    String::from_utf8_lossy(&a[at.saturating_sub(100)..(at + 100).min(a.len())]),
                    String::from_utf8_lossy(&b[at.saturating_sub(100)..(at + 100).min(b.len())]),
                ));
            }
            (a, b) => failures.push(format!("{}: {:?} / {:?}", path.display(), a.err(), b.err())),
        }
    }
    for f in &failures {
        eprintln!("MISMATCH {f}");
    }
    assert!(failures.is_empty(), "{} of {} corpus files differ over TCP", failures.len(), files.len());
}

#[test]
fn redis_cli_arguments_and_pipe_mode() {
    let cli = require("redis-cli");
    let play = Play::start();
    let port = play.port.to_string();
    let cli_run = |args: &[&str], input: &[u8]| {
        let mut cmd = Command::new(&cli);
        cmd.args(["-h", "127.0.0.1", "-p", &port]).args(args);
        String::from_utf8(run(cmd, input).expect("redis-cli")).expect("utf-8")
    };
    assert_eq!(cli_run(&["--no-raw", "RPUSH", "list", "a b", "c"], b""), "(integer) 2\n");
    assert_eq!(cli_run(&["--no-raw", "LRANGE", "list", "0", "-1"], b""), "1) \"a b\"\n2) \"c\"\n");
    assert_eq!(cli_run(&["--raw", "LRANGE", "list", "0", "-1"], b""), "a b\nc\n");
    assert_eq!(cli_run(&["-n", "3", "--no-raw", "SET", "k", "in db 3"], b""), "OK\n");
    assert_eq!(cli_run(&["-n", "3", "--no-raw", "GET", "k"], b""), "\"in db 3\"\n");
    assert_eq!(cli_run(&["--no-raw", "GET", "k"], b""), "(nil)\n");
    // Mass insertion: raw RESP on standard input, finished with redis-cli's ECHO handshake.
    let mut data = Vec::new();
    for i in 0..10_000 {
        let args = argv(&["SET", &format!("key:{i}"), &format!("value {i}")]);
        data.extend(format!("*{}\r\n", args.len()).into_bytes());
        for a in args {
            data.extend(format!("${}\r\n", a.len()).into_bytes());
            data.extend(a);
            data.extend(b"\r\n");
        }
    }
    let out = cli_run(&["--pipe"], &data);
    assert!(out.contains("errors: 0, replies: 10000"), "redis-cli --pipe said: {out}");
    assert_eq!(play.call(&["DBSIZE"]), Reply::Int(10_001));
    assert_eq!(play.call(&["GET", "key:9999"]), Reply::bulk("value 9999"));
}

// ---------------------------------------------------------------------------------------------
// Multi-client transcripts, one TCP connection per client
// ---------------------------------------------------------------------------------------------

/// How long a command may stay unanswered before it counts as blocked.
const BLOCKED_AFTER: Duration = Duration::from_millis(300);
/// How long a connection must stay quiet before everything it will receive is taken as received.
const QUIET: Duration = Duration::from_millis(25);

/// A transcript (`@name COMMAND` lines) over real connections to the server on `port`, printed
/// like `tests/multiclient.rs` prints it: each reply, then what the other clients received.
fn transcript(port: u16, script: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut conns: Vec<(String, Conn)> = Vec::new();
    let label = |n: &str| if n.is_empty() { None } else { Some(n.to_string()) };
    for line in script.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, rest) = match line.strip_prefix('@') {
            Some(body) => match body.split_once(' ') {
                Some((n, r)) => (n.to_string(), r),
                None => (body.to_string(), ""),
            },
            None => (String::new(), line),
        };
        let Ok(args) = split_args(rest.as_bytes()) else {
            out.extend_from_slice(format!("{name}: Invalid argument(s)\n").as_bytes());
            continue;
        };
        if args.is_empty() {
            continue;
        }
        if !conns.iter().any(|(n, _)| *n == name) {
            conns.push((name.clone(), Conn::open(port).expect("connect")));
        }
        let Some(i) = conns.iter().position(|(n, _)| *n == name) else { continue };
        conns[i].1.send(&args).expect("send");
        for r in conns[i].1.drain(BLOCKED_AFTER, QUIET) {
            out.extend(transcript_text(label(&name).as_deref(), &r, wants_raw_output(&args)));
        }
        if args[0].eq_ignore_ascii_case(b"quit") {
            conns.remove(i);
        }
        std::thread::sleep(QUIET);
        for (n, conn) in conns.iter_mut() {
            if *n != name {
                for r in conn.drain(Duration::ZERO, QUIET) {
                    out.extend(transcript_text(label(n).as_deref(), &r, false));
                }
            }
        }
    }
    out
}

#[test]
fn multi_client_scenarios_over_tcp_match_redis() {
    let real = Server::start();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "redis"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for file in &files {
        let script = std::fs::read_to_string(file).expect("read scenario");
        real.reset();
        let expected = transcript(real.port, &script);
        let play = Play::start();
        let actual = transcript(play.port, &script);
        if expected != actual {
            failures.push(format!(
                "{}:\n--- redis\n{}\n--- redis-play\n{}",
                file.display(),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&actual)
            ));
        }
    }
    for f in &failures {
        eprintln!("MISMATCH {f}");
    }
    assert!(failures.is_empty(), "{} of {} scenarios differ over TCP", failures.len(), files.len());
}

// ---------------------------------------------------------------------------------------------
// What only a server has
// ---------------------------------------------------------------------------------------------

#[test]
fn keys_expire_and_blocked_clients_time_out_with_no_command_arriving() {
    let play = Play::start();
    assert_eq!(play.call(&["CONFIG", "SET", "notify-keyspace-events", "Ex"]), Reply::ok());
    let mut sub = play.conn();
    sub.send(&argv(&["SUBSCRIBE", "__keyevent@0__:expired"])).expect("send");
    assert!(matches!(sub.read_reply(), Ok(Reply::Array(_))));
    assert_eq!(play.call(&["SET", "session", "abc", "PX", "50"]), Reply::ok());
    assert_eq!(
        sub.read_reply(),
        Ok(Reply::Array(vec![
            Reply::bulk("message"),
            Reply::bulk("__keyevent@0__:expired"),
            Reply::bulk("session")
        ]))
    );
    let mut waiter = play.conn();
    waiter.send(&argv(&["BLPOP", "nothing", "0.05"])).expect("send");
    assert_eq!(waiter.read_reply(), Ok(Reply::NilArray));
    // A command pipelined behind the blocked one runs once it is served.
    waiter.send(&argv(&["BLPOP", "jobs", "0"])).expect("send");
    waiter.send(&argv(&["ECHO", "after"])).expect("send");
    // INFO counts it as blocked (Redis's test suite waits on that).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !matches!(play.call(&["INFO", "clients"]), Reply::Bulk(b) if String::from_utf8_lossy(&b).contains("blocked_clients:1\r\n"))
    {
        assert!(Instant::now() < deadline, "INFO never showed the blocked client");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(play.call(&["RPUSH", "jobs", "j1"]), Reply::Int(1));
    assert_eq!(waiter.read_reply(), Ok(Reply::bulks(["jobs", "j1"])));
    assert_eq!(waiter.read_reply(), Ok(Reply::bulk("after")));
}

#[test]
fn clients_that_vanish_leave_the_others_unaffected() {
    let play = Play::start();
    // Blocked, subscribed, and half-way through a command: then gone.
    let mut blocked = play.conn();
    blocked.send(&argv(&["BLPOP", "queue", "0"])).expect("send");
    let mut subscribed = play.conn();
    subscribed.send(&argv(&["SUBSCRIBE", "news"])).expect("send");
    assert!(matches!(subscribed.read_reply(), Ok(Reply::Array(_))));
    let mut partial = play.conn();
    partial.stream.write_all(b"*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100\r\nonly some").expect("write");
    let mut huge = play.conn();
    huge.stream.write_all(b"*1\r\n$536870912\r\nabc").expect("write");
    // Wait until the server has seen all four.
    let deadline = Instant::now() + Duration::from_secs(10);
    while play.call(&["CLIENT", "LIST"]).to_resp().windows(3).filter(|w| w == b"id=").count() < 5 {
        assert!(Instant::now() < deadline, "the clients never showed up");
        std::thread::sleep(Duration::from_millis(10));
    }
    for c in [blocked, subscribed, partial, huge] {
        let _ = c.stream.shutdown(Shutdown::Both);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while play.call(&["PUBLISH", "news", "hello"]) != Reply::Int(0) {
        assert!(Instant::now() < deadline, "the subscriber never went away");
        std::thread::sleep(Duration::from_millis(10));
    }
    while play.call(&["CLIENT", "LIST"]).to_resp().windows(6).any(|w| w == b"cmd=bl") {
        assert!(Instant::now() < deadline, "the blocked client never went away");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Nobody pops the pushed element any more, and the half-sent SET never happened.
    assert_eq!(play.call(&["RPUSH", "queue", "a"]), Reply::Int(1));
    assert_eq!(play.call(&["LLEN", "queue"]), Reply::Int(1));
    assert_eq!(play.call(&["EXISTS", "half"]), Reply::Int(0));
}

#[test]
fn a_subscriber_that_never_reads_is_disconnected_past_32_mb() {
    let play = Play::start();
    let mut sub = play.conn();
    sub.send(&argv(&["SUBSCRIBE", "flood"])).expect("send");
    assert!(matches!(sub.read_reply(), Ok(Reply::Array(_))));
    // From now on the subscriber reads nothing.
    let mut publisher = play.conn();
    let message = "x".repeat(1024 * 1024);
    let mut receivers = Vec::new();
    for _ in 0..48 {
        publisher.send(&argv(&["PUBLISH", "flood", &message])).expect("send");
        receivers.push(publisher.read_reply().expect("reply"));
    }
    assert_eq!(receivers.first(), Some(&Reply::Int(1)));
    assert_eq!(receivers.last(), Some(&Reply::Int(0)), "the subscriber was dropped on the way");
    assert_eq!(play.call(&["PUBSUB", "NUMSUB", "flood"]), Reply::Array(vec![Reply::bulk("flood"), Reply::Int(0)]));
    assert_eq!(play.call(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn client_kill_and_quit_close_connections() {
    let play = Play::start();
    let mut victim = TcpStream::connect(("127.0.0.1", play.port)).expect("connect");
    victim.write_all(b"CLIENT ID\r\n").expect("write");
    let mut buf = [0u8; 64];
    victim.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let n = victim.read(&mut buf).expect("read id");
    let id = String::from_utf8_lossy(&buf[..n]).trim().trim_start_matches(':').to_string();
    assert_eq!(play.call(&["CLIENT", "KILL", "ID", &id]), Reply::Int(1));
    assert!(closed_by_server(&mut victim), "CLIENT KILL closes the connection");

    let mut quitter = TcpStream::connect(("127.0.0.1", play.port)).expect("connect");
    quitter.write_all(b"QUIT\r\n").expect("write");
    let mut got = Vec::new();
    quitter.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let _ = quitter.read_to_end(&mut got);
    assert_eq!(got, b"+OK\r\n", "QUIT answers OK, then the connection is closed");
    assert_eq!(play.call(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn shutdown_nosave_stops_the_server() {
    let mut play = Play::start();
    let mut c = TcpStream::connect(("127.0.0.1", play.port)).expect("connect");
    let mut other = play.conn();
    other.send(&argv(&["SUBSCRIBE", "x"])).expect("send");
    assert!(matches!(other.read_reply(), Ok(Reply::Array(_))));
    c.write_all(b"SHUTDOWN NOSAVE\r\n").expect("write");
    let mut got = Vec::new();
    c.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let _ = c.read_to_end(&mut got);
    assert_eq!(got, b"", "SHUTDOWN has no reply: the connection just closes");
    assert!(play.wait_exit().success());
    assert!(closed_by_server(&mut other.stream), "every connection is closed");
}

#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let mut play = Play::start();
        let mut c = play.conn();
        c.send(&argv(&["BLPOP", "q", "0"])).expect("send");
        let status = Command::new("kill").args([signal, &play.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
        assert!(play.wait_exit().success(), "exit status after {signal}");
        assert!(closed_by_server(&mut c.stream));
    }
}

#[test]
fn only_loopback_unless_an_address_is_given() {
    let out = Command::new(env!("CARGO_BIN_EXE_redis-play"))
        .args(["--bind", "localhost", "--port", "0"])
        .output()
        .expect("run");
    assert!(!out.status.success(), "a host name is refused: only an IP address is taken");
    let out = Command::new(env!("CARGO_BIN_EXE_redis-play")).args(["--bind", "127.0.0.1"]).output().expect("run");
    assert!(!out.status.success(), "--bind without --port is refused");
}

#[test]
fn redis_benchmark_smoke_run() {
    let bench = require("redis-benchmark");
    let play = Play::start();
    let mut cmd = Command::new(bench);
    cmd.args(["-h", "127.0.0.1", "-p", &play.port.to_string(), "-q", "-n", "2000", "-P", "16"])
        .args(["-t", "set,get,incr,lpush,rpop,sadd,hset,zadd"]);
    let out = cmd.stdin(Stdio::null()).output().expect("redis-benchmark");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "redis-benchmark failed: {text} {}", String::from_utf8_lossy(&out.stderr));
    for name in ["SET", "GET", "INCR", "LPUSH", "RPOP", "SADD", "HSET", "ZADD"] {
        assert!(text.contains(&format!("{name}: ")) && text.contains("requests per second"), "no {name} result: {text}");
    }
    // What it wrote is really there.
    assert_eq!(play.call(&["GET", "counter:__rand_int__"]), Reply::bulk("2000"));
    assert_eq!(play.call(&["TYPE", "myset"]), Reply::Status("set".into()));
    assert_eq!(play.call(&["EXISTS", "key:__rand_int__"]), Reply::Int(1));
}
