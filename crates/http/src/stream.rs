//! Responses whose body is written while it is sent (an export of 50,000
//! tasks never sits in the component's memory whole). The head goes out
//! first; a body that breaks off is not finished, so the client sees a
//! failed transfer rather than a short file that looks complete.

use std::io::{self, Write};

use spin_sdk::http::{
    Fields, IntoResponse, OutgoingBody, OutgoingResponse, Request, Response, ResponseOutparam,
};

use crate::{ApiResult, Incoming, REQUEST_ID_HEADER, Started};

/// The body's writer: what it wrote, or why it stopped.
pub type WriteBody = Box<dyn FnOnce(&mut dyn Write) -> anyhow::Result<()>>;

/// A `200` (or other) head and the function that writes its body.
pub struct Streamed {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: WriteBody,
}

/// What a streaming handler answers.
pub enum Reply {
    Whole(Response),
    Streamed(Streamed),
}

/// The most bytes one `blocking-write-and-flush` takes (WASI 0.2).
const WRITE_BYTES: usize = 4096;
/// Bytes gathered before they are written.
const BUFFER_BYTES: usize = 64 * 1024;

/// `std::io::Write` over the response body's output stream.
struct BodyWriter<F: FnMut(&[u8]) -> io::Result<()>> {
    buffer: Vec<u8>,
    send: F,
}

impl<F: FnMut(&[u8]) -> io::Result<()>> BodyWriter<F> {
    fn send_buffer(&mut self) -> io::Result<()> {
        for piece in self.buffer.chunks(WRITE_BYTES) {
            (self.send)(piece)?;
        }
        self.buffer.clear();
        Ok(())
    }
}

impl<F: FnMut(&[u8]) -> io::Result<()>> Write for BodyWriter<F> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER_BYTES {
            self.send_buffer()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_buffer()
    }
}

fn outgoing(status: u16, headers: &[(String, String)]) -> Option<OutgoingResponse> {
    let list: Vec<(String, Vec<u8>)> = headers
        .iter()
        .map(|(name, value)| (name.clone(), value.clone().into_bytes()))
        .collect();
    let response = OutgoingResponse::new(Fields::from_list(&list).ok()?);
    response.set_status_code(status).ok()?;
    Some(response)
}

/// [`crate::serve`] for handlers that may stream: `route` answers with a
/// whole response, or a head and a body writer.
pub async fn serve_streaming<const LIMIT: usize>(
    component: &'static str,
    incoming: Incoming<LIMIT>,
    out: ResponseOutparam,
    route: impl FnOnce(Request) -> ApiResult<Reply>,
) {
    let (started, request) = Started::begin(component, incoming);
    let reply = match request {
        Ok(request) => route(request).unwrap_or_else(|error| Reply::Whole(error.into_response())),
        Err(refused) => Reply::Whole(refused),
    };
    match reply {
        Reply::Whole(response) => {
            let mut response = started.finish(response, None);
            let headers: Vec<(String, String)> = response
                .headers()
                .filter_map(|(name, value)| Some((name.to_owned(), value.as_str()?.to_owned())))
                .collect();
            let body = std::mem::take(response.body_mut());
            if let Some(head) = outgoing(*response.status(), &headers) {
                // The client going away is not ours to report.
                let _ = out.set_with_body(head, body).await;
            }
        }
        Reply::Streamed(Streamed {
            status,
            mut headers,
            body,
        }) => {
            headers.push((REQUEST_ID_HEADER.to_owned(), started.request_id.clone()));
            let Some(head) = outgoing(status, &headers) else {
                started.log(500, Some("the response head was refused".into()));
                return;
            };
            let Ok(outgoing_body) = head.body() else {
                started.log(500, Some("the response body was taken".into()));
                return;
            };
            out.set(head);
            let written = match outgoing_body.write() {
                Ok(stream) => {
                    let mut writer = BodyWriter {
                        buffer: Vec::with_capacity(BUFFER_BYTES),
                        send: |bytes: &[u8]| {
                            stream
                                .blocking_write_and_flush(bytes)
                                .map_err(|e| io::Error::other(format!("{e:?}")))
                        },
                    };
                    body(&mut writer).and_then(|()| Ok(writer.flush()?))
                }
                Err(()) => Err(anyhow::anyhow!("the response body cannot be written")),
            };
            match written {
                Ok(()) => {
                    let _ = OutgoingBody::finish(outgoing_body, None);
                    started.log(status, None);
                }
                // Dropped unfinished: the transfer ends in an error.
                Err(error) => started.log(status, Some(format!("{error:#}"))),
            }
        }
    }
}
