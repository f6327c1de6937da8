//! The parts of a task that other rules build on.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How important a task is; stored as 0..=4.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    #[default]
    None,
    Low,
    Medium,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::None,
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_i16(self) -> i16 {
        self as i16
    }

    pub fn from_i16(value: i16) -> Option<Self> {
        Self::ALL.get(usize::try_from(value).ok()?).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::None => "none",
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// When a task is due: at an instant, or on a day without a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    At(DateTime<Utc>),
    On(NaiveDate),
}

pub const TITLE_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 10_000;
pub const TAGS_MAX: usize = 20;
pub const TAG_MAX_CHARS: usize = 32;

/// PostgreSQL cannot store NUL in text.
pub const NUL_REFUSED: &str = "must not contain NUL (\\u0000) characters";

/// Trimmed, 1 to 200 characters.
pub fn title(raw: &str) -> Result<String, String> {
    let title = raw.trim();
    if title.contains('\0') {
        return Err(NUL_REFUSED.to_owned());
    }
    let chars = title.chars().count();
    if chars == 0 || chars > TITLE_MAX_CHARS {
        return Err(format!(
            "must be 1 to {TITLE_MAX_CHARS} characters after trimming"
        ));
    }
    Ok(title.to_owned())
}

/// Up to 10,000 characters; trailing whitespace is dropped.
pub fn description(raw: &str) -> Result<String, String> {
    let description = raw.trim_end();
    if description.contains('\0') {
        return Err(NUL_REFUSED.to_owned());
    }
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(format!(
            "must be at most {DESCRIPTION_MAX_CHARS} characters"
        ));
    }
    Ok(description.to_owned())
}

/// Lower case, without a leading `#`, 1 to 32 characters, no whitespace.
pub fn tag(raw: &str) -> Result<String, String> {
    let tag = raw.trim().trim_start_matches('#').to_lowercase();
    let chars = tag.chars().count();
    if chars == 0
        || chars > TAG_MAX_CHARS
        || tag.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "must be 1 to {TAG_MAX_CHARS} characters without spaces"
        ));
    }
    Ok(tag)
}

/// Normalised tags, duplicates dropped, at most 20. Errors name the index.
pub fn tags(raw: &[String]) -> Result<Vec<String>, Vec<(usize, String)>> {
    let mut tags: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (index, value) in raw.iter().enumerate() {
        match tag(value) {
            Ok(tag) if !tags.contains(&tag) => tags.push(tag),
            Ok(_) => {}
            Err(message) => errors.push((index, message)),
        }
    }
    // Counted as sent, so that the limit is what the API document says.
    if errors.is_empty() && raw.len() > TAGS_MAX {
        errors.push((TAGS_MAX, format!("at most {TAGS_MAX} tags")));
    }
    if errors.is_empty() {
        Ok(tags)
    } else {
        Err(errors)
    }
}

/// An RFC 3339 instant with its offset, such as `2026-12-01T17:00:00+01:00`.
pub fn due_at(raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| "must be an RFC 3339 date-time with offset, like 2026-12-01T17:00:00Z".into())
}

/// A calendar day, `YYYY-MM-DD`.
pub fn due_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| "must be a date like 2026-12-01".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_descriptions() {
        assert_eq!(title("  Buy milk ").unwrap(), "Buy milk");
        assert!(title("   ").is_err());
        assert!(title(&"x".repeat(201)).is_err());
        assert!(title(&"é".repeat(200)).is_ok(), "characters, not bytes");
        assert!(description(&"x".repeat(10_001)).is_err());
        assert_eq!(description("notes \n").unwrap(), "notes");
    }

    #[test]
    fn tags_are_normalised_and_unique() {
        let raw: Vec<String> = ["Home", "#home", "errands"].map(String::from).to_vec();
        assert_eq!(tags(&raw).unwrap(), vec!["home", "errands"]);
        let bad: Vec<String> = ["ok", "", "has space", &"x".repeat(33)]
            .map(String::from)
            .to_vec();
        let errors = tags(&bad).unwrap_err();
        assert_eq!(
            errors.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(tags(&many).is_err());
    }

    #[test]
    fn due_values() {
        assert_eq!(
            due_at("2026-12-01T17:00:00+01:00").unwrap().to_rfc3339(),
            "2026-12-01T16:00:00+00:00"
        );
        assert!(
            due_at("2026-12-01T17:00:00").is_err(),
            "an offset is required"
        );
        assert!(due_date("2026-02-30").is_err());
        assert_eq!(
            due_date("2026-12-01").unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(Priority::from_i16(3), Some(Priority::High));
        assert_eq!(Priority::from_i16(9), None);
    }
}
