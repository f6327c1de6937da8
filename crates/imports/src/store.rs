//! The `imports` table as the API shows it: one person's uploads, their
//! previews, and how far each job got.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use taskspin_db::{Db, ParameterValue, Row};

use crate::plan::Preview;
use crate::read::Format;

/// Uploads a person may have waiting (previewed or not yet done) at once.
pub const MAX_WAITING: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ImportStatus)]
pub enum Status {
    /// Read and previewed; nothing is created until it is confirmed.
    Previewed,
    /// Confirmed; a worker starts it within seconds (a minute on Kubernetes).
    Queued,
    Running,
    Done,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Previewed => "previewed",
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            Status::Previewed,
            Status::Queued,
            Status::Running,
            Status::Done,
            Status::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// How far a job is, in tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ImportProgress)]
pub struct Progress {
    pub processed: i32,
    pub total: i32,
}

/// What a finished import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ImportOutcome)]
pub struct Outcome {
    pub created: Counts,
    /// Rows an earlier import (or the account itself) already has.
    pub already_there: Counts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ImportCounts)]
pub struct Counts {
    pub projects: u64,
    pub sections: u64,
    pub tasks: u64,
}

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ImportProblem)]
pub struct JobProblem {
    pub title: String,
    pub detail: String,
    pub line: Option<usize>,
    pub component: Option<String>,
}

/// An import as `GET /api/imports/{id}` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Import {
    #[schema(format = Uuid)]
    pub id: String,
    pub format: Format,
    pub file_name: String,
    pub status: Status,
    pub preview: Preview,
    pub progress: Progress,
    pub result: Option<Outcome>,
    pub problem: Option<JobProblem>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `GET /api/imports`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportList {
    /// The 20 newest, newest first.
    pub imports: Vec<Import>,
}

const COLUMNS: &str = "id::text AS id, format, file_name, status, preview, processed, total, result, problem, \
     rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at";

fn json_column<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    column: &str,
) -> taskspin_db::Result<Option<T>> {
    row.get::<Option<serde_json::Value>>(column)?
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| taskspin_db::Error::Decode {
            column: column.into(),
            message: e.to_string(),
        })
}

impl Import {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        let unknown = |column: &str, value: String| taskspin_db::Error::Decode {
            column: column.into(),
            message: format!("unknown value {value}"),
        };
        let format: String = row.get("format")?;
        let status: String = row.get("status")?;
        Ok(Self {
            id: row.get("id")?,
            format: Format::parse(&format).ok_or_else(|| unknown("format", format))?,
            status: Status::parse(&status).ok_or_else(|| unknown("status", status))?,
            file_name: row.get("file_name")?,
            preview: json_column(row, "preview")?.ok_or_else(|| taskspin_db::Error::Decode {
                column: "preview".into(),
                message: "is null".into(),
            })?,
            progress: Progress {
                processed: row.get("processed")?,
                total: row.get("total")?,
            },
            result: json_column(row, "result")?,
            problem: json_column(row, "problem")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        })
    }
}

fn uuid(id: &str) -> Option<ParameterValue> {
    // A malformed id names no import: the same 404 as an unknown one.
    (id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
        .then(|| ParameterValue::Uuid(id.to_ascii_lowercase()))
}

fn user(user_id: &str) -> ParameterValue {
    ParameterValue::Uuid(user_id.to_owned())
}

/// The outcome of an upload.
pub enum Stored {
    Created(Box<Import>),
    /// [`MAX_WAITING`] uploads wait already.
    TooMany,
}

/// Keeps an upload and its preview until it is confirmed or discarded.
pub fn create(
    db: &Db,
    user_id: &str,
    format: Format,
    file_name: &str,
    source: &[u8],
    preview: &Preview,
    read_at: DateTime<Utc>,
) -> taskspin_db::Result<Stored> {
    let preview_json = serde_json::to_vec(preview).map_err(|e| taskspin_db::Error::Decode {
        column: "preview".into(),
        message: e.to_string(),
    })?;
    let rows = db.query(
        &format!(
            "INSERT INTO imports (user_id, format, file_name, source, preview, read_at, total)
             SELECT $1, $2, $3, $4, $5, $6::text::timestamptz, $7
             WHERE (SELECT count(*) FROM imports
                    WHERE user_id = $1 AND status IN ('previewed', 'queued', 'running')) < $8
             RETURNING {COLUMNS}"
        ),
        &[
            user(user_id),
            ParameterValue::Str(format.as_str().to_owned()),
            ParameterValue::Str(file_name.to_owned()),
            ParameterValue::Binary(source.to_vec()),
            ParameterValue::Jsonb(preview_json),
            ParameterValue::Str(read_at.to_rfc3339_opts(SecondsFormat::Micros, true)),
            ParameterValue::Int32(i32::try_from(preview.tasks).unwrap_or(i32::MAX)),
            ParameterValue::Int64(MAX_WAITING),
        ],
    )?;
    Ok(match rows.first() {
        Some(row) => Stored::Created(Box::new(Import::from_row(&row)?)),
        None => Stored::TooMany,
    })
}

pub fn get(db: &Db, user_id: &str, id: &str) -> taskspin_db::Result<Option<Import>> {
    let Some(id) = uuid(id) else { return Ok(None) };
    let rows = db.query(
        &format!("SELECT {COLUMNS} FROM imports WHERE id = $1 AND user_id = $2"),
        &[id, user(user_id)],
    )?;
    rows.first().map(|row| Import::from_row(&row)).transpose()
}

pub fn list(db: &Db, user_id: &str) -> taskspin_db::Result<Vec<Import>> {
    db.query(
        &format!(
            "SELECT {COLUMNS} FROM imports WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 20"
        ),
        &[user(user_id)],
    )?
    .map(Import::from_row)
}

/// What confirming or discarding found.
pub enum Change<T> {
    Done(T),
    NotFound,
    /// The import is past the state the change needs.
    Conflict(Box<Import>),
}

/// Queues a previewed import; confirming a queued, running or finished one
/// again changes nothing.
pub fn confirm(db: &Db, user_id: &str, id: &str) -> taskspin_db::Result<Change<Box<Import>>> {
    let Some(id_param) = uuid(id) else {
        return Ok(Change::NotFound);
    };
    let rows = db.query(
        &format!(
            "UPDATE imports SET status = 'queued', updated_at = now()
             WHERE id = $1 AND user_id = $2 AND status = 'previewed'
             RETURNING {COLUMNS}"
        ),
        &[id_param, user(user_id)],
    )?;
    if let Some(row) = rows.first() {
        return Ok(Change::Done(Box::new(Import::from_row(&row)?)));
    }
    Ok(match get(db, user_id, id)? {
        None => Change::NotFound,
        Some(import) if import.status == Status::Failed => Change::Conflict(Box::new(import)),
        Some(import) => Change::Done(Box::new(import)),
    })
}

/// Deletes an import that is not queued or running (its preview, or the
/// record of a finished one; what it created stays).
pub fn discard(db: &Db, user_id: &str, id: &str) -> taskspin_db::Result<Change<()>> {
    let Some(id_param) = uuid(id) else {
        return Ok(Change::NotFound);
    };
    let deleted = db.execute(
        "DELETE FROM imports WHERE id = $1 AND user_id = $2 AND status IN ('previewed', 'done', 'failed')",
        &[id_param, user(user_id)],
    )?;
    if deleted > 0 {
        return Ok(Change::Done(()));
    }
    Ok(match get(db, user_id, id)? {
        None => Change::NotFound,
        Some(import) => Change::Conflict(Box::new(import)),
    })
}
