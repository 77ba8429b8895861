//! Multi-client differential tests: transcripts of several clients against a real Redis.
//!
//! Every file `tests/scenarios/*.redis` is a transcript (format: `tests/scenarios/README.md`):
//! lines `@name COMMAND ...` run as the client `name`, other lines as the default client. It is
//! run twice from a clean start:
//!
//! - against a real `redis-server` (started here on a free loopback port), with one real TCP
//!   connection per client name, sending each command on its client's connection, then collecting
//!   whatever every connection received;
//! - through the `redis-play` binary, which runs the same transcript on one engine.
//!
//! Both sides print the same way (`cli::transcript_text`, whose redis-cli formatting is checked
//! against redis-cli itself by the single-client differential tests): the command's own reply,
//! then what other clients received — pub/sub messages, keyspace notifications, late replies of
//! blocked commands — grouped by client in order of first use. A blocked command prints nothing
//! until it is served. The two texts must be identical.
//!
//! Timing is not part of these transcripts (timeouts and expiry on the virtual clock are tested
//! natively); a command counts as blocked when the real server has not answered it within
//! [`BLOCKED_AFTER`].

mod support;

use std::path::PathBuf;
use std::time::Duration;

use redis_playground::cli::{split_args, transcript_text, wants_raw_output};
use support::{redis_play, Conn, Server};


/// How long to wait for a command's first reply before taking it as blocked.
const BLOCKED_AFTER: Duration = Duration::from_millis(300);
/// How long a connection must stay quiet before everything it will receive is taken as received.
const QUIET: Duration = Duration::from_millis(25);

/// The transcript's text as produced against the real server.
fn run_real(server: &Server, script: &str) -> Vec<u8> {
    server.reset();
    let mut out = Vec::new();
    // Client "" is the default client; the others in order of first use.
    let mut conns: Vec<(String, Conn)> = Vec::new();
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
        let label = |n: &str| if n.is_empty() { None } else { Some(n.to_string()) };
        let argv = match split_args(rest.as_bytes()) {
            Ok(argv) if argv.is_empty() => continue,
            Ok(argv) => argv,
            Err(()) => {
                let text = b"Invalid argument(s)\n";
                match label(&name) {
                    Some(n) => out.extend(text.split_inclusive(|&c| c == b'\n').flat_map(|l| {
                        let mut v = format!("[{n}] ").into_bytes();
                        v.extend_from_slice(l);
                        v
                    })),
                    None => out.extend_from_slice(text),
                }
                continue;
            }
        };
        if !conns.iter().any(|(n, _)| *n == name) {
            let conn = Conn::open(server.port).expect("connect to the real server");
            if name.is_empty() {
                conns.insert(0, (name.clone(), conn));
            } else {
                conns.push((name.clone(), conn));
            }
        }
        let is_quit = argv[0].eq_ignore_ascii_case(b"quit");
        if is_quit && name.is_empty() {
            break; // redis-cli stops reading the script
        }
        let Some(i) = conns.iter().position(|(n, _)| *n == name) else { continue };
        conns[i].1.send(&argv).expect("send");
        let replies = conns[i].1.drain(BLOCKED_AFTER, QUIET);
        let raw = wants_raw_output(&argv);
        for r in &replies {
            out.extend(transcript_text(label(&name).as_deref(), r, raw));
        }
        if is_quit {
            conns.remove(i);
        }
        // What every other connection received meanwhile.
        std::thread::sleep(QUIET);
        for (n, conn) in conns.iter_mut() {
            if *n == name {
                continue;
            }
            for r in conn.drain(Duration::ZERO, QUIET) {
                out.extend(transcript_text(label(n).as_deref(), &r, false));
            }
        }
    }
    out
}

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "redis"))
        .collect();
    files.sort();
    files
}

/// The first line where two texts differ, with a little context.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let e: Vec<&[u8]> = expected.split(|&c| c == b'\n').collect();
    let a: Vec<&[u8]> = actual.split(|&c| c == b'\n').collect();
    let i = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i)).unwrap_or(0);
    let show = |lines: &[&[u8]]| {
        lines[i.saturating_sub(3)..(i + 4).min(lines.len())]
            .iter()
            .map(|l| format!("      | {}", String::from_utf8_lossy(l)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!("at output line {}:\n    real redis:\n{}\n    redis-play:\n{}", i + 1, show(&e), show(&a))
}

#[test]
fn scenarios_match_real_redis_with_real_connections() {
    let server = Server::start();
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenarios in tests/scenarios");
    let mut failures = Vec::new();
    let mut commands = 0;
    for file in &files {
        let script = std::fs::read_to_string(file).expect("read scenario");
        commands += script.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        let expected = run_real(&server, &script);
        // Comments are for people: redis-play, like redis-cli, would send them as commands.
        let stripped: String = script
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        let actual = redis_play(stripped.as_bytes(), None).unwrap_or_else(|e| e.into_bytes());
        if expected != actual {
            failures.push(format!("MISMATCH {}: {}", file.display(), first_difference(&expected, &actual)));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    println!(
        "multiclient: {} scenarios, {} commands, {}",
        files.len(),
        commands,
        if failures.is_empty() { "all identical".to_string() } else { format!("{} differ", failures.len()) }
    );
    assert!(failures.is_empty(), "{} scenario(s) differ from real Redis", failures.len());
}
