//! Listing: filters, sorts and keyset ("cursor") pagination, each served by
//! an index (see migrations/0002 and the EXPLAIN test).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use taskspin_accounts::Me;
use taskspin_db::{Db, ParameterValue, Row};
use taskspin_domain::{Errors, FieldError, Priority};

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
}

impl Sort {
    fn column(self) -> &'static str {
        match self {
            Sort::Due => "t.due_key",
            Sort::Priority => "t.priority",
            Sort::Created => "t.created_at",
            Sort::Updated => "t.updated_at",
            Sort::Title => "t.title",
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
        }
    }

    /// A row's sort key as the cursor stores it: microseconds for instants.
    fn key_of(self, row: &Row<'_>) -> taskspin_db::Result<Option<String>> {
        match self {
            Sort::Due | Sort::Created | Sort::Updated => Ok(row
                .get::<Option<NaiveDateTime>>("sort_key")?
                .map(|at| at.and_utc().timestamp_micros().to_string())),
            Sort::Priority | Sort::Title => row.get("sort_key"),
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

/// A bound on the due time: an instant, or a date meaning its start in the
/// user's time zone (which the statement reads along with the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    At(DateTime<Utc>),
    StartOf(NaiveDate),
}

/// `GET /api/tasks` query parameters, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Status,
    pub priorities: Vec<Priority>,
    pub tag: Option<String>,
    pub due_before: Option<Bound>,
    pub due_after: Option<Bound>,
    pub q: Option<String>,
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

fn parse_bound(value: &str) -> Result<Bound, String> {
    if let Ok(at) = taskspin_domain::task::due_at(value) {
        return Ok(Bound::At(at));
    }
    taskspin_domain::task::due_date(value)
        .map(Bound::StartOf)
        .map_err(|_| "must be an RFC 3339 date-time or a date like 2026-12-01".to_owned())
}

impl Bound {
    /// SQL for the bound's instant, sending its value as parameter `$n`.
    fn sql(self, param: &mut impl FnMut(ParameterValue) -> usize) -> String {
        match self {
            Bound::At(at) => format!(
                "${}::text::timestamptz",
                param(ParameterValue::Str(at.to_rfc3339()))
            ),
            Bound::StartOf(date) => format!(
                "(${}::text::date::timestamp AT TIME ZONE me.time_zone)",
                param(ParameterValue::Str(date.format("%Y-%m-%d").to_string()))
            ),
        }
    }
}

impl ListQuery {
    /// Reads `status`, `priority` (comma-separated), `tag`, `due_before`,
    /// `due_after`, `q`, `sort`, `order` (`asc`/`desc`), `limit`, `cursor`.
    pub fn parse(query: &str) -> Result<Self, Vec<FieldError>> {
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
                    for part in value.split(',').filter(|p| !p.is_empty()) {
                        match Priority::parse(part) {
                            Some(priority) => list.priorities.push(priority),
                            None => {
                                errors.add("priority", "must be none, low, medium, high or urgent")
                            }
                        }
                    }
                }
                "tag" => list.tag = errors.check("tag", taskspin_domain::task::tag(value)),
                "due_before" => list.due_before = errors.check("due_before", parse_bound(value)),
                "due_after" => list.due_after = errors.check("due_after", parse_bound(value)),
                "q" => {
                    if value.chars().count() > 200 {
                        errors.add("q", "must be at most 200 characters");
                    } else if !value.is_empty() {
                        list.q = Some(value.to_owned());
                    }
                }
                "sort" => match parse_enum(value) {
                    Some(sort) => list.sort = sort,
                    None => errors.add("sort", "must be due, priority, created, updated or title"),
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

/// The statement that authenticates `me` and lists their tasks for `query`,
/// with its parameters: one row per task, each with `me`'s `renew`, or one
/// row without a task when `me` has none, or no row when `me` is nobody.
/// Public so a test can `EXPLAIN` exactly what runs.
pub fn list_statement(query: &ListQuery, me: &Me) -> (String, Vec<ParameterValue>) {
    let mut params = vec![me.key()];
    let mut param = |value: ParameterValue| {
        params.push(value);
        params.len()
    };
    let mut conditions = vec!["t.user_id = me.user_id".to_owned()];
    match query.status {
        Status::Pending => conditions.push("t.completed_at IS NULL".into()),
        Status::Completed => conditions.push("t.completed_at IS NOT NULL".into()),
        Status::Overdue => {
            // The due_key bound lets the pending-by-due index serve the filter.
            conditions.push(
                "t.completed_at IS NULL AND t.due_key < now() + interval '1 day'
                     AND (t.due_at < now() OR t.due_date < (now() AT TIME ZONE me.time_zone)::date)"
                    .into(),
            );
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
        conditions.push(format!("t.due_key < {}", before.sql(&mut param)));
    }
    if let Some(after) = query.due_after {
        conditions.push(format!(
            "t.due_key >= {} AND isfinite(t.due_key)",
            after.sql(&mut param)
        ));
    }
    if let Some(q) = &query.q {
        let n = param(ParameterValue::Str(q.clone()));
        conditions.push(format!("t.search @@ websearch_to_tsquery('simple', ${n})"));
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
        "WITH {me} SELECT me.renew, page.* FROM me LEFT JOIN LATERAL (
             SELECT {TASK_COLUMNS}, {key_out} FROM tasks t WHERE {conditions}
             ORDER BY {column} {direction}, t.id {direction} LIMIT ${limit}
         ) page ON true",
        me = me.cte(),
        key_out = query.sort.key_out(),
        conditions = conditions.join(" AND "),
    );
    (sql, params)
}

/// A page of `me`'s tasks and whether `me`'s credential is due for renewal
/// ([`Me::renew`]), read in one statement; `None` when `me` is nobody.
pub fn list(db: &Db, me: &Me, query: &ListQuery) -> taskspin_db::Result<Option<(Page, bool)>> {
    let (sql, params) = list_statement(query, me);
    let rows = db.query(&sql, &params)?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let renew = first.get("renew")?;
    let mut tasks = Vec::with_capacity(rows.len());
    let mut last_key = None;
    for row in rows.iter().take(query.limit as usize) {
        if row.get::<Option<i64>>("id")?.is_none() {
            // The row of a user without a matching task.
            break;
        }
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
    Ok(Some((Page { tasks, next_cursor }, renew)))
}

impl Tasks<'_> {
    pub fn list(&self, query: &ListQuery) -> taskspin_db::Result<Page> {
        let me = Me::User(self.user_id().to_owned());
        Ok(list(self.db(), &me, query)?.map_or_else(
            || Page {
                tasks: Vec::new(),
                next_cursor: None,
            },
            |(page, _)| page,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn parses_filters_and_rejects_unknown_parameters() {
        let query =
            ListQuery::parse("status=all&priority=high,urgent&tag=Home&q=milk&sort=title&limit=10")
                .unwrap();
        assert_eq!(query.status, Status::All);
        assert_eq!(query.priorities, vec![Priority::High, Priority::Urgent]);
        assert_eq!(query.tag.as_deref(), Some("home"));
        assert_eq!(
            (query.sort, query.descending, query.limit),
            (Sort::Title, false, 10)
        );

        let errors = ListQuery::parse("status=soon&limit=500&bogus=1&order=up").unwrap_err();
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
        assert!(ListQuery::parse(&query).is_ok());
        assert!(ListQuery::parse(&format!("{query}&sort=title")).is_err());
        assert!(ListQuery::parse("cursor=garbage").is_err());
    }

    #[test]
    fn a_bound_is_an_instant_or_a_date() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(parse_bound("2026-12-01"), Ok(Bound::StartOf(date)));
        let at = parse_bound("2026-12-01T10:00:00+01:00").unwrap();
        assert_eq!(
            at,
            Bound::At(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap())
        );
        assert!(parse_bound("soon").is_err());
    }
}
