//! Every read and write of task rows. Each function takes the owner's id and
//! puts it in the statement's `WHERE`, so another user's task is as missing
//! as one that never existed. The tasks API, the assistant's tools and the
//! agents' accepted suggestions all go through here.

mod input;
mod list;
pub mod requests;
mod store;
mod tree;

pub use input::{MoveTask, NewTask, Placement, TagName, TaskChanges, TaskPatch, TaskValues};
pub use list::{ListQuery, Page, ProjectFilter, Sort, Status, list_statement};
pub use store::{Outcome, SubtaskCounts, Task, Tasks};
pub use taskspin_db::{IfMatch, Malformed};
