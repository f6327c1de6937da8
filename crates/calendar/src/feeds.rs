//! One private feed per person: a secret URL (`/api/calendar/feed/<secret>.ics`)
//! that calendar apps poll without signing in. Only the secret's SHA-256 is
//! stored; creating a feed again replaces it, so the old URL stops working.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use taskspin_accounts::secret;
use taskspin_db::{Db, ParameterValue, Row};
use taskspin_domain::task::{Due, Priority};
use taskspin_domain::zone::Zone;

use crate::ics::DatedTask;

/// Feed secrets start with this, to tell them from other tokens.
pub const PREFIX: &str = "tsc_";

/// Whether the person has a feed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedStatus {
    pub active: bool,
    #[schema(format = DateTime)]
    pub created_at: Option<String>,
    /// When a calendar app last read it (to the hour).
    #[schema(format = DateTime)]
    pub last_fetched_at: Option<String>,
}

/// A new feed's URL: shown once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedFeed {
    #[schema(example = "https://tasks.example.com/api/calendar/feed/tsc_3q2+7w.ics")]
    pub url: String,
    /// The same for calendar apps that subscribe to `webcal://` links.
    #[schema(example = "webcal://tasks.example.com/api/calendar/feed/tsc_3q2+7w.ics")]
    pub webcal_url: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// The path of a feed's document.
pub fn path(secret: &str) -> String {
    format!("/api/calendar/feed/{secret}.ics")
}

pub fn status(db: &Db, user_id: &str) -> taskspin_db::Result<FeedStatus> {
    let rows = db.query(
        "SELECT rfc3339(created_at) AS created_at, rfc3339(last_fetched_at) AS last_fetched_at
         FROM calendar_feeds WHERE user_id = $1",
        &[ParameterValue::Uuid(user_id.to_owned())],
    )?;
    Ok(match rows.first() {
        Some(row) => FeedStatus {
            active: true,
            created_at: row.get("created_at")?,
            last_fetched_at: row.get("last_fetched_at")?,
        },
        None => FeedStatus {
            active: false,
            created_at: None,
            last_fetched_at: None,
        },
    })
}

/// Creates the feed, or gives it a new secret; the secret and when.
pub fn create(db: &Db, user_id: &str) -> taskspin_db::Result<(String, String)> {
    let secret = format!("{PREFIX}{}", secret::new_token());
    let rows = db.query(
        "INSERT INTO calendar_feeds (user_id, secret_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, created_at = now(),
             last_fetched_at = NULL
         RETURNING rfc3339(created_at) AS created_at",
        &[
            ParameterValue::Uuid(user_id.to_owned()),
            ParameterValue::Str(secret::hash(&secret)),
        ],
    )?;
    let created_at = match rows.first() {
        Some(row) => row.get("created_at")?,
        None => String::new(),
    };
    Ok((secret, created_at))
}

/// False when there was no feed.
pub fn revoke(db: &Db, user_id: &str) -> taskspin_db::Result<bool> {
    Ok(db.execute(
        "DELETE FROM calendar_feeds WHERE user_id = $1",
        &[ParameterValue::Uuid(user_id.to_owned())],
    )? > 0)
}

/// A feed opened by its secret: whose, and a fingerprint of what it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub user_id: String,
    pub zone: Zone,
    /// The person's local date: listed occurrences count from it.
    pub today: NaiveDate,
    fingerprint: String,
}

/// What the feed lists: pending dated tasks outside archived projects.
const LISTED: &str = "t.user_id = f.user_id AND t.completed_at IS NULL
      AND (t.due_at IS NOT NULL OR t.due_date IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id AND p.archived_at IS NOT NULL)";

impl Opened {
    /// The feed's entity tag: it changes when a listed task changes, is
    /// added or leaves, and when the person's zone or day does.
    pub fn etag(&self) -> String {
        format!(
            "\"{}-{}-{}\"",
            self.fingerprint,
            self.today.format("%Y%m%d"),
            self.zone.name()
        )
    }
}

/// The feed with this secret, if any: one statement that also records the
/// read (at most hourly, so polling stays a read).
pub fn open(db: &Db, secret: &str) -> taskspin_db::Result<Option<Opened>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let rows = db.query(
        &format!(
            "WITH f AS (SELECT user_id FROM calendar_feeds WHERE secret_hash = $1),
             touched AS (
                 UPDATE calendar_feeds c SET last_fetched_at = date_trunc('hour', now())
                 FROM f WHERE c.user_id = f.user_id
                   AND (c.last_fetched_at IS NULL OR c.last_fetched_at < date_trunc('hour', now()))
                 RETURNING 1
             )
             SELECT f.user_id::text AS user_id, u.time_zone,
                    (now() AT TIME ZONE u.time_zone)::date AS today,
                    (SELECT md5(COALESCE(string_agg(t.id || ':' || t.version, ',' ORDER BY t.id), ''))
                     FROM tasks t WHERE {LISTED}) AS fingerprint,
                    (SELECT count(*) FROM touched) AS touched
             FROM f JOIN users u ON u.id = f.user_id"
        ),
        &[ParameterValue::Str(secret::hash(secret))],
    )?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let zone_name: String = row.get("time_zone")?;
    Ok(Some(Opened {
        user_id: row.get("user_id")?,
        zone: Zone::named(&zone_name).unwrap_or(Zone::UTC),
        today: row.get("today")?,
        fingerprint: row.get("fingerprint")?,
    }))
}

fn dated(row: &Row<'_>) -> taskspin_db::Result<DatedTask> {
    let decode = |column: &str, message: String| taskspin_db::Error::Decode {
        column: column.into(),
        message,
    };
    let priority: i16 = row.get("priority")?;
    let due = match (
        row.get::<Option<NaiveDateTime>>("due_at")?,
        row.get::<Option<NaiveDate>>("due_date")?,
    ) {
        (Some(at), _) => Due::At(at.and_utc()),
        (None, Some(date)) => Due::On(date),
        (None, None) => return Err(decode("due_at", "a listed task has no due".into())),
    };
    let recurrence = row
        .get::<Option<serde_json::Value>>("recurrence")?
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| decode("recurrence", e.to_string()))?;
    let updated_at: NaiveDateTime = row.get("updated_at")?;
    Ok(DatedTask {
        id: row.get("id")?,
        title: row.get("title")?,
        description: row.get("description")?,
        priority: Priority::from_i16(priority).unwrap_or_default(),
        tags: row
            .get::<Vec<Option<String>>>("tags")?
            .into_iter()
            .flatten()
            .collect(),
        due,
        recurrence,
        version: row.get("version")?,
        updated_at: DateTime::<Utc>::from_naive_utc_and_offset(updated_at, Utc),
    })
}

/// The feed's tasks, soonest first.
pub fn tasks(db: &Db, opened: &Opened) -> taskspin_db::Result<Vec<DatedTask>> {
    db.query(
        &format!(
            "SELECT t.id, t.title, t.description, t.priority, t.tags, t.due_at AT TIME ZONE 'UTC' AS due_at,
                    t.due_date, t.recurrence, t.version, t.updated_at AT TIME ZONE 'UTC' AS updated_at
             FROM (SELECT $1::uuid AS user_id) f, tasks t WHERE {LISTED}
             ORDER BY t.due_key, t.id"
        ),
        &[ParameterValue::Uuid(opened.user_id.clone())],
    )?
    .map(dated)
}
