//! Everything a person has, out of Taskspin: `GET /api/export`.
//!
//! - [`json`]: the whole account as one document, described by the JSON
//!   Schema in [`SCHEMA`] and read back by the `taskspin` import format;
//! - [`tabular`]: one CSV row per task;
//! - [`calendar`]: every task as an iCalendar `VTODO`.
//!
//! Each is written page by page (a thousand tasks at a time) into the
//! response as it is read, inside one read-only transaction, so that a
//! 50,000-task export is one consistent snapshot in bounded memory.

pub mod calendar;
pub mod json;
mod pages;
pub mod tabular;

use std::io::Write;

use taskspin_db::Db;

/// The JSON Schema (draft 2020-12) of the JSON export, served at
/// `/api/export/schema.json`.
pub const SCHEMA: &str = include_str!("schema.json");

/// What went wrong while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] taskspin_db::Error),
    /// The client went away, or the body could not be written.
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("writing the export: {0}")]
    Csv(#[from] csv::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Csv,
    Ics,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "ics" => Some(Format::Ics),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ics => "text/calendar; charset=utf-8",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "taskspin-export.json",
            Format::Csv => "taskspin-tasks.csv",
            Format::Ics => "taskspin-tasks.ics",
        }
    }
}

/// An export in progress: a read-only snapshot of one person's data.
pub struct Export {
    db: Db,
    user_id: String,
}

impl Export {
    /// Opens the snapshot; call before the response's head is sent, so
    /// that a database that is away is still a 503.
    pub fn begin(db: Db, user_id: &str) -> taskspin_db::Result<Self> {
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &[])?;
        Ok(Self {
            db,
            user_id: user_id.to_owned(),
        })
    }

    /// Writes the export in `format`, then ends the snapshot.
    pub fn write(self, format: Format, origin: &str, out: &mut dyn Write) -> Result<(), Error> {
        let written = match format {
            Format::Json => json::write(&self.db, &self.user_id, origin, out),
            Format::Csv => tabular::write(&self.db, &self.user_id, out),
            Format::Ics => calendar::write(&self.db, &self.user_id, origin, out),
        };
        // Read-only: ending it either way changes nothing.
        let _ = self.db.execute("COMMIT", &[]);
        written?;
        out.flush()?;
        Ok(())
    }
}
