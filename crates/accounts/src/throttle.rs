//! Sign-in throttling per email: after 5 failures within 15 minutes the next
//! attempts answer 429 until the oldest failure leaves the window. Counted
//! whether or not the account exists, so the answer reveals nothing.

use taskspin_db::{Db, ParameterValue};

pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_MINUTES: i32 = 15;

/// Seconds to wait before trying again, when the email is throttled.
pub fn retry_after(db: &Db, email_key: &str) -> taskspin_db::Result<Option<i64>> {
    let rows = db.query(
        "SELECT count(*) AS failures,
                COALESCE(ceil(extract(epoch FROM min(failed_at) + make_interval(mins => $2) - now())), 0)::bigint AS wait
         FROM sign_in_failures
         WHERE email_key = $1 AND failed_at > now() - make_interval(mins => $2)",
        &[ParameterValue::Str(email_key.to_owned()), ParameterValue::Int32(WINDOW_MINUTES)],
    )?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let failures: i64 = row.get("failures")?;
    let wait: i64 = row.get("wait")?;
    Ok((failures >= MAX_FAILURES).then_some(wait.max(1)))
}

/// Records a failure and forgets the ones that left the window.
pub fn record_failure(db: &Db, email_key: &str) -> taskspin_db::Result<()> {
    db.execute(
        "WITH expired AS (
             DELETE FROM sign_in_failures WHERE email_key = $1 AND failed_at <= now() - make_interval(mins => $2)
         )
         INSERT INTO sign_in_failures (email_key) VALUES ($1)",
        &[ParameterValue::Str(email_key.to_owned()), ParameterValue::Int32(WINDOW_MINUTES)],
    )?;
    Ok(())
}

pub fn clear(db: &Db, email_key: &str) -> taskspin_db::Result<()> {
    db.execute(
        "DELETE FROM sign_in_failures WHERE email_key = $1",
        &[ParameterValue::Str(email_key.to_owned())],
    )?;
    Ok(())
}
