//! The agents as a cron-trigger component (the `trigger-cron` plugin's
//! world, from `wit/spin-cron.wit`): each tick runs one pass.

// The world `use`s `metadata` and `error`, so they are in scope here.
wit_bindgen::generate!({ world: "spin-cron", path: "../../wit/spin-cron.wit" });

struct Agent;

impl Guest for Agent {
    fn handle_cron_event(_: Metadata) -> Result<(), Error> {
        taskspin_telemetry::init(&spin_sdk::variables::get("log_level").unwrap_or_default());
        taskspin_db::Db::connect()
            .and_then(|db| taskspin_agents::scheduled_pass(&db))
            .map(|_| ())
            .map_err(|error| {
                taskspin_telemetry::log_error("agent", &error);
                Error::Other(error.to_string())
            })
    }
}

export!(Agent);
