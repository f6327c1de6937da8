//! POST requests over Spin's outbound HTTP (`wasi:http/outgoing-handler`),
//! with the connect, first-byte and between-bytes timeouts that spin-sdk's
//! `send` does not expose, and one deadline over everything: a request that
//! has not answered in full by then is dropped, which cancels it. Several
//! requests started together wait in one `poll`, so a pass that pushes to
//! many browsers waits for the slowest push service once, not for each.
//! Synchronous: our handlers are.

use std::time::Duration;

use spin_sdk::http::{Fields, IncomingResponse, OutgoingBody, OutgoingRequest};
use spin_sdk::wit::wasi::http0_2_0::outgoing_handler;
use spin_sdk::wit::wasi::http0_2_0::types::{
    ErrorCode, FutureIncomingResponse, IncomingBody, Method, RequestOptions, Scheme,
};
use wasi::clocks::monotonic_clock;
use wasi::io::poll::{Pollable, poll};
use wasi::io::streams::{InputStream, StreamError};

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the request timed out")]
    Timeout,
    #[error("{0}")]
    Failed(String),
}

/// One POST to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A status and the answer's body.
pub type Answer = (u16, Vec<u8>);

/// A larger answer is refused: nothing we call answers this much.
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

/// POSTs `body` to `url`; the status and body of the answer.
pub fn post(
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    timeout: Duration,
) -> Result<Answer, TransportError> {
    let request = Post {
        url: url.to_owned(),
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect(),
        body: body.to_vec(),
    };
    post_all(std::slice::from_ref(&request), timeout)
        .pop()
        .unwrap_or_else(|| Err(failed("no answer")))
}

/// Sends every request at once and waits for all of them, but never past
/// `timeout` from now: what is still unanswered then is a timeout. The
/// answers come in the order of `requests`.
pub fn post_all(requests: &[Post], timeout: Duration) -> Vec<Result<Answer, TransportError>> {
    let deadline = monotonic_clock::now().saturating_add(nanos(timeout));
    let mut flights: Vec<Flight> = requests
        .iter()
        .map(|request| match start(request, timeout) {
            Ok(pending) => Flight::Waiting(pending),
            Err(error) => Flight::Done(Err(error)),
        })
        .collect();
    loop {
        for flight in &mut flights {
            flight.advance();
        }
        let waiting: Vec<Pollable> = flights.iter().filter_map(Flight::pollable).collect();
        if waiting.is_empty() {
            break;
        }
        if monotonic_clock::now() >= deadline {
            // Pollables are children of what they watch: gone first.
            drop(waiting);
            for flight in &mut flights {
                if !matches!(flight, Flight::Done(_)) {
                    *flight = Flight::Done(Err(TransportError::Timeout));
                }
            }
            break;
        }
        let timer = monotonic_clock::subscribe_instant(deadline);
        let mut all: Vec<&Pollable> = waiting.iter().collect();
        all.push(&timer);
        poll(&all);
    }
    flights
        .into_iter()
        .map(|flight| match flight {
            Flight::Done(answer) => answer,
            _ => Err(TransportError::Timeout),
        })
        .collect()
}

/// Where one request stands.
enum Flight {
    Waiting(FutureIncomingResponse),
    Reading {
        status: u16,
        // Dropped before its body: the stream is the body's child resource.
        stream: InputStream,
        body: IncomingBody,
        data: Vec<u8>,
    },
    Done(Result<Answer, TransportError>),
}

impl Flight {
    /// Takes whatever is ready without blocking.
    fn advance(&mut self) {
        loop {
            let next = match std::mem::replace(self, Flight::Done(Err(failed("lost")))) {
                Flight::Waiting(pending) => match pending.get() {
                    None => {
                        *self = Flight::Waiting(pending);
                        return;
                    }
                    Some(Ok(Ok(response))) => reading(response),
                    Some(Ok(Err(error))) => Flight::Done(Err(classify(error))),
                    Some(Err(())) => Flight::Done(Err(failed("the response was already taken"))),
                },
                Flight::Reading {
                    status,
                    stream,
                    body,
                    mut data,
                } => match stream.read(64 * 1024) {
                    Ok(chunk) if chunk.is_empty() => {
                        *self = Flight::Reading {
                            status,
                            stream,
                            body,
                            data,
                        };
                        return;
                    }
                    Ok(chunk) => {
                        data.extend_from_slice(&chunk);
                        if data.len() > MAX_RESPONSE_BYTES {
                            Flight::Done(Err(failed("the response is too large")))
                        } else {
                            Flight::Reading {
                                status,
                                stream,
                                body,
                                data,
                            }
                        }
                    }
                    Err(StreamError::Closed) => {
                        drop(stream);
                        IncomingBody::finish(body);
                        Flight::Done(Ok((status, data)))
                    }
                    Err(StreamError::LastOperationFailed(error)) => {
                        let code = spin_sdk::wit::wasi::http0_2_0::types::http_error_code(&error);
                        Flight::Done(Err(code.map_or_else(
                            || TransportError::Failed(error.to_debug_string()),
                            classify,
                        )))
                    }
                },
                done @ Flight::Done(_) => {
                    *self = done;
                    return;
                }
            };
            *self = next;
        }
    }

    fn pollable(&self) -> Option<Pollable> {
        match self {
            Flight::Waiting(pending) => Some(pending.subscribe()),
            Flight::Reading { stream, .. } => Some(stream.subscribe()),
            Flight::Done(_) => None,
        }
    }
}

fn reading(response: IncomingResponse) -> Flight {
    let status = response.status();
    let Ok(body) = response.consume() else {
        return Flight::Done(Err(failed("no response body")));
    };
    match body.stream() {
        Ok(stream) => Flight::Reading {
            status,
            stream,
            body,
            data: Vec::new(),
        },
        Err(()) => Flight::Done(Err(failed("no response stream"))),
    }
}

/// Sends the request's head and body; the answer is awaited by the caller.
fn start(request: &Post, timeout: Duration) -> Result<FutureIncomingResponse, TransportError> {
    let (scheme, rest) = request
        .url
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

    // A known length, not chunked encoding, which some servers refuse.
    let mut entries: Vec<(String, Vec<u8>)> = vec![(
        "content-length".into(),
        request.body.len().to_string().into_bytes(),
    )];
    entries.extend(
        request
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.as_bytes().to_vec())),
    );
    let fields =
        Fields::from_list(&entries).map_err(|e| TransportError::Failed(format!("{e:?}")))?;
    let outgoing_request = OutgoingRequest::new(fields);
    let set = [
        outgoing_request.set_method(&Method::Post),
        outgoing_request.set_scheme(Some(&scheme)),
        outgoing_request.set_authority(Some(authority)),
        outgoing_request.set_path_with_query(Some(path)),
    ];
    if set.iter().any(Result::is_err) {
        return Err(failed("the URL is not valid"));
    }
    let outgoing = outgoing_request
        .body()
        .map_err(|()| failed("no request body"))?;

    let options = RequestOptions::new();
    let connect = timeout.min(Duration::from_secs(5));
    // Setting a timeout the host does not support is not fatal: the
    // deadline still holds.
    let _ = options.set_connect_timeout(Some(nanos(connect)));
    let _ = options.set_first_byte_timeout(Some(nanos(timeout)));
    let _ = options.set_between_bytes_timeout(Some(nanos(timeout)));
    let pending = outgoing_handler::handle(outgoing_request, Some(options)).map_err(classify)?;

    {
        let stream = outgoing.write().map_err(|()| failed("no request stream"))?;
        for chunk in request.body.chunks(4096) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|e| TransportError::Failed(format!("writing the request: {e:?}")))?;
        }
    }
    OutgoingBody::finish(outgoing, None).map_err(classify)?;
    Ok(pending)
}
