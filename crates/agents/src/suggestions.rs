//! A user's suggestions: list, count, accept (apply the proposed change
//! through the same rules as the tasks API, atomically and once), dismiss.

use chrono::{NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use taskspin_db::{Db, ParameterValue, Row};
use taskspin_domain::{Due, Priority, Zone};
use taskspin_tasks::{IfMatch, Outcome, Task, TaskChanges, Tasks};

/// A suggestion as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub id: i64,
    /// `overdue_monitor` or `prioritization`.
    pub agent: String,
    pub kind: String,
    pub message: String,
    pub action: Action,
    pub task_ids: Vec<i64>,
    /// `pending`, `accepted`, `dismissed` or `expired`.
    pub status: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// `GET /api/suggestions`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestionList {
    pub suggestions: Vec<Suggestion>,
}

/// `GET /api/suggestions/count`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PendingCount {
    pub pending: i64,
}

/// `POST /api/suggestions/{id}/accept`: the suggestion and the changed tasks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub suggestion: Suggestion,
    pub tasks: Vec<Task>,
}

/// The change accepting a suggestion makes to its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move each task to this date, keeping a due time's time of day.
    RescheduleTo(String),
    Complete(bool),
    ClearDue(bool),
    SetPriority(Priority),
    /// A reminder: nothing to change.
    Acknowledge(bool),
}

const COLUMNS: &str = "s.id, s.agent, s.kind, s.message, s.action, s.status, rfc3339(s.created_at) AS created_at, \
     rfc3339(s.expires_at) AS expires_at, s.task_ids";

fn decode(row: &Row<'_>) -> taskspin_db::Result<Suggestion> {
    let action: serde_json::Value = row.get("action")?;
    Ok(Suggestion {
        id: row.get("id")?,
        agent: row.get("agent")?,
        kind: row.get("kind")?,
        message: row.get("message")?,
        action: serde_json::from_value(action).map_err(|e| taskspin_db::Error::Decode {
            column: "action".into(),
            message: e.to_string(),
        })?,
        task_ids: row
            .get::<Vec<Option<i64>>>("task_ids")?
            .into_iter()
            .flatten()
            .collect(),
        status: row.get("status")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
    })
}

/// Why an accept or dismiss did nothing.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    NotFound,
    /// Accepted, dismissed or expired already; the status says which.
    NotPending(String),
    /// A task changed since the suggestion was made; it is now expired.
    TaskChanged,
}

pub struct Suggestions<'a> {
    db: &'a Db,
    user_id: String,
    time_zone: Zone,
}

impl<'a> Suggestions<'a> {
    pub fn new(db: &'a Db, user_id: &str, time_zone: Zone) -> Self {
        Self {
            db,
            user_id: user_id.to_owned(),
            time_zone,
        }
    }

    fn user(&self) -> ParameterValue {
        ParameterValue::Uuid(self.user_id.clone())
    }

    /// Pending and unexpired, newest first.
    pub fn pending(&self) -> taskspin_db::Result<Vec<Suggestion>> {
        self.db
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM suggestions s
                     WHERE s.user_id = $1 AND s.status = 'pending' AND s.expires_at > now()
                     ORDER BY s.id DESC LIMIT 100"
                ),
                &[self.user()],
            )?
            .map(decode)
    }

    pub fn count_pending(&self) -> taskspin_db::Result<i64> {
        let rows = self.db.query(
            "SELECT count(*) AS pending FROM suggestions
             WHERE user_id = $1 AND status = 'pending' AND expires_at > now()",
            &[self.user()],
        )?;
        rows.first().map_or(Ok(0), |row| row.get("pending"))
    }

    fn get(&self, id: i64) -> taskspin_db::Result<Option<Suggestion>> {
        let rows = self.db.query(
            &format!("SELECT {COLUMNS} FROM suggestions s WHERE s.id = $1 AND s.user_id = $2"),
            &[ParameterValue::Int64(id), self.user()],
        )?;
        rows.first().map(|row| decode(&row)).transpose()
    }

    /// Marks a pending suggestion resolved; the statement's row lock makes
    /// a second, concurrent resolution find it no longer pending.
    fn resolve(&self, id: i64, status: &str) -> taskspin_db::Result<Result<Suggestion, Refusal>> {
        let rows = self.db.query(
            &format!(
                "UPDATE suggestions s SET status = $3, resolved_at = now()
                 WHERE s.id = $1 AND s.user_id = $2 AND s.status = 'pending' AND s.expires_at > now()
                 RETURNING {COLUMNS}"
            ),
            &[ParameterValue::Int64(id), self.user(), ParameterValue::Str(status.to_owned())],
        )?;
        match rows.first() {
            Some(row) => Ok(Ok(decode(&row)?)),
            None => Ok(Err(match self.get(id)? {
                None => Refusal::NotFound,
                // Past its expiry (or its task changed): expired, whether or
                // not a pass has recorded it yet.
                Some(found) if found.status == "pending" => Refusal::NotPending("expired".into()),
                Some(found) => Refusal::NotPending(found.status),
            })),
        }
    }

    pub fn dismiss(&self, id: i64) -> taskspin_db::Result<Result<Suggestion, Refusal>> {
        self.resolve(id, "dismissed")
    }

    /// Accepts once: the status change and every task change commit together.
    pub fn accept(&self, id: i64) -> taskspin_db::Result<Result<(Suggestion, Vec<Task>), Refusal>> {
        let outcome = self.db.transaction(|db| {
            let suggestion = match self.resolve(id, "accepted")? {
                Ok(suggestion) => suggestion,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let versions = db
                .query(
                    "SELECT task_id, task_version FROM suggestion_tasks WHERE suggestion_id = $1 ORDER BY task_id",
                    &[ParameterValue::Int64(id)],
                )?
                .map(|row| Ok((row.get::<i64>("task_id")?, row.get::<i32>("task_version")?)))?;
            let tasks = Tasks::new(db, &self.user_id, self.time_zone);
            let mut changed = Vec::new();
            for (task_id, version) in versions {
                match self.apply(&tasks, &suggestion.action, task_id, version)? {
                    Outcome::Done(task) => changed.push(task),
                    // Undo the acceptance; the pass will expire it.
                    _ => return Err(Stale),
                }
            }
            Ok(Ok((suggestion, changed)))
        });
        match outcome {
            Ok(result) => Ok(result),
            Err(StaleOr::Stale) => {
                // A concurrent change may have resolved it already; either way it is not pending.
                let _ = self.resolve(id, "expired")?;
                Ok(Err(Refusal::TaskChanged))
            }
            Err(StaleOr::Db(error)) => Err(error),
        }
    }

    fn apply(
        &self,
        tasks: &Tasks,
        action: &Action,
        id: i64,
        version: i32,
    ) -> taskspin_db::Result<Outcome<Task>> {
        let changes = match action {
            Action::Complete(_) => {
                return tasks.complete_in_transaction(id, &IfMatch::version(version));
            }
            Action::Acknowledge(_) => {
                return Ok(match tasks.get(id)? {
                    Some(task) if task.version == version => Outcome::Done(task),
                    Some(task) => Outcome::Stale {
                        current: Box::new(task),
                    },
                    None => Outcome::NotFound,
                });
            }
            Action::SetPriority(priority) => TaskChanges {
                priority: Some(*priority),
                ..TaskChanges::default()
            },
            Action::ClearDue(_) => TaskChanges {
                due: Some(None),
                ..TaskChanges::default()
            },
            Action::RescheduleTo(date) => {
                let Some(current) = tasks.get(id)? else {
                    return Ok(Outcome::NotFound);
                };
                let due = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .ok()
                    .map(|date| self.move_to(current.due(), date));
                TaskChanges {
                    due: Some(due),
                    ..TaskChanges::default()
                }
            }
        };
        tasks.update(id, &changes, &IfMatch::version(version))
    }

    /// A due moved to `date`: a due time keeps its local time of day.
    fn move_to(&self, due: Option<Due>, date: NaiveDate) -> Due {
        match due {
            Some(Due::At(at)) => {
                let local_time = at.with_timezone(&self.time_zone).time();
                self.time_zone
                    .from_local_datetime(&date.and_time(local_time))
                    .earliest()
                    .map_or(Due::On(date), |local| {
                        Due::At(local.with_timezone(&chrono::Utc))
                    })
            }
            _ => Due::On(date),
        }
    }
}

/// A transaction's failure: a stale task (roll back, then expire) or the database.
enum StaleOr {
    Stale,
    Db(taskspin_db::Error),
}

use StaleOr::Stale;

impl From<taskspin_db::Error> for StaleOr {
    fn from(error: taskspin_db::Error) -> Self {
        StaleOr::Db(error)
    }
}
