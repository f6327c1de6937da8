//! Hostile input: another user's ids on every endpoint that takes one (read
//! from the OpenAPI document, so a new endpoint joins the matrix by itself),
//! SQL metacharacters and Unicode edge cases in every text field, oversized
//! bodies, deeply nested JSON, session fixation and credentials reused after
//! sign-out.

use std::time::{Duration, Instant};

use serde_json::json;
use taskspin_testkit::{
    Account, HostOptions, PASSWORD, PushService, TestApp, client, json as body,
};

/// Ann's things, for Bob to reach for.
struct Owned {
    task: i64,
    project: i64,
    section: i64,
    suggestion: i64,
    token_id: i64,
    token: String,
    conversation: String,
    push_subscription: i64,
    import: String,
}

async fn ann_owns(app: &TestApp, push: &PushService, ann: &Account) -> Owned {
    let project = body(
        ann.post_json("/api/projects", &json!({"name": "Ann's secret project"}))
            .await,
    )
    .await;
    let project = project["id"].as_i64().expect("a project");
    let section = body(
        ann.post_json(
            &format!("/api/projects/{project}/sections"),
            &json!({"name": "Ann's secret section"}),
        )
        .await,
    )
    .await;
    let task = ann
        .create_task(
            json!({"title": "Ann's secret", "due_date": "2020-01-01", "project_id": project}),
        )
        .await;
    assert!(app.db.run_agent().output().await.unwrap().status.success());
    let suggestion = ann.get("/api/suggestions").await["suggestions"][0]["id"]
        .as_i64()
        .expect("the pass suggested something");
    let created = body(
        ann.post_json("/api/auth/tokens", &json!({"name": "ann's"}))
            .await,
    )
    .await;
    let chat = body(
        ann.post_json("/api/chat", &json!({"message": "what's overdue?"}))
            .await,
    )
    .await;
    let mut subscription = push.subscribe().await;
    subscription["device"] = json!("Ann's phone");
    let subscribed = body(
        ann.post_json("/api/push/subscriptions", &subscription)
            .await,
    )
    .await;
    let import = body(
        ann.client
            .post(ann.url("/api/imports?name=Secret.csv"))
            .body("TYPE,CONTENT,PRIORITY,INDENT\ntask,Ann's secret import,4,1\n")
            .send()
            .await
            .unwrap(),
    )
    .await;
    // Her calendar feed exists: Bob's guesses must not find it.
    assert_eq!(ann.post("/api/calendar/feed").await.status(), 201);
    Owned {
        push_subscription: subscribed["id"].as_i64().expect("a subscription"),
        task: task["id"].as_i64().unwrap(),
        project,
        section: section["id"].as_i64().expect("a section"),
        suggestion,
        token_id: created["id"].as_i64().unwrap(),
        token: created["token"].as_str().unwrap().to_owned(),
        conversation: chat["conversation_id"].as_str().unwrap().to_owned(),
        import: import["id"].as_str().expect("an import").to_owned(),
    }
}

/// A body the operation would take from Ann, so that only the id decides.
fn valid_body(schema: &str) -> serde_json::Value {
    match schema.rsplit('/').next() {
        Some("ProjectPatch" | "NewSection") => json!({"name": "taken by bob"}),
        Some("Move" | "MoveTask") => json!({}),
        _ => json!({"title": "taken by bob"}),
    }
}

/// The path with Ann's id for its parameter; every templated path of the
/// document must be known here, so a new one fails until it is added.
fn with_anns_id(path: &str, owned: &Owned) -> String {
    if path.starts_with("/api/projects/{id}") {
        return path
            .replace("{id}", &owned.project.to_string())
            .replace("{section_id}", &owned.section.to_string());
    }
    let (id, template) = if path.starts_with("/api/tasks/{id}") {
        (owned.task.to_string(), "{id}")
    } else if path.starts_with("/api/suggestions/{id}") {
        (owned.suggestion.to_string(), "{id}")
    } else if path.starts_with("/api/auth/tokens/{id}") {
        (owned.token_id.to_string(), "{id}")
    } else if path.starts_with("/api/conversations/{conversation_id}") {
        (owned.conversation.clone(), "{conversation_id}")
    } else if path.starts_with("/api/push/subscriptions/{id}") {
        (owned.push_subscription.to_string(), "{id}")
    } else if path.starts_with("/api/imports/{import_id}") {
        (owned.import.clone(), "{import_id}")
    } else if path == "/api/calendar/feed/{file}" {
        // The feed's secret is its credential, whoever holds it (a calendar
        // app has no session): the id Bob can try is a guess.
        (format!("tsc_{}.ics", "B".repeat(43)), "{file}")
    } else {
        panic!("{path}: which of Ann's ids goes here? Add it to the matrix.");
    };
    path.replace(template, &id)
}

#[tokio::test]
async fn another_users_ids_answer_404_on_every_endpoint_and_change_nothing() {
    let push = PushService::start().await;
    let app = TestApp::spawn_with(HostOptions {
        env: push.spin_env(),
        ..HostOptions::default()
    })
    .await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let owned = ann_owns(&app, &push, &ann).await;
    let task_before = ann.get(&format!("/api/tasks/{}", owned.task)).await;
    let project_before = ann.get(&format!("/api/projects/{}", owned.project)).await;
    let sections_before = ann
        .get(&format!("/api/projects/{}/sections", owned.project))
        .await;

    let document = ann.get("/api/openapi.json").await;
    let mut tried = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let url = bob.url(&with_anns_id(path, &owned));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut request = bob.client.request(method.clone(), &url);
            if let Some(schema) =
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
            {
                request = request.json(&valid_body(schema));
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 404, "{method} {path} with Ann's id");
            let problem = body(response).await;
            assert!(
                !problem.to_string().contains("Ann's secret"),
                "{method} {path} leaks: {problem}"
            );
            tried.push(format!("{method} {path}"));
        }
    }
    assert!(tried.len() >= 10, "{tried:?}");
    for bulk in ["complete", "delete"] {
        let answer = body(
            bob.post_json(
                &format!("/api/tasks/bulk/{bulk}"),
                &json!({"ids": [owned.task]}),
            )
            .await,
        )
        .await;
        assert_eq!(answer["not_found"], json!([owned.task]), "bulk {bulk}");
    }

    // Ann's things are as they were.
    assert_eq!(
        ann.get(&format!("/api/imports/{}", owned.import)).await["status"],
        "previewed"
    );
    assert_eq!(
        ann.get(&format!("/api/tasks/{}", owned.task)).await,
        task_before
    );
    assert_eq!(
        ann.get(&format!("/api/projects/{}", owned.project)).await,
        project_before
    );
    assert_eq!(
        ann.get(&format!("/api/projects/{}/sections", owned.project))
            .await,
        sections_before
    );
    assert_eq!(
        ann.get("/api/suggestions").await["suggestions"][0]["id"],
        owned.suggestion
    );
    let by_token = client()
        .get(app.url("/api/auth/me"))
        .bearer_auth(&owned.token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), 200);
    let conversation = ann
        .get(&format!("/api/conversations/{}", owned.conversation))
        .await;
    assert_eq!(conversation["messages"].as_array().map(Vec::len), Some(2));
    let devices = ann.get("/api/push/subscriptions").await;
    assert_eq!(devices["subscriptions"][0]["id"], owned.push_subscription);
    assert_eq!(ann.get("/api/calendar/feed").await["active"], true);
}

/// Each instance's stack is 256 KiB (`.cargo/config.toml`), and decoding
/// JSON into a tree (as `/mcp` does) takes a stack frame per level: JSON
/// nested as deep as the decoder allows, and far deeper, must be answered
/// with an error on every operation that takes a body, never trap the
/// instance.
#[tokio::test]
async fn deeply_nested_json_is_decoded_or_refused_on_every_endpoint() {
    let push = PushService::start().await;
    let app = TestApp::spawn_with(HostOptions {
        env: push.spin_env(),
        ..HostOptions::default()
    })
    .await;
    let ann = Account::new(&app, "ann@example.org").await;
    let owned = ann_owns(&app, &push, &ann).await;
    // serde_json stops at 128 levels.
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));

    let document = ann.get("/api/openapi.json").await;
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("requestBody").is_some() {
                let url = ann.url(&if path.contains('{') {
                    with_anns_id(path, &owned)
                } else {
                    path.clone()
                });
                operations.push((method.to_uppercase(), url));
            }
        }
    }
    assert!(operations.len() >= 10, "{operations:?}");
    let send = |method: &str, url: &str, body: String| {
        ann.client
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
            .bearer_auth(&owned.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (method, url) in &operations {
        for depth in [127, 100_000] {
            let status = send(method, url, nested(depth)).await.unwrap().status();
            assert!(
                status.is_client_error(),
                "{method} {url}, nested {depth} deep: {status}"
            );
        }
    }
    // MCP reads any JSON-RPC message into a tree before looking at it; the
    // tree may arrive as a batch or inside a tool's arguments.
    for depth in [126, 100_000] {
        let call = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"list_tasks","arguments":{{"q":{}}}}}}}"#,
            nested(depth - 4)
        );
        for body in [nested(depth), call] {
            let response = send("POST", &app.url("/mcp"), body).await.unwrap();
            let status = response.status();
            let answer = response.text().await.unwrap();
            assert!(
                !status.is_server_error() && answer.contains("\"error\""),
                "/mcp, nested {depth} deep: {status} {answer}"
            );
        }
    }
    assert_eq!(ann.me().await["email"], "ann@example.org");
}

const NASTY: &[&str] = &[
    "'; DROP TABLE tasks; --",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    "100% _done_ \\ back\\slash \\\\",
    "$1 $$ dollar $tag$ ::text E'\\x00'",
    "emoji 👩‍👩‍👧‍👦 and 🏳️‍🌈",
    "RTL مرحبا بالعالم \u{202E}reversed",
    "combining e\u{301} vs \u{e9}",
    "zero\u{200B}width\u{200D}joiner\u{FEFF}",
    "CJK 漢字かなカナ한국어",
    "<script>alert(1)</script> &amp;",
    "line\nbreak\ttab",
    "quotes \" ' ` and {braces} [brackets] (parens)",
    "max code point \u{10FFFF}",
];

const NASTY_TAGS: &[&str] = &[
    "c++",
    "ünïcödé",
    "日本",
    "a'b",
    "%_",
    "$1",
    "--",
    "👩‍💻",
    "x;drop",
];

#[tokio::test]
async fn metacharacters_and_unicode_round_trip_unchanged_in_every_text_field() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    for text in NASTY {
        let task = ann
            .create_task(json!({"title": text, "description": text, "tags": NASTY_TAGS}))
            .await;
        let read = ann.get(&format!("/api/tasks/{}", task["id"])).await;
        assert_eq!(read["title"], *text);
        assert_eq!(read["description"], *text);
        assert_eq!(read["tags"], json!(NASTY_TAGS));

        let url = reqwest::Url::parse_with_params(
            &ann.url("/api/tasks"),
            &[("q", *text), ("status", "all")],
        )
        .unwrap();
        let searched = ann.client.get(url).send().await.unwrap();
        assert_eq!(searched.status(), 200, "search for {text:?}");

        let me = ann
            .client
            .patch(ann.url("/api/auth/me"))
            .json(&json!({"display_name": text}))
            .send()
            .await
            .unwrap();
        // Names are one line: control characters are refused by name, the rest kept.
        let one_line = !text.chars().any(char::is_control);
        if one_line {
            assert_eq!(me.status(), 200, "{text:?}");
            assert_eq!(ann.me().await["display_name"], *text);
        } else {
            assert_eq!(me.status(), 422, "{text:?}");
        }

        let token = ann
            .post_json("/api/auth/tokens", &json!({"name": text}))
            .await;
        if one_line {
            assert_eq!(body(token).await["name"], *text, "token name");
        } else {
            assert_eq!(token.status(), 422, "{text:?}");
        }

        let chat = ann
            .post_json(
                "/api/chat",
                &json!({"message": format!("search for {text}")}),
            )
            .await;
        assert_eq!(chat.status(), 200, "chat {text:?}");
        let conversation = body(chat).await["conversation_id"].clone();
        let stored = ann
            .get(&format!(
                "/api/conversations/{}",
                conversation.as_str().unwrap()
            ))
            .await;
        assert_eq!(
            stored["messages"][0]["content"],
            format!("search for {text}")
        );
    }
    // The tables are all still there.
    assert_eq!(
        ann.list_tasks("status=all&limit=200").await["tasks"]
            .as_array()
            .unwrap()
            .len(),
        NASTY.len()
    );
}

#[tokio::test]
async fn oversized_input_is_refused_early() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;

    let tags: Vec<String> = (0..10_000).map(|n| format!("tag{n}")).collect();
    let many = ann
        .post_json("/api/tasks", &json!({"title": "tagged", "tags": tags}))
        .await;
    assert_eq!(many.status(), 422);

    // 100 MB announced: refused before it is read.
    let huge = vec![b'a'; 100 << 20];
    let started = Instant::now();
    let response = ann
        .client
        .post(ann.url("/api/tasks"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await;
    let took = started.elapsed();
    // The server may answer and close before the client finished sending.
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    println!("100 MB body refused in {took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        ann.list_tasks("status=all").await["tasks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // And the app goes on.
    assert_eq!(ann.me().await["email"], "ann@example.org");
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("taskspin_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

async fn me_with_cookie(app: &TestApp, cookie: &str) -> u16 {
    reqwest::Client::new()
        .get(app.url("/api/auth/me"))
        .header("cookie", format!("taskspin_session={cookie}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn no_session_fixation_and_no_credential_outlives_sign_out() {
    let app = TestApp::spawn().await;
    let _ann = Account::new(&app, "ann@example.org").await;

    // A session id planted before sign-in is not adopted.
    let planted = "planted-by-an-attacker";
    let signed_in = reqwest::Client::new()
        .post(app.url("/api/auth/signin"))
        .header("cookie", format!("taskspin_session={planted}"))
        .json(&json!({"email": "ann@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let issued = session_cookie(&signed_in).expect("a new session cookie");
    assert_ne!(issued, planted);
    assert_eq!(me_with_cookie(&app, planted).await, 401);
    assert_eq!(me_with_cookie(&app, &issued).await, 200);

    // Signing out ends that session for good, whoever kept a copy.
    let signed_out = reqwest::Client::new()
        .post(app.url("/api/auth/signout"))
        .header("cookie", format!("taskspin_session={issued}"))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    assert_eq!(me_with_cookie(&app, &issued).await, 401);

    // A revoked personal access token is refused at once.
    let bob = Account::new(&app, "bob@example.org").await;
    let created = body(
        bob.post_json("/api/auth/tokens", &json!({"name": "ci"}))
            .await,
    )
    .await;
    let token = created["token"].as_str().unwrap();
    let with_token = |token: String| {
        let url = app.url("/api/auth/me");
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(with_token(token.to_owned()).await, 200);
    let revoked = bob
        .client
        .delete(bob.url(&format!("/api/auth/tokens/{}", created["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(with_token(token.to_owned()).await, 401);
}
