//! A file in, a plan out: which format it is, then that format's reader.

use serde::{Deserialize, Serialize};

use crate::formats::{self, Context};
use crate::plan::{Plan, Unreadable};
use crate::text;

/// The largest file an import takes.
pub const MAX_FILE_BYTES: usize = 20 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ImportFormat)]
pub enum Format {
    /// Todoist's CSV export of a project.
    Todoist,
    /// TickTick's CSV backup.
    Ticktick,
    /// iCalendar to-dos (`VTODO`).
    Ical,
    /// Taskspin's own JSON export.
    Taskspin,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Todoist => "todoist",
            Format::Ticktick => "ticktick",
            Format::Ical => "ical",
            Format::Taskspin => "taskspin",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            Format::Todoist,
            Format::Ticktick,
            Format::Ical,
            Format::Taskspin,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }

    /// The format a file's content is in.
    fn sniff(text: &str) -> Option<Self> {
        let header = text.lines().next().unwrap_or_default();
        if formats::ical::looks_like(text) {
            Some(Format::Ical)
        } else if formats::taskspin::looks_like(text) {
            Some(Format::Taskspin)
        } else if formats::ticktick::looks_like(text) {
            Some(Format::Ticktick)
        } else if formats::todoist::looks_like(header) {
            Some(Format::Todoist)
        } else {
            None
        }
    }
}

/// Reads `bytes` as `format` (or the format its content shows).
pub fn read(
    bytes: &[u8],
    format: Option<Format>,
    context: &Context,
) -> Result<(Format, Plan), Unreadable> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Unreadable {
            status: 413,
            message: format!("The file is larger than {} MB.", MAX_FILE_BYTES >> 20),
            line: None,
            component: None,
        });
    }
    let text = text::decode(bytes)?;
    let format = format.or_else(|| Format::sniff(text)).ok_or_else(|| Unreadable {
        status: 415,
        message: "This is not a file Taskspin imports: send a Todoist CSV export, a TickTick CSV backup, an iCalendar (.ics) file of to-dos or a Taskspin JSON export.".into(),
        line: None,
        component: None,
    })?;
    let builder = match format {
        Format::Todoist => formats::todoist::read(text, context)?,
        Format::Ticktick => formats::ticktick::read(text, context)?,
        Format::Ical => formats::ical::read(text, context)?,
        Format::Taskspin => formats::taskspin::read(text)?,
    };
    Ok((format, builder.finish()))
}
