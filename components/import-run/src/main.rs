//! The waiting imports, then exit: a `wasi:cli/run` command for Spin's
//! command trigger, run by the Kubernetes CronJob and `spinhost run`.

use std::process::ExitCode;

fn main() -> ExitCode {
    taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
    match taskspin_imports::job::run_now() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            taskspin_telemetry::log_error("import-run", &error);
            ExitCode::FAILURE
        }
    }
}
