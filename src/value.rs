//! The values a key can hold.
//!
//! Every value is built from persistent (structurally shared) parts: cloning a [`Value`] is O(1)
//! whatever its size, and so is cloning a whole [`crate::keyspace::Db`]. A snapshot of the engine is
//! therefore a handful of pointer copies; a write after a snapshot copies only the path it touches
//! (copy-on-write at the granularity of tree nodes), never the whole value.
//!
//! Strings are shared byte slices ([`Bytes`]); the four collection types live in their own modules,
//! one per family, like Redis's `t_hash.c`, `t_list.c`, `t_set.c` and `t_zset.c`.

use std::sync::Arc;

use crate::hashes::Hash;
use crate::lists::List;
use crate::sets::Set;
use crate::zsets::ZSet;

/// An immutable, cheaply clonable, binary-safe byte string (keys, string values, members).
pub type Bytes = Arc<[u8]>;

/// Makes a [`Bytes`] from anything byte-like.
pub fn bytes(data: impl AsRef<[u8]>) -> Bytes {
    Arc::from(data.as_ref())
}

/// A string value. `raw` remembers that the value was built in place (APPEND, SETRANGE), which is
/// what makes Redis report the `raw` encoding for it even when it is short; `no_int` that it was
/// stored without trying the integer encoding (INCRBYFLOAT's result `3` is an `embstr`).
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub data: Bytes,
    pub raw: bool,
    pub no_int: bool,
}

impl Str {
    pub fn new(data: impl AsRef<[u8]>) -> Str {
        Str { data: bytes(data), raw: false, no_int: false }
    }

    /// A string built in place (APPEND, SETRANGE): reported as `raw`.
    pub fn built(data: impl AsRef<[u8]>) -> Str {
        Str { data: bytes(data), raw: true, no_int: false }
    }

    /// A float result (INCRBYFLOAT): never reported as `int`.
    pub fn float_result(data: impl AsRef<[u8]>) -> Str {
        Str { data: bytes(data), raw: false, no_int: true }
    }

    /// Redis's name for how this string would be stored: `int`, `embstr` or `raw`.
    pub fn encoding(&self) -> &'static str {
        if self.raw {
            "raw"
        } else if !self.no_int && self.data.len() <= 20 && crate::num::parse_i64(&self.data).is_some() {
            "int"
        } else if self.data.len() <= 44 {
            "embstr"
        } else {
            "raw"
        }
    }
}

/// Any value held by a key.
#[derive(Clone, Debug)]
pub enum Value {
    Str(Str),
    List(List),
    Hash(Hash),
    Set(Set),
    ZSet(ZSet),
}

impl Value {
    /// A string value.
    pub fn str(data: impl AsRef<[u8]>) -> Value {
        Value::Str(Str::new(data))
    }

    /// The name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// The name OBJECT ENCODING reports for the equivalent Redis value.
    pub fn encoding(&self, config: &crate::config::Config) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => l.encoding(config),
            Value::Hash(h) => h.encoding(config),
            Value::Set(s) => s.encoding(config),
            Value::ZSet(z) => z.encoding(config),
        }
    }

    /// True for a collection with no elements (such a key must not stay in the keyspace).
    pub fn is_empty_collection(&self) -> bool {
        match self {
            Value::Str(_) => false,
            Value::List(l) => l.is_empty(),
            Value::Hash(h) => h.is_empty(),
            Value::Set(s) => s.is_empty(),
            Value::ZSet(z) => z.is_empty(),
        }
    }
}
