//! An API fuzzer that is not ours, schemathesis, runs against the served
//! OpenAPI document as a signed-in user with every check on and all four
//! phases (the stateful one follows the document's links): no 5xx, no
//! status, header, content type or body that contradicts the document, no
//! schema-valid request refused and no schema-violating one accepted. The few
//! answers that depend on the data's state are configured in
//! `tests/schemathesis.toml`, each with its reason. `FUZZ_EXAMPLES` sets the
//! budget per operation (`make fuzz` raises it). The operations are fuzzed in
//! two halves, each against an app of its own, so that they run side by side.

use std::process::Command;

use taskspin_testkit::{Account, HostOptions, TestApp, describe, workspace_root};

#[tokio::test]
async fn tasks_and_suggestions_contradict_nothing() {
    fuzz("^/api/(tasks|suggestions|preferences)").await;
}

#[tokio::test]
async fn accounts_assistant_and_health_contradict_nothing() {
    fuzz("^/(api/(auth|chat|conversations|openapi|projects)|health|ready)").await;
}

/// Runs schemathesis on the operations whose path matches `paths`.
async fn fuzz(paths: &'static str) {
    let schemathesis = workspace_root().join(".venv/bin/schemathesis");
    assert!(
        schemathesis.exists(),
        "{} is missing: run `make tools`",
        schemathesis.display()
    );
    // Secure session cookies, as in production: the fuzzer's HTTP client
    // then never replays the cookie a sign-up it generates sets over plain
    // HTTP, and the check that a request without credentials is refused
    // tests the bearer token alone.
    let app = TestApp::spawn_with(HostOptions {
        env: vec![("SPIN_VARIABLE_COOKIE_SECURE".into(), "true".into())],
        ..HostOptions::default()
    })
    .await;
    let fuzzer = Account::new(&app, "fuzz@example.org").await;
    for title in ["Buy milk", "Quarterly report"] {
        fuzzer
            .create_task(serde_json::json!({"title": title}))
            .await;
    }
    let token = fuzzer.token("fuzz").await;
    let examples = std::env::var("FUZZ_EXAMPLES").unwrap_or_else(|_| "40".into());
    let config = workspace_root().join("tests/schemathesis.toml");

    let schema = app.url("/api/openapi.json");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(schemathesis)
            .arg("--config-file")
            .arg(config)
            .args([
                "run",
                &schema,
                "--no-color",
                "--generation-deterministic",
                // One worker: hypothesis describes lambdas with `ast.parse`,
                // and CPython 3.11 shares that parser's recursion counter
                // between threads, so two workers now and then fail inside
                // the fuzzer ("AST constructor recursion depth mismatch").
                "--workers",
                "1",
            ])
            .args([
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
            ])
            .args(["--include-path-regex", paths])
            .args(["--max-examples", &examples, "--request-timeout", "10"])
            // The `token` scheme's credential (tests/schemathesis.toml).
            .env("FUZZ_TOKEN", &token)
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
