//! One migration run: a `wasi:cli/run` command for Spin's command trigger,
//! the Kubernetes migrations Job, and `spinhost run`.

use std::process::ExitCode;
use std::time::Instant;

use taskspin_db::Db;

fn main() -> ExitCode {
    taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
    let started = Instant::now();
    let outcome = Db::connect()
        .map_err(taskspin_migrations::MigrationError::from)
        .and_then(|db| taskspin_migrations::migrate(&db));
    let duration_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(report) => {
            tracing::info!(
                component = "migrate",
                applied = ?report.applied,
                already_applied = report.already_applied,
                schema_version = report.schema_version,
                duration_ms,
                "migrations complete"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(component = "migrate", error = %error, duration_ms, "migrations failed");
            ExitCode::FAILURE
        }
    }
}
