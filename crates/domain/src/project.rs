//! What a valid project or section is.

use serde::{Deserialize, Serialize};

use crate::task::NUL_REFUSED;

pub const NAME_MAX_CHARS: usize = 100;
/// The name every account's Inbox has.
pub const INBOX_NAME: &str = "Inbox";
/// How deep subtasks go: a top-level task is level 1.
pub const MAX_TASK_DEPTH: i64 = 4;

/// A project's colour, from a small fixed palette the web app themes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Grey,
    Red,
    Orange,
    Yellow,
    Green,
    Teal,
    Blue,
    Purple,
    Pink,
}

impl Color {
    pub const ALL: [Color; 9] = [
        Color::Grey,
        Color::Red,
        Color::Orange,
        Color::Yellow,
        Color::Green,
        Color::Teal,
        Color::Blue,
        Color::Purple,
        Color::Pink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Grey => "grey",
            Color::Red => "red",
            Color::Orange => "orange",
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Teal => "teal",
            Color::Blue => "blue",
            Color::Purple => "purple",
            Color::Pink => "pink",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// A project's or section's name: trimmed, 1 to 100 characters, no control
/// characters (a name is one line in a sidebar).
pub fn name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.contains('\0') {
        return Err(NUL_REFUSED.to_owned());
    }
    if name.chars().any(char::is_control) {
        return Err("must be one line without control characters".to_owned());
    }
    let chars = name.chars().count();
    if chars == 0 || chars > NAME_MAX_CHARS {
        return Err(format!(
            "must be 1 to {NAME_MAX_CHARS} characters after trimming"
        ));
    }
    Ok(name.to_owned())
}

/// How quick add's `+Name` and `/Name` refer to a name: case and spaces
/// do not matter, so `+homeoffice` finds "Home office".
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_trimmed_line() {
        assert_eq!(name("  Work "), Ok("Work".to_owned()));
        assert!(name("").is_err());
        assert!(name("a\nb").is_err());
        assert!(name("a\0").is_err());
        assert!(name(&"x".repeat(101)).is_err());
        assert!(name(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn name_keys_ignore_case_and_spaces() {
        assert_eq!(name_key("Home Office"), "homeoffice");
        assert_eq!(name_key("ÄRGER"), "ärger");
    }

    #[test]
    fn colours_round_trip() {
        for color in Color::ALL {
            assert_eq!(Color::parse(color.as_str()), Some(color));
        }
        assert_eq!(Color::parse("Grey"), None);
    }
}
