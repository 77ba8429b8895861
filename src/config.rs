//! CONFIG parameters the engine honours, with Redis 7.0's names, aliases, defaults, bounds and
//! error texts. Values live in [`Config`], part of the engine state (so snapshots include them).

/// The parameters that change what the engine does.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Keyspace-notification classes, as Redis's flag bits (see [`crate::notify`]).
    pub notify_keyspace_events: u32,
    pub hash_max_listpack_entries: i64,
    pub hash_max_listpack_value: i64,
    pub set_max_intset_entries: i64,
    pub zset_max_listpack_entries: i64,
    pub zset_max_listpack_value: i64,
    pub list_max_listpack_size: i64,
    pub list_compress_depth: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            notify_keyspace_events: 0,
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            list_max_listpack_size: -2,
            list_compress_depth: 0,
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    /// An integer between the bounds.
    Int(i64, i64),
    /// notify-keyspace-events flags.
    NotifyFlags,
    /// Read-only: reported by CONFIG GET, refused by CONFIG SET.
    Immutable(&'static str),
}

struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
}

const PARAMS: &[Param] = &[
    Param { name: "notify-keyspace-events", alias: None, kind: Kind::NotifyFlags },
    Param {
        name: "hash-max-listpack-entries",
        alias: Some("hash-max-ziplist-entries"),
        kind: Kind::Int(0, i64::MAX),
    },
    Param {
        name: "hash-max-listpack-value",
        alias: Some("hash-max-ziplist-value"),
        kind: Kind::Int(0, i64::MAX),
    },
    Param { name: "set-max-intset-entries", alias: None, kind: Kind::Int(0, i64::MAX) },
    Param {
        name: "zset-max-listpack-entries",
        alias: Some("zset-max-ziplist-entries"),
        kind: Kind::Int(0, i64::MAX),
    },
    Param {
        name: "zset-max-listpack-value",
        alias: Some("zset-max-ziplist-value"),
        kind: Kind::Int(0, i64::MAX),
    },
    Param {
        name: "list-max-listpack-size",
        alias: Some("list-max-ziplist-size"),
        kind: Kind::Int(i32::MIN as i64, i32::MAX as i64),
    },
    Param { name: "list-compress-depth", alias: None, kind: Kind::Int(0, i32::MAX as i64) },
    Param { name: "databases", alias: None, kind: Kind::Immutable("16") },
];

impl Config {
    fn value_of(&self, p: &Param) -> String {
        match p.name {
            "notify-keyspace-events" => crate::notify::flags_to_string(self.notify_keyspace_events),
            "hash-max-listpack-entries" => self.hash_max_listpack_entries.to_string(),
            "hash-max-listpack-value" => self.hash_max_listpack_value.to_string(),
            "set-max-intset-entries" => self.set_max_intset_entries.to_string(),
            "zset-max-listpack-entries" => self.zset_max_listpack_entries.to_string(),
            "zset-max-listpack-value" => self.zset_max_listpack_value.to_string(),
            "list-max-listpack-size" => self.list_max_listpack_size.to_string(),
            "list-compress-depth" => self.list_compress_depth.to_string(),
            _ => match p.kind {
                Kind::Immutable(v) => v.to_string(),
                _ => String::new(),
            },
        }
    }

    fn store_int(&mut self, name: &str, v: i64) {
        match name {
            "hash-max-listpack-entries" => self.hash_max_listpack_entries = v,
            "hash-max-listpack-value" => self.hash_max_listpack_value = v,
            "set-max-intset-entries" => self.set_max_intset_entries = v,
            "zset-max-listpack-entries" => self.zset_max_listpack_entries = v,
            "zset-max-listpack-value" => self.zset_max_listpack_value = v,
            "list-max-listpack-size" => self.list_max_listpack_size = v,
            "list-compress-depth" => self.list_compress_depth = v,
            _ => {}
        }
    }

    /// CONFIG GET: every (name, value) whose name or alias matches one of the glob patterns, each
    /// parameter once, under the name that matched.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for p in PARAMS {
            for name in std::iter::once(p.name).chain(p.alias) {
                if seen.contains(&name) {
                    continue;
                }
                let exact = patterns.iter().any(|pat| pat.eq_ignore_ascii_case(name.as_bytes()));
                let matched = exact
                    || patterns.iter().any(|pat| crate::glob::matches(pat, name.as_bytes(), true));
                if matched {
                    seen.push(name);
                    out.push((name.to_string(), self.value_of(p)));
                }
            }
        }
        out
    }

    /// CONFIG SET with (name, value) pairs: all or nothing, with Redis's error texts.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<(), String> {
        let mut staged = self.clone();
        let mut used: Vec<&'static str> = Vec::new();
        for (name, value) in pairs {
            let lname = String::from_utf8_lossy(name).to_ascii_lowercase();
            let Some(p) = PARAMS.iter().find(|p| p.name == lname || p.alias == Some(lname.as_str()))
            else {
                return Err(format!(
                    "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                    String::from_utf8_lossy(name)
                ));
            };
            let fail = |why: &str| {
                format!("ERR CONFIG SET failed (possibly related to argument '{lname}') - {why}")
            };
            if used.contains(&p.name) {
                return Err(fail("duplicate parameter"));
            }
            used.push(p.name);
            match p.kind {
                Kind::Immutable(_) => return Err(fail("can't set immutable config")),
                Kind::NotifyFlags => match crate::notify::parse_flags(value) {
                    Some(f) => staged.notify_keyspace_events = f,
                    None => {
                        return Err(fail(
                            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
                        ))
                    }
                },
                Kind::Int(lo, hi) => {
                    let Some(v) = crate::num::parse_memory_or_int(value) else {
                        return Err(fail("argument couldn't be parsed into an integer"));
                    };
                    if v < lo || v > hi {
                        return Err(fail(&format!("argument must be between {lo} and {hi} inclusive")));
                    }
                    staged.store_int(p.name, v);
                }
            }
        }
        *self = staged;
        Ok(())
    }
}
