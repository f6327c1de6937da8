//! Taskspin's rules, free of I/O: what a valid task is, how recurrence rolls
//! a task forward, and how a line of quick-add text becomes a task. Every
//! function that depends on "now" or a time zone takes them as arguments.

pub mod account;
pub mod integer;
pub mod intent;
pub mod project;
pub mod quick_add;
pub mod quiet;
pub mod recurrence;
pub mod task;
pub mod urgency;
pub mod validation;
pub mod zone;

pub use recurrence::Recurrence;
pub use task::{Due, Priority};
pub use validation::{Errors, FieldError};
pub use zone::Zone;
