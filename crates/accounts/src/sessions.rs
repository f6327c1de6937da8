//! Cookie sessions: a random 256-bit token in an `HttpOnly` cookie, stored
//! only as its hash, valid 30 days from its last use.

use taskspin_db::{Db, ParameterValue};

use crate::secret;

pub const COOKIE: &str = "taskspin_session";
pub const LIFETIME_DAYS: i64 = 30;

/// Starts a session and returns its `Set-Cookie` value.
pub fn create(db: &Db, user_id: &str) -> taskspin_db::Result<String> {
    let token = secret::new_token();
    db.execute(
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))",
        &[
            ParameterValue::Str(secret::hash(&token)),
            ParameterValue::Uuid(user_id.to_owned()),
            ParameterValue::Int32(LIFETIME_DAYS as i32),
        ],
    )?;
    Ok(cookie(&token))
}

/// Pushes the expiry 30 days out again.
pub fn extend(db: &Db, token_hash: &str) -> taskspin_db::Result<()> {
    db.execute(
        "UPDATE sessions SET expires_at = now() + make_interval(days => $2) WHERE token_hash = $1",
        &[
            ParameterValue::Str(token_hash.to_owned()),
            ParameterValue::Int32(LIFETIME_DAYS as i32),
        ],
    )?;
    Ok(())
}

pub fn revoke(db: &Db, token_hash: &str) -> taskspin_db::Result<()> {
    db.execute(
        "DELETE FROM sessions WHERE token_hash = $1",
        &[ParameterValue::Str(token_hash.to_owned())],
    )?;
    Ok(())
}

pub fn revoke_all(db: &Db, user_id: &str) -> taskspin_db::Result<()> {
    db.execute(
        "DELETE FROM sessions WHERE user_id = $1",
        &[ParameterValue::Uuid(user_id.to_owned())],
    )?;
    Ok(())
}

/// `Secure` unless the `cookie_secure` variable is `false` (local plain HTTP).
fn secure() -> bool {
    spin_sdk::variables::get("cookie_secure").map_or(true, |value| value.trim() != "false")
}

pub fn cookie(token: &str) -> String {
    let max_age = LIFETIME_DAYS * 24 * 3600;
    let secure = if secure() { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn clear_cookie() -> String {
    let secure = if secure() { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie_among_others() {
        assert_eq!(
            token_from_cookie_header("a=1; taskspin_session=abc; b=2"),
            Some("abc")
        );
        assert_eq!(token_from_cookie_header("taskspin_session="), None);
        assert_eq!(token_from_cookie_header("other=x"), None);
    }
}
