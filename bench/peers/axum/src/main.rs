//! The benchmark's native reference: axum, tokio-postgres and a deadpool
//! pool doing the same SQL as Taskspin's components for the endpoints
//! `make bench` measures (see ../sql.md). Settings: PORT, and the database
//! through PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD; PEER_POOL
//! (default 64, the pool size Spin's host uses).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDate, NaiveDateTime, SecondsFormat, Timelike, Utc};
use deadpool_postgres::{Config, Pool, Runtime};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

const PRIORITIES: [&str; 5] = ["none", "low", "medium", "high", "urgent"];
const TASK_COLUMNS: &str = "t.id, t.title, t.description, t.priority, t.tags, \
     t.due_at AT TIME ZONE 'UTC' AS due_at, t.due_date, t.recurrence, \
     t.completed_at AT TIME ZONE 'UTC' AS completed_at, t.created_at AT TIME ZONE 'UTC' AS created_at, \
     t.updated_at AT TIME ZONE 'UTC' AS updated_at, t.version, \
     t.project_id, t.section_id, t.parent_id, t.position, \
     (SELECT ARRAY[count(*), count(c.completed_at)] FROM tasks c WHERE c.parent_id = t.id) AS subtasks";
const PROJECT_COLUMNS: &str = "p.id, p.name, p.color, p.inbox, p.position, \
     p.archived_at AT TIME ZONE 'UTC' AS archived_at, p.created_at AT TIME ZONE 'UTC' AS created_at, \
     p.updated_at AT TIME ZONE 'UTC' AS updated_at, p.version, \
     (SELECT count(*) FROM tasks c WHERE c.project_id = p.id AND c.completed_at IS NULL) AS open_tasks, \
     (SELECT count(*) FROM tasks c WHERE c.project_id = p.id) AS tasks";
const SECTION_COLUMNS: &str = "s.id, s.project_id, s.name, s.position, \
     s.created_at AT TIME ZONE 'UTC' AS created_at, s.updated_at AT TIME ZONE 'UTC' AS updated_at, s.version";
/// The siblings of a top-level task: its project's, in its section.
const SIBLINGS: &str =
    "project_id = $1 AND section_id IS NOT DISTINCT FROM $2 AND parent_id IS NULL";
const GAP: i64 = 65_536;
/// A move within its own list in one statement (crates/tasks/src/tree.rs
/// `reorder`); no row: the transaction decides.
const REORDER: &str = "WITH me AS (SELECT id, project_id, section_id, parent_id FROM tasks WHERE id = $1 AND user_id = $2),
place AS (
  SELECT CASE WHEN next.position IS NULL THEN nextval('positions') * 65536
              WHEN next.position - after.position >= 2 THEN after.position + (next.position - after.position) / 2 END AS position
  FROM me,
       LATERAL (SELECT s.id, s.position FROM tasks s
                WHERE s.id = $3 AND s.id <> me.id AND s.user_id = $2 AND s.parent_id IS NOT DISTINCT FROM me.parent_id
                  AND (me.parent_id IS NOT NULL OR (s.project_id = me.project_id AND s.section_id IS NOT DISTINCT FROM me.section_id))) after,
       LATERAL (SELECT min(x.position) AS position FROM (
         (SELECT s.position FROM tasks s
          WHERE s.parent_id = me.parent_id AND s.id <> me.id AND (s.position, s.id) > (after.position, after.id)
          ORDER BY s.position, s.id LIMIT 1)
         UNION ALL
         (SELECT s.position FROM tasks s
          WHERE me.parent_id IS NULL AND s.project_id = me.project_id AND s.parent_id IS NULL
            AND s.section_id IS NOT DISTINCT FROM me.section_id AND s.id <> me.id AND (s.position, s.id) > (after.position, after.id)
          ORDER BY s.position, s.id LIMIT 1)) x) next
)
UPDATE tasks AS t SET position = place.position, updated_at = now(), version = t.version + 1
FROM me, place WHERE t.id = me.id AND place.position IS NOT NULL";

fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}
const USER_COLUMNS: &str = "u.id::text AS id, u.email, u.display_name, u.time_zone, u.week_start, rfc3339(u.created_at) AS created_at";

struct Problem(StatusCode, String);

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({"status": self.0.as_u16(), "detail": self.1}).to_string();
        (
            self.0,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

impl<E: std::fmt::Display> From<E> for Problem {
    fn from(error: E) -> Self {
        Problem(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }
}

fn unprocessable(detail: &str) -> Problem {
    Problem(StatusCode::UNPROCESSABLE_ENTITY, detail.into())
}

type Result<T> = std::result::Result<T, Problem>;

#[derive(Serialize)]
struct Task {
    id: i64,
    title: String,
    description: String,
    priority: &'static str,
    tags: Vec<String>,
    due_at: Option<String>,
    due_date: Option<String>,
    recurrence: Option<Value>,
    completed: bool,
    completed_at: Option<String>,
    created_at: String,
    updated_at: String,
    version: i32,
    project_id: i64,
    section_id: Option<i64>,
    parent_id: Option<i64>,
    position: i64,
    subtask_counts: Value,
}

impl Task {
    fn from_row(row: &tokio_postgres::Row) -> Result<Self> {
        let priority: i16 = row.try_get("priority")?;
        let instant = |column| {
            row.try_get::<_, Option<NaiveDateTime>>(column)
                .map(|at| at.map(rfc3339))
        };
        let completed_at = instant("completed_at")?;
        Ok(Self {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            priority: PRIORITIES
                .get(priority as usize)
                .ok_or_else(|| Problem::from("bad priority"))?,
            tags: row.try_get("tags")?,
            due_at: instant("due_at")?,
            due_date: row
                .try_get::<_, Option<NaiveDate>>("due_date")?
                .map(|date| date.format("%Y-%m-%d").to_string()),
            recurrence: row.try_get("recurrence")?,
            completed: completed_at.is_some(),
            completed_at,
            created_at: rfc3339(row.try_get("created_at")?),
            updated_at: rfc3339(row.try_get("updated_at")?),
            version: row.try_get("version")?,
            project_id: row.try_get("project_id")?,
            section_id: row.try_get("section_id")?,
            parent_id: row.try_get("parent_id")?,
            position: row.try_get("position")?,
            subtask_counts: match row.try_get::<_, Vec<i64>>("subtasks")?[..] {
                [total, completed] => json!({"total": total, "completed": completed}),
                _ => json!({"total": 0, "completed": 0}),
            },
        })
    }
}

fn project(row: &tokio_postgres::Row) -> Result<Value> {
    let archived_at = row
        .try_get::<_, Option<NaiveDateTime>>("archived_at")?
        .map(rfc3339);
    Ok(json!({
        "id": row.try_get::<_, i64>("id")?,
        "name": row.try_get::<_, String>("name")?,
        "color": row.try_get::<_, String>("color")?,
        "inbox": row.try_get::<_, bool>("inbox")?,
        "position": row.try_get::<_, i64>("position")?,
        "archived": archived_at.is_some(),
        "archived_at": archived_at,
        "open_tasks": row.try_get::<_, i64>("open_tasks")?,
        "tasks": row.try_get::<_, i64>("tasks")?,
        "created_at": rfc3339(row.try_get("created_at")?),
        "updated_at": rfc3339(row.try_get("updated_at")?),
        "version": row.try_get::<_, i32>("version")?,
    }))
}

fn section(row: &tokio_postgres::Row) -> Result<Value> {
    Ok(json!({
        "id": row.try_get::<_, i64>("id")?,
        "project_id": row.try_get::<_, i64>("project_id")?,
        "name": row.try_get::<_, String>("name")?,
        "position": row.try_get::<_, i64>("position")?,
        "created_at": rfc3339(row.try_get("created_at")?),
        "updated_at": rfc3339(row.try_get("updated_at")?),
        "version": row.try_get::<_, i32>("version")?,
    }))
}

fn unauthorized() -> Problem {
    Problem(
        StatusCode::UNAUTHORIZED,
        "Sign in, or send a personal access token.".into(),
    )
}

/// The user id behind the bearer token, on a connection from the pool.
async fn authenticate(db: &deadpool_postgres::Client, headers: &HeaderMap) -> Result<uuid::Uuid> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with("tsp_"))
        .ok_or_else(unauthorized)?;
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let statement = db
        .prepare_cached(&format!(
            "SELECT t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 hour') AS stale,
                    {USER_COLUMNS}
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1"
        ))
        .await?;
    let row = db
        .query_opt(&statement, &[&hash])
        .await?
        .ok_or_else(unauthorized)?;
    if row.try_get::<_, bool>("stale")? {
        let id: i64 = row.try_get("token_id")?;
        db.execute(
            "UPDATE api_tokens SET last_used_at = now() WHERE id = $1",
            &[&id],
        )
        .await?;
    }
    let id: String = row.try_get("id")?;
    Ok(id.parse()?)
}

async fn health() -> Json<Value> {
    Json(json!({"status": "healthy", "timestamp": Utc::now().to_rfc3339()}))
}

async fn floor(State(pool): State<Pool>) -> Result<Json<Value>> {
    let db = pool.get().await?;
    let row = db.query_one("SELECT 1 AS one", &[]).await?;
    Ok(Json(json!({"one": row.try_get::<_, i32>("one")?})))
}

async fn list(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    let mut conditions = vec!["t.user_id = $1".to_owned()];
    match query.get("status").map_or("pending", String::as_str) {
        "pending" => conditions.push("t.completed_at IS NULL".into()),
        "completed" => conditions.push("t.completed_at IS NOT NULL".into()),
        "all" => {}
        _ => return Err(unprocessable("status must be pending, completed or all")),
    }
    let q = query
        .get("q")
        .map(|q| q.trim().to_owned())
        .unwrap_or_default();
    if q.chars().count() > 200 {
        return Err(unprocessable("q must be at most 200 characters"));
    }
    let limit: i64 = match query.get("limit") {
        None => 50,
        Some(value) => value
            .parse()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| unprocessable("limit must be 1 to 200"))?,
    };
    let fetch = limit + 1;
    let project: Option<i64> = match query.get("project") {
        None => None,
        Some(id) => Some(
            id.parse()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| unprocessable("project must be a project id"))?,
        ),
    };
    let manual = match query.get("sort").map(String::as_str) {
        None => false,
        Some("manual") => true,
        Some(_) => return Err(unprocessable("sort must be manual")),
    };
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&user];
    if !q.is_empty() {
        params.push(&q);
        conditions.push(format!(
            "t.search @@ websearch_to_tsquery('simple', ${})",
            params.len()
        ));
    }
    match &project {
        Some(project) => {
            params.push(project);
            conditions.push(format!("t.project_id = ${}", params.len()));
        }
        None => conditions.push(
            "t.project_id NOT IN (SELECT p.id FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NOT NULL)"
                .into(),
        ),
    }
    params.push(&fetch);
    let sql = if manual {
        format!(
            "SELECT {TASK_COLUMNS}, t.position::text AS sort_key
             FROM tasks t WHERE {} ORDER BY t.position ASC, t.id ASC LIMIT ${}",
            conditions.join(" AND "),
            params.len()
        )
    } else {
        format!(
            "SELECT {TASK_COLUMNS}, CASE WHEN isfinite(t.due_key) THEN t.due_key AT TIME ZONE 'UTC' END AS sort_key
             FROM tasks t WHERE {} ORDER BY t.due_key ASC, t.id ASC LIMIT ${}",
            conditions.join(" AND "),
            params.len()
        )
    };
    let statement = db.prepare_cached(&sql).await?;
    let rows = db.query(&statement, &params).await?;
    let mut tasks = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        tasks.push(Task::from_row(row)?);
    }
    let next_cursor = match (rows.len() > limit as usize, rows.get(limit as usize - 1)) {
        (true, Some(last)) if manual => {
            let cursor = json!({"sort": "manual", "descending": false,
                "key": last.try_get::<_, Option<String>>("sort_key")?, "id": last.try_get::<_, i64>("id")?});
            Some(URL_SAFE_NO_PAD.encode(cursor.to_string()))
        }
        (true, Some(last)) => {
            let cursor = json!({"sort": "due", "descending": false,
                "key": last.try_get::<_, Option<NaiveDateTime>>("sort_key")?
                    .map(|at| at.and_utc().timestamp_micros().to_string()), "id": last.try_get::<_, i64>("id")?});
            Some(URL_SAFE_NO_PAD.encode(cursor.to_string()))
        }
        _ => None,
    };
    Ok(Json(json!({"tasks": tasks, "next_cursor": next_cursor})))
}

struct Values {
    title: String,
    description: String,
    priority: i16,
    tags: Vec<String>,
    due_at: Option<String>,
    due_date: Option<NaiveDate>,
}

fn title(raw: &str) -> Result<String> {
    let title = raw.trim();
    if title.is_empty() || title.chars().count() > 500 {
        return Err(unprocessable("title must be 1 to 500 characters"));
    }
    Ok(title.to_owned())
}

async fn insert(
    db: &deadpool_postgres::Client,
    user: uuid::Uuid,
    values: Values,
) -> Result<Response> {
    let statement = db
        .prepare_cached(&format!(
            "INSERT INTO tasks AS t (user_id, title, description, priority, tags, due_at, due_date, recurrence)
             VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz, $7, $8) RETURNING {TASK_COLUMNS}"
        ))
        .await?;
    let recurrence: Option<Value> = None;
    let row = db
        .query_one(
            &statement,
            &[
                &user,
                &values.title,
                &values.description,
                &values.priority,
                &values.tags,
                &values.due_at,
                &values.due_date,
                &recurrence,
            ],
        )
        .await?;
    let task = Task::from_row(&row)?;
    let headers = [
        (header::ETAG, format!("\"{}\"", task.version)),
        (header::LOCATION, format!("/api/tasks/{}", task.id)),
    ];
    Ok((StatusCode::CREATED, headers, Json(task)).into_response())
}

#[derive(Deserialize)]
struct NewTask {
    title: String,
    #[serde(default)]
    description: String,
    priority: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    due_at: Option<String>,
    due_date: Option<String>,
}

async fn create(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Json(body): Json<NewTask>,
) -> Result<Response> {
    let db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    let priority =
        match body.priority.as_deref() {
            None => 0,
            Some(name) => PRIORITIES.iter().position(|p| *p == name).ok_or_else(|| {
                unprocessable("priority must be none, low, medium, high or urgent")
            })? as i16,
        };
    let due_date = body
        .due_date
        .as_deref()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| unprocessable("due_date must be a date like 2026-12-01"))?;
    let values = Values {
        title: title(&body.title)?,
        description: body.description,
        priority,
        tags: body.tags.iter().map(|t| t.trim().to_lowercase()).collect(),
        due_at: body.due_at,
        due_date,
    };
    insert(&db, user, values).await
}

#[derive(Deserialize)]
struct QuickText {
    text: String,
}

/// Quick add, trivially: `!priority`, `#tag`, `tomorrow`, `Npm`; the rest is the title.
async fn quick(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Json(body): Json<QuickText>,
) -> Result<Response> {
    let db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    if body.text.trim().is_empty() || body.text.chars().count() > 1000 {
        return Err(unprocessable("text must be 1 to 1000 characters"));
    }
    let (mut priority, mut days, mut hour) = (0, None, None);
    let (mut tags, mut words) = (Vec::new(), Vec::new());
    for word in body.text.split_whitespace() {
        let lower = word.to_lowercase();
        let clock = lower
            .strip_suffix("pm")
            .map(|h| (h, 12))
            .or_else(|| lower.strip_suffix("am").map(|h| (h, 0)))
            .and_then(|(h, plus)| {
                h.parse::<u32>()
                    .ok()
                    .filter(|h| *h <= 12)
                    .map(|h| h % 12 + plus)
            });
        if let Some(p) = lower
            .strip_prefix('!')
            .and_then(|p| PRIORITIES.iter().position(|x| *x == p))
        {
            priority = p as i16;
        } else if let Some(tag) = lower.strip_prefix('#').filter(|t| !t.is_empty()) {
            tags.push(tag.to_owned());
        } else if lower == "tomorrow" {
            days = Some(1);
        } else if lower == "today" {
            days = Some(0);
        } else if clock.is_some() {
            hour = clock;
        } else {
            words.push(word);
        }
    }
    let (mut due_at, mut due_date) = (None, None);
    if let Some(days) = days {
        let day = Utc::now() + Duration::days(days);
        match hour.and_then(|h| day.with_hour(h)) {
            Some(at) => {
                due_at = Some(
                    at.with_minute(0)
                        .and_then(|a| a.with_second(0))
                        .unwrap_or(at)
                        .to_rfc3339(),
                )
            }
            None => due_date = Some(day.date_naive()),
        }
    }
    let values = Values {
        title: title(&words.join(" "))?,
        description: String::new(),
        priority,
        tags,
        due_at,
        due_date,
    };
    insert(&db, user, values).await
}

async fn projects(State(pool): State<Pool>, headers: HeaderMap) -> Result<Json<Value>> {
    let db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    let statement = db
        .prepare_cached(&format!(
            "SELECT {PROJECT_COLUMNS} FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NULL
             ORDER BY p.inbox DESC, p.position, p.id"
        ))
        .await?;
    let rows = db.query(&statement, &[&user]).await?;
    let projects = rows.iter().map(project).collect::<Result<Vec<_>>>()?;
    Ok(Json(json!({ "projects": projects })))
}

fn not_found(what: &str) -> Problem {
    Problem(StatusCode::NOT_FOUND, format!("No such {what}."))
}

async fn sections(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>> {
    let db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    let statement = db
        .prepare_cached(&format!(
            "SELECT {SECTION_COLUMNS} FROM projects p LEFT JOIN sections s ON s.project_id = p.id
             WHERE p.id = $1 AND p.user_id = $2 ORDER BY s.position, s.id"
        ))
        .await?;
    let rows = db.query(&statement, &[&id, &user]).await?;
    if rows.is_empty() {
        return Err(not_found("project"));
    }
    let sections = rows
        .iter()
        .filter(|row| row.try_get::<_, Option<i64>>("id").ok().flatten().is_some())
        .map(section)
        .collect::<Result<Vec<_>>>()?;
    Ok(Json(json!({ "sections": sections })))
}

#[derive(Deserialize)]
struct Move {
    after: i64,
}

/// A move among its siblings, as crates/tasks/src/tree.rs and
/// crates/db/src/position.rs do it for a top-level task given `after`.
async fn move_task(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<Move>,
) -> Result<Response> {
    let mut db = pool.get().await?;
    let user = authenticate(&db, &headers).await?;
    let reorder = db
        .prepare_cached(&format!("{REORDER} RETURNING {TASK_COLUMNS}"))
        .await?;
    if let Some(row) = db.query_opt(&reorder, &[&id, &user, &body.after]).await? {
        let task = Task::from_row(&row)?;
        return Ok((
            [(header::ETAG, format!("\"{}\"", task.version))],
            Json(task),
        )
            .into_response());
    }
    let transaction = db.transaction().await?;
    let lock = transaction
        .prepare_cached(
            "SELECT project_id, section_id, parent_id, version FROM tasks
             WHERE id = $1 AND user_id = $2 FOR UPDATE",
        )
        .await?;
    let current = transaction
        .query_opt(&lock, &[&id, &user])
        .await?
        .ok_or_else(|| not_found("task"))?;
    let (project, section, parent): (i64, Option<i64>, Option<i64>) = (
        current.try_get("project_id")?,
        current.try_get("section_id")?,
        current.try_get("parent_id")?,
    );
    if parent.is_some() {
        return Err(unprocessable("this peer moves top-level tasks only"));
    }
    let neighbours = transaction
        .prepare_cached(&format!(
            "SELECT a.position AS n,
                    (SELECT s.position FROM tasks s WHERE {SIBLINGS} AND s.id <> $3 AND (s.position, s.id) > (a.position, a.id)
                     ORDER BY s.position, s.id LIMIT 1) AS next
             FROM tasks a WHERE a.id = $4 AND a.id IN (SELECT s.id FROM tasks s WHERE {SIBLINGS} AND s.id <> $3)"
        ))
        .await?;
    let mut respaced = false;
    let position = loop {
        let row = transaction
            .query_opt(&neighbours, &[&project, &section, &id, &body.after])
            .await?
            .ok_or_else(|| unprocessable("after is not a task in the list the task moves to"))?;
        let before: i64 = row.try_get("n")?;
        match row.try_get::<_, Option<i64>>("next")? {
            None => {
                let fresh = transaction
                    .query_one(&format!("SELECT nextval('positions') * {GAP} AS n"), &[])
                    .await?;
                break fresh.try_get::<_, i64>("n")?;
            }
            Some(next) if next - before >= 2 || respaced => break before + (next - before) / 2,
            Some(_) => {
                transaction
                    .execute(
                        &format!(
                            "UPDATE tasks r SET position = spaced.position
                             FROM (SELECT id, nextval('positions') * {GAP} AS position
                                   FROM (SELECT s.id FROM tasks s WHERE {SIBLINGS} AND s.id <> $3 ORDER BY s.position, s.id) ordered) spaced
                             WHERE r.id = spaced.id"
                        ),
                        &[&project, &section, &id],
                    )
                    .await?;
                respaced = true;
            }
        }
    };
    let update = transaction
        .prepare_cached(&format!(
            "UPDATE tasks AS t SET project_id = $3, section_id = $4, parent_id = $5, position = $6,
                    updated_at = now(), version = t.version + 1
             WHERE t.id = $1 AND t.user_id = $2 RETURNING {TASK_COLUMNS}"
        ))
        .await?;
    let row = transaction
        .query_one(
            &update,
            &[&id, &user, &project, &section, &parent, &position],
        )
        .await?;
    transaction.commit().await?;
    let task = Task::from_row(&row)?;
    Ok((
        [(header::ETAG, format!("\"{}\"", task.version))],
        Json(task),
    )
        .into_response())
}

#[tokio::main]
async fn main() {
    let env = |name: &str| std::env::var(name).ok();
    let mut config = Config::new();
    config.host = Some(env("PGHOST").unwrap_or_else(|| "127.0.0.1".into()));
    config.port = env("PGPORT").and_then(|p| p.parse().ok());
    config.dbname = env("PGDATABASE");
    config.user = Some(env("PGUSER").unwrap_or_else(|| "postgres".into()));
    config.password = env("PGPASSWORD");
    config.pool = Some(deadpool_postgres::PoolConfig::new(
        env("PEER_POOL").and_then(|p| p.parse().ok()).unwrap_or(64),
    ));
    let pool = config
        .create_pool(Some(Runtime::Tokio1), NoTls)
        .expect("a pool");
    let app = Router::new()
        .route("/health", get(health))
        .route("/floor", get(floor))
        .route("/api/tasks", get(list).post(create))
        .route("/api/tasks/quick", post(quick))
        .route("/api/tasks/{id}/move", post(move_task))
        .route("/api/projects", get(projects))
        .route("/api/projects/{id}/sections", get(sections))
        .with_state(pool);
    let port = env("PORT").unwrap_or_else(|| "3200".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("bind");
    eprintln!("Serving http://{}", listener.local_addr().expect("address"));
    axum::serve(listener, app).await.expect("serve");
}
