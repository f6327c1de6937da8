//! Web Push (RFC 8030): reminders that reach people where they are.
//!
//! - [`subscriptions`]: the browsers a person subscribed (the Settings
//!   screen's devices), each on a push service [`origins`] allows.
//! - [`queue`]: inside the agents' pass, what deserves interrupting (a task
//!   due within the hour, once per occurrence; the overdue digest, once a
//!   day), within the person's switches, quiet hours and hourly limit.
//! - [`delivery`]: after the pass, each queued message encrypted for its
//!   browser and signed ([`message`], [`vapid`]), sent with a deadline.
//!
//! The payload is JSON the service worker (`frontend/public/sw.js`) shows:
//! `title`, `body`, `tag`, `url`, `kind` and `tasks`, each task with the
//! `id` and `version` its Done and Tomorrow actions send as `If-Match`, and
//! the `tomorrow` change.

pub mod delivery;
pub mod message;
pub mod origins;
pub mod queue;
pub mod settings;
pub mod subscriptions;
pub mod vapid;

pub use settings::PushSettings;
