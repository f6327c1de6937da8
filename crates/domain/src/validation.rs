//! Input errors, collected so a person sees every bad field at once.

use serde::Serialize;

/// One invalid input, named by its field (`title`, `tags[3]`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects field errors while a request is checked.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Records the error of `check`, if any, and passes its value on.
    pub fn check<T>(&mut self, field: &str, check: Result<T, String>) -> Option<T> {
        check.map_err(|message| self.add(field, message)).ok()
    }

    /// The checked value when nothing was recorded. `value` is `None` only
    /// when a check failed, which then reports its errors.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ if !self.0.is_empty() => Err(self.0),
            _ => Err(vec![FieldError {
                field: "body".into(),
                message: "is invalid".into(),
            }]),
        }
    }
}
