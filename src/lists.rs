//! list commands (not yet implemented: the family's module fills this in).

use crate::commands::Handler;
use crate::config::Config;

/// A list value.
#[derive(Clone, Debug, Default)]
pub struct List {
    len: usize,
}

impl List {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn encoding(&self, _config: &Config) -> &'static str {
        "quicklist"
    }
}

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[];
