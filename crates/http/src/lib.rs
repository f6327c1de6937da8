//! The plumbing every HTTP component shares.
//!
//! A component's entry point hands its request to [`serve`], which gives the
//! request an ID, runs the component's router, turns every error into an
//! `application/problem+json` response (RFC 9457), echoes the ID in
//! `x-request-id`, and writes exactly one JSON log line for the request.

mod context;
mod problem;
mod routes;

use std::time::Instant;

use spin_sdk::http::{Request, Response};

pub use context::request_id;
pub use problem::{ApiError, Problem};
pub use routes::Routes;
pub use taskspin_domain::FieldError;

mod body;
mod incoming;
pub use body::json_body;
use incoming::BodyFailure;
pub use incoming::Incoming;

/// Result of a handler: a response, or an error that becomes a problem.
pub type ApiResult<T = Response> = Result<T, ApiError>;

/// Largest request body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 1 << 20;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Runs `route` for one request with request ID, error mapping and logging.
pub fn serve(
    component: &'static str,
    incoming: Incoming,
    route: impl FnOnce(Request) -> Response,
) -> Response {
    let Incoming { request, failure } = incoming;
    let started = Instant::now();
    let path = without_secrets(request.path());
    let request_id = context::begin(
        request.header(REQUEST_ID_HEADER).and_then(|v| v.as_str()),
        &path,
    );
    taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
    taskspin_telemetry::log_panics(move || {
        format!("{component} request {}", context::request_id())
    });

    let method = request.method().to_string();
    let mut response = match failure {
        Some(BodyFailure::TooLarge) => Problem::new(
            413,
            format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
        )
        .into_response(),
        Some(BodyFailure::Unreadable) => {
            Problem::new(400, "The request body could not be read.").into_response()
        }
        None => route(request),
    };
    if *response.status() >= 400 && !is_json(&response) {
        // Plain-text errors from outside our handlers (the router's 404 and
        // 405) get the same shape as ours.
        response = Problem::new(*response.status(), String::new()).into_response();
    }
    response.set_header(REQUEST_ID_HEADER, request_id.clone());

    let status = *response.status();
    let duration_ms = (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
    let failure = context::failure();
    if status >= 500 {
        tracing::error!(
            request_id,
            component,
            method,
            path,
            status,
            duration_ms,
            error = failure,
            "request"
        );
    } else {
        tracing::info!(
            request_id,
            component,
            method,
            path,
            status,
            duration_ms,
            "request"
        );
    }
    response
}

/// Paths that end in a secret (a calendar feed's URL is its credential):
/// logs and problems show them without it.
const SECRET_PATHS: &[&str] = &["/api/calendar/feed/"];

fn without_secrets(path: &str) -> String {
    match SECRET_PATHS
        .iter()
        .find(|prefix| path.len() > prefix.len() && path.starts_with(*prefix))
    {
        Some(prefix) => format!("{prefix}{{secret}}"),
        None => path.to_owned(),
    }
}

fn is_json(response: &Response) -> bool {
    response
        .header("content-type")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with(problem::CONTENT_TYPE))
}

/// A JSON response.
pub fn json<T: serde::Serialize>(status: u16, body: &T) -> ApiResult {
    let body = serde_json::to_vec(body).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body)
        .build())
}

/// The request's `If-Match`: which versions a change may apply to; a 400
/// problem when the header is malformed.
pub fn if_match(request: &Request) -> ApiResult<taskspin_db::IfMatch> {
    taskspin_db::IfMatch::parse(request.header("if-match").map(|v| v.as_bytes())).map_err(|_| {
        Problem::new(
            400,
            "If-Match must be * or a list of entity tags, such as \"3\".",
        )
        .into()
    })
}
