//! Imports from other task managers. A file is read into a [`plan::Plan`]
//! (what it would create, and what it does not understand) as soon as it
//! is uploaded, for the preview; once confirmed, [`job`] reads it again and
//! creates everything in one transaction, skipping what an earlier import
//! of the same rows created.

pub mod formats;
pub mod job;
pub mod plan;
pub mod read;
mod rrule;
pub mod store;
mod text;

pub use formats::Context;
pub use plan::{Plan, Preview, Unreadable};
pub use read::{Format, MAX_FILE_BYTES, read};
