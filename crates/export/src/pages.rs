//! A person's rows a page at a time, in (created_at, id) order: the order
//! of their `(user_id, created_at, id)` indexes, so each page is one index
//! range and no page holds more than [`PAGE`] rows.

use chrono::NaiveDateTime;
use taskspin_db::{Db, ParameterValue, Row};

pub const PAGE: i64 = 1000;

/// A table that is paged, and the type of its `id`.
pub struct Table {
    pub name: &'static str,
    /// `bigint` or `uuid`.
    pub id_type: &'static str,
    /// An id below every real one.
    pub first_id: &'static str,
}

pub const TASKS: Table = Table {
    name: "tasks",
    id_type: "bigint",
    first_id: "0",
};
pub const SUGGESTIONS: Table = Table {
    name: "suggestions",
    id_type: "bigint",
    first_id: "0",
};
pub const CONVERSATIONS: Table = Table {
    name: "conversations",
    id_type: "uuid",
    first_id: "00000000-0000-0000-0000-000000000000",
};

/// Runs the select list `select` over `table` (aliased `t`) page by page,
/// calling `each` for every row.
pub fn each_row(
    db: &Db,
    user_id: &str,
    table: &Table,
    select: &str,
    mut each: impl FnMut(&Row<'_>) -> Result<(), crate::Error>,
) -> Result<(), crate::Error> {
    let sql = format!(
        "SELECT {select}, t.id::text AS page_id, t.created_at AT TIME ZONE 'UTC' AS page_at
         FROM {name} t
         WHERE t.user_id = $1 AND (t.created_at, t.id) > ($2::text::timestamptz, $3::text::{id_type})
         ORDER BY t.created_at, t.id LIMIT {PAGE}",
        name = table.name,
        id_type = table.id_type,
    );
    let mut after = ("-infinity".to_owned(), table.first_id.to_owned());
    loop {
        let rows = db.query(
            &sql,
            &[
                ParameterValue::Uuid(user_id.to_owned()),
                ParameterValue::Str(after.0.clone()),
                ParameterValue::Str(after.1.clone()),
            ],
        )?;
        for row in rows.iter() {
            each(&row)?;
        }
        let Some(last) = rows.iter().last() else {
            return Ok(());
        };
        let at: NaiveDateTime = last.get("page_at")?;
        after = (
            at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            last.get("page_id")?,
        );
        if (rows.len() as i64) < PAGE {
            return Ok(());
        }
    }
}
