//! Errors as `application/problem+json` (RFC 9457).

use serde::Serialize;
use spin_sdk::http::{IntoResponse, Response};

use taskspin_domain::FieldError;

use crate::context;

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members (RFC 9457 section 3.2), such as the current version
    /// of a resource after a failed precondition.
    #[serde(flatten)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    pub headers: Vec<(String, String)>,
}

impl Problem {
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: title(status).into(),
            status,
            detail: detail.into(),
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
            headers: Vec::new(),
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn with_extension(mut self, name: &str, value: impl Serialize) -> Self {
        if let Ok(value) = serde_json::to_value(value) {
            self.extensions.insert(name.to_owned(), value);
        }
        self
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The response, with the request's path as `instance` and its ID.
    pub fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(flatten)]
            problem: &'a Problem,
            instance: &'a str,
            request_id: String,
        }
        let body = serde_json::to_vec(&Body {
            problem: &self,
            instance: &context::path(),
            request_id: context::request_id(),
        })
        .unwrap_or_default();
        let mut builder = Response::builder();
        builder
            .status(self.status)
            .header("content-type", CONTENT_TYPE);
        for (name, value) in &self.headers {
            builder.header(name.as_str(), value.as_str());
        }
        builder.body(body).build()
    }
}

fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// What a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// A failure the client can act on, with its status (boxed: it is large
    /// and `Result`s of it travel through every handler).
    Problem(Box<Problem>),
    /// A bug or an unexpected failure: answered 500, cause logged, never shown.
    Internal(anyhow::Error),
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        ApiError::Problem(Box::new(problem))
    }
}

impl ApiError {
    /// An unexpected failure described by a message.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        ApiError::Internal(anyhow::anyhow!("{message}"))
    }
}

/// Invalid fields: 422 with every one of them named.
impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        Problem::new(422, "Some fields are invalid.")
            .with_errors(errors)
            .into()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::Internal(error)
    }
}

impl From<taskspin_db::Error> for ApiError {
    fn from(error: taskspin_db::Error) -> Self {
        match error {
            // An outage is not our bug: tell the client to come back.
            taskspin_db::Error::Unavailable(_) => {
                context::record_failure(error.to_string());
                Problem::new(503, "The database is unavailable; try again shortly.")
                    .with_header("retry-after", "5")
                    .into()
            }
            // PostgreSQL stores no NUL character in text: the client's input, not our bug.
            ref rejected if rejected.sqlstate() == Some("22021") => {
                Problem::new(422, "Text may not contain NUL (\\u0000) characters.").into()
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = match self {
            ApiError::Problem(problem) => *problem,
            ApiError::Internal(error) => {
                context::record_failure(format!("{error:#}"));
                Problem::new(
                    500,
                    "An unexpected error occurred; quote the request ID when reporting it.",
                )
            }
        };
        Problem::into_response(problem)
    }
}
