//! An API fuzzer that is not ours, schemathesis, runs against the served
//! OpenAPI document as a signed-in user: no 5xx, no status, content type or
//! body that contradicts the document. `FUZZ_EXAMPLES` sets the budget per
//! operation (`make fuzz` raises it).

use std::process::Command;

use taskspin_testkit::{Account, TestApp, describe, workspace_root};

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_contradiction() {
    let schemathesis = workspace_root().join(".venv/bin/schemathesis");
    assert!(
        schemathesis.exists(),
        "{} is missing: run `make tools`",
        schemathesis.display()
    );
    let app = TestApp::spawn().await;
    let fuzzer = Account::new(&app, "fuzz@example.org").await;
    for title in ["Buy milk", "Quarterly report"] {
        fuzzer
            .create_task(serde_json::json!({"title": title}))
            .await;
    }
    let token = fuzzer.token("fuzz").await;
    let examples = std::env::var("FUZZ_EXAMPLES").unwrap_or_else(|_| "10".into());

    let schema = app.url("/api/openapi.json");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(schemathesis)
            .args(["run", &schema, "--no-color", "--generation-deterministic", "--workers", "2"])
            .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"])
            .args(["--max-examples", &examples, "--request-timeout", "10"])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .output()
            .expect("run schemathesis")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("generated,"))
        .collect();
    println!("schemathesis: {summary:?}");
    assert!(
        output.status.success(),
        "schemathesis found problems: {}",
        describe(&output)
    );
    // Request lines only: the cron-triggered agent's lines carry no status.
    let server_errors: Vec<_> = app
        .host
        .log_records()
        .into_iter()
        .filter(|r| r["status"].as_u64().is_some_and(|s| s >= 500))
        .collect();
    assert!(
        server_errors.is_empty(),
        "5xx in the logs: {server_errors:?}"
    );
}
