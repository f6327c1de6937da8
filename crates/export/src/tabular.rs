//! One CSV row per task (RFC 4180, with a header), for spreadsheets.
//! Cells that a spreadsheet would run as a formula start with `'`.

use std::io::Write;

use taskspin_domain::recurrence::Recurrence;

use crate::Error;
use crate::pages::{self, TASKS};

pub const COLUMNS: [&str; 14] = [
    "id",
    "project",
    "section",
    "parent_id",
    "title",
    "description",
    "priority",
    "tags",
    "due_at",
    "due_date",
    "recurrence",
    "completed_at",
    "created_at",
    "updated_at",
];

const SELECT: &str = "t.id, (SELECT name FROM projects p WHERE p.id = t.project_id) AS project,
    (SELECT name FROM sections s WHERE s.id = t.section_id) AS section, t.parent_id, t.title,
    t.description, (ARRAY['none', 'low', 'medium', 'high', 'urgent'])[t.priority + 1] AS priority,
    array_to_string(t.tags, ',') AS tags, rfc3339(t.due_at) AS due_at, t.due_date::text AS due_date,
    t.recurrence, rfc3339(t.completed_at) AS completed_at, rfc3339(t.created_at) AS created_at,
    rfc3339(t.updated_at) AS updated_at";

/// OWASP's advice for CSV files: a cell starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return is written after a `'`.
fn cell(text: String) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

pub fn write(db: &taskspin_db::Db, user_id: &str, out: &mut dyn Write) -> Result<(), Error> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(COLUMNS)?;
    pages::each_row(db, user_id, &TASKS, SELECT, |row| {
        let text = |column: &str| -> Result<String, Error> {
            Ok(row.get::<Option<String>>(column)?.unwrap_or_default())
        };
        let number = |column: &str| -> Result<String, Error> {
            Ok(row
                .get::<Option<i64>>(column)?
                .map(|n| n.to_string())
                .unwrap_or_default())
        };
        let recurrence = row
            .get::<Option<serde_json::Value>>("recurrence")?
            .and_then(|value| serde_json::from_value::<Recurrence>(value).ok())
            .map(|r| r.describe())
            .unwrap_or_default();
        csv.write_record([
            number("id")?,
            cell(text("project")?),
            cell(text("section")?),
            number("parent_id")?,
            cell(text("title")?),
            cell(text("description")?),
            text("priority")?,
            cell(text("tags")?),
            text("due_at")?,
            text("due_date")?,
            recurrence,
            text("completed_at")?,
            text("created_at")?,
            text("updated_at")?,
        ])?;
        Ok(())
    })?;
    csv.flush()?;
    Ok(())
}
