//! `redis-play`: the playground's engine on the command line, speaking exactly like redis-cli.
//!
//! Given a file, or commands piped on standard input, it runs them one per line against a fresh
//! in-process engine and prints each reply the way `redis-cli --no-raw < script` prints it against
//! a fresh Redis 7.0, byte for byte (that is what the differential tests check). On a terminal it
//! is an interactive prompt with line editing, history, completion and hints.
//!
//! With `--port N` it is a RESP server instead: real Redis clients connect to the engine over TCP
//! (see [`redis_playground::net`]).
//!
//! All of the behaviour lives in [`redis_playground::cli::Console`] and [`redis_playground::net`];
//! this file only reads the flags and moves bytes between them and the outside world.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, IsTerminal};
use std::process::ExitCode;

use redis_playground::cli::{Console, Flow, Output};
use redis_playground::Engine;

const USAGE: &str = "\
Usage: redis-play [OPTIONS] [FILE]
       redis-play --port N [--bind ADDRESS]

Runs Redis commands against an in-memory Redis 7.0-compatible engine and prints the
replies exactly as `redis-cli --no-raw` would print them.

  FILE           Read commands from FILE, one per line (\"-\" for standard input).
                 Without FILE, commands are read from standard input; when that is a
                 terminal, an interactive prompt starts.

Lines use redis-cli's quoting: \"double quotes\" with \\n \\r \\t \\xHH escapes,
'single quotes', and an optional repeat count in front (`3 INCR n`).
At the prompt: `help`, `help <command>`, `help @<group>`, Tab completes
command names, `quit` or Ctrl-D leaves. History is kept in ~/.redis_play_history
(or in the file named by $REDIS_PLAY_HISTFILE).

With --port, it is a server instead: it speaks RESP2 over TCP to any number of clients
(redis-cli, client libraries, redis-benchmark), each one a client of the same engine, until
SHUTDOWN, SIGINT or SIGTERM. Nothing is saved on disk.

Options:
  --port N       Serve on TCP port N (0 picks a free one). The address served is printed
                 on standard output once connections are accepted.
  --bind ADDRESS Listen on ADDRESS instead of 127.0.0.1 (only loopback unless given).
  -h, --help     Print this help and exit.
  -V, --version  Print the version and exit.
";

fn main() -> ExitCode {
    let mut file: Option<OsString> = None;
    let mut only_files = false;
    let mut port: Option<u16> = None;
    let mut bind: Option<String> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if !only_files && (text == "--port" || text == "--bind") {
            let Some(value) = args.next() else {
                eprintln!("redis-play: {text} needs a value\n\n{USAGE}");
                return ExitCode::from(2);
            };
            let value = value.to_string_lossy().into_owned();
            if text == "--port" {
                match value.parse::<u16>() {
                    Ok(p) => port = Some(p),
                    Err(_) => {
                        eprintln!("redis-play: invalid port '{value}'");
                        return ExitCode::from(2);
                    }
                }
            } else {
                bind = Some(value);
            }
            continue;
        }
        if !only_files && (text == "-h" || text == "--help") {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        if !only_files && (text == "-V" || text == "--version") {
            println!("redis-play {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        if !only_files && text == "--" {
            only_files = true;
            continue;
        }
        if !only_files && text.starts_with('-') && text != "-" {
            eprintln!("redis-play: unknown option '{text}'\n\n{USAGE}");
            return ExitCode::from(2);
        }
        if file.is_some() {
            eprintln!("redis-play: only one FILE can be given\n\n{USAGE}");
            return ExitCode::from(2);
        }
        file = Some(arg);
    }

    if let Some(port) = port {
        if file.is_some() {
            eprintln!("redis-play: --port serves clients and reads no FILE\n\n{USAGE}");
            return ExitCode::from(2);
        }
        return serve(bind.as_deref().unwrap_or("127.0.0.1"), port);
    }
    if bind.is_some() {
        eprintln!("redis-play: --bind needs --port\n\n{USAGE}");
        return ExitCode::from(2);
    }

    let mut engine = Engine::new();
    let result = match file {
        Some(path) if path != "-" => match std::fs::File::open(&path) {
            Ok(f) => run_script(&mut engine, BufReader::new(f)),
            Err(e) => {
                eprintln!("redis-play: cannot open {}: {e}", path.to_string_lossy());
                return ExitCode::FAILURE;
            }
        },
        _ if io::stdin().is_terminal() => interactive(&mut engine),
        _ => run_script(&mut engine, io::stdin().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Output closed early (`redis-play script | head`): nothing more to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redis-play: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The RESP server, until SHUTDOWN or a signal.
fn serve(host: &str, port: u16) -> ExitCode {
    let Ok(ip) = host.parse::<std::net::IpAddr>() else {
        eprintln!("redis-play: --bind takes an IP address, not '{host}'");
        return ExitCode::from(2);
    };
    let ready = |addr: std::net::SocketAddr| {
        use std::io::Write;
        let mut out = io::stdout();
        let _ = writeln!(out, "redis-play: ready to accept connections on {addr}");
        let _ = out.flush();
    };
    match redis_playground::net::serve(std::net::SocketAddr::new(ip, port), ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redis-play: cannot serve on {host}:{port}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs commands from `input`, one per line, like `redis-cli < input`.
fn run_script(engine: &mut Engine, mut input: impl BufRead) -> io::Result<()> {
    let mut console = Console::new(engine);
    let mut out = Output::to_writer(io::stdout());
    let mut line = Vec::new();
    loop {
        line.clear();
        // Lines are as long as they are (redis-cli sets no limit either).
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if console.run_line(engine, &line, &mut out) == Flow::Exit {
            break;
        }
    }
    out.finish();
    output_result(&out)
}

fn output_result(out: &Output) -> io::Result<()> {
    match out.error() {
        Some(e) => Err(io::Error::new(e.kind(), e.to_string())),
        None => Ok(()),
    }
}

/// The interactive prompt.
fn interactive(engine: &mut Engine) -> io::Result<()> {
    use rustyline::error::ReadlineError;

    let mut console = Console::new(engine);
    console.set_interactive(true);
    let mut editor = match rustyline::Editor::<prompt::Helper, rustyline::history::DefaultHistory>::new() {
        Ok(editor) => editor,
        // No usable terminal after all: read lines plainly.
        Err(_) => return run_script(engine, io::stdin().lock()),
    };
    let hints = std::rc::Rc::new(std::cell::Cell::new(console.hints()));
    editor.set_helper(Some(prompt::Helper::new(hints.clone())));
    let history = history_file();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut out = Output::to_writer(io::stdout());
    loop {
        let line = match editor.readline(&console.prompt("redis-play")) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) | Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("redis-play: {e}");
                break;
            }
        };
        if !line.trim().is_empty() && !is_sensitive(&line) {
            let _ = editor.add_history_entry(line.as_str());
            if let Some(path) = &history {
                let _ = editor.save_history(path);
            }
        }
        let flow = console.run_line(engine, line.as_bytes(), &mut out);
        // On a terminal everything shows at once (stdout is line-buffered there).
        out.finish();
        hints.set(console.hints());
        if flow == Flow::Exit || out.error().is_some() {
            break;
        }
    }
    output_result(&out)
}

/// Commands that carry passwords stay out of the history file (as in redis-cli).
fn is_sensitive(line: &str) -> bool {
    let words: Vec<String> = line.split_whitespace().take(3).map(|w| w.to_ascii_lowercase()).collect();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    word(0) == "auth"
        || (word(0) == "acl" && word(1) == "setuser")
        || (word(0) == "config"
            && word(1) == "set"
            && matches!(word(2), "masterauth" | "masteruser" | "requirepass"))
        || (word(0) == "hello" && line.to_ascii_lowercase().contains(" auth "))
}

fn history_file() -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os("REDIS_PLAY_HISTFILE") {
        // As with redis-cli, /dev/null (or an empty value) turns the history file off.
        if path.is_empty() || path == "/dev/null" {
            return None;
        }
        return Some(path.into());
    }
    std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".redis_play_history"))
}

/// The line editor's helper: completion of command names and redis-cli-style hints.
mod prompt {
    use std::borrow::Cow;
    use std::cell::Cell;
    use std::rc::Rc;

    use rustyline::completion::{Completer, Pair};
    use rustyline::highlight::Highlighter;
    use rustyline::hint::Hinter;
    use rustyline::validate::Validator;
    use rustyline::Context;

    pub struct Helper {
        words: Vec<String>,
        hints: Rc<Cell<bool>>,
    }

    impl Helper {
        pub fn new(hints: Rc<Cell<bool>>) -> Helper {
            Helper { words: redis_playground::cli::completion_words(), hints }
        }
    }

    impl Completer for Helper {
        type Candidate = Pair;

        /// Completes the whole line as a command name (`conf` -> `CONFIG`, `CONFIG GET`), or a
        /// help topic after `help `.
        fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
            let typed = line.get(..pos).unwrap_or(line);
            let (start, groups) = match typed.get(..5) {
                Some(h) if h.eq_ignore_ascii_case("help ") => {
                    (5 + (typed.len() - 5 - typed[5..].trim_start().len()), true)
                }
                _ => (0, false),
            };
            let word = typed.get(start..).unwrap_or("");
            let found = self
                .words
                .iter()
                .filter(|w| groups || !w.starts_with('@'))
                .filter(|w| w.len() >= word.len() && w.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes()))
                .map(|w| Pair { display: w.clone(), replacement: w.clone() })
                .collect();
            Ok((start, found))
        }
    }

    impl Hinter for Helper {
        type Hint = String;

        fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<String> {
            if !self.hints.get() || pos < line.len() {
                return None;
            }
            redis_playground::cli::hint_for(line).filter(|h| !h.trim().is_empty())
        }
    }

    impl Highlighter for Helper {
        /// Hints in dark grey, like redis-cli's.
        fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
            Cow::Owned(format!("\x1b[90m{hint}\x1b[0m"))
        }
    }

    impl Validator for Helper {}

    impl rustyline::Helper for Helper {}
}
