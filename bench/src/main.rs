//! `make bench`: starts the app on spinhost against a fresh database and
//! measures each scenario at a fixed number of concurrent connections,
//! printing requests/s, latency percentiles and errors, then the size of
//! every component.
//!
//! Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 100).
//! `taskspin-bench agents` measures the agents' pass instead.

mod agents;
mod load;
mod seed;

use std::time::Duration;

use load::{Report, Scenario};
use taskspin_testkit::{TestApp, workspace_root};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("agents") => agents::run().await,
        _ => endpoints().await,
    }
}

async fn endpoints() -> anyhow::Result<()> {
    let seconds = setting("BENCH_SECONDS", 10);
    let connections = setting("BENCH_CONNECTIONS", 100) as usize;
    let app = TestApp::spawn().await;
    let bearer = format!("Bearer {}", seed::user_with_tasks(&app, 10_000).await?);
    let authorized = |scenario: Scenario| scenario.with_header("authorization", &bearer);
    let scenarios = [
        Scenario::get("GET /health", "/health"),
        Scenario::get("GET /ready", "/ready"),
        authorized(Scenario::get(
            "GET /api/tasks (50 of 10k)",
            "/api/tasks?limit=50",
        )),
        authorized(Scenario::post_json(
            "POST /api/tasks",
            "/api/tasks",
            r#"{"title":"Benchmark task","priority":"high","tags":["bench"],"due_date":"2026-12-01"}"#,
        )),
        authorized(Scenario::post_json(
            "POST /api/tasks/quick",
            "/api/tasks/quick",
            r#"{"text":"Call mom tomorrow 6pm !high #family"}"#,
        )),
    ];

    println!(
        "spinhost on {}, {connections} connections, {seconds} s per scenario\n",
        app.host.address
    );
    println!("{}", Report::header());
    for scenario in &scenarios {
        // A short warm-up fills the connection pools before measuring.
        load::run(
            app.host.address,
            scenario,
            connections,
            Duration::from_secs(1),
        )
        .await;
        let report = load::run(
            app.host.address,
            scenario,
            connections,
            Duration::from_secs(seconds),
        )
        .await;
        println!("{report}");
    }

    let sign_in = seed::sign_in_milliseconds(&app, 20).await;
    println!(
        "\nsign-in inside the component (Argon2id verify + session), median of 20 one at a time: {sign_in:.1} ms"
    );

    println!("\ncomponent sizes:");
    let dir = workspace_root().join("target/wasm32-wasip2/release");
    let mut wasm: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    wasm.sort_by_key(|entry| entry.file_name());
    for entry in wasm {
        let bytes = entry.metadata()?.len();
        println!(
            "  {:<24} {:>8.1} KiB",
            entry.file_name().to_string_lossy(),
            bytes as f64 / 1024.0
        );
    }
    Ok(())
}
