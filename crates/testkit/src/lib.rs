//! The app as its users meet it: every test gets a database of its own
//! (random name, dropped afterwards), migrated by the real `migrate`
//! component, and a `spinhost` process serving the real `.wasm` files on a
//! free port, talked to over real HTTP.

mod account;
pub mod clock;
mod cluster;
mod database;
mod host;
mod llm_stub;
mod push_service;

pub use account::{Account, json, problem_fields};
pub use cluster::{PgCluster, free_port};
pub use database::{Server, TestDb};
pub use host::{Host, HostOptions};
pub use llm_stub::{LlmAnswer, LlmStub};
pub use push_service::PushService;

use std::path::PathBuf;
use std::process::Output;

/// The workspace root, where `spin.toml` lives.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// The host binary `make build` produced (`SPINHOST_BIN` overrides).
pub fn spinhost_bin() -> PathBuf {
    let path = std::env::var_os("SPINHOST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target"));
            target.join("native/spinhost")
        });
    assert!(
        path.exists(),
        "{} is missing: run `make build` first",
        path.display()
    );
    path
}

/// A database with the schema applied, the host serving it, and an HTTP
/// client that keeps cookies.
pub struct TestApp {
    pub host: Host,
    pub db: TestDb,
    pub http: reqwest::Client,
    /// The host's extra environment, which the agents' pass gets too.
    env: Vec<(String, String)>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(HostOptions::default()).await
    }

    pub async fn spawn_with(options: HostOptions) -> Self {
        let db = TestDb::create().await;
        let migrated = db.migrate().await;
        assert!(
            migrated.status.success(),
            "migrate failed: {}",
            describe(&migrated)
        );
        Self::serve(db, options).await
    }

    /// The host serving a database that is migrated already.
    pub async fn serve(db: TestDb, options: HostOptions) -> Self {
        let env = options.env.clone();
        let host = Host::start(&db, options).await;
        Self {
            host,
            db,
            http: client(),
            env,
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.host.url(path)
    }

    /// One pass of the agents (`spin-agent.toml`) with the app's settings.
    pub fn run_agent(&self) -> tokio::process::Command {
        let mut command = self.db.run_agent();
        command.envs(self.env.iter().cloned());
        command
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// A new client signed in to a new account with this email.
    pub async fn sign_up(&self, email: &str) -> reqwest::Client {
        let client = client();
        let response = client
            .post(self.url("/api/auth/signup"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD, "display_name": "Tester", "time_zone": clock::ZONE_NAME}))
            .send()
            .await
            .expect("sign up");
        assert_eq!(
            response.status(),
            201,
            "sign up: {}",
            response.text().await.unwrap_or_default()
        );
        client
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// A process's exit status and output, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
