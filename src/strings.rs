//! strings commands.

use crate::commands::Handler;

/// The handlers this module contributes to the command table.
pub const HANDLERS: &[(&str, Handler)] = &[];
