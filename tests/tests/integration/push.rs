//! Web Push through the real components: subscriptions on the API, the
//! agents' pass queueing and sending, and a push service stand-in
//! (tests/push/push_service.py) that decrypts each message and checks its
//! VAPID token with implementations independent of ours.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use serde_json::{Value, json};
use taskspin_testkit::clock::{self, date};
use taskspin_testkit::{
    Account, HostOptions, PushService, TestApp, describe, json as json_body, problem_fields,
};

async fn app_with(push: &PushService) -> TestApp {
    TestApp::spawn_with(HostOptions {
        env: push.spin_env(),
        ..HostOptions::default()
    })
    .await
}

/// Subscribes `account`'s "browser" at the push service; the subscription JSON.
async fn subscribe(push: &PushService, account: &Account, device: &str) -> Value {
    let mut subscription = push.subscribe().await;
    subscription["device"] = json!(device);
    let response = account
        .post_json("/api/push/subscriptions", &subscription)
        .await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    subscription
}

/// One agent pass; its log records.
async fn pass(app: &TestApp) -> Vec<Value> {
    let output = app.run_agent().output().await.expect("run the agents");
    assert!(output.status.success(), "{}", describe(&output));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

fn record<'a>(records: &'a [Value], message: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["message"] == message)
        .unwrap_or_else(|| panic!("no {message:?} line in {records:?}"))
}

/// The messages received, with no message failing decryption or VAPID.
async fn delivered(push: &PushService) -> Vec<Value> {
    let received = push.received().await;
    assert_eq!(
        received["errors"],
        json!([]),
        "the push service refused a message"
    );
    received["messages"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_browser_subscribes_on_an_allowed_push_service_only() {
    let push = PushService::start().await;
    let app = app_with(&push).await;
    let ann = Account::new(&app, "ann@example.org").await;
    assert_eq!(
        ann.get("/api/push/key").await["public_key"],
        push.public_key
    );

    let subscription = subscribe(&push, &ann, "Chromium on Linux").await;
    // The same browser again updates its row.
    let again = ann
        .post_json("/api/push/subscriptions", &subscription)
        .await;
    assert_eq!(again.status(), 200);
    let devices = ann.get("/api/push/subscriptions").await["subscriptions"].clone();
    assert_eq!(devices.as_array().map(Vec::len), Some(1));
    assert_eq!(devices[0]["endpoint"], subscription["endpoint"]);
    assert_eq!(devices[0]["device"], "Chromium on Linux");
    assert_eq!(devices[0]["last_sent_at"], Value::Null);

    // Never an arbitrary URL: the server would send requests there.
    for endpoint in [
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "https://fcm.googleapis.com@127.0.0.1/push".to_owned(),
        format!("{}/push/x", push.origin.replace("127.0.0.1", "localhost")),
        "file:///etc/passwd".to_owned(),
    ] {
        let mut bad = push.subscribe().await;
        bad["endpoint"] = json!(endpoint);
        let response = ann.post_json("/api/push/subscriptions", &bad).await;
        assert_eq!(response.status(), 422, "{endpoint}");
        assert_eq!(
            problem_fields(&json_body(response).await),
            ["endpoint"],
            "{endpoint}"
        );
    }
    let mut bad_keys = push.subscribe().await;
    bad_keys["keys"] = json!({"p256dh": "AAAA", "auth": "not base64!"});
    let response = ann.post_json("/api/push/subscriptions", &bad_keys).await;
    assert_eq!(
        problem_fields(&json_body(response).await),
        ["keys.p256dh", "keys.auth"]
    );

    // Another person neither sees nor removes it.
    let bob = Account::new(&app, "bob@example.org").await;
    assert_eq!(
        bob.get("/api/push/subscriptions").await["subscriptions"],
        json!([])
    );
    let id = devices[0]["id"].as_i64().unwrap();
    let path = format!("/api/push/subscriptions/{id}");
    let response = bob.client.delete(bob.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = ann.client.delete(ann.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        ann.get("/api/push/subscriptions").await["subscriptions"],
        json!([])
    );
}

#[tokio::test]
async fn without_keys_push_is_off_and_says_so() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let response = ann
        .client
        .get(ann.url("/api/push/key"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let anonymous = taskspin_testkit::client();
    let response = anonymous
        .get(app.url("/api/push/subscriptions"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_pass_sends_a_reminder_per_occurrence_and_a_digest_a_day() {
    let push = PushService::start().await;
    let app = app_with(&push).await;
    let ann = Account::new(&app, "ann@example.org").await;
    let subscription = subscribe(&push, &ann, "Firefox on Android").await;
    let soon = ann
        .create_task(
            json!({"title": "Call the bank", "due_at": clock::instant(TimeDelta::minutes(30))}),
        )
        .await;
    let late = ann
        .create_task(json!({"title": "Pay the rent", "due_date": date(-2)}))
        .await;
    let later = ann
        .create_task(
            json!({"title": "Return the books", "due_at": clock::instant(TimeDelta::hours(-3))}),
        )
        .await;
    // Someone else's tasks never reach Ann's browser.
    let bob = Account::new(&app, "bob@example.org").await;
    bob.create_task(
        json!({"title": "Bob's secret", "due_at": clock::instant(TimeDelta::minutes(20))}),
    )
    .await;

    let records = pass(&app).await;
    let run = record(&records, "agent run");
    assert_eq!(run["pushes_queued"], 2, "{run}");
    let sent = record(&records, "pushes sent");
    assert_eq!(
        (sent["sent"].as_i64(), sent["retry"].as_i64()),
        (Some(2), Some(0)),
        "{sent}"
    );

    let messages = delivered(&push).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .all(|m| m["endpoint"] == subscription["endpoint"])
    );
    let reminder = messages
        .iter()
        .find(|m| m["payload"]["kind"] == "due_soon")
        .expect("a reminder");
    let payload = &reminder["payload"];
    assert_eq!(payload["title"], "Due soon: Call the bank");
    assert_eq!(payload["url"], format!("/tasks/{}", soon["id"]));
    assert_eq!(payload["tasks"][0]["id"], soon["id"]);
    assert_eq!(payload["tasks"][0]["version"], soon["version"]);
    assert_eq!(reminder["urgency"], "high");
    let ttl = reminder["ttl"].as_i64().unwrap();
    assert!(
        (1..=30 * 60).contains(&ttl),
        "the reminder lives until the task is due: {ttl}"
    );
    // Tomorrow keeps the time of day, a day later.
    let due: chrono::DateTime<chrono::Utc> = soon["due_at"].as_str().unwrap().parse().unwrap();
    let tomorrow: chrono::DateTime<chrono::Utc> = payload["tasks"][0]["tomorrow"]["due_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        tomorrow.with_timezone(&clock::zone()).time(),
        due.with_timezone(&clock::zone()).time()
    );
    assert_eq!(
        tomorrow.with_timezone(&clock::zone()).date_naive(),
        due.with_timezone(&clock::zone()).date_naive() + chrono::Days::new(1)
    );

    let digest = messages
        .iter()
        .find(|m| m["payload"]["kind"] == "overdue_digest")
        .expect("a digest");
    assert_eq!(digest["payload"]["title"], "2 tasks are overdue");
    let listed: Vec<&Value> = digest["payload"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["id"])
        .collect();
    assert_eq!(listed, [&late["id"], &later["id"]], "most overdue first");
    assert_eq!(
        digest["payload"]["tasks"][0]["tomorrow"]["due_date"],
        date(1)
    );
    let text = serde_json::to_string(&messages).unwrap();
    assert!(!text.contains("Bob's secret"));

    // The next pass sends nothing again: one reminder per occurrence, one
    // digest per day.
    let records = pass(&app).await;
    assert_eq!(record(&records, "agent run")["pushes_queued"], 0);
    assert_eq!(delivered(&push).await.len(), 2);
    let devices = ann.get("/api/push/subscriptions").await;
    assert!(devices["subscriptions"][0]["last_sent_at"].is_string());

    // What the notification's Done does: the version it carries, or a 412.
    let path = format!("/api/tasks/{}/complete", soon["id"]);
    let stale = ann
        .client
        .post(ann.url(&path))
        .header(
            "if-match",
            format!("\"{}\"", soon["version"].as_i64().unwrap() + 1),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let done = ann
        .client
        .post(ann.url(&path))
        .header("if-match", format!("\"{}\"", soon["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
}

#[tokio::test]
async fn switches_quiet_hours_and_the_hourly_limit_hold_for_pushes() {
    let push = PushService::start().await;
    let app = app_with(&push).await;
    let ann = Account::new(&app, "ann@example.org").await;
    subscribe(&push, &ann, "Chromium on Linux").await;
    let preferences = |notifications: bool, quiet: Value| json!({"overdue_monitor": true, "prioritization": true, "notifications": notifications, "quiet_hours": quiet});
    let put = |body: Value| {
        let ann = &ann;
        async move {
            let response = ann
                .client
                .put(ann.url("/api/preferences/agents"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            json_body(response).await
        }
    };
    for n in 0..8 {
        ann.create_task(json!({"title": format!("Errand {n}"), "due_at": clock::instant(TimeDelta::minutes(20 + n))}))
            .await;
    }

    assert_eq!(
        put(preferences(false, Value::Null)).await["notifications"],
        false
    );
    pass(&app).await;
    assert_eq!(
        push.received().await["attempts"],
        0,
        "notifications are off"
    );

    // Quiet from now for two hours, in Ann's own time zone.
    let now = chrono::Utc::now().with_timezone(&clock::zone());
    let start = now.format("%H:%M").to_string();
    let end = (now + TimeDelta::hours(2)).format("%H:%M").to_string();
    put(preferences(true, json!({"start": start, "end": end}))).await;
    pass(&app).await;
    assert_eq!(push.received().await["attempts"], 0, "quiet hours");

    // The 8 suggestions of the first pass and the pushes share 10 an hour.
    put(preferences(true, Value::Null)).await;
    let records = pass(&app).await;
    let run = record(&records, "agent run");
    assert_eq!(
        (
            run["pushes_queued"].as_i64(),
            run["pushes_suppressed_by_rate_limit"].as_i64()
        ),
        (Some(2), Some(6)),
        "{run}"
    );
    let suggestions = ann.get("/api/suggestions").await["suggestions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(suggestions, 8);
    let mut titles: Vec<String> = delivered(&push)
        .await
        .iter()
        .filter_map(|m| m["payload"]["title"].as_str().map(str::to_owned))
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        ["Due soon: Errand 0", "Due soon: Errand 1"],
        "the soonest first"
    );
}

#[tokio::test]
async fn a_gone_browser_is_forgotten_and_a_failing_service_retried_without_duplicates() {
    let push = PushService::start().await;
    let app = app_with(&push).await;
    let ann = Account::new(&app, "ann@example.org").await;
    let phone = subscribe(&push, &ann, "Safari on iOS").await;
    let laptop = subscribe(&push, &ann, "Firefox on Linux").await;
    push.answer(phone["endpoint"].as_str().unwrap(), &[(410, 0)])
        .await;
    push.answer(laptop["endpoint"].as_str().unwrap(), &[(503, 0), (429, 0)])
        .await;
    ann.create_task(
        json!({"title": "Water the plants", "due_at": clock::instant(TimeDelta::minutes(40))}),
    )
    .await;

    let first = pass(&app).await;
    let sent = record(&first, "pushes sent");
    assert_eq!(
        (sent["gone"].as_i64(), sent["retry"].as_i64()),
        (Some(1), Some(1)),
        "{sent}"
    );
    let devices = ann.get("/api/push/subscriptions").await["subscriptions"].clone();
    assert_eq!(
        devices.as_array().map(Vec::len),
        Some(1),
        "the gone browser is deleted"
    );
    assert_eq!(devices[0]["device"], "Firefox on Linux");

    pass(&app).await; // 429: still pending
    assert_eq!(delivered(&push).await.len(), 0);
    let third = pass(&app).await;
    assert_eq!(record(&third, "pushes sent")["sent"], 1);
    pass(&app).await;
    let messages = delivered(&push).await;
    assert_eq!(messages.len(), 1, "delivered once: {messages:?}");
    assert_eq!(messages[0]["endpoint"], laptop["endpoint"]);
    assert_eq!(push.received().await["attempts"], 4, "410, 503, 429, 201");
}

#[tokio::test]
async fn a_slow_push_service_is_cut_off_and_never_fails_the_pass() {
    let push = PushService::start().await;
    let app = app_with(&push).await;
    let ann = Account::new(&app, "ann@example.org").await;
    let browser = subscribe(&push, &ann, "Chromium on Linux").await;
    push.answer(browser["endpoint"].as_str().unwrap(), &[(503, 30_000)])
        .await;
    ann.create_task(
        json!({"title": "Leave for the station", "due_at": clock::instant(TimeDelta::minutes(15))}),
    )
    .await;

    let started = Instant::now();
    let records = pass(&app).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the pass waited {:?}",
        started.elapsed()
    );
    let sent = record(&records, "pushes sent");
    assert_eq!(sent["retry"], 1, "{sent}");
    let cut_off = record(&records, "push not delivered");
    assert_eq!(cut_off["answer"], "the request timed out", "{cut_off}");

    // The next pass delivers it.
    let records = pass(&app).await;
    assert_eq!(record(&records, "pushes sent")["sent"], 1);
    assert_eq!(delivered(&push).await.len(), 1);
}
