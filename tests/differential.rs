//! The differential tests: the playground against a real Redis, byte for byte.
//!
//! Every file `tests/corpus/*.redis` is a script of commands (format: `tests/corpus/README.md`).
//! Each one is run twice from a clean start: through `redis-cli --no-raw` against a real
//! `redis-server` (started here, on a free loopback port), and through the `redis-play` binary
//! (a fresh engine). The two outputs must be the same.
//!
//! To compare command by command, both runs get the same script with a marker line before every
//! command: `:redis-play-marker-N`. redis-cli answers such a line itself, without asking the
//! server (`unknown redis-cli internal command ':redis-play-marker-N'`), so a marker changes no
//! state, works inside MULTI, and cuts both outputs into one piece per command. A file with no
//! `#@unordered` command must moreover give the same output as a whole, byte for byte, without
//! markers.
//!
//! Two more tests check the console's pieces on their own against redis-cli: argument splitting
//! on thousands of generated lines, and reply formatting on real replies (RESP2 and RESP3) read
//! straight from the server's socket.
//!
//! `redis-server` and `redis-cli` must be on PATH: without them these tests fail (they never pass
//! by doing nothing). `REDIS_PLAY_CORPUS=dir` runs another corpus directory, and
//! `REDIS_PLAY_CORPUS_FILTER=text` only the files whose name contains `text`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use redis_playground::cli::{format_reply, split_args};
use redis_playground::Reply;
use std::io::Write;

use support::{redis_play, run, Conn, Server};

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

/// One command of a corpus file.
struct CorpusCommand {
    /// 1-based line number in the file.
    line: usize,
    text: Vec<u8>,
    unordered: bool,
}

fn parse_corpus(bytes: &[u8]) -> Vec<CorpusCommand> {
    let mut out = Vec::new();
    let mut unordered = false;
    for (i, line) in bytes.split(|&c| c == b'\n').enumerate() {
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with(b"#") {
            if trimmed == b"#@unordered" {
                unordered = true;
            }
            continue;
        }
        out.push(CorpusCommand { line: i + 1, text: line.to_vec(), unordered });
        unordered = false;
    }
    out
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("REDIS_PLAY_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus"),
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let filter = std::env::var("REDIS_PLAY_CORPUS_FILTER").unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read corpus directory {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "redis"))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(&filter)))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files (*.redis) in {}", dir.display());
    files
}

fn marker(i: usize) -> String {
    format!(":redis-play-marker-{i}")
}

/// redis-cli's (and redis-play's) answer to a marker line.
fn marker_echo(i: usize) -> Vec<u8> {
    format!("unknown redis-cli internal command '{}'\n", marker(i)).into_bytes()
}

/// The script with a marker before every command and one at the end.
fn marked_script(cmds: &[CorpusCommand]) -> Vec<u8> {
    let mut s = Vec::new();
    for (i, c) in cmds.iter().enumerate() {
        s.extend_from_slice(marker(i).as_bytes());
        s.push(b'\n');
        s.extend_from_slice(&c.text);
        s.push(b'\n');
    }
    s.extend_from_slice(marker(cmds.len()).as_bytes());
    s.push(b'\n');
    s
}

fn plain_script(cmds: &[CorpusCommand]) -> Vec<u8> {
    let mut s = Vec::new();
    for c in cmds {
        s.extend_from_slice(&c.text);
        s.push(b'\n');
    }
    s
}

/// Cuts a marked run's output into one piece per command (None: the run stopped before it).
/// Text before the first marker comes back as an error.
fn split_on_markers(out: &[u8], n: usize) -> Result<Vec<Option<Vec<u8>>>, String> {
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
    };
    let first = marker_echo(0);
    let Some(start) = find(out, &first, 0) else {
        return Ok(vec![None; n]);
    };
    if start != 0 {
        return Err(format!("output before the first command: {:?}", lossy(&out[..start])));
    }
    let mut pieces = Vec::with_capacity(n);
    let mut pos = first.len();
    for i in 0..n {
        let next = marker_echo(i + 1);
        match find(out, &next, pos) {
            Some(at) => {
                pieces.push(Some(out[pos..at].to_vec()));
                pos = at + next.len();
            }
            None => {
                // Stopped (quit) during command i: what it printed is its piece.
                pieces.push(Some(out[pos..].to_vec()));
                pieces.extend(std::iter::repeat_n(None, n - i - 1));
                return Ok(pieces);
            }
        }
    }
    if pos != out.len() {
        return Err(format!("output after the last marker: {:?}", lossy(&out[pos..])));
    }
    Ok(pieces)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The text of an aggregate reply cut into its top-level elements, each without its index label,
/// sorted: two outputs that differ only in the order of elements normalize the same.
fn unordered_normal_form(out: &[u8]) -> Vec<Vec<u8>> {
    let lines: Vec<&[u8]> = out.split_inclusive(|&c| c == b'\n').collect();
    // The width of the top-level labels: the first line is `<spaces><digits><sep> `.
    let label_width = |line: &[u8]| {
        let digits_end = line.iter().position(|c| !c.is_ascii_digit() && *c != b' ')?;
        let sep = *line.get(digits_end)?;
        let is_label = matches!(sep, b')' | b'~' | b'#')
            && line.get(digits_end + 1) == Some(&b' ')
            && line[..digits_end].iter().any(u8::is_ascii_digit);
        is_label.then_some(digits_end)
    };
    let Some(width) = lines.first().and_then(|l| label_width(l)) else {
        return vec![out.to_vec()];
    };
    let mut elements: Vec<Vec<u8>> = Vec::new();
    for line in lines {
        if label_width(line) == Some(width) && !line[..width].starts_with(&vec![b' '; width]) {
            elements.push(line[width + 2..].to_vec());
        } else if let Some(last) = elements.last_mut() {
            last.extend_from_slice(line);
        } else {
            elements.push(line.to_vec());
        }
    }
    elements.sort();
    elements
}

/// True when two pieces of output match (order-insensitively for `#@unordered` commands).
fn compare(expected: &Option<Vec<u8>>, actual: &Option<Vec<u8>>, unordered: bool) -> bool {
    match (expected, actual) {
        (Some(e), Some(a)) if unordered => unordered_normal_form(e) == unordered_normal_form(a),
        (e, a) => e == a,
    }
}

/// A piece of output for a failure message: one `| line` per line; bytes that would not show
/// (or would garble the terminal) as `<HH>`.
fn show(piece: &Option<Vec<u8>>) -> String {
    let Some(p) = piece else {
        return " <nothing: the script had stopped>".into();
    };
    if p.is_empty() {
        return " <no output>".into();
    }
    let mut s = String::new();
    for line in p.split_inclusive(|&c| c == b'\n') {
        s.push_str("\n      | ");
        for &b in line {
            match b {
                b'\n' => {}
                0x20..=0x7e => s.push(b as char),
                _ => s.push_str(&format!("<{b:02x}>")),
            }
        }
    }
    if !p.ends_with(b"\n") {
        s.push_str("\n      <no newline at the end>");
    }
    s
}

/// A line for the test log that shows even when the test passes (output capture only takes
/// what the print macros write).
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn corpus_matches_redis_cli() {
    let server = Server::start();
    let files = corpus_files();
    let (mut commands, mut mismatches) = (0usize, Vec::new());
    for path in &files {
        let name = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let cmds = parse_corpus(&bytes);
        commands += cmds.len();
        let marked = marked_script(&cmds);
        let pieces = |who: &str, out: Result<Vec<u8>, String>| match out {
            Ok(out) => split_on_markers(&out, cmds.len()).map_err(|e| format!("{who}: {e}")),
            Err(e) => Err(format!("{who}: {e}")),
        };
        let expected = pieces("redis-cli", server.redis_cli(&marked));
        let actual = pieces("redis-play", redis_play(&marked, None));
        let (expected, actual) = match (expected, actual) {
            (Ok(e), Ok(a)) => (e, a),
            (e, a) => {
                for err in [e.err(), a.err()].into_iter().flatten() {
                    mismatches.push(format!("{name}: {err}"));
                }
                continue;
            }
        };
        let mut file_ok = true;
        for (i, cmd) in cmds.iter().enumerate() {
            if !compare(&expected[i], &actual[i], cmd.unordered) {
                file_ok = false;
                mismatches.push(format!(
                    "{name}:{}: {}{}\n    expected (redis-cli):{}\n    actual (redis-play):{}",
                    cmd.line,
                    lossy(&cmd.text),
                    if cmd.unordered { "   (#@unordered)" } else { "" },
                    show(&expected[i]),
                    show(&actual[i]),
                ));
            }
        }
        // Without markers and order-insensitive replies, the whole output must be identical.
        if file_ok && !cmds.iter().any(|c| c.unordered) {
            let plain = plain_script(&cmds);
            match (server.redis_cli(&plain), redis_play(&plain, None)) {
                (Ok(e), Ok(a)) if e == a => {}
                (Ok(e), Ok(a)) => mismatches.push(format!(
                    "{name}: every command matched, but the whole outputs differ\n    expected:{}\n    actual:{}",
                    show(&Some(e)),
                    show(&Some(a))
                )),
                (e, a) => {
                    for err in [e.err(), a.err()].into_iter().flatten() {
                        mismatches.push(format!("{name} (whole file): {err}"));
                    }
                }
            }
        }
    }
    if !mismatches.is_empty() {
        for m in &mismatches {
            eprintln!("MISMATCH {m}\n");
        }
        panic!(
            "differential: {} files, {commands} commands, {} mismatches (listed above)",
            files.len(),
            mismatches.len()
        );
    }
    report(&format!("differential: {} files, {commands} commands, all identical", files.len()));
}

/// `redis-play FILE` against `redis-cli < FILE` on whole corpus files, comments and all (redis-cli
/// sends a `#` line to the server like any other; both must answer it the same way).
#[test]
fn whole_corpus_files_match_byte_for_byte() {
    let server = Server::start();
    let (mut compared, mut skipped, mut failures) = (0, 0, Vec::new());
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if parse_corpus(&bytes).iter().any(|c| c.unordered) {
            // Their replies may legitimately come in another order.
            skipped += 1;
            continue;
        }
        compared += 1;
        let expected = server.redis_cli(&bytes);
        let actual = redis_play(b"", Some(&path));
        match (expected, actual) {
            (Ok(e), Ok(a)) if e == a => {}
            (Ok(e), Ok(a)) => {
                let at = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
                let line = e[..at].iter().filter(|&&c| c == b'\n').count() + 1;
                failures.push(format!(
                    "{}: outputs differ from output line {line}\n    expected:{}\n    actual:{}",
                    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&path).display(),
                    show(&Some(e[at.saturating_sub(200)..(at + 200).min(e.len())].to_vec())),
                    show(&Some(a[at.saturating_sub(200)..(at + 200).min(a.len())].to_vec())),
                ));
            }
            (e, a) => {
                for err in [e.err(), a.err()].into_iter().flatten() {
                    failures.push(format!("{}: {err}", path.display()));
                }
            }
        }
    }
    for f in &failures {
        eprintln!("MISMATCH {f}\n");
    }
    assert!(failures.is_empty(), "{} of {compared} whole corpus files differ", failures.len());
    report(&format!(
        "differential (whole files): {compared} files identical byte for byte, {skipped} with #@unordered skipped"
    ));
}

// ---------------------------------------------------------------------------------------------
// The console's pieces against redis-cli
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift) for test lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Thousands of generated lines split by redis-cli (the server echoes the arguments back through
/// a script) and by [`split_args`]: the printed arguments, or the error, must be the same.
#[test]
fn split_args_matches_redis_cli() {
    let server = Server::start();
    // Pieces that exercise every rule: quotes, escapes, hex, blanks, bytes above 127.
    const PIECES: &[&[u8]] = &[
        b"a", b"bc", b" ", b"  ", b"\t", b"\r", b"\x0b", b"\x0c", b"\"", b"'", b"\\", b"\\\"",
        b"\\'", b"\\x", b"\\x4", b"\\x41", b"\\xfF", b"\\xg1", b"\\n", b"\\r", b"\\t", b"\\b",
        b"\\a", b"\\z", b"\\\\", b"x", b"4", b"f", b"\xc3\xa9", b"\xff", b"\x01", b"#", b"\"\"",
        b"''", b"\" \"", b"' '",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut lines = Vec::new();
    for _ in 0..3000 {
        let mut line = Vec::new();
        for _ in 0..1 + rng.below(8) {
            line.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
        lines.push(line);
    }
    // A few by hand: a NUL ends the line, as it does for redis-cli.
    lines.push(b"a\0\"".to_vec());
    lines.push(b"\"a\0b\"".to_vec());
    lines.push(b"'x'\0'".to_vec());

    let prefix: &[u8] = b"EVAL \"return ARGV\" 0 ";
    let mut script = Vec::new();
    let mut expected_ours = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        script.extend_from_slice(marker(i).as_bytes());
        script.push(b'\n');
        script.extend_from_slice(prefix);
        script.extend_from_slice(line);
        script.push(b'\n');
        let mut whole = prefix.to_vec();
        whole.extend_from_slice(line);
        expected_ours.push(match split_args(&whole) {
            Err(()) => b"Invalid argument(s)\n".to_vec(),
            Ok(argv) => {
                assert!(argv.len() >= 3 && argv[..3] == [b"EVAL".to_vec(), b"return ARGV".to_vec(), b"0".to_vec()]);
                format_reply(&Reply::Array(argv[3..].iter().map(|a| Reply::Bulk(a.clone())).collect()))
                    .into_bytes()
            }
        });
    }
    script.extend_from_slice(marker(lines.len()).as_bytes());
    script.push(b'\n');
    let out = server.redis_cli(&script).expect("redis-cli run");
    let pieces = split_on_markers(&out, lines.len()).expect("markers");
    let mut bad = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if pieces[i].as_deref() != Some(expected_ours[i].as_slice()) {
            bad.push(format!(
                "line {:?}\n    redis-cli:{}\n    split_args:{}",
                lossy(line),
                show(&pieces[i]),
                show(&Some(expected_ours[i].clone()))
            ));
        }
    }
    for b in &bad {
        eprintln!("MISMATCH {b}\n");
    }
    assert!(bad.is_empty(), "split_args differs from redis-cli on {} of {} lines", bad.len(), lines.len());
    report(&format!("split_args: {} generated lines split like redis-cli", lines.len()));
}

/// Real replies, read from the server's socket, formatted by [`format_reply`] must read exactly
/// like redis-cli's output for the same commands, in RESP2 and in RESP3.
#[test]
fn format_reply_matches_redis_cli() {
    let server = Server::start();
    server.reset();
    // Data for the commands below; set up once, read by both clients.
    let words = |w: &[&str]| w.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
    let mut big = words(&["RPUSH", "big"]);
    big.extend((0..120).map(|i| format!("e{i}").into_bytes()));
    let setup = vec![
        big,
        words(&["HSET", "h", "f1", "v1", "f2", "\u{e9}\n"]),
        words(&["ZADD", "z", "1.5", "a", "2", "b", "1e300", "c"]),
        words(&["XADD", "s", "1-1", "a", "1", "b", "2"]),
        words(&["XADD", "s", "2-1", "c", "3"]),
        words(&["SADD", "one", "only"]),
        vec![b"SET".to_vec(), b"bin".to_vec(), (0u8..=255).collect()],
    ];
    let mut conn = Conn::open(server.port).expect("connect");
    for argv in &setup {
        conn.send(argv).unwrap();
        let r = conn.read_reply().unwrap();
        assert!(!r.is_error(), "setup {:?}: {r:?}", lossy(&argv[0]));
    }
    let common: &[&str] = &[
        "PING",
        "ECHO \"a\\x00\\xff\\r\\n\\t\\a\\b\\\"\\\\ \\xc3\\xa9'\"",
        "GET bin",
        "GET nokey",
        "STRLEN bin",
        "NOSUCHCMD a b",
        "LRANGE big 0 -1",
        "LRANGE big 0 9",
        "LRANGE big 0 10",
        "LRANGE big 0 0",
        "LRANGE nokey 0 -1",
        "COMMAND INFO get zadd xadd",
        "COMMAND DOCS set",
        "COMMAND GETKEYS SORT abc STORE def",
        "HGETALL h",
        "HGETALL nokey",
        "CONFIG GET maxmemory",
        "ZRANGE z 0 -1 WITHSCORES",
        "ZSCORE z a",
        "ZSCORE z c",
        "ZINCRBY zi inf b",
        "ZSCORE zi b",
        "XRANGE s - +",
        "XINFO STREAM s",
        "XINFO STREAM s FULL",
        "SMEMBERS one",
        "EVAL \"return {1,{2,{}},{},'x',{1,2,3,4,5,6,7,8,9,{10,{11}}}}\" 0",
        "EVAL \"return {{{{{{{{{{{1,2,3,4,5,6,7,8,9,10}}}}}}}}}}}\" 0",
        "EVAL \"local t = {} for i = 1, 101 do t[i] = {i, {i}} end return t\" 0",
        "EVAL \"return {err='My error'}\" 0",
        "EVAL \"return {ok='Fine'}\" 0",
        "EVAL \"return {1, false, 'x'}\" 0",
        "EVAL \"return {double=3.14}\" 0",
        "EVAL \"return {map={k={1,2}}}\" 0",
        "EVAL \"return {map={k={}}}\" 0",
        "EVAL \"return {map={k={{1}}}}\" 0",
        "EVAL \"return {1,{map={a={1,{map={b=2}}}}}}\" 0",
        "EVAL \"return {map={k={map={x={7}}}}}\" 0",
        "MULTI",
        "GET nokey",
        "LRANGE big 0 2",
        "EXEC",
    ];
    let mut checked = 0;
    let mut bad = Vec::new();
    for resp3 in [false, true] {
        let mut conn = Conn::open(server.port).expect("connect");
        let mut script = Vec::new();
        if resp3 {
            conn.send(&[b"HELLO".to_vec(), b"3".to_vec()]).unwrap();
            conn.read_reply().unwrap();
            // The reply to HELLO itself is not compared (it holds the connection's id).
            script.extend_from_slice(b"HELLO 3\n");
        }
        let mut ours = Vec::new();
        for (i, line) in common.iter().enumerate() {
            script.extend_from_slice(format!("{}\n{line}\n", marker(i)).as_bytes());
            let argv = split_args(line.as_bytes()).expect("test lines split");
            conn.send(&argv).unwrap();
            ours.push(match conn.read_any() {
                Ok(r) => r.map(|r| format_reply(&r).into_bytes()),
                Err(e) => panic!("{line}: {e}"),
            });
        }
        script.extend_from_slice(format!("{}\n", marker(common.len())).as_bytes());
        let mut out = server_cli_without_reset(&server, &script);
        if resp3 {
            let start = out.windows(marker_echo(0).len()).position(|w| w == marker_echo(0)).unwrap_or(0);
            out.drain(..start);
        }
        let pieces = split_on_markers(&out, common.len()).expect("markers");
        for (i, line) in common.iter().enumerate() {
            let Some(ours) = &ours[i] else { continue };
            checked += 1;
            if pieces[i].as_ref() != Some(ours) {
                bad.push(format!(
                    "{} {line}\n    redis-cli:{}\n    format_reply:{}",
                    if resp3 { "RESP3" } else { "RESP2" },
                    show(&pieces[i]),
                    show(&Some(ours.clone()))
                ));
            }
        }
    }
    for b in &bad {
        eprintln!("MISMATCH {b}\n");
    }
    assert!(bad.is_empty(), "format_reply differs from redis-cli on {} of {checked} replies", bad.len());
    assert!(checked > 70, "only {checked} replies compared");
    report(&format!("format_reply: {checked} real replies formatted like redis-cli"));
}

/// redis-cli on the server as it is (the format test's data must stay).
fn server_cli_without_reset(server: &Server, script: &[u8]) -> Vec<u8> {
    let mut cmd = Command::new(&server.cli);
    cmd.args(["--no-raw", "-h", "127.0.0.1", "-p", &server.port.to_string()]);
    run(cmd, script).expect("redis-cli run")
}

#[test]
fn unordered_comparison_ignores_order_only() {
    let a = b" 1) \"x\"\n 2) 1) \"n\"\n    2) \"m\"\n 3) \"y\"\n 4) \"z\"\n 5) \"a\"\n 6) \"b\"\n 7) \"c\"\n 8) \"d\"\n 9) \"e\"\n10) \"f\"\n";
    let b = b" 1) \"f\"\n 2) \"y\"\n 3) 1) \"n\"\n    2) \"m\"\n 4) \"z\"\n 5) \"a\"\n 6) \"b\"\n 7) \"c\"\n 8) \"d\"\n 9) \"e\"\n10) \"x\"\n";
    assert!(compare(&Some(a.to_vec()), &Some(b.to_vec()), true));
    assert!(!compare(&Some(a.to_vec()), &Some(b.to_vec()), false));
    // The inner order of an element still counts, and so do the elements themselves.
    let c = b" 1) \"f\"\n 2) \"y\"\n 3) 1) \"m\"\n    2) \"n\"\n 4) \"z\"\n 5) \"a\"\n 6) \"b\"\n 7) \"c\"\n 8) \"d\"\n 9) \"e\"\n10) \"x\"\n";
    assert!(!compare(&Some(a.to_vec()), &Some(c.to_vec()), true));
    let d = b"1) \"a\"\n2) \"b\"\n";
    let e = b"1) \"b\"\n2) \"a\"\n";
    let f = b"1) \"b\"\n2) \"c\"\n";
    assert!(compare(&Some(d.to_vec()), &Some(e.to_vec()), true));
    assert!(!compare(&Some(d.to_vec()), &Some(f.to_vec()), true));
    // RESP3 sets and non-aggregates.
    assert!(compare(&Some(b"1~ \"a\"\n2~ \"b\"\n".to_vec()), &Some(b"1~ \"b\"\n2~ \"a\"\n".to_vec()), true));
    assert!(!compare(&Some(b"(integer) 1\n".to_vec()), &Some(b"(integer) 2\n".to_vec()), true));
    assert!(!compare(&Some(b"(empty array)\n".to_vec()), &None, true));
}

#[test]
fn markers_cut_output_per_command() {
    let cmds = parse_corpus(b"# c\nPING\n\n#@unordered\n  # c2\nKEYS *\nGET a\n");
    assert_eq!(cmds.iter().map(|c| (c.line, c.unordered)).collect::<Vec<_>>(), [(2, false), (6, true), (7, false)]);
    let mut out = marker_echo(0);
    out.extend_from_slice(b"PONG\n");
    out.extend_from_slice(&marker_echo(1));
    out.extend_from_slice(&marker_echo(2));
    out.extend_from_slice(b"(nil)\n");
    out.extend_from_slice(&marker_echo(3));
    assert_eq!(
        split_on_markers(&out, 3).unwrap(),
        [Some(b"PONG\n".to_vec()), Some(Vec::new()), Some(b"(nil)\n".to_vec())]
    );
    // A script that stopped early.
    let mut out = marker_echo(0);
    out.extend_from_slice(b"PONG\n");
    assert_eq!(split_on_markers(&out, 3).unwrap(), [Some(b"PONG\n".to_vec()), None, None]);
    assert!(split_on_markers(b"junk", 1).unwrap().iter().all(Option::is_none));
    let mut out = b"junk".to_vec();
    out.extend_from_slice(&marker_echo(0));
    assert!(split_on_markers(&out, 1).is_err());
}
