//! The formats we read, each into a [`Plan`](crate::plan::Plan).

pub mod ical;
pub mod taskspin;
pub mod ticktick;
pub mod todoist;

use std::collections::HashMap;

use chrono::{DateTime, Utc, Weekday};
use taskspin_domain::zone::Zone;

use crate::plan::Unreadable;

/// What a reader needs besides the file: when and for whom it is read.
#[derive(Debug, Clone)]
pub struct Context {
    /// Relative dates ("tomorrow") are read from this moment.
    pub now: DateTime<Utc>,
    /// The person's time zone and first day of the week.
    pub zone: Zone,
    pub week_start: Weekday,
    /// As uploaded, such as `Groceries.csv`: Todoist names a project's
    /// export after it.
    pub file_name: String,
}

impl Context {
    /// The file name without its folder and extension.
    pub fn file_stem(&self) -> &str {
        let name = self
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default();
        match name.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => name,
        }
    }
}

/// A CSV header's columns by upper-cased name, or a problem naming the
/// columns a format needs and the file lacks.
pub(crate) fn columns(
    header: &csv::StringRecord,
    line: usize,
    format: &str,
    required: &[&str],
) -> Result<HashMap<String, usize>, Unreadable> {
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().to_ascii_uppercase(), i))
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| !columns.contains_key(&name.to_ascii_uppercase()))
        .collect();
    if missing.is_empty() {
        Ok(columns)
    } else {
        Err(Unreadable::at(
            line,
            format!(
                "This {format} file lacks the column{} {}.",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
        ))
    }
}

/// A CSV error as a problem on its line.
pub(crate) fn csv_problem(error: &csv::Error, format: &str) -> Unreadable {
    let line = error.position().map(|p| p.line() as usize).unwrap_or(1);
    Unreadable::at(
        line,
        format!("This {format} file cannot be read at line {line}: {error}."),
    )
}

/// One field of a record by column name, trimmed; empty when absent.
pub(crate) fn field<'r>(
    record: &'r csv::StringRecord,
    columns: &HashMap<String, usize>,
    name: &str,
) -> &'r str {
    columns
        .get(name)
        .and_then(|i| record.get(*i))
        .map(str::trim)
        .unwrap_or_default()
}

/// A short stable id for rows that have none of their own.
pub(crate) fn digest(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(&hasher.finalize()[..12])
}
