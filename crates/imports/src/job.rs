//! The import job: a worker (Spin's cron trigger under `spin up`, a
//! Kubernetes CronJob in production) takes the oldest confirmed import,
//! reads its file again as of the moment it was previewed, and creates
//! what it holds in one transaction that also marks it done. Progress goes
//! out on a second connection, so the web app sees it while the transaction
//! is open. A worker that goes away leaves the import `running` with an
//! old heartbeat, and the next worker takes it over.

use std::collections::HashMap;

use chrono::{NaiveDateTime, SecondsFormat, Utc, Weekday};
use serde::Serialize;
use taskspin_db::{Db, ParameterValue};
use taskspin_domain::project::Color;
use taskspin_domain::recurrence::Recurrence;
use taskspin_domain::task::Due;
use taskspin_domain::zone::Zone;

use crate::formats::Context;
use crate::plan::Plan;
use crate::read::{self, Format};
use crate::store::{JobProblem, Outcome};

/// Tasks per statement (and per progress report).
pub const BATCH: usize = 1000;
/// A running import whose heartbeat is older than this is taken over.
pub const STALE_AFTER: &str = "5 minutes";
/// Imports one worker run takes on at most, so that a CronJob's pod ends.
pub const RUNS_PER_PASS: usize = 20;

struct Claimed {
    id: String,
    user_id: String,
    format: Format,
    source: Vec<u8>,
    /// The file's name and its owner's calendar, as of the preview.
    context: Context,
}

/// [`run_waiting`] on two connections of the component's own database.
pub fn run_now() -> taskspin_db::Result<usize> {
    let db = Db::connect()?;
    let progress = Db::connect()?;
    run_waiting(&db, &progress)
}

/// Runs waiting imports until none is left (or [`RUNS_PER_PASS`]); the
/// number run. Previews never confirmed are dropped after a day.
pub fn run_waiting(db: &Db, progress: &Db) -> taskspin_db::Result<usize> {
    db.execute(
        "DELETE FROM imports WHERE status = 'previewed' AND created_at < now() - interval '1 day'",
        &[],
    )?;
    let mut runs = 0;
    while runs < RUNS_PER_PASS {
        let Some(claimed) = claim(db)? else { break };
        runs += 1;
        run(db, progress, claimed)?;
    }
    Ok(runs)
}

fn claim(db: &Db) -> taskspin_db::Result<Option<Claimed>> {
    let rows = db.query(
        &format!(
            "UPDATE imports i SET status = 'running', updated_at = now()
             FROM users u
             WHERE i.id = (SELECT id FROM imports
                           WHERE status = 'queued'
                              OR (status = 'running' AND updated_at < now() - interval '{STALE_AFTER}')
                           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
               AND u.id = i.user_id
             RETURNING i.id::text AS id, i.user_id::text AS user_id, i.format, i.file_name, i.source,
                       i.read_at AT TIME ZONE 'UTC' AS read_at, u.time_zone, u.week_start"
        ),
        &[],
    )?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let format: String = row.get("format")?;
    let week_start: i16 = row.get("week_start")?;
    Ok(Some(Claimed {
        id: row.get("id")?,
        user_id: row.get("user_id")?,
        format: Format::parse(&format).ok_or_else(|| taskspin_db::Error::Decode {
            column: "format".into(),
            message: format!("unknown format {format}"),
        })?,
        source: row.get("source")?,
        context: Context {
            now: row.get::<NaiveDateTime>("read_at")?.and_utc(),
            zone: Zone::named(&row.get::<String>("time_zone")?).unwrap_or(Zone::UTC),
            week_start: taskspin_domain::account::week_start(week_start).unwrap_or(Weekday::Mon),
            file_name: row.get("file_name")?,
        },
    }))
}

/// Runs one import; a failure of the import itself is recorded on it,
/// a database that went away is the caller's error (the import is taken
/// over later).
fn run(db: &Db, progress: &Db, claimed: Claimed) -> taskspin_db::Result<()> {
    let plan = match read::read(&claimed.source, Some(claimed.format), &claimed.context) {
        Ok((_, plan)) => plan,
        Err(unreadable) => {
            return fail(
                db,
                &claimed.id,
                JobProblem {
                    title: "The file could not be read".into(),
                    detail: unreadable.message,
                    line: unreadable.line,
                    component: unreadable.component,
                },
            );
        }
    };
    let applied = db.transaction(|db| {
        let outcome = apply(db, progress, &claimed, &plan)?;
        let result = serde_json::to_vec(&outcome).unwrap_or_default();
        db.execute(
            "UPDATE imports SET status = 'done', processed = total, result = $2, source = NULL, updated_at = now()
             WHERE id = $1",
            &[ParameterValue::Uuid(claimed.id.clone()), ParameterValue::Jsonb(result)],
        )?;
        Ok::<_, taskspin_db::Error>(outcome)
    });
    match applied {
        Ok(outcome) => {
            tracing::info!(
                import = claimed.id,
                tasks = outcome.created.tasks,
                "import done"
            );
            Ok(())
        }
        Err(taskspin_db::Error::Unavailable(message)) => {
            Err(taskspin_db::Error::Unavailable(message))
        }
        Err(error) => {
            tracing::error!(import = claimed.id, error = %error, "import failed");
            fail(db, &claimed.id, JobProblem {
                title: "The import could not be applied".into(),
                detail: "Nothing was imported: the database refused part of it. Try again, or report this file.".into(),
                line: None,
                component: None,
            })
        }
    }
}

fn fail(db: &Db, id: &str, problem: JobProblem) -> taskspin_db::Result<()> {
    db.execute(
        "UPDATE imports SET status = 'failed', problem = $2, source = NULL, updated_at = now() WHERE id = $1",
        &[
            ParameterValue::Uuid(id.to_owned()),
            ParameterValue::Jsonb(serde_json::to_vec(&problem).unwrap_or_default()),
        ],
    )?;
    Ok(())
}

fn instant(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[derive(Serialize)]
struct ProjectRecord<'a> {
    ord: usize,
    source_id: &'a str,
    local_id: Option<i64>,
    name: &'a str,
    color: &'static str,
    archived: bool,
}

#[derive(Serialize)]
struct SectionRecord<'a> {
    ord: usize,
    project: &'a str,
    project_local: Option<i64>,
    source_id: &'a str,
    local_id: Option<i64>,
    name: &'a str,
}

#[derive(Serialize)]
struct TaskRecord<'a> {
    ord: usize,
    source_id: &'a str,
    local_id: Option<i64>,
    project: Option<&'a str>,
    project_local: Option<i64>,
    section: Option<&'a str>,
    section_local: Option<i64>,
    parent: Option<&'a str>,
    parent_local: Option<i64>,
    title: &'a str,
    description: &'a str,
    priority: i16,
    tags: &'a [String],
    due_at: Option<String>,
    due_date: Option<String>,
    recurrence: Option<&'a Recurrence>,
    completed_at: Option<String>,
    created_at: Option<String>,
}

fn records<T: Serialize>(rows: &[T]) -> ParameterValue {
    ParameterValue::Jsonb(serde_json::to_vec(rows).unwrap_or_default())
}

fn apply(db: &Db, progress: &Db, claimed: &Claimed, plan: &Plan) -> taskspin_db::Result<Outcome> {
    let user = ParameterValue::Uuid(claimed.user_id.clone());
    // Rows found by their id only in the account the export came from.
    let own = plan.exported_by.as_deref() == Some(claimed.user_id.as_str());
    let local = |id: Option<i64>| id.filter(|_| own);
    let mut outcome = Outcome::default();

    let projects: Vec<ProjectRecord<'_>> = plan
        .projects
        .iter()
        .enumerate()
        .map(|(ord, p)| ProjectRecord {
            ord,
            source_id: &p.source_id,
            local_id: local(p.local_id),
            name: &p.name,
            color: p
                .color
                .as_deref()
                .and_then(Color::parse)
                .unwrap_or_default()
                .as_str(),
            archived: p.archived,
        })
        .collect();
    let created = db.execute(
        "INSERT INTO projects (user_id, name, color, archived_at, source_id)
         SELECT $1, r.name, r.color, CASE WHEN r.archived THEN now() END, r.source_id
         FROM jsonb_to_recordset($2::jsonb) AS r(ord int, source_id text, local_id bigint, name text, color text, archived boolean)
         WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.user_id = $1 AND p.id = r.local_id)
         ORDER BY r.ord
         ON CONFLICT (user_id, source_id) WHERE source_id IS NOT NULL DO NOTHING",
        &[user.clone(), records(&projects)],
    )?;
    outcome.created.projects = created;
    outcome.already_there.projects = projects.len() as u64 - created;

    let project_local: HashMap<&str, Option<i64>> = plan
        .projects
        .iter()
        .map(|p| (p.source_id.as_str(), local(p.local_id)))
        .collect();
    let sections: Vec<SectionRecord<'_>> = plan
        .projects
        .iter()
        .flat_map(|p| p.sections.iter().map(move |s| (p, s)))
        .enumerate()
        .map(|(ord, (p, s))| SectionRecord {
            ord,
            project: &p.source_id,
            project_local: local(p.local_id),
            source_id: &s.source_id,
            local_id: local(s.local_id),
            name: &s.name,
        })
        .collect();
    let created = db.execute(
        "INSERT INTO sections (project_id, name, source_id)
         SELECT x.project_id, x.name, x.source_id
         FROM (SELECT r.*, COALESCE(
                   (SELECT id FROM projects WHERE user_id = $1 AND id = r.project_local),
                   (SELECT id FROM projects WHERE user_id = $1 AND source_id = r.project)) AS project_id
               FROM jsonb_to_recordset($2::jsonb)
                    AS r(ord int, project text, project_local bigint, source_id text, local_id bigint, name text)) x
         WHERE x.project_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM sections s WHERE s.project_id = x.project_id AND s.id = x.local_id)
         ORDER BY x.ord
         ON CONFLICT (project_id, source_id) WHERE source_id IS NOT NULL DO NOTHING",
        &[user.clone(), records(&sections)],
    )?;
    outcome.created.sections = created;
    outcome.already_there.sections = sections.len() as u64 - created;

    let section_local: HashMap<&str, Option<i64>> = plan
        .projects
        .iter()
        .flat_map(|p| p.sections.iter())
        .map(|s| (s.source_id.as_str(), local(s.local_id)))
        .collect();
    let task_local: HashMap<&str, Option<i64>> = plan
        .tasks
        .iter()
        .map(|t| (t.source_id.as_str(), local(t.local_id)))
        .collect();
    // A statement does not see its own rows: each batch holds tasks of one
    // depth, so every parent is in an earlier one.
    let mut depth: HashMap<&str, usize> = HashMap::new();
    let mut batches: Vec<Vec<TaskRecord<'_>>> = Vec::new();
    let mut batch_depth = usize::MAX;
    for (ord, task) in plan.tasks.iter().enumerate() {
        let level = task
            .parent
            .as_deref()
            .and_then(|p| depth.get(p))
            .map_or(0, |d| d + 1);
        depth.insert(&task.source_id, level);
        if level != batch_depth || batches.last().is_none_or(|b| b.len() >= BATCH) {
            batches.push(Vec::new());
            batch_depth = level;
        }
        let (due_at, due_date) = match task.due {
            Some(Due::At(at)) => (Some(instant(at)), None),
            Some(Due::On(date)) => (None, Some(date.format("%Y-%m-%d").to_string())),
            None => (None, None),
        };
        batches
            .last_mut()
            .expect("a batch was pushed")
            .push(TaskRecord {
                ord,
                source_id: &task.source_id,
                local_id: local(task.local_id),
                project: task.project.as_deref(),
                project_local: task
                    .project
                    .as_deref()
                    .and_then(|p| project_local.get(p).copied().flatten()),
                section: task.section.as_deref(),
                section_local: task
                    .section
                    .as_deref()
                    .and_then(|s| section_local.get(s).copied().flatten()),
                parent: task.parent.as_deref(),
                parent_local: task
                    .parent
                    .as_deref()
                    .and_then(|p| task_local.get(p).copied().flatten()),
                title: &task.title,
                description: &task.description,
                priority: task.priority.as_i16(),
                tags: &task.tags,
                due_at,
                due_date,
                recurrence: task.recurrence.as_ref(),
                completed_at: task.completed_at.map(instant),
                created_at: task.created_at.map(instant),
            });
    }
    let mut processed = 0;
    for batch in &batches {
        let created = db.execute(
            "WITH r AS (
                 SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
                     ord int, source_id text, local_id bigint, project text, project_local bigint,
                     section text, section_local bigint, parent text, parent_local bigint,
                     title text, description text, priority smallint, tags text[],
                     due_at timestamptz, due_date date, recurrence jsonb,
                     completed_at timestamptz, created_at timestamptz)
             ), linked AS (
                 SELECT r.*, COALESCE(
                     (SELECT id FROM tasks WHERE user_id = $1 AND id = r.parent_local),
                     (SELECT id FROM tasks WHERE user_id = $1 AND source_id = r.parent)) AS parent_id
                 FROM r
             ), placed AS (
                 SELECT l.*, p.project_id AS parent_project, p.section_id AS parent_section,
                     COALESCE(p.project_id,
                         (SELECT id FROM projects WHERE user_id = $1 AND id = l.project_local),
                         (SELECT id FROM projects WHERE user_id = $1 AND source_id = l.project),
                         (SELECT id FROM projects WHERE user_id = $1 AND inbox)) AS project_id
                 FROM linked l LEFT JOIN tasks p ON p.id = l.parent_id
             )
             INSERT INTO tasks (user_id, project_id, section_id, parent_id, title, description, priority,
                                tags, due_at, due_date, recurrence, completed_at, created_at, source_id)
             SELECT $1, x.project_id,
                 CASE WHEN x.parent_id IS NOT NULL THEN x.parent_section
                      ELSE COALESCE(
                          (SELECT id FROM sections WHERE project_id = x.project_id AND id = x.section_local),
                          (SELECT id FROM sections WHERE project_id = x.project_id AND source_id = x.section))
                 END,
                 x.parent_id, x.title, x.description, x.priority, x.tags, x.due_at, x.due_date,
                 x.recurrence, x.completed_at, COALESCE(x.created_at, now()), x.source_id
             FROM placed x
             WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.user_id = $1 AND t.id = x.local_id)
             ORDER BY x.ord
             ON CONFLICT (user_id, source_id) WHERE source_id IS NOT NULL DO NOTHING",
            &[user.clone(), records(batch)],
        )?;
        outcome.created.tasks += created;
        outcome.already_there.tasks += batch.len() as u64 - created;
        processed += batch.len();
        progress.execute(
            "UPDATE imports SET processed = $2, updated_at = now() WHERE id = $1",
            &[
                ParameterValue::Uuid(claimed.id.clone()),
                ParameterValue::Int32(i32::try_from(processed).unwrap_or(i32::MAX)),
            ],
        )?;
    }
    Ok(outcome)
}
