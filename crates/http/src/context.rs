//! What the current request's code may need from anywhere: its ID and, when
//! it fails, the cause to log. Spin gives every request a fresh instance, so
//! instance-wide state is request-scoped state.

use std::cell::RefCell;

#[derive(Default)]
struct Context {
    request_id: String,
    path: String,
    failure: Option<String>,
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::default();
}

/// Starts a request: keeps the caller's ID when it is a short printable
/// token, otherwise makes a new UUIDv4.
pub(crate) fn begin(incoming: Option<&str>, path: &str) -> String {
    let request_id = match incoming {
        Some(id) if is_acceptable_id(id) => id.to_owned(),
        _ => uuid::Uuid::new_v4().to_string(),
    };
    CONTEXT.with_borrow_mut(|c| {
        *c = Context {
            request_id: request_id.clone(),
            path: path.to_owned(),
            failure: None,
        }
    });
    request_id
}

fn is_acceptable_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | '+' | '=')
        })
}

/// The ID of the request being served.
pub fn request_id() -> String {
    CONTEXT.with_borrow(|c| c.request_id.clone())
}

/// The path of the request being served, the `instance` of its problems.
pub(crate) fn path() -> String {
    CONTEXT.with_borrow(|c| c.path.clone())
}

pub(crate) fn record_failure(cause: String) {
    CONTEXT.with_borrow_mut(|c| c.failure = Some(cause));
}

pub(crate) fn failure() -> Option<String> {
    CONTEXT.with_borrow(|c| c.failure.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_short_printable_tokens_only() {
        assert_eq!(begin(Some("abc-123"), "/"), "abc-123");
        for bad in [
            "",
            "has space",
            "quote\"",
            "line\nbreak",
            &"x".repeat(129),
            "é",
        ] {
            let id = begin(Some(bad), "/");
            assert_ne!(id, bad);
            assert!(uuid::Uuid::parse_str(&id).is_ok());
        }
        assert!(uuid::Uuid::parse_str(&begin(None, "/")).is_ok());
    }
}
