//! Sorted-set commands: replies checked against transcripts recorded from a real Redis 7.0.15,
//! a model-based property test, structural checks of the tree and snapshot independence.

use redis_playground::{Engine, Reply};

// -------------------------------------------------------------------------------------------------
// Helpers: redis-cli's argument splitting and `--no-raw` reply formatting, so transcripts recorded
// from the real server can be replayed verbatim.
// -------------------------------------------------------------------------------------------------

/// Splits a line like redis-cli (`sdssplitargs`).
fn split_args(line: &str) -> Option<Vec<Vec<u8>>> {
    let b = line.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Some(out);
        }
        let mut cur = Vec::new();
        let (mut inq, mut insq) = (false, false);
        loop {
            if inq {
                let c = *b.get(i)?;
                if c == b'\\'
                    && b.get(i + 1) == Some(&b'x')
                    && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
                    && b.get(i + 3).is_some_and(|c| c.is_ascii_hexdigit())
                {
                    let h = std::str::from_utf8(&b[i + 2..i + 4]).ok()?;
                    cur.push(u8::from_str_radix(h, 16).ok()?);
                    i += 3;
                } else if c == b'\\' && i + 1 < b.len() {
                    i += 1;
                    cur.push(match b[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        o => o,
                    });
                } else if c == b'"' {
                    if i + 1 < b.len() && !b[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else if insq {
                let c = *b.get(i)?;
                if c == b'\\' && b.get(i + 1) == Some(&b'\'') {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < b.len() && !b[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    cur.push(c);
                }
            } else {
                match b.get(i) {
                    None => break,
                    Some(c) if c.is_ascii_whitespace() => break,
                    Some(b'"') => inq = true,
                    Some(b'\'') => insq = true,
                    Some(&c) => cur.push(c),
                }
            }
            i += 1;
        }
        out.push(cur);
    }
}


/// Formats a reply like `redis-cli --no-raw` (RESP2), without the final newline.
fn format_reply(r: &Reply) -> String {
    let text = redis_playground::cli::format_reply(&redis_playground::cli::to_resp2(r));
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

fn exec(e: &mut Engine, c: u64, line: &str) -> Reply {
    let argv = split_args(line).unwrap_or_else(|| panic!("bad test line {line}"));
    let reply = e.execute(c, &argv);
    match &reply {
        Reply::Error(msg) if msg.starts_with("ERR unknown command") => {
            fallback(e, &argv).unwrap_or(reply)
        }
        _ => reply,
    }
}

/// A few generic commands the transcripts use (SET, DEL, EXISTS, EXPIRE, TTL, TYPE, OBJECT ENCODING,
/// CONFIG SET, FLUSHALL), answered from the engine's state while the engine does not implement them itself.
fn fallback(e: &mut Engine, argv: &[Vec<u8>]) -> Option<Reply> {
    use redis_playground::value::Value;
    let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let db = &mut e.state.dbs[0];
    Some(match (name.as_str(), argv.len()) {
        ("set", 3) => {
            db.set(&argv[1], Value::str(&argv[2]), false);
            Reply::ok()
        }
        ("del", _) => {
            Reply::Int(argv[1..].iter().filter(|k| db.remove(k).is_some()).count() as i64)
        }
        ("exists", _) => Reply::Int(argv[1..].iter().filter(|k| db.contains(k)).count() as i64),
        ("expire", 3) => {
            let secs: i64 = std::str::from_utf8(&argv[2]).ok()?.parse().ok()?;
            let at = e.clock.now_ms() + secs * 1000;
            Reply::Int(e.state.dbs[0].set_expire(&argv[1], Some(at)) as i64)
        }
        ("ttl", 2) => {
            let now = e.clock.now_ms();
            Reply::Int(match e.state.dbs[0].get(&argv[1]) {
                None => -2,
                Some(entry) => entry.expire_at.map_or(-1, |t| (t - now + 500) / 1000),
            })
        }
        ("type", 2) => Reply::Status(
            db.get(&argv[1])
                .map_or("none", |v| v.value.type_name())
                .into(),
        ),
        ("flushall", 1) => {
            for db in e.state.dbs.iter_mut() {
                db.clear();
            }
            Reply::ok()
        }
        ("object", 3) if argv[1].eq_ignore_ascii_case(b"encoding") => {
            let config = e.state.config.clone();
            match e.state.dbs[0].get(&argv[2]) {
                Some(v) => Reply::bulk(v.value.encoding(&config)),
                None => Reply::Nil,
            }
        }
        ("config", 4) if argv[1].eq_ignore_ascii_case(b"set") => {
            let v: i64 = std::str::from_utf8(&argv[3]).ok()?.parse().ok()?;
            match String::from_utf8_lossy(&argv[2])
                .to_ascii_lowercase()
                .as_str()
            {
                "zset-max-listpack-entries" | "zset-max-ziplist-entries" => {
                    e.state.config.zset_max_listpack_entries = v
                }
                "zset-max-listpack-value" | "zset-max-ziplist-value" => {
                    e.state.config.zset_max_listpack_value = v
                }
                _ => return None,
            }
            Reply::ok()
        }
        _ => return None,
    })
}

fn run(e: &mut Engine, c: u64, line: &str) -> String {
    format_reply(&exec(e, c, line))
}

/// Replays a transcript: `> command` lines, each followed by the reply redis-cli printed.
fn replay(e: &mut Engine, transcript: &str) {
    let c = e.open_client();
    let mut lines = transcript.lines().peekable();
    let mut n = 0;
    while let Some(line) = lines.next() {
        let Some(cmd) = line.strip_prefix("> ") else {
            assert!(line.trim().is_empty(), "stray transcript line {line:?}");
            continue;
        };
        let mut expected = Vec::new();
        while let Some(l) = lines.peek() {
            if l.starts_with("> ") {
                break;
            }
            expected.push(*l);
            lines.next();
        }
        while expected.last().is_some_and(|l| l.is_empty()) {
            expected.pop();
        }
        let got = run(e, c, cmd);
        assert_eq!(got, expected.join("\n"), "reply to `{cmd}` (command #{n})");
        n += 1;
    }
}

fn transcript(t: &str) {
    let mut e = Engine::new();
    replay(&mut e, t);
}

/// ZADD's options, their conflicts and errors; ZINCRBY; score printing and parsing.
#[test]
fn zadd_zincrby_zscore_zmscore_zcard() {
    transcript(
        r#"
> ZADD z 1 a 2 b 3 c
(integer) 3
> ZADD z 1 a
(integer) 0
> ZADD z nx xx 1
(error) ERR syntax error
> ZADD z nx xx 1 a
(error) ERR XX and NX options at the same time are not compatible
> ZADD z gt lt 1 a
(error) ERR GT, LT, and/or NX options at the same time are not compatible
> ZADD z nx gt 1 a
(error) ERR GT, LT, and/or NX options at the same time are not compatible
> ZADD z NX LT 1 a
(error) ERR GT, LT, and/or NX options at the same time are not compatible
> ZADD z incr 1 a 2 b
(error) ERR INCR option supports a single increment-element pair
> ZADD z nx xx incr 1 a 2 b
(error) ERR XX and NX options at the same time are not compatible
> ZADD z 1 a x b
(error) ERR value is not a valid float
> ZADD z 1 a 2
(error) ERR syntax error
> ZADD z ch
(error) ERR wrong number of arguments for 'zadd' command
> ZADD z foo 1 a
(error) ERR syntax error
> SET s x
OK
> ZADD s 1 a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZADD s x a
(error) ERR value is not a valid float
> ZINCRBY s 1 a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZADD missing xx 1 a
(integer) 0
> EXISTS missing
(integer) 0
> ZADD missing xx incr 1 a
(nil)
> ZADD missing xx lt 1 a
(integer) 0
> ZADD z nx 10 a 4 d
(integer) 1
> ZSCORE z a
"1"
> ZSCORE z d
"4"
> ZADD z xx 10 a 5 e
(integer) 0
> ZSCORE z e
(nil)
> ZADD z xx ch 10 a 11 b 5 e
(integer) 1
> ZADD z gt ch 5 a 20 b
(integer) 1
> ZRANGE z 0 -1 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
5) "a"
6) "10"
7) "b"
8) "20"
> ZADD z lt ch 1 a 30 b 0 f
(integer) 2
> ZRANGE z 0 -1 WITHSCORES
 1) "f"
 2) "0"
 3) "a"
 4) "1"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "b"
10) "20"
> ZADD z xx gt 100 c
(integer) 0
> ZADD z XX GT CH 1 c
(integer) 0
> ZADD z CH 1 a 1 b 1 c
(integer) 2
> ZADD z incr 2.5 a
"3.5"
> ZADD z incr -inf a
"-inf"
> ZADD z incr +inf a
(error) ERR resulting score is not a number (NaN)
> ZADD z incr nan a
(error) ERR value is not a valid float
> ZADD z incr 1 a
"-inf"
> ZSCORE z a
"-inf"
> ZADD z xx incr 1 nosuch
(nil)
> ZADD z nx incr 1 c
(nil)
> ZADD z gt incr -1 c
(nil)
> ZADD z lt incr -1 c
"0"
> ZADD z lt incr 0 c
(nil)
> ZADD z gt incr 0 c
(nil)
> ZADD z incr 0 c
"0"
> ZINCRBY z 1.5 c
"1.5"
> ZINCRBY z -1.5 c
"0"
> ZINCRBY z 1 newmember
"1"
> ZINCRBY z abc c
(error) ERR value is not a valid float
> ZINCRBY z nx c
(error) ERR syntax error
> ZINCRBY z 1 nx
"1"
> ZSCORE z nx
"1"
> ZINCRBY z inf newmember
"inf"
> ZINCRBY z -inf newmember
(error) ERR resulting score is not a number (NaN)
> ZSCORE z newmember
"inf"
> ZADD z 1.1 f
(integer) 0
> ZSCORE z f
"1.1000000000000001"
> ZADD z 0.1 g
(integer) 1
> ZINCRBY z 0.2 g
"0.30000000000000004"
> ZADD z 1e17 h 123456789012345678 i 1e-5 j -2.5e-300 k
(integer) 4
> ZRANGE z 0 -1 WITHSCORES
 1) "a"
 2) "-inf"
 3) "k"
 4) "-2.5e-300"
 5) "c"
 6) "0"
 7) "j"
 8) "1.0000000000000001e-05"
 9) "g"
10) "0.30000000000000004"
11) "b"
12) "1"
13) "nx"
14) "1"
15) "f"
16) "1.1000000000000001"
17) "d"
18) "4"
19) "h"
20) "1e+17"
21) "i"
22) "1.2345678901234568e+17"
23) "newmember"
24) "inf"
> ZADD z 1e400 x
(error) ERR value is not a valid float
> ZADD z 1e-400 x
(error) ERR value is not a valid float
> ZADD z " 1" x
(error) ERR value is not a valid float
> ZADD z "1 " x
(error) ERR value is not a valid float
> ZADD z "" x
(error) ERR value is not a valid float
> ZADD z +1 p1 .5 p2 5. p3 1E3 p4 INF p5 -Infinity p6
(integer) 6
> ZRANGE z 0 -1 WITHSCORES
 1) "a"
 2) "-inf"
 3) "p6"
 4) "-inf"
 5) "k"
 6) "-2.5e-300"
 7) "c"
 8) "0"
 9) "j"
10) "1.0000000000000001e-05"
11) "g"
12) "0.30000000000000004"
13) "p2"
14) "0.5"
15) "b"
16) "1"
17) "nx"
18) "1"
19) "p1"
20) "1"
21) "f"
22) "1.1000000000000001"
23) "d"
24) "4"
25) "p3"
26) "5"
27) "p4"
28) "1000"
29) "h"
30) "1e+17"
31) "i"
32) "1.2345678901234568e+17"
33) "newmember"
34) "inf"
35) "p5"
36) "inf"
> ZCARD z
(integer) 18
> ZCARD nokey
(integer) 0
> ZCARD s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZSCORE nokey a
(nil)
> ZSCORE z nosuch
(nil)
> ZSCORE s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZMSCORE z a nosuch f
1) "-inf"
2) (nil)
3) "1.1000000000000001"
> ZMSCORE nokey a b
1) (nil)
2) (nil)
> ZMSCORE s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
"#,
    );
}

/// ZRANGE by rank and by score, ZREVRANGE, Z[REV]RANGEBYSCORE: options, LIMIT quirks, range parsing.
#[test]
fn zrange_by_rank_and_score() {
    transcript(
        r#"
> ZADD z 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZRANGE z 0 -1
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 -1 WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "2"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "e"
10) "5"
> ZRANGE z 1 3
1) "b"
2) "c"
3) "d"
> ZRANGE z -2 -1
1) "d"
2) "e"
> ZRANGE z -100 100
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 3 1
(empty array)
> ZRANGE z 5 10
(empty array)
> ZRANGE z -1 -2
(empty array)
> ZRANGE z 0 0 withscores
1) "a"
2) "1"
> ZRANGE z 0 -1 REV
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZRANGE z 0 1 REV WITHSCORES
1) "e"
2) "5"
3) "d"
4) "4"
> ZRANGE z a b
(error) ERR value is not an integer or out of range
> ZRANGE z 0 1.5
(error) ERR value is not an integer or out of range
> ZRANGE z 0 9223372036854775807
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z -9223372036854775808 9223372036854775807
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 99999999999999999999
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> ZRANGE z 0 -1 LIMIT 0 -1
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 -1 LIMIT 0
(error) ERR syntax error
> ZRANGE z 0 -1 LIMIT x 1
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1 FOO
(error) ERR syntax error
> ZRANGE z 0 -1 REV REV
(error) ERR syntax error
> ZRANGE z 0 -1 BYSCORE BYLEX
(error) ERR syntax error
> ZRANGE z 2 4 BYSCORE
1) "b"
2) "c"
3) "d"
> ZRANGE z (2 4 BYSCORE
1) "c"
2) "d"
> ZRANGE z (2 (4 BYSCORE WITHSCORES
1) "c"
2) "3"
> ZRANGE z 4 2 BYSCORE REV
1) "d"
2) "c"
3) "b"
> ZRANGE z 2 4 BYSCORE REV
(empty array)
> ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES
1) "d"
2) "4"
3) "c"
4) "3"
> ZRANGE z -inf +inf BYSCORE LIMIT 1 2
1) "b"
2) "c"
> ZRANGE z -inf +inf BYSCORE LIMIT 1 -1
1) "b"
2) "c"
3) "d"
4) "e"
> ZRANGE z -inf +inf BYSCORE LIMIT -1 2
(empty array)
> ZRANGE z -inf +inf BYSCORE LIMIT 5 2
(empty array)
> ZRANGE z -inf +inf BYSCORE LIMIT 4 2
1) "e"
> ZRANGE z -inf +inf BYSCORE LIMIT 0 0
(empty array)
> ZRANGE z a b BYSCORE
(error) ERR min or max is not a float
> ZRANGE z [a [c BYLEX
1) "a"
2) "b"
3) "c"
> ZRANGE z [a [c BYLEX WITHSCORES
(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX
> ZRANGE z - + BYLEX LIMIT 1 2
1) "b"
2) "c"
> ZRANGE z + - BYLEX REV LIMIT 1 2
1) "d"
2) "c"
> ZRANGE z a c BYLEX
(error) ERR min or max not valid string range item
> ZRANGE z 0 -1 withscores LIMIT 0 1 BYSCORE
(empty array)
> ZRANGE nokey 0 -1
(empty array)
> ZRANGE nokey 0 -1 BYSCORE
(empty array)
> ZRANGE nokey a b
(error) ERR value is not an integer or out of range
> ZRANGE nokey 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> SET s x
OK
> ZRANGE s 0 -1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGE s a b
(error) ERR value is not an integer or out of range
> ZREVRANGE z 0 -1
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZREVRANGE z 0 1 WITHSCORES
1) "e"
2) "5"
3) "d"
4) "4"
> ZREVRANGE z 1 1 withscores
1) "d"
2) "4"
> ZREVRANGE z -1 -1
1) "a"
> ZREVRANGE z 0 -1 REV
(error) ERR syntax error
> ZREVRANGE z 0 -1 BYSCORE
(error) ERR syntax error
> ZREVRANGE z 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> ZREVRANGE z 0 -1 LIMIT 0 -1
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZRANGEBYSCORE z 2 4
1) "b"
2) "c"
3) "d"
> ZRANGEBYSCORE z -inf +inf WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "2"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "e"
10) "5"
> ZRANGEBYSCORE z (1 (5
1) "b"
2) "c"
3) "d"
> ZRANGEBYSCORE z (1 (1
(empty array)
> ZRANGEBYSCORE z 1 1
1) "a"
> ZRANGEBYSCORE z 5 1
(empty array)
> ZRANGEBYSCORE z -inf +inf LIMIT 2 2
1) "c"
2) "d"
> ZRANGEBYSCORE z -inf +inf LIMIT 2 2 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
> ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 4 10
1) "e"
2) "5"
> ZRANGEBYSCORE z -inf +inf LIMIT 2
(error) ERR syntax error
> ZRANGEBYSCORE z -inf +inf REV
(error) ERR syntax error
> ZRANGEBYSCORE z -inf +inf BYSCORE
(error) ERR syntax error
> ZRANGEBYSCORE z x 1
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 1 x
(error) ERR min or max is not a float
> ZRANGEBYSCORE z ( 1
1) "a"
> ZRANGEBYSCORE z "" 1
1) "a"
> ZRANGEBYSCORE z "(" "(5"
1) "a"
2) "b"
3) "c"
4) "d"
> ZRANGEBYSCORE z nan 1
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 1 (nan
(error) ERR min or max is not a float
> ZRANGEBYSCORE z "  2" 3
1) "b"
2) "c"
> ZRANGEBYSCORE z 0x2 0x1.8p1
1) "b"
2) "c"
> ZRANGEBYSCORE z 1e0 3E0
1) "a"
2) "b"
3) "c"
> ZRANGEBYSCORE z -inf 1e400
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGEBYSCORE z -Infinity INF
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGEBYSCORE z 1e 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 0x 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z . 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 2. 3.
1) "b"
2) "c"
> ZRANGEBYSCORE z .2e1 3
1) "b"
2) "c"
> ZRANGEBYSCORE s 1 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGEBYSCORE nokey 1 2
(empty array)
> ZREVRANGEBYSCORE z 4 2
1) "d"
2) "c"
3) "b"
> ZREVRANGEBYSCORE z 2 4
(empty array)
> ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 1 3
1) "d"
2) "4"
3) "c"
4) "3"
5) "b"
6) "2"
> ZREVRANGEBYSCORE z (5 (1
1) "d"
2) "c"
3) "b"
> ZREVRANGEBYSCORE z +inf -inf LIMIT 4 5
1) "a"
> ZREVRANGEBYSCORE z +inf -inf LIMIT 5 5
(empty array)
> ZREVRANGEBYSCORE z +inf -inf LIMIT -1 5
(empty array)
> ZREVRANGEBYSCORE z +inf -inf REV
(error) ERR syntax error
> ZREVRANGEBYSCORE z x 1
(error) ERR min or max is not a float
"#,
    );
}

/// Lex ranges: bounds, LIMIT, REV, errors, binary members, and the linear listpack walk when scores differ.
#[test]
fn zrangebylex_zlexcount() {
    transcript(
        r#"
> ZADD l 0 a 0 b 0 c 0 d 0 e 0 f 0 g
(integer) 7
> ZRANGEBYLEX l - +
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
6) "f"
7) "g"
> ZRANGEBYLEX l - [c
1) "a"
2) "b"
3) "c"
> ZRANGEBYLEX l - (c
1) "a"
2) "b"
> ZRANGEBYLEX l [aaa (g
1) "b"
2) "c"
3) "d"
4) "e"
5) "f"
> ZRANGEBYLEX l [b [b
1) "b"
> ZRANGEBYLEX l (b (b
(empty array)
> ZRANGEBYLEX l (b [b
(empty array)
> ZRANGEBYLEX l [e [b
(empty array)
> ZRANGEBYLEX l + -
(empty array)
> ZRANGEBYLEX l - -
(empty array)
> ZRANGEBYLEX l + +
(empty array)
> ZRANGEBYLEX l [ +
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
6) "f"
7) "g"
> ZRANGEBYLEX l ( +
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
6) "f"
7) "g"
> ZRANGEBYLEX l - [
(empty array)
> ZRANGEBYLEX l - +x
(error) ERR min or max not valid string range item
> ZRANGEBYLEX l -x +
(error) ERR min or max not valid string range item
> ZRANGEBYLEX l a +
(error) ERR min or max not valid string range item
> ZRANGEBYLEX l "" +
(error) ERR min or max not valid string range item
> ZRANGEBYLEX l - + LIMIT 2 3
1) "c"
2) "d"
3) "e"
> ZRANGEBYLEX l - + LIMIT 2 -1
1) "c"
2) "d"
3) "e"
4) "f"
5) "g"
> ZRANGEBYLEX l - + LIMIT -1 3
(empty array)
> ZRANGEBYLEX l - + LIMIT 10 3
(empty array)
> ZRANGEBYLEX l - + LIMIT 0 0
(empty array)
> ZRANGEBYLEX l - + LIMIT 0
(error) ERR syntax error
> ZRANGEBYLEX l - + WITHSCORES
(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX
> ZRANGEBYLEX l - + BYLEX
(error) ERR syntax error
> ZRANGEBYLEX l - + REV
(error) ERR syntax error
> ZREVRANGEBYLEX l + -
1) "g"
2) "f"
3) "e"
4) "d"
5) "c"
6) "b"
7) "a"
> ZREVRANGEBYLEX l [e (b
1) "e"
2) "d"
3) "c"
> ZREVRANGEBYLEX l (e [b LIMIT 1 2
1) "c"
2) "b"
> ZREVRANGEBYLEX l + - LIMIT 6 5
1) "a"
> ZREVRANGEBYLEX l + - LIMIT 7 5
(empty array)
> ZREVRANGEBYLEX l - +
(empty array)
> ZREVRANGEBYLEX l x +
(error) ERR min or max not valid string range item
> ZRANGE l [c + BYLEX
1) "c"
2) "d"
3) "e"
4) "f"
5) "g"
> ZRANGE l [c + BYLEX REV
(empty array)
> ZRANGE l + [c BYLEX REV LIMIT 1 1
1) "f"
> ZLEXCOUNT l - +
(integer) 7
> ZLEXCOUNT l [b (e
(integer) 3
> ZLEXCOUNT l (b (b
(integer) 0
> ZLEXCOUNT l [z +
(integer) 0
> ZLEXCOUNT l - (a
(integer) 0
> ZLEXCOUNT l x y
(error) ERR min or max not valid string range item
> ZLEXCOUNT nokey - +
(integer) 0
> ZLEXCOUNT nokey x y
(error) ERR min or max not valid string range item
> SET s x
OK
> ZLEXCOUNT s - +
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGEBYLEX s - +
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGEBYLEX nokey - +
(empty array)
> ZADD m 1 a 2 b 3 c 0 d 5 e 4 f 0 g
(integer) 7
> ZRANGE m 0 -1 WITHSCORES
 1) "d"
 2) "0"
 3) "g"
 4) "0"
 5) "a"
 6) "1"
 7) "b"
 8) "2"
 9) "c"
10) "3"
11) "f"
12) "4"
13) "e"
14) "5"
> ZRANGEBYLEX m - +
1) "d"
2) "g"
3) "a"
4) "b"
5) "c"
6) "f"
7) "e"
> ZRANGEBYLEX m [b [e
1) "d"
> ZRANGEBYLEX m [d +
1) "d"
2) "g"
3) "a"
4) "b"
5) "c"
6) "f"
7) "e"
> ZRANGEBYLEX m [c +
1) "d"
2) "g"
3) "a"
4) "b"
5) "c"
6) "f"
7) "e"
> ZRANGEBYLEX m (a [f
1) "d"
> ZREVRANGEBYLEX m [f [b
1) "e"
2) "f"
3) "c"
4) "b"
> ZREVRANGEBYLEX m + [e
1) "e"
2) "f"
> ZREVRANGEBYLEX m [c -
(empty array)
> ZLEXCOUNT m [b [e
(integer) 1
> ZLEXCOUNT m - [c
(integer) 0
> ZLEXCOUNT m [a [b
(integer) 0
> ZREMRANGEBYLEX m [b [e
(integer) 1
> ZRANGE m 0 -1 WITHSCORES
 1) "g"
 2) "0"
 3) "a"
 4) "1"
 5) "b"
 6) "2"
 7) "c"
 8) "3"
 9) "f"
10) "4"
11) "e"
12) "5"
> ZADD w 0 "" 0 "a\x00b" 0 "a" 0 "A" 0 "\xff" 0 "ab" 0 "aa"
(integer) 7
> ZRANGEBYLEX w - +
1) ""
2) "A"
3) "a"
4) "a\x00b"
5) "aa"
6) "ab"
7) "\xff"
> ZRANGEBYLEX w [a [ab
1) "a"
2) "a\x00b"
3) "aa"
4) "ab"
> ZRANGEBYLEX w ( +
1) "A"
2) "a"
3) "a\x00b"
4) "aa"
5) "ab"
6) "\xff"
> ZRANGEBYLEX w [ (a
1) ""
2) "A"
> ZRANGEBYLEX w "[a\x00" +
1) "a\x00b"
2) "aa"
3) "ab"
4) "\xff"
> ZLEXCOUNT w ("" +
(integer) 6
"#,
    );
}

/// ZRANK, ZREM, ZREMRANGEBY*, ZPOPMIN/ZPOPMAX and ZMPOP, including emptied keys disappearing.
#[test]
fn zrank_zrem_zremrange_zpop_zmpop() {
    transcript(
        r#"
> ZADD z 1 a 2 b 3 c 4 d 5 e 6 f
(integer) 6
> ZRANK z a
(integer) 0
> ZRANK z f
(integer) 5
> ZRANK z nosuch
(nil)
> ZREVRANK z a
(integer) 5
> ZREVRANK z f
(integer) 0
> ZREVRANK z nosuch
(nil)
> ZRANK nokey a
(nil)
> ZREVRANK nokey a
(nil)
> SET s x
OK
> ZRANK s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREVRANK s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREM z a nosuch b
(integer) 2
> ZREM z nosuch
(integer) 0
> ZREM nokey a
(integer) 0
> ZREM s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGE z 0 -1
1) "c"
2) "d"
3) "e"
4) "f"
> ZREMRANGEBYRANK z 0 0
(integer) 1
> ZREMRANGEBYRANK z -1 -1
(integer) 1
> ZREMRANGEBYRANK z 5 10
(integer) 0
> ZREMRANGEBYRANK z 2 1
(integer) 0
> ZREMRANGEBYRANK z x 1
(error) ERR value is not an integer or out of range
> ZREMRANGEBYRANK z 1 x
(error) ERR value is not an integer or out of range
> ZREMRANGEBYRANK nokey 0 -1
(integer) 0
> ZREMRANGEBYRANK s 0 -1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYRANK s x 1
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1
1) "d"
2) "e"
> ZADD z 10 x 20 y 30 w
(integer) 3
> ZREMRANGEBYSCORE z (10 20
(integer) 1
> ZREMRANGEBYSCORE z 100 200
(integer) 0
> ZREMRANGEBYSCORE z x 1
(error) ERR min or max is not a float
> ZREMRANGEBYSCORE z 1 (x
(error) ERR min or max is not a float
> ZREMRANGEBYSCORE nokey 1 2
(integer) 0
> ZREMRANGEBYSCORE s 1 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYSCORE s x 2
(error) ERR min or max is not a float
> ZRANGE z 0 -1 WITHSCORES
1) "d"
2) "4"
3) "e"
4) "5"
5) "x"
6) "10"
7) "w"
8) "30"
> ZREMRANGEBYSCORE z -inf +inf
(integer) 4
> EXISTS z
(integer) 0
> ZADD l 0 a 0 b 0 c 0 d
(integer) 4
> ZREMRANGEBYLEX l [b (d
(integer) 2
> ZREMRANGEBYLEX l x y
(error) ERR min or max not valid string range item
> ZREMRANGEBYLEX l (z +
(integer) 0
> ZREMRANGEBYLEX nokey - +
(integer) 0
> ZREMRANGEBYLEX s - +
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYLEX s x +
(error) ERR min or max not valid string range item
> ZRANGE l 0 -1
1) "a"
2) "d"
> ZREMRANGEBYLEX l - +
(integer) 2
> EXISTS l
(integer) 0
> ZADD r 1 a
(integer) 1
> ZREM r a
(integer) 1
> EXISTS r
(integer) 0
> ZADD r 1 a 2 b
(integer) 2
> ZREM r a b c
(integer) 2
> EXISTS r
(integer) 0
> ZADD r 1 a 2 b 3 c
(integer) 3
> ZREMRANGEBYRANK r 0 -1
(integer) 3
> EXISTS r
(integer) 0
> ZADD p 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZPOPMIN p
1) "a"
2) "1"
> ZPOPMAX p
1) "e"
2) "5"
> ZPOPMIN p 2
1) "b"
2) "2"
3) "c"
4) "3"
> ZPOPMAX p 0
(empty array)
> ZPOPMIN p -1
(error) ERR value is out of range, must be positive
> ZPOPMIN p abc
(error) ERR value is out of range, must be positive
> ZPOPMIN p 1 2
(error) ERR syntax error
> ZPOPMAX p 10
1) "d"
2) "4"
> EXISTS p
(integer) 0
> ZPOPMIN p
(empty array)
> ZPOPMAX p 3
(empty array)
> ZPOPMIN s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZPOPMIN s 0
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZPOPMIN nokey -1
(error) ERR value is out of range, must be positive
> ZADD p 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZMPOP 1 p MIN
1) "p"
2) 1) 1) "a"
      2) "1"
> ZMPOP 1 p MAX COUNT 2
1) "p"
2) 1) 1) "e"
      2) "5"
   2) 1) "d"
      2) "4"
> ZMPOP 2 nokey p min count 10
1) "p"
2) 1) 1) "b"
      2) "2"
   2) 1) "c"
      2) "3"
> ZMPOP 2 nokey p min count 10
(nil)
> EXISTS p
(integer) 0
> ZADD p 1 a 2 b
(integer) 2
> ZMPOP 3 nokey s p MIN
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZMPOP 3 nokey p s MAX
1) "p"
2) 1) 1) "b"
      2) "2"
> ZMPOP 1 p MIN COUNT 0
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT -1
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT abc
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT 1 COUNT 1
(error) ERR syntax error
> ZMPOP 1 p MIN COUNT
(error) ERR syntax error
> ZMPOP 1 p foo
(error) ERR syntax error
> ZMPOP 1 p MIN foo
(error) ERR syntax error
> ZMPOP 0 p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP -1 p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP abc p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP 3 p MIN
(error) ERR syntax error
> ZMPOP 9223372036854775807 p MIN
(error) ERR syntax error
> ZMPOP 2 p MIN
(error) ERR syntax error
> ZMPOP 1 p
(error) ERR wrong number of arguments for 'zmpop' command
"#,
    );
}

/// ZRANGESTORE, the listpack/skiplist encoding rules, config limits, and how a listpack turns -0 into 0.
#[test]
fn zrangestore_and_encodings() {
    transcript(
        r#"
> ZADD z 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZRANGESTORE dst z 0 -1
(integer) 5
> ZRANGE dst 0 -1 WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "2"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "e"
10) "5"
> ZRANGESTORE dst z 1 2 REV
(integer) 2
> ZRANGE dst 0 -1 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
> ZRANGESTORE dst z (1 4 BYSCORE LIMIT 1 2
(integer) 2
> ZRANGE dst 0 -1 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
> ZRANGESTORE dst z 4 (1 BYSCORE REV LIMIT 0 2
(integer) 2
> ZRANGE dst 0 -1 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
> ZRANGESTORE dst z [b [d BYLEX
(integer) 3
> ZRANGE dst 0 -1
1) "b"
2) "c"
3) "d"
> ZRANGESTORE dst z 0 -1 WITHSCORES
(error) ERR syntax error
> ZRANGESTORE dst z 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> ZRANGESTORE dst z a b BYSCORE
(error) ERR min or max is not a float
> ZRANGESTORE dst z 0 -1 BYLEX
(error) ERR min or max not valid string range item
> ZRANGESTORE dst z 5 10
(integer) 0
> EXISTS dst
(integer) 0
> ZRANGESTORE dst z 0 -1
(integer) 5
> ZRANGESTORE dst nokey 0 -1
(integer) 0
> EXISTS dst
(integer) 0
> SET s x
OK
> ZRANGESTORE dst s 0 -1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGESTORE s z 0 1
(integer) 2
> TYPE s
zset
> ZRANGE s 0 -1
1) "a"
2) "b"
> OBJECT ENCODING z
"listpack"
> ZADD big 1 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
(integer) 1
> OBJECT ENCODING big
"skiplist"
> ZADD big 2 short
(integer) 1
> ZREM big "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
(integer) 1
> OBJECT ENCODING big
"skiplist"
> ZRANGESTORE big2 big 0 -1
(integer) 1
> OBJECT ENCODING big2
"listpack"
> ZADD e 1 a
(integer) 1
> OBJECT ENCODING e
"listpack"
> ZADD e 2 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
(integer) 1
> OBJECT ENCODING e
"skiplist"
> ZADD nz -0 a
(integer) 1
> ZSCORE nz a
"0"
> ZINCRBY nz -0 b
"-0"
> ZSCORE nz b
"0"
> ZRANGE nz 0 -1 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
> CONFIG SET zset-max-listpack-entries 2
OK
> ZADD k 1 a 2 b
(integer) 2
> OBJECT ENCODING k
"listpack"
> ZADD k 3 c
(integer) 1
> OBJECT ENCODING k
"skiplist"
> ZREM k c b
(integer) 2
> OBJECT ENCODING k
"skiplist"
> ZADD nz2 -0 a 0 b
(integer) 2
> OBJECT ENCODING nz2
"listpack"
> ZADD nz2 -0 c
(integer) 1
> ZRANGE nz2 0 -1 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "-0"
> ZSCORE nz2 c
"-0"
> ZUNIONSTORE u 1 nz2
(integer) 3
> OBJECT ENCODING u
"skiplist"
> ZRANGE u 0 -1 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "-0"
> ZRANGESTORE r1 nz2 0 -1
(integer) 3
> OBJECT ENCODING r1
"skiplist"
> ZRANGE r1 0 -1 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "-0"
> ZRANGESTORE r2 nz2 0 1
(integer) 2
> OBJECT ENCODING r2
"listpack"
> ZRANGESTORE r3 nz2 -inf +inf BYSCORE
(integer) 3
> OBJECT ENCODING r3
"skiplist"
> ZRANGE r3 0 -1 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "-0"
> CONFIG SET zset-max-listpack-entries 0
OK
> ZADD k0 1 a
(integer) 1
> OBJECT ENCODING k0
"skiplist"
> ZUNIONSTORE u0 1 k0
(integer) 1
> OBJECT ENCODING u0
"skiplist"
> CONFIG SET zset-max-listpack-entries 128
OK
> CONFIG SET zset-max-listpack-value 1
OK
> ZADD v1 1 ab
(integer) 1
> OBJECT ENCODING v1
"skiplist"
> ZADD v2 1 a
(integer) 1
> OBJECT ENCODING v2
"listpack"
> ZADD v2 2 bc
(integer) 1
> OBJECT ENCODING v2
"skiplist"
> CONFIG SET zset-max-listpack-value 64
OK
> ZADD neg 0 a
(integer) 1
> ZADD neg -0 a
(integer) 0
> ZSCORE neg a
"0"
> ZINCRBY neg -0 a
"0"
"#,
    );
}

/// ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD: WEIGHTS, AGGREGATE, infinities, errors.
#[test]
fn zunion_zinter_zdiff_and_stores() {
    transcript(
        r#"
> ZADD z1 1 a 2 b 3 c
(integer) 3
> ZADD z2 10 b 20 c 30 d
(integer) 3
> ZADD z3 100 c 200 d 300 e 400 f
(integer) 4
> ZUNION 2 z1 z2
1) "a"
2) "b"
3) "c"
4) "d"
> ZUNION 2 z1 z2 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZUNION 3 z1 z2 z3 WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "12"
 5) "c"
 6) "123"
 7) "d"
 8) "230"
 9) "e"
10) "300"
11) "f"
12) "400"
> ZUNION 2 z1 z2 WEIGHTS 2 0.5 WITHSCORES
1) "a"
2) "2"
3) "b"
4) "9"
5) "d"
6) "15"
7) "c"
8) "16"
> ZUNION 2 z1 z2 AGGREGATE MIN WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
7) "d"
8) "30"
> ZUNION 2 z1 z2 AGGREGATE max WITHSCORES
1) "a"
2) "1"
3) "b"
4) "10"
5) "c"
6) "20"
7) "d"
8) "30"
> ZUNION 2 z1 z2 AGGREGATE sum WEIGHTS 1 -1 WITHSCORES
1) "d"
2) "-30"
3) "c"
4) "-17"
5) "b"
6) "-8"
7) "a"
8) "1"
> ZUNION 2 z1 nokey WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZUNION 1 nokey
(empty array)
> ZUNION 1 nokey WITHSCORES
(empty array)
> ZUNION 0 z1
(error) ERR at least 1 input key is needed for 'zunion' command
> ZUNION -1 z1
(error) ERR at least 1 input key is needed for 'zunion' command
> ZUNION x z1
(error) ERR value is not an integer or out of range
> ZUNION 3 z1 z2
(error) ERR syntax error
> ZUNION 1 z1 WEIGHTS
(error) ERR syntax error
> ZUNION 1 z1 WEIGHTS x
(error) ERR weight value is not a float
> ZUNION 2 z1 z2 WEIGHTS 1
(error) ERR syntax error
> ZUNION 1 z1 AGGREGATE
(error) ERR syntax error
> ZUNION 1 z1 AGGREGATE avg
(error) ERR syntax error
> ZUNION 1 z1 WITHSCORES WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZUNION 1 z1 LIMIT 1
(error) ERR syntax error
> ZUNION 1 z1 foo
(error) ERR syntax error
> SET s x
OK
> ZUNION 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZUNION 2 z1 s WEIGHTS x
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZINTER 2 z1 z2 WITHSCORES
1) "b"
2) "12"
3) "c"
4) "23"
> ZINTER 3 z1 z2 z3 WITHSCORES
1) "c"
2) "123"
> ZINTER 2 z1 z2 AGGREGATE MAX WITHSCORES
1) "b"
2) "10"
3) "c"
4) "20"
> ZINTER 2 z1 z2 WEIGHTS 0 1 AGGREGATE MIN WITHSCORES
1) "b"
2) "0"
3) "c"
4) "0"
> ZINTER 2 z1 nokey
(empty array)
> ZINTER 1 z1
1) "a"
2) "b"
3) "c"
> ZINTER 0 z1
(error) ERR at least 1 input key is needed for 'zinter' command
> ZINTER 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZDIFF 2 z3 z2 WITHSCORES
1) "e"
2) "300"
3) "f"
4) "400"
> ZDIFF 3 z3 z1 z2
1) "e"
2) "f"
> ZDIFF 1 z1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZDIFF 2 z1 z1
(empty array)
> ZDIFF 2 nokey z1
(empty array)
> ZDIFF 2 z1 nokey
1) "a"
2) "b"
3) "c"
> ZDIFF 1 z1 WEIGHTS 1
(error) ERR syntax error
> ZDIFF 1 z1 AGGREGATE SUM
(error) ERR syntax error
> ZDIFF 0 z1
(error) ERR at least 1 input key is needed for 'zdiff' command
> ZDIFF 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZUNIONSTORE dst 2 z1 z2
(integer) 4
> ZRANGE dst 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZUNIONSTORE dst 2 z1 z2 WEIGHTS 1 2 AGGREGATE MAX
(integer) 4
> ZRANGE dst 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "20"
5) "c"
6) "40"
7) "d"
8) "60"
> ZUNIONSTORE dst 1 z1 WITHSCORES
(error) ERR syntax error
> ZUNIONSTORE dst 0 z1
(error) ERR at least 1 input key is needed for 'zunionstore' command
> ZUNIONSTORE dst 1 nokey
(integer) 0
> EXISTS dst
(integer) 0
> ZINTERSTORE dst 2 z1 z2
(integer) 2
> ZRANGE dst 0 -1 WITHSCORES
1) "b"
2) "12"
3) "c"
4) "23"
> ZINTERSTORE dst 2 z1 z3
(integer) 1
> EXISTS dst
(integer) 1
> ZINTERSTORE dst 1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZDIFFSTORE dst 2 z2 z1
(integer) 1
> ZRANGE dst 0 -1 WITHSCORES
1) "d"
2) "30"
> ZDIFFSTORE dst 2 z1 z1
(integer) 0
> EXISTS dst
(integer) 0
> ZDIFFSTORE dst 1 z1 WEIGHTS 1
(error) ERR syntax error
> ZUNIONSTORE s 1 z1
(integer) 3
> TYPE s
zset
> ZRANGE s 0 -1
1) "a"
2) "b"
3) "c"
> ZUNIONSTORE z1 2 z1 z2
(integer) 4
> ZRANGE z1 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZADD inf1 inf a -inf b 1 c
(integer) 3
> ZADD inf2 -inf a inf b 2 c
(integer) 3
> ZUNION 2 inf1 inf2 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "3"
> ZINTER 2 inf1 inf2 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "3"
> ZUNION 2 inf1 inf2 WEIGHTS 0 1 WITHSCORES
1) "a"
2) "-inf"
3) "c"
4) "2"
5) "b"
6) "inf"
> ZINTER 2 inf1 inf2 WEIGHTS 0 0 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "0"
> ZINTER 2 inf1 inf2 WEIGHTS 1 0 AGGREGATE MIN WITHSCORES
1) "b"
2) "-inf"
3) "c"
4) "0"
5) "a"
6) "inf"
> ZINTER 2 inf1 inf2 WEIGHTS 1 0 AGGREGATE MAX WITHSCORES
1) "b"
2) "-inf"
3) "c"
4) "1"
5) "a"
6) "inf"
> ZUNION 2 inf1 inf2 AGGREGATE MIN WITHSCORES
1) "a"
2) "-inf"
3) "b"
4) "-inf"
5) "c"
6) "1"
> ZINTERCARD 2 z2 z3
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT 1
(integer) 1
> ZINTERCARD 2 z2 z3 LIMIT 0
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT 5
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT -1
(error) ERR LIMIT can't be negative
> ZINTERCARD 2 z2 z3 LIMIT x
(error) ERR LIMIT can't be negative
> ZINTERCARD 2 z2 z3 LIMIT
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 WITHSCORES
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 WEIGHTS 1 1
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 AGGREGATE SUM
(error) ERR syntax error
> ZINTERCARD 0 z2
(error) ERR at least 1 input key is needed for 'zintercard' command
> ZINTERCARD 3 z2 z3
(error) ERR syntax error
> ZINTERCARD 2 z2 nokey
(integer) 0
> ZINTERCARD 2 z2 s
(integer) 2
> ZINTERCARD 1 z2 LIMIT 1 LIMIT 2
(integer) 2
> ZADD f1 0.1 a
(integer) 1
> ZADD f2 0.2 a
(integer) 1
> ZADD f3 0.3 a
(integer) 1
> ZUNION 3 f1 f2 f3 WITHSCORES
1) "a"
2) "0.60000000000000009"
> ZUNION 3 f3 f2 f1 WITHSCORES
1) "a"
2) "0.59999999999999998"
> ZINTER 3 f1 f2 f3 WITHSCORES
1) "a"
2) "0.60000000000000009"
> ZINTER 3 f3 f1 f2 WITHSCORES
1) "a"
2) "0.60000000000000009"
"#,
    );
}

/// ZRANDMEMBER where the result is determined, ZSCAN on listpacks, cursor parsing and options.
#[test]
fn zrandmember_and_zscan() {
    transcript(
        r#"
> ZADD z 1 a 2 b 3 c
(integer) 3
> ZRANDMEMBER z 3
1) "c"
2) "b"
3) "a"
> ZRANDMEMBER z 5 WITHSCORES
1) "c"
2) "3"
3) "b"
4) "2"
5) "a"
6) "1"
> ZRANDMEMBER z 0
(empty array)
> ZRANDMEMBER z 0 WITHSCORES
(empty array)
> ZRANDMEMBER nokey
(nil)
> ZRANDMEMBER nokey 5
(empty array)
> ZRANDMEMBER nokey -5 WITHSCORES
(empty array)
> ZRANDMEMBER nokey abc
(error) ERR value is not an integer or out of range
> SET s x
OK
> ZRANDMEMBER s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANDMEMBER s 1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANDMEMBER s abc
(error) ERR value is not an integer or out of range
> ZRANDMEMBER z abc
(error) ERR value is not an integer or out of range
> ZRANDMEMBER z 1.5
(error) ERR value is not an integer or out of range
> ZRANDMEMBER z 1 foo
(error) ERR syntax error
> ZRANDMEMBER z 1 WITHSCORES foo
(error) ERR syntax error
> ZRANDMEMBER z -9223372036854775808
(error) ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807
> ZRANDMEMBER z 9223372036854775807 WITHSCORES
(error) ERR value is out of range
> ZRANDMEMBER z -9223372036854775807 WITHSCORES
(error) ERR value is out of range
> ZRANDMEMBER z 4611686018427387904 WITHSCORES
(error) ERR value is out of range
> ZRANDMEMBER z -4611686018427387904 WITHSCORES
(error) ERR value is out of range
> ZRANDMEMBER z 4611686018427387903
1) "c"
2) "b"
3) "a"
> ZADD one 7 only
(integer) 1
> ZRANDMEMBER one
"only"
> ZRANDMEMBER one 1
1) "only"
> ZRANDMEMBER one -3
1) "only"
2) "only"
3) "only"
> ZRANDMEMBER one -2 WITHSCORES
1) "only"
2) "7"
3) "only"
4) "7"
> ZRANDMEMBER one 2 WITHSCORES
1) "only"
2) "7"
> ZSCAN z 0
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z 0 COUNT 1
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z 12345
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z 0 MATCH a
1) "0"
2) 1) "a"
   2) "1"
> ZSCAN z 0 MATCH *
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z 0 MATCH x
1) "0"
2) (empty array)
> ZSCAN z 0 COUNT 0
(error) ERR syntax error
> ZSCAN z 0 COUNT -1
(error) ERR syntax error
> ZSCAN z 0 COUNT x
(error) ERR value is not an integer or out of range
> ZSCAN z 0 COUNT
(error) ERR syntax error
> ZSCAN z 0 MATCH
(error) ERR syntax error
> ZSCAN z 0 TYPE zset
(error) ERR syntax error
> ZSCAN z 0 foo bar
(error) ERR syntax error
> ZSCAN z abc
(error) ERR invalid cursor
> ZSCAN z -1
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z +1
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z ""
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z -
(error) ERR invalid cursor
> ZSCAN z 18446744073709551615
1) "0"
2) 1) "a"
   2) "1"
   3) "b"
   4) "2"
   5) "c"
   6) "3"
> ZSCAN z 18446744073709551616
(error) ERR invalid cursor
> ZSCAN z " 1"
(error) ERR invalid cursor
> ZSCAN z "1 "
(error) ERR invalid cursor
> ZSCAN nokey 0
1) "0"
2) (empty array)
> ZSCAN nokey 0 COUNT 0
1) "0"
2) (empty array)
> ZSCAN nokey abc
(error) ERR invalid cursor
> ZSCAN s 0
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZSCAN s abc
(error) ERR invalid cursor
> ZADD fl 1.5 x 2 y -0.25 w inf v
(integer) 4
> ZSCAN fl 0
1) "0"
2) 1) "w"
   2) "-0.25"
   3) "x"
   4) "1.5"
   5) "y"
   6) "2"
   7) "v"
   8) "inf"
"#,
    );
}

/// The range transcript again with every set in the skiplist encoding.
#[test]
fn skiplist_encoding_ranges() {
    transcript(
        r#"
> CONFIG SET zset-max-listpack-entries 0
OK
> ZADD z 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZRANGE z 0 -1
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 -1 WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "2"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "e"
10) "5"
> ZRANGE z 1 3
1) "b"
2) "c"
3) "d"
> ZRANGE z -2 -1
1) "d"
2) "e"
> ZRANGE z -100 100
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 3 1
(empty array)
> ZRANGE z 5 10
(empty array)
> ZRANGE z -1 -2
(empty array)
> ZRANGE z 0 0 withscores
1) "a"
2) "1"
> ZRANGE z 0 -1 REV
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZRANGE z 0 1 REV WITHSCORES
1) "e"
2) "5"
3) "d"
4) "4"
> ZRANGE z a b
(error) ERR value is not an integer or out of range
> ZRANGE z 0 1.5
(error) ERR value is not an integer or out of range
> ZRANGE z 0 9223372036854775807
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z -9223372036854775808 9223372036854775807
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 99999999999999999999
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> ZRANGE z 0 -1 LIMIT 0 -1
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGE z 0 -1 LIMIT 0
(error) ERR syntax error
> ZRANGE z 0 -1 LIMIT x 1
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1 FOO
(error) ERR syntax error
> ZRANGE z 0 -1 REV REV
(error) ERR syntax error
> ZRANGE z 0 -1 BYSCORE BYLEX
(error) ERR syntax error
> ZRANGE z 2 4 BYSCORE
1) "b"
2) "c"
3) "d"
> ZRANGE z (2 4 BYSCORE
1) "c"
2) "d"
> ZRANGE z (2 (4 BYSCORE WITHSCORES
1) "c"
2) "3"
> ZRANGE z 4 2 BYSCORE REV
1) "d"
2) "c"
3) "b"
> ZRANGE z 2 4 BYSCORE REV
(empty array)
> ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES
1) "d"
2) "4"
3) "c"
4) "3"
> ZRANGE z -inf +inf BYSCORE LIMIT 1 2
1) "b"
2) "c"
> ZRANGE z -inf +inf BYSCORE LIMIT 1 -1
1) "b"
2) "c"
3) "d"
4) "e"
> ZRANGE z -inf +inf BYSCORE LIMIT -1 2
(empty array)
> ZRANGE z -inf +inf BYSCORE LIMIT 5 2
(empty array)
> ZRANGE z -inf +inf BYSCORE LIMIT 4 2
1) "e"
> ZRANGE z -inf +inf BYSCORE LIMIT 0 0
(empty array)
> ZRANGE z a b BYSCORE
(error) ERR min or max is not a float
> ZRANGE z [a [c BYLEX
1) "a"
2) "b"
3) "c"
> ZRANGE z [a [c BYLEX WITHSCORES
(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX
> ZRANGE z - + BYLEX LIMIT 1 2
1) "b"
2) "c"
> ZRANGE z + - BYLEX REV LIMIT 1 2
1) "d"
2) "c"
> ZRANGE z a c BYLEX
(error) ERR min or max not valid string range item
> ZRANGE z 0 -1 withscores LIMIT 0 1 BYSCORE
(empty array)
> ZRANGE nokey 0 -1
(empty array)
> ZRANGE nokey 0 -1 BYSCORE
(empty array)
> ZRANGE nokey a b
(error) ERR value is not an integer or out of range
> ZRANGE nokey 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> SET s x
OK
> ZRANGE s 0 -1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGE s a b
(error) ERR value is not an integer or out of range
> ZREVRANGE z 0 -1
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZREVRANGE z 0 1 WITHSCORES
1) "e"
2) "5"
3) "d"
4) "4"
> ZREVRANGE z 1 1 withscores
1) "d"
2) "4"
> ZREVRANGE z -1 -1
1) "a"
> ZREVRANGE z 0 -1 REV
(error) ERR syntax error
> ZREVRANGE z 0 -1 BYSCORE
(error) ERR syntax error
> ZREVRANGE z 0 -1 LIMIT 0 1
(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX
> ZREVRANGE z 0 -1 LIMIT 0 -1
1) "e"
2) "d"
3) "c"
4) "b"
5) "a"
> ZRANGEBYSCORE z 2 4
1) "b"
2) "c"
3) "d"
> ZRANGEBYSCORE z -inf +inf WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "2"
 5) "c"
 6) "3"
 7) "d"
 8) "4"
 9) "e"
10) "5"
> ZRANGEBYSCORE z (1 (5
1) "b"
2) "c"
3) "d"
> ZRANGEBYSCORE z (1 (1
(empty array)
> ZRANGEBYSCORE z 1 1
1) "a"
> ZRANGEBYSCORE z 5 1
(empty array)
> ZRANGEBYSCORE z -inf +inf LIMIT 2 2
1) "c"
2) "d"
> ZRANGEBYSCORE z -inf +inf LIMIT 2 2 WITHSCORES
1) "c"
2) "3"
3) "d"
4) "4"
> ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 4 10
1) "e"
2) "5"
> ZRANGEBYSCORE z -inf +inf LIMIT 2
(error) ERR syntax error
> ZRANGEBYSCORE z -inf +inf REV
(error) ERR syntax error
> ZRANGEBYSCORE z -inf +inf BYSCORE
(error) ERR syntax error
> ZRANGEBYSCORE z x 1
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 1 x
(error) ERR min or max is not a float
> ZRANGEBYSCORE z ( 1
1) "a"
> ZRANGEBYSCORE z "" 1
1) "a"
> ZRANGEBYSCORE z "(" "(5"
1) "a"
2) "b"
3) "c"
4) "d"
> ZRANGEBYSCORE z nan 1
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 1 (nan
(error) ERR min or max is not a float
> ZRANGEBYSCORE z "  2" 3
1) "b"
2) "c"
> ZRANGEBYSCORE z 0x2 0x1.8p1
1) "b"
2) "c"
> ZRANGEBYSCORE z 1e0 3E0
1) "a"
2) "b"
3) "c"
> ZRANGEBYSCORE z -inf 1e400
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGEBYSCORE z -Infinity INF
1) "a"
2) "b"
3) "c"
4) "d"
5) "e"
> ZRANGEBYSCORE z 1e 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 0x 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z . 2
(error) ERR min or max is not a float
> ZRANGEBYSCORE z 2. 3.
1) "b"
2) "c"
> ZRANGEBYSCORE z .2e1 3
1) "b"
2) "c"
> ZRANGEBYSCORE s 1 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGEBYSCORE nokey 1 2
(empty array)
> ZREVRANGEBYSCORE z 4 2
1) "d"
2) "c"
3) "b"
> ZREVRANGEBYSCORE z 2 4
(empty array)
> ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 1 3
1) "d"
2) "4"
3) "c"
4) "3"
5) "b"
6) "2"
> ZREVRANGEBYSCORE z (5 (1
1) "d"
2) "c"
3) "b"
> ZREVRANGEBYSCORE z +inf -inf LIMIT 4 5
1) "a"
> ZREVRANGEBYSCORE z +inf -inf LIMIT 5 5
(empty array)
> ZREVRANGEBYSCORE z +inf -inf LIMIT -1 5
(empty array)
> ZREVRANGEBYSCORE z +inf -inf REV
(error) ERR syntax error
> ZREVRANGEBYSCORE z x 1
(error) ERR min or max is not a float
"#,
    );
}

/// Removal and pops with every set in the skiplist encoding.
#[test]
fn skiplist_encoding_removal_and_pops() {
    transcript(
        r#"
> CONFIG SET zset-max-listpack-entries 0
OK
> ZADD z 1 a 2 b 3 c 4 d 5 e 6 f
(integer) 6
> ZRANK z a
(integer) 0
> ZRANK z f
(integer) 5
> ZRANK z nosuch
(nil)
> ZREVRANK z a
(integer) 5
> ZREVRANK z f
(integer) 0
> ZREVRANK z nosuch
(nil)
> ZRANK nokey a
(nil)
> ZREVRANK nokey a
(nil)
> SET s x
OK
> ZRANK s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREVRANK s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREM z a nosuch b
(integer) 2
> ZREM z nosuch
(integer) 0
> ZREM nokey a
(integer) 0
> ZREM s a
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGE z 0 -1
1) "c"
2) "d"
3) "e"
4) "f"
> ZREMRANGEBYRANK z 0 0
(integer) 1
> ZREMRANGEBYRANK z -1 -1
(integer) 1
> ZREMRANGEBYRANK z 5 10
(integer) 0
> ZREMRANGEBYRANK z 2 1
(integer) 0
> ZREMRANGEBYRANK z x 1
(error) ERR value is not an integer or out of range
> ZREMRANGEBYRANK z 1 x
(error) ERR value is not an integer or out of range
> ZREMRANGEBYRANK nokey 0 -1
(integer) 0
> ZREMRANGEBYRANK s 0 -1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYRANK s x 1
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1
1) "d"
2) "e"
> ZADD z 10 x 20 y 30 w
(integer) 3
> ZREMRANGEBYSCORE z (10 20
(integer) 1
> ZREMRANGEBYSCORE z 100 200
(integer) 0
> ZREMRANGEBYSCORE z x 1
(error) ERR min or max is not a float
> ZREMRANGEBYSCORE z 1 (x
(error) ERR min or max is not a float
> ZREMRANGEBYSCORE nokey 1 2
(integer) 0
> ZREMRANGEBYSCORE s 1 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYSCORE s x 2
(error) ERR min or max is not a float
> ZRANGE z 0 -1 WITHSCORES
1) "d"
2) "4"
3) "e"
4) "5"
5) "x"
6) "10"
7) "w"
8) "30"
> ZREMRANGEBYSCORE z -inf +inf
(integer) 4
> EXISTS z
(integer) 0
> ZADD l 0 a 0 b 0 c 0 d
(integer) 4
> ZREMRANGEBYLEX l [b (d
(integer) 2
> ZREMRANGEBYLEX l x y
(error) ERR min or max not valid string range item
> ZREMRANGEBYLEX l (z +
(integer) 0
> ZREMRANGEBYLEX nokey - +
(integer) 0
> ZREMRANGEBYLEX s - +
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZREMRANGEBYLEX s x +
(error) ERR min or max not valid string range item
> ZRANGE l 0 -1
1) "a"
2) "d"
> ZREMRANGEBYLEX l - +
(integer) 2
> EXISTS l
(integer) 0
> ZADD r 1 a
(integer) 1
> ZREM r a
(integer) 1
> EXISTS r
(integer) 0
> ZADD r 1 a 2 b
(integer) 2
> ZREM r a b c
(integer) 2
> EXISTS r
(integer) 0
> ZADD r 1 a 2 b 3 c
(integer) 3
> ZREMRANGEBYRANK r 0 -1
(integer) 3
> EXISTS r
(integer) 0
> ZADD p 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZPOPMIN p
1) "a"
2) "1"
> ZPOPMAX p
1) "e"
2) "5"
> ZPOPMIN p 2
1) "b"
2) "2"
3) "c"
4) "3"
> ZPOPMAX p 0
(empty array)
> ZPOPMIN p -1
(error) ERR value is out of range, must be positive
> ZPOPMIN p abc
(error) ERR value is out of range, must be positive
> ZPOPMIN p 1 2
(error) ERR syntax error
> ZPOPMAX p 10
1) "d"
2) "4"
> EXISTS p
(integer) 0
> ZPOPMIN p
(empty array)
> ZPOPMAX p 3
(empty array)
> ZPOPMIN s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZPOPMIN s 0
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZPOPMIN nokey -1
(error) ERR value is out of range, must be positive
> ZADD p 1 a 2 b 3 c 4 d 5 e
(integer) 5
> ZMPOP 1 p MIN
1) "p"
2) 1) 1) "a"
      2) "1"
> ZMPOP 1 p MAX COUNT 2
1) "p"
2) 1) 1) "e"
      2) "5"
   2) 1) "d"
      2) "4"
> ZMPOP 2 nokey p min count 10
1) "p"
2) 1) 1) "b"
      2) "2"
   2) 1) "c"
      2) "3"
> ZMPOP 2 nokey p min count 10
(nil)
> EXISTS p
(integer) 0
> ZADD p 1 a 2 b
(integer) 2
> ZMPOP 3 nokey s p MIN
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZMPOP 3 nokey p s MAX
1) "p"
2) 1) 1) "b"
      2) "2"
> ZMPOP 1 p MIN COUNT 0
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT -1
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT abc
(error) ERR count should be greater than 0
> ZMPOP 1 p MIN COUNT 1 COUNT 1
(error) ERR syntax error
> ZMPOP 1 p MIN COUNT
(error) ERR syntax error
> ZMPOP 1 p foo
(error) ERR syntax error
> ZMPOP 1 p MIN foo
(error) ERR syntax error
> ZMPOP 0 p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP -1 p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP abc p MIN
(error) ERR numkeys should be greater than 0
> ZMPOP 3 p MIN
(error) ERR syntax error
> ZMPOP 9223372036854775807 p MIN
(error) ERR syntax error
> ZMPOP 2 p MIN
(error) ERR syntax error
> ZMPOP 1 p
(error) ERR wrong number of arguments for 'zmpop' command
"#,
    );
}

/// Set operations with every set in the skiplist encoding.
#[test]
fn skiplist_encoding_set_operations() {
    transcript(
        r#"
> CONFIG SET zset-max-listpack-entries 0
OK
> ZADD z1 1 a 2 b 3 c
(integer) 3
> ZADD z2 10 b 20 c 30 d
(integer) 3
> ZADD z3 100 c 200 d 300 e 400 f
(integer) 4
> ZUNION 2 z1 z2
1) "a"
2) "b"
3) "c"
4) "d"
> ZUNION 2 z1 z2 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZUNION 3 z1 z2 z3 WITHSCORES
 1) "a"
 2) "1"
 3) "b"
 4) "12"
 5) "c"
 6) "123"
 7) "d"
 8) "230"
 9) "e"
10) "300"
11) "f"
12) "400"
> ZUNION 2 z1 z2 WEIGHTS 2 0.5 WITHSCORES
1) "a"
2) "2"
3) "b"
4) "9"
5) "d"
6) "15"
7) "c"
8) "16"
> ZUNION 2 z1 z2 AGGREGATE MIN WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
7) "d"
8) "30"
> ZUNION 2 z1 z2 AGGREGATE max WITHSCORES
1) "a"
2) "1"
3) "b"
4) "10"
5) "c"
6) "20"
7) "d"
8) "30"
> ZUNION 2 z1 z2 AGGREGATE sum WEIGHTS 1 -1 WITHSCORES
1) "d"
2) "-30"
3) "c"
4) "-17"
5) "b"
6) "-8"
7) "a"
8) "1"
> ZUNION 2 z1 nokey WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZUNION 1 nokey
(empty array)
> ZUNION 1 nokey WITHSCORES
(empty array)
> ZUNION 0 z1
(error) ERR at least 1 input key is needed for 'zunion' command
> ZUNION -1 z1
(error) ERR at least 1 input key is needed for 'zunion' command
> ZUNION x z1
(error) ERR value is not an integer or out of range
> ZUNION 3 z1 z2
(error) ERR syntax error
> ZUNION 1 z1 WEIGHTS
(error) ERR syntax error
> ZUNION 1 z1 WEIGHTS x
(error) ERR weight value is not a float
> ZUNION 2 z1 z2 WEIGHTS 1
(error) ERR syntax error
> ZUNION 1 z1 AGGREGATE
(error) ERR syntax error
> ZUNION 1 z1 AGGREGATE avg
(error) ERR syntax error
> ZUNION 1 z1 WITHSCORES WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZUNION 1 z1 LIMIT 1
(error) ERR syntax error
> ZUNION 1 z1 foo
(error) ERR syntax error
> SET s x
OK
> ZUNION 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZUNION 2 z1 s WEIGHTS x
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZINTER 2 z1 z2 WITHSCORES
1) "b"
2) "12"
3) "c"
4) "23"
> ZINTER 3 z1 z2 z3 WITHSCORES
1) "c"
2) "123"
> ZINTER 2 z1 z2 AGGREGATE MAX WITHSCORES
1) "b"
2) "10"
3) "c"
4) "20"
> ZINTER 2 z1 z2 WEIGHTS 0 1 AGGREGATE MIN WITHSCORES
1) "b"
2) "0"
3) "c"
4) "0"
> ZINTER 2 z1 nokey
(empty array)
> ZINTER 1 z1
1) "a"
2) "b"
3) "c"
> ZINTER 0 z1
(error) ERR at least 1 input key is needed for 'zinter' command
> ZINTER 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZDIFF 2 z3 z2 WITHSCORES
1) "e"
2) "300"
3) "f"
4) "400"
> ZDIFF 3 z3 z1 z2
1) "e"
2) "f"
> ZDIFF 1 z1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
5) "c"
6) "3"
> ZDIFF 2 z1 z1
(empty array)
> ZDIFF 2 nokey z1
(empty array)
> ZDIFF 2 z1 nokey
1) "a"
2) "b"
3) "c"
> ZDIFF 1 z1 WEIGHTS 1
(error) ERR syntax error
> ZDIFF 1 z1 AGGREGATE SUM
(error) ERR syntax error
> ZDIFF 0 z1
(error) ERR at least 1 input key is needed for 'zdiff' command
> ZDIFF 2 z1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZUNIONSTORE dst 2 z1 z2
(integer) 4
> ZRANGE dst 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZUNIONSTORE dst 2 z1 z2 WEIGHTS 1 2 AGGREGATE MAX
(integer) 4
> ZRANGE dst 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "20"
5) "c"
6) "40"
7) "d"
8) "60"
> ZUNIONSTORE dst 1 z1 WITHSCORES
(error) ERR syntax error
> ZUNIONSTORE dst 0 z1
(error) ERR at least 1 input key is needed for 'zunionstore' command
> ZUNIONSTORE dst 1 nokey
(integer) 0
> EXISTS dst
(integer) 0
> ZINTERSTORE dst 2 z1 z2
(integer) 2
> ZRANGE dst 0 -1 WITHSCORES
1) "b"
2) "12"
3) "c"
4) "23"
> ZINTERSTORE dst 2 z1 z3
(integer) 1
> EXISTS dst
(integer) 1
> ZINTERSTORE dst 1 s
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZDIFFSTORE dst 2 z2 z1
(integer) 1
> ZRANGE dst 0 -1 WITHSCORES
1) "d"
2) "30"
> ZDIFFSTORE dst 2 z1 z1
(integer) 0
> EXISTS dst
(integer) 0
> ZDIFFSTORE dst 1 z1 WEIGHTS 1
(error) ERR syntax error
> ZUNIONSTORE s 1 z1
(integer) 3
> TYPE s
zset
> ZRANGE s 0 -1
1) "a"
2) "b"
3) "c"
> ZUNIONSTORE z1 2 z1 z2
(integer) 4
> ZRANGE z1 0 -1 WITHSCORES
1) "a"
2) "1"
3) "b"
4) "12"
5) "c"
6) "23"
7) "d"
8) "30"
> ZADD inf1 inf a -inf b 1 c
(integer) 3
> ZADD inf2 -inf a inf b 2 c
(integer) 3
> ZUNION 2 inf1 inf2 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "3"
> ZINTER 2 inf1 inf2 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "3"
> ZUNION 2 inf1 inf2 WEIGHTS 0 1 WITHSCORES
1) "a"
2) "-inf"
3) "c"
4) "2"
5) "b"
6) "inf"
> ZINTER 2 inf1 inf2 WEIGHTS 0 0 WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
5) "c"
6) "0"
> ZINTER 2 inf1 inf2 WEIGHTS 1 0 AGGREGATE MIN WITHSCORES
1) "b"
2) "-inf"
3) "c"
4) "0"
5) "a"
6) "inf"
> ZINTER 2 inf1 inf2 WEIGHTS 1 0 AGGREGATE MAX WITHSCORES
1) "b"
2) "-inf"
3) "c"
4) "1"
5) "a"
6) "inf"
> ZUNION 2 inf1 inf2 AGGREGATE MIN WITHSCORES
1) "a"
2) "-inf"
3) "b"
4) "-inf"
5) "c"
6) "1"
> ZINTERCARD 2 z2 z3
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT 1
(integer) 1
> ZINTERCARD 2 z2 z3 LIMIT 0
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT 5
(integer) 2
> ZINTERCARD 2 z2 z3 LIMIT -1
(error) ERR LIMIT can't be negative
> ZINTERCARD 2 z2 z3 LIMIT x
(error) ERR LIMIT can't be negative
> ZINTERCARD 2 z2 z3 LIMIT
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 WITHSCORES
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 WEIGHTS 1 1
(error) ERR syntax error
> ZINTERCARD 2 z2 z3 AGGREGATE SUM
(error) ERR syntax error
> ZINTERCARD 0 z2
(error) ERR at least 1 input key is needed for 'zintercard' command
> ZINTERCARD 3 z2 z3
(error) ERR syntax error
> ZINTERCARD 2 z2 nokey
(integer) 0
> ZINTERCARD 2 z2 s
(integer) 2
> ZINTERCARD 1 z2 LIMIT 1 LIMIT 2
(integer) 2
> ZADD f1 0.1 a
(integer) 1
> ZADD f2 0.2 a
(integer) 1
> ZADD f3 0.3 a
(integer) 1
> ZUNION 3 f1 f2 f3 WITHSCORES
1) "a"
2) "0.60000000000000009"
> ZUNION 3 f3 f2 f1 WITHSCORES
1) "a"
2) "0.59999999999999998"
> ZINTER 3 f1 f2 f3 WITHSCORES
1) "a"
2) "0.60000000000000009"
> ZINTER 3 f3 f1 f2 WITHSCORES
1) "a"
2) "0.60000000000000009"
"#,
    );
}

/// Keyspace events, in the order a real Redis 7.0.15 publishes them (recorded with PSUBSCRIBE).
#[test]
fn keyspace_events() {
    let mut e = Engine::new();
    e.state.config.notify_keyspace_events = redis_playground::notify::parse_flags(b"KEA").unwrap();
    let c = e.open_client();
    let steps: &[(&str, &[(&str, &str)])] = &[
        ("ZADD z 1 a 2 b", &[("zadd", "z")]),
        ("ZADD z 1 a", &[]),
        ("ZADD z xx 5 nosuch", &[]),
        ("ZINCRBY z 1 a", &[("zincr", "z")]),
        ("ZADD z INCR 1 b", &[("zincr", "z")]),
        ("ZADD z CH 7 a", &[("zadd", "z")]),
        ("ZREM z nosuch", &[]),
        ("ZREM z a", &[("zrem", "z")]),
        ("ZADD z 1 a 3 c 4 d", &[("zadd", "z")]),
        ("ZREMRANGEBYSCORE z 1 1", &[("zremrangebyscore", "z")]),
        ("ZREMRANGEBYRANK z 0 0", &[("zremrangebyrank", "z")]),
        ("ZADD l 0 a 0 b", &[("zadd", "l")]),
        ("ZREMRANGEBYLEX l [a [a", &[("zremrangebylex", "l")]),
        (
            "ZREMRANGEBYLEX l - +",
            &[("zremrangebylex", "l"), ("del", "l")],
        ),
        ("ZPOPMIN z", &[("zpopmin", "z")]),
        ("ZPOPMAX z 5", &[("zpopmax", "z"), ("del", "z")]),
        ("ZADD z 1 a 2 b", &[("zadd", "z")]),
        ("ZMPOP 1 z MAX COUNT 1", &[("zpopmax", "z")]),
        ("ZUNIONSTORE d 1 z", &[("zunionstore", "d")]),
        ("ZINTERSTORE d 1 z", &[("zinterstore", "d")]),
        ("ZDIFFSTORE d 1 z", &[("zdiffstore", "d")]),
        ("ZRANGESTORE d z 0 0", &[("zrangestore", "d")]),
        ("ZRANGESTORE d z 5 6", &[("del", "d")]),
        ("ZUNIONSTORE d 1 nokey", &[]),
        ("ZREM z a", &[("zrem", "z"), ("del", "z")]),
    ];
    e.take_events();
    for (cmd, expected) in steps {
        let reply = exec(&mut e, c, cmd);
        assert!(!reply.is_error(), "{cmd}: {reply:?}");
        let events = e.take_events();
        for ev in &events {
            let class = if ev.event == "del" {
                redis_playground::notify::GENERIC
            } else {
                redis_playground::notify::ZSET
            };
            assert_eq!(ev.class, class, "class of {} in `{cmd}`", ev.event);
        }
        let got: Vec<(String, String)> = events
            .into_iter()
            .map(|ev| {
                (
                    ev.event.to_string(),
                    String::from_utf8_lossy(&ev.key).into_owned(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "events of `{cmd}`");
    }
}

// -------------------------------------------------------------------------------------------------
// Model-based property test: random command sequences on the engine and on a plain sorted vector.
// -------------------------------------------------------------------------------------------------

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The model: a vector of (score, member) kept sorted like a sorted set.
#[derive(Clone, Default)]
struct Model {
    items: Vec<(f64, Vec<u8>)>,
}

impl Model {
    fn sort(&mut self) {
        self.items
            .sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap().then_with(|| a.1.cmp(&b.1)));
    }

    fn score(&self, m: &[u8]) -> Option<f64> {
        self.items.iter().find(|(_, x)| x == m).map(|(s, _)| *s)
    }

    fn set(&mut self, m: &[u8], s: f64) {
        self.items.retain(|(_, x)| x != m);
        self.items.push((s, m.to_vec()));
        self.sort();
    }

    fn remove(&mut self, m: &[u8]) -> bool {
        let n = self.items.len();
        self.items.retain(|(_, x)| x != m);
        n != self.items.len()
    }

    fn rank(&self, m: &[u8]) -> Option<usize> {
        self.items.iter().position(|(_, x)| x == m)
    }
}

fn bulk(m: &[u8]) -> Reply {
    Reply::Bulk(m.to_vec())
}

fn flat(items: &[(f64, Vec<u8>)], withscores: bool) -> Reply {
    let mut out = Vec::new();
    for (s, m) in items {
        out.push(bulk(m));
        if withscores {
            out.push(Reply::Double(*s));
        }
    }
    Reply::Array(out)
}

fn fmt_score(s: f64) -> String {
    redis_playground::num::fmt_double(s)
}

/// Normalises a rank pair like Redis; `None` when empty.
fn model_rank_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let l = len as i64;
    let mut s = if start < 0 { l + start } else { start };
    let mut e = if end < 0 { l + end } else { end };
    if s < 0 {
        s = 0;
    }
    if s > e || s >= l {
        return None;
    }
    if e >= l {
        e = l - 1;
    }
    Some((s as usize, e as usize))
}

#[test]
fn random_commands_agree_with_a_sorted_vector_model() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut e = Engine::new();
    let c = e.open_client();
    let members: Vec<Vec<u8>> = (0..24).map(|i| format!("m{i:02}").into_bytes()).collect();
    let scores: &[f64] = &[
        -3.0,
        -1.5,
        0.0,
        0.5,
        1.0,
        2.0,
        2.5,
        7.0,
        100.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut model = Model::default();
    let steps = if cfg!(debug_assertions) {
        20_000
    } else {
        100_000
    };
    let mut long_replies = 0;
    for step in 0..steps {
        if step % 2_000 == 0 {
            // Move between encodings now and then.
            let limit = *rng.pick(&[0i64, 4, 16, 128]);
            e.state.config.zset_max_listpack_entries = limit;
        }
        let m = rng.pick(&members).clone();
        let ms = String::from_utf8(m.clone()).unwrap();
        let s = *rng.pick(scores);
        let (cmd, expected): (String, Reply) = match rng.below(16) {
            0..=2 => {
                let (flag, ok) = match rng.below(5) {
                    0 => ("NX", model.score(&m).is_none()),
                    1 => ("XX", model.score(&m).is_some()),
                    2 => ("GT", model.score(&m).is_none_or(|c| s > c)),
                    3 => ("LT", model.score(&m).is_none_or(|c| s < c)),
                    _ => ("", true),
                };
                let added = ok && model.score(&m).is_none();
                if ok {
                    model.set(&m, s);
                }
                (
                    format!("ZADD k {flag} {} {ms}", fmt_score(s)),
                    Reply::Int(added as i64),
                )
            }
            3 => {
                let by = *rng.pick(&[-1.0, 0.5, 2.0, 3.0]);
                let cur = model.score(&m).unwrap_or(0.0);
                let next = cur + by;
                model.set(&m, next);
                (
                    format!("ZINCRBY k {} {ms}", fmt_score(by)),
                    Reply::Double(next),
                )
            }
            4 => {
                let removed = model.remove(&m);
                (format!("ZREM k {ms}"), Reply::Int(removed as i64))
            }
            5 => {
                let (a, b) = (rng.below(40) as i64 - 20, rng.below(40) as i64 - 20);
                let rev = rng.below(2) == 1;
                let ws = rng.below(2) == 1;
                let items: Vec<(f64, Vec<u8>)> = match model_rank_range(model.items.len(), a, b) {
                    None => vec![],
                    Some((x, y)) => {
                        let mut v: Vec<_> = model.items.clone();
                        if rev {
                            v.reverse();
                        }
                        v[x..=y].to_vec()
                    }
                };
                let cmd = format!(
                    "ZRANGE k {a} {b}{}{}",
                    if rev { " REV" } else { "" },
                    if ws { " WITHSCORES" } else { "" }
                );
                (cmd, flat(&items, ws))
            }
            6 | 7 => {
                let lo = *rng.pick(scores);
                let hi = *rng.pick(scores);
                let (lox, hix) = (rng.below(2) == 1, rng.below(2) == 1);
                let inr = |v: f64| {
                    (if lox { v > lo } else { v >= lo }) && (if hix { v < hi } else { v <= hi })
                };
                let rev = rng.below(2) == 1;
                let (off, cnt) = (rng.below(6) as i64 - 1, rng.below(8) as i64 - 2);
                let mut sel: Vec<(f64, Vec<u8>)> = model
                    .items
                    .iter()
                    .filter(|(v, _)| inr(*v))
                    .cloned()
                    .collect();
                if rev {
                    sel.reverse();
                }
                let items: Vec<_> = if off < 0 || (off > 0 && off as usize >= model.items.len()) {
                    vec![]
                } else {
                    let it = sel.into_iter().skip(off as usize);
                    if cnt < 0 {
                        it.collect()
                    } else {
                        it.take(cnt as usize).collect()
                    }
                };
                let b = |v: f64, x: bool| format!("{}{}", if x { "(" } else { "" }, fmt_score(v));
                let (first, second) = if rev {
                    (b(hi, hix), b(lo, lox))
                } else {
                    (b(lo, lox), b(hi, hix))
                };
                let cmd = format!(
                    "{} k {first} {second} WITHSCORES LIMIT {off} {cnt}",
                    if rev {
                        "ZREVRANGEBYSCORE"
                    } else {
                        "ZRANGEBYSCORE"
                    }
                );
                if rng.below(3) == 0 {
                    let count = model.items.iter().filter(|(v, _)| inr(*v)).count();
                    (
                        format!("ZCOUNT k {} {}", b(lo, lox), b(hi, hix)),
                        Reply::Int(count as i64),
                    )
                } else {
                    (cmd, flat(&items, true))
                }
            }
            8 => {
                let r = model.rank(&m);
                if rng.below(2) == 0 {
                    (
                        format!("ZRANK k {ms}"),
                        r.map_or(Reply::Nil, |r| Reply::Int(r as i64)),
                    )
                } else {
                    let n = model.items.len();
                    (
                        format!("ZREVRANK k {ms}"),
                        r.map_or(Reply::Nil, |r| Reply::Int((n - 1 - r) as i64)),
                    )
                }
            }
            9 => (
                format!("ZSCORE k {ms}"),
                model.score(&m).map_or(Reply::Nil, Reply::Double),
            ),
            10 => ("ZCARD k".into(), Reply::Int(model.items.len() as i64)),
            11 => {
                let (a, b) = (rng.below(12) as i64 - 6, rng.below(12) as i64 - 6);
                let n = match model_rank_range(model.items.len(), a, b) {
                    None => 0,
                    Some((x, y)) => {
                        model.items.drain(x..=y);
                        y - x + 1
                    }
                };
                (format!("ZREMRANGEBYRANK k {a} {b}"), Reply::Int(n as i64))
            }
            12 => {
                let lo = *rng.pick(scores);
                let hi = *rng.pick(scores);
                let before = model.items.len();
                model.items.retain(|(v, _)| !(*v >= lo && *v <= hi));
                let n = before - model.items.len();
                (
                    format!("ZREMRANGEBYSCORE k {} {}", fmt_score(lo), fmt_score(hi)),
                    Reply::Int(n as i64),
                )
            }
            13 => {
                let max = rng.below(2) == 1;
                let n = rng.below(4);
                let mut popped = Vec::new();
                for _ in 0..n.min(model.items.len()) {
                    popped.push(if max {
                        model.items.pop().unwrap()
                    } else {
                        model.items.remove(0)
                    });
                }
                let cmd = format!("{} k {n}", if max { "ZPOPMAX" } else { "ZPOPMIN" });
                (cmd, flat(&popped, true))
            }
            14 => {
                // Lex ranges on a second key where every score is 0.
                let a = rng.pick(&members).clone();
                let b = rng.pick(&members).clone();
                let (ax, bx) = (rng.below(2) == 1, rng.below(2) == 1);
                let sa = format!(
                    "{}{}",
                    if ax { "(" } else { "[" },
                    String::from_utf8_lossy(&a)
                );
                let sb = format!(
                    "{}{}",
                    if bx { "(" } else { "[" },
                    String::from_utf8_lossy(&b)
                );
                exec(&mut e, c, &format!("ZADD lex 0 {ms}"));
                let lexset: Vec<Vec<u8>> = {
                    let Reply::Array(v) = exec(&mut e, c, "ZRANGE lex 0 -1") else {
                        panic!()
                    };
                    v.into_iter()
                        .map(|r| if let Reply::Bulk(b) = r { b } else { panic!() })
                        .collect()
                };
                let inr = |x: &Vec<u8>| {
                    (if ax { *x > a } else { *x >= a }) && (if bx { *x < b } else { *x <= b })
                };
                let sel: Vec<(f64, Vec<u8>)> = lexset
                    .iter()
                    .filter(|x| inr(x))
                    .map(|x| (0.0, x.clone()))
                    .collect();
                if rng.below(2) == 0 {
                    (
                        format!("ZLEXCOUNT lex {sa} {sb}"),
                        Reply::Int(sel.len() as i64),
                    )
                } else {
                    let mut rev_sel = sel.clone();
                    rev_sel.reverse();
                    (
                        format!("ZREVRANGEBYLEX lex {sb} {sa}"),
                        flat(&rev_sel, false),
                    )
                }
            }
            _ => {
                // Copies through ZUNIONSTORE / ZRANGESTORE must equal the source.
                let all = flat(&model.items, true);
                if rng.below(2) == 0 {
                    exec(&mut e, c, "ZUNIONSTORE copy 1 k");
                } else {
                    exec(&mut e, c, "ZRANGESTORE copy k 0 -1");
                }
                ("ZRANGE copy 0 -1 WITHSCORES".into(), all)
            }
        };
        let got = exec(&mut e, c, &cmd);
        assert_eq!(
            format_reply(&got),
            format_reply(&expected),
            "step {step}: {cmd}"
        );
        if matches!(&got, Reply::Array(v) if v.len() >= 6) {
            long_replies += 1;
        }
        if step % 1_000 == 0 {
            check_structure(&e, b"k");
            check_structure(&e, b"lex");
        }
    }
    // The walk must have exercised real ranges, not just empty sets.
    assert!(
        long_replies > steps / 20,
        "only {long_replies} long replies"
    );
}

/// Runs the tree and index invariants of the sorted set at `key` (if any).
fn check_structure(e: &Engine, key: &[u8]) {
    use redis_playground::value::Value;
    if let Some(entry) = e.state.dbs[0].get(key) {
        let Value::ZSet(z) = &entry.value else {
            panic!("not a zset")
        };
        let h = z
            .check()
            .unwrap_or_else(|err| panic!("broken structure: {err}"));
        assert!(
            h <= btree_height_bound(z.len()),
            "height {h} for {} members",
            z.len()
        );
    }
}

/// The tallest the B-tree of a set of `n` members may be: every node but the root holds at least
/// 15 entries (16 children), so height `h` needs at least `2 * 16^(h-1) - 1` entries.
fn btree_height_bound(n: usize) -> usize {
    let mut h = 1;
    let mut least: usize = 2 * 16 - 1;
    while least <= n {
        h += 1;
        least = least.saturating_mul(16).saturating_add(15);
    }
    h
}

// -------------------------------------------------------------------------------------------------
// Structure, snapshots and scale.
// -------------------------------------------------------------------------------------------------

use redis_playground::config::Config;
use redis_playground::zsets::ZSet;

#[test]
fn tree_stays_balanced_and_consistent_under_random_operations() {
    let config = Config::default();
    let mut rng = Rng(7);
    let mut z = ZSet::new_skiplist();
    let mut model = Model::default();
    for step in 0..30_000 {
        let m = format!("member:{}", rng.below(2_000)).into_bytes();
        match rng.below(10) {
            0..=4 => {
                let s = (rng.below(200) as f64) / 4.0 - 10.0;
                z.insert(&m, s, &config);
                model.set(&m, s);
            }
            5 | 6 => {
                assert_eq!(z.remove(&m).is_some(), model.remove(&m));
            }
            7 => {
                let a = rng.below(z.len() + 3);
                let b = a + rng.below(30);
                let n = z.remove_rank_range(a, b);
                let hi = b.min(model.items.len());
                let expected = if a < hi {
                    model.items.drain(a..hi).count()
                } else {
                    0
                };
                assert_eq!(n, expected);
            }
            8 => {
                let max = rng.below(2) == 1;
                let n = rng.below(5);
                let popped = z.pop(max, n);
                for (m, s) in popped {
                    let want = if max {
                        model.items.pop()
                    } else {
                        Some(model.items.remove(0))
                    };
                    assert_eq!(want, Some((s, m.to_vec())));
                }
            }
            _ => {
                if let Some(r) = model.rank(&m) {
                    assert_eq!(z.rank(&m), Some(r));
                    let (got_m, got_s) = z.get_by_rank(r).unwrap();
                    assert_eq!((&got_m[..], got_s), (&m[..], model.items[r].0));
                } else {
                    assert_eq!(z.rank(&m), None);
                }
            }
        }
        if step % 500 == 0 {
            let h = z.check().unwrap();
            assert!(
                h <= btree_height_bound(z.len()),
                "height {h} for {} members",
                z.len()
            );
            let all: Vec<(f64, Vec<u8>)> = z.iter().map(|(m, s)| (s, m.to_vec())).collect();
            assert_eq!(all, model.items);
        }
    }
}

#[test]
fn a_clone_is_unaffected_by_later_writes() {
    let config = Config::default();
    let mut z = ZSet::new_skiplist();
    for i in 0..1_000 {
        z.insert(format!("m{i}").as_bytes(), i as f64, &config);
    }
    let before: Vec<(Vec<u8>, f64)> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
    let snapshot = z.clone();
    for i in 0..500 {
        z.remove(format!("m{}", i * 2).as_bytes());
        z.insert(format!("m{}", i * 2 + 1).as_bytes(), -(i as f64), &config);
    }
    z.insert(b"new", 0.5, &config);
    z.pop(true, 10);
    z.remove_rank_range(3, 40);
    let after: Vec<(Vec<u8>, f64)> = snapshot.iter().map(|(m, s)| (m.to_vec(), s)).collect();
    assert_eq!(after, before);
    assert_eq!(snapshot.score(b"m0"), Some(0.0));
    assert_eq!(snapshot.rank(b"m999"), Some(999));
    snapshot.check().unwrap();
    z.check().unwrap();

    // The same through the engine: a snapshot, then writes, then the snapshot restored.
    let mut e = Engine::new();
    let c = e.open_client();
    run(&mut e, c, "ZADD k 1 a 2 b 3 c");
    let state = e.snapshot();
    run(&mut e, c, "ZADD k 10 a 4 d");
    run(&mut e, c, "ZREM k b");
    run(&mut e, c, "ZPOPMAX k");
    assert_eq!(
        run(&mut e, c, "ZRANGE k 0 -1 WITHSCORES"),
        "1) \"c\"\n2) \"3\"\n3) \"d\"\n4) \"4\""
    );
    e.restore(state);
    assert_eq!(
        run(&mut e, c, "ZRANGE k 0 -1 WITHSCORES"),
        "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"\n5) \"c\"\n6) \"3\""
    );
}

/// A million members in release builds (200k in debug ones): inserts in increasing and random
/// order, ranks, ranges and removals all stay logarithmic and never recurse deeply.
#[test]
fn large_sets_stay_shallow() {
    let n: usize = if cfg!(debug_assertions) {
        200_000
    } else {
        1_000_000
    };
    let config = Config::default();
    let mut z = ZSet::new_skiplist();
    for i in 0..n {
        z.insert(format!("{i:08}").as_bytes(), i as f64, &config);
    }
    assert_eq!(z.len(), n);
    let h = z.check().unwrap();
    assert!(h <= btree_height_bound(n), "height {h}");
    assert!(h <= 5, "height {h} for {n} members");
    assert_eq!(z.rank(format!("{:08}", n / 2).as_bytes()), Some(n / 2));
    assert_eq!(
        z.get_by_rank(n - 1).map(|(m, _)| m.to_vec()),
        Some(format!("{:08}", n - 1).into_bytes())
    );
    let cut = z.remove_rank_range(10, n - 10);
    assert_eq!(cut, n - 20);
    assert_eq!(z.len(), 20);
    z.check().unwrap();

    // Random order, through the engine with ZADD batches (a quarter of the size: the text
    // commands dominate the time).
    let n = n / 4;
    let mut e = Engine::new();
    let c = e.open_client();
    let mut rng = Rng(42);
    let mut line = String::from("ZADD big");
    for i in 0..n {
        line.push_str(&format!(" {} x{}", rng.below(1_000_000), i));
        if i % 1_000 == 999 {
            assert!(!exec(&mut e, c, &line).is_error());
            line = String::from("ZADD big");
        }
    }
    assert_eq!(run(&mut e, c, "ZCARD big"), format!("(integer) {n}"));
    assert_eq!(run(&mut e, c, "OBJECT ENCODING big"), "\"skiplist\"");
    check_structure(&e, b"big");
    let Reply::Array(top) = exec(&mut e, c, "ZRANGE big -3 -1") else {
        panic!()
    };
    assert_eq!(top.len(), 3);
    let Reply::Int(count) = exec(&mut e, c, "ZCOUNT big -inf +inf") else {
        panic!()
    };
    assert_eq!(count as usize, n);
    assert_eq!(
        run(&mut e, c, "ZREMRANGEBYRANK big 0 -2"),
        format!("(integer) {}", n - 1)
    );
    assert_eq!(run(&mut e, c, "ZCARD big"), "(integer) 1");
}

/// The tree orders entries of equal score by the first 8 bytes of their members before reading
/// the members themselves: that order must agree with Redis's (`memcmp`, shorter first), for
/// members with NULs, high bytes and shared prefixes alike.
#[test]
fn member_tags_order_like_member_bytes() {
    use redis_playground::zsets::member_tag;
    let mut rng = Rng(11);
    let alphabet: &[u8] = &[0, 1, b'a', b'b', 0x7f, 0x80, 0xff];
    let mut members: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0, 0], b"abcdefgh".to_vec()];
    for _ in 0..3_000 {
        let len = rng.below(12);
        members.push((0..len).map(|_| *rng.pick(alphabet)).collect());
    }
    for a in &members {
        for b in members.iter().step_by(7) {
            let (ta, tb) = (member_tag(a), member_tag(b));
            if ta != tb {
                assert_eq!(ta.cmp(&tb), a.cmp(b), "{a:?} vs {b:?}");
            }
            if a == b {
                assert_eq!(ta, tb);
            }
        }
    }
    // And through a set where every score ties: ranks follow member bytes.
    let config = Config::default();
    let mut z = ZSet::new_skiplist();
    members.sort();
    members.dedup();
    for m in &members {
        z.insert(m, 1.0, &config);
    }
    z.check().unwrap();
    for (i, m) in members.iter().enumerate() {
        assert_eq!(z.rank(m), Some(i), "{m:?}");
    }
    for m in members.iter().step_by(3) {
        assert_eq!(z.remove(m), Some(1.0));
    }
    z.check().unwrap();
    let left: Vec<Vec<u8>> = z.iter().map(|(m, _)| m.to_vec()).collect();
    let want: Vec<Vec<u8>> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, m)| m.clone())
        .collect();
    assert_eq!(left, want);
}

/// ZSCAN over a skiplist-encoded set visits every member that stays for the whole scan, even with
/// writes between the calls, and its cursor ends at 0.
#[test]
fn zscan_cursor_survives_writes() {
    let mut e = Engine::new();
    let c = e.open_client();
    for i in 0..300 {
        run(&mut e, c, &format!("ZADD s {i} m{i}"));
    }
    assert_eq!(run(&mut e, c, "OBJECT ENCODING s"), "\"skiplist\"");
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_string();
    let mut rounds = 0;
    loop {
        let Reply::Array(parts) = exec(&mut e, c, &format!("ZSCAN s {cursor} COUNT 7")) else {
            panic!()
        };
        let Reply::Bulk(next) = &parts[0] else {
            panic!()
        };
        let Reply::Array(items) = &parts[1] else {
            panic!()
        };
        assert_eq!(items.len() % 2, 0);
        for pair in items.chunks(2) {
            let (Reply::Bulk(m), Reply::Bulk(s)) = (&pair[0], &pair[1]) else {
                panic!()
            };
            let m = String::from_utf8(m.clone()).unwrap();
            if let Some(i) = m.strip_prefix('m') {
                assert_eq!(String::from_utf8(s.clone()).unwrap(), i);
            }
            seen.insert(m);
        }
        // Churn: add new members and remove some added ones, never the original 300.
        run(&mut e, c, &format!("ZADD s 1 new{rounds}"));
        run(&mut e, c, &format!("ZREM s new{}", rounds / 2));
        rounds += 1;
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
        assert!(rounds < 1_000, "scan does not terminate");
    }
    for i in 0..300 {
        assert!(seen.contains(&format!("m{i}")), "missed m{i}");
    }
    assert!(rounds > 20, "COUNT 7 should take many calls, took {rounds}");
}

/// The blocking layer's entry points: pop from the first non-empty key, in each reply shape.
#[test]
fn pop_helpers_for_the_blocking_commands() {
    use redis_playground::zsets::{generic_zpop, parse_mpop, PopShape};
    let mut e = Engine::new();
    let c = e.open_client();
    run(&mut e, c, "ZADD b 1 x 2 y 3 z");
    let argv: Vec<Vec<u8>> = ["BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "2"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let p = parse_mpop(&argv, 2).unwrap();
    assert_eq!(p.keys, vec![b"a".to_vec(), b"b".to_vec()]);
    assert!(p.max);
    assert_eq!(p.count, 2);
    let bad: Vec<Vec<u8>> = ["BZMPOP", "0", "0", "a", "MIN"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    assert_eq!(
        parse_mpop(&bad, 2).unwrap_err(),
        Reply::err("ERR numkeys should be greater than 0")
    );
    // The BZPOPMIN/BZPOPMAX shape: key first, then a flat member/score list.
    let mut ctx = redis_playground::engine::Ctx::new(&mut e, c, 0);
    let reply = generic_zpop(&mut ctx, &[b"a", b"b"], false, -1, PopShape::BZPOP);
    assert_eq!(format_reply(&reply), "1) \"b\"\n2) \"x\"\n3) \"1\"");
    let reply = generic_zpop(&mut ctx, &[b"a"], false, -1, PopShape::BZPOP);
    assert_eq!(reply, Reply::Array(vec![]));
    let reply = generic_zpop(&mut ctx, &[b"a"], false, -1, PopShape::ZMPOP);
    assert_eq!(reply, Reply::NilArray);
    // The BZMPOP shape: key, then nested pairs.
    assert_eq!(
        format_reply(&generic_zpop(
            &mut ctx,
            &[b"a", b"b"],
            true,
            5,
            PopShape::ZMPOP
        )),
        "1) \"b\"\n2) 1) 1) \"z\"\n      2) \"3\"\n   2) 1) \"y\"\n      2) \"2\""
    );
    assert_eq!(run(&mut e, c, "EXISTS b"), "(integer) 0");
}

/// Sets past the listpack limits, lex ranges on a skiplist, binary members, option case, TTLs after STORE.
#[test]
fn larger_sets_binary_members_and_ttls() {
    transcript(
        r#"
> ZADD g 1 apple 2 apricot 3 banana 4 cherry 5 "a*b" 6 "A"
(integer) 6
> ZADD big 0 m000 1 m001 2 m002 3 m003 4 m004 5 m005 6 m006 7 m007 8 m008 9 m009 10 m010 11 m011 12 m012 13 m013 14 m014 15 m015 16 m016 17 m017 18 m018 19 m019 20 m020 21 m021 22 m022 23 m023 24 m024 25 m025 26 m026 27 m027 28 m028 29 m029 30 m030 31 m031 32 m032 33 m033 34 m034 35 m035 36 m036 37 m037 38 m038 39 m039 40 m040 41 m041 42 m042 43 m043 44 m044 45 m045 46 m046 47 m047 48 m048 49 m049 50 m050 51 m051 52 m052 53 m053 54 m054 55 m055 56 m056 57 m057 58 m058 59 m059 60 m060 61 m061 62 m062 63 m063 64 m064 65 m065 66 m066 67 m067 68 m068 69 m069 70 m070 71 m071 72 m072 73 m073 74 m074 75 m075 76 m076 77 m077 78 m078 79 m079 80 m080 81 m081 82 m082 83 m083 84 m084 85 m085 86 m086 87 m087 88 m088 89 m089 90 m090 91 m091 92 m092 93 m093 94 m094 95 m095 96 m096 97 m097 98 m098 99 m099 100 m100 101 m101 102 m102 103 m103 104 m104 105 m105 106 m106 107 m107 108 m108 109 m109 110 m110 111 m111 112 m112 113 m113 114 m114 115 m115 116 m116 117 m117 118 m118 119 m119 120 m120 121 m121 122 m122 123 m123 124 m124 125 m125 126 m126 127 m127 128 m128 129 m129
(integer) 130
> ZCARD big
(integer) 130
> OBJECT ENCODING big
"skiplist"
> ZRANGE big 0 4 WITHSCORES
 1) "m000"
 2) "0"
 3) "m001"
 4) "1"
 5) "m002"
 6) "2"
 7) "m003"
 8) "3"
 9) "m004"
10) "4"
> ZRANGE big -3 -1
1) "m127"
2) "m128"
3) "m129"
> ZREVRANGE big 0 2 WITHSCORES
1) "m129"
2) "129"
3) "m128"
4) "128"
5) "m127"
6) "127"
> ZRANGEBYSCORE big (100 105
1) "m101"
2) "m102"
3) "m103"
4) "m104"
5) "m105"
> ZREVRANGEBYSCORE big 50 (45 WITHSCORES
 1) "m050"
 2) "50"
 3) "m049"
 4) "49"
 5) "m048"
 6) "48"
 7) "m047"
 8) "47"
 9) "m046"
10) "46"
> ZRANGEBYSCORE big -inf +inf LIMIT 125 10
1) "m125"
2) "m126"
3) "m127"
4) "m128"
5) "m129"
> ZCOUNT big 10 (20
(integer) 10
> ZRANK big m064
(integer) 64
> ZREVRANK big m064
(integer) 65
> ZSCORE big m129
"129"
> ZRANGE big 64 66 BYSCORE REV
(empty array)
> ZRANGE big 70 60 BYSCORE REV LIMIT 2 3 WITHSCORES
1) "m068"
2) "68"
3) "m067"
4) "67"
5) "m066"
6) "66"
> ZPOPMIN big 2
1) "m000"
2) "0"
3) "m001"
4) "1"
> ZPOPMAX big
1) "m129"
2) "129"
> ZREMRANGEBYRANK big 0 9
(integer) 10
> ZREMRANGEBYSCORE big 100 +inf
(integer) 29
> ZCARD big
(integer) 88
> OBJECT ENCODING big
"skiplist"
> ZRANGESTORE small big 0 4
(integer) 5
> OBJECT ENCODING small
"listpack"
> ZRANGESTORE copy big 0 -1
(integer) 88
> OBJECT ENCODING copy
"listpack"
> ZUNIONSTORE u 2 big small WEIGHTS 1 10
(integer) 88
> OBJECT ENCODING u
"listpack"
> ZRANGE u 0 6 WITHSCORES
 1) "m017"
 2) "17"
 3) "m018"
 4) "18"
 5) "m019"
 6) "19"
 7) "m020"
 8) "20"
 9) "m021"
10) "21"
11) "m022"
12) "22"
13) "m023"
14) "23"
> ZINTERSTORE i 2 big small AGGREGATE MAX
(integer) 5
> OBJECT ENCODING i
"listpack"
> ZRANGE i 0 -1 WITHSCORES
 1) "m012"
 2) "12"
 3) "m013"
 4) "13"
 5) "m014"
 6) "14"
 7) "m015"
 8) "15"
 9) "m016"
10) "16"
> ZDIFFSTORE d 2 big small
(integer) 83
> ZCARD d
(integer) 83
> ZRANGE d 0 2
1) "m017"
2) "m018"
3) "m019"
> ZSCAN small 0
1) "0"
2)  1) "m012"
    2) "12"
    3) "m013"
    4) "13"
    5) "m014"
    6) "14"
    7) "m015"
    8) "15"
    9) "m016"
   10) "16"
> ZSCAN i 0 COUNT 1000
1) "0"
2)  1) "m012"
    2) "12"
    3) "m013"
    4) "13"
    5) "m014"
    6) "14"
    7) "m015"
    8) "15"
    9) "m016"
   10) "16"
> ZRANDMEMBER small 100 WITHSCORES
 1) "m016"
 2) "16"
 3) "m015"
 4) "15"
 5) "m014"
 6) "14"
 7) "m013"
 8) "13"
 9) "m012"
10) "12"
> ZRANDMEMBER big 0
(empty array)
> ZRANDMEMBER small -0
(error) ERR value is not an integer or out of range
> ZADD lexbig 0 a 0 b 0 c 0 d 0 e 0 f 0 g 0 h 0 i 0 j 0 k 0 l 0 m 0 n 0 o 0 p 0 q 0 r 0 s 0 t 0 u 0 v 0 w 0 x 0 y 0 z 0 aa 0 bb 0 cc 0 dd 0 ee 0 ff 0 gg 0 hh 0 ii 0 jj 0 kk 0 ll 0 mm 0 nn 0 oo 0 pp 0 qq 0 rr 0 ss 0 tt 0 uu 0 vv 0 ww 0 xx 0 yy 0 zz 0 "a long member name that is clearly longer than sixty-four bytes in total length"
(integer) 53
> OBJECT ENCODING lexbig
"skiplist"
> ZRANGEBYLEX lexbig [a (b
1) "a"
2) "a long member name that is clearly longer than sixty-four bytes in total length"
3) "aa"
> ZRANGEBYLEX lexbig (x + LIMIT 1 3
1) "y"
2) "yy"
3) "z"
> ZREVRANGEBYLEX lexbig [c [a
1) "c"
2) "bb"
3) "b"
4) "aa"
5) "a long member name that is clearly longer than sixty-four bytes in total length"
6) "a"
> ZLEXCOUNT lexbig [b [c
(integer) 3
> ZLEXCOUNT lexbig - +
(integer) 53
> ZREMRANGEBYLEX lexbig [aa [zz
(integer) 51
> ZCARD lexbig
(integer) 2
> ZRANGE lexbig 0 -1 BYLEX
(error) ERR min or max not valid string range item
> ZADD bin 1 "\x00" 2 "\xff\xfe" 3 "new\nline" 4 "tab\there" 5 "q\"uote"
(integer) 5
> ZRANGE bin 0 -1 WITHSCORES
 1) "\x00"
 2) "1"
 3) "\xff\xfe"
 4) "2"
 5) "new\nline"
 6) "3"
 7) "tab\there"
 8) "4"
 9) "q\"uote"
10) "5"
> ZSCORE bin "\x00"
"1"
> ZRANK bin "\xff\xfe"
(integer) 1
> ZREM bin "\x00"
(integer) 1
> ZRANGEBYLEX bin - +
1) "\xff\xfe"
2) "new\nline"
3) "tab\there"
4) "q\"uote"
> ZADD opt Nx 1 a
(integer) 1
> ZADD opt xX Ch 2 a
(integer) 1
> ZRANGE opt 0 -1 wItHsCoReS
1) "a"
2) "2"
> ZRANGE opt 0 -1 ReV
1) "a"
> ZRANGE opt -inf +inf bYsCoRe LiMiT 0 1
1) "a"
> ZADD src 1 a 2 b
(integer) 2
> ZADD dst 5 x
(integer) 1
> EXPIRE dst 1000
(integer) 1
> TTL dst
(integer) 1000
> ZUNIONSTORE dst 1 src
(integer) 2
> TTL dst
(integer) -1
> EXPIRE dst 1000
(integer) 1
> ZRANGESTORE dst src 0 0
(integer) 1
> TTL dst
(integer) -1
> ZADD dst 9 y
(integer) 1
> TTL dst
(integer) -1
"#,
    );
}

/// The differential corpus replays through the engine: every Z* line is a known command (the
/// byte-for-byte comparison with a real server is the differential harness's job).
#[test]
fn corpus_file_replays_through_the_engine() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/zsets.redis"
    ))
    .unwrap();
    let mut e = Engine::new();
    let c = e.open_client();
    let mut zcommands = 0;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let reply = exec(&mut e, c, t);
        if t.as_bytes()[0].eq_ignore_ascii_case(&b'z') {
            zcommands += 1;
            if let Reply::Error(msg) = &reply {
                assert!(!msg.starts_with("ERR unknown command"), "{t}: {msg}");
            }
        }
    }
    assert!(
        zcommands >= 200,
        "only {zcommands} sorted-set commands in the corpus"
    );
}

/// Option repetition, precedence of errors, member names that look like options, repeated members, keys of the wrong type in every position.
#[test]
fn edge_cases_of_options_and_keys() {
    transcript(
        r#"
> ZADD z GT INCR 5 new
"5"
> ZADD z LT INCR 5 new2
"5"
> ZADD z CH INCR 1 new
"6"
> ZADD z XX CH 5 new
(integer) 1
> ZADD z 1 nx 2 xx 3 ch 4 incr
(integer) 4
> ZRANGE z 0 -1 WITHSCORES
 1) "nx"
 2) "1"
 3) "xx"
 4) "2"
 5) "ch"
 6) "3"
 7) "incr"
 8) "4"
 9) "new"
10) "5"
11) "new2"
12) "5"
> ZADD z "1\x00" bad
(error) ERR value is not a valid float
> ZADD z 1 "a\x00b"
(integer) 1
> ZSCORE z "a\x00b"
"1"
> ZSCORE z "a"
(nil)
> ZRANGE z (1 2
(error) ERR value is not an integer or out of range
> ZRANGE z 0 -1 BYSCORE
(empty array)
> ZRANGE z 0 100 BYSCORE WITHSCORES WITHSCORES
 1) "a\x00b"
 2) "1"
 3) "nx"
 4) "1"
 5) "xx"
 6) "2"
 7) "ch"
 8) "3"
 9) "incr"
10) "4"
11) "new"
12) "5"
13) "new2"
14) "5"
> ZRANGE z -inf +inf BYSCORE LIMIT 0 1 LIMIT 1 1
1) "nx"
> ZRANGE z -inf +inf BYSCORE LIMIT 0 1 foo
(error) ERR syntax error
> ZRANGE z 0 1 LIMIT 0 1 WITHSCORES BYLEX
(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX
> ZRANGE z a b LIMIT x y
(error) ERR value is not an integer or out of range
> ZRANGE z a b BYSCORE LIMIT 0 x
(error) ERR value is not an integer or out of range
> ZRANGE z [a [b BYLEX LIMIT 0 1 REV
(empty array)
> ZRANGE z [z [a BYLEX LIMIT 0 1 REV
1) "new2"
> ZRANGESTORE d z -inf +inf BYSCORE LIMIT 1 -5
(integer) 6
> ZRANGE d 0 -1 WITHSCORES
 1) "nx"
 2) "1"
 3) "xx"
 4) "2"
 5) "ch"
 6) "3"
 7) "incr"
 8) "4"
 9) "new"
10) "5"
11) "new2"
12) "5"
> ZREMRANGEBYRANK z -9223372036854775808 -9223372036854775808
(integer) 0
> ZREMRANGEBYRANK z 9223372036854775807 9223372036854775807
(integer) 0
> ZCOUNT z (-inf (inf
(integer) 7
> ZCOUNT z (5 (5
(integer) 0
> ZCOUNT z 5 5
(integer) 2
> ZCOUNT z +inf -inf
(integer) 0
> ZADD w 1 a 2 b
(integer) 2
> ZUNIONSTORE u 2 w w WEIGHTS inf 1
(integer) 2
> ZRANGE u 0 -1 WITHSCORES
1) "a"
2) "inf"
3) "b"
4) "inf"
> ZUNION 2 w w WITHSCORES
1) "a"
2) "2"
3) "b"
4) "4"
> ZINTER 2 w w WITHSCORES
1) "a"
2) "2"
3) "b"
4) "4"
> ZINTER 2 nokey w
(empty array)
> ZDIFF 3 w nokey w
(empty array)
> ZINTER 2 w w WEIGHTS -inf inf WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
> ZUNION 2 w w WEIGHTS 0 0 AGGREGATE MAX WITHSCORES
1) "a"
2) "0"
3) "b"
4) "0"
> ZUNION 1 w WEIGHTS 1 WEIGHTS 2 WITHSCORES
1) "a"
2) "2"
3) "b"
4) "4"
> ZUNION 1 w AGGREGATE MIN AGGREGATE MAX WITHSCORES
1) "a"
2) "1"
3) "b"
4) "2"
> ZUNION 1 w WITHSCORES AGGREGATE MIN
1) "a"
2) "1"
3) "b"
4) "2"
> ZINTERCARD 1 w LIMIT 0
(integer) 2
> ZINTERCARD 1 w LIMIT 9223372036854775807
(integer) 2
> ZPOPMIN w 9223372036854775807
1) "a"
2) "1"
3) "b"
4) "2"
> ZPOPMAX w 1
(empty array)
> EXISTS w
(integer) 0
> SET str x
OK
> ZMPOP 2 nokey str MIN
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZMPOP 2 str nokey MIN
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZPOPMAX str
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZUNIONSTORE str2 2 nokey nokey2
(integer) 0
> ZINTER 2 str nokey
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZCOUNT str x y
(error) ERR min or max is not a float
> ZCOUNT str 1 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZLEXCOUNT str - +
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> ZRANGEBYLEX str x y
(error) ERR min or max not valid string range item
> ZRANGESTORE str z 0 0
(integer) 1
> TYPE str
zset
> ZADD zz 1 a
(integer) 1
> ZRANGESTORE zz zz 5 10
(integer) 0
> EXISTS zz
(integer) 0
> ZADD zz 1 a 2 b 3 c
(integer) 3
> ZRANGESTORE zz zz 1 -1
(integer) 2
> ZRANGE zz 0 -1 WITHSCORES
1) "b"
2) "2"
3) "c"
4) "3"
> ZUNIONSTORE zz 1 zz WEIGHTS 2
(integer) 2
> ZRANGE zz 0 -1 WITHSCORES
1) "b"
2) "4"
3) "c"
4) "6"
> ZDIFFSTORE zz 2 zz zz
(integer) 0
> EXISTS zz
(integer) 0
> ZADD dup 1 a 2 a 3 a
(integer) 1
> ZRANGE dup 0 -1 WITHSCORES
1) "a"
2) "3"
> ZADD dup NX 5 b 6 b
(integer) 1
> ZRANGE dup 0 -1 WITHSCORES
1) "a"
2) "3"
3) "b"
4) "5"
> ZADD dup GT 1 b 10 b 7 b
(integer) 0
> ZSCORE dup b
"10"
> ZADD dup LT CH 8 b 1 b 3 b
(integer) 2
> ZSCORE dup b
"1"
"#,
    );
}
