//! Every read and write of task rows. Each function takes the owner's id and
//! puts it in the statement's `WHERE`, so another user's task is as missing
//! as one that never existed. The tasks API, the assistant's tools and the
//! agents' accepted suggestions all go through here.

mod input;
mod list;
mod precondition;
pub mod requests;
mod store;

pub use input::{NewTask, TagName, TaskChanges, TaskPatch, TaskValues};
pub use list::{ListQuery, Page, Sort, Status, list_statement};
pub use precondition::{IfMatch, Malformed};
pub use store::{Outcome, Task, Tasks};
