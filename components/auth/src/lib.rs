//! `/api/auth/...`: accounts, sessions and personal access tokens.

use spin_sdk::http::{Params, Request, Response};
use spin_sdk::http_component;
use taskspin_accounts::requests::{
    ChangePassword, ConfirmPassword, CreatedToken, NewToken, SignIn, SignUp, TokenList, UpdateMe,
};
use taskspin_accounts::{
    USER_COLUMNS, User, authenticate, csrf, password, sessions, throttle, tokens,
};
use taskspin_db::{Db, ParameterValue};
use taskspin_domain::{Errors, account};
use taskspin_http::{ApiError, ApiResult, Problem, Routes, json, json_body};

#[http_component]
fn handle(request: taskspin_http::Incoming) -> Response {
    taskspin_http::serve("auth", request, |request| {
        let mut router = Routes::new();
        router.post("/api/auth/signup", sign_up);
        router.post("/api/auth/signin", sign_in);
        router.post("/api/auth/signout", sign_out);
        router.get("/api/auth/me", me);
        router.patch("/api/auth/me", update_me);
        router.delete("/api/auth/me", delete_account);
        router.post("/api/auth/password", change_password);
        router.get("/api/auth/tokens", list_tokens);
        router.post("/api/auth/tokens", create_token);
        router.delete("/api/auth/tokens/:id", revoke_token);
        router.handle(request)
    })
}

fn with_cookie(mut response: Response, cookie: String) -> Response {
    response.set_header("set-cookie", cookie);
    response
}

fn no_content() -> Response {
    Response::new(204, ())
}

/// Sign-up and sign-in set a cookie, so they get the same origin check as
/// any other cookie-carrying state change (no login CSRF).
fn require_own_origin(request: &Request) -> ApiResult<()> {
    if csrf::from_own_origin(request) {
        Ok(())
    } else {
        Err(Problem::new(403, "Cross-site requests may not sign in.").into())
    }
}

fn sign_up(request: Request, _: Params) -> ApiResult {
    require_own_origin(&request)?;
    let body: SignUp = json_body(&request)?;
    let mut errors = Errors::default();
    let email = errors.check("email", account::email(&body.email));
    errors.check("password", account::password(&body.password).map(|_| ()));
    let display_name = errors.check("display_name", account::name(&body.display_name));
    let time_zone = errors.check("time_zone", account::time_zone(&body.time_zone));
    let (email, display_name, time_zone) = errors.finish(
        email
            .zip(display_name)
            .zip(time_zone)
            .map(|((e, n), t)| (e, n, t)),
    )?;
    let password_hash = password::hash(&body.password).map_err(ApiError::internal)?;

    let db = Db::connect()?;
    let created = db.transaction(|db| {
        let rows = db.query(
            &format!(
                "INSERT INTO users AS u (email, display_name, password_hash, time_zone)
                 VALUES ($1, $2, $3, $4) RETURNING {USER_COLUMNS}"
            ),
            &[
                ParameterValue::Str(email),
                ParameterValue::Str(display_name),
                ParameterValue::Str(password_hash),
                ParameterValue::Str(time_zone.name().to_owned()),
            ],
        );
        let rows = match rows {
            Err(error) if error.sqlstate() == Some("23505") => {
                return Err(Problem::new(409, "An account with this email already exists.").into());
            }
            other => other?,
        };
        let user = rows
            .first()
            .map(|row| User::from_row(&row))
            .transpose()?
            .ok_or_else(no_row)?;
        let cookie = sessions::create(db, &user.id)?;
        Ok::<_, ApiError>((user, cookie))
    })?;
    let (user, cookie) = created;
    Ok(with_cookie(json(201, &user)?, cookie))
}

fn sign_in(request: Request, _: Params) -> ApiResult {
    require_own_origin(&request)?;
    let body: SignIn = json_body(&request)?;
    let key = account::email_key(&body.email);
    let db = Db::connect()?;
    if let Some(wait) = throttle::retry_after(&db, &key)? {
        return Err(
            Problem::new(429, "Too many failed sign-ins; try again later.")
                .with_header("retry-after", wait.to_string())
                .into(),
        );
    }
    let rows = db.query(
        &format!("SELECT u.password_hash, {USER_COLUMNS} FROM users u WHERE lower(u.email) = $1"),
        &[ParameterValue::Str(key.clone())],
    )?;
    let user = match rows.first() {
        Some(row) if password::verify(&body.password, &row.get::<String>("password_hash")?) => {
            User::from_row(&row)?
        }
        found => {
            if found.is_none() {
                password::verify_nobody(&body.password);
            }
            throttle::record_failure(&db, &key)?;
            // One answer for an unknown email and a wrong password alike.
            return Err(Problem::new(401, "The email or the password is incorrect.").into());
        }
    };
    throttle::clear(&db, &key)?;
    let cookie = sessions::create(&db, &user.id)?;
    Ok(with_cookie(json(200, &user)?, cookie))
}

fn sign_out(request: Request, _: Params) -> ApiResult {
    if !csrf::from_own_origin(&request) {
        return Err(Problem::new(403, "Cross-site requests may not sign out.").into());
    }
    let token = request
        .header("cookie")
        .and_then(|v| v.as_str())
        .and_then(sessions::token_from_cookie_header);
    if let Some(token) = token {
        sessions::revoke(&Db::connect()?, &taskspin_accounts::secret::hash(token))?;
    }
    Ok(with_cookie(no_content(), sessions::clear_cookie()))
}

fn me(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    Ok(auth.finish(json(200, &auth.user)?))
}

/// The account's settings: display name, time zone and week start.
fn update_me(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let body: UpdateMe = json_body(&request)?;
    let mut errors = Errors::default();
    let display_name = body
        .display_name
        .and_then(|v| errors.check("display_name", account::name(&v)));
    let time_zone = body
        .time_zone
        .and_then(|v| errors.check("time_zone", account::time_zone(&v)));
    let week_start = body.week_start.and_then(|v| {
        errors
            .check("week_start", account::week_start(v))
            .map(|_| v)
    });
    errors.finish(Some(()))?;
    let rows = db.query(
        &format!(
            "UPDATE users AS u SET display_name = COALESCE($2, display_name), time_zone = COALESCE($3, time_zone),
                    week_start = COALESCE($4, week_start), updated_at = now()
             WHERE u.id = $1 RETURNING {USER_COLUMNS}"
        ),
        &[
            ParameterValue::Uuid(auth.user.id.clone()),
            display_name.map_or(ParameterValue::DbNull, ParameterValue::Str),
            time_zone.map_or(ParameterValue::DbNull, |tz| ParameterValue::Str(tz.name().to_owned())),
            week_start.map_or(ParameterValue::DbNull, ParameterValue::Int16),
        ],
    )?;
    let user = rows
        .first()
        .map(|row| User::from_row(&row))
        .transpose()?
        .ok_or_else(no_row)?;
    Ok(auth.finish(json(200, &user)?))
}

/// Deletes the account and, through the foreign keys, every row of it.
fn delete_account(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let body: ConfirmPassword = json_body(&request)?;
    check_password(&db, &auth.user.id, &body.password, "password")?;
    db.transaction(|db| {
        db.execute(
            "DELETE FROM users WHERE id = $1",
            &[ParameterValue::Uuid(auth.user.id.clone())],
        )?;
        throttle::clear(db, &account::email_key(&auth.user.email))
    })?;
    Ok(with_cookie(no_content(), sessions::clear_cookie()))
}

fn check_password(db: &Db, user_id: &str, given: &str, field: &str) -> ApiResult<()> {
    let rows = db.query(
        "SELECT password_hash FROM users WHERE id = $1",
        &[ParameterValue::Uuid(user_id.to_owned())],
    )?;
    let stored: String = rows.first().ok_or_else(no_row)?.get("password_hash")?;
    if password::verify(given, &stored) {
        Ok(())
    } else {
        let mut errors = Errors::default();
        errors.add(field, "is incorrect");
        Ok(errors.finish(Some(()))?)
    }
}

/// Signs out every session, then signs this client in again.
fn change_password(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let body: ChangePassword = json_body(&request)?;
    let mut errors = Errors::default();
    errors.check(
        "new_password",
        account::password(&body.new_password).map(|_| ()),
    );
    errors.finish(Some(()))?;
    check_password(
        &db,
        &auth.user.id,
        &body.current_password,
        "current_password",
    )?;
    let new_hash = password::hash(&body.new_password).map_err(ApiError::internal)?;
    let cookie = db.transaction(|db| {
        db.execute(
            "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
            &[
                ParameterValue::Uuid(auth.user.id.clone()),
                ParameterValue::Str(new_hash),
            ],
        )?;
        sessions::revoke_all(db, &auth.user.id)?;
        sessions::create(db, &auth.user.id)
    })?;
    Ok(with_cookie(no_content(), cookie))
}

fn list_tokens(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let tokens = tokens::list(&db, &auth.user.id)?;
    Ok(auth.finish(json(200, &TokenList { tokens })?))
}

fn create_token(request: Request, _: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let body: NewToken = json_body(&request)?;
    let mut errors = Errors::default();
    let name = errors.check("name", account::name(&body.name));
    let name = errors.finish(name)?;
    let (info, token) = tokens::create(&db, &auth.user.id, &name)?;
    Ok(auth.finish(json(201, &CreatedToken { info, token })?))
}

fn revoke_token(request: Request, params: Params) -> ApiResult {
    let db = Db::connect()?;
    let auth = authenticate(&db, &request)?;
    let not_found = || Problem::new(404, "No such token.");
    let id: i64 = params
        .get("id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(not_found)?;
    if !tokens::revoke(&db, &auth.user.id, id)? {
        return Err(not_found().into());
    }
    Ok(auth.finish(no_content()))
}

fn no_row() -> taskspin_db::Error {
    taskspin_db::Error::Decode {
        column: "*".into(),
        message: "the statement returned no row".into(),
    }
}
