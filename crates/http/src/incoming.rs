//! A request as a component receives it, its body read with a limit
//! ([`MAX_BODY_BYTES`] unless the component names another): a body
//! announced (`Content-Length`) larger than the limit is refused
//! before a byte of it is read, and one without a length stops being read at
//! the limit. spin-sdk's own `Request` reads every body whole first.

use futures::StreamExt;
use spin_sdk::http::conversions::TryFromIncomingRequest;
use spin_sdk::http::{IncomingRequest, Request};

use crate::MAX_BODY_BYTES;

/// What went wrong reading a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFailure {
    TooLarge,
    Unreadable,
}

/// The entry type of every HTTP component: `fn handle(request: Incoming)`,
/// or `Incoming<{ 20 << 20 }>` for a component that takes larger bodies.
pub struct Incoming<const LIMIT: usize = MAX_BODY_BYTES> {
    /// The request; its body is empty when `failure` is set.
    pub(crate) request: Request,
    pub(crate) failure: Option<BodyFailure>,
}

fn announced_length(incoming: &IncomingRequest) -> Option<u64> {
    incoming
        .headers()
        .get("content-length")
        .first()
        .and_then(|value| std::str::from_utf8(value).ok())
        .and_then(|value| value.trim().parse().ok())
}

#[async_trait::async_trait]
impl<const LIMIT: usize> TryFromIncomingRequest for Incoming<LIMIT> {
    type Error = std::convert::Infallible;

    async fn try_from_incoming_request(incoming: IncomingRequest) -> Result<Self, Self::Error> {
        let mut builder = Request::builder();
        builder
            .method(incoming.method())
            .uri(incoming.uri())
            .headers(incoming.headers());
        let limit = LIMIT as u64;
        let mut failure = announced_length(&incoming)
            .filter(|length| *length > limit)
            .map(|_| BodyFailure::TooLarge);
        let mut body = Vec::new();
        if failure.is_none() {
            let mut stream = incoming.into_body_stream();
            while let Some(chunk) = stream.next().await {
                match chunk {
                    Ok(chunk) if body.len() + chunk.len() <= LIMIT => {
                        body.extend_from_slice(&chunk)
                    }
                    Ok(_) => {
                        failure = Some(BodyFailure::TooLarge);
                        break;
                    }
                    Err(_) => {
                        failure = Some(BodyFailure::Unreadable);
                        break;
                    }
                }
            }
        }
        if failure.is_some() {
            body.clear();
        }
        Ok(Incoming {
            request: builder.body(body).build(),
            failure,
        })
    }
}
