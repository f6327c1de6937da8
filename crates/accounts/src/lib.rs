//! Who is asking: passwords, sessions, personal access tokens, and turning a
//! request's cookie or bearer token into the signed-in user.

mod auth;
pub mod csrf;
pub mod password;
pub mod requests;
pub mod secret;
pub mod sessions;
pub mod throttle;
pub mod tokens;
mod users;

pub use auth::{Authenticated, Credential, authenticate, signed_in};
pub use users::{USER_COLUMNS, User};
