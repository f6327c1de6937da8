//! Accounts, sessions and tokens through the host against real PostgreSQL.

use reqwest::StatusCode;
use serde_json::json;
use taskspin_testkit::{PASSWORD, TestApp, client, json as body, problem_fields as fields};

#[tokio::test]
async fn sign_up_starts_a_session_with_a_safe_cookie() {
    let app = TestApp::spawn().await;
    let client = client();
    let response = client
        .post(app.url("/api/auth/signup"))
        .json(&json!({"email": "Ann@Example.org", "password": PASSWORD, "display_name": "Ann", "time_zone": "Europe/Berlin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in [
        "taskspin_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "cookie_secure=false in tests: {cookie}"
    );
    let user = body(response).await;
    assert_eq!(user["email"], "Ann@Example.org");
    assert!(user.get("password_hash").is_none());

    let me = body(client.get(app.url("/api/auth/me")).send().await.unwrap()).await;
    assert_eq!(me["id"], user["id"]);
    assert_eq!(me["time_zone"], "Europe/Berlin");
    let stored: String = app
        .db
        .connect()
        .await
        .query_one("SELECT password_hash FROM users", &[])
        .await
        .unwrap()
        .get(0);
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    let sessions: i64 = app
        .db
        .connect()
        .await
        .query_one("SELECT count(*) FROM sessions", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn sign_up_names_every_bad_field() {
    let app = TestApp::spawn().await;
    let response = client()
        .post(app.url("/api/auth/signup"))
        .json(&json!({"email": "nope", "password": "short", "display_name": " ", "time_zone": "Mars/Base"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(
        fields(&body(response).await),
        ["email", "password", "display_name", "time_zone"]
    );
    let users: i64 = app
        .db
        .connect()
        .await
        .query_one("SELECT count(*) FROM users", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(users, 0);
}

#[tokio::test]
async fn bodies_that_are_not_the_expected_json_are_client_errors() {
    let app = TestApp::spawn().await;
    let post = |body: &'static str| {
        client()
            .post(app.url("/api/auth/signup"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(post("{not json").await.unwrap().status(), 400);
    let unknown =
        post(r#"{"email":"a@b.co","password":"12345678","display_name":"A","admin":true}"#)
            .await
            .unwrap();
    assert_eq!(unknown.status(), 422);
    assert!(
        body(unknown).await["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("admin")
    );
    let wrong_type = post(r#"{"email":"a@b.co","password":12345678,"display_name":"A"}"#)
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 422);
    assert_eq!(fields(&body(wrong_type).await), ["password"]);
    let too_large = client()
        .post(app.url("/api/auth/signup"))
        .body(vec![b' '; (1 << 20) + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_email_has_one_account_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.sign_up("bob@example.org").await;
    let again = client()
        .post(app.url("/api/auth/signup"))
        .json(&json!({"email": "BOB@example.org", "password": PASSWORD, "display_name": "Bob"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/signin"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_failures_reveal_nothing_and_are_throttled() {
    let app = TestApp::spawn().await;
    app.sign_up("cid@example.org").await;
    let fresh = client();
    let wrong_password = sign_in(&app, &fresh, "cid@example.org", "wrong password").await;
    assert_eq!(wrong_password.status(), 401);
    let unknown = sign_in(&app, &fresh, "nobody@example.org", "wrong password").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        body(wrong_password).await["detail"],
        body(unknown).await["detail"]
    );

    for _ in 0..4 {
        assert_eq!(
            sign_in(&app, &fresh, "cid@example.org", "wrong password")
                .await
                .status(),
            401
        );
    }
    let throttled = sign_in(&app, &fresh, "cid@example.org", PASSWORD).await;
    assert_eq!(throttled.status(), 429, "even the right password waits");
    let wait: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    for _ in 0..5 {
        sign_in(&app, &fresh, "nobody@example.org", "x").await;
    }
    assert_eq!(
        sign_in(&app, &fresh, "nobody@example.org", "x")
            .await
            .status(),
        429,
        "unknown emails alike"
    );
    let other = sign_in(&app, &client(), "CID@example.org", PASSWORD).await;
    assert_eq!(other.status(), 429, "the email's case does not matter");
}

#[tokio::test]
async fn sign_out_revokes_the_session() {
    let app = TestApp::spawn().await;
    let client = app.sign_up("dee@example.org").await;
    let response = client.get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // Keep the token to replay it after signing out.
    let raw = reqwest::Client::new();
    let signed_in = sign_in(&app, &raw, "dee@example.org", PASSWORD).await;
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let out = raw
        .post(app.url("/api/auth/signout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let replay = raw
        .get(app.url("/api/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401, "a signed-out token is dead");
    assert_eq!(
        client
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "other sessions live on"
    );
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    let app = TestApp::spawn().await;
    let first = app.sign_up("eve@example.org").await;
    let second = client();
    assert_eq!(
        sign_in(&app, &second, "eve@example.org", PASSWORD)
            .await
            .status(),
        200
    );

    let wrong = first
        .post(app.url("/api/auth/password"))
        .json(&json!({"current_password": "not it at all", "new_password": "a new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let changed = first
        .post(app.url("/api/auth/password"))
        .json(&json!({"current_password": PASSWORD, "new_password": "a new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    assert_eq!(
        second
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        first
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        sign_in(&app, &client(), "eve@example.org", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        sign_in(&app, &client(), "eve@example.org", "a new passphrase")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn settings_change_time_zone_and_week_start() {
    let app = TestApp::spawn().await;
    let client = app.sign_up("fay@example.org").await;
    let updated = client
        .patch(app.url("/api/auth/me"))
        .json(&json!({"time_zone": "America/New_York", "week_start": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), 200);
    let user = body(updated).await;
    assert_eq!(
        (user["time_zone"].as_str(), user["week_start"].as_i64()),
        (Some("America/New_York"), Some(0))
    );
    let bad = client
        .patch(app.url("/api/auth/me"))
        .json(&json!({"week_start": 9}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn personal_access_tokens_work_until_revoked() {
    let app = TestApp::spawn().await;
    let client = app.sign_up("gus@example.org").await;
    let created = client
        .post(app.url("/api/auth/tokens"))
        .json(&json!({"name": "cli"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created = body(created).await;
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("tsp_"));

    let listed = body(
        client
            .get(app.url("/api/auth/tokens"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["tokens"].as_array().unwrap().len(), 1);
    assert!(listed["tokens"][0].get("token").is_none(), "shown once");
    assert!(token.starts_with(listed["tokens"][0]["prefix"].as_str().unwrap()));

    let bearer = reqwest::Client::new();
    let me = bearer
        .get(app.url("/api/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let revoked = client
        .delete(app.url(&format!("/api/auth/tokens/{}", created["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        bearer
            .get(app.url("/api/auth/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let again = client
        .delete(app.url(&format!("/api/auth/tokens/{}", created["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn requests_without_credentials_get_401() {
    let app = TestApp::spawn().await;
    for path in ["/api/auth/me", "/api/auth/tokens", "/api/tasks"] {
        let response = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let forged = client()
        .get(app.url("/api/auth/me"))
        .header("cookie", "taskspin_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    let bad_bearer = client()
        .get(app.url("/api/auth/me"))
        .bearer_auth("tsp_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_bearer.status(), 401);
}

#[tokio::test]
async fn cookie_requests_from_other_sites_cannot_change_anything() {
    let app = TestApp::spawn().await;
    let client = app.sign_up("hal@example.org").await;
    let task = json!({"title": "x"});
    let cross_origin = client
        .post(app.url("/api/tasks"))
        .header("origin", "http://evil.example")
        .json(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_origin.status(), 403);
    let cross_site = client
        .post(app.url("/api/tasks"))
        .header("sec-fetch-site", "cross-site")
        .json(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let same_origin = client
        .post(app.url("/api/tasks"))
        .header("origin", format!("http://{}", app.host.address))
        .json(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 201);
    let read = client
        .get(app.url("/api/tasks"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200, "reads are not state changes");
}

#[tokio::test]
async fn deleting_the_account_removes_every_row_of_it() {
    let app = TestApp::spawn().await;
    let keeper = app.sign_up("ivy@example.org").await;
    keeper
        .post(app.url("/api/tasks"))
        .json(&json!({"title": "stays"}))
        .send()
        .await
        .unwrap();
    let leaver = app.sign_up("jay@example.org").await;
    // An overdue task, so the agents suggest (and link) something, and a conversation.
    leaver
        .post(app.url("/api/tasks"))
        .json(&json!({"title": "goes", "due_date": "2020-01-01"}))
        .send()
        .await
        .unwrap();
    assert!(app.db.run_agent().output().await.unwrap().status.success());
    let linked: i64 = app
        .db
        .connect()
        .await
        .query_one("SELECT count(*) FROM suggestion_tasks", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        linked, 1,
        "the pass suggested something to delete with the account"
    );
    leaver
        .post(app.url("/api/chat"))
        .json(&json!({"message": "what's overdue?"}))
        .send()
        .await
        .unwrap();
    leaver
        .post(app.url("/api/auth/tokens"))
        .json(&json!({"name": "t"}))
        .send()
        .await
        .unwrap();

    let refused = leaver
        .delete(app.url("/api/auth/me"))
        .json(&json!({"password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let deleted = leaver
        .delete(app.url("/api/auth/me"))
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let db = app.db.connect().await;
    for (table, expected) in [
        ("users", 1),
        ("tasks", 1),
        ("sessions", 1),
        ("api_tokens", 0),
        ("suggestions", 0),
        ("suggestion_tasks", 0),
        ("conversations", 0),
        ("conversation_messages", 0),
    ] {
        let count: i64 = db
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(count, expected, "{table}");
    }
    assert_eq!(
        leaver
            .get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
