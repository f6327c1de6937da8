//! Structured logs: every event is one JSON object on one stdout line, with
//! its fields at the top level, so a log pipeline can read them as they are.

use tracing::level_filters::LevelFilter;

/// Installs the JSON subscriber for this instance. `level` is a
/// `tracing` level name (`error`, `warn`, `info`, `debug`, `trace`); anything
/// else falls back to `info`. A second call is a no-op, so a component may
/// call this at the top of every entry point.
pub fn init(level: &str) {
    let level = level
        .trim()
        .parse::<LevelFilter>()
        .unwrap_or(LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_max_level(level)
        .with_writer(std::io::stdout)
        .try_init();
}

/// Logs a panic as one JSON line before the instance traps. In WebAssembly a
/// panic aborts (there is no unwinding to catch), so this is the last word the
/// component gets; the runtime then answers the request with a 500.
pub fn log_panics(context: impl Fn() -> String + Send + Sync + 'static) {
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(context = context(), panic = %info, "panic");
    }));
}

/// Logs a failure that ends a non-HTTP run (a cron tick, a command).
pub fn log_error(component: &str, error: &dyn std::fmt::Display) {
    tracing::error!(component, error = %error, "run failed");
}
