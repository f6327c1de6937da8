//! The tasks API through the host against real PostgreSQL.

use serde_json::{Value, json};
use taskspin_testkit::clock::{self, date};
use taskspin_testkit::{Account, TestApp, json as body, problem_fields as fields};

#[tokio::test]
async fn create_read_update_delete() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let due_date = date(3);
    let response = ann
        .client
        .post(ann.url("/api/tasks"))
        .json(&json!({"title": "  Buy milk ", "priority": "high", "tags": ["Home", "#errands", "home"], "due_date": due_date}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let id = response.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let task = body(response).await;
    assert_eq!(task["title"], "Buy milk");
    assert_eq!(task["tags"], json!(["home", "errands"]));
    assert_eq!(
        (task["due_date"].as_str(), task["due_at"].as_str()),
        (Some(due_date.as_str()), None)
    );
    assert_eq!(task["completed"], false);

    let read = ann
        .client
        .get(ann.url(&format!("/api/tasks/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(body(read).await, task);

    let patched = ann
        .client
        .patch(ann.url(&format!("/api/tasks/{id}")))
        .header("if-match", "\"1\"")
        .json(&json!({"description": "2 litres", "due_at": format!("{due_date}T17:00:00+01:00")}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    assert_eq!(patched.headers()["etag"], "\"2\"");
    let patched = body(patched).await;
    assert_eq!(patched["title"], "Buy milk", "untouched fields stay");
    assert_eq!(patched["due_at"], format!("{due_date}T16:00:00.000Z"));
    assert_eq!(patched["due_date"], Value::Null, "due_at replaces due_date");

    let cleared = ann
        .client
        .patch(ann.url(&format!("/api/tasks/{id}")))
        .json(&json!({"due_at": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(body(cleared).await["due_at"], Value::Null);

    let deleted = ann
        .client
        .delete(ann.url(&format!("/api/tasks/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        ann.client
            .get(ann.url(&format!("/api/tasks/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn invalid_tasks_are_refused_with_every_field_named() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let tags: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let cases = [
        (json!({"title": "   "}), vec!["title"]),
        (
            json!({"title": "x".repeat(201), "description": "y".repeat(10_001)}),
            vec!["title", "description"],
        ),
        (json!({"title": "ok", "tags": tags}), vec!["tags[20]"]),
        (
            json!({"title": "ok", "tags": ["fine", "has space", ""]}),
            vec!["tags[1]", "tags[2]"],
        ),
        (json!({"title": "ok", "due_at": "tomorrow"}), vec!["due_at"]),
        (
            json!({"title": "ok", "due_at": "2026-12-01T10:00:00Z", "due_date": "2026-12-01"}),
            vec!["due_date"],
        ),
        (
            json!({"title": "ok", "priority": "extreme"}),
            vec!["priority"],
        ),
        (json!({"title": 5}), vec!["title"]),
        (json!({"title": "ok", "owner": "someone"}), vec!["owner"]),
    ];
    for (task, expected) in cases {
        let response = ann
            .client
            .post(ann.url("/api/tasks"))
            .json(&task)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{task}");
        let problem = body(response).await;
        assert_eq!(fields(&problem), expected, "{problem}");
    }
    assert!(
        ann.list_tasks("status=all").await["tasks"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn another_users_tasks_are_indistinguishable_from_missing_ones() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    let task = ann.create_task(json!({"title": "Ann's secret"})).await;
    let id = task["id"].as_i64().unwrap();
    let missing = 999_999_999;
    for target in [id, missing] {
        let responses = [
            bob.client
                .get(bob.url(&format!("/api/tasks/{target}")))
                .send()
                .await
                .unwrap(),
            bob.client
                .patch(bob.url(&format!("/api/tasks/{target}")))
                .json(&json!({"title": "mine"}))
                .send()
                .await
                .unwrap(),
            bob.client
                .delete(bob.url(&format!("/api/tasks/{target}")))
                .send()
                .await
                .unwrap(),
            bob.client
                .post(bob.url(&format!("/api/tasks/{target}/complete")))
                .send()
                .await
                .unwrap(),
            bob.client
                .post(bob.url(&format!("/api/tasks/{target}/reopen")))
                .send()
                .await
                .unwrap(),
        ];
        for response in responses {
            assert_eq!(response.status(), 404);
            assert_eq!(body(response).await["detail"], "No such task.");
        }
    }
    let bulk = body(
        bob.client
            .post(bob.url("/api/tasks/bulk/delete"))
            .json(&json!({"ids": [id]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(bulk, json!({"deleted": [], "not_found": [id]}));
    assert!(
        bob.list_tasks("status=all").await["tasks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let still = ann
        .client
        .get(ann.url(&format!("/api/tasks/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(body(still).await["title"], "Ann's secret");
}

#[tokio::test]
async fn a_stale_if_match_changes_nothing() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let id = ann.create_task(json!({"title": "v1"})).await["id"]
        .as_i64()
        .unwrap();
    let url = ann.url(&format!("/api/tasks/{id}"));
    let edit = ann
        .client
        .patch(&url)
        .header("if-match", "\"1\"")
        .json(&json!({"title": "v2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);

    let stale = ann
        .client
        .patch(&url)
        .header("if-match", "\"1\"")
        .json(&json!({"title": "lost"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    assert_eq!(stale.headers()["etag"], "\"2\"");
    assert_eq!(
        body(stale).await["current"]["title"],
        "v2",
        "the newer version comes back"
    );
    for response in [
        ann.client
            .delete(&url)
            .header("if-match", "\"1\"")
            .send()
            .await
            .unwrap(),
        ann.client
            .post(format!("{url}/complete"))
            .header("if-match", "\"1\"")
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), 412);
    }
    let current = body(ann.client.get(&url).send().await.unwrap()).await;
    assert_eq!(
        (
            current["title"].as_str(),
            current["version"].as_i64(),
            current["completed"].as_bool()
        ),
        (Some("v2"), Some(2), Some(false))
    );
}

#[tokio::test]
async fn completing_a_recurring_task_twice_at_once_creates_one_next_occurrence() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann
        .create_task(json!({"title": "Water plants", "due_date": date(1), "recurrence": {"kind": "every", "interval": 3, "unit": "day"}}))
        .await;
    let url = ann.url(&format!("/api/tasks/{}/complete", task["id"]));
    let (first, second) = tokio::join!(ann.client.post(&url).send(), ann.client.post(&url).send());
    assert_eq!(first.unwrap().status(), 200);
    assert_eq!(second.unwrap().status(), 200);
    assert_eq!(
        ann.client.post(&url).send().await.unwrap().status(),
        200,
        "completing again is idempotent"
    );

    let pending = ann.list_tasks("status=pending").await;
    let pending = pending["tasks"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{pending:#?}");
    assert_eq!(pending[0]["title"], "Water plants");
    assert_eq!(pending[0]["due_date"], date(4));
    assert_eq!(
        ann.list_tasks("status=completed").await["tasks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Reopening and completing again must not create a second successor.
    let reopen = ann.url(&format!("/api/tasks/{}/reopen", task["id"]));
    assert_eq!(ann.client.post(&reopen).send().await.unwrap().status(), 200);
    assert_eq!(ann.client.post(&url).send().await.unwrap().status(), 200);
    assert_eq!(
        ann.list_tasks("status=pending").await["tasks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn listing_filters_sorts_and_pages() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    ann.create_task(
        json!({"title": "Alpha report", "priority": "low", "tags": ["work"], "due_date": date(5)}),
    )
    .await;
    let tomorrow = clock::instant(chrono::TimeDelta::days(1));
    ann.create_task(
        json!({"title": "Bravo milk", "priority": "urgent", "tags": ["home"], "due_at": tomorrow}),
    )
    .await;
    ann.create_task(
        json!({"title": "Charlie report draft", "priority": "high", "tags": ["work", "writing"]}),
    )
    .await;
    let overdue = ann
        .create_task(json!({"title": "Delta old bill", "due_at": clock::instant(chrono::TimeDelta::days(-400))}))
        .await;
    let done = ann
        .create_task(json!({"title": "Echo done", "due_date": date(3)}))
        .await;
    ann.client
        .post(ann.url(&format!("/api/tasks/{}/complete", done["id"])))
        .send()
        .await
        .unwrap();

    assert_eq!(
        ann.task_titles("").await,
        [
            "Delta old bill",
            "Bravo milk",
            "Alpha report",
            "Charlie report draft"
        ],
        "pending by due, undated last"
    );
    assert_eq!(ann.task_titles("status=completed").await, ["Echo done"]);
    assert_eq!(
        ann.task_titles("status=overdue").await,
        [overdue["title"].as_str().unwrap()]
    );
    assert_eq!(
        ann.task_titles("status=all&sort=title&order=desc")
            .await
            .first()
            .unwrap(),
        "Echo done"
    );
    assert_eq!(
        ann.task_titles("sort=priority").await,
        [
            "Bravo milk",
            "Charlie report draft",
            "Alpha report",
            "Delta old bill"
        ]
    );
    assert_eq!(
        ann.task_titles("priority=high,urgent&sort=title").await,
        ["Bravo milk", "Charlie report draft"]
    );
    assert_eq!(
        ann.task_titles("tag=WORK&sort=title").await,
        ["Alpha report", "Charlie report draft"]
    );
    assert_eq!(
        ann.task_titles("q=report&sort=title").await,
        ["Alpha report", "Charlie report draft"]
    );
    assert_eq!(
        ann.task_titles(&format!("due_before={}&due_after={}", date(2), date(-30)))
            .await,
        ["Bravo milk"]
    );

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("status=all&limit=2&cursor={c}"),
            None => "status=all&limit=2".to_owned(),
        };
        let page = ann.list_tasks(&query).await;
        seen.extend(
            page["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["title"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "Delta old bill",
            "Bravo milk",
            "Echo done",
            "Alpha report",
            "Charlie report draft"
        ]
    );

    let bad = ann
        .client
        .get(ann.url("/api/tasks?status=later&limit=0&sort=size"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(fields(&body(bad).await), ["status", "limit", "sort"]);
}

#[tokio::test]
async fn bulk_complete_and_delete() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let a = ann.create_task(json!({"title": "a"})).await["id"]
        .as_i64()
        .unwrap();
    let b = ann.create_task(json!({"title": "b"})).await["id"]
        .as_i64()
        .unwrap();
    let done = body(
        ann.client
            .post(ann.url("/api/tasks/bulk/complete"))
            .json(&json!({"ids": [a, b, 424242]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(done["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(done["not_found"], json!([424242]));
    let deleted = body(
        ann.client
            .post(ann.url("/api/tasks/bulk/delete"))
            .json(&json!({"ids": [a, b]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(deleted, json!({"deleted": [a, b], "not_found": []}));
    let empty = ann
        .client
        .post(ann.url("/api/tasks/bulk/delete"))
        .json(&json!({"ids": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn quick_add_parses_and_creates_while_parse_only_previews() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let preview = ann
        .client
        .post(ann.url("/api/tasks/parse"))
        .json(&json!({"text": "Pay rent every month on the 1st !high #home"}))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let preview = body(preview).await;
    assert_eq!(preview["title"], "Pay rent");
    assert_eq!(preview["priority"], "high");
    assert_eq!(preview["tags"], json!(["home"]));
    assert_eq!(
        preview["recurrence"],
        json!({"kind": "month_day", "day": 1, "interval": 1})
    );
    assert!(
        ann.list_tasks("status=all").await["tasks"]
            .as_array()
            .unwrap()
            .is_empty(),
        "parse creates nothing"
    );

    let created = ann
        .client
        .post(ann.url("/api/tasks/quick"))
        .json(&json!({"text": "Call mom tomorrow 6pm !high #family"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let task = body(created).await;
    assert_eq!(task["title"], "Call mom");
    assert_eq!(task["priority"], "high");
    assert_eq!(task["tags"], json!(["family"]));
    assert!(task["due_at"].as_str().unwrap().ends_with(":00.000Z"));

    let empty = ann
        .client
        .post(ann.url("/api/tasks/quick"))
        .json(&json!({"text": "  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn date_bounds_start_the_day_in_the_users_time_zone() {
    let app = TestApp::spawn().await;
    // Test accounts live in Europe/Berlin, where December starts at 23:00 UTC.
    // Fixed dates on purpose: the zone's edge is the point, and no bound here
    // is compared with the current time.
    let ann = Account::new(&app, "ann@example.org").await;
    ann.create_task(json!({"title": "Late on the 30th", "due_at": "2026-11-30T22:30:00Z"}))
        .await;
    ann.create_task(json!({"title": "Early on the 1st", "due_at": "2026-11-30T23:30:00Z"}))
        .await;
    assert_eq!(
        ann.task_titles("due_before=2026-12-01").await,
        ["Late on the 30th"]
    );
    assert_eq!(
        ann.task_titles("due_after=2026-12-01").await,
        ["Early on the 1st"]
    );
}

/// Authentication renews an aging session's cookie and records a token's
/// use, on the accounts and the tasks endpoints alike.
#[tokio::test]
async fn requests_renew_an_aging_session_and_record_a_tokens_use() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let token = ann.token("script").await;
    let db = app.db.connect().await;
    for path in ["/api/auth/me", "/api/tasks"] {
        db.execute(
            "UPDATE sessions SET expires_at = now() + interval '2 days'",
            &[],
        )
        .await
        .unwrap();
        let response = ann.client.get(ann.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.starts_with("taskspin_session="), "{path}: {cookie}");
        let renewed: bool = db
            .query_one(
                "SELECT bool_and(expires_at > now() + interval '29 days') FROM sessions",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(renewed, "{path}");
        let again = ann.client.get(ann.url(path)).send().await.unwrap();
        assert!(again.headers().get("set-cookie").is_none(), "{path}");

        db.execute("UPDATE api_tokens SET last_used_at = NULL", &[])
            .await
            .unwrap();
        let response = reqwest::Client::new()
            .get(ann.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let used: bool = db
            .query_one("SELECT last_used_at IS NOT NULL FROM api_tokens", &[])
            .await
            .unwrap()
            .get(0);
        assert!(used, "{path}");
    }
}

/// `If-Match` as RFC 9110 reads it: a list of entity tags compared strongly;
/// anything else is a 400 that changes nothing.
#[tokio::test]
async fn if_match_is_a_list_of_strong_entity_tags() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let id = ann.create_task(json!({"title": "v1"})).await["id"]
        .as_i64()
        .unwrap();
    let url = ann.url(&format!("/api/tasks/{id}"));
    let patch = |if_match: &'static str, title: &'static str| {
        ann.client
            .patch(&url)
            .header("if-match", if_match)
            .json(&json!({ "title": title }))
            .send()
    };
    for malformed in ["1", "\"1", "`T", "\"1\" \"2\"", "\"1\","] {
        let response = patch(malformed, "never").await.unwrap();
        assert_eq!(response.status(), 400, "{malformed}");
    }
    assert_eq!(patch("W/\"1\"", "weak").await.unwrap().status(), 412);
    assert_eq!(patch("\"abc\"", "foreign").await.unwrap().status(), 412);
    assert_eq!(patch("\"7\", \"1\"", "v2").await.unwrap().status(), 200);
    assert_eq!(patch("*", "v3").await.unwrap().status(), 200);
    let current = body(ann.client.get(&url).send().await.unwrap()).await;
    assert_eq!(
        (current["title"].as_str(), current["version"].as_i64()),
        (Some("v3"), Some(3))
    );
}

/// Shapes the API document allows: integers written as floats, a repeated
/// weekday; and ones it does not: a body that is an array, not an object.
#[tokio::test]
async fn bodies_are_read_as_the_document_describes_them() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann
        .create_task(json!({"title": "Gym", "recurrence": {"kind": "on_weekdays", "days": ["mon", "thu", "mon"]}}))
        .await;
    assert_eq!(task["recurrence"]["days"], json!(["mon", "thu"]));
    let every = ann
        .create_task(json!({"title": "Plants", "recurrence": {"kind": "every", "interval": 3.0, "unit": "day"}}))
        .await;
    assert_eq!(every["recurrence"]["interval"], 3);
    let done = ann
        .post_json(
            "/api/tasks/bulk/complete",
            &json!({"ids": [task["id"].as_f64()]}),
        )
        .await;
    assert_eq!(done.status(), 200);
    for refused in [
        json!(["Gym"]),
        json!({"title": "x", "recurrence": {"kind": "every", "interval": 2.5, "unit": "day"}}),
    ] {
        let response = ann.post_json("/api/tasks", &refused).await;
        assert_eq!(response.status(), 422, "{refused}");
    }
}

/// A quick-add line whose title runs past 200 characters keeps all of it: a
/// cut title and the whole line as the description.
#[tokio::test]
async fn a_long_quick_add_line_keeps_every_word() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let words = "word ".repeat(60);
    let created = ann
        .post_json(
            "/api/tasks/quick",
            &json!({"text": format!("{words}!high")}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let task = body(created).await;
    let title = task["title"].as_str().unwrap();
    assert!(
        title.ends_with('…') && title.chars().count() <= 200,
        "{title}"
    );
    assert_eq!(task["description"], words.trim());
    assert_eq!(task["priority"], "high");
}
