//! `/health` and `/ready` through the host, against real PostgreSQL.

use std::time::Duration;

use serde_json::Value;
use taskspin_migrations::LATEST_VERSION;
use taskspin_testkit::{Host, HostOptions, PgCluster, TestApp, TestDb};

async fn get_json(app_url: String) -> (u16, Value) {
    let response = reqwest::get(app_url).await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

#[tokio::test]
async fn health_answers_healthy_with_a_timestamp() {
    let app = TestApp::spawn().await;
    let (status, body) = get_json(app.url("/health")).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "healthy");
    let timestamp = body["timestamp"].as_str().expect("timestamp");
    assert!(
        timestamp.ends_with('Z') && timestamp.contains('T'),
        "RFC 3339: {timestamp}"
    );
}

#[tokio::test]
async fn ready_reports_the_schema_version_once_migrated() {
    let app = TestApp::spawn().await;
    let (status, body) = get_json(app.url("/ready")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({"status": "ready", "database": "connected", "schema_version": LATEST_VERSION})
    );
}

#[tokio::test]
async fn ready_is_503_until_migrations_have_run() {
    let db = TestDb::create().await;
    let host = Host::start(&db, HostOptions::default()).await;
    let (status, body) = get_json(host.url("/ready")).await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["database"], "connected");
    assert!(
        body["reason"]
            .as_str()
            .unwrap()
            .contains("migrations have not run"),
        "{body}"
    );

    let migrated = db.migrate().await;
    assert!(migrated.status.success());
    let (status, _) = get_json(host.url("/ready")).await;
    assert_eq!(status, 200, "ready without a restart once migrated");
}

#[tokio::test]
async fn ready_is_503_when_the_database_refuses_the_login() {
    let db = TestDb::create().await;
    let options = HostOptions {
        env: vec![("SPIN_VARIABLE_DB_USER".into(), "no_such_role".into())],
        ..Default::default()
    };
    let host = Host::start(&db, options).await;
    let (status, body) = get_json(host.url("/ready")).await;
    assert_eq!(status, 503);
    assert_eq!(body["database"], "unreachable");
    assert!(
        body["reason"].as_str().unwrap().contains("no_such_role"),
        "{body}"
    );
    let (status, _) = get_json(host.url("/health")).await;
    assert_eq!(status, 200, "liveness touches no dependency");
}

#[tokio::test]
async fn ready_follows_the_database_going_down_and_coming_back() {
    let cluster = PgCluster::start();
    let db = TestDb::create_on(cluster.server()).await;
    assert!(db.migrate().await.status.success());
    let host = Host::start(&db, HostOptions::default()).await;
    assert_eq!(get_json(host.url("/ready")).await.0, 200);

    cluster.stop();
    let (status, body) = get_json(host.url("/ready")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["database"], "unreachable");
    assert!(!body["reason"].as_str().unwrap().is_empty());
    assert_eq!(get_json(host.url("/health")).await.0, 200);

    cluster.start_again();
    let (status, body) = get_json(host.url("/ready")).await;
    assert_eq!(
        status, 200,
        "ready on the next request after the database returns: {body}"
    );
    host.stop().await;
}

#[tokio::test]
async fn every_request_writes_one_json_log_line_carrying_its_request_id() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let chosen = client
        .get(app.url("/health"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.headers()["x-request-id"], "trace-42");
    let generated = client.get(app.url("/ready")).send().await.unwrap();
    let generated_id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let rejected = client
        .get(app.url("/health"))
        .header("x-request-id", "not a token!")
        .send()
        .await
        .unwrap();
    let rejected_id = rejected.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(rejected_id, "not a token!");

    for (id, path) in [
        ("trace-42", "/health"),
        (generated_id.as_str(), "/ready"),
        (rejected_id.as_str(), "/health"),
    ] {
        let record = app.host.wait_for_log(|r| r["request_id"] == id).await;
        assert_eq!(record["path"], path);
        assert_eq!(record["component"], "health");
        assert_eq!(record["method"], "GET");
        assert_eq!(record["status"], 200);
        assert_eq!(record["level"], "INFO");
        assert!(record["timestamp"].is_string());
        assert!(record["duration_ms"].is_number());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let records = app.host.log_records();
    assert_eq!(
        records.len(),
        3,
        "exactly one line per request: {records:#?}"
    );
}

#[tokio::test]
async fn errors_are_problem_documents() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .post(app.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 405);
    assert_eq!(problem["title"], "Method Not Allowed");
    assert_eq!(problem["instance"], "/health");
    assert_eq!(problem["request_id"], id.as_str());
}

/// RFC 9110: a 405 names the methods the resource takes, in every component,
/// and a path a route names outright is not an id of its neighbour's route.
#[tokio::test]
async fn a_405_names_the_methods_its_path_takes() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let cases = [
        ("POST", "/health", "GET, HEAD"),
        ("TRACE", "/api/auth/me", "GET, HEAD, PATCH, DELETE"),
        ("PUT", "/api/tasks", "GET, HEAD, POST"),
        ("PATCH", "/api/tasks/quick", "POST"),
        ("GET", "/api/tasks/parse", "POST"),
        ("POST", "/api/tasks/7", "GET, HEAD, PATCH, DELETE"),
        ("DELETE", "/api/suggestions/count", "GET, HEAD"),
        ("PATCH", "/api/conversations", "GET, HEAD"),
        ("DELETE", "/api/openapi.json", "GET, HEAD"),
        ("GET", "/mcp", "POST"),
        ("POST", "/", "GET, HEAD"),
    ];
    for (method, path, allow) in cases {
        let response = client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{method} {path}"
        );
    }
}
