//! One pass of the agents, then exit: a `wasi:cli/run` command for Spin's
//! command trigger, run by the Kubernetes CronJob and `spinhost run`.

use std::process::ExitCode;

fn main() -> ExitCode {
    taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
    match taskspin_db::Db::connect().and_then(|db| taskspin_agents::scheduled_pass(&db)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            taskspin_telemetry::log_error("agent-run", &error);
            ExitCode::FAILURE
        }
    }
}
