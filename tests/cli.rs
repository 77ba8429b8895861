//! The console's text, checked against what redis-cli 7.0.15 prints (every expected string below
//! was taken from `redis-cli --no-raw` against redis-server 7.0.15).

use redis_playground::cli::{
    format_reply, format_reply_raw, repr, split_args, to_resp2, wants_raw_output, Console, Flow,
    Output,
};
use redis_playground::{Engine, Reply};

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn words(list: &[&str]) -> Vec<Vec<u8>> {
    list.iter().map(|w| w.as_bytes().to_vec()).collect()
}

fn split(line: &str) -> Result<Vec<String>, ()> {
    split_args(line.as_bytes()).map(|v| v.into_iter().map(|a| String::from_utf8_lossy(&a).into_owned()).collect())
}

// ---------------------------------------------------------------------------------------------
// split_args
// ---------------------------------------------------------------------------------------------

#[test]
fn split_plain_words_and_blanks() {
    assert_eq!(split("a b c"), Ok(vec!["a".into(), "b".into(), "c".into()]));
    assert_eq!(split("  a   b  "), Ok(vec!["a".into(), "b".into()]));
    assert_eq!(split("a\tb"), Ok(vec!["a".into(), "b".into()]));
    assert_eq!(split("a\r\nb\r"), Ok(vec!["a".into(), "b".into()]));
    assert_eq!(split(""), Ok(vec![]));
    assert_eq!(split("   \t "), Ok(vec![]));
    // \v and \f are skipped before a word but do not end one.
    assert_eq!(split("\x0b\x0c a\x0bb\x0cc"), Ok(vec!["a\x0bb\x0cc".into()]));
    // A backslash outside quotes is just a character.
    assert_eq!(split("a\\x41 \\n"), Ok(vec!["a\\x41".into(), "\\n".into()]));
}

#[test]
fn split_double_quotes_and_escapes() {
    assert_eq!(split("\"a b\" c"), Ok(vec!["a b".into(), "c".into()]));
    assert_eq!(split(r#""a\nb\r\t\b\a\\\"z""#), Ok(vec!["a\nb\r\t\x08\x07\\\"z".into()]));
    assert_eq!(
        split_args(br#""\x41\x4a\x4A\xff\x00z""#),
        Ok(vec![b"AJJ\xff\x00z".to_vec()])
    );
    // Not a \xHH escape: the backslash stands for the next character.
    assert_eq!(split(r#""\x4" "\xg0" "\x""#), Ok(vec!["x4".into(), "xg0".into(), "x".into()]));
    assert_eq!(split(r#""\q\'""#), Ok(vec!["q'".into()]));
    assert_eq!(split("\"\""), Ok(vec!["".into()]));
    assert_eq!(split("\"\" ''"), Ok(vec!["".into(), "".into()]));
    assert_eq!(split("\"a\"\tb"), Ok(vec!["a".into(), "b".into()]));
    assert_eq!(split_args("é \"é\"".as_bytes()), Ok(vec!["é".as_bytes().to_vec(), "é".as_bytes().to_vec()]));
}

#[test]
fn split_single_quotes() {
    assert_eq!(split("'a b' c"), Ok(vec!["a b".into(), "c".into()]));
    assert_eq!(split(r"'it\'s'"), Ok(vec!["it's".into()]));
    assert_eq!(split(r#"'a\"b' '\n'"#), Ok(vec!["a\\\"b".into(), "\\n".into()]));
    assert_eq!(split("''"), Ok(vec!["".into()]));
}

#[test]
fn split_quotes_inside_words() {
    assert_eq!(split("a\"b c\" d"), Ok(vec!["ab c".into(), "d".into()]));
    assert_eq!(split("a'b c' d"), Ok(vec!["ab c".into(), "d".into()]));
    assert_eq!(split("a\"\" b"), Ok(vec!["a".into(), "b".into()]));
}

#[test]
fn split_errors() {
    for bad in [
        "\"abc",
        "'abc",
        "\"abc\\\"",
        "\"a\"b",
        "'a'b",
        "a\"b c\"d",
        r"'\'' 'a\'b' '\\'",
        "\"",
        "'",
        "ok \"",
    ] {
        assert_eq!(split(bad), Err(()), "{bad:?}");
    }
}

#[test]
fn split_stops_at_nul_like_a_c_string() {
    assert_eq!(split_args(b"a\0\""), Ok(vec![b"a".to_vec()]));
    assert_eq!(split_args(b"\"a\0b\""), Err(()));
    assert_eq!(split_args(b"'x'\0'"), Ok(vec![b"x".to_vec()]));
    assert_eq!(split_args(b"\0abc"), Ok(vec![]));
}

#[test]
fn split_never_panics() {
    // Every short line over an alphabet of the characters that matter.
    let alphabet: &[u8] = b"a \"'\\x4f\0\t\xff";
    let n = alphabet.len();
    for len in 0..=5u32 {
        for mut code in 0..n.pow(len) {
            let mut line = Vec::new();
            for _ in 0..len {
                line.push(alphabet[code % n]);
                code /= n;
            }
            let _ = split_args(&line);
        }
    }
    let huge = vec![b'"'; 1 << 20];
    assert_eq!(split_args(&huge), Err(()));
}

// ---------------------------------------------------------------------------------------------
// format_reply
// ---------------------------------------------------------------------------------------------

#[test]
fn simple_replies() {
    assert_eq!(format_reply(&Reply::ok()), "OK\n");
    assert_eq!(format_reply(&Reply::Status("PONG".into())), "PONG\n");
    assert_eq!(format_reply(&Reply::Int(1)), "(integer) 1\n");
    assert_eq!(format_reply(&Reply::Int(i64::MIN)), "(integer) -9223372036854775808\n");
    assert_eq!(format_reply(&Reply::Nil), "(nil)\n");
    assert_eq!(format_reply(&Reply::NilArray), "(nil)\n");
    assert_eq!(format_reply(&Reply::Array(vec![])), "(empty array)\n");
    assert_eq!(
        format_reply(&Reply::err("ERR unknown command 'foo', with args beginning with: 'a' ")),
        "(error) ERR unknown command 'foo', with args beginning with: 'a' \n"
    );
    assert_eq!(
        format_reply(&Reply::err("ERR wrong number of arguments for 'get' command")),
        "(error) ERR wrong number of arguments for 'get' command\n"
    );
    assert_eq!(format_reply(&bulk("")), "\"\"\n");
    assert_eq!(format_reply(&bulk("it's")), "\"it's\"\n");
}

#[test]
fn bulk_strings_are_quoted_like_redis_cli() {
    assert_eq!(format_reply(&Reply::bulk(b"a\x00\xffb\n")), "\"a\\x00\\xffb\\n\"\n");
    assert_eq!(format_reply(&bulk("a\nb\r\t\x08\x07\\\"z")), "\"a\\nb\\r\\t\\b\\a\\\\\\\"z\"\n");
    assert_eq!(format_reply(&bulk("é")), "\"\\xc3\\xa9\"\n");
    assert_eq!(format_reply(&bulk("a\x0bb\x0cc\x1b\x7f")), "\"a\\x0bb\\x0cc\\x1b\\x7f\"\n");
    assert_eq!(repr(b" ~"), "\" ~\"");
    // Every byte: printable ASCII as is, the named escapes, \xHH for the rest.
    let all: Vec<u8> = (0u8..=255).collect();
    let shown = repr(&all);
    assert!(shown.starts_with("\"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\a\\b\\t\\n\\x0b\\x0c\\r\\x0e"));
    assert!(shown.contains(" !\\\"#$%&'()*+,-./0123456789"));
    assert!(shown.contains("XYZ[\\\\]^_`abc"));
    assert!(shown.ends_with("|}~\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff\""));
}

#[test]
fn arrays_are_numbered_and_indented() {
    // EVAL "return {1,{2,{}},{},'x'}" 0
    let r = Reply::Array(vec![
        Reply::Int(1),
        Reply::Array(vec![Reply::Int(2), Reply::Array(vec![])]),
        Reply::Array(vec![]),
        bulk("x"),
    ]);
    assert_eq!(format_reply(&r), "1) (integer) 1\n2) 1) (integer) 2\n   2) (empty array)\n3) (empty array)\n4) \"x\"\n");
    // EVAL "return {{}}" 0, "return {{1}}", "return {{{1}}}"
    assert_eq!(format_reply(&Reply::Array(vec![Reply::Array(vec![])])), "1) (empty array)\n");
    assert_eq!(format_reply(&Reply::Array(vec![Reply::Array(vec![Reply::Int(1)])])), "1) 1) (integer) 1\n");
    assert_eq!(
        format_reply(&Reply::Array(vec![Reply::Array(vec![Reply::Array(vec![Reply::Int(1)])])])),
        "1) 1) 1) (integer) 1\n"
    );
    // Nil inside an array.
    assert_eq!(format_reply(&Reply::Array(vec![Reply::Nil, Reply::NilArray])), "1) (nil)\n2) (nil)\n");
}

#[test]
fn wide_indexes_are_padded() {
    // RPUSH l a b c d e f g h i j k; LRANGE l 0 -1
    let r = Reply::bulks(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]);
    assert_eq!(
        format_reply(&r),
        " 1) \"a\"\n 2) \"b\"\n 3) \"c\"\n 4) \"d\"\n 5) \"e\"\n 6) \"f\"\n 7) \"g\"\n 8) \"h\"\n 9) \"i\"\n10) \"j\"\n11) \"k\"\n"
    );
    // EVAL "return {1,2,3,4,5,6,7,8,9,10,{1,2,{3,4}}}" 0
    let mut items: Vec<Reply> = (1..=10).map(Reply::Int).collect();
    items.push(Reply::Array(vec![Reply::Int(1), Reply::Int(2), Reply::Array(vec![Reply::Int(3), Reply::Int(4)])]));
    let expected = " 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n 5) (integer) 5\n \
                    6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n 9) (integer) 9\n10) (integer) 10\n\
                    11) 1) (integer) 1\n    2) (integer) 2\n    3) 1) (integer) 3\n       2) (integer) 4\n";
    assert_eq!(format_reply(&Reply::Array(items)), expected);
    // 100 elements: three-digit labels.
    let text = format_reply(&Reply::Array((1..=100).map(Reply::Int).collect()));
    assert!(text.starts_with("  1) (integer) 1\n  2) (integer) 2\n"));
    assert!(text.contains("\n 99) (integer) 99\n100) (integer) 100\n"));
}

#[test]
fn command_info_nesting() {
    // COMMAND INFO get, as redis-cli prints it: an outer array of one, holding ten entries.
    let key_spec = Reply::Array(vec![
        bulk("flags"),
        Reply::Array(vec![Reply::Status("RO".into()), Reply::Status("access".into())]),
        bulk("begin_search"),
        Reply::Array(vec![bulk("type"), bulk("index"), bulk("spec"), Reply::Array(vec![bulk("index"), Reply::Int(1)])]),
        bulk("find_keys"),
        Reply::Array(vec![
            bulk("type"),
            bulk("range"),
            bulk("spec"),
            Reply::Array(vec![bulk("lastkey"), Reply::Int(0), bulk("keystep"), Reply::Int(1), bulk("limit"), Reply::Int(0)]),
        ]),
    ]);
    let r = Reply::Array(vec![Reply::Array(vec![
        bulk("get"),
        Reply::Int(2),
        Reply::Array(vec![Reply::Status("readonly".into()), Reply::Status("fast".into())]),
        Reply::Int(1),
        Reply::Int(1),
        Reply::Int(1),
        Reply::Array(vec![Reply::Status("@read".into()), Reply::Status("@string".into()), Reply::Status("@fast".into())]),
        Reply::Array(vec![]),
        Reply::Array(vec![key_spec]),
        Reply::Array(vec![]),
    ])]);
    let expected = "\
1)  1) \"get\"
    2) (integer) 2
    3) 1) readonly
       2) fast
    4) (integer) 1
    5) (integer) 1
    6) (integer) 1
    7) 1) @read
       2) @string
       3) @fast
    8) (empty array)
    9) 1) 1) \"flags\"
          2) 1) RO
             2) access
          3) \"begin_search\"
          4) 1) \"type\"
             2) \"index\"
             3) \"spec\"
             4) 1) \"index\"
                2) (integer) 1
          5) \"find_keys\"
          6) 1) \"type\"
             2) \"range\"
             3) \"spec\"
             4) 1) \"lastkey\"
                2) (integer) 0
                3) \"keystep\"
                4) (integer) 1
                5) \"limit\"
                6) (integer) 0
   10) (empty array)
";
    assert_eq!(format_reply(&r), expected);
}

#[test]
fn resp3_shapes() {
    // HELLO 3 (id aside), HGETALL, an empty map, doubles, booleans.
    let hello = Reply::Map(vec![
        (bulk("server"), bulk("redis")),
        (bulk("version"), bulk("7.0.15")),
        (bulk("proto"), Reply::Int(3)),
        (bulk("modules"), Reply::Array(vec![])),
    ]);
    assert_eq!(
        format_reply(&hello),
        "1# \"server\" => \"redis\"\n2# \"version\" => \"7.0.15\"\n3# \"proto\" => (integer) 3\n4# \"modules\" => (empty array)\n"
    );
    assert_eq!(format_reply(&Reply::Map(vec![])), "(empty hash)\n");
    assert_eq!(format_reply(&Reply::Double(1.5)), "(double) 1.5\n");
    assert_eq!(format_reply(&Reply::Double(f64::INFINITY)), "(double) inf\n");
    assert_eq!(format_reply(&Reply::Double(2.72)), "(double) 2.7200000000000002\n");
    assert_eq!(format_reply(&Reply::Bool(true)), "(true)\n");
    assert_eq!(format_reply(&Reply::Bool(false)), "(false)\n");
    assert_eq!(format_reply(&Reply::Push(vec![])), "(empty push)\n");
    assert_eq!(format_reply(&Reply::Push(vec![bulk("message"), bulk("ch")])), "1) \"message\"\n2) \"ch\"\n");
}

#[test]
fn map_values_on_several_lines_start_on_their_own_line() {
    // EVAL "return {1,{map={a={1,2}}}}" 0 (RESP3)
    let r = Reply::Array(vec![
        Reply::Int(1),
        Reply::Map(vec![(bulk("a"), Reply::Array(vec![Reply::Int(1), Reply::Int(2)]))]),
    ]);
    assert_eq!(format_reply(&r), "1) (integer) 1\n2) 1# \"a\" => \n      1) (integer) 1\n      2) (integer) 2\n");
    // EVAL "return {map={x={1,2}, y={3}}}" 0
    let r = Reply::Map(vec![
        (bulk("y"), Reply::Array(vec![Reply::Int(3)])),
        (bulk("x"), Reply::Array(vec![Reply::Int(1), Reply::Int(2)])),
    ]);
    assert_eq!(format_reply(&r), "1# \"y\" => 1) (integer) 3\n2# \"x\" => \n   1) (integer) 1\n   2) (integer) 2\n");
    // EVAL "return {map={x={}, y={{1}}}}" 0
    let r = Reply::Map(vec![
        (bulk("y"), Reply::Array(vec![Reply::Array(vec![Reply::Int(1)])])),
        (bulk("x"), Reply::Array(vec![])),
    ]);
    assert_eq!(format_reply(&r), "1# \"y\" => 1) 1) (integer) 1\n2# \"x\" => (empty array)\n");
}

#[test]
fn resp2_view_of_resp3_shapes() {
    let r = Reply::Array(vec![
        Reply::Map(vec![(bulk("a"), Reply::Double(1.5)), (bulk("b"), Reply::Bool(true))]),
        Reply::Push(vec![Reply::Bool(false), Reply::Double(f64::NEG_INFINITY)]),
    ]);
    assert_eq!(
        to_resp2(&r),
        Reply::Array(vec![
            Reply::Array(vec![bulk("a"), bulk("1.5"), bulk("b"), Reply::Int(1)]),
            Reply::Array(vec![Reply::Int(0), bulk("-inf")]),
        ])
    );
    // What a RESP2 client gets, byte for byte, is what to_resp writes.
    assert_eq!(to_resp2(&r).to_resp(), r.to_resp());
}

#[test]
fn raw_output_commands() {
    assert!(wants_raw_output(&words(&["INFO"])));
    assert!(wants_raw_output(&words(&["info", "server"])));
    assert!(wants_raw_output(&words(&["lolwut"])));
    assert!(wants_raw_output(&words(&["CLIENT", "list"])));
    assert!(wants_raw_output(&words(&["client", "INFO"])));
    assert!(wants_raw_output(&words(&["memory", "doctor"])));
    assert!(wants_raw_output(&words(&["latency", "doctor"])));
    assert!(!wants_raw_output(&words(&["latency", "doctor", "x"])));
    assert!(wants_raw_output(&words(&["latency", "graph", "command"])));
    assert!(!wants_raw_output(&words(&["latency", "graph"])));
    assert!(!wants_raw_output(&words(&["client", "id"])));
    assert!(!wants_raw_output(&words(&["client"])));
    assert!(!wants_raw_output(&words(&["get", "info"])));
    assert_eq!(format_reply_raw(&bulk("# Server\r\nredis_version:7.0.15\r\n")), b"# Server\r\nredis_version:7.0.15\r\n");
    assert_eq!(format_reply_raw(&Reply::err("ERR syntax error")), b"ERR syntax error\n");
    assert_eq!(format_reply_raw(&Reply::Nil), b"");
    assert_eq!(format_reply_raw(&Reply::Int(-3)), b"-3");
    assert_eq!(format_reply_raw(&Reply::bulks(["a", "b"])), b"a\nb");
    assert_eq!(format_reply_raw(&Reply::Map(vec![(bulk("k"), bulk("v")), (bulk("x"), Reply::Int(1))])), b"k v\nx 1");
}

// ---------------------------------------------------------------------------------------------
// The console
// ---------------------------------------------------------------------------------------------

fn run(script: &[u8]) -> Vec<u8> {
    let mut engine = Engine::new();
    Console::run_script(&mut engine, script)
}

fn text(script: &str) -> String {
    String::from_utf8(run(script.as_bytes())).unwrap()
}

const UNKNOWN_A: &str = "(error) ERR unknown command 'nosuchcmd', with args beginning with: 'a' \n";

#[test]
fn console_lines_like_redis_cli() {
    assert_eq!(text("nosuchcmd a\n"), UNKNOWN_A);
    assert_eq!(text("nosuchcmd a"), UNKNOWN_A, "a last line without a newline still runs");
    assert_eq!(text("\n   \n\t\nnosuchcmd a\n\n"), UNKNOWN_A, "blank lines print nothing");
    assert_eq!(text("nosuchcmd \"a\r\n"), "Invalid argument(s)\n");
    assert_eq!(text("nosuchcmd 'a'b\n"), "Invalid argument(s)\n");
    assert_eq!(text("nosuchcmd a\r\n"), UNKNOWN_A, "a CR before the newline is a blank");
    assert_eq!(text("\0nosuchcmd a\nnosuchcmd a\0junk \"\n"), UNKNOWN_A, "a line ends at NUL");
    assert_eq!(
        text("nosuchcmd \"a b\" 'c d' \"\"\n"),
        "(error) ERR unknown command 'nosuchcmd', with args beginning with: 'a b' 'c d' '' \n"
    );
    assert_eq!(text("nosuchcmd\n"), "(error) ERR unknown command 'nosuchcmd', with args beginning with: \n");
}

#[test]
fn repeat_prefix() {
    assert_eq!(text("3 nosuchcmd a\n"), UNKNOWN_A.repeat(3));
    assert_eq!(text("+2 nosuchcmd a\n"), UNKNOWN_A.repeat(2));
    assert_eq!(text("\" 2\" nosuchcmd a\n"), UNKNOWN_A.repeat(2));
    for bad in ["0 nosuchcmd a", "-1 nosuchcmd a", "\"\" nosuchcmd a", "99999999999999999999 nosuchcmd a"] {
        assert_eq!(text(&format!("{bad}\n")), "Invalid redis-cli repeat command option value.\n", "{bad}");
    }
    // A lone number is a command; so is a word that only starts with digits.
    assert_eq!(text("3\n"), "(error) ERR unknown command '3', with args beginning with: \n");
    assert_eq!(text("3x a\n"), "(error) ERR unknown command '3x', with args beginning with: 'a' \n");
}

#[test]
fn quit_and_exit_stop_reading() {
    assert_eq!(text("nosuchcmd a\nquit\nnosuchcmd b\n"), UNKNOWN_A);
    assert_eq!(text("nosuchcmd a\nEXIT now\nnosuchcmd b\n"), UNKNOWN_A);
    let mut engine = Engine::new();
    let mut console = Console::new(&mut engine);
    let mut out = Output::new();
    assert_eq!(console.run_line(&mut engine, b"Quit", &mut out), Flow::Exit);
    assert_eq!(console.run_line(&mut engine, b"quitx", &mut out), Flow::Continue);
}

#[test]
fn internal_commands() {
    assert_eq!(text(":set hints\n:set nohints\n"), "");
    assert_eq!(text(":set x\n"), "unknown redis-cli preference 'x'\n");
    assert_eq!(text(":set\n"), "unknown redis-cli internal command ':set'\n");
    assert_eq!(text(":foo bar\n"), "unknown redis-cli internal command ':foo'\n");
    assert_eq!(text("restart\n"), "Use 'restart' only in Lua debugging mode.\n");
    let mut engine = Engine::new();
    let mut console = Console::new(&mut engine);
    let mut out = Output::new();
    console.run_line(&mut engine, b":set nohints", &mut out);
    assert!(!console.hints());
    console.run_line(&mut engine, b":SET HINTS", &mut out);
    assert!(console.hints());
}

#[test]
fn clear_overtakes_unflushed_messages() {
    // redis-cli writes `clear`'s escape straight to the terminal, ahead of messages it printed
    // without flushing (internal commands, repeat errors, help); replies are always flushed.
    let script = "nosuchcmd a\n:foo\n0 x y\nclear\nnosuchcmd b\n:set x\nhelp\nclear\nquit now\nnosuchcmd c\n";
    let mut expected = String::from(UNKNOWN_A);
    expected.push_str("\x1b[H\x1b[2J");
    expected.push_str("unknown redis-cli internal command ':foo'\n");
    expected.push_str("Invalid redis-cli repeat command option value.\n");
    expected.push_str("(error) ERR unknown command 'nosuchcmd', with args beginning with: 'b' \n");
    expected.push_str("\x1b[H\x1b[2J");
    expected.push_str("unknown redis-cli preference 'x'\n");
    expected.push_str(
        "redis-cli 7.0.15\n\
         To get help about Redis commands type:\n      \
         \"help @<group>\" to get a list of commands in <group>\n      \
         \"help <command>\" for help on <command>\n      \
         \"help <tab>\" to get a list of possible help topics\n      \
         \"quit\" to exit\n\n\
         To set redis-cli preferences:\n      \
         \":set hints\" enable online hints\n      \
         \":set nohints\" disable online hints\n\
         Set your preferences in ~/.redisclirc\n",
    );
    assert_eq!(text(script), expected);
}

#[test]
fn help_for_unknown_topics_is_an_empty_line() {
    assert_eq!(text("help nosuchcmd\n"), "\r\n");
    assert_eq!(text("? nosuchcmd\n"), "\r\n");
    assert_eq!(text("help @nosuchgroup\n"), "\r\n");
}

#[test]
fn prompt_follows_select_multi_and_reset() {
    let mut engine = Engine::new();
    let mut c = Console::new(&mut engine);
    assert_eq!(c.prompt("redis-play"), "redis-play> ");
    c.track(&words(&["SELECT", "3"]), &Reply::ok());
    assert_eq!(c.prompt("redis-play"), "redis-play[3]> ");
    c.track(&words(&["select", "16"]), &Reply::err("ERR DB index is out of range"));
    assert_eq!(c.db(), 3);
    c.track(&words(&["MULTI"]), &Reply::ok());
    assert_eq!(c.prompt("redis-play"), "redis-play[3](TX)> ");
    c.track(&words(&["select", "5"]), &Reply::Status("QUEUED".into()));
    assert_eq!(c.prompt("redis-play"), "redis-play[5](TX)> ");
    c.track(&words(&["DISCARD"]), &Reply::ok());
    assert_eq!(c.prompt("redis-play"), "redis-play[3]> ");
    // EXEC that fails (or is aborted by WATCH) goes back to the database from before MULTI.
    c.track(&words(&["multi"]), &Reply::ok());
    c.track(&words(&["select", "0"]), &Reply::Status("QUEUED".into()));
    c.track(&words(&["exec"]), &Reply::NilArray);
    assert_eq!(c.prompt("redis-play"), "redis-play[3]> ");
    c.track(&words(&["multi"]), &Reply::ok());
    c.track(&words(&["select", "0"]), &Reply::Status("QUEUED".into()));
    c.track(&words(&["exec"]), &Reply::Array(vec![Reply::ok()]));
    assert_eq!(c.prompt("redis-play"), "redis-play> ");
    c.track(&words(&["HELLO", "3"]), &Reply::Map(vec![]));
    assert!(c.resp3());
    c.track(&words(&["select", "2"]), &Reply::ok());
    c.track(&words(&["RESET"]), &Reply::Status("RESET".into()));
    assert!(!c.resp3());
    assert_eq!(c.prompt("redis-play"), "redis-play> ");
}

#[test]
fn console_never_panics_on_garbage() {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut engine = Engine::new();
    for _ in 0..300 {
        let len = (next() % 200) as usize;
        let script: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                // Mostly the characters that mean something to the console.
                if r % 3 == 0 {
                    const SPECIAL: &[u8] = b" \"'\\\n:0123x?";
                    SPECIAL[(r >> 8) as usize % SPECIAL.len()]
                } else {
                    (r >> 16) as u8
                }
            })
            .collect();
        let _ = Console::run_script(&mut engine, &script);
    }
    // A huge line.
    let mut huge = b"nosuchcmd ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 1 << 20));
    let out = run(&huge);
    assert!(out.starts_with(b"(error) ERR unknown command 'nosuchcmd', with args beginning with: 'aaaa"));
}
