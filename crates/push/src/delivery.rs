//! Sending what [`crate::queue`] queued, after the pass's transaction: the
//! pass never waits on a push service while it holds its lock, and a slow
//! or failing one never fails it.
//!
//! Each batch is claimed first (`claimed_until`, `SKIP LOCKED`), so two
//! passes never send one delivery twice, then sent all at once under one
//! deadline. A 2xx answer makes a delivery `sent`; 404 or 410 (the browser
//! unsubscribed) deletes the subscription; 429, 5xx, a timeout or a network
//! error leave it pending for the next pass, until the notification's own
//! expiry; any other answer is `failed`, and logged.

use std::time::{SystemTime, UNIX_EPOCH};

use taskspin_db::{Db, ParameterValue, Row};
use taskspin_outbound::TransportError;

use crate::message::{self, Delivery, Recipient};
use crate::settings::PushSettings;

/// Requests in flight at once.
pub const BATCH: i64 = 50;
/// Deliveries one pass sends at most; the rest wait for the next pass.
pub const MAX_PER_PASS: usize = 2_000;

/// What one pass sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sent {
    pub sent: i64,
    /// Subscriptions deleted because their push service said they are gone.
    pub gone: i64,
    /// Left pending for the next pass (429, 5xx, timeouts).
    pub retry: i64,
    pub failed: i64,
    pub expired: i64,
}

/// What became of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Gone,
    Retry,
    Failed,
}

impl Outcome {
    pub fn of(answer: &Result<(u16, Vec<u8>), TransportError>) -> Self {
        match answer {
            Ok((200..=299, _)) => Outcome::Sent,
            Ok((404 | 410, _)) => Outcome::Gone,
            Ok((429 | 500..=599, _)) | Err(_) => Outcome::Retry,
            Ok(_) => Outcome::Failed,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Gone => "gone",
            Outcome::Retry => "pending",
            Outcome::Failed => "failed",
        }
    }
}

/// Ends deliveries whose notification is no longer worth sending, and
/// forgets notifications a week old (their dedup keys are long past use).
const TIDY: &str = "
WITH expired AS (
    UPDATE push_deliveries d SET status = 'failed', last_answer = 'expired', claimed_until = NULL, updated_at = now()
    FROM push_notifications n
    WHERE n.id = d.notification_id AND d.status = 'pending' AND n.expires_at <= now()
    RETURNING 1
),
forgotten AS (
    DELETE FROM push_notifications WHERE created_at < now() - interval '7 days' RETURNING 1
)
SELECT (SELECT count(*) FROM expired) AS expired, (SELECT count(*) FROM forgotten) AS forgotten,
       extract(epoch FROM now())::float8 AS started";

const CLAIM: &str = "
WITH pick AS (
    SELECT d.notification_id, d.subscription_id
    FROM push_deliveries d JOIN push_notifications n ON n.id = d.notification_id
    WHERE d.status = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < now())
      AND n.expires_at > now()
      -- Not what this pass tried already: a failure waits for the next pass.
      AND d.updated_at < to_timestamp($3)
    ORDER BY n.id, d.subscription_id
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
),
claimed AS (
    UPDATE push_deliveries d SET claimed_until = now() + make_interval(secs => $2), attempts = d.attempts + 1,
        updated_at = now()
    FROM pick WHERE d.notification_id = pick.notification_id AND d.subscription_id = pick.subscription_id
    RETURNING d.notification_id, d.subscription_id
)
SELECT c.notification_id, c.subscription_id, s.endpoint, s.p256dh, s.auth, n.kind, n.payload::text AS payload,
       GREATEST(1, ceil(extract(epoch FROM n.expires_at - now())))::int AS ttl
FROM claimed c
JOIN push_subscriptions s ON s.id = c.subscription_id
JOIN push_notifications n ON n.id = c.notification_id";

const RECORD: &str = "
WITH outcome AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
        AS o(notification_id, subscription_id, status, answer)
),
gone AS (
    DELETE FROM push_subscriptions s USING outcome o
    WHERE s.id = o.subscription_id AND o.status = 'gone'
    RETURNING 1
),
recorded AS (
    UPDATE push_deliveries d SET status = o.status, last_answer = o.answer, claimed_until = NULL,
        updated_at = now()
    FROM outcome o
    WHERE d.notification_id = o.notification_id AND d.subscription_id = o.subscription_id AND o.status <> 'gone'
    RETURNING 1
),
reached AS (
    UPDATE push_subscriptions s SET last_sent_at = now()
    FROM outcome o WHERE s.id = o.subscription_id AND o.status = 'sent'
    RETURNING 1
)
SELECT (SELECT count(*) FROM gone) AS gone, (SELECT count(*) FROM recorded) AS recorded,
       (SELECT count(*) FROM reached) AS reached";

struct Claimed {
    notification_id: i64,
    subscription_id: i64,
    kind: String,
    recipient: Recipient,
    payload: String,
    ttl: i32,
}

impl Claimed {
    fn from_row(row: &Row<'_>) -> taskspin_db::Result<Self> {
        Ok(Self {
            notification_id: row.get("notification_id")?,
            subscription_id: row.get("subscription_id")?,
            kind: row.get("kind")?,
            recipient: Recipient {
                endpoint: row.get("endpoint")?,
                p256dh: row.get("p256dh")?,
                auth: row.get("auth")?,
            },
            payload: row.get("payload")?,
            ttl: row.get("ttl")?,
        })
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

fn describe(answer: &Result<(u16, Vec<u8>), TransportError>) -> String {
    match answer {
        Ok((status, _)) => format!("HTTP {status}"),
        Err(error) => error.to_string(),
    }
}

/// Sends what is pending, a batch at a time.
pub fn deliver(db: &Db, settings: &PushSettings) -> taskspin_db::Result<Sent> {
    let tidied = db.query(TIDY, &[])?;
    let row = tidied.first().ok_or_else(|| taskspin_db::Error::Decode {
        column: "*".into(),
        message: "tidying returned no row".into(),
    })?;
    let mut sent = Sent {
        expired: row.get("expired")?,
        ..Sent::default()
    };
    let started: f64 = row.get("started")?;
    // A claim outlives the batch's deadline, so no other pass takes it
    // while this one may still be sending it.
    let claim_seconds = settings.timeout.as_secs_f64() + 30.0;
    let mut handled = 0;
    while handled < MAX_PER_PASS {
        let batch = db
            .query(
                CLAIM,
                &[
                    ParameterValue::Int64(BATCH),
                    ParameterValue::Floating64(claim_seconds),
                    ParameterValue::Floating64(started),
                ],
            )?
            .map(Claimed::from_row)?;
        if batch.is_empty() {
            break;
        }
        handled += batch.len();
        send_batch(db, settings, &batch, &mut sent)?;
    }
    Ok(sent)
}

fn send_batch(
    db: &Db,
    settings: &PushSettings,
    batch: &[Claimed],
    sent: &mut Sent,
) -> taskspin_db::Result<()> {
    let now = unix_now();
    // A message that cannot be built (a subscription stored under another
    // allow-list, say) is failed, not retried.
    let built: Vec<Result<taskspin_outbound::Post, String>> = batch
        .iter()
        .map(|claimed| {
            let delivery = Delivery {
                ttl: u32::try_from(claimed.ttl).unwrap_or(1),
                urgent: claimed.kind == "due_soon",
            };
            message::request(
                settings,
                &claimed.recipient,
                claimed.payload.as_bytes(),
                delivery,
                now,
            )
        })
        .collect();
    let posts: Vec<_> = built
        .iter()
        .filter_map(|post| post.as_ref().ok())
        .cloned()
        .collect();
    let mut answers = taskspin_outbound::post_all(&posts, settings.timeout).into_iter();

    let (mut notifications, mut subscriptions, mut statuses, mut texts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (claimed, built) in batch.iter().zip(&built) {
        let (outcome, answer) = match built {
            Ok(_) => {
                let answer = answers.next().unwrap_or(Err(TransportError::Timeout));
                (Outcome::of(&answer), describe(&answer))
            }
            Err(reason) => (Outcome::Failed, reason.clone()),
        };
        match outcome {
            Outcome::Sent => sent.sent += 1,
            Outcome::Gone => sent.gone += 1,
            Outcome::Retry => sent.retry += 1,
            Outcome::Failed => sent.failed += 1,
        }
        if outcome != Outcome::Sent {
            tracing::warn!(
                notification_id = claimed.notification_id,
                subscription_id = claimed.subscription_id,
                answer,
                outcome = outcome.as_str(),
                "push not delivered"
            );
        }
        notifications.push(Some(claimed.notification_id));
        subscriptions.push(Some(claimed.subscription_id));
        statuses.push(Some(outcome.as_str().to_owned()));
        texts.push(Some(answer));
    }
    db.query(
        RECORD,
        &[
            ParameterValue::ArrayInt64(notifications),
            ParameterValue::ArrayInt64(subscriptions),
            ParameterValue::ArrayStr(statuses),
            ParameterValue::ArrayStr(texts),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_decide_what_becomes_of_a_delivery() {
        let status = |code: u16| Outcome::of(&Ok((code, Vec::new())));
        assert_eq!(status(201), Outcome::Sent);
        assert_eq!(status(404), Outcome::Gone);
        assert_eq!(status(410), Outcome::Gone);
        assert_eq!(status(429), Outcome::Retry);
        assert_eq!(status(503), Outcome::Retry);
        assert_eq!(status(400), Outcome::Failed);
        assert_eq!(status(413), Outcome::Failed);
        assert_eq!(Outcome::of(&Err(TransportError::Timeout)), Outcome::Retry);
    }
}
