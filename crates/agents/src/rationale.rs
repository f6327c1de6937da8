//! When a model is configured, it phrases the one-line rationale of a pass's
//! new suggestions, the first [`MAX_PHRASED`] of them; the deterministic
//! message stays wherever it does not answer. Best effort by construction: a
//! failing or slow model ends the phrasing, never the pass, which has already
//! committed.

use serde_json::json;
use taskspin_db::{Db, ParameterValue};
use taskspin_llm::{OpenAiSettings, Post, complete};

use crate::CreatedSuggestion;

/// Suggestions phrased per pass: one model request each, after the pass.
pub const MAX_PHRASED: usize = 20;
/// A rationale is one line of at most this many characters.
pub const MAX_CHARS: usize = 240;

const INSTRUCTIONS: &str = "You phrase suggestions of a to-do app. Rewrite the suggestion you are \
given as one short, friendly sentence that says why it helps. Keep every task title, date and \
number exactly. Answer with that sentence only.";

/// What phrasing did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Phrasing {
    pub phrased: usize,
    /// Why it stopped early, if it did.
    pub stopped: Option<String>,
}

/// The model's answer as a rationale: its first line, unquoted, if usable.
pub fn one_line(answer: &str) -> Option<String> {
    let line = answer.trim().lines().next()?.trim();
    let line = line
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or(line)
        .trim();
    let length = line.chars().count();
    (length > 0 && length <= MAX_CHARS && !line.contains('\0')).then(|| line.to_owned())
}

/// Phrases the rationale of `created` suggestions still pending.
pub fn phrase(
    db: &Db,
    settings: &OpenAiSettings,
    post: &Post<'_>,
    created: &[CreatedSuggestion],
) -> Phrasing {
    let ids: Vec<Option<i64>> = created
        .iter()
        .take(MAX_PHRASED)
        .map(|c| Some(c.id))
        .collect();
    if ids.is_empty() {
        return Phrasing::default();
    }
    let mut phrasing = Phrasing::default();
    let pending = db
        .query(
            "SELECT id, message FROM suggestions WHERE id = ANY($1) AND status = 'pending' ORDER BY id",
            &[ParameterValue::ArrayInt64(ids)],
        )
        .and_then(|rows| rows.map(|row| Ok((row.get::<i64>("id")?, row.get::<String>("message")?))));
    let pending = match pending {
        Ok(pending) => pending,
        Err(error) => {
            phrasing.stopped = Some(error.to_string());
            return phrasing;
        }
    };
    for (id, message) in pending {
        let request = json!({
            "messages": [
                { "role": "system", "content": INSTRUCTIONS },
                { "role": "user", "content": message },
            ],
            "max_tokens": 80,
            "temperature": 0.2,
        });
        let rationale = match complete(settings, post, request) {
            Ok(answer) => answer.content.as_deref().and_then(one_line),
            Err(error) => {
                phrasing.stopped = Some(error.to_string());
                break;
            }
        };
        let Some(rationale) = rationale else { continue };
        let updated = db.execute(
            "UPDATE suggestions SET message = $2 WHERE id = $1 AND status = 'pending'",
            &[ParameterValue::Int64(id), ParameterValue::Str(rationale)],
        );
        match updated {
            Ok(_) => phrasing.phrased += 1,
            Err(error) => {
                phrasing.stopped = Some(error.to_string());
                break;
            }
        }
    }
    phrasing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rationale_is_one_short_line() {
        assert_eq!(
            one_line("  \"Move it to tomorrow: today is full.\"\nMore text").as_deref(),
            Some("Move it to tomorrow: today is full.")
        );
        assert_eq!(one_line("   "), None);
        assert_eq!(one_line(&"x".repeat(MAX_CHARS + 1)), None);
        assert_eq!(one_line("bad\0byte"), None);
    }
}
