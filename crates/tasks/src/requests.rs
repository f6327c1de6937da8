//! The other bodies of the tasks API.

use serde::{Deserialize, Serialize};
use taskspin_domain::{Errors, FieldError, task::NUL_REFUSED};

use crate::Task;

/// `POST /api/tasks/quick` and `/api/tasks/parse`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickText {
    /// 1 to 1000 characters after trimming, without NUL, such as `Call mom
    /// tomorrow 6pm !high #family`.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub text: String,
    /// The project the task goes to when the text names none.
    #[serde(default, deserialize_with = "taskspin_domain::integer::optional")]
    #[schema(value_type = Option<taskspin_domain::integer::JsonSafe>)]
    pub project_id: Option<i64>,
}

pub const QUICK_TEXT_MAX_CHARS: usize = 1000;

impl QuickText {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        if self.text.trim().is_empty() || self.text.chars().count() > QUICK_TEXT_MAX_CHARS {
            errors.add(
                "text",
                format!("must be 1 to {QUICK_TEXT_MAX_CHARS} characters"),
            );
        } else if self.text.contains('\0') {
            errors.add("text", NUL_REFUSED);
        }
        errors.finish(Some(()))
    }
}

/// The ids of a bulk operation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ids {
    #[serde(deserialize_with = "taskspin_domain::integer::list")]
    #[schema(min_items = 1, max_items = 200, value_type = Vec<taskspin_domain::integer::JsonSafe>)]
    pub ids: Vec<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkCompleted {
    pub tasks: Vec<Task>,
    pub not_found: Vec<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkDeleted {
    pub deleted: Vec<i64>,
    pub not_found: Vec<i64>,
}
