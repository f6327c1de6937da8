use spin_sdk::http::{Request, Response};
use taskspin_db::{Db, ParameterValue};
use taskspin_http::{ApiResult, Problem};

use crate::users::{USER_COLUMNS, User};
use crate::{csrf, secret, sessions, tokens};

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Session { token_hash: String },
    Token { id: i64 },
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub credential: Credential,
    /// A refreshed session cookie to send back (sliding expiry).
    pub set_cookie: Option<String>,
}

impl Authenticated {
    /// Adds the refreshed cookie, if any, to a response.
    pub fn finish(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie {
            response.set_header("set-cookie", cookie.clone());
        }
        response
    }
}

fn unauthorized() -> taskspin_http::ApiError {
    Problem::new(
        401,
        "Sign in, or send a personal access token as `Authorization: Bearer`.",
    )
    .with_header("www-authenticate", "Bearer")
    .into()
}

/// The user behind the request's bearer token or session cookie; 401
/// without valid credentials, 403 for a cross-site state change.
pub fn authenticate(db: &Db, request: &Request) -> ApiResult<Authenticated> {
    if let Some(authorization) = request.header("authorization") {
        let token = authorization
            .as_str()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| token.starts_with(tokens::PREFIX))
            .ok_or_else(unauthorized)?;
        return by_token(db, token);
    }
    let token = request
        .header("cookie")
        .and_then(|value| value.as_str())
        .and_then(sessions::token_from_cookie_header)
        .ok_or_else(unauthorized)?;
    if csrf::is_state_changing(request) && !csrf::from_own_origin(request) {
        return Err(Problem::new(403, "Cross-site requests may not change anything.").into());
    }
    by_session(db, token)
}

fn by_token(db: &Db, token: &str) -> ApiResult<Authenticated> {
    let rows = db.query(
        &format!(
            "SELECT t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 hour') AS stale,
                    {USER_COLUMNS}
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1"
        ),
        &[ParameterValue::Str(secret::hash(token))],
    )?;
    let row = rows.first().ok_or_else(unauthorized)?;
    let id: i64 = row.get("token_id")?;
    // Last use is shown in the token list; an hour's precision is enough.
    if row.get::<bool>("stale")? {
        db.execute(
            "UPDATE api_tokens SET last_used_at = now() WHERE id = $1",
            &[ParameterValue::Int64(id)],
        )?;
    }
    Ok(Authenticated {
        user: User::from_row(&row)?,
        credential: Credential::Token { id },
        set_cookie: None,
    })
}

fn by_session(db: &Db, token: &str) -> ApiResult<Authenticated> {
    let token_hash = secret::hash(token);
    let rows = db.query(
        &format!(
            "SELECT s.expires_at < now() + make_interval(days => $2 - 1) AS slide, {USER_COLUMNS}
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > now()"
        ),
        &[
            ParameterValue::Str(token_hash.clone()),
            ParameterValue::Int32(sessions::LIFETIME_DAYS as i32),
        ],
    )?;
    let row = rows.first().ok_or_else(unauthorized)?;
    // Sliding expiry, written at most once a day rather than on every request.
    let set_cookie = if row.get::<bool>("slide")? {
        sessions::extend(db, &token_hash)?;
        Some(sessions::cookie(token))
    } else {
        None
    };
    Ok(Authenticated {
        user: User::from_row(&row)?,
        credential: Credential::Session { token_hash },
        set_cookie,
    })
}

/// Connects, authenticates, runs `work` for the signed-in user, and renews
/// the session cookie on its response: the frame of every signed-in handler.
pub fn signed_in(
    request: &Request,
    work: impl FnOnce(&Db, &Authenticated) -> ApiResult,
) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, request)?;
    let response = work(&db, &auth)?;
    Ok(auth.finish(response))
}
