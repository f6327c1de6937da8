//! The autonomous agents and their suggestions, through the host against
//! real PostgreSQL.

use std::time::Duration;

use chrono::TimeDelta;
use serde_json::{Value, json};
use taskspin_testkit::clock::{self, date};
use taskspin_testkit::{
    Account, Host, HostOptions, LlmAnswer, LlmStub, TestApp, TestDb, describe, json as json_body,
    workspace_root,
};

/// Runs one pass through the command component; returns its summary line.
async fn run_agent(db: &TestDb) -> Value {
    let output = db.run_agent().output().await.unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    summary(&output)
}

fn summary(output: &std::process::Output) -> Value {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|record| record["message"] == "agent run")
        .unwrap_or_else(|| panic!("no summary line: {}", describe(output)))
}

async fn pending_suggestions(account: &Account) -> Vec<Value> {
    account.get("/api/suggestions").await["suggestions"]
        .as_array()
        .expect("suggestions")
        .clone()
}

/// A task that became overdue two hours ago.
fn overdue() -> Value {
    json!({"title": "Pay the bill", "due_at": clock::instant(TimeDelta::hours(-2))})
}

/// A low-priority task due in a day: the prioritization agent proposes high.
fn due_tomorrow_low(title: &str) -> Value {
    json!({"title": title, "priority": "low", "due_at": clock::instant(TimeDelta::hours(24))})
}

#[tokio::test]
async fn an_overdue_task_yields_one_suggestion() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann.create_task(overdue()).await;
    let report = run_agent(&app.db).await;
    assert_eq!(
        (report["created"].as_i64(), report["candidates"].as_i64()),
        (Some(1), Some(1))
    );
    for field in [
        "run_id",
        "users_scanned",
        "suppressed_by_rate_limit",
        "suppressed_by_preference",
        "suppressed_by_dedup",
        "expired",
        "duration_ms",
    ] {
        assert!(!report[field].is_null(), "{field} in {report}");
    }
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0]["kind"], "overdue_reschedule");
    assert_eq!(suggestions[0]["agent"], "overdue_monitor");
    assert_eq!(suggestions[0]["task_ids"], json!([task["id"]]));
    assert!(
        suggestions[0]["message"]
            .as_str()
            .unwrap()
            .contains("Pay the bill")
    );
    assert_eq!(ann.get("/api/suggestions/count").await["pending"], 1);

    let again = run_agent(&app.db).await;
    assert_eq!(
        (
            again["created"].as_i64(),
            again["suppressed_by_dedup"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(pending_suggestions(&ann).await.len(), 1);
}

#[tokio::test]
async fn several_overdue_tasks_in_one_pass_become_one_digest() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    for title in ["One", "Two", "Three", "Four"] {
        ann.create_task(json!({"title": title, "due_date": date(-3)}))
            .await;
    }
    assert_eq!(run_agent(&app.db).await["created"], 1);
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions[0]["kind"], "overdue_digest");
    assert_eq!(suggestions[0]["task_ids"].as_array().unwrap().len(), 4);
    assert!(
        suggestions[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("4 tasks are overdue")
    );
}

#[tokio::test]
async fn never_more_than_ten_per_user_per_hour_across_runs() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    for n in 0..12 {
        ann.create_task(json!({"title": format!("Late {n}"), "due_at": clock::instant(TimeDelta::days(-n - 1))}))
            .await;
        run_agent(&app.db).await;
    }
    assert_eq!(pending_suggestions(&ann).await.len(), 10);
    let last = run_agent(&app.db).await;
    assert_eq!(last["created"], 0);
    assert!(
        last["suppressed_by_rate_limit"].as_i64().unwrap() >= 1,
        "{last}"
    );
}

#[tokio::test]
async fn two_passes_at_the_same_moment_respect_the_same_limits() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    for n in 0..15 {
        ann.create_task(due_tomorrow_low(&format!("Soon {n}")))
            .await;
    }
    let (a, b) = tokio::join!(app.db.run_agent().output(), app.db.run_agent().output());
    let (a, b) = (summary(&a.unwrap()), summary(&b.unwrap()));
    assert_eq!(
        a["created"].as_i64().unwrap() + b["created"].as_i64().unwrap(),
        10,
        "{a}\n{b}"
    );
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions.len(), 10);
    let mut tasks: Vec<i64> = suggestions
        .iter()
        .map(|s| s["task_ids"][0].as_i64().unwrap())
        .collect();
    tasks.sort_unstable();
    tasks.dedup();
    assert_eq!(tasks.len(), 10, "no task suggested twice");
}

#[tokio::test]
async fn an_overloaded_pair_of_days_moves_its_least_urgent_task() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let in_days = |days: i64| clock::instant(TimeDelta::days(days));
    ann.create_task(
        json!({"title": "Launch", "priority": "urgent", "due_at": in_days(3), "tags": ["work"]}),
    )
    .await;
    ann.create_task(json!({"title": "Budget", "priority": "urgent", "due_at": in_days(3)}))
        .await;
    let least = ann
        .create_task(json!({"title": "Blog post", "priority": "high", "due_at": in_days(4)}))
        .await;
    ann.create_task(json!({"title": "Far away", "priority": "high", "due_at": in_days(10)}))
        .await;
    run_agent(&app.db).await;
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions.len(), 1, "{suggestions:#?}");
    assert_eq!(suggestions[0]["kind"], "spread_overload");
    assert_eq!(suggestions[0]["task_ids"], json!([least["id"]]));
    assert!(suggestions[0]["action"]["reschedule_to"].is_string());
}

#[tokio::test]
async fn a_dismissed_suggestion_comes_back_only_after_a_real_change() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann.create_task(overdue()).await;
    run_agent(&app.db).await;
    let id = pending_suggestions(&ann).await[0]["id"].clone();
    let dismissed = ann.post(&format!("/api/suggestions/{id}/dismiss")).await;
    assert_eq!(dismissed.status(), 200);
    assert_eq!(run_agent(&app.db).await["created"], 0);
    assert!(pending_suggestions(&ann).await.is_empty());

    let moved = ann
        .client
        .patch(ann.url(&format!("/api/tasks/{}", task["id"])))
        .json(&json!({"due_at": clock::instant(TimeDelta::hours(-5))}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    assert_eq!(
        run_agent(&app.db).await["created"],
        1,
        "the changed task qualifies again"
    );
}

#[tokio::test]
async fn accepting_applies_the_change_exactly_once() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann.create_task(due_tomorrow_low("Prepare slides")).await;
    run_agent(&app.db).await;
    let suggestion = pending_suggestions(&ann).await[0].clone();
    assert_eq!(suggestion["kind"], "raise_priority");
    assert_eq!(suggestion["action"], json!({"set_priority": "high"}));
    let path = format!("/api/suggestions/{}/accept", suggestion["id"]);
    let (first, second) = tokio::join!(ann.post(&path), ann.post(&path));
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(ann.post(&path).await.status(), 409);
    let updated = ann.get(&format!("/api/tasks/{}", task["id"])).await;
    assert_eq!(updated["priority"], "high");
    assert_eq!(updated["version"], 2, "changed once");
    assert!(pending_suggestions(&ann).await.is_empty());
}

#[tokio::test]
async fn accepting_a_reschedule_moves_the_task_to_tomorrow() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let task = ann
        .create_task(json!({"title": "Dentist", "due_date": date(-2)}))
        .await;
    run_agent(&app.db).await;
    let suggestion = pending_suggestions(&ann).await[0].clone();
    assert_eq!(suggestion["kind"], "overdue_reschedule");
    assert_eq!(suggestion["action"], json!({"reschedule_to": date(1)}));
    let accepted = ann
        .post(&format!("/api/suggestions/{}/accept", suggestion["id"]))
        .await;
    assert_eq!(accepted.status(), 200);
    let moved = ann.get(&format!("/api/tasks/{}", task["id"])).await;
    assert_eq!(moved["due_date"], suggestion["action"]["reschedule_to"]);
}

#[tokio::test]
async fn switched_off_agents_and_quiet_hours_create_nothing() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    ann.create_task(overdue()).await;
    let off = json!({"overdue_monitor": false, "prioritization": true, "quiet_hours": null});
    let saved = ann
        .client
        .put(ann.url("/api/preferences/agents"))
        .json(&off)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    // `notifications` may be left out: it stays on.
    let mut stored = off.clone();
    stored["notifications"] = json!(true);
    assert_eq!(ann.get("/api/preferences/agents").await, stored);
    let report = run_agent(&app.db).await;
    assert_eq!(
        (
            report["created"].as_i64(),
            report["suppressed_by_preference"].as_i64()
        ),
        (Some(0), Some(1))
    );

    // Quiet from an hour ago to an hour from now in the user's zone (across
    // midnight when it is near).
    let local = |hours: i64| {
        (chrono::Utc::now() + TimeDelta::hours(hours))
            .with_timezone(&clock::zone())
            .format("%H:%M")
            .to_string()
    };
    let quiet = json!({"overdue_monitor": true, "prioritization": true, "quiet_hours": {"start": local(-1), "end": local(1)}});
    ann.client
        .put(ann.url("/api/preferences/agents"))
        .json(&quiet)
        .send()
        .await
        .unwrap();
    assert_eq!(run_agent(&app.db).await["created"], 0);

    let bad = json!({"overdue_monitor": true, "prioritization": true, "quiet_hours": {"start": "25:00", "end": "07:00"}});
    let refused = ann
        .client
        .put(ann.url("/api/preferences/agents"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    for loose in ["7:00", "+7:00", "07:0"] {
        let bad = json!({"overdue_monitor": true, "prioritization": true, "quiet_hours": {"start": loose, "end": "08:00"}});
        let response = ann
            .client
            .put(ann.url("/api/preferences/agents"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{loose}: HH:MM only");
    }

    // A window from a time to itself holds no minute: no quiet hours.
    let empty = json!({"overdue_monitor": true, "prioritization": true, "quiet_hours": {"start": "22:00", "end": "22:00"}});
    let saved = ann
        .client
        .put(ann.url("/api/preferences/agents"))
        .json(&empty)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert_eq!(json_body(saved).await["quiet_hours"], Value::Null);
    assert_eq!(
        ann.get("/api/preferences/agents").await["quiet_hours"],
        Value::Null
    );
}

#[tokio::test]
async fn suggestions_expire_when_their_task_changes_or_they_age() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let done_later = ann.create_task(overdue()).await;
    run_agent(&app.db).await;
    assert_eq!(
        ann.post(&format!("/api/tasks/{}/complete", done_later["id"]))
            .await
            .status(),
        200
    );
    assert_eq!(run_agent(&app.db).await["expired"], 1);
    assert!(pending_suggestions(&ann).await.is_empty());

    ann.create_task(json!({"title": "Another", "due_date": date(-1)}))
        .await;
    run_agent(&app.db).await;
    app.db
        .connect()
        .await
        .execute(
            "UPDATE suggestions SET expires_at = now() WHERE status = 'pending'",
            &[],
        )
        .await
        .unwrap();
    assert!(
        pending_suggestions(&ann).await.is_empty(),
        "an aged suggestion is no longer offered"
    );
    assert_eq!(run_agent(&app.db).await["expired"], 1);
}

#[tokio::test]
async fn another_users_suggestions_are_missing() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let bob = Account::new(&app, "bob@example.org").await;
    ann.create_task(overdue()).await;
    run_agent(&app.db).await;
    let id = pending_suggestions(&ann).await[0]["id"].clone();
    assert!(pending_suggestions(&bob).await.is_empty());
    for action in ["accept", "dismiss"] {
        assert_eq!(
            bob.post(&format!("/api/suggestions/{id}/{action}"))
                .await
                .status(),
            404
        );
    }
    assert_eq!(pending_suggestions(&ann).await.len(), 1);
}

#[tokio::test]
async fn the_cron_component_fires_on_its_schedule() {
    let db = TestDb::create().await;
    assert!(db.migrate().await.status.success());
    let dir = tempfile::tempdir().unwrap();
    let wasm = workspace_root().join("target/wasm32-wasip2/release/agent.wasm");
    let manifest = std::fs::read_to_string(workspace_root().join("spin.toml"))
        .unwrap()
        .replace(
            "cron_expression = \"0 */5 * * * *\"",
            "cron_expression = \"*/1 * * * * *\"",
        )
        .replace(
            "source = \"target/",
            &format!("source = \"{}/target/", workspace_root().display()),
        )
        .replace(
            "source = \"frontend/",
            &format!("source = \"{}/frontend/", workspace_root().display()),
        );
    assert!(
        manifest.contains("*/1 * * * * *"),
        "the test edits the real schedule"
    );
    let path = dir.path().join("spin.toml");
    std::fs::write(&path, manifest).unwrap();
    assert!(wasm.exists());
    // The compiled components are cached beside the manifest: this copy
    // shares the workspace's cache rather than compiling every one again
    // (which, on a loaded machine, outlasts the host's start deadline).
    let cache = workspace_root().join(".spin");
    std::fs::create_dir_all(&cache).unwrap();
    std::os::unix::fs::symlink(&cache, dir.path().join(".spin")).unwrap();
    let host = Host::start(
        &db,
        HostOptions {
            manifest: Some(path),
            env: Vec::new(),
        },
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let runs = host
            .log_records()
            .iter()
            .filter(|r| r["message"] == "agent run")
            .count();
        if runs >= 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no two cron runs in 10 s: {:?}",
            host.stdout_lines()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One pass with the model at `stub` configured.
async fn run_agent_with_model(db: &TestDb, stub: &LlmStub) -> Value {
    let output = db
        .run_agent()
        .env("SPIN_VARIABLE_LLM_PROVIDER", "openai")
        .env("SPIN_VARIABLE_LLM_BASE_URL", stub.base_url())
        .env("SPIN_VARIABLE_LLM_TIMEOUT_MS", "2000")
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    summary(&output)
}

#[tokio::test]
async fn a_model_phrases_the_rationale_and_its_failure_never_fails_a_pass() {
    let stub = LlmStub::start().await;
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    ann.create_task(overdue()).await;
    let phrased =
        "\"Pay the bill\" slipped by two hours; moving it to tomorrow gives it a fair chance.";
    stub.then([LlmAnswer::Text(phrased.into())]);
    assert_eq!(run_agent_with_model(&app.db, &stub).await["created"], 1);
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions[0]["message"], phrased);
    let asked = stub.take_requests();
    assert_eq!(asked.len(), 1);
    let deterministic = asked[0]["messages"][1]["content"].as_str().unwrap();
    assert!(
        deterministic.contains("\"Pay the bill\" is overdue"),
        "{deterministic}"
    );

    // The model fails: the pass still succeeds, with its own wording.
    let bob = Account::new(&app, "bob@example.org").await;
    bob.create_task(overdue()).await;
    stub.then([LlmAnswer::Status(500)]);
    assert_eq!(run_agent_with_model(&app.db, &stub).await["created"], 1);
    let message = pending_suggestions(&bob).await[0]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("is overdue"),
        "{message}"
    );
}

#[tokio::test]
async fn a_parents_due_is_its_undated_subtasks_deadline_and_archived_projects_are_left_alone() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let parent = ann.create_task(overdue()).await;
    let child = ann
        .create_task(json!({"title": "Find the invoice", "parent_id": parent["id"]}))
        .await;
    let dated_child = ann
        .create_task(json!({"title": "Later step", "parent_id": parent["id"], "due_date": date(5)}))
        .await;
    let archived = json_body(
        ann.post_json("/api/projects", &json!({"name": "Someday"}))
            .await,
    )
    .await;
    let mut put_away = overdue();
    put_away["title"] = json!("Learn the banjo");
    put_away["project_id"] = archived["id"].clone();
    ann.create_task(put_away).await;
    assert_eq!(
        ann.post(&format!("/api/projects/{}/archive", archived["id"]))
            .await
            .status(),
        200
    );

    run_agent(&app.db).await;
    let suggestions = pending_suggestions(&ann).await;
    assert_eq!(suggestions.len(), 1, "{suggestions:?}");
    assert_eq!(suggestions[0]["kind"], "overdue_digest");
    let mut ids: Vec<i64> = suggestions[0]["task_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            parent["id"].as_i64().unwrap(),
            child["id"].as_i64().unwrap()
        ],
        "the undated subtask is overdue with its parent; the dated one and the archived project's task are not"
    );
    assert!(!ids.contains(&dated_child["id"].as_i64().unwrap()));
    assert!(
        !suggestions[0]["message"]
            .as_str()
            .unwrap()
            .contains("banjo")
    );
}
