//! The saved-state format (round trips of everything an engine holds, and refusal of every kind
//! of damaged data without panicking or half-applying) and snapshots (isolation, exact restore,
//! replay, the clock, and what restoring does to watching and blocked clients).

mod state_support;

use std::cell::Cell;
use std::rc::Rc;

use redis_playground::state::{StateError, HEADER_LEN, MAGIC, VERSION};
use redis_playground::{ClientId, Engine, Reply};
use state_support::{build_varied, dump, engine_on, line, ok};

/// 2026-01-01T00:00:00Z in µs.
const T0: i64 = 1_767_225_600_000_000;

/// An engine on a test wall clock, with the varied keyspace, a changed config and a frozen clock.
fn varied_engine() -> (Engine, ClientId, Rc<Cell<i64>>) {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    ok(&mut e, c, "CLOCK.FREEZE");
    build_varied(&mut e, c);
    ok(&mut e, c, "CONFIG SET notify-keyspace-events Kgx hash-max-listpack-entries 100 zset-max-listpack-value 32");
    ok(&mut e, c, "CONFIG SET set-max-intset-entries 1000 list-compress-depth 2");
    // Move the generator on.
    ok(&mut e, c, "SRANDMEMBER sbig 5");
    (e, c, wall)
}

/// A header and checksum around `body`, as the engine writes them.
fn wrap(version: u16, body: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    let mut h = crc32fast::Hasher::new();
    h.update(&out[8..20]);
    h.update(body);
    out.extend_from_slice(&h.finalize().to_le_bytes());
    out.extend_from_slice(body);
    out
}

fn body_of(saved: &[u8]) -> &[u8] {
    &saved[HEADER_LEN..]
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

#[test]
fn a_saved_state_loads_back_exactly() {
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    let wall = Rc::new(Cell::new(T0 + 999_000_000));
    let mut f = engine_on(&wall);
    f.load_state(&saved).expect("loads");
    assert_eq!(dump(&f), dump(&e));
    assert_eq!(f.state.config, e.state.config);
    assert_eq!(f.state.rng, e.state.rng);
    assert!(f.clock.is_frozen());
    assert_eq!(f.clock.now_us(), e.clock.now_us());
    // Saving again gives the same bytes.
    assert_eq!(f.save_state(), saved);
}

#[test]
fn every_type_and_encoding_is_in_the_varied_keyspace() {
    // The round trip above is only as good as what it covers.
    let (e, _, _) = varied_engine();
    let d = dump(&e).join("\n");
    for needle in [
        "db0 int string int ",
        "db0 emb string embstr ",
        "db0 raw string raw ",
        "db0 built string raw ",
        "db0 flt string embstr ",
        "db0 list list quicklist expire=Some(",
        "db0 hsmall hash listpack expire=Some(",
        "db0 hbig hash hashtable ",
        "db0 hshrunk hash hashtable ",
        "db0 sint set intset ",
        "db0 sstr set hashtable ",
        "db0 sshrunk set hashtable ",
        "db0 zsmall zset listpack ",
        "db0 zbig zset skiplist expire=Some(",
        "db0 zlong zset skiplist ",
        "db3 int string int expire=Some(",
        "db15 z15 zset listpack ",
        "db0 bin\\x00key\\xff string embstr",
    ] {
        assert!(d.contains(needle), "missing {needle:?} in\n{d}");
    }
    // -0 survives in a skiplist.
    assert!(d.contains(&format!("neg0@{:016x}", (-0.0f64).to_bits())), "{d}");
}

#[test]
fn loaded_values_behave_like_the_originals() {
    let (mut e, c, _) = varied_engine();
    let saved = e.save_state();
    let wall = Rc::new(Cell::new(T0));
    let mut f = engine_on(&wall);
    f.load_state(&saved).expect("loads");
    let d = f.open_client();
    for cmd in [
        "OBJECT ENCODING hshrunk",
        "OBJECT ENCODING sshrunk",
        "OBJECT ENCODING zlong",
        "HGETALL hsmall",
        "SMEMBERS sint",
        "ZRANGE zsmall 0 -1 WITHSCORES",
        "ZSCORE zlong neg0",
        "PTTL hsmall",
        "PTTL ttl:ms",
        "TTL list",
        "GET \"bin\\x00key\\xff\"",
        "LRANGE list 0 -1",
        "CONFIG GET notify-keyspace-events",
        "CONFIG GET set-max-intset-entries",
        "DBSIZE",
        "CLOCK.GET",
        // The generator continues identically.
        "SRANDMEMBER sbig 3",
        "SPOP sstr",
        "RANDOMKEY",
        "HSET hsmall f9 v9",
        "OBJECT ENCODING hsmall",
        "SELECT 3",
        "TTL int",
        "LPOP l3",
    ] {
        assert_eq!(line(&mut f, d, cmd), line(&mut e, c, cmd), "{cmd}");
    }
}

#[test]
fn a_running_clock_keeps_its_offset_from_wall_time() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    // Ten minutes ahead of the wall.
    ok(&mut e, c, "CLOCK.ADVANCE 10m");
    ok(&mut e, c, "SET short v EX 60");
    ok(&mut e, c, "SET long v EX 7200");
    let saved = e.save_state();
    let virtual_at_save = e.clock.now_us();

    // The page is reopened an hour later.
    let later = Rc::new(Cell::new(T0 + 3_600_000_000));
    let mut f = engine_on(&later);
    f.load_state(&saved).expect("loads");
    assert!(!f.clock.is_frozen());
    assert_eq!(f.clock.now_us(), virtual_at_save + 3_600_000_000);
    let d = f.open_client();
    assert_eq!(line(&mut f, d, "EXISTS short"), Reply::Int(0), "expired while the page was closed");
    assert_eq!(line(&mut f, d, "TTL long"), Reply::Int(3600));
    // It keeps running.
    later.set(later.get() + 5_000_000);
    assert_eq!(line(&mut f, d, "TTL long"), Reply::Int(3595));
}

#[test]
fn an_empty_engine_round_trips() {
    let wall = Rc::new(Cell::new(T0));
    let e = engine_on(&wall);
    let saved = e.save_state();
    let mut f = engine_on(&wall);
    let c = f.open_client();
    ok(&mut f, c, "SET x y");
    f.load_state(&saved).expect("loads");
    assert!(dump(&f).is_empty());
    assert_eq!(f.state.config, e.state.config);
}

#[test]
fn the_header_is_as_documented() {
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    assert_eq!(&saved[..8], b"RPGSTATE");
    assert_eq!(u16::from_le_bytes([saved[8], saved[9]]), VERSION);
    assert_eq!(&saved[10..12], &[0, 0]);
    let len = u64::from_le_bytes(saved[12..20].try_into().unwrap());
    assert_eq!(len as usize, saved.len() - HEADER_LEN);
    let mut h = crc32fast::Hasher::new();
    h.update(&saved[8..20]);
    h.update(&saved[HEADER_LEN..]);
    assert_eq!(u32::from_le_bytes(saved[20..24].try_into().unwrap()), h.finalize());
    // Wrapping the body again gives the same bytes.
    assert_eq!(wrap(VERSION, body_of(&saved)), saved);
}

// ---------------------------------------------------------------------------------------------
// Damaged data
// ---------------------------------------------------------------------------------------------

/// Loads `data` into a copy of a known engine: returns the error, and checks the engine is
/// untouched.
fn refuse(target: &mut Engine, data: &[u8]) -> StateError {
    let before = target.save_state();
    let err = match target.load_state(data) {
        Err(e) => e,
        Ok(()) => panic!("loaded damaged data of {} bytes", data.len()),
    };
    assert_eq!(target.save_state(), before, "a failed load changed the engine ({err})");
    assert!(!err.to_string().is_empty());
    err
}

fn small_target() -> Engine {
    let wall = Rc::new(Cell::new(T0));
    let mut t = engine_on(&wall);
    let c = t.open_client();
    ok(&mut t, c, "CLOCK.FREEZE");
    ok(&mut t, c, "RPUSH keep me please");
    ok(&mut t, c, "CONFIG SET notify-keyspace-events KA");
    t
}

#[test]
fn every_truncation_is_refused() {
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    let mut t = small_target();
    for len in 0..saved.len() {
        let err = refuse(&mut t, &saved[..len]);
        let expected_kind = matches!(err, StateError::Truncated { .. });
        assert!(expected_kind, "cut at {len}: {err:?}");
    }
    // And one byte too many.
    let mut long = saved.clone();
    long.push(0);
    assert!(matches!(refuse(&mut t, &long), StateError::Invalid(_)));
}

#[test]
fn every_single_bit_flip_is_refused() {
    // A small state with a key of each type (every bit of a big one would take long).
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    for cmd in [
        "CLOCK.FREEZE",
        "SET s \"v\\x00\" PX 5000",
        "RPUSH l a b",
        "HSET h f v",
        "SADD i 1 2",
        "SADD t x y",
        "ZADD z 1.5 m -inf n",
        "SELECT 4",
        "SET x 1",
    ] {
        ok(&mut e, c, cmd);
    }
    let saved = e.save_state();
    let mut t = small_target();
    let mut kinds = std::collections::HashSet::new();
    for byte in 0..saved.len() {
        for bit in 0..8 {
            let mut bad = saved.clone();
            bad[byte] ^= 1 << bit;
            let err = refuse(&mut t, &bad);
            kinds.insert(std::mem::discriminant(&err));
            if byte >= HEADER_LEN {
                assert!(matches!(err, StateError::Checksum { .. }), "byte {byte} bit {bit}: {err:?}");
            }
            if byte < 8 {
                assert_eq!(err, StateError::BadMagic);
            }
        }
    }
    // Magic, version, length and checksum damage each have their own report.
    assert!(kinds.len() >= 4, "{kinds:?}");
}

#[test]
fn wrong_magic_future_version_and_bad_checksum_have_clear_messages() {
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    let mut t = small_target();

    let err = refuse(&mut t, b"{\"not\": \"a state at all, but long enough\"}");
    assert_eq!(err, StateError::BadMagic);
    assert_eq!(err.to_string(), "the saved data is not a redis-playground state");
    assert_eq!(refuse(&mut t, b"{}"), StateError::BadMagic);

    let future = wrap(VERSION + 1, body_of(&saved));
    let err = refuse(&mut t, &future);
    assert_eq!(err, StateError::UnsupportedVersion(VERSION + 1));
    assert_eq!(
        err.to_string(),
        format!("the saved state has format version {}; this engine reads version {VERSION} and older", VERSION + 1)
    );
    assert_eq!(refuse(&mut t, &wrap(0, body_of(&saved))), StateError::UnsupportedVersion(0));

    let mut bad = saved.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x55;
    let err = refuse(&mut t, &bad);
    assert!(matches!(err, StateError::Checksum { .. }));
    assert!(err.to_string().starts_with("the saved state is corrupted: its checksum is "), "{err}");

    let err = refuse(&mut t, &saved[..100]);
    assert_eq!(err.to_string(), format!("the saved state is truncated: 100 bytes where {} were expected", saved.len()));
    assert_eq!(refuse(&mut t, b"RPG"), StateError::Truncated { len: 3, expected: HEADER_LEN });
}

#[test]
fn random_bytes_are_refused() {
    let mut t = small_target();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..3000 {
        let len = (next() % 400) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if round % 2 == 0 && len >= 8 {
            // Past the magic, into the rest of the checks.
            data[..8].copy_from_slice(MAGIC);
        }
        refuse(&mut t, &data);
    }
}

/// A body, written field by field as the module docs describe it.
struct Body(Vec<u8>);

impl Body {
    fn new() -> Body {
        Body(Vec::new())
    }
    fn u8(mut self, v: u8) -> Body {
        self.0.push(v);
        self
    }
    fn i64(mut self, v: i64) -> Body {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Body {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn f64(self, v: f64) -> Body {
        self.u64(v.to_bits())
    }
    fn varint(mut self, mut v: u64) -> Body {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(low);
                return self;
            }
            self.0.push(low | 0x80);
        }
    }
    fn bytes(self, b: &[u8]) -> Body {
        self.varint(b.len() as u64).raw(b)
    }
    fn raw(mut self, b: &[u8]) -> Body {
        self.0.extend_from_slice(b);
        self
    }
    /// A frozen clock, a generator state and no config: the start of every body below.
    fn preamble() -> Body {
        Body::new().u8(1).i64(T0).i64(0).u64(12345).varint(0)
    }
    /// The preamble and database 0 with one key `k` (no expiry) whose value follows.
    fn one_key() -> Body {
        Body::preamble().varint(1).u8(0).varint(1).bytes(b"k").u8(0)
    }
}

#[test]
fn hand_written_bodies_load_when_valid() {
    let body = Body::one_key().u8(0).u8(0).bytes(b"v");
    let mut t = small_target();
    t.load_state(&wrap(1, &body.0)).expect("a minimal state loads");
    let c = t.open_client();
    assert_eq!(line(&mut t, c, "GET k"), Reply::bulk("v"));
    assert_eq!(line(&mut t, c, "CLOCK.GET"), Reply::Array(vec![Reply::Int(T0 / 1000), Reply::bulk("frozen")]));
    assert_eq!(line(&mut t, c, "DBSIZE"), Reply::Int(1), "the old keys are gone");
    // The config went back to the defaults: the state had none.
    assert_eq!(
        line(&mut t, c, "CONFIG GET notify-keyspace-events"),
        Reply::Array(vec![Reply::bulk("notify-keyspace-events"), Reply::bulk("")])
    );
    // A key already past its expiry time loads and expires at once.
    let body = Body::preamble().varint(1).u8(2).varint(1).bytes(b"old").u8(1).i64(T0 / 1000 - 1).u8(0).u8(0).bytes(b"v");
    t.load_state(&wrap(1, &body.0)).expect("loads");
    assert_eq!(line(&mut t, c, "SELECT 2"), Reply::ok());
    assert_eq!(line(&mut t, c, "EXISTS old"), Reply::Int(0));
}

#[test]
fn structurally_invalid_bodies_are_refused_with_a_reason() {
    let cases: Vec<(&str, Body)> = vec![
        ("unknown clock mode 7", Body::new().u8(7).i64(0).i64(0).u64(1).varint(0).varint(0)),
        ("the random generator's state is 0", Body::new().u8(0).i64(0).i64(0).u64(0).varint(0).varint(0)),
        (
            "config: ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument couldn't be parsed into an integer",
            Body::new().u8(0).i64(0).i64(0).u64(1).varint(1).bytes(b"hash-max-listpack-entries").bytes(b"many").varint(0),
        ),
        (
            "config: ERR Unknown option or number of arguments for CONFIG SET - 'maxmemory-of-the-moon'",
            Body::new().u8(0).i64(0).i64(0).u64(1).varint(1).bytes(b"maxmemory-of-the-moon").bytes(b"1").varint(0),
        ),
        ("17 databases (there are 16)", Body::preamble().varint(17).raw(&[0; 40])),
        ("database 16 is out of range or out of order", Body::preamble().varint(1).u8(16).varint(0)),
        (
            "database 2 is out of range or out of order",
            Body::preamble().varint(2).u8(3).varint(0).u8(2).varint(0),
        ),
        ("unknown key flags 2", Body::preamble().varint(1).u8(0).varint(1).bytes(b"k").u8(2)),
        ("unknown value type 9", Body::one_key().u8(9).varint(1)),
        ("unknown string flags 4", Body::one_key().u8(0).u8(4).bytes(b"v")),
        ("an empty collection (Redis never keeps one)", Body::one_key().u8(1).varint(0)),
        ("a collection holds the same element twice", Body::one_key().u8(2).varint(2).bytes(b"f").bytes(b"1").bytes(b"f").bytes(b"2")),
        ("a collection holds the same element twice", Body::one_key().u8(5).varint(2).bytes(b"m").bytes(b"m")),
        ("a collection holds the same element twice", Body::one_key().u8(7).varint(2).bytes(b"m").f64(1.0).bytes(b"m").f64(2.0)),
        ("an intset holds a member that is not an integer", Body::one_key().u8(4).varint(2).bytes(b"1").bytes(b"x")),
        ("an intset holds a member that is not an integer", Body::one_key().u8(4).varint(1).bytes(b"01")),
        ("a sorted set holds a NaN score", Body::one_key().u8(6).varint(1).bytes(b"m").f64(f64::NAN)),
        (
            "database 0 holds a key twice",
            Body::preamble().varint(1).u8(0).varint(2).bytes(b"k").u8(0).u8(0).u8(0).bytes(b"a").bytes(b"k").u8(0).u8(0).u8(0).bytes(b"b"),
        ),
        ("1 bytes after the last database", Body::one_key().u8(0).u8(0).bytes(b"v").u8(0)),
        ("a list element (5) is more than the data holds", Body::one_key().u8(1).varint(1).varint(5).raw(b"ab")),
        ("a collection's size (1000000) is more than the data holds", Body::one_key().u8(3).varint(1_000_000)),
        ("the data ends inside a score", Body::one_key().u8(6).varint(1).bytes(b"m").raw(&[1, 2, 3])),
        ("the data ends inside the clock", Body::new().u8(0).raw(&[1, 2])),
        ("a key is out of range", Body::preamble().varint(1).u8(0).varint(1).raw(&[0xff; 10])),
    ];
    let mut t = small_target();
    for (why, body) in cases {
        let err = refuse(&mut t, &wrap(1, &body.0));
        assert_eq!(err, StateError::Invalid(why.to_string()), "{why}");
        assert_eq!(err.to_string(), format!("the saved state is invalid: {why}"));
    }
}

#[test]
fn corrupted_bodies_with_a_valid_checksum_never_panic() {
    // Damage that a checksum cannot catch (data written wrong, not damaged later): every load
    // either fails cleanly or gives an engine that works.
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    let body = body_of(&saved).to_vec();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut t = small_target();
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..1500 {
        let mut b = body.clone();
        match round % 3 {
            0 => {
                let i = (next() as usize) % b.len();
                b[i] = next() as u8;
            }
            1 => {
                let i = (next() as usize) % b.len();
                b.truncate(i);
            }
            _ => {
                let i = (next() as usize) % b.len();
                let n = 1 + (next() as usize) % 8;
                for j in i..(i + n).min(b.len()) {
                    b[j] ^= next() as u8;
                }
            }
        }
        match t.load_state(&wrap(1, &b)) {
            Ok(()) => {
                loaded += 1;
                let c = t.open_client();
                for cmd in ["DBSIZE", "KEYS *", "SCAN 0 COUNT 1000", "RANDOMKEY", "INFO keyspace", "FLUSHALL"] {
                    line(&mut t, c, cmd);
                }
                t.close_client(c);
            }
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 0 && loaded > 0, "loaded {loaded}, refused {refused}");
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

#[test]
fn a_snapshot_is_isolated_from_later_writes_and_restores_exactly() {
    let (mut e, c, _) = varied_engine();
    let before = dump(&e);
    let config = e.state.config.clone();
    let rng = e.state.rng;
    let snap = e.snapshot();
    for cmd in [
        "FLUSHDB",
        "SELECT 3",
        "DEL l3",
        "SELECT 0",
        "SET new value",
        "CONFIG SET hash-max-listpack-entries 1",
        "SPOP sbig",
        "CLOCK.ADVANCE 1d",
    ] {
        ok(&mut e, c, cmd);
    }
    assert_ne!(dump(&e), before);
    e.restore(&snap);
    assert_eq!(dump(&e), before);
    assert_eq!(e.state.config, config);
    assert_eq!(e.state.rng, rng);
    assert_eq!(e.clock.now_us(), snap.clock_us());
    assert!(e.clock.is_frozen());
    // A snapshot can be restored again after more changes.
    ok(&mut e, c, "DEL hbig");
    e.restore(&snap);
    assert_eq!(dump(&e), before);
    // The snapshot itself never changed.
    assert_eq!(snap.state().dbs[0].len(), e.state.dbs[0].len());
}

#[test]
fn going_back_then_forward_is_the_same_as_replaying() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    ok(&mut e, c, "CLOCK.FREEZE");
    let steps: Vec<String> = vec![
        "SADD s a b c d e f g h i j k l m n o p q 1 2 3".into(),
        "SPOP s 3".into(),
        "SET t v EX 30".into(),
        "CLOCK.ADVANCE 20s".into(),
        "SRANDMEMBER s -5".into(),
        "ZADD z 1 a 2 b 3 c".into(),
        "ZINCRBY z 5 a".into(),
        "CLOCK.ADVANCE 15s".into(),
        "RANDOMKEY".into(),
        "EXISTS t".into(),
        "HRANDFIELD nothing".into(),
        "RPUSH l x y z".into(),
        "LMOVE l l2 LEFT RIGHT".into(),
        "SPOP s".into(),
    ];
    let mut snaps = Vec::new();
    let mut replies = Vec::new();
    for s in &steps {
        snaps.push(e.snapshot());
        replies.push(line(&mut e, c, s));
    }
    let final_dump = dump(&e);
    let final_clock = e.clock.now_us();
    for (k, snap) in snaps.iter().enumerate() {
        e.restore(snap);
        for (j, s) in steps.iter().enumerate().skip(k) {
            assert_eq!(line(&mut e, c, s), replies[j], "from step {k}, step {j}: {s}");
        }
        assert_eq!(dump(&e), final_dump, "from step {k}");
        assert_eq!(e.clock.now_us(), final_clock);
    }
}

#[test]
fn a_running_clock_runs_on_from_the_snapshot_instant() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let c = e.open_client();
    ok(&mut e, c, "SET k v EX 100");
    let snap = e.snapshot();
    wall.set(T0 + 60_000_000);
    assert_eq!(line(&mut e, c, "TTL k"), Reply::Int(40));
    e.restore(&snap);
    assert!(!e.clock.is_frozen());
    assert_eq!(e.clock.now_us(), T0);
    assert_eq!(line(&mut e, c, "TTL k"), Reply::Int(100));
    wall.set(T0 + 70_000_000);
    assert_eq!(line(&mut e, c, "TTL k"), Reply::Int(90));
    // A frozen snapshot restores a frozen clock, even onto a running one.
    ok(&mut e, c, "CLOCK.FREEZE");
    let frozen = e.snapshot();
    ok(&mut e, c, "CLOCK.RESUME");
    wall.set(T0 + 80_000_000);
    e.restore(frozen);
    assert!(e.clock.is_frozen());
    wall.set(T0 + 90_000_000);
    assert_eq!(line(&mut e, c, "TTL k"), Reply::Int(90));
}

#[test]
fn a_restore_touches_every_watched_key() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let a = e.open_client();
    let b = e.open_client();
    ok(&mut e, a, "SET k 1");
    let snap = e.snapshot();
    // Watching a key that the restore does not change still fails the transaction.
    ok(&mut e, a, "WATCH k never-existed");
    ok(&mut e, a, "MULTI");
    ok(&mut e, a, "SET k 2");
    e.restore(&snap);
    assert_eq!(line(&mut e, a, "EXEC"), Reply::NilArray);
    assert_eq!(line(&mut e, a, "GET k"), Reply::bulk("1"));
    // The watch is gone after that EXEC: a new transaction goes through.
    ok(&mut e, a, "MULTI");
    ok(&mut e, a, "SET k 3");
    assert_eq!(line(&mut e, a, "EXEC"), Reply::Array(vec![Reply::ok()]));
    // A client that watches nothing is not affected.
    ok(&mut e, b, "MULTI");
    ok(&mut e, b, "INCR k");
    e.restore(&snap);
    assert_eq!(line(&mut e, b, "EXEC"), Reply::Array(vec![Reply::Int(2)]));
}

#[test]
fn a_blocked_client_is_served_when_the_restored_key_has_data() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let a = e.open_client();
    let w = e.open_client();
    ok(&mut e, a, "CLOCK.FREEZE");
    ok(&mut e, a, "RPUSH q job");
    let with_job = e.snapshot();
    ok(&mut e, a, "DEL q");
    let empty = e.snapshot();
    assert_eq!(line(&mut e, w, "BLPOP q 0"), Reply::Blocked);
    // Restoring a state where q is still empty leaves the worker waiting.
    e.restore(&empty);
    assert!(e.take_deliveries().is_empty());
    assert!(e.client(w).is_some_and(|c| c.blocked.is_some()));
    // Restoring one where q has a job serves it at once, as a write to q would.
    e.restore(&with_job);
    assert_eq!(e.take_deliveries(), vec![(w, Reply::bulks(["q", "job"]))]);
    assert_eq!(line(&mut e, a, "EXISTS q"), Reply::Int(0));
}

#[test]
fn a_blocking_timeout_stays_an_absolute_time() {
    let wall = Rc::new(Cell::new(T0));
    let mut e = engine_on(&wall);
    let a = e.open_client();
    let w = e.open_client();
    ok(&mut e, a, "CLOCK.FREEZE");
    let early = e.snapshot();
    ok(&mut e, a, "CLOCK.ADVANCE 10s");
    assert_eq!(line(&mut e, w, "BLPOP q 5"), Reply::Blocked);
    // Back to 10 s earlier: the timeout is now 15 s away.
    e.restore(&early);
    assert!(e.take_deliveries().is_empty());
    ok(&mut e, a, "CLOCK.ADVANCE 14s");
    assert!(e.take_deliveries().is_empty());
    ok(&mut e, a, "CLOCK.ADVANCE 1s");
    assert_eq!(e.take_deliveries(), vec![(w, Reply::NilArray)]);
    // Restoring to a time past a timeout times the client out at once.
    let late = e.snapshot();
    e.restore(&early);
    assert_eq!(line(&mut e, w, "BLPOP q 1"), Reply::Blocked);
    e.restore(&late);
    assert_eq!(e.take_deliveries(), vec![(w, Reply::NilArray)]);
}

#[test]
fn loading_a_state_treats_connected_clients_like_a_restore() {
    let (e, _, _) = varied_engine();
    let saved = e.save_state();
    let wall = Rc::new(Cell::new(T0));
    let mut f = engine_on(&wall);
    let a = f.open_client();
    ok(&mut f, a, "WATCH list");
    ok(&mut f, a, "MULTI");
    ok(&mut f, a, "PING");
    f.load_state(&saved).expect("loads");
    assert_eq!(line(&mut f, a, "EXEC"), Reply::NilArray);
    // A failed load touches nothing: the watch holds.
    ok(&mut f, a, "WATCH list");
    ok(&mut f, a, "MULTI");
    ok(&mut f, a, "PING");
    assert!(f.load_state(&saved[..50]).is_err());
    assert_eq!(line(&mut f, a, "EXEC"), Reply::Array(vec![Reply::Status("PONG".into())]));
}

#[test]
fn snapshots_share_structure_with_the_engine() {
    // A snapshot holds the same trees: a value read through it is the very same allocation, so
    // taking it copied nothing.
    let (e, _, _) = varied_engine();
    let snap = e.snapshot();
    let original = e.state.dbs[0].get(b"raw").map(|en| en.value.clone());
    let copy = snap.state().dbs[0].get(b"raw").map(|en| en.value.clone());
    match (original, copy) {
        (Some(redis_playground::value::Value::Str(a)), Some(redis_playground::value::Value::Str(b))) => {
            assert!(std::sync::Arc::ptr_eq(&a.data, &b.data));
        }
        other => panic!("{other:?}"),
    }
}
