//! Faults: PostgreSQL restarted in the middle of a write-heavy load, and more
//! runtime processes than the server has connections for.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use taskspin_testkit::{Account, Host, HostOptions, PgCluster, TestApp, TestDb};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

const WRITERS: usize = 12;
/// How long a request may take, outage or not: a hang fails the test.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One answered request.
struct Answer {
    title: String,
    operation: &'static str,
    status: u16,
    problem_json: bool,
    retry_after: bool,
    at: Instant,
    took: Duration,
}

/// Sends one request and records its answer, timed, with the body it carried.
async fn exchange(
    request: reqwest::RequestBuilder,
    title: String,
    operation: &'static str,
) -> Result<(Answer, Value), String> {
    let started = Instant::now();
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let problem_json = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v == "application/problem+json");
    let retry_after = response.headers().contains_key("retry-after");
    let body = response.json().await.unwrap_or(Value::Null);
    let answer = Answer {
        title,
        operation,
        status,
        problem_json,
        retry_after,
        at: Instant::now(),
        took: started.elapsed(),
    };
    Ok((answer, body))
}

/// Tells the load's loops to stop and waits for each to finish.
async fn stop_load(stop: &AtomicBool, loops: Vec<JoinHandle<Result<(), String>>>) {
    stop.store(true, Ordering::Relaxed);
    for load in loops {
        load.await.unwrap().expect("every request got an answer");
    }
}

/// Creates repeating tasks and completes them (a transaction that also
/// creates the next occurrence), until told to stop.
async fn writer(
    http: reqwest::Client,
    base: String,
    token: String,
    number: usize,
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Vec<Answer>>>,
) -> Result<(), String> {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let title = format!("writer {number} task {n}");
        let (created, body) = exchange(
            http.post(format!("{base}/api/tasks"))
                .bearer_auth(&token)
                .json(&json!({"title": title, "recurrence": {"kind": "every", "interval": 1, "unit": "day"}})),
            title.clone(),
            "create",
        )
        .await?;
        let status = created.status;
        answers.lock().await.push(created);
        if status != 201 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        let (completed, _) = exchange(
            http.post(format!("{base}/api/tasks/{}/complete", body["id"]))
                .bearer_auth(&token),
            title,
            "complete",
        )
        .await?;
        answers.lock().await.push(completed);
    }
    Ok(())
}

/// Every answer a success or a 503 that says when to retry, none late.
fn served_or_refused_in_time(answers: &[Answer]) {
    for answer in answers.iter() {
        assert!(
            matches!(answer.status, 200 | 201 | 503),
            "{} {}: {}",
            answer.operation,
            answer.title,
            answer.status
        );
        assert!(answer.took < REQUEST_TIMEOUT, "a request hung");
        if answer.status == 503 {
            assert!(
                answer.problem_json && answer.retry_after,
                "503 without problem+json or Retry-After"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_under_write_load_loses_nothing_answered_and_recovers_within_5_s() {
    let cluster = Arc::new(PgCluster::start());
    let db = TestDb::create_on(cluster.server()).await;
    assert!(db.migrate().await.status.success());
    let app = TestApp::serve(db, HostOptions::default()).await;
    let ann = Account::new(&app, "ann@example.org").await;
    let token = ann.token("load").await;
    let http = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|number| {
            tokio::spawn(writer(
                http.clone(),
                app.url(""),
                token.clone(),
                number,
                stop.clone(),
                answers.clone(),
            ))
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let down_at = Instant::now();
    let stopping = cluster.clone();
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let starting = cluster.clone();
    tokio::task::spawn_blocking(move || starting.start_again())
        .await
        .unwrap();
    let back_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(6)).await;
    stop_load(&stop, writers).await;

    let answers = answers.lock().await;
    let count = |status: u16| answers.iter().filter(|a| a.status == status).count();
    println!(
        "{} requests: {} created, {} completed, {} answered 503",
        answers.len(),
        count(201),
        count(200),
        count(503)
    );
    for failure in app
        .host
        .log_records()
        .iter()
        .filter(|r| r["status"].as_u64() == Some(500))
    {
        println!("500: {failure}");
    }
    served_or_refused_in_time(&answers);
    assert!(count(503) > 0, "the outage was felt");
    assert!(
        answers.iter().any(|a| a.status == 201 && a.at < down_at),
        "writes before the outage"
    );
    let first_after = answers
        .iter()
        .filter(|a| a.at > back_at && a.status == 201)
        .map(|a| a.at - back_at)
        .min()
        .expect("writes succeed again after the database is back");
    println!("first write answered 201 {first_after:?} after the database was back");
    assert!(first_after < Duration::from_secs(5), "{first_after:?}");

    // Every answered write is there, once; nothing is half-done.
    let database = app.db.connect().await;
    for answer in answers
        .iter()
        .filter(|a| a.operation == "create" && a.status == 201)
    {
        let rows: i64 = database
            .query_one(
                "SELECT count(*) FROM tasks WHERE title = $1 AND previous_occurrence_id IS NULL",
                &[&answer.title],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(rows, 1, "{}", answer.title);
    }
    for answer in answers
        .iter()
        .filter(|a| a.operation == "complete" && a.status == 200)
    {
        let completed: bool = database
            .query_one(
                "SELECT completed_at IS NOT NULL FROM tasks WHERE title = $1 AND previous_occurrence_id IS NULL",
                &[&answer.title],
            )
            .await
            .unwrap()
            .get(0);
        assert!(completed, "{}", answer.title);
    }
    let broken: i64 = database
        .query_one(
            "SELECT count(*) FROM tasks t WHERE
                (t.completed_at IS NOT NULL AND t.recurrence IS NOT NULL
                 AND (SELECT count(*) FROM tasks n WHERE n.previous_occurrence_id = t.id) <> 1)
             OR (t.previous_occurrence_id IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM tasks p WHERE p.id = t.previous_occurrence_id AND p.completed_at IS NOT NULL))",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        broken, 0,
        "a completion without its next occurrence, or the reverse"
    );
}

/// Clients per runtime process in the overload test.
const CLIENTS_PER_PROCESS: usize = 100;
/// Below what two processes' pools (64 each) open under that load.
const MAX_CONNECTIONS: &str = "max_connections=40";

/// Lists and creates tasks as fast as answers come, until told to stop.
async fn lists_and_creates(
    http: reqwest::Client,
    base: String,
    token: String,
    client: String,
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Vec<Answer>>>,
) -> Result<(), String> {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let title = format!("{client} task {n}");
        let (operation, request) = if n % 2 == 0 {
            (
                "create",
                http.post(format!("{base}/api/tasks"))
                    .json(&json!({"title": title})),
            )
        } else {
            ("list", http.get(format!("{base}/api/tasks?limit=50")))
        };
        let (answer, _) = exchange(request.bearer_auth(&token), title, operation).await?;
        answers.lock().await.push(answer);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_over_max_connections_answer_503_with_retry_after_and_recover() {
    let cluster = PgCluster::start_with(&[MAX_CONNECTIONS]);
    let db = TestDb::create_on(cluster.server()).await;
    assert!(db.migrate().await.status.success());
    let app = TestApp::serve(db, HostOptions::default()).await;
    let second = Host::start(&app.db, HostOptions::default()).await;
    let ann = Account::new(&app, "ann@example.org").await;
    let token = ann.token("load").await;
    let http = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();
    let bases = [app.url(""), second.url("")];
    // A serving process holds pooled connections (Spin's pools keep theirs
    // while idle): give each one before the burst, as a replica that has
    // served anything has.
    for base in &bases {
        let warm = http
            .get(format!("{base}/api/tasks"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(warm.status(), 200);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = bases
        .iter()
        .enumerate()
        .flat_map(|(process, base)| {
            (0..CLIENTS_PER_PROCESS).map(move |number| (process, number, base.clone()))
        })
        .map(|(process, number, base)| {
            tokio::spawn(lists_and_creates(
                http.clone(),
                base,
                token.clone(),
                format!("process {process} client {number}"),
                stop.clone(),
                answers.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop_load(&stop, clients).await;

    let answers = answers.lock().await;
    let count = |status: u16| answers.iter().filter(|a| a.status == status).count();
    println!(
        "{} requests from {} clients: {} listed, {} created, {} answered 503",
        answers.len(),
        2 * CLIENTS_PER_PROCESS,
        count(200),
        count(201),
        count(503)
    );
    served_or_refused_in_time(&answers);
    assert!(count(503) > 0, "the server ran out of connections");
    assert!(
        count(200) > 0 && count(201) > 0,
        "most requests were served"
    );

    // With the load gone, every request to either process succeeds.
    for base in &bases {
        for n in 0..20 {
            let title = format!("after the load {n}");
            let created = http
                .post(format!("{base}/api/tasks"))
                .bearer_auth(&token)
                .json(&json!({"title": title}))
                .send()
                .await
                .unwrap();
            assert_eq!(created.status(), 201, "{base}: {title}");
            let listed = http
                .get(format!("{base}/api/tasks?limit=50"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(listed.status(), 200, "{base}: list");
        }
    }

    // What was answered 201 is there; what was refused wrote nothing. (The
    // processes go first: their pools may hold every connection there is.)
    let TestApp { host, db, .. } = app;
    host.stop().await;
    second.stop().await;
    let database = db.connect().await;
    let stored: Vec<String> = database
        .query("SELECT title FROM tasks WHERE title LIKE 'process %'", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let created: std::collections::HashSet<&str> = answers
        .iter()
        .filter(|a| a.operation == "create" && a.status == 201)
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(
        stored.len(),
        created.len(),
        "one row per 201, none for a 503"
    );
    assert!(stored.iter().all(|title| created.contains(title.as_str())));
}
