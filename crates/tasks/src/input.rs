//! Request bodies for creating and changing tasks, and their validation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer};
use taskspin_domain::integer::{self, JsonSafe};
use taskspin_domain::task as rules;
use taskspin_domain::{Due, Errors, FieldError, Priority, Recurrence};

/// `POST /api/tasks`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// 1 to 200 characters after trimming, without NUL.
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub title: String,
    /// Up to 10,000 characters, without NUL.
    #[serde(default)]
    #[schema(max_length = 10000, pattern = "^[^\\u0000]*$")]
    pub description: String,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    #[schema(max_items = 20, value_type = Vec<TagName>)]
    pub tags: Vec<String>,
    /// RFC 3339 with an offset.
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    pub recurrence: Option<Recurrence>,
    /// One of the caller's projects; not sent: the Inbox (or the parent's).
    #[serde(default, deserialize_with = "integer::optional")]
    #[schema(value_type = Option<JsonSafe>)]
    pub project_id: Option<i64>,
    /// A section of the task's project.
    #[serde(default, deserialize_with = "integer::optional")]
    #[schema(value_type = Option<JsonSafe>)]
    pub section_id: Option<i64>,
    /// Makes the task a subtask of one of the caller's tasks, in its
    /// project and section, at most 4 levels deep.
    #[serde(default, deserialize_with = "integer::optional")]
    #[schema(value_type = Option<JsonSafe>)]
    pub parent_id: Option<i64>,
}

/// `PATCH /api/tasks/{id}`: any subset; `null` clears a nullable field.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub title: Option<String>,
    #[schema(max_length = 10000, pattern = "^[^\\u0000]*$")]
    pub description: Option<String>,
    pub priority: Option<Priority>,
    #[schema(max_items = 20, value_type = Option<Vec<TagName>>)]
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Recurrence>)]
    pub recurrence: Option<Option<Recurrence>>,
}

/// A tag as a request may write it: 1 to 32 characters without spaces or
/// control characters, after any leading `#` (dropped, as is the case).
pub struct TagName;

impl utoipa::PartialSchema for TagName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^#*[^#\\u0000-\\u001F\\u007F-\\u009F\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000-\\u001F\\u007F-\\u009F\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]{0,31}$"))
            .into()
    }
}

impl utoipa::ToSchema for TagName {}

/// Tells a field sent as `null` (`Some(None)`) from one not sent (`None`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A valid new task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskValues {
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub due: Option<Due>,
    pub recurrence: Option<Recurrence>,
    pub placement: Placement,
}

/// Where a new task goes; each id is checked against the caller's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    /// `None`: the Inbox (or, for a subtask, its parent's project).
    pub project: Option<i64>,
    pub section: Option<i64>,
    pub parent: Option<i64>,
}

/// A valid change: `None` leaves a field as it is; `due` and `recurrence`
/// are `Some(None)` to clear them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub priority: Option<Priority>,
    pub tags: Option<Vec<String>>,
    pub due: Option<Option<Due>>,
    pub recurrence: Option<Option<Recurrence>>,
}

fn check_tags(errors: &mut Errors, raw: &[String]) -> Option<Vec<String>> {
    match rules::tags(raw) {
        Ok(tags) => Some(tags),
        Err(problems) => {
            for (index, message) in problems {
                errors.add(format!("tags[{index}]"), message);
            }
            None
        }
    }
}

/// `due_at` and `due_date` are one field in two shapes: at most one is given.
fn check_due(
    errors: &mut Errors,
    due_at: Option<&str>,
    due_date: Option<&str>,
) -> Option<Option<Due>> {
    match (due_at, due_date) {
        (Some(_), Some(_)) => {
            errors.add("due_date", "give due_at or due_date, not both");
            None
        }
        (Some(at), None) => errors
            .check("due_at", rules::due_at(at))
            .map(|at| Some(Due::At(at))),
        (None, Some(date)) => errors
            .check("due_date", rules::due_date(date))
            .map(|date| Some(Due::On(date))),
        (None, None) => Some(None),
    }
}

fn check_recurrence(errors: &mut Errors, recurrence: &Recurrence) -> Option<Recurrence> {
    errors
        .check("recurrence", recurrence.validate())
        .map(|()| recurrence.clone())
}

impl NewTask {
    pub fn validate(&self) -> Result<TaskValues, Vec<FieldError>> {
        let mut errors = Errors::default();
        let title = errors.check("title", rules::title(&self.title));
        let description = errors.check("description", rules::description(&self.description));
        let tags = check_tags(&mut errors, &self.tags);
        let due = check_due(
            &mut errors,
            self.due_at.as_deref(),
            self.due_date.as_deref(),
        );
        let recurrence = match &self.recurrence {
            Some(recurrence) => check_recurrence(&mut errors, recurrence).map(Some),
            None => Some(None),
        };
        let values = (|| {
            Some(TaskValues {
                title: title?,
                description: description?,
                priority: self.priority,
                tags: tags?,
                due: due?,
                recurrence: recurrence?,
                placement: Placement {
                    project: self.project_id,
                    section: self.section_id,
                    parent: self.parent_id,
                },
            })
        })();
        errors.finish(values)
    }
}

impl TaskPatch {
    pub fn validate(&self) -> Result<TaskChanges, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut changes = TaskChanges {
            priority: self.priority,
            ..TaskChanges::default()
        };
        if let Some(title) = &self.title {
            changes.title = errors.check("title", rules::title(title));
        }
        if let Some(description) = &self.description {
            changes.description = errors.check("description", rules::description(description));
        }
        if let Some(tags) = &self.tags {
            changes.tags = check_tags(&mut errors, tags);
        }
        if self.due_at.is_some() || self.due_date.is_some() {
            let due_at = self.due_at.as_ref().and_then(Option::as_deref);
            let due_date = self.due_date.as_ref().and_then(Option::as_deref);
            changes.due = check_due(&mut errors, due_at, due_date);
        }
        if let Some(recurrence) = &self.recurrence {
            changes.recurrence = match recurrence {
                Some(recurrence) => check_recurrence(&mut errors, recurrence).map(Some),
                None => Some(None),
            };
        }
        errors.finish(Some(changes))
    }
}

/// `POST /api/tasks/{id}/move`: any of the fields; the subtree moves along.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveTask {
    /// Another of the caller's projects; a subtask moved there becomes top level.
    #[serde(default, deserialize_with = "integer::optional")]
    #[schema(value_type = Option<JsonSafe>)]
    pub project_id: Option<i64>,
    /// A section of the destination project; `null`: none. Makes a subtask top level.
    #[serde(default, deserialize_with = "integer::nullable")]
    #[schema(value_type = Option<JsonSafe>)]
    pub section_id: Option<Option<i64>>,
    /// The new parent; `null`: top level.
    #[serde(default, deserialize_with = "integer::nullable")]
    #[schema(value_type = Option<JsonSafe>)]
    pub parent_id: Option<Option<i64>>,
    /// Goes right after this sibling in the destination; `null`: first; not sent: last.
    #[serde(default, deserialize_with = "integer::nullable")]
    #[schema(value_type = Option<JsonSafe>)]
    pub after: Option<Option<i64>>,
}

/// The database's representation of a due: an RFC 3339 instant or a date.
pub(crate) fn due_columns(due: Option<Due>) -> (Option<DateTime<Utc>>, Option<NaiveDate>) {
    match due {
        Some(Due::At(at)) => (Some(at), None),
        Some(Due::On(date)) => (None, Some(date)),
        None => (None, None),
    }
}

impl TaskValues {
    /// The task a quick-add line describes; problems are reported on `text`.
    pub fn from_quick_add(
        parsed: &taskspin_domain::quick_add::QuickAdd,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        // A line may say more than a title holds: the title is cut, with an
        // ellipsis, and the whole of it kept as the description.
        let (title, description) = match parsed.title.trim() {
            long if long.chars().count() > rules::TITLE_MAX_CHARS => {
                let cut: String = long.chars().take(rules::TITLE_MAX_CHARS - 1).collect();
                (format!("{}…", cut.trim_end()), long.to_owned())
            }
            short => (short.to_owned(), String::new()),
        };
        let title = errors.check("text", rules::title(&title));
        let values = title.map(|title| TaskValues {
            title,
            description,
            priority: parsed.priority.unwrap_or_default(),
            tags: parsed.tags.clone(),
            due: parsed.due,
            recurrence: parsed.recurrence.clone(),
            placement: Placement::default(),
        });
        errors.finish(values)
    }
}

#[cfg(test)]
mod decoding {
    //! The request decoders take any JSON without panicking: each value either
    //! decodes and validates, or is refused with field errors.

    use proptest::prelude::*;
    use serde_json::Value;

    use super::{NewTask, TaskPatch};
    use crate::ListQuery;

    /// Any JSON, biased towards the fields and shapes the decoders expect.
    fn any_json() -> impl Strategy<Value = Value> {
        let text = prop_oneof![
            any::<String>(),
            Just("2026-12-01".to_owned()),
            Just("2026-12-01T17:00:00+01:00".to_owned()),
            Just("every".to_owned()),
            Just("high".to_owned()),
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text.prop_map(Value::from),
        ];
        let key = prop_oneof![
            proptest::sample::select(vec![
                "title",
                "description",
                "priority",
                "tags",
                "due_at",
                "due_date",
                "recurrence",
                "kind",
                "interval",
                "unit",
                "days",
                "day",
            ])
            .prop_map(str::to_owned),
            any::<String>(),
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(key.clone(), inner, 0..8)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases.max(2000)))]

        #[test]
        fn never_panics_decoding_new_tasks_and_changes(value in any_json()) {
            if let Ok(task) = serde_json::from_value::<NewTask>(value.clone()) {
                let _ = task.validate();
            }
            if let Ok(patch) = serde_json::from_value::<TaskPatch>(value) {
                let _ = patch.validate();
            }
        }

        #[test]
        fn never_panics_reading_list_queries(query in any::<String>()) {
            let _ = ListQuery::parse(&query, taskspin_domain::Zone::named("Europe/Berlin").unwrap());
        }

        #[test]
        fn never_panics_reading_list_query_pairs(
            pairs in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["status", "priority", "tag", "due_before", "due_after", "q", "project", "section", "parent", "sort", "order", "limit", "cursor"]),
                    any::<String>(),
                ),
                0..6,
            )
        ) {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (name, value) in &pairs {
                query.append_pair(name, value);
            }
            let _ = ListQuery::parse(&query.finish(), taskspin_domain::Zone::named("Pacific/Chatham").unwrap());
        }
    }
}
