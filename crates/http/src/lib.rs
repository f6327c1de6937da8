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
mod stream;
pub use body::json_body;
use incoming::BodyFailure;
pub use incoming::Incoming;
pub use stream::{Reply, Streamed, serve_streaming};

/// Result of a handler: a response, or an error that becomes a problem.
pub type ApiResult<T = Response> = Result<T, ApiError>;

/// Largest request body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 1 << 20;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Runs `route` for one request with request ID, error mapping and logging.
pub fn serve<const LIMIT: usize>(
    component: &'static str,
    incoming: Incoming<LIMIT>,
    route: impl FnOnce(Request) -> Response,
) -> Response {
    let (started, request) = Started::begin(component, incoming);
    let response = match request {
        Ok(request) => route(request),
        Err(refused) => refused,
    };
    started.finish(response, None)
}

/// A request under way: what its log line needs.
struct Started {
    component: &'static str,
    method: String,
    path: String,
    request_id: String,
    at: Instant,
}

impl Started {
    /// Gives the request its ID and logging; a body that could not be read
    /// is already the answer.
    fn begin<const LIMIT: usize>(
        component: &'static str,
        incoming: Incoming<LIMIT>,
    ) -> (Self, Result<Request, Response>) {
        let Incoming { request, failure } = incoming;
        let at = Instant::now();
        let path = without_secrets(request.path());
        let request_id = context::begin(
            request.header(REQUEST_ID_HEADER).and_then(|v| v.as_str()),
            &path,
        );
        taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
        taskspin_telemetry::log_panics(move || {
            format!("{component} request {}", context::request_id())
        });
        let started = Self {
            component,
            method: request.method().to_string(),
            path,
            request_id,
            at,
        };
        let request = match failure {
            Some(BodyFailure::TooLarge) => Err(Problem::new(
                413,
                format!("The request body is larger than {LIMIT} bytes."),
            )
            .into_response()),
            Some(BodyFailure::Unreadable) => {
                Err(Problem::new(400, "The request body could not be read.").into_response())
            }
            None => Ok(request),
        };
        (started, request)
    }

    /// The response with the request's ID, its one log line written; a
    /// streamed body that broke off is `stream_failure`.
    fn finish(self, mut response: Response, stream_failure: Option<String>) -> Response {
        if *response.status() >= 400 && !is_json(&response) {
            // Plain-text errors from outside our handlers (the router's 404 and
            // 405) get the same shape as ours.
            response = Problem::new(*response.status(), String::new()).into_response();
        }
        response.set_header(REQUEST_ID_HEADER, self.request_id.clone());
        self.log(*response.status(), stream_failure);
        response
    }

    fn log(&self, status: u16, stream_failure: Option<String>) {
        let Self {
            component,
            method,
            path,
            request_id,
            ..
        } = self;
        let duration_ms = (self.at.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
        let broke_off = stream_failure.is_some();
        let failure = stream_failure.or_else(context::failure);
        if status >= 500 || broke_off {
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
    }
}

/// `https://host` as the person reaches the app: Spin's `spin-full-url`,
/// with the scheme and host a TLS-terminating proxy (an Ingress) forwards in
/// `X-Forwarded-Proto` and `X-Forwarded-Host`. It only shapes links the
/// person is shown, never a decision.
pub fn origin(request: &Request) -> String {
    let header = |name: &str| {
        request
            .header(name)
            .and_then(|v| v.as_str())
            .map(|v| v.split(',').next().unwrap_or_default().trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let full = header("spin-full-url").unwrap_or_default();
    let (scheme, rest) = full.split_once("://").unwrap_or(("http", ""));
    let authority = rest.split('/').next().unwrap_or_default();
    let scheme = header("x-forwarded-proto")
        .filter(|proto| proto == "https" || proto == "http")
        .unwrap_or_else(|| scheme.to_owned());
    let authority = header("x-forwarded-host")
        .filter(|host| {
            host.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or_else(|| authority.to_owned());
    format!("{scheme}://{authority}")
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
