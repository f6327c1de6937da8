//! The autonomous agents. One pass, run on a schedule, that only ever
//! suggests: a change happens when the task's owner accepts it.
//!
//! - **Overdue monitor** (`overdue_monitor`): a pending task past its due gets
//!   a suggestion on the next pass: move it to tomorrow (`overdue_reschedule`),
//!   mark this occurrence done when it repeats (`overdue_complete`), or drop a
//!   due date that passed more than 30 days ago (`overdue_clear_due`). Several
//!   overdue tasks of one user in one pass become one `overdue_digest`. A task
//!   due within the next hour gets one reminder (`due_soon`).
//! - **Prioritization** (`prioritization`): a low or medium task due within 48
//!   hours is proposed high priority (`raise_priority`); a task untouched for
//!   14 days is proposed for tomorrow (`revive_stale`); when 3 or more high or
//!   urgent tasks are due within the same two days, the least urgent of them
//!   is proposed for the day after (`spread_overload`).
//!
//! No spam, by construction: a pass holds a transaction-level advisory lock,
//! so concurrent passes (two replicas, overlapping ticks) run one after the
//! other; within it, at most 10 suggestions are created per user per rolling
//! hour, the most urgent first ([`taskspin_domain::urgency`]); a (task,
//! version, family) that was suggested once is never suggested again unless
//! that suggestion expired, so a dismissed suggestion only comes back after a
//! real change to the task; agents a user switched off and the user's quiet
//! hours create nothing; suggestions whose tasks were completed, deleted or
//! changed, or that are 7 days old, expire. Everything is set-based SQL: a
//! pass costs in proportion to its candidate tasks, not to its users.
//!
//! When a model is configured (`llm_provider = "openai"`), it phrases the new
//! suggestions' one-line rationale after the pass ([`rationale`]); without
//! one, or when it fails, the message is the deterministic one.

use serde::Serialize;
use taskspin_db::{Db, ParameterValue};

pub mod preferences;
pub mod rationale;
pub mod suggestions;

pub const RATE_LIMIT_PER_HOUR: i64 = 10;
pub const DUE_SOON_MINUTES: i32 = 60;
pub const RAISE_WITHIN_HOURS: i32 = 48;
pub const STALE_DAYS: i32 = 14;
pub const CLEAR_DUE_AFTER_DAYS: i32 = 30;

/// Serialises passes (the ASCII bytes of "agents").
const LOCK_KEY: i64 = 0x6167_656e_7473;

/// What one pass did, for its log line.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct RunReport {
    pub run_id: String,
    /// Users with at least one candidate task.
    pub users_scanned: i64,
    /// Tasks that met an agent's rule.
    pub candidates: i64,
    pub created: i64,
    /// Suggestions left out because the user had 10 in the past hour.
    pub suppressed_by_rate_limit: i64,
    /// Suggestions left out because the agent is off or it is quiet time.
    pub suppressed_by_preference: i64,
    /// Candidate tasks already suggested at their current version.
    pub suppressed_by_dedup: i64,
    pub expired: i64,
    /// Push notifications queued (when push is configured), and the
    /// deliveries to browsers they make.
    pub pushes_queued: i64,
    pub push_deliveries_queued: i64,
    pub pushes_suppressed_by_rate_limit: i64,
    /// Every suggestion created, for the audit log.
    #[serde(skip)]
    pub created_suggestions: Vec<CreatedSuggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CreatedSuggestion {
    pub id: i64,
    pub user_id: String,
    pub kind: String,
}

/// Expires, and unlinks from their tasks: an expired suggestion no longer
/// stands in the way of suggesting its tasks again. A suggestion whose task
/// changed or went away was already ended (its `expires_at` set to the
/// moment) by a trigger on `tasks` (migration 0005), so time alone decides.
const EXPIRE: &str = "
WITH expired AS (
    UPDATE suggestions s SET status = 'expired', resolved_at = now()
    WHERE s.status = 'pending' AND s.expires_at <= now()
    RETURNING s.id
),
unlinked AS (
    DELETE FROM suggestion_tasks st USING expired e WHERE st.suggestion_id = e.id RETURNING 1
)
SELECT (SELECT count(*) FROM expired) AS expired, (SELECT count(*) FROM unlinked) AS unlinked";

fn create_statement() -> String {
    let urgency = taskspin_domain::urgency::sql();
    let quiet = taskspin_domain::quiet::sql("pref", "w.local_minute");
    let recent = taskspin_push::queue::sent_in_the_last_hour("ranked");
    format!(
        "
-- The light part first: which rule each task meets. Scoring and wording come
-- after dedup, so a pass that finds nothing new costs little more than this.
WITH dated AS MATERIALIZED (
    SELECT t.id, t.user_id, t.version, t.priority, t.updated_at, t.due_at, t.due_date, t.due_key, t.project_id
    FROM tasks t
    WHERE t.completed_at IS NULL
      AND (t.due_key < now() + make_interval(hours => $2) OR t.updated_at < now() - make_interval(days => $3))
    UNION ALL
    -- A parent's due is the deadline of its undated subtasks (those the
    -- branch above does not already hold as stale).
    SELECT c.id, c.user_id, c.version, c.priority, c.updated_at, p.due_at, p.due_date, p.due_key, c.project_id
    FROM tasks p JOIN tasks c ON c.parent_id = p.id
    WHERE p.completed_at IS NULL AND p.due_key < now() + make_interval(hours => $2)
      AND c.completed_at IS NULL AND c.due_at IS NULL AND c.due_date IS NULL
      AND c.updated_at >= now() - make_interval(days => $3)
),
per_task AS MATERIALIZED (
    SELECT t.id, t.user_id, t.version, NULL::date AS proposed,
           CASE
             WHEN t.due_at < now() OR t.due_date < (now() AT TIME ZONE u.time_zone)::date THEN 'overdue'
             WHEN t.due_at >= now() AND t.due_at < now() + make_interval(mins => $1) THEN 'due_soon'
             WHEN t.priority IN (1, 2) AND t.due_key >= now() AND t.due_key < now() + make_interval(hours => $2)
               THEN 'raise_priority'
             WHEN t.updated_at < now() - make_interval(days => $3) AND t.due_key >= now() THEN 'revive_stale'
           END AS family
    FROM dated t JOIN users u ON u.id = t.user_id
    -- Archived projects are put away: nothing in them is suggested.
    WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id AND p.archived_at IS NOT NULL)
),
-- Overload: high and urgent tasks in the coming two weeks, by local due day.
busy AS MATERIALIZED (
    SELECT t.id, t.user_id, t.version, {urgency} AS urgency,
           COALESCE((t.due_at AT TIME ZONE u.time_zone)::date, t.due_date) AS day
    FROM tasks t JOIN users u ON u.id = t.user_id
    WHERE t.completed_at IS NULL AND t.priority >= 3
      AND t.due_key >= now() AND t.due_key < now() + interval '14 days'
      AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id AND p.archived_at IS NOT NULL)
),
-- Two consecutive days holding 3 or more of them are overloaded...
overloaded AS (
    SELECT starts.user_id, starts.day AS first_day
    FROM (SELECT DISTINCT user_id, day FROM busy) starts
    JOIN busy b ON b.user_id = starts.user_id AND b.day BETWEEN starts.day AND starts.day + 1
    GROUP BY starts.user_id, starts.day
    HAVING count(*) >= 3
),
-- ...and the least urgent task of each such window is proposed for the day after it.
spread AS (
    SELECT DISTINCT ON (least_urgent.id)
           least_urgent.id, least_urgent.user_id, least_urgent.version, o.first_day + 2 AS proposed,
           'spread_overload' AS family
    FROM overloaded o
    CROSS JOIN LATERAL (
        SELECT * FROM busy b
        WHERE b.user_id = o.user_id AND b.day BETWEEN o.first_day AND o.first_day + 1
        ORDER BY b.urgency, b.id DESC LIMIT 1
    ) least_urgent
    ORDER BY least_urgent.id, o.first_day
),
candidate AS MATERIALIZED (
    SELECT * FROM per_task WHERE family IS NOT NULL
    UNION ALL
    SELECT * FROM spread
),
-- What was never suggested at this version for this reason, now scored.
fresh AS MATERIALIZED (
    SELECT c.id, c.user_id, c.version, c.family, c.proposed, t.title, t.priority, t.due_at, t.due_date,
           t.recurrence IS NOT NULL AS recurring, u.time_zone, (now() AT TIME ZONE u.time_zone) AS local_now,
           {urgency} AS urgency
    FROM candidate c JOIN tasks t ON t.id = c.id JOIN users u ON u.id = c.user_id
    WHERE NOT EXISTS (
        SELECT 1 FROM suggestion_tasks st
        WHERE st.task_id = c.id AND st.task_version = c.version AND st.kind = c.family)
),
grouped AS (
    SELECT f.user_id, 'overdue_monitor' AS agent, 'overdue' AS family,
           CASE WHEN count(*) > 1 THEN 'overdue_digest'
                WHEN bool_or(f.recurring) THEN 'overdue_complete'
                WHEN min(COALESCE(f.due_at, f.due_date::timestamp AT TIME ZONE f.time_zone))
                     < now() - make_interval(days => $4) THEN 'overdue_clear_due'
                ELSE 'overdue_reschedule' END AS kind,
           array_agg(f.id ORDER BY f.urgency DESC, f.id) AS task_ids,
           array_agg(f.version ORDER BY f.urgency DESC, f.id) AS versions,
           array_agg(f.title ORDER BY f.urgency DESC, f.id) AS titles,
           min(f.priority) AS priority,
           max(f.urgency) AS urgency,
           min(f.local_now) AS local_now,
           NULL::date AS proposed_day
    FROM fresh f WHERE f.family = 'overdue' GROUP BY f.user_id
    UNION ALL
    SELECT f.user_id, CASE f.family WHEN 'due_soon' THEN 'overdue_monitor' ELSE 'prioritization' END,
           f.family, f.family, ARRAY[f.id], ARRAY[f.version], ARRAY[f.title], f.priority, f.urgency, f.local_now,
           f.proposed
    FROM fresh f WHERE f.family <> 'overdue'
),
proposed AS (
    SELECT g.*,
           to_char(g.local_now::date + 1, 'YYYY-MM-DD') AS tomorrow,
           to_char(g.proposed_day, 'YYYY-MM-DD') AS proposed_date,
           (extract(hour FROM g.local_now) * 60 + extract(minute FROM g.local_now))::int AS local_minute
    FROM grouped g
),
worded AS (
    SELECT p.*,
           CASE p.kind
             WHEN 'overdue_reschedule' THEN format('\"%s\" is overdue. Move it to tomorrow, %s?', p.titles[1], p.tomorrow)
             WHEN 'overdue_complete' THEN format('\"%s\" is overdue and repeats. Mark this one done so the next comes up?', p.titles[1])
             WHEN 'overdue_clear_due' THEN format('\"%s\" has been overdue for over %s days. Drop its due date?', p.titles[1], $4)
             WHEN 'overdue_digest' THEN format('%s tasks are overdue: %s%s. Move them all to tomorrow, %s?',
                  cardinality(p.titles), array_to_string(p.titles[1:3], ', '),
                  CASE WHEN cardinality(p.titles) > 3 THEN ' and more' ELSE '' END, p.tomorrow)
             WHEN 'due_soon' THEN format('\"%s\" is due within the hour.', p.titles[1])
             WHEN 'raise_priority' THEN format('\"%s\" is due within %s hours but has %s priority. Raise it to high?',
                  p.titles[1], $2, CASE p.priority WHEN 1 THEN 'low' ELSE 'medium' END)
             WHEN 'spread_overload' THEN format('Three or more high-priority tasks are due by %s. Move the least urgent, \"%s\", to %s?',
                  to_char(p.proposed_day - 1, 'YYYY-MM-DD'), p.titles[1], p.proposed_date)
             ELSE format('\"%s\" has not been touched for %s days. Plan it for tomorrow, %s?', p.titles[1], $3, p.tomorrow)
           END AS message,
           CASE p.kind
             WHEN 'overdue_complete' THEN jsonb_build_object('complete', true)
             WHEN 'overdue_clear_due' THEN jsonb_build_object('clear_due', true)
             WHEN 'due_soon' THEN jsonb_build_object('acknowledge', true)
             WHEN 'raise_priority' THEN jsonb_build_object('set_priority', 'high')
             WHEN 'spread_overload' THEN jsonb_build_object('reschedule_to', p.proposed_date)
             ELSE jsonb_build_object('reschedule_to', p.tomorrow)
           END AS action
    FROM proposed p
),
eligible AS (
    SELECT w.*,
           CASE w.agent WHEN 'overdue_monitor' THEN COALESCE(pref.overdue_monitor, true)
                        ELSE COALESCE(pref.prioritization, true) END AS enabled,
           {quiet} AS quiet
    FROM worded w LEFT JOIN agent_preferences pref ON pref.user_id = w.user_id
),
ranked AS (
    SELECT e.*, row_number() OVER (PARTITION BY e.user_id ORDER BY e.urgency DESC, e.task_ids[1]) AS n
    FROM eligible e WHERE e.enabled AND NOT e.quiet
),
-- The rolling hour counts push notifications too.
recent AS ({recent}),
to_create AS (
    SELECT r.* FROM ranked r LEFT JOIN recent ON recent.user_id = r.user_id
    WHERE r.n + COALESCE(recent.n, 0) <= $5
),
created AS (
    INSERT INTO suggestions (user_id, agent, kind, message, action, task_ids, task_versions)
    SELECT user_id, agent, kind, message, action, task_ids, versions FROM to_create
    RETURNING id, user_id, kind, task_ids, task_versions
),
linked AS (
    INSERT INTO suggestion_tasks (suggestion_id, task_id, task_version, kind)
    SELECT c.id, linked.task_id, linked.task_version,
           CASE WHEN c.kind LIKE 'overdue\\_%' THEN 'overdue' ELSE c.kind END
    FROM created c, unnest(c.task_ids, c.task_versions) AS linked(task_id, task_version)
    RETURNING suggestion_id
)
SELECT (SELECT count(DISTINCT user_id) FROM candidate) AS users_scanned,
       (SELECT count(*) FROM candidate) AS candidates,
       (SELECT count(*) FROM candidate) - (SELECT count(*) FROM fresh) AS suppressed_by_dedup,
       (SELECT count(*) FROM eligible WHERE NOT enabled OR quiet) AS suppressed_by_preference,
       (SELECT count(*) FROM ranked) - (SELECT count(*) FROM to_create) AS suppressed_by_rate_limit,
       (SELECT count(*) FROM created) AS created,
       (SELECT count(*) FROM linked) AS linked,
       COALESCE((SELECT json_agg(json_build_object('id', id, 'user_id', user_id, 'kind', kind)) FROM created), '[]')::text
           AS audit"
    )
}

/// One pass of every agent over every user; with `push`, it also queues
/// the push notifications ([`taskspin_push::queue`]), counted against the
/// same hourly limit.
pub fn run(db: &Db, push: bool) -> taskspin_db::Result<RunReport> {
    let run_id = uuid::Uuid::new_v4().to_string();
    db.transaction(|db| {
        db.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[ParameterValue::Int64(LOCK_KEY)],
        )?;
        // One big statement: its sorts fit in memory, and compiling it with
        // JIT costs more than it saves (measured in `make bench-agents`).
        db.execute(
            "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)",
            &[],
        )?;
        let expired: i64 = match db.query(EXPIRE, &[])?.first() {
            Some(row) => row.get("expired")?,
            None => 0,
        };
        let rows = db.query(
            &create_statement(),
            &[
                ParameterValue::Int32(DUE_SOON_MINUTES),
                ParameterValue::Int32(RAISE_WITHIN_HOURS),
                ParameterValue::Int32(STALE_DAYS),
                ParameterValue::Int32(CLEAR_DUE_AFTER_DAYS),
                ParameterValue::Int64(RATE_LIMIT_PER_HOUR),
            ],
        )?;
        let row = rows.first().ok_or_else(|| taskspin_db::Error::Decode {
            column: "*".into(),
            message: "the pass returned no summary".into(),
        })?;
        let audit: String = row.get("audit")?;
        let queued = if push {
            taskspin_push::queue::queue(db, DUE_SOON_MINUTES, RATE_LIMIT_PER_HOUR)?
        } else {
            taskspin_push::queue::Queued::default()
        };
        let created_suggestions =
            serde_json::from_str(&audit).map_err(|e| taskspin_db::Error::Decode {
                column: "audit".into(),
                message: e.to_string(),
            })?;
        Ok(RunReport {
            run_id,
            users_scanned: row.get("users_scanned")?,
            candidates: row.get("candidates")?,
            created: row.get("created")?,
            suppressed_by_rate_limit: row.get("suppressed_by_rate_limit")?,
            suppressed_by_preference: row.get("suppressed_by_preference")?,
            suppressed_by_dedup: row.get("suppressed_by_dedup")?,
            expired,
            pushes_queued: queued.notifications,
            push_deliveries_queued: queued.deliveries,
            pushes_suppressed_by_rate_limit: queued.suppressed_by_rate_limit,
            created_suggestions,
        })
    })
}

/// Runs one pass and writes its log lines: one for the pass, one for each
/// suggestion it created (the audit trail).
pub fn run_and_log(db: &Db, push: bool) -> taskspin_db::Result<RunReport> {
    let started = std::time::Instant::now();
    let report = run(db, push)?;
    let _batch = taskspin_telemetry::batch();
    for created in &report.created_suggestions {
        tracing::info!(
            run_id = report.run_id,
            suggestion_id = created.id,
            user_id = created.user_id,
            kind = created.kind,
            "suggestion created"
        );
    }
    tracing::info!(
        component = "agent",
        run_id = report.run_id,
        users_scanned = report.users_scanned,
        candidates = report.candidates,
        created = report.created,
        suppressed_by_rate_limit = report.suppressed_by_rate_limit,
        suppressed_by_preference = report.suppressed_by_preference,
        suppressed_by_dedup = report.suppressed_by_dedup,
        expired = report.expired,
        pushes_queued = report.pushes_queued,
        push_deliveries_queued = report.push_deliveries_queued,
        pushes_suppressed_by_rate_limit = report.pushes_suppressed_by_rate_limit,
        duration_ms = started.elapsed().as_millis() as u64,
        "agent run"
    );
    Ok(report)
}

/// The pass the schedule runs (the cron component and the command alike):
/// one pass with its log lines; then, when push is configured (the
/// component's `vapid_*` and `push_*` variables), the pushes it queued are
/// sent; then, when the `llm_*` variables name a model, the new
/// suggestions' rationales are phrased by it. Neither sending nor phrasing
/// fails the pass.
pub fn scheduled_pass(db: &Db) -> taskspin_db::Result<RunReport> {
    let push = taskspin_push::PushSettings::from_variables().unwrap_or_else(|reason| {
        tracing::warn!(
            reason,
            "push settings are invalid; no push notifications are sent"
        );
        None
    });
    let report = run_and_log(db, push.is_some())?;
    if let Some(settings) = &push {
        let started = std::time::Instant::now();
        match taskspin_push::delivery::deliver(db, settings) {
            Ok(sent) => tracing::info!(
                run_id = report.run_id,
                sent = sent.sent,
                gone = sent.gone,
                retry = sent.retry,
                failed = sent.failed,
                expired = sent.expired,
                duration_ms = started.elapsed().as_millis() as u64,
                "pushes sent"
            ),
            Err(error) => tracing::warn!(
                run_id = report.run_id,
                error = error.to_string(),
                "sending pushes stopped; the rest wait for the next pass"
            ),
        }
    }
    match taskspin_llm::OpenAiSettings::from_variables() {
        Ok(Some(settings)) if !report.created_suggestions.is_empty() => {
            let phrasing = rationale::phrase(
                db,
                &settings,
                &taskspin_llm::transport::post_json,
                &report.created_suggestions,
            );
            tracing::info!(
                run_id = report.run_id,
                phrased = phrasing.phrased,
                stopped = phrasing.stopped,
                "rationales phrased"
            );
        }
        Ok(_) => {}
        Err(reason) => tracing::warn!(
            run_id = report.run_id,
            reason,
            "llm settings are invalid; suggestions keep their own wording"
        ),
    }
    Ok(report)
}
