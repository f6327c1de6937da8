//! The calendar feed through the real component, read back by an
//! independent iCalendar parser (the `icalendar` package from PyPI, in
//! tests/calendar/read_feed.py).

use std::process::Stdio;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};
use taskspin_testkit::clock::{self, date};
use taskspin_testkit::{Account, TestApp, json as json_body, workspace_root};
use tokio::io::AsyncWriteExt;

/// The feed parsed: lines, calendar and events as read_feed.py prints them.
async fn parse(ics: &[u8]) -> Value {
    let mut child = tokio::process::Command::new(workspace_root().join(".venv/bin/python"))
        .arg(workspace_root().join("tests/calendar/read_feed.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tests/calendar/read_feed.py (make tools)");
    child.stdin.take().unwrap().write_all(ics).await.unwrap();
    let output = child.wait_with_output().await.unwrap();
    assert!(
        output.status.success(),
        "the parser refused the feed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(ics)
    );
    serde_json::from_slice(&output.stdout).expect("the parser's JSON")
}

async fn create_feed(account: &Account) -> Value {
    let response = account.post("/api/calendar/feed").await;
    assert_eq!(response.status(), 201);
    json_body(response).await
}

fn event<'a>(feed: &'a Value, task: &Value) -> &'a Value {
    let uid = format!("task-{}@taskspin", task["id"]);
    feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"] == uid.as_str())
        .unwrap_or_else(|| panic!("no event {uid} in {feed}"))
}

fn instant(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("a time")
        .parse()
        .expect("an ISO time")
}

#[tokio::test]
async fn the_feed_lists_dated_tasks_as_an_independent_parser_reads_them() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let long_title = format!(
        "Plan the trip: trains, hotels; and\nthe rest \\ {} done",
        "é".repeat(60)
    );
    let all_day = ann
        .create_task(
            json!({"title": long_title, "description": "Line one\nLine two, with; marks",
            "due_date": date(1), "priority": "high", "tags": ["travel", "family"]}),
        )
        .await;
    let timed = ann
        .create_task(json!({"title": "Dentist", "due_at": clock::instant(TimeDelta::hours(30))}))
        .await;
    let weekly = ann
        .create_task(json!({"title": "Take out the bins", "due_date": date(2),
            "recurrence": {"kind": "every", "interval": 2, "unit": "week"}}))
        .await;
    // The 31st has no RRULE of the same meaning: its dates are listed.
    let monthly = ann
        .create_task(json!({"title": "Pay the rent", "due_date": "2031-01-31",
            "recurrence": {"kind": "every", "interval": 1, "unit": "month"}}))
        .await;
    ann.create_task(json!({"title": "Someday"})).await;
    let done = ann
        .create_task(json!({"title": "Already done", "due_date": date(3)}))
        .await;
    assert_eq!(
        ann.post(&format!("/api/tasks/{}/complete", done["id"]))
            .await
            .status(),
        200
    );
    let bob = Account::new(&app, "bob@example.org").await;
    bob.create_task(json!({"title": "Bob's appointment", "due_date": date(1)}))
        .await;

    let created = create_feed(&ann).await;
    let url = created["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&app.url("/api/calendar/feed/tsc_")),
        "{url}"
    );
    assert!(
        created["webcal_url"]
            .as_str()
            .unwrap()
            .starts_with("webcal://")
    );
    // No cookie: the secret in the URL is the credential.
    let anonymous = taskspin_testkit::client();
    let response = anonymous.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let body = response.bytes().await.unwrap();
    let feed = parse(&body).await;

    assert!(
        feed["lines"]["max_octets"].as_i64().unwrap() <= 75,
        "{}",
        feed["lines"]
    );
    assert_eq!(feed["lines"]["all_crlf"], true);
    assert_eq!(
        feed["lines"]["all_utf8"], true,
        "no fold splits a character"
    );
    assert_eq!(feed["calendar"]["version"], "2.0");
    let titles: Vec<&str> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["summary"].as_str())
        .collect();
    assert_eq!(titles.len(), 4, "pending dated tasks only: {titles:?}");
    assert!(!titles.contains(&"Bob's appointment"));

    let first = event(&feed, &all_day);
    assert_eq!(
        first["summary"],
        long_title.as_str(),
        "escaping and folding undone"
    );
    assert_eq!(first["description"], "Line one\nLine two, with; marks");
    assert_eq!(first["dtstart"]["kind"], "date");
    assert_eq!(first["dtstart"]["value"], date(1));
    assert_eq!(
        first["dtend"]["value"],
        date(2),
        "an all-day event ends the next day"
    );
    assert_eq!(first["priority"], 3);
    assert_eq!(first["categories"], json!(["travel", "family"]));
    assert_eq!(first["sequence"], all_day["version"]);
    assert_eq!(first["url"], app.url(&format!("/tasks/{}", all_day["id"])));
    assert_eq!(
        instant(&first["last_modified"]),
        instant(&all_day["updated_at"]).with_nanosecond_trimmed()
    );
    assert_eq!(first["rrule"], Value::Null);

    let second = event(&feed, &timed);
    assert_eq!(second["dtstart"]["kind"], "datetime-utc");
    assert_eq!(
        instant(&second["dtstart"]["utc"]),
        instant(&timed["due_at"]).with_nanosecond_trimmed()
    );

    let bins = event(&feed, &weekly);
    assert_eq!(bins["rrule"], json!({"FREQ": ["WEEKLY"], "INTERVAL": [2]}));

    let rent = event(&feed, &monthly);
    assert_eq!(rent["rrule"], Value::Null);
    let dates: Vec<String> = rent["rdate"]
        .as_array()
        .expect("listed dates")
        .iter()
        .filter_map(|d| d.as_str().map(str::to_owned))
        .collect();
    assert_eq!(dates.len(), 12, "a year of them: {dates:?}");
    assert_eq!(dates[0], "2031-02-28");
    assert_eq!(dates[1], "2031-03-28");

    // Unchanged: 304. Changed: a new document, the event's SEQUENCE up.
    let unchanged = anonymous
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    let response = ann
        .client
        .patch(ann.url(&format!("/api/tasks/{}", timed["id"])))
        .json(&json!({"title": "Dentist, at last"}))
        .send()
        .await
        .unwrap();
    let renamed = json_body(response).await;
    let changed = anonymous
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    let feed = parse(&changed.bytes().await.unwrap()).await;
    assert_eq!(event(&feed, &timed)["sequence"], renamed["version"]);
    assert_eq!(event(&feed, &timed)["summary"], "Dentist, at last");
}

trait Seconds {
    fn with_nanosecond_trimmed(self) -> Self;
}

impl Seconds for DateTime<Utc> {
    /// iCalendar times have whole seconds.
    fn with_nanosecond_trimmed(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap()
    }
}

#[tokio::test]
async fn a_wrong_rotated_or_revoked_secret_finds_nothing() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    ann.create_task(json!({"title": "Dentist", "due_date": date(1)}))
        .await;
    assert_eq!(ann.get("/api/calendar/feed").await["active"], false);
    let anonymous = taskspin_testkit::client();
    let guess = app.url(&format!("/api/calendar/feed/tsc_{}.ics", "A".repeat(43)));
    let response = anonymous.get(&guess).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    let first = create_feed(&ann).await;
    let first_url = first["url"].as_str().unwrap();
    assert_eq!(anonymous.get(first_url).send().await.unwrap().status(), 200);
    let status = ann.get("/api/calendar/feed").await;
    assert_eq!(status["active"], true);
    assert!(status["last_fetched_at"].is_string(), "{status}");

    let second = create_feed(&ann).await;
    let second_url = second["url"].as_str().unwrap();
    assert_eq!(
        anonymous.get(first_url).send().await.unwrap().status(),
        404,
        "rotated away"
    );
    assert_eq!(
        anonymous.get(second_url).send().await.unwrap().status(),
        200
    );

    let revoked = ann
        .client
        .delete(ann.url("/api/calendar/feed"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        anonymous.get(second_url).send().await.unwrap().status(),
        404
    );
    let again = ann
        .client
        .delete(ann.url("/api/calendar/feed"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);

    // The secret is a credential: the logs never hold it.
    let secret = second_url
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics");
    let logs = app.host.stdout_lines().join("\n");
    assert!(
        logs.contains("/api/calendar/feed/{secret}"),
        "the feed's requests are logged"
    );
    assert!(!logs.contains(secret), "a secret in the logs");
}

#[tokio::test]
async fn recurring_rules_map_exactly_or_are_listed_in_the_persons_zone() {
    let app = TestApp::spawn().await;
    let ann = Account::new(&app, "ann@example.org").await;
    let due = clock::wall_time(1, 9, 0);
    let daily = ann
        .create_task(
            json!({"title": "Stretch", "due_at": clock::api_instant(due),
            "recurrence": {"kind": "every", "interval": 1, "unit": "day"}}),
        )
        .await;
    let created = create_feed(&ann).await;
    let body = taskspin_testkit::client()
        .get(created["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let feed = parse(&body).await;
    let stretch = event(&feed, &daily);
    // Every listed (or generated) occurrence is at 09:00 in Ann's zone.
    let zone = clock::zone();
    let occurrences: Vec<DateTime<Utc>> = match stretch["rrule"] {
        Value::Null => stretch["rdate"]
            .as_array()
            .unwrap()
            .iter()
            .map(instant)
            .collect(),
        _ => panic!(
            "{} keeps daylight saving time? then the feed lists dates",
            clock::ZONE_NAME
        ),
    };
    assert!(occurrences.len() >= 60, "{}", occurrences.len());
    for at in &occurrences {
        assert_eq!(
            at.with_timezone(&zone).format("%H:%M").to_string(),
            "09:00",
            "{at}"
        );
    }
    let first_day: NaiveDate = occurrences[0].with_timezone(&zone).date_naive();
    assert_eq!(first_day, clock::day(2));
}
