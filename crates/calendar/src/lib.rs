//! The private calendar feed: tasks appear in the person's calendar app.
//!
//! - [`feeds`]: one feed per person behind a secret URL, stored as a hash
//!   like a personal access token, rotatable and revocable; it only reads.
//! - [`ics`]: the person's pending dated tasks as iCalendar (RFC 5545): an
//!   all-day event for a due date, a timed one (UTC) for a due time, a
//!   recurring task as an `RRULE` where ours maps exactly ([`rrule`]) and as
//!   `RDATE`s otherwise.

pub mod feeds;
pub mod ics;
pub mod rrule;
