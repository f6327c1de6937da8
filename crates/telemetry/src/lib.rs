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
        .with_writer(|| LogWriter)
        .try_init();
}

thread_local! {
    /// Lines held back by a [`Batch`], written together when it ends.
    static BATCHED: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Writes a log line to stdout, or into the open [`Batch`].
struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let held = BATCHED.with_borrow_mut(|batch| match batch {
            Some(lines) => {
                lines.extend_from_slice(bytes);
                true
            }
            None => false,
        });
        if held {
            Ok(bytes.len())
        } else {
            std::io::stdout().write(bytes)
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush()
    }
}

/// While it lives, log lines collect in memory, and go to stdout in one
/// write when it is dropped: for a burst of many lines (an agent pass's audit
/// trail), where a host call per line would cost more than the work.
pub struct Batch(());

/// Opens a batch; nested batches join the outer one.
pub fn batch() -> Option<Batch> {
    BATCHED.with_borrow_mut(|batch| match batch {
        Some(_) => None,
        None => {
            *batch = Some(Vec::new());
            Some(Batch(()))
        }
    })
}

impl Drop for Batch {
    fn drop(&mut self) {
        use std::io::Write;
        if let Some(lines) = BATCHED.with_borrow_mut(Option::take) {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&lines);
            let _ = stdout.flush();
        }
    }
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
