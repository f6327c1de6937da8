//! One JSON POST over Spin's outbound HTTP (`wasi:http/outgoing-handler`),
//! with the connect, first-byte and between-bytes timeouts that spin-sdk's
//! `send` does not expose. Synchronous: our handlers are.

use std::time::Duration;

use spin_sdk::http::{Fields, IncomingResponse, OutgoingBody, OutgoingRequest};
use spin_sdk::wit::wasi::http0_2_0::outgoing_handler;
use spin_sdk::wit::wasi::http0_2_0::types::{
    ErrorCode, IncomingBody, Method, RequestOptions, Scheme,
};
use wasi::io::streams::StreamError;

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the request timed out")]
    Timeout,
    #[error("{0}")]
    Failed(String),
}

/// A larger answer is refused: no model reply for a to-do list is this big.
const MAX_RESPONSE_BYTES: usize = 4 << 20;

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

fn classify(error: ErrorCode) -> TransportError {
    match error {
        ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout => TransportError::Timeout,
        other => TransportError::Failed(format!("{other:?}")),
    }
}

fn failed(what: &str) -> TransportError {
    TransportError::Failed(what.to_owned())
}

/// POSTs `body` as JSON to `url`; the status and body of the answer.
pub fn post_json(
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    timeout: Duration,
) -> Result<(u16, Vec<u8>), TransportError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| failed("the URL has no scheme"))?;
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => {
            return Err(TransportError::Failed(format!(
                "unsupported scheme {other}"
            )));
        }
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };

    let mut entries: Vec<(String, Vec<u8>)> = vec![
        ("content-type".into(), b"application/json".to_vec()),
        ("accept".into(), b"application/json".to_vec()),
        // A known length, not chunked encoding, which some servers refuse.
        ("content-length".into(), body.len().to_string().into_bytes()),
    ];
    entries.extend(
        headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.as_bytes().to_vec())),
    );
    let fields =
        Fields::from_list(&entries).map_err(|e| TransportError::Failed(format!("{e:?}")))?;
    let request = OutgoingRequest::new(fields);
    let set = [
        request.set_method(&Method::Post),
        request.set_scheme(Some(&scheme)),
        request.set_authority(Some(authority)),
        request.set_path_with_query(Some(path)),
    ];
    if set.iter().any(Result::is_err) {
        return Err(failed("the URL is not valid"));
    }
    let outgoing = request.body().map_err(|()| failed("no request body"))?;

    let options = RequestOptions::new();
    let connect = timeout.min(Duration::from_secs(5));
    // Setting a timeout the host does not support is not fatal.
    let _ = options.set_connect_timeout(Some(nanos(connect)));
    let _ = options.set_first_byte_timeout(Some(nanos(timeout)));
    let _ = options.set_between_bytes_timeout(Some(nanos(timeout)));
    let pending = outgoing_handler::handle(request, Some(options)).map_err(classify)?;

    {
        let stream = outgoing.write().map_err(|()| failed("no request stream"))?;
        for chunk in body.chunks(4096) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|e| TransportError::Failed(format!("writing the request: {e:?}")))?;
        }
    }
    OutgoingBody::finish(outgoing, None).map_err(classify)?;

    let response: IncomingResponse = loop {
        match pending.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(error))) => return Err(classify(error)),
            Some(Err(())) => return Err(failed("the response was already taken")),
            None => pending.subscribe().block(),
        }
    };
    let status = response.status();
    let incoming = response
        .consume()
        .map_err(|()| failed("no response body"))?;
    let data = read_all(&incoming)?;
    IncomingBody::finish(incoming);
    Ok((status, data))
}

fn read_all(body: &IncomingBody) -> Result<Vec<u8>, TransportError> {
    let stream = body.stream().map_err(|()| failed("no response stream"))?;
    let mut data = Vec::new();
    loop {
        match stream.blocking_read(64 * 1024) {
            Ok(chunk) => {
                data.extend_from_slice(&chunk);
                if data.len() > MAX_RESPONSE_BYTES {
                    return Err(failed("the response is too large"));
                }
            }
            Err(StreamError::Closed) => return Ok(data),
            Err(StreamError::LastOperationFailed(error)) => {
                let code = spin_sdk::wit::wasi::http0_2_0::types::http_error_code(&error);
                return Err(
                    code.map_or_else(|| TransportError::Failed(error.to_debug_string()), classify)
                );
            }
        }
    }
}
