//! hash commands (not yet implemented: the family's module fills this in).

use crate::commands::Handler;
use crate::config::Config;

/// A hash value.
#[derive(Clone, Debug, Default)]
pub struct Hash {
    len: usize,
}

impl Hash {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn encoding(&self, _config: &Config) -> &'static str {
        "hashtable"
    }
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[];
