//! Listing: filters, sorts and keyset ("cursor") pagination, each served by
//! an index (see migrations/0002 and the EXPLAIN test).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use taskspin_db::{ParameterValue, Row};
use taskspin_domain::{Errors, FieldError, Priority, Zone};

use crate::store::{TASK_COLUMNS, Task, Tasks};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Completed,
    Overdue,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Due,
    Priority,
    Created,
    Updated,
    Title,
    /// By hand: position order, meaningful among siblings.
    Manual,
}

impl Sort {
    fn column(self) -> &'static str {
        match self {
            Sort::Due => "t.due_key",
            Sort::Priority => "t.priority",
            Sort::Created => "t.created_at",
            Sort::Updated => "t.updated_at",
            Sort::Title => "t.title",
            Sort::Manual => "t.position",
        }
    }

    /// The sort key's column: a UTC `timestamp` for instants (null for "no
    /// due date", which sorts last), the value otherwise.
    fn key_out(self) -> &'static str {
        match self {
            Sort::Due => {
                "CASE WHEN isfinite(t.due_key) THEN t.due_key AT TIME ZONE 'UTC' END AS sort_key"
            }
            Sort::Created => "t.created_at AT TIME ZONE 'UTC' AS sort_key",
            Sort::Updated => "t.updated_at AT TIME ZONE 'UTC' AS sort_key",
            Sort::Priority => "t.priority::text AS sort_key",
            Sort::Title => "t.title AS sort_key",
            Sort::Manual => "t.position::text AS sort_key",
        }
    }

    /// A row's sort key as the cursor stores it: microseconds for instants.
    fn key_of(self, row: &Row<'_>) -> taskspin_db::Result<Option<String>> {
        match self {
            Sort::Due | Sort::Created | Sort::Updated => Ok(row
                .get::<Option<NaiveDateTime>>("sort_key")?
                .map(|at| at.and_utc().timestamp_micros().to_string())),
            Sort::Priority | Sort::Title | Sort::Manual => row.get("sort_key"),
        }
    }

    /// SQL turning the cursor's key (text parameter `$n`) back into the column's type.
    fn key_in(self, n: usize) -> String {
        let micros =
            format!("'epoch'::timestamptz + ${n}::text::bigint * interval '1 microsecond'");
        match self {
            Sort::Due => format!("COALESCE({micros}, 'infinity'::timestamptz)"),
            Sort::Created | Sort::Updated => micros,
            Sort::Priority => format!("${n}::text::smallint"),
            Sort::Title => format!("${n}::text"),
            Sort::Manual => format!("${n}::text::bigint"),
        }
    }

    fn default_descending(self) -> bool {
        matches!(self, Sort::Priority | Sort::Created | Sort::Updated)
    }
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    sort: Sort,
    descending: bool,
    key: Option<String>,
    id: i64,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(text: &str) -> Option<Self> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).ok()?).ok()
    }
}

/// `project=`: one of the caller's projects by id, or their Inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectFilter {
    Id(i64),
    Inbox,
}

/// `section=` and `parent=`: an id, or `none`.
fn id_or_none(value: &str) -> Option<Option<i64>> {
    match value {
        "none" => Some(None),
        id => id.parse::<i64>().ok().filter(|id| *id > 0).map(Some),
    }
}

/// `GET /api/tasks` query parameters, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Status,
    pub priorities: Vec<Priority>,
    pub tag: Option<String>,
    pub due_before: Option<DateTime<Utc>>,
    pub due_after: Option<DateTime<Utc>>,
    pub q: Option<String>,
    pub project: Option<ProjectFilter>,
    /// `Some(None)`: tasks without a section.
    pub section: Option<Option<i64>>,
    /// `Some(None)`: top-level tasks only.
    pub parent: Option<Option<i64>>,
    pub sort: Sort,
    pub descending: bool,
    pub limit: u32,
    cursor: Option<Cursor>,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            status: Status::Pending,
            priorities: Vec::new(),
            tag: None,
            due_before: None,
            due_after: None,
            q: None,
            project: None,
            section: None,
            parent: None,
            sort: Sort::Due,
            descending: false,
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

fn parse_enum<T: for<'de> Deserialize<'de>>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

/// An instant, or a date meaning its start in the user's time zone.
fn parse_bound(value: &str, tz: Zone) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = taskspin_domain::task::due_at(value) {
        return Ok(at);
    }
    let date = taskspin_domain::task::due_date(value)
        .map_err(|_| "must be an RFC 3339 date-time or a date like 2026-12-01".to_owned())?;
    tz.from_local_datetime(&date.and_time(NaiveTime::MIN))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| "is not a valid time in your time zone".to_owned())
}

impl ListQuery {
    /// Reads `status`, `priority` (comma-separated), `tag`, `due_before`,
    /// `due_after`, `q`, `sort`, `order` (`asc`/`desc`), `limit`, `cursor`.
    pub fn parse(query: &str, tz: Zone) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut list = ListQuery::default();
        let mut order = None;
        let mut cursor = None;
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match name.as_ref() {
                "status" => match parse_enum(value) {
                    Some(status) => list.status = status,
                    None => errors.add("status", "must be pending, completed, overdue or all"),
                },
                "priority" => {
                    let parsed: Option<Vec<Priority>> =
                        value.split(',').map(Priority::parse).collect();
                    match parsed {
                        Some(priorities) => list.priorities = priorities,
                        None => errors.add(
                            "priority",
                            "must be one or more of none, low, medium, high, urgent, comma-separated",
                        ),
                    }
                }
                "tag" => list.tag = errors.check("tag", taskspin_domain::task::tag(value)),
                "due_before" => {
                    list.due_before = errors.check("due_before", parse_bound(value, tz))
                }
                "due_after" => list.due_after = errors.check("due_after", parse_bound(value, tz)),
                "q" => {
                    if value.chars().count() > 200 {
                        errors.add("q", "must be at most 200 characters");
                    } else if !value.is_empty() {
                        list.q = Some(value.to_owned());
                    }
                }
                "project" => match value {
                    "inbox" => list.project = Some(ProjectFilter::Inbox),
                    id => match id.parse::<i64>() {
                        Ok(id) if id > 0 => list.project = Some(ProjectFilter::Id(id)),
                        _ => errors.add("project", "must be a project id or inbox"),
                    },
                },
                "section" => match id_or_none(value) {
                    Some(section) => list.section = Some(section),
                    None => errors.add("section", "must be a section id or none"),
                },
                "parent" => match id_or_none(value) {
                    Some(parent) => list.parent = Some(parent),
                    None => errors.add("parent", "must be a task id or none"),
                },
                "sort" => match parse_enum(value) {
                    Some(sort) => list.sort = sort,
                    None => errors.add(
                        "sort",
                        "must be due, priority, created, updated, title or manual",
                    ),
                },
                "order" => match value {
                    "asc" => order = Some(false),
                    "desc" => order = Some(true),
                    _ => errors.add("order", "must be asc or desc"),
                },
                "limit" => match value.parse::<u32>() {
                    Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => list.limit = limit,
                    _ => errors.add("limit", format!("must be a number from 1 to {MAX_LIMIT}")),
                },
                "cursor" => match Cursor::decode(value) {
                    Some(decoded) => cursor = Some(decoded),
                    None => errors.add("cursor", "is not a cursor this API returned"),
                },
                other => errors.add(other, "is not a known parameter"),
            }
        }
        list.descending = order.unwrap_or_else(|| list.sort.default_descending());
        if let Some(cursor) = cursor {
            if cursor.sort != list.sort || cursor.descending != list.descending {
                errors.add("cursor", "belongs to another sort or order");
            }
            list.cursor = Some(cursor);
        }
        errors.finish(Some(list))
    }
}

/// One page of a listing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page {
    pub tasks: Vec<Task>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// The statement that lists `user_id`'s tasks for `query`, with its
/// parameters; public so a test can `EXPLAIN` exactly what runs.
pub fn list_statement(
    query: &ListQuery,
    user_id: &str,
    time_zone: Zone,
) -> (String, Vec<ParameterValue>) {
    let mut params = vec![ParameterValue::Uuid(user_id.to_owned())];
    let mut param = |value: ParameterValue| {
        params.push(value);
        params.len()
    };
    let mut conditions = vec!["t.user_id = $1".to_owned()];
    match query.status {
        Status::Pending => conditions.push("t.completed_at IS NULL".into()),
        Status::Completed => conditions.push("t.completed_at IS NOT NULL".into()),
        Status::Overdue => {
            let tz = param(ParameterValue::Str(time_zone.name().to_owned()));
            // The due_key bound lets the pending-by-due index serve the filter.
            conditions.push(format!(
                "t.completed_at IS NULL AND t.due_key < now() + interval '1 day'
                     AND (t.due_at < now() OR t.due_date < (now() AT TIME ZONE ${tz})::date)"
            ));
        }
        Status::All => {}
    }
    if !query.priorities.is_empty() {
        let n = param(ParameterValue::ArrayInt32(
            query
                .priorities
                .iter()
                .map(|p| Some(i32::from(p.as_i16())))
                .collect(),
        ));
        conditions.push(format!("t.priority = ANY(${n}::int[])"));
    }
    if let Some(tag) = &query.tag {
        let n = param(ParameterValue::Str(tag.clone()));
        conditions.push(format!("t.tags @> ARRAY[${n}::text]"));
    }
    if let Some(before) = query.due_before {
        let n = param(ParameterValue::Str(before.to_rfc3339()));
        conditions.push(format!("t.due_key < ${n}::text::timestamptz"));
    }
    if let Some(after) = query.due_after {
        let n = param(ParameterValue::Str(after.to_rfc3339()));
        conditions.push(format!(
            "t.due_key >= ${n}::text::timestamptz AND isfinite(t.due_key)"
        ));
    }
    if let Some(q) = &query.q {
        let n = param(ParameterValue::Str(q.clone()));
        conditions.push(format!("t.search @@ websearch_to_tsquery('simple', ${n})"));
    }
    match query.project {
        Some(ProjectFilter::Id(id)) => {
            let n = param(ParameterValue::Int64(id));
            conditions.push(format!("t.project_id = ${n}"));
        }
        Some(ProjectFilter::Inbox) => conditions.push(
            "t.project_id = (SELECT p.id FROM projects p WHERE p.user_id = $1 AND p.inbox)".into(),
        ),
        // Archived projects keep their tasks out of every other view.
        None => conditions.push(
            "t.project_id NOT IN (SELECT p.id FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NOT NULL)"
                .into(),
        ),
    }
    match query.section {
        Some(Some(id)) => {
            let n = param(ParameterValue::Int64(id));
            conditions.push(format!("t.section_id = ${n}"));
        }
        Some(None) => conditions.push("t.section_id IS NULL".into()),
        None => {}
    }
    match query.parent {
        Some(Some(id)) => {
            let n = param(ParameterValue::Int64(id));
            conditions.push(format!("t.parent_id = ${n}"));
        }
        Some(None) => conditions.push("t.parent_id IS NULL".into()),
        None => {}
    }
    let column = query.sort.column();
    let direction = if query.descending { "DESC" } else { "ASC" };
    if let Some(cursor) = &query.cursor {
        let key = param(
            cursor
                .key
                .clone()
                .map_or(ParameterValue::DbNull, ParameterValue::Str),
        );
        let id = param(ParameterValue::Int64(cursor.id));
        let comparison = if query.descending { "<" } else { ">" };
        conditions.push(format!(
            "({column}, t.id) {comparison} ({}, ${id})",
            query.sort.key_in(key)
        ));
    }
    let limit = param(ParameterValue::Int64(i64::from(query.limit) + 1));
    let sql = format!(
        "SELECT {TASK_COLUMNS}, {key_out} FROM tasks t WHERE {conditions}
             ORDER BY {column} {direction}, t.id {direction} LIMIT ${limit}",
        key_out = query.sort.key_out(),
        conditions = conditions.join(" AND "),
    );
    (sql, params)
}

impl Tasks<'_> {
    pub fn list(&self, query: &ListQuery) -> taskspin_db::Result<Page> {
        let (sql, params) = list_statement(query, self.user_id(), self.time_zone());
        let rows = self.db().query(&sql, &params)?;
        let mut tasks = Vec::with_capacity(rows.len());
        let mut last_key = None;
        for row in rows.iter().take(query.limit as usize) {
            last_key = Some(query.sort.key_of(&row)?);
            tasks.push(Task::from_row(&row)?);
        }
        let next_cursor = match (rows.len() > query.limit as usize, tasks.last(), last_key) {
            (true, Some(last), Some(key)) => Some(
                Cursor {
                    sort: query.sort,
                    descending: query.descending,
                    key,
                    id: last.id,
                }
                .encode(),
            ),
            _ => None,
        };
        Ok(Page { tasks, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_rejects_unknown_parameters() {
        let tz = Zone::UTC;
        let query = ListQuery::parse(
            "status=all&priority=high,urgent&tag=Home&q=milk&sort=title&limit=10",
            tz,
        )
        .unwrap();
        assert_eq!(query.status, Status::All);
        assert_eq!(query.priorities, vec![Priority::High, Priority::Urgent]);
        assert_eq!(query.tag.as_deref(), Some("home"));
        assert_eq!(
            (query.sort, query.descending, query.limit),
            (Sort::Title, false, 10)
        );

        let query =
            ListQuery::parse("project=inbox&section=none&parent=12&sort=manual", tz).unwrap();
        assert_eq!(
            (
                query.project,
                query.section,
                query.parent,
                query.sort,
                query.descending
            ),
            (
                Some(ProjectFilter::Inbox),
                Some(None),
                Some(Some(12)),
                Sort::Manual,
                false
            )
        );
        assert!(ListQuery::parse("project=0", tz).is_err());
        assert!(ListQuery::parse("section=-3", tz).is_err());

        let errors = ListQuery::parse("status=soon&limit=500&bogus=1&order=up", tz).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["status", "limit", "bogus", "order"]);
    }

    #[test]
    fn cursors_round_trip_and_must_match_the_sort() {
        let cursor = Cursor {
            sort: Sort::Due,
            descending: false,
            key: Some("17".into()),
            id: 3,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor.clone()));
        let query = format!("cursor={}", cursor.encode());
        assert!(ListQuery::parse(&query, Zone::UTC).is_ok());
        assert!(ListQuery::parse(&format!("{query}&sort=title"), Zone::UTC).is_err());
        assert!(ListQuery::parse("cursor=garbage", Zone::UTC).is_err());
    }

    #[test]
    fn a_date_bound_starts_the_day_in_the_users_zone() {
        let at = parse_bound("2026-12-01", Zone::named("Europe/Berlin").unwrap()).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-30T23:00:00+00:00");
    }
}
