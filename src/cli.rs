//! redis-cli's text (stub).

use crate::reply::Reply;

/// Splits a line into arguments like redis-cli (`sdssplitargs`).
pub fn split_args(line: &[u8]) -> Result<Vec<Vec<u8>>, ()> {
    Ok(line.split(|c| *c == b' ').filter(|w| !w.is_empty()).map(|w| w.to_vec()).collect())
}

/// Formats a reply like `redis-cli --no-raw`.
pub fn format_reply(r: &Reply) -> String {
    format!("{r:?}")
}
