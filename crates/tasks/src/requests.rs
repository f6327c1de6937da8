//! The other bodies of the tasks API.

use serde::{Deserialize, Serialize};

use crate::Task;

/// `POST /api/tasks/quick` and `/api/tasks/parse`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickText {
    /// 1 to 1000 characters, such as `Call mom tomorrow 6pm !high #family`.
    #[schema(min_length = 1, max_length = 1000)]
    pub text: String,
}

/// The ids of a bulk operation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ids {
    #[schema(min_items = 1, max_items = 200)]
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
