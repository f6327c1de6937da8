//! The import job as a cron-trigger component (the `trigger-cron` plugin's
//! world, from `wit/spin-cron.wit`): each tick runs the waiting imports.

// The world `use`s `metadata` and `error`, so they are in scope here.
wit_bindgen::generate!({ world: "spin-cron", path: "../../wit/spin-cron.wit" });

struct ImportJob;

impl Guest for ImportJob {
    fn handle_cron_event(_: Metadata) -> Result<(), Error> {
        taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
        taskspin_imports::job::run_now()
            .map(|_| ())
            .map_err(|error| {
                taskspin_telemetry::log_error("import-job", &error);
                Error::Other(error.to_string())
            })
    }
}

export!(ImportJob);
