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

pub fn unauthorized() -> taskspin_http::ApiError {
    Problem::new(
        401,
        "Sign in, or send a personal access token as `Authorization: Bearer`.",
    )
    .with_header("www-authenticate", "Bearer")
    .into()
}

/// The credential a request presents, not yet checked against the database.
#[derive(Debug, Clone)]
pub enum Presented {
    Token { hash: String },
    Session { token: String, hash: String },
}

impl Presented {
    /// The request's bearer token or session cookie: 401 without either, 403
    /// for a cross-site state change with a cookie.
    pub fn from_request(request: &Request) -> ApiResult<Self> {
        if let Some(authorization) = request.header("authorization") {
            let token = authorization
                .as_str()
                .and_then(|value| value.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|token| token.starts_with(tokens::PREFIX))
                .ok_or_else(unauthorized)?;
            return Ok(Presented::Token {
                hash: secret::hash(token),
            });
        }
        let token = request
            .header("cookie")
            .and_then(|value| value.as_str())
            .and_then(sessions::token_from_cookie_header)
            .ok_or_else(unauthorized)?;
        if csrf::is_state_changing(request) && !csrf::from_own_origin(request) {
            return Err(Problem::new(403, "Cross-site requests may not change anything.").into());
        }
        Ok(Presented::Session {
            hash: secret::hash(token),
            token: token.to_owned(),
        })
    }
}

/// Whom a statement acts for, as a `WITH` query named `me` that yields at
/// most one row: `user_id`, `time_zone`, `token_id` (the personal access
/// token's id, else null) and `renew` (the credential is due for renewal).
/// Its one parameter is `$1`. An endpoint that puts `me` in front of its own
/// statement authenticates and does its work in one statement.
#[derive(Debug, Clone)]
pub enum Me {
    /// A user already known, such as the one the assistant acts for.
    User(String),
    Presented(Presented),
}

impl Me {
    pub fn from_request(request: &Request) -> ApiResult<Self> {
        Presented::from_request(request).map(Me::Presented)
    }

    pub fn cte(&self) -> String {
        match self {
            Me::User(_) => "me AS (SELECT u.id AS user_id, u.time_zone, NULL::bigint AS token_id, false AS renew
                 FROM users u WHERE u.id = $1)"
                .to_owned(),
            // Last use is shown in the token list; an hour's precision is enough.
            Me::Presented(Presented::Token { .. }) => "me AS (SELECT t.user_id, u.time_zone, t.id AS token_id,
                        (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 hour') AS renew
                 FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1)"
                .to_owned(),
            // Sliding expiry, written at most once a day rather than on every request.
            Me::Presented(Presented::Session { .. }) => format!(
                "me AS (SELECT s.user_id, u.time_zone, NULL::bigint AS token_id,
                        s.expires_at < now() + interval '{} days' AS renew
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > now())",
                sessions::LIFETIME_DAYS - 1
            ),
        }
    }

    /// `me`'s parameter, `$1`.
    pub fn key(&self) -> ParameterValue {
        match self {
            Me::User(id) => ParameterValue::Uuid(id.clone()),
            Me::Presented(Presented::Token { hash } | Presented::Session { hash, .. }) => {
                ParameterValue::Str(hash.clone())
            }
        }
    }

    /// Renews the credential when `me` found it due, and sends the refreshed
    /// session cookie back on `response`.
    pub fn finish(
        &self,
        db: &Db,
        due: bool,
        mut response: Response,
    ) -> taskspin_db::Result<Response> {
        if let Some(cookie) = self.renew(db, due)? {
            response.set_header("set-cookie", cookie);
        }
        Ok(response)
    }

    /// Renews the credential when `me` found it due; returns the refreshed
    /// session cookie to send back, if any.
    fn renew(&self, db: &Db, due: bool) -> taskspin_db::Result<Option<String>> {
        match self {
            _ if !due => Ok(None),
            Me::User(_) => Ok(None),
            Me::Presented(Presented::Token { hash }) => {
                db.execute(
                    "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1",
                    &[ParameterValue::Str(hash.clone())],
                )?;
                Ok(None)
            }
            Me::Presented(Presented::Session { token, hash }) => {
                sessions::extend(db, hash)?;
                Ok(Some(sessions::cookie(token)))
            }
        }
    }
}

/// The user behind the request's bearer token or session cookie; 401
/// without valid credentials, 403 for a cross-site state change.
pub fn authenticate(db: &Db, request: &Request) -> ApiResult<Authenticated> {
    let presented = Presented::from_request(request)?;
    let me = Me::Presented(presented.clone());
    let rows = db.query(
        &format!(
            "WITH {} SELECT me.renew, me.token_id, {USER_COLUMNS} FROM me JOIN users u ON u.id = me.user_id",
            me.cte()
        ),
        &[me.key()],
    )?;
    let row = rows.first().ok_or_else(unauthorized)?;
    let credential = match presented {
        Presented::Token { .. } => Credential::Token {
            id: row.get("token_id")?,
        },
        Presented::Session { hash, .. } => Credential::Session { token_hash: hash },
    };
    Ok(Authenticated {
        user: User::from_row(&row)?,
        credential,
        set_cookie: me.renew(db, row.get("renew")?)?,
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
