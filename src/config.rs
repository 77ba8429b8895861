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
    /// A memory amount (`64`, `1k`, `1kb`, `2gb`, ...; Redis's MEMORY_CONFIG), 0 to i64::MAX.
    Memory,
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
        kind: Kind::Memory,
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
        kind: Kind::Memory,
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

    /// CONFIG GET, as Redis 7.0 answers it: an argument without glob characters (`*?[`) is a
    /// name or alias looked up exactly (any case) and answered under the name *as typed*; a
    /// pattern matches every name and alias (any case). Each name once (names compared in any
    /// case), in the order found.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let seen = |out: &[(String, String)], name: &[u8]| out.iter().any(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name));
        for pat in patterns {
            if !pat.iter().any(|c| matches!(c, b'*' | b'?' | b'[')) {
                let found = PARAMS.iter().find(|p| {
                    std::iter::once(p.name).chain(p.alias).any(|n| n.as_bytes().eq_ignore_ascii_case(pat))
                });
                if let Some(p) = found {
                    if !seen(&out, pat) {
                        out.push((String::from_utf8_lossy(pat).into_owned(), self.value_of(p)));
                    }
                }
                continue;
            }
            for p in PARAMS {
                for name in std::iter::once(p.name).chain(p.alias) {
                    if !seen(&out, name.as_bytes()) && crate::glob::matches(pat, name.as_bytes(), true) {
                        out.push((name.to_string(), self.value_of(p)));
                    }
                }
            }
        }
        out
    }

    /// CONFIG SET with (name, value) pairs: all or nothing, with Redis's error texts and in
    /// Redis's order of checks: first every name (unknown, immutable, given twice — in any case),
    /// then the values, numbers before the keyspace-event flags.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<(), String> {
        let mut staged = self.clone();
        let mut found: Vec<(&'static Param, String, &[u8])> = Vec::new();
        for (name, value) in pairs {
            let typed = String::from_utf8_lossy(name).into_owned();
            let lname = typed.to_ascii_lowercase();
            let Some(p) = PARAMS.iter().find(|p| p.name == lname || p.alias == Some(lname.as_str()))
            else {
                return Err(format!("ERR Unknown option or number of arguments for CONFIG SET - '{typed}'"));
            };
            if let Kind::Immutable(_) = p.kind {
                return Err(set_failed(&typed, "can't set immutable config"));
            }
            if found.iter().any(|(_, n, _)| *n == lname) {
                return Err(set_failed(&typed, "duplicate parameter"));
            }
            found.push((p, lname, value));
        }
        for (p, lname, value) in &found {
            match p.kind {
                Kind::Memory => {
                    let Some(v) = crate::num::parse_memory(value) else {
                        return Err(set_failed(lname, "argument must be a memory value"));
                    };
                    let Ok(v) = i64::try_from(v) else {
                        return Err(set_failed(lname, &format!("argument must be between 0 and {} inclusive", i64::MAX)));
                    };
                    staged.store_int(p.name, v);
                }
                Kind::Int(lo, hi) => {
                    let Some(v) = crate::num::parse_i64(value) else {
                        return Err(set_failed(lname, "argument couldn't be parsed into an integer"));
                    };
                    if v < lo || v > hi {
                        return Err(set_failed(lname, &format!("argument must be between {lo} and {hi} inclusive")));
                    }
                    staged.store_int(p.name, v);
                }
                _ => {}
            }
        }
        for (p, lname, value) in &found {
            if let Kind::NotifyFlags = p.kind {
                match crate::notify::parse_flags(value) {
                    Some(f) => staged.notify_keyspace_events = f,
                    None => return Err(set_failed(lname, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")),
                }
            }
        }
        *self = staged;
        Ok(())
    }
}

fn set_failed(name: &str, why: &str) -> String {
    format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {why}")
}
