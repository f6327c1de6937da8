//! Request bodies and query parameters of the projects API, and their checks.

use serde::Deserialize;
use taskspin_domain::integer::{self, JsonSafe};
use taskspin_domain::project::{self as rules, Color};
use taskspin_domain::{Errors, FieldError};

/// A project's or section's name as a request writes it: 1 to 100
/// characters after trimming, on one line.
pub struct Name;

impl utoipa::PartialSchema for Name {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        const LINE: &str = "\\u0000-\\u001F\\u007F-\\u009F";
        const SPACE: &str = "\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(rules::NAME_MAX_CHARS))
            .pattern(Some(format!("^[^{LINE}]*[^{LINE}{SPACE}][^{LINE}]*$")))
            .into()
    }
}

impl utoipa::ToSchema for Name {}

fn check_name(errors: &mut Errors, raw: &str) -> Option<String> {
    errors.check("name", rules::name(raw))
}

/// `POST /api/projects`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    #[schema(value_type = Name)]
    pub name: String,
    #[serde(default)]
    pub color: Color,
}

impl NewProject {
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = check_name(&mut errors, &self.name);
        errors.finish(name)
    }
}

/// `PATCH /api/projects/{id}`: any subset.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[schema(value_type = Option<Name>)]
    pub name: Option<String>,
    pub color: Option<Color>,
}

impl ProjectPatch {
    /// The new name, if any.
    pub fn validate(&self) -> Result<Option<String>, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = match &self.name {
            Some(raw) => check_name(&mut errors, raw).map(Some),
            None => Some(None),
        };
        errors.finish(name)
    }
}

/// `POST /api/projects/{id}/sections`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSection {
    #[schema(value_type = Name)]
    pub name: String,
}

/// `PATCH /api/projects/{id}/sections/{section_id}`.
pub type SectionPatch = NewSection;

impl NewSection {
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = check_name(&mut errors, &self.name);
        errors.finish(name)
    }
}

/// `POST .../move`: where the project or section goes among its siblings.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// Goes right after this sibling; `null`: first; not sent: last.
    #[serde(default, deserialize_with = "integer::nullable")]
    #[schema(value_type = Option<JsonSafe>)]
    pub after: Option<Option<i64>>,
}

/// `GET /api/projects?status=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    Active,
    Archived,
    All,
}

impl StatusFilter {
    /// Reads the query string: only `status` is known.
    pub fn parse(query: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut status = StatusFilter::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            match (name.as_ref(), value.as_ref()) {
                ("status", "active") => status = StatusFilter::Active,
                ("status", "archived") => status = StatusFilter::Archived,
                ("status", "all") => status = StatusFilter::All,
                ("status", _) => errors.add("status", "must be active, archived or all"),
                (other, _) => errors.add(other, "is not a known parameter"),
            }
        }
        errors.finish(Some(status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_tell_null_from_absent() {
        let absent: Move = serde_json::from_str("{}").unwrap();
        let null: Move = serde_json::from_str(r#"{"after": null}"#).unwrap();
        let id: Move = serde_json::from_str(r#"{"after": 7.0}"#).unwrap();
        assert_eq!(
            (absent.after, null.after, id.after),
            (None, Some(None), Some(Some(7)))
        );
        assert!(serde_json::from_str::<Move>(r#"{"after": "7"}"#).is_err());
    }

    #[test]
    fn reads_the_status_filter() {
        assert_eq!(StatusFilter::parse(""), Ok(StatusFilter::Active));
        assert_eq!(StatusFilter::parse("status=all"), Ok(StatusFilter::All));
        assert!(StatusFilter::parse("status=gone").is_err());
        assert!(StatusFilter::parse("x=1").is_err());
    }
}
