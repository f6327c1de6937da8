use chrono::{Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;
use taskspin_db::{Db, IfMatch, ParameterValue, Row};
use taskspin_domain::{Due, FieldError, Priority, Recurrence, Zone};

use crate::input::{Placement, TaskChanges, TaskValues, due_columns};
use crate::tree::Resolved;

/// A task as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub completed: bool,
    #[schema(format = DateTime)]
    pub completed_at: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub version: i32,
    pub project_id: i64,
    /// Null: in the project without a section.
    pub section_id: Option<i64>,
    /// Null: a top-level task.
    pub parent_id: Option<i64>,
    /// Orders the task among its siblings (same project, section and parent).
    pub position: i64,
    pub subtask_counts: SubtaskCounts,
}

/// A task's progress: its direct subtasks, and how many are completed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SubtaskCounts {
    pub total: i64,
    pub completed: i64,
}

/// The select list [`Task::from_row`] decodes, for a `tasks t`.
///
/// Instants come as UTC `timestamp`s (the only way `spin:postgres` reads them)
/// and are formatted here: `to_char` per column doubled a listing's cost in
/// PostgreSQL (docs/performance.md).
pub(crate) const TASK_COLUMNS: &str = "t.id, t.title, t.description, t.priority, t.tags, \
     t.due_at AT TIME ZONE 'UTC' AS due_at, t.due_date, t.recurrence, \
     t.completed_at AT TIME ZONE 'UTC' AS completed_at, t.created_at AT TIME ZONE 'UTC' AS created_at, \
     t.updated_at AT TIME ZONE 'UTC' AS updated_at, t.version, \
     t.project_id, t.section_id, t.parent_id, t.position, \
     (SELECT ARRAY[count(*), count(c.completed_at)] FROM tasks c WHERE c.parent_id = t.id) AS subtasks";

/// An instant as the API writes it: RFC 3339 in UTC, to the millisecond.
fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn decode_error(column: &str, message: impl ToString) -> taskspin_db::Error {
    taskspin_db::Error::Decode {
        column: column.into(),
        message: message.to_string(),
    }
}

impl Task {
    pub(crate) fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        let priority: i16 = row.get("priority")?;
        let recurrence = row
            .get::<Option<serde_json::Value>>("recurrence")?
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| decode_error("recurrence", e))?;
        let instant = |column| {
            row.get::<Option<NaiveDateTime>>(column)
                .map(|at| at.map(rfc3339))
        };
        let completed_at = instant("completed_at")?;
        Ok(Self {
            id: row.get("id")?,
            title: row.get("title")?,
            description: row.get("description")?,
            priority: Priority::from_i16(priority)
                .ok_or_else(|| decode_error("priority", priority))?,
            tags: row
                .get::<Vec<Option<String>>>("tags")?
                .into_iter()
                .flatten()
                .collect(),
            due_at: instant("due_at")?,
            due_date: row
                .get::<Option<NaiveDate>>("due_date")?
                .map(|date| date.format("%Y-%m-%d").to_string()),
            recurrence,
            completed: completed_at.is_some(),
            completed_at,
            created_at: rfc3339(row.get("created_at")?),
            updated_at: rfc3339(row.get("updated_at")?),
            version: row.get("version")?,
            project_id: row.get("project_id")?,
            section_id: row.get("section_id")?,
            parent_id: row.get("parent_id")?,
            position: row.get("position")?,
            subtask_counts: match row.get::<Vec<Option<i64>>>("subtasks")?[..] {
                [Some(total), Some(completed)] => SubtaskCounts { total, completed },
                _ => SubtaskCounts::default(),
            },
        })
    }

    /// The strong ETag of this version of the task.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }

    pub fn due(&self) -> Option<Due> {
        let at = self
            .due_at
            .as_deref()
            .and_then(|at| taskspin_domain::task::due_at(at).ok())
            .map(Due::At);
        at.or_else(|| {
            self.due_date
                .as_deref()
                .and_then(|d| taskspin_domain::task::due_date(d).ok())
                .map(Due::On)
        })
    }
}

/// The result of a change to one task.
#[derive(Debug, PartialEq)]
pub enum Outcome<T> {
    Done(T),
    /// No such task for this user.
    NotFound,
    /// `If-Match` named another version; nothing was changed.
    Stale {
        current: Box<Task>,
    },
    /// The change names ids that are not the caller's, or a place a task
    /// cannot go; nothing was changed.
    Invalid(Vec<FieldError>),
}

/// One user's tasks.
pub struct Tasks<'a> {
    db: &'a Db,
    user_id: String,
    time_zone: Zone,
}

pub(crate) fn due_params(due: Option<Due>) -> [ParameterValue; 2] {
    let (at, date) = due_columns(due);
    [
        at.map_or(ParameterValue::DbNull, |at| {
            ParameterValue::Str(at.to_rfc3339())
        }),
        date.map_or(ParameterValue::DbNull, date_param),
    ]
}

fn date_param(date: NaiveDate) -> ParameterValue {
    ParameterValue::Date((date.year(), date.month() as u8, date.day() as u8))
}

fn tags_param(tags: &[String]) -> ParameterValue {
    ParameterValue::ArrayStr(tags.iter().cloned().map(Some).collect())
}

fn recurrence_param(recurrence: Option<&Recurrence>) -> ParameterValue {
    recurrence
        .and_then(|r| serde_json::to_vec(r).ok())
        .map_or(ParameterValue::DbNull, ParameterValue::Jsonb)
}

impl<'a> Tasks<'a> {
    pub fn new(db: &'a Db, user_id: &str, time_zone: Zone) -> Self {
        Self {
            db,
            user_id: user_id.to_owned(),
            time_zone,
        }
    }

    pub fn db(&self) -> &Db {
        self.db
    }

    pub(crate) fn user_id(&self) -> &str {
        &self.user_id
    }

    pub(crate) fn user(&self) -> ParameterValue {
        ParameterValue::Uuid(self.user_id.clone())
    }

    pub(crate) fn time_zone(&self) -> Zone {
        self.time_zone
    }

    fn one(&self, sql: &str, params: &[ParameterValue]) -> taskspin_db::Result<Option<Task>> {
        let rows = self.db.query(sql, params)?;
        rows.first().map(|row| Task::from_row(&row)).transpose()
    }

    /// A recurring task without a date starts at its first occurrence. The
    /// ids of its placement must be the caller's (field errors otherwise).
    pub fn create(
        &self,
        values: &TaskValues,
    ) -> taskspin_db::Result<Result<Task, Vec<FieldError>>> {
        if values.placement == Placement::default() {
            return self.insert(values, None).map(Ok);
        }
        self.db
            .transaction(|db| match self.resolve(db, &values.placement)? {
                Ok(place) => self.insert(values, Some(place)).map(Ok),
                Err(errors) => Ok(Err(errors)),
            })
    }

    fn insert(&self, values: &TaskValues, place: Option<Resolved>) -> taskspin_db::Result<Task> {
        let due = values.due.or_else(|| {
            values
                .recurrence
                .as_ref()
                .map(|r| r.first_due(Utc::now(), self.time_zone))
        });
        let [due_at, due_date] = due_params(due);
        let id = |pick: fn(&Resolved) -> Option<i64>| {
            place
                .as_ref()
                .and_then(pick)
                .map_or(ParameterValue::DbNull, ParameterValue::Int64)
        };
        self.one(
            &format!(
                "INSERT INTO tasks AS t (user_id, title, description, priority, tags, due_at, due_date, recurrence,
                                         project_id, section_id, parent_id)
                 VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz, $7, $8, $9, $10, $11) RETURNING {TASK_COLUMNS}"
            ),
            &[
                self.user(),
                ParameterValue::Str(values.title.clone()),
                ParameterValue::Str(values.description.clone()),
                ParameterValue::Int16(values.priority.as_i16()),
                tags_param(&values.tags),
                due_at,
                due_date,
                recurrence_param(values.recurrence.as_ref()),
                id(|p| p.project),
                id(|p| p.section),
                id(|p| p.parent),
            ],
        )?
        .ok_or_else(|| decode_error("*", "INSERT returned no row"))
    }

    pub fn get(&self, id: i64) -> taskspin_db::Result<Option<Task>> {
        self.one(
            &format!("SELECT {TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND t.user_id = $2"),
            &[ParameterValue::Int64(id), self.user()],
        )
    }

    /// Why a conditional write touched no row: missing, or another version.
    fn explain_miss<T>(&self, id: i64) -> taskspin_db::Result<Outcome<T>> {
        Ok(match self.get(id)? {
            None => Outcome::NotFound,
            Some(current) => Outcome::Stale {
                current: Box::new(current),
            },
        })
    }

    pub fn update(
        &self,
        id: i64,
        changes: &TaskChanges,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Outcome<Task>> {
        let [due_at, due_date] = due_params(changes.due.flatten());
        let updated = self.one(
            &format!(
                "UPDATE tasks AS t SET
                    title = COALESCE($3, t.title),
                    description = COALESCE($4, t.description),
                    priority = COALESCE($5, t.priority),
                    tags = COALESCE($6, t.tags),
                    due_at = CASE WHEN $7 THEN $8::text::timestamptz ELSE t.due_at END,
                    due_date = CASE WHEN $7 THEN $9 ELSE t.due_date END,
                    recurrence = CASE WHEN $10 THEN $11 ELSE t.recurrence END,
                    updated_at = now(),
                    version = t.version + 1
                 WHERE t.id = $1 AND t.user_id = $2 AND ($12::int[] IS NULL OR t.version = ANY($12))
                 RETURNING {TASK_COLUMNS}"
            ),
            &[
                ParameterValue::Int64(id),
                self.user(),
                changes
                    .title
                    .clone()
                    .map_or(ParameterValue::DbNull, ParameterValue::Str),
                changes
                    .description
                    .clone()
                    .map_or(ParameterValue::DbNull, ParameterValue::Str),
                changes.priority.map_or(ParameterValue::DbNull, |p| {
                    ParameterValue::Int16(p.as_i16())
                }),
                changes
                    .tags
                    .as_deref()
                    .map_or(ParameterValue::DbNull, tags_param),
                ParameterValue::Boolean(changes.due.is_some()),
                due_at,
                due_date,
                ParameterValue::Boolean(changes.recurrence.is_some()),
                recurrence_param(changes.recurrence.as_ref().and_then(Option::as_ref)),
                if_match.param(),
            ],
        )?;
        match updated {
            Some(task) => Ok(Outcome::Done(task)),
            None => self.explain_miss(id),
        }
    }

    pub fn delete(&self, id: i64, if_match: &IfMatch) -> taskspin_db::Result<Outcome<()>> {
        let deleted = self.db.execute(
            "DELETE FROM tasks WHERE id = $1 AND user_id = $2 AND ($3::int[] IS NULL OR version = ANY($3))",
            &[ParameterValue::Int64(id), self.user(), if_match.param()],
        )?;
        if deleted == 1 {
            Ok(Outcome::Done(()))
        } else {
            self.explain_miss(id)
        }
    }

    /// Completes a pending task; completing a completed one changes nothing.
    /// A recurring task's next occurrence is created in the same transaction,
    /// exactly once: the row lock serialises concurrent completions and the
    /// unique `previous_occurrence_id` forbids a second successor.
    pub fn complete(&self, id: i64, if_match: &IfMatch) -> taskspin_db::Result<Outcome<Task>> {
        self.db
            .transaction(|_| self.complete_in_transaction(id, if_match))
    }

    /// [`Tasks::complete`] for a caller that already holds a transaction.
    pub fn complete_in_transaction(
        &self,
        id: i64,
        if_match: &IfMatch,
    ) -> taskspin_db::Result<Outcome<Task>> {
        let completed = self.one(
            &format!(
                "UPDATE tasks AS t SET completed_at = now(), updated_at = now(), version = t.version + 1
                 WHERE t.id = $1 AND t.user_id = $2 AND t.completed_at IS NULL AND ($3::int[] IS NULL OR t.version = ANY($3))
                 RETURNING {TASK_COLUMNS}"
            ),
            &[ParameterValue::Int64(id), self.user(), if_match.param()],
        )?;
        let Some(task) = completed else {
            return Ok(match self.get(id)? {
                None => Outcome::NotFound,
                Some(current) if !if_match.allows(current.version) => Outcome::Stale {
                    current: Box::new(current),
                },
                Some(current) => Outcome::Done(current),
            });
        };
        if task.subtask_counts.total > 0 {
            self.complete_subtree(id)?;
        }
        if let Some(recurrence) = &task.recurrence {
            let next = match task.due() {
                Some(due) => recurrence.next_due(due, self.time_zone),
                None => recurrence.first_due(Utc::now(), self.time_zone),
            };
            let [due_at, due_date] = due_params(Some(next));
            let inserted = self.db.execute(
                "INSERT INTO tasks (user_id, title, description, priority, tags, due_at, due_date, recurrence,
                                    project_id, section_id, parent_id, position, previous_occurrence_id)
                 SELECT user_id, title, description, priority, tags, $3::text::timestamptz, $4, recurrence,
                        project_id, section_id, parent_id, position, id
                 FROM tasks WHERE id = $1 AND user_id = $2
                 ON CONFLICT (previous_occurrence_id) DO NOTHING",
                &[ParameterValue::Int64(id), self.user(), due_at, due_date],
            )?;
            if inserted == 1 && task.subtask_counts.total > 0 {
                self.copy_subtasks(id)?;
            }
        }
        if task.subtask_counts.total > task.subtask_counts.completed {
            return Ok(self.get(id)?.map_or(Outcome::NotFound, Outcome::Done));
        }
        Ok(Outcome::Done(task))
    }

    /// Completes the open tasks below a task that was just completed.
    fn complete_subtree(&self, id: i64) -> taskspin_db::Result<u64> {
        self.db.execute(
            "WITH RECURSIVE below AS (
                 SELECT id FROM tasks WHERE parent_id = $1 AND user_id = $2
                 UNION ALL
                 SELECT t.id FROM tasks t JOIN below ON t.parent_id = below.id
             )
             UPDATE tasks SET completed_at = now(), updated_at = now(), version = version + 1
             WHERE id IN (SELECT id FROM below) AND completed_at IS NULL",
            &[ParameterValue::Int64(id), self.user()],
        )
    }

    /// Gives the next occurrence of `id` a fresh copy of its subtasks, open and
    /// undated, level by level; each copy remembers its original in
    /// `previous_occurrence_id`, which is how the next level finds its parent.
    fn copy_subtasks(&self, id: i64) -> taskspin_db::Result<()> {
        let mut originals = vec![Some(id)];
        for _ in 1..taskspin_domain::project::MAX_TASK_DEPTH {
            originals = self
                .db
                .query(
                    "INSERT INTO tasks (user_id, project_id, section_id, parent_id, title, description,
                                        priority, tags, recurrence, position, previous_occurrence_id)
                     SELECT c.user_id, copy.project_id, copy.section_id, copy.id, c.title, c.description,
                            c.priority, c.tags, c.recurrence, c.position, c.id
                     FROM tasks c JOIN tasks copy ON copy.previous_occurrence_id = c.parent_id
                     WHERE c.parent_id = ANY($1::bigint[]) AND c.user_id = $2
                     ORDER BY c.position, c.id
                     ON CONFLICT (previous_occurrence_id) DO NOTHING
                     RETURNING previous_occurrence_id",
                    &[ParameterValue::ArrayInt64(originals), self.user()],
                )?
                .map(|row| row.get("previous_occurrence_id"))?;
            if originals.is_empty() {
                break;
            }
        }
        Ok(())
    }

    /// Reopens a completed task, and its completed ancestors with it: an open
    /// subtask means its parent is not done.
    pub fn reopen(&self, id: i64, if_match: &IfMatch) -> taskspin_db::Result<Outcome<Task>> {
        self.db.transaction(|_| {
            let reopened = self.one(
                &format!(
                    "UPDATE tasks AS t SET completed_at = NULL, updated_at = now(), version = t.version + 1
                     WHERE t.id = $1 AND t.user_id = $2 AND t.completed_at IS NOT NULL AND ($3::int[] IS NULL OR t.version = ANY($3))
                     RETURNING {TASK_COLUMNS}"
                ),
                &[ParameterValue::Int64(id), self.user(), if_match.param()],
            )?;
            Ok(match reopened {
                Some(task) => {
                    if task.parent_id.is_some() {
                        self.reopen_ancestors(id)?;
                    }
                    Outcome::Done(task)
                }
                None => match self.get(id)? {
                    None => Outcome::NotFound,
                    Some(current) if !if_match.allows(current.version) => Outcome::Stale {
                        current: Box::new(current),
                    },
                    Some(current) => Outcome::Done(current),
                },
            })
        })
    }

    fn reopen_ancestors(&self, id: i64) -> taskspin_db::Result<u64> {
        self.db.execute(
            "WITH RECURSIVE up AS (
                 SELECT parent_id AS id FROM tasks WHERE id = $1 AND user_id = $2
                 UNION ALL
                 SELECT t.parent_id FROM tasks t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL
             )
             UPDATE tasks SET completed_at = NULL, updated_at = now(), version = version + 1
             WHERE id IN (SELECT id FROM up) AND completed_at IS NOT NULL",
            &[ParameterValue::Int64(id), self.user()],
        )
    }

    /// Completes each task of `ids` that the user has; returns them and the
    /// ids that were not found. All or nothing.
    pub fn complete_many(&self, ids: &[i64]) -> taskspin_db::Result<(Vec<Task>, Vec<i64>)> {
        self.db.transaction(|_| {
            let mut done = Vec::new();
            let mut missing = Vec::new();
            for &id in ids {
                match self.complete_in_transaction(id, &IfMatch::Any)? {
                    Outcome::Done(task) => done.push(task),
                    _ => missing.push(id),
                }
            }
            Ok((done, missing))
        })
    }

    /// Deletes each task of `ids` that the user has; returns the deleted ids
    /// and those that were not found.
    pub fn delete_many(&self, ids: &[i64]) -> taskspin_db::Result<(Vec<i64>, Vec<i64>)> {
        let deleted: Vec<i64> = self
            .db
            .query(
                "DELETE FROM tasks WHERE user_id = $1 AND id = ANY($2::bigint[]) RETURNING id",
                &[
                    self.user(),
                    ParameterValue::ArrayInt64(ids.iter().copied().map(Some).collect()),
                ],
            )?
            .map(|row| row.get("id"))?;
        let missing = ids
            .iter()
            .copied()
            .filter(|id| !deleted.contains(id))
            .collect();
        Ok((deleted, missing))
    }
}

impl Tasks<'_> {
    /// Tasks whose title contains `words` (case-insensitive), pending ones
    /// first, at most `limit`; completed ones only when `include_completed`.
    /// For naming a task in words ("the meeting task").
    pub fn find_by_title(
        &self,
        words: &str,
        include_completed: bool,
        limit: u32,
    ) -> taskspin_db::Result<Vec<Task>> {
        let pattern = format!(
            "%{}%",
            words
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.db
            .query(
                &format!(
                    "SELECT {TASK_COLUMNS} FROM tasks t
                     WHERE t.user_id = $1 AND t.title ILIKE $2 AND ($3 OR t.completed_at IS NULL)
                     ORDER BY t.completed_at IS NOT NULL, t.id LIMIT $4"
                ),
                &[
                    self.user(),
                    ParameterValue::Str(pattern),
                    ParameterValue::Boolean(include_completed),
                    ParameterValue::Int64(i64::from(limit)),
                ],
            )?
            .map(Task::from_row)
    }
}
