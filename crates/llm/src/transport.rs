//! One JSON POST over Spin's outbound HTTP, with timeouts
//! ([`taskspin_outbound`]).

use std::time::Duration;

pub use taskspin_outbound::TransportError;

/// POSTs `body` as JSON to `url`; the status and body of the answer.
pub fn post_json(
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    timeout: Duration,
) -> Result<(u16, Vec<u8>), TransportError> {
    let mut all = vec![
        ("content-type", "application/json".to_owned()),
        ("accept", "application/json".to_owned()),
    ];
    all.extend_from_slice(headers);
    taskspin_outbound::post(url, &all, body, timeout)
}
