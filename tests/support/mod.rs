//! Shared by the tests that compare the playground with a real Redis: a `redis-server` started
//! on a free loopback port (and killed when dropped), raw RESP connections to it, and running a
//! program with input and a time limit.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redis_playground::Reply;

/// How long one redis-cli or redis-play run may take.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// The real server
// ---------------------------------------------------------------------------------------------

pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

pub fn require(name: &str) -> PathBuf {
    match which(name) {
        Some(p) => p,
        None => panic!(
            "differential tests need `{name}` (Redis 7.0) on PATH to compare against; it was not \
             found. Install Redis (e.g. `apt-get install redis-server redis-tools`) and run again."
        ),
    }
}

/// A redis-server child process, killed when dropped (also when a test panics).
pub struct Server {
    child: Child,
    pub port: u16,
    pub cli: PathBuf,
    /// `CONFIG GET *` right after start: the defaults to go back to before each script.
    defaults: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free loopback port");
    listener.local_addr().expect("local address").port()
}

impl Server {
    pub fn start() -> Server {
        let server = require("redis-server");
        let cli = require("redis-cli");
        let mut last_error = String::new();
        // The port is free when chosen but could be taken before the server binds it: retry.
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new(&server)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
                .args(["--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", server.display()));
            let mut s = Server { child, port, cli: cli.clone(), defaults: Vec::new() };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = s.child.try_wait() {
                    last_error = format!("redis-server on port {port} exited: {status}");
                    break;
                }
                if let Ok(Reply::Status(pong)) = s.call(&["PING"]) {
                    if pong == "PONG" {
                        s.defaults = match s.call(&["CONFIG", "GET", "*"]) {
                            Ok(Reply::Array(items)) => pairs(items),
                            other => panic!("CONFIG GET * answered {other:?}"),
                        };
                        return s;
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if last_error.is_empty() {
                last_error = format!("redis-server on port {port} did not answer PING in 10 s");
            }
        }
        panic!("could not start redis-server: {last_error}");
    }

    /// Sends one command on a new connection (RESP2) and returns the reply.
    pub fn call(&self, args: &[&str]) -> Result<Reply, String> {
        let argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let mut conn = Conn::open(self.port)?;
        conn.send(&argv)?;
        conn.read_reply()
    }

    /// Empties the server and puts its configuration back to what it was at start.
    pub fn reset(&self) {
        for cmd in [
            &["FLUSHALL"][..],
            &["SCRIPT", "FLUSH"],
            &["FUNCTION", "FLUSH"],
            &["CONFIG", "RESETSTAT"],
            &["SLOWLOG", "RESET"],
        ] {
            match self.call(cmd) {
                Ok(Reply::Status(_)) => {}
                other => panic!("resetting the server: {cmd:?} answered {other:?}"),
            }
        }
        let now = match self.call(&["CONFIG", "GET", "*"]) {
            Ok(Reply::Array(items)) => pairs(items),
            other => panic!("CONFIG GET * answered {other:?}"),
        };
        for (name, value) in &self.defaults {
            let current = now.iter().find(|(n, _)| n == name).map(|(_, v)| v);
            if current != Some(value) {
                let name = String::from_utf8_lossy(name).into_owned();
                let value = String::from_utf8_lossy(value).into_owned();
                match self.call(&["CONFIG", "SET", &name, &value]) {
                    Ok(Reply::Status(_)) => {}
                    other => panic!("restoring config {name} {value:?}: {other:?}"),
                }
            }
        }
    }

    /// `redis-cli --no-raw -p PORT < script`, on a clean server.
    pub fn redis_cli(&self, script: &[u8]) -> Result<Vec<u8>, String> {
        self.reset();
        let mut cmd = Command::new(&self.cli);
        cmd.args(["--no-raw", "-h", "127.0.0.1", "-p", &self.port.to_string()]);
        run(cmd, script)
    }
}

pub fn pairs(items: Vec<Reply>) -> Vec<(Vec<u8>, Vec<u8>)> {
    items
        .chunks(2)
        .filter_map(|kv| match kv {
            [Reply::Bulk(k), Reply::Bulk(v)] => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect()
}

/// Runs `cmd` with `input` on its standard input; returns its standard output. Fails when it
/// takes longer than [`RUN_TIMEOUT`], exits with an error or writes to standard error.
pub fn run(mut cmd: Command, input: &[u8]) -> Result<Vec<u8>, String> {
    let name = format!("{:?}", cmd.get_program());
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stderr.read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{name} did not finish within {RUN_TIMEOUT:?}"));
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().map_err(|_| "stdout reader failed")?;
    let err = err_reader.join().map_err(|_| "stderr reader failed")?;
    if !status.success() || !err.is_empty() {
        return Err(format!(
            "{name} exited with {status}; stderr: {}",
            String::from_utf8_lossy(&err)
        ));
    }
    Ok(out)
}

/// The `redis-play` binary on `script`, from standard input (or from `file`).
pub fn redis_play(script: &[u8], file: Option<&Path>) -> Result<Vec<u8>, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redis-play"));
    if let Some(file) = file {
        cmd.arg(file);
    }
    run(cmd, script)
}

// ---------------------------------------------------------------------------------------------
// The engine as a server
// ---------------------------------------------------------------------------------------------

/// A `redis-play --port 0` child process (the port it picked read from its ready line), killed
/// when dropped.
pub struct Play {
    pub child: Child,
    pub port: u16,
}

impl Play {
    pub fn start() -> Play {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redis-play"))
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start redis-play --port 0");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the ready line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the ready line {line:?}"));
        assert!(line.contains("127.0.0.1:"), "serves loopback by default: {line:?}");
        Play { child, port }
    }
}

impl Drop for Play {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// A raw connection, for replies exactly as the server sends them (RESP2 or RESP3)
// ---------------------------------------------------------------------------------------------

pub struct Conn {
    pub stream: TcpStream,
    pub buf: Vec<u8>,
}


impl Conn {
    pub fn open(port: u16) -> Result<Conn, String> {
        let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
        // Commands go out as soon as they are written (no Nagle delay behind an unacknowledged one).
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Conn { stream, buf: Vec::new() })
    }

    pub fn send(&mut self, argv: &[Vec<u8>]) -> Result<(), String> {
        self.stream.write_all(&resp(argv)).map_err(|e| e.to_string())
    }

    /// The next reply; `None` for one that `Reply` cannot hold (a RESP3 set, verbatim string or
    /// big number somewhere inside).
    pub fn read_any(&mut self) -> Result<Option<Reply>, String> {
        loop {
            match parse_resp(&self.buf) {
                Ok(Some((reply, used, supported))) => {
                    self.buf.drain(..used);
                    return Ok(supported.then_some(reply));
                }
                Ok(None) => {}
                Err(e) => return Err(e),
            }
            let mut chunk = [0u8; 65536];
            let n = self.stream.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    pub fn read_reply(&mut self) -> Result<Reply, String> {
        self.read_any()?.ok_or_else(|| "a reply of a type Reply cannot hold".to_string())
    }

    /// Every whole reply that arrives until the connection has been quiet for `quiet` (waiting at
    /// most `first` for the first one); what a server sends on its own (pushed messages, the
    /// reply of a command that was blocked) included.
    pub fn drain(&mut self, first: Duration, quiet: Duration) -> Vec<Reply> {
        let mut out = Vec::new();
        let mut deadline = Instant::now() + first.max(Duration::from_millis(1));
        loop {
            while let Ok(Some((reply, used, _))) = parse_resp(&self.buf) {
                self.buf.drain(..used);
                out.push(reply);
                deadline = Instant::now() + quiet;
            }
            let now = Instant::now();
            if now >= deadline {
                return out;
            }
            let _ = self.stream.set_read_timeout(Some(deadline - now));
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) => return out,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(_) => {}
            }
        }
    }
}

/// A command as a RESP multibulk request.
pub fn resp(argv: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", argv.len()).into_bytes();
    for a in argv {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Parses one RESP2/RESP3 reply: `Ok(None)` when more bytes are needed; the flag is false when
/// the reply holds a type `Reply` has no variant for (sets, verbatim strings, big numbers).
pub fn parse_resp(data: &[u8]) -> Result<Option<(Reply, usize, bool)>, String> {
    let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    let Some(&kind) = data.first() else {
        return Ok(None);
    };
    let line = String::from_utf8_lossy(&data[1..end]).into_owned();
    let mut used = end + 2;
    let mut supported = true;
    let number = || line.parse::<i64>().map_err(|e| format!("bad length {line:?}: {e}"));
    let reply = match kind {
        b'+' => Reply::Status(line),
        b'-' => Reply::Error(line),
        b':' => Reply::Int(number()?),
        b'_' => Reply::Nil,
        b'#' => Reply::Bool(line == "t"),
        b'(' => {
            supported = false;
            Reply::Status(line)
        }
        b',' => Reply::Double(match line.as_str() {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            other => other.parse().map_err(|e| format!("bad double {other:?}: {e}"))?,
        }),
        b'$' | b'=' => {
            supported = kind == b'$';
            let n = number()?;
            if n < 0 {
                Reply::Nil
            } else {
                let n = n as usize;
                if data.len() < used + n + 2 {
                    return Ok(None);
                }
                let body = data[used..used + n].to_vec();
                used += n + 2;
                Reply::Bulk(body)
            }
        }
        b'*' | b'>' | b'%' | b'~' => {
            supported = kind != b'~';
            let n = number()?;
            if n < 0 {
                Reply::NilArray
            } else {
                let count = if kind == b'%' { n * 2 } else { n };
                let mut items = Vec::new();
                for _ in 0..count {
                    match parse_resp(&data[used..])? {
                        Some((item, len, ok)) => {
                            used += len;
                            supported &= ok;
                            items.push(item);
                        }
                        None => return Ok(None),
                    }
                }
                match kind {
                    b'>' => Reply::Push(items),
                    b'%' => {
                        let mut it = items.into_iter();
                        let mut pairs = Vec::new();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                        Reply::Map(pairs)
                    }
                    _ => Reply::Array(items),
                }
            }
        }
        other => return Err(format!("unknown RESP type byte {other:?}")),
    };
    Ok(Some((reply, used, supported)))
}

