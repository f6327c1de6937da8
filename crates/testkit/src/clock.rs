//! Dates relative to the moment a test runs, in the test accounts' zone.
//!
//! A test that compares against "now" takes its dates from here, never from
//! a literal that a passing day turns from future to past. `make
//! test-shifted-clock` runs the date-sensitive suites under a shifted clock
//! to prove it.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use taskspin_domain::Zone;

/// The zone [`crate::TestApp::sign_up`] gives every test account.
pub const ZONE_NAME: &str = "Europe/Berlin";

pub fn zone() -> Zone {
    Zone::named(ZONE_NAME).expect("a known zone")
}

/// Today's date in the test accounts' zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}

/// The date `days` from today (negative: before), in the accounts' zone.
pub fn day(days: i64) -> NaiveDate {
    let today = today();
    let shifted = if days >= 0 {
        today.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    shifted.expect("a representable date")
}

/// [`day`] as the API writes a date: `YYYY-MM-DD`.
pub fn date(days: i64) -> String {
    day(days).format("%Y-%m-%d").to_string()
}

/// The instant `delta` from now, as RFC 3339 in UTC.
pub fn instant(delta: TimeDelta) -> String {
    (Utc::now() + delta).to_rfc3339()
}

/// The instant of a wall-clock time on the date `days` from today, in the
/// accounts' zone (the earlier one when the clock is set back that night).
pub fn wall_time(days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time");
    zone()
        .from_local_datetime(&day(days).and_time(time))
        .earliest()
        .expect("the wall time exists")
        .with_timezone(&Utc)
}

/// How the API writes an instant: UTC with milliseconds.
pub fn api_instant(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
