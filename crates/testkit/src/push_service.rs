//! A local Web Push service for the tests: `tests/push/push_service.py`,
//! which decrypts every message with the subscription's private key
//! (`http_ece`) and checks its VAPID token (`cryptography`), implementations
//! independent of the app's, so a wrong encryption or signature cannot pass.
//! It hands out subscriptions as a browser's push service would, records
//! what arrives, and answers pushes as scripted (410, 503, slow...).

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::workspace_root;

pub struct PushService {
    _child: Child,
    pub origin: String,
    http: reqwest::Client,
    /// The app's key pair, as Spin variables give it.
    pub public_key: String,
    private_key: String,
}

impl PushService {
    pub async fn start() -> Self {
        let python = workspace_root().join(".venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `make tools`",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(workspace_root().join("tests/push/push_service.py"))
            .arg("--exit-on-stdin-eof")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start tests/push/push_service.py");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the push service did not start in 30 s")
            .expect("read the push service's output")
            .expect("the push service exited");
        let origin = line
            .strip_prefix("Serving ")
            .expect("the push service prints its address")
            .to_owned();
        let keys = taskspin_push::vapid::KeyPair::generate();
        Self {
            _child: child,
            origin,
            http: reqwest::Client::new(),
            public_key: keys.public_key().to_owned(),
            private_key: keys.private_key(),
        }
    }

    /// The app's `SPIN_VARIABLE_*` settings for sending here.
    pub fn spin_env(&self) -> Vec<(String, String)> {
        [
            ("VAPID_PUBLIC_KEY", self.public_key.clone()),
            ("VAPID_PRIVATE_KEY", self.private_key.clone()),
            ("VAPID_SUBJECT", "mailto:tests@taskspin.test".to_owned()),
            ("PUSH_ALLOWED_ORIGINS", self.origin.clone()),
            ("PUSH_SERVICE_ORIGIN", self.origin.clone()),
            ("PUSH_TIMEOUT_MS", "2000".to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| (format!("SPIN_VARIABLE_{name}"), value))
        .collect()
    }

    /// A new subscription, as `PushSubscription.toJSON()` gives it.
    pub async fn subscribe(&self) -> Value {
        self.http
            .post(format!("{}/subscriptions", self.origin))
            .json(&json!({ "application_server_key": self.public_key }))
            .send()
            .await
            .expect("subscribe at the push service")
            .json()
            .await
            .expect("a subscription")
    }

    /// Queues answers (`(status, delay_ms)`) for the next pushes to `endpoint`.
    pub async fn answer(&self, endpoint: &str, answers: &[(u16, u64)]) {
        let answers: Vec<Value> = answers
            .iter()
            .map(|(status, delay_ms)| json!({ "status": status, "delay_ms": delay_ms }))
            .collect();
        let response = self
            .http
            .post(format!("{}/behaviour", self.origin))
            .json(&json!({ "endpoint": endpoint, "answers": answers }))
            .send()
            .await
            .expect("script the push service");
        assert_eq!(
            response.status(),
            200,
            "{}",
            response.text().await.unwrap_or_default()
        );
    }

    /// Everything received: `messages` (decrypted), `errors` (messages that
    /// failed decryption or VAPID), `attempts` (every push request).
    pub async fn received(&self) -> Value {
        self.http
            .get(format!("{}/messages", self.origin))
            .send()
            .await
            .expect("read the push service")
            .json()
            .await
            .expect("the push service's record")
    }
}
