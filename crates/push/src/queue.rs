//! What deserves interrupting a person, decided inside the agents' pass (its
//! transaction and lock): a task due within the hour gets one reminder per
//! occurrence, and overdue tasks one digest per local day. Only for people
//! with a subscribed browser whose `notifications` and overdue monitor are
//! on, outside their quiet hours, and within the 10 per rolling hour that
//! suggestions count against too. Each notification is queued once for
//! each of the person's browsers; [`crate::delivery`] sends them.

use taskspin_db::{Db, ParameterValue};

/// The most tasks a digest lists (and its actions act on): a push payload
/// holds at most about 4 KB.
pub const DIGEST_TASKS: i64 = 5;

/// What one pass queued.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Queued {
    pub notifications: i64,
    pub deliveries: i64,
    pub suppressed_by_rate_limit: i64,
}

fn statement() -> String {
    let quiet = taskspin_domain::quiet::sql("pref", "a.local_minute");
    let recent = sent_in_the_last_hour("fresh");
    format!(
        "
WITH subscribed AS (
    SELECT DISTINCT user_id FROM push_subscriptions
),
allowed AS MATERIALIZED (
    SELECT u.id AS user_id, u.time_zone, l.local_now, l.local_now::date AS today
    FROM subscribed s
    JOIN users u ON u.id = s.user_id
    CROSS JOIN LATERAL (SELECT now() AT TIME ZONE u.time_zone AS local_now) l
    CROSS JOIN LATERAL (SELECT (extract(hour FROM l.local_now) * 60 + extract(minute FROM l.local_now))::int AS local_minute) a
    LEFT JOIN agent_preferences pref ON pref.user_id = u.id
    WHERE COALESCE(pref.notifications, true) AND COALESCE(pref.overdue_monitor, true) AND NOT {quiet}
),
pending AS MATERIALIZED (
    SELECT t.id, t.user_id, t.version, t.title, t.due_at, t.due_date, t.due_key, a.time_zone, a.today,
           (t.due_at AT TIME ZONE a.time_zone) AS local_due
    FROM allowed a JOIN tasks t ON t.user_id = a.user_id
    WHERE t.completed_at IS NULL AND t.due_key < now() + make_interval(mins => $1)
      -- Archived projects are put away: nothing in them interrupts.
      AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id AND p.archived_at IS NOT NULL)
),
-- What the notification's Tomorrow action writes: the next day after the
-- later of the due day and today, at the same local time.
actionable AS (
    SELECT p.*,
           jsonb_build_object('id', p.id, 'version', p.version, 'title', left(p.title, 80),
               'tomorrow', CASE WHEN p.due_at IS NOT NULL THEN jsonb_build_object('due_at',
                   rfc3339(((GREATEST(p.local_due::date, p.today) + 1) + p.local_due::time) AT TIME ZONE p.time_zone))
               ELSE jsonb_build_object('due_date', to_char(GREATEST(p.due_date, p.today) + 1, 'YYYY-MM-DD')) END)
               AS action
    FROM pending p
),
due_soon AS (
    SELECT a.user_id, 'due_soon' AS kind,
           format('due_soon:%s:%s', a.id, extract(epoch FROM a.due_at)::bigint) AS dedup_key,
           jsonb_build_object('title', 'Due soon: ' || a.title, 'body', 'Due at ' || to_char(a.local_due, 'HH24:MI'),
               'tag', 'taskspin:due_soon:' || a.id, 'url', '/tasks/' || a.id, 'kind', 'due_soon',
               'tasks', jsonb_build_array(a.action)) AS payload,
           a.due_at AS expires_at, a.due_at AS rank
    FROM actionable a
    WHERE a.due_at >= now()
),
overdue AS (
    SELECT a.*, row_number() OVER (PARTITION BY a.user_id ORDER BY a.due_key, a.id) AS n,
           count(*) OVER (PARTITION BY a.user_id) AS total
    FROM actionable a
    WHERE a.due_at < now() OR a.due_date < a.today
),
digest AS (
    SELECT o.user_id, 'overdue_digest' AS kind, format('overdue:%s', min(o.today)) AS dedup_key,
           jsonb_build_object(
               'title', CASE WHEN max(o.total) = 1 THEN format('\"%s\" is overdue', min(o.title))
                             ELSE format('%s tasks are overdue', max(o.total)) END,
               'body', array_to_string((array_agg(o.title ORDER BY o.n))[1:3], ', ')
                       || CASE WHEN max(o.total) > 3 THEN format(' and %s more', max(o.total) - 3) ELSE '' END,
               'tag', 'taskspin:overdue', 'url', '/today', 'kind', 'overdue_digest',
               'tasks', jsonb_agg(o.action ORDER BY o.n) FILTER (WHERE o.n <= $3)) AS payload,
           now() + interval '1 day' AS expires_at, 'infinity'::timestamptz AS rank
    FROM overdue o
    GROUP BY o.user_id
),
candidate AS (
    SELECT * FROM due_soon UNION ALL SELECT * FROM digest
),
fresh AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.user_id ORDER BY c.rank, c.dedup_key) AS n
    FROM candidate c
    WHERE NOT EXISTS (SELECT 1 FROM push_notifications n WHERE n.user_id = c.user_id AND n.dedup_key = c.dedup_key)
),
recent AS ({recent}),
created AS (
    INSERT INTO push_notifications (user_id, kind, dedup_key, payload, expires_at)
    SELECT f.user_id, f.kind, f.dedup_key, f.payload, f.expires_at
    FROM fresh f LEFT JOIN recent r ON r.user_id = f.user_id
    WHERE f.n + COALESCE(r.n, 0) <= $2
    ON CONFLICT (user_id, dedup_key) DO NOTHING
    RETURNING id, user_id
),
queued AS (
    INSERT INTO push_deliveries (notification_id, subscription_id)
    SELECT c.id, s.id FROM created c JOIN push_subscriptions s ON s.user_id = c.user_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM created) AS notifications,
       (SELECT count(*) FROM queued) AS deliveries,
       (SELECT count(*) FROM fresh) - (SELECT count(*) FROM created) AS suppressed_by_rate_limit"
    )
}

/// A query of `(user_id, n)`: how many suggestions and pushes each user
/// named by the relation `users` (a CTE with a `user_id` column) got in the
/// rolling hour. Both count against one limit, whichever is made first.
pub fn sent_in_the_last_hour(users: &str) -> String {
    format!(
        "SELECT sent.user_id, count(*) AS n FROM (
            SELECT s.user_id FROM suggestions s
            WHERE s.user_id IN (SELECT user_id FROM {users}) AND s.created_at > now() - interval '1 hour'
            UNION ALL
            SELECT n.user_id FROM push_notifications n
            WHERE n.user_id IN (SELECT user_id FROM {users}) AND n.created_at > now() - interval '1 hour'
        ) sent
        GROUP BY sent.user_id"
    )
}

/// Queues this pass's notifications; call it inside the pass's transaction,
/// after the suggestions, so both count against one limit.
pub fn queue(db: &Db, due_soon_minutes: i32, per_hour: i64) -> taskspin_db::Result<Queued> {
    let rows = db.query(
        &statement(),
        &[
            ParameterValue::Int32(due_soon_minutes),
            ParameterValue::Int64(per_hour),
            ParameterValue::Int64(DIGEST_TASKS),
        ],
    )?;
    let Some(row) = rows.first() else {
        return Ok(Queued::default());
    };
    Ok(Queued {
        notifications: row.get("notifications")?,
        deliveries: row.get("deliveries")?,
        suppressed_by_rate_limit: row.get("suppressed_by_rate_limit")?,
    })
}
